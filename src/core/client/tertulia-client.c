/* tertulia-client.c — a guest: connects, says hello, keeps a TertuliaRoom current
 *
 * This file is the object and its public API: properties, connect/leave/
 * retry, and what the person sends. The life of one connection (attempts,
 * welcome, frames, keep-alive, drops) is in tertulia-client-connection.c;
 * the outbox's pacing in tertulia-outbox.c; when to try again in
 * tertulia-reconnect.c.
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-client"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "tertulia-address.h"
#include "tertulia-client.h"
#include "tertulia-client-private.h"
#include "tertulia-util-private.h"

G_DEFINE_FINAL_TYPE (TertuliaClient, tertulia_client, G_TYPE_OBJECT)

G_DEFINE_QUARK (tertulia-client-error-quark, tertulia_client_error)

enum {
  PROP_0,
  PROP_ADDRESS,
  PROP_NICKNAME,
  PROP_HOST_KEY,
  PROP_PASSWORD,
  PROP_ROOM,
  PROP_STATE,
  PROP_STATE_REASON,
  PROP_RETRY_SECONDS,
  PROP_FETCHING_HISTORY,
  PROP_SEND_TYPING,  /* issue 19 */
  PROP_REMOVED,      /* issue 18 */
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

enum {
  SERVER_ERROR,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

void
_tertulia_client_set_state (TertuliaClient          *self,
           TertuliaConnectionState  state)
{
  if (self->state == state)
    return;

  g_debug ("%s: state %d → %d", self->display_name, self->state, state);
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

void
_tertulia_client_set_state_reason (TertuliaClient *self,
                  const char     *reason)
{
  if (_tertulia_set_str (&self->state_reason, reason))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE_REASON]);
}

void
_tertulia_client_set_removed (TertuliaClient *self,
                              gboolean        removed)
{
  removed = !!removed;
  if (self->removed == removed)
    return;

  self->removed = removed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REMOVED]);
}

void
_tertulia_client_set_fetching_history (TertuliaClient *self,
                                       gboolean        fetching)
{
  fetching = !!fetching;
  if (self->fetching_history == fetching)
    return;

  self->fetching_history = fetching;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FETCHING_HISTORY]);
}

void
_tertulia_client_set_retry_seconds (TertuliaClient *self,
                   guint           seconds)
{
  if (self->retry_seconds == seconds)
    return;

  self->retry_seconds = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRY_SECONDS]);
}

/* Completes every connect_async() waiting: with success when @error is
 * NULL. Callbacks may run right away and do anything to the client, so
 * callers hold a reference and do this last.
 */
void
_tertulia_client_complete_pending_tasks (TertuliaClient *self,
                        const GError   *error)
{
  g_autoptr(GPtrArray) tasks = NULL;

  if (self->pending_tasks->len == 0)
    return;

  tasks = g_steal_pointer (&self->pending_tasks);
  self->pending_tasks = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < tasks->len; i++)
    {
      GTask *task = g_ptr_array_index (tasks, i);

      if (error == NULL)
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, g_error_copy (error));
    }
}

void
_tertulia_client_emit_server_error (TertuliaClient *self,
                                    const char     *code,
                                    const char     *message,
                                    const char     *cid)
{
  g_signal_emit (self, signals[SERVER_ERROR], 0, code, message, cid);
}

static void
tertulia_client_dispose (GObject *object)
{
  TertuliaClient *self = (TertuliaClient *)object;

  _tertulia_client_stop_everything (self);

  G_OBJECT_CLASS (tertulia_client_parent_class)->dispose (object);
}

static void
tertulia_client_finalize (GObject *object)
{
  TertuliaClient *self = (TertuliaClient *)object;

  /* A pending GTask holds a reference, so none can be left here. */
  g_assert (self->pending_tasks->len == 0);
  g_clear_pointer (&self->pending_tasks, g_ptr_array_unref);
  g_clear_pointer (&self->outbox, _tertulia_outbox_free);
  g_clear_pointer (&self->reconnect, _tertulia_reconnect_free);

  g_clear_object (&self->session);
  g_clear_object (&self->room);
  g_clear_pointer (&self->address, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->nickname, g_free);
  g_clear_pointer (&self->host_key, g_free);
  tertulia_client_set_password (self, NULL);
  g_clear_pointer (&self->resume_token, g_free);
  g_clear_pointer (&self->state_reason, g_free);
  g_clear_pointer (&self->cid_prefix, g_free);
  g_clear_pointer (&self->file_token, g_free);
  _tertulia_client_moderation_finalize (self); /* issue 18 */
  _tertulia_client_tls_finalize (self);

  G_OBJECT_CLASS (tertulia_client_parent_class)->finalize (object);
}

static void
tertulia_client_constructed (GObject *object)
{
  TertuliaClient *self = (TertuliaClient *)object;

  G_OBJECT_CLASS (tertulia_client_parent_class)->constructed (object);

  if (self->address == NULL)
    self->address = g_strdup ("");
  self->display_name = tertulia_address_display_name (self->address);
}

static void
tertulia_client_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TertuliaClient *self = TERTULIA_CLIENT (object);

  switch (prop_id)
    {
    case PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;

    case PROP_NICKNAME:
      g_value_set_string (value, self->nickname);
      break;

    case PROP_HOST_KEY:
      g_value_set_string (value, self->host_key);
      break;

    case PROP_ROOM:
      g_value_set_object (value, self->room);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_STATE_REASON:
      g_value_set_string (value, self->state_reason);
      break;

    case PROP_RETRY_SECONDS:
      g_value_set_uint (value, self->retry_seconds);
      break;

    case PROP_SEND_TYPING:  /* issue 19 */
      g_value_set_boolean (value, self->send_typing);
      break;

    case PROP_REMOVED:
      g_value_set_boolean (value, self->removed);
      break;

    case PROP_FETCHING_HISTORY:
      g_value_set_boolean (value, self->fetching_history);
      break;

    default:
      if (!_tertulia_client_tls_get_property (self, prop_id, value))
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tertulia_client_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TertuliaClient *self = TERTULIA_CLIENT (object);

  switch (prop_id)
    {
    case PROP_ADDRESS:
      self->address = g_value_dup_string (value);
      break;

    case PROP_NICKNAME:
      self->nickname = g_value_dup_string (value);
      break;

    case PROP_HOST_KEY:
      self->host_key = g_value_dup_string (value);
      break;

    case PROP_PASSWORD:
      tertulia_client_set_password (self, g_value_get_string (value));
      break;

    case PROP_SEND_TYPING:  /* issue 19 */
      tertulia_client_set_send_typing (self, g_value_get_boolean (value));
      break;

    default:
      if (!_tertulia_client_tls_set_property (self, prop_id, value))
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tertulia_client_class_init (TertuliaClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = tertulia_client_constructed;
  object_class->dispose = tertulia_client_dispose;
  object_class->finalize = tertulia_client_finalize;
  object_class->get_property = tertulia_client_get_property;
  object_class->set_property = tertulia_client_set_property;

  properties [PROP_ADDRESS] =
    g_param_spec_string ("address", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties [PROP_NICKNAME] =
    g_param_spec_string ("nickname", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties [PROP_HOST_KEY] =
    g_param_spec_string ("host-key", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties [PROP_PASSWORD] =
    g_param_spec_string ("password", NULL, NULL,
                         NULL,
                         (G_PARAM_WRITABLE |
                          G_PARAM_STATIC_STRINGS));

  properties [PROP_ROOM] =
    g_param_spec_object ("room", NULL, NULL,
                         TERTULIA_TYPE_ROOM,
                         (G_PARAM_READABLE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties [PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       TERTULIA_TYPE_CONNECTION_STATE,
                       TERTULIA_CONNECTION_DISCONNECTED,
                       (G_PARAM_READABLE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties [PROP_STATE_REASON] =
    g_param_spec_string ("state-reason", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties [PROP_RETRY_SECONDS] =
    g_param_spec_uint ("retry-seconds", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE |
                        G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  properties [PROP_FETCHING_HISTORY] =
    g_param_spec_boolean ("fetching-history", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  /* issue 19: FALSE for people who prefer not to show that they type */
  properties [PROP_SEND_TYPING] =
    g_param_spec_boolean ("send-typing", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  /* issue 18: kicked, banned or kept out: no Retry, only the way back */
  properties [PROP_REMOVED] =
    g_param_spec_boolean ("removed", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
  _tertulia_client_tls_install_properties (object_class, N_PROPS);

  signals [SERVER_ERROR] =
    g_signal_new ("server-error",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE,
                  3,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
tertulia_client_init (TertuliaClient *self)
{
  self->room = tertulia_room_new ();
  self->pending_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  self->state = TERTULIA_CONNECTION_DISCONNECTED;
  _tertulia_client_connection_init (self);
  self->use_pins = TRUE;
  self->cid_prefix = g_strdup_printf ("%08x", g_random_int ());
  _tertulia_client_moderation_init (self); /* issue 18 */
  self->send_typing = TRUE;  /* issue 19 */

  self->session = soup_session_new ();
  soup_session_set_user_agent (self->session, "tertulia/" PACKAGE_VERSION);
  /* The protocol has no extensions: no permessage-deflate. */
  soup_session_remove_feature_by_type (self->session, SOUP_TYPE_WEBSOCKET_EXTENSION_MANAGER);
  /* Rooms live on the local network; a desktop's web proxy cannot reach
   * them and must not see the conversation.
   */
  soup_session_set_proxy_resolver (self->session, NULL);
  /* Hosts are checked by fingerprint, never by a certificate authority
   * (tertulia-client-tls.c); without a database, glib-networking does not
   * read the system's trust store at every connection either
   */
  soup_session_set_tls_database (self->session, NULL);
}

TertuliaClient *
tertulia_client_new (const char *address,
                     const char *nickname)
{
  g_return_val_if_fail (address != NULL, NULL);

  return g_object_new (TERTULIA_TYPE_CLIENT,
                       "address", address,
                       "nickname", nickname,
                       NULL);
}

TertuliaClient *
tertulia_client_new_for_host (const char *address,
                              const char *nickname,
                              const char *host_key)
{
  g_return_val_if_fail (address != NULL, NULL);

  return g_object_new (TERTULIA_TYPE_CLIENT,
                       "address", address,
                       "nickname", nickname,
                       "host-key", host_key,
                       NULL);
}

static void
task_cancelled (TertuliaClient *self,
                GTask          *task)
{
  g_autoptr(TertuliaClient) hold = g_object_ref (self);

  if (!g_ptr_array_remove (self->pending_tasks, g_object_ref (task)))
    {
      g_object_unref (task);
      return;
    }

  /* Nobody waits for the first connection any more: stop trying. */
  if (!self->ever_connected && self->pending_tasks->len == 0)
    {
      _tertulia_client_stop_everything (self);
      _tertulia_client_set_retry_seconds (self, 0);
      _tertulia_client_set_state_reason (self, NULL);
      _tertulia_client_set_state (self, TERTULIA_CONNECTION_DISCONNECTED);
    }

  g_task_return_new_error (task, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_CANCELLED,
                           "%s", _("Connecting to the room was cancelled."));
  g_object_unref (task);
}

static gboolean
task_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  GTask *task = user_data;

  task_cancelled (g_task_get_source_object (task), task);

  return G_SOURCE_REMOVE;
}

static void
destroy_source (gpointer data)
{
  g_source_destroy (data);
  g_source_unref (data);
}

void
tertulia_client_connect_async (TertuliaClient      *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TERTULIA_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tertulia_client_connect_async);
  /* Our own CANCELLED error, translated, rather than GIO's. */
  g_task_set_check_cancellable (task, FALSE);

  if (self->state == TERTULIA_CONNECTION_CONNECTED)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (cancellable != NULL)
    {
      GSource *source = g_cancellable_source_new (cancellable);

      g_source_set_callback (source, G_SOURCE_FUNC (task_cancelled_cb), task, NULL);
      g_source_attach (source, g_main_context_get_thread_default ());
      g_task_set_task_data (task, source, destroy_source);
    }

  g_ptr_array_add (self->pending_tasks, g_object_ref (task));

  /* Waiting for the next retry, or not connected at all: go now. An
   * attempt already under way is simply waited for.
   */
  if (self->cancellable == NULL && self->connection == NULL)
    _tertulia_client_start_attempt (self);
}

gboolean
tertulia_client_connect_finish (TertuliaClient  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (TERTULIA_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tertulia_client_connect_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
tertulia_client_set_password (TertuliaClient *self,
                              const char     *password)
{
  g_return_if_fail (TERTULIA_IS_CLIENT (self));

  /* Overwritten, not only freed: it should not linger in the heap */
  if (self->password != NULL)
    {
      volatile char *p = self->password;

      while (*p != '\0')
        *p++ = '\0';
      g_clear_pointer (&self->password, g_free);
    }

  if (password != NULL && password[0] != '\0')
    self->password = g_strdup (password);
}

void
tertulia_client_disconnect (TertuliaClient *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (TERTULIA_IS_CLIENT (self));

  g_object_ref (self);

  _tertulia_client_stop_everything (self);
  /* Leaving cleanly ends the session on the host: there is nothing to
   * resume any more.
   */
  g_clear_pointer (&self->resume_token, g_free);
  _tertulia_reconnect_reset (self->reconnect);

  _tertulia_client_set_retry_seconds (self, 0);
  if (self->state != TERTULIA_CONNECTION_DISCONNECTED)
    _tertulia_client_set_state_reason (self, _("You left the room."));
  _tertulia_client_set_state (self, TERTULIA_CONNECTION_DISCONNECTED);

  error = g_error_new_literal (TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_CANCELLED,
                               _("Connecting to the room was cancelled."));
  _tertulia_client_complete_pending_tasks (self, error);

  g_object_unref (self);
}

void
tertulia_client_retry (TertuliaClient *self)
{
  g_return_if_fail (TERTULIA_IS_CLIENT (self));

  switch (self->state)
    {
    case TERTULIA_CONNECTION_DISCONNECTED:
      _tertulia_client_start_attempt (self);
      break;

    case TERTULIA_CONNECTION_RECONNECTING:
      /* Only while waiting: an attempt under way is already "now". */
      _tertulia_reconnect_now (self->reconnect);
      break;

    case TERTULIA_CONNECTION_CONNECTING:
    case TERTULIA_CONNECTION_CONNECTED:
    default:
      break;
    }
}

/* The protocol's errors are English sentences; people get the translated
 * one, in the same domain and code.
 */
static void
propagate_protocol_error (GError **error,
                          GError  *local_error)
{
  const char *sentence;

  sentence = tertulia_protocol_describe_error (tertulia_protocol_error_code (local_error),
                                               local_error->message);
  g_set_error_literal (error, local_error->domain, local_error->code, sentence);
}

/* @value as the protocol sends it, or NULL with @error saying why in a
 * sentence for people.
 */
static char *
normalize_or_fail (char        *(*normalize) (const char  *value,
                                              GError     **error),
                   const char    *value,
                   GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  char *normalized = normalize (value, &local_error);

  if (normalized == NULL)
    propagate_protocol_error (error, local_error);

  return normalized;
}

static gboolean
check_connected (TertuliaClient  *self,
                 GError         **error)
{
  if (self->state == TERTULIA_CONNECTION_CONNECTED)
    return TRUE;

  g_set_error_literal (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_CLOSED,
                       _("You are not connected to the room."));
  return FALSE;
}

/* The state says connected, but the socket may be closing already. */
static gboolean
send_or_fail (TertuliaClient       *self,
              const TertuliaFrame  *frame,
              GError              **error)
{
  if (_tertulia_client_send_frame (self, frame))
    return TRUE;

  g_set_error_literal (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_CLOSED,
                       _("You are not connected to the room."));
  return FALSE;
}

TertuliaMessage *
tertulia_client_send_message (TertuliaClient       *self,
                              TertuliaMessageKind   kind,
                              const char           *text,
                              GError              **error)
{
  g_autofree char *normalized = NULL;
  g_autofree char *cid = NULL;
  TertuliaMessage *message;

  g_return_val_if_fail (TERTULIA_IS_CLIENT (self), NULL);
  g_return_val_if_fail (kind == TERTULIA_MESSAGE_KIND_CHAT ||
                        kind == TERTULIA_MESSAGE_KIND_ACTION, NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  normalized = normalize_or_fail (tertulia_protocol_normalize_text, text, error);
  if (normalized == NULL)
    return NULL;

  cid = _tertulia_client_next_cid (self);
  message = tertulia_room_add_own_message (self->room, kind, cid, normalized);

  if (self->state == TERTULIA_CONNECTION_CONNECTED)
    _tertulia_outbox_push (self->outbox, message);
  _tertulia_client_typing_done (self);  /* issue 19: the message ends it */

  return message;
}

gboolean
tertulia_client_resend_message (TertuliaClient   *self,
                                TertuliaMessage  *message,
                                GError          **error)
{
  g_return_val_if_fail (TERTULIA_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (TERTULIA_IS_MESSAGE (message), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (tertulia_message_get_state (message) != TERTULIA_MESSAGE_STATE_FAILED ||
      tertulia_room_find_own_message (self->room, tertulia_message_get_cid (message)) != message)
    {
      g_set_error_literal (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_REFUSED,
                           _("Only a message of yours that was not sent can be sent again."));
      return FALSE;
    }

  /* The host refused it, so it never took the cid: the same one is safe,
   * and a host that did see it would recognize it.
   */
  tertulia_room_resend_own_message (self->room, message);

  if (self->state == TERTULIA_CONNECTION_CONNECTED)
    _tertulia_outbox_push (self->outbox, message);

  return TRUE;
}

TertuliaMessage *
tertulia_client_get_last_failed_message (TertuliaClient *self)
{
  GListModel *messages;

  g_return_val_if_fail (TERTULIA_IS_CLIENT (self), NULL);

  messages = tertulia_room_get_messages (self->room);
  for (guint i = g_list_model_get_n_items (messages); i > 0; i--)
    {
      g_autoptr(TertuliaMessage) message = g_list_model_get_item (messages, i - 1);

      if (tertulia_message_get_is_own (message) &&
          tertulia_message_get_state (message) == TERTULIA_MESSAGE_STATE_FAILED)
        return message;   /* the room holds it */
    }

  return NULL;
}

gboolean
tertulia_client_change_nickname (TertuliaClient  *self,
                                 const char      *nickname,
                                 GError         **error)
{
  g_autoptr(TertuliaFrame) frame = NULL;
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (TERTULIA_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (nickname != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  normalized = normalize_or_fail (tertulia_protocol_normalize_nick, nickname, error);
  if (normalized == NULL || !check_connected (self, error))
    return FALSE;

  frame = tertulia_frame_new (TERTULIA_FRAME_NICK);
  frame->nick = g_steal_pointer (&normalized);

  return send_or_fail (self, frame, error);
}

gboolean
tertulia_client_change_topic (TertuliaClient  *self,
                              const char      *topic,
                              GError         **error)
{
  g_autoptr(TertuliaFrame) frame = NULL;
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (TERTULIA_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (topic != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  normalized = normalize_or_fail (tertulia_protocol_normalize_topic, topic, error);
  if (normalized == NULL || !check_connected (self, error))
    return FALSE;

  frame = tertulia_frame_new (TERTULIA_FRAME_SET_TOPIC);
  frame->topic = g_steal_pointer (&normalized);

  return send_or_fail (self, frame, error);
}

const char *
tertulia_client_get_address (TertuliaClient *self)
{
  g_return_val_if_fail (TERTULIA_IS_CLIENT (self), NULL);

  return self->address;
}

const char *
tertulia_client_get_resume_token (TertuliaClient *self)
{
  g_return_val_if_fail (TERTULIA_IS_CLIENT (self), NULL);

  return self->resume_token;
}

void
tertulia_client_set_resume_token (TertuliaClient *self,
                                  const char     *token)
{
  g_return_if_fail (TERTULIA_IS_CLIENT (self));

  _tertulia_set_str (&self->resume_token, token);
}

TertuliaRoom *
tertulia_client_get_room (TertuliaClient *self)
{
  g_return_val_if_fail (TERTULIA_IS_CLIENT (self), NULL);

  return self->room;
}

TertuliaConnectionState
tertulia_client_get_state (TertuliaClient *self)
{
  g_return_val_if_fail (TERTULIA_IS_CLIENT (self), TERTULIA_CONNECTION_DISCONNECTED);

  return self->state;
}

const char *
tertulia_client_get_state_reason (TertuliaClient *self)
{
  g_return_val_if_fail (TERTULIA_IS_CLIENT (self), NULL);

  return self->state_reason;
}

guint
tertulia_client_get_retry_seconds (TertuliaClient *self)
{
  g_return_val_if_fail (TERTULIA_IS_CLIENT (self), 0);

  return self->retry_seconds;
}

gboolean
tertulia_client_get_removed (TertuliaClient *self)
{
  g_return_val_if_fail (TERTULIA_IS_CLIENT (self), FALSE);

  return self->removed;
}

void
_tertulia_client_set_keepalive (TertuliaClient *self,
                                guint           ping_seconds,
                                guint           silence_limit_msec)
{
  g_return_if_fail (TERTULIA_IS_CLIENT (self));

  if (ping_seconds > 0)
    self->keepalive_seconds = ping_seconds;
  if (silence_limit_msec > 0)
    self->silence_limit_msec = silence_limit_msec;
}

char *
_tertulia_client_next_cid (TertuliaClient *self)
{
  return g_strdup_printf ("%s-%u", self->cid_prefix, ++self->cid_counter);
}

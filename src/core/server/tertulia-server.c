/* tertulia-server.c — the host: WebSocket endpoint, sessions, fan-out, history
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The server lives in these files: this one (the object and its API),
 * tertulia-server-http.c (listening, and connections before the upgrade),
 * tertulia-server-connect.c (from an upgrade request to a session),
 * tertulia-server-session.c (one guest connection and its limits) and
 * tertulia-server-room.c (participants, history and what each frame does).
 * tertulia-server-private.h holds what they share.
 */

#define G_LOG_DOMAIN "tertulia-server"
#define TERTULIA_SERVER_COMPILATION

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tertulia-server-output.h"
#include "tertulia-server-private.h"

#define SECRET_BYTES       32
#define DEFAULT_ROOM_NAME  "Tertulia"
G_DEFINE_FINAL_TYPE (TertuliaServer, tertulia_server, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ROOM_NAME,
  PROP_TOPIC,
  PROP_HISTORY_SIZE,
  PROP_PORT,
  PROP_N_PARTICIPANTS,
  PROP_HOST_KEY,
  PROP_PASSWORD_REQUIRED,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];


/* Shared with the other files of the server */

/* Secrets (host key, resume tokens) come from the kernel's CSPRNG. */
char *
_tertulia_random_hex (gsize n_bytes)
{
  static const char hex[] = "0123456789abcdef";
  g_autofree guint8 *bytes = g_malloc (n_bytes);
  GString *out = g_string_sized_new (n_bytes * 2);

  tertulia_random_bytes (bytes, n_bytes);

  for (gsize i = 0; i < n_bytes; i++)
    {
      g_string_append_c (out, hex[bytes[i] >> 4]);
      g_string_append_c (out, hex[bytes[i] & 0xf]);
    }

  return g_string_free (out, FALSE);
}

/* Keeps @self alive and holds back notifications while it handles
 * something from the outside: a "notify" handler may shut the server down
 * or drop it, and must not do so while we are halfway through a frame.
 */
void
_tertulia_server_enter (TertuliaServer *self)
{
  g_object_ref (self);
  g_object_freeze_notify (G_OBJECT (self));
}

void
_tertulia_server_leave (TertuliaServer *self)
{
  g_object_thaw_notify (G_OBJECT (self));
  g_object_unref (self);
}

/* A host that did not run for a while (suspended, swapped out, stopped in
 * a debugger) wakes with its timers overdue, and they fire before the
 * input that waited is read: a deadline that ran out while it slept would
 * fall on guests that did nothing wrong. The guard batch notices such
 * stalls (tertulia-server-batch.c); the deadlines count from the end of
 * the last one, as the keepalive does. A guest loses nothing for it, and
 * gets at most a deadline's worth more.
 */
gint64
_tertulia_server_running_msec (TertuliaServer *self,
                               gint64          start)
{
  gint64 since = MAX (start, tertulia_guard_batch_get_stall_end (self->batch));

  return MAX (g_get_monotonic_time () - since, 0) / 1000;
}

void
_tertulia_server_notify_n_participants (TertuliaServer *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PARTICIPANTS]);
}

void
_tertulia_server_notify_topic (TertuliaServer *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOPIC]);
}


/* GObject */

static void
server_shutdown (TertuliaServer *self,
                 const char     *reason,
                 gboolean        notify)
{
  g_autoptr(GPtrArray) sessions = NULL;
  g_autoptr(GPtrArray) turned_away = NULL;
  g_autoptr(GPtrArray) participants = NULL;

  if (self->shut_down)
    return;

  self->shut_down = TRUE;

  if (reason == NULL)
    reason = DEFAULT_CLOSE_REASON;

  g_debug ("shutting down: %s", reason);

  /* Closing may make libsoup report errors synchronously; work on arrays
   * that nothing else touches any more.
   */
  sessions = g_steal_pointer (&self->sessions);
  self->sessions = g_ptr_array_new ();
  turned_away = g_steal_pointer (&self->turned_away);
  self->turned_away = g_ptr_array_new ();
  participants = g_steal_pointer (&self->participants);
  self->participants = g_ptr_array_new ();
  g_hash_table_remove_all (self->by_token);
  g_hash_table_remove_all (self->by_nick_key);

  /* The sessions free themselves when their connections report "closed". */
  for (guint i = 0; i < turned_away->len; i++)
    _tertulia_session_detach (g_ptr_array_index (turned_away, i));

  for (guint i = 0; i < sessions->len; i++)
    {
      Session *session = g_ptr_array_index (sessions, i);

      _tertulia_session_detach (session);
      _tertulia_session_close (session, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, reason);
    }

  g_hash_table_remove_all (self->addresses);

  for (guint i = 0; i < participants->len; i++)
    _tertulia_server_participant_free (g_ptr_array_index (participants, i));

  if (self->files != NULL)
    _tertulia_files_stop (self->files);
  if (self->http != NULL)
    _tertulia_http_stop (self->http);
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);

  if (self->store != NULL)
    tertulia_store_flush (self->store);

  if (notify && participants->len > 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PARTICIPANTS]);
}

static void
tertulia_server_constructed (GObject *object)
{
  TertuliaServer *self = (TertuliaServer *) object;

  G_OBJECT_CLASS (tertulia_server_parent_class)->constructed (object);

  self->soup = soup_server_new ("server-header", "tertulia/" PACKAGE_VERSION " ", NULL);
  self->http = _tertulia_http_new (self->soup, &self->max_connections_per_address);
  self->files = _tertulia_files_new (self);
  _tertulia_server_add_handlers (self);
}

static void
tertulia_server_dispose (GObject *object)
{
  TertuliaServer *self = (TertuliaServer *) object;

  server_shutdown (self, NULL, FALSE);
  g_clear_pointer (&self->http, _tertulia_http_free);
  g_clear_object (&self->soup);
  g_clear_pointer (&self->files, _tertulia_files_free);

  G_OBJECT_CLASS (tertulia_server_parent_class)->dispose (object);
}

static void
tertulia_server_finalize (GObject *object)
{
  TertuliaServer *self = (TertuliaServer *) object;

  _tertulia_server_tls_finalize (self);
  g_clear_pointer (&self->ring, g_ptr_array_unref);
  /* Its last writes are committed as it goes */
  g_clear_object (&self->store);

  g_clear_pointer (&self->sessions, g_ptr_array_unref);
  g_clear_pointer (&self->turned_away, g_ptr_array_unref);
  g_clear_pointer (&self->participants, g_ptr_array_unref);
  g_clear_pointer (&self->by_token, g_hash_table_unref);
  g_clear_pointer (&self->by_nick_key, g_hash_table_unref);
  _tertulia_server_room_finalize (self);
  g_clear_pointer (&self->addresses, g_hash_table_unref);
  _tertulia_server_turn_finalize (self);
  /* Its streams may outlive the server */
  if (self->batch != NULL)
    tertulia_guard_batch_set_before_send (self->batch, NULL, NULL);
  g_clear_pointer (&self->batch, tertulia_guard_batch_unref);
  g_clear_pointer (&self->password, tertulia_password_hash_free);
  g_clear_pointer (&self->room_name, g_free);
  g_clear_pointer (&self->room_id, g_free);
  g_clear_pointer (&self->topic, g_free);
  g_clear_pointer (&self->host_key, g_free);

  G_OBJECT_CLASS (tertulia_server_parent_class)->finalize (object);
}

/* The host sets the name (tertulia-server checks it for the user); a bad
 * one is made usable here rather than sent to every guest.
 */
static char *
dup_room_name (const char *name)
{
  g_autofree char *stripped = NULL;

  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    return g_strdup (DEFAULT_ROOM_NAME);

  stripped = g_strstrip (g_strdup (name));
  if (stripped[0] == '\0')
    return g_strdup (DEFAULT_ROOM_NAME);

  if (g_utf8_strlen (stripped, -1) > TERTULIA_MAX_ROOM_NAME_CHARS)
    {
      g_debug ("room name “%s” is too long; shortening it", stripped);
      return g_utf8_substring (stripped, 0, TERTULIA_MAX_ROOM_NAME_CHARS);
    }

  return g_steal_pointer (&stripped);
}

static void
tertulia_server_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TertuliaServer *self = TERTULIA_SERVER (object);

  switch (prop_id)
    {
    case PROP_ROOM_NAME:
      g_value_set_string (value, self->room_name);
      break;

    case PROP_TOPIC:
      g_value_set_string (value, self->topic);
      break;

    case PROP_HISTORY_SIZE:
      g_value_set_uint (value, self->history_size);
      break;

    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;

    case PROP_N_PARTICIPANTS:
      g_value_set_uint (value, self->participants->len);
      break;

    case PROP_HOST_KEY:
      g_value_set_string (value, self->host_key);
      break;

    case PROP_PASSWORD_REQUIRED:
      g_value_set_boolean (value, self->password != NULL);
      break;

    default:
      if (!_tertulia_server_tls_get_property (self, prop_id, value))
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tertulia_server_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TertuliaServer *self = TERTULIA_SERVER (object);

  switch (prop_id)
    {
    case PROP_ROOM_NAME:
      g_free (self->room_name);
      self->room_name = dup_room_name (g_value_get_string (value));
      break;

    case PROP_HISTORY_SIZE:
      self->history_size = g_value_get_uint (value);
      break;

    default:
      if (!_tertulia_server_tls_set_property (self, prop_id, value))
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tertulia_server_class_init (TertuliaServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = tertulia_server_constructed;
  object_class->dispose = tertulia_server_dispose;
  object_class->finalize = tertulia_server_finalize;
  object_class->get_property = tertulia_server_get_property;
  object_class->set_property = tertulia_server_set_property;

  properties[PROP_ROOM_NAME] =
    g_param_spec_string ("room-name", NULL, NULL,
                         DEFAULT_ROOM_NAME,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TOPIC] =
    g_param_spec_string ("topic", NULL, NULL,
                         "",
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_HISTORY_SIZE] =
    g_param_spec_uint ("history-size", NULL, NULL,
                       1, G_MAXINT, TERTULIA_DEFAULT_HISTORY,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL,
                       0, G_MAXUINT16, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_N_PARTICIPANTS] =
    g_param_spec_uint ("n-participants", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_HOST_KEY] =
    g_param_spec_string ("host-key", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_PASSWORD_REQUIRED] =
    g_param_spec_boolean ("password-required", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
  _tertulia_server_tls_install_properties (object_class, N_PROPS);
}

static void
tertulia_server_init (TertuliaServer *self)
{
  self->room_name = g_strdup (DEFAULT_ROOM_NAME);
  self->topic = g_strdup ("");
  self->host_key = _tertulia_random_hex (SECRET_BYTES);
  self->room_id = _tertulia_random_hex (8);
  self->history_size = TERTULIA_DEFAULT_HISTORY;
  self->ring = g_ptr_array_new_with_free_func ((GDestroyNotify) _tertulia_event_unref);
  self->sessions = g_ptr_array_new ();
  self->turned_away = g_ptr_array_new ();
  self->addresses = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) _tertulia_address_free);
  self->participants = g_ptr_array_new ();
  self->batch = tertulia_guard_batch_new ();
  _tertulia_server_turn_init (self);
  self->by_token = g_hash_table_new (g_str_hash, g_str_equal);
  self->by_nick_key = g_hash_table_new (g_str_hash, g_str_equal);
  self->next_id = 1;
  self->handshake_timeout_msec = TERTULIA_HANDSHAKE_TIMEOUT_SECONDS * 1000;
  self->resume_grace_msec = TERTULIA_RESUME_GRACE_SECONDS * 1000;
  self->ping_seconds = TERTULIA_PING_SECONDS;
  self->idle_timeout_msec = TERTULIA_IDLE_TIMEOUT_SECONDS * 1000;
  self->rate_burst = TERTULIA_RATE_BURST;
  self->rate_per_second = TERTULIA_RATE_PER_SECOND;
  self->max_connections = TERTULIA_MAX_CONNECTIONS;
  self->max_connections_per_address = TERTULIA_MAX_CONNECTIONS_PER_ADDRESS;
  self->max_queued_bytes = TERTULIA_MAX_QUEUED_BYTES;
  self->password_retry_msec = TERTULIA_PASSWORD_RETRY_SECONDS * 1000;
  self->password_iterations = TERTULIA_PASSWORD_ITERATIONS;
}


/* Public API */

TertuliaServer *
tertulia_server_new (const char *room_name)
{
  return tertulia_server_new_full (room_name, TERTULIA_DEFAULT_HISTORY);
}

TertuliaServer *
tertulia_server_new_full (const char *room_name,
                          guint       history_size)
{
  g_return_val_if_fail (room_name != NULL, NULL);
  g_return_val_if_fail (history_size > 0, NULL);

  return g_object_new (TERTULIA_TYPE_SERVER,
                       "room-name", room_name,
                       "history-size", history_size,
                       NULL);
}

/* Every event a guest receives is committed first (see
 * tertulia_guard_batch_set_before_send())
 */
static void
server_before_send_cb (gpointer user_data)
{
  TertuliaServer *self = user_data;

  /* Called for each guest's send: the flag keeps that cheap */
  if (self->store_dirty)
    {
      self->store_dirty = FALSE;
      tertulia_store_flush (self->store);
    }
}

TertuliaServer *
tertulia_server_new_with_store (const char    *room_name,
                                guint          history_size,
                                TertuliaStore *store)
{
  TertuliaServer *self;

  g_return_val_if_fail (TERTULIA_IS_STORE (store), NULL);

  self = tertulia_server_new_full (room_name, history_size);
  if (self == NULL)
    return NULL;

  self->store = g_object_ref (store);
  _tertulia_server_restore (self);
  tertulia_guard_batch_set_before_send (self->batch, server_before_send_cb, self);

  return self;
}

TertuliaStore *
tertulia_server_get_store (TertuliaServer *self)
{
  g_return_val_if_fail (TERTULIA_IS_SERVER (self), NULL);

  return self->store;
}

gboolean
tertulia_server_listen (TertuliaServer  *self,
                        const char      *bind_address,
                        guint            port,
                        GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean listening;

  g_return_val_if_fail (TERTULIA_IS_SERVER (self), FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->shut_down)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED,
                           _("The room has already been closed."));
      return FALSE;
    }

  if (self->port != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                           _("The room is already open."));
      return FALSE;
    }

  if (bind_address == NULL)
    {
      listening = _tertulia_http_listen (self->http, NULL, port, &local_error);
    }
  else
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (bind_address);

      if (address == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       /* Translators: %s is what the user gave as the address to listen on */
                       _("“%s” is not an IP address."), bind_address);
          return FALSE;
        }

      listening = _tertulia_http_listen (self->http, address, port, &local_error);
    }

  if (!listening)
    {
      g_debug ("listening on %s port %u failed: %s",
               bind_address != NULL ? bind_address : "every address", port, local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  self->port = _tertulia_http_get_port (self->http);
  g_debug ("listening on %s port %u", bind_address != NULL ? bind_address : "every address", self->port);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);

  return TRUE;
}

guint
tertulia_server_get_port (TertuliaServer *self)
{
  g_return_val_if_fail (TERTULIA_IS_SERVER (self), 0);

  return self->port;
}

const char *
tertulia_server_get_room_name (TertuliaServer *self)
{
  g_return_val_if_fail (TERTULIA_IS_SERVER (self), NULL);

  return self->room_name;
}

const char *
tertulia_server_get_topic (TertuliaServer *self)
{
  g_return_val_if_fail (TERTULIA_IS_SERVER (self), NULL);

  return self->topic;
}

const char *
tertulia_server_get_host_key (TertuliaServer *self)
{
  g_return_val_if_fail (TERTULIA_IS_SERVER (self), NULL);

  return self->host_key;
}

guint
tertulia_server_get_n_participants (TertuliaServer *self)
{
  g_return_val_if_fail (TERTULIA_IS_SERVER (self), 0);

  return self->participants->len;
}

guint
tertulia_server_get_history_size (TertuliaServer *self)
{
  g_return_val_if_fail (TERTULIA_IS_SERVER (self), 0);

  return self->history_size;
}

void
tertulia_server_shutdown (TertuliaServer *self,
                          const char     *reason)
{
  g_return_if_fail (TERTULIA_IS_SERVER (self));

  g_object_ref (self);
  server_shutdown (self, reason, TRUE);
  g_object_unref (self);
}

void
tertulia_server_set_password (TertuliaServer *self,
                              const char     *password)
{
  gboolean was_required;

  g_return_if_fail (TERTULIA_IS_SERVER (self));
  g_return_if_fail (password == NULL || g_utf8_validate (password, -1, NULL));
  g_return_if_fail (password == NULL || g_utf8_strlen (password, -1) <= TERTULIA_MAX_PASSWORD_CHARS);

  was_required = self->password != NULL;
  g_clear_pointer (&self->password, tertulia_password_hash_free);

  if (password != NULL && password[0] != '\0')
    self->password = tertulia_password_hash_new (password, self->password_iterations);

  g_debug ("the room %s a password", self->password != NULL ? "needs" : "does not need");

  if (was_required != (self->password != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PASSWORD_REQUIRED]);
}

gboolean
tertulia_server_get_password_required (TertuliaServer *self)
{
  g_return_val_if_fail (TERTULIA_IS_SERVER (self), FALSE);

  return self->password != NULL;
}

void
tertulia_server_set_max_connections (TertuliaServer *self,
                                     guint           max_connections,
                                     guint           max_per_address)
{
  g_return_if_fail (TERTULIA_IS_SERVER (self));

  self->max_connections = max_connections;
  self->max_connections_per_address = max_per_address;
}

void
_tertulia_server_set_deadlines (TertuliaServer *self,
                                guint           handshake_timeout_msec,
                                guint           resume_grace_msec)
{
  g_return_if_fail (TERTULIA_IS_SERVER (self));

  if (handshake_timeout_msec > 0)
    self->handshake_timeout_msec = handshake_timeout_msec;
  if (resume_grace_msec > 0)
    self->resume_grace_msec = resume_grace_msec;
}

guint
_tertulia_server_get_n_connections (TertuliaServer *self)
{
  g_return_val_if_fail (TERTULIA_IS_SERVER (self), 0);

  return self->sessions->len;
}

void
_tertulia_server_set_keepalive (TertuliaServer *self,
                                guint           ping_seconds,
                                guint           idle_timeout_msec)
{
  g_return_if_fail (TERTULIA_IS_SERVER (self));

  if (ping_seconds > 0)
    self->ping_seconds = ping_seconds;
  if (idle_timeout_msec > 0)
    self->idle_timeout_msec = idle_timeout_msec;
}

void
_tertulia_server_set_http_timeouts (TertuliaServer *self,
                                    guint           headers_msec,
                                    guint           idle_msec)
{
  g_return_if_fail (TERTULIA_IS_SERVER (self));

  _tertulia_http_set_timeouts (self->http, headers_msec, idle_msec);
}

void
_tertulia_server_set_rate_limit (TertuliaServer *self,
                                 guint           burst,
                                 guint           per_second)
{
  g_return_if_fail (TERTULIA_IS_SERVER (self));

  self->rate_burst = burst;
  self->rate_per_second = per_second;
}

void
_tertulia_server_set_max_queued (TertuliaServer *self,
                                 gsize           max_queued_bytes)
{
  g_return_if_fail (TERTULIA_IS_SERVER (self));
  g_return_if_fail (max_queued_bytes > 0);

  self->max_queued_bytes = max_queued_bytes;
}

void
_tertulia_server_set_password_retry (TertuliaServer *self,
                                     guint           msec)
{
  g_return_if_fail (TERTULIA_IS_SERVER (self));

  self->password_retry_msec = msec;
}

void
_tertulia_server_set_password_iterations (TertuliaServer *self,
                                          guint           iterations)
{
  g_return_if_fail (TERTULIA_IS_SERVER (self));
  g_return_if_fail (iterations > 0);

  self->password_iterations = iterations;
}

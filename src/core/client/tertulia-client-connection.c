/* tertulia-client-connection.c — the life of one connection to the room
 *
 * A TertuliaClient's connection goes: attempt (WebSocket connect, hello)
 * → welcome → frames applied to the room → dropped (closed, silent past
 * the keep-alive, or refused) → the reconnect policy says when to try
 * again. This file is that state machine and the wire; the public API is
 * in tertulia-client.c.
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tertulia-address.h"
#include "tertulia-client-private.h"
#include "tertulia-util-private.h"

/* A whole attempt, from the TCP connect to the welcome, may take this long
 * before we say nobody answered: typing a dead LAN address must not hang.
 */
#define ATTEMPT_TIMEOUT_SECONDS   10

/* libsoup pings every KEEPALIVE_SECONDS and the host answers with a pong;
 * silence for SILENCE_LIMIT_SECONDS means the host is gone (a laptop lid
 * closed does not send a close frame), which TCP alone notices only after
 * many minutes.
 */
#define KEEPALIVE_SECONDS         10
#define SILENCE_LIMIT_SECONDS     30

/* A welcome carries the whole history ring in one WebSocket message: up to
 * 500 events of up to 4000 characters, each at most 4 bytes of UTF-8 on the
 * wire (tab and newline escape to 2), plus the frame around them, plus the
 * participant list. Every other server frame is under TERTULIA_MAX_FRAME_BYTES.
 */
#define MAX_INCOMING_BYTES \
  ((guint64) TERTULIA_DEFAULT_HISTORY * (TERTULIA_MAX_TEXT_CHARS * 4 + 1024) + 4 * 1024 * 1024)

/* One connection attempt in flight. It holds no reference to the client, so
 * dropping the client does not wait for a dead address to time out.
 */
typedef struct
{
  GWeakRef      client;
  GCancellable *cancellable;
  SoupMessage  *msg;
} Attempt;

static void
attempt_free (Attempt *attempt)
{
  g_weak_ref_clear (&attempt->client);
  g_clear_object (&attempt->cancellable);
  g_clear_object (&attempt->msg);
  g_free (attempt);
}

static char *
describe_unreachable (TertuliaClient *self)
{
  /* Translators: %s is an address such as 192.168.1.20:7878 */
  return g_strdup_printf (_("No Tertulia room answered at %s."), self->display_name);
}

static void
connection_closed_after_leaving_cb (SoupWebsocketConnection *connection,
                                    gpointer                 user_data)
{
  g_debug ("A connection we left is closed (code %u)",
           soup_websocket_connection_get_close_code (connection));
  g_object_unref (connection);
}

/* Drops the current connection. An open one is closed cleanly (1000), and
 * kept alive until the close handshake ends, so the close frame really
 * goes out and the host announces the leave at once.
 */
static void
release_connection (TertuliaClient *self)
{
  SoupWebsocketConnection *connection = g_steal_pointer (&self->connection);

  _tertulia_outbox_clear (self->outbox);
  self->welcomed = FALSE;
  _tertulia_client_moderation_connection_gone (self); /* issue 18 */
  /* Its answer would come on this connection: the caller may ask again */
  _tertulia_client_set_fetching_history (self, FALSE);
  g_clear_handle_id (&self->liveness_id, g_source_remove);

  if (connection == NULL)
    return;

  g_signal_handlers_disconnect_by_data (connection, self);

  switch (soup_websocket_connection_get_state (connection))
    {
    case SOUP_WEBSOCKET_STATE_OPEN:
      soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      G_GNUC_FALLTHROUGH;
    case SOUP_WEBSOCKET_STATE_CLOSING:
      /* libsoup gives a silent peer 5 seconds, then closes anyway. */
      g_signal_connect (connection, "closed",
                        G_CALLBACK (connection_closed_after_leaving_cb), NULL);
      break;
    case SOUP_WEBSOCKET_STATE_CLOSED:
    default:
      g_object_unref (connection);
      break;
    }
}

/* Stops the attempt under way, if any. */
static void
stop_attempt (TertuliaClient *self)
{
  g_clear_handle_id (&self->attempt_timeout_id, g_source_remove);
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }
}

static void
stop_retry_timers (TertuliaClient *self)
{
  _tertulia_reconnect_stop (self->reconnect);
}

static void
reconnect_countdown_cb (guint    seconds,
                        gpointer user_data)
{
  _tertulia_client_set_retry_seconds (user_data, seconds);
}

static void
reconnect_retry_cb (gpointer user_data)
{
  _tertulia_client_start_attempt (user_data);
}

static void
schedule_retry (TertuliaClient *self)
{
  _tertulia_reconnect_schedule (self->reconnect);
}

/* The attempt under way did not end in a welcome. */
static void
attempt_failed (TertuliaClient      *self,
                TertuliaClientError  code,
                const char          *message)
{
  g_autoptr(GError) error = g_error_new_literal (TERTULIA_CLIENT_ERROR, code, message);

  g_object_ref (self);

  g_debug ("%s: attempt failed: %s", self->display_name, message);

  stop_attempt (self);
  release_connection (self);

  if (self->ever_connected)
    {
      schedule_retry (self);
      _tertulia_client_set_state (self, TERTULIA_CONNECTION_RECONNECTING);
    }
  else
    {
      stop_retry_timers (self);
      _tertulia_client_set_retry_seconds (self, 0);
      _tertulia_client_set_state_reason (self, message);
      _tertulia_client_set_state (self, TERTULIA_CONNECTION_DISCONNECTED);
    }

  _tertulia_client_complete_pending_tasks (self, error);

  g_object_unref (self);
}

/* The room refused us before the welcome (e.g. a nickname it does not
 * accept, or a password it wants): trying again would only be refused
 * again.
 */
static void
refused (TertuliaClient      *self,
         TertuliaClientError  code,
         const char          *sentence)
{
  g_autoptr(GError) error = NULL;

  error = g_error_new_literal (TERTULIA_CLIENT_ERROR, code, sentence);

  g_object_ref (self);

  stop_attempt (self);
  stop_retry_timers (self);
  release_connection (self);
  self->ever_connected = FALSE;

  _tertulia_client_set_retry_seconds (self, 0);
  _tertulia_client_set_state_reason (self, sentence);
  _tertulia_client_set_state (self, TERTULIA_CONNECTION_DISCONNECTED);

  _tertulia_client_complete_pending_tasks (self, error);

  g_object_unref (self);
}

/* A connection that had its welcome ended without us asking. */
static void
connection_lost (TertuliaClient *self,
                 gushort         close_code)
{
  const char *reason;

  /* issue 18: kicked or banned, there is no coming back */
  if (self->removed_reason != NULL)
    {
      g_autofree char *removed = g_strdup (self->removed_reason);

      tertulia_room_clear_participants (self->room);
      /* Before the state changes, so whoever watches it knows why */
      _tertulia_client_set_removed (self, TRUE);
      refused (self, TERTULIA_CLIENT_ERROR_REFUSED, removed);
      return;
    }

  if (close_code == SOUP_WEBSOCKET_CLOSE_GOING_AWAY)
    reason = _("The host closed the room.");
  else
    reason = _("The connection to the room was lost.");

  g_object_ref (self);

  stop_attempt (self);
  release_connection (self);

  /* The log says so once per outage, however many retries follow; the
   * people listed before may be gone by now, so nobody is listed.
   */
  if (!self->away)
    {
      self->away = TRUE;
      tertulia_room_add_notice (self->room, reason);
    }
  tertulia_room_clear_participants (self->room);

  _tertulia_reconnect_reset (self->reconnect);
  _tertulia_client_set_state_reason (self, reason);
  schedule_retry (self);
  _tertulia_client_set_state (self, TERTULIA_CONNECTION_RECONNECTING);

  g_object_unref (self);
}

gboolean
_tertulia_client_send_frame (TertuliaClient      *self,
            const TertuliaFrame *frame)
{
  g_autofree char *json = NULL;

  if (self->connection == NULL ||
      soup_websocket_connection_get_state (self->connection) != SOUP_WEBSOCKET_STATE_OPEN)
    return FALSE;

  json = tertulia_protocol_serialize (frame);
  soup_websocket_connection_send_text (self->connection, json);

  return TRUE;
}

static gboolean
outbox_send_cb (TertuliaMessage *message,
                gpointer         user_data)
{
  TertuliaClient *self = user_data;
  g_autoptr(TertuliaFrame) frame = tertulia_frame_new (TERTULIA_FRAME_SAY);

  frame->cid = g_strdup (tertulia_message_get_cid (message));
  frame->kind = tertulia_message_get_kind (message);
  frame->text = g_strdup (tertulia_message_get_text (message));
  frame->reply_to = tertulia_message_get_reply_to_seq (message);  /* issue 19 */

  return _tertulia_client_send_frame (self, frame);
}

static void
send_hello (TertuliaClient *self)
{
  g_autoptr(TertuliaFrame) hello = tertulia_frame_new (TERTULIA_FRAME_HELLO);
  TertuliaParticipant *you = tertulia_room_get_you (self->room);

  hello->version = TERTULIA_PROTOCOL_VERSION;
  /* After a rename, coming back (even as a new participant) keeps the
   * nickname people know you by.
   */
  if (you != NULL)
    hello->nick = g_strdup (tertulia_participant_get_nickname (you));
  else
    hello->nick = g_strdup (self->nickname);
  hello->client_name = g_strdup ("tertulia/" PACKAGE_VERSION);
  hello->host_key = g_strdup (self->host_key);
  hello->password = g_strdup (self->password);

  if (self->resume_token != NULL)
    {
      hello->has_resume = TRUE;
      hello->resume_token = g_strdup (self->resume_token);
      hello->last_seq = tertulia_room_get_last_seq (self->room);
      hello->last_private = tertulia_room_get_last_private_id (self->room); /* issue 18 */
    }

  _tertulia_client_send_frame (self, hello);
}

static gboolean
liveness_cb (gpointer user_data)
{
  TertuliaClient *self = user_data;

  if (g_get_monotonic_time () - self->last_heard < (gint64) self->silence_limit_msec * 1000)
    return G_SOURCE_CONTINUE;

  g_debug ("%s: nothing heard for %u ms", self->display_name, self->silence_limit_msec);
  self->liveness_id = 0;

  /* Not the normal close that release_connection() would send: a host
   * that is only frozen (a laptop lid closed) would read it, when it wakes,
   * as us leaving, and our session could not be resumed.
   */
  if (soup_websocket_connection_get_state (self->connection) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (self->connection, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
  connection_lost (self, SOUP_WEBSOCKET_CLOSE_ABNORMAL);

  return G_SOURCE_REMOVE;
}

static void
handle_welcome (TertuliaClient      *self,
                const TertuliaFrame *welcome)
{
  SoupWebsocketConnection *connection = self->connection;
  g_autofree char *room_id = NULL;

  if (self->welcomed)
    {
      g_debug ("%s: ignoring a second welcome", self->display_name);
      return;
    }

  room_id = g_strdup (tertulia_room_get_id (self->room));

  g_clear_handle_id (&self->attempt_timeout_id, g_source_remove);
  g_clear_object (&self->cancellable);

  self->welcomed = TRUE;
  self->ever_connected = TRUE;
  _tertulia_reconnect_reset (self->reconnect);
  _tertulia_set_str (&self->resume_token, welcome->resume_token);
  _tertulia_client_files_welcome (self, welcome);

  _tertulia_outbox_set_rate (self->outbox, welcome->limits.rate_burst,
                             welcome->limits.rate_per_second);
  tertulia_room_apply_welcome (self->room, welcome);
  _tertulia_client_moderation_welcome (self); /* issue 18 */

  /* The end of an outage, in the same room (another room says so itself). */
  if (self->away)
    {
      self->away = FALSE;
      if (g_strcmp0 (room_id, tertulia_room_get_id (self->room)) == 0)
        tertulia_room_add_notice (self->room, _("You are back in the room."));
    }

  /* Whoever watches the room may have left it meanwhile. */
  if (self->connection != connection)
    return;

  g_clear_handle_id (&self->liveness_id, g_source_remove);
  /* Looked at six times per limit, so silence is noticed at most a sixth
   * of the limit late.
   */
  self->liveness_id = g_timeout_add (MAX (self->silence_limit_msec / 6, 1), liveness_cb, self);

  stop_retry_timers (self);
  _tertulia_client_set_retry_seconds (self, 0);
  _tertulia_client_set_state_reason (self, NULL);
  _tertulia_client_set_state (self, TERTULIA_CONNECTION_CONNECTED);

  if (self->connection != connection)
    return;

  _tertulia_outbox_refill (self->outbox, self->room);

  _tertulia_client_complete_pending_tasks (self, NULL);
}

static void
handle_error (TertuliaClient      *self,
              const TertuliaFrame *frame)
{
  const char *sentence = tertulia_protocol_describe_error (frame->code, frame->message);

  g_debug ("%s: the room says %s: %s", self->display_name, frame->code, frame->message);

  _tertulia_client_emit_server_error (self, frame->code, frame->message, frame->cid);

  /* issue 18: kicked or banned (the close follows), or a private message refused */
  if (_tertulia_client_moderation_error (self, frame))
    return;

  if (_tertulia_client_history_refused (self, frame))
    return;

  if (!self->welcomed)
    {
      TertuliaClientError code = TERTULIA_CLIENT_ERROR_REFUSED;

      /* The UI asks for the password, then retries */
      if (g_strcmp0 (frame->code, TERTULIA_ERROR_PASSWORD_REQUIRED) == 0)
        code = TERTULIA_CLIENT_ERROR_PASSWORD_REQUIRED;
      else if (g_strcmp0 (frame->code, TERTULIA_ERROR_PASSWORD_WRONG) == 0)
        code = TERTULIA_CLIENT_ERROR_PASSWORD_WRONG;

      refused (self, code, sentence);
      return;
    }

  tertulia_room_add_notice (self->room, sentence);

  if (frame->cid != NULL)
    {
      TertuliaMessage *message = tertulia_room_find_own_message (self->room, frame->cid);

      if (message != NULL &&
          tertulia_message_get_state (message) == TERTULIA_MESSAGE_STATE_SENDING)
        tertulia_message_mark_failed (message, sentence);
    }
}

static void
connection_message_cb (SoupWebsocketConnection *connection,
                       SoupWebsocketDataType    type,
                       GBytes                  *bytes,
                       gpointer                 user_data)
{
  g_autoptr(TertuliaClient) self = g_object_ref (user_data);
  g_autoptr(TertuliaFrame) frame = NULL;
  g_autoptr(GError) error = NULL;
  const char *data;
  gsize length;

  self->last_heard = g_get_monotonic_time ();

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    {
      g_debug ("%s: ignoring a binary message", self->display_name);
      return;
    }

  data = g_bytes_get_data (bytes, &length);
  frame = tertulia_protocol_parse_server_frame (data, length, &error);
  if (frame == NULL)
    {
      g_debug ("%s: ignoring a frame: %s", self->display_name, error->message);
      return;
    }

  switch (frame->type)
    {
    case TERTULIA_FRAME_WELCOME:
      handle_welcome (self, frame);
      break;

    case TERTULIA_FRAME_MESSAGE:
    case TERTULIA_FRAME_JOIN:
    case TERTULIA_FRAME_LEAVE:
    case TERTULIA_FRAME_RENAME:
    case TERTULIA_FRAME_TOPIC:
    case TERTULIA_FRAME_FILE:
    case TERTULIA_FRAME_FILE_REMOVED:
    case TERTULIA_FRAME_REACTION:  /* issue 19 */
    case TERTULIA_FRAME_EDIT:
    case TERTULIA_FRAME_DELETE:
      if (self->welcomed)
        tertulia_room_apply_event (self->room, frame);
      else
        g_debug ("%s: ignoring an event before the welcome", self->display_name);
      break;

    case TERTULIA_FRAME_ERROR:
      handle_error (self, frame);
      break;

    case TERTULIA_FRAME_HISTORY:
      _tertulia_client_handle_history (self, frame);
      break;

    case TERTULIA_FRAME_TYPING:  /* issue 19: not an event */
      if (self->welcomed)
        tertulia_room_apply_typing (self->room, frame);
      break;

    /* issue 18 */
    case TERTULIA_FRAME_MODERATION:
      if (self->welcomed && tertulia_room_apply_event (self->room, frame))
        _tertulia_client_moderation_event (self, frame);
      break;

    case TERTULIA_FRAME_BANS:
      _tertulia_client_handle_bans (self, frame);
      break;

    case TERTULIA_FRAME_PRIVATE:
      _tertulia_client_handle_private (self, frame);
      break;

    case TERTULIA_FRAME_KICK: case TERTULIA_FRAME_BAN: case TERTULIA_FRAME_UNBAN:
    case TERTULIA_FRAME_FETCH_BANS: case TERTULIA_FRAME_MUTE: case TERTULIA_FRAME_UNMUTE:
    case TERTULIA_FRAME_SLOW: case TERTULIA_FRAME_LOCK: case TERTULIA_FRAME_OP:
    case TERTULIA_FRAME_SET_PRIVATE_MESSAGES: case TERTULIA_FRAME_MSG:
    case TERTULIA_FRAME_HELLO:
    case TERTULIA_FRAME_SAY:
    case TERTULIA_FRAME_NICK:
    case TERTULIA_FRAME_SET_TOPIC:
    case TERTULIA_FRAME_FETCH_HISTORY:
    case TERTULIA_FRAME_REACT:  /* issue 19 */
    case TERTULIA_FRAME_EDIT_MESSAGE:
    case TERTULIA_FRAME_DELETE_MESSAGE:
    case TERTULIA_FRAME_SET_TYPING:
    default:
      g_debug ("%s: ignoring a frame of type %d", self->display_name, frame->type);
      break;
    }
}

static void
connection_pong_cb (SoupWebsocketConnection *connection,
                    GBytes                  *bytes,
                    gpointer                 user_data)
{
  TertuliaClient *self = user_data;

  self->last_heard = g_get_monotonic_time ();
}

static void
connection_error_cb (SoupWebsocketConnection *connection,
                     GError                  *error,
                     gpointer                 user_data)
{
  TertuliaClient *self = user_data;

  /* "closed" follows and is what we act on. */
  g_debug ("%s: %s", self->display_name, error->message);
}

static void
connection_closed_cb (SoupWebsocketConnection *connection,
                      gpointer                 user_data)
{
  TertuliaClient *self = user_data;
  gushort code = soup_websocket_connection_get_close_code (connection);

  g_debug ("%s: the connection closed with code %u", self->display_name, code);

  if (self->welcomed)
    {
      connection_lost (self, code);
    }
  else if (code == SOUP_WEBSOCKET_CLOSE_GOING_AWAY)
    {
      attempt_failed (self, TERTULIA_CLIENT_ERROR_CLOSED, _("The host closed the room."));
    }
  else
    {
      g_autofree char *sentence = NULL;

      /* Translators: %s is an address such as 192.168.1.20:7878 */
      sentence = g_strdup_printf (_("%s closed the connection before letting you in."),
                                  self->display_name);
      attempt_failed (self, TERTULIA_CLIENT_ERROR_CLOSED, sentence);
    }
}

static void
websocket_connect_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Attempt *attempt = user_data;
  g_autoptr(TertuliaClient) self = NULL;
  g_autoptr(SoupWebsocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessage) msg = g_object_ref (attempt->msg);
  g_autofree char *sentence = NULL;
  TertuliaClientError code;
  gboolean retry_plain;

  connection = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &error);

  /* Superseded, left, timed out or the client is gone: whoever cancelled
   * has already said what happened.
   */
  if (g_cancellable_is_cancelled (attempt->cancellable) ||
      (self = g_weak_ref_get (&attempt->client)) == NULL)
    {
      attempt_free (attempt);
      return;
    }

  attempt_free (attempt);

  if (connection == NULL)
    {
      g_debug ("%s: could not connect: %s", self->display_name, error->message);

      if (_tertulia_client_tls_check_failed (self, error, &retry_plain, &code, &sentence))
        {
          if (retry_plain)
            {
              self->plain_attempt = TRUE;
              _tertulia_client_start_attempt (self);
            }
          else
            refused (self, code, sentence);
          return;
        }

      if (error->domain == SOUP_WEBSOCKET_ERROR || error->domain == SOUP_SESSION_ERROR)
        /* Translators: %s is an address such as 192.168.1.20:7878 */
        sentence = g_strdup_printf (_("%s answered, but it is not a Tertulia room."),
                                    self->display_name);
      else if (error->domain == G_TLS_ERROR)
        /* Translators: %s is an address such as chat.example.org:443 */
        sentence = g_strdup_printf (_("%s answered, but a secure connection to it could not be made."),
                                    self->display_name);
      else
        sentence = describe_unreachable (self);

      attempt_failed (self, TERTULIA_CLIENT_ERROR_UNREACHABLE, sentence);
      return;
    }

  self->connection = g_steal_pointer (&connection);
  self->last_heard = g_get_monotonic_time ();

  /* Before a word is said: the host's certificate, and a password that
   * would go out in plain text
   */
  if (!_tertulia_client_tls_check_connected (self, msg, &code, &sentence))
    {
      refused (self, code, sentence);
      return;
    }

  g_debug ("%s: connected (%s), saying hello", self->display_name,
           self->encrypted ? "encrypted" : "not encrypted");

  soup_websocket_connection_set_max_incoming_payload_size (self->connection, MAX_INCOMING_BYTES);
  soup_websocket_connection_set_keepalive_interval (self->connection, self->keepalive_seconds);

  g_signal_connect (self->connection, "message", G_CALLBACK (connection_message_cb), self);
  g_signal_connect (self->connection, "pong", G_CALLBACK (connection_pong_cb), self);
  g_signal_connect (self->connection, "error", G_CALLBACK (connection_error_cb), self);
  g_signal_connect (self->connection, "closed", G_CALLBACK (connection_closed_cb), self);

  send_hello (self);
}

static gboolean
attempt_timeout_cb (gpointer user_data)
{
  TertuliaClient *self = user_data;
  g_autofree char *sentence = describe_unreachable (self);

  self->attempt_timeout_id = 0;
  attempt_failed (self, TERTULIA_CLIENT_ERROR_UNREACHABLE, sentence);

  return G_SOURCE_REMOVE;
}

void
_tertulia_client_start_attempt (TertuliaClient *self)
{
  static const char *protocols[] = { TERTULIA_SUBPROTOCOL, NULL };
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  Attempt *attempt;

  g_assert (TERTULIA_IS_CLIENT (self));

  stop_attempt (self);
  stop_retry_timers (self);
  release_connection (self);
  /* Asked to try again: what the room says this time counts */
  _tertulia_client_set_removed (self, FALSE);
  _tertulia_client_set_retry_seconds (self, 0);
  _tertulia_client_set_state (self, self->ever_connected ? TERTULIA_CONNECTION_RECONNECTING
                                        : TERTULIA_CONNECTION_CONNECTING);

  uri = _tertulia_client_tls_attempt_uri (self, &error);
  /* One plain attempt after the host answered in plain text; the next
   * (a reconnection) tries TLS again
   */
  self->plain_attempt = FALSE;
  if (uri != NULL)
    message = soup_message_new (SOUP_METHOD_GET, uri);

  if (message == NULL)
    {
      g_autofree char *sentence = NULL;

      if (error != NULL)
        sentence = g_strdup (error->message);
      else
        /* Translators: %s is what the person typed as a room address */
        sentence = g_strdup_printf (_("“%s” is not a room address."), self->address);

      attempt_failed (self, TERTULIA_CLIENT_ERROR_UNREACHABLE, sentence);
      return;
    }

  g_debug ("%s: connecting to %s", self->display_name, uri);

  self->cancellable = g_cancellable_new ();
  attempt = g_new0 (Attempt, 1);
  g_weak_ref_init (&attempt->client, self);
  attempt->cancellable = g_object_ref (self->cancellable);
  attempt->msg = g_object_ref (message);
  _tertulia_client_tls_watch (self, message);

  soup_session_websocket_connect_async (self->session, message, NULL, (char **) protocols,
                                        G_PRIORITY_DEFAULT, self->cancellable,
                                        websocket_connect_cb, attempt);

  self->attempt_timeout_id = g_timeout_add_seconds (ATTEMPT_TIMEOUT_SECONDS,
                                                    attempt_timeout_cb, self);
}

/* Stops everything: no connection, no attempt, no timer. */
void
_tertulia_client_stop_everything (TertuliaClient *self)
{
  stop_attempt (self);
  stop_retry_timers (self);
  release_connection (self);
  self->ever_connected = FALSE;
  self->away = FALSE;
}

void
_tertulia_client_connection_init (TertuliaClient *self)
{
  self->outbox = _tertulia_outbox_new (outbox_send_cb, self);
  self->reconnect = _tertulia_reconnect_new (reconnect_retry_cb, reconnect_countdown_cb, self);
  self->keepalive_seconds = KEEPALIVE_SECONDS;
  self->silence_limit_msec = SILENCE_LIMIT_SECONDS * 1000;
}

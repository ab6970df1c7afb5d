/* tertulia-client.c — a guest: connects, says hello, keeps a TertuliaRoom current
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

/* A whole attempt, from the TCP connect to the welcome, may take this long
 * before we say nobody answered: typing a dead LAN address must not hang.
 */
#define ATTEMPT_TIMEOUT_SECONDS   10

/* Reconnection backoff: 0.5 s, doubling, at most 30 s, each ±20%. */
#define BACKOFF_FIRST_MS          500
#define BACKOFF_MAX_MS            30000
#define BACKOFF_JITTER            0.2

/* libsoup pings every KEEPALIVE_SECONDS and the host answers with a pong;
 * silence for SILENCE_LIMIT_SECONDS means the host is gone (a laptop lid
 * closed does not send a close frame), which TCP alone notices only after
 * many minutes.
 */
/* How much of the host's announced rate limit we use: the rest absorbs
 * frames that the network delivers bunched together.
 */
#define RATE_MARGIN               0.8
#define KEEPALIVE_SECONDS         10
#define SILENCE_LIMIT_SECONDS     30

/* A welcome carries the whole history ring in one WebSocket message: up to
 * 500 events of up to 4000 characters, each at most 4 bytes of UTF-8 on the
 * wire (tab and newline escape to 2), plus the frame around them, plus the
 * participant list. Every other server frame is under TERTULIA_MAX_FRAME_BYTES.
 */
#define MAX_INCOMING_BYTES \
  ((guint64) TERTULIA_DEFAULT_HISTORY * (TERTULIA_MAX_TEXT_CHARS * 4 + 1024) + 4 * 1024 * 1024)

struct _TertuliaClient
{
  GObject                  parent_instance;

  /* Owned references */
  TertuliaRoom            *room;
  SoupSession             *session;
  SoupWebsocketConnection *connection;
  GCancellable            *cancellable;     /* the attempt under way */
  GPtrArray               *pending_tasks;   /* GTask* of connect_async calls */

  char                    *address;
  char                    *display_name;
  char                    *nickname;
  char                    *host_key;
  char                    *password;
  char                    *resume_token;
  char                    *state_reason;
  char                    *cid_prefix;

  TertuliaConnectionState  state;
  guint                    retry_seconds;
  guint                    cid_counter;
  guint                    backoff_ms;

  guint                    attempt_timeout_id;
  guint                    retry_id;
  guint                    countdown_id;
  guint                    liveness_id;
  guint                    pace_id;

  /* Messages waiting for their turn on this connection, oldest first: the
   * room announces a rate limit, and sending within it means a pasted
   * screenful or a resent outbox is never refused.
   */
  GQueue                   pending_says;
  double                   tokens;
  gint64                   tokens_at;         /* monotonic µs */
  double                   rate_burst;
  double                   rate_per_second;
  /* KEEPALIVE_SECONDS and SILENCE_LIMIT_SECONDS, but for tests */
  guint                    keepalive_seconds;
  guint                    silence_limit_msec;
  gint64                   retry_deadline;    /* monotonic µs */
  gint64                   last_heard;        /* monotonic µs */

  /* A welcome arrived once: from then on, drops are retried on their own. */
  guint                    ever_connected : 1;
  /* The current connection got its welcome. */
  guint                    welcomed : 1;
};

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
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

enum {
  SERVER_ERROR,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

/* One connection attempt in flight. It holds no reference to the client, so
 * dropping the client does not wait for a dead address to time out.
 */
typedef struct
{
  GWeakRef      client;
  GCancellable *cancellable;
} Attempt;

static void start_attempt (TertuliaClient *self);
static void clear_pending_says (TertuliaClient *self);


static void
attempt_free (Attempt *attempt)
{
  g_weak_ref_clear (&attempt->client);
  g_clear_object (&attempt->cancellable);
  g_free (attempt);
}

static void
set_state (TertuliaClient          *self,
           TertuliaConnectionState  state)
{
  if (self->state == state)
    return;

  g_debug ("%s: state %d → %d", self->display_name, self->state, state);
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_state_reason (TertuliaClient *self,
                  const char     *reason)
{
  if (_tertulia_set_str (&self->state_reason, reason))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE_REASON]);
}

static void
set_retry_seconds (TertuliaClient *self,
                   guint           seconds)
{
  if (self->retry_seconds == seconds)
    return;

  self->retry_seconds = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRY_SECONDS]);
}

static char *
describe_unreachable (TertuliaClient *self)
{
  /* Translators: %s is an address such as 192.168.1.20:7878 */
  return g_strdup_printf (_("No Tertulia room answered at %s."), self->display_name);
}

/* Completes every connect_async() waiting: with success when @error is
 * NULL. Callbacks may run right away and do anything to the client, so
 * callers hold a reference and do this last.
 */
static void
complete_pending_tasks (TertuliaClient *self,
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

  clear_pending_says (self);
  self->welcomed = FALSE;
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
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->countdown_id, g_source_remove);
}

static gboolean
countdown_cb (gpointer user_data)
{
  TertuliaClient *self = user_data;
  gint64 remaining = self->retry_deadline - g_get_monotonic_time ();
  guint seconds = (guint) MAX ((remaining + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC, 1);

  set_retry_seconds (self, seconds);

  return G_SOURCE_CONTINUE;
}

static gboolean
retry_cb (gpointer user_data)
{
  TertuliaClient *self = user_data;

  self->retry_id = 0;
  g_clear_handle_id (&self->countdown_id, g_source_remove);
  start_attempt (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_retry (TertuliaClient *self)
{
  double jitter = 1.0 + BACKOFF_JITTER * (2.0 * g_random_double () - 1.0);
  guint delay_ms = (guint) (self->backoff_ms * jitter);

  stop_retry_timers (self);

  self->backoff_ms = MIN (self->backoff_ms * 2, BACKOFF_MAX_MS);
  self->retry_deadline = g_get_monotonic_time () + (gint64) delay_ms * 1000;
  self->retry_id = g_timeout_add (delay_ms, retry_cb, self);
  /* The countdown ticks once a second from now, so it stays in step with
   * the deadline's fractional part.
   */
  self->countdown_id = g_timeout_add (1000, countdown_cb, self);

  g_debug ("%s: retrying in %u ms", self->display_name, delay_ms);
  set_retry_seconds (self, (delay_ms + 999) / 1000);
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
      set_state (self, TERTULIA_CONNECTION_RECONNECTING);
    }
  else
    {
      stop_retry_timers (self);
      set_retry_seconds (self, 0);
      set_state_reason (self, message);
      set_state (self, TERTULIA_CONNECTION_DISCONNECTED);
    }

  complete_pending_tasks (self, error);

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

  set_retry_seconds (self, 0);
  set_state_reason (self, sentence);
  set_state (self, TERTULIA_CONNECTION_DISCONNECTED);

  complete_pending_tasks (self, error);

  g_object_unref (self);
}

/* A connection that had its welcome ended without us asking. */
static void
connection_lost (TertuliaClient *self,
                 gushort         close_code)
{
  const char *reason;

  if (close_code == SOUP_WEBSOCKET_CLOSE_GOING_AWAY)
    reason = _("The host closed the room.");
  else
    reason = _("The connection to the room was lost.");

  g_object_ref (self);

  stop_attempt (self);
  release_connection (self);

  self->backoff_ms = BACKOFF_FIRST_MS;
  set_state_reason (self, reason);
  schedule_retry (self);
  set_state (self, TERTULIA_CONNECTION_RECONNECTING);

  g_object_unref (self);
}

static gboolean
send_frame (TertuliaClient      *self,
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
send_say (TertuliaClient  *self,
          TertuliaMessage *message)
{
  g_autoptr(TertuliaFrame) frame = tertulia_frame_new (TERTULIA_FRAME_SAY);

  frame->cid = g_strdup (tertulia_message_get_cid (message));
  frame->kind = tertulia_message_get_kind (message);
  frame->text = g_strdup (tertulia_message_get_text (message));

  return send_frame (self, frame);
}

/* A token bucket mirroring the host's (welcome.limits), with a margin so
 * that network jitter bunching our frames together never trips it.
 */
static void
refill_tokens (TertuliaClient *self)
{
  gint64 now = g_get_monotonic_time ();

  self->tokens = MIN (self->rate_burst,
                      self->tokens + (now - self->tokens_at) * self->rate_per_second / G_USEC_PER_SEC);
  self->tokens_at = now;
}

static void
reset_pacing (TertuliaClient      *self,
              const TertuliaFrame *welcome)
{
  self->rate_burst = MAX (1.0, (welcome->limits.rate_burst * RATE_MARGIN));
  self->rate_per_second = MAX (0.5, (welcome->limits.rate_per_second * RATE_MARGIN));
  self->tokens = self->rate_burst;
  self->tokens_at = g_get_monotonic_time ();
}

static void
clear_pending_says (TertuliaClient *self)
{
  g_clear_handle_id (&self->pace_id, g_source_remove);
  g_queue_clear_full (&self->pending_says, g_object_unref);
}

static gboolean pace_cb (gpointer user_data);

static void
send_pending_says (TertuliaClient *self)
{
  refill_tokens (self);

  while (!g_queue_is_empty (&self->pending_says) && self->tokens >= 1.0)
    {
      g_autoptr(TertuliaMessage) message = g_queue_pop_head (&self->pending_says);

      /* The host may have refused it meanwhile, or echoed an earlier send. */
      if (tertulia_message_get_state (message) != TERTULIA_MESSAGE_STATE_SENDING)
        continue;

      if (!send_say (self, message))
        {
          clear_pending_says (self);
          return;
        }
      self->tokens -= 1.0;
    }

  if (!g_queue_is_empty (&self->pending_says) && self->pace_id == 0)
    {
      /* Until the next whole token, rounded up */
      guint wait_ms = (guint) ((1.0 - self->tokens) * 1000.0 / self->rate_per_second) + 1;

      self->pace_id = g_timeout_add (MAX (wait_ms, 1), pace_cb, self);
    }
}

static gboolean
pace_cb (gpointer user_data)
{
  TertuliaClient *self = user_data;

  self->pace_id = 0;
  send_pending_says (self);

  return G_SOURCE_REMOVE;
}

static void
queue_say (TertuliaClient  *self,
           TertuliaMessage *message)
{
  g_queue_push_tail (&self->pending_says, g_object_ref (message));
  if (self->pace_id == 0)
    send_pending_says (self);
}

/* The outbox is simply your messages still being sent, in order. Resending
 * one the host already has is safe: it recognizes the cid.
 */
static void
flush_outbox (TertuliaClient *self)
{
  GListModel *messages = tertulia_room_get_messages (self->room);
  guint n = g_list_model_get_n_items (messages);
  g_autoptr(GPtrArray) outbox = g_ptr_array_new_with_free_func (g_object_unref);

  clear_pending_says (self);

  /* Messages being sent are always the last items. */
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(TertuliaMessage) message = g_list_model_get_item (messages, i - 1);

      if (!tertulia_message_get_is_own (message) ||
          tertulia_message_get_state (message) != TERTULIA_MESSAGE_STATE_SENDING)
        {
          if (tertulia_message_get_seq (message) > 0)
            break;
          continue;
        }

      if (tertulia_message_get_cid (message) != NULL)
        g_ptr_array_add (outbox, g_steal_pointer (&message));
    }

  for (guint i = outbox->len; i > 0; i--)
    g_queue_push_tail (&self->pending_says, g_object_ref (g_ptr_array_index (outbox, i - 1)));
  send_pending_says (self);
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
    }

  send_frame (self, hello);
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

  if (self->welcomed)
    {
      g_debug ("%s: ignoring a second welcome", self->display_name);
      return;
    }

  g_clear_handle_id (&self->attempt_timeout_id, g_source_remove);
  g_clear_object (&self->cancellable);

  self->welcomed = TRUE;
  self->ever_connected = TRUE;
  self->backoff_ms = BACKOFF_FIRST_MS;
  _tertulia_set_str (&self->resume_token, welcome->resume_token);

  reset_pacing (self, welcome);
  tertulia_room_apply_welcome (self->room, welcome);

  /* Whoever watches the room may have left it meanwhile. */
  if (self->connection != connection)
    return;

  g_clear_handle_id (&self->liveness_id, g_source_remove);
  /* Looked at six times per limit, so silence is noticed at most a sixth
   * of the limit late.
   */
  self->liveness_id = g_timeout_add (MAX (self->silence_limit_msec / 6, 1), liveness_cb, self);

  stop_retry_timers (self);
  set_retry_seconds (self, 0);
  set_state_reason (self, NULL);
  set_state (self, TERTULIA_CONNECTION_CONNECTED);

  if (self->connection != connection)
    return;

  flush_outbox (self);

  complete_pending_tasks (self, NULL);
}

static void
handle_error (TertuliaClient      *self,
              const TertuliaFrame *frame)
{
  const char *sentence = tertulia_protocol_describe_error (frame->code, frame->message);

  g_debug ("%s: the room says %s: %s", self->display_name, frame->code, frame->message);

  g_signal_emit (self, signals[SERVER_ERROR], 0, frame->code, frame->message, frame->cid);

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
      if (self->welcomed)
        tertulia_room_apply_event (self->room, frame);
      else
        g_debug ("%s: ignoring an event before the welcome", self->display_name);
      break;

    case TERTULIA_FRAME_ERROR:
      handle_error (self, frame);
      break;

    case TERTULIA_FRAME_HELLO:
    case TERTULIA_FRAME_SAY:
    case TERTULIA_FRAME_NICK:
    case TERTULIA_FRAME_SET_TOPIC:
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
  g_autofree char *sentence = NULL;

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

  g_debug ("%s: connected, saying hello", self->display_name);

  self->connection = g_steal_pointer (&connection);
  self->last_heard = g_get_monotonic_time ();

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

static void
start_attempt (TertuliaClient *self)
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
  set_retry_seconds (self, 0);
  set_state (self, self->ever_connected ? TERTULIA_CONNECTION_RECONNECTING
                                        : TERTULIA_CONNECTION_CONNECTING);

  uri = tertulia_address_to_websocket_uri (self->address, &error);
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

  soup_session_websocket_connect_async (self->session, message, NULL, (char **) protocols,
                                        G_PRIORITY_DEFAULT, self->cancellable,
                                        websocket_connect_cb, attempt);

  self->attempt_timeout_id = g_timeout_add_seconds (ATTEMPT_TIMEOUT_SECONDS,
                                                    attempt_timeout_cb, self);
}

/* Stops everything: no connection, no attempt, no timer. */
static void
stop_everything (TertuliaClient *self)
{
  stop_attempt (self);
  stop_retry_timers (self);
  release_connection (self);
  self->ever_connected = FALSE;
}

static void
tertulia_client_dispose (GObject *object)
{
  TertuliaClient *self = (TertuliaClient *)object;

  stop_everything (self);

  G_OBJECT_CLASS (tertulia_client_parent_class)->dispose (object);
}

static void
tertulia_client_finalize (GObject *object)
{
  TertuliaClient *self = (TertuliaClient *)object;

  /* A pending GTask holds a reference, so none can be left here. */
  g_assert (self->pending_tasks->len == 0);
  g_clear_pointer (&self->pending_tasks, g_ptr_array_unref);

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

    default:
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

    default:
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

  g_object_class_install_properties (object_class, N_PROPS, properties);

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
  self->backoff_ms = BACKOFF_FIRST_MS;
  self->keepalive_seconds = KEEPALIVE_SECONDS;
  self->silence_limit_msec = SILENCE_LIMIT_SECONDS * 1000;
  self->cid_prefix = g_strdup_printf ("%08x", g_random_int ());

  self->session = soup_session_new ();
  soup_session_set_user_agent (self->session, "tertulia/" PACKAGE_VERSION);
  /* The protocol has no extensions: no permessage-deflate. */
  soup_session_remove_feature_by_type (self->session, SOUP_TYPE_WEBSOCKET_EXTENSION_MANAGER);
  /* Rooms live on the local network; a desktop's web proxy cannot reach
   * them and must not see the conversation.
   */
  soup_session_set_proxy_resolver (self->session, NULL);
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
      stop_everything (self);
      set_retry_seconds (self, 0);
      set_state_reason (self, NULL);
      set_state (self, TERTULIA_CONNECTION_DISCONNECTED);
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
    start_attempt (self);
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

  stop_everything (self);
  /* Leaving cleanly ends the session on the host: there is nothing to
   * resume any more.
   */
  g_clear_pointer (&self->resume_token, g_free);
  self->backoff_ms = BACKOFF_FIRST_MS;

  set_retry_seconds (self, 0);
  if (self->state != TERTULIA_CONNECTION_DISCONNECTED)
    set_state_reason (self, _("You left the room."));
  set_state (self, TERTULIA_CONNECTION_DISCONNECTED);

  error = g_error_new_literal (TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_CANCELLED,
                               _("Connecting to the room was cancelled."));
  complete_pending_tasks (self, error);

  g_object_unref (self);
}

void
tertulia_client_retry (TertuliaClient *self)
{
  g_return_if_fail (TERTULIA_IS_CLIENT (self));

  switch (self->state)
    {
    case TERTULIA_CONNECTION_DISCONNECTED:
      start_attempt (self);
      break;

    case TERTULIA_CONNECTION_RECONNECTING:
      /* Only while waiting: an attempt under way is already "now". */
      if (self->retry_id != 0)
        start_attempt (self);
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
  if (send_frame (self, frame))
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

  cid = g_strdup_printf ("%s-%u", self->cid_prefix, ++self->cid_counter);
  message = tertulia_room_add_own_message (self->room, kind, cid, normalized);

  if (self->state == TERTULIA_CONNECTION_CONNECTED)
    queue_say (self, message);

  return message;
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

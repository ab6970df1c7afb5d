/* tertulia-server-session.c — one guest connection of a TertuliaServer: what
 * goes in and out of it, and the limits that keep one guest from hurting
 * the others
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-server"
#define TERTULIA_SERVER_COMPILATION

#include "config.h"

#include <string.h>

#include "tertulia-server-private.h"


/* Sending */

gboolean
_tertulia_session_is_open (Session *session)
{
  return soup_websocket_connection_get_state (session->conn) == SOUP_WEBSOCKET_STATE_OPEN;
}

/* A guest that stops reading (a phone asleep with the socket open, or
 * someone doing it on purpose) must not make the host keep everything the
 * room says for it, nor slow the others down: the guard (and libsoup)
 * queue without limit, so past the bound the guest is let go. What it missed, it gets
 * back on resume. The guard counts the bytes that really left; libsoup's
 * own small control frames also count as written, which only errs on the
 * side of keeping the guest.
 */
void
_tertulia_session_check_queue (Session *session)
{
  TertuliaServer *self = session->server;
  guint64 written = tertulia_guard_stream_get_bytes_written (session->guard);
  guint64 queued = session->bytes_sent > written ? session->bytes_sent - written : 0;
  guint64 allowed;

  if (self == NULL || session->refused)
    return;

  allowed = self->max_queued_bytes;
  if (written < session->welcome_end)
    allowed += session->welcome_bytes;

  if (queued <= allowed)
    return;

  g_debug ("%s: %" G_GUINT64_FORMAT " bytes queued and not read; letting it go", session->peer, queued);
  _tertulia_session_refuse (session, TERTULIA_ERROR_TOO_SLOW,
                            "Your connection did not keep up with the room.", "Too slow");
}

void
_tertulia_session_send (Session    *session,
                        const char *text)
{
  gsize length;

  /* A connection that is closing is about to report "closed"; what it
   * misses, it gets back on resume.
   */
  if (!_tertulia_session_is_open (session))
    return;

  /* What the room said before goes first */
  _tertulia_session_catch_up (session);

  if (session->welcome_feed != NULL)
    {
      Event *event = _tertulia_event_new (0, g_strdup (text));

      _tertulia_session_defer (session, event);
      _tertulia_event_unref (event);
      _tertulia_session_check_queue (session);
      return;
    }

  length = strlen (text);
  soup_websocket_connection_send_text (session->conn, text);
  session->bytes_sent += length + tertulia_guard_text_frame_header (NULL, length);

  _tertulia_session_check_queue (session);
}

/* The fan-out: the event's frame goes to the guard as it is, to leave with
 * the guest's other frames of this main loop iteration (see
 * tertulia-server-guard.h). If the guard cannot take it, the connection
 * failed: libsoup's write of it notices and closes.
 */
void
_tertulia_session_send_event (Session *session,
                              Event   *event)
{
  if (!_tertulia_session_is_open (session))
    return;

  _tertulia_session_catch_up (session);

  if (_tertulia_session_defer (session, event))
    {
      _tertulia_session_check_queue (session);
      return;
    }

  /* A failed write may have closed the connection already (libsoup hears
   * of the error at once): then there is nothing to notice.
   */
  if (!tertulia_guard_stream_write_frame (session->guard, event->frame, event->frame_length) &&
      _tertulia_session_is_open (session))
    soup_websocket_connection_send_text (session->conn, event->json);
  session->bytes_sent += event->frame_length;

  _tertulia_session_check_queue (session);
}

void
_tertulia_session_close (Session    *session,
                         gushort     code,
                         const char *reason)
{
  if (_tertulia_session_is_open (session))
    soup_websocket_connection_close (session->conn, code, reason);
}

void
_tertulia_session_send_error (Session    *session,
                              const char *code,
                              const char *message,
                              const char *cid)
{
  g_autofree char *json = tertulia_protocol_serialize_error (code, message, cid);

  g_debug ("%s: refused with %s: %s", session->peer, code, message);
  _tertulia_session_send (session, json);
}

void
_tertulia_session_send_gerror (Session      *session,
                               const GError *error,
                               const char   *cid)
{
  _tertulia_session_send_error (session, tertulia_protocol_error_code (error), error->message, cid);
}

void
_tertulia_session_refuse (Session    *session,
                          const char *code,
                          const char *message,
                          const char *reason)
{
  if (session->refused)
    return;

  session->refused = TRUE;
  _tertulia_session_send_error (session, code, message, NULL);
  _tertulia_session_close (session, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, reason);
}


/* The rate limit */

/* A token bucket: TERTULIA_RATE_BURST frames at once, then
 * TERTULIA_RATE_PER_SECOND. It is checked before a frame is even parsed,
 * so refusing costs next to nothing.
 */
static gboolean
session_take_token (Session *session)
{
  TertuliaServer *self = session->server;
  gint64 now = g_get_monotonic_time ();

  if (self->rate_burst == 0 && self->rate_per_second == 0)
    return TRUE;

  session->tokens = MIN ((double) self->rate_burst,
                         session->tokens +
                         (double) (now - session->tokens_time) * self->rate_per_second / G_USEC_PER_SEC);
  session->tokens_time = now;

  if (session->tokens < 1.0)
    return FALSE;

  session->tokens -= 1.0;
  return TRUE;
}

/* Notes a refused frame; TRUE when it makes TERTULIA_FLOOD_REFUSALS of them
 * within TERTULIA_FLOOD_WINDOW_SECONDS: a guest that keeps going after
 * being told to slow down is flooding.
 */
static gboolean
session_is_flooding (Session *session)
{
  gint64 now = g_get_monotonic_time ();
  gint64 oldest;

  session->refusals[session->next_refusal] = now;
  session->next_refusal = (session->next_refusal + 1) % TERTULIA_FLOOD_REFUSALS;

  /* After the write, the next slot holds the oldest of the last
   * TERTULIA_FLOOD_REFUSALS refusals, this one included.
   */
  oldest = session->refusals[session->next_refusal];

  return oldest != 0 && now - oldest <= TERTULIA_FLOOD_WINDOW_SECONDS * G_USEC_PER_SEC;
}


/* A guest that has not joined and keeps sending what cannot be used (too
 * big, not JSON, a nickname that cannot be) is treated as one sending too
 * fast: TERTULIA_FLOOD_REFUSALS of them within the window close it.
 */
static void
session_refuse_before_join (Session    *session,
                            const char *code,
                            const char *message)
{
  if (session_is_flooding (session))
    _tertulia_session_refuse (session, TERTULIA_ERROR_FLOODING,
                              "You kept sending frames that cannot be used.", "Flooding");
  else
    _tertulia_session_send_error (session, code, message, NULL);
}


/* Signals of the connection */

static void
session_message_cb (SoupWebsocketConnection *conn,
                    gint                     type,
                    GBytes                  *message,
                    gpointer                 user_data)
{
  Session *session = user_data;
  TertuliaServer *self = session->server;
  g_autoptr(TertuliaFrame) frame = NULL;
  g_autoptr(GError) error = NULL;
  const char *data;
  gsize length;

  if (self == NULL || session->refused)
    return;

  _tertulia_server_enter (self);

  data = g_bytes_get_data (message, &length);

  if (!session_take_token (session))
    {
      if (session_is_flooding (session))
        {
          g_debug ("%s: still sending too fast after %d refusals", session->peer, TERTULIA_FLOOD_REFUSALS);
          _tertulia_session_refuse (session, TERTULIA_ERROR_FLOODING,
                                    "You kept sending too fast.", "Flooding");
        }
      else
        {
          g_autofree char *cid = NULL;

          if (type == SOUP_WEBSOCKET_DATA_TEXT && length <= TERTULIA_MAX_FRAME_BYTES)
            cid = tertulia_protocol_dup_cid (data, length);
          _tertulia_session_send_error (session, TERTULIA_ERROR_RATE_LIMITED,
                                        "You are sending too fast.", cid);
        }
      goto out;
    }

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    {
      _tertulia_session_send_error (session, TERTULIA_ERROR_BINARY_FRAME,
                                    "Frames must be text messages holding JSON.", NULL);
      goto out;
    }

  /* The protocol's limit on a message, whether it came in one frame or in
   * fragments. Closing here, with the whole message read, lets the close
   * handshake finish, so the guest reliably sees 1009.
   */
  if (length > TERTULIA_MAX_FRAME_BYTES)
    {
      g_debug ("%s: a %" G_GSIZE_FORMAT "-byte message is too big", session->peer, length);
      _tertulia_session_close (session, SOUP_WEBSOCKET_CLOSE_TOO_BIG, "Message too big");
      goto out;
    }

  /* Before the welcome only a hello is of use, and a hello is small: a
   * guest nobody knows yet gets no more of the host's time than that.
   */
  if (session->participant == NULL && length > TERTULIA_MAX_HELLO_BYTES)
    {
      session_refuse_before_join (session, TERTULIA_ERROR_INVALID_FRAME,
                                  "A hello can be at most " G_STRINGIFY (TERTULIA_MAX_HELLO_BYTES) " bytes long.");
      goto out;
    }

  if ((frame = tertulia_protocol_parse_client_frame (data, length, &error)) == NULL)
    {
      /* An error about a say must carry its cid, if it had a valid one */
      g_autofree char *cid = NULL;

      if (session->participant == NULL)
        {
          session_refuse_before_join (session, tertulia_protocol_error_code (error), error->message);
          goto out;
        }

      cid = tertulia_protocol_dup_cid (data, length);
      _tertulia_session_send_gerror (session, error, cid);
      goto out;
    }

  /* A guest that says something right after its hello gets its welcome
   * first, as ever
   */
  _tertulia_session_welcome_now (session);
  _tertulia_server_handle_frame (self, session, g_steal_pointer (&frame));

out:
  _tertulia_server_leave (self);
}

static void
session_error_cb (SoupWebsocketConnection *conn,
                  GError                  *error,
                  gpointer                 user_data)
{
  Session *session = user_data;

  g_debug ("%s: %s", session->peer, error->message);

  /* libsoup drops the TCP connection on a frame over
   * max-incoming-payload-size without a close frame; the protocol promises
   * 1009. The guard stream keeps such frames from libsoup, so this is only
   * the second line.
   */
  if (g_error_matches (error, SOUP_WEBSOCKET_ERROR, SOUP_WEBSOCKET_CLOSE_TOO_BIG))
    _tertulia_session_close (session, SOUP_WEBSOCKET_CLOSE_TOO_BIG, "Message too big");
}

static void
session_violation_cb (TertuliaGuardStream *guard,
                      guint                violation,
                      gpointer             user_data)
{
  Session *session = user_data;

  switch ((TertuliaGuardViolation) violation)
    {
    case TERTULIA_GUARD_VIOLATION_TOO_BIG:
      /* The guard drops the rest of the message, but lets the guest's
       * answer to our close through: it sees 1009.
       */
      g_debug ("%s: a message over %d bytes", session->peer, MAX_INCOMING_BYTES);
      _tertulia_session_close (session, SOUP_WEBSOCKET_CLOSE_TOO_BIG, "Message too big");
      break;

    case TERTULIA_GUARD_VIOLATION_PING_FLOOD:
      _tertulia_session_refuse (session, TERTULIA_ERROR_FLOODING,
                                "You sent too many pings.", "Flooding");
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
session_closed_cb (SoupWebsocketConnection *conn,
                   gpointer                 user_data)
{
  Session *session = user_data;
  TertuliaServer *self = session->server;
  Participant *participant = session->participant;

  if (self != NULL)
    {
      gushort code = soup_websocket_connection_get_close_code (conn);

      _tertulia_server_enter (self);

      g_debug ("%s: closed with code %u", session->peer, code);
      if (!g_ptr_array_remove_fast (self->sessions, session))
        g_ptr_array_remove_fast (self->turned_away, session);

      if (session->address != NULL)
        _tertulia_server_release_address (self, session->address);
      session->address = NULL;

      if (participant != NULL)
        {
          session->participant = NULL;
          _tertulia_server_participant_dropped (self, participant, code, 0);
        }

      _tertulia_server_leave (self);
    }

  _tertulia_session_free (session);
}

static gboolean
session_handshake_timeout_cb (gpointer user_data)
{
  Session *session = user_data;

  TertuliaServer *self = session->server;
  gint64 waited = _tertulia_server_running_msec (self, session->handshake_start);

  session->handshake_id = 0;

  /* A hello whose password waits for its turn is the host's delay, not
   * the guest's: the answer is on its way.
   */
  if (session->password_check != NULL)
    {
      session->handshake_id = g_timeout_add (250, session_handshake_timeout_cb, session);
      return G_SOURCE_REMOVE;
    }

  /* Nor is a stall of the host's own */
  if (waited < self->handshake_timeout_msec)
    {
      session->handshake_id = g_timeout_add ((guint) (self->handshake_timeout_msec - waited),
                                             session_handshake_timeout_cb, session);
      return G_SOURCE_REMOVE;
    }

  _tertulia_session_refuse (session, TERTULIA_ERROR_HANDSHAKE_TIMEOUT,
                            "No hello arrived in time.", "No hello in time");

  return G_SOURCE_REMOVE;
}

/* The keepalive: libsoup pings every ping_seconds and any guest alive
 * answers, so a guest that sent nothing at all (no frame, no pong) for
 * idle_timeout_msec is gone: a laptop lid closed, a cable pulled, a phone
 * out of range. TCP alone would take many minutes to notice.
 */
static gboolean
session_idle_cb (gpointer user_data)
{
  Session *session = user_data;
  TertuliaServer *self = session->server;
  Participant *participant = session->participant;
  gint64 silent_msec = (g_get_monotonic_time () - tertulia_guard_stream_get_last_heard (session->guard)) / 1000;

  session->idle_id = 0;

  if (silent_msec < self->idle_timeout_msec)
    {
      session->idle_id = g_timeout_add (self->idle_timeout_msec - (guint) silent_msec,
                                        session_idle_cb, session);
      return G_SOURCE_REMOVE;
    }

  g_debug ("%s: nothing heard for %" G_GINT64_FORMAT " ms", session->peer, silent_msec);

  _tertulia_server_enter (self);

  _tertulia_session_refuse (session, TERTULIA_ERROR_IDLE_TIMEOUT,
                            "Nothing was heard from you for too long.", "No answer to pings");

  /* The close handshake will not finish with a peer that is gone, and
   * libsoup waits a while for it: the room hears of the drop now.
   */
  if (participant != NULL)
    {
      session->participant = NULL;
      _tertulia_server_participant_dropped (self, participant, SOUP_WEBSOCKET_CLOSE_ABNORMAL,
                                            (guint) MIN (silent_msec, G_MAXUINT));
    }

  _tertulia_server_leave (self);

  return G_SOURCE_REMOVE;
}


/* Life */

Session *
_tertulia_session_new (TertuliaServer          *server,
                       SoupWebsocketConnection *conn,
                       TertuliaGuardStream     *guard,
                       const char              *peer)
{
  Session *session = g_new0 (Session, 1);

  session->server = server;
  session->conn = g_object_ref (conn);
  session->guard = g_object_ref (guard);
  session->peer = g_strdup (peer);
  session->tokens = server->rate_burst;
  session->tokens_time = g_get_monotonic_time ();

  soup_websocket_connection_set_max_incoming_payload_size (conn, MAX_INCOMING_BYTES);
  session->closed_id = g_signal_connect (conn, "closed", G_CALLBACK (session_closed_cb), session);

  return session;
}

void
_tertulia_session_start (Session *session,
                         Address *address)
{
  TertuliaServer *self = session->server;

  session->address = address;
  address->n_connections++;

  soup_websocket_connection_set_keepalive_interval (session->conn, self->ping_seconds);
  session->message_id = g_signal_connect (session->conn, "message", G_CALLBACK (session_message_cb), session);
  session->error_id = g_signal_connect (session->conn, "error", G_CALLBACK (session_error_cb), session);
  session->violation_id = g_signal_connect (session->guard, "violation", G_CALLBACK (session_violation_cb), session);
  session->handshake_start = g_get_monotonic_time ();
  session->handshake_id = g_timeout_add_full (G_PRIORITY_DEFAULT, self->handshake_timeout_msec,
                                              session_handshake_timeout_cb, session, NULL);
  session->idle_id = g_timeout_add (self->idle_timeout_msec, session_idle_cb, session);
  g_ptr_array_add (self->sessions, session);

  g_debug ("%s: connected", session->peer);
}

/* Over a connection limit: the guest hears why, and the connection counts
 * nowhere while it closes.
 */
void
_tertulia_session_turn_away (Session    *session,
                             const char *code,
                             const char *message)
{
  TertuliaServer *self = session->server;

  g_ptr_array_add (self->turned_away, session);
  session->violation_id = g_signal_connect (session->guard, "violation", G_CALLBACK (session_violation_cb), session);
  _tertulia_session_refuse (session, code, message, message);
}

/* Lets go of everything that ties @session to the server, but keeps the
 * connection until it reports "closed", so that a close frame queued on it
 * is still written after the server is gone.
 */
void
_tertulia_session_detach (Session *session)
{
  _tertulia_session_stop_welcome (session);
  g_clear_handle_id (&session->handshake_id, g_source_remove);
  g_clear_handle_id (&session->idle_id, g_source_remove);
  g_clear_signal_handler (&session->message_id, session->conn);
  g_clear_signal_handler (&session->error_id, session->conn);
  g_clear_signal_handler (&session->violation_id, session->guard);
  session->server = NULL;
  session->participant = NULL;
  session->address = NULL;
}

void
_tertulia_session_free (Session *session)
{
  if (session->password_check != NULL)
    _tertulia_password_check_drop_session (session->password_check);
  _tertulia_session_detach (session);
  g_clear_signal_handler (&session->closed_id, session->conn);
  g_clear_object (&session->conn);
  g_clear_object (&session->guard);
  g_clear_pointer (&session->peer, g_free);
  g_free (session);
}

/* tertulia-server-welcome.c — a welcome too big for a guest's queue, sent
 * in pieces as the guest reads it
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

/* A welcome carries the history ring: with long messages, megabytes. Made
 * whole for each joiner, a guest that says hello and never reads pinned
 * its own copy in the host, and dozens of them took hundreds of megabytes.
 *
 * A welcome that fits the guest's queue bound (queue_bytes) goes whole, as
 * any frame. A bigger one goes as a fragmented WebSocket message (RFC 6455,
 * 5.4): its head (everything but the history) first, then each history
 * event, whose JSON is the one the ring already holds (serialized once,
 * shared by every guest), then the end. Only WELCOME_WINDOW bytes of it are
 * queued at a time; more follow as the guest reads. What the room says
 * meanwhile waits (as references to the same events) until the welcome is
 * out, since no data frame may come between the fragments; control frames
 * (pings, pongs, a close) may, and libsoup sends them as it likes.
 *
 * Any welcome counts against the guest's queue as a whole, allowed on top
 * of the bound until it is out, but it must be out within
 * welcome_timeout_msec (TERTULIA_WELCOME_SECONDS): a guest that does not
 * read it in time is let go as too slow.
 */
#define WELCOME_WINDOW   (128 * 1024)
/* How often a welcome's guest is looked at, while it reads slowly */
#define FEED_MIN_MSEC    5
#define FEED_MAX_MSEC    500

#define OPCODE_CONTINUATION 0x0
#define OPCODE_TEXT         0x1

struct _WelcomeFeed
{
  Session  *session;

  /* Owned */
  char     *head;
  gsize     head_length;
  Event   **events;
  guint     n_events;
  GQueue    deferred;     /* of Event*, frames to send after the welcome */

  /* The next piece: 0 the head, 1…n_events the events, n_events + 1 the end */
  guint     next;
  /* bytes_sent before the welcome, and how much of it went to the guard */
  guint64   start;
  guint64   fed;

  guint     timer_id;
  guint     interval;
  guint64   last_written;
};

/* The header of an unmasked frame, as a server sends it */
static gsize
fragment_header (guint8   *header,
                 guint8    opcode,
                 gboolean  fin,
                 gsize     length)
{
  header[0] = (guint8) ((fin ? 0x80 : 0x00) | opcode);

  if (length < 126)
    {
      header[1] = (guint8) length;
      return 2;
    }

  if (length <= G_MAXUINT16)
    {
      header[1] = 126;
      header[2] = (guint8) (length >> 8);
      header[3] = (guint8) length;
      return 4;
    }

  header[1] = 127;
  for (guint i = 0; i < 8; i++)
    header[2 + i] = (guint8) ((guint64) length >> (56 - 8 * i));
  return 10;
}

static gsize
fragment_length (gsize payload_length)
{
  guint8 header[TERTULIA_GUARD_MAX_FRAME_HEADER];

  return fragment_header (header, OPCODE_CONTINUATION, FALSE, payload_length) + payload_length;
}

static void
welcome_feed_free (WelcomeFeed *feed)
{
  Event *event;

  g_clear_handle_id (&feed->timer_id, g_source_remove);
  while ((event = g_queue_pop_head (&feed->deferred)) != NULL)
    _tertulia_event_unref (event);
  for (guint i = 0; i < feed->n_events; i++)
    _tertulia_event_unref (feed->events[i]);
  g_free (feed->events);
  g_free (feed->head);
  g_free (feed);
}

void
_tertulia_session_stop_welcome (Session *session)
{
  g_clear_pointer (&session->welcome_feed, welcome_feed_free);
  g_clear_handle_id (&session->welcome_timer_id, g_source_remove);
}

static guint
welcome_timeout_msec (TertuliaServer *self)
{
  return self->welcome_timeout_msec > 0 ? self->welcome_timeout_msec : TERTULIA_WELCOME_SECONDS * 1000;
}

/* A whole welcome that is still not out when its time is up */
static gboolean
welcome_timeout_cb (gpointer user_data)
{
  Session *session = user_data;
  gint64 waited;

  session->welcome_timer_id = 0;

  if (session->server == NULL ||
      tertulia_guard_stream_get_bytes_written (session->guard) >= session->welcome_end)
    return G_SOURCE_REMOVE;

  /* A stall of the host's own is not the guest's slowness */
  waited = _tertulia_server_running_msec (session->server, session->welcome_start);
  if (waited < welcome_timeout_msec (session->server))
    {
      session->welcome_timer_id = g_timeout_add ((guint) (welcome_timeout_msec (session->server) - waited),
                                                 welcome_timeout_cb, session);
      return G_SOURCE_REMOVE;
    }

  g_debug ("%s: the welcome did not go out in time; letting it go", session->peer);
  _tertulia_session_refuse (session, TERTULIA_ERROR_TOO_SLOW,
                            "Your connection did not keep up with the room.", "Too slow");

  return G_SOURCE_REMOVE;
}

/* Hands the guard one piece of the welcome as one frame: a header and up to
 * two parts of payload. FALSE if the connection is closing.
 */
static gboolean
welcome_feed_write (WelcomeFeed  *feed,
                    guint8        opcode,
                    gboolean      fin,
                    const char   *first,
                    gsize         first_length,
                    const char   *second,
                    gsize         second_length)
{
  guint8 header[TERTULIA_GUARD_MAX_FRAME_HEADER];
  gsize header_length = fragment_header (header, opcode, fin, first_length + second_length);
  GOutputVector parts[] = {
    { header, header_length },
    { first, first_length },
    { second, second_length },
  };

  /* One frame on the wire, so handed over as one: a header that left
   * alone would leave the guard's queue starting inside a frame, which a
   * close would then cut.
   */
  if (!tertulia_guard_stream_write_frame_parts (feed->session->guard, parts, G_N_ELEMENTS (parts)))
    return FALSE;

  feed->fed += header_length + first_length + second_length;

  return TRUE;
}

/* Feeds the guard while little of the welcome is queued. TRUE while pieces
 * remain.
 */
static gboolean
welcome_feed_pump (WelcomeFeed *feed)
{
  Session *session = feed->session;
  guint64 written = tertulia_guard_stream_get_bytes_written (session->guard);

  while (feed->next <= feed->n_events + 1 &&
         feed->start + feed->fed < written + WELCOME_WINDOW)
    {
      gboolean ok;

      if (feed->next == 0)
        ok = welcome_feed_write (feed, OPCODE_TEXT, FALSE, feed->head, feed->head_length, NULL, 0);
      else if (feed->next <= feed->n_events)
        ok = welcome_feed_write (feed, OPCODE_CONTINUATION, FALSE,
                                 ",", feed->next > 1 ? 1 : 0,
                                 feed->events[feed->next - 1]->json,
                                 strlen (feed->events[feed->next - 1]->json));
      else
        ok = welcome_feed_write (feed, OPCODE_CONTINUATION, TRUE, "]}", 2, NULL, 0);

      if (!ok)
        return FALSE;
      feed->next++;
    }

  return feed->next <= feed->n_events + 1;
}

/* The welcome is out (in the guard): what waited for it follows */
static void
welcome_feed_finish (Session *session)
{
  WelcomeFeed *feed = g_steal_pointer (&session->welcome_feed);
  Event *event;

  while ((event = g_queue_pop_head (&feed->deferred)) != NULL)
    {
      if (!tertulia_guard_stream_write_frame (session->guard, event->frame, event->frame_length) &&
          _tertulia_session_is_open (session))
        soup_websocket_connection_send_text (session->conn, event->json);
      _tertulia_event_unref (event);
    }

  welcome_feed_free (feed);
}

static gboolean welcome_feed_timer_cb (gpointer user_data);

/* Feeds, and looks again later if pieces remain */
static void
welcome_feed_run (Session *session)
{
  WelcomeFeed *feed = session->welcome_feed;
  TertuliaServer *self = session->server;
  guint64 written = tertulia_guard_stream_get_bytes_written (session->guard);

  if (self == NULL || session->refused || !_tertulia_session_is_open (session))
    {
      _tertulia_session_stop_welcome (session);
      return;
    }

  if (!welcome_feed_pump (feed))
    {
      if (feed->next > feed->n_events + 1)
        welcome_feed_finish (session);
      else
        _tertulia_session_stop_welcome (session);
      return;
    }

  if (_tertulia_server_running_msec (self, session->welcome_start) >= welcome_timeout_msec (self))
    {
      /* No error frame: no data frame may come inside the welcome's
       * fragments. The close may, and says why.
       */
      g_debug ("%s: the welcome did not go out in time; letting it go", session->peer);
      _tertulia_session_stop_welcome (session);
      session->refused = TRUE;
      _tertulia_session_close (session, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "Too slow");
      return;
    }

  /* A guest that reads gets looked at often; one that does not, seldom */
  feed->interval = written != feed->last_written ? FEED_MIN_MSEC : MIN (feed->interval * 2, FEED_MAX_MSEC);
  feed->last_written = written;
  g_clear_handle_id (&feed->timer_id, g_source_remove);
  feed->timer_id = g_timeout_add (feed->interval, welcome_feed_timer_cb, session);
}

static gboolean
welcome_feed_timer_cb (gpointer user_data)
{
  Session *session = user_data;

  session->welcome_feed->timer_id = 0;
  welcome_feed_run (session);

  return G_SOURCE_REMOVE;
}

gboolean
_tertulia_session_defer (Session *session,
                         Event   *event)
{
  if (session->welcome_feed == NULL)
    return FALSE;

  g_queue_push_tail (&session->welcome_feed->deferred, g_rc_box_acquire (event));
  session->bytes_sent += event->frame_length;

  return TRUE;
}

/* What every welcome shares */

void
_tertulia_server_participants_changed (TertuliaServer *self)
{
  if (self != NULL && self->participants_json != NULL)
    g_string_free (g_steal_pointer (&self->participants_json), TRUE);
}

void
_tertulia_server_history_changed (TertuliaServer *self)
{
  if (self->history_json != NULL)
    g_string_free (g_steal_pointer (&self->history_json), TRUE);
}

/* Every participant's JSON, comma-separated, made once until one joins,
 * leaves or changes its nickname: in a crowd's turn, every welcome lists
 * the same crowd.
 */
static GString *
server_get_participants_json (TertuliaServer *self)
{
  if (self->participants_json == NULL)
    {
      gsize length = 0;

      for (guint i = 0; i < self->participants->len; i++)
        length += strlen (((Participant *) g_ptr_array_index (self->participants, i))->json) + 1;

      self->participants_json = g_string_sized_new (length);
      for (guint i = 0; i < self->participants->len; i++)
        {
          if (i > 0)
            g_string_append_c (self->participants_json, ',');
          g_string_append (self->participants_json,
                           ((Participant *) g_ptr_array_index (self->participants, i))->json);
        }
    }

  return self->participants_json;
}

static Event *
server_ring_nth (TertuliaServer *self,
                 guint           n)
{
  return g_ptr_array_index (self->ring, (self->ring_start + n) % self->ring->len);
}

/* The history ring's JSON, comma-separated, made once until an event
 * comes; history_offsets[n] is where its nth event begins. A guest that
 * resumes gets its end.
 */
static GString *
server_get_history_json (TertuliaServer *self)
{
  if (self->history_json == NULL)
    {
      gsize length = 0;

      for (guint i = 0; i < self->ring->len; i++)
        length += strlen (server_ring_nth (self, i)->json) + 1;

      self->history_json = g_string_sized_new (length);
      g_array_set_size (self->history_offsets, self->ring->len);
      for (guint i = 0; i < self->ring->len; i++)
        {
          if (i > 0)
            g_string_append_c (self->history_json, ',');
          g_array_index (self->history_offsets, gsize, i) = self->history_json->len;
          g_string_append (self->history_json, server_ring_nth (self, i)->json);
        }
    }

  return self->history_json;
}

/* The welcome with empty lists, @json, has the participants and the
 * history put in, those from the @first event of the ring on. Only the
 * bytes of its own (who the guest is, its resume token) are made for each
 * guest; the rest is the same for every welcome of a turn, and a welcome
 * that fits the guest's queue goes to the guard in pieces, with no copy
 * made for it.
 */
void
_tertulia_session_send_welcome_shared (Session *session,
                                       char    *json,
                                       guint    first)
{
  static const char no_participants[] = "\"participants\":[";
  TertuliaServer *self = session->server;
  GString *participants = server_get_participants_json (self);
  GString *history = server_get_history_json (self);
  gsize json_length = strlen (json);
  gsize history_start = first < self->ring->len ? g_array_index (self->history_offsets, gsize, first) : history->len;
  gsize head_length;
  gsize tail_length;
  gsize total;
  guint8 header[TERTULIA_GUARD_MAX_FRAME_HEADER];
  char *tail;

  /* As tertulia_protocol_serialize_welcome() makes it: the participants go
   * inside the first "participants":[ (in a JSON string every quote is
   * escaped), the history where the closing brace was.
   */
  g_assert (g_str_has_suffix (json, "\"history\":[]}"));
  tail = strstr (json, no_participants);
  g_assert (tail != NULL);
  tail += strlen (no_participants);
  g_assert (*tail == ']');
  head_length = (gsize) (tail - json);
  tail_length = json_length - head_length - 2;
  total = json_length + participants->len + (history->len - history_start);

  if (total > self->max_queued_bytes)
    {
      GString *head = g_string_sized_new (total - (history->len - history_start));
      g_autofree Event **events = g_new (Event *, MAX (self->ring->len - MIN (first, self->ring->len), 1));
      guint n_events = 0;

      g_string_append_len (head, json, (gssize) head_length);
      g_string_append_len (head, participants->str, (gssize) participants->len);
      g_string_append_len (head, tail, (gssize) tail_length);
      g_free (json);

      for (guint i = first; i < self->ring->len; i++)
        events[n_events++] = server_ring_nth (self, i);
      _tertulia_session_send_welcome_parts (session, g_string_free (head, FALSE), events, n_events);
      return;
    }

  {
    GOutputVector parts[] = {
      { header, tertulia_guard_text_frame_header (header, total) },
      { json, head_length },
      { participants->str, participants->len },
      { tail, tail_length },
      { history->str + history_start, history->len - history_start },
      { "]}", 2 },
    };
    gsize wire = parts[0].size + total;

    if (!_tertulia_session_is_open (session))
      {
        g_free (json);
        return;
      }

    session->welcome_bytes = wire;
    session->welcome_end = session->bytes_sent + wire;

    /* The guard takes it unless the connection failed; libsoup's own write
     * of it then hears of that and closes.
     */
    if (!tertulia_guard_stream_write_frame_parts (session->guard, parts, G_N_ELEMENTS (parts)) &&
        _tertulia_session_is_open (session))
      {
        GString *whole = g_string_sized_new (total);

        for (guint i = 1; i < G_N_ELEMENTS (parts); i++)
          g_string_append_len (whole, parts[i].buffer, (gssize) parts[i].size);
        soup_websocket_connection_send_text (session->conn, whole->str);
        g_string_free (whole, TRUE);
      }
    session->bytes_sent += wire;
    g_free (json);

    g_clear_handle_id (&session->welcome_timer_id, g_source_remove);
    session->welcome_start = g_get_monotonic_time ();
    session->welcome_timer_id = g_timeout_add (welcome_timeout_msec (self), welcome_timeout_cb, session);

    _tertulia_session_check_queue (session);
  }
}

void
_tertulia_session_send_welcome_parts (Session     *session,
                                      char        *head,
                                      Event      **events,
                                      guint        n_events)
{
  gsize head_length = strlen (head);
  guint64 wire;
  WelcomeFeed *feed;

  if (!_tertulia_session_is_open (session))
    {
      g_free (head);
      return;
    }

  wire = fragment_length (head_length) + fragment_length (2);
  for (guint i = 0; i < n_events; i++)
    wire += fragment_length (strlen (events[i]->json) + (i > 0 ? 1 : 0));

  feed = g_new0 (WelcomeFeed, 1);
  feed->session = session;
  feed->head = head;
  feed->head_length = head_length;
  feed->events = g_new (Event *, MAX (n_events, 1));
  for (guint i = 0; i < n_events; i++)
    feed->events[i] = g_rc_box_acquire (events[i]);
  feed->n_events = n_events;
  g_queue_init (&feed->deferred);
  feed->start = session->bytes_sent;
  session->welcome_start = g_get_monotonic_time ();
  feed->interval = FEED_MIN_MSEC;
  feed->last_written = tertulia_guard_stream_get_bytes_written (session->guard);

  /* All of it counts as queued from now on, and is allowed on top of the
   * bound until it is out
   */
  session->welcome_bytes = wire;
  session->bytes_sent += wire;
  session->welcome_end = session->bytes_sent;
  session->welcome_feed = feed;

  welcome_feed_run (session);
}

void
_tertulia_server_set_welcome_timeout (TertuliaServer *self,
                                      guint           msec)
{
  g_return_if_fail (TERTULIA_IS_SERVER (self));

  self->welcome_timeout_msec = msec;
}

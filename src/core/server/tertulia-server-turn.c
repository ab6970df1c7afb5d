/* tertulia-server-turn.c — what the room says in one turn of the main loop,
 * handed to every guest once at its end, and the welcomes of that turn
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-server"
#define TERTULIA_SERVER_COMPILATION

#include "config.h"

#include "tertulia-server-private.h"

/* When a crowd joins at once (the QR code on the projector, a restarted
 * host), every join goes to everyone present: handed to each guest one by
 * one, N joins made N² writes, and each welcome, sent as its hello came,
 * listed a different set of participants, serialized anew. So the events
 * of a turn are only collected as they come; at the end of the turn, when
 * the guard batch sends, each guest gets all it has not had yet in one
 * write (from the events' own frames, never copied for it if its socket
 * takes them), and the welcomes of the turn are made then, sharing the
 * participants and the history serialized once (tertulia-server-welcome.c).
 *
 * Order is kept: anything sent to one guest alone first hands it what the
 * room said before (_tertulia_session_catch_up()), and a guest whose
 * welcome waits gets it before anything else.
 */

static void
turn_clear (TertuliaServer *self)
{
  for (guint i = 0; i < self->turn_events->len; i++)
    _tertulia_event_unref (g_ptr_array_index (self->turn_events, i));
  g_ptr_array_set_size (self->turn_events, 0);
  g_array_set_size (self->turn_parts, 0);
  self->turn_serial++;
}

void
_tertulia_server_turn_add_event (TertuliaServer *self,
                                 Event          *event)
{
  GOutputVector part = { event->frame, event->frame_length };

  g_ptr_array_add (self->turn_events, g_rc_box_acquire (event));
  g_array_append_val (self->turn_parts, part);
  tertulia_guard_batch_wake (self->batch);
}

void
_tertulia_session_catch_up (Session *session)
{
  TertuliaServer *self = session->server;
  guint from;
  guint to;
  guint64 length = 0;

  if (self == NULL || session->participant == NULL)
    return;

  /* Its welcome has all the room said so far */
  if (session->welcome_pending)
    {
      _tertulia_session_welcome_now (session);
      return;
    }

  from = session->turn_serial == self->turn_serial ? session->turn_sent : 0;
  to = self->turn_events->len;
  session->turn_serial = self->turn_serial;
  session->turn_sent = to;

  if (from == to || !_tertulia_session_is_open (session))
    return;

  if (session->welcome_feed != NULL)
    {
      for (guint i = from; i < to; i++)
        _tertulia_session_defer (session, g_ptr_array_index (self->turn_events, i));
    }
  else
    {
      for (guint i = from; i < to; i++)
        length += ((Event *) g_ptr_array_index (self->turn_events, i))->frame_length;

      /* A failed write may have closed the connection already (libsoup
       * hears of the error at once): then there is nothing to notice.
       * Otherwise libsoup's own write of the first event hears of it.
       */
      if (!tertulia_guard_stream_write_frame_parts (session->guard,
                                                    &g_array_index (self->turn_parts, GOutputVector, from),
                                                    to - from) &&
          _tertulia_session_is_open (session))
        soup_websocket_connection_send_text (session->conn,
                                             ((Event *) g_ptr_array_index (self->turn_events, from))->json);
      session->bytes_sent += length;
    }

  _tertulia_session_check_queue (session);
}

void
_tertulia_session_welcome_later (Session  *session,
                                 gboolean  resumed,
                                 gint64    last_seq)
{
  TertuliaServer *self = session->server;

  session->welcome_pending = TRUE;
  session->welcome_resumed = resumed;
  session->welcome_last_seq = last_seq;
  self->turn_welcomes = TRUE;
  tertulia_guard_batch_wake (self->batch);
}

void
_tertulia_session_welcome_now (Session *session)
{
  TertuliaServer *self = session->server;

  if (!session->welcome_pending)
    return;

  session->welcome_pending = FALSE;
  if (self == NULL)
    return;
  /* Everything the room said so far is in the welcome */
  session->turn_serial = self->turn_serial;
  session->turn_sent = self->turn_events->len;

  if (session->participant != NULL)
    _tertulia_server_send_welcome (self, session, session->welcome_resumed, session->welcome_last_seq);
}

/* The end of the turn (the guard batch is about to send) */
static void
server_turn_flush_cb (gpointer user_data)
{
  TertuliaServer *self = user_data;

  if (self->turn_events->len == 0 && !self->turn_welcomes)
    return;

  _tertulia_server_enter (self);

  if (self->turn_events->len > 0 && self->files != NULL)
    _tertulia_files_note_talk (self->files);

  /* Whatever a guest's frames make happen (a guest let go as too slow)
   * does not touch the array of sessions before the connection reports
   * "closed", which it does later.
   */
  for (guint i = 0; i < self->sessions->len; i++)
    {
      Session *session = g_ptr_array_index (self->sessions, i);

      if (session->refused)
        continue;

      if (session->welcome_pending)
        _tertulia_session_welcome_now (session);
      else
        _tertulia_session_catch_up (session);
    }

  self->turn_welcomes = FALSE;
  turn_clear (self);

  _tertulia_server_leave (self);
}

void
_tertulia_server_turn_init (TertuliaServer *self)
{
  self->turn_events = g_ptr_array_new ();
  self->turn_parts = g_array_new (FALSE, FALSE, sizeof (GOutputVector));
  self->history_offsets = g_array_new (FALSE, FALSE, sizeof (gsize));
  /* Sessions start at serial 0, which is never the current one: they have
   * had nothing of a turn until they are welcomed
   */
  self->turn_serial = 1;
  tertulia_guard_batch_set_flush (self->batch, server_turn_flush_cb, self);
}

void
_tertulia_server_turn_finalize (TertuliaServer *self)
{
  if (self->batch != NULL)
    tertulia_guard_batch_set_flush (self->batch, NULL, NULL);
  if (self->turn_events != NULL)
    turn_clear (self);
  g_clear_pointer (&self->turn_events, g_ptr_array_unref);
  g_clear_pointer (&self->turn_parts, g_array_unref);
  _tertulia_server_participants_changed (self);
  _tertulia_server_history_changed (self);
  g_clear_pointer (&self->history_offsets, g_array_unref);
}

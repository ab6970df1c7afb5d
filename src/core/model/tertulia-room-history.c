/* tertulia-room-history.c — older events, fetched from the host, in front of the log
 *
 * A welcome brings the room's recent past; a history frame brings what
 * came before it, one page at a time. Those events are the past: they go
 * into the log, and nothing else about the room changes.
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-room"

#include "config.h"

#include "tertulia-room.h"
#include "tertulia-room-private.h"

static gint
compare_seq (gconstpointer a,
             gconstpointer b)
{
  const TertuliaFrame *first = *(const TertuliaFrame * const *) a;
  const TertuliaFrame *second = *(const TertuliaFrame * const *) b;

  return (first->seq > second->seq) - (first->seq < second->seq);
}

/* Where this room's part of the log starts: after the notice that ended
 * another room's part, if any.
 */
static guint
room_start_position (TertuliaRoom *self)
{
  guint position;

  if (self->room_start != NULL &&
      _tertulia_room_find_position (self->messages, self->room_start, &position))
    return position + 1;

  return 0;
}

/* The rows an event makes, as a welcome's history would make them
 * (replay: the participant list and topic stay the present's), into
 * @into instead of the log, and with last-seq left where it is.
 */
static void
rows_for_event (TertuliaRoom        *self,
                const TertuliaFrame *event,
                GPtrArray           *into)
{
  gint64 last_seq = self->last_seq;

  g_assert (self->batch == NULL);
  g_assert (self->prepending);

  self->batch = into;
  self->last_seq = event->seq - 1;
  _tertulia_room_apply_event (self, event, TRUE);
  self->last_seq = last_seq;
  self->batch = NULL;
}

/* The first row of this room after @seq (the row an event of @seq goes
 * before), or G_MAXUINT when @seq is already in the log or after it.
 */
static guint
position_for_seq (TertuliaRoom *self,
                  guint         start,
                  gint64        seq)
{
  GListModel *model = G_LIST_MODEL (self->messages);
  guint n = g_list_model_get_n_items (model);

  for (guint i = start; i < n; i++)
    {
      g_autoptr(TertuliaMessage) message = g_list_model_get_item (model, i);
      gint64 other = tertulia_message_get_seq (message);

      if (other == seq)
        return G_MAXUINT;
      if (other > seq)
        return i;
    }

  return G_MAXUINT;
}

/* Your message from an earlier page or the welcome: its row is there. */
static gboolean
is_known_own_message (TertuliaRoom        *self,
                      const TertuliaFrame *event)
{
  return event->type == TERTULIA_FRAME_MESSAGE &&
         event->cid != NULL &&
         g_hash_table_contains (self->own_by_cid, event->cid);
}

void
tertulia_room_prepend_history (TertuliaRoom *self,
                               GPtrArray    *events,
                               gboolean      more)
{
  g_autoptr(GPtrArray) sorted = NULL;
  g_autoptr(GPtrArray) front = NULL;
  gint64 oldest;
  gint64 previous = 0;
  guint start;

  g_return_if_fail (TERTULIA_IS_ROOM (self));
  g_return_if_fail (events != NULL);
  g_return_if_fail (!self->prepending);

  g_object_freeze_notify (G_OBJECT (self));

  /* The wire sends them oldest first; a page that does not is no reason
   * to put the log out of order.
   */
  sorted = g_ptr_array_sized_new (events->len);
  for (guint i = 0; i < events->len; i++)
    g_ptr_array_add (sorted, g_ptr_array_index (events, i));
  g_ptr_array_sort (sorted, compare_seq);

  front = g_ptr_array_new_with_free_func (g_object_unref);
  oldest = self->oldest_seq;
  start = room_start_position (self);
  self->prepending = TRUE;

  for (guint i = 0; i < sorted->len; i++)
    {
      const TertuliaFrame *event = g_ptr_array_index (sorted, i);

      /* Not an event of this log's past, or the same seq twice in a page */
      if (event->seq < 1 || event->seq > self->last_seq || event->seq == previous ||
          is_known_own_message (self, event))
        continue;
      previous = event->seq;

      if (oldest == 0 || event->seq < oldest)
        {
          rows_for_event (self, event, front);
        }
      else
        {
          /* A hole in the log (messages missed while away): the event
           * goes in its place, unless its row is there already.
           */
          guint position = position_for_seq (self, start, event->seq);
          g_autoptr(GPtrArray) rows = NULL;

          if (position == G_MAXUINT)
            continue;

          rows = g_ptr_array_new_with_free_func (g_object_unref);
          rows_for_event (self, event, rows);
          g_list_store_splice (self->messages, position, 0, rows->pdata, rows->len);
        }
    }

  self->prepending = FALSE;

  /* One items-changed at the front: the view keeps its place. */
  if (front->len > 0)
    g_list_store_splice (self->messages, start, 0, front->pdata, front->len);

  _tertulia_room_set_has_older (self, more);

  g_object_thaw_notify (G_OBJECT (self));
}

gint64
tertulia_room_get_oldest_seq (TertuliaRoom *self)
{
  g_return_val_if_fail (TERTULIA_IS_ROOM (self), 0);

  return self->oldest_seq;
}

gboolean
tertulia_room_get_has_older (TertuliaRoom *self)
{
  g_return_val_if_fail (TERTULIA_IS_ROOM (self), FALSE);

  return self->has_older;
}

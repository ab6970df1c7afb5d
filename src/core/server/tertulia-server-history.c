/* tertulia-server-history.c — scrollback: a page of older events for one guest
 *
 * A welcome carries only the room's recent past. A "history" frame asks
 * for the events before a seq, a page at a time (docs/PROTOCOL.md); the
 * answer goes to that guest alone, made of the events' stored JSON,
 * spliced as they were broadcast and never serialized again.
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

/* The page: @json holds the newest events before @before, oldest first,
 * @more whether older ones exist. Older ones are left out while the page
 * is over TERTULIA_MAX_HISTORY_PAGE_BYTES (the newest always goes), and
 * then there are more.
 */
static char *
serialize_page (gint64        before,
                const char  **json,
                guint         n,
                gboolean      more)
{
  gsize bytes = 0;
  guint first = n;

  while (first > 0)
    {
      gsize size = strlen (json[first - 1]) + 1;

      if (first < n && bytes + size > TERTULIA_MAX_HISTORY_PAGE_BYTES)
        break;
      bytes += size;
      first--;
    }

  return tertulia_protocol_serialize_history (before, json + first, n - first, more || first > 0);
}

/* From the store (the journal, or the app's memory store): one event more
 * than asked for says whether there are older ones.
 */
static char *
history_from_store (TertuliaServer *self,
                    gint64          before,
                    guint           limit)
{
  g_autoptr(GPtrArray) events = tertulia_store_dup_before (self->store, before, limit + 1);
  g_autofree const char **json = NULL;
  gboolean more = events->len > limit;
  guint first = more ? events->len - limit : 0;
  guint n = events->len - first;

  json = g_new0 (const char *, n + 1);
  for (guint i = 0; i < n; i++)
    json[i] = ((TertuliaStoreEvent *) g_ptr_array_index (events, first + i))->json;

  return serialize_page (before, json, n, more);
}

/* From the history ring of an ephemeral room, whose seqs are consecutive */
static char *
history_from_ring (TertuliaServer *self,
                   gint64          before,
                   guint           limit)
{
  g_autofree const char **json = NULL;
  guint len = self->ring->len;
  gint64 oldest;
  gint64 first;
  gint64 last;

  if (len == 0)
    return tertulia_protocol_serialize_history (before, NULL, 0, FALSE);

  oldest = ((Event *) g_ptr_array_index (self->ring, self->ring_start))->seq;
  last = MIN (before - 1, self->seq);
  if (last < oldest)
    return tertulia_protocol_serialize_history (before, NULL, 0, FALSE);

  first = MAX (oldest, last - (gint64) limit + 1);

  json = g_new0 (const char *, last - first + 2);
  for (gint64 seq = first; seq <= last; seq++)
    {
      guint n = (guint) (seq - oldest);
      Event *event = g_ptr_array_index (self->ring, (self->ring_start + n) % len);

      g_assert (event->seq == seq);
      json[seq - first] = event->json;
    }

  return serialize_page (before, json, (guint) (last - first + 1), first > oldest);
}

void
_tertulia_server_handle_history (TertuliaServer      *self,
                                 Session             *session,
                                 const TertuliaFrame *frame)
{
  g_autofree char *json = NULL;

  /* The parser let through only before ≥ 1 and a limit within the page */
  g_assert (frame->before >= 1);
  g_assert (frame->limit >= 1 && frame->limit <= TERTULIA_MAX_HISTORY_PAGE);

  if (frame->before > self->seq + 1)
    {
      _tertulia_session_send_error (session, TERTULIA_ERROR_HISTORY_OUT_OF_RANGE,
                                    "There are no events that far ahead: “before” is at most the room’s seq + 1.",
                                    NULL);
      return;
    }

  if (self->store != NULL)
    json = history_from_store (self, frame->before, (guint) frame->limit);
  else
    json = history_from_ring (self, frame->before, (guint) frame->limit);

  _tertulia_session_send (session, json);
}

/* tertulia-test-store.h — a room's past, written into a store before a host opens it
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tertulia-protocol.h"
#include "tertulia-store.h"

/* Events 1 to @n_events, all messages from luis (participant 1), a second
 * apart: "mensaje N", except that every hundredth, from 50 on, reads
 * "el PULPO número N", for searches.
 */
static inline void
tertulia_test_fill_store (TertuliaStore *store,
                          const char    *room_id,
                          const char    *name,
                          guint          n_events)
{
  TertuliaStoreRoom room = {
    .room_id = (char *) room_id,
    .name = (char *) name,
    .topic = (char *) "",
    .next_participant_id = 2,
  };

  tertulia_store_set_room (store, &room);
  for (gint64 seq = 1; seq <= n_events; seq++)
    {
      g_autoptr(TertuliaFrame) event = tertulia_frame_new (TERTULIA_FRAME_MESSAGE);
      g_autofree char *json = NULL;

      event->seq = seq;
      event->time = G_GINT64_CONSTANT (1763769600000) + seq * 1000;
      event->peer.id = 1;
      event->peer.nick = g_strdup ("luis");
      if (seq % 100 == 50)
        event->text = g_strdup_printf ("el PULPO número %" G_GINT64_FORMAT, seq);
      else
        event->text = g_strdup_printf ("mensaje %" G_GINT64_FORMAT, seq);
      json = tertulia_protocol_serialize (event);
      tertulia_store_append (store, seq, event->time, json);
    }
  tertulia_store_flush (store);
}

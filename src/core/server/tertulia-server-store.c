/* tertulia-server-store.c — a TertuliaServer's room kept in a TertuliaStore,
 * and continued from it when the host starts again
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-server"
#define TERTULIA_SERVER_COMPILATION

#include "config.h"

#include "tertulia-server-private.h"

/* The server finds a participant by a hash of its resume token, and a store
 * keeps only that hash: a copy of the journal does not let anyone take a
 * guest's place in the room. The token is 256 random bits, so an unsalted
 * hash is as hard to reverse as the token is to guess.
 */
char *
_tertulia_token_key (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

void
_tertulia_server_store_room (TertuliaServer *self)
{
  TertuliaStoreRoom room = {
    .room_id = self->room_id,
    .name = self->room_name,
    .topic = self->topic,
    .next_participant_id = self->next_id,
  };

  if (self->store != NULL)
    {
      tertulia_store_set_room (self->store, &room);
      self->store_dirty = TRUE;
    }
}

void
_tertulia_server_store_participant (TertuliaServer *self,
                                    Participant    *participant)
{
  TertuliaStoreParticipant stored = {
    .id = participant->id,
    .resume_key = participant->token_key,
    .nick = participant->nick,
    .joined_at = participant->joined_at,
    .host = participant->host,
  };

  if (self->store != NULL)
    {
      tertulia_store_put_participant (self->store, &stored);
      self->store_dirty = TRUE;
    }
}

/* A participant who was in the room when the host stopped: it is in the
 * room again, within its grace, as if its connection had just dropped, and
 * its resume token works as before.
 */
static void
server_restore_participant (TertuliaServer                 *self,
                            const TertuliaStoreParticipant *stored)
{
  Participant *participant = g_new0 (Participant, 1);

  participant->server = self;
  participant->id = stored->id;
  participant->nick = g_strdup (stored->nick);
  participant->joined_at = stored->joined_at;
  participant->host = stored->host;
  participant->token_key = g_strdup (stored->resume_key);
  participant->cids = _tertulia_cid_memory_new ();
  for (guint i = 0; i < stored->cids->len; i++)
    {
      const TertuliaStoreCid *cid = g_ptr_array_index (stored->cids, i);

      if (_tertulia_cid_memory_lookup (participant->cids, cid->cid) == NULL)
        _tertulia_cid_memory_remember (participant->cids, cid->cid, cid->seq, cid->time);
    }
  _tertulia_participant_update_json (participant);

  g_ptr_array_add (self->participants, participant);
  g_hash_table_insert (self->by_token, participant->token_key, participant);
  _tertulia_server_index_nick (self, participant);
  _tertulia_server_start_grace (self, participant, self->resume_grace_msec);

  self->next_id = MAX (self->next_id, participant->id + 1);
}

void
_tertulia_server_restore (TertuliaServer *self)
{
  g_autoptr(TertuliaStoreRoom) room = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) participants = NULL;

  g_assert (self->store != NULL);
  g_assert (self->ring->len == 0 && self->participants->len == 0);

  room = tertulia_store_dup_room (self->store);
  if (room != NULL)
    {
      g_free (self->room_id);
      self->room_id = g_strdup (room->room_id);
      g_free (self->topic);
      self->topic = g_strdup (room->topic != NULL ? room->topic : "");
      self->next_id = MAX (room->next_participant_id, 1);
      self->seq = room->last_seq;

      events = tertulia_store_dup_last (self->store, self->history_size);
      for (guint i = 0; i < events->len; i++)
        {
          TertuliaStoreEvent *event = g_ptr_array_index (events, i);

          g_ptr_array_add (self->ring, _tertulia_event_new (event->seq, g_steal_pointer (&event->json)));
        }

      participants = tertulia_store_dup_participants (self->store);
      for (guint i = 0; i < participants->len; i++)
        {
          TertuliaStoreParticipant *stored = g_ptr_array_index (participants, i);

          if (stored->left_at == 0)
            server_restore_participant (self, stored);
        }

      _tertulia_server_conversation_restore (self);  /* issue 19 */

      g_debug ("continuing room %s at seq %" G_GINT64_FORMAT " with %u participants within their grace",
               self->room_id, self->seq, self->participants->len);
    }

  /* A new room, or the same one under the name the host gives it now */
  _tertulia_server_store_room (self);
  tertulia_store_flush (self->store);
}

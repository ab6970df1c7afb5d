/* tertulia-memory-store.c — the room's memory in a ring, for an ephemeral room
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-store"

#include "config.h"

#include "tertulia-memory-store.h"

struct _TertuliaMemoryStore
{
  GObject            parent_instance;

  /* Owned references */
  TertuliaStoreRoom *room;
  GPtrArray         *ring;          /* of TertuliaStoreEvent*, oldest at ring_start */
  GHashTable        *participants;  /* id → TertuliaStoreParticipant* */
  GHashTable        *states;        /* name → GBytes*, never on disk */

  guint              ring_start;
  guint              capacity;
};

static void tertulia_memory_store_iface_init (TertuliaStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TertuliaMemoryStore, tertulia_memory_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (TERTULIA_TYPE_STORE,
                                                      tertulia_memory_store_iface_init))

static TertuliaStoreEvent *
ring_nth (TertuliaMemoryStore *self,
          guint                n)
{
  g_assert (n < self->ring->len);

  return g_ptr_array_index (self->ring, (self->ring_start + n) % self->ring->len);
}

/* The index of the first event with seq > @seq (events are in seq order) */
static guint
ring_bisect (TertuliaMemoryStore *self,
             gint64               seq)
{
  guint low = 0, high = self->ring->len;

  while (low < high)
    {
      guint middle = low + (high - low) / 2;

      if (ring_nth (self, middle)->seq <= seq)
        low = middle + 1;
      else
        high = middle;
    }

  return low;
}

static TertuliaStoreRoom *
tertulia_memory_store_dup_room (TertuliaStore *store)
{
  TertuliaMemoryStore *self = TERTULIA_MEMORY_STORE (store);
  TertuliaStoreRoom *room;

  if (self->room == NULL)
    return NULL;

  room = tertulia_store_room_copy (self->room);
  room->last_seq = self->ring->len > 0 ? ring_nth (self, self->ring->len - 1)->seq : 0;

  return room;
}

static void
tertulia_memory_store_set_room (TertuliaStore           *store,
                                const TertuliaStoreRoom *room)
{
  TertuliaMemoryStore *self = TERTULIA_MEMORY_STORE (store);

  g_clear_pointer (&self->room, tertulia_store_room_free);
  self->room = tertulia_store_room_copy (room);
}

/* The ring grows as events come; once full, the newest event takes the
 * oldest one's slot.
 */
static void
tertulia_memory_store_append (TertuliaStore *store,
                              gint64         seq,
                              gint64         time,
                              const char    *json,
                              gint64         participant_id,
                              const char    *cid)
{
  TertuliaMemoryStore *self = TERTULIA_MEMORY_STORE (store);
  TertuliaStoreEvent *event = tertulia_store_event_new (seq, time, json);
  TertuliaStoreParticipant *participant;

  if (cid != NULL &&
      (participant = g_hash_table_lookup (self->participants, &participant_id)) != NULL)
    {
      g_ptr_array_add (participant->cids, tertulia_store_cid_new (cid, seq, time));
      if (participant->cids->len > TERTULIA_STORE_CID_LIMIT)
        g_ptr_array_remove_index (participant->cids, 0);
    }

  if (self->ring->len < self->capacity)
    {
      g_ptr_array_add (self->ring, event);
    }
  else
    {
      tertulia_store_event_free (g_ptr_array_index (self->ring, self->ring_start));
      g_ptr_array_index (self->ring, self->ring_start) = event;
      self->ring_start = (self->ring_start + 1) % self->ring->len;
    }
}

static GPtrArray *
tertulia_memory_store_dup_range (TertuliaStore *store,
                                 gint64         after,
                                 gint64         before,
                                 guint          limit,
                                 gboolean       newest)
{
  TertuliaMemoryStore *self = TERTULIA_MEMORY_STORE (store);
  GPtrArray *events = g_ptr_array_new_with_free_func ((GDestroyNotify) tertulia_store_event_free);
  guint first = ring_bisect (self, after);
  guint end = before == G_MININT64 ? 0 : ring_bisect (self, before - 1);

  if (end <= first)
    return events;

  if (end - first > limit)
    {
      if (newest)
        first = end - limit;
      else
        end = first + limit;
    }

  for (guint i = first; i < end; i++)
    {
      const TertuliaStoreEvent *event = ring_nth (self, i);

      g_ptr_array_add (events, tertulia_store_event_new (event->seq, event->time, event->json));
    }

  return events;
}

static int
participant_compare (gconstpointer a,
                     gconstpointer b)
{
  const TertuliaStoreParticipant *pa = *(TertuliaStoreParticipant **) a;
  const TertuliaStoreParticipant *pb = *(TertuliaStoreParticipant **) b;

  return (pa->id > pb->id) - (pa->id < pb->id);
}

static GPtrArray *
tertulia_memory_store_dup_participants (TertuliaStore *store)
{
  TertuliaMemoryStore *self = TERTULIA_MEMORY_STORE (store);
  GPtrArray *participants = g_ptr_array_new_with_free_func ((GDestroyNotify) tertulia_store_participant_free);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->participants);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (participants, tertulia_store_participant_copy (value));

  g_ptr_array_sort (participants, participant_compare);

  return participants;
}

static void
tertulia_memory_store_put_participant (TertuliaStore                  *store,
                                       const TertuliaStoreParticipant *participant)
{
  TertuliaMemoryStore *self = TERTULIA_MEMORY_STORE (store);
  TertuliaStoreParticipant *old = g_hash_table_lookup (self->participants, &participant->id);
  TertuliaStoreParticipant *copy = tertulia_store_participant_copy (participant);

  /* The cids come with the messages only */
  g_ptr_array_set_size (copy->cids, 0);
  if (old != NULL)
    {
      g_ptr_array_unref (copy->cids);
      copy->cids = g_ptr_array_ref (old->cids);
    }

  g_hash_table_replace (self->participants, &copy->id, copy);
}

static void
tertulia_memory_store_remove_participant (TertuliaStore *store,
                                          gint64         id)
{
  TertuliaMemoryStore *self = TERTULIA_MEMORY_STORE (store);

  g_hash_table_remove (self->participants, &id);
}

/* Everything is already where it goes */
static void
tertulia_memory_store_flush (TertuliaStore *store)
{
}

static GBytes *
tertulia_memory_store_dup_state (TertuliaStore *store,
                                 const char    *name)
{
  TertuliaMemoryStore *self = TERTULIA_MEMORY_STORE (store);
  GBytes *value = g_hash_table_lookup (self->states, name);

  return value != NULL ? g_bytes_ref (value) : NULL;
}

static void
tertulia_memory_store_save_state (TertuliaStore *store,
                                  const char    *name,
                                  GBytes        *value)
{
  TertuliaMemoryStore *self = TERTULIA_MEMORY_STORE (store);

  g_hash_table_replace (self->states, g_strdup (name), g_bytes_ref (value));
}

static void
tertulia_memory_store_iface_init (TertuliaStoreInterface *iface)
{
  iface->dup_room = tertulia_memory_store_dup_room;
  iface->set_room = tertulia_memory_store_set_room;
  iface->append = tertulia_memory_store_append;
  iface->dup_range = tertulia_memory_store_dup_range;
  iface->dup_participants = tertulia_memory_store_dup_participants;
  iface->put_participant = tertulia_memory_store_put_participant;
  iface->remove_participant = tertulia_memory_store_remove_participant;
  iface->flush = tertulia_memory_store_flush;
  iface->dup_state = tertulia_memory_store_dup_state;
  iface->save_state = tertulia_memory_store_save_state;
}

static void
tertulia_memory_store_finalize (GObject *object)
{
  TertuliaMemoryStore *self = (TertuliaMemoryStore *) object;

  g_clear_pointer (&self->room, tertulia_store_room_free);
  g_clear_pointer (&self->ring, g_ptr_array_unref);
  g_clear_pointer (&self->participants, g_hash_table_unref);
  g_clear_pointer (&self->states, g_hash_table_unref);

  G_OBJECT_CLASS (tertulia_memory_store_parent_class)->finalize (object);
}

static void
tertulia_memory_store_class_init (TertuliaMemoryStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tertulia_memory_store_finalize;
}

static void
tertulia_memory_store_init (TertuliaMemoryStore *self)
{
  self->ring = g_ptr_array_new_with_free_func ((GDestroyNotify) tertulia_store_event_free);
  self->participants = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                              (GDestroyNotify) tertulia_store_participant_free);
  self->states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
}

TertuliaStore *
tertulia_memory_store_new (guint capacity)
{
  TertuliaMemoryStore *self = g_object_new (TERTULIA_TYPE_MEMORY_STORE, NULL);

  self->capacity = MAX (capacity, 1);

  return TERTULIA_STORE (self);
}

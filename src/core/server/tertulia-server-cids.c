/* tertulia-server-cids.c — the cids a TertuliaServer accepted, remembered
 * so that a message resent after a lost echo is never posted twice, even
 * by a guest that comes back as a new participant
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-server"
#define TERTULIA_SERVER_COMPILATION

#include "config.h"

#include "tertulia-server-private.h"

/* How many accepted cids a present participant remembers. A client resends
 * at most what was in flight when its connection dropped, so a small, fixed
 * window is enough and keeps a chatty guest from growing it.
 */
#define CID_MEMORY          256
/* After a participant left (its grace is over), the last DEPARTED_CIDS of
 * its cids are kept for DEPARTED_SECONDS, for at most DEPARTED_MAX
 * participants, the oldest forgotten first: a guest whose echo was lost
 * and who comes back late, with its old resume token, finds them. About
 * 1 MB at most.
 */
#define DEPARTED_CIDS       64
#define DEPARTED_MAX        128
#define DEPARTED_SECONDS    (10 * 60)

struct _CidMemory
{
  GHashTable *records;  /* cid → CidRecord* */
  GQueue      order;    /* of the cids, oldest first; the keys of @records */
};

typedef struct
{
  char      *token;
  CidMemory *memory;
  gint64     left_at;   /* g_get_monotonic_time () */
} Departed;

CidMemory *
_tertulia_cid_memory_new (void)
{
  CidMemory *memory = g_new0 (CidMemory, 1);

  memory->records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_queue_init (&memory->order);

  return memory;
}

void
_tertulia_cid_memory_free (CidMemory *memory)
{
  g_queue_clear (&memory->order);
  g_hash_table_unref (memory->records);
  g_free (memory);
}

static void
cid_memory_trim (CidMemory *memory,
                 guint      max)
{
  while (g_queue_get_length (&memory->order) > max)
    g_hash_table_remove (memory->records, g_queue_pop_head (&memory->order));
}

void
_tertulia_cid_memory_remember (CidMemory  *memory,
                               const char *cid,
                               gint64      seq,
                               gint64      time)
{
  CidRecord *record = g_new (CidRecord, 1);
  char *key;

  record->seq = seq;
  record->time = time;

  /* A cid is remembered once: a resend is answered, never posted */
  g_return_if_fail (!g_hash_table_contains (memory->records, cid));

  key = g_strdup (cid);
  g_hash_table_insert (memory->records, key, record);
  g_queue_push_tail (&memory->order, key);
  cid_memory_trim (memory, CID_MEMORY);
}

const CidRecord *
_tertulia_cid_memory_lookup (CidMemory  *memory,
                             const char *cid)
{
  return g_hash_table_lookup (memory->records, cid);
}

static void
departed_free (Departed *departed)
{
  g_free (departed->token);
  g_clear_pointer (&departed->memory, _tertulia_cid_memory_free);
  g_free (departed);
}

/* The oldest go first, so the expired ones are at the head */
static void
server_forget_expired (TertuliaServer *self,
                       gint64          now)
{
  Departed *oldest;

  while ((oldest = g_queue_peek_head (&self->departed_order)) != NULL &&
         (now - oldest->left_at > (gint64) DEPARTED_SECONDS * G_USEC_PER_SEC ||
          g_queue_get_length (&self->departed_order) > DEPARTED_MAX))
    {
      g_queue_pop_head (&self->departed_order);
      g_hash_table_remove (self->departed, oldest->token);
    }
}

void
_tertulia_server_keep_departed (TertuliaServer *self,
                                Participant    *participant)
{
  Departed *departed;

  if (participant->cids == NULL || g_queue_is_empty (&participant->cids->order))
    return;

  if (self->departed == NULL)
    {
      self->departed = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                              (GDestroyNotify) departed_free);
      g_queue_init (&self->departed_order);
    }

  departed = g_new0 (Departed, 1);
  departed->token = g_strdup (participant->token_key);
  departed->memory = g_steal_pointer (&participant->cids);
  departed->left_at = g_get_monotonic_time ();
  cid_memory_trim (departed->memory, DEPARTED_CIDS);

  g_hash_table_insert (self->departed, departed->token, departed);
  g_queue_push_tail (&self->departed_order, departed);
  server_forget_expired (self, departed->left_at);
}

CidMemory *
_tertulia_server_take_departed (TertuliaServer *self,
                                const char     *token)
{
  Departed *departed;
  CidMemory *memory;

  if (self->departed == NULL || token == NULL)
    return NULL;

  server_forget_expired (self, g_get_monotonic_time ());

  departed = g_hash_table_lookup (self->departed, token);
  if (departed == NULL)
    return NULL;

  memory = g_steal_pointer (&departed->memory);
  g_queue_remove (&self->departed_order, departed);
  g_hash_table_remove (self->departed, token);

  return memory;
}

void
_tertulia_server_forget_departed (TertuliaServer *self)
{
  if (self->departed == NULL)
    return;

  g_queue_clear (&self->departed_order);
  g_clear_pointer (&self->departed, g_hash_table_unref);
}

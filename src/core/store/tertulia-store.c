/* tertulia-store.c — the room's memory: the interface and its values
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-store"

#include "config.h"

#include "tertulia-store.h"

enum {
  FAILED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];
static GQuark failure_quark;

G_DEFINE_INTERFACE (TertuliaStore, tertulia_store, G_TYPE_OBJECT)

static void
tertulia_store_default_init (TertuliaStoreInterface *iface)
{
  failure_quark = g_quark_from_static_string ("tertulia-store-failure");

  /**
   * TertuliaStore::failed:
   * @error: why; its message is a translated sentence for the host's user
   *
   * The store could not write (a full disk, an I/O error): the room goes on
   * in memory but is no longer kept. Emitted once.
   */
  signals [FAILED] =
    g_signal_new ("failed",
                  G_TYPE_FROM_INTERFACE (iface),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}


/* Values */

TertuliaStoreEvent *
tertulia_store_event_new (gint64      seq,
                          gint64      time,
                          const char *json)
{
  TertuliaStoreEvent *event = g_new (TertuliaStoreEvent, 1);

  event->seq = seq;
  event->time = time;
  event->json = g_strdup (json);

  return event;
}

void
tertulia_store_event_free (TertuliaStoreEvent *event)
{
  if (event == NULL)
    return;

  g_free (event->json);
  g_free (event);
}

TertuliaStoreRoom *
tertulia_store_room_copy (const TertuliaStoreRoom *room)
{
  TertuliaStoreRoom *copy = g_new0 (TertuliaStoreRoom, 1);

  copy->room_id = g_strdup (room->room_id);
  copy->name = g_strdup (room->name);
  copy->topic = g_strdup (room->topic);
  copy->next_participant_id = room->next_participant_id;
  copy->last_seq = room->last_seq;

  return copy;
}

void
tertulia_store_room_free (TertuliaStoreRoom *room)
{
  if (room == NULL)
    return;

  g_free (room->room_id);
  g_free (room->name);
  g_free (room->topic);
  g_free (room);
}

TertuliaStoreCid *
tertulia_store_cid_new (const char *cid,
                        gint64      seq,
                        gint64      time)
{
  TertuliaStoreCid *record = g_new (TertuliaStoreCid, 1);

  record->cid = g_strdup (cid);
  record->seq = seq;
  record->time = time;

  return record;
}

void
tertulia_store_cid_free (TertuliaStoreCid *cid)
{
  if (cid == NULL)
    return;

  g_free (cid->cid);
  g_free (cid);
}

TertuliaStoreParticipant *
tertulia_store_participant_copy (const TertuliaStoreParticipant *participant)
{
  TertuliaStoreParticipant *copy = g_new0 (TertuliaStoreParticipant, 1);

  copy->id = participant->id;
  copy->resume_key = g_strdup (participant->resume_key);
  copy->nick = g_strdup (participant->nick);
  copy->joined_at = participant->joined_at;
  copy->host = participant->host;
  copy->left_at = participant->left_at;
  copy->cids = g_ptr_array_new_with_free_func ((GDestroyNotify) tertulia_store_cid_free);

  if (participant->cids != NULL)
    for (guint i = 0; i < participant->cids->len; i++)
      {
        const TertuliaStoreCid *cid = g_ptr_array_index (participant->cids, i);

        g_ptr_array_add (copy->cids, tertulia_store_cid_new (cid->cid, cid->seq, cid->time));
      }

  return copy;
}

void
tertulia_store_participant_free (TertuliaStoreParticipant *participant)
{
  if (participant == NULL)
    return;

  g_free (participant->resume_key);
  g_free (participant->nick);
  g_clear_pointer (&participant->cids, g_ptr_array_unref);
  g_free (participant);
}


/* The interface */

TertuliaStoreRoom *
tertulia_store_dup_room (TertuliaStore *self)
{
  g_return_val_if_fail (TERTULIA_IS_STORE (self), NULL);

  return TERTULIA_STORE_GET_IFACE (self)->dup_room (self);
}

void
tertulia_store_set_room (TertuliaStore           *self,
                         const TertuliaStoreRoom *room)
{
  g_return_if_fail (TERTULIA_IS_STORE (self));
  g_return_if_fail (room != NULL && room->room_id != NULL);

  TERTULIA_STORE_GET_IFACE (self)->set_room (self, room);
}

void
tertulia_store_append (TertuliaStore *self,
                       gint64         seq,
                       gint64         time,
                       const char    *json)
{
  g_return_if_fail (TERTULIA_IS_STORE (self));
  g_return_if_fail (json != NULL);

  TERTULIA_STORE_GET_IFACE (self)->append (self, seq, time, json, 0, NULL);
}

void
tertulia_store_append_message (TertuliaStore *self,
                               gint64         seq,
                               gint64         time,
                               const char    *json,
                               gint64         participant_id,
                               const char    *cid)
{
  g_return_if_fail (TERTULIA_IS_STORE (self));
  g_return_if_fail (json != NULL);

  TERTULIA_STORE_GET_IFACE (self)->append (self, seq, time, json, participant_id, cid);
}

GPtrArray *
tertulia_store_dup_last (TertuliaStore *self,
                         guint          limit)
{
  g_return_val_if_fail (TERTULIA_IS_STORE (self), NULL);

  return TERTULIA_STORE_GET_IFACE (self)->dup_range (self, G_MININT64, G_MAXINT64, limit, TRUE);
}

GPtrArray *
tertulia_store_dup_after (TertuliaStore *self,
                          gint64         seq,
                          guint          limit)
{
  g_return_val_if_fail (TERTULIA_IS_STORE (self), NULL);

  return TERTULIA_STORE_GET_IFACE (self)->dup_range (self, seq, G_MAXINT64, limit, FALSE);
}

GPtrArray *
tertulia_store_dup_before (TertuliaStore *self,
                           gint64         seq,
                           guint          limit)
{
  g_return_val_if_fail (TERTULIA_IS_STORE (self), NULL);

  return TERTULIA_STORE_GET_IFACE (self)->dup_range (self, G_MININT64, seq, limit, TRUE);
}

GPtrArray *
tertulia_store_dup_participants (TertuliaStore *self)
{
  g_return_val_if_fail (TERTULIA_IS_STORE (self), NULL);

  return TERTULIA_STORE_GET_IFACE (self)->dup_participants (self);
}

void
tertulia_store_put_participant (TertuliaStore                  *self,
                                const TertuliaStoreParticipant *participant)
{
  g_return_if_fail (TERTULIA_IS_STORE (self));
  g_return_if_fail (participant != NULL && participant->resume_key != NULL && participant->nick != NULL);

  TERTULIA_STORE_GET_IFACE (self)->put_participant (self, participant);
}

void
tertulia_store_remove_participant (TertuliaStore *self,
                                   gint64         id)
{
  g_return_if_fail (TERTULIA_IS_STORE (self));

  TERTULIA_STORE_GET_IFACE (self)->remove_participant (self, id);
}

void
tertulia_store_flush (TertuliaStore *self)
{
  g_return_if_fail (TERTULIA_IS_STORE (self));

  TERTULIA_STORE_GET_IFACE (self)->flush (self);
}

GBytes *
tertulia_store_dup_state (TertuliaStore *self,
                          const char    *name)
{
  g_return_val_if_fail (TERTULIA_IS_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return TERTULIA_STORE_GET_IFACE (self)->dup_state (self, name);
}

void
tertulia_store_save_state (TertuliaStore *self,
                           const char    *name,
                           GBytes        *value)
{
  g_return_if_fail (TERTULIA_IS_STORE (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (value != NULL);

  TERTULIA_STORE_GET_IFACE (self)->save_state (self, name, value);
}

const GError *
tertulia_store_get_failure (TertuliaStore *self)
{
  g_return_val_if_fail (TERTULIA_IS_STORE (self), NULL);

  return g_object_get_qdata (G_OBJECT (self), failure_quark);
}

void
tertulia_store_report_failure (TertuliaStore *self,
                               const GError  *error)
{
  g_return_if_fail (TERTULIA_IS_STORE (self));
  g_return_if_fail (error != NULL);

  if (tertulia_store_get_failure (self) != NULL)
    return;

  g_object_set_qdata_full (G_OBJECT (self), failure_quark, g_error_copy (error),
                           (GDestroyNotify) g_error_free);
  g_signal_emit (self, signals [FAILED], 0, error);
}

/* tertulia-store.h — the room's memory: an interface, with the in-memory
 * ring (TertuliaMemoryStore) and the SQLite journal (TertuliaJournal)
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* One room event as the wire carries it: its seq, its time (ms since the
 * epoch) and its frame, serialized once by the server.
 */
typedef struct
{
  gint64  seq;
  gint64  time;
  char   *json;
} TertuliaStoreEvent;

/* What makes a room the same room after its host restarted */
typedef struct
{
  char   *room_id;
  char   *name;
  char   *topic;
  gint64  next_participant_id;
  /* The newest event's seq, 0 for none (read-only: follows the events) */
  gint64  last_seq;
} TertuliaStoreRoom;

/* A cid a participant's message was accepted under, for de-duplication */
typedef struct
{
  char   *cid;
  gint64  seq;
  gint64  time;
} TertuliaStoreCid;

/* A participant that may resume: present, within its grace, or gone but
 * with cids still worth remembering.
 */
typedef struct
{
  gint64     id;
  /* What the server finds the participant by when it resumes. The server
   * keeps a hash of the resume token here, never the token itself, so that
   * the file does not hand out anyone's place in the room.
   */
  char      *resume_key;
  char      *nick;
  gint64     joined_at;
  gboolean   host;
  /* 0 while present (or within its grace); when it left, ms since the epoch */
  gint64     left_at;
  /* Of TertuliaStoreCid, oldest first, at most TERTULIA_STORE_CID_LIMIT;
   * NULL in what is handed to tertulia_store_put_participant() (cids come
   * with their messages, tertulia_store_append_message()).
   */
  GPtrArray *cids;
} TertuliaStoreParticipant;

TertuliaStoreEvent       *tertulia_store_event_new        (gint64      seq,
                                                           gint64      time,
                                                           const char *json);
void                      tertulia_store_event_free       (TertuliaStoreEvent *event);
TertuliaStoreRoom        *tertulia_store_room_copy        (const TertuliaStoreRoom *room);
void                      tertulia_store_room_free        (TertuliaStoreRoom *room);
TertuliaStoreCid         *tertulia_store_cid_new          (const char *cid,
                                                           gint64      seq,
                                                           gint64      time);
void                      tertulia_store_cid_free         (TertuliaStoreCid *cid);
TertuliaStoreParticipant *tertulia_store_participant_copy (const TertuliaStoreParticipant *participant);
void                      tertulia_store_participant_free (TertuliaStoreParticipant *participant);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TertuliaStoreEvent, tertulia_store_event_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TertuliaStoreRoom, tertulia_store_room_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TertuliaStoreParticipant, tertulia_store_participant_free)

/* How many cids a store keeps for each participant (the server's memory
 * of them is the same size)
 */
#define TERTULIA_STORE_CID_LIMIT 256

#define TERTULIA_TYPE_STORE (tertulia_store_get_type ())

G_DECLARE_INTERFACE (TertuliaStore, tertulia_store, TERTULIA, STORE, GObject)

/* A GInterface rather than a table of function pointers: a store is an
 * object the server and the app hold a reference to, that tells them when
 * it fails (the "failed" signal), and that a later shared store (Redis
 * Streams, docs/ARCHITECTURE.md) can implement without the server
 * changing.
 *
 * Writes may be batched: they are visible to the store's own reads at
 * once, and durable after the store's next commit (for the journal, once
 * per main-loop iteration; tertulia_store_flush() commits now). They never
 * fail to the caller: a store that cannot write any more keeps the room
 * going, emits "failed" once and says why in tertulia_store_get_failure().
 */
struct _TertuliaStoreInterface
{
  GTypeInterface parent_iface;

  /* NULL for a store that never held a room */
  TertuliaStoreRoom *(*dup_room)          (TertuliaStore                  *self);
  /* Saves the room's identity; last_seq is ignored */
  void               (*set_room)          (TertuliaStore                  *self,
                                           const TertuliaStoreRoom        *room);
  /* @cid (or NULL) is the cid participant @participant_id's message
   * was accepted under
   */
  void               (*append)            (TertuliaStore                  *self,
                                           gint64                          seq,
                                           gint64                          time,
                                           const char                     *json,
                                           gint64                          participant_id,
                                           const char                     *cid);
  /* Events with @after < seq < @before, at most @limit of them: the newest
   * ones when @newest, else the oldest; always in seq order.
   */
  GPtrArray         *(*dup_range)         (TertuliaStore                  *self,
                                           gint64                          after,
                                           gint64                          before,
                                           guint                           limit,
                                           gboolean                        newest);
  /* Of TertuliaStoreParticipant, by id */
  GPtrArray         *(*dup_participants)  (TertuliaStore                  *self);
  /* Adds or replaces (by id) a participant; its cids stay */
  void               (*put_participant)   (TertuliaStore                  *self,
                                           const TertuliaStoreParticipant *participant);
  void               (*remove_participant)(TertuliaStore                  *self,
                                           gint64                          id);
  void               (*flush)             (TertuliaStore                  *self);
  /* The value last saved under @name, or NULL */
  GBytes            *(*dup_state)         (TertuliaStore                  *self,
                                           const char                     *name);
  /* Replaces the value under @name, in the same batch as the events */
  void               (*save_state)        (TertuliaStore                  *self,
                                           const char                     *name,
                                           GBytes                         *value);
};

TertuliaStoreRoom *tertulia_store_dup_room           (TertuliaStore                  *self);
void               tertulia_store_set_room           (TertuliaStore                  *self,
                                                      const TertuliaStoreRoom        *room);
void               tertulia_store_append             (TertuliaStore                  *self,
                                                      gint64                          seq,
                                                      gint64                          time,
                                                      const char                     *json);
/* A message @participant_id posted with @cid (or NULL): the cid is kept
 * with it, for de-duplicating resends after a restart.
 */
void               tertulia_store_append_message     (TertuliaStore                  *self,
                                                      gint64                          seq,
                                                      gint64                          time,
                                                      const char                     *json,
                                                      gint64                          participant_id,
                                                      const char                     *cid);
/* The newest @limit events, for a welcome */
GPtrArray         *tertulia_store_dup_last           (TertuliaStore                  *self,
                                                      guint                           limit);
/* The oldest @limit events after @seq, for a guest that resumes */
GPtrArray         *tertulia_store_dup_after          (TertuliaStore                  *self,
                                                      gint64                          seq,
                                                      guint                           limit);
/* The newest @limit events before @seq, for scrollback */
GPtrArray         *tertulia_store_dup_before         (TertuliaStore                  *self,
                                                      gint64                          seq,
                                                      guint                           limit);
/* Of TertuliaStoreParticipant, by id, each with its newest cids (a journal
 * finds them among the newest events; see tertulia-journal.c)
 */
GPtrArray         *tertulia_store_dup_participants   (TertuliaStore                  *self);
void               tertulia_store_put_participant    (TertuliaStore                  *self,
                                                      const TertuliaStoreParticipant *participant);
void               tertulia_store_remove_participant (TertuliaStore                  *self,
                                                      gint64                          id);
void               tertulia_store_flush              (TertuliaStore                  *self);

/* The room's state beyond its events and participants, by name (the
 * server's "moderation": bans, mutes, co-hosts and the room's settings).
 * A store keeps each value whole and opaque; a save replaces it and is
 * batched, and committed, with the events written in the same iteration,
 * so that a moderation event and the state it made are kept together.
 */
GBytes            *tertulia_store_dup_state          (TertuliaStore                  *self,
                                                      const char                     *name);
void               tertulia_store_save_state         (TertuliaStore                  *self,
                                                      const char                     *name,
                                                      GBytes                         *value);

/* Why the store stopped keeping the room (a translated sentence in the
 * message), or NULL while it works.
 */
const GError      *tertulia_store_get_failure        (TertuliaStore                  *self);
/* For implementations: records @error (the first one only) and emits
 * "failed".
 */
void               tertulia_store_report_failure     (TertuliaStore                  *self,
                                                      const GError                   *error);

G_END_DECLS

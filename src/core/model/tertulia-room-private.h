/* tertulia-room-private.h — shared between the files of TertuliaRoom
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tertulia-room.h"

G_BEGIN_DECLS

/* What a TertuliaRoom is made of; tertulia-room.c owns it, the other
 * tertulia-room-*.c files work on it.
 */
struct _TertuliaRoom
{
  GObject              parent_instance;

  /* Owned references */
  GListStore          *messages;
  GListStore          *participants;
  TertuliaParticipant *you;
  /* cid → TertuliaMessage, for your own messages; the key is the
   * message's own (construct-only) cid string.
   */
  GHashTable          *own_by_cid;
  /* Every participant id you have had in this room (gint64*): back after
   * the resume grace you are a new participant, and your messages from
   * before are still yours. Ids are never reused within a room.
   */
  GHashTable          *own_ids;
  /* While a welcome's history is applied, the messages it adds wait
   * here and go into the store in one splice: one items-changed for the
   * whole history instead of one per message.
   */
  GPtrArray           *batch;
  /* The notice that opened this room's part of the log after another
   * room's (NULL when the log is all this room's): older history goes
   * right after it.
   */
  TertuliaMessage     *room_start;
  /* issue 19: replies, reactions, edits, deletions, typing */
  struct _TertuliaRoomConversation *conversation;
  char                *room_id;
  char                *name;
  char                *topic;

  gint64               last_seq;
  gint64               oldest_seq;
  gulong               participants_changed_id;
  guint                had_welcome : 1;
  guint                has_older : 1;
  /* While older history goes in, its events must not move last-seq. */
  guint                prepending : 1;
};

/* printf("%s", NULL) is not something to put in front of a user. */
static inline const char *
_tertulia_room_or_empty (const char *str)
{
  return str != NULL ? str : "";
}

/* tertulia-room.c: the log's order and the room's properties */
gboolean  _tertulia_room_is_you              (TertuliaRoom        *self,
                                              gint64               id);
/* Whether @id is you now or was you earlier in this room. */
gboolean  _tertulia_room_is_own_author       (TertuliaRoom        *self,
                                              gint64               id);
void      _tertulia_room_set_topic           (TertuliaRoom        *self,
                                              const char          *topic);
void      _tertulia_room_set_last_seq        (TertuliaRoom        *self,
                                              gint64               last_seq);
/* Scans @store from the end, where the rows that change usually are. */
gboolean  _tertulia_room_find_position       (GListStore          *store,
                                              gpointer             item,
                                              guint               *position);
/* Into the log before your own messages still being sent (or into the
 * welcome's batch while one is applied).
 */
void      _tertulia_room_insert_message      (TertuliaRoom        *self,
                                              TertuliaMessage     *message);
/* The echo of your own message: marks it delivered, in its place. */
void      _tertulia_room_deliver_own_message (TertuliaRoom        *self,
                                              TertuliaMessage     *message,
                                              gint64               seq,
                                              GDateTime           *time);

void      _tertulia_room_set_has_older       (TertuliaRoom        *self,
                                              gboolean             has_older);

/* tertulia-room-events.c: what each event does to the room and says in
 * the log. FALSE when @event is no event or was applied already.
 * @replay: the event comes from a welcome's history, whose participants
 * and topic already are the outcome of it: only the log needs the event.
 */
gboolean  _tertulia_room_apply_event         (TertuliaRoom        *self,
                                              const TertuliaFrame *event,
                                              gboolean             replay);

/* Makes @store list the welcome's participants, in its order, keeping the
 * rows of those already there. Returns "you" (borrowed: @store holds it).
 */
TertuliaParticipant *_tertulia_room_sync_participants (TertuliaRoom        *self,
                                                       GListStore          *store,
                                                       const TertuliaFrame *welcome);

/* tertulia-room-files.c */
void      _tertulia_room_apply_file          (TertuliaRoom        *self,
                                              const TertuliaFrame *event);
void      _tertulia_room_apply_file_removed  (TertuliaRoom        *self,
                                              const TertuliaFrame *event);

/* tertulia-room.c (issue 19) */
void      _tertulia_room_note_seq            (TertuliaRoom        *self,
                                              gint64               seq);

/* tertulia-room-conversation.c (issue 19) */
typedef struct _TertuliaRoomConversation TertuliaRoomConversation;

TertuliaRoomConversation *_tertulia_room_conversation_new (TertuliaRoom *self);
void      _tertulia_room_conversation_free   (TertuliaRoomConversation *conversation);
/* Another room: its messages, amendments and typists are not this one's */
void      _tertulia_room_conversation_reset  (TertuliaRoom        *self);
void      _tertulia_room_forget_typing       (TertuliaRoom        *self);
/* A message event made or delivered @message: its quote, amendments
 * that waited for it, and the end of its author's typing.
 */
void      _tertulia_room_conversation_message (TertuliaRoom       *self,
                                              const TertuliaFrame *event,
                                              TertuliaMessage     *message);
/* reaction, edit and delete events */
void      _tertulia_room_apply_amendment     (TertuliaRoom        *self,
                                              const TertuliaFrame *event);
void      _tertulia_room_end_typing          (TertuliaRoom        *self,
                                              gint64               id);

G_END_DECLS

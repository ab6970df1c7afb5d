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

  /* issue 18: moderation and private messages (tertulia-room-moderation.c) */
  GListStore          *conversations;     /* of TertuliaConversation, newest activity first */
  GHashTable          *private_ids;       /* gint64* of private messages applied */
  GHashTable          *own_private_by_cid; /* cid → TertuliaMessage being sent */
  gint64               last_private_id;
  guint                slow_seconds;
  TertuliaPrivateMessages private_messages;
  gboolean             locked;
  gboolean             you_moderate;
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
/* A notice about nobody in particular, in @event's place in the log */
void      _tertulia_room_add_event_notice    (TertuliaRoom        *self,
                                              const TertuliaFrame *event,
                                              const char          *text);

/* Makes @store list the welcome's participants, in its order, keeping the
 * rows of those already there. Returns "you" (borrowed: @store holds it).
 */
TertuliaParticipant *_tertulia_room_sync_participants (TertuliaRoom        *self,
                                                       GListStore          *store,
                                                       const TertuliaFrame *welcome);

/* tertulia-room-moderation.c (issue 18) */
void      _tertulia_room_moderation_class_init   (GObjectClass        *object_class,
                                                  guint                first_prop_id);
void      _tertulia_room_moderation_init         (TertuliaRoom        *self);
void      _tertulia_room_moderation_finalize     (TertuliaRoom        *self);
gboolean  _tertulia_room_moderation_get_property (TertuliaRoom        *self,
                                                  guint                prop_id,
                                                  GValue              *value);
void      _tertulia_room_apply_welcome_moderation (TertuliaRoom       *self,
                                                  const TertuliaFrame *welcome,
                                                  gboolean             new_room);
void      _tertulia_room_apply_moderation        (TertuliaRoom        *self,
                                                  const TertuliaFrame *event,
                                                  gboolean             replay);
/* Conversations follow who is present and their nicknames */
void      _tertulia_room_conversations_refresh   (TertuliaRoom        *self);
/* A full peer's role and muted onto @participant */
void      _tertulia_participant_apply_peer       (TertuliaParticipant *participant,
                                                  const TertuliaPeer  *peer);

/* tertulia-conversation.c (issue 18) */
TertuliaConversation *_tertulia_conversation_new         (gint64                peer_id,
                                                          const char           *nick,
                                                          gboolean              present);
/* Appends @message; @unread: it counts as unread (someone else's) */
void                  _tertulia_conversation_add_message (TertuliaConversation *self,
                                                          TertuliaMessage      *message,
                                                          gboolean              unread);
void                  _tertulia_conversation_set_nick    (TertuliaConversation *self,
                                                          const char           *nick);
void                  _tertulia_conversation_set_present (TertuliaConversation *self,
                                                          gboolean              present);

/* tertulia-room-files.c */
void      _tertulia_room_apply_file          (TertuliaRoom        *self,
                                              const TertuliaFrame *event);
void      _tertulia_room_apply_file_removed  (TertuliaRoom        *self,
                                              const TertuliaFrame *event);

G_END_DECLS

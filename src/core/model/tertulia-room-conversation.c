/* tertulia-room-conversation.c — replies, reactions, edits, deletions and
 * typing in a room (issue 19)
 *
 * Reactions, edits and deletions are events about an earlier message (the
 * target). Each target keeps its amendments in seq order, and the
 * message's state is always computed from all of them: whatever order
 * they arrive in (live, in a welcome's history, from pages of scrollback
 * that come newest first, before or after the target itself), the
 * outcome is the same. Replay equals live.
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-room"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tertulia-message-private.h"
#include "tertulia-protocol-conversation.h"
#include "tertulia-room.h"
#include "tertulia-room-private.h"
#include "tertulia-util-private.h"

typedef struct
{
  gint64             seq;
  TertuliaFrameType  type;
  gint64             from_id;
  char              *from_nick;
  char              *emoji;   /* reaction */
  char              *text;    /* edit */
  gboolean           add;     /* reaction */
} Amendment;

/* What is known about one target */
typedef struct
{
  char      *original_text;   /* NULL while the target is not in the log */
  GPtrArray *amendments;      /* of Amendment*, by seq */
} Target;

typedef struct
{
  TertuliaRoom *room;          /* borrowed: it owns us */
  gint64        id;
  char         *nick;
  guint         expiry_id;
} Typist;

struct _TertuliaRoomConversation
{
  TertuliaRoom *room;          /* borrowed */
  /* seq → TertuliaMessage (chat messages of this room, in the log or in
   * a batch about to go in)
   */
  GHashTable   *messages;
  /* seq → Target */
  GHashTable   *targets;
  /* participant id → Typist */
  GHashTable   *typists;
};

static void
amendment_free (gpointer data)
{
  Amendment *amendment = data;

  g_free (amendment->from_nick);
  g_free (amendment->emoji);
  g_free (amendment->text);
  g_free (amendment);
}

static void
target_free (gpointer data)
{
  Target *target = data;

  g_free (target->original_text);
  g_ptr_array_unref (target->amendments);
  g_free (target);
}

static void
typist_free (gpointer data)
{
  Typist *typist = data;

  g_clear_handle_id (&typist->expiry_id, g_source_remove);
  g_free (typist->nick);
  g_free (typist);
}

TertuliaRoomConversation *
_tertulia_room_conversation_new (TertuliaRoom *room)
{
  TertuliaRoomConversation *conversation = g_new0 (TertuliaRoomConversation, 1);

  conversation->room = room;
  conversation->messages = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  conversation->targets = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, target_free);
  conversation->typists = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, typist_free);

  return conversation;
}

void
_tertulia_room_conversation_free (TertuliaRoomConversation *conversation)
{
  if (conversation == NULL)
    return;

  g_hash_table_unref (conversation->messages);
  g_hash_table_unref (conversation->targets);
  g_hash_table_unref (conversation->typists);
  g_free (conversation);
}

void
_tertulia_room_conversation_reset (TertuliaRoom *self)
{
  g_hash_table_remove_all (self->conversation->messages);
  g_hash_table_remove_all (self->conversation->targets);
  _tertulia_room_forget_typing (self);
}

static gint64 *
seq_key (gint64 seq)
{
  return g_memdup2 (&seq, sizeof seq);
}

/* Folding */

typedef struct
{
  char      *emoji;
  GArray    *ids;     /* gint64 */
  GPtrArray *nicks;   /* char* */
} Tally;

static void
tally_free (gpointer data)
{
  Tally *tally = data;

  g_free (tally->emoji);
  g_array_unref (tally->ids);
  g_ptr_array_unref (tally->nicks);
  g_free (tally);
}

static Tally *
find_tally (GPtrArray  *tallies,
            const char *emoji,
            guint      *index)
{
  for (guint i = 0; i < tallies->len; i++)
    {
      Tally *tally = g_ptr_array_index (tallies, i);

      if (g_str_equal (tally->emoji, emoji))
        {
          *index = i;
          return tally;
        }
    }

  return NULL;
}

static void
tally_reaction (GPtrArray       *tallies,
                const Amendment *amendment)
{
  guint index = 0;
  Tally *tally = find_tally (tallies, amendment->emoji, &index);

  if (amendment->add)
    {
      if (tally == NULL)
        {
          tally = g_new0 (Tally, 1);
          tally->emoji = g_strdup (amendment->emoji);
          tally->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
          tally->nicks = g_ptr_array_new_with_free_func (g_free);
          g_ptr_array_add (tallies, tally);
        }

      for (guint i = 0; i < tally->ids->len; i++)
        if (g_array_index (tally->ids, gint64, i) == amendment->from_id)
          return;

      g_array_append_val (tally->ids, amendment->from_id);
      g_ptr_array_add (tally->nicks, g_strdup (_tertulia_room_or_empty (amendment->from_nick)));
      return;
    }

  if (tally == NULL)
    return;

  for (guint i = 0; i < tally->ids->len; i++)
    if (g_array_index (tally->ids, gint64, i) == amendment->from_id)
      {
        g_array_remove_index (tally->ids, i);
        g_ptr_array_remove_index (tally->nicks, i);
        break;
      }

  /* Gone from the message: used again later, it comes last */
  if (tally->ids->len == 0)
    g_ptr_array_remove_index (tallies, index);
}

static void
fold (TertuliaRoom    *self,
      TertuliaMessage *message,
      Target          *target)
{
  g_autoptr(GPtrArray) tallies = g_ptr_array_new_with_free_func (tally_free);
  GPtrArray *reactions = g_ptr_array_new_with_free_func ((GDestroyNotify) tertulia_reaction_free);
  const char *text = target->original_text;
  const char *deleted_by = NULL;
  gboolean edited = FALSE;
  gboolean deleted = FALSE;

  for (guint i = 0; i < target->amendments->len && !deleted; i++)
    {
      const Amendment *amendment = g_ptr_array_index (target->amendments, i);

      if (amendment->type == TERTULIA_FRAME_EDIT)
        {
          text = amendment->text;
          edited = TRUE;
        }
      else if (amendment->type == TERTULIA_FRAME_DELETE)
        {
          deleted = TRUE;
          deleted_by = amendment->from_nick;
        }
      else
        {
          tally_reaction (tallies, amendment);
        }
    }

  /* A tombstone: the text is gone, and so are the reactions to it */
  if (deleted)
    {
      text = "";
      g_ptr_array_set_size (tallies, 0);
    }

  for (guint i = 0; i < tallies->len; i++)
    {
      Tally *tally = g_ptr_array_index (tallies, i);
      TertuliaReaction *reaction = tertulia_reaction_new (tally->emoji);

      for (guint j = 0; j < tally->ids->len; j++)
        {
          reaction->mine |= _tertulia_room_is_own_author (self, g_array_index (tally->ids, gint64, j));
          g_ptr_array_add (reaction->nicks, g_strdup (g_ptr_array_index (tally->nicks, j)));
        }
      g_ptr_array_add (reactions, reaction);
    }

  g_object_freeze_notify (G_OBJECT (message));
  _tertulia_message_set_text (message, text);
  _tertulia_message_set_amended (message, edited, deleted, deleted_by, reactions);
  g_object_thaw_notify (G_OBJECT (message));
}

/* Messages */

void
_tertulia_room_conversation_message (TertuliaRoom        *self,
                                     const TertuliaFrame *event,
                                     TertuliaMessage     *message)
{
  TertuliaRoomConversation *conversation = self->conversation;
  Target *target;

  /* The host's quote replaces the one an own reply showed while sending */
  if (event->reply_to > 0)
    tertulia_message_set_reply_to (message, event->reply_to,
                                   event->reply_to_peer.nick, event->reply_to_text);

  if (event->seq > 0)
    {
      g_hash_table_replace (conversation->messages, seq_key (event->seq), g_object_ref (message));

      target = g_hash_table_lookup (conversation->targets, &event->seq);
      if (target != NULL)
        {
          g_free (target->original_text);
          target->original_text = g_strdup (event->text);
          fold (self, message, target);
        }
    }

  /* Someone who sent a message has stopped typing it; an old message
   * from scrollback says nothing about now.
   */
  if (!self->prepending)
    _tertulia_room_end_typing (self, event->peer.id);
}

TertuliaMessage *
tertulia_room_find_message_by_seq (TertuliaRoom *self,
                                   gint64        seq)
{
  g_return_val_if_fail (TERTULIA_IS_ROOM (self), NULL);

  return g_hash_table_lookup (self->conversation->messages, &seq);
}

static void
add_removed_notice (TertuliaRoom        *self,
                    const TertuliaFrame *event)
{
  g_autoptr(GDateTime) time = _tertulia_date_time_from_ms (event->time);
  g_autoptr(TertuliaMessage) notice = NULL;
  g_autofree char *text = NULL;

  /* Translators: a line in the chat log; %s is the nickname of the
   * moderator who deleted one of your messages
   */
  text = g_strdup_printf (_("%s removed your message"), _tertulia_room_or_empty (event->peer.nick));
  notice = tertulia_message_new (TERTULIA_MESSAGE_KIND_NOTICE, MAX (event->seq, 0), 0, NULL, text, time);
  _tertulia_room_insert_message (self, notice);
}

static gint
compare_amendments (gconstpointer a,
                    gconstpointer b)
{
  const Amendment *first = *(const Amendment * const *) a;
  const Amendment *second = *(const Amendment * const *) b;

  return (first->seq > second->seq) - (first->seq < second->seq);
}

void
_tertulia_room_apply_amendment (TertuliaRoom        *self,
                                const TertuliaFrame *event)
{
  TertuliaRoomConversation *conversation = self->conversation;
  TertuliaMessage *message = g_hash_table_lookup (conversation->messages, &event->target);
  Target *target = g_hash_table_lookup (conversation->targets, &event->target);
  Amendment *amendment;

  _tertulia_room_note_seq (self, event->seq);

  if (event->target < 1 || event->target >= event->seq)
    return;

  if (target == NULL)
    {
      target = g_new0 (Target, 1);
      target->amendments = g_ptr_array_new_with_free_func (amendment_free);
      if (message != NULL)
        target->original_text = g_strdup (tertulia_message_get_text (message));
      g_hash_table_insert (conversation->targets, seq_key (event->target), target);
    }

  /* The same event twice (a resume's replay, a page fetched again) */
  for (guint i = 0; i < target->amendments->len; i++)
    if (((Amendment *) g_ptr_array_index (target->amendments, i))->seq == event->seq)
      return;

  amendment = g_new0 (Amendment, 1);
  amendment->seq = event->seq;
  amendment->type = event->type;
  amendment->from_id = event->peer.id;
  amendment->from_nick = g_strdup (event->peer.nick);
  amendment->emoji = g_strdup (event->emoji);
  amendment->text = g_strdup (event->text);
  amendment->add = event->add;
  g_ptr_array_add (target->amendments, amendment);
  g_ptr_array_sort (target->amendments, compare_amendments);

  if (message != NULL)
    {
      fold (self, message, target);

      if (event->type == TERTULIA_FRAME_DELETE &&
          _tertulia_room_is_own_author (self, tertulia_message_get_author_id (message)) &&
          !_tertulia_room_is_own_author (self, event->peer.id))
        add_removed_notice (self, event);
    }

  /* Once the message shows it */
  g_signal_emit_by_name (self, "amendment", event);
}

/* Typing */

static void
notify_typing (TertuliaRoom *self)
{
  g_object_notify (G_OBJECT (self), "typing");
}

static gboolean
typing_expired_cb (gpointer user_data)
{
  Typist *typist = user_data;
  TertuliaRoom *self = typist->room;

  typist->expiry_id = 0;
  g_hash_table_remove (self->conversation->typists, &typist->id);
  notify_typing (self);

  return G_SOURCE_REMOVE;
}

void
_tertulia_room_end_typing (TertuliaRoom *self,
                           gint64        id)
{
  if (g_hash_table_remove (self->conversation->typists, &id))
    notify_typing (self);
}

void
_tertulia_room_forget_typing (TertuliaRoom *self)
{
  if (g_hash_table_size (self->conversation->typists) == 0)
    return;

  g_hash_table_remove_all (self->conversation->typists);
  notify_typing (self);
}

void
tertulia_room_apply_typing (TertuliaRoom        *self,
                            const TertuliaFrame *typing)
{
  Typist *typist;
  gboolean is_new = FALSE;

  g_return_if_fail (TERTULIA_IS_ROOM (self));
  g_return_if_fail (typing != NULL);
  g_return_if_fail (typing->type == TERTULIA_FRAME_TYPING);

  if (_tertulia_room_is_you (self, typing->peer.id))
    return;

  if (!typing->active)
    {
      _tertulia_room_end_typing (self, typing->peer.id);
      return;
    }

  typist = g_hash_table_lookup (self->conversation->typists, &typing->peer.id);
  if (typist == NULL)
    {
      typist = g_new0 (Typist, 1);
      typist->room = self;
      typist->id = typing->peer.id;
      is_new = TRUE;
      g_hash_table_insert (self->conversation->typists, seq_key (typist->id), typist);
    }
  else
    {
      g_clear_handle_id (&typist->expiry_id, g_source_remove);
    }

  typist->expiry_id = g_timeout_add (TERTULIA_TYPING_EXPIRY_SECONDS * 1000, typing_expired_cb, typist);
  if (is_new | _tertulia_set_str (&typist->nick, typing->peer.nick))
    notify_typing (self);
}

static gint
compare_nicks (gconstpointer a,
               gconstpointer b)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

GStrv
tertulia_room_dup_typing (TertuliaRoom *self)
{
  g_autoptr(GPtrArray) nicks = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (TERTULIA_IS_ROOM (self), NULL);

  g_hash_table_iter_init (&iter, self->conversation->typists);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Typist *typist = value;

      if (typist->nick != NULL && typist->nick[0] != '\0')
        g_ptr_array_add (nicks, g_strdup (typist->nick));
    }

  g_ptr_array_sort (nicks, compare_nicks);
  g_ptr_array_add (nicks, NULL);

  return (GStrv) g_ptr_array_steal (nicks, NULL);
}

/* tertulia-server-conversation.c — replies, reactions, edits, deletions
 * and typing, as the host enforces them (issue 19)
 *
 * The host must know, for any message a guest refers to, who wrote it,
 * whether it was deleted, its reactions and the first line it would be
 * quoted with. It keeps that in a compact index by seq, filled as
 * messages are said and rebuilt from the store when a host with a journal
 * starts again, so that a restarted host still enforces the rules on old
 * messages. The index holds the newest TERTULIA_SERVER_INDEXED_MESSAGES
 * messages; an older one is refused as message-not-found (it can still
 * be read in scrollback, only no longer answered, reacted to, edited or
 * deleted).
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-server"
#define TERTULIA_SERVER_COMPILATION

#include "config.h"

#include <string.h>

#include "tertulia-protocol-conversation.h"
#include "tertulia-server-private.h"

/* About 150 bytes each (quote and nickname included): some 7 MB */
#define TERTULIA_SERVER_INDEXED_MESSAGES 50000
/* Pages read from the store when the index is rebuilt */
#define RESTORE_PAGE 1000

typedef struct
{
  char   *emoji;
  GArray *ids;      /* gint64: participants who reacted, once each */
} Reaction;

typedef struct
{
  gint64     seq;         /* the key of the index points here */
  gint64     author_id;
  char      *author_nick; /* as when it was said: for the quote */
  char      *quote;       /* the first line of its current text */
  GPtrArray *reactions;   /* of Reaction*, NULL while there are none */
  gboolean   deleted;
} Indexed;

typedef struct
{
  gint64   relayed_at;  /* monotonic µs of the last "active" relayed */
  gboolean active;      /* that one was not followed by an end yet */
} Typing;

struct _TertuliaServerConversation
{
  GHashTable *by_seq;     /* &Indexed.seq → Indexed* */
  GQueue      order;      /* of Indexed*, oldest first, for the bound */
  /* participant id → Typing */
  GHashTable *typing;
};

static void
reaction_free (gpointer data)
{
  Reaction *reaction = data;

  g_free (reaction->emoji);
  g_array_unref (reaction->ids);
  g_free (reaction);
}

static void
indexed_free (gpointer data)
{
  Indexed *indexed = data;

  g_free (indexed->author_nick);
  g_free (indexed->quote);
  g_clear_pointer (&indexed->reactions, g_ptr_array_unref);
  g_free (indexed);
}

static TertuliaServerConversation *
ensure (TertuliaServer *self)
{
  if (self->conversation == NULL)
    {
      self->conversation = g_new0 (TertuliaServerConversation, 1);
      self->conversation->by_seq = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, indexed_free);
      g_queue_init (&self->conversation->order);
      self->conversation->typing = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
    }

  return self->conversation;
}

void
_tertulia_server_conversation_free (TertuliaServer *self)
{
  TertuliaServerConversation *conversation = self->conversation;

  if (conversation == NULL)
    return;

  g_queue_clear (&conversation->order);
  g_hash_table_unref (conversation->by_seq);
  g_hash_table_unref (conversation->typing);
  g_clear_pointer (&self->conversation, g_free);
}

/* A moderator may delete anyone's message. Until the moderation of issue
 * 18 gives the server its own predicate (_tertulia_server_session_moderates),
 * the host is the moderator: point this at that predicate when both meet.
 */
static gboolean
session_moderates (TertuliaServer *self,
                   Session        *session)
{
  return session->participant != NULL && session->participant->host;
}


/* The index */

static void
index_message (TertuliaServer      *self,
               const TertuliaFrame *message)
{
  TertuliaServerConversation *conversation = ensure (self);
  Indexed *indexed;

  if (g_hash_table_contains (conversation->by_seq, &message->seq))
    return;

  indexed = g_new0 (Indexed, 1);
  indexed->seq = message->seq;
  indexed->author_id = message->peer.id;
  indexed->author_nick = g_strdup (message->peer.nick);
  indexed->quote = tertulia_protocol_quote_text (message->text != NULL ? message->text : "");
  g_hash_table_insert (conversation->by_seq, &indexed->seq, indexed);
  g_queue_push_tail (&conversation->order, indexed);

  while (conversation->order.length > TERTULIA_SERVER_INDEXED_MESSAGES)
    {
      Indexed *oldest = g_queue_pop_head (&conversation->order);

      g_hash_table_remove (conversation->by_seq, &oldest->seq);
    }
}

static Reaction *
find_reaction (Indexed    *indexed,
               const char *emoji,
               guint      *index)
{
  for (guint i = 0; indexed->reactions != NULL && i < indexed->reactions->len; i++)
    {
      Reaction *reaction = g_ptr_array_index (indexed->reactions, i);

      if (g_str_equal (reaction->emoji, emoji))
        {
          if (index != NULL)
            *index = i;
          return reaction;
        }
    }

  return NULL;
}

static gboolean
reaction_has (Reaction *reaction,
              gint64    id)
{
  for (guint i = 0; reaction != NULL && i < reaction->ids->len; i++)
    if (g_array_index (reaction->ids, gint64, i) == id)
      return TRUE;

  return FALSE;
}

/* What an accepted amendment (or one read back from the store) does to
 * the index
 */
static void
index_amendment (TertuliaServer      *self,
                 const TertuliaFrame *event)
{
  Indexed *indexed = g_hash_table_lookup (ensure (self)->by_seq, &event->target);
  Reaction *reaction;
  guint index = 0;

  if (indexed == NULL || indexed->deleted)
    return;

  if (event->type == TERTULIA_FRAME_EDIT)
    {
      g_free (indexed->quote);
      indexed->quote = tertulia_protocol_quote_text (event->text != NULL ? event->text : "");
    }
  else if (event->type == TERTULIA_FRAME_DELETE)
    {
      indexed->deleted = TRUE;
      g_clear_pointer (&indexed->quote, g_free);
      g_clear_pointer (&indexed->reactions, g_ptr_array_unref);
    }
  else if (event->type == TERTULIA_FRAME_REACTION && event->emoji != NULL)
    {
      reaction = find_reaction (indexed, event->emoji, &index);
      if (event->add && !reaction_has (reaction, event->peer.id))
        {
          if (reaction == NULL)
            {
              if (indexed->reactions == NULL)
                indexed->reactions = g_ptr_array_new_with_free_func (reaction_free);
              reaction = g_new0 (Reaction, 1);
              reaction->emoji = g_strdup (event->emoji);
              reaction->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
              g_ptr_array_add (indexed->reactions, reaction);
            }
          g_array_append_val (reaction->ids, event->peer.id);
        }
      else if (!event->add && reaction != NULL)
        {
          for (guint i = 0; i < reaction->ids->len; i++)
            if (g_array_index (reaction->ids, gint64, i) == event->peer.id)
              {
                g_array_remove_index (reaction->ids, i);
                break;
              }
          if (reaction->ids->len == 0)
            g_ptr_array_remove_index (indexed->reactions, index);
        }
    }
}

void
_tertulia_server_conversation_said (TertuliaServer      *self,
                                    const TertuliaFrame *message)
{
  index_message (self, message);

  /* Clients end the author's typing on the message: the next "active"
   * is news again, whenever it comes
   */
  g_hash_table_remove (ensure (self)->typing, &message->peer.id);
}

/* The newest messages of the store and what happened to them since:
 * read back in pages, newest first, until the index is full or the
 * journal has no more; then applied oldest first, as they happened.
 */
void
_tertulia_server_conversation_restore (TertuliaServer *self)
{
  g_autoptr(GPtrArray) frames = g_ptr_array_new_with_free_func ((GDestroyNotify) tertulia_frame_free);
  gint64 before = self->seq + 1;
  guint n_messages = 0;

  if (self->store == NULL)
    return;

  while (n_messages < TERTULIA_SERVER_INDEXED_MESSAGES && before > 1)
    {
      g_autoptr(GPtrArray) page = tertulia_store_dup_before (self->store, before, RESTORE_PAGE);

      if (page == NULL || page->len == 0)
        break;

      for (guint i = page->len; i > 0; i--)
        {
          TertuliaStoreEvent *stored = g_ptr_array_index (page, i - 1);
          TertuliaFrame *frame = tertulia_protocol_parse_server_frame (stored->json, (gsize) -1, NULL);

          before = MIN (before, stored->seq);
          if (frame == NULL)
            continue;

          if (frame->type == TERTULIA_FRAME_MESSAGE)
            n_messages++;

          if (frame->type == TERTULIA_FRAME_MESSAGE || frame->type == TERTULIA_FRAME_REACTION ||
              frame->type == TERTULIA_FRAME_EDIT || frame->type == TERTULIA_FRAME_DELETE)
            g_ptr_array_add (frames, frame);
          else
            tertulia_frame_free (frame);
        }
    }

  for (guint i = frames->len; i > 0; i--)
    {
      const TertuliaFrame *frame = g_ptr_array_index (frames, i - 1);

      if (frame->type == TERTULIA_FRAME_MESSAGE)
        index_message (self, frame);
      else
        index_amendment (self, frame);
    }

  g_debug ("indexed %u messages from the store", n_messages);
}


/* Refusals */

/* The message @seq refers to, if it can be acted on; else NULL, and the
 * guest is told why (with the cid of its frame)
 */
static Indexed *
lookup_live (TertuliaServer *self,
             Session        *session,
             gint64          seq,
             const char     *cid)
{
  Indexed *indexed = g_hash_table_lookup (ensure (self)->by_seq, &seq);

  if (indexed == NULL)
    {
      _tertulia_session_send_error (session, TERTULIA_ERROR_MESSAGE_NOT_FOUND,
                                    "There is no such message in this room.", cid);
      return NULL;
    }

  if (indexed->deleted)
    {
      _tertulia_session_send_error (session, TERTULIA_ERROR_MESSAGE_DELETED,
                                    "That message was deleted.", cid);
      return NULL;
    }

  return indexed;
}

gboolean
_tertulia_server_conversation_quote (TertuliaServer *self,
                                     Session        *session,
                                     const TertuliaFrame *say,
                                     TertuliaFrame  *message)
{
  Indexed *indexed;

  if (say->reply_to < 1)
    return TRUE;

  indexed = lookup_live (self, session, say->reply_to, say->cid);
  if (indexed == NULL)
    return FALSE;

  message->reply_to = indexed->seq;
  message->reply_to_peer.id = indexed->author_id;
  message->reply_to_peer.nick = g_strdup (indexed->author_nick);
  message->reply_to_text = g_strdup (indexed->quote);

  return TRUE;
}


/* Amendments */

static void
emit_amendment (TertuliaServer *self,
                Session        *session,
                TertuliaFrame  *event)
{
  Participant *participant = session->participant;

  event->peer.id = participant->id;
  event->peer.nick = g_strdup (participant->nick);
  _tertulia_server_emit_event (self, event);
  index_amendment (self, event);
}

static void
handle_react (TertuliaServer      *self,
              Session             *session,
              const TertuliaFrame *frame)
{
  g_autoptr(TertuliaFrame) event = NULL;
  Indexed *indexed = lookup_live (self, session, frame->target, frame->cid);
  Reaction *reaction;

  if (indexed == NULL)
    return;

  reaction = find_reaction (indexed, frame->emoji, NULL);

  /* Already so: once per person and emoji, and nothing to take back */
  if (frame->add == reaction_has (reaction, session->participant->id))
    return;

  if (frame->add && reaction == NULL && indexed->reactions != NULL &&
      indexed->reactions->len >= TERTULIA_MAX_REACTIONS)
    {
      g_autofree char *sentence = g_strdup_printf ("A message can have at most %d different reactions.",
                                                   TERTULIA_MAX_REACTIONS);

      _tertulia_session_send_error (session, TERTULIA_ERROR_REACTIONS_FULL, sentence, frame->cid);
      return;
    }

  event = tertulia_frame_new (TERTULIA_FRAME_REACTION);
  event->target = frame->target;
  event->emoji = g_strdup (frame->emoji);
  event->add = frame->add;
  emit_amendment (self, session, event);
}

static void
handle_edit (TertuliaServer      *self,
             Session             *session,
             const TertuliaFrame *frame)
{
  g_autoptr(TertuliaFrame) event = NULL;
  Indexed *indexed = lookup_live (self, session, frame->target, frame->cid);

  if (indexed == NULL)
    return;

  if (indexed->author_id != session->participant->id)
    {
      _tertulia_session_send_error (session, TERTULIA_ERROR_NOT_AUTHOR,
                                    "Only its author can edit a message.", frame->cid);
      return;
    }

  event = tertulia_frame_new (TERTULIA_FRAME_EDIT);
  event->target = frame->target;
  event->text = g_strdup (frame->text);
  emit_amendment (self, session, event);
}

static void
handle_delete (TertuliaServer      *self,
               Session             *session,
               const TertuliaFrame *frame)
{
  g_autoptr(TertuliaFrame) event = NULL;
  Indexed *indexed = lookup_live (self, session, frame->target, frame->cid);

  if (indexed == NULL)
    return;

  if (indexed->author_id != session->participant->id && !session_moderates (self, session))
    {
      _tertulia_session_send_error (session, TERTULIA_ERROR_NOT_AUTHOR,
                                    "Only its author or a moderator can delete a message.", frame->cid);
      return;
    }

  event = tertulia_frame_new (TERTULIA_FRAME_DELETE);
  event->target = frame->target;
  emit_amendment (self, session, event);
}


/* Typing: relayed to the others, never kept */

#define TYPING_RELAY_USEC (TERTULIA_TYPING_RELAY_SECONDS * G_USEC_PER_SEC)

/* Relay times older than the interval decide nothing any more */
static void
forget_old_typing (GHashTable *typing,
                   gint64      now)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, typing);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (now - ((Typing *) value)->relayed_at >= TYPING_RELAY_USEC)
      g_hash_table_iter_remove (&iter);
}

static void
handle_typing (TertuliaServer      *self,
               Session             *session,
               const TertuliaFrame *frame)
{
  TertuliaServerConversation *conversation = ensure (self);
  Participant *participant = session->participant;
  g_autoptr(TertuliaFrame) typing = NULL;
  g_autofree char *json = NULL;
  gint64 now = g_get_monotonic_time ();
  Typing *state = g_hash_table_lookup (conversation->typing, &participant->id);

  /* At most one "active" per interval and guest, and one end after each
   * relayed "active" (so that the others stop showing it at once); the
   * rest are dropped, not refused: clients send them while people type,
   * and an indicator lasts twice the interval unless renewed.
   */
  if (frame->active)
    {
      if (state != NULL && now - state->relayed_at < TYPING_RELAY_USEC)
        return;
    }
  else if (state == NULL || !state->active)
    {
      return;
    }

  if (state == NULL)
    {
      if (g_hash_table_size (conversation->typing) > 256)
        forget_old_typing (conversation->typing, now);
      state = g_new0 (Typing, 1);
      g_hash_table_insert (conversation->typing,
                           g_memdup2 (&participant->id, sizeof participant->id), state);
    }

  if (frame->active)
    state->relayed_at = now;
  state->active = frame->active;

  typing = tertulia_frame_new (TERTULIA_FRAME_TYPING);
  typing->peer.id = participant->id;
  typing->peer.nick = g_strdup (participant->nick);
  typing->active = frame->active;
  json = tertulia_protocol_serialize (typing);

  for (guint i = 0; i < self->sessions->len; i++)
    {
      Session *other = g_ptr_array_index (self->sessions, i);

      if (other != session && other->participant != NULL)
        _tertulia_session_send (other, json);
    }
}

void
_tertulia_server_handle_conversation (TertuliaServer      *self,
                                      Session             *session,
                                      const TertuliaFrame *frame)
{
  if (frame->type == TERTULIA_FRAME_REACT)
    handle_react (self, session, frame);
  else if (frame->type == TERTULIA_FRAME_EDIT_MESSAGE)
    handle_edit (self, session, frame);
  else if (frame->type == TERTULIA_FRAME_DELETE_MESSAGE)
    handle_delete (self, session, frame);
  else if (frame->type == TERTULIA_FRAME_SET_TYPING)
    handle_typing (self, session, frame);
  else
    g_assert_not_reached ();
}

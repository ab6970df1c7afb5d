/* tertulia-message-conversation.c — a message's reply quote, edits,
 * deletion and reactions (issue 19)
 *
 * Most messages have none of these, and the log holds 100 000 of them:
 * the state lives in object data, made on first use, and costs the rest
 * nothing.
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-message"

#include "config.h"

#include "tertulia-message.h"
#include "tertulia-message-private.h"
#include "tertulia-util-private.h"

typedef struct
{
  gint64     reply_to_seq;
  char      *reply_to_author;
  char      *reply_to_text;
  char      *deleted_by;
  GPtrArray *reactions;   /* of TertuliaReaction* */
  gboolean   edited;
  gboolean   deleted;
} Amended;

static void
amended_free (gpointer data)
{
  Amended *amended = data;

  g_free (amended->reply_to_author);
  g_free (amended->reply_to_text);
  g_free (amended->deleted_by);
  g_clear_pointer (&amended->reactions, g_ptr_array_unref);
  g_free (amended);
}

static GQuark
amended_quark (void)
{
  static GQuark quark;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("tertulia-message-amended");

  return quark;
}

static const Amended *
peek (TertuliaMessage *self)
{
  return g_object_get_qdata (G_OBJECT (self), amended_quark ());
}

static Amended *
ensure (TertuliaMessage *self)
{
  Amended *amended = g_object_get_qdata (G_OBJECT (self), amended_quark ());

  if (amended == NULL)
    {
      amended = g_new0 (Amended, 1);
      amended->reactions = g_ptr_array_new_with_free_func ((GDestroyNotify) tertulia_reaction_free);
      g_object_set_qdata_full (G_OBJECT (self), amended_quark (), amended, amended_free);
    }

  return amended;
}

gint64
tertulia_message_get_reply_to_seq (TertuliaMessage *self)
{
  const Amended *amended;

  g_return_val_if_fail (TERTULIA_IS_MESSAGE (self), 0);

  amended = peek (self);
  return amended != NULL ? amended->reply_to_seq : 0;
}

const char *
tertulia_message_get_reply_to_author (TertuliaMessage *self)
{
  const Amended *amended;

  g_return_val_if_fail (TERTULIA_IS_MESSAGE (self), NULL);

  amended = peek (self);
  return amended != NULL ? amended->reply_to_author : NULL;
}

const char *
tertulia_message_get_reply_to_text (TertuliaMessage *self)
{
  const Amended *amended;

  g_return_val_if_fail (TERTULIA_IS_MESSAGE (self), NULL);

  amended = peek (self);
  return amended != NULL ? amended->reply_to_text : NULL;
}

gboolean
tertulia_message_get_edited (TertuliaMessage *self)
{
  const Amended *amended;

  g_return_val_if_fail (TERTULIA_IS_MESSAGE (self), FALSE);

  amended = peek (self);
  return amended != NULL && amended->edited;
}

gboolean
tertulia_message_get_deleted (TertuliaMessage *self)
{
  const Amended *amended;

  g_return_val_if_fail (TERTULIA_IS_MESSAGE (self), FALSE);

  amended = peek (self);
  return amended != NULL && amended->deleted;
}

const char *
tertulia_message_get_deleted_by (TertuliaMessage *self)
{
  const Amended *amended;

  g_return_val_if_fail (TERTULIA_IS_MESSAGE (self), NULL);

  amended = peek (self);
  return amended != NULL ? amended->deleted_by : NULL;
}

GPtrArray *
tertulia_message_get_reactions (TertuliaMessage *self)
{
  static GPtrArray *none;
  const Amended *amended;

  g_return_val_if_fail (TERTULIA_IS_MESSAGE (self), NULL);

  amended = peek (self);
  if (amended != NULL)
    return amended->reactions;

  /* Never NULL, so that bindings can count without checking; and the
   * rows a view binds cost nothing (transfer none: nobody changes it)
   */
  if (g_once_init_enter (&none))
    g_once_init_leave (&none, g_ptr_array_new ());

  return none;
}

void
tertulia_message_set_reply_to (TertuliaMessage *self,
                               gint64           seq,
                               const char      *author,
                               const char      *text)
{
  Amended *amended;
  gboolean changed_seq;
  gboolean changed_author;
  gboolean changed_text;

  g_return_if_fail (TERTULIA_IS_MESSAGE (self));

  if (seq < 1 && peek (self) == NULL)
    return;

  if (seq < 1)
    author = text = NULL;

  amended = ensure (self);
  changed_seq = amended->reply_to_seq != MAX (seq, 0);
  amended->reply_to_seq = MAX (seq, 0);
  changed_author = _tertulia_set_str (&amended->reply_to_author, author);
  changed_text = _tertulia_set_str (&amended->reply_to_text, text);

  if (changed_seq)
    g_object_notify (G_OBJECT (self), "reply-to-seq");
  if (changed_author)
    g_object_notify (G_OBJECT (self), "reply-to-author");
  if (changed_text)
    g_object_notify (G_OBJECT (self), "reply-to-text");
}

static gboolean
reactions_equal (GPtrArray *a,
                 GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;

  for (guint i = 0; i < a->len; i++)
    {
      const TertuliaReaction *x = g_ptr_array_index (a, i);
      const TertuliaReaction *y = g_ptr_array_index (b, i);

      if (g_strcmp0 (x->emoji, y->emoji) != 0 || !x->mine != !y->mine ||
          x->nicks->len != y->nicks->len)
        return FALSE;

      for (guint j = 0; j < x->nicks->len; j++)
        if (g_strcmp0 (g_ptr_array_index (x->nicks, j), g_ptr_array_index (y->nicks, j)) != 0)
          return FALSE;
    }

  return TRUE;
}

void
_tertulia_message_set_amended (TertuliaMessage *self,
                               gboolean         edited,
                               gboolean         deleted,
                               const char      *deleted_by,
                               GPtrArray       *reactions)
{
  g_autoptr(GPtrArray) owned = reactions;
  Amended *amended;

  g_assert (TERTULIA_IS_MESSAGE (self));
  g_assert (reactions != NULL);

  amended = ensure (self);
  g_object_freeze_notify (G_OBJECT (self));

  if (!amended->edited != !edited)
    {
      amended->edited = !!edited;
      g_object_notify (G_OBJECT (self), "edited");
    }

  if (!amended->deleted != !deleted)
    {
      amended->deleted = !!deleted;
      g_object_notify (G_OBJECT (self), "deleted");
    }

  if (_tertulia_set_str (&amended->deleted_by, deleted_by))
    g_object_notify (G_OBJECT (self), "deleted-by");

  /* A new array on each change: a binding that kept the old one sees
   * the difference.
   */
  if (!reactions_equal (amended->reactions, reactions))
    {
      g_ptr_array_unref (amended->reactions);
      amended->reactions = g_steal_pointer (&owned);
      g_object_notify (G_OBJECT (self), "reactions");
    }

  g_object_thaw_notify (G_OBJECT (self));
}

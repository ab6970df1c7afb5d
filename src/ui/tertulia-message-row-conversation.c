/* tertulia-message-row-conversation.c — a message row's reply quote,
 * reactions, "edited" marker and tombstone
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-message-row"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tertulia-message-reactions.h"
#include "tertulia-message-row-private.h"

char *
tertulia_message_row_dup_tombstone (TertuliaMessage *message)
{
  const char *by;

  g_return_val_if_fail (TERTULIA_IS_MESSAGE (message), NULL);

  by = tertulia_message_get_deleted_by (message);

  /* Someone else took it away: a host or co-host */
  if (by != NULL && *by != '\0' && g_strcmp0 (by, tertulia_message_get_author (message)) != 0)
    /* Translators: what is left of a message a moderator deleted; %s is their nickname */
    return g_strdup_printf (_("Message removed by %s"), by);

  /* Translators: what is left of a message its author deleted */
  return g_strdup (_("Message deleted"));
}

char *
tertulia_message_row_dup_first_line (const char *text)
{
  const char *end;

  if (text == NULL)
    return g_strdup ("");

  end = strchr (text, '\n');

  return end != NULL ? g_strndup (text, end - text) : g_strdup (text);
}

static void
make_quote (TertuliaMessageRow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  self->quote_author = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->quote_author, 0);
  gtk_label_set_ellipsize (self->quote_author, PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (GTK_WIDGET (self->quote_author), "caption-heading");

  self->quote_text = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->quote_text, 0);
  gtk_label_set_ellipsize (self->quote_text, PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (self->quote_text, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->quote_text), "caption");

  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->quote_author));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->quote_text));

  self->quote_button = gtk_button_new ();
  gtk_button_set_child (GTK_BUTTON (self->quote_button), box);
  gtk_widget_set_halign (self->quote_button, GTK_ALIGN_START);
  gtk_widget_add_css_class (self->quote_button, "flat");
  gtk_widget_add_css_class (self->quote_button, "reply-quote");
  gtk_widget_set_tooltip_text (self->quote_button, _("Go to the original message"));
  gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (GTK_WIDGET (self->text))),
                              self->quote_button, GTK_WIDGET (self->header));
}

static void
original_notify_cb (TertuliaMessageRow *self)
{
  _tertulia_message_row_update_quote (self);
}

/* One handler, on the original of a reply only: most rows have none */
static void
follow_original (TertuliaMessageRow *self,
                 TertuliaMessage    *original)
{
  if (self->original == original)
    return;

  if (self->original != NULL)
    g_clear_signal_handler (&self->original_notify_id, self->original);
  g_set_object (&self->original, original);
  if (original != NULL)
    self->original_notify_id = g_signal_connect_swapped (original, "notify::deleted",
                                                         G_CALLBACK (original_notify_cb), self);
}

/* "ana: first line" above a reply; activating it goes to the original,
 * even when that is not loaded yet (chat.jump-to-message is the page's).
 * Once the original is deleted, the quote is its tombstone: its text is
 * gone for everyone.
 */
void
_tertulia_message_row_update_quote (TertuliaMessageRow *self)
{
  TertuliaMessage *original = NULL;
  gint64 seq = 0;
  g_autofree char *line = NULL;
  g_autofree char *name = NULL;
  const char *author;

  if (self->message != NULL && !_tertulia_message_row_is_deleted (self))
    seq = tertulia_message_get_reply_to_seq (self->message);
  if (seq > 0 && self->room != NULL)
    original = tertulia_room_find_message_by_seq (self->room, seq);
  follow_original (self, original);

  if (seq <= 0)
    {
      if (self->quote_button != NULL)
        gtk_widget_set_visible (self->quote_button, FALSE);
      return;
    }

  if (self->quote_button == NULL)
    make_quote (self);

  author = tertulia_message_get_reply_to_author (self->message);
  if (author == NULL)
    author = "";
  if (original != NULL && tertulia_message_get_deleted (original))
    line = tertulia_message_row_dup_tombstone (original);
  else
    line = tertulia_message_row_dup_first_line (tertulia_message_get_reply_to_text (self->message));
  if (original != NULL && tertulia_message_get_deleted (original))
    gtk_widget_add_css_class (GTK_WIDGET (self->quote_text), "tombstone");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->quote_text), "tombstone");

  gtk_label_set_text (self->quote_author, author);
  gtk_label_set_text (self->quote_text, line);
  /* Translators: a screen reader's name for the quote above a reply: "In reply to ana: hello" */
  name = g_strdup_printf (_("In reply to %s: %s"), author, line);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->quote_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _("Go to the original message"),
                                  -1);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->quote_button), "x", seq);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->quote_button), "chat.jump-to-message");
  gtk_widget_set_visible (self->quote_button, TRUE);
}

static void
make_footer (TertuliaMessageRow *self)
{
  GtkWidget *box = gtk_widget_get_parent (GTK_WIDGET (self->text));

  self->footer = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_add_css_class (self->footer, "message-footer");
  /* Under the text (or the file), above "Sending…" */
  gtk_box_insert_child_after (GTK_BOX (box), self->footer,
                              gtk_widget_get_prev_sibling (GTK_WIDGET (self->status_label)));
}

/* The footer holds the reactions and "edited": made for the rows that
 * need them, hidden (not destroyed) when the row is recycled.
 */
void
_tertulia_message_row_update_footer (TertuliaMessageRow *self)
{
  gboolean deleted = _tertulia_message_row_is_deleted (self);
  gboolean edited = self->message != NULL && !deleted && tertulia_message_get_edited (self->message);
  GPtrArray *reactions = NULL;
  gboolean has_reactions;

  if (self->message != NULL && !deleted)
    reactions = tertulia_message_get_reactions (self->message);
  has_reactions = reactions != NULL && reactions->len > 0;

  if (self->footer == NULL)
    {
      if (!edited && !has_reactions)
        return;
      make_footer (self);
    }

  if (self->reactions == NULL && has_reactions)
    {
      self->reactions = TERTULIA_MESSAGE_REACTIONS (tertulia_message_reactions_new ());
      gtk_widget_set_hexpand (GTK_WIDGET (self->reactions), FALSE);
      gtk_box_prepend (GTK_BOX (self->footer), GTK_WIDGET (self->reactions));
    }
  if (self->reactions != NULL)
    has_reactions = tertulia_message_reactions_update (self->reactions,
                                                       has_reactions ? self->message : NULL);

  if (self->edited_label == NULL && edited)
    {
      self->edited_label = GTK_LABEL (gtk_label_new (_("edited")));
      gtk_widget_set_valign (GTK_WIDGET (self->edited_label), GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (GTK_WIDGET (self->edited_label), "caption");
      gtk_widget_add_css_class (GTK_WIDGET (self->edited_label), "dim-label");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->edited_label),
                                   _("The author changed this message after sending it"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->edited_label),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      _("The author changed this message after sending it"),
                                      -1);
      gtk_box_append (GTK_BOX (self->footer), GTK_WIDGET (self->edited_label));
    }
  if (self->edited_label != NULL)
    gtk_widget_set_visible (GTK_WIDGET (self->edited_label), edited);

  gtk_widget_set_visible (self->footer, edited || has_reactions);
}

/* The reactions, for a screen reader's description of the row */
char *
_tertulia_message_row_dup_reactions_description (TertuliaMessageRow *self)
{
  g_autoptr(GString) out = NULL;
  GPtrArray *reactions;

  if (self->message == NULL || _tertulia_message_row_is_deleted (self))
    return NULL;

  reactions = tertulia_message_get_reactions (self->message);
  for (guint i = 0; reactions != NULL && i < reactions->len; i++)
    {
      g_autofree char *name = tertulia_reaction_dup_accessible_name (g_ptr_array_index (reactions, i));

      if (out == NULL)
        out = g_string_new (name);
      else
        g_string_append_printf (out, "; %s", name);
    }

  return out != NULL ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
}

GtkWidget *
_tertulia_message_row_get_quote_button (TertuliaMessageRow *self)
{
  g_return_val_if_fail (TERTULIA_IS_MESSAGE_ROW (self), NULL);

  return self->quote_button;
}

GtkLabel *
_tertulia_message_row_get_edited_label (TertuliaMessageRow *self)
{
  g_return_val_if_fail (TERTULIA_IS_MESSAGE_ROW (self), NULL);

  return self->edited_label;
}

TertuliaMessageReactions *
_tertulia_message_row_get_reactions (TertuliaMessageRow *self)
{
  g_return_val_if_fail (TERTULIA_IS_MESSAGE_ROW (self), NULL);

  return self->reactions;
}

void
_tertulia_message_row_set_room (TertuliaMessageRow *self,
                                TertuliaRoom       *room)
{
  g_return_if_fail (TERTULIA_IS_MESSAGE_ROW (self));

  g_set_object (&self->room, room);
}

void
_tertulia_message_row_dispose_conversation (TertuliaMessageRow *self)
{
  follow_original (self, NULL);
  g_clear_object (&self->room);
}

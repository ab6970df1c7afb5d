/* tertulia-message-reactions.c — a message's reactions, "👍 2", under its text
 *
 * Made by a message row only once its message has a reaction: most never
 * do, and rows are bound a couple of hundred at a time while scrolling.
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-message-reactions"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tertulia-message-reactions.h"

const char * const tertulia_quick_reactions[TERTULIA_N_QUICK_REACTIONS] = {
  "\xf0\x9f\x91\x8d",          /* 👍 */
  "\xe2\x9d\xa4\xef\xb8\x8f",  /* ❤️ */
  "\xf0\x9f\x98\x82",          /* 😂 */
  "\xf0\x9f\x98\xae",          /* 😮 */
  "\xf0\x9f\x98\xa2",          /* 😢 */
  "\xf0\x9f\x8e\x89",          /* 🎉 */
};

struct _TertuliaMessageReactions
{
  AdwBin      parent_instance;

  GtkFlowBox *box;
  gint64      seq;
};

G_DEFINE_FINAL_TYPE (TertuliaMessageReactions, tertulia_message_reactions, ADW_TYPE_BIN)

const char *
tertulia_reaction_get_emoji_name (const char *emoji)
{
  static const char *names[TERTULIA_N_QUICK_REACTIONS] = {
    /* Translators: names of emoji, as a screen reader says a reaction */
    N_("Thumbs up"),
    N_("Red heart"),
    N_("Face with tears of joy"),
    N_("Face with open mouth"),
    N_("Crying face"),
    N_("Party popper"),
  };

  g_return_val_if_fail (emoji != NULL, NULL);

  for (guint i = 0; i < TERTULIA_N_QUICK_REACTIONS; i++)
    if (g_str_equal (emoji, tertulia_quick_reactions[i]))
      return _(names[i]);

  return NULL;
}

char *
tertulia_reaction_dup_accessible_name (const TertuliaReaction *reaction)
{
  const char *name;
  guint n;

  g_return_val_if_fail (reaction != NULL, NULL);

  name = tertulia_reaction_get_emoji_name (reaction->emoji);
  if (name == NULL)
    name = reaction->emoji;
  n = reaction->nicks != NULL ? reaction->nicks->len : 0;

  if (reaction->mine)
    /* Translators: a reaction for screen readers: "Thumbs up, 2 reactions, including you" */
    return g_strdup_printf (ngettext ("%s, %u reaction, including you",
                                      "%s, %u reactions, including you", n),
                            name, n);

  /* Translators: a reaction for screen readers: "Thumbs up, 2 reactions" */
  return g_strdup_printf (ngettext ("%s, %u reaction", "%s, %u reactions", n), name, n);
}

char *
tertulia_reaction_dup_who (const TertuliaReaction *reaction)
{
  g_autoptr(GString) who = g_string_new (NULL);

  g_return_val_if_fail (reaction != NULL, NULL);

  for (guint i = 0; reaction->nicks != NULL && i < reaction->nicks->len; i++)
    {
      if (i > 0)
        /* Translators: between the nicknames of who reacted, "ana, bob" */
        g_string_append (who, _(", "));
      g_string_append (who, g_ptr_array_index (reaction->nicks, i));
    }

  return g_string_free (g_steal_pointer (&who), FALSE);
}

/* The button shows what the room said; the click asks the room to change
 * it, and the echo redraws the buttons.
 */
static void
reaction_clicked_cb (GtkToggleButton          *button,
                     TertuliaMessageReactions *self)
{
  const char *emoji = g_object_get_data (G_OBJECT (button), "emoji");
  gboolean mine = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "mine"));

  gtk_toggle_button_set_active (button, mine);
  gtk_widget_activate_action (GTK_WIDGET (button), "chat.toggle-reaction", "(xsb)",
                              self->seq, emoji, !mine);
}

static GtkWidget *
make_button (TertuliaMessageReactions *self,
             const TertuliaReaction   *reaction)
{
  guint n = reaction->nicks != NULL ? reaction->nicks->len : 0;
  g_autofree char *label = g_strdup_printf ("%s %u", reaction->emoji, n);
  g_autofree char *name = tertulia_reaction_dup_accessible_name (reaction);
  g_autofree char *who = tertulia_reaction_dup_who (reaction);
  GtkWidget *button = gtk_toggle_button_new_with_label (label);

  gtk_widget_add_css_class (button, "reaction");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), reaction->mine);
  gtk_widget_set_tooltip_text (button, who);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, who,
                                  -1);
  g_object_set_data_full (G_OBJECT (button), "emoji", g_strdup (reaction->emoji), g_free);
  g_object_set_data (G_OBJECT (button), "mine", GINT_TO_POINTER (reaction->mine));
  g_signal_connect (button, "clicked", G_CALLBACK (reaction_clicked_cb), self);

  return button;
}

gboolean
tertulia_message_reactions_update (TertuliaMessageReactions *self,
                                   TertuliaMessage          *message)
{
  GPtrArray *reactions = NULL;
  GtkWidget *child;

  g_return_val_if_fail (TERTULIA_IS_MESSAGE_REACTIONS (self), FALSE);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->box))) != NULL)
    gtk_flow_box_remove (self->box, child);

  if (message != NULL && !tertulia_message_get_deleted (message))
    reactions = tertulia_message_get_reactions (message);
  self->seq = message != NULL ? tertulia_message_get_seq (message) : 0;

  for (guint i = 0; reactions != NULL && i < reactions->len; i++)
    {
      const TertuliaReaction *reaction = g_ptr_array_index (reactions, i);
      GtkWidget *button;

      if (reaction->nicks == NULL || reaction->nicks->len == 0)
        continue;

      button = make_button (self, reaction);
      gtk_flow_box_insert (self->box, button, -1);
      /* Tab goes to the buttons, not to the flow box's own children */
      gtk_widget_set_focusable (gtk_widget_get_parent (button), FALSE);
    }

  gtk_widget_set_visible (GTK_WIDGET (self),
                          gtk_widget_get_first_child (GTK_WIDGET (self->box)) != NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self));
}

GtkToggleButton *
_tertulia_message_reactions_get_button (TertuliaMessageReactions *self,
                                        const char               *emoji)
{
  g_return_val_if_fail (TERTULIA_IS_MESSAGE_REACTIONS (self), NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *button = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child));

      if (g_strcmp0 (g_object_get_data (G_OBJECT (button), "emoji"), emoji) == 0)
        return GTK_TOGGLE_BUTTON (button);
    }

  return NULL;
}

static void
tertulia_message_reactions_class_init (TertuliaMessageReactionsClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_css_name (widget_class, "reactions");
}

static void
tertulia_message_reactions_init (TertuliaMessageReactions *self)
{
  self->box = GTK_FLOW_BOX (gtk_flow_box_new ());
  gtk_flow_box_set_selection_mode (self->box, GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (self->box, FALSE);
  gtk_flow_box_set_max_children_per_line (self->box, 32);
  gtk_flow_box_set_column_spacing (self->box, 4);
  gtk_flow_box_set_row_spacing (self->box, 4);
  gtk_widget_set_halign (GTK_WIDGET (self->box), GTK_ALIGN_START);
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->box));
}

GtkWidget *
tertulia_message_reactions_new (void)
{
  return g_object_new (TERTULIA_TYPE_MESSAGE_REACTIONS, NULL);
}

/* tertulia-password-dialog.c — asks for a room's password
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-password-dialog"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tertulia-entry-row.h"
#include "tertulia-password-dialog.h"

struct _TertuliaPasswordDialog
{
  AdwMessageDialog     parent_instance;

  /* Borrowed references: in the dialog's widget tree */
  TertuliaEntryRow    *entry;
  GtkLabel            *problem;
};

G_DEFINE_FINAL_TYPE (TertuliaPasswordDialog, tertulia_password_dialog, ADW_TYPE_MESSAGE_DIALOG)

static gboolean
has_password (TertuliaPasswordDialog *self)
{
  return *gtk_editable_get_text (GTK_EDITABLE (self->entry)) != '\0';
}

static void
entry_changed_cb (TertuliaPasswordDialog *self)
{
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "join", has_password (self));
}

/* Enter answers as the Join button does. libadwaita 1.2 closes the dialog
 * after its buttons answer, not after adw_message_dialog_response(): the
 * dialog would stay on screen over the room it let you into. Destroyed,
 * not closed: closing would answer "cancel" as well.
 */
static void
entry_activated_cb (TertuliaPasswordDialog *self)
{
  g_autoptr(TertuliaPasswordDialog) alive = NULL;

  if (!has_password (self))
    return;

  alive = g_object_ref (self);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (self), "join");
  if (gtk_widget_get_visible (GTK_WIDGET (self)))
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
tertulia_password_dialog_dispose (GObject *object)
{
  TertuliaPasswordDialog *self = (TertuliaPasswordDialog *)object;

  self->entry = NULL;
  self->problem = NULL;

  G_OBJECT_CLASS (tertulia_password_dialog_parent_class)->dispose (object);
}

static void
tertulia_password_dialog_class_init (TertuliaPasswordDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tertulia_password_dialog_dispose;
}

static void
tertulia_password_dialog_init (TertuliaPasswordDialog *self)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (self);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  /* Heard by screen readers when focused, unlike AdwPasswordEntryRow in
   * libadwaita 1.2.
   */
  self->entry = TERTULIA_ENTRY_ROW (g_object_new (TERTULIA_TYPE_ENTRY_ROW, "password", TRUE, NULL));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->entry), _("Password"));
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (self->entry));
  gtk_box_append (GTK_BOX (box), list);
  adw_message_dialog_set_extra_child (dialog, box);

  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "join", _("_Join"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "join", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "join");
  adw_message_dialog_set_close_response (dialog, "cancel");

  g_signal_connect_object (self->entry, "changed",
                           G_CALLBACK (entry_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->entry, "entry-activated",
                           G_CALLBACK (entry_activated_cb), self, G_CONNECT_SWAPPED);
  entry_changed_cb (self);
}

GtkWidget *
tertulia_password_dialog_new (GtkWindow  *parent,
                              const char *body,
                              const char *problem,
                              const char *typed)
{
  TertuliaPasswordDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (body != NULL, NULL);

  /* The body is plain text: a LAN room's name comes from the network. */
  self = g_object_new (TERTULIA_TYPE_PASSWORD_DIALOG,
                       "transient-for", parent,
                       "heading", _("Password Needed"),
                       "body", body,
                       NULL);

  if (problem != NULL)
    {
      GtkWidget *box = adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (self));

      self->problem = GTK_LABEL (gtk_label_new (problem));
      gtk_label_set_wrap (self->problem, TRUE);
      gtk_label_set_xalign (self->problem, 0.0f);
      gtk_widget_add_css_class (GTK_WIDGET (self->problem), "error");
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->problem));
      /* Read out with the entry, not only seen under it. */
      gtk_accessible_update_relation (GTK_ACCESSIBLE (self->entry),
                                      GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, self->problem, NULL,
                                      -1);
    }

  gtk_editable_set_text (GTK_EDITABLE (self->entry), typed != NULL ? typed : "");

  return GTK_WIDGET (self);
}

char *
tertulia_password_dialog_take_password (TertuliaPasswordDialog *self)
{
  char *password;

  g_return_val_if_fail (TERTULIA_IS_PASSWORD_DIALOG (self), NULL);

  if (self->entry == NULL)
    return g_strdup ("");

  password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry)));
  gtk_editable_set_text (GTK_EDITABLE (self->entry), "");

  return password;
}

GtkEditable *
_tertulia_password_dialog_get_entry (TertuliaPasswordDialog *self)
{
  g_return_val_if_fail (TERTULIA_IS_PASSWORD_DIALOG (self), NULL);

  return GTK_EDITABLE (self->entry);
}

GtkLabel *
_tertulia_password_dialog_get_problem (TertuliaPasswordDialog *self)
{
  g_return_val_if_fail (TERTULIA_IS_PASSWORD_DIALOG (self), NULL);

  return self->problem;
}

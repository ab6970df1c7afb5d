/* tertulia-fingerprint-dialog.c — a room that answers with another key than expected
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-fingerprint-dialog"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tertulia-fingerprint.h"
#include "tertulia-fingerprint-dialog.h"

char *
tertulia_fingerprint_dup_display (const char *fp,
                                  guint       groups_per_line)
{
  g_autofree char *formatted = NULL;
  g_auto(GStrv) groups = NULL;
  GString *out;

  g_return_val_if_fail (groups_per_line > 0, NULL);

  if (fp == NULL || (formatted = tertulia_fingerprint_format (fp)) == NULL)
    return NULL;

  groups = g_strsplit (formatted, " ", -1);
  out = g_string_new (NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (out, i % groups_per_line == 0 ? '\n' : ' ');
      g_string_append (out, groups[i]);
    }

  return g_string_free (out, FALSE);
}

/* A column of @grid: what it is, then the digits in a fixed-width font.
 * Headings and digits are rows of one grid, so that the groups of both
 * columns line up even when a heading wraps.
 */
static GtkLabel *
add_fingerprint_column (GtkGrid    *grid,
                        int         column,
                        const char *title,
                        const char *fp)
{
  g_autofree char *digits = tertulia_fingerprint_dup_display (fp, 2);
  GtkWidget *heading = gtk_label_new (title);
  GtkWidget *label = gtk_label_new (digits != NULL ? digits : "—");

  gtk_widget_add_css_class (heading, "caption-heading");
  gtk_widget_add_css_class (heading, "dim-label");
  gtk_label_set_wrap (GTK_LABEL (heading), TRUE);
  gtk_label_set_justify (GTK_LABEL (heading), GTK_JUSTIFY_CENTER);
  gtk_widget_set_valign (heading, GTK_ALIGN_END);
  gtk_widget_set_hexpand (heading, TRUE);

  gtk_widget_add_css_class (label, "monospace");
  gtk_widget_add_css_class (label, "fingerprint");
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
  gtk_widget_set_valign (label, GTK_ALIGN_START);
  /* Read out as the heading says, then the digits. */
  gtk_accessible_update_relation (GTK_ACCESSIBLE (label),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, heading, NULL,
                                  -1);

  gtk_grid_attach (grid, heading, column, 0, 1, 1);
  gtk_grid_attach (grid, label, column, 1, 1, 1);

  return GTK_LABEL (label);
}

GtkWidget *
tertulia_fingerprint_dialog_new (GtkWindow         *parent,
                                 const char        *address,
                                 const char        *expected,
                                 const char        *presented,
                                 TertuliaKeySource  source)
{
  AdwMessageDialog *dialog;
  g_autofree char *body = NULL;
  const char *heading = NULL;
  const char *expected_title = NULL;
  GtkWidget *columns;
  GtkLabel *expected_label;
  GtkLabel *presented_label;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (address != NULL, NULL);

  /* No key at all: a host encrypted before, or by its invitation, now
   * answers in plain text. There is no new key to trust, only a room to
   * stay away from.
   */
  if (presented == NULL)
    {
      heading = _("This Room Answered Without Encryption");
      /* Translators: %s is a room's address, such as 192.168.1.20:7878 */
      body = g_strdup_printf (_("The computer answering at %s does not encrypt, but this room "
                                "did before (or its invitation says it does). Someone on this "
                                "network may be pretending to be the room, to read what you "
                                "send.\n\nAsk its host whether they turned encryption off."),
                              address);
    }
  else switch (source)
    {
    case TERTULIA_KEY_SOURCE_EARLIER:
      heading = _("This Is Not the Room You Joined Before");
      expected_title = _("Key Seen Before");
      /* Translators: %s is a room's address, such as 192.168.1.20:7878 */
      body = g_strdup_printf (_("The computer answering at %s has a different key from the one "
                                "it had when you joined before. Someone on this network may be "
                                "pretending to be the room, to read what you send.\n\n"
                                "Unless its host tells you that the key changed (a new computer, "
                                "Tertulia installed again), do not join."),
                              address);
      break;

    case TERTULIA_KEY_SOURCE_NETWORK:
      heading = _("This Is Not the Room Announced on the Network");
      expected_title = _("Key Announced");
      /* Translators: %s is a room's address, such as 192.168.1.20:7878 */
      body = g_strdup_printf (_("The computer answering at %s has a different key from the one "
                                "the room announced on the network. Someone on this network may "
                                "be pretending to be the room, to read what you send.\n\n"
                                "Unless its host tells you that the key changed, do not join."),
                              address);
      break;

    case TERTULIA_KEY_SOURCE_INVITATION:
    default:
      heading = _("This Is Not the Room You Were Invited To");
      expected_title = _("Key in the Invitation");
      /* Translators: %s is a room's address, such as 192.168.1.20:7878 */
      body = g_strdup_printf (_("The computer answering at %s has a different key from the one "
                                "in the invitation. Someone on this network may be pretending "
                                "to be the room, to read what you send.\n\n"
                                "Unless its host tells you that the key changed, do not join."),
                              address);
      break;
    }

  /* The body is plain text: an address may come from the network. */
  dialog = ADW_MESSAGE_DIALOG (g_object_new (ADW_TYPE_MESSAGE_DIALOG,
                                             "transient-for", parent,
                                             "modal", TRUE,
                                             "heading", heading,
                                             "body", body,
                                             NULL));
  gtk_widget_add_css_class (GTK_WIDGET (dialog), "fingerprint-mismatch");

  adw_message_dialog_add_response (dialog, "cancel", _("_Cancel"));

  if (presented != NULL)
    {
      columns = gtk_grid_new ();
      gtk_grid_set_column_homogeneous (GTK_GRID (columns), TRUE);
      gtk_grid_set_column_spacing (GTK_GRID (columns), 12);
      gtk_grid_set_row_spacing (GTK_GRID (columns), 6);
      expected_label = add_fingerprint_column (GTK_GRID (columns), 0, expected_title, expected);
      presented_label = add_fingerprint_column (GTK_GRID (columns), 1, _("Key Presented Now"), presented);
      adw_message_dialog_set_extra_child (dialog, columns);
      g_object_set_data (G_OBJECT (dialog), "tertulia-expected-label", expected_label);
      g_object_set_data (G_OBJECT (dialog), "tertulia-presented-label", presented_label);

      adw_message_dialog_add_response (dialog, "trust", _("_Trust the New Key"));
      adw_message_dialog_set_response_appearance (dialog, "trust", ADW_RESPONSE_DESTRUCTIVE);
    }

  /* Enter and Escape both keep away from the room. */
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");

  return GTK_WIDGET (dialog);
}

GtkLabel *
_tertulia_fingerprint_dialog_get_expected_label (AdwMessageDialog *dialog)
{
  return g_object_get_data (G_OBJECT (dialog), "tertulia-expected-label");
}

GtkLabel *
_tertulia_fingerprint_dialog_get_presented_label (AdwMessageDialog *dialog)
{
  return g_object_get_data (G_OBJECT (dialog), "tertulia-presented-label");
}

/* tertulia-a11y.c — names for screen readers where GTK 4.8 and
 * libadwaita 1.2 get them wrong
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-a11y"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tertulia-a11y.h"

char *
tertulia_a11y_strip_mnemonic (const char *label)
{
  GString *out;

  g_return_val_if_fail (label != NULL, NULL);

  out = g_string_sized_new (strlen (label));

  for (const char *p = label; *p != '\0'; p++)
    {
      if (*p == '_')
        {
          if (p[1] == '_')
            {
              g_string_append_c (out, '_');
              p++;
            }
          continue;
        }
      g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

static void
button_label_changed_cb (GtkButton *button)
{
  const char *label = gtk_button_get_label (button);
  g_autofree char *name = NULL;

  if (label == NULL)
    return;

  name = gtk_button_get_use_underline (button) ? tertulia_a11y_strip_mnemonic (label) : g_strdup (label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  /* GTK names a mnemonic button after the label it holds as well. */
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}

void
tertulia_a11y_fix_names (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (GTK_IS_BUTTON (root) && !GTK_IS_MENU_BUTTON (root) &&
      gtk_button_get_use_underline (GTK_BUTTON (root)))
    {
      g_signal_connect (root, "notify::label", G_CALLBACK (button_label_changed_cb), NULL);
      button_label_changed_cb (GTK_BUTTON (root));
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    tertulia_a11y_fix_names (child);
}

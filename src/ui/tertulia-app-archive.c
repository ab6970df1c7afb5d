/* tertulia-app-archive.c — the app's one archive of conversations
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-archive"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "tertulia-app-archive.h"

/* One per process: every window's rooms go in the same file, and the
 * start page, the sessions and the search share it.
 */
static TertuliaArchive *archive;
static gboolean opened;
/* What to tell people about the archive, and whether it was told */
static char *problem;
static gboolean told;

static void
set_problem (const char *sentence)
{
  if (problem != NULL || sentence == NULL)
    return;

  problem = g_strdup (sentence);
  g_message ("%s", problem);
}

static void
archive_failed_cb (TertuliaArchive *failed,
                   const GError    *error)
{
  set_problem (error->message);
}

TertuliaArchive *
tertulia_app_archive_get (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (opened)
    return archive;

  opened = TRUE;
  path = tertulia_archive_dup_default_path ();
  archive = tertulia_archive_open (path, &error);
  if (archive == NULL)
    {
      /* Translators: %s says why (it names the file) */
      g_autofree char *sentence = g_strdup_printf (_("%s Tertulia works on, without a history of conversations."),
                                                   error->message);

      set_problem (sentence);
      return NULL;
    }

  set_problem (tertulia_archive_get_notice (archive));
  g_signal_connect (archive, "failed", G_CALLBACK (archive_failed_cb), NULL);

  return archive;
}

TertuliaArchive *
tertulia_app_archive_get_writable (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  if (!g_settings_get_boolean (settings, "keep-history"))
    return NULL;

  return tertulia_app_archive_get ();
}

void
tertulia_app_archive_tell_problem (GtkWidget *widget)
{
  g_autofree char *escaped = NULL;
  GtkWidget *overlay;
  AdwToast *toast;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (problem == NULL || told)
    return;

  overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL)
    return;

  told = TRUE;
  /* libadwaita 1.2 reads a toast's title as markup; a path is not */
  escaped = g_markup_escape_text (problem, -1);
  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

void
_tertulia_app_archive_close (void)
{
  if (archive != NULL)
    g_signal_handlers_disconnect_by_func (archive, archive_failed_cb, NULL);
  g_clear_object (&archive);
  g_clear_pointer (&problem, g_free);
  opened = FALSE;
  told = FALSE;
}

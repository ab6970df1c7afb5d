/* tertulia-app-archive.h — the app's one archive of conversations
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "tertulia-archive.h"

G_BEGIN_DECLS

/* The archive at $XDG_DATA_HOME/tertulia/archive.db, opened at the first
 * call (borrowed); NULL when none can be kept there (the app works on
 * without history, see tertulia_app_archive_tell_problem()).
 */
TertuliaArchive *tertulia_app_archive_get          (void);
/* Whether conversations are to be kept (the "keep-history" setting) and
 * can be: the archive to write to, or NULL (borrowed).
 */
TertuliaArchive *tertulia_app_archive_get_writable (void);
/* Says once per run, in a toast over @widget, what went wrong with the
 * archive (moved aside, cannot be kept, a write failed), if anything did.
 */
void             tertulia_app_archive_tell_problem (GtkWidget *widget);
/* For tests: closes the archive; the next call opens it again. */
void             _tertulia_app_archive_close       (void);

G_END_DECLS

/* tertulia-search-bar.h — Ctrl+F over a room's archive
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tertulia-archive.h"

G_BEGIN_DECLS

#define TERTULIA_TYPE_SEARCH_BAR (tertulia_search_bar_get_type ())

G_DECLARE_FINAL_TYPE (TertuliaSearchBar, tertulia_search_bar, TERTULIA, SEARCH_BAR, AdwBin)

/* Signals:
 *   jump (gint64 seq): a result was chosen (Enter, a click); the bar stays
 *                      open, so that the next one can be chosen too.
 *   closed:            Escape, or its close button.
 */
GtkWidget   *tertulia_search_bar_new             (void);
/* Where to search: @room_id in @archive (NULL for either: nothing to search) */
void         tertulia_search_bar_set_scope       (TertuliaSearchBar *self,
                                                  TertuliaArchive   *archive,
                                                  const char        *room_id);
void         tertulia_search_bar_open            (TertuliaSearchBar *self);
void         tertulia_search_bar_close           (TertuliaSearchBar *self);
gboolean     tertulia_search_bar_get_open        (TertuliaSearchBar *self);

/* For tests */
GtkEditable *_tertulia_search_bar_get_entry      (TertuliaSearchBar *self);
GtkListBox  *_tertulia_search_bar_get_results    (TertuliaSearchBar *self);
/* Searches now, without waiting for the entry's pause */
void         _tertulia_search_bar_search_now     (TertuliaSearchBar *self);

G_END_DECLS

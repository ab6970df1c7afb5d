/* tertulia-entry-row.h — a titled text row that screen readers hear taking the focus
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TERTULIA_TYPE_ENTRY_ROW (tertulia_entry_row_get_type ())

G_DECLARE_FINAL_TYPE (TertuliaEntryRow, tertulia_entry_row, TERTULIA, ENTRY_ROW, AdwPreferencesRow)

/* In place of AdwEntryRow, which libadwaita 1.2 and GTK 4.8 leave silent:
 * its GtkText is an editable's delegate (accessible role "none"), so GTK
 * reports the text's focus through the text's parent, expecting the
 * editable there (as in GtkEntry, which then answers "focused"). In
 * AdwEntryRow that parent is an internal AdwGizmo, which is not focused:
 * AT-SPI gets only "focused = false" on the gizmo and nothing ever says
 * that a text field took the focus.
 *
 * This row holds a GtkEntry, which is heard, named after the row's title.
 * It is a GtkEditable (delegating to the entry) with the same
 * "entry-activated" signal and input-purpose / input-hints properties.
 */
GtkWidget *tertulia_entry_row_new (void);

GtkWidget *_tertulia_entry_row_get_entry (TertuliaEntryRow *self);

G_END_DECLS

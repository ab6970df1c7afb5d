/* tertulia-a11y.h — names for screen readers where GTK 4.8 and
 * libadwaita 1.2 get them wrong
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Goes through @root's widgets once: buttons with a mnemonic get their
 * label without the underscore as their name (GTK 4.8 reads "_Host Room
 * Host Room"), kept when the label changes.
 */
void  tertulia_a11y_fix_names     (GtkWidget  *root);

/* "Host Room" from "_Host Room"; "__" stays one "_". */
char *tertulia_a11y_strip_mnemonic (const char *label);

G_END_DECLS

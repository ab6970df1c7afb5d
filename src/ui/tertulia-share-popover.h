/* tertulia-share-popover.h — the addresses a hosted room can be joined at
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TERTULIA_TYPE_SHARE_POPOVER (tertulia_share_popover_get_type ())

G_DECLARE_FINAL_TYPE (TertuliaSharePopover, tertulia_share_popover, TERTULIA, SHARE_POPOVER, GtkPopover)

GtkWidget *tertulia_share_popover_new      (void);
guint      tertulia_share_popover_get_port (TertuliaSharePopover *self);
/* Lists this machine's addresses again, for @port. */
void       tertulia_share_popover_set_port (TertuliaSharePopover *self,
                                            guint                 port);

G_END_DECLS

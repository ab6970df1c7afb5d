/* tertulia-clock.h — times of day as the desktop shows them
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "20:05", or "8:05 PM" where the desktop's clock shows 12 hours
 * (org.gnome.desktop.interface clock-format, when that schema is
 * installed). In local time.
 */
char     *tertulia_clock_format_time (GDateTime *time);

/* "Today", "Yesterday" or the date, for @time seen at @now (both local
 * after conversion).
 */
char     *tertulia_clock_format_day  (GDateTime *time,
                                      GDateTime *now);
/* Whether @a and @b fall on the same local day. */
gboolean  tertulia_clock_same_day    (GDateTime *a,
                                      GDateTime *b);

/* For tests: 12 or 24 hours whatever the desktop says; 0 follows it. */
void      _tertulia_clock_set_hours  (guint      hours);

G_END_DECLS

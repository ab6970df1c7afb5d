/* tertulia-preferences-window.h — nickname and notifications
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TERTULIA_TYPE_PREFERENCES_WINDOW (tertulia_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (TertuliaPreferencesWindow, tertulia_preferences_window, TERTULIA, PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWidget *tertulia_preferences_window_new (void);

G_END_DECLS

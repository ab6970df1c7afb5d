/* tertulia-application.h — the app: actions, shortcuts, windows
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TERTULIA_TYPE_APPLICATION (tertulia_application_get_type ())

G_DECLARE_FINAL_TYPE (TertuliaApplication, tertulia_application, TERTULIA, APPLICATION, AdwApplication)

/* Actions:
 *   app.quit                 close every window (each asks first if it hosts a room)
 *   app.new-window           another window, for another room
 *   app.preferences          the preferences window
 *   app.about
 *   app.present-window (u)   raise the window with that id (notifications)
 */
TertuliaApplication *tertulia_application_new          (void);
GtkWindow           *tertulia_application_new_window   (TertuliaApplication *self);

G_END_DECLS

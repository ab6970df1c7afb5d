/* tertulia-window.h — the main window: the start page or a room
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tertulia-chat-page.h"
#include "tertulia-notifier.h"
#include "tertulia-session.h"
#include "tertulia-start-page.h"

G_BEGIN_DECLS

#define TERTULIA_TYPE_WINDOW (tertulia_window_get_type ())

G_DECLARE_FINAL_TYPE (TertuliaWindow, tertulia_window, TERTULIA, WINDOW, AdwApplicationWindow)

/* Actions:
 *   win.leave        leave the room (asks first when hosting: it ends the
 *                    room for everyone)
 *   win.focus-entry  put the keyboard in the message entry
 */
TertuliaWindow    *tertulia_window_new              (GtkApplication  *application);
/* The room the window shows, or NULL on the start page. While a room is
 * shown, a rename of yourself that it accepted (/nick) becomes the saved
 * nickname, so that you are the same person next time.
 */
TertuliaSession   *tertulia_window_get_session      (TertuliaWindow  *self);
void               tertulia_window_set_session      (TertuliaWindow  *self,
                                                     TertuliaSession *session);
/* Leaves the room and goes back to the start page, without asking. */
void               tertulia_window_leave            (TertuliaWindow  *self);

TertuliaStartPage *_tertulia_window_get_start_page  (TertuliaWindow  *self);
TertuliaChatPage  *_tertulia_window_get_chat_page   (TertuliaWindow  *self);
/* The "Close the Room?" dialog while it is open. */
GtkWidget         *_tertulia_window_get_confirm_dialog (TertuliaWindow *self);
TertuliaNotifier  *_tertulia_window_get_notifier    (TertuliaWindow  *self);
/* "start" or "chat" */
const char        *_tertulia_window_get_page_name   (TertuliaWindow  *self);

G_END_DECLS

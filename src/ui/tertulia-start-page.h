/* tertulia-start-page.h — host a room or join one
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tertulia-session.h"

G_BEGIN_DECLS

#define TERTULIA_TYPE_START_PAGE (tertulia_start_page_get_type ())

G_DECLARE_FINAL_TYPE (TertuliaStartPage, tertulia_start_page, TERTULIA, START_PAGE, AdwBin)

/* How many ports after a taken one are tried for a free one. */
#define TERTULIA_START_PAGE_PORT_TRIES 20

/* Signals:
 *   session-ready (TertuliaSession *session): hosting or joining worked and
 *                 the client is in the room. Problems are shown in the page;
 *                 a room that wants a password asks for it in a dialog, and
 *                 again when it was wrong. Passwords are never saved.
 */
GtkWidget *tertulia_start_page_new            (void);
/* What the Host and Join buttons do. */
void       tertulia_start_page_host           (TertuliaStartPage *self);
void       tertulia_start_page_join           (TertuliaStartPage *self);
/* Back from a room: forget old errors, show current recent rooms. */
void       tertulia_start_page_reset          (TertuliaStartPage *self);
gboolean   tertulia_start_page_get_busy       (TertuliaStartPage *self);

/* The first free port in [@first, @last], or 0. */
guint      tertulia_find_free_port            (guint              first,
                                               guint              last);
/* "Ana" from "Ana María López", for defaults; never NULL. */
char      *tertulia_dup_first_name            (void);

GtkEditable   *_tertulia_start_page_get_nickname_row     (TertuliaStartPage *self);
GtkEditable   *_tertulia_start_page_get_room_name_row    (TertuliaStartPage *self);
GtkEditable   *_tertulia_start_page_get_address_row      (TertuliaStartPage *self);
/* The host's optional room password. */
GtkEditable   *_tertulia_start_page_get_password_row     (TertuliaStartPage *self);
/* The AdwMessageDialog asking for a room's password while it is open,
 * its password row, and what it says went wrong (NULL: nothing).
 */
GtkWidget     *_tertulia_start_page_get_password_dialog  (TertuliaStartPage *self);
GtkEditable   *_tertulia_start_page_get_password_dialog_row (TertuliaStartPage *self);
GtkLabel      *_tertulia_start_page_get_password_dialog_problem (TertuliaStartPage *self);
/* The AdwMessageDialog asking about the room's encryption while it is
 * open: a key that does not match, a password about to go out unencrypted.
 */
GtkWidget     *_tertulia_start_page_get_security_dialog  (TertuliaStartPage *self);
/* Tests: joins treat a room on this computer's loopback as one across a
 * network (a password to it is asked about like any other).
 */
void           _tertulia_start_page_set_loopback_is_network (TertuliaStartPage *self,
                                                             gboolean           is_network);
GtkSpinButton *_tertulia_start_page_get_port_spin        (TertuliaStartPage *self);
GtkWidget     *_tertulia_start_page_get_continue_row     (TertuliaStartPage *self);
GtkSwitch     *_tertulia_start_page_get_continue_switch  (TertuliaStartPage *self);
GtkLabel      *_tertulia_start_page_get_host_error_label (TertuliaStartPage *self);
GtkButton     *_tertulia_start_page_get_other_port_button (TertuliaStartPage *self);
GtkLabel      *_tertulia_start_page_get_join_error_label (TertuliaStartPage *self);
/* "Connecting to …", beside a spinner, while a join is under way. */
GtkLabel      *_tertulia_start_page_get_connecting_label (TertuliaStartPage *self);
GtkWidget     *_tertulia_start_page_get_recent_group     (TertuliaStartPage *self);
/* The rooms found on the network: one AdwActionRow each. */
GtkListBox    *_tertulia_start_page_get_lan_list         (TertuliaStartPage *self);
/* What the list says when it has no rooms to show. */
GtkLabel      *_tertulia_start_page_get_lan_status_label (TertuliaStartPage *self);
GtkLabel      *_tertulia_start_page_get_lan_error_label  (TertuliaStartPage *self);

G_END_DECLS

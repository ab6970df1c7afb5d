/* tertulia-start-page-private.h — what the start page's files share
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tertulia-entry-row.h"
#include "tertulia-room-browser.h"
#include "tertulia-start-page.h"

G_BEGIN_DECLS

struct _TertuliaStartPage
{
  AdwBin           parent_instance;

  /* Template widgets */
  TertuliaEntryRow *nickname_row;
  TertuliaEntryRow *room_name_row;
  TertuliaEntryRow *password_row;
  AdwExpanderRow  *advanced_row;
  AdwActionRow    *continue_row;
  GtkSwitch       *continue_switch;
  GtkSpinButton   *port_spin;
  GtkRevealer     *host_error_revealer;
  GtkLabel        *host_error_label;
  GtkButton       *other_port_button;
  GtkButton       *host_button;
  GtkListBox      *lan_list;
  GtkLabel        *lan_status_label;
  GtkRevealer     *lan_error_revealer;
  GtkLabel        *lan_error_label;
  TertuliaEntryRow *address_row;
  GtkRevealer     *join_error_revealer;
  GtkLabel        *join_error_label;
  GtkButton       *join_button;
  GtkWidget       *connecting_box;
  GtkSpinner      *connecting_spinner;
  GtkLabel        *connecting_label;
  AdwPreferencesGroup *recent_group;

  /* Owned references */
  GSettings       *settings;
  GCancellable    *cancellable;
  GPtrArray       *recent_rows;
  TertuliaRoomBrowser *room_browser;
  /* The join under way or waiting for a password: where to, and for the
   * password dialog the LAN room's name (NULL when typed as an address).
   */
  char            *join_address;
  char            *join_room_name;
  /* The password this attempt carries, for a retry after "wait a moment";
   * wiped as soon as the attempt is over. Never saved.
   */
  char            *join_password;
  /* The error code the room answered the attempt with, if any. */
  char            *refusal_code;

  /* Borrowed references (weak pointer) */
  GtkWidget       *password_dialog;

  guint            suggested_port;
  gboolean         busy;
  gboolean         joining;
  /* Joining a room from the network list: its problems are shown there. */
  gboolean         joining_lan;
};

/* tertulia-start-page.c: the attempt under way. */
char     *_tertulia_start_page_dup_nickname          (TertuliaStartPage *self);
/* Before hosting or joining: nothing of the last attempt stays. */
void      _tertulia_start_page_start_over            (TertuliaStartPage *self);
void      _tertulia_start_page_start_session         (TertuliaStartPage *self,
                                                      TertuliaSession   *session,
                                                      gboolean           joining);
void      _tertulia_start_page_forget_join           (TertuliaStartPage *self);
void      _tertulia_start_page_forget_password       (TertuliaStartPage *self);
/* A session that is ready to show (a room opened from the archive). */
void      _tertulia_start_page_emit_session_ready    (TertuliaStartPage *self,
                                                      TertuliaSession   *session);

/* tertulia-start-page-rooms.c: rooms joined by picking them, the recent
 * ones and those found on the network.
 */
void      _tertulia_start_page_init_rooms            (TertuliaStartPage *self);
void      _tertulia_start_page_update_recent_rooms   (TertuliaStartPage *self);
void      _tertulia_start_page_remember_recent_room  (TertuliaStartPage *self,
                                                      const char        *address);

/* tertulia-start-page-password.c: asking for a room's password. */
void      _tertulia_start_page_close_password_dialog (TertuliaStartPage *self);
/* When joining failed for want of the right password, asks for it and
 * returns TRUE.
 */
gboolean  _tertulia_start_page_ask_again_for_password (TertuliaStartPage *self,
                                                       const GError      *error);

G_END_DECLS

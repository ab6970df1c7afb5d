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
  /* The key the room must present, when not the address's own (#fp= or
   * pin): the network list's record, or a new key the person trusted.
   */
  char            *join_fingerprint;

  /* Borrowed references (weak pointers) */
  GtkWidget       *password_dialog;
  /* A question about the room's encryption: a key that does not match,
   * or a password about to go out in plain text.
   */
  GtkWidget       *security_dialog;

  guint            suggested_port;
  gboolean         busy;
  gboolean         joining;
  /* Joining a room from the network list: its problems are shown there. */
  gboolean         joining_lan;
  /* The person agreed that this room's password goes out unencrypted. */
  gboolean         join_plain_allowed;
  /* Tests: rooms on 127.0.0.1 count as across a network. */
  gboolean         loopback_is_network;
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

/* Where a join's problem is shown: the network list's or the address's. */
void      _tertulia_start_page_show_join_problem     (TertuliaStartPage *self,
                                                      gboolean           from_lan,
                                                      const char        *message);

/* tertulia-start-page-password.c: asking for a room's password. */
void      _tertulia_start_page_close_password_dialog (TertuliaStartPage *self);
/* @slot (a weak pointer to a dialog) lets go of it; with @destroy the
 * dialog goes too, unanswered.
 */
void      _tertulia_start_page_drop_dialog           (GtkWidget        **slot,
                                                      gboolean           destroy);
/* The room being joined again, now with @password (taken; NULL: none,
 * as before); @allow_plain
 * lets it go out unencrypted, once the person said so.
 */
void      _tertulia_start_page_join_with_password    (TertuliaStartPage *self,
                                                      char              *password,
                                                      gboolean           allow_plain);
/* When joining failed for want of the right password, asks for it and
 * returns TRUE.
 */
gboolean  _tertulia_start_page_ask_again_for_password (TertuliaStartPage *self,
                                                       const GError      *error);

/* tertulia-start-page-security.c: the room's key, and passwords that would
 * go out unencrypted.
 */
void      _tertulia_start_page_close_security_dialog (TertuliaStartPage *self);
/* What every client the page joins with needs before connecting. */
void      _tertulia_start_page_prepare_client        (TertuliaStartPage *self,
                                                      TertuliaClient    *client);
/* When joining failed because the room's key is not the expected one, or
 * because the password would go out in plain text, asks the person what
 * to do and returns TRUE. The session (ended) is kept for the answer.
 */
gboolean  _tertulia_start_page_ask_about_security    (TertuliaStartPage *self,
                                                      TertuliaSession   *session,
                                                      const GError      *error);

G_END_DECLS

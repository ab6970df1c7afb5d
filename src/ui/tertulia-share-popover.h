/* tertulia-share-popover.h — the addresses a hosted room can be joined at, and a QR code
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TERTULIA_TYPE_SHARE_POPOVER (tertulia_share_popover_get_type ())

G_DECLARE_FINAL_TYPE (TertuliaSharePopover, tertulia_share_popover, TERTULIA, SHARE_POPOVER, GtkPopover)

/* For every address of this computer: the web link, with a copy button and
 * a QR code of it for phones (one address at a time, chosen in a combo row
 * when there are several), and the address to type in Tertulia.
 */
GtkWidget *tertulia_share_popover_new      (void);
guint      tertulia_share_popover_get_port (TertuliaSharePopover *self);
/* Lists this machine's addresses again, for @port. */
void       tertulia_share_popover_set_port (TertuliaSharePopover *self,
                                            guint                 port);
/* Whether to remind the host that guests need the room's password (which
 * the popover never knows, let alone shows).
 */
gboolean   tertulia_share_popover_get_password_required (TertuliaSharePopover *self);
void       tertulia_share_popover_set_password_required (TertuliaSharePopover *self,
                                                         gboolean              password_required);

/* The room's key (base64url, tertulia-fingerprint.h): the links carry it
 * (#fp=) and it is shown for people to compare. NULL: a room without TLS.
 */
const char *tertulia_share_popover_get_fingerprint (TertuliaSharePopover *self);
void        tertulia_share_popover_set_fingerprint (TertuliaSharePopover *self,
                                                    const char           *fingerprint);
/* Whether the link for browsers is https:// (with a key only); bound to
 * the "https-for-browsers" setting.
 */
gboolean    tertulia_share_popover_get_https       (TertuliaSharePopover *self);
void        tertulia_share_popover_set_https       (TertuliaSharePopover *self,
                                                    gboolean              https);

/* Lists @hosts instead of this machine's addresses (NULL: those again). */
void          _tertulia_share_popover_set_hosts            (TertuliaSharePopover *self,
                                                            const char * const   *hosts);
AdwComboRow  *_tertulia_share_popover_get_address_row      (TertuliaSharePopover *self);
AdwActionRow *_tertulia_share_popover_get_link_row         (TertuliaSharePopover *self);
GtkButton    *_tertulia_share_popover_get_copy_link_button (TertuliaSharePopover *self);
GtkPicture   *_tertulia_share_popover_get_qr_picture       (TertuliaSharePopover *self);
GtkListBox   *_tertulia_share_popover_get_app_list         (TertuliaSharePopover *self);
/* "This room has a password…", shown only when it has one. */
GtkWidget    *_tertulia_share_popover_get_password_note    (TertuliaSharePopover *self);
GtkLabel     *_tertulia_share_popover_get_fingerprint_label (TertuliaSharePopover *self);
/* What the popover says about a browser's connection. */
GtkLabel     *_tertulia_share_popover_get_web_security_label (TertuliaSharePopover *self);
GtkWidget    *_tertulia_share_popover_get_https_row        (TertuliaSharePopover *self);

G_END_DECLS

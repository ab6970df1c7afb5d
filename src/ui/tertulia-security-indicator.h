/* tertulia-security-indicator.h — whether the room's connection is encrypted, in the header
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tertulia-client.h"

G_BEGIN_DECLS

#define TERTULIA_TYPE_SECURITY_INDICATOR (tertulia_security_indicator_get_type ())

G_DECLARE_FINAL_TYPE (TertuliaSecurityIndicator, tertulia_security_indicator, TERTULIA, SECURITY_INDICATOR, AdwBin)

/* A lock in the header: closed when @client's connection is TLS checked
 * against the host's key, open (and marked as a warning) when it is plain
 * text, which the room's log is also told once; a click tells what that
 * means and shows the key. When a reconnection found another key, a
 * warning instead, with a way to compare both and trust the new one.
 * Hidden until the client has been connected, and while hosting (the
 * Share popover says what guests get).
 *
 * Properties:
 *   client   TertuliaClient*  read-write
 *   hosting  gboolean         read-write: the client is the host's own
 */
GtkWidget      *tertulia_security_indicator_new        (void);
TertuliaClient *tertulia_security_indicator_get_client (TertuliaSecurityIndicator *self);
void            tertulia_security_indicator_set_client (TertuliaSecurityIndicator *self,
                                                        TertuliaClient            *client);

/* The button, for tests: its accessible name and tooltip say the state. */
GtkMenuButton  *_tertulia_security_indicator_get_button (TertuliaSecurityIndicator *self);
GtkLabel       *_tertulia_security_indicator_get_details (TertuliaSecurityIndicator *self);
/* Shown when the room answered a reconnection with another key: opens the
 * warning with both keys (tertulia-fingerprint-dialog.h).
 */
GtkButton      *_tertulia_security_indicator_get_compare_button (TertuliaSecurityIndicator *self);

G_END_DECLS

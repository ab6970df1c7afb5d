/* tertulia-fingerprint-dialog.h — a room that answers with another key than expected
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* A fingerprint (base64url, tertulia-fingerprint.h) as people compare
 * it: 8 groups of 5 digits, @groups_per_line a line. NULL when @fp is not
 * a fingerprint.
 */
char      *tertulia_fingerprint_dup_display (const char *fp,
                                             guint       groups_per_line);

/* Where the key a room was expected to present came from. */
typedef enum
{
  TERTULIA_KEY_SOURCE_INVITATION,  /* a link or QR code (#fp=) */
  TERTULIA_KEY_SOURCE_NETWORK,     /* the room's announcement on the LAN */
  TERTULIA_KEY_SOURCE_EARLIER,     /* the pin from an earlier visit */
} TertuliaKeySource;

/* The warning shown when a host presents another certificate than the one
 * expected (@expected, @presented: base64url fingerprints, shown side by
 * side). @address is the room's address as people read it. Responses:
 * "cancel" (the default, and Escape) and "trust" (destructive: the caller
 * trusts the new key and joins). With @presented NULL (the host answered
 * in plain text) there is nothing to trust: "cancel" only.
 */
GtkWidget *tertulia_fingerprint_dialog_new  (GtkWindow         *parent,
                                             const char        *address,
                                             const char        *expected,
                                             const char        *presented,
                                             TertuliaKeySource  source);

/* The two labels showing the fingerprints, for tests. */
GtkLabel  *_tertulia_fingerprint_dialog_get_expected_label  (AdwMessageDialog *dialog);
GtkLabel  *_tertulia_fingerprint_dialog_get_presented_label (AdwMessageDialog *dialog);

G_END_DECLS

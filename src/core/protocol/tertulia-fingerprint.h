/* tertulia-fingerprint.h — a host certificate's fingerprint, for links and for people
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A fingerprint is the SHA-256 of a certificate's DER bytes. On the wire,
 * in links (#fp=…) and in DNS-SD TXT records it is written in base64url
 * without padding: TERTULIA_FINGERPRINT_CHARS characters.
 */
#define TERTULIA_FINGERPRINT_BYTES 32
#define TERTULIA_FINGERPRINT_CHARS 43

/* The fingerprint of @der (base64url, newly allocated) */
char     *tertulia_fingerprint_from_der         (const guint8    *der,
                                                 gsize            length);
/* The fingerprint of @certificate, or NULL when it has no DER form */
char     *tertulia_fingerprint_from_certificate (GTlsCertificate *certificate);
/* TRUE when @text is a fingerprint: 43 base64url characters that decode to
 * 32 bytes (the last one's unused bits zero, so one fingerprint has one
 * spelling)
 */
gboolean  tertulia_fingerprint_is_valid         (const char      *text);
/* For people to compare aloud: the 32 bytes as 8 groups of 5 decimal
 * digits ("12345 67890 …"), each group 4 bytes big-endian modulo 100 000.
 * NULL when @fp_b64url is not a fingerprint.
 */
char     *tertulia_fingerprint_format           (const char      *fp_b64url);
/* TRUE when both are fingerprints and the same one (constant time) */
gboolean  tertulia_fingerprint_equal            (const char      *a,
                                                 const char      *b);

G_END_DECLS

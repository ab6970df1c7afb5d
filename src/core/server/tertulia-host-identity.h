/* tertulia-host-identity.h — the host's self-signed certificate and key
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A host is known by the SHA-256 fingerprint of its certificate
 * (tertulia-fingerprint.h), so the certificate is made once (ECDSA P-256,
 * self-signed, with GnuTLS) and kept: cert.pem and key.pem (0600) in a
 * directory of its own, in a 0700 directory.
 */

/* $XDG_DATA_HOME/tertulia/host-identity, the app's (newly allocated) */
char            *tertulia_host_identity_dup_default_directory (void);
/* The certificate kept in @directory, made (and the directory with it)
 * when there is none. A directory with a damaged or unreadable pair is
 * an error, never silently replaced: the fingerprint guests pinned would
 * change.
 */
GTlsCertificate *tertulia_host_identity_load_or_create (const char  *directory,
                                                        GError     **error);
/* A certificate and key from PEM files someone gave */
GTlsCertificate *tertulia_host_identity_load_files     (const char  *cert_file,
                                                        const char  *key_file,
                                                        GError     **error);
/* A new certificate kept nowhere: its fingerprint changes at each start */
GTlsCertificate *tertulia_host_identity_new_ephemeral  (GError     **error);

G_END_DECLS

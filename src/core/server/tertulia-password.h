/* tertulia-password.h — a room password, kept only as a salted, slow hash
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* PBKDF2-HMAC-SHA256 iterations for a room password: one check costs about
 * 25 ms on a laptop of the 2020s, once when the host sets the password and
 * once per hello that brings one (which the host rate-limits). A LAN room's
 * password is not a long-lived account secret; the hash is there so that
 * the password itself is never kept, not to survive a determined offline
 * attack on a memory dump.
 */
#define TERTULIA_PASSWORD_ITERATIONS 50000

typedef struct _TertuliaPasswordHash TertuliaPasswordHash;

/* Hashes the NFC form of @password (valid UTF-8) with a fresh random salt. */
TertuliaPasswordHash *tertulia_password_hash_new    (const char                 *password,
                                                     guint                       iterations);
/* For a check in another thread, while the room's may change */
TertuliaPasswordHash *tertulia_password_hash_copy   (const TertuliaPasswordHash *hash);
void                  tertulia_password_hash_free   (TertuliaPasswordHash       *hash);
/* Whether @guess (NFC, valid UTF-8) is the password, comparing in constant
 * time.
 */
gboolean              tertulia_password_hash_check  (const TertuliaPasswordHash *hash,
                                                     const char                 *guess);

/* PBKDF2 (RFC 8018) with HMAC-SHA256, for the hash and for its tests. */
void                  tertulia_password_pbkdf2      (const guint8               *password,
                                                     gsize                       password_length,
                                                     const guint8               *salt,
                                                     gsize                       salt_length,
                                                     guint                       iterations,
                                                     guint8                     *out,
                                                     gsize                       out_length);

/* The password on the first line of @path ("-": a line of standard input),
 * without its line break: valid UTF-8, 1 to TERTULIA_MAX_PASSWORD_CHARS
 * characters, or NULL with a translated @error. *@others_can_read (may be
 * NULL) says whether the file's permissions let other users read it, which
 * callers should warn about. Free the result with tertulia_password_free().
 */
char                 *tertulia_password_read_file   (const char                 *path,
                                                     gboolean                   *others_can_read,
                                                     GError                    **error);
/* Overwrites @password, then frees it. */
void                  tertulia_password_free        (char                       *password);

/* Fills @buffer from the kernel's random source (GRand only if that fails). */
void                  tertulia_random_bytes         (guint8                     *buffer,
                                                     gsize                       length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TertuliaPasswordHash, tertulia_password_hash_free)

G_END_DECLS

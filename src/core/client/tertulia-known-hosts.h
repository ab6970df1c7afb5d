/* tertulia-known-hosts.h — the fingerprints of hosts met before (pins)
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A GKeyFile at $XDG_DATA_HOME/tertulia/known-hosts (0600):
 *
 *   [192.168.1.20:7878]
 *   fingerprint=…43 base64url characters…
 *
 * keyed by tertulia_address_dup_pin_key(). Read afresh at each lookup, so
 * the app and tertulia-cli see each other's pins; written atomically.
 */

/* The file, newly allocated */
char     *tertulia_known_hosts_dup_path    (void);
/* The fingerprint pinned for @pin_key, or NULL */
char     *tertulia_known_hosts_lookup      (const char  *pin_key);
/* Pins @fingerprint for @pin_key, replacing any earlier pin */
gboolean  tertulia_known_hosts_pin         (const char  *pin_key,
                                            const char  *fingerprint,
                                            GError     **error);
/* Forgets the pin of @pin_key; TRUE also when there was none */
gboolean  tertulia_known_hosts_forget      (const char  *pin_key,
                                            GError     **error);

G_END_DECLS

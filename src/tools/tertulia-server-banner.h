/* tertulia-server-banner.h — what tertulia-server tells the person who
 * started it
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The room is open: the addresses people can join at, a QR code of the
 * first for phones, and how to close it.
 */
void _tertulia_server_print_banner       (const char   *room_name,
                                          guint         port,
                                          GInetAddress *bind_address,
                                          const char   *fingerprint,
                                          gboolean      https,
                                          gboolean      identity_kept);
/* Why listening on @bind (@bind_address, parsed; NULL for every
 * interface) port @port failed, and what to try instead.
 */
void _tertulia_server_print_listen_error (const GError *error,
                                          guint         port,
                                          const char   *bind,
                                          GInetAddress *bind_address);

/* The host's certificate: none with @no_tls; from @cert_file and
 * @key_file when given; else kept in @data_dir's host-identity folder;
 * else a new one (*@kept FALSE: its fingerprint changes at each start).
 * NULL without TLS, or with @error.
 */
GTlsCertificate *_tertulia_server_load_identity (gboolean     no_tls,
                                                 const char  *cert_file,
                                                 const char  *key_file,
                                                 const char  *data_dir,
                                                 gboolean    *kept,
                                                 GError     **error);

G_END_DECLS

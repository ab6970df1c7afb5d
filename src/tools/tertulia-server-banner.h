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
                                          GInetAddress *bind_address);
/* Why listening on @bind (@bind_address, parsed; NULL for every
 * interface) port @port failed, and what to try instead.
 */
void _tertulia_server_print_listen_error (const GError *error,
                                          guint         port,
                                          const char   *bind,
                                          GInetAddress *bind_address);

G_END_DECLS

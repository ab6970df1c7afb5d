/* tertulia-address.h — what people type to join, and where a host can be reached
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TERTULIA_ADDRESS_ERROR (tertulia_address_error_quark ())

typedef enum
{
  TERTULIA_ADDRESS_ERROR_EMPTY,
  TERTULIA_ADDRESS_ERROR_INVALID,
  TERTULIA_ADDRESS_ERROR_SCHEME,
} TertuliaAddressError;

GQuark  tertulia_address_error_quark  (void);

/* Turns "host", "host:port", "[::1]:7878", "ws://…", "wss://…", "http://…",
 * "https://…" or "tertulia://…" (an invitation, read as http://) into the WebSocket URI to connect to (default port 7878,
 * default path /ws). Errors are translated sentences for people.
 */
char   *tertulia_address_to_websocket_uri (const char  *address,
                                           GError     **error);
/* The fingerprint an invitation carries in its fragment ("#fp=FP", see
 * tertulia-fingerprint.h), or NULL when it carries none. An address whose
 * fragment has an fp that is not a fingerprint is an error
 * (TERTULIA_ADDRESS_ERROR_INVALID) rather than NULL: joining it unchecked
 * would be what the link was meant to prevent.
 */
char   *tertulia_address_dup_fingerprint (const char  *address,
                                          GError     **error);
/* "host:port" as a key for pins and recent rooms: the display name, with
 * the default port made explicit and the host in lower case.
 */
char   *tertulia_address_dup_pin_key     (const char  *address);
/* The link an invitation carries (the QR code, "Copy Link"):
 * "http://HOST:PORT/#fp=FP", https:// when @https, no fragment when @fp is
 * NULL. IPv6 hosts get brackets.
 */
char   *tertulia_address_build_invitation (const char *host,
                                           guint       port,
                                           const char *fingerprint,
                                           gboolean    https);
/* "host:port" for showing to people (IPv6 in brackets). */
char   *tertulia_address_display_name    (const char  *address);

/* The addresses other machines can use to reach this one: every
 * non-loopback, non-link-local IPv4 and IPv6 address of the interfaces that
 * are up, IPv4 first. Never NULL; may be empty.
 */
GStrv   tertulia_address_list_local      (void);
/* "http://ADDRESS:PORT/" for every local address. */
GStrv   tertulia_address_list_urls       (guint        port);
/* tertulia_address_build_invitation() for every local address */
GStrv   tertulia_address_list_invitations (guint       port,
                                           const char *fingerprint,
                                           gboolean    https);

G_END_DECLS

/* tertulia-lan-room.h — a room someone hosts on the local network, as found by browsing
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define TERTULIA_TYPE_LAN_ROOM (tertulia_lan_room_get_type ())

G_DECLARE_FINAL_TYPE (TertuliaLanRoom, tertulia_lan_room, TERTULIA, LAN_ROOM, GObject)

/* The items of TertuliaRoomBrowser's model. Everything here came from the
 * network: show it as plain text, never as markup.
 *
 * Properties (read-only, notify on change while the room is in the model):
 *   service-name     gchar*    the DNS-SD instance name, unique on the LAN
 *                              (the room name, or Avahi's "NAME #2" after a clash)
 *   room-name        gchar*    the room's name (TXT "name"; the service name
 *                              when the TXT has none)
 *   host-name        gchar*    the host's mDNS name, such as "ana-laptop.local"
 *   address          gchar*    its IP address, IPv4 preferred
 *   port             guint
 *   n-participants   gint      people in the room, -1 when not announced
 *   version          gint      protocol version (TXT "v"), 0 when not announced
 *   password-needed  gboolean
 *   is-local         gboolean  announced by this computer
 *   fingerprint      gchar*    the host's certificate fingerprint (TXT "fp"),
 *                              NULL when not announced or malformed
 *   encrypted        gboolean  the host speaks TLS (TXT "tls=1")
 */
const char *tertulia_lan_room_get_service_name    (TertuliaLanRoom *self);
const char *tertulia_lan_room_get_room_name       (TertuliaLanRoom *self);
const char *tertulia_lan_room_get_host_name       (TertuliaLanRoom *self);
const char *tertulia_lan_room_get_address         (TertuliaLanRoom *self);
guint       tertulia_lan_room_get_port            (TertuliaLanRoom *self);
gint        tertulia_lan_room_get_n_participants  (TertuliaLanRoom *self);
gint        tertulia_lan_room_get_version         (TertuliaLanRoom *self);
gboolean    tertulia_lan_room_get_password_needed (TertuliaLanRoom *self);
gboolean    tertulia_lan_room_get_is_local        (TertuliaLanRoom *self);
const char *tertulia_lan_room_get_fingerprint     (TertuliaLanRoom *self);
gboolean    tertulia_lan_room_get_encrypted       (TertuliaLanRoom *self);

/* "ADDRESS:PORT" ("[ADDRESS]:PORT" for IPv6), what TertuliaClient and
 * tertulia_address_to_websocket_uri() take to join the room. Give the
 * client tertulia_lan_room_get_fingerprint() too
 * (tertulia_client_set_expected_fingerprint()), or join with
 * tertulia_lan_room_dup_invitation(), which carries it.
 */
char       *tertulia_lan_room_dup_join_address    (TertuliaLanRoom *self);
/* "tertulia://ADDRESS:PORT/#fp=FP" when the room announced a fingerprint,
 * else the join address: an address that is verified against it.
 */
char       *tertulia_lan_room_dup_invitation     (TertuliaLanRoom *self);

G_END_DECLS

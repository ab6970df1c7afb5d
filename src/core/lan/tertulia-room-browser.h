/* tertulia-room-browser.h — the rooms hosted on the LAN, as a live list (DNS-SD through Avahi)
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tertulia-lan-room.h"
#include "tertulia-lan-enums.h"

G_BEGIN_DECLS

typedef enum
{
  TERTULIA_ROOM_BROWSER_STARTING,     /* looking for avahi-daemon on the system bus */
  TERTULIA_ROOM_BROWSER_UNAVAILABLE,  /* Avahi is not running; browses when it starts */
  TERTULIA_ROOM_BROWSER_BROWSING,
  TERTULIA_ROOM_BROWSER_FAILED,       /* Avahi refused to browse */
} TertuliaRoomBrowserState;

#define TERTULIA_TYPE_ROOM_BROWSER (tertulia_room_browser_get_type ())


G_DECLARE_FINAL_TYPE (TertuliaRoomBrowser, tertulia_room_browser, TERTULIA, ROOM_BROWSER, GObject)

/* Browses for "_tertulia._tcp" from creation until the last reference is
 * dropped, on every interface, IPv4 and IPv6. A room seen on several
 * interfaces or protocols is one item; its address is an IPv4 one when it
 * has any. Items appear once resolved (address, port and TXT known), change
 * in place when the host updates its TXT (the number of participants), and
 * go when the host withdraws the room or goes away. New rooms are appended.
 *
 * Properties (read-only, notify on change):
 *   rooms      GListModel* of TertuliaLanRoom, the same object for the
 *              browser's whole life
 *   state      TertuliaRoomBrowserState
 *   available  gboolean: state is BROWSING. FALSE while STARTING, so a UI
 *              that says "Avahi is not running" should check for UNAVAILABLE
 *              to not flash it on start-up.
 */
TertuliaRoomBrowser      *tertulia_room_browser_new           (void);

GListModel               *tertulia_room_browser_get_rooms     (TertuliaRoomBrowser *self);
TertuliaRoomBrowserState  tertulia_room_browser_get_state     (TertuliaRoomBrowser *self);
gboolean                  tertulia_room_browser_get_available (TertuliaRoomBrowser *self);

G_END_DECLS

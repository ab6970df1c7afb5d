/* tertulia-lan-room-row.h — a room found on the network, in the start page's list
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tertulia-lan-room.h"

G_BEGIN_DECLS

#define TERTULIA_TYPE_LAN_ROOM_ROW (tertulia_lan_room_row_get_type ())

G_DECLARE_FINAL_TYPE (TertuliaLanRoomRow, tertulia_lan_room_row, TERTULIA, LAN_ROOM_ROW, AdwActionRow)

/* Its Join button, or activating the row, emits ::join. */
GtkWidget       *tertulia_lan_room_row_new      (TertuliaLanRoom    *room);
TertuliaLanRoom *tertulia_lan_room_row_get_room (TertuliaLanRoomRow *self);

G_END_DECLS

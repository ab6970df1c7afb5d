/* tertulia-room-settings.h — a room's moderation settings, for its host
 * and co-hosts: slow mode, lock, private messages and the people banned
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tertulia-client.h"

G_BEGIN_DECLS

#define TERTULIA_TYPE_ROOM_SETTINGS (tertulia_room_settings_get_type ())

G_DECLARE_FINAL_TYPE (TertuliaRoomSettings, tertulia_room_settings, TERTULIA, ROOM_SETTINGS, AdwPreferencesWindow)

/* The slow mode choices, in seconds (0 is off). */
#define TERTULIA_ROOM_SETTINGS_N_SLOW 6
extern const guint tertulia_room_settings_slow_seconds[TERTULIA_ROOM_SETTINGS_N_SLOW];

GtkWidget   *tertulia_room_settings_new                  (TertuliaClient       *client);

/* For tests */
AdwComboRow *_tertulia_room_settings_get_slow_row        (TertuliaRoomSettings *self);
GtkSwitch   *_tertulia_room_settings_get_lock_switch     (TertuliaRoomSettings *self);
AdwComboRow *_tertulia_room_settings_get_private_row     (TertuliaRoomSettings *self);
/* Shows the list of bans and fetches it again */
void         _tertulia_room_settings_show_bans           (TertuliaRoomSettings *self);
/* The ban list: "loading", "empty" or "list" */
const char  *_tertulia_room_settings_get_bans_state      (TertuliaRoomSettings *self);
GtkListBox  *_tertulia_room_settings_get_ban_list        (TertuliaRoomSettings *self);

G_END_DECLS

/* tertulia-hosted-rooms.h — where the app keeps the rooms it hosts
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Each room the app hosts is kept in a directory of its own under
 * $XDG_DATA_HOME/tertulia/hosted; GSettings "hosted-room" names the last
 * one, which "Host Room" can continue.
 */

/* The last hosted room's directory, or NULL when there is none (never
 * hosted, or its journal is gone).
 */
char *tertulia_hosted_rooms_dup_last     (GSettings  *settings);
/* A directory for a new room, not made yet: unique, named by the time. */
char *tertulia_hosted_rooms_dup_new      (void);
/* @directory is now the last hosted room. The oldest rooms beyond the
 * last few are removed: a room started afresh leaves the one before it
 * behind, not forever.
 */
void  tertulia_hosted_rooms_set_last     (GSettings  *settings,
                                          const char *directory);

/* Removes a room's directory and what is in it: a new room that could
 * not start leaves nothing behind.
 */
void  tertulia_hosted_rooms_remove       (const char *directory);

G_END_DECLS

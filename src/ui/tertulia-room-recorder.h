/* tertulia-room-recorder.h — a room the app is in, kept in its archive
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tertulia-archive.h"
#include "tertulia-client.h"

G_BEGIN_DECLS

#define TERTULIA_TYPE_ROOM_RECORDER (tertulia_room_recorder_get_type ())

G_DECLARE_FINAL_TYPE (TertuliaRoomRecorder, tertulia_room_recorder, TERTULIA, ROOM_RECORDER, GObject)

/* Keeps what arrives in @client's room in the app's archive, while the
 * "keep-history" setting says so (it is followed as it changes).
 */
TertuliaRoomRecorder *tertulia_room_recorder_new     (TertuliaClient       *client);

/* Puts the archived room @room_id into the client's room before any
 * welcome: its newest page of messages, a "New messages" line after the
 * last one read and the unread ones after it. The welcome then continues
 * it (dedup by seq) or, for another room.id, starts a new room after a
 * boundary. FALSE when the archive has no such room.
 */
gboolean              tertulia_room_recorder_restore (TertuliaRoomRecorder *self,
                                                      const char           *room_id);

/* While nobody answers at the room's address, try again now and then
 * (from 2 s, doubling to 30 s) until a welcome: a room opened from the
 * archive is read meanwhile. A refusal stops it.
 */
void                  tertulia_room_recorder_keep_trying (TertuliaRoomRecorder *self);
/* Leaving: no more trying, and what arrived last is written now. */
void                  tertulia_room_recorder_stop    (TertuliaRoomRecorder *self);

/* Loads archived messages from @seq up to the oldest one in the room's log
 * into it (see tertulia_room_prepend_history()); FALSE when the archive
 * does not have @seq.
 */
gboolean              tertulia_room_recorder_load_from (TertuliaArchive     *archive,
                                                        TertuliaRoom        *room,
                                                        gint64               seq);

/* How many messages a room opened from the archive shows at first */
#define TERTULIA_ROOM_RECORDER_PAGE 100

G_END_DECLS

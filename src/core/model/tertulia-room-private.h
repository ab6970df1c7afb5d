/* tertulia-room-private.h — shared between the files of TertuliaRoom
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tertulia-room.h"

G_BEGIN_DECLS

/* Makes @store list the welcome's participants, in its order, keeping the
 * rows of those already there. Returns "you" (borrowed: @store holds it).
 */
TertuliaParticipant *_tertulia_room_sync_participants (TertuliaRoom        *self,
                                                       GListStore          *store,
                                                       const TertuliaFrame *welcome);

G_END_DECLS

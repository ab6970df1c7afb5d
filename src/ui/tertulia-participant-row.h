/* tertulia-participant-row.h — one person in the participants sidebar,
 * with their role and a menu of what you may do about them
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tertulia-room.h"

G_BEGIN_DECLS

#define TERTULIA_TYPE_PARTICIPANT_ROW (tertulia_participant_row_get_type ())

G_DECLARE_FINAL_TYPE (TertuliaParticipantRow, tertulia_participant_row, TERTULIA, PARTICIPANT_ROW, AdwBin)

GtkWidget           *tertulia_participant_row_new             (void);
/* @room is whose rules the menu follows (your role, private messages). */
void                 tertulia_participant_row_bind            (TertuliaParticipantRow *self,
                                                               TertuliaRoom           *room,
                                                               TertuliaParticipant    *participant);
TertuliaParticipant *tertulia_participant_row_get_participant (TertuliaParticipantRow *self);
/* The room changed what you may do: the menu button shows or hides. */
void                 tertulia_participant_row_update          (TertuliaParticipantRow *self);
/* Opens the row's menu, as its button or the Menu key does; FALSE when
 * there is nothing you may do about this person.
 */
gboolean             tertulia_participant_row_popup_menu      (TertuliaParticipantRow *self);

GtkMenuButton       *_tertulia_participant_row_get_menu_button (TertuliaParticipantRow *self);

/* The menu for @target in @room as you see it, or NULL when it would be
 * empty: Message Privately as the room allows, and for moderators
 * Mute/Unmute, Remove, Ban, and for the host Make/Remove Co-host. The
 * items activate "participant.*" actions with the target's id.
 */
GMenuModel          *tertulia_participant_menu_new            (TertuliaRoom           *room,
                                                               TertuliaParticipant    *target);
/* Whether private messages between you and @target are allowed. */
gboolean             tertulia_room_can_message_privately      (TertuliaRoom           *room,
                                                               TertuliaParticipant    *target);

G_END_DECLS

/* tertulia-participant.h — someone in a room
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "tertulia-protocol.h"

G_BEGIN_DECLS

#define TERTULIA_TYPE_PARTICIPANT (tertulia_participant_get_type ())

G_DECLARE_FINAL_TYPE (TertuliaParticipant, tertulia_participant, TERTULIA, PARTICIPANT, GObject)

/* Properties:
 *   id         gint64      construct-only
 *   nickname   gchar*      read-write (renames), notifies on change
 *   joined-at  GDateTime*  construct-only
 *   is-you     gboolean    construct-only
 *   is-host    gboolean    construct-only (the host of the room when it
 *                          joined; role says what it is now)
 *   role       TertuliaRole  read-write, notifies on change (issue 18)
 *   muted      gboolean    read-write, notifies on change (issue 18)
 */
TertuliaParticipant *tertulia_participant_new           (gint64               id,
                                                         const char          *nickname,
                                                         GDateTime           *joined_at,
                                                         gboolean             is_you,
                                                         gboolean             is_host);

gint64               tertulia_participant_get_id        (TertuliaParticipant *self);
const char          *tertulia_participant_get_nickname  (TertuliaParticipant *self);
void                 tertulia_participant_set_nickname  (TertuliaParticipant *self,
                                                         const char          *nickname);
GDateTime           *tertulia_participant_get_joined_at (TertuliaParticipant *self);
gboolean             tertulia_participant_get_is_you    (TertuliaParticipant *self);
gboolean             tertulia_participant_get_is_host   (TertuliaParticipant *self);

/* issue 18: moderation */
TertuliaRole         tertulia_participant_get_role      (TertuliaParticipant *self);
void                 tertulia_participant_set_role      (TertuliaParticipant *self,
                                                         TertuliaRole         role);
gboolean             tertulia_participant_get_muted     (TertuliaParticipant *self);
void                 tertulia_participant_set_muted     (TertuliaParticipant *self,
                                                         gboolean             muted);
/* The host or a co-host */
gboolean             tertulia_participant_get_moderates (TertuliaParticipant *self);

G_END_DECLS

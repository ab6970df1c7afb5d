/* tertulia-room.h — the state of one room, as GListModels
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tertulia-message.h"
#include "tertulia-participant.h"
#include "tertulia-protocol.h"

G_BEGIN_DECLS

#define TERTULIA_TYPE_ROOM (tertulia_room_get_type ())

G_DECLARE_FINAL_TYPE (TertuliaRoom, tertulia_room, TERTULIA, ROOM, GObject)

/* Properties (read-only, notify on change):
 *   name          gchar*, NULL before the first welcome
 *   topic         gchar*, NULL when there is none ("" is stored as NULL)
 *   messages      GListModel* of TertuliaMessage, oldest first; messages being
 *                 sent are always the last items, after everything the server
 *                 has confirmed
 *   participants  GListModel* of TertuliaParticipant, in joining order
 *   you           TertuliaParticipant*, NULL before the first welcome
 *   last-seq      gint64, the seq of the last applied event
 *   n-participants guint
 *   has-older     gboolean, whether the host may have events older than
 *                 the first one in the log (fetch them with a history frame)
 *   typing        GStrv, the nicknames typing now (not you), sorted
 *
 * Signals:
 *   amendment (const TertuliaFrame *event): a reaction, edit or delete
 *                 event was taken in (once each; its target may not be in
 *                 the log yet). For the archive (tertulia_archive_record_amendment).
 */
TertuliaRoom        *tertulia_room_new                  (void);

const char          *tertulia_room_get_name             (TertuliaRoom        *self);
const char          *tertulia_room_get_topic            (TertuliaRoom        *self);
GListModel          *tertulia_room_get_messages         (TertuliaRoom        *self);
GListModel          *tertulia_room_get_participants     (TertuliaRoom        *self);
guint                tertulia_room_get_n_participants   (TertuliaRoom        *self);
TertuliaParticipant *tertulia_room_get_you              (TertuliaRoom        *self);
gint64               tertulia_room_get_last_seq         (TertuliaRoom        *self);
/* The welcome's room.id: another one means another room (or the same one
 * opened again) on the same address. NULL before the first welcome.
 */
const char          *tertulia_room_get_id               (TertuliaRoom        *self);

/* A welcome replaces the room's name, topic, participants and "you", and
 * appends the history events it has not applied yet. A welcome from
 * another room (room.id changed) starts over: a notice marks the boundary
 * in the log ("This is a different room: “name”." or, with the same name,
 * "The host opened the room again."), seq and participant ids start again,
 * and your messages still being sent go out from your new self. If events between the
 * last applied one and the welcome's history are lost (welcome.gap, or a
 * history that starts after last-seq + 1 on a room that had events), a
 * "Some messages were missed" notice is added.
 */
void                 tertulia_room_apply_welcome        (TertuliaRoom        *self,
                                                         const TertuliaFrame *welcome);
/* Applies one event (message, join, leave, rename, topic). Events whose seq
 * is not after last-seq are ignored, so replays never duplicate. A message
 * whose cid matches one of your messages being sent marks it delivered
 * instead of adding a row. Returns TRUE if the event changed the room.
 */
gboolean             tertulia_room_apply_event          (TertuliaRoom        *self,
                                                         const TertuliaFrame *event);

/* Older events (a history frame's events, oldest first) go in front of
 * the log in seq order, in one splice at the front, skipping seqs already
 * there. They are the past: joins, leaves, renames and topics in them
 * change neither the participant list nor the topic, nor last-seq.
 * has-older becomes @more.
 */
void                 tertulia_room_prepend_history      (TertuliaRoom        *self,
                                                         GPtrArray           *events,
                                                         gboolean             more);
/* The seq of the oldest event in the log of this room; 0 when the log has
 * no event.
 */
gint64               tertulia_room_get_oldest_seq       (TertuliaRoom        *self);
gboolean             tertulia_room_get_has_older        (TertuliaRoom        *self);

/* Your own message, shown at once as "sending" (borrowed reference). */
TertuliaMessage     *tertulia_room_add_own_message      (TertuliaRoom        *self,
                                                         TertuliaMessageKind  kind,
                                                         const char          *cid,
                                                         const char          *text);
/* One of your messages that failed, sent again: it becomes the last row,
 * "sending" again.
 */
void                 tertulia_room_resend_own_message   (TertuliaRoom        *self,
                                                         TertuliaMessage     *message);
TertuliaMessage     *tertulia_room_find_own_message     (TertuliaRoom        *self,
                                                         const char          *cid);
/* Local notices: /list, /help, errors, connection changes. Like server
 * events, they go before your messages still being sent (borrowed reference).
 */
TertuliaMessage     *tertulia_room_add_notice           (TertuliaRoom        *self,
                                                         const char          *text);

/* The link to the room is down: nobody is known to be there any more, so
 * the participant list empties until the next welcome (you stays set).
 */
void                 tertulia_room_clear_participants   (TertuliaRoom        *self);

TertuliaParticipant *tertulia_room_find_participant     (TertuliaRoom        *self,
                                                         gint64               id);
TertuliaParticipant *tertulia_room_find_participant_by_nick (TertuliaRoom    *self,
                                                         const char          *nick);
/* Nicknames starting with @prefix (case-insensitively), sorted ignoring
 * case, for Tab; an empty array when none does. Free with g_strfreev().
 */
GStrv                tertulia_room_complete_nick        (TertuliaRoom        *self,
                                                         const char          *prefix);
/* "3 participants: luis (host), ana (you), pepe" for /list (translated). */
char                *tertulia_room_describe_participants (TertuliaRoom       *self);

/* Whether @text mentions @nick as a whole word (case-insensitively, no
 * letter, digit or combining mark on either side).
 */
gboolean             tertulia_text_mentions             (const char          *text,
                                                         const char          *nick);

/* The message of the shared file @file_id (borrowed), or NULL */
TertuliaMessage     *tertulia_room_find_file_message    (TertuliaRoom        *self,
                                                         const char          *file_id);

/* Replies, reactions, edits, deletions and typing (issue 19) */

/* The chat message of this room with @seq (borrowed), or NULL when it is
 * not in the log (yet: reactions, edits and deletions of a message older
 * than the log are kept and applied when scrollback brings it in).
 */
TertuliaMessage     *tertulia_room_find_message_by_seq  (TertuliaRoom        *self,
                                                         gint64               seq);
/* Who is typing now, not you, sorted; an empty array when nobody is.
 * Free with g_strfreev().
 */
GStrv                tertulia_room_dup_typing           (TertuliaRoom        *self);
/* A typing frame (not an event: no seq, nothing in the log): "active"
 * lasts TERTULIA_TYPING_EXPIRY_SECONDS unless renewed; a message from
 * the same participant, "active": false, or their leaving ends it.
 */
void                 tertulia_room_apply_typing         (TertuliaRoom        *self,
                                                         const TertuliaFrame *typing);

G_END_DECLS

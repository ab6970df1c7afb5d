/* tertulia-conversation.h — private messages with one other participant
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tertulia-message.h"

G_BEGIN_DECLS

#define TERTULIA_TYPE_CONVERSATION (tertulia_conversation_get_type ())

G_DECLARE_FINAL_TYPE (TertuliaConversation, tertulia_conversation, TERTULIA, CONVERSATION, GObject)

/* Properties (read-only, notify on change):
 *   peer-id   gint64       the other participant's id (ids are never reused
 *                          within a room)
 *   nick      gchar*       their nickname, kept current by renames
 *   unread    guint        messages from them since mark_read()
 *   messages  GListModel*  of TertuliaMessage, oldest first: theirs and
 *                          yours (is-own; "sending" until the host relays it)
 *   present   gboolean     they are in the room now (a private message to
 *                          someone absent is refused)
 *
 * A conversation lives as long as its room's log: private messages never
 * go into the room's messages, its archive or anyone else's history.
 */
gint64      tertulia_conversation_get_peer_id  (TertuliaConversation *self);
const char *tertulia_conversation_get_nick     (TertuliaConversation *self);
guint       tertulia_conversation_get_unread   (TertuliaConversation *self);
GListModel *tertulia_conversation_get_messages (TertuliaConversation *self);
gboolean    tertulia_conversation_get_present  (TertuliaConversation *self);
void        tertulia_conversation_mark_read    (TertuliaConversation *self);

G_END_DECLS

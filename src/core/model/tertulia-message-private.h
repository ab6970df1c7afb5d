/* tertulia-message-private.h — what the room changes in its messages
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tertulia-message.h"

G_BEGIN_DECLS

/* tertulia-message.c */
void _tertulia_message_set_text    (TertuliaMessage *self,
                                    const char      *text);

/* tertulia-message-conversation.c: the outcome of a message's edits,
 * deletion and reactions (issue 19). @reactions (transfer full, of
 * TertuliaReaction*) replaces the reactions when it differs from them.
 */
void _tertulia_message_set_amended (TertuliaMessage *self,
                                    gboolean         edited,
                                    gboolean         deleted,
                                    const char      *deleted_by,
                                    GPtrArray       *reactions);

G_END_DECLS

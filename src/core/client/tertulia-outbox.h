/* tertulia-outbox.h — your messages waiting to go out, paced within the room's limits
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tertulia-room.h"

G_BEGIN_DECLS

typedef struct _TertuliaOutbox TertuliaOutbox;

/* Puts @message on the wire; FALSE when the connection cannot take it (the
 * outbox then forgets what it holds: the next welcome fills it again).
 */
typedef gboolean (*TertuliaOutboxSendFunc) (TertuliaMessage *message,
                                             gpointer         user_data);

TertuliaOutbox *_tertulia_outbox_new       (TertuliaOutboxSendFunc  send,
                                            gpointer                user_data);
void            _tertulia_outbox_free      (TertuliaOutbox         *self);

/* The limits a welcome announces (frames in a burst, frames per second). */
void            _tertulia_outbox_set_rate  (TertuliaOutbox         *self,
                                            double                  rate_burst,
                                            double                  rate_per_second);
/* Sends @message now if the rate allows, else when it does. */
void            _tertulia_outbox_push      (TertuliaOutbox         *self,
                                            TertuliaMessage        *message);
/* Queues again every message of yours that @room still shows as being
 * sent, oldest first, after a welcome.
 */
void            _tertulia_outbox_refill    (TertuliaOutbox         *self,
                                            TertuliaRoom           *room);
void            _tertulia_outbox_clear     (TertuliaOutbox         *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TertuliaOutbox, _tertulia_outbox_free)

G_END_DECLS

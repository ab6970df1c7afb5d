/* tertulia-reconnect.h — when a guest that lost its room tries again
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _TertuliaReconnect TertuliaReconnect;

/* @retry: time for the next attempt. @countdown: seconds until it, each
 * second while waiting (0 once it is due or stopped).
 */
typedef void (*TertuliaReconnectRetryFunc)     (gpointer user_data);
typedef void (*TertuliaReconnectCountdownFunc) (guint    seconds,
                                                gpointer user_data);

TertuliaReconnect *_tertulia_reconnect_new        (TertuliaReconnectRetryFunc      retry,
                                                   TertuliaReconnectCountdownFunc  countdown,
                                                   gpointer                        user_data);
void               _tertulia_reconnect_free       (TertuliaReconnect              *self);

/* Waits the next back-off delay, then calls retry. */
void               _tertulia_reconnect_schedule   (TertuliaReconnect              *self);
/* No timer any more; the back-off stays where it is. */
void               _tertulia_reconnect_stop       (TertuliaReconnect              *self);
/* The next delay is the first one again (after a welcome, or leaving). */
void               _tertulia_reconnect_reset      (TertuliaReconnect              *self);
gboolean           _tertulia_reconnect_is_waiting (TertuliaReconnect              *self);
/* While waiting: try at once, and back off from the start again (the
 * network came back, or the room was announced again on the LAN).
 */
void               _tertulia_reconnect_now        (TertuliaReconnect              *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TertuliaReconnect, _tertulia_reconnect_free)

G_END_DECLS

/* tertulia-server-private.h — internals of TertuliaServer for the tests
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tertulia-server.h"

G_BEGIN_DECLS

/* The protocol's deadlines (TERTULIA_HANDSHAKE_TIMEOUT_SECONDS,
 * TERTULIA_RESUME_GRACE_SECONDS) are too long for a test to wait for. Only
 * tests call this, before the first connection arrives; 0 keeps a deadline
 * as it is.
 */
void _tertulia_server_set_deadlines (TertuliaServer *self,
                                     guint           handshake_timeout_msec,
                                     guint           resume_grace_msec);

/* Open WebSocket connections, joined or not: lets a test wait until the
 * server has seen a drop.
 */
guint _tertulia_server_get_n_connections (TertuliaServer *self);

G_END_DECLS

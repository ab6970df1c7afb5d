/* tertulia-client-private.h — hooks into TertuliaClient for the tests
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tertulia-client.h"

G_BEGIN_DECLS

/* The client pings the host every 10 seconds and gives up on a host it has
 * not heard from for 30 seconds: too long for a test to wait. Only tests
 * call this, before connecting; 0 keeps a value as it is.
 */
void _tertulia_client_set_keepalive (TertuliaClient *self,
                                     guint           ping_seconds,
                                     guint           silence_limit_msec);

G_END_DECLS

/* tertulia-discovery.h — rooms on the LAN: announcing them and finding them
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tertulia-announcer.h"
#include "tertulia-lan-room.h"
#include "tertulia-room-browser.h"

G_BEGIN_DECLS

/* The DNS-SD service type of a Tertulia room (docs/PROTOCOL.md, "Finding
 * rooms on the LAN"). Announcing and browsing go through avahi-daemon on the
 * system bus; nothing else is needed on the machine.
 */
#define TERTULIA_DISCOVERY_SERVICE_TYPE "_tertulia._tcp"

G_END_DECLS

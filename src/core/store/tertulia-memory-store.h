/* tertulia-memory-store.h — the room's memory in a ring, for an ephemeral room
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tertulia-store.h"

G_BEGIN_DECLS

#define TERTULIA_TYPE_MEMORY_STORE (tertulia_memory_store_get_type ())

G_DECLARE_FINAL_TYPE (TertuliaMemoryStore, tertulia_memory_store, TERTULIA, MEMORY_STORE, GObject)

/* Keeps the newest @capacity events (at least 1); everything else lives
 * as long as the object.
 */
TertuliaStore *tertulia_memory_store_new (guint capacity);

G_END_DECLS

/* tertulia-protocol-private.h — what the protocol's files share
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "tertulia-protocol.h"

G_BEGIN_DECLS

/* The root object of @data (@length bytes of UTF-8 text), or NULL with
 * @error set: it refuses more than @max_bytes (0 for no limit), nesting
 * deeper than TERTULIA_MAX_JSON_DEPTH, anything but one object, and the
 * escapes json-glib would get wrong. Scanned before JsonParser sees it.
 */
JsonNode *_tertulia_protocol_load_frame (const char  *data,
                                         gsize        length,
                                         gsize        max_bytes,
                                         GError     **error);

G_END_DECLS

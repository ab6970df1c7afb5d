/* tertulia-archive-private.h — what the archive's files share
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "tertulia-archive.h"

G_BEGIN_DECLS

sqlite3 *_tertulia_archive_get_db       (TertuliaArchive *self);
/* The room's row number; 0 when the archive has no such room. */
gint64   _tertulia_archive_lookup_room  (TertuliaArchive *self,
                                         const char      *room_id);

/* tertulia-archive-search.c: the words of @text as the index has them */
GPtrArray *_tertulia_archive_dup_words  (const char      *text);

G_END_DECLS

/* tertulia-journal.h — the room's memory on the host's disk: an SQLite journal
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tertulia-store.h"

G_BEGIN_DECLS

#define TERTULIA_TYPE_JOURNAL (tertulia_journal_get_type ())

G_DECLARE_FINAL_TYPE (TertuliaJournal, tertulia_journal, TERTULIA, JOURNAL, GObject)

/* The file a journal keeps in its directory */
#define TERTULIA_JOURNAL_FILE_NAME "room.sqlite3"

/* Opens (or starts) the journal in @directory, made if missing (0700).
 *
 * Only one journal may have a directory open, in any process: a second
 * open fails with G_IO_ERROR_BUSY. A file that is not a database, or a
 * damaged one, is moved aside (renamed with the time) and a new journal is
 * started; tertulia_journal_get_notice() then says so. Anything else that
 * keeps the journal from opening (a directory that cannot be written) is
 * an error, with a translated message.
 */
TertuliaJournal *tertulia_journal_open       (const char      *directory,
                                              GError         **error);

const char      *tertulia_journal_get_path   (TertuliaJournal *self);
/* A translated sentence for the host's user about what happened while
 * opening (a damaged file moved aside), or NULL.
 */
const char      *tertulia_journal_get_notice (TertuliaJournal *self);
/* Where the damaged file went, or NULL */
const char      *tertulia_journal_get_moved_aside (TertuliaJournal *self);

G_END_DECLS

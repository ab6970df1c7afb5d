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

/* tertulia-archive.c (issue 19): this iteration's transaction (FALSE when
 * nothing may be written), and a write that fails the archive if it fails
 */
gboolean _tertulia_archive_begin        (TertuliaArchive *self);
gboolean _tertulia_archive_step_write   (TertuliaArchive *self,
                                         sqlite3_stmt    *stmt);

/* tertulia-archive-conversation.c (issue 19) */
#define TERTULIA_ARCHIVE_CONVERSATION_SCHEMA \
  "CREATE TABLE IF NOT EXISTS amendments ("                                 \
  "  room INTEGER NOT NULL,"                                                \
  "  seq INTEGER NOT NULL,"                                                 \
  "  time INTEGER NOT NULL,"                                                \
  "  type INTEGER NOT NULL,"                                                \
  "  target INTEGER NOT NULL,"                                              \
  "  from_id INTEGER NOT NULL,"                                             \
  "  from_nick TEXT NOT NULL,"                                              \
  "  emoji TEXT,"                                                           \
  "  added INTEGER NOT NULL DEFAULT 0,"                                     \
  "  text TEXT,"                                                            \
  "  PRIMARY KEY (room, seq)) WITHOUT ROWID;"                               \
  "CREATE INDEX IF NOT EXISTS amendments_target ON amendments (room, target);" \
  "CREATE TABLE IF NOT EXISTS quotes ("                                     \
  "  room INTEGER NOT NULL,"                                                \
  "  seq INTEGER NOT NULL,"                                                 \
  "  reply_to INTEGER NOT NULL,"                                            \
  "  author TEXT NOT NULL,"                                                 \
  "  text TEXT NOT NULL,"                                                   \
  "  PRIMARY KEY (room, seq)) WITHOUT ROWID;"

/* A message just kept: its reply's quote */
void     _tertulia_archive_record_quote (TertuliaArchive *self,
                                         gint64           room_key,
                                         TertuliaMessage *message);
/* A page of message events (newest first) read with @after < seq <
 * @before: the amendments and quotes of that stretch go in. @cut: the page
 * stops at its oldest message, older ones are kept.
 */
void     _tertulia_archive_add_conversation (TertuliaArchive *self,
                                             gint64           room_key,
                                             GPtrArray       *events,
                                             gboolean         cut,
                                             gint64           after,
                                             gint64           before);
void     _tertulia_archive_forget_conversation (TertuliaArchive *self,
                                                gint64           room_key);

G_END_DECLS

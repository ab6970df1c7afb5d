/* tertulia-archive.h — the rooms this app joined, kept on disk and searchable
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tertulia-message.h"
#include "tertulia-protocol.h"

G_BEGIN_DECLS

#define TERTULIA_ARCHIVE_FILE_NAME "archive.db"

#define TERTULIA_TYPE_ARCHIVE (tertulia_archive_get_type ())

G_DECLARE_FINAL_TYPE (TertuliaArchive, tertulia_archive, TERTULIA, ARCHIVE, GObject)

/* A room as the archive knows it; times are ms since the epoch. */
typedef struct
{
  char   *room_id;        /* the welcome's room.id */
  char   *name;
  char   *topic;
  char   *address;        /* as typed, or the loopback address when hosting */
  gint64  last_activity;  /* the time of its newest message, or when it was joined */
  gint64  last_seq;       /* the seq of the last event the app applied */
  gint64  last_read_seq;  /* messages after this one are unread */
  guint   unread;         /* messages of others after last_read_seq */
} TertuliaArchiveRoom;

/* One search result: @snippet is plain text from the message (never markup)
 * and @highlights holds pairs of byte offsets into it, [start, end), of
 * what matched.
 */
typedef struct
{
  gint64  seq;
  gint64  time;
  char   *author;
  char   *snippet;
  GArray *highlights;     /* of guint, start/end pairs */
} TertuliaArchiveHit;

void                 tertulia_archive_room_free    (TertuliaArchiveRoom *room);
void                 tertulia_archive_hit_free     (TertuliaArchiveHit  *hit);

/* Opens (creating it and its directory) the archive at @path. A file that
 * is not a database, or a damaged one, is renamed "PATH.damaged-TIME" and a
 * new archive starts (see get_notice). NULL with @error when no archive can
 * be kept there at all (a read-only directory, a full disk).
 */
TertuliaArchive     *tertulia_archive_open         (const char          *path,
                                                    GError             **error);
/* $XDG_DATA_HOME/tertulia/archive.db */
char                *tertulia_archive_dup_default_path (void);

const char          *tertulia_archive_get_path     (TertuliaArchive     *self);
/* A translated sentence when the file was damaged and moved aside; NULL otherwise. */
const char          *tertulia_archive_get_notice   (TertuliaArchive     *self);
/* Set when a write failed (full disk): nothing more is written, reads go
 * on. The "failed" signal (const GError *) is emitted once, when it happens.
 */
const GError        *tertulia_archive_get_failure  (TertuliaArchive     *self);

/* Writing. Every write of one main-loop iteration goes into one
 * transaction, committed at idle priority (or by tertulia_archive_flush()),
 * off the path of the messages themselves.
 */
void                 tertulia_archive_update_room  (TertuliaArchive     *self,
                                                    const char          *room_id,
                                                    const char          *name,
                                                    const char          *topic,
                                                    const char          *address,
                                                    gint64               last_seq);
/* Keeps a delivered message (one with a seq; notices are not kept); one
 * already kept is left as it is.
 */
void                 tertulia_archive_record_message (TertuliaArchive   *self,
                                                      const char        *room_id,
                                                      TertuliaMessage   *message);
/* Everything up to @seq has been read: the unread count drops accordingly. */
void                 tertulia_archive_mark_read    (TertuliaArchive     *self,
                                                    const char          *room_id,
                                                    gint64               seq);
void                 tertulia_archive_forget_room  (TertuliaArchive     *self,
                                                    const char          *room_id);
/* Both emit "rooms-changed" once done. */

/* Forgets every room. */
void                 tertulia_archive_clear        (TertuliaArchive     *self);
void                 tertulia_archive_flush        (TertuliaArchive     *self);

/* Reading */

/* The rooms, most recently active first (at most @limit). */
GPtrArray           *tertulia_archive_dup_rooms    (TertuliaArchive     *self,
                                                    guint                limit);
TertuliaArchiveRoom *tertulia_archive_dup_room     (TertuliaArchive     *self,
                                                    const char          *room_id);
/* Message events (TertuliaFrame*, type MESSAGE, oldest first) with
 * @after < seq < @before: the newest @limit of them. @more says whether
 * older ones than those returned are kept. The reaction, edit and delete
 * events between the oldest of them and @before come too (beyond
 * @limit), in seq order, and replies carry their quotes.
 */
GPtrArray           *tertulia_archive_dup_events   (TertuliaArchive     *self,
                                                    const char          *room_id,
                                                    gint64               after,
                                                    gint64               before,
                                                    guint                limit,
                                                    gboolean            *more);

/* The room's messages holding every one of @words (as the person typed
 * them; each a prefix of a word, case and accents ignored), newest first,
 * at most @limit. FTS5's own syntax in @words is taken as plain text.
 */
GPtrArray           *tertulia_archive_search       (TertuliaArchive     *self,
                                                    const char          *room_id,
                                                    const char          *words,
                                                    guint                limit);
/* The FTS5 query for @words: each word quoted, as a prefix, all of them
 * wanted; NULL when @words hold nothing to look for. (A search also
 * spells out long prefixes from the archive's words.)
 */
char                *tertulia_archive_build_query  (const char          *words);

/* issue 19: a reaction, edit or delete event of the room (as TertuliaRoom's
 * "amendment" signal hands them over). The archive keeps the final state:
 * an edit replaces the kept text (and what search finds), a deletion
 * leaves a tombstone without text (and removes it, and the text of its
 * earlier edits, from search), reactions are kept as the events that
 * make them. tertulia_archive_dup_events() hands these events back with
 * the messages, so that a room read from the archive shows the same.
 */
void                 tertulia_archive_record_amendment (TertuliaArchive     *self,
                                                        const char          *room_id,
                                                        const TertuliaFrame *event);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TertuliaArchiveRoom, tertulia_archive_room_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TertuliaArchiveHit, tertulia_archive_hit_free)

G_END_DECLS

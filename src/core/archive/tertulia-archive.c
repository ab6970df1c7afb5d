/* tertulia-archive.c — the rooms this app joined, kept on disk: SQLite with FTS5
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-archive"

#include "config.h"

#include <errno.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "tertulia-archive-private.h"
#include "tertulia-util-private.h"

/* The archive is written as messages arrive and read when a room opens
 * (its newest page only), when the start page lists the recent rooms and
 * when someone searches. As with the host's journal (store/), it is WAL
 * with synchronous=NORMAL: a commit is one append to the -wal file with no
 * fsync, safe against the app dying; a power cut may lose the last ones,
 * which for a copy of what the host keeps is the right price. Unlike the
 * journal it keeps normal locking: the app is its only writer (one
 * GApplication per session), but the sqlite3 shell may read it meanwhile.
 *
 * There is no quick_check at open: an archive of a million messages takes
 * seconds to check and the start page must not wait. A file that is not a
 * database fails at the first read and is moved aside then; damage deep
 * in the file shows as a failed read or write later, which loses a page of
 * history and never the app.
 *
 * Message text lives once, in `events`; `events_fts` is an FTS5 index with
 * `events` as its external content, so a search can cut snippets. Every
 * word is a prefix as people type (see tertulia-archive-search.c), and
 * the first two or three letters of a word match a great many words: FTS5
 * keeps an index of those prefixes too, or such a search would merge the
 * lists of all those words. FTS5's
 * snippet() marks matches with U+0001 and U+0002, which are replaced in
 * text before it is kept so that the marks cannot be forged.
 */

/* 2: replies, reactions, edits and deletions (issue 19) */
#define SCHEMA_VERSION 2

enum {
  STMT_BEGIN,
  STMT_COMMIT,
  STMT_UPSERT_ROOM,
  STMT_ROOM_KEY,
  STMT_INSERT_EVENT,
  STMT_INSERT_FTS,
  STMT_ROOM_AFTER_EVENT,
  STMT_INSERT_WORD,
  STMT_MARK_READ,
  STMT_FORGET_FTS,
  STMT_FORGET_EVENTS,
  STMT_FORGET_ROOM,
  STMT_ROOMS,
  STMT_ROOM,
  STMT_EVENTS,
  N_STMTS
};

#define ROOM_COLUMNS "room_id, name, topic, address, last_activity, last_seq, last_read_seq, unread"

static const char * const statements [N_STMTS] = {
  [STMT_BEGIN] = "BEGIN",
  [STMT_COMMIT] = "COMMIT",
  [STMT_UPSERT_ROOM] = "INSERT INTO rooms (room_id, name, topic, address, last_activity, last_seq) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                       "ON CONFLICT (room_id) DO UPDATE SET name = excluded.name, "
                       "topic = excluded.topic, address = excluded.address, "
                       "last_activity = max(last_activity, excluded.last_activity), "
                       "last_seq = max(last_seq, excluded.last_seq)",
  [STMT_ROOM_KEY] = "SELECT key FROM rooms WHERE room_id = ?1",
  [STMT_INSERT_EVENT] = "INSERT OR IGNORE INTO events (room, seq, time, kind, author_id, author, own, text) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
  [STMT_INSERT_FTS] = "INSERT INTO events_fts (rowid, text) VALUES (?1, ?2)",
  [STMT_ROOM_AFTER_EVENT] = "UPDATE rooms SET last_activity = max(last_activity, ?2), "
                            "last_seq = max(last_seq, ?3), "
                            "unread = unread + (?3 > last_read_seq AND NOT ?4) WHERE key = ?1",
  [STMT_INSERT_WORD] = "INSERT OR IGNORE INTO words (word) VALUES (?1)",
  [STMT_MARK_READ] = "UPDATE rooms SET last_read_seq = max(last_read_seq, ?2), "
                     "unread = (SELECT count(*) FROM events WHERE room = ?1 AND own = 0 "
                     "          AND seq > max(rooms.last_read_seq, ?2)) WHERE key = ?1",
  [STMT_FORGET_FTS] = "INSERT INTO events_fts (events_fts, rowid, text) "
                      "SELECT 'delete', id, text FROM events WHERE room = ?1",
  [STMT_FORGET_EVENTS] = "DELETE FROM events WHERE room = ?1",
  [STMT_FORGET_ROOM] = "DELETE FROM rooms WHERE key = ?1",
  [STMT_ROOMS] = "SELECT " ROOM_COLUMNS " FROM rooms ORDER BY last_activity DESC LIMIT ?1",
  [STMT_ROOM] = "SELECT " ROOM_COLUMNS " FROM rooms WHERE room_id = ?1",
  [STMT_EVENTS] = "SELECT seq, time, kind, author_id, author, text FROM events "
                  "WHERE room = ?1 AND seq > ?2 AND seq < ?3 ORDER BY seq DESC LIMIT ?4",
};

static const char schema[] =
  "CREATE TABLE IF NOT EXISTS rooms ("
  "  key INTEGER PRIMARY KEY,"
  "  room_id TEXT NOT NULL UNIQUE,"
  "  name TEXT NOT NULL,"
  "  topic TEXT NOT NULL,"
  "  address TEXT NOT NULL,"
  "  last_activity INTEGER NOT NULL,"
  "  last_seq INTEGER NOT NULL,"
  "  last_read_seq INTEGER NOT NULL DEFAULT 0,"
  "  unread INTEGER NOT NULL DEFAULT 0);"
  "CREATE TABLE IF NOT EXISTS events ("
  "  id INTEGER PRIMARY KEY,"
  "  room INTEGER NOT NULL,"
  "  seq INTEGER NOT NULL,"
  "  time INTEGER NOT NULL,"
  "  kind INTEGER NOT NULL,"
  "  author_id INTEGER NOT NULL,"
  "  author TEXT NOT NULL,"
  "  own INTEGER NOT NULL,"
  "  text TEXT NOT NULL,"
  "  UNIQUE (room, seq));"
  "CREATE TABLE IF NOT EXISTS words ("
  "  word TEXT PRIMARY KEY) WITHOUT ROWID;"
  "CREATE VIRTUAL TABLE IF NOT EXISTS events_fts USING fts5 ("
  "  text, content = 'events', content_rowid = 'id',"
  "  tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');"
  /* issue 19 (tertulia-archive-conversation.c) */
  TERTULIA_ARCHIVE_CONVERSATION_SCHEMA;

struct _TertuliaArchive
{
  GObject        parent_instance;

  /* Owned references */
  sqlite3       *db;
  sqlite3_stmt  *stmts [N_STMTS];
  char          *path;
  char          *notice;
  GError        *failure;
  GHashTable    *room_keys;    /* room_id → gint64* */

  guint          commit_id;
  gboolean       in_transaction;
};

enum {
  FAILED,
  ROOMS_CHANGED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

G_DEFINE_FINAL_TYPE (TertuliaArchive, tertulia_archive, G_TYPE_OBJECT)

void
tertulia_archive_room_free (TertuliaArchiveRoom *room)
{
  if (room == NULL)
    return;

  g_free (room->room_id);
  g_free (room->name);
  g_free (room->topic);
  g_free (room->address);
  g_free (room);
}

static gboolean
rc_means_damaged (int rc)
{
  rc &= 0xff;

  return rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT;
}


/* Failures */

static void
archive_fail (TertuliaArchive *self,
              int              rc)
{
  if (self->failure != NULL)
    return;

  g_clear_handle_id (&self->commit_id, g_source_remove);
  if (self->db != NULL && !sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  self->in_transaction = FALSE;

  /* Translators: the first %s is a file, the second why it cannot be
   * written (for instance "database or disk is full")
   */
  self->failure = g_error_new (G_IO_ERROR,
                               (rc & 0xff) == SQLITE_FULL ? G_IO_ERROR_NO_SPACE : G_IO_ERROR_FAILED,
                               _("Conversations can no longer be kept in %s (%s). Tertulia works on, without keeping what is said from now on."),
                               self->path, sqlite3_errstr (rc));
  g_debug ("%s", self->failure->message);

  g_signal_emit (self, signals [FAILED], 0, self->failure);
}

static gboolean
step_write (TertuliaArchive *self,
            sqlite3_stmt    *stmt)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  if (rc != SQLITE_DONE)
    {
      archive_fail (self, rc);
      return FALSE;
    }

  return TRUE;
}

/* A read that went wrong loses what it would have shown, nothing more. */
static void
finish_read (TertuliaArchive *self,
             sqlite3_stmt    *stmt,
             int              rc)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    g_debug ("%s: reading: %s", self->path, sqlite3_errstr (rc));
}


/* Batching */

void
tertulia_archive_flush (TertuliaArchive *self)
{
  g_return_if_fail (TERTULIA_IS_ARCHIVE (self));

  g_clear_handle_id (&self->commit_id, g_source_remove);

  if (!self->in_transaction || self->failure != NULL)
    return;

  if (step_write (self, self->stmts [STMT_COMMIT]))
    self->in_transaction = FALSE;
}

static gboolean
commit_cb (gpointer user_data)
{
  TertuliaArchive *self = user_data;

  self->commit_id = 0;
  tertulia_archive_flush (self);

  return G_SOURCE_REMOVE;
}

/* Opens this iteration's transaction; FALSE when nothing may be written */
static gboolean
archive_begin (TertuliaArchive *self)
{
  if (self->failure != NULL)
    return FALSE;

  if (self->in_transaction)
    return TRUE;

  if (!step_write (self, self->stmts [STMT_BEGIN]))
    return FALSE;

  self->in_transaction = TRUE;

  /* Below the sockets, the frames and drawing: the commit waits until
   * the app has nothing more urgent to do.
   */
  self->commit_id = g_idle_add_full (G_PRIORITY_LOW, commit_cb, self, NULL);
  g_source_set_static_name (g_main_context_find_source_by_id (NULL, self->commit_id),
                            "[tertulia] commit the archive");

  return TRUE;
}

/* issue 19: for tertulia-archive-conversation.c */
gboolean
_tertulia_archive_begin (TertuliaArchive *self)
{
  return archive_begin (self);
}

gboolean
_tertulia_archive_step_write (TertuliaArchive *self,
                              sqlite3_stmt    *stmt)
{
  return step_write (self, stmt);
}

gint64
_tertulia_archive_lookup_room (TertuliaArchive *self,
                               const char      *room_id)
{
  sqlite3_stmt *stmt = self->stmts [STMT_ROOM_KEY];
  gint64 *cached = g_hash_table_lookup (self->room_keys, room_id);
  gint64 key = 0;
  int rc;

  if (cached != NULL)
    return *cached;

  sqlite3_bind_text (stmt, 1, room_id, -1, SQLITE_STATIC);
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    key = sqlite3_column_int64 (stmt, 0);
  finish_read (self, stmt, rc);

  if (key != 0)
    g_hash_table_insert (self->room_keys, g_strdup (room_id), g_memdup2 (&key, sizeof key));

  return key;
}

sqlite3 *
_tertulia_archive_get_db (TertuliaArchive *self)
{
  return self->db;
}


/* Writing */

static gint64
upsert_room (TertuliaArchive *self,
             const char      *room_id,
             const char      *name,
             const char      *topic,
             const char      *address,
             gint64           last_activity,
             gint64           last_seq)
{
  sqlite3_stmt *stmt = self->stmts [STMT_UPSERT_ROOM];

  sqlite3_bind_text (stmt, 1, room_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name != NULL ? name : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, topic != NULL ? topic : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, address != NULL ? address : "", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, last_activity);
  sqlite3_bind_int64 (stmt, 6, last_seq);
  if (!step_write (self, stmt))
    return 0;

  return _tertulia_archive_lookup_room (self, room_id);
}

void
tertulia_archive_update_room (TertuliaArchive *self,
                              const char      *room_id,
                              const char      *name,
                              const char      *topic,
                              const char      *address,
                              gint64           last_seq)
{
  g_return_if_fail (TERTULIA_IS_ARCHIVE (self));
  g_return_if_fail (room_id != NULL);

  if (!archive_begin (self))
    return;

  upsert_room (self, room_id, name, topic, address, g_get_real_time () / 1000, last_seq);
}

/* U+0001 and U+0002 mark matches in snippets (see the top of the file). */
static char *
dup_text_for_index (const char *text)
{
  char *copy;

  if (strpbrk (text, "\x01\x02") == NULL)
    return NULL;

  copy = g_strdup (text);
  for (char *p = copy; *p != '\0'; p++)
    if (*p == '\x01' || *p == '\x02')
      *p = ' ';

  return copy;
}

void
tertulia_archive_record_message (TertuliaArchive *self,
                                 const char      *room_id,
                                 TertuliaMessage *message)
{
  sqlite3_stmt *stmt = self->stmts [STMT_INSERT_EVENT];
  g_autofree char *cleaned = NULL;
  g_autoptr(GPtrArray) words = NULL;
  GDateTime *time;
  const char *text;
  gint64 seq;
  gint64 ms;
  gint64 key;
  gboolean own;

  g_return_if_fail (TERTULIA_IS_ARCHIVE (self));
  g_return_if_fail (room_id != NULL);
  g_return_if_fail (TERTULIA_IS_MESSAGE (message));

  /* What people said; a join or a rename is the room's notice of the
   * moment, in the language of the day, and not worth keeping or finding.
   */
  seq = tertulia_message_get_seq (message);
  if (seq <= 0 || tertulia_message_get_kind (message) == TERTULIA_MESSAGE_KIND_NOTICE ||
      !archive_begin (self))
    return;

  time = tertulia_message_get_time (message);
  ms = time != NULL ? g_date_time_to_unix (time) * 1000 + g_date_time_get_microsecond (time) / 1000 : 0;
  own = tertulia_message_get_is_own (message);
  text = tertulia_message_get_text (message);
  if (text == NULL)
    text = "";
  cleaned = dup_text_for_index (text);
  if (cleaned != NULL)
    text = cleaned;

  key = _tertulia_archive_lookup_room (self, room_id);
  if (key == 0)
    key = upsert_room (self, room_id, NULL, NULL, NULL, ms, 0);
  if (key == 0)
    return;

  sqlite3_bind_int64 (stmt, 1, key);
  sqlite3_bind_int64 (stmt, 2, seq);
  sqlite3_bind_int64 (stmt, 3, ms);
  sqlite3_bind_int (stmt, 4, tertulia_message_get_kind (message));
  sqlite3_bind_int64 (stmt, 5, tertulia_message_get_author_id (message));
  sqlite3_bind_text (stmt, 6, tertulia_message_get_author (message) != NULL ?
                                tertulia_message_get_author (message) : "", -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 7, own);
  sqlite3_bind_text (stmt, 8, text, -1, SQLITE_STATIC);
  if (!step_write (self, stmt))
    return;

  /* Already kept: a welcome's history after a resume, a page read back */
  if (sqlite3_changes (self->db) == 0)
    return;

  _tertulia_archive_record_quote (self, key, message);  /* issue 19 */

  stmt = self->stmts [STMT_INSERT_FTS];
  sqlite3_bind_int64 (stmt, 1, sqlite3_last_insert_rowid (self->db));
  sqlite3_bind_text (stmt, 2, text, -1, SQLITE_STATIC);
  if (!step_write (self, stmt))
    return;

  /* Every word once, for prefixes (see tertulia-archive-search.c) */
  words = _tertulia_archive_dup_words (text);
  stmt = self->stmts [STMT_INSERT_WORD];
  for (guint i = 0; i < words->len; i++)
    {
      sqlite3_bind_text (stmt, 1, g_ptr_array_index (words, i), -1, SQLITE_STATIC);
      if (!step_write (self, stmt))
        return;
    }

  stmt = self->stmts [STMT_ROOM_AFTER_EVENT];
  sqlite3_bind_int64 (stmt, 1, key);
  sqlite3_bind_int64 (stmt, 2, ms);
  sqlite3_bind_int64 (stmt, 3, seq);
  sqlite3_bind_int (stmt, 4, own);
  step_write (self, stmt);
}

void
tertulia_archive_mark_read (TertuliaArchive *self,
                            const char      *room_id,
                            gint64           seq)
{
  sqlite3_stmt *stmt = self->stmts [STMT_MARK_READ];
  gint64 key;

  g_return_if_fail (TERTULIA_IS_ARCHIVE (self));
  g_return_if_fail (room_id != NULL);

  key = _tertulia_archive_lookup_room (self, room_id);
  if (key == 0 || !archive_begin (self))
    return;

  sqlite3_bind_int64 (stmt, 1, key);
  sqlite3_bind_int64 (stmt, 2, seq);
  step_write (self, stmt);
}

static void
forget_room_key (TertuliaArchive *self,
                 gint64           key)
{
  static const int forget[] = { STMT_FORGET_FTS, STMT_FORGET_EVENTS, STMT_FORGET_ROOM };

  for (guint i = 0; i < G_N_ELEMENTS (forget); i++)
    {
      sqlite3_bind_int64 (self->stmts [forget[i]], 1, key);
      if (!step_write (self, self->stmts [forget[i]]))
        return;
    }

  _tertulia_archive_forget_conversation (self, key);  /* issue 19 */
}

void
tertulia_archive_forget_room (TertuliaArchive *self,
                              const char      *room_id)
{
  gint64 key;

  g_return_if_fail (TERTULIA_IS_ARCHIVE (self));
  g_return_if_fail (room_id != NULL);

  key = _tertulia_archive_lookup_room (self, room_id);
  if (key == 0 || !archive_begin (self))
    return;

  forget_room_key (self, key);
  g_hash_table_remove (self->room_keys, room_id);
  tertulia_archive_flush (self);

  g_signal_emit (self, signals [ROOMS_CHANGED], 0);
}

void
tertulia_archive_clear (TertuliaArchive *self)
{
  int rc;

  g_return_if_fail (TERTULIA_IS_ARCHIVE (self));

  if (!archive_begin (self))
    return;

  rc = sqlite3_exec (self->db,
                     "DELETE FROM events; DELETE FROM rooms; DELETE FROM words;"
                     "DELETE FROM amendments; DELETE FROM quotes;"  /* issue 19 */
                     "INSERT INTO events_fts (events_fts) VALUES ('delete-all');",
                     NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      archive_fail (self, rc);
      return;
    }

  g_hash_table_remove_all (self->room_keys);
  tertulia_archive_flush (self);

  /* What was said is gone from the file too, not only from its tables */
  if (self->failure == NULL)
    sqlite3_exec (self->db, "VACUUM", NULL, NULL, NULL);

  g_signal_emit (self, signals [ROOMS_CHANGED], 0);
}


/* Reading */

static TertuliaArchiveRoom *
room_from_row (sqlite3_stmt *stmt)
{
  TertuliaArchiveRoom *room = g_new0 (TertuliaArchiveRoom, 1);

  room->room_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  room->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  room->topic = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  room->address = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  room->last_activity = sqlite3_column_int64 (stmt, 4);
  room->last_seq = sqlite3_column_int64 (stmt, 5);
  room->last_read_seq = sqlite3_column_int64 (stmt, 6);
  room->unread = (guint) CLAMP (sqlite3_column_int64 (stmt, 7), 0, G_MAXUINT);

  return room;
}

GPtrArray *
tertulia_archive_dup_rooms (TertuliaArchive *self,
                            guint            limit)
{
  GPtrArray *rooms = g_ptr_array_new_with_free_func ((GDestroyNotify) tertulia_archive_room_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TERTULIA_IS_ARCHIVE (self), rooms);

  tertulia_archive_flush (self);

  stmt = self->stmts [STMT_ROOMS];
  sqlite3_bind_int64 (stmt, 1, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rooms, room_from_row (stmt));
  finish_read (self, stmt, rc);

  return rooms;
}

TertuliaArchiveRoom *
tertulia_archive_dup_room (TertuliaArchive *self,
                           const char      *room_id)
{
  TertuliaArchiveRoom *room = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TERTULIA_IS_ARCHIVE (self), NULL);
  g_return_val_if_fail (room_id != NULL, NULL);

  tertulia_archive_flush (self);

  stmt = self->stmts [STMT_ROOM];
  sqlite3_bind_text (stmt, 1, room_id, -1, SQLITE_STATIC);
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    room = room_from_row (stmt);
  finish_read (self, stmt, rc);

  return room;
}

GPtrArray *
tertulia_archive_dup_events (TertuliaArchive *self,
                             const char      *room_id,
                             gint64           after,
                             gint64           before,
                             guint            limit,
                             gboolean        *more)
{
  GPtrArray *events = g_ptr_array_new_with_free_func ((GDestroyNotify) tertulia_frame_free);
  sqlite3_stmt *stmt;
  gboolean cut = FALSE;
  gint64 key;
  int rc;

  g_return_val_if_fail (TERTULIA_IS_ARCHIVE (self), events);
  g_return_val_if_fail (room_id != NULL, events);

  if (more != NULL)
    *more = FALSE;

  tertulia_archive_flush (self);

  key = _tertulia_archive_lookup_room (self, room_id);
  if (key == 0 || limit == 0)
    return events;

  /* One more than asked for says whether there are older ones */
  stmt = self->stmts [STMT_EVENTS];
  sqlite3_bind_int64 (stmt, 1, key);
  sqlite3_bind_int64 (stmt, 2, after);
  sqlite3_bind_int64 (stmt, 3, before);
  sqlite3_bind_int64 (stmt, 4, (gint64) limit + 1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TertuliaFrame *event;

      if (events->len == limit)
        {
          if (more != NULL)
            *more = TRUE;
          cut = TRUE;
          break;
        }

      event = tertulia_frame_new (TERTULIA_FRAME_MESSAGE);
      event->seq = sqlite3_column_int64 (stmt, 0);
      event->time = sqlite3_column_int64 (stmt, 1);
      event->kind = sqlite3_column_int (stmt, 2);
      event->peer.id = sqlite3_column_int64 (stmt, 3);
      event->peer.nick = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      event->text = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      g_ptr_array_add (events, event);
    }
  finish_read (self, stmt, rc);

  /* issue 19: the reactions, edits and deletions among them, and quotes */
  _tertulia_archive_add_conversation (self, key, events, cut, after, before);

  /* Read newest first; handed over oldest first */
  for (guint i = 0; i < events->len / 2; i++)
    {
      gpointer swap = events->pdata[i];

      events->pdata[i] = events->pdata[events->len - 1 - i];
      events->pdata[events->len - 1 - i] = swap;
    }

  return events;
}


/* Opening */

static void
archive_close_db (TertuliaArchive *self)
{
  for (guint i = 0; i < N_STMTS; i++)
    g_clear_pointer (&self->stmts[i], sqlite3_finalize);
  g_clear_pointer (&self->db, sqlite3_close);
}

/* The SQLite result code of what went wrong, or SQLITE_OK */
static int
archive_open_db (TertuliaArchive *self)
{
  sqlite3_stmt *stmt = NULL;
  int version = 0;
  int rc;

  rc = sqlite3_open_v2 (self->path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    return rc;

  sqlite3_extended_result_codes (self->db, TRUE);
  sqlite3_busy_timeout (self->db, 2000);

  /* The first read of the file: one that is not a database says so here */
  if ((rc = sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL)) != SQLITE_OK)
    return rc;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    return rc;

  if (version > SCHEMA_VERSION)
    return SQLITE_NOTADB;

  if ((rc = sqlite3_exec (self->db,
                          "PRAGMA journal_mode = WAL;"
                          "PRAGMA synchronous = NORMAL;",
                          NULL, NULL, NULL)) != SQLITE_OK)
    return rc;

  if (version < SCHEMA_VERSION)
    {
      if ((rc = sqlite3_exec (self->db, schema, NULL, NULL, NULL)) != SQLITE_OK)
        return rc;
      if ((rc = sqlite3_exec (self->db, "PRAGMA user_version = " G_STRINGIFY (SCHEMA_VERSION),
                              NULL, NULL, NULL)) != SQLITE_OK)
        return rc;
    }

  for (guint i = 0; i < N_STMTS; i++)
    if ((rc = sqlite3_prepare_v3 (self->db, statements[i], -1, SQLITE_PREPARE_PERSISTENT,
                                  &self->stmts[i], NULL)) != SQLITE_OK)
      return rc;

  return SQLITE_OK;
}

/* Renames the damaged file (and its -wal and -shm) with the time, so that
 * nothing is thrown away and a new archive can start.
 */
static gboolean
archive_move_aside (TertuliaArchive  *self,
                    GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *moved = _tertulia_move_database_aside (self->path, &local_error);

  if (moved == NULL)
    {
      /* Translators: the first %s is a file, the second why it failed */
      g_set_error (error, G_IO_ERROR, local_error->code,
                   _("The archive of conversations %s is damaged and could not be moved aside: %s"),
                   self->path, local_error->message);
      return FALSE;
    }

  /* Translators: the first %s is a file, the second where it went */
  self->notice = g_strdup_printf (_("The archive of conversations %s was damaged: it was moved to %s and a new one was started."),
                                  self->path, moved);
  g_debug ("%s", self->notice);

  return TRUE;
}

char *
tertulia_archive_dup_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "tertulia", TERTULIA_ARCHIVE_FILE_NAME, NULL);
}

TertuliaArchive *
tertulia_archive_open (const char  *path,
                       GError     **error)
{
  g_autoptr(TertuliaArchive) self = NULL;
  g_autofree char *directory = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (TERTULIA_TYPE_ARCHIVE, NULL);
  self->path = g_strdup (path);

  directory = g_path_get_dirname (path);
  if (g_mkdir_with_parents (directory, 0700) != 0)
    {
      int saved_errno = errno;

      /* Translators: the first %s is a directory, the second why it failed */
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Conversations cannot be kept in %s: %s"),
                   directory, g_strerror (saved_errno));
      return NULL;
    }

  rc = archive_open_db (self);
  if (rc_means_damaged (rc))
    {
      g_debug ("%s: %s", self->path, sqlite3_errstr (rc));
      archive_close_db (self);
      if (!archive_move_aside (self, error))
        return NULL;
      rc = archive_open_db (self);
    }

  if (rc != SQLITE_OK)
    {
      /* Translators: the first %s is a file, the second why it failed */
      g_set_error (error, G_IO_ERROR,
                   (rc & 0xff) == SQLITE_FULL ? G_IO_ERROR_NO_SPACE : G_IO_ERROR_FAILED,
                   _("Conversations cannot be kept in %s: %s"),
                   self->path, sqlite3_errstr (rc));
      return NULL;
    }

  return g_steal_pointer (&self);
}

const char *
tertulia_archive_get_path (TertuliaArchive *self)
{
  g_return_val_if_fail (TERTULIA_IS_ARCHIVE (self), NULL);

  return self->path;
}

const char *
tertulia_archive_get_notice (TertuliaArchive *self)
{
  g_return_val_if_fail (TERTULIA_IS_ARCHIVE (self), NULL);

  return self->notice;
}

const GError *
tertulia_archive_get_failure (TertuliaArchive *self)
{
  g_return_val_if_fail (TERTULIA_IS_ARCHIVE (self), NULL);

  return self->failure;
}

static void
tertulia_archive_dispose (GObject *object)
{
  TertuliaArchive *self = (TertuliaArchive *) object;

  /* What the last iteration wrote is kept */
  if (self->db != NULL)
    tertulia_archive_flush (self);

  G_OBJECT_CLASS (tertulia_archive_parent_class)->dispose (object);
}

static void
tertulia_archive_finalize (GObject *object)
{
  TertuliaArchive *self = (TertuliaArchive *) object;

  g_clear_handle_id (&self->commit_id, g_source_remove);
  archive_close_db (self);
  g_free (self->path);
  g_free (self->notice);
  g_clear_error (&self->failure);
  g_hash_table_unref (self->room_keys);

  G_OBJECT_CLASS (tertulia_archive_parent_class)->finalize (object);
}

static void
tertulia_archive_class_init (TertuliaArchiveClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tertulia_archive_dispose;
  object_class->finalize = tertulia_archive_finalize;

  signals [FAILED] =
    g_signal_new ("failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);

  signals [ROOMS_CHANGED] =
    g_signal_new ("rooms-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
tertulia_archive_init (TertuliaArchive *self)
{
  self->room_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

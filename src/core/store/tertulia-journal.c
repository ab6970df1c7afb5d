/* tertulia-journal.c — the room's memory on the host's disk: an SQLite journal
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "tertulia-journal.h"
#include "tertulia-util-private.h"

/* The journal is written as the room goes and read back when the host
 * starts again:
 *
 * - WAL, so that a commit is one append to the -wal file.
 * - locking_mode=EXCLUSIVE: the host is the file's only user (room.lock
 *   says so to other hosts), so SQLite takes its locks once rather than
 *   around every transaction, which made a commit three times dearer. The
 *   sqlite3 shell can read the file only while no host has it open.
 * - wal_autocheckpoint of 8192 pages (32 MB): a checkpoint copies each
 *   page once however often commits rewrote it, and costs two fsyncs, so
 *   fewer of them cost less.
 * - synchronous=NORMAL: in WAL mode a commit is then safe against the host
 *   process dying (SIGKILL, a crash), which is what a room must survive;
 *   only a power cut may lose the last commits, and FULL would cost an
 *   fsync per main-loop iteration, which the fan-out cannot afford.
 * - Every write of one main-loop iteration goes into one transaction,
 *   committed in the next iteration, or earlier by tertulia_store_flush():
 *   the server flushes before any of its frames leave, so an event is on
 *   disk before any guest receives it.
 */

#define SCHEMA_VERSION 1
#define LOCK_FILE_NAME "room.lock"
/* How far back a restarted host looks for cids (see dup_participants) */
#define CID_SCAN_EVENTS 50000

enum {
  STMT_BEGIN,
  STMT_COMMIT,
  STMT_APPEND,
  STMT_SET_ROOM,
  STMT_GET_ROOM,
  STMT_LAST_SEQ,
  STMT_RANGE_NEWEST,
  STMT_RANGE_OLDEST,
  STMT_GET_PARTICIPANTS,
  STMT_GET_CIDS,
  STMT_PUT_PARTICIPANT,
  STMT_REMOVE_PARTICIPANT,
  STMT_GET_STATE,
  STMT_PUT_STATE,
  N_STMTS
};

static const char * const statements [N_STMTS] = {
  [STMT_BEGIN] = "BEGIN",
  [STMT_COMMIT] = "COMMIT",
  [STMT_APPEND] = "INSERT INTO events (seq, time, json, participant, cid) VALUES (?1, ?2, ?3, ?4, ?5)",
  [STMT_SET_ROOM] = "INSERT OR REPLACE INTO room (key, room_id, name, topic, next_participant_id) "
                    "VALUES (1, ?1, ?2, ?3, ?4)",
  [STMT_GET_ROOM] = "SELECT room_id, name, topic, next_participant_id FROM room WHERE key = 1",
  [STMT_LAST_SEQ] = "SELECT max(seq) FROM events",
  [STMT_RANGE_NEWEST] = "SELECT seq, time, json FROM events WHERE seq > ?1 AND seq < ?2 "
                        "ORDER BY seq DESC LIMIT ?3",
  [STMT_RANGE_OLDEST] = "SELECT seq, time, json FROM events WHERE seq > ?1 AND seq < ?2 "
                        "ORDER BY seq ASC LIMIT ?3",
  [STMT_GET_PARTICIPANTS] = "SELECT id, resume_key, nick, joined_at, host, left_at "
                            "FROM participants ORDER BY id",
  [STMT_GET_CIDS] = "SELECT participant, cid, seq, time FROM events "
                    "WHERE seq > ?1 AND cid IS NOT NULL ORDER BY seq",
  [STMT_PUT_PARTICIPANT] = "INSERT INTO participants (id, resume_key, nick, joined_at, host, left_at) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                           "ON CONFLICT (id) DO UPDATE SET resume_key = excluded.resume_key, "
                           "nick = excluded.nick, joined_at = excluded.joined_at, "
                           "host = excluded.host, left_at = excluded.left_at",
  [STMT_REMOVE_PARTICIPANT] = "DELETE FROM participants WHERE id = ?1",
  [STMT_GET_STATE] = "SELECT value FROM state WHERE name = ?1",
  [STMT_PUT_STATE] = "INSERT OR REPLACE INTO state (name, value) VALUES (?1, ?2)",
};

static const char schema[] =
  "CREATE TABLE IF NOT EXISTS room ("
  "  key INTEGER PRIMARY KEY CHECK (key = 1),"
  "  room_id TEXT NOT NULL,"
  "  name TEXT NOT NULL,"
  "  topic TEXT NOT NULL,"
  "  next_participant_id INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS events ("
  "  seq INTEGER PRIMARY KEY,"
  "  time INTEGER NOT NULL,"
  "  json TEXT NOT NULL,"
  "  participant INTEGER,"
  "  cid TEXT);"
  "CREATE TABLE IF NOT EXISTS participants ("
  "  id INTEGER PRIMARY KEY,"
  "  resume_key TEXT NOT NULL,"
  "  nick TEXT NOT NULL,"
  "  joined_at INTEGER NOT NULL,"
  "  host INTEGER NOT NULL,"
  "  left_at INTEGER NOT NULL);"
  /* The room's other state, whole values by name (issue 18: moderation).
   * A table added to version 1: a journal written before it simply has no
   * state yet, and an older host opening this one ignores the table.
   */
  "CREATE TABLE IF NOT EXISTS state ("
  "  name TEXT PRIMARY KEY,"
  "  value BLOB NOT NULL);";

struct _TertuliaJournal
{
  GObject        parent_instance;

  /* Owned references */
  sqlite3       *db;
  sqlite3_stmt  *stmts [N_STMTS];
  char          *directory;
  char          *path;
  char          *notice;
  char          *moved_aside;
  GSource       *commit_source;

  int            lock_fd;
  gboolean       in_transaction;
  /* A write failed: nothing more is written */
  gboolean       failed;
};

static void tertulia_journal_iface_init (TertuliaStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TertuliaJournal, tertulia_journal, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (TERTULIA_TYPE_STORE,
                                                      tertulia_journal_iface_init))

static void
journal_cancel_commit (TertuliaJournal *self)
{
  if (self->commit_source != NULL)
    g_source_set_ready_time (self->commit_source, -1);
}

static gboolean
rc_means_damaged (int rc)
{
  rc &= 0xff;

  return rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT;
}


/* Failures */

static void
journal_fail (TertuliaJournal *self,
              int              rc)
{
  g_autoptr(GError) error = NULL;

  if (self->failed)
    return;

  self->failed = TRUE;
  journal_cancel_commit (self);

  /* What was written since the last commit is not kept: the journal stays
   * as it was after the last good commit, a room the host can continue.
   */
  if (self->db != NULL && !sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  self->in_transaction = FALSE;

  /* Translators: the first %s is a file, the second why it cannot be
   * written (for instance "database or disk is full")
   */
  error = g_error_new (G_IO_ERROR, (rc & 0xff) == SQLITE_FULL ? G_IO_ERROR_NO_SPACE : G_IO_ERROR_FAILED,
                       _("The room can no longer be saved to %s (%s). It goes on, but what is said from now on is lost when the host stops."),
                       self->path, sqlite3_errstr (rc));
  g_debug ("%s", error->message);

  tertulia_store_report_failure (TERTULIA_STORE (self), error);
}

/* Runs a write statement whose parameters are bound; FALSE when it failed */
static gboolean
journal_step_write (TertuliaJournal *self,
                    sqlite3_stmt    *stmt)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  if (rc != SQLITE_DONE)
    {
      journal_fail (self, rc);
      return FALSE;
    }

  return TRUE;
}


/* Batching */

static void
journal_commit (TertuliaJournal *self)
{
  journal_cancel_commit (self);

  if (!self->in_transaction || self->failed)
    return;

  if (journal_step_write (self, self->stmts [STMT_COMMIT]))
    self->in_transaction = FALSE;
}

static gboolean
commit_cb (gpointer user_data)
{
  TertuliaJournal *self = user_data;

  journal_commit (self);

  return G_SOURCE_CONTINUE;
}

static gboolean
commit_source_dispatch (GSource     *source,
                        GSourceFunc  callback,
                        gpointer     user_data)
{
  g_source_set_ready_time (source, -1);

  return callback (user_data);
}

static GSourceFuncs commit_source_funcs = {
  .dispatch = commit_source_dispatch,
};

/* Opens this iteration's transaction; FALSE when nothing may be written */
static gboolean
journal_begin (TertuliaJournal *self)
{
  if (self->failed)
    return FALSE;

  if (self->in_transaction)
    return TRUE;

  if (!journal_step_write (self, self->stmts [STMT_BEGIN]))
    return FALSE;

  self->in_transaction = TRUE;

  /* At the default priority, in the next iteration: with the sockets
   * read then and the server's batched sends, in one go. (A higher
   * priority would take an iteration of its own.) One source, made ready
   * when needed: a new one for every iteration cost more than the commit's
   * own work.
   */
  if (self->commit_source == NULL)
    {
      self->commit_source = g_source_new (&commit_source_funcs, sizeof (GSource));
      g_source_set_priority (self->commit_source, G_PRIORITY_DEFAULT);
      g_source_set_static_name (self->commit_source, "[tertulia] commit the journal");
      g_source_set_callback (self->commit_source, commit_cb, self, NULL);
      g_source_attach (self->commit_source, g_main_context_get_thread_default ());
    }
  g_source_set_ready_time (self->commit_source, 0);

  return TRUE;
}


/* The store */

static TertuliaStoreRoom *
tertulia_journal_dup_room (TertuliaStore *store)
{
  TertuliaJournal *self = TERTULIA_JOURNAL (store);
  sqlite3_stmt *stmt = self->stmts [STMT_GET_ROOM];
  TertuliaStoreRoom *room = NULL;

  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      room = g_new0 (TertuliaStoreRoom, 1);
      room->room_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      room->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      room->topic = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      room->next_participant_id = sqlite3_column_int64 (stmt, 3);
    }
  sqlite3_reset (stmt);

  if (room != NULL)
    {
      stmt = self->stmts [STMT_LAST_SEQ];
      if (sqlite3_step (stmt) == SQLITE_ROW)
        room->last_seq = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
    }

  return room;
}

static void
tertulia_journal_set_room (TertuliaStore           *store,
                           const TertuliaStoreRoom *room)
{
  TertuliaJournal *self = TERTULIA_JOURNAL (store);
  sqlite3_stmt *stmt = self->stmts [STMT_SET_ROOM];

  if (!journal_begin (self))
    return;

  sqlite3_bind_text (stmt, 1, room->room_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, room->name != NULL ? room->name : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, room->topic != NULL ? room->topic : "", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, room->next_participant_id);
  journal_step_write (self, stmt);
}

static void
tertulia_journal_append (TertuliaStore *store,
                         gint64         seq,
                         gint64         time,
                         const char    *json,
                         gint64         participant_id,
                         const char    *cid)
{
  TertuliaJournal *self = TERTULIA_JOURNAL (store);
  sqlite3_stmt *stmt = self->stmts [STMT_APPEND];

  if (!journal_begin (self))
    return;

  sqlite3_bind_int64 (stmt, 1, seq);
  sqlite3_bind_int64 (stmt, 2, time);
  sqlite3_bind_text (stmt, 3, json, -1, SQLITE_STATIC);
  if (cid != NULL)
    {
      sqlite3_bind_int64 (stmt, 4, participant_id);
      sqlite3_bind_text (stmt, 5, cid, -1, SQLITE_STATIC);
    }
  journal_step_write (self, stmt);
}

static GPtrArray *
tertulia_journal_dup_range (TertuliaStore *store,
                            gint64         after,
                            gint64         before,
                            guint          limit,
                            gboolean       newest)
{
  TertuliaJournal *self = TERTULIA_JOURNAL (store);
  GPtrArray *events = g_ptr_array_new_with_free_func ((GDestroyNotify) tertulia_store_event_free);
  sqlite3_stmt *stmt = self->stmts [newest ? STMT_RANGE_NEWEST : STMT_RANGE_OLDEST];
  int rc;

  sqlite3_bind_int64 (stmt, 1, after);
  sqlite3_bind_int64 (stmt, 2, before);
  sqlite3_bind_int64 (stmt, 3, limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (events, tertulia_store_event_new (sqlite3_column_int64 (stmt, 0),
                                                       sqlite3_column_int64 (stmt, 1),
                                                       (const char *) sqlite3_column_text (stmt, 2)));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    g_debug ("%s: reading events: %s", self->path, sqlite3_errstr (rc));

  if (newest)
    for (guint i = 0; i < events->len / 2; i++)
      {
        gpointer swap = events->pdata[i];

        events->pdata[i] = events->pdata[events->len - 1 - i];
        events->pdata[events->len - 1 - i] = swap;
      }

  return events;
}

static GPtrArray *
tertulia_journal_dup_participants (TertuliaStore *store)
{
  TertuliaJournal *self = TERTULIA_JOURNAL (store);
  GPtrArray *participants = g_ptr_array_new_with_free_func ((GDestroyNotify) tertulia_store_participant_free);
  sqlite3_stmt *stmt = self->stmts [STMT_GET_PARTICIPANTS];
  gint64 last_seq = 0;

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      TertuliaStoreParticipant *participant = g_new0 (TertuliaStoreParticipant, 1);

      participant->id = sqlite3_column_int64 (stmt, 0);
      participant->resume_key = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      participant->nick = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      participant->joined_at = sqlite3_column_int64 (stmt, 3);
      participant->host = sqlite3_column_int (stmt, 4) != 0;
      participant->left_at = sqlite3_column_int64 (stmt, 5);
      participant->cids = g_ptr_array_new_with_free_func ((GDestroyNotify) tertulia_store_cid_free);
      g_ptr_array_add (participants, participant);
    }
  sqlite3_reset (stmt);

  /* A cid is kept with the message it became, not in a table of its own:
   * a second table, ordered by participant, made every commit write a page
   * per speaker and cost a third of the journal's speed. Only a message
   * that was in flight when the connection dropped is ever resent, so the
   * last CID_SCAN_EVENTS events hold every cid worth knowing.
   */
  if (participants->len > 0)
    {
      g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);

      for (guint i = 0; i < participants->len; i++)
        {
          TertuliaStoreParticipant *participant = g_ptr_array_index (participants, i);

          g_hash_table_insert (by_id, &participant->id, participant);
        }

      stmt = self->stmts [STMT_LAST_SEQ];
      if (sqlite3_step (stmt) == SQLITE_ROW)
        last_seq = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);

      stmt = self->stmts [STMT_GET_CIDS];
      sqlite3_bind_int64 (stmt, 1, last_seq - CID_SCAN_EVENTS);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          gint64 id = sqlite3_column_int64 (stmt, 0);
          TertuliaStoreParticipant *participant = g_hash_table_lookup (by_id, &id);

          if (participant == NULL)
            continue;

          g_ptr_array_add (participant->cids,
                           tertulia_store_cid_new ((const char *) sqlite3_column_text (stmt, 1),
                                                   sqlite3_column_int64 (stmt, 2),
                                                   sqlite3_column_int64 (stmt, 3)));
          if (participant->cids->len > 2 * TERTULIA_STORE_CID_LIMIT)
            g_ptr_array_remove_range (participant->cids, 0, TERTULIA_STORE_CID_LIMIT);
        }
      sqlite3_reset (stmt);

      for (guint i = 0; i < participants->len; i++)
        {
          TertuliaStoreParticipant *participant = g_ptr_array_index (participants, i);

          if (participant->cids->len > TERTULIA_STORE_CID_LIMIT)
            g_ptr_array_remove_range (participant->cids, 0,
                                      participant->cids->len - TERTULIA_STORE_CID_LIMIT);
        }
    }

  return participants;
}

static void
tertulia_journal_put_participant (TertuliaStore                  *store,
                                  const TertuliaStoreParticipant *participant)
{
  TertuliaJournal *self = TERTULIA_JOURNAL (store);
  sqlite3_stmt *stmt = self->stmts [STMT_PUT_PARTICIPANT];

  if (!journal_begin (self))
    return;

  sqlite3_bind_int64 (stmt, 1, participant->id);
  sqlite3_bind_text (stmt, 2, participant->resume_key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, participant->nick, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, participant->joined_at);
  sqlite3_bind_int (stmt, 5, participant->host ? 1 : 0);
  sqlite3_bind_int64 (stmt, 6, participant->left_at);
  journal_step_write (self, stmt);
}

static void
tertulia_journal_remove_participant (TertuliaStore *store,
                                     gint64         id)
{
  TertuliaJournal *self = TERTULIA_JOURNAL (store);

  if (!journal_begin (self))
    return;

  sqlite3_bind_int64 (self->stmts [STMT_REMOVE_PARTICIPANT], 1, id);
  journal_step_write (self, self->stmts [STMT_REMOVE_PARTICIPANT]);
}

static GBytes *
tertulia_journal_dup_state (TertuliaStore *store,
                            const char    *name)
{
  TertuliaJournal *self = TERTULIA_JOURNAL (store);
  sqlite3_stmt *stmt = self->stmts [STMT_GET_STATE];
  GBytes *value = NULL;
  int rc;

  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    value = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  else if (rc != SQLITE_DONE)
    g_debug ("%s: reading %s: %s", self->path, name, sqlite3_errstr (rc));
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  return value;
}

/* In this iteration's transaction, with the events: a ban and its event
 * are on disk together, before any guest hears of either.
 */
static void
tertulia_journal_save_state (TertuliaStore *store,
                             const char    *name,
                             GBytes        *value)
{
  TertuliaJournal *self = TERTULIA_JOURNAL (store);
  sqlite3_stmt *stmt = self->stmts [STMT_PUT_STATE];
  gsize size;
  gconstpointer data = g_bytes_get_data (value, &size);

  if (!journal_begin (self))
    return;

  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  /* A zero-length blob is stored as one, not as NULL */
  sqlite3_bind_blob64 (stmt, 2, data != NULL ? data : "", size, SQLITE_STATIC);
  journal_step_write (self, stmt);
}

static void
tertulia_journal_flush (TertuliaStore *store)
{
  journal_commit (TERTULIA_JOURNAL (store));
}

static void
tertulia_journal_iface_init (TertuliaStoreInterface *iface)
{
  iface->dup_room = tertulia_journal_dup_room;
  iface->set_room = tertulia_journal_set_room;
  iface->append = tertulia_journal_append;
  iface->dup_range = tertulia_journal_dup_range;
  iface->dup_participants = tertulia_journal_dup_participants;
  iface->put_participant = tertulia_journal_put_participant;
  iface->remove_participant = tertulia_journal_remove_participant;
  iface->flush = tertulia_journal_flush;
  iface->dup_state = tertulia_journal_dup_state;
  iface->save_state = tertulia_journal_save_state;
}


/* Opening */

static void
journal_close_db (TertuliaJournal *self)
{
  for (guint i = 0; i < N_STMTS; i++)
    g_clear_pointer (&self->stmts[i], sqlite3_finalize);
  g_clear_pointer (&self->db, sqlite3_close);
}

/* Opens the database and prepares everything; the SQLite result code of
 * what went wrong, or SQLITE_OK.
 */
static int
journal_open_db (TertuliaJournal *self)
{
  sqlite3_stmt *stmt = NULL;
  int version = 0;
  int rc;

  rc = sqlite3_open_v2 (self->path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    return rc;

  sqlite3_extended_result_codes (self->db, TRUE);

  /* Reading the version is the first read of the file: a file that is not
   * a database says so here.
   */
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
                          "PRAGMA synchronous = NORMAL;"
                          "PRAGMA locking_mode = EXCLUSIVE;"
                          "PRAGMA wal_autocheckpoint = 8192;",
                          NULL, NULL, NULL)) != SQLITE_OK)
    return rc;

  if ((rc = sqlite3_exec (self->db, schema, NULL, NULL, NULL)) != SQLITE_OK)
    return rc;
  if ((rc = sqlite3_exec (self->db, "PRAGMA user_version = " G_STRINGIFY (SCHEMA_VERSION),
                          NULL, NULL, NULL)) != SQLITE_OK)
    return rc;

  /* A damaged page deep in the file shows here rather than mid-room */
  if ((rc = sqlite3_prepare_v2 (self->db, "PRAGMA quick_check", -1, &stmt, NULL)) != SQLITE_OK)
    return rc;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") != 0)
    rc = SQLITE_CORRUPT;
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    return rc;

  for (guint i = 0; i < N_STMTS; i++)
    if ((rc = sqlite3_prepare_v3 (self->db, statements[i], -1, SQLITE_PREPARE_PERSISTENT,
                                  &self->stmts[i], NULL)) != SQLITE_OK)
      return rc;

  return SQLITE_OK;
}

/* Renames the damaged file (and its -wal and -shm) with the time, so that
 * nothing is thrown away and a new journal can start.
 */
static gboolean
journal_move_aside (TertuliaJournal  *self,
                    GError          **error)
{
  g_autoptr(GError) local_error = NULL;

  g_free (self->moved_aside);
  self->moved_aside = _tertulia_move_database_aside (self->path, &local_error);
  if (self->moved_aside == NULL)
    {
      /* Translators: the first %s is a file, the second why it failed */
      g_set_error (error, G_IO_ERROR, local_error->code,
                   _("The room's journal %s is damaged and could not be moved aside: %s"),
                   self->path, local_error->message);
      return FALSE;
    }

  /* Translators: the first %s is a file, the second where it went */
  self->notice = g_strdup_printf (_("The room's journal %s was damaged: it was moved to %s and a new room was started."),
                                  self->path, self->moved_aside);
  g_debug ("%s", self->notice);

  return TRUE;
}

static gboolean
journal_lock (TertuliaJournal  *self,
              GError          **error)
{
  g_autofree char *lock_path = g_build_filename (self->directory, LOCK_FILE_NAME, NULL);

  self->lock_fd = g_open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (self->lock_fd < 0)
    {
      int saved_errno = errno;

      /* Translators: the first %s is a directory, the second why it failed */
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not keep the room in %s: %s"),
                   self->directory, g_strerror (saved_errno));
      return FALSE;
    }

  /* flock() locks belong to the open file, not the process: a second
   * journal on the same directory is refused even in the same process, and
   * the lock goes away with the host however it ends.
   */
  if (flock (self->lock_fd, LOCK_EX | LOCK_NB) != 0)
    {
      int saved_errno = errno;

      if (saved_errno == EWOULDBLOCK)
        /* Translators: %s is a directory */
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                     _("Another host is already keeping the room in %s. Stop it, or give this one another data directory."),
                     self->directory);
      else
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                     _("Could not keep the room in %s: %s"),
                     self->directory, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

TertuliaJournal *
tertulia_journal_open (const char  *directory,
                       GError     **error)
{
  g_autoptr(TertuliaJournal) self = NULL;
  int rc;

  g_return_val_if_fail (directory != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (TERTULIA_TYPE_JOURNAL, NULL);
  self->directory = g_strdup (directory);
  self->path = g_build_filename (directory, TERTULIA_JOURNAL_FILE_NAME, NULL);

  if (g_mkdir_with_parents (directory, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not keep the room in %s: %s"),
                   directory, g_strerror (saved_errno));
      return NULL;
    }

  if (!journal_lock (self, error))
    return NULL;

  rc = journal_open_db (self);
  if (rc_means_damaged (rc))
    {
      g_debug ("%s: %s", self->path, sqlite3_errstr (rc));
      journal_close_db (self);
      if (!journal_move_aside (self, error))
        return NULL;
      rc = journal_open_db (self);
    }

  if (rc != SQLITE_OK)
    {
      /* Translators: the first %s is a file, the second why it failed */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not open the room's journal %s: %s"),
                   self->path, sqlite3_errstr (rc));
      return NULL;
    }

  return g_steal_pointer (&self);
}

const char *
tertulia_journal_get_path (TertuliaJournal *self)
{
  g_return_val_if_fail (TERTULIA_IS_JOURNAL (self), NULL);

  return self->path;
}

const char *
tertulia_journal_get_notice (TertuliaJournal *self)
{
  g_return_val_if_fail (TERTULIA_IS_JOURNAL (self), NULL);

  return self->notice;
}

const char *
tertulia_journal_get_moved_aside (TertuliaJournal *self)
{
  g_return_val_if_fail (TERTULIA_IS_JOURNAL (self), NULL);

  return self->moved_aside;
}

static void
tertulia_journal_dispose (GObject *object)
{
  TertuliaJournal *self = (TertuliaJournal *) object;

  /* What the last iteration wrote is kept */
  if (self->db != NULL)
    journal_commit (self);

  G_OBJECT_CLASS (tertulia_journal_parent_class)->dispose (object);
}

static void
tertulia_journal_finalize (GObject *object)
{
  TertuliaJournal *self = (TertuliaJournal *) object;

  if (self->commit_source != NULL)
    {
      g_source_destroy (self->commit_source);
      g_clear_pointer (&self->commit_source, g_source_unref);
    }
  journal_close_db (self);
  if (self->lock_fd >= 0)
    close (self->lock_fd);
  g_free (self->directory);
  g_free (self->path);
  g_free (self->notice);
  g_free (self->moved_aside);

  G_OBJECT_CLASS (tertulia_journal_parent_class)->finalize (object);
}

static void
tertulia_journal_class_init (TertuliaJournalClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tertulia_journal_dispose;
  object_class->finalize = tertulia_journal_finalize;

  /* SQLite counts its memory use under a global mutex on every allocation
   * unless told not to; nothing here reads the count. This only works
   * before SQLite starts, so the first journal of a process says it.
   */
  sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);
}

static void
tertulia_journal_init (TertuliaJournal *self)
{
  self->lock_fd = -1;
}

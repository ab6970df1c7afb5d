/* tertulia-archive-conversation.c — replies, reactions, edits and
 * deletions in the archive (issue 19)
 *
 * The archive keeps what a room shows in the end. An edit replaces the
 * message's text, in `events` and in the search index; a deletion empties
 * it (and the text of the edits before it): what was taken back cannot be
 * found. The amendment events themselves are kept too, in `amendments`,
 * and come back with the messages, so that a room read from the archive
 * folds them as a live one does (tertulia-room-conversation.c).
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-archive"

#include "config.h"

#include "tertulia-archive-private.h"

/* Statements here are rare (one per amendment or page), so they are
 * prepared when used rather than kept.
 */
static sqlite3_stmt *
prepare (TertuliaArchive *self,
         const char      *sql)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (_tertulia_archive_get_db (self), sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_debug ("%s: %s", sql, sqlite3_errmsg (_tertulia_archive_get_db (self)));
      g_clear_pointer (&stmt, sqlite3_finalize);
    }

  return stmt;
}

/* Runs @sql with the room key (?1) and, if it has one, @a (?2) */
static gboolean
run (TertuliaArchive *self,
     const char      *sql,
     gint64           key,
     gint64           a)
{
  sqlite3_stmt *stmt = prepare (self, sql);
  gboolean ok;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, key);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    sqlite3_bind_int64 (stmt, 2, a);
  ok = _tertulia_archive_step_write (self, stmt);
  sqlite3_finalize (stmt);

  return ok;
}

void
_tertulia_archive_record_quote (TertuliaArchive *self,
                                gint64           key,
                                TertuliaMessage *message)
{
  sqlite3_stmt *stmt;

  if (tertulia_message_get_reply_to_seq (message) < 1)
    return;

  stmt = prepare (self, "INSERT OR REPLACE INTO quotes (room, seq, reply_to, author, text) "
                        "VALUES (?1, ?2, ?3, ?4, ?5)");
  if (stmt == NULL)
    return;

  sqlite3_bind_int64 (stmt, 1, key);
  sqlite3_bind_int64 (stmt, 2, tertulia_message_get_seq (message));
  sqlite3_bind_int64 (stmt, 3, tertulia_message_get_reply_to_seq (message));
  sqlite3_bind_text (stmt, 4, tertulia_message_get_reply_to_author (message) != NULL ?
                                tertulia_message_get_reply_to_author (message) : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, tertulia_message_get_reply_to_text (message) != NULL ?
                                tertulia_message_get_reply_to_text (message) : "", -1, SQLITE_STATIC);
  _tertulia_archive_step_write (self, stmt);
  sqlite3_finalize (stmt);
}

/* The kept message @target gets @text (NULL: none, a tombstone): out of
 * the search index with its old text, into it with the new one.
 */
static void
replace_text (TertuliaArchive *self,
              gint64           key,
              gint64           target,
              const char      *text)
{
  g_autofree char *cleaned = NULL;
  sqlite3_stmt *stmt;
  gint64 id = 0;

  if (!run (self,
            "INSERT INTO events_fts (events_fts, rowid, text) "
            "SELECT 'delete', id, text FROM events WHERE room = ?1 AND seq = ?2",
            key, target))
    return;

  stmt = prepare (self, "UPDATE events SET text = ?3 WHERE room = ?1 AND seq = ?2 RETURNING id");
  if (stmt == NULL)
    return;

  /* FTS5 marks matches with U+0001 and U+0002 (tertulia-archive.c) */
  cleaned = g_strdup (text != NULL ? text : "");
  g_strdelimit (cleaned, "\x01\x02", ' ');

  sqlite3_bind_int64 (stmt, 1, key);
  sqlite3_bind_int64 (stmt, 2, target);
  sqlite3_bind_text (stmt, 3, cleaned, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  if (id == 0 || text == NULL)
    return;

  stmt = prepare (self, "INSERT INTO events_fts (rowid, text) VALUES (?1, ?2)");
  if (stmt == NULL)
    return;

  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, cleaned, -1, SQLITE_STATIC);
  _tertulia_archive_step_write (self, stmt);
  sqlite3_finalize (stmt);
}

void
tertulia_archive_record_amendment (TertuliaArchive     *self,
                                   const char          *room_id,
                                   const TertuliaFrame *event)
{
  sqlite3_stmt *stmt;
  gint64 key;
  gboolean deleted = FALSE;

  g_return_if_fail (TERTULIA_IS_ARCHIVE (self));
  g_return_if_fail (room_id != NULL);
  g_return_if_fail (event != NULL);
  g_return_if_fail (event->type == TERTULIA_FRAME_REACTION || event->type == TERTULIA_FRAME_EDIT ||
                    event->type == TERTULIA_FRAME_DELETE);

  key = _tertulia_archive_lookup_room (self, room_id);
  if (key == 0 || event->seq < 1 || !_tertulia_archive_begin (self))
    return;

  /* Taken back already: nothing said to it is kept any more */
  stmt = prepare (self, "SELECT 1 FROM amendments WHERE room = ?1 AND target = ?2 AND type = ?3");
  if (stmt == NULL)
    return;
  sqlite3_bind_int64 (stmt, 1, key);
  sqlite3_bind_int64 (stmt, 2, event->target);
  sqlite3_bind_int (stmt, 3, TERTULIA_FRAME_DELETE);
  deleted = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);

  stmt = prepare (self, "INSERT OR IGNORE INTO amendments "
                        "(room, seq, time, type, target, from_id, from_nick, emoji, added, text) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  if (stmt == NULL)
    return;
  sqlite3_bind_int64 (stmt, 1, key);
  sqlite3_bind_int64 (stmt, 2, event->seq);
  sqlite3_bind_int64 (stmt, 3, event->time);
  sqlite3_bind_int (stmt, 4, event->type);
  sqlite3_bind_int64 (stmt, 5, event->target);
  sqlite3_bind_int64 (stmt, 6, event->peer.id);
  sqlite3_bind_text (stmt, 7, event->peer.nick != NULL ? event->peer.nick : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, event->emoji, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 9, event->add);
  sqlite3_bind_text (stmt, 10, deleted ? NULL : event->text, -1, SQLITE_STATIC);
  if (!_tertulia_archive_step_write (self, stmt))
    {
      sqlite3_finalize (stmt);
      return;
    }
  sqlite3_finalize (stmt);

  if (deleted)
    return;

  if (event->type == TERTULIA_FRAME_EDIT)
    {
      /* An older edit arriving after a newer one (scrollback) changes
       * nothing: the newest text is the message's
       */
      stmt = prepare (self, "SELECT 1 FROM amendments WHERE room = ?1 AND target = ?2 "
                            "AND type = ?3 AND seq > ?4");
      if (stmt == NULL)
        return;
      sqlite3_bind_int64 (stmt, 1, key);
      sqlite3_bind_int64 (stmt, 2, event->target);
      sqlite3_bind_int (stmt, 3, TERTULIA_FRAME_EDIT);
      sqlite3_bind_int64 (stmt, 4, event->seq);
      if (sqlite3_step (stmt) != SQLITE_ROW)
        replace_text (self, key, event->target, event->text);
      sqlite3_finalize (stmt);
    }
  else if (event->type == TERTULIA_FRAME_DELETE)
    {
      replace_text (self, key, event->target, NULL);
      run (self, "UPDATE amendments SET text = NULL WHERE room = ?1 AND target = ?2", key, event->target);
      /* A tombstone has no reactions */
      stmt = prepare (self, "DELETE FROM amendments WHERE room = ?1 AND target = ?2 AND type = ?3");
      if (stmt == NULL)
        return;
      sqlite3_bind_int64 (stmt, 1, key);
      sqlite3_bind_int64 (stmt, 2, event->target);
      sqlite3_bind_int (stmt, 3, TERTULIA_FRAME_REACTION);
      _tertulia_archive_step_write (self, stmt);
      sqlite3_finalize (stmt);
    }
}

static gint
compare_seq (gconstpointer a,
             gconstpointer b)
{
  const TertuliaFrame *first = *(const TertuliaFrame * const *) a;
  const TertuliaFrame *second = *(const TertuliaFrame * const *) b;

  /* Newest first, as the page was read */
  return (first->seq < second->seq) - (first->seq > second->seq);
}

void
_tertulia_archive_add_conversation (TertuliaArchive *self,
                                    gint64           key,
                                    GPtrArray       *events,
                                    gboolean         cut,
                                    gint64           after,
                                    gint64           before)
{
  g_autoptr(GHashTable) by_seq = g_hash_table_new (g_int64_hash, g_int64_equal);
  sqlite3_stmt *stmt;
  gint64 lower = after;
  guint n_messages = events->len;

  /* A page cut at its oldest message: what lies before it comes with the
   * next page, whose "before" is that message's seq
   */
  if (cut && n_messages > 0)
    lower = ((TertuliaFrame *) g_ptr_array_index (events, n_messages - 1))->seq;

  for (guint i = 0; i < n_messages; i++)
    {
      TertuliaFrame *message = g_ptr_array_index (events, i);

      g_hash_table_insert (by_seq, &message->seq, message);
    }

  stmt = prepare (self, "SELECT seq, reply_to, author, text FROM quotes "
                        "WHERE room = ?1 AND seq > ?2 AND seq < ?3");
  if (stmt == NULL)
    return;
  sqlite3_bind_int64 (stmt, 1, key);
  sqlite3_bind_int64 (stmt, 2, lower);
  sqlite3_bind_int64 (stmt, 3, before);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);
      TertuliaFrame *message = g_hash_table_lookup (by_seq, &seq);

      if (message == NULL)
        continue;

      message->reply_to = sqlite3_column_int64 (stmt, 1);
      g_free (message->reply_to_peer.nick);
      message->reply_to_peer.nick = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      g_free (message->reply_to_text);
      message->reply_to_text = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
    }
  sqlite3_finalize (stmt);

  stmt = prepare (self, "SELECT seq, time, type, target, from_id, from_nick, emoji, added, text "
                        "FROM amendments WHERE room = ?1 AND seq > ?2 AND seq < ?3");
  if (stmt == NULL)
    return;
  sqlite3_bind_int64 (stmt, 1, key);
  sqlite3_bind_int64 (stmt, 2, lower);
  sqlite3_bind_int64 (stmt, 3, before);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      int type = sqlite3_column_int (stmt, 2);
      TertuliaFrame *event;

      if (type != TERTULIA_FRAME_REACTION && type != TERTULIA_FRAME_EDIT && type != TERTULIA_FRAME_DELETE)
        continue;

      event = tertulia_frame_new ((TertuliaFrameType) type);
      event->seq = sqlite3_column_int64 (stmt, 0);
      event->time = sqlite3_column_int64 (stmt, 1);
      event->target = sqlite3_column_int64 (stmt, 3);
      event->peer.id = sqlite3_column_int64 (stmt, 4);
      event->peer.nick = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      event->emoji = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
      event->add = sqlite3_column_int (stmt, 7) != 0;
      event->text = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
      g_ptr_array_add (events, event);
    }
  sqlite3_finalize (stmt);

  if (events->len > n_messages)
    g_ptr_array_sort (events, compare_seq);
}

void
_tertulia_archive_forget_conversation (TertuliaArchive *self,
                                       gint64           key)
{
  if (run (self, "DELETE FROM amendments WHERE room = ?1", key, 0))
    run (self, "DELETE FROM quotes WHERE room = ?1", key, 0);
}

/* tertulia-archive-search.c — finding what was said in a room: FTS5
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-archive"

#include "config.h"

#include "tertulia-archive-private.h"

/* Words of context around a match in a snippet */
#define SNIPPET_TOKENS 16

void
tertulia_archive_hit_free (TertuliaArchiveHit *hit)
{
  if (hit == NULL)
    return;

  g_free (hit->author);
  g_free (hit->snippet);
  g_clear_pointer (&hit->highlights, g_array_unref);
  g_free (hit);
}

static gboolean
has_word_characters (const char *word)
{
  for (const char *p = word; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_isalnum (g_utf8_get_char (p)))
      return TRUE;

  return FALSE;
}

/* Whatever people type is words to find, never FTS5's syntax: each word
 * becomes a quoted string (a quote inside doubled), which FTS5 reads as a
 * phrase of plain tokens, followed by * so that it is a prefix: "NEAR(",
 * "a*b", "OR" and "col:" are text like any other. Words with no letter or
 * digit would be empty phrases, and are left out.
 */
char *
tertulia_archive_build_query (const char *words)
{
  g_autoptr(GString) query = g_string_new (NULL);
  g_auto(GStrv) split = NULL;

  g_return_val_if_fail (words != NULL, NULL);

  if (!g_utf8_validate (words, -1, NULL))
    return NULL;

  split = g_strsplit_set (words, " \t\n\r\f\v", -1);
  for (guint i = 0; split[i] != NULL; i++)
    {
      if (!has_word_characters (split[i]))
        continue;

      if (query->len > 0)
        g_string_append_c (query, ' ');
      g_string_append_c (query, '"');
      for (const char *p = split[i]; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (query, '"');
          g_string_append_c (query, *p);
        }
      g_string_append (query, "\"*");
    }

  if (query->len == 0)
    return NULL;

  return g_string_free (g_steal_pointer (&query), FALSE);
}

/* FTS5's snippet() marks what matched with U+0001 … U+0002, which kept
 * text never holds: the marks become byte ranges and leave the text.
 */
static void
take_highlights (TertuliaArchiveHit *hit,
                 const char         *marked)
{
  GString *snippet = g_string_new (NULL);
  guint start = 0;

  hit->highlights = g_array_new (FALSE, FALSE, sizeof (guint));

  for (const char *p = marked; *p != '\0'; p++)
    {
      if (*p == '\x01')
        {
          start = snippet->len;
        }
      else if (*p == '\x02')
        {
          guint end = snippet->len;

          g_array_append_val (hit->highlights, start);
          g_array_append_val (hit->highlights, end);
        }
      else
        {
          g_string_append_c (snippet, *p);
        }
    }

  hit->snippet = g_string_free (snippet, FALSE);
}

GPtrArray *
tertulia_archive_search (TertuliaArchive *self,
                         const char      *room_id,
                         const char      *words,
                         guint            limit)
{
  GPtrArray *hits = g_ptr_array_new_with_free_func ((GDestroyNotify) tertulia_archive_hit_free);
  g_autofree char *query = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 key;
  int rc;

  g_return_val_if_fail (TERTULIA_IS_ARCHIVE (self), hits);
  g_return_val_if_fail (room_id != NULL, hits);
  g_return_val_if_fail (words != NULL, hits);

  query = tertulia_archive_build_query (words);
  if (query == NULL)
    return hits;

  tertulia_archive_flush (self);

  key = _tertulia_archive_lookup_room (self, room_id);
  if (key == 0)
    return hits;

  /* The index first (CROSS JOIN keeps SQLite from starting at the room's
   * rows), walked newest first, so that the first page is the newest
   * matches and the walk stops there.
   */
  rc = sqlite3_prepare_v2 (_tertulia_archive_get_db (self),
                           "SELECT e.seq, e.time, e.author, "
                           "  snippet(events_fts, 0, char(1), char(2), '…', " G_STRINGIFY (SNIPPET_TOKENS) ") "
                           "FROM events_fts CROSS JOIN events AS e ON e.id = events_fts.rowid "
                           "WHERE events_fts MATCH ?1 AND e.room = ?2 "
                           "ORDER BY events_fts.rowid DESC LIMIT ?3",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      g_debug ("Searching: %s", sqlite3_errstr (rc));
      return hits;
    }

  sqlite3_bind_text (stmt, 1, query, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, key);
  sqlite3_bind_int64 (stmt, 3, limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TertuliaArchiveHit *hit = g_new0 (TertuliaArchiveHit, 1);

      hit->seq = sqlite3_column_int64 (stmt, 0);
      hit->time = sqlite3_column_int64 (stmt, 1);
      hit->author = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      take_highlights (hit, (const char *) sqlite3_column_text (stmt, 3));
      g_ptr_array_add (hits, hit);
    }

  if (rc != SQLITE_DONE)
    g_debug ("Searching for %s: %s", query, sqlite3_errstr (rc));

  sqlite3_finalize (stmt);

  return hits;
}

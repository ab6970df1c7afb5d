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
/* Words a long prefix may stand for before FTS5 is left to merge them */
#define MAX_PREFIX_TERMS 16

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
has_other_characters (const char *word)
{
  for (const char *p = word; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isalnum (c) && !g_unichar_ismark (c))
        return TRUE;
    }

  return FALSE;
}

static gboolean
has_word_characters (const char *word)
{
  for (const char *p = word; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_isalnum (g_utf8_get_char (p)))
      return TRUE;

  return FALSE;
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

/* The words of @text as FTS5's unicode61 tokenizer (remove_diacritics 2)
 * makes them, nearly: runs of letters and digits, in lower case, without
 * accents; each once.
 */
GPtrArray *
_tertulia_archive_dup_words (const char *text)
{
  g_autofree char *lower = g_utf8_strdown (text, -1);
  g_autofree char *decomposed = g_utf8_normalize (lower, -1, G_NORMALIZE_NFD);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) word = g_string_new (NULL);

  if (decomposed == NULL)
    return words;

  for (const char *p = decomposed; ; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != 0 && g_unichar_ismark (c))
        continue;

      if (c != 0 && g_unichar_isalnum (c))
        {
          g_string_append_unichar (word, c);
          continue;
        }

      if (word->len > 0 && !g_hash_table_contains (seen, word->str))
        {
          char *copy = g_strdup (word->str);

          g_ptr_array_add (words, copy);
          g_hash_table_add (seen, copy);
        }
      g_string_truncate (word, 0);

      if (c == 0)
        break;
    }

  return words;
}

/* A word of letters and digits as the index has it; NULL for anything
 * else (punctuation inside makes several words).
 */
static char *
fold_simple_word (const char *word)
{
  g_autoptr(GPtrArray) words = _tertulia_archive_dup_words (word);

  if (words->len != 1 || has_other_characters (word))
    return NULL;

  return g_strdup (g_ptr_array_index (words, 0));
}

static void
append_quoted (GString    *query,
               const char *text)
{
  g_string_append_c (query, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (query, '"');
      g_string_append_c (query, *p);
    }
  g_string_append_c (query, '"');
}

/* A word as a prefix, for FTS5. FTS5 answers "word"* by merging the whole
 * list of every word it begins, before it returns the first match: for a
 * word in most messages of a million, 50 ms. Its own index answers
 * prefixes of 2 and 3 letters; for longer ones the words they begin are
 * looked up in the archive's table of words (FTS5's own vocabulary table
 * scans, 40 ms), and a few of them are asked for by name, which FTS5
 * walks newest first and stops after a page.
 */
static gboolean
append_prefix (sqlite3_stmt    *vocabulary,
               GString         *query,
               const char      *word)
{
  g_autofree char *folded = fold_simple_word (word);
  g_autoptr(GPtrArray) terms = g_ptr_array_new_with_free_func (g_free);
  gboolean too_many = FALSE;

  if (folded == NULL || g_utf8_strlen (folded, -1) <= 3 || vocabulary == NULL)
    {
      append_quoted (query, word);
      g_string_append_c (query, '*');
      return TRUE;
    }

  sqlite3_bind_text (vocabulary, 1, folded, -1, SQLITE_STATIC);
  while (sqlite3_step (vocabulary) == SQLITE_ROW)
    {
      const char *term = (const char *) sqlite3_column_text (vocabulary, 0);

      if (term == NULL || !g_str_has_prefix (term, folded))
        break;
      if (terms->len == MAX_PREFIX_TERMS)
        {
          too_many = TRUE;
          break;
        }
      g_ptr_array_add (terms, g_strdup (term));
    }
  sqlite3_reset (vocabulary);

  if (too_many)
    {
      append_quoted (query, word);
      g_string_append_c (query, '*');
      return TRUE;
    }

  /* Not a word kept (or one our folding spells unlike FTS5's): FTS5
   * decides
   */
  if (terms->len == 0)
    {
      append_quoted (query, word);
      g_string_append_c (query, '*');
      return TRUE;
    }

  g_string_append_c (query, '(');
  for (guint i = 0; i < terms->len; i++)
    {
      if (i > 0)
        g_string_append (query, " OR ");
      append_quoted (query, g_ptr_array_index (terms, i));
    }
  g_string_append_c (query, ')');

  return TRUE;
}

/* Whatever people type is words to find, never FTS5's syntax: each word
 * becomes a quoted string (a quote inside doubled), which FTS5 reads as a
 * phrase of plain tokens, and a prefix: "NEAR(", "a*b", "OR" and "col:"
 * are text like any other. Words with no letter or digit would be empty
 * phrases, and are left out. With @self, long prefixes are spelled out
 * from its index's words (see append_prefix()); NULL when nothing can
 * match.
 */
static char *
build_match (TertuliaArchive *self,
             const char      *words)
{
  g_autoptr(GString) query = g_string_new (NULL);
  g_auto(GStrv) split = NULL;
  sqlite3_stmt *vocabulary = NULL;
  gboolean possible = TRUE;

  if (!g_utf8_validate (words, -1, NULL))
    return NULL;

  if (self != NULL &&
      sqlite3_prepare_v2 (_tertulia_archive_get_db (self),
                          "SELECT word FROM words WHERE word >= ?1 ORDER BY word LIMIT "
                          G_STRINGIFY (MAX_PREFIX_TERMS) " + 1",
                          -1, &vocabulary, NULL) != SQLITE_OK)
    g_clear_pointer (&vocabulary, sqlite3_finalize);

  split = g_strsplit_set (words, " \t\n\r\f\v", -1);
  for (guint i = 0; split[i] != NULL && possible; i++)
    {
      if (!has_word_characters (split[i]))
        continue;

      /* FTS5 takes no implicit AND after a parenthesis */
      if (query->len > 0)
        g_string_append (query, " AND ");
      possible = append_prefix (vocabulary, query, split[i]);
    }

  g_clear_pointer (&vocabulary, sqlite3_finalize);

  if (!possible || query->len == 0)
    return NULL;

  return g_string_free (g_steal_pointer (&query), FALSE);
}

/* FTS5 keeps a word's list of messages in order; walking it newest first
 * reads it from where the walk starts to its end before the first match
 * (for a word in most of a million messages, 50 ms), however few are
 * wanted. So the newest messages are searched first, in windows of rowids
 * each four times the last, until a page is found: a common word is done
 * in the first window, a rare one costs about one walk of its short list.
 */
#define FIRST_WINDOW 4096

char *
tertulia_archive_build_query (const char *words)
{
  g_return_val_if_fail (words != NULL, NULL);

  return build_match (NULL, words);
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
  sqlite3 *db;
  gint64 newest = 0;
  gint64 window = FIRST_WINDOW;
  gint64 key;

  g_return_val_if_fail (TERTULIA_IS_ARCHIVE (self), hits);
  g_return_val_if_fail (room_id != NULL, hits);
  g_return_val_if_fail (words != NULL, hits);

  tertulia_archive_flush (self);

  key = _tertulia_archive_lookup_room (self, room_id);
  if (key == 0 || limit == 0)
    return hits;

  query = build_match (self, words);
  if (query == NULL)
    return hits;

  db = _tertulia_archive_get_db (self);
  if (sqlite3_prepare_v2 (db, "SELECT max(id) FROM events", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    newest = sqlite3_column_int64 (stmt, 0);
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* The index first (CROSS JOIN keeps SQLite from starting at the room's
   * rows), then the room of each match; snippets only for the page.
   */
  if (sqlite3_prepare_v2 (db,
                          "SELECT e.seq, e.time, e.author, "
                          "  snippet(events_fts, 0, char(1), char(2), '…', " G_STRINGIFY (SNIPPET_TOKENS) ") "
                          "FROM events_fts CROSS JOIN events AS e ON e.id = events_fts.rowid "
                          "WHERE events_fts MATCH ?1 AND events_fts.rowid > ?2 "
                          "AND events_fts.rowid <= ?3 AND e.room = ?4 "
                          "ORDER BY events_fts.rowid DESC LIMIT ?5",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      g_debug ("Searching: %s", sqlite3_errmsg (db));
      return hits;
    }
  sqlite3_bind_text (stmt, 1, query, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, key);

  for (gint64 up_to = newest; up_to > 0 && hits->len < limit; window *= 4)
    {
      gint64 after = MAX (up_to - window, 0);
      int rc;

      sqlite3_bind_int64 (stmt, 2, after);
      sqlite3_bind_int64 (stmt, 3, up_to);
      sqlite3_bind_int64 (stmt, 5, limit - hits->len);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          TertuliaArchiveHit *hit = g_new0 (TertuliaArchiveHit, 1);

          hit->seq = sqlite3_column_int64 (stmt, 0);
          hit->time = sqlite3_column_int64 (stmt, 1);
          hit->author = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
          take_highlights (hit, (const char *) sqlite3_column_text (stmt, 3));
          g_ptr_array_add (hits, hit);
        }
      sqlite3_reset (stmt);

      if (rc != SQLITE_DONE)
        {
          g_debug ("Searching for %s: %s", query, sqlite3_errstr (rc));
          break;
        }
      up_to = after;
    }

  sqlite3_finalize (stmt);

  return hits;
}

/* test-archive.c — the app's archive: rooms, messages, unread, search, faults
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-archive"

#include "config.h"

#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "tertulia-archive.h"
#include "tertulia-room.h"
#include "tertulia-test-utils.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("test-archive-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "tertulia", TERTULIA_ARCHIVE_FILE_NAME, NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  tertulia_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static TertuliaArchive *
open_archive (const char *path)
{
  g_autoptr(GError) error = NULL;
  TertuliaArchive *archive = tertulia_archive_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (archive);

  return archive;
}

static void
record (TertuliaArchive *archive,
        const char      *room_id,
        gint64           seq,
        const char      *author,
        const char      *text,
        gboolean         own)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (1700000000 + seq);
  g_autoptr(TertuliaMessage) message = NULL;

  if (own)
    {
      message = tertulia_message_new_own (TERTULIA_MESSAGE_KIND_CHAT, "c1", 1, author, text);
      tertulia_message_mark_delivered (message, seq, time);
    }
  else
    {
      message = tertulia_message_new (TERTULIA_MESSAGE_KIND_CHAT, seq, 2, author, text, time);
    }

  tertulia_archive_record_message (archive, room_id, message);
}

/* What is kept is there after the app starts again, newest room first,
 * and a page of a room comes back oldest first with "more" right.
 */
static void
test_archive_reopen (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(TertuliaArchive) archive = open_archive (fixture->path);
  g_autoptr(GPtrArray) rooms = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(TertuliaArchiveRoom) room = NULL;
  const TertuliaFrame *event;
  gboolean more = FALSE;

  tertulia_archive_update_room (archive, "room-a", "Kitchen", "", "192.168.1.20:7878", 0);
  for (gint64 seq = 1; seq <= 30; seq++)
    {
      g_autofree char *text = g_strdup_printf ("message %" G_GINT64_FORMAT, seq);

      record (archive, "room-a", seq, "ana", text, FALSE);
    }
  /* The same event again (a welcome's history after a resume) is kept once */
  record (archive, "room-a", 30, "ana", "message 30", FALSE);
  /* A room's notices (joins, renames) are not kept */
  {
    g_autoptr(TertuliaMessage) notice = tertulia_message_new (TERTULIA_MESSAGE_KIND_NOTICE, 31, 0, "",
                                                              "pepe joined", NULL);

    tertulia_archive_record_message (archive, "room-a", notice);
  }
  tertulia_archive_update_room (archive, "room-b", "Garden", "", "10.0.0.2:7878", 3);
  g_clear_object (&archive);

  archive = open_archive (fixture->path);
  rooms = tertulia_archive_dup_rooms (archive, 10);
  g_assert_cmpuint (rooms->len, ==, 2);
  room = tertulia_archive_dup_room (archive, "room-a");
  g_assert_cmpstr (room->name, ==, "Kitchen");
  g_assert_cmpstr (room->address, ==, "192.168.1.20:7878");
  g_assert_cmpint (room->last_seq, ==, 30);
  g_assert_cmpuint (room->unread, ==, 30);

  page = tertulia_archive_dup_events (archive, "room-a", 0, G_MAXINT64, 10, &more);
  g_assert_cmpuint (page->len, ==, 10);
  g_assert_true (more);
  event = g_ptr_array_index (page, 0);
  g_assert_cmpint (event->seq, ==, 21);
  g_assert_cmpstr (event->text, ==, "message 21");
  g_assert_cmpstr (event->peer.nick, ==, "ana");
  event = g_ptr_array_index (page, 9);
  g_assert_cmpint (event->seq, ==, 30);
  g_clear_pointer (&page, g_ptr_array_unref);

  page = tertulia_archive_dup_events (archive, "room-a", 0, 21, 100, &more);
  g_assert_cmpuint (page->len, ==, 20);
  g_assert_false (more);

  /* Forgetting a room takes its messages and its search with it */
  tertulia_archive_forget_room (archive, "room-a");
  g_clear_pointer (&rooms, g_ptr_array_unref);
  rooms = tertulia_archive_dup_rooms (archive, 10);
  g_assert_cmpuint (rooms->len, ==, 1);
  g_clear_pointer (&page, g_ptr_array_unref);
  page = tertulia_archive_dup_events (archive, "room-a", 0, G_MAXINT64, 10, NULL);
  g_assert_cmpuint (page->len, ==, 0);

  tertulia_archive_clear (archive);
  g_clear_pointer (&rooms, g_ptr_array_unref);
  rooms = tertulia_archive_dup_rooms (archive, 10);
  g_assert_cmpuint (rooms->len, ==, 0);
}

/* Unread counts others' messages after the last one read; yours never. */
static void
test_archive_unread (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(TertuliaArchive) archive = open_archive (fixture->path);
  g_autoptr(TertuliaArchiveRoom) room = NULL;

  tertulia_archive_update_room (archive, "r", "R", "", "a:1", 0);
  for (gint64 seq = 1; seq <= 10; seq++)
    record (archive, "r", seq, "ana", "hola", seq % 2 == 0);

  room = tertulia_archive_dup_room (archive, "r");
  g_assert_cmpuint (room->unread, ==, 5);
  g_clear_pointer (&room, tertulia_archive_room_free);

  tertulia_archive_mark_read (archive, "r", 6);
  room = tertulia_archive_dup_room (archive, "r");
  g_assert_cmpint (room->last_read_seq, ==, 6);
  g_assert_cmpuint (room->unread, ==, 2);
  g_clear_pointer (&room, tertulia_archive_room_free);

  record (archive, "r", 11, "pepe", "¿hay alguien?", FALSE);
  room = tertulia_archive_dup_room (archive, "r");
  g_assert_cmpuint (room->unread, ==, 3);
  g_clear_pointer (&room, tertulia_archive_room_free);

  /* Reading never goes backwards */
  tertulia_archive_mark_read (archive, "r", 11);
  tertulia_archive_mark_read (archive, "r", 3);
  room = tertulia_archive_dup_room (archive, "r");
  g_assert_cmpint (room->last_read_seq, ==, 11);
  g_assert_cmpuint (room->unread, ==, 0);
}

static char *
highlighted (const TertuliaArchiveHit *hit,
             guint                     i)
{
  guint start = g_array_index (hit->highlights, guint, 2 * i);
  guint end = g_array_index (hit->highlights, guint, 2 * i + 1);

  return g_strndup (hit->snippet + start, end - start);
}

/* Words are prefixes, case and accents do not matter, newest first, only
 * this room; FTS5's syntax typed in the box is text, never an error.
 */
static void
test_archive_search (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(TertuliaArchive) archive = open_archive (fixture->path);
  static const char * const hostile[] = {
    "\"", "\"\"", "*", "NEAR(", "NEAR(a b", "a AND", "OR", "NOT x", "text:foo", "^start",
    "(((", "a\"b*", "-", "{col}", "café\"*\"", "\x01\x02",
  };
  g_autoptr(GPtrArray) hits = NULL;
  g_autofree char *query = NULL;
  const TertuliaArchiveHit *hit;
  g_autofree char *match = NULL;

  tertulia_archive_update_room (archive, "r", "R", "", "a:1", 0);
  tertulia_archive_update_room (archive, "other", "O", "", "b:1", 0);
  record (archive, "r", 1, "ana", "Vamos a la CAFETERÍA de siempre", FALSE);
  record (archive, "r", 2, "pepe", "nada que ver", FALSE);
  record (archive, "r", 3, "luis", "el café está frío", FALSE);
  record (archive, "r", 4, "ana", "say \"NEAR(a b)\" and a*b OR c", FALSE);
  record (archive, "r", 5, "eve", "marks \x01forged\x02 here", FALSE);
  record (archive, "other", 1, "zoe", "café en otra sala", FALSE);

  hits = tertulia_archive_search (archive, "r", "cafe", 10);
  g_assert_cmpuint (hits->len, ==, 2);
  hit = g_ptr_array_index (hits, 0);
  g_assert_cmpint (hit->seq, ==, 3);
  g_assert_cmpstr (hit->author, ==, "luis");
  g_assert_cmpstr (hit->snippet, ==, "el café está frío");
  g_assert_cmpuint (hit->highlights->len, ==, 2);
  match = highlighted (hit, 0);
  g_assert_cmpstr (match, ==, "café");
  hit = g_ptr_array_index (hits, 1);
  g_assert_cmpint (hit->seq, ==, 1);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* Every word must be there */
  hits = tertulia_archive_search (archive, "r", "café FRÍ", 10);
  g_assert_cmpuint (hits->len, ==, 1);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* What looks like FTS5 syntax is words */
  hits = tertulia_archive_search (archive, "r", "\"NEAR(a", 10);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpint (((TertuliaArchiveHit *) g_ptr_array_index (hits, 0))->seq, ==, 4);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = tertulia_archive_search (archive, "r", "a*b OR", 10);
  g_assert_cmpuint (hits->len, ==, 1);
  g_clear_pointer (&hits, g_ptr_array_unref);

  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      hits = tertulia_archive_search (archive, "r", hostile[i], 10);
      g_assert_nonnull (hits);
      g_clear_pointer (&hits, g_ptr_array_unref);
    }

  query = tertulia_archive_build_query ("say \"hi\" NEAR(");
  g_assert_cmpstr (query, ==, "\"say\"* AND \"\"\"hi\"\"\"* AND \"NEAR(\"*");
  g_assert_null (tertulia_archive_build_query ("  * \" ( "));

  /* A long prefix stands for the words it begins, few or many */
  for (gint64 seq = 10; seq < 30; seq++)
    {
      g_autofree char *text = g_strdup_printf ("palabra%" G_GINT64_FORMAT " suelta", seq);

      record (archive, "r", seq, "ana", text, FALSE);
    }
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = tertulia_archive_search (archive, "r", "palab", 50);
  g_assert_cmpuint (hits->len, ==, 20);
  g_assert_cmpint (((TertuliaArchiveHit *) g_ptr_array_index (hits, 0))->seq, ==, 29);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = tertulia_archive_search (archive, "r", "Palabra1 SUELT", 50);
  g_assert_cmpuint (hits->len, ==, 10);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = tertulia_archive_search (archive, "r", "palabrota", 50);
  g_assert_cmpuint (hits->len, ==, 0);

  /* Marks in a message's text cannot pass for a match */
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = tertulia_archive_search (archive, "r", "here", 10);
  g_assert_cmpuint (hits->len, ==, 1);
  hit = g_ptr_array_index (hits, 0);
  g_assert_null (strchr (hit->snippet, '\x01'));
  g_assert_cmpuint (hit->highlights->len, ==, 2);
  g_clear_pointer (&match, g_free);
  match = highlighted (hit, 0);
  g_assert_cmpstr (match, ==, "here");
}

/* A file that is not a database is moved aside with a sentence saying
 * where, and a new archive starts that works.
 */
static void
test_archive_damaged (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(TertuliaArchive) archive = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) rooms = NULL;
  g_autofree char *parent = g_path_get_dirname (fixture->path);
  g_autofree char *contents = NULL;
  g_autofree char *garbage = g_strnfill (8192, 'x');
  const char *name;
  gboolean found = FALSE;

  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  g_file_set_contents (fixture->path, garbage, -1, &error);
  g_assert_no_error (error);

  archive = open_archive (fixture->path);
  g_assert_nonnull (tertulia_archive_get_notice (archive));
  g_assert_nonnull (strstr (tertulia_archive_get_notice (archive), "damaged"));

  dir = g_dir_open (parent, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, TERTULIA_ARCHIVE_FILE_NAME ".damaged-"))
      {
        g_autofree char *moved = g_build_filename (parent, name, NULL);

        g_file_get_contents (moved, &contents, NULL, &error);
        g_assert_no_error (error);
        g_assert_cmpstr (contents, ==, garbage);
        found = TRUE;
      }
  g_assert_true (found);

  tertulia_archive_update_room (archive, "r", "R", "", "a:1", 0);
  record (archive, "r", 1, "ana", "fresh", FALSE);
  rooms = tertulia_archive_dup_rooms (archive, 10);
  g_assert_cmpuint (rooms->len, ==, 1);
}

/* A directory where nothing can be written: a clear error, no archive, no
 * crash. (As root, permissions do not stop writes: a path under a regular
 * file cannot be created by anyone.)
 */
static void
test_archive_read_only (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *locked = g_build_filename (fixture->dir, "locked", NULL);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  TertuliaArchive *archive;

  if (geteuid () == 0)
    {
      g_file_set_contents (locked, "", 0, &error);
      g_assert_no_error (error);
    }
  else
    {
      g_assert_cmpint (g_mkdir (locked, 0500), ==, 0);
    }

  path = g_build_filename (locked, "tertulia", TERTULIA_ARCHIVE_FILE_NAME, NULL);
  archive = tertulia_archive_open (path, &error);
  g_assert_null (archive);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "locked"));

  g_chmod (locked, 0700);
}

static guint failed_count;

static void
failed_cb (TertuliaArchive *archive,
           const GError    *error,
           gpointer         user_data)
{
  failed_count++;
}

/* A disk that fills up: the app is told once, writing on costs nothing,
 * and reading what was kept goes on.
 */
static void
test_archive_disk_full (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(TertuliaArchive) archive = open_archive (fixture->path);
  g_autoptr(GPtrArray) page = NULL;
  g_autofree char *filler = g_strnfill (2000, 'y');
  struct rlimit old_limit, limit;
  void (*old_handler) (int);
  gint64 seq = 0;

  tertulia_archive_update_room (archive, "r", "R", "", "a:1", 0);
  record (archive, "r", ++seq, "ana", "first", FALSE);
  tertulia_archive_flush (archive);

  g_signal_connect (archive, "failed", G_CALLBACK (failed_cb), NULL);
  failed_count = 0;

  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &old_limit), ==, 0);
  old_handler = signal (SIGXFSZ, SIG_IGN);
  limit = old_limit;
  limit.rlim_cur = 512 * 1024;
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);

  while (tertulia_archive_get_failure (archive) == NULL && seq < 100000)
    {
      for (guint i = 0; i < 50; i++)
        record (archive, "r", ++seq, "ana", filler, FALSE);
      tertulia_archive_flush (archive);
    }

  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &old_limit), ==, 0);
  signal (SIGXFSZ, old_handler);

  g_assert_nonnull (tertulia_archive_get_failure (archive));
  g_assert_nonnull (strstr (tertulia_archive_get_failure (archive)->message, TERTULIA_ARCHIVE_FILE_NAME));
  g_assert_cmpuint (failed_count, ==, 1);

  record (archive, "r", ++seq, "ana", "after", FALSE);
  tertulia_archive_flush (archive);
  g_assert_cmpuint (failed_count, ==, 1);

  page = tertulia_archive_dup_events (archive, "r", 0, 2, 10, NULL);
  g_assert_cmpuint (page->len, ==, 1);
  g_assert_cmpstr (((TertuliaFrame *) g_ptr_array_index (page, 0))->text, ==, "first");
}

/* Writes wait for the main loop to be idle, in one transaction. */
static void
test_archive_batching (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(TertuliaArchive) archive = open_archive (fixture->path);
  g_autoptr(TertuliaArchive) reader = NULL;
  g_autoptr(GPtrArray) page = NULL;

  tertulia_archive_update_room (archive, "r", "R", "", "a:1", 0);
  record (archive, "r", 1, "ana", "one", FALSE);
  record (archive, "r", 2, "ana", "two", FALSE);

  /* Another connection sees nothing until the main loop commits */
  reader = open_archive (fixture->path);
  page = tertulia_archive_dup_events (reader, "r", 0, G_MAXINT64, 10, NULL);
  g_assert_cmpuint (page->len, ==, 0);
  g_clear_pointer (&page, g_ptr_array_unref);

  while (g_main_context_iteration (NULL, FALSE))
    ;

  page = tertulia_archive_dup_events (reader, "r", 0, G_MAXINT64, 10, NULL);
  g_assert_cmpuint (page->len, ==, 2);
}

/* issue 19: the final state is kept; what was taken back is not found */
static TertuliaFrame *
amendment (TertuliaFrameType  type,
           gint64             seq,
           gint64             target,
           gint64             from_id,
           const char        *from,
           const char        *emoji_or_text)
{
  TertuliaFrame *event = tertulia_frame_new (type);

  event->seq = seq;
  event->time = 1700000000000 + seq;
  event->target = target;
  event->peer.id = from_id;
  event->peer.nick = g_strdup (from);
  if (type == TERTULIA_FRAME_REACTION)
    {
      event->emoji = g_strdup (emoji_or_text);
      event->add = TRUE;
    }
  else
    {
      event->text = g_strdup (emoji_or_text);
    }

  return event;
}

static guint
n_hits (TertuliaArchive *archive,
        const char      *words)
{
  g_autoptr(GPtrArray) hits = tertulia_archive_search (archive, "r", words, 10);

  return hits->len;
}

static void
test_archive_conversation (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(TertuliaArchive) archive = open_archive (fixture->path);
  g_autoptr(TertuliaRoom) room = tertulia_room_new ();
  g_autoptr(TertuliaFrame) welcome = tertulia_frame_new (TERTULIA_FRAME_WELCOME);
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (1700000004);
  g_autoptr(TertuliaMessage) reply = tertulia_message_new (TERTULIA_MESSAGE_KIND_CHAT, 4, 2, "luis",
                                                           "sí", time);
  TertuliaFrame *events[] = {
    amendment (TERTULIA_FRAME_EDIT, 5, 1, 2, "ana", "quedamos en la biblioteca"),
    amendment (TERTULIA_FRAME_REACTION, 6, 1, 3, "luis", "👍"),
    amendment (TERTULIA_FRAME_EDIT, 7, 2, 2, "ana", "contraseña secreta otra"),
    amendment (TERTULIA_FRAME_REACTION, 8, 2, 3, "luis", "😮"),
    amendment (TERTULIA_FRAME_DELETE, 9, 2, 2, "ana", NULL),
  };
  TertuliaMessage *first;
  TertuliaMessage *second;
  GPtrArray *reactions;
  gboolean more = TRUE;

  tertulia_archive_update_room (archive, "r", "R", "", "a:1", 0);
  record (archive, "r", 1, "ana", "quedamos en la plaza", FALSE);
  record (archive, "r", 2, "ana", "contraseña secreta", FALSE);
  record (archive, "r", 3, "pepe", "vale", FALSE);
  tertulia_message_set_reply_to (reply, 1, "ana", "quedamos en la plaza");
  tertulia_archive_record_message (archive, "r", reply);
  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    tertulia_archive_record_amendment (archive, "r", events[i]);
  /* The same event twice changes nothing */
  tertulia_archive_record_amendment (archive, "r", events[1]);
  g_clear_object (&archive);

  /* Search finds the text as it is now, never what was taken back */
  archive = open_archive (fixture->path);
  g_assert_cmpuint (n_hits (archive, "biblioteca"), ==, 1);
  g_assert_cmpuint (n_hits (archive, "plaza"), ==, 0);
  g_assert_cmpuint (n_hits (archive, "secreta"), ==, 0);
  g_assert_cmpuint (n_hits (archive, "contraseña"), ==, 0);
  g_assert_cmpuint (n_hits (archive, "vale"), ==, 1);

  /* Read back into a room: the same final state */
  page = tertulia_archive_dup_events (archive, "r", 0, G_MAXINT64, 100, &more);
  g_assert_false (more);
  g_assert_cmpuint (page->len, ==, 4 + 4);  /* the reaction to the deleted one is gone */
  welcome->room_id = g_strdup ("r");
  welcome->room_name = g_strdup ("R");
  welcome->you.id = 3;
  welcome->you.nick = g_strdup ("luis");
  welcome->seq = 9;
  for (guint i = 0; i < page->len; i++)
    g_ptr_array_add (welcome->history, g_ptr_array_steal_index (page, i--));
  tertulia_room_apply_welcome (room, welcome);

  first = tertulia_room_find_message_by_seq (room, 1);
  g_assert_cmpstr (tertulia_message_get_text (first), ==, "quedamos en la biblioteca");
  g_assert_true (tertulia_message_get_edited (first));
  reactions = tertulia_message_get_reactions (first);
  g_assert_cmpuint (reactions->len, ==, 1);
  g_assert_cmpstr (((TertuliaReaction *) g_ptr_array_index (reactions, 0))->emoji, ==, "👍");
  g_assert_true (((TertuliaReaction *) g_ptr_array_index (reactions, 0))->mine);

  second = tertulia_room_find_message_by_seq (room, 2);
  g_assert_true (tertulia_message_get_deleted (second));
  g_assert_cmpstr (tertulia_message_get_text (second), ==, "");
  g_assert_cmpstr (tertulia_message_get_deleted_by (second), ==, "ana");
  g_assert_cmpuint (tertulia_message_get_reactions (second)->len, ==, 0);

  g_assert_cmpint (tertulia_message_get_reply_to_seq (tertulia_room_find_message_by_seq (room, 4)), ==, 1);
  g_assert_cmpstr (tertulia_message_get_reply_to_author (tertulia_room_find_message_by_seq (room, 4)), ==, "ana");

  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    tertulia_frame_free (events[i]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/archive/reopen", Fixture, NULL, fixture_setup, test_archive_reopen, fixture_teardown);
  g_test_add ("/archive/unread", Fixture, NULL, fixture_setup, test_archive_unread, fixture_teardown);
  g_test_add ("/archive/search", Fixture, NULL, fixture_setup, test_archive_search, fixture_teardown);
  g_test_add ("/archive/damaged", Fixture, NULL, fixture_setup, test_archive_damaged, fixture_teardown);
  g_test_add ("/archive/read-only", Fixture, NULL, fixture_setup, test_archive_read_only, fixture_teardown);
  g_test_add ("/archive/disk-full", Fixture, NULL, fixture_setup, test_archive_disk_full, fixture_teardown);
  g_test_add ("/archive/batching", Fixture, NULL, fixture_setup, test_archive_batching, fixture_teardown);
  g_test_add ("/archive/conversation", Fixture, NULL, fixture_setup, test_archive_conversation, fixture_teardown);

  return g_test_run ();
}

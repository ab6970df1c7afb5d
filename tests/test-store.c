/* test-store.c — the room's memory: the ring, the SQLite journal, its faults
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-store"

#include "config.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "tertulia-journal.h"
#include "tertulia-memory-store.h"
#include "tertulia-test-client.h"
#include "tertulia-test-utils.h"

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("test-store-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  tertulia_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static TertuliaStore *
open_journal (const char *dir)
{
  g_autoptr(GError) error = NULL;
  TertuliaJournal *journal = tertulia_journal_open (dir, &error);

  g_assert_no_error (error);
  g_assert_nonnull (journal);

  return TERTULIA_STORE (journal);
}

static char *
event_json (gint64 seq)
{
  return g_strdup_printf ("{\"type\":\"message\",\"seq\":%" G_GINT64_FORMAT ",\"text\":\"line %" G_GINT64_FORMAT "\"}",
                          seq, seq);
}

static void
append_events (TertuliaStore *store,
               gint64         first,
               gint64         last)
{
  for (gint64 seq = first; seq <= last; seq++)
    {
      g_autofree char *json = event_json (seq);

      tertulia_store_append (store, seq, 1000 + seq, json);
    }
}

/* @events holds exactly the seqs @first..@last, in order, each with its
 * own frame and time.
 */
static void
assert_events (GPtrArray *events,
               gint64     first,
               gint64     last)
{
  g_assert_nonnull (events);
  g_assert_cmpuint (events->len, ==, last >= first ? last - first + 1 : 0);

  for (guint i = 0; i < events->len; i++)
    {
      TertuliaStoreEvent *event = g_ptr_array_index (events, i);
      g_autofree char *json = event_json (first + i);

      g_assert_cmpint (event->seq, ==, first + i);
      g_assert_cmpint (event->time, ==, 1000 + first + i);
      g_assert_cmpstr (event->json, ==, json);
    }
}

static void
put_participant (TertuliaStore *store,
                 gint64         id,
                 const char    *nick,
                 gint64         left_at)
{
  TertuliaStoreParticipant participant = {
    .id = id,
    .resume_key = g_strdup_printf ("key-%" G_GINT64_FORMAT, id),
    .nick = (char *) nick,
    .joined_at = 5000 + id,
    .host = id == 1,
    .left_at = left_at,
  };

  tertulia_store_put_participant (store, &participant);
  g_free (participant.resume_key);
}


/* The same behaviour from both stores */

static void
check_round_trip (TertuliaStore *store,
                  gboolean       bounded)
{
  TertuliaStoreRoom room = {
    .room_id = (char *) "0123abcd",
    .name = (char *) "Kitchen",
    .topic = (char *) "Soup",
    .next_participant_id = 3,
  };
  g_autoptr(TertuliaStoreRoom) loaded = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) participants = NULL;
  TertuliaStoreParticipant *participant;

  g_assert_null (tertulia_store_dup_room (store));

  tertulia_store_set_room (store, &room);
  append_events (store, 1, 30);

  loaded = tertulia_store_dup_room (store);
  g_assert_cmpstr (loaded->room_id, ==, "0123abcd");
  g_assert_cmpstr (loaded->name, ==, "Kitchen");
  g_assert_cmpstr (loaded->topic, ==, "Soup");
  g_assert_cmpint (loaded->next_participant_id, ==, 3);
  g_assert_cmpint (loaded->last_seq, ==, 30);

  /* A welcome's last N, a resume's "after", scrollback's "before" */
  events = tertulia_store_dup_last (store, 5);
  assert_events (events, 26, 30);
  g_clear_pointer (&events, g_ptr_array_unref);

  events = tertulia_store_dup_after (store, 27, 100);
  assert_events (events, 28, 30);
  g_clear_pointer (&events, g_ptr_array_unref);

  events = tertulia_store_dup_after (store, 30, 100);
  assert_events (events, 1, 0);
  g_clear_pointer (&events, g_ptr_array_unref);

  events = tertulia_store_dup_after (store, 20, 4);
  assert_events (events, 21, 24);
  g_clear_pointer (&events, g_ptr_array_unref);

  events = tertulia_store_dup_before (store, 25, 3);
  assert_events (events, 22, 24);
  g_clear_pointer (&events, g_ptr_array_unref);

  /* A ring of 20 has forgotten 1–10; a journal has everything */
  events = tertulia_store_dup_before (store, 15, 100);
  assert_events (events, bounded ? 11 : 1, 14);
  g_clear_pointer (&events, g_ptr_array_unref);

  events = tertulia_store_dup_before (store, 1, 100);
  assert_events (events, 1, 0);
  g_clear_pointer (&events, g_ptr_array_unref);

  /* Participants, with their cids (each kept with the message it became),
   * the newest TERTULIA_STORE_CID_LIMIT
   */
  put_participant (store, 1, "Ana", 0);
  put_participant (store, 2, "Bea", 0);
  for (guint i = 0; i < TERTULIA_STORE_CID_LIMIT + 11; i++)
    {
      g_autofree char *cid = g_strdup_printf ("c%u", i);
      g_autofree char *json = event_json (31 + i);
      gboolean last = i == TERTULIA_STORE_CID_LIMIT + 10;

      tertulia_store_append_message (store, 31 + i, 1031 + i, json,
                                     last ? 1 : 2, last ? "only" : cid);
    }
  /* A rename keeps the cids */
  put_participant (store, 2, "Bea-2", 0);
  put_participant (store, 3, "Gone", 9999);
  put_participant (store, 4, "Forgotten", 0);
  tertulia_store_remove_participant (store, 4);
  tertulia_store_flush (store);

  participants = tertulia_store_dup_participants (store);
  g_assert_cmpuint (participants->len, ==, 3);

  participant = g_ptr_array_index (participants, 0);
  g_assert_cmpint (participant->id, ==, 1);
  g_assert_cmpstr (participant->resume_key, ==, "key-1");
  g_assert_cmpstr (participant->nick, ==, "Ana");
  g_assert_cmpint (participant->joined_at, ==, 5001);
  g_assert_true (participant->host);
  g_assert_cmpint (participant->left_at, ==, 0);
  g_assert_cmpuint (participant->cids->len, ==, 1);
  g_assert_cmpstr (((TertuliaStoreCid *) g_ptr_array_index (participant->cids, 0))->cid, ==, "only");

  participant = g_ptr_array_index (participants, 1);
  g_assert_cmpstr (participant->nick, ==, "Bea-2");
  g_assert_false (participant->host);
  g_assert_cmpuint (participant->cids->len, ==, TERTULIA_STORE_CID_LIMIT);
  for (guint i = 0; i < participant->cids->len; i++)
    {
      TertuliaStoreCid *cid = g_ptr_array_index (participant->cids, i);
      g_autofree char *expected = g_strdup_printf ("c%u", i + 10);

      g_assert_cmpstr (cid->cid, ==, expected);
      g_assert_cmpint (cid->seq, ==, 41 + i);
      g_assert_cmpint (cid->time, ==, 1041 + i);
    }

  participant = g_ptr_array_index (participants, 2);
  g_assert_cmpstr (participant->nick, ==, "Gone");
  g_assert_cmpint (participant->left_at, ==, 9999);
}

static void
test_memory_round_trip (void)
{
  g_autoptr(TertuliaStore) store = tertulia_memory_store_new (20);

  check_round_trip (store, TRUE);
  g_assert_null (tertulia_store_get_failure (store));
}

static void
test_journal_round_trip (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(TertuliaStore) store = open_journal (fixture->dir);

  check_round_trip (store, FALSE);
  g_assert_null (tertulia_store_get_failure (store));
  g_assert_null (tertulia_journal_get_notice (TERTULIA_JOURNAL (store)));
}


/* Batching */

/* What is in the file, read once no journal has it open (it is the only
 * user while it does: locking_mode=EXCLUSIVE)
 */
static gint64
count_committed (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, TERTULIA_JOURNAL_FILE_NAME, NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 count = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM events", -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return count;
}

/* Runs @body on a journal in a child process that then dies of SIGKILL, as
 * a host does when it crashes or is killed: what @body left uncommitted is
 * lost, and so is the lock.
 */
static void
run_and_kill (const char *dir,
              void      (*body) (TertuliaStore *store))
{
  int status;
  pid_t pid = fork ();

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      body (open_journal (dir));
      kill (getpid (), SIGKILL);
      _exit (1);
    }

  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);
}

/* The main loop's work for now, and none of the next iteration's */
static void
iterate_once (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
append_no_commit (TertuliaStore *store)
{
  append_events (store, 1, 500);
}

static void
append_one_iteration (TertuliaStore *store)
{
  append_events (store, 1, 500);
  iterate_once ();
  append_events (store, 501, 510);
}

static void
append_flush (TertuliaStore *store)
{
  append_events (store, 1, 20);
  tertulia_store_flush (store);
  append_events (store, 21, 30);
}

static void
test_journal_batching (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *other = g_build_filename (fixture->dir, "other", NULL);
  g_autoptr(TertuliaStore) store = NULL;
  g_autoptr(GPtrArray) events = NULL;

  /* Not a commit per event: one iteration's events are one transaction */
  run_and_kill (fixture->dir, append_no_commit);
  g_assert_cmpint (count_committed (fixture->dir), ==, 0);

  /* Committed when the main loop comes round, the next ones not yet */
  run_and_kill (fixture->dir, append_one_iteration);
  g_assert_cmpint (count_committed (fixture->dir), ==, 500);

  /* Or at once when flushed */
  run_and_kill (other, append_flush);
  g_assert_cmpint (count_committed (other), ==, 20);

  /* The journal's own reads see what is not committed yet */
  store = open_journal (other);
  append_events (store, 21, 25);
  events = tertulia_store_dup_last (store, 1000);
  assert_events (events, 1, 25);
}


/* Reopening */

static void
test_journal_reopen (Fixture       *fixture,
                     gconstpointer  data)
{
  TertuliaStoreRoom room = {
    .room_id = (char *) "feedface",
    .name = (char *) "Hall",
    .topic = (char *) "",
    .next_participant_id = 8,
  };
  g_autoptr(TertuliaStore) store = open_journal (fixture->dir);
  g_autoptr(TertuliaStoreRoom) loaded = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) participants = NULL;
  g_autofree char *json = NULL;
  GPtrArray *cids;

  tertulia_store_set_room (store, &room);
  put_participant (store, 7, "Eva", 0);
  append_events (store, 1, 38);
  json = event_json (39);
  tertulia_store_append_message (store, 39, 1039, json, 7, "x2");
  g_free (json);
  json = event_json (40);
  tertulia_store_append_message (store, 40, 1040, json, 7, "x1");
  /* Closing keeps what the last iteration wrote */
  g_clear_object (&store);

  store = open_journal (fixture->dir);
  loaded = tertulia_store_dup_room (store);
  g_assert_nonnull (loaded);
  g_assert_cmpstr (loaded->room_id, ==, "feedface");
  g_assert_cmpstr (loaded->name, ==, "Hall");
  g_assert_cmpint (loaded->next_participant_id, ==, 8);
  g_assert_cmpint (loaded->last_seq, ==, 40);

  /* The room goes on where it was */
  append_events (store, 41, 45);
  tertulia_store_flush (store);
  events = tertulia_store_dup_last (store, 100);
  assert_events (events, 1, 45);

  participants = tertulia_store_dup_participants (store);
  g_assert_cmpuint (participants->len, ==, 1);
  g_assert_cmpstr (((TertuliaStoreParticipant *) g_ptr_array_index (participants, 0))->resume_key, ==, "key-7");
  cids = ((TertuliaStoreParticipant *) g_ptr_array_index (participants, 0))->cids;
  g_assert_cmpuint (cids->len, ==, 2);
  /* Oldest first */
  g_assert_cmpstr (((TertuliaStoreCid *) g_ptr_array_index (cids, 0))->cid, ==, "x2");
  g_assert_cmpint (((TertuliaStoreCid *) g_ptr_array_index (cids, 0))->seq, ==, 39);
  g_assert_cmpstr (((TertuliaStoreCid *) g_ptr_array_index (cids, 1))->cid, ==, "x1");
}

/* A host killed mid-chat keeps every committed iteration, and its lock
 * dies with it.
 */
static void
test_journal_killed (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(TertuliaStore) store = NULL;
  g_autoptr(TertuliaStoreRoom) loaded = NULL;
  g_autoptr(GPtrArray) events = NULL;
  int status;
  pid_t pid;

  pid = fork ();
  g_assert_cmpint (pid, >=, 0);

  if (pid == 0)
    {
      TertuliaStore *child = open_journal (fixture->dir);
      TertuliaStoreRoom room = { .room_id = (char *) "abc", .name = (char *) "R", .topic = (char *) "" };

      tertulia_store_set_room (child, &room);
      append_events (child, 1, 100);
      iterate_once ();
      /* Never committed: lost with the process, as no guest got them */
      append_events (child, 101, 105);
      kill (getpid (), SIGKILL);
      _exit (1);
    }

  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);

  store = open_journal (fixture->dir);
  loaded = tertulia_store_dup_room (store);
  g_assert_cmpstr (loaded->room_id, ==, "abc");
  g_assert_cmpint (loaded->last_seq, ==, 100);
  events = tertulia_store_dup_after (store, 0, 1000);
  assert_events (events, 1, 100);
}


/* A room's other durable state (its moderation, issue 18): kept by name,
 * replaced whole, and read back as it was written
 */
static void
check_state (TertuliaStore *store)
{
  g_autoptr(GBytes) first = g_bytes_new_static ("{\"locked\":true}", 15);
  g_autoptr(GBytes) second = g_bytes_new_static ("{\"locked\":false}", 16);
  g_autoptr(GBytes) loaded = NULL;

  g_assert_null (tertulia_store_dup_state (store, "moderation"));

  tertulia_store_save_state (store, "moderation", first);
  loaded = tertulia_store_dup_state (store, "moderation");
  g_assert_nonnull (loaded);
  g_assert_true (g_bytes_equal (loaded, first));
  g_clear_pointer (&loaded, g_bytes_unref);

  tertulia_store_save_state (store, "moderation", second);
  loaded = tertulia_store_dup_state (store, "moderation");
  g_assert_true (g_bytes_equal (loaded, second));
  g_assert_null (tertulia_store_dup_state (store, "other"));
}

static void
test_memory_state (void)
{
  g_autoptr(TertuliaStore) store = tertulia_memory_store_new (20);

  check_state (store);
}

static void
test_journal_state (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(TertuliaStore) store = open_journal (fixture->dir);
  g_autoptr(GBytes) loaded = NULL;
  g_autoptr(GBytes) expected = g_bytes_new_static ("{\"locked\":false}", 16);
  int status;
  pid_t pid;

  check_state (store);
  g_clear_object (&store);

  store = open_journal (fixture->dir);
  loaded = tertulia_store_dup_state (store, "moderation");
  g_assert_nonnull (loaded);
  g_assert_true (g_bytes_equal (loaded, expected));
  g_clear_object (&store);
  g_clear_pointer (&loaded, g_bytes_unref);

  /* Flushed, it outlives a host killed right after */
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      TertuliaStore *child = open_journal (fixture->dir);
      g_autoptr(GBytes) killed = g_bytes_new_static ("{\"slow\":5}", 10);

      tertulia_store_save_state (child, "moderation", killed);
      tertulia_store_flush (child);
      kill (getpid (), SIGKILL);
      _exit (1);
    }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));

  store = open_journal (fixture->dir);
  loaded = tertulia_store_dup_state (store, "moderation");
  g_assert_nonnull (loaded);
  g_assert_cmpmem (g_bytes_get_data (loaded, NULL), g_bytes_get_size (loaded), "{\"slow\":5}", 10);
}


/* Faults */

static void
test_journal_damaged (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, TERTULIA_JOURNAL_FILE_NAME, NULL);
  g_autofree char *garbage = NULL;
  g_autofree char *kept = NULL;
  g_autoptr(TertuliaStore) store = NULL;
  g_autoptr(TertuliaStoreRoom) room = NULL;
  g_autoptr(GError) error = NULL;
  const char *moved;
  const char *notice;

  garbage = g_strnfill (8192, 'x');
  memcpy (garbage, "not a database at all", 21);
  g_file_set_contents (path, garbage, 8192, &error);
  g_assert_no_error (error);

  store = open_journal (fixture->dir);

  /* Moved aside, whole, and said so */
  moved = tertulia_journal_get_moved_aside (TERTULIA_JOURNAL (store));
  g_assert_nonnull (moved);
  g_assert_true (g_str_has_prefix (moved, path));
  g_file_get_contents (moved, &kept, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kept, ==, garbage);
  notice = tertulia_journal_get_notice (TERTULIA_JOURNAL (store));
  g_assert_nonnull (notice);
  g_assert_nonnull (strstr (notice, moved));

  /* A new room that works */
  g_assert_null (tertulia_store_dup_room (store));
  check_round_trip (store, FALSE);
  g_clear_object (&store);

  store = open_journal (fixture->dir);
  g_assert_null (tertulia_journal_get_notice (TERTULIA_JOURNAL (store)));
  room = tertulia_store_dup_room (store);
  g_assert_cmpint (room->last_seq, ==, 30 + TERTULIA_STORE_CID_LIMIT + 11);
}

/* A valid file whose events were overwritten in the middle */
static void
test_journal_damaged_inside (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, TERTULIA_JOURNAL_FILE_NAME, NULL);
  g_autoptr(TertuliaStore) store = open_journal (fixture->dir);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  append_events (store, 1, 3000);
  g_clear_object (&store);

  /* Checkpointed into the main file on close; spoil its second half */
  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 64 * 1024);
  memset (contents + length / 2, 0x5a, 8192);
  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);

  store = open_journal (fixture->dir);
  g_assert_nonnull (tertulia_journal_get_moved_aside (TERTULIA_JOURNAL (store)));
  g_assert_null (tertulia_store_dup_room (store));
}

static guint failed_count;

static void
failed_cb (TertuliaStore *store,
           const GError  *error,
           gpointer       user_data)
{
  failed_count++;
}

/* A disk that fills up: the room goes on, the host is told once, and the
 * file keeps the last good commit. RLIMIT_FSIZE makes write() fail with
 * EFBIG (SIGXFSZ ignored) without needing a small filesystem.
 */
static void
test_journal_disk_full (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(TertuliaStore) store = open_journal (fixture->dir);
  TertuliaStoreRoom room = { .room_id = (char *) "full", .name = (char *) "R", .topic = (char *) "" };
  g_autoptr(TertuliaStoreRoom) loaded = NULL;
  struct rlimit old_limit, limit;
  const GError *failure;
  void (*old_handler) (int);
  gint64 seq = 0;

  tertulia_store_set_room (store, &room);
  append_events (store, 1, 10);
  tertulia_store_flush (store);
  seq = 10;

  g_signal_connect (store, "failed", G_CALLBACK (failed_cb), NULL);
  failed_count = 0;

  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &old_limit), ==, 0);
  old_handler = signal (SIGXFSZ, SIG_IGN);
  limit = old_limit;
  limit.rlim_cur = 256 * 1024;
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);

  /* Iterations of 100 events until the files cannot grow */
  while (tertulia_store_get_failure (store) == NULL && seq < 100000)
    {
      append_events (store, seq + 1, seq + 100);
      seq += 100;
      tertulia_store_flush (store);
    }

  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &old_limit), ==, 0);
  signal (SIGXFSZ, old_handler);

  failure = tertulia_store_get_failure (store);
  g_assert_nonnull (failure);
  g_assert_nonnull (strstr (failure->message, TERTULIA_JOURNAL_FILE_NAME));
  g_assert_cmpuint (failed_count, ==, 1);

  /* Writing on costs nothing and says nothing more */
  append_events (store, seq + 1, seq + 100);
  tertulia_store_flush (store);
  g_assert_cmpuint (failed_count, ==, 1);
  g_clear_object (&store);

  /* Reopened (with room again), the room continues from the last commit */
  store = open_journal (fixture->dir);
  g_assert_null (tertulia_journal_get_moved_aside (TERTULIA_JOURNAL (store)));
  loaded = tertulia_store_dup_room (store);
  g_assert_cmpstr (loaded->room_id, ==, "full");
  g_assert_cmpint (loaded->last_seq, >=, 10);
  g_assert_cmpint (loaded->last_seq, <, seq);
  g_assert_cmpint (loaded->last_seq % 100, ==, 10);
}

static void
test_journal_locked (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(TertuliaStore) first = open_journal (fixture->dir);
  g_autoptr(TertuliaJournal) second = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;

  second = tertulia_journal_open (fixture->dir, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_assert_null (second);
  g_assert_nonnull (strstr (error->message, fixture->dir));
  g_clear_error (&error);

  /* The first one is untouched, and once it is closed the room is free */
  append_events (first, 1, 3);
  g_clear_object (&first);
  first = open_journal (fixture->dir);
  events = tertulia_store_dup_after (first, 0, 100);
  assert_events (events, 1, 3);
}

static void
test_journal_unwritable (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *file = g_build_filename (fixture->dir, "a-file", NULL);
  g_autofree char *below = g_build_filename (file, "rooms", NULL);
  g_autoptr(TertuliaJournal) journal = NULL;
  g_autoptr(GError) error = NULL;

  g_file_set_contents (file, "", 0, &error);
  g_assert_no_error (error);

  journal = tertulia_journal_open (below, &error);
  g_assert_null (journal);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY);
  g_assert_nonnull (strstr (error->message, below));
}

/* The server in this process, on a journal: a guest that was in the room
 * when the host stopped is still in it when the host opens the journal
 * again, and resumes as itself; a resend of its last message is not posted
 * twice.
 */
static void
test_server_continues (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(TertuliaServer) server = NULL;
  g_autoptr(TertuliaClient) client = NULL;
  g_autoptr(TertuliaStore) store = open_journal (fixture->dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  g_autofree char *room_id = NULL;
  gint64 id, seq;
  guint port;

  server = tertulia_server_new_with_store ("Kept", 100, store);
  g_clear_object (&store);
  tertulia_server_listen (server, "127.0.0.1", 0, &error);
  g_assert_no_error (error);
  port = tertulia_server_get_port (server);
  address = g_strdup_printf ("127.0.0.1:%u", port);

  client = tertulia_client_new (address, "ana");
  connect_and_wait (client);
  g_assert_nonnull (tertulia_client_send_message (client, TERTULIA_MESSAGE_KIND_CHAT, "uno", &error));
  g_assert_no_error (error);
  WAIT_UNTIL (tertulia_room_get_last_seq (tertulia_client_get_room (client)) == 2);
  room_id = g_strdup (tertulia_room_get_id (tertulia_client_get_room (client)));
  id = tertulia_participant_get_id (you (client));
  seq = tertulia_room_get_last_seq (tertulia_client_get_room (client));

  /* The host stops; the journal is let go with the server */
  tertulia_server_shutdown (server, NULL);
  g_assert_finalize_object (g_steal_pointer (&server));
  WAIT_UNTIL (tertulia_client_get_state (client) == TERTULIA_CONNECTION_RECONNECTING);

  store = open_journal (fixture->dir);
  server = tertulia_server_new_with_store ("Kept", 100, store);
  g_assert_true (tertulia_server_get_store (server) == store);
  g_clear_object (&store);
  /* Back within its grace, before anyone came */
  g_assert_cmpuint (tertulia_server_get_n_participants (server), ==, 1);
  tertulia_server_listen (server, "127.0.0.1", port, &error);
  g_assert_no_error (error);

  tertulia_client_retry (client);
  WAIT_UNTIL (tertulia_client_get_state (client) == TERTULIA_CONNECTION_CONNECTED);
  g_assert_cmpstr (tertulia_room_get_id (tertulia_client_get_room (client)), ==, room_id);
  g_assert_cmpint (tertulia_participant_get_id (you (client)), ==, id);
  g_assert_cmpuint (count_notices (client, "The host opened the room again."), ==, 0);

  g_assert_nonnull (tertulia_client_send_message (client, TERTULIA_MESSAGE_KIND_CHAT, "dos", &error));
  WAIT_UNTIL (tertulia_room_get_last_seq (tertulia_client_get_room (client)) == seq + 1);
  g_assert_cmpuint (count_messages (client, "uno"), ==, 1);
  g_assert_cmpuint (count_messages (client, "dos"), ==, 1);
  g_assert_cmpuint (tertulia_server_get_n_participants (server), ==, 1);

  tertulia_client_disconnect (client);
  g_assert_finalize_object (g_steal_pointer (&client));
  tertulia_server_shutdown (server, NULL);
  g_assert_finalize_object (g_steal_pointer (&server));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/memory/round-trip", test_memory_round_trip);
  g_test_add_func ("/store/memory/state", test_memory_state);
  g_test_add ("/store/journal/state", Fixture, NULL, fixture_setup, test_journal_state, fixture_teardown);
  g_test_add ("/store/journal/round-trip", Fixture, NULL, fixture_setup, test_journal_round_trip, fixture_teardown);
  g_test_add ("/store/journal/batching", Fixture, NULL, fixture_setup, test_journal_batching, fixture_teardown);
  g_test_add ("/store/journal/reopen", Fixture, NULL, fixture_setup, test_journal_reopen, fixture_teardown);
  g_test_add ("/store/journal/killed", Fixture, NULL, fixture_setup, test_journal_killed, fixture_teardown);
  g_test_add ("/store/journal/damaged", Fixture, NULL, fixture_setup, test_journal_damaged, fixture_teardown);
  g_test_add ("/store/journal/damaged-inside", Fixture, NULL, fixture_setup, test_journal_damaged_inside, fixture_teardown);
  g_test_add ("/store/journal/disk-full", Fixture, NULL, fixture_setup, test_journal_disk_full, fixture_teardown);
  g_test_add ("/store/journal/locked", Fixture, NULL, fixture_setup, test_journal_locked, fixture_teardown);
  g_test_add ("/store/server/continues", Fixture, NULL, fixture_setup, test_server_continues, fixture_teardown);
  g_test_add ("/store/journal/unwritable", Fixture, NULL, fixture_setup, test_journal_unwritable, fixture_teardown);

  return g_test_run ();
}

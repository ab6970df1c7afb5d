/* bench-journal.c — how fast the host's SQLite journal takes events
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-journal [N_EVENTS]   (default 200 000)
 *
 * Appends N message events of a typical size (about 200 bytes of JSON)
 * into a fresh journal in a temporary directory, committing every BATCH
 * events the way the server's main loop does once per iteration, for a
 * few batch sizes; then reads back what a welcome, a resume and scrollback
 * read. Prints one JSON line per run (tests/bench/run-bench collects
 * them). Target (issue 16): at least 50 000 events/s.
 */

#define G_LOG_DOMAIN "bench-journal"

#include "config.h"

#include <sys/resource.h>

#include <glib/gstdio.h>

#include "tertulia-journal.h"

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_unlink (child);
    }
  g_rmdir (path);
}

/* CPU time, user and system, in µs: on a shared machine it moves much
 * less than the clock does.
 */
static gint64
cpu_usec (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);

  return (gint64) (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * G_USEC_PER_SEC +
         usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
}

static void
run (guint n_events,
     guint batch)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bench-journal-XXXXXX", &error);
  g_autoptr(TertuliaJournal) journal = NULL;
  g_autoptr(GPtrArray) events = NULL;
  TertuliaStore *store;
  TertuliaStoreRoom room = { .room_id = (char *) "bench", .name = (char *) "Bench", .topic = (char *) "" };
  gint64 start, elapsed, cpu_start, cpu, read_start;
  double welcome_ms, resume_ms, scrollback_ms;

  g_assert_no_error (error);
  journal = tertulia_journal_open (dir, &error);
  g_assert_no_error (error);
  store = TERTULIA_STORE (journal);
  tertulia_store_set_room (store, &room);
  tertulia_store_flush (store);

  start = g_get_monotonic_time ();
  cpu_start = cpu_usec ();
  for (guint i = 1; i <= n_events; i++)
    {
      char json[256];
      char cid[32];

      g_snprintf (json, sizeof json,
                  "{\"type\":\"message\",\"seq\":%u,\"time\":1765000000000,"
                  "\"from\":{\"id\":%u,\"nick\":\"Guest-%04u\"},\"kind\":\"text\","
                  "\"text\":\"a line of chat that is about as long as people type, %u\","
                  "\"cid\":\"c%u\"}", i, i % 100, i % 100, i, i);
      g_snprintf (cid, sizeof cid, "c%u", i);
      tertulia_store_append_message (store, i, 1765000000000 + i, json, i % 100, cid);
      if (i % batch == 0)
        tertulia_store_flush (store);
    }
  tertulia_store_flush (store);
  elapsed = g_get_monotonic_time () - start;
  cpu = cpu_usec () - cpu_start;

  read_start = g_get_monotonic_time ();
  events = tertulia_store_dup_last (store, 500);
  welcome_ms = (g_get_monotonic_time () - read_start) / 1000.0;
  g_clear_pointer (&events, g_ptr_array_unref);

  read_start = g_get_monotonic_time ();
  events = tertulia_store_dup_after (store, n_events - 300, 500);
  resume_ms = (g_get_monotonic_time () - read_start) / 1000.0;
  g_clear_pointer (&events, g_ptr_array_unref);

  read_start = g_get_monotonic_time ();
  events = tertulia_store_dup_before (store, n_events / 2, 100);
  scrollback_ms = (g_get_monotonic_time () - read_start) / 1000.0;
  g_clear_pointer (&events, g_ptr_array_unref);

  g_print ("{\"scenario\":\"journal-ingest\",\"events\":%u,\"events_per_commit\":%u,"
           "\"events_per_s\":%.0f,\"events_per_cpu_s\":%.0f,\"cpu_us_per_event\":%.2f,"
           "\"target\":50000,\"meets_target\":%s,"
           "\"last_500_ms\":%.2f,\"resume_300_ms\":%.2f,\"scrollback_100_ms\":%.2f}\n",
           n_events, batch, n_events / (elapsed / 1e6), n_events / (cpu / 1e6), (double) cpu / n_events,
           n_events / (elapsed / 1e6) >= 50000 ? "true" : "false",
           welcome_ms, resume_ms, scrollback_ms);

  g_clear_object (&journal);
  remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  guint n_events = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 200000;
  /* 1: one event per iteration, the worst case (every commit is a WAL
   * append); 10 and 100: iterations of a busy room.
   */
  static const guint batches[] = { 1, 10, 100, 1000 };

  for (guint i = 0; i < G_N_ELEMENTS (batches); i++)
    run (batches[i] == 1 ? MIN (n_events, 50000) : n_events, batches[i]);

  return 0;
}

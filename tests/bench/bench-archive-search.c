/* bench-archive-search.c — searching the app's archive of a million messages
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-archive-search [N_MESSAGES [KEEP_DIR]]   (default 1 000 000)
 *
 * With KEEP_DIR the archive is kept there, and one already there (of the
 * same N) is searched again without being filled.
 *
 * Fills a fresh archive in a temporary directory with N messages of one
 * room (8 to 20 words each from a vocabulary of 5 000 made-up words with
 * a Zipf-like spread, so that some words are in every tenth message and
 * most are rare), the way the app keeps them (one transaction per
 * main-loop turn of 100), then times tertulia_archive_search() to the
 * first page of results (50, what the search bar shows) for words of each
 * kind, as people type them: whole words, prefixes, two words, nothing
 * found. Prints one JSON line. Target (issue 16): < 50 ms.
 */

#define G_LOG_DOMAIN "bench-archive"

#include "config.h"

#include <math.h>
#include <time.h>

#include <glib/gstdio.h>

#include "tertulia-archive.h"
#include "tertulia-test-utils.h"

#define N_WORDS 5000
#define PAGE 50
#define RUNS 7

static const char * const syllables[] = {
  "ca", "sa", "ma", "lo", "pe", "ri", "tu", "no", "de", "la", "mi", "so", "ra", "te", "ve",
  "gu", "fi", "be", "co", "da", "ne", "pi", "qui", "ro", "ta", "ble", "tra", "cho", "llo", "ña",
};

static char *
make_word (GRand *rand)
{
  GString *word = g_string_new (NULL);
  guint n = g_rand_int_range (rand, 2, 5);

  for (guint i = 0; i < n; i++)
    g_string_append (word, syllables[g_rand_int_range (rand, 0, G_N_ELEMENTS (syllables))]);

  return g_string_free (word, FALSE);
}

/* Rank r is picked with a probability of about 1/r */
static guint
zipf (GRand *rand)
{
  double u = g_rand_double (rand);

  return (guint) MIN (N_WORDS - 1, exp (u * log (N_WORDS)) - 1);
}

/* CPU time of this thread: on a shared machine it moves much less than
 * the clock does.
 */
static gint64
cpu_usec (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);

  return (gint64) now.tv_sec * G_USEC_PER_SEC + now.tv_nsec / 1000;
}

static double
median (double *values,
        guint   n)
{
  for (guint i = 1; i < n; i++)
    for (guint j = i; j > 0 && values[j - 1] > values[j]; j--)
      {
        double swap = values[j];

        values[j] = values[j - 1];
        values[j - 1] = swap;
      }

  return values[n / 2];
}

int
main (int   argc,
      char *argv[])
{
  guint n_messages = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 1000000;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = argc > 2 ? g_strdup (argv[2]) : g_dir_make_tmp ("bench-archive-XXXXXX", &error);
  gboolean reuse;
  g_autofree char *path = NULL;
  g_autoptr(TertuliaArchive) archive = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (16);
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) line = g_string_new (NULL);
  g_autoptr(GDateTime) start_time = g_date_time_new_from_unix_utc (1700000000);
  g_autofree char *prefix2 = NULL;
  g_autofree char *prefix3 = NULL;
  g_autofree char *two = NULL;
  gint64 t0, t1;
  double worst = 0;
  struct {
    const char *kind;
    char       *words;
  } queries[8];
  guint n_queries = 0;
  GStatBuf file;

  g_assert_no_error (error);
  path = g_build_filename (dir, TERTULIA_ARCHIVE_FILE_NAME, NULL);
  reuse = argc > 2 && g_file_test (path, G_FILE_TEST_EXISTS);
  archive = tertulia_archive_open (path, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < N_WORDS; i++)
    g_ptr_array_add (words, make_word (rand));

  tertulia_archive_update_room (archive, "bench-room", "Bench", "", "127.0.0.1:7878", 0);
  t0 = g_get_monotonic_time ();
  for (guint seq = 1; seq <= n_messages && !reuse; seq++)
    {
      g_autoptr(TertuliaMessage) message = NULL;
      g_autoptr(GDateTime) time = g_date_time_add_seconds (start_time, seq);
      g_autoptr(GString) text = g_string_new (NULL);
      guint n = g_rand_int_range (rand, 8, 21);

      for (guint i = 0; i < n; i++)
        {
          if (i > 0)
            g_string_append_c (text, ' ');
          g_string_append (text, g_ptr_array_index (words, zipf (rand)));
        }

      message = tertulia_message_new (TERTULIA_MESSAGE_KIND_CHAT, seq, seq % 7, "someone", text->str, time);
      tertulia_archive_record_message (archive, "bench-room", message);
      if (seq % 100 == 0)
        tertulia_archive_flush (archive);
    }
  tertulia_archive_flush (archive);
  t1 = g_get_monotonic_time ();

  /* Close and open again: searches start from a cold connection, with
   * the file in the page cache as after any recent use.
   */
  g_clear_object (&archive);
  archive = tertulia_archive_open (path, &error);
  g_assert_no_error (error);

  prefix2 = g_strndup (g_ptr_array_index (words, 3), 2);
  prefix3 = g_strndup (g_ptr_array_index (words, 40), 3);
  two = g_strdup_printf ("%s %s", (char *) g_ptr_array_index (words, 1),
                         (char *) g_ptr_array_index (words, 30));
  queries[n_queries].kind = "common word";
  queries[n_queries++].words = g_strdup (g_ptr_array_index (words, 0));
  queries[n_queries].kind = "mid word";
  queries[n_queries++].words = g_strdup (g_ptr_array_index (words, 200));
  queries[n_queries].kind = "rare word";
  queries[n_queries++].words = g_strdup (g_ptr_array_index (words, N_WORDS - 2));
  queries[n_queries].kind = "2-letter prefix";
  queries[n_queries++].words = g_strdup (prefix2);
  queries[n_queries].kind = "3-letter prefix";
  queries[n_queries++].words = g_strdup (prefix3);
  queries[n_queries].kind = "two words";
  queries[n_queries++].words = g_strdup (two);
  queries[n_queries].kind = "not found";
  queries[n_queries++].words = g_strdup ("zzzyyyxxx");
  queries[n_queries].kind = "fts syntax";
  queries[n_queries++].words = g_strdup ("\"NEAR( ca* OR");

  if (g_stat (path, &file) != 0)
    file.st_size = 0;
  /* A kept archive was not filled: no ingest figure */
  g_string_append_printf (line, "{\"scenario\": \"archive-search\", \"messages\": %u, "
                          "\"ingest_messages_per_s\": %.0f, \"file_mb\": %.1f, \"page\": %d, \"queries\": [",
                          n_messages, reuse ? 0.0 : n_messages / ((t1 - t0) / 1e6), file.st_size / 1e6, PAGE);

  for (guint q = 0; q < n_queries; q++)
    {
      double times[RUNS];
      double cpu[RUNS];
      double first;
      guint hits = 0;

      for (guint r = 0; r < RUNS; r++)
        {
          g_autoptr(GPtrArray) results = NULL;
          gint64 start = g_get_monotonic_time ();
          gint64 cpu_start = cpu_usec ();

          results = tertulia_archive_search (archive, "bench-room", queries[q].words, PAGE);
          times[r] = (g_get_monotonic_time () - start) / 1000.0;
          cpu[r] = (cpu_usec () - cpu_start) / 1000.0;
          hits = results->len;
        }

      first = times[0];
      worst = MAX (worst, median (times, RUNS));
      g_string_append_printf (line, "%s{\"kind\": \"%s\", \"words\": \"%s\", \"results\": %u, "
                              "\"first_ms\": %.2f, \"median_ms\": %.2f, \"median_cpu_ms\": %.2f}",
                              q > 0 ? ", " : "", queries[q].kind,
                              strchr (queries[q].words, '"') != NULL ? "(quoted)" : queries[q].words,
                              hits, first, median (times, RUNS), median (cpu, RUNS));
      g_free (queries[q].words);
    }

  g_string_append_printf (line, "], \"worst_median_ms\": %.2f, \"target\": \"first page of results < 50 ms\", "
                          "\"meets_target\": %s}",
                          worst, worst < 50 ? "true" : "false");
  g_print ("%s\n", line->str);

  g_clear_object (&archive);
  if (argc <= 2)
    tertulia_test_remove_tree (dir);

  return 0;
}

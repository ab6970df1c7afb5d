/* tertulia-test-utils.h — helpers shared by the tests
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <glib/gstdio.h>

/* Iterates the default main context until @cond holds, failing the test
 * after 10 seconds (libsoup's websocket-test.c does the same).
 */
static inline gboolean
tertulia_test_wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* How many times slower than plain a test runs here: under valgrind ten,
 * under ASan four (a first TLS handshake there took 1.6 s where a plain
 * build takes well under 0.5); time limits that a user would notice scale
 * with it.
 */
static inline guint
tertulia_test_slowness (void)
{
  if (g_getenv ("TERTULIA_UNDER_VALGRIND") != NULL)
    return 10;
  if (g_getenv ("TERTULIA_UNDER_ASAN") != NULL)
    return 4;
  return 1;
}

#define WAIT_UNTIL(cond)                                                     \
  G_STMT_START {                                                             \
    gint64 _wait_deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;   \
    guint _wake_id = g_timeout_add (20, tertulia_test_wake_cb, NULL);        \
    while (!(cond))                                                          \
      {                                                                      \
        if (g_get_monotonic_time () > _wait_deadline)                        \
          g_error ("Timed out waiting for: %s", #cond);                      \
        g_main_context_iteration (NULL, TRUE);                               \
      }                                                                      \
    g_source_remove (_wake_id);                                              \
  } G_STMT_END

/* Iterates the default main context for @msec milliseconds. */
static inline void
tertulia_test_spin (guint msec)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) msec * 1000;

  guint wake_id = g_timeout_add (10, tertulia_test_wake_cb, NULL);

  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake_id);
}

/* Deletes @path, and everything under it if it is a directory. */
static inline void
tertulia_test_remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      GDir *dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          char *child = g_build_filename (path, name, NULL);

          tertulia_test_remove_tree (child);
          g_free (child);
        }
      g_clear_pointer (&dir, g_dir_close);
      g_rmdir (path);
    }
  else
    {
      g_unlink (path);
    }
}

static inline void
tertulia_test_subprocess_exited_cb (GObject      *source,
                                    GAsyncResult *result,
                                    gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *done = TRUE;
}

/* Iterates the default main context until @process has exited (a signal
 * sent to it, or its own end), as WAIT_UNTIL does.
 */
static inline void
tertulia_test_wait_subprocess (GSubprocess *process)
{
  gboolean done = FALSE;

  g_subprocess_wait_async (process, NULL, tertulia_test_subprocess_exited_cb, &done);
  WAIT_UNTIL (done);
}

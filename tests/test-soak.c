/* test-soak.c — a night of phones sleeping and waking: connections come and
 * go by the ten thousand, and the host does not grow
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* tertulia-server runs as a subprocess; each round opens and closes
 * ROUND_CYCLES connections (WebSocket upgrades, page loads and bad
 * requests, a third each; 24 000 in all),
 * then waits until the host has let go of them. A third of them are
 * requests libsoup would lose 16 KB of (see tertulia-server-head.h). Its
 * RSS after the first round is the baseline (allocator pools, caches); later rounds must not
 * add to it. libsoup 3.2.3 alone kept ~340 bytes per accepted connection
 * (a GSocket) and ~1.8 KB per page load (a kept-alive connection it never
 * closed): 2 MB and more per round.
 */

#define G_LOG_DOMAIN "tertulia-test-soak"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tertulia-test-ws.h"

#define ROUNDS        4
#define ROUND_CYCLES  6000
/* What the later rounds may add over the first one's RSS, all together:
 * the allocator's noise stays under it, a leak of 100 bytes a connection
 * does not
 */
#define MAX_GROWTH_KIB 1536

/* Reads until the host closes */
static void
read_to_end (int fd)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      struct pollfd pfd = { fd, POLLIN, 0 };
      char buffer[8192];
      gssize n;

      if (poll (&pfd, 1, 100) <= 0)
        continue;
      n = recv (fd, buffer, sizeof buffer, MSG_DONTWAIT);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
        return;
    }

  g_error ("the host did not close a page load's connection");
}

/* A request whose head libsoup 3.2.3 would parse and lose its target of:
 * a Transfer-Encoding it does not know, and a 16 KB path
 */
static char *
dup_bad_head (void)
{
  GString *head = g_string_new ("GET /");

  for (guint i = 0; i < 16 * 1024; i++)
    g_string_append_c (head, 'a');
  g_string_append (head, " HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: gzip\r\n\r\n");

  return g_string_free (head, FALSE);
}

static void
cycle (guint       port,
       const char *from,
       guint       i)
{
  static char *bad_head = NULL;

  if (bad_head == NULL)
    bad_head = dup_bad_head ();

  if (i % 3 == 0)
    {
      TestWs *ws = NULL;
      guint status = test_ws_try_connect_from (port, FALSE, from, &ws);

      if (status != 101)
        g_error ("upgrade %u: HTTP %u", i, status);
      test_ws_free (ws);
    }
  else
    {
      static const char request[] = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
      const char *text = i % 3 == 1 ? request : bad_head;
      int fd = test_raw_connect (port, from);

      g_assert_cmpint (send (fd, text, strlen (text), MSG_NOSIGNAL), ==, (gssize) strlen (text));
      read_to_end (fd);
      close (fd);
    }
}

static void
test_soak (void)
{
  const char *server_path = g_getenv ("TERTULIA_SERVER");
  const char * const argv[] = {
    server_path, "--bind=127.0.0.1", "--port=0", "--no-announce",
    "--max-connections-per-address=0", NULL
  };
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log_path = NULL;
  guint64 rss[ROUNDS];
  guint fds_before;
  GPid pid;
  guint port;
  int log_fd;

  if (server_path == NULL || !g_file_test (server_path, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("TERTULIA_SERVER does not name the tertulia-server program");
      return;
    }

  log_fd = g_file_open_tmp ("tertulia-soak-XXXXXX.log", &log_path, &error);
  g_assert_no_error (error);
  close (log_fd);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_set_stdout_file_path (launcher, log_path);
  g_subprocess_launcher_set_stderr_file_path (launcher, log_path);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_set_child_setup (launcher, test_die_with_parent, NULL, NULL);
  server = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  pid = (GPid) g_ascii_strtoll (g_subprocess_get_identifier (server), NULL, 10);
  port = test_server_wait_for_port (log_path);
  fds_before = test_proc_n_fds (pid);

  for (guint round = 0; round < ROUNDS; round++)
    {
      /* A loopback address per round spreads the client's TIME_WAITs */
      g_autofree char *from = g_strdup_printf ("127.0.1.%u", round + 1);
      gint64 start = g_get_monotonic_time ();
      gint64 deadline;

      for (guint i = 0; i < ROUND_CYCLES; i++)
        cycle (port, from, i);

      /* The host lets go of the last ones */
      deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
      while (test_proc_n_fds (pid) > fds_before && g_get_monotonic_time () < deadline)
        g_usleep (50 * 1000);
      g_assert_cmpuint (test_proc_n_fds (pid), <=, fds_before);

      rss[round] = test_proc_rss_kib (pid);
      g_test_message ("round %u: %u connections in %" G_GINT64_FORMAT " ms; host RSS %" G_GUINT64_FORMAT " KiB",
                      round + 1, ROUND_CYCLES, (g_get_monotonic_time () - start) / 1000, rss[round]);
    }

  if (test_rss_is_meaningful ())
    g_assert_cmpuint (rss[ROUNDS - 1], <, rss[0] + MAX_GROWTH_KIB);

  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
  g_assert_true (g_subprocess_get_if_exited (server));
  g_assert_cmpint (g_subprocess_get_exit_status (server), ==, 0);
  g_unlink (log_path);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  signal (SIGPIPE, SIG_IGN);

  g_test_add_func ("/soak/connections", test_soak);

  return g_test_run ();
}

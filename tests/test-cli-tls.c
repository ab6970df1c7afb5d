/* test-cli-tls.c — the terminal tools and encryption: the fingerprint, its warning, plain-text passwords, tertulia-server's certificate options
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-cli-tls"

#include "config.h"

#include <signal.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "tertulia-address.h"
#include "tertulia-fingerprint.h"
#include "tertulia-host-identity.h"
#include "tertulia-server.h"
#include "tertulia-test-client.h"

typedef struct
{
  TertuliaServer *server;
  char           *address;
  char           *dir;
} Fixture;

static void
start_host (Fixture  *fixture,
            gboolean  tls)
{
  g_autoptr(GError) error = NULL;

  fixture->server = tertulia_server_new ("Sala de terminal");
  if (tls)
    {
      g_autoptr(GTlsCertificate) certificate = tertulia_host_identity_new_ephemeral (&error);

      g_assert_no_error (error);
      tertulia_server_set_tls_certificate (fixture->server, certificate);
    }
  g_assert_true (tertulia_server_listen (fixture->server, "127.0.0.1", 0, &error));
  fixture->address = g_strdup_printf ("127.0.0.1:%u", tertulia_server_get_port (fixture->server));
  fixture->dir = g_dir_make_tmp ("tertulia-cli-tls-XXXXXX", NULL);
}

static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  start_host (fixture, TRUE);
}

static void
setup_plain (Fixture       *fixture,
             gconstpointer  data)
{
  start_host (fixture, FALSE);
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  tertulia_test_server_stop (&fixture->server);
  tertulia_test_remove_tree (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
  g_clear_pointer (&fixture->address, g_free);
}

typedef struct
{
  gboolean  done;
  int       status;
  char     *out;
  char     *err;
} Run;

static void
run_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (G_SUBPROCESS (object));
  run->done = TRUE;
}

/* tertulia-cli with standard input that ends at once (it leaves right
 * after joining), the host running meanwhile in this process
 */
static void
run_cli (Fixture            *fixture,
         const char * const *args,
         Run                *run)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (char *) g_getenv ("TERTULIA_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  /* Pins, if any, in the test's own place */
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", fixture->dir, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  run->done = FALSE;
  g_subprocess_communicate_utf8_async (process, "", NULL, run_done_cb, run);
  WAIT_UNTIL (run->done);
}

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

static void
assert_contains (const char *text,
                 const char *needle)
{
  if (strstr (text, needle) == NULL)
    g_error ("“%s” is not in:\n%s", needle, text);
}

/* Joined over TLS by default, and says so with the fingerprint */
static void
test_encrypted (Fixture       *fixture,
                gconstpointer  data)
{
  const char *args[] = { fixture->address, "--nick", "cli", NULL };
  g_autofree char *formatted = tertulia_fingerprint_format (tertulia_server_get_fingerprint (fixture->server));
  Run run = { 0 };

  run_cli (fixture, args, &run);
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "Connected to “Sala de terminal” as cli.");
  assert_contains (run.out, "The connection is encrypted. The host’s fingerprint: ");
  assert_contains (run.out, formatted);
  run_clear (&run);
}

static void
line_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Another host at the address while tertulia-cli is in the room: at its
 * reconnection, the warning and the end, nothing said to the impostor
 */
static void
test_mismatch_on_reconnect (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GTlsCertificate) impostor = tertulia_host_identity_new_ephemeral (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) err = g_string_new (NULL);
  guint port = tertulia_server_get_port (fixture->server);
  gboolean exited = FALSE;
  char *line;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", fixture->dir, TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("TERTULIA_CLI"),
                                         fixture->address, "--nick", "cli", "--loopback-is-network", NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));

  /* In the room, as it says */
  while (TRUE)
    {
      g_autofree char *said = NULL;
      g_autoptr(GAsyncResult) result = NULL;

      g_data_input_stream_read_line_async (lines, G_PRIORITY_DEFAULT, NULL, line_read_cb, &result);
      WAIT_UNTIL (result != NULL);
      said = g_data_input_stream_read_line_finish_utf8 (lines, result, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (said);
      if (strstr (said, "The connection is encrypted") != NULL)
        break;
    }
  tertulia_test_server_stop (&fixture->server);

  {
    g_autoptr(TertuliaServer) server = tertulia_server_new ("Sala de terminal");

    tertulia_server_set_tls_certificate (server, impostor);
    g_assert_true (tertulia_server_listen (server, "127.0.0.1", port, &error));
    fixture->server = g_steal_pointer (&server);
  }

  g_subprocess_wait_async (process, NULL, tertulia_test_subprocess_exited_cb, &exited);
  WAIT_UNTIL (exited);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 2);
  while ((line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error)) != NULL)
    {
      g_string_append_printf (err, "%s\n", line);
      g_free (line);
    }
  g_assert_no_error (error);
  assert_contains (err->str, "WARNING: THIS IS NOT THE HOST YOU EXPECTED.");
  g_assert_cmpuint (tertulia_server_get_n_participants (fixture->server), ==, 0);
}

/* An invitation whose fingerprint is not the host's: the loud warning with
 * both fingerprints, nothing sent, a failure status; and trusted on demand
 */
static void
test_mismatch (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GTlsCertificate) other = tertulia_host_identity_new_ephemeral (NULL);
  g_autofree char *other_fp = tertulia_fingerprint_from_certificate (other);
  g_autofree char *link = tertulia_address_build_invitation ("127.0.0.1",
                                                             tertulia_server_get_port (fixture->server),
                                                             other_fp, FALSE);
  g_autofree char *expected = tertulia_fingerprint_format (other_fp);
  g_autofree char *presented = tertulia_fingerprint_format (tertulia_server_get_fingerprint (fixture->server));
  const char *args[] = { link, "--nick", "cli", NULL };
  const char *trusting[] = { link, "--nick", "cli", "--trust-new-fingerprint", NULL };
  Run run = { 0 };

  run_cli (fixture, args, &run);
  g_assert_cmpint (run.status, ==, 2);
  assert_contains (run.err, "WARNING: THIS IS NOT THE HOST YOU EXPECTED.");
  assert_contains (run.err, expected);
  assert_contains (run.err, presented);
  assert_contains (run.err, "--trust-new-fingerprint");
  g_assert_null (strstr (run.out, "Connected to"));
  run_clear (&run);

  run_cli (fixture, trusting, &run);
  if (run.status != 0)
    g_error ("tertulia-cli failed:\n%s\n%s", run.out, run.err);
  assert_contains (run.err, "Trusting the host’s new fingerprint");
  assert_contains (run.out, "The connection is encrypted.");
  run_clear (&run);
}

/* A room that is not encrypted: said on joining; its password is not sent
 * without the person's yes (here, without a terminal to ask on, the option)
 */
static void
test_plain_password (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *password_file = g_build_filename (fixture->dir, "password", NULL);
  const char *args[] = { fixture->address, "--nick", "cli", "--password-file", password_file,
                         "--loopback-is-network", NULL };
  const char *allowed[] = { fixture->address, "--nick", "cli", "--password-file", password_file,
                            "--loopback-is-network", "--allow-plain-password", NULL };
  Run run = { 0 };

  g_assert_true (g_file_set_contents_full (password_file, "sésamo\n", -1,
                                           G_FILE_SET_CONTENTS_NONE, 0600, NULL));
  tertulia_server_set_password (fixture->server, "sésamo");

  run_cli (fixture, args, &run);
  g_assert_cmpint (run.status, ==, 2);
  assert_contains (run.err, "is not encrypted");
  assert_contains (run.err, "--allow-plain-password");
  g_assert_null (strstr (run.out, "Connected to"));
  run_clear (&run);

  /* One password try a second from an address */
  tertulia_test_spin (1100);
  run_cli (fixture, allowed, &run);
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "Connected to “Sala de terminal” as cli.");
  assert_contains (run.out, "The connection is not encrypted");
  run_clear (&run);
}

/* On a terminal it asks, saying why; "y" sends it */
static void
test_plain_password_prompt (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *tmux = g_find_program_in_path ("tmux");
  g_autofree char *socket_name = g_strdup_printf ("tertulia-cli-tls-%d", (int) getpid ());
  g_autofree char *password_file = g_build_filename (fixture->dir, "password", NULL);
  g_autofree char *command = NULL;
  gboolean asked = FALSE;
  gboolean joined = FALSE;
  gint64 deadline;

  if (tmux == NULL)
    {
      g_test_skip ("tmux is not installed");
      return;
    }

  g_assert_true (g_file_set_contents_full (password_file, "sésamo\n", -1,
                                           G_FILE_SET_CONTENTS_NONE, 0600, NULL));
  tertulia_server_set_password (fixture->server, "sésamo");
  command = g_strdup_printf ("XDG_DATA_HOME=%s %s %s --nick cli --password-file %s --loopback-is-network",
                             fixture->dir, g_getenv ("TERTULIA_CLI"), fixture->address, password_file);

  {
    const char *argv[] = { "tmux", "-L", socket_name, "new-session", "-d", "-s", "cli",
                           "-x", "160", "-y", "50", command, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH,
                                 NULL, NULL, NULL, NULL, NULL, NULL));
  }

  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!joined && g_get_monotonic_time () < deadline)
    {
      const char *capture[] = { "tmux", "-L", socket_name, "capture-pane", "-p", "-J", "-t", "cli", NULL };
      g_autofree char *screen = NULL;

      tertulia_test_spin (100);
      g_spawn_sync (NULL, (char **) capture, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                    NULL, NULL, &screen, NULL, NULL, NULL);
      if (screen == NULL)
        continue;

      if (!asked && strstr (screen, "Send the password anyway? [y/N]") != NULL)
        {
          const char *keys[] = { "tmux", "-L", socket_name, "send-keys", "-t", "cli", "y", "Enter", NULL };

          g_assert_nonnull (strstr (screen, "is not encrypted"));
          /* Nothing went before the answer */
          g_assert_cmpuint (tertulia_server_get_n_participants (fixture->server), ==, 0);
          asked = TRUE;
          g_spawn_sync (NULL, (char **) keys, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
        }

      joined = asked && strstr (screen, "The connection is not encrypted") != NULL;
    }

  if (joined)
    g_assert_cmpuint (tertulia_server_get_n_participants (fixture->server), ==, 1);

  {
    const char *kill[] = { "tmux", "-L", socket_name, "kill-server", NULL };

    g_spawn_sync (NULL, (char **) kill, NULL,
                  G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                  NULL, NULL, NULL, NULL, NULL, NULL);
  }

  g_assert_true (asked);
  g_assert_true (joined);
}

/* tertulia-server's banner up to "Press Ctrl+C" (then it is stopped), or
 * all it printed when it exits by itself; its exit status in @status
 */
static char *
run_server (const char * const *args,
            int                *status)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  char *line;

  g_ptr_array_add (argv, (char *) g_getenv ("TERTULIA_SERVER"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE, &error);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));

  while ((line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, NULL)) != NULL)
    {
      g_string_append_printf (out, "%s\n", line);
      if (g_str_has_prefix (line, "Press Ctrl+C"))
        g_subprocess_send_signal (process, SIGTERM);
      g_free (line);
    }

  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  *status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The host's certificate: kept in the data directory (the same fingerprint
 * at the next start), given in files, or none; the options that cannot go
 * together are refused
 */
static void
test_server_options (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tertulia-server-tls-XXXXXX", NULL);
  g_autofree char *cert = g_build_filename (dir, "host-identity", "cert.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "host-identity", "key.pem", NULL);
  g_autofree char *first = NULL;
  g_autofree char *again = NULL;
  g_autofree char *given = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *ephemeral = NULL;
  g_autofree char *formatted = NULL;
  g_autoptr(GTlsCertificate) kept = NULL;
  const char *kept_args[] = { "--port", "0", "--bind", "127.0.0.1", "--no-announce", "--data-dir", dir, NULL };
  const char *file_args[] = { "--port", "0", "--bind", "127.0.0.1", "--no-announce", "--ephemeral",
                              "--tls-cert", cert, "--tls-key", key, NULL };
  const char *plain_args[] = { "--port", "0", "--bind", "127.0.0.1", "--no-announce", "--no-tls", NULL };
  const char *new_args[] = { "--port", "0", "--bind", "127.0.0.1", "--no-announce", NULL };
  const char *half[] = { "--port", "0", "--tls-cert", cert, NULL };
  const char *both[] = { "--port", "0", "--no-tls", "--https-for-browsers", NULL };
  int status = -1;

  if (g_getenv ("TERTULIA_SERVER") == NULL)
    {
      g_test_skip ("TERTULIA_SERVER is not set");
      return;
    }

  first = run_server (kept_args, &status);
  g_assert_cmpint (status, ==, 0);
  kept = tertulia_host_identity_load_files (cert, key, NULL);
  g_assert_nonnull (kept);
  {
    g_autofree char *fp = tertulia_fingerprint_from_certificate (kept);

    formatted = tertulia_fingerprint_format (fp);
  }
  assert_contains (first, "apps connect to wss://127.0.0.1:");
  assert_contains (first, formatted);
  g_assert_null (strstr (first, "new each time"));

  again = run_server (kept_args, &status);
  assert_contains (again, formatted);

  given = run_server (file_args, &status);
  g_assert_cmpint (status, ==, 0);
  assert_contains (given, formatted);

  ephemeral = run_server (new_args, &status);
  assert_contains (ephemeral, "Encrypted.");
  assert_contains (ephemeral, "new each time the room opens");
  g_assert_null (strstr (ephemeral, formatted));

  plain = run_server (plain_args, &status);
  assert_contains (plain, "Not encrypted (--no-tls)");
  assert_contains (plain, "apps connect to ws://127.0.0.1:");

  g_free (run_server (half, &status));
  g_assert_cmpint (status, ==, 1);
  g_free (run_server (both, &status));
  g_assert_cmpint (status, ==, 1);

  tertulia_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli-tls/server-options", test_server_options);
  g_test_add ("/cli-tls/encrypted", Fixture, NULL, setup, test_encrypted, teardown);
  g_test_add ("/cli-tls/mismatch", Fixture, NULL, setup, test_mismatch, teardown);
  g_test_add ("/cli-tls/mismatch-on-reconnect", Fixture, NULL, setup, test_mismatch_on_reconnect, teardown);
  g_test_add ("/cli-tls/plain-password", Fixture, NULL, setup_plain, test_plain_password, teardown);
  g_test_add ("/cli-tls/plain-password-prompt", Fixture, NULL, setup_plain,
              test_plain_password_prompt, teardown);

  return g_test_run ();
}

/* test-cli.c — tertulia-cli driven in tmux, chatting with a core client
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "tertulia-client.h"
#include "tertulia-memory-store.h"
#include "tertulia-server.h"
#include "tertulia-test-refuser.h"
#include "tertulia-test-store.h"
#include "tertulia-test-utils.h"

typedef struct
{
  TertuliaServer *server;
  TertuliaClient *peer;
  char           *socket_name;
  char           *exit_file;
  char           *cli;
  gboolean        tmux_running;
} Fixture;

static guint n_tmux_servers;

static gboolean
have_tmux (void)
{
  g_autofree char *path = g_find_program_in_path ("tmux");

  return path != NULL;
}

static void
tmux (Fixture    *fixture,
      const char *first_arg,
      ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  va_list args;

  g_ptr_array_add (argv, (char *) "tmux");
  g_ptr_array_add (argv, (char *) "-L");
  g_ptr_array_add (argv, fixture->socket_name);
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH,
                NULL, NULL, NULL, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("tmux %s failed: %s", first_arg, err);
}

static char *
capture_pane (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "tmux", "-L", fixture->socket_name, "capture-pane", "-p",
                         "-J", "-S", "-200", "-t", "cli", NULL };
  char *out = NULL;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &out, NULL, NULL, &error);
  g_assert_no_error (error);
  return out;
}

static gboolean
pane_contains (Fixture    *fixture,
               const char *needle)
{
  g_autofree char *screen = capture_pane (fixture);

  return strstr (screen, needle) != NULL;
}

static void
start_cli_at (Fixture    *fixture,
              guint       port,
              const char *nick)
{
  g_autofree char *command = NULL;
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", port);

  /* The exit status lands in a file: that is how the test sees /quit exit 0. */
  command = g_strdup_printf ("%s %s --nick %s; echo $? > %s",
                             fixture->cli, address, nick, fixture->exit_file);
  tmux (fixture, "new-session", "-d", "-s", "cli", "-x", "160", "-y", "50", command, NULL);
  fixture->tmux_running = TRUE;
}

static void
start_cli_in_tmux (Fixture    *fixture,
                   const char *nick)
{
  start_cli_at (fixture, tertulia_server_get_port (fixture->server), nick);
}

static gboolean
cli_exited (Fixture *fixture,
            int     *status)
{
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (fixture->exit_file, &contents, NULL, NULL))
    return FALSE;
  *status = atoi (contents);
  return TRUE;
}

static void
peer_connected_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (tertulia_client_connect_finish (TERTULIA_CLIENT (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static gboolean
room_has_message (TertuliaRoom *room,
                  const char   *author,
                  const char   *text)
{
  GListModel *messages = tertulia_room_get_messages (room);

  for (guint i = 0; i < g_list_model_get_n_items (messages); i++)
    {
      g_autoptr(TertuliaMessage) message = g_list_model_get_item (messages, i);

      if (g_strcmp0 (tertulia_message_get_author (message), author) == 0 &&
          g_strcmp0 (tertulia_message_get_text (message), text) == 0)
        return TRUE;
    }

  return FALSE;
}

static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  gboolean connected = FALSE;
  int fd;

  fixture->cli = g_strdup (g_getenv ("TERTULIA_CLI"));
  g_assert_nonnull (fixture->cli);
  /* A tmux server of its own for each test: the last test's server may
   * still be exiting after kill-server, and a new session asked of it
   * fails with "server exited unexpectedly".
   */
  fixture->socket_name = g_strdup_printf ("tertulia-test-%d-%u", (int) getpid (), ++n_tmux_servers);
  fd = g_file_open_tmp ("tertulia-cli-exit-XXXXXX", &fixture->exit_file, &error);
  g_assert_no_error (error);
  close (fd);
  g_unlink (fixture->exit_file);

  fixture->server = tertulia_server_new ("Terminal test");
  g_assert_true (tertulia_server_listen (fixture->server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);

  address = g_strdup_printf ("127.0.0.1:%u", tertulia_server_get_port (fixture->server));
  fixture->peer = tertulia_client_new (address, "peer");
  tertulia_client_connect_async (fixture->peer, NULL, peer_connected_cb, &connected);
  WAIT_UNTIL (connected);
}

/* The tmux server ends by itself once tertulia-cli exits, so this may find
 * nothing to kill.
 */
static void
tmux_kill_server (Fixture *fixture)
{
  const char *argv[] = { "tmux", "-L", fixture->socket_name, "kill-server", NULL };

  if (!fixture->tmux_running)
    return;

  g_spawn_sync (NULL, (char **) argv, NULL,
                G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, NULL, NULL, NULL, NULL);
  fixture->tmux_running = FALSE;
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  tmux_kill_server (fixture);

  tertulia_client_disconnect (fixture->peer);
  g_clear_object (&fixture->peer);
  tertulia_server_shutdown (fixture->server, NULL);
  g_clear_object (&fixture->server);
  g_unlink (fixture->exit_file);
  g_free (fixture->exit_file);
  g_free (fixture->socket_name);
  g_free (fixture->cli);
}

static void
test_chat_both_ways (Fixture       *fixture,
                     gconstpointer  data)
{
  TertuliaRoom *room = tertulia_client_get_room (fixture->peer);
  g_autoptr(GError) error = NULL;
  int status = -1;

  if (!have_tmux ())
    {
      g_test_skip ("tmux is not installed");
      return;
    }

  tertulia_client_send_message (fixture->peer, TERTULIA_MESSAGE_KIND_CHAT,
                                "said before you came", &error);
  g_assert_no_error (error);

  start_cli_in_tmux (fixture, "terminal");
  WAIT_UNTIL (tertulia_room_find_participant_by_nick (room, "terminal") != NULL);

  /* History on join, in the documented "[HH:MM] <nick> text" form. */
  WAIT_UNTIL (pane_contains (fixture, "] <peer> said before you came"));

  /* Terminal → core client. */
  tmux (fixture, "send-keys", "-t", "cli", "-l", "hola desde la terminal", NULL);
  tmux (fixture, "send-keys", "-t", "cli", "Enter", NULL);
  WAIT_UNTIL (room_has_message (room, "terminal", "hola desde la terminal"));

  /* Core client → terminal, markup and escapes shown as plain text. */
  tertulia_client_send_message (fixture->peer, TERTULIA_MESSAGE_KIND_CHAT,
                                "<b>olá</b> & tchau", &error);
  g_assert_no_error (error);
  WAIT_UNTIL (pane_contains (fixture, "] <peer> <b>olá</b> & tchau"));

  /* /me and a notice about a rename. */
  tmux (fixture, "send-keys", "-t", "cli", "-l", "/me waves", NULL);
  tmux (fixture, "send-keys", "-t", "cli", "Enter", NULL);
  WAIT_UNTIL (pane_contains (fixture, "* terminal waves"));
  WAIT_UNTIL (room_has_message (room, "terminal", "waves"));

  /* /listar is the Spanish alias of /list; it names everyone present. */
  tmux (fixture, "send-keys", "-t", "cli", "-l", "/listar", NULL);
  tmux (fixture, "send-keys", "-t", "cli", "Enter", NULL);
  WAIT_UNTIL (pane_contains (fixture, "peer") && pane_contains (fixture, "terminal (you)"));

  /* Unknown commands say so, and nothing is sent. */
  tmux (fixture, "send-keys", "-t", "cli", "-l", "/frobnicate", NULL);
  tmux (fixture, "send-keys", "-t", "cli", "Enter", NULL);
  WAIT_UNTIL (pane_contains (fixture, "/frobnicate"));
  g_assert_false (room_has_message (room, "terminal", "/frobnicate"));

  /* /quit leaves cleanly: exit status 0, and the room sees the leave. */
  tmux (fixture, "send-keys", "-t", "cli", "-l", "/quit", NULL);
  tmux (fixture, "send-keys", "-t", "cli", "Enter", NULL);
  WAIT_UNTIL (cli_exited (fixture, &status));
  g_assert_cmpint (status, ==, 0);
  WAIT_UNTIL (tertulia_room_find_participant_by_nick (room, "terminal") == NULL);
}

/* A message the host refused: the terminal says which one, and /resend
 * sends it again, once.
 */
static void
test_resend (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(TertuliaTestRefuser) refuser = NULL;

  if (!have_tmux ())
    {
      g_test_skip ("tmux is not installed");
      return;
    }

  refuser = tertulia_test_refuser_new ();
  start_cli_at (fixture, tertulia_test_refuser_get_port (refuser), "terminal");
  WAIT_UNTIL (pane_contains (fixture, "Connected to “Refusals” as terminal."));

  /* Nothing failed yet: /resend says so and sends nothing. */
  tmux (fixture, "send-keys", "-t", "cli", "-l", "/resend", NULL);
  tmux (fixture, "send-keys", "-t", "cli", "Enter", NULL);
  WAIT_UNTIL (pane_contains (fixture, "There is no message that was not sent."));

  tmux (fixture, "send-keys", "-t", "cli", "-l", "refuse this one", NULL);
  tmux (fixture, "send-keys", "-t", "cli", "Enter", NULL);
  WAIT_UNTIL (pane_contains (fixture, "Not sent: “refuse this one”. You are sending too fast. "
                                      "Wait a moment and try again. Type /resend to send it again."));
  g_assert_cmpuint (tertulia_test_refuser_count (refuser, "refuse this one"), ==, 0);

  tmux (fixture, "send-keys", "-t", "cli", "-l", "/resend", NULL);
  tmux (fixture, "send-keys", "-t", "cli", "Enter", NULL);
  WAIT_UNTIL (pane_contains (fixture, "] <terminal> refuse this one"));

  /* A second /resend has nothing left to send. */
  tmux (fixture, "send-keys", "-t", "cli", "-l", "/resend", NULL);
  tmux (fixture, "send-keys", "-t", "cli", "Enter", NULL);
  tertulia_test_spin (300);
  g_assert_cmpuint (tertulia_test_refuser_n_refused (refuser), ==, 1);
  g_assert_cmpuint (tertulia_test_refuser_count (refuser, "refuse this one"), ==, 1);

  tmux_kill_server (fixture);
}

static guint
pane_count (Fixture    *fixture,
            const char *needle)
{
  g_autofree char *screen = capture_pane (fixture);
  guint n = 0;

  for (const char *p = strstr (screen, needle); p != NULL; p = strstr (p + 1, needle))
    n++;

  return n;
}

/* Issue 13, cases 7 and 9 in the terminal: the outage is said once however
 * many retries fail, and another room on the same address is named.
 */
static void
test_outage_and_other_room (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint port = tertulia_server_get_port (fixture->server);

  if (!have_tmux ())
    {
      g_test_skip ("tmux is not installed");
      return;
    }

  start_cli_in_tmux (fixture, "terminal");
  WAIT_UNTIL (pane_contains (fixture, "Connected to “Terminal test” as terminal."));

  tertulia_server_shutdown (fixture->server, NULL);
  g_clear_object (&fixture->server);
  WAIT_UNTIL (pane_contains (fixture, "The host closed the room."));
  /* Several attempts fail meanwhile: 0.5 s, 1 s, 2 s… */
  tertulia_test_spin (2500);
  g_assert_cmpuint (pane_count (fixture, "The host closed the room."), ==, 1);

  fixture->server = tertulia_server_new ("Other room");
  g_assert_true (tertulia_server_listen (fixture->server, "127.0.0.1", port, &error));
  g_assert_no_error (error);
  WAIT_UNTIL (pane_contains (fixture, "This is a different room: “Other room”."));
  WAIT_UNTIL (pane_contains (fixture, "Connected to “Other room” as terminal."));
  g_assert_cmpuint (pane_count (fixture, "This is a different room"), ==, 1);
  g_assert_cmpuint (pane_count (fixture, "The host opened the room again."), ==, 0);

  tmux_kill_server (fixture);
}

static void
test_ctrl_d_and_ctrl_c (Fixture       *fixture,
                        gconstpointer  data)
{
  TertuliaRoom *room = tertulia_client_get_room (fixture->peer);
  int status = -1;

  if (!have_tmux ())
    {
      g_test_skip ("tmux is not installed");
      return;
    }

  start_cli_in_tmux (fixture, "eof");
  WAIT_UNTIL (tertulia_room_find_participant_by_nick (room, "eof") != NULL);
  WAIT_UNTIL (pane_contains (fixture, "/help"));
  tmux (fixture, "send-keys", "-t", "cli", "C-d", NULL);
  WAIT_UNTIL (cli_exited (fixture, &status));
  g_assert_cmpint (status, ==, 0);
  WAIT_UNTIL (tertulia_room_find_participant_by_nick (room, "eof") == NULL);

  tmux_kill_server (fixture);
  g_unlink (fixture->exit_file);

  start_cli_in_tmux (fixture, "interrupted");
  WAIT_UNTIL (tertulia_room_find_participant_by_nick (room, "interrupted") != NULL);
  WAIT_UNTIL (pane_contains (fixture, "/help"));
  tmux (fixture, "send-keys", "-t", "cli", "C-c", NULL);
  WAIT_UNTIL (cli_exited (fixture, &status));
  g_assert_cmpint (status, ==, 0);
  WAIT_UNTIL (tertulia_room_find_participant_by_nick (room, "interrupted") == NULL);
}

typedef struct
{
  gboolean done;
  int      status;
  char    *out;
  char    *err;
} Spawned;

static void
communicated_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Spawned *spawned = user_data;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_finish (G_SUBPROCESS (object), result, &out, &err, &error);
  g_assert_no_error (error);
  spawned->out = g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
  spawned->err = g_strndup (g_bytes_get_data (err, NULL), g_bytes_get_size (err));
  spawned->status = g_subprocess_get_exit_status (G_SUBPROCESS (object));
  spawned->done = TRUE;
}

/* Runs tertulia-cli with pipes (no TTY), feeding it @input, while the main
 * loop keeps the in-process server answering.
 */
static void
run_cli_piped (Fixture     *fixture,
               const char  *address,
               const char  *input,
               Spawned     *spawned)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) stdin_bytes = g_bytes_new (input, strlen (input));
  g_autoptr(GError) error = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                              G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                              G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, fixture->cli, address, "--nick", "piped", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_async (process, stdin_bytes, NULL, communicated_cb, spawned);
  WAIT_UNTIL (spawned->done);
}

static void
test_wrong_address (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  g_auto(GStrv) lines = NULL;
  Spawned spawned = { 0 };
  guint port;

  /* A port that was free a moment ago: nothing answers there. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  address = g_strdup_printf ("127.0.0.1:%u", port);

  run_cli_piped (fixture, address, "", &spawned);
  g_assert_cmpint (spawned.status, ==, 2);
  g_assert_nonnull (strstr (spawned.err, address));
  /* One clear line, not a dump. */
  lines = g_strsplit (g_strchomp (spawned.err), "\n", -1);
  g_assert_cmpint (g_strv_length (lines), ==, 1);

  g_clear_pointer (&spawned.out, g_free);
  g_clear_pointer (&spawned.err, g_free);
  spawned.done = FALSE;
  run_cli_piped (fixture, "ftp://example", "", &spawned);
  g_assert_cmpint (spawned.status, !=, 0);
  g_assert_cmpstr (spawned.err, !=, "");

  g_free (spawned.out);
  g_free (spawned.err);
}

static void
test_no_colour_without_tty (Fixture       *fixture,
                            gconstpointer  data)
{
  TertuliaRoom *room = tertulia_client_get_room (fixture->peer);
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u",
                                              tertulia_server_get_port (fixture->server));
  g_autoptr(GError) error = NULL;
  Spawned spawned = { 0 };

  tertulia_client_send_message (fixture->peer, TERTULIA_MESSAGE_KIND_CHAT,
                                "mentioning piped here", &error);
  g_assert_no_error (error);
  WAIT_UNTIL (tertulia_room_get_last_seq (room) >= 2);

  run_cli_piped (fixture, address, "hello from a pipe\n", &spawned);
  g_assert_cmpint (spawned.status, ==, 0);
  g_assert_nonnull (strstr (spawned.out, "<peer> mentioning piped here"));
  g_assert_null (strchr (spawned.out, '\033'));
  g_assert_true (room_has_message (room, "piped", "hello from a pipe"));

  g_free (spawned.out);
  g_free (spawned.err);
}

/* Files: /send several, the log's "#N <nick> sent …" lines, /save N DIR
 * (never over a file already there), and a /save that goes on from a part
 */
static void
upload_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  char **id = user_data;
  g_autoptr(GError) error = NULL;

  *id = tertulia_client_upload_file_finish (TERTULIA_CLIENT (object), result, &error);
  g_assert_no_error (error);
}

static guint
count_files_from (TertuliaRoom *room,
                  const char   *author)
{
  GListModel *messages = tertulia_room_get_messages (room);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (messages); i++)
    {
      g_autoptr(TertuliaMessage) message = g_list_model_get_item (messages, i);

      if (tertulia_message_get_kind (message) == TERTULIA_MESSAGE_KIND_FILE &&
          g_strcmp0 (tertulia_message_get_author (message), author) == 0)
        n++;
    }

  return n;
}

static guint
count_parts (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".part"))
      n++;

  return n;
}

static void
type_line (Fixture    *fixture,
           const char *line)
{
  tmux (fixture, "send-keys", "-t", "cli", "-l", line, NULL);
  tmux (fixture, "send-keys", "-t", "cli", "Enter", NULL);
}

static gboolean
file_has (const char *path,
          const void *data,
          gsize       length)
{
  g_autofree char *contents = NULL;
  gsize got = 0;

  return g_file_get_contents (path, &contents, &got, NULL) && got == length &&
         memcmp (contents, data, length) == 0;
}

static void
test_send_and_save (Fixture       *fixture,
                    gconstpointer  data)
{
  TertuliaRoom *room = tertulia_client_get_room (fixture->peer);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *out = NULL;
  g_autofree char *photo = NULL;
  g_autofree char *notes = NULL;
  g_autofree char *line = NULL;
  g_autofree char *from_peer = NULL;
  g_autofree char *peer_id = NULL;
  g_autofree char *part = NULL;
  g_autoptr(GFile) peer_file = NULL;
  guint8 *bytes;
  gsize length = 1500 * 1000;

  if (!have_tmux ())
    {
      g_test_skip ("tmux is not installed");
      return;
    }

  dir = g_dir_make_tmp ("tertulia-cli-files-XXXXXX", &error);
  g_assert_no_error (error);
  out = g_build_filename (dir, "out", NULL);
  g_mkdir (out, 0700);
  photo = g_build_filename (dir, "photo one.bin", NULL);
  notes = g_build_filename (dir, "notes.txt", NULL);
  bytes = g_malloc (length);
  for (gsize i = 0; i < length; i++)
    bytes[i] = (guint8) g_random_int ();
  g_file_set_contents (photo, (const char *) bytes, (gssize) length, &error);
  g_assert_no_error (error);
  g_file_set_contents (notes, "notas\n", -1, &error);
  g_assert_no_error (error);

  start_cli_in_tmux (fixture, "terminal");
  WAIT_UNTIL (tertulia_room_find_participant_by_nick (room, "terminal") != NULL);

  /* Two at once, one of them with a space in its name */
  line = g_strdup_printf ("/send \"%s\" %s", photo, notes);
  type_line (fixture, line);
  WAIT_UNTIL (count_files_from (room, "terminal") == 2);
  /* g_format_size() puts a no-break space before the unit */
  WAIT_UNTIL (pane_contains (fixture, "#1 <terminal> sent photo one.bin (1.5\xc2\xa0" "MB, application/octet-stream)"));
  WAIT_UNTIL (pane_contains (fixture, "#2 <terminal> sent notes.txt (6 bytes, text/plain; charset=utf-8)"));

  /* One from someone else, saved twice: the second beside the first */
  from_peer = g_build_filename (dir, "from peer.txt", NULL);
  g_file_set_contents (from_peer, "hola\n", -1, &error);
  g_assert_no_error (error);
  peer_file = g_file_new_for_path (from_peer);
  tertulia_client_upload_file_async (fixture->peer, peer_file, NULL, NULL, NULL, NULL, upload_done_cb, &peer_id);
  WAIT_UNTIL (peer_id != NULL);
  WAIT_UNTIL (pane_contains (fixture, "#3 <peer> sent from peer.txt (5 bytes, text/plain; charset=utf-8)"));

  g_free (line);
  line = g_strdup_printf ("/save 3 %s", out);
  type_line (fixture, line);
  {
    g_autofree char *saved = g_build_filename (out, "from peer.txt", NULL);
    g_autofree char *again = g_build_filename (out, "from peer (1).txt", NULL);

    WAIT_UNTIL (file_has (saved, "hola\n", 5));
    type_line (fixture, line);
    WAIT_UNTIL (file_has (again, "hola\n", 5));
    g_assert_true (file_has (saved, "hola\n", 5));
  }

  /* A part left by a /save that was cut: it goes on from there */
  part = g_build_filename (out, "photo one.bin.part", NULL);
  g_file_set_contents (part, (const char *) bytes, (gssize) (length / 3), &error);
  g_assert_no_error (error);
  g_free (line);
  line = g_strdup_printf ("/save 1 %s", out);
  type_line (fixture, line);
  {
    g_autofree char *saved = g_build_filename (out, "photo one.bin", NULL);

    WAIT_UNTIL (file_has (saved, bytes, length));
    g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
  }

  type_line (fixture, "/save 9");
  WAIT_UNTIL (pane_contains (fixture, "There is no file #9 in the log."));

  /* A big one, stopped with Ctrl+C once its progress shows: nothing is
   * shared, and the terminal stays in the room
   */
  {
    g_autofree char *big = g_build_filename (dir, "big.iso", NULL);
    FILE *sparse = fopen (big, "wb");

    g_assert_nonnull (sparse);
    g_assert_cmpint (fseeko (sparse, (off_t) 1536 * 1024 * 1024, SEEK_SET), ==, 0);
    fputc (0, sparse);
    fclose (sparse);

    g_free (line);
    line = g_strdup_printf ("/send %s", big);
    type_line (fixture, line);
    WAIT_UNTIL (pane_contains (fixture, "Sending big.iso: "));
    tmux (fixture, "send-keys", "-t", "cli", "C-c", NULL);
    WAIT_UNTIL (pane_contains (fixture, "Stopped sending big.iso."));
    /* The host let go of the part it had */
    WAIT_UNTIL (count_parts (tertulia_server_get_files_room_directory (fixture->server)) == 0);
    tertulia_test_spin (200);
    g_assert_cmpuint (count_files_from (room, "terminal"), ==, 2);
    g_assert_nonnull (tertulia_room_find_participant_by_nick (room, "terminal"));
  }

  g_free (bytes);
  tmux_kill_server (fixture);
  tertulia_test_remove_tree (dir);
}

/* /history and /search page back through what the host keeps: 1 000
 * events, of which the welcome brings the last 20.
 */
static void
test_history_and_search (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(TertuliaStore) store = tertulia_memory_store_new (10000);
  g_autoptr(TertuliaServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *screen = NULL;

  if (!have_tmux ())
    {
      g_test_skip ("tmux is not installed");
      return;
    }

  tertulia_test_fill_store (store, "c11c11c11c11c11c", "Historia", 1000);
  server = tertulia_server_new_with_store ("Historia", 20, store);
  g_assert_true (tertulia_server_listen (server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);

  start_cli_at (fixture, tertulia_server_get_port (server), "terminal");
  WAIT_UNTIL (pane_contains (fixture, "] <luis> mensaje 1000"));
  g_assert_false (pane_contains (fixture, "mensaje 981"));

  /* The commands are in /help */
  tmux (fixture, "send-keys", "-t", "cli", "-l", "/help", NULL);
  tmux (fixture, "send-keys", "-t", "cli", "Enter", NULL);
  WAIT_UNTIL (pane_contains (fixture, "/search TEXT — find the messages with TEXT"));

  tmux (fixture, "send-keys", "-t", "cli", "-l", "/history lots", NULL);
  tmux (fixture, "send-keys", "-t", "cli", "Enter", NULL);
  WAIT_UNTIL (pane_contains (fixture, "*** Usage: /history [N], with N from 1 to 1000."));

  /* The 15 before the oldest shown (982), in order */
  tmux (fixture, "send-keys", "-t", "cli", "-l", "/history 15", NULL);
  tmux (fixture, "send-keys", "-t", "cli", "Enter", NULL);
  WAIT_UNTIL (pane_contains (fixture, "] <luis> mensaje 967"));
  WAIT_UNTIL (pane_contains (fixture, "] <luis> mensaje 981"));
  screen = capture_pane (fixture);
  g_assert_null (strstr (screen, "mensaje 966"));
  g_assert_true (strstr (screen, "mensaje 967") < strstr (screen, "mensaje 981"));
  g_clear_pointer (&screen, g_free);

  /* Ten of the thousand mention the octopus, in capitals: all found,
   * newest first, with their date
   */
  tmux (fixture, "send-keys", "-t", "cli", "-l", "/search pulpo", NULL);
  tmux (fixture, "send-keys", "-t", "cli", "Enter", NULL);
  WAIT_UNTIL (pane_contains (fixture, "*** Searched the room’s whole history."));
  screen = capture_pane (fixture);
  g_assert_nonnull (strstr (screen, "*** 10 messages found."));
  g_assert_nonnull (strstr (screen, "] <luis> el PULPO número 950"));
  g_assert_nonnull (strstr (screen, "] <luis> el PULPO número 50\n"));
  g_assert_true (strstr (screen, "número 950") < strstr (screen, "número 50\n"));
  g_assert_nonnull (strstr (screen, "[2025-11-2"));
  g_assert_null (strstr (screen, "mensaje 500"));
  g_clear_pointer (&screen, g_free);

  /* Nothing older now */
  tmux (fixture, "send-keys", "-t", "cli", "-l", "/history", NULL);
  tmux (fixture, "send-keys", "-t", "cli", "Enter", NULL);
  WAIT_UNTIL (pane_contains (fixture, "*** There is nothing older in the room’s history."));

  tmux_kill_server (fixture);
  tertulia_server_shutdown (server, NULL);
}

/* issue 18: private messages shown apart, and the moderation commands of
 * a co-host, with their Spanish and Portuguese names
 */
static void
test_moderation_and_private (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", tertulia_server_get_port (fixture->server));
  g_autoptr(TertuliaClient) host = NULL;
  TertuliaRoom *host_room;
  TertuliaRoom *peer_room = tertulia_client_get_room (fixture->peer);
  TertuliaParticipant *terminal;
  TertuliaConversation *conversation;
  gboolean connected = FALSE;

  if (!have_tmux ())
    {
      g_test_skip ("tmux is not installed");
      return;
    }

  host = tertulia_client_new_for_host (address, "ana", tertulia_server_get_host_key (fixture->server));
  tertulia_client_connect_async (host, NULL, peer_connected_cb, &connected);
  WAIT_UNTIL (connected);
  host_room = tertulia_client_get_room (host);

  start_cli_in_tmux (fixture, "terminal");
  WAIT_UNTIL ((terminal = tertulia_room_find_participant_by_nick (host_room, "terminal")) != NULL);

  /* Private messages, both ways, apart from the room's */
  g_assert_nonnull (tertulia_client_send_private (host, tertulia_participant_get_id (terminal), "solo para ti"));
  WAIT_UNTIL (pane_contains (fixture, "[private] ana → you: solo para ti"));
  type_line (fixture, "/msg ana gracias");
  WAIT_UNTIL (pane_contains (fixture, "[private] you → ana: gracias"));
  conversation = tertulia_room_find_conversation (host_room, tertulia_participant_get_id (terminal));
  g_assert_nonnull (conversation);
  WAIT_UNTIL (g_list_model_get_n_items (tertulia_conversation_get_messages (conversation)) == 2);
  g_assert_false (room_has_message (peer_room, "terminal", "gracias"));

  /* A guest may not moderate */
  type_line (fixture, "/kick peer");
  WAIT_UNTIL (pane_contains (fixture, "Only the host or a co-host can do that."));

  /* Made a co-host, it may */
  tertulia_client_set_cohost (host, tertulia_participant_get_id (terminal), TRUE);
  WAIT_UNTIL (pane_contains (fixture, "ana made you a co-host"));
  type_line (fixture, "/silenciar peer");
  WAIT_UNTIL (tertulia_participant_get_muted (tertulia_room_get_you (peer_room)));
  WAIT_UNTIL (pane_contains (fixture, "terminal muted peer"));
  type_line (fixture, "/kick nadie");
  WAIT_UNTIL (pane_contains (fixture, "Nobody called “nadie” is in the room."));

  type_line (fixture, "/ban peer pesado");
  WAIT_UNTIL (tertulia_client_get_state (fixture->peer) == TERTULIA_CONNECTION_DISCONNECTED);
  WAIT_UNTIL (pane_contains (fixture, "terminal banned peer: pesado"));
  type_line (fixture, "/bans");
  WAIT_UNTIL (pane_contains (fixture, "1. peer (127.0.0.1), by terminal: pesado"));
  type_line (fixture, "/desbanir 1");
  WAIT_UNTIL (pane_contains (fixture, "terminal lifted the ban on peer"));

  type_line (fixture, "/lento 5");
  WAIT_UNTIL (tertulia_room_get_slow_seconds (host_room) == 5);

  tertulia_client_disconnect (host);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli/chat-both-ways", Fixture, NULL, setup, test_chat_both_ways, teardown);
  g_test_add ("/cli/resend", Fixture, NULL, setup, test_resend, teardown);
  g_test_add ("/cli/history-and-search", Fixture, NULL, setup, test_history_and_search, teardown);
  g_test_add ("/cli/outage-and-other-room", Fixture, NULL, setup, test_outage_and_other_room, teardown);
  g_test_add ("/cli/ctrl-d-and-ctrl-c", Fixture, NULL, setup, test_ctrl_d_and_ctrl_c, teardown);
  g_test_add ("/cli/wrong-address", Fixture, NULL, setup, test_wrong_address, teardown);
  g_test_add ("/cli/no-colour-without-tty", Fixture, NULL, setup, test_no_colour_without_tty, teardown);
  g_test_add ("/cli/send-and-save", Fixture, NULL, setup, test_send_and_save, teardown);
  g_test_add ("/cli/moderation-and-private", Fixture, NULL, setup, test_moderation_and_private, teardown);

  return g_test_run ();
}

/* test-host-restart.c — a host killed mid-chat and started again on its data
 * directory continues the same room: nothing lost, nothing twice
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs tertulia-server (TERTULIA_SERVER) as a subprocess, so that it can be
 * killed with SIGKILL like a crashed or unplugged laptop's app, and core
 * clients as its guests.
 */

#define G_LOG_DOMAIN "test-host-restart"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <glib/gstdio.h>

#include "tertulia-client.h"
#include "tertulia-test-client.h"
#include "tertulia-test-utils.h"

#define N_PEERS     3
#define N_SENDERS   2
#define SAY_MS      25

typedef struct
{
  char        *dir;
  GSubprocess *server;
  guint        port;
} Fixture;

typedef struct
{
  TertuliaClient *client;
  char           *nick;
  GPtrArray      *said;
  guint           say_id;
  gint64          id;
} Peer;

static gboolean streaming;
/* The servers' XDG_DATA_HOME, under the fixture's directory: no test writes
 * to the user's own
 */
static char *data_home;
/* Where the server writes its host key (--host-key-file), or NULL */
static char *host_key_file;

/* Where a server keeps its room: --data-dir DIR, --ephemeral, or neither */
#define KEEP_EPHEMERAL NULL
#define KEEP_DEFAULT   ""

static void
child_setup_cb (gpointer user_data)
{
  const struct rlimit *limit = user_data;

#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGKILL);
#endif

  /* A disk that fills up: writes past the limit fail with EFBIG */
  if (limit != NULL)
    {
      signal (SIGXFSZ, SIG_IGN);
      setrlimit (RLIMIT_FSIZE, limit);
    }
}

/* tertulia-server on 127.0.0.1:@port (0: a free one) keeping its room in
 * @dir, KEEP_EPHEMERAL or KEEP_DEFAULT; its first line ends in "port N.".
 */
static GSubprocess *
spawn_server_full (const char          *dir,
                   guint               *port,
                   const struct rlimit *file_size,
                   GSubprocessFlags     flags)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | flags);
  g_autofree char *port_arg = g_strdup_printf ("%u", *port);
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  const char *path = g_getenv ("TERTULIA_SERVER");
  const char *argv[] = {
    path, "--bind", "127.0.0.1", "--port", port_arg, "--no-announce", "--room-name", "Kept",
    dir == KEEP_EPHEMERAL ? "--ephemeral" : "--data-dir", dir, NULL, NULL, NULL
  };
  GSubprocess *process;
  const char *number;
  guint last = 10;

  if (dir != KEEP_EPHEMERAL && dir[0] == '\0')
    last = 8;
  if (host_key_file != NULL)
    {
      argv[last++] = "--host-key-file";
      argv[last++] = host_key_file;
    }
  argv[last] = NULL;
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_home, TRUE);
  g_subprocess_launcher_set_child_setup (launcher, child_setup_cb, (gpointer) file_size, NULL);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  number = strrchr (line, ' ');
  g_assert_nonnull (number);
  *port = (guint) g_ascii_strtoull (number + 1, NULL, 10);
  g_assert_cmpuint (*port, >, 0);

  return process;
}

static GSubprocess *
spawn_server (const char *dir,
              guint      *port)
{
  return spawn_server_full (dir, port, NULL, G_SUBPROCESS_FLAGS_NONE);
}

static void
kill_server (Fixture *fixture)
{
  g_subprocess_send_signal (fixture->server, SIGKILL);
  tertulia_test_wait_subprocess (fixture->server);
  g_assert_true (g_subprocess_get_if_signaled (fixture->server));
  g_assert_cmpint (g_subprocess_get_term_sig (fixture->server), ==, SIGKILL);
  g_clear_object (&fixture->server);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("test-host-restart-XXXXXX", &error);
  g_assert_no_error (error);
  data_home = g_dir_make_tmp ("test-host-restart-home-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  if (fixture->server != NULL)
    kill_server (fixture);

  tertulia_test_remove_tree (fixture->dir);
  tertulia_test_remove_tree (data_home);
  g_clear_pointer (&host_key_file, g_free);
  g_clear_pointer (&fixture->dir, g_free);
  g_clear_pointer (&data_home, g_free);
}

static gboolean
dir_is_empty (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);

  return dir != NULL && g_dir_read_name (dir) == NULL;
}

static Peer *
peer_new (guint port,
          guint index)
{
  Peer *peer = g_new0 (Peer, 1);
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", port);

  peer->nick = g_strdup_printf ("peer-%u", index);
  peer->said = g_ptr_array_new_with_free_func (g_free);
  peer->client = tertulia_client_new (address, peer->nick);
  connect_and_wait (peer->client);
  peer->id = tertulia_participant_get_id (you (peer->client));

  return peer;
}

static void
peer_free (Peer *peer)
{
  g_clear_handle_id (&peer->say_id, g_source_remove);
  tertulia_client_disconnect (peer->client);
  g_assert_finalize_object (g_steal_pointer (&peer->client));
  g_ptr_array_unref (peer->said);
  g_free (peer->nick);
  g_free (peer);
}

/* Says the next line every SAY_MS, connected or not (away, it waits in
 * the outbox).
 */
static gboolean
say_cb (gpointer user_data)
{
  Peer *peer = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  peer->say_id = 0;
  if (!streaming)
    return G_SOURCE_REMOVE;

  text = g_strdup_printf ("%s line %u", peer->nick, peer->said->len + 1);
  g_assert_nonnull (tertulia_client_send_message (peer->client, TERTULIA_MESSAGE_KIND_CHAT, text, &error));
  g_assert_no_error (error);
  g_ptr_array_add (peer->said, g_steal_pointer (&text));

  peer->say_id = g_timeout_add (SAY_MS, say_cb, peer);

  return G_SOURCE_REMOVE;
}

static gboolean
everyone_has_everything (Peer  **peers,
                         guint   n_peers,
                         guint   n_senders)
{
  for (guint s = 0; s < n_senders; s++)
    for (guint i = 0; i < peers[s]->said->len; i++)
      for (guint p = 0; p < n_peers; p++)
        {
          const char *text = g_ptr_array_index (peers[s]->said, i);
          TertuliaMessage *message = find_message (peers[p]->client, text);

          if (message == NULL || tertulia_message_get_seq (message) <= 0)
            return FALSE;
        }

  return TRUE;
}

static guint
count_new_room_notices (TertuliaClient *client)
{
  GListModel *messages = tertulia_room_get_messages (tertulia_client_get_room (client));
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (messages); i++)
    {
      TertuliaMessage *message = message_at (client, i);
      const char *text = tertulia_message_get_text (message);

      if (tertulia_message_get_kind (message) == TERTULIA_MESSAGE_KIND_NOTICE &&
          (g_str_equal (text, "The host opened the room again.") ||
           g_str_has_prefix (text, "This is a different room") ||
           g_str_equal (text, "Some messages were missed while you were away.")))
        n++;
    }

  return n;
}

static void
test_killed_and_continued (Fixture       *fixture,
                           gconstpointer  data)
{
  Peer *peers[N_PEERS];
  g_autofree char *room_id = NULL;
  gint64 seq_before;
  guint said_before_kill = 0;

  if (g_getenv ("TERTULIA_SERVER") == NULL)
    {
      g_test_skip ("TERTULIA_SERVER is not set");
      return;
    }

  fixture->server = spawn_server (fixture->dir, &fixture->port);
  for (guint i = 0; i < N_PEERS; i++)
    peers[i] = peer_new (fixture->port, i);
  room_id = g_strdup (tertulia_room_get_id (tertulia_client_get_room (peers[0]->client)));

  streaming = TRUE;
  for (guint s = 0; s < N_SENDERS; s++)
    peers[s]->say_id = g_timeout_add (SAY_MS, say_cb, peers[s]);

  /* Mid-chat: some lines delivered, some in flight */
  WAIT_UNTIL (peers[0]->said->len >= 40 && peers[1]->said->len >= 40);
  kill_server (fixture);
  for (guint s = 0; s < N_SENDERS; s++)
    said_before_kill += peers[s]->said->len;
  seq_before = tertulia_room_get_last_seq (tertulia_client_get_room (peers[N_PEERS - 1]->client));
  g_assert_cmpint (seq_before, >, 40);

  for (guint i = 0; i < N_PEERS; i++)
    WAIT_UNTIL (tertulia_client_get_state (peers[i]->client) == TERTULIA_CONNECTION_RECONNECTING);
  tertulia_test_spin (300);

  /* Started again where it was */
  fixture->server = spawn_server (fixture->dir, &fixture->port);
  for (guint i = 0; i < N_PEERS; i++)
    tertulia_client_retry (peers[i]->client);
  for (guint i = 0; i < N_PEERS; i++)
    WAIT_UNTIL (tertulia_client_get_state (peers[i]->client) == TERTULIA_CONNECTION_CONNECTED);

  /* A little more chat, then everything must be everywhere */
  tertulia_test_spin (300);
  streaming = FALSE;
  WAIT_UNTIL (everyone_has_everything (peers, N_PEERS, N_SENDERS));
  tertulia_test_spin (200);

  for (guint p = 0; p < N_PEERS; p++)
    {
      TertuliaRoom *room = tertulia_client_get_room (peers[p]->client);

      /* The same room, the same people in it */
      g_assert_cmpstr (tertulia_room_get_id (room), ==, room_id);
      g_assert_cmpint (tertulia_participant_get_id (you (peers[p]->client)), ==, peers[p]->id);
      g_assert_cmpuint (tertulia_room_get_n_participants (room), ==, N_PEERS);
      g_assert_cmpuint (count_new_room_notices (peers[p]->client), ==, 0);
      g_assert_cmpint (tertulia_room_get_last_seq (room), >, seq_before);

      /* Every line once, counted one by one */
      for (guint s = 0; s < N_SENDERS; s++)
        for (guint i = 0; i < peers[s]->said->len; i++)
          {
            const char *text = g_ptr_array_index (peers[s]->said, i);

            if (count_messages (peers[p]->client, text) != 1)
              g_error ("%s has “%s” %u times", peers[p]->nick, text,
                       count_messages (peers[p]->client, text));
          }
    }

  g_test_message ("%u lines said before the kill, %u in all, seq %" G_GINT64_FORMAT " at the kill",
                  said_before_kill, peers[0]->said->len + peers[1]->said->len, seq_before);

  for (guint i = 0; i < N_PEERS; i++)
    peer_free (peers[i]);
}

static void
connect_refused_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GError **refused = user_data;

  g_assert_false (tertulia_client_connect_finish (TERTULIA_CLIENT (source), result, refused));
  g_assert_nonnull (*refused);
}

/* A ban and a mute outlive a host killed right after them (issue 18: a ban
 * is for the life of the room, and the room outlives its host)
 */
static void
test_moderation_kept (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(TertuliaClient) host = NULL;
  g_autoptr(TertuliaClient) troll = NULL;
  g_autoptr(TertuliaClient) newcomer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *address = NULL;
  g_autoptr(GError) refused = NULL;
  Peer *bob;
  gint64 troll_id;

  if (g_getenv ("TERTULIA_SERVER") == NULL)
    {
      g_test_skip ("TERTULIA_SERVER is not set");
      return;
    }

  host_key_file = g_build_filename (fixture->dir, "host-key", NULL);
  fixture->server = spawn_server (fixture->dir, &fixture->port);
  g_assert_true (g_file_get_contents (host_key_file, &key, NULL, &error));
  g_assert_no_error (error);
  g_strstrip (key);
  address = g_strdup_printf ("127.0.0.1:%u", fixture->port);

  host = tertulia_client_new_for_host (address, "ana", key);
  connect_and_wait (host);
  bob = peer_new (fixture->port, 1);
  troll = tertulia_client_new (address, "troll");
  connect_and_wait (troll);
  troll_id = tertulia_participant_get_id (you (troll));

  g_assert_true (tertulia_client_ban (host, troll_id, "spam"));
  WAIT_UNTIL (tertulia_client_get_state (troll) == TERTULIA_CONNECTION_DISCONNECTED);
  g_assert_true (tertulia_client_set_muted (host, bob->id, TRUE));
  WAIT_UNTIL (tertulia_participant_get_muted (you (bob->client)));

  /* Killed as soon as they knew */
  tertulia_client_disconnect (host);
  kill_server (fixture);
  WAIT_UNTIL (tertulia_client_get_state (bob->client) == TERTULIA_CONNECTION_RECONNECTING);

  fixture->server = spawn_server (fixture->dir, &fixture->port);
  tertulia_client_retry (bob->client);
  WAIT_UNTIL (tertulia_client_get_state (bob->client) == TERTULIA_CONNECTION_CONNECTED);
  g_assert_true (tertulia_participant_get_muted (you (bob->client)));

  /* With its old token, and as someone new from its address: banned */
  tertulia_client_retry (troll);
  WAIT_UNTIL (tertulia_client_get_state (troll) == TERTULIA_CONNECTION_DISCONNECTED);
  g_assert_cmpstr (tertulia_client_get_state_reason (troll), ==, "You are banned from this room.");
  newcomer = tertulia_client_new (address, "nice-person");
  tertulia_client_connect_async (newcomer, NULL, connect_refused_cb, &refused);
  WAIT_UNTIL (refused != NULL);
  g_assert_cmpstr (tertulia_client_get_state_reason (newcomer), ==, "You are banned from this room.");

  peer_free (bob);
}

/* --ephemeral keeps nothing: started again, it is a new room, and the
 * guests are told.
 */
static void
test_ephemeral (Fixture       *fixture,
                gconstpointer  data)
{
  Peer *peer;
  g_autofree char *room_id = NULL;

  if (g_getenv ("TERTULIA_SERVER") == NULL)
    {
      g_test_skip ("TERTULIA_SERVER is not set");
      return;
    }

  fixture->server = spawn_server (KEEP_EPHEMERAL, &fixture->port);
  peer = peer_new (fixture->port, 0);
  room_id = g_strdup (tertulia_room_get_id (tertulia_client_get_room (peer->client)));

  /* Started again on its port, which alone would keep the room */
  kill_server (fixture);
  WAIT_UNTIL (tertulia_client_get_state (peer->client) == TERTULIA_CONNECTION_RECONNECTING);
  fixture->server = spawn_server (KEEP_EPHEMERAL, &fixture->port);
  tertulia_client_retry (peer->client);
  WAIT_UNTIL (tertulia_client_get_state (peer->client) == TERTULIA_CONNECTION_CONNECTED);

  g_assert_cmpstr (tertulia_room_get_id (tertulia_client_get_room (peer->client)), !=, room_id);
  g_assert_cmpuint (count_notices (peer->client, "The host opened the room again."), ==, 1);

  peer_free (peer);

  /* Nothing was written */
  g_assert_true (dir_is_empty (data_home));
}

/* Without --data-dir or --ephemeral: a room on a port picked at random is
 * not kept (started again, it would be on another port, where its guests
 * would not find it); a room on a fixed port is kept under
 * $XDG_DATA_HOME/tertulia/rooms/port-N, and continues there.
 */
static void
test_default_data_dir (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *name = NULL;
  g_autofree char *journal = NULL;
  g_autofree char *room_id = NULL;
  Peer *peer;

  if (g_getenv ("TERTULIA_SERVER") == NULL)
    {
      g_test_skip ("TERTULIA_SERVER is not set");
      return;
    }

  fixture->server = spawn_server (KEEP_DEFAULT, &fixture->port);
  kill_server (fixture);
  g_assert_true (dir_is_empty (data_home));

  name = g_strdup_printf ("port-%u", fixture->port);
  journal = g_build_filename (data_home, "tertulia", "rooms", name, "room.sqlite3", NULL);

  fixture->server = spawn_server (KEEP_DEFAULT, &fixture->port);
  g_assert_true (g_file_test (journal, G_FILE_TEST_IS_REGULAR));
  peer = peer_new (fixture->port, 0);
  room_id = g_strdup (tertulia_room_get_id (tertulia_client_get_room (peer->client)));

  kill_server (fixture);
  WAIT_UNTIL (tertulia_client_get_state (peer->client) == TERTULIA_CONNECTION_RECONNECTING);
  fixture->server = spawn_server (KEEP_DEFAULT, &fixture->port);
  tertulia_client_retry (peer->client);
  WAIT_UNTIL (tertulia_client_get_state (peer->client) == TERTULIA_CONNECTION_CONNECTED);
  g_assert_cmpstr (tertulia_room_get_id (tertulia_client_get_room (peer->client)), ==, room_id);

  peer_free (peer);
}

static void
read_line_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **line = user_data;

  *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, NULL);
  if (*line == NULL)
    *line = g_strdup ("");
}

/* A disk that fills up: the journal stops, the room does not, and the
 * host's user is told once.
 */
static void
test_disk_full (Fixture       *fixture,
                gconstpointer  data)
{
  const struct rlimit file_size = { 192 * 1024, 192 * 1024 };
  g_autoptr(GDataInputStream) err = NULL;
  g_autofree char *line = NULL;
  Peer *peers[2];

  if (g_getenv ("TERTULIA_SERVER") == NULL)
    {
      g_test_skip ("TERTULIA_SERVER is not set");
      return;
    }

  fixture->server = spawn_server_full (fixture->dir, &fixture->port, &file_size,
                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (fixture->server));
  g_data_input_stream_read_line_async (err, G_PRIORITY_DEFAULT, NULL, read_line_cb, &line);

  for (guint i = 0; i < 2; i++)
    peers[i] = peer_new (fixture->port, i);

  /* Until the journal cannot grow, and on after that */
  streaming = TRUE;
  peers[0]->say_id = g_timeout_add (1, say_cb, peers[0]);
  WAIT_UNTIL (line != NULL);
  g_test_message ("%u lines said when the host said: %s", peers[0]->said->len, line);
  g_assert_nonnull (strstr (line, "can no longer be saved"));
  g_assert_nonnull (strstr (line, fixture->dir));

  {
    guint said = peers[0]->said->len;

    WAIT_UNTIL (peers[0]->said->len >= said + 20);
  }
  streaming = FALSE;
  WAIT_UNTIL (everyone_has_everything (peers, 2, 1));

  for (guint i = 0; i < 2; i++)
    {
      g_assert_cmpint (tertulia_client_get_state (peers[i]->client), ==, TERTULIA_CONNECTION_CONNECTED);
      peer_free (peers[i]);
    }
}

/* A second host on the same directory is refused, clearly, and the first
 * one goes on.
 */
static void
test_second_host (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  Peer *peer;

  if (g_getenv ("TERTULIA_SERVER") == NULL)
    {
      g_test_skip ("TERTULIA_SERVER is not set");
      return;
    }

  fixture->server = spawn_server (fixture->dir, &fixture->port);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  second = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("TERTULIA_SERVER"),
                                        "--bind", "127.0.0.1", "--port", "0", "--no-announce",
                                        "--data-dir", fixture->dir, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (second, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("second host: %s", err);
  g_assert_true (g_subprocess_get_if_exited (second));
  g_assert_cmpint (g_subprocess_get_exit_status (second), ==, 2);
  g_assert_nonnull (strstr (err, "Another host is already keeping the room in"));
  g_assert_nonnull (strstr (err, fixture->dir));
  g_assert_cmpstr (out, ==, "");

  peer = peer_new (fixture->port, 0);
  peer_free (peer);
}

/* What a tertulia-cli guest printed, a line at a time */
typedef struct
{
  GDataInputStream *out;
  GPtrArray        *lines;
  gboolean          closed;
} CliOutput;

static void
cli_line_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  CliOutput *output = user_data;
  char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, NULL);

  if (line == NULL)
    {
      output->closed = TRUE;
      return;
    }

  g_ptr_array_add (output->lines, line);
  g_data_input_stream_read_line_async (output->out, G_PRIORITY_DEFAULT, NULL, cli_line_cb, output);
}

/* Lines that end with @tail (the cli prints "[HH:MM] <nick> text") */
static guint
cli_count (CliOutput  *output,
           const char *tail)
{
  guint n = 0;

  for (guint i = 0; i < output->lines->len; i++)
    if (g_str_has_suffix (g_ptr_array_index (output->lines, i), tail))
      n++;

  return n;
}

static void
say (Peer       *peer,
     const char *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (tertulia_client_send_message (peer->client, TERTULIA_MESSAGE_KIND_CHAT, text, &error));
  g_assert_no_error (error);
}

static void
cli_say (GSubprocess *cli,
         const char  *text)
{
  g_autofree char *line = g_strconcat (text, "\n", NULL);
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (g_subprocess_get_stdin_pipe (cli), line, strlen (line), NULL, NULL, &error);
  g_assert_no_error (error);
}

/* The terminal guest through a host killed and started again on its
 * journal: it resumes as itself, sees what was said before and after once
 * each, is told of no new room, and what it says afterwards reaches the
 * others once.
 */
static void
test_cli_continues (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) cli = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  CliOutput output = { NULL, NULL, FALSE };
  Peer *peer;

  if (g_getenv ("TERTULIA_SERVER") == NULL || g_getenv ("TERTULIA_CLI") == NULL)
    {
      g_test_skip ("TERTULIA_SERVER and TERTULIA_CLI must be set");
      return;
    }

  fixture->server = spawn_server (fixture->dir, &fixture->port);
  address = g_strdup_printf ("127.0.0.1:%u", fixture->port);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_set_child_setup (launcher, child_setup_cb, NULL, NULL);
  cli = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("TERTULIA_CLI"),
                                     "--nick", "terminal", address, NULL);
  g_assert_no_error (error);
  output.out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (cli));
  output.lines = g_ptr_array_new_with_free_func (g_free);
  g_data_input_stream_read_line_async (output.out, G_PRIORITY_DEFAULT, NULL, cli_line_cb, &output);

  peer = peer_new (fixture->port, 0);
  WAIT_UNTIL (tertulia_room_find_participant_by_nick (tertulia_client_get_room (peer->client),
                                                      "terminal") != NULL);
  say (peer, "said before the kill");
  cli_say (cli, "typed before the kill");
  WAIT_UNTIL (cli_count (&output, "<peer-0> said before the kill") == 1 &&
              count_messages (peer->client, "typed before the kill") == 1);

  kill_server (fixture);
  WAIT_UNTIL (tertulia_client_get_state (peer->client) == TERTULIA_CONNECTION_RECONNECTING);
  WAIT_UNTIL (cli_count (&output, "The connection to the room was lost.") == 1);
  /* Typed while the host is down: it waits in the cli's outbox. */
  cli_say (cli, "typed while the host was down");

  fixture->server = spawn_server (fixture->dir, &fixture->port);
  tertulia_client_retry (peer->client);
  WAIT_UNTIL (tertulia_client_get_state (peer->client) == TERTULIA_CONNECTION_CONNECTED);
  WAIT_UNTIL (cli_count (&output, "You are back in the room.") == 1);

  say (peer, "said after the restart");
  WAIT_UNTIL (cli_count (&output, "<peer-0> said after the restart") == 1 &&
              count_messages (peer->client, "typed while the host was down") == 1);
  cli_say (cli, "typed after the restart");
  WAIT_UNTIL (count_messages (peer->client, "typed after the restart") == 1);
  tertulia_test_spin (300);

  /* Each once, on both sides; no new room, no newcomer */
  g_assert_cmpuint (cli_count (&output, "<peer-0> said before the kill"), ==, 1);
  g_assert_cmpuint (cli_count (&output, "<peer-0> said after the restart"), ==, 1);
  g_assert_cmpuint (cli_count (&output, "<terminal> typed while the host was down"), ==, 1);
  g_assert_cmpuint (count_messages (peer->client, "typed before the kill"), ==, 1);
  g_assert_cmpuint (count_messages (peer->client, "typed while the host was down"), ==, 1);
  g_assert_cmpuint (count_messages (peer->client, "typed after the restart"), ==, 1);
  g_assert_cmpuint (count_new_room_notices (peer->client), ==, 0);
  for (guint i = 0; i < output.lines->len; i++)
    {
      const char *line = g_ptr_array_index (output.lines, i);

      g_assert_null (strstr (line, "opened the room again"));
      g_assert_null (strstr (line, "different room"));
      g_assert_null (strstr (line, "terminal-2"));
    }
  g_assert_nonnull (tertulia_room_find_participant_by_nick (tertulia_client_get_room (peer->client),
                                                            "terminal"));
  g_assert_cmpuint (tertulia_room_get_n_participants (tertulia_client_get_room (peer->client)), ==, 2);

  cli_say (cli, "/quit");
  tertulia_test_wait_subprocess (cli);
  WAIT_UNTIL (output.closed);
  g_clear_object (&output.out);
  g_clear_pointer (&output.lines, g_ptr_array_unref);
  peer_free (peer);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/host-restart/killed-and-continued", Fixture, NULL,
              fixture_setup, test_killed_and_continued, fixture_teardown);
  g_test_add ("/host-restart/cli", Fixture, NULL,
              fixture_setup, test_cli_continues, fixture_teardown);
  g_test_add ("/host-restart/disk-full", Fixture, NULL,
              fixture_setup, test_disk_full, fixture_teardown);
  g_test_add ("/host-restart/default-data-dir", Fixture, NULL,
              fixture_setup, test_default_data_dir, fixture_teardown);
  g_test_add ("/host-restart/second-host", Fixture, NULL,
              fixture_setup, test_second_host, fixture_teardown);
  g_test_add ("/host-restart/moderation-kept", Fixture, NULL,
              fixture_setup, test_moderation_kept, fixture_teardown);
  g_test_add ("/host-restart/ephemeral", Fixture, NULL,
              fixture_setup, test_ephemeral, fixture_teardown);

  return g_test_run ();
}

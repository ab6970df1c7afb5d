/* test-server-binary.c — the tertulia-server program, as a user runs it
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-test-server-binary"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <locale.h>
#include <signal.h>
#include <string.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "tertulia-test-utils.h"

/* How long a child may take before the test gives up on it. */
#define CHILD_TIMEOUT_SEC 10

static const char *
server_path (void)
{
  const char *path = g_getenv ("TERTULIA_SERVER");

  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("TERTULIA_SERVER does not name the tertulia-server program");
      return NULL;
    }

  return path;
}

#ifdef __linux__
/* If this test dies (a failed assertion aborts it), the server it started
 * must not outlive it.
 */
static void
die_with_parent_cb (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}
#endif

static GSubprocess *
spawn_server (GSubprocessFlags     flags,
              const char * const  *args)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *process;
  guint i;

  g_ptr_array_add (argv, (gpointer) server_path ());
  for (i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

#ifdef __linux__
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent_cb, NULL, NULL);
#endif

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  return process;
}

/* Waits for @process to end; kills it and fails the test if it takes longer
 * than CHILD_TIMEOUT_SEC (a server that should have refused to start would
 * otherwise run forever).
 */
static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, &error);
  g_assert_no_error (error);
  *done = TRUE;
}

static void
wait_for_exit (GSubprocess *process)
{
  gint64 deadline = g_get_monotonic_time () + CHILD_TIMEOUT_SEC * G_USEC_PER_SEC;
  guint wake_id = g_timeout_add (20, tertulia_test_wake_cb, NULL);
  gboolean done = FALSE;

  g_subprocess_wait_async (process, NULL, wait_cb, &done);
  while (!done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake_id);

  if (!done)
    {
      g_subprocess_force_exit (process);
      while (!done)
        g_main_context_iteration (NULL, TRUE);
      g_error ("tertulia-server did not exit within %d seconds", CHILD_TIMEOUT_SEC);
    }
}

typedef struct
{
  gboolean  done;
  char     *out;
  char     *err;
} RunResult;

static void
communicate_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  RunResult *run = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result,
                                        &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->done = TRUE;
}

/* Runs the program to its end and returns its exit status, with what it
 * printed in @out and @err.
 */
static int
run_server (const char * const  *args,
            char               **out,
            char               **err)
{
  g_autoptr(GSubprocess) process = NULL;
  RunResult run = { FALSE, NULL, NULL };

  process = spawn_server (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, args);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicate_cb, &run);
  wait_for_exit (process);
  WAIT_UNTIL (run.done);

  g_assert_true (g_subprocess_get_if_exited (process));
  *out = run.out;
  *err = run.err;

  return g_subprocess_get_exit_status (process);
}

/* ---- a room, joined over a real WebSocket ------------------------------ */

typedef struct
{
  GSubprocess                *process;
  GDataInputStream           *stdout_lines;
  GPtrArray                  *lines;        /* of char*, what the server printed */
  gboolean                    stdout_eof;
  guint                       port;

  SoupSession                *session;
  SoupWebsocketConnection    *ws;
  GError                     *connect_error;
  GPtrArray                  *frames;       /* of JsonObject*, received */
  gboolean                    closed;
} Room;

static void read_line_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data);

static void
read_next_line (Room *room)
{
  g_data_input_stream_read_line_async (room->stdout_lines, G_PRIORITY_DEFAULT, NULL,
                                       read_line_cb, room);
}

static void
read_line_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Room *room = user_data;
  g_autoptr(GError) error = NULL;
  char *line;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result,
                                                    NULL, &error);
  g_assert_no_error (error);

  if (line == NULL)
    {
      room->stdout_eof = TRUE;
      return;
    }

  g_test_message ("tertulia-server: %s", line);
  g_ptr_array_add (room->lines, line);
  read_next_line (room);
}

/* The port from the first line, "Tertulia room “NAME” is open on port PORT."
 * (see the comment at the top of src/tools/tertulia-server.c).
 */
static guint
parse_port_line (const char *line)
{
  g_autoptr(GRegex) regex = g_regex_new ("port ([0-9]+)\\.$", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *digits = NULL;
  guint64 port;

  if (!g_regex_match (regex, line, 0, &match))
    g_error ("The first line does not end in the port: %s", line);

  digits = g_match_info_fetch (match, 1);
  g_assert_true (g_ascii_string_to_unsigned (digits, 10, 1, G_MAXUINT16, &port, NULL));

  return (guint) port;
}

static void
message_cb (SoupWebsocketConnection *ws,
            SoupWebsocketDataType    type,
            GBytes                  *message,
            gpointer                 user_data)
{
  Room *room = user_data;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize size;
  const char *data = g_bytes_get_data (message, &size);
  JsonNode *root;

  g_assert_cmpint (type, ==, SOUP_WEBSOCKET_DATA_TEXT);
  g_test_message ("received: %.*s", (int) size, data);

  json_parser_load_from_data (parser, data, (gssize) size, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  g_ptr_array_add (room->frames, json_object_ref (json_node_get_object (root)));
}

static void
closed_cb (SoupWebsocketConnection *ws,
           gpointer                 user_data)
{
  Room *room = user_data;

  room->closed = TRUE;
}

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Room *room = user_data;

  room->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result,
                                                    &room->connect_error);
}

/* The first frame of @type received after the @skip first ones, or NULL. */
static JsonObject *
find_frame (Room       *room,
            const char *type,
            guint       skip)
{
  guint i;

  for (i = skip; i < room->frames->len; i++)
    {
      JsonObject *frame = g_ptr_array_index (room->frames, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (frame, "type", NULL), type) == 0)
        return frame;
    }

  return NULL;
}

static void
send_frame (Room       *room,
            const char *json)
{
  g_test_message ("sending: %s", json);
  soup_websocket_connection_send_text (room->ws, json);
}

static void
room_open (Room                *room,
           const char * const  *args)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *uri = NULL;
  const char *protocols[] = { "tertulia.1", NULL };

  room->lines = g_ptr_array_new_with_free_func (g_free);
  room->frames = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  room->process = spawn_server (G_SUBPROCESS_FLAGS_STDOUT_PIPE, args);
  room->stdout_lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (room->process));
  read_next_line (room);

  /* Nothing may be printed before the room listens, so the first line is
   * the one with the port.
   */
  WAIT_UNTIL (room->lines->len > 0 || room->stdout_eof);
  g_assert_cmpuint (room->lines->len, >, 0);
  room->port = parse_port_line (g_ptr_array_index (room->lines, 0));

  room->session = soup_session_new ();
  uri = g_strdup_printf ("ws://127.0.0.1:%u/ws", room->port);
  msg = soup_message_new ("GET", uri);
  soup_session_websocket_connect_async (room->session, msg, NULL, (char **) protocols,
                                        G_PRIORITY_DEFAULT, NULL, connect_cb, room);
  WAIT_UNTIL (room->ws != NULL || room->connect_error != NULL);
  g_assert_no_error (room->connect_error);
  g_assert_cmpstr (soup_websocket_connection_get_protocol (room->ws), ==, "tertulia.1");

  g_signal_connect (room->ws, "message", G_CALLBACK (message_cb), room);
  g_signal_connect (room->ws, "closed", G_CALLBACK (closed_cb), room);
}

static void
room_clear (Room *room)
{
  if (room->process != NULL && g_subprocess_get_identifier (room->process) != NULL)
    {
      g_subprocess_force_exit (room->process);
      wait_for_exit (room->process);
    }

  /* The pending read points at @room: let it see the end of the pipe. */
  if (room->stdout_lines != NULL)
    WAIT_UNTIL (room->stdout_eof);

  if (room->ws != NULL)
    g_signal_handlers_disconnect_by_data (room->ws, room);
  g_clear_object (&room->ws);
  g_clear_object (&room->session);
  g_clear_object (&room->stdout_lines);
  g_clear_object (&room->process);
  g_clear_pointer (&room->lines, g_ptr_array_unref);
  g_clear_pointer (&room->frames, g_ptr_array_unref);
}

static void
test_room (void)
{
  const char *args[] = { "--port", "0", "--bind", "127.0.0.1", "--room-name", "Test room", NULL };
  Room room = { NULL, };
  JsonObject *welcome;
  JsonObject *message;
  const char *first_line;
  const char *last_line;

  if (server_path () == NULL)
    return;

  room_open (&room, args);

  first_line = g_ptr_array_index (room.lines, 0);
  g_assert_nonnull (strstr (first_line, "“Test room”"));

  send_frame (&room, "{\"type\":\"hello\",\"version\":1,\"nick\":\"tester\"}");
  WAIT_UNTIL ((welcome = find_frame (&room, "welcome", 0)) != NULL);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (welcome, "room"), "name"),
                   ==, "Test room");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (welcome, "you"), "nick"),
                   ==, "tester");

  send_frame (&room, "{\"type\":\"say\",\"cid\":\"t-1\",\"text\":\"hola a todos\"}");
  WAIT_UNTIL ((message = find_frame (&room, "message", 0)) != NULL);
  g_assert_cmpstr (json_object_get_string_member (message, "text"), ==, "hola a todos");
  g_assert_cmpstr (json_object_get_string_member (message, "cid"), ==, "t-1");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (message, "from"), "nick"),
                   ==, "tester");

  /* What systemd or a script does to stop it. */
  g_subprocess_send_signal (room.process, SIGTERM);
  WAIT_UNTIL (room.closed);
  g_test_message ("closed: %u “%s”", soup_websocket_connection_get_close_code (room.ws),
                  soup_websocket_connection_get_close_data (room.ws));
  g_assert_cmpint (soup_websocket_connection_get_close_code (room.ws), ==,
                   SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
  g_assert_nonnull (soup_websocket_connection_get_close_data (room.ws));
  g_assert_cmpstr (soup_websocket_connection_get_close_data (room.ws), !=, "");

  wait_for_exit (room.process);
  g_assert_true (g_subprocess_get_if_exited (room.process));
  g_assert_cmpint (g_subprocess_get_exit_status (room.process), ==, 0);

  WAIT_UNTIL (room.stdout_eof);
  last_line = g_ptr_array_index (room.lines, room.lines->len - 1);
  g_assert_cmpstr (last_line, ==, "Room closed.");

  room_clear (&room);
}

static void
test_sigint (void)
{
  const char *args[] = { "-p", "0", "-b", "127.0.0.1", "-n", "Ctrl+C room", NULL };
  Room room = { NULL, };

  if (server_path () == NULL)
    return;

  room_open (&room, args);
  send_frame (&room, "{\"type\":\"hello\",\"version\":1}");
  WAIT_UNTIL (find_frame (&room, "welcome", 0) != NULL);

  /* Ctrl+C in the terminal. */
  g_subprocess_send_signal (room.process, SIGINT);
  WAIT_UNTIL (room.closed);
  g_assert_cmpint (soup_websocket_connection_get_close_code (room.ws), ==,
                   SOUP_WEBSOCKET_CLOSE_GOING_AWAY);

  wait_for_exit (room.process);
  g_assert_true (g_subprocess_get_if_exited (room.process));
  g_assert_cmpint (g_subprocess_get_exit_status (room.process), ==, 0);

  room_clear (&room);
}

static void
test_port_in_use (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *port = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *args[] = { "--bind", "127.0.0.1", "--port", NULL, NULL };

  if (server_path () == NULL)
    return;

  g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &effective, &error);
  g_assert_no_error (error);
  port = g_strdup_printf ("%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective)));
  args[3] = port;

  g_assert_cmpint (run_server (args, &out, &err), ==, 2);
  g_test_message ("stderr: %s", err);
  g_assert_nonnull (strstr (err, port));
  g_assert_nonnull (strstr (err, "already in use"));
  /* It must not claim that the room is open. */
  g_assert_cmpstr (out, ==, "");

  g_socket_listener_close (listener);
}

static void
test_version (void)
{
  const char *args[] = { "--version", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (server_path () == NULL)
    return;

  g_assert_cmpint (run_server (args, &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, "tertulia-server " PACKAGE_VERSION "\n");
  g_assert_cmpstr (err, ==, "");
}

static void
test_help (void)
{
  const char *args[] = { "--help", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (server_path () == NULL)
    return;

  g_assert_cmpint (run_server (args, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "--port"));
  g_assert_nonnull (strstr (out, "--bind"));
  g_assert_nonnull (strstr (out, "--room-name"));
  g_assert_nonnull (strstr (out, "--history"));
}

/* Every wrong option is refused with a message and status 1, before any
 * room is opened (a room would never exit, and wait_for_exit would fail).
 */
static void
test_bad_options (void)
{
  const char *bad[][3] = {
    { "--history", "0", NULL },
    { "--history", "100001", NULL },
    { "--history", "many", NULL },
    { "--port", "65536", NULL },
    { "--port", "-1", NULL },
    { "--bind", "not-an-address", NULL },
    { "--room-name", "   ", NULL },
    { "--room-name", "0123456789012345678901234567890123456789012345678901234567890123456789", NULL },
    { "--frobnicate", NULL, NULL },
    { "stray-argument", NULL, NULL },
  };
  guint i;

  if (server_path () == NULL)
    return;

  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status;

      g_test_message ("tertulia-server %s %s", bad[i][0], bad[i][1] ? bad[i][1] : "");
      status = run_server (bad[i], &out, &err);
      g_test_message ("stderr: %s", err);
      g_assert_cmpint (status, ==, 1);
      g_assert_cmpstr (out, ==, "");
      g_assert_cmpstr (err, !=, "");
      g_assert_nonnull (strstr (err, "--help"));
    }
}

/* issue 18: --host-key-file lets the headless host's operator join as the
 * host (tertulia-cli --host-key-file), who may moderate
 */
static void
test_host_key_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tertulia-host-key-XXXXXX", NULL);
  g_autofree char *key_path = g_build_filename (dir, "host-key", NULL);
  const char *args[] = { "--port", "0", "--bind", "127.0.0.1", "--ephemeral", "--host-key-file", key_path, NULL };
  Room room = { NULL, };
  g_autofree char *key = NULL;
  g_autofree char *hello = NULL;
  JsonObject *welcome;
  GStatBuf st;

  if (server_path () == NULL)
    return;

  room_open (&room, args);
  g_assert_true (g_file_get_contents (key_path, &key, NULL, NULL));
  g_assert_cmpint (g_stat (key_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_strstrip (key);
  g_assert_cmpuint (strlen (key), >, 16);

  hello = g_strdup_printf ("{\"type\":\"hello\",\"version\":1,\"nick\":\"op\",\"host_key\":\"%s\"}", key);
  send_frame (&room, hello);
  WAIT_UNTIL ((welcome = find_frame (&room, "welcome", 0)) != NULL);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (welcome, "you"), "role"),
                   ==, "host");
  send_frame (&room, "{\"type\":\"lock\",\"locked\":true}");
  WAIT_UNTIL (find_frame (&room, "moderation", 0) != NULL);

  room_clear (&room);
  g_unlink (key_path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  /* So that what the server printed shows as it is in the test log. */
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server-binary/room", test_room);
  g_test_add_func ("/server-binary/sigint", test_sigint);
  g_test_add_func ("/server-binary/port-in-use", test_port_in_use);
  g_test_add_func ("/server-binary/version", test_version);
  g_test_add_func ("/server-binary/help", test_help);
  g_test_add_func ("/server-binary/bad-options", test_bad_options);
  g_test_add_func ("/server-binary/host-key-file", test_host_key_file);

  return g_test_run ();
}

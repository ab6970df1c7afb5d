/* test-session-rehost.c — the app hosting a room it kept, again
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <signal.h>

#include <glib/gstdio.h>

#include "ui-test-utils.h"
#include "tertulia-hosted-rooms.h"
#include "tertulia-session.h"

/* Where the host killed in a subprocess kept its room, and its port */
#define CRASH_DIR_ENV  "TERTULIA_TEST_REHOST_DIR"
#define CRASH_PORT_ENV "TERTULIA_TEST_REHOST_PORT"

static void
session_connected_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (tertulia_session_connect_finish (TERTULIA_SESSION (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static TertuliaSession *
host_in (const char *data_dir,
         const char *room_name,
         guint       port)
{
  g_autoptr(TertuliaSession) session = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;

  session = tertulia_session_new_host_full (room_name, "hostie", port, NULL, data_dir, &error);
  g_assert_no_error (error);
  tertulia_session_connect_async (session, NULL, session_connected_cb, &done);
  WAIT_UNTIL (done);

  return g_steal_pointer (&session);
}

static TertuliaRoom *
session_room (TertuliaSession *session)
{
  return tertulia_client_get_room (tertulia_session_get_client (session));
}

static void
say_and_wait (TertuliaSession *session,
              const char      *text)
{
  TertuliaMessage *message;

  message = tertulia_client_send_message (tertulia_session_get_client (session),
                                          TERTULIA_MESSAGE_KIND_CHAT, text, NULL);
  g_assert_nonnull (message);
  /* Echoed: the journal committed it before the echo left. */
  WAIT_UNTIL (tertulia_message_get_state (message) == TERTULIA_MESSAGE_STATE_DELIVERED);
}

/* Counts the log's messages whose text contains @needle. */
static guint
count_containing (TertuliaRoom *room,
                  const char   *needle)
{
  GListModel *messages = tertulia_room_get_messages (room);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (messages); i++)
    {
      g_autoptr(TertuliaMessage) message = g_list_model_get_item (messages, i);

      if (strstr (tertulia_message_get_text (message), needle) != NULL)
        n++;
    }

  return n;
}

static void
uploaded_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  char **id = user_data;
  g_autoptr(GError) error = NULL;

  *id = tertulia_client_upload_file_finish (TERTULIA_CLIENT (object), result, &error);
  g_assert_no_error (error);
}

static void
downloaded_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (tertulia_client_download_file_finish (TERTULIA_CLIENT (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

/* Ended and hosted again on the same directory: the same room, its
 * history, and a guest who was in it resumes without noticing a new room.
 */
static void
test_continues_after_ending (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tertulia-rehost-XXXXXX", NULL);
  g_autofree char *data_dir = g_build_filename (dir, "room", NULL);
  guint port = tertulia_find_free_port (20000, 40000);
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", port);
  g_autoptr(TertuliaSession) first = host_in (data_dir, "Kept room", port);
  g_autoptr(TertuliaClient) guest = NULL;
  g_autoptr(TertuliaSession) second = NULL;
  g_autofree char *room_id = NULL;
  gint64 guest_id;
  gint64 last_seq;

  g_autofree char *shared = g_build_filename (dir, "shared.txt", NULL);
  g_autofree char *fetched = g_build_filename (dir, "fetched.txt", NULL);
  g_autoptr(GFile) shared_file = g_file_new_for_path (shared);
  g_autoptr(GFile) fetched_file = g_file_new_for_path (fetched);
  g_autofree char *file_id = NULL;
  g_autofree char *contents = NULL;
  gboolean downloaded = FALSE;

  guest = ui_test_join (address, "guest");
  guest_id = tertulia_participant_get_id (tertulia_room_get_you (tertulia_client_get_room (guest)));
  say_and_wait (first, "before the restart");

  /* A file shared before the restart is still there after it */
  g_assert_true (g_file_set_contents (shared, "kept with the room\n", -1, NULL));
  tertulia_client_upload_file_async (tertulia_session_get_client (first), shared_file, NULL,
                                     NULL, NULL, NULL, uploaded_cb, &file_id);
  WAIT_UNTIL (file_id != NULL);
  room_id = g_strdup (tertulia_room_get_id (session_room (first)));
  last_seq = tertulia_room_get_last_seq (session_room (first));

  tertulia_session_end (first);
  WAIT_UNTIL (tertulia_client_get_state (guest) == TERTULIA_CONNECTION_RECONNECTING);
  g_clear_object (&first);

  second = host_in (data_dir, "Kept room", port);
  g_assert_cmpstr (tertulia_room_get_id (session_room (second)), ==, room_id);
  g_assert_cmpuint (count_containing (session_room (second), "before the restart"), ==, 1);
  g_assert_cmpint (tertulia_room_get_last_seq (session_room (second)), >=, last_seq);

  /* The guest comes back as itself, in the same room, each message once. */
  tertulia_client_retry (guest);
  WAIT_UNTIL (tertulia_client_get_state (guest) == TERTULIA_CONNECTION_CONNECTED);
  g_assert_cmpint (tertulia_participant_get_id (tertulia_room_get_you (tertulia_client_get_room (guest))),
                   ==, guest_id);
  g_assert_cmpuint (count_containing (tertulia_client_get_room (guest), "before the restart"), ==, 1);
  g_assert_cmpuint (count_containing (tertulia_client_get_room (guest), "different room"), ==, 0);
  g_assert_cmpuint (count_containing (tertulia_client_get_room (guest), "opened the room again"), ==, 0);

  /* seq goes on: the guest, which skips what it has, takes it. */
  tertulia_client_download_file_async (guest, file_id, fetched_file, NULL, NULL, NULL,
                                       downloaded_cb, &downloaded);
  WAIT_UNTIL (downloaded);
  g_assert_true (g_file_get_contents (fetched, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "kept with the room\n");

  say_and_wait (second, "after the restart");
  WAIT_UNTIL (count_containing (tertulia_client_get_room (guest), "after the restart") == 1);
  g_assert_cmpint (tertulia_room_get_last_seq (tertulia_client_get_room (guest)), >, last_seq);

  ui_test_leave (g_steal_pointer (&guest));
  tertulia_session_end (second);
  g_clear_object (&second);
  tertulia_test_remove_tree (dir);
}

/* The part that runs in a subprocess: hosts, says something and dies
 * without a word, as a crashing app would.
 */
static void
test_crash_subprocess (void)
{
  const char *data_dir = g_getenv (CRASH_DIR_ENV);
  guint port = (guint) g_ascii_strtoull (g_getenv (CRASH_PORT_ENV), NULL, 10);
  g_autoptr(TertuliaSession) session = NULL;

  session = host_in (data_dir, "Crashing room", port);
  say_and_wait (session, "before the crash");
  raise (SIGKILL);
}

/* The app killed while hosting: hosted again, the host is the same
 * participant (its resume token was kept), not a newcomer "hostie-2"
 * beside its own ghost.
 */
static void
test_continues_after_crash (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tertulia-rehost-XXXXXX", NULL);
  g_autofree char *data_dir = g_build_filename (dir, "room", NULL);
  g_autofree char *token_path = g_build_filename (data_dir, "host-token", NULL);
  guint port = tertulia_find_free_port (20000, 40000);
  g_autofree char *port_text = g_strdup_printf ("%u", port);
  g_autoptr(TertuliaSession) session = NULL;
  g_autofree char *token = NULL;
  TertuliaRoom *room;

  g_setenv (CRASH_DIR_ENV, data_dir, TRUE);
  g_setenv (CRASH_PORT_ENV, port_text, TRUE);
  g_test_trap_subprocess ("/session/rehost/crash/subprocess", 30 * G_USEC_PER_SEC,
                          G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_failed ();

  /* Kept private: it lets its owner be the host. */
  g_assert_true (g_file_get_contents (token_path, &token, NULL, NULL));
  g_assert_cmpuint (strlen (token), ==, 64);
  {
    GStatBuf st;

    g_assert_cmpint (g_stat (token_path, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0077, ==, 0);
  }

  session = host_in (data_dir, "Crashing room", port);
  room = session_room (session);
  g_assert_cmpstr (tertulia_participant_get_nickname (tertulia_room_get_you (room)), ==, "hostie");
  g_assert_true (tertulia_participant_get_is_host (tertulia_room_get_you (room)));
  g_assert_cmpuint (tertulia_room_get_n_participants (room), ==, 1);
  g_assert_cmpuint (count_containing (room, "before the crash"), ==, 1);

  tertulia_session_end (session);
  g_clear_object (&session);
  tertulia_test_remove_tree (dir);
}

/* A second window cannot host the room a first one is hosting. */
static void
test_busy (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tertulia-rehost-XXXXXX", NULL);
  g_autofree char *data_dir = g_build_filename (dir, "room", NULL);
  g_autoptr(TertuliaSession) first = host_in (data_dir, "Busy room", 0);
  g_autoptr(TertuliaSession) second = NULL;
  g_autoptr(GError) error = NULL;

  second = tertulia_session_new_host_full ("Busy room", "other", 0, NULL, data_dir, &error);
  g_assert_null (second);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_assert_cmpstr (error->message, ==, "This room is already open in another window.");

  tertulia_session_end (first);
  g_clear_object (&first);
  tertulia_test_remove_tree (dir);
}

/* Hosting a new room leaves the last few behind and removes older ones,
 * with everything in them (their shared files too).
 */
static void
test_prune (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.tertulia.Tertulia");
  g_autofree char *hosted = g_build_filename (g_get_user_data_dir (), "tertulia", "hosted", NULL);
  g_autofree char *last = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint n = 0;

  for (guint i = 0; i < 7; i++)
    {
      g_autofree char *room = g_strdup_printf ("%s/2026120%u-120000-0000000%u", hosted, i + 1, i);
      g_autofree char *files = g_build_filename (room, "files", "abc", NULL);
      g_autofree char *file = g_build_filename (files, "0123", NULL);

      g_assert_cmpint (g_mkdir_with_parents (files, 0700), ==, 0);
      g_assert_true (g_file_set_contents (file, "x", -1, NULL));
      g_free (last);
      last = g_steal_pointer (&room);
    }

  tertulia_hosted_rooms_set_last (settings, last);
  g_assert_cmpstr (tertulia_hosted_rooms_dup_last (settings), ==, NULL);  /* no journal in it */

  dir = g_dir_open (hosted, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      /* The two oldest went: the last and four before it stay */
      g_assert_cmpstr (name, >=, "20261203");
      n++;
    }
  g_assert_cmpuint (n, ==, 5);

  tertulia_test_remove_tree (hosted);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/session/rehost/after-ending", test_continues_after_ending);
  g_test_add_func ("/session/rehost/after-crash", test_continues_after_crash);
  g_test_add_func ("/session/rehost/crash/subprocess", test_crash_subprocess);
  g_test_add_func ("/session/rehost/busy", test_busy);
  g_test_add_func ("/session/rehost/prune", test_prune);

  return g_test_run ();
}

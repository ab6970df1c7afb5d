/* test-window-password.c — rooms with a password, hosted and joined from the window
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The password is typed once on the host page; guests are asked for it in
 * a dialog, again when it is wrong; it never reaches GSettings. Rooms are
 * hosted by a window, or by a tertulia-server subprocess that reads its
 * password from standard input; a stand-in avahi-daemon
 * (tertulia-fake-avahi.c) plays the network for the window that finds a
 * room in the list.
 *
 * The room lets an address try one password a second, and everything here
 * comes from 127.0.0.1: tries are spaced by PASSWORD_PAUSE_MSEC unless the
 * test is after the "too quick" answer.
 */

#include "config.h"

#include <signal.h>
#include <sys/prctl.h>

#include "tertulia-fake-avahi.h"
#include "tertulia-share-popover.h"
#include "ui-test-utils.h"

/* Not ASCII and with a space: it must arrive exactly as typed. */
#define PASSWORD "ábrete sésamo"
#define PASSWORD_PAUSE_MSEC 1100

static TertuliaApplication *app;
static FakeAvahi *fake;

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* `tertulia-server --port 0 --password-file -` on loopback, with the
 * password on its standard input; its address in @address.
 */
static GSubprocess *
spawn_server (const char  *room_name,
              char       **address)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *port = NULL;
  GOutputStream *in;
  GSubprocess *server;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  /* It would announce itself too: keep it off the test's "network". */
  g_subprocess_launcher_setenv (launcher, "DBUS_SYSTEM_BUS_ADDRESS",
                                "unix:path=/nonexistent/tertulia-tests-have-no-system-bus", TRUE);
  server = g_subprocess_launcher_spawn (launcher, &error,
                                        g_getenv ("TERTULIA_SERVER"),
                                        "--port", "0", "--bind", "127.0.0.1",
                                        "--room-name", room_name,
                                        "--password-file", "-",
                                        NULL);
  g_assert_no_error (error);

  in = g_subprocess_get_stdin_pipe (server);
  g_output_stream_write_all (in, PASSWORD "\n", strlen (PASSWORD "\n"), NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (in, NULL, &error);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);

  regex = g_regex_new ("port (\\d+)", 0, 0, NULL);
  g_assert_true (g_regex_match (regex, line, 0, &match));
  port = g_match_info_fetch (match, 1);
  *address = g_strdup_printf ("127.0.0.1:%s", port);

  return server;
}

static void
stop_server (GSubprocess *server)
{
  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
  g_object_unref (server);
}

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GError **error = user_data;

  /* A placeholder error marks the attempt as over when it worked. */
  if (tertulia_client_connect_finish (TERTULIA_CLIENT (object), result, error))
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "connected");
}

/* A core client's first attempt at @address with @password (may be NULL):
 * NULL when it got in (the client in @client), or why not.
 */
static GError *
try_core_client (const char      *address,
                 const char      *nickname,
                 const char      *password,
                 TertuliaClient **client)
{
  g_autoptr(TertuliaClient) guest = tertulia_client_new (address, nickname);
  GError *error = NULL;

  tertulia_client_set_password (guest, password);
  tertulia_client_connect_async (guest, NULL, connect_cb, &error);
  WAIT_UNTIL (error != NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_clear_error (&error);
      g_assert_cmpint (tertulia_client_get_state (guest), ==, TERTULIA_CONNECTION_CONNECTED);
      if (client != NULL)
        *client = g_steal_pointer (&guest);
      else
        tertulia_client_disconnect (guest);
    }

  return error;
}

/* No setting of the app holds @secret, in any form GVariant prints. */
static void
assert_not_in_settings (const char *secret)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  g_assert_cmpuint (g_strv_length (keys), >, 0);

  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *printed = g_variant_print (value, FALSE);

      if (strstr (printed, secret) != NULL)
        g_error ("The setting “%s” holds the password: %s", keys[i], printed);
    }
}

static gboolean
label_contains (GtkWidget     *widget,
                gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), data) != NULL;
}

static gboolean
is_lock_icon (GtkWidget     *widget,
              gconstpointer  data)
{
  return GTK_IS_IMAGE (widget) &&
         gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (widget)), "channel-secure-symbolic") == 0;
}

static void
server_error_cb (TertuliaClient *client,
                 const char     *code,
                 const char     *message,
                 const char     *cid,
                 char          **refusal)
{
  g_free (*refusal);
  *refusal = g_strdup (code);
}

static TertuliaStartPage *
start_page (TertuliaWindow *window)
{
  return _tertulia_window_get_start_page (window);
}

static const char *
page_name (TertuliaWindow *window)
{
  return _tertulia_window_get_page_name (window);
}

static TertuliaRoom *
window_room (TertuliaWindow *window)
{
  return tertulia_client_get_room (tertulia_session_get_client (tertulia_window_get_session (window)));
}

static TertuliaSharePopover *
share_popover (TertuliaWindow *window)
{
  GtkWidget *button = _tertulia_chat_page_get_share_button (_tertulia_window_get_chat_page (window));

  return TERTULIA_SHARE_POPOVER (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button)));
}

/* Types @text in the chat entry and presses Enter. */
static void
type_and_send (TertuliaWindow *window,
               const char     *text)
{
  TertuliaChatPage *page = _tertulia_window_get_chat_page (window);

  _tertulia_chat_page_set_entry_text (page, text);
  tertulia_chat_page_submit (page);
}

/* The password dialog, once it is up (a new one after each answer). */
static AdwMessageDialog *
wait_for_password_dialog (TertuliaWindow *window)
{
  TertuliaStartPage *start = start_page (window);
  GtkWidget *dialog;

  WAIT_UNTIL ((dialog = _tertulia_start_page_get_password_dialog (start)) != NULL &&
              gtk_widget_get_mapped (dialog));
  g_assert_false (tertulia_start_page_get_busy (start));
  g_assert_cmpstr (page_name (window), ==, "start");
  /* On the window, and the keyboard in the password row. */
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (dialog)),
                                         GTK_WIDGET (_tertulia_start_page_get_password_dialog_row (start))));

  return ADW_MESSAGE_DIALOG (dialog);
}

/* Types @password in the dialog and presses Join. */
static void
answer_password (TertuliaWindow   *window,
                 AdwMessageDialog *dialog,
                 const char       *password)
{
  GtkEditable *row = _tertulia_start_page_get_password_dialog_row (start_page (window));

  gtk_editable_set_text (row, password);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "join"));
  g_object_ref (dialog);
  g_signal_emit_by_name (row, "entry-activated");
  /* Answered: the dialog is gone, off the screen too, the window is joining. */
  g_assert_null (_tertulia_start_page_get_password_dialog (start_page (window)));
  WAIT_UNTIL (!gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_object_unref (dialog);
}

/* The host page's password: core clients and a window that found the room
 * on the network need it, the host's own window does not.
 */
static void
test_host_with_password (void)
{
  TertuliaWindow *host = ui_test_window_new (app);
  TertuliaWindow *guest = NULL;
  TertuliaStartPage *start = start_page (host);
  g_autoptr(TertuliaClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  g_autofree char *txt = NULL;
  TertuliaSession *session;
  TertuliaRoom *room;
  AdwMessageDialog *dialog;
  GtkListBoxRow *lan_row = NULL;
  GListModel *client_messages;
  guint port;

  port = tertulia_find_free_port (20000, 40000);
  g_assert_cmpuint (port, !=, 0);
  gtk_spin_button_set_value (_tertulia_start_page_get_port_spin (start), port);
  gtk_editable_set_text (_tertulia_start_page_get_nickname_row (start), "hostie");
  gtk_editable_set_text (_tertulia_start_page_get_room_name_row (start), "Secret room");
  gtk_editable_set_text (_tertulia_start_page_get_password_row (start), PASSWORD);
  tertulia_start_page_host (start);

  /* The host is in without typing the password again. */
  WAIT_UNTIL (g_strcmp0 (page_name (host), "chat") == 0);
  session = tertulia_window_get_session (host);
  room = window_room (host);
  g_assert_true (tertulia_session_is_hosting (session));
  g_assert_true (tertulia_session_get_password_required (session));
  g_assert_true (tertulia_participant_get_is_host (tertulia_room_get_you (room)));
  address = g_strdup_printf ("127.0.0.1:%u", tertulia_session_get_port (session));

  /* Out of the page once the room has it. */
  g_assert_cmpstr (gtk_editable_get_text (_tertulia_start_page_get_password_row (start)), ==, "");

  /* The Share popover says there is one, and never what it is. */
  g_assert_true (tertulia_share_popover_get_password_required (share_popover (host)));
  g_assert_true (gtk_widget_get_visible (_tertulia_share_popover_get_password_note (share_popover (host))));
  gtk_popover_popup (GTK_POPOVER (share_popover (host)));
  WAIT_UNTIL (gtk_widget_get_mapped (_tertulia_share_popover_get_password_note (share_popover (host))));
  g_assert_nonnull (ui_test_find_widget (GTK_WIDGET (share_popover (host)), label_contains, "password"));
  g_assert_null (ui_test_find_widget (GTK_WIDGET (share_popover (host)), label_contains, PASSWORD));
  gtk_popover_popdown (GTK_POPOVER (share_popover (host)));

  /* The network is told a password is needed. */
  WAIT_UNTIL ((txt = fake_avahi_dup_txt (fake, "Secret room")) != NULL);
  g_assert_nonnull (strstr (txt, "pw=1"));

  /* Guests: none, a wrong one, then the right one. */
  error = try_core_client (address, "sin-clave", NULL, NULL);
  g_assert_error (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_PASSWORD_REQUIRED);
  g_clear_error (&error);

  error = try_core_client (address, "con-otra", "abrete sesamo", NULL);
  g_assert_error (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_PASSWORD_WRONG);
  g_clear_error (&error);

  tertulia_test_spin (PASSWORD_PAUSE_MSEC);
  error = try_core_client (address, "guest", PASSWORD, &client);
  g_assert_no_error (error);
  WAIT_UNTIL (tertulia_room_get_n_participants (room) == 2);

  /* The host's window chats as ever. */
  client_messages = tertulia_room_get_messages (tertulia_client_get_room (client));
  type_and_send (host, "hola desde el anfitrión");
  WAIT_UNTIL (ui_test_find_message (client_messages, "hola desde el anfitrión") != NULL);
  g_assert_nonnull (tertulia_client_send_message (client, TERTULIA_MESSAGE_KIND_CHAT, "hola, anfitrión", NULL));
  WAIT_UNTIL (ui_test_find_row (host, "hola, anfitrión") != NULL);

  /* Another window finds the room on the network, locked, and is asked. */
  guest = ui_test_window_new (app);
  WAIT_UNTIL ((lan_row = gtk_list_box_get_row_at_index (_tertulia_start_page_get_lan_list (start_page (guest)), 0)) != NULL &&
              gtk_widget_get_mapped (GTK_WIDGET (lan_row)));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (lan_row)), ==, "Secret room");
  WAIT_UNTIL (ui_test_find_widget (GTK_WIDGET (lan_row), is_lock_icon, NULL) != NULL);

  tertulia_test_spin (PASSWORD_PAUSE_MSEC);
  gtk_editable_set_text (_tertulia_start_page_get_nickname_row (start_page (guest)), "luis");
  gtk_widget_activate (GTK_WIDGET (lan_row));
  dialog = wait_for_password_dialog (guest);
  /* It names the room, as the list does. */
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "“Secret room”"));
  g_assert_null (_tertulia_start_page_get_password_dialog_problem (start_page (guest)));
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "join"));

  answer_password (guest, dialog, PASSWORD);
  WAIT_UNTIL (g_strcmp0 (page_name (guest), "chat") == 0);
  g_assert_cmpstr (tertulia_room_get_name (window_room (guest)), ==, "Secret room");
  WAIT_UNTIL (tertulia_room_get_n_participants (room) == 3);
  /* A guest's Share button is hidden; its popover has nothing to say. */
  g_assert_false (tertulia_share_popover_get_password_required (share_popover (guest)));

  assert_not_in_settings (PASSWORD);

  tertulia_window_leave (guest);
  ui_test_destroy_window (guest);
  ui_test_leave (g_steal_pointer (&client));

  /* Gone with the room: the next room starts open. */
  tertulia_window_leave (host);
  g_assert_false (tertulia_share_popover_get_password_required (share_popover (host)));
  g_assert_cmpstr (gtk_editable_get_text (_tertulia_start_page_get_password_row (start)), ==, "");
  WAIT_UNTIL (!fake_avahi_has_service (fake, "Secret room"));
  ui_test_destroy_window (host);
}

/* An address typed on the start page: asked, told when wrong or too quick,
 * in after the right one; the nickname the room gave on a clash is not
 * saved, a /nick is.
 */
static void
test_join_by_address (void)
{
  TertuliaWindow *window = ui_test_window_new (app);
  TertuliaStartPage *start = start_page (window);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(TertuliaClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  g_autofree char *display = NULL;
  g_autofree char *nickname = NULL;
  g_autofree char *refusal = NULL;
  g_auto(GStrv) recent = NULL;
  AdwMessageDialog *dialog;
  GtkLabel *problem;
  GSubprocess *server;
  gint64 wrong_sent;

  g_settings_reset (settings, "recent-rooms");
  /* None saved: the one typed becomes the one for next time. */
  g_settings_reset (settings, "nickname");
  server = spawn_server ("Sala secreta", &address);

  /* Someone is in already, under the nickname the window will ask for. */
  error = try_core_client (address, "visitante", PASSWORD, &client);
  g_assert_no_error (error);
  tertulia_test_spin (PASSWORD_PAUSE_MSEC);

  gtk_editable_set_text (_tertulia_start_page_get_nickname_row (start), "visitante");
  gtk_editable_set_text (_tertulia_start_page_get_address_row (start), address);
  tertulia_start_page_join (start);
  g_assert_true (tertulia_start_page_get_busy (start));

  /* Asked in words that name the address; Join waits for a password. */
  dialog = wait_for_password_dialog (window);
  display = g_strdup_printf ("The room at %s needs a password", address);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), display));
  g_assert_null (_tertulia_start_page_get_password_dialog_problem (start));
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "join"));
  g_assert_cmpstr (gtk_label_get_text (_tertulia_start_page_get_join_error_label (start)), ==, "");

  /* A wrong one: said so, and asked again with an empty row. */
  wrong_sent = g_get_monotonic_time ();
  answer_password (window, dialog, "abrete sesamo");
  g_assert_true (tertulia_start_page_get_busy (start));
  dialog = wait_for_password_dialog (window);
  problem = _tertulia_start_page_get_password_dialog_problem (start);
  g_assert_nonnull (problem);
  g_assert_cmpstr (gtk_label_get_text (problem), ==,
                   "That password is not right. Check it with the host and try again.");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (problem)));
  g_assert_cmpstr (gtk_editable_get_text (_tertulia_start_page_get_password_dialog_row (start)), ==, "");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "join"));

  /* At once the right one: the room has not looked at it yet. Within the
   * second the room waits (from its check of the wrong one, which came
   * after wrong_sent) that is certain; on a machine too slow for that,
   * the try simply goes through.
   */
  answer_password (window, dialog, PASSWORD);
  WAIT_UNTIL (_tertulia_start_page_get_password_dialog (start) != NULL ||
              g_strcmp0 (page_name (window), "chat") == 0);
  if (g_get_monotonic_time () - wrong_sent < G_USEC_PER_SEC)
    g_assert_nonnull (_tertulia_start_page_get_password_dialog (start));

  if (_tertulia_start_page_get_password_dialog (start) != NULL)
    {
      dialog = wait_for_password_dialog (window);
      problem = _tertulia_start_page_get_password_dialog_problem (start);
      g_assert_nonnull (problem);
      g_assert_cmpstr (gtk_label_get_text (problem), ==,
                       "Too many tries too quickly. Wait a moment, then try again.");
      /* Offered again as typed: one press once the moment has passed. */
      g_assert_cmpstr (gtk_editable_get_text (_tertulia_start_page_get_password_dialog_row (start)), ==, PASSWORD);
      g_assert_true (adw_message_dialog_get_response_enabled (dialog, "join"));

      tertulia_test_spin (PASSWORD_PAUSE_MSEC);
      adw_message_dialog_response (dialog, "join");
    }
  else
    {
      g_test_message ("slow machine: the quick retry was not rate-limited");
    }

  WAIT_UNTIL (g_strcmp0 (page_name (window), "chat") == 0);
  g_assert_null (_tertulia_start_page_get_password_dialog (start));
  g_assert_cmpstr (tertulia_room_get_name (window_room (window)), ==, "Sala secreta");

  /* The room renamed us for the clash; that is not who we are next time. */
  g_assert_cmpstr (tertulia_participant_get_nickname (tertulia_room_get_you (window_room (window))),
                   ==, "visitante-2");
  WAIT_UNTIL (tertulia_room_find_participant_by_nick (tertulia_client_get_room (client), "visitante-2") != NULL);
  nickname = g_settings_get_string (settings, "nickname");
  g_assert_cmpstr (nickname, ==, "visitante");
  g_clear_pointer (&nickname, g_free);
  /* And the log says why. */
  WAIT_UNTIL (ui_test_find_row (window, "visitante was taken, so you are visitante-2") != NULL);

  /* Chosen with /nick: that is. */
  type_and_send (window, "/nick viajera");
  WAIT_UNTIL (tertulia_room_find_participant_by_nick (tertulia_client_get_room (client), "viajera") != NULL);
  /* Saved when the window's own client hears the rename, which may come
   * a moment after the other client does.
   */
  WAIT_UNTIL (g_strcmp0 (tertulia_participant_get_nickname (tertulia_room_get_you (window_room (window))),
                         "viajera") == 0);
  nickname = g_settings_get_string (settings, "nickname");
  g_assert_cmpstr (nickname, ==, "viajera");

  /* A refused /nick changes nothing. */
  g_signal_connect (tertulia_session_get_client (tertulia_window_get_session (window)),
                    "server-error", G_CALLBACK (server_error_cb), &refusal);
  type_and_send (window, "/nick visitante");
  WAIT_UNTIL (refusal != NULL);
  g_assert_cmpstr (refusal, ==, "nick-taken");
  g_clear_pointer (&nickname, g_free);
  nickname = g_settings_get_string (settings, "nickname");
  g_assert_cmpstr (nickname, ==, "viajera");

  /* The address is remembered, the password is not. */
  recent = g_settings_get_strv (settings, "recent-rooms");
  g_assert_cmpstr (recent[0], ==, address);
  assert_not_in_settings (PASSWORD);

  /* Back on the start page the new nickname is there. */
  tertulia_window_leave (window);
  g_assert_cmpstr (gtk_editable_get_text (_tertulia_start_page_get_nickname_row (start)), ==, "viajera");

  g_settings_reset (settings, "nickname");
  g_settings_reset (settings, "recent-rooms");
  ui_test_leave (g_steal_pointer (&client));
  stop_server (server);
  ui_test_destroy_window (window);
}

/* Not knowing the password: Cancel, or closing the dialog, leaves the page
 * as it was; asking again works.
 */
static void
test_cancel (void)
{
  TertuliaWindow *window = ui_test_window_new (app);
  TertuliaStartPage *start = start_page (window);
  g_autofree char *address = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *closed;
  GSubprocess *server;

  server = spawn_server ("Sala secreta", &address);

  gtk_editable_set_text (_tertulia_start_page_get_nickname_row (start), "visitante");
  gtk_editable_set_text (_tertulia_start_page_get_address_row (start), address);
  tertulia_start_page_join (start);
  dialog = wait_for_password_dialog (window);

  /* Typed, then cancelled: nothing joins, nothing complains. */
  gtk_editable_set_text (_tertulia_start_page_get_password_dialog_row (start), "a medias");
  adw_message_dialog_response (dialog, "cancel");
  g_assert_null (_tertulia_start_page_get_password_dialog (start));
  tertulia_test_spin (200);
  g_assert_false (tertulia_start_page_get_busy (start));
  g_assert_cmpstr (page_name (window), ==, "start");
  g_assert_cmpstr (gtk_label_get_text (_tertulia_start_page_get_join_error_label (start)), ==, "");

  /* Again: a fresh question (no "wrong" left over), closed with Escape's
   * path this time.
   */
  tertulia_start_page_join (start);
  dialog = wait_for_password_dialog (window);
  g_assert_null (_tertulia_start_page_get_password_dialog_problem (start));
  g_assert_cmpstr (gtk_editable_get_text (_tertulia_start_page_get_password_dialog_row (start)), ==, "");
  closed = g_object_ref (GTK_WIDGET (dialog));
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_null (_tertulia_start_page_get_password_dialog (start));
  tertulia_test_spin (200);
  g_assert_false (tertulia_start_page_get_busy (start));
  g_assert_cmpstr (page_name (window), ==, "start");
  g_assert_finalize_object (closed);

  /* A dialog still open when the window goes goes with it. (Watched,
   * not held: GTK lets go of a dialog's parent only when it finalizes.)
   */
  tertulia_start_page_join (start);
  dialog = wait_for_password_dialog (window);
  closed = GTK_WIDGET (dialog);
  g_object_add_weak_pointer (G_OBJECT (closed), (gpointer *)&closed);

  stop_server (server);
  ui_test_destroy_window (window);
  g_assert_null (closed);
}

/* Too long for the protocol: said before anything starts. */
static void
test_password_too_long (void)
{
  TertuliaWindow *window = ui_test_window_new (app);
  TertuliaStartPage *start = start_page (window);
  g_autofree char *too_long = NULL;
  GtkLabel *error_label = _tertulia_start_page_get_host_error_label (start);
  guint port;

  port = tertulia_find_free_port (20000, 40000);
  g_assert_cmpuint (port, !=, 0);
  gtk_spin_button_set_value (_tertulia_start_page_get_port_spin (start), port);
  gtk_editable_set_text (_tertulia_start_page_get_room_name_row (start), "Too long");

  /* 129 characters, 258 bytes: characters are what count. */
  {
    GString *text = g_string_new (NULL);

    for (guint i = 0; i < 129; i++)
      g_string_append (text, "ñ");
    too_long = g_string_free (text, FALSE);
  }

  gtk_editable_set_text (_tertulia_start_page_get_password_row (start), too_long);
  tertulia_start_page_host (start);
  g_assert_false (tertulia_start_page_get_busy (start));
  g_assert_null (tertulia_window_get_session (window));
  g_assert_cmpstr (gtk_label_get_text (error_label), ==,
                   "The password can be at most 128 characters long.");

  /* 128 is fine. */
  too_long[128 * strlen ("ñ")] = '\0';
  gtk_editable_set_text (_tertulia_start_page_get_password_row (start), too_long);
  tertulia_start_page_host (start);
  WAIT_UNTIL (g_strcmp0 (page_name (window), "chat") == 0);
  g_assert_true (tertulia_session_get_password_required (tertulia_window_get_session (window)));

  tertulia_window_leave (window);
  ui_test_destroy_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  /* Before anything here reaches for the system bus. */
  fake = fake_avahi_new ();
  app = ui_test_application_new ();

  g_test_add_func ("/window/password/host", test_host_with_password);
  g_test_add_func ("/window/password/join-by-address", test_join_by_address);
  g_test_add_func ("/window/password/cancel", test_cancel);
  g_test_add_func ("/window/password/too-long", test_password_too_long);

  ret = g_test_run ();

  g_clear_object (&app);
  tertulia_test_spin (50);
  fake_avahi_free (fake);

  return ret;
}

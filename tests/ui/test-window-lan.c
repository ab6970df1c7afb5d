/* test-window-lan.c — rooms found on the network, from the window
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A stand-in for avahi-daemon on a private system bus (tertulia-fake-avahi.c) plays
 * the network: the room one window hosts is announced there and another
 * window finds it; rooms "other machines" host are tertulia-server
 * subprocesses on loopback, published by the test.
 */

#include "config.h"

#include <signal.h>
#include <sys/prctl.h>

#include "tertulia-fake-avahi.h"
#include "ui-test-utils.h"

static TertuliaApplication *app;
static FakeAvahi *fake;

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* `tertulia-server --port 0` on loopback; its port in @port. */
static GSubprocess *
spawn_server (const char *room_name,
              guint      *port)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *number = NULL;
  GSubprocess *server;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  /* It would announce itself too: keep it off the test's "network". */
  g_subprocess_launcher_setenv (launcher, "DBUS_SYSTEM_BUS_ADDRESS",
                                "unix:path=/nonexistent/tertulia-tests-have-no-system-bus", TRUE);
  server = g_subprocess_launcher_spawn (launcher, &error,
                                        g_getenv ("TERTULIA_SERVER"),
                                        "--port", "0", "--bind", "127.0.0.1",
                                        "--room-name", room_name,
                                        NULL);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);

  regex = g_regex_new ("port (\\d+)", 0, 0, NULL);
  g_assert_true (g_regex_match (regex, line, 0, &match));
  number = g_match_info_fetch (match, 1);
  *port = (guint) g_ascii_strtoull (number, NULL, 10);

  return server;
}

static void
stop_server (GSubprocess *server)
{
  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
  g_object_unref (server);
}

static TertuliaStartPage *
start_page (TertuliaWindow *window)
{
  return _tertulia_window_get_start_page (window);
}

/* The row of the room called @title in the window's network list. */
static guint
count_lan_rows (TertuliaWindow *window)
{
  GtkListBox *list = _tertulia_start_page_get_lan_list (start_page (window));
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (ADW_IS_ACTION_ROW (child))
      n++;

  return n;
}

static gboolean
has_subtitle (AdwActionRow *row,
              const char   *subtitle)
{
  return g_strcmp0 (adw_action_row_get_subtitle (row), subtitle) == 0;
}

static gboolean
is_lock_icon (GtkWidget     *widget,
              gconstpointer  data)
{
  return GTK_IS_IMAGE (widget) &&
         gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (widget)), "channel-secure-symbolic") == 0;
}

static const char *
page_name (TertuliaWindow *window)
{
  return _tertulia_window_get_page_name (window);
}

/* Rooms other machines host appear, change and go; one click joins. */
static void
test_browse (void)
{
  TertuliaWindow *window = ui_test_window_new (app);
  TertuliaStartPage *start = start_page (window);
  GtkLabel *status = _tertulia_start_page_get_lan_status_label (start);
  const char *txt_full[] = { "name=Sala <b>de</b> Ana", "v=1", "pw=0", "n=3", NULL };
  const char *txt_one[] = { "name=Sala <b>de</b> Ana", "v=1", "pw=1", "n=1", NULL };
  const char *txt_open[] = { "name=Sala <b>de</b> Ana", "v=1", "pw=0", "n=1", NULL };
  const char *txt_empty[] = { "name=Aula 3", "v=1", "n=0", NULL };
  const char *txt_future[] = { "name=Sala del futuro", "v=9", NULL };
  TertuliaClient *client;
  AdwActionRow *row;
  AdwActionRow *aula;
  AdwActionRow *future;
  GSubprocess *server;
  guint port;

  /* Avahi is there, nobody hosts yet. */
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (status)));
  g_assert_cmpstr (gtk_label_get_text (status), ==, "No rooms found yet");
  g_assert_cmpuint (count_lan_rows (window), ==, 0);

  server = spawn_server ("Sala <b>de</b> Ana", &port);
  fake_avahi_publish (fake, "Sala <b>de</b> Ana", "ana-laptop.local", "127.0.0.1", port, txt_full);

  WAIT_UNTIL ((row = ui_test_find_lan_row (window, "Sala <b>de</b> Ana")) != NULL);
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (status)));
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "ana-laptop · 3 people");
  /* The name from the network shows as the text it is. */
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (row)));
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (row), "Sala <b>de</b> Ana"));
  g_assert_null (ui_test_find_widget (GTK_WIDGET (row), is_lock_icon, NULL));

  /* The host's announcement changes: the same row says so. */
  fake_avahi_publish (fake, "Sala <b>de</b> Ana", "ana-laptop.local", "127.0.0.1", port, txt_one);
  WAIT_UNTIL (has_subtitle (row, "ana-laptop · 1 person"));
  g_assert_true (ui_test_find_lan_row (window, "Sala <b>de</b> Ana") == row);
  WAIT_UNTIL (ui_test_find_widget (GTK_WIDGET (row), is_lock_icon, NULL) != NULL);

  /* More rooms come, and go. */
  fake_avahi_publish (fake, "Aula 3", "classroom.local", "127.0.0.1", port, txt_empty);
  fake_avahi_publish (fake, "Sala del futuro", "future.local", "127.0.0.1", port, txt_future);
  WAIT_UNTIL ((aula = ui_test_find_lan_row (window, "Aula 3")) != NULL &&
              (future = ui_test_find_lan_row (window, "Sala del futuro")) != NULL);
  g_assert_cmpuint (count_lan_rows (window), ==, 3);
  g_assert_cmpstr (adw_action_row_get_subtitle (aula), ==, "classroom · No one there yet");
  /* A newer protocol than ours: said, and not offered. */
  g_assert_cmpstr (adw_action_row_get_subtitle (future), ==, "future · Needs a newer version of Tertulia");
  g_assert_false (gtk_widget_is_sensitive (adw_action_row_get_activatable_widget (future)));

  fake_avahi_withdraw (fake, "Aula 3");
  fake_avahi_withdraw (fake, "Sala del futuro");
  WAIT_UNTIL (count_lan_rows (window) == 1);
  g_assert_null (ui_test_find_lan_row (window, "Aula 3"));

  /* A room that does not answer: said under the list, in words. */
  {
    const char *txt_closed[] = { "name=Sala cerrada", "v=1", NULL };
    guint closed = tertulia_find_free_port (50000, 60000);
    g_autofree char *closed_address = g_strdup_printf ("127.0.0.1:%u", closed);
    GtkLabel *lan_error = _tertulia_start_page_get_lan_error_label (start);
    AdwActionRow *closed_row;

    fake_avahi_publish (fake, "Sala cerrada", "nadie.local", "127.0.0.1", closed, txt_closed);
    WAIT_UNTIL ((closed_row = ui_test_find_lan_row (window, "Sala cerrada")) != NULL &&
                gtk_widget_get_mapped (GTK_WIDGET (closed_row)));
    /* The row presses its Join button, which takes a moment to click. */
    gtk_widget_activate (GTK_WIDGET (closed_row));
    WAIT_UNTIL (tertulia_start_page_get_busy (start));
    WAIT_UNTIL (!tertulia_start_page_get_busy (start));
    g_assert_cmpstr (page_name (window), ==, "start");
    g_assert_nonnull (strstr (gtk_label_get_text (lan_error), closed_address));
    g_assert_cmpstr (gtk_label_get_text (_tertulia_start_page_get_join_error_label (start)), ==, "");
    fake_avahi_withdraw (fake, "Sala cerrada");
    WAIT_UNTIL (ui_test_find_lan_row (window, "Sala cerrada") == NULL);
  }

  /* One click joins, with the nickname from the page; what was typed in
   * the address field stays.
   */
  fake_avahi_publish (fake, "Sala <b>de</b> Ana", "ana-laptop.local", "127.0.0.1", port, txt_open);
  WAIT_UNTIL (ui_test_find_widget (GTK_WIDGET (row), is_lock_icon, NULL) == NULL);
  gtk_editable_set_text (_tertulia_start_page_get_nickname_row (start), "visitante");
  gtk_editable_set_text (_tertulia_start_page_get_address_row (start), "192.168.1.");
  gtk_widget_activate (GTK_WIDGET (row));
  WAIT_UNTIL (g_strcmp0 (page_name (window), "chat") == 0);

  client = tertulia_session_get_client (tertulia_window_get_session (window));
  g_assert_cmpstr (tertulia_room_get_name (tertulia_client_get_room (client)), ==, "Sala <b>de</b> Ana");
  g_assert_cmpstr (tertulia_participant_get_nickname (tertulia_room_get_you (tertulia_client_get_room (client))),
                   ==, "visitante");
  g_assert_cmpstr (gtk_editable_get_text (_tertulia_start_page_get_address_row (start)), ==, "192.168.1.");

  tertulia_window_leave (window);
  g_assert_cmpstr (page_name (window), ==, "start");

  /* The host stops: the room goes. */
  fake_avahi_withdraw (fake, "Sala <b>de</b> Ana");
  WAIT_UNTIL (count_lan_rows (window) == 0);
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (status)));
  g_assert_cmpstr (gtk_label_get_text (status), ==, "No rooms found yet");

  stop_server (server);
  ui_test_destroy_window (window);
}

/* One window hosts, the other finds the room with nothing typed. */
/* Whether the fake daemon holds @service with TXT @record. */
static gboolean
announced_txt_has (FakeAvahi  *avahi,
                   const char *service,
                   const char *record)
{
  g_autofree char *txt = fake_avahi_dup_txt (avahi, service);

  return txt != NULL && strstr (txt, record) != NULL;
}

static void
test_host_and_find (void)
{
  TertuliaWindow *host = ui_test_window_new (app);
  TertuliaWindow *guest = ui_test_window_new (app);
  TertuliaStartPage *start = start_page (host);
  TertuliaAnnouncer *announcer;
  TertuliaRoom *host_room;
  TertuliaClient *guest_client;
  AdwActionRow *row;
  guint port;

  port = tertulia_find_free_port (20000, 40000);
  g_assert_cmpuint (port, !=, 0);
  gtk_spin_button_set_value (_tertulia_start_page_get_port_spin (start), port);
  gtk_editable_set_text (_tertulia_start_page_get_nickname_row (start), "ana");
  gtk_editable_set_text (_tertulia_start_page_get_room_name_row (start), "LAN Party");
  tertulia_start_page_host (start);
  WAIT_UNTIL (g_strcmp0 (page_name (host), "chat") == 0);

  /* Announced while hosting. */
  announcer = tertulia_session_get_announcer (tertulia_window_get_session (host));
  g_assert_nonnull (announcer);
  g_object_ref (announcer);
  WAIT_UNTIL (tertulia_announcer_get_state (announcer) == TERTULIA_ANNOUNCER_ANNOUNCED);
  g_assert_true (fake_avahi_has_service (fake, "LAN Party"));
  host_room = tertulia_client_get_room (tertulia_session_get_client (tertulia_window_get_session (host)));

  WAIT_UNTIL ((row = ui_test_find_lan_row (guest, "LAN Party")) != NULL &&
              has_subtitle (row, "On this computer · 1 person") &&
              gtk_widget_get_mapped (GTK_WIDGET (row)));

  gtk_editable_set_text (_tertulia_start_page_get_nickname_row (start_page (guest)), "luis");
  gtk_widget_activate (GTK_WIDGET (row));
  WAIT_UNTIL (g_strcmp0 (page_name (guest), "chat") == 0);
  guest_client = tertulia_session_get_client (tertulia_window_get_session (guest));
  g_assert_cmpstr (tertulia_room_get_name (tertulia_client_get_room (guest_client)), ==, "LAN Party");
  WAIT_UNTIL (tertulia_room_get_n_participants (host_room) == 2);

  /* The announcement counts people. */
  WAIT_UNTIL (announced_txt_has (fake, "LAN Party", "n=2"));

  tertulia_window_leave (guest);
  WAIT_UNTIL ((row = ui_test_find_lan_row (guest, "LAN Party")) != NULL &&
              has_subtitle (row, "On this computer · 1 person"));

  /* Ending the room withdraws it. */
  tertulia_window_leave (host);
  g_assert_cmpint (tertulia_announcer_get_state (announcer), ==, TERTULIA_ANNOUNCER_STOPPED);
  WAIT_UNTIL (!fake_avahi_has_service (fake, "LAN Party"));
  WAIT_UNTIL (ui_test_find_lan_row (guest, "LAN Party") == NULL);
  g_object_unref (announcer);

  ui_test_destroy_window (guest);
  ui_test_destroy_window (host);
}

/* avahi-daemon stops: one calm line, typing an address still there;
 * it comes back: so do the rooms.
 */
static void
test_avahi_stops (void)
{
  TertuliaWindow *window = ui_test_window_new (app);
  TertuliaStartPage *start = start_page (window);
  GtkLabel *status = _tertulia_start_page_get_lan_status_label (start);
  const char *txt[] = { "name=Aula 3", "v=1", "n=2", NULL };

  fake_avahi_publish (fake, "Aula 3", "classroom.local", "127.0.0.1", 7878, txt);
  WAIT_UNTIL (ui_test_find_lan_row (window, "Aula 3") != NULL);

  fake_avahi_stop (fake);
  WAIT_UNTIL (count_lan_rows (window) == 0 && gtk_widget_get_mapped (GTK_WIDGET (status)) &&
              strstr (gtk_label_get_text (status), "Avahi") != NULL);
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (_tertulia_start_page_get_address_row (start))));

  fake_avahi_start (fake);
  WAIT_UNTIL (ui_test_find_lan_row (window, "Aula 3") != NULL);
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (status)));

  fake_avahi_withdraw (fake, "Aula 3");
  WAIT_UNTIL (count_lan_rows (window) == 0);
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

  g_test_add_func ("/window/lan/browse", test_browse);
  g_test_add_func ("/window/lan/host-and-find", test_host_and_find);
  g_test_add_func ("/window/lan/avahi-stops", test_avahi_stops);

  ret = g_test_run ();

  g_clear_object (&app);
  tertulia_test_spin (50);
  fake_avahi_free (fake);

  return ret;
}

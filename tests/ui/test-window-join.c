/* test-window-join.c — joining a tertulia-server from the window
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ui-test-utils.h"

static TertuliaApplication *app;

typedef struct
{
  GSubprocess     *server;
  char            *address;
  TertuliaWindow  *window;
} Fixture;

/* tertulia-server on a free port, in a room whose name is markup */
static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  fixture->server = ui_test_start_server (&fixture->address,
                                          "--room-name", "Sala <b>de</b> prueba",
                                          NULL);
  fixture->window = ui_test_window_new (app);
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  tertulia_window_leave (fixture->window);
  ui_test_destroy_window (fixture->window);

  ui_test_stop_server (&fixture->server);
  g_clear_pointer (&fixture->address, g_free);
}

static void
join_from_window (Fixture    *fixture,
                  const char *address,
                  const char *nickname)
{
  TertuliaStartPage *start = _tertulia_window_get_start_page (fixture->window);

  gtk_editable_set_text (_tertulia_start_page_get_nickname_row (start), nickname);
  gtk_editable_set_text (_tertulia_start_page_get_address_row (start), address);
  tertulia_start_page_join (start);
}

static void
test_join_and_chat (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(TertuliaClient) other = NULL;
  g_auto(GStrv) recent = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *typed = g_strdup_printf ("ws://%s/ws", fixture->address);
  TertuliaSession *session;
  TertuliaRoom *room;
  TertuliaMessageRow *row;

  g_settings_reset (settings, "recent-rooms");

  /* Any form of the address works; this one is a WebSocket URI. */
  join_from_window (fixture, typed, "visitante");
  {
    GtkLabel *connecting = _tertulia_start_page_get_connecting_label (_tertulia_window_get_start_page (fixture->window));

    /* While it connects, the page says so. */
    g_assert_true (gtk_widget_is_visible (GTK_WIDGET (connecting)));
    g_assert_true (g_str_has_prefix (gtk_label_get_text (connecting), "Connecting to "));
  }
  WAIT_UNTIL (g_strcmp0 (_tertulia_window_get_page_name (fixture->window), "chat") == 0);

  session = tertulia_window_get_session (fixture->window);
  g_assert_false (tertulia_session_is_hosting (session));
  g_assert_false (gtk_widget_get_visible (_tertulia_chat_page_get_share_button (_tertulia_window_get_chat_page (fixture->window))));
  room = tertulia_client_get_room (tertulia_session_get_client (session));
  /* The room's name is shown as text. */
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (fixture->window)), ==, "Sala <b>de</b> prueba");

  other = ui_test_join (fixture->address, "ana");
  WAIT_UNTIL (tertulia_room_get_n_participants (room) == 2);
  g_assert_nonnull (tertulia_client_send_message (other, TERTULIA_MESSAGE_KIND_CHAT, "bienvenida", NULL));
  WAIT_UNTIL ((row = ui_test_find_row (fixture->window, "bienvenida")) != NULL);
  g_assert_cmpstr (tertulia_message_header_get_author (_tertulia_message_row_get_header (row)), ==, "ana");

  /* The room is remembered, one click away on the start page. */
  recent = g_settings_get_strv (settings, "recent-rooms");
  g_assert_cmpstr (recent[0], ==, typed);

  /* Guests leave without being asked; the others see them go. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.leave", NULL);
  g_assert_null (_tertulia_window_get_confirm_dialog (fixture->window));
  g_assert_cmpstr (_tertulia_window_get_page_name (fixture->window), ==, "start");
  WAIT_UNTIL (tertulia_room_get_n_participants (tertulia_client_get_room (other)) == 1);

  g_assert_true (gtk_widget_get_visible (_tertulia_start_page_get_recent_group (_tertulia_window_get_start_page (fixture->window))));

  tertulia_client_disconnect (other);
}

/* Joining in one window under another name leaves the saved nickname,
 * and so every other window's, as it was; only a first nickname, when none
 * was saved, becomes the one for next time.
 */
static void
test_nickname_per_window (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *saved = NULL;
  TertuliaWindow *other;

  g_settings_set_string (settings, "nickname", "dana");
  join_from_window (fixture, fixture->address, "zoe");
  WAIT_UNTIL (g_strcmp0 (_tertulia_window_get_page_name (fixture->window), "chat") == 0);

  saved = g_settings_get_string (settings, "nickname");
  g_assert_cmpstr (saved, ==, "dana");
  other = ui_test_window_new (app);
  g_assert_cmpstr (gtk_editable_get_text (_tertulia_start_page_get_nickname_row (_tertulia_window_get_start_page (other))),
                   ==, "dana");
  ui_test_destroy_window (other);

  /* The Preferences say the name is for next time; /nick renames now. */
  tertulia_window_leave (fixture->window);
  g_settings_reset (settings, "nickname");
  join_from_window (fixture, fixture->address, "zoe");
  WAIT_UNTIL (g_strcmp0 (_tertulia_window_get_page_name (fixture->window), "chat") == 0);
  g_free (saved);
  saved = g_settings_get_string (settings, "nickname");
  g_assert_cmpstr (saved, ==, "zoe");
  g_settings_reset (settings, "nickname");
}

static void
test_wrong_address (Fixture       *fixture,
                    gconstpointer  data)
{
  TertuliaStartPage *start = _tertulia_window_get_start_page (fixture->window);
  GtkLabel *error_label = _tertulia_start_page_get_join_error_label (start);
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autofree char *closed = NULL;
  guint port;

  /* A port where nothing listens: a free one, found and let go. */
  port = tertulia_find_free_port (50000, 60000);
  g_assert_cmpuint (port, !=, 0);
  closed = g_strdup_printf ("127.0.0.1:%u", port);

  join_from_window (fixture, closed, "visitante");
  g_assert_true (tertulia_start_page_get_busy (start));
  WAIT_UNTIL (!tertulia_start_page_get_busy (start));

  /* Said in words, naming the address, and we stay on the start page. */
  g_assert_cmpstr (_tertulia_window_get_page_name (fixture->window), ==, "start");
  g_assert_nonnull (strstr (gtk_label_get_text (error_label), closed));
  g_assert_null (strstr (gtk_label_get_text (error_label), "GDBus"));
  g_assert_null (strstr (gtk_label_get_text (error_label), "g-io-error"));

  /* Not an address at all: said before trying the network. */
  join_from_window (fixture, "http://", "visitante");
  g_assert_false (tertulia_start_page_get_busy (start));
  g_assert_cmpstr (gtk_label_get_text (error_label), !=, "");
  g_assert_null (strstr (gtk_label_get_text (error_label), closed));

  /* Typing clears the complaint; the right address then works. */
  gtk_editable_set_text (_tertulia_start_page_get_address_row (start), fixture->address);
  g_assert_cmpstr (gtk_label_get_text (error_label), ==, "");
  tertulia_start_page_join (start);
  WAIT_UNTIL (g_strcmp0 (_tertulia_window_get_page_name (fixture->window), "chat") == 0);
}

static void
test_server_goes_away (Fixture       *fixture,
                       gconstpointer  data)
{
  TertuliaChatPage *page = _tertulia_window_get_chat_page (fixture->window);
  GtkLabel *banner = _tertulia_chat_page_get_banner_label (page);
  TertuliaClient *client;
  g_autofree char *typed = NULL;

  join_from_window (fixture, fixture->address, "visitante");
  WAIT_UNTIL (g_strcmp0 (_tertulia_window_get_page_name (fixture->window), "chat") == 0);
  client = tertulia_session_get_client (tertulia_window_get_session (fixture->window));

  /* Something typed but not sent yet survives the connection trouble. */
  _tertulia_chat_page_set_entry_text (page, "half a thought");

  g_subprocess_send_signal (fixture->server, SIGTERM);
  g_subprocess_wait (fixture->server, NULL, NULL);

  WAIT_UNTIL (tertulia_client_get_state (client) != TERTULIA_CONNECTION_CONNECTED);
  WAIT_UNTIL (gtk_widget_get_child_visible (gtk_widget_get_parent (GTK_WIDGET (banner))) &&
              g_strcmp0 (gtk_label_get_text (banner), "") != 0);
  typed = _tertulia_chat_page_dup_entry_text (page);
  g_assert_cmpstr (typed, ==, "half a thought");
}

/* The tests' system bus does not exist: no Avahi. The network list says
 * so in one calm line, not while it is still looking, and typing an
 * address works as ever.
 */
static void
test_without_avahi (Fixture       *fixture,
                    gconstpointer  data)
{
  TertuliaStartPage *start = _tertulia_window_get_start_page (fixture->window);
  GtkLabel *status = _tertulia_start_page_get_lan_status_label (start);
  GtkListBox *list = _tertulia_start_page_get_lan_list (start);
  GtkWidget *fresh;

  /* A page just made is still looking for Avahi: nothing about it yet. */
  fresh = g_object_ref_sink (tertulia_start_page_new ());
  g_assert_cmpstr (gtk_label_get_text (_tertulia_start_page_get_lan_status_label (TERTULIA_START_PAGE (fresh))),
                   ==, "No rooms found yet");
  g_assert_finalize_object (fresh);

  WAIT_UNTIL (strstr (gtk_label_get_text (status), "Avahi") != NULL);
  g_assert_cmpstr (gtk_label_get_text (status), ==,
                   "Can’t look for rooms because the Avahi service isn’t running. "
                   "You can still join a room by its address.");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (status)));
  g_assert_null (gtk_list_box_get_row_at_index (list, 0));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (_tertulia_start_page_get_address_row (start))));

  join_from_window (fixture, fixture->address, "visitante");
  WAIT_UNTIL (g_strcmp0 (_tertulia_window_get_page_name (fixture->window), "chat") == 0);
  g_assert_cmpuint (tertulia_room_get_n_participants (tertulia_client_get_room (tertulia_session_get_client (tertulia_window_get_session (fixture->window)))),
                    ==, 1);

  /* Back on the start page, still calm. */
  tertulia_window_leave (fixture->window);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (status)));
  g_assert_nonnull (strstr (gtk_label_get_text (status), "Avahi"));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  app = ui_test_application_new ();

  g_test_add ("/window/join/join-and-chat", Fixture, NULL, setup, test_join_and_chat, teardown);
  g_test_add ("/window/join/nickname-per-window", Fixture, NULL, setup, test_nickname_per_window, teardown);
  g_test_add ("/window/join/wrong-address", Fixture, NULL, setup, test_wrong_address, teardown);
  g_test_add ("/window/join/server-goes-away", Fixture, NULL, setup, test_server_goes_away, teardown);
  g_test_add ("/window/join/without-avahi", Fixture, NULL, setup, test_without_avahi, teardown);

  ret = g_test_run ();

  g_clear_object (&app);

  return ret;
}

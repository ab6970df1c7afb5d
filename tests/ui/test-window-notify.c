/* test-window-notify.c — notifications from a window's room
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
  TertuliaWindow  *window;
  TertuliaClient  *guest;
} Fixture;

static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  TertuliaStartPage *start;
  g_autofree char *address = NULL;
  guint port;

  fixture->window = ui_test_window_new (app);
  start = _tertulia_window_get_start_page (fixture->window);

  gtk_editable_set_text (_tertulia_start_page_get_nickname_row (start), "hostie");
  port = tertulia_find_free_port (20000, 40000);
  gtk_spin_button_set_value (_tertulia_start_page_get_port_spin (start), port);
  tertulia_start_page_host (start);
  WAIT_UNTIL (g_strcmp0 (_tertulia_window_get_page_name (fixture->window), "chat") == 0);

  address = g_strdup_printf ("127.0.0.1:%u", tertulia_session_get_port (tertulia_window_get_session (fixture->window)));
  fixture->guest = ui_test_join (address, "guest");
  WAIT_UNTIL (tertulia_room_get_n_participants (tertulia_client_get_room (tertulia_session_get_client (tertulia_window_get_session (fixture->window)))) == 2);
  tertulia_test_spin (100);

  ui_test_mock_clear_calls ();
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  g_clear_pointer (&fixture->guest, ui_test_leave);
  tertulia_window_leave (fixture->window);
  ui_test_destroy_window (fixture->window);
}

/* The guest says @text and the host's window shows it. */
static void
guest_says (Fixture    *fixture,
            const char *text)
{
  g_assert_nonnull (tertulia_client_send_message (fixture->guest, TERTULIA_MESSAGE_KIND_CHAT, text, NULL));
  WAIT_UNTIL (ui_test_find_row (fixture->window, text) != NULL);
  tertulia_test_spin (100);
}

/* Another application's window takes the focus, as when the person
 * switches away.
 */
static GtkWidget *
focus_elsewhere (Fixture *fixture)
{
  GtkWidget *other = gtk_window_new ();

  gtk_window_set_title (GTK_WINDOW (other), "Somewhere else");
  gtk_window_present (GTK_WINDOW (other));
  WAIT_UNTIL (gtk_window_is_active (GTK_WINDOW (other)) &&
              !gtk_window_is_active (GTK_WINDOW (fixture->window)));

  return other;
}

static void
test_inactive_then_active (Fixture       *fixture,
                           gconstpointer  data)
{
  const char *text = "<b>bold</b> & <i>more</i> &amp; such";
  TertuliaNotifier *notifier = _tertulia_window_get_notifier (fixture->window);
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(GPtrArray) closes = NULL;
  g_autoptr(GPtrArray) later = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *body = NULL;
  GtkWidget *other;

  g_assert_nonnull (notifier);
  WAIT_UNTIL (gtk_window_is_active (GTK_WINDOW (fixture->window)));

  /* While the window is looked at, nothing is notified. */
  guest_says (fixture, "you can see this one");
  calls = ui_test_mock_get_calls ("Notify");
  g_assert_cmpuint (calls->len, ==, 0);
  g_clear_pointer (&calls, g_ptr_array_unref);

  other = focus_elsewhere (fixture);

  /* Exactly one notification, whose body is the text as sent. */
  guest_says (fixture, text);
  calls = ui_test_mock_get_calls ("Notify");
  g_assert_cmpuint (calls->len, ==, 1);
  summary = ui_test_notify_call_dup_string (g_ptr_array_index (calls, 0), 3);
  body = ui_test_notify_call_dup_string (g_ptr_array_index (calls, 0), 4);
  {
    TertuliaSession *session = tertulia_window_get_session (fixture->window);
    TertuliaRoom *room = tertulia_client_get_room (tertulia_session_get_client (session));
    g_autofree char *expected = g_strdup_printf ("guest in %s", tertulia_room_get_name (room));

    /* Who and where. */
    g_assert_cmpstr (summary, ==, expected);
  }
  g_assert_cmpstr (body, ==, text);

  /* Back to the window: the notification is taken back. */
  gtk_window_present (GTK_WINDOW (fixture->window));
  WAIT_UNTIL (gtk_window_is_active (GTK_WINDOW (fixture->window)));
  closes = ui_test_mock_get_calls ("CloseNotification");
  g_assert_cmpuint (closes->len, ==, 1);

  guest_says (fixture, "seen while active");
  later = ui_test_mock_get_calls ("Notify");
  g_assert_cmpuint (later->len, ==, 1);

  gtk_window_destroy (GTK_WINDOW (other));
}

static void
test_click_presents_window (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) calls = NULL;
  GtkWidget *other = focus_elsewhere (fixture);

  guest_says (fixture, "look here");
  calls = ui_test_mock_get_calls ("Notify");
  g_assert_cmpuint (calls->len, ==, 1);

  /* Clicking it brings the room's window back. */
  ui_test_mock_click_last ();
  WAIT_UNTIL (gtk_window_is_active (GTK_WINDOW (fixture->window)));

  gtk_window_destroy (GTK_WINDOW (other));
}

static void
test_mode_setting (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GPtrArray) calls = NULL;
  GtkWidget *other = focus_elsewhere (fixture);

  /* "Only mentions": an ordinary message stays quiet, a mention does not. */
  g_settings_set_string (settings, "notification-mode", "mentions");
  guest_says (fixture, "nothing special");
  calls = ui_test_mock_get_calls ("Notify");
  g_assert_cmpuint (calls->len, ==, 0);
  g_clear_pointer (&calls, g_ptr_array_unref);

  guest_says (fixture, "hostie, dinner is ready");
  calls = ui_test_mock_get_calls ("Notify");
  g_assert_cmpuint (calls->len, ==, 1);
  g_clear_pointer (&calls, g_ptr_array_unref);

  /* "None": not even mentions. */
  g_settings_set_string (settings, "notification-mode", "none");
  ui_test_mock_clear_calls ();
  guest_says (fixture, "hostie? hello?");
  calls = ui_test_mock_get_calls ("Notify");
  g_assert_cmpuint (calls->len, ==, 0);

  g_settings_reset (settings, "notification-mode");
  gtk_window_destroy (GTK_WINDOW (other));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  app = ui_test_application_new ();

  g_test_add ("/window/notify/inactive-then-active", Fixture, NULL, setup, test_inactive_then_active, teardown);
  g_test_add ("/window/notify/click-presents-window", Fixture, NULL, setup, test_click_presents_window, teardown);
  g_test_add ("/window/notify/mode-setting", Fixture, NULL, setup, test_mode_setting, teardown);

  ret = g_test_run ();

  g_clear_object (&app);

  return ret;
}

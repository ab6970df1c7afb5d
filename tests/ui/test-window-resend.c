/* test-window-resend.c — a message the room refused is sent again with one click
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ui-test-utils.h"
#include "tertulia-test-refuser.h"

static TertuliaApplication *app;

static void
session_connected_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  gboolean *done = user_data;

  g_assert_true (tertulia_session_connect_finish (TERTULIA_SESSION (object), result, NULL));
  *done = TRUE;
}

static void
test_resend_button (void)
{
  g_autoptr(TertuliaTestRefuser) refuser = tertulia_test_refuser_new ();
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", tertulia_test_refuser_get_port (refuser));
  g_autoptr(TertuliaSession) session = tertulia_session_new_guest (address, "ana");
  TertuliaWindow *window = ui_test_window_new (app);
  GListModel *messages;
  TertuliaMessage *message;
  TertuliaMessageRow *row;
  GtkWidget *button;
  gboolean done = FALSE;

  tertulia_session_connect_async (session, NULL, session_connected_cb, &done);
  WAIT_UNTIL (done);
  tertulia_window_set_session (window, session);
  messages = tertulia_room_get_messages (tertulia_client_get_room (tertulia_session_get_client (session)));

  tertulia_client_send_message (tertulia_session_get_client (session),
                                TERTULIA_MESSAGE_KIND_CHAT, "refuse this, once", NULL);
  WAIT_UNTIL ((message = ui_test_find_message (messages, "refuse this, once")) != NULL &&
              tertulia_message_get_state (message) == TERTULIA_MESSAGE_STATE_FAILED);
  WAIT_UNTIL ((row = ui_test_find_row (window, "refuse this, once")) != NULL &&
              _tertulia_message_row_get_resend_button (row) != NULL &&
              gtk_widget_get_mapped (_tertulia_message_row_get_resend_button (row)));
  button = _tertulia_message_row_get_resend_button (row);
  g_assert_cmpuint (tertulia_test_refuser_count (refuser, "refuse this, once"), ==, 0);

  /* One click: sent again, delivered, and the button goes away. */
  gtk_widget_activate (button);
  WAIT_UNTIL (tertulia_message_get_state (message) == TERTULIA_MESSAGE_STATE_DELIVERED);
  WAIT_UNTIL ((row = ui_test_find_row (window, "refuse this, once")) != NULL &&
              (_tertulia_message_row_get_resend_button (row) == NULL ||
               !gtk_widget_get_visible (_tertulia_message_row_get_resend_button (row))));
  tertulia_test_spin (200);

  g_assert_cmpuint (tertulia_test_refuser_n_refused (refuser), ==, 1);
  g_assert_cmpuint (tertulia_test_refuser_count (refuser, "refuse this, once"), ==, 1);

  tertulia_window_leave (window);
  ui_test_destroy_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  app = ui_test_application_new ();

  g_test_add_func ("/window/resend-button", test_resend_button);

  ret = g_test_run ();

  g_clear_object (&app);

  return ret;
}

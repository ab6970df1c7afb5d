/* test-window-back-on-lan.c — a guest waiting to reconnect tries at once when its room is announced again
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ui-test-utils.h"
#include "tertulia-fake-avahi.h"
#include "tertulia-server.h"

static TertuliaApplication *app;
static FakeAvahi *fake;

static void
session_connected_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  gboolean *done = user_data;

  g_assert_true (tertulia_session_connect_finish (TERTULIA_SESSION (object), result, NULL));
  *done = TRUE;
}

static TertuliaServer *
start_server (guint port)
{
  g_autoptr(TertuliaServer) server = tertulia_server_new ("Aula 3");
  g_autoptr(GError) error = NULL;

  g_assert_true (tertulia_server_listen (server, "127.0.0.1", port, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&server);
}

static void
test_announced_again (void)
{
  const char *txt[] = { "name=Aula 3", "v=1", "n=1", NULL };
  g_autoptr(TertuliaServer) server = start_server (0);
  guint port = tertulia_server_get_port (server);
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", port);
  g_autoptr(TertuliaSession) session = tertulia_session_new_guest (address, "ana");
  TertuliaWindow *window = ui_test_window_new (app);
  TertuliaClient *client = tertulia_session_get_client (session);
  guint n_browsers;
  gboolean done = FALSE;
  gint64 start;

  /* The start page's, for the list of rooms */
  WAIT_UNTIL (fake_avahi_get_n_browsers (fake) == 1);
  n_browsers = fake_avahi_get_n_browsers (fake);

  tertulia_session_connect_async (session, NULL, session_connected_cb, &done);
  WAIT_UNTIL (done);
  tertulia_window_set_session (window, session);
  tertulia_test_spin (100);
  g_assert_cmpuint (fake_avahi_get_n_browsers (fake), ==, n_browsers);

  /* The host goes; the guest waits longer and longer between attempts,
   * and looks at the LAN meanwhile.
   */
  tertulia_server_shutdown (server, NULL);
  g_clear_object (&server);
  WAIT_UNTIL (tertulia_client_get_state (client) == TERTULIA_CONNECTION_RECONNECTING);
  WAIT_UNTIL (fake_avahi_get_n_browsers (fake) == n_browsers + 1);
  WAIT_UNTIL (tertulia_client_get_retry_seconds (client) >= 3);

  /* Back, and announced: in well under the countdown. */
  server = start_server (port);
  start = g_get_monotonic_time ();
  fake_avahi_publish (fake, "Aula 3", "aula.local", "127.0.0.1", port, txt);
  WAIT_UNTIL (tertulia_client_get_state (client) == TERTULIA_CONNECTION_CONNECTED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);

  /* Connected, the page stops looking. */
  WAIT_UNTIL (fake_avahi_get_n_browsers (fake) == n_browsers);

  fake_avahi_withdraw (fake, "Aula 3");
  tertulia_window_leave (window);
  ui_test_destroy_window (window);
  tertulia_server_shutdown (server, NULL);
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

  g_test_add_func ("/window/back-on-lan", test_announced_again);

  ret = g_test_run ();

  g_clear_object (&app);
  tertulia_test_spin (50);
  fake_avahi_free (fake);

  return ret;
}

/* test-client-history.c — a guest scrolls back through a real in-process host
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-client-history"

#include "config.h"

#include <string.h>

#include "tertulia-client.h"
#include "tertulia-memory-store.h"
#include "tertulia-server.h"
#include "tertulia-test-client.h"
#include "tertulia-test-refuser.h"
#include "tertulia-test-relay.h"
#include "tertulia-test-store.h"
#include "tertulia-test-utils.h"

/* The host keeps 100 events; a welcome carries the last 20 */
#define N_EVENTS 100
#define WELCOME_HISTORY 20

typedef TertuliaTestHost Fixture;

static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  g_autoptr(TertuliaStore) store = tertulia_memory_store_new (10000);
  g_autoptr(GError) error = NULL;

  tertulia_test_fill_store (store, "fedcba9876543210", "Historia", N_EVENTS);
  fixture->server = tertulia_server_new_with_store ("Historia", WELCOME_HISTORY, store);
  g_assert_true (tertulia_server_listen (fixture->server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  fixture->port = tertulia_server_get_port (fixture->server);
  fixture->address = g_strdup_printf ("127.0.0.1:%u", fixture->port);
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  tertulia_test_host_clear (fixture);
}

static TertuliaRoom *
room_of (TertuliaClient *client)
{
  return tertulia_client_get_room (client);
}

static guint
n_rows (TertuliaClient *client)
{
  return g_list_model_get_n_items (tertulia_room_get_messages (room_of (client)));
}

static void
count_cb (GObject    *object,
          GParamSpec *pspec,
          guint      *count)
{
  (*count)++;
}

/* Page by page back to the room's first event: each arrives once, in
 * order, in front of the log; "fetching-history" says when one is on its
 * way.
 */
static void
test_pages (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(TertuliaClient) ana = tertulia_client_new (fixture->address, "ana");
  guint fetching_notifies = 0;

  /* Not connected: nothing to ask */
  g_assert_false (tertulia_client_fetch_history (ana, 10));

  connect_and_wait (ana);
  g_signal_connect (ana, "notify::fetching-history", G_CALLBACK (count_cb), &fetching_notifies);

  /* The welcome: 82..100 and ana's join, 101 */
  g_assert_cmpint (tertulia_room_get_oldest_seq (room_of (ana)), ==, N_EVENTS + 2 - WELCOME_HISTORY);
  g_assert_true (tertulia_room_get_has_older (room_of (ana)));
  g_assert_cmpuint (n_rows (ana), ==, WELCOME_HISTORY);

  g_assert_true (tertulia_client_fetch_history (ana, 30));
  g_assert_true (tertulia_client_get_fetching_history (ana));
  /* One at a time */
  g_assert_false (tertulia_client_fetch_history (ana, 30));
  WAIT_UNTIL (!tertulia_client_get_fetching_history (ana));
  g_assert_cmpuint (fetching_notifies, ==, 2);
  g_assert_cmpint (tertulia_room_get_oldest_seq (room_of (ana)), ==, 52);
  g_assert_cmpuint (n_rows (ana), ==, WELCOME_HISTORY + 30);
  g_assert_cmpstr (tertulia_message_get_text (message_at (ana, 0)), ==, "mensaje 52");
  g_assert_true (tertulia_room_get_has_older (room_of (ana)));

  /* More than is left: the last page */
  g_assert_true (tertulia_client_fetch_history (ana, 200));
  WAIT_UNTIL (!tertulia_client_get_fetching_history (ana));
  g_assert_cmpint (tertulia_room_get_oldest_seq (room_of (ana)), ==, 1);
  g_assert_false (tertulia_room_get_has_older (room_of (ana)));
  g_assert_cmpuint (n_rows (ana), ==, N_EVENTS + 1);
  for (guint i = 0; i < N_EVENTS + 1; i++)
    g_assert_cmpint (tertulia_message_get_seq (message_at (ana, i)), ==, i + 1);

  /* Nothing older: nothing asked */
  g_assert_false (tertulia_client_fetch_history (ana, 10));
  g_assert_false (tertulia_client_get_fetching_history (ana));
  g_assert_cmpuint (tertulia_room_get_n_participants (room_of (ana)), ==, 1);

  g_signal_handlers_disconnect_by_data (ana, &fetching_notifies);
  tertulia_client_disconnect (ana);
}

/* The link drops while a request is on its way: the request is
 * forgotten, not wedged, and asking again after the reconnection works.
 */
static void
test_reconnect_in_flight (Fixture       *fixture,
                          gconstpointer  data)
{
  TertuliaTestRelay *relay = tertulia_test_relay_new (fixture->port);
  g_autofree char *relayed = g_strdup_printf ("127.0.0.1:%u", tertulia_test_relay_get_port (relay));
  g_autoptr(TertuliaClient) ana = tertulia_client_new (relayed, "ana");
  gint64 oldest;

  connect_and_wait (ana);
  oldest = tertulia_room_get_oldest_seq (room_of (ana));

  /* Asked, and the line goes dead before any answer is read */
  g_assert_true (tertulia_client_fetch_history (ana, 10));
  g_assert_cmpuint (tertulia_test_relay_cut (relay, TERTULIA_TEST_RELAY_CUT_RESET), ==, 1);
  WAIT_UNTIL (tertulia_client_get_state (ana) == TERTULIA_CONNECTION_RECONNECTING);
  g_assert_false (tertulia_client_get_fetching_history (ana));
  g_assert_false (tertulia_client_fetch_history (ana, 10));

  WAIT_UNTIL (tertulia_client_get_state (ana) == TERTULIA_CONNECTION_CONNECTED);
  g_assert_false (tertulia_client_get_fetching_history (ana));
  g_assert_cmpint (tertulia_room_get_oldest_seq (room_of (ana)), ==, oldest);

  g_assert_true (tertulia_client_fetch_history (ana, 10));
  WAIT_UNTIL (!tertulia_client_get_fetching_history (ana));
  g_assert_cmpint (tertulia_room_get_oldest_seq (room_of (ana)), ==, oldest - 10);
  /* Each seq once, in order (the notices of the drop have none) */
  for (guint i = 0, previous = 0; i < n_rows (ana); i++)
    {
      gint64 seq = tertulia_message_get_seq (message_at (ana, i));

      if (seq == 0)
        continue;
      g_assert_cmpint (seq, >, previous);
      previous = seq;
    }

  tertulia_client_disconnect (ana);
  tertulia_test_relay_free (relay);
}

/* A host from before scrollback answers "unknown-type": the room has
 * nothing older to give, and the log says nothing about it.
 */
static void
test_older_host (void)
{
  g_autoptr(TertuliaTestRefuser) host = tertulia_test_refuser_new ();
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", tertulia_test_refuser_get_port (host));
  g_autoptr(TertuliaClient) first = tertulia_client_new (address, "ana");
  g_autoptr(TertuliaClient) second = tertulia_client_new (address, "luis");
  g_autoptr(GError) error = NULL;
  TertuliaRoom *room;
  guint n;

  /* A room with an event before the second guest's welcome, which has
   * no history: there may be older events
   */
  connect_and_wait (first);
  tertulia_client_send_message (first, TERTULIA_MESSAGE_KIND_CHAT, "hola", &error);
  g_assert_no_error (error);
  WAIT_UNTIL (tertulia_test_refuser_count (host, "hola") == 1);
  connect_and_wait (second);
  room = room_of (second);
  g_assert_true (tertulia_room_get_has_older (room));
  n = n_rows (second);

  g_assert_true (tertulia_client_fetch_history (second, 10));
  WAIT_UNTIL (!tertulia_client_get_fetching_history (second));
  g_assert_false (tertulia_room_get_has_older (room));
  g_assert_cmpuint (n_rows (second), ==, n);
  g_assert_false (tertulia_client_fetch_history (second, 10));
  g_assert_cmpint (tertulia_client_get_state (second), ==, TERTULIA_CONNECTION_CONNECTED);

  tertulia_client_disconnect (second);
  tertulia_client_disconnect (first);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/client-history/pages", Fixture, NULL, setup, test_pages, teardown);
  g_test_add ("/client-history/reconnect-in-flight", Fixture, NULL, setup,
              test_reconnect_in_flight, teardown);
  g_test_add_func ("/client-history/older-host", test_older_host);

  return g_test_run ();
}

/* test-reconnect.c — a guest through outages, restarts and another room on the same address
 *
 * The core client against real in-process hosts, stopped and started again
 * by the test. Every case counts the messages one by one: none lost, none
 * twice.
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-reconnect"

#include "config.h"

#include "tertulia-client.h"
#include "tertulia-server.h"
#include "tertulia-test-client.h"
#include "tertulia-test-refuser.h"
#include "tertulia-test-relay.h"
#include "tertulia-test-utils.h"

typedef TertuliaTestHost Fixture;

static void
fixture_start_server (Fixture    *fixture,
                      const char *name,
                      guint       port)
{
  tertulia_test_host_start (fixture, name, port);
}

static void
fixture_stop_server (Fixture *fixture)
{
  tertulia_test_server_stop (&fixture->server);
}

static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  fixture_start_server (fixture, "LAN party", 0);
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  tertulia_test_host_clear (fixture);
}

static TertuliaClient *
join (const char *address,
      const char *nickname)
{
  TertuliaClient *client = tertulia_client_new (address, nickname);

  connect_and_wait (client);

  return client;
}

static void
leave (TertuliaClient *client)
{
  tertulia_client_disconnect (client);
  g_assert_finalize_object (client);
}

static void
max_retry_cb (TertuliaClient *client,
              GParamSpec     *pspec,
              guint          *max)
{
  *max = MAX (*max, tertulia_client_get_retry_seconds (client));
}

static void
server_error_cb (TertuliaClient *client,
                 const char     *code,
                 const char     *message,
                 const char     *cid,
                 guint          *count)
{
  (*count)++;
}

/* @client says "@prefix 0" … "@prefix @n-1". */
static void
say_numbered (TertuliaClient *client,
              const char     *prefix,
              guint           n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = g_strdup_printf ("%s %u", prefix, i);

      g_assert_nonnull (tertulia_client_send_message (client, TERTULIA_MESSAGE_KIND_CHAT, text, NULL));
    }
}

/* "@prefix 0" … "@prefix @n-1" are each in @client's log exactly once,
 * delivered.
 */
static void
assert_each_once (TertuliaClient *client,
                  const char     *prefix,
                  guint           n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = g_strdup_printf ("%s %u", prefix, i);
      TertuliaMessage *message = find_message (client, text);

      g_assert_cmpuint (count_messages (client, text), ==, 1);
      g_assert_cmpint (tertulia_message_get_state (message), ==, TERTULIA_MESSAGE_STATE_DELIVERED);
    }
}

/* Case 7 of issue 13: a link that drops and comes back. While away the
 * participant list does not pretend the others are there, and the log
 * shows the outage once, and its end.
 */
static void
test_outage_visible (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(TertuliaTestRelay) relay = tertulia_test_relay_new (fixture->port);
  g_autofree char *relayed = g_strdup_printf ("127.0.0.1:%u", tertulia_test_relay_get_port (relay));
  TertuliaClient *luis = join (fixture->address, "luis");
  TertuliaClient *ana = join (relayed, "ana");

  WAIT_UNTIL (n_participants (ana) == 2);
  tertulia_client_send_message (luis, TERTULIA_MESSAGE_KIND_CHAT, "before", NULL);
  WAIT_UNTIL (find_message (ana, "before") != NULL);

  g_assert_cmpuint (tertulia_test_relay_cut (relay, TERTULIA_TEST_RELAY_CUT_RESET), ==, 1);
  WAIT_UNTIL (tertulia_client_get_state (ana) == TERTULIA_CONNECTION_RECONNECTING);
  g_assert_cmpuint (n_participants (ana), ==, 0);
  g_assert_cmpuint (count_notices (ana, "The connection to the room was lost."), ==, 1);
  g_assert_cmpuint (count_notices (ana, "You are back in the room."), ==, 0);

  say_numbered (luis, "during", 5);

  WAIT_UNTIL (tertulia_client_get_state (ana) == TERTULIA_CONNECTION_CONNECTED);
  WAIT_UNTIL (find_message (ana, "during 4") != NULL);
  tertulia_test_spin (200);
  g_assert_cmpuint (n_participants (ana), ==, 2);
  g_assert_cmpuint (count_notices (ana, "The connection to the room was lost."), ==, 1);
  g_assert_cmpuint (count_notices (ana, "You are back in the room."), ==, 1);
  g_assert_cmpuint (count_messages (ana, "before"), ==, 1);
  assert_each_once (ana, "during", 5);

  leave (ana);
  leave (luis);
}

/* Cases 7 and 8: the host is away for 8 s. The back-off stays at a few
 * seconds (it used to reach 8 s, then 16 s, then 30 s), the log says so
 * once however many attempts fail, and the guest is back within the cap
 * when the host is.
 */
static void
test_backoff_capped (Fixture       *fixture,
                     gconstpointer  data)
{
  TertuliaClient *ana = join (fixture->address, "ana");
  TertuliaClient *luis = join (fixture->address, "luis");
  guint port = fixture->port;
  guint max_wait = 0;
  gint64 start;

  WAIT_UNTIL (n_participants (ana) == 2);
  g_signal_connect (ana, "notify::retry-seconds", G_CALLBACK (max_retry_cb), &max_wait);

  fixture_stop_server (fixture);
  WAIT_UNTIL (tertulia_client_get_state (ana) == TERTULIA_CONNECTION_RECONNECTING);
  g_assert_cmpuint (n_participants (ana), ==, 0);
  tertulia_test_spin (8500);

  g_assert_cmpuint (max_wait, >=, 3);
  g_assert_cmpuint (max_wait, <=, 5);
  g_assert_cmpuint (count_notices (ana, "The host closed the room."), ==, 1);
  g_assert_cmpuint (n_participants (ana), ==, 0);

  fixture_start_server (fixture, "LAN party", port);
  start = g_get_monotonic_time ();
  WAIT_UNTIL (tertulia_client_get_state (ana) == TERTULIA_CONNECTION_CONNECTED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * tertulia_test_slowness () * G_USEC_PER_SEC);
  WAIT_UNTIL (n_participants (ana) == 2);
  g_assert_cmpuint (count_notices (ana, "The host opened the room again."), ==, 1);

  g_signal_handlers_disconnect_by_data (ana, &max_wait);
  leave (luis);
  leave (ana);
}

/* Case 8: the network coming back (GNetworkMonitor) means trying at once,
 * not at the end of the countdown.
 */
static void
test_network_changed (Fixture       *fixture,
                      gconstpointer  data)
{
  TertuliaClient *ana = join (fixture->address, "ana");
  guint port = fixture->port;
  gint64 start;

  fixture_stop_server (fixture);
  WAIT_UNTIL (tertulia_client_get_state (ana) == TERTULIA_CONNECTION_RECONNECTING);
  /* Some attempts fail, so the next one is seconds away. */
  WAIT_UNTIL (tertulia_client_get_retry_seconds (ana) >= 2);

  fixture_start_server (fixture, "LAN party", port);
  start = g_get_monotonic_time ();
  g_signal_emit_by_name (g_network_monitor_get_default (), "network-changed", TRUE);
  WAIT_UNTIL (tertulia_client_get_state (ana) == TERTULIA_CONNECTION_CONNECTED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, tertulia_test_slowness () * G_USEC_PER_SEC);

  leave (ana);
}

/* Case 9: another room opens on the same address. The guest is told it
 * is another room, by name; the log shows the boundary; the old room's
 * people and ids are gone; what was waiting to be sent goes to the new
 * room exactly once, from the new participant.
 */
static void
test_different_room (Fixture       *fixture,
                     gconstpointer  data)
{
  TertuliaClient *ana = join (fixture->address, "ana");
  TertuliaClient *luis = join (fixture->address, "luis");
  TertuliaClient *pepe = NULL;
  TertuliaRoom *room = tertulia_client_get_room (ana);
  g_autofree char *old_id = NULL;
  guint port = fixture->port;
  gint64 pepe_id;

  say_numbered (luis, "old", 5);
  WAIT_UNTIL (find_message (ana, "old 4") != NULL);
  old_id = g_strdup (tertulia_room_get_id (room));

  fixture_stop_server (fixture);
  WAIT_UNTIL (tertulia_client_get_state (ana) == TERTULIA_CONNECTION_RECONNECTING);
  tertulia_client_disconnect (luis);

  say_numbered (ana, "pending", 3);

  /* Another room, with someone in it first: its participant ids are its
   * own, and pepe gets the id ana had.
   */
  fixture_start_server (fixture, "Book club", port);
  pepe = join (fixture->address, "pepe");
  pepe_id = tertulia_participant_get_id (you (pepe));
  tertulia_client_send_message (pepe, TERTULIA_MESSAGE_KIND_CHAT, "welcome to the club", NULL);

  tertulia_client_retry (ana);
  WAIT_UNTIL (tertulia_client_get_state (ana) == TERTULIA_CONNECTION_CONNECTED);
  WAIT_UNTIL (find_message (pepe, "pending 2") != NULL);
  tertulia_test_spin (200);

  g_assert_cmpuint (count_notices (ana, "This is a different room: “Book club”."), ==, 1);
  g_assert_cmpuint (count_notices (ana, "The host opened the room again."), ==, 0);
  g_assert_cmpuint (count_notices (ana, "You are back in the room."), ==, 0);
  g_assert_cmpstr (tertulia_room_get_name (room), ==, "Book club");
  g_assert_cmpstr (tertulia_room_get_id (room), !=, old_id);

  /* Only the new room's people, and ana is someone else there. */
  g_assert_cmpuint (n_participants (ana), ==, 2);
  g_assert_null (tertulia_room_find_participant_by_nick (room, "luis"));
  g_assert_nonnull (tertulia_room_find_participant_by_nick (room, "pepe"));
  g_assert_cmpint (tertulia_participant_get_id (you (ana)), !=, pepe_id);

  /* The old log is kept once; the pending ones went to the new room once,
   * from ana as she is there.
   */
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *text = g_strdup_printf ("old %u", i);

      g_assert_cmpuint (count_messages (ana, text), ==, 1);
      g_assert_cmpuint (count_messages (pepe, text), ==, 0);
    }
  assert_each_once (ana, "pending", 3);
  assert_each_once (pepe, "pending", 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *text = g_strdup_printf ("pending %u", i);

      g_assert_cmpint (tertulia_message_get_author_id (find_message (ana, text)), ==,
                       tertulia_participant_get_id (you (ana)));
      g_assert_cmpint (tertulia_message_get_author_id (find_message (pepe, text)), ==,
                       tertulia_participant_get_id (you (ana)));
    }

  /* pepe's messages are his, not taken for ana's own. */
  WAIT_UNTIL (find_message (ana, "welcome to the club") != NULL);
  g_assert_false (tertulia_message_get_is_own (find_message (ana, "welcome to the club")));
  tertulia_client_send_message (pepe, TERTULIA_MESSAGE_KIND_CHAT, "after", NULL);
  WAIT_UNTIL (find_message (ana, "after") != NULL);
  g_assert_false (tertulia_message_get_is_own (find_message (ana, "after")));
  g_assert_cmpuint (count_messages (ana, "after"), ==, 1);

  leave (pepe);
  leave (luis);
  leave (ana);
}

/* An outbox of 120 messages written while the host was away goes out
 * within the limits the welcome announces: none refused, lost or twice.
 */
static void
test_outbox_paced (Fixture       *fixture,
                   gconstpointer  data)
{
  TertuliaClient *ana = join (fixture->address, "ana");
  TertuliaClient *luis = NULL;
  guint port = fixture->port;
  guint refused = 0;

  g_signal_connect (ana, "server-error", G_CALLBACK (server_error_cb), &refused);

  fixture_stop_server (fixture);
  WAIT_UNTIL (tertulia_client_get_state (ana) == TERTULIA_CONNECTION_RECONNECTING);

  say_numbered (ana, "queued", 120);

  fixture_start_server (fixture, "LAN party", port);
  luis = join (fixture->address, "luis");
  tertulia_client_retry (ana);

  /* At the default 50 at once and 10 a second, that is about 10 s. */
  for (guint i = 0; i < 120; i += 10)
    {
      g_autofree char *text = g_strdup_printf ("queued %u", MIN (i + 9, 119));

      WAIT_UNTIL (find_message (luis, text) != NULL);
    }
  tertulia_test_spin (300);

  g_assert_cmpuint (refused, ==, 0);
  g_assert_cmpint (tertulia_client_get_state (ana), ==, TERTULIA_CONNECTION_CONNECTED);
  assert_each_once (ana, "queued", 120);
  assert_each_once (luis, "queued", 120);

  g_signal_handlers_disconnect_by_data (ana, &refused);
  leave (luis);
  leave (ana);
}

/* A message the host refused can be sent again, once, and is then
 * delivered like any other.
 */
static void
test_resend (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(TertuliaTestRefuser) refuser = tertulia_test_refuser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u",
                                              tertulia_test_refuser_get_port (refuser));
  TertuliaClient *ana = join (address, "ana");
  GListModel *messages = tertulia_room_get_messages (tertulia_client_get_room (ana));
  TertuliaMessage *refused;
  TertuliaMessage *ok;

  g_assert_null (tertulia_client_get_last_failed_message (ana));

  refused = tertulia_client_send_message (ana, TERTULIA_MESSAGE_KIND_CHAT, "refuse me once", NULL);
  WAIT_UNTIL (tertulia_message_get_state (refused) == TERTULIA_MESSAGE_STATE_FAILED);
  ok = tertulia_client_send_message (ana, TERTULIA_MESSAGE_KIND_CHAT, "fine", NULL);
  WAIT_UNTIL (tertulia_message_get_state (ok) == TERTULIA_MESSAGE_STATE_DELIVERED);
  g_assert_true (tertulia_client_get_last_failed_message (ana) == refused);
  g_assert_cmpstr (tertulia_message_get_error (refused), ==, "You are sending too fast. Wait a moment and try again.");

  /* Only a failed message of yours can be sent again. */
  g_assert_false (tertulia_client_resend_message (ana, ok, &error));
  g_assert_error (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_REFUSED);
  g_clear_error (&error);

  g_assert_true (tertulia_client_resend_message (ana, refused, &error));
  g_assert_no_error (error);
  g_assert_null (tertulia_message_get_error (refused));
  WAIT_UNTIL (tertulia_message_get_state (refused) == TERTULIA_MESSAGE_STATE_DELIVERED);
  tertulia_test_spin (200);

  /* Once on the wire, once in the log, after "fine" as everyone saw it. */
  g_assert_cmpuint (tertulia_test_refuser_n_refused (refuser), ==, 1);
  g_assert_cmpuint (tertulia_test_refuser_count (refuser, "refuse me once"), ==, 1);
  g_assert_cmpuint (tertulia_test_refuser_count (refuser, "fine"), ==, 1);
  g_assert_cmpuint (count_messages (ana, "refuse me once"), ==, 1);
  g_assert_true (message_at (ana, g_list_model_get_n_items (messages) - 1) == refused);
  g_assert_null (tertulia_client_get_last_failed_message (ana));

  /* Resending twice sends once. */
  g_assert_false (tertulia_client_resend_message (ana, refused, NULL));

  leave (ana);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/reconnect/" path, Fixture, NULL, setup, func, teardown)

  ADD ("outage-visible", test_outage_visible);
  ADD ("backoff-capped", test_backoff_capped);
  ADD ("network-changed", test_network_changed);
  ADD ("different-room", test_different_room);
  ADD ("outbox-paced", test_outbox_paced);
  ADD ("resend", test_resend);

#undef ADD

  return g_test_run ();
}

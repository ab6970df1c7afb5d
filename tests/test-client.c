/* test-client.c — a guest against a real in-process host, over loopback
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-client"

#include "config.h"

#include <string.h>

#include "tertulia-address.h"
#include "tertulia-client.h"
#include "tertulia-server.h"
#include "tertulia-test-client.h"
#include "tertulia-test-relay.h"
#include "tertulia-test-utils.h"

typedef TertuliaTestHost Fixture;

static void
fixture_start_server (Fixture *fixture,
                      guint    port)
{
  tertulia_test_host_start (fixture, "LAN party", port);
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
  fixture_start_server (fixture, 0);
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  tertulia_test_host_clear (fixture);
}

/* Helpers */

static TertuliaClient *
join (Fixture    *fixture,
      const char *nickname)
{
  TertuliaClient *client = tertulia_client_new (fixture->address, nickname);

  connect_and_wait (client);

  return client;
}

static GError *
connect_expecting_error (TertuliaClient *client)
{
  GError *error = NULL;

  g_assert_false (tertulia_test_client_connect (client, &error));
  g_assert_nonnull (error);

  return error;
}

static void
leave (TertuliaClient *client)
{
  tertulia_client_disconnect (client);
  g_assert_finalize_object (client);
}

static gboolean
sees_nick (TertuliaClient *client,
           const char     *nick)
{
  return tertulia_room_find_participant_by_nick (tertulia_client_get_room (client), nick) != NULL;
}

static void
record_state_cb (TertuliaClient *client,
                 GParamSpec     *pspec,
                 GArray         *states)
{
  TertuliaConnectionState state = tertulia_client_get_state (client);

  g_array_append_val (states, state);
}

static void
assert_states (GArray                        *states,
               const TertuliaConnectionState *expected,
               guint                          n_expected)
{
  g_assert_cmpuint (states->len, ==, n_expected);
  for (guint i = 0; i < n_expected; i++)
    g_assert_cmpint (g_array_index (states, TertuliaConnectionState, i), ==, expected[i]);
}

/* A port where nothing listens: bound for a moment, then released. */
static guint
free_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  guint port;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, 0);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);

  return port;
}

/* Tests */

static void
test_connect (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GArray) states = g_array_new (FALSE, FALSE, sizeof (TertuliaConnectionState));
  static const TertuliaConnectionState expected[] = {
    TERTULIA_CONNECTION_CONNECTING,
    TERTULIA_CONNECTION_CONNECTED,
  };
  TertuliaClient *client = tertulia_client_new (fixture->address, "ana");
  TertuliaRoom *room = tertulia_client_get_room (client);
  TertuliaParticipant *me;

  g_assert_cmpint (tertulia_client_get_state (client), ==, TERTULIA_CONNECTION_DISCONNECTED);
  g_assert_cmpstr (tertulia_client_get_address (client), ==, fixture->address);
  g_assert_null (tertulia_room_get_you (room));

  g_signal_connect (client, "notify::state", G_CALLBACK (record_state_cb), states);
  connect_and_wait (client);
  assert_states (states, expected, G_N_ELEMENTS (expected));

  /* The same room object for the client's whole life, filled by the welcome. */
  g_assert_true (tertulia_client_get_room (client) == room);
  g_assert_cmpstr (tertulia_room_get_name (room), ==, "LAN party");
  g_assert_cmpuint (tertulia_room_get_n_participants (room), ==, 1);
  me = tertulia_room_get_you (room);
  g_assert_nonnull (me);
  g_assert_cmpstr (tertulia_participant_get_nickname (me), ==, "ana");
  g_assert_true (tertulia_participant_get_is_you (me));
  g_assert_false (tertulia_participant_get_is_host (me));
  g_assert_null (tertulia_client_get_state_reason (client));
  g_assert_cmpuint (tertulia_client_get_retry_seconds (client), ==, 0);
  g_assert_cmpuint (tertulia_server_get_n_participants (fixture->server), ==, 1);

  /* Connecting again when connected simply succeeds. */
  connect_and_wait (client);
  assert_states (states, expected, G_N_ELEMENTS (expected));

  g_signal_handlers_disconnect_by_data (client, states);
  leave (client);
}

static void
test_connect_without_nickname (Fixture       *fixture,
                               gconstpointer  data)
{
  TertuliaClient *client = join (fixture, NULL);

  /* The host picks one. */
  g_assert_nonnull (you (client));
  g_assert_cmpuint (strlen (tertulia_participant_get_nickname (you (client))), >, 0);

  leave (client);
}

static void
test_host_key (Fixture       *fixture,
               gconstpointer  data)
{
  TertuliaClient *host;
  TertuliaClient *guest;

  host = tertulia_client_new_for_host (fixture->address, "luis",
                                       tertulia_server_get_host_key (fixture->server));
  connect_and_wait (host);
  guest = join (fixture, "ana");

  g_assert_true (tertulia_participant_get_is_host (you (host)));
  g_assert_false (tertulia_participant_get_is_host (you (guest)));
  g_assert_true (tertulia_participant_get_is_host (
    tertulia_room_find_participant_by_nick (tertulia_client_get_room (guest), "luis")));

  leave (guest);
  leave (host);
}

static void
test_exchange (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TertuliaClient *ana = join (fixture, "ana");
  TertuliaClient *luis = join (fixture, "luis");
  TertuliaMessage *sent;
  TertuliaMessage *received;

  /* Both see both. */
  WAIT_UNTIL (n_participants (ana) == 2);
  g_assert_cmpuint (n_participants (luis), ==, 2);
  g_assert_true (sees_nick (ana, "luis"));
  g_assert_true (sees_nick (luis, "ana"));
  g_assert_false (tertulia_participant_get_is_you (
    tertulia_room_find_participant_by_nick (tertulia_client_get_room (ana), "luis")));

  /* Your own message shows at once as being sent, then as delivered. */
  sent = tertulia_client_send_message (ana, TERTULIA_MESSAGE_KIND_CHAT, "  hola a todos  ", &error);
  g_assert_no_error (error);
  g_assert_nonnull (sent);
  g_assert_cmpstr (tertulia_message_get_text (sent), ==, "hola a todos");
  g_assert_true (tertulia_message_get_is_own (sent));
  g_assert_cmpint (tertulia_message_get_state (sent), ==, TERTULIA_MESSAGE_STATE_SENDING);
  g_assert_nonnull (tertulia_message_get_cid (sent));

  WAIT_UNTIL (tertulia_message_get_state (sent) == TERTULIA_MESSAGE_STATE_DELIVERED);
  g_assert_cmpint (tertulia_message_get_seq (sent), >, 0);
  g_assert_cmpuint (count_messages (ana, "hola a todos"), ==, 1);

  WAIT_UNTIL (find_message (luis, "hola a todos") != NULL);
  received = find_message (luis, "hola a todos");
  g_assert_cmpstr (tertulia_message_get_author (received), ==, "ana");
  g_assert_false (tertulia_message_get_is_own (received));
  g_assert_cmpint (tertulia_message_get_seq (received), ==, tertulia_message_get_seq (sent));

  /* And back, as an action (/me). */
  sent = tertulia_client_send_message (luis, TERTULIA_MESSAGE_KIND_ACTION, "waves", &error);
  g_assert_no_error (error);
  WAIT_UNTIL (find_message (ana, "waves") != NULL);
  g_assert_cmpint (tertulia_message_get_kind (find_message (ana, "waves")), ==,
                   TERTULIA_MESSAGE_KIND_ACTION);
  WAIT_UNTIL (tertulia_message_get_state (sent) == TERTULIA_MESSAGE_STATE_DELIVERED);

  /* Different messages get different cids. */
  {
    TertuliaMessage *one = tertulia_client_send_message (ana, TERTULIA_MESSAGE_KIND_CHAT, "one", NULL);
    TertuliaMessage *two = tertulia_client_send_message (ana, TERTULIA_MESSAGE_KIND_CHAT, "two", NULL);

    g_assert_cmpstr (tertulia_message_get_cid (one), !=, tertulia_message_get_cid (two));
    WAIT_UNTIL (find_message (luis, "two") != NULL);
    g_assert_cmpint (tertulia_message_get_seq (find_message (luis, "one")), <,
                     tertulia_message_get_seq (find_message (luis, "two")));
  }

  leave (luis);
  leave (ana);
}

static void
test_nickname (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TertuliaClient *ana = join (fixture, "ana");
  TertuliaClient *luis = join (fixture, "luis");
  TertuliaParticipant *ana_seen_by_luis;

  WAIT_UNTIL (sees_nick (luis, "ana"));
  ana_seen_by_luis = tertulia_room_find_participant_by_nick (tertulia_client_get_room (luis), "ana");

  g_assert_true (tertulia_client_change_nickname (ana, " Ana María ", &error));
  g_assert_no_error (error);

  WAIT_UNTIL (g_strcmp0 (tertulia_participant_get_nickname (ana_seen_by_luis), "Ana María") == 0);
  WAIT_UNTIL (g_strcmp0 (tertulia_participant_get_nickname (you (ana)), "Ana María") == 0);
  g_assert_false (sees_nick (luis, "ana"));

  leave (luis);
  leave (ana);
}

static void
test_topic (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TertuliaClient *ana = join (fixture, "ana");
  TertuliaClient *luis = join (fixture, "luis");

  g_assert_true (tertulia_client_change_topic (ana, "Final: 22:00", &error));
  g_assert_no_error (error);

  WAIT_UNTIL (g_strcmp0 (tertulia_room_get_topic (tertulia_client_get_room (luis)), "Final: 22:00") == 0);
  WAIT_UNTIL (g_strcmp0 (tertulia_room_get_topic (tertulia_client_get_room (ana)), "Final: 22:00") == 0);
  g_assert_cmpstr (tertulia_server_get_topic (fixture->server), ==, "Final: 22:00");

  /* "" clears it. */
  g_assert_true (tertulia_client_change_topic (luis, "", &error));
  g_assert_no_error (error);
  WAIT_UNTIL (tertulia_room_get_topic (tertulia_client_get_room (ana)) == NULL ||
              tertulia_room_get_topic (tertulia_client_get_room (ana))[0] == '\0');

  leave (luis);
  leave (ana);
}

static void
test_local_errors (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *too_long = g_strnfill (TERTULIA_MAX_TEXT_CHARS + 1, 'a');
  g_autofree char *longest = g_strnfill (TERTULIA_MAX_TEXT_CHARS, 'a');
  g_autofree char *long_topic = g_strnfill (TERTULIA_MAX_TOPIC_CHARS + 1, 't');
  TertuliaClient *ana = join (fixture, "ana");
  GListModel *messages = tertulia_room_get_messages (tertulia_client_get_room (ana));
  guint n_before = g_list_model_get_n_items (messages);
  TertuliaMessage *message;

  /* Refused here, before anything is sent or shown. */
  g_assert_null (tertulia_client_send_message (ana, TERTULIA_MESSAGE_KIND_CHAT, too_long, &error));
  g_assert_error (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_TEXT_TOO_LONG);
  g_assert_nonnull (strstr (error->message, "4000"));
  g_clear_error (&error);

  g_assert_null (tertulia_client_send_message (ana, TERTULIA_MESSAGE_KIND_CHAT, " \n\t ", &error));
  g_assert_error (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_TEXT_EMPTY);
  g_clear_error (&error);

  g_assert_false (tertulia_client_change_nickname (ana, "a\u202Eb", &error));
  g_assert_error (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_NICK_INVALID);
  g_assert_cmpuint (strlen (error->message), >, 0);
  g_clear_error (&error);

  g_assert_false (tertulia_client_change_topic (ana, long_topic, &error));
  g_assert_error (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_TOPIC_TOO_LONG);
  g_clear_error (&error);

  g_assert_cmpuint (g_list_model_get_n_items (messages), ==, n_before);

  /* The longest message allowed goes through. */
  message = tertulia_client_send_message (ana, TERTULIA_MESSAGE_KIND_CHAT, longest, &error);
  g_assert_no_error (error);
  WAIT_UNTIL (tertulia_message_get_state (message) == TERTULIA_MESSAGE_STATE_DELIVERED);
  g_assert_cmpstr (tertulia_participant_get_nickname (you (ana)), ==, "ana");

  leave (ana);
}

static void
server_error_cb (TertuliaClient *client,
                 const char     *code,
                 const char     *message,
                 const char     *cid,
                 GPtrArray      *codes)
{
  g_assert_nonnull (message);
  g_ptr_array_add (codes, g_strdup (code));
}

static void
test_server_error (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  TertuliaClient *ana = join (fixture, "ana");
  TertuliaClient *luis = join (fixture, "luis");

  g_signal_connect (ana, "server-error", G_CALLBACK (server_error_cb), codes);

  /* Valid locally, refused by the host: someone has it (case-insensitively). */
  g_assert_true (tertulia_client_change_nickname (ana, "LUIS", &error));
  g_assert_no_error (error);

  WAIT_UNTIL (codes->len == 1);
  g_assert_cmpstr (g_ptr_array_index (codes, 0), ==, TERTULIA_ERROR_NICK_TAKEN);
  g_assert_true (has_notice (ana, tertulia_protocol_describe_error (TERTULIA_ERROR_NICK_TAKEN, NULL)));
  g_assert_cmpstr (tertulia_participant_get_nickname (you (ana)), ==, "ana");
  /* Still connected: a refusal is not a drop. */
  g_assert_cmpint (tertulia_client_get_state (ana), ==, TERTULIA_CONNECTION_CONNECTED);

  g_signal_handlers_disconnect_by_data (ana, codes);
  leave (luis);
  leave (ana);
}

static void
test_unreachable (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GArray) states = g_array_new (FALSE, FALSE, sizeof (TertuliaConnectionState));
  static const TertuliaConnectionState expected[] = {
    TERTULIA_CONNECTION_CONNECTING,
    TERTULIA_CONNECTION_DISCONNECTED,
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  g_autofree char *display = NULL;
  TertuliaClient *client;

  address = g_strdup_printf ("127.0.0.1:%u", free_port ());
  client = tertulia_client_new (address, "ana");
  g_signal_connect (client, "notify::state", G_CALLBACK (record_state_cb), states);

  error = connect_expecting_error (client);
  g_assert_error (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, address));
  g_assert_nonnull (strstr (error->message, "No Tertulia room answered"));
  g_assert_cmpstr (tertulia_client_get_state_reason (client), ==, error->message);
  assert_states (states, expected, G_N_ELEMENTS (expected));

  /* No retrying on its own after a first failure. */
  tertulia_test_spin (800);
  assert_states (states, expected, G_N_ELEMENTS (expected));
  g_assert_cmpuint (tertulia_client_get_retry_seconds (client), ==, 0);

  g_signal_handlers_disconnect_by_data (client, states);
  leave (client);
}

static void
test_not_a_room (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  TertuliaClient *client;

  /* The host's web server answers, but there is no WebSocket there. */
  address = g_strdup_printf ("ws://127.0.0.1:%u/not-here", fixture->port);
  client = tertulia_client_new (address, "ana");

  error = connect_expecting_error (client);
  g_assert_error (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, fixture->address));
  g_assert_nonnull (strstr (error->message, "not a Tertulia room"));
  g_assert_cmpint (tertulia_client_get_state (client), ==, TERTULIA_CONNECTION_DISCONNECTED);

  leave (client);
}

static void
test_bad_address (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) address_error = NULL;
  g_autofree char *uri = NULL;
  TertuliaClient *client = tertulia_client_new ("ftp://127.0.0.1", "ana");

  uri = tertulia_address_to_websocket_uri ("ftp://127.0.0.1", &address_error);
  g_assert_null (uri);

  error = connect_expecting_error (client);
  g_assert_error (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_UNREACHABLE);
  g_assert_cmpstr (error->message, ==, address_error->message);
  g_assert_cmpint (tertulia_client_get_state (client), ==, TERTULIA_CONNECTION_DISCONNECTED);

  leave (client);
}

static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TertuliaClient *client = tertulia_client_new (fixture->address, "a\u202Eb");

  /* The host says why, and that is what people read. */
  error = connect_expecting_error (client);
  g_assert_error (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_REFUSED);
  g_assert_cmpstr (error->message, ==,
                   tertulia_protocol_describe_error (TERTULIA_ERROR_NICK_INVALID, NULL));
  g_assert_cmpint (tertulia_client_get_state (client), ==, TERTULIA_CONNECTION_DISCONNECTED);
  g_assert_cmpstr (tertulia_client_get_state_reason (client), ==, error->message);

  tertulia_test_spin (100);
  g_assert_cmpuint (tertulia_server_get_n_participants (fixture->server), ==, 0);
  g_assert_cmpint (tertulia_client_get_state (client), ==, TERTULIA_CONNECTION_DISCONNECTED);

  leave (client);
}

static void
test_not_connected (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TertuliaClient *client = tertulia_client_new (fixture->address, "ana");
  TertuliaMessage *message;

  g_assert_false (tertulia_client_change_nickname (client, "bea", &error));
  g_assert_error (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_CLOSED);
  g_assert_cmpstr (error->message, ==, "You are not connected to the room.");
  g_clear_error (&error);

  g_assert_false (tertulia_client_change_topic (client, "x", &error));
  g_assert_error (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_CLOSED);
  g_clear_error (&error);

  /* A message waits in the outbox and goes out once connected. */
  message = tertulia_client_send_message (client, TERTULIA_MESSAGE_KIND_CHAT, "early bird", &error);
  g_assert_no_error (error);
  g_assert_cmpint (tertulia_message_get_state (message), ==, TERTULIA_MESSAGE_STATE_SENDING);
  tertulia_test_spin (50);
  g_assert_cmpint (tertulia_message_get_state (message), ==, TERTULIA_MESSAGE_STATE_SENDING);

  connect_and_wait (client);
  WAIT_UNTIL (tertulia_message_get_state (message) == TERTULIA_MESSAGE_STATE_DELIVERED);
  g_assert_cmpuint (count_messages (client, "early bird"), ==, 1);

  leave (client);
}

static void
test_disconnect (Fixture       *fixture,
                 gconstpointer  data)
{
  TertuliaClient *ana = join (fixture, "ana");
  TertuliaClient *luis = join (fixture, "luis");
  TertuliaMessage *message;

  WAIT_UNTIL (n_participants (ana) == 2);

  tertulia_client_disconnect (ana);
  g_assert_cmpint (tertulia_client_get_state (ana), ==, TERTULIA_CONNECTION_DISCONNECTED);
  g_assert_nonnull (tertulia_client_get_state_reason (ana));
  g_assert_cmpuint (tertulia_client_get_retry_seconds (ana), ==, 0);

  /* A clean leave: the other side is told at once. */
  WAIT_UNTIL (n_participants (luis) == 1);
  g_assert_false (sees_nick (luis, "ana"));
  g_assert_cmpuint (tertulia_server_get_n_participants (fixture->server), ==, 1);

  /* Twice is fine, and nothing comes back on its own. */
  tertulia_client_disconnect (ana);
  message = tertulia_client_send_message (ana, TERTULIA_MESSAGE_KIND_CHAT, "anyone?", NULL);
  tertulia_test_spin (800);
  g_assert_cmpint (tertulia_client_get_state (ana), ==, TERTULIA_CONNECTION_DISCONNECTED);
  g_assert_cmpint (tertulia_message_get_state (message), ==, TERTULIA_MESSAGE_STATE_SENDING);
  g_assert_null (find_message (luis, "anyone?"));

  leave (luis);
  leave (ana);
}

static void
test_server_restart (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GArray) states = g_array_new (FALSE, FALSE, sizeof (TertuliaConnectionState));
  g_autoptr(GError) error = NULL;
  TertuliaClient *ana = join (fixture, "ana");
  TertuliaClient *luis = join (fixture, "luis");
  TertuliaMessage *before;
  TertuliaMessage *queued;
  TertuliaMessage *after;
  guint port = fixture->port;

  /* Some talk, so the old room's seq is well ahead of what the new one
   * reaches before both are back (see /client/server-restart-busy).
   */
  for (guint i = 0; i < 3; i++)
    tertulia_client_send_message (ana, TERTULIA_MESSAGE_KIND_CHAT, "chatter", NULL);
  before = tertulia_client_send_message (luis, TERTULIA_MESSAGE_KIND_CHAT, "before", &error);
  g_assert_no_error (error);
  WAIT_UNTIL (find_message (ana, "before") != NULL);
  WAIT_UNTIL (tertulia_message_get_state (before) == TERTULIA_MESSAGE_STATE_DELIVERED);
  g_assert_cmpuint (count_messages (luis, "chatter"), ==, 3);

  g_signal_connect (ana, "notify::state", G_CALLBACK (record_state_cb), states);

  /* The host closes the room: guests keep trying, and say why. */
  tertulia_server_shutdown (fixture->server, NULL);
  g_clear_object (&fixture->server);

  WAIT_UNTIL (tertulia_client_get_state (ana) == TERTULIA_CONNECTION_RECONNECTING);
  g_assert_cmpstr (tertulia_client_get_state_reason (ana), ==, "The host closed the room.");
  g_assert_cmpuint (tertulia_client_get_retry_seconds (ana), >, 0);
  WAIT_UNTIL (tertulia_client_get_state (luis) == TERTULIA_CONNECTION_RECONNECTING);

  /* Written while away: waits, shown as being sent. */
  queued = tertulia_client_send_message (ana, TERTULIA_MESSAGE_KIND_CHAT, "queued", &error);
  g_assert_no_error (error);
  g_assert_cmpint (tertulia_message_get_state (queued), ==, TERTULIA_MESSAGE_STATE_SENDING);

  /* Let a retry or two fail, then the host starts again on the same port. */
  tertulia_test_spin (700);
  g_assert_cmpint (tertulia_client_get_state (ana), ==, TERTULIA_CONNECTION_RECONNECTING);
  fixture_start_server (fixture, port);

  WAIT_UNTIL (tertulia_client_get_state (ana) == TERTULIA_CONNECTION_CONNECTED);
  WAIT_UNTIL (tertulia_client_get_state (luis) == TERTULIA_CONNECTION_CONNECTED);
  g_assert_null (tertulia_client_get_state_reason (ana));
  g_assert_cmpuint (tertulia_client_get_retry_seconds (ana), ==, 0);

  /* A fresh join, with the old log kept once and the queued message sent once. */
  WAIT_UNTIL (tertulia_message_get_state (queued) == TERTULIA_MESSAGE_STATE_DELIVERED);
  WAIT_UNTIL (find_message (luis, "queued") != NULL);
  tertulia_test_spin (200);
  g_assert_cmpuint (count_messages (ana, "before"), ==, 1);
  g_assert_cmpuint (count_messages (luis, "before"), ==, 1);
  g_assert_cmpuint (count_messages (ana, "queued"), ==, 1);
  g_assert_cmpuint (count_messages (luis, "queued"), ==, 1);
  g_assert_cmpuint (count_messages (ana, "chatter"), ==, 3);
  g_assert_cmpstr (tertulia_participant_get_nickname (you (ana)), ==, "ana");
  WAIT_UNTIL (n_participants (ana) == 2);

  /* The new room's seq starts again at 1; its messages must not be taken
   * for replays of the old room's.
   */
  after = tertulia_client_send_message (luis, TERTULIA_MESSAGE_KIND_CHAT, "after", &error);
  g_assert_no_error (error);
  WAIT_UNTIL (find_message (ana, "after") != NULL);
  WAIT_UNTIL (tertulia_message_get_state (after) == TERTULIA_MESSAGE_STATE_DELIVERED);

  /* Never back to DISCONNECTED on the way. */
  for (guint i = 0; i < states->len; i++)
    g_assert_cmpint (g_array_index (states, TertuliaConnectionState, i), !=,
                     TERTULIA_CONNECTION_DISCONNECTED);
  g_assert_cmpint (g_array_index (states, TertuliaConnectionState, states->len - 1), ==,
                   TERTULIA_CONNECTION_CONNECTED);

  g_signal_handlers_disconnect_by_data (ana, states);
  leave (luis);
  leave (ana);
}

/* A host restarted on the same address, whose new room gets as far as the
 * old one's seq before a guest is back: protocol version 1 has nothing that
 * tells two rooms apart, so the room takes the new events for replays.
 */
static void
test_server_restart_busy (Fixture       *fixture,
                          gconstpointer  data)
{
  TertuliaClient *ana = join (fixture, "ana");
  TertuliaClient *luis = join (fixture, "luis");
  guint port = fixture->port;

  tertulia_client_send_message (ana, TERTULIA_MESSAGE_KIND_CHAT, "old", NULL);
  WAIT_UNTIL (find_message (luis, "old") != NULL);   /* luis is at seq 3 */

  fixture_stop_server (fixture);
  WAIT_UNTIL (tertulia_client_get_state (luis) == TERTULIA_CONNECTION_RECONNECTING);
  tertulia_client_disconnect (luis);

  fixture_start_server (fixture, port);
  tertulia_client_retry (ana);
  WAIT_UNTIL (tertulia_client_get_state (ana) == TERTULIA_CONNECTION_CONNECTED);
  tertulia_client_send_message (ana, TERTULIA_MESSAGE_KIND_CHAT, "new one", NULL);
  tertulia_client_send_message (ana, TERTULIA_MESSAGE_KIND_CHAT, "new two", NULL);
  WAIT_UNTIL (count_messages (ana, "new two") == 1 &&
              tertulia_room_get_last_seq (tertulia_client_get_room (ana)) >= 3);

  connect_and_wait (luis);
  tertulia_test_spin (200);
  /* The room id tells the restarted room apart, though its seq caught up. */
  g_assert_cmpuint (count_messages (luis, "old"), ==, 1);
  g_assert_cmpuint (count_messages (luis, "new one"), ==, 1);
  g_assert_cmpuint (count_messages (luis, "new two"), ==, 1);

  leave (luis);
  leave (ana);
}

static void
test_retry_now (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GArray) seconds = g_array_new (FALSE, FALSE, sizeof (guint));
  TertuliaClient *ana = join (fixture, "ana");
  guint port = fixture->port;
  gint64 start;

  fixture_stop_server (fixture);
  WAIT_UNTIL (tertulia_client_get_state (ana) == TERTULIA_CONNECTION_RECONNECTING);

  /* Failures back off: 0.5 s, 1 s, 2 s… so the wait grows past a second,
   * and is counted down.
   */
  WAIT_UNTIL (tertulia_client_get_retry_seconds (ana) >= 2);
  g_assert_cmpuint (tertulia_client_get_retry_seconds (ana), <=, 3);
  {
    guint first = tertulia_client_get_retry_seconds (ana);

    WAIT_UNTIL (tertulia_client_get_retry_seconds (ana) != first);
    g_assert_cmpuint (tertulia_client_get_retry_seconds (ana), ==, first - 1);
  }

  fixture_start_server (fixture, port);

  /* "Retry" does not wait for the countdown. */
  start = g_get_monotonic_time ();
  tertulia_client_retry (ana);
  g_assert_cmpuint (tertulia_client_get_retry_seconds (ana), ==, 0);
  WAIT_UNTIL (tertulia_client_get_state (ana) == TERTULIA_CONNECTION_CONNECTED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, tertulia_test_slowness () * G_USEC_PER_SEC / 2);

  leave (ana);
}

static void
count_cb (GObject    *object,
          GParamSpec *pspec,
          guint      *count)
{
  (*count)++;
}

static void
test_resume (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *relayed = NULL;
  TertuliaTestRelay *relay = tertulia_test_relay_new (fixture->port);
  TertuliaClient *ana;
  TertuliaClient *luis = join (fixture, "luis");
  TertuliaMessage *from_ana;
  TertuliaMessage *from_luis;
  guint luis_saw_changes = 0;
  gint64 ana_id;

  relayed = g_strdup_printf ("127.0.0.1:%u", tertulia_test_relay_get_port (relay));
  ana = tertulia_client_new (relayed, "ana");
  connect_and_wait (ana);
  ana_id = tertulia_participant_get_id (you (ana));
  WAIT_UNTIL (n_participants (luis) == 2);

  g_signal_connect (tertulia_client_get_room (luis), "notify::n-participants",
                    G_CALLBACK (count_cb), &luis_saw_changes);

  /* The line goes dead under ana: no close frame, just TCP. */
  g_assert_cmpuint (tertulia_test_relay_cut (relay, TERTULIA_TEST_RELAY_CUT_FIN), ==, 1);
  WAIT_UNTIL (tertulia_client_get_state (ana) == TERTULIA_CONNECTION_RECONNECTING);
  g_assert_cmpstr (tertulia_client_get_state_reason (ana), ==, "The connection to the room was lost.");

  /* Life goes on without her, and she keeps writing. */
  from_luis = tertulia_client_send_message (luis, TERTULIA_MESSAGE_KIND_CHAT, "while you were away", &error);
  g_assert_no_error (error);
  from_ana = tertulia_client_send_message (ana, TERTULIA_MESSAGE_KIND_CHAT, "still here?", &error);
  g_assert_no_error (error);
  WAIT_UNTIL (tertulia_message_get_state (from_luis) == TERTULIA_MESSAGE_STATE_DELIVERED);

  /* Back on her own: the same participant, nothing lost, nothing twice. */
  WAIT_UNTIL (tertulia_client_get_state (ana) == TERTULIA_CONNECTION_CONNECTED);
  g_assert_cmpint (tertulia_participant_get_id (you (ana)), ==, ana_id);
  WAIT_UNTIL (find_message (ana, "while you were away") != NULL);
  WAIT_UNTIL (tertulia_message_get_state (from_ana) == TERTULIA_MESSAGE_STATE_DELIVERED);
  WAIT_UNTIL (find_message (luis, "still here?") != NULL);
  tertulia_test_spin (200);
  g_assert_cmpuint (count_messages (ana, "while you were away"), ==, 1);
  g_assert_cmpuint (count_messages (ana, "still here?"), ==, 1);
  g_assert_cmpuint (count_messages (luis, "still here?"), ==, 1);
  g_assert_false (has_notice (ana, "Some messages were missed while you were away."));

  /* A short drop is invisible to the others. */
  g_assert_cmpuint (luis_saw_changes, ==, 0);
  g_assert_cmpuint (n_participants (luis), ==, 2);

  g_signal_handlers_disconnect_by_data (tertulia_client_get_room (luis), &luis_saw_changes);
  leave (ana);
  leave (luis);
  tertulia_test_relay_free (relay);
}

/* A listening socket that never accepts: TCP connects, HTTP never answers. */
static GSocket *
silent_listener (guint *port)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  GSocket *socket;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (socket, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  return socket;
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GSocket) socket = NULL;
  g_autofree char *address = NULL;
  TertuliaTestConnect res = { FALSE, FALSE, NULL };
  TertuliaClient *client;
  guint port;

  socket = silent_listener (&port);
  address = g_strdup_printf ("127.0.0.1:%u", port);
  client = tertulia_client_new (address, "ana");

  tertulia_client_connect_async (client, cancellable, tertulia_test_connect_cb, &res);
  tertulia_test_spin (100);
  g_assert_false (res.done);
  g_assert_cmpint (tertulia_client_get_state (client), ==, TERTULIA_CONNECTION_CONNECTING);

  g_cancellable_cancel (cancellable);
  WAIT_UNTIL (res.done);
  g_assert_false (res.ok);
  g_assert_error (res.error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_CANCELLED);
  g_clear_error (&res.error);
  g_assert_cmpint (tertulia_client_get_state (client), ==, TERTULIA_CONNECTION_DISCONNECTED);

  /* disconnect() also ends a pending connect. */
  res.done = FALSE;
  tertulia_client_connect_async (client, NULL, tertulia_test_connect_cb, &res);
  tertulia_test_spin (50);
  tertulia_client_disconnect (client);
  WAIT_UNTIL (res.done);
  g_assert_error (res.error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_CANCELLED);
  g_clear_error (&res.error);

  leave (client);
  g_socket_close (socket, NULL);
}

static void
test_dispose_while_connecting (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GSocket) socket = NULL;
  g_autofree char *address = NULL;
  TertuliaClient *client;
  TertuliaClient *connected;
  guint port;

  socket = silent_listener (&port);
  address = g_strdup_printf ("127.0.0.1:%u", port);

  /* Dropped mid-attempt (retry() needs no callback to keep it alive):
   * nothing may fire later on the finalized object.
   */
  client = tertulia_client_new (address, "ana");
  tertulia_client_retry (client);
  g_assert_cmpint (tertulia_client_get_state (client), ==, TERTULIA_CONNECTION_CONNECTING);
  tertulia_test_spin (50);
  g_assert_finalize_object (client);

  /* Dropped while connected, without disconnect(): the host sees a leave. */
  connected = join (fixture, "bea");
  g_assert_cmpuint (tertulia_server_get_n_participants (fixture->server), ==, 1);
  g_assert_finalize_object (connected);
  WAIT_UNTIL (tertulia_server_get_n_participants (fixture->server) == 0);

  tertulia_test_spin (200);
  g_socket_close (socket, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/client/" path, Fixture, NULL, setup, func, teardown)

  ADD ("connect", test_connect);
  ADD ("connect-without-nickname", test_connect_without_nickname);
  ADD ("host-key", test_host_key);
  ADD ("exchange", test_exchange);
  ADD ("nickname", test_nickname);
  ADD ("topic", test_topic);
  ADD ("local-errors", test_local_errors);
  ADD ("server-error", test_server_error);
  ADD ("unreachable", test_unreachable);
  ADD ("not-a-room", test_not_a_room);
  ADD ("bad-address", test_bad_address);
  ADD ("refused", test_refused);
  ADD ("not-connected", test_not_connected);
  ADD ("disconnect", test_disconnect);
  ADD ("server-restart", test_server_restart);
  ADD ("server-restart-busy", test_server_restart_busy);
  ADD ("retry-now", test_retry_now);
  ADD ("resume", test_resume);
  ADD ("cancel", test_cancel);
  ADD ("dispose-while-connecting", test_dispose_while_connecting);

#undef ADD

  return g_test_run ();
}

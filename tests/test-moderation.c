/* test-moderation.c — the host keeps the room: roles, kicks, bans, mutes,
 * slow mode, the lock, and the ways around them (issue 18)
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "tertulia-memory-store.h"
#include "tertulia-test-moderation.h"

/* Roles */

static void
test_roles_in_welcome (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(Guest) host = join (fixture, NULL, "ana", TRUE);
  g_autoptr(Guest) bob = join (fixture, NULL, "bob", FALSE);
  g_autofree char *role = get_string (host->welcome, "you.role");
  g_autofree char *bob_role = get_string (bob->welcome, "you.role");
  g_autofree char *allow = get_string (bob->welcome, "room.private_messages");

  g_assert_cmpstr (role, ==, "host");
  g_assert_cmpstr (bob_role, ==, "guest");
  g_assert_false (get_bool (bob->welcome, "room.locked"));
  g_assert_cmpint (get_int (bob->welcome, "room.slow_seconds"), ==, 0);
  g_assert_cmpstr (allow, ==, "everyone");
  /* The participants list says who hosts */
  g_assert_nonnull (strstr (bob->welcome, "\"nick\":\"ana\",\"joined_at\""));
  g_assert_nonnull (strstr (bob->welcome, "\"host\":true,\"role\":\"host\""));
}

/* Every moderation frame from someone who is not a moderator */
static void
test_guest_cannot_moderate (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(Guest) host = join (fixture, NULL, "ana", TRUE);
  g_autoptr(Guest) bob = join (fixture, NULL, "bob", FALSE);
  g_autoptr(Guest) eva = join (fixture, NULL, "eva", FALSE);
  const char *types[] = { "kick", "ban", "mute", "unmute", "op" };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      send_frame (bob, "{\"type\":\"%s\",\"id\":%" G_GINT64_FORMAT ",\"cohost\":true}", types[i], eva->id);
      expect_error (bob, TERTULIA_ERROR_NOT_ALLOWED);
    }

  send_frame (bob, "{\"type\":\"kick\",\"id\":%" G_GINT64_FORMAT "}", host->id);
  expect_error (bob, TERTULIA_ERROR_NOT_ALLOWED);
  send_frame (bob, "{\"type\":\"slow\",\"seconds\":5}");
  expect_error (bob, TERTULIA_ERROR_NOT_ALLOWED);
  send_frame (bob, "{\"type\":\"lock\",\"locked\":true}");
  expect_error (bob, TERTULIA_ERROR_NOT_ALLOWED);
  send_frame (bob, "{\"type\":\"private-messages\",\"allow\":\"off\"}");
  expect_error (bob, TERTULIA_ERROR_NOT_ALLOWED);
  send_frame (bob, "{\"type\":\"bans\"}");
  expect_error (bob, TERTULIA_ERROR_NOT_ALLOWED);
  send_frame (bob, "{\"type\":\"unban\",\"ban\":1}");
  expect_error (bob, TERTULIA_ERROR_NOT_ALLOWED);

  /* Nothing happened: eva is still there and may talk */
  expect_nothing (eva, "moderation", NULL);
  send_frame (eva, "{\"type\":\"say\",\"text\":\"still here\"}");
  g_free (expect (host, "message", "still here"));
}

static void
test_cohost (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(Guest) host = join (fixture, NULL, "ana", TRUE);
  g_autoptr(Guest) bob = join (fixture, NULL, "bob", FALSE);
  g_autoptr(Guest) eva = join (fixture, NULL, "eva", FALSE);
  g_autoptr(Guest) luis = join (fixture, NULL, "luis", FALSE);
  g_autofree char *op = NULL;

  send_frame (host, "{\"type\":\"op\",\"id\":%" G_GINT64_FORMAT ",\"cohost\":true}", bob->id);
  op = expect (luis, "moderation", "\"action\":\"op\"");
  g_assert_cmpint (get_int (op, "target.id"), ==, bob->id);
  g_free (expect (bob, "moderation", "\"action\":\"op\""));

  /* A co-host cannot act on the host, nor make co-hosts */
  send_frame (bob, "{\"type\":\"ban\",\"id\":%" G_GINT64_FORMAT "}", host->id);
  expect_error (bob, TERTULIA_ERROR_NOT_ALLOWED);
  send_frame (bob, "{\"type\":\"kick\",\"id\":%" G_GINT64_FORMAT "}", host->id);
  expect_error (bob, TERTULIA_ERROR_NOT_ALLOWED);
  send_frame (bob, "{\"type\":\"op\",\"id\":%" G_GINT64_FORMAT ",\"cohost\":true}", eva->id);
  expect_error (bob, TERTULIA_ERROR_NOT_ALLOWED);
  send_frame (bob, "{\"type\":\"private-messages\",\"allow\":\"off\"}");
  expect_error (bob, TERTULIA_ERROR_NOT_ALLOWED);

  /* Nor on another co-host */
  send_frame (host, "{\"type\":\"op\",\"id\":%" G_GINT64_FORMAT ",\"cohost\":true}", eva->id);
  g_free (expect (bob, "moderation", "\"action\":\"op\""));
  send_frame (bob, "{\"type\":\"mute\",\"id\":%" G_GINT64_FORMAT "}", eva->id);
  expect_error (bob, TERTULIA_ERROR_NOT_ALLOWED);

  /* But on a guest, yes */
  send_frame (bob, "{\"type\":\"mute\",\"id\":%" G_GINT64_FORMAT "}", luis->id);
  g_free (expect (luis, "moderation", "\"action\":\"mute\""));
  send_frame (bob, "{\"type\":\"lock\",\"locked\":true}");
  g_free (expect (host, "moderation", "\"action\":\"lock\""));

  /* Unmade, it is a guest again */
  send_frame (host, "{\"type\":\"op\",\"id\":%" G_GINT64_FORMAT ",\"cohost\":false}", bob->id);
  g_free (expect (bob, "moderation", "\"action\":\"deop\""));
  send_frame (bob, "{\"type\":\"unmute\",\"id\":%" G_GINT64_FORMAT "}", luis->id);
  expect_error (bob, TERTULIA_ERROR_NOT_ALLOWED);
}

static void
test_participant_not_found (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(Guest) host = join (fixture, NULL, "ana", TRUE);

  send_frame (host, "{\"type\":\"kick\",\"id\":999}");
  expect_error (host, TERTULIA_ERROR_PARTICIPANT_NOT_FOUND);
  send_frame (host, "{\"type\":\"unban\",\"ban\":42}");
  expect_error (host, TERTULIA_ERROR_PARTICIPANT_NOT_FOUND);
  /* Nobody acts on the host, not even the host */
  send_frame (host, "{\"type\":\"kick\",\"id\":%" G_GINT64_FORMAT "}", host->id);
  expect_error (host, TERTULIA_ERROR_NOT_ALLOWED);
}


/* Kicks and bans */

static void
test_kick (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(Guest) host = join (fixture, NULL, "ana", TRUE);
  g_autoptr(Guest) bob = join (fixture, NULL, "bob", FALSE);
  g_autoptr(Guest) eva = join (fixture, NULL, "eva", FALSE);
  g_autoptr(Guest) back = NULL;
  g_autofree char *event = NULL;
  g_autofree char *leave = NULL;
  g_autofree char *error = NULL;
  g_autofree char *reason = NULL;

  send_frame (host, "{\"type\":\"kick\",\"id\":%" G_GINT64_FORMAT ",\"reason\":\"too loud\"}", bob->id);

  /* The room sees it, then the leave */
  event = expect (eva, "moderation", "\"action\":\"kick\"");
  g_assert_cmpint (get_int (event, "target.id"), ==, bob->id);
  reason = get_string (event, "reason");
  g_assert_cmpstr (reason, ==, "too loud");
  g_assert_cmpint (get_int (event, "seq"), >, 0);
  leave = expect (eva, "leave", NULL);
  g_assert_cmpint (get_int (leave, "id"), ==, bob->id);

  /* The one kicked: the event, an error, the close */
  g_free (expect (bob, "moderation", "\"action\":\"kick\""));
  error = expect (bob, "error", NULL);
  g_assert_nonnull (strstr (error, "\"code\":\"kicked\""));
  g_assert_nonnull (strstr (error, "too loud"));
  expect_closed (bob, 1008);

  /* Its resume token is void: back, it is someone new */
  back = join_from (fixture, NULL, "bob", FALSE, bob->token);
  back->welcome = expect (back, "welcome", NULL);
  g_assert_false (get_bool (back->welcome, "resumed"));
  g_assert_cmpint (get_int (back->welcome, "you.id"), !=, bob->id);
}

static void
test_ban (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(Guest) host = join (fixture, NULL, "ana", TRUE);
  g_autoptr(Guest) eva = join (fixture, NULL, "eva", FALSE);
  g_autoptr(Guest) troll = join (fixture, "127.0.0.2", "troll", FALSE);
  g_autoptr(Guest) elsewhere = NULL;
  g_autofree char *bans = NULL;
  g_autofree char *again = NULL;
  g_autofree char *error = NULL;
  g_autoptr(TertuliaFrame) list = NULL;
  const TertuliaBan *ban;

  send_frame (host, "{\"type\":\"ban\",\"id\":%" G_GINT64_FORMAT ",\"reason\":\"spam\"}", troll->id);
  g_free (expect (eva, "moderation", "\"action\":\"ban\""));
  g_free (expect (eva, "leave", NULL));
  g_free (expect (troll, "moderation", "\"action\":\"ban\""));
  error = expect (troll, "error", "\"code\":\"banned\"");
  expect_closed (troll, 1008);

  /* Back with its resume token, under another name, on a new connection
   * from the same address, and with its token from elsewhere: refused
   */
  expect_refused_hello (fixture, "127.0.0.2", "troll", troll->token, TERTULIA_ERROR_BANNED);
  expect_refused_hello (fixture, "127.0.0.2", "nice-person", NULL, TERTULIA_ERROR_BANNED);
  expect_refused_hello (fixture, "127.0.0.3", "nice-person", troll->token, TERTULIA_ERROR_BANNED);
  /* Someone else from another address is welcome */
  elsewhere = join (fixture, "127.0.0.3", "luis", FALSE);

  /* The ban list, and undoing it */
  send_frame (host, "{\"type\":\"bans\"}");
  bans = expect (host, "bans", NULL);
  list = tertulia_protocol_parse_server_frame (bans, -1, NULL);
  g_assert_nonnull (list);
  g_assert_cmpuint (list->bans->len, ==, 1);
  ban = g_ptr_array_index (list->bans, 0);
  g_assert_cmpstr (ban->nick, ==, "troll");
  g_assert_cmpstr (ban->address, ==, "127.0.0.2");
  g_assert_cmpstr (ban->by, ==, "ana");
  g_assert_cmpstr (ban->reason, ==, "spam");

  send_frame (host, "{\"type\":\"unban\",\"ban\":%" G_GINT64_FORMAT "}", ban->id);
  g_free (expect (host, "moderation", "\"action\":\"unban\""));
  {
    g_autoptr(Guest) forgiven = join (fixture, "127.0.0.2", "troll", FALSE);

    g_assert_false (get_bool (forgiven->welcome, "resumed"));
  }
  send_frame (host, "{\"type\":\"bans\"}");
  again = expect (host, "bans", NULL);
  g_assert_nonnull (strstr (again, "\"bans\":[]"));
}

/* A ban in the room's journal-backed history and scrollback */
static void
test_moderation_is_an_event (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(Guest) host = join (fixture, NULL, "ana", TRUE);
  g_autoptr(Guest) bob = join (fixture, NULL, "bob", FALSE);
  g_autoptr(Guest) late = NULL;

  send_frame (host, "{\"type\":\"mute\",\"id\":%" G_GINT64_FORMAT "}", bob->id);
  g_free (expect (bob, "moderation", "\"action\":\"mute\""));

  /* Someone joining later finds it in the welcome's history, and bob
   * listed as muted
   */
  late = join (fixture, NULL, "eva", FALSE);
  g_assert_nonnull (strstr (late->welcome, "\"type\":\"moderation\""));
  g_assert_nonnull (strstr (late->welcome, "\"nick\":\"bob\""));
  g_assert_nonnull (strstr (late->welcome, "\"role\":\"guest\",\"muted\":true"));
}


/* Mutes and slow mode */

static void
test_mute (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(Guest) host = join (fixture, NULL, "ana", TRUE);
  g_autoptr(Guest) bob = join (fixture, NULL, "bob", FALSE);
  g_autofree char *error = NULL;

  send_frame (host, "{\"type\":\"mute\",\"id\":%" G_GINT64_FORMAT "}", bob->id);
  g_free (expect (bob, "moderation", "\"action\":\"mute\""));

  send_frame (bob, "{\"type\":\"say\",\"cid\":\"m1\",\"text\":\"can I talk?\"}");
  error = expect (bob, "error", "\"code\":\"muted\"");
  g_assert_nonnull (strstr (error, "\"cid\":\"m1\""));
  send_frame (bob, "{\"type\":\"msg\",\"to\":%" G_GINT64_FORMAT ",\"text\":\"psst\",\"cid\":\"m2\"}", host->id);
  expect_error (bob, TERTULIA_ERROR_MUTED);
  send_frame (bob, "{\"type\":\"topic\",\"topic\":\"mine now\"}");
  expect_error (bob, TERTULIA_ERROR_MUTED);
  expect_nothing (host, "message", "can I talk?");

  /* A muted guest who drops and resumes is still muted */
  g_clear_pointer (&bob->ws, test_ws_free);
  {
    g_autoptr(Guest) again = join_from (fixture, NULL, "bob", FALSE, bob->token);

    again->welcome = expect (again, "welcome", NULL);
    g_assert_true (get_bool (again->welcome, "resumed"));
    g_assert_true (get_bool (again->welcome, "you.muted"));
    send_frame (again, "{\"type\":\"say\",\"text\":\"and now?\"}");
    expect_error (again, TERTULIA_ERROR_MUTED);

    send_frame (host, "{\"type\":\"unmute\",\"id\":%" G_GINT64_FORMAT "}", bob->id);
    g_free (expect (again, "moderation", "\"action\":\"unmute\""));
    send_frame (again, "{\"type\":\"say\",\"text\":\"thanks\"}");
    g_free (expect (host, "message", "thanks"));
  }
}

/* Muted, gone past its grace, back with its old token as someone new:
 * still muted, and the room is told so in its join
 */
static void
test_mute_outlives_grace (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(Guest) host = join (fixture, NULL, "ana", TRUE);
  g_autoptr(Guest) bob = join (fixture, NULL, "bob", FALSE);
  g_autoptr(Guest) back = NULL;
  g_autofree char *join_event = NULL;

  send_frame (host, "{\"type\":\"mute\",\"id\":%" G_GINT64_FORMAT "}", bob->id);
  g_free (expect (bob, "moderation", "\"action\":\"mute\""));

  /* The fixture's grace is half a second */
  g_clear_pointer (&bob->ws, test_ws_free);
  g_free (expect (host, "leave", NULL));

  back = join_from (fixture, NULL, "bob", FALSE, bob->token);
  back->welcome = expect (back, "welcome", NULL);
  g_assert_false (get_bool (back->welcome, "resumed"));
  g_assert_true (get_bool (back->welcome, "you.muted"));
  join_event = expect (host, "join", NULL);
  g_assert_true (get_bool (join_event, "participant.muted"));
  send_frame (back, "{\"type\":\"say\",\"text\":\"sneaky\"}");
  expect_error (back, TERTULIA_ERROR_MUTED);
}

static void
test_slow_mode (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(Guest) host = join (fixture, NULL, "ana", TRUE);
  g_autoptr(Guest) bob = join (fixture, NULL, "bob", FALSE);
  g_autofree char *event = NULL;
  g_autofree char *error = NULL;
  g_autoptr(Guest) late = NULL;

  send_frame (host, "{\"type\":\"slow\",\"seconds\":1}");
  event = expect (bob, "moderation", "\"action\":\"slow\"");
  g_assert_cmpint (get_int (event, "seconds"), ==, 1);

  send_frame (bob, "{\"type\":\"say\",\"text\":\"one\"}");
  g_free (expect (host, "message", "one"));
  send_frame (bob, "{\"type\":\"say\",\"cid\":\"s2\",\"text\":\"two\"}");
  error = expect (bob, "error", "\"code\":\"slow-mode\"");
  g_assert_cmpint (get_int (error, "retry_after"), >, 0);
  g_assert_cmpint (get_int (error, "retry_after"), <=, 1000);

  /* The host is not slowed */
  send_frame (host, "{\"type\":\"say\",\"text\":\"h1\"}");
  send_frame (host, "{\"type\":\"say\",\"text\":\"h2\"}");
  g_free (expect (bob, "message", "h2"));

  /* The welcome says so */
  late = join (fixture, NULL, "eva", FALSE);
  g_assert_cmpint (get_int (late->welcome, "room.slow_seconds"), ==, 1);

  /* Later, it may talk again */
  tertulia_test_spin (1100);
  send_frame (bob, "{\"type\":\"say\",\"text\":\"three\"}");
  g_free (expect (host, "message", "three"));

  send_frame (host, "{\"type\":\"slow\",\"seconds\":0}");
  g_free (expect (bob, "moderation", "\"seconds\":0"));
  send_frame (bob, "{\"type\":\"say\",\"text\":\"four\"}");
  send_frame (bob, "{\"type\":\"say\",\"text\":\"five\"}");
  g_free (expect (host, "message", "five"));
}


/* The lock */

static void
test_lock (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(Guest) host = join (fixture, NULL, "ana", TRUE);
  g_autoptr(Guest) bob = join (fixture, NULL, "bob", FALSE);
  g_autoptr(Guest) again = NULL;
  g_autoptr(Guest) late = NULL;

  send_frame (host, "{\"type\":\"lock\",\"locked\":true}");
  g_free (expect (bob, "moderation", "\"action\":\"lock\""));

  /* Nobody new */
  expect_refused_hello (fixture, NULL, "eva", NULL, TERTULIA_ERROR_ROOM_LOCKED);

  /* A present guest that drops comes back */
  g_clear_pointer (&bob->ws, test_ws_free);
  again = join_from (fixture, NULL, "bob", FALSE, bob->token);
  again->welcome = expect (again, "welcome", NULL);
  g_assert_true (get_bool (again->welcome, "resumed"));
  g_assert_true (get_bool (again->welcome, "room.locked"));

  /* The host's own app too (it has the key) */
  {
    g_autoptr(Guest) host_again = join (fixture, NULL, "ana-laptop", TRUE);
  }

  send_frame (host, "{\"type\":\"lock\",\"locked\":false}");
  g_free (expect (again, "moderation", "\"action\":\"unlock\""));
  late = join (fixture, NULL, "eva", FALSE);
  g_assert_false (get_bool (late->welcome, "room.locked"));
}


/* The room's model and the client */

static void
count_notify (guint *count)
{
  (*count)++;
}

static void
test_client_notices (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", fixture->port);
  g_autoptr(TertuliaClient) host = tertulia_client_new_for_host (address, "ana",
                                                                  tertulia_server_get_host_key (fixture->server));
  g_autoptr(TertuliaClient) bob = tertulia_client_new (address, "bob");
  g_autoptr(TertuliaClient) eva = tertulia_client_new (address, "eva");
  TertuliaRoom *host_room = tertulia_client_get_room (host);
  TertuliaRoom *bob_room = tertulia_client_get_room (bob);
  TertuliaRoom *eva_room = tertulia_client_get_room (eva);
  TertuliaParticipant *bob_seen;
  guint removed_notified = 0;
  gint64 bob_id;

  connect_and_wait (host);
  connect_and_wait (bob);
  connect_and_wait (eva);
  WAIT_UNTIL (tertulia_room_get_n_participants (host_room) == 3);
  g_assert_true (tertulia_room_get_you_moderate (host_room));
  g_assert_false (tertulia_room_get_you_moderate (bob_room));
  bob_id = tertulia_participant_get_id (tertulia_room_get_you (bob_room));
  bob_seen = tertulia_room_find_participant (host_room, bob_id);
  g_assert_cmpint (tertulia_participant_get_role (bob_seen), ==, TERTULIA_ROLE_GUEST);

  /* Muted: bob is told, the host sees it in its list */
  g_assert_true (tertulia_client_set_muted (host, bob_id, TRUE));
  WAIT_UNTIL (tertulia_participant_get_muted (bob_seen));
  WAIT_UNTIL (has_notice (bob, "You were muted by ana"));
  g_assert_true (tertulia_participant_get_muted (tertulia_room_get_you (bob_room)));
  g_assert_false (has_notice (eva, "You were muted by ana"));

  /* Made a co-host: bob moderates */
  g_assert_true (tertulia_client_set_cohost (host, bob_id, TRUE));
  WAIT_UNTIL (tertulia_room_get_you_moderate (bob_room));
  WAIT_UNTIL (has_notice (bob, "ana made you a co-host"));
  g_assert_cmpint (tertulia_participant_get_role (bob_seen), ==, TERTULIA_ROLE_COHOST);
  g_assert_true (tertulia_client_set_cohost (host, bob_id, FALSE));
  WAIT_UNTIL (!tertulia_room_get_you_moderate (bob_room));

  /* The room's settings */
  g_assert_true (tertulia_client_set_slow_mode (host, 30));
  g_assert_true (tertulia_client_set_locked (host, TRUE));
  g_assert_true (tertulia_client_set_private_messages (host, TERTULIA_PRIVATE_MESSAGES_HOSTS));
  WAIT_UNTIL (tertulia_room_get_private_messages (eva_room) == TERTULIA_PRIVATE_MESSAGES_HOSTS);
  g_assert_cmpuint (tertulia_room_get_slow_seconds (eva_room), ==, 30);
  g_assert_true (tertulia_room_get_locked (eva_room));
  g_assert_true (has_notice (eva, "ana turned slow mode on: one message every 30 seconds"));

  /* Kicked: the room is told, bob is out and stays out, and says so
   * (the app offers no Retry then)
   */
  g_assert_false (tertulia_client_get_removed (bob));
  g_signal_connect_swapped (bob, "notify::removed", G_CALLBACK (count_notify), &removed_notified);
  g_assert_true (tertulia_client_kick (host, bob_id, "enough"));
  WAIT_UNTIL (tertulia_client_get_state (bob) == TERTULIA_CONNECTION_DISCONNECTED);
  g_assert_true (tertulia_client_get_removed (bob));
  g_assert_cmpuint (removed_notified, ==, 1);
  g_assert_cmpstr (tertulia_client_get_state_reason (bob), ==, "ana removed you from the room: enough");
  WAIT_UNTIL (has_notice (eva, "ana removed bob from the room: enough"));
  WAIT_UNTIL (tertulia_room_get_n_participants (eva_room) == 2);
  tertulia_test_spin (1500);
  g_assert_cmpint (tertulia_client_get_state (bob), ==, TERTULIA_CONNECTION_DISCONNECTED);

  tertulia_client_disconnect (eva);
  tertulia_client_disconnect (host);
}

static void
fetch_bans_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GPtrArray **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = tertulia_client_fetch_bans_finish (TERTULIA_CLIENT (object), result, &error);
  g_assert_no_error (error);
}

/* Banned, with or without a reason: bob reads who and why (or only
 * that), and is removed; trying again is a new start, refused at the door:
 * removed again, and only the door's sentence is known then
 */
static void
client_ban (Fixture    *fixture,
            const char *reason,
            const char *told_bob,
            const char *told_host)
{
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", fixture->port);
  g_autoptr(TertuliaClient) host = tertulia_client_new_for_host (address, "ana",
                                                                  tertulia_server_get_host_key (fixture->server));
  g_autoptr(TertuliaClient) bob = tertulia_client_new (address, "bob");
  g_autoptr(GPtrArray) bans = NULL;
  TertuliaRoom *host_room = tertulia_client_get_room (host);
  gint64 bob_id;

  connect_and_wait (host);
  connect_and_wait (bob);
  WAIT_UNTIL (tertulia_room_get_n_participants (host_room) == 2);
  bob_id = tertulia_participant_get_id (tertulia_room_get_you (tertulia_client_get_room (bob)));

  g_assert_true (tertulia_client_ban (host, bob_id, reason));
  WAIT_UNTIL (tertulia_client_get_state (bob) == TERTULIA_CONNECTION_DISCONNECTED);
  g_assert_cmpstr (tertulia_client_get_state_reason (bob), ==, told_bob);
  g_assert_true (tertulia_client_get_removed (bob));
  WAIT_UNTIL (has_notice (host, told_host));

  tertulia_client_retry (bob);
  g_assert_false (tertulia_client_get_removed (bob));
  WAIT_UNTIL (tertulia_client_get_state (bob) == TERTULIA_CONNECTION_DISCONNECTED);
  g_assert_true (tertulia_client_get_removed (bob));
  g_assert_cmpstr (tertulia_client_get_state_reason (bob), ==, "You are banned from this room.");

  tertulia_client_fetch_bans_async (host, NULL, fetch_bans_cb, &bans);
  WAIT_UNTIL (bans != NULL);
  g_assert_cmpuint (bans->len, ==, 1);
  g_assert_cmpstr (((TertuliaBan *) g_ptr_array_index (bans, 0))->nick, ==, "bob");

  tertulia_client_disconnect (host);
}

static void
test_client_ban (Fixture       *fixture,
                 gconstpointer  data)
{
  client_ban (fixture, "spam", "ana banned you from this room: spam", "ana banned bob: spam");
}

static void
test_client_ban_no_reason (Fixture       *fixture,
                           gconstpointer  data)
{
  client_ban (fixture, NULL, "You are banned from this room.", "ana banned bob");
}

/* Stops the room and starts it again on the same store, as a host that
 * restarts does (one killed with SIGKILL: tests/test-host-restart.c).
 * The guests' connections go with the old host.
 */
static void
stop (Fixture *fixture,
      Guest  **guests,
      guint    n_guests)
{
  for (guint i = 0; i < n_guests; i++)
    g_clear_pointer (&guests[i]->ws, test_ws_free);
  tertulia_server_shutdown (fixture->server, NULL);
  tertulia_test_spin (50);
  g_assert_finalize_object (g_steal_pointer (&fixture->server));
}

static void
restart (Fixture *fixture,
         Guest  **guests,
         guint    n_guests)
{
  g_autoptr(TertuliaStore) store = g_object_ref (tertulia_server_get_store (fixture->server));
  g_autoptr(GError) error = NULL;

  stop (fixture, guests, n_guests);

  if (fixture->journal != NULL)
    {
      g_clear_object (&store);
      g_clear_object (&fixture->journal);
      fixture->journal = tertulia_journal_open (fixture->dir, &error);
      g_assert_no_error (error);
      store = g_object_ref (TERTULIA_STORE (fixture->journal));
    }

  fixture->server = tertulia_server_new_with_store ("Moderada", 100, store);
  g_assert_true (tertulia_server_listen (fixture->server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  fixture->port = tertulia_server_get_port (fixture->server);
  _tertulia_server_set_deadlines (fixture->server, 0, 500);
}

/* The room's moderation lives as long as the room: a host started again on
 * its journal keeps its bans, mutes, co-hosts and settings, and the welcome
 * says so (issue 18: a ban is "for the life of the room")
 */
static void
test_restart_keeps (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(Guest) host = join (fixture, NULL, "ana", TRUE);
  g_autoptr(Guest) bob = join (fixture, NULL, "bob", FALSE);
  g_autoptr(Guest) luis = join (fixture, NULL, "luis", FALSE);
  g_autoptr(Guest) troll = join (fixture, "127.0.0.2", "troll", FALSE);
  g_autoptr(Guest) ana_again = NULL;
  g_autoptr(Guest) bob_again = NULL;
  g_autoptr(Guest) luis_again = NULL;
  g_autoptr(Guest) returned = NULL;
  g_autoptr(Guest) elsewhere = NULL;
  Guest *guests[] = { host, bob, luis, troll };
  g_autofree char *allow = NULL;
  g_autofree char *role = NULL;
  g_autofree char *bans = NULL;
  g_autofree char *address = NULL;

  send_frame (host, "{\"type\":\"op\",\"id\":%" G_GINT64_FORMAT ",\"cohost\":true}", bob->id);
  send_frame (host, "{\"type\":\"mute\",\"id\":%" G_GINT64_FORMAT "}", luis->id);
  send_frame (host, "{\"type\":\"ban\",\"id\":%" G_GINT64_FORMAT ",\"reason\":\"spam\"}", troll->id);
  send_frame (host, "{\"type\":\"slow\",\"seconds\":30}");
  send_frame (host, "{\"type\":\"private-messages\",\"allow\":\"off\"}");
  send_frame (host, "{\"type\":\"lock\",\"locked\":true}");
  g_free (expect (bob, "moderation", "\"action\":\"lock\""));
  expect_closed (troll, 1008);

  restart (fixture, guests, G_N_ELEMENTS (guests));

  /* The banned one: with its old token from anywhere, or anew from its
   * address, banned (not merely locked out)
   */
  expect_refused_hello (fixture, "127.0.0.3", "troll", troll->token, TERTULIA_ERROR_BANNED);
  expect_refused_hello (fixture, "127.0.0.2", "nice-person", NULL, TERTULIA_ERROR_BANNED);
  /* The room is still locked to anyone new */
  expect_refused_hello (fixture, "127.0.0.3", "eva", NULL, TERTULIA_ERROR_ROOM_LOCKED);

  /* The co-host is a co-host again, with the settings as they were */
  bob_again = join_from (fixture, NULL, "bob", FALSE, bob->token);
  bob_again->welcome = expect (bob_again, "welcome", NULL);
  g_assert_true (get_bool (bob_again->welcome, "resumed"));
  role = get_string (bob_again->welcome, "you.role");
  g_assert_cmpstr (role, ==, "cohost");
  g_assert_true (get_bool (bob_again->welcome, "room.locked"));
  g_assert_cmpint (get_int (bob_again->welcome, "room.slow_seconds"), ==, 30);
  allow = get_string (bob_again->welcome, "room.private_messages");
  g_assert_cmpstr (allow, ==, "off");
  /* ... and may do what co-hosts do: see the bans */
  send_frame (bob_again, "{\"type\":\"bans\"}");
  bans = expect (bob_again, "bans", NULL);
  g_assert_nonnull (strstr (bans, "\"nick\":\"troll\""));
  g_assert_nonnull (strstr (bans, "\"reason\":\"spam\""));
  g_assert_nonnull (strstr (bans, "\"by\":\"ana\""));
  address = g_strdup_printf ("\"address\":\"%s\"", "127.0.0.2");
  g_assert_nonnull (strstr (bans, address));

  /* The muted one stays muted, and everyone sees it */
  luis_again = join_from (fixture, NULL, "luis", FALSE, luis->token);
  luis_again->welcome = expect (luis_again, "welcome", NULL);
  g_assert_true (get_bool (luis_again->welcome, "resumed"));
  g_assert_true (get_bool (luis_again->welcome, "you.muted"));
  send_frame (luis_again, "{\"type\":\"say\",\"text\":\"let me talk\",\"cid\":\"l1\"}");
  expect_error (luis_again, TERTULIA_ERROR_MUTED);

  /* The host, back with its key, sees bob as a co-host in the welcome */
  ana_again = join_from (fixture, NULL, "ana", TRUE, host->token);
  ana_again->welcome = expect (ana_again, "welcome", NULL);
  g_assert_nonnull (strstr (ana_again->welcome, "\"nick\":\"bob\""));
  g_assert_nonnull (strstr (ana_again->welcome, "\"role\":\"cohost\""));
  g_assert_nonnull (strstr (ana_again->welcome, "\"muted\":true"));

  /* Undone after the restart, the ban is gone for good: the address is
   * only locked out now, and after another restart too
   */
  send_frame (ana_again, "{\"type\":\"unban\",\"ban\":1}");
  g_free (expect (bob_again, "moderation", "\"action\":\"unban\""));
  send_frame (ana_again, "{\"type\":\"lock\",\"locked\":false}");
  g_free (expect (bob_again, "moderation", "\"action\":\"unlock\""));
  {
    Guest *again[] = { ana_again, bob_again, luis_again };

    restart (fixture, again, G_N_ELEMENTS (again));
  }
  returned = join (fixture, "127.0.0.2", "troll", FALSE);
  g_assert_false (get_bool (returned->welcome, "room.locked"));
  /* The past moderation is still in the history as what happened */
  g_assert_nonnull (strstr (returned->welcome, "\"action\":\"ban\""));
  elsewhere = join (fixture, "127.0.0.3", "eva", FALSE);
}

/* Only the room removes you: a host that restarts (the connection lost
 * as in any outage) is reconnected to, and a client kept out of a
 * locked room is refused at the door, removed
 */
static void
test_client_not_removed (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", fixture->port);
  g_autofree char *new_address = NULL;
  g_autoptr(TertuliaClient) host = tertulia_client_new_for_host (address, "ana",
                                                                  tertulia_server_get_host_key (fixture->server));
  g_autoptr(TertuliaClient) bob = tertulia_client_new (address, "bob");
  g_autoptr(TertuliaClient) eva = NULL;

  connect_and_wait (host);
  connect_and_wait (bob);
  tertulia_client_disconnect (host);

  restart (fixture, NULL, 0);
  WAIT_UNTIL (tertulia_client_get_state (bob) == TERTULIA_CONNECTION_RECONNECTING);
  g_assert_false (tertulia_client_get_removed (bob));
  tertulia_test_spin (300);
  g_assert_false (tertulia_client_get_removed (bob));
  g_assert_cmpint (tertulia_client_get_state (bob), !=, TERTULIA_CONNECTION_DISCONNECTED);
  tertulia_client_disconnect (bob);
  g_assert_false (tertulia_client_get_removed (bob));

  /* The locked room refuses someone new */
  new_address = g_strdup_printf ("127.0.0.1:%u", fixture->port);
  g_clear_object (&host);
  host = tertulia_client_new_for_host (new_address, "ana", tertulia_server_get_host_key (fixture->server));
  connect_and_wait (host);
  g_assert_true (tertulia_client_set_locked (host, TRUE));
  WAIT_UNTIL (tertulia_room_get_locked (tertulia_client_get_room (host)));
  eva = tertulia_client_new (new_address, "eva");
  tertulia_client_connect_async (eva, NULL, NULL, NULL);
  WAIT_UNTIL (tertulia_client_get_state (eva) == TERTULIA_CONNECTION_DISCONNECTED);
  g_assert_true (tertulia_client_get_removed (eva));
  g_assert_cmpstr (tertulia_client_get_state_reason (eva), ==, "The room is locked: nobody new can join.");

  tertulia_client_disconnect (host);
}

/* A stored moderation state the host cannot read (written by a newer
 * Tertulia, or edited by hand) does not keep the room from opening: it is
 * put aside, with a warning, and the room starts with no bans
 */
static void
test_restart_damaged (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(Guest) host = join (fixture, NULL, "ana", TRUE);
  g_autoptr(Guest) troll = join (fixture, "127.0.0.2", "troll", FALSE);
  g_autoptr(Guest) returned = NULL;
  g_autoptr(Guest) ana_again = NULL;
  g_autoptr(GBytes) damaged = g_bytes_new_static ("{\"bans\": [{\"id\": tru", 20);
  g_autoptr(GBytes) aside = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *bans = NULL;
  Guest *guests[] = { host, troll };

  send_frame (host, "{\"type\":\"ban\",\"id\":%" G_GINT64_FORMAT "}", troll->id);
  expect_closed (troll, 1008);

  /* Damaged while the host was stopped */
  stop (fixture, guests, G_N_ELEMENTS (guests));
  tertulia_store_save_state (TERTULIA_STORE (fixture->journal), "moderation", damaged);
  tertulia_store_flush (TERTULIA_STORE (fixture->journal));
  g_clear_object (&fixture->journal);
  fixture->journal = tertulia_journal_open (fixture->dir, &error);
  g_assert_no_error (error);

  g_test_expect_message ("tertulia-server", G_LOG_LEVEL_WARNING, "*moderation*could not be read*");
  fixture->server = tertulia_server_new_with_store ("Moderada", 100, TERTULIA_STORE (fixture->journal));
  g_test_assert_expected_messages ();
  g_assert_true (tertulia_server_listen (fixture->server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  fixture->port = tertulia_server_get_port (fixture->server);

  /* The room opened, with no bans; what could not be read is kept aside */
  returned = join (fixture, "127.0.0.2", "troll", FALSE);
  ana_again = join_from (fixture, NULL, "ana", TRUE, host->token);
  ana_again->welcome = expect (ana_again, "welcome", NULL);
  send_frame (ana_again, "{\"type\":\"bans\"}");
  bans = expect (ana_again, "bans", NULL);
  g_assert_null (strstr (bans, "troll"));
  aside = tertulia_store_dup_state (TERTULIA_STORE (fixture->journal), "moderation.damaged");
  g_assert_nonnull (aside);
  g_assert_true (g_bytes_equal (aside, damaged));
}

/* An ephemeral room's moderation is in memory only: the server of a memory
 * store keeps it there (a new server on that store has it), and a server
 * with no store writes nothing anywhere
 */
static void
test_ephemeral_keeps_nothing (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(TertuliaStore) memory = tertulia_memory_store_new (100);
  g_autoptr(Guest) host = NULL;
  g_autoptr(Guest) troll = NULL;
  g_autoptr(Guest) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) kept = NULL;
  g_autofree char *cwd = g_get_current_dir ();
  g_autofree char *empty = g_dir_make_tmp ("tertulia-moderation-XXXXXX", &error);
  g_autoptr(GDir) dir = NULL;
  Guest *guests[2];

  g_assert_no_error (error);
  g_assert_cmpint (g_chdir (empty), ==, 0);

  /* The fixture's room has no store: moderating it writes nothing */
  host = join (fixture, NULL, "ana", TRUE);
  troll = join (fixture, "127.0.0.2", "troll", FALSE);
  send_frame (host, "{\"type\":\"ban\",\"id\":%" G_GINT64_FORMAT "}", troll->id);
  send_frame (host, "{\"type\":\"lock\",\"locked\":true}");
  expect_closed (troll, 1008);
  g_assert_null (tertulia_server_get_store (fixture->server));
  dir = g_dir_open (empty, 0, &error);
  g_assert_no_error (error);
  g_assert_null (g_dir_read_name (dir));
  g_assert_cmpint (g_chdir (cwd), ==, 0);
  g_rmdir (empty);

  /* On a memory store, the state is there for a server started on it */
  guests[0] = host;
  guests[1] = troll;
  stop (fixture, guests, G_N_ELEMENTS (guests));
  fixture->server = tertulia_server_new_with_store ("Moderada", 100, memory);
  g_assert_true (tertulia_server_listen (fixture->server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  fixture->port = tertulia_server_get_port (fixture->server);
  g_clear_pointer (&host, guest_free);
  g_clear_pointer (&troll, guest_free);
  host = join (fixture, NULL, "ana", TRUE);
  troll = join (fixture, "127.0.0.2", "troll", FALSE);
  send_frame (host, "{\"type\":\"ban\",\"id\":%" G_GINT64_FORMAT "}", troll->id);
  expect_closed (troll, 1008);
  kept = tertulia_store_dup_state (memory, "moderation");
  g_assert_nonnull (kept);

  guests[0] = host;
  guests[1] = troll;
  restart (fixture, guests, G_N_ELEMENTS (guests));
  expect_refused_hello (fixture, "127.0.0.2", "troll", NULL, TERTULIA_ERROR_BANNED);
  again = join (fixture, "127.0.0.3", "eva", FALSE);
}

/* The commands of the app's entry and tertulia-cli, run by the core:
 * nicknames with spaces are found whole
 */
static void
run (TertuliaClient *client,
     const char     *line)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TertuliaCommand) command = tertulia_command_parse (line, &error);

  g_assert_no_error (error);
  g_assert_true (tertulia_client_run_command (client, command, &error));
  g_assert_no_error (error);
}

static void
test_client_commands (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", fixture->port);
  g_autoptr(TertuliaClient) host = tertulia_client_new_for_host (address, "ana",
                                                                  tertulia_server_get_host_key (fixture->server));
  g_autoptr(TertuliaClient) maria = tertulia_client_new (address, "Ana María");
  g_autoptr(TertuliaCommand) nobody = tertulia_command_parse ("/mute María Ana", NULL);
  g_autoptr(GError) error = NULL;
  TertuliaRoom *maria_room = tertulia_client_get_room (maria);
  TertuliaConversation *conversation;

  connect_and_wait (host);
  connect_and_wait (maria);
  WAIT_UNTIL (tertulia_room_get_n_participants (tertulia_client_get_room (host)) == 2);

  run (host, "/silenciar Ana María");
  WAIT_UNTIL (tertulia_participant_get_muted (tertulia_room_get_you (maria_room)));
  run (host, "/msg Ana María ¿todo bien?");
  WAIT_UNTIL ((conversation = tertulia_room_find_conversation (maria_room, tertulia_participant_get_id (tertulia_room_get_you (tertulia_client_get_room (host))))) != NULL);
  WAIT_UNTIL (g_list_model_get_n_items (tertulia_conversation_get_messages (conversation)) == 1);
  {
    g_autoptr(TertuliaMessage) message = g_list_model_get_item (tertulia_conversation_get_messages (conversation), 0);

    g_assert_cmpstr (tertulia_message_get_text (message), ==, "¿todo bien?");
  }
  run (host, "/kick Ana María ya basta");
  WAIT_UNTIL (tertulia_client_get_state (maria) == TERTULIA_CONNECTION_DISCONNECTED);
  g_assert_cmpstr (tertulia_client_get_state_reason (maria), ==, "ana removed you from the room: ya basta");

  /* Nobody has that name */
  g_assert_false (tertulia_client_run_command (host, nobody, &error));
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, ==, "Nobody called “María” is in the room.");

  tertulia_client_disconnect (host);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/moderation/roles-in-welcome", test_roles_in_welcome);
  ADD ("/moderation/guest-cannot-moderate", test_guest_cannot_moderate);
  ADD ("/moderation/cohost", test_cohost);
  ADD ("/moderation/participant-not-found", test_participant_not_found);
  ADD ("/moderation/kick", test_kick);
  ADD ("/moderation/ban", test_ban);
  ADD ("/moderation/is-an-event", test_moderation_is_an_event);
  ADD ("/moderation/mute", test_mute);
  ADD ("/moderation/mute-outlives-grace", test_mute_outlives_grace);
  ADD ("/moderation/slow-mode", test_slow_mode);
  ADD ("/moderation/lock", test_lock);
  ADD ("/moderation/client-notices", test_client_notices);
  ADD ("/moderation/client-ban", test_client_ban);
  ADD ("/moderation/client-ban-no-reason", test_client_ban_no_reason);
  g_test_add ("/moderation/client-not-removed", Fixture, "journal", fixture_setup, test_client_not_removed, fixture_teardown);
  ADD ("/moderation/client-commands", test_client_commands);
  g_test_add ("/moderation/restart-keeps", Fixture, "journal", fixture_setup, test_restart_keeps, fixture_teardown);
  g_test_add ("/moderation/restart-damaged", Fixture, "journal", fixture_setup, test_restart_damaged, fixture_teardown);
  ADD ("/moderation/ephemeral-keeps-nothing", test_ephemeral_keeps_nothing);
#undef ADD

  return g_test_run ();
}

/* test-private-messages.c — private messages go to their two participants
 * and nowhere else: not to a third, not into any welcome, scrollback or
 * journal (issue 18)
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "tertulia-test-moderation.h"

#define SECRET "the-secret-is-42"

static void
test_only_to_the_two (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(Guest) host = join (fixture, NULL, "ana", TRUE);
  g_autoptr(Guest) bob = join (fixture, NULL, "bob", FALSE);
  g_autoptr(Guest) eva = join (fixture, NULL, "eva", FALSE);
  g_autoptr(Guest) late = NULL;
  g_autofree char *echo = NULL;
  g_autofree char *received = NULL;
  g_autofree char *from = NULL;
  g_autofree char *history = NULL;

  send_frame (bob, "{\"type\":\"msg\",\"to\":%" G_GINT64_FORMAT ",\"text\":\"" SECRET "\",\"cid\":\"p1\"}", eva->id);

  echo = expect (bob, "private", SECRET);
  received = expect (eva, "private", SECRET);
  g_assert_cmpint (get_int (received, "id"), ==, get_int (echo, "id"));
  g_assert_cmpint (get_int (received, "to.id"), ==, eva->id);
  from = get_string (received, "from.nick");
  g_assert_cmpstr (from, ==, "bob");
  /* Not an event: no seq */
  g_assert_null (strstr (received, "\"seq\""));

  /* The third saw nothing, live or later */
  send_frame (bob, "{\"type\":\"say\",\"text\":\"in the open\"}");
  g_free (expect (host, "message", "in the open"));
  g_assert_null (test_ws_read_until (host->ws, "private", NULL, 200));

  /* Nor does a welcome or the scrollback of anyone else have it */
  late = join (fixture, NULL, "luis", FALSE);
  g_assert_null (strstr (late->welcome, SECRET));
  send_frame (late, "{\"type\":\"history\",\"before\":%" G_GINT64_FORMAT ",\"limit\":200}",
              get_int (late->welcome, "seq") + 1);
  history = expect (late, "history", NULL);
  g_assert_null (strstr (history, SECRET));
  g_assert_nonnull (strstr (history, "in the open"));

  /* A resend of the same cid (its echo lost) is not a second message */
  send_frame (bob, "{\"type\":\"msg\",\"to\":%" G_GINT64_FORMAT ",\"text\":\"" SECRET "\",\"cid\":\"p1\"}", eva->id);
  {
    g_autofree char *again = expect (bob, "private", SECRET);

    g_assert_cmpint (get_int (again, "id"), ==, get_int (echo, "id"));
  }
  g_assert_null (test_ws_read_until (eva->ws, "private", NULL, 200));
}

static void
test_refusals (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(Guest) host = join (fixture, NULL, "ana", TRUE);
  g_autoptr(Guest) bob = join (fixture, NULL, "bob", FALSE);
  g_autoptr(Guest) eva = join (fixture, NULL, "eva", FALSE);
  g_autofree char *error = NULL;

  /* Someone absent, oneself */
  send_frame (bob, "{\"type\":\"msg\",\"to\":999,\"text\":\"hi\",\"cid\":\"r1\"}");
  error = expect (bob, "error", "\"code\":\"participant-not-found\"");
  g_assert_nonnull (strstr (error, "\"cid\":\"r1\""));
  send_frame (bob, "{\"type\":\"msg\",\"to\":%" G_GINT64_FORMAT ",\"text\":\"hi\"}", bob->id);
  expect_error (bob, TERTULIA_ERROR_PRIVATE_TO_SELF);

  /* Only with the hosts: guest to guest no, guest to host and back yes */
  send_frame (host, "{\"type\":\"private-messages\",\"allow\":\"hosts\"}");
  g_free (expect (bob, "moderation", "\"allow\":\"hosts\""));
  send_frame (bob, "{\"type\":\"msg\",\"to\":%" G_GINT64_FORMAT ",\"text\":\"hi eva\"}", eva->id);
  expect_error (bob, TERTULIA_ERROR_PRIVATE_MESSAGES_OFF);
  send_frame (bob, "{\"type\":\"msg\",\"to\":%" G_GINT64_FORMAT ",\"text\":\"hi ana\"}", host->id);
  g_free (expect (host, "private", "hi ana"));
  send_frame (host, "{\"type\":\"msg\",\"to\":%" G_GINT64_FORMAT ",\"text\":\"hi bob\"}", bob->id);
  g_free (expect (bob, "private", "hi bob"));
  g_assert_null (test_ws_read_until (eva->ws, "private", NULL, 200));

  /* Off: nobody, not even with the host */
  send_frame (host, "{\"type\":\"private-messages\",\"allow\":\"off\"}");
  g_free (expect (bob, "moderation", "\"allow\":\"off\""));
  send_frame (bob, "{\"type\":\"msg\",\"to\":%" G_GINT64_FORMAT ",\"text\":\"still?\"}", host->id);
  expect_error (bob, TERTULIA_ERROR_PRIVATE_MESSAGES_OFF);
  {
    g_autoptr(Guest) late = join (fixture, NULL, "luis", FALSE);
    g_autofree char *allow = get_string (late->welcome, "room.private_messages");

    g_assert_cmpstr (allow, ==, "off");
  }
}

/* What a guest missed while away comes in its welcome, once */
static void
test_resume_replay (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(Guest) host = join (fixture, NULL, "ana", TRUE);
  g_autoptr(Guest) bob = join (fixture, NULL, "bob", FALSE);
  g_autoptr(Guest) back = NULL;
  g_autoptr(GString) hello = g_string_new (NULL);
  g_autofree char *first = NULL;
  g_autofree char *welcome = NULL;
  gint64 first_id;

  send_frame (host, "{\"type\":\"msg\",\"to\":%" G_GINT64_FORMAT ",\"text\":\"before\"}", bob->id);
  first = expect (bob, "private", "before");
  first_id = get_int (first, "id");

  /* Bob's connection drops; two messages come while it is away */
  g_clear_pointer (&bob->ws, test_ws_free);
  tertulia_test_spin (100);
  send_frame (host, "{\"type\":\"msg\",\"to\":%" G_GINT64_FORMAT ",\"text\":\"while away 1\"}", bob->id);
  send_frame (host, "{\"type\":\"msg\",\"to\":%" G_GINT64_FORMAT ",\"text\":\"while away 2\"}", bob->id);
  g_free (expect (host, "private", "while away 2"));

  g_assert_cmpuint (test_ws_try_connect_from (fixture->port, TRUE, NULL, &bob->ws), ==, 101);
  g_string_printf (hello, "{\"type\":\"hello\",\"version\":1,\"nick\":\"bob\","
                          "\"resume\":{\"token\":\"%s\",\"last_seq\":0,\"last_private\":%" G_GINT64_FORMAT "}}",
                   bob->token, first_id);
  test_ws_send_text (bob->ws, hello->str);
  welcome = expect (bob, "welcome", NULL);
  g_assert_true (get_bool (welcome, "resumed"));
  g_assert_null (strstr (welcome, "\"before\""));
  g_assert_nonnull (strstr (welcome, "while away 1"));
  g_assert_nonnull (strstr (welcome, "while away 2"));
  /* …in "private", not in the history */
  g_assert_true (strstr (welcome, "\"private\":[") < strstr (welcome, "while away 1"));
  g_assert_true (strstr (welcome, "\"history\":[") > strstr (welcome, "while away 2"));
}

/* Binary files: NUL bytes do not end them */
static gboolean
bytes_contain (const char *bytes,
               gsize       length,
               const char *needle)
{
  gsize needle_length = strlen (needle);

  for (gsize i = 0; i + needle_length <= length; i++)
    if (memcmp (bytes + i, needle, needle_length) == 0)
      return TRUE;

  return FALSE;
}

/* The journal on disk never holds one */
static void
test_not_in_journal (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(Guest) host = join (fixture, NULL, "ana", TRUE);
  g_autoptr(Guest) bob = join (fixture, NULL, "bob", FALSE);
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint n_files = 0;
  gboolean found_open = FALSE;

  send_frame (bob, "{\"type\":\"msg\",\"to\":%" G_GINT64_FORMAT ",\"text\":\"" SECRET "\"}", host->id);
  g_free (expect (host, "private", SECRET));
  send_frame (bob, "{\"type\":\"say\",\"text\":\"said-in-the-open\"}");
  g_free (expect (host, "message", "said-in-the-open"));
  tertulia_store_flush (TERTULIA_STORE (fixture->journal));
  tertulia_test_spin (100);

  dir = g_dir_open (fixture->dir, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (!g_file_get_contents (path, &contents, &length, NULL))
        continue;
      n_files++;
      g_assert_false (bytes_contain (contents, length, SECRET));
      found_open |= bytes_contain (contents, length, "said-in-the-open");
    }

  /* The search looked where the room is kept */
  g_assert_cmpuint (n_files, >, 0);
  g_assert_true (found_open);
}

static void
private_message_cb (TertuliaRoom         *room,
                    TertuliaConversation *conversation,
                    TertuliaMessage      *message,
                    guint                *n_signals)
{
  (*n_signals)++;
}

static void
test_client_conversations (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", fixture->port);
  g_autoptr(TertuliaClient) ana = tertulia_client_new_for_host (address, "ana",
                                                                 tertulia_server_get_host_key (fixture->server));
  g_autoptr(TertuliaClient) bob = tertulia_client_new (address, "bob");
  g_autoptr(TertuliaClient) eva = tertulia_client_new (address, "eva");
  TertuliaRoom *bob_room = tertulia_client_get_room (bob);
  TertuliaRoom *ana_room = tertulia_client_get_room (ana);
  TertuliaConversation *with_bob;
  TertuliaConversation *with_ana;
  TertuliaMessage *sent;
  TertuliaMessage *refused;
  guint n_signals = 0;
  guint ana_signals = 0;
  guint n_room_rows;
  gint64 bob_id;

  connect_and_wait (ana);
  connect_and_wait (bob);
  connect_and_wait (eva);
  WAIT_UNTIL (tertulia_room_get_n_participants (ana_room) == 3);
  bob_id = tertulia_participant_get_id (tertulia_room_get_you (bob_room));
  g_signal_connect (bob_room, "private-message", G_CALLBACK (private_message_cb), &n_signals);
  g_signal_connect (ana_room, "private-message", G_CALLBACK (private_message_cb), &ana_signals);
  n_room_rows = g_list_model_get_n_items (tertulia_room_get_messages (bob_room));

  sent = tertulia_client_send_private (ana, bob_id, "hola bob");
  g_assert_nonnull (sent);
  g_assert_cmpint (tertulia_message_get_state (sent), ==, TERTULIA_MESSAGE_STATE_SENDING);
  WAIT_UNTIL (tertulia_message_get_state (sent) == TERTULIA_MESSAGE_STATE_DELIVERED);
  WAIT_UNTIL (n_signals == 1);
  g_assert_cmpuint (ana_signals, ==, 0);

  with_ana = tertulia_room_find_conversation (bob_room,
                                              tertulia_participant_get_id (tertulia_room_get_you (ana_room)));
  g_assert_nonnull (with_ana);
  g_assert_cmpstr (tertulia_conversation_get_nick (with_ana), ==, "ana");
  g_assert_cmpuint (tertulia_conversation_get_unread (with_ana), ==, 1);
  g_assert_true (tertulia_conversation_get_present (with_ana));
  g_assert_cmpuint (g_list_model_get_n_items (tertulia_conversation_get_messages (with_ana)), ==, 1);
  tertulia_conversation_mark_read (with_ana);
  g_assert_cmpuint (tertulia_conversation_get_unread (with_ana), ==, 0);

  /* Not in the room's log */
  g_assert_cmpuint (g_list_model_get_n_items (tertulia_room_get_messages (bob_room)), ==, n_room_rows);
  g_assert_cmpuint (g_list_model_get_n_items (tertulia_room_get_conversations (tertulia_client_get_room (eva))), ==, 0);

  /* One's own, to oneself or to nobody, is no message */
  g_assert_null (tertulia_client_send_private (bob, bob_id, "me"));
  g_assert_null (tertulia_client_send_private (bob, 999, "nobody"));

  /* A refusal marks it failed */
  tertulia_client_set_private_messages (ana, TERTULIA_PRIVATE_MESSAGES_OFF);
  WAIT_UNTIL (tertulia_room_get_private_messages (bob_room) == TERTULIA_PRIVATE_MESSAGES_OFF);
  refused = tertulia_client_send_private (bob, tertulia_participant_get_id (tertulia_room_get_you (ana_room)), "hm");
  g_assert_nonnull (refused);
  WAIT_UNTIL (tertulia_message_get_state (refused) == TERTULIA_MESSAGE_STATE_FAILED);

  with_bob = tertulia_room_find_conversation (ana_room, bob_id);
  g_assert_nonnull (with_bob);
  g_assert_cmpuint (tertulia_conversation_get_unread (with_bob), ==, 0);

  /* Someone who leaves is no longer present */
  tertulia_client_disconnect (bob);
  WAIT_UNTIL (!tertulia_conversation_get_present (with_bob));

  tertulia_client_disconnect (eva);
  tertulia_client_disconnect (ana);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) g_test_add (path, Fixture, data, fixture_setup, func, fixture_teardown)
  ADD ("/private-messages/only-to-the-two", test_only_to_the_two, NULL);
  ADD ("/private-messages/refusals", test_refusals, NULL);
  ADD ("/private-messages/resume-replay", test_resume_replay, NULL);
  ADD ("/private-messages/not-in-journal", test_not_in_journal, "journal");
  ADD ("/private-messages/client-conversations", test_client_conversations, NULL);
#undef ADD

  return g_test_run ();
}

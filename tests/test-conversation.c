/* test-conversation.c — replies, reactions, edits, deletions and typing
 * (issue 19): the host's rules, and the room's state live, replayed and
 * scrolled back
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-conversation"

#include "config.h"

#include <string.h>

#include "tertulia-client.h"
#include "tertulia-memory-store.h"
#include "tertulia-protocol-conversation.h"
#include "tertulia-server.h"
#include "tertulia-store.h"
#include "tertulia-test-client.h"
#include "tertulia-test-ws.h"

#define HELLO(nick) "{\"type\":\"hello\",\"version\":1,\"nick\":\"" nick "\"}"

/* Helpers */

static TertuliaServer *
start_server (TertuliaStore *store,
              guint          history_size)
{
  g_autoptr(TertuliaServer) server = NULL;
  g_autoptr(GError) error = NULL;

  if (store != NULL)
    server = tertulia_server_new_with_store ("Tertulia", history_size, store);
  else
    server = tertulia_server_new_full ("Tertulia", history_size);
  g_assert_true (tertulia_server_listen (server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&server);
}

static TestWs *
join (TertuliaServer *server,
      const char     *hello)
{
  TestWs *ws = test_ws_connect (tertulia_server_get_port (server), TRUE, 0);
  g_autofree char *welcome = test_ws_join (ws, hello);

  g_assert_nonnull (welcome);
  return ws;
}

static gint64
json_int (const char *json,
          const char *member)
{
  g_autofree char *needle = g_strdup_printf ("\"%s\":", member);
  const char *at = strstr (json, needle);

  g_assert_nonnull (at);
  return g_ascii_strtoll (at + strlen (needle), NULL, 10);
}

/* Says @text and returns the seq of its message event */
static gint64
say (TestWs     *ws,
     const char *text)
{
  g_autofree char *frame = g_strdup_printf ("{\"type\":\"say\",\"text\":\"%s\"}", text);
  g_autofree char *needle = g_strdup_printf ("\"text\":\"%s\"", text);
  g_autofree char *message = NULL;

  test_ws_send_text (ws, frame);
  message = test_ws_read_until (ws, "message", needle, 5000);
  g_assert_nonnull (message);

  return json_int (message, "seq");
}

/* Sends @frame and expects an error frame with @code and cid "c" */
static void
assert_refused (TestWs     *ws,
                const char *frame,
                const char *code)
{
  g_autofree char *error = NULL;
  g_autofree char *got_code = NULL;
  g_autofree char *cid = NULL;

  test_ws_send_text (ws, frame);
  error = test_ws_read_until (ws, "error", NULL, 5000);
  g_assert_nonnull (error);
  got_code = test_json_get_string (error, "code");
  cid = test_json_get_string (error, "cid");
  g_assert_cmpstr (got_code, ==, code);
  g_assert_cmpstr (cid, ==, "c");
}

static char *
react_frame (gint64      target,
             const char *emoji,
             gboolean    add)
{
  return g_strdup_printf ("{\"type\":\"react\",\"cid\":\"c\",\"target\":%" G_GINT64_FORMAT ","
                          "\"emoji\":\"%s\",\"add\":%s}", target, emoji, add ? "true" : "false");
}

/* What arrives on @ws until a marker message of its own comes back */
static GPtrArray *
read_until_marker (TestWs     *ws,
                   const char *marker)
{
  GPtrArray *frames = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *frame = g_strdup_printf ("{\"type\":\"say\",\"text\":\"%s\"}", marker);

  test_ws_send_text (ws, frame);
  for (;;)
    {
      char *text = test_ws_read_text (ws, 5000);

      g_assert_nonnull (text);
      g_ptr_array_add (frames, text);
      if (strstr (text, "\"type\":\"message\"") != NULL && strstr (text, marker) != NULL)
        return frames;
    }
}

static guint
count_frames (GPtrArray  *frames,
              const char *type)
{
  g_autofree char *needle = g_strdup_printf ("{\"type\":\"%s\"", type);
  guint n = 0;

  for (guint i = 0; i < frames->len; i++)
    n += g_str_has_prefix (g_ptr_array_index (frames, i), needle);

  return n;
}


/* The host's rules */

static void
test_refusals (void)
{
  g_autoptr(TertuliaServer) server = start_server (NULL, 100);
  static const char * const emoji[] = {
    "😀", "😁", "😂", "🤣", "😃", "😄", "😅", "😆", "😉", "😊", "😋",
    "😎", "😍", "😘", "🥰", "😗", "😙", "😚", "🙂", "🤗", "🤩",
  };
  TestWs *ana = join (server, HELLO ("ana"));
  TestWs *bob = join (server, HELLO ("bob"));
  g_autofree char *big = NULL;
  g_autofree char *frame = NULL;
  gint64 seq;

  G_STATIC_ASSERT (G_N_ELEMENTS (emoji) == TERTULIA_MAX_REACTIONS + 1);

  seq = say (ana, "hola");
  test_ws_drain (bob);

  /* Someone else's message */
  frame = g_strdup_printf ("{\"type\":\"edit\",\"cid\":\"c\",\"target\":%" G_GINT64_FORMAT ",\"text\":\"adiós\"}", seq);
  assert_refused (bob, frame, TERTULIA_ERROR_NOT_AUTHOR);
  g_clear_pointer (&frame, g_free);
  frame = g_strdup_printf ("{\"type\":\"delete\",\"cid\":\"c\",\"target\":%" G_GINT64_FORMAT "}", seq);
  assert_refused (bob, frame, TERTULIA_ERROR_NOT_AUTHOR);
  g_clear_pointer (&frame, g_free);

  /* A message that does not exist, and an event that is not a message
   * (bob's join)
   */
  frame = react_frame (9999, "👍", TRUE);
  assert_refused (bob, frame, TERTULIA_ERROR_MESSAGE_NOT_FOUND);
  g_clear_pointer (&frame, g_free);
  frame = react_frame (seq - 1, "👍", TRUE);
  assert_refused (bob, frame, TERTULIA_ERROR_MESSAGE_NOT_FOUND);
  g_clear_pointer (&frame, g_free);
  assert_refused (bob, "{\"type\":\"say\",\"cid\":\"c\",\"text\":\"¿qué?\",\"reply_to\":9999}",
                  TERTULIA_ERROR_MESSAGE_NOT_FOUND);

  /* A 10 KB "emoji" */
  big = g_strnfill (10240, 'x');
  frame = react_frame (seq, big, TRUE);
  assert_refused (bob, frame, TERTULIA_ERROR_EMOJI_INVALID);
  g_clear_pointer (&frame, g_free);
  frame = react_frame (seq, "👍👎", TRUE);
  assert_refused (bob, frame, TERTULIA_ERROR_EMOJI_INVALID);
  g_clear_pointer (&frame, g_free);

  /* Twenty different emoji, and not one more */
  for (guint i = 0; i < TERTULIA_MAX_REACTIONS; i++)
    {
      g_autofree char *reaction = NULL;

      frame = react_frame (seq, emoji[i], TRUE);
      test_ws_send_text (bob, frame);
      g_clear_pointer (&frame, g_free);
      reaction = test_ws_read_until (bob, "reaction", emoji[i], 5000);
      g_assert_nonnull (reaction);
    }
  frame = react_frame (seq, emoji[TERTULIA_MAX_REACTIONS], TRUE);
  assert_refused (ana, frame, TERTULIA_ERROR_REACTIONS_FULL);
  g_clear_pointer (&frame, g_free);

  /* One of the twenty again, by someone else: no new emoji, so fine */
  frame = react_frame (seq, emoji[0], TRUE);
  test_ws_send_text (ana, frame);
  g_clear_pointer (&frame, g_free);
  g_free (test_ws_read_until (ana, "reaction", "\"id\":1", 5000));

  /* Deleted: nothing more can be done to it */
  frame = g_strdup_printf ("{\"type\":\"delete\",\"target\":%" G_GINT64_FORMAT "}", seq);
  test_ws_send_text (ana, frame);
  g_clear_pointer (&frame, g_free);
  g_free (test_ws_read_until (bob, "delete", NULL, 5000));
  test_ws_drain (ana);
  frame = g_strdup_printf ("{\"type\":\"edit\",\"cid\":\"c\",\"target\":%" G_GINT64_FORMAT ",\"text\":\"otra\"}", seq);
  assert_refused (ana, frame, TERTULIA_ERROR_MESSAGE_DELETED);
  g_clear_pointer (&frame, g_free);
  frame = react_frame (seq, "👍", TRUE);
  assert_refused (bob, frame, TERTULIA_ERROR_MESSAGE_DELETED);
  g_clear_pointer (&frame, g_free);
  frame = g_strdup_printf ("{\"type\":\"say\",\"cid\":\"c\",\"text\":\"eh\",\"reply_to\":%" G_GINT64_FORMAT "}", seq);
  assert_refused (bob, frame, TERTULIA_ERROR_MESSAGE_DELETED);
  g_clear_pointer (&frame, g_free);
  frame = g_strdup_printf ("{\"type\":\"delete\",\"cid\":\"c\",\"target\":%" G_GINT64_FORMAT "}", seq);
  assert_refused (ana, frame, TERTULIA_ERROR_MESSAGE_DELETED);

  /* Edits follow the rules of say */
  seq = say (ana, "otra");
  g_clear_pointer (&frame, g_free);
  frame = g_strdup_printf ("{\"type\":\"edit\",\"cid\":\"c\",\"target\":%" G_GINT64_FORMAT ",\"text\":\" \"}", seq);
  assert_refused (ana, frame, TERTULIA_ERROR_TEXT_EMPTY);

  test_ws_free (ana);
  test_ws_free (bob);
  tertulia_test_server_stop (&server);
}

/* Once per person and emoji: a second add, or a removal of what is not
 * there, changes nothing and says nothing
 */
static void
test_reaction_once (void)
{
  g_autoptr(TertuliaServer) server = start_server (NULL, 100);
  TestWs *ana = join (server, HELLO ("ana"));
  g_autoptr(GPtrArray) frames = NULL;
  g_autofree char *add = NULL;
  g_autofree char *remove = NULL;
  gint64 seq = say (ana, "hola");

  add = react_frame (seq, "👍", TRUE);
  remove = react_frame (seq, "❤", FALSE);
  test_ws_send_text (ana, add);
  test_ws_send_text (ana, add);
  test_ws_send_text (ana, remove);
  frames = read_until_marker (ana, "fin");
  g_assert_cmpuint (count_frames (frames, "reaction"), ==, 1);
  g_assert_cmpuint (count_frames (frames, "error"), ==, 0);

  test_ws_free (ana);
  tertulia_test_server_stop (&server);
}

/* The quote is the host's: author and the first line */
static void
test_reply_quote (void)
{
  g_autoptr(TertuliaServer) server = start_server (NULL, 100);
  TestWs *ana = join (server, HELLO ("ana"));
  TestWs *bob = join (server, HELLO ("bob"));
  g_autofree char *frame = NULL;
  g_autofree char *reply = NULL;
  gint64 seq = say (ana, "¿cenamos?\\nen casa");

  frame = g_strdup_printf ("{\"type\":\"say\",\"text\":\"sí\",\"reply_to\":%" G_GINT64_FORMAT "}", seq);
  test_ws_send_text (bob, frame);
  reply = test_ws_read_until (ana, "message", "\"text\":\"sí\"", 5000);
  g_assert_nonnull (reply);
  g_clear_pointer (&frame, g_free);
  frame = g_strdup_printf ("\"reply_to\":{\"seq\":%" G_GINT64_FORMAT ",\"from\":{\"id\":1,\"nick\":\"ana\"},"
                           "\"text\":\"¿cenamos?\"}", seq);
  g_assert_nonnull (strstr (reply, frame));

  test_ws_free (ana);
  test_ws_free (bob);
  tertulia_test_server_stop (&server);
}

/* Relayed to the others at most once per interval (and an end after a
 * relayed start), never to the sender, never kept
 */
static void
test_typing_relay (void)
{
  g_autoptr(TertuliaStore) store = tertulia_memory_store_new (1000);
  g_autoptr(TertuliaServer) server = start_server (store, 100);
  TestWs *ana = join (server, HELLO ("ana"));
  TestWs *bob = join (server, HELLO ("bob"));
  TestWs *carol = NULL;
  g_autoptr(GPtrArray) to_bob = NULL;
  g_autoptr(GPtrArray) to_ana = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *welcome = NULL;
  g_autofree char *page = NULL;

  test_ws_drain (ana);
  for (guint i = 0; i < 5; i++)
    test_ws_send_text (ana, "{\"type\":\"typing\",\"active\":true}");
  test_ws_send_text (ana, "{\"type\":\"typing\",\"active\":false}");
  test_ws_send_text (ana, "{\"type\":\"typing\",\"active\":false}");
  to_ana = read_until_marker (ana, "listo");
  to_bob = g_ptr_array_new_with_free_func (g_free);
  for (;;)
    {
      char *text = test_ws_read_text (bob, 5000);

      g_assert_nonnull (text);
      g_ptr_array_add (to_bob, text);
      if (strstr (text, "listo") != NULL)
        break;
    }
  g_assert_cmpuint (count_frames (to_ana, "typing"), ==, 0);
  g_assert_cmpuint (count_frames (to_ana, "error"), ==, 0);
  g_assert_cmpuint (count_frames (to_bob, "typing"), ==, 2);
  g_assert_nonnull (strstr (g_ptr_array_index (to_bob, 0), "\"active\":true"));
  g_assert_nonnull (strstr (g_ptr_array_index (to_bob, 1), "\"active\":false"));

  /* Nowhere in a welcome, a page of history or the store */
  carol = test_ws_connect (tertulia_server_get_port (server), TRUE, 0);
  welcome = test_ws_join (carol, HELLO ("carol"));
  g_assert_null (strstr (welcome, "typing"));
  g_clear_pointer (&page, g_free);
  page = g_strdup_printf ("{\"type\":\"history\",\"before\":%" G_GINT64_FORMAT ",\"limit\":200}",
                          json_int (welcome, "seq") + 1);
  test_ws_send_text (carol, page);
  g_clear_pointer (&page, g_free);
  page = test_ws_read_until (carol, "history", NULL, 5000);
  g_assert_nonnull (page);
  g_assert_null (strstr (page, "typing"));
  events = tertulia_store_dup_last (store, 1000);
  g_assert_cmpuint (events->len, >, 0);
  for (guint i = 0; i < events->len; i++)
    g_assert_null (strstr (((TertuliaStoreEvent *) g_ptr_array_index (events, i))->json, "typing"));

  test_ws_free (ana);
  test_ws_free (bob);
  test_ws_free (carol);
  tertulia_test_server_stop (&server);
}

/* A moderator (the host, until issue 18's roles) may delete anyone's
 * message; others may not
 */
static void
test_moderator_delete (void)
{
  g_autoptr(TertuliaServer) server = start_server (NULL, 100);
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", tertulia_server_get_port (server));
  g_autoptr(TertuliaClient) host = tertulia_client_new_for_host (address, "ana",
                                                                 tertulia_server_get_host_key (server));
  g_autoptr(TertuliaClient) bob = tertulia_client_new (address, "bob");
  TertuliaMessage *said;
  TertuliaMessage *seen;
  gint64 seq;

  connect_and_wait (host);
  connect_and_wait (bob);

  said = tertulia_client_send_message (bob, TERTULIA_MESSAGE_KIND_CHAT, "spam", NULL);
  WAIT_UNTIL (tertulia_message_get_seq (said) > 0);
  seq = tertulia_message_get_seq (said);
  WAIT_UNTIL (tertulia_room_find_message_by_seq (tertulia_client_get_room (host), seq) != NULL);

  g_assert_true (tertulia_client_delete_message (host, seq));
  WAIT_UNTIL (tertulia_message_get_deleted (said));
  g_assert_cmpstr (tertulia_message_get_text (said), ==, "");
  g_assert_cmpstr (tertulia_message_get_deleted_by (said), ==, "ana");
  WAIT_UNTIL (has_notice (bob, "ana removed your message"));
  seen = tertulia_room_find_message_by_seq (tertulia_client_get_room (host), seq);
  WAIT_UNTIL (tertulia_message_get_deleted (seen));
  g_assert_false (has_notice (host, "ana removed your message"));

  tertulia_client_disconnect (host);
  tertulia_client_disconnect (bob);
  tertulia_test_server_stop (&server);
}

/* A host that starts again on its store still knows who wrote what */
static void
test_restart_keeps_rules (void)
{
  g_autoptr(TertuliaStore) store = tertulia_memory_store_new (10000);
  g_autoptr(TertuliaServer) server = start_server (store, 100);
  TestWs *ana = join (server, HELLO ("ana"));
  g_autofree char *frame = NULL;
  gint64 kept;
  gint64 gone;

  kept = say (ana, "guardado");
  gone = say (ana, "borrado");
  frame = g_strdup_printf ("{\"type\":\"delete\",\"target\":%" G_GINT64_FORMAT "}", gone);
  test_ws_send_text (ana, frame);
  g_free (test_ws_read_until (ana, "delete", NULL, 5000));
  test_ws_free (ana);
  tertulia_test_server_stop (&server);

  server = start_server (store, 100);
  ana = join (server, HELLO ("bob"));
  g_clear_pointer (&frame, g_free);
  frame = g_strdup_printf ("{\"type\":\"edit\",\"cid\":\"c\",\"target\":%" G_GINT64_FORMAT ",\"text\":\"mío\"}", kept);
  assert_refused (ana, frame, TERTULIA_ERROR_NOT_AUTHOR);
  g_clear_pointer (&frame, g_free);
  frame = react_frame (gone, "👍", TRUE);
  assert_refused (ana, frame, TERTULIA_ERROR_MESSAGE_DELETED);
  g_clear_pointer (&frame, g_free);
  frame = react_frame (kept, "👍", TRUE);
  test_ws_send_text (ana, frame);
  g_free (test_ws_read_until (ana, "reaction", NULL, 5000));

  test_ws_free (ana);
  tertulia_test_server_stop (&server);
}


/* The room */

/* Typing: not you, ends with a message or "active": false, expires */
static void
test_room_typing (void)
{
  g_autoptr(TertuliaRoom) room = tertulia_room_new ();
  g_autoptr(TertuliaFrame) typing = tertulia_frame_new (TERTULIA_FRAME_TYPING);
  g_autoptr(TertuliaFrame) message = tertulia_frame_new (TERTULIA_FRAME_MESSAGE);
  g_auto(GStrv) nicks = NULL;
  guint n_rows;

  typing->peer.id = 3;
  typing->peer.nick = g_strdup ("luis");
  typing->active = TRUE;
  tertulia_room_apply_typing (room, typing);
  nicks = tertulia_room_dup_typing (room);
  g_assert_cmpstrv (nicks, ((const char * const []) { "luis", NULL }));
  g_clear_pointer (&nicks, g_strfreev);

  /* Not a row, not an event */
  n_rows = g_list_model_get_n_items (tertulia_room_get_messages (room));
  g_assert_cmpuint (n_rows, ==, 0);
  g_assert_cmpint (tertulia_room_get_last_seq (room), ==, 0);

  message->seq = 1;
  message->time = 1;
  message->peer.id = 3;
  message->peer.nick = g_strdup ("luis");
  message->text = g_strdup ("ya");
  tertulia_room_apply_event (room, message);
  nicks = tertulia_room_dup_typing (room);
  g_assert_cmpuint (g_strv_length (nicks), ==, 0);
  g_clear_pointer (&nicks, g_strfreev);

  tertulia_room_apply_typing (room, typing);
  typing->active = FALSE;
  tertulia_room_apply_typing (room, typing);
  nicks = tertulia_room_dup_typing (room);
  g_assert_cmpuint (g_strv_length (nicks), ==, 0);
  g_clear_pointer (&nicks, g_strfreev);

  /* Unrenewed, it lasts TERTULIA_TYPING_EXPIRY_SECONDS */
  typing->active = TRUE;
  tertulia_room_apply_typing (room, typing);
  tertulia_test_spin (TERTULIA_TYPING_EXPIRY_SECONDS * 1000 - 1000);
  nicks = tertulia_room_dup_typing (room);
  g_assert_cmpuint (g_strv_length (nicks), ==, 1);
  g_clear_pointer (&nicks, g_strfreev);
  tertulia_test_spin (1500);
  nicks = tertulia_room_dup_typing (room);
  g_assert_cmpuint (g_strv_length (nicks), ==, 0);
}

/* What a message's row shows, reactions as "👍 ana bob" */
static char *
describe_message (TertuliaMessage *message)
{
  GString *out = g_string_new (NULL);
  GPtrArray *reactions = tertulia_message_get_reactions (message);

  g_string_append_printf (out, "#%" G_GINT64_FORMAT " %s: %s%s%s%s",
                          tertulia_message_get_seq (message),
                          tertulia_message_get_author (message),
                          tertulia_message_get_text (message),
                          tertulia_message_get_edited (message) ? " (edited)" : "",
                          tertulia_message_get_deleted (message) ? " [deleted by " : "",
                          tertulia_message_get_deleted (message) ? tertulia_message_get_deleted_by (message) : "");
  if (tertulia_message_get_reply_to_seq (message) > 0)
    g_string_append_printf (out, " ↳%" G_GINT64_FORMAT " %s: %s",
                            tertulia_message_get_reply_to_seq (message),
                            tertulia_message_get_reply_to_author (message),
                            tertulia_message_get_reply_to_text (message));
  for (guint i = 0; i < reactions->len; i++)
    {
      TertuliaReaction *reaction = g_ptr_array_index (reactions, i);

      g_string_append_printf (out, " [%s", reaction->emoji);
      for (guint j = 0; j < reaction->nicks->len; j++)
        g_string_append_printf (out, " %s", (char *) g_ptr_array_index (reaction->nicks, j));
      g_string_append_c (out, ']');
    }

  return g_string_free (out, FALSE);
}

/* Every chat message of @client's log from @first_seq on, one line each */
static char *
describe_log (TertuliaClient *client,
              gint64          first_seq)
{
  GListModel *messages = tertulia_room_get_messages (tertulia_client_get_room (client));
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (messages); i++)
    {
      g_autoptr(TertuliaMessage) message = g_list_model_get_item (messages, i);
      g_autofree char *line = NULL;

      if (tertulia_message_get_kind (message) != TERTULIA_MESSAGE_KIND_CHAT ||
          tertulia_message_get_seq (message) < first_seq)
        continue;

      line = describe_message (message);
      g_string_append_printf (out, "%s\n", line);
    }

  return g_string_free (out, FALSE);
}

/* The same conversation seen live, from a welcome's history, and through
 * scrollback pages that bring amendments before their targets: the same
 * messages, texts, tombstones, quotes and reactions.
 */
static void
test_replay_equals_live (void)
{
  g_autoptr(TertuliaStore) store = tertulia_memory_store_new (10000);
  g_autoptr(TertuliaServer) server = start_server (store, 500);
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", tertulia_server_get_port (server));
  g_autoptr(TertuliaClient) ana = tertulia_client_new (address, "ana");
  g_autoptr(TertuliaClient) bob = tertulia_client_new (address, "bob");
  g_autoptr(TertuliaClient) carol = NULL;
  g_autoptr(TertuliaClient) dave = NULL;
  g_autofree char *live = NULL;
  g_autofree char *welcomed = NULL;
  g_autofree char *scrolled = NULL;
  TertuliaMessage *first;
  TertuliaMessage *second;
  TertuliaMessage *last = NULL;
  TertuliaMessage *reply;
  gint64 s1, s2;

  connect_and_wait (ana);
  connect_and_wait (bob);

  first = tertulia_client_send_message (ana, TERTULIA_MESSAGE_KIND_CHAT, "primero\nsegunda línea", NULL);
  second = tertulia_client_send_message (bob, TERTULIA_MESSAGE_KIND_CHAT, "segundo", NULL);
  WAIT_UNTIL (tertulia_message_get_seq (first) > 0 && tertulia_message_get_seq (second) > 0);
  s1 = tertulia_message_get_seq (first);
  s2 = tertulia_message_get_seq (second);
  WAIT_UNTIL (tertulia_room_find_message_by_seq (tertulia_client_get_room (bob), s1) != NULL);

  /* Filler, so that the pages below split targets from what changes them */
  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *text = g_strdup_printf ("relleno %u", i);

      last = tertulia_client_send_message (i % 2 ? ana : bob, TERTULIA_MESSAGE_KIND_CHAT, text, NULL);
    }
  WAIT_UNTIL (tertulia_message_get_seq (last) > 0);

  reply = tertulia_client_send_reply (bob, TERTULIA_MESSAGE_KIND_CHAT, "respuesta", s1);
  g_assert_cmpint (tertulia_message_get_reply_to_seq (reply), ==, s1);
  g_assert_cmpstr (tertulia_message_get_reply_to_text (reply), ==, "primero");
  g_assert_true (tertulia_client_react (bob, s1, "👍", TRUE));
  g_assert_true (tertulia_client_react (ana, s1, "❤", TRUE));
  g_assert_true (tertulia_client_react (ana, s1, "👍", TRUE));
  g_assert_true (tertulia_client_react (bob, s1, "👍", FALSE));
  g_assert_true (tertulia_client_react (bob, s1, "🎉", TRUE));
  g_assert_true (tertulia_client_react (bob, s1, "👍", TRUE));
  g_assert_true (tertulia_client_edit_message (ana, s1, "primero, corregido"));
  g_assert_true (tertulia_client_react (ana, s2, "😂", TRUE));
  g_assert_true (tertulia_client_delete_message (bob, s2));
  last = tertulia_client_send_message (ana, TERTULIA_MESSAGE_KIND_CHAT, "fin", NULL);
  WAIT_UNTIL (tertulia_message_get_seq (last) > 0);
  WAIT_UNTIL (find_message (bob, "fin") != NULL);

  /* Live, as ana saw it */
  g_assert_cmpstr (tertulia_message_get_text (first), ==, "primero, corregido");
  g_assert_true (tertulia_message_get_edited (first));
  g_assert_true (tertulia_message_get_deleted (tertulia_room_find_message_by_seq (tertulia_client_get_room (ana), s2)));
  live = describe_log (ana, s1);
  g_assert_nonnull (strstr (live, "[❤ ana] [👍 ana bob] [🎉 bob]"));
  g_assert_nonnull (strstr (live, " ↳"));
  g_assert_cmpstr (live, ==, describe_log (bob, s1));

  /* From a welcome that brings it all */
  carol = tertulia_client_new (address, "carol");
  connect_and_wait (carol);
  welcomed = describe_log (carol, s1);
  g_assert_cmpstr (welcomed, ==, live);

  /* From pages of three events, newest first */
  tertulia_client_disconnect (ana);
  tertulia_client_disconnect (bob);
  tertulia_client_disconnect (carol);
  tertulia_test_server_stop (&server);
  server = start_server (store, 3);
  g_free (address);
  address = g_strdup_printf ("127.0.0.1:%u", tertulia_server_get_port (server));
  dave = tertulia_client_new (address, "dave");
  connect_and_wait (dave);
  while (tertulia_room_get_has_older (tertulia_client_get_room (dave)))
    {
      g_assert_true (tertulia_client_fetch_history (dave, 3));
      WAIT_UNTIL (!tertulia_client_get_fetching_history (dave));
    }
  scrolled = describe_log (dave, s1);
  g_assert_cmpstr (scrolled, ==, live);

  tertulia_client_disconnect (dave);
  tertulia_test_server_stop (&server);
}

/* fetch_history_until pages back on its own until the message is there */
static void
test_fetch_until (void)
{
  g_autoptr(TertuliaStore) store = tertulia_memory_store_new (10000);
  g_autoptr(TertuliaServer) server = start_server (store, 500);
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", tertulia_server_get_port (server));
  g_autoptr(TertuliaClient) ana = tertulia_client_new (address, "ana");
  g_autoptr(TertuliaClient) bob = NULL;
  TertuliaMessage *first;
  TertuliaMessage *last = NULL;
  gint64 seq;

  connect_and_wait (ana);
  first = tertulia_client_send_message (ana, TERTULIA_MESSAGE_KIND_CHAT, "al principio", NULL);
  for (guint i = 0; i < 30; i++)
    last = tertulia_client_send_message (ana, TERTULIA_MESSAGE_KIND_CHAT, "más", NULL);
  WAIT_UNTIL (tertulia_message_get_seq (last) > 0);
  seq = tertulia_message_get_seq (first);
  tertulia_client_disconnect (ana);
  tertulia_test_server_stop (&server);

  server = start_server (store, 5);
  g_free (address);
  address = g_strdup_printf ("127.0.0.1:%u", tertulia_server_get_port (server));
  bob = tertulia_client_new (address, "bob");
  connect_and_wait (bob);
  g_assert_null (tertulia_room_find_message_by_seq (tertulia_client_get_room (bob), seq));
  g_assert_true (tertulia_client_fetch_history_until (bob, seq));
  WAIT_UNTIL (tertulia_room_find_message_by_seq (tertulia_client_get_room (bob), seq) != NULL);
  g_assert_cmpstr (tertulia_message_get_text (tertulia_room_find_message_by_seq (tertulia_client_get_room (bob), seq)),
                   ==, "al principio");
  /* There already: nothing to ask */
  WAIT_UNTIL (!tertulia_client_get_fetching_history (bob));
  g_assert_false (tertulia_client_fetch_history_until (bob, seq));

  tertulia_client_disconnect (bob);
  tertulia_test_server_stop (&server);
}

/* The client throttles typing, and sends none when told not to */
static void
test_client_typing (void)
{
  g_autoptr(TertuliaServer) server = start_server (NULL, 100);
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", tertulia_server_get_port (server));
  g_autoptr(TertuliaClient) ana = tertulia_client_new (address, "ana");
  g_autoptr(TertuliaClient) bob = tertulia_client_new (address, "bob");
  TertuliaRoom *room;
  g_auto(GStrv) typing = NULL;

  connect_and_wait (ana);
  connect_and_wait (bob);
  room = tertulia_client_get_room (bob);

  tertulia_client_set_typing (ana, TRUE);
  WAIT_UNTIL ((typing = tertulia_room_dup_typing (room)) != NULL && typing[0] != NULL);
  g_assert_cmpstr (typing[0], ==, "ana");
  g_clear_pointer (&typing, g_strfreev);
  g_assert_true (tertulia_client_send_message (ana, TERTULIA_MESSAGE_KIND_CHAT, "hola", NULL) != NULL);
  WAIT_UNTIL ((typing = tertulia_room_dup_typing (room)) != NULL && typing[0] == NULL);
  g_clear_pointer (&typing, g_strfreev);

  /* Off: nothing goes out */
  tertulia_client_set_send_typing (ana, FALSE);
  g_assert_false (tertulia_client_get_send_typing (ana));
  tertulia_test_spin (TERTULIA_TYPING_RELAY_SECONDS * 1000);
  tertulia_client_set_typing (ana, TRUE);
  tertulia_test_spin (300);
  typing = tertulia_room_dup_typing (room);
  g_assert_cmpuint (g_strv_length (typing), ==, 0);

  tertulia_client_disconnect (ana);
  tertulia_client_disconnect (bob);
  tertulia_test_server_stop (&server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/conversation/host/refusals", test_refusals);
  g_test_add_func ("/conversation/host/reaction-once", test_reaction_once);
  g_test_add_func ("/conversation/host/reply-quote", test_reply_quote);
  g_test_add_func ("/conversation/host/typing-relay", test_typing_relay);
  g_test_add_func ("/conversation/host/moderator-delete", test_moderator_delete);
  g_test_add_func ("/conversation/host/restart-keeps-rules", test_restart_keeps_rules);
  g_test_add_func ("/conversation/room/typing", test_room_typing);
  g_test_add_func ("/conversation/room/replay-equals-live", test_replay_equals_live);
  g_test_add_func ("/conversation/client/fetch-until", test_fetch_until);
  g_test_add_func ("/conversation/client/typing", test_client_typing);

  return g_test_run ();
}

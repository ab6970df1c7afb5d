/* test-history.c — scrollback: the "history" frame against a real host
 *
 * A TertuliaServer in this process, with a journal of 3 000 events or with
 * only its history ring, and a guest that writes its frames by hand.
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-test-history"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "tertulia-journal.h"
#include "tertulia-memory-store.h"
#include "tertulia-protocol.h"
#include "tertulia-server.h"
#include "tertulia-server-private.h"
#include "tertulia-test-utils.h"
#include "tertulia-test-ws.h"

#define HELLO(nick) "{\"type\":\"hello\",\"version\":1,\"nick\":\"" nick "\"}"
#define N_JOURNAL_EVENTS 3000
#define RING_SIZE 500
#define N_RING_MESSAGES 1200

typedef enum
{
  KEEP_JOURNAL,
  KEEP_RING,
} Keep;

typedef struct
{
  TertuliaServer *server;
  char           *dir;
  guint           port;
  /* The room's seq once our guest joined */
  gint64          seq;
  /* The oldest seq the host still has */
  gint64          oldest;
  TestWs         *ws;
} Fixture;

/* A stored event as no serializer of ours writes it (an escaped é): what
 * comes back must be these bytes, not the event serialized again.
 */
static char *
stored_json (gint64 seq)
{
  return g_strdup_printf ("{\"type\":\"message\",\"seq\":%" G_GINT64_FORMAT ",\"time\":%" G_GINT64_FORMAT
                          ",\"from\":{\"id\":1,\"nick\":\"luis\"},\"kind\":\"chat\",\"text\":\"caf\\u00e9 %" G_GINT64_FORMAT "\"}",
                          seq, 1763769600000 + seq, seq);
}

static void
fill_journal (TertuliaStore *store)
{
  TertuliaStoreRoom room = {
    .room_id = (char *) "0123456789abcdef",
    .name = (char *) "Historia",
    .topic = (char *) "",
    .next_participant_id = 2,
  };

  tertulia_store_set_room (store, &room);
  for (gint64 seq = 1; seq <= N_JOURNAL_EVENTS; seq++)
    {
      g_autofree char *json = stored_json (seq);

      tertulia_store_append (store, seq, 1763769600000 + seq, json);
    }
  tertulia_store_flush (store);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  Keep keep = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  g_autofree char *welcome = NULL;

  if (keep == KEEP_JOURNAL)
    {
      g_autoptr(TertuliaJournal) journal = NULL;

      fixture->dir = g_dir_make_tmp ("tertulia-history-XXXXXX", &error);
      g_assert_no_error (error);
      journal = tertulia_journal_open (fixture->dir, &error);
      g_assert_no_error (error);
      fill_journal (TERTULIA_STORE (journal));
      fixture->server = tertulia_server_new_with_store ("Historia", TERTULIA_DEFAULT_HISTORY,
                                                        TERTULIA_STORE (journal));
    }
  else
    {
      fixture->server = tertulia_server_new_full ("Historia", RING_SIZE);
    }

  g_assert_true (tertulia_server_listen (fixture->server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  fixture->port = tertulia_server_get_port (fixture->server);

  fixture->ws = test_ws_connect (fixture->port, TRUE, 0);
  welcome = test_ws_join (fixture->ws, HELLO ("ana"));
  g_assert_nonnull (welcome);

  if (keep == KEEP_JOURNAL)
    {
      /* Our own join follows the journal's events */
      fixture->seq = N_JOURNAL_EVENTS + 1;
      fixture->oldest = 1;
    }
  else
    {
      g_autofree char *last = NULL;
      g_autofree char *echo = NULL;

      /* The ring keeps the newest RING_SIZE of the join and the messages */
      _tertulia_server_set_rate_limit (fixture->server, 0, 0);
      for (guint i = 1; i <= N_RING_MESSAGES; i++)
        {
          g_autofree char *say = g_strdup_printf ("{\"type\":\"say\",\"text\":\"mensaje %u\"}", i);

          test_ws_send_text (fixture->ws, say);
        }
      fixture->seq = 1 + N_RING_MESSAGES;
      last = g_strdup_printf ("\"seq\":%" G_GINT64_FORMAT ",", fixture->seq);
      echo = test_ws_read_until (fixture->ws, "message", last, 20000);
      g_assert_nonnull (echo);
      fixture->oldest = fixture->seq - RING_SIZE + 1;
      _tertulia_server_set_rate_limit (fixture->server, TERTULIA_RATE_BURST, TERTULIA_RATE_PER_SECOND);
    }
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_pointer (&fixture->ws, test_ws_free);
  tertulia_server_shutdown (fixture->server, NULL);
  tertulia_test_spin (50);
  g_assert_finalize_object (g_steal_pointer (&fixture->server));
  if (fixture->dir != NULL)
    tertulia_test_remove_tree (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
}

/* Sends a history request and returns the answer's text */
static char *
ask (TestWs     *ws,
     const char *request)
{
  char *answer;

  test_ws_send_text (ws, request);
  answer = test_ws_read_text (ws, 5000);
  g_assert_nonnull (answer);

  return answer;
}

static TertuliaFrame *
ask_page (TestWs  *ws,
          gint64   before,
          guint    limit,
          char   **out_json)
{
  g_autofree char *request = g_strdup_printf ("{\"type\":\"history\",\"before\":%" G_GINT64_FORMAT ",\"limit\":%u}",
                                              before, limit);
  g_autofree char *answer = ask (ws, request);
  g_autoptr(GError) error = NULL;
  TertuliaFrame *page;

  page = tertulia_protocol_parse_server_frame (answer, strlen (answer), &error);
  g_assert_no_error (error);
  g_assert_cmpint (page->type, ==, TERTULIA_FRAME_HISTORY);
  g_assert_cmpint (page->before, ==, before);

  if (out_json != NULL)
    *out_json = g_steal_pointer (&answer);

  return page;
}

static void
expect_error (TestWs     *ws,
              const char *request,
              const char *code)
{
  g_autofree char *answer = ask (ws, request);
  g_autofree char *got = test_json_get_string (answer, "code");

  g_test_message ("%s → %s", request, answer);
  g_assert_true (g_str_has_prefix (answer, "{\"type\":\"error\""));
  g_assert_cmpstr (got, ==, code);
}

/* Back from the newest event to the oldest the host has, a page of 200 at
 * a time: every seq exactly once, in order, and "more" until the last.
 */
static void
test_whole_journal (Fixture       *fixture,
                    gconstpointer  data)
{
  Keep keep = GPOINTER_TO_INT (data);
  g_autofree gboolean *seen = g_new0 (gboolean, fixture->seq + 1);
  gint64 before = fixture->seq + 1;
  guint n_seen = 0;
  guint n_pages = 0;
  gboolean more = TRUE;

  while (more)
    {
      g_autofree char *json = NULL;
      g_autoptr(TertuliaFrame) page = ask_page (fixture->ws, before, TERTULIA_MAX_HISTORY_PAGE, &json);
      gint64 previous = 0;

      more = page->more;
      n_pages++;
      g_assert_cmpuint (n_pages, <=, fixture->seq / TERTULIA_MAX_HISTORY_PAGE + 1);
      g_assert_cmpuint (page->history->len, >, 0);
      g_assert_cmpuint (page->history->len, <=, TERTULIA_MAX_HISTORY_PAGE);
      if (more)
        g_assert_cmpuint (page->history->len, ==, TERTULIA_MAX_HISTORY_PAGE);

      for (guint i = 0; i < page->history->len; i++)
        {
          const TertuliaFrame *event = g_ptr_array_index (page->history, i);

          g_assert_cmpint (event->seq, <, before);
          g_assert_cmpint (event->seq, >, previous);
          g_assert_cmpint (event->seq, >=, fixture->oldest);
          g_assert_false (seen[event->seq]);
          seen[event->seq] = TRUE;
          previous = event->seq;
          n_seen++;
        }

      /* The stored bytes, spliced as they are */
      if (keep == KEEP_JOURNAL && page->history->len > 0)
        {
          const TertuliaFrame *first = g_ptr_array_index (page->history, 0);

          if (first->type == TERTULIA_FRAME_MESSAGE)
            {
              g_autofree char *stored = stored_json (first->seq);

              g_assert_nonnull (strstr (json, stored));
            }
        }

      before = ((TertuliaFrame *) g_ptr_array_index (page->history, 0))->seq;
    }

  g_assert_cmpint (before, ==, fixture->oldest);
  g_assert_cmpuint (n_seen, ==, fixture->seq - fixture->oldest + 1);

  /* Before the oldest there is nothing, and that is no error */
  {
    g_autoptr(TertuliaFrame) page = ask_page (fixture->ws, fixture->oldest, 10, NULL);

    g_assert_cmpuint (page->history->len, ==, 0);
    g_assert_false (page->more);
  }

  /* The default page */
  {
    g_autofree char *request = g_strdup_printf ("{\"type\":\"history\",\"before\":%" G_GINT64_FORMAT "}",
                                                fixture->seq);
    g_autofree char *answer = ask (fixture->ws, request);
    g_autoptr(TertuliaFrame) page = tertulia_protocol_parse_server_frame (answer, strlen (answer), NULL);

    g_assert_nonnull (page);
    g_assert_cmpuint (page->history->len, ==, TERTULIA_DEFAULT_HISTORY_PAGE);
    g_assert_cmpint (((TertuliaFrame *) g_ptr_array_index (page->history, 99))->seq, ==, fixture->seq - 1);
  }
}

/* Requests answered in the order they came, each to its asker only */
static void
test_order (Fixture       *fixture,
            gconstpointer  data)
{
  TestWs *other = test_ws_connect (fixture->port, TRUE, 0);
  g_autofree char *welcome = test_ws_join (other, HELLO ("pepe"));
  g_autofree char *leftover = NULL;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *request = g_strdup_printf ("{\"type\":\"history\",\"before\":%" G_GINT64_FORMAT ",\"limit\":5}",
                                                  fixture->seq - i * 10);

      test_ws_send_text (fixture->ws, request);
    }

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *answer = test_ws_read_until (fixture->ws, "history", NULL, 5000);
      g_autoptr(TertuliaFrame) page = tertulia_protocol_parse_server_frame (answer, strlen (answer), NULL);

      g_assert_nonnull (page);
      g_assert_cmpint (page->before, ==, fixture->seq - i * 10);
      g_assert_cmpuint (page->history->len, ==, 5);
    }

  leftover = test_ws_read_until (other, "history", NULL, 300);
  g_assert_null (leftover);
  test_ws_free (other);
}

static void
test_refusals (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *future = g_strdup_printf ("{\"type\":\"history\",\"before\":%" G_GINT64_FORMAT "}",
                                             fixture->seq + 2);
  g_autofree char *edge = g_strdup_printf ("{\"type\":\"history\",\"before\":%" G_GINT64_FORMAT ",\"limit\":1}",
                                           fixture->seq + 1);
  static const struct {
    const char *request;
    const char *code;
  } refusals[] = {
    { "{\"type\":\"history\",\"before\":0}", TERTULIA_ERROR_HISTORY_OUT_OF_RANGE },
    { "{\"type\":\"history\",\"before\":-5}", TERTULIA_ERROR_HISTORY_OUT_OF_RANGE },
    { "{\"type\":\"history\",\"before\":4611686018427387904}", TERTULIA_ERROR_HISTORY_OUT_OF_RANGE },
    { "{\"type\":\"history\",\"before\":9223372036854775807}", TERTULIA_ERROR_HISTORY_OUT_OF_RANGE },
    { "{\"type\":\"history\",\"before\":1e40}", TERTULIA_ERROR_HISTORY_OUT_OF_RANGE },
    { "{\"type\":\"history\",\"before\":12.5}", TERTULIA_ERROR_INVALID_FRAME },
    { "{\"type\":\"history\",\"before\":\"12\"}", TERTULIA_ERROR_INVALID_FRAME },
    { "{\"type\":\"history\"}", TERTULIA_ERROR_INVALID_FRAME },
    { "{\"type\":\"history\",\"before\":12,\"limit\":0}", TERTULIA_ERROR_INVALID_FRAME },
    { "{\"type\":\"history\",\"before\":12,\"limit\":201}", TERTULIA_ERROR_INVALID_FRAME },
    { "{\"type\":\"history\",\"before\":12,\"limit\":true}", TERTULIA_ERROR_INVALID_FRAME },
  };

  for (guint i = 0; i < G_N_ELEMENTS (refusals); i++)
    expect_error (fixture->ws, refusals[i].request, refusals[i].code);
  expect_error (fixture->ws, future, TERTULIA_ERROR_HISTORY_OUT_OF_RANGE);

  /* The connection stayed open; the newest event is right before seq + 1 */
  {
    g_autofree char *answer = ask (fixture->ws, edge);
    g_autoptr(TertuliaFrame) page = tertulia_protocol_parse_server_frame (answer, strlen (answer), NULL);

    g_assert_nonnull (page);
    g_assert_cmpuint (page->history->len, ==, 1);
    g_assert_cmpint (((TertuliaFrame *) g_ptr_array_index (page->history, 0))->seq, ==, fixture->seq);
    g_assert_true (page->more);
  }
}

/* Before the welcome, a history request is refused like any frame */
static void
test_not_joined (Fixture       *fixture,
                 gconstpointer  data)
{
  TestWs *ws = test_ws_connect (fixture->port, TRUE, 0);
  g_autofree char *welcome = NULL;

  expect_error (ws, "{\"type\":\"history\",\"before\":5,\"limit\":5}", TERTULIA_ERROR_NOT_JOINED);

  /* And after it, it works */
  welcome = test_ws_join (ws, HELLO ("pepe"));
  g_assert_nonnull (welcome);
  {
    g_autoptr(TertuliaFrame) page = ask_page (ws, fixture->seq, 5, NULL);

    g_assert_cmpuint (page->history->len, ==, 5);
  }
  test_ws_free (ws);
}

/* A page of the longest messages would be megabytes, more than a guest
 * may have waiting: pages are cut to TERTULIA_MAX_HISTORY_PAGE_BYTES (the
 * newest events kept), and paging still gets every event, once.
 */
static void
test_big_events (void)
{
  g_autoptr(TertuliaStore) store = tertulia_memory_store_new (1000);
  g_autoptr(TertuliaServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *welcome = NULL;
  g_autofree gboolean *seen = NULL;
  GString *text = g_string_new (NULL);
  TertuliaStoreRoom room = { (char *) "b16b16b16b16b16b", (char *) "Grande", (char *) "", 2, 0 };
  const guint n_events = 100;
  gint64 before;
  guint n_seen = 0;
  gboolean more = TRUE;
  TestWs *ws;

  /* 4 000 characters of four bytes each: 16 kB a message */
  for (guint i = 0; i < TERTULIA_MAX_TEXT_CHARS; i++)
    g_string_append (text, "\xf0\x9d\x84\x9e");

  tertulia_store_set_room (store, &room);
  for (gint64 seq = 1; seq <= n_events; seq++)
    {
      g_autoptr(TertuliaFrame) event = tertulia_frame_new (TERTULIA_FRAME_MESSAGE);
      g_autofree char *json = NULL;

      event->seq = seq;
      event->time = 1763769600000 + seq;
      event->peer.id = 1;
      event->peer.nick = g_strdup ("luis");
      event->text = g_strdup (text->str);
      json = tertulia_protocol_serialize (event);
      tertulia_store_append (store, seq, event->time, json);
    }
  g_string_free (text, TRUE);

  server = tertulia_server_new_with_store ("Grande", 5, store);
  g_assert_true (tertulia_server_listen (server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  ws = test_ws_connect (tertulia_server_get_port (server), TRUE, 0);
  welcome = test_ws_join (ws, HELLO ("ana"));
  g_assert_nonnull (welcome);

  seen = g_new0 (gboolean, n_events + 2);
  before = n_events + 2;
  while (more)
    {
      g_autofree char *json = NULL;
      g_autoptr(TertuliaFrame) page = ask_page (ws, before, TERTULIA_MAX_HISTORY_PAGE, &json);

      g_assert_cmpuint (strlen (json), <, TERTULIA_MAX_HISTORY_PAGE_BYTES + 1024);
      g_assert_cmpuint (page->history->len, >, 0);
      more = page->more;
      for (guint i = 0; i < page->history->len; i++)
        {
          const TertuliaFrame *event = g_ptr_array_index (page->history, i);

          g_assert_false (seen[event->seq]);
          seen[event->seq] = TRUE;
          n_seen++;
        }
      /* The newest ones before "before", contiguous with it */
      g_assert_cmpint (((TertuliaFrame *) g_ptr_array_index (page->history, page->history->len - 1))->seq,
                       ==, before - 1);
      before = ((TertuliaFrame *) g_ptr_array_index (page->history, 0))->seq;
    }

  g_assert_cmpuint (n_seen, ==, n_events + 1);
  g_assert_cmpint (before, ==, 1);
  g_assert_false (ws->closed);

  test_ws_free (ws);
  tertulia_server_shutdown (server, NULL);
  tertulia_test_spin (50);
}

/* tertulia-server --ephemeral: scrollback is what its ring still has */
static void
test_binary_ephemeral (void)
{
  const char *server_path = g_getenv ("TERTULIA_SERVER");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log_path = NULL;
  g_autofree char *welcome = NULL;
  g_autofree char *echo = NULL;
  TestWs *ws;
  int log_fd;

  if (server_path == NULL || !g_file_test (server_path, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("TERTULIA_SERVER does not name the tertulia-server program");
      return;
    }

  log_fd = g_file_open_tmp ("tertulia-history-XXXXXX.log", &log_path, &error);
  g_assert_no_error (error);
  close (log_fd);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_set_stdout_file_path (launcher, log_path);
  g_subprocess_launcher_set_stderr_file_path (launcher, log_path);
  g_subprocess_launcher_set_child_setup (launcher, test_die_with_parent, NULL, NULL);
  server = g_subprocess_launcher_spawn (launcher, &error, server_path,
                                        "--bind=127.0.0.1", "--port=0", "--no-announce",
                                        "--ephemeral", "--history=30", NULL);
  g_assert_no_error (error);

  ws = test_ws_connect (test_server_wait_for_port (log_path), FALSE, 0);
  welcome = test_ws_join (ws, HELLO ("ana"));
  g_assert_nonnull (welcome);

  /* ana's join (1) and 40 messages: the ring keeps 12 to 41 */
  for (guint i = 1; i <= 40; i++)
    {
      g_autofree char *say = g_strdup_printf ("{\"type\":\"say\",\"text\":\"mensaje %u\"}", i);

      test_ws_send_text (ws, say);
    }
  echo = test_ws_read_until (ws, "message", "\"seq\":41,", 10000);
  g_assert_nonnull (echo);

  {
    g_autoptr(TertuliaFrame) page = ask_page (ws, 42, TERTULIA_MAX_HISTORY_PAGE, NULL);

    g_assert_cmpuint (page->history->len, ==, 30);
    for (guint i = 0; i < 30; i++)
      g_assert_cmpint (((TertuliaFrame *) g_ptr_array_index (page->history, i))->seq, ==, 12 + i);
    g_assert_false (page->more);
  }
  {
    g_autoptr(TertuliaFrame) page = ask_page (ws, 20, 5, NULL);

    g_assert_cmpuint (page->history->len, ==, 5);
    g_assert_cmpint (((TertuliaFrame *) g_ptr_array_index (page->history, 0))->seq, ==, 15);
    g_assert_true (page->more);
  }
  {
    g_autoptr(TertuliaFrame) page = ask_page (ws, 5, 5, NULL);

    g_assert_cmpuint (page->history->len, ==, 0);
    g_assert_false (page->more);
  }
  expect_error (ws, "{\"type\":\"history\",\"before\":43}", TERTULIA_ERROR_HISTORY_OUT_OF_RANGE);

  test_ws_free (ws);
  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
  g_unlink (log_path);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define HISTORY_TEST(path, keep, func) \
  g_test_add ("/history/" path, Fixture, GINT_TO_POINTER (keep), fixture_setup, func, fixture_teardown)

  HISTORY_TEST ("journal/whole", KEEP_JOURNAL, test_whole_journal);
  HISTORY_TEST ("journal/order", KEEP_JOURNAL, test_order);
  HISTORY_TEST ("journal/refusals", KEEP_JOURNAL, test_refusals);
  HISTORY_TEST ("journal/not-joined", KEEP_JOURNAL, test_not_joined);
  HISTORY_TEST ("ring/whole", KEEP_RING, test_whole_journal);
  HISTORY_TEST ("ring/refusals", KEEP_RING, test_refusals);
  g_test_add_func ("/history/big-events", test_big_events);
  g_test_add_func ("/history/binary-ephemeral", test_binary_ephemeral);

  return g_test_run ();
}

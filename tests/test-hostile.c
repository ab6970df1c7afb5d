/* test-hostile.c — a guest who means harm, against a real tertulia-server
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Each test starts tertulia-server on 127.0.0.1, joins a well-behaved guest
 * that keeps chatting in a thread of its own for the whole test, and
 * attacks with hand-written WebSocket frames. It checks the documented
 * outcome (docs/PROTOCOL.md), that the well-behaved guest's messages kept
 * coming back promptly, and that the server's peak RSS (VmHWM) grew by less
 * than MAX_RSS_GROWTH_KIB over its RSS before the attack.
 */

#define G_LOG_DOMAIN "tertulia-test-hostile"
/* memmem */
#define _GNU_SOURCE

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tertulia-protocol.h"
#include "tertulia-test-ws.h"
#include "tertulia-test-utils.h"

#define MAX_RSS_GROWTH_KIB  (10 * 1024)
/* The well-behaved guest says something this often… */
#define KEEPER_INTERVAL_MS  150
/* …and its echo must come back within this, whatever the attack does. */
#define KEEPER_MAX_LATENCY_MS 1500

typedef struct
{
  GSubprocess *server;
  GPid         pid;
  guint        port;
  char        *log_path;
  guint64      rss_before_kib;

  /* The well-behaved guest */
  TestWs      *keeper;
  GThread     *keeper_thread;
  gint         keeper_stop;
  GMutex       keeper_lock;
  guint        keeper_said;
  gint64       keeper_max_latency_us;
  char        *keeper_failure;
} Fixture;

typedef struct
{
  const char * const *args;
  gboolean            keeper;
  /* Written to the server's standard input */
  const char         *input;
} Options;

static const char * const no_args[] = { NULL };
static const Options with_keeper = { no_args, TRUE, NULL };
/* The talkers of the slow-reader test send as fast as they can; a short
 * history keeps their 12 kB messages from filling the host's memory in the
 * ring (500 of them are 6 MB, and are not the sleeper's doing).
 */
static const char * const unlimited_args[] = { "--rate-limit=0/0", "--history=20", NULL };
static const Options unlimited = { unlimited_args, TRUE, NULL };


/* The well-behaved guest */

static gpointer
keeper_thread_cb (gpointer user_data)
{
  Fixture *fixture = user_data;

  for (guint n = 0; !g_atomic_int_get (&fixture->keeper_stop); n++)
    {
      g_autofree char *cid = g_strdup_printf ("keeper-%u", n);
      g_autofree char *needle = g_strdup_printf ("\"cid\":\"%s\"", cid);
      g_autofree char *say = g_strdup_printf ("{\"type\":\"say\",\"cid\":\"%s\",\"text\":\"still here %u\"}", cid, n);
      g_autofree char *echo = NULL;
      gint64 start = g_get_monotonic_time ();
      gint64 latency;

      test_ws_send_text (fixture->keeper, say);
      echo = test_ws_read_until (fixture->keeper, "message", needle, 5000 * tertulia_test_slowness ());
      latency = g_get_monotonic_time () - start;

      g_mutex_lock (&fixture->keeper_lock);
      if (echo == NULL && fixture->keeper_failure == NULL)
        fixture->keeper_failure = g_strdup_printf ("message %u never came back", n);
      else if (echo != NULL)
        {
          fixture->keeper_said++;
          fixture->keeper_max_latency_us = MAX (fixture->keeper_max_latency_us, latency);
        }
      g_mutex_unlock (&fixture->keeper_lock);

      if (echo == NULL)
        break;

      g_usleep (KEEPER_INTERVAL_MS * 1000);
    }

  return NULL;
}

static guint
keeper_said (Fixture *fixture)
{
  guint said;

  g_mutex_lock (&fixture->keeper_lock);
  said = fixture->keeper_said;
  g_mutex_unlock (&fixture->keeper_lock);

  return said;
}


/* The server */

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  const Options *options = data;
  const char *server_path = g_getenv ("TERTULIA_SERVER");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int log_fd;

  g_mutex_init (&fixture->keeper_lock);

  if (server_path == NULL || !g_file_test (server_path, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("TERTULIA_SERVER does not name the tertulia-server program");
      return;
    }

  log_fd = g_file_open_tmp ("tertulia-hostile-XXXXXX.log", &fixture->log_path, &error);
  g_assert_no_error (error);
  close (log_fd);

  g_ptr_array_add (argv, (gpointer) server_path);
  g_ptr_array_add (argv, (gpointer) "--bind=127.0.0.1");
  g_ptr_array_add (argv, (gpointer) "--port=0");
  g_ptr_array_add (argv, (gpointer) "--no-announce");
  for (guint i = 0; options->args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) options->args[i]);
  g_ptr_array_add (argv, NULL);

  /* Everything the server prints, debug messages included, goes to a file
   * that no pipe can fill up; the password test reads it all.
   */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE);
  g_subprocess_launcher_set_stdout_file_path (launcher, fixture->log_path);
  g_subprocess_launcher_set_stderr_file_path (launcher, fixture->log_path);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_set_child_setup (launcher, test_die_with_parent, NULL, NULL);

  fixture->server = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  fixture->pid = (GPid) g_ascii_strtoll (g_subprocess_get_identifier (fixture->server), NULL, 10);
  if (options->input != NULL)
    {
      GOutputStream *input = g_subprocess_get_stdin_pipe (fixture->server);

      g_output_stream_write_all (input, options->input, strlen (options->input), NULL, NULL, &error);
      g_assert_no_error (error);
      g_output_stream_close (input, NULL, &error);
      g_assert_no_error (error);
    }
  fixture->port = test_server_wait_for_port (fixture->log_path);

  if (options->keeper)
    {
      g_autofree char *welcome = NULL;

      fixture->keeper = test_ws_connect (fixture->port, FALSE, 0);
      welcome = test_ws_join (fixture->keeper, "{\"type\":\"hello\",\"version\":1,\"nick\":\"keeper\"}");
      fixture->keeper_thread = g_thread_new ("keeper", keeper_thread_cb, fixture);
      while (keeper_said (fixture) < 2)
        g_usleep (10 * 1000);
    }

  fixture->rss_before_kib = test_proc_rss_kib (fixture->pid);
}

/* The server's peak RSS over what it was before the attack */
static guint64
rss_growth_kib (Fixture *fixture)
{
  guint64 hwm = test_proc_hwm_kib (fixture->pid);

  return hwm > fixture->rss_before_kib ? hwm - fixture->rss_before_kib : 0;
}

static void
check_rss (Fixture    *fixture,
           const char *attack)
{
  guint64 growth = rss_growth_kib (fixture);

  g_test_message ("%s: server RSS %" G_GUINT64_FORMAT " KiB before, peak +%" G_GUINT64_FORMAT " KiB",
                  attack, fixture->rss_before_kib, growth);
  if (test_rss_is_meaningful ())
    g_assert_cmpuint (growth, <, MAX_RSS_GROWTH_KIB);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  if (fixture->keeper_thread != NULL)
    {
      g_atomic_int_set (&fixture->keeper_stop, 1);
      g_thread_join (fixture->keeper_thread);

      g_test_message ("the well-behaved guest said %u things meanwhile, each back within %" G_GINT64_FORMAT " ms",
                      fixture->keeper_said, fixture->keeper_max_latency_us / 1000);
      if (fixture->keeper_failure != NULL)
        g_error ("the well-behaved guest: %s", fixture->keeper_failure);
      g_assert_cmpint (fixture->keeper_max_latency_us, <, (gint64) KEEPER_MAX_LATENCY_MS * 1000 * tertulia_test_slowness ());
    }

  g_clear_pointer (&fixture->keeper, test_ws_free);

  if (fixture->server != NULL)
    {
      g_subprocess_send_signal (fixture->server, SIGTERM);
      g_subprocess_wait (fixture->server, NULL, NULL);
      g_assert_true (g_subprocess_get_if_exited (fixture->server));
      g_assert_cmpint (g_subprocess_get_exit_status (fixture->server), ==, 0);
      g_clear_object (&fixture->server);
    }

  if (fixture->log_path != NULL)
    g_unlink (fixture->log_path);
  g_clear_pointer (&fixture->log_path, g_free);
  g_clear_pointer (&fixture->keeper_failure, g_free);
  g_mutex_clear (&fixture->keeper_lock);
}


/* Helpers */

static TestWs *
attacker_join (Fixture    *fixture,
               const char *nick)
{
  TestWs *ws = test_ws_connect (fixture->port, FALSE, 0);
  g_autofree char *hello = g_strdup_printf ("{\"type\":\"hello\",\"version\":1,\"nick\":\"%s\"}", nick);
  g_autofree char *welcome = test_ws_join (ws, hello);

  return ws;
}

/* The next error frame's code */
static char *
expect_error (TestWs     *ws,
              const char *code)
{
  g_autofree char *needle = g_strdup_printf ("\"code\":\"%s\"", code);
  char *error = test_ws_read_until (ws, "error", NULL, 5000 * tertulia_test_slowness ());

  g_assert_nonnull (error);
  if (strstr (error, needle) == NULL)
    g_error ("expected an error “%s”, got %s", code, error);

  return error;
}

/* The connection still works: a say comes back */
static void
assert_still_open (TestWs     *ws,
                   const char *cid)
{
  g_autofree char *say = g_strdup_printf ("{\"type\":\"say\",\"cid\":\"%s\",\"text\":\"ok\"}", cid);
  g_autofree char *needle = g_strdup_printf ("\"cid\":\"%s\"", cid);
  g_autofree char *echo = NULL;

  test_ws_send_text (ws, say);
  echo = test_ws_read_until (ws, "message", needle, 5000);
  g_assert_nonnull (echo);
}

static void
assert_closed_with (TestWs  *ws,
                    gushort  code)
{
  g_assert_true (test_ws_wait_closed (ws, 10000));
  g_assert_cmpuint (ws->close_code, ==, code);
}


/* Attacks */

static void
test_malformed_json (Fixture       *fixture,
                     gconstpointer  data)
{
  static const char * const frames[] = {
    "{not json",
    "",
    "\"just a string\"",
    "[1, 2, 3]",
    "{\"type\":\"say\",\"text\":\"a\"} trailing",
    "{\"type\":\"say\",\"text\":\"\\ud800\"}",
    "{'type':'say'}",
  };
  TestWs *ws;

  if (fixture->server == NULL)
    return;

  ws = attacker_join (fixture, "mallory");
  for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
    {
      g_autofree char *error = NULL;

      test_ws_send_text (ws, frames[i]);
      error = expect_error (ws, TERTULIA_ERROR_MALFORMED_JSON);
    }
  assert_still_open (ws, "after-junk");

  check_rss (fixture, "malformed JSON");
  test_ws_free (ws);
}

static void
test_deep_nesting (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *deep = NULL;
  g_autofree char *deepest = NULL;
  g_autofree char *error = NULL;
  GString *json;
  TestWs *ws;

  if (fixture->server == NULL)
    return;

  /* 32 000 levels fit in a frame: refused, without overflowing any stack */
  json = g_string_new ("{\"type\":\"say\",\"text\":\"x\",\"deep\":");
  for (guint i = 0; i < 32000; i++)
    g_string_append_c (json, '[');
  for (guint i = 0; i < 32000; i++)
    g_string_append_c (json, ']');
  g_string_append_c (json, '}');
  deep = g_string_free (json, FALSE);
  g_assert_cmpuint (strlen (deep), <=, TERTULIA_MAX_FRAME_BYTES);

  ws = attacker_join (fixture, "mallory");
  test_ws_send_text (ws, deep);
  error = expect_error (ws, TERTULIA_ERROR_MALFORMED_JSON);
  assert_still_open (ws, "after-deep");

  /* 100 000 levels are 200 000 bytes: over the size limit */
  json = g_string_new (NULL);
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (json, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (json, ']');
  deepest = g_string_free (json, FALSE);
  test_ws_send_text (ws, deepest);
  assert_closed_with (ws, 1009);

  check_rss (fixture, "deep nesting");
  test_ws_free (ws);
}

static void
test_invalid_utf8 (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char bad[] = "{\"type\":\"say\",\"text\":\"\xc3\x28 \xff\"}";
  TestWs *ws;

  if (fixture->server == NULL)
    return;

  ws = attacker_join (fixture, "mallory");
  test_ws_send_frame (ws, TEST_WS_OP_TEXT, TRUE, bad, strlen (bad));
  assert_closed_with (ws, 1007);

  check_rss (fixture, "invalid UTF-8");
  test_ws_free (ws);
}

static void
test_binary (Fixture       *fixture,
             gconstpointer  data)
{
  static const guint8 blob[] = { 0x7b, 0x7d, 0x00, 0xff, 0xfe };
  g_autofree char *error = NULL;
  TestWs *ws;

  if (fixture->server == NULL)
    return;

  ws = attacker_join (fixture, "mallory");
  test_ws_send_frame (ws, TEST_WS_OP_BINARY, TRUE, blob, sizeof blob);
  error = expect_error (ws, TERTULIA_ERROR_BINARY_FRAME);
  assert_still_open (ws, "after-binary");

  check_rss (fixture, "binary frame");
  test_ws_free (ws);
}

/* CVE-2025-32049: libsoup 3.2 would reassemble this forever */
static void
test_unfinished_fragments (Fixture       *fixture,
                           gconstpointer  data)
{
  static const char start[] = "{\"type\":\"say\",\"text\":\"";
  char chunk[100];
  TestWs *ws;

  if (fixture->server == NULL)
    return;

  memset (chunk, 'f', sizeof chunk);

  ws = attacker_join (fixture, "mallory");
  test_ws_send_frame (ws, TEST_WS_OP_TEXT, FALSE, start, strlen (start));
  for (guint i = 0; i < 10000 && !ws->write_failed; i++)
    test_ws_send_frame (ws, TEST_WS_OP_CONTINUATION, FALSE, chunk, sizeof chunk);

  /* About 700 frames in, the message was too big: the rest was dropped
   * without libsoup ever buffering it.
   */
  assert_closed_with (ws, 1009);
  check_rss (fixture, "10 000 unfinished continuation frames");
  test_ws_free (ws);
}

static void
test_huge_message (Fixture       *fixture,
                   gconstpointer  data)
{
  gsize size = 5 * 1024 * 1024;
  g_autofree char *huge = g_malloc (size);
  TestWs *ws;

  if (fixture->server == NULL)
    return;

  memset (huge, 'h', size);
  memcpy (huge, "{\"type\":\"say\",\"text\":\"", 22);
  memcpy (huge + size - 2, "\"}", 2);

  ws = attacker_join (fixture, "mallory");
  test_ws_send_frame (ws, TEST_WS_OP_TEXT, TRUE, huge, size);
  g_assert_false (ws->write_failed);
  assert_closed_with (ws, 1009);

  check_rss (fixture, "a 5 MB message");
  test_ws_free (ws);
}

/* 100 messages a second for two seconds, without reading */
static void
test_flood (Fixture       *fixture,
            gconstpointer  data)
{
  TestWs *ws;
  guint sent = 0;
  guint rate_limited = 0;
  guint from_flooder = 0;
  gboolean flooding = FALSE;
  guint said_before = keeper_said (fixture);
  gint64 start;

  if (fixture->server == NULL)
    return;

  ws = attacker_join (fixture, "spammer");
  start = g_get_monotonic_time ();
  while (g_get_monotonic_time () - start < 2 * G_USEC_PER_SEC && !ws->closed && !ws->write_failed)
    {
      g_autofree char *say = g_strdup_printf ("{\"type\":\"say\",\"cid\":\"s%u\",\"text\":\"spam %u\"}", sent, sent);

      test_ws_send_text (ws, say);
      sent++;
      g_usleep (10 * 1000);
    }
  g_test_message ("the flooder sent %u messages", sent);

  /* What came back: its own messages up to the limit, rate-limited errors
   * (with their cid), then "flooding" and a close with 1008.
   */
  for (;;)
    {
      g_autofree char *frame = test_ws_read_text (ws, 5000);

      if (frame == NULL)
        break;
      if (g_str_has_prefix (frame, "{\"type\":\"error\""))
        {
          if (strstr (frame, "\"code\":\"" TERTULIA_ERROR_RATE_LIMITED "\"") != NULL)
            {
              g_assert_nonnull (strstr (frame, "\"cid\":\"s"));
              rate_limited++;
            }
          else if (strstr (frame, "\"code\":\"" TERTULIA_ERROR_FLOODING "\"") != NULL)
            flooding = TRUE;
          else
            g_error ("unexpected error frame: %s", frame);
        }
      else if (g_str_has_prefix (frame, "{\"type\":\"message\"") && strstr (frame, "spam ") != NULL)
        from_flooder++;
    }

  g_test_message ("%u broadcast, %u refused as rate-limited, then disconnected", from_flooder, rate_limited);
  g_assert_true (ws->closed);
  g_assert_cmpuint (ws->close_code, ==, 1008);
  g_assert_true (flooding);
  g_assert_cmpuint (rate_limited, ==, TERTULIA_FLOOD_REFUSALS - 1);
  /* The burst, plus what the steady rate let through while it lasted */
  g_assert_cmpuint (from_flooder, >=, TERTULIA_RATE_BURST);
  g_assert_cmpuint (from_flooder, <=, TERTULIA_RATE_BURST + 2 * TERTULIA_RATE_PER_SECOND);
  /* The room went on meanwhile */
  g_assert_cmpuint (keeper_said (fixture), >, said_before);

  check_rss (fixture, "a flood of 100 messages a second");
  test_ws_free (ws);
}

static void
test_ping_flood (Fixture       *fixture,
                 gconstpointer  data)
{
  TestWs *ws;

  if (fixture->server == NULL)
    return;

  /* Every ping costs the host a pong; pings are not messages, so they have
   * a budget of their own.
   */
  ws = attacker_join (fixture, "pinger");
  for (guint i = 0; i < 1000 && !ws->write_failed; i++)
    test_ws_send_frame (ws, TEST_WS_OP_PING, TRUE, "ping", 4);

  assert_closed_with (ws, 1008);
  check_rss (fixture, "1000 pings");
  test_ws_free (ws);
}

static void
test_nicknames (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *long_nick = NULL;
  g_autofree char *hello_long = NULL;
  g_autofree char *error = NULL;
  g_autofree char *welcome = NULL;
  g_autofree char *nick = NULL;
  TestWs *admin, *ws;

  if (fixture->server == NULL)
    return;

  admin = attacker_join (fixture, "admin");

  ws = test_ws_connect (fixture->port, FALSE, 0);

  /* A right-to-left override would turn the nickname around on screen */
  test_ws_send_text (ws, "{\"type\":\"hello\",\"version\":1,\"nick\":\"\\u202enimda\"}");
  g_free (error);
  error = expect_error (ws, TERTULIA_ERROR_NICK_INVALID);

  /* An invisible zero-width space makes "ad​min" look like "admin" */
  test_ws_send_text (ws, "{\"type\":\"hello\",\"version\":1,\"nick\":\"ad\\u200bmin\"}");
  g_free (error);
  error = expect_error (ws, TERTULIA_ERROR_NICK_INVALID);

  long_nick = g_strnfill (1000, 'n');
  hello_long = g_strdup_printf ("{\"type\":\"hello\",\"version\":1,\"nick\":\"%s\"}", long_nick);
  test_ws_send_text (ws, hello_long);
  g_free (error);
  error = expect_error (ws, TERTULIA_ERROR_NICK_TOO_LONG);

  /* "аdmin" with a Cyrillic а looks like "admin": it gets a suffix */
  welcome = test_ws_join (ws, "{\"type\":\"hello\",\"version\":1,\"nick\":\"\\u0430dmin\"}");
  g_assert_nonnull (strstr (welcome, "\"you\":{\"id\":"));
  g_assert_nonnull (strstr (welcome, "\"nick\":\"\xd0\xb0" "dmin-2\""));

  /* and cannot take it by renaming either, nor with Greek or mixed case */
  test_ws_send_text (ws, "{\"type\":\"nick\",\"nick\":\"\\u0430dmin\"}");
  g_free (error);
  error = expect_error (ws, TERTULIA_ERROR_NICK_TAKEN);
  test_ws_send_text (ws, "{\"type\":\"nick\",\"nick\":\"AD\\u039cIN\"}");
  g_free (error);
  error = expect_error (ws, TERTULIA_ERROR_NICK_TAKEN);
  assert_still_open (ws, "after-names");

  check_rss (fixture, "hostile nicknames");
  test_ws_free (ws);
  test_ws_free (admin);
}

/* Nearly 4000 three-byte characters: 12 kB a message */
static char *
dup_long_text (void)
{
  GString *big = g_string_new (NULL);

  for (guint i = 0; i < TERTULIA_MAX_TEXT_CHARS - 20; i++)
    g_string_append (big, "\xe2\x82\xac");

  return g_string_free (big, FALSE);
}

/* A guest that joins and never reads again while others chat */
static void
test_slow_reader (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *welcome = NULL;
  g_autofree char *text = NULL;
  g_autofree char *error = NULL;
  TestWs *sleeper;
  TestWs *talkers[2];
  guint64 sent_bytes = 0;
  guint n = 0;

  if (fixture->server == NULL)
    return;

  /* A tiny window, so the host's queue fills, not the kernel's buffers */
  sleeper = test_ws_connect (fixture->port, FALSE, 4096);
  welcome = test_ws_join (sleeper, "{\"type\":\"hello\",\"version\":1,\"nick\":\"sleeper\"}");

  for (guint i = 0; i < G_N_ELEMENTS (talkers); i++)
    {
      g_autofree char *nick = g_strdup_printf ("talker%u", i);

      talkers[i] = attacker_join (fixture, nick);
    }

  text = dup_long_text ();

  /* 12 MB for the sleeper, far more than its bound and the kernel's
   * buffers together
   */
  while (sent_bytes < 12 * 1024 * 1024)
    {
      for (guint i = 0; i < G_N_ELEMENTS (talkers); i++)
        {
          g_autofree char *say = g_strdup_printf ("{\"type\":\"say\",\"text\":\"%u %s\"}", n++, text);

          test_ws_send_text (talkers[i], say);
          sent_bytes += strlen (say);
          test_ws_drain (talkers[i]);
        }
      g_usleep (1000);
    }
  for (guint i = 0; i < G_N_ELEMENTS (talkers); i++)
    test_ws_drain (talkers[i]);

  /* When it reads again, what is queued ends in "too-slow" and 1008. If
   * it reads only after the host stopped waiting for the close handshake
   * (libsoup gives 5 seconds; a slow sanitizer run may take longer to
   * send all this), the kernel's buffers end without them.
   */
  error = test_ws_read_until (sleeper, "error", NULL, 10000 * tertulia_test_slowness ());
  g_assert_true (test_ws_wait_closed (sleeper, 10000 * tertulia_test_slowness ()));
  g_test_message ("the sleeper got %" G_GUINT64_FORMAT " bytes of the %" G_GUINT64_FORMAT " the room said",
                  sleeper->bytes_read, sent_bytes);
  if (error != NULL || tertulia_test_slowness () == 1)
    {
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error, "\"code\":\"" TERTULIA_ERROR_TOO_SLOW "\""));
      g_assert_cmpuint (sleeper->close_code, ==, 1008);
    }
  g_assert_cmpuint (sleeper->bytes_read, <, sent_bytes / 2);

  check_rss (fixture, "a guest that stopped reading");
  for (guint i = 0; i < G_N_ELEMENTS (talkers); i++)
    test_ws_free (talkers[i]);
  test_ws_free (sleeper);
}

/* The bytes the kernel holds for sending on the host's side of the
 * connection from @guest_port to the host's @port (tx_queue in
 * /proc/net/tcp), or -1 when there is no such connection any more
 */
static gint64
host_send_queue (guint port,
                 guint guest_port)
{
  g_autofree char *table = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/net/tcp", &table, NULL, NULL))
    return -1;

  lines = g_strsplit (table, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      guint local_port, remote_port, state;
      guint64 tx_queue;

      /* sl local_address rem_address st tx_queue:rx_queue … */
      if (sscanf (lines[i], " %*u: %*x:%x %*x:%x %x %" G_GINT64_MODIFIER "x:",
                  &local_port, &remote_port, &state, &tx_queue) == 4 &&
          local_port == port && remote_port == guest_port)
        return (gint64) tx_queue;
    }

  return -1;
}

/* A guest that stops reading pins, besides the host's queue for it (1 MiB
 * at most), what the kernel buffers for sending: left to autotuning, that
 * grows to net.ipv4.tcp_wmem's maximum (4 MiB by default) per guest. The
 * host caps it (SO_SNDBUF 1 MiB, which the kernel doubles).
 */
static void
test_sleeper_kernel_buffer (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *welcome = NULL;
  g_autofree char *text = NULL;
  struct sockaddr_in address = { 0 };
  socklen_t length = sizeof address;
  TestWs *sleeper, *talker;
  gint64 most = 0;

  if (fixture->server == NULL)
    return;

  /* A guest with the usual receive buffer */
  sleeper = test_ws_connect (fixture->port, FALSE, 0);
  welcome = test_ws_join (sleeper, "{\"type\":\"hello\",\"version\":1,\"nick\":\"sleeper\"}");
  g_assert_no_errno (getsockname (sleeper->fd, (struct sockaddr *) &address, &length));
  talker = attacker_join (fixture, "talker");
  text = dup_long_text ();

  /* Up to 8 MB for the sleeper, until the host lets it go as too slow */
  for (guint n = 0; n < 700; n++)
    {
      g_autofree char *say = g_strdup_printf ("{\"type\":\"say\",\"text\":\"%u %s\"}", n, text);
      gint64 queued;

      test_ws_send_text (talker, say);
      test_ws_drain (talker);
      if (n % 8 != 0)
        continue;
      if ((queued = host_send_queue (fixture->port, ntohs (address.sin_port))) < 0)
        break;
      most = MAX (most, queued);
      g_usleep (1000);
    }

  g_test_message ("the kernel held up to %" G_GINT64_FORMAT " bytes for a guest that did not read", most);
  g_assert_cmpint (most, >, 0);
  g_assert_cmpint (most, <=, 2 * 1024 * 1024 + 256 * 1024);

  test_ws_free (talker);
  test_ws_free (sleeper);
}

/* The password is not in any frame, in the server's output (with every
 * debug message on) or in what it sends back about wrong guesses.
 */
#define PASSWORD "s3cret-P\xc3\xa4sswort"
static const char password[] = PASSWORD;
static const char * const password_args[] = { "--password-file=-", NULL };
static const Options with_password = { password_args, FALSE, PASSWORD "\n" };

static void
test_password (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *log = NULL;
  g_autoptr(GPtrArray) frames = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *hello = NULL;
  TestWs *ws, *other;
  char *frame;

  if (fixture->server == NULL)
    return;

  ws = test_ws_connect (fixture->port, FALSE, 0);
  test_ws_send_text (ws, "{\"type\":\"hello\",\"version\":1,\"nick\":\"ana\"}");
  g_ptr_array_add (frames, expect_error (ws, TERTULIA_ERROR_PASSWORD_REQUIRED));
  test_ws_send_text (ws, "{\"type\":\"hello\",\"version\":1,\"nick\":\"ana\",\"password\":\"guess-one\"}");
  g_ptr_array_add (frames, expect_error (ws, TERTULIA_ERROR_PASSWORD_WRONG));
  g_usleep (1100 * 1000);
  hello = g_strdup_printf ("{\"type\":\"hello\",\"version\":1,\"nick\":\"ana\",\"password\":\"%s\"}", password);
  test_ws_send_text (ws, hello);
  frame = test_ws_read_until (ws, "welcome", NULL, 5000);
  g_assert_nonnull (frame);
  g_ptr_array_add (frames, frame);

  g_usleep (1100 * 1000);
  other = test_ws_connect (fixture->port, FALSE, 0);
  test_ws_send_text (other, hello);
  g_ptr_array_add (frames, test_ws_read_until (other, "welcome", NULL, 5000));
  test_ws_send_text (other, "{\"type\":\"say\",\"cid\":\"o1\",\"text\":\"hola\"}");
  g_ptr_array_add (frames, test_ws_read_until (ws, "message", "hola", 5000));
  g_ptr_array_add (frames, test_ws_read_until (other, "message", "hola", 5000));

  for (guint i = 0; i < frames->len; i++)
    {
      const char *text = g_ptr_array_index (frames, i);

      g_assert_nonnull (text);
      g_assert_null (strstr (text, password));
      g_assert_null (strstr (text, "guess-one"));
    }

  test_ws_free (other);
  test_ws_free (ws);

  g_subprocess_send_signal (fixture->server, SIGTERM);
  g_subprocess_wait (fixture->server, NULL, NULL);
  g_clear_object (&fixture->server);

  g_assert_true (g_file_get_contents (fixture->log_path, &log, NULL, NULL));
  /* The log did have the debug messages about these very attempts… */
  g_assert_nonnull (strstr (log, "wrong password"));
  g_assert_nonnull (strstr (log, "Guests must give the room"));
  /* …and never the password or the guess */
  g_assert_null (strstr (log, password));
  g_assert_null (strstr (log, "guess-one"));
}

/* Connections, before and around the upgrade */

/* Reads (and drops, keeping the first @keep bytes in @got if not NULL)
 * until the host closes @fd; FALSE if it did not within @timeout_ms.
 */
static gboolean
raw_wait_closed (int      fd,
                 guint    timeout_ms,
                 GString *got)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (g_get_monotonic_time () < deadline)
    {
      struct pollfd pfd = { fd, POLLIN, 0 };
      char buffer[16384];
      gssize n;

      if (poll (&pfd, 1, 50) <= 0)
        continue;
      n = recv (fd, buffer, sizeof buffer, MSG_DONTWAIT);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
        return TRUE;
      if (n > 0 && got != NULL && got->len < 4096)
        g_string_append_len (got, buffer, n);
    }

  return FALSE;
}

/* Sends what the socket takes now; FALSE once the host cut it */
static gboolean
raw_send_some (int         fd,
               const void *data,
               gsize       length)
{
  gssize n = send (fd, data, length, MSG_NOSIGNAL | MSG_DONTWAIT);

  return n >= 0 || errno == EAGAIN || errno == EINTR;
}

static void
raw_send (int         fd,
          const char *text)
{
  gsize length = strlen (text);
  gsize sent = 0;
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (sent < length && g_get_monotonic_time () < deadline)
    {
      gssize n = send (fd, text + sent, length - sent, MSG_NOSIGNAL | MSG_DONTWAIT);

      if (n > 0)
        sent += (gsize) n;
      else if (n < 0 && errno != EAGAIN && errno != EINTR)
        return;
      else
        g_usleep (1000);
    }
}

/* Host CPU time used so far (utime + stime), in ms */
static guint64
proc_cpu_ms (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after;

  if (!g_file_get_contents (path, &stat, NULL, NULL) || (after = strrchr (stat, ')')) == NULL)
    return 0;
  fields = g_strsplit (after + 2, " ", -1);
  if (g_strv_length (fields) < 13)
    return 0;

  return (g_ascii_strtoull (fields[11], NULL, 10) + g_ascii_strtoull (fields[12], NULL, 10)) *
         1000 / (guint64) sysconf (_SC_CLK_TCK);
}

static void
raise_fd_limit (guint wanted)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < wanted)
    {
      limit.rlim_cur = MIN ((rlim_t) wanted, limit.rlim_max);
      setrlimit (RLIMIT_NOFILE, &limit);
    }
}

/* A sanitizer makes every join cost several times as much; the crowd is
 * smaller there, so that the well-behaved guest's latency still means
 * something.
 */
#define STORM_GUESTS (400 / tertulia_test_slowness ())

static void
string_free (gpointer string)
{
  g_string_free (string, TRUE);
}

static const char * const storm_args[] = { "--max-connections-per-address=0", NULL };
static const Options storm = { storm_args, TRUE, NULL };

/* A crowd connecting in the same instant (the QR code on the projector):
 * everyone is welcomed within a second or two. A listen backlog of 10
 * dropped most of the SYNs, and each guest dropped waited 1, 3, 7 s…
 */
static void
test_join_storm (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree struct pollfd *pfds = g_new0 (struct pollfd, STORM_GUESTS);
  g_autofree gboolean *welcomed = g_new0 (gboolean, STORM_GUESTS);
  g_autoptr(GPtrArray) in = g_ptr_array_new_with_free_func (string_free);
  struct sockaddr_in addr = { 0 };
  guint n_welcomed = 0;
  guint64 cpu_before;
  gint64 start, deadline, took;

  if (fixture->server == NULL)
    return;

  raise_fd_limit (STORM_GUESTS + 256);
  cpu_before = proc_cpu_ms (fixture->pid);

  addr.sin_family = AF_INET;
  addr.sin_port = htons ((guint16) fixture->port);
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < STORM_GUESTS; i++)
    {
      int one = 1;

      pfds[i].fd = socket (AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
      g_assert_cmpint (pfds[i].fd, >=, 0);
      setsockopt (pfds[i].fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      g_assert_true (connect (pfds[i].fd, (struct sockaddr *) &addr, sizeof addr) == 0 ||
                     errno == EINPROGRESS);
      pfds[i].events = POLLOUT;
      g_ptr_array_add (in, g_string_new (NULL));
    }

  deadline = start + 20 * G_USEC_PER_SEC;
  while (n_welcomed < STORM_GUESTS && g_get_monotonic_time () < deadline)
    {
      if (poll (pfds, STORM_GUESTS, 100) <= 0)
        continue;

      for (guint i = 0; i < STORM_GUESTS; i++)
        {
          if (pfds[i].revents & POLLOUT)
            {
              g_autofree char *hello = g_strdup_printf ("{\"type\":\"hello\",\"version\":1,\"nick\":\"crowd%u\"}", i);
              static const guint8 mask[4] = { 1, 2, 3, 4 };
              g_autoptr(GByteArray) out = g_byte_array_new ();
              g_autofree char *request = NULL;
              guint8 header[14];
              gsize header_length = test_ws_frame_header (header, TEST_WS_OP_TEXT, TRUE, strlen (hello), mask);

              request = test_ws_upgrade_request (fixture->port);
              g_byte_array_append (out, (guint8 *) request, strlen (request));
              g_byte_array_append (out, header, header_length);
              for (gsize j = 0; hello[j] != '\0'; j++)
                {
                  guint8 c = (guint8) hello[j] ^ mask[j % 4];

                  g_byte_array_append (out, &c, 1);
                }
              /* A fresh socket takes these few hundred bytes whole */
              g_assert_cmpint (send (pfds[i].fd, out->data, out->len, MSG_NOSIGNAL), ==, (gssize) out->len);
              pfds[i].events = POLLIN;
            }
          else if (pfds[i].revents & (POLLIN | POLLHUP | POLLERR))
            {
              GString *got = g_ptr_array_index (in, i);
              char buffer[16384];
              gssize n = recv (pfds[i].fd, buffer, sizeof buffer, MSG_DONTWAIT);

              if (n <= 0)
                {
                  if (n == 0 || (errno != EAGAIN && errno != EINTR))
                    g_error ("guest %u of the crowd was cut off: %s", i, got->str);
                  continue;
                }
              if (got->len < 65536)
                g_string_append_len (got, buffer, n);
              /* Frame headers may hold NUL bytes */
              if (memmem (got->str, got->len, "\"type\":\"welcome\"", 16) != NULL)
                {
                  welcomed[i] = TRUE;
                  n_welcomed++;
                  pfds[i].events = 0;
                }
            }
        }
    }
  took = g_get_monotonic_time () - start;

  g_test_message ("%u of %u guests connecting at once welcomed within %" G_GINT64_FORMAT " ms; host CPU %" G_GUINT64_FORMAT " ms",
                  n_welcomed, STORM_GUESTS, took / 1000, proc_cpu_ms (fixture->pid) - cpu_before);
  g_assert_cmpuint (n_welcomed, ==, STORM_GUESTS);
  g_assert_cmpint (took, <, 3 * G_USEC_PER_SEC * tertulia_test_slowness ());

  /* Not an attack: 400 guests really in the room cost memory */
  g_test_message ("a crowd joining at once: server RSS %" G_GUINT64_FORMAT " KiB before, peak +%" G_GUINT64_FORMAT " KiB",
                  fixture->rss_before_kib, rss_growth_kib (fixture));
  for (guint i = 0; i < STORM_GUESTS; i++)
    close (pfds[i].fd);
}

static gboolean
http_get (guint    port,
          GString *answer)
{
  int fd = test_raw_connect (port, NULL);
  gboolean closed;

  raw_send (fd, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  closed = raw_wait_closed (fd, 5000, answer);
  close (fd);

  return closed;
}

#define N_GETS 3000

/* The page, over and over: each answer is as quick as an upgrade, and the
 * host keeps nothing of it (libsoup 3.2 kept every connection a guest had
 * closed between requests, an open socket each).
 */
static void
test_page_loads (Fixture       *fixture,
                 gconstpointer  data)
{
  guint fds_before;
  guint64 cpu_before;
  gint64 start, took;

  if (fixture->server == NULL)
    return;

  fds_before = test_proc_n_fds (fixture->pid);
  cpu_before = proc_cpu_ms (fixture->pid);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < N_GETS; i++)
    {
      g_autoptr(GString) answer = g_string_new (NULL);

      /* The host closes each connection once it answered */
      g_assert_true (http_get (fixture->port, answer));
      if (!g_str_has_prefix (answer->str, "HTTP/1.1 200 "))
        g_error ("GET / number %u: %s", i, answer->str);
    }
  took = g_get_monotonic_time () - start;

  g_test_message ("%u page loads: %.2f ms each, host CPU %" G_GUINT64_FORMAT " ms, %u open files before, %u after",
                  N_GETS, (double) took / N_GETS / 1000, proc_cpu_ms (fixture->pid) - cpu_before,
                  fds_before, test_proc_n_fds (fixture->pid));
  g_assert_cmpuint (test_proc_n_fds (fixture->pid), <, fds_before + 8);
  g_assert_cmpint (took / N_GETS, <, 5000 * tertulia_test_slowness ());
  check_rss (fixture, "page loads");
}

/* Sends @head, then up to @body_bytes of body as the host takes it, and
 * returns what the host answered; it must answer and close without
 * reading the body.
 */
static char *
send_with_body (Fixture    *fixture,
                const char *head,
                gsize       body_bytes)
{
  int fd = test_raw_connect (fixture->port, NULL);
  g_autoptr(GString) got = g_string_new (NULL);
  g_autofree char *chunk = g_malloc0 (65536);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC * tertulia_test_slowness ();
  gsize sent = 0;
  gboolean closed = FALSE;

  memset (chunk, 'x', 65536);
  raw_send (fd, head);

  while (!closed && g_get_monotonic_time () < deadline)
    {
      struct pollfd pfd = { fd, POLLIN | (sent < body_bytes ? POLLOUT : 0), 0 };

      if (poll (&pfd, 1, 50) <= 0)
        continue;
      if ((pfd.revents & POLLOUT) && sent < body_bytes)
        {
          gssize n = send (fd, chunk, MIN (65536, body_bytes - sent), MSG_NOSIGNAL | MSG_DONTWAIT);

          if (n > 0)
            sent += (gsize) n;
          else if (n < 0 && errno != EAGAIN && errno != EINTR)
            sent = body_bytes;
        }
      if (pfd.revents & (POLLIN | POLLHUP | POLLERR))
        {
          char buffer[4096];
          gssize n = recv (fd, buffer, sizeof buffer, MSG_DONTWAIT);

          if (n > 0)
            g_string_append_len (got, buffer, n);
          else if (n == 0 || (errno != EAGAIN && errno != EINTR))
            closed = TRUE;
        }
    }
  close (fd);

  g_test_message ("%.40s…: %" G_GSIZE_FORMAT " bytes of body taken, closed: %d", head, sent, closed);
  g_assert_true (closed);

  return g_string_free (g_steal_pointer (&got), FALSE);
}

/* Nothing the host serves takes a body: it says so at the headers and
 * closes, whatever Content-Length or chunks follow.
 */
static void
test_request_bodies (Fixture       *fixture,
                     gconstpointer  data)
{
  static const struct {
    const char *head;
    const char *status;
  } cases[] = {
    { "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10000000000\r\n\r\n", "HTTP/1.1 405 " },
    { "POST /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n10000\r\n", "HTTP/1.1 405 " },
    { "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 200000000\r\n\r\n", "HTTP/1.1 413 " },
    { "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n10000\r\n", "HTTP/1.1 413 " },
  };
  guint64 cpu_before;

  if (fixture->server == NULL)
    return;

  cpu_before = proc_cpu_ms (fixture->pid);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *answer = send_with_body (fixture, cases[i].head, 64 * 1024 * 1024);

      if (!g_str_has_prefix (answer, cases[i].status))
        g_error ("expected %s for %s, got “%s”", cases[i].status, cases[i].head, answer);
    }

  g_test_message ("host CPU %" G_GUINT64_FORMAT " ms", proc_cpu_ms (fixture->pid) - cpu_before);
  check_rss (fixture, "request bodies");
}

/* One address opening upgrades as fast as it can and never reading must
 * not keep anyone else out.
 */
#define MAX_ATTACKERS 1500

typedef struct
{
  guint  port;
  gint   stop;
  guint  n_opened;
} Attack;

static gpointer
attack_thread_cb (gpointer user_data)
{
  Attack *attack = user_data;
  g_autofree struct pollfd *pfds = g_new0 (struct pollfd, MAX_ATTACKERS);
  g_autofree char *request = NULL;
  struct sockaddr_in addr = { 0 };

  request = test_ws_upgrade_request (attack->port);
  addr.sin_family = AF_INET;
  addr.sin_port = htons ((guint16) attack->port);
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);

  while (!g_atomic_int_get (&attack->stop))
    {
      /* Ten more every few milliseconds, never read */
      for (guint i = 0; i < 10 && attack->n_opened < MAX_ATTACKERS; i++)
        {
          struct pollfd *pfd = &pfds[attack->n_opened++];

          pfd->fd = socket (AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
          pfd->events = POLLOUT;
          if (connect (pfd->fd, (struct sockaddr *) &addr, sizeof addr) != 0 && errno != EINPROGRESS)
            g_error ("connect: %s", g_strerror (errno));
        }

      if (poll (pfds, attack->n_opened, 5) > 0)
        for (guint i = 0; i < attack->n_opened; i++)
          if (pfds[i].revents & POLLOUT)
            {
              raw_send_some (pfds[i].fd, request, strlen (request));
              pfds[i].events = 0;
            }
    }

  for (guint i = 0; i < attack->n_opened; i++)
    close (pfds[i].fd);

  return NULL;
}

static void
test_lock_out (Fixture       *fixture,
               gconstpointer  data)
{
  Attack attack = { fixture->port, 0, 0 };
  GThread *thread;
  guint64 cpu_before;

  if (fixture->server == NULL)
    return;

  raise_fd_limit (MAX_ATTACKERS + 256);
  cpu_before = proc_cpu_ms (fixture->pid);
  thread = g_thread_new ("attack", attack_thread_cb, &attack);
  g_usleep (500 * 1000);

  /* Someone else, meanwhile, gets in every time */
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *hello = g_strdup_printf ("{\"type\":\"hello\",\"version\":1,\"nick\":\"newcomer%u\"}", i);
      g_autofree char *welcome = NULL;
      TestWs *ws = NULL;
      guint status = test_ws_try_connect_from (fixture->port, FALSE, "127.0.0.2", &ws);

      if (status != 101)
        g_error ("a newcomer from another address got HTTP %u on try %u", status, i);
      test_ws_send_text (ws, hello);
      welcome = test_ws_read_until (ws, "welcome", NULL, 5000);
      g_assert_nonnull (welcome);
      test_ws_free (ws);
      g_usleep (200 * 1000);
    }

  g_atomic_int_set (&attack.stop, 1);
  g_thread_join (thread);

  g_test_message ("%u connections from the attacker; host CPU %" G_GUINT64_FORMAT " ms",
                  attack.n_opened, proc_cpu_ms (fixture->pid) - cpu_before);
  check_rss (fixture, "one address opening upgrades and never reading");
}

static const char * const short_http_args[] = { "--http-timeouts=1500/1500", NULL };
static const Options short_http = { short_http_args, TRUE, NULL };

#define N_SLOW 20

/* Connections that never finish a request: the host closes them after its
 * deadline, and one address cannot hold more than its share meanwhile.
 */
static void
test_pre_upgrade_deadlines (Fixture       *fixture,
                            gconstpointer  data)
{
  static const guint8 client_hello[] = {
    0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03, 0x00, 0x01, 0x02, 0x03,
  };
  static const guint8 nuls[64] = { 0, };
  int slow[N_SLOW];
  int idle[40];
  int garbage[3];
  guint n_idle_refused = 0;
  guint64 cpu_before;
  gint64 start;

  if (fixture->server == NULL)
    return;

  cpu_before = proc_cpu_ms (fixture->pid);
  start = g_get_monotonic_time ();

  /* Slowloris: a request that never ends, a byte at a time */
  for (guint i = 0; i < N_SLOW; i++)
    {
      slow[i] = test_raw_connect (fixture->port, "127.0.0.3");
      raw_send (slow[i], "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    }

  /* Connections that say nothing at all; past the per-address limit (32)
   * they are answered 503 and closed at once
   */
  for (guint i = 0; i < G_N_ELEMENTS (idle); i++)
    idle[i] = test_raw_connect (fixture->port, "127.0.0.4");
  for (guint i = TERTULIA_MAX_CONNECTIONS_PER_ADDRESS; i < G_N_ELEMENTS (idle); i++)
    {
      g_autoptr(GString) got = g_string_new (NULL);

      g_assert_true (raw_wait_closed (idle[i], 1000, got));
      g_assert_true (g_str_has_prefix (got->str, "HTTP/1.1 503 "));
      n_idle_refused++;
    }
  g_assert_cmpuint (n_idle_refused, ==, G_N_ELEMENTS (idle) - TERTULIA_MAX_CONNECTIONS_PER_ADDRESS);

  /* Garbage: a TLS ClientHello, NUL bytes, an impossible length */
  garbage[0] = test_raw_connect (fixture->port, "127.0.0.5");
  raw_send_some (garbage[0], client_hello, sizeof client_hello);
  garbage[1] = test_raw_connect (fixture->port, "127.0.0.5");
  raw_send_some (garbage[1], nuls, sizeof nuls);
  garbage[2] = test_raw_connect (fixture->port, "127.0.0.5");
  raw_send (garbage[2], "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 99999999999999999999999999\r\n\r\n");

  for (guint second = 0; second < 3; second++)
    {
      g_usleep (500 * 1000);
      for (guint i = 0; i < N_SLOW; i++)
        raw_send_some (slow[i], "X", 1);
    }

  /* Every one of them is closed by the deadline (1.5 s here) */
  for (guint i = 0; i < N_SLOW; i++)
    g_assert_true (raw_wait_closed (slow[i], 3000 * tertulia_test_slowness (), NULL));
  for (guint i = 0; i < G_N_ELEMENTS (idle); i++)
    g_assert_true (raw_wait_closed (idle[i], 3000 * tertulia_test_slowness (), NULL));
  for (guint i = 0; i < G_N_ELEMENTS (garbage); i++)
    if (!raw_wait_closed (garbage[i], 3000 * tertulia_test_slowness (), NULL))
      g_error ("garbage %u was not closed", i);

  g_test_message ("all closed within %" G_GINT64_FORMAT " ms; host CPU %" G_GUINT64_FORMAT " ms",
                  (g_get_monotonic_time () - start) / 1000, proc_cpu_ms (fixture->pid) - cpu_before);
  check_rss (fixture, "slowloris, idle connections, garbage");

  for (guint i = 0; i < N_SLOW; i++)
    close (slow[i]);
  for (guint i = 0; i < G_N_ELEMENTS (idle); i++)
    close (idle[i]);
  for (guint i = 0; i < G_N_ELEMENTS (garbage); i++)
    close (garbage[i]);
}

static const char * const short_keepalive_args[] = { "--keepalive=1/2500", NULL };
static const Options short_keepalive = { short_keepalive_args, FALSE, NULL };

/* The host stops (suspend, swap, a debugger) for twice its idle timeout:
 * when it runs again nobody is dropped for the silence it caused.
 */
static void
test_host_stall (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *echo = NULL;
  g_autofree char *heard = NULL;
  TestWs *ana, *bea;

  if (fixture->server == NULL)
    return;

  ana = attacker_join (fixture, "ana");
  bea = attacker_join (fixture, "bea");
  test_ws_drain (ana);

  g_subprocess_send_signal (fixture->server, SIGSTOP);
  g_usleep (5 * G_USEC_PER_SEC);
  g_subprocess_send_signal (fixture->server, SIGCONT);

  test_ws_send_text (ana, "{\"type\":\"say\",\"cid\":\"a1\",\"text\":\"back\"}");
  echo = test_ws_read_until (ana, "message", "\"cid\":\"a1\"", 3000);
  g_assert_nonnull (echo);
  heard = test_ws_read_until (bea, "message", "back", 3000);
  g_assert_nonnull (heard);

  /* Both answer the pings from now on, and stay */
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *ana_leave = test_ws_read_until (ana, "leave", NULL, 200);
      g_autofree char *bea_leave = test_ws_read_until (bea, "leave", NULL, 200);

      g_assert_null (ana_leave);
      g_assert_null (bea_leave);
    }
  g_assert_false (ana->closed);
  g_assert_false (bea->closed);
  assert_still_open (ana, "a2");

  test_ws_free (ana);
  test_ws_free (bea);
}

static const char * const short_deadlines_args[] = { "--deadlines=1500/2500", NULL };
static const Options short_deadlines = { short_deadlines_args, FALSE, NULL };

/* The host stops for longer than its hello deadline and its resume grace:
 * when it runs again, a guest that had not said hello yet still can, and
 * one whose connection dropped just before can still come back as itself.
 */
static void
test_host_stall_deadlines (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *welcome = NULL;
  g_autofree char *token = NULL;
  g_autofree char *hello = NULL;
  g_autofree char *late_welcome = NULL;
  g_autofree char *resumed = NULL;
  TestWs *ana, *back, *late, *bea;

  if (fixture->server == NULL)
    return;

  ana = test_ws_connect (fixture->port, FALSE, 0);
  welcome = test_ws_join (ana, "{\"type\":\"hello\",\"version\":1,\"nick\":\"ana\"}");
  token = test_json_get_string (welcome, "resume_token");
  g_assert_nonnull (token);
  bea = attacker_join (fixture, "bea");
  /* Upgraded, no hello yet */
  late = test_ws_connect (fixture->port, FALSE, 0);

  /* Ana's connection drops without a close (a phone out of range): her
   * grace begins once the host sees it
   */
  test_ws_free (ana);
  g_usleep (300 * G_USEC_PER_SEC / 1000);

  g_subprocess_send_signal (fixture->server, SIGSTOP);
  g_usleep (4 * G_USEC_PER_SEC);
  g_subprocess_send_signal (fixture->server, SIGCONT);
  /* The host's overdue timers run first, as they would in any case when
   * the guest's hello comes a moment after the host woke
   */
  g_usleep (200 * G_USEC_PER_SEC / 1000);

  test_ws_send_text (late, "{\"type\":\"hello\",\"version\":1,\"nick\":\"cam\"}");
  late_welcome = test_ws_read_until (late, "welcome", NULL, 3000 * tertulia_test_slowness ());
  if (late_welcome == NULL)
    g_error ("a guest that had not said hello yet was not let in after the host's stall");

  back = test_ws_connect (fixture->port, FALSE, 0);
  hello = g_strdup_printf ("{\"type\":\"hello\",\"version\":1,\"nick\":\"ana\","
                           "\"resume\":{\"token\":\"%s\",\"last_seq\":1}}", token);
  resumed = test_ws_join (back, hello);
  g_assert_nonnull (resumed);
  if (strstr (resumed, "\"resumed\":true") == NULL)
    g_error ("a guest whose connection dropped before the host's stall could not resume: %s", resumed);

  /* Nobody saw Ana leave */
  g_assert_null (test_ws_read_until (bea, "leave", NULL, 500));

  test_ws_free (back);
  test_ws_free (late);
  test_ws_free (bea);
}

/* A guest dropped as too slow reads again only after the host stopped
 * waiting for its close: what is queued still ends with "too-slow" and
 * 1008, not with a reset that destroys them.
 */
static void
test_late_reader (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *welcome = NULL;
  g_autofree char *text = NULL;
  g_autofree char *error = NULL;
  TestWs *sleeper;
  TestWs *talker;
  guint64 sent_bytes = 0;
  guint n = 0;

  if (fixture->server == NULL)
    return;

  sleeper = test_ws_connect (fixture->port, FALSE, 4096);
  welcome = test_ws_join (sleeper, "{\"type\":\"hello\",\"version\":1,\"nick\":\"sleeper\"}");
  talker = attacker_join (fixture, "talker");

  text = dup_long_text ();

  while (sent_bytes < 12 * 1024 * 1024)
    {
      g_autofree char *say = g_strdup_printf ("{\"type\":\"say\",\"text\":\"%u %s\"}", n++, text);

      test_ws_send_text (talker, say);
      sent_bytes += strlen (say);
      test_ws_drain (talker);
      g_usleep (500);
    }
  test_ws_drain (talker);

  /* libsoup waits 5 s for the guest's close; it reads after that */
  g_usleep (7 * G_USEC_PER_SEC);

  error = test_ws_read_until (sleeper, "error", NULL, 10000 * tertulia_test_slowness ());
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error, "\"code\":\"" TERTULIA_ERROR_TOO_SLOW "\""));
  g_assert_true (test_ws_wait_closed (sleeper, 10000 * tertulia_test_slowness ()));
  g_assert_cmpuint (sleeper->close_code, ==, 1008);

  check_rss (fixture, "a guest that read again too late");
  test_ws_free (talker);
  test_ws_free (sleeper);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* A host that cuts a connection while we write must not kill us */
  signal (SIGPIPE, SIG_IGN);

#define ADD(path, func) \
  g_test_add (path, Fixture, &with_keeper, fixture_setup, func, fixture_teardown)

  ADD ("/hostile/malformed-json", test_malformed_json);
  ADD ("/hostile/deep-nesting", test_deep_nesting);
  ADD ("/hostile/invalid-utf8", test_invalid_utf8);
  ADD ("/hostile/binary", test_binary);
  ADD ("/hostile/unfinished-fragments", test_unfinished_fragments);
  ADD ("/hostile/huge-message", test_huge_message);
  ADD ("/hostile/flood", test_flood);
  ADD ("/hostile/ping-flood", test_ping_flood);
  ADD ("/hostile/nicknames", test_nicknames);
  g_test_add ("/hostile/slow-reader", Fixture, &unlimited,
              fixture_setup, test_slow_reader, fixture_teardown);
  g_test_add ("/hostile/sleeper-kernel-buffer", Fixture, &unlimited,
              fixture_setup, test_sleeper_kernel_buffer, fixture_teardown);
  g_test_add ("/hostile/password-never-shown", Fixture, &with_password,
              fixture_setup, test_password, fixture_teardown);
  g_test_add ("/hostile/join-storm", Fixture, &storm,
              fixture_setup, test_join_storm, fixture_teardown);
  ADD ("/hostile/page-loads", test_page_loads);
  ADD ("/hostile/request-bodies", test_request_bodies);
  ADD ("/hostile/lock-out", test_lock_out);
  g_test_add ("/hostile/pre-upgrade-deadlines", Fixture, &short_http,
              fixture_setup, test_pre_upgrade_deadlines, fixture_teardown);
  g_test_add ("/hostile/host-stall", Fixture, &short_keepalive,
              fixture_setup, test_host_stall, fixture_teardown);
  g_test_add ("/hostile/host-stall-deadlines", Fixture, &short_deadlines,
              fixture_setup, test_host_stall_deadlines, fixture_teardown);
  g_test_add ("/hostile/late-reader", Fixture, &unlimited,
              fixture_setup, test_late_reader, fixture_teardown);

#undef ADD

  return g_test_run ();
}

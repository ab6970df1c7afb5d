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

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "tertulia-protocol.h"
#include "tertulia-test-ws.h"

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
      echo = test_ws_read_until (fixture->keeper, "message", needle, 5000);
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

#ifdef __linux__
static void
die_with_parent_cb (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}
#endif

static guint
wait_for_port (const char *log_path)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      g_autofree char *log = NULL;
      const char *p;

      if (g_file_get_contents (log_path, &log, NULL, NULL) &&
          (p = strstr (log, " is open on port ")) != NULL)
        return (guint) g_ascii_strtoull (p + strlen (" is open on port "), NULL, 10);

      g_usleep (20 * 1000);
    }

  g_error ("tertulia-server did not say which port it listens on");
}

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
#ifdef __linux__
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent_cb, NULL, NULL);
#endif

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
  fixture->port = wait_for_port (fixture->log_path);

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
      g_assert_cmpint (fixture->keeper_max_latency_us, <, (gint64) KEEPER_MAX_LATENCY_MS * 1000 * test_slowness ());
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
  char *error = test_ws_read_until (ws, "error", NULL, 5000);

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

  /* Nearly 4000 three-byte characters: 12 kB a message */
  {
    GString *big = g_string_new (NULL);

    for (guint i = 0; i < TERTULIA_MAX_TEXT_CHARS - 20; i++)
      g_string_append (big, "\xe2\x82\xac");
    text = g_string_free (big, FALSE);
  }

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
  error = test_ws_read_until (sleeper, "error", NULL, 10000 * test_slowness ());
  g_assert_true (test_ws_wait_closed (sleeper, 10000 * test_slowness ()));
  g_test_message ("the sleeper got %" G_GUINT64_FORMAT " bytes of the %" G_GUINT64_FORMAT " the room said",
                  sleeper->bytes_read, sent_bytes);
  if (error != NULL || test_slowness () == 1)
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
  g_test_add ("/hostile/password-never-shown", Fixture, &with_password,
              fixture_setup, test_password, fixture_teardown);

#undef ADD

  return g_test_run ();
}

/* soak.c — 100 guests chatting for minutes: does the host leak or lose anything?
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A host process and --clients guests (default 100) on 127.0.0.1. Once
 * everyone is in, each guest says "soak <guest> <n>" once a second for
 * --minutes (default 10). Every guest checks everything it receives:
 * event seqs go up by exactly one, and from each sender it gets 1, 2, 3…
 * with nothing skipped or repeated; at the end, everything every sender
 * said. The host's RSS is printed at the start, each minute and at the end.
 *
 * The host is a tertulia-server subprocess (the one built next to this
 * program, or --server PATH) on 127.0.0.1 with no per-address connection
 * limit, since every guest comes from 127.0.0.1; --server-arg passes it
 * more options.
 *
 *   meson configure BUILDDIR -Dbench=true && ninja -C BUILDDIR
 *   BUILDDIR/tests/bench/soak [--minutes 10] [--clients 100]
 *
 * Exit status 0 when nothing was lost, repeated or refused; 1 otherwise.
 * Not a test: tests/bench/ is built with -Dbench=true.
 */

#define G_LOG_DOMAIN "tertulia-soak"

#include "config.h"

#include <libsoup/soup.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "tertulia-protocol.h"

/* tertulia-server listens with a backlog of 10: no more handshakes at once. */
#define MAX_JOINING 8

typedef struct _Soak Soak;

typedef struct
{
  Soak                    *soak;
  guint                    index;

  SoupWebsocketConnection *conn;
  gint64                   id;
  gint64                   last_seq;
  gboolean                 welcomed;
  gboolean                 closed;

  guint                    say_id;
  guint                    said;
  guint                    echoed;
  guint                   *next;          /* per sender: the n expected next */

  guint64                  received;
  guint                    seq_gaps;      /* events never seen */
  guint                    seq_repeats;   /* events seen twice or out of order */
  guint                    lost;          /* messages skipped from some sender */
  guint                    repeated;
} Guest;

struct _Soak
{
  GMainLoop    *loop;
  SoupSession  *session;
  GSubprocess  *server;
  GPid          server_pid;
  guint         port;

  Guest        *guests;
  guint         n_guests;
  guint         n_joining;
  guint         next_to_join;
  guint         n_welcomed;
  guint         n_failed;

  GHashTable   *errors;          /* code → count */
  gboolean      sending;
  gboolean      timed_out;
};

static gint64
rss_kib (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *contents = NULL;
  const char *line;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return -1;
  line = strstr (contents, "VmRSS:");

  return line != NULL ? g_ascii_strtoll (line + strlen ("VmRSS:"), NULL, 10) : -1;
}

static void
count_error (Soak       *soak,
             const char *code)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (soak->errors, code));

  g_hash_table_insert (soak->errors, g_strdup (code), GUINT_TO_POINTER (n + 1));
}

/* The host */

#ifdef __linux__
static void
die_with_parent_cb (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}
#endif

static gboolean
spawn_server (Soak        *soak,
              const char  *program,
              GStrv        server_args,
              GError     **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GOutputStream) sink = NULL;
  g_autofree char *line = NULL;
  const char *number;

  g_ptr_array_add (argv, (gpointer) program);
  g_ptr_array_add (argv, (gpointer) "--bind");
  g_ptr_array_add (argv, (gpointer) "127.0.0.1");
  g_ptr_array_add (argv, (gpointer) "--port");
  g_ptr_array_add (argv, (gpointer) "0");
  g_ptr_array_add (argv, (gpointer) "--no-announce");
  g_ptr_array_add (argv, (gpointer) "--max-connections-per-address");
  g_ptr_array_add (argv, (gpointer) "0");
  for (guint i = 0; server_args != NULL && server_args[i] != NULL; i++)
    g_ptr_array_add (argv, server_args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
#ifdef __linux__
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent_cb, NULL, NULL);
#endif
  soak->server = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, error);
  if (soak->server == NULL)
    return FALSE;

  soak->server_pid = (GPid) g_ascii_strtoll (g_subprocess_get_identifier (soak->server), NULL, 10);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (soak->server));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, error);
  if (line == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The host said nothing");
      return FALSE;
    }

  number = strrchr (line, ' ');
  soak->port = number != NULL ? (guint) g_ascii_strtoull (number + 1, NULL, 10) : 0;
  if (soak->port == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "No port in the host's first line: %s", line);
      return FALSE;
    }

  /* Whatever else it prints must not fill the pipe and stop it. */
  sink = g_memory_output_stream_new_resizable ();
  g_output_stream_splice_async (sink, G_INPUT_STREAM (out),
                                G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, G_PRIORITY_LOW,
                                NULL, NULL, NULL);

  return TRUE;
}

/* The guests */

static void join_more (Soak *soak);

static void
apply_message (Guest               *guest,
               const TertuliaFrame *frame)
{
  Soak *soak = guest->soak;
  guint sender;
  guint n;

  if (sscanf (frame->text, "soak %u %u", &sender, &n) != 2 || sender >= soak->n_guests)
    return;

  guest->received++;
  if (frame->peer.id == guest->id && frame->cid != NULL)
    guest->echoed++;

  if (n == guest->next[sender])
    guest->next[sender]++;
  else if (n < guest->next[sender])
    guest->repeated++;
  else
    {
      guest->lost += n - guest->next[sender];
      guest->next[sender] = n + 1;
    }
}

static void
guest_message_cb (SoupWebsocketConnection *conn,
                  SoupWebsocketDataType    type,
                  GBytes                  *bytes,
                  gpointer                 user_data)
{
  Guest *guest = user_data;
  Soak *soak = guest->soak;
  g_autoptr(TertuliaFrame) frame = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  frame = tertulia_protocol_parse_server_frame (data, length, &error);
  if (frame == NULL)
    {
      count_error (soak, "unparsable-frame");
      return;
    }

  switch (frame->type)
    {
    case TERTULIA_FRAME_WELCOME:
      guest->id = frame->you.id;
      guest->last_seq = frame->seq;
      guest->welcomed = TRUE;
      soak->n_welcomed++;
      soak->n_joining--;
      join_more (soak);
      break;

    case TERTULIA_FRAME_MESSAGE:
    case TERTULIA_FRAME_JOIN:
    case TERTULIA_FRAME_LEAVE:
    case TERTULIA_FRAME_RENAME:
    case TERTULIA_FRAME_TOPIC:
    case TERTULIA_FRAME_FILE:
    case TERTULIA_FRAME_FILE_REMOVED:
      if (frame->seq <= guest->last_seq)
        guest->seq_repeats++;
      else
        {
          guest->seq_gaps += (guint) (frame->seq - guest->last_seq - 1);
          guest->last_seq = frame->seq;
        }
      if (frame->type == TERTULIA_FRAME_MESSAGE)
        apply_message (guest, frame);
      break;

    case TERTULIA_FRAME_ERROR:
      count_error (soak, frame->code);
      break;

    case TERTULIA_FRAME_HELLO:
    case TERTULIA_FRAME_SAY:
    case TERTULIA_FRAME_NICK:
    case TERTULIA_FRAME_SET_TOPIC:
    case TERTULIA_FRAME_FETCH_HISTORY:
    case TERTULIA_FRAME_HISTORY:
    default:
      count_error (soak, "unexpected-frame");
      break;
    }
}

static void
guest_closed_cb (SoupWebsocketConnection *conn,
                 gpointer                 user_data)
{
  Guest *guest = user_data;

  guest->closed = TRUE;
  g_clear_handle_id (&guest->say_id, g_source_remove);
  if (!guest->welcomed)
    {
      guest->soak->n_failed++;
      guest->soak->n_joining--;
      join_more (guest->soak);
    }
  g_printerr ("soak: guest %u's connection closed (code %u, %s)\n", guest->index,
              soup_websocket_connection_get_close_code (conn),
              soup_websocket_connection_get_close_data (conn));
}

static void
send_frame (Guest               *guest,
            const TertuliaFrame *frame)
{
  g_autofree char *json = tertulia_protocol_serialize (frame);

  if (soup_websocket_connection_get_state (guest->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (guest->conn, json);
}

static gboolean
say_cb (gpointer user_data)
{
  Guest *guest = user_data;
  g_autoptr(TertuliaFrame) say = tertulia_frame_new (TERTULIA_FRAME_SAY);

  if (!guest->soak->sending)
    {
      guest->say_id = 0;
      return G_SOURCE_REMOVE;
    }

  guest->said++;
  say->kind = TERTULIA_MESSAGE_KIND_CHAT;
  say->cid = g_strdup_printf ("%u-%u", guest->index, guest->said);
  say->text = g_strdup_printf ("soak %u %u", guest->index, guest->said);
  send_frame (guest, say);

  return G_SOURCE_CONTINUE;
}

/* Starts the once-a-second timer at a random point of the second, so the
 * room gets a steady stream rather than a burst each second.
 */
static gboolean
first_say_cb (gpointer user_data)
{
  Guest *guest = user_data;

  guest->say_id = g_timeout_add (1000, say_cb, guest);
  say_cb (guest);

  return G_SOURCE_REMOVE;
}

static void
guest_connected_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Guest *guest = user_data;
  g_autoptr(TertuliaFrame) hello = tertulia_frame_new (TERTULIA_FRAME_HELLO);
  g_autoptr(GError) error = NULL;

  guest->conn = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &error);
  if (guest->conn == NULL)
    {
      g_printerr ("soak: guest %u could not connect: %s\n", guest->index, error->message);
      guest->closed = TRUE;
      guest->soak->n_failed++;
      guest->soak->n_joining--;
      join_more (guest->soak);
      return;
    }

  /* A welcome with 100 participants and history is well over 64 KiB. */
  soup_websocket_connection_set_max_incoming_payload_size (guest->conn, 64 * 1024 * 1024);
  soup_websocket_connection_set_keepalive_interval (guest->conn, 10);
  g_signal_connect (guest->conn, "message", G_CALLBACK (guest_message_cb), guest);
  g_signal_connect (guest->conn, "closed", G_CALLBACK (guest_closed_cb), guest);

  hello->version = TERTULIA_PROTOCOL_VERSION;
  hello->nick = g_strdup_printf ("soak-%03u", guest->index);
  hello->client_name = g_strdup ("tertulia-soak");
  send_frame (guest, hello);
}

static void
join_more (Soak *soak)
{
  static const char *protocols[] = { TERTULIA_SUBPROTOCOL, NULL };

  while (soak->n_joining < MAX_JOINING && soak->next_to_join < soak->n_guests)
    {
      Guest *guest = &soak->guests[soak->next_to_join++];
      g_autofree char *uri = g_strdup_printf ("ws://127.0.0.1:%u" TERTULIA_WEBSOCKET_PATH, soak->port);
      g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_GET, uri);

      soak->n_joining++;
      soup_session_websocket_connect_async (soak->session, message, NULL, (char **) protocols,
                                            G_PRIORITY_DEFAULT, NULL, guest_connected_cb, guest);
    }
}

/* Waiting */

static gboolean
timeout_cb (gpointer user_data)
{
  Soak *soak = user_data;

  soak->timed_out = TRUE;

  return G_SOURCE_REMOVE;
}

static gboolean
wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the loop until @done says so or @seconds pass; FALSE on timeout. */
static gboolean
run_until (Soak      *soak,
           gboolean (*done) (Soak *),
           guint      seconds)
{
  guint timeout_id = g_timeout_add_seconds (seconds, timeout_cb, soak);
  guint wake_id = g_timeout_add (100, wake_cb, NULL);

  soak->timed_out = FALSE;
  while (!done (soak) && !soak->timed_out)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (wake_id);
  if (!soak->timed_out)
    g_source_remove (timeout_id);

  return !soak->timed_out;
}

static gboolean
everyone_in (Soak *soak)
{
  return soak->n_welcomed + soak->n_failed == soak->n_guests;
}

static gboolean
never (Soak *soak)
{
  return FALSE;
}

/* Every guest still connected got everything every sender said. */
static gboolean
all_delivered (Soak *soak)
{
  for (guint i = 0; i < soak->n_guests; i++)
    {
      Guest *guest = &soak->guests[i];

      if (guest->closed)
        continue;
      for (guint s = 0; s < soak->n_guests; s++)
        if (guest->next[s] <= soak->guests[s].said)
          return FALSE;
    }

  return TRUE;
}

static void
print_errors (Soak *soak)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, soak->errors);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_print ("  error frames %-22s %u\n", (const char *) key, GPOINTER_TO_UINT (value));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) server_args = NULL;
  g_autofree char *server_program = NULL;
  gdouble minutes = 10;
  gint n_clients = 100;
  Soak soak = { 0 };
  gint64 rss_empty, rss_start, rss_peak, rss_end;
  gint64 started;
  guint64 said = 0, expected = 0, received = 0;
  guint lost = 0, repeated = 0, seq_gaps = 0, seq_repeats = 0, closed = 0, echo_missing = 0;
  gboolean drained;
  gboolean ok;
  GOptionEntry entries[] = {
    { "minutes", 'm', 0, G_OPTION_ARG_DOUBLE, &minutes, "How long the guests chat (default 10)", "N" },
    { "clients", 'c', 0, G_OPTION_ARG_INT, &n_clients, "How many guests (default 100)", "N" },
    { "server", 0, 0, G_OPTION_ARG_FILENAME, &server_program, "The tertulia-server to run (default: " TERTULIA_SERVER_PATH ")", "PATH" },
    { "server-arg", 0, 0, G_OPTION_ARG_STRING_ARRAY, &server_args, "One more option for tertulia-server (repeatable)", "ARG" },
    { NULL }
  };

  context = g_option_context_new ("— a long chat with many guests, checking for loss and leaks");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("soak: %s\n", error->message);
      return 2;
    }

  if (server_program == NULL)
    server_program = g_strdup (TERTULIA_SERVER_PATH);

  if (n_clients < 1 || minutes <= 0)
    {
      g_printerr ("soak: --clients and --minutes must be positive\n");
      return 2;
    }

  soak.errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  soak.n_guests = (guint) n_clients;
  soak.guests = g_new0 (Guest, soak.n_guests);
  for (guint i = 0; i < soak.n_guests; i++)
    {
      soak.guests[i].soak = &soak;
      soak.guests[i].index = i;
      soak.guests[i].next = g_new (guint, soak.n_guests);
      for (guint s = 0; s < soak.n_guests; s++)
        soak.guests[i].next[s] = 1;
    }

  soak.session = g_object_new (SOUP_TYPE_SESSION,
                               "max-conns", 4 * soak.n_guests,
                               "max-conns-per-host", 4 * soak.n_guests,
                               NULL);
  soup_session_remove_feature_by_type (soak.session, SOUP_TYPE_WEBSOCKET_EXTENSION_MANAGER);
  soup_session_set_proxy_resolver (soak.session, NULL);

  if (!spawn_server (&soak, server_program, server_args, &error))
    {
      g_printerr ("soak: the host did not start: %s\n", error->message);
      return 2;
    }

  rss_empty = rss_kib (soak.server_pid);
  g_print ("soak: host pid %d on port %u, RSS %" G_GINT64_FORMAT " KiB empty\n",
           (int) soak.server_pid, soak.port, rss_empty);

  started = g_get_monotonic_time ();
  join_more (&soak);
  if (!run_until (&soak, everyone_in, 120) || soak.n_welcomed != soak.n_guests)
    {
      g_printerr ("soak: only %u of %u guests got in\n", soak.n_welcomed, soak.n_guests);
      print_errors (&soak);
      g_subprocess_send_signal (soak.server, SIGTERM);
      return 1;
    }

  rss_start = rss_peak = rss_kib (soak.server_pid);
  g_print ("soak: %u guests in after %.1f s; host RSS at start %" G_GINT64_FORMAT " KiB\n",
           soak.n_guests, (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC, rss_start);

  soak.sending = TRUE;
  for (guint i = 0; i < soak.n_guests; i++)
    soak.guests[i].say_id = g_timeout_add ((guint) g_random_int_range (0, 1000),
                                           first_say_cb, &soak.guests[i]);

  started = g_get_monotonic_time ();
  for (guint minute = 1; minute <= (guint) (minutes + 0.999); minute++)
    {
      guint seconds = (guint) MIN (60.0, minutes * 60 - (minute - 1) * 60.0);
      gint64 rss;
      guint64 total_received = 0;

      run_until (&soak, never, seconds);
      rss = rss_kib (soak.server_pid);
      rss_peak = MAX (rss_peak, rss);
      for (guint i = 0; i < soak.n_guests; i++)
        total_received += soak.guests[i].received;
      g_print ("soak: %5.1f min, host RSS %" G_GINT64_FORMAT " KiB, %" G_GUINT64_FORMAT " deliveries\n",
               (g_get_monotonic_time () - started) / (60.0 * G_USEC_PER_SEC), rss, total_received);
    }

  soak.sending = FALSE;
  for (guint i = 0; i < soak.n_guests; i++)
    g_clear_handle_id (&soak.guests[i].say_id, g_source_remove);

  drained = run_until (&soak, all_delivered, 30);
  rss_end = rss_kib (soak.server_pid);

  for (guint i = 0; i < soak.n_guests; i++)
    {
      Guest *guest = &soak.guests[i];

      said += guest->said;
      received += guest->received;
      repeated += guest->repeated;
      seq_gaps += guest->seq_gaps;
      seq_repeats += guest->seq_repeats;
      echo_missing += guest->said - MIN (guest->echoed, guest->said);
      if (guest->closed)
        closed++;
      /* Whatever never came, by the end, is lost too. */
      for (guint s = 0; s < soak.n_guests; s++)
        lost += soak.guests[s].said + 1 - MIN (guest->next[s], soak.guests[s].said + 1);
      lost += guest->lost;
    }
  expected = said * soak.n_guests;

  ok = drained && lost == 0 && repeated == 0 && seq_gaps == 0 && seq_repeats == 0 &&
       closed == 0 && echo_missing == 0 && g_hash_table_size (soak.errors) == 0;

  g_print ("soak: %s after %.1f min with %u guests\n", ok ? "PASS" : "FAIL", minutes, soak.n_guests);
  g_print ("  messages said                %" G_GUINT64_FORMAT "\n", said);
  g_print ("  deliveries expected          %" G_GUINT64_FORMAT "\n", expected);
  g_print ("  deliveries received          %" G_GUINT64_FORMAT "\n", received);
  g_print ("  lost                         %u\n", lost);
  g_print ("  repeated                     %u\n", repeated);
  g_print ("  own echoes missing           %u\n", echo_missing);
  g_print ("  seq gaps / repeats           %u / %u\n", seq_gaps, seq_repeats);
  g_print ("  connections closed           %u\n", closed);
  print_errors (&soak);
  g_print ("  host RSS empty/start/peak/end %" G_GINT64_FORMAT " / %" G_GINT64_FORMAT " / %"
           G_GINT64_FORMAT " / %" G_GINT64_FORMAT " KiB (end - start: %+" G_GINT64_FORMAT " KiB)\n",
           rss_empty, rss_start, rss_peak, rss_end, rss_end - rss_start);

  for (guint i = 0; i < soak.n_guests; i++)
    {
      Guest *guest = &soak.guests[i];

      if (guest->conn != NULL)
        {
          g_signal_handlers_disconnect_by_data (guest->conn, guest);
          if (soup_websocket_connection_get_state (guest->conn) == SOUP_WEBSOCKET_STATE_OPEN)
            soup_websocket_connection_close (guest->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
          g_clear_object (&guest->conn);
        }
      g_free (guest->next);
    }
  g_free (soak.guests);

  g_subprocess_send_signal (soak.server, SIGTERM);
  g_subprocess_wait (soak.server, NULL, NULL);
  g_clear_object (&soak.server);
  g_clear_object (&soak.session);
  g_hash_table_unref (soak.errors);

  return ok ? 0 : 1;
}

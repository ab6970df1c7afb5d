/* test-faults.c — drops nobody announces, a frozen guest, a host that goes away
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-faults"

#include "config.h"

#include <signal.h>
#include <string.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "tertulia-client.h"
#include "tertulia-client-private.h"
#include "tertulia-server.h"
#include "tertulia-server-private.h"
#include "tertulia-test-relay.h"
#include "tertulia-test-utils.h"

#define N_SENDERS   4
#define N_LISTENERS 2
#define N_PEERS     (N_SENDERS + N_LISTENERS)
#define N_DROPS     100

/* Each sender says something every SAY_INTERVAL_MS (± half): a steady
 * stream that stays well inside any sane per-connection rate limit, also
 * right after a reconnect, when the outbox goes out at once.
 */
#define SAY_INTERVAL_MS 300

/* Between two cuts: DROP_MIN_MS to DROP_MAX_MS. */
#define DROP_MIN_MS 80
#define DROP_MAX_MS 300

/* Keepalive, shortened for the frozen-peer tests: a ping every
 * PING_SECONDS, and a peer silent for SILENCE_MSEC is taken for dead.
 */
#define PING_SECONDS 1
#define SILENCE_MSEC 2500
#define GRACE_MSEC   500

typedef struct
{
  TertuliaServer *server;
  guint           port;
} Fixture;

typedef struct _Peer Peer;

typedef struct
{
  Fixture *fixture;
  Peer    *peers[N_PEERS];

  GArray  *resume_usec;     /* gint64: from a cut to connected again */
  guint    n_drops;
  guint    n_cut_by_kind[4];
  guint    n_said;

  guint    drop_id;
  gboolean streaming;
} Faults;

struct _Peer
{
  Faults            *faults;
  guint              index;
  gboolean           sender;

  TertuliaTestRelay *relay;
  TertuliaClient    *client;
  char              *nick;
  gint64             participant_id;

  guint              say_id;
  guint              n_said;
  GPtrArray         *said;        /* of char*, every text this peer sent */

  /* A cut whose resume we wait for (monotonic µs), 0 when none. */
  gint64             cut_at;
  guint              n_drops;
};


#define WAIT_LONG_UNTIL(cond, seconds)                                       \
  G_STMT_START {                                                             \
    gint64 _deadline = g_get_monotonic_time () +                             \
                       (gint64) (seconds) * tertulia_test_slowness () * G_USEC_PER_SEC;    \
    guint _wake_id = g_timeout_add (20, tertulia_test_wake_cb, NULL);        \
    while (!(cond))                                                          \
      {                                                                      \
        if (g_get_monotonic_time () > _deadline)                             \
          g_error ("Timed out waiting for: %s", #cond);                      \
        g_main_context_iteration (NULL, TRUE);                               \
      }                                                                      \
    g_source_remove (_wake_id);                                              \
  } G_STMT_END

static void
start_server (Fixture *fixture,
              guint    port)
{
  g_autoptr(GError) error = NULL;

  fixture->server = tertulia_server_new ("Flaky Wi-Fi");
  tertulia_server_listen (fixture->server, "127.0.0.1", port, &error);
  g_assert_no_error (error);
  fixture->port = tertulia_server_get_port (fixture->server);
  g_assert_cmpuint (fixture->port, >, 0);
}

static void
stop_server (Fixture *fixture)
{
  if (fixture->server == NULL)
    return;

  tertulia_server_shutdown (fixture->server, NULL);
  g_assert_finalize_object (g_steal_pointer (&fixture->server));
}

static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  start_server (fixture, 0);
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  stop_server (fixture);
  /* Let closing connections finish, so nothing leaks into the next test. */
  tertulia_test_spin (100);
}

/* Helpers */

static void
connect_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  tertulia_client_connect_finish (TERTULIA_CLIENT (object), result, &error);
  g_assert_no_error (error);
  *done = TRUE;
}

static void
connect_and_wait (TertuliaClient *client)
{
  gboolean done = FALSE;

  tertulia_client_connect_async (client, NULL, connect_done_cb, &done);
  WAIT_UNTIL (done);
  g_assert_cmpint (tertulia_client_get_state (client), ==, TERTULIA_CONNECTION_CONNECTED);
}

static TertuliaRoom *
room_of (Peer *peer)
{
  return tertulia_client_get_room (peer->client);
}

static void
peer_state_cb (TertuliaClient *client,
               GParamSpec     *pspec,
               Peer           *peer)
{
  gint64 cut_time;

  if (tertulia_client_get_state (client) != TERTULIA_CONNECTION_CONNECTED ||
      peer->cut_at == 0)
    return;

  /* A MID_FRAME cut happens a little after it is asked for. */
  cut_time = MAX (peer->cut_at, tertulia_test_relay_get_last_cut_time (peer->relay));
  g_array_append_vals (peer->faults->resume_usec, (gint64[]) { g_get_monotonic_time () - cut_time }, 1);
  peer->cut_at = 0;
}

static Peer *
peer_new (Faults   *faults,
          guint     index,
          gboolean  sender)
{
  Peer *peer = g_new0 (Peer, 1);
  g_autofree char *address = NULL;

  peer->faults = faults;
  peer->index = index;
  peer->sender = sender;
  peer->said = g_ptr_array_new_with_free_func (g_free);
  peer->nick = g_strdup_printf ("%s-%u", sender ? "sender" : "listener", index);
  peer->relay = tertulia_test_relay_new (faults->fixture->port);
  address = g_strdup_printf ("127.0.0.1:%u", tertulia_test_relay_get_port (peer->relay));
  peer->client = tertulia_client_new (address, peer->nick);
  g_signal_connect (peer->client, "notify::state", G_CALLBACK (peer_state_cb), peer);

  connect_and_wait (peer->client);
  g_assert_cmpstr (tertulia_participant_get_nickname (tertulia_room_get_you (room_of (peer))), ==,
                   peer->nick);
  peer->participant_id = tertulia_participant_get_id (tertulia_room_get_you (room_of (peer)));

  return peer;
}

static void
peer_free (Peer *peer)
{
  g_clear_handle_id (&peer->say_id, g_source_remove);
  g_signal_handlers_disconnect_by_data (peer->client, peer);
  tertulia_client_disconnect (peer->client);
  g_assert_finalize_object (g_steal_pointer (&peer->client));
  g_clear_pointer (&peer->relay, tertulia_test_relay_free);
  g_clear_pointer (&peer->said, g_ptr_array_unref);
  g_free (peer->nick);
  g_free (peer);
}

static guint
jittered (guint msec)
{
  return (guint) g_random_int_range ((gint) msec / 2, (gint) (msec * 3 / 2) + 1);
}

static gboolean
say_cb (gpointer user_data)
{
  Peer *peer = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  TertuliaMessage *message;

  peer->say_id = 0;
  if (!peer->faults->streaming)
    return G_SOURCE_REMOVE;

  /* Whether connected or not: while away, it waits in the outbox. */
  text = g_strdup_printf ("%s says %u", peer->nick, ++peer->n_said);
  message = tertulia_client_send_message (peer->client, TERTULIA_MESSAGE_KIND_CHAT, text, &error);
  g_assert_no_error (error);
  g_assert_nonnull (message);
  g_ptr_array_add (peer->said, g_steal_pointer (&text));
  peer->faults->n_said++;

  peer->say_id = g_timeout_add (jittered (SAY_INTERVAL_MS), say_cb, peer);

  return G_SOURCE_REMOVE;
}

static gboolean
drop_cb (gpointer user_data)
{
  static const TertuliaTestRelayCut kinds[] = {
    TERTULIA_TEST_RELAY_CUT_FIN,
    TERTULIA_TEST_RELAY_CUT_RESET,
    TERTULIA_TEST_RELAY_CUT_MID_FRAME,
    TERTULIA_TEST_RELAY_CUT_LATE,
  };
  Faults *faults = user_data;
  Peer *candidates[N_PEERS];
  guint n_candidates = 0;

  faults->drop_id = 0;

  /* Only a connection that is up can drop: a peer still coming back is
   * left alone.
   */
  for (guint i = 0; i < N_PEERS; i++)
    {
      Peer *peer = faults->peers[i];

      if (peer->cut_at == 0 &&
          tertulia_client_get_state (peer->client) == TERTULIA_CONNECTION_CONNECTED &&
          tertulia_test_relay_get_n_links (peer->relay) == 1)
        candidates[n_candidates++] = peer;
    }

  if (n_candidates > 0)
    {
      Peer *peer = candidates[g_random_int_range (0, (gint) n_candidates)];
      guint kind = (guint) g_random_int_range (0, G_N_ELEMENTS (kinds));

      g_assert_cmpuint (tertulia_test_relay_cut (peer->relay, kinds[kind]), ==, 1);
      peer->cut_at = g_get_monotonic_time ();
      peer->n_drops++;
      faults->n_cut_by_kind[kind]++;
      faults->n_drops++;
    }

  if (faults->n_drops < N_DROPS)
    faults->drop_id = g_timeout_add ((guint) g_random_int_range (DROP_MIN_MS, DROP_MAX_MS + 1),
                                     drop_cb, faults);

  return G_SOURCE_REMOVE;
}

static gboolean
is_outage_notice (const char *text)
{
  return g_str_equal (text, "The connection to the room was lost.") ||
         g_str_equal (text, "You are back in the room.");
}

/* The room's log as everyone must see it: every event row, in order. Own
 * join notices may read differently ("You joined"), so only messages are
 * compared by text; every row's seq must still be increasing.
 */
static GPtrArray *
transcript (Peer *peer)
{
  GListModel *messages = tertulia_room_get_messages (room_of (peer));
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  gint64 last_seq = 0;

  for (guint i = 0; i < g_list_model_get_n_items (messages); i++)
    {
      g_autoptr(TertuliaMessage) message = g_list_model_get_item (messages, i);
      gint64 seq = tertulia_message_get_seq (message);

      if (seq == 0)
        {
          /* A local notice: the link dropping and coming back are said
           * in the log (each drop once); any other would say we missed
           * something, and nothing may be missed.
           */
          g_assert_cmpint (tertulia_message_get_kind (message), ==, TERTULIA_MESSAGE_KIND_NOTICE);
          if (is_outage_notice (tertulia_message_get_text (message)))
            continue;
          g_error ("%s has a local notice: %s", peer->nick, tertulia_message_get_text (message));
        }

      if (seq <= last_seq)
        g_error ("%s: seq %" G_GINT64_FORMAT " comes after %" G_GINT64_FORMAT,
                 peer->nick, seq, last_seq);
      last_seq = seq;

      if (tertulia_message_get_kind (message) == TERTULIA_MESSAGE_KIND_NOTICE)
        continue;

      g_assert_cmpint (tertulia_message_get_state (message), ==, TERTULIA_MESSAGE_STATE_DELIVERED);
      g_ptr_array_add (lines, g_strdup_printf ("%" G_GINT64_FORMAT " <%s> %s", seq,
                                               tertulia_message_get_author (message),
                                               tertulia_message_get_text (message)));
    }

  return lines;
}

static guint
count_delivered (Peer *peer)
{
  GListModel *messages = tertulia_room_get_messages (room_of (peer));
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (messages); i++)
    {
      g_autoptr(TertuliaMessage) message = g_list_model_get_item (messages, i);

      if (tertulia_message_get_kind (message) != TERTULIA_MESSAGE_KIND_NOTICE &&
          tertulia_message_get_state (message) == TERTULIA_MESSAGE_STATE_DELIVERED)
        n++;
    }

  return n;
}

static gboolean
has_delivered (Peer       *peer,
               const char *text)
{
  GListModel *messages = tertulia_room_get_messages (room_of (peer));

  for (guint i = g_list_model_get_n_items (messages); i > 0; i--)
    {
      g_autoptr(TertuliaMessage) message = g_list_model_get_item (messages, i - 1);

      if (tertulia_message_get_state (message) == TERTULIA_MESSAGE_STATE_DELIVERED &&
          g_strcmp0 (tertulia_message_get_text (message), text) == 0)
        return TRUE;
    }

  return FALSE;
}

static gboolean
all_settled (Faults *faults)
{
  gint64 last_seq = tertulia_room_get_last_seq (room_of (faults->peers[0]));

  for (guint i = 0; i < N_PEERS; i++)
    {
      Peer *peer = faults->peers[i];

      /* A MID_FRAME or LATE cut takes a moment: a peer still connected
       * may be about to drop.
       */
      if (peer->cut_at != 0 ||
          tertulia_client_get_state (peer->client) != TERTULIA_CONNECTION_CONNECTED ||
          count_delivered (peer) != faults->n_said ||
          tertulia_room_get_last_seq (room_of (peer)) != last_seq)
        return FALSE;
    }

  return TRUE;
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* Subprocesses */

#ifdef __linux__
/* A child must not outlive a test that failed (and aborted). */
static void
die_with_parent_cb (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}
#endif

static GSubprocess *
spawn (const char          *env_name,
       const char * const  *args,
       GSubprocessFlags     flags)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *path = g_getenv (env_name);
  GSubprocess *process;

  if (path == NULL || !g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    return NULL;

  g_ptr_array_add (argv, (gpointer) path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

#ifdef __linux__
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent_cb, NULL, NULL);
#endif

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  return process;
}

static void
kill_and_reap (GSubprocess *process)
{
  g_subprocess_send_signal (process, SIGCONT);
  g_subprocess_force_exit (process);
  tertulia_test_wait_subprocess (process);
}

/* tertulia-server on a free port of 127.0.0.1; its first line on stdout
 * ends in "port N." (see src/tools/tertulia-server.c).
 */
static GSubprocess *
spawn_server (guint *port)
{
  static const char * const args[] = {
    "--bind", "127.0.0.1", "--port", "0", "--no-announce", "--room-name", "Frozen", NULL
  };
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  GSubprocess *process;
  const char *number;

  process = spawn ("TERTULIA_SERVER", args, G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  if (process == NULL)
    return NULL;

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_suffix (line, "."));
  number = strrchr (line, ' ');
  g_assert_nonnull (number);
  *port = (guint) g_ascii_strtoull (number + 1, NULL, 10);
  g_assert_cmpuint (*port, >, 0);

  return process;
}

static gboolean
sees_nick (TertuliaClient *client,
           const char     *nick)
{
  return tertulia_room_find_participant_by_nick (tertulia_client_get_room (client), nick) != NULL;
}

/* Tests */

static void
test_drops (Fixture       *fixture,
            gconstpointer  data)
{
  Faults faults = { 0 };
  g_autoptr(GPtrArray) reference = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_partial = 0;
  gint64 start;

  faults.fixture = fixture;
  faults.resume_usec = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < N_PEERS; i++)
    faults.peers[i] = peer_new (&faults, i, i < N_SENDERS);
  for (guint i = 0; i < N_PEERS; i++)
    WAIT_UNTIL (tertulia_room_get_n_participants (room_of (faults.peers[i])) == N_PEERS);

  /* The stream, and the line failing under it again and again. */
  start = g_get_monotonic_time ();
  faults.streaming = TRUE;
  for (guint i = 0; i < N_SENDERS; i++)
    faults.peers[i]->say_id = g_timeout_add (jittered (SAY_INTERVAL_MS), say_cb, faults.peers[i]);
  faults.drop_id = g_timeout_add (DROP_MAX_MS, drop_cb, &faults);

  WAIT_LONG_UNTIL (faults.n_drops == N_DROPS, 60);
  faults.streaming = FALSE;
  for (guint i = 0; i < N_PEERS; i++)
    g_clear_handle_id (&faults.peers[i]->say_id, g_source_remove);

  /* Everybody back, every message everywhere. */
  WAIT_LONG_UNTIL (all_settled (&faults), 30);
  /* Nothing more is on its way: a duplicate would show up now. */
  tertulia_test_spin (300);
  g_assert_true (all_settled (&faults));

  g_test_message ("%u drops (%u FIN, %u RST, %u mid-frame, %u half-open) in %.1f s, %u messages",
                  faults.n_drops, faults.n_cut_by_kind[0], faults.n_cut_by_kind[1],
                  faults.n_cut_by_kind[2], faults.n_cut_by_kind[3],
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC, faults.n_said);

  /* Every room tells the same story. */
  reference = transcript (faults.peers[0]);
  g_assert_cmpuint (reference->len, ==, faults.n_said);
  for (guint i = 1; i < N_PEERS; i++)
    {
      g_autoptr(GPtrArray) lines = transcript (faults.peers[i]);

      g_assert_cmpuint (lines->len, ==, reference->len);
      for (guint j = 0; j < lines->len; j++)
        g_assert_cmpstr (g_ptr_array_index (lines, j), ==, g_ptr_array_index (reference, j));
    }

  /* And in it, every message sent, exactly once: nothing lost, nothing twice. */
  for (guint i = 0; i < reference->len; i++)
    {
      const char *line = g_ptr_array_index (reference, i);
      const char *text = strstr (line, "> ") + 2;

      g_assert_false (g_hash_table_contains (seen, text));
      g_hash_table_add (seen, (gpointer) text);
    }
  for (guint i = 0; i < N_SENDERS; i++)
    {
      Peer *peer = faults.peers[i];

      g_assert_cmpuint (peer->said->len, >, 0);
      for (guint j = 0; j < peer->said->len; j++)
        g_assert_true (g_hash_table_contains (seen, g_ptr_array_index (peer->said, j)));
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, faults.n_said);

  /* Each peer came back as itself, and nobody was seen to leave. */
  for (guint i = 0; i < N_PEERS; i++)
    {
      Peer *peer = faults.peers[i];
      TertuliaParticipant *me = tertulia_room_get_you (room_of (peer));

      g_assert_cmpint (tertulia_participant_get_id (me), ==, peer->participant_id);
      g_assert_cmpstr (tertulia_participant_get_nickname (me), ==, peer->nick);
      g_assert_cmpuint (tertulia_room_get_n_participants (room_of (peer)), ==, N_PEERS);
      n_partial += tertulia_test_relay_get_n_partial_cuts (peer->relay);
    }
  g_assert_cmpuint (tertulia_server_get_n_participants (fixture->server), ==, N_PEERS);

  /* Half a frame left behind must have happened, or the test did not test it. */
  g_test_message ("%u cuts left half a chunk behind", n_partial);
  g_assert_cmpuint (n_partial, >, 0);

  g_assert_cmpuint (faults.resume_usec->len, ==, N_DROPS);
  g_array_sort (faults.resume_usec, compare_int64);
  g_test_message ("drop-to-resume: median %.0f ms, 90th percentile %.0f ms, max %.0f ms",
                  g_array_index (faults.resume_usec, gint64, N_DROPS / 2) / 1000.0,
                  g_array_index (faults.resume_usec, gint64, N_DROPS * 9 / 10) / 1000.0,
                  g_array_index (faults.resume_usec, gint64, N_DROPS - 1) / 1000.0);

  for (guint i = 0; i < N_PEERS; i++)
    peer_free (faults.peers[i]);
  g_array_unref (faults.resume_usec);
}

/* The host goes away mid-stream: every guest says why and keeps trying,
 * then finds the room again when it is back on the same address.
 */
static void
test_host_shutdown (Fixture       *fixture,
                    gconstpointer  data)
{
  Faults faults = { 0 };
  guint port = fixture->port;

  faults.fixture = fixture;
  faults.resume_usec = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < N_PEERS; i++)
    faults.peers[i] = peer_new (&faults, i, i < N_SENDERS);

  faults.streaming = TRUE;
  for (guint i = 0; i < N_SENDERS; i++)
    faults.peers[i]->say_id = g_timeout_add (jittered (SAY_INTERVAL_MS / 3), say_cb, faults.peers[i]);
  tertulia_test_spin (500);

  stop_server (fixture);

  for (guint i = 0; i < N_PEERS; i++)
    {
      Peer *peer = faults.peers[i];

      WAIT_UNTIL (tertulia_client_get_state (peer->client) == TERTULIA_CONNECTION_RECONNECTING);
      g_assert_cmpstr (tertulia_client_get_state_reason (peer->client), ==,
                       "The host closed the room.");
    }

  /* They keep trying, with a countdown in between. */
  for (guint i = 0; i < N_PEERS; i++)
    WAIT_LONG_UNTIL (tertulia_client_get_retry_seconds (faults.peers[i]->client) >= 2, 10);
  faults.streaming = FALSE;
  for (guint i = 0; i < N_PEERS; i++)
    {
      g_clear_handle_id (&faults.peers[i]->say_id, g_source_remove);
      g_assert_cmpint (tertulia_client_get_state (faults.peers[i]->client), ==,
                       TERTULIA_CONNECTION_RECONNECTING);
      tertulia_client_retry (faults.peers[i]->client);
    }

  start_server (fixture, port);
  for (guint i = 0; i < N_PEERS; i++)
    WAIT_LONG_UNTIL (tertulia_client_get_state (faults.peers[i]->client) == TERTULIA_CONNECTION_CONNECTED &&
                     tertulia_room_get_n_participants (room_of (faults.peers[i])) == N_PEERS, 15);

  /* What was written while the host was away went out once it was back. */
  for (guint i = 0; i < N_SENDERS; i++)
    {
      Peer *peer = faults.peers[i];
      const char *last = g_ptr_array_index (peer->said, peer->said->len - 1);

      for (guint j = 0; j < N_PEERS; j++)
        WAIT_UNTIL (has_delivered (faults.peers[j], last));
    }

  for (guint i = 0; i < N_PEERS; i++)
    peer_free (faults.peers[i]);
  g_array_unref (faults.resume_usec);
}

/* A guest frozen in place (SIGSTOP: its TCP connection stays up, but it
 * answers nothing) is dropped by the host within the keepalive time, and
 * the others see it leave. A guest that is merely quiet is not.
 */
static void
test_frozen_guest (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GSubprocess) cli = NULL;
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", fixture->port);
  const char * const args[] = { "--nick", "frozen", address, NULL };
  TertuliaClient *watcher;
  gint64 stopped_at;
  gint64 elapsed_ms;

  _tertulia_server_set_keepalive (fixture->server, PING_SECONDS, SILENCE_MSEC);
  _tertulia_server_set_deadlines (fixture->server, 0, GRACE_MSEC);

  cli = spawn ("TERTULIA_CLI", args,
               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
               G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  if (cli == NULL)
    {
      g_test_skip ("TERTULIA_CLI does not name the tertulia-cli program");
      return;
    }

  watcher = tertulia_client_new (address, "watcher");
  connect_and_wait (watcher);
  WAIT_LONG_UNTIL (sees_nick (watcher, "frozen"), 10);

  /* Quiet, but alive: it answers the host's pings, so it stays. */
  tertulia_test_spin (SILENCE_MSEC + 1000);
  g_assert_true (sees_nick (watcher, "frozen"));

  g_subprocess_send_signal (cli, SIGSTOP);
  stopped_at = g_get_monotonic_time ();

  WAIT_LONG_UNTIL (!sees_nick (watcher, "frozen"), 15);
  elapsed_ms = (g_get_monotonic_time () - stopped_at) / 1000;
  g_test_message ("a frozen guest left the room %" G_GINT64_FORMAT " ms after SIGSTOP "
                  "(keepalive: ping every %d s, silence limit %d ms, grace %d ms)",
                  elapsed_ms, PING_SECONDS, SILENCE_MSEC, GRACE_MSEC);
  /* It last spoke at most a ping before it froze; the silence counts
   * against its grace.
   */
  g_assert_cmpint (elapsed_ms, >=, SILENCE_MSEC - PING_SECONDS * 1000);
  g_assert_cmpint (elapsed_ms, <=, (SILENCE_MSEC + GRACE_MSEC + 1500) * tertulia_test_slowness ());

  /* The others are unharmed. */
  g_assert_cmpint (tertulia_client_get_state (watcher), ==, TERTULIA_CONNECTION_CONNECTED);
  g_assert_cmpuint (tertulia_server_get_n_participants (fixture->server), ==, 1);

  kill_and_reap (cli);
  tertulia_client_disconnect (watcher);
  g_assert_finalize_object (watcher);
}

/* The other way round: the host freezes (a laptop lid closed on the host).
 * The guest notices within its silence limit, says the connection was
 * lost, and when the host wakes up it resumes its session.
 */
static void
test_frozen_host (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GSubprocess) server = NULL;
  g_autofree char *address = NULL;
  TertuliaClient *client;
  gint64 stopped_at;
  gint64 elapsed_ms;
  gint64 id;
  guint port = 0;

  server = spawn_server (&port);
  if (server == NULL)
    {
      g_test_skip ("TERTULIA_SERVER does not name the tertulia-server program");
      return;
    }

  address = g_strdup_printf ("127.0.0.1:%u", port);
  client = tertulia_client_new (address, "ana");
  _tertulia_client_set_keepalive (client, PING_SECONDS, SILENCE_MSEC);
  connect_and_wait (client);
  id = tertulia_participant_get_id (tertulia_room_get_you (tertulia_client_get_room (client)));

  /* A quiet host that answers pings is not taken for dead. */
  tertulia_test_spin (SILENCE_MSEC + 1000);
  g_assert_cmpint (tertulia_client_get_state (client), ==, TERTULIA_CONNECTION_CONNECTED);

  g_subprocess_send_signal (server, SIGSTOP);
  stopped_at = g_get_monotonic_time ();

  WAIT_LONG_UNTIL (tertulia_client_get_state (client) != TERTULIA_CONNECTION_CONNECTED, 15);
  elapsed_ms = (g_get_monotonic_time () - stopped_at) / 1000;
  g_test_message ("a frozen host was noticed %" G_GINT64_FORMAT " ms after SIGSTOP "
                  "(ping every %d s, silence limit %d ms)", elapsed_ms, PING_SECONDS, SILENCE_MSEC);
  g_assert_cmpint (tertulia_client_get_state (client), ==, TERTULIA_CONNECTION_RECONNECTING);
  g_assert_cmpstr (tertulia_client_get_state_reason (client), ==,
                   "The connection to the room was lost.");
  g_assert_cmpint (elapsed_ms, >=, SILENCE_MSEC - PING_SECONDS * 1000);
  g_assert_cmpint (elapsed_ms, <=, (SILENCE_MSEC + SILENCE_MSEC / 6 + 1000) * tertulia_test_slowness ());

  /* The host wakes: the guest is back as itself, not as a newcomer. */
  g_subprocess_send_signal (server, SIGCONT);
  WAIT_LONG_UNTIL (tertulia_client_get_state (client) == TERTULIA_CONNECTION_CONNECTED, 20);
  g_assert_cmpint (tertulia_participant_get_id (tertulia_room_get_you (tertulia_client_get_room (client))),
                   ==, id);

  tertulia_client_disconnect (client);
  g_assert_finalize_object (client);
  kill_and_reap (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/faults/drops", Fixture, NULL, setup, test_drops, teardown);
  g_test_add ("/faults/host-shutdown", Fixture, NULL, setup, test_host_shutdown, teardown);
  g_test_add ("/faults/frozen-guest", Fixture, NULL, setup, test_frozen_guest, teardown);
  g_test_add ("/faults/frozen-host", Fixture, NULL, setup, test_frozen_host, teardown);

  return g_test_run ();
}

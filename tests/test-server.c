/* test-server.c — TertuliaServer over real WebSocket connections on loopback
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>
#include <stdarg.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <string.h>

#include "tertulia-protocol.h"
#include "tertulia-server.h"
#include "tertulia-server-private.h"
#include "tertulia-test-utils.h"

/* Short deadlines keep the test fast; the real ones are 10 s and 30 s. */
#define TEST_HANDSHAKE_MSEC 1000
#define TEST_GRACE_MSEC     1000
#define LONG_GRACE_MSEC     60000

typedef struct
{
  guint history_size;
  guint grace_msec;
} Options;

static const Options default_options = { TERTULIA_DEFAULT_HISTORY, LONG_GRACE_MSEC };
static const Options short_history = { 5, LONG_GRACE_MSEC };
static const Options tiny_history = { 3, LONG_GRACE_MSEC };
static const Options short_grace = { TERTULIA_DEFAULT_HISTORY, TEST_GRACE_MSEC };
static const Options tiny_history_short_grace = { 3, TEST_GRACE_MSEC };

/* A bare WebSocket guest: what it received, parsed and as raw bytes. */
typedef struct
{
  SoupWebsocketConnection *conn;
  GPtrArray               *frames;     /* of TertuliaFrame* */
  GPtrArray               *raw;        /* of char*, the same messages as sent */
  guint                    cursor;     /* next frame client_next() returns */
  const char              *last_raw;   /* raw bytes of the frame client_next() returned */

  gboolean                 connecting;
  GError                  *connect_error;
  gboolean                 closed;
  gushort                  close_code;
  char                    *close_data;

  /* From the welcome */
  gint64                   id;
  char                    *nick;
  char                    *token;
  gint64                   last_seq;   /* the last event seq received */
  gboolean                 allow_replay;
} Client;

typedef struct
{
  TertuliaServer *server;
  SoupSession    *session;
  char           *url;
  GPtrArray      *clients;
  guint           n_participants_notifies;
  guint           topic_notifies;
} Fixture;


/* Clients */

static void
client_free (Client *client)
{
  if (client->conn != NULL)
    {
      g_signal_handlers_disconnect_by_data (client->conn, client);
      if (soup_websocket_connection_get_state (client->conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (client->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_clear_object (&client->conn);
    }
  g_ptr_array_unref (client->frames);
  g_ptr_array_unref (client->raw);
  g_clear_error (&client->connect_error);
  g_free (client->close_data);
  g_free (client->nick);
  g_free (client->token);
  g_free (client);
}

static void
client_message_cb (SoupWebsocketConnection *conn,
                   gint                     type,
                   GBytes                  *message,
                   gpointer                 user_data)
{
  Client *client = user_data;
  g_autoptr(GError) error = NULL;
  TertuliaFrame *frame;
  const char *data;
  gsize length;

  g_assert_cmpint (type, ==, SOUP_WEBSOCKET_DATA_TEXT);

  data = g_bytes_get_data (message, &length);
  frame = tertulia_protocol_parse_server_frame (data, length, &error);
  if (frame == NULL)
    g_error ("The server sent a frame that does not parse (%s): %.*s",
             error->message, (int) MIN (length, 500), data);

  if (frame->type == TERTULIA_FRAME_WELCOME)
    client->last_seq = frame->seq;
  else if (frame->seq > 0 && client->allow_replay && frame->seq <= client->last_seq)
    {
      /* A copy of an event this client had, on purpose */
    }
  else if (frame->seq > 0)
    {
      /* What a client relies on: every event after the last, one by one */
      g_assert_cmpint (frame->seq, ==, client->last_seq + 1);
      client->last_seq = frame->seq;
    }

  g_ptr_array_add (client->frames, frame);
  g_ptr_array_add (client->raw, g_strndup (data, length));
}

static void
client_closed_cb (SoupWebsocketConnection *conn,
                  gpointer                 user_data)
{
  Client *client = user_data;

  client->closed = TRUE;
  client->close_code = soup_websocket_connection_get_close_code (conn);
  client->close_data = g_strdup (soup_websocket_connection_get_close_data (conn));
}

static void
client_connected_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Client *client = user_data;

  client->connecting = FALSE;
  client->conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result,
                                                        &client->connect_error);
  if (client->conn == NULL)
    return;

  /* A welcome with a long history is bigger than libsoup's default limit */
  soup_websocket_connection_set_max_incoming_payload_size (client->conn, 0);
  g_signal_connect (client->conn, "message", G_CALLBACK (client_message_cb), client);
  g_signal_connect (client->conn, "closed", G_CALLBACK (client_closed_cb), client);
}

static Client *
client_start_connect_from (Fixture    *fixture,
                           const char *subprotocol,
                           const char *origin)
{
  const char *protocols[] = { subprotocol, NULL };
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", fixture->url);
  Client *client = g_new0 (Client, 1);

  client->frames = g_ptr_array_new_with_free_func ((GDestroyNotify) tertulia_frame_free);
  client->raw = g_ptr_array_new_with_free_func (g_free);
  client->connecting = TRUE;
  g_ptr_array_add (fixture->clients, client);

  soup_session_websocket_connect_async (fixture->session, msg, origin, (char **) protocols,
                                        G_PRIORITY_DEFAULT, NULL,
                                        client_connected_cb, client);
  WAIT_UNTIL (!client->connecting);

  return client;
}

static Client *
client_start_connect (Fixture    *fixture,
                      const char *subprotocol)
{
  return client_start_connect_from (fixture, subprotocol, NULL);
}

static Client *
client_connect (Fixture *fixture)
{
  Client *client = client_start_connect (fixture, TERTULIA_SUBPROTOCOL);

  g_assert_no_error (client->connect_error);
  g_assert_nonnull (client->conn);

  return client;
}

static void client_send (Client     *client,
                         const char *format,
                         ...) G_GNUC_PRINTF (2, 3);

static void
client_send (Client     *client,
             const char *format,
             ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  soup_websocket_connection_send_text (client->conn, text);
}

static TertuliaFrame *
client_next (Client *client)
{
  WAIT_UNTIL (client->cursor < client->frames->len);

  client->last_raw = g_ptr_array_index (client->raw, client->cursor);

  return g_ptr_array_index (client->frames, client->cursor++);
}

static TertuliaFrame *
client_expect (Client            *client,
               TertuliaFrameType  type)
{
  TertuliaFrame *frame = client_next (client);

  if (frame->type != type)
    g_error ("Expected frame type %d, got: %s", type, client->last_raw);

  return frame;
}

static TertuliaFrame *
client_expect_error (Client     *client,
                     const char *code,
                     const char *cid)
{
  TertuliaFrame *frame = client_expect (client, TERTULIA_FRAME_ERROR);

  g_assert_cmpstr (frame->code, ==, code);
  g_assert_cmpstr (frame->cid, ==, cid);
  g_assert_nonnull (frame->message);
  g_assert_cmpstr (frame->message, !=, "");

  return frame;
}

/* Nothing arrives for a while: what "others see nothing" means. */
static void
client_assert_quiet (Client *client,
                     guint   msec)
{
  tertulia_test_spin (msec);
  if (client->cursor < client->frames->len)
    g_error ("Expected nothing, got: %s", (char *) g_ptr_array_index (client->raw, client->cursor));
}

/* The welcome @client waits for; from then on it is who the welcome says. */
static TertuliaFrame *
client_expect_welcome (Client *client)
{
  TertuliaFrame *welcome = client_expect (client, TERTULIA_FRAME_WELCOME);

  g_free (client->nick);
  g_free (client->token);
  client->id = welcome->you.id;
  client->nick = g_strdup (welcome->you.nick);
  client->token = g_strdup (welcome->resume_token);

  return welcome;
}

static TertuliaFrame *
client_hello (Client     *client,
              const char *nick,
              const char *host_key)
{
  g_autoptr(GString) hello = g_string_new ("{\"type\":\"hello\",\"version\":1");

  if (nick != NULL)
    g_string_append_printf (hello, ",\"nick\":\"%s\"", nick);
  if (host_key != NULL)
    g_string_append_printf (hello, ",\"host_key\":\"%s\"", host_key);
  g_string_append (hello, ",\"client\":\"test-server\"}");

  soup_websocket_connection_send_text (client->conn, hello->str);

  return client_expect_welcome (client);
}

static Client *
client_join (Fixture    *fixture,
             const char *nick)
{
  Client *client = client_connect (fixture);

  client_hello (client, nick, NULL);

  return client;
}

static TertuliaFrame *
client_resume (Client *client,
               Client *dropped)
{
  client_send (client,
               "{\"type\":\"hello\",\"version\":1,\"nick\":\"%s\","
               "\"resume\":{\"token\":\"%s\",\"last_seq\":%" G_GINT64_FORMAT "}}",
               dropped->nick, dropped->token, dropped->last_seq);

  return client_expect_welcome (client);
}

static TertuliaFrame *
client_say (Client     *client,
            const char *cid,
            const char *text)
{
  TertuliaFrame *message;

  client_send (client, "{\"type\":\"say\",\"cid\":\"%s\",\"text\":\"%s\"}", cid, text);
  message = client_expect (client, TERTULIA_FRAME_MESSAGE);
  g_assert_cmpint (message->peer.id, ==, client->id);
  g_assert_cmpstr (message->cid, ==, cid);
  g_assert_cmpstr (message->text, ==, text);

  return message;
}

/* A drop without a goodbye, as when Wi-Fi goes away: the TCP connection
 * ends without a WebSocket close frame.
 */
static void
client_drop (Fixture *fixture,
             Client  *client)
{
  guint n_connections = _tertulia_server_get_n_connections (fixture->server);

  g_signal_handlers_disconnect_by_data (client->conn, client);
  g_io_stream_close (soup_websocket_connection_get_io_stream (client->conn), NULL, NULL);
  g_clear_object (&client->conn);

  WAIT_UNTIL (_tertulia_server_get_n_connections (fixture->server) == n_connections - 1);
}

static void
client_close (Client  *client,
              gushort  code)
{
  soup_websocket_connection_close (client->conn, code, NULL);
  WAIT_UNTIL (client->closed);
}


/* Fixture */

static void
notify_n_participants_cb (GObject    *object,
                          GParamSpec *pspec,
                          gpointer    user_data)
{
  Fixture *fixture = user_data;

  fixture->n_participants_notifies++;
}

static void
notify_topic_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  Fixture *fixture = user_data;

  fixture->topic_notifies++;
}

static SoupSession *
new_session (void)
{
  SoupSession *session = soup_session_new ();

  /* Loopback only, whatever proxy the environment names */
  soup_session_set_proxy_resolver (session, NULL);

  return session;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  const Options *options = data != NULL ? data : &default_options;
  g_autoptr(GError) error = NULL;

  fixture->server = tertulia_server_new_full ("Test room", options->history_size);
  _tertulia_server_set_deadlines (fixture->server, TEST_HANDSHAKE_MSEC, options->grace_msec);
  g_signal_connect (fixture->server, "notify::n-participants",
                    G_CALLBACK (notify_n_participants_cb), fixture);
  g_signal_connect (fixture->server, "notify::topic",
                    G_CALLBACK (notify_topic_cb), fixture);

  g_assert_true (tertulia_server_listen (fixture->server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tertulia_server_get_port (fixture->server), >, 0);

  fixture->url = g_strdup_printf ("ws://127.0.0.1:%u%s",
                                  tertulia_server_get_port (fixture->server),
                                  TERTULIA_WEBSOCKET_PATH);
  fixture->session = new_session ();
  fixture->clients = g_ptr_array_new_with_free_func ((GDestroyNotify) client_free);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  if (fixture->server != NULL)
    {
      tertulia_server_shutdown (fixture->server, NULL);
      for (guint i = 0; i < fixture->clients->len; i++)
        {
          Client *client = g_ptr_array_index (fixture->clients, i);

          if (client->conn != NULL)
            WAIT_UNTIL (client->closed);
        }
      g_assert_finalize_object (g_steal_pointer (&fixture->server));
    }

  g_clear_pointer (&fixture->clients, g_ptr_array_unref);
  g_clear_object (&fixture->session);
  g_clear_pointer (&fixture->url, g_free);

  /* Let the last closes finish */
  tertulia_test_spin (20);
}


/* Tests */

#define N_BROADCAST_CLIENTS  24
#define N_BROADCAST_MESSAGES 5

static void
test_broadcast (Fixture       *fixture,
                gconstpointer  data)
{
  Client *clients[N_BROADCAST_CLIENTS];
  gint64 welcome_seq[N_BROADCAST_CLIENTS];
  const guint n_messages = N_BROADCAST_CLIENTS * N_BROADCAST_MESSAGES;
  g_autoptr(GPtrArray) reference = g_ptr_array_new ();

  for (guint i = 0; i < N_BROADCAST_CLIENTS; i++)
    {
      g_autofree char *nick = g_strdup_printf ("user-%02u", i);

      clients[i] = client_join (fixture, nick);
      g_assert_cmpstr (clients[i]->nick, ==, nick);
      welcome_seq[i] = clients[i]->last_seq;
    }
  g_assert_cmpuint (tertulia_server_get_n_participants (fixture->server), ==, N_BROADCAST_CLIENTS);

  /* Interleaved: everyone's first message, then everyone's second… */
  for (guint round = 0; round < N_BROADCAST_MESSAGES; round++)
    for (guint i = 0; i < N_BROADCAST_CLIENTS; i++)
      client_send (clients[i],
                   "{\"type\":\"say\",\"cid\":\"c%02u-%u\",\"text\":\"message %u from %u\"}",
                   i, round, round, i);

  for (guint i = 0; i < N_BROADCAST_CLIENTS; i++)
    {
      Client *client = clients[i];
      guint n_joins = N_BROADCAST_CLIENTS - 1 - i;
      guint next_round[N_BROADCAST_CLIENTS] = { 0, };
      guint n_seen = 0;

      /* The later joins, then every message; client_message_cb checks
       * that seqs go up by one.
       */
      WAIT_UNTIL (client->frames->len == 1 + n_joins + n_messages);
      g_assert_cmpint (client->last_seq, ==, welcome_seq[i] + n_joins + n_messages);

      for (guint j = 1; j < client->frames->len; j++)
        {
          TertuliaFrame *frame = g_ptr_array_index (client->frames, j);
          const char *raw = g_ptr_array_index (client->raw, j);
          guint from = G_MAXUINT;
          g_autofree char *cid = NULL;
          g_autofree char *text = NULL;

          if (frame->type == TERTULIA_FRAME_JOIN)
            {
              g_assert_cmpuint (j, <=, n_joins);
              continue;
            }

          g_assert_cmpint (frame->type, ==, TERTULIA_FRAME_MESSAGE);
          for (guint k = 0; k < N_BROADCAST_CLIENTS; k++)
            if (clients[k]->id == frame->peer.id)
              from = k;
          g_assert_cmpuint (from, <, N_BROADCAST_CLIENTS);
          g_assert_cmpstr (frame->peer.nick, ==, clients[from]->nick);

          /* Each sender's messages in the order sent, with its cid */
          cid = g_strdup_printf ("c%02u-%u", from, next_round[from]);
          text = g_strdup_printf ("message %u from %u", next_round[from], from);
          g_assert_cmpstr (frame->cid, ==, cid);
          g_assert_cmpstr (frame->text, ==, text);
          next_round[from]++;

          /* Everyone gets the same bytes in the same order */
          if (i == 0)
            g_ptr_array_add (reference, (gpointer) raw);
          else
            g_assert_cmpstr (raw, ==, g_ptr_array_index (reference, n_seen));
          n_seen++;
        }

      g_assert_cmpuint (n_seen, ==, n_messages);
      for (guint k = 0; k < N_BROADCAST_CLIENTS; k++)
        g_assert_cmpuint (next_round[k], ==, N_BROADCAST_MESSAGES);
    }
}

static void
test_events (Fixture       *fixture,
             gconstpointer  data)
{
  Client *ana, *luis;
  TertuliaFrame *welcome, *frame;
  TertuliaPeer *peer;

  ana = client_join (fixture, "ana");
  g_assert_cmpuint (fixture->n_participants_notifies, ==, 1);

  luis = client_connect (fixture);
  welcome = client_hello (luis, "luis", NULL);
  g_assert_cmpuint (fixture->n_participants_notifies, ==, 2);
  g_assert_cmpuint (tertulia_server_get_n_participants (fixture->server), ==, 2);

  /* The newcomer's welcome: the room, everyone in joining order, and its
   * own join last in the history.
   */
  g_assert_cmpint (welcome->version, ==, 1);
  g_assert_cmpstr (welcome->room_name, ==, "Test room");
  g_assert_cmpstr (welcome->you.nick, ==, "luis");
  g_assert_false (welcome->you.host);
  g_assert_false (welcome->resumed);
  g_assert_false (welcome->gap);
  g_assert_cmpuint (strlen (welcome->resume_token), ==, 64);
  g_assert_cmpstr (welcome->resume_token, !=, ana->token);
  g_assert_cmpint (welcome->limits.history, ==, TERTULIA_DEFAULT_HISTORY);
  g_assert_cmpint (welcome->limits.frame_bytes, ==, TERTULIA_MAX_FRAME_BYTES);
  g_assert_cmpuint (welcome->participants->len, ==, 2);
  peer = g_ptr_array_index (welcome->participants, 0);
  g_assert_cmpint (peer->id, ==, ana->id);
  g_assert_cmpstr (peer->nick, ==, "ana");
  peer = g_ptr_array_index (welcome->participants, 1);
  g_assert_cmpint (peer->id, ==, luis->id);
  g_assert_cmpint (welcome->seq, ==, 2);
  g_assert_cmpuint (welcome->history->len, ==, 2);
  frame = g_ptr_array_index (welcome->history, 1);
  g_assert_cmpint (frame->type, ==, TERTULIA_FRAME_JOIN);
  g_assert_cmpint (frame->seq, ==, 2);
  g_assert_cmpint (frame->peer.id, ==, luis->id);
  g_assert_cmpint (ana->id, !=, luis->id);

  /* Ana hears of Luis, with the bytes Luis found in his history */
  frame = client_expect (ana, TERTULIA_FRAME_JOIN);
  g_assert_cmpint (frame->peer.id, ==, luis->id);
  g_assert_cmpstr (frame->peer.nick, ==, "luis");
  g_assert_nonnull (strstr (g_ptr_array_index (luis->raw, 0), ana->last_raw));

  /* Rename, seen by both */
  client_send (luis, "{\"type\":\"nick\",\"nick\":\"Luis María\"}");
  for (guint i = 0; i < 2; i++)
    {
      frame = client_expect (i == 0 ? ana : luis, TERTULIA_FRAME_RENAME);
      g_assert_cmpint (frame->peer.id, ==, luis->id);
      g_assert_cmpstr (frame->old_nick, ==, "luis");
      g_assert_cmpstr (frame->new_nick, ==, "Luis María");
    }

  /* Someone else's nickname, in another case, is taken */
  client_send (ana, "{\"type\":\"nick\",\"nick\":\"LUIS MARÍA\"}");
  client_expect_error (ana, TERTULIA_ERROR_NICK_TAKEN, NULL);

  /* The topic, with who set it */
  client_send (ana, "{\"type\":\"topic\",\"topic\":\"  Final: 22:00 \"}");
  for (guint i = 0; i < 2; i++)
    {
      frame = client_expect (i == 0 ? ana : luis, TERTULIA_FRAME_TOPIC);
      g_assert_cmpint (frame->peer.id, ==, ana->id);
      g_assert_cmpstr (frame->peer.nick, ==, "ana");
      g_assert_cmpstr (frame->topic, ==, "Final: 22:00");
    }
  g_assert_cmpstr (tertulia_server_get_topic (fixture->server), ==, "Final: 22:00");
  g_assert_cmpuint (fixture->topic_notifies, ==, 1);

  /* A late joiner finds the topic in the room */
  {
    Client *eva = client_connect (fixture);

    welcome = client_hello (eva, "eva", NULL);
    g_assert_cmpstr (welcome->topic, ==, "Final: 22:00");
    client_expect (ana, TERTULIA_FRAME_JOIN);
    client_expect (luis, TERTULIA_FRAME_JOIN);
    client_close (eva, SOUP_WEBSOCKET_CLOSE_NORMAL);
    frame = client_expect (ana, TERTULIA_FRAME_LEAVE);
    g_assert_cmpint (frame->peer.id, ==, eva->id);
    client_expect (luis, TERTULIA_FRAME_LEAVE);
  }

  /* A clean close leaves at once */
  client_close (luis, SOUP_WEBSOCKET_CLOSE_NORMAL);
  frame = client_expect (ana, TERTULIA_FRAME_LEAVE);
  g_assert_cmpint (frame->peer.id, ==, luis->id);
  g_assert_cmpstr (frame->peer.nick, ==, "Luis María");
  g_assert_cmpuint (tertulia_server_get_n_participants (fixture->server), ==, 1);
  g_assert_cmpuint (fixture->n_participants_notifies, ==, 5);

  client_assert_quiet (ana, 50);
}

static void
test_nicknames (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *long_nick = g_strnfill (TERTULIA_MAX_NICK_CHARS, 'x');
  g_autofree char *cut = g_strnfill (TERTULIA_MAX_NICK_CHARS - 2, 'x');
  g_autofree char *long_2 = g_strconcat (cut, "-2", NULL);
  g_autofree char *long_3 = g_strconcat (cut, "-3", NULL);
  Client *ana, *ana2, *guest, *guest2, *x1, *x2, *x3, *ana3, *accented, *decomposed;
  TertuliaFrame *frame;

  ana = client_join (fixture, "ana");
  ana2 = client_join (fixture, "ANA");
  guest = client_join (fixture, "");
  guest2 = client_join (fixture, NULL);
  ana3 = client_join (fixture, "Ana");
  g_assert_cmpstr (ana->nick, ==, "ana");
  g_assert_cmpstr (ana2->nick, ==, "ANA-2");
  g_assert_cmpstr (ana3->nick, ==, "Ana-3");
  g_assert_true (g_regex_match_simple ("^Guest-[0-9]{4}$", guest->nick, 0, 0));
  g_assert_true (g_regex_match_simple ("^Guest-[0-9]{4}$", guest2->nick, 0, 0));
  g_assert_cmpstr (guest->nick, !=, guest2->nick);

  /* Suffixes keep the nickname within the limit */
  x1 = client_join (fixture, long_nick);
  x2 = client_join (fixture, long_nick);
  x3 = client_join (fixture, long_nick);
  g_assert_cmpstr (x1->nick, ==, long_nick);
  g_assert_cmpstr (x2->nick, ==, long_2);
  g_assert_cmpstr (x3->nick, ==, long_3);
  g_assert_cmpuint (g_utf8_strlen (x3->nick, -1), ==, TERTULIA_MAX_NICK_CHARS);

  /* Case-insensitively means with Unicode case folding, after NFC */
  accented = client_join (fixture, "J\\u00dcRGEN");
  g_assert_cmpstr (accented->nick, ==, "JÜRGEN");
  decomposed = client_join (fixture, "ju\\u0308rgen");
  g_assert_cmpstr (decomposed->nick, ==, "jürgen-2");

  /* Nine joined after Ana */
  WAIT_UNTIL (ana->last_seq == 10);
  ana->cursor = ana->frames->len;

  /* Someone else's nickname is taken, in any case… */
  client_send (ana, "{\"type\":\"nick\",\"nick\":\"ana-2\"}");
  client_expect_error (ana, TERTULIA_ERROR_NICK_TAKEN, NULL);

  /* …but changing only the case of one's own is fine */
  client_send (ana, "{\"type\":\"nick\",\"nick\":\"Ana\"}");
  frame = client_expect (ana, TERTULIA_FRAME_RENAME);
  g_assert_cmpint (frame->peer.id, ==, ana->id);
  g_assert_cmpstr (frame->old_nick, ==, "ana");
  g_assert_cmpstr (frame->new_nick, ==, "Ana");
  client_send (ana2, "{\"type\":\"nick\",\"nick\":\"ana-2\"}");
  frame = client_expect (ana, TERTULIA_FRAME_RENAME);
  g_assert_cmpstr (frame->old_nick, ==, "ANA-2");
  g_assert_cmpstr (frame->new_nick, ==, "ana-2");

  /* …and asking for the nickname one has changes nothing */
  client_send (ana, "{\"type\":\"nick\",\"nick\":\"Ana\"}");
  client_say (ana, "n1", "still Ana");
}

/* Nicknames that only look like someone's (UTS #39 confusables) clash, and
 * invisible characters are refused.
 */
/* A class where everyone types the same nickname: each gets its own, and
 * a suffix freed by someone who left is given again first
 */
static void
test_nickname_crowd (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  /* The limit of connections per address, with room for two more */
  Client *crowd[TERTULIA_MAX_CONNECTIONS_PER_ADDRESS - 2];
  g_autofree char *next = NULL;
  Client *again;

  for (guint i = 0; i < G_N_ELEMENTS (crowd); i++)
    {
      g_autofree char *expected = i == 0 ? g_strdup ("Phone") : g_strdup_printf ("Phone-%u", i + 1);

      crowd[i] = client_join (fixture, "Phone");
      g_assert_cmpstr (crowd[i]->nick, ==, expected);
      g_assert_true (g_hash_table_add (seen, crowd[i]->nick));
    }

  client_close (crowd[1], SOUP_WEBSOCKET_CLOSE_NORMAL);
  again = client_join (fixture, "phone");
  g_assert_cmpstr (again->nick, ==, "phone-2");

  again = client_join (fixture, "Phone");
  g_assert_false (g_hash_table_contains (seen, again->nick));
  next = g_strdup_printf ("Phone-%u", (guint) G_N_ELEMENTS (crowd) + 1);
  g_assert_cmpstr (again->nick, ==, next);
}

static void
test_confusable_nicknames (Fixture       *fixture,
                           gconstpointer  data)
{
  static const char *invisible[] = {
    "carla\\u034f",        /* COMBINING GRAPHEME JOINER */
    "carla\\ufe0f",        /* VARIATION SELECTOR-16 */
    "carla\\u3164",        /* HANGUL FILLER */
    "carla\\u2800",        /* BRAILLE PATTERN BLANK */
    "\\u115fcarla",        /* HANGUL CHOSEONG FILLER */
  };
  static const struct {
    const char *original;
    const char *look_alike;
    const char *given;
  } confusables[] = {
    { "olga", "\\u0585lga", "\u0585lga-2" },                   /* Armenian oh */
    { "Abel", "\\u13aabel", "\u13aabel-2" },                   /* Cherokee A */
    { "adam", "\\u1d00dam", "\u1d00dam-2" },                   /* small capital A */
    { "Alice", "AIice", "AIice-2" },                            /* capital i */
    { "mario", "rnario", "rnario-2" },                          /* r n */
    { "oscar", "0SCAR", "0SCAR-2" },                            /* zero */
  };
  Client *carla, *guest;

  carla = client_join (fixture, "carla");
  g_assert_cmpstr (carla->nick, ==, "carla");

  guest = client_connect (fixture);
  for (guint i = 0; i < G_N_ELEMENTS (invisible); i++)
    {
      client_send (guest, "{\"type\":\"hello\",\"version\":1,\"nick\":\"%s\"}", invisible[i]);
      client_expect_error (guest, TERTULIA_ERROR_NICK_INVALID, NULL);
    }

  for (guint i = 0; i < G_N_ELEMENTS (confusables); i++)
    {
      Client *original = client_join (fixture, confusables[i].original);
      Client *look_alike = client_join (fixture, confusables[i].look_alike);

      g_assert_cmpstr (original->nick, ==, confusables[i].original);
      g_assert_cmpstr (look_alike->nick, ==, confusables[i].given);
    }

  /* Different names stay different, and a case change is still one's own */
  {
    Client *alicia = client_join (fixture, "Alicia");
    Client *ALICE = client_join (fixture, "ALICE");
    TertuliaFrame *frame;

    g_assert_cmpstr (alicia->nick, ==, "Alicia");
    /* "AIice-2" is there already */
    g_assert_cmpstr (ALICE->nick, ==, "ALICE-3");
    client_expect (alicia, TERTULIA_FRAME_JOIN);
    client_send (alicia, "{\"type\":\"nick\",\"nick\":\"ALICIA\"}");
    frame = client_expect (alicia, TERTULIA_FRAME_RENAME);
    g_assert_cmpstr (frame->new_nick, ==, "ALICIA");
    client_send (alicia, "{\"type\":\"nick\",\"nick\":\"rnari\\u043e\"}");
    client_expect_error (alicia, TERTULIA_ERROR_NICK_TAKEN, NULL);
  }

  /* The nickname of someone who left is free again, under every key. A
   * new guest: the first one's hello deadline may have passed by now
   * (under a sanitizer this test takes longer than it).
   */
  client_close (carla, SOUP_WEBSOCKET_CLOSE_NORMAL);
  guest = client_connect (fixture);
  client_send (guest, "{\"type\":\"hello\",\"version\":1,\"nick\":\"CARLA\"}");
  g_assert_cmpstr (client_expect_welcome (guest)->you.nick, ==, "CARLA");
}

static void
test_history (Fixture       *fixture,
              gconstpointer  data)
{
  Client *ana, *luis;
  TertuliaFrame *welcome, *frame;
  const char *raws[16];

  ana = client_join (fixture, "ana");
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *cid = g_strdup_printf ("h%u", i);
      g_autofree char *text = g_strdup_printf ("m%u", i);

      frame = client_say (ana, cid, text);
      g_assert_cmpint (frame->seq, ==, 2 + i);
      raws[frame->seq] = ana->last_raw;
    }

  /* history-size is 5: the last four messages and the new join */
  luis = client_connect (fixture);
  welcome = client_hello (luis, "luis", NULL);
  g_assert_cmpint (welcome->limits.history, ==, 5);
  g_assert_cmpint (welcome->seq, ==, 12);
  g_assert_cmpuint (welcome->history->len, ==, 5);
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *text = g_strdup_printf ("m%u", 6 + i);

      frame = g_ptr_array_index (welcome->history, i);
      g_assert_cmpint (frame->type, ==, TERTULIA_FRAME_MESSAGE);
      g_assert_cmpint (frame->seq, ==, 8 + i);
      g_assert_cmpstr (frame->text, ==, text);
      g_assert_cmpstr (frame->cid, !=, NULL);
      /* exactly the bytes that were broadcast */
      g_assert_nonnull (strstr (luis->last_raw, raws[frame->seq]));
    }
  frame = g_ptr_array_index (welcome->history, 4);
  g_assert_cmpint (frame->type, ==, TERTULIA_FRAME_JOIN);
  g_assert_cmpint (frame->seq, ==, 12);
  g_assert_cmpint (frame->peer.id, ==, luis->id);
}

static void
test_history_all (Fixture       *fixture,
                  gconstpointer  data)
{
  Client *ana, *luis;
  TertuliaFrame *welcome, *frame;

  ana = client_join (fixture, "ana");
  client_say (ana, "a", "uno");
  client_say (ana, "b", "dos");
  client_send (ana, "{\"type\":\"say\",\"kind\":\"action\",\"text\":\"waves\"}");
  frame = client_expect (ana, TERTULIA_FRAME_MESSAGE);
  g_assert_cmpint (frame->kind, ==, TERTULIA_MESSAGE_KIND_ACTION);
  g_assert_null (frame->cid);

  luis = client_connect (fixture);
  welcome = client_hello (luis, "luis", NULL);
  g_assert_cmpuint (welcome->history->len, ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      frame = g_ptr_array_index (welcome->history, i);
      g_assert_cmpint (frame->seq, ==, 1 + i);
    }
  g_assert_cmpint (((TertuliaFrame *) g_ptr_array_index (welcome->history, 0))->type, ==, TERTULIA_FRAME_JOIN);
  g_assert_cmpint (((TertuliaFrame *) g_ptr_array_index (welcome->history, 4))->type, ==, TERTULIA_FRAME_JOIN);
}

typedef struct
{
  const char *json;
  const char *code;
  const char *cid;
} Refusal;

static void
test_refusals (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *nick_33 = g_strnfill (TERTULIA_MAX_NICK_CHARS + 1, 'n');
  g_autofree char *text_4001 = g_strnfill (TERTULIA_MAX_TEXT_CHARS + 1, 't');
  g_autofree char *topic_201 = g_strnfill (TERTULIA_MAX_TOPIC_CHARS + 1, 'p');
  g_autofree char *cid_65 = g_strnfill (TERTULIA_MAX_CID_BYTES + 1, 'c');
  g_autofree char *say_4001 = g_strdup_printf ("{\"type\":\"say\",\"cid\":\"l1\",\"text\":\"%s\"}", text_4001);
  g_autofree char *nick_too_long = g_strdup_printf ("{\"type\":\"nick\",\"nick\":\"%s\"}", nick_33);
  g_autofree char *topic_too_long = g_strdup_printf ("{\"type\":\"topic\",\"topic\":\"%s\"}", topic_201);
  g_autofree char *bad_cid = g_strdup_printf ("{\"type\":\"say\",\"cid\":\"%s\",\"text\":\"x\"}", cid_65);
  g_autofree char *hello_too_long = g_strdup_printf ("{\"type\":\"hello\",\"version\":1,\"nick\":\"%s\"}", nick_33);
  g_autofree char *huge = NULL;
  const Refusal refusals[] = {
    { "{not json", TERTULIA_ERROR_MALFORMED_JSON, NULL },
    { "[\"type\",\"say\"]", TERTULIA_ERROR_MALFORMED_JSON, NULL },
    { "{\"type\":\"say\",\"cid\":\"d1\",\"text\":\"x\",\"a\":[[[[[[[[[1]]]]]]]]]}", TERTULIA_ERROR_MALFORMED_JSON, NULL },
    { "{\"type\":\"shout\",\"text\":\"x\"}", TERTULIA_ERROR_UNKNOWN_TYPE, NULL },
    { "{\"text\":\"x\"}", TERTULIA_ERROR_INVALID_FRAME, NULL },
    { "{\"type\":\"say\",\"cid\":\"m1\"}", TERTULIA_ERROR_INVALID_FRAME, "m1" },
    { "{\"type\":\"say\",\"cid\":\"w1\",\"text\":42}", TERTULIA_ERROR_INVALID_FRAME, "w1" },
    { "{\"type\":\"say\",\"cid\":\"k1\",\"kind\":\"shout\",\"text\":\"x\"}", TERTULIA_ERROR_INVALID_FRAME, "k1" },
    { bad_cid, TERTULIA_ERROR_INVALID_FRAME, NULL },
    { "{\"type\":\"say\",\"cid\":\"e1\",\"text\":\" \\n\\t \"}", TERTULIA_ERROR_TEXT_EMPTY, "e1" },
    { say_4001, TERTULIA_ERROR_TEXT_TOO_LONG, "l1" },
    { "{\"type\":\"say\",\"cid\":\"c1\",\"text\":\"a\\u0007b\"}", TERTULIA_ERROR_TEXT_INVALID, "c1" },
    { "{\"type\":\"hello\",\"version\":1,\"nick\":\"again\"}", TERTULIA_ERROR_ALREADY_JOINED, NULL },
    { "{\"type\":\"nick\",\"nick\":\"\\u202eevil\"}", TERTULIA_ERROR_NICK_INVALID, NULL },
    { "{\"type\":\"nick\",\"nick\":\"a\\u200bb\"}", TERTULIA_ERROR_NICK_INVALID, NULL },
    { nick_too_long, TERTULIA_ERROR_NICK_TOO_LONG, NULL },
    { "{\"type\":\"nick\",\"nick\":\"   \"}", TERTULIA_ERROR_NICK_INVALID, NULL },
    { "{\"type\":\"nick\"}", TERTULIA_ERROR_INVALID_FRAME, NULL },
    { topic_too_long, TERTULIA_ERROR_TOPIC_TOO_LONG, NULL },
    { "{\"type\":\"topic\",\"topic\":\"a\\u0001b\"}", TERTULIA_ERROR_TOPIC_INVALID, NULL },
  };
  const Refusal before_hello[] = {
    { "{\"type\":\"say\",\"cid\":\"p1\",\"text\":\"hi\"}", TERTULIA_ERROR_NOT_JOINED, "p1" },
    { "{\"type\":\"nick\",\"nick\":\"ana\"}", TERTULIA_ERROR_NOT_JOINED, NULL },
    { "{\"type\":\"hello\",\"version\":2,\"nick\":\"ana\"}", TERTULIA_ERROR_VERSION_UNSUPPORTED, NULL },
    { "{\"type\":\"hello\",\"nick\":\"ana\"}", TERTULIA_ERROR_INVALID_FRAME, NULL },
    { "{\"type\":\"hello\",\"version\":1,\"nick\":\"\\u202eana\"}", TERTULIA_ERROR_NICK_INVALID, NULL },
    { "{\"type\":\"hello\",\"version\":1,\"nick\":\"\\u200b\"}", TERTULIA_ERROR_NICK_INVALID, NULL },
    { "{\"type\":\"hello\",\"version\":1,\"nick\":\"   \"}", TERTULIA_ERROR_NICK_INVALID, NULL },
    { hello_too_long, TERTULIA_ERROR_NICK_TOO_LONG, NULL },
  };
  Client *ana, *luis;
  guint n = 0;

  ana = client_join (fixture, "ana");

  for (guint i = 0; i < G_N_ELEMENTS (refusals); i++)
    {
      g_autofree char *cid = g_strdup_printf ("ok-%u", n++);

      g_test_message ("refusal: %.60s", refusals[i].json);
      soup_websocket_connection_send_text (ana->conn, refusals[i].json);
      client_expect_error (ana, refusals[i].code, refusals[i].cid);
      /* The connection still works */
      client_say (ana, cid, "fine");
    }

  {
    g_autofree char *cid = g_strdup_printf ("ok-%u", n++);
    static const guint8 binary[] = { 0x7b, 0x7d, 0x00, 0xff };

    soup_websocket_connection_send_binary (ana->conn, binary, sizeof binary);
    client_expect_error (ana, TERTULIA_ERROR_BINARY_FRAME, NULL);
    client_say (ana, cid, "fine");
  }

  /* Before hello */
  luis = client_connect (fixture);
  for (guint i = 0; i < G_N_ELEMENTS (before_hello); i++)
    {
      g_test_message ("refusal before hello: %.60s", before_hello[i].json);
      soup_websocket_connection_send_text (luis->conn, before_hello[i].json);
      client_expect_error (luis, before_hello[i].code, before_hello[i].cid);
    }
  client_hello (luis, "luis", NULL);
  client_say (luis, "l1", "finally");
  g_assert_cmpuint (tertulia_server_get_n_participants (fixture->server), ==, 2);

  /* Nobody else heard any of it: Luis got only his own join and message */
  for (guint i = ana->cursor; i < ana->frames->len; i++)
    g_assert_cmpint (((TertuliaFrame *) g_ptr_array_index (ana->frames, i))->type, !=, TERTULIA_FRAME_ERROR);

  /* A message over the frame limit ends the connection with 1009 */
  huge = g_strnfill (70000, 'h');
  memcpy (huge, "{\"type\":\"say\",\"text\":\"", 22);
  memcpy (huge + 70000 - 2, "\"}", 2);
  soup_websocket_connection_send_text (ana->conn, huge);
  WAIT_UNTIL (ana->closed);
  g_assert_cmpuint (ana->close_code, ==, SOUP_WEBSOCKET_CLOSE_TOO_BIG);

  /* Far bigger, it is cut off before the host buffers it all: the close
   * frame may lose the race with the reset, so only the end is certain.
   */
  g_free (huge);
  huge = g_strnfill (64 * TERTULIA_MAX_FRAME_BYTES, 'h');
  soup_websocket_connection_send_text (luis->conn, huge);
  WAIT_UNTIL (luis->closed);
  g_assert_true (luis->close_code == SOUP_WEBSOCKET_CLOSE_TOO_BIG || luis->close_code == 0);
  WAIT_UNTIL (_tertulia_server_get_n_connections (fixture->server) == 0);
}

static void
test_handshake_timeout (Fixture       *fixture,
                        gconstpointer  data)
{
  gint64 start = g_get_monotonic_time ();
  Client *silent, *talker;

  silent = client_connect (fixture);
  talker = client_join (fixture, "talker");

  client_expect_error (silent, TERTULIA_ERROR_HANDSHAKE_TIMEOUT, NULL);
  WAIT_UNTIL (silent->closed);
  g_assert_cmpuint (silent->close_code, ==, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, (TEST_HANDSHAKE_MSEC - 100) * 1000);

  /* Whoever said hello in time stays */
  client_assert_quiet (talker, 200);
  g_assert_false (talker->closed);
  client_say (talker, "t1", "still here");
}

static void
test_host_key (Fixture       *fixture,
               gconstpointer  data)
{
  const char *host_key = tertulia_server_get_host_key (fixture->server);
  g_autofree char *property = NULL;
  g_autofree char *wrong = NULL;
  Client *host, *guest, *liar;
  TertuliaFrame *welcome;

  g_object_get (fixture->server, "host-key", &property, NULL);
  g_assert_cmpstr (property, ==, host_key);
  g_assert_cmpuint (strlen (host_key), ==, 64);
  g_assert_true (g_regex_match_simple ("^[0-9a-f]{64}$", host_key, 0, 0));

  wrong = g_strdup (host_key);
  wrong[0] = wrong[0] == 'a' ? 'b' : 'a';

  host = client_connect (fixture);
  welcome = client_hello (host, "luis", host_key);
  g_assert_true (welcome->you.host);

  guest = client_connect (fixture);
  welcome = client_hello (guest, "ana", NULL);
  g_assert_false (welcome->you.host);
  g_assert_true (((TertuliaPeer *) g_ptr_array_index (welcome->participants, 0))->host);
  g_assert_false (((TertuliaPeer *) g_ptr_array_index (welcome->participants, 1))->host);

  liar = client_connect (fixture);
  welcome = client_hello (liar, "eva", wrong);
  g_assert_false (welcome->you.host);

  /* A second server has another key */
  {
    g_autoptr(TertuliaServer) other = tertulia_server_new ("Other");

    g_assert_cmpstr (tertulia_server_get_host_key (other), !=, host_key);
  }
}

static void
test_resume (Fixture       *fixture,
             gconstpointer  data)
{
  Client *ana, *luis, *ana2, *ana3;
  TertuliaFrame *welcome, *frame, *first;
  g_autofree char *first_raw = NULL;
  const char *luis_raw[2];
  gint64 first_seq;

  ana = client_join (fixture, "ana");
  luis = client_join (fixture, "luis");
  client_expect (ana, TERTULIA_FRAME_JOIN);

  first = client_say (ana, "a1", "before the drop");
  first_seq = first->seq;
  first_raw = g_strdup (ana->last_raw);
  client_expect (luis, TERTULIA_FRAME_MESSAGE);

  client_drop (fixture, ana);

  /* What Ana misses */
  client_say (luis, "b1", "are you there?");
  luis_raw[0] = luis->last_raw;
  client_say (luis, "b2", "hello?");
  luis_raw[1] = luis->last_raw;

  ana2 = client_connect (fixture);
  welcome = client_resume (ana2, ana);
  g_assert_true (welcome->resumed);
  g_assert_false (welcome->gap);
  g_assert_cmpint (welcome->you.id, ==, ana->id);
  g_assert_cmpstr (welcome->you.nick, ==, "ana");
  g_assert_cmpint (welcome->seq, ==, first_seq + 2);
  g_assert_cmpuint (welcome->participants->len, ==, 2);
  g_assert_cmpuint (welcome->history->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      frame = g_ptr_array_index (welcome->history, i);
      g_assert_cmpint (frame->seq, ==, first_seq + 1 + i);
      g_assert_nonnull (strstr (ana2->last_raw, luis_raw[i]));
    }
  g_assert_cmpuint (tertulia_server_get_n_participants (fixture->server), ==, 2);
  g_assert_cmpuint (fixture->n_participants_notifies, ==, 2);

  /* Luis saw nobody leave or come */
  client_assert_quiet (luis, 100);

  /* A resend of a message the server took is not posted again: Ana gets
   * the original event, Luis nothing.
   */
  ana2->allow_replay = TRUE;
  client_send (ana2, "{\"type\":\"say\",\"cid\":\"a1\",\"text\":\"before the drop\"}");
  frame = client_next (ana2);
  g_assert_cmpstr (ana2->last_raw, ==, first_raw);
  g_assert_cmpint (frame->seq, ==, first_seq);
  ana2->allow_replay = FALSE;
  client_assert_quiet (luis, 100);

  frame = client_say (ana2, "a2", "after the drop");
  g_assert_cmpint (frame->seq, ==, first_seq + 3);
  frame = client_expect (luis, TERTULIA_FRAME_MESSAGE);
  g_assert_cmpstr (frame->cid, ==, "a2");

  /* Resuming while the old connection still looks alive: the new one wins,
   * the old one is closed, and still nobody hears of it.
   */
  ana3 = client_connect (fixture);
  welcome = client_resume (ana3, ana2);
  g_assert_true (welcome->resumed);
  g_assert_cmpint (welcome->you.id, ==, ana->id);
  g_assert_cmpuint (welcome->history->len, ==, 0);
  WAIT_UNTIL (ana2->closed);
  g_assert_cmpuint (ana2->close_code, ==, SOUP_WEBSOCKET_CLOSE_NORMAL);
  client_assert_quiet (luis, 100);
  client_say (ana3, "a3", "third connection");
  frame = client_expect (luis, TERTULIA_FRAME_MESSAGE);
  g_assert_cmpint (frame->peer.id, ==, ana->id);
  g_assert_cmpuint (tertulia_server_get_n_participants (fixture->server), ==, 2);
}

static void
test_resume_gap (Fixture       *fixture,
                 gconstpointer  data)
{
  Client *ana, *luis, *ana2;
  TertuliaFrame *welcome, *frame;

  ana = client_join (fixture, "ana");
  luis = client_join (fixture, "luis");
  client_expect (ana, TERTULIA_FRAME_JOIN);
  g_assert_cmpint (ana->last_seq, ==, 2);

  client_drop (fixture, ana);
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *cid = g_strdup_printf ("g%u", i);

      client_say (luis, cid, "missed");
    }

  /* Seqs 3–6 were posted; a ring of 3 holds 4–6, so 3 is lost */
  ana2 = client_connect (fixture);
  welcome = client_resume (ana2, ana);
  g_assert_true (welcome->resumed);
  g_assert_true (welcome->gap);
  g_assert_cmpuint (welcome->history->len, ==, 3);
  frame = g_ptr_array_index (welcome->history, 0);
  g_assert_cmpint (frame->seq, ==, 4);
  client_assert_quiet (luis, 50);

  /* A resent cid whose event has left the ring gets an echo with its
   * original seq; one whose event is still in the ring gets a copy of it.
   * Neither is posted again.
   */
  luis->allow_replay = TRUE;
  client_send (luis, "{\"type\":\"say\",\"cid\":\"g0\",\"text\":\"missed\"}");
  client_send (luis, "{\"type\":\"say\",\"cid\":\"g3\",\"text\":\"missed\"}");
  frame = client_expect (luis, TERTULIA_FRAME_MESSAGE);
  g_assert_cmpint (frame->seq, ==, 3);
  g_assert_cmpstr (frame->cid, ==, "g0");
  g_assert_cmpint (frame->peer.id, ==, luis->id);
  g_assert_cmpstr (frame->text, ==, "missed");
  frame = client_expect (luis, TERTULIA_FRAME_MESSAGE);
  g_assert_cmpint (frame->seq, ==, 6);
  g_assert_cmpstr (frame->cid, ==, "g3");
  client_assert_quiet (luis, 50);
  client_assert_quiet (ana2, 0);
  g_assert_cmpint (luis->last_seq, ==, 6);
}

/* A last_seq the room never reached cannot be answered with "nothing
 * new": the guest is told of a gap and gets the whole history.
 */
static void
test_resume_future (Fixture       *fixture,
                    gconstpointer  data)
{
  Client *ana, *luis, *ana2;
  TertuliaFrame *welcome;

  ana = client_join (fixture, "ana");
  luis = client_join (fixture, "luis");
  client_expect (ana, TERTULIA_FRAME_JOIN);
  client_say (luis, "f1", "one");
  client_drop (fixture, ana);

  ana->last_seq = 1000;
  ana2 = client_connect (fixture);
  welcome = client_resume (ana2, ana);
  g_assert_true (welcome->resumed);
  g_assert_true (welcome->gap);
  g_assert_cmpint (welcome->seq, ==, 3);
  g_assert_cmpuint (welcome->history->len, ==, 3);
  client_assert_quiet (luis, 50);
}

/* Issue 13, case 6: a message whose echo was lost, resent by a guest back
 * after its grace, when the message already left the history ring. It is
 * in the room once; the guest gets its echo with the original seq.
 */
static void
test_resume_cid_after_grace (Fixture       *fixture,
                             gconstpointer  data)
{
  Client *ana, *luis, *ana2;
  TertuliaFrame *welcome, *frame;
  gint64 posted_seq = 0;
  guint n_posted = 0;

  ana = client_join (fixture, "ana");
  luis = client_join (fixture, "luis");
  client_expect (ana, TERTULIA_FRAME_JOIN);

  /* Ana's message reaches the room, and her connection dies before she
   * reads the echo.
   */
  client_send (ana, "{\"type\":\"say\",\"cid\":\"lost-1\",\"text\":\"did it arrive?\"}");
  frame = client_expect (luis, TERTULIA_FRAME_MESSAGE);
  posted_seq = frame->seq;
  client_drop (fixture, ana);
  frame = client_expect (luis, TERTULIA_FRAME_LEAVE);
  g_assert_cmpint (frame->peer.id, ==, ana->id);

  /* The ring of 3 moves on past it */
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *cid = g_strdup_printf ("l%u", i);

      client_say (luis, cid, "moving on");
    }

  /* Ana comes back with her old token and the last seq she had */
  ana->last_seq = posted_seq - 1;
  ana2 = client_connect (fixture);
  welcome = client_resume (ana2, ana);
  g_assert_false (welcome->resumed);
  frame = client_expect (luis, TERTULIA_FRAME_JOIN);
  g_assert_cmpint (frame->peer.id, ==, ana2->id);

  /* Her outbox resends the message */
  ana2->allow_replay = TRUE;
  client_send (ana2, "{\"type\":\"say\",\"cid\":\"lost-1\",\"text\":\"did it arrive?\"}");
  frame = client_expect (ana2, TERTULIA_FRAME_MESSAGE);
  g_assert_cmpint (frame->seq, ==, posted_seq);
  g_assert_cmpstr (frame->cid, ==, "lost-1");
  g_assert_cmpint (frame->peer.id, ==, ana2->id);
  client_assert_quiet (ana2, 100);

  /* Luis has it exactly once: 0 lost, 0 duplicated */
  client_assert_quiet (luis, 100);
  for (guint i = 0; i < luis->frames->len; i++)
    {
      TertuliaFrame *seen = g_ptr_array_index (luis->frames, i);

      if (seen->type == TERTULIA_FRAME_MESSAGE && g_strcmp0 (seen->cid, "lost-1") == 0)
        n_posted++;
    }
  g_assert_cmpuint (n_posted, ==, 1);

  /* A new message after it is posted as usual */
  posted_seq = luis->last_seq;
  frame = client_say (ana2, "new-1", "back");
  g_assert_cmpint (frame->seq, ==, posted_seq + 1);
  client_expect (luis, TERTULIA_FRAME_MESSAGE);
}

static void
test_resume_expired (Fixture       *fixture,
                     gconstpointer  data)
{
  Client *ana, *luis, *ana2;
  TertuliaFrame *welcome, *frame;
  gint64 dropped_at;

  ana = client_join (fixture, "ana");
  luis = client_join (fixture, "luis");
  client_expect (ana, TERTULIA_FRAME_JOIN);

  /* A browser reloading the page closes with 1001 "going away": that is
   * not a goodbye, so it gets the grace period like a drop.
   */
  {
    Client *eva = client_join (fixture, "eva");

    client_expect (ana, TERTULIA_FRAME_JOIN);
    client_expect (luis, TERTULIA_FRAME_JOIN);
    client_close (eva, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
    client_assert_quiet (luis, TEST_GRACE_MSEC / 2);
    frame = client_expect (luis, TERTULIA_FRAME_LEAVE);
    g_assert_cmpint (frame->peer.id, ==, eva->id);
    client_expect (ana, TERTULIA_FRAME_LEAVE);
  }

  client_drop (fixture, ana);
  dropped_at = g_get_monotonic_time ();

  /* Within the grace period nothing is said… */
  client_assert_quiet (luis, TEST_GRACE_MSEC / 2);
  g_assert_cmpuint (tertulia_server_get_n_participants (fixture->server), ==, 2);

  /* …then Ana leaves */
  frame = client_expect (luis, TERTULIA_FRAME_LEAVE);
  g_assert_cmpint (frame->peer.id, ==, ana->id);
  g_assert_cmpint (g_get_monotonic_time () - dropped_at, >=, (TEST_GRACE_MSEC - 100) * 1000);
  g_assert_cmpuint (tertulia_server_get_n_participants (fixture->server), ==, 1);

  /* An expired token joins as someone new */
  ana2 = client_connect (fixture);
  welcome = client_resume (ana2, ana);
  g_assert_false (welcome->resumed);
  g_assert_false (welcome->gap);
  g_assert_cmpint (welcome->you.id, !=, ana->id);
  g_assert_cmpstr (welcome->you.nick, ==, "ana");
  g_assert_cmpstr (welcome->resume_token, !=, ana->token);
  g_assert_cmpint (welcome->history->len, ==, 6);
  frame = client_expect (luis, TERTULIA_FRAME_JOIN);
  g_assert_cmpint (frame->peer.id, ==, ana2->id);

  /* An unknown token too */
  {
    Client *eva = client_connect (fixture);

    client_send (eva, "{\"type\":\"hello\",\"version\":1,\"nick\":\"eva\","
                      "\"resume\":{\"token\":\"nonsense\",\"last_seq\":3}}");
    welcome = client_expect (eva, TERTULIA_FRAME_WELCOME);
    g_assert_false (welcome->resumed);
    g_assert_cmpuint (welcome->history->len, ==, 7);
  }
}

static void
test_shutdown (Fixture       *fixture,
               gconstpointer  data)
{
  Client *ana, *luis, *silent;
  g_autoptr(GError) error = NULL;

  ana = client_join (fixture, "ana");
  luis = client_join (fixture, "luis");
  silent = client_connect (fixture);
  fixture->n_participants_notifies = 0;

  tertulia_server_shutdown (fixture->server, "Bye for now");
  tertulia_server_shutdown (fixture->server, "Twice");
  g_assert_cmpuint (tertulia_server_get_n_participants (fixture->server), ==, 0);
  g_assert_cmpuint (fixture->n_participants_notifies, ==, 1);

  WAIT_UNTIL (ana->closed && luis->closed && silent->closed);
  g_assert_cmpuint (ana->close_code, ==, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
  g_assert_cmpstr (ana->close_data, ==, "Bye for now");
  g_assert_cmpuint (luis->close_code, ==, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
  g_assert_cmpuint (silent->close_code, ==, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
  g_assert_cmpstr (silent->close_data, ==, "Bye for now");

  /* Nobody can come in any more */
  {
    Client *late = client_start_connect (fixture, TERTULIA_SUBPROTOCOL);

    g_assert_nonnull (late->connect_error);
  }

  g_assert_false (tertulia_server_listen (fixture->server, "127.0.0.1", 0, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
}

static void
test_dispose (Fixture       *fixture,
              gconstpointer  data)
{
  Client *ana = client_join (fixture, "ana");

  /* Dropping the last reference closes the room */
  g_assert_finalize_object (g_steal_pointer (&fixture->server));
  WAIT_UNTIL (ana->closed);
  g_assert_cmpuint (ana->close_code, ==, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
  g_assert_cmpstr (ana->close_data, ==, "The host closed the room");
}

static void
http_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GBytes **body = user_data;
  g_autoptr(GError) error = NULL;

  *body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
}

static SoupMessage *
http_get (Fixture    *fixture,
          const char *path)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u%s",
                                          tertulia_server_get_port (fixture->server), path);
  SoupMessage *msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;

  soup_session_send_and_read_async (fixture->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    http_done_cb, &body);
  WAIT_UNTIL (body != NULL);

  return msg;
}

static void
test_http (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(SoupMessage) page = http_get (fixture, "/");
  g_autoptr(SoupMessage) missing = http_get (fixture, "/no-such-page");
  g_autofree char *own_origin = g_strdup_printf ("http://127.0.0.1:%u",
                                                 tertulia_server_get_port (fixture->server));
  SoupMessageHeaders *headers;
  Client *client;

  /* The browser guest page, with a strict Content-Security-Policy */
  headers = soup_message_get_response_headers (page);
  g_assert_cmpuint (soup_message_get_status (page), ==, SOUP_STATUS_OK);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (headers, NULL), "text/html"));
  g_assert_nonnull (strstr (soup_message_headers_get_one (headers, "Content-Security-Policy"),
                            "default-src 'none'"));

  g_assert_cmpuint (soup_message_get_status (missing), ==, SOUP_STATUS_NOT_FOUND);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (soup_message_get_response_headers (missing), NULL),
                                   "text/plain"));

  /* Another subprotocol is refused during the handshake */
  client = client_start_connect (fixture, "tertulia.2");
  g_assert_nonnull (client->connect_error);
  g_assert_null (client->conn);

  /* Another web site's page cannot open the WebSocket from a visitor's
   * browser; the host's own page can. */
  client = client_start_connect_from (fixture, TERTULIA_SUBPROTOCOL, "http://evil.example");
  g_assert_nonnull (client->connect_error);
  g_assert_null (client->conn);
  client = client_start_connect_from (fixture, TERTULIA_SUBPROTOCOL, own_origin);
  g_assert_no_error (client->connect_error);
  g_assert_nonnull (client->conn);

  /* Ours is accepted, without compression even though libsoup offers it */
  client = client_connect (fixture);
  g_assert_cmpstr (soup_websocket_connection_get_protocol (client->conn), ==, TERTULIA_SUBPROTOCOL);
  g_assert_null (soup_websocket_connection_get_extensions (client->conn));
}

/* The status line's code of a raw request to the host, with @host as the
 * Host header (libsoup would put the URI's), and an upgrade if @upgrade.
 */
static void
read_line_cb (GDataInputStream  *in,
              GAsyncResult      *result,
              char             **line)
{
  g_autoptr(GError) error = NULL;

  *line = g_data_input_stream_read_line_finish (in, result, NULL, &error);
  if (*line == NULL)
    *line = g_strdup (error != NULL ? error->message : "(the host closed the connection)");
}

static guint
raw_request_status (Fixture    *fixture,
                    const char *path,
                    const char *host,
                    gboolean    upgrade,
                    gboolean    origin)
{
  g_autoptr(GSocketClient) socket_client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) request = g_string_new (NULL);
  g_autoptr(GDataInputStream) in = NULL;
  g_autofree char *status_line = NULL;
  guint status = 0;

  connection = g_socket_client_connect_to_host (socket_client, "127.0.0.1",
                                                (guint16) tertulia_server_get_port (fixture->server),
                                                NULL, &error);
  g_assert_no_error (error);

  g_string_append_printf (request, "GET %s HTTP/1.1\r\nHost: %s\r\n", path, host);
  if (origin)
    g_string_append_printf (request, "Origin: http://%s\r\n", host);
  if (upgrade)
    g_string_append_printf (request,
                            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                            "Sec-WebSocket-Protocol: " TERTULIA_SUBPROTOCOL "\r\n");
  g_string_append (request, "\r\n");

  /* The host runs in this thread: write and read without blocking it */
  g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                   request->str, request->len, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (connection)));
  g_data_input_stream_read_line_async (in, G_PRIORITY_DEFAULT, NULL,
                                       (GAsyncReadyCallback) read_line_cb, &status_line);
  WAIT_UNTIL (status_line != NULL);
  if (sscanf (status_line, "HTTP/1.1 %u", &status) != 1)
    g_error ("Not a status line: %s", status_line);

  return status;
}

/* DNS rebinding: a page whose own name resolves to the host must not get
 * in, even with an Origin matching its Host.
 */
static void
test_host_names (Fixture       *fixture,
                 gconstpointer  data)
{
  guint port = tertulia_server_get_port (fixture->server);
  g_autofree char *evil = g_strdup_printf ("evil.example:%u", port);
  g_autofree char *ip = g_strdup_printf ("127.0.0.1:%u", port);
  g_autofree char *ip6 = g_strdup_printf ("[::1]:%u", port);
  g_autofree char *localhost = g_strdup_printf ("LocalHost.:%u", port);
  g_autofree char *own = g_strdup_printf ("%s:%u", g_get_host_name (), port);
  g_autofree char *own_local = g_strdup_printf ("%s.local:%u", g_get_host_name (), port);
  g_autofree char *given = g_strdup_printf ("sala.example:%u", port);

  g_assert_cmpuint (raw_request_status (fixture, "/ws", evil, TRUE, TRUE), ==, 421);
  g_assert_cmpuint (raw_request_status (fixture, "/", evil, FALSE, FALSE), ==, 421);
  g_assert_cmpuint (raw_request_status (fixture, "/", "evil.example", FALSE, FALSE), ==, 421);
  g_assert_cmpuint (raw_request_status (fixture, "/", given, FALSE, FALSE), ==, 421);
  g_assert_cmpuint (raw_request_status (fixture, "/", evil, FALSE, TRUE), ==, 421);

  /* The app and the terminal client send no Origin; no browser can */
  g_assert_cmpuint (raw_request_status (fixture, "/ws", evil, TRUE, FALSE), ==, 101);

  g_assert_cmpuint (raw_request_status (fixture, "/ws", ip, TRUE, TRUE), ==, 101);
  g_assert_cmpuint (raw_request_status (fixture, "/ws", ip6, TRUE, TRUE), ==, 101);
  g_assert_cmpuint (raw_request_status (fixture, "/ws", localhost, TRUE, TRUE), ==, 101);
  g_assert_cmpuint (raw_request_status (fixture, "/", ip, FALSE, FALSE), ==, 200);
  g_assert_cmpuint (raw_request_status (fixture, "/", own, FALSE, FALSE), ==, 200);
  g_assert_cmpuint (raw_request_status (fixture, "/", own_local, FALSE, FALSE), ==, 200);

  /* A name the host was given */
  _tertulia_server_add_host_name (fixture->server, "Sala.Example");
  g_assert_cmpuint (raw_request_status (fixture, "/", given, FALSE, FALSE), ==, 200);
  g_assert_cmpuint (raw_request_status (fixture, "/ws", given, TRUE, TRUE), ==, 101);
}

/* A guest on a raw socket with a tiny receive window: it says hello and
 * then reads only when the test wants.
 */
static GSocket *
sleeper_join (Fixture    *fixture,
              const char *nick)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, (guint16) tertulia_server_get_port (fixture->server));
  g_autofree char *upgrade = g_strdup_printf ("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                                              "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                              "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: tertulia.1\r\n\r\n");
  g_autofree char *hello = g_strdup_printf ("{\"type\":\"hello\",\"version\":1,\"nick\":\"%s\"}", nick);
  g_autoptr(GString) frame = g_string_new (NULL);
  g_autoptr(GString) answer = g_string_new (NULL);
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);

  g_assert_no_error (error);
  g_assert_true (g_socket_set_option (socket, SOL_SOCKET, SO_RCVBUF, 4096, &error));
  g_socket_set_blocking (socket, FALSE);
  g_socket_connect (socket, address, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PENDING))
    g_clear_error (&error);
  g_assert_no_error (error);
  WAIT_UNTIL (g_socket_condition_check (socket, G_IO_OUT) & G_IO_OUT);
  g_assert_cmpint (g_socket_send (socket, upgrade, strlen (upgrade), NULL, NULL), ==, (gssize) strlen (upgrade));

  /* The answer's headers, byte by byte so that nothing after them is read */
  while (!g_str_has_suffix (answer->str, "\r\n\r\n"))
    {
      char c;

      WAIT_UNTIL (g_socket_condition_check (socket, G_IO_IN) & G_IO_IN);
      g_assert_cmpint (g_socket_receive (socket, &c, 1, NULL, NULL), ==, 1);
      g_string_append_c (answer, c);
    }
  g_assert_true (g_str_has_prefix (answer->str, "HTTP/1.1 101"));

  /* Masked with a key of zeros, which leaves the payload as it is */
  g_assert_cmpuint (strlen (hello), <, 126);
  g_string_append_c (frame, (char) 0x81);
  g_string_append_c (frame, (char) (0x80 | strlen (hello)));
  g_string_append_len (frame, "\0\0\0\0", 4);
  g_string_append (frame, hello);
  g_assert_cmpint (g_socket_send (socket, frame->str, frame->len, NULL, NULL), ==, (gssize) frame->len);

  return socket;
}

/* The close code of the close frame in @in, or 0 if none is there yet */
static guint
find_close_code (GByteArray *in)
{
  gsize pos = 0;

  while (pos + 2 <= in->len)
    {
      guint8 opcode = in->data[pos] & 0x0f;
      guint64 length = in->data[pos + 1] & 0x7f;
      gsize header = 2;

      if (length == 126)
        {
          if (pos + 4 > in->len)
            break;
          length = ((guint64) in->data[pos + 2] << 8) | in->data[pos + 3];
          header = 4;
        }
      else if (length == 127)
        {
          if (pos + 10 > in->len)
            break;
          length = 0;
          for (guint i = 0; i < 8; i++)
            length = (length << 8) | in->data[pos + 2 + i];
          header = 10;
        }
      if (pos + header + length > in->len)
        break;
      if (opcode == 0x8 && length >= 2)
        return ((guint) in->data[pos + header] << 8) | in->data[pos + header + 1];
      pos += header + length;
    }

  return 0;
}

/* Reads what each of @sockets gets, as fast as it comes, until a close
 * frame (or the end); their close codes and bytes read go to @codes and
 * @n_read.
 */
static void
sleepers_read_to_close (GSocket **sockets,
                        guint     n_sockets,
                        guint    *codes,
                        gsize    *n_read)
{
  g_autoptr(GPtrArray) ins = g_ptr_array_new_with_free_func ((GDestroyNotify) g_byte_array_unref);
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  guint done = 0;
  gboolean *ended = g_new0 (gboolean, n_sockets);

  for (guint i = 0; i < n_sockets; i++)
    {
      g_ptr_array_add (ins, g_byte_array_new ());
      codes[i] = 0;
      g_socket_set_option (sockets[i], SOL_SOCKET, SO_RCVBUF, 1 << 20, NULL);
    }

  while (done < n_sockets && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);

      for (guint i = 0; i < n_sockets; i++)
        {
          GByteArray *in = g_ptr_array_index (ins, i);
          guint8 buffer[65536];
          gssize n;

          if (codes[i] != 0 || ended[i])
            continue;

          while ((n = g_socket_receive (sockets[i], (char *) buffer, sizeof buffer, NULL, NULL)) > 0)
            g_byte_array_append (in, buffer, (guint) n);
          ended[i] = n == 0;
          codes[i] = find_close_code (in);
          n_read[i] = in->len;
          if (codes[i] != 0 || ended[i])
            done++;
        }
    }

  g_free (ended);
}

static gsize
heap_bytes (void)
{
  struct mallinfo2 info = mallinfo2 ();

  return info.uordblks + info.hblkhd;
}

#define N_SLEEPERS      10
#define LONG_TEXT_CHARS 3999

/* Issue 14: with the history full of long messages, guests that say hello
 * and never read used to pin a copy of the megabytes of welcome each. The
 * welcome now goes in pieces as it is read: a guest that reads gets all of
 * it, exactly as broadcast, and then what the room said meanwhile; one
 * that does not holds little, and is let go when its time is up.
 */
static void
test_welcome_shared (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GPtrArray) raws = g_ptr_array_new_with_free_func (g_free);
  GSocket *sleepers[N_SLEEPERS];
  TertuliaFrame *welcome, *frame;
  Client *writer, *reader;
  gsize before, after, n_read[N_SLEEPERS];
  guint codes[N_SLEEPERS];
  gsize welcome_length;

  _tertulia_server_set_rate_limit (fixture->server, 0, 0);
  _tertulia_server_set_welcome_timeout (fixture->server, 1500);

  for (guint i = 0; i < LONG_TEXT_CHARS; i++)
    g_string_append (text, "\xc3\xb1");
  writer = client_join (fixture, "writer");
  for (guint i = 0; i < TERTULIA_DEFAULT_HISTORY; i++)
    {
      g_autofree char *cid = g_strdup_printf ("w%u", i);

      client_send (writer, "{\"type\":\"say\",\"cid\":\"%s\",\"text\":\"%s\"}", cid, text->str);
    }
  for (guint i = 0; i < TERTULIA_DEFAULT_HISTORY; i++)
    {
      client_expect (writer, TERTULIA_FRAME_MESSAGE);
      g_ptr_array_add (raws, g_strdup (writer->last_raw));
    }

  /* Guests that never read */
  before = heap_bytes ();
  for (guint i = 0; i < N_SLEEPERS; i++)
    {
      g_autofree char *nick = g_strdup_printf ("sleeper%u", i);

      sleepers[i] = sleeper_join (fixture, nick);
      client_expect (writer, TERTULIA_FRAME_JOIN);
    }
  tertulia_test_spin (300);
  after = heap_bytes ();
  g_test_message ("%u sleepers hold %" G_GSIZE_FORMAT " kB", N_SLEEPERS, (after - before) / 1024);
  /* Each welcome is about 4 MB; each sleeper may hold a window of it */
  g_assert_cmpuint (after - before, <, N_SLEEPERS * 768 * 1024);

  /* One that reads gets the whole welcome, and what was said after it */
  reader = client_connect (fixture);
  client_send (reader, "{\"type\":\"hello\",\"version\":1,\"nick\":\"reader\"}");
  client_expect (writer, TERTULIA_FRAME_JOIN);
  client_say (writer, "after", "said while the welcome goes out");
  welcome = client_expect_welcome (reader);
  welcome_length = strlen (reader->last_raw);
  /* The ring has the sleepers' joins too */
  g_assert_cmpuint (welcome_length, >, (TERTULIA_DEFAULT_HISTORY - 20) * LONG_TEXT_CHARS * 2);
  g_assert_cmpuint (welcome->history->len, ==, TERTULIA_DEFAULT_HISTORY);
  for (guint i = 0; i < welcome->history->len; i++)
    {
      frame = g_ptr_array_index (welcome->history, i);
      if (frame->type == TERTULIA_FRAME_MESSAGE && frame->cid != NULL && frame->cid[0] == 'w')
        g_assert_nonnull (strstr (reader->last_raw, g_ptr_array_index (raws, atoi (frame->cid + 1))));
    }
  frame = client_expect (reader, TERTULIA_FRAME_MESSAGE);
  g_assert_cmpstr (frame->cid, ==, "after");

  /* The sleepers' time is up: each is let go, with 1008 and no more than
   * a part of the welcome
   */
  tertulia_test_spin (1500);
  sleepers_read_to_close (sleepers, N_SLEEPERS, codes, n_read);
  for (guint i = 0; i < N_SLEEPERS; i++)
    {
      g_assert_cmpuint (codes[i], ==, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION);
      g_assert_cmpuint (n_read[i], <, welcome_length);
      g_object_unref (sleepers[i]);
    }
}

/* A welcome within the guest's queue bound goes whole, and must be read in
 * time too.
 */
static void
test_welcome_whole_timeout (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new (NULL);
  GSocket *sleepers[2];
  gsize n_read[2];
  guint codes[2];
  Client *writer;

  _tertulia_server_set_rate_limit (fixture->server, 0, 0);
  _tertulia_server_set_welcome_timeout (fixture->server, 1000);
  _tertulia_server_set_max_queued (fixture->server, 16 * 1024 * 1024);

  for (guint i = 0; i < LONG_TEXT_CHARS; i++)
    g_string_append (text, "\xc3\xb1");
  writer = client_join (fixture, "writer");
  for (guint i = 0; i < TERTULIA_DEFAULT_HISTORY; i++)
    client_send (writer, "{\"type\":\"say\",\"text\":\"%s\"}", text->str);
  for (guint i = 0; i < TERTULIA_DEFAULT_HISTORY; i++)
    client_expect (writer, TERTULIA_FRAME_MESSAGE);

  for (guint i = 0; i < G_N_ELEMENTS (sleepers); i++)
    {
      g_autofree char *nick = g_strdup_printf ("sleeper%u", i);

      sleepers[i] = sleeper_join (fixture, nick);
      client_expect (writer, TERTULIA_FRAME_JOIN);
    }

  tertulia_test_spin (1200);
  sleepers_read_to_close (sleepers, G_N_ELEMENTS (sleepers), codes, n_read);
  for (guint i = 0; i < G_N_ELEMENTS (sleepers); i++)
    {
      g_assert_cmpuint (codes[i], ==, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION);
      g_object_unref (sleepers[i]);
    }
}

/* ana joins @server, listening, at @host, and hears it shut down. */
static void
check_reachable (TertuliaServer *server,
                 const char     *host)
{
  Fixture fixture = { 0, };
  Client *client;

  fixture.server = server;
  fixture.session = new_session ();
  fixture.clients = g_ptr_array_new_with_free_func ((GDestroyNotify) client_free);
  fixture.url = g_strdup_printf ("ws://%s:%u%s", host, tertulia_server_get_port (server),
                                 TERTULIA_WEBSOCKET_PATH);

  client = client_join (&fixture, "ana");
  g_assert_cmpstr (client->nick, ==, "ana");

  tertulia_server_shutdown (server, NULL);
  WAIT_UNTIL (client->closed);
  g_ptr_array_unref (fixture.clients);
  g_object_unref (fixture.session);
  g_free (fixture.url);
}

static void
test_listen (void)
{
  g_autoptr(TertuliaServer) first = tertulia_server_new ("First");
  g_autoptr(TertuliaServer) second = tertulia_server_new ("Second");
  g_autoptr(TertuliaServer) any = tertulia_server_new ("Any");
  g_autoptr(GError) error = NULL;
  guint port = 0;

  g_assert_cmpuint (tertulia_server_get_port (first), ==, 0);
  g_assert_true (tertulia_server_listen (first, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  g_object_get (first, "port", &port, NULL);
  g_assert_cmpuint (port, >, 0);
  g_assert_cmpuint (port, ==, tertulia_server_get_port (first));

  /* Taken, on the same address and on every address */
  g_assert_false (tertulia_server_listen (second, "127.0.0.1", port, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);
  g_clear_error (&error);
  g_assert_false (tertulia_server_listen (second, NULL, port, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);
  g_clear_error (&error);
  g_assert_cmpuint (tertulia_server_get_port (second), ==, 0);

  g_assert_false (tertulia_server_listen (second, "localhost", 0, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_false (tertulia_server_listen (first, "127.0.0.1", 0, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);

  /* Every interface: reachable on loopback */
  g_assert_true (tertulia_server_listen (any, NULL, 0, &error));
  g_assert_no_error (error);
  check_reachable (any, "127.0.0.1");

  /* IPv6 loopback, where the machine has it */
  {
    g_autoptr(TertuliaServer) v6 = tertulia_server_new ("IPv6");

    if (!tertulia_server_listen (v6, "::1", 0, &error))
      {
        g_test_message ("No IPv6 loopback: %s", error->message);
        g_clear_error (&error);
        return;
      }

    check_reachable (v6, "[::1]");
  }
}

static void
test_properties (void)
{
  g_autoptr(TertuliaServer) server = tertulia_server_new_full ("  Sala  ", 42);
  g_autofree char *name = NULL;
  g_autofree char *topic = NULL;
  g_autofree char *long_name = g_strnfill (TERTULIA_MAX_ROOM_NAME_CHARS + 10, 'r');
  g_autoptr(TertuliaServer) long_server = tertulia_server_new (long_name);
  guint history = 0;
  guint n = 1;

  g_object_get (server,
                "room-name", &name,
                "topic", &topic,
                "history-size", &history,
                "n-participants", &n,
                NULL);
  g_assert_cmpstr (name, ==, "Sala");
  g_assert_cmpstr (topic, ==, "");
  g_assert_cmpuint (history, ==, 42);
  g_assert_cmpuint (tertulia_server_get_history_size (server), ==, 42);
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpuint (g_utf8_strlen (tertulia_server_get_room_name (long_server), -1), ==,
                    TERTULIA_MAX_ROOM_NAME_CHARS);
  g_assert_cmpuint (tertulia_server_get_history_size (long_server), ==, TERTULIA_DEFAULT_HISTORY);
}

#define ADD_TEST(path, options, func) \
  g_test_add (path, Fixture, options, fixture_setup, func, fixture_teardown)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ADD_TEST ("/server/broadcast", NULL, test_broadcast);
  ADD_TEST ("/server/events", NULL, test_events);
  ADD_TEST ("/server/nicknames", NULL, test_nicknames);
  ADD_TEST ("/server/history/ring", &short_history, test_history);
  ADD_TEST ("/server/history/all", NULL, test_history_all);
  ADD_TEST ("/server/refusals", NULL, test_refusals);
  ADD_TEST ("/server/handshake-timeout", NULL, test_handshake_timeout);
  ADD_TEST ("/server/host-key", NULL, test_host_key);
  ADD_TEST ("/server/resume/within-grace", NULL, test_resume);
  ADD_TEST ("/server/resume/gap", &tiny_history, test_resume_gap);
  ADD_TEST ("/server/resume/expired", &short_grace, test_resume_expired);
  ADD_TEST ("/server/resume/future-seq", NULL, test_resume_future);
  ADD_TEST ("/server/resume/cid-after-grace", &tiny_history_short_grace, test_resume_cid_after_grace);
  ADD_TEST ("/server/nicknames/confusable", NULL, test_confusable_nicknames);
  ADD_TEST ("/server/nicknames/crowd", NULL, test_nickname_crowd);
  ADD_TEST ("/server/shutdown", NULL, test_shutdown);
  ADD_TEST ("/server/dispose", NULL, test_dispose);
  ADD_TEST ("/server/http", NULL, test_http);
  ADD_TEST ("/server/http/host-names", NULL, test_host_names);
  ADD_TEST ("/server/welcome/shared", NULL, test_welcome_shared);
  ADD_TEST ("/server/welcome/whole-timeout", NULL, test_welcome_whole_timeout);
  g_test_add_func ("/server/listen", test_listen);
  g_test_add_func ("/server/properties", test_properties);

  return g_test_run ();
}

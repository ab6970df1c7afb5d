/* tertulia-server.c — the host: WebSocket endpoint, sessions, fan-out, history
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-server"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <stdio.h>
#include <string.h>

#include "tertulia-protocol.h"
#include "tertulia-server.h"
#include "tertulia-server-private.h"
#include "tertulia-web.h"

/* How the host keeps itself healthy; none of these is a protocol limit
 * (those are the TERTULIA_* macros in tertulia-protocol.h).
 */
#define KEEPALIVE_INTERVAL_SECONDS 15
/* The most libsoup buffers of one incoming WebSocket frame; see
 * server_websocket_cb for why it is not TERTULIA_MAX_FRAME_BYTES itself.
 */
#define MAX_BUFFERED_FRAME_BYTES   (16 * TERTULIA_MAX_FRAME_BYTES)
/* How many accepted cids each participant remembers for resends. A client
 * resends at most what was in flight when its connection dropped, so a
 * small, fixed window is enough and keeps a chatty guest from growing it.
 */
#define CID_MEMORY                 256
#define SECRET_BYTES               32
#define DEFAULT_ROOM_NAME          "Tertulia"
/* Close reasons and error sentences go on the wire in English (the error
 * code is what clients translate), so they are not marked for translation.
 */
#define DEFAULT_CLOSE_REASON       "The host closed the room"

typedef struct _Session     Session;
typedef struct _Participant Participant;

/* One serialized event, shared by the history ring, the cid memory's
 * replays and every send: it is serialized once, so every guest gets the
 * same bytes. Allocated with g_rc_box.
 */
typedef struct
{
  gint64 seq;
  char   json[];
} Event;

struct _Participant
{
  /* Borrowed */
  TertuliaServer *server;
  /* Borrowed: NULL while the participant is within its resume grace */
  Session        *session;

  gint64          id;
  char           *nick;
  char           *nick_key;
  gint64          joined_at;
  gboolean        host;
  char           *resume_token;

  guint           grace_id;

  /* cid → seq of the message it became, for the last CID_MEMORY cids */
  GHashTable     *cids;
  GQueue          cid_order;
};

struct _Session
{
  /* Borrowed; NULL once the server has shut down and let go of the session */
  TertuliaServer          *server;
  /* Borrowed; NULL until hello succeeds */
  Participant             *participant;

  /* Owned */
  SoupWebsocketConnection *conn;
  char                    *peer;

  guint                    handshake_id;
  gulong                   message_id;
  gulong                   error_id;
  gulong                   closed_id;
};

struct _TertuliaServer
{
  GObject      parent_instance;

  /* Owned references */
  SoupServer  *soup;
  char        *room_id;
  char        *room_name;
  char        *topic;
  char        *host_key;
  GPtrArray   *sessions;        /* of Session*, every open connection */
  GPtrArray   *participants;    /* of Participant*, present, joining order */
  GHashTable  *by_token;        /* resume token → Participant* */
  GHashTable  *by_nick_key;     /* tertulia_protocol_nick_key → Participant* */

  /* The history ring: the last history_size Event*, oldest at ring_start */
  GPtrArray   *ring;
  guint        ring_start;

  guint        history_size;
  guint        port;
  gint64       next_id;
  gint64       seq;

  guint        handshake_timeout_msec;
  guint        resume_grace_msec;

  gboolean     shut_down;
};

G_DEFINE_FINAL_TYPE (TertuliaServer, tertulia_server, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ROOM_NAME,
  PROP_TOPIC,
  PROP_HISTORY_SIZE,
  PROP_PORT,
  PROP_N_PARTICIPANTS,
  PROP_HOST_KEY,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];


/* Helpers */

static gint64
now_msec (void)
{
  return g_get_real_time () / 1000;
}

/* Secrets (host key, resume tokens) come from the kernel's CSPRNG: GRand
 * is a Mersenne Twister whose output can be predicted from enough samples.
 */
static char *
random_hex (gsize n_bytes)
{
  static const char hex[] = "0123456789abcdef";
  g_autofree guint8 *bytes = g_malloc (n_bytes);
  GString *out = g_string_sized_new (n_bytes * 2);
  gsize got = 0;
  FILE *urandom;

  if ((urandom = fopen ("/dev/urandom", "rb")) != NULL)
    {
      got = fread (bytes, 1, n_bytes, urandom);
      fclose (urandom);
    }

  if (got != n_bytes)
    {
      g_debug ("/dev/urandom is not readable; falling back to GRand");
      for (gsize i = 0; i < n_bytes; i++)
        bytes[i] = (guint8) g_random_int_range (0, 256);
    }

  for (gsize i = 0; i < n_bytes; i++)
    {
      g_string_append_c (out, hex[bytes[i] >> 4]);
      g_string_append_c (out, hex[bytes[i] & 0xf]);
    }

  return g_string_free (out, FALSE);
}

/* Compares secrets without leaking, through timing, how much of a guess was
 * right.
 */
static gboolean
secret_equal (const char *secret,
              const char *guess)
{
  gsize length;
  guint8 diff = 0;

  if (secret == NULL || guess == NULL)
    return FALSE;

  length = strlen (secret);
  if (strlen (guess) != length)
    return FALSE;

  for (gsize i = 0; i < length; i++)
    diff |= (guint8) (secret[i] ^ guess[i]);

  return diff == 0;
}

static Event *
event_new (gint64  seq,
           char   *json)
{
  gsize length = strlen (json);
  Event *event = g_rc_box_alloc (sizeof (Event) + length + 1);

  event->seq = seq;
  memcpy (event->json, json, length + 1);
  g_free (json);

  return event;
}

static void
event_unref (Event *event)
{
  g_rc_box_release (event);
}

static void
participant_free (Participant *participant)
{
  g_clear_handle_id (&participant->grace_id, g_source_remove);
  g_clear_pointer (&participant->nick, g_free);
  g_clear_pointer (&participant->nick_key, g_free);
  g_clear_pointer (&participant->resume_token, g_free);
  g_clear_pointer (&participant->cids, g_hash_table_unref);
  g_queue_clear (&participant->cid_order);
  g_free (participant);
}

/* Fills @peer (as the wire describes a participant) with copies. */
static void
participant_to_peer (const Participant *participant,
                     TertuliaPeer      *peer)
{
  tertulia_peer_clear (peer);
  peer->id = participant->id;
  peer->nick = g_strdup (participant->nick);
  peer->joined_at = participant->joined_at;
  peer->host = participant->host;
}

static void
participant_remember_cid (Participant *participant,
                          const char  *cid,
                          gint64       seq)
{
  char *key = g_strdup (cid);

  g_hash_table_insert (participant->cids, key, g_memdup2 (&seq, sizeof seq));
  g_queue_push_tail (&participant->cid_order, key);

  while (g_queue_get_length (&participant->cid_order) > CID_MEMORY)
    g_hash_table_remove (participant->cids, g_queue_pop_head (&participant->cid_order));
}


/* The history ring */

static Event *
ring_nth (TertuliaServer *self,
          guint           n)
{
  g_assert (n < self->ring->len);

  return g_ptr_array_index (self->ring, (self->ring_start + n) % self->ring->len);
}

/* The ring grows as events come (a big history-size costs nothing until
 * it fills); once full, the newest event takes the oldest one's slot.
 */
static void
ring_push (TertuliaServer *self,
           Event          *event)
{
  if (self->ring->len < self->history_size)
    {
      g_assert (self->ring_start == 0);
      g_ptr_array_add (self->ring, event);
    }
  else
    {
      event_unref (g_ptr_array_index (self->ring, self->ring_start));
      g_ptr_array_index (self->ring, self->ring_start) = event;
      self->ring_start = (self->ring_start + 1) % self->ring->len;
    }
}

/* Every event gets the next seq, so the ring holds consecutive seqs. */
static Event *
ring_lookup (TertuliaServer *self,
             gint64          seq)
{
  gint64 oldest;

  if (self->ring->len == 0)
    return NULL;

  oldest = ring_nth (self, 0)->seq;
  if (seq < oldest || seq > self->seq)
    return NULL;

  return ring_nth (self, (guint) (seq - oldest));
}


/* Sessions */

static gboolean
session_is_open (Session *session)
{
  return soup_websocket_connection_get_state (session->conn) == SOUP_WEBSOCKET_STATE_OPEN;
}

static void
session_send (Session    *session,
              const char *text)
{
  /* A connection that is closing is about to report "closed"; what it
   * misses, it gets back on resume.
   */
  if (session_is_open (session))
    soup_websocket_connection_send_text (session->conn, text);
}

static void
session_close (Session    *session,
               gushort     code,
               const char *reason)
{
  if (session_is_open (session))
    soup_websocket_connection_close (session->conn, code, reason);
}

static void
session_send_error (Session    *session,
                    const char *code,
                    const char *message,
                    const char *cid)
{
  g_autofree char *json = tertulia_protocol_serialize_error (code, message, cid);

  g_debug ("%s: refused with %s: %s", session->peer, code, message);
  session_send (session, json);
}

static void
session_send_gerror (Session      *session,
                     const GError *error,
                     const char   *cid)
{
  session_send_error (session, tertulia_protocol_error_code (error), error->message, cid);
}

/* Lets go of everything that ties @session to the server, but keeps the
 * connection until it reports "closed", so that a close frame queued on it
 * is still written after the server is gone.
 */
static void
session_detach (Session *session)
{
  g_clear_handle_id (&session->handshake_id, g_source_remove);
  g_clear_signal_handler (&session->message_id, session->conn);
  g_clear_signal_handler (&session->error_id, session->conn);
  session->server = NULL;
  session->participant = NULL;
}

static void
session_free (Session *session)
{
  session_detach (session);
  g_clear_signal_handler (&session->closed_id, session->conn);
  g_clear_object (&session->conn);
  g_clear_pointer (&session->peer, g_free);
  g_free (session);
}


/* Keeps @self alive and holds back notifications while it handles
 * something from the outside: a "notify" handler may shut the server down
 * or drop it, and must not do so while we are halfway through a frame.
 */
static void
server_enter (TertuliaServer *self)
{
  g_object_ref (self);
  g_object_freeze_notify (G_OBJECT (self));
}

static void
server_leave (TertuliaServer *self)
{
  g_object_thaw_notify (G_OBJECT (self));
  g_object_unref (self);
}


/* Events */

/* Gives @frame the next seq and the time, serializes it once, keeps it in
 * the history ring and sends it to every joined connection.
 */
static Event *
server_emit_event (TertuliaServer *self,
                   TertuliaFrame  *frame)
{
  Event *event;

  frame->seq = ++self->seq;
  frame->time = now_msec ();

  event = event_new (frame->seq, tertulia_protocol_serialize (frame));
  ring_push (self, event);

  for (guint i = 0; i < self->sessions->len; i++)
    {
      Session *session = g_ptr_array_index (self->sessions, i);

      if (session->participant != NULL)
        session_send (session, event->json);
    }

  return event;
}

static void
server_participant_leave (TertuliaServer *self,
                          Participant    *participant)
{
  g_autoptr(TertuliaFrame) frame = tertulia_frame_new (TERTULIA_FRAME_LEAVE);

  g_debug ("participant %" G_GINT64_FORMAT " (%s) left", participant->id, participant->nick);

  g_ptr_array_remove (self->participants, participant);
  g_hash_table_remove (self->by_token, participant->resume_token);
  g_hash_table_remove (self->by_nick_key, participant->nick_key);
  if (participant->session != NULL)
    participant->session->participant = NULL;

  frame->peer.id = participant->id;
  frame->peer.nick = g_strdup (participant->nick);
  server_emit_event (self, frame);

  participant_free (participant);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PARTICIPANTS]);
}

static gboolean
grace_over_cb (gpointer user_data)
{
  Participant *participant = user_data;
  TertuliaServer *self = participant->server;

  participant->grace_id = 0;
  g_debug ("participant %" G_GINT64_FORMAT " did not come back in time", participant->id);

  server_enter (self);
  server_participant_leave (self, participant);
  server_leave (self);

  return G_SOURCE_REMOVE;
}


/* Nicknames */

static gboolean
server_nick_is_free (TertuliaServer *self,
                     const char     *nick,
                     Participant    *except)
{
  g_autofree char *key = tertulia_protocol_nick_key (nick);
  Participant *owner = g_hash_table_lookup (self->by_nick_key, key);

  return owner == NULL || owner == except;
}

/* @nick when nobody has it, otherwise "@nick-2", "@nick-3"…, shortening
 * @nick so that the result stays within TERTULIA_MAX_NICK_CHARS.
 */
static char *
server_dup_unique_nick (TertuliaServer *self,
                        const char     *nick)
{
  glong n_chars;

  if (server_nick_is_free (self, nick, NULL))
    return g_strdup (nick);

  n_chars = g_utf8_strlen (nick, -1);

  for (guint n = 2; ; n++)
    {
      g_autofree char *suffix = g_strdup_printf ("-%u", n);
      glong keep = MIN (n_chars, TERTULIA_MAX_NICK_CHARS - (glong) strlen (suffix));
      g_autofree char *prefix = g_utf8_substring (nick, 0, MAX (keep, 1));
      g_autofree char *candidate = g_strconcat (prefix, suffix, NULL);

      if (server_nick_is_free (self, candidate, NULL))
        return g_steal_pointer (&candidate);
    }
}

static char *
server_dup_guest_nick (TertuliaServer *self)
{
  g_autofree char *nick = NULL;

  /* Random rather than counting up, so that names do not tell how many
   * people came and went; after a few clashes, suffixes settle it.
   */
  for (guint tries = 0; tries < 20; tries++)
    {
      g_free (nick);
      nick = g_strdup_printf ("Guest-%04d", g_random_int_range (1000, 10000));
      if (server_nick_is_free (self, nick, NULL))
        return g_steal_pointer (&nick);
    }

  return server_dup_unique_nick (self, nick);
}


/* Frames from a guest */

static void
server_send_welcome (TertuliaServer *self,
                     Session        *session,
                     gboolean        resumed,
                     gint64          last_seq)
{
  g_autoptr(TertuliaFrame) welcome = tertulia_frame_new (TERTULIA_FRAME_WELCOME);
  g_autoptr(GPtrArray) history = g_ptr_array_sized_new (self->ring->len);
  g_autofree char *json = NULL;
  Participant *participant = session->participant;

  for (guint i = 0; i < self->ring->len; i++)
    {
      Event *event = ring_nth (self, i);

      if (!resumed || event->seq > last_seq)
        g_ptr_array_add (history, event->json);
    }

  welcome->version = TERTULIA_PROTOCOL_VERSION;
  participant_to_peer (participant, &welcome->you);
  welcome->room_id = g_strdup (self->room_id);
  welcome->room_name = g_strdup (self->room_name);
  welcome->topic = g_strdup (self->topic);
  for (guint i = 0; i < self->participants->len; i++)
    {
      TertuliaPeer *peer = g_new0 (TertuliaPeer, 1);

      participant_to_peer (g_ptr_array_index (self->participants, i), peer);
      g_ptr_array_add (welcome->participants, peer);
    }
  welcome->seq = self->seq;
  welcome->resume_token = g_strdup (participant->resume_token);
  welcome->resumed = resumed;
  /* Events after last_seq exist, but the oldest of them already fell out of
   * the ring: the guest cannot get them back and must be told.
   */
  welcome->gap = resumed &&
                 last_seq < self->seq &&
                 self->ring->len > 0 &&
                 ring_nth (self, 0)->seq > last_seq + 1;
  welcome->limits.text = TERTULIA_MAX_TEXT_CHARS;
  welcome->limits.nick = TERTULIA_MAX_NICK_CHARS;
  welcome->limits.topic = TERTULIA_MAX_TOPIC_CHARS;
  welcome->limits.room_name = TERTULIA_MAX_ROOM_NAME_CHARS;
  welcome->limits.frame_bytes = TERTULIA_MAX_FRAME_BYTES;
  welcome->limits.history = self->history_size;

  json = tertulia_protocol_serialize_welcome (welcome,
                                              (const char * const *) history->pdata,
                                              history->len);
  session_send (session, json);
}

static void
server_handle_hello (TertuliaServer *self,
                     Session        *session,
                     TertuliaFrame  *frame)
{
  Participant *participant = NULL;
  gboolean resumed = FALSE;

  if (session->participant != NULL)
    {
      session_send_error (session, TERTULIA_ERROR_ALREADY_JOINED,
                          "You have already joined this room.", NULL);
      return;
    }

  /* The parser checks this too; the server does not rely on it. */
  if (frame->version != TERTULIA_PROTOCOL_VERSION)
    {
      session_send_error (session, TERTULIA_ERROR_VERSION_UNSUPPORTED,
                          "This room speaks version " G_STRINGIFY (TERTULIA_PROTOCOL_VERSION) " of the protocol.", NULL);
      return;
    }

  if (frame->has_resume && frame->resume_token != NULL)
    participant = g_hash_table_lookup (self->by_token, frame->resume_token);

  g_clear_handle_id (&session->handshake_id, g_source_remove);

  if (participant != NULL)
    {
      resumed = TRUE;
      g_clear_handle_id (&participant->grace_id, g_source_remove);

      /* The guest came back before we noticed that its old connection was
       * dead (a half-open TCP connection): the new one wins.
       */
      if (participant->session != NULL)
        {
          Session *old = participant->session;

          g_debug ("%s: participant %" G_GINT64_FORMAT " resumed elsewhere", old->peer, participant->id);
          old->participant = NULL;
          session_close (old, SOUP_WEBSOCKET_CLOSE_NORMAL, "Resumed on another connection");
        }

      participant->session = session;
      session->participant = participant;

      g_debug ("%s: participant %" G_GINT64_FORMAT " (%s) resumed after seq %" G_GINT64_FORMAT,
               session->peer, participant->id, participant->nick, frame->last_seq);
    }
  else
    {
      g_autoptr(TertuliaFrame) join = tertulia_frame_new (TERTULIA_FRAME_JOIN);

      participant = g_new0 (Participant, 1);
      participant->server = self;
      participant->id = self->next_id++;
      if (frame->nick == NULL || frame->nick[0] == '\0')
        participant->nick = server_dup_guest_nick (self);
      else
        participant->nick = server_dup_unique_nick (self, frame->nick);
      participant->nick_key = tertulia_protocol_nick_key (participant->nick);
      participant->joined_at = now_msec ();
      participant->host = secret_equal (self->host_key, frame->host_key);
      do
        {
          g_free (participant->resume_token);
          participant->resume_token = random_hex (SECRET_BYTES);
        }
      while (g_hash_table_contains (self->by_token, participant->resume_token));
      participant->cids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_queue_init (&participant->cid_order);

      g_ptr_array_add (self->participants, participant);
      g_hash_table_insert (self->by_token, participant->resume_token, participant);
      g_hash_table_insert (self->by_nick_key, participant->nick_key, participant);

      g_debug ("%s: participant %" G_GINT64_FORMAT " (%s%s) joined with %s",
               session->peer, participant->id, participant->nick,
               participant->host ? ", host" : "",
               frame->client_name != NULL ? frame->client_name : "an unnamed client");

      /* Everyone else hears of the newcomer first; the newcomer finds its
       * own join at the end of the welcome's history.
       */
      participant_to_peer (participant, &join->peer);
      server_emit_event (self, join);

      participant->session = session;
      session->participant = participant;

      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PARTICIPANTS]);
    }

  server_send_welcome (self, session, resumed, frame->last_seq);
}

static void
server_handle_say (TertuliaServer *self,
                   Session        *session,
                   TertuliaFrame  *frame)
{
  g_autoptr(TertuliaFrame) message = NULL;
  Participant *participant = session->participant;
  Event *event;

  if (frame->cid != NULL)
    {
      const gint64 *seq = g_hash_table_lookup (participant->cids, frame->cid);

      if (seq != NULL)
        {
          /* A resend of a message we already took (from an outbox after a
           * drop). It is not posted again; the sender gets the original
           * event so it can mark the message delivered. If the event has
           * left the ring, the sender had it before — every accepted
           * message is broadcast to its sender, and a resumed sender gets
           * everything after its last_seq or a gap — so nothing more is
           * sent.
           */
          event = ring_lookup (self, *seq);
          g_debug ("%s: cid %s already posted as seq %" G_GINT64_FORMAT,
                   session->peer, frame->cid, *seq);
          if (event != NULL)
            session_send (session, event->json);
          return;
        }
    }

  message = tertulia_frame_new (TERTULIA_FRAME_MESSAGE);
  message->peer.id = participant->id;
  message->peer.nick = g_strdup (participant->nick);
  message->kind = frame->kind;
  message->text = g_strdup (frame->text);
  message->cid = g_strdup (frame->cid);

  event = server_emit_event (self, message);

  if (frame->cid != NULL)
    participant_remember_cid (participant, frame->cid, event->seq);
}

static void
server_handle_nick (TertuliaServer *self,
                    Session        *session,
                    TertuliaFrame  *frame)
{
  g_autoptr(TertuliaFrame) rename = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *nick = NULL;
  Participant *participant = session->participant;

  /* The parser should not let an empty nick through; if it does, the
   * normalizer says why it is refused.
   */
  if ((nick = tertulia_protocol_normalize_nick (frame->nick != NULL ? frame->nick : "", &error)) == NULL)
    {
      session_send_gerror (session, error, NULL);
      return;
    }

  if (strcmp (nick, participant->nick) == 0)
    return;

  if (!server_nick_is_free (self, nick, participant))
    {
      session_send_error (session, TERTULIA_ERROR_NICK_TAKEN,
                          "Someone in the room already has that nickname.", NULL);
      return;
    }

  rename = tertulia_frame_new (TERTULIA_FRAME_RENAME);
  rename->peer.id = participant->id;
  rename->peer.nick = g_strdup (nick);
  rename->old_nick = g_strdup (participant->nick);
  rename->new_nick = g_strdup (nick);

  g_hash_table_remove (self->by_nick_key, participant->nick_key);
  g_free (participant->nick_key);
  g_free (participant->nick);
  participant->nick = g_steal_pointer (&nick);
  participant->nick_key = tertulia_protocol_nick_key (participant->nick);
  g_hash_table_insert (self->by_nick_key, participant->nick_key, participant);

  g_debug ("%s: participant %" G_GINT64_FORMAT " is now %s",
           session->peer, participant->id, participant->nick);

  server_emit_event (self, rename);
}

static void
server_handle_topic (TertuliaServer *self,
                     Session        *session,
                     TertuliaFrame  *frame)
{
  g_autoptr(TertuliaFrame) event = NULL;
  const char *topic = frame->topic != NULL ? frame->topic : "";
  Participant *participant = session->participant;

  /* Like a rename to the same nickname: nothing changes, nothing to tell. */
  if (strcmp (topic, self->topic) == 0)
    return;

  g_free (self->topic);
  self->topic = g_strdup (topic);

  event = tertulia_frame_new (TERTULIA_FRAME_TOPIC);
  event->peer.id = participant->id;
  event->peer.nick = g_strdup (participant->nick);
  event->topic = g_strdup (topic);
  server_emit_event (self, event);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOPIC]);
}

static void
session_message_cb (SoupWebsocketConnection *conn,
                    gint                     type,
                    GBytes                  *message,
                    gpointer                 user_data)
{
  Session *session = user_data;
  TertuliaServer *self = session->server;
  g_autoptr(TertuliaFrame) frame = NULL;
  g_autoptr(GError) error = NULL;
  const char *data;
  gsize length;

  if (self == NULL)
    return;

  server_enter (self);

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    {
      session_send_error (session, TERTULIA_ERROR_BINARY_FRAME,
                          "Frames must be text messages holding JSON.", NULL);
      goto out;
    }

  data = g_bytes_get_data (message, &length);

  /* The protocol's limit on a message, whether it came in one frame or in
   * fragments. Closing here, with the whole message read, lets the close
   * handshake finish, so the guest reliably sees 1009.
   */
  if (length > TERTULIA_MAX_FRAME_BYTES)
    {
      g_debug ("%s: a %" G_GSIZE_FORMAT "-byte message is too big", session->peer, length);
      session_close (session, SOUP_WEBSOCKET_CLOSE_TOO_BIG, "Message too big");
      goto out;
    }

  if ((frame = tertulia_protocol_parse_client_frame (data, length, &error)) == NULL)
    {
      /* An error about a say must carry its cid, if it had a valid one */
      g_autofree char *cid = tertulia_protocol_dup_cid (data, length);

      session_send_gerror (session, error, cid);
      goto out;
    }

  if (session->participant == NULL && frame->type != TERTULIA_FRAME_HELLO)
    {
      session_send_error (session, TERTULIA_ERROR_NOT_JOINED,
                          "Send hello before anything else.",
                          frame->type == TERTULIA_FRAME_SAY ? frame->cid : NULL);
      goto out;
    }

  switch (frame->type)
    {
    case TERTULIA_FRAME_HELLO:
      server_handle_hello (self, session, frame);
      break;

    case TERTULIA_FRAME_SAY:
      server_handle_say (self, session, frame);
      break;

    case TERTULIA_FRAME_NICK:
      server_handle_nick (self, session, frame);
      break;

    case TERTULIA_FRAME_SET_TOPIC:
      server_handle_topic (self, session, frame);
      break;

    /* The parser of client frames never returns these. */
    case TERTULIA_FRAME_WELCOME:
    case TERTULIA_FRAME_MESSAGE:
    case TERTULIA_FRAME_JOIN:
    case TERTULIA_FRAME_LEAVE:
    case TERTULIA_FRAME_RENAME:
    case TERTULIA_FRAME_TOPIC:
    case TERTULIA_FRAME_ERROR:
    default:
      session_send_error (session, TERTULIA_ERROR_UNKNOWN_TYPE,
                          "This frame type is not one a guest can send.", NULL);
      break;
    }

out:
  server_leave (self);
}

static void
session_error_cb (SoupWebsocketConnection *conn,
                  GError                  *error,
                  gpointer                 user_data)
{
  Session *session = user_data;

  g_debug ("%s: %s", session->peer, error->message);

  /* libsoup 3.2 drops the TCP connection on a frame over
   * max-incoming-payload-size without a close frame; the protocol promises
   * 1009. The close frame written here goes out before libsoup closes the
   * stream, right after this handler returns (whether the peer reads it
   * before the reset depends on timing).
   */
  if (g_error_matches (error, SOUP_WEBSOCKET_ERROR, SOUP_WEBSOCKET_CLOSE_TOO_BIG))
    session_close (session, SOUP_WEBSOCKET_CLOSE_TOO_BIG, "Message too big");
}

static void
session_closed_cb (SoupWebsocketConnection *conn,
                   gpointer                 user_data)
{
  Session *session = user_data;
  TertuliaServer *self = session->server;
  Participant *participant = session->participant;

  if (self != NULL)
    {
      gushort code = soup_websocket_connection_get_close_code (conn);

      server_enter (self);

      g_debug ("%s: closed with code %u", session->peer, code);
      g_ptr_array_remove_fast (self->sessions, session);

      if (participant != NULL)
        {
          participant->session = NULL;

          /* Only a guest that said goodbye (1000) leaves at once; any other
           * end may be a phone changing networks, or a browser reloading
           * the page (1001), and it has the grace period to come back
           * unnoticed.
           */
          if (code == SOUP_WEBSOCKET_CLOSE_NORMAL)
            server_participant_leave (self, participant);
          else
            participant->grace_id = g_timeout_add_full (G_PRIORITY_DEFAULT, self->resume_grace_msec,
                                                        grace_over_cb, participant, NULL);
        }

      server_leave (self);
    }

  session_free (session);
}

static gboolean
session_handshake_timeout_cb (gpointer user_data)
{
  Session *session = user_data;

  session->handshake_id = 0;

  session_send_error (session, TERTULIA_ERROR_HANDSHAKE_TIMEOUT,
                      "No hello arrived in time.", NULL);
  session_close (session, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "No hello in time");

  return G_SOURCE_REMOVE;
}


/* SoupServer handlers */

/* Cross-site WebSocket hijacking: a page on another web site could open a
 * WebSocket to this host from a visitor's browser. Upgrades whose Origin is
 * not this host's own page are refused before libsoup accepts them (a status
 * set in an early handler skips the WebSocket handler).
 */
static void
server_websocket_origin_cb (SoupServer        *server,
                            SoupServerMessage *msg,
                            const char        *path,
                            GHashTable        *query,
                            gpointer           user_data)
{
  static const char body[] = "This page may not join the room.\n";

  if (tertulia_web_origin_is_allowed (msg))
    return;

  g_debug ("Refusing a WebSocket upgrade from origin %s",
           soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Origin"));
  soup_server_message_set_status (msg, SOUP_STATUS_FORBIDDEN, NULL);
  soup_server_message_set_response (msg, "text/plain; charset=utf-8",
                                    SOUP_MEMORY_STATIC, body, strlen (body));
}

static void
server_websocket_cb (SoupServer              *server,
                     SoupServerMessage       *msg,
                     const char              *path,
                     SoupWebsocketConnection *conn,
                     gpointer                 user_data)
{
  TertuliaServer *self = user_data;
  GSocketAddress *remote;
  Session *session;

  session = g_new0 (Session, 1);
  session->server = self;
  session->conn = g_object_ref (conn);
  remote = soup_server_message_get_remote_address (msg);
  if (G_IS_INET_SOCKET_ADDRESS (remote))
    session->peer = g_strdup_printf ("%s port %u", soup_server_message_get_remote_host (msg),
                                     (guint) g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (remote)));
  else
    session->peer = g_strdup ("a guest");

  /* Deliberately above the protocol's limit: libsoup 3.2 answers a frame
   * over this size by dropping the TCP connection at its header, while the
   * rest of the frame is still arriving, so the peer usually sees a reset
   * instead of close code 1009. Messages between the two limits are read
   * whole and refused with a proper 1009 close in session_message_cb; only
   * frames beyond this bound get the abrupt treatment (session_error_cb
   * still tries to send 1009 first).
   */
  soup_websocket_connection_set_max_incoming_payload_size (conn, MAX_BUFFERED_FRAME_BYTES);
  /* Pings keep NAT and Wi-Fi middle boxes from dropping an idle chat, and
   * make a dead peer show up as a write error.
   */
  soup_websocket_connection_set_keepalive_interval (conn, KEEPALIVE_INTERVAL_SECONDS);

  session->closed_id = g_signal_connect (conn, "closed", G_CALLBACK (session_closed_cb), session);

  if (self->shut_down)
    {
      session_detach (session);
      session_close (session, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, DEFAULT_CLOSE_REASON);
      return;
    }

  session->message_id = g_signal_connect (conn, "message", G_CALLBACK (session_message_cb), session);
  session->error_id = g_signal_connect (conn, "error", G_CALLBACK (session_error_cb), session);
  session->handshake_id = g_timeout_add_full (G_PRIORITY_DEFAULT, self->handshake_timeout_msec,
                                              session_handshake_timeout_cb, session, NULL);
  g_ptr_array_add (self->sessions, session);

  g_debug ("%s: connected", session->peer);
}


/* GObject */

static void
server_shutdown (TertuliaServer *self,
                 const char     *reason,
                 gboolean        notify)
{
  g_autoptr(GPtrArray) sessions = NULL;
  g_autoptr(GPtrArray) participants = NULL;

  if (self->shut_down)
    return;

  self->shut_down = TRUE;

  if (reason == NULL)
    reason = DEFAULT_CLOSE_REASON;

  g_debug ("shutting down: %s", reason);

  /* Closing may make libsoup report errors synchronously; work on arrays
   * that nothing else touches any more.
   */
  sessions = g_steal_pointer (&self->sessions);
  self->sessions = g_ptr_array_new ();
  participants = g_steal_pointer (&self->participants);
  self->participants = g_ptr_array_new ();
  g_hash_table_remove_all (self->by_token);
  g_hash_table_remove_all (self->by_nick_key);

  for (guint i = 0; i < sessions->len; i++)
    {
      Session *session = g_ptr_array_index (sessions, i);

      /* The session frees itself when the connection reports "closed". */
      session_detach (session);
      session_close (session, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, reason);
    }

  for (guint i = 0; i < participants->len; i++)
    participant_free (g_ptr_array_index (participants, i));

  if (self->soup != NULL)
    soup_server_disconnect (self->soup);

  if (notify && participants->len > 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PARTICIPANTS]);
}

static void
tertulia_server_constructed (GObject *object)
{
  TertuliaServer *self = (TertuliaServer *) object;
  const char *protocols[] = { TERTULIA_SUBPROTOCOL, NULL };

  G_OBJECT_CLASS (tertulia_server_parent_class)->constructed (object);

  self->soup = soup_server_new ("server-header", "tertulia/" PACKAGE_VERSION " ", NULL);
  /* The protocol has no extensions: compression would let a small frame
   * expand past the size limit, and makes "the same bytes" harder to keep.
   */
  soup_server_remove_websocket_extension (self->soup, SOUP_TYPE_WEBSOCKET_EXTENSION_DEFLATE);
  soup_server_add_websocket_handler (self->soup, TERTULIA_WEBSOCKET_PATH, NULL, (char **) protocols,
                                     server_websocket_cb, self, NULL);
  soup_server_add_early_handler (self->soup, TERTULIA_WEBSOCKET_PATH,
                                 server_websocket_origin_cb, self, NULL);
  /* Everything else is the browser guest page. */
  soup_server_add_handler (self->soup, "/", tertulia_web_handle_request, self, NULL);
}

static void
tertulia_server_dispose (GObject *object)
{
  TertuliaServer *self = (TertuliaServer *) object;

  server_shutdown (self, NULL, FALSE);
  g_clear_object (&self->soup);

  G_OBJECT_CLASS (tertulia_server_parent_class)->dispose (object);
}

static void
tertulia_server_finalize (GObject *object)
{
  TertuliaServer *self = (TertuliaServer *) object;

  g_clear_pointer (&self->ring, g_ptr_array_unref);

  g_clear_pointer (&self->sessions, g_ptr_array_unref);
  g_clear_pointer (&self->participants, g_ptr_array_unref);
  g_clear_pointer (&self->by_token, g_hash_table_unref);
  g_clear_pointer (&self->by_nick_key, g_hash_table_unref);
  g_clear_pointer (&self->room_name, g_free);
  g_clear_pointer (&self->room_id, g_free);
  g_clear_pointer (&self->topic, g_free);
  g_clear_pointer (&self->host_key, g_free);

  G_OBJECT_CLASS (tertulia_server_parent_class)->finalize (object);
}

/* The host sets the name (tertulia-server checks it for the user); a bad
 * one is made usable here rather than sent to every guest.
 */
static char *
dup_room_name (const char *name)
{
  g_autofree char *stripped = NULL;

  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    return g_strdup (DEFAULT_ROOM_NAME);

  stripped = g_strstrip (g_strdup (name));
  if (stripped[0] == '\0')
    return g_strdup (DEFAULT_ROOM_NAME);

  if (g_utf8_strlen (stripped, -1) > TERTULIA_MAX_ROOM_NAME_CHARS)
    {
      g_debug ("room name “%s” is too long; shortening it", stripped);
      return g_utf8_substring (stripped, 0, TERTULIA_MAX_ROOM_NAME_CHARS);
    }

  return g_steal_pointer (&stripped);
}

static void
tertulia_server_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TertuliaServer *self = TERTULIA_SERVER (object);

  switch (prop_id)
    {
    case PROP_ROOM_NAME:
      g_value_set_string (value, self->room_name);
      break;

    case PROP_TOPIC:
      g_value_set_string (value, self->topic);
      break;

    case PROP_HISTORY_SIZE:
      g_value_set_uint (value, self->history_size);
      break;

    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;

    case PROP_N_PARTICIPANTS:
      g_value_set_uint (value, self->participants->len);
      break;

    case PROP_HOST_KEY:
      g_value_set_string (value, self->host_key);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tertulia_server_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TertuliaServer *self = TERTULIA_SERVER (object);

  switch (prop_id)
    {
    case PROP_ROOM_NAME:
      g_free (self->room_name);
      self->room_name = dup_room_name (g_value_get_string (value));
      break;

    case PROP_HISTORY_SIZE:
      self->history_size = g_value_get_uint (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tertulia_server_class_init (TertuliaServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = tertulia_server_constructed;
  object_class->dispose = tertulia_server_dispose;
  object_class->finalize = tertulia_server_finalize;
  object_class->get_property = tertulia_server_get_property;
  object_class->set_property = tertulia_server_set_property;

  properties[PROP_ROOM_NAME] =
    g_param_spec_string ("room-name", NULL, NULL,
                         DEFAULT_ROOM_NAME,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TOPIC] =
    g_param_spec_string ("topic", NULL, NULL,
                         "",
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_HISTORY_SIZE] =
    g_param_spec_uint ("history-size", NULL, NULL,
                       1, G_MAXINT, TERTULIA_DEFAULT_HISTORY,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL,
                       0, G_MAXUINT16, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_N_PARTICIPANTS] =
    g_param_spec_uint ("n-participants", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_HOST_KEY] =
    g_param_spec_string ("host-key", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tertulia_server_init (TertuliaServer *self)
{
  self->room_name = g_strdup (DEFAULT_ROOM_NAME);
  self->topic = g_strdup ("");
  self->host_key = random_hex (SECRET_BYTES);
  self->room_id = random_hex (8);
  self->history_size = TERTULIA_DEFAULT_HISTORY;
  self->ring = g_ptr_array_new_with_free_func ((GDestroyNotify) event_unref);
  self->sessions = g_ptr_array_new ();
  self->participants = g_ptr_array_new ();
  self->by_token = g_hash_table_new (g_str_hash, g_str_equal);
  self->by_nick_key = g_hash_table_new (g_str_hash, g_str_equal);
  self->next_id = 1;
  self->handshake_timeout_msec = TERTULIA_HANDSHAKE_TIMEOUT_SECONDS * 1000;
  self->resume_grace_msec = TERTULIA_RESUME_GRACE_SECONDS * 1000;
}


/* Public API */

TertuliaServer *
tertulia_server_new (const char *room_name)
{
  return tertulia_server_new_full (room_name, TERTULIA_DEFAULT_HISTORY);
}

TertuliaServer *
tertulia_server_new_full (const char *room_name,
                          guint       history_size)
{
  g_return_val_if_fail (room_name != NULL, NULL);
  g_return_val_if_fail (history_size > 0, NULL);

  return g_object_new (TERTULIA_TYPE_SERVER,
                       "room-name", room_name,
                       "history-size", history_size,
                       NULL);
}

static guint
server_find_port (TertuliaServer *self)
{
  /* (transfer container): the sockets are borrowed */
  GSList *listeners = soup_server_get_listeners (self->soup);
  guint port = 0;

  for (GSList *l = listeners; l != NULL && port == 0; l = l->next)
    {
      g_autoptr(GSocketAddress) address = g_socket_get_local_address (l->data, NULL);

      if (G_IS_INET_SOCKET_ADDRESS (address))
        port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
    }

  g_slist_free (listeners);

  return port;
}

gboolean
tertulia_server_listen (TertuliaServer  *self,
                        const char      *bind_address,
                        guint            port,
                        GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean listening;

  g_return_val_if_fail (TERTULIA_IS_SERVER (self), FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->shut_down)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED,
                           _("The room has already been closed."));
      return FALSE;
    }

  if (self->port != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                           _("The room is already open."));
      return FALSE;
    }

  if (bind_address == NULL)
    {
      listening = soup_server_listen_all (self->soup, port, 0, &local_error);
    }
  else
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (bind_address);
      g_autoptr(GSocketAddress) socket_address = NULL;

      if (address == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       /* Translators: %s is what the user gave as the address to listen on */
                       _("“%s” is not an IP address."), bind_address);
          return FALSE;
        }

      socket_address = g_inet_socket_address_new (address, (guint16) port);
      listening = soup_server_listen (self->soup, socket_address, 0, &local_error);
    }

  if (!listening)
    {
      g_debug ("listening on %s port %u failed: %s",
               bind_address != NULL ? bind_address : "every address", port, local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  self->port = server_find_port (self);
  g_debug ("listening on %s port %u", bind_address != NULL ? bind_address : "every address", self->port);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);

  return TRUE;
}

guint
tertulia_server_get_port (TertuliaServer *self)
{
  g_return_val_if_fail (TERTULIA_IS_SERVER (self), 0);

  return self->port;
}

const char *
tertulia_server_get_room_name (TertuliaServer *self)
{
  g_return_val_if_fail (TERTULIA_IS_SERVER (self), NULL);

  return self->room_name;
}

const char *
tertulia_server_get_topic (TertuliaServer *self)
{
  g_return_val_if_fail (TERTULIA_IS_SERVER (self), NULL);

  return self->topic;
}

const char *
tertulia_server_get_host_key (TertuliaServer *self)
{
  g_return_val_if_fail (TERTULIA_IS_SERVER (self), NULL);

  return self->host_key;
}

guint
tertulia_server_get_n_participants (TertuliaServer *self)
{
  g_return_val_if_fail (TERTULIA_IS_SERVER (self), 0);

  return self->participants->len;
}

guint
tertulia_server_get_history_size (TertuliaServer *self)
{
  g_return_val_if_fail (TERTULIA_IS_SERVER (self), 0);

  return self->history_size;
}

void
tertulia_server_shutdown (TertuliaServer *self,
                          const char     *reason)
{
  g_return_if_fail (TERTULIA_IS_SERVER (self));

  g_object_ref (self);
  server_shutdown (self, reason, TRUE);
  g_object_unref (self);
}

void
_tertulia_server_set_deadlines (TertuliaServer *self,
                                guint           handshake_timeout_msec,
                                guint           resume_grace_msec)
{
  g_return_if_fail (TERTULIA_IS_SERVER (self));

  if (handshake_timeout_msec > 0)
    self->handshake_timeout_msec = handshake_timeout_msec;
  if (resume_grace_msec > 0)
    self->resume_grace_msec = resume_grace_msec;
}

guint
_tertulia_server_get_n_connections (TertuliaServer *self)
{
  g_return_val_if_fail (TERTULIA_IS_SERVER (self), 0);

  return self->sessions->len;
}

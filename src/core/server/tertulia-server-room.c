/* tertulia-server-room.c — the room a TertuliaServer keeps: participants,
 * nicknames, the history ring, and what each frame from a guest does
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-server"
#define TERTULIA_SERVER_COMPILATION

#include "config.h"

#include <string.h>

#include "tertulia-server-private.h"

#define SECRET_BYTES 32


/* Helpers */

static gint64
now_msec (void)
{
  return g_get_real_time () / 1000;
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

/* issue 18: for the moderation rules' check of the host key */
gboolean
_tertulia_secret_equal (const char *secret,
                        const char *guess)
{
  return secret_equal (secret, guess);
}

Event *
_tertulia_event_new (gint64  seq,
                     char   *json)
{
  gsize length = strlen (json);
  gsize header_length = tertulia_guard_text_frame_header (NULL, length);
  Event *event = g_rc_box_alloc (sizeof (Event) + header_length + length + 1);

  event->seq = seq;
  event->frame = event->bytes;
  event->frame_length = header_length + length;
  event->json = (char *) event->bytes + header_length;
  tertulia_guard_text_frame_header (event->frame, length);
  memcpy (event->json, json, length + 1);
  g_free (json);

  return event;
}

void
_tertulia_event_unref (Event *event)
{
  g_rc_box_release (event);
}

void
_tertulia_server_participant_free (Participant *participant)
{
  g_clear_handle_id (&participant->grace_id, g_source_remove);
  g_clear_pointer (&participant->nick, g_free);
  g_clear_pointer (&participant->nick_key, g_free);
  g_clear_pointer (&participant->resume_token, g_free);
  g_clear_pointer (&participant->token_key, g_free);
  g_clear_pointer (&participant->json, g_free);
  g_clear_pointer (&participant->cids, _tertulia_cid_memory_free);
  g_clear_pointer (&participant->skeletons, g_strfreev);
  _tertulia_server_participant_moderation_free (participant); /* issue 18 */
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
  /* issue 18 */
  peer->role = participant->host ? TERTULIA_ROLE_HOST : participant->role;
  peer->muted = participant->muted;
}

/* Every welcome lists everyone: serializing each participant anew for each
 * welcome made a room's N joins cost N² serializations. Each participant is
 * serialized once instead, when it joins or changes its nickname.
 */
void
_tertulia_participant_update_json (Participant *participant)
{
  TertuliaPeer peer = { 0 };

  participant_to_peer (participant, &peer);
  g_free (participant->json);
  participant->json = tertulia_protocol_serialize_peer (&peer);
  tertulia_peer_clear (&peer);
  _tertulia_server_participants_changed (participant->server);
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
  _tertulia_server_history_changed (self);

  if (self->ring->len < self->history_size)
    {
      g_assert (self->ring_start == 0);
      g_ptr_array_add (self->ring, event);
    }
  else
    {
      _tertulia_event_unref (g_ptr_array_index (self->ring, self->ring_start));
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

  event = _tertulia_event_new (frame->seq, tertulia_protocol_serialize (frame));
  ring_push (self, event);
  /* Written now, committed before the sends below leave (the journal
   * commits one priority above the batched sends)
   */
  if (self->store != NULL)
    {
      tertulia_store_append_message (self->store, event->seq, frame->time, event->json,
                                     frame->peer.id,
                                     frame->type == TERTULIA_FRAME_MESSAGE ? frame->cid : NULL);
      self->store_dirty = TRUE;
    }

  /* Every joined guest gets it at the end of the turn, with the rest the
   * room says in it (tertulia-server-turn.c)
   */
  _tertulia_server_turn_add_event (self, event);

  return event;
}

/* For the other parts of the server that make events (files) */
Event *
_tertulia_server_emit_event (TertuliaServer *self,
                             TertuliaFrame  *frame)
{
  return server_emit_event (self, frame);
}

static void
server_participant_leave (TertuliaServer *self,
                          Participant    *participant)
{
  g_autoptr(TertuliaFrame) frame = tertulia_frame_new (TERTULIA_FRAME_LEAVE);

  g_debug ("participant %" G_GINT64_FORMAT " (%s) left", participant->id, participant->nick);

  g_ptr_array_remove (self->participants, participant);
  _tertulia_server_participants_changed (self);
  g_hash_table_remove (self->by_token, participant->token_key);
  _tertulia_server_unindex_nick (self, participant);
  _tertulia_server_keep_departed (self, participant);
  if (self->store != NULL)
    {
      tertulia_store_remove_participant (self->store, participant->id);
      self->store_dirty = TRUE;
    }
  if (participant->session != NULL)
    participant->session->participant = NULL;

  frame->peer.id = participant->id;
  frame->peer.nick = g_strdup (participant->nick);
  server_emit_event (self, frame);

  _tertulia_server_participant_free (participant);

  _tertulia_server_notify_n_participants (self);
}

void
_tertulia_server_participant_leave (TertuliaServer *self,
                                    Participant    *participant)
{
  server_participant_leave (self, participant);
}

static gboolean
grace_over_cb (gpointer user_data)
{
  Participant *participant = user_data;
  TertuliaServer *self = participant->server;
  gint64 waited = _tertulia_server_running_msec (self, participant->grace_start);

  participant->grace_id = 0;

  /* The host's own stall is not the guest's absence */
  if (waited < participant->grace_msec)
    {
      participant->grace_id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) (participant->grace_msec - waited),
                                                  grace_over_cb, participant, NULL);
      return G_SOURCE_REMOVE;
    }

  g_debug ("participant %" G_GINT64_FORMAT " did not come back in time", participant->id);

  _tertulia_server_enter (self);
  server_participant_leave (self, participant);
  _tertulia_server_leave (self);

  return G_SOURCE_REMOVE;
}


void
_tertulia_server_participant_dropped (TertuliaServer *self,
                                      Participant    *participant,
                                      gushort         code,
                                      guint           silent_msec)
{
  participant->session = NULL;

  /* Only a guest that said goodbye (1000) leaves at once; any other end
   * may be a phone changing networks, or a browser reloading the page
   * (1001), and it has the grace period to come back unnoticed. A guest
   * the keepalive gave up on had been silent for a while already: that
   * time counts, so the others see it leave about when it went quiet.
   */
  if (code == SOUP_WEBSOCKET_CLOSE_NORMAL || silent_msec >= self->resume_grace_msec)
    server_participant_leave (self, participant);
  else
    _tertulia_server_start_grace (self, participant, self->resume_grace_msec - silent_msec);
}

void
_tertulia_server_start_grace (TertuliaServer *self,
                              Participant    *participant,
                              guint           msec)
{
  g_clear_handle_id (&participant->grace_id, g_source_remove);
  participant->grace_start = g_get_monotonic_time ();
  participant->grace_msec = msec;
  participant->grace_id = g_timeout_add_full (G_PRIORITY_DEFAULT, msec, grace_over_cb, participant, NULL);
}


/* Frames from a guest */

/* The welcome of @session, made when its turn ends (tertulia-server-turn.c):
 * the participants and the history go in as the JSON every welcome of the
 * turn shares (tertulia-server-welcome.c).
 */
void
_tertulia_server_send_welcome (TertuliaServer *self,
                               Session        *session,
                               gboolean        resumed,
                               gint64          last_seq)
{
  g_autoptr(TertuliaFrame) welcome = tertulia_frame_new (TERTULIA_FRAME_WELCOME);
  Participant *participant = session->participant;
  guint first = 0;
  gboolean future;

  /* A last_seq beyond the room's seq is not from this room's life (a
   * client that kept a seq it should have forgotten): it is answered as a
   * gap, with the whole history, as if the guest came back from far away.
   */
  future = resumed && last_seq > self->seq;

  /* The ring holds consecutive seqs: what a guest that resumes missed is
   * its end, from the first event after last_seq
   */
  if (resumed && !future && self->ring->len > 0)
    {
      gint64 oldest = ring_nth (self, 0)->seq;

      if (last_seq >= oldest)
        first = (guint) MIN (last_seq - oldest + 1, (gint64) self->ring->len);
    }

  welcome->version = TERTULIA_PROTOCOL_VERSION;
  participant_to_peer (participant, &welcome->you);
  welcome->room_id = g_strdup (self->room_id);
  welcome->room_name = g_strdup (self->room_name);
  welcome->topic = g_strdup (self->topic);
  /* The participants and history go in already serialized, below */
  welcome->seq = self->seq;
  welcome->resume_token = g_strdup (participant->resume_token);
  welcome->resumed = resumed;
  /* Events after last_seq exist, but the oldest of them already fell out of
   * the ring: the guest cannot get them back and must be told.
   */
  welcome->gap = future ||
                 (resumed &&
                  last_seq < self->seq &&
                  self->ring->len > 0 &&
                  ring_nth (self, 0)->seq > last_seq + 1);
  welcome->limits.text = TERTULIA_MAX_TEXT_CHARS;
  welcome->limits.nick = TERTULIA_MAX_NICK_CHARS;
  welcome->limits.topic = TERTULIA_MAX_TOPIC_CHARS;
  welcome->limits.room_name = TERTULIA_MAX_ROOM_NAME_CHARS;
  welcome->limits.frame_bytes = TERTULIA_MAX_FRAME_BYTES;
  welcome->limits.history = self->history_size;
  welcome->limits.json_depth = TERTULIA_MAX_JSON_DEPTH;
  welcome->limits.hello_seconds = (self->handshake_timeout_msec + 999) / 1000;
  welcome->limits.rate_burst = self->rate_burst;
  welcome->limits.rate_per_second = self->rate_per_second;
  welcome->limits.connections = self->max_connections;
  welcome->limits.connections_per_address = self->max_connections_per_address;
  welcome->limits.queue_bytes = self->max_queued_bytes;
  welcome->limits.ping_seconds = self->ping_seconds;
  welcome->limits.idle_seconds = (self->idle_timeout_msec + 999) / 1000;
  _tertulia_server_files_fill_welcome (self, participant, welcome);
  _tertulia_server_moderation_fill_welcome (self, session, welcome, resumed); /* issue 18 */

  _tertulia_session_send_welcome_shared (session,
                                         tertulia_protocol_serialize_welcome (welcome, NULL, 0, NULL, 0),
                                         first);
}

/* The room's password, unless @session proved who it is otherwise
 * (@trusted: it has the host's key, or a resume token, which only someone
 * who knew the password got). Each address may try one password per retry
 * interval, counted from the end of its last check, and the checks of the
 * whole room take turns in a thread (tertulia-server-checks.c), since each
 * costs a PBKDF2 run and guessing must stay slow. The password itself is
 * never logged, kept or sent back. TRUE when @frame may go on at once;
 * otherwise it was refused, or taken to wait for its check.
 */
static gboolean
server_check_password (TertuliaServer  *self,
                       Session         *session,
                       TertuliaFrame  **frame,
                       gboolean         trusted)
{
  Address *address = session->address;
  gint64 now = g_get_monotonic_time ();

  if (self->password == NULL || trusted)
    return TRUE;

  if ((*frame)->password == NULL)
    {
      _tertulia_session_send_error (session, TERTULIA_ERROR_PASSWORD_REQUIRED,
                                    "This room needs a password.", NULL);
      return FALSE;
    }

  if (session->password_check != NULL ||
      (address != NULL &&
       address->last_password_try != 0 &&
       now - address->last_password_try < (gint64) self->password_retry_msec * 1000))
    {
      _tertulia_session_send_error (session, TERTULIA_ERROR_RATE_LIMITED,
                                    "Wait a moment before trying another password.", NULL);
      return FALSE;
    }

  if (address != NULL)
    address->last_password_try = now;
  _tertulia_server_check_password_async (self, session, g_steal_pointer (frame));

  return FALSE;
}

static void server_admit_hello (TertuliaServer *self,
                                Session        *session,
                                TertuliaFrame  *frame);

void
_tertulia_server_password_checked (TertuliaServer *self,
                                   Session        *session,
                                   TertuliaFrame  *hello,
                                   gboolean        right)
{
  g_autoptr(TertuliaFrame) frame = hello;

  if (session->address != NULL)
    session->address->last_password_try = g_get_monotonic_time ();

  if (right)
    {
      session->wrong_passwords = 0;
      server_admit_hello (self, session, frame);
      return;
    }

  session->wrong_passwords++;
  g_debug ("%s: wrong password, %u in a row", session->peer, session->wrong_passwords);

  if (session->wrong_passwords >= TERTULIA_MAX_WRONG_PASSWORDS)
    _tertulia_session_refuse (session, TERTULIA_ERROR_PASSWORD_WRONG,
                              "That password is not right.", "Too many wrong passwords");
  else
    _tertulia_session_send_error (session, TERTULIA_ERROR_PASSWORD_WRONG,
                                  "That password is not right.", NULL);
}

static Participant *
server_lookup_resume (TertuliaServer *self,
                      TertuliaFrame  *frame)
{
  g_autofree char *key = NULL;

  if (!frame->has_resume || frame->resume_token == NULL)
    return NULL;

  key = _tertulia_token_key (frame->resume_token);

  return g_hash_table_lookup (self->by_token, key);
}

static gboolean
server_refuse_second_hello (Session *session)
{
  if (session->participant == NULL)
    return FALSE;

  _tertulia_session_send_error (session, TERTULIA_ERROR_ALREADY_JOINED,
                                "You have already joined this room.", NULL);
  return TRUE;
}

static void
server_handle_hello (TertuliaServer *self,
                     Session        *session,
                     TertuliaFrame  *hello)
{
  g_autoptr(TertuliaFrame) frame = hello;
  gboolean trusted;

  if (server_refuse_second_hello (session))
    return;

  /* The parser checks this too; the server does not rely on it. */
  if (frame->version != TERTULIA_PROTOCOL_VERSION)
    {
      _tertulia_session_send_error (session, TERTULIA_ERROR_VERSION_UNSUPPORTED,
                          "This room speaks version " G_STRINGIFY (TERTULIA_PROTOCOL_VERSION) " of the protocol.", NULL);
      return;
    }

  /* issue 18: banned, or the room is locked */
  if (_tertulia_server_refuse_hello (self, session, frame))
    return;

  trusted = secret_equal (self->host_key, frame->host_key) || server_lookup_resume (self, frame) != NULL;

  if (server_check_password (self, session, &frame, trusted))
    server_admit_hello (self, session, frame);
}

/* The hello passed: the guest joins or resumes. Who it is is looked up
 * again, since a password check may have taken a while.
 */
static void
server_admit_hello (TertuliaServer *self,
                    Session        *session,
                    TertuliaFrame  *frame)
{
  Participant *participant;
  gboolean resumed = FALSE;
  gboolean host;

  if (server_refuse_second_hello (session))
    return;

  /* issue 18: again, the password check may have taken a while */
  if (_tertulia_server_refuse_hello (self, session, frame))
    return;

  participant = server_lookup_resume (self, frame);
  host = secret_equal (self->host_key, frame->host_key);

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
          _tertulia_session_close (old, SOUP_WEBSOCKET_CLOSE_NORMAL, "Resumed on another connection");
        }

      /* Restored by a restarted host, which kept only the token's key */
      if (participant->resume_token == NULL)
        participant->resume_token = g_strdup (frame->resume_token);

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
        participant->nick = _tertulia_server_dup_guest_nick (self);
      else
        participant->nick = _tertulia_server_dup_unique_nick (self, frame->nick);
      participant->joined_at = now_msec ();
      participant->host = host;
      do
        {
          g_free (participant->resume_token);
          g_free (participant->token_key);
          participant->resume_token = _tertulia_random_hex (SECRET_BYTES);
          participant->token_key = _tertulia_token_key (participant->resume_token);
        }
      while (g_hash_table_contains (self->by_token, participant->token_key));
      /* Back after its grace with the token it had: what it posted
       * then is still known, so a resend from its outbox is not posted
       * again.
       */
      if (frame->has_resume && frame->resume_token != NULL)
        {
          g_autofree char *old_key = _tertulia_token_key (frame->resume_token);

          participant->cids = _tertulia_server_take_departed (self, old_key);
        }
      if (participant->cids == NULL)
        participant->cids = _tertulia_cid_memory_new ();
      _tertulia_server_moderation_joining (self, participant, frame); /* issue 18 */
      _tertulia_participant_update_json (participant);

      g_ptr_array_add (self->participants, participant);
      g_hash_table_insert (self->by_token, participant->token_key, participant);
      _tertulia_server_index_nick (self, participant);
      _tertulia_server_store_participant (self, participant);
      _tertulia_server_store_room (self);

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

      _tertulia_server_notify_n_participants (self);
    }

  _tertulia_server_moderation_admitted (self, session, frame, resumed); /* issue 18 */
  _tertulia_session_welcome_later (session, resumed, frame->last_seq);
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
      const CidRecord *record = _tertulia_cid_memory_lookup (participant->cids, frame->cid);

      if (record != NULL)
        {
          /* A resend of a message we already took (from an outbox after a
           * drop, its echo lost). It is not posted again; the sender gets
           * the original event, to mark the message delivered. An event
           * that left the ring is answered with an echo made from the
           * resend: the original seq and time, the sender as it is now.
           */
          event = ring_lookup (self, record->seq);
          g_debug ("%s: cid %s already posted as seq %" G_GINT64_FORMAT,
                   session->peer, frame->cid, record->seq);
          if (event != NULL)
            {
              _tertulia_session_send_event (session, event);
            }
          else
            {
              g_autofree char *json = NULL;

              message = tertulia_frame_new (TERTULIA_FRAME_MESSAGE);
              message->seq = record->seq;
              message->time = record->time;
              message->peer.id = participant->id;
              message->peer.nick = g_strdup (participant->nick);
              message->kind = frame->kind;
              message->text = g_strdup (frame->text);
              message->cid = g_strdup (frame->cid);
              json = tertulia_protocol_serialize (message);
              _tertulia_session_send (session, json);
            }
          return;
        }
    }

  /* issue 18: muted, slow mode */
  if (!_tertulia_server_moderation_may_say (self, session, frame->cid))
    return;

  message = tertulia_frame_new (TERTULIA_FRAME_MESSAGE);
  message->peer.id = participant->id;
  message->peer.nick = g_strdup (participant->nick);
  message->kind = frame->kind;
  message->text = g_strdup (frame->text);
  message->cid = g_strdup (frame->cid);

  event = server_emit_event (self, message);

  if (frame->cid != NULL)
    _tertulia_cid_memory_remember (participant->cids, frame->cid, event->seq, message->time);
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
      _tertulia_session_send_gerror (session, error, NULL);
      return;
    }

  if (strcmp (nick, participant->nick) == 0)
    return;

  if (!_tertulia_server_nick_is_free (self, nick, participant))
    {
      _tertulia_session_send_error (session, TERTULIA_ERROR_NICK_TAKEN,
                          "Someone in the room already has that nickname.", NULL);
      return;
    }

  rename = tertulia_frame_new (TERTULIA_FRAME_RENAME);
  rename->peer.id = participant->id;
  rename->peer.nick = g_strdup (nick);
  rename->old_nick = g_strdup (participant->nick);
  rename->new_nick = g_strdup (nick);

  _tertulia_server_unindex_nick (self, participant);
  g_free (participant->nick);
  participant->nick = g_steal_pointer (&nick);
  _tertulia_server_index_nick (self, participant);
  _tertulia_participant_update_json (participant);
  _tertulia_server_store_participant (self, participant);

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

  if (_tertulia_server_session_refuse_muted (self, session, NULL)) /* issue 18 */
    return;

  g_free (self->topic);
  self->topic = g_strdup (topic);

  event = tertulia_frame_new (TERTULIA_FRAME_TOPIC);
  event->peer.id = participant->id;
  event->peer.nick = g_strdup (participant->nick);
  event->topic = g_strdup (topic);
  server_emit_event (self, event);
  _tertulia_server_store_room (self);

  _tertulia_server_notify_topic (self);
}

void
_tertulia_server_handle_frame (TertuliaServer *self,
                               Session        *session,
                               TertuliaFrame  *owned_frame)
{
  g_autoptr(TertuliaFrame) frame = owned_frame;

  if (frame->type == TERTULIA_FRAME_HELLO)
    {
      server_handle_hello (self, session, g_steal_pointer (&frame));
      return;
    }

  if (session->participant == NULL)
    {
      _tertulia_session_send_error (session, TERTULIA_ERROR_NOT_JOINED,
                                    "Send hello before anything else.",
                                    frame->type == TERTULIA_FRAME_SAY ? frame->cid : NULL);
      return;
    }

  switch (frame->type)
    {
    case TERTULIA_FRAME_SAY:
      server_handle_say (self, session, frame);
      break;

    case TERTULIA_FRAME_NICK:
      server_handle_nick (self, session, frame);
      break;

    case TERTULIA_FRAME_SET_TOPIC:
      server_handle_topic (self, session, frame);
      break;

    case TERTULIA_FRAME_FETCH_HISTORY:
      _tertulia_server_handle_history (self, session, frame);
      break;

    /* issue 18 */
    case TERTULIA_FRAME_KICK: case TERTULIA_FRAME_BAN: case TERTULIA_FRAME_UNBAN:
    case TERTULIA_FRAME_FETCH_BANS: case TERTULIA_FRAME_MUTE: case TERTULIA_FRAME_UNMUTE:
    case TERTULIA_FRAME_SLOW: case TERTULIA_FRAME_LOCK: case TERTULIA_FRAME_OP:
    case TERTULIA_FRAME_SET_PRIVATE_MESSAGES: case TERTULIA_FRAME_MSG:
      _tertulia_server_handle_moderation (self, session, frame);
      break;

    /* Handled above; the parser of client frames never returns the others. */
    case TERTULIA_FRAME_HELLO:
    case TERTULIA_FRAME_WELCOME:
    case TERTULIA_FRAME_MESSAGE:
    case TERTULIA_FRAME_JOIN:
    case TERTULIA_FRAME_LEAVE:
    case TERTULIA_FRAME_RENAME:
    case TERTULIA_FRAME_TOPIC:
    case TERTULIA_FRAME_FILE:
    case TERTULIA_FRAME_FILE_REMOVED:
    case TERTULIA_FRAME_ERROR:
    case TERTULIA_FRAME_HISTORY:
    /* issue 18: the host's answers */
    case TERTULIA_FRAME_MODERATION:
    case TERTULIA_FRAME_BANS:
    case TERTULIA_FRAME_PRIVATE:
    default:
      _tertulia_session_send_error (session, TERTULIA_ERROR_UNKNOWN_TYPE,
                                    "This frame type is not one a guest can send.", NULL);
      break;
    }
}

void
_tertulia_server_room_finalize (TertuliaServer *self)
{
  _tertulia_server_forget_password_checks (self);
  _tertulia_server_forget_departed (self);
  g_clear_pointer (&self->host_names, g_ptr_array_unref);
  g_clear_pointer (&self->nick_suffixes, g_hash_table_unref);
  _tertulia_server_moderation_finalize (self); /* issue 18 */
}

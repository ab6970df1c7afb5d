/* tertulia-server-moderation.c — the host keeps the room: roles, kicks,
 * bans, mutes, slow mode, the lock, and private messages (issue 18;
 * docs/PROTOCOL.md, "Moderation" and "Private messages")
 *
 * Every rule is checked here, whatever a client shows: a refusal is an
 * error frame with a stable code. Moderation actions are events (seq,
 * journal, history); private messages are not: they go to their two
 * participants only and are kept in memory, for resumes, and nowhere else.
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-server"
#define TERTULIA_SERVER_COMPILATION

#include "config.h"

#include <string.h>

#include "tertulia-protocol-moderation.h"
#include "tertulia-server-private.h"

/* A ban: the identity (resume token) and the address of someone banned */
typedef struct
{
  gint64  id;
  gint64  participant_id;
  char   *nick;
  char   *address;   /* NULL if the host never saw one */
  char   *token_key;
  char   *by;
  char   *reason;
  gint64  time;
} Ban;

struct _KeptPrivate
{
  gint64  id;
  gint64  from_id;
  char   *cid;
  char   *json;
};

static void
ban_free (Ban *ban)
{
  g_free (ban->nick);
  g_free (ban->address);
  g_free (ban->token_key);
  g_free (ban->by);
  g_free (ban->reason);
  g_free (ban);
}

static void
kept_private_free (KeptPrivate *kept)
{
  g_free (kept->cid);
  g_free (kept->json);
  g_free (kept);
}

void
_tertulia_server_participant_moderation_free (Participant *participant)
{
  g_clear_pointer (&participant->address, g_free);
  g_queue_clear_full (&participant->privates, (GDestroyNotify) kept_private_free);
}

void
_tertulia_server_moderation_finalize (TertuliaServer *self)
{
  g_clear_pointer (&self->bans, g_ptr_array_unref);
  g_clear_pointer (&self->muted_keys, g_hash_table_unref);
}

static gint64
now_msec (void)
{
  return g_get_real_time () / 1000;
}


/* Roles */

static TertuliaRole
participant_role (Participant *participant)
{
  return participant->host ? TERTULIA_ROLE_HOST : participant->role;
}

gboolean
_tertulia_server_participant_moderates (Participant *participant)
{
  return participant != NULL && participant_role (participant) != TERTULIA_ROLE_GUEST;
}

gboolean
_tertulia_server_session_moderates (TertuliaServer *self,
                                    Session        *session)
{
  return session != NULL && _tertulia_server_participant_moderates (session->participant);
}

static void
refuse_not_allowed (Session    *session,
                    const char *message)
{
  _tertulia_session_send_error (session, TERTULIA_ERROR_NOT_ALLOWED, message, NULL);
}

/* Whether @actor may act on the participant with @id: it must moderate,
 * nobody acts on the host, and co-hosts not on each other. Refuses and
 * returns NULL otherwise.
 */
static Participant *
target_of (TertuliaServer *self,
           Session        *session,
           gint64          id)
{
  Participant *actor = session->participant;
  Participant *target;

  if (!_tertulia_server_participant_moderates (actor))
    {
      refuse_not_allowed (session, "Only the host or a co-host can do that.");
      return NULL;
    }

  target = _tertulia_server_find_participant (self, id);
  if (target == NULL)
    {
      _tertulia_session_send_error (session, TERTULIA_ERROR_PARTICIPANT_NOT_FOUND,
                                    "Nobody in the room has that id.", NULL);
      return NULL;
    }

  if (participant_role (target) == TERTULIA_ROLE_HOST ||
      (participant_role (actor) == TERTULIA_ROLE_COHOST && participant_role (target) == TERTULIA_ROLE_COHOST))
    {
      refuse_not_allowed (session, "Co-hosts cannot act on the host or on other co-hosts, and nobody on the host.");
      return NULL;
    }

  return target;
}

/* The moderation event for @action by @actor (and on @target), in the
 * history and the journal like any other
 */
static TertuliaFrame *
moderation_new (TertuliaModerationAction  action,
                Participant              *actor,
                Participant              *target)
{
  TertuliaFrame *event = tertulia_frame_new (TERTULIA_FRAME_MODERATION);

  event->action = action;
  event->peer.id = actor->id;
  event->peer.nick = g_strdup (actor->nick);
  if (target != NULL)
    {
      event->has_target = TRUE;
      event->target.id = target->id;
      event->target.nick = g_strdup (target->nick);
    }

  return event;
}

/* Returns the event's JSON, for the one it removes */
static char *
emit_dup (TertuliaServer *self,
          TertuliaFrame  *event)
{
  g_autoptr(TertuliaFrame) owned = event;

  return g_strdup (_tertulia_server_emit_event (self, owned)->json);
}

static void
emit (TertuliaServer *self,
      TertuliaFrame  *event)
{
  g_free (emit_dup (self, event));
}


/* Joining */

static Ban *
find_ban (TertuliaServer      *self,
          Session             *session,
          const TertuliaFrame *hello)
{
  g_autofree char *key = NULL;

  if (self->bans == NULL || self->bans->len == 0)
    return NULL;

  if (hello->has_resume && hello->resume_token != NULL)
    key = _tertulia_token_key (hello->resume_token);

  for (guint i = 0; i < self->bans->len; i++)
    {
      Ban *ban = g_ptr_array_index (self->bans, i);

      if (key != NULL && g_strcmp0 (ban->token_key, key) == 0)
        return ban;
      if (session->address != NULL && ban->address != NULL &&
          g_str_equal (ban->address, session->address->name))
        return ban;
    }

  return NULL;
}

gboolean
_tertulia_server_refuse_hello (TertuliaServer      *self,
                               Session             *session,
                               const TertuliaFrame *hello)
{
  g_autofree char *key = NULL;

  /* The host's own app always gets in: it is the room */
  if (_tertulia_secret_equal (self->host_key, hello->host_key))
    return FALSE;

  /* Someone present (or within its grace) coming back: a lock does not
   * keep it out, and a banned one is no longer present.
   */
  if (hello->has_resume && hello->resume_token != NULL)
    {
      key = _tertulia_token_key (hello->resume_token);
      if (g_hash_table_lookup (self->by_token, key) != NULL)
        return FALSE;
    }

  if (find_ban (self, session, hello) != NULL)
    {
      g_debug ("%s: banned", session->peer);
      _tertulia_session_refuse (session, TERTULIA_ERROR_BANNED,
                                "You are banned from this room.", "Banned");
      return TRUE;
    }

  if (self->locked)
    {
      g_debug ("%s: the room is locked", session->peer);
      _tertulia_session_refuse (session, TERTULIA_ERROR_ROOM_LOCKED,
                                "The room is locked: nobody new can join.", "Room locked");
      return TRUE;
    }

  return FALSE;
}

void
_tertulia_server_moderation_admitted (TertuliaServer      *self,
                                      Session             *session,
                                      const TertuliaFrame *hello,
                                      gboolean             resumed)
{
  Participant *participant = session->participant;

  session->last_private = hello->last_private;

  if (session->address != NULL)
    {
      g_free (participant->address);
      participant->address = g_strdup (session->address->name);
    }
}

void
_tertulia_server_moderation_joining (TertuliaServer      *self,
                                     Participant         *participant,
                                     const TertuliaFrame *hello)
{
  g_autofree char *old_key = NULL;

  if (participant->host)
    participant->role = TERTULIA_ROLE_HOST;

  /* Back after its grace as someone new, with the token it had: muted it
   * was, muted it stays (and its join says so).
   */
  if (self->muted_keys == NULL || !hello->has_resume || hello->resume_token == NULL)
    return;

  old_key = _tertulia_token_key (hello->resume_token);
  if (g_hash_table_remove (self->muted_keys, old_key))
    {
      participant->muted = TRUE;
      g_hash_table_add (self->muted_keys, g_strdup (participant->token_key));
    }
}

void
_tertulia_server_moderation_fill_welcome (TertuliaServer *self,
                                          Session        *session,
                                          TertuliaFrame  *welcome,
                                          gboolean        resumed)
{
  Participant *participant = session->participant;

  welcome->locked = self->locked;
  welcome->seconds = self->slow_seconds;
  welcome->allow = self->private_messages;

  if (!resumed)
    return;

  /* What it missed; it has those up to last_private */
  for (GList *l = participant->privates.head; l != NULL; l = l->next)
    {
      KeptPrivate *kept = l->data;
      g_autoptr(GError) error = NULL;
      TertuliaFrame *private;

      if (kept->id <= session->last_private)
        continue;

      private = tertulia_protocol_parse_server_frame (kept->json, -1, &error);
      g_assert_no_error (error);
      g_ptr_array_add (welcome->privates, private);
    }
}


/* Posting */

gboolean
_tertulia_server_session_refuse_muted (TertuliaServer *self,
                                       Session        *session,
                                       const char     *cid)
{
  if (session->participant == NULL || !session->participant->muted)
    return FALSE;

  _tertulia_session_send_error (session, TERTULIA_ERROR_MUTED,
                                "You are muted: you can read, but not post.", cid);
  return TRUE;
}

gboolean
_tertulia_server_moderation_may_say (TertuliaServer *self,
                                     Session        *session,
                                     const char     *cid)
{
  Participant *participant = session->participant;
  gint64 now = g_get_monotonic_time ();

  if (_tertulia_server_session_refuse_muted (self, session, cid))
    return FALSE;

  /* Slow mode is for guests; the host and co-hosts keep the room going */
  if (self->slow_seconds > 0 && !_tertulia_server_participant_moderates (participant) &&
      participant->last_say != 0)
    {
      gint64 wait_usec = participant->last_say + (gint64) self->slow_seconds * G_USEC_PER_SEC - now;

      if (wait_usec > 0)
        {
          g_autofree char *json = NULL;
          g_autofree char *sentence = g_strdup_printf ("Slow mode: one message every %u seconds.",
                                                       self->slow_seconds);

          json = tertulia_protocol_serialize_error_retry (TERTULIA_ERROR_SLOW_MODE, sentence, cid,
                                                          (wait_usec + 999) / 1000);
          _tertulia_session_send (session, json);
          return FALSE;
        }
    }

  participant->last_say = now;
  return TRUE;
}


/* Kicks and bans */

static void
remove_participant (TertuliaServer *self,
                    Participant    *target,
                    TertuliaFrame  *event,
                    const char     *code,
                    const char     *reason)
{
  Session *session = target->session;
  g_autofree char *json = emit_dup (self, event);

  /* The room gets the leave after the event. The token goes with the
   * participant, so it resumes nothing; the connection, no longer a
   * participant's, gets no more of the room's events: only this one,
   * then the error and the close.
   */
  _tertulia_server_participant_leave (self, target);

  if (session != NULL)
    _tertulia_session_send (session, json);
  if (session != NULL)
    _tertulia_session_refuse (session, code,
                              reason != NULL ? reason : (g_str_equal (code, TERTULIA_ERROR_BANNED)
                                                         ? "You are banned from this room."
                                                         : "You were removed from the room."),
                              g_str_equal (code, TERTULIA_ERROR_BANNED) ? "Banned" : "Kicked");
}

static void
handle_kick (TertuliaServer      *self,
             Session             *session,
             const TertuliaFrame *frame)
{
  Participant *target = target_of (self, session, frame->target.id);
  TertuliaFrame *event;

  if (target == NULL)
    return;

  g_debug ("participant %" G_GINT64_FORMAT " kicked %" G_GINT64_FORMAT,
           session->participant->id, target->id);

  event = moderation_new (TERTULIA_MODERATION_KICK, session->participant, target);
  event->reason = g_strdup (frame->reason);
  remove_participant (self, target, event, TERTULIA_ERROR_KICKED, frame->reason);
}

static void
handle_ban (TertuliaServer      *self,
            Session             *session,
            const TertuliaFrame *frame)
{
  Participant *target = target_of (self, session, frame->target.id);
  TertuliaFrame *event;
  Ban *ban;

  if (target == NULL)
    return;

  ban = g_new0 (Ban, 1);
  ban->id = ++self->next_ban_id;
  ban->participant_id = target->id;
  ban->nick = g_strdup (target->nick);
  ban->address = g_strdup (target->address);
  ban->token_key = g_strdup (target->token_key);
  ban->by = g_strdup (session->participant->nick);
  ban->reason = g_strdup (frame->reason);
  ban->time = now_msec ();
  if (self->bans == NULL)
    self->bans = g_ptr_array_new_with_free_func ((GDestroyNotify) ban_free);
  g_ptr_array_add (self->bans, ban);

  g_debug ("participant %" G_GINT64_FORMAT " banned %" G_GINT64_FORMAT " (%s)",
           session->participant->id, target->id, ban->address != NULL ? ban->address : "no address");

  event = moderation_new (TERTULIA_MODERATION_BAN, session->participant, target);
  event->reason = g_strdup (frame->reason);
  remove_participant (self, target, event, TERTULIA_ERROR_BANNED, frame->reason);
  /* Others present from that address stay (a classroom behind one NAT):
   * the address keeps out new joins only.
   */
}

static void
handle_unban (TertuliaServer      *self,
              Session             *session,
              const TertuliaFrame *frame)
{
  TertuliaFrame *event;

  if (!_tertulia_server_participant_moderates (session->participant))
    {
      refuse_not_allowed (session, "Only the host or a co-host can do that.");
      return;
    }

  for (guint i = 0; self->bans != NULL && i < self->bans->len; i++)
    {
      Ban *ban = g_ptr_array_index (self->bans, i);

      if (ban->id != frame->ban_id)
        continue;

      event = moderation_new (TERTULIA_MODERATION_UNBAN, session->participant, NULL);
      event->has_target = TRUE;
      event->target.id = ban->participant_id;
      event->target.nick = g_strdup (ban->nick);
      g_ptr_array_remove_index (self->bans, i);
      emit (self, event);
      return;
    }

  _tertulia_session_send_error (session, TERTULIA_ERROR_PARTICIPANT_NOT_FOUND,
                                "There is no ban with that id.", NULL);
}

static void
handle_bans (TertuliaServer *self,
             Session        *session)
{
  g_autoptr(TertuliaFrame) answer = NULL;
  g_autofree char *json = NULL;

  if (!_tertulia_server_participant_moderates (session->participant))
    {
      refuse_not_allowed (session, "Only the host or a co-host can see the bans.");
      return;
    }

  answer = tertulia_frame_new (TERTULIA_FRAME_BANS);
  for (guint i = 0; self->bans != NULL && i < self->bans->len; i++)
    {
      Ban *ban = g_ptr_array_index (self->bans, i);
      TertuliaBan *listed = tertulia_ban_new ();

      listed->id = ban->id;
      listed->nick = g_strdup (ban->nick);
      listed->address = g_strdup (ban->address);
      listed->by = g_strdup (ban->by);
      listed->reason = g_strdup (ban->reason);
      listed->time = ban->time;
      g_ptr_array_add (answer->bans, listed);
    }

  json = tertulia_protocol_serialize (answer);
  _tertulia_session_send (session, json);
}


/* Mutes and roles */

static void
handle_mute (TertuliaServer      *self,
             Session             *session,
             const TertuliaFrame *frame)
{
  gboolean muted = frame->type == TERTULIA_FRAME_MUTE;
  Participant *target = target_of (self, session, frame->target.id);

  if (target == NULL || target->muted == muted)
    return;

  target->muted = muted;
  _tertulia_participant_update_json (target);

  /* Kept under its token too, for a return after its grace */
  if (muted)
    {
      if (self->muted_keys == NULL)
        self->muted_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_add (self->muted_keys, g_strdup (target->token_key));
    }
  else if (self->muted_keys != NULL)
    {
      g_hash_table_remove (self->muted_keys, target->token_key);
    }

  emit (self, moderation_new (muted ? TERTULIA_MODERATION_MUTE : TERTULIA_MODERATION_UNMUTE,
                              session->participant, target));
}

static void
handle_op (TertuliaServer      *self,
           Session             *session,
           const TertuliaFrame *frame)
{
  Participant *target;
  TertuliaRole role = frame->cohost ? TERTULIA_ROLE_COHOST : TERTULIA_ROLE_GUEST;

  if (session->participant == NULL || participant_role (session->participant) != TERTULIA_ROLE_HOST)
    {
      refuse_not_allowed (session, "Only the host can make or unmake co-hosts.");
      return;
    }

  target = target_of (self, session, frame->target.id);
  if (target == NULL || target->role == role)
    return;

  target->role = role;
  _tertulia_participant_update_json (target);
  emit (self, moderation_new (frame->cohost ? TERTULIA_MODERATION_OP : TERTULIA_MODERATION_DEOP,
                              session->participant, target));
}


/* The room's settings */

static gboolean
refuse_guest (Session *session)
{
  if (_tertulia_server_participant_moderates (session->participant))
    return FALSE;

  refuse_not_allowed (session, "Only the host or a co-host can do that.");
  return TRUE;
}

static void
handle_slow (TertuliaServer      *self,
             Session             *session,
             const TertuliaFrame *frame)
{
  TertuliaFrame *event;

  if (refuse_guest (session) || self->slow_seconds == (guint) frame->seconds)
    return;

  self->slow_seconds = (guint) frame->seconds;
  event = moderation_new (TERTULIA_MODERATION_SLOW, session->participant, NULL);
  event->seconds = frame->seconds;
  emit (self, event);
}

static void
handle_lock (TertuliaServer      *self,
             Session             *session,
             const TertuliaFrame *frame)
{
  if (refuse_guest (session) || self->locked == !!frame->locked)
    return;

  self->locked = !!frame->locked;
  emit (self, moderation_new (self->locked ? TERTULIA_MODERATION_LOCK : TERTULIA_MODERATION_UNLOCK,
                              session->participant, NULL));
}

static void
handle_private_messages (TertuliaServer      *self,
                         Session             *session,
                         const TertuliaFrame *frame)
{
  TertuliaFrame *event;

  if (participant_role (session->participant) != TERTULIA_ROLE_HOST)
    {
      refuse_not_allowed (session, "Only the host can choose who may send private messages.");
      return;
    }

  if (self->private_messages == frame->allow)
    return;

  self->private_messages = frame->allow;
  event = moderation_new (TERTULIA_MODERATION_PRIVATE_MESSAGES, session->participant, NULL);
  event->allow = frame->allow;
  emit (self, event);
}


/* Private messages */

static void
keep_private (Participant *participant,
              gint64       id,
              gint64       from_id,
              const char  *cid,
              const char  *json)
{
  KeptPrivate *kept = g_new0 (KeptPrivate, 1);

  kept->id = id;
  kept->from_id = from_id;
  kept->cid = g_strdup (cid);
  kept->json = g_strdup (json);
  g_queue_push_tail (&participant->privates, kept);

  while (participant->privates.length > TERTULIA_MAX_PRIVATE_KEPT)
    kept_private_free (g_queue_pop_head (&participant->privates));
}

/* A resend (its echo lost in a drop) of one it sent: the same frame again */
static const KeptPrivate *
find_sent (Participant *participant,
           const char  *cid)
{
  if (cid == NULL)
    return NULL;

  for (GList *l = participant->privates.tail; l != NULL; l = l->prev)
    {
      KeptPrivate *kept = l->data;

      if (kept->from_id == participant->id && g_strcmp0 (kept->cid, cid) == 0)
        return kept;
    }

  return NULL;
}

static void
handle_msg (TertuliaServer      *self,
            Session             *session,
            const TertuliaFrame *frame)
{
  g_autoptr(TertuliaFrame) private = NULL;
  g_autofree char *json = NULL;
  Participant *sender = session->participant;
  Participant *recipient;
  const KeptPrivate *sent;

  if ((sent = find_sent (sender, frame->cid)) != NULL)
    {
      _tertulia_session_send (session, sent->json);
      return;
    }

  if (_tertulia_server_session_refuse_muted (self, session, frame->cid))
    return;

  if (frame->target.id == sender->id)
    {
      _tertulia_session_send_error (session, TERTULIA_ERROR_PRIVATE_TO_SELF,
                                    "You cannot send a private message to yourself.", frame->cid);
      return;
    }

  recipient = _tertulia_server_find_participant (self, frame->target.id);
  if (recipient == NULL)
    {
      _tertulia_session_send_error (session, TERTULIA_ERROR_PARTICIPANT_NOT_FOUND,
                                    "Nobody in the room has that id.", frame->cid);
      return;
    }

  if (self->private_messages == TERTULIA_PRIVATE_MESSAGES_OFF ||
      (self->private_messages == TERTULIA_PRIVATE_MESSAGES_HOSTS &&
       !_tertulia_server_participant_moderates (sender) &&
       !_tertulia_server_participant_moderates (recipient)))
    {
      _tertulia_session_send_error (session, TERTULIA_ERROR_PRIVATE_MESSAGES_OFF,
                                    self->private_messages == TERTULIA_PRIVATE_MESSAGES_OFF
                                    ? "Private messages are turned off in this room."
                                    : "Private messages are allowed only with the host and co-hosts.",
                                    frame->cid);
      return;
    }

  private = tertulia_frame_new (TERTULIA_FRAME_PRIVATE);
  private->private_id = ++self->next_private_id;
  private->time = now_msec ();
  private->peer.id = sender->id;
  private->peer.nick = g_strdup (sender->nick);
  private->target.id = recipient->id;
  private->target.nick = g_strdup (recipient->nick);
  private->has_target = TRUE;
  private->text = g_strdup (frame->text);
  private->cid = g_strdup (frame->cid);
  json = tertulia_protocol_serialize (private);

  /* Never an event: no seq, no ring, no journal */
  keep_private (sender, private->private_id, sender->id, frame->cid, json);
  keep_private (recipient, private->private_id, sender->id, frame->cid, json);

  _tertulia_session_send (session, json);
  if (recipient->session != NULL)
    _tertulia_session_send (recipient->session, json);
}


void
_tertulia_server_handle_moderation (TertuliaServer      *self,
                                    Session             *session,
                                    const TertuliaFrame *frame)
{
  switch ((int) frame->type)
    {
    case TERTULIA_FRAME_KICK:
      handle_kick (self, session, frame);
      break;

    case TERTULIA_FRAME_BAN:
      handle_ban (self, session, frame);
      break;

    case TERTULIA_FRAME_UNBAN:
      handle_unban (self, session, frame);
      break;

    case TERTULIA_FRAME_FETCH_BANS:
      handle_bans (self, session);
      break;

    case TERTULIA_FRAME_MUTE:
    case TERTULIA_FRAME_UNMUTE:
      handle_mute (self, session, frame);
      break;

    case TERTULIA_FRAME_SLOW:
      handle_slow (self, session, frame);
      break;

    case TERTULIA_FRAME_LOCK:
      handle_lock (self, session, frame);
      break;

    case TERTULIA_FRAME_OP:
      handle_op (self, session, frame);
      break;

    case TERTULIA_FRAME_SET_PRIVATE_MESSAGES:
      handle_private_messages (self, session, frame);
      break;

    case TERTULIA_FRAME_MSG:
      handle_msg (self, session, frame);
      break;

    default:
      g_assert_not_reached ();
    }
}

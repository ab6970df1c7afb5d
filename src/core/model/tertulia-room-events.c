/* tertulia-room-events.c — what each event does to a room, and what it says in the log
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-room"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tertulia-room.h"
#include "tertulia-room-private.h"
#include "tertulia-util-private.h"

/* @subject: whom a join, leave or rename is about, or NULL */
static void
add_event_notice (TertuliaRoom        *self,
                  const TertuliaFrame *event,
                  TertuliaNoticeKind   notice_kind,
                  const char          *subject,
                  const char          *text)
{
  g_autoptr(GDateTime) time = _tertulia_date_time_from_ms (event->time);
  g_autoptr(TertuliaMessage) notice = NULL;

  notice = tertulia_message_new_event_notice (notice_kind, MAX (event->seq, 0),
                                              subject, text, time);
  _tertulia_room_insert_message (self, notice);
}

/* issue 18: for the notices of moderation events */
void
_tertulia_room_add_event_notice (TertuliaRoom        *self,
                                 const TertuliaFrame *event,
                                 const char          *text)
{
  add_event_notice (self, event, TERTULIA_NOTICE_KIND_OTHER, NULL, text);
}

/* The echo of your own message: it now has its place in the server's order,
 * which is right before the messages still being sent.
 */
static gboolean
is_own_pending (TertuliaRoom        *self,
                const TertuliaFrame *event)
{
  TertuliaMessage *pending;

  if (event->cid == NULL || !_tertulia_room_is_own_author (self, event->peer.id))
    return FALSE;

  pending = g_hash_table_lookup (self->own_by_cid, event->cid);

  return pending != NULL && tertulia_message_get_state (pending) != TERTULIA_MESSAGE_STATE_DELIVERED;
}

static void
apply_message (TertuliaRoom        *self,
               const TertuliaFrame *event)
{
  g_autoptr(GDateTime) time = _tertulia_date_time_from_ms (event->time);
  g_autoptr(TertuliaMessage) message = NULL;
  gboolean own = _tertulia_room_is_own_author (self, event->peer.id);
  TertuliaMessageKind kind = event->kind;

  if (is_own_pending (self, event))
    {
      _tertulia_room_deliver_own_message (self, g_hash_table_lookup (self->own_by_cid, event->cid),
                                          event->seq, time);
      return;
    }

  /* A notice never comes from someone. */
  if (kind == TERTULIA_MESSAGE_KIND_NOTICE)
    kind = TERTULIA_MESSAGE_KIND_CHAT;

  message = g_object_new (TERTULIA_TYPE_MESSAGE,
                          "kind", kind,
                          "seq", MAX (event->seq, 0),
                          "cid", own ? event->cid : NULL,
                          "author-id", MAX (event->peer.id, 0),
                          "author", event->peer.nick,
                          "text", event->text,
                          "time", time,
                          "state", TERTULIA_MESSAGE_STATE_DELIVERED,
                          "is-own", own,
                          NULL);

  if (!own && self->you != NULL)
    tertulia_message_set_mentions_you (message,
                                       tertulia_text_mentions (event->text,
                                                               tertulia_participant_get_nickname (self->you)));

  _tertulia_room_insert_message (self, message);

  /* Your messages from an earlier session can be found by cid too. */
  if (own && event->cid != NULL && !g_hash_table_contains (self->own_by_cid, event->cid))
    g_hash_table_replace (self->own_by_cid,
                          (gpointer) tertulia_message_get_cid (message),
                          g_object_ref (message));
}

static void
apply_join (TertuliaRoom        *self,
            const TertuliaFrame *event,
            gboolean             replay)
{
  g_autofree char *text = NULL;

  /* A welcome's participant list is already the outcome of its history. */
  if (!replay && tertulia_room_find_participant (self, event->peer.id) == NULL)
    {
      g_autoptr(GDateTime) joined_at = _tertulia_date_time_from_ms (event->peer.joined_at);
      g_autoptr(TertuliaParticipant) participant = NULL;

      participant = tertulia_participant_new (MAX (event->peer.id, 0),
                                              event->peer.nick,
                                              joined_at,
                                              _tertulia_room_is_you (self, event->peer.id),
                                              event->peer.host);
      _tertulia_participant_apply_peer (participant, &event->peer); /* issue 18 */
      g_list_store_append (self->participants, participant);
    }

  /* Translators: a line in the chat log; %s is a nickname */
  text = g_strdup_printf (_("%s joined"), _tertulia_room_or_empty (event->peer.nick));
  add_event_notice (self, event, TERTULIA_NOTICE_KIND_JOIN,
                    _tertulia_room_or_empty (event->peer.nick), text);
}

static void
apply_leave (TertuliaRoom        *self,
             const TertuliaFrame *event,
             gboolean             replay)
{
  TertuliaParticipant *participant = tertulia_room_find_participant (self, event->peer.id);
  g_autofree char *text = NULL;
  const char *nick = event->peer.nick;

  if (nick == NULL && participant != NULL)
    nick = tertulia_participant_get_nickname (participant);

  /* Translators: a line in the chat log; %s is a nickname */
  text = g_strdup_printf (_("%s left"), _tertulia_room_or_empty (nick));

  if (!replay && participant != NULL)
    {
      guint position;

      if (_tertulia_room_find_position (self->participants, participant, &position))
        g_list_store_remove (self->participants, position);
    }

  add_event_notice (self, event, TERTULIA_NOTICE_KIND_LEAVE, _tertulia_room_or_empty (nick), text);
}

static void
apply_rename (TertuliaRoom        *self,
              const TertuliaFrame *event,
              gboolean             replay)
{
  TertuliaParticipant *participant = tertulia_room_find_participant (self, event->peer.id);
  g_autofree char *text = NULL;
  const char *old_nick = event->old_nick;

  if (old_nick == NULL && participant != NULL)
    old_nick = tertulia_participant_get_nickname (participant);

  if (_tertulia_room_is_you (self, event->peer.id))
    /* Translators: a line in the chat log; %s is your new nickname */
    text = g_strdup_printf (_("You are now known as %s"), _tertulia_room_or_empty (event->new_nick));
  else
    /* Translators: a line in the chat log; the first %s is someone's old
     * nickname, the second their new one
     */
    text = g_strdup_printf (_("%s is now known as %s"),
                            _tertulia_room_or_empty (old_nick), _tertulia_room_or_empty (event->new_nick));

  if (!replay && participant != NULL && event->new_nick != NULL)
    tertulia_participant_set_nickname (participant, event->new_nick);

  add_event_notice (self, event, TERTULIA_NOTICE_KIND_RENAME,
                    _tertulia_room_or_empty (event->new_nick), text);
}

static void
apply_topic (TertuliaRoom        *self,
             const TertuliaFrame *event,
             gboolean             replay)
{
  g_autofree char *text = NULL;

  if (event->topic == NULL || event->topic[0] == '\0')
    /* Translators: a line in the chat log; %s is a nickname */
    text = g_strdup_printf (_("%s cleared the topic"), _tertulia_room_or_empty (event->peer.nick));
  else
    /* Translators: a line in the chat log; the first %s is a nickname, the
     * second the room's new topic
     */
    text = g_strdup_printf (_("%s set the topic: %s"), _tertulia_room_or_empty (event->peer.nick), event->topic);

  if (!replay)
    _tertulia_room_set_topic (self, event->topic);

  add_event_notice (self, event, TERTULIA_NOTICE_KIND_OTHER, NULL, text);
}

gboolean
_tertulia_room_apply_event (TertuliaRoom        *self,
                            const TertuliaFrame *event,
                            gboolean             replay)
{
  switch (event->type)
    {
    case TERTULIA_FRAME_MESSAGE:
    case TERTULIA_FRAME_JOIN:
    case TERTULIA_FRAME_LEAVE:
    case TERTULIA_FRAME_RENAME:
    case TERTULIA_FRAME_TOPIC:
    case TERTULIA_FRAME_FILE:
    case TERTULIA_FRAME_FILE_REMOVED:
    case TERTULIA_FRAME_MODERATION: /* issue 18 */
      break;

    /* issue 18: not events */
    case TERTULIA_FRAME_KICK: case TERTULIA_FRAME_BAN: case TERTULIA_FRAME_UNBAN:
    case TERTULIA_FRAME_FETCH_BANS: case TERTULIA_FRAME_MUTE: case TERTULIA_FRAME_UNMUTE:
    case TERTULIA_FRAME_SLOW: case TERTULIA_FRAME_LOCK: case TERTULIA_FRAME_OP:
    case TERTULIA_FRAME_SET_PRIVATE_MESSAGES: case TERTULIA_FRAME_MSG:
    case TERTULIA_FRAME_BANS: case TERTULIA_FRAME_PRIVATE:
    case TERTULIA_FRAME_HELLO:
    case TERTULIA_FRAME_SAY:
    case TERTULIA_FRAME_NICK:
    case TERTULIA_FRAME_SET_TOPIC:
    case TERTULIA_FRAME_WELCOME:
    case TERTULIA_FRAME_ERROR:
    case TERTULIA_FRAME_FETCH_HISTORY:
    case TERTULIA_FRAME_HISTORY:
    default:
      g_debug ("Frame of type %d is not an event", event->type);
      return FALSE;
    }

  if (event->seq <= self->last_seq)
    {
      /* Your message, taken by the host before an echo that never came:
       * the host answers its resend with the event, which the log may
       * already be past.
       */
      if (event->type == TERTULIA_FRAME_MESSAGE && is_own_pending (self, event))
        {
          apply_message (self, event);
          return TRUE;
        }
      return FALSE;
    }

  switch (event->type)
    {
    case TERTULIA_FRAME_MESSAGE:
      apply_message (self, event);
      break;

    case TERTULIA_FRAME_JOIN:
      apply_join (self, event, replay);
      break;

    case TERTULIA_FRAME_LEAVE:
      apply_leave (self, event, replay);
      break;

    case TERTULIA_FRAME_RENAME:
      apply_rename (self, event, replay);
      break;

    case TERTULIA_FRAME_TOPIC:
      apply_topic (self, event, replay);
      break;

    case TERTULIA_FRAME_FILE:
      _tertulia_room_apply_file (self, event);
      break;

    case TERTULIA_FRAME_FILE_REMOVED:
      _tertulia_room_apply_file_removed (self, event);
      break;

    case TERTULIA_FRAME_MODERATION: /* issue 18 */
      _tertulia_room_apply_moderation (self, event, replay);
      break;

    case TERTULIA_FRAME_KICK: case TERTULIA_FRAME_BAN: case TERTULIA_FRAME_UNBAN:
    case TERTULIA_FRAME_FETCH_BANS: case TERTULIA_FRAME_MUTE: case TERTULIA_FRAME_UNMUTE:
    case TERTULIA_FRAME_SLOW: case TERTULIA_FRAME_LOCK: case TERTULIA_FRAME_OP:
    case TERTULIA_FRAME_SET_PRIVATE_MESSAGES: case TERTULIA_FRAME_MSG:
    case TERTULIA_FRAME_BANS: case TERTULIA_FRAME_PRIVATE:
    case TERTULIA_FRAME_HELLO:
    case TERTULIA_FRAME_SAY:
    case TERTULIA_FRAME_NICK:
    case TERTULIA_FRAME_SET_TOPIC:
    case TERTULIA_FRAME_WELCOME:
    case TERTULIA_FRAME_ERROR:
    case TERTULIA_FRAME_FETCH_HISTORY:
    case TERTULIA_FRAME_HISTORY:
    default:
      g_assert_not_reached ();
    }

  _tertulia_room_set_last_seq (self, event->seq);
  _tertulia_room_conversations_refresh (self); /* issue 18: joins, leaves, renames */

  return TRUE;
}

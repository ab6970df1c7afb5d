/* tertulia-room-moderation.c — what moderation does to a room (roles,
 * mutes, the room's settings, notices) and its private conversations
 * (issue 18)
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-room"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tertulia-protocol-moderation.h"
#include "tertulia-room.h"
#include "tertulia-room-private.h"
#include "tertulia-util-private.h"

/* Property ids after tertulia-room.c's own */
enum {
  PROP_LOCKED,
  PROP_SLOW_SECONDS,
  PROP_PRIVATE_MESSAGES,
  PROP_YOU_MODERATE,
  PROP_CONVERSATIONS,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];
static guint first_prop_id;

enum {
  PRIVATE_MESSAGE,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void
notify (TertuliaRoom *self,
        guint         prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties [prop]);
}

void
_tertulia_room_moderation_class_init (GObjectClass *object_class,
                                      guint         first_id)
{
  first_prop_id = first_id;

  properties [PROP_LOCKED] =
    g_param_spec_boolean ("locked", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_SLOW_SECONDS] =
    g_param_spec_uint ("slow-seconds", NULL, NULL,
                       0, TERTULIA_MAX_SLOW_SECONDS, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_PRIVATE_MESSAGES] =
    g_param_spec_enum ("private-messages", NULL, NULL,
                       TERTULIA_TYPE_PRIVATE_MESSAGES, TERTULIA_PRIVATE_MESSAGES_EVERYONE,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_YOU_MODERATE] =
    g_param_spec_boolean ("you-moderate", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_CONVERSATIONS] =
    g_param_spec_object ("conversations", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  for (guint i = 0; i < N_PROPS; i++)
    g_object_class_install_property (object_class, first_prop_id + i, properties [i]);

  signals [PRIVATE_MESSAGE] =
    g_signal_new ("private-message",
                  G_TYPE_FROM_CLASS (object_class),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  TERTULIA_TYPE_CONVERSATION, TERTULIA_TYPE_MESSAGE);
}

void
_tertulia_room_moderation_init (TertuliaRoom *self)
{
  self->conversations = g_list_store_new (TERTULIA_TYPE_CONVERSATION);
  self->private_ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->own_private_by_cid = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  self->private_messages = TERTULIA_PRIVATE_MESSAGES_EVERYONE;
}

void
_tertulia_room_moderation_finalize (TertuliaRoom *self)
{
  g_clear_object (&self->conversations);
  g_clear_pointer (&self->private_ids, g_hash_table_unref);
  g_clear_pointer (&self->own_private_by_cid, g_hash_table_unref);
}

gboolean
_tertulia_room_moderation_get_property (TertuliaRoom *self,
                                        guint         prop_id,
                                        GValue       *value)
{
  if (prop_id < first_prop_id || prop_id >= first_prop_id + N_PROPS)
    return FALSE;

  switch (prop_id - first_prop_id)
    {
    case PROP_LOCKED:
      g_value_set_boolean (value, self->locked);
      break;

    case PROP_SLOW_SECONDS:
      g_value_set_uint (value, self->slow_seconds);
      break;

    case PROP_PRIVATE_MESSAGES:
      g_value_set_enum (value, self->private_messages);
      break;

    case PROP_YOU_MODERATE:
      g_value_set_boolean (value, self->you_moderate);
      break;

    case PROP_CONVERSATIONS:
      g_value_set_object (value, self->conversations);
      break;

    default:
      return FALSE;
    }

  return TRUE;
}


/* Settings */

static void
set_locked (TertuliaRoom *self,
            gboolean      locked)
{
  locked = !!locked;
  if (self->locked != locked)
    {
      self->locked = locked;
      notify (self, PROP_LOCKED);
    }
}

static void
set_slow_seconds (TertuliaRoom *self,
                  gint64        seconds)
{
  guint clamped = (guint) CLAMP (seconds, 0, TERTULIA_MAX_SLOW_SECONDS);

  if (self->slow_seconds != clamped)
    {
      self->slow_seconds = clamped;
      notify (self, PROP_SLOW_SECONDS);
    }
}

static void
set_private_messages (TertuliaRoom            *self,
                      TertuliaPrivateMessages  allow)
{
  if (self->private_messages != allow)
    {
      self->private_messages = allow;
      notify (self, PROP_PRIVATE_MESSAGES);
    }
}

static void
update_you_moderate (TertuliaRoom *self)
{
  gboolean moderate = self->you != NULL && tertulia_participant_get_moderates (self->you);

  if (self->you_moderate != moderate)
    {
      self->you_moderate = moderate;
      notify (self, PROP_YOU_MODERATE);
    }
}

void
_tertulia_participant_apply_peer (TertuliaParticipant *participant,
                                  const TertuliaPeer  *peer)
{
  tertulia_participant_set_role (participant, peer->host ? TERTULIA_ROLE_HOST : peer->role);
  tertulia_participant_set_muted (participant, peer->muted);
}

gboolean
tertulia_room_get_locked (TertuliaRoom *self)
{
  g_return_val_if_fail (TERTULIA_IS_ROOM (self), FALSE);

  return self->locked;
}

guint
tertulia_room_get_slow_seconds (TertuliaRoom *self)
{
  g_return_val_if_fail (TERTULIA_IS_ROOM (self), 0);

  return self->slow_seconds;
}

TertuliaPrivateMessages
tertulia_room_get_private_messages (TertuliaRoom *self)
{
  g_return_val_if_fail (TERTULIA_IS_ROOM (self), TERTULIA_PRIVATE_MESSAGES_EVERYONE);

  return self->private_messages;
}

gboolean
tertulia_room_get_you_moderate (TertuliaRoom *self)
{
  g_return_val_if_fail (TERTULIA_IS_ROOM (self), FALSE);

  return self->you_moderate;
}

GListModel *
tertulia_room_get_conversations (TertuliaRoom *self)
{
  g_return_val_if_fail (TERTULIA_IS_ROOM (self), NULL);

  return G_LIST_MODEL (self->conversations);
}


/* Moderation events */

/* The sentence for the room (kicks, bans), for the person it happened to
 * (@about_you), or for the moderators; NULL when nobody else needs one.
 */
static char *
describe (const TertuliaFrame *event,
          gboolean             about_you,
          gboolean             you_moderate)
{
  const char *by = _tertulia_room_or_empty (event->peer.nick);
  const char *target = _tertulia_room_or_empty (event->target.nick);

  switch (event->action)
    {
    case TERTULIA_MODERATION_KICK:
      if (event->reason != NULL)
        /* Translators: a line in the chat log: ana removed bob from the room, with a reason */
        return g_strdup_printf (_("%s removed %s from the room: %s"), by, target, event->reason);
      /* Translators: a line in the chat log: ana removed bob from the room */
      return g_strdup_printf (_("%s removed %s from the room"), by, target);

    case TERTULIA_MODERATION_BAN:
      if (event->reason != NULL)
        /* Translators: a line in the chat log: ana banned bob, with a reason */
        return g_strdup_printf (_("%s banned %s: %s"), by, target, event->reason);
      /* Translators: a line in the chat log: ana banned bob */
      return g_strdup_printf (_("%s banned %s"), by, target);

    case TERTULIA_MODERATION_UNBAN:
      /* Translators: a line in the chat log: ana lifted bob's ban */
      return you_moderate ? g_strdup_printf (_("%s lifted the ban on %s"), by, target) : NULL;

    case TERTULIA_MODERATION_MUTE:
      if (about_you)
        /* Translators: %s is the moderator's nickname */
        return g_strdup_printf (_("You were muted by %s"), by);
      /* Translators: a line in the chat log: ana muted bob */
      return you_moderate ? g_strdup_printf (_("%s muted %s"), by, target) : NULL;

    case TERTULIA_MODERATION_UNMUTE:
      if (about_you)
        /* Translators: %s is the moderator's nickname */
        return g_strdup_printf (_("You were unmuted by %s"), by);
      /* Translators: a line in the chat log: ana unmuted bob */
      return you_moderate ? g_strdup_printf (_("%s unmuted %s"), by, target) : NULL;

    case TERTULIA_MODERATION_OP:
      if (about_you)
        /* Translators: %s is the host's nickname */
        return g_strdup_printf (_("%s made you a co-host"), by);
      /* Translators: a line in the chat log: ana made bob a co-host */
      return g_strdup_printf (_("%s made %s a co-host"), by, target);

    case TERTULIA_MODERATION_DEOP:
      if (about_you)
        /* Translators: %s is the host's nickname */
        return g_strdup_printf (_("%s made you a guest again"), by);
      /* Translators: a line in the chat log: ana made bob a guest again (no longer co-host) */
      return g_strdup_printf (_("%s made %s a guest again"), by, target);

    /* Everyone is concerned by these */
    case TERTULIA_MODERATION_SLOW:
      if (event->seconds <= 0)
        /* Translators: a line in the chat log; %s is a nickname */
        return g_strdup_printf (_("%s turned slow mode off"), by);
      /* Translators: a line in the chat log; %s is a nickname */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%s turned slow mode on: one message every %d second",
                                           "%s turned slow mode on: one message every %d seconds",
                                           (gulong) event->seconds),
                              by, (int) event->seconds);

    case TERTULIA_MODERATION_LOCK:
      /* Translators: a line in the chat log; %s is a nickname */
      return g_strdup_printf (_("%s locked the room: nobody new can join"), by);

    case TERTULIA_MODERATION_UNLOCK:
      /* Translators: a line in the chat log; %s is a nickname */
      return g_strdup_printf (_("%s unlocked the room"), by);

    case TERTULIA_MODERATION_PRIVATE_MESSAGES:
      switch (event->allow)
        {
        case TERTULIA_PRIVATE_MESSAGES_HOSTS:
          /* Translators: a line in the chat log; %s is a nickname */
          return g_strdup_printf (_("%s allowed private messages only with the hosts"), by);
        case TERTULIA_PRIVATE_MESSAGES_OFF:
          /* Translators: a line in the chat log; %s is a nickname */
          return g_strdup_printf (_("%s turned private messages off"), by);
        case TERTULIA_PRIVATE_MESSAGES_EVERYONE:
        default:
          /* Translators: a line in the chat log; %s is a nickname */
          return g_strdup_printf (_("%s allowed private messages"), by);
        }

    default:
      return NULL;
    }
}

void
_tertulia_room_apply_moderation (TertuliaRoom        *self,
                                 const TertuliaFrame *event,
                                 gboolean             replay)
{
  TertuliaParticipant *target = NULL;
  g_autofree char *text = NULL;
  gboolean about_you;

  about_you = event->has_target && _tertulia_room_is_you (self, event->target.id);

  /* A welcome's participants and room are already the outcome of its
   * history; older history (scrollback) is the past.
   */
  if (!replay && !self->prepending)
    {
      if (event->has_target)
        target = tertulia_room_find_participant (self, event->target.id);

      switch (event->action)
        {
        case TERTULIA_MODERATION_MUTE:
        case TERTULIA_MODERATION_UNMUTE:
          if (target != NULL)
            tertulia_participant_set_muted (target, event->action == TERTULIA_MODERATION_MUTE);
          break;

        case TERTULIA_MODERATION_OP:
        case TERTULIA_MODERATION_DEOP:
          if (target != NULL && tertulia_participant_get_role (target) != TERTULIA_ROLE_HOST)
            tertulia_participant_set_role (target, event->action == TERTULIA_MODERATION_OP
                                                   ? TERTULIA_ROLE_COHOST : TERTULIA_ROLE_GUEST);
          update_you_moderate (self);
          break;

        case TERTULIA_MODERATION_SLOW:
          set_slow_seconds (self, event->seconds);
          break;

        case TERTULIA_MODERATION_LOCK:
        case TERTULIA_MODERATION_UNLOCK:
          set_locked (self, event->action == TERTULIA_MODERATION_LOCK);
          break;

        case TERTULIA_MODERATION_PRIVATE_MESSAGES:
          set_private_messages (self, event->allow);
          break;

        /* The leave that follows takes them out of the list */
        case TERTULIA_MODERATION_KICK:
        case TERTULIA_MODERATION_BAN:
        case TERTULIA_MODERATION_UNBAN:
        default:
          break;
        }
    }

  text = describe (event, about_you, self->you_moderate);
  if (text != NULL)
    _tertulia_room_add_event_notice (self, event, text);
}

void
_tertulia_room_apply_welcome_moderation (TertuliaRoom        *self,
                                         const TertuliaFrame *welcome,
                                         gboolean             new_room)
{
  /* Another room: conversations were with other people */
  if (new_room)
    {
      g_list_store_remove_all (self->conversations);
      g_hash_table_remove_all (self->private_ids);
      self->last_private_id = 0;
    }

  set_locked (self, welcome->locked);
  set_slow_seconds (self, welcome->seconds);
  set_private_messages (self, welcome->allow);
  update_you_moderate (self);

  for (guint i = 0; welcome->privates != NULL && i < welcome->privates->len; i++)
    tertulia_room_apply_private (self, g_ptr_array_index (welcome->privates, i));

  _tertulia_room_conversations_refresh (self);
}


/* Private conversations */

void
_tertulia_room_conversations_refresh (TertuliaRoom *self)
{
  GListModel *model = G_LIST_MODEL (self->conversations);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(TertuliaConversation) conversation = g_list_model_get_item (model, i);
      TertuliaParticipant *participant;

      participant = tertulia_room_find_participant (self, tertulia_conversation_get_peer_id (conversation));
      _tertulia_conversation_set_present (conversation, participant != NULL);
      if (participant != NULL)
        _tertulia_conversation_set_nick (conversation, tertulia_participant_get_nickname (participant));
    }
}

TertuliaConversation *
tertulia_room_find_conversation (TertuliaRoom *self,
                                 gint64        peer_id)
{
  GListModel *model;

  g_return_val_if_fail (TERTULIA_IS_ROOM (self), NULL);

  model = G_LIST_MODEL (self->conversations);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(TertuliaConversation) conversation = g_list_model_get_item (model, i);

      /* The store keeps it alive after this unref */
      if (tertulia_conversation_get_peer_id (conversation) == peer_id)
        return conversation;
    }

  return NULL;
}

static TertuliaConversation *
ensure_conversation (TertuliaRoom *self,
                     gint64        peer_id,
                     const char   *nick)
{
  TertuliaConversation *conversation = tertulia_room_find_conversation (self, peer_id);
  g_autoptr(TertuliaConversation) made = NULL;

  if (conversation != NULL)
    return conversation;

  made = _tertulia_conversation_new (peer_id, nick,
                                     tertulia_room_find_participant (self, peer_id) != NULL);
  g_list_store_insert (self->conversations, 0, made);

  return made;
}

/* Newest activity first */
static void
move_to_front (TertuliaRoom         *self,
               TertuliaConversation *conversation)
{
  g_autoptr(TertuliaConversation) hold = g_object_ref (conversation);
  guint position;

  if (!g_list_store_find (self->conversations, conversation, &position) || position == 0)
    return;

  g_list_store_remove (self->conversations, position);
  g_list_store_insert (self->conversations, 0, conversation);
}

TertuliaConversation *
tertulia_room_open_conversation (TertuliaRoom *self,
                                 gint64        peer_id)
{
  TertuliaParticipant *participant;

  g_return_val_if_fail (TERTULIA_IS_ROOM (self), NULL);

  if (tertulia_room_find_conversation (self, peer_id) != NULL)
    return tertulia_room_find_conversation (self, peer_id);

  participant = tertulia_room_find_participant (self, peer_id);
  if (participant == NULL || _tertulia_room_is_you (self, peer_id))
    return NULL;

  return ensure_conversation (self, peer_id, tertulia_participant_get_nickname (participant));
}

gboolean
tertulia_room_apply_private (TertuliaRoom        *self,
                             const TertuliaFrame *private)
{
  g_autoptr(GDateTime) time = NULL;
  g_autoptr(TertuliaMessage) message = NULL;
  TertuliaConversation *conversation;
  const TertuliaPeer *other;
  gint64 *key;
  gboolean own;

  g_return_val_if_fail (TERTULIA_IS_ROOM (self), FALSE);
  g_return_val_if_fail (private != NULL && private->type == TERTULIA_FRAME_PRIVATE, FALSE);

  if (g_hash_table_contains (self->private_ids, &private->private_id))
    return FALSE;

  key = g_new (gint64, 1);
  *key = private->private_id;
  g_hash_table_add (self->private_ids, key);
  self->last_private_id = MAX (self->last_private_id, private->private_id);

  own = _tertulia_room_is_own_author (self, private->peer.id);
  other = own ? &private->target : &private->peer;
  conversation = ensure_conversation (self, other->id, other->nick);
  time = _tertulia_date_time_from_ms (private->time);

  if (own && private->cid != NULL)
    {
      TertuliaMessage *pending = g_hash_table_lookup (self->own_private_by_cid, private->cid);

      if (pending != NULL)
        {
          tertulia_message_mark_delivered (pending, 0, time);
          g_hash_table_remove (self->own_private_by_cid, private->cid);
          move_to_front (self, conversation);
          return TRUE;
        }
    }

  message = g_object_new (TERTULIA_TYPE_MESSAGE,
                          "kind", TERTULIA_MESSAGE_KIND_CHAT,
                          "cid", own ? private->cid : NULL,
                          "author-id", MAX (private->peer.id, 0),
                          "author", private->peer.nick,
                          "text", private->text,
                          "time", time,
                          "state", TERTULIA_MESSAGE_STATE_DELIVERED,
                          "is-own", own,
                          NULL);
  _tertulia_conversation_add_message (conversation, message, !own);
  move_to_front (self, conversation);

  if (!own)
    g_signal_emit (self, signals [PRIVATE_MESSAGE], 0, conversation, message);

  return TRUE;
}

TertuliaMessage *
tertulia_room_add_own_private (TertuliaRoom *self,
                               gint64        peer_id,
                               const char   *cid,
                               const char   *text)
{
  g_autoptr(TertuliaMessage) message = NULL;
  TertuliaConversation *conversation;

  g_return_val_if_fail (TERTULIA_IS_ROOM (self), NULL);
  g_return_val_if_fail (cid != NULL && text != NULL, NULL);

  conversation = tertulia_room_open_conversation (self, peer_id);
  if (conversation == NULL || self->you == NULL)
    return NULL;

  message = tertulia_message_new_own (TERTULIA_MESSAGE_KIND_CHAT, cid,
                                      tertulia_participant_get_id (self->you),
                                      _tertulia_room_or_empty (tertulia_participant_get_nickname (self->you)),
                                      text);
  _tertulia_conversation_add_message (conversation, message, FALSE);
  move_to_front (self, conversation);
  g_hash_table_replace (self->own_private_by_cid,
                        (gpointer) tertulia_message_get_cid (message),
                        g_object_ref (message));

  return message;
}

TertuliaMessage *
tertulia_room_find_own_private (TertuliaRoom *self,
                                const char   *cid)
{
  g_return_val_if_fail (TERTULIA_IS_ROOM (self), NULL);

  if (cid == NULL)
    return NULL;

  return g_hash_table_lookup (self->own_private_by_cid, cid);
}

gint64
tertulia_room_get_last_private_id (TertuliaRoom *self)
{
  g_return_val_if_fail (TERTULIA_IS_ROOM (self), 0);

  return self->last_private_id;
}

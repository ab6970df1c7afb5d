/* tertulia-protocol-moderation.c — moderation and private messages on the
 * wire: their frames read and written, roles, room settings, bans (issue 18)
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-protocol"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tertulia-protocol-moderation.h"
#include "tertulia-protocol-private.h"

/* As in tertulia-protocol-parse.c, the GError messages set here go on the
 * wire in English; tertulia_protocol_describe_error() translates codes.
 */

G_DEFINE_BOXED_TYPE (TertuliaBan, tertulia_ban, tertulia_ban_copy, tertulia_ban_free)

TertuliaBan *
tertulia_ban_new (void)
{
  return g_new0 (TertuliaBan, 1);
}

TertuliaBan *
tertulia_ban_copy (const TertuliaBan *ban)
{
  TertuliaBan *copy;

  g_return_val_if_fail (ban != NULL, NULL);

  copy = tertulia_ban_new ();
  copy->id = ban->id;
  copy->nick = g_strdup (ban->nick);
  copy->address = g_strdup (ban->address);
  copy->by = g_strdup (ban->by);
  copy->reason = g_strdup (ban->reason);
  copy->time = ban->time;

  return copy;
}

void
tertulia_ban_free (TertuliaBan *ban)
{
  if (ban == NULL)
    return;

  g_free (ban->nick);
  g_free (ban->address);
  g_free (ban->by);
  g_free (ban->reason);
  g_free (ban);
}


/* Names on the wire */

static const char * const role_names[] = {
  [TERTULIA_ROLE_GUEST] = "guest",
  [TERTULIA_ROLE_COHOST] = "cohost",
  [TERTULIA_ROLE_HOST] = "host",
};

static const char * const allow_names[] = {
  [TERTULIA_PRIVATE_MESSAGES_EVERYONE] = "everyone",
  [TERTULIA_PRIVATE_MESSAGES_HOSTS] = "hosts",
  [TERTULIA_PRIVATE_MESSAGES_OFF] = "off",
};

static const char * const action_names[] = {
  [TERTULIA_MODERATION_KICK] = "kick",
  [TERTULIA_MODERATION_BAN] = "ban",
  [TERTULIA_MODERATION_UNBAN] = "unban",
  [TERTULIA_MODERATION_MUTE] = "mute",
  [TERTULIA_MODERATION_UNMUTE] = "unmute",
  [TERTULIA_MODERATION_SLOW] = "slow",
  [TERTULIA_MODERATION_LOCK] = "lock",
  [TERTULIA_MODERATION_UNLOCK] = "unlock",
  [TERTULIA_MODERATION_OP] = "op",
  [TERTULIA_MODERATION_DEOP] = "deop",
  [TERTULIA_MODERATION_PRIVATE_MESSAGES] = "private-messages",
};

static gboolean
name_lookup (const char * const *names,
             guint               n_names,
             const char         *string,
             guint              *out)
{
  if (string == NULL)
    return FALSE;

  for (guint i = 0; i < n_names; i++)
    if (g_str_equal (names[i], string))
      {
        *out = i;
        return TRUE;
      }

  return FALSE;
}

const char *
tertulia_role_to_string (TertuliaRole role)
{
  g_return_val_if_fail ((guint) role < G_N_ELEMENTS (role_names), "guest");

  return role_names[role];
}

const char *
tertulia_private_messages_to_string (TertuliaPrivateMessages allow)
{
  g_return_val_if_fail ((guint) allow < G_N_ELEMENTS (allow_names), "off");

  return allow_names[allow];
}

gboolean
tertulia_private_messages_from_string (const char              *string,
                                       TertuliaPrivateMessages *allow)
{
  guint value;

  if (!name_lookup (allow_names, G_N_ELEMENTS (allow_names), string, &value))
    return FALSE;

  *allow = (TertuliaPrivateMessages) value;
  return TRUE;
}

const char *
tertulia_moderation_action_to_string (TertuliaModerationAction action)
{
  g_return_val_if_fail ((guint) action < G_N_ELEMENTS (action_names), "kick");

  return action_names[action];
}

gboolean
tertulia_moderation_action_from_string (const char               *string,
                                        TertuliaModerationAction *action)
{
  guint value;

  if (!name_lookup (action_names, G_N_ELEMENTS (action_names), string, &value))
    return FALSE;

  *action = (TertuliaModerationAction) value;
  return TRUE;
}


/* Frames: the members the other files of the protocol leave to this one */

void
_tertulia_protocol_moderation_frame_init (TertuliaFrame *frame)
{
  if (frame->type == TERTULIA_FRAME_WELCOME)
    frame->privates = g_ptr_array_new_with_free_func ((GDestroyNotify) tertulia_frame_free);

  if (frame->type == TERTULIA_FRAME_BANS)
    frame->bans = g_ptr_array_new_with_free_func ((GDestroyNotify) tertulia_ban_free);
}

void
_tertulia_protocol_moderation_frame_clear (TertuliaFrame *frame)
{
  tertulia_peer_clear (&frame->target);
  g_clear_pointer (&frame->reason, g_free);
  g_clear_pointer (&frame->bans, g_ptr_array_unref);
  g_clear_pointer (&frame->privates, g_ptr_array_unref);
}

static const struct {
  const char *code;
  const char *sentence;
} error_descriptions[] = {
  { TERTULIA_ERROR_NOT_ALLOWED, N_("Only the host or a co-host can do that.") },
  { TERTULIA_ERROR_PARTICIPANT_NOT_FOUND, N_("That person is not in the room.") },
  { TERTULIA_ERROR_MUTED, N_("You are muted: you can read, but not post.") },
  { TERTULIA_ERROR_SLOW_MODE, N_("Slow mode is on: wait a little before your next message.") },
  { TERTULIA_ERROR_ROOM_LOCKED, N_("The room is locked: nobody new can join.") },
  { TERTULIA_ERROR_BANNED, N_("You are banned from this room.") },
  { TERTULIA_ERROR_KICKED, N_("You were removed from the room.") },
  { TERTULIA_ERROR_PRIVATE_MESSAGES_OFF, N_("Private messages are turned off in this room.") },
  { TERTULIA_ERROR_PRIVATE_TO_SELF, N_("You cannot send a private message to yourself.") },
};

const char *
_tertulia_protocol_describe_moderation_error (const char *code)
{
  for (guint i = 0; i < G_N_ELEMENTS (error_descriptions); i++)
    if (g_str_equal (code, error_descriptions[i].code))
      return _(error_descriptions[i].sentence);

  return NULL;
}

/* These switches see only issue 18's types (the int keeps -Wswitch-enum
 * from asking for everyone else's)
 */
const char *
_tertulia_protocol_moderation_type_name (TertuliaFrameType type)
{
  switch ((int) type)
    {
    case TERTULIA_FRAME_KICK:       return "kick";
    case TERTULIA_FRAME_BAN:        return "ban";
    case TERTULIA_FRAME_UNBAN:      return "unban";
    case TERTULIA_FRAME_FETCH_BANS: return "bans";
    case TERTULIA_FRAME_MUTE:       return "mute";
    case TERTULIA_FRAME_UNMUTE:     return "unmute";
    case TERTULIA_FRAME_SLOW:       return "slow";
    case TERTULIA_FRAME_LOCK:       return "lock";
    case TERTULIA_FRAME_OP:         return "op";
    case TERTULIA_FRAME_SET_PRIVATE_MESSAGES: return "private-messages";
    case TERTULIA_FRAME_MSG:        return "msg";
    case TERTULIA_FRAME_MODERATION: return "moderation";
    case TERTULIA_FRAME_BANS:       return "bans";
    case TERTULIA_FRAME_PRIVATE:    return "private";
    default:                        return NULL;
    }
}


/* Reading */

static gboolean
invalid (GError     **error,
         const char  *where,
         const char  *member,
         const char  *what)
{
  g_set_error (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_INVALID_FRAME,
               "The “%s” member of %s must be %s.", member, where, what);
  return FALSE;
}

/* A participant id: whole, ≥ 1 */
static gboolean
read_id (JsonObject  *object,
         const char  *where,
         const char  *member,
         gint64      *out,
         GError     **error)
{
  if (!_tertulia_protocol_read_int (object, where, member, TRUE, out, error))
    return FALSE;

  if (*out < 1)
    return invalid (error, where, member, "an id, at least 1");

  return TRUE;
}

/* Like a topic: one line, at most TERTULIA_MAX_TOPIC_CHARS. "" is none. */
static gboolean
read_reason (JsonObject     *object,
             const char     *where,
             gboolean        validate,
             TertuliaFrame  *frame,
             GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *reason;

  if (!_tertulia_protocol_read_string (object, where, "reason", FALSE, &reason, error))
    return FALSE;

  if (reason == NULL || reason[0] == '\0')
    return TRUE;

  if (!validate)
    {
      frame->reason = g_strdup (reason);
      return TRUE;
    }

  frame->reason = tertulia_protocol_normalize_topic (reason, &local_error);
  if (frame->reason == NULL)
    {
      g_autofree char *what = g_strdup_printf ("one line of at most %d characters, without control characters",
                                               TERTULIA_MAX_TOPIC_CHARS);
      return invalid (error, where, "reason", what);
    }

  if (frame->reason[0] == '\0')
    g_clear_pointer (&frame->reason, g_free);

  return TRUE;
}

static gboolean
read_allow (JsonObject               *object,
            const char               *where,
            const char               *member,
            gboolean                  required,
            TertuliaPrivateMessages  *allow,
            GError                  **error)
{
  const char *string;

  if (!_tertulia_protocol_read_string (object, where, member, required, &string, error))
    return FALSE;

  if (string != NULL && !tertulia_private_messages_from_string (string, allow))
    return invalid (error, where, member, "“everyone”, “hosts” or “off”");

  return TRUE;
}

TertuliaFrame *
_tertulia_protocol_parse_moderation_request (JsonObject  *object,
                                             const char  *where,
                                             GError     **error)
{
  g_autoptr(TertuliaFrame) frame = NULL;
  const char *type;

  if (!_tertulia_protocol_read_string (object, where, "type", TRUE, &type, error))
    return NULL;

  if (g_str_equal (type, "kick") || g_str_equal (type, "ban"))
    {
      frame = tertulia_frame_new (g_str_equal (type, "kick") ? TERTULIA_FRAME_KICK : TERTULIA_FRAME_BAN);
      if (!read_id (object, where, "id", &frame->target.id, error) ||
          !read_reason (object, where, TRUE, frame, error))
        return NULL;
    }
  else if (g_str_equal (type, "mute") || g_str_equal (type, "unmute"))
    {
      frame = tertulia_frame_new (g_str_equal (type, "mute") ? TERTULIA_FRAME_MUTE : TERTULIA_FRAME_UNMUTE);
      if (!read_id (object, where, "id", &frame->target.id, error))
        return NULL;
    }
  else if (g_str_equal (type, "unban"))
    {
      frame = tertulia_frame_new (TERTULIA_FRAME_UNBAN);
      if (!read_id (object, where, "ban", &frame->ban_id, error))
        return NULL;
    }
  else if (g_str_equal (type, "bans"))
    {
      frame = tertulia_frame_new (TERTULIA_FRAME_FETCH_BANS);
    }
  else if (g_str_equal (type, "slow"))
    {
      frame = tertulia_frame_new (TERTULIA_FRAME_SLOW);
      if (!_tertulia_protocol_read_int (object, where, "seconds", TRUE, &frame->seconds, error))
        return NULL;
      if (frame->seconds < 0 || frame->seconds > TERTULIA_MAX_SLOW_SECONDS)
        {
          invalid (error, where, "seconds", "from 0 to " G_STRINGIFY (TERTULIA_MAX_SLOW_SECONDS));
          return NULL;
        }
    }
  else if (g_str_equal (type, "lock"))
    {
      frame = tertulia_frame_new (TERTULIA_FRAME_LOCK);
      if (!_tertulia_protocol_read_bool (object, where, "locked", TRUE, &frame->locked, error))
        return NULL;
    }
  else if (g_str_equal (type, "op"))
    {
      frame = tertulia_frame_new (TERTULIA_FRAME_OP);
      if (!read_id (object, where, "id", &frame->target.id, error) ||
          !_tertulia_protocol_read_bool (object, where, "cohost", TRUE, &frame->cohost, error))
        return NULL;
    }
  else if (g_str_equal (type, "private-messages"))
    {
      frame = tertulia_frame_new (TERTULIA_FRAME_SET_PRIVATE_MESSAGES);
      if (!read_allow (object, where, "allow", TRUE, &frame->allow, error))
        return NULL;
    }
  else
    {
      g_assert (g_str_equal (type, "msg"));

      frame = tertulia_frame_new (TERTULIA_FRAME_MSG);
      if (!_tertulia_protocol_read_cid (object, where, &frame->cid, error) ||
          !read_id (object, where, "to", &frame->target.id, error) ||
          !_tertulia_protocol_read_text (object, where, &frame->text, error))
        return NULL;
    }

  return g_steal_pointer (&frame);
}

TertuliaFrame *
_tertulia_protocol_parse_moderation (JsonObject  *object,
                                     const char  *where,
                                     GError     **error)
{
  g_autoptr(TertuliaFrame) frame = tertulia_frame_new (TERTULIA_FRAME_MODERATION);
  const char *action;

  if (!_tertulia_protocol_read_event (object, where, frame, error) ||
      !_tertulia_protocol_read_string (object, where, "action", TRUE, &action, error) ||
      !_tertulia_protocol_read_peer (object, where, "by", FALSE, &frame->peer, error))
    return NULL;

  if (!tertulia_moderation_action_from_string (action, &frame->action))
    {
      invalid (error, where, "action", "a moderation action this version knows");
      return NULL;
    }

  if (json_object_get_member (object, "target") != NULL &&
      !JSON_NODE_HOLDS_NULL (json_object_get_member (object, "target")))
    {
      if (!_tertulia_protocol_read_peer (object, where, "target", FALSE, &frame->target, error))
        return NULL;
      frame->has_target = TRUE;
    }

  if (!read_reason (object, where, FALSE, frame, error) ||
      !_tertulia_protocol_read_int (object, where, "seconds", FALSE, &frame->seconds, error) ||
      !read_allow (object, where, "allow", FALSE, &frame->allow, error))
    return NULL;

  return g_steal_pointer (&frame);
}

TertuliaFrame *
_tertulia_protocol_parse_bans (JsonObject  *object,
                               const char  *where,
                               GError     **error)
{
  g_autoptr(TertuliaFrame) frame = tertulia_frame_new (TERTULIA_FRAME_BANS);
  g_autofree char *ban_where = g_strdup_printf ("a ban in %s", where);
  JsonArray *bans;

  if (!_tertulia_protocol_read_array (object, where, "bans", TRUE, &bans, error))
    return NULL;

  for (guint i = 0; i < json_array_get_length (bans); i++)
    {
      JsonNode *node = json_array_get_element (bans, i);
      g_autoptr(TertuliaBan) ban = tertulia_ban_new ();
      JsonObject *ban_object;
      const char *nick, *address, *by, *reason;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          invalid (error, where, "bans", "an array of objects");
          return NULL;
        }

      ban_object = json_node_get_object (node);
      if (!_tertulia_protocol_read_int (ban_object, ban_where, "id", TRUE, &ban->id, error) ||
          !_tertulia_protocol_read_string (ban_object, ban_where, "nick", TRUE, &nick, error) ||
          !_tertulia_protocol_read_string (ban_object, ban_where, "address", FALSE, &address, error) ||
          !_tertulia_protocol_read_string (ban_object, ban_where, "by", TRUE, &by, error) ||
          !_tertulia_protocol_read_int (ban_object, ban_where, "time", TRUE, &ban->time, error) ||
          !_tertulia_protocol_read_string (ban_object, ban_where, "reason", FALSE, &reason, error))
        return NULL;

      ban->nick = g_strdup (nick);
      ban->address = g_strdup (address);
      ban->by = g_strdup (by);
      ban->reason = g_strdup (reason);
      g_ptr_array_add (frame->bans, g_steal_pointer (&ban));
    }

  return g_steal_pointer (&frame);
}

TertuliaFrame *
_tertulia_protocol_parse_private (JsonObject  *object,
                                  const char  *where,
                                  GError     **error)
{
  g_autoptr(TertuliaFrame) frame = tertulia_frame_new (TERTULIA_FRAME_PRIVATE);
  const char *text;
  const char *cid;

  if (!_tertulia_protocol_read_int (object, where, "id", TRUE, &frame->private_id, error) ||
      !_tertulia_protocol_read_int (object, where, "time", TRUE, &frame->time, error) ||
      !_tertulia_protocol_read_peer (object, where, "from", FALSE, &frame->peer, error) ||
      !_tertulia_protocol_read_peer (object, where, "to", FALSE, &frame->target, error) ||
      !_tertulia_protocol_read_string (object, where, "text", TRUE, &text, error) ||
      !_tertulia_protocol_read_string (object, where, "cid", FALSE, &cid, error))
    return NULL;

  frame->has_target = TRUE;
  frame->text = g_strdup (text);
  frame->cid = g_strdup (cid);

  return g_steal_pointer (&frame);
}

gboolean
_tertulia_protocol_read_peer_moderation (JsonObject    *object,
                                         const char    *where,
                                         TertuliaPeer  *peer,
                                         GError       **error)
{
  const char *role;
  guint value;

  if (!_tertulia_protocol_read_string (object, where, "role", FALSE, &role, error) ||
      !_tertulia_protocol_read_bool (object, where, "muted", FALSE, &peer->muted, error))
    return FALSE;

  /* A host from before roles says only "host" */
  if (role == NULL)
    peer->role = peer->host ? TERTULIA_ROLE_HOST : TERTULIA_ROLE_GUEST;
  else if (name_lookup (role_names, G_N_ELEMENTS (role_names), role, &value))
    peer->role = (TertuliaRole) value;
  else
    return invalid (error, where, "role", "“host”, “cohost” or “guest”");

  return TRUE;
}

gboolean
_tertulia_protocol_read_welcome_moderation (JsonObject     *welcome,
                                            JsonObject     *room,
                                            const char     *where,
                                            TertuliaFrame  *frame,
                                            GError        **error)
{
  g_autofree char *room_where = g_strdup_printf ("“room” in %s", where);
  g_autofree char *private_where = g_strdup_printf ("a private message in %s", where);
  JsonArray *privates;

  if (!_tertulia_protocol_read_bool (room, room_where, "locked", FALSE, &frame->locked, error) ||
      !_tertulia_protocol_read_int (room, room_where, "slow_seconds", FALSE, &frame->seconds, error) ||
      !read_allow (room, room_where, "private_messages", FALSE, &frame->allow, error) ||
      !_tertulia_protocol_read_array (welcome, where, "private", FALSE, &privates, error))
    return FALSE;

  for (guint i = 0; privates != NULL && i < json_array_get_length (privates); i++)
    {
      JsonNode *node = json_array_get_element (privates, i);
      TertuliaFrame *private;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return invalid (error, where, "private", "an array of objects");

      private = _tertulia_protocol_parse_private (json_node_get_object (node), private_where, error);
      if (private == NULL)
        return FALSE;

      g_ptr_array_add (frame->privates, private);
    }

  return TRUE;
}


/* Writing */

void
_tertulia_protocol_add_peer_moderation (JsonBuilder        *builder,
                                        const TertuliaPeer *peer)
{
  TertuliaRole role = peer->host ? TERTULIA_ROLE_HOST : peer->role;

  _tertulia_protocol_add_string (builder, "role", tertulia_role_to_string (role));
  if (peer->muted)
    _tertulia_protocol_add_bool (builder, "muted", TRUE);
}

void
_tertulia_protocol_add_room_moderation (JsonBuilder         *builder,
                                        const TertuliaFrame *welcome)
{
  _tertulia_protocol_add_bool (builder, "locked", welcome->locked);
  _tertulia_protocol_add_int (builder, "slow_seconds", welcome->seconds);
  _tertulia_protocol_add_string (builder, "private_messages",
                                 tertulia_private_messages_to_string (welcome->allow));
}

static void
build_private (JsonBuilder         *builder,
               const TertuliaFrame *frame)
{
  _tertulia_protocol_add_int (builder, "id", frame->private_id);
  _tertulia_protocol_add_int (builder, "time", frame->time);
  _tertulia_protocol_add_peer (builder, "from", &frame->peer, FALSE);
  _tertulia_protocol_add_peer (builder, "to", &frame->target, FALSE);
  _tertulia_protocol_add_string (builder, "text", frame->text);
  if (frame->cid != NULL)
    _tertulia_protocol_add_string (builder, "cid", frame->cid);
}

void
_tertulia_protocol_add_welcome_privates (JsonBuilder         *builder,
                                         const TertuliaFrame *welcome)
{
  if (welcome->privates == NULL || welcome->privates->len == 0)
    return;

  json_builder_set_member_name (builder, "private");
  json_builder_begin_array (builder);
  for (guint i = 0; i < welcome->privates->len; i++)
    {
      json_builder_begin_object (builder);
      _tertulia_protocol_add_string (builder, "type", "private");
      build_private (builder, g_ptr_array_index (welcome->privates, i));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_optional_reason (JsonBuilder         *builder,
                     const TertuliaFrame *frame)
{
  if (frame->reason != NULL)
    _tertulia_protocol_add_string (builder, "reason", frame->reason);
}

gboolean
_tertulia_protocol_build_moderation (JsonBuilder         *builder,
                                     const TertuliaFrame *frame)
{
  switch ((int) frame->type)
    {
    case TERTULIA_FRAME_KICK:
    case TERTULIA_FRAME_BAN:
      _tertulia_protocol_add_int (builder, "id", frame->target.id);
      add_optional_reason (builder, frame);
      break;

    case TERTULIA_FRAME_MUTE:
    case TERTULIA_FRAME_UNMUTE:
      _tertulia_protocol_add_int (builder, "id", frame->target.id);
      break;

    case TERTULIA_FRAME_UNBAN:
      _tertulia_protocol_add_int (builder, "ban", frame->ban_id);
      break;

    case TERTULIA_FRAME_FETCH_BANS:
      break;

    case TERTULIA_FRAME_SLOW:
      _tertulia_protocol_add_int (builder, "seconds", frame->seconds);
      break;

    case TERTULIA_FRAME_LOCK:
      _tertulia_protocol_add_bool (builder, "locked", frame->locked);
      break;

    case TERTULIA_FRAME_OP:
      _tertulia_protocol_add_int (builder, "id", frame->target.id);
      _tertulia_protocol_add_bool (builder, "cohost", frame->cohost);
      break;

    case TERTULIA_FRAME_SET_PRIVATE_MESSAGES:
      _tertulia_protocol_add_string (builder, "allow", tertulia_private_messages_to_string (frame->allow));
      break;

    case TERTULIA_FRAME_MSG:
      _tertulia_protocol_add_int (builder, "to", frame->target.id);
      _tertulia_protocol_add_string (builder, "text", frame->text);
      if (frame->cid != NULL)
        _tertulia_protocol_add_string (builder, "cid", frame->cid);
      break;

    case TERTULIA_FRAME_MODERATION:
      _tertulia_protocol_add_event (builder, frame);
      _tertulia_protocol_add_string (builder, "action", tertulia_moderation_action_to_string (frame->action));
      _tertulia_protocol_add_peer (builder, "by", &frame->peer, FALSE);
      if (frame->has_target)
        _tertulia_protocol_add_peer (builder, "target", &frame->target, FALSE);
      add_optional_reason (builder, frame);
      if (frame->action == TERTULIA_MODERATION_SLOW)
        _tertulia_protocol_add_int (builder, "seconds", frame->seconds);
      if (frame->action == TERTULIA_MODERATION_PRIVATE_MESSAGES)
        _tertulia_protocol_add_string (builder, "allow", tertulia_private_messages_to_string (frame->allow));
      break;

    case TERTULIA_FRAME_BANS:
      json_builder_set_member_name (builder, "bans");
      json_builder_begin_array (builder);
      for (guint i = 0; frame->bans != NULL && i < frame->bans->len; i++)
        {
          const TertuliaBan *ban = g_ptr_array_index (frame->bans, i);

          json_builder_begin_object (builder);
          _tertulia_protocol_add_int (builder, "id", ban->id);
          _tertulia_protocol_add_string (builder, "nick", ban->nick);
          if (ban->address != NULL)
            _tertulia_protocol_add_string (builder, "address", ban->address);
          _tertulia_protocol_add_string (builder, "by", ban->by);
          _tertulia_protocol_add_int (builder, "time", ban->time);
          if (ban->reason != NULL)
            _tertulia_protocol_add_string (builder, "reason", ban->reason);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      break;

    case TERTULIA_FRAME_PRIVATE:
      build_private (builder, frame);
      break;

    default:
      return FALSE;
    }

  return TRUE;
}

/* tertulia-protocol-serialize.c — frames to JSON, in the order of docs/PROTOCOL.md
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-protocol"

#include "config.h"

#include <string.h>

#include "tertulia-protocol.h"
#include "tertulia-protocol-files.h"
#include "tertulia-protocol-private.h"

/* Serializing */

static const char *
frame_type_to_string (TertuliaFrameType type)
{
  switch (type)
    {
    case TERTULIA_FRAME_HELLO:     return "hello";
    case TERTULIA_FRAME_SAY:       return "say";
    case TERTULIA_FRAME_NICK:      return "nick";
    case TERTULIA_FRAME_SET_TOPIC: return "topic";
    case TERTULIA_FRAME_WELCOME:   return "welcome";
    case TERTULIA_FRAME_MESSAGE:   return "message";
    case TERTULIA_FRAME_JOIN:      return "join";
    case TERTULIA_FRAME_LEAVE:     return "leave";
    case TERTULIA_FRAME_RENAME:    return "rename";
    case TERTULIA_FRAME_TOPIC:     return "topic";
    case TERTULIA_FRAME_ERROR:     return "error";
    case TERTULIA_FRAME_FETCH_HISTORY: return "history";
    case TERTULIA_FRAME_HISTORY:   return "history";
    case TERTULIA_FRAME_FILE:      return "file";
    case TERTULIA_FRAME_FILE_REMOVED: return "file-removed";
    /* issue 18 */
    case TERTULIA_FRAME_KICK: case TERTULIA_FRAME_BAN: case TERTULIA_FRAME_UNBAN:
    case TERTULIA_FRAME_FETCH_BANS: case TERTULIA_FRAME_MUTE: case TERTULIA_FRAME_UNMUTE:
    case TERTULIA_FRAME_SLOW: case TERTULIA_FRAME_LOCK: case TERTULIA_FRAME_OP:
    case TERTULIA_FRAME_SET_PRIVATE_MESSAGES: case TERTULIA_FRAME_MSG:
    case TERTULIA_FRAME_MODERATION: case TERTULIA_FRAME_BANS: case TERTULIA_FRAME_PRIVATE:
      return _tertulia_protocol_moderation_type_name (type);
    /* issue 19 */
    case TERTULIA_FRAME_REACT:     return "react";
    case TERTULIA_FRAME_EDIT_MESSAGE: return "edit";
    case TERTULIA_FRAME_DELETE_MESSAGE: return "delete";
    case TERTULIA_FRAME_SET_TYPING: return "typing";
    case TERTULIA_FRAME_REACTION:  return "reaction";
    case TERTULIA_FRAME_EDIT:      return "edit";
    case TERTULIA_FRAME_DELETE:    return "delete";
    case TERTULIA_FRAME_TYPING:    return "typing";
    default:                       return NULL;
    }
}

static const char *
kind_to_string (TertuliaMessageKind kind)
{
  switch (kind)
    {
    case TERTULIA_MESSAGE_KIND_CHAT:
      return "chat";
    case TERTULIA_MESSAGE_KIND_ACTION:
      return "action";
    case TERTULIA_MESSAGE_KIND_NOTICE:
    case TERTULIA_MESSAGE_KIND_FILE:
    default:
      /* Notices are made locally, files come as their own event: neither
       * goes on the wire as a message
       */
      g_critical ("A message of kind %d cannot be sent", kind);
      return "chat";
    }
}

static void
add_string (JsonBuilder *builder,
            const char  *member,
            const char  *value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value != NULL ? value : "");
}

static void
add_optional_string (JsonBuilder *builder,
                     const char  *member,
                     const char  *value)
{
  if (value != NULL)
    add_string (builder, member, value);
}

static void
add_int (JsonBuilder *builder,
         const char  *member,
         gint64       value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_int_value (builder, value);
}

static void
add_bool (JsonBuilder *builder,
          const char  *member,
          gboolean     value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_boolean_value (builder, value);
}

/* @member is NULL inside an array */
static void
add_peer (JsonBuilder        *builder,
          const char         *member,
          const TertuliaPeer *peer,
          gboolean            full)
{
  if (member != NULL)
    json_builder_set_member_name (builder, member);

  json_builder_begin_object (builder);
  add_int (builder, "id", peer->id);
  add_string (builder, "nick", peer->nick);
  if (full)
    {
      add_int (builder, "joined_at", peer->joined_at);
      add_bool (builder, "host", peer->host);
      _tertulia_protocol_add_peer_moderation (builder, peer);
    }
  json_builder_end_object (builder);
}

/* issue 19: for tertulia-protocol-conversation.c (the plain writers are
 * shared with issue 18's, below)
 */
void
_tertulia_protocol_add_short_peer (JsonBuilder        *builder,
                                   const char         *member,
                                   const TertuliaPeer *peer)
{
  add_peer (builder, member, peer, FALSE);
}

static void
add_event (JsonBuilder         *builder,
           const TertuliaFrame *frame)
{
  add_int (builder, "seq", frame->seq);
  add_int (builder, "time", frame->time);
}

static void
add_file (JsonBuilder            *builder,
          const TertuliaFileInfo *file)
{
  json_builder_set_member_name (builder, "file");
  json_builder_begin_object (builder);
  add_string (builder, "id", file->id);
  add_string (builder, "name", file->name);
  add_int (builder, "size", file->size);
  add_string (builder, "type", file->type);
  if (file->width > 0 && file->height > 0)
    {
      add_int (builder, "width", file->width);
      add_int (builder, "height", file->height);
    }
  add_string (builder, "sha256", file->sha256);
  json_builder_end_object (builder);
}

/* Everything but a welcome's history, in the order of docs/PROTOCOL.md */
static void
build_frame (JsonBuilder         *builder,
             const TertuliaFrame *frame)
{
  json_builder_begin_object (builder);
  add_string (builder, "type", frame_type_to_string (frame->type));

  switch (frame->type)
    {
    case TERTULIA_FRAME_HELLO:
      add_int (builder, "version", frame->version);
      add_optional_string (builder, "nick", frame->nick);
      add_optional_string (builder, "client", frame->client_name);
      if (frame->has_resume)
        {
          json_builder_set_member_name (builder, "resume");
          json_builder_begin_object (builder);
          add_string (builder, "token", frame->resume_token);
          add_int (builder, "last_seq", frame->last_seq);
          if (frame->last_private > 0)
            add_int (builder, "last_private", frame->last_private);
          json_builder_end_object (builder);
        }
      add_optional_string (builder, "host_key", frame->host_key);
      add_optional_string (builder, "password", frame->password);
      break;

    case TERTULIA_FRAME_SAY:
      add_optional_string (builder, "cid", frame->cid);
      add_string (builder, "kind", kind_to_string (frame->kind));
      add_string (builder, "text", frame->text);
      _tertulia_protocol_build_reply_to (builder, frame);
      break;

    case TERTULIA_FRAME_NICK:
      add_string (builder, "nick", frame->nick);
      break;

    case TERTULIA_FRAME_SET_TOPIC:
      add_string (builder, "topic", frame->topic);
      break;

    case TERTULIA_FRAME_WELCOME:
      add_int (builder, "version", frame->version);
      add_peer (builder, "you", &frame->you, TRUE);
      json_builder_set_member_name (builder, "room");
      json_builder_begin_object (builder);
      add_optional_string (builder, "id", frame->room_id);
      add_string (builder, "name", frame->room_name);
      add_optional_string (builder, "topic", frame->topic);
      _tertulia_protocol_add_room_moderation (builder, frame);
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "participants");
      json_builder_begin_array (builder);
      for (guint i = 0; frame->participants != NULL && i < frame->participants->len; i++)
        add_peer (builder, NULL, g_ptr_array_index (frame->participants, i), TRUE);
      json_builder_end_array (builder);
      add_int (builder, "seq", frame->seq);
      add_optional_string (builder, "resume_token", frame->resume_token);
      add_bool (builder, "resumed", frame->resumed);
      add_bool (builder, "gap", frame->gap);
      json_builder_set_member_name (builder, "limits");
      json_builder_begin_object (builder);
      add_int (builder, "text", frame->limits.text);
      add_int (builder, "nick", frame->limits.nick);
      add_int (builder, "topic", frame->limits.topic);
      add_int (builder, "room_name", frame->limits.room_name);
      add_int (builder, "frame_bytes", frame->limits.frame_bytes);
      add_int (builder, "history", frame->limits.history);
      add_int (builder, "json_depth", frame->limits.json_depth);
      add_int (builder, "hello_seconds", frame->limits.hello_seconds);
      add_int (builder, "rate_burst", frame->limits.rate_burst);
      add_int (builder, "rate_per_second", frame->limits.rate_per_second);
      add_int (builder, "connections", frame->limits.connections);
      add_int (builder, "connections_per_address", frame->limits.connections_per_address);
      add_int (builder, "queue_bytes", frame->limits.queue_bytes);
      add_int (builder, "ping_seconds", frame->limits.ping_seconds);
      add_int (builder, "idle_seconds", frame->limits.idle_seconds);
      add_int (builder, "file_bytes", frame->limits.file_bytes);
      add_int (builder, "room_file_bytes", frame->limits.room_file_bytes);
      json_builder_end_object (builder);
      add_optional_string (builder, "file_token", frame->file_token);
      _tertulia_protocol_add_welcome_privates (builder, frame);
      break;

    case TERTULIA_FRAME_MESSAGE:
      add_event (builder, frame);
      add_peer (builder, "from", &frame->peer, FALSE);
      add_string (builder, "kind", kind_to_string (frame->kind));
      add_string (builder, "text", frame->text);
      add_optional_string (builder, "cid", frame->cid);
      _tertulia_protocol_build_reply_to (builder, frame);
      break;

    case TERTULIA_FRAME_JOIN:
      add_event (builder, frame);
      add_peer (builder, "participant", &frame->peer, TRUE);
      break;

    case TERTULIA_FRAME_LEAVE:
      add_event (builder, frame);
      add_int (builder, "id", frame->peer.id);
      add_string (builder, "nick", frame->peer.nick);
      break;

    case TERTULIA_FRAME_RENAME:
      add_event (builder, frame);
      add_int (builder, "id", frame->peer.id);
      add_string (builder, "from", frame->old_nick);
      add_string (builder, "to", frame->new_nick);
      break;

    case TERTULIA_FRAME_TOPIC:
      add_event (builder, frame);
      add_peer (builder, "by", &frame->peer, FALSE);
      add_string (builder, "topic", frame->topic);
      break;

    case TERTULIA_FRAME_FILE:
      add_event (builder, frame);
      add_peer (builder, "from", &frame->peer, FALSE);
      add_file (builder, frame->file);
      break;

    case TERTULIA_FRAME_FILE_REMOVED:
      add_event (builder, frame);
      add_peer (builder, "by", &frame->peer, FALSE);
      add_string (builder, "id", frame->file->id);
      break;

    case TERTULIA_FRAME_ERROR:
      add_string (builder, "code", frame->code);
      add_optional_string (builder, "message", frame->message);
      add_optional_string (builder, "cid", frame->cid);
      break;

    case TERTULIA_FRAME_FETCH_HISTORY:
      add_int (builder, "before", frame->before);
      add_int (builder, "limit", frame->limit);
      break;

    /* issue 18 */
    case TERTULIA_FRAME_KICK: case TERTULIA_FRAME_BAN: case TERTULIA_FRAME_UNBAN:
    case TERTULIA_FRAME_FETCH_BANS: case TERTULIA_FRAME_MUTE: case TERTULIA_FRAME_UNMUTE:
    case TERTULIA_FRAME_SLOW: case TERTULIA_FRAME_LOCK: case TERTULIA_FRAME_OP:
    case TERTULIA_FRAME_SET_PRIVATE_MESSAGES: case TERTULIA_FRAME_MSG:
    case TERTULIA_FRAME_MODERATION: case TERTULIA_FRAME_BANS: case TERTULIA_FRAME_PRIVATE:
      _tertulia_protocol_build_moderation (builder, frame);
      break;

    /* issue 19 */
    case TERTULIA_FRAME_REACT:
    case TERTULIA_FRAME_EDIT_MESSAGE:
    case TERTULIA_FRAME_DELETE_MESSAGE:
    case TERTULIA_FRAME_SET_TYPING:
    case TERTULIA_FRAME_REACTION:
    case TERTULIA_FRAME_EDIT:
    case TERTULIA_FRAME_DELETE:
    case TERTULIA_FRAME_TYPING:
      _tertulia_protocol_build_conversation (builder, frame);
      break;

    /* Spliced by tertulia_protocol_serialize_history() */
    case TERTULIA_FRAME_HISTORY:

    default:
      g_assert_not_reached ();
    }

  json_builder_end_object (builder);
}

static char *
builder_to_string (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  /* Compact is the default: no pretty printing */
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}

static char *
serialize_frame (const TertuliaFrame *frame)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  build_frame (builder, frame);

  return builder_to_string (builder);
}

char *
tertulia_protocol_serialize (const TertuliaFrame *frame)
{
  g_autoptr(GPtrArray) participants = NULL;
  g_autoptr(GPtrArray) history = NULL;

  g_return_val_if_fail (frame != NULL, NULL);
  g_return_val_if_fail (frame_type_to_string (frame->type) != NULL, NULL);

  if (frame->type == TERTULIA_FRAME_HISTORY)
    {
      history = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; frame->history != NULL && i < frame->history->len; i++)
        g_ptr_array_add (history, tertulia_protocol_serialize (g_ptr_array_index (frame->history, i)));

      return tertulia_protocol_serialize_history (frame->before,
                                                  (const char * const *) history->pdata,
                                                  history->len, frame->more);
    }

  if (frame->type != TERTULIA_FRAME_WELCOME)
    return serialize_frame (frame);

  participants = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; frame->participants != NULL && i < frame->participants->len; i++)
    g_ptr_array_add (participants, tertulia_protocol_serialize_peer (g_ptr_array_index (frame->participants, i)));

  history = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; frame->history != NULL && i < frame->history->len; i++)
    g_ptr_array_add (history, tertulia_protocol_serialize (g_ptr_array_index (frame->history, i)));

  return tertulia_protocol_serialize_welcome (frame,
                                              (const char * const *) participants->pdata,
                                              participants->len,
                                              (const char * const *) history->pdata,
                                              history->len);
}

static void
append_json_list (GString            *json,
                  const char * const *items,
                  guint               n_items)
{
  for (guint i = 0; i < n_items; i++)
    {
      if (i > 0)
        g_string_append_c (json, ',');
      g_string_append (json, items[i]);
    }
}

char *
tertulia_protocol_serialize_welcome (const TertuliaFrame *welcome,
                                     const char * const  *participants_json,
                                     guint                n_participants,
                                     const char * const  *history_json,
                                     guint                n_history)
{
  static const char no_participants[] = "\"participants\":[";
  TertuliaFrame head_frame;
  g_autofree char *head = NULL;
  const char *rest;
  GString *json;
  gsize head_length;

  g_return_val_if_fail (welcome != NULL, NULL);
  g_return_val_if_fail (welcome->type == TERTULIA_FRAME_WELCOME, NULL);
  g_return_val_if_fail (participants_json != NULL || n_participants == 0, NULL);
  g_return_val_if_fail (history_json != NULL || n_history == 0, NULL);

  /* The welcome with empty lists; "history" is its last member, so it
   * goes where the closing brace was. The participants go inside their
   * empty list, which is the first match: inside a JSON string every
   * quote is escaped.
   */
  head_frame = *welcome;
  head_frame.participants = NULL;
  head_frame.history = NULL;
  head = serialize_frame (&head_frame);
  head_length = strlen (head);
  g_assert (head_length > 2 && head[head_length - 1] == '}');
  rest = strstr (head, no_participants);
  g_assert (rest != NULL);
  rest += strlen (no_participants);

  json = g_string_sized_new (head_length + 16);
  g_string_append_len (json, head, rest - head);
  append_json_list (json, participants_json, n_participants);
  g_string_append_len (json, rest, head + head_length - 1 - rest);
  g_string_append (json, ",\"history\":[");
  append_json_list (json, history_json, n_history);
  g_string_append (json, "]}");

  return g_string_free (json, FALSE);
}

char *
tertulia_protocol_serialize_history (gint64              before,
                                     const char * const *events_json,
                                     guint               n_events,
                                     gboolean            more)
{
  GString *json;
  gsize size = 64;

  g_return_val_if_fail (events_json != NULL || n_events == 0, NULL);

  for (guint i = 0; i < n_events; i++)
    size += strlen (events_json[i]) + 1;

  json = g_string_sized_new (size);
  g_string_append_printf (json, "{\"type\":\"history\",\"before\":%" G_GINT64_FORMAT ",\"events\":[",
                          before);
  append_json_list (json, events_json, n_events);
  g_string_append_printf (json, "],\"more\":%s}", more ? "true" : "false");

  return g_string_free (json, FALSE);
}

char *
tertulia_protocol_serialize_peer (const TertuliaPeer *peer)
{
  g_autoptr(JsonBuilder) builder = NULL;

  g_return_val_if_fail (peer != NULL, NULL);

  builder = json_builder_new ();
  add_peer (builder, NULL, peer, TRUE);

  return builder_to_string (builder);
}

char *
tertulia_protocol_serialize_error (const char *code,
                                   const char *message,
                                   const char *cid)
{
  return tertulia_protocol_serialize_error_retry (code, message, cid, 0);
}

char *
tertulia_protocol_serialize_error_retry (const char *code,
                                         const char *message,
                                         const char *cid,
                                         gint64      retry_after)
{
  g_autoptr(JsonBuilder) builder = NULL;

  g_return_val_if_fail (code != NULL, NULL);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  add_string (builder, "type", "error");
  add_string (builder, "code", code);
  add_optional_string (builder, "message", message);
  add_optional_string (builder, "cid", cid);
  if (retry_after > 0)
    add_int (builder, "retry_after", retry_after);
  json_builder_end_object (builder);

  return builder_to_string (builder);
}


/* issue 18: the writers above, for tertulia-protocol-moderation.c */

void
_tertulia_protocol_add_string (JsonBuilder *builder,
                               const char  *member,
                               const char  *value)
{
  add_string (builder, member, value);
}

void
_tertulia_protocol_add_int (JsonBuilder *builder,
                            const char  *member,
                            gint64       value)
{
  add_int (builder, member, value);
}

void
_tertulia_protocol_add_bool (JsonBuilder *builder,
                             const char  *member,
                             gboolean     value)
{
  add_bool (builder, member, value);
}

void
_tertulia_protocol_add_peer (JsonBuilder        *builder,
                             const char         *member,
                             const TertuliaPeer *peer,
                             gboolean            full)
{
  add_peer (builder, member, peer, full);
}

void
_tertulia_protocol_add_event (JsonBuilder         *builder,
                              const TertuliaFrame *frame)
{
  add_event (builder, frame);
}

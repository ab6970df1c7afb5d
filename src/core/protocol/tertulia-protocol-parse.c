/* tertulia-protocol-parse.c — frames from JSON: every member read, typed and checked
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-protocol"

#include "config.h"

#include <string.h>

#include "tertulia-protocol-files.h"
#include "tertulia-protocol-private.h"

/* The GError messages set here go on the wire as the "message" of an error
 * frame, so they are English sentences and deliberately not translated;
 * tertulia_protocol_describe_error() is the translated side.
 */

static gboolean
cid_is_valid (const char *cid)
{
  gsize length = strlen (cid);

  if (length < 1 || length > TERTULIA_MAX_CID_BYTES)
    return FALSE;

  for (gsize i = 0; i < length; i++)
    {
      if (!g_ascii_isprint (cid[i]))
        return FALSE;
    }

  return TRUE;
}

/* Reading members. @where names the container in error sentences, such as
 * "the “say” frame". A JSON null counts as an absent member.
 */

static JsonNode *
get_member (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node != NULL && JSON_NODE_HOLDS_NULL (node))
    return NULL;

  return node;
}

static gboolean
missing (const char  *where,
         const char  *member,
         GError     **error)
{
  g_set_error (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_INVALID_FRAME,
               "The “%s” member is missing from %s.", member, where);
  return FALSE;
}

static gboolean
wrong_type (const char  *where,
            const char  *member,
            const char  *what,
            GError     **error)
{
  g_set_error (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_INVALID_FRAME,
               "The “%s” member of %s must be %s.", member, where, what);
  return FALSE;
}

static gboolean
holds_value_of_type (JsonNode *node,
                     GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/* *@out is NULL when the member is absent */
static gboolean
read_string (JsonObject   *object,
             const char   *where,
             const char   *member,
             gboolean      required,
             const char  **out,
             GError      **error)
{
  JsonNode *node = get_member (object, member);

  *out = NULL;

  if (node == NULL)
    return required ? missing (where, member, error) : TRUE;

  if (!holds_value_of_type (node, G_TYPE_STRING))
    return wrong_type (where, member, "a string", error);

  *out = json_node_get_string (node);
  return TRUE;
}

/* *@out is left alone when the member is absent */
static gboolean
read_int (JsonObject  *object,
          const char  *where,
          const char  *member,
          gboolean     required,
          gint64      *out,
          GError     **error)
{
  JsonNode *node = get_member (object, member);

  if (node == NULL)
    return required ? missing (where, member, error) : TRUE;

  if (!holds_value_of_type (node, G_TYPE_INT64))
    return wrong_type (where, member, "an integer", error);

  *out = json_node_get_int (node);
  return TRUE;
}

/* *@out is left alone when the member is absent */
static gboolean
read_bool (JsonObject  *object,
           const char  *where,
           const char  *member,
           gboolean     required,
           gboolean    *out,
           GError     **error)
{
  JsonNode *node = get_member (object, member);

  if (node == NULL)
    return required ? missing (where, member, error) : TRUE;

  if (!holds_value_of_type (node, G_TYPE_BOOLEAN))
    return wrong_type (where, member, "true or false", error);

  *out = json_node_get_boolean (node);
  return TRUE;
}

/* *@out is NULL when the member is absent */
static gboolean
read_object (JsonObject   *object,
             const char   *where,
             const char   *member,
             gboolean      required,
             JsonObject  **out,
             GError      **error)
{
  JsonNode *node = get_member (object, member);

  *out = NULL;

  if (node == NULL)
    return required ? missing (where, member, error) : TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return wrong_type (where, member, "an object", error);

  *out = json_node_get_object (node);
  return TRUE;
}

/* *@out is NULL when the member is absent */
static gboolean
read_array (JsonObject  *object,
            const char  *where,
            const char  *member,
            gboolean     required,
            JsonArray  **out,
            GError     **error)
{
  JsonNode *node = get_member (object, member);

  *out = NULL;

  if (node == NULL)
    return required ? missing (where, member, error) : TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return wrong_type (where, member, "an array", error);

  *out = json_node_get_array (node);
  return TRUE;
}

static gboolean
read_kind (JsonObject           *object,
           const char           *where,
           TertuliaMessageKind  *out,
           GError              **error)
{
  const char *kind;

  if (!read_string (object, where, "kind", FALSE, &kind, error))
    return FALSE;

  if (kind == NULL || g_str_equal (kind, "chat"))
    *out = TERTULIA_MESSAGE_KIND_CHAT;
  else if (g_str_equal (kind, "action"))
    *out = TERTULIA_MESSAGE_KIND_ACTION;
  else
    {
      g_set_error (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_INVALID_FRAME,
                   "The “kind” member of %s must be “chat” or “action”.", where);
      return FALSE;
    }

  return TRUE;
}

/* A full peer has "joined_at" and "host" too; a short one ("from", "by")
 * only "id" and "nick".
 */
static gboolean
read_peer_object (JsonObject    *object,
                  const char    *where,
                  gboolean       full,
                  TertuliaPeer  *peer,
                  GError       **error)
{
  const char *nick;

  if (!read_int (object, where, "id", TRUE, &peer->id, error) ||
      !read_string (object, where, "nick", TRUE, &nick, error))
    return FALSE;

  if (full &&
      (!read_int (object, where, "joined_at", TRUE, &peer->joined_at, error) ||
       !read_bool (object, where, "host", TRUE, &peer->host, error) ||
       !_tertulia_protocol_read_peer_moderation (object, where, peer, error)))
    return FALSE;

  g_free (peer->nick);
  peer->nick = g_strdup (nick);

  return TRUE;
}

static gboolean
read_peer (JsonObject    *object,
           const char    *where,
           const char    *member,
           gboolean       full,
           TertuliaPeer  *peer,
           GError       **error)
{
  g_autofree char *inner_where = NULL;
  JsonObject *peer_object;

  if (!read_object (object, where, member, TRUE, &peer_object, error))
    return FALSE;

  inner_where = g_strdup_printf ("“%s” in %s", member, where);

  return read_peer_object (peer_object, inner_where, full, peer, error);
}

static gboolean
read_event (JsonObject     *object,
            const char     *where,
            TertuliaFrame  *frame,
            GError        **error)
{
  return read_int (object, where, "seq", TRUE, &frame->seq, error) &&
         read_int (object, where, "time", TRUE, &frame->time, error);
}

/* Client frames */

static TertuliaFrame *
parse_hello (JsonObject  *object,
             const char  *where,
             GError     **error)
{
  g_autoptr(TertuliaFrame) frame = tertulia_frame_new (TERTULIA_FRAME_HELLO);
  const char *nick;
  const char *client;
  const char *host_key;
  const char *password;
  JsonObject *resume;

  if (!read_int (object, where, "version", TRUE, &frame->version, error))
    return NULL;

  if (frame->version != TERTULIA_PROTOCOL_VERSION)
    {
      g_set_error (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_VERSION_UNSUPPORTED,
                   "This host speaks version %d of the Tertulia protocol, not version %" G_GINT64_FORMAT ".",
                   TERTULIA_PROTOCOL_VERSION, frame->version);
      return NULL;
    }

  if (!read_string (object, where, "nick", FALSE, &nick, error))
    return NULL;

  /* Absent or "" asks the host to choose one */
  if (nick != NULL && nick[0] != '\0')
    {
      frame->nick = tertulia_protocol_normalize_nick (nick, error);
      if (frame->nick == NULL)
        return NULL;
    }

  if (!read_string (object, where, "client", FALSE, &client, error))
    return NULL;

  if (client != NULL)
    {
      gboolean has_control = FALSE;

      for (const char *p = client; *p != '\0'; p = g_utf8_next_char (p))
        has_control |= g_unichar_type (g_utf8_get_char (p)) == G_UNICODE_CONTROL;

      /* It ends up in logs, so no control characters either */
      if (has_control || g_utf8_strlen (client, -1) > TERTULIA_MAX_CLIENT_NAME_CHARS)
        {
          g_set_error (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_INVALID_FRAME,
                       "The “client” member of %s must be at most %d characters, without control characters.",
                       where, TERTULIA_MAX_CLIENT_NAME_CHARS);
          return NULL;
        }

      frame->client_name = g_strdup (client);
    }

  if (!read_object (object, where, "resume", FALSE, &resume, error))
    return NULL;

  if (resume != NULL)
    {
      g_autofree char *resume_where = g_strdup_printf ("“resume” in %s", where);
      const char *token;

      if (!read_string (resume, resume_where, "token", TRUE, &token, error) ||
          !read_int (resume, resume_where, "last_seq", TRUE, &frame->last_seq, error) ||
          !read_int (resume, resume_where, "last_private", FALSE, &frame->last_private, error))
        return NULL;

      if (frame->last_seq < 0)
        {
          g_set_error (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_INVALID_FRAME,
                       "The “last_seq” member of %s cannot be negative.", resume_where);
          return NULL;
        }

      frame->resume_token = g_strdup (token);
      frame->has_resume = TRUE;
    }

  if (!read_string (object, where, "host_key", FALSE, &host_key, error))
    return NULL;
  frame->host_key = g_strdup (host_key);

  if (!read_string (object, where, "password", FALSE, &password, error))
    return NULL;

  if (password != NULL)
    {
      /* The same password typed on a phone and on a laptop may come in
       * different normalization forms; the host hashes the NFC form.
       */
      if (g_utf8_strlen (password, -1) > TERTULIA_MAX_PASSWORD_CHARS)
        {
          g_set_error (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_INVALID_FRAME,
                       "The “password” member of %s can be at most %d characters long.",
                       where, TERTULIA_MAX_PASSWORD_CHARS);
          return NULL;
        }

      frame->password = g_utf8_normalize (password, -1, G_NORMALIZE_NFC);
    }

  return g_steal_pointer (&frame);
}

static TertuliaFrame *
parse_say (JsonObject  *object,
           const char  *where,
           GError     **error)
{
  g_autoptr(TertuliaFrame) frame = tertulia_frame_new (TERTULIA_FRAME_SAY);

  if (!_tertulia_protocol_read_cid (object, where, &frame->cid, error))
    return NULL;

  if (!read_kind (object, where, &frame->kind, error) ||
      !_tertulia_protocol_read_text (object, where, &frame->text, error) ||
      !_tertulia_protocol_read_reply_to (object, where, frame, error))
    return NULL;

  return g_steal_pointer (&frame);
}

static TertuliaFrame *
parse_nick (JsonObject  *object,
            const char  *where,
            GError     **error)
{
  g_autoptr(TertuliaFrame) frame = tertulia_frame_new (TERTULIA_FRAME_NICK);
  const char *nick;

  if (!read_string (object, where, "nick", TRUE, &nick, error))
    return NULL;

  frame->nick = tertulia_protocol_normalize_nick (nick, error);
  if (frame->nick == NULL)
    return NULL;

  return g_steal_pointer (&frame);
}

static TertuliaFrame *
parse_set_topic (JsonObject  *object,
                 const char  *where,
                 GError     **error)
{
  g_autoptr(TertuliaFrame) frame = tertulia_frame_new (TERTULIA_FRAME_SET_TOPIC);
  const char *topic;

  if (!read_string (object, where, "topic", TRUE, &topic, error))
    return NULL;

  frame->topic = tertulia_protocol_normalize_topic (topic, error);
  if (frame->topic == NULL)
    return NULL;

  return g_steal_pointer (&frame);
}

/* Server frames. The host validated what it relays, so these check the
 * shape (members present, of the right JSON type) and keep strings as sent.
 */

static TertuliaFrame *
parse_message (JsonObject  *object,
               const char  *where,
               GError     **error)
{
  g_autoptr(TertuliaFrame) frame = tertulia_frame_new (TERTULIA_FRAME_MESSAGE);
  const char *text;
  const char *cid;

  if (!read_event (object, where, frame, error) ||
      !read_peer (object, where, "from", FALSE, &frame->peer, error) ||
      !read_kind (object, where, &frame->kind, error) ||
      !read_string (object, where, "text", TRUE, &text, error) ||
      !read_string (object, where, "cid", FALSE, &cid, error) ||
      !_tertulia_protocol_read_quote (object, where, frame, error))
    return NULL;

  frame->text = g_strdup (text);
  frame->cid = g_strdup (cid);

  return g_steal_pointer (&frame);
}

static TertuliaFrame *
parse_join (JsonObject  *object,
            const char  *where,
            GError     **error)
{
  g_autoptr(TertuliaFrame) frame = tertulia_frame_new (TERTULIA_FRAME_JOIN);

  if (!read_event (object, where, frame, error) ||
      !read_peer (object, where, "participant", TRUE, &frame->peer, error))
    return NULL;

  return g_steal_pointer (&frame);
}

static TertuliaFrame *
parse_leave (JsonObject  *object,
             const char  *where,
             GError     **error)
{
  g_autoptr(TertuliaFrame) frame = tertulia_frame_new (TERTULIA_FRAME_LEAVE);

  if (!read_event (object, where, frame, error) ||
      !read_peer_object (object, where, FALSE, &frame->peer, error))
    return NULL;

  return g_steal_pointer (&frame);
}

static TertuliaFrame *
parse_rename (JsonObject  *object,
              const char  *where,
              GError     **error)
{
  g_autoptr(TertuliaFrame) frame = tertulia_frame_new (TERTULIA_FRAME_RENAME);
  const char *from;
  const char *to;

  if (!read_event (object, where, frame, error) ||
      !read_int (object, where, "id", TRUE, &frame->peer.id, error) ||
      !read_string (object, where, "from", TRUE, &from, error) ||
      !read_string (object, where, "to", TRUE, &to, error))
    return NULL;

  frame->old_nick = g_strdup (from);
  frame->new_nick = g_strdup (to);

  return g_steal_pointer (&frame);
}

static TertuliaFrame *
parse_topic (JsonObject  *object,
             const char  *where,
             GError     **error)
{
  g_autoptr(TertuliaFrame) frame = tertulia_frame_new (TERTULIA_FRAME_TOPIC);
  const char *topic;

  if (!read_event (object, where, frame, error) ||
      !read_peer (object, where, "by", FALSE, &frame->peer, error) ||
      !read_string (object, where, "topic", TRUE, &topic, error))
    return NULL;

  frame->topic = g_strdup (topic);

  return g_steal_pointer (&frame);
}

static TertuliaFrame *
parse_error (JsonObject  *object,
             const char  *where,
             GError     **error)
{
  g_autoptr(TertuliaFrame) frame = tertulia_frame_new (TERTULIA_FRAME_ERROR);
  const char *code;
  const char *message;
  const char *cid;

  /* "message" is optional here: an error without it still means
   * something, through tertulia_protocol_describe_error().
   */
  if (!read_string (object, where, "code", TRUE, &code, error) ||
      !read_string (object, where, "message", FALSE, &message, error) ||
      !read_string (object, where, "cid", FALSE, &cid, error) ||
      !read_int (object, where, "retry_after", FALSE, &frame->retry_after, error))
    return NULL;

  frame->code = g_strdup (code);
  frame->message = g_strdup (message);
  frame->cid = g_strdup (cid);

  return g_steal_pointer (&frame);
}

/* "before" must be a seq (≥ 1) that the server then checks against the
 * room; a number beyond any seq, even one JSON can only give as a
 * floating-point value, is out of range rather than malformed.
 */
static TertuliaFrame *
parse_fetch_history (JsonObject  *object,
                     const char  *where,
                     GError     **error)
{
  g_autoptr(TertuliaFrame) frame = tertulia_frame_new (TERTULIA_FRAME_FETCH_HISTORY);
  JsonNode *before = get_member (object, "before");

  if (before != NULL && holds_value_of_type (before, G_TYPE_DOUBLE) &&
      json_node_get_double (before) >= 9223372036854775807.0)
    {
      g_set_error (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_HISTORY_OUT_OF_RANGE,
                   "The “before” member of %s is beyond any seq.", where);
      return NULL;
    }

  if (!read_int (object, where, "before", TRUE, &frame->before, error) ||
      !read_int (object, where, "limit", FALSE, &frame->limit, error))
    return NULL;

  if (frame->limit < 1 || frame->limit > TERTULIA_MAX_HISTORY_PAGE)
    {
      g_set_error (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_INVALID_FRAME,
                   "The “limit” member of %s must be from 1 to %d.", where, TERTULIA_MAX_HISTORY_PAGE);
      return NULL;
    }

  if (frame->before < 1)
    {
      g_set_error (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_HISTORY_OUT_OF_RANGE,
                   "The “before” member of %s must be a seq, at least 1.", where);
      return NULL;
    }

  return g_steal_pointer (&frame);
}

static gboolean read_events (JsonArray   *array,
                             const char  *where,
                             const char  *member,
                             GPtrArray   *into,
                             GError     **error);

static TertuliaFrame *
parse_history (JsonObject  *object,
               const char  *where,
               GError     **error)
{
  g_autoptr(TertuliaFrame) frame = tertulia_frame_new (TERTULIA_FRAME_HISTORY);
  JsonArray *events;

  if (!read_int (object, where, "before", TRUE, &frame->before, error) ||
      !read_array (object, where, "events", TRUE, &events, error) ||
      !read_bool (object, where, "more", FALSE, &frame->more, error) ||
      !read_events (events, where, "events", frame->history, error))
    return NULL;

  return g_steal_pointer (&frame);
}

/* Shared files */

/* A size or a picture's side: whole and not negative */
static gboolean
read_count (JsonObject  *object,
            const char  *where,
            const char  *member,
            gboolean     required,
            gint64      *out,
            GError     **error)
{
  if (!read_int (object, where, member, required, out, error))
    return FALSE;

  if (*out < 0)
    return wrong_type (where, member, "a whole number, not negative", error);

  return TRUE;
}

static gboolean
read_file_id (JsonObject  *object,
              const char  *where,
              char       **out,
              GError     **error)
{
  const char *id;

  if (!read_string (object, where, "id", TRUE, &id, error))
    return FALSE;

  if (!tertulia_file_id_is_valid (id))
    return wrong_type (where, "id", "a file id (32 lowercase hex digits)", error);

  *out = g_strdup (id);
  return TRUE;
}

static TertuliaFrame *
parse_file (JsonObject  *object,
            const char  *where,
            GError     **error)
{
  g_autoptr(TertuliaFrame) frame = tertulia_frame_new (TERTULIA_FRAME_FILE);
  g_autofree char *file_where = NULL;
  JsonObject *file;
  const char *name;
  const char *type;
  const char *sha256;

  if (!read_event (object, where, frame, error) ||
      !read_peer (object, where, "from", FALSE, &frame->peer, error) ||
      !read_object (object, where, "file", TRUE, &file, error))
    return NULL;

  file_where = g_strdup_printf ("“file” in %s", where);
  frame->file = tertulia_file_info_new ();
  if (!read_file_id (file, file_where, &frame->file->id, error) ||
      !read_string (file, file_where, "name", TRUE, &name, error) ||
      !read_count (file, file_where, "size", TRUE, &frame->file->size, error) ||
      !read_string (file, file_where, "type", TRUE, &type, error) ||
      !read_count (file, file_where, "width", FALSE, &frame->file->width, error) ||
      !read_count (file, file_where, "height", FALSE, &frame->file->height, error) ||
      !read_string (file, file_where, "sha256", TRUE, &sha256, error))
    return NULL;

  /* The host sanitized it; a client that saves or shows it must not have
   * to trust that.
   */
  frame->file->name = tertulia_file_name_sanitize (name);
  frame->file->type = g_strdup (type);
  frame->file->sha256 = g_strdup (sha256);

  return g_steal_pointer (&frame);
}

static TertuliaFrame *
parse_file_removed (JsonObject  *object,
                    const char  *where,
                    GError     **error)
{
  g_autoptr(TertuliaFrame) frame = tertulia_frame_new (TERTULIA_FRAME_FILE_REMOVED);

  frame->file = tertulia_file_info_new ();
  if (!read_event (object, where, frame, error) ||
      !read_peer (object, where, "by", FALSE, &frame->peer, error) ||
      !read_file_id (object, where, &frame->file->id, error))
    return NULL;

  return g_steal_pointer (&frame);
}

typedef TertuliaFrame *(*ParseFunc) (JsonObject  *object,
                                     const char  *where,
                                     GError     **error);

typedef struct
{
  const char *type;
  ParseFunc   parse;
} FrameParser;

static const FrameParser client_parsers[] = {
  { "hello", parse_hello },
  { "say", parse_say },
  { "nick", parse_nick },
  { "topic", parse_set_topic },
  { "history", parse_fetch_history },
  /* issue 18 */
  { "kick", _tertulia_protocol_parse_moderation_request },
  { "ban", _tertulia_protocol_parse_moderation_request },
  { "unban", _tertulia_protocol_parse_moderation_request },
  { "bans", _tertulia_protocol_parse_moderation_request },
  { "mute", _tertulia_protocol_parse_moderation_request },
  { "unmute", _tertulia_protocol_parse_moderation_request },
  { "slow", _tertulia_protocol_parse_moderation_request },
  { "lock", _tertulia_protocol_parse_moderation_request },
  { "op", _tertulia_protocol_parse_moderation_request },
  { "private-messages", _tertulia_protocol_parse_moderation_request },
  { "msg", _tertulia_protocol_parse_moderation_request },
  /* issue 19 */
  { "react", _tertulia_protocol_parse_react },
  { "edit", _tertulia_protocol_parse_edit_message },
  { "delete", _tertulia_protocol_parse_delete_message },
  { "typing", _tertulia_protocol_parse_set_typing },
};

static const FrameParser event_parsers[] = {
  { "message", parse_message },
  { "join", parse_join },
  { "leave", parse_leave },
  { "rename", parse_rename },
  { "topic", parse_topic },
  { "file", parse_file },
  { "file-removed", parse_file_removed },
  { "moderation", _tertulia_protocol_parse_moderation }, /* issue 18 */
  /* issue 19 */
  { "reaction", _tertulia_protocol_parse_reaction },
  { "edit", _tertulia_protocol_parse_edit },
  { "delete", _tertulia_protocol_parse_delete },
};

static TertuliaFrame *parse_welcome (JsonObject  *object,
                                     const char  *where,
                                     GError     **error);

static const FrameParser other_server_parsers[] = {
  { "welcome", parse_welcome },
  { "error", parse_error },
  { "history", parse_history },
  /* issue 18 */
  { "bans", _tertulia_protocol_parse_bans },
  { "private", _tertulia_protocol_parse_private },
  { "typing", _tertulia_protocol_parse_typing },  /* issue 19 */
};

static ParseFunc
find_parser (const FrameParser *parsers,
             guint              n_parsers,
             const char        *type)
{
  for (guint i = 0; i < n_parsers; i++)
    {
      if (g_str_equal (parsers[i].type, type))
        return parsers[i].parse;
    }

  return NULL;
}

static gboolean
read_type (JsonObject   *object,
           const char   *where,
           const char  **type,
           GError      **error)
{
  return read_string (object, where, "type", TRUE, type, error);
}

/* The event frames of @array (a welcome's "history", a history frame's
 * "events") into @into, oldest first.
 */
static gboolean
read_events (JsonArray   *array,
             const char  *where,
             const char  *member,
             GPtrArray   *into,
             GError     **error)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autofree char *event_where = NULL;
      g_autofree char *any_where = NULL;
      JsonObject *event;
      TertuliaFrame *parsed;
      const char *type;
      ParseFunc parse;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return wrong_type (where, member, "an array of objects", error);

      event = json_node_get_object (node);

      any_where = g_strdup_printf ("an event in the “%s” of %s", member, where);
      if (!read_type (event, any_where, &type, error))
        return FALSE;

      /* A newer host may have events this version does not know; they
       * are skipped as they would be when they arrive live.
       */
      parse = find_parser (event_parsers, G_N_ELEMENTS (event_parsers), type);
      if (parse == NULL)
        {
          g_debug ("Skipping a “%s” event in the %s of %s", type, member, where);
          continue;
        }

      event_where = g_strdup_printf ("a “%s” event in the “%s” of %s", type, member, where);
      parsed = parse (event, event_where, error);
      if (parsed == NULL)
        return FALSE;

      g_ptr_array_add (into, parsed);
    }

  return TRUE;
}

static TertuliaFrame *
parse_welcome (JsonObject  *object,
               const char  *where,
               GError     **error)
{
  g_autoptr(TertuliaFrame) frame = tertulia_frame_new (TERTULIA_FRAME_WELCOME);
  g_autofree char *room_where = g_strdup_printf ("“room” in %s", where);
  g_autofree char *participant_where = g_strdup_printf ("a participant in %s", where);
  g_autofree char *limits_where = g_strdup_printf ("“limits” in %s", where);
  JsonObject *room;
  JsonObject *limits;
  JsonArray *participants;
  JsonArray *history;
  const char *room_id;
  const char *name;
  const char *topic;
  const char *resume_token;
  const char *file_token = NULL;

  if (!read_int (object, where, "version", TRUE, &frame->version, error))
    return NULL;

  if (frame->version != TERTULIA_PROTOCOL_VERSION)
    {
      g_set_error (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_VERSION_UNSUPPORTED,
                   "The host speaks version %" G_GINT64_FORMAT " of the Tertulia protocol, not version %d.",
                   frame->version, TERTULIA_PROTOCOL_VERSION);
      return NULL;
    }

  if (!read_peer (object, where, "you", TRUE, &frame->you, error) ||
      !read_object (object, where, "room", TRUE, &room, error) ||
      !read_string (room, room_where, "id", FALSE, &room_id, error) ||
      !read_string (room, room_where, "name", TRUE, &name, error) ||
      !read_string (room, room_where, "topic", FALSE, &topic, error) ||
      !read_array (object, where, "participants", TRUE, &participants, error) ||
      !read_int (object, where, "seq", TRUE, &frame->seq, error) ||
      !read_string (object, where, "resume_token", FALSE, &resume_token, error) ||
      !read_bool (object, where, "resumed", FALSE, &frame->resumed, error) ||
      !read_bool (object, where, "gap", FALSE, &frame->gap, error) ||
      !read_object (object, where, "limits", FALSE, &limits, error) ||
      !read_string (object, where, "file_token", FALSE, &file_token, error) ||
      !read_array (object, where, "history", FALSE, &history, error))
    return NULL;

  frame->file_token = g_strdup (file_token);

  if (!_tertulia_protocol_read_welcome_moderation (object, room, where, frame, error))
    return NULL;

  frame->room_id = g_strdup (room_id);
  frame->room_name = g_strdup (name);
  frame->topic = g_strdup (topic);
  frame->resume_token = g_strdup (resume_token);

  /* Absent limits keep the defaults of this version */
  if (limits != NULL &&
      (!read_int (limits, limits_where, "text", FALSE, &frame->limits.text, error) ||
       !read_int (limits, limits_where, "nick", FALSE, &frame->limits.nick, error) ||
       !read_int (limits, limits_where, "topic", FALSE, &frame->limits.topic, error) ||
       !read_int (limits, limits_where, "room_name", FALSE, &frame->limits.room_name, error) ||
       !read_int (limits, limits_where, "frame_bytes", FALSE, &frame->limits.frame_bytes, error) ||
       !read_int (limits, limits_where, "history", FALSE, &frame->limits.history, error) ||
       !read_int (limits, limits_where, "json_depth", FALSE, &frame->limits.json_depth, error) ||
       !read_int (limits, limits_where, "hello_seconds", FALSE, &frame->limits.hello_seconds, error) ||
       !read_int (limits, limits_where, "rate_burst", FALSE, &frame->limits.rate_burst, error) ||
       !read_int (limits, limits_where, "rate_per_second", FALSE, &frame->limits.rate_per_second, error) ||
       !read_int (limits, limits_where, "connections", FALSE, &frame->limits.connections, error) ||
       !read_int (limits, limits_where, "connections_per_address", FALSE, &frame->limits.connections_per_address, error) ||
       !read_int (limits, limits_where, "queue_bytes", FALSE, &frame->limits.queue_bytes, error) ||
       !read_int (limits, limits_where, "ping_seconds", FALSE, &frame->limits.ping_seconds, error) ||
       !read_int (limits, limits_where, "idle_seconds", FALSE, &frame->limits.idle_seconds, error) ||
       !read_int (limits, limits_where, "file_bytes", FALSE, &frame->limits.file_bytes, error) ||
       !read_int (limits, limits_where, "room_file_bytes", FALSE, &frame->limits.room_file_bytes, error)))
    return NULL;

  for (guint i = 0; i < json_array_get_length (participants); i++)
    {
      JsonNode *node = json_array_get_element (participants, i);
      g_autoptr(TertuliaPeer) peer = g_new0 (TertuliaPeer, 1);

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          wrong_type (where, "participants", "an array of objects", error);
          return NULL;
        }

      if (!read_peer_object (json_node_get_object (node), participant_where, TRUE, peer, error))
        return NULL;

      g_ptr_array_add (frame->participants, g_steal_pointer (&peer));
    }

  if (history != NULL && !read_events (history, where, "history", frame->history, error))
    return NULL;

  return g_steal_pointer (&frame);
}

static TertuliaFrame *
parse_frame (const char         *data,
             gsize               length,
             gsize               max_bytes,
             const FrameParser  *parsers,
             guint               n_parsers,
             const FrameParser  *more_parsers,
             guint               n_more_parsers,
             GError            **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *where = NULL;
  JsonObject *object;
  const char *type;
  ParseFunc parse;

  if (length == (gsize) -1)
    length = strlen (data);

  root = _tertulia_protocol_load_frame (data, length, max_bytes, error);
  if (root == NULL)
    return NULL;

  object = json_node_get_object (root);

  if (!read_type (object, "the frame", &type, error))
    return NULL;

  parse = find_parser (parsers, n_parsers, type);
  if (parse == NULL && more_parsers != NULL)
    parse = find_parser (more_parsers, n_more_parsers, type);

  if (parse == NULL)
    {
      /* The type comes back on the wire; a long one is not repeated */
      if (g_utf8_strlen (type, -1) <= 32)
        g_set_error (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_UNKNOWN_TYPE,
                     "Unknown frame type “%s”.", type);
      else
        g_set_error_literal (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_UNKNOWN_TYPE,
                             "Unknown frame type.");
      return NULL;
    }

  where = g_strdup_printf ("the “%s” frame", type);

  return parse (object, where, error);
}

TertuliaFrame *
tertulia_protocol_parse_client_frame (const char  *data,
                                      gsize        length,
                                      GError     **error)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return parse_frame (data != NULL ? data : "", length, TERTULIA_MAX_FRAME_BYTES,
                      client_parsers, G_N_ELEMENTS (client_parsers),
                      NULL, 0,
                      error);
}

TertuliaFrame *
tertulia_protocol_parse_server_frame (const char  *data,
                                      gsize        length,
                                      GError     **error)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* No size limit: a welcome with a long history is far bigger than what
   * a client may send.
   */
  return parse_frame (data != NULL ? data : "", length, 0,
                      event_parsers, G_N_ELEMENTS (event_parsers),
                      other_server_parsers, G_N_ELEMENTS (other_server_parsers),
                      error);
}

char *
tertulia_protocol_dup_cid (const char *data,
                           gsize       length)
{
  g_autoptr(JsonNode) root = NULL;
  JsonNode *node;
  const char *cid;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (data == NULL)
    return NULL;

  if (length == (gsize) -1)
    length = strlen (data);

  root = _tertulia_protocol_load_frame (data, length, TERTULIA_MAX_FRAME_BYTES, NULL);
  if (root == NULL)
    return NULL;

  node = get_member (json_node_get_object (root), "cid");
  if (node == NULL || !holds_value_of_type (node, G_TYPE_STRING))
    return NULL;

  cid = json_node_get_string (node);
  if (!cid_is_valid (cid))
    return NULL;

  return g_strdup (cid);
}


/* issue 18: the readers above, for tertulia-protocol-moderation.c */
/* issue 19: the readers, for the frames of tertulia-protocol-conversation.c */

gboolean
_tertulia_protocol_read_string (JsonObject   *object,
                                const char   *where,
                                const char   *member,
                                gboolean      required,
                                const char  **out,
                                GError      **error)
{
  return read_string (object, where, member, required, out, error);
}

gboolean
_tertulia_protocol_read_int (JsonObject  *object,
                             const char  *where,
                             const char  *member,
                             gboolean     required,
                             gint64      *out,
                             GError     **error)
{
  return read_int (object, where, member, required, out, error);
}

gboolean
_tertulia_protocol_read_bool (JsonObject  *object,
                              const char  *where,
                              const char  *member,
                              gboolean     required,
                              gboolean    *out,
                              GError     **error)
{
  return read_bool (object, where, member, required, out, error);
}

gboolean
_tertulia_protocol_read_object (JsonObject   *object,
                                const char   *where,
                                const char   *member,
                                gboolean      required,
                                JsonObject  **out,
                                GError      **error)
{
  return read_object (object, where, member, required, out, error);
}

gboolean
_tertulia_protocol_read_array (JsonObject  *object,
                               const char  *where,
                               const char  *member,
                               gboolean     required,
                               JsonArray  **out,
                               GError     **error)
{
  return read_array (object, where, member, required, out, error);
}

gboolean
_tertulia_protocol_read_peer (JsonObject    *object,
                              const char    *where,
                              const char    *member,
                              gboolean       full,
                              TertuliaPeer  *peer,
                              GError       **error)
{
  return read_peer (object, where, member, full, peer, error);
}

gboolean
_tertulia_protocol_read_short_peer (JsonObject    *object,
                                    const char    *where,
                                    const char    *member,
                                    TertuliaPeer  *peer,
                                    GError       **error)
{
  return read_peer (object, where, member, FALSE, peer, error);
}

gboolean
_tertulia_protocol_read_event (JsonObject     *object,
                               const char     *where,
                               TertuliaFrame  *frame,
                               GError        **error)
{
  return read_event (object, where, frame, error);
}

gboolean
_tertulia_protocol_read_cid (JsonObject  *object,
                             const char  *where,
                             char       **out,
                             GError     **error)
{
  const char *cid;

  if (!read_string (object, where, "cid", FALSE, &cid, error))
    return FALSE;

  if (cid != NULL && !cid_is_valid (cid))
    {
      g_set_error (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_INVALID_FRAME,
                   "The “cid” member of %s must be 1 to %d printable ASCII characters.",
                   where, TERTULIA_MAX_CID_BYTES);
      return FALSE;
    }

  g_free (*out);
  *out = g_strdup (cid);
  return TRUE;
}

gboolean
_tertulia_protocol_read_text (JsonObject  *object,
                              const char  *where,
                              char       **out,
                              GError     **error)
{
  const char *text;
  char *normalized;

  if (!read_string (object, where, "text", TRUE, &text, error))
    return FALSE;

  normalized = tertulia_protocol_normalize_text (text, error);
  if (normalized == NULL)
    return FALSE;

  g_free (*out);
  *out = normalized;
  return TRUE;
}

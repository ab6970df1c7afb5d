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

#include <json-glib/json-glib.h>

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


/* Kept with the room
 *
 * A room kept in a store (a journal) keeps its moderation for as long as
 * the room lives, across restarts of its host: the bans (with the hash of
 * the resume token, never the token), the keys of the muted and of the
 * co-hosts, and the settings, as one JSON value under "moderation". It is
 * written whole on every change (they are rare), in the same batch as the
 * event that tells the room, and read back when the server is made on the
 * store, before any hello. A room without a store keeps it in memory only.
 */

#define STATE_NAME         "moderation"
#define STATE_DAMAGED_NAME "moderation.damaged"
#define STATE_VERSION      1

static void
add_keys (JsonBuilder *builder,
          const char  *member,
          GPtrArray   *keys)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; i < keys->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (keys, i));
  json_builder_end_array (builder);
}

static void
add_optional_string (JsonBuilder *builder,
                     const char  *member,
                     const char  *value)
{
  if (value == NULL)
    return;

  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value);
}

static void
moderation_save (TertuliaServer *self)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) muted = g_ptr_array_new ();
  g_autoptr(GPtrArray) cohosts = g_ptr_array_new ();
  char *json;
  gsize length;

  if (self->store == NULL)
    return;

  if (self->muted_keys != NULL)
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, self->muted_keys);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_ptr_array_add (muted, key);
    }

  /* A co-host is kept by its identity: resuming after the restart, it is
   * a co-host again
   */
  for (guint i = 0; i < self->participants->len; i++)
    {
      Participant *participant = g_ptr_array_index (self->participants, i);

      if (!participant->host && participant->role == TERTULIA_ROLE_COHOST)
        g_ptr_array_add (cohosts, participant->token_key);
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, STATE_VERSION);
  json_builder_set_member_name (builder, "locked");
  json_builder_add_boolean_value (builder, self->locked);
  json_builder_set_member_name (builder, "slow_seconds");
  json_builder_add_int_value (builder, self->slow_seconds);
  json_builder_set_member_name (builder, "private_messages");
  json_builder_add_string_value (builder, tertulia_private_messages_to_string (self->private_messages));
  json_builder_set_member_name (builder, "next_ban_id");
  json_builder_add_int_value (builder, self->next_ban_id);

  json_builder_set_member_name (builder, "bans");
  json_builder_begin_array (builder);
  for (guint i = 0; self->bans != NULL && i < self->bans->len; i++)
    {
      Ban *ban = g_ptr_array_index (self->bans, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, ban->id);
      json_builder_set_member_name (builder, "participant");
      json_builder_add_int_value (builder, ban->participant_id);
      json_builder_set_member_name (builder, "nick");
      json_builder_add_string_value (builder, ban->nick);
      add_optional_string (builder, "address", ban->address);
      add_optional_string (builder, "token_key", ban->token_key);
      json_builder_set_member_name (builder, "by");
      json_builder_add_string_value (builder, ban->by);
      add_optional_string (builder, "reason", ban->reason);
      json_builder_set_member_name (builder, "time");
      json_builder_add_int_value (builder, ban->time);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  add_keys (builder, "muted", muted);
  add_keys (builder, "cohosts", cohosts);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, &length);

  {
    g_autoptr(GBytes) value = g_bytes_new_take (json, length);

    tertulia_store_save_state (self->store, STATE_NAME, value);
  }
  self->store_dirty = TRUE;
}

/* A string member, or NULL (absent or null); FALSE if it is something else */
static gboolean
read_string (JsonObject  *object,
             const char  *member,
             const char **value)
{
  JsonNode *node = json_object_get_member (object, member);

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;

  *value = json_node_get_string (node);
  return TRUE;
}

static gboolean
read_int (JsonObject *object,
          const char *member,
          gint64     *value)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;

  *value = json_node_get_int (node);
  return TRUE;
}

/* The strings of an array member into a set; FALSE if it is not one */
static gboolean
read_keys (JsonObject *object,
           const char *member,
           GHashTable *keys)
{
  JsonNode *node = json_object_get_member (object, member);
  JsonArray *array;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        return FALSE;
      g_hash_table_add (keys, g_strdup (json_node_get_string (element)));
    }

  return TRUE;
}

static Ban *
read_ban (JsonNode *node)
{
  JsonObject *object;
  const char *nick, *address, *token_key, *by, *reason;
  Ban *ban;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  object = json_node_get_object (node);

  ban = g_new0 (Ban, 1);
  if (!read_int (object, "id", &ban->id) ||
      !read_int (object, "participant", &ban->participant_id) ||
      !read_int (object, "time", &ban->time) ||
      !read_string (object, "nick", &nick) || nick == NULL ||
      !read_string (object, "by", &by) || by == NULL ||
      !read_string (object, "address", &address) ||
      !read_string (object, "token_key", &token_key) ||
      !read_string (object, "reason", &reason))
    {
      ban_free (ban);
      return NULL;
    }

  ban->nick = g_strdup (nick);
  ban->by = g_strdup (by);
  ban->address = g_strdup (address);
  ban->token_key = g_strdup (token_key);
  ban->reason = g_strdup (reason);

  return ban;
}

/* Reads what moderation_save() wrote into @self; FALSE, with nothing
 * changed, if it is not that
 */
static gboolean
moderation_parse (TertuliaServer  *self,
                  GBytes          *value,
                  GError         **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) bans = g_ptr_array_new_with_free_func ((GDestroyNotify) ban_free);
  g_autoptr(GHashTable) muted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) cohosts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  TertuliaPrivateMessages private_messages = TERTULIA_PRIVATE_MESSAGES_EVERYONE;
  JsonObject *object;
  JsonNode *node;
  const char *allow;
  gint64 version = 0, slow_seconds = 0, next_ban_id = 0;
  gsize size;
  const char *data = g_bytes_get_data (value, &size);

  if (!json_parser_load_from_data (parser, data != NULL ? data : "", size, error))
    return FALSE;

  node = json_parser_get_root (parser);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    goto invalid;
  object = json_node_get_object (node);

  if (!read_int (object, "version", &version) || version != STATE_VERSION ||
      !read_int (object, "slow_seconds", &slow_seconds) || slow_seconds < 0 || slow_seconds > G_MAXUINT ||
      !read_int (object, "next_ban_id", &next_ban_id) ||
      !read_string (object, "private_messages", &allow) ||
      (allow != NULL && !tertulia_private_messages_from_string (allow, &private_messages)) ||
      (node = json_object_get_member (object, "locked")) == NULL ||
      !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN ||
      !read_keys (object, "muted", muted) ||
      !read_keys (object, "cohosts", cohosts))
    goto invalid;

  if ((node = json_object_get_member (object, "bans")) != NULL)
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        goto invalid;
      array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          Ban *ban = read_ban (json_array_get_element (array, i));

          if (ban == NULL)
            goto invalid;
          g_ptr_array_add (bans, ban);
          next_ban_id = MAX (next_ban_id, ban->id);
        }
    }

  self->locked = json_object_get_boolean_member (object, "locked");
  self->slow_seconds = (guint) slow_seconds;
  self->private_messages = private_messages;
  self->next_ban_id = next_ban_id;
  g_clear_pointer (&self->bans, g_ptr_array_unref);
  if (bans->len > 0)
    self->bans = g_steal_pointer (&bans);
  g_clear_pointer (&self->muted_keys, g_hash_table_unref);
  if (g_hash_table_size (muted) > 0)
    self->muted_keys = g_steal_pointer (&muted);

  /* Those present when the host stopped are back within their grace */
  for (guint i = 0; i < self->participants->len; i++)
    {
      Participant *participant = g_ptr_array_index (self->participants, i);

      if (participant->host)
        continue;
      participant->muted = self->muted_keys != NULL &&
                           g_hash_table_contains (self->muted_keys, participant->token_key);
      if (g_hash_table_contains (cohosts, participant->token_key))
        participant->role = TERTULIA_ROLE_COHOST;
      _tertulia_participant_update_json (participant);
    }

  return TRUE;

invalid:
  g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                       "not the moderation state this host writes");
  return FALSE;
}

void
_tertulia_server_moderation_restore (TertuliaServer *self)
{
  g_autoptr(GBytes) value = NULL;
  g_autoptr(GError) error = NULL;

  if (self->store == NULL)
    return;

  value = tertulia_store_dup_state (self->store, STATE_NAME);
  if (value == NULL || moderation_parse (self, value, &error))
    return;

  /* The room opens anyway, with no bans; what could not be read is kept
   * for whoever wants to look, and the next change writes a good state
   */
  g_warning ("The room's moderation state could not be read (%s): it was put aside as “%s”, "
             "and the room starts with no bans",
             error->message, STATE_DAMAGED_NAME);
  tertulia_store_save_state (self->store, STATE_DAMAGED_NAME, value);
  moderation_save (self);
  tertulia_store_flush (self->store);
  self->store_dirty = FALSE;
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
      moderation_save (self);
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
  moderation_save (self);

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
      moderation_save (self);
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
  moderation_save (self);

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
  moderation_save (self);
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
  moderation_save (self);
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
  moderation_save (self);
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
  moderation_save (self);
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

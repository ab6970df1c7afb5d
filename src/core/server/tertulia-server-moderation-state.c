/* tertulia-server-moderation-state.c — a room's moderation kept with the
 * room, so that it outlives its host (issue 18; docs/PROTOCOL.md, "A host
 * that restarts")
 *
 * A room kept in a store (a journal) keeps its moderation for as long as
 * the room lives, across restarts of its host: the bans (with the hash of
 * the resume token, never the token), the keys of the muted and of the
 * co-hosts, and the settings, as one JSON value under "moderation". It is
 * written whole on every change (they are rare), in the same batch as the
 * event that tells the room, and read back when the server is made on the
 * store, before any hello. A room without a store keeps it in memory only.
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-server"
#define TERTULIA_SERVER_COMPILATION

#include "config.h"

#include <json-glib/json-glib.h>

#include "tertulia-protocol-moderation.h"
#include "tertulia-server-private.h"

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

void
_tertulia_server_moderation_save (TertuliaServer *self)
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
      _tertulia_ban_free (ban);
      return NULL;
    }

  ban->nick = g_strdup (nick);
  ban->by = g_strdup (by);
  ban->address = g_strdup (address);
  ban->token_key = g_strdup (token_key);
  ban->reason = g_strdup (reason);

  return ban;
}

/* Reads what _tertulia_server_moderation_save() wrote into @self; FALSE, with nothing
 * changed, if it is not that
 */
static gboolean
moderation_parse (TertuliaServer  *self,
                  GBytes          *value,
                  GError         **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) bans = g_ptr_array_new_with_free_func ((GDestroyNotify) _tertulia_ban_free);
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
   * for whoever wants to look, and a good state replaces it at once, so
   * that the next start does not warn again
   */
  g_warning ("The room's moderation state could not be read (%s): it was put aside as “%s”, "
             "and the room starts with no bans",
             error->message, STATE_DAMAGED_NAME);
  tertulia_store_save_state (self->store, STATE_DAMAGED_NAME, value);
  _tertulia_server_moderation_save (self);
  tertulia_store_flush (self->store);
  self->store_dirty = FALSE;
}

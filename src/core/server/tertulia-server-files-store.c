/* tertulia-server-files-store.c — where the room's shared files are kept,
 * what they are, and the tokens that let participants reach them
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-server"
#define TERTULIA_SERVER_COMPILATION

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tertulia-server-files-private.h"
#include "tertulia-server-private.h"

#define META_SUFFIX ".json"
#define PART_SUFFIX ".part"

static void
stored_file_free (StoredFile *stored)
{
  tertulia_file_info_free (stored->info);
  g_free (stored);
}

TertuliaFiles *
_tertulia_files_new (TertuliaServer *server)
{
  TertuliaFiles *files = g_new0 (TertuliaFiles, 1);

  files->server = server;
  files->files = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) stored_file_free);
  files->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  files->transfers = g_ptr_array_new ();
  files->pace = _tertulia_transfer_pace_new ();
  files->max_file = TERTULIA_DEFAULT_FILE_BYTES;
  files->max_room = TERTULIA_DEFAULT_ROOM_FILE_BYTES;

  return files;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

void
_tertulia_files_free (TertuliaFiles *files)
{
  _tertulia_files_stop (files);
  g_ptr_array_unref (files->transfers);
  _tertulia_transfer_pace_unref (files->pace);

  /* A room kept in memory leaves nothing behind */
  if (files->temp_dir != NULL)
    remove_tree (files->temp_dir);

  g_free (files->temp_dir);
  g_free (files->base_dir);
  g_free (files->room_dir);
  g_hash_table_unref (files->files);
  g_hash_table_unref (files->tokens);
  g_free (files);
}

void
_tertulia_files_set_directory (TertuliaFiles *files,
                               const char    *directory)
{
  g_return_if_fail (files->room_dir == NULL);

  g_free (files->base_dir);
  files->base_dir = g_strdup (directory);
}

void
_tertulia_files_set_limits (TertuliaFiles *files,
                            guint64        file_bytes,
                            guint64        room_bytes)
{
  if (file_bytes > 0)
    files->max_file = file_bytes;
  if (room_bytes > 0)
    files->max_room = room_bytes;
}

guint64
_tertulia_files_get_file_limit (TertuliaFiles *files)
{
  return MIN (files->max_file, files->max_room);
}

guint64
_tertulia_files_get_room_limit (TertuliaFiles *files)
{
  return files->max_room;
}


/* What a restarted host finds */

static TertuliaFileInfo *
read_meta (const char *path,
           gint64     *from_id)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(TertuliaFileInfo) info = tertulia_file_info_new ();
  JsonObject *object;

  if (!json_parser_load_from_file (parser, path, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;

  object = json_node_get_object (json_parser_get_root (parser));
  info->id = g_strdup (json_object_get_string_member_with_default (object, "id", ""));
  info->name = tertulia_file_name_sanitize (json_object_get_string_member_with_default (object, "name", NULL));
  info->size = json_object_get_int_member_with_default (object, "size", -1);
  info->type = g_strdup (json_object_get_string_member_with_default (object, "type", "application/octet-stream"));
  info->width = json_object_get_int_member_with_default (object, "width", 0);
  info->height = json_object_get_int_member_with_default (object, "height", 0);
  info->sha256 = g_strdup (json_object_get_string_member_with_default (object, "sha256", ""));
  *from_id = json_object_get_int_member_with_default (object, "from", 0);

  if (!tertulia_file_id_is_valid (info->id) || info->size < 0)
    return NULL;

  return g_steal_pointer (&info);
}

static void
files_load (TertuliaFiles *files)
{
  g_autoptr(GDir) dir = g_dir_open (files->room_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (files->room_dir, name, NULL);
      g_autofree char *data_path = NULL;
      g_autoptr(TertuliaFileInfo) info = NULL;
      GStatBuf st;
      gint64 from_id = 0;

      /* An upload the host was stopped in the middle of */
      if (g_str_has_suffix (name, PART_SUFFIX))
        {
          g_unlink (path);
          continue;
        }

      if (!g_str_has_suffix (name, META_SUFFIX))
        continue;

      info = read_meta (path, &from_id);
      if (info == NULL)
        continue;

      data_path = g_build_filename (files->room_dir, info->id, NULL);
      if (g_stat (data_path, &st) != 0 || (gint64) st.st_size != info->size)
        {
          g_debug ("file %s is gone or damaged; forgetting it", info->id);
          g_unlink (path);
          g_unlink (data_path);
          continue;
        }

      files->used += (guint64) info->size;
      _tertulia_files_add_loaded (files, g_steal_pointer (&info), from_id);
    }

  g_debug ("%u shared files in %s", g_hash_table_size (files->files), files->room_dir);
}

const char *
_tertulia_files_get_room_dir (TertuliaFiles  *files,
                              GError        **error)
{
  const char *base;

  if (files->room_dir != NULL)
    return files->room_dir;

  base = files->base_dir;
  if (base == NULL)
    {
      if (files->temp_dir == NULL)
        {
          files->temp_dir = g_dir_make_tmp ("tertulia-files-XXXXXX", error);
          if (files->temp_dir == NULL)
            return NULL;
        }
      base = files->temp_dir;
    }

  /* One folder per room: a journal started over (a damaged one moved
   * aside) is another room, whose guests must not see these files
   */
  files->room_dir = g_build_filename (base, files->server->room_id, NULL);
  if (g_mkdir_with_parents (files->room_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Cannot make the folder for the room's files, %s: %s",
                   files->room_dir, g_strerror (saved_errno));
      g_clear_pointer (&files->room_dir, g_free);
      return NULL;
    }

  files_load (files);

  return files->room_dir;
}

StoredFile *
_tertulia_files_lookup (TertuliaFiles *files,
                        const char    *id)
{
  if (_tertulia_files_get_room_dir (files, NULL) == NULL)
    return NULL;

  return g_hash_table_lookup (files->files, id);
}

char *
_tertulia_files_dup_path (TertuliaFiles *files,
                          const char    *id)
{
  return g_build_filename (files->room_dir, id, NULL);
}

guint64
_tertulia_files_get_committed (TertuliaFiles *files)
{
  return files->used + files->reserved;
}

void
_tertulia_files_reserve (TertuliaFiles *files,
                         gint64         bytes)
{
  g_assert (bytes >= 0 || files->reserved >= (guint64) -bytes);

  files->reserved += bytes;
}

void
_tertulia_files_add_loaded (TertuliaFiles    *files,
                            TertuliaFileInfo *info,
                            gint64            from_id)
{
  StoredFile *stored = g_new0 (StoredFile, 1);

  stored->info = info;
  stored->from_id = from_id;
  g_hash_table_replace (files->files, info->id, stored);
}

gboolean
_tertulia_files_add (TertuliaFiles     *files,
                     TertuliaFileInfo  *info,
                     gint64             from_id,
                     GError           **error)
{
  g_autoptr(TertuliaFileInfo) owned = info;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  g_autofree char *name = g_strconcat (info->id, META_SUFFIX, NULL);
  g_autofree char *path = g_build_filename (files->room_dir, name, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, info->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, info->name);
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, info->size);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, info->type);
  json_builder_set_member_name (builder, "width");
  json_builder_add_int_value (builder, info->width);
  json_builder_set_member_name (builder, "height");
  json_builder_add_int_value (builder, info->height);
  json_builder_set_member_name (builder, "sha256");
  json_builder_add_string_value (builder, info->sha256);
  json_builder_set_member_name (builder, "from");
  json_builder_add_int_value (builder, from_id);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);

  /* Written whole (a temporary file renamed), so that a restarted host
   * finds either the file's description or nothing
   */
  if (!g_file_set_contents_full (path, json, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return FALSE;

  files->used += (guint64) info->size;
  _tertulia_files_add_loaded (files, g_steal_pointer (&owned), from_id);

  return TRUE;
}

void
_tertulia_files_remove (TertuliaFiles *files,
                        const char    *id)
{
  StoredFile *stored = g_hash_table_lookup (files->files, id);
  g_autofree char *data_path = NULL;
  g_autofree char *meta_path = NULL;
  g_autofree char *meta_name = NULL;

  if (stored == NULL)
    return;

  meta_name = g_strconcat (id, META_SUFFIX, NULL);
  meta_path = g_build_filename (files->room_dir, meta_name, NULL);
  data_path = g_build_filename (files->room_dir, id, NULL);
  /* The description first: a host stopped between the two forgets the
   * file, and a download already under way keeps its open descriptor
   */
  g_unlink (meta_path);
  g_unlink (data_path);

  files->used -= MIN (files->used, (guint64) stored->info->size);
  g_hash_table_remove (files->files, id);
}

char *
_tertulia_files_dup_part_path (TertuliaFiles *files,
                               const char    *id)
{
  g_autofree char *name = g_strconcat (id, PART_SUFFIX, NULL);

  return g_build_filename (files->room_dir, name, NULL);
}


/* Tokens */

char *
_tertulia_files_token_for_key (const char *token_key)
{
  static const char purpose[] = "tertulia-files-v1";

  return g_compute_hmac_for_string (G_CHECKSUM_SHA256,
                                    (const guchar *) token_key, strlen (token_key),
                                    purpose, -1);
}

static gboolean
secret_equal (const char *a,
              const char *b)
{
  gsize length = strlen (a);
  guint8 difference = 0;

  if (length != strlen (b))
    return FALSE;

  /* Constant time: a guess learns nothing from how long a "no" took */
  for (gsize i = 0; i < length; i++)
    difference |= (guint8) (a[i] ^ b[i]);

  return difference == 0;
}

static const char *
files_token_of (TertuliaFiles *files,
                Participant   *participant)
{
  const char *token = g_hash_table_lookup (files->tokens, participant->token_key);

  if (token == NULL)
    {
      token = _tertulia_files_token_for_key (participant->token_key);
      g_hash_table_insert (files->tokens, g_strdup (participant->token_key), (char *) token);
    }

  return token;
}

Participant *
_tertulia_files_find_by_token (TertuliaFiles *files,
                               const char    *token)
{
  GPtrArray *participants = files->server->participants;

  if (token == NULL || strlen (token) != 64)
    return NULL;

  for (guint i = 0; i < participants->len; i++)
    {
      Participant *participant = g_ptr_array_index (participants, i);

      if (secret_equal (files_token_of (files, participant), token))
        return participant;
    }

  return NULL;
}

Participant *
_tertulia_files_find_by_capability (TertuliaFiles *files,
                                    gint64         participant_id,
                                    const char    *file_id,
                                    const char    *capability)
{
  GPtrArray *participants = files->server->participants;

  if (capability == NULL)
    return NULL;

  for (guint i = 0; i < participants->len; i++)
    {
      Participant *participant = g_ptr_array_index (participants, i);
      g_autofree char *expected = NULL;

      if (participant->id != participant_id)
        continue;

      expected = tertulia_file_capability (files_token_of (files, participant), file_id);
      return secret_equal (expected, capability) ? participant : NULL;
    }

  return NULL;
}

void
_tertulia_server_files_fill_welcome (TertuliaServer *self,
                                     Participant    *participant,
                                     TertuliaFrame  *welcome)
{
  welcome->file_token = g_strdup (files_token_of (self->files, participant));
  welcome->limits.file_bytes = (gint64) _tertulia_files_get_file_limit (self->files);
  welcome->limits.room_file_bytes = (gint64) _tertulia_files_get_room_limit (self->files);
}


/* What a file is */

static guint32
be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static guint32
le16 (const guint8 *p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8);
}

static guint32
le24 (const guint8 *p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16);
}

/* The frame header (SOFn) of a JPEG, past its other segments */
static gboolean
jpeg_size (const guint8 *p,
           gsize         length,
           gint64       *width,
           gint64       *height)
{
  gsize i = 2;

  while (i + 9 < length)
    {
      guint8 marker;
      gsize segment;

      if (p[i] != 0xFF)
        return FALSE;
      marker = p[i + 1];
      if (marker == 0xFF)
        {
          i++;
          continue;
        }
      segment = ((gsize) p[i + 2] << 8) | p[i + 3];
      if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC)
        {
          *height = ((gint64) p[i + 5] << 8) | p[i + 6];
          *width = ((gint64) p[i + 7] << 8) | p[i + 8];
          return TRUE;
        }
      if (segment < 2)
        return FALSE;
      i += 2 + segment;
    }

  return FALSE;
}

static gboolean
webp_size (const guint8 *p,
           gsize         length,
           gint64       *width,
           gint64       *height)
{
  if (length >= 30 && memcmp (p + 12, "VP8 ", 4) == 0 &&
      p[23] == 0x9D && p[24] == 0x01 && p[25] == 0x2A)
    {
      *width = le16 (p + 26) & 0x3FFF;
      *height = le16 (p + 28) & 0x3FFF;
      return TRUE;
    }
  if (length >= 25 && memcmp (p + 12, "VP8L", 4) == 0 && p[20] == 0x2F)
    {
      guint32 bits = (guint32) p[21] | ((guint32) p[22] << 8) | ((guint32) p[23] << 16) | ((guint32) p[24] << 24);

      *width = (bits & 0x3FFF) + 1;
      *height = ((bits >> 14) & 0x3FFF) + 1;
      return TRUE;
    }
  if (length >= 30 && memcmp (p + 12, "VP8X", 4) == 0)
    {
      *width = (gint64) le24 (p + 24) + 1;
      *height = (gint64) le24 (p + 27) + 1;
      return TRUE;
    }

  return FALSE;
}

char *
_tertulia_files_sniff (const guint8 *p,
                       gsize         length,
                       gboolean      is_text,
                       gint64       *width,
                       gint64       *height)
{
  static const struct {
    const char *magic;
    gsize       length;
    const char *type;
  } others[] = {
    { "%PDF-", 5, "application/pdf" },
    { "PK\x03\x04", 4, "application/zip" },
    { "\x1f\x8b", 2, "application/gzip" },
    { "7z\xbc\xaf\x27\x1c", 6, "application/x-7z-compressed" },
    { "Rar!\x1a\x07", 6, "application/vnd.rar" },
    { "OggS", 4, "application/ogg" },
    { "fLaC", 4, "audio/flac" },
    { "ID3", 3, "audio/mpeg" },
    { "\x7f" "ELF", 4, "application/x-executable" },
  };

  *width = 0;
  *height = 0;

  if (length >= 24 && memcmp (p, "\x89PNG\r\n\x1a\n", 8) == 0 && memcmp (p + 12, "IHDR", 4) == 0)
    {
      *width = be32 (p + 16);
      *height = be32 (p + 20);
      return g_strdup ("image/png");
    }

  if (length >= 10 && (memcmp (p, "GIF87a", 6) == 0 || memcmp (p, "GIF89a", 6) == 0))
    {
      *width = le16 (p + 6);
      *height = le16 (p + 8);
      return g_strdup ("image/gif");
    }

  if (length >= 4 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
    {
      if (!jpeg_size (p, length, width, height))
        *width = *height = 0;
      return g_strdup ("image/jpeg");
    }

  if (length >= 16 && memcmp (p, "RIFF", 4) == 0 && memcmp (p + 8, "WEBP", 4) == 0)
    {
      if (!webp_size (p, length, width, height))
        *width = *height = 0;
      return g_strdup ("image/webp");
    }

  if (length >= 12 && memcmp (p, "RIFF", 4) == 0 && memcmp (p + 8, "WAVE", 4) == 0)
    return g_strdup ("audio/wav");

  if (length >= 12 && memcmp (p + 4, "ftyp", 4) == 0)
    return g_strdup ("video/mp4");

  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    if (length >= others[i].length && memcmp (p, others[i].magic, others[i].length) == 0)
      return g_strdup (others[i].type);

  /* HTML, SVG, scripts and the like are text like any other: what the host
   * never claims is that they are anything a browser would run
   */
  if (is_text)
    return g_strdup ("text/plain; charset=utf-8");

  return g_strdup ("application/octet-stream");
}


/* The public face */

void
tertulia_server_set_files_directory (TertuliaServer *self,
                                     const char     *directory)
{
  g_return_if_fail (TERTULIA_IS_SERVER (self));

  _tertulia_files_set_directory (self->files, directory);
}

void
tertulia_server_set_file_limits (TertuliaServer *self,
                                 guint64         file_bytes,
                                 guint64         room_bytes)
{
  g_return_if_fail (TERTULIA_IS_SERVER (self));

  _tertulia_files_set_limits (self->files, file_bytes, room_bytes);
}

const char *
tertulia_server_get_files_room_directory (TertuliaServer *self)
{
  g_return_val_if_fail (TERTULIA_IS_SERVER (self), NULL);

  return _tertulia_files_get_room_dir (self->files, NULL);
}

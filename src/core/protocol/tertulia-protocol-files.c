/* tertulia-protocol-files.c — shared files on the wire: the file event,
 * names made safe, and the capability URL of a file
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-protocol"

#include "config.h"

#include <string.h>

#include "tertulia-protocol-files.h"

/* Extensions kept whole when a long name is cut ("….tar.gz" is cut
 * before ".gz" only, which is fine)
 */
#define MAX_EXTENSION_BYTES 16

G_DEFINE_BOXED_TYPE (TertuliaFileInfo, tertulia_file_info,
                     tertulia_file_info_copy, tertulia_file_info_free)

TertuliaFileInfo *
tertulia_file_info_new (void)
{
  return g_new0 (TertuliaFileInfo, 1);
}

TertuliaFileInfo *
tertulia_file_info_copy (const TertuliaFileInfo *info)
{
  TertuliaFileInfo *copy;

  g_return_val_if_fail (info != NULL, NULL);

  copy = tertulia_file_info_new ();
  copy->id = g_strdup (info->id);
  copy->name = g_strdup (info->name);
  copy->size = info->size;
  copy->type = g_strdup (info->type);
  copy->width = info->width;
  copy->height = info->height;
  copy->sha256 = g_strdup (info->sha256);

  return copy;
}

void
tertulia_file_info_free (TertuliaFileInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->id);
  g_free (info->name);
  g_free (info->type);
  g_free (info->sha256);
  g_free (info);
}

gboolean
tertulia_file_type_is_picture (const char *type)
{
  static const char * const pictures[] = { "image/png", "image/jpeg", "image/gif", "image/webp" };

  if (type == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (pictures); i++)
    if (g_str_equal (type, pictures[i]))
      return TRUE;

  return FALSE;
}

static gboolean
is_lower_hex (const char *s,
              gsize       length)
{
  if (s == NULL || strlen (s) != length)
    return FALSE;

  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isxdigit (s[i]) || g_ascii_isupper (s[i]))
      return FALSE;

  return TRUE;
}

gboolean
tertulia_file_id_is_valid (const char *id)
{
  return is_lower_hex (id, TERTULIA_FILE_ID_CHARS);
}


/* Names */

/* Characters that would lie about the name or break a line: controls,
 * bidi embeddings, overrides, isolates and marks (RLO turns
 * "photo[RLO]gpj.exe" into what reads as a picture), zero-width and other format
 * characters, line and paragraph separators.
 */
static gboolean
char_is_dropped (gunichar c)
{
  GUnicodeType type = g_unichar_type (c);

  return type == G_UNICODE_CONTROL || type == G_UNICODE_FORMAT ||
         type == G_UNICODE_UNASSIGNED || type == G_UNICODE_PRIVATE_USE ||
         type == G_UNICODE_SURROGATE || type == G_UNICODE_LINE_SEPARATOR ||
         type == G_UNICODE_PARAGRAPH_SEPARATOR ||
         c == 0x061C || c == 0x200E || c == 0x200F || c == 0xFEFF;
}

/* Windows keeps these names for devices, whatever the extension */
static gboolean
stem_is_reserved (const char *name)
{
  static const char * const reserved[] = { "CON", "PRN", "AUX", "NUL" };
  const char *dot = strchr (name, '.');
  gsize stem_length = dot != NULL ? (gsize) (dot - name) : strlen (name);
  g_autofree char *stem = g_strstrip (g_strndup (name, stem_length));

  for (guint i = 0; i < G_N_ELEMENTS (reserved); i++)
    if (g_ascii_strcasecmp (stem, reserved[i]) == 0)
      return TRUE;

  return strlen (stem) == 4 &&
         (g_ascii_strncasecmp (stem, "COM", 3) == 0 || g_ascii_strncasecmp (stem, "LPT", 3) == 0) &&
         stem[3] >= '0' && stem[3] <= '9';
}

/* Cuts @name to TERTULIA_MAX_FILE_NAME_BYTES, keeping a short extension */
static char *
cut_name (const char *name)
{
  gsize length = strlen (name);
  const char *dot = strrchr (name, '.');
  gsize extension = 0;
  const char *end;
  GString *cut;

  if (length <= TERTULIA_MAX_FILE_NAME_BYTES)
    return g_strdup (name);

  if (dot != NULL && dot != name && length - (gsize) (dot - name) <= MAX_EXTENSION_BYTES)
    extension = length - (gsize) (dot - name);

  end = g_utf8_find_prev_char (name, name + TERTULIA_MAX_FILE_NAME_BYTES - extension + 1);
  while (end != NULL && (gsize) (end - name) > TERTULIA_MAX_FILE_NAME_BYTES - extension)
    end = g_utf8_find_prev_char (name, end);
  if (end == NULL)
    end = name;

  cut = g_string_new_len (name, end - name);
  if (extension > 0)
    g_string_append (cut, name + length - extension);

  return g_string_free (cut, FALSE);
}

char *
tertulia_file_name_sanitize (const char *name)
{
  g_autofree char *valid = NULL;
  g_autofree char *normal = NULL;
  g_autofree char *cut = NULL;
  const char *base;
  GString *clean;
  const char *start;
  const char *end;
  char *trimmed;

  if (name == NULL)
    return g_strdup ("file");

  valid = g_utf8_make_valid (name, -1);

  /* The last component of a path, whichever system wrote it */
  base = valid;
  for (const char *p = valid; *p != '\0'; p++)
    if (*p == '/' || *p == '\\')
      base = p + 1;

  normal = g_utf8_normalize (base, -1, G_NORMALIZE_NFC);
  clean = g_string_new (NULL);
  for (const char *p = normal; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\t')
        g_string_append_c (clean, ' ');
      else if (char_is_dropped (c))
        continue;
      else if (g_unichar_isspace (c))
        g_string_append_c (clean, ' ');
      else if (c < 0x80 && strchr ("<>:\"|?*", (int) c) != NULL)
        g_string_append_c (clean, '_');
      else
        g_string_append_unichar (clean, c);
    }

  /* No hidden file, no "..", nothing Windows would trim */
  start = clean->str;
  while (*start == '.' || *start == ' ')
    start++;
  end = clean->str + clean->len;
  while (end > start && (end[-1] == '.' || end[-1] == ' '))
    end--;
  trimmed = g_strndup (start, (gsize) (end - start));
  g_string_free (clean, TRUE);

  if (trimmed[0] == '\0')
    {
      g_free (trimmed);
      return g_strdup ("file");
    }

  /* Not a Windows device: "CON.txt" is "_CON.txt" */
  if (stem_is_reserved (trimmed))
    {
      char *prefixed = g_strconcat ("_", trimmed, NULL);

      g_free (trimmed);
      trimmed = prefixed;
    }

  /* Cut last; a cut that ends in dots or spaces loses them too, so that
   * the name is what a second pass makes of it
   */
  cut = cut_name (trimmed);
  g_free (trimmed);
  end = cut + strlen (cut);
  while (end > cut && (end[-1] == '.' || end[-1] == ' '))
    end--;

  return g_strndup (cut, (gsize) (end - cut));
}


/* Capabilities */

char *
tertulia_file_capability (const char *file_token,
                          const char *file_id)
{
  g_return_val_if_fail (file_token != NULL, NULL);
  g_return_val_if_fail (file_id != NULL, NULL);

  return g_compute_hmac_for_string (G_CHECKSUM_SHA256,
                                    (const guchar *) file_token, strlen (file_token),
                                    file_id, -1);
}

char *
tertulia_file_dup_url_path (const char *file_token,
                            gint64      participant_id,
                            const char *file_id)
{
  g_autofree char *cap = NULL;

  g_return_val_if_fail (tertulia_file_id_is_valid (file_id), NULL);

  cap = tertulia_file_capability (file_token, file_id);

  return g_strdup_printf ("%s/%s?p=%" G_GINT64_FORMAT "&cap=%s",
                          TERTULIA_FILES_PATH, file_id, participant_id, cap);
}

/* tertulia-fingerprint.c — a host certificate's fingerprint, for links and for people
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-fingerprint"

#include "config.h"

#include <string.h>

#include "tertulia-fingerprint.h"

static char *
base64url_encode (const guint8 *data,
                  gsize         length)
{
  g_autofree char *text = g_base64_encode (data, length);
  GString *out = g_string_sized_new (strlen (text));

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '+')
        g_string_append_c (out, '-');
      else if (*p == '/')
        g_string_append_c (out, '_');
      else if (*p != '=')
        g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

/* The 32 bytes of a valid fingerprint, or FALSE */
static gboolean
fingerprint_decode (const char *text,
                    guint8      bytes[TERTULIA_FINGERPRINT_BYTES])
{
  char padded[TERTULIA_FINGERPRINT_CHARS + 2];
  g_autofree guchar *decoded = NULL;
  gsize length = 0;

  if (text == NULL || strlen (text) != TERTULIA_FINGERPRINT_CHARS)
    return FALSE;

  for (guint i = 0; i < TERTULIA_FINGERPRINT_CHARS; i++)
    {
      char c = text[i];

      if (g_ascii_isalnum (c))
        padded[i] = c;
      else if (c == '-')
        padded[i] = '+';
      else if (c == '_')
        padded[i] = '/';
      else
        return FALSE;
    }

  /* 32 bytes are 42 characters and 4 bits: the last character carries two
   * bits of nothing, which must be zero, or two spellings would be the same
   * fingerprint.
   */
  if (strchr ("AEIMQUYcgkosw048", text[TERTULIA_FINGERPRINT_CHARS - 1]) == NULL)
    return FALSE;

  padded[TERTULIA_FINGERPRINT_CHARS] = '=';
  padded[TERTULIA_FINGERPRINT_CHARS + 1] = '\0';

  decoded = g_base64_decode (padded, &length);
  if (decoded == NULL || length != TERTULIA_FINGERPRINT_BYTES)
    return FALSE;

  memcpy (bytes, decoded, TERTULIA_FINGERPRINT_BYTES);
  return TRUE;
}

char *
tertulia_fingerprint_from_der (const guint8 *der,
                               gsize         length)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[TERTULIA_FINGERPRINT_BYTES];
  gsize digest_length = sizeof digest;

  g_return_val_if_fail (der != NULL || length == 0, NULL);

  g_checksum_update (checksum, der, (gssize) length);
  g_checksum_get_digest (checksum, digest, &digest_length);

  return base64url_encode (digest, digest_length);
}

char *
tertulia_fingerprint_from_certificate (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL || der->len == 0)
    return NULL;

  return tertulia_fingerprint_from_der (der->data, der->len);
}

gboolean
tertulia_fingerprint_is_valid (const char *text)
{
  guint8 bytes[TERTULIA_FINGERPRINT_BYTES];

  return fingerprint_decode (text, bytes);
}

char *
tertulia_fingerprint_format (const char *fp_b64url)
{
  guint8 bytes[TERTULIA_FINGERPRINT_BYTES];
  GString *out;

  if (!fingerprint_decode (fp_b64url, bytes))
    return NULL;

  /* Digits rather than hex or words: people read them aloud in any
   * language, and five at a time is what a phone number taught them.
   * 4 bytes modulo 100 000 keep 16.6 bits per group, 133 bits in all:
   * plenty against a second certificate made to look alike.
   */
  out = g_string_sized_new (8 * 6);
  for (guint i = 0; i < TERTULIA_FINGERPRINT_BYTES; i += 4)
    {
      guint32 value = ((guint32) bytes[i] << 24) | ((guint32) bytes[i + 1] << 16) |
                      ((guint32) bytes[i + 2] << 8) | (guint32) bytes[i + 3];

      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append_printf (out, "%05u", value % 100000);
    }

  return g_string_free (out, FALSE);
}

gboolean
tertulia_fingerprint_equal (const char *a,
                            const char *b)
{
  guint8 x[TERTULIA_FINGERPRINT_BYTES];
  guint8 y[TERTULIA_FINGERPRINT_BYTES];
  guint8 diff = 0;

  if (!fingerprint_decode (a, x) || !fingerprint_decode (b, y))
    return FALSE;

  for (guint i = 0; i < TERTULIA_FINGERPRINT_BYTES; i++)
    diff |= x[i] ^ y[i];

  return diff == 0;
}

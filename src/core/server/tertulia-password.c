/* tertulia-password.c — a room password, kept only as a salted, slow hash
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-password"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "tertulia-password.h"
#include "tertulia-protocol.h"

#define SALT_BYTES   16
#define DIGEST_BYTES 32

struct _TertuliaPasswordHash
{
  guint  iterations;
  guint8 salt[SALT_BYTES];
  guint8 digest[DIGEST_BYTES];
};

/* Secrets come from the kernel's CSPRNG: GRand is a Mersenne Twister whose
 * output can be predicted from enough samples.
 */
void
tertulia_random_bytes (guint8 *buffer,
                       gsize   length)
{
  gsize got = 0;
  FILE *urandom;

  if ((urandom = fopen ("/dev/urandom", "rb")) != NULL)
    {
      got = fread (buffer, 1, length, urandom);
      fclose (urandom);
    }

  if (got != length)
    {
      g_debug ("/dev/urandom is not readable; falling back to GRand");
      for (gsize i = 0; i < length; i++)
        buffer[i] = (guint8) g_random_int_range (0, 256);
    }
}

static void
wipe (void  *data,
      gsize  length)
{
  volatile guint8 *p = data;

  while (length-- > 0)
    *p++ = 0;
}

void
tertulia_password_pbkdf2 (const guint8 *password,
                          gsize         password_length,
                          const guint8 *salt,
                          gsize         salt_length,
                          guint         iterations,
                          guint8       *out,
                          gsize         out_length)
{
  /* Keyed once; every HMAC below starts from a copy of it */
  GHmac *keyed = g_hmac_new (G_CHECKSUM_SHA256, password, password_length);
  guint32 block = 0;

  g_return_if_fail (iterations > 0);

  while (out_length > 0)
    {
      guint8 u[DIGEST_BYTES];
      guint8 t[DIGEST_BYTES];
      guint8 index[4];
      gsize length = sizeof u;
      gsize n = MIN (out_length, sizeof t);
      GHmac *hmac;

      block++;
      index[0] = (guint8) (block >> 24);
      index[1] = (guint8) (block >> 16);
      index[2] = (guint8) (block >> 8);
      index[3] = (guint8) block;

      /* U1 = HMAC (P, S || INT (i)), T = U1 ^ U2 ^ … ^ Uc */
      hmac = g_hmac_copy (keyed);
      g_hmac_update (hmac, salt, salt_length);
      g_hmac_update (hmac, index, sizeof index);
      g_hmac_get_digest (hmac, u, &length);
      g_hmac_unref (hmac);
      memcpy (t, u, sizeof t);

      for (guint i = 1; i < iterations; i++)
        {
          hmac = g_hmac_copy (keyed);
          g_hmac_update (hmac, u, sizeof u);
          length = sizeof u;
          g_hmac_get_digest (hmac, u, &length);
          g_hmac_unref (hmac);

          for (gsize j = 0; j < sizeof t; j++)
            t[j] ^= u[j];
        }

      memcpy (out, t, n);
      out += n;
      out_length -= n;
      wipe (u, sizeof u);
      wipe (t, sizeof t);
    }

  g_hmac_unref (keyed);
}

static void
derive (const TertuliaPasswordHash *hash,
        const char                 *password,
        guint8                      digest[DIGEST_BYTES])
{
  g_autofree char *nfc = g_utf8_normalize (password, -1, G_NORMALIZE_NFC);

  tertulia_password_pbkdf2 ((const guint8 *) nfc, strlen (nfc),
                            hash->salt, sizeof hash->salt, hash->iterations,
                            digest, DIGEST_BYTES);
  wipe (nfc, strlen (nfc));
}

TertuliaPasswordHash *
tertulia_password_hash_new (const char *password,
                            guint       iterations)
{
  TertuliaPasswordHash *hash;

  g_return_val_if_fail (password != NULL, NULL);
  g_return_val_if_fail (g_utf8_validate (password, -1, NULL), NULL);
  g_return_val_if_fail (iterations > 0, NULL);

  hash = g_new0 (TertuliaPasswordHash, 1);
  hash->iterations = iterations;
  tertulia_random_bytes (hash->salt, sizeof hash->salt);
  derive (hash, password, hash->digest);

  return hash;
}

TertuliaPasswordHash *
tertulia_password_hash_copy (const TertuliaPasswordHash *hash)
{
  g_return_val_if_fail (hash != NULL, NULL);

  return g_memdup2 (hash, sizeof *hash);
}

void
tertulia_password_hash_free (TertuliaPasswordHash *hash)
{
  if (hash == NULL)
    return;

  wipe (hash, sizeof *hash);
  g_free (hash);
}

gboolean
tertulia_password_hash_check (const TertuliaPasswordHash *hash,
                              const char                 *guess)
{
  guint8 digest[DIGEST_BYTES];
  guint8 diff = 0;

  g_return_val_if_fail (hash != NULL, FALSE);
  g_return_val_if_fail (guess != NULL, FALSE);

  if (!g_utf8_validate (guess, -1, NULL))
    return FALSE;

  derive (hash, guess, digest);

  /* Every byte is compared whatever the first difference: the time taken
   * tells nothing about how close the guess was.
   */
  for (gsize i = 0; i < sizeof digest; i++)
    diff |= (guint8) (digest[i] ^ hash->digest[i]);

  wipe (digest, sizeof digest);

  return diff == 0;
}

void
tertulia_password_free (char *password)
{
  if (password != NULL)
    {
      wipe (password, strlen (password));
      g_free (password);
    }
}

char *
tertulia_password_read_file (const char  *path,
                             gboolean    *others_can_read,
                             GError     **error)
{
  g_autofree char *display = NULL;
  char *contents = NULL;
  char *password;
  char *end;
  glong n_chars;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  display = g_filename_display_name (path);
  if (others_can_read != NULL)
    *others_can_read = FALSE;

  if (g_str_equal (path, "-"))
    {
      char line[4 * TERTULIA_MAX_PASSWORD_CHARS + 4];

      if (fgets (line, sizeof line, stdin) == NULL)
        line[0] = '\0';
      contents = g_strdup (line);
      wipe (line, sizeof line);
    }
  else
    {
      GStatBuf buf;

      if (!g_file_get_contents (path, &contents, NULL, error))
        return NULL;

      if (others_can_read != NULL && g_stat (path, &buf) == 0)
        *others_can_read = (buf.st_mode & (S_IRGRP | S_IROTH)) != 0;
    }

  if ((end = strpbrk (contents, "\r\n")) != NULL)
    *end = '\0';

  if (!g_utf8_validate (contents, -1, NULL))
    {
      tertulia_password_free (contents);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   /* Translators: %s is a file name */
                   _("The password in %s is not valid UTF-8 text."), display);
      return NULL;
    }

  n_chars = g_utf8_strlen (contents, -1);
  if (n_chars == 0 || n_chars > TERTULIA_MAX_PASSWORD_CHARS)
    {
      tertulia_password_free (contents);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   /* Translators: %s is a file name, %d the longest password */
                   _("The first line of %s must hold the password, 1 to %d characters long."),
                   display, TERTULIA_MAX_PASSWORD_CHARS);
      return NULL;
    }

  password = g_strdup (contents);
  tertulia_password_free (contents);

  return password;
}

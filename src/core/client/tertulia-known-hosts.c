/* tertulia-known-hosts.c — the fingerprints of hosts met before (pins)
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-known-hosts"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "tertulia-fingerprint.h"
#include "tertulia-known-hosts.h"

#define FINGERPRINT_KEY "fingerprint"

char *
tertulia_known_hosts_dup_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "tertulia", "known-hosts", NULL);
}

/* The pins as they are on disk now; an absent file is no pins */
static GKeyFile *
known_hosts_load (const char  *path,
                  GError     **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_KEEP_COMMENTS, &local_error) &&
      !g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return g_steal_pointer (&file);
}

static gboolean
known_hosts_save (GKeyFile    *file,
                  const char  *path,
                  GError     **error)
{
  g_autofree char *directory = g_path_get_dirname (path);
  g_autofree char *data = NULL;
  gsize length = 0;

  if (g_mkdir_with_parents (directory, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "%s: %s", directory, g_strerror (saved_errno));
      return FALSE;
    }

  data = g_key_file_to_data (file, &length, NULL);

  /* Who you talk to is nobody else's business */
  return g_file_set_contents_full (path, data, (gssize) length,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

char *
tertulia_known_hosts_lookup (const char *pin_key)
{
  g_autofree char *path = tertulia_known_hosts_dup_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) file = NULL;
  g_autofree char *fingerprint = NULL;

  g_return_val_if_fail (pin_key != NULL, NULL);

  file = known_hosts_load (path, &error);
  if (file == NULL)
    {
      g_warning ("Could not read the known hosts in %s: %s", path, error->message);
      return NULL;
    }

  fingerprint = g_key_file_get_string (file, pin_key, FINGERPRINT_KEY, NULL);
  if (fingerprint != NULL && !tertulia_fingerprint_is_valid (fingerprint))
    {
      g_warning ("%s: the pin of %s is not a fingerprint; ignored", path, pin_key);
      return NULL;
    }

  return g_steal_pointer (&fingerprint);
}

gboolean
tertulia_known_hosts_pin (const char  *pin_key,
                          const char  *fingerprint,
                          GError     **error)
{
  g_autofree char *path = tertulia_known_hosts_dup_path ();
  g_autoptr(GKeyFile) file = NULL;

  g_return_val_if_fail (pin_key != NULL, FALSE);
  g_return_val_if_fail (tertulia_fingerprint_is_valid (fingerprint), FALSE);

  file = known_hosts_load (path, error);
  if (file == NULL)
    return FALSE;

  g_key_file_set_string (file, pin_key, FINGERPRINT_KEY, fingerprint);

  return known_hosts_save (file, path, error);
}

gboolean
tertulia_known_hosts_forget (const char  *pin_key,
                             GError     **error)
{
  g_autofree char *path = tertulia_known_hosts_dup_path ();
  g_autoptr(GKeyFile) file = NULL;

  g_return_val_if_fail (pin_key != NULL, FALSE);

  file = known_hosts_load (path, error);
  if (file == NULL)
    return FALSE;

  if (!g_key_file_remove_group (file, pin_key, NULL))
    return TRUE;

  return known_hosts_save (file, path, error);
}

/* tertulia-hosted-rooms.c — where the app keeps the rooms it hosts
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-hosted-rooms"

#include "config.h"

#include <glib/gstdio.h>

#include "tertulia-hosted-rooms.h"
#include "tertulia-journal.h"

/* The rooms kept besides the last one: enough to undo starting a new
 * room by mistake (the files stay on disk), few enough not to pile up.
 */
#define KEPT_ROOMS 4

static char *
dup_hosted_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "tertulia", "hosted", NULL);
}

char *
tertulia_hosted_rooms_dup_last (GSettings *settings)
{
  g_autofree char *name = g_settings_get_string (settings, "hosted-room");
  g_autofree char *hosted = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *journal = NULL;

  /* Only a name we made: never a path from elsewhere. */
  if (*name == '\0' || strchr (name, G_DIR_SEPARATOR) != NULL || name[0] == '.')
    return NULL;

  hosted = dup_hosted_dir ();
  directory = g_build_filename (hosted, name, NULL);
  journal = g_build_filename (directory, TERTULIA_JOURNAL_FILE_NAME, NULL);
  if (!g_file_test (journal, G_FILE_TEST_IS_REGULAR))
    return NULL;

  return g_steal_pointer (&directory);
}

char *
tertulia_hosted_rooms_dup_new (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *hosted = dup_hosted_dir ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *name = NULL;

  /* Sortable by age; the random part keeps two rooms started in the
   * same second apart.
   */
  name = g_strdup_printf ("%s-%08x", stamp, g_random_int ());

  return g_build_filename (hosted, name, NULL);
}

void
tertulia_hosted_rooms_remove (const char *directory)
{
  g_autoptr(GDir) dir = g_dir_open (directory, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;

  /* The journal, its WAL and lock, our resume token, damaged copies moved
   * aside, and the shared files (a folder per room in files/). Links are
   * removed, never followed.
   */
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (directory, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        tertulia_hosted_rooms_remove (path);
      else if (g_unlink (path) != 0)
        g_debug ("Could not remove %s: %s", path, g_strerror (errno));
    }

  if (g_rmdir (directory) != 0)
    g_debug ("Could not remove %s: %s", directory, g_strerror (errno));
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

void
tertulia_hosted_rooms_set_last (GSettings  *settings,
                                const char *directory)
{
  g_autofree char *hosted = dup_hosted_dir ();
  g_autofree char *last = g_path_get_basename (directory);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_settings_set_string (settings, "hosted-room", last);

  dir = g_dir_open (hosted, 0, NULL);
  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_strcmp0 (name, last) != 0)
      g_ptr_array_add (names, g_strdup (name));

  if (names->len <= KEPT_ROOMS)
    return;

  /* Named by the time they began: the first ones are the oldest. */
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len - KEPT_ROOMS; i++)
    {
      g_autofree char *path = g_build_filename (hosted, g_ptr_array_index (names, i), NULL);

      tertulia_hosted_rooms_remove (path);
    }
}

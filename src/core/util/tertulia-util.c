/* tertulia-util.c — small helpers the core and the app share
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-util"

#include "config.h"

#include <errno.h>

#include <glib/gstdio.h>
#include <gio/gio.h>

#include "tertulia-util-private.h"

/* How long a looked-up local time zone is used before it is looked up
 * again, so that a change of zone still shows soon.
 */
#define LOCAL_ZONE_LIFETIME_USEC G_USEC_PER_SEC

G_LOCK_DEFINE_STATIC (local_zone);

static GTimeZone *
dup_local_time_zone (void)
{
  static GTimeZone *zone;
  static gint64 looked_up_at;
  gint64 now = g_get_monotonic_time ();
  GTimeZone *ret;

  G_LOCK (local_zone);
  if (zone == NULL || now - looked_up_at > LOCAL_ZONE_LIFETIME_USEC)
    {
      g_clear_pointer (&zone, g_time_zone_unref);
      zone = g_time_zone_new_local ();
      looked_up_at = now;
    }
  ret = g_time_zone_ref (zone);
  G_UNLOCK (local_zone);

  return ret;
}

GDateTime *
_tertulia_date_time_new_now_local (void)
{
  g_autoptr(GTimeZone) zone = dup_local_time_zone ();

  return g_date_time_new_now (zone);
}

GDateTime *
_tertulia_date_time_to_local (GDateTime *date_time)
{
  g_autoptr(GTimeZone) zone = dup_local_time_zone ();

  g_return_val_if_fail (date_time != NULL, NULL);

  return g_date_time_to_timezone (date_time, zone);
}

char *
_tertulia_format_time_of_day (GDateTime *date_time)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (date_time != NULL, NULL);

  local = _tertulia_date_time_to_local (date_time);

  return g_date_time_format (local, "%H:%M");
}

/* (g_date_time_new_from_unix_local_usec() would do this, but is GLib 2.80.) */
GDateTime *
_tertulia_date_time_from_ms (gint64 ms)
{
  g_autoptr(GTimeZone) zone = dup_local_time_zone ();
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) seconds = NULL;
  gint64 sec = ms / 1000;
  gint64 rem = ms % 1000;
  GDateTime *ret;

  if (rem < 0)
    {
      sec -= 1;
      rem += 1000;
    }

  utc = g_date_time_new_from_unix_utc (sec);
  if (utc != NULL)
    seconds = g_date_time_to_timezone (utc, zone);
  if (seconds == NULL)
    return g_date_time_new_now (zone);

  ret = g_date_time_add (seconds, rem * G_TIME_SPAN_MILLISECOND);
  if (ret == NULL)
    return g_steal_pointer (&seconds);

  return ret;
}

char *
_tertulia_move_database_aside (const char  *path,
                               GError     **error)
{
  static const char * const suffixes[] = { "-wal", "-shm" };
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%SZ");
  g_autofree char *moved = g_strdup_printf ("%s.damaged-%s", path, stamp);

  if (g_rename (path, moved) != 0)
    {
      int saved_errno = errno;

      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                           g_strerror (saved_errno));
      return NULL;
    }

  /* What SQLite had not checkpointed yet belongs with it */
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *from = g_strconcat (path, suffixes[i], NULL);
      g_autofree char *to = g_strconcat (moved, suffixes[i], NULL);

      if (g_file_test (from, G_FILE_TEST_EXISTS))
        g_rename (from, to);
    }

  return g_steal_pointer (&moved);
}

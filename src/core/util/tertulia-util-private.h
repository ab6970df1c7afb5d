/* tertulia-util-private.h — small helpers the core and the app share
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* g_set_str() is GLib 2.76; this is the same on our 2.74 floor: TRUE when
 * *@dest changed. @value may point into *@dest.
 */
static inline gboolean
_tertulia_set_str (char       **dest,
                   const char  *value)
{
  char *copy;

  if (g_strcmp0 (*dest, value) == 0)
    return FALSE;

  copy = g_strdup (value);
  g_free (*dest);
  *dest = copy;

  return TRUE;
}

/* Local time, with the local time zone looked up at most once a second:
 * with TZ unset, GLib 2.74 reads /etc/localtime for every
 * g_time_zone_new_local() (and so for every g_date_time_to_local()), and a
 * welcome's history or a scroll through the log converts hundreds of
 * times in a row.
 */
GDateTime *_tertulia_date_time_new_now_local (void);
GDateTime *_tertulia_date_time_to_local      (GDateTime *date_time);
/* "20:15": the time of day a message shows, in local time. */
char      *_tertulia_format_time_of_day      (GDateTime *date_time);
/* The wire counts milliseconds since the epoch, UTC; the log shows local
 * time. A time out of GDateTime's range reads as now.
 */
GDateTime *_tertulia_date_time_from_ms       (gint64     ms);

/* A damaged SQLite database is kept for whoever wants to look at it, and
 * out of the way of a fresh one: @path (and its -wal and -shm, if any) is
 * renamed to @path.damaged-TIME. Returns that new path, or NULL with the
 * rename's error (the caller says what the file was).
 */
char      *_tertulia_move_database_aside     (const char  *path,
                                              GError     **error);

G_END_DECLS

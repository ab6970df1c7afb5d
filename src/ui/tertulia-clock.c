/* tertulia-clock.c — times of day as the desktop shows them
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-clock"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "tertulia-clock.h"
#include "tertulia-util-private.h"

#define INTERFACE_SCHEMA "org.gnome.desktop.interface"

static guint forced_hours;

/* Read once and kept up to date: rows format a time at every bind. */
static gboolean
use_12_hours (void)
{
  static GSettings *settings;
  static gsize looked;

  if (forced_hours != 0)
    return forced_hours == 12;

  if (g_once_init_enter (&looked))
    {
      GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
      g_autoptr(GSettingsSchema) schema = NULL;

      /* Not every desktop has GNOME's schemas; asking GSettings for one
       * that is missing would abort.
       */
      if (source != NULL)
        schema = g_settings_schema_source_lookup (source, INTERFACE_SCHEMA, TRUE);
      if (schema != NULL && g_settings_schema_has_key (schema, "clock-format"))
        settings = g_settings_new (INTERFACE_SCHEMA);

      g_once_init_leave (&looked, 1);
    }

  if (settings == NULL)
    return FALSE;

  return g_settings_get_enum (settings, "clock-format") == 1;  /* "12h" */
}

char *
tertulia_clock_format_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (time != NULL, NULL);

  if (!use_12_hours ())
    return _tertulia_format_time_of_day (time);

  local = _tertulia_date_time_to_local (time);

  /* No padding before the hour; %p is the locale's AM/PM. */
  return g_date_time_format (local, "%-l:%M %p");
}

/* The day @time falls on in its own time zone. Messages' times are local
 * already (see _tertulia_date_time_from_ms()), so this is the local day,
 * without a GDateTime made for every row bound.
 */
static gint64
day_number (GDateTime *time)
{
  gint64 seconds = g_date_time_to_unix (time) + g_date_time_get_utc_offset (time) / G_USEC_PER_SEC;

  return seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
}

gboolean
tertulia_clock_same_day (GDateTime *a,
                         GDateTime *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return day_number (a) == day_number (b);
}

char *
tertulia_clock_format_day (GDateTime *time,
                           GDateTime *now)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) yesterday = NULL;

  g_return_val_if_fail (time != NULL && now != NULL, NULL);

  if (tertulia_clock_same_day (time, now))
    return g_strdup (_("Today"));

  yesterday = g_date_time_add_days (now, -1);
  if (tertulia_clock_same_day (time, yesterday))
    return g_strdup (_("Yesterday"));

  local = _tertulia_date_time_to_local (time);
  /* Translators: a day in the log, see g_date_time_format(); "Monday, December 7" */
  return g_date_time_format (local, _("%A, %B %-d"));
}

void
_tertulia_clock_set_hours (guint hours)
{
  forced_hours = hours;
}

/* tertulia-discovery.c — Avahi's D-Bus API, as the announcer and the browser use it
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-discovery"

#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "tertulia-discovery-private.h"

char *
_tertulia_discovery_truncate_utf8 (const char *text,
                                   gsize       max_bytes)
{
  const char *p = text;

  g_assert (text != NULL);

  while (*p != '\0')
    {
      const char *next = g_utf8_next_char (p);

      if ((gsize) (next - text) > max_bytes)
        break;
      p = next;
    }

  return g_strndup (text, (gsize) (p - text));
}

GVariant *
_tertulia_discovery_txt_new (const char *first_key,
                             ...)
{
  GVariantBuilder builder;
  const char *key;
  va_list args;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aay"));

  va_start (args, first_key);
  for (key = first_key; key != NULL; key = va_arg (args, const char *))
    {
      const char *value = va_arg (args, const char *);
      g_autofree char *cut = NULL;
      g_autofree char *item = NULL;

      g_assert (value != NULL);
      cut = _tertulia_discovery_truncate_utf8 (value, TERTULIA_DISCOVERY_MAX_TXT_BYTES - strlen (key) - 1);
      item = g_strconcat (key, "=", cut, NULL);
      g_variant_builder_add_value (&builder,
                                   g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE,
                                                              item, strlen (item), 1));
    }
  va_end (args);

  return g_variant_builder_end (&builder);
}

GHashTable *
_tertulia_discovery_txt_parse (GVariant *txt)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GVariantIter iter;
  GVariant *child;

  if (txt == NULL || !g_variant_is_of_type (txt, G_VARIANT_TYPE ("aay")))
    return table;

  g_variant_iter_init (&iter, txt);
  while ((child = g_variant_iter_next_value (&iter)) != NULL)
    {
      gsize length = 0;
      const char *bytes = g_variant_get_fixed_array (child, &length, 1);
      g_autofree char *item = g_strndup (bytes, length);
      const char *equals;
      g_autofree char *key = NULL;

      g_variant_unref (child);

      /* A NUL inside would cut the string short; skip it like bad UTF-8. */
      if (strlen (item) != length || !g_utf8_validate (item, -1, NULL) || *item == '=' || *item == '\0')
        continue;

      equals = strchr (item, '=');
      key = g_ascii_strdown (item, equals != NULL ? equals - item : -1);
      if (g_hash_table_contains (table, key))
        continue;

      g_hash_table_insert (table, g_steal_pointer (&key), g_strdup (equals != NULL ? equals + 1 : ""));
    }

  return table;
}

gboolean
_tertulia_discovery_error_is_unavailable (const GError *error)
{
  if (error == NULL)
    return FALSE;

  return g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NO_REPLY) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_DISCONNECTED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

void
_tertulia_discovery_keep_running_without_bus (GDBusConnection *bus)
{
  if (bus != NULL)
    g_dbus_connection_set_exit_on_close (bus, FALSE);
}

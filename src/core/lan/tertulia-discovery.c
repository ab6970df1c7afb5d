/* tertulia-discovery.c — Avahi's D-Bus API, as the announcer and the browser use it
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-discovery"

#include "config.h"

#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <string.h>
#include <sys/socket.h>

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
_tertulia_discovery_txt_new_pairs (const char * const *pairs)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aay"));

  for (guint i = 0; pairs[i] != NULL; i += 2)
    {
      const char *key = pairs[i];
      const char *value = pairs[i + 1];
      g_autofree char *cut = NULL;
      g_autofree char *item = NULL;

      g_assert (value != NULL);
      cut = _tertulia_discovery_truncate_utf8 (value, TERTULIA_DISCOVERY_MAX_TXT_BYTES - strlen (key) - 1);
      item = g_strconcat (key, "=", cut, NULL);
      g_variant_builder_add_value (&builder,
                                   g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE,
                                                              item, strlen (item), 1));
    }

  return g_variant_builder_end (&builder);
}

GVariant *
_tertulia_discovery_txt_new (const char *first_key,
                             ...)
{
  g_autoptr(GPtrArray) pairs = g_ptr_array_new ();
  const char *key;
  va_list args;

  va_start (args, first_key);
  for (key = first_key; key != NULL; key = va_arg (args, const char *))
    {
      g_ptr_array_add (pairs, (gpointer) key);
      g_ptr_array_add (pairs, va_arg (args, char *));
    }
  va_end (args);
  g_ptr_array_add (pairs, NULL);

  return _tertulia_discovery_txt_new_pairs ((const char * const *) pairs->pdata);
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

void
_tertulia_avahi_watch (TertuliaAvahi            *avahi,
                       GBusNameAppearedCallback  appeared,
                       GBusNameVanishedCallback  vanished,
                       gpointer                  user_data)
{
  g_assert (avahi->watch_id == 0);

  /* Not auto-starting Avahi: on systems without it, activation would only
   * fail slowly.
   */
  avahi->watch_id = g_bus_watch_name (G_BUS_TYPE_SYSTEM, AVAHI_DBUS_NAME,
                                      G_BUS_NAME_WATCHER_FLAGS_NONE,
                                      appeared, vanished, user_data, NULL);
}

void
_tertulia_avahi_unwatch (TertuliaAvahi *avahi)
{
  g_clear_handle_id (&avahi->watch_id, g_bus_unwatch_name);
}

void
_tertulia_avahi_attach (TertuliaAvahi   *avahi,
                        GDBusConnection *bus,
                        const char      *owner)
{
  g_assert (avahi->bus == NULL && avahi->owner == NULL);

  avahi->bus = g_object_ref (bus);
  avahi->owner = g_strdup (owner);
  _tertulia_discovery_keep_running_without_bus (bus);
}

void
_tertulia_avahi_detach (TertuliaAvahi *avahi)
{
  avahi->generation++;
  g_clear_pointer (&avahi->owner, g_free);
  g_clear_object (&avahi->bus);
}

void
_tertulia_avahi_free_object (TertuliaAvahi *avahi,
                             const char    *path,
                             const char    *interface)
{
  if (avahi->bus == NULL || path == NULL)
    return;

  g_dbus_connection_call (avahi->bus, avahi->owner, path, interface, "Free",
                          NULL, NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START,
                          -1, NULL, NULL, NULL);
}

guint
_tertulia_avahi_subscribe (TertuliaAvahi       *avahi,
                           const char          *interface,
                           const char          *member,
                           const char          *path,
                           GDBusSignalCallback  callback,
                           gpointer             user_data)
{
  g_assert (avahi->bus != NULL);

  return g_dbus_connection_signal_subscribe (avahi->bus, avahi->owner, interface, member,
                                             path, NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                             callback, user_data, NULL);
}

void
_tertulia_avahi_unsubscribe (TertuliaAvahi *avahi,
                             guint         *subscription_id)
{
  if (avahi->bus != NULL && *subscription_id != 0)
    g_dbus_connection_signal_unsubscribe (avahi->bus, *subscription_id);
  *subscription_id = 0;
}

/* What a pending call needs to find its way back. */
typedef struct
{
  GObject                *self;
  TertuliaAvahi          *avahi;           /* in self */
  guint                   generation;
  const char             *made_interface;  /* static */
  TertuliaAvahiReplyFunc  func;
  gpointer                data;
  GDestroyNotify          data_free;
} Call;

static void
call_free (Call *call)
{
  if (call->data_free != NULL)
    g_clear_pointer (&call->data, call->data_free);
  g_clear_object (&call->self);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Call, call_free)

static void
call_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);

  if (call->generation != call->avahi->generation || call->avahi->bus == NULL)
    {
      if (call->made_interface != NULL && reply != NULL)
        {
          const char *path = NULL;

          g_variant_get (reply, "(&o)", &path);
          g_dbus_connection_call (G_DBUS_CONNECTION (object), AVAHI_DBUS_NAME, path,
                                  call->made_interface, "Free",
                                  NULL, NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START,
                                  -1, NULL, NULL, NULL);
        }
      return;
    }

  call->func (call->self, reply, error, call->data);
}

static void
avahi_call (TertuliaAvahi          *avahi,
            gpointer                self,
            const char             *path,
            const char             *interface,
            const char             *method,
            GVariant               *parameters,
            const GVariantType     *reply_type,
            const char             *made_interface,
            TertuliaAvahiReplyFunc  func,
            gpointer                data,
            GDestroyNotify          data_free)
{
  Call *call = g_new0 (Call, 1);

  g_assert (avahi->bus != NULL);
  g_assert (G_IS_OBJECT (self));

  call->self = g_object_ref (self);
  call->avahi = avahi;
  call->generation = avahi->generation;
  call->made_interface = made_interface;
  call->func = func;
  call->data = data;
  call->data_free = data_free;

  g_dbus_connection_call (avahi->bus, avahi->owner, path, interface, method,
                          parameters, reply_type, G_DBUS_CALL_FLAGS_NO_AUTO_START,
                          -1, NULL, call_done_cb, call);
}

void
_tertulia_avahi_call (TertuliaAvahi          *avahi,
                      gpointer                self,
                      const char             *path,
                      const char             *interface,
                      const char             *method,
                      GVariant               *parameters,
                      const GVariantType     *reply_type,
                      TertuliaAvahiReplyFunc  func,
                      gpointer                data,
                      GDestroyNotify          data_free)
{
  avahi_call (avahi, self, path, interface, method, parameters, reply_type, NULL,
              func, data, data_free);
}

void
_tertulia_avahi_call_new (TertuliaAvahi          *avahi,
                          gpointer                self,
                          const char             *interface,
                          const char             *method,
                          GVariant               *parameters,
                          const char             *made_interface,
                          TertuliaAvahiReplyFunc  func,
                          gpointer                data,
                          GDestroyNotify          data_free)
{
  avahi_call (avahi, self, AVAHI_DBUS_PATH_SERVER, interface, method, parameters,
              G_VARIANT_TYPE ("(o)"), made_interface, func, data, data_free);
}

/* The interface and protocol that reach @bind_address, so that the room is
 * not announced where it does not listen.
 */
void
_tertulia_discovery_find_interface (const char *bind_address,
                                    gint       *interface,
                                    gint       *protocol)
{
  g_autoptr(GInetAddress) address = NULL;
  struct ifaddrs *addresses = NULL;
  struct ifaddrs *ifa;

  *interface = AVAHI_IF_UNSPEC;
  *protocol = AVAHI_PROTO_UNSPEC;

  if (bind_address == NULL ||
      (address = g_inet_address_new_from_string (bind_address)) == NULL)
    return;

  *protocol = g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV4 ?
              AVAHI_PROTO_INET : AVAHI_PROTO_INET6;

  /* "::" also takes IPv4 connections. */
  if (g_inet_address_get_is_any (address))
    {
      if (*protocol == AVAHI_PROTO_INET6)
        *protocol = AVAHI_PROTO_UNSPEC;
      return;
    }

  if (getifaddrs (&addresses) != 0)
    return;

  for (ifa = addresses; ifa != NULL; ifa = ifa->ifa_next)
    {
      g_autoptr(GSocketAddress) socket_address = NULL;
      gsize size;

      if (ifa->ifa_addr == NULL)
        continue;
      if (ifa->ifa_addr->sa_family == AF_INET)
        size = sizeof (struct sockaddr_in);
      else if (ifa->ifa_addr->sa_family == AF_INET6)
        size = sizeof (struct sockaddr_in6);
      else
        continue;

      socket_address = g_socket_address_new_from_native (ifa->ifa_addr, size);
      if (socket_address != NULL &&
          g_inet_address_equal (address,
                                g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (socket_address))))
        {
          guint index = if_nametoindex (ifa->ifa_name);

          if (index > 0)
            *interface = (gint) index;
          break;
        }
    }

  freeifaddrs (addresses);
}

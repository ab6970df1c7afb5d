/* tertulia-room-entry.c — one room on the LAN, merged from Avahi's per-interface answers
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Avahi reports a service once per interface and IP protocol it was seen
 * on. The browser (tertulia-room-browser.c) talks to Avahi and resolves
 * each of those instances; this file decides what a person sees of them:
 * one TertuliaLanRoom per service, at the address people recognise.
 */

#define G_LOG_DOMAIN "tertulia-room-browser"

#include "config.h"

#include "tertulia-discovery-private.h"
#include "tertulia-room-entry-private.h"

/* When an entry's first answer has no IPv4 address, it is held back this
 * long for one (the IPv4 copy of a service often comes a moment after the
 * IPv6 one), so that the item appears with the address people expect
 * rather than changing under them. IPv6-only hosts just show up later.
 */
#define IPV4_GRACE_MSEC 500

static void
instance_free (TertuliaRoomInstance *instance)
{
  g_clear_pointer (&instance->resolver_path, g_free);
  g_clear_pointer (&instance->txt, g_hash_table_unref);
  g_clear_pointer (&instance->host_name, g_free);
  g_clear_pointer (&instance->address, g_free);
  g_free (instance);
}

void
_tertulia_room_entry_free (TertuliaRoomEntry *entry)
{
  g_clear_handle_id (&entry->grace_id, g_source_remove);
  g_clear_pointer (&entry->instances, g_ptr_array_unref);
  g_clear_object (&entry->room);
  g_free (entry->key);
  g_free (entry->name);
  g_free (entry->domain);
  g_free (entry);
}

TertuliaRoomEntry *
_tertulia_room_entry_new (GListStore *rooms,
                          const char *name,
                          const char *domain)
{
  TertuliaRoomEntry *entry = g_new0 (TertuliaRoomEntry, 1);

  entry->rooms = rooms;
  entry->key = _tertulia_room_entry_key (name, domain);
  entry->name = g_strdup (name);
  entry->domain = g_strdup (domain);
  entry->instances = g_ptr_array_new_with_free_func ((GDestroyNotify) instance_free);

  return entry;
}

char *
_tertulia_room_entry_key (const char *name,
           const char *domain)
{
  return g_strconcat (name, "\n", domain, NULL);
}

TertuliaRoomInstance *
_tertulia_room_entry_find_instance (TertuliaRoomEntry *entry,
                                    gint               interface,
                                    gint               protocol)
{
  guint i;

  for (i = 0; i < entry->instances->len; i++)
    {
      TertuliaRoomInstance *instance = g_ptr_array_index (entry->instances, i);

      if (instance->interface == interface && instance->protocol == protocol)
        return instance;
    }

  return NULL;
}

TertuliaRoomInstance *
_tertulia_room_entry_add_instance (TertuliaRoomEntry *entry,
                                   gint               interface,
                                   gint               protocol)
{
  TertuliaRoomInstance *instance;

  if (_tertulia_room_entry_find_instance (entry, interface, protocol) != NULL)
    return NULL;

  instance = g_new0 (TertuliaRoomInstance, 1);
  instance->entry = entry;
  instance->interface = interface;
  instance->protocol = protocol;
  g_ptr_array_add (entry->instances, instance);

  return instance;
}

/* Lower is better: an IPv4 address is what people recognise and what works
 * without an interface scope; link-local ones come last.
 */
static guint
address_rank (const TertuliaRoomInstance *instance)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (instance->address);
  gboolean ipv4;

  if (address == NULL)
    return 4;

  ipv4 = g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV4;
  if (g_inet_address_get_is_link_local (address))
    return ipv4 ? 2 : 3;

  return ipv4 ? 0 : 1;
}

void
_tertulia_room_entry_remove_room (TertuliaRoomEntry *entry)
{
  guint position;

  if (entry->room == NULL)
    return;

  if (g_list_store_find (entry->rooms, entry->room, &position))
    g_list_store_remove (entry->rooms, position);
  g_clear_object (&entry->room);
}

static gboolean
entry_grace_over_cb (gpointer user_data)
{
  TertuliaRoomEntry *entry = user_data;

  entry->grace_id = 0;
  entry->grace_over = TRUE;
  _tertulia_room_entry_refresh (entry);

  return G_SOURCE_REMOVE;
}

void
_tertulia_room_entry_refresh (TertuliaRoomEntry *entry)
{
  const TertuliaRoomInstance *best = NULL;
  guint best_rank = G_MAXUINT;
  guint i;

  for (i = 0; i < entry->instances->len; i++)
    {
      const TertuliaRoomInstance *instance = g_ptr_array_index (entry->instances, i);
      guint rank;

      if (!instance->resolved)
        continue;

      rank = address_rank (instance);
      if (rank < best_rank)
        {
          best = instance;
          best_rank = rank;
        }
    }

  if (best == NULL)
    {
      _tertulia_room_entry_remove_room (entry);
      return;
    }

  if (entry->room == NULL && best_rank > 0 && !entry->grace_over)
    {
      if (entry->grace_id == 0)
        entry->grace_id = g_timeout_add (IPV4_GRACE_MSEC, entry_grace_over_cb, entry);
      return;
    }
  g_clear_handle_id (&entry->grace_id, g_source_remove);

  if (entry->room == NULL)
    {
      entry->room = _tertulia_lan_room_new (entry->name);
      _tertulia_lan_room_update (entry->room, best->host_name, best->address, best->port,
                                 best->is_local, best->txt);
      g_debug ("Found “%s” at %s port %u", entry->name, best->address, best->port);
      g_list_store_append (entry->rooms, entry->room);
    }
  else
    {
      _tertulia_lan_room_update (entry->room, best->host_name, best->address, best->port,
                                 best->is_local, best->txt);
    }
}

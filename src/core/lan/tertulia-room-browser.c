/* tertulia-room-browser.c — the rooms hosted on the LAN, as a live list (DNS-SD through Avahi)
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-room-browser"

#include "config.h"

#include <string.h>

#include "tertulia-discovery.h"
#include "tertulia-discovery-private.h"
#include "tertulia-room-browser.h"
#include "tertulia-room-entry-private.h"

struct _TertuliaRoomBrowser
{
  GObject                   parent_instance;

  /* Owned references */
  GListStore               *rooms;
  GHashTable               *entries;    /* key → TertuliaRoomEntry* */
  GHashTable               *resolvers;  /* object path → TertuliaRoomInstance* (borrowed) */
  char                     *browser_path;
  TertuliaAvahi             avahi;

  guint                     browser_signal_id;
  guint                     resolver_signal_id;
  TertuliaRoomBrowserState  state;
  /* Avahi before 0.8 has no ServiceBrowserPrepare/ServiceResolverPrepare:
   * browse with signals subscribed beforehand, and resolve once.
   */
  guint                     legacy : 1;
};

G_DEFINE_FINAL_TYPE (TertuliaRoomBrowser, tertulia_room_browser, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ROOMS,
  PROP_STATE,
  PROP_AVAILABLE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];


/* ---- bookkeeping --------------------------------------------------------- */

static void
set_state (TertuliaRoomBrowser      *self,
           TertuliaRoomBrowserState  state)
{
  gboolean was_available = self->state == TERTULIA_ROOM_BROWSER_BROWSING;

  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STATE]);
  if (was_available != (state == TERTULIA_ROOM_BROWSER_BROWSING))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_AVAILABLE]);
}

static void
instance_stop_resolver (TertuliaRoomBrowser  *self,
                        TertuliaRoomInstance *instance)
{
  if (instance->resolver_path == NULL)
    return;

  _tertulia_avahi_free_object (&self->avahi, instance->resolver_path, AVAHI_DBUS_INTERFACE_SERVICE_RESOLVER);
  g_hash_table_remove (self->resolvers, instance->resolver_path);
  g_clear_pointer (&instance->resolver_path, g_free);
}

static void
remove_entry (TertuliaRoomBrowser *self,
              TertuliaRoomEntry   *entry)
{
  guint i;

  for (i = 0; i < entry->instances->len; i++)
    instance_stop_resolver (self, g_ptr_array_index (entry->instances, i));

  _tertulia_room_entry_remove_room (entry);
  g_hash_table_remove (self->entries, entry->key);
}

/* Forgets every room and everything Avahi holds for us, telling it so when
 * @free_remote (when Avahi is gone, so are our objects there).
 */
static void
clear_session (TertuliaRoomBrowser *self,
               gboolean             free_remote)
{
  guint n_rooms;

  if (free_remote && self->avahi.bus != NULL)
    {
      GHashTableIter iter;
      gpointer path;

      g_hash_table_iter_init (&iter, self->resolvers);
      while (g_hash_table_iter_next (&iter, &path, NULL))
        _tertulia_avahi_free_object (&self->avahi, path, AVAHI_DBUS_INTERFACE_SERVICE_RESOLVER);
      _tertulia_avahi_free_object (&self->avahi, self->browser_path, AVAHI_DBUS_INTERFACE_SERVICE_BROWSER);
    }

  _tertulia_avahi_unsubscribe (&self->avahi, &self->browser_signal_id);
  _tertulia_avahi_unsubscribe (&self->avahi, &self->resolver_signal_id);

  g_hash_table_remove_all (self->resolvers);
  g_hash_table_remove_all (self->entries);
  n_rooms = g_list_model_get_n_items (G_LIST_MODEL (self->rooms));
  if (n_rooms > 0)
    g_list_store_remove_all (self->rooms);

  g_clear_pointer (&self->browser_path, g_free);
  _tertulia_avahi_detach (&self->avahi);
  self->legacy = FALSE;
}

/* Which instance a call to Avahi was made for: it may be gone when the
 * answer comes.
 */
typedef struct
{
  char *key;
  gint  interface;
  gint  protocol;
} InstanceRef;

static InstanceRef *
instance_ref_new (TertuliaRoomInstance *instance)
{
  InstanceRef *ref = g_new0 (InstanceRef, 1);

  ref->key = g_strdup (instance->entry->key);
  ref->interface = instance->interface;
  ref->protocol = instance->protocol;

  return ref;
}

static void
instance_ref_free (InstanceRef *ref)
{
  g_free (ref->key);
  g_free (ref);
}

/* The instance @ref names, if it is still there. */
static TertuliaRoomInstance *
instance_ref_lookup (TertuliaRoomBrowser *self,
                     const InstanceRef   *ref)
{
  TertuliaRoomEntry *entry = g_hash_table_lookup (self->entries, ref->key);

  if (entry == NULL)
    return NULL;

  return _tertulia_room_entry_find_instance (entry, ref->interface, ref->protocol);
}

/* An error that means Avahi is not there for us: the name watch says so
 * too, or (access denied) never will.
 */
static void
handle_error (TertuliaRoomBrowser *self,
              const GError        *error)
{
  if (_tertulia_discovery_error_is_unavailable (error))
    {
      g_debug ("Avahi cannot be reached: %s", error->message);
      clear_session (self, FALSE);
      set_state (self, TERTULIA_ROOM_BROWSER_UNAVAILABLE);
      return;
    }

  g_debug ("Avahi could not browse: %s", error->message);
  set_state (self, TERTULIA_ROOM_BROWSER_FAILED);
}

/* ---- resolving ----------------------------------------------------------- */

static void
instance_set_result (TertuliaRoomBrowser  *self,
                     TertuliaRoomInstance *instance,
                     GVariant             *result)
{
  const char *host_name = NULL;
  const char *address = NULL;
  g_autoptr(GVariant) txt = NULL;
  gint32 aprotocol = AVAHI_PROTO_UNSPEC;
  guint16 port = 0;
  guint32 flags = 0;

  /* Found and ResolveService give the same values. */
  if (!g_variant_is_of_type (result, G_VARIANT_TYPE ("(iissssisqaayu)")))
    return;

  g_variant_get (result, "(iisss&si&sq@aayu)",
                 NULL, NULL, NULL, NULL, NULL,
                 &host_name, &aprotocol, &address, &port, &txt, &flags);

  g_clear_pointer (&instance->txt, g_hash_table_unref);
  instance->txt = _tertulia_discovery_txt_parse (txt);
  g_free (instance->host_name);
  instance->host_name = g_strdup (host_name);
  g_free (instance->address);
  instance->address = g_strdup (address);
  instance->aprotocol = aprotocol;
  instance->port = port;
  instance->is_local = (flags & AVAHI_LOOKUP_RESULT_LOCAL) != 0;
  instance->resolved = TRUE;

  _tertulia_room_entry_refresh (instance->entry);
}

static void
resolver_started_cb (gpointer      user_data,
                     GVariant     *reply,
                     const GError *error,
                     gpointer      data)
{
  TertuliaRoomBrowser *self = user_data;
  TertuliaRoomInstance *instance;

  if (error == NULL)
    return;

  g_debug ("Could not start resolving: %s", error->message);
  if ((instance = instance_ref_lookup (self, data)) != NULL)
    instance_stop_resolver (self, instance);
}

static void
resolver_prepared_cb (gpointer      user_data,
                      GVariant     *reply,
                      const GError *error,
                      gpointer      data)
{
  TertuliaRoomBrowser *self = user_data;
  TertuliaRoomInstance *instance;
  const char *path = NULL;

  if (error != NULL)
    {
      g_debug ("Could not resolve: %s", error->message);
      return;
    }

  g_variant_get (reply, "(&o)", &path);

  if ((instance = instance_ref_lookup (self, data)) == NULL)
    {
      /* The service went away meanwhile. */
      _tertulia_avahi_free_object (&self->avahi, path, AVAHI_DBUS_INTERFACE_SERVICE_RESOLVER);
      return;
    }

  instance->resolver_path = g_strdup (path);
  g_hash_table_insert (self->resolvers, instance->resolver_path, instance);

  /* Found and Failure come only after Start, and we are subscribed. */
  _tertulia_avahi_call (&self->avahi, self, path,
                        AVAHI_DBUS_INTERFACE_SERVICE_RESOLVER, "Start",
                        NULL, NULL, resolver_started_cb,
                        instance_ref_new (instance), (GDestroyNotify) instance_ref_free);
}

static void
resolved_once_cb (gpointer      user_data,
                  GVariant     *reply,
                  const GError *error,
                  gpointer      data)
{
  TertuliaRoomBrowser *self = user_data;
  TertuliaRoomInstance *instance;

  if ((instance = instance_ref_lookup (self, data)) == NULL)
    return;

  if (error != NULL)
    {
      g_debug ("Could not resolve: %s", error->message);
      return;
    }

  instance_set_result (self, instance, reply);
}

static void
instance_resolve (TertuliaRoomBrowser  *self,
                  TertuliaRoomInstance *instance)
{
  TertuliaRoomEntry *entry = instance->entry;
  GVariant *parameters = g_variant_new ("(iisssiu)", instance->interface, instance->protocol,
                                        entry->name, TERTULIA_DISCOVERY_SERVICE_TYPE,
                                        entry->domain, instance->protocol, 0u);

  /* Asking for the address family the service was seen over gives each
   * instance its own address, and _tertulia_room_entry_refresh() picks among them.
   */
  if (self->legacy)
    _tertulia_avahi_call (&self->avahi, self, AVAHI_DBUS_PATH_SERVER,
                          AVAHI_DBUS_INTERFACE_SERVER, "ResolveService", parameters,
                          G_VARIANT_TYPE ("(iissssisqaayu)"), resolved_once_cb,
                          instance_ref_new (instance), (GDestroyNotify) instance_ref_free);
  else
    _tertulia_avahi_call_new (&self->avahi, self,
                              AVAHI_DBUS_INTERFACE_SERVER2, "ServiceResolverPrepare", parameters,
                              AVAHI_DBUS_INTERFACE_SERVICE_RESOLVER, resolver_prepared_cb,
                              instance_ref_new (instance), (GDestroyNotify) instance_ref_free);
}

static void
resolver_signal_cb (GDBusConnection *bus,
                    const char      *sender,
                    const char      *path,
                    const char      *interface,
                    const char      *signal,
                    GVariant        *parameters,
                    gpointer         user_data)
{
  TertuliaRoomBrowser *self = user_data;
  TertuliaRoomInstance *instance = g_hash_table_lookup (self->resolvers, path);

  if (instance == NULL)
    return;

  if (g_strcmp0 (signal, "Found") == 0)
    {
      instance_set_result (self, instance, parameters);
    }
  else if (g_strcmp0 (signal, "Failure") == 0)
    {
      /* Usually a timeout: the host did not answer. If it is still there,
       * a later ItemNew brings it back; what it said before stays shown.
       */
      g_debug ("Resolving “%s” failed", instance->entry->name);
      instance_stop_resolver (self, instance);
    }
}

/* ---- browsing ------------------------------------------------------------ */

static void
item_new (TertuliaRoomBrowser *self,
          gint                 interface,
          gint                 protocol,
          const char          *name,
          const char          *domain)
{
  g_autofree char *key = _tertulia_room_entry_key (name, domain);
  TertuliaRoomEntry *entry = g_hash_table_lookup (self->entries, key);
  TertuliaRoomInstance *instance;

  if (entry == NULL)
    {
      entry = _tertulia_room_entry_new (self->rooms, name, domain);
      g_hash_table_insert (self->entries, entry->key, entry);
    }

  instance = _tertulia_room_entry_add_instance (entry, interface, protocol);
  if (instance == NULL)
    return;

  instance_resolve (self, instance);
}

static void
item_remove (TertuliaRoomBrowser *self,
             gint                 interface,
             gint                 protocol,
             const char          *name,
             const char          *domain)
{
  g_autofree char *key = _tertulia_room_entry_key (name, domain);
  TertuliaRoomEntry *entry = g_hash_table_lookup (self->entries, key);
  TertuliaRoomInstance *instance;

  if (entry == NULL || (instance = _tertulia_room_entry_find_instance (entry, interface, protocol)) == NULL)
    return;

  instance_stop_resolver (self, instance);
  g_ptr_array_remove (entry->instances, instance);

  if (entry->instances->len == 0)
    {
      g_debug ("“%s” is gone", entry->name);
      remove_entry (self, entry);
    }
  else
    {
      _tertulia_room_entry_refresh (entry);
    }
}

static void
browser_signal_cb (GDBusConnection *bus,
                   const char      *sender,
                   const char      *path,
                   const char      *interface,
                   const char      *signal,
                   GVariant        *parameters,
                   gpointer         user_data)
{
  TertuliaRoomBrowser *self = user_data;
  gint32 item_interface = 0;
  gint32 item_protocol = 0;
  const char *name = NULL;
  const char *type = NULL;
  const char *domain = NULL;

  /* Before Avahi 0.8 we subscribe before we know our browser's path. */
  if (self->browser_path != NULL && g_strcmp0 (path, self->browser_path) != 0)
    return;

  if (g_strcmp0 (signal, "Failure") == 0)
    {
      g_debug ("Avahi stopped browsing");
      set_state (self, TERTULIA_ROOM_BROWSER_FAILED);
      return;
    }

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(iisssu)")))
    return;

  g_variant_get (parameters, "(ii&s&s&su)",
                 &item_interface, &item_protocol, &name, &type, &domain, NULL);
  if (g_strcmp0 (type, TERTULIA_DISCOVERY_SERVICE_TYPE) != 0)
    return;

  if (g_strcmp0 (signal, "ItemNew") == 0)
    item_new (self, item_interface, item_protocol, name, domain);
  else if (g_strcmp0 (signal, "ItemRemove") == 0)
    item_remove (self, item_interface, item_protocol, name, domain);
}

static void
subscribe_browser_signals (TertuliaRoomBrowser *self)
{
  self->browser_signal_id =
    _tertulia_avahi_subscribe (&self->avahi, AVAHI_DBUS_INTERFACE_SERVICE_BROWSER, NULL,
                               self->browser_path, browser_signal_cb, self);
}

static void
browser_started_cb (gpointer      user_data,
                    GVariant     *reply,
                    const GError *error,
                    gpointer      data)
{
  TertuliaRoomBrowser *self = user_data;

  if (error != NULL)
    handle_error (self, error);
  else
    set_state (self, TERTULIA_ROOM_BROWSER_BROWSING);
}

static void
legacy_browser_new_cb (gpointer      user_data,
                       GVariant     *reply,
                       const GError *error,
                       gpointer      data)
{
  TertuliaRoomBrowser *self = user_data;

  if (error != NULL)
    {
      handle_error (self, error);
      return;
    }

  g_variant_get (reply, "(o)", &self->browser_path);
  set_state (self, TERTULIA_ROOM_BROWSER_BROWSING);
}

static void
browser_prepared_cb (gpointer      user_data,
                     GVariant     *reply,
                     const GError *error,
                     gpointer      data)
{
  TertuliaRoomBrowser *self = user_data;

  if (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD) ||
      g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_INTERFACE))
    {
      /* Before Avahi 0.8 the browser starts at once and its first items may
       * come before the reply, so listen first.
       */
      g_debug ("Avahi has no ServiceBrowserPrepare; browsing the old way");
      self->legacy = TRUE;
      subscribe_browser_signals (self);
      _tertulia_avahi_call (&self->avahi, self, AVAHI_DBUS_PATH_SERVER,
                            AVAHI_DBUS_INTERFACE_SERVER, "ServiceBrowserNew",
                            g_variant_new ("(iissu)", AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC,
                                           TERTULIA_DISCOVERY_SERVICE_TYPE, "", 0u),
                            G_VARIANT_TYPE ("(o)"), legacy_browser_new_cb, NULL, NULL);
      return;
    }

  if (error != NULL)
    {
      handle_error (self, error);
      return;
    }

  g_variant_get (reply, "(o)", &self->browser_path);
  subscribe_browser_signals (self);
  _tertulia_avahi_call (&self->avahi, self, self->browser_path,
                        AVAHI_DBUS_INTERFACE_SERVICE_BROWSER, "Start",
                        NULL, NULL, browser_started_cb, NULL, NULL);
}

static void
avahi_appeared_cb (GDBusConnection *bus,
                   const char      *name,
                   const char      *owner,
                   gpointer         user_data)
{
  TertuliaRoomBrowser *self = user_data;

  g_debug ("Avahi is on the system bus as %s", owner);

  clear_session (self, TRUE);
  _tertulia_avahi_attach (&self->avahi, bus, owner);

  self->resolver_signal_id =
    _tertulia_avahi_subscribe (&self->avahi, AVAHI_DBUS_INTERFACE_SERVICE_RESOLVER, NULL,
                               NULL, resolver_signal_cb, self);

  /* A browser made for a session that ended meanwhile is freed. */
  _tertulia_avahi_call_new (&self->avahi, self, AVAHI_DBUS_INTERFACE_SERVER2, "ServiceBrowserPrepare",
                            g_variant_new ("(iissu)", AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC,
                                           TERTULIA_DISCOVERY_SERVICE_TYPE, "", 0u),
                            AVAHI_DBUS_INTERFACE_SERVICE_BROWSER, browser_prepared_cb, NULL, NULL);
}

static void
avahi_vanished_cb (GDBusConnection *bus,
                   const char      *name,
                   gpointer         user_data)
{
  TertuliaRoomBrowser *self = user_data;

  g_debug ("Avahi is not on the system bus");
  _tertulia_discovery_keep_running_without_bus (bus);

  /* Without Avahi nothing tells us when rooms go, so none is shown. */
  clear_session (self, FALSE);
  set_state (self, TERTULIA_ROOM_BROWSER_UNAVAILABLE);
}

/* ---- GObject ------------------------------------------------------------- */

static void
tertulia_room_browser_constructed (GObject *object)
{
  TertuliaRoomBrowser *self = (TertuliaRoomBrowser *)object;

  G_OBJECT_CLASS (tertulia_room_browser_parent_class)->constructed (object);

  _tertulia_avahi_watch (&self->avahi, avahi_appeared_cb, avahi_vanished_cb, self);
}

static void
tertulia_room_browser_dispose (GObject *object)
{
  TertuliaRoomBrowser *self = (TertuliaRoomBrowser *)object;

  _tertulia_avahi_unwatch (&self->avahi);
  clear_session (self, TRUE);

  G_OBJECT_CLASS (tertulia_room_browser_parent_class)->dispose (object);
}

static void
tertulia_room_browser_finalize (GObject *object)
{
  TertuliaRoomBrowser *self = (TertuliaRoomBrowser *)object;

  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_pointer (&self->resolvers, g_hash_table_unref);
  g_clear_object (&self->rooms);

  G_OBJECT_CLASS (tertulia_room_browser_parent_class)->finalize (object);
}

static void
tertulia_room_browser_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  TertuliaRoomBrowser *self = TERTULIA_ROOM_BROWSER (object);

  switch (prop_id)
    {
    case PROP_ROOMS:
      g_value_set_object (value, self->rooms);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_AVAILABLE:
      g_value_set_boolean (value, tertulia_room_browser_get_available (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tertulia_room_browser_class_init (TertuliaRoomBrowserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = tertulia_room_browser_constructed;
  object_class->dispose = tertulia_room_browser_dispose;
  object_class->finalize = tertulia_room_browser_finalize;
  object_class->get_property = tertulia_room_browser_get_property;

  properties [PROP_ROOMS] =
    g_param_spec_object ("rooms", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       TERTULIA_TYPE_ROOM_BROWSER_STATE, TERTULIA_ROOM_BROWSER_STARTING,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_AVAILABLE] =
    g_param_spec_boolean ("available", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tertulia_room_browser_init (TertuliaRoomBrowser *self)
{
  self->rooms = g_list_store_new (TERTULIA_TYPE_LAN_ROOM);
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) _tertulia_room_entry_free);
  self->resolvers = g_hash_table_new (g_str_hash, g_str_equal);
  self->state = TERTULIA_ROOM_BROWSER_STARTING;
}

TertuliaRoomBrowser *
tertulia_room_browser_new (void)
{
  return g_object_new (TERTULIA_TYPE_ROOM_BROWSER, NULL);
}

GListModel *
tertulia_room_browser_get_rooms (TertuliaRoomBrowser *self)
{
  g_return_val_if_fail (TERTULIA_IS_ROOM_BROWSER (self), NULL);

  return G_LIST_MODEL (self->rooms);
}

TertuliaRoomBrowserState
tertulia_room_browser_get_state (TertuliaRoomBrowser *self)
{
  g_return_val_if_fail (TERTULIA_IS_ROOM_BROWSER (self), TERTULIA_ROOM_BROWSER_UNAVAILABLE);

  return self->state;
}

gboolean
tertulia_room_browser_get_available (TertuliaRoomBrowser *self)
{
  g_return_val_if_fail (TERTULIA_IS_ROOM_BROWSER (self), FALSE);

  return self->state == TERTULIA_ROOM_BROWSER_BROWSING;
}

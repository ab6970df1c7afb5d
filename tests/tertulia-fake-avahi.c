/* tertulia-fake-avahi.c — a stand-in for avahi-daemon on a private system bus
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "tertulia-fake-avahi.h"
#include "tertulia-discovery.h"
#include "tertulia-discovery-private.h"

/* What the "network" resolves the app's own rooms to. */
#define LOCAL_HOST_NAME "tertulia-test.local"
#define LOCAL_ADDRESS   "127.0.0.1"
/* A made-up interface index, as Avahi reports one. */
#define FAKE_INTERFACE  2

static const char fake_avahi_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Avahi.Server'>"
  "    <method name='EntryGroupNew'><arg type='o' direction='out'/></method>"
  "    <method name='GetAlternativeServiceName'>"
  "      <arg type='s' direction='in'/><arg type='s' direction='out'/>"
  "    </method>"
  "    <method name='ServiceBrowserNew'>"
  "      <arg type='i' direction='in'/><arg type='i' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='u' direction='in'/><arg type='o' direction='out'/>"
  "    </method>"
  "    <method name='ResolveService'>"
  "      <arg type='i' direction='in'/><arg type='i' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='i' direction='in'/><arg type='u' direction='in'/>"
  "      <arg type='i' direction='out'/><arg type='i' direction='out'/>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "      <arg type='s' direction='out'/><arg type='i' direction='out'/><arg type='s' direction='out'/>"
  "      <arg type='q' direction='out'/><arg type='aay' direction='out'/><arg type='u' direction='out'/>"
  "    </method>"
  "  </interface>"
  "  <interface name='org.freedesktop.Avahi.Server2'>"
  "    <method name='ServiceBrowserPrepare'>"
  "      <arg type='i' direction='in'/><arg type='i' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='u' direction='in'/><arg type='o' direction='out'/>"
  "    </method>"
  "    <method name='ServiceResolverPrepare'>"
  "      <arg type='i' direction='in'/><arg type='i' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='i' direction='in'/><arg type='u' direction='in'/>"
  "      <arg type='o' direction='out'/>"
  "    </method>"
  "  </interface>"
  "  <interface name='org.freedesktop.Avahi.EntryGroup'>"
  "    <method name='Free'/><method name='Commit'/><method name='Reset'/>"
  "    <method name='AddService'>"
  "      <arg type='i' direction='in'/><arg type='i' direction='in'/><arg type='u' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='q' direction='in'/><arg type='aay' direction='in'/>"
  "    </method>"
  "    <method name='UpdateServiceTxt'>"
  "      <arg type='i' direction='in'/><arg type='i' direction='in'/><arg type='u' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='aay' direction='in'/>"
  "    </method>"
  "  </interface>"
  "  <interface name='org.freedesktop.Avahi.ServiceBrowser'>"
  "    <method name='Free'/><method name='Start'/>"
  "  </interface>"
  "  <interface name='org.freedesktop.Avahi.ServiceResolver'>"
  "    <method name='Free'/><method name='Start'/>"
  "  </interface>"
  "</node>";

/* The same policy GTestDBus gives its buses: anyone may do anything. */
static const char bus_config[] =
  "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
  " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
  "<busconfig>\n"
  "  <listen>unix:tmpdir=/tmp</listen>\n"
  "  <auth>EXTERNAL</auth>\n"
  "  <policy context=\"default\">\n"
  "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
  "    <allow eavesdrop=\"true\"/>\n"
  "    <allow own=\"*\"/>\n"
  "  </policy>\n"
  "</busconfig>\n";

typedef struct
{
  char     *name;
  char     *host_name;
  char     *address;
  guint     port;
  GVariant *txt;         /* aay */
  char     *group_path;  /* NULL when the test published it */
  gint      interface;   /* what the client asked for */
  gint      protocol;
  gboolean  published;
} Service;

struct _FakeAvahi
{
  GSubprocess     *daemon;
  char            *config_dir;
  char            *config_file;
  GDBusConnection *connection;
  GDBusNodeInfo   *info;
  GArray          *registrations;  /* of guint */
  guint            own_id;
  guint            n_objects;

  GHashTable      *services;       /* name → Service* */
  GHashTable      *taken;          /* names other machines hold */
  GPtrArray       *browsers;       /* started browsers' paths */
  GPtrArray       *resolvers;      /* of FakeAvahiResolver* */
  gboolean         legacy;
  gboolean         echo;
};

static void
service_free (Service *service)
{
  g_free (service->name);
  g_free (service->host_name);
  g_free (service->address);
  g_clear_pointer (&service->txt, g_variant_unref);
  g_free (service->group_path);
  g_free (service);
}

static void
resolver_free (FakeAvahiResolver *resolver)
{
  g_free (resolver->path);
  g_free (resolver->name);
  g_free (resolver);
}

/* Whether browsers find @service. */
static gboolean
is_visible (FakeAvahi *fake,
            Service   *service)
{
  return service->published && (service->group_path == NULL || fake->echo);
}

static void
emit (FakeAvahi  *fake,
      const char *path,
      const char *interface,
      const char *signal,
      GVariant   *parameters)
{
  g_autoptr(GError) error = NULL;

  g_dbus_connection_emit_signal (fake->connection, NULL, path, interface, signal,
                                 parameters, &error);
  g_assert_no_error (error);
}

static void
emit_item (FakeAvahi  *fake,
           const char *browser_path,
           const char *signal,
           Service    *service)
{
  emit (fake, browser_path, AVAHI_DBUS_INTERFACE_SERVICE_BROWSER, signal,
        g_variant_new ("(iisssu)", FAKE_INTERFACE, AVAHI_PROTO_INET, service->name,
                       TERTULIA_DISCOVERY_SERVICE_TYPE, "local",
                       service->group_path != NULL ? (guint) AVAHI_LOOKUP_RESULT_LOCAL : 0u));
}

/* What Found and ResolveService say of @service, to @resolver. */
static GVariant *
resolved_new (FakeAvahiResolver *resolver,
              Service           *service)
{
  return g_variant_new ("(iissssisq@aayu)", resolver->interface, resolver->protocol,
                        service->name, TERTULIA_DISCOVERY_SERVICE_TYPE, "local",
                        service->host_name, resolver->aprotocol, service->address,
                        (guint16) service->port, service->txt,
                        service->group_path != NULL ? (guint) AVAHI_LOOKUP_RESULT_LOCAL : 0u);
}

static void
emit_found (FakeAvahi         *fake,
            FakeAvahiResolver *resolver,
            Service           *service)
{
  emit (fake, resolver->path, AVAHI_DBUS_INTERFACE_SERVICE_RESOLVER, "Found",
        resolved_new (resolver, service));
}

static void
emit_items (FakeAvahi  *fake,
            const char *browser_path,
            const char *signal)
{
  GHashTableIter iter;
  Service *service;

  g_hash_table_iter_init (&iter, fake->services);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &service))
    if (is_visible (fake, service))
      emit_item (fake, browser_path, signal, service);
}

/* A service appears or changes on the "network": browsers hear of it,
 * running resolvers report it again.
 */
static void
announce (FakeAvahi *fake,
          Service   *service,
          gboolean   is_new)
{
  service->published = TRUE;
  if (!is_visible (fake, service))
    return;

  if (is_new)
    for (guint i = 0; i < fake->browsers->len; i++)
      emit_item (fake, g_ptr_array_index (fake->browsers, i), "ItemNew", service);

  for (guint i = 0; i < fake->resolvers->len; i++)
    {
      FakeAvahiResolver *resolver = g_ptr_array_index (fake->resolvers, i);

      if (resolver->started && !resolver->freed && g_strcmp0 (resolver->name, service->name) == 0)
        emit_found (fake, resolver, service);
    }
}

static void
withdraw (FakeAvahi *fake,
          Service   *service)
{
  if (is_visible (fake, service))
    for (guint i = 0; i < fake->browsers->len; i++)
      emit_item (fake, g_ptr_array_index (fake->browsers, i), "ItemRemove", service);

  g_hash_table_remove (fake->services, service->name);
}

static void
withdraw_group (FakeAvahi  *fake,
                const char *group_path)
{
  GHashTableIter iter;
  Service *service;
  g_autoptr(GPtrArray) gone = g_ptr_array_new ();

  g_hash_table_iter_init (&iter, fake->services);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &service))
    if (g_strcmp0 (service->group_path, group_path) == 0)
      g_ptr_array_add (gone, service);

  for (guint i = 0; i < gone->len; i++)
    withdraw (fake, g_ptr_array_index (gone, i));
}

static FakeAvahiResolver *
find_resolver (FakeAvahi  *fake,
               const char *path)
{
  for (guint i = 0; i < fake->resolvers->len; i++)
    {
      FakeAvahiResolver *resolver = g_ptr_array_index (fake->resolvers, i);

      if (g_strcmp0 (resolver->path, path) == 0)
        return resolver;
    }

  return NULL;
}

static void register_object (FakeAvahi *fake, const char *path, const char *interface);

static char *
new_path (FakeAvahi  *fake,
          const char *kind)
{
  return g_strdup_printf ("/Client1/%s%u", kind, ++fake->n_objects);
}

static void
method_call_cb (GDBusConnection       *connection,
                const char            *sender,
                const char            *path,
                const char            *interface,
                const char            *method,
                GVariant              *parameters,
                GDBusMethodInvocation *invocation,
                gpointer               user_data)
{
  FakeAvahi *fake = user_data;

  if (g_test_initialized ())
    g_test_message ("avahi: %s.%s on %s", interface, method, path);

  if (g_strcmp0 (method, "EntryGroupNew") == 0)
    {
      g_autofree char *group_path = new_path (fake, "EntryGroup");

      register_object (fake, group_path, AVAHI_DBUS_INTERFACE_ENTRY_GROUP);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", group_path));
    }
  else if (g_strcmp0 (method, "GetAlternativeServiceName") == 0)
    {
      const char *name;
      g_autofree char *alternative = NULL;

      g_variant_get (parameters, "(&s)", &name);
      alternative = g_strconcat (name, " #2", NULL);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(s)", alternative));
    }
  else if (g_strcmp0 (method, "AddService") == 0)
    {
      const char *name, *type, *host;
      GVariant *txt = NULL;
      Service *service;
      gint32 service_interface, protocol;
      guint16 port;

      g_variant_get (parameters, "(iiu&s&ss&sq@aay)", &service_interface, &protocol, NULL,
                     &name, &type, NULL, &host, &port, &txt);
      g_assert_cmpstr (type, ==, TERTULIA_DISCOVERY_SERVICE_TYPE);

      if (g_hash_table_contains (fake->services, name) || g_hash_table_contains (fake->taken, name))
        {
          g_variant_unref (txt);
          g_dbus_method_invocation_return_dbus_error (invocation, AVAHI_DBUS_ERROR_COLLISION,
                                                      "Local name collision");
          return;
        }

      service = g_new0 (Service, 1);
      service->name = g_strdup (name);
      service->host_name = g_strdup (*host != '\0' ? host : LOCAL_HOST_NAME);
      service->address = g_strdup (LOCAL_ADDRESS);
      service->port = port;
      service->txt = txt;
      service->group_path = g_strdup (path);
      service->interface = service_interface;
      service->protocol = protocol;
      g_hash_table_insert (fake->services, service->name, service);
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else if (g_strcmp0 (method, "UpdateServiceTxt") == 0)
    {
      const char *name;
      GVariant *txt = NULL;
      Service *service;

      g_variant_get (parameters, "(iiu&ss&s@aay)", NULL, NULL, NULL, &name, NULL, NULL, &txt);
      service = g_hash_table_lookup (fake->services, name);
      g_assert_nonnull (service);
      g_clear_pointer (&service->txt, g_variant_unref);
      service->txt = txt;
      if (service->published)
        announce (fake, service, FALSE);
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else if (g_strcmp0 (method, "Commit") == 0)
    {
      GHashTableIter iter;
      Service *service;

      g_dbus_method_invocation_return_value (invocation, NULL);
      emit (fake, path, AVAHI_DBUS_INTERFACE_ENTRY_GROUP, "StateChanged",
            g_variant_new ("(is)", AVAHI_ENTRY_GROUP_REGISTERING, "org.freedesktop.Avahi.Success"));
      emit (fake, path, AVAHI_DBUS_INTERFACE_ENTRY_GROUP, "StateChanged",
            g_variant_new ("(is)", AVAHI_ENTRY_GROUP_ESTABLISHED, "org.freedesktop.Avahi.Success"));

      g_hash_table_iter_init (&iter, fake->services);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &service))
        if (g_strcmp0 (service->group_path, path) == 0 && !service->published)
          announce (fake, service, TRUE);
    }
  else if (g_strcmp0 (method, "Reset") == 0 ||
           (g_strcmp0 (method, "Free") == 0 &&
            g_strcmp0 (interface, AVAHI_DBUS_INTERFACE_ENTRY_GROUP) == 0))
    {
      withdraw_group (fake, path);
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else if (g_strcmp0 (method, "ServiceBrowserPrepare") == 0 ||
           g_strcmp0 (method, "ServiceBrowserNew") == 0)
    {
      g_autofree char *browser_path = new_path (fake, "ServiceBrowser");
      const char *type;

      g_variant_get (parameters, "(ii&s&su)", NULL, NULL, &type, NULL, NULL);
      g_assert_cmpstr (type, ==, TERTULIA_DISCOVERY_SERVICE_TYPE);
      register_object (fake, browser_path, AVAHI_DBUS_INTERFACE_SERVICE_BROWSER);

      /* Before 0.8 the browser starts at once: its first items can reach
       * the client before this reply does.
       */
      if (g_strcmp0 (method, "ServiceBrowserNew") == 0)
        {
          g_ptr_array_add (fake->browsers, g_strdup (browser_path));
          emit_items (fake, browser_path, "ItemNew");
        }
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", browser_path));
    }
  else if (g_strcmp0 (method, "ResolveService") == 0)
    {
      FakeAvahiResolver request = { NULL, NULL, 0, 0, 0, FALSE, FALSE };
      Service *service;

      g_variant_get (parameters, "(ii&ss&siu)", &request.interface, &request.protocol,
                     &request.name, NULL, NULL, &request.aprotocol, NULL);
      service = g_hash_table_lookup (fake->services, request.name);
      if (service != NULL && is_visible (fake, service))
        g_dbus_method_invocation_return_value (invocation, resolved_new (&request, service));
      else
        g_dbus_method_invocation_return_dbus_error (invocation, "org.freedesktop.Avahi.TimeoutError",
                                                    "Timeout reached");
    }
  else if (g_strcmp0 (method, "ServiceResolverPrepare") == 0)
    {
      FakeAvahiResolver *resolver = g_new0 (FakeAvahiResolver, 1);

      g_variant_get (parameters, "(iisssiu)", &resolver->interface, &resolver->protocol, &resolver->name,
                     NULL, NULL, &resolver->aprotocol, NULL);
      resolver->path = new_path (fake, "ServiceResolver");
      register_object (fake, resolver->path, AVAHI_DBUS_INTERFACE_SERVICE_RESOLVER);
      g_ptr_array_add (fake->resolvers, resolver);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", resolver->path));
    }
  else if (g_strcmp0 (method, "Start") == 0)
    {
      FakeAvahiResolver *resolver = find_resolver (fake, path);

      g_dbus_method_invocation_return_value (invocation, NULL);

      if (resolver != NULL)
        {
          Service *service = g_hash_table_lookup (fake->services, resolver->name);

          resolver->started = TRUE;
          if (service != NULL && is_visible (fake, service))
            emit_found (fake, resolver, service);
        }
      else
        {
          g_ptr_array_add (fake->browsers, g_strdup (path));
          emit_items (fake, path, "ItemNew");
        }
    }
  else if (g_strcmp0 (method, "Free") == 0)
    {
      FakeAvahiResolver *resolver = find_resolver (fake, path);
      guint index;

      /* Kept until Avahi stops, for the test to see it was freed. */
      if (resolver != NULL)
        resolver->freed = TRUE;
      else if (g_ptr_array_find_with_equal_func (fake->browsers, path, g_str_equal, &index))
        g_ptr_array_remove_index (fake->browsers, index);
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else
    {
      g_dbus_method_invocation_return_dbus_error (invocation,
                                                  "org.freedesktop.DBus.Error.UnknownMethod",
                                                  method);
    }
}

static const GDBusInterfaceVTable vtable = { method_call_cb, NULL, NULL, { 0 } };

static void
register_object (FakeAvahi  *fake,
                 const char *path,
                 const char *interface)
{
  g_autoptr(GError) error = NULL;
  guint id;

  id = g_dbus_connection_register_object (fake->connection, path,
                                          g_dbus_node_info_lookup_interface (fake->info, interface),
                                          &vtable, fake, NULL, &error);
  g_assert_no_error (error);
  g_array_append_val (fake->registrations, id);
}

void
fake_avahi_start (FakeAvahi *fake)
{
  GHashTableIter iter;
  Service *service;

  g_assert_cmpuint (fake->own_id, ==, 0);

  /* Other machines' rooms are found again. */
  g_hash_table_iter_init (&iter, fake->services);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &service))
    service->published = TRUE;

  register_object (fake, AVAHI_DBUS_PATH_SERVER, AVAHI_DBUS_INTERFACE_SERVER);
  if (!fake->legacy)
    register_object (fake, AVAHI_DBUS_PATH_SERVER, AVAHI_DBUS_INTERFACE_SERVER2);
  fake->own_id = g_bus_own_name_on_connection (fake->connection, AVAHI_DBUS_NAME,
                                               G_BUS_NAME_OWNER_FLAGS_NONE,
                                               NULL, NULL, NULL, NULL);
}

/* What avahi-daemon stopping does: its objects and what clients made there
 * go; rooms other machines host are still out there for when it is back.
 */
void
fake_avahi_stop (FakeAvahi *fake)
{
  GHashTableIter iter;
  Service *service;

  g_clear_handle_id (&fake->own_id, g_bus_unown_name);
  for (guint i = 0; i < fake->registrations->len; i++)
    g_dbus_connection_unregister_object (fake->connection,
                                         g_array_index (fake->registrations, guint, i));
  g_array_set_size (fake->registrations, 0);

  g_ptr_array_set_size (fake->browsers, 0);
  g_ptr_array_set_size (fake->resolvers, 0);

  g_hash_table_iter_init (&iter, fake->services);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &service))
    {
      if (service->group_path != NULL)
        g_hash_table_iter_remove (&iter);
      else
        service->published = FALSE;
    }
}

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

FakeAvahi *
fake_avahi_new (void)
{
  FakeAvahi *fake = g_new0 (FakeAvahi, 1);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;

  fake->config_dir = g_dir_make_tmp ("tertulia-fake-avahi-XXXXXX", &error);
  g_assert_no_error (error);
  fake->config_file = g_build_filename (fake->config_dir, "bus.conf", NULL);
  g_file_set_contents (fake->config_file, bus_config, -1, &error);
  g_assert_no_error (error);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  fake->daemon = g_subprocess_launcher_spawn (launcher, &error,
                                              "dbus-daemon", "--nofork", "--print-address",
                                              "--config-file", fake->config_file,
                                              NULL);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fake->daemon));
  address = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (address);

  g_setenv ("DBUS_SYSTEM_BUS_ADDRESS", address, TRUE);

  fake->connection = g_dbus_connection_new_for_address_sync (address,
                                                             G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                             G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                             NULL, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_set_exit_on_close (fake->connection, FALSE);
  fake->info = g_dbus_node_info_new_for_xml (fake_avahi_xml, &error);
  g_assert_no_error (error);
  fake->registrations = g_array_new (FALSE, FALSE, sizeof (guint));
  fake->services = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                          (GDestroyNotify) service_free);
  fake->taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  fake->echo = TRUE;
  fake->browsers = g_ptr_array_new_with_free_func (g_free);
  fake->resolvers = g_ptr_array_new_with_free_func ((GDestroyNotify) resolver_free);

  fake_avahi_start (fake);

  return fake;
}

void
fake_avahi_free (FakeAvahi *fake)
{
  fake_avahi_stop (fake);
  g_hash_table_remove_all (fake->services);

  g_dbus_connection_close_sync (fake->connection, NULL, NULL);
  g_clear_object (&fake->connection);

  g_subprocess_send_signal (fake->daemon, SIGTERM);
  g_subprocess_wait (fake->daemon, NULL, NULL);
  g_clear_object (&fake->daemon);

  g_unlink (fake->config_file);
  g_rmdir (fake->config_dir);
  g_free (fake->config_file);
  g_free (fake->config_dir);

  g_clear_pointer (&fake->info, g_dbus_node_info_unref);
  g_clear_pointer (&fake->registrations, g_array_unref);
  g_clear_pointer (&fake->services, g_hash_table_unref);
  g_clear_pointer (&fake->taken, g_hash_table_unref);
  g_clear_pointer (&fake->browsers, g_ptr_array_unref);
  g_clear_pointer (&fake->resolvers, g_ptr_array_unref);
  g_free (fake);
}

void
fake_avahi_publish (FakeAvahi          *fake,
                    const char         *name,
                    const char         *host_name,
                    const char         *address,
                    guint               port,
                    const char * const *txt)
{
  Service *service = g_hash_table_lookup (fake->services, name);
  GVariantBuilder builder;
  gboolean is_new = service == NULL;

  if (service == NULL)
    {
      service = g_new0 (Service, 1);
      service->name = g_strdup (name);
      g_hash_table_insert (fake->services, service->name, service);
    }

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aay"));
  for (guint i = 0; txt != NULL && txt[i] != NULL; i++)
    g_variant_builder_add_value (&builder,
                                 g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, txt[i],
                                                            strlen (txt[i]), 1));

  g_free (service->host_name);
  service->host_name = g_strdup (host_name);
  g_free (service->address);
  service->address = g_strdup (address);
  service->port = port;
  g_clear_pointer (&service->txt, g_variant_unref);
  service->txt = g_variant_ref_sink (g_variant_builder_end (&builder));

  /* While avahi-daemon is stopped, it shows up when it starts. */
  if (fake->own_id != 0)
    announce (fake, service, is_new || !service->published);
}

void
fake_avahi_withdraw (FakeAvahi  *fake,
                     const char *name)
{
  Service *service = g_hash_table_lookup (fake->services, name);

  g_assert_nonnull (service);
  withdraw (fake, service);
}

gboolean
fake_avahi_has_service (FakeAvahi  *fake,
                        const char *name)
{
  Service *service = g_hash_table_lookup (fake->services, name);

  return service != NULL && service->published;
}

char *
fake_avahi_dup_txt (FakeAvahi  *fake,
                    const char *name)
{
  Service *service = g_hash_table_lookup (fake->services, name);
  g_autoptr(GString) out = NULL;
  GVariantIter iter;
  GVariant *child;

  if (service == NULL || !service->published)
    return NULL;

  out = g_string_new (NULL);
  g_variant_iter_init (&iter, service->txt);
  while ((child = g_variant_iter_next_value (&iter)) != NULL)
    {
      gsize length;
      const char *bytes = g_variant_get_fixed_array (child, &length, 1);

      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append_len (out, bytes, (gssize) length);
      g_variant_unref (child);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

gboolean
fake_avahi_lookup_announced (FakeAvahi  *fake,
                             const char *name,
                             gint       *interface,
                             gint       *protocol,
                             guint      *port)
{
  Service *service = g_hash_table_lookup (fake->services, name);

  if (service == NULL || service->group_path == NULL)
    return FALSE;

  *interface = service->interface;
  *protocol = service->protocol;
  *port = service->port;

  return TRUE;
}

void
fake_avahi_collide (FakeAvahi  *fake,
                    const char *name)
{
  Service *service = g_hash_table_lookup (fake->services, name);

  g_assert_nonnull (service);
  g_assert_nonnull (service->group_path);
  emit (fake, service->group_path, AVAHI_DBUS_INTERFACE_ENTRY_GROUP, "StateChanged",
        g_variant_new ("(is)", AVAHI_ENTRY_GROUP_COLLISION, "org.freedesktop.Avahi.Success"));
}

void
fake_avahi_set_legacy (FakeAvahi *fake,
                       gboolean   legacy)
{
  fake->legacy = legacy;
}

void
fake_avahi_set_echo (FakeAvahi *fake,
                     gboolean   echo)
{
  fake->echo = echo;
}

void
fake_avahi_set_name_taken (FakeAvahi  *fake,
                           const char *name,
                           gboolean    taken)
{
  if (taken)
    g_hash_table_add (fake->taken, g_strdup (name));
  else
    g_hash_table_remove (fake->taken, name);
}

guint
fake_avahi_get_n_browsers (FakeAvahi *fake)
{
  return fake->browsers->len;
}

void
fake_avahi_emit_item (FakeAvahi  *fake,
                      const char *signal,
                      gint        protocol,
                      const char *name)
{
  for (guint i = 0; i < fake->browsers->len; i++)
    emit (fake, g_ptr_array_index (fake->browsers, i), AVAHI_DBUS_INTERFACE_SERVICE_BROWSER, signal,
          g_variant_new ("(iisssu)", FAKE_INTERFACE, protocol, name,
                         TERTULIA_DISCOVERY_SERVICE_TYPE, "local", 0u));
}

FakeAvahiResolver *
fake_avahi_find_resolver (FakeAvahi *fake,
                          gint       protocol)
{
  for (guint i = 0; i < fake->resolvers->len; i++)
    {
      FakeAvahiResolver *resolver = g_ptr_array_index (fake->resolvers, i);

      if (resolver->protocol == protocol && resolver->started && !resolver->freed)
        return resolver;
    }

  return NULL;
}

void
fake_avahi_emit_found (FakeAvahi         *fake,
                       FakeAvahiResolver *resolver,
                       const char        *host_name,
                       const char        *address,
                       guint              port,
                       GVariant          *txt)
{
  g_autoptr(GVariant) owned_txt = g_variant_ref_sink (txt);
  Service service = { 0, };

  service.name = resolver->name;
  service.host_name = (char *) host_name;
  service.address = (char *) address;
  service.port = port;
  service.txt = owned_txt;
  emit_found (fake, resolver, &service);
}

/* test-discovery.c — announcing and finding rooms, against a stand-in for avahi-daemon
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The real avahi-daemon is tested in test-discovery-lan.py (it needs root).
 * Here a private bus carries a small stand-in that answers Avahi's D-Bus
 * calls the way avahi-daemon 0.8 does and sends its signals when the test
 * says, so that what the network does rarely (two protocols, a clash, the
 * daemon restarting) happens on cue. And with no Avahi at all, nothing may
 * complain: G_DEBUG=fatal-warnings turns any warning into a failure.
 */

#define G_LOG_DOMAIN "tertulia-test-discovery"

#include "config.h"

#include <gio/gio.h>
#include <locale.h>
#include <string.h>

#include "tertulia-discovery.h"
#include "tertulia-discovery-private.h"
#include "tertulia-test-utils.h"

/* ---- pure helpers -------------------------------------------------------- */

static void
test_truncate (void)
{
  g_autofree char *a = _tertulia_discovery_truncate_utf8 ("María", 3);
  g_autofree char *b = _tertulia_discovery_truncate_utf8 ("María", 4);
  g_autofree char *c = _tertulia_discovery_truncate_utf8 ("María", 5);
  g_autofree char *d = _tertulia_discovery_truncate_utf8 ("María", 63);

  g_assert_cmpstr (a, ==, "Mar");
  g_assert_cmpstr (b, ==, "Mar");   /* "í" takes two bytes */
  g_assert_cmpstr (c, ==, "Marí");
  g_assert_cmpstr (d, ==, "María");
}

static void
test_txt (void)
{
  g_autoptr(GString) long_name = g_string_new (NULL);
  g_autoptr(GVariant) txt = NULL;
  g_autoptr(GHashTable) parsed = NULL;
  GVariantBuilder builder;
  GVariantIter iter;
  GVariant *child;
  const char *odd[] = { "Name=first", "name=second", "flag", "=nokey", "n=\xff\xfe", "v=1" };
  guint i;

  /* 64 four-byte characters: more than one TXT string holds. */
  for (i = 0; i < 64; i++)
    g_string_append (long_name, "😀");

  txt = g_variant_ref_sink (_tertulia_discovery_txt_new ("name", long_name->str, "v", "1", NULL));
  g_assert_cmpstr (g_variant_get_type_string (txt), ==, "aay");
  g_assert_cmpuint (g_variant_n_children (txt), ==, 2);

  g_variant_iter_init (&iter, txt);
  while ((child = g_variant_iter_next_value (&iter)) != NULL)
    {
      gsize length;
      const char *bytes = g_variant_get_fixed_array (child, &length, 1);

      g_assert_cmpuint (length, <=, TERTULIA_DISCOVERY_MAX_TXT_BYTES);
      g_assert_true (g_utf8_validate (bytes, (gssize) length, NULL));
      g_variant_unref (child);
    }

  parsed = _tertulia_discovery_txt_parse (txt);
  g_assert_true (g_str_has_prefix (long_name->str, g_hash_table_lookup (parsed, "name")));
  g_assert_cmpuint (strlen (g_hash_table_lookup (parsed, "name")), ==, 248);  /* 62 × 4 */
  g_assert_cmpstr (g_hash_table_lookup (parsed, "v"), ==, "1");
  g_clear_pointer (&parsed, g_hash_table_unref);

  /* What a careless or hostile host may send. */
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aay"));
  for (i = 0; i < G_N_ELEMENTS (odd); i++)
    g_variant_builder_add_value (&builder, g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, odd[i],
                                                                      strlen (odd[i]), 1));
  g_clear_pointer (&txt, g_variant_unref);
  txt = g_variant_ref_sink (g_variant_builder_end (&builder));
  parsed = _tertulia_discovery_txt_parse (txt);
  g_assert_cmpstr (g_hash_table_lookup (parsed, "name"), ==, "first");
  g_assert_cmpstr (g_hash_table_lookup (parsed, "flag"), ==, "");
  g_assert_false (g_hash_table_contains (parsed, "n"));
  g_assert_cmpstr (g_hash_table_lookup (parsed, "v"), ==, "1");
  g_assert_cmpuint (g_hash_table_size (parsed), ==, 3);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_lan_room (void)
{
  g_autoptr(TertuliaLanRoom) room = _tertulia_lan_room_new ("Sala #2");
  g_autoptr(GHashTable) txt = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *join4 = NULL;
  g_autofree char *join6 = NULL;
  guint notifies = 0;

  g_assert_cmpstr (tertulia_lan_room_get_room_name (room), ==, "Sala #2");
  g_assert_cmpint (tertulia_lan_room_get_n_participants (room), ==, -1);

  g_hash_table_insert (txt, (char *) "name", (char *) "Sala");
  g_hash_table_insert (txt, (char *) "v", (char *) "1");
  g_hash_table_insert (txt, (char *) "pw", (char *) "0");
  g_hash_table_insert (txt, (char *) "n", (char *) "3");
  _tertulia_lan_room_update (room, "ana.local", "192.168.1.20", 7878, FALSE, txt);

  g_assert_cmpstr (tertulia_lan_room_get_service_name (room), ==, "Sala #2");
  g_assert_cmpstr (tertulia_lan_room_get_room_name (room), ==, "Sala");
  g_assert_cmpstr (tertulia_lan_room_get_host_name (room), ==, "ana.local");
  g_assert_cmpuint (tertulia_lan_room_get_port (room), ==, 7878);
  g_assert_cmpint (tertulia_lan_room_get_n_participants (room), ==, 3);
  g_assert_cmpint (tertulia_lan_room_get_version (room), ==, 1);
  g_assert_false (tertulia_lan_room_get_password_needed (room));
  join4 = tertulia_lan_room_dup_join_address (room);
  g_assert_cmpstr (join4, ==, "192.168.1.20:7878");

  /* The same again changes nothing; a new count notifies once. */
  g_signal_connect (room, "notify", G_CALLBACK (count_notify_cb), &notifies);
  _tertulia_lan_room_update (room, "ana.local", "192.168.1.20", 7878, FALSE, txt);
  g_assert_cmpuint (notifies, ==, 0);
  g_hash_table_insert (txt, (char *) "n", (char *) "4");
  _tertulia_lan_room_update (room, "ana.local", "192.168.1.20", 7878, FALSE, txt);
  g_assert_cmpuint (notifies, ==, 1);
  g_assert_cmpint (tertulia_lan_room_get_n_participants (room), ==, 4);

  /* Garbage counts read as unknown. */
  g_hash_table_insert (txt, (char *) "n", (char *) "-2");
  g_hash_table_insert (txt, (char *) "pw", (char *) "1");
  _tertulia_lan_room_update (room, "ana.local", "fd00::1", 7878, TRUE, txt);
  g_assert_cmpint (tertulia_lan_room_get_n_participants (room), ==, -1);
  g_assert_true (tertulia_lan_room_get_password_needed (room));
  g_assert_true (tertulia_lan_room_get_is_local (room));
  join6 = tertulia_lan_room_dup_join_address (room);
  g_assert_cmpstr (join6, ==, "[fd00::1]:7878");
}

/* ---- without Avahi -------------------------------------------------------- */

static gboolean
browser_settled (TertuliaRoomBrowser *browser)
{
  return tertulia_room_browser_get_state (browser) != TERTULIA_ROOM_BROWSER_STARTING;
}

static gboolean
announcer_settled (TertuliaAnnouncer *announcer)
{
  TertuliaAnnouncerState state = tertulia_announcer_get_state (announcer);

  return state != TERTULIA_ANNOUNCER_STARTING && state != TERTULIA_ANNOUNCER_REGISTERING;
}

/* What the join page and tertulia-server see without Avahi: "not
 * available", calmly, and the room still works.
 */
static void
check_unavailable (void)
{
  g_autoptr(TertuliaRoomBrowser) browser = tertulia_room_browser_new ();
  g_autoptr(TertuliaAnnouncer) announcer = tertulia_announcer_new ("Sala", 7878, NULL);

  g_assert_cmpint (tertulia_room_browser_get_state (browser), ==, TERTULIA_ROOM_BROWSER_STARTING);
  g_assert_false (tertulia_room_browser_get_available (browser));

  tertulia_announcer_start (announcer);
  WAIT_UNTIL (browser_settled (browser) && announcer_settled (announcer));

  g_assert_cmpint (tertulia_room_browser_get_state (browser), ==, TERTULIA_ROOM_BROWSER_UNAVAILABLE);
  g_assert_false (tertulia_room_browser_get_available (browser));
  g_assert_cmpuint (g_list_model_get_n_items (tertulia_room_browser_get_rooms (browser)), ==, 0);

  g_assert_cmpint (tertulia_announcer_get_state (announcer), ==, TERTULIA_ANNOUNCER_UNAVAILABLE);
  g_assert_null (tertulia_announcer_get_service_name (announcer));
  g_assert_null (tertulia_announcer_get_error_message (announcer));

  tertulia_announcer_stop (announcer);
  g_assert_cmpint (tertulia_announcer_get_state (announcer), ==, TERTULIA_ANNOUNCER_STOPPED);

  g_clear_object (&browser);
  g_clear_object (&announcer);
  tertulia_test_spin (50);
}

/* No system bus at all (a container, a minimal system). */
static void
test_no_system_bus (void)
{
  g_autofree char *missing = g_build_filename (g_get_tmp_dir (), "tertulia-test-no-such-bus", NULL);
  g_autofree char *address = g_strconcat ("unix:path=", missing, NULL);

  g_setenv ("DBUS_SYSTEM_BUS_ADDRESS", address, TRUE);
  check_unavailable ();
}

/* ---- a stand-in for avahi-daemon ------------------------------------------ */

static const char fake_avahi_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Avahi.Server'>"
  "    <method name='EntryGroupNew'><arg name='path' type='o' direction='out'/></method>"
  "    <method name='GetAlternativeServiceName'>"
  "      <arg name='name' type='s' direction='in'/><arg name='name' type='s' direction='out'/>"
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

typedef struct
{
  char    *path;
  gint     interface;
  gint     protocol;
  gint     aprotocol;
  char    *name;
  gboolean started;
  gboolean freed;
} FakeResolver;

typedef struct
{
  GDBusConnection *connection;
  GDBusNodeInfo   *info;
  GArray          *registrations;   /* of guint */
  guint            own_id;
  guint            n_objects;
  GHashTable      *taken;           /* names that clash on the "network" */
  gboolean         legacy;          /* Avahi before 0.8: no Server2 */

  /* What the clients did */
  char            *group_path;
  char            *service_name;    /* the last AddService */
  char            *txt;             /* the last TXT, "key=value" joined by spaces */
  guint            port;
  gint             interface;
  gint             protocol;
  guint            n_commits;
  gboolean         group_freed;
  char            *browser_path;
  gboolean         browser_started;
  GPtrArray       *resolvers;       /* of FakeResolver* */
} FakeAvahi;

static void
fake_resolver_free (FakeResolver *resolver)
{
  g_free (resolver->path);
  g_free (resolver->name);
  g_free (resolver);
}

static char *
txt_to_string (GVariant *txt)
{
  g_autoptr(GString) out = g_string_new (NULL);
  GVariantIter iter;
  GVariant *child;

  g_variant_iter_init (&iter, txt);
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

static void fake_register (FakeAvahi *fake, const char *path, const char *interface);

static char *
fake_new_path (FakeAvahi  *fake,
               const char *kind)
{
  return g_strdup_printf ("/Client1/%s%u", kind, ++fake->n_objects);
}

static FakeResolver *
fake_find_resolver (FakeAvahi  *fake,
                    const char *path)
{
  guint i;

  for (i = 0; i < fake->resolvers->len; i++)
    {
      FakeResolver *resolver = g_ptr_array_index (fake->resolvers, i);

      if (g_strcmp0 (resolver->path, path) == 0)
        return resolver;
    }

  return NULL;
}

static void
fake_emit (FakeAvahi  *fake,
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

static gboolean
fake_establish_cb (gpointer user_data)
{
  FakeAvahi *fake = user_data;

  if (fake->group_path != NULL && !fake->group_freed)
    fake_emit (fake, fake->group_path, AVAHI_DBUS_INTERFACE_ENTRY_GROUP, "StateChanged",
               g_variant_new ("(is)", AVAHI_ENTRY_GROUP_ESTABLISHED, "org.freedesktop.Avahi.Success"));

  return G_SOURCE_REMOVE;
}

static void
fake_method_call_cb (GDBusConnection       *connection,
                     const char            *sender,
                     const char            *path,
                     const char            *interface,
                     const char            *method,
                     GVariant              *parameters,
                     GDBusMethodInvocation *invocation,
                     gpointer               user_data)
{
  FakeAvahi *fake = user_data;

  g_test_message ("avahi: %s.%s on %s", interface, method, path);

  if (g_strcmp0 (method, "EntryGroupNew") == 0)
    {
      g_free (fake->group_path);
      fake->group_path = fake_new_path (fake, "EntryGroup");
      fake->group_freed = FALSE;
      fake_register (fake, fake->group_path, AVAHI_DBUS_INTERFACE_ENTRY_GROUP);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", fake->group_path));
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
      const char *name, *type, *domain, *host;
      g_autoptr(GVariant) txt = NULL;
      guint16 port;
      guint32 flags;

      g_variant_get (parameters, "(iiu&s&s&s&sq@aay)", &fake->interface, &fake->protocol,
                     &flags, &name, &type, &domain, &host, &port, &txt);
      g_assert_cmpstr (type, ==, "_tertulia._tcp");

      if (g_hash_table_contains (fake->taken, name))
        {
          g_dbus_method_invocation_return_dbus_error (invocation, AVAHI_DBUS_ERROR_COLLISION,
                                                      "Local name collision");
          return;
        }

      g_free (fake->service_name);
      fake->service_name = g_strdup (name);
      g_free (fake->txt);
      fake->txt = txt_to_string (txt);
      fake->port = port;
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else if (g_strcmp0 (method, "UpdateServiceTxt") == 0)
    {
      const char *name;
      g_autoptr(GVariant) txt = NULL;

      g_variant_get (parameters, "(iiu&sss@aay)", NULL, NULL, NULL, &name, NULL, NULL, &txt);
      g_assert_cmpstr (name, ==, fake->service_name);
      g_free (fake->txt);
      fake->txt = txt_to_string (txt);
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else if (g_strcmp0 (method, "Commit") == 0)
    {
      fake->n_commits++;
      fake_emit (fake, path, AVAHI_DBUS_INTERFACE_ENTRY_GROUP, "StateChanged",
                 g_variant_new ("(is)", AVAHI_ENTRY_GROUP_REGISTERING, "org.freedesktop.Avahi.Success"));
      g_timeout_add (20, fake_establish_cb, fake);
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else if (g_strcmp0 (method, "Reset") == 0)
    {
      g_clear_pointer (&fake->service_name, g_free);
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else if (g_strcmp0 (method, "ServiceBrowserNew") == 0)
    {
      g_free (fake->browser_path);
      fake->browser_path = fake_new_path (fake, "ServiceBrowser");
      fake_register (fake, fake->browser_path, AVAHI_DBUS_INTERFACE_SERVICE_BROWSER);
      fake->browser_started = TRUE;
      /* Before 0.8 the browser starts at once: its first item can reach
       * the client before this reply does.
       */
      fake_emit (fake, fake->browser_path, AVAHI_DBUS_INTERFACE_SERVICE_BROWSER, "ItemNew",
                 g_variant_new ("(iisssu)", 2, AVAHI_PROTO_INET, "Sala vieja",
                                "_tertulia._tcp", "local", 0u));
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", fake->browser_path));
    }
  else if (g_strcmp0 (method, "ResolveService") == 0)
    {
      gint32 item_interface, protocol, aprotocol;
      const char *name, *type, *domain;
      GVariant *txt = _tertulia_discovery_txt_new ("name", "Sala vieja", "v", "1", "n", "4", NULL);

      g_variant_get (parameters, "(ii&s&s&siu)", &item_interface, &protocol, &name, &type,
                     &domain, &aprotocol, NULL);
      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(iissssisq@aayu)", item_interface, protocol,
                                                            name, type, domain, "vieja.local",
                                                            aprotocol, "192.168.1.30", (guint16) 7878,
                                                            txt, 0u));
    }
  else if (g_strcmp0 (method, "ServiceBrowserPrepare") == 0)
    {
      const char *type;

      g_variant_get (parameters, "(ii&s&su)", NULL, NULL, &type, NULL, NULL);
      g_assert_cmpstr (type, ==, "_tertulia._tcp");
      g_free (fake->browser_path);
      fake->browser_path = fake_new_path (fake, "ServiceBrowser");
      fake_register (fake, fake->browser_path, AVAHI_DBUS_INTERFACE_SERVICE_BROWSER);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", fake->browser_path));
    }
  else if (g_strcmp0 (method, "ServiceResolverPrepare") == 0)
    {
      FakeResolver *resolver = g_new0 (FakeResolver, 1);

      g_variant_get (parameters, "(iisssiu)", &resolver->interface, &resolver->protocol,
                     &resolver->name, NULL, NULL, &resolver->aprotocol, NULL);
      resolver->path = fake_new_path (fake, "ServiceResolver");
      fake_register (fake, resolver->path, AVAHI_DBUS_INTERFACE_SERVICE_RESOLVER);
      g_ptr_array_add (fake->resolvers, resolver);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", resolver->path));
    }
  else if (g_strcmp0 (method, "Start") == 0)
    {
      FakeResolver *resolver = fake_find_resolver (fake, path);

      if (resolver != NULL)
        resolver->started = TRUE;
      else if (g_strcmp0 (path, fake->browser_path) == 0)
        fake->browser_started = TRUE;
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else if (g_strcmp0 (method, "Free") == 0)
    {
      FakeResolver *resolver = fake_find_resolver (fake, path);

      if (resolver != NULL)
        resolver->freed = TRUE;
      else if (g_strcmp0 (path, fake->group_path) == 0)
        fake->group_freed = TRUE;
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else
    {
      g_dbus_method_invocation_return_dbus_error (invocation,
                                                  "org.freedesktop.DBus.Error.UnknownMethod",
                                                  method);
    }
}

static const GDBusInterfaceVTable fake_vtable = { fake_method_call_cb, NULL, NULL, { 0 } };

static void
fake_register (FakeAvahi  *fake,
               const char *path,
               const char *interface)
{
  g_autoptr(GError) error = NULL;
  guint id;

  id = g_dbus_connection_register_object (fake->connection, path,
                                          g_dbus_node_info_lookup_interface (fake->info, interface),
                                          &fake_vtable, fake, NULL, &error);
  g_assert_no_error (error);
  g_array_append_val (fake->registrations, id);
}

/* avahi-daemon starting: registers the server object and takes the name. */
static void
fake_start (FakeAvahi *fake)
{
  fake_register (fake, AVAHI_DBUS_PATH_SERVER, AVAHI_DBUS_INTERFACE_SERVER);
  if (!fake->legacy)
    fake_register (fake, AVAHI_DBUS_PATH_SERVER, AVAHI_DBUS_INTERFACE_SERVER2);
  fake->own_id = g_bus_own_name_on_connection (fake->connection, AVAHI_DBUS_NAME,
                                               G_BUS_NAME_OWNER_FLAGS_NONE,
                                               NULL, NULL, NULL, NULL);
}

/* avahi-daemon stopping: its objects and everything clients made go. */
static void
fake_stop (FakeAvahi *fake)
{
  guint i;

  g_clear_handle_id (&fake->own_id, g_bus_unown_name);
  for (i = 0; i < fake->registrations->len; i++)
    g_dbus_connection_unregister_object (fake->connection,
                                         g_array_index (fake->registrations, guint, i));
  g_array_set_size (fake->registrations, 0);

  g_clear_pointer (&fake->group_path, g_free);
  g_clear_pointer (&fake->service_name, g_free);
  g_clear_pointer (&fake->txt, g_free);
  g_clear_pointer (&fake->browser_path, g_free);
  fake->browser_started = FALSE;
  fake->group_freed = FALSE;
  fake->n_commits = 0;
  g_ptr_array_set_size (fake->resolvers, 0);
}

static FakeAvahi *
fake_new (const char *address)
{
  FakeAvahi *fake = g_new0 (FakeAvahi, 1);
  g_autoptr(GError) error = NULL;

  fake->connection = g_dbus_connection_new_for_address_sync (address,
                                                             G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                             G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                             NULL, NULL, &error);
  g_assert_no_error (error);
  fake->info = g_dbus_node_info_new_for_xml (fake_avahi_xml, &error);
  g_assert_no_error (error);
  fake->registrations = g_array_new (FALSE, FALSE, sizeof (guint));
  fake->taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  fake->resolvers = g_ptr_array_new_with_free_func ((GDestroyNotify) fake_resolver_free);

  return fake;
}

static void
fake_free (FakeAvahi *fake)
{
  fake_stop (fake);
  g_dbus_connection_close_sync (fake->connection, NULL, NULL);
  g_clear_object (&fake->connection);
  g_clear_pointer (&fake->info, g_dbus_node_info_unref);
  g_clear_pointer (&fake->registrations, g_array_unref);
  g_clear_pointer (&fake->taken, g_hash_table_unref);
  g_clear_pointer (&fake->resolvers, g_ptr_array_unref);
  g_free (fake);
}

/* The resolver the browser started for @protocol, or NULL. */
static FakeResolver *
fake_started_resolver (FakeAvahi *fake,
                       gint       protocol)
{
  guint i;

  for (i = 0; i < fake->resolvers->len; i++)
    {
      FakeResolver *resolver = g_ptr_array_index (fake->resolvers, i);

      if (resolver->protocol == protocol && resolver->started && !resolver->freed)
        return resolver;
    }

  return NULL;
}

static void
fake_item (FakeAvahi  *fake,
           const char *signal,
           gint        protocol,
           const char *name)
{
  fake_emit (fake, fake->browser_path, AVAHI_DBUS_INTERFACE_SERVICE_BROWSER, signal,
             g_variant_new ("(iisssu)", 2, protocol, name, "_tertulia._tcp", "local", 0u));
}

static void
fake_found (FakeAvahi    *fake,
            FakeResolver *resolver,
            const char   *address,
            const char   *n)
{
  GVariant *txt;

  txt = _tertulia_discovery_txt_new ("name", "Sala de Ana", "v", "1", "pw", "0", "n", n, NULL);
  fake_emit (fake, resolver->path, AVAHI_DBUS_INTERFACE_SERVICE_RESOLVER, "Found",
             g_variant_new ("(iissssisq@aayu)", resolver->interface, resolver->protocol,
                            resolver->name, "_tertulia._tcp", "local", "ana.local",
                            resolver->aprotocol, address, (guint16) 7878, txt, 0u));
}

/* ---- with the stand-in ------------------------------------------------------ */

static gboolean
has_one_room_at (TertuliaRoomBrowser *browser,
                 const char          *address)
{
  GListModel *rooms = tertulia_room_browser_get_rooms (browser);
  g_autoptr(TertuliaLanRoom) room = NULL;

  if (g_list_model_get_n_items (rooms) != 1)
    return FALSE;

  room = g_list_model_get_item (rooms, 0);
  return g_strcmp0 (tertulia_lan_room_get_address (room), address) == 0;
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *changes)
{
  *changes += removed + added;
}

static void
test_fake_avahi (void)
{
  g_autoptr(GTestDBus) bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_autoptr(TertuliaRoomBrowser) browser = NULL;
  g_autoptr(TertuliaAnnouncer) announcer = NULL;
  g_autoptr(TertuliaLanRoom) room = NULL;
  GListModel *rooms;
  FakeAvahi *fake;
  FakeResolver *v4, *v6;
  guint changes = 0;

  g_test_dbus_up (bus);
  g_setenv ("DBUS_SYSTEM_BUS_ADDRESS", g_test_dbus_get_bus_address (bus), TRUE);

  /* A system bus without Avahi. */
  check_unavailable ();

  fake = fake_new (g_test_dbus_get_bus_address (bus));
  browser = tertulia_room_browser_new ();
  rooms = tertulia_room_browser_get_rooms (browser);
  g_signal_connect (rooms, "items-changed", G_CALLBACK (items_changed_cb), &changes);
  announcer = tertulia_announcer_new ("Sala", 7878, NULL);
  tertulia_announcer_start (announcer);
  WAIT_UNTIL (browser_settled (browser) && announcer_settled (announcer));
  g_assert_cmpint (tertulia_room_browser_get_state (browser), ==, TERTULIA_ROOM_BROWSER_UNAVAILABLE);

  /* avahi-daemon starts: both follow it. "Sala" is taken. */
  g_hash_table_add (fake->taken, g_strdup ("Sala"));
  fake_start (fake);
  WAIT_UNTIL (tertulia_room_browser_get_available (browser));
  g_assert_true (fake->browser_started);
  WAIT_UNTIL (tertulia_announcer_get_state (announcer) == TERTULIA_ANNOUNCER_ANNOUNCED);
  g_assert_cmpstr (tertulia_announcer_get_service_name (announcer), ==, "Sala #2");
  g_assert_cmpstr (fake->service_name, ==, "Sala #2");
  g_assert_cmpstr (fake->txt, ==, "name=Sala v=1 pw=0");
  g_assert_cmpuint (fake->port, ==, 7878);
  g_assert_cmpint (fake->interface, ==, AVAHI_IF_UNSPEC);
  g_assert_cmpint (fake->protocol, ==, AVAHI_PROTO_UNSPEC);

  /* People join: the TXT follows. */
  tertulia_announcer_set_n_participants (announcer, 0);
  tertulia_announcer_set_n_participants (announcer, 2);
  WAIT_UNTIL (g_strcmp0 (fake->txt, "name=Sala v=1 pw=0 n=2") == 0);

  /* A clash found later on the network: Avahi's next name. */
  fake_emit (fake, fake->group_path, AVAHI_DBUS_INTERFACE_ENTRY_GROUP, "StateChanged",
             g_variant_new ("(is)", AVAHI_ENTRY_GROUP_COLLISION, "org.freedesktop.Avahi.Success"));
  WAIT_UNTIL (g_strcmp0 (tertulia_announcer_get_service_name (announcer), "Sala #2 #2") == 0 &&
              tertulia_announcer_get_state (announcer) == TERTULIA_ANNOUNCER_ANNOUNCED);
  g_assert_cmpstr (fake->txt, ==, "name=Sala v=1 pw=0 n=2");

  /* A room seen over IPv6 and IPv4 is one room, at its IPv4 address. */
  fake_item (fake, "ItemNew", AVAHI_PROTO_INET6, "Sala de Ana");
  fake_item (fake, "ItemNew", AVAHI_PROTO_INET, "Sala de Ana");
  WAIT_UNTIL ((v6 = fake_started_resolver (fake, AVAHI_PROTO_INET6)) != NULL &&
              (v4 = fake_started_resolver (fake, AVAHI_PROTO_INET)) != NULL);
  g_assert_cmpint (v4->aprotocol, ==, AVAHI_PROTO_INET);
  g_assert_cmpint (v6->aprotocol, ==, AVAHI_PROTO_INET6);

  /* The IPv6 answer first: held back a moment for an IPv4 one, which
   * comes, so the room appears once, at its IPv4 address.
   */
  fake_found (fake, v6, "fd00::20", "1");
  tertulia_test_spin (100);
  g_assert_cmpuint (g_list_model_get_n_items (rooms), ==, 0);
  fake_found (fake, v4, "192.168.1.20", "1");
  WAIT_UNTIL (has_one_room_at (browser, "192.168.1.20"));
  g_assert_cmpuint (changes, ==, 1);

  room = g_list_model_get_item (rooms, 0);
  g_assert_cmpstr (tertulia_lan_room_get_service_name (room), ==, "Sala de Ana");
  g_assert_cmpstr (tertulia_lan_room_get_room_name (room), ==, "Sala de Ana");
  g_assert_cmpstr (tertulia_lan_room_get_host_name (room), ==, "ana.local");
  g_assert_cmpuint (tertulia_lan_room_get_port (room), ==, 7878);
  g_assert_cmpint (tertulia_lan_room_get_version (room), ==, 1);
  g_assert_cmpint (tertulia_lan_room_get_n_participants (room), ==, 1);

  /* The host's TXT changes: the same item says so. */
  fake_found (fake, v4, "192.168.1.20", "5");
  WAIT_UNTIL (tertulia_lan_room_get_n_participants (room) == 5);
  g_assert_cmpuint (changes, ==, 1);

  /* Gone from IPv4: still there over IPv6. Gone from both: gone. */
  fake_item (fake, "ItemRemove", AVAHI_PROTO_INET, "Sala de Ana");
  WAIT_UNTIL (has_one_room_at (browser, "fd00::20"));
  WAIT_UNTIL (v4->freed);
  fake_item (fake, "ItemRemove", AVAHI_PROTO_INET6, "Sala de Ana");
  WAIT_UNTIL (g_list_model_get_n_items (rooms) == 0);
  WAIT_UNTIL (v6->freed);
  g_assert_cmpuint (changes, ==, 2);

  /* A host with IPv6 only still shows up, after the wait for IPv4. */
  fake_item (fake, "ItemNew", AVAHI_PROTO_INET6, "Sala de Ana");
  WAIT_UNTIL ((v6 = fake_started_resolver (fake, AVAHI_PROTO_INET6)) != NULL);
  fake_found (fake, v6, "fd00::20", "1");
  WAIT_UNTIL (has_one_room_at (browser, "fd00::20"));
  fake_item (fake, "ItemRemove", AVAHI_PROTO_INET6, "Sala de Ana");
  WAIT_UNTIL (g_list_model_get_n_items (rooms) == 0);

  /* avahi-daemon stops and comes back: the room is announced again, from
   * its own name; the browser browses again.
   */
  fake_item (fake, "ItemNew", AVAHI_PROTO_INET, "Otra sala");
  WAIT_UNTIL ((v4 = fake_started_resolver (fake, AVAHI_PROTO_INET)) != NULL);
  fake_found (fake, v4, "192.168.1.21", "0");
  WAIT_UNTIL (has_one_room_at (browser, "192.168.1.21"));

  fake_stop (fake);
  WAIT_UNTIL (tertulia_announcer_get_state (announcer) == TERTULIA_ANNOUNCER_UNAVAILABLE &&
              tertulia_room_browser_get_state (browser) == TERTULIA_ROOM_BROWSER_UNAVAILABLE);
  g_assert_null (tertulia_announcer_get_service_name (announcer));
  g_assert_cmpuint (g_list_model_get_n_items (rooms), ==, 0);

  g_hash_table_remove_all (fake->taken);
  fake_start (fake);
  WAIT_UNTIL (tertulia_announcer_get_state (announcer) == TERTULIA_ANNOUNCER_ANNOUNCED &&
              tertulia_room_browser_get_available (browser) && fake->browser_started);
  g_assert_cmpstr (tertulia_announcer_get_service_name (announcer), ==, "Sala");
  g_assert_cmpstr (fake->txt, ==, "name=Sala v=1 pw=0 n=2");

  /* Stopping withdraws the room. */
  tertulia_announcer_stop (announcer);
  WAIT_UNTIL (fake->group_freed);
  g_assert_cmpint (tertulia_announcer_get_state (announcer), ==, TERTULIA_ANNOUNCER_STOPPED);

  /* An older Avahi (0.7, as on Ubuntu 20.04 hosts of the Flatpak) comes
   * up instead: browsing the old way still finds the room it reports
   * before its reply, and the room goes when Avahi says so.
   */
  fake_stop (fake);
  WAIT_UNTIL (tertulia_room_browser_get_state (browser) == TERTULIA_ROOM_BROWSER_UNAVAILABLE);
  fake->legacy = TRUE;
  fake_start (fake);
  WAIT_UNTIL (tertulia_room_browser_get_available (browser) &&
              has_one_room_at (browser, "192.168.1.30"));
  g_clear_object (&room);
  room = g_list_model_get_item (rooms, 0);
  g_assert_cmpstr (tertulia_lan_room_get_room_name (room), ==, "Sala vieja");
  g_assert_cmpint (tertulia_lan_room_get_n_participants (room), ==, 4);
  fake_item (fake, "ItemRemove", AVAHI_PROTO_INET, "Sala vieja");
  WAIT_UNTIL (g_list_model_get_n_items (rooms) == 0);

  g_signal_handlers_disconnect_by_data (rooms, &changes);
  g_clear_object (&room);
  g_clear_object (&browser);
  g_clear_object (&announcer);
  tertulia_test_spin (50);

  fake_free (fake);
  g_test_dbus_down (bus);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/discovery/truncate", test_truncate);
  g_test_add_func ("/discovery/txt", test_txt);
  g_test_add_func ("/discovery/lan-room", test_lan_room);
  /* These two in this order: the first must run before GIO has a system
   * bus connection.
   */
  g_test_add_func ("/discovery/no-system-bus", test_no_system_bus);
  g_test_add_func ("/discovery/fake-avahi", test_fake_avahi);

  return g_test_run ();
}

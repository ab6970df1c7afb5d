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

#include "tertulia-client.h"
#include "tertulia-discovery.h"
#include "tertulia-discovery-private.h"
#include "tertulia-fake-avahi.h"
#include "tertulia-fingerprint.h"
#include "tertulia-host-identity.h"
#include "tertulia-test-client.h"

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

/* ---- with a stand-in for avahi-daemon ------------------------------------ */

/* A room "Sala de Ana" answers @resolver from @address. */
static void
found (FakeAvahi         *fake,
       FakeAvahiResolver *resolver,
       const char        *address,
       const char        *n)
{
  fake_avahi_emit_found (fake, resolver, "ana.local", address, 7878,
                         _tertulia_discovery_txt_new ("name", "Sala de Ana", "v", "1", "pw", "0", "n", n, NULL));
}

static gboolean
announced_txt_is (FakeAvahi  *fake,
                  const char *name,
                  const char *expected)
{
  g_autofree char *txt = fake_avahi_dup_txt (fake, name);

  return g_strcmp0 (txt, expected) == 0;
}

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

static TertuliaServer *
tls_host (guint port)
{
  g_autoptr(TertuliaServer) server = tertulia_server_new ("Sala cifrada");
  g_autoptr(GTlsCertificate) certificate = tertulia_host_identity_new_ephemeral (NULL);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (certificate);
  tertulia_server_set_tls_certificate (server, certificate);
  tertulia_server_listen (server, "127.0.0.1", port, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&server);
}

/* A room found on the LAN carries its host's fingerprint (TXT fp=, tls=1),
 * and is joined against it: another host on the same address is refused.
 */
static void
check_fingerprint (FakeAvahi           *fake,
                   TertuliaRoomBrowser *browser)
{
  GListModel *rooms = tertulia_room_browser_get_rooms (browser);
  g_autoptr(TertuliaServer) server = tls_host (0);
  g_autoptr(TertuliaAnnouncer) announcer = tertulia_announcer_new_for_server (server, NULL);
  g_autoptr(TertuliaLanRoom) room = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_txt = NULL;
  g_autofree char *fp = g_strdup (tertulia_server_get_fingerprint (server));
  g_autofree char *invitation = NULL;
  g_autofree char *join = NULL;
  guint port = tertulia_server_get_port (server);
  TertuliaClient *client;

  tertulia_announcer_start (announcer);
  WAIT_UNTIL (tertulia_announcer_get_state (announcer) == TERTULIA_ANNOUNCER_ANNOUNCED);
  expected_txt = g_strdup_printf ("name=Sala cifrada v=1 pw=0 fp=%s tls=1 n=0", fp);
  g_assert_true (announced_txt_is (fake, "Sala cifrada", expected_txt));

  WAIT_UNTIL (g_list_model_get_n_items (rooms) == 1);
  room = g_list_model_get_item (rooms, 0);
  WAIT_UNTIL (tertulia_lan_room_get_fingerprint (room) != NULL);
  g_assert_cmpstr (tertulia_lan_room_get_fingerprint (room), ==, fp);
  g_assert_true (tertulia_lan_room_get_encrypted (room));
  invitation = tertulia_lan_room_dup_invitation (room);
  g_assert_true (g_str_has_prefix (invitation, "tertulia://"));
  g_assert_true (g_str_has_suffix (invitation, fp));

  /* The room as found: joined, encrypted */
  client = tertulia_client_new (invitation, "ana");
  tertulia_client_set_use_pins (client, FALSE);
  connect_and_wait (client);
  g_assert_true (tertulia_client_get_encrypted (client));
  tertulia_client_disconnect (client);
  g_assert_finalize_object (client);

  /* Another host takes the address while the record still says the first */
  tertulia_server_shutdown (server, NULL);
  g_clear_object (&announcer);
  g_assert_finalize_object (g_steal_pointer (&server));
  server = tls_host (port);
  join = tertulia_lan_room_dup_join_address (room);
  client = tertulia_client_new (join, "ana");
  tertulia_client_set_use_pins (client, FALSE);
  tertulia_client_set_expected_fingerprint (client, tertulia_lan_room_get_fingerprint (room));
  g_assert_false (tertulia_test_client_connect (client, &error));
  g_assert_error (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_FINGERPRINT_MISMATCH);
  g_assert_cmpstr (tertulia_client_get_expected_fingerprint (client), ==, fp);
  g_assert_cmpstr (tertulia_client_get_peer_fingerprint (client), ==,
                   tertulia_server_get_fingerprint (server));
  g_assert_cmpuint (tertulia_server_get_n_participants (server), ==, 0);
  g_assert_finalize_object (client);

  tertulia_server_shutdown (server, NULL);
  WAIT_UNTIL (g_list_model_get_n_items (rooms) == 0);
}

static void
test_fake_avahi (void)
{
  g_autoptr(TertuliaRoomBrowser) browser = NULL;
  g_autoptr(TertuliaAnnouncer) announcer = NULL;
  g_autoptr(TertuliaLanRoom) room = NULL;
  GListModel *rooms;
  FakeAvahi *fake;
  FakeAvahiResolver *v4, *v6;
  gint interface = 0;
  gint protocol = 0;
  guint port = 0;
  guint changes = 0;

  /* A system bus without Avahi. The browser here would find the room the
   * announcer here announces; this test only wants the rooms it makes.
   */
  fake = fake_avahi_new ();
  fake_avahi_stop (fake);
  fake_avahi_set_echo (fake, FALSE);
  check_unavailable ();

  browser = tertulia_room_browser_new ();
  rooms = tertulia_room_browser_get_rooms (browser);
  g_signal_connect (rooms, "items-changed", G_CALLBACK (items_changed_cb), &changes);
  announcer = tertulia_announcer_new ("Sala", 7878, NULL);
  tertulia_announcer_start (announcer);
  WAIT_UNTIL (browser_settled (browser) && announcer_settled (announcer));
  g_assert_cmpint (tertulia_room_browser_get_state (browser), ==, TERTULIA_ROOM_BROWSER_UNAVAILABLE);

  /* avahi-daemon starts: both follow it. "Sala" is taken. */
  fake_avahi_set_name_taken (fake, "Sala", TRUE);
  fake_avahi_start (fake);
  WAIT_UNTIL (tertulia_room_browser_get_available (browser));
  g_assert_cmpuint (fake_avahi_get_n_browsers (fake), ==, 1);
  WAIT_UNTIL (tertulia_announcer_get_state (announcer) == TERTULIA_ANNOUNCER_ANNOUNCED);
  g_assert_cmpstr (tertulia_announcer_get_service_name (announcer), ==, "Sala #2");
  g_assert_true (fake_avahi_has_service (fake, "Sala #2"));
  g_assert_true (announced_txt_is (fake, "Sala #2", "name=Sala v=1 pw=0"));
  g_assert_true (fake_avahi_lookup_announced (fake, "Sala #2", &interface, &protocol, &port));
  g_assert_cmpuint (port, ==, 7878);
  g_assert_cmpint (interface, ==, AVAHI_IF_UNSPEC);
  g_assert_cmpint (protocol, ==, AVAHI_PROTO_UNSPEC);

  /* People join: the TXT follows. */
  tertulia_announcer_set_n_participants (announcer, 0);
  tertulia_announcer_set_n_participants (announcer, 2);
  WAIT_UNTIL (announced_txt_is (fake, "Sala #2", "name=Sala v=1 pw=0 n=2"));

  /* A clash found later on the network: Avahi's next name. */
  fake_avahi_collide (fake, "Sala #2");
  WAIT_UNTIL (g_strcmp0 (tertulia_announcer_get_service_name (announcer), "Sala #2 #2") == 0 &&
              tertulia_announcer_get_state (announcer) == TERTULIA_ANNOUNCER_ANNOUNCED);
  g_assert_false (fake_avahi_has_service (fake, "Sala #2"));
  g_assert_true (announced_txt_is (fake, "Sala #2 #2", "name=Sala v=1 pw=0 n=2"));

  /* A room seen over IPv6 and IPv4 is one room, at its IPv4 address. */
  fake_avahi_emit_item (fake, "ItemNew", AVAHI_PROTO_INET6, "Sala de Ana");
  fake_avahi_emit_item (fake, "ItemNew", AVAHI_PROTO_INET, "Sala de Ana");
  WAIT_UNTIL ((v6 = fake_avahi_find_resolver (fake, AVAHI_PROTO_INET6)) != NULL &&
              (v4 = fake_avahi_find_resolver (fake, AVAHI_PROTO_INET)) != NULL);
  g_assert_cmpint (v4->aprotocol, ==, AVAHI_PROTO_INET);
  g_assert_cmpint (v6->aprotocol, ==, AVAHI_PROTO_INET6);

  /* The IPv6 answer first: held back a moment for an IPv4 one, which
   * comes, so the room appears once, at its IPv4 address.
   */
  found (fake, v6, "fd00::20", "1");
  tertulia_test_spin (100);
  g_assert_cmpuint (g_list_model_get_n_items (rooms), ==, 0);
  found (fake, v4, "192.168.1.20", "1");
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
  found (fake, v4, "192.168.1.20", "5");
  WAIT_UNTIL (tertulia_lan_room_get_n_participants (room) == 5);
  g_assert_cmpuint (changes, ==, 1);

  /* Gone from IPv4: still there over IPv6. Gone from both: gone. */
  fake_avahi_emit_item (fake, "ItemRemove", AVAHI_PROTO_INET, "Sala de Ana");
  WAIT_UNTIL (has_one_room_at (browser, "fd00::20"));
  WAIT_UNTIL (v4->freed);
  fake_avahi_emit_item (fake, "ItemRemove", AVAHI_PROTO_INET6, "Sala de Ana");
  WAIT_UNTIL (g_list_model_get_n_items (rooms) == 0);
  WAIT_UNTIL (v6->freed);
  g_assert_cmpuint (changes, ==, 2);

  /* A host with IPv6 only still shows up, after the wait for IPv4. */
  fake_avahi_emit_item (fake, "ItemNew", AVAHI_PROTO_INET6, "Sala de Ana");
  WAIT_UNTIL ((v6 = fake_avahi_find_resolver (fake, AVAHI_PROTO_INET6)) != NULL);
  found (fake, v6, "fd00::20", "1");
  WAIT_UNTIL (has_one_room_at (browser, "fd00::20"));
  fake_avahi_emit_item (fake, "ItemRemove", AVAHI_PROTO_INET6, "Sala de Ana");
  WAIT_UNTIL (g_list_model_get_n_items (rooms) == 0);

  /* avahi-daemon stops and comes back: the room is announced again, from
   * its own name; the browser browses again.
   */
  fake_avahi_emit_item (fake, "ItemNew", AVAHI_PROTO_INET, "Otra sala");
  WAIT_UNTIL ((v4 = fake_avahi_find_resolver (fake, AVAHI_PROTO_INET)) != NULL);
  found (fake, v4, "192.168.1.21", "0");
  WAIT_UNTIL (has_one_room_at (browser, "192.168.1.21"));

  fake_avahi_stop (fake);
  WAIT_UNTIL (tertulia_announcer_get_state (announcer) == TERTULIA_ANNOUNCER_UNAVAILABLE &&
              tertulia_room_browser_get_state (browser) == TERTULIA_ROOM_BROWSER_UNAVAILABLE);
  g_assert_null (tertulia_announcer_get_service_name (announcer));
  g_assert_cmpuint (g_list_model_get_n_items (rooms), ==, 0);

  fake_avahi_set_name_taken (fake, "Sala", FALSE);
  fake_avahi_start (fake);
  WAIT_UNTIL (tertulia_announcer_get_state (announcer) == TERTULIA_ANNOUNCER_ANNOUNCED &&
              tertulia_room_browser_get_available (browser) && fake_avahi_get_n_browsers (fake) == 1);
  g_assert_cmpstr (tertulia_announcer_get_service_name (announcer), ==, "Sala");
  g_assert_true (announced_txt_is (fake, "Sala", "name=Sala v=1 pw=0 n=2"));

  /* Stopping withdraws the room. */
  tertulia_announcer_stop (announcer);
  WAIT_UNTIL (!fake_avahi_has_service (fake, "Sala"));
  g_assert_cmpint (tertulia_announcer_get_state (announcer), ==, TERTULIA_ANNOUNCER_STOPPED);
  WAIT_UNTIL (g_list_model_get_n_items (rooms) == 0);

  fake_avahi_set_echo (fake, TRUE);
  check_fingerprint (fake, browser);
  fake_avahi_set_echo (fake, FALSE);

  /* An older Avahi (0.7, as on Ubuntu 20.04 hosts of the Flatpak) comes
   * up instead: browsing the old way still finds the room it reports
   * before its reply, and the room goes when Avahi says so.
   */
  fake_avahi_stop (fake);
  WAIT_UNTIL (tertulia_room_browser_get_state (browser) == TERTULIA_ROOM_BROWSER_UNAVAILABLE);
  {
    const char *txt[] = { "name=Sala vieja", "v=1", "n=4", NULL };

    fake_avahi_publish (fake, "Sala vieja", "vieja.local", "192.168.1.30", 7878, txt);
  }
  fake_avahi_set_legacy (fake, TRUE);
  fake_avahi_start (fake);
  WAIT_UNTIL (tertulia_room_browser_get_available (browser) &&
              has_one_room_at (browser, "192.168.1.30"));
  g_clear_object (&room);
  room = g_list_model_get_item (rooms, 0);
  g_assert_cmpstr (tertulia_lan_room_get_room_name (room), ==, "Sala vieja");
  g_assert_cmpint (tertulia_lan_room_get_n_participants (room), ==, 4);
  fake_avahi_withdraw (fake, "Sala vieja");
  WAIT_UNTIL (g_list_model_get_n_items (rooms) == 0);

  g_signal_handlers_disconnect_by_data (rooms, &changes);
  g_clear_object (&room);
  g_clear_object (&browser);
  g_clear_object (&announcer);
  tertulia_test_spin (50);

  fake_avahi_free (fake);
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

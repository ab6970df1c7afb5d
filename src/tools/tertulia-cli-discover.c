/* tertulia-cli-discover.c — tertulia-cli --discover: the rooms on the LAN, printed once
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-cli"

#include "config.h"

#include <stdio.h>

#include <glib/gi18n-lib.h>

#include "tertulia-discovery.h"

#include "tertulia-cli-private.h"

typedef struct
{
  GMainLoop *loop;
  guint      timeout_id;
} Discover;

static gboolean
discover_timeout_cb (gpointer user_data)
{
  Discover *discover = user_data;

  discover->timeout_id = 0;
  g_main_loop_quit (discover->loop);

  return G_SOURCE_REMOVE;
}

static void
discover_state_cb (TertuliaRoomBrowser *browser,
                   GParamSpec          *pspec,
                   Discover            *discover)
{
  switch (tertulia_room_browser_get_state (browser))
    {
    case TERTULIA_ROOM_BROWSER_UNAVAILABLE:
    case TERTULIA_ROOM_BROWSER_FAILED:
      /* Waiting longer would not bring any room. */
      g_main_loop_quit (discover->loop);
      break;

    case TERTULIA_ROOM_BROWSER_STARTING:
    case TERTULIA_ROOM_BROWSER_BROWSING:
    default:
      break;
    }
}

static gint
compare_lan_rooms (gconstpointer a,
                   gconstpointer b)
{
  TertuliaLanRoom *room_a = *(TertuliaLanRoom **) a;
  TertuliaLanRoom *room_b = *(TertuliaLanRoom **) b;
  gint result;

  result = g_utf8_collate (tertulia_lan_room_get_room_name (room_a),
                           tertulia_lan_room_get_room_name (room_b));
  if (result != 0)
    return result;

  return g_strcmp0 (tertulia_lan_room_get_service_name (room_a),
                    tertulia_lan_room_get_service_name (room_b));
}

static void
print_lan_room (TertuliaLanRoom *room)
{
  g_autofree char *name = _tertulia_cli_sanitize_for_terminal (tertulia_lan_room_get_room_name (room));
  g_autofree char *host = _tertulia_cli_sanitize_for_terminal (tertulia_lan_room_get_host_name (room));
  g_autofree char *address = tertulia_lan_room_dup_join_address (room);
  gint n = tertulia_lan_room_get_n_participants (room);

  if (n < 0)
    /* Translators: a room found on the network: its name, the host's name
     * and the address to join it at, such as
     * "Sala — ana-laptop.local (192.168.1.20:7878)"
     */
    g_print (_("%s — %s (%s)\n"), name, host, address);
  else
    /* Translators: a room found on the network: its name, the host's name,
     * the address to join it at and how many people are in it, such as
     * "Sala — ana-laptop.local (192.168.1.20:7878), 3 people"
     */
    g_print (g_dngettext (GETTEXT_PACKAGE,
                          "%s — %s (%s), %d person\n",
                          "%s — %s (%s), %d people\n",
                          (gulong) n),
             name, host, address, n);
}

/* Lists the rooms announced on the LAN after listening @seconds. */
int
_tertulia_cli_discover_rooms (guint seconds)
{
  g_autoptr(TertuliaRoomBrowser) browser = tertulia_room_browser_new ();
  g_autoptr(GPtrArray) rooms = g_ptr_array_new_with_free_func (g_object_unref);
  Discover discover = { NULL, 0 };
  GListModel *model;
  guint i;

  discover.loop = g_main_loop_new (NULL, FALSE);
  discover.timeout_id = g_timeout_add (seconds * 1000, discover_timeout_cb, &discover);
  g_signal_connect (browser, "notify::state", G_CALLBACK (discover_state_cb), &discover);

  g_main_loop_run (discover.loop);

  g_signal_handlers_disconnect_by_data (browser, &discover);
  g_clear_handle_id (&discover.timeout_id, g_source_remove);
  g_clear_pointer (&discover.loop, g_main_loop_unref);

  switch (tertulia_room_browser_get_state (browser))
    {
    case TERTULIA_ROOM_BROWSER_UNAVAILABLE:
      g_printerr ("tertulia-cli: %s\n",
                  _("Avahi is not running on this computer, so rooms on the local network cannot be listed. Give the room’s address instead."));
      return EXIT_CONNECT_FAILED;

    case TERTULIA_ROOM_BROWSER_FAILED:
      g_printerr ("tertulia-cli: %s\n",
                  _("Avahi could not look for rooms on the local network. Give the room’s address instead."));
      return EXIT_CONNECT_FAILED;

    case TERTULIA_ROOM_BROWSER_STARTING:
    case TERTULIA_ROOM_BROWSER_BROWSING:
    default:
      break;
    }

  model = tertulia_room_browser_get_rooms (browser);
  for (i = 0; i < g_list_model_get_n_items (model); i++)
    g_ptr_array_add (rooms, g_list_model_get_item (model, i));
  g_ptr_array_sort (rooms, compare_lan_rooms);

  if (rooms->len == 0)
    g_printerr ("%s\n", _("No rooms found on the local network."));
  for (i = 0; i < rooms->len; i++)
    print_lan_room (g_ptr_array_index (rooms, i));

  return EXIT_OK;
}

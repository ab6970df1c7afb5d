/* discovery-watch.c — prints what TertuliaRoomBrowser sees, for test-discovery-lan.py
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* One line per event on stdout, fields separated by tabs:
 *
 *   state   NICK                         (starting, unavailable, browsing, failed)
 *   add     SERVICE ROOM HOST ADDRESS PORT N VERSION PW LOCAL
 *   change  SERVICE ROOM HOST ADDRESS PORT N VERSION PW LOCAL
 *   remove  SERVICE
 *
 * Runs until stdin closes or SIGTERM.
 */

#define G_LOG_DOMAIN "tertulia-discovery-watch"

#include "config.h"

#include <gio/gio.h>
#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>
#include <unistd.h>

#include "tertulia-discovery.h"

typedef struct
{
  GMainLoop *loop;
  GPtrArray *shown;  /* of TertuliaLanRoom*, mirroring the model */
} Watch;

static void
print_room (const char      *event,
            TertuliaLanRoom *room)
{
  g_print ("%s\t%s\t%s\t%s\t%s\t%u\t%d\t%d\t%d\t%d\n",
           event,
           tertulia_lan_room_get_service_name (room),
           tertulia_lan_room_get_room_name (room),
           tertulia_lan_room_get_host_name (room),
           tertulia_lan_room_get_address (room),
           tertulia_lan_room_get_port (room),
           tertulia_lan_room_get_n_participants (room),
           tertulia_lan_room_get_version (room),
           tertulia_lan_room_get_password_needed (room),
           tertulia_lan_room_get_is_local (room));
}

static gboolean
print_change_cb (gpointer user_data)
{
  TertuliaLanRoom *room = user_data;

  g_object_steal_data (G_OBJECT (room), "watch-change");
  print_room ("change", room);

  return G_SOURCE_REMOVE;
}

/* Several properties change at once; print the room once. */
static void
room_notify_cb (TertuliaLanRoom *room,
                GParamSpec      *pspec,
                Watch           *watch)
{
  if (g_object_get_data (G_OBJECT (room), "watch-change") != NULL)
    return;

  g_object_set_data (G_OBJECT (room), "watch-change", GUINT_TO_POINTER (1));
  g_idle_add_full (G_PRIORITY_DEFAULT, print_change_cb,
                   g_object_ref (room), g_object_unref);
}

static void
rooms_changed_cb (GListModel *rooms,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Watch      *watch)
{
  guint i;

  for (i = position; i < position + removed; i++)
    {
      TertuliaLanRoom *room = g_ptr_array_index (watch->shown, i);

      g_signal_handlers_disconnect_by_data (room, watch);
      g_print ("remove\t%s\n", tertulia_lan_room_get_service_name (room));
    }
  g_ptr_array_remove_range (watch->shown, position, removed);

  for (i = position; i < position + added; i++)
    {
      TertuliaLanRoom *room = g_list_model_get_item (rooms, i);

      g_ptr_array_insert (watch->shown, (gint) i, room);
      g_signal_connect (room, "notify", G_CALLBACK (room_notify_cb), watch);
      print_room ("add", room);
    }
}

static void
state_cb (TertuliaRoomBrowser *browser,
          GParamSpec          *pspec,
          Watch               *watch)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (TERTULIA_TYPE_ROOM_BROWSER_STATE);
  GEnumValue *value = g_enum_get_value (klass, (gint) tertulia_room_browser_get_state (browser));

  g_print ("state\t%s\n", value->value_nick);
}

static gboolean
quit_cb (gpointer user_data)
{
  Watch *watch = user_data;

  g_main_loop_quit (watch->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
stdin_cb (gint         fd,
          GIOCondition condition,
          gpointer     user_data)
{
  char buffer[256];

  if (read (fd, buffer, sizeof buffer) <= 0)
    {
      quit_cb (user_data);
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TertuliaRoomBrowser) browser = NULL;
  Watch watch = { NULL, NULL };

  setlocale (LC_ALL, "");
  setvbuf (stdout, NULL, _IOLBF, 0);

  watch.loop = g_main_loop_new (NULL, FALSE);
  watch.shown = g_ptr_array_new_with_free_func (g_object_unref);

  browser = tertulia_room_browser_new ();
  g_signal_connect (tertulia_room_browser_get_rooms (browser), "items-changed",
                    G_CALLBACK (rooms_changed_cb), &watch);
  g_signal_connect (browser, "notify::state", G_CALLBACK (state_cb), &watch);
  state_cb (browser, NULL, &watch);

  g_unix_signal_add (SIGTERM, quit_cb, &watch);
  g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP, stdin_cb, &watch);

  g_main_loop_run (watch.loop);

  g_signal_handlers_disconnect_by_data (tertulia_room_browser_get_rooms (browser), &watch);
  g_signal_handlers_disconnect_by_data (browser, &watch);
  for (guint i = 0; i < watch.shown->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (watch.shown, i), &watch);
  g_clear_pointer (&watch.shown, g_ptr_array_unref);
  g_clear_object (&browser);
  g_clear_pointer (&watch.loop, g_main_loop_unref);

  return 0;
}

/* tertulia-start-page-rooms.c — rooms joined by picking them: the recent
 * ones and those found on the network
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-start-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tertulia-address.h"
#include "tertulia-lan-room-row.h"
#include "tertulia-start-page-private.h"

#define MAX_RECENT_ROOMS 5

void
_tertulia_start_page_remember_recent_room (TertuliaStartPage *self,
                                           const char        *address)
{
  g_auto(GStrv) old = g_settings_get_strv (self->settings, "recent-rooms");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) recent = NULL;
  guint n = 1;

  g_strv_builder_add (builder, address);

  for (guint i = 0; old[i] != NULL && n < MAX_RECENT_ROOMS; i++)
    {
      if (g_ascii_strcasecmp (old[i], address) == 0)
        continue;

      g_strv_builder_add (builder, old[i]);
      n++;
    }

  recent = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-rooms", (const char * const *)recent);
}

static void
recent_row_activated_cb (AdwActionRow      *row,
                         TertuliaStartPage *self)
{
  const char *address = g_object_get_data (G_OBJECT (row), "tertulia-address");

  gtk_editable_set_text (GTK_EDITABLE (self->address_row), address);
  tertulia_start_page_join (self);
}

void
_tertulia_start_page_update_recent_rooms (TertuliaStartPage *self)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-rooms");

  for (guint i = 0; i < self->recent_rows->len; i++)
    adw_preferences_group_remove (self->recent_group, g_ptr_array_index (self->recent_rows, i));
  g_ptr_array_set_size (self->recent_rows, 0);

  for (guint i = 0; recent[i] != NULL; i++)
    {
      g_autofree char *display = tertulia_address_display_name (recent[i]);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon = gtk_image_new_from_icon_name ("go-next-symbolic");

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     display != NULL ? display : recent[i]);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_widget_set_tooltip_text (row, _("Join this room"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
      g_object_set_data_full (G_OBJECT (row), "tertulia-address",
                              g_strdup (recent[i]), g_free);
      g_signal_connect_object (row, "activated",
                               G_CALLBACK (recent_row_activated_cb), self, 0);

      adw_preferences_group_add (self->recent_group, row);
      g_ptr_array_add (self->recent_rows, row);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->recent_group), recent[0] != NULL);
}

/* Rooms on the network */

static void
join_lan_room (TertuliaStartPage *self,
               TertuliaLanRoom   *room)
{
  g_autoptr(TertuliaSession) session = NULL;
  g_autofree char *address = NULL;
  g_autofree char *nickname = NULL;

  if (self->busy)
    return;

  _tertulia_start_page_start_over (self);

  /* The address field is left as it is: it may hold what someone was
   * typing for another room.
   */
  address = tertulia_lan_room_dup_join_address (room);
  nickname = _tertulia_start_page_dup_nickname (self);

  session = tertulia_session_new_guest (address, *nickname != '\0' ? nickname : NULL);
  self->joining_lan = TRUE;
  self->join_address = g_steal_pointer (&address);
  self->join_room_name = g_strdup (tertulia_lan_room_get_room_name (room));
  _tertulia_start_page_start_session (self, session, TRUE);
}

static void
lan_row_join_cb (TertuliaStartPage  *self,
                 TertuliaLanRoomRow *row)
{
  join_lan_room (self, tertulia_lan_room_row_get_room (row));
}

static GtkWidget *
create_lan_row_cb (gpointer item,
                   gpointer user_data)
{
  TertuliaStartPage *self = user_data;
  GtkWidget *row = tertulia_lan_room_row_new (item);

  g_signal_connect_object (row, "join", G_CALLBACK (lan_row_join_cb), self, G_CONNECT_SWAPPED);

  return row;
}

static void
update_lan_status (TertuliaStartPage *self)
{
  const char *status = NULL;

  switch (tertulia_room_browser_get_state (self->room_browser))
    {
    /* Not "unavailable" while still looking for Avahi: that would flash
     * by at every start.
     */
    case TERTULIA_ROOM_BROWSER_STARTING:
    case TERTULIA_ROOM_BROWSER_BROWSING:
      status = _("No rooms found yet");
      break;

    case TERTULIA_ROOM_BROWSER_UNAVAILABLE:
      status = _("Can’t look for rooms because the Avahi service isn’t running. "
                 "You can still join a room by its address.");
      break;

    case TERTULIA_ROOM_BROWSER_FAILED:
      status = _("Can’t look for rooms right now. You can still join a room by its address.");
      break;

    default:
      g_assert_not_reached ();
    }

  gtk_label_set_text (self->lan_status_label, status);
}

void
_tertulia_start_page_init_rooms (TertuliaStartPage *self)
{
  g_signal_connect_object (self->settings, "changed::recent-rooms",
                           G_CALLBACK (_tertulia_start_page_update_recent_rooms), self, G_CONNECT_SWAPPED);
  _tertulia_start_page_update_recent_rooms (self);

  /* Looking from the start: by the time someone wants to join, the rooms
   * around have answered.
   */
  self->room_browser = tertulia_room_browser_new ();
  gtk_list_box_bind_model (self->lan_list,
                           tertulia_room_browser_get_rooms (self->room_browser),
                           create_lan_row_cb, self, NULL);
  g_signal_connect_swapped (self->room_browser, "notify::state",
                            G_CALLBACK (update_lan_status), self);
  update_lan_status (self);
}

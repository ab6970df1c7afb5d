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
#include "tertulia-app-archive.h"
#include "tertulia-clock.h"
#include "tertulia-lan-room-row.h"
#include "tertulia-start-page-private.h"

#define MAX_RECENT_ROOMS 5
/* Recent rooms shown, kept ones first */
#define MAX_KEPT_ROOMS 8

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

/* Recent rooms kept in the archive */

static void
restored_connect_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(TertuliaStartPage) self = user_data;
  TertuliaSession *session = TERTULIA_SESSION (object);
  g_autoptr(GError) error = NULL;

  /* Not answering is what the room's banner says, while it tries again */
  if (tertulia_session_connect_finish (session, result, &error))
    _tertulia_start_page_remember_recent_room (self,
                                               tertulia_client_get_address (tertulia_session_get_client (session)));
  else
    g_debug ("Opening a kept room: %s", error->message);
}

/* The room's log shows at once, from the archive; the host is asked
 * meanwhile, and the welcome continues it.
 */
static void
open_kept_room (TertuliaStartPage *self,
                const char        *room_id,
                const char        *address)
{
  g_autoptr(TertuliaSession) session = NULL;
  g_autofree char *nickname = NULL;

  if (self->busy)
    return;

  _tertulia_start_page_start_over (self);

  nickname = _tertulia_start_page_dup_nickname (self);
  session = tertulia_session_new_guest (address, *nickname != '\0' ? nickname : NULL);
  if (!tertulia_session_restore_from_archive (session, room_id))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->address_row), address);
      tertulia_start_page_join (self);
      return;
    }

  _tertulia_start_page_emit_session_ready (self, session);
  tertulia_session_connect_async (session, NULL, restored_connect_cb, g_object_ref (self));
}

static void
kept_row_activated_cb (AdwActionRow      *row,
                       TertuliaStartPage *self)
{
  open_kept_room (self,
                  g_object_get_data (G_OBJECT (row), "tertulia-room-id"),
                  g_object_get_data (G_OBJECT (row), "tertulia-address"));
}

/* "Today, 20:05", "Yesterday, 8:05 PM", or the date: as the log's day
 * headings and times say it.
 */
static char *
format_last_activity (gint64 ms)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (ms / 1000);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) yesterday = g_date_time_add_days (now, -1);
  g_autofree char *day = NULL;
  g_autofree char *clock = NULL;

  if (time == NULL)
    return g_strdup ("");

  day = tertulia_clock_format_day (time, now);
  if (!tertulia_clock_same_day (time, now) && !tertulia_clock_same_day (time, yesterday))
    return g_steal_pointer (&day);

  clock = tertulia_clock_format_time (time);
  /* Translators: a day ("Today", "Yesterday") and a time ("20:05") */
  return g_strdup_printf (_("%s, %s"), day, clock);
}

typedef struct
{
  GWeakRef   page;
  char      *room_id;
  char      *address;
  GtkWidget *row;
  gboolean   undone;
} Forgetting;

static void
forgetting_free (Forgetting *forgetting)
{
  g_weak_ref_clear (&forgetting->page);
  g_free (forgetting->room_id);
  g_free (forgetting->address);
  g_clear_object (&forgetting->row);
  g_free (forgetting);
}

static void
forget_now (TertuliaStartPage *self,
            const char        *room_id,
            const char        *address)
{
  TertuliaArchive *archive = tertulia_app_archive_get ();
  g_auto(GStrv) old = g_settings_get_strv (self->settings, "recent-rooms");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) recent = NULL;

  /* Its address goes from the recent ones too, or it would come back
   * there as a bare address.
   */
  for (guint i = 0; old[i] != NULL; i++)
    if (g_ascii_strcasecmp (old[i], address) != 0)
      g_strv_builder_add (builder, old[i]);
  recent = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-rooms", (const char * const *) recent);

  if (archive != NULL)
    tertulia_archive_forget_room (archive, room_id);
  else
    _tertulia_start_page_update_recent_rooms (self);
}

static void
undo_forget_cb (AdwToast   *toast,
                Forgetting *forgetting)
{
  forgetting->undone = TRUE;
  gtk_widget_set_visible (forgetting->row, TRUE);
}

static void
forget_dismissed_cb (AdwToast   *toast,
                     Forgetting *forgetting)
{
  g_autoptr(TertuliaStartPage) self = g_weak_ref_get (&forgetting->page);

  if (!forgetting->undone && self != NULL)
    forget_now (self, forgetting->room_id, forgetting->address);
}

static void
forget_clicked_cb (GtkButton         *button,
                   TertuliaStartPage *self)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), ADW_TYPE_ACTION_ROW);
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  const char *room_id = g_object_get_data (G_OBJECT (row), "tertulia-room-id");
  const char *address = g_object_get_data (G_OBJECT (row), "tertulia-address");
  g_autofree char *title = NULL;
  g_autofree char *escaped = NULL;
  Forgetting *forgetting;
  AdwToast *toast;

  if (overlay == NULL)
    {
      forget_now (self, room_id, address);
      return;
    }

  /* Gone from the list at once; from the disk when the toast goes, unless
   * undone.
   */
  forgetting = g_new0 (Forgetting, 1);
  g_weak_ref_init (&forgetting->page, self);
  forgetting->room_id = g_strdup (room_id);
  forgetting->address = g_strdup (address);
  forgetting->row = g_object_ref (row);
  gtk_widget_set_visible (row, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->address_row));

  /* Translators: %s is a room's name; its history was deleted */
  title = g_strdup_printf (_("“%s” forgotten"), adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
  /* libadwaita 1.2 reads a toast's title as markup; a room's name is not */
  escaped = g_markup_escape_text (title, -1);
  toast = adw_toast_new (escaped);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect (toast, "button-clicked", G_CALLBACK (undo_forget_cb), forgetting);
  g_signal_connect_data (toast, "dismissed", G_CALLBACK (forget_dismissed_cb), forgetting,
                         (GClosureNotify) forgetting_free, 0);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

static GtkWidget *
new_kept_row (TertuliaStartPage         *self,
              const TertuliaArchiveRoom *room)
{
  g_autofree char *display = tertulia_address_display_name (room->address);
  g_autofree char *when = format_last_activity (room->last_activity);
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *forget;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 *room->name != '\0' ? room->name :
                                 display != NULL ? display : room->address);
  /* Translators: a room's address, then when something was last said in it */
  subtitle = g_strdup_printf (_("%s · %s"), display != NULL ? display : room->address, when);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_set_tooltip_text (row, _("Open this room"));

  if (room->unread > 0)
    {
      g_autofree char *count = g_strdup_printf ("%u", room->unread);
      g_autofree char *description = NULL;
      GtkWidget *badge = gtk_label_new (count);

      description = g_strdup_printf (ngettext ("%u unread message", "%u unread messages",
                                               room->unread),
                                     room->unread);
      gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (badge, "unread-badge");
      gtk_widget_add_css_class (badge, "numeric");
      gtk_widget_set_tooltip_text (badge, description);
      gtk_accessible_update_property (GTK_ACCESSIBLE (badge),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), badge);
    }

  forget = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_valign (forget, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (forget, "flat");
  gtk_widget_set_tooltip_text (forget, _("Forget This Room"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (forget),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Forget This Room"), -1);
  g_signal_connect_object (forget, "clicked", G_CALLBACK (forget_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), forget);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));

  g_object_set_data_full (G_OBJECT (row), "tertulia-room-id", g_strdup (room->room_id), g_free);
  g_object_set_data_full (G_OBJECT (row), "tertulia-address", g_strdup (room->address), g_free);
  g_signal_connect_object (row, "activated", G_CALLBACK (kept_row_activated_cb), self, 0);

  return row;
}

static GtkWidget *
new_address_row (TertuliaStartPage *self,
                 const char        *address)
{
  g_autofree char *display = tertulia_address_display_name (address);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name ("go-next-symbolic");

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), display != NULL ? display : address);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_set_tooltip_text (row, _("Join this room"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
  g_object_set_data_full (G_OBJECT (row), "tertulia-address", g_strdup (address), g_free);
  g_signal_connect_object (row, "activated", G_CALLBACK (recent_row_activated_cb), self, 0);

  return row;
}

/* The rooms kept in the archive, most recently active first, then the
 * addresses joined that it does not hold (history off, or kept nowhere).
 */
void
_tertulia_start_page_update_recent_rooms (TertuliaStartPage *self)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-rooms");
  TertuliaArchive *archive = tertulia_app_archive_get ();
  g_autoptr(GPtrArray) kept = NULL;
  g_autoptr(GHashTable) shown = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < self->recent_rows->len; i++)
    adw_preferences_group_remove (self->recent_group, g_ptr_array_index (self->recent_rows, i));
  g_ptr_array_set_size (self->recent_rows, 0);

  kept = archive != NULL ? tertulia_archive_dup_rooms (archive, MAX_KEPT_ROOMS)
                         : g_ptr_array_new ();
  for (guint i = 0; i < kept->len; i++)
    {
      const TertuliaArchiveRoom *room = g_ptr_array_index (kept, i);
      GtkWidget *row = new_kept_row (self, room);

      g_hash_table_add (shown, room->address);
      adw_preferences_group_add (self->recent_group, row);
      g_ptr_array_add (self->recent_rows, row);
    }

  for (guint i = 0; recent[i] != NULL && self->recent_rows->len < MAX_KEPT_ROOMS; i++)
    {
      GtkWidget *row;

      if (g_hash_table_contains (shown, recent[i]))
        continue;

      row = new_address_row (self, recent[i]);
      adw_preferences_group_add (self->recent_group, row);
      g_ptr_array_add (self->recent_rows, row);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->recent_group), self->recent_rows->len > 0);
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
  /* The key the room announced is checked like an invitation's. */
  self->join_fingerprint = g_strdup (tertulia_lan_room_get_fingerprint (room));
  if (self->join_fingerprint != NULL)
    tertulia_client_set_expected_fingerprint (tertulia_session_get_client (session),
                                              self->join_fingerprint);
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
  if (tertulia_app_archive_get () != NULL)
    g_signal_connect_object (tertulia_app_archive_get (), "rooms-changed",
                             G_CALLBACK (_tertulia_start_page_update_recent_rooms), self, G_CONNECT_SWAPPED);
  _tertulia_start_page_update_recent_rooms (self);
  /* An archive that cannot be kept, or was damaged, is said once */
  g_signal_connect (self, "map", G_CALLBACK (tertulia_app_archive_tell_problem), NULL);

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

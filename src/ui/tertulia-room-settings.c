/* tertulia-room-settings.c — a room's moderation settings, for its host
 * and co-hosts: slow mode, lock, private messages and the people banned
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-room-settings"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tertulia-clock.h"
#include "tertulia-participant.h"
#include "tertulia-room-settings.h"

struct _TertuliaRoomSettings
{
  AdwPreferencesWindow  parent_instance;

  /* Widgets */
  AdwComboRow          *slow_row;
  GtkSwitch            *lock_switch;
  AdwComboRow          *private_row;
  GtkWidget            *bans_page;
  GtkStack             *bans_stack;
  GtkListBox           *ban_list;
  AdwStatusPage        *bans_error;

  /* Owned references */
  TertuliaClient       *client;
  GSignalGroup         *room_signals;
  GCancellable         *bans_cancellable;

  /* Set while the widgets follow the room, so that is not sent back */
  gboolean              updating;
};

G_DEFINE_FINAL_TYPE (TertuliaRoomSettings, tertulia_room_settings, ADW_TYPE_PREFERENCES_WINDOW)

const guint tertulia_room_settings_slow_seconds[TERTULIA_ROOM_SETTINGS_N_SLOW] = { 0, 5, 10, 30, 60, 300 };

static const TertuliaPrivateMessages private_choices[] = {
  TERTULIA_PRIVATE_MESSAGES_EVERYONE,
  TERTULIA_PRIVATE_MESSAGES_HOSTS,
  TERTULIA_PRIVATE_MESSAGES_OFF,
};

static TertuliaRoom *
get_room (TertuliaRoomSettings *self)
{
  return tertulia_client_get_room (self->client);
}

/* The room as it is now: what the host did here, or someone else did
 * with a command, shows the same.
 */
static void
update_from_room (TertuliaRoomSettings *self)
{
  TertuliaRoom *room = get_room (self);
  TertuliaParticipant *you = tertulia_room_get_you (room);
  guint slow = tertulia_room_get_slow_seconds (room);
  TertuliaPrivateMessages allow = tertulia_room_get_private_messages (room);
  gboolean host = you != NULL && tertulia_participant_get_role (you) == TERTULIA_ROLE_HOST;
  guint slow_index = 0;

  self->updating = TRUE;

  /* A value set by /slow that is not among the choices shows as the
   * nearest one below it.
   */
  for (guint i = 0; i < TERTULIA_ROOM_SETTINGS_N_SLOW; i++)
    if (tertulia_room_settings_slow_seconds[i] <= slow)
      slow_index = i;
  adw_combo_row_set_selected (self->slow_row, slow_index);

  gtk_switch_set_active (self->lock_switch, tertulia_room_get_locked (room));

  for (guint i = 0; i < G_N_ELEMENTS (private_choices); i++)
    if (private_choices[i] == allow)
      adw_combo_row_set_selected (self->private_row, i);
  gtk_widget_set_sensitive (GTK_WIDGET (self->private_row), host);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->private_row),
                               host ? NULL : _("Only the host can change this"));

  self->updating = FALSE;

  /* Someone who is no longer a moderator has nothing to set here. */
  if (!tertulia_room_get_you_moderate (room))
    gtk_window_close (GTK_WINDOW (self));
}

static void
slow_selected_cb (TertuliaRoomSettings *self)
{
  guint selected = adw_combo_row_get_selected (self->slow_row);

  if (self->updating || selected >= TERTULIA_ROOM_SETTINGS_N_SLOW)
    return;

  tertulia_client_set_slow_mode (self->client, tertulia_room_settings_slow_seconds[selected]);
}

static void
lock_active_cb (TertuliaRoomSettings *self)
{
  if (self->updating)
    return;

  tertulia_client_set_locked (self->client, gtk_switch_get_active (self->lock_switch));
}

static void
private_selected_cb (TertuliaRoomSettings *self)
{
  guint selected = adw_combo_row_get_selected (self->private_row);

  if (self->updating || selected >= G_N_ELEMENTS (private_choices))
    return;

  tertulia_client_set_private_messages (self->client, private_choices[selected]);
}

/* The people banned */

static void
unban_clicked_cb (GtkButton            *button,
                  TertuliaRoomSettings *self)
{
  gint64 id = *(gint64 *)g_object_get_data (G_OBJECT (button), "tertulia-ban-id");
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_LIST_BOX_ROW);

  if (!tertulia_client_unban (self->client, id))
    {
      gtk_widget_error_bell (GTK_WIDGET (button));
      return;
    }

  /* The server has the last word: the list is asked for again, and until
   * then the row goes.
   */
  if (row != NULL)
    gtk_list_box_remove (self->ban_list, row);
  if (gtk_widget_get_first_child (GTK_WIDGET (self->ban_list)) == NULL)
    gtk_stack_set_visible_child_name (self->bans_stack, "empty");

  _tertulia_room_settings_show_bans (self);
}

static GtkWidget *
new_ban_row (TertuliaRoomSettings *self,
             const TertuliaBan    *ban)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button;
  g_autoptr(GString) subtitle = g_string_new (NULL);
  g_autofree char *label = NULL;
  gint64 *id;

  /* Nothing from the wire is markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), ban->nick != NULL ? ban->nick : "");

  if (ban->by != NULL && *ban->by != '\0')
    {
      if (ban->time > 0)
        {
          g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (ban->time / 1000);
          g_autofree char *time = when != NULL ? tertulia_clock_format_time (when) : NULL;

          /* Translators: who banned someone and at what time, "by ana at 10:42" */
          g_string_append_printf (subtitle, _("by %s at %s"), ban->by, time != NULL ? time : "");
        }
      else
        /* Translators: who banned someone, "by ana" */
        g_string_append_printf (subtitle, _("by %s"), ban->by);
    }
  if (ban->reason != NULL && *ban->reason != '\0')
    {
      if (subtitle->len > 0)
        g_string_append (subtitle, " · ");
      g_string_append (subtitle, ban->reason);
    }
  if (ban->address != NULL && *ban->address != '\0')
    {
      if (subtitle->len > 0)
        g_string_append (subtitle, " · ");
      g_string_append (subtitle, ban->address);
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);

  button = gtk_button_new_with_mnemonic (_("_Unban"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  /* Translators: the accessible name of a ban list's button, %s is a nickname */
  label = g_strdup_printf (_("Unban %s"), ban->nick != NULL ? ban->nick : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  id = g_new (gint64, 1);
  *id = ban->id;
  g_object_set_data_full (G_OBJECT (button), "tertulia-ban-id", id, g_free);
  g_signal_connect_object (button, "clicked", G_CALLBACK (unban_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  return row;
}

static void
bans_fetched_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TertuliaRoomSettings) self = user_data;
  g_autoptr(GPtrArray) bans = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  bans = tertulia_client_fetch_bans_finish (TERTULIA_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->ban_list == NULL)
    return;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->ban_list))) != NULL)
    gtk_list_box_remove (self->ban_list, child);

  if (bans == NULL)
    {
      adw_status_page_set_description (self->bans_error, error->message);
      gtk_stack_set_visible_child_name (self->bans_stack, "error");
      return;
    }

  for (guint i = 0; i < bans->len; i++)
    gtk_list_box_append (self->ban_list, new_ban_row (self, g_ptr_array_index (bans, i)));

  gtk_stack_set_visible_child_name (self->bans_stack, bans->len > 0 ? "list" : "empty");
}

static void
fetch_bans (TertuliaRoomSettings *self)
{
  g_cancellable_cancel (self->bans_cancellable);
  g_clear_object (&self->bans_cancellable);
  self->bans_cancellable = g_cancellable_new ();

  if (gtk_widget_get_first_child (GTK_WIDGET (self->ban_list)) == NULL)
    gtk_stack_set_visible_child_name (self->bans_stack, "loading");

  tertulia_client_fetch_bans_async (self->client, self->bans_cancellable,
                                    bans_fetched_cb, g_object_ref (self));
}

void
_tertulia_room_settings_show_bans (TertuliaRoomSettings *self)
{
  g_return_if_fail (TERTULIA_IS_ROOM_SETTINGS (self));

  if (gtk_widget_get_parent (self->bans_page) == NULL)
    adw_preferences_window_present_subpage (ADW_PREFERENCES_WINDOW (self), self->bans_page);

  fetch_bans (self);
}

static void
bans_back_clicked_cb (TertuliaRoomSettings *self)
{
  adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (self));
}

static GtkWidget *
new_bans_page (TertuliaRoomSettings *self)
{
  GtkWidget *page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *back = gtk_button_new_from_icon_name ("go-previous-symbolic");
  GtkWidget *scroller, *clamp, *status, *spinner;

  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header),
                                   adw_window_title_new (_("Banned People"), NULL));
  gtk_widget_set_tooltip_text (back, _("Back"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (back),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Back"),
                                  -1);
  g_signal_connect_object (back, "clicked", G_CALLBACK (bans_back_clicked_cb), self, G_CONNECT_SWAPPED);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), back);
  gtk_box_append (GTK_BOX (page), header);

  self->bans_stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->bans_stack), TRUE);

  spinner = gtk_spinner_new ();
  gtk_spinner_set_spinning (GTK_SPINNER (spinner), TRUE);
  gtk_widget_set_halign (spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (spinner, 32, 32);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spinner),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Loading"),
                                  -1);
  gtk_stack_add_named (self->bans_stack, spinner, "loading");

  status = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "system-users-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (status), _("No One Is Banned"));
  adw_status_page_set_description (ADW_STATUS_PAGE (status),
                                   _("People you ban from a participant’s menu are listed here until the room ends."));
  gtk_stack_add_named (self->bans_stack, status, "empty");

  self->bans_error = ADW_STATUS_PAGE (adw_status_page_new ());
  adw_status_page_set_icon_name (self->bans_error, "dialog-warning-symbolic");
  adw_status_page_set_title (self->bans_error, _("The List Is Not Available"));
  gtk_stack_add_named (self->bans_stack, GTK_WIDGET (self->bans_error), "error");

  self->ban_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->ban_list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->ban_list), "boxed-list");
  gtk_widget_set_valign (GTK_WIDGET (self->ban_list), GTK_ALIGN_START);
  gtk_widget_set_margin_top (GTK_WIDGET (self->ban_list), 24);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->ban_list), 24);
  gtk_widget_set_margin_start (GTK_WIDGET (self->ban_list), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->ban_list), 12);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->ban_list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Banned People"),
                                  -1);
  clamp = adw_clamp_new ();
  adw_clamp_set_child (ADW_CLAMP (clamp), GTK_WIDGET (self->ban_list));
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);
  gtk_stack_add_named (self->bans_stack, scroller, "list");

  gtk_box_append (GTK_BOX (page), GTK_WIDGET (self->bans_stack));

  return page;
}

static void
bans_row_activated_cb (TertuliaRoomSettings *self)
{
  _tertulia_room_settings_show_bans (self);
}

static GtkStringList *
new_string_list (const char *first,
                 ...)
{
  GtkStringList *list = gtk_string_list_new (NULL);
  const char *item;
  va_list args;

  va_start (args, first);
  for (item = first; item != NULL; item = va_arg (args, const char *))
    gtk_string_list_append (list, item);
  va_end (args);

  return list;
}

static void
tertulia_room_settings_dispose (GObject *object)
{
  TertuliaRoomSettings *self = (TertuliaRoomSettings *)object;

  g_cancellable_cancel (self->bans_cancellable);
  g_clear_object (&self->bans_cancellable);
  g_clear_object (&self->room_signals);
  g_clear_object (&self->client);
  g_clear_object (&self->bans_page);
  self->ban_list = NULL;

  G_OBJECT_CLASS (tertulia_room_settings_parent_class)->dispose (object);
}

static void
tertulia_room_settings_class_init (TertuliaRoomSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tertulia_room_settings_dispose;
}

static void
tertulia_room_settings_init (TertuliaRoomSettings *self)
{
  g_autoptr(GtkStringList) slow = NULL;
  g_autoptr(GtkStringList) allow = NULL;
  AdwPreferencesPage *page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  AdwPreferencesGroup *private_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  AdwPreferencesGroup *bans_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  GtkWidget *lock_row, *bans_row;

  gtk_window_set_title (GTK_WINDOW (self), _("Room Settings"));
  gtk_window_set_default_size (GTK_WINDOW (self), 480, 460);
  adw_preferences_window_set_search_enabled (ADW_PREFERENCES_WINDOW (self), FALSE);

  adw_preferences_group_set_title (group, _("Moderation"));

  slow = new_string_list (_("Off"),
                          /* Translators: a slow mode choice */
                          _("5 seconds"), _("10 seconds"), _("30 seconds"),
                          _("1 minute"), _("5 minutes"), NULL);
  self->slow_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->slow_row), _("_Slow Mode"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->slow_row), TRUE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->slow_row),
                               _("How long each guest waits between messages"));
  adw_combo_row_set_model (self->slow_row, G_LIST_MODEL (slow));
  adw_preferences_group_add (group, GTK_WIDGET (self->slow_row));

  lock_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (lock_row), _("_Lock Room"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (lock_row), TRUE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (lock_row),
                               _("No one new can join; people here can still reconnect"));
  self->lock_switch = GTK_SWITCH (gtk_switch_new ());
  gtk_widget_set_valign (GTK_WIDGET (self->lock_switch), GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (lock_row), GTK_WIDGET (self->lock_switch));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (lock_row), GTK_WIDGET (self->lock_switch));
  adw_preferences_group_add (group, lock_row);

  allow = new_string_list (_("Everyone"), _("Only With Hosts"), _("Off"), NULL);
  self->private_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_group_set_title (private_group, _("Private Messages"));
  adw_preferences_group_set_description (private_group,
                                         _("Messages between two people, apart from the room and its history. The host’s computer relays them."));
  /* Translators: who may send private messages: Everyone, Only With Hosts, Off */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->private_row), _("_Allowed"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (self->private_row), TRUE);
  adw_combo_row_set_model (self->private_row, G_LIST_MODEL (allow));
  adw_preferences_group_add (private_group, GTK_WIDGET (self->private_row));

  bans_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (bans_row), _("_Banned People"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (bans_row), TRUE);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (bans_row), TRUE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (bans_row),
                             gtk_image_new_from_icon_name ("go-next-symbolic"));
  g_signal_connect_object (bans_row, "activated", G_CALLBACK (bans_row_activated_cb), self, G_CONNECT_SWAPPED);
  adw_preferences_group_add (bans_group, bans_row);

  adw_preferences_page_add (page, group);
  adw_preferences_page_add (page, private_group);
  adw_preferences_page_add (page, bans_group);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), page);

  self->bans_page = g_object_ref_sink (new_bans_page (self));

  g_signal_connect_object (self->slow_row, "notify::selected", G_CALLBACK (slow_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->lock_switch, "notify::active", G_CALLBACK (lock_active_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->private_row, "notify::selected", G_CALLBACK (private_selected_cb), self, G_CONNECT_SWAPPED);

  self->room_signals = g_signal_group_new (TERTULIA_TYPE_ROOM);
  g_signal_group_connect_object (self->room_signals, "notify::slow-seconds",
                                 G_CALLBACK (update_from_room), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->room_signals, "notify::locked",
                                 G_CALLBACK (update_from_room), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->room_signals, "notify::private-messages",
                                 G_CALLBACK (update_from_room), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->room_signals, "notify::you-moderate",
                                 G_CALLBACK (update_from_room), self, G_CONNECT_SWAPPED);
}

GtkWidget *
tertulia_room_settings_new (TertuliaClient *client)
{
  TertuliaRoomSettings *self;

  g_return_val_if_fail (TERTULIA_IS_CLIENT (client), NULL);

  self = g_object_new (TERTULIA_TYPE_ROOM_SETTINGS, NULL);
  self->client = g_object_ref (client);
  g_signal_group_set_target (self->room_signals, get_room (self));
  update_from_room (self);

  return GTK_WIDGET (self);
}

AdwComboRow *
_tertulia_room_settings_get_slow_row (TertuliaRoomSettings *self)
{
  return self->slow_row;
}

GtkSwitch *
_tertulia_room_settings_get_lock_switch (TertuliaRoomSettings *self)
{
  return self->lock_switch;
}

AdwComboRow *
_tertulia_room_settings_get_private_row (TertuliaRoomSettings *self)
{
  return self->private_row;
}

const char *
_tertulia_room_settings_get_bans_state (TertuliaRoomSettings *self)
{
  return gtk_stack_get_visible_child_name (self->bans_stack);
}

GtkListBox *
_tertulia_room_settings_get_ban_list (TertuliaRoomSettings *self)
{
  return self->ban_list;
}

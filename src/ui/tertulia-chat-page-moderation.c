/* tertulia-chat-page-moderation.c — the chat page's people and their
 * moderation: the participant rows and their menu, the kick and ban
 * dialogs, the room's settings, and what the composer says when you are
 * muted, slowed down, locked out or removed
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-chat-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tertulia-chat-page-private.h"
#include "tertulia-participant.h"
#include "tertulia-participant-row.h"
#include "tertulia-room-settings.h"

/* The participant rows */

static void
participant_setup_cb (TertuliaChatPage         *self,
                      GtkListItem              *list_item,
                      GtkSignalListItemFactory *factory)
{
  /* Selectable lets GTK 4.8 give the row the keyboard focus (nothing is
   * ever shown selected); activating it (Enter) opens its menu.
   */
  gtk_list_item_set_selectable (list_item, TRUE);
  gtk_list_item_set_activatable (list_item, TRUE);
  gtk_list_item_set_child (list_item, tertulia_participant_row_new ());
}

static void
participant_bind_cb (TertuliaChatPage         *self,
                     GtkListItem              *list_item,
                     GtkSignalListItemFactory *factory)
{
  tertulia_participant_row_bind (TERTULIA_PARTICIPANT_ROW (gtk_list_item_get_child (list_item)),
                                 _tertulia_chat_page_get_room (self),
                                 gtk_list_item_get_item (list_item));
}

static void
participant_unbind_cb (TertuliaChatPage         *self,
                       GtkListItem              *list_item,
                       GtkSignalListItemFactory *factory)
{
  tertulia_participant_row_bind (TERTULIA_PARTICIPANT_ROW (gtk_list_item_get_child (list_item)),
                                 NULL, NULL);
}

/* The row in (or above) @widget, up to the participant list */
static TertuliaParticipantRow *
find_participant_row (TertuliaChatPage *self,
                      GtkWidget        *widget)
{
  for (; widget != NULL && widget != GTK_WIDGET (self->participant_view);
       widget = gtk_widget_get_parent (widget))
    {
      if (TERTULIA_IS_PARTICIPANT_ROW (widget))
        return TERTULIA_PARTICIPANT_ROW (widget);

      if (TERTULIA_IS_PARTICIPANT_ROW (gtk_widget_get_first_child (widget)))
        return TERTULIA_PARTICIPANT_ROW (gtk_widget_get_first_child (widget));
    }

  return NULL;
}

TertuliaParticipantRow *
_tertulia_chat_page_find_participant_row (TertuliaChatPage *self,
                                          gint64            id)
{
  for (GtkWidget *item = gtk_widget_get_first_child (GTK_WIDGET (self->participant_view));
       item != NULL;
       item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *child = gtk_widget_get_first_child (item);
      TertuliaParticipant *participant;

      if (!TERTULIA_IS_PARTICIPANT_ROW (child))
        continue;

      participant = tertulia_participant_row_get_participant (TERTULIA_PARTICIPANT_ROW (child));
      if (participant != NULL && tertulia_participant_get_id (participant) == id)
        return TERTULIA_PARTICIPANT_ROW (child);
    }

  return NULL;
}

static void
participant_activate_cb (TertuliaChatPage *self,
                         guint             position,
                         GtkListView      *view)
{
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (view));
  g_autoptr(TertuliaParticipant) participant = NULL;
  TertuliaParticipantRow *row;

  participant = model != NULL ? g_list_model_get_item (model, position) : NULL;
  if (participant == NULL)
    return;

  row = _tertulia_chat_page_find_participant_row (self, tertulia_participant_get_id (participant));
  if (row != NULL && !tertulia_participant_row_popup_menu (row))
    gtk_widget_error_bell (GTK_WIDGET (view));
}

/* Menu and Shift+F10 open the focused row's menu, as for messages */
static gboolean
participant_key_pressed_cb (TertuliaChatPage      *self,
                            guint                  keyval,
                            guint                  keycode,
                            GdkModifierType        state,
                            GtkEventControllerKey *controller)
{
  GdkModifierType mods = state & gtk_accelerator_get_default_mod_mask ();
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  TertuliaParticipantRow *row;

  if (keyval != GDK_KEY_Menu && !(keyval == GDK_KEY_F10 && mods == GDK_SHIFT_MASK))
    return GDK_EVENT_PROPAGATE;

  row = find_participant_row (self, focus);
  if (row == NULL)
    return GDK_EVENT_PROPAGATE;

  if (!tertulia_participant_row_popup_menu (row))
    gtk_widget_error_bell (GTK_WIDGET (self->participant_view));

  return GDK_EVENT_STOP;
}

static void
update_participant_rows (TertuliaChatPage *self)
{
  for (GtkWidget *item = gtk_widget_get_first_child (GTK_WIDGET (self->participant_view));
       item != NULL;
       item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *child = gtk_widget_get_first_child (item);

      if (TERTULIA_IS_PARTICIPANT_ROW (child))
        tertulia_participant_row_update (TERTULIA_PARTICIPANT_ROW (child));
    }
}

/* The menu's actions, each with the participant's id */

static TertuliaParticipant *
find_participant (TertuliaChatPage *self,
                  GVariant         *parameter)
{
  TertuliaRoom *room = _tertulia_chat_page_get_room (self);

  if (room == NULL || self->client == NULL)
    return NULL;

  return tertulia_room_find_participant (room, g_variant_get_int64 (parameter));
}

static void
message_privately_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  TertuliaChatPage *self = TERTULIA_CHAT_PAGE (widget);
  TertuliaParticipant *participant = find_participant (self, parameter);

  if (participant != NULL)
    _tertulia_chat_page_show_conversation_with (self, participant, TRUE);
}

static void
set_muted_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TertuliaChatPage *self = TERTULIA_CHAT_PAGE (widget);
  TertuliaParticipant *participant = find_participant (self, parameter);

  if (participant != NULL)
    tertulia_client_set_muted (self->client, tertulia_participant_get_id (participant),
                               g_str_equal (action_name, "participant.mute"));
}

static void
set_cohost_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  TertuliaChatPage *self = TERTULIA_CHAT_PAGE (widget);
  TertuliaParticipant *participant = find_participant (self, parameter);

  if (participant != NULL)
    tertulia_client_set_cohost (self->client, tertulia_participant_get_id (participant),
                                g_str_equal (action_name, "participant.op"));
}

/* Remove and ban ask first, with a reason the person will read */

static void
remove_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    TertuliaChatPage *self)
{
  GtkEditable *reason_entry = g_object_get_data (G_OBJECT (dialog), "tertulia-reason");
  gint64 id = *(gint64 *)g_object_get_data (G_OBJECT (dialog), "tertulia-id");
  g_autofree char *reason = NULL;

  if (self->client == NULL || (!g_str_equal (response, "kick") && !g_str_equal (response, "ban")))
    return;

  reason = g_strstrip (g_strdup (gtk_editable_get_text (reason_entry)));

  if (g_str_equal (response, "ban"))
    tertulia_client_ban (self->client, id, *reason != '\0' ? reason : NULL);
  else
    tertulia_client_kick (self->client, id, *reason != '\0' ? reason : NULL);
}

static void
reason_activate_cb (GtkEntry         *entry,
                    AdwMessageDialog *dialog)
{
  const char *response = g_object_get_data (G_OBJECT (dialog), "tertulia-response");

  adw_message_dialog_response (dialog, response);
  gtk_window_close (GTK_WINDOW (dialog));
}

GtkWidget *
_tertulia_chat_page_ask_to_remove (TertuliaChatPage    *self,
                                   TertuliaParticipant *participant,
                                   gboolean             ban)
{
  const char *nickname = tertulia_participant_get_nickname (participant);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;
  GtkWidget *entry;
  gint64 *id;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, NULL, NULL);

  if (ban)
    {
      /* Translators: a dialog's title, %s is a nickname */
      adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("Ban %s?"), nickname);
      adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                      /* Translators: %s is a nickname */
                                      _("%s leaves the room and cannot come back while it is open, from this computer or another name. You can undo this in the room’s settings."),
                                      nickname);
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "cancel", _("_Cancel"),
                                        "ban", _("_Ban"),
                                        NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog),
                                                  "ban", ADW_RESPONSE_DESTRUCTIVE);
      g_object_set_data (G_OBJECT (dialog), "tertulia-response", (gpointer)"ban");
    }
  else
    {
      /* Translators: a dialog's title, %s is a nickname */
      adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("Remove %s From the Room?"), nickname);
      adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                      /* Translators: %s is a nickname */
                                      _("%s can join again, unless the room is locked."),
                                      nickname);
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "cancel", _("_Cancel"),
                                        "kick", _("_Remove"),
                                        NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog),
                                                  "kick", ADW_RESPONSE_DESTRUCTIVE);
      g_object_set_data (G_OBJECT (dialog), "tertulia-response", (gpointer)"kick");
    }

  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason (optional)"));
  gtk_entry_set_max_length (GTK_ENTRY (entry), 200);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reason (optional)"),
                                  -1);
  g_signal_connect_object (entry, "activate", G_CALLBACK (reason_activate_cb), dialog, 0);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  g_object_set_data (G_OBJECT (dialog), "tertulia-reason", entry);

  id = g_new (gint64, 1);
  *id = tertulia_participant_get_id (participant);
  g_object_set_data_full (G_OBJECT (dialog), "tertulia-id", id, g_free);

  g_signal_connect_object (dialog, "response", G_CALLBACK (remove_response_cb), self, 0);

  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);

  return dialog;
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TertuliaChatPage *self = TERTULIA_CHAT_PAGE (widget);
  TertuliaParticipant *participant = find_participant (self, parameter);

  if (participant != NULL)
    _tertulia_chat_page_ask_to_remove (self, participant,
                                       g_str_equal (action_name, "participant.ban"));
}

/* The room's settings, for moderators */

static void
room_settings_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  TertuliaChatPage *self = TERTULIA_CHAT_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *settings;

  if (self->client == NULL)
    return;

  if (self->room_settings != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->room_settings));
      return;
    }

  settings = tertulia_room_settings_new (self->client);
  gtk_window_set_transient_for (GTK_WINDOW (settings), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL);
  gtk_window_set_modal (GTK_WINDOW (settings), TRUE);
  g_set_weak_pointer (&self->room_settings, settings);
  gtk_window_present (GTK_WINDOW (settings));
}

/* What the composer says: muted, slow mode's countdown; the header says
 * when the room is locked
 */

static gboolean
you_are_muted (TertuliaChatPage *self)
{
  TertuliaRoom *room = _tertulia_chat_page_get_room (self);
  TertuliaParticipant *you = room != NULL ? tertulia_room_get_you (room) : NULL;

  return you != NULL && tertulia_participant_get_muted (you);
}

static gboolean
slow_tick_cb (gpointer user_data)
{
  TertuliaChatPage *self = user_data;

  _tertulia_chat_page_update_composer_status (self);

  if (g_get_monotonic_time () >= self->slow_until)
    {
      self->slow_tick_id = 0;
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

void
_tertulia_chat_page_update_composer_status (TertuliaChatPage *self)
{
  TertuliaRoom *room = _tertulia_chat_page_get_room (self);
  g_autofree char *text = NULL;
  gboolean muted = you_are_muted (self);
  guint slow = room != NULL ? tertulia_room_get_slow_seconds (room) : 0;
  gboolean exempt = room != NULL && tertulia_room_get_you_moderate (room);
  gint64 now = g_get_monotonic_time ();

  if (muted)
    {
      text = g_strdup (_("You are muted: you can read, but not send messages."));
    }
  else if (slow > 0 && !exempt && now < self->slow_until)
    {
      guint left = (guint)((self->slow_until - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);

      /* Translators: under the message entry while slow mode makes you wait */
      text = g_strdup_printf (ngettext ("Slow mode: you can send again in %u second",
                                        "Slow mode: you can send again in %u seconds",
                                        left),
                              left);
    }
  else if (slow > 0 && !exempt)
    {
      /* Translators: under the message entry, %u is a number of seconds */
      text = g_strdup_printf (ngettext ("Slow mode: one message every %u second",
                                        "Slow mode: one message every %u seconds",
                                        slow),
                              slow);
    }

  if (text != NULL)
    gtk_label_set_text (self->composer_status_label, text);
  gtk_revealer_set_reveal_child (self->composer_status_revealer, text != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->composer_status_revealer), text != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->entry), !muted && !_tertulia_chat_page_is_removed (self));
}

/* Muted, removed, or too soon in slow mode: a message now would be
 * refused, so what was typed stays.
 */
gboolean
_tertulia_chat_page_must_wait (TertuliaChatPage *self)
{
  TertuliaRoom *room = _tertulia_chat_page_get_room (self);

  if (you_are_muted (self) || _tertulia_chat_page_is_removed (self))
    return TRUE;

  return room != NULL &&
         tertulia_room_get_slow_seconds (room) > 0 &&
         !tertulia_room_get_you_moderate (room) &&
         g_get_monotonic_time () < self->slow_until;
}

/* Called when a message of yours went out: slow mode counts from it */
void
_tertulia_chat_page_note_message_sent (TertuliaChatPage *self)
{
  TertuliaRoom *room = _tertulia_chat_page_get_room (self);
  guint slow = room != NULL ? tertulia_room_get_slow_seconds (room) : 0;

  if (slow == 0 || tertulia_room_get_you_moderate (room))
    return;

  self->slow_until = g_get_monotonic_time () + (gint64)slow * G_USEC_PER_SEC;
  if (self->slow_tick_id == 0)
    self->slow_tick_id = g_timeout_add_seconds (1, slow_tick_cb, self);
  _tertulia_chat_page_update_composer_status (self);
}

static void
room_rules_changed_cb (TertuliaChatPage *self)
{
  TertuliaRoom *room = _tertulia_chat_page_get_room (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chat.room-settings",
                                 room != NULL && tertulia_room_get_you_moderate (room));
  update_participant_rows (self);
  _tertulia_chat_page_update_composer_status (self);
  _tertulia_chat_page_update_header (self);
}

static void
room_you_changed_cb (TertuliaChatPage *self)
{
  TertuliaRoom *room = _tertulia_chat_page_get_room (self);

  g_signal_group_set_target (self->you_signals, room != NULL ? tertulia_room_get_you (room) : NULL);
  room_rules_changed_cb (self);
}

void
_tertulia_chat_page_moderation_set_room (TertuliaChatPage *self,
                                         TertuliaRoom     *room)
{
  self->slow_until = 0;
  g_clear_handle_id (&self->slow_tick_id, g_source_remove);
  if (self->room_settings != NULL)
    gtk_window_destroy (GTK_WINDOW (self->room_settings));
  room_you_changed_cb (self);
}

void
_tertulia_chat_page_class_init_moderation (GtkWidgetClass *widget_class)
{
  g_type_ensure (TERTULIA_TYPE_PARTICIPANT_ROW);

  gtk_widget_class_bind_template_child (widget_class, TertuliaChatPage, composer_status_revealer);
  gtk_widget_class_bind_template_child (widget_class, TertuliaChatPage, composer_status_label);
  gtk_widget_class_bind_template_callback (widget_class, participant_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, participant_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, participant_unbind_cb);
  gtk_widget_class_bind_template_callback (widget_class, participant_activate_cb);

  gtk_widget_class_install_action (widget_class, "participant.message", "x", message_privately_action);
  gtk_widget_class_install_action (widget_class, "participant.mute", "x", set_muted_action);
  gtk_widget_class_install_action (widget_class, "participant.unmute", "x", set_muted_action);
  gtk_widget_class_install_action (widget_class, "participant.kick", "x", remove_action);
  gtk_widget_class_install_action (widget_class, "participant.ban", "x", remove_action);
  gtk_widget_class_install_action (widget_class, "participant.op", "x", set_cohost_action);
  gtk_widget_class_install_action (widget_class, "participant.deop", "x", set_cohost_action);
  gtk_widget_class_install_action (widget_class, "chat.room-settings", NULL, room_settings_action);
}

void
_tertulia_chat_page_init_moderation (TertuliaChatPage *self)
{
  GtkEventController *controller = gtk_event_controller_key_new ();

  g_signal_connect_object (controller, "key-pressed",
                           G_CALLBACK (participant_key_pressed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->participant_view), controller);

  g_signal_group_connect_object (self->room_signals, "notify::you",
                                 G_CALLBACK (room_you_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->room_signals, "notify::private-messages",
                                 G_CALLBACK (room_rules_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->room_signals, "notify::you-moderate",
                                 G_CALLBACK (room_rules_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->room_signals, "notify::slow-seconds",
                                 G_CALLBACK (room_rules_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->room_signals, "notify::locked",
                                 G_CALLBACK (room_rules_changed_cb), self, G_CONNECT_SWAPPED);

  self->you_signals = g_signal_group_new (TERTULIA_TYPE_PARTICIPANT);
  g_signal_group_connect_object (self->you_signals, "notify::role",
                                 G_CALLBACK (room_rules_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->you_signals, "notify::muted",
                                 G_CALLBACK (room_rules_changed_cb), self, G_CONNECT_SWAPPED);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chat.room-settings", FALSE);
}

void
_tertulia_chat_page_dispose_moderation (TertuliaChatPage *self)
{
  g_clear_handle_id (&self->slow_tick_id, g_source_remove);
  if (self->room_settings != NULL)
    gtk_window_destroy (GTK_WINDOW (self->room_settings));
  g_clear_weak_pointer (&self->room_settings);
  g_clear_object (&self->you_signals);
}

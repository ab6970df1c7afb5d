/* tertulia-preferences-window.c — nickname, history and notifications
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-preferences-window"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tertulia-a11y.h"
#include "tertulia-app-archive.h"
#include "tertulia-entry-row.h"
#include "tertulia-preferences-window.h"

struct _TertuliaPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Template widgets */
  TertuliaEntryRow     *nickname_row;
  GtkSwitch            *keep_history_switch;
  GtkSwitch            *send_typing_switch;
  GtkWidget            *clear_history_button;

  /* Owned references */
  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (TertuliaPreferencesWindow, tertulia_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
clear_history_response_cb (TertuliaPreferencesWindow *self,
                           const char                *response)
{
  TertuliaArchive *archive;

  if (g_strcmp0 (response, "clear") != 0)
    return;

  archive = tertulia_app_archive_get ();
  if (archive != NULL)
    tertulia_archive_clear (archive);

  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                    adw_toast_new (_("History cleared")));
}

static void
clear_history_clicked_cb (TertuliaPreferencesWindow *self)
{
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Clear the History?"),
                                   _("Everything kept from every room is deleted from this computer. "
                                     "The rooms themselves go on."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "clear", _("_Clear History"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "clear",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (clear_history_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
tertulia_preferences_window_dispose (GObject *object)
{
  TertuliaPreferencesWindow *self = (TertuliaPreferencesWindow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), TERTULIA_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tertulia_preferences_window_parent_class)->dispose (object);
}

static void
tertulia_preferences_window_class_init (TertuliaPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tertulia_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tertulia/Tertulia/tertulia-preferences-window.ui");

  /* Heard by screen readers when focused, unlike AdwEntryRow in libadwaita 1.2 */
  g_type_ensure (TERTULIA_TYPE_ENTRY_ROW);
  gtk_widget_class_bind_template_child (widget_class, TertuliaPreferencesWindow, nickname_row);
  gtk_widget_class_bind_template_child (widget_class, TertuliaPreferencesWindow, keep_history_switch);
  gtk_widget_class_bind_template_child (widget_class, TertuliaPreferencesWindow, send_typing_switch);
  gtk_widget_class_bind_template_child (widget_class, TertuliaPreferencesWindow, clear_history_button);
  gtk_widget_class_bind_template_callback (widget_class, clear_history_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tertulia_preferences_window_init (TertuliaPreferencesWindow *self)
{
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GAction) mode = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* "_Clear…" read as "_Clear… Clear…" otherwise (GTK 4.8) */
  tertulia_a11y_fix_names (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);

  /* The nickname used the next time you host or join. */
  g_settings_bind (self->settings, "nickname",
                   self->nickname_row, "text",
                   G_SETTINGS_BIND_DEFAULT);

  /* Off, nothing more is written; what was kept stays until cleared. */
  g_settings_bind (self->settings, "keep-history",
                   self->keep_history_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  gtk_widget_set_sensitive (self->clear_history_button, tertulia_app_archive_get () != NULL);

  /* The rooms you are in follow it at once (TertuliaSession binds it) */
  g_settings_bind (self->settings, "send-typing",
                   self->send_typing_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);

  mode = g_settings_create_action (self->settings, "notification-mode");
  g_action_map_add_action (G_ACTION_MAP (group), mode);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "prefs", G_ACTION_GROUP (group));
}

GtkWidget *
tertulia_preferences_window_new (void)
{
  return g_object_new (TERTULIA_TYPE_PREFERENCES_WINDOW, NULL);
}

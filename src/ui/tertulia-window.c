/* tertulia-window.c — the main window: the start page or a room
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-window"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tertulia-a11y.h"
#include "tertulia-share-popover.h"
#include "tertulia-window.h"

struct _TertuliaWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  TertuliaStartPage    *start_page;
  TertuliaChatPage     *chat_page;

  /* Owned references */
  GSettings            *settings;
  TertuliaSession      *session;
  TertuliaNotifier     *notifier;
  GBinding             *title_binding;
  TertuliaRoom         *room;       /* the session's, while shown */
  TertuliaParticipant  *you;        /* the room's "you", watched for renames */

  /* Borrowed references (weak pointer) */
  GtkWidget            *confirm_dialog;

  gboolean              close_confirmed;
};

G_DEFINE_FINAL_TYPE (TertuliaWindow, tertulia_window, ADW_TYPE_APPLICATION_WINDOW)

static void
update_actions (TertuliaWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.leave", self->session != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.focus-entry", self->session != NULL);
}

static void
is_active_changed_cb (TertuliaWindow *self)
{
  if (self->notifier != NULL)
    tertulia_notifier_set_window_active (self->notifier, gtk_window_is_active (GTK_WINDOW (self)));
  _tertulia_chat_page_mark_shown_read (self->chat_page);
}

static void
shown_conversation_changed_cb (TertuliaWindow *self)
{
  if (self->notifier != NULL)
    tertulia_notifier_set_shown_conversation (self->notifier,
                                              tertulia_chat_page_get_shown_conversation (self->chat_page));
}

static TertuliaSharePopover *
get_share_popover (TertuliaWindow *self)
{
  GtkWidget *button = _tertulia_chat_page_get_share_button (self->chat_page);

  return TERTULIA_SHARE_POPOVER (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button)));
}

/* A rename that the room accepted (/nick) is kept for next time: people
 * know you by it now. A nickname the room chose when you came in (a
 * suffix for a clash) is a different participant object, so it is not.
 */
static void
you_nickname_changed_cb (TertuliaWindow      *self,
                         GParamSpec          *pspec,
                         TertuliaParticipant *you)
{
  const char *nickname = tertulia_participant_get_nickname (you);
  g_autofree char *saved = NULL;

  if (nickname == NULL || *nickname == '\0')
    return;

  saved = g_settings_get_string (self->settings, "nickname");
  if (g_strcmp0 (saved, nickname) != 0)
    g_settings_set_string (self->settings, "nickname", nickname);
}

static void
watch_you (TertuliaWindow      *self,
           TertuliaParticipant *you)
{
  if (self->you == you)
    return;

  if (self->you != NULL)
    g_signal_handlers_disconnect_by_func (self->you, you_nickname_changed_cb, self);
  g_set_object (&self->you, you);
  if (self->you != NULL)
    g_signal_connect_object (self->you, "notify::nickname",
                             G_CALLBACK (you_nickname_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
room_you_changed_cb (TertuliaWindow *self)
{
  watch_you (self, self->room != NULL ? tertulia_room_get_you (self->room) : NULL);
}

void
tertulia_window_set_session (TertuliaWindow  *self,
                             TertuliaSession *session)
{
  GtkApplication *application;
  TertuliaClient *client;
  TertuliaRoom *room;

  g_return_if_fail (TERTULIA_IS_WINDOW (self));
  g_return_if_fail (!session || TERTULIA_IS_SESSION (session));

  if (self->session == session)
    return;

  /* Whatever room was shown is left first. */
  if (self->session != NULL)
    tertulia_window_leave (self);

  if (session == NULL)
    return;

  self->session = g_object_ref (session);
  client = tertulia_session_get_client (session);
  room = tertulia_client_get_room (client);

  tertulia_chat_page_set_client (self->chat_page, client);
  tertulia_chat_page_set_share_port (self->chat_page, tertulia_session_get_port (session));
  tertulia_share_popover_set_password_required (get_share_popover (self),
                                                tertulia_session_get_password_required (session));
  tertulia_share_popover_set_fingerprint (get_share_popover (self),
                                          tertulia_session_get_fingerprint (session));

  self->room = g_object_ref (room);
  g_signal_connect_object (room, "notify::you",
                           G_CALLBACK (room_you_changed_cb), self, G_CONNECT_SWAPPED);
  room_you_changed_cb (self);

  self->title_binding = g_object_bind_property (room, "name", self, "title",
                                                G_BINDING_SYNC_CREATE);

  application = gtk_window_get_application (GTK_WINDOW (self));
  if (application != NULL)
    {
      guint id = gtk_application_window_get_id (GTK_APPLICATION_WINDOW (self));
      g_autofree char *notification_id = g_strdup_printf ("room-%u", id);

      self->notifier = tertulia_notifier_new (G_APPLICATION (application), notification_id, id);
      g_settings_bind (self->settings, "notification-mode",
                       self->notifier, "mode",
                       G_SETTINGS_BIND_GET);
      tertulia_notifier_set_window_active (self->notifier, gtk_window_is_active (GTK_WINDOW (self)));
      /* Set once the welcome is in: its history is not news. */
      tertulia_notifier_set_room (self->notifier, room);
    }

  gtk_stack_set_visible_child_name (self->stack, "chat");
  update_actions (self);
  tertulia_chat_page_focus_entry (self->chat_page);
}

void
tertulia_window_leave (TertuliaWindow *self)
{
  g_autoptr(TertuliaSession) session = NULL;

  g_return_if_fail (TERTULIA_IS_WINDOW (self));

  session = g_steal_pointer (&self->session);
  if (session == NULL)
    return;

  if (self->title_binding != NULL)
    {
      g_binding_unbind (self->title_binding);
      self->title_binding = NULL;
    }
  gtk_window_set_title (GTK_WINDOW (self), _("Tertulia"));

  if (self->notifier != NULL)
    {
      g_settings_unbind (self->notifier, "mode");
      tertulia_notifier_set_room (self->notifier, NULL);
      g_clear_object (&self->notifier);
    }

  watch_you (self, NULL);
  if (self->room != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->room, room_you_changed_cb, self);
      g_clear_object (&self->room);
    }

  tertulia_chat_page_set_client (self->chat_page, NULL);
  tertulia_chat_page_set_share_port (self->chat_page, 0);
  tertulia_share_popover_set_password_required (get_share_popover (self), FALSE);
  tertulia_share_popover_set_fingerprint (get_share_popover (self), NULL);

  /* Ends the room for everyone when hosting: the caller has asked. */
  tertulia_session_end (session);

  tertulia_start_page_reset (self->start_page);
  gtk_stack_set_visible_child_name (self->stack, "start");
  update_actions (self);
}

static void
session_ready_cb (TertuliaWindow  *self,
                  TertuliaSession *session)
{
  tertulia_window_set_session (self, session);
}

static gboolean
close_after_confirm_cb (gpointer user_data)
{
  g_autoptr(TertuliaWindow) self = user_data;

  self->close_confirmed = TRUE;
  gtk_window_close (GTK_WINDOW (self));

  return G_SOURCE_REMOVE;
}

static void
confirm_response_cb (TertuliaWindow   *self,
                     const char       *response,
                     AdwMessageDialog *dialog)
{
  gboolean closing = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "tertulia-closing"));

  /* The dialog closes itself after answering. */
  if (self->confirm_dialog == GTK_WIDGET (dialog))
    {
      g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *)&self->confirm_dialog);
      self->confirm_dialog = NULL;
    }

  if (g_strcmp0 (response, "leave") != 0)
    return;

  /* Closing destroys the dialog too: let it finish its response first. */
  if (closing)
    {
      g_idle_add (close_after_confirm_cb, g_object_ref (self));
    }
  else
    {
      tertulia_window_leave (self);
    }
}

/* Leaving a room you host closes it for everyone: ask first. */
static void
confirm_end_room (TertuliaWindow *self,
                  gboolean        closing)
{
  TertuliaRoom *room = tertulia_client_get_room (tertulia_session_get_client (self->session));
  const char *name = tertulia_room_get_name (room);
  GtkWidget *dialog;

  if (self->confirm_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->confirm_dialog));
      return;
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Close the Room?"), NULL);
  /* The body is plain text; the room name comes from the server. */
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  /* Translators: %s is the room's name */
                                  _("You are hosting “%s”. Leaving closes the room for everyone in it."),
                                  name != NULL ? name : "");
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Stay"),
                                    "leave", _("_Close Room"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog),
                                              "leave", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  g_object_set_data (G_OBJECT (dialog), "tertulia-closing", GINT_TO_POINTER (closing));
  g_signal_connect_object (dialog, "response",
                           G_CALLBACK (confirm_response_cb), self, G_CONNECT_SWAPPED);

  self->confirm_dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *)&self->confirm_dialog);

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
leave_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  TertuliaWindow *self = TERTULIA_WINDOW (widget);

  if (self->session == NULL)
    return;

  if (tertulia_session_is_hosting (self->session))
    confirm_end_room (self, FALSE);
  else
    tertulia_window_leave (self);
}

static void
focus_entry_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  TertuliaWindow *self = TERTULIA_WINDOW (widget);

  tertulia_chat_page_focus_entry (self->chat_page);
}

static void
save_window_state (TertuliaWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
}

static gboolean
tertulia_window_close_request (GtkWindow *window)
{
  TertuliaWindow *self = TERTULIA_WINDOW (window);

  if (self->session != NULL &&
      tertulia_session_is_hosting (self->session) &&
      !self->close_confirmed)
    {
      confirm_end_room (self, TRUE);
      return TRUE;
    }

  save_window_state (self);
  tertulia_window_leave (self);

  return GTK_WINDOW_CLASS (tertulia_window_parent_class)->close_request (window);
}

static void
tertulia_window_dispose (GObject *object)
{
  TertuliaWindow *self = (TertuliaWindow *)object;

  if (self->session != NULL)
    tertulia_window_leave (self);

  if (self->confirm_dialog != NULL)
    {
      GtkWidget *dialog = self->confirm_dialog;

      g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *)&self->confirm_dialog);
      self->confirm_dialog = NULL;
      gtk_window_destroy (GTK_WINDOW (dialog));
    }

  g_clear_object (&self->notifier);
  g_clear_object (&self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (self), TERTULIA_TYPE_WINDOW);

  G_OBJECT_CLASS (tertulia_window_parent_class)->dispose (object);
}

static void
tertulia_window_class_init (TertuliaWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = tertulia_window_dispose;

  window_class->close_request = tertulia_window_close_request;

  g_type_ensure (TERTULIA_TYPE_START_PAGE);
  g_type_ensure (TERTULIA_TYPE_CHAT_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tertulia/Tertulia/tertulia-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TertuliaWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TertuliaWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, TertuliaWindow, start_page);
  gtk_widget_class_bind_template_child (widget_class, TertuliaWindow, chat_page);
  gtk_widget_class_bind_template_callback (widget_class, session_ready_cb);

  gtk_widget_class_install_action (widget_class, "win.leave", NULL, leave_action);
  gtk_widget_class_install_action (widget_class, "win.focus-entry", NULL, focus_entry_action);
}

static void
tertulia_window_init (TertuliaWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  tertulia_a11y_fix_names (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_signal_connect (self, "notify::is-active", G_CALLBACK (is_active_changed_cb), NULL);
  g_signal_connect_object (self->chat_page, "notify::conversation",
                           G_CALLBACK (shown_conversation_changed_cb), self, G_CONNECT_SWAPPED);

  update_actions (self);
}

TertuliaWindow *
tertulia_window_new (GtkApplication *application)
{
  g_return_val_if_fail (!application || GTK_IS_APPLICATION (application), NULL);

  return g_object_new (TERTULIA_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

TertuliaSession *
tertulia_window_get_session (TertuliaWindow *self)
{
  g_return_val_if_fail (TERTULIA_IS_WINDOW (self), NULL);

  return self->session;
}

TertuliaStartPage *
_tertulia_window_get_start_page (TertuliaWindow *self)
{
  return self->start_page;
}

TertuliaChatPage *
_tertulia_window_get_chat_page (TertuliaWindow *self)
{
  return self->chat_page;
}

GtkWidget *
_tertulia_window_get_confirm_dialog (TertuliaWindow *self)
{
  return self->confirm_dialog;
}

TertuliaNotifier *
_tertulia_window_get_notifier (TertuliaWindow *self)
{
  return self->notifier;
}

const char *
_tertulia_window_get_page_name (TertuliaWindow *self)
{
  return gtk_stack_get_visible_child_name (self->stack);
}

/* tertulia-application.c — the app: actions, shortcuts, windows
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-application"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib-unix.h>

#include "tertulia-application.h"
#include "tertulia-preferences-window.h"
#include "tertulia-window.h"

struct _TertuliaApplication
{
  AdwApplication parent_instance;

  guint          sigterm_id;
  guint          sigint_id;
  guint          quit_id;
};

G_DEFINE_FINAL_TYPE (TertuliaApplication, tertulia_application, ADW_TYPE_APPLICATION)

GtkWindow *
tertulia_application_new_window (TertuliaApplication *self)
{
  TertuliaWindow *window;

  g_return_val_if_fail (TERTULIA_IS_APPLICATION (self), NULL);

  window = tertulia_window_new (GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (window));

  return GTK_WINDOW (window);
}

static void
tertulia_application_activate (GApplication *application)
{
  TertuliaApplication *self = TERTULIA_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window != NULL)
    gtk_window_present (window);
  else
    tertulia_application_new_window (self);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  TertuliaApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));
  g_autoptr(GList) copy = g_list_copy (windows);

  /* Closing (rather than quitting outright) lets a window that hosts a
   * room ask first; the app ends with its last window.
   */
  for (GList *l = copy; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
}

static void
new_window_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  tertulia_application_new_window (TERTULIA_APPLICATION (user_data));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  TertuliaApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *preferences = tertulia_preferences_window_new ();

  gtk_window_set_transient_for (GTK_WINDOW (preferences), parent);
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  TertuliaApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char *developers[] = { "The Tertulia developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "application-name", _("Tertulia"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("The Tertulia developers"),
                        "developers", developers,
                        "copyright", "© 2026 The Tertulia developers",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "comments", _("Chat with the people around you: host a room "
                                      "on your computer, and everyone on the same "
                                      "network can join."),
                        /* Translators: put your names here, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);

  gtk_window_present (GTK_WINDOW (about));
}

static void
present_window_action (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  TertuliaApplication *self = user_data;
  guint id = g_variant_get_uint32 (parameter);
  GtkWindow *window = gtk_application_get_window_by_id (GTK_APPLICATION (self), id);

  /* The window may be gone; then any window will do. */
  if (window == NULL)
    window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window != NULL)
    gtk_window_present (window);
  else
    tertulia_application_new_window (self);
}

/* A private message's notification: its window, showing that
 * conversation
 */
static void
present_conversation_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  TertuliaApplication *self = user_data;
  guint id;
  gint64 peer_id;
  GtkWindow *window;

  g_variant_get (parameter, "(ux)", &id, &peer_id);
  window = gtk_application_get_window_by_id (GTK_APPLICATION (self), id);

  if (window == NULL)
    {
      present_window_action (action, g_variant_new_uint32 (id), self);
      return;
    }

  if (TERTULIA_IS_WINDOW (window))
    _tertulia_chat_page_show_conversation_by_id (_tertulia_window_get_chat_page (TERTULIA_WINDOW (window)),
                                                 peer_id);
  gtk_window_present (window);
}

/* Ending the app from outside */

/* Every window leaves its room now, without asking: a room we host closes
 * with "The host closed the room" for everyone in it, rather than leaving
 * them retrying a connection that was lost.
 */
static void
close_rooms (TertuliaApplication *self)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));
  g_autoptr(GList) copy = g_list_copy (windows);

  for (GList *l = copy; l != NULL; l = l->next)
    if (TERTULIA_IS_WINDOW (l->data) && tertulia_window_get_session (l->data) != NULL)
      tertulia_window_leave (l->data);
}

static gboolean
quit_cb (gpointer user_data)
{
  TertuliaApplication *self = user_data;

  self->quit_id = 0;
  g_application_quit (G_APPLICATION (self));

  return G_SOURCE_REMOVE;
}

/* SIGTERM (logout, shutdown, kill) and SIGINT (Ctrl+C in a terminal). */
static gboolean
quit_signal_cb (gpointer user_data)
{
  TertuliaApplication *self = user_data;

  g_debug ("Asked to quit by a signal: closing the rooms first");

  close_rooms (self);

  /* The close frames go out in the next iterations of the main loop; a
   * moment is plenty on a LAN.
   */
  if (self->quit_id == 0)
    self->quit_id = g_timeout_add (300, quit_cb, self);

  return G_SOURCE_CONTINUE;
}

/* The session is ending (with register-session): close rooms cleanly
 * while the network is still there.
 */
static void
query_end_cb (TertuliaApplication *self)
{
  g_debug ("The session is ending: closing the rooms");

  close_rooms (self);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "new-window", new_window_action },
  { "preferences", preferences_action },
  { "about", about_action },
  { "present-window", present_window_action, "u" },
  { "present-conversation", present_conversation_action, "(ux)" },
};

static void
tertulia_application_startup (GApplication *application)
{
  TertuliaApplication *self = TERTULIA_APPLICATION (application);
  GtkApplication *gtk_application = GTK_APPLICATION (application);
  static const struct {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.new-window", { "<Control>n", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "window.close", { "<Control>w", NULL } },
    { "win.focus-entry", { "<Control>l", NULL } },
    { "win.show-help-overlay", { "<Control>question", NULL } },
  };

  G_APPLICATION_CLASS (tertulia_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (application),
                                   app_actions, G_N_ELEMENTS (app_actions),
                                   application);

  /* Every shortcut in one place. */
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (gtk_application, accels[i].action, accels[i].accels);

  self->sigterm_id = g_unix_signal_add (SIGTERM, quit_signal_cb, self);
  self->sigint_id = g_unix_signal_add (SIGINT, quit_signal_cb, self);
  g_signal_connect (self, "query-end", G_CALLBACK (query_end_cb), NULL);

  /* Dark mode follows the system. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_DEFAULT);
}

static void
tertulia_application_shutdown (GApplication *application)
{
  TertuliaApplication *self = TERTULIA_APPLICATION (application);

  g_clear_handle_id (&self->sigterm_id, g_source_remove);
  g_clear_handle_id (&self->sigint_id, g_source_remove);
  g_clear_handle_id (&self->quit_id, g_source_remove);

  G_APPLICATION_CLASS (tertulia_application_parent_class)->shutdown (application);
}

static void
tertulia_application_class_init (TertuliaApplicationClass *klass)
{
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  application_class->activate = tertulia_application_activate;
  application_class->startup = tertulia_application_startup;
  application_class->shutdown = tertulia_application_shutdown;
}

static void
tertulia_application_init (TertuliaApplication *self)
{
}

TertuliaApplication *
tertulia_application_new (void)
{
  return g_object_new (TERTULIA_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/tertulia/Tertulia",
                       /* for query-end, when the session ends */
                       "register-session", TRUE,
                       NULL);
}

/* ui-test-utils.h — helpers shared by the UI tests
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <signal.h>
#include <stdarg.h>
#include <sys/prctl.h>

#include <adwaita.h>

#include "tertulia-test-utils.h"
#include "tertulia-application.h"
#include "tertulia-client.h"
#include "tertulia-message-row.h"
#include "tertulia-window.h"

/* The notification_daemon template of python3-dbusmock, started on the
 * private session bus by run-ui-test.sh --notification-daemon.
 */
#define MOCK_BUS_NAME  "org.freedesktop.Notifications"
#define MOCK_PATH      "/org/freedesktop/Notifications"
#define MOCK_INTERFACE "org.freedesktop.DBus.Mock"

static inline GtkWidget *
ui_test_find_widget (GtkWidget *root,
                     gboolean (*match) (GtkWidget *widget, gconstpointer data),
                     gconstpointer data)
{
  if (match (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = ui_test_find_widget (child, match, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static inline gboolean
ui_test_row_text_matches (GtkWidget     *widget,
                          gconstpointer  data)
{
  TertuliaMessageText *text;

  if (!TERTULIA_IS_MESSAGE_ROW (widget) || !gtk_widget_get_mapped (widget))
    return FALSE;

  text = _tertulia_message_row_get_text (TERTULIA_MESSAGE_ROW (widget));

  return g_strcmp0 (tertulia_message_text_get_text (text), data) == 0;
}

/* @text without the invisible isolates (U+2066, U+2069) that set links
 * apart from the bidi controls around them.
 */
static inline char *
ui_test_dup_without_isolates (const char *text)
{
  GString *out = g_string_new (text);

  g_string_replace (out, "\xe2\x81\xa6", "", 0);
  g_string_replace (out, "\xe2\x81\xa9", "", 0);

  return g_string_free (out, FALSE);
}

/* The row on screen whose message text is exactly @text, or NULL. */
static inline TertuliaMessageRow *
ui_test_find_row (TertuliaWindow *window,
                  const char     *text)
{
  GtkWidget *view = GTK_WIDGET (_tertulia_chat_page_get_message_view (_tertulia_window_get_chat_page (window)));

  return (TertuliaMessageRow *)ui_test_find_widget (view, ui_test_row_text_matches, text);
}

static inline gboolean
ui_test_label_text_matches (GtkWidget     *widget,
                            gconstpointer  data)
{
  return GTK_IS_LABEL (widget) &&
         gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), data) == 0;
}

static inline GtkLabel *
ui_test_find_label (GtkWidget  *root,
                    const char *text)
{
  return (GtkLabel *)ui_test_find_widget (root, ui_test_label_text_matches, text);
}

/* The message in @model whose text is @text (borrowed), or NULL. */
static inline TertuliaMessage *
ui_test_find_message (GListModel *model,
                      const char *text)
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TertuliaMessage) message = g_list_model_get_item (model, i);

      if (g_strcmp0 (tertulia_message_get_text (message), text) == 0)
        return message;  /* the model keeps it alive */
    }

  return NULL;
}

/* The row of the start page's network list titled @title, or NULL. */
static inline AdwActionRow *
ui_test_find_lan_row (TertuliaWindow *window,
                      const char     *title)
{
  GtkListBox *list = _tertulia_start_page_get_lan_list (_tertulia_window_get_start_page (window));

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (ADW_IS_ACTION_ROW (child) &&
          g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)), title) == 0)
        return ADW_ACTION_ROW (child);
    }

  return NULL;
}

static inline void
ui_test_connect_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GError **error = user_data;

  if (!tertulia_client_connect_finish (TERTULIA_CLIENT (object), result, error))
    g_assert_nonnull (*error);
}

/* A core client in the room at @address, connected. */
static inline TertuliaClient *
ui_test_join (const char *address,
              const char *nickname)
{
  g_autoptr(TertuliaClient) client = tertulia_client_new (address, nickname);
  g_autoptr(GError) error = NULL;

  tertulia_client_connect_async (client, NULL, ui_test_connect_cb, &error);
  WAIT_UNTIL (error != NULL ||
              tertulia_client_get_state (client) == TERTULIA_CONNECTION_CONNECTED);
  g_assert_no_error (error);

  return g_steal_pointer (&client);
}

static inline void
ui_test_leave (TertuliaClient *client)
{
  tertulia_client_disconnect (client);
  g_object_unref (client);
}

/* GTK 4.8's tooltip timer can outlive the window it was started for and
 * then asks a destroyed surface where the pointer is: a critical from GDK
 * about one of its own, harmless, and seen about once in eight runs under
 * load. Only that message is let through; every other warning stays fatal.
 */
static inline gboolean
ui_test_fatal_log_cb (const char     *log_domain,
                      GLogLevelFlags  log_level,
                      const char     *message,
                      gpointer        user_data)
{
  return !(g_strcmp0 (log_domain, "Gdk") == 0 &&
           g_strcmp0 (message, "gdk_surface_get_device_position: assertion 'GDK_IS_SURFACE (surface)' failed") == 0);
}

/* The application the tests' windows belong to, registered on the
 * private session bus so that notifications can be sent.
 */
static inline TertuliaApplication *
ui_test_application_new (void)
{
  g_autoptr(TertuliaApplication) app = NULL;
  g_autoptr(GError) error = NULL;

  g_test_log_set_fatal_handler (ui_test_fatal_log_cb, NULL);
  app = tertulia_application_new ();

  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_application_get_is_remote (G_APPLICATION (app)));

  return g_steal_pointer (&app);
}

/* A window whose life the test checks: we hold the last reference once
 * GTK lets go of it in ui_test_destroy_window().
 */
static inline TertuliaWindow *
ui_test_window_new (TertuliaApplication *app)
{
  TertuliaWindow *window;

  /* Each test hosts a room of its own, never the one an earlier test kept. */
  {
    g_autoptr(GSettings) settings = g_settings_new ("io.github.tertulia.Tertulia");

    g_settings_set_string (settings, "hosted-room", "");
  }

  window = tertulia_window_new (GTK_APPLICATION (app));

  g_object_ref (window);
  gtk_window_present (GTK_WINDOW (window));
  /* Mapped, and laid out at its size: rows exist and scroll. */
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)) &&
              gtk_widget_get_height (GTK_WIDGET (window)) > 0);

  return window;
}

static inline void
ui_test_destroy_window (TertuliaWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  /* Let pending frames and idles that hold the window run out. */
  tertulia_test_spin (100);
  g_assert_finalize_object (window);
}

/* A GSpawnChildSetupFunc: should the test crash, the server goes too (and
 * does not keep the test harness waiting on its output).
 */
static inline void
ui_test_die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* Starts `tertulia-server --port 0 --bind 127.0.0.1` with the options
 * after @address (NULL-terminated), and reads from what it prints which
 * port it got: *@address is "127.0.0.1:PORT".
 */
static inline GSubprocess *
ui_test_start_server (char **address,
                      ...)
{
  const char *server_path = g_getenv ("TERTULIA_SERVER");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GRegex) regex = g_regex_new ("port (\\d+)", 0, 0, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *port = NULL;
  GSubprocess *server;
  const char *arg;
  va_list args;

  g_assert_nonnull (server_path);
  g_ptr_array_add (argv, (char *) server_path);
  g_ptr_array_add (argv, (char *) "--port");
  g_ptr_array_add (argv, (char *) "0");
  g_ptr_array_add (argv, (char *) "--bind");
  g_ptr_array_add (argv, (char *) "127.0.0.1");
  va_start (args, address);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, ui_test_die_with_parent, NULL, NULL);
  server = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  while (port == NULL)
    {
      g_autoptr(GMatchInfo) match = NULL;
      g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      if (g_regex_match (regex, line, 0, &match))
        port = g_match_info_fetch (match, 1);
    }

  *address = g_strdup_printf ("127.0.0.1:%s", port);

  return server;
}

/* Ends a server from ui_test_start_server() as Ctrl+C would */
static inline void
ui_test_stop_server (GSubprocess **server)
{
  g_subprocess_send_signal (*server, SIGTERM);
  g_subprocess_wait (*server, NULL, NULL);
  g_clear_object (server);
}

/* Mock notification daemon */

static inline GDBusConnection *
ui_test_session_bus (void)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);

  g_assert_no_error (error);

  return bus;
}

/* The mock daemon numbers notifications 1, 2, … for its whole life; we
 * count them so that a test can "click" the last one.
 */
static guint ui_test_issued_ids;
static guint ui_test_counted_calls;

/* The calls of @method the daemon got, as their argument tuples. */
static inline GPtrArray *
ui_test_mock_get_calls (const char *method)
{
  g_autoptr(GDBusConnection) bus = ui_test_session_bus ();
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariantIter) iter = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *calls = g_ptr_array_new_with_free_func ((GDestroyNotify)g_variant_unref);
  const char *name;
  GVariant *args;
  guint64 timestamp;
  guint n_notify = 0;

  /* The notifications are sent asynchronously: make sure they are out. */
  g_dbus_connection_flush_sync (bus, NULL, NULL);

  reply = g_dbus_connection_call_sync (bus, MOCK_BUS_NAME, MOCK_PATH, MOCK_INTERFACE,
                                       "GetCalls", NULL, G_VARIANT_TYPE ("(a(tsav))"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);

  g_variant_get (reply, "(a(tsav))", &iter);
  while (g_variant_iter_next (iter, "(t&s@av)", &timestamp, &name, &args))
    {
      if (g_strcmp0 (name, "Notify") == 0 && n_notify++ >= ui_test_counted_calls)
        {
          g_autoptr(GVariant) boxed = g_variant_get_child_value (args, 1);
          g_autoptr(GVariant) replaces = g_variant_get_variant (boxed);

          if (g_variant_get_uint32 (replaces) == 0)
            ui_test_issued_ids++;
          ui_test_counted_calls++;
        }

      if (g_strcmp0 (name, method) == 0)
        g_ptr_array_add (calls, args);
      else
        g_variant_unref (args);
    }

  return calls;
}

static inline void
ui_test_mock_clear_calls (void)
{
  g_autoptr(GDBusConnection) bus = ui_test_session_bus ();
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_unref (ui_test_mock_get_calls ("Notify"));

  reply = g_dbus_connection_call_sync (bus, MOCK_BUS_NAME, MOCK_PATH, MOCK_INTERFACE,
                                       "ClearCalls", NULL, NULL,
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  ui_test_counted_calls = 0;
}

/* As if the person clicked the last notification shown. */
static inline void
ui_test_mock_click_last (void)
{
  g_autoptr(GDBusConnection) bus = ui_test_session_bus ();
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  GVariantBuilder args;

  g_autoptr(GVariant) added = NULL;
  guint32 last_id;

  /* Counting the calls misses some when notifications cross (a mention's
   * and a summary's): ask the daemon which number it gave last.
   */
  g_dbus_connection_flush_sync (bus, NULL, NULL);
  added = g_dbus_connection_call_sync (bus, MOCK_BUS_NAME, MOCK_PATH, MOCK_INTERFACE,
                                       "AddMethod",
                                       g_variant_new ("(sssss)", "org.freedesktop.Notifications",
                                                      "TertuliaLastId", "", "u",
                                                      "ret = self.next_id - 1"),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, MOCK_BUS_NAME, MOCK_PATH, "org.freedesktop.Notifications",
                                       "TertuliaLastId", NULL, G_VARIANT_TYPE ("(u)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &last_id);
  g_clear_pointer (&reply, g_variant_unref);
  g_assert_cmpuint (last_id, >, 0);

  g_variant_builder_init (&args, G_VARIANT_TYPE ("av"));
  g_variant_builder_add (&args, "v", g_variant_new_uint32 (last_id));
  g_variant_builder_add (&args, "v", g_variant_new_string ("default"));

  reply = g_dbus_connection_call_sync (bus, MOCK_BUS_NAME, MOCK_PATH, MOCK_INTERFACE,
                                       "EmitSignal",
                                       g_variant_new ("(sssav)", "org.freedesktop.Notifications",
                                                      "ActionInvoked", "us", &args),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
}

/* Notify (app_name, replaces_id, icon, summary, body, actions, hints, timeout) */
static inline char *
ui_test_notify_call_dup_string (GVariant *args,
                                guint     index)
{
  g_autoptr(GVariant) boxed = g_variant_get_child_value (args, index);
  g_autoptr(GVariant) value = g_variant_get_variant (boxed);

  return g_variant_dup_string (value, NULL);
}

/* test-window-signal.c — the app ended from outside while it hosts a room
 *
 * SIGTERM (logout, shutdown), SIGINT and the end of the desktop session
 * close a hosted room cleanly, so guests are told the host closed it
 * rather than retrying a lost connection; while it hosts, the app asks
 * the session manager not to log out or suspend.
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>

#include "ui-test-utils.h"
#include "tertulia-start-page.h"

/* A stand-in org.gnome.SessionManager on the private session bus. GTK
 * calls it synchronously from the main thread, so it answers from a
 * thread of its own.
 */
typedef struct
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  GMutex        lock;
  GPtrArray    *calls;   /* "Inhibit 5 A room is being hosted", "Uninhibit 42" */
  gint          ready;
} FakeSessionManager;

static const char fake_sm_xml[] =
  "<node>"
  "  <interface name='org.gnome.SessionManager'>"
  "    <method name='RegisterClient'>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='o' direction='out'/>"
  "    </method>"
  "    <method name='Inhibit'>"
  "      <arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "      <arg type='u' direction='out'/>"
  "    </method>"
  "    <method name='Uninhibit'><arg type='u' direction='in'/></method>"
  "  </interface>"
  "</node>";

static TertuliaApplication *app;
static FakeSessionManager sm;

static void
fake_sm_method_cb (GDBusConnection       *connection,
                   const char            *sender,
                   const char            *path,
                   const char            *interface,
                   const char            *method,
                   GVariant              *parameters,
                   GDBusMethodInvocation *invocation,
                   gpointer               user_data)
{
  char *call = NULL;

  if (g_str_equal (method, "RegisterClient"))
    {
      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(o)", "/org/gnome/SessionManager/Client1"));
      return;
    }

  if (g_str_equal (method, "Inhibit"))
    {
      const char *reason;
      guint flags;

      g_variant_get (parameters, "(&su&su)", NULL, NULL, &reason, &flags);
      call = g_strdup_printf ("Inhibit %u %s", flags, reason);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", 42));
    }
  else
    {
      guint cookie;

      g_variant_get (parameters, "(u)", &cookie);
      call = g_strdup_printf ("Uninhibit %u", cookie);
      g_dbus_method_invocation_return_value (invocation, NULL);
    }

  g_mutex_lock (&sm.lock);
  g_ptr_array_add (sm.calls, call);
  g_mutex_unlock (&sm.lock);
}

static const GDBusInterfaceVTable fake_sm_vtable = { fake_sm_method_cb, NULL, NULL, { 0 } };

static gpointer
fake_sm_thread (gpointer data)
{
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (fake_sm_xml, NULL);
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *address = NULL;
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (sm.context);

  address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  bus = g_dbus_connection_new_for_address_sync (address,
                                                G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                NULL, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (bus, "/org/gnome/SessionManager", info->interfaces[0],
                                     &fake_sm_vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.gnome.SessionManager", 4),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, &error);
  g_assert_no_error (error);

  g_atomic_int_set (&sm.ready, 1);
  g_main_loop_run (sm.loop);

  g_dbus_connection_close_sync (bus, NULL, NULL);
  g_main_context_pop_thread_default (sm.context);

  return NULL;
}

static void
fake_sm_start (void)
{
  g_mutex_init (&sm.lock);
  sm.calls = g_ptr_array_new_with_free_func (g_free);
  sm.context = g_main_context_new ();
  sm.loop = g_main_loop_new (sm.context, FALSE);
  sm.thread = g_thread_new ("fake-session-manager", fake_sm_thread, NULL);
  WAIT_UNTIL (g_atomic_int_get (&sm.ready));
}

static void
fake_sm_stop (void)
{
  g_main_loop_quit (sm.loop);
  g_thread_join (sm.thread);
  g_clear_pointer (&sm.loop, g_main_loop_unref);
  g_clear_pointer (&sm.context, g_main_context_unref);
  g_clear_pointer (&sm.calls, g_ptr_array_unref);
  g_mutex_clear (&sm.lock);
}

static guint
fake_sm_count (const char *call)
{
  guint n = 0;

  g_mutex_lock (&sm.lock);
  for (guint i = 0; i < sm.calls->len; i++)
    if (g_str_equal (g_ptr_array_index (sm.calls, i), call))
      n++;
  g_mutex_unlock (&sm.lock);

  return n;
}

typedef struct
{
  TertuliaWindow *window;
  TertuliaClient *guest;
  char           *address;
} Fixture;

static void
session_connected_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (tertulia_session_connect_finish (TERTULIA_SESSION (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

/* The window hosts a room, and a guest is in it; the host said a few
 * things (a guest saying them would make the app notify, and these tests
 * have no notification daemon).
 */
static void
host_with_guest (Fixture *fixture)
{
  g_autoptr(TertuliaSession) session = NULL;
  g_autoptr(GError) error = NULL;
  guint port = tertulia_find_free_port (20000, 40000);
  gboolean done = FALSE;

  session = tertulia_session_new_host ("Test room", "hostie", port, &error);
  g_assert_no_error (error);
  tertulia_session_connect_async (session, NULL, session_connected_cb, &done);
  WAIT_UNTIL (done);
  tertulia_window_set_session (fixture->window, session);

  fixture->address = g_strdup_printf ("127.0.0.1:%u", port);
  fixture->guest = ui_test_join (fixture->address, "guest");

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *text = g_strdup_printf ("said %u", i);

      tertulia_client_send_message (tertulia_session_get_client (session),
                                    TERTULIA_MESSAGE_KIND_CHAT, text, NULL);
    }
  WAIT_UNTIL (ui_test_find_message (tertulia_room_get_messages (tertulia_client_get_room (fixture->guest)),
                                    "said 4") != NULL);
}

/* The guest was told the host closed the room (not that the connection
 * was lost), and has what the host said, each message once.
 */
static void
assert_guest_told_room_closed (Fixture *fixture)
{
  GListModel *messages = tertulia_room_get_messages (tertulia_client_get_room (fixture->guest));

  WAIT_UNTIL (tertulia_client_get_state (fixture->guest) == TERTULIA_CONNECTION_RECONNECTING);
  g_assert_cmpstr (tertulia_client_get_state_reason (fixture->guest), ==, "The host closed the room.");

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *text = g_strdup_printf ("said %u", i);
      guint n = 0;

      for (guint j = 0; j < g_list_model_get_n_items (messages); j++)
        {
          g_autoptr(TertuliaMessage) message = g_list_model_get_item (messages, j);

          if (g_strcmp0 (tertulia_message_get_text (message), text) == 0)
            {
              g_assert_cmpint (tertulia_message_get_state (message), ==, TERTULIA_MESSAGE_STATE_DELIVERED);
              n++;
            }
        }
      g_assert_cmpuint (n, ==, 1);
    }
}

static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  fixture->window = ui_test_window_new (app);
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  g_clear_pointer (&fixture->guest, ui_test_leave);
  if (tertulia_window_get_session (fixture->window) != NULL)
    tertulia_window_leave (fixture->window);
  ui_test_destroy_window (fixture->window);
  g_clear_pointer (&fixture->address, g_free);
}

static void
test_inhibit_while_hosting (Fixture       *fixture,
                            gconstpointer  data)
{
  /* logout (1) and suspend (4), with a reason the desktop shows */
  g_assert_cmpuint (fake_sm_count ("Inhibit 5 A room is being hosted"), ==, 0);
  host_with_guest (fixture);
  g_assert_cmpuint (fake_sm_count ("Inhibit 5 A room is being hosted"), ==, 1);
  g_assert_cmpuint (fake_sm_count ("Uninhibit 42"), ==, 0);

  /* A guest's window does not ask. */
  {
    TertuliaWindow *other = ui_test_window_new (app);
    g_autoptr(TertuliaSession) session = tertulia_session_new_guest (fixture->address, "other");

    tertulia_window_set_session (other, session);
    tertulia_window_leave (other);
    ui_test_destroy_window (other);
  }
  g_assert_cmpuint (fake_sm_count ("Inhibit 5 A room is being hosted"), ==, 1);

  /* GTK uninhibits with an asynchronous D-Bus call. */
  tertulia_window_leave (fixture->window);
  WAIT_UNTIL (fake_sm_count ("Uninhibit 42") >= 1);
  g_assert_cmpuint (fake_sm_count ("Uninhibit 42"), ==, 1);
  assert_guest_told_room_closed (fixture);
}

static void
test_session_end (Fixture       *fixture,
                  gconstpointer  data)
{
  host_with_guest (fixture);

  g_signal_emit_by_name (app, "query-end");

  assert_guest_told_room_closed (fixture);
  g_assert_null (tertulia_window_get_session (fixture->window));
}

/* Last: the app quits after it. */
static void
test_sigterm (Fixture       *fixture,
              gconstpointer  data)
{
  host_with_guest (fixture);

  raise (SIGTERM);

  assert_guest_told_room_closed (fixture);
  g_assert_null (tertulia_window_get_session (fixture->window));
  WAIT_UNTIL (fake_sm_count ("Uninhibit 42") >= fake_sm_count ("Inhibit 5 A room is being hosted"));
  g_assert_cmpuint (fake_sm_count ("Uninhibit 42"), ==, fake_sm_count ("Inhibit 5 A room is being hosted"));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  /* Before the app starts: GTK looks for a session manager at startup. */
  fake_sm_start ();
  app = ui_test_application_new ();

  g_test_add ("/window/signal/inhibit-while-hosting", Fixture, NULL, setup, test_inhibit_while_hosting, teardown);
  g_test_add ("/window/signal/session-end", Fixture, NULL, setup, test_session_end, teardown);
  g_test_add ("/window/signal/sigterm", Fixture, NULL, setup, test_sigterm, teardown);

  ret = g_test_run ();

  g_clear_object (&app);
  fake_sm_stop ();

  return ret;
}

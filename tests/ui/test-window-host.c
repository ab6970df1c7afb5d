/* test-window-host.c — hosting from the window, and guests joining it
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ui-test-utils.h"
#include "tertulia-entry-row.h"
#include "tertulia-preferences-window.h"

static TertuliaApplication *app;

typedef struct
{
  TertuliaWindow  *window;
  TertuliaClient  *guest;
  char            *address;
  char            *entry_text;
} Fixture;

static TertuliaChatPage *
chat_page (Fixture *fixture)
{
  return _tertulia_window_get_chat_page (fixture->window);
}

static TertuliaRoom *
host_room (Fixture *fixture)
{
  TertuliaSession *session = tertulia_window_get_session (fixture->window);

  return tertulia_client_get_room (tertulia_session_get_client (session));
}

/* Types @text in the chat entry and presses Enter. */
static void
type_and_send (Fixture    *fixture,
               const char *text)
{
  _tertulia_chat_page_set_entry_text (chat_page (fixture), text);
  tertulia_chat_page_submit (chat_page (fixture));
}

/* What the entry's key handler does with @keyval and @state. */
static gboolean
press_key (Fixture         *fixture,
           guint            keyval,
           GdkModifierType  state)
{
  GtkWidget *entry = GTK_WIDGET (_tertulia_chat_page_get_entry (chat_page (fixture)));
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (entry);
  gboolean handled = FALSE;
  guint n_keys = 0;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller) &&
          gtk_event_controller_get_propagation_phase (controller) == GTK_PHASE_CAPTURE)
        {
          g_signal_emit_by_name (controller, "key-pressed", keyval, 0, state, &handled);
          n_keys++;
        }
    }

  g_assert_cmpuint (n_keys, ==, 1);

  return handled;
}

static gboolean
press_tab (Fixture *fixture)
{
  return press_key (fixture, GDK_KEY_Tab, 0);
}


static const char *
entry_text (Fixture *fixture)
{
  g_free (fixture->entry_text);
  fixture->entry_text = _tertulia_chat_page_dup_entry_text (chat_page (fixture));

  return fixture->entry_text;
}

/* Hosts from the start page, the way a person does. */
static void
host_room_from_window (Fixture *fixture)
{
  TertuliaStartPage *start = _tertulia_window_get_start_page (fixture->window);
  guint port;

  gtk_editable_set_text (_tertulia_start_page_get_nickname_row (start), "hostie");
  gtk_editable_set_text (_tertulia_start_page_get_room_name_row (start), "Test room");
  port = tertulia_find_free_port (20000, 40000);
  g_assert_cmpuint (port, !=, 0);
  gtk_spin_button_set_value (_tertulia_start_page_get_port_spin (start), port);

  tertulia_start_page_host (start);
  WAIT_UNTIL (g_strcmp0 (_tertulia_window_get_page_name (fixture->window), "chat") == 0);

  g_assert_true (tertulia_session_is_hosting (tertulia_window_get_session (fixture->window)));
  fixture->address = g_strdup_printf ("127.0.0.1:%u",
                                      tertulia_session_get_port (tertulia_window_get_session (fixture->window)));
}

/* Enter sends; Shift+Enter is left to the text view, which makes a new
 * line; a message of several lines arrives as typed.
 */
static void
test_multiline (Fixture       *fixture,
                gconstpointer  data)
{
  TertuliaRoom *room;
  TertuliaMessage *sent;

  host_room_from_window (fixture);
  room = tertulia_client_get_room (tertulia_session_get_client (tertulia_window_get_session (fixture->window)));

  _tertulia_chat_page_set_entry_text (chat_page (fixture), "first line");
  g_assert_false (press_key (fixture, GDK_KEY_Return, GDK_SHIFT_MASK));
  g_assert_cmpstr (entry_text (fixture), ==, "first line");

  _tertulia_chat_page_set_entry_text (chat_page (fixture), "first line\nsecond line");
  g_assert_true (press_key (fixture, GDK_KEY_Return, 0));
  g_assert_cmpstr (entry_text (fixture), ==, "");
  WAIT_UNTIL ((sent = ui_test_find_message (tertulia_room_get_messages (room), "first line\nsecond line")) != NULL &&
              tertulia_message_get_state (sent) == TERTULIA_MESSAGE_STATE_DELIVERED);
}

static gboolean
is_title_label (GtkWidget     *widget,
                gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "title") &&
         g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), data) == 0;
}

/* At phone width the header still says the whole room name: it wraps
 * rather than being cut to "Test…".
 */
static void
test_narrow_header (Fixture       *fixture,
                    gconstpointer  data)
{
  const char *name = "Marta’s LAN Room";
  TertuliaStartPage *start = _tertulia_window_get_start_page (fixture->window);
  GtkLabel *title;
  guint port;

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 720);
  gtk_editable_set_text (_tertulia_start_page_get_room_name_row (start), name);
  port = tertulia_find_free_port (20000, 40000);
  gtk_spin_button_set_value (_tertulia_start_page_get_port_spin (start), port);
  tertulia_start_page_host (start);
  WAIT_UNTIL (g_strcmp0 (_tertulia_window_get_page_name (fixture->window), "chat") == 0);
  WAIT_UNTIL (gtk_widget_get_width (GTK_WIDGET (fixture->window)) <= 400);

  title = (GtkLabel *)ui_test_find_widget (GTK_WIDGET (chat_page (fixture)), is_title_label, name);
  g_assert_nonnull (title);
  tertulia_test_spin (100);
  g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (title)));
}

/* Near the limit the entry says how much is left, past it how much is
 * too much.
 */
static void
test_length_hint (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkLabel *hint;
  g_autofree char *near = g_strnfill (TERTULIA_MAX_TEXT_CHARS - 100, 'a');
  g_autofree char *over = g_strnfill (TERTULIA_MAX_TEXT_CHARS + 5, 'a');

  host_room_from_window (fixture);
  hint = _tertulia_chat_page_get_length_label (chat_page (fixture));

  _tertulia_chat_page_set_entry_text (chat_page (fixture), "hola");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (hint)));

  _tertulia_chat_page_set_entry_text (chat_page (fixture), near);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (hint)));
  g_assert_cmpstr (gtk_label_get_text (hint), ==, "100 characters left");

  _tertulia_chat_page_set_entry_text (chat_page (fixture), over);
  g_assert_cmpstr (gtk_label_get_text (hint), ==, "5 characters too many");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (hint), "error"));

  _tertulia_chat_page_set_entry_text (chat_page (fixture), "");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (hint)));
}

static gboolean
is_status_page (GtkWidget     *widget,
                gconstpointer  data)
{
  return ADW_IS_STATUS_PAGE (widget);
}

static gboolean
is_avatar_of (GtkWidget     *widget,
              gconstpointer  data)
{
  return ADW_IS_AVATAR (widget) && g_strcmp0 (adw_avatar_get_text (ADW_AVATAR (widget)), data) == 0;
}

/* A new room invites people in, until someone comes. */
static void
test_empty_room (Fixture       *fixture,
                 gconstpointer  data)
{
  GtkWidget *empty;
  TertuliaClient *guest;

  host_room_from_window (fixture);
  empty = ui_test_find_widget (GTK_WIDGET (chat_page (fixture)), is_status_page, NULL);
  g_assert_nonnull (empty);
  WAIT_UNTIL (gtk_widget_get_mapped (empty));
  g_assert_nonnull (ui_test_find_label (empty, "_Invite People") ?: ui_test_find_label (empty, "Invite People"));

  guest = ui_test_join (fixture->address, "luis");
  WAIT_UNTIL (!gtk_widget_get_visible (empty));

  /* The newcomer's avatar in the list has the colour of the name in the log. */
  {
    g_autofree char *color = g_strdup_printf ("nick-color-%u", tertulia_nick_color_index ("luis"));
    GtkWidget *avatar = NULL;

    WAIT_UNTIL ((avatar = ui_test_find_widget (GTK_WIDGET (chat_page (fixture)), is_avatar_of, "luis")) != NULL);
    g_assert_true (gtk_widget_has_css_class (avatar, color));
  }

  ui_test_leave (guest);
}

static char *
dup_host_room_id (Fixture *fixture)
{
  TertuliaSession *session = tertulia_window_get_session (fixture->window);

  return g_strdup (tertulia_room_get_id (tertulia_client_get_room (tertulia_session_get_client (session))));
}

static guint
count_hosted_rooms (void)
{
  g_autofree char *hosted = g_build_filename (g_get_user_data_dir (), "tertulia", "hosted", NULL);
  g_autoptr(GDir) dir = g_dir_open (hosted, 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;

  return n;
}

/* Hosting again offers the last room, which continues (its id, what was
 * said); the switch turned off starts a new one; with no history kept,
 * nothing is offered and nothing is written.
 */
static void
test_continue_last_room (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  TertuliaStartPage *start = _tertulia_window_get_start_page (fixture->window);
  GtkWidget *row = _tertulia_start_page_get_continue_row (start);
  g_autofree char *first_id = NULL;
  g_autofree char *again_id = NULL;
  g_autofree char *fresh_id = NULL;
  g_autofree char *memory_id = NULL;
  guint kept;

  g_assert_false (gtk_widget_get_visible (row));
  host_room_from_window (fixture);
  type_and_send (fixture, "said in the first room");
  {
    GListModel *messages = tertulia_room_get_messages (host_room (fixture));

    WAIT_UNTIL (ui_test_find_message (messages, "said in the first room") != NULL &&
                tertulia_message_get_state (ui_test_find_message (messages, "said in the first room")) ==
                TERTULIA_MESSAGE_STATE_DELIVERED);
  }
  first_id = dup_host_room_id (fixture);
  tertulia_window_leave (fixture->window);
  g_clear_pointer (&fixture->address, g_free);

  /* Offered, and on */
  g_assert_true (gtk_widget_get_visible (row));
  g_assert_true (gtk_switch_get_active (_tertulia_start_page_get_continue_switch (start)));
  host_room_from_window (fixture);
  again_id = dup_host_room_id (fixture);
  g_assert_cmpstr (again_id, ==, first_id);
  WAIT_UNTIL (ui_test_find_message (tertulia_room_get_messages (host_room (fixture)),
                                    "said in the first room") != NULL);
  tertulia_window_leave (fixture->window);
  g_clear_pointer (&fixture->address, g_free);

  /* Off: a new room */
  gtk_switch_set_active (_tertulia_start_page_get_continue_switch (start), FALSE);
  host_room_from_window (fixture);
  fresh_id = dup_host_room_id (fixture);
  g_assert_cmpstr (fresh_id, !=, first_id);
  g_assert_null (ui_test_find_message (tertulia_room_get_messages (host_room (fixture)),
                                       "said in the first room"));
  tertulia_window_leave (fixture->window);
  g_clear_pointer (&fixture->address, g_free);

  /* Keeping no history: nothing offered, nothing written */
  kept = count_hosted_rooms ();
  g_settings_set_boolean (settings, "keep-history", FALSE);
  g_assert_false (gtk_widget_get_visible (row));
  host_room_from_window (fixture);
  memory_id = dup_host_room_id (fixture);
  g_assert_cmpstr (memory_id, !=, fresh_id);
  g_assert_cmpuint (count_hosted_rooms (), ==, kept);
  tertulia_window_leave (fixture->window);
  g_assert_false (gtk_widget_get_visible (row));

  g_settings_reset (settings, "keep-history");
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

  /* Leaving without asking, then the window must go away entirely. */
  tertulia_window_leave (fixture->window);
  ui_test_destroy_window (fixture->window);
  g_clear_pointer (&fixture->address, g_free);
  g_clear_pointer (&fixture->entry_text, g_free);
}

static void
test_messages_both_ways (Fixture       *fixture,
                         gconstpointer  data)
{
  GListModel *messages;
  TertuliaMessage *message;
  TertuliaMessageRow *row;
  GListModel *guest_messages;

  host_room_from_window (fixture);
  messages = tertulia_room_get_messages (host_room (fixture));

  /* The host's window shows a Share button; the host is marked. */
  g_assert_true (gtk_widget_get_visible (_tertulia_chat_page_get_share_button (chat_page (fixture))));
  g_assert_true (tertulia_participant_get_is_host (tertulia_room_get_you (host_room (fixture))));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (fixture->window)), ==, "Test room");

  fixture->guest = ui_test_join (fixture->address, "guest");
  guest_messages = tertulia_room_get_messages (tertulia_client_get_room (fixture->guest));
  WAIT_UNTIL (tertulia_room_get_n_participants (host_room (fixture)) == 2);

  /* The header counts people; the sidebar lists them, host marked. */
  WAIT_UNTIL (ui_test_find_label (GTK_WIDGET (chat_page (fixture)), "2 participants") != NULL);
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (chat_page (fixture)), "guest"));
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (chat_page (fixture)), "host"));

  /* Host → guest */
  type_and_send (fixture, "hello from the host");
  g_assert_cmpstr (entry_text (fixture), ==, "");
  WAIT_UNTIL (ui_test_find_message (guest_messages, "hello from the host") != NULL);
  message = ui_test_find_message (messages, "hello from the host");
  g_assert_nonnull (message);
  g_assert_true (tertulia_message_get_is_own (message));
  WAIT_UNTIL (tertulia_message_get_state (message) == TERTULIA_MESSAGE_STATE_DELIVERED);
  WAIT_UNTIL ((row = ui_test_find_row (fixture->window, "hello from the host")) != NULL);
  g_assert_cmpstr (tertulia_message_header_get_author (_tertulia_message_row_get_header (row)), ==, "hostie");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row), "own"));
  WAIT_UNTIL (!gtk_widget_get_visible (GTK_WIDGET (_tertulia_message_row_get_status_label (row))));

  /* Guest → host */
  g_assert_nonnull (tertulia_client_send_message (fixture->guest, TERTULIA_MESSAGE_KIND_CHAT,
                                                  "hello from the guest, hostie", NULL));
  WAIT_UNTIL (ui_test_find_message (messages, "hello from the guest, hostie") != NULL);
  WAIT_UNTIL ((row = ui_test_find_row (fixture->window, "hello from the guest, hostie")) != NULL);
  g_assert_cmpstr (tertulia_message_header_get_author (_tertulia_message_row_get_header (row)), ==, "guest");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (row), "own"));
  /* It says the host's name: highlighted. */
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row), "mention"));

  /* /me from the window */
  type_and_send (fixture, "/me waves");
  WAIT_UNTIL (ui_test_find_message (guest_messages, "waves") != NULL);
  WAIT_UNTIL (ui_test_find_row (fixture->window, "* hostie waves") != NULL);
}

static void
test_markup_from_the_wire (Fixture       *fixture,
                           gconstpointer  data)
{
  const char *text = "<span size=\"90000\">x</span>";
  g_autoptr(TertuliaClient) evil = NULL;
  TertuliaMessageRow *row;
  GListModel *messages;

  host_room_from_window (fixture);
  messages = tertulia_room_get_messages (host_room (fixture));

  evil = ui_test_join (fixture->address, "<i>evil</i>");
  g_assert_nonnull (tertulia_client_send_message (evil, TERTULIA_MESSAGE_KIND_CHAT, text, NULL));

  WAIT_UNTIL (ui_test_find_message (messages, text) != NULL);
  /* The row shows the characters that were sent, not a huge "x". */
  WAIT_UNTIL ((row = ui_test_find_row (fixture->window, text)) != NULL);
  g_assert_cmpstr (tertulia_message_header_get_author (_tertulia_message_row_get_header (row)), ==, "<i>evil</i>");

  /* The participants sidebar and the join notice show the name as typed too. */
  WAIT_UNTIL (ui_test_find_label (GTK_WIDGET (chat_page (fixture)), "<i>evil</i>") != NULL);

  tertulia_client_disconnect (evil);
}

static void
test_commands (Fixture       *fixture,
               gconstpointer  data)
{
  GListModel *messages;
  guint n_before;

  host_room_from_window (fixture);
  messages = tertulia_room_get_messages (host_room (fixture));
  fixture->guest = ui_test_join (fixture->address, "ana");
  WAIT_UNTIL (tertulia_room_get_n_participants (host_room (fixture)) == 2);

  /* /list writes the participants into the log */
  n_before = g_list_model_get_n_items (messages);
  type_and_send (fixture, "/list");
  g_assert_cmpuint (g_list_model_get_n_items (messages), ==, n_before + 1);
  {
    g_autoptr(TertuliaMessage) notice = g_list_model_get_item (messages, n_before);
    g_autofree char *expected = tertulia_room_describe_participants (host_room (fixture));

    g_assert_cmpint (tertulia_message_get_kind (notice), ==, TERTULIA_MESSAGE_KIND_NOTICE);
    g_assert_cmpstr (tertulia_message_get_text (notice), ==, expected);
    g_assert_nonnull (strstr (expected, "ana"));
  }
  g_assert_cmpstr (entry_text (fixture), ==, "");

  /* Tab completes nicknames: at the start "nick: ", later "nick " */
  _tertulia_chat_page_set_entry_text (chat_page (fixture), "an");
  g_assert_true (press_tab (fixture));
  g_assert_cmpstr (entry_text (fixture), ==, "ana: ");
  _tertulia_chat_page_set_entry_text (chat_page (fixture), "hi @HO");
  g_assert_true (press_tab (fixture));
  g_assert_cmpstr (entry_text (fixture), ==, "hi @hostie ");
  /* Nothing to complete: Tab moves the focus as usual. */
  _tertulia_chat_page_set_entry_text (chat_page (fixture), "hi ");
  g_assert_false (press_tab (fixture));

  /* A mistake is explained and what was typed stays */
  n_before = g_list_model_get_n_items (messages);
  type_and_send (fixture, "/frobnicate now");
  g_assert_cmpstr (entry_text (fixture), ==, "/frobnicate now");
  g_assert_cmpuint (g_list_model_get_n_items (messages), ==, n_before + 1);

  /* /topic and /nick go to the room */
  type_and_send (fixture, "/topic Final: 22:00");
  WAIT_UNTIL (g_strcmp0 (tertulia_room_get_topic (tertulia_client_get_room (fixture->guest)), "Final: 22:00") == 0);
  type_and_send (fixture, "/nick anfitrión");
  WAIT_UNTIL (tertulia_room_find_participant_by_nick (tertulia_client_get_room (fixture->guest), "anfitrión") != NULL);
}

static void
test_port_taken (Fixture       *fixture,
                 gconstpointer  data)
{
  TertuliaStartPage *start = _tertulia_window_get_start_page (fixture->window);
  g_autoptr(GSocketListener) blocker = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_button = NULL;
  GtkLabel *error_label;
  GtkButton *other_port;
  guint taken;
  guint suggested;

  taken = tertulia_find_free_port (41000, 50000);
  g_assert_cmpuint (taken, !=, 0);
  g_socket_listener_add_inet_port (blocker, taken, NULL, &error);
  g_assert_no_error (error);

  gtk_spin_button_set_value (_tertulia_start_page_get_port_spin (start), taken);
  tertulia_start_page_host (start);

  /* Said in the page, with the next free port offered */
  error_label = _tertulia_start_page_get_host_error_label (start);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (error_label)) ||
                 gtk_widget_get_child_visible (GTK_WIDGET (error_label)));
  g_assert_nonnull (strstr (gtk_label_get_text (error_label), "already in use"));
  g_assert_cmpstr (_tertulia_window_get_page_name (fixture->window), ==, "start");

  other_port = _tertulia_start_page_get_other_port_button (start);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (other_port)));
  suggested = tertulia_find_free_port (taken + 1, taken + TERTULIA_START_PAGE_PORT_TRIES);
  expected_button = g_strdup_printf ("Use Port %u", suggested);
  g_assert_cmpstr (gtk_button_get_label (other_port), ==, expected_button);

  g_signal_emit_by_name (other_port, "clicked");
  WAIT_UNTIL (g_strcmp0 (_tertulia_window_get_page_name (fixture->window), "chat") == 0);
  g_assert_cmpuint (tertulia_session_get_port (tertulia_window_get_session (fixture->window)), ==, suggested);

  g_socket_listener_close (blocker);
}

static void
test_leave_asks_first (Fixture       *fixture,
                       gconstpointer  data)
{
  GtkWidget *dialog;

  host_room_from_window (fixture);
  fixture->guest = ui_test_join (fixture->address, "guest");

  /* Leaving a hosted room asks; "Stay" keeps everyone in. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.leave", NULL);
  dialog = _tertulia_window_get_confirm_dialog (fixture->window);
  g_assert_nonnull (dialog);
  g_assert_true (ADW_IS_MESSAGE_DIALOG (dialog));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  WAIT_UNTIL (_tertulia_window_get_confirm_dialog (fixture->window) == NULL);
  g_assert_cmpstr (_tertulia_window_get_page_name (fixture->window), ==, "chat");
  tertulia_test_spin (100);
  g_assert_cmpint (tertulia_client_get_state (fixture->guest), ==, TERTULIA_CONNECTION_CONNECTED);

  /* /quit asks too; "Close Room" ends it for the guest as well. */
  type_and_send (fixture, "/quit");
  dialog = _tertulia_window_get_confirm_dialog (fixture->window);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "leave");
  WAIT_UNTIL (g_strcmp0 (_tertulia_window_get_page_name (fixture->window), "start") == 0);
  g_assert_null (tertulia_window_get_session (fixture->window));
  WAIT_UNTIL (tertulia_client_get_state (fixture->guest) != TERTULIA_CONNECTION_CONNECTED);
}

static void
test_close_while_hosting (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  TertuliaWindow *window;
  TertuliaClient *guest;
  GtkWidget *dialog;

  host_room_from_window (fixture);
  guest = ui_test_join (fixture->address, "guest");

  /* Closing the window (Ctrl+W) while hosting asks first. */
  g_settings_set_int (settings, "window-width", 123);
  g_settings_set_int (settings, "window-height", 456);
  gtk_window_close (GTK_WINDOW (fixture->window));
  dialog = _tertulia_window_get_confirm_dialog (fixture->window);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fixture->window)));

  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "leave");
  WAIT_UNTIL (!gtk_widget_get_visible (GTK_WIDGET (fixture->window)));
  WAIT_UNTIL (tertulia_client_get_state (guest) != TERTULIA_CONNECTION_CONNECTED);
  ui_test_leave (guest);

  /* Its size is remembered... */
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 900);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 640);

  /* The window is gone: check it is freed, and give the fixture a new one. */
  window = fixture->window;
  tertulia_test_spin (100);
  g_assert_finalize_object (window);

  /* ...for the next window. */
  g_settings_set_int (settings, "window-width", 700);
  g_settings_set_int (settings, "window-height", 500);
  fixture->window = ui_test_window_new (app);
  {
    int width, height;

    gtk_window_get_default_size (GTK_WINDOW (fixture->window), &width, &height);
    g_assert_cmpint (width, ==, 700);
    g_assert_cmpint (height, ==, 500);
  }
  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
}

static gboolean
at_bottom (GtkAdjustment *adjustment)
{
  /* Only once the view is laid out does "the bottom" mean anything. */
  return gtk_adjustment_get_page_size (adjustment) > 0 &&
         gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment) >=
         gtk_adjustment_get_upper (adjustment) - 8;
}

static void
test_scrolling (Fixture       *fixture,
                gconstpointer  data)
{
  GtkListView *view;
  GtkAdjustment *adjustment;
  GtkRevealer *new_messages;
  GListModel *messages;
  g_autofree char *last = NULL;
  guint n_shown;

  host_room_from_window (fixture);
  messages = tertulia_room_get_messages (host_room (fixture));
  view = _tertulia_chat_page_get_message_view (chat_page (fixture));
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view));
  new_messages = _tertulia_chat_page_get_new_messages_revealer (chat_page (fixture));
  fixture->guest = ui_test_join (fixture->address, "guest");

  /* While you are at the bottom, the log follows the conversation. */
  for (guint i = 1; i <= 60; i++)
    {
      g_autofree char *line = g_strdup_printf ("line %u", i);

      g_assert_nonnull (tertulia_client_send_message (fixture->guest, TERTULIA_MESSAGE_KIND_CHAT, line, NULL));
    }
  WAIT_UNTIL (ui_test_find_message (messages, "line 60") != NULL);
  WAIT_UNTIL (ui_test_find_row (fixture->window, "line 60") != NULL && at_bottom (adjustment));
  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), >, 2 * gtk_adjustment_get_page_size (adjustment));
  g_assert_false (gtk_revealer_get_reveal_child (new_messages));

  /* Reading back: new messages do not pull you down, a button offers to.
   * That holds even when you scroll up right after a message came into
   * the view, while the log is about to follow it (with paced senders,
   * lines trickle in and that moment is any moment).
   */
  n_shown = g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (view)));
  tertulia_room_add_notice (host_room (fixture), "arrives as you scroll up");
  while (g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (view))) == n_shown)
    g_main_context_iteration (NULL, TRUE);
  gtk_adjustment_set_value (adjustment, 0);
  tertulia_test_spin (100);
  g_assert_false (at_bottom (adjustment));
  g_assert_nonnull (tertulia_client_send_message (fixture->guest, TERTULIA_MESSAGE_KIND_CHAT, "news while reading", NULL));
  WAIT_UNTIL (ui_test_find_message (messages, "news while reading") != NULL);
  WAIT_UNTIL (gtk_revealer_get_reveal_child (new_messages));
  tertulia_test_spin (100);
  g_assert_false (at_bottom (adjustment));
  g_assert_null (ui_test_find_row (fixture->window, "news while reading"));

  last = g_strdup ("news while reading");
  g_signal_emit_by_name (gtk_revealer_get_child (new_messages), "clicked");
  WAIT_UNTIL (ui_test_find_row (fixture->window, last) != NULL && at_bottom (adjustment));
  g_assert_false (gtk_revealer_get_reveal_child (new_messages));

  /* Sending takes you to the bottom too. */
  gtk_adjustment_set_value (adjustment, 0);
  tertulia_test_spin (100);
  type_and_send (fixture, "my own words");
  WAIT_UNTIL (ui_test_find_row (fixture->window, "my own words") != NULL && at_bottom (adjustment));
}

static void
count_changes_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *count)
{
  (*count)++;
}

/* A burst (a long history, a paste from a fast guest) reaches the view as
 * one change, not one per message: GTK 4.8's list view pays for each
 * change in proportion to the length of the log.
 */
static void
test_burst (Fixture       *fixture,
            gconstpointer  data)
{
  GListModel *shown;
  GtkAdjustment *adjustment;
  guint n_before;
  guint changes = 0;

  host_room_from_window (fixture);
  shown = G_LIST_MODEL (gtk_list_view_get_model (_tertulia_chat_page_get_message_view (chat_page (fixture))));
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (_tertulia_chat_page_get_message_view (chat_page (fixture))));
  WAIT_UNTIL (g_list_model_get_n_items (shown) ==
              g_list_model_get_n_items (tertulia_room_get_messages (host_room (fixture))));
  n_before = g_list_model_get_n_items (shown);
  g_signal_connect (shown, "items-changed", G_CALLBACK (count_changes_cb), &changes);

  for (guint i = 1; i <= 500; i++)
    {
      g_autofree char *line = g_strdup_printf ("burst %u", i);

      tertulia_room_add_notice (host_room (fixture), line);
    }

  WAIT_UNTIL (ui_test_find_row (fixture->window, "burst 500") != NULL && at_bottom (adjustment));
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, n_before + 500);
  g_assert_cmpuint (changes, ==, 1);
  g_signal_handlers_disconnect_by_func (shown, count_changes_cb, &changes);

  /* A message waiting to be shown, then one placed above it (server
   * events go before your messages still being sent): the view ends up
   * with the room's messages, in the room's order.
   */
  tertulia_room_add_own_message (host_room (fixture), TERTULIA_MESSAGE_KIND_CHAT, NULL, "sending 1");
  WAIT_UNTIL (g_list_model_get_n_items (shown) == n_before + 501);
  tertulia_room_add_own_message (host_room (fixture), TERTULIA_MESSAGE_KIND_CHAT, NULL, "sending 2");
  tertulia_room_add_notice (host_room (fixture), "above the messages being sent");
  WAIT_UNTIL (ui_test_find_row (fixture->window, "sending 2") != NULL);
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==,
                    g_list_model_get_n_items (tertulia_room_get_messages (host_room (fixture))));
  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(GObject) in_view = g_list_model_get_item (shown, i);
      g_autoptr(GObject) in_room = g_list_model_get_item (tertulia_room_get_messages (host_room (fixture)), i);

      g_assert_true (in_view == in_room);
    }
  {
    g_autoptr(TertuliaMessage) notice = g_list_model_get_item (shown, n_before + 500);

    g_assert_cmpstr (tertulia_message_get_text (notice), ==, "above the messages being sent");
  }
}

static void
test_shortcuts (Fixture       *fixture,
                gconstpointer  data)
{
  struct { const char *action; const char *accel; } expected[] = {
    { "app.quit", "<Control>q" },
    { "app.preferences", "<Control>comma" },
    { "app.new-window", "<Control>n" },
    { "window.close", "<Control>w" },
    { "win.focus-entry", "<Control>l" },
    { "win.show-help-overlay", "<Control>question" },
  };
  GtkWidget *entry;

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), expected[i].action);

      g_assert_nonnull (accels[0]);
      g_assert_cmpstr (accels[0], ==, expected[i].accel);
    }

  /* The help overlay is there (Ctrl+?). */
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (fixture->window)));

  /* Ctrl+L puts the keyboard in the message entry. */
  host_room_from_window (fixture);
  entry = GTK_WIDGET (_tertulia_chat_page_get_entry (chat_page (fixture)));
  gtk_window_set_focus (GTK_WINDOW (fixture->window), NULL);
  g_assert_false (gtk_widget_has_focus (entry));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.focus-entry", NULL));
  g_assert_true (gtk_widget_has_focus (entry));
}

static void
test_preferences (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWidget *preferences = tertulia_preferences_window_new ();
  GtkWidget *nickname_row;

  g_object_ref (preferences);
  gtk_window_present (GTK_WINDOW (preferences));
  WAIT_UNTIL (gtk_widget_get_mapped (preferences));

  /* The nickname row edits the setting. */
  g_settings_set_string (settings, "nickname", "before");
  nickname_row = GTK_WIDGET (ui_test_find_label (preferences, "Nickname"));
  g_assert_nonnull (nickname_row);
  nickname_row = gtk_widget_get_ancestor (nickname_row, TERTULIA_TYPE_ENTRY_ROW);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (nickname_row)), ==, "before");
  gtk_editable_set_text (GTK_EDITABLE (nickname_row), "after");
  {
    g_autofree char *nickname = g_settings_get_string (settings, "nickname");

    g_assert_cmpstr (nickname, ==, "after");
  }

  /* The notification choice is the setting. */
  g_assert_true (gtk_widget_activate_action (nickname_row, "prefs.notification-mode", "s", "mentions"));
  {
    g_autofree char *mode = g_settings_get_string (settings, "notification-mode");

    g_assert_cmpstr (mode, ==, "mentions");
  }

  g_settings_reset (settings, "notification-mode");
  g_settings_reset (settings, "nickname");
  gtk_window_destroy (GTK_WINDOW (preferences));
  tertulia_test_spin (50);
  g_assert_finalize_object (preferences);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  app = ui_test_application_new ();

  g_test_add ("/window/host/messages-both-ways", Fixture, NULL, setup, test_messages_both_ways, teardown);
  g_test_add ("/window/host/markup-from-the-wire", Fixture, NULL, setup, test_markup_from_the_wire, teardown);
  g_test_add ("/window/host/commands", Fixture, NULL, setup, test_commands, teardown);
  g_test_add ("/window/host/port-taken", Fixture, NULL, setup, test_port_taken, teardown);
  g_test_add ("/window/host/leave-asks-first", Fixture, NULL, setup, test_leave_asks_first, teardown);
  g_test_add ("/window/host/close-while-hosting", Fixture, NULL, setup, test_close_while_hosting, teardown);
  g_test_add ("/window/host/scrolling", Fixture, NULL, setup, test_scrolling, teardown);
  g_test_add ("/window/host/burst", Fixture, NULL, setup, test_burst, teardown);
  g_test_add ("/window/host/narrow-header", Fixture, NULL, setup, test_narrow_header, teardown);
  g_test_add ("/window/host/length-hint", Fixture, NULL, setup, test_length_hint, teardown);
  g_test_add ("/window/host/empty-room", Fixture, NULL, setup, test_empty_room, teardown);
  g_test_add ("/window/host/multiline", Fixture, NULL, setup, test_multiline, teardown);
  g_test_add ("/window/shortcuts", Fixture, NULL, setup, test_shortcuts, teardown);
  g_test_add ("/window/continue-last-room", Fixture, NULL, setup, test_continue_last_room, teardown);
  g_test_add_func ("/window/preferences", test_preferences);

  ret = g_test_run ();

  g_clear_object (&app);

  return ret;
}

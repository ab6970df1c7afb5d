/* test-window-moderation.c — the participant menu, the room's settings,
 * the ban list and private conversations, in a real window hosting a room
 * with real core guests (and a second window as a guest)
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ui-test-utils.h"
#include "tertulia-chat-page-private.h"
#include "tertulia-participant.h"
#include "tertulia-participant-row.h"
#include "tertulia-room-settings.h"

static TertuliaApplication *app;

typedef struct
{
  TertuliaWindow  *window;
  TertuliaClient  *guest;
  char            *address;
} Fixture;

static TertuliaClient *
window_client (TertuliaWindow *window)
{
  return tertulia_session_get_client (tertulia_window_get_session (window));
}

static TertuliaRoom *
window_room (TertuliaWindow *window)
{
  return tertulia_client_get_room (window_client (window));
}

static TertuliaChatPage *
page_of (Fixture *fixture)
{
  return _tertulia_window_get_chat_page (fixture->window);
}

static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  TertuliaStartPage *start;

  fixture->window = ui_test_window_new (app);
  start = _tertulia_window_get_start_page (fixture->window);

  gtk_editable_set_text (_tertulia_start_page_get_nickname_row (start), "hostie");
  gtk_spin_button_set_value (_tertulia_start_page_get_port_spin (start),
                             tertulia_find_free_port (20000, 40000));
  tertulia_start_page_host (start);
  WAIT_UNTIL (g_strcmp0 (_tertulia_window_get_page_name (fixture->window), "chat") == 0);

  fixture->address = g_strdup_printf ("127.0.0.1:%u",
                                      tertulia_session_get_port (tertulia_window_get_session (fixture->window)));
  fixture->guest = ui_test_join (fixture->address, "guest");
  WAIT_UNTIL (tertulia_room_get_n_participants (window_room (fixture->window)) == 2);
  tertulia_test_spin (100);

  ui_test_mock_clear_calls ();
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  g_clear_pointer (&fixture->guest, ui_test_leave);
  tertulia_window_leave (fixture->window);
  ui_test_destroy_window (fixture->window);
  g_clear_pointer (&fixture->address, g_free);
}

static gint64
guest_id (Fixture *fixture)
{
  TertuliaParticipant *you = tertulia_room_get_you (tertulia_client_get_room (fixture->guest));

  return tertulia_participant_get_id (you);
}

/* The participant as the host's window has it */
static TertuliaParticipant *
host_view_of_guest (Fixture *fixture)
{
  return tertulia_room_find_participant (window_room (fixture->window), guest_id (fixture));
}

static TertuliaParticipantRow *
guest_row (Fixture *fixture)
{
  TertuliaParticipantRow *row = NULL;

  gtk_widget_set_visible (GTK_WIDGET (page_of (fixture)), TRUE);
  WAIT_UNTIL ((row = _tertulia_chat_page_find_participant_row (page_of (fixture), guest_id (fixture))) != NULL);

  return row;
}

/* The labels of @menu's items, section by section, "|"-separated */
static char *
dup_menu_labels (GMenuModel *menu)
{
  GString *out = g_string_new (NULL);

  for (int i = 0; menu != NULL && i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      for (int j = 0; section != NULL && j < g_menu_model_get_n_items (section); j++)
        {
          g_autofree char *label = NULL;

          g_menu_model_get_item_attribute (section, j, G_MENU_ATTRIBUTE_LABEL, "s", &label);
          if (out->len > 0)
            g_string_append_c (out, '|');
          g_string_append (out, label);
        }
    }

  return g_string_free (out, FALSE);
}

static gboolean
is_button (GtkWidget     *widget,
           gconstpointer  data)
{
  return GTK_IS_BUTTON (widget);
}

static gboolean
is_muted_icon (GtkWidget     *widget,
               gconstpointer  data)
{
  return GTK_IS_IMAGE (widget) &&
         gtk_widget_get_visible (widget) &&
         g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (widget)), "microphone-sensitivity-muted-symbolic") == 0;
}

/* What @widget's key handlers do with @keyval, as if it was pressed
 * with the focus inside it
 */
static gboolean
send_key (GtkWidget       *widget,
          guint            keyval,
          GdkModifierType  state)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !handled; i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        g_signal_emit_by_name (controller, "key-pressed", keyval, 0, state, &handled);
    }

  return handled;
}

static void
activate (Fixture    *fixture,
          const char *action,
          gint64      id)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page_of (fixture)), action, "x", id));
}

/* The host's menu for a guest has everything; it opens from the row's
 * button and from the keyboard; its items act on the guest, who sees it.
 */
static void
test_menu_mute_op (Fixture       *fixture,
                   gconstpointer  data)
{
  TertuliaParticipantRow *row = guest_row (fixture);
  TertuliaRoom *guest_room = tertulia_client_get_room (fixture->guest);
  TertuliaParticipant *guest_you = tertulia_room_get_you (guest_room);
  g_autoptr(GMenuModel) menu = tertulia_participant_menu_new (window_room (fixture->window),
                                                               host_view_of_guest (fixture));
  g_autoptr(GMenuModel) guest_menu = NULL;
  g_autofree char *labels = dup_menu_labels (menu);
  g_autofree char *guest_labels = NULL;
  GtkMenuButton *button = _tertulia_participant_row_get_menu_button (row);
  GtkWidget *item;

  g_assert_cmpstr (labels, ==, "_Message Privately|M_ute|_Remove from Room…|_Ban…|Make _Co-host");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (button)));

  /* The Menu key on the focused row opens it. */
  item = gtk_widget_get_parent (GTK_WIDGET (row));
  g_assert_true (gtk_widget_grab_focus (item));
  g_assert_true (gtk_widget_has_focus (item) || gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (fixture->window)), item));
  g_assert_true (send_key (GTK_WIDGET (_tertulia_chat_page_get_participant_view (page_of (fixture))),
                           GDK_KEY_Menu, 0));
  WAIT_UNTIL (gtk_menu_button_get_popover (button) != NULL &&
              gtk_widget_get_visible (GTK_WIDGET (gtk_menu_button_get_popover (button))));
  gtk_menu_button_popdown (button);

  /* A guest sees only "Message Privately" for the host, and nothing for
   * themself.
   */
  guest_menu = tertulia_participant_menu_new (guest_room,
                                              tertulia_room_find_participant (guest_room,
                                                                              tertulia_participant_get_id (tertulia_room_get_you (window_room (fixture->window)))));
  guest_labels = dup_menu_labels (guest_menu);
  g_assert_cmpstr (guest_labels, ==, "_Message Privately");
  g_assert_null (tertulia_participant_menu_new (guest_room, guest_you));

  /* Mute: the guest is told, and cannot post; the host's row shows it. */
  activate (fixture, "participant.mute", guest_id (fixture));
  WAIT_UNTIL (tertulia_participant_get_muted (guest_you));
  WAIT_UNTIL (tertulia_participant_get_muted (host_view_of_guest (fixture)));
  WAIT_UNTIL (ui_test_find_widget (GTK_WIDGET (row), is_muted_icon, NULL) != NULL);
  {
    g_autoptr(GMenuModel) now = tertulia_participant_menu_new (window_room (fixture->window),
                                                               host_view_of_guest (fixture));
    g_autofree char *now_labels = dup_menu_labels (now);

    g_assert_nonnull (strstr (now_labels, "_Unmute"));
  }

  activate (fixture, "participant.unmute", guest_id (fixture));
  WAIT_UNTIL (!tertulia_participant_get_muted (guest_you));

  /* Co-host: the guest's role changes, the row says so. */
  activate (fixture, "participant.op", guest_id (fixture));
  WAIT_UNTIL (tertulia_participant_get_role (guest_you) == TERTULIA_ROLE_COHOST);
  WAIT_UNTIL (ui_test_find_label (GTK_WIDGET (row), "co-host") != NULL);
  WAIT_UNTIL (tertulia_room_get_you_moderate (guest_room));

  /* A co-host has nothing to do about the host but write to them. */
  {
    TertuliaParticipant *host = tertulia_room_find_participant (guest_room,
                                                                tertulia_participant_get_id (tertulia_room_get_you (window_room (fixture->window))));
    g_autoptr(GMenuModel) cohost_menu = tertulia_participant_menu_new (guest_room, host);
    g_autofree char *cohost_labels = dup_menu_labels (cohost_menu);

    g_assert_cmpstr (cohost_labels, ==, "_Message Privately");
  }

  activate (fixture, "participant.deop", guest_id (fixture));
  WAIT_UNTIL (tertulia_participant_get_role (guest_you) == TERTULIA_ROLE_GUEST);
  WAIT_UNTIL (ui_test_find_label (GTK_WIDGET (row), "co-host") == NULL);
}

/* Remove from Room… asks for a reason; the guest gets it and does not
 * come back by itself.
 */
static void
test_kick_with_reason (Fixture       *fixture,
                       gconstpointer  data)
{
  TertuliaRoom *room = window_room (fixture->window);
  GtkWidget *dialog;
  GtkWidget *entry;
  const char *reason;

  dialog = _tertulia_chat_page_ask_to_remove (page_of (fixture), host_view_of_guest (fixture), FALSE);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *)&dialog);
  entry = adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (dialog));
  g_assert_true (GTK_IS_ENTRY (entry));
  gtk_editable_set_text (GTK_EDITABLE (entry), "too loud");
  /* Enter in the reason answers the dialog. */
  g_signal_emit_by_name (entry, "activate");
  WAIT_UNTIL (dialog == NULL);

  WAIT_UNTIL (tertulia_client_get_state (fixture->guest) == TERTULIA_CONNECTION_DISCONNECTED);
  reason = tertulia_client_get_state_reason (fixture->guest);
  g_assert_nonnull (reason);
  g_assert_nonnull (strstr (reason, "too loud"));
  WAIT_UNTIL (tertulia_room_get_n_participants (room) == 1);

  tertulia_test_spin (1500);
  g_assert_cmpint (tertulia_client_get_state (fixture->guest), ==, TERTULIA_CONNECTION_DISCONNECTED);
}

/* Slow mode, lock and private messages from the settings window: the
 * guest's room follows; the header says the room is locked.
 */
static void
test_settings (Fixture       *fixture,
               gconstpointer  data)
{
  TertuliaRoom *guest_room = tertulia_client_get_room (fixture->guest);
  AdwWindowTitle *title = _tertulia_chat_page_get_window_title (page_of (fixture));
  TertuliaRoomSettings *settings;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page_of (fixture)), "chat.room-settings", NULL));
  settings = TERTULIA_ROOM_SETTINGS (_tertulia_chat_page_get_room_settings (page_of (fixture)));
  g_assert_nonnull (settings);
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (settings)));

  /* 30 seconds */
  adw_combo_row_set_selected (_tertulia_room_settings_get_slow_row (settings), 3);
  WAIT_UNTIL (tertulia_room_get_slow_seconds (guest_room) == 30);

  gtk_switch_set_active (_tertulia_room_settings_get_lock_switch (settings), TRUE);
  WAIT_UNTIL (tertulia_room_get_locked (guest_room));
  WAIT_UNTIL (g_str_has_prefix (adw_window_title_get_subtitle (title), "Locked"));

  /* Off */
  adw_combo_row_set_selected (_tertulia_room_settings_get_private_row (settings), 2);
  WAIT_UNTIL (tertulia_room_get_private_messages (guest_room) == TERTULIA_PRIVATE_MESSAGES_OFF);
  {
    TertuliaParticipant *host = tertulia_room_find_participant (guest_room,
                                                                tertulia_participant_get_id (tertulia_room_get_you (window_room (fixture->window))));

    g_assert_false (tertulia_room_can_message_privately (guest_room, host));
  }
  /* The host's own menu has no Message Privately now, and a conversation
   * says why nothing can be sent.
   */
  {
    g_autoptr(GMenuModel) menu = tertulia_participant_menu_new (window_room (fixture->window),
                                                                host_view_of_guest (fixture));
    g_autofree char *labels = dup_menu_labels (menu);
    TertuliaConversationPage *conversation_page = _tertulia_chat_page_get_conversation_page (page_of (fixture));

    g_assert_null (strstr (labels, "Message Privately"));
    tertulia_conversation_page_set_conversation (conversation_page,
                                                 tertulia_room_open_conversation (window_room (fixture->window),
                                                                                  guest_id (fixture)));
    g_assert_cmpstr (_tertulia_conversation_page_get_status (conversation_page), ==,
                     "The host has turned private messages off.");
    g_assert_false (tertulia_conversation_page_submit (conversation_page));
  }

  /* A /slow from elsewhere shows in the window: off again. */
  g_assert_true (tertulia_client_set_slow_mode (window_client (fixture->window), 0));
  WAIT_UNTIL (adw_combo_row_get_selected (_tertulia_room_settings_get_slow_row (settings)) == 0);

  gtk_switch_set_active (_tertulia_room_settings_get_lock_switch (settings), FALSE);
  WAIT_UNTIL (!tertulia_room_get_locked (guest_room));
  WAIT_UNTIL (!g_str_has_prefix (adw_window_title_get_subtitle (title), "Locked"));

  gtk_window_close (GTK_WINDOW (settings));
}

/* Ban…, then the ban list: the guest is listed, Unban lets it back. */
static void
test_ban_list (Fixture       *fixture,
               gconstpointer  data)
{
  TertuliaRoomSettings *settings;
  GtkWidget *dialog;
  GtkWidget *row;
  GtkWidget *unban;

  dialog = _tertulia_chat_page_ask_to_remove (page_of (fixture), host_view_of_guest (fixture), TRUE);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *)&dialog);
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (dialog))),
                         "spam");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "ban");
  gtk_window_close (GTK_WINDOW (dialog));
  WAIT_UNTIL (tertulia_client_get_state (fixture->guest) == TERTULIA_CONNECTION_DISCONNECTED);
  g_assert_nonnull (strstr (tertulia_client_get_state_reason (fixture->guest), "banned"));
  g_clear_pointer (&fixture->guest, ui_test_leave);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page_of (fixture)), "chat.room-settings", NULL));
  settings = TERTULIA_ROOM_SETTINGS (_tertulia_chat_page_get_room_settings (page_of (fixture)));
  _tertulia_room_settings_show_bans (settings);
  WAIT_UNTIL (g_strcmp0 (_tertulia_room_settings_get_bans_state (settings), "list") == 0);

  row = gtk_widget_get_first_child (GTK_WIDGET (_tertulia_room_settings_get_ban_list (settings)));
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "guest");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "spam"));
  g_assert_null (gtk_widget_get_next_sibling (row));

  unban = ui_test_find_widget (row, is_button, NULL);
  g_assert_nonnull (unban);
  g_signal_emit_by_name (unban, "clicked");
  WAIT_UNTIL (g_strcmp0 (_tertulia_room_settings_get_bans_state (settings), "empty") == 0);

  /* Back in: a new connection from the same address works. */
  fixture->guest = ui_test_join (fixture->address, "guest");
  WAIT_UNTIL (tertulia_room_get_n_participants (window_room (fixture->window)) == 2);

  gtk_window_close (GTK_WINDOW (settings));
}

static TertuliaConversation *
guest_conversation_with_host (Fixture *fixture)
{
  TertuliaRoom *guest_room = tertulia_client_get_room (fixture->guest);
  gint64 host_id = tertulia_participant_get_id (tertulia_room_get_you (window_room (fixture->window)));

  return tertulia_room_find_conversation (guest_room, host_id);
}

/* Private messages both ways: Message Privately opens a conversation page
 * whose entry sends to the guest only; the guest's answer counts as
 * unread and notifies while the room is shown, and is read once shown.
 */
static void
test_private_both_ways (Fixture       *fixture,
                        gconstpointer  data)
{
  TertuliaChatPage *page = page_of (fixture);
  TertuliaConversationPage *conversation_page = _tertulia_chat_page_get_conversation_page (page);
  TertuliaConversation *ours;
  TertuliaConversation *theirs = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *body = NULL;
  gint64 host_id = tertulia_participant_get_id (tertulia_room_get_you (window_room (fixture->window)));

  WAIT_UNTIL (gtk_window_is_active (GTK_WINDOW (fixture->window)));

  activate (fixture, "participant.message", guest_id (fixture));
  ours = tertulia_chat_page_get_shown_conversation (page);
  g_assert_nonnull (ours);
  g_assert_cmpstr (gtk_label_get_text (_tertulia_conversation_page_get_title_label (conversation_page)), ==, "guest");
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (_tertulia_conversation_page_get_entry (conversation_page))));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (_tertulia_conversation_page_get_entry (conversation_page)),
                            "just between us", -1);
  g_assert_true (tertulia_conversation_page_submit (conversation_page));
  WAIT_UNTIL ((theirs = guest_conversation_with_host (fixture)) != NULL &&
              ui_test_find_message (tertulia_conversation_get_messages (theirs), "just between us") != NULL);
  /* Not in the room's log */
  g_assert_null (ui_test_find_message (tertulia_room_get_messages (tertulia_client_get_room (fixture->guest)),
                                       "just between us"));
  /* Your own message is not unread */
  g_assert_cmpuint (tertulia_conversation_get_unread (ours), ==, 0);

  /* Escape goes back to the room: the guest's answer is unread, counted
   * and notified.
   */
  g_assert_true (send_key (GTK_WIDGET (_tertulia_conversation_page_get_entry (conversation_page)),
                           GDK_KEY_Escape, 0));
  g_assert_null (tertulia_chat_page_get_shown_conversation (page));
  g_assert_nonnull (tertulia_client_send_private (fixture->guest, host_id, "<b>answer</b>"));
  WAIT_UNTIL (tertulia_conversation_get_unread (ours) == 1);
  WAIT_UNTIL (gtk_widget_get_visible (GTK_WIDGET (_tertulia_chat_page_get_unread_badge (page))));
  g_assert_cmpstr (gtk_label_get_text (_tertulia_chat_page_get_unread_badge (page)), ==, "1");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (_tertulia_chat_page_get_conversation_list (page))));

  tertulia_test_spin (100);
  calls = ui_test_mock_get_calls ("Notify");
  g_assert_cmpuint (calls->len, ==, 1);
  summary = ui_test_notify_call_dup_string (g_ptr_array_index (calls, 0), 3);
  body = ui_test_notify_call_dup_string (g_ptr_array_index (calls, 0), 4);
  g_assert_true (g_str_has_prefix (summary, "guest, privately, in "));
  g_assert_cmpstr (body, ==, "<b>answer</b>");

  /* Clicking it shows that conversation: read, the badge goes, the
   * notification is taken back.
   */
  ui_test_mock_click_last ();
  WAIT_UNTIL (tertulia_chat_page_get_shown_conversation (page) == ours);
  WAIT_UNTIL (tertulia_conversation_get_unread (ours) == 0);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (_tertulia_chat_page_get_unread_badge (page))));
  {
    g_autoptr(GPtrArray) closes = ui_test_mock_get_calls ("CloseNotification");

    g_assert_cmpuint (closes->len, ==, 1);
  }

  /* While it is shown, another answer is read at once and not notified. */
  g_assert_nonnull (tertulia_client_send_private (fixture->guest, host_id, "seen"));
  WAIT_UNTIL (ui_test_find_message (tertulia_conversation_get_messages (ours), "seen") != NULL);
  tertulia_test_spin (100);
  g_assert_cmpuint (tertulia_conversation_get_unread (ours), ==, 0);
  {
    g_autoptr(GPtrArray) more = ui_test_mock_get_calls ("Notify");

    g_assert_cmpuint (more->len, ==, 1);
  }

  /* The guest leaves: the conversation stays, and says why nothing can
   * be sent.
   */
  g_clear_pointer (&fixture->guest, ui_test_leave);
  WAIT_UNTIL (g_strcmp0 (_tertulia_conversation_page_get_status (conversation_page),
                         "guest is not in the room: messages cannot reach them.") == 0);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (_tertulia_conversation_page_get_entry (conversation_page))));
  g_assert_true (tertulia_chat_page_get_shown_conversation (page) == ours);
}

/* /msg NICK TEXT in the room's entry goes to that conversation, shown. */
static void
test_msg_command (Fixture       *fixture,
                  gconstpointer  data)
{
  TertuliaChatPage *page = page_of (fixture);
  TertuliaConversation *theirs = NULL;

  _tertulia_chat_page_set_entry_text (page, "/msg guest psst");
  tertulia_chat_page_submit (page);
  g_assert_nonnull (tertulia_chat_page_get_shown_conversation (page));
  g_assert_cmpint (tertulia_conversation_get_peer_id (tertulia_chat_page_get_shown_conversation (page)),
                   ==, guest_id (fixture));
  WAIT_UNTIL ((theirs = guest_conversation_with_host (fixture)) != NULL &&
              ui_test_find_message (tertulia_conversation_get_messages (theirs), "psst") != NULL);
  g_assert_cmpuint (tertulia_conversation_get_unread (theirs), ==, 1);

  /* Someone absent: said in the log, the text stays. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "chat.show-room", NULL));
  _tertulia_chat_page_set_entry_text (page, "/msg nobody hello");
  tertulia_chat_page_submit (page);
  {
    g_autofree char *left = _tertulia_chat_page_dup_entry_text (page);

    g_assert_cmpstr (left, ==, "/msg nobody hello");
  }
  g_assert_null (tertulia_chat_page_get_shown_conversation (page));
}

/* A second window joins as a guest: it shows being muted, slow mode's
 * countdown, and being removed (the reason, Back to Start, no Retry).
 */
static void
test_guest_window (Fixture       *fixture,
                   gconstpointer  data)
{
  TertuliaWindow *other = ui_test_window_new (app);
  TertuliaStartPage *start = _tertulia_window_get_start_page (other);
  TertuliaChatPage *page = _tertulia_window_get_chat_page (other);
  TertuliaParticipant *you;
  gint64 id;

  gtk_editable_set_text (_tertulia_start_page_get_nickname_row (start), "pupil");
  gtk_editable_set_text (_tertulia_start_page_get_address_row (start), fixture->address);
  tertulia_start_page_join (start);
  WAIT_UNTIL (g_strcmp0 (_tertulia_window_get_page_name (other), "chat") == 0 &&
              tertulia_room_get_you (window_room (other)) != NULL);
  you = tertulia_room_get_you (window_room (other));
  id = tertulia_participant_get_id (you);

  /* A guest has no room settings. */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (page), "chat.room-settings", NULL) &&
                  _tertulia_chat_page_get_room_settings (page) != NULL);

  /* A co-host has the room's settings, but private messages are the
   * host's to set.
   */
  g_assert_true (tertulia_client_set_cohost (window_client (fixture->window), id, TRUE));
  WAIT_UNTIL (tertulia_room_get_you_moderate (window_room (other)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "chat.room-settings", NULL));
  {
    TertuliaRoomSettings *settings = TERTULIA_ROOM_SETTINGS (_tertulia_chat_page_get_room_settings (page));

    g_assert_nonnull (settings);
    g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (_tertulia_room_settings_get_slow_row (settings))));
    g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (_tertulia_room_settings_get_private_row (settings))));
    g_object_add_weak_pointer (G_OBJECT (settings), (gpointer *)&settings);

    /* No longer a co-host: the settings close. */
    g_assert_true (tertulia_client_set_cohost (window_client (fixture->window), id, FALSE));
    WAIT_UNTIL (settings == NULL);
  }

  g_assert_true (tertulia_client_set_muted (window_client (fixture->window), id, TRUE));
  WAIT_UNTIL (g_strcmp0 (_tertulia_chat_page_get_composer_status (page),
                         "You are muted: you can read, but not send messages.") == 0);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (_tertulia_chat_page_get_entry (page))));
  /* The Send button does not send either */
  _tertulia_chat_page_set_entry_text (page, "let me speak");
  tertulia_chat_page_submit (page);
  {
    g_autofree char *left = _tertulia_chat_page_dup_entry_text (page);

    g_assert_cmpstr (left, ==, "let me speak");
  }
  _tertulia_chat_page_set_entry_text (page, "");
  g_assert_true (tertulia_client_set_muted (window_client (fixture->window), id, FALSE));
  WAIT_UNTIL (_tertulia_chat_page_get_composer_status (page) == NULL);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (_tertulia_chat_page_get_entry (page))));

  g_assert_true (tertulia_client_set_slow_mode (window_client (fixture->window), 10));
  WAIT_UNTIL (g_strcmp0 (_tertulia_chat_page_get_composer_status (page),
                         "Slow mode: one message every 10 seconds") == 0);
  _tertulia_chat_page_set_entry_text (page, "first");
  tertulia_chat_page_submit (page);
  g_assert_true (g_str_has_prefix (_tertulia_chat_page_get_composer_status (page),
                                   "Slow mode: you can send again in "));
  /* Too soon: what was typed stays, nothing is sent */
  _tertulia_chat_page_set_entry_text (page, "second");
  tertulia_chat_page_submit (page);
  {
    g_autofree char *left = _tertulia_chat_page_dup_entry_text (page);

    g_assert_cmpstr (left, ==, "second");
    g_assert_null (ui_test_find_message (tertulia_room_get_messages (window_room (other)), "second"));
  }
  g_assert_true (tertulia_client_set_slow_mode (window_client (fixture->window), 0));
  WAIT_UNTIL (_tertulia_chat_page_get_composer_status (page) == NULL);

  g_assert_true (tertulia_client_kick (window_client (fixture->window), id, "class is over"));
  WAIT_UNTIL (gtk_widget_get_visible (_tertulia_chat_page_get_leave_button (page)));
  g_assert_false (gtk_widget_get_visible (_tertulia_chat_page_get_retry_button (page)));
  g_assert_nonnull (strstr (gtk_label_get_text (_tertulia_chat_page_get_banner_label (page)), "class is over"));
  /* What the page goes by: the client says it was removed */
  g_assert_true (tertulia_client_get_removed (window_client (other)));
  tertulia_test_spin (1500);
  g_assert_cmpint (tertulia_client_get_state (window_client (other)), ==, TERTULIA_CONNECTION_DISCONNECTED);
  /* It stays, saying why, until you go */
  g_assert_cmpstr (_tertulia_window_get_page_name (other), ==, "chat");
  g_assert_true (gtk_widget_get_visible (_tertulia_chat_page_get_leave_button (page)));

  /* Back to Start */
  g_assert_true (gtk_widget_activate_action (_tertulia_chat_page_get_leave_button (page), "win.leave", NULL));
  WAIT_UNTIL (g_strcmp0 (_tertulia_window_get_page_name (other), "start") == 0);

  ui_test_destroy_window (other);
}

/* The keyboard reaches the people: Tab from the entry gets to a
 * participant row (after the entry's own buttons), which says who it is.
 */
static void
test_tab_to_participants (Fixture       *fixture,
                          gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkWidget *view = GTK_WIDGET (_tertulia_chat_page_get_participant_view (page_of (fixture)));
  GtkWidget *focus = NULL;

  tertulia_chat_page_focus_entry (page_of (fixture));
  for (int i = 0; i < 6; i++)
    {
      g_signal_emit_by_name (window, "move-focus", GTK_DIR_TAB_FORWARD);
      focus = gtk_root_get_focus (GTK_ROOT (window));
      if (focus != NULL && gtk_widget_is_ancestor (focus, view))
        break;
    }

  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, view));
  /* The row reads "hostie, you, host" or "guest" */
  g_assert_true (TERTULIA_IS_PARTICIPANT_ROW (gtk_widget_get_first_child (focus)));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  app = ui_test_application_new ();

  g_test_add ("/window/moderation/tab-to-participants", Fixture, NULL, setup, test_tab_to_participants, teardown);
  g_test_add ("/window/moderation/menu-mute-op", Fixture, NULL, setup, test_menu_mute_op, teardown);
  g_test_add ("/window/moderation/kick-with-reason", Fixture, NULL, setup, test_kick_with_reason, teardown);
  g_test_add ("/window/moderation/settings", Fixture, NULL, setup, test_settings, teardown);
  g_test_add ("/window/moderation/ban-list", Fixture, NULL, setup, test_ban_list, teardown);
  g_test_add ("/window/moderation/private-both-ways", Fixture, NULL, setup, test_private_both_ways, teardown);
  g_test_add ("/window/moderation/msg-command", Fixture, NULL, setup, test_msg_command, teardown);
  g_test_add ("/window/moderation/guest-window", Fixture, NULL, setup, test_guest_window, teardown);

  ret = g_test_run ();

  g_clear_object (&app);

  return ret;
}

/* test-window-archive.c — the app's archive: a room read while its host is
 * away, and a search that jumps 10 000 messages back
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <sys/prctl.h>

#include "ui-test-utils.h"
#include "tertulia-app-archive.h"
#include "tertulia-chat-page-private.h"
#include "tertulia-search-bar.h"
#include "tertulia-start-page-private.h"

static TertuliaApplication *app;

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* `tertulia-server --port 0 --ephemeral` on loopback; its address */
static GSubprocess *
start_server (const char  *port_wanted,
              const char  *room_name,
              char       **address)
{
  const char *server_path = g_getenv ("TERTULIA_SERVER");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *port = NULL;
  GSubprocess *server;

  g_assert_nonnull (server_path);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  server = g_subprocess_launcher_spawn (launcher, &error,
                                        server_path, "--port", port_wanted, "--bind", "127.0.0.1",
                                        "--ephemeral", "--room-name", room_name,
                                        NULL);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);

  regex = g_regex_new ("port (\\d+)", 0, 0, NULL);
  g_assert_true (g_regex_match (regex, line, 0, &match));
  port = g_match_info_fetch (match, 1);
  *address = g_strdup_printf ("127.0.0.1:%s", port);

  return server;
}

/* The recent room whose title is @title, or NULL */
static AdwActionRow *
find_recent_row (TertuliaWindow *window,
                 const char     *title)
{
  TertuliaStartPage *start = _tertulia_window_get_start_page (window);

  for (guint i = 0; i < start->recent_rows->len; i++)
    {
      AdwPreferencesRow *row = g_ptr_array_index (start->recent_rows, i);

      if (g_strcmp0 (adw_preferences_row_get_title (row), title) == 0)
        return ADW_ACTION_ROW (row);
    }

  return NULL;
}

static GtkLabel *
find_unread_badge (AdwActionRow *row)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (row)); child != NULL; )
    {
      if (GTK_IS_LABEL (child) && gtk_widget_has_css_class (child, "unread-badge"))
        return GTK_LABEL (child);

      /* Depth first through the row's boxes */
      if (gtk_widget_get_first_child (child) != NULL)
        child = gtk_widget_get_first_child (child);
      else
        {
          while (child != NULL && gtk_widget_get_next_sibling (child) == NULL)
            {
              child = gtk_widget_get_parent (child);
              if (child == GTK_WIDGET (row))
                return NULL;
            }
          if (child != NULL)
            child = gtk_widget_get_next_sibling (child);
        }
    }

  return NULL;
}

static TertuliaRoom *
window_room (TertuliaWindow *window)
{
  return tertulia_client_get_room (tertulia_session_get_client (tertulia_window_get_session (window)));
}

static void
record (TertuliaArchive *archive,
        const char      *room_id,
        gint64           seq,
        const char      *author,
        const char      *text)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) time = g_date_time_add_seconds (now, seq - 20000);
  g_autoptr(TertuliaMessage) message = tertulia_message_new (TERTULIA_MESSAGE_KIND_CHAT, seq, 2,
                                                             author, text, time);

  tertulia_archive_record_message (archive, room_id, message);
}

static void
count_attempts_cb (TertuliaClient *client,
                   GParamSpec     *pspec,
                   guint          *n_attempts)
{
  if (tertulia_client_get_state (client) == TERTULIA_CONNECTION_CONNECTING)
    (*n_attempts)++;
}

/* What was said in a room is kept as it is said; with its host gone, the
 * room opens from the start page at once with its messages, the ones
 * not read after a "New messages" line, and the app keeps trying.
 */
static void
test_archive_offline (void)
{
  g_autoptr(GSubprocess) server = NULL;
  g_autofree char *address = NULL;
  g_autofree char *room_id = NULL;
  g_autoptr(TertuliaArchiveRoom) kept = NULL;
  TertuliaClient *other;
  TertuliaWindow *window = ui_test_window_new (app);
  TertuliaStartPage *start = _tertulia_window_get_start_page (window);
  TertuliaArchive *archive = tertulia_app_archive_get ();
  TertuliaRoom *room;
  AdwActionRow *row;
  GtkLabel *badge;
  guint n_attempts;

  g_assert_nonnull (archive);
  server = start_server ("0", "Archivo <i>vivo</i>", &address);

  gtk_editable_set_text (_tertulia_start_page_get_nickname_row (start), "lectora");
  gtk_editable_set_text (_tertulia_start_page_get_address_row (start), address);
  tertulia_start_page_join (start);
  WAIT_UNTIL (g_strcmp0 (_tertulia_window_get_page_name (window), "chat") == 0);
  room = window_room (window);
  room_id = g_strdup (tertulia_room_get_id (room));

  other = ui_test_join (address, "pepe");
  for (guint i = 1; i <= 20; i++)
    {
      g_autofree char *text = g_strdup_printf ("mensaje número %u", i);

      g_assert_nonnull (tertulia_client_send_message (other, TERTULIA_MESSAGE_KIND_CHAT, text, NULL));
    }
  WAIT_UNTIL (ui_test_find_message (tertulia_room_get_messages (room), "mensaje número 20") != NULL);
  g_assert_nonnull (tertulia_client_send_message (tertulia_session_get_client (tertulia_window_get_session (window)),
                                                  TERTULIA_MESSAGE_KIND_CHAT, "la mía", NULL));
  WAIT_UNTIL (tertulia_message_get_state (ui_test_find_message (tertulia_room_get_messages (room), "la mía")) ==
              TERTULIA_MESSAGE_STATE_DELIVERED);

  tertulia_window_leave (window);
  ui_test_leave (other);

  /* Kept: the room with its name and address, every message */
  kept = tertulia_archive_dup_room (archive, room_id);
  g_assert_nonnull (kept);
  g_assert_cmpstr (kept->name, ==, "Archivo <i>vivo</i>");
  g_assert_cmpstr (kept->address, ==, address);
  {
    g_autoptr(GPtrArray) page = tertulia_archive_dup_events (archive, room_id, 0, G_MAXINT64, 100, NULL);

    g_assert_cmpuint (page->len, ==, 21);
  }

  /* Xvfb has no window manager to make the window active, so nothing was
   * marked read: 20 of pepe's, never your own.
   */
  g_assert_cmpuint (kept->unread, ==, 20);

  /* Read up to there; the host goes away; meanwhile two more came that
   * nobody read.
   */
  tertulia_archive_mark_read (archive, room_id, kept->last_seq);
  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
  record (archive, room_id, kept->last_seq + 1, "pepe", "¿seguís ahí?");
  record (archive, room_id, kept->last_seq + 2, "pepe", "última sin leer");
  tertulia_archive_flush (archive);

  _tertulia_start_page_update_recent_rooms (start);
  row = find_recent_row (window, "Archivo <i>vivo</i>");
  g_assert_nonnull (row);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), address));
  badge = find_unread_badge (row);
  g_assert_nonnull (badge);
  g_assert_cmpstr (gtk_label_get_text (badge), ==, "2");

  g_signal_emit_by_name (row, "activated");

  /* At once, with nobody answering */
  g_assert_cmpstr (_tertulia_window_get_page_name (window), ==, "chat");
  room = window_room (window);
  g_assert_cmpstr (tertulia_room_get_name (room), ==, "Archivo <i>vivo</i>");
  g_assert_nonnull (ui_test_find_message (tertulia_room_get_messages (room), "mensaje número 1"));
  g_assert_nonnull (ui_test_find_message (tertulia_room_get_messages (room), "la mía"));
  g_assert_true (tertulia_client_get_state (tertulia_session_get_client (tertulia_window_get_session (window))) !=
                 TERTULIA_CONNECTION_CONNECTED);
  {
    GListModel *messages = tertulia_room_get_messages (room);
    guint n = g_list_model_get_n_items (messages);
    g_autoptr(TertuliaMessage) divider = g_list_model_get_item (messages, n - 3);
    g_autoptr(TertuliaMessage) first_unread = g_list_model_get_item (messages, n - 2);

    g_assert_cmpstr (tertulia_message_get_text (divider), ==, "New messages");
    g_assert_cmpstr (tertulia_message_get_text (first_unread), ==, "¿seguís ahí?");
  }
  /* Shown in the window */
  WAIT_UNTIL (ui_test_find_widget (GTK_WIDGET (window), ui_test_row_text_matches, "última sin leer") != NULL);

  /* The app tries again on its own: it is not left disconnected for good */
  n_attempts = 0;
  g_signal_connect (tertulia_session_get_client (tertulia_window_get_session (window)), "notify::state",
                    G_CALLBACK (count_attempts_cb), &n_attempts);
  WAIT_UNTIL (n_attempts >= 1);
  g_signal_handlers_disconnect_by_func (tertulia_session_get_client (tertulia_window_get_session (window)),
                                        count_attempts_cb, &n_attempts);

  /* Another room opens at the address: the app gets in, and the log says
   * it is another room after what was kept; the new one is kept apart.
   */
  {
    g_autofree char *new_address = NULL;
    g_autofree char *new_id = NULL;
    g_autoptr(TertuliaArchiveRoom) other_room = NULL;
    const char *port = strrchr (address, ':') + 1;

    g_clear_object (&server);
    server = start_server (port, "Otra sala", &new_address);
    g_assert_cmpstr (new_address, ==, address);
    tertulia_client_retry (tertulia_session_get_client (tertulia_window_get_session (window)));
    WAIT_UNTIL (ui_test_find_message (tertulia_room_get_messages (room),
                                      "This is a different room: “Otra sala”.") != NULL);
    g_assert_cmpstr (tertulia_room_get_name (room), !=, "Archivo <i>vivo</i>");
    g_assert_cmpstr (tertulia_room_get_id (room), !=, room_id);
    g_assert_nonnull (ui_test_find_message (tertulia_room_get_messages (room), "última sin leer"));
    new_id = g_strdup (tertulia_room_get_id (room));
    tertulia_window_leave (window);
    other_room = tertulia_archive_dup_room (archive, new_id);
    g_assert_nonnull (other_room);
    g_assert_cmpstr (other_room->name, ==, "Otra sala");
    g_subprocess_send_signal (server, SIGTERM);
    g_subprocess_wait (server, NULL, NULL);
  }

  tertulia_window_leave (window);
  ui_test_destroy_window (window);
}

static gboolean
archive_has_room (TertuliaArchive *archive,
                  const char      *room_id)
{
  g_autoptr(TertuliaArchiveRoom) kept = tertulia_archive_dup_room (archive, room_id);

  return kept != NULL;
}

static gboolean
is_forget_button (GtkWidget     *widget,
                  gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_widget_get_tooltip_text (widget), "Forget This Room") == 0;
}

static gboolean
is_highlighted_row (GtkWidget     *widget,
                    gconstpointer  data)
{
  TertuliaMessage *message;

  if (!TERTULIA_IS_MESSAGE_ROW (widget) || !gtk_widget_has_css_class (widget, "search-hit"))
    return FALSE;

  message = tertulia_message_row_get_message (TERTULIA_MESSAGE_ROW (widget));

  return message != NULL && tertulia_message_get_seq (message) == *(const gint64 *) data;
}

/* Ctrl+F finds a message 10 000 messages back, with the matching word
 * marked (attributes, not markup); Enter loads it from the archive into
 * the log, scrolls there and marks the row; the bar closes. Then the room
 * is forgotten from Recent Rooms.
 */
static void
test_archive_search_jump (void)
{
  TertuliaArchive *archive = tertulia_app_archive_get ();
  TertuliaWindow *window = ui_test_window_new (app);
  TertuliaStartPage *start = _tertulia_window_get_start_page (window);
  TertuliaChatPage *chat = _tertulia_window_get_chat_page (window);
  const gint64 target = 40;
  const gint64 last = 10100;
  TertuliaSearchBar *bar;
  GtkListBoxRow *result;
  AdwActionRow *row;
  TertuliaRoom *room;

  /* Nobody listens on port 9 of loopback */
  tertulia_archive_update_room (archive, "room-far-back", "Sala larga", "", "127.0.0.1:9", 0);
  for (gint64 seq = 1; seq <= last; seq++)
    {
      g_autofree char *text = NULL;

      if (seq == target)
        text = g_strdup ("la receta de la <b>zanahoria</b> \"NEAR(\" aquí");
      else
        text = g_strdup_printf ("charla número %" G_GINT64_FORMAT, seq);
      record (archive, "room-far-back", seq, seq % 2 ? "ana" : "luis", text);
    }
  tertulia_archive_mark_read (archive, "room-far-back", last);
  tertulia_archive_flush (archive);

  _tertulia_start_page_update_recent_rooms (start);
  row = find_recent_row (window, "Sala larga");
  g_assert_nonnull (row);
  g_signal_emit_by_name (row, "activated");
  g_assert_cmpstr (_tertulia_window_get_page_name (window), ==, "chat");
  room = window_room (window);
  /* Only the newest page is read up front */
  g_assert_cmpint (tertulia_room_get_oldest_seq (room), >, last - 200);
  g_assert_null (ui_test_find_message (tertulia_room_get_messages (room), "charla número 41"));

  bar = chat->search_bar;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (chat), "chat.search", NULL));
  g_assert_true (tertulia_search_bar_get_open (bar));
  gtk_editable_set_text (_tertulia_search_bar_get_entry (bar), "ZANAHO near(");
  _tertulia_search_bar_search_now (bar);
  result = gtk_list_box_get_row_at_index (_tertulia_search_bar_get_results (bar), 0);
  g_assert_nonnull (result);
  g_assert_null (gtk_list_box_get_row_at_index (_tertulia_search_bar_get_results (bar), 1));
  {
    const char *text = "la receta de la <b>zanahoria</b> \"NEAR(\" aquí";
    GtkWidget *label = NULL;

    /* The entry's own search comes after its pause: rows are made again */
    WAIT_UNTIL ((result = gtk_list_box_get_row_at_index (_tertulia_search_bar_get_results (bar), 0)) != NULL &&
                (label = ui_test_find_widget (GTK_WIDGET (result), ui_test_label_text_matches, text)) != NULL);
    g_assert_false (gtk_label_get_use_markup (GTK_LABEL (label)));
    g_assert_nonnull (gtk_label_get_attributes (GTK_LABEL (label)));
  }

  /* Enter jumps to the newest result */
  g_signal_emit_by_name (_tertulia_search_bar_get_entry (bar), "activate");
  g_assert_nonnull (ui_test_find_message (tertulia_room_get_messages (room), "charla número 41"));
  WAIT_UNTIL (ui_test_find_widget (GTK_WIDGET (window), is_highlighted_row, &target) != NULL);
  g_assert_false (chat->stick_to_bottom);

  /* The keyboard goes on from the message it jumped to */
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)),
                                         GTK_WIDGET (_tertulia_chat_page_get_message_view (chat))));

  tertulia_search_bar_close (bar);
  g_assert_false (tertulia_search_bar_get_open (bar));

  tertulia_window_leave (window);

  /* Forgotten from Recent Rooms: gone from the list at once, and from
   * the archive when its Undo toast goes.
   */
  row = find_recent_row (window, "Sala larga");
  g_assert_nonnull (row);
  {
    GtkWidget *forget = ui_test_find_widget (GTK_WIDGET (row), is_forget_button, NULL);

    g_assert_nonnull (forget);
    g_signal_emit_by_name (forget, "clicked");
    g_assert_false (gtk_widget_get_visible (GTK_WIDGET (row)));
    WAIT_UNTIL (!archive_has_room (archive, "room-far-back"));
    g_assert_null (find_recent_row (window, "Sala larga"));
  }

  ui_test_destroy_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  app = ui_test_application_new ();

  g_test_add_func ("/window-archive/offline", test_archive_offline);
  g_test_add_func ("/window-archive/search-jump", test_archive_search_jump);

  status = g_test_run ();

  _tertulia_app_archive_close ();
  g_clear_object (&app);

  return status;
}

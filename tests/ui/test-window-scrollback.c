/* test-window-scrollback.c — older messages load as you scroll up, and you stay where you were
 *
 * A tertulia-server whose journal holds 1 000 events, of which a welcome
 * brings the last 100.
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "tertulia-journal.h"
#include "tertulia-test-store.h"
#include "ui-test-utils.h"

#define N_EVENTS 1000
#define WELCOME_HISTORY "100"

static TertuliaApplication *app;

typedef struct
{
  GSubprocess     *server;
  char            *dir;
  char            *address;
  TertuliaWindow  *window;
} Fixture;

static void
fill_journal (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TertuliaJournal) journal = tertulia_journal_open (dir, &error);

  g_assert_no_error (error);
  tertulia_test_fill_store (TERTULIA_STORE (journal), "5c7011bac4000001", "Historia", N_EVENTS);
}

static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("tertulia-scrollback-XXXXXX", &error);
  g_assert_no_error (error);
  fill_journal (fixture->dir);

  fixture->server = ui_test_start_server (&fixture->address,
                                          "--room-name", "Historia", "--no-announce",
                                          "--history", WELCOME_HISTORY,
                                          "--data-dir", fixture->dir,
                                          NULL);
  fixture->window = ui_test_window_new (app);
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  tertulia_window_leave (fixture->window);
  ui_test_destroy_window (fixture->window);

  ui_test_stop_server (&fixture->server);
  tertulia_test_remove_tree (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
  g_clear_pointer (&fixture->address, g_free);
}

static TertuliaChatPage *
chat_page (Fixture *fixture)
{
  return _tertulia_window_get_chat_page (fixture->window);
}

static TertuliaClient *
client_of (Fixture *fixture)
{
  return tertulia_session_get_client (tertulia_window_get_session (fixture->window));
}

static TertuliaRoom *
room_of (Fixture *fixture)
{
  return tertulia_client_get_room (client_of (fixture));
}

static GtkAdjustment *
log_adjustment (Fixture *fixture)
{
  return gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (_tertulia_chat_page_get_message_view (chat_page (fixture))));
}

static gboolean
find_row_y (Fixture    *fixture,
            const char *text,
            double     *y)
{
  TertuliaMessageRow *row = ui_test_find_row (fixture->window, text);
  GtkWidget *scroller = gtk_widget_get_parent (GTK_WIDGET (_tertulia_chat_page_get_message_view (chat_page (fixture))));
  graphene_point_t point;

  /* Its last line, where its text is: the author's name above it goes
   * once the row before is by the same person
   */
  if (row == NULL ||
      !gtk_widget_compute_point (GTK_WIDGET (row), scroller,
                                 &GRAPHENE_POINT_INIT (0, gtk_widget_get_height (GTK_WIDGET (row))), &point))
    return FALSE;

  *y = point.y;
  return TRUE;
}

static void
revealed_cb (GtkRevealer *revealer,
             GParamSpec  *pspec,
             guint       *n_revealed)
{
  if (gtk_revealer_get_reveal_child (revealer))
    (*n_revealed)++;
}

static void
test_scroll_back (Fixture       *fixture,
                  gconstpointer  data)
{
  TertuliaStartPage *start = _tertulia_window_get_start_page (fixture->window);
  GtkRevealer *spinner;
  GListModel *messages;
  GtkAdjustment *adjustment;
  guint n_revealed = 0;
  double y_before = 0;
  double y = 0;
  gint64 oldest;

  gtk_editable_set_text (_tertulia_start_page_get_nickname_row (start), "visitante");
  gtk_editable_set_text (_tertulia_start_page_get_address_row (start), fixture->address);
  tertulia_start_page_join (start);
  WAIT_UNTIL (g_strcmp0 (_tertulia_window_get_page_name (fixture->window), "chat") == 0);

  messages = tertulia_room_get_messages (room_of (fixture));
  adjustment = log_adjustment (fixture);
  spinner = _tertulia_chat_page_get_history_revealer (chat_page (fixture));
  g_signal_connect (spinner, "notify::reveal-child", G_CALLBACK (revealed_cb), &n_revealed);

  /* Joined at the bottom of the last 100; nothing older asked for yet */
  WAIT_UNTIL (ui_test_find_row (fixture->window, "mensaje 1000") != NULL &&
              gtk_adjustment_get_page_size (adjustment) > 0 &&
              gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment) >=
              gtk_adjustment_get_upper (adjustment) - 8);
  tertulia_test_spin (300);
  oldest = tertulia_room_get_oldest_seq (room_of (fixture));
  g_assert_cmpint (oldest, ==, N_EVENTS + 2 - 100);
  g_assert_true (tertulia_room_get_has_older (room_of (fixture)));
  g_assert_false (tertulia_client_get_fetching_history (client_of (fixture)));
  g_assert_cmpuint (n_revealed, ==, 0);

  /* Scrolled to the top: the page before comes, above what is shown. The
   * host is held back meanwhile, so that the view has laid out the top
   * of the log before the page arrives, as on a slower network.
   */
  g_subprocess_send_signal (fixture->server, SIGSTOP);
  gtk_adjustment_set_value (adjustment, 0);
  g_assert_true (tertulia_client_get_fetching_history (client_of (fixture)));
  g_assert_true (gtk_revealer_get_reveal_child (spinner));
  tertulia_test_spin (300);
  g_assert_true (find_row_y (fixture, "mensaje 902", &y_before));
  g_subprocess_send_signal (fixture->server, SIGCONT);
  WAIT_UNTIL (tertulia_room_get_oldest_seq (room_of (fixture)) < oldest);
  WAIT_UNTIL (!gtk_revealer_get_reveal_child (spinner));

  /* You stay where you were: the first message you saw is where it was,
   * and the page in front is above it, out of sight; no page more is
   * asked for, since you are no longer at the top.
   */
  tertulia_test_spin (300);
  g_assert_true (find_row_y (fixture, "mensaje 902", &y));
  g_test_message ("“mensaje 902” was at %.1f, is at %.1f", y_before, y);
  g_assert_cmpfloat (ABS (y - y_before), <, 2.0);
  g_assert_null (ui_test_find_row (fixture->window, "mensaje 802"));
  g_assert_cmpint (tertulia_room_get_oldest_seq (room_of (fixture)), ==, oldest - 100);
  g_assert_false (tertulia_client_get_fetching_history (client_of (fixture)));
  g_assert_false (gtk_revealer_get_reveal_child (_tertulia_chat_page_get_new_messages_revealer (chat_page (fixture))));
  g_assert_cmpuint (n_revealed, ==, 1);

  /* From the keyboard: Home goes to the first row, and asks for more */
  oldest = tertulia_room_get_oldest_seq (room_of (fixture));
  {
    GtkWidget *view = GTK_WIDGET (_tertulia_chat_page_get_message_view (chat_page (fixture)));
    g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (view);
    gboolean handled = FALSE;
    gboolean sent = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
      {
        g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

        if (GTK_IS_EVENT_CONTROLLER_KEY (controller) &&
            gtk_event_controller_get_propagation_phase (controller) == GTK_PHASE_CAPTURE)
          {
            g_signal_emit_by_name (controller, "key-pressed", GDK_KEY_Home, 0, 0, &handled);
            sent = TRUE;
          }
      }
    g_assert_true (sent);
    g_assert_false (handled);
  }

  /* Something new while a page is on its way is still news */
  g_assert_true (tertulia_client_get_fetching_history (client_of (fixture)));
  tertulia_room_add_notice (room_of (fixture), "arrives while older ones load");
  WAIT_UNTIL (gtk_revealer_get_reveal_child (_tertulia_chat_page_get_new_messages_revealer (chat_page (fixture))));
  WAIT_UNTIL (tertulia_room_get_oldest_seq (room_of (fixture)) == oldest - 100);

  /* On to the room's first message, every one of them once */
  for (guint i = 0; i < 20 && tertulia_room_get_has_older (room_of (fixture)); i++)
    {
      oldest = tertulia_room_get_oldest_seq (room_of (fixture));
      WAIT_UNTIL (!tertulia_client_get_fetching_history (client_of (fixture)));
      tertulia_test_spin (50);
      gtk_adjustment_set_value (adjustment, 0);
      WAIT_UNTIL (tertulia_room_get_oldest_seq (room_of (fixture)) < oldest);
    }
  g_assert_false (tertulia_room_get_has_older (room_of (fixture)));
  g_assert_cmpint (tertulia_room_get_oldest_seq (room_of (fixture)), ==, 1);
  for (gint64 seq = 1, i = 0; i < g_list_model_get_n_items (messages); i++)
    {
      g_autoptr(TertuliaMessage) message = g_list_model_get_item (messages, i);

      if (tertulia_message_get_seq (message) > 0)
        g_assert_cmpint (tertulia_message_get_seq (message), ==, seq++);
    }
  gtk_adjustment_set_value (adjustment, 0);
  WAIT_UNTIL (ui_test_find_row (fixture->window, "mensaje 1") != NULL);

  g_signal_handlers_disconnect_by_data (spinner, &n_revealed);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  app = ui_test_application_new ();

  g_test_add ("/window/scrollback/scroll-back", Fixture, NULL, setup, test_scroll_back, teardown);

  ret = g_test_run ();
  g_object_unref (app);

  return ret;
}

/* test-window-joins.c — runs of joins and leaves as one line in a hosted room's log
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ui-test-utils.h"

static TertuliaApplication *app;

/* The visible notice row saying exactly @text; its accessible name (on the list
 * item the row is in, which takes the keyboard focus) says it too.
 */
static TertuliaMessageRow *
wait_for_row (TertuliaWindow *window,
              const char     *text)
{
  TertuliaMessageRow *row = NULL;
  GtkWidget *item;

  WAIT_UNTIL ((row = ui_test_find_row (window, text)) != NULL);
  item = gtk_widget_get_parent (GTK_WIDGET (row));
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (item)), ==, GTK_ACCESSIBLE_ROLE_LIST_ITEM);
  gtk_test_accessible_assert_property (item, GTK_ACCESSIBLE_PROPERTY_LABEL, text);

  return row;
}

static void
assert_description (TertuliaMessageRow *row,
                    const char         *expected)
{
  GtkWidget *item = gtk_widget_get_parent (GTK_WIDGET (row));

  gtk_test_accessible_assert_property (item, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, expected);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (row)), ==, expected);
}

static void
test_runs (void)
{
  TertuliaWindow *window = ui_test_window_new (app);
  TertuliaStartPage *start = _tertulia_window_get_start_page (window);
  TertuliaChatPage *chat = _tertulia_window_get_chat_page (window);
  g_autofree char *address = NULL;
  TertuliaClient *guests[5];
  TertuliaMessageRow *row;
  guint port;

  gtk_editable_set_text (_tertulia_start_page_get_nickname_row (start), "hostie");
  gtk_editable_set_text (_tertulia_start_page_get_room_name_row (start), "Joins");
  port = tertulia_find_free_port (20000, 40000);
  g_assert_cmpuint (port, !=, 0);
  gtk_spin_button_set_value (_tertulia_start_page_get_port_spin (start), port);
  tertulia_start_page_host (start);
  WAIT_UNTIL (g_strcmp0 (_tertulia_window_get_page_name (window), "chat") == 0);
  address = g_strdup_printf ("127.0.0.1:%u", tertulia_session_get_port (tertulia_window_get_session (window)));

  _tertulia_chat_page_set_entry_text (chat, "hola");
  tertulia_chat_page_submit (chat);
  WAIT_UNTIL (ui_test_find_row (window, "hola") != NULL);

  /* Two joins: one line. */
  guests[0] = ui_test_join (address, "ana");
  guests[1] = ui_test_join (address, "bob");
  row = wait_for_row (window, "ana and bob joined");
  assert_description (row, "ana joined\nbob joined");
  g_assert_null (ui_test_find_row (window, "bob joined"));

  /* One more, live: the same line grows. */
  guests[2] = ui_test_join (address, "cid");
  g_assert_true (wait_for_row (window, "ana, bob and cid joined") == row);
  g_assert_null (ui_test_find_row (window, "ana and bob joined"));

  /* Someone leaving goes in it too; past three names, people are counted. */
  g_clear_pointer (&guests[0], ui_test_leave);
  g_assert_true (wait_for_row (window, "3 people joined and 1 person left") == row);
  assert_description (row, "ana joined\nbob joined\ncid joined\nana left");

  /* A message ends the run: the next join is a line of its own. */
  _tertulia_chat_page_set_entry_text (chat, "adiós");
  tertulia_chat_page_submit (chat);
  WAIT_UNTIL (ui_test_find_row (window, "adiós") != NULL);
  guests[3] = ui_test_join (address, "dan");
  row = wait_for_row (window, "dan joined");
  g_assert_null (gtk_widget_get_tooltip_text (GTK_WIDGET (row)));
  g_assert_false (gtk_test_accessible_has_property (GTK_ACCESSIBLE (gtk_widget_get_parent (GTK_WIDGET (row))),
                                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
  g_clear_pointer (&guests[1], ui_test_leave);
  wait_for_row (window, "dan joined, bob left");
  g_assert_nonnull (ui_test_find_row (window, "3 people joined and 1 person left"));

  guests[4] = NULL;
  for (guint i = 0; i < G_N_ELEMENTS (guests); i++)
    g_clear_pointer (&guests[i], ui_test_leave);

  tertulia_window_leave (window);
  ui_test_destroy_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  /* Accessible names as GTK's own tests read them (run-ui-test.sh says none). */
  g_setenv ("GTK_A11Y", "test", TRUE);
  g_test_init (&argc, &argv, NULL);

  app = ui_test_application_new ();

  g_test_add_func ("/window/joins/runs", test_runs);

  ret = g_test_run ();

  g_clear_object (&app);

  return ret;
}

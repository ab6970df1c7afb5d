/* test-log-model.c — the log as the list view sees it: a burst of messages is one change
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "tertulia-log-model.h"
#include "tertulia-message.h"
#include "tertulia-test-changes.h"
#include "tertulia-test-utils.h"

typedef struct
{
  GListStore       *messages;  /* the room's */
  TertuliaLogModel *log;
  GArray           *changes;   /* of TertuliaTestChange, as the view got them */
} Fixture;

static void
append (Fixture *fixture,
        guint    n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TertuliaMessage) message = tertulia_message_new_notice ("hola", NULL);

      g_list_store_append (fixture->messages, message);
    }
}

static void
assert_changes (Fixture *fixture,
                guint    n_changes,
                guint    position,
                guint    removed,
                guint    added)
{
  TertuliaTestChange *last;

  g_assert_cmpuint (fixture->changes->len, ==, n_changes);
  if (n_changes == 0)
    return;

  last = &g_array_index (fixture->changes, TertuliaTestChange, n_changes - 1);
  g_assert_cmpuint (last->position, ==, position);
  g_assert_cmpuint (last->removed, ==, removed);
  g_assert_cmpuint (last->added, ==, added);
  g_array_set_size (fixture->changes, 0);
}

static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  fixture->messages = g_list_store_new (TERTULIA_TYPE_MESSAGE);
  fixture->changes = g_array_new (FALSE, FALSE, sizeof (TertuliaTestChange));
  append (fixture, 10);

  fixture->log = tertulia_log_model_new (G_LIST_MODEL (fixture->messages));
  g_signal_connect (fixture->log, "items-changed", G_CALLBACK (tertulia_test_record_change_cb), fixture->changes);
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (fixture->log, fixture->changes);
  g_assert_finalize_object (g_steal_pointer (&fixture->log));
  g_assert_finalize_object (g_steal_pointer (&fixture->messages));
  g_clear_pointer (&fixture->changes, g_array_unref);
}

/* A burst of appends reaches the view once, on the next turn of the
 * main loop; until then the view sees the log as it was.
 */
static void
test_burst (Fixture       *fixture,
            gconstpointer  data)
{
  GListModel *log = G_LIST_MODEL (fixture->log);
  g_autoptr(TertuliaMessage) first = g_list_model_get_item (log, 0);
  g_autoptr(TertuliaMessage) expected = g_list_model_get_item (G_LIST_MODEL (fixture->messages), 0);

  g_assert_true (g_list_model_get_item_type (log) == TERTULIA_TYPE_MESSAGE);
  g_assert_cmpuint (g_list_model_get_n_items (log), ==, 10);
  g_assert_true (first == expected);

  append (fixture, 100);
  assert_changes (fixture, 0, 0, 0, 0);
  g_assert_cmpuint (g_list_model_get_n_items (log), ==, 10);
  g_assert_null (g_list_model_get_item (log, 10));

  WAIT_UNTIL (fixture->changes->len > 0);
  tertulia_test_spin (20);
  assert_changes (fixture, 1, 10, 0, 100);
  g_assert_cmpuint (g_list_model_get_n_items (log), ==, 110);
}

/* A change above what waits is passed on at once, as it is; what waited
 * follows on the next turn of the main loop, as one change.
 */
static void
test_change_above (Fixture       *fixture,
                   gconstpointer  data)
{
  GListModel *log = G_LIST_MODEL (fixture->log);

  g_list_store_remove (fixture->messages, 3);
  assert_changes (fixture, 1, 3, 1, 0);
  g_assert_cmpuint (g_list_model_get_n_items (log), ==, 9);

  append (fixture, 5);
  g_list_store_remove (fixture->messages, 0);
  assert_changes (fixture, 1, 0, 1, 0);
  g_assert_cmpuint (g_list_model_get_n_items (log), ==, 8);

  WAIT_UNTIL (fixture->changes->len > 0);
  tertulia_test_spin (20);
  assert_changes (fixture, 1, 8, 0, 5);
  g_assert_cmpuint (g_list_model_get_n_items (log), ==, 13);
}

/* Older messages put in front while new ones wait at the end: the view
 * gets the rows in front as they are, and does not lay out the whole log
 * again (which would lose the place of the person scrolling back).
 */
static void
test_prepend (Fixture       *fixture,
              gconstpointer  data)
{
  GListModel *log = G_LIST_MODEL (fixture->log);
  g_autoptr(GPtrArray) older = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(TertuliaMessage) first = NULL;

  for (guint i = 0; i < 100; i++)
    g_ptr_array_add (older, tertulia_message_new_notice ("antes", NULL));

  append (fixture, 5);
  g_list_store_splice (fixture->messages, 0, 0, older->pdata, older->len);
  assert_changes (fixture, 1, 0, 0, 100);
  g_assert_cmpuint (g_list_model_get_n_items (log), ==, 110);
  first = g_list_model_get_item (log, 0);
  g_assert_true (first == g_ptr_array_index (older, 0));

  WAIT_UNTIL (fixture->changes->len > 0);
  tertulia_test_spin (20);
  assert_changes (fixture, 1, 110, 0, 5);
  g_assert_cmpuint (g_list_model_get_n_items (log), ==, 115);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/log-model/burst", Fixture, NULL, setup, test_burst, teardown);
  g_test_add ("/log-model/change-above", Fixture, NULL, setup, test_change_above, teardown);
  g_test_add ("/log-model/prepend", Fixture, NULL, setup, test_prepend, teardown);

  return g_test_run ();
}

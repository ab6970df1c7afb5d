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

static void
assert_changes_are (GArray *changes,
                    guint   position,
                    guint   removed,
                    guint   added)
{
  TertuliaTestChange *change;

  g_assert_cmpuint (changes->len, ==, 1);
  change = &g_array_index (changes, TertuliaTestChange, 0);
  g_assert_cmpuint (change->position, ==, position);
  g_assert_cmpuint (change->removed, ==, removed);
  g_assert_cmpuint (change->added, ==, added);
  g_array_set_size (changes, 0);
}

/* Runs of joins and leaves: one item each, whichever end of the log they
 * grow at.
 */

static TertuliaMessage *
chat_at (guint hour)
{
  g_autoptr(GDateTime) time = g_date_time_new_local (2026, 12, 7, hour, 0, 0);

  return tertulia_message_new (TERTULIA_MESSAGE_KIND_CHAT, 1, 1, "luis", "hola", time);
}

static TertuliaMessage *
event_at (TertuliaNoticeKind  kind,
          const char         *nick,
          guint               day,
          guint               hour)
{
  g_autoptr(GDateTime) time = g_date_time_new_local (2026, 12, day, hour, 0, 0);
  g_autofree char *text = g_strdup_printf ("%s %s", nick, kind == TERTULIA_NOTICE_KIND_JOIN ? "joined" : "left");

  return tertulia_message_new_event_notice (kind, 1, nick, text, time);
}

#define JOIN(nick) event_at (TERTULIA_NOTICE_KIND_JOIN, nick, 7, 10)
#define LEAVE(nick) event_at (TERTULIA_NOTICE_KIND_LEAVE, nick, 7, 10)

static void
add_all (GListStore *store,
         guint       position,
         ...)
{
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  va_list args;

  va_start (args, position);
  for (TertuliaMessage *m = va_arg (args, TertuliaMessage *); m != NULL; m = va_arg (args, TertuliaMessage *))
    g_ptr_array_add (messages, m);
  va_end (args);

  g_list_store_splice (store, position, 0, messages->pdata, messages->len);
}

/* "a,b|c" for a log whose items are a run of a and b, then c */
static char *
describe (GListModel *log)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (log); i++)
    {
      g_autoptr(TertuliaMessage) item = g_list_model_get_item (log, i);
      GListModel *run = tertulia_log_model_get_run (item);

      if (i > 0)
        g_string_append_c (out, '|');

      if (run == NULL)
        {
          g_string_append (out, tertulia_message_get_kind (item) == TERTULIA_MESSAGE_KIND_CHAT ? "chat" : "notice");
          continue;
        }

      for (guint j = 0; j < g_list_model_get_n_items (run); j++)
        {
          g_autoptr(TertuliaMessage) member = g_list_model_get_item (run, j);

          if (j > 0)
            g_string_append_c (out, ',');
          if (j == 0)
            g_assert_true (member == item);
          g_string_append_printf (out, "%s%s",
                                  tertulia_message_get_notice_kind (member) == TERTULIA_NOTICE_KIND_LEAVE ? "-" : "+",
                                  tertulia_message_get_subject (member));
        }
    }

  return g_string_free (out, FALSE);
}

#define assert_log(log, expected) G_STMT_START { \
    g_autofree char *described = describe (G_LIST_MODEL (log)); \
    g_assert_cmpstr (described, ==, expected); \
  } G_STMT_END

static void
run_changed_cb (GListModel *run,
                guint       position,
                guint       removed,
                guint       added,
                guint      *count)
{
  (*count)++;
}

static void
test_runs (void)
{
  g_autoptr(GListStore) messages = g_list_store_new (TERTULIA_TYPE_MESSAGE);
  g_autoptr(TertuliaLogModel) log = NULL;
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (TertuliaTestChange));
  g_autoptr(TertuliaMessage) head = NULL;
  g_autoptr(GListModel) run = NULL;
  guint run_changes = 0;

  add_all (messages, 0,
           chat_at (9), JOIN ("ana"), JOIN ("bob"), LEAVE ("cid"), chat_at (11),
           JOIN ("dan"), tertulia_message_new_notice ("/help", NULL),
           event_at (TERTULIA_NOTICE_KIND_RENAME, "eva", 7, 12), JOIN ("fay"),
           NULL);
  log = tertulia_log_model_new (G_LIST_MODEL (messages));
  g_signal_connect (log, "items-changed", G_CALLBACK (tertulia_test_record_change_cb), changes);
  assert_log (log, "chat|+ana,+bob,-cid|chat|+dan|notice|notice|+fay");

  /* A join arriving live grows the last run: the same item, no change
   * for the view, and the run says it grew.
   */
  head = g_list_model_get_item (G_LIST_MODEL (log), 6);
  run = g_object_ref (tertulia_log_model_get_run (head));
  g_signal_connect (run, "items-changed", G_CALLBACK (run_changed_cb), &run_changes);
  add_all (messages, 9, LEAVE ("gil"), NULL);
  WAIT_UNTIL (run_changes > 0);
  tertulia_test_spin (20);
  g_assert_cmpuint (changes->len, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (run), ==, 2);
  assert_log (log, "chat|+ana,+bob,-cid|chat|+dan|notice|notice|+fay,-gil");

  /* A message ends it: that is a new item. */
  add_all (messages, 10, chat_at (13), JOIN ("hal"), NULL);
  WAIT_UNTIL (changes->len > 0);
  assert_changes_are (changes, 7, 0, 2);
  assert_log (log, "chat|+ana,+bob,-cid|chat|+dan|notice|notice|+fay,-gil|chat|+hal");

  /* A message landing inside a run cuts it in two. */
  add_all (messages, 2, chat_at (10), NULL);
  assert_changes_are (changes, 2, 0, 2);
  assert_log (log, "chat|+ana|chat|+bob,-cid|chat|+dan|notice|notice|+fay,-gil|chat|+hal");

  /* A run stays on one day. */
  add_all (messages, 13, event_at (TERTULIA_NOTICE_KIND_JOIN, "ivo", 8, 0), NULL);
  WAIT_UNTIL (changes->len > 0);
  assert_changes_are (changes, 11, 0, 1);
  assert_log (log, "chat|+ana|chat|+bob,-cid|chat|+dan|notice|notice|+fay,-gil|chat|+hal|+ivo");
}

/* Older history put in front of the log (scrollback) joins the run that
 * opened it.
 */
static void
test_runs_prepend (void)
{
  g_autoptr(GListStore) messages = g_list_store_new (TERTULIA_TYPE_MESSAGE);
  g_autoptr(TertuliaLogModel) log = NULL;
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (TertuliaTestChange));
  g_autoptr(TertuliaMessage) old_head = NULL;

  add_all (messages, 0, JOIN ("ana"), LEAVE ("bob"), chat_at (11), NULL);
  log = tertulia_log_model_new (G_LIST_MODEL (messages));
  g_signal_connect (log, "items-changed", G_CALLBACK (tertulia_test_record_change_cb), changes);
  assert_log (log, "+ana,-bob|chat");
  old_head = g_list_model_get_item (G_LIST_MODEL (messages), 0);

  add_all (messages, 0, chat_at (8), JOIN ("zoe"), NULL);
  assert_changes_are (changes, 0, 1, 2);
  assert_log (log, "chat|+zoe,+ana,-bob|chat");
  g_assert_null (tertulia_log_model_get_run (old_head));

  /* Older still, ending with a message: the items below stay as they are. */
  add_all (messages, 0, JOIN ("yan"), JOIN ("xia"), chat_at (7), NULL);
  assert_changes_are (changes, 0, 0, 2);
  assert_log (log, "+yan,+xia|chat|chat|+zoe,+ana,-bob|chat");

  /* Everything gone */
  g_list_store_remove_all (messages);
  assert_changes_are (changes, 0, 5, 0);
  assert_log (log, "");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/log-model/burst", Fixture, NULL, setup, test_burst, teardown);
  g_test_add ("/log-model/change-above", Fixture, NULL, setup, test_change_above, teardown);
  g_test_add_func ("/log-model/runs", test_runs);
  g_test_add_func ("/log-model/runs-prepend", test_runs_prepend);
  g_test_add ("/log-model/prepend", Fixture, NULL, setup, test_prepend, teardown);

  return g_test_run ();
}

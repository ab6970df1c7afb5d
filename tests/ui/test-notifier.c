/* test-notifier.c — desktop notifications, without a window
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>

#include "tertulia-notifier.h"
#include "tertulia-protocol.h"
#include "tertulia-room.h"
#include "ui-test-utils.h"

#define WELCOME                                                                     \
  "{\"type\":\"welcome\",\"version\":1,"                                            \
  "\"you\":{\"id\":1,\"nick\":\"me\",\"joined_at\":1763769600000,\"host\":false},"  \
  "\"room\":{\"name\":\"Test room\",\"topic\":\"\"},"                               \
  "\"participants\":["                                                              \
  "{\"id\":1,\"nick\":\"me\",\"joined_at\":1763769600000,\"host\":false},"          \
  "{\"id\":2,\"nick\":\"ana\",\"joined_at\":1763769600000,\"host\":true},"          \
  "{\"id\":3,\"nick\":\"luis\",\"joined_at\":1763769600000,\"host\":false}],"       \
  "\"seq\":1,"                                                                      \
  "\"resume_token\":\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"," \
  "\"resumed\":false,\"gap\":false,"                                                \
  "\"history\":[{\"type\":\"message\",\"seq\":1,\"time\":1763769600000,"            \
  "\"from\":{\"id\":2,\"nick\":\"ana\"},\"kind\":\"chat\",\"text\":\"old news\"}]}"

typedef struct
{
  GApplication     *app;
  TertuliaRoom     *room;
  TertuliaNotifier *notifier;
  gint64            seq;
  guint             n_present;
  guint             present_target;
} Fixture;

static GApplication *the_app;
static guint        *the_present_count;
static guint        *the_present_target;

static void
present_window_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  if (the_present_count != NULL)
    (*the_present_count)++;
  if (the_present_target != NULL)
    *the_present_target = g_variant_get_uint32 (parameter);
}

static guint
n_calls (const char *method)
{
  g_autoptr(GPtrArray) calls = ui_test_mock_get_calls (method);

  return calls->len;
}

static void
apply_json (TertuliaRoom *room,
            const char   *json)
{
  g_autoptr(TertuliaFrame) frame = NULL;
  g_autoptr(GError) error = NULL;

  frame = tertulia_protocol_parse_server_frame (json, strlen (json), &error);
  g_assert_no_error (error);

  if (frame->type == TERTULIA_FRAME_WELCOME)
    tertulia_room_apply_welcome (room, frame);
  else
    g_assert_true (tertulia_room_apply_event (room, frame));
}

/* A message arriving from @id/@nick, live. */
static void
receive (Fixture    *fixture,
         gint64      id,
         const char *nick,
         const char *kind,
         const char *text)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "message");
  json_builder_set_member_name (builder, "seq");
  json_builder_add_int_value (builder, ++fixture->seq);
  json_builder_set_member_name (builder, "time");
  json_builder_add_int_value (builder, g_get_real_time () / 1000);
  json_builder_set_member_name (builder, "from");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, id);
  json_builder_set_member_name (builder, "nick");
  json_builder_add_string_value (builder, nick);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, kind);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, text);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);

  apply_json (fixture->room, json);
}

static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  fixture->app = g_object_ref (the_app);
  the_present_count = &fixture->n_present;
  the_present_target = &fixture->present_target;

  fixture->room = tertulia_room_new ();
  apply_json (fixture->room, WELCOME);
  fixture->seq = tertulia_room_get_last_seq (fixture->room);
  g_assert_cmpint (fixture->seq, ==, 1);

  ui_test_mock_clear_calls ();

  fixture->notifier = tertulia_notifier_new (fixture->app, "room-7", 7);
  tertulia_notifier_set_room (fixture->notifier, fixture->room);
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  g_assert_finalize_object (fixture->notifier);
  g_assert_finalize_object (fixture->room);
  g_clear_object (&fixture->app);
  the_present_count = NULL;
  the_present_target = NULL;
}

static void
test_one_message (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *text = "<b>bold</b> & <i>co</i> &amp;";
  g_autoptr(GPtrArray) calls = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *body = NULL;

  /* The welcome's history ("old news") is not news. */
  tertulia_test_spin (50);
  g_assert_cmpuint (n_calls ("Notify"), ==, 0);

  receive (fixture, 2, "ana", "chat", text);

  calls = ui_test_mock_get_calls ("Notify");
  g_assert_cmpuint (calls->len, ==, 1);
  summary = ui_test_notify_call_dup_string (g_ptr_array_index (calls, 0), 3);
  body = ui_test_notify_call_dup_string (g_ptr_array_index (calls, 0), 4);
  /* Who, and where: there may be several rooms open. */
  g_assert_cmpstr (summary, ==, "ana in Test room");
  /* Plain text, exactly as typed: nothing interpreted or escaped. */
  g_assert_cmpstr (body, ==, text);
  g_assert_cmpuint (tertulia_notifier_get_n_unseen (fixture->notifier), ==, 1);
}

static void
test_action (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) calls = NULL;
  g_autofree char *body = NULL;

  receive (fixture, 3, "luis", "action", "waves");

  calls = ui_test_mock_get_calls ("Notify");
  g_assert_cmpuint (calls->len, ==, 1);
  body = ui_test_notify_call_dup_string (g_ptr_array_index (calls, 0), 4);
  g_assert_cmpstr (body, ==, "luis waves");
}

static void
test_window_active (Fixture       *fixture,
                    gconstpointer  data)
{
  tertulia_notifier_set_window_active (fixture->notifier, TRUE);

  receive (fixture, 2, "ana", "chat", "you are looking at me");
  tertulia_test_spin (50);

  g_assert_cmpuint (n_calls ("Notify"), ==, 0);
  g_assert_cmpuint (tertulia_notifier_get_n_unseen (fixture->notifier), ==, 0);
}

static void
test_withdraw_on_activate (Fixture       *fixture,
                           gconstpointer  data)
{
  receive (fixture, 2, "ana", "chat", "hola");
  g_assert_cmpuint (n_calls ("Notify"), ==, 1);
  g_assert_cmpuint (n_calls ("CloseNotification"), ==, 0);

  /* Coming back to the window takes the notification back. */
  tertulia_notifier_set_window_active (fixture->notifier, TRUE);
  g_assert_cmpuint (n_calls ("CloseNotification"), ==, 1);
  g_assert_cmpuint (tertulia_notifier_get_n_unseen (fixture->notifier), ==, 0);

  /* And a later burst starts afresh. */
  tertulia_notifier_set_window_active (fixture->notifier, FALSE);
  receive (fixture, 3, "luis", "chat", "adiós");
  g_assert_cmpuint (n_calls ("Notify"), ==, 2);
  g_assert_cmpuint (tertulia_notifier_get_n_unseen (fixture->notifier), ==, 1);
}

static void
test_collapse (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) calls = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *body = NULL;

  receive (fixture, 2, "ana", "chat", "one");
  receive (fixture, 3, "luis", "chat", "two");
  receive (fixture, 2, "ana", "chat", "three");

  /* The first shows at once, the rest wait for the burst to end. */
  g_assert_cmpuint (n_calls ("Notify"), ==, 1);

  WAIT_UNTIL (n_calls ("Notify") == 2);

  calls = ui_test_mock_get_calls ("Notify");
  summary = ui_test_notify_call_dup_string (g_ptr_array_index (calls, 1), 3);
  body = ui_test_notify_call_dup_string (g_ptr_array_index (calls, 1), 4);
  g_assert_cmpstr (summary, ==, "Test room");
  g_assert_cmpstr (body, ==, "3 new messages from ana and luis");
  g_assert_cmpuint (tertulia_notifier_get_n_unseen (fixture->notifier), ==, 3);

  /* Nothing more arrived: no more notifications. */
  tertulia_test_spin (TERTULIA_NOTIFIER_COLLAPSE_MSEC + 300);
  g_assert_cmpuint (n_calls ("Notify"), ==, 2);
}

/* A mention in a burst is not folded into the summary: it has its own
 * notification, with its text, and the summary counts the rest.
 */
static void
test_mention_in_burst (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) calls = NULL;
  gboolean mention_shown = FALSE;
  g_autofree char *last_body = NULL;

  receive (fixture, 2, "ana", "chat", "one");
  receive (fixture, 2, "ana", "chat", "two");
  receive (fixture, 3, "luis", "chat", "me: are you coming?");
  receive (fixture, 2, "ana", "chat", "three");

  WAIT_UNTIL (n_calls ("Notify") >= 3);
  tertulia_test_spin (TERTULIA_NOTIFIER_COLLAPSE_MSEC + 300);

  calls = ui_test_mock_get_calls ("Notify");
  for (guint i = 0; i < calls->len; i++)
    {
      g_autofree char *summary = ui_test_notify_call_dup_string (g_ptr_array_index (calls, i), 3);
      g_autofree char *body = ui_test_notify_call_dup_string (g_ptr_array_index (calls, i), 4);

      if (g_strcmp0 (body, "me: are you coming?") == 0)
        {
          g_assert_cmpstr (summary, ==, "luis in Test room");
          mention_shown = TRUE;
        }
      else if (i == calls->len - 1)
        {
          last_body = g_steal_pointer (&body);
        }
    }

  g_assert_true (mention_shown);
  g_assert_cmpstr (last_body, ==, "3 new messages from ana");

  /* Taking both back; the daemon's numbering is counted to the end. */
  tertulia_notifier_set_window_active (fixture->notifier, TRUE);
  g_assert_cmpuint (n_calls ("CloseNotification"), ==, 2);
}

static void
test_mentions_mode (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) calls = NULL;
  g_autofree char *body = NULL;

  tertulia_notifier_set_mode (fixture->notifier, TERTULIA_NOTIFICATION_MODE_MENTIONS);

  receive (fixture, 2, "ana", "chat", "nothing for you");
  tertulia_test_spin (50);
  g_assert_cmpuint (n_calls ("Notify"), ==, 0);

  receive (fixture, 3, "luis", "chat", "hey me, look");

  calls = ui_test_mock_get_calls ("Notify");
  g_assert_cmpuint (calls->len, ==, 1);
  body = ui_test_notify_call_dup_string (g_ptr_array_index (calls, 0), 4);
  g_assert_cmpstr (body, ==, "hey me, look");
}

static void
test_mode_none (Fixture       *fixture,
                gconstpointer  data)
{
  tertulia_notifier_set_mode (fixture->notifier, TERTULIA_NOTIFICATION_MODE_NONE);

  receive (fixture, 2, "ana", "chat", "hey me");
  tertulia_test_spin (50);

  g_assert_cmpuint (n_calls ("Notify"), ==, 0);
}

static void
test_own_and_notices (Fixture       *fixture,
                      gconstpointer  data)
{
  tertulia_room_add_own_message (fixture->room, TERTULIA_MESSAGE_KIND_CHAT, "c1", "mine");
  tertulia_room_add_notice (fixture->room, "Something happened");
  receive (fixture, 1, "me", "chat", "also mine, from the server");
  apply_json (fixture->room,
              "{\"type\":\"join\",\"seq\":3,\"time\":1763769700000,"
              "\"participant\":{\"id\":4,\"nick\":\"marta\",\"joined_at\":1763769700000,\"host\":false}}");
  tertulia_test_spin (50);

  g_assert_cmpuint (n_calls ("Notify"), ==, 0);
}

static void
test_activate (Fixture       *fixture,
               gconstpointer  data)
{
  receive (fixture, 2, "ana", "chat", "click me");
  g_assert_cmpuint (n_calls ("Notify"), ==, 1);

  /* The person clicks the notification: the daemon says so with the id
   * it gave, and the window is brought up through app.present-window.
   */
  ui_test_mock_click_last ();

  WAIT_UNTIL (fixture->n_present == 1);
  g_assert_cmpuint (fixture->present_target, ==, 7);
}

static void
test_join_names (void)
{
  const char *none[] = { NULL };
  const char *one[] = { "ana", NULL };
  const char *two[] = { "ana", "luis", NULL };
  const char *three[] = { "ana", "luis", "marta", NULL };
  const char *five[] = { "ana", "luis", "marta", "sofía", "<b>x</b>", NULL };
  struct { const char * const *names; const char *expected; } cases[] = {
    { none, "" },
    { one, "ana" },
    { two, "ana and luis" },
    { three, "ana, luis and marta" },
    { five, "ana, luis and 3 others" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *joined = _tertulia_notifier_join_names (cases[i].names);

      g_assert_cmpstr (joined, ==, cases[i].expected);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GApplication) app = NULL;
  g_autoptr(GSimpleAction) present = NULL;
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  /* Notifications need an application on the session bus. */
  app = g_application_new ("io.github.tertulia.Tertulia.NotifierTest", G_APPLICATION_DEFAULT_FLAGS);
  present = g_simple_action_new ("present-window", G_VARIANT_TYPE_UINT32);
  g_signal_connect (present, "activate", G_CALLBACK (present_window_cb), NULL);
  g_action_map_add_action (G_ACTION_MAP (app), G_ACTION (present));
  g_application_register (app, NULL, &error);
  g_assert_no_error (error);
  the_app = app;

  g_test_add_func ("/notifier/join-names", test_join_names);
  g_test_add ("/notifier/one-message", Fixture, NULL, setup, test_one_message, teardown);
  g_test_add ("/notifier/action", Fixture, NULL, setup, test_action, teardown);
  g_test_add ("/notifier/window-active", Fixture, NULL, setup, test_window_active, teardown);
  g_test_add ("/notifier/withdraw-on-activate", Fixture, NULL, setup, test_withdraw_on_activate, teardown);
  g_test_add ("/notifier/collapse", Fixture, NULL, setup, test_collapse, teardown);
  g_test_add ("/notifier/mentions-mode", Fixture, NULL, setup, test_mentions_mode, teardown);
  g_test_add ("/notifier/mention-in-burst", Fixture, NULL, setup, test_mention_in_burst, teardown);
  g_test_add ("/notifier/mode-none", Fixture, NULL, setup, test_mode_none, teardown);
  g_test_add ("/notifier/own-and-notices", Fixture, NULL, setup, test_own_and_notices, teardown);
  g_test_add ("/notifier/activate", Fixture, NULL, setup, test_activate, teardown);

  ret = g_test_run ();
  the_app = NULL;

  return ret;
}

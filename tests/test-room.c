/* test-room.c — TertuliaRoom, TertuliaMessage and TertuliaParticipant
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "tertulia-room.h"
#include "tertulia-test-changes.h"

/* 2025-11-22 00:00:00.250 UTC: the .250 checks that milliseconds survive. */
#define T0 G_GINT64_CONSTANT (1763769600250)

#define YOU_ID  7
#define HOST_ID 1

typedef struct
{
  TertuliaRoom *room;
  guint         messages_changed;
} Fixture;

/* Frames, built the way the protocol parser hands them over */

static TertuliaPeer *
peer_new (gint64      id,
          const char *nick,
          gboolean    host)
{
  TertuliaPeer *peer = g_new0 (TertuliaPeer, 1);

  peer->id = id;
  peer->nick = g_strdup (nick);
  peer->joined_at = T0;
  peer->host = host;

  return peer;
}

static TertuliaFrame *
event_new (TertuliaFrameType type,
           gint64            seq)
{
  TertuliaFrame *event = tertulia_frame_new (type);

  event->seq = seq;
  event->time = T0 + seq * 1000;

  return event;
}

static TertuliaFrame *
message_new (gint64      seq,
             gint64      from_id,
             const char *from_nick,
             const char *text,
             const char *cid)
{
  TertuliaFrame *event = event_new (TERTULIA_FRAME_MESSAGE, seq);

  event->peer.id = from_id;
  event->peer.nick = g_strdup (from_nick);
  event->kind = TERTULIA_MESSAGE_KIND_CHAT;
  event->text = g_strdup (text);
  event->cid = g_strdup (cid);

  return event;
}

static TertuliaFrame *
join_new (gint64      seq,
          gint64      id,
          const char *nick)
{
  TertuliaFrame *event = event_new (TERTULIA_FRAME_JOIN, seq);

  event->peer.id = id;
  event->peer.nick = g_strdup (nick);
  event->peer.joined_at = event->time;

  return event;
}

static TertuliaFrame *
leave_new (gint64      seq,
           gint64      id,
           const char *nick)
{
  TertuliaFrame *event = event_new (TERTULIA_FRAME_LEAVE, seq);

  event->peer.id = id;
  event->peer.nick = g_strdup (nick);

  return event;
}

static TertuliaFrame *
rename_new (gint64      seq,
            gint64      id,
            const char *from,
            const char *to)
{
  TertuliaFrame *event = event_new (TERTULIA_FRAME_RENAME, seq);

  event->peer.id = id;
  event->old_nick = g_strdup (from);
  event->new_nick = g_strdup (to);

  return event;
}

static TertuliaFrame *
topic_new (gint64      seq,
           gint64      by_id,
           const char *by_nick,
           const char *topic)
{
  TertuliaFrame *event = event_new (TERTULIA_FRAME_TOPIC, seq);

  event->peer.id = by_id;
  event->peer.nick = g_strdup (by_nick);
  event->topic = g_strdup (topic);

  return event;
}

/* ana (you, id 7) and luis (host, id 1) in "LAN party"; the history is
 * luis's join (1), his "hola" (2) and ana's join (3).
 */
static TertuliaFrame *
welcome_new (void)
{
  TertuliaFrame *welcome = tertulia_frame_new (TERTULIA_FRAME_WELCOME);

  welcome->seq = 3;
  welcome->room_name = g_strdup ("LAN party");
  welcome->topic = g_strdup ("Final: 22:00");
  welcome->you.id = YOU_ID;
  welcome->you.nick = g_strdup ("ana");
  welcome->you.joined_at = T0;
  /* tertulia_frame_new() may already have made the arrays */
  if (welcome->participants == NULL)
    welcome->participants = g_ptr_array_new_with_free_func ((GDestroyNotify) tertulia_peer_free);
  if (welcome->history == NULL)
    welcome->history = g_ptr_array_new_with_free_func ((GDestroyNotify) tertulia_frame_free);
  g_ptr_array_add (welcome->participants, peer_new (HOST_ID, "luis", TRUE));
  g_ptr_array_add (welcome->participants, peer_new (YOU_ID, "ana", FALSE));
  g_ptr_array_add (welcome->history, join_new (1, HOST_ID, "luis"));
  g_ptr_array_add (welcome->history, message_new (2, HOST_ID, "luis", "hola", NULL));
  g_ptr_array_add (welcome->history, join_new (3, YOU_ID, "ana"));

  return welcome;
}

static void
welcome_set_history (TertuliaFrame *welcome,
                     gint64         seq,
                     gboolean       resumed,
                     gboolean       gap)
{
  g_ptr_array_set_size (welcome->history, 0);
  welcome->seq = seq;
  welcome->resumed = resumed;
  welcome->gap = gap;
}

/* Looking at the models */

static TertuliaMessage *
message_at (Fixture *fixture,
            guint    position)
{
  GListModel *messages = tertulia_room_get_messages (fixture->room);
  g_autoptr(TertuliaMessage) message = g_list_model_get_item (messages, position);

  g_assert_nonnull (message);
  return message;  /* the store keeps it alive */
}

static TertuliaMessage *
last_message (Fixture *fixture)
{
  guint n = g_list_model_get_n_items (tertulia_room_get_messages (fixture->room));

  g_assert_cmpuint (n, >, 0);
  return message_at (fixture, n - 1);
}

static guint
n_messages (Fixture *fixture)
{
  return g_list_model_get_n_items (tertulia_room_get_messages (fixture->room));
}

static guint
count_text (Fixture    *fixture,
            const char *needle)
{
  guint count = 0;

  for (guint i = 0; i < n_messages (fixture); i++)
    if (strstr (tertulia_message_get_text (message_at (fixture, i)), needle) != NULL)
      count++;

  return count;
}

static void
assert_last_notice_contains (Fixture    *fixture,
                             const char *needle)
{
  TertuliaMessage *notice = last_message (fixture);

  g_assert_cmpint (tertulia_message_get_kind (notice), ==, TERTULIA_MESSAGE_KIND_NOTICE);
  g_assert_null (tertulia_message_get_author (notice));
  g_assert_nonnull (strstr (tertulia_message_get_text (notice), needle));
}

static void
count_cb (GObject    *object,
          GParamSpec *pspec,
          guint      *count)
{
  (*count)++;
}

static void
messages_changed_cb (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     Fixture    *fixture)
{
  fixture->messages_changed++;
}

static void
apply_event (Fixture       *fixture,
             TertuliaFrame *event)
{
  g_autoptr(TertuliaFrame) owned = event;

  g_assert_true (tertulia_room_apply_event (fixture->room, owned));
}

static void
apply_welcome (Fixture *fixture)
{
  g_autoptr(TertuliaFrame) welcome = welcome_new ();

  tertulia_room_apply_welcome (fixture->room, welcome);
}

static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  fixture->room = tertulia_room_new ();
  g_signal_connect (tertulia_room_get_messages (fixture->room), "items-changed",
                    G_CALLBACK (messages_changed_cb), fixture);
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  GListModel *messages = g_object_ref (tertulia_room_get_messages (fixture->room));
  GListModel *participants = g_object_ref (tertulia_room_get_participants (fixture->room));
  TertuliaParticipant *you = tertulia_room_get_you (fixture->room);
  g_autoptr(TertuliaMessage) first = NULL;

  g_signal_handlers_disconnect_by_data (messages, fixture);

  if (you != NULL)
    g_object_add_weak_pointer (G_OBJECT (you), (gpointer *) &you);
  if (g_list_model_get_n_items (messages) > 0)
    first = g_list_model_get_item (messages, 0);

  g_assert_finalize_object (g_steal_pointer (&fixture->room));
  g_assert_finalize_object (participants);
  g_assert_null (you);
  g_assert_finalize_object (messages);
  if (first != NULL)
    g_assert_finalize_object (g_steal_pointer (&first));
}

/* Tests */

static void
test_welcome (Fixture       *fixture,
              gconstpointer  data)
{
  GListModel *participants = tertulia_room_get_participants (fixture->room);
  g_autoptr(TertuliaParticipant) luis = NULL;
  TertuliaParticipant *you;
  TertuliaMessage *hola;
  g_autoptr(GDateTime) time = NULL;

  g_assert_null (tertulia_room_get_you (fixture->room));
  g_assert_cmpint (tertulia_room_get_last_seq (fixture->room), ==, 0);

  apply_welcome (fixture);

  g_assert_cmpstr (tertulia_room_get_name (fixture->room), ==, "LAN party");
  g_assert_cmpstr (tertulia_room_get_topic (fixture->room), ==, "Final: 22:00");
  g_assert_cmpint (tertulia_room_get_last_seq (fixture->room), ==, 3);

  /* Participants, in joining order */
  g_assert_cmpuint (tertulia_room_get_n_participants (fixture->room), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (participants), ==, 2);
  luis = g_list_model_get_item (participants, 0);
  g_assert_cmpstr (tertulia_participant_get_nickname (luis), ==, "luis");
  g_assert_true (tertulia_participant_get_is_host (luis));
  g_assert_false (tertulia_participant_get_is_you (luis));
  g_assert_nonnull (tertulia_participant_get_joined_at (luis));
  g_assert_cmpint (g_date_time_to_unix (tertulia_participant_get_joined_at (luis)), ==, T0 / 1000);

  you = tertulia_room_get_you (fixture->room);
  g_assert_nonnull (you);
  g_assert_true (you == tertulia_room_find_participant (fixture->room, YOU_ID));
  g_assert_cmpstr (tertulia_participant_get_nickname (you), ==, "ana");
  g_assert_true (tertulia_participant_get_is_you (you));
  g_assert_false (tertulia_participant_get_is_host (you));

  /* The history: two joins and a message, and nothing about missing any */
  g_assert_cmpuint (n_messages (fixture), ==, 3);
  assert_last_notice_contains (fixture, "ana");
  g_assert_cmpint (tertulia_message_get_seq (last_message (fixture)), ==, 3);
  g_assert_nonnull (strstr (tertulia_message_get_text (message_at (fixture, 0)), "luis"));

  hola = message_at (fixture, 1);
  g_assert_cmpint (tertulia_message_get_kind (hola), ==, TERTULIA_MESSAGE_KIND_CHAT);
  g_assert_cmpstr (tertulia_message_get_text (hola), ==, "hola");
  g_assert_cmpstr (tertulia_message_get_author (hola), ==, "luis");
  g_assert_cmpint (tertulia_message_get_author_id (hola), ==, HOST_ID);
  g_assert_cmpint (tertulia_message_get_seq (hola), ==, 2);
  g_assert_cmpint (tertulia_message_get_state (hola), ==, TERTULIA_MESSAGE_STATE_DELIVERED);
  g_assert_false (tertulia_message_get_is_own (hola));
  g_assert_false (tertulia_message_get_mentions_you (hola));
  g_assert_null (tertulia_message_get_cid (hola));

  /* The server's time, to the millisecond, shown in local time */
  time = g_date_time_ref (tertulia_message_get_time (hola));
  g_assert_cmpint (g_date_time_to_unix (time), ==, (T0 + 2000) / 1000);
  g_assert_cmpint (g_date_time_get_microsecond (time), ==, 250000);
  g_assert_cmpint (g_date_time_get_utc_offset (time), ==, -3 * G_TIME_SPAN_HOUR);

  g_assert_cmpuint (count_text (fixture, "missed"), ==, 0);
}

static void
test_replay (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(TertuliaFrame) welcome = welcome_new ();
  g_autoptr(TertuliaFrame) old = message_new (2, HOST_ID, "luis", "hola", NULL);
  guint changed;

  tertulia_room_apply_welcome (fixture->room, welcome);
  changed = fixture->messages_changed;

  /* The same welcome again (a resume that brings nothing new), then the
   * same event again: nothing is added twice.
   */
  tertulia_room_apply_welcome (fixture->room, welcome);
  g_assert_false (tertulia_room_apply_event (fixture->room, old));
  g_assert_false (tertulia_room_apply_event (fixture->room, g_ptr_array_index (welcome->history, 2)));

  g_assert_cmpuint (n_messages (fixture), ==, 3);
  g_assert_cmpuint (fixture->messages_changed, ==, changed);
  g_assert_cmpuint (tertulia_room_get_n_participants (fixture->room), ==, 2);
  g_assert_cmpint (tertulia_room_get_last_seq (fixture->room), ==, 3);
  g_assert_cmpuint (count_text (fixture, "hola"), ==, 1);

  /* A resume whose history overlaps what we have only adds what is new */
  g_ptr_array_add (welcome->history, message_new (4, HOST_ID, "luis", "¿qué tal?", NULL));
  welcome->seq = 4;
  tertulia_room_apply_welcome (fixture->room, welcome);
  g_assert_cmpuint (n_messages (fixture), ==, 4);
  g_assert_cmpstr (tertulia_message_get_text (last_message (fixture)), ==, "¿qué tal?");
  g_assert_cmpuint (count_text (fixture, "hola"), ==, 1);
  g_assert_cmpuint (count_text (fixture, "missed"), ==, 0);
}

static void
test_events (Fixture       *fixture,
             gconstpointer  data)
{
  TertuliaParticipant *guest;
  guint topic_notifies = 0;
  guint n_notifies = 0;

  apply_welcome (fixture);
  g_signal_connect (fixture->room, "notify::topic", G_CALLBACK (count_cb), &topic_notifies);
  g_signal_connect (fixture->room, "notify::n-participants", G_CALLBACK (count_cb), &n_notifies);

  /* join */
  apply_event (fixture, join_new (4, 8, "Guest-4821"));
  g_assert_cmpuint (tertulia_room_get_n_participants (fixture->room), ==, 3);
  g_assert_cmpuint (n_notifies, ==, 1);
  guest = tertulia_room_find_participant (fixture->room, 8);
  g_assert_nonnull (guest);
  g_assert_cmpstr (tertulia_participant_get_nickname (guest), ==, "Guest-4821");
  g_assert_false (tertulia_participant_get_is_you (guest));
  assert_last_notice_contains (fixture, "Guest-4821");
  assert_last_notice_contains (fixture, "joined");
  g_assert_cmpint (tertulia_message_get_seq (last_message (fixture)), ==, 4);
  g_assert_cmpint (g_date_time_to_unix (tertulia_message_get_time (last_message (fixture))),
                   ==, (T0 + 4000) / 1000);
  g_assert_cmpint (tertulia_room_get_last_seq (fixture->room), ==, 4);

  /* rename someone else */
  apply_event (fixture, rename_new (5, 8, "Guest-4821", "pepe"));
  g_assert_cmpstr (tertulia_participant_get_nickname (guest), ==, "pepe");
  g_assert_true (tertulia_room_find_participant_by_nick (fixture->room, "PEPE") == guest);
  g_assert_null (tertulia_room_find_participant_by_nick (fixture->room, "Guest-4821"));
  assert_last_notice_contains (fixture, "Guest-4821 is now known as pepe");

  /* rename you */
  apply_event (fixture, rename_new (6, YOU_ID, "ana", "Ana María"));
  g_assert_cmpstr (tertulia_participant_get_nickname (tertulia_room_get_you (fixture->room)),
                   ==, "Ana María");
  assert_last_notice_contains (fixture, "You are now known as Ana María");

  /* topic */
  apply_event (fixture, topic_new (7, 8, "pepe", "Semifinal"));
  g_assert_cmpstr (tertulia_room_get_topic (fixture->room), ==, "Semifinal");
  g_assert_cmpuint (topic_notifies, ==, 1);
  assert_last_notice_contains (fixture, "pepe set the topic: Semifinal");

  /* the same topic again: a notice, but the property did not change */
  apply_event (fixture, topic_new (8, 8, "pepe", "Semifinal"));
  g_assert_cmpuint (topic_notifies, ==, 1);

  apply_event (fixture, topic_new (9, HOST_ID, "luis", ""));
  g_assert_null (tertulia_room_get_topic (fixture->room));
  g_assert_cmpuint (topic_notifies, ==, 2);
  assert_last_notice_contains (fixture, "luis cleared the topic");

  /* leave */
  apply_event (fixture, leave_new (10, 8, "pepe"));
  g_assert_cmpuint (tertulia_room_get_n_participants (fixture->room), ==, 2);
  g_assert_cmpuint (n_notifies, ==, 2);
  g_assert_null (tertulia_room_find_participant (fixture->room, 8));
  assert_last_notice_contains (fixture, "pepe left");

  g_assert_cmpint (tertulia_room_get_last_seq (fixture->room), ==, 10);
  g_assert_cmpuint (n_messages (fixture), ==, 3 + 7);

  /* something that is not an event changes nothing */
  {
    g_autoptr(TertuliaFrame) error = tertulia_frame_new (TERTULIA_FRAME_ERROR);

    error->seq = 11;
    g_assert_false (tertulia_room_apply_event (fixture->room, error));
    g_assert_cmpint (tertulia_room_get_last_seq (fixture->room), ==, 10);
  }
}

static void
test_own_message (Fixture       *fixture,
                  gconstpointer  data)
{
  TertuliaMessage *first;
  TertuliaMessage *second;
  guint state_notifies = 0;
  guint seq_notifies = 0;

  apply_welcome (fixture);

  first = tertulia_room_add_own_message (fixture->room, TERTULIA_MESSAGE_KIND_CHAT, "c-1", "uno");
  second = tertulia_room_add_own_message (fixture->room, TERTULIA_MESSAGE_KIND_ACTION, "c-2", "waves");
  g_signal_connect (first, "notify::state", G_CALLBACK (count_cb), &state_notifies);
  g_signal_connect (first, "notify::seq", G_CALLBACK (count_cb), &seq_notifies);

  g_assert_cmpuint (n_messages (fixture), ==, 5);
  g_assert_true (message_at (fixture, 3) == first);
  g_assert_true (message_at (fixture, 4) == second);
  g_assert_cmpint (tertulia_message_get_state (first), ==, TERTULIA_MESSAGE_STATE_SENDING);
  g_assert_true (tertulia_message_get_is_own (first));
  g_assert_cmpstr (tertulia_message_get_author (first), ==, "ana");
  g_assert_cmpint (tertulia_message_get_author_id (first), ==, YOU_ID);
  g_assert_cmpint (tertulia_message_get_seq (first), ==, 0);
  g_assert_cmpint (tertulia_message_get_kind (second), ==, TERTULIA_MESSAGE_KIND_ACTION);
  g_assert_true (tertulia_room_find_own_message (fixture->room, "c-1") == first);
  g_assert_true (tertulia_room_find_own_message (fixture->room, "c-2") == second);
  g_assert_null (tertulia_room_find_own_message (fixture->room, "c-3"));

  /* Someone else's message goes before the ones still being sent */
  apply_event (fixture, message_new (4, HOST_ID, "luis", "vale", NULL));
  g_assert_cmpuint (n_messages (fixture), ==, 6);
  g_assert_cmpstr (tertulia_message_get_text (message_at (fixture, 3)), ==, "vale");
  g_assert_true (message_at (fixture, 4) == first);
  g_assert_true (message_at (fixture, 5) == second);

  /* So does a local notice */
  tertulia_room_add_notice (fixture->room, "Reconnecting…");
  g_assert_cmpstr (tertulia_message_get_text (message_at (fixture, 4)), ==, "Reconnecting…");
  g_assert_true (last_message (fixture) == second);

  /* The echo marks it delivered, with the server's seq and time, in place */
  apply_event (fixture, message_new (5, YOU_ID, "ana", "uno", "c-1"));
  g_assert_cmpuint (n_messages (fixture), ==, 7);
  g_assert_cmpint (tertulia_message_get_state (first), ==, TERTULIA_MESSAGE_STATE_DELIVERED);
  g_assert_cmpint (tertulia_message_get_seq (first), ==, 5);
  g_assert_cmpint (g_date_time_to_unix (tertulia_message_get_time (first)), ==, (T0 + 5000) / 1000);
  g_assert_cmpint (state_notifies, ==, 1);
  g_assert_cmpint (seq_notifies, ==, 1);
  g_assert_true (message_at (fixture, 5) == first);
  g_assert_true (message_at (fixture, 6) == second);
  g_assert_cmpint (tertulia_room_get_last_seq (fixture->room), ==, 5);

  /* A replayed echo does nothing */
  {
    g_autoptr(TertuliaFrame) again = message_new (5, YOU_ID, "ana", "uno", "c-1");

    g_assert_false (tertulia_room_apply_event (fixture->room, again));
    g_assert_cmpuint (n_messages (fixture), ==, 7);
    g_assert_cmpint (state_notifies, ==, 1);
  }

  apply_event (fixture, message_new (6, YOU_ID, "ana", "waves", "c-2"));
  g_assert_cmpint (tertulia_message_get_state (second), ==, TERTULIA_MESSAGE_STATE_DELIVERED);
  g_assert_true (last_message (fixture) == second);
  g_assert_cmpuint (n_messages (fixture), ==, 7);
  g_assert_cmpuint (count_text (fixture, "uno"), ==, 1);
}

/* Back after the resume grace, you are a new participant in the same room.
 * A message whose echo was lost may have been taken by the host under your
 * old id: the host answers the resend with that event, and it must mark
 * your pending message delivered, even when the log is already past its
 * seq. Your old messages in the history are yours too.
 */
static void
test_own_message_after_grace (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(TertuliaFrame) back = welcome_new ();
  TertuliaMessage *pending;
  TertuliaMessage *old;

  apply_welcome (fixture);
  apply_event (fixture, message_new (4, YOU_ID, "ana", "antes", "c-0"));
  pending = tertulia_room_add_own_message (fixture->room, TERTULIA_MESSAGE_KIND_CHAT, "c-1", "perdido");

  /* The host took "perdido" as seq 5 under id 7; the echo never came. Back
   * as id 9, with the room at seq 8.
   */
  welcome_set_history (back, 8, FALSE, FALSE);
  back->room_id = g_strdup (tertulia_room_get_id (fixture->room));
  back->you.id = 9;
  g_ptr_array_set_size (back->participants, 0);
  g_ptr_array_add (back->participants, peer_new (HOST_ID, "luis", TRUE));
  g_ptr_array_add (back->participants, peer_new (9, "ana", FALSE));
  g_ptr_array_add (back->history, message_new (4, YOU_ID, "ana", "antes", "c-0"));
  g_ptr_array_add (back->history, message_new (5, YOU_ID, "ana", "perdido", "c-1"));
  g_ptr_array_add (back->history, join_new (8, 9, "ana"));
  tertulia_room_apply_welcome (fixture->room, back);

  g_assert_cmpint (tertulia_message_get_state (pending), ==, TERTULIA_MESSAGE_STATE_DELIVERED);
  g_assert_cmpint (tertulia_message_get_seq (pending), ==, 5);
  g_assert_cmpuint (count_text (fixture, "perdido"), ==, 1);
  g_assert_cmpuint (count_text (fixture, "antes"), ==, 1);

  /* Resent from the outbox anyway: the host's answer is the same event. */
  pending = tertulia_room_add_own_message (fixture->room, TERTULIA_MESSAGE_KIND_CHAT, "c-2", "tarde");
  apply_event (fixture, message_new (9, HOST_ID, "luis", "sigo", NULL));
  {
    g_autoptr(TertuliaFrame) echo = message_new (6, YOU_ID, "ana", "tarde", "c-2");

    g_assert_true (tertulia_room_apply_event (fixture->room, echo));
  }
  g_assert_cmpint (tertulia_message_get_state (pending), ==, TERTULIA_MESSAGE_STATE_DELIVERED);
  g_assert_cmpint (tertulia_room_get_last_seq (fixture->room), ==, 9);
  g_assert_cmpuint (count_text (fixture, "tarde"), ==, 1);

  /* Someone else's old message is not taken for yours by its cid. */
  {
    g_autoptr(TertuliaFrame) other = message_new (3, HOST_ID, "luis", "c-2 no", "c-2");

    g_assert_false (tertulia_room_apply_event (fixture->room, other));
  }

  old = tertulia_room_find_own_message (fixture->room, "c-0");
  g_assert_nonnull (old);
  g_assert_true (tertulia_message_get_is_own (old));
}

static void
test_own_message_out_of_order (Fixture       *fixture,
                               gconstpointer  data)
{
  TertuliaMessage *first;
  TertuliaMessage *second;
  TertuliaMessage *third;

  apply_welcome (fixture);

  first = tertulia_room_add_own_message (fixture->room, TERTULIA_MESSAGE_KIND_CHAT, "c-1", "uno");
  second = tertulia_room_add_own_message (fixture->room, TERTULIA_MESSAGE_KIND_CHAT, "c-2", "dos");
  third = tertulia_room_add_own_message (fixture->room, TERTULIA_MESSAGE_KIND_CHAT, "c-3", "tres");

  /* The server took "dos" first: it moves up, in the server's order, and
   * the two still being sent stay last.
   */
  apply_event (fixture, message_new (4, YOU_ID, "ana", "dos", "c-2"));
  g_assert_cmpuint (n_messages (fixture), ==, 6);
  g_assert_true (message_at (fixture, 3) == second);
  g_assert_true (message_at (fixture, 4) == first);
  g_assert_true (message_at (fixture, 5) == third);
  g_assert_cmpint (tertulia_message_get_state (second), ==, TERTULIA_MESSAGE_STATE_DELIVERED);
  g_assert_cmpint (tertulia_message_get_state (first), ==, TERTULIA_MESSAGE_STATE_SENDING);

  apply_event (fixture, message_new (5, HOST_ID, "luis", "entre", NULL));
  g_assert_cmpstr (tertulia_message_get_text (message_at (fixture, 4)), ==, "entre");

  apply_event (fixture, message_new (6, YOU_ID, "ana", "tres", "c-3"));
  apply_event (fixture, message_new (7, YOU_ID, "ana", "uno", "c-1"));
  g_assert_cmpuint (n_messages (fixture), ==, 7);
  g_assert_true (message_at (fixture, 3) == second);
  g_assert_cmpstr (tertulia_message_get_text (message_at (fixture, 4)), ==, "entre");
  g_assert_true (message_at (fixture, 5) == third);
  g_assert_true (message_at (fixture, 6) == first);

  for (guint i = 1; i < n_messages (fixture); i++)
    g_assert_cmpint (tertulia_message_get_seq (message_at (fixture, i - 1)), <,
                     tertulia_message_get_seq (message_at (fixture, i)));
}

static void
test_own_message_failed (Fixture       *fixture,
                         gconstpointer  data)
{
  TertuliaMessage *message;
  guint error_notifies = 0;

  apply_welcome (fixture);

  message = tertulia_room_add_own_message (fixture->room, TERTULIA_MESSAGE_KIND_CHAT,
                                           "c-1", "demasiado largo");
  g_signal_connect (message, "notify::error", G_CALLBACK (count_cb), &error_notifies);

  tertulia_message_mark_failed (message, "Messages can be at most 4000 characters long.");
  g_assert_cmpint (tertulia_message_get_state (message), ==, TERTULIA_MESSAGE_STATE_FAILED);
  g_assert_cmpstr (tertulia_message_get_error (message), ==,
                   "Messages can be at most 4000 characters long.");
  g_assert_cmpuint (error_notifies, ==, 1);
  g_assert_cmpint (tertulia_message_get_seq (message), ==, 0);
  g_assert_true (tertulia_room_find_own_message (fixture->room, "c-1") == message);

  /* The failed message keeps its row; later events come after it */
  apply_event (fixture, message_new (4, HOST_ID, "luis", "¿y?", NULL));
  g_assert_true (message_at (fixture, 3) == message);
  g_assert_cmpstr (tertulia_message_get_text (last_message (fixture)), ==, "¿y?");

  /* An own message still being sent goes after everything */
  tertulia_room_add_own_message (fixture->room, TERTULIA_MESSAGE_KIND_CHAT, "c-2", "corto");
  apply_event (fixture, message_new (5, HOST_ID, "luis", "bien", NULL));
  g_assert_cmpstr (tertulia_message_get_text (last_message (fixture)), ==, "corto");
  g_assert_cmpint (tertulia_message_get_state (last_message (fixture)), ==,
                   TERTULIA_MESSAGE_STATE_SENDING);
}

static void
test_own_message_before_welcome (Fixture       *fixture,
                                 gconstpointer  data)
{
  TertuliaMessage *message;

  message = tertulia_room_add_own_message (fixture->room, TERTULIA_MESSAGE_KIND_CHAT, "c-1", "hola");
  g_assert_cmpstr (tertulia_message_get_author (message), ==, "");
  g_assert_cmpint (tertulia_message_get_author_id (message), ==, 0);
  g_assert_cmpint (tertulia_message_get_state (message), ==, TERTULIA_MESSAGE_STATE_SENDING);

  /* The welcome's history goes before it; then its echo arrives */
  apply_welcome (fixture);
  g_assert_cmpuint (n_messages (fixture), ==, 4);
  g_assert_true (last_message (fixture) == message);

  apply_event (fixture, message_new (4, YOU_ID, "ana", "hola", "c-1"));
  g_assert_cmpuint (n_messages (fixture), ==, 4);
  g_assert_cmpint (tertulia_message_get_state (message), ==, TERTULIA_MESSAGE_STATE_DELIVERED);
}

static void
test_mentions (Fixture       *fixture,
               gconstpointer  data)
{
  apply_welcome (fixture);

  apply_event (fixture, message_new (4, HOST_ID, "luis", "hey ANA!", NULL));
  g_assert_true (tertulia_message_get_mentions_you (last_message (fixture)));

  apply_event (fixture, message_new (5, HOST_ID, "luis", "banana", NULL));
  g_assert_false (tertulia_message_get_mentions_you (last_message (fixture)));

  /* Your own words never mention you, from this session or another */
  apply_event (fixture, message_new (6, YOU_ID, "ana", "soy ana", "c-other"));
  g_assert_true (tertulia_message_get_is_own (last_message (fixture)));
  g_assert_false (tertulia_message_get_mentions_you (last_message (fixture)));
  apply_event (fixture, message_new (7, YOU_ID, "ana", "ana again", NULL));
  g_assert_false (tertulia_message_get_mentions_you (last_message (fixture)));

  /* After a rename, the new nickname is the one that counts */
  apply_event (fixture, rename_new (8, YOU_ID, "ana", "Ana María"));
  apply_event (fixture, message_new (9, HOST_ID, "luis", "gracias, ana maría.", NULL));
  g_assert_true (tertulia_message_get_mentions_you (last_message (fixture)));
  apply_event (fixture, message_new (10, HOST_ID, "luis", "ana?", NULL));
  g_assert_false (tertulia_message_get_mentions_you (last_message (fixture)));
}

static void
test_text_mentions (void)
{
  g_assert_true (tertulia_text_mentions ("hey ANA!", "ana"));
  g_assert_true (tertulia_text_mentions ("ana", "ana"));
  g_assert_true (tertulia_text_mentions ("ana: hola", "ana"));
  g_assert_true (tertulia_text_mentions ("@ana", "ana"));
  g_assert_true (tertulia_text_mentions ("banana, ana", "ana"));
  g_assert_true (tertulia_text_mentions ("¿Ana?", "ana"));
  g_assert_true (tertulia_text_mentions ("hola ÁNGEL", "ángel"));
  g_assert_true (tertulia_text_mentions ("gracias Ana María!", "ana maría"));
  g_assert_true (tertulia_text_mentions ("ping [bot]", "[bot]"));
  /* the same name, composed or decomposed */
  g_assert_true (tertulia_text_mentions ("hola Jose\xcc\x81", "José"));

  g_assert_false (tertulia_text_mentions ("banana", "ana"));
  g_assert_false (tertulia_text_mentions ("anastasia", "ana"));
  g_assert_false (tertulia_text_mentions ("ana2", "ana"));
  g_assert_false (tertulia_text_mentions ("añana", "ana"));
  g_assert_false (tertulia_text_mentions ("anaé", "ana"));
  g_assert_false (tertulia_text_mentions ("hola José", "jos"));
  g_assert_false (tertulia_text_mentions ("Ana Maríaa", "ana maría"));
  g_assert_false (tertulia_text_mentions ("", "ana"));
  g_assert_false (tertulia_text_mentions ("ana", ""));
  g_assert_false (tertulia_text_mentions (NULL, "ana"));
  g_assert_false (tertulia_text_mentions ("ana", NULL));
}

static void
test_gap (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(TertuliaFrame) welcome = welcome_new ();

  /* A first welcome never misses anything, even one that says so */
  welcome->gap = TRUE;
  tertulia_room_apply_welcome (fixture->room, welcome);
  g_assert_cmpuint (count_text (fixture, "missed"), ==, 0);

  /* A resume with nothing new and no gap */
  welcome_set_history (welcome, 3, TRUE, FALSE);
  tertulia_room_apply_welcome (fixture->room, welcome);
  g_assert_cmpuint (count_text (fixture, "missed"), ==, 0);

  /* A resume that brings exactly what followed */
  welcome_set_history (welcome, 4, TRUE, FALSE);
  g_ptr_array_add (welcome->history, message_new (4, HOST_ID, "luis", "cuatro", NULL));
  tertulia_room_apply_welcome (fixture->room, welcome);
  g_assert_cmpuint (count_text (fixture, "missed"), ==, 0);
  g_assert_cmpint (tertulia_room_get_last_seq (fixture->room), ==, 4);

  /* The server says some fell out of its history */
  welcome_set_history (welcome, 9, TRUE, TRUE);
  g_ptr_array_add (welcome->history, message_new (8, HOST_ID, "luis", "ocho", NULL));
  g_ptr_array_add (welcome->history, message_new (9, HOST_ID, "luis", "nueve", NULL));
  tertulia_room_apply_welcome (fixture->room, welcome);
  g_assert_cmpuint (count_text (fixture, "Some messages were missed while you were away."), ==, 1);
  /* the notice goes where the missing messages would have been */
  g_assert_cmpstr (tertulia_message_get_text (message_at (fixture, n_messages (fixture) - 3)),
                   ==, "Some messages were missed while you were away.");
  g_assert_cmpint (tertulia_message_get_kind (message_at (fixture, n_messages (fixture) - 3)),
                   ==, TERTULIA_MESSAGE_KIND_NOTICE);
  g_assert_cmpint (tertulia_room_get_last_seq (fixture->room), ==, 9);

  /* A history that skips seqs, without the server saying so (a new
   * session after the old one expired)
   */
  welcome_set_history (welcome, 14, FALSE, FALSE);
  g_ptr_array_add (welcome->history, message_new (12, HOST_ID, "luis", "doce", NULL));
  g_ptr_array_add (welcome->history, join_new (14, YOU_ID, "ana"));
  tertulia_room_apply_welcome (fixture->room, welcome);
  g_assert_cmpuint (count_text (fixture, "missed"), ==, 2);
  g_assert_cmpint (tertulia_room_get_last_seq (fixture->room), ==, 14);
}

static void
add_history (TertuliaFrame *welcome,
             gint64         first_seq,
             gint64         last_seq)
{
  for (gint64 seq = first_seq; seq <= last_seq; seq++)
    {
      g_autofree char *text = g_strdup_printf ("mensaje %" G_GINT64_FORMAT, seq);

      g_ptr_array_add (welcome->history, message_new (seq, HOST_ID, "luis", text, NULL));
    }
  welcome->seq = last_seq;
}

static void
assert_one_change (GArray *changes,
                   guint   position,
                   guint   added)
{
  TertuliaTestChange *change;

  g_assert_cmpuint (changes->len, ==, 1);
  change = &g_array_index (changes, TertuliaTestChange, 0);
  g_assert_cmpuint (change->position, ==, position);
  g_assert_cmpuint (change->removed, ==, 0);
  g_assert_cmpuint (change->added, ==, added);
  g_array_set_size (changes, 0);
}

/* A long history goes into the log in one splice: the list view lays out
 * once, not once per message.
 */
static void
test_welcome_splice (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(TertuliaFrame) welcome = welcome_new ();
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (TertuliaTestChange));
  GListModel *messages = tertulia_room_get_messages (fixture->room);
  TertuliaMessage *own;

  g_signal_connect (messages, "items-changed", G_CALLBACK (tertulia_test_record_change_cb), changes);

  welcome_set_history (welcome, 0, FALSE, FALSE);
  add_history (welcome, 1, 100);
  tertulia_room_apply_welcome (fixture->room, welcome);
  assert_one_change (changes, 0, 100);
  g_assert_cmpuint (n_messages (fixture), ==, 100);
  g_assert_cmpstr (tertulia_message_get_text (message_at (fixture, 0)), ==, "mensaje 1");
  g_assert_cmpstr (tertulia_message_get_text (message_at (fixture, 99)), ==, "mensaje 100");

  /* A resume with 100 more while one of yours is still being sent: they
   * go in one piece before it, which stays the last row.
   */
  own = tertulia_room_add_own_message (fixture->room, TERTULIA_MESSAGE_KIND_CHAT, "c1", "ya voy");
  assert_one_change (changes, 100, 1);
  welcome_set_history (welcome, 100, TRUE, FALSE);
  add_history (welcome, 101, 200);
  tertulia_room_apply_welcome (fixture->room, welcome);
  assert_one_change (changes, 100, 100);
  g_assert_cmpuint (n_messages (fixture), ==, 201);
  g_assert_cmpstr (tertulia_message_get_text (message_at (fixture, 199)), ==, "mensaje 200");
  g_assert_true (last_message (fixture) == own);
  g_assert_cmpint (tertulia_room_get_last_seq (fixture->room), ==, 200);

  g_signal_handlers_disconnect_by_data (messages, changes);
}

/* Scrollback: older pages go in front in one splice, in seq order, each
 * seq once; the past they tell of changes nothing of the present.
 */
static void
test_prepend_history (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(TertuliaFrame) welcome = welcome_new ();
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (TertuliaTestChange));
  g_autoptr(GPtrArray) page = g_ptr_array_new_with_free_func ((GDestroyNotify) tertulia_frame_free);
  GListModel *messages = tertulia_room_get_messages (fixture->room);
  TertuliaParticipant *luis;
  TertuliaMessage *own;
  guint last_seq_notifies = 0, has_older_notifies = 0, n_notifies = 0, topic_notifies = 0;

  /* Nothing yet: nothing older */
  g_assert_cmpint (tertulia_room_get_oldest_seq (fixture->room), ==, 0);
  g_assert_false (tertulia_room_get_has_older (fixture->room));

  /* A welcome whose history starts at 101 of a room at 200 */
  welcome_set_history (welcome, 0, FALSE, FALSE);
  add_history (welcome, 101, 200);
  tertulia_room_apply_welcome (fixture->room, welcome);
  g_assert_cmpint (tertulia_room_get_oldest_seq (fixture->room), ==, 101);
  g_assert_true (tertulia_room_get_has_older (fixture->room));
  own = tertulia_room_add_own_message (fixture->room, TERTULIA_MESSAGE_KIND_CHAT, "c1", "ya voy");
  luis = tertulia_room_find_participant (fixture->room, HOST_ID);

  g_signal_connect (messages, "items-changed", G_CALLBACK (tertulia_test_record_change_cb), changes);
  g_signal_connect (fixture->room, "notify::last-seq", G_CALLBACK (count_cb), &last_seq_notifies);
  g_signal_connect (fixture->room, "notify::has-older", G_CALLBACK (count_cb), &has_older_notifies);
  g_signal_connect (fixture->room, "notify::n-participants", G_CALLBACK (count_cb), &n_notifies);
  g_signal_connect (fixture->room, "notify::topic", G_CALLBACK (count_cb), &topic_notifies);

  /* 51..100, with the past's comings and goings among them, out of
   * order and with one seq twice
   */
  for (gint64 seq = 100; seq >= 56; seq--)
    {
      g_autofree char *text = g_strdup_printf ("mensaje %" G_GINT64_FORMAT, seq);

      g_ptr_array_add (page, message_new (seq, HOST_ID, "luis", text, NULL));
    }
  g_ptr_array_add (page, message_new (60, HOST_ID, "luis", "mensaje 60", NULL));
  g_ptr_array_add (page, join_new (51, 9, "pepe"));
  g_ptr_array_add (page, rename_new (52, HOST_ID, "lucho", "luis"));
  g_ptr_array_add (page, topic_new (53, 9, "pepe", "Cuartos"));
  g_ptr_array_add (page, leave_new (54, 9, "pepe"));
  g_ptr_array_add (page, leave_new (55, HOST_ID, "lucho"));
  tertulia_room_prepend_history (fixture->room, page, TRUE);

  assert_one_change (changes, 0, 50);
  g_assert_cmpuint (n_messages (fixture), ==, 151);
  for (guint i = 0; i < 150; i++)
    g_assert_cmpint (tertulia_message_get_seq (message_at (fixture, i)), ==, 51 + i);
  g_assert_true (last_message (fixture) == own);
  g_assert_nonnull (strstr (tertulia_message_get_text (message_at (fixture, 0)), "pepe joined"));
  g_assert_nonnull (strstr (tertulia_message_get_text (message_at (fixture, 3)), "pepe left"));
  g_assert_cmpint (tertulia_room_get_oldest_seq (fixture->room), ==, 51);
  g_assert_true (tertulia_room_get_has_older (fixture->room));

  /* The present is as it was */
  g_assert_cmpint (tertulia_room_get_last_seq (fixture->room), ==, 200);
  g_assert_cmpuint (last_seq_notifies, ==, 0);
  g_assert_cmpuint (n_notifies, ==, 0);
  g_assert_cmpuint (topic_notifies, ==, 0);
  g_assert_cmpuint (has_older_notifies, ==, 0);
  g_assert_cmpuint (tertulia_room_get_n_participants (fixture->room), ==, 2);
  g_assert_null (tertulia_room_find_participant (fixture->room, 9));
  g_assert_true (tertulia_room_find_participant (fixture->room, HOST_ID) == luis);
  g_assert_cmpstr (tertulia_participant_get_nickname (luis), ==, "luis");
  g_assert_cmpstr (tertulia_room_get_topic (fixture->room), ==, "Final: 22:00");

  /* A page that overlaps what is there adds only what is missing; the
   * last page says there is nothing older.
   */
  g_ptr_array_set_size (page, 0);
  for (gint64 seq = 1; seq <= 60; seq++)
    {
      g_autofree char *text = g_strdup_printf ("mensaje %" G_GINT64_FORMAT, seq);

      g_ptr_array_add (page, message_new (seq, HOST_ID, "luis", text, NULL));
    }
  tertulia_room_prepend_history (fixture->room, page, FALSE);
  assert_one_change (changes, 0, 50);
  g_assert_cmpuint (n_messages (fixture), ==, 201);
  for (guint i = 0; i < 200; i++)
    g_assert_cmpint (tertulia_message_get_seq (message_at (fixture, i)), ==, 1 + i);
  g_assert_cmpuint (count_text (fixture, "mensaje 60"), ==, 1);
  g_assert_cmpint (tertulia_room_get_oldest_seq (fixture->room), ==, 1);
  g_assert_false (tertulia_room_get_has_older (fixture->room));
  g_assert_cmpuint (has_older_notifies, ==, 1);

  /* An empty page, or one of events not yet seen (after last-seq),
   * changes nothing.
   */
  g_ptr_array_set_size (page, 0);
  tertulia_room_prepend_history (fixture->room, page, FALSE);
  g_ptr_array_add (page, message_new (201, HOST_ID, "luis", "futuro", NULL));
  tertulia_room_prepend_history (fixture->room, page, FALSE);
  g_assert_cmpuint (changes->len, ==, 0);
  g_assert_cmpuint (n_messages (fixture), ==, 201);
  g_assert_cmpuint (last_seq_notifies, ==, 0);

  /* The next live event still goes at the end */
  apply_event (fixture, message_new (201, HOST_ID, "luis", "ahora", NULL));
  g_assert_cmpstr (tertulia_message_get_text (message_at (fixture, 200)), ==, "ahora");
  g_assert_true (last_message (fixture) == own);

  g_signal_handlers_disconnect_by_data (messages, changes);
}

/* Older history fills a hole left while away in its place; another room's
 * log on the same address stays before this room's past.
 */
static void
test_prepend_history_holes (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(TertuliaFrame) welcome = welcome_new ();
  g_autoptr(GPtrArray) page = g_ptr_array_new_with_free_func ((GDestroyNotify) tertulia_frame_free);
  guint boundary;

  welcome->room_id = g_strdup ("una");
  tertulia_room_apply_welcome (fixture->room, welcome);
  g_assert_false (tertulia_room_get_has_older (fixture->room));

  /* Away from 4 to 9 */
  welcome_set_history (welcome, 10, TRUE, TRUE);
  g_ptr_array_add (welcome->history, message_new (10, HOST_ID, "luis", "diez", NULL));
  tertulia_room_apply_welcome (fixture->room, welcome);
  g_ptr_array_add (page, message_new (2, HOST_ID, "luis", "hola", NULL));
  g_ptr_array_add (page, message_new (5, HOST_ID, "luis", "cinco", NULL));
  tertulia_room_prepend_history (fixture->room, page, FALSE);
  g_assert_cmpuint (count_text (fixture, "hola"), ==, 1);
  g_assert_cmpstr (tertulia_message_get_text (last_message (fixture)), ==, "diez");
  g_assert_cmpstr (tertulia_message_get_text (message_at (fixture, n_messages (fixture) - 2)), ==, "cinco");

  /* Another room opens on the address, at seq 50 */
  welcome_set_history (welcome, 0, FALSE, FALSE);
  g_free (welcome->room_id);
  welcome->room_id = g_strdup ("otra");
  add_history (welcome, 41, 50);
  tertulia_room_apply_welcome (fixture->room, welcome);
  g_assert_cmpint (tertulia_room_get_oldest_seq (fixture->room), ==, 41);
  g_assert_true (tertulia_room_get_has_older (fixture->room));
  for (boundary = 0; boundary < n_messages (fixture); boundary++)
    if (g_str_equal (tertulia_message_get_text (message_at (fixture, boundary)),
                     "The host opened the room again."))
      break;
  boundary++;

  g_ptr_array_set_size (page, 0);
  g_ptr_array_add (page, message_new (40, HOST_ID, "luis", "cuarenta", NULL));
  tertulia_room_prepend_history (fixture->room, page, FALSE);
  g_assert_cmpstr (tertulia_message_get_text (message_at (fixture, boundary)), ==, "cuarenta");
  g_assert_cmpstr (tertulia_message_get_text (message_at (fixture, boundary - 1)), ==,
                   "The host opened the room again.");
  g_assert_cmpint (tertulia_room_get_oldest_seq (fixture->room), ==, 40);
}

static void
test_participant_identity (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(TertuliaFrame) welcome = welcome_new ();
  GListModel *participants = tertulia_room_get_participants (fixture->room);
  TertuliaParticipant *luis;
  TertuliaParticipant *ana;
  TertuliaPeer *peer;
  guint you_notifies = 0;
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (TertuliaTestChange));
  TertuliaTestChange *change;

  tertulia_room_apply_welcome (fixture->room, welcome);
  luis = tertulia_room_find_participant (fixture->room, HOST_ID);
  ana = tertulia_room_get_you (fixture->room);
  g_signal_connect (fixture->room, "notify::you", G_CALLBACK (count_cb), &you_notifies);
  g_signal_connect (participants, "items-changed", G_CALLBACK (tertulia_test_record_change_cb), changes);

  /* Resumed: luis renamed meanwhile, pepe (8) joined */
  welcome_set_history (welcome, 5, TRUE, FALSE);
  peer = g_ptr_array_index (welcome->participants, 0);
  g_free (peer->nick);
  peer->nick = g_strdup ("Luis");
  g_ptr_array_add (welcome->participants, peer_new (8, "pepe", FALSE));
  g_ptr_array_add (welcome->history, rename_new (4, HOST_ID, "luis", "Luis"));
  g_ptr_array_add (welcome->history, join_new (5, 8, "pepe"));
  tertulia_room_apply_welcome (fixture->room, welcome);

  /* The rows that stay are untouched: one row added, at the end */
  g_assert_cmpuint (changes->len, ==, 1);
  change = &g_array_index (changes, TertuliaTestChange, 0);
  g_assert_cmpuint (change->position, ==, 2);
  g_assert_cmpuint (change->removed, ==, 0);
  g_assert_cmpuint (change->added, ==, 1);

  g_assert_cmpuint (g_list_model_get_n_items (participants), ==, 3);
  g_assert_true (tertulia_room_find_participant (fixture->room, HOST_ID) == luis);
  g_assert_true (tertulia_room_get_you (fixture->room) == ana);
  g_assert_cmpuint (you_notifies, ==, 0);
  g_assert_cmpstr (tertulia_participant_get_nickname (luis), ==, "Luis");
  g_assert_nonnull (tertulia_room_find_participant (fixture->room, 8));
  assert_last_notice_contains (fixture, "pepe joined");
  g_assert_cmpuint (count_text (fixture, "luis is now known as Luis"), ==, 1);

  /* luis's session expired meanwhile (it does not name you any more) and
   * you came back as a new participant, 9
   */
  welcome_set_history (welcome, 7, FALSE, FALSE);
  g_ptr_array_remove_index (welcome->participants, 1);
  g_ptr_array_add (welcome->participants, peer_new (9, "ana", FALSE));
  welcome->you.id = 9;
  g_ptr_array_add (welcome->history, leave_new (6, YOU_ID, "ana"));
  g_ptr_array_add (welcome->history, join_new (7, 9, "ana"));
  tertulia_room_apply_welcome (fixture->room, welcome);

  g_assert_cmpuint (g_list_model_get_n_items (participants), ==, 3);
  g_assert_true (tertulia_room_find_participant (fixture->room, HOST_ID) == luis);
  g_assert_null (tertulia_room_find_participant (fixture->room, YOU_ID));
  g_assert_cmpuint (you_notifies, ==, 1);
  g_assert_cmpint (tertulia_participant_get_id (tertulia_room_get_you (fixture->room)), ==, 9);
  g_assert_true (tertulia_participant_get_is_you (tertulia_room_get_you (fixture->room)));
  {
    g_autoptr(TertuliaParticipant) last = g_list_model_get_item (participants, 2);

    g_assert_true (last == tertulia_room_get_you (fixture->room));
  }

  g_signal_handlers_disconnect_by_data (participants, changes);
}

static void
test_complete_nick (Fixture       *fixture,
                    gconstpointer  data)
{
  g_auto(GStrv) all = NULL;
  g_auto(GStrv) an = NULL;
  g_auto(GStrv) none = NULL;
  g_auto(GStrv) accent = NULL;

  apply_welcome (fixture);
  apply_event (fixture, join_new (4, 8, "ANAbel"));
  apply_event (fixture, join_new (5, 9, "Andrés"));
  apply_event (fixture, join_new (6, 10, "Ángel"));

  an = tertulia_room_complete_nick (fixture->room, "an");
  g_assert_cmpstrv (an, ((const char * const []) { "ana", "ANAbel", "Andrés", NULL }));

  an = (g_strfreev (an), tertulia_room_complete_nick (fixture->room, "ANA"));
  g_assert_cmpstrv (an, ((const char * const []) { "ana", "ANAbel", NULL }));

  accent = tertulia_room_complete_nick (fixture->room, "á");
  g_assert_cmpstrv (accent, ((const char * const []) { "Ángel", NULL }));

  none = tertulia_room_complete_nick (fixture->room, "x");
  g_assert_nonnull (none);
  g_assert_cmpuint (g_strv_length (none), ==, 0);

  all = tertulia_room_complete_nick (fixture->room, "");
  g_assert_cmpuint (g_strv_length (all), ==, 5);
}

static void
test_find_by_nick (Fixture       *fixture,
                   gconstpointer  data)
{
  apply_welcome (fixture);
  apply_event (fixture, join_new (4, 8, "Ángel"));

  g_assert_true (tertulia_room_find_participant_by_nick (fixture->room, "LUIS") ==
                 tertulia_room_find_participant (fixture->room, HOST_ID));
  g_assert_true (tertulia_room_find_participant_by_nick (fixture->room, "ángel") ==
                 tertulia_room_find_participant (fixture->room, 8));
  g_assert_null (tertulia_room_find_participant_by_nick (fixture->room, "lui"));
}

static void
test_describe (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *two = NULL;
  g_autofree char *one = NULL;
  g_autofree char *three = NULL;
  g_autoptr(TertuliaFrame) welcome = welcome_new ();

  tertulia_room_apply_welcome (fixture->room, welcome);
  two = tertulia_room_describe_participants (fixture->room);
  g_assert_cmpstr (two, ==, "2 participants: luis (host), ana (you)");

  apply_event (fixture, join_new (4, 8, "pepe"));
  three = tertulia_room_describe_participants (fixture->room);
  g_assert_cmpstr (three, ==, "3 participants: luis (host), ana (you), pepe");

  /* Alone in your own room */
  welcome_set_history (welcome, 4, TRUE, FALSE);
  g_ptr_array_remove_index (welcome->participants, 1);
  g_ptr_array_set_size (welcome->participants, 0);
  g_ptr_array_add (welcome->participants, peer_new (YOU_ID, "ana", TRUE));
  tertulia_room_apply_welcome (fixture->room, welcome);
  one = tertulia_room_describe_participants (fixture->room);
  g_assert_cmpstr (one, ==, "1 participant: ana (host, you)");
}

static void
test_notify (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(TertuliaFrame) welcome = welcome_new ();
  guint topic = 0, name = 0, you = 0, last_seq = 0, n_participants = 0;

  g_signal_connect (fixture->room, "notify::topic", G_CALLBACK (count_cb), &topic);
  g_signal_connect (fixture->room, "notify::name", G_CALLBACK (count_cb), &name);
  g_signal_connect (fixture->room, "notify::you", G_CALLBACK (count_cb), &you);
  g_signal_connect (fixture->room, "notify::last-seq", G_CALLBACK (count_cb), &last_seq);
  g_signal_connect (fixture->room, "notify::n-participants", G_CALLBACK (count_cb), &n_participants);

  tertulia_room_apply_welcome (fixture->room, welcome);
  g_assert_cmpuint (topic, ==, 1);
  g_assert_cmpuint (name, ==, 1);
  g_assert_cmpuint (you, ==, 1);
  g_assert_cmpuint (last_seq, ==, 1);  /* notifications are frozen during a welcome */
  g_assert_cmpuint (n_participants, ==, 1);

  /* Nothing changed, nothing notified */
  tertulia_room_apply_welcome (fixture->room, welcome);
  g_assert_cmpuint (topic, ==, 1);
  g_assert_cmpuint (name, ==, 1);
  g_assert_cmpuint (you, ==, 1);
  g_assert_cmpuint (last_seq, ==, 1);
  g_assert_cmpuint (n_participants, ==, 1);

  apply_event (fixture, topic_new (4, HOST_ID, "luis", "Final: 23:00"));
  g_assert_cmpuint (topic, ==, 2);
  g_assert_cmpuint (last_seq, ==, 2);

  /* Properties read through GObject, as the UI binds them */
  {
    g_autofree char *topic_value = NULL;
    g_autoptr(GListModel) messages = NULL;
    g_autoptr(TertuliaParticipant) you_value = NULL;
    gint64 seq_value = 0;
    guint n_value = 0;

    g_object_get (fixture->room,
                  "topic", &topic_value,
                  "messages", &messages,
                  "you", &you_value,
                  "last-seq", &seq_value,
                  "n-participants", &n_value,
                  NULL);
    g_assert_cmpstr (topic_value, ==, "Final: 23:00");
    g_assert_true (messages == tertulia_room_get_messages (fixture->room));
    g_assert_true (you_value == tertulia_room_get_you (fixture->room));
    g_assert_cmpint (seq_value, ==, 4);
    g_assert_cmpuint (n_value, ==, 2);
  }
}

static TertuliaFrame *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  TertuliaFrame *frame = tertulia_protocol_parse_server_frame (json, strlen (json), &error);

  g_assert_no_error (error);
  g_assert_nonnull (frame);
  return frame;
}

/* The examples of docs/PROTOCOL.md, through the real parser */
static void
test_wire (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(TertuliaFrame) welcome = NULL;
  TertuliaParticipant *you;

  welcome = parse ("{\"type\": \"welcome\", \"version\": 1,"
                   " \"you\": {\"id\": 7, \"nick\": \"ana\", \"joined_at\": 1763769600000, \"host\": false},"
                   " \"room\": {\"name\": \"LAN party\", \"topic\": \"Final: 22:00\"},"
                   " \"participants\": ["
                   "  {\"id\": 1, \"nick\": \"luis\", \"joined_at\": 1763769000000, \"host\": true},"
                   "  {\"id\": 7, \"nick\": \"ana\", \"joined_at\": 1763769600000, \"host\": false}],"
                   " \"seq\": 42, \"resume_token\": \"3b1f\", \"resumed\": false, \"gap\": false,"
                   " \"history\": [{\"type\": \"join\", \"seq\": 41, \"time\": 1763769600000,"
                   "  \"participant\": {\"id\": 7, \"nick\": \"ana\", \"joined_at\": 1763769600000, \"host\": false}}]}");
  tertulia_room_apply_welcome (fixture->room, welcome);

  you = tertulia_room_get_you (fixture->room);
  g_assert_cmpstr (tertulia_participant_get_nickname (you), ==, "ana");
  g_assert_cmpuint (tertulia_room_get_n_participants (fixture->room), ==, 2);
  g_assert_true (tertulia_participant_get_is_host (tertulia_room_find_participant (fixture->room, 1)));
  g_assert_cmpint (tertulia_room_get_last_seq (fixture->room), ==, 42);
  g_assert_cmpuint (n_messages (fixture), ==, 1);
  assert_last_notice_contains (fixture, "ana joined");

  tertulia_room_add_own_message (fixture->room, TERTULIA_MESSAGE_KIND_CHAT, "c7f1-3", "hola a todos");
  apply_event (fixture, parse ("{\"type\": \"message\", \"seq\": 43, \"time\": 1763769605000,"
                               " \"from\": {\"id\": 7, \"nick\": \"ana\"}, \"kind\": \"chat\","
                               " \"text\": \"hola a todos\", \"cid\": \"c7f1-3\"}"));
  g_assert_cmpuint (n_messages (fixture), ==, 2);
  g_assert_cmpint (tertulia_message_get_state (last_message (fixture)), ==, TERTULIA_MESSAGE_STATE_DELIVERED);
  g_assert_cmpint (tertulia_message_get_seq (last_message (fixture)), ==, 43);

  apply_event (fixture, parse ("{\"type\": \"join\", \"seq\": 44, \"time\": 1763769610000,"
                               " \"participant\": {\"id\": 8, \"nick\": \"Guest-4821\", \"joined_at\": 1763769610000, \"host\": false}}"));
  assert_last_notice_contains (fixture, "Guest-4821 joined");
  g_assert_cmpuint (tertulia_room_get_n_participants (fixture->room), ==, 3);

  apply_event (fixture, parse ("{\"type\": \"leave\", \"seq\": 45, \"time\": 1763769700000, \"id\": 8, \"nick\": \"Guest-4821\"}"));
  assert_last_notice_contains (fixture, "Guest-4821 left");
  g_assert_cmpuint (tertulia_room_get_n_participants (fixture->room), ==, 2);

  apply_event (fixture, parse ("{\"type\": \"rename\", \"seq\": 46, \"time\": 1763769710000, \"id\": 1, \"from\": \"luis\", \"to\": \"Luis\"}"));
  assert_last_notice_contains (fixture, "luis is now known as Luis");
  g_assert_cmpstr (tertulia_participant_get_nickname (tertulia_room_find_participant (fixture->room, 1)), ==, "Luis");

  apply_event (fixture, parse ("{\"type\": \"rename\", \"seq\": 47, \"time\": 1763769710000, \"id\": 7, \"from\": \"ana\", \"to\": \"Ana María\"}"));
  assert_last_notice_contains (fixture, "You are now known as Ana María");
  g_assert_cmpstr (tertulia_participant_get_nickname (you), ==, "Ana María");

  apply_event (fixture, parse ("{\"type\": \"topic\", \"seq\": 48, \"time\": 1763769720000,"
                               " \"by\": {\"id\": 7, \"nick\": \"Ana María\"}, \"topic\": \"Final: 23:00\"}"));
  assert_last_notice_contains (fixture, "Ana María set the topic: Final: 23:00");
  g_assert_cmpstr (tertulia_room_get_topic (fixture->room), ==, "Final: 23:00");

  apply_event (fixture, parse ("{\"type\": \"message\", \"seq\": 49, \"time\": 1763769725000,"
                               " \"from\": {\"id\": 1, \"nick\": \"Luis\"}, \"kind\": \"action\","
                               " \"text\": \"waves at Ana María\"}"));
  g_assert_cmpint (tertulia_message_get_kind (last_message (fixture)), ==, TERTULIA_MESSAGE_KIND_ACTION);
  g_assert_true (tertulia_message_get_mentions_you (last_message (fixture)));
  g_assert_cmpint (tertulia_room_get_last_seq (fixture->room), ==, 49);

  /* Scrollback: the page before the welcome's history, in front */
  {
    g_autoptr(TertuliaFrame) page = parse ("{\"type\": \"history\", \"before\": 41, \"more\": true,"
                                           " \"events\": ["
                                           "  {\"type\": \"message\", \"seq\": 39, \"time\": 1763769590000,"
                                           "   \"from\": {\"id\": 1, \"nick\": \"luis\"}, \"kind\": \"chat\","
                                           "   \"text\": \"¿quién trae la pizza?\"},"
                                           "  {\"type\": \"join\", \"seq\": 40, \"time\": 1763769595000,"
                                           "   \"participant\": {\"id\": 6, \"nick\": \"pepe\", \"joined_at\": 1763769595000, \"host\": false}}]}");

    g_assert_cmpint (page->type, ==, TERTULIA_FRAME_HISTORY);
    tertulia_room_prepend_history (fixture->room, page->history, page->more);
    g_assert_cmpstr (tertulia_message_get_text (message_at (fixture, 0)), ==, "¿quién trae la pizza?");
    g_assert_nonnull (strstr (tertulia_message_get_text (message_at (fixture, 1)), "pepe joined"));
    g_assert_cmpint (tertulia_room_get_oldest_seq (fixture->room), ==, 39);
    g_assert_true (tertulia_room_get_has_older (fixture->room));
    g_assert_null (tertulia_room_find_participant (fixture->room, 6));
    g_assert_cmpint (tertulia_room_get_last_seq (fixture->room), ==, 49);
  }
}

static void
test_message_object (void)
{
  g_autoptr(GDateTime) utc = g_date_time_new_utc (2025, 11, 22, 20, 5, 0);
  g_autoptr(TertuliaMessage) message = NULL;
  g_autoptr(TertuliaMessage) notice = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *formatted = NULL;
  g_autofree char *expected = NULL;
  GParamSpec *pspec;
  TertuliaMessageKind kind = TERTULIA_MESSAGE_KIND_CHAT;
  TertuliaMessageState state = TERTULIA_MESSAGE_STATE_SENDING;
  guint mentions = 0;

  message = tertulia_message_new (TERTULIA_MESSAGE_KIND_ACTION, 12, 3, "luis", "waves", utc);
  g_assert_cmpint (tertulia_message_get_state (message), ==, TERTULIA_MESSAGE_STATE_DELIVERED);
  g_assert_false (tertulia_message_get_is_own (message));

  /* The enums are real GTypes, for the UI's bindings */
  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (message), "kind");
  g_assert_true (G_PARAM_SPEC_VALUE_TYPE (pspec) == TERTULIA_TYPE_MESSAGE_KIND);
  g_assert_true (G_TYPE_IS_ENUM (TERTULIA_TYPE_MESSAGE_KIND));
  g_assert_true (G_TYPE_IS_ENUM (TERTULIA_TYPE_MESSAGE_STATE));
  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (message), "time");
  g_assert_true (G_PARAM_SPEC_VALUE_TYPE (pspec) == G_TYPE_DATE_TIME);
  g_object_get (message, "kind", &kind, "state", &state, NULL);
  g_assert_cmpint (kind, ==, TERTULIA_MESSAGE_KIND_ACTION);
  g_assert_cmpint (state, ==, TERTULIA_MESSAGE_STATE_DELIVERED);
  {
    g_autoptr(GEnumClass) klass = g_type_class_ref (TERTULIA_TYPE_MESSAGE_STATE);

    g_assert_cmpstr (g_enum_get_value (klass, TERTULIA_MESSAGE_STATE_FAILED)->value_nick, ==, "failed");
  }

  /* Shown in local time */
  local = g_date_time_to_local (utc);
  expected = g_date_time_format (local, "%H:%M");
  formatted = tertulia_message_format_time (message);
  g_assert_cmpstr (formatted, ==, expected);

  g_signal_connect (message, "notify::mentions-you", G_CALLBACK (count_cb), &mentions);
  tertulia_message_set_mentions_you (message, TRUE);
  tertulia_message_set_mentions_you (message, TRUE);
  g_assert_cmpuint (mentions, ==, 1);

  notice = tertulia_message_new_notice ("Connection lost", NULL);
  g_assert_cmpint (tertulia_message_get_kind (notice), ==, TERTULIA_MESSAGE_KIND_NOTICE);
  g_assert_nonnull (tertulia_message_get_time (notice));
  g_assert_cmpint (tertulia_message_get_author_id (notice), ==, 0);
  g_assert_null (tertulia_message_get_author (notice));

  g_assert_finalize_object (g_steal_pointer (&message));
  g_assert_finalize_object (g_steal_pointer (&notice));
}

static void
test_participant_object (void)
{
  g_autoptr(TertuliaParticipant) participant = NULL;
  guint nick_notifies = 0;

  participant = tertulia_participant_new (4, "ana", NULL, TRUE, FALSE);
  g_signal_connect (participant, "notify::nickname", G_CALLBACK (count_cb), &nick_notifies);

  tertulia_participant_set_nickname (participant, "ana");
  g_assert_cmpuint (nick_notifies, ==, 0);
  g_object_set (participant, "nickname", "Ana", NULL);
  g_assert_cmpuint (nick_notifies, ==, 1);
  g_assert_cmpstr (tertulia_participant_get_nickname (participant), ==, "Ana");
  g_assert_cmpint (tertulia_participant_get_id (participant), ==, 4);
  g_assert_true (tertulia_participant_get_is_you (participant));
  g_assert_false (tertulia_participant_get_is_host (participant));
  g_assert_null (tertulia_participant_get_joined_at (participant));

  g_assert_finalize_object (g_steal_pointer (&participant));
}

/* The log tells a run of joins and leaves from other notices by kind, not
 * by reading the (translated) text.
 */
static void
test_notice_kinds (Fixture       *fixture,
                   gconstpointer  data)
{
  static const struct {
    TertuliaNoticeKind  kind;
    const char         *subject;
  } expected[] = {
    { TERTULIA_NOTICE_KIND_JOIN, "luis" },    /* welcome history */
    { TERTULIA_NOTICE_KIND_OTHER, NULL },     /* "hola", a message */
    { TERTULIA_NOTICE_KIND_JOIN, "ana" },
    { TERTULIA_NOTICE_KIND_JOIN, "bea" },
    { TERTULIA_NOTICE_KIND_LEAVE, "bea" },
    { TERTULIA_NOTICE_KIND_RENAME, "pepe" },
    { TERTULIA_NOTICE_KIND_OTHER, NULL },     /* the topic */
  };

  apply_welcome (fixture);
  apply_event (fixture, join_new (4, 8, "bea"));
  apply_event (fixture, leave_new (5, 8, "bea"));
  apply_event (fixture, rename_new (6, HOST_ID, "luis", "pepe"));
  apply_event (fixture, topic_new (7, HOST_ID, "pepe", "Final"));

  g_assert_cmpuint (n_messages (fixture), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      TertuliaMessage *message = message_at (fixture, i);
      TertuliaNoticeKind kind;

      g_object_get (message, "notice-kind", &kind, NULL);
      g_assert_cmpint (kind, ==, expected[i].kind);
      g_assert_cmpint (tertulia_message_get_notice_kind (message), ==, expected[i].kind);
      g_assert_cmpstr (tertulia_message_get_subject (message), ==, expected[i].subject);
      /* Nobody wrote a notice: Mention and grouping by author stay off. */
      if (i != 1)
        g_assert_null (tertulia_message_get_author (message));
    }

  g_assert_true (G_TYPE_IS_ENUM (TERTULIA_TYPE_NOTICE_KIND));
  g_assert_cmpstr (g_enum_get_value (g_type_class_peek (TERTULIA_TYPE_NOTICE_KIND),
                                     TERTULIA_NOTICE_KIND_LEAVE)->value_nick, ==, "leave");
}

/* issue 18: private conversations, kept apart from the log */
static TertuliaFrame *
private_new (gint64      id,
             gint64      from_id,
             const char *from_nick,
             gint64      to_id,
             const char *to_nick,
             const char *text)
{
  TertuliaFrame *private = tertulia_frame_new (TERTULIA_FRAME_PRIVATE);

  private->private_id = id;
  private->time = T0 + id;
  private->peer.id = from_id;
  private->peer.nick = g_strdup (from_nick);
  private->target.id = to_id;
  private->target.nick = g_strdup (to_nick);
  private->has_target = TRUE;
  private->text = g_strdup (text);

  return private;
}

static void
private_count_cb (TertuliaRoom         *room,
                  TertuliaConversation *conversation,
                  TertuliaMessage      *message,
                  guint                *count)
{
  (*count)++;
}

static void
test_conversations (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(TertuliaFrame) welcome = welcome_new ();
  g_autoptr(TertuliaFrame) from_luis = private_new (1, HOST_ID, "luis", YOU_ID, "ana", "hola ana");
  g_autoptr(TertuliaFrame) join = join_new (4, 9, "eva");
  g_autoptr(TertuliaFrame) from_eva = private_new (2, 9, "eva", YOU_ID, "ana", "psst");
  g_autoptr(TertuliaFrame) leave = leave_new (5, 9, "eva");
  GListModel *conversations = tertulia_room_get_conversations (fixture->room);
  TertuliaConversation *with_luis;
  TertuliaConversation *with_eva;
  TertuliaMessage *own;
  guint n_log;
  guint signals = 0;

  tertulia_room_apply_welcome (fixture->room, welcome);
  tertulia_room_apply_event (fixture->room, join);
  n_log = n_messages (fixture);
  g_signal_connect (fixture->room, "private-message", G_CALLBACK (private_count_cb), &signals);

  g_assert_true (tertulia_room_apply_private (fixture->room, from_luis));
  g_assert_false (tertulia_room_apply_private (fixture->room, from_luis));
  g_assert_true (tertulia_room_apply_private (fixture->room, from_eva));
  g_assert_cmpuint (signals, ==, 2);
  g_assert_cmpint (tertulia_room_get_last_private_id (fixture->room), ==, 2);
  g_assert_cmpuint (n_messages (fixture), ==, n_log);

  /* Newest activity first */
  g_assert_cmpuint (g_list_model_get_n_items (conversations), ==, 2);
  with_eva = g_list_model_get_item (conversations, 0);
  g_object_unref (with_eva);
  g_assert_cmpint (tertulia_conversation_get_peer_id (with_eva), ==, 9);
  with_luis = tertulia_room_find_conversation (fixture->room, HOST_ID);
  g_assert_cmpuint (tertulia_conversation_get_unread (with_luis), ==, 1);

  /* Yours: sending, then delivered by its echo, which is no new message */
  own = tertulia_room_add_own_private (fixture->room, HOST_ID, "c1", "hola luis");
  g_assert_nonnull (own);
  {
    g_autoptr(TertuliaConversation) first = g_list_model_get_item (conversations, 0);

    g_assert_true (first == with_luis);
  }
  {
    g_autoptr(TertuliaFrame) echo = private_new (3, YOU_ID, "ana", HOST_ID, "luis", "hola luis");

    echo->cid = g_strdup ("c1");
    g_assert_true (tertulia_room_apply_private (fixture->room, echo));
  }
  g_assert_cmpint (tertulia_message_get_state (own), ==, TERTULIA_MESSAGE_STATE_DELIVERED);
  g_assert_cmpuint (g_list_model_get_n_items (tertulia_conversation_get_messages (with_luis)), ==, 2);
  g_assert_cmpuint (tertulia_conversation_get_unread (with_luis), ==, 1);
  g_assert_cmpuint (signals, ==, 2);
  tertulia_conversation_mark_read (with_luis);
  g_assert_cmpuint (tertulia_conversation_get_unread (with_luis), ==, 0);

  /* Nobody to write to: yourself, someone unknown */
  g_assert_null (tertulia_room_add_own_private (fixture->room, YOU_ID, "c2", "me"));
  g_assert_null (tertulia_room_add_own_private (fixture->room, 99, "c3", "who"));

  /* eva leaves: her conversation stays, not present */
  g_assert_true (tertulia_conversation_get_present (with_eva));
  tertulia_room_apply_event (fixture->room, leave);
  g_assert_false (tertulia_conversation_get_present (with_eva));
}

/* issue 18: what moderation events do to the room and say */
static TertuliaFrame *
moderation_new (gint64                   seq,
                TertuliaModerationAction action,
                gint64                   target_id,
                const char              *target_nick)
{
  TertuliaFrame *event = event_new (TERTULIA_FRAME_MODERATION, seq);

  event->action = action;
  event->peer.id = HOST_ID;
  event->peer.nick = g_strdup ("luis");
  if (target_nick != NULL)
    {
      event->has_target = TRUE;
      event->target.id = target_id;
      event->target.nick = g_strdup (target_nick);
    }

  return event;
}

static void
test_moderation_events (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(TertuliaFrame) welcome = welcome_new ();
  g_autoptr(TertuliaFrame) mute = moderation_new (4, TERTULIA_MODERATION_MUTE, YOU_ID, "ana");
  g_autoptr(TertuliaFrame) op = moderation_new (5, TERTULIA_MODERATION_OP, YOU_ID, "ana");
  g_autoptr(TertuliaFrame) slow = moderation_new (6, TERTULIA_MODERATION_SLOW, 0, NULL);
  g_autoptr(TertuliaFrame) lock = moderation_new (7, TERTULIA_MODERATION_LOCK, 0, NULL);
  g_autoptr(TertuliaFrame) pm = moderation_new (8, TERTULIA_MODERATION_PRIVATE_MESSAGES, 0, NULL);
  TertuliaParticipant *you;

  tertulia_room_apply_welcome (fixture->room, welcome);
  you = tertulia_room_get_you (fixture->room);
  g_assert_false (tertulia_room_get_you_moderate (fixture->room));
  g_assert_cmpint (tertulia_participant_get_role (tertulia_room_find_participant (fixture->room, HOST_ID)),
                   ==, TERTULIA_ROLE_HOST);

  tertulia_room_apply_event (fixture->room, mute);
  g_assert_true (tertulia_participant_get_muted (you));
  assert_last_notice_contains (fixture, "You were muted by luis");

  tertulia_room_apply_event (fixture->room, op);
  g_assert_cmpint (tertulia_participant_get_role (you), ==, TERTULIA_ROLE_COHOST);
  g_assert_true (tertulia_room_get_you_moderate (fixture->room));
  assert_last_notice_contains (fixture, "luis made you a co-host");

  slow->seconds = 1;
  tertulia_room_apply_event (fixture->room, slow);
  g_assert_cmpuint (tertulia_room_get_slow_seconds (fixture->room), ==, 1);
  assert_last_notice_contains (fixture, "one message every 1 second");
  tertulia_room_apply_event (fixture->room, lock);
  g_assert_true (tertulia_room_get_locked (fixture->room));
  pm->allow = TERTULIA_PRIVATE_MESSAGES_HOSTS;
  tertulia_room_apply_event (fixture->room, pm);
  g_assert_cmpint (tertulia_room_get_private_messages (fixture->room), ==, TERTULIA_PRIVATE_MESSAGES_HOSTS);
  {
    g_autofree char *list = tertulia_room_describe_participants (fixture->room);

    g_assert_cmpstr (list, ==, "2 participants: luis (host), ana (co-host, you) (muted)");
  }

  /* The same events from a welcome's history change nothing more: the
   * welcome's participants and room are their outcome
   */
  {
    g_autoptr(TertuliaFrame) again = welcome_new ();
    g_autoptr(TertuliaFrame) kick = moderation_new (9, TERTULIA_MODERATION_KICK, HOST_ID + 1, "pepe");

    welcome_set_history (again, 9, TRUE, FALSE);
    kick->reason = g_strdup ("spam");
    g_ptr_array_add (again->history, g_steal_pointer (&kick));
    again->locked = FALSE;
    tertulia_room_apply_welcome (fixture->room, again);
    g_assert_false (tertulia_room_get_locked (fixture->room));
    g_assert_cmpint (tertulia_participant_get_role (tertulia_room_get_you (fixture->room)), ==, TERTULIA_ROLE_GUEST);
    g_assert_false (tertulia_room_get_you_moderate (fixture->room));
    assert_last_notice_contains (fixture, "luis removed pepe from the room: spam");
  }
}

int
main (int   argc,
      char *argv[])
{
  /* Local time three hours behind UTC, without needing tzdata: the room
   * must turn the wire's UTC milliseconds into this.
   */
  g_setenv ("TZ", "<-03>3", TRUE);

  g_test_init (&argc, &argv, NULL);

#define ROOM_TEST(path, func) \
  g_test_add ("/room/" path, Fixture, NULL, setup, func, teardown)

  ROOM_TEST ("welcome", test_welcome);
  ROOM_TEST ("replay", test_replay);
  ROOM_TEST ("events", test_events);
  ROOM_TEST ("notice-kinds", test_notice_kinds);
  ROOM_TEST ("own-message", test_own_message);
  ROOM_TEST ("own-message-after-grace", test_own_message_after_grace);
  ROOM_TEST ("own-message-out-of-order", test_own_message_out_of_order);
  ROOM_TEST ("own-message-failed", test_own_message_failed);
  ROOM_TEST ("own-message-before-welcome", test_own_message_before_welcome);
  ROOM_TEST ("mentions", test_mentions);
  ROOM_TEST ("gap", test_gap);
  ROOM_TEST ("welcome-splice", test_welcome_splice);
  ROOM_TEST ("prepend-history", test_prepend_history);
  ROOM_TEST ("prepend-history-holes", test_prepend_history_holes);
  ROOM_TEST ("participant-identity", test_participant_identity);
  ROOM_TEST ("complete-nick", test_complete_nick);
  ROOM_TEST ("find-by-nick", test_find_by_nick);
  ROOM_TEST ("describe", test_describe);
  ROOM_TEST ("notify", test_notify);
  ROOM_TEST ("conversations", test_conversations);
  ROOM_TEST ("moderation-events", test_moderation_events);
  ROOM_TEST ("wire", test_wire);
  g_test_add_func ("/room/text-mentions", test_text_mentions);
  g_test_add_func ("/room/message", test_message_object);
  g_test_add_func ("/room/participant", test_participant_object);

  return g_test_run ();
}

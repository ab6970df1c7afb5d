/* web-peer.c — a native core client for the browser guest test
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Joins a room with the core's TertuliaClient, as the app and the terminal
 * guest do, and speaks a line protocol that test-web.js can drive:
 *
 *   stdin:   TEXT          posts TEXT
 *            /me TEXT      posts an action
 *            /nick NAME    changes the nickname
 *   stdout:  READY NICK                    joined the room
 *            MSG KIND AUTHOR TEXT          someone else's message (kind chat/action)
 *            DELIVERED TEXT                one of ours was echoed by the server
 *            NOTICE TEXT                   join, leave, rename, topic, errors…
 *            STATE N                       the TertuliaConnectionState changed
 *
 * TEXT is escaped with g_strescape(), so every event is one line. Output
 * is written with printf(), not g_print(), so that UTF-8 reaches the test
 * unchanged whatever the locale.
 */

#define G_LOG_DOMAIN "web-peer"

#include "config.h"

#include <gio/gunixinputstream.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tertulia-client.h"

typedef struct
{
  GMainLoop        *loop;
  TertuliaClient   *client;
  GDataInputStream *input;
  GCancellable     *cancellable;
  GHashTable       *seen;   /* TertuliaMessage* we have printed */
  int               exit_code;
} Peer;

static void
print_escaped (const char *tag,
               const char *kind,
               const char *author,
               const char *text)
{
  static char non_ascii[129];
  g_autofree char *escaped = NULL;

  /* Escape control characters only: UTF-8 text stays readable. */
  if (non_ascii[0] == '\0')
    {
      for (guint i = 0; i < 128; i++)
        non_ascii[i] = (char) (0x80 + i);
    }
  escaped = g_strescape (text != NULL ? text : "", non_ascii);

  if (kind != NULL)
    printf ("%s %s %s %s\n", tag, kind, author != NULL ? author : "", escaped);
  else
    printf ("%s %s\n", tag, escaped);
}

static void
disconnect_message (gpointer key,
                    gpointer value,
                    gpointer user_data)
{
  g_signal_handlers_disconnect_by_data (key, user_data);
}

static gboolean
quit_cb (gpointer user_data)
{
  Peer *peer = user_data;

  g_main_loop_quit (peer->loop);
  return G_SOURCE_REMOVE;
}

static void
message_state_cb (TertuliaMessage *message,
                  GParamSpec      *pspec,
                  Peer            *peer)
{
  if (tertulia_message_get_state (message) == TERTULIA_MESSAGE_STATE_DELIVERED)
    {
      print_escaped ("DELIVERED", NULL, NULL, tertulia_message_get_text (message));
      g_signal_handlers_disconnect_by_func (message, message_state_cb, peer);
    }
  else if (tertulia_message_get_state (message) == TERTULIA_MESSAGE_STATE_FAILED)
    {
      print_escaped ("FAILED", NULL, NULL, tertulia_message_get_error (message));
      g_signal_handlers_disconnect_by_func (message, message_state_cb, peer);
    }
}

static void
messages_changed_cb (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     Peer       *peer)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(TertuliaMessage) message = g_list_model_get_item (model, i);

      /* Own messages move when others arrive first; print each one once. */
      if (g_hash_table_contains (peer->seen, message))
        continue;
      g_hash_table_add (peer->seen, g_object_ref (message));

      if (tertulia_message_get_kind (message) == TERTULIA_MESSAGE_KIND_NOTICE)
        print_escaped ("NOTICE", NULL, NULL, tertulia_message_get_text (message));
      else if (tertulia_message_get_is_own (message))
        g_signal_connect (message, "notify::state", G_CALLBACK (message_state_cb), peer);
      else
        print_escaped ("MSG",
                       tertulia_message_get_kind (message) == TERTULIA_MESSAGE_KIND_ACTION ? "action" : "chat",
                       tertulia_message_get_author (message),
                       tertulia_message_get_text (message));
    }
}

static void
state_changed_cb (TertuliaClient *client,
                  GParamSpec     *pspec,
                  Peer           *peer)
{
  printf ("STATE %d\n", (int) tertulia_client_get_state (client));
}

static void read_next_line (Peer *peer);

static void
line_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Peer *peer = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (line == NULL)
    {
      /* End of input: the test is done with us. Leave cleanly, and give
       * the close frame a moment to go out.
       */
      tertulia_client_disconnect (peer->client);
      g_timeout_add (200, quit_cb, peer);
      return;
    }

  if (g_str_has_prefix (line, "/me "))
    tertulia_client_send_message (peer->client, TERTULIA_MESSAGE_KIND_ACTION, line + 4, &error);
  else if (g_str_has_prefix (line, "/nick "))
    tertulia_client_change_nickname (peer->client, line + 6, &error);
  else
    tertulia_client_send_message (peer->client, TERTULIA_MESSAGE_KIND_CHAT, line, &error);

  if (error != NULL)
    print_escaped ("FAILED", NULL, NULL, error->message);

  read_next_line (peer);
}

static void
read_next_line (Peer *peer)
{
  g_data_input_stream_read_line_async (peer->input, G_PRIORITY_DEFAULT, peer->cancellable,
                                       line_read_cb, peer);
}

static void
connected_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Peer *peer = user_data;
  g_autoptr(GError) error = NULL;
  TertuliaParticipant *you;

  if (!tertulia_client_connect_finish (TERTULIA_CLIENT (object), result, &error))
    {
      g_printerr ("web-peer: %s\n", error->message);
      peer->exit_code = EXIT_FAILURE;
      g_main_loop_quit (peer->loop);
      return;
    }

  you = tertulia_room_get_you (tertulia_client_get_room (peer->client));
  printf ("READY %s\n", tertulia_participant_get_nickname (you));
  read_next_line (peer);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GInputStream) stdin_stream = NULL;
  Peer peer = { 0 };

  if (argc != 3)
    {
      g_printerr ("usage: web-peer ADDRESS NICK\n");
      return EXIT_FAILURE;
    }

  setvbuf (stdout, NULL, _IOLBF, 0);

  peer.loop = g_main_loop_new (NULL, FALSE);
  peer.cancellable = g_cancellable_new ();
  peer.seen = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  peer.client = tertulia_client_new (argv[1], argv[2]);
  stdin_stream = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  peer.input = g_data_input_stream_new (stdin_stream);

  g_signal_connect (tertulia_room_get_messages (tertulia_client_get_room (peer.client)),
                    "items-changed", G_CALLBACK (messages_changed_cb), &peer);
  g_signal_connect (peer.client, "notify::state", G_CALLBACK (state_changed_cb), &peer);

  tertulia_client_connect_async (peer.client, peer.cancellable, connected_cb, &peer);
  g_main_loop_run (peer.loop);

  g_cancellable_cancel (peer.cancellable);
  g_signal_handlers_disconnect_by_data (tertulia_room_get_messages (tertulia_client_get_room (peer.client)), &peer);
  g_signal_handlers_disconnect_by_data (peer.client, &peer);
  g_hash_table_foreach (peer.seen, disconnect_message, &peer);
  g_clear_pointer (&peer.seen, g_hash_table_unref);
  g_clear_object (&peer.client);
  g_clear_object (&peer.input);
  g_clear_object (&peer.cancellable);
  g_clear_pointer (&peer.loop, g_main_loop_unref);

  return peer.exit_code;
}

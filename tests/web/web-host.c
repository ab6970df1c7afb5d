/* web-host.c — a room for the browser tests whose host key the test knows
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tertulia-server has no participant of its own and keeps its host key to
 * itself; the moderation tests need a page that is the room's host, as the
 * app's own guest is. This runs the same TertuliaServer on loopback and
 * prints one line, "PORT N KEY HOSTKEY", then serves until stdin closes
 * (the test is done) or a SIGTERM.
 */

#define G_LOG_DOMAIN "web-host"

#include "config.h"

#include <glib-unix.h>
#include <gio/gunixinputstream.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "tertulia-server.h"

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static void
stdin_closed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, NULL);

  /* Anything but the end of input: keep waiting for it. */
  if (bytes != NULL && g_bytes_get_size (bytes) > 0)
    {
      g_input_stream_read_bytes_async (G_INPUT_STREAM (object), 64, G_PRIORITY_DEFAULT, NULL,
                                       stdin_closed_cb, user_data);
      return;
    }
  g_main_loop_quit (user_data);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TertuliaServer) server = NULL;
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(GMainLoop) loop = NULL;

  if (argc != 2)
    {
      g_printerr ("usage: web-host ROOM-NAME\n");
      return EXIT_FAILURE;
    }

  setvbuf (stdout, NULL, _IOLBF, 0);
  loop = g_main_loop_new (NULL, FALSE);
  server = tertulia_server_new (argv[1]);
  if (!tertulia_server_listen (server, "127.0.0.1", 0, &error))
    {
      g_printerr ("web-host: %s\n", error->message);
      return EXIT_FAILURE;
    }

  g_unix_signal_add (SIGTERM, quit_cb, loop);
  input = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  g_input_stream_read_bytes_async (input, 64, G_PRIORITY_DEFAULT, NULL, stdin_closed_cb, loop);

  printf ("PORT %u KEY %s\n", tertulia_server_get_port (server), tertulia_server_get_host_key (server));
  g_main_loop_run (loop);

  return EXIT_SUCCESS;
}

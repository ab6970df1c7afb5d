/* tertulia-test-client.h — connecting a TertuliaClient in a test, and waiting for it
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tertulia-client.h"
#include "tertulia-server.h"
#include "tertulia-test-utils.h"

/* How a tertulia_client_connect_async() ended, once done. */
typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} TertuliaTestConnect;

/* The callback for tertulia_client_connect_async(), with a
 * TertuliaTestConnect as user data.
 */
static inline void
tertulia_test_connect_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  TertuliaTestConnect *res = user_data;

  res->ok = tertulia_client_connect_finish (TERTULIA_CLIENT (object), result, &res->error);
  res->done = TRUE;
}

/* Connects @client, iterating the main context until it is in the room
 * or has given up.
 */
static inline gboolean
tertulia_test_client_connect (TertuliaClient  *client,
                              GError         **error)
{
  TertuliaTestConnect res = { FALSE, FALSE, NULL };

  tertulia_client_connect_async (client, NULL, tertulia_test_connect_cb, &res);
  WAIT_UNTIL (res.done);
  if (res.error != NULL)
    g_propagate_error (error, res.error);

  return res.ok;
}

/* What a guest sees, for the assertions */

static inline void
connect_and_wait (TertuliaClient *client)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = tertulia_test_client_connect (client, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpint (tertulia_client_get_state (client), ==, TERTULIA_CONNECTION_CONNECTED);
}

static inline TertuliaMessage *
message_at (TertuliaClient *client,
            guint           position)
{
  GListModel *messages = tertulia_room_get_messages (tertulia_client_get_room (client));
  g_autoptr(TertuliaMessage) message = g_list_model_get_item (messages, position);

  return message;   /* borrowed: the model keeps it */
}

/* How many rows of @client's log read @text: notices, or the others. */
static inline guint
count_rows (TertuliaClient *client,
            const char     *text,
            gboolean        notices)
{
  GListModel *messages = tertulia_room_get_messages (tertulia_client_get_room (client));
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (messages); i++)
    {
      TertuliaMessage *message = message_at (client, i);

      if ((tertulia_message_get_kind (message) == TERTULIA_MESSAGE_KIND_NOTICE) == !!notices &&
          g_strcmp0 (tertulia_message_get_text (message), text) == 0)
        n++;
    }

  return n;
}

static inline guint
count_messages (TertuliaClient *client,
                const char     *text)
{
  return count_rows (client, text, FALSE);
}

static inline TertuliaMessage *
find_message (TertuliaClient *client,
              const char     *text)
{
  GListModel *messages = tertulia_room_get_messages (tertulia_client_get_room (client));

  for (guint i = 0; i < g_list_model_get_n_items (messages); i++)
    {
      TertuliaMessage *message = message_at (client, i);

      if (tertulia_message_get_kind (message) != TERTULIA_MESSAGE_KIND_NOTICE &&
          g_strcmp0 (tertulia_message_get_text (message), text) == 0)
        return message;
    }

  return NULL;
}

static inline TertuliaParticipant *
you (TertuliaClient *client)
{
  return tertulia_room_get_you (tertulia_client_get_room (client));
}

static inline guint
n_participants (TertuliaClient *client)
{
  return tertulia_room_get_n_participants (tertulia_client_get_room (client));
}

static inline guint
count_notices (TertuliaClient *client,
               const char     *text)
{
  return count_rows (client, text, TRUE);
}

static inline gboolean
has_notice (TertuliaClient *client,
            const char     *text)
{
  return count_notices (client, text) > 0;
}

/* A host named @name on 127.0.0.1:@port (0: any free port). */
static inline TertuliaServer *
tertulia_test_server_start (const char *name,
                            guint       port)
{
  g_autoptr(TertuliaServer) server = tertulia_server_new (name);
  g_autoptr(GError) error = NULL;

  tertulia_server_listen (server, "127.0.0.1", port, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tertulia_server_get_port (server), >, 0);
  if (port != 0)
    g_assert_cmpuint (tertulia_server_get_port (server), ==, port);

  return g_steal_pointer (&server);
}

/* Closes the room ("The host closed the room") and checks nothing holds it. */
static inline void
tertulia_test_server_stop (TertuliaServer **server)
{
  if (*server == NULL)
    return;

  tertulia_server_shutdown (*server, NULL);
  g_assert_finalize_object (g_steal_pointer (server));
}

/* A host the test starts, stops and starts again on the same port, and
 * the address guests type for it.
 */
typedef struct
{
  TertuliaServer *server;
  char           *address;
  guint           port;
} TertuliaTestHost;

static inline void
tertulia_test_host_start (TertuliaTestHost *host,
                          const char       *name,
                          guint             port)
{
  host->server = tertulia_test_server_start (name, port);
  host->port = tertulia_server_get_port (host->server);

  g_free (host->address);
  host->address = g_strdup_printf ("127.0.0.1:%u", host->port);
}

/* Stops it, forgets it, and lets closing connections finish so nothing
 * leaks into the next test.
 */
static inline void
tertulia_test_host_clear (TertuliaTestHost *host)
{
  tertulia_test_server_stop (&host->server);
  g_clear_pointer (&host->address, g_free);
  tertulia_test_spin (50);
}

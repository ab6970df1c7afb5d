/* tertulia-test-client.h — connecting a TertuliaClient in a test, and waiting for it
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tertulia-client.h"
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

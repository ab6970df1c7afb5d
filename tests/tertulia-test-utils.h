/* tertulia-test-utils.h — helpers shared by the tests
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

/* Iterates the default main context until @cond holds, failing the test
 * after 10 seconds (libsoup's websocket-test.c does the same).
 */
static inline gboolean
tertulia_test_wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

#define WAIT_UNTIL(cond)                                                     \
  G_STMT_START {                                                             \
    gint64 _wait_deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;   \
    guint _wake_id = g_timeout_add (20, tertulia_test_wake_cb, NULL);        \
    while (!(cond))                                                          \
      {                                                                      \
        if (g_get_monotonic_time () > _wait_deadline)                        \
          g_error ("Timed out waiting for: %s", #cond);                      \
        g_main_context_iteration (NULL, TRUE);                               \
      }                                                                      \
    g_source_remove (_wake_id);                                              \
  } G_STMT_END

/* Iterates the default main context for @msec milliseconds. */
static inline void
tertulia_test_spin (guint msec)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) msec * 1000;

  guint wake_id = g_timeout_add (10, tertulia_test_wake_cb, NULL);

  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake_id);
}

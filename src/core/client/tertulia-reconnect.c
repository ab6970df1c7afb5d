/* tertulia-reconnect.c — when a guest that lost its room tries again
 *
 * The reconnect policy on its own: an exponential back-off with jitter (so
 * that a room's guests do not all knock at the same instant when the host
 * comes back), and the once-a-second countdown the app and the terminal
 * show ("Retrying in 3 s"). While waiting, the network coming back (Wi-Fi
 * reassociating, a cable plugged in) means trying at once.
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-client"

#include "config.h"

#include "tertulia-reconnect.h"

/* Reconnection backoff: 0.5 s, doubling, at most 4 s, each ±20%. Rooms
 * live on a LAN, where a host that restarts is back within seconds and
 * knocking every few seconds costs nothing; a long wait only makes people
 * think the app is stuck.
 */
#define BACKOFF_FIRST_MS          500
#define BACKOFF_MAX_MS            4000
#define BACKOFF_JITTER            0.2

struct _TertuliaReconnect
{
  TertuliaReconnectRetryFunc      retry;
  TertuliaReconnectCountdownFunc  countdown;
  gpointer                        user_data;

  guint                           backoff_ms;
  gint64                          retry_deadline;    /* monotonic µs */
  guint                           retry_id;
  guint                           countdown_id;

  GNetworkMonitor                *monitor;           /* borrowed: the default one */
  gulong                          network_changed_id;
};

static void
network_changed_cb (TertuliaReconnect *self,
                    gboolean           available)
{
  g_debug ("network changed (%s)", available ? "available" : "unavailable");

  if (available)
    _tertulia_reconnect_now (self);
}

TertuliaReconnect *
_tertulia_reconnect_new (TertuliaReconnectRetryFunc     retry,
                         TertuliaReconnectCountdownFunc countdown,
                         gpointer                       user_data)
{
  TertuliaReconnect *self = g_new0 (TertuliaReconnect, 1);

  self->retry = retry;
  self->countdown = countdown;
  self->user_data = user_data;
  self->backoff_ms = BACKOFF_FIRST_MS;

  self->monitor = g_network_monitor_get_default ();
  self->network_changed_id = g_signal_connect_swapped (self->monitor, "network-changed",
                                                       G_CALLBACK (network_changed_cb), self);

  return self;
}

void
_tertulia_reconnect_free (TertuliaReconnect *self)
{
  g_clear_signal_handler (&self->network_changed_id, self->monitor);
  _tertulia_reconnect_stop (self);
  g_free (self);
}

void
_tertulia_reconnect_now (TertuliaReconnect *self)
{
  if (!_tertulia_reconnect_is_waiting (self))
    return;

  _tertulia_reconnect_stop (self);
  self->backoff_ms = BACKOFF_FIRST_MS;
  self->countdown (0, self->user_data);
  self->retry (self->user_data);
}

void
_tertulia_reconnect_stop (TertuliaReconnect *self)
{
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->countdown_id, g_source_remove);
}

void
_tertulia_reconnect_reset (TertuliaReconnect *self)
{
  self->backoff_ms = BACKOFF_FIRST_MS;
}

gboolean
_tertulia_reconnect_is_waiting (TertuliaReconnect *self)
{
  return self->retry_id != 0;
}

static gboolean
countdown_cb (gpointer user_data)
{
  TertuliaReconnect *self = user_data;
  gint64 remaining = self->retry_deadline - g_get_monotonic_time ();
  guint seconds = (guint) MAX ((remaining + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC, 1);

  self->countdown (seconds, self->user_data);

  return G_SOURCE_CONTINUE;
}

static gboolean
retry_cb (gpointer user_data)
{
  TertuliaReconnect *self = user_data;

  self->retry_id = 0;
  g_clear_handle_id (&self->countdown_id, g_source_remove);
  self->retry (self->user_data);

  return G_SOURCE_REMOVE;
}

void
_tertulia_reconnect_schedule (TertuliaReconnect *self)
{
  double jitter = 1.0 + BACKOFF_JITTER * (2.0 * g_random_double () - 1.0);
  guint delay_ms = (guint) (self->backoff_ms * jitter);

  _tertulia_reconnect_stop (self);

  self->backoff_ms = MIN (self->backoff_ms * 2, BACKOFF_MAX_MS);
  self->retry_deadline = g_get_monotonic_time () + (gint64) delay_ms * 1000;
  self->retry_id = g_timeout_add (delay_ms, retry_cb, self);
  /* The countdown ticks once a second from now, so it stays in step with
   * the deadline's fractional part.
   */
  self->countdown_id = g_timeout_add (1000, countdown_cb, self);

  g_debug ("retrying in %u ms", delay_ms);
  self->countdown ((delay_ms + 999) / 1000, self->user_data);
}

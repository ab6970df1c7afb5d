/* tertulia-server-guard.h — a guest's connection, watched below libsoup
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* libsoup 3.2 reassembles a fragmented WebSocket message without any limit
 * (CVE-2025-32049, fixed in 3.7.1), and reads a whole frame, however big
 * its header says it is, before checking anything. A TertuliaGuardStream
 * sits between the socket and the SoupWebsocketConnection: it follows the
 * frame headers as the bytes go by and simply never passes on a data frame
 * that would make the message it belongs to bigger than the limit, nor a
 * ping beyond a small budget. libsoup then never holds more than about the
 * limit for a message. Control frames still pass, so the close handshake
 * that follows can finish.
 *
 * It also counts the bytes that really went out, so the host knows how much
 * is queued for a guest that stopped reading, and when the guest last sent
 * anything at all, for the keepalive.
 */

typedef enum
{
  TERTULIA_GUARD_VIOLATION_TOO_BIG,     /* a message over the limit */
  TERTULIA_GUARD_VIOLATION_PING_FLOOD,  /* pings beyond the budget */
} TertuliaGuardViolation;

/* The ping budget: a burst, then one per second. Browsers never ping;
 * libsoup clients ping every few seconds at most.
 */
#define TERTULIA_GUARD_PING_BURST      10
#define TERTULIA_GUARD_PINGS_PER_SECOND 1

#define TERTULIA_TYPE_GUARD_STREAM (tertulia_guard_stream_get_type ())

G_DECLARE_FINAL_TYPE (TertuliaGuardStream, tertulia_guard_stream, TERTULIA, GUARD_STREAM, GIOStream)

/* Signals:
 *   violation (TertuliaGuardViolation): the guest broke a limit; emitted
 *              once per kind, from an idle callback (never from inside a
 *              read, where libsoup does not expect its connection to close)
 */

/* @max_message_bytes counts the frames of one data message on the wire,
 * headers and masks included.
 */
TertuliaGuardStream *tertulia_guard_stream_new                (GIOStream           *base,
                                                               guint64              max_message_bytes);
guint64              tertulia_guard_stream_get_bytes_read     (TertuliaGuardStream *self);
guint64              tertulia_guard_stream_get_bytes_written  (TertuliaGuardStream *self);
/* g_get_monotonic_time() of the last byte that arrived (or of the guard's
 * creation).
 */
gint64               tertulia_guard_stream_get_last_heard     (TertuliaGuardStream *self);

G_END_DECLS

/* tertulia-server-guard.h — a guest's connection, watched below libsoup
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tertulia-server-linger.h"

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
 * anything at all, for the keepalive; and it hands libsoup at most 16 KB
 * of one guest at a time, then lets the other connections have their turn
 * in the main loop, so that a guest with a long burst queued does not make
 * everyone else wait behind it.
 *
 * And it sends the host's fan-out around libsoup. libsoup frames, copies,
 * logs and writes each message on its own, one send() per message per
 * guest; the host instead frames an event once and hands the same bytes to
 * every guest's guard with tertulia_guard_stream_write_frame(). They wait
 * there until the end of the main loop iteration, and a guest's frames of
 * that iteration leave in one send(); a TertuliaGuardBatch, one per host,
 * does that sending.
 *
 * libsoup still makes and sends its own frames (the welcome, errors, pings,
 * pongs, the close handshake), and its state stays right. What libsoup
 * writes joins the same queue, in order, and counts as written at once, so
 * libsoup never holds a queue of its own, except a close frame: libsoup
 * closes the socket as soon as that is written, so it waits in libsoup
 * ("would block") until everything before it has left, then goes to the
 * socket directly, and only what the socket took counts as written, partial
 * writes included. Nothing follows a close frame:
 * tertulia_guard_stream_write_frame() refuses from then on.
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

/* Sends the frames of every guard made with it, once per main loop
 * iteration. Its guards may outlive the host: each holds a reference.
 */
typedef struct _TertuliaGuardBatch TertuliaGuardBatch;

TertuliaGuardBatch *tertulia_guard_batch_new   (void);
TertuliaGuardBatch *tertulia_guard_batch_ref   (TertuliaGuardBatch *batch);
void                tertulia_guard_batch_unref (TertuliaGuardBatch *batch);
/* Calls @func before any stream of @batch sends frames, whether at the end
 * of the iteration or at once (NULL: nothing). The host commits its journal
 * there, so that what a guest receives is already kept.
 */
void                tertulia_guard_batch_set_before_send (TertuliaGuardBatch *batch,
                                                          void              (*func) (gpointer user_data),
                                                          gpointer            user_data);

/* Calls @func when @batch sends, before its streams do (NULL: nothing).
 * The host hands over there what its room said in the iteration, once per
 * guest; frames written from @func go straight to the sockets whose
 * streams have nothing waiting.
 */
void                tertulia_guard_batch_set_flush       (TertuliaGuardBatch *batch,
                                                          void              (*func) (gpointer user_data),
                                                          gpointer            user_data);
/* Makes @batch send (and flush) at the end of this iteration, even if no
 * stream has frames waiting
 */
void                tertulia_guard_batch_wake            (TertuliaGuardBatch *batch);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TertuliaGuardBatch, tertulia_guard_batch_unref)

#define TERTULIA_GUARD_MAX_FRAME_HEADER 10

/* Writes the header of an unmasked, unfragmented text frame with
 * @payload_length bytes of payload, as a server sends it, to @header (or
 * nowhere, if NULL); returns its length.
 */
gsize tertulia_guard_text_frame_header (guint8 *header,
                                        gsize   payload_length);

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
/* @batch NULL: frames leave at once */
TertuliaGuardStream *tertulia_guard_stream_new_batched        (GIOStream           *base,
                                                               guint64              max_message_bytes,
                                                               TertuliaGuardBatch  *batch);
/* Takes @frame, whole and already framed, for the guest; FALSE if it
 * cannot go: the connection is closing or closed, or failed (send through
 * libsoup then, whose write hears of the failure and closes).
 */
gboolean             tertulia_guard_stream_write_frame        (TertuliaGuardStream *self,
                                                               const guint8        *frame,
                                                               gsize                length);
/* The same for one frame handed over in @n_parts pieces (a header, then
 * its payload): they are queued together, never the header alone.
 */
gboolean             tertulia_guard_stream_write_frame_parts  (TertuliaGuardStream *self,
                                                               const GOutputVector *parts,
                                                               gsize                n_parts);
guint64              tertulia_guard_stream_get_bytes_read     (TertuliaGuardStream *self);
guint64              tertulia_guard_stream_get_bytes_written  (TertuliaGuardStream *self);
/* g_get_monotonic_time() of the last byte that arrived (or of the guard's
 * creation).
 */
gint64               tertulia_guard_stream_get_last_heard     (TertuliaGuardStream *self);
/* The socket under @self's base stream. With it, closing is graceful (see
 * tertulia_linger_close()): frames still waiting go out first, then our
 * side ends, and the guest's own bytes are drained rather than answered
 * with a TCP reset, which would destroy the error and close frames it has
 * not read yet.
 */
void                 tertulia_guard_stream_set_socket         (TertuliaGuardStream *self,
                                                               GSocket             *socket);

G_END_DECLS

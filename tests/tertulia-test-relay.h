/* tertulia-test-relay.h — a TCP relay a test can cut, for drops nobody announces
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Sits between a guest and the host on 127.0.0.1 and copies bytes both
 * ways. Cutting it is Wi-Fi going away under a connection: the sockets
 * close without a WebSocket close frame, and both ends only learn it from
 * TCP.
 */
typedef struct _TertuliaTestRelay TertuliaTestRelay;

typedef enum
{
  /* Both ends see an orderly TCP close (FIN) at once. */
  TERTULIA_TEST_RELAY_CUT_FIN,
  /* Both ends see a reset (RST); whatever was in flight is lost. */
  TERTULIA_TEST_RELAY_CUT_RESET,
  /* The next chunk of bytes, in either direction, is passed on only in
   * part (its first half), then the link is reset: the receiver is left
   * with half a WebSocket frame. A link that stays quiet for 300 ms is
   * reset anyway.
   */
  TERTULIA_TEST_RELAY_CUT_MID_FRAME,
  /* A half-open connection, as when a laptop roams or sleeps: from now on
   * what the guest sends is held back; after 200 ms the guest's side is
   * reset, while the host's side stays open and hears nothing; 1.5 s later
   * the held bytes reach the host, then its side closes. A guest that
   * comes back quickly resumes while the host still has the old
   * connection.
   */
  TERTULIA_TEST_RELAY_CUT_LATE,
} TertuliaTestRelayCut;

TertuliaTestRelay *tertulia_test_relay_new                (guint                 target_port);
void               tertulia_test_relay_free               (TertuliaTestRelay    *relay);
guint              tertulia_test_relay_get_port           (TertuliaTestRelay    *relay);
/* The links (accepted connections) whose guest side is open. */
guint              tertulia_test_relay_get_n_links        (TertuliaTestRelay    *relay);
/* Cuts every open link; returns how many it cut (or, for MID_FRAME and
 * LATE, began to cut).
 */
guint              tertulia_test_relay_cut                (TertuliaTestRelay    *relay,
                                                           TertuliaTestRelayCut  how);
/* When the last link was actually cut (monotonic µs), 0 before any. */
gint64             tertulia_test_relay_get_last_cut_time  (TertuliaTestRelay    *relay);
/* How many cuts left a chunk half passed on (MID_FRAME cuts that did not
 * time out).
 */
guint              tertulia_test_relay_get_n_partial_cuts (TertuliaTestRelay    *relay);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TertuliaTestRelay, tertulia_test_relay_free)

G_END_DECLS

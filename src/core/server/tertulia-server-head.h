/* tertulia-server-head.h — a request's head, looked at before libsoup parses it
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* libsoup 3.2.3 loses a request's target (the path, up to the size of the
 * whole head) when the request has a Transfer-Encoding it does not know
 * (answered 501) or Content-Length headers that disagree (400): memory
 * that grows with every such request. A TertuliaHeadStream sits between
 * the socket and libsoup and reads the first request's head as it goes by;
 * a head with either (nothing the host serves takes a body anyway) ends
 * there: libsoup sees the connection end before the head does, answers
 * 400 and closes, without parsing it. After the first head (every answer
 * closes its connection, or it becomes a WebSocket), bytes go by untouched.
 */

#define TERTULIA_TYPE_HEAD_STREAM (tertulia_head_stream_get_type ())

G_DECLARE_FINAL_TYPE (TertuliaHeadStream, tertulia_head_stream, TERTULIA, HEAD_STREAM, GFilterInputStream)

TertuliaHeadStream *tertulia_head_stream_new (GInputStream *base);

G_END_DECLS

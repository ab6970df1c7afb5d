/* tertulia-server-linger.h — closing a connection gracefully
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A graceful close, bounded: sends @pending (if any) as the socket takes
 * it, then shuts our side down (FIN), then reads and drops what the peer
 * still sends until it closes too, TERTULIA_LINGER_MAX_BYTES or
 * @timeout_msec pass; then closes @stream (or @socket when @stream is
 * NULL). The kernel resets a connection closed with unread bytes, and a
 * reset makes the peer drop what it had not read yet: this is how a
 * refusal's answer reaches a peer that was still sending. Takes its own
 * references.
 */
#define TERTULIA_LINGER_MAX_BYTES (1024 * 1024)

void tertulia_linger_close (GSocket   *socket,
                            GIOStream *stream,
                            GBytes    *pending,
                            guint      timeout_msec);

/* A connection served over TLS (see tertulia-server-http.c) has its
 * GTlsConnection on its socket: whatever writes to the guest past libsoup
 * (a refusal, the guard's frames, a file) must write through it, never to
 * the socket. The TLS connection, or NULL for a plain one (borrowed).
 */
GIOStream *tertulia_socket_get_tls (GSocket    *socket);
void       tertulia_socket_set_tls (GSocket    *socket,
                                    GIOStream  *tls);

G_END_DECLS

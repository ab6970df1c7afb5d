/* tertulia-server-http.h — the host's listening sockets and its
 * connections before the WebSocket upgrade
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* The host listens and accepts by itself, then hands each connection to
 * libsoup (soup_server_accept_iostream), because:
 *
 * - GSocketListener (and so SoupServer) listens with a backlog of 10: a
 *   crowd connecting at once overflows it, and every dropped SYN costs the
 *   guest a retransmit of 1, then 3, then 7 seconds. Ours is sized for a
 *   room, and each turn of the main loop accepts until the backlog is
 *   empty, so a crowd's handshakes are then served in bulk.
 * - libsoup 3.2's listener keeps one GSocket (~340 bytes) for every
 *   connection it ever accepted.
 * - Before the upgrade a connection belongs to libsoup, which has no
 *   deadlines at all: here each one has a deadline for its request's
 *   headers, for its answer, and for staying idle between requests, and
 *   counts against its address, so one address cannot hold hundreds open.
 * - A request with a body (nothing the host serves takes one) is answered
 *   at the headers, before libsoup reads any of the body.
 * - libsoup 3.2.3 loses the request target of a head it cannot take (see
 *   tertulia-server-head.h): such heads never reach its parser.
 */

/* The listen backlog: a room's crowd connecting in the same second */
#define TERTULIA_HTTP_BACKLOG              4096
/* A request's headers must be complete within this after the connection
 * (or the request) began…
 */
#define TERTULIA_HTTP_HEADERS_SECONDS      10
/* …its answer must have gone out within this… */
#define TERTULIA_HTTP_ANSWER_SECONDS       30
/* …and one still open after its answer (every answer says "Connection:
 * close", but libsoup 3.2 does not notice a guest that closed a connection
 * it keeps alive) is closed after this.
 */
#define TERTULIA_HTTP_IDLE_SECONDS         15
/* A refused connection is closed gracefully (the answer first, then the
 * end of our side, then the guest's unread bytes are drained so that the
 * kernel sends no reset that would destroy the answer), within this.
 */
#define TERTULIA_HTTP_LINGER_SECONDS       5
/* The send buffer of every accepted connection (SO_SNDBUF; Linux doubles
 * it for its own bookkeeping, so the kernel holds at most 2 MiB for a
 * guest). Left to autotuning it grows to net.ipv4.tcp_wmem's maximum,
 * 4 MiB by default (and more where that is raised): a guest that stops
 * reading would pin that on top of the host's own queue for it
 * (queue_bytes). 1 MiB is far more than a LAN needs in flight (1 Gbit/s ×
 * 2 ms is 250 KB), takes a crowd's welcome at once, and leaves a guest
 * that reads in bursts (a phone waking up, a busy browser tab) room to
 * catch up with a lively room; 256 KiB dropped such guests as too slow.
 */
#define TERTULIA_HTTP_SEND_BUFFER          (1024 * 1024)

typedef struct _TertuliaHttp TertuliaHttp;

/* @max_per_address: connections not yet upgraded that one address may
 * hold (0: no limit); *@max_per_address is read at each connection.
 */
TertuliaHttp *_tertulia_http_new              (SoupServer         *soup,
                                               const guint        *max_per_address);
void          _tertulia_http_free             (TertuliaHttp       *http);
gboolean      _tertulia_http_listen           (TertuliaHttp       *http,
                                               GInetAddress       *address,
                                               guint               port,
                                               GError            **error);
/* TLS for the connections that open with a TLS handshake, from now on;
 * NULL: none (they get a plain 400 that says so)
 */
void          _tertulia_http_set_certificate  (TertuliaHttp       *http,
                                               GTlsCertificate    *certificate);
/* The port it listens on, once it does */
guint         _tertulia_http_get_port         (TertuliaHttp       *http);
/* Stops listening and cuts every connection not yet upgraded */
void          _tertulia_http_stop             (TertuliaHttp       *http);
void          _tertulia_http_set_timeouts     (TertuliaHttp       *http,
                                               guint               headers_msec,
                                               guint               idle_msec);
/* For an early handler: TRUE if @msg was refused for having a body (it is
 * answered and closed; libsoup is done with it).
 */
gboolean      _tertulia_http_refuse_body      (TertuliaHttp       *http,
                                               SoupServerMessage  *msg);
/* Answers @msg with @status and a plain @text, the connection taken away
 * from libsoup and closed gracefully: for refusals that must cost the host
 * nothing more.
 */
void          _tertulia_http_refuse           (TertuliaHttp       *http,
                                               SoupServerMessage  *msg,
                                               guint               status,
                                               const char         *text);
/* The connection of @msg is now a WebSocket: its deadlines stop, and it no
 * longer counts here. Returns its socket (borrowed), or NULL.
 */
GSocket      *_tertulia_http_upgraded         (TertuliaHttp       *http,
                                               SoupServerMessage  *msg);
/* Connections accepted and not yet upgraded or closed */
guint         _tertulia_http_get_n_pending    (TertuliaHttp       *http);

/* The address a connection counts against: an IPv4 guest reaching an IPv6
 * socket shows up as ::ffff:a.b.c.d, which is the same guest as a.b.c.d.
 */
char         *_tertulia_http_dup_address_name (GSocketAddress     *address);

G_END_DECLS

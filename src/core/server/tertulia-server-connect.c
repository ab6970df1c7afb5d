/* tertulia-server-connect.c — from a WebSocket upgrade request to a guest's
 * session: the origin check, the limits on connections per address and in
 * all, and the handover of the connection to the guard
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-server"
#define TERTULIA_SERVER_COMPILATION

#include "config.h"

#include <string.h>

#include "tertulia-server-private.h"
#include "tertulia-web.h"

/* Connections turned away for a limit are closing for a few seconds; past
 * this many at once, new ones get a plain HTTP 503 before the upgrade, so
 * a flood of connections costs next to nothing.
 */
#define MAX_TURNED_AWAY    64
/* …and one address never holds more than this many of them: past it, that
 * address gets the 503 on its own, and newcomers elsewhere still get in.
 */
#define MAX_TURNED_AWAY_PER_ADDRESS 4

/* Remote addresses */

static char *
dup_address_name (SoupServerMessage *msg)
{
  return _tertulia_http_dup_address_name (soup_server_message_get_remote_address (msg));
}

void
_tertulia_address_free (Address *address)
{
  g_free (address->name);
  g_free (address);
}

/* An address with no connection is kept only while it must still wait
 * before trying another password.
 */
static gboolean
address_is_stale (TertuliaServer *self,
                  Address        *address,
                  gint64          now)
{
  return address->n_connections == 0 && address->n_turned_away == 0 &&
         (address->last_password_try == 0 ||
          now - address->last_password_try >= (gint64) self->password_retry_msec * 1000);
}

static gboolean
address_is_stale_cb (gpointer key,
                     gpointer value,
                     gpointer user_data)
{
  TertuliaServer *self = user_data;

  return address_is_stale (self, value, g_get_monotonic_time ());
}

static Address *
server_get_address (TertuliaServer *self,
                    const char     *name)
{
  Address *address = g_hash_table_lookup (self->addresses, name);

  if (address != NULL)
    return address;

  /* The table only grows here, so this keeps it to the addresses that
   * matter; swept only when it doubled since last time, so that a crowd
   * on as many addresses does not cost a walk of the table per newcomer.
   */
  if (g_hash_table_size (self->addresses) >= 2 * self->addresses_kept + 16)
    {
      g_hash_table_foreach_remove (self->addresses, address_is_stale_cb, self);
      self->addresses_kept = g_hash_table_size (self->addresses);
    }

  address = g_new0 (Address, 1);
  address->name = g_strdup (name);
  g_hash_table_insert (self->addresses, address->name, address);

  return address;
}

void
_tertulia_server_release_address (TertuliaServer *self,
                                  Address        *address)
{
  g_assert (address->n_connections > 0);

  address->n_connections--;
  if (address_is_stale (self, address, g_get_monotonic_time ()))
    g_hash_table_remove (self->addresses, address->name);
}


/* SoupServer handlers */

/* Cross-site WebSocket hijacking: a page on another web site could open a
 * WebSocket to this host from a visitor's browser. Upgrades whose Origin is
 * not this host's own page are refused before libsoup accepts them (a status
 * set in an early handler skips the WebSocket handler).
 */
static void
server_websocket_origin_cb (SoupServer        *server,
                            SoupServerMessage *msg,
                            const char        *path,
                            GHashTable        *query,
                            gpointer           user_data)
{
  TertuliaServer *self = user_data;
  g_autofree char *address_name = NULL;
  Address *address;

  if (_tertulia_http_refuse_body (self->http, msg) ||
      _tertulia_server_refuse_unknown_host (self, msg))
    return;

  /* Over the limits already: a plain 503 now costs less than an upgrade,
   * a turned-away WebSocket and its close handshake. The first few get
   * the upgrade and the error frame that says why (clients translate it);
   * past those, one address cannot take any more of the shared budget of
   * connections being turned away.
   */
  address_name = dup_address_name (msg);
  address = g_hash_table_lookup (self->addresses, address_name);
  if (self->shut_down || self->turned_away->len >= MAX_TURNED_AWAY ||
      (address != NULL && address->n_turned_away >= MAX_TURNED_AWAY_PER_ADDRESS))
    {
      g_debug ("%s: turning a connection away before the upgrade", address_name);
      _tertulia_http_refuse (self->http, msg, SOUP_STATUS_SERVICE_UNAVAILABLE,
                             "The room cannot take more connections right now.\n");
      return;
    }

  if (tertulia_web_origin_is_allowed (msg))
    return;

  g_debug ("Refusing a WebSocket upgrade from origin %s",
           soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Origin"));
  _tertulia_http_refuse (self->http, msg, SOUP_STATUS_FORBIDDEN, "This page may not join the room.\n");
}

/* Nothing the host serves takes a request body: one is refused at the
 * headers, before libsoup reads (and keeps) any of it. Nor does it answer
 * to names it does not know (DNS rebinding, tertulia-server-hosts.c).
 */
static void
server_early_cb (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  TertuliaServer *self = user_data;

  if (_tertulia_http_refuse_body (self->http, msg) ||
      _tertulia_server_refuse_unknown_host (self, msg))
    return;

  /* libsoup 3.2 never notices that a guest closed a connection it keeps
   * alive between requests: such connections stayed open (CLOSE-WAIT)
   * until the host quit, thousands of them after a night of page loads,
   * each costing memory and a slot in every poll(). Each answer closes
   * its connection instead; on a LAN a new one costs a fraction of a
   * millisecond.
   */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
}

typedef struct
{
  GWeakRef        server;
  char           *address;
  gboolean        counted;
} TurnedAway;

static void
turned_away_closed_cb (SoupWebsocketConnection *conn,
                       gpointer                 user_data)
{
  TurnedAway *turned_away = user_data;
  g_autoptr(TertuliaServer) self = NULL;
  Address *address;

  if (!turned_away->counted)
    return;

  turned_away->counted = FALSE;
  self = g_weak_ref_get (&turned_away->server);
  if (self == NULL)
    return;

  address = g_hash_table_lookup (self->addresses, turned_away->address);
  if (address != NULL && address->n_turned_away > 0)
    {
      address->n_turned_away--;
      if (address_is_stale (self, address, g_get_monotonic_time ()))
        g_hash_table_remove (self->addresses, address->name);
    }
}

static void
turned_away_free (gpointer  user_data,
                  GClosure *closure)
{
  TurnedAway *turned_away = user_data;

  turned_away_closed_cb (NULL, turned_away);
  g_weak_ref_clear (&turned_away->server);
  g_free (turned_away->address);
  g_free (turned_away);
}

/* Counts @session against @address while it closes */
static void
server_turn_away (TertuliaServer *self,
                  Session        *session,
                  Address        *address,
                  const char     *code,
                  const char     *message)
{
  TurnedAway *turned_away = g_new0 (TurnedAway, 1);

  g_weak_ref_init (&turned_away->server, self);
  turned_away->address = g_strdup (address->name);
  turned_away->counted = TRUE;
  address->n_turned_away++;
  g_signal_connect_data (session->conn, "closed", G_CALLBACK (turned_away_closed_cb),
                         turned_away, turned_away_free, 0);

  _tertulia_session_turn_away (session, code, message);
}

/* A guest is in: the limits on connections decide whether it stays. */
static void
server_admit (TertuliaServer *self,
              Session        *session,
              const char     *address_name)
{
  Address *address;

  if (self->shut_down)
    {
      _tertulia_session_detach (session);
      _tertulia_session_close (session, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, DEFAULT_CLOSE_REASON);
      return;
    }

  address = server_get_address (self, address_name);

  if (self->max_connections > 0 && self->sessions->len >= self->max_connections)
    {
      g_debug ("%s: the room is full (%u connections)", session->peer, self->sessions->len);
      server_turn_away (self, session, address, TERTULIA_ERROR_ROOM_FULL, "The room is full.");
    }
  else if (self->max_connections_per_address > 0 &&
           address->n_connections >= self->max_connections_per_address)
    {
      g_debug ("%s: %u connections from there already", session->peer, address->n_connections);
      server_turn_away (self, session, address, TERTULIA_ERROR_TOO_MANY_CONNECTIONS,
                        "There are too many connections from your address.");
    }
  else
    {
      _tertulia_session_start (session, address);
      return;
    }

  if (address_is_stale (self, address, g_get_monotonic_time ()))
    g_hash_table_remove (self->addresses, address_name);
}

/* The 101 response went out: the connection is ours. libsoup's own
 * WebSocket handler would hand the raw stream to SoupWebsocketConnection;
 * ours puts the guard in between (see tertulia-server-guard.h).
 */
static void
server_upgraded_cb (SoupServerMessage *msg,
                    gpointer           user_data)
{
  TertuliaServer *self = user_data;
  g_autoptr(SoupServerMessage) msg_ref = NULL;
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(TertuliaGuardStream) guard = NULL;
  g_autoptr(SoupWebsocketConnection) conn = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *address_name = NULL;
  g_autofree char *peer = NULL;
  g_autofree char *origin = NULL;
  g_autofree char *protocol = NULL;
  GSocketAddress *remote;
  GSocket *socket;
  Session *session;

  if (soup_server_message_get_status (msg) != SOUP_STATUS_SWITCHING_PROTOCOLS)
    return;

  socket = _tertulia_http_upgraded (self->http, msg);

  address_name = dup_address_name (msg);
  remote = soup_server_message_get_remote_address (msg);
  if (G_IS_INET_SOCKET_ADDRESS (remote))
    peer = g_strdup_printf ("%s port %u", address_name,
                            (guint) g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (remote)));
  else
    peer = g_strdup ("a guest");
  uri = g_uri_ref (soup_server_message_get_uri (msg));
  origin = g_strdup (soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Origin"));
  protocol = g_strdup (soup_message_headers_get_one (soup_server_message_get_response_headers (msg),
                                                     "Sec-WebSocket-Protocol"));

  /* Stealing may drop libsoup's last reference to @msg */
  msg_ref = g_object_ref (msg);
  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    return;

  guard = tertulia_guard_stream_new_batched (stream, MAX_INCOMING_BYTES, self->batch);
  tertulia_guard_stream_set_socket (guard, socket);
  conn = soup_websocket_connection_new (G_IO_STREAM (guard), uri, SOUP_WEBSOCKET_CONNECTION_SERVER,
                                        origin, protocol, NULL);

  session = _tertulia_session_new (self, conn, guard, peer);
  server_admit (self, session, address_name);
}

static void
server_websocket_cb (SoupServer        *server,
                     SoupServerMessage *msg,
                     const char        *path,
                     GHashTable        *query,
                     gpointer           user_data)
{
  TertuliaServer *self = user_data;
  char *protocols[] = { (char *) TERTULIA_SUBPROTOCOL, NULL };

  /* No extensions: the protocol has none. Compression would let a small
   * frame expand past the size limit behind the guard's back, and makes
   * "the same bytes" harder to keep. This answers a bad handshake itself.
   */
  if (!soup_websocket_server_process_handshake (msg, NULL, protocols, NULL, NULL))
    return;

  g_signal_connect_object (msg, "wrote-informational", G_CALLBACK (server_upgraded_cb), self, 0);
}


void
_tertulia_server_add_handlers (TertuliaServer *self)
{
  soup_server_add_handler (self->soup, TERTULIA_WEBSOCKET_PATH, server_websocket_cb, self, NULL);
  soup_server_add_early_handler (self->soup, TERTULIA_WEBSOCKET_PATH,
                                 server_websocket_origin_cb, self, NULL);
  soup_server_add_early_handler (self->soup, "/", server_early_cb, self, NULL);
  _tertulia_server_add_file_handlers (self);
  /* Everything else is the browser guest page. */
  soup_server_add_handler (self->soup, "/", tertulia_web_handle_request, self, NULL);
}

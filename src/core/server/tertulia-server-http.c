/* tertulia-server-http.c — the host's listening sockets and its
 * connections before the WebSocket upgrade
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-server"

#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "tertulia-server-head.h"
#include "tertulia-server-http.h"
#include "tertulia-server-linger.h"

/* Connections accepted in one turn of the main loop at most, so that a
 * flood of them cannot keep the host from everything else
 */
#define ACCEPT_BATCH       512
/* accept() failing for want of file descriptors leaves the backlog
 * readable: the listener rests this long instead of spinning
 */
#define ACCEPT_REST_MSEC   100

typedef struct _Listener Listener;
typedef struct _Conn     Conn;

struct _Listener
{
  /* Borrowed */
  TertuliaHttp *http;
  /* Owned */
  GSocket      *socket;
  GSource      *source;
  guint         rest_id;
};

/* A connection that libsoup serves, until it is upgraded or closed */
struct _Conn
{
  /* Borrowed; NULL once the HTTP side is gone */
  TertuliaHttp   *http;
  /* Owned references */
  GSocket        *socket;
  GSocketAddress *remote;
  GSocketAddress *local;
  char           *address;

  /* Before libsoup has it: waiting for the first byte, then for the TLS
   * handshake (see conn_sniff_cb)
   */
  GSource        *sniff_source;
  guint           sniff_again_id;
  GIOStream      *tls;
  GCancellable   *cancellable;

  /* The stream libsoup got: the connection is over when it is finalized
   * (a weak reference)
   */
  GObject        *connection;
  guint           deadline_id;
  gboolean        upgraded;
  /* The socket is closed by someone else (a graceful close) */
  gboolean        handed_over;
};

struct _TertuliaHttp
{
  /* Borrowed: the server owns both */
  SoupServer  *soup;
  const guint *max_per_address;

  /* Owned: NULL without TLS */
  GTlsCertificate *certificate;

  /* Owned */
  GPtrArray   *listeners;    /* of Listener* */
  GHashTable  *conns;        /* set of Conn*, not upgraded */
  GHashTable  *per_address;  /* address → number of Conn not upgraded */

  guint        headers_msec;
  guint        answer_msec;
  guint        idle_msec;
};

static GQuark conn_quark;


/* Addresses */

char *
_tertulia_http_dup_address_name (GSocketAddress *address)
{
  GInetAddress *inet;
  const guint8 *bytes;

  if (!G_IS_INET_SOCKET_ADDRESS (address))
    return g_strdup ("unknown");

  inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address));
  bytes = g_inet_address_to_bytes (inet);

  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6 &&
      memcmp (bytes, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0)
    {
      g_autoptr(GInetAddress) v4 = g_inet_address_new_from_bytes (bytes + 12, G_SOCKET_FAMILY_IPV4);

      return g_inet_address_to_string (v4);
    }

  return g_inet_address_to_string (inet);
}

static guint
http_count (TertuliaHttp *http,
            const char   *address)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (http->per_address, address));
}

static void
http_count_add (TertuliaHttp *http,
                const char   *address,
                int           delta)
{
  guint count = http_count (http, address);

  g_assert (delta > 0 || count > 0);
  count += delta;

  if (count == 0)
    g_hash_table_remove (http->per_address, address);
  else
    g_hash_table_insert (http->per_address, g_strdup (address), GUINT_TO_POINTER (count));
}


/* Refusals */

/* An answer written to the socket by hand, then a graceful close: what a
 * refusal costs the host is these few bytes, whatever the guest sends.
 */
static GBytes *
canned_answer (guint       status,
               const char *text,
               const char *extra_header)
{
  char *answer;

  answer = g_strdup_printf ("HTTP/1.1 %u %s\r\n"
                            "Content-Type: text/plain; charset=utf-8\r\n"
                            "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                            "%s"
                            "Connection: close\r\n"
                            "\r\n"
                            "%s",
                            status, soup_status_get_phrase (status), strlen (text),
                            extra_header != NULL ? extra_header : "", text);

  return g_bytes_new_take (answer, strlen (answer));
}


/* Connections */

static Conn *
conn_from_message (SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  if (remote == NULL)
    return NULL;

  return g_object_get_qdata (G_OBJECT (remote), conn_quark);
}

static void
conn_forget (Conn *conn)
{
  TertuliaHttp *http = conn->http;

  g_clear_handle_id (&conn->deadline_id, g_source_remove);

  if (http != NULL && !conn->upgraded)
    {
      g_hash_table_remove (http->conns, conn);
      http_count_add (http, conn->address, -1);
    }
  conn->http = NULL;
}

static void
conn_free (Conn *conn)
{
  conn_forget (conn);
  if (conn->sniff_source != NULL)
    {
      g_source_destroy (conn->sniff_source);
      g_clear_pointer (&conn->sniff_source, g_source_unref);
    }
  g_clear_handle_id (&conn->sniff_again_id, g_source_remove);
  g_clear_object (&conn->cancellable);
  g_clear_object (&conn->tls);
  /* Nothing uses the connection any more */
  tertulia_socket_set_tls (conn->socket, NULL);
  if (!conn->handed_over)
    g_socket_close (conn->socket, NULL);
  g_object_set_qdata (G_OBJECT (conn->remote), conn_quark, NULL);
  g_clear_object (&conn->remote);
  g_clear_object (&conn->local);
  g_clear_object (&conn->socket);
  g_clear_pointer (&conn->address, g_free);
  g_free (conn);
}

static void
conn_gone_cb (gpointer  user_data,
              GObject  *where_the_object_was)
{
  Conn *conn = user_data;

  conn->connection = NULL;
  conn_free (conn);
}

static gboolean
conn_deadline_cb (gpointer user_data)
{
  Conn *conn = user_data;

  conn->deadline_id = 0;

  /* libsoup reads the end of the connection, or fails to write, and lets
   * go of it; the weak reference then frees @conn.
   */
  g_debug ("closing an HTTP connection from %s that went past its deadline", conn->address);
  g_socket_shutdown (conn->socket, TRUE, TRUE, NULL);

  return G_SOURCE_REMOVE;
}

static void
conn_set_deadline (Conn  *conn,
                   guint  msec)
{
  g_clear_handle_id (&conn->deadline_id, g_source_remove);
  conn->deadline_id = g_timeout_add (msec, conn_deadline_cb, conn);
}

/* The first byte of a TLS handshake record (RFC 8446, 5.1) */
#define TLS_HANDSHAKE_RECORD 0x16
/* How soon the rest of a TLS hello that came in part is looked for */
#define SNIFF_AGAIN_MSEC     20

/* The connection goes to libsoup, through a TertuliaHeadStream (see
 * tertulia-server-head.h) over @base: the socket's connection, or the TLS
 * connection over it. Closing the streams does not close the socket: that
 * happens when libsoup (or the WebSocket) lets go of them.
 */
static void
conn_serve (Conn      *conn,
            GIOStream *base)
{
  g_autoptr(TertuliaHeadStream) head = NULL;
  g_autoptr(GIOStream) stream = NULL;

  head = tertulia_head_stream_new (g_io_stream_get_input_stream (base));
  stream = g_simple_io_stream_new (G_INPUT_STREAM (head), g_io_stream_get_output_stream (base));
  g_object_set_data_full (G_OBJECT (stream), "tertulia-connection",
                          g_object_ref (base), g_object_unref);

  conn->connection = G_OBJECT (stream);
  g_object_weak_ref (G_OBJECT (stream), conn_gone_cb, conn);

  soup_server_accept_iostream (conn->http->soup, stream, conn->local, conn->remote, NULL);
}

static void
conn_handshake_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Conn *conn = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOStream) tls = g_steal_pointer (&conn->tls);

  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (object), result, &error) ||
      conn->http == NULL)
    {
      /* GnuTLS has sent its alert (an old protocol version, garbage);
       * there is nothing to add to it.
       */
      g_debug ("a TLS handshake from %s failed: %s", conn->address,
               error != NULL ? error->message : "the host stopped");
      conn_free (conn);
      return;
    }

  g_clear_object (&conn->cancellable);
  tertulia_socket_set_tls (conn->socket, tls);
  conn_serve (conn, tls);
}

static void
conn_start_tls (Conn *conn)
{
  g_autoptr(GSocketConnection) connection = g_socket_connection_factory_create_connection (conn->socket);
  g_autoptr(GError) error = NULL;

  /* No client certificates, so no certificate authorities. Without a
   * database of its own from the start, glib-networking 2.74 would read
   * the system's trust store (hundreds of PEM certificates) at every
   * connection: 13 ms of CPU a handshake.
   */
  conn->tls = g_initable_new (g_tls_backend_get_server_connection_type (g_tls_backend_get_default ()),
                              NULL, &error,
                              "base-io-stream", connection,
                              "certificate", conn->http->certificate,
                              "database", NULL,
                              "authentication-mode", G_TLS_AUTHENTICATION_NONE,
                              NULL);
  if (conn->tls == NULL)
    {
      g_warning ("Cannot serve TLS: %s", error->message);
      conn_free (conn);
      return;
    }

  conn->cancellable = g_cancellable_new ();
  g_tls_connection_handshake_async (G_TLS_CONNECTION (conn->tls), G_PRIORITY_DEFAULT,
                                    conn->cancellable, conn_handshake_cb, conn);
}

/* A TLS guest of a host without TLS: a plain answer that says so, which
 * a TLS library reports as "not TLS", at once rather than when the
 * headers' deadline ends
 */
static void
conn_refuse_tls (Conn *conn)
{
  g_autoptr(GBytes) answer = NULL;

  g_debug ("%s speaks TLS to a host without it", conn->address);
  answer = canned_answer (SOUP_STATUS_BAD_REQUEST,
                          "This host does not use TLS: connect with ws:// or http://.\n", NULL);
  tertulia_linger_close (conn->socket, NULL, answer, TERTULIA_HTTP_LINGER_SECONDS * 1000);
  conn->handed_over = TRUE;
  conn_free (conn);
}

static gboolean conn_sniff_cb (GSocket      *socket,
                               GIOCondition  condition,
                               gpointer      user_data);

static void
conn_watch_first_bytes (Conn *conn)
{
  conn->sniff_source = g_socket_create_source (conn->socket, G_IO_IN, NULL);
  g_source_set_static_name (conn->sniff_source, "[tertulia] first bytes");
  g_source_set_callback (conn->sniff_source, G_SOURCE_FUNC (conn_sniff_cb), conn, NULL);
  g_source_attach (conn->sniff_source, g_main_context_get_thread_default ());
}

static gboolean
conn_sniff_again_cb (gpointer user_data)
{
  Conn *conn = user_data;

  conn->sniff_again_id = 0;
  conn_watch_first_bytes (conn);

  return G_SOURCE_REMOVE;
}

/* glib-networking runs a handshake in a worker thread, which waits for the
 * guest's bytes: a guest that sends half a hello and stops would hold one
 * (and a crowd of them, every one) until the deadline. The first record,
 * the hello, must be all there before the handshake begins. A level
 * triggered watch would fire at once again over the bytes already there,
 * so the rest is looked for a moment later.
 */
static gboolean
conn_tls_hello_is_whole (Conn *conn)
{
  guint8 header[5];
  int available = 0;
  gssize n;

  do
    n = recv (g_socket_get_fd (conn->socket), header, sizeof header, MSG_PEEK | MSG_DONTWAIT);
  while (n < 0 && errno == EINTR);

  if (n < (gssize) sizeof header || ioctl (g_socket_get_fd (conn->socket), FIONREAD, &available) < 0)
    return FALSE;

  return available >= (int) sizeof header + ((header[3] << 8) | header[4]);
}

static gboolean
conn_sniff_cb (GSocket      *socket,
               GIOCondition  condition,
               gpointer      user_data)
{
  Conn *conn = user_data;
  guint8 first = 0;
  gssize n;

  do
    n = recv (g_socket_get_fd (socket), &first, 1, MSG_PEEK | MSG_DONTWAIT);
  while (n < 0 && errno == EINTR);

  if (n < 0 && errno == EAGAIN)
    return G_SOURCE_CONTINUE;

  g_clear_pointer (&conn->sniff_source, g_source_unref);

  if (n > 0 && first == TLS_HANDSHAKE_RECORD && conn->http != NULL &&
      conn->http->certificate != NULL && !conn_tls_hello_is_whole (conn))
    {
      conn->sniff_again_id = g_timeout_add (SNIFF_AGAIN_MSEC, conn_sniff_again_cb, conn);
      return G_SOURCE_REMOVE;
    }

  /* Gone before a word (or past the deadline, which shut it down) */
  if (n <= 0 || conn->http == NULL)
    conn_free (conn);
  else if (first != TLS_HANDSHAKE_RECORD)
    {
      g_autoptr(GSocketConnection) connection = g_socket_connection_factory_create_connection (socket);

      conn_serve (conn, G_IO_STREAM (connection));
    }
  else if (conn->http->certificate != NULL)
    conn_start_tls (conn);
  else
    conn_refuse_tls (conn);

  return G_SOURCE_REMOVE;
}

static void
http_take (TertuliaHttp *http,
           GSocket      *socket)
{
  g_autoptr(GSocketAddress) remote = g_socket_get_remote_address (socket, NULL);
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (socket, NULL);
  g_autofree char *address = NULL;
  guint max = *http->max_per_address;
  Conn *conn;

  /* Gone already */
  if (remote == NULL || local == NULL)
    {
      g_socket_close (socket, NULL);
      return;
    }

  address = _tertulia_http_dup_address_name (remote);

  if (max > 0 && http_count (http, address) >= max)
    {
      g_autoptr(GBytes) answer = canned_answer (SOUP_STATUS_SERVICE_UNAVAILABLE,
                                                "There are too many connections from your address.\n",
                                                NULL);

      g_debug ("%s: %u connections waiting for an answer already", address, max);
      tertulia_linger_close (socket, NULL, answer, TERTULIA_HTTP_LINGER_SECONDS * 1000);
      return;
    }

  /* The answer to a request is written in pieces (headers, then body);
   * Nagle's algorithm would hold the body back until the client's delayed
   * ACK of the headers, 40 ms later.
   */
  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  g_socket_set_option (socket, SOL_SOCKET, SO_SNDBUF, TERTULIA_HTTP_SEND_BUFFER, NULL);

  conn = g_new0 (Conn, 1);
  conn->http = http;
  conn->socket = g_object_ref (socket);
  conn->remote = g_object_ref (remote);
  conn->local = g_object_ref (local);
  conn->address = g_steal_pointer (&address);
  g_object_set_qdata (G_OBJECT (remote), conn_quark, conn);
  g_hash_table_add (http->conns, conn);
  http_count_add (http, conn->address, 1);
  /* The TLS handshake, like the request's headers, has this long: a guest
   * that stalls in it is closed like one that stalls in its request.
   */
  conn_set_deadline (conn, http->headers_msec);

  /* The first byte tells TLS from plain HTTP: it is peeked at when it
   * comes, rather than read, so that whoever serves the connection reads
   * it again.
   */
  conn_watch_first_bytes (conn);
}


/* Listening */

static void listener_watch (Listener *listener);

static gboolean
listener_rested_cb (gpointer user_data)
{
  Listener *listener = user_data;

  listener->rest_id = 0;
  listener_watch (listener);

  return G_SOURCE_REMOVE;
}

/* A crowd's connections wait in the backlog: every one there is accepted
 * now (up to ACCEPT_BATCH), so that their handshakes are all read in the
 * next turns together rather than one connection per turn.
 */
static gboolean
listener_accept_cb (GSocket      *socket,
                    GIOCondition  condition,
                    gpointer      user_data)
{
  Listener *listener = user_data;

  for (guint i = 0; i < ACCEPT_BATCH; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) accepted = g_socket_accept (socket, NULL, &error);

      if (accepted != NULL)
        {
          http_take (listener->http, accepted);
          continue;
        }

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;

      g_debug ("accepting a connection failed: %s", error->message);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
        {
          g_clear_pointer (&listener->source, g_source_unref);
          listener->rest_id = g_timeout_add (ACCEPT_REST_MSEC, listener_rested_cb, listener);
          return G_SOURCE_REMOVE;
        }
      break;
    }

  return G_SOURCE_CONTINUE;
}

static void
listener_watch (Listener *listener)
{
  listener->source = g_socket_create_source (listener->socket, G_IO_IN, NULL);
  g_source_set_static_name (listener->source, "[tertulia] accept connections");
  g_source_set_callback (listener->source, G_SOURCE_FUNC (listener_accept_cb), listener, NULL);
  g_source_attach (listener->source, g_main_context_get_thread_default ());
}

static void
listener_free (Listener *listener)
{
  g_clear_handle_id (&listener->rest_id, g_source_remove);
  if (listener->source != NULL)
    {
      g_source_destroy (listener->source);
      g_clear_pointer (&listener->source, g_source_unref);
    }
  g_socket_close (listener->socket, NULL);
  g_clear_object (&listener->socket);
  g_free (listener);
}

static gboolean
http_listen_one (TertuliaHttp    *http,
                 GInetAddress    *inet,
                 guint            port,
                 gboolean         v6_only,
                 GError         **error)
{
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (inet, (guint16) port);
  g_autoptr(GSocket) socket = NULL;
  Listener *listener;

  socket = g_socket_new (g_inet_address_get_family (inet), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;

  if (v6_only)
    g_socket_set_option (socket, IPPROTO_IPV6, IPV6_V6ONLY, TRUE, NULL);

  /* accept() must say "would block" when the backlog is empty */
  g_socket_set_blocking (socket, FALSE);
  g_socket_set_listen_backlog (socket, TERTULIA_HTTP_BACKLOG);

  if (!g_socket_bind (socket, address, TRUE, error) ||
      !g_socket_listen (socket, error))
    return FALSE;

  /* libsoup never sees the listening socket: it would accept connections
   * of its own the leaking way. Without a listener it keeps no connection
   * alive after an answer, which is what the host wants anyway.
   */
  listener = g_new0 (Listener, 1);
  listener->http = http;
  listener->socket = g_object_ref (socket);
  listener_watch (listener);
  g_ptr_array_add (http->listeners, listener);

  return TRUE;
}

gboolean
_tertulia_http_listen (TertuliaHttp  *http,
                       GInetAddress  *inet,
                       guint          port,
                       GError       **error)
{
  g_autoptr(GInetAddress) any4 = NULL;
  g_autoptr(GInetAddress) any6 = NULL;
  g_autoptr(GError) local_error = NULL;

  if (inet != NULL)
    return http_listen_one (http, inet, port, FALSE, error);

  /* Every address: IPv4 and IPv6 on the same port, as
   * soup_server_listen_all() does
   */
  any4 = g_inet_address_new_any (G_SOCKET_FAMILY_IPV4);
  any6 = g_inet_address_new_any (G_SOCKET_FAMILY_IPV6);

  for (guint attempt = 0; attempt < 8; attempt++)
    {
      guint v4_port;

      if (!http_listen_one (http, any4, port, FALSE, error))
        return FALSE;

      v4_port = _tertulia_http_get_port (http);
      if (http_listen_one (http, any6, v4_port, TRUE, &local_error))
        return TRUE;

      /* No IPv6 on this machine */
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
        {
          g_debug ("not listening on IPv6: %s", local_error->message);
          return TRUE;
        }

      _tertulia_http_stop (http);

      /* The port the kernel chose for IPv4 is taken on IPv6: another one */
      if (port != 0 || !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
        break;
      g_clear_error (&local_error);
    }

  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

guint
_tertulia_http_get_port (TertuliaHttp *http)
{
  for (guint i = 0; i < http->listeners->len; i++)
    {
      Listener *listener = g_ptr_array_index (http->listeners, i);
      g_autoptr(GSocketAddress) address = g_socket_get_local_address (listener->socket, NULL);

      if (G_IS_INET_SOCKET_ADDRESS (address))
        return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
    }

  return 0;
}


/* What libsoup tells of each request */

static void
message_got_headers_cb (SoupServerMessage *msg,
                        gpointer           user_data)
{
  Conn *conn = conn_from_message (msg);

  if (conn != NULL && conn->http != NULL && !conn->upgraded)
    conn_set_deadline (conn, conn->http->answer_msec);
}

static void
request_started_cb (SoupServer        *soup,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  Conn *conn = conn_from_message (msg);

  if (conn == NULL || conn->http == NULL || conn->upgraded)
    return;

  conn_set_deadline (conn, conn->http->headers_msec);
  g_signal_connect (msg, "got-headers", G_CALLBACK (message_got_headers_cb), NULL);
}

static void
request_done_cb (SoupServer        *soup,
                 SoupServerMessage *msg,
                 gpointer           user_data)
{
  Conn *conn = conn_from_message (msg);

  if (conn != NULL && conn->http != NULL && !conn->upgraded)
    conn_set_deadline (conn, conn->http->idle_msec);
}

/* Any Transfer-Encoding, or a Content-Length other than 0. libsoup 3.2
 * reads a body whose length does not parse (or overflows) until the
 * connection ends, keeping all of it: the header itself is looked at.
 */
static gboolean
request_has_body (SoupMessageHeaders *headers)
{
  const char *length = soup_message_headers_get_list (headers, "Content-Length");

  if (soup_message_headers_get_one (headers, "Transfer-Encoding") != NULL)
    return TRUE;

  if (length == NULL)
    return FALSE;

  /* Digits only, all of them zeros */
  for (const char *p = length; *p != '\0'; p++)
    if (*p != '0' && *p != ' ' && *p != '\t')
      return TRUE;

  return FALSE;
}

gboolean
_tertulia_http_refuse_body (TertuliaHttp      *http,
                            SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *method = soup_server_message_get_method (msg);

  if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD)
    {
      g_debug ("refusing a %s request", method);
      _tertulia_http_refuse (http, msg, SOUP_STATUS_METHOD_NOT_ALLOWED,
                             "This host only serves pages; it takes nothing.\n");
      return TRUE;
    }

  if (request_has_body (headers))
    {
      g_debug ("refusing a %s request with a body", method);
      _tertulia_http_refuse (http, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
                             "This host takes no request bodies.\n");
      return TRUE;
    }

  return FALSE;
}

void
_tertulia_http_refuse (TertuliaHttp      *http,
                       SoupServerMessage *msg,
                       guint              status,
                       const char        *text)
{
  Conn *conn = conn_from_message (msg);
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GSocket) socket = NULL;

  /* Not one of ours (gone already): libsoup answers, and closes after */
  if (conn == NULL || conn->http == NULL || conn->upgraded)
    {
      soup_server_message_set_status (msg, status, NULL);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
      soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_COPY, text, strlen (text));
      return;
    }

  socket = g_object_ref (conn->socket);
  answer = canned_answer (status, text,
                          status == SOUP_STATUS_METHOD_NOT_ALLOWED ? "Allow: GET, HEAD\r\n" : NULL);

  /* libsoup lets go of the connection and reads nothing more of it */
  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    return;

  tertulia_linger_close (socket, stream, answer, TERTULIA_HTTP_LINGER_SECONDS * 1000);
}

GSocket *
_tertulia_http_upgraded (TertuliaHttp      *http,
                         SoupServerMessage *msg)
{
  Conn *conn = conn_from_message (msg);

  if (conn == NULL || conn->http == NULL)
    return NULL;

  /* No longer counted here: the WebSocket's own limits take over */
  conn_forget (conn);
  conn->upgraded = TRUE;

  return conn->socket;
}

guint
_tertulia_http_get_n_pending (TertuliaHttp *http)
{
  return g_hash_table_size (http->conns);
}


/* Life */

TertuliaHttp *
_tertulia_http_new (SoupServer  *soup,
                    const guint *max_per_address)
{
  TertuliaHttp *http = g_new0 (TertuliaHttp, 1);

  if (conn_quark == 0)
    conn_quark = g_quark_from_static_string ("tertulia-http-conn");

  http->soup = soup;
  http->max_per_address = max_per_address;
  http->listeners = g_ptr_array_new_with_free_func ((GDestroyNotify) listener_free);
  http->conns = g_hash_table_new (NULL, NULL);
  http->per_address = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  http->headers_msec = TERTULIA_HTTP_HEADERS_SECONDS * 1000;
  http->answer_msec = TERTULIA_HTTP_ANSWER_SECONDS * 1000;
  http->idle_msec = TERTULIA_HTTP_IDLE_SECONDS * 1000;

  g_signal_connect (soup, "request-started", G_CALLBACK (request_started_cb), http);
  g_signal_connect (soup, "request-finished", G_CALLBACK (request_done_cb), http);
  g_signal_connect (soup, "request-aborted", G_CALLBACK (request_done_cb), http);

  return http;
}

void
_tertulia_http_set_timeouts (TertuliaHttp *http,
                             guint         headers_msec,
                             guint         idle_msec)
{
  if (headers_msec > 0)
    http->headers_msec = headers_msec;
  if (idle_msec > 0)
    http->idle_msec = idle_msec;
}

void
_tertulia_http_set_certificate (TertuliaHttp    *http,
                                GTlsCertificate *certificate)
{
  g_set_object (&http->certificate, certificate);
}

void
_tertulia_http_stop (TertuliaHttp *http)
{
  GHashTableIter iter;
  Conn *conn;

  g_ptr_array_set_size (http->listeners, 0);

  /* libsoup's disconnect closes them too; these are cut so that libsoup
   * lets go of them even if it is not asked to.
   */
  g_hash_table_iter_init (&iter, http->conns);
  while (g_hash_table_iter_next (&iter, (gpointer *) &conn, NULL))
    g_socket_shutdown (conn->socket, TRUE, TRUE, NULL);
}

void
_tertulia_http_free (TertuliaHttp *http)
{
  GHashTableIter iter;
  Conn *conn;

  g_signal_handlers_disconnect_by_data (http->soup, http);
  g_ptr_array_unref (http->listeners);

  /* The connections that libsoup still holds free themselves later */
  g_hash_table_iter_init (&iter, http->conns);
  while (g_hash_table_iter_next (&iter, (gpointer *) &conn, NULL))
    {
      g_clear_handle_id (&conn->deadline_id, g_source_remove);
      conn->http = NULL;
      /* Not libsoup's yet: waiting for a first byte or a handshake, which
       * fail now and free it
       */
      if (conn->connection == NULL)
        {
          if (conn->cancellable != NULL)
            g_cancellable_cancel (conn->cancellable);
          g_socket_shutdown (conn->socket, TRUE, TRUE, NULL);
        }
    }
  g_clear_object (&http->certificate);

  g_hash_table_unref (http->conns);
  g_hash_table_unref (http->per_address);
  g_free (http);
}

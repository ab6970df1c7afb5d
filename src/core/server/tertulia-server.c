/* tertulia-server.c — the host: WebSocket endpoint, sessions, fan-out, history
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The server lives in three files: this one (the object, its API, and
 * accepting connections), tertulia-server-session.c (one guest connection
 * and its limits) and tertulia-server-room.c (participants, history and
 * what each frame does). tertulia-server-private.h holds what they share.
 */

#define G_LOG_DOMAIN "tertulia-server"
#define TERTULIA_SERVER_COMPILATION

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tertulia-server-private.h"
#include "tertulia-web.h"

#define SECRET_BYTES       32
#define DEFAULT_ROOM_NAME  "Tertulia"
/* Connections turned away for a limit are closing for a few seconds; past
 * this many at once, new ones get a plain HTTP 503 before the upgrade, so
 * a flood of connections costs next to nothing.
 */
#define MAX_TURNED_AWAY    64

G_DEFINE_FINAL_TYPE (TertuliaServer, tertulia_server, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ROOM_NAME,
  PROP_TOPIC,
  PROP_HISTORY_SIZE,
  PROP_PORT,
  PROP_N_PARTICIPANTS,
  PROP_HOST_KEY,
  PROP_PASSWORD_REQUIRED,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];


/* Shared with the other files of the server */

/* Secrets (host key, resume tokens) come from the kernel's CSPRNG. */
char *
_tertulia_random_hex (gsize n_bytes)
{
  static const char hex[] = "0123456789abcdef";
  g_autofree guint8 *bytes = g_malloc (n_bytes);
  GString *out = g_string_sized_new (n_bytes * 2);

  tertulia_random_bytes (bytes, n_bytes);

  for (gsize i = 0; i < n_bytes; i++)
    {
      g_string_append_c (out, hex[bytes[i] >> 4]);
      g_string_append_c (out, hex[bytes[i] & 0xf]);
    }

  return g_string_free (out, FALSE);
}

/* Keeps @self alive and holds back notifications while it handles
 * something from the outside: a "notify" handler may shut the server down
 * or drop it, and must not do so while we are halfway through a frame.
 */
void
_tertulia_server_enter (TertuliaServer *self)
{
  g_object_ref (self);
  g_object_freeze_notify (G_OBJECT (self));
}

void
_tertulia_server_leave (TertuliaServer *self)
{
  g_object_thaw_notify (G_OBJECT (self));
  g_object_unref (self);
}

void
_tertulia_server_notify_n_participants (TertuliaServer *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PARTICIPANTS]);
}

void
_tertulia_server_notify_topic (TertuliaServer *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOPIC]);
}


/* Remote addresses */

/* The address a connection counts against: an IPv4 guest reaching an IPv6
 * socket shows up as ::ffff:a.b.c.d, which is the same guest as a.b.c.d.
 */
static char *
dup_address_name (SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);
  GInetAddress *inet;
  const guint8 *bytes;

  if (!G_IS_INET_SOCKET_ADDRESS (remote))
    return g_strdup ("unknown");

  inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote));
  bytes = g_inet_address_to_bytes (inet);

  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6 &&
      memcmp (bytes, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0)
    {
      g_autoptr(GInetAddress) v4 = g_inet_address_new_from_bytes (bytes + 12, G_SOCKET_FAMILY_IPV4);

      return g_inet_address_to_string (v4);
    }

  return g_inet_address_to_string (inet);
}

static void
address_free (Address *address)
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
  return address->n_connections == 0 &&
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
   * matter.
   */
  g_hash_table_foreach_remove (self->addresses, address_is_stale_cb, self);

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
  static const char body[] = "This page may not join the room.\n";

  if (_tertulia_server_refuse_unknown_host (user_data, msg) ||
      tertulia_web_origin_is_allowed (msg))
    return;

  g_debug ("Refusing a WebSocket upgrade from origin %s",
           soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Origin"));
  soup_server_message_set_status (msg, SOUP_STATUS_FORBIDDEN, NULL);
  soup_server_message_set_response (msg, "text/plain; charset=utf-8",
                                    SOUP_MEMORY_STATIC, body, strlen (body));
}

static void
respond_unavailable (SoupServerMessage *msg)
{
  static const char body[] = "The room cannot take more connections right now.\n";

  soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
  soup_server_message_set_response (msg, "text/plain; charset=utf-8",
                                    SOUP_MEMORY_STATIC, body, strlen (body));
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
      _tertulia_session_turn_away (session, TERTULIA_ERROR_ROOM_FULL, "The room is full.");
    }
  else if (self->max_connections_per_address > 0 &&
           address->n_connections >= self->max_connections_per_address)
    {
      g_debug ("%s: %u connections from there already", session->peer, address->n_connections);
      _tertulia_session_turn_away (session, TERTULIA_ERROR_TOO_MANY_CONNECTIONS,
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
  Session *session;

  if (soup_server_message_get_status (msg) != SOUP_STATUS_SWITCHING_PROTOCOLS)
    return;

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

  if (self->shut_down || self->turned_away->len >= MAX_TURNED_AWAY)
    {
      respond_unavailable (msg);
      return;
    }

  /* No extensions: the protocol has none. Compression would let a small
   * frame expand past the size limit behind the guard's back, and makes
   * "the same bytes" harder to keep. This answers a bad handshake itself.
   */
  if (!soup_websocket_server_process_handshake (msg, NULL, protocols, NULL, NULL))
    return;

  g_signal_connect_object (msg, "wrote-informational", G_CALLBACK (server_upgraded_cb), self, 0);
}


/* GObject */

static void
server_shutdown (TertuliaServer *self,
                 const char     *reason,
                 gboolean        notify)
{
  g_autoptr(GPtrArray) sessions = NULL;
  g_autoptr(GPtrArray) turned_away = NULL;
  g_autoptr(GPtrArray) participants = NULL;

  if (self->shut_down)
    return;

  self->shut_down = TRUE;

  if (reason == NULL)
    reason = DEFAULT_CLOSE_REASON;

  g_debug ("shutting down: %s", reason);

  /* Closing may make libsoup report errors synchronously; work on arrays
   * that nothing else touches any more.
   */
  sessions = g_steal_pointer (&self->sessions);
  self->sessions = g_ptr_array_new ();
  turned_away = g_steal_pointer (&self->turned_away);
  self->turned_away = g_ptr_array_new ();
  participants = g_steal_pointer (&self->participants);
  self->participants = g_ptr_array_new ();
  g_hash_table_remove_all (self->by_token);
  g_hash_table_remove_all (self->by_nick_key);

  /* The sessions free themselves when their connections report "closed". */
  for (guint i = 0; i < turned_away->len; i++)
    _tertulia_session_detach (g_ptr_array_index (turned_away, i));

  for (guint i = 0; i < sessions->len; i++)
    {
      Session *session = g_ptr_array_index (sessions, i);

      _tertulia_session_detach (session);
      _tertulia_session_close (session, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, reason);
    }

  g_hash_table_remove_all (self->addresses);

  for (guint i = 0; i < participants->len; i++)
    _tertulia_server_participant_free (g_ptr_array_index (participants, i));

  if (self->soup != NULL)
    soup_server_disconnect (self->soup);

  if (self->store != NULL)
    tertulia_store_flush (self->store);

  if (notify && participants->len > 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PARTICIPANTS]);
}

static void
tertulia_server_constructed (GObject *object)
{
  TertuliaServer *self = (TertuliaServer *) object;

  G_OBJECT_CLASS (tertulia_server_parent_class)->constructed (object);

  self->soup = soup_server_new ("server-header", "tertulia/" PACKAGE_VERSION " ", NULL);
  soup_server_add_handler (self->soup, TERTULIA_WEBSOCKET_PATH, server_websocket_cb, self, NULL);
  soup_server_add_early_handler (self->soup, TERTULIA_WEBSOCKET_PATH,
                                 server_websocket_origin_cb, self, NULL);
  soup_server_add_early_handler (self->soup, NULL, _tertulia_server_host_early_cb, self, NULL);
  /* Everything else is the browser guest page. */
  soup_server_add_handler (self->soup, "/", tertulia_web_handle_request, self, NULL);
}

static void
tertulia_server_dispose (GObject *object)
{
  TertuliaServer *self = (TertuliaServer *) object;

  server_shutdown (self, NULL, FALSE);
  g_clear_object (&self->soup);

  G_OBJECT_CLASS (tertulia_server_parent_class)->dispose (object);
}

static void
tertulia_server_finalize (GObject *object)
{
  TertuliaServer *self = (TertuliaServer *) object;

  g_clear_pointer (&self->ring, g_ptr_array_unref);
  /* Its last writes are committed as it goes */
  g_clear_object (&self->store);

  g_clear_pointer (&self->sessions, g_ptr_array_unref);
  g_clear_pointer (&self->turned_away, g_ptr_array_unref);
  g_clear_pointer (&self->participants, g_ptr_array_unref);
  g_clear_pointer (&self->by_token, g_hash_table_unref);
  g_clear_pointer (&self->by_nick_key, g_hash_table_unref);
  _tertulia_server_room_finalize (self);
  g_clear_pointer (&self->addresses, g_hash_table_unref);
  /* Its streams may outlive the server */
  if (self->batch != NULL)
    tertulia_guard_batch_set_before_send (self->batch, NULL, NULL);
  g_clear_pointer (&self->batch, tertulia_guard_batch_unref);
  g_clear_pointer (&self->password, tertulia_password_hash_free);
  g_clear_pointer (&self->room_name, g_free);
  g_clear_pointer (&self->room_id, g_free);
  g_clear_pointer (&self->topic, g_free);
  g_clear_pointer (&self->host_key, g_free);

  G_OBJECT_CLASS (tertulia_server_parent_class)->finalize (object);
}

/* The host sets the name (tertulia-server checks it for the user); a bad
 * one is made usable here rather than sent to every guest.
 */
static char *
dup_room_name (const char *name)
{
  g_autofree char *stripped = NULL;

  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    return g_strdup (DEFAULT_ROOM_NAME);

  stripped = g_strstrip (g_strdup (name));
  if (stripped[0] == '\0')
    return g_strdup (DEFAULT_ROOM_NAME);

  if (g_utf8_strlen (stripped, -1) > TERTULIA_MAX_ROOM_NAME_CHARS)
    {
      g_debug ("room name “%s” is too long; shortening it", stripped);
      return g_utf8_substring (stripped, 0, TERTULIA_MAX_ROOM_NAME_CHARS);
    }

  return g_steal_pointer (&stripped);
}

static void
tertulia_server_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TertuliaServer *self = TERTULIA_SERVER (object);

  switch (prop_id)
    {
    case PROP_ROOM_NAME:
      g_value_set_string (value, self->room_name);
      break;

    case PROP_TOPIC:
      g_value_set_string (value, self->topic);
      break;

    case PROP_HISTORY_SIZE:
      g_value_set_uint (value, self->history_size);
      break;

    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;

    case PROP_N_PARTICIPANTS:
      g_value_set_uint (value, self->participants->len);
      break;

    case PROP_HOST_KEY:
      g_value_set_string (value, self->host_key);
      break;

    case PROP_PASSWORD_REQUIRED:
      g_value_set_boolean (value, self->password != NULL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tertulia_server_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TertuliaServer *self = TERTULIA_SERVER (object);

  switch (prop_id)
    {
    case PROP_ROOM_NAME:
      g_free (self->room_name);
      self->room_name = dup_room_name (g_value_get_string (value));
      break;

    case PROP_HISTORY_SIZE:
      self->history_size = g_value_get_uint (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tertulia_server_class_init (TertuliaServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = tertulia_server_constructed;
  object_class->dispose = tertulia_server_dispose;
  object_class->finalize = tertulia_server_finalize;
  object_class->get_property = tertulia_server_get_property;
  object_class->set_property = tertulia_server_set_property;

  properties[PROP_ROOM_NAME] =
    g_param_spec_string ("room-name", NULL, NULL,
                         DEFAULT_ROOM_NAME,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TOPIC] =
    g_param_spec_string ("topic", NULL, NULL,
                         "",
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_HISTORY_SIZE] =
    g_param_spec_uint ("history-size", NULL, NULL,
                       1, G_MAXINT, TERTULIA_DEFAULT_HISTORY,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL,
                       0, G_MAXUINT16, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_N_PARTICIPANTS] =
    g_param_spec_uint ("n-participants", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_HOST_KEY] =
    g_param_spec_string ("host-key", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_PASSWORD_REQUIRED] =
    g_param_spec_boolean ("password-required", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tertulia_server_init (TertuliaServer *self)
{
  self->room_name = g_strdup (DEFAULT_ROOM_NAME);
  self->topic = g_strdup ("");
  self->host_key = _tertulia_random_hex (SECRET_BYTES);
  self->room_id = _tertulia_random_hex (8);
  self->history_size = TERTULIA_DEFAULT_HISTORY;
  self->ring = g_ptr_array_new_with_free_func ((GDestroyNotify) _tertulia_event_unref);
  self->sessions = g_ptr_array_new ();
  self->turned_away = g_ptr_array_new ();
  self->addresses = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) address_free);
  self->participants = g_ptr_array_new ();
  self->batch = tertulia_guard_batch_new ();
  self->by_token = g_hash_table_new (g_str_hash, g_str_equal);
  self->by_nick_key = g_hash_table_new (g_str_hash, g_str_equal);
  self->next_id = 1;
  self->handshake_timeout_msec = TERTULIA_HANDSHAKE_TIMEOUT_SECONDS * 1000;
  self->resume_grace_msec = TERTULIA_RESUME_GRACE_SECONDS * 1000;
  self->ping_seconds = TERTULIA_PING_SECONDS;
  self->idle_timeout_msec = TERTULIA_IDLE_TIMEOUT_SECONDS * 1000;
  self->rate_burst = TERTULIA_RATE_BURST;
  self->rate_per_second = TERTULIA_RATE_PER_SECOND;
  self->max_connections = TERTULIA_MAX_CONNECTIONS;
  self->max_connections_per_address = TERTULIA_MAX_CONNECTIONS_PER_ADDRESS;
  self->max_queued_bytes = TERTULIA_MAX_QUEUED_BYTES;
  self->password_retry_msec = TERTULIA_PASSWORD_RETRY_SECONDS * 1000;
  self->password_iterations = TERTULIA_PASSWORD_ITERATIONS;
}


/* Public API */

TertuliaServer *
tertulia_server_new (const char *room_name)
{
  return tertulia_server_new_full (room_name, TERTULIA_DEFAULT_HISTORY);
}

TertuliaServer *
tertulia_server_new_full (const char *room_name,
                          guint       history_size)
{
  g_return_val_if_fail (room_name != NULL, NULL);
  g_return_val_if_fail (history_size > 0, NULL);

  return g_object_new (TERTULIA_TYPE_SERVER,
                       "room-name", room_name,
                       "history-size", history_size,
                       NULL);
}

/* Every event a guest receives is committed first (see
 * tertulia_guard_batch_set_before_send())
 */
static void
server_before_send_cb (gpointer user_data)
{
  TertuliaServer *self = user_data;

  /* Called for each guest's send: the flag keeps that cheap */
  if (self->store_dirty)
    {
      self->store_dirty = FALSE;
      tertulia_store_flush (self->store);
    }
}

TertuliaServer *
tertulia_server_new_with_store (const char    *room_name,
                                guint          history_size,
                                TertuliaStore *store)
{
  TertuliaServer *self;

  g_return_val_if_fail (TERTULIA_IS_STORE (store), NULL);

  self = tertulia_server_new_full (room_name, history_size);
  if (self == NULL)
    return NULL;

  self->store = g_object_ref (store);
  _tertulia_server_restore (self);
  tertulia_guard_batch_set_before_send (self->batch, server_before_send_cb, self);

  return self;
}

TertuliaStore *
tertulia_server_get_store (TertuliaServer *self)
{
  g_return_val_if_fail (TERTULIA_IS_SERVER (self), NULL);

  return self->store;
}

static guint
server_find_port (TertuliaServer *self)
{
  /* (transfer container): the sockets are borrowed */
  GSList *listeners = soup_server_get_listeners (self->soup);
  guint port = 0;

  for (GSList *l = listeners; l != NULL && port == 0; l = l->next)
    {
      g_autoptr(GSocketAddress) address = g_socket_get_local_address (l->data, NULL);

      if (G_IS_INET_SOCKET_ADDRESS (address))
        port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
    }

  g_slist_free (listeners);

  return port;
}

gboolean
tertulia_server_listen (TertuliaServer  *self,
                        const char      *bind_address,
                        guint            port,
                        GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean listening;

  g_return_val_if_fail (TERTULIA_IS_SERVER (self), FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->shut_down)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED,
                           _("The room has already been closed."));
      return FALSE;
    }

  if (self->port != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                           _("The room is already open."));
      return FALSE;
    }

  if (bind_address == NULL)
    {
      listening = soup_server_listen_all (self->soup, port, 0, &local_error);
    }
  else
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (bind_address);
      g_autoptr(GSocketAddress) socket_address = NULL;

      if (address == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       /* Translators: %s is what the user gave as the address to listen on */
                       _("“%s” is not an IP address."), bind_address);
          return FALSE;
        }

      socket_address = g_inet_socket_address_new (address, (guint16) port);
      listening = soup_server_listen (self->soup, socket_address, 0, &local_error);
    }

  if (!listening)
    {
      g_debug ("listening on %s port %u failed: %s",
               bind_address != NULL ? bind_address : "every address", port, local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  self->port = server_find_port (self);
  g_debug ("listening on %s port %u", bind_address != NULL ? bind_address : "every address", self->port);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);

  return TRUE;
}

guint
tertulia_server_get_port (TertuliaServer *self)
{
  g_return_val_if_fail (TERTULIA_IS_SERVER (self), 0);

  return self->port;
}

const char *
tertulia_server_get_room_name (TertuliaServer *self)
{
  g_return_val_if_fail (TERTULIA_IS_SERVER (self), NULL);

  return self->room_name;
}

const char *
tertulia_server_get_topic (TertuliaServer *self)
{
  g_return_val_if_fail (TERTULIA_IS_SERVER (self), NULL);

  return self->topic;
}

const char *
tertulia_server_get_host_key (TertuliaServer *self)
{
  g_return_val_if_fail (TERTULIA_IS_SERVER (self), NULL);

  return self->host_key;
}

guint
tertulia_server_get_n_participants (TertuliaServer *self)
{
  g_return_val_if_fail (TERTULIA_IS_SERVER (self), 0);

  return self->participants->len;
}

guint
tertulia_server_get_history_size (TertuliaServer *self)
{
  g_return_val_if_fail (TERTULIA_IS_SERVER (self), 0);

  return self->history_size;
}

void
tertulia_server_shutdown (TertuliaServer *self,
                          const char     *reason)
{
  g_return_if_fail (TERTULIA_IS_SERVER (self));

  g_object_ref (self);
  server_shutdown (self, reason, TRUE);
  g_object_unref (self);
}

void
tertulia_server_set_password (TertuliaServer *self,
                              const char     *password)
{
  gboolean was_required;

  g_return_if_fail (TERTULIA_IS_SERVER (self));
  g_return_if_fail (password == NULL || g_utf8_validate (password, -1, NULL));
  g_return_if_fail (password == NULL || g_utf8_strlen (password, -1) <= TERTULIA_MAX_PASSWORD_CHARS);

  was_required = self->password != NULL;
  g_clear_pointer (&self->password, tertulia_password_hash_free);

  if (password != NULL && password[0] != '\0')
    self->password = tertulia_password_hash_new (password, self->password_iterations);

  g_debug ("the room %s a password", self->password != NULL ? "needs" : "does not need");

  if (was_required != (self->password != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PASSWORD_REQUIRED]);
}

gboolean
tertulia_server_get_password_required (TertuliaServer *self)
{
  g_return_val_if_fail (TERTULIA_IS_SERVER (self), FALSE);

  return self->password != NULL;
}

void
tertulia_server_set_max_connections (TertuliaServer *self,
                                     guint           max_connections,
                                     guint           max_per_address)
{
  g_return_if_fail (TERTULIA_IS_SERVER (self));

  self->max_connections = max_connections;
  self->max_connections_per_address = max_per_address;
}

void
_tertulia_server_set_deadlines (TertuliaServer *self,
                                guint           handshake_timeout_msec,
                                guint           resume_grace_msec)
{
  g_return_if_fail (TERTULIA_IS_SERVER (self));

  if (handshake_timeout_msec > 0)
    self->handshake_timeout_msec = handshake_timeout_msec;
  if (resume_grace_msec > 0)
    self->resume_grace_msec = resume_grace_msec;
}

guint
_tertulia_server_get_n_connections (TertuliaServer *self)
{
  g_return_val_if_fail (TERTULIA_IS_SERVER (self), 0);

  return self->sessions->len;
}

void
_tertulia_server_set_keepalive (TertuliaServer *self,
                                guint           ping_seconds,
                                guint           idle_timeout_msec)
{
  g_return_if_fail (TERTULIA_IS_SERVER (self));

  if (ping_seconds > 0)
    self->ping_seconds = ping_seconds;
  if (idle_timeout_msec > 0)
    self->idle_timeout_msec = idle_timeout_msec;
}

void
_tertulia_server_set_rate_limit (TertuliaServer *self,
                                 guint           burst,
                                 guint           per_second)
{
  g_return_if_fail (TERTULIA_IS_SERVER (self));

  self->rate_burst = burst;
  self->rate_per_second = per_second;
}

void
_tertulia_server_set_max_queued (TertuliaServer *self,
                                 gsize           max_queued_bytes)
{
  g_return_if_fail (TERTULIA_IS_SERVER (self));
  g_return_if_fail (max_queued_bytes > 0);

  self->max_queued_bytes = max_queued_bytes;
}

void
_tertulia_server_set_password_retry (TertuliaServer *self,
                                     guint           msec)
{
  g_return_if_fail (TERTULIA_IS_SERVER (self));

  self->password_retry_msec = msec;
}

void
_tertulia_server_set_password_iterations (TertuliaServer *self,
                                          guint           iterations)
{
  g_return_if_fail (TERTULIA_IS_SERVER (self));
  g_return_if_fail (iterations > 0);

  self->password_iterations = iterations;
}

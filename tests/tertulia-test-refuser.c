/* tertulia-test-refuser.c — a stand-in host that refuses a say once, for resend tests
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>
#include <sys/socket.h>

#include "tertulia-protocol.h"
#include "tertulia-test-refuser.h"

struct _TertuliaTestRefuser
{
  SoupServer *server;
  /* Its own listener: a TLS handshake is answered in plain text at once,
   * as a real host with TLS off does, so that guests fall back to plain
   * text without waiting (see conn_sniff_cb in tertulia-server-http.c)
   */
  GSocketService *service;
  GSocketAddress *bound;
  GPtrArray  *connections;
  GHashTable *broadcasts;   /* text → count */
  GHashTable *refused;      /* text → TRUE, refused once already */
  guint       n_refused;
  gint64      seq;
  gint64      next_id;
};

static void
send_json (SoupWebsocketConnection *connection,
           JsonBuilder             *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = json_to_string (root, FALSE);

  soup_websocket_connection_send_text (connection, text);
}

static void
add_peer (JsonBuilder *builder,
          gint64       id,
          const char  *nick)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, id);
  json_builder_set_member_name (builder, "nick");
  json_builder_add_string_value (builder, nick);
  json_builder_set_member_name (builder, "joined_at");
  json_builder_add_int_value (builder, g_get_real_time () / 1000);
  json_builder_set_member_name (builder, "host");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_end_object (builder);
}

static void
welcome (TertuliaTestRefuser     *self,
         SoupWebsocketConnection *connection,
         const char              *nick)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  gint64 id = ++self->next_id;

  g_object_set_data (G_OBJECT (connection), "id", GSIZE_TO_POINTER (id));
  g_object_set_data_full (G_OBJECT (connection), "nick", g_strdup (nick), g_free);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "welcome");
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, TERTULIA_PROTOCOL_VERSION);
  json_builder_set_member_name (b, "you");
  add_peer (b, id, nick);
  json_builder_set_member_name (b, "room");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, "0123456789abcdef");
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, "Refusals");
  json_builder_end_object (b);
  json_builder_set_member_name (b, "participants");
  json_builder_begin_array (b);
  add_peer (b, id, nick);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "seq");
  json_builder_add_int_value (b, self->seq);
  json_builder_set_member_name (b, "resume_token");
  json_builder_add_string_value (b, "00");
  json_builder_set_member_name (b, "resumed");
  json_builder_add_boolean_value (b, FALSE);
  json_builder_set_member_name (b, "gap");
  json_builder_add_boolean_value (b, FALSE);
  json_builder_set_member_name (b, "limits");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "rate_burst");
  json_builder_add_int_value (b, 50);
  json_builder_set_member_name (b, "rate_per_second");
  json_builder_add_int_value (b, 10);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "history");
  json_builder_begin_array (b);
  json_builder_end_array (b);
  json_builder_end_object (b);

  send_json (connection, b);
}

static void
refuse (TertuliaTestRefuser     *self,
        SoupWebsocketConnection *connection,
        const char              *cid)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  self->n_refused++;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "error");
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, "rate-limited");
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, "You are sending too fast.");
  json_builder_set_member_name (b, "cid");
  json_builder_add_string_value (b, cid);
  json_builder_end_object (b);

  send_json (connection, b);
}

/* What a Tertulia host from before scrollback says to a "history" frame */
static void
unknown_type (SoupWebsocketConnection *connection,
              const char              *frame_type)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *message = g_strdup_printf ("Unknown frame type “%s”.", frame_type);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "error");
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, "unknown-type");
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);

  send_json (connection, b);
}

static void
broadcast (TertuliaTestRefuser     *self,
           SoupWebsocketConnection *from,
           const char              *kind,
           const char              *text,
           const char              *cid)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (self->broadcasts, text));

  g_hash_table_replace (self->broadcasts, g_strdup (text), GUINT_TO_POINTER (count + 1));

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "message");
  json_builder_set_member_name (b, "seq");
  json_builder_add_int_value (b, ++self->seq);
  json_builder_set_member_name (b, "time");
  json_builder_add_int_value (b, g_get_real_time () / 1000);
  json_builder_set_member_name (b, "from");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (from), "id")));
  json_builder_set_member_name (b, "nick");
  json_builder_add_string_value (b, g_object_get_data (G_OBJECT (from), "nick"));
  json_builder_end_object (b);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, kind);
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, text);
  json_builder_set_member_name (b, "cid");
  json_builder_add_string_value (b, cid);
  json_builder_end_object (b);

  for (guint i = 0; i < self->connections->len; i++)
    send_json (g_ptr_array_index (self->connections, i), b);
}

static void
message_cb (SoupWebsocketConnection *connection,
            SoupWebsocketDataType    type,
            GBytes                  *bytes,
            TertuliaTestRefuser     *self)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *frame;
  const char *frame_type;
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  if (!json_parser_load_from_data (parser, data, length, NULL))
    return;
  frame = json_node_get_object (json_parser_get_root (parser));
  frame_type = json_object_get_string_member_with_default (frame, "type", "");

  if (g_str_equal (frame_type, "hello"))
    {
      welcome (self, connection, json_object_get_string_member_with_default (frame, "nick", "guest"));
    }
  else if (g_str_equal (frame_type, "say"))
    {
      const char *text = json_object_get_string_member_with_default (frame, "text", "");
      const char *cid = json_object_get_string_member_with_default (frame, "cid", "");

      if (g_str_has_prefix (text, "refuse") && !g_hash_table_contains (self->refused, text))
        {
          g_hash_table_add (self->refused, g_strdup (text));
          refuse (self, connection, cid);
        }
      else
        {
          broadcast (self, connection,
                     json_object_get_string_member_with_default (frame, "kind", "chat"),
                     text, cid);
        }
    }
  else
    {
      unknown_type (connection, frame_type);
    }
}

static void
closed_cb (SoupWebsocketConnection *connection,
           TertuliaTestRefuser     *self)
{
  g_ptr_array_remove (self->connections, connection);
}

static void
websocket_cb (SoupServer              *server,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *connection,
              gpointer                 user_data)
{
  TertuliaTestRefuser *self = user_data;

  g_ptr_array_add (self->connections, g_object_ref (connection));
  g_signal_connect (connection, "message", G_CALLBACK (message_cb), self);
  g_signal_connect (connection, "closed", G_CALLBACK (closed_cb), self);
}

typedef struct
{
  TertuliaTestRefuser *self;
  GSocketConnection   *connection;
} Sniff;

static gboolean
sniff_cb (GSocket      *socket,
          GIOCondition  condition,
          gpointer      user_data)
{
  Sniff *sniff = user_data;
  guint8 first = 0;
  gssize n = recv (g_socket_get_fd (socket), &first, 1, MSG_PEEK | MSG_DONTWAIT);

  if (n < 0 && errno == EAGAIN)
    return G_SOURCE_CONTINUE;

  if (n == 1 && first == 0x16)
    {
      static const char answer[] = "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";

      g_socket_send (socket, answer, strlen (answer), NULL, NULL);
      g_socket_shutdown (socket, FALSE, TRUE, NULL);
    }
  else if (n > 0 && sniff->self->server != NULL)
    {
      g_autoptr(GSocketAddress) local = g_socket_get_local_address (socket, NULL);
      g_autoptr(GSocketAddress) remote = g_socket_get_remote_address (socket, NULL);

      soup_server_accept_iostream (sniff->self->server, G_IO_STREAM (sniff->connection),
                                   local, remote, NULL);
    }

  g_object_unref (sniff->connection);
  g_free (sniff);
  return G_SOURCE_REMOVE;
}

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source,
             gpointer           user_data)
{
  Sniff *sniff = g_new0 (Sniff, 1);
  GSocket *socket = g_socket_connection_get_socket (connection);
  g_autoptr(GSource) source_watch = g_socket_create_source (socket, G_IO_IN, NULL);

  sniff->self = user_data;
  sniff->connection = g_object_ref (connection);
  g_source_set_callback (source_watch, G_SOURCE_FUNC (sniff_cb), sniff, NULL);
  g_source_attach (source_watch, NULL);

  return TRUE;
}

TertuliaTestRefuser *
tertulia_test_refuser_new (void)
{
  static const char *protocols[] = { TERTULIA_SUBPROTOCOL, NULL };
  TertuliaTestRefuser *self = g_new0 (TertuliaTestRefuser, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GError) error = NULL;

  self->connections = g_ptr_array_new_with_free_func (g_object_unref);
  self->broadcasts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->refused = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->server = soup_server_new (NULL, NULL);
  soup_server_add_websocket_handler (self->server, TERTULIA_WEBSOCKET_PATH, NULL,
                                     (char **) protocols, websocket_cb, self, NULL);
  self->service = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                 &self->bound, &error);
  g_assert_no_error (error);
  g_signal_connect (self->service, "incoming", G_CALLBACK (incoming_cb), self);

  return self;
}

void
tertulia_test_refuser_free (TertuliaTestRefuser *self)
{
  for (guint i = 0; i < self->connections->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->connections, i), self);
  g_clear_pointer (&self->connections, g_ptr_array_unref);
  g_socket_service_stop (self->service);
  g_socket_listener_close (G_SOCKET_LISTENER (self->service));
  g_clear_object (&self->service);
  g_clear_object (&self->bound);
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_clear_pointer (&self->broadcasts, g_hash_table_unref);
  g_clear_pointer (&self->refused, g_hash_table_unref);
  g_free (self);
}

guint
tertulia_test_refuser_get_port (TertuliaTestRefuser *self)
{
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (self->bound));
}

guint
tertulia_test_refuser_count (TertuliaTestRefuser *self,
                             const char          *text)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->broadcasts, text));
}

guint
tertulia_test_refuser_n_refused (TertuliaTestRefuser *self)
{
  return self->n_refused;
}

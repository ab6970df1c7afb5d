/* tertulia-test-relay.c — a TCP relay a test can cut, for drops nobody announces
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-test-relay"

#include "config.h"

#include <sys/socket.h>

#include "tertulia-test-relay.h"

#define CHUNK_BYTES           16384
#define MID_FRAME_PATIENCE_MS 300
#define LATE_HOLD_MS          200
#define LATE_DELIVERY_MS      1500

typedef struct _Link Link;

/* One direction of a link: reads from conn[from], writes to conn[!from]. */
typedef struct
{
  Link   *link;
  guint   from;
  /* The chunk being written is the half a MID_FRAME cut lets through. */
  gboolean partial;
  guint8  buffer[CHUNK_BYTES];
} Pump;

struct _Link
{
  gatomicrefcount     ref_count;

  /* Borrowed; NULL once the link is cut */
  TertuliaTestRelay  *relay;

  /* Owned: [0] faces the guest, [1] the host */
  GSocketConnection  *conn[2];
  GCancellable       *cancellable;
  Pump                pump[2];

  guint               patience_id;
  gboolean            armed;       /* MID_FRAME: the next chunk is the last */
  gboolean            cut;

  /* LATE: what the guest sends is held back here, and once the guest's
   * side is gone, whatever the host sends is thrown away.
   */
  GByteArray         *held;
  guint               late_id;
  gboolean            guest_gone;
};

struct _TertuliaTestRelay
{
  GSocketService *service;
  GPtrArray      *links;          /* of Link*, open ones */
  guint           port;
  guint           target_port;
  guint           n_partial_cuts;
  gint64          last_cut_time;
};

static void pump_read (Pump *pump);

static Link *
link_ref (Link *link)
{
  g_atomic_ref_count_inc (&link->ref_count);

  return link;
}

static void
link_unref (Link *link)
{
  if (!g_atomic_ref_count_dec (&link->ref_count))
    return;

  g_assert (link->cut);
  g_clear_object (&link->conn[0]);
  g_clear_object (&link->conn[1]);
  g_clear_object (&link->cancellable);
  g_clear_pointer (&link->held, g_byte_array_unref);
  g_free (link);
}

static void
close_socket (GSocketConnection    *connection,
              TertuliaTestRelayCut  how)
{
  GSocket *socket = g_socket_connection_get_socket (connection);

  if (g_socket_is_closed (socket))
    return;

  if (how != TERTULIA_TEST_RELAY_CUT_FIN)
    {
      /* A zero linger time makes close() send RST and drop what is still
       * queued, as a dead link would.
       */
      struct linger linger = { .l_onoff = 1, .l_linger = 0 };

      setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
    }

  g_socket_close (socket, NULL);
}

/* Closes both sockets now. Pending reads and writes end with an error and
 * drop their references afterwards.
 */
static void
link_cut (Link                 *link,
          TertuliaTestRelayCut  how)
{
  if (link->cut)
    return;

  link->cut = TRUE;
  g_clear_handle_id (&link->patience_id, g_source_remove);
  g_clear_handle_id (&link->late_id, g_source_remove);

  if (link->relay != NULL)
    {
      if (!link->guest_gone)
        link->relay->last_cut_time = g_get_monotonic_time ();
      g_ptr_array_remove (link->relay->links, link);
      link->relay = NULL;
    }

  g_cancellable_cancel (link->cancellable);

  close_socket (link->conn[0], how);
  close_socket (link->conn[1], how);

  /* The relay's own reference. */
  link_unref (link);
}

static gboolean
patience_cb (gpointer user_data)
{
  Link *link = user_data;

  link->patience_id = 0;
  link_cut (link, TERTULIA_TEST_RELAY_CUT_RESET);

  return G_SOURCE_REMOVE;
}

static void
late_written_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Link *link = user_data;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL);
  /* An orderly close: the host reads what was held before the end. */
  link_cut (link, TERTULIA_TEST_RELAY_CUT_FIN);
  link_unref (link);
}

/* The stale connection's last bytes finally reach the host. */
static gboolean
late_host_cb (gpointer user_data)
{
  Link *link = user_data;
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (link->conn[1]));

  link->late_id = 0;

  if (link->held->len == 0)
    {
      link_cut (link, TERTULIA_TEST_RELAY_CUT_FIN);
      return G_SOURCE_REMOVE;
    }

  g_output_stream_write_all_async (out, link->held->data, link->held->len, G_PRIORITY_DEFAULT,
                                   link->cancellable, late_written_cb, link_ref (link));

  return G_SOURCE_REMOVE;
}

/* The guest's side dies; the host's side lives on, half-open. */
static gboolean
late_guest_cb (gpointer user_data)
{
  Link *link = user_data;

  link->guest_gone = TRUE;
  if (link->relay != NULL)
    link->relay->last_cut_time = g_get_monotonic_time ();
  close_socket (link->conn[0], TERTULIA_TEST_RELAY_CUT_RESET);

  link->late_id = g_timeout_add (LATE_DELIVERY_MS, late_host_cb, link);

  return G_SOURCE_REMOVE;
}

static void
pump_write_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Pump *pump = user_data;
  Link *link = pump->link;
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      /* Writing to the guest that a LATE cut took away: the host's
       * bytes are thrown away from now on.
       */
      if (link->guest_gone && pump->from == 1 && !link->cut)
        pump_read (pump);
      else
        link_cut (link, TERTULIA_TEST_RELAY_CUT_FIN);
    }
  else if (pump->partial && !link->cut)
    {
      if (link->relay != NULL)
        link->relay->n_partial_cuts++;
      link_cut (link, TERTULIA_TEST_RELAY_CUT_RESET);
    }
  else if (!link->cut)
    pump_read (pump);

  link_unref (link);
}

static void
pump_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Pump *pump = user_data;
  Link *link = pump->link;
  g_autoptr(GError) error = NULL;
  GOutputStream *out;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);

  if (link->cut)
    {
      link_unref (link);
      return;
    }

  /* The guest's side of a LATE cut, closed by us: nothing more to read. */
  if (n <= 0 && pump->from == 0 && link->guest_gone)
    {
      link_unref (link);
      return;
    }

  /* One end closed or failed: the other end sees the same. */
  if (n <= 0)
    {
      link_cut (link, TERTULIA_TEST_RELAY_CUT_FIN);
      link_unref (link);
      return;
    }

  if (pump->from == 0 && link->held != NULL)
    {
      g_byte_array_append (link->held, pump->buffer, (guint) n);
      pump_read (pump);
      link_unref (link);
      return;
    }

  if (pump->from == 1 && link->guest_gone)
    {
      pump_read (pump);
      link_unref (link);
      return;
    }

  if (link->armed)
    {
      /* Half of it, so the receiver holds an unfinished frame. */
      n /= 2;
      if (n == 0)
        {
          link_cut (link, TERTULIA_TEST_RELAY_CUT_RESET);
          link_unref (link);
          return;
        }
      pump->partial = TRUE;
      g_clear_handle_id (&link->patience_id, g_source_remove);
    }

  out = g_io_stream_get_output_stream (G_IO_STREAM (link->conn[!pump->from]));
  /* The read's reference passes to the write. */
  g_output_stream_write_all_async (out, pump->buffer, (gsize) n, G_PRIORITY_DEFAULT,
                                   link->cancellable, pump_write_cb, pump);
}

static void
pump_read (Pump *pump)
{
  Link *link = pump->link;
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (link->conn[pump->from]));

  /* The read holds a reference on the link until its callback. */
  link_ref (link);
  g_input_stream_read_async (in, pump->buffer, sizeof pump->buffer, G_PRIORITY_DEFAULT,
                             link->cancellable, pump_read_cb, pump);
}

static gboolean
relay_incoming_cb (GSocketService    *service,
                   GSocketConnection *connection,
                   GObject           *source,
                   gpointer           user_data)
{
  TertuliaTestRelay *relay = user_data;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) upstream = NULL;
  g_autoptr(GError) error = NULL;
  Link *link;

  /* Loopback: connecting does not wait for the host to accept. */
  upstream = g_socket_client_connect_to_host (client, "127.0.0.1", (guint16) relay->target_port,
                                              NULL, &error);
  if (upstream == NULL)
    {
      g_debug ("Relay: the host is not there: %s", error->message);
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      return TRUE;
    }

  link = g_new0 (Link, 1);
  g_atomic_ref_count_init (&link->ref_count);
  link->relay = relay;
  link->conn[0] = g_object_ref (connection);
  link->conn[1] = g_steal_pointer (&upstream);
  link->cancellable = g_cancellable_new ();
  for (guint i = 0; i < 2; i++)
    {
      link->pump[i].link = link;
      link->pump[i].from = i;
    }
  g_ptr_array_add (relay->links, link);

  pump_read (&link->pump[0]);
  pump_read (&link->pump[1]);

  return TRUE;
}

TertuliaTestRelay *
tertulia_test_relay_new (guint target_port)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;
  TertuliaTestRelay *relay = g_new0 (TertuliaTestRelay, 1);

  relay->target_port = target_port;
  relay->links = g_ptr_array_new ();
  relay->service = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (relay->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &effective, &error);
  g_assert_no_error (error);
  relay->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect (relay->service, "incoming", G_CALLBACK (relay_incoming_cb), relay);
  g_socket_service_start (relay->service);

  return relay;
}

guint
tertulia_test_relay_get_port (TertuliaTestRelay *relay)
{
  return relay->port;
}

guint
tertulia_test_relay_get_n_links (TertuliaTestRelay *relay)
{
  guint n = 0;

  for (guint i = 0; i < relay->links->len; i++)
    {
      Link *link = g_ptr_array_index (relay->links, i);

      if (!link->guest_gone)
        n++;
    }

  return n;
}

gint64
tertulia_test_relay_get_last_cut_time (TertuliaTestRelay *relay)
{
  return relay->last_cut_time;
}

guint
tertulia_test_relay_get_n_partial_cuts (TertuliaTestRelay *relay)
{
  return relay->n_partial_cuts;
}

guint
tertulia_test_relay_cut (TertuliaTestRelay    *relay,
                         TertuliaTestRelayCut  how)
{
  guint n = 0;

  g_autoptr(GPtrArray) live = g_ptr_array_new ();

  /* Links already being cut are left to it. */
  for (guint i = 0; i < relay->links->len; i++)
    {
      Link *link = g_ptr_array_index (relay->links, i);

      if (!link->armed && link->held == NULL)
        g_ptr_array_add (live, link);
    }

  for (guint i = 0; i < live->len; i++)
    {
      Link *link = g_ptr_array_index (live, i);

      switch (how)
        {
        case TERTULIA_TEST_RELAY_CUT_MID_FRAME:
          link->armed = TRUE;
          link->patience_id = g_timeout_add (MID_FRAME_PATIENCE_MS, patience_cb, link);
          break;

        case TERTULIA_TEST_RELAY_CUT_LATE:
          link->held = g_byte_array_new ();
          link->late_id = g_timeout_add (LATE_HOLD_MS, late_guest_cb, link);
          break;

        case TERTULIA_TEST_RELAY_CUT_FIN:
        case TERTULIA_TEST_RELAY_CUT_RESET:
        default:
          link_cut (link, how);
          break;
        }
      n++;
    }

  return n;
}

void
tertulia_test_relay_free (TertuliaTestRelay *relay)
{
  while (relay->links->len > 0)
    link_cut (g_ptr_array_index (relay->links, relay->links->len - 1),
              TERTULIA_TEST_RELAY_CUT_FIN);
  g_socket_service_stop (relay->service);
  g_socket_listener_close (G_SOCKET_LISTENER (relay->service));
  g_signal_handlers_disconnect_by_data (relay->service, relay);
  g_clear_object (&relay->service);
  g_clear_pointer (&relay->links, g_ptr_array_unref);
  g_free (relay);
}

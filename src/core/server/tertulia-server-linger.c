/* tertulia-server-linger.c — closing a connection gracefully
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-server"

#include "config.h"

#include "tertulia-server-linger.h"


typedef struct
{
  GSocket   *socket;
  GIOStream *stream;
  GIOStream *tls;
  GBytes    *pending;
  gsize      sent;
  gsize      drained;
  GSource   *io_source;
  GSource   *timeout_source;
  gboolean   shut_down;
} Linger;

static void linger_watch (Linger *linger);

static void
linger_finish (Linger *linger)
{
  if (linger->io_source != NULL)
    {
      g_source_destroy (linger->io_source);
      g_source_unref (linger->io_source);
    }
  g_source_destroy (linger->timeout_source);
  g_source_unref (linger->timeout_source);

  /* Closing the stream may leave the socket open (it is not always a
   * GSocketConnection): the socket is closed in any case.
   */
  if (linger->stream != NULL)
    g_io_stream_close (linger->stream, NULL, NULL);
  g_socket_close (linger->socket, NULL);

  g_clear_object (&linger->stream);
  g_clear_object (&linger->tls);
  g_clear_object (&linger->socket);
  g_clear_pointer (&linger->pending, g_bytes_unref);
  g_free (linger);
}

static gboolean
linger_timeout_cb (gpointer user_data)
{
  Linger *linger = user_data;

  g_debug ("closing a connection that did not close in time");
  linger_finish (linger);

  return G_SOURCE_REMOVE;
}

static gboolean
linger_io_cb (GSocket      *socket,
              GIOCondition  condition,
              gpointer      user_data)
{
  Linger *linger = user_data;
  gboolean had_pending = linger->pending != NULL;

  if (linger->pending != NULL && (condition & (G_IO_OUT | G_IO_ERR | G_IO_HUP)))
    {
      gsize length;
      const char *data = g_bytes_get_data (linger->pending, &length);
      gssize n;

      if (linger->tls != NULL)
        n = g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (linger->tls)),
                                                        data + linger->sent, length - linger->sent,
                                                        NULL, NULL);
      else
        n = g_socket_send_with_blocking (socket, data + linger->sent, length - linger->sent,
                                         FALSE, NULL, NULL);

      if (n < 0 && (condition & (G_IO_ERR | G_IO_HUP)))
        {
          linger_finish (linger);
          return G_SOURCE_REMOVE;
        }
      if (n > 0)
        linger->sent += (gsize) n;
      if (linger->sent == length)
        g_clear_pointer (&linger->pending, g_bytes_unref);
    }

  if (condition & (G_IO_IN | G_IO_ERR | G_IO_HUP))
    {
      char buffer[16 * 1024];
      gssize n = g_socket_receive_with_blocking (socket, buffer, sizeof buffer, FALSE, NULL, NULL);

      /* The end (or a reset): nothing is left to say goodbye to */
      if (n == 0 || (n < 0 && (condition & (G_IO_ERR | G_IO_HUP))))
        {
          linger_finish (linger);
          return G_SOURCE_REMOVE;
        }
      if (n > 0)
        linger->drained += (gsize) n;
      if (linger->drained > TERTULIA_LINGER_MAX_BYTES)
        {
          g_debug ("closing a connection that keeps sending");
          linger_finish (linger);
          return G_SOURCE_REMOVE;
        }
    }

  if (had_pending && linger->pending == NULL)
    {
      g_clear_pointer (&linger->io_source, g_source_unref);
      linger_watch (linger);
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static void
linger_watch (Linger *linger)
{
  if (linger->pending == NULL && !linger->shut_down)
    {
      g_socket_shutdown (linger->socket, FALSE, TRUE, NULL);
      linger->shut_down = TRUE;
    }

  linger->io_source = g_socket_create_source (linger->socket,
                                              G_IO_IN | (linger->pending != NULL ? G_IO_OUT : 0),
                                              NULL);
  g_source_set_static_name (linger->io_source, "[tertulia] graceful close");
  g_source_set_callback (linger->io_source, G_SOURCE_FUNC (linger_io_cb), linger, NULL);
  g_source_attach (linger->io_source, g_main_context_get_thread_default ());
}

void
tertulia_linger_close (GSocket   *socket,
                       GIOStream *stream,
                       GBytes    *pending,
                       guint      timeout_msec)
{
  Linger *linger;

  g_return_if_fail (G_IS_SOCKET (socket));
  g_return_if_fail (stream == NULL || G_IS_IO_STREAM (stream));

  linger = g_new0 (Linger, 1);
  linger->socket = g_object_ref (socket);
  linger->stream = stream != NULL ? g_object_ref (stream) : NULL;
  /* The answer goes through TLS; the draining that follows reads the
   * socket itself, since nothing said after our FIN is read anyway.
   */
  if (tertulia_socket_get_tls (socket) != NULL)
    linger->tls = g_object_ref (tertulia_socket_get_tls (socket));
  if (pending != NULL && g_bytes_get_size (pending) > 0)
    linger->pending = g_bytes_ref (pending);

  linger->timeout_source = g_timeout_source_new (timeout_msec);
  g_source_set_static_name (linger->timeout_source, "[tertulia] graceful close deadline");
  g_source_set_callback (linger->timeout_source, linger_timeout_cb, linger, NULL);
  g_source_attach (linger->timeout_source, g_main_context_get_thread_default ());

  linger_watch (linger);
}

static GQuark
tls_quark (void)
{
  static GQuark quark;

  if (quark == 0)
    quark = g_quark_from_static_string ("tertulia-tls");
  return quark;
}

GIOStream *
tertulia_socket_get_tls (GSocket *socket)
{
  g_return_val_if_fail (G_IS_SOCKET (socket), NULL);

  return g_object_get_qdata (G_OBJECT (socket), tls_quark ());
}

/* The socket only points at its TLS connection (which holds the socket
 * through its base stream): whoever hands the connection on keeps it.
 */
void
tertulia_socket_set_tls (GSocket   *socket,
                         GIOStream *tls)
{
  g_return_if_fail (G_IS_SOCKET (socket));

  g_object_set_qdata (G_OBJECT (socket), tls_quark (), tls);
}

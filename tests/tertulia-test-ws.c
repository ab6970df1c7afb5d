/* tertulia-test-ws.c — a WebSocket client written by hand, for hostile tests
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-test-ws"
/* memmem */
#define _GNU_SOURCE

#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <json-glib/json-glib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "tertulia-protocol.h"
#include "tertulia-test-ws.h"
#include "tertulia-test-utils.h"

#define SLICE_MS 10

/* linux/in.h has it; netinet/in.h does not */
#if defined(__linux__) && !defined(IP_BIND_ADDRESS_NO_PORT)
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

/* Waits up to SLICE_MS for @events on the socket, letting an in-process
 * server run meanwhile.
 */
static gboolean
ws_poll (TestWs *ws,
         short   events)
{
  struct pollfd pfd = { ws->fd, events, 0 };

  if (ws->pump)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      return poll (&pfd, 1, 1) > 0;
    }

  return poll (&pfd, 1, SLICE_MS) > 0;
}

static void
ws_write_all (TestWs     *ws,
              const void *data,
              gsize       length)
{
  const guint8 *p = data;

  while (length > 0 && !ws->write_failed)
    {
      gssize n = send (ws->fd, p, length, MSG_NOSIGNAL | MSG_DONTWAIT);

      if (n > 0)
        {
          p += n;
          length -= (gsize) n;
        }
      else if (n < 0 && (errno == EAGAIN || errno == EINTR))
        {
          ws_poll (ws, POLLOUT);
        }
      else
        {
          g_debug ("write failed: %s", g_strerror (errno));
          ws->write_failed = TRUE;
        }
    }
}

/* Reads what is there into ws->in; FALSE at the end of the connection. */
static gboolean
ws_fill (TestWs *ws)
{
  guint8 buffer[65536];
  gssize n = recv (ws->fd, buffer, sizeof buffer, MSG_DONTWAIT);

  if (n > 0)
    {
      g_byte_array_append (ws->in, buffer, (guint) n);
      ws->bytes_read += (guint64) n;
      return TRUE;
    }

  if (n < 0 && (errno == EAGAIN || errno == EINTR))
    return TRUE;

  ws->closed = TRUE;
  return FALSE;
}

static int
ws_socket (guint       port,
           int         rcvbuf,
           const char *from)
{
  struct sockaddr_in addr = { 0 };
  int fd = socket (AF_INET, SOCK_STREAM, 0);
  int one = 1;

  g_assert_cmpint (fd, >=, 0);
  /* A frame goes out as header and payload: without this, Nagle and
   * delayed ACKs add 40 ms to every round trip.
   */
  g_assert_cmpint (setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one), ==, 0);

  if (rcvbuf > 0)
    g_assert_cmpint (setsockopt (fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf), ==, 0);

  addr.sin_family = AF_INET;
  if (from != NULL)
    {
#ifdef IP_BIND_ADDRESS_NO_PORT
      /* The port is chosen at connect(), knowing the destination: bind()
       * alone searches for one no socket uses, which gets slow with
       * thousands of connections in TIME_WAIT.
       */
      setsockopt (fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
#endif
      g_assert_cmpint (inet_pton (AF_INET, from, &addr.sin_addr), ==, 1);
      g_assert_cmpint (bind (fd, (struct sockaddr *) &addr, sizeof addr), ==, 0);
    }
  addr.sin_port = htons ((guint16) port);
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  /* The kernel completes the TCP handshake from the listen backlog, so a
   * blocking connect() works even when the server is in this process.
   */
  g_assert_cmpint (connect (fd, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  g_assert_cmpint (fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) | O_NONBLOCK), ==, 0);

  return fd;
}

static TestWs *
ws_new (guint       port,
        gboolean    pump,
        int         rcvbuf,
        const char *from)
{
  TestWs *ws = g_new0 (TestWs, 1);

  ws->fd = ws_socket (port, rcvbuf, from);
  ws->pump = pump;
  ws->in = g_byte_array_new ();
  ws->auto_pong = TRUE;

  return ws;
}

/* Sends the upgrade request and reads the answer's head; returns its
 * status, 0 when none came.
 */
static guint
ws_upgrade (TestWs *ws,
            guint   port)
{
  g_autofree char *request = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  request = test_ws_upgrade_request (port);
  ws_write_all (ws, request, strlen (request));

  for (;;)
    {
      guint8 *end = NULL;

      if (ws->in->len >= 4)
        end = memmem (ws->in->data, ws->in->len, "\r\n\r\n", 4);

      if (end != NULL)
        {
          g_autofree char *head = g_strndup ((char *) ws->in->data, (gsize) (end - ws->in->data));

          g_byte_array_remove_range (ws->in, 0, (guint) (end + 4 - ws->in->data));
          if (!g_str_has_prefix (head, "HTTP/1.1 "))
            return 0;
          return (guint) g_ascii_strtoull (head + 9, NULL, 10);
        }

      if (!ws_fill (ws) || g_get_monotonic_time () > deadline)
        return 0;
      /* Only when the head is not all there yet */
      if (ws->in->len < 4 || memmem (ws->in->data, ws->in->len, "\r\n\r\n", 4) == NULL)
        ws_poll (ws, POLLIN);
    }
}

guint
test_ws_try_connect (guint     port,
                     gboolean  pump,
                     TestWs  **out)
{
  return test_ws_try_connect_from (port, pump, NULL, out);
}

guint
test_ws_try_connect_from (guint       port,
                          gboolean    pump,
                          const char *from,
                          TestWs    **out)
{
  TestWs *ws = ws_new (port, pump, 0, from);
  guint status = ws_upgrade (ws, port);

  /* What came after a refusal's head is its body, not frames */
  if (status != 101)
    g_byte_array_set_size (ws->in, 0);

  *out = ws;
  return status;
}

TestWs *
test_ws_connect (guint    port,
                 gboolean pump,
                 int      rcvbuf)
{
  TestWs *ws = ws_new (port, pump, rcvbuf, NULL);

  g_assert_cmpuint (ws_upgrade (ws, port), ==, 101);

  return ws;
}

char *
test_ws_upgrade_request (guint port)
{
  return g_strdup_printf ("GET " TERTULIA_WEBSOCKET_PATH " HTTP/1.1\r\n"
                          "Host: 127.0.0.1:%u\r\n"
                          "Upgrade: websocket\r\n"
                          "Connection: Upgrade\r\n"
                          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                          "Sec-WebSocket-Version: 13\r\n"
                          "Sec-WebSocket-Protocol: " TERTULIA_SUBPROTOCOL "\r\n"
                          "\r\n", port);
}

guint
test_server_wait_for_port (const char *log_path)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      g_autofree char *log = NULL;
      const char *p;

      if (g_file_get_contents (log_path, &log, NULL, NULL) &&
          (p = strstr (log, " is open on port ")) != NULL)
        return (guint) g_ascii_strtoull (p + strlen (" is open on port "), NULL, 10);

      g_usleep (20 * 1000);
    }

  g_error ("tertulia-server did not say which port it listens on");
}

void
test_die_with_parent (gpointer user_data)
{
#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGKILL);
#endif
}

guint
test_proc_n_fds (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/fd", (int) pid);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;

  return n;
}

int
test_raw_connect (guint       port,
                  const char *from)
{
  return ws_socket (port, 0, from);
}

void
test_ws_free (TestWs *ws)
{
  if (ws == NULL)
    return;

  close (ws->fd);
  g_byte_array_unref (ws->in);
  g_free (ws->close_reason);
  g_free (ws);
}

gsize
test_ws_frame_header (guint8       *header,
                      guint8        opcode,
                      gboolean      fin,
                      gsize         length,
                      const guint8 *mask)
{
  gsize header_length = 2;

  header[0] = (guint8) ((fin ? 0x80 : 0x00) | (opcode & 0x0f));
  if (length < 126)
    header[1] = (guint8) (0x80 | length);
  else if (length < 65536)
    {
      header[1] = 0x80 | 126;
      header[2] = (guint8) (length >> 8);
      header[3] = (guint8) length;
      header_length = 4;
    }
  else
    {
      header[1] = 0x80 | 127;
      for (guint i = 0; i < 8; i++)
        header[2 + i] = (guint8) ((guint64) length >> (8 * (7 - i)));
      header_length = 10;
    }
  memcpy (header + header_length, mask, 4);

  return header_length + 4;
}

void
test_ws_send_frame (TestWs     *ws,
                    guint8      opcode,
                    gboolean    fin,
                    const void *data,
                    gsize       length)
{
  guint8 header[14];
  gsize header_length;
  guint32 mask_value = g_random_int ();
  guint8 mask[4];
  const guint8 *in = data;
  guint8 chunk[16384];
  gsize done = 0;

  memcpy (mask, &mask_value, sizeof mask);
  header_length = test_ws_frame_header (header, opcode, fin, length, mask);
  ws_write_all (ws, header, header_length);

  /* Masked a chunk at a time, so 5 MB need no 5 MB copy */
  while (done < length && !ws->write_failed)
    {
      gsize n = MIN (sizeof chunk, length - done);

      for (gsize i = 0; i < n; i++)
        chunk[i] = in[done + i] ^ mask[(done + i) & 3];
      ws_write_all (ws, chunk, n);
      done += n;
    }
}

void
test_ws_send_text (TestWs     *ws,
                   const char *text)
{
  test_ws_send_frame (ws, TEST_WS_OP_TEXT, TRUE, text, strlen (text));
}

/* One whole frame from ws->in, if there is one. */
static gboolean
ws_take_frame (TestWs      *ws,
               guint8      *opcode,
               GByteArray **payload)
{
  const guint8 *p = ws->in->data;
  gsize have = ws->in->len;
  gsize header_length = 2;
  guint64 length;

  if (have < 2)
    return FALSE;

  /* The host never masks and never fragments */
  g_assert_cmpuint (p[1] & 0x80, ==, 0);
  g_assert_cmpuint (p[0] & 0x80, ==, 0x80);

  length = p[1] & 0x7f;
  if (length == 126)
    {
      if (have < 4)
        return FALSE;
      length = ((guint64) p[2] << 8) | p[3];
      header_length = 4;
    }
  else if (length == 127)
    {
      if (have < 10)
        return FALSE;
      length = 0;
      for (guint i = 0; i < 8; i++)
        length = (length << 8) | p[2 + i];
      header_length = 10;
    }

  if (have < header_length + length)
    return FALSE;

  *opcode = p[0] & 0x0f;
  *payload = g_byte_array_sized_new ((guint) length + 1);
  g_byte_array_append (*payload, p + header_length, (guint) length);
  g_byte_array_remove_range (ws->in, 0, (guint) (header_length + length));

  return TRUE;
}

/* The next frame that is not a control frame; control frames are dealt
 * with on the way. NULL on close or timeout.
 */
static GByteArray *
ws_read_message (TestWs *ws,
                 guint   timeout_ms,
                 guint8 *opcode)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  for (;;)
    {
      GByteArray *payload = NULL;

      while (ws_take_frame (ws, opcode, &payload))
        {
          if (*opcode == TEST_WS_OP_PING)
            {
              if (ws->auto_pong)
                test_ws_send_frame (ws, TEST_WS_OP_PONG, TRUE, payload->data, payload->len);
              g_byte_array_unref (payload);
            }
          else if (*opcode == TEST_WS_OP_CLOSE)
            {
              if (payload->len >= 2)
                {
                  ws->close_code = (gushort) ((payload->data[0] << 8) | payload->data[1]);
                  ws->close_reason = g_strndup ((char *) payload->data + 2, payload->len - 2);
                }
              /* Answering lets the host finish the close at once */
              if (!ws->closed)
                test_ws_send_frame (ws, TEST_WS_OP_CLOSE, TRUE, payload->data, MIN (payload->len, 2));
              ws->closed = TRUE;
              g_byte_array_unref (payload);
              return NULL;
            }
          else if (*opcode == TEST_WS_OP_PONG)
            {
              g_byte_array_unref (payload);
            }
          else
            {
              return payload;
            }
        }

      if (ws->closed || g_get_monotonic_time () > deadline)
        return NULL;

      if (ws_poll (ws, POLLIN) || ws->pump)
        {
          if (!ws_fill (ws))
            {
              /* Frames read before the end still count */
              continue;
            }
        }
    }
}

char *
test_ws_read_text (TestWs *ws,
                   guint   timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  for (;;)
    {
      gint64 left = (deadline - g_get_monotonic_time ()) / 1000;
      GByteArray *payload;
      guint8 opcode = 0;

      if (left < 0)
        return NULL;

      payload = ws_read_message (ws, (guint) left, &opcode);
      if (payload == NULL)
        return NULL;

      if (opcode == TEST_WS_OP_TEXT)
        {
          g_byte_array_append (payload, (const guint8 *) "", 1);
          return (char *) g_byte_array_free (payload, FALSE);
        }

      g_byte_array_unref (payload);
    }
}

char *
test_ws_read_until (TestWs     *ws,
                    const char *type,
                    const char *needle,
                    guint       timeout_ms)
{
  g_autofree char *type_member = g_strdup_printf ("{\"type\":\"%s\"", type);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  for (;;)
    {
      gint64 left = (deadline - g_get_monotonic_time ()) / 1000;
      char *text;

      if (left < 0)
        return NULL;

      text = test_ws_read_text (ws, (guint) left);
      if (text == NULL)
        return NULL;

      if (g_str_has_prefix (text, type_member) &&
          (needle == NULL || strstr (text, needle) != NULL))
        return text;

      g_free (text);
    }
}

gboolean
test_ws_wait_closed (TestWs *ws,
                     guint   timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!ws->closed)
    {
      gint64 left = (deadline - g_get_monotonic_time ()) / 1000;
      GByteArray *payload;
      guint8 opcode;

      if (left < 0)
        return FALSE;

      payload = ws_read_message (ws, (guint) left, &opcode);
      if (payload != NULL)
        g_byte_array_unref (payload);
    }

  return TRUE;
}

void
test_ws_drain (TestWs *ws)
{
  while (!ws->closed)
    {
      guint before = ws->in->len;

      if (!ws_fill (ws) || ws->in->len == before)
        break;
    }

  /* Keep only what is needed to find frames later: drop whole frames */
  for (;;)
    {
      GByteArray *payload = NULL;
      guint8 opcode;

      if (!ws_take_frame (ws, &opcode, &payload))
        break;
      if (opcode == TEST_WS_OP_CLOSE)
        {
          if (payload->len >= 2)
            ws->close_code = (gushort) ((payload->data[0] << 8) | payload->data[1]);
          ws->closed = TRUE;
        }
      else if (opcode == TEST_WS_OP_PING && ws->auto_pong)
        test_ws_send_frame (ws, TEST_WS_OP_PONG, TRUE, payload->data, payload->len);
      g_byte_array_unref (payload);
    }
}

char *
test_ws_join (TestWs     *ws,
              const char *hello)
{
  char *welcome;

  test_ws_send_text (ws, hello);
  welcome = test_ws_read_until (ws, "welcome", NULL, 10000);
  g_assert_nonnull (welcome);

  return welcome;
}

char *
test_json_get_string (const char *json,
                      const char *member)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;

  if (!json_parser_load_from_data (parser, json, -1, NULL))
    return NULL;

  object = json_node_get_object (json_parser_get_root (parser));
  if (object == NULL || !json_object_has_member (object, member))
    return NULL;

  return g_strdup (json_object_get_string_member (object, member));
}

static guint64
proc_status_kib (GPid        pid,
                 const char *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *contents = NULL;
  const char *line;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return 0;

  line = strstr (contents, field);
  if (line == NULL)
    return 0;

  return g_ascii_strtoull (line + strlen (field), NULL, 10);
}

guint64
test_proc_rss_kib (GPid pid)
{
  return proc_status_kib (pid, "VmRSS:");
}

guint64
test_proc_hwm_kib (GPid pid)
{
  return proc_status_kib (pid, "VmHWM:");
}

gboolean
test_rss_is_meaningful (void)
{
  return g_getenv ("TERTULIA_UNDER_ASAN") == NULL;
}

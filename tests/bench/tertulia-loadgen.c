/* tertulia-loadgen.c — many WebSocket guests in one process, for benchmarks
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A load generator for tertulia-server. It must never be the bottleneck, so
 * it is one thread around epoll, speaks just enough of WebSocket (RFC 6455)
 * and of docs/PROTOCOL.md by hand, and never parses JSON: it looks at the
 * frame's "type" and, for messages, finds the "text" member, into which the
 * senders put "t=<CLOCK_MONOTONIC ns> s=<sender> n=<counter>". Sender and
 * receivers are in this process, so the clock is the same one.
 *
 * Modes (one JSON line on stdout per run):
 *   saturation  N clients join, K of them send; each sender keeps W messages
 *               in flight and sends the next one when its own echo (or an
 *               error about it) comes back.
 *   rate        N clients join, K senders send R messages/s each, paced by a
 *               timerfd, whatever the echoes do.
 *   idle        clients join in steps (--steps 1000,5000) and are held; the
 *               server's RSS is read after each step has settled.
 *   selftest    no tertulia-server: a forked child accepts N connections and
 *               writes pre-framed message frames as fast as it can, so the
 *               figure is this program's own ceiling in frames/s.
 *
 * With --server-pid, the server's CPU time (utime+stime from /proc) over the
 * measurement window and its RSS are part of the result.
 */

#define G_LOG_DOMAIN "tertulia-loadgen"
/* memmem */
#define _GNU_SOURCE

#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <gnutls/gnutls.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RBUF_SIZE        (64 * 1024)
/* After a big frame (a welcome with 5 000 participants is ~0.5 MB) the
 * buffer goes back to this size, so 5 000 held clients stay cheap here.
 */
#define RBUF_KEEP        (64 * 1024)
#define MAX_EVENTS       256
#define WS_GUID          "258EAFA5-E914-47DA-95CA-C5AB0DC11B85"
#define WS_KEY           "dGhlIHNhbXBsZSBub25jZQ=="
#define NS_PER_SEC       G_GINT64_CONSTANT (1000000000)
#define TEXT_MEMBER      "\"text\":\""
#define TYPE_PREFIX      "{\"type\":\""
#define CODE_MEMBER      "\"code\":\""

typedef enum
{
  MODE_SATURATION,
  MODE_RATE,
  MODE_IDLE,
  MODE_SELFTEST,
} Mode;

typedef enum
{
  CONN_CONNECTING,   /* non-blocking connect() under way */
  CONN_TLS,          /* --tls: the TLS handshake under way */
  CONN_UPGRADING,    /* upgrade request sent, waiting for 101 */
  CONN_JOINING,      /* hello sent, waiting for welcome */
  CONN_JOINED,
  CONN_CLOSED,
} ConnState;

typedef struct
{
  int        fd;
  ConnState  state;
  guint      index;
  int        sender;        /* index among the senders, or -1 */
  guint32    mask_seed;

  guint8    *rbuf;
  gsize      rlen;
  gsize      rcap;

  guint8    *wbuf;          /* what write() did not take yet */
  gsize      wstart;
  gsize      wlen;
  gsize      wcap;
  gboolean   want_out;

  /* --tls: the session, and a record that went out in part (GnuTLS must
   * be called again to send the rest of it before anything else)
   */
  gnutls_session_t tls;
  gboolean   tls_pending;

  /* senders */
  guint      in_flight;
  guint64    counter;
  gint64     next_send_ns;
} Conn;

/* Latency histogram: log-linear, 64 sub-buckets per power of two, so a
 * bucket is at most 1/64 (1.6 %) wide. Cheap enough for every frame.
 */
#define HIST_SUB_BITS 6
#define HIST_SUB      (1 << HIST_SUB_BITS)
#define HIST_BUCKETS  (64 * HIST_SUB)

typedef struct
{
  guint64 buckets[HIST_BUCKETS];
  guint64 count;
  guint64 max;
  guint64 min;
} Histogram;

typedef struct
{
  guint64 utime_ticks;
  guint64 stime_ticks;
  gint64  rss_kb;
  gint64  hwm_kb;
  gboolean ok;
} ProcSample;

/* Options */
static char     *opt_mode = NULL;
static char     *opt_scenario = NULL;
static gint      opt_port = 0;
static gboolean  opt_tls = FALSE;
static gnutls_certificate_credentials_t tls_credentials;
static gint      opt_clients = 100;
static gint      opt_senders = 10;
static gint      opt_window = 8;
static gdouble   opt_rate = 10.0;
static gdouble   opt_duration = 10.0;
static gdouble   opt_warmup = 2.0;
static char     *opt_steps = NULL;
static gint      opt_text_bytes = 64;
static gint      opt_server_pid = 0;
static gint      opt_parallel = 8;
static gdouble   opt_join_timeout = 240.0;
static gdouble   opt_settle = 1.0;
static gint      opt_blast_batch = 0;
static char     *opt_tag = NULL;

/* State */
static Mode       mode;
static int        epfd = -1;
static int        timer_fd = -1;
static Conn      *conns;
static guint      n_conns;           /* target, grows in idle mode steps */
static guint      n_started;
static guint      n_handshaking;     /* started, neither joined nor closed */
static guint      n_joined;
static guint      n_closed;
static guint      n_failed_connects;
static struct sockaddr_in server_addr;
static gboolean   sending;
static gboolean   recording;         /* latencies go into the histogram */
static Conn     **senders;
static guint      n_senders;
static Histogram  latency;
static GHashTable *error_codes;      /* code → count */
static char       *close_reason;
/* The last text frame: pings (every 15 s per connection) do not count as
 * the server being busy.
 */
static gint64      last_text_ns;

static guint64    frames_rx;
static guint64    messages_rx;
static guint64    bytes_rx;
static guint64    messages_sent;
static guint64    foreign_texts;     /* messages whose text is not ours */

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

G_GNUC_NORETURN static void
die (const char *what)
{
  fprintf (stderr, "tertulia-loadgen: %s: %s\n", what, g_strerror (errno));
  exit (2);
}

/* Histogram */

static guint
hist_index (guint64 v)
{
  int msb;
  int shift;

  if (v < HIST_SUB)
    return (guint) v;
  msb = 63 - __builtin_clzll (v);
  shift = msb - HIST_SUB_BITS;
  return (guint) ((shift + 1) * HIST_SUB + ((v >> shift) & (HIST_SUB - 1)));
}

/* The middle of bucket @i. */
static guint64
hist_value (guint i)
{
  guint shift;
  guint64 low;

  if (i < HIST_SUB)
    return i;
  shift = i / HIST_SUB - 1;
  low = ((guint64) HIST_SUB + (i % HIST_SUB)) << shift;
  return low + (((guint64) 1 << shift) >> 1);
}

static void
hist_add (Histogram *h,
          guint64    v)
{
  h->buckets[hist_index (v)]++;
  if (h->count == 0 || v < h->min)
    h->min = v;
  if (v > h->max)
    h->max = v;
  h->count++;
}

static guint64
hist_percentile (const Histogram *h,
                 double           p)
{
  guint64 rank;
  guint64 seen = 0;

  if (h->count == 0)
    return 0;
  rank = (guint64) (p / 100.0 * (double) h->count);
  if (rank >= h->count)
    rank = h->count - 1;
  for (guint i = 0; i < HIST_BUCKETS; i++)
    {
      seen += h->buckets[i];
      if (seen > rank)
        return MIN (MAX (hist_value (i), h->min), h->max);
    }
  return h->max;
}

/* /proc */

static ProcSample
proc_sample (int pid)
{
  ProcSample s = { 0, };
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  const char *p;

  if (pid <= 0)
    return s;

  path = g_strdup_printf ("/proc/%d/stat", pid);
  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return s;
  /* The command name may hold spaces; the fields after it do not. */
  p = strrchr (contents, ')');
  if (p != NULL)
    {
      g_auto(GStrv) fields = g_strsplit (p + 2, " ", 0);

      /* After ")": state is field 3; utime is 14 and stime 15. */
      if (g_strv_length (fields) > 13)
        {
          s.utime_ticks = g_ascii_strtoull (fields[11], NULL, 10);
          s.stime_ticks = g_ascii_strtoull (fields[12], NULL, 10);
          s.ok = TRUE;
        }
    }

  g_clear_pointer (&path, g_free);
  g_clear_pointer (&contents, g_free);
  path = g_strdup_printf ("/proc/%d/status", pid);
  if (g_file_get_contents (path, &contents, NULL, NULL))
    {
      const char *rss = strstr (contents, "VmRSS:");
      const char *hwm = strstr (contents, "VmHWM:");

      if (rss != NULL)
        s.rss_kb = g_ascii_strtoll (rss + 6, NULL, 10);
      if (hwm != NULL)
        s.hwm_kb = g_ascii_strtoll (hwm + 6, NULL, 10);
    }

  return s;
}

static double
proc_cpu_seconds (const ProcSample *before,
                  const ProcSample *after)
{
  return (double) ((after->utime_ticks + after->stime_ticks) -
                   (before->utime_ticks + before->stime_ticks)) / (double) sysconf (_SC_CLK_TCK);
}

static double
self_cpu_seconds (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return (double) ru.ru_utime.tv_sec + (double) ru.ru_utime.tv_usec / 1e6 +
         (double) ru.ru_stime.tv_sec + (double) ru.ru_stime.tv_usec / 1e6;
}

/* Writing */

static void
conn_update_events (Conn *c)
{
  struct epoll_event ev;

  ev.events = EPOLLIN | (c->want_out ? EPOLLOUT : 0);
  ev.data.ptr = c;
  if (epoll_ctl (epfd, EPOLL_CTL_MOD, c->fd, &ev) < 0)
    die ("epoll_ctl");
}

static void conn_close (Conn *c, const char *why);

/* write() and read(), or their TLS records: -1 with errno EAGAIN when
 * they would block, as the plain calls do
 */
static ssize_t
conn_send (Conn       *c,
           const void *data,
           gsize       len)
{
  ssize_t r;

  if (c->tls == NULL)
    return write (c->fd, data, len);

  /* The record begun earlier is the first bytes of @data (see conn_write) */
  if (c->tls_pending)
    r = gnutls_record_send (c->tls, NULL, 0);
  else
    r = gnutls_record_send (c->tls, data, MIN (len, 16384));

  if (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED)
    {
      c->tls_pending = TRUE;
      errno = EAGAIN;
      return -1;
    }
  c->tls_pending = FALSE;
  if (r < 0)
    {
      errno = EIO;
      return -1;
    }
  return r;
}

static ssize_t
conn_recv (Conn  *c,
           void  *data,
           gsize  len)
{
  ssize_t r;

  if (c->tls == NULL)
    return read (c->fd, data, len);

  r = gnutls_record_recv (c->tls, data, len);
  if (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED)
    {
      errno = EAGAIN;
      return -1;
    }
  if (r == GNUTLS_E_PREMATURE_TERMINATION)
    return 0;
  if (r < 0)
    {
      errno = EIO;
      return -1;
    }
  return r;
}

static void
conn_flush (Conn *c)
{
  while (c->wlen > 0)
    {
      ssize_t n = conn_send (c, c->wbuf + c->wstart, c->wlen);

      if (n < 0)
        {
          if (errno == EAGAIN)
            break;
          if (errno == EINTR)
            continue;
          conn_close (c, "write failed");
          return;
        }
      c->wstart += (gsize) n;
      c->wlen -= (gsize) n;
    }

  if (c->wlen == 0)
    c->wstart = 0;
  if (c->want_out != (c->wlen > 0))
    {
      c->want_out = c->wlen > 0;
      conn_update_events (c);
    }
}

static void
conn_write (Conn       *c,
            const void *data,
            gsize       len)
{
  if (c->state == CONN_CLOSED)
    return;

  if (c->wlen == 0)
    {
      ssize_t n = conn_send (c, data, len);

      if (n < 0)
        {
          if (errno != EAGAIN && errno != EINTR)
            {
              conn_close (c, "write failed");
              return;
            }
          n = 0;
        }
      if ((gsize) n == len)
        return;
      data = (const guint8 *) data + n;
      len -= (gsize) n;
    }

  if (c->wstart + c->wlen + len > c->wcap)
    {
      memmove (c->wbuf, c->wbuf + c->wstart, c->wlen);
      c->wstart = 0;
      if (c->wlen + len > c->wcap)
        {
          c->wcap = MAX (c->wcap * 2, c->wlen + len + 4096);
          c->wbuf = g_realloc (c->wbuf, c->wcap);
        }
    }
  memcpy (c->wbuf + c->wstart + c->wlen, data, len);
  c->wlen += len;
  conn_flush (c);
}

/* A masked client frame (RFC 6455 5.3: clients must mask). */
static void
conn_send_frame (Conn       *c,
                 guint8      opcode,
                 const char *payload,
                 gsize       len)
{
  guint8 stack[512];
  guint8 *frame = stack;
  gsize header;
  guint8 mask[4];

  g_assert (len < 65536);

  if (len + 8 > sizeof stack)
    frame = g_malloc (len + 8);

  frame[0] = 0x80 | opcode;
  if (len < 126)
    {
      frame[1] = 0x80 | (guint8) len;
      header = 2;
    }
  else
    {
      frame[1] = 0x80 | 126;
      frame[2] = (guint8) (len >> 8);
      frame[3] = (guint8) len;
      header = 4;
    }

  /* xorshift: the mask only has to vary, not be secret, here */
  c->mask_seed ^= c->mask_seed << 13;
  c->mask_seed ^= c->mask_seed >> 17;
  c->mask_seed ^= c->mask_seed << 5;
  memcpy (mask, &c->mask_seed, 4);
  memcpy (frame + header, mask, 4);
  for (gsize i = 0; i < len; i++)
    frame[header + 4 + i] = (guint8) payload[i] ^ mask[i & 3];

  conn_write (c, frame, header + 4 + len);

  if (frame != stack)
    g_free (frame);
}

static void
conn_send_message (Conn *c)
{
  char text[4096];
  char json[4300];
  int n;
  int m;

  n = g_snprintf (text, sizeof text, "%s%st=%" G_GINT64_FORMAT " s=%d n=%" G_GUINT64_FORMAT " ",
                  opt_tag != NULL ? opt_tag : "", opt_tag != NULL ? ":" : "",
                  now_ns (), c->sender, c->counter);
  while (n < opt_text_bytes && n < (int) sizeof text - 1)
    text[n++] = 'x';
  text[n] = '\0';

  m = g_snprintf (json, sizeof json,
                  "{\"type\":\"say\",\"cid\":\"%" G_GUINT64_FORMAT "\",\"text\":\"%s\"}",
                  c->counter, text);
  c->counter++;
  c->in_flight++;
  messages_sent++;
  conn_send_frame (c, 0x1, json, (gsize) m);
}

/* Connections */

static void
conn_close (Conn       *c,
            const char *why)
{
  if (c->state == CONN_CLOSED)
    return;

  if (c->state != CONN_JOINED)
    n_handshaking--;
  else
    n_joined--;
  c->state = CONN_CLOSED;
  n_closed++;
  if (close_reason == NULL)
    close_reason = g_strdup_printf ("client %u: %s", c->index, why);
  epoll_ctl (epfd, EPOLL_CTL_DEL, c->fd, NULL);
  if (c->tls != NULL)
    gnutls_deinit (c->tls);
  c->tls = NULL;
  close (c->fd);
  c->fd = -1;
  g_clear_pointer (&c->rbuf, g_free);
  g_clear_pointer (&c->wbuf, g_free);
}

static void
conn_start (Conn  *c,
            guint  index)
{
  struct epoll_event ev;
  int one = 1;

  memset (c, 0, sizeof *c);
  c->index = index;
  c->sender = -1;
  c->mask_seed = 2463534242u + index * 2654435761u;
  if (c->mask_seed == 0)
    c->mask_seed = 1;
  c->rcap = RBUF_SIZE;
  c->rbuf = g_malloc (c->rcap);

  c->fd = socket (AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (c->fd < 0)
    die ("socket");
  setsockopt (c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

  n_started++;
  n_handshaking++;
  c->state = CONN_CONNECTING;

  ev.events = EPOLLOUT | EPOLLIN;
  ev.data.ptr = c;
  if (epoll_ctl (epfd, EPOLL_CTL_ADD, c->fd, &ev) < 0)
    die ("epoll_ctl");

  if (connect (c->fd, (struct sockaddr *) &server_addr, sizeof server_addr) < 0 &&
      errno != EINPROGRESS)
    {
      n_failed_connects++;
      conn_close (c, g_strerror (errno));
    }
}

static void conn_upgrade (Conn *c);

/* --tls: the handshake goes on as the socket allows; any certificate is
 * taken (the load, not the trust, is measured)
 */
static void
conn_handshake (Conn *c)
{
  int r = gnutls_handshake (c->tls);
  gboolean want_out;

  if (r == GNUTLS_E_AGAIN || r == GNUTLS_E_INTERRUPTED)
    {
      want_out = gnutls_record_get_direction (c->tls) == 1;
      if (c->want_out != want_out)
        {
          c->want_out = want_out;
          conn_update_events (c);
        }
      return;
    }
  if (r < 0)
    {
      n_failed_connects++;
      conn_close (c, gnutls_strerror (r));
      return;
    }

  conn_upgrade (c);
}

static void
conn_connected (Conn *c)
{
  int err = 0;
  socklen_t len = sizeof err;

  getsockopt (c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
  if (err != 0)
    {
      n_failed_connects++;
      errno = err;
      conn_close (c, g_strerror (err));
      return;
    }

  if (opt_tls)
    {
      gnutls_init (&c->tls, GNUTLS_CLIENT | GNUTLS_NONBLOCK);
      gnutls_set_default_priority (c->tls);
      gnutls_credentials_set (c->tls, GNUTLS_CRD_CERTIFICATE, tls_credentials);
      gnutls_transport_set_int (c->tls, c->fd);
      c->state = CONN_TLS;
      c->want_out = TRUE;
      conn_handshake (c);
      return;
    }

  conn_upgrade (c);
}

static void
conn_upgrade (Conn *c)
{
  g_autofree char *request = NULL;

  c->state = CONN_UPGRADING;
  c->want_out = TRUE;   /* conn_flush turns EPOLLOUT off once written */
  request = g_strdup_printf ("GET /ws HTTP/1.1\r\n"
                             "Host: 127.0.0.1:%d\r\n"
                             "Upgrade: websocket\r\n"
                             "Connection: Upgrade\r\n"
                             "Sec-WebSocket-Key: " WS_KEY "\r\n"
                             "Sec-WebSocket-Version: 13\r\n"
                             "Sec-WebSocket-Protocol: tertulia.1\r\n"
                             "\r\n", opt_port);
  conn_write (c, request, strlen (request));
  if (c->state != CONN_CLOSED && c->wlen == 0 && c->want_out)
    {
      c->want_out = FALSE;
      conn_update_events (c);
    }
}

static void
conn_joined (Conn *c)
{
  c->state = CONN_JOINED;
  n_handshaking--;
  n_joined++;
}

static void
count_error (const guint8 *payload,
             gsize         len)
{
  const guint8 *code = memmem (payload, len, CODE_MEMBER, strlen (CODE_MEMBER));
  const guint8 *end;
  g_autofree char *key = NULL;
  gpointer count;

  if (code == NULL)
    key = g_strdup ("(no code)");
  else
    {
      code += strlen (CODE_MEMBER);
      end = memchr (code, '"', len - (gsize) (code - payload));
      key = g_strndup ((const char *) code, end != NULL ? (gsize) (end - code) : 0);
    }
  count = g_hash_table_lookup (error_codes, key);
  g_hash_table_insert (error_codes, g_steal_pointer (&key),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (count) + 1));
}

/* Reads "[<tag>:]t=<ns> s=<sender> " at @p; FALSE if it is not our format
 * (another load generator's, with another tag or none).
 */
static gboolean
parse_stamp (const guint8 *p,
             const guint8 *end,
             guint64      *t,
             int          *sender)
{
  guint64 v = 0;
  int s = 0;

  if (opt_tag != NULL)
    {
      gsize tag_len = strlen (opt_tag);

      if ((gsize) (end - p) < tag_len + 1 || memcmp (p, opt_tag, tag_len) != 0 || p[tag_len] != ':')
        return FALSE;
      p += tag_len + 1;
    }
  if (end - p < 8 || p[0] != 't' || p[1] != '=')
    return FALSE;
  for (p += 2; p < end && *p >= '0' && *p <= '9'; p++)
    v = v * 10 + (guint64) (*p - '0');
  if (end - p < 4 || p[0] != ' ' || p[1] != 's' || p[2] != '=')
    return FALSE;
  for (p += 3; p < end && *p >= '0' && *p <= '9'; p++)
    s = s * 10 + (*p - '0');
  *t = v;
  *sender = s;
  return TRUE;
}

static void
handle_text (Conn         *c,
             const guint8 *payload,
             gsize         len,
             gint64        rx_ns)
{
  const gsize prefix = strlen (TYPE_PREFIX);
  const guint8 *type;
  const guint8 *end = payload + len;

  if (len < prefix + 4 || memcmp (payload, TYPE_PREFIX, prefix) != 0)
    {
      count_error ((const guint8 *) "\"code\":\"(not a tertulia frame)\"", 31);
      return;
    }
  type = payload + prefix;

  if (type[0] == 'm' && memcmp (type, "message\"", 8) == 0)
    {
      const guint8 *text;
      guint64 t;
      int sender;

      messages_rx++;
      /* Only the "text" member matters; it follows "from", "kind". */
      text = memmem (type, (gsize) (end - type), TEXT_MEMBER, strlen (TEXT_MEMBER));
      if (text == NULL || !parse_stamp (text + strlen (TEXT_MEMBER), end, &t, &sender))
        {
          foreign_texts++;
          return;
        }
      if (recording && (gint64) t <= rx_ns)
        hist_add (&latency, (guint64) rx_ns - t);
      if (sender == c->sender && c->in_flight > 0)
        {
          c->in_flight--;
          if (sending && mode == MODE_SATURATION)
            conn_send_message (c);
        }
    }
  else if (type[0] == 'w' && memcmp (type, "welcome\"", 8) == 0)
    {
      if (c->state == CONN_JOINING)
        conn_joined (c);
    }
  else if (type[0] == 'e' && memcmp (type, "error\"", 6) == 0)
    {
      count_error (payload, len);
      /* A refused say (say, rate limit) frees its slot in the window. */
      if (c->sender >= 0 && c->in_flight > 0 &&
          memmem (payload, len, "\"cid\":", 6) != NULL)
        {
          c->in_flight--;
          if (sending && mode == MODE_SATURATION)
            conn_send_message (c);
        }
    }
  /* join, leave, rename, topic: counted as frames, nothing else to do */
}

static void
conn_send_hello (Conn *c)
{
  char hello[160];
  int n;

  n = g_snprintf (hello, sizeof hello,
                  "{\"type\":\"hello\",\"version\":1,\"nick\":\"lg-%u\",\"client\":\"tertulia-loadgen\"}",
                  c->index);
  c->state = CONN_JOINING;
  conn_send_frame (c, 0x1, hello, (gsize) n);
}

/* Consumes the HTTP response; returns how many bytes it took, 0 if it is
 * not complete yet, -1 on failure.
 */
static gssize
conn_handle_upgrade (Conn *c)
{
  const guint8 *end = memmem (c->rbuf, c->rlen, "\r\n\r\n", 4);

  if (end == NULL)
    return c->rlen >= c->rcap ? -1 : 0;
  if (c->rlen < 12 || memcmp (c->rbuf, "HTTP/1.1 101", 12) != 0)
    {
      g_autofree char *status = g_strndup ((const char *) c->rbuf,
                                           MIN (c->rlen, (gsize) ((const guint8 *) memchr (c->rbuf, '\r', c->rlen) - c->rbuf)));
      conn_close (c, status);
      return -1;
    }
  conn_send_hello (c);
  return (end + 4) - c->rbuf;
}

/* Parses every complete frame in rbuf. */
static void
conn_parse (Conn   *c,
            gint64  rx_ns)
{
  gsize pos = 0;

  if (c->state == CONN_UPGRADING)
    {
      gssize n = conn_handle_upgrade (c);

      if (n <= 0)
        return;
      pos = (gsize) n;
    }

  while (c->state != CONN_CLOSED && c->rlen - pos >= 2)
    {
      const guint8 *p = c->rbuf + pos;
      gsize avail = c->rlen - pos;
      guint8 opcode = p[0] & 0x0f;
      gboolean masked = (p[1] & 0x80) != 0;
      guint64 plen = p[1] & 0x7f;
      gsize header = 2;
      guint8 *payload;

      if (plen == 126)
        {
          if (avail < 4)
            break;
          plen = ((guint64) p[2] << 8) | p[3];
          header = 4;
        }
      else if (plen == 127)
        {
          if (avail < 10)
            break;
          plen = 0;
          for (int i = 0; i < 8; i++)
            plen = (plen << 8) | p[2 + i];
          header = 10;
        }
      if (masked)
        header += 4;
      if (avail < header || avail - header < plen)
        {
          /* Incomplete: make room for the whole frame if it is big. */
          if (header + plen > c->rcap)
            {
              c->rcap = header + plen + RBUF_SIZE;
              memmove (c->rbuf, c->rbuf + pos, avail);
              c->rlen = avail;
              pos = 0;
              c->rbuf = g_realloc (c->rbuf, c->rcap);
            }
          break;
        }

      payload = c->rbuf + pos + header;
      if (masked)
        for (guint64 i = 0; i < plen; i++)
          payload[i] ^= p[header - 4 + (i & 3)];

      frames_rx++;
      if ((p[0] & 0x80) == 0 || opcode == 0x0)
        {
          conn_close (c, "fragmented frames are not expected from tertulia-server");
          return;
        }

      switch (opcode)
        {
        case 0x1:
          last_text_ns = rx_ns;
          handle_text (c, payload, plen, rx_ns);
          break;
        case 0x8:
          conn_close (c, "closed by the server");
          return;
        case 0x9:
          conn_send_frame (c, 0xA, (const char *) payload, plen);
          break;
        default:
          break;
        }
      pos += header + plen;
    }

  if (c->state == CONN_CLOSED)
    return;
  if (pos > 0)
    {
      memmove (c->rbuf, c->rbuf + pos, c->rlen - pos);
      c->rlen -= pos;
    }
  if (c->rcap > RBUF_KEEP && c->rlen < RBUF_KEEP)
    {
      c->rcap = RBUF_KEEP;
      c->rbuf = g_realloc (c->rbuf, c->rcap);
    }
}

static void
conn_readable (Conn *c)
{
  ssize_t n;
  gint64 rx_ns;

  do
    {
      n = conn_recv (c, c->rbuf + c->rlen, c->rcap - c->rlen);
      if (n <= 0)
        {
          if (n < 0 && (errno == EAGAIN || errno == EINTR))
            return;
          conn_close (c, n == 0 ? "the server closed the connection" : g_strerror (errno));
          return;
        }
      /* One clock read per read(): every frame in it arrived then. */
      rx_ns = now_ns ();
      bytes_rx += (guint64) n;
      c->rlen += (gsize) n;
      conn_parse (c, rx_ns);
    }
  /* Records GnuTLS read whole but did not hand over yet wake no epoll */
  while (c->state != CONN_CLOSED && c->tls != NULL && gnutls_record_check_pending (c->tls) > 0);
}

/* The loop */

static void
timer_arm (gint64 at_ns)
{
  struct itimerspec its = { { 0, 0 }, { 0, 0 } };

  if (at_ns > 0)
    {
      its.it_value.tv_sec = at_ns / NS_PER_SEC;
      its.it_value.tv_nsec = at_ns % NS_PER_SEC;
    }
  timerfd_settime (timer_fd, TFD_TIMER_ABSTIME, &its, NULL);
}

/* Rate mode: sends what is due and arms the timer for the next one. */
static void
rate_tick (void)
{
  gint64 now = now_ns ();
  gint64 next = G_MAXINT64;
  gint64 period = (gint64) ((double) NS_PER_SEC / opt_rate);

  for (guint i = 0; i < n_senders; i++)
    {
      Conn *c = senders[i];

      if (c->state != CONN_JOINED)
        continue;
      while (c->next_send_ns <= now)
        {
          conn_send_message (c);
          c->next_send_ns += period;
        }
      next = MIN (next, c->next_send_ns);
    }
  timer_arm (next == G_MAXINT64 ? 0 : next);
}

static void
start_connections (void)
{
  while (n_started < n_conns && n_handshaking < (guint) opt_parallel)
    conn_start (&conns[n_started], n_started);
}

/* Runs the loop until @deadline_ns or until @done returns TRUE. */
static void
loop_until (gint64     deadline_ns,
            gboolean (*done) (void))
{
  struct epoll_event events[MAX_EVENTS];

  for (;;)
    {
      gint64 now = now_ns ();
      int timeout;
      int n;

      start_connections ();
      if (done != NULL && done ())
        return;
      if (now >= deadline_ns)
        return;

      timeout = (int) MIN ((deadline_ns - now + 999999) / 1000000, 100);
      n = epoll_wait (epfd, events, MAX_EVENTS, timeout);
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          die ("epoll_wait");
        }

      for (int i = 0; i < n; i++)
        {
          Conn *c = events[i].data.ptr;

          if (c == NULL)
            {
              guint64 expirations;

              if (read (timer_fd, &expirations, sizeof expirations) < 0 && errno != EAGAIN)
                die ("timerfd");
              if (sending)
                rate_tick ();
              continue;
            }
          if (c->state == CONN_CLOSED)
            continue;
          if (c->state == CONN_CONNECTING)
            {
              if (events[i].events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
                conn_connected (c);
              continue;
            }
          if (c->state == CONN_TLS)
            {
              conn_handshake (c);
              continue;
            }
          if (events[i].events & EPOLLOUT)
            conn_flush (c);
          if (c->state != CONN_CLOSED && (events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)))
            conn_readable (c);
        }
    }
}

static gboolean
all_settled (void)
{
  return n_started == n_conns && n_handshaking == 0;
}

static gboolean
quiet (void)
{
  return all_settled () && now_ns () - last_text_ns > (gint64) (opt_settle * NS_PER_SEC);
}

static gboolean
senders_drained (void)
{
  for (guint i = 0; i < n_senders; i++)
    if (senders[i]->state == CONN_JOINED && senders[i]->in_flight > 0)
      return FALSE;
  return TRUE;
}

/* Connects @target clients in all (idle mode calls it again for more). */
static gboolean
join_clients (guint   target,
              double *seconds)
{
  gint64 t0 = now_ns ();

  n_conns = target;
  loop_until (t0 + (gint64) (opt_join_timeout * NS_PER_SEC), all_settled);
  *seconds = (double) (now_ns () - t0) / NS_PER_SEC;

  return n_joined == target;
}

/* Output */

static void
append_errors (GString *out)
{
  GHashTableIter iter;
  gpointer key, value;
  gboolean first = TRUE;

  g_string_append (out, ",\"errors\":{");
  g_hash_table_iter_init (&iter, error_codes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_string_append_printf (out, "%s\"%s\":%u", first ? "" : ",", (const char *) key,
                              GPOINTER_TO_UINT (value));
      first = FALSE;
    }
  g_string_append_c (out, '}');
  if (close_reason != NULL)
    {
      g_autofree char *escaped = g_strescape (close_reason, NULL);

      g_string_append_printf (out, ",\"closed\":%u,\"first_close\":\"%s\"", n_closed, escaped);
    }
}

static void
append_double (GString    *out,
               const char *name,
               double      value,
               int         decimals)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *format = g_strdup_printf ("%%.%df", decimals);

  g_string_append_printf (out, ",\"%s\":%s", name,
                          g_ascii_formatd (buf, sizeof buf, format, value));
}

static void
append_latency (GString *out)
{
  g_string_append_printf (out, ",\"latency_samples\":%" G_GUINT64_FORMAT, latency.count);
  append_double (out, "p50_ms", (double) hist_percentile (&latency, 50) / 1e6, 3);
  append_double (out, "p99_ms", (double) hist_percentile (&latency, 99) / 1e6, 3);
  append_double (out, "p999_ms", (double) hist_percentile (&latency, 99.9) / 1e6, 3);
  append_double (out, "max_ms", (double) latency.max / 1e6, 3);
}

static void
print_line (GString *out)
{
  g_string_append_c (out, '}');
  puts (out->str);
  fflush (stdout);
}

static GString *
begin_line (void)
{
  GString *out = g_string_new ("{");
  g_autofree char *scenario = g_strescape (opt_scenario != NULL ? opt_scenario : opt_mode, NULL);

  g_string_append_printf (out, "\"scenario\":\"%s\",\"mode\":\"%s\",\"tls\":%s",
                          scenario, opt_mode, opt_tls ? "true" : "false");
  return out;
}

/* Saturation and rate: join, warm up, measure, drain. */
static int
run_traffic (void)
{
  g_autoptr(GString) out = begin_line ();
  double join_s;
  gint64 t_start, t_end;
  guint64 msgs0, frames0, bytes0, sent0;
  double self0, self1, wall_s;
  ProcSample srv0, srv1;

  n_senders = (guint) MIN (opt_senders, opt_clients);
  senders = g_new0 (Conn *, n_senders);

  if (!join_clients ((guint) opt_clients, &join_s))
    {
      g_string_append_printf (out, ",\"ok\":false,\"joined\":%u", n_joined);
      append_errors (out);
      print_line (out);
      return 1;
    }
  /* Let the join events stop arriving. */
  loop_until (now_ns () + 5 * NS_PER_SEC, quiet);

  for (guint i = 0; i < n_senders; i++)
    {
      senders[i] = &conns[i];
      senders[i]->sender = (int) i;
    }

  sending = TRUE;
  if (mode == MODE_SATURATION)
    {
      for (guint i = 0; i < n_senders; i++)
        for (int w = 0; w < opt_window; w++)
          conn_send_message (senders[i]);
    }
  else
    {
      gint64 now = now_ns ();
      gint64 period = (gint64) ((double) NS_PER_SEC / opt_rate);

      /* Spread the senders evenly over one period. */
      for (guint i = 0; i < n_senders; i++)
        senders[i]->next_send_ns = now + (gint64) i * period / (gint64) n_senders;
      rate_tick ();
    }

  loop_until (now_ns () + (gint64) (opt_warmup * NS_PER_SEC), NULL);

  recording = TRUE;
  memset (&latency, 0, sizeof latency);
  msgs0 = messages_rx;
  frames0 = frames_rx;
  bytes0 = bytes_rx;
  sent0 = messages_sent;
  self0 = self_cpu_seconds ();
  srv0 = proc_sample (opt_server_pid);
  t_start = now_ns ();

  loop_until (t_start + (gint64) (opt_duration * NS_PER_SEC), NULL);

  t_end = now_ns ();
  srv1 = proc_sample (opt_server_pid);
  self1 = self_cpu_seconds ();
  wall_s = (double) (t_end - t_start) / NS_PER_SEC;
  recording = FALSE;
  sending = FALSE;
  timer_arm (0);

  {
    guint64 deliveries = messages_rx - msgs0;
    double srv_cpu = proc_cpu_seconds (&srv0, &srv1);

    g_string_append_printf (out, ",\"ok\":%s,\"clients\":%d,\"senders\":%u",
                            n_closed == 0 ? "true" : "false", opt_clients, n_senders);
    if (mode == MODE_SATURATION)
      g_string_append_printf (out, ",\"window\":%d", opt_window);
    else
      append_double (out, "rate_per_sender", opt_rate, 1);
    append_double (out, "seconds", wall_s, 3);
    append_double (out, "join_s", join_s, 3);
    g_string_append_printf (out, ",\"messages_sent\":%" G_GUINT64_FORMAT, messages_sent - sent0);
    g_string_append_printf (out, ",\"deliveries\":%" G_GUINT64_FORMAT, deliveries);
    append_double (out, "deliveries_per_s", (double) deliveries / wall_s, 0);
    if (srv0.ok && srv1.ok)
      {
        append_double (out, "server_cpu_s", srv_cpu, 2);
        append_double (out, "server_cpu_pct", 100.0 * srv_cpu / wall_s, 1);
        if (srv_cpu > 0)
          append_double (out, "deliveries_per_server_cpu_s", (double) deliveries / srv_cpu, 0);
        g_string_append_printf (out, ",\"server_rss_kb\":%" G_GINT64_FORMAT, srv1.rss_kb);
      }
    append_latency (out);
    append_double (out, "loadgen_cpu_pct", 100.0 * (self1 - self0) / wall_s, 1);
    append_double (out, "loadgen_frames_per_s", (double) (frames_rx - frames0) / wall_s, 0);
    append_double (out, "loadgen_mb_per_s", (double) (bytes_rx - bytes0) / wall_s / 1e6, 1);
    if (foreign_texts > 0)
      g_string_append_printf (out, ",\"foreign_texts\":%" G_GUINT64_FORMAT, foreign_texts);
  }

  /* Let the in-flight echoes come back, so nothing is half-written. */
  loop_until (now_ns () + 2 * NS_PER_SEC, senders_drained);
  /* For counters read over the whole run (perf stat -p) */
  g_string_append_printf (out, ",\"deliveries_total\":%" G_GUINT64_FORMAT, messages_rx);
  append_errors (out);
  print_line (out);

  return n_closed == 0 ? 0 : 1;
}

static int
run_idle (void)
{
  g_autoptr(GString) out = begin_line ();
  g_auto(GStrv) steps = g_strsplit (opt_steps != NULL ? opt_steps : "1000,5000", ",", 0);
  ProcSample base;
  gboolean ok = TRUE;
  guint max_target = 0;

  for (guint i = 0; steps[i] != NULL; i++)
    max_target = MAX (max_target, (guint) g_ascii_strtoull (steps[i], NULL, 10));
  g_free (conns);
  conns = g_new0 (Conn, max_target);

  base = proc_sample (opt_server_pid);
  g_string_append_printf (out, ",\"rss_kb_0\":%" G_GINT64_FORMAT, base.rss_kb);

  for (guint i = 0; steps[i] != NULL && ok; i++)
    {
      guint target = (guint) g_ascii_strtoull (steps[i], NULL, 10);
      double join_s;
      ProcSample s;
      ProcSample s0 = proc_sample (opt_server_pid);
      double self0 = self_cpu_seconds ();
      char name[64];

      ok = join_clients (target, &join_s);
      /* The join events and welcomes have to be written out first. */
      loop_until (now_ns () + 60 * NS_PER_SEC, quiet);
      s = proc_sample (opt_server_pid);
      /* Every join is broadcast to everyone present and every welcome
       * lists everyone: joining N guests costs the server O(N²).
       */
      g_snprintf (name, sizeof name, "join_server_cpu_s_%u", target);
      append_double (out, name, proc_cpu_seconds (&s0, &s), 2);
      g_snprintf (name, sizeof name, "join_loadgen_cpu_s_%u", target);
      append_double (out, name, self_cpu_seconds () - self0, 2);
      g_string_append_printf (out, ",\"rss_kb_%u\":%" G_GINT64_FORMAT, target, s.rss_kb);
      g_snprintf (name, sizeof name, "kb_per_conn_%u", target);
      append_double (out, name, (double) (s.rss_kb - base.rss_kb) / target, 2);
      g_snprintf (name, sizeof name, "join_s_%u", target);
      append_double (out, name, join_s, 2);
      g_string_append_printf (out, ",\"hwm_kb_%u\":%" G_GINT64_FORMAT, target, s.hwm_kb);
      g_string_append_printf (out, ",\"joined_%u\":%u", target, n_joined);
    }

  g_string_append_printf (out, ",\"ok\":%s", ok && n_closed == 0 ? "true" : "false");
  g_string_append_printf (out, ",\"frames_rx\":%" G_GUINT64_FORMAT, frames_rx);
  append_errors (out);
  print_line (out);

  return ok ? 0 : 1;
}

/* selftest: a child that fans pre-framed messages out to every client */

static void
write_all (int         fd,
           const void *data,
           gsize       len)
{
  while (len > 0)
    {
      ssize_t n = write (fd, data, len);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          _exit (3);
        }
      data = (const guint8 *) data + n;
      len -= (gsize) n;
    }
}

static gsize
server_frame (guint8     *out,
              const char *payload,
              gsize       len)
{
  gsize header;

  out[0] = 0x81;
  if (len < 126)
    {
      out[1] = (guint8) len;
      header = 2;
    }
  else
    {
      out[1] = 126;
      out[2] = (guint8) (len >> 8);
      out[3] = (guint8) len;
      header = 4;
    }
  memcpy (out + header, payload, len);
  return header + len;
}

G_GNUC_NORETURN static void
blaster_main (int    listen_fd,
              guint  n_clients,
              double seconds)
{
  int *fds = g_new0 (int, n_clients);
  gsize *pos = g_new0 (gsize, n_clients);       /* byte offset in block */
  guint *next = g_new0 (guint, n_clients);      /* first frame not fully written */
  g_autofree guint8 *block = g_malloc (64 * 1024);
  g_autoptr(GArray) bounds = g_array_new (FALSE, FALSE, sizeof (gsize));
  gsize block_len = 0;
  guint n_frames;
  g_autofree char *accept_key = NULL;
  gint64 end;
  int bep = epoll_create1 (EPOLL_CLOEXEC);

  {
    g_autofree char *concat = g_strconcat (WS_KEY, WS_GUID, NULL);
    GChecksum *sha1 = g_checksum_new (G_CHECKSUM_SHA1);
    guint8 digest[20];
    gsize digest_len = sizeof digest;

    g_checksum_update (sha1, (const guchar *) concat, -1);
    g_checksum_get_digest (sha1, digest, &digest_len);
    g_checksum_free (sha1);
    accept_key = g_base64_encode (digest, digest_len);
  }

  /* What tertulia-server sends for a 64-byte text, give or take. */
  for (guint n = 0; block_len < 60 * 1024; n++)
    {
      char payload[512];
      int len = g_snprintf (payload, sizeof payload,
                            "{\"type\":\"message\",\"seq\":%u,\"time\":1763769605000,"
                            "\"from\":{\"id\":7,\"nick\":\"lg-7\"},\"kind\":\"chat\","
                            "\"text\":\"t=1 s=9999 n=%u xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\","
                            "\"cid\":\"%u\"}", n + 1, n, n);

      g_array_append_val (bounds, block_len);
      block_len += server_frame (block + block_len, payload, (gsize) len);
    }
  n_frames = bounds->len;
  g_array_append_val (bounds, block_len);

  for (guint i = 0; i < n_clients; i++)
    {
      char req[4096];
      gsize have = 0;
      g_autofree char *response = NULL;
      const char *welcome = "{\"type\":\"welcome\",\"version\":1,\"seq\":0,\"history\":[]}";
      guint8 frame[128];
      struct epoll_event ev;

      fds[i] = accept (listen_fd, NULL, NULL);
      if (fds[i] < 0)
        _exit (3);
      while (memmem (req, have, "\r\n\r\n", 4) == NULL && have < sizeof req)
        {
          ssize_t n = read (fds[i], req + have, sizeof req - have);
          if (n <= 0)
            _exit (3);
          have += (gsize) n;
        }
      response = g_strdup_printf ("HTTP/1.1 101 Switching Protocols\r\n"
                                  "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                                  "Sec-WebSocket-Protocol: tertulia.1\r\n"
                                  "Sec-WebSocket-Accept: %s\r\n\r\n", accept_key);
      write_all (fds[i], response, strlen (response));
      /* The hello; its content does not matter here. */
      if (read (fds[i], req, sizeof req) <= 0)
        _exit (3);
      write_all (fds[i], frame, server_frame (frame, welcome, strlen (welcome)));
      fcntl (fds[i], F_SETFL, O_NONBLOCK);
      ev.events = EPOLLOUT;
      ev.data.u32 = i;
      epoll_ctl (bep, EPOLL_CTL_ADD, fds[i], &ev);
    }

  end = now_ns () + (gint64) (seconds * NS_PER_SEC);
  while (now_ns () < end)
    {
      struct epoll_event events[MAX_EVENTS];
      int n = epoll_wait (bep, events, MAX_EVENTS, 100);

      for (int i = 0; i < n; i++)
        {
          guint k = events[i].data.u32;
          /* --blast-batch frames per write(); 0: the whole block */
          guint last = opt_blast_batch > 0 ? MIN (next[k] + (guint) opt_blast_batch, n_frames) : n_frames;
          gsize until = g_array_index (bounds, gsize, last);
          ssize_t w = write (fds[k], block + pos[k], until - pos[k]);

          if (w <= 0)
            continue;
          pos[k] += (gsize) w;
          while (next[k] < n_frames && g_array_index (bounds, gsize, next[k] + 1) <= pos[k])
            next[k]++;
          if (pos[k] == block_len)
            pos[k] = next[k] = 0;
        }
    }
  _exit (0);
}

static int
run_selftest (void)
{
  g_autoptr(GString) out = begin_line ();
  struct sockaddr_in addr = { 0, };
  socklen_t addr_len = sizeof addr;
  int listen_fd;
  pid_t child;
  double join_s;
  guint64 frames0, bytes0;
  double self0, self1, wall_s;
  gint64 t_start, t_end;
  ProcSample child0, child1;
  int status;
  double total = opt_warmup + opt_duration + 30.0;

  listen_fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (bind (listen_fd, (struct sockaddr *) &addr, sizeof addr) < 0 ||
      listen (listen_fd, 1024) < 0 ||
      getsockname (listen_fd, (struct sockaddr *) &addr, &addr_len) < 0)
    die ("listen");
  opt_port = ntohs (addr.sin_port);
  server_addr.sin_port = addr.sin_port;

  child = fork ();
  if (child < 0)
    die ("fork");
  if (child == 0)
    blaster_main (listen_fd, (guint) opt_clients, total);
  close (listen_fd);

  if (!join_clients ((guint) opt_clients, &join_s))
    {
      kill (child, SIGKILL);
      g_string_append_printf (out, ",\"ok\":false,\"joined\":%u", n_joined);
      append_errors (out);
      print_line (out);
      return 1;
    }

  loop_until (now_ns () + (gint64) (opt_warmup * NS_PER_SEC), NULL);
  frames0 = frames_rx;
  bytes0 = bytes_rx;
  self0 = self_cpu_seconds ();
  child0 = proc_sample (child);
  t_start = now_ns ();
  loop_until (t_start + (gint64) (opt_duration * NS_PER_SEC), NULL);
  t_end = now_ns ();
  self1 = self_cpu_seconds ();
  child1 = proc_sample (child);
  wall_s = (double) (t_end - t_start) / NS_PER_SEC;

  kill (child, SIGKILL);
  waitpid (child, &status, 0);

  g_string_append_printf (out, ",\"ok\":%s,\"clients\":%d", n_closed == 0 ? "true" : "false", opt_clients);
  append_double (out, "seconds", wall_s, 3);
  append_double (out, "frames_per_s", (double) (frames_rx - frames0) / wall_s, 0);
  append_double (out, "mb_per_s", (double) (bytes_rx - bytes0) / wall_s / 1e6, 1);
  append_double (out, "loadgen_cpu_pct", 100.0 * (self1 - self0) / wall_s, 1);
  if (self1 > self0)
    append_double (out, "frames_per_loadgen_cpu_s", (double) (frames_rx - frames0) / (self1 - self0), 0);
  append_double (out, "blaster_cpu_pct", 100.0 * proc_cpu_seconds (&child0, &child1) / wall_s, 1);
  append_errors (out);
  print_line (out);

  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  struct rlimit rl;
  int timer_events;
  struct epoll_event ev;
  GOptionEntry entries[] = {
    { "mode", 'm', 0, G_OPTION_ARG_STRING, &opt_mode, "saturation, rate, idle or selftest", "MODE" },
    { "scenario", 0, 0, G_OPTION_ARG_STRING, &opt_scenario, "Name in the JSON line", "NAME" },
    { "port", 'p', 0, G_OPTION_ARG_INT, &opt_port, "tertulia-server's port on 127.0.0.1", "PORT" },
    { "server-pid", 0, 0, G_OPTION_ARG_INT, &opt_server_pid, "Read CPU and RSS of this process", "PID" },
    { "clients", 'c', 0, G_OPTION_ARG_INT, &opt_clients, "Connections (default 100)", "N" },
    { "senders", 's', 0, G_OPTION_ARG_INT, &opt_senders, "How many of them send (default 10)", "K" },
    { "window", 'w', 0, G_OPTION_ARG_INT, &opt_window, "saturation: messages in flight per sender (default 8)", "W" },
    { "rate", 'r', 0, G_OPTION_ARG_DOUBLE, &opt_rate, "rate: messages/s per sender (default 10)", "R" },
    { "duration", 'd', 0, G_OPTION_ARG_DOUBLE, &opt_duration, "Measured seconds (default 10)", "S" },
    { "warmup", 0, 0, G_OPTION_ARG_DOUBLE, &opt_warmup, "Seconds before measuring (default 2)", "S" },
    { "steps", 0, 0, G_OPTION_ARG_STRING, &opt_steps, "idle: client counts (default 1000,5000)", "N,N" },
    { "text-bytes", 0, 0, G_OPTION_ARG_INT, &opt_text_bytes, "Length of a message's text (default 64)", "B" },
    { "parallel", 0, 0, G_OPTION_ARG_INT, &opt_parallel, "Handshakes under way at once (default 8; the join-storm scenario makes it all of them)", "N" },
    { "join-timeout", 0, 0, G_OPTION_ARG_DOUBLE, &opt_join_timeout, "Give up joining after S seconds", "S" },
    { "blast-batch", 0, 0, G_OPTION_ARG_INT, &opt_blast_batch, "selftest: frames per write() (default: 60 KB of them)", "N" },
    { "settle", 0, 0, G_OPTION_ARG_DOUBLE, &opt_settle, "Quiet seconds that mean the server is done", "S" },
    { "tls", 0, 0, G_OPTION_ARG_NONE, &opt_tls, "Speak TLS (wss://) to the server", NULL },
    { "tag", 0, 0, G_OPTION_ARG_STRING, &opt_tag, "Mark this run's messages (letters and digits), so that another load generator on the same server measures only its own", "TAG" },
    { NULL }
  };

  context = g_option_context_new ("— WebSocket load for tertulia-server on 127.0.0.1");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "tertulia-loadgen: %s\n", error->message);
      return 1;
    }

  if (opt_tls)
    gnutls_certificate_allocate_credentials (&tls_credentials);

  if (g_strcmp0 (opt_mode, "saturation") == 0)
    mode = MODE_SATURATION;
  else if (g_strcmp0 (opt_mode, "rate") == 0)
    mode = MODE_RATE;
  else if (g_strcmp0 (opt_mode, "idle") == 0)
    mode = MODE_IDLE;
  else if (g_strcmp0 (opt_mode, "selftest") == 0)
    mode = MODE_SELFTEST;
  else
    {
      fprintf (stderr, "tertulia-loadgen: --mode must be saturation, rate, idle or selftest\n");
      return 1;
    }
  if (opt_tag != NULL)
    {
      for (const char *p = opt_tag; *p != '\0'; p++)
        if (!g_ascii_isalnum (*p))
          opt_tag = NULL;
      if (opt_tag == NULL || opt_tag[0] == '\0')
        {
          fprintf (stderr, "tertulia-loadgen: --tag takes letters and digits\n");
          return 1;
        }
    }
  if ((mode != MODE_SELFTEST && (opt_port <= 0 || opt_port > 65535)) ||
      opt_clients <= 0 || opt_senders < 0 || opt_window <= 0 || opt_rate <= 0 ||
      opt_text_bytes < 0 || opt_text_bytes > 3900 || opt_parallel <= 0)
    {
      fprintf (stderr, "tertulia-loadgen: bad options; see --help\n");
      return 1;
    }

  signal (SIGPIPE, SIG_IGN);
  /* Thousands of sockets: take all the descriptors we are allowed. */
  if (getrlimit (RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max)
    {
      rl.rlim_cur = rl.rlim_max;
      setrlimit (RLIMIT_NOFILE, &rl);
    }

  error_codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  server_addr.sin_family = AF_INET;
  server_addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);   /* only ever loopback */
  server_addr.sin_port = htons ((guint16) opt_port);

  epfd = epoll_create1 (EPOLL_CLOEXEC);
  timer_fd = timerfd_create (CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  if (epfd < 0 || timer_fd < 0)
    die ("epoll");
  timer_events = EPOLLIN;
  ev.events = (guint32) timer_events;
  ev.data.ptr = NULL;
  epoll_ctl (epfd, EPOLL_CTL_ADD, timer_fd, &ev);

  conns = g_new0 (Conn, opt_clients);
  last_text_ns = now_ns ();

  switch (mode)
    {
    case MODE_SATURATION:
    case MODE_RATE:
      return run_traffic ();
    case MODE_IDLE:
      return run_idle ();
    case MODE_SELFTEST:
      return run_selftest ();
    default:
      g_assert_not_reached ();
    }
}

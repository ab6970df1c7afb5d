/* tertulia-server-guard.c — a guest's connection, watched below libsoup
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-server"

#include "config.h"

#include <string.h>

#include "tertulia-server-guard.h"
#include "tertulia-server-output.h"

/* Bytes read from the socket at a time. The buffer exists only while it
 * holds bytes libsoup has not taken yet: an idle guest costs nothing here.
 */
#define IN_BUFFER_BYTES       4096
/* A read that only finds frames to drop gives the main loop back after this
 * many bytes, so a guest streaming junk at loopback speed cannot keep the
 * host from serving everyone else.
 */
#define MAX_DROPPED_PER_READ  (256 * 1024)
/* libsoup reads a connection for as long as it has data, handling each
 * message as it goes: a guest with a long burst queued would keep the host
 * from everyone else until the whole burst is through. After this many
 * bytes the guard says "would block" once; libsoup then waits for its next
 * turn in the main loop, after the other connections that are ready.
 */
#define READ_TURN_BYTES       (16 * 1024)
/* The longest frame header: 2 bytes, 8 of length, 4 of mask */
#define MAX_HEADER_BYTES      14

#define OPCODE_PING           0x9
/* How long a WebSocket connection that closes may take to hand over the
 * frames that still wait for the guest and to say goodbye
 */
#define LINGER_MSEC           (10 * 1000)


/* The input side: follows frame headers and drops what must not reach
 * libsoup.
 */

typedef enum
{
  SCAN_HEADER,            /* collecting a header, not passed on yet */
  SCAN_FORWARD_HEADER,    /* passing on a header that was let through */
  SCAN_FORWARD_PAYLOAD,
  SCAN_DROP_PAYLOAD,
} ScanState;

#define TERTULIA_TYPE_GUARD_INPUT_STREAM (tertulia_guard_input_stream_get_type ())
G_DECLARE_FINAL_TYPE (TertuliaGuardInputStream, tertulia_guard_input_stream, TERTULIA, GUARD_INPUT_STREAM, GFilterInputStream)

struct _TertuliaGuardInputStream
{
  GFilterInputStream   parent_instance;

  /* Borrowed: the guard owns this stream and clears this when it goes */
  TertuliaGuardStream *owner;

  guint8              *in;
  gsize                in_pos;
  gsize                in_len;
  gboolean             eof;

  ScanState            state;
  guint8               header[MAX_HEADER_BYTES];
  guint                header_len;
  guint                header_need;
  guint                header_sent;
  guint64              payload_left;

  guint64              max_message_bytes;
  /* Wire bytes of the data message under way */
  guint64              message_bytes;
  /* A message broke the limit: every data frame from now on is dropped */
  gboolean             discarding;

  double               ping_tokens;
  gint64               ping_time;

  /* Bytes passed on since libsoup's turn began */
  gsize                turn_bytes;

  guint64              bytes_read;
  gint64               last_heard;

  /* The socket's watch, attached once (see input_create_source()); it
   * wakes waiting, the source libsoup waits on
   */
  GSource             *watch;
  gpointer             watch_tag;
  gboolean             watch_failed;
  GSource             *waiting;
  /* The base stream said "would block" once: what libsoup had read
   * before the upgrade (a hello sent with the request) is all taken, and
   * only the socket can have more
   */
  gboolean             base_drained;
};

static void tertulia_guard_input_stream_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TertuliaGuardInputStream, tertulia_guard_input_stream, G_TYPE_FILTER_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      tertulia_guard_input_stream_pollable_init))

static void guard_report (TertuliaGuardStream    *self,
                          TertuliaGuardViolation  violation);
static GSocket *guard_get_socket (TertuliaGuardStream *self);

static GInputStream *
input_base (TertuliaGuardInputStream *self)
{
  return g_filter_input_stream_get_base_stream (G_FILTER_INPUT_STREAM (self));
}

static void
input_violation (TertuliaGuardInputStream *self,
                 TertuliaGuardViolation    violation)
{
  if (self->owner != NULL)
    guard_report (self->owner, violation);
}

static gboolean
input_take_ping_token (TertuliaGuardInputStream *self)
{
  gint64 now = g_get_monotonic_time ();

  self->ping_tokens = MIN ((double) TERTULIA_GUARD_PING_BURST,
                           self->ping_tokens +
                           (double) (now - self->ping_time) * TERTULIA_GUARD_PINGS_PER_SECOND / G_USEC_PER_SEC);
  self->ping_time = now;

  if (self->ping_tokens < 1.0)
    return FALSE;

  self->ping_tokens -= 1.0;
  return TRUE;
}

/* The header is complete: decides whether its frame reaches libsoup. */
static gboolean
input_let_through (TertuliaGuardInputStream *self)
{
  guint8 opcode = self->header[0] & 0x0f;
  gboolean fin = (self->header[0] & 0x80) != 0;
  guint64 frame_bytes;

  /* An absurd length cannot overflow the sum below */
  if (self->payload_left > self->max_message_bytes)
    frame_bytes = G_MAXUINT64;
  else
    frame_bytes = self->header_len + self->payload_left;

  if (opcode & 0x8)
    {
      /* Control frames are never part of a message. libsoup refuses those
       * over 125 bytes; one over the message limit is not even read.
       */
      if (frame_bytes > self->max_message_bytes)
        {
          input_violation (self, TERTULIA_GUARD_VIOLATION_TOO_BIG);
          return FALSE;
        }

      if (opcode == OPCODE_PING && !input_take_ping_token (self))
        {
          input_violation (self, TERTULIA_GUARD_VIOLATION_PING_FLOOD);
          return FALSE;
        }

      return TRUE;
    }

  if (self->discarding)
    return FALSE;

  if (frame_bytes > self->max_message_bytes - self->message_bytes)
    {
      g_debug ("dropping a message of more than %" G_GUINT64_FORMAT " bytes before libsoup reads it",
               self->max_message_bytes);
      self->discarding = TRUE;
      input_violation (self, TERTULIA_GUARD_VIOLATION_TOO_BIG);
      return FALSE;
    }

  /* libsoup checks that continuations follow a first frame; here every
   * data frame counts until one ends a message.
   */
  self->message_bytes = fin ? 0 : self->message_bytes + frame_bytes;

  return TRUE;
}

static void
input_header_done (TertuliaGuardInputStream *self)
{
  guint length7 = self->header[1] & 0x7f;

  if (length7 == 126)
    self->payload_left = ((guint64) self->header[2] << 8) | self->header[3];
  else if (length7 == 127)
    {
      self->payload_left = 0;
      for (guint i = 2; i < 10; i++)
        self->payload_left = (self->payload_left << 8) | self->header[i];
    }
  else
    self->payload_left = length7;

  if (input_let_through (self))
    {
      self->header_sent = 0;
      self->state = SCAN_FORWARD_HEADER;
    }
  else
    {
      self->state = SCAN_DROP_PAYLOAD;
    }
}

/* Moves what it can from the input buffer to @out; returns the bytes put
 * there and adds the bytes dropped to *@dropped.
 */
static gsize
input_scan (TertuliaGuardInputStream *self,
            guint8                   *out,
            gsize                     room,
            gsize                    *dropped)
{
  gsize produced = 0;

  while (produced < room)
    {
      gsize available = self->in_len - self->in_pos;
      gsize n;

      switch (self->state)
        {
        case SCAN_HEADER:
          if (available == 0)
            return produced;

          self->header[self->header_len++] = self->in[self->in_pos++];
          if (self->header_len == 2)
            {
              guint length7 = self->header[1] & 0x7f;

              self->header_need = 2 +
                                  (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) +
                                  ((self->header[1] & 0x80) ? 4 : 0);
            }
          if (self->header_len == self->header_need)
            input_header_done (self);
          break;

        case SCAN_FORWARD_HEADER:
          n = MIN (self->header_len - self->header_sent, room - produced);
          memcpy (out + produced, self->header + self->header_sent, n);
          produced += n;
          self->header_sent += n;
          if (self->header_sent == self->header_len)
            self->state = SCAN_FORWARD_PAYLOAD;
          break;

        case SCAN_FORWARD_PAYLOAD:
          if (self->payload_left > 0)
            {
              if (available == 0)
                return produced;
              n = (gsize) MIN ((guint64) MIN (available, room - produced), self->payload_left);
              memcpy (out + produced, self->in + self->in_pos, n);
              produced += n;
              self->in_pos += n;
              self->payload_left -= n;
            }
          if (self->payload_left == 0)
            {
              self->header_len = 0;
              self->header_need = 2;
              self->state = SCAN_HEADER;
            }
          break;

        case SCAN_DROP_PAYLOAD:
          if (self->payload_left > 0)
            {
              if (available == 0)
                return produced;
              n = (gsize) MIN ((guint64) available, self->payload_left);
              self->in_pos += n;
              self->payload_left -= n;
              *dropped += n;
            }
          if (self->payload_left == 0)
            {
              self->header_len = 0;
              self->header_need = 2;
              self->state = SCAN_HEADER;
            }
          break;

        default:
          g_assert_not_reached ();
        }
    }

  return produced;
}

static gboolean
input_has_buffered (TertuliaGuardInputStream *self)
{
  return self->in_pos < self->in_len || self->state == SCAN_FORWARD_HEADER;
}

static gssize
input_read_buffered (TertuliaGuardInputStream  *self,
                     void                      *buffer,
                     gsize                      count,
                     gboolean                   blocking,
                     GCancellable              *cancellable,
                     GError                   **error)
{
  gsize produced = 0;
  gsize dropped = 0;

  if (count == 0)
    return 0;

  if (!blocking && self->turn_bytes >= READ_TURN_BYTES)
    {
      self->turn_bytes = 0;
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, "The others' turn");
      return -1;
    }

  for (;;)
    {
      gssize n;

      produced += input_scan (self, (guint8 *) buffer + produced, count - produced, &dropped);
      if (produced > 0)
        {
          self->turn_bytes += produced;
          return produced;
        }

      if (self->eof)
        return 0;

      if (!blocking && dropped >= MAX_DROPPED_PER_READ)
        {
          self->turn_bytes = 0;
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK,
                               "Dropped enough for now");
          return -1;
        }

      g_assert (self->in_pos == self->in_len || self->state == SCAN_HEADER);

      if (self->in == NULL)
        self->in = g_malloc (IN_BUFFER_BYTES);

      if (blocking)
        n = g_input_stream_read (input_base (self), self->in, IN_BUFFER_BYTES, cancellable, error);
      else
        n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (input_base (self)),
                                                      self->in, IN_BUFFER_BYTES, cancellable, error);
      if (n < 0)
        {
          /* Nothing more to read for now: the turn is over */
          self->turn_bytes = 0;
          self->base_drained = TRUE;
          return -1;
        }

      /* A header cut short by the end of the stream is simply lost; the
       * connection is over anyway.
       */
      if (n == 0)
        {
          self->eof = TRUE;
          return 0;
        }

      self->in_pos = 0;
      self->in_len = (gsize) n;
      self->bytes_read += (guint64) n;
      self->last_heard = g_get_monotonic_time ();
    }
}

static gssize
input_read (TertuliaGuardInputStream  *self,
            void                      *buffer,
            gsize                      count,
            gboolean                   blocking,
            GCancellable              *cancellable,
            GError                   **error)
{
  gssize n = input_read_buffered (self, buffer, count, blocking, cancellable, error);

  if (self->in != NULL && self->in_pos == self->in_len)
    {
      g_clear_pointer (&self->in, g_free);
      self->in_pos = self->in_len = 0;
    }

  return n;
}

static gssize
tertulia_guard_input_stream_read_fn (GInputStream  *stream,
                                     void          *buffer,
                                     gsize          count,
                                     GCancellable  *cancellable,
                                     GError       **error)
{
  return input_read (TERTULIA_GUARD_INPUT_STREAM (stream), buffer, count, TRUE, cancellable, error);
}

static gssize
tertulia_guard_input_stream_read_nonblocking (GPollableInputStream  *stream,
                                              void                  *buffer,
                                              gsize                  count,
                                              GError               **error)
{
  return input_read (TERTULIA_GUARD_INPUT_STREAM (stream), buffer, count, FALSE, NULL, error);
}

static gboolean
tertulia_guard_input_stream_can_poll (GPollableInputStream *stream)
{
  GInputStream *base = input_base (TERTULIA_GUARD_INPUT_STREAM (stream));

  return G_IS_POLLABLE_INPUT_STREAM (base) &&
         g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (base));
}

static gboolean
tertulia_guard_input_stream_is_readable (GPollableInputStream *stream)
{
  TertuliaGuardInputStream *self = TERTULIA_GUARD_INPUT_STREAM (stream);

  return input_has_buffered (self) ||
         g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (input_base (self)));
}

/* libsoup stops waiting on its source before each read and makes a new
 * one after it. GLib keeps every watched descriptor in one list, walked
 * when a source with one is attached, destroyed or dispatched: with
 * thousands of guests, each read cost walks of thousands (a quarter of a
 * join storm's time). So the socket is watched by one source for the
 * connection's life, whose events are turned on while libsoup waits (no
 * walk), and libsoup's sources watch no descriptor: the watch makes the
 * waiting one ready.
 */
typedef struct
{
  GSource                   source;
  /* Borrowed: the stream destroys the watch before it goes */
  TertuliaGuardInputStream *stream;
} InputWatch;

static void
input_drop_watch (TertuliaGuardInputStream *self)
{
  if (self->watch != NULL)
    {
      g_source_destroy (self->watch);
      g_clear_pointer (&self->watch, g_source_unref);
    }
  g_clear_pointer (&self->waiting, g_source_unref);
}

static void
input_wake_waiting (TertuliaGuardInputStream *self)
{
  if (self->waiting != NULL && !g_source_is_destroyed (self->waiting))
    g_source_set_ready_time (self->waiting, 0);
  g_clear_pointer (&self->waiting, g_source_unref);
}

static gboolean
input_watch_dispatch (GSource     *source,
                      GSourceFunc  callback,
                      gpointer     user_data)
{
  InputWatch *watch = (InputWatch *) source;
  TertuliaGuardInputStream *self = watch->stream;
  GIOCondition condition = g_source_query_unix_fd (source, self->watch_tag);

  /* An error or a hang-up is reported whatever is asked for: libsoup
   * hears of it, and from now on waits on the socket itself.
   */
  if (condition & (G_IO_ERR | G_IO_HUP | G_IO_NVAL))
    {
      self->watch_failed = TRUE;
      input_wake_waiting (self);
      g_clear_pointer (&self->watch, g_source_unref);
      return G_SOURCE_REMOVE;
    }

  g_source_modify_unix_fd (source, self->watch_tag, 0);
  input_wake_waiting (self);

  return G_SOURCE_CONTINUE;
}

static GSourceFuncs input_watch_funcs = {
  .dispatch = input_watch_dispatch,
};

/* The socket's watch, or NULL when there is none to be had */
static GSource *
input_get_watch (TertuliaGuardInputStream *self)
{
  InputWatch *watch;
  GSocket *socket;

  if (self->watch != NULL || self->watch_failed)
    return self->watch;

  if (self->owner == NULL || (socket = guard_get_socket (self->owner)) == NULL ||
      g_input_stream_is_closed (G_INPUT_STREAM (self)))
    return NULL;

  /* Over TLS a readable socket is not readable data (a record may come in
   * pieces, or several at once): the TLS stream's own source knows.
   */
  if (tertulia_socket_get_tls (socket) != NULL)
    return NULL;

  watch = (InputWatch *) g_source_new (&input_watch_funcs, sizeof (InputWatch));
  watch->stream = self;
  g_source_set_static_name (&watch->source, "[tertulia] guest's socket");
  /* A source being dispatched has its descriptors taken out of GLib's
   * list and put back after, two walks; this one never runs the main
   * loop from its dispatch, so it need not be blocked.
   */
  g_source_set_can_recurse (&watch->source, TRUE);
  self->watch_tag = g_source_add_unix_fd (&watch->source, g_socket_get_fd (socket), 0);
  g_source_attach (&watch->source, g_main_context_get_thread_default ());
  self->watch = &watch->source;

  return self->watch;
}

static GSource *
tertulia_guard_input_stream_create_source (GPollableInputStream *stream,
                                           GCancellable         *cancellable)
{
  TertuliaGuardInputStream *self = TERTULIA_GUARD_INPUT_STREAM (stream);
  GSource *watch = input_get_watch (self);
  GSource *base_source;
  GSource *source;

  if (watch != NULL)
    {
      source = g_pollable_source_new_full (stream, NULL, cancellable);

      /* Bytes already read from the socket (by us, or by libsoup before
       * the upgrade) will not wake the socket up
       */
      if (input_has_buffered (self) ||
          (!self->base_drained && g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (input_base (self)))))
        {
          g_source_set_ready_time (source, 0);
        }
      else
        {
          g_clear_pointer (&self->waiting, g_source_unref);
          self->waiting = g_source_ref (source);
          g_source_modify_unix_fd (watch, self->watch_tag, G_IO_IN);
        }

      return source;
    }

  base_source = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (input_base (self)), NULL);
  source = g_pollable_source_new_full (stream, base_source, cancellable);
  g_source_unref (base_source);

  /* Bytes already read from the socket will not wake the socket up */
  if (input_has_buffered (self))
    g_source_set_ready_time (source, 0);

  return source;
}

static void
tertulia_guard_input_stream_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = tertulia_guard_input_stream_can_poll;
  iface->is_readable = tertulia_guard_input_stream_is_readable;
  iface->create_source = tertulia_guard_input_stream_create_source;
  iface->read_nonblocking = tertulia_guard_input_stream_read_nonblocking;
}

static gboolean
tertulia_guard_input_stream_close_fn (GInputStream  *stream,
                                      GCancellable  *cancellable,
                                      GError       **error)
{
  /* The socket may linger, and its descriptor be reused, after this */
  input_drop_watch (TERTULIA_GUARD_INPUT_STREAM (stream));

  return G_INPUT_STREAM_CLASS (tertulia_guard_input_stream_parent_class)->close_fn (stream, cancellable, error);
}

static void
tertulia_guard_input_stream_finalize (GObject *object)
{
  TertuliaGuardInputStream *self = TERTULIA_GUARD_INPUT_STREAM (object);

  input_drop_watch (self);
  g_clear_pointer (&self->in, g_free);

  G_OBJECT_CLASS (tertulia_guard_input_stream_parent_class)->finalize (object);
}

static void
tertulia_guard_input_stream_class_init (TertuliaGuardInputStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *input_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = tertulia_guard_input_stream_finalize;

  input_class->read_fn = tertulia_guard_input_stream_read_fn;
  input_class->close_fn = tertulia_guard_input_stream_close_fn;
}

static void
tertulia_guard_input_stream_init (TertuliaGuardInputStream *self)
{
  self->state = SCAN_HEADER;
  self->header_need = 2;
  self->ping_tokens = TERTULIA_GUARD_PING_BURST;
  self->ping_time = g_get_monotonic_time ();
  self->last_heard = self->ping_time;
}


/* The stream libsoup gets */

struct _TertuliaGuardStream
{
  GIOStream                  parent_instance;

  /* Owned references */
  GIOStream                 *base;
  GSocket                   *socket;
  TertuliaGuardInputStream  *input;
  TertuliaGuardOutputStream *output;
  GSource                   *report_source;

  guint                      pending;    /* bits: 1 << TertuliaGuardViolation */
  guint                      reported;
};

G_DEFINE_FINAL_TYPE (TertuliaGuardStream, tertulia_guard_stream, G_TYPE_IO_STREAM)

static GSocket *
guard_get_socket (TertuliaGuardStream *self)
{
  return self->socket;
}

enum {
  VIOLATION,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static gboolean
guard_report_cb (gpointer user_data)
{
  TertuliaGuardStream *self = user_data;
  guint pending = self->pending;

  g_clear_pointer (&self->report_source, g_source_unref);
  self->pending = 0;

  for (guint violation = TERTULIA_GUARD_VIOLATION_TOO_BIG;
       violation <= TERTULIA_GUARD_VIOLATION_PING_FLOOD;
       violation++)
    {
      if (pending & (1u << violation))
        g_signal_emit (self, signals[VIOLATION], 0, violation);
    }

  return G_SOURCE_REMOVE;
}

static void
guard_report (TertuliaGuardStream    *self,
              TertuliaGuardViolation  violation)
{
  guint bit = 1u << violation;

  if (self->reported & bit)
    return;

  self->reported |= bit;
  self->pending |= bit;

  if (self->report_source == NULL)
    {
      self->report_source = g_idle_source_new ();
      g_source_set_priority (self->report_source, G_PRIORITY_HIGH);
      g_source_set_callback (self->report_source, guard_report_cb, g_object_ref (self), g_object_unref);
      g_source_attach (self->report_source, g_main_context_get_thread_default ());
    }
}

static GInputStream *
tertulia_guard_stream_get_input_stream (GIOStream *stream)
{
  return G_INPUT_STREAM (TERTULIA_GUARD_STREAM (stream)->input);
}

static GOutputStream *
tertulia_guard_stream_get_output_stream (GIOStream *stream)
{
  return G_OUTPUT_STREAM (TERTULIA_GUARD_STREAM (stream)->output);
}

/* The filters leave their base streams alone; closing the base GIOStream
 * is what closes the socket.
 */
static gboolean
tertulia_guard_stream_close_fn (GIOStream     *stream,
                                GCancellable  *cancellable,
                                GError       **error)
{
  TertuliaGuardStream *self = TERTULIA_GUARD_STREAM (stream);
  g_autoptr(GBytes) waiting = NULL;

  if (self->socket != NULL)
    waiting = tertulia_guard_output_stream_steal_waiting (self->output);

  g_input_stream_close (G_INPUT_STREAM (self->input), NULL, NULL);
  g_output_stream_close (G_OUTPUT_STREAM (self->output), NULL, NULL);

  if (self->socket != NULL)
    {
      tertulia_linger_close (self->socket, self->base, waiting, LINGER_MSEC);
      return TRUE;
    }

  return g_io_stream_close (self->base, cancellable, error);
}

/* Closing a socket does not block, so it is done at once rather than in a
 * thread as GIOStream would.
 */
static void
tertulia_guard_stream_close_async (GIOStream           *stream,
                                   int                  io_priority,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (stream, cancellable, callback, user_data);
  GError *error = NULL;

  g_task_set_source_tag (task, tertulia_guard_stream_close_async);

  if (tertulia_guard_stream_close_fn (stream, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static gboolean
tertulia_guard_stream_close_finish (GIOStream     *stream,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
tertulia_guard_stream_dispose (GObject *object)
{
  TertuliaGuardStream *self = TERTULIA_GUARD_STREAM (object);

  if (self->report_source != NULL)
    {
      g_source_destroy (self->report_source);
      g_clear_pointer (&self->report_source, g_source_unref);
    }

  if (self->input != NULL)
    self->input->owner = NULL;

  G_OBJECT_CLASS (tertulia_guard_stream_parent_class)->dispose (object);
}

static void
tertulia_guard_stream_finalize (GObject *object)
{
  TertuliaGuardStream *self = TERTULIA_GUARD_STREAM (object);

  g_clear_object (&self->input);
  g_clear_object (&self->output);
  g_clear_object (&self->base);
  g_clear_object (&self->socket);

  G_OBJECT_CLASS (tertulia_guard_stream_parent_class)->finalize (object);
}

static void
tertulia_guard_stream_class_init (TertuliaGuardStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  object_class->dispose = tertulia_guard_stream_dispose;
  object_class->finalize = tertulia_guard_stream_finalize;

  stream_class->get_input_stream = tertulia_guard_stream_get_input_stream;
  stream_class->get_output_stream = tertulia_guard_stream_get_output_stream;
  stream_class->close_fn = tertulia_guard_stream_close_fn;
  stream_class->close_async = tertulia_guard_stream_close_async;
  stream_class->close_finish = tertulia_guard_stream_close_finish;

  signals[VIOLATION] =
    g_signal_new ("violation",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
tertulia_guard_stream_init (TertuliaGuardStream *self)
{
}

TertuliaGuardStream *
tertulia_guard_stream_new (GIOStream *base,
                           guint64    max_message_bytes)
{
  return tertulia_guard_stream_new_batched (base, max_message_bytes, NULL);
}

TertuliaGuardStream *
tertulia_guard_stream_new_batched (GIOStream          *base,
                                   guint64             max_message_bytes,
                                   TertuliaGuardBatch *batch)
{
  TertuliaGuardStream *self;

  g_return_val_if_fail (G_IS_IO_STREAM (base), NULL);
  g_return_val_if_fail (max_message_bytes > MAX_HEADER_BYTES, NULL);

  self = g_object_new (TERTULIA_TYPE_GUARD_STREAM, NULL);
  self->base = g_object_ref (base);
  self->input = g_object_new (TERTULIA_TYPE_GUARD_INPUT_STREAM,
                              "base-stream", g_io_stream_get_input_stream (base),
                              "close-base-stream", FALSE,
                              NULL);
  self->input->owner = self;
  self->input->max_message_bytes = max_message_bytes;
  self->output = tertulia_guard_output_stream_new (g_io_stream_get_output_stream (base), batch);

  return self;
}

guint64
tertulia_guard_stream_get_bytes_read (TertuliaGuardStream *self)
{
  g_return_val_if_fail (TERTULIA_IS_GUARD_STREAM (self), 0);

  return self->input->bytes_read;
}

guint64
tertulia_guard_stream_get_bytes_written (TertuliaGuardStream *self)
{
  g_return_val_if_fail (TERTULIA_IS_GUARD_STREAM (self), 0);

  return tertulia_guard_output_stream_get_bytes_written (self->output);
}

gboolean
tertulia_guard_stream_write_frame (TertuliaGuardStream *self,
                                   const guint8        *frame,
                                   gsize                length)
{
  g_return_val_if_fail (TERTULIA_IS_GUARD_STREAM (self), FALSE);

  return tertulia_guard_output_stream_write_frame (self->output, frame, length);
}

gboolean
tertulia_guard_stream_write_frame_parts (TertuliaGuardStream *self,
                                         const GOutputVector *parts,
                                         gsize                n_parts)
{
  g_return_val_if_fail (TERTULIA_IS_GUARD_STREAM (self), FALSE);

  return tertulia_guard_output_stream_write_frame_parts (self->output, parts, n_parts);
}

gint64
tertulia_guard_stream_get_last_heard (TertuliaGuardStream *self)
{
  TertuliaGuardBatch *batch;
  gint64 heard;

  g_return_val_if_fail (TERTULIA_IS_GUARD_STREAM (self), 0);

  heard = self->input->last_heard;

  /* A host that did not run could not hear anyone: the time it stood still
   * does not count as the guest's silence.
   */
  batch = tertulia_guard_output_stream_get_batch (self->output);
  if (batch != NULL)
    heard = MAX (heard, tertulia_guard_batch_get_stall_end (batch));

  /* Bytes that arrived and were not read yet (a host that just woke reads
   * them after its timers) were heard all the same.
   */
  if (!g_input_stream_is_closed (G_INPUT_STREAM (self->input)) &&
      g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (self->input)))
    heard = g_get_monotonic_time ();

  return heard;
}

void
tertulia_guard_stream_set_socket (TertuliaGuardStream *self,
                                  GSocket             *socket)
{
  g_return_if_fail (TERTULIA_IS_GUARD_STREAM (self));
  g_return_if_fail (socket == NULL || G_IS_SOCKET (socket));

  g_set_object (&self->socket, socket);
  tertulia_guard_output_stream_set_lingers (self->output, socket != NULL);
  tertulia_guard_output_stream_set_coalesce (self->output,
                                             socket != NULL && tertulia_socket_get_tls (socket) != NULL);
}



/* tertulia-server-output.c — the sending side of a guest's connection:
 * frames written around libsoup (tertulia-server-batch.c sends them once
 * per main loop iteration)
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-server"

#include "config.h"

#include <string.h>

#include "tertulia-server-output.h"
#include "tertulia-server-output-private.h"

/* Past this, what waits is sent at once rather than at the end of the
 * iteration: one send() this big costs hardly more per byte than a bigger
 * one, and the buffer stays small.
 */
#define SEND_NOW_BYTES    (64 * 1024)
/* The first buffer for frames that wait: a few events */
#define MIN_BUFFER_BYTES  512
/* A buffer that grew past this (for a welcome, or a guest that fell
 * behind) is not kept
 */
#define KEEP_MAX_BYTES    SEND_NOW_BYTES

#define OPCODE_CLOSE      0x8
/* writev() takes this many vectors at most (IOV_MAX on Linux); GLib
 * writes no more than that in one go
 */
#define IOV_MAX_GUESS     1024

static void tertulia_guard_output_stream_pollable_init (GPollableOutputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TertuliaGuardOutputStream, tertulia_guard_output_stream, G_TYPE_FILTER_OUTPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_OUTPUT_STREAM,
                                                      tertulia_guard_output_stream_pollable_init))

static GOutputStream *
output_base (TertuliaGuardOutputStream *self)
{
  return g_filter_output_stream_get_base_stream (G_FILTER_OUTPUT_STREAM (self));
}

gboolean
_tertulia_guard_output_has_waiting (TertuliaGuardOutputStream *self)
{
  return self->start < self->end;
}

static void
output_stop_waiting_for_room (TertuliaGuardOutputStream *self)
{
  if (self->writable_source != NULL)
    {
      g_source_destroy (self->writable_source);
      g_clear_pointer (&self->writable_source, g_source_unref);
    }
}

void
_tertulia_guard_output_free_buffer (TertuliaGuardOutputStream *self)
{
  g_clear_pointer (&self->data, g_free);
  self->start = self->end = self->size = self->boundary = 0;
}

/* The length of the frame at @offset of what waits: its header is always
 * there whole, since frames are queued whole (or as the rest of one).
 */
static gsize
output_frame_length (TertuliaGuardOutputStream *self,
                     gsize                      offset)
{
  const guint8 *p = self->data + offset;
  guint length7 = p[1] & 0x7f;
  gsize header = 2 + ((p[1] & 0x80) ? 4 : 0);
  guint64 payload = length7;

  if (length7 == 126)
    {
      payload = ((guint64) p[2] << 8) | p[3];
      header += 2;
    }
  else if (length7 == 127)
    {
      payload = 0;
      for (guint i = 2; i < 10; i++)
        payload = (payload << 8) | p[i];
      header += 8;
    }

  return header + (gsize) payload;
}

/* Moves the boundary to the end of the frame that is going out */
static void
output_find_boundary (TertuliaGuardOutputStream *self)
{
  while (self->boundary < self->start && self->boundary < self->end)
    self->boundary += output_frame_length (self, self->boundary);
}

/* The connection is closing: what the room said since is no use to the
 * guest any more (it resumes and gets it from the history), and must not
 * keep the error and close frames from it. The frame that began going out
 * is finished; of the others, only libsoup's control frames and errors
 * stay.
 */
static void
output_drop_room_frames (TertuliaGuardOutputStream *self)
{
  gsize in;
  gsize out;

  output_find_boundary (self);

  for (in = out = MIN (self->boundary, self->end); in < self->end; )
    {
      gsize length = output_frame_length (self, in);
      const guint8 *frame = self->data + in;
      static const char error[] = "{\"type\":\"error\"";
      /* Server frames are not masked: the payload follows the header */
      gsize header = 2 + ((frame[1] & 0x7f) == 126 ? 2 : (frame[1] & 0x7f) == 127 ? 8 : 0);
      gboolean keep;

      keep = (frame[0] & 0x08) != 0 ||
             (length - header >= sizeof error - 1 &&
              memcmp (frame + header, error, sizeof error - 1) == 0);

      if (keep)
        {
          memmove (self->data + out, frame, length);
          out += length;
        }
      in += length;
    }

  if (out < self->end)
    g_debug ("closing: %" G_GSIZE_FORMAT " bytes of the room's frames dropped", self->end - out);
  self->end = out;
}

/* Everything went out; the buffer stays for the next frames, if the batch
 * keeps it.
 */
static void
output_all_sent (TertuliaGuardOutputStream *self)
{
  self->start = self->end = 0;
  output_stop_waiting_for_room (self);

  if (self->batch != NULL && self->size <= KEEP_MAX_BYTES)
    _tertulia_guard_batch_keep (self->batch, self);
  else
    _tertulia_guard_output_free_buffer (self);
}

/* Frames that wait are dropped: the connection closed or failed. */
static void
output_drop_waiting (TertuliaGuardOutputStream *self)
{
  _tertulia_guard_output_free_buffer (self);
  output_stop_waiting_for_room (self);
}

static void
output_append (TertuliaGuardOutputStream *self,
               const guint8              *frame,
               gsize                      length,
               gboolean                   remainder)
{
  if (self->start == self->end)
    {
      self->start = self->end = self->boundary = 0;
      if (remainder)
        self->boundary = length;
    }

  if (self->end + length > self->size)
    {
      gsize waiting = self->end - self->start;
      gsize size = MAX (self->size, MIN_BUFFER_BYTES);

      if (self->start > 0)
        {
          output_find_boundary (self);
          memmove (self->data, self->data + self->start, waiting);
          self->boundary -= self->start;
          self->start = 0;
          self->end = waiting;
        }

      while (size < waiting + length)
        size *= 2;

      if (size != self->size)
        {
          self->data = g_realloc (self->data, size);
          self->size = size;
        }
    }

  memcpy (self->data + self->end, frame, length);
  self->end += length;
}

static gboolean output_writable_cb (GObject  *base,
                                    gpointer  user_data);

/* The socket is full: what waits goes when it has room */
static void
output_wait_for_room (TertuliaGuardOutputStream *self)
{
  if (self->writable_source != NULL)
    return;

  self->writable_source = g_pollable_output_stream_create_source (G_POLLABLE_OUTPUT_STREAM (output_base (self)),
                                                                  NULL);
  g_source_set_callback (self->writable_source, G_SOURCE_FUNC (output_writable_cb), self, NULL);
  g_source_attach (self->writable_source, g_main_context_get_thread_default ());
}

/* What the frames about to leave say must be kept first (the host's
 * journal commits), so that no guest ever has an event a restarted host
 * would not know.
 */
static void
output_before_send (TertuliaGuardOutputStream *self)
{
  if (self->batch != NULL && self->batch->before_send != NULL)
    self->batch->before_send (self->batch->before_send_data);
}

/* Sends what waits, as far as the socket takes it; if the socket is full,
 * the rest goes when it has room.
 */
void
_tertulia_guard_output_send_waiting (TertuliaGuardOutputStream *self)
{
  GError *error = NULL;
  gssize n;

  if (!_tertulia_guard_output_has_waiting (self) || self->error != NULL)
    return;

  output_before_send (self);

  /* A TLS stream takes a record (16 KB) at a time: again while it takes */
  do
    {
      n = g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (output_base (self)),
                                                      self->data + self->start, self->end - self->start,
                                                      NULL, &error);
      if (n > 0)
        {
          self->bytes_written += (guint64) n;
          self->start += (gsize) n;
          if (!_tertulia_guard_output_has_waiting (self))
            {
              output_all_sent (self);
              return;
            }
        }
    }
  while (n > 0 && self->coalesce);

  if (n < 0 && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    {
      /* The guest is gone. libsoup hears of it from the reading side, or
       * from its next write, which gets this error.
       */
      g_debug ("sending to a guest failed: %s", error->message);
      self->error = error;
      output_drop_waiting (self);
      return;
    }

  g_clear_error (&error);

  output_wait_for_room (self);
}

static gboolean
output_writable_cb (GObject  *base,
                    gpointer  user_data)
{
  TertuliaGuardOutputStream *self = user_data;

  /* Returning G_SOURCE_REMOVE destroys the source */
  g_clear_pointer (&self->writable_source, g_source_unref);
  _tertulia_guard_output_send_waiting (self);

  return G_SOURCE_REMOVE;
}

/* Takes bytes to send after everything before them: whole frames, or
 * the @remainder of one that went out in part. The @parts are queued
 * together, with no send between them: a frame handed over in parts (a
 * header, then its payload) must never have its header leave alone, or
 * what waits would start inside a frame and a closing connection, which
 * walks what waits frame by frame, would cut it.
 */
/* Whole frames, in @parts, straight to the socket, as far as it takes
 * them; nothing waits before them. What it does not take waits, a
 * frame boundary at its end. FALSE if the socket failed.
 */
static gboolean
output_send_parts (TertuliaGuardOutputStream *self,
                   const GOutputVector       *parts,
                   gsize                      n_parts)
{
  GError *error = NULL;
  gsize written = 0;
  GPollableReturn sent;

  g_assert (!_tertulia_guard_output_has_waiting (self));

  if (self->coalesce)
    {
      /* Whole frames after a boundary (nothing waited): they go out, or
       * wait, like any that wait
       */
      for (gsize i = 0; i < n_parts; i++)
        output_append (self, parts[i].buffer, parts[i].size, FALSE);
      _tertulia_guard_output_send_waiting (self);
      return self->error == NULL;
    }

  output_before_send (self);

  sent = g_pollable_output_stream_writev_nonblocking (G_POLLABLE_OUTPUT_STREAM (output_base (self)),
                                                      parts, n_parts, &written, NULL, &error);
  if (sent == G_POLLABLE_RETURN_FAILED)
    {
      g_debug ("sending to a guest failed: %s", error->message);
      self->error = error;
      output_drop_waiting (self);
      return FALSE;
    }

  self->bytes_written += written;

  /* The rest, possibly from inside a frame: the end of it all is a frame
   * boundary (writev may also stop early at its limit on vectors).
   */
  for (gsize i = 0; i < n_parts; i++)
    {
      gsize skip = MIN (written, parts[i].size);

      written -= skip;
      if (skip < parts[i].size)
        output_append (self, (const guint8 *) parts[i].buffer + skip, parts[i].size - skip, FALSE);
    }
  self->boundary = self->end;

  if (!_tertulia_guard_output_has_waiting (self))
    output_all_sent (self);
  else if (sent == G_POLLABLE_RETURN_OK && n_parts > IOV_MAX_GUESS)
    _tertulia_guard_output_send_waiting (self);
  else
    output_wait_for_room (self);

  return TRUE;
}

static void
output_queue_parts (TertuliaGuardOutputStream *self,
                    const GOutputVector       *parts,
                    gsize                      n_parts,
                    gboolean                   remainder)
{
  /* A full socket sends the rest when it has room */
  gboolean socket_full = self->writable_source != NULL;
  gsize length = 0;

  for (gsize i = 0; i < n_parts; i++)
    length += parts[i].size;

  /* Nothing waits, and nothing would go along with these frames (the
   * batch is sending, or they are big): they are not copied.
   */
  if (!socket_full && !remainder && !_tertulia_guard_output_has_waiting (self) &&
      (self->batch == NULL || self->batch->flushing || length >= SEND_NOW_BYTES))
    {
      self->used = TRUE;
      output_send_parts (self, parts, n_parts);
      return;
    }

  /* What waits goes before it passes SEND_NOW_BYTES, so that a busy
   * guest's buffer stays within it.
   */
  if (!socket_full && self->end - self->start + length > SEND_NOW_BYTES)
    _tertulia_guard_output_send_waiting (self);

  for (gsize i = 0; i < n_parts; i++)
    if (parts[i].size > 0)
      output_append (self, parts[i].buffer, parts[i].size, remainder && i == 0);
  self->used = TRUE;

  if (self->writable_source != NULL)
    return;

  if (self->batch == NULL || self->end - self->start >= SEND_NOW_BYTES)
    _tertulia_guard_output_send_waiting (self);
  else
    _tertulia_guard_batch_add (self->batch, self);
}

static void
output_queue (TertuliaGuardOutputStream *self,
              const guint8              *bytes,
              gsize                      length,
              gboolean                   remainder)
{
  GOutputVector part = { bytes, length };

  output_queue_parts (self, &part, 1, remainder);
}

/* Sends what waits before a close frame: all of it, or "would block" */
static gboolean
output_send_all_waiting (TertuliaGuardOutputStream  *self,
                         gboolean                    blocking,
                         GCancellable               *cancellable,
                         GError                    **error)
{
  if (blocking && _tertulia_guard_output_has_waiting (self))
    {
      gsize written = 0;
      gboolean sent;

      output_before_send (self);
      sent = g_output_stream_write_all (output_base (self), self->data + self->start,
                                        self->end - self->start, &written, cancellable, error);
      self->bytes_written += written;
      self->start += written;
      if (!sent)
        return FALSE;
      output_all_sent (self);
    }
  else
    {
      _tertulia_guard_output_send_waiting (self);
    }

  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return FALSE;
    }

  if (_tertulia_guard_output_has_waiting (self))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, "Earlier frames are still waiting");
      return FALSE;
    }

  return TRUE;
}

/* libsoup's own writes. It writes whole frames, and after a partial write
 * the rest of the same frame.
 *
 * A close frame goes only once everything before it is out, straight to
 * the socket, and only what the socket took counts as written: libsoup
 * closes the socket as soon as the frame is written.
 *
 * Any other frame of libsoup's (a welcome, an error, a ping or a pong) is
 * taken whole, so that libsoup keeps no queue the host's frames would have
 * to wait behind: it goes after what waits, or straight to the socket if
 * nothing does (a big welcome is not copied), and what the socket does not
 * take waits with the rest.
 */
static gssize
output_write (TertuliaGuardOutputStream  *self,
              const void                 *buffer,
              gsize                       count,
              gboolean                    blocking,
              GCancellable               *cancellable,
              GError                    **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean close_frame;
  gssize n;

  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return -1;
    }

  if (count == 0)
    return 0;

  close_frame = self->in_close_frame || (((const guint8 *) buffer)[0] & 0x0f) == OPCODE_CLOSE;
  if (close_frame)
    self->closing = TRUE;

  if (_tertulia_guard_output_has_waiting (self))
    {
      if (!close_frame)
        {
          output_queue (self, buffer, count, FALSE);
          return (gssize) count;
        }

      /* The close frame waits here, after the errors, and the graceful
       * close sends them all (libsoup closes the stream when it gave up
       * waiting for the guest's close; that close hands them over).
       */
      if (self->lingers && !self->in_close_frame)
        {
          output_drop_room_frames (self);
          output_queue (self, buffer, count, FALSE);
          return (gssize) count;
        }

      if (!output_send_all_waiting (self, blocking, cancellable, error))
        return -1;
    }

  if (blocking)
    n = g_output_stream_write (output_base (self), buffer, count, cancellable, &local_error);
  else
    n = g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (output_base (self)),
                                                    buffer, count, NULL, &local_error);
  if (n > 0)
    self->bytes_written += (guint64) n;

  if (close_frame)
    {
      if (n > 0)
        self->in_close_frame = (gsize) n < count;
      else if (n < 0)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return n;
    }

  if (n < 0 && !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return -1;
    }

  if ((gsize) MAX (n, 0) < count)
    output_queue (self, (const guint8 *) buffer + MAX (n, 0), count - (gsize) MAX (n, 0), n > 0);

  return (gssize) count;
}

static gssize
tertulia_guard_output_stream_write_fn (GOutputStream  *stream,
                                       const void     *buffer,
                                       gsize           count,
                                       GCancellable   *cancellable,
                                       GError        **error)
{
  return output_write (TERTULIA_GUARD_OUTPUT_STREAM (stream), buffer, count, TRUE, cancellable, error);
}

static gssize
tertulia_guard_output_stream_write_nonblocking (GPollableOutputStream  *stream,
                                                const void             *buffer,
                                                gsize                   count,
                                                GError                **error)
{
  return output_write (TERTULIA_GUARD_OUTPUT_STREAM (stream), buffer, count, FALSE, NULL, error);
}

/* Frames that wait are dropped, as libsoup drops its queue when it closes
 * without a close handshake.
 */
static gboolean
tertulia_guard_output_stream_close_fn (GOutputStream  *stream,
                                       GCancellable   *cancellable,
                                       GError        **error)
{
  output_drop_waiting (TERTULIA_GUARD_OUTPUT_STREAM (stream));

  return G_OUTPUT_STREAM_CLASS (tertulia_guard_output_stream_parent_class)->close_fn (stream, cancellable, error);
}

static gboolean
tertulia_guard_output_stream_can_poll (GPollableOutputStream *stream)
{
  GOutputStream *base = output_base (TERTULIA_GUARD_OUTPUT_STREAM (stream));

  return G_IS_POLLABLE_OUTPUT_STREAM (base) &&
         g_pollable_output_stream_can_poll (G_POLLABLE_OUTPUT_STREAM (base));
}

static gboolean
tertulia_guard_output_stream_is_writable (GPollableOutputStream *stream)
{
  TertuliaGuardOutputStream *self = TERTULIA_GUARD_OUTPUT_STREAM (stream);

  return !_tertulia_guard_output_has_waiting (self) &&
         g_pollable_output_stream_is_writable (G_POLLABLE_OUTPUT_STREAM (output_base (self)));
}

/* libsoup waits on this after "would block", for a close frame */
static GSource *
tertulia_guard_output_stream_create_source (GPollableOutputStream *stream,
                                            GCancellable          *cancellable)
{
  TertuliaGuardOutputStream *self = TERTULIA_GUARD_OUTPUT_STREAM (stream);
  GSource *base_source;
  GSource *source;

  base_source = g_pollable_output_stream_create_source (G_POLLABLE_OUTPUT_STREAM (output_base (self)), NULL);
  source = g_pollable_source_new_full (stream, base_source, cancellable);
  g_source_unref (base_source);

  return source;
}

static void
tertulia_guard_output_stream_pollable_init (GPollableOutputStreamInterface *iface)
{
  iface->can_poll = tertulia_guard_output_stream_can_poll;
  iface->is_writable = tertulia_guard_output_stream_is_writable;
  iface->create_source = tertulia_guard_output_stream_create_source;
  iface->write_nonblocking = tertulia_guard_output_stream_write_nonblocking;
}

static void
tertulia_guard_output_stream_dispose (GObject *object)
{
  TertuliaGuardOutputStream *self = TERTULIA_GUARD_OUTPUT_STREAM (object);

  output_drop_waiting (self);

  G_OBJECT_CLASS (tertulia_guard_output_stream_parent_class)->dispose (object);
}

static void
tertulia_guard_output_stream_finalize (GObject *object)
{
  TertuliaGuardOutputStream *self = TERTULIA_GUARD_OUTPUT_STREAM (object);

  g_clear_pointer (&self->batch, tertulia_guard_batch_unref);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (tertulia_guard_output_stream_parent_class)->finalize (object);
}

static void
tertulia_guard_output_stream_class_init (TertuliaGuardOutputStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GOutputStreamClass *output_class = G_OUTPUT_STREAM_CLASS (klass);

  object_class->dispose = tertulia_guard_output_stream_dispose;
  object_class->finalize = tertulia_guard_output_stream_finalize;

  output_class->write_fn = tertulia_guard_output_stream_write_fn;
  output_class->close_fn = tertulia_guard_output_stream_close_fn;
}

static void
tertulia_guard_output_stream_init (TertuliaGuardOutputStream *self)
{
}

TertuliaGuardOutputStream *
tertulia_guard_output_stream_new (GOutputStream      *base,
                                  TertuliaGuardBatch *batch)
{
  TertuliaGuardOutputStream *self;

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (base), NULL);

  self = g_object_new (TERTULIA_TYPE_GUARD_OUTPUT_STREAM,
                       "base-stream", base,
                       "close-base-stream", FALSE,
                       NULL);
  if (batch != NULL)
    self->batch = tertulia_guard_batch_ref (batch);

  return self;
}

/* Takes a whole frame, to be sent at the end of the iteration (or at once,
 * past SEND_NOW_BYTES or without a batch). FALSE when the socket failed
 * (libsoup hears of it when it next writes) or the connection is closing.
 */
gboolean
tertulia_guard_output_stream_write_frame (TertuliaGuardOutputStream *self,
                                          const guint8              *frame,
                                          gsize                      length)
{
  GOutputVector part = { frame, length };

  g_return_val_if_fail (frame != NULL && length > 0, FALSE);

  return tertulia_guard_output_stream_write_frame_parts (self, &part, 1);
}

/* As tertulia_guard_output_stream_write_frame(), for one whole frame in
 * @n_parts pieces (a header, then its payload), taken all or nothing
 */
gboolean
tertulia_guard_output_stream_write_frame_parts (TertuliaGuardOutputStream *self,
                                                const GOutputVector       *parts,
                                                gsize                      n_parts)
{
  g_return_val_if_fail (TERTULIA_IS_GUARD_OUTPUT_STREAM (self), FALSE);
  g_return_val_if_fail (parts != NULL && n_parts > 0 && parts[0].size > 0, FALSE);

  if (self->error != NULL || self->closing || g_output_stream_is_closed (G_OUTPUT_STREAM (self)))
    return FALSE;

  output_queue_parts (self, parts, n_parts, FALSE);

  return TRUE;
}

guint64
tertulia_guard_output_stream_get_bytes_written (TertuliaGuardOutputStream *self)
{
  g_return_val_if_fail (TERTULIA_IS_GUARD_OUTPUT_STREAM (self), 0);

  return self->bytes_written;
}

void
tertulia_guard_output_stream_set_coalesce (TertuliaGuardOutputStream *self,
                                           gboolean                   coalesce)
{
  g_return_if_fail (TERTULIA_IS_GUARD_OUTPUT_STREAM (self));

  self->coalesce = coalesce;
}

void
tertulia_guard_output_stream_set_lingers (TertuliaGuardOutputStream *self,
                                          gboolean                   lingers)
{
  g_return_if_fail (TERTULIA_IS_GUARD_OUTPUT_STREAM (self));

  self->lingers = lingers;
}

GBytes *
tertulia_guard_output_stream_steal_waiting (TertuliaGuardOutputStream *self)
{
  GBytes *waiting = NULL;

  g_return_val_if_fail (TERTULIA_IS_GUARD_OUTPUT_STREAM (self), NULL);

  if (_tertulia_guard_output_has_waiting (self) && self->error == NULL)
    waiting = g_bytes_new (self->data + self->start, self->end - self->start);
  output_drop_waiting (self);

  return waiting;
}

TertuliaGuardBatch *
tertulia_guard_output_stream_get_batch (TertuliaGuardOutputStream *self)
{
  g_return_val_if_fail (TERTULIA_IS_GUARD_OUTPUT_STREAM (self), NULL);

  return self->batch;
}


gsize
tertulia_guard_text_frame_header (guint8 *header,
                                  gsize   payload_length)
{
  guint8 bytes[TERTULIA_GUARD_MAX_FRAME_HEADER];
  gsize n;

  /* FIN and the text opcode; a server never masks */
  bytes[0] = 0x81;

  /* The shortest form of the length, as RFC 6455 requires */
  if (payload_length < 126)
    {
      bytes[1] = (guint8) payload_length;
      n = 2;
    }
  else if (payload_length <= G_MAXUINT16)
    {
      bytes[1] = 126;
      bytes[2] = (guint8) (payload_length >> 8);
      bytes[3] = (guint8) payload_length;
      n = 4;
    }
  else
    {
      guint64 length = payload_length;

      bytes[1] = 127;
      for (guint i = 0; i < 8; i++)
        bytes[2 + i] = (guint8) (length >> (8 * (7 - i)));
      n = 10;
    }

  if (header != NULL)
    memcpy (header, bytes, n);

  return n;
}

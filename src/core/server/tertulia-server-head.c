/* tertulia-server-head.c — a request's head, looked at before libsoup parses it
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-server"

#include "config.h"

#include <string.h>

#include "tertulia-server-head.h"

/* libsoup refuses longer heads itself */
#define MAX_HEAD_BYTES (64 * 1024)

struct _TertuliaHeadStream
{
  GFilterInputStream  parent_instance;

  /* The first head so far; NULL once it went by */
  GString            *head;
  /* It had what libsoup cannot take: the stream ends here */
  gboolean            refused;
};

static void tertulia_head_stream_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TertuliaHeadStream, tertulia_head_stream, G_TYPE_FILTER_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      tertulia_head_stream_pollable_init))

static GInputStream *
head_base (TertuliaHeadStream *self)
{
  return g_filter_input_stream_get_base_stream (G_FILTER_INPUT_STREAM (self));
}

/* A header line, lowercase, without its name's trailing spaces: whether
 * it is @name, and its value trimmed
 */
static gboolean
line_is (const char  *line,
         gsize        length,
         const char  *name,
         char       **value)
{
  gsize name_length = strlen (name);

  if (length <= name_length || line[name_length] != ':' ||
      g_ascii_strncasecmp (line, name, name_length) != 0)
    return FALSE;

  *value = g_strstrip (g_strndup (line + name_length + 1, length - name_length - 1));
  return TRUE;
}

static gboolean
head_is_acceptable (const char *head,
                    gsize       length)
{
  guint n_lengths = 0;

  for (const char *line = head; line < head + length; )
    {
      const char *end = memchr (line, '\n', (gsize) (head + length - line));
      gsize line_length = (gsize) ((end != NULL ? end : head + length) - line);
      g_autofree char *value = NULL;

      if (line_length > 0 && line[line_length - 1] == '\r')
        line_length--;

      if (line_is (line, line_length, "Transfer-Encoding", &value))
        {
          /* libsoup knows these two; a body is refused at the headers */
          if (g_ascii_strcasecmp (value, "chunked") != 0 && g_ascii_strcasecmp (value, "identity") != 0)
            return FALSE;
        }
      else if (line_is (line, line_length, "Content-Length", &value) && ++n_lengths > 1)
        {
          return FALSE;
        }

      if (end == NULL)
        break;
      line = end + 1;
    }

  return TRUE;
}

/* Follows the first head through @n new bytes at the end of @buffer */
static void
head_follow (TertuliaHeadStream *self,
             const guint8       *buffer,
             gsize               n)
{
  gsize from = self->head->len > 3 ? self->head->len - 3 : 0;
  const char *end;

  g_string_append_len (self->head, (const char *) buffer, (gssize) n);
  end = g_strstr_len (self->head->str + from, (gssize) (self->head->len - from), "\r\n\r\n");

  if (end == NULL && self->head->len < MAX_HEAD_BYTES)
    return;

  if (end != NULL && !head_is_acceptable (self->head->str, (gsize) (end - self->head->str)))
    {
      g_debug ("a request head libsoup would mishandle; ending the connection");
      self->refused = TRUE;
    }

  g_string_free (g_steal_pointer (&self->head), TRUE);
}

static gssize
head_read (TertuliaHeadStream  *self,
           void                *buffer,
           gsize                count,
           gboolean             blocking,
           GCancellable        *cancellable,
           GError             **error)
{
  gssize n;

  if (self->refused)
    return 0;

  if (blocking)
    n = g_input_stream_read (head_base (self), buffer, count, cancellable, error);
  else
    n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (head_base (self)),
                                                  buffer, count, cancellable, error);

  if (n > 0 && self->head != NULL)
    {
      head_follow (self, buffer, (gsize) n);
      /* None of a refused head reaches libsoup: to it, the connection
       * ended before the head did.
       */
      if (self->refused)
        return 0;
    }

  return n;
}

static gssize
tertulia_head_stream_read_fn (GInputStream  *stream,
                              void          *buffer,
                              gsize          count,
                              GCancellable  *cancellable,
                              GError       **error)
{
  return head_read (TERTULIA_HEAD_STREAM (stream), buffer, count, TRUE, cancellable, error);
}

static gssize
tertulia_head_stream_read_nonblocking (GPollableInputStream  *stream,
                                       void                  *buffer,
                                       gsize                  count,
                                       GError               **error)
{
  return head_read (TERTULIA_HEAD_STREAM (stream), buffer, count, FALSE, NULL, error);
}

static gboolean
tertulia_head_stream_can_poll (GPollableInputStream *stream)
{
  GInputStream *base = head_base (TERTULIA_HEAD_STREAM (stream));

  return G_IS_POLLABLE_INPUT_STREAM (base) &&
         g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (base));
}

static gboolean
tertulia_head_stream_is_readable (GPollableInputStream *stream)
{
  TertuliaHeadStream *self = TERTULIA_HEAD_STREAM (stream);

  return self->refused ||
         g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (head_base (self)));
}

static GSource *
tertulia_head_stream_create_source (GPollableInputStream *stream,
                                    GCancellable         *cancellable)
{
  TertuliaHeadStream *self = TERTULIA_HEAD_STREAM (stream);
  GSource *base_source;
  GSource *source;

  base_source = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (head_base (self)), NULL);
  source = g_pollable_source_new_full (stream, base_source, cancellable);
  g_source_unref (base_source);

  /* The end it will read is there now */
  if (self->refused)
    g_source_set_ready_time (source, 0);

  return source;
}

static void
tertulia_head_stream_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = tertulia_head_stream_can_poll;
  iface->is_readable = tertulia_head_stream_is_readable;
  iface->create_source = tertulia_head_stream_create_source;
  iface->read_nonblocking = tertulia_head_stream_read_nonblocking;
}

static void
tertulia_head_stream_finalize (GObject *object)
{
  TertuliaHeadStream *self = TERTULIA_HEAD_STREAM (object);

  if (self->head != NULL)
    g_string_free (self->head, TRUE);

  G_OBJECT_CLASS (tertulia_head_stream_parent_class)->finalize (object);
}

static void
tertulia_head_stream_class_init (TertuliaHeadStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *input_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = tertulia_head_stream_finalize;
  input_class->read_fn = tertulia_head_stream_read_fn;
}

static void
tertulia_head_stream_init (TertuliaHeadStream *self)
{
  self->head = g_string_new (NULL);
}

TertuliaHeadStream *
tertulia_head_stream_new (GInputStream *base)
{
  g_return_val_if_fail (G_IS_INPUT_STREAM (base), NULL);

  return g_object_new (TERTULIA_TYPE_HEAD_STREAM,
                       "base-stream", base,
                       "close-base-stream", FALSE,
                       NULL);
}

/* tertulia-server-output-private.h — what the guard's output stream and
 * its batch share
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tertulia-server-output.h"

G_BEGIN_DECLS

/* A guest's buffer stays while frames keep coming (allocating and freeing
 * one per guest per iteration made malloc return memory to the kernel and
 * fault it back in, every iteration); it goes once the guest got nothing
 * for this long, so idle guests cost nothing here.
 */
#define KEEP_SECONDS      1

struct _TertuliaGuardBatch
{
  /* Owned: the streams with frames waiting for the end of the iteration */
  GPtrArray *streams;
  /* Attached while any stream waits */
  GSource   *source;

  /* Owned: the streams keeping an empty buffer */
  GPtrArray *keeping;
  /* Attached while any stream keeps one: lets go of the buffers of those
   * that got nothing since the last time
   */
  GSource   *release_source;

  /* The host's own stalls: a tick that does not hold a reference */
  GSource   *tick_source;
  gint64     last_tick;
  gint64     stall_end;

  /* Called first when the batch sends (tertulia_guard_batch_set_flush) */
  void     (*flush) (gpointer user_data);
  gpointer   flush_data;
  /* Inside flush: what is written goes out at once */
  gboolean   flushing;

  /* Called before any of its streams sends (tertulia_guard_batch_set_before_send) */
  void     (*before_send) (gpointer user_data);
  gpointer   before_send_data;
};

struct _TertuliaGuardOutputStream
{
  GFilterOutputStream  parent_instance;

  /* Owned references */
  TertuliaGuardBatch  *batch;
  /* Attached while the socket is full and frames wait */
  GSource             *writable_source;
  /* The socket failed; nothing more goes out */
  GError              *error;
  /* libsoup began to write its close frame, which nothing may follow */
  gboolean             closing;
  /* and that frame went out in part */
  gboolean             in_close_frame;

  /* Frames waiting: data[start, end) of a buffer of size bytes */
  guint8              *data;
  gsize                start;
  gsize                end;
  gsize                size;
  /* A frame boundary at or before start, or the end of the frame that
   * began going out (a frame whose rest waits); frames follow it whole
   */
  gsize                boundary;
  /* A graceful close takes over what waits (see
   * tertulia_guard_stream_set_socket()): libsoup's close frame then waits
   * with it instead of in libsoup
   */
  gboolean             lingers;
  /* Frames are gathered before they are written (TLS) */
  gboolean             coalesce;

  /* Listed in the batch's streams, keeping */
  gboolean             in_batch;
  gboolean             keeping;
  /* A frame came since the batch last looked */
  gboolean             used;

  guint64              bytes_written;
};

/* tertulia-server-output.c */
gboolean _tertulia_guard_output_has_waiting  (TertuliaGuardOutputStream *self);
void     _tertulia_guard_output_free_buffer  (TertuliaGuardOutputStream *self);
void     _tertulia_guard_output_send_waiting (TertuliaGuardOutputStream *self);

/* tertulia-server-batch.c: sends @stream's frames at the end of the main
 * loop iteration, with every other guest's
 */
void     _tertulia_guard_batch_add           (TertuliaGuardBatch        *batch,
                                              TertuliaGuardOutputStream *stream);
/* Keeps @stream's empty buffer while frames keep coming */
void     _tertulia_guard_batch_keep          (TertuliaGuardBatch        *batch,
                                              TertuliaGuardOutputStream *stream);

G_END_DECLS

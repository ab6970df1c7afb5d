/* tertulia-server-batch.c — every guest's frames sent once per main-loop
 * iteration, idle guests' buffers let go, and the host's own stalls told
 * apart from its guests' silence
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-server"

#include "config.h"

#include "tertulia-server-output-private.h"

/* The host's main loop ticks this often while it hosts… */
#define TICK_SECONDS      1
/* …and a gap between two ticks longer than this is the host's own stall
 * (suspended, swapped out, stopped in a debugger), not its guests'.
 */
#define STALL_USEC        (3 * G_USEC_PER_SEC)

static gboolean
batch_send_cb (gpointer user_data)
{
  TertuliaGuardBatch *batch = user_data;

  /* The host hands over what its room said in this iteration first: its
   * streams join the ones below, and what it writes meanwhile goes straight
   * to the sockets, since nothing more is coming to go along with it.
   */
  if (batch->flush != NULL)
    {
      batch->flushing = TRUE;
      batch->flush (batch->flush_data);
      batch->flushing = FALSE;
    }

  /* Returning G_SOURCE_REMOVE destroys the source */
  g_clear_pointer (&batch->source, g_source_unref);

  for (guint i = 0; i < batch->streams->len; i++)
    {
      TertuliaGuardOutputStream *stream = g_ptr_array_index (batch->streams, i);

      stream->in_batch = FALSE;
      _tertulia_guard_output_send_waiting (stream);
    }

  g_ptr_array_set_size (batch->streams, 0);

  return G_SOURCE_REMOVE;
}

/* Only when the main context goes away with the source still attached:
 * the streams must not keep the batch alive through their references.
 */
static void
batch_send_destroyed_cb (gpointer user_data)
{
  TertuliaGuardBatch *batch = user_data;

  for (guint i = 0; i < batch->streams->len; i++)
    ((TertuliaGuardOutputStream *) g_ptr_array_index (batch->streams, i))->in_batch = FALSE;
  g_ptr_array_set_size (batch->streams, 0);
  g_clear_pointer (&batch->source, g_source_unref);

  tertulia_guard_batch_unref (batch);
}

void
tertulia_guard_batch_wake (TertuliaGuardBatch *batch)
{
  g_return_if_fail (batch != NULL);

  /* An idle at the default priority runs in the next iteration, after the
   * sockets that are ready then have been read: their frames go along.
   */
  if (batch->source == NULL)
    {
      batch->source = g_idle_source_new ();
      g_source_set_priority (batch->source, G_PRIORITY_DEFAULT);
      g_source_set_static_name (batch->source, "[tertulia] send batched frames");
      g_source_set_callback (batch->source, batch_send_cb,
                             tertulia_guard_batch_ref (batch), batch_send_destroyed_cb);
      g_source_attach (batch->source, g_main_context_get_thread_default ());
    }
}

void
_tertulia_guard_batch_add (TertuliaGuardBatch        *batch,
                           TertuliaGuardOutputStream *stream)
{
  if (stream->in_batch)
    return;

  stream->in_batch = TRUE;
  g_ptr_array_add (batch->streams, g_object_ref (stream));
  tertulia_guard_batch_wake (batch);
}

void
tertulia_guard_batch_set_flush (TertuliaGuardBatch *batch,
                                void              (*func) (gpointer user_data),
                                gpointer            user_data)
{
  g_return_if_fail (batch != NULL);

  batch->flush = func;
  batch->flush_data = user_data;
}

void
tertulia_guard_batch_set_before_send (TertuliaGuardBatch *batch,
                                      void              (*func) (gpointer user_data),
                                      gpointer            user_data)
{
  g_return_if_fail (batch != NULL);

  batch->before_send = func;
  batch->before_send_data = user_data;
}

static gboolean
batch_release_cb (gpointer user_data)
{
  TertuliaGuardBatch *batch = user_data;

  for (guint i = batch->keeping->len; i-- > 0; )
    {
      TertuliaGuardOutputStream *stream = g_ptr_array_index (batch->keeping, i);

      if (stream->used)
        {
          stream->used = FALSE;
          continue;
        }

      stream->keeping = FALSE;
      if (!_tertulia_guard_output_has_waiting (stream))
        _tertulia_guard_output_free_buffer (stream);
      g_ptr_array_remove_index_fast (batch->keeping, i);
    }

  if (batch->keeping->len > 0)
    return G_SOURCE_CONTINUE;

  g_clear_pointer (&batch->release_source, g_source_unref);
  return G_SOURCE_REMOVE;
}

static void
batch_release_destroyed_cb (gpointer user_data)
{
  TertuliaGuardBatch *batch = user_data;

  for (guint i = 0; i < batch->keeping->len; i++)
    ((TertuliaGuardOutputStream *) g_ptr_array_index (batch->keeping, i))->keeping = FALSE;
  g_ptr_array_set_size (batch->keeping, 0);
  g_clear_pointer (&batch->release_source, g_source_unref);

  tertulia_guard_batch_unref (batch);
}

void
_tertulia_guard_batch_keep (TertuliaGuardBatch        *batch,
                            TertuliaGuardOutputStream *stream)
{
  if (stream->keeping)
    return;

  stream->keeping = TRUE;
  stream->used = FALSE;
  g_ptr_array_add (batch->keeping, g_object_ref (stream));

  if (batch->release_source == NULL)
    {
      batch->release_source = g_timeout_source_new_seconds (KEEP_SECONDS);
      g_source_set_static_name (batch->release_source, "[tertulia] release idle buffers");
      g_source_set_callback (batch->release_source, batch_release_cb,
                             tertulia_guard_batch_ref (batch), batch_release_destroyed_cb);
      g_source_attach (batch->release_source, g_main_context_get_thread_default ());
    }
}

/* The keepalive judges a guest by how long it was silent; a host that was
 * not running for a while heard nothing either, through no fault of its
 * guests. When it wakes, its timers may fire before the input that waited
 * is read, so the time of its stall is told apart here.
 */
static gboolean
batch_tick_cb (gpointer user_data)
{
  TertuliaGuardBatch *batch = user_data;
  gint64 now = g_get_monotonic_time ();

  if (now - batch->last_tick > STALL_USEC)
    {
      g_debug ("the host did not run for %" G_GINT64_FORMAT " ms", (now - batch->last_tick) / 1000);
      batch->stall_end = now;
    }
  batch->last_tick = now;

  return G_SOURCE_CONTINUE;
}

TertuliaGuardBatch *
tertulia_guard_batch_new (void)
{
  TertuliaGuardBatch *batch = g_rc_box_new0 (TertuliaGuardBatch);

  batch->streams = g_ptr_array_new_with_free_func (g_object_unref);
  batch->keeping = g_ptr_array_new_with_free_func (g_object_unref);

  batch->last_tick = g_get_monotonic_time ();
  batch->tick_source = g_timeout_source_new_seconds (TICK_SECONDS);
  g_source_set_static_name (batch->tick_source, "[tertulia] notice the host's stalls");
  g_source_set_callback (batch->tick_source, batch_tick_cb, batch, NULL);
  g_source_attach (batch->tick_source, g_main_context_get_thread_default ());

  return batch;
}

gint64
tertulia_guard_batch_get_stall_end (TertuliaGuardBatch *batch)
{
  gint64 now = g_get_monotonic_time ();

  g_return_val_if_fail (batch != NULL, 0);

  /* Stalled right now: the tick has not run since it woke */
  if (now - batch->last_tick > STALL_USEC)
    return now;

  return batch->stall_end;
}

TertuliaGuardBatch *
tertulia_guard_batch_ref (TertuliaGuardBatch *batch)
{
  g_return_val_if_fail (batch != NULL, NULL);

  return g_rc_box_acquire (batch);
}

static void
batch_clear (TertuliaGuardBatch *batch)
{
  /* The attached sources hold references */
  g_assert (batch->source == NULL);
  g_assert (batch->release_source == NULL);

  g_source_destroy (batch->tick_source);
  g_source_unref (batch->tick_source);

  g_ptr_array_unref (batch->streams);
  g_ptr_array_unref (batch->keeping);
}

void
tertulia_guard_batch_unref (TertuliaGuardBatch *batch)
{
  g_return_if_fail (batch != NULL);

  g_rc_box_release_full (batch, (GDestroyNotify) batch_clear);
}

/* tertulia-server-output.h — the sending side of a guest's connection
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tertulia-server-guard.h"

G_BEGIN_DECLS

/* The output stream of a TertuliaGuardStream (see tertulia-server-guard.h
 * for what it does and why).
 */

#define TERTULIA_TYPE_GUARD_OUTPUT_STREAM (tertulia_guard_output_stream_get_type ())

G_DECLARE_FINAL_TYPE (TertuliaGuardOutputStream, tertulia_guard_output_stream, TERTULIA, GUARD_OUTPUT_STREAM, GFilterOutputStream)

/* @batch may be NULL: frames then leave at once */
TertuliaGuardOutputStream *tertulia_guard_output_stream_new               (GOutputStream             *base,
                                                                           TertuliaGuardBatch        *batch);
gboolean                   tertulia_guard_output_stream_write_frame       (TertuliaGuardOutputStream *self,
                                                                           const guint8              *frame,
                                                                           gsize                      length);
gboolean                   tertulia_guard_output_stream_write_frame_parts (TertuliaGuardOutputStream *self,
                                                                           const GOutputVector       *parts,
                                                                           gsize                      n_parts);
guint64                    tertulia_guard_output_stream_get_bytes_written (TertuliaGuardOutputStream *self);
/* A graceful close will take what waits: libsoup's close frame then waits
 * here too, after libsoup's errors, and the room's frames that did not
 * begin to go out are dropped.
 */
void                       tertulia_guard_output_stream_set_lingers       (TertuliaGuardOutputStream *self,
                                                                           gboolean                   lingers);
/* Over TLS each write is a record (and a send()): the frames of a turn
 * are gathered into one buffer first, so that they go in as few records
 * as 16 KB allow, rather than one record per frame
 */
void                       tertulia_guard_output_stream_set_coalesce      (TertuliaGuardOutputStream *self,
                                                                           gboolean                   coalesce);
/* What waits, taken away (NULL if nothing does or the socket failed) */
GBytes                    *tertulia_guard_output_stream_steal_waiting     (TertuliaGuardOutputStream *self);
TertuliaGuardBatch        *tertulia_guard_output_stream_get_batch         (TertuliaGuardOutputStream *self);

/* When the host's main loop last stopped running for a while (suspend, a
 * debugger, swap) and started again; g_get_monotonic_time() if it has
 * only just started again; 0 if it never stopped.
 */
gint64                     tertulia_guard_batch_get_stall_end             (TertuliaGuardBatch        *batch);

G_END_DECLS

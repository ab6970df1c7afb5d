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
guint64                    tertulia_guard_output_stream_get_bytes_written (TertuliaGuardOutputStream *self);

G_END_DECLS

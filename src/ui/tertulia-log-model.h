/* tertulia-log-model.h — a room's messages, with each main-loop turn's appends as one change
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tertulia-message.h"

G_BEGIN_DECLS

#define TERTULIA_TYPE_LOG_MODEL (tertulia_log_model_get_type ())

G_DECLARE_FINAL_TYPE (TertuliaLogModel, tertulia_log_model, TERTULIA, LOG_MODEL, GObject)

/* A GListModel of TertuliaMessage over @model (a room's messages). */
TertuliaLogModel *tertulia_log_model_new     (GListModel      *model);

/* When @message stands for a run of joins and leaves in a log model's
 * items: the run's notices (TertuliaMessage, @message first; one when it
 * is on its own), which change as the run grows or is cut. Else %NULL.
 */
GListModel       *tertulia_log_model_get_run (TertuliaMessage *message);

G_END_DECLS

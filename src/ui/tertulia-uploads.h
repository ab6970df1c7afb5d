/* tertulia-uploads.h — the files you are sending: a bar each with its
 * name, progress and Cancel, and why one failed
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tertulia-client.h"

G_BEGIN_DECLS

#define TERTULIA_TYPE_UPLOADS (tertulia_uploads_get_type ())

G_DECLARE_FINAL_TYPE (TertuliaUploads, tertulia_uploads, TERTULIA, UPLOADS, AdwBin)

GtkWidget *tertulia_uploads_new        (void);
/* Sends @file to @client's room as @name (NULL: its own name). With
 * @temporary the file is ours (a pasted picture) and is deleted when the
 * upload ends, however it ends.
 */
void       tertulia_uploads_add        (TertuliaUploads *self,
                                        TertuliaClient  *client,
                                        GFile           *file,
                                        const char      *name,
                                        gboolean         temporary);
/* Stops every upload under way (the host keeps nothing of them) */
void       tertulia_uploads_cancel_all (TertuliaUploads *self);
/* Uploads under way, and failed ones still shown */
guint      tertulia_uploads_get_n_rows (TertuliaUploads *self);

/* A failed upload in human words, the limits in human units */
char      *tertulia_uploads_dup_error_text (TertuliaClient *client,
                                            const char     *name,
                                            const GError   *error);

/* For the tests: the n-th row's Cancel (or Dismiss) button, progress bar
 * and the label saying its name or what went wrong
 */
GtkButton      *_tertulia_uploads_get_cancel_button (TertuliaUploads *self,
                                                     guint            n);
GtkProgressBar *_tertulia_uploads_get_progress      (TertuliaUploads *self,
                                                     guint            n);
GtkLabel       *_tertulia_uploads_get_label         (TertuliaUploads *self,
                                                     guint            n);

G_END_DECLS

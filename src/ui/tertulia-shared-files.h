/* tertulia-shared-files.h — what the app knows of a room's shared files:
 * picture previews (decoded off the main thread, a bounded cache) and
 * downloads under way or done
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "tertulia-client.h"

G_BEGIN_DECLS

/* A picture of more pixels than this is never decoded: it is shown as a
 * file (a 50-megapixel RGBA picture is 200 MB in memory)
 */
#define TERTULIA_MAX_PICTURE_PIXELS  (50 * 1000 * 1000)
/* The biggest preview in the log, in logical pixels: it fits the log of
 * a 360-pixel-wide phone
 */
#define TERTULIA_PREVIEW_WIDTH       320
#define TERTULIA_PREVIEW_HEIGHT      240

#define TERTULIA_TYPE_SHARED_FILES (tertulia_shared_files_get_type ())

G_DECLARE_FINAL_TYPE (TertuliaSharedFiles, tertulia_shared_files, TERTULIA, SHARED_FILES, GObject)

typedef enum
{
  TERTULIA_DOWNLOAD_NONE,
  TERTULIA_DOWNLOAD_RUNNING,
  TERTULIA_DOWNLOAD_DONE,
  TERTULIA_DOWNLOAD_FAILED,
} TertuliaDownloadState;

/* Signals:
 *   download-changed (const char *id): a download of file @id started,
 *                    moved on, ended or failed (detailed by nothing: rows
 *                    compare the id)
 */

/* @client's (made on first use; lives as long as the client) */
TertuliaSharedFiles    *tertulia_shared_files_get_for_client (TertuliaClient *client);
/* NULL once the client is gone */
TertuliaClient       *tertulia_shared_files_get_client     (TertuliaSharedFiles *self);

/* Whether @info is a picture the log shows inline: PNG, JPEG, GIF or
 * WebP, with dimensions, of at most TERTULIA_MAX_PICTURE_PIXELS
 */
gboolean              tertulia_file_info_can_preview     (const TertuliaFileInfo *info);
/* @width × @height scaled down (never up) to fit @max_width × @max_height */
void                  tertulia_fit_size                  (gint64  width,
                                                          gint64  height,
                                                          int     max_width,
                                                          int     max_height,
                                                          int    *out_width,
                                                          int    *out_height);

/* Previews: the cached one (borrowed) or NULL */
GdkTexture           *tertulia_shared_files_lookup_preview (TertuliaSharedFiles *self,
                                                          const char        *id);
/* Whether the file is known not to decode (shown as a file) */
gboolean              tertulia_shared_files_preview_failed (TertuliaSharedFiles *self,
                                                          const char        *id);
/* Fetches the picture into a private folder and decodes it in a thread at
 * the preview's size; cancelling leaves nothing half-written in the cache
 */
void                  tertulia_shared_files_load_preview_async  (TertuliaSharedFiles      *self,
                                                               const TertuliaFileInfo *info,
                                                               GCancellable           *cancellable,
                                                               GAsyncReadyCallback     callback,
                                                               gpointer                user_data);
GdkTexture           *tertulia_shared_files_load_preview_finish (TertuliaSharedFiles      *self,
                                                               GAsyncResult           *result,
                                                               GError                **error);
/* The private copy of a picture the preview was made from, or NULL */
GFile                *tertulia_shared_files_dup_picture_file    (TertuliaSharedFiles      *self,
                                                               const char             *id);

/* Decodes @file in a thread, scaled down to fit @max_width × @max_height,
 * refusing more than TERTULIA_MAX_PICTURE_PIXELS
 */
void                  tertulia_picture_decode_async      (GFile               *file,
                                                          int                  max_width,
                                                          int                  max_height,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
GdkTexture           *tertulia_picture_decode_finish     (GAsyncResult        *result,
                                                          GError             **error);

/* Downloads: saves file @id into @dest (replacing it) */
void                  tertulia_shared_files_download       (TertuliaSharedFiles *self,
                                                          const char        *id,
                                                          GFile             *dest);
void                  tertulia_shared_files_cancel_download (TertuliaSharedFiles *self,
                                                           const char        *id);
/* The state of file @id's download; @fraction (may be NULL) how far it
 * got, @dest (may be NULL) where it goes (borrowed), @error_text (may be
 * NULL) why it failed (borrowed)
 */
TertuliaDownloadState tertulia_shared_files_get_download   (TertuliaSharedFiles *self,
                                                          const char        *id,
                                                          double            *fraction,
                                                          GFile            **dest,
                                                          const char       **error_text);

G_END_DECLS

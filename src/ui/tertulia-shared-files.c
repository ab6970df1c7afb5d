/* tertulia-shared-files.c — what the app knows of a room's shared files:
 * picture previews (decoded off the main thread, a bounded cache) and
 * downloads under way or done
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-shared-files"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "tertulia-protocol-files.h"
#include "tertulia-shared-files.h"

/* Previews are drawn at twice their logical size, for HiDPI screens */
#define PREVIEW_SCALE       2
/* What the cached previews may take in memory, about 45 of the biggest */
#define CACHE_BUDGET_BYTES  (64 * 1024 * 1024)

typedef struct
{
  TertuliaDownloadState  state;
  double                 fraction;
  GFile                 *dest;
  GCancellable          *cancellable;
  char                  *error_text;
} Download;

struct _TertuliaSharedFiles
{
  GObject         parent_instance;

  /* Weak: we live in its object data, and rows may keep us a little
   * longer
   */
  TertuliaClient *client;

  /* Owned references */
  /* id -> GdkTexture, and the ids oldest use first */
  GHashTable     *previews;
  GQueue          preview_order;
  gsize           preview_bytes;
  /* ids whose picture did not decode */
  GHashTable     *failed;
  /* ids fetched whole into dir */
  GHashTable     *fetched;
  char           *dir;
  guint           next_part;
  /* id -> Download */
  GHashTable     *downloads;
};

enum {
  DOWNLOAD_CHANGED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

G_DEFINE_FINAL_TYPE (TertuliaSharedFiles, tertulia_shared_files, G_TYPE_OBJECT)

static void
download_free (Download *download)
{
  g_cancellable_cancel (download->cancellable);
  g_clear_object (&download->cancellable);
  g_clear_object (&download->dest);
  g_free (download->error_text);
  g_free (download);
}

gboolean
tertulia_file_info_can_preview (const TertuliaFileInfo *info)
{
  return info != NULL &&
         tertulia_file_type_is_picture (info->type) &&
         info->width > 0 && info->height > 0 &&
         info->width <= TERTULIA_MAX_PICTURE_PIXELS &&
         info->height <= TERTULIA_MAX_PICTURE_PIXELS &&
         info->width * info->height <= TERTULIA_MAX_PICTURE_PIXELS;
}

void
tertulia_fit_size (gint64  width,
                   gint64  height,
                   int     max_width,
                   int     max_height,
                   int    *out_width,
                   int    *out_height)
{
  double scale;

  if (width <= 0 || height <= 0)
    {
      *out_width = max_width;
      *out_height = max_height;
      return;
    }

  scale = MIN (1.0, MIN ((double) max_width / width, (double) max_height / height));
  *out_width = MAX (1, (int) (width * scale + 0.5));
  *out_height = MAX (1, (int) (height * scale + 0.5));
}

/* The private folder the pictures are fetched into */
static const char *
get_dir (TertuliaSharedFiles  *self,
         GError            **error)
{
  if (self->dir == NULL)
    self->dir = g_dir_make_tmp ("tertulia-files-XXXXXX", error);

  return self->dir;
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_unlink (child);
    }
  g_rmdir (path);
}

static void
tertulia_shared_files_finalize (GObject *object)
{
  TertuliaSharedFiles *self = (TertuliaSharedFiles *)object;

  g_clear_weak_pointer (&self->client);
  g_hash_table_unref (self->downloads);
  g_hash_table_unref (self->previews);
  g_queue_clear_full (&self->preview_order, g_free);
  g_hash_table_unref (self->failed);
  g_hash_table_unref (self->fetched);
  if (self->dir != NULL)
    remove_dir (self->dir);
  g_free (self->dir);

  G_OBJECT_CLASS (tertulia_shared_files_parent_class)->finalize (object);
}

static void
tertulia_shared_files_class_init (TertuliaSharedFilesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tertulia_shared_files_finalize;

  signals [DOWNLOAD_CHANGED] =
    g_signal_new ("download-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
tertulia_shared_files_init (TertuliaSharedFiles *self)
{
  self->previews = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->failed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->fetched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->downloads = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) download_free);
}

TertuliaSharedFiles *
tertulia_shared_files_get_for_client (TertuliaClient *client)
{
  TertuliaSharedFiles *self;

  g_return_val_if_fail (TERTULIA_IS_CLIENT (client), NULL);

  self = g_object_get_data (G_OBJECT (client), "tertulia-shared-files");
  if (self == NULL)
    {
      self = g_object_new (TERTULIA_TYPE_SHARED_FILES, NULL);
      g_set_weak_pointer (&self->client, client);
      g_object_set_data_full (G_OBJECT (client), "tertulia-shared-files", self, g_object_unref);
    }

  return self;
}

TertuliaClient *
tertulia_shared_files_get_client (TertuliaSharedFiles *self)
{
  g_return_val_if_fail (TERTULIA_IS_SHARED_FILES (self), NULL);

  return self->client;
}


/* Decoding, in a thread */

typedef struct
{
  GFile *file;
  int    max_width;
  int    max_height;
} Decode;

static void
decode_free (Decode *decode)
{
  g_object_unref (decode->file);
  g_free (decode);
}

static void
decode_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Decode *decode = task_data;
  g_autofree char *path = g_file_get_path (decode->file);
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkPixbuf) oriented = NULL;
  g_autoptr(GError) error = NULL;
  GdkPixbufFormat *format;
  int width = 0, height = 0;

  /* The event said how big it is; the content may say otherwise */
  format = path != NULL ? gdk_pixbuf_get_file_info (path, &width, &height) : NULL;
  if (format == NULL || width <= 0 || height <= 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               "%s", _("This picture cannot be shown."));
      return;
    }
  if ((gint64) width * height > TERTULIA_MAX_PICTURE_PIXELS)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                               "%s", _("This picture is too big to be shown."));
      return;
    }

  if (width <= decode->max_width && height <= decode->max_height)
    pixbuf = gdk_pixbuf_new_from_file (path, &error);
  else
    pixbuf = gdk_pixbuf_new_from_file_at_scale (path, decode->max_width, decode->max_height, TRUE, &error);

  if (pixbuf == NULL)
    {
      g_debug ("Not decoded: %s", error->message);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               "%s", _("This picture cannot be shown."));
      return;
    }

  oriented = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  g_task_return_pointer (task, gdk_texture_new_for_pixbuf (oriented != NULL ? oriented : pixbuf),
                         g_object_unref);
}

void
tertulia_picture_decode_async (GFile               *file,
                               int                  max_width,
                               int                  max_height,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Decode *decode;

  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tertulia_picture_decode_async);
  decode = g_new0 (Decode, 1);
  decode->file = g_object_ref (file);
  decode->max_width = max_width;
  decode->max_height = max_height;
  g_task_set_task_data (task, decode, (GDestroyNotify) decode_free);
  g_task_run_in_thread (task, decode_thread);
}

GdkTexture *
tertulia_picture_decode_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}


/* Previews */

GdkTexture *
tertulia_shared_files_lookup_preview (TertuliaSharedFiles *self,
                                    const char        *id)
{
  GdkTexture *texture;
  GList *link;

  g_return_val_if_fail (TERTULIA_IS_SHARED_FILES (self), NULL);

  texture = g_hash_table_lookup (self->previews, id);
  if (texture == NULL)
    return NULL;

  /* The most recently used is the last to go */
  link = g_queue_find_custom (&self->preview_order, id, (GCompareFunc) g_strcmp0);
  if (link != NULL)
    {
      g_queue_unlink (&self->preview_order, link);
      g_queue_push_tail_link (&self->preview_order, link);
    }

  return texture;
}

gboolean
tertulia_shared_files_preview_failed (TertuliaSharedFiles *self,
                                    const char        *id)
{
  g_return_val_if_fail (TERTULIA_IS_SHARED_FILES (self), FALSE);

  return g_hash_table_contains (self->failed, id);
}

static gsize
texture_bytes (GdkTexture *texture)
{
  return (gsize) gdk_texture_get_width (texture) * gdk_texture_get_height (texture) * 4;
}

static void
cache_preview (TertuliaSharedFiles *self,
               const char        *id,
               GdkTexture        *texture)
{
  if (g_hash_table_contains (self->previews, id))
    return;

  g_hash_table_insert (self->previews, g_strdup (id), g_object_ref (texture));
  g_queue_push_tail (&self->preview_order, g_strdup (id));
  self->preview_bytes += texture_bytes (texture);

  while (self->preview_bytes > CACHE_BUDGET_BYTES && self->preview_order.length > 1)
    {
      g_autofree char *oldest = g_queue_pop_head (&self->preview_order);
      GdkTexture *old = g_hash_table_lookup (self->previews, oldest);

      self->preview_bytes -= texture_bytes (old);
      g_hash_table_remove (self->previews, oldest);
    }
}

static char *
dup_picture_path (TertuliaSharedFiles *self,
                  const char        *id)
{
  return g_build_filename (self->dir, id, NULL);
}

GFile *
tertulia_shared_files_dup_picture_file (TertuliaSharedFiles *self,
                                      const char        *id)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (TERTULIA_IS_SHARED_FILES (self), NULL);

  if (id == NULL || !g_hash_table_contains (self->fetched, id))
    return NULL;

  path = dup_picture_path (self, id);

  return g_file_new_for_path (path);
}

typedef struct
{
  char  *id;
  GFile *part;
} Load;

static void
load_free (Load *load)
{
  /* Whatever did not become the picture goes */
  if (load->part != NULL)
    g_file_delete (load->part, NULL, NULL);
  g_clear_object (&load->part);
  g_free (load->id);
  g_free (load);
}

static void
preview_decoded_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TertuliaSharedFiles *self = g_task_get_source_object (task);
  Load *load = g_task_get_task_data (task);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = tertulia_picture_decode_finish (result, &error);
  if (texture == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_hash_table_add (self->failed, g_strdup (load->id));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  cache_preview (self, load->id, texture);
  g_task_return_pointer (task, g_steal_pointer (&texture), g_object_unref);
}

static void
decode_preview (GTask *task)
{
  TertuliaSharedFiles *self = g_task_get_source_object (task);
  Load *load = g_task_get_task_data (task);
  g_autoptr(GFile) file = tertulia_shared_files_dup_picture_file (self, load->id);

  tertulia_picture_decode_async (file,
                                 TERTULIA_PREVIEW_WIDTH * PREVIEW_SCALE,
                                 TERTULIA_PREVIEW_HEIGHT * PREVIEW_SCALE,
                                 g_task_get_cancellable (task),
                                 preview_decoded_cb, g_object_ref (task));
}

static void
preview_fetched_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TertuliaSharedFiles *self = g_task_get_source_object (task);
  Load *load = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;

  if (!tertulia_client_download_file_finish (TERTULIA_CLIENT (object), result, &error))
    {
      if (g_error_matches (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_FILE_GONE))
        g_hash_table_add (self->failed, g_strdup (load->id));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Each load fetches into a part of its own, so that one cancelled
   * while the row scrolled away never writes into the next one's
   */
  path = dup_picture_path (self, load->id);
  file = g_file_new_for_path (path);
  if (!g_file_move (load->part, file, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_clear_object (&load->part);
  g_hash_table_add (self->fetched, g_strdup (load->id));

  decode_preview (task);
}

void
tertulia_shared_files_load_preview_async (TertuliaSharedFiles      *self,
                                        const TertuliaFileInfo *info,
                                        GCancellable           *cancellable,
                                        GAsyncReadyCallback     callback,
                                        gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *part = NULL;
  GdkTexture *texture;
  Load *load;

  g_return_if_fail (TERTULIA_IS_SHARED_FILES (self));
  g_return_if_fail (info != NULL && info->id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tertulia_shared_files_load_preview_async);

  texture = tertulia_shared_files_lookup_preview (self, info->id);
  if (texture != NULL)
    {
      g_task_return_pointer (task, g_object_ref (texture), g_object_unref);
      return;
    }

  if (!tertulia_file_info_can_preview (info) || g_hash_table_contains (self->failed, info->id))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               "%s", _("This picture cannot be shown."));
      return;
    }

  if (self->client == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED, "The room is gone");
      return;
    }

  if (get_dir (self, &error) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  load = g_new0 (Load, 1);
  load->id = g_strdup (info->id);
  g_task_set_task_data (task, load, (GDestroyNotify) load_free);

  if (g_hash_table_contains (self->fetched, info->id))
    {
      decode_preview (task);
      return;
    }

  part = g_strdup_printf ("%s/%s.part%u", self->dir, info->id, self->next_part++);
  load->part = g_file_new_for_path (part);
  tertulia_client_download_file_async (self->client, info->id, load->part, cancellable,
                                       NULL, NULL, preview_fetched_cb, g_object_ref (task));
}

GdkTexture *
tertulia_shared_files_load_preview_finish (TertuliaSharedFiles  *self,
                                           GAsyncResult         *result,
                                           GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}


/* Downloads */

typedef struct
{
  TertuliaSharedFiles *self;   /* a strong reference */
  char              *id;
} DownloadCall;

static void
download_call_free (DownloadCall *call)
{
  g_object_unref (call->self);
  g_free (call->id);
  g_free (call);
}

static Download *
find_download (TertuliaSharedFiles *self,
               const char        *id)
{
  return id != NULL ? g_hash_table_lookup (self->downloads, id) : NULL;
}

static void
download_progress_cb (goffset  current,
                      goffset  total,
                      gpointer user_data)
{
  DownloadCall *call = user_data;
  Download *download = find_download (call->self, call->id);

  if (download == NULL || download->state != TERTULIA_DOWNLOAD_RUNNING || total <= 0)
    return;

  download->fraction = CLAMP ((double) current / total, 0.0, 1.0);
  g_signal_emit (call->self, signals [DOWNLOAD_CHANGED], 0, call->id);
}

static void
downloaded_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  DownloadCall *call = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = tertulia_client_download_file_finish (TERTULIA_CLIENT (object), result, &error);
  Download *download = find_download (call->self, call->id);

  /* Cancelled: forgotten already, or another download took its place */
  if (download != NULL && download->state == TERTULIA_DOWNLOAD_RUNNING &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      download->state = ok ? TERTULIA_DOWNLOAD_DONE : TERTULIA_DOWNLOAD_FAILED;
      download->fraction = ok ? 1.0 : download->fraction;
      if (!ok)
        download->error_text = g_strdup (error->message);
      g_clear_object (&download->cancellable);
      g_signal_emit (call->self, signals [DOWNLOAD_CHANGED], 0, call->id);
    }

  download_call_free (call);
}

void
tertulia_shared_files_download (TertuliaSharedFiles *self,
                              const char        *id,
                              GFile             *dest)
{
  Download *download;
  DownloadCall *call;

  g_return_if_fail (TERTULIA_IS_SHARED_FILES (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (G_IS_FILE (dest));

  if (self->client == NULL)
    return;

  download = g_new0 (Download, 1);
  download->state = TERTULIA_DOWNLOAD_RUNNING;
  download->dest = g_object_ref (dest);
  download->cancellable = g_cancellable_new ();
  g_hash_table_replace (self->downloads, g_strdup (id), download);

  /* The person chose to replace what is there: what is there is not the
   * beginning of this file, to be resumed
   */
  g_file_delete (dest, NULL, NULL);

  call = g_new0 (DownloadCall, 1);
  call->self = g_object_ref (self);
  call->id = g_strdup (id);
  tertulia_client_download_file_async (self->client, id, dest, download->cancellable,
                                       download_progress_cb, call, downloaded_cb, call);
  g_signal_emit (self, signals [DOWNLOAD_CHANGED], 0, id);
}

void
tertulia_shared_files_cancel_download (TertuliaSharedFiles *self,
                                     const char        *id)
{
  Download *download;

  g_return_if_fail (TERTULIA_IS_SHARED_FILES (self));

  download = find_download (self, id);
  if (download == NULL || download->state != TERTULIA_DOWNLOAD_RUNNING)
    return;

  g_cancellable_cancel (download->cancellable);
  /* A cut download is no file of the room's: it goes */
  g_file_delete (download->dest, NULL, NULL);
  g_hash_table_remove (self->downloads, id);
  g_signal_emit (self, signals [DOWNLOAD_CHANGED], 0, id);
}

TertuliaDownloadState
tertulia_shared_files_get_download (TertuliaSharedFiles  *self,
                                  const char         *id,
                                  double             *fraction,
                                  GFile             **dest,
                                  const char        **error_text)
{
  Download *download;

  g_return_val_if_fail (TERTULIA_IS_SHARED_FILES (self), TERTULIA_DOWNLOAD_NONE);

  download = find_download (self, id);
  if (fraction != NULL)
    *fraction = download != NULL ? download->fraction : 0.0;
  if (dest != NULL)
    *dest = download != NULL ? download->dest : NULL;
  if (error_text != NULL)
    *error_text = download != NULL ? download->error_text : NULL;

  return download != NULL ? download->state : TERTULIA_DOWNLOAD_NONE;
}

/* tertulia-uploads.c — the files you are sending: a bar each with its
 * name, progress and Cancel, and why one failed
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-uploads"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tertulia-protocol-files.h"
#include "tertulia-uploads.h"

/* Shared by the row (through the list) and the transfer under way: the
 * last one to let go frees it
 */
typedef struct
{
  /* Borrowed; NULL once the row is gone (cancelled, dismissed, or the
   * widget disposed)
   */
  TertuliaUploads *self;
  GtkWidget       *row;
  GtkLabel        *label;
  GtkProgressBar  *progress;
  GtkButton       *button;

  /* Owned references */
  TertuliaClient  *client;
  GFile           *file;
  char            *name;
  GCancellable    *cancellable;
  gboolean         temporary;
  gboolean         finished;
} Upload;

struct _TertuliaUploads
{
  AdwBin     parent_instance;

  GtkWidget *box;
  /* Upload* (a reference each), in the order shown */
  GPtrArray *uploads;
};

G_DEFINE_FINAL_TYPE (TertuliaUploads, tertulia_uploads, ADW_TYPE_BIN)

/* The pasted picture's file goes whatever became of it */
static void
upload_forget_file (Upload *upload)
{
  if (upload->temporary && upload->file != NULL)
    g_file_delete (upload->file, NULL, NULL);
  upload->temporary = FALSE;
}

static void
upload_clear (Upload *upload)
{
  upload_forget_file (upload);
  g_clear_object (&upload->cancellable);
  g_clear_object (&upload->client);
  g_clear_object (&upload->file);
  g_free (upload->name);
}

static void
upload_unref (Upload *upload)
{
  g_rc_box_release_full (upload, (GDestroyNotify) upload_clear);
}

/* Takes the row away; a transfer still under way is stopped */
static void
remove_upload (TertuliaUploads *self,
               Upload          *upload)
{
  if (!upload->finished)
    {
      upload->finished = TRUE;
      g_cancellable_cancel (upload->cancellable);
    }

  gtk_box_remove (GTK_BOX (self->box), upload->row);
  upload->self = NULL;
  upload->row = NULL;
  g_ptr_array_remove (self->uploads, upload);
  gtk_widget_set_visible (GTK_WIDGET (self), self->uploads->len > 0);
}

char *
tertulia_uploads_dup_error_text (TertuliaClient *client,
                                 const char     *name,
                                 const GError   *error)
{
  if (error->domain == TERTULIA_CLIENT_ERROR)
    {
      guint64 limit;

      switch (error->code)
        {
        case TERTULIA_CLIENT_ERROR_FILE_TOO_LARGE:
          limit = tertulia_client_get_file_limit (client);
          if (limit > 0)
            {
              g_autofree char *size = g_format_size (limit);

              /* Translators: %s is a file's name, then the room's limit such as "2.1 GB" */
              return g_strdup_printf (_("“%s” is too big: this room takes files of up to %s."), name, size);
            }
          /* Translators: %s is a file's name */
          return g_strdup_printf (_("“%s” is too big for this room."), name);

        case TERTULIA_CLIENT_ERROR_ROOM_FILES_FULL:
          limit = tertulia_client_get_room_file_limit (client);
          if (limit > 0)
            {
              g_autofree char *size = g_format_size (limit);

              /* Translators: %s is a file's name, then the room's quota such as "10.7 GB" */
              return g_strdup_printf (_("“%s” does not fit: the room keeps at most %s of files, and it is full."),
                                      name, size);
            }
          /* Translators: %s is a file's name */
          return g_strdup_printf (_("“%s” does not fit: the room’s space for files is full."), name);

        case TERTULIA_CLIENT_ERROR_HOST_FULL:
          /* Translators: %s is a file's name */
          return g_strdup_printf (_("“%s” was not sent: the host’s disk is full."), name);

        case TERTULIA_CLIENT_ERROR_UNREACHABLE:
        case TERTULIA_CLIENT_ERROR_CLOSED:
          /* Translators: %s is a file's name */
          return g_strdup_printf (_("“%s” was not sent: the connection to the room was lost."), name);

        default:
          break;
        }

      /* The client's own sentences are translated already */
      /* Translators: %s is a file's name, then why it was not sent */
      return g_strdup_printf (_("“%s” was not sent: %s"), name, error->message);
    }

  if (error->domain == G_IO_ERROR &&
      (error->code == G_IO_ERROR_NOT_FOUND || error->code == G_IO_ERROR_PERMISSION_DENIED ||
       error->code == G_IO_ERROR_IS_DIRECTORY))
    /* Translators: %s is a file's name */
    return g_strdup_printf (_("“%s” could not be read."), name);

  /* What remains is the network's: a reset, a timeout */
  /* Translators: %s is a file's name */
  return g_strdup_printf (_("“%s” was not sent: the connection to the room was lost."), name);
}

static void
progress_cb (goffset  current,
             goffset  total,
             gpointer user_data)
{
  Upload *upload = user_data;

  if (upload->self == NULL || upload->finished || total <= 0)
    return;

  gtk_progress_bar_set_fraction (upload->progress, CLAMP ((double) current / total, 0.0, 1.0));
}

static void
uploaded_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Upload *upload = user_data;
  TertuliaUploads *self = upload->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *text = NULL;

  id = tertulia_client_upload_file_finish (TERTULIA_CLIENT (object), result, &error);
  upload->finished = TRUE;
  upload_forget_file (upload);

  /* Cancelled: its row went with the Cancel */
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    goto out;

  if (id != NULL)
    {
      /* The file event is in the log: the bar has said all it had to */
      remove_upload (self, upload);
      goto out;
    }

  text = tertulia_uploads_dup_error_text (upload->client, upload->name, error);
  gtk_label_set_text (upload->label, text);
  gtk_widget_add_css_class (GTK_WIDGET (upload->label), "error");
  gtk_widget_set_visible (GTK_WIDGET (upload->progress), FALSE);
  gtk_button_set_icon_name (upload->button, "window-close-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (upload->button), _("Dismiss"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (upload->button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Dismiss"), -1);

out:
  upload_unref (upload);
}

static void
button_clicked_cb (Upload    *upload,
                   GtkButton *button)
{
  /* Cancel while it runs (the host removes what arrived), Dismiss after */
  if (upload->self != NULL)
    remove_upload (upload->self, upload);
}

static void
tertulia_uploads_dispose (GObject *object)
{
  TertuliaUploads *self = (TertuliaUploads *)object;

  tertulia_uploads_cancel_all (self);

  G_OBJECT_CLASS (tertulia_uploads_parent_class)->dispose (object);
}

static void
tertulia_uploads_finalize (GObject *object)
{
  TertuliaUploads *self = (TertuliaUploads *)object;

  g_ptr_array_unref (self->uploads);

  G_OBJECT_CLASS (tertulia_uploads_parent_class)->finalize (object);
}

static void
tertulia_uploads_class_init (TertuliaUploadsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tertulia_uploads_dispose;
  object_class->finalize = tertulia_uploads_finalize;
}

static void
tertulia_uploads_init (TertuliaUploads *self)
{
  self->uploads = g_ptr_array_new_with_free_func ((GDestroyNotify) upload_unref);
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_add_css_class (GTK_WIDGET (self), "uploads");
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  adw_bin_set_child (ADW_BIN (self), self->box);
}

GtkWidget *
tertulia_uploads_new (void)
{
  return g_object_new (TERTULIA_TYPE_UPLOADS, NULL);
}

void
tertulia_uploads_add (TertuliaUploads *self,
                      TertuliaClient  *client,
                      GFile           *file,
                      const char      *name,
                      gboolean         temporary)
{
  g_autofree char *basename = NULL;
  g_autofree char *clean = NULL;
  g_autofree char *cancel_label = NULL;
  GtkWidget *texts;
  GtkWidget *icon;
  Upload *upload;

  g_return_if_fail (TERTULIA_IS_UPLOADS (self));
  g_return_if_fail (TERTULIA_IS_CLIENT (client));
  g_return_if_fail (G_IS_FILE (file));

  if (name == NULL)
    {
      basename = g_file_get_basename (file);
      name = basename;
    }
  /* As the room will show it */
  clean = tertulia_file_name_sanitize (name);

  upload = g_rc_box_new0 (Upload);
  upload->self = self;
  upload->client = g_object_ref (client);
  upload->file = g_object_ref (file);
  upload->name = g_strdup (clean);
  upload->cancellable = g_cancellable_new ();
  upload->temporary = temporary;

  upload->row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  gtk_widget_add_css_class (upload->row, "upload");
  icon = gtk_image_new_from_icon_name ("document-send-symbolic");
  gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (upload->row), icon);

  texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_widget_set_valign (texts, GTK_ALIGN_CENTER);
  upload->label = GTK_LABEL (gtk_label_new (clean));
  gtk_label_set_use_markup (upload->label, FALSE);
  gtk_label_set_xalign (upload->label, 0);
  gtk_label_set_wrap (upload->label, TRUE);
  gtk_label_set_wrap_mode (upload->label, PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (GTK_WIDGET (upload->label), "caption");
  gtk_box_append (GTK_BOX (texts), GTK_WIDGET (upload->label));
  upload->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  /* Translators: a progress bar's name for screen readers; %s is a file's name */
  cancel_label = g_strdup_printf (_("Sending %s"), clean);
  gtk_accessible_update_property (GTK_ACCESSIBLE (upload->progress),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, cancel_label, -1);
  gtk_box_append (GTK_BOX (texts), GTK_WIDGET (upload->progress));
  gtk_box_append (GTK_BOX (upload->row), texts);

  upload->button = GTK_BUTTON (gtk_button_new_from_icon_name ("process-stop-symbolic"));
  gtk_widget_set_valign (GTK_WIDGET (upload->button), GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (GTK_WIDGET (upload->button), "flat");
  gtk_widget_add_css_class (GTK_WIDGET (upload->button), "circular");
  gtk_widget_set_tooltip_text (GTK_WIDGET (upload->button), _("Cancel Sending"));
  g_free (cancel_label);
  /* Translators: a button's name for screen readers; %s is a file's name */
  cancel_label = g_strdup_printf (_("Cancel sending %s"), clean);
  gtk_accessible_update_property (GTK_ACCESSIBLE (upload->button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, cancel_label, -1);
  g_signal_connect_swapped (upload->button, "clicked", G_CALLBACK (button_clicked_cb), upload);
  gtk_box_append (GTK_BOX (upload->row), GTK_WIDGET (upload->button));

  gtk_box_append (GTK_BOX (self->box), upload->row);
  g_ptr_array_add (self->uploads, upload);
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);

  tertulia_client_upload_file_async (client, file, clean, upload->cancellable,
                                     progress_cb, upload, uploaded_cb, g_rc_box_acquire (upload));
}

void
tertulia_uploads_cancel_all (TertuliaUploads *self)
{
  g_return_if_fail (TERTULIA_IS_UPLOADS (self));

  while (self->uploads->len > 0)
    remove_upload (self, g_ptr_array_index (self->uploads, self->uploads->len - 1));
}

guint
tertulia_uploads_get_n_rows (TertuliaUploads *self)
{
  g_return_val_if_fail (TERTULIA_IS_UPLOADS (self), 0);

  return self->uploads->len;
}

static Upload *
get_upload (TertuliaUploads *self,
            guint            n)
{
  g_return_val_if_fail (TERTULIA_IS_UPLOADS (self), NULL);
  g_return_val_if_fail (n < self->uploads->len, NULL);

  return g_ptr_array_index (self->uploads, n);
}

GtkButton *
_tertulia_uploads_get_cancel_button (TertuliaUploads *self,
                                     guint            n)
{
  return get_upload (self, n)->button;
}

GtkProgressBar *
_tertulia_uploads_get_progress (TertuliaUploads *self,
                                guint            n)
{
  return get_upload (self, n)->progress;
}

GtkLabel *
_tertulia_uploads_get_label (TertuliaUploads *self,
                             guint            n)
{
  return get_upload (self, n)->label;
}

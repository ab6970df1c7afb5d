/* tertulia-picture-viewer.c — a shared picture, large
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-picture-viewer"

#include "config.h"


#include "tertulia-picture-viewer.h"
#include "tertulia-shared-files.h"

/* The largest the picture is decoded at: a big screen's size */
#define VIEW_MAX_PX 3840

struct _TertuliaPictureViewer
{
  AdwWindow     parent_instance;

  GtkPicture   *picture;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (TertuliaPictureViewer, tertulia_picture_viewer, ADW_TYPE_WINDOW)

static void
tertulia_picture_viewer_dispose (GObject *object)
{
  TertuliaPictureViewer *self = (TertuliaPictureViewer *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (tertulia_picture_viewer_parent_class)->dispose (object);
}

static void
tertulia_picture_viewer_class_init (TertuliaPictureViewerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tertulia_picture_viewer_dispose;

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tertulia_picture_viewer_init (TertuliaPictureViewer *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();

  self->cancellable = g_cancellable_new ();

  gtk_window_set_default_size (GTK_WINDOW (self), 900, 680);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (self), TRUE);

  self->picture = GTK_PICTURE (gtk_picture_new ());
  gtk_picture_set_can_shrink (self->picture, TRUE);
  gtk_picture_set_content_fit (self->picture, GTK_CONTENT_FIT_CONTAIN);
  gtk_widget_set_vexpand (GTK_WIDGET (self->picture), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->picture), "picture-viewer");

  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->picture));
  adw_window_set_content (ADW_WINDOW (self), box);
}

static void
decoded_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TertuliaPictureViewer) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = tertulia_picture_decode_finish (result, &error);
  if (texture == NULL)
    {
      /* The preview stays */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Not shown large: %s", error->message);
      return;
    }

  if (!g_cancellable_is_cancelled (self->cancellable))
    gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
}

GtkWidget *
tertulia_picture_viewer_new (GtkWindow  *parent,
                             const char *title,
                             GdkTexture *preview,
                             GFile      *file)
{
  TertuliaPictureViewer *self;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (!preview || GDK_IS_TEXTURE (preview), NULL);
  g_return_val_if_fail (!file || G_IS_FILE (file), NULL);

  self = g_object_new (TERTULIA_TYPE_PICTURE_VIEWER,
                       "transient-for", parent,
                       "title", title,
                       NULL);

  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (preview));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->picture),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);

  if (file != NULL)
    tertulia_picture_decode_async (file, VIEW_MAX_PX, VIEW_MAX_PX, self->cancellable,
                                   decoded_cb, g_object_ref (self));

  return GTK_WIDGET (self);
}

GtkPicture *
_tertulia_picture_viewer_get_picture (TertuliaPictureViewer *self)
{
  g_return_val_if_fail (TERTULIA_IS_PICTURE_VIEWER (self), NULL);

  return self->picture;
}

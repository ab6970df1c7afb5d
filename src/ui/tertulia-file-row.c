/* tertulia-file-row.c — a shared file in the chat log: a picture's
 * preview, or a file's name, size, Download and Open
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-file-row"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tertulia-chat-page.h"
#include "tertulia-file-row.h"
#include "tertulia-picture-viewer.h"
#include "tertulia-protocol-files.h"
#include "tertulia-shared-files.h"

struct _TertuliaFileRow
{
  AdwBin             parent_instance;

  /* Widgets */
  GtkWidget         *preview_button;
  GtkPicture        *picture;
  GtkImage          *icon;
  GtkLabel          *name_label;
  GtkLabel          *detail_label;
  GtkProgressBar    *progress;
  GtkWidget         *download_button;
  GtkWidget         *cancel_button;
  GtkWidget         *open_button;
  GtkWidget         *menu_button;

  /* Owned references */
  TertuliaMessage   *message;
  gulong             notify_id;
  TertuliaSharedFiles *files;
  gulong             download_changed_id;
  GCancellable      *preview_cancellable;
  GdkTexture        *preview;
  GtkNativeDialog   *chooser;
  /* Why the last thing asked of the row failed, until the next message */
  char              *error_text;
};

G_DEFINE_FINAL_TYPE (TertuliaFileRow, tertulia_file_row, ADW_TYPE_BIN)

static const TertuliaFileInfo *
get_info (TertuliaFileRow *self)
{
  return self->message != NULL ? tertulia_message_get_file (self->message) : NULL;
}

static gboolean
is_removed (TertuliaFileRow *self)
{
  return self->message != NULL && tertulia_message_get_file_removed (self->message);
}

/* The name as it is safe to show and to save under */
static char *
dup_name (const TertuliaFileInfo *info)
{
  return tertulia_file_name_sanitize (info != NULL && info->name != NULL ? info->name : "");
}

char *
tertulia_file_row_dup_description (TertuliaMessage *message)
{
  const TertuliaFileInfo *info;
  const char *author;
  g_autofree char *name = NULL;
  g_autofree char *size = NULL;

  g_return_val_if_fail (TERTULIA_IS_MESSAGE (message), NULL);

  info = tertulia_message_get_file (message);
  author = tertulia_message_get_author (message);
  if (author == NULL)
    author = "";
  name = dup_name (info);

  if (tertulia_message_get_file_removed (message))
    /* Translators: a screen reader's name for a shared file that the
     * host removed: "ana sent photo.jpg, now removed"
     */
    return g_strdup_printf (_("%s sent %s, now removed"), author, name);

  size = g_format_size (info != NULL ? (guint64) MAX (info->size, 0) : 0);

  if (info != NULL && tertulia_file_type_is_picture (info->type) && info->width > 0 && info->height > 0)
    {
      g_autofree char *width = g_strdup_printf ("%" G_GINT64_FORMAT, info->width);
      g_autofree char *height = g_strdup_printf ("%" G_GINT64_FORMAT, info->height);

      /* Translators: a screen reader's name for a shared picture:
       * "ana sent photo.jpg, 1.2 MB, picture 800 by 600"
       */
      return g_strdup_printf (_("%s sent %s, %s, picture %s by %s"), author, name, size, width, height);
    }

  /* Translators: a screen reader's name for a shared file: "ana sent notes.txt, 2.1 kB" */
  return g_strdup_printf (_("%s sent %s, %s"), author, name, size);
}

static TertuliaChatPage *
find_page (TertuliaFileRow *self)
{
  GtkWidget *page = gtk_widget_get_ancestor (GTK_WIDGET (self), TERTULIA_TYPE_CHAT_PAGE);

  return page != NULL ? TERTULIA_CHAT_PAGE (page) : NULL;
}

static gboolean
is_hosting (TertuliaFileRow *self)
{
  TertuliaChatPage *page = find_page (self);

  /* Only the host's page invites people in */
  return page != NULL && tertulia_chat_page_get_share_port (page) != 0;
}

static void update_download (TertuliaFileRow *self);

static void
download_changed_cb (TertuliaFileRow   *self,
                     const char        *id,
                     TertuliaSharedFiles *files)
{
  const TertuliaFileInfo *info = get_info (self);

  if (info != NULL && g_strcmp0 (info->id, id) == 0)
    update_download (self);
}

/* The files of the room the row is shown in (the page's client changes
 * when you go to another room, and the rows stay)
 */
static TertuliaSharedFiles *
ensure_files (TertuliaFileRow *self)
{
  TertuliaChatPage *page = find_page (self);
  TertuliaClient *client = page != NULL ? tertulia_chat_page_get_client (page) : NULL;
  TertuliaSharedFiles *files = client != NULL ? tertulia_shared_files_get_for_client (client) : NULL;

  if (files == self->files)
    return files;

  if (self->files != NULL)
    g_clear_signal_handler (&self->download_changed_id, self->files);
  g_set_object (&self->files, files);
  if (files != NULL)
    self->download_changed_id = g_signal_connect_object (files, "download-changed",
                                                         G_CALLBACK (download_changed_cb), self,
                                                         G_CONNECT_SWAPPED);

  return files;
}

static void
set_detail (TertuliaFileRow *self,
            const char      *text,
            gboolean         error)
{
  gtk_label_set_text (self->detail_label, text);
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->detail_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->detail_label), "error");
}

static char *
dup_size_line (const TertuliaFileInfo *info)
{
  g_autofree char *size = g_format_size ((guint64) MAX (info->size, 0));

  if (tertulia_file_type_is_picture (info->type) && info->width > 0 && info->height > 0)
    {
      g_autofree char *width = g_strdup_printf ("%" G_GINT64_FORMAT, info->width);
      g_autofree char *height = g_strdup_printf ("%" G_GINT64_FORMAT, info->height);

      /* Translators: under a shared picture: its size, then its width × height in pixels */
      return g_strdup_printf (_("%s · %s × %s"), size, width, height);
    }

  return g_steal_pointer (&size);
}

static void
update_download (TertuliaFileRow *self)
{
  const TertuliaFileInfo *info = get_info (self);
  TertuliaDownloadState state = TERTULIA_DOWNLOAD_NONE;
  const char *error_text = NULL;
  double fraction = 0;
  gboolean removed = is_removed (self);
  g_autofree char *size_line = NULL;

  if (info == NULL)
    return;

  if (self->files != NULL)
    state = tertulia_shared_files_get_download (self->files, info->id, &fraction, NULL, &error_text);

  gtk_widget_set_visible (self->download_button, !removed && state != TERTULIA_DOWNLOAD_RUNNING);
  gtk_widget_set_visible (self->cancel_button, !removed && state == TERTULIA_DOWNLOAD_RUNNING);
  gtk_widget_set_visible (self->open_button, !removed && state == TERTULIA_DOWNLOAD_DONE);
  gtk_widget_set_visible (GTK_WIDGET (self->progress), !removed && state == TERTULIA_DOWNLOAD_RUNNING);
  gtk_progress_bar_set_fraction (self->progress, fraction);
  gtk_widget_set_visible (self->menu_button, !removed && is_hosting (self));

  if (removed)
    {
      set_detail (self, _("This file was removed"), FALSE);
      return;
    }

  size_line = dup_size_line (info);
  if (self->error_text != NULL)
    set_detail (self, self->error_text, TRUE);
  else if (state == TERTULIA_DOWNLOAD_FAILED && error_text != NULL)
    {
      /* Translators: under a shared file whose download failed; %s says why */
      g_autofree char *text = g_strdup_printf (_("Not downloaded: %s"), error_text);

      set_detail (self, text, TRUE);
    }
  else if (state == TERTULIA_DOWNLOAD_DONE)
    {
      /* Translators: under a shared file once saved; %s is its size */
      g_autofree char *text = g_strdup_printf (_("%s · Downloaded"), size_line);

      set_detail (self, text, FALSE);
    }
  else
    set_detail (self, size_line, FALSE);
}

/* Previews */

static gboolean
wants_preview (TertuliaFileRow *self)
{
  const TertuliaFileInfo *info = get_info (self);

  return info != NULL && !is_removed (self) && tertulia_file_info_can_preview (info) &&
         (self->files == NULL || !tertulia_shared_files_preview_failed (self->files, info->id));
}

/* The picture drawn at its size in the log, whatever the texture's (it
 * has twice the pixels, for HiDPI screens): the row is as tall before the
 * picture arrives as after, so the log does not move when it does
 */
static void
set_preview (TertuliaFileRow *self,
             GdkTexture      *texture)
{
  const TertuliaFileInfo *info = get_info (self);
  g_autoptr(GdkPaintable) paintable = NULL;
  GtkSnapshot *snapshot;
  int width, height;

  g_set_object (&self->preview, texture);
  if (info == NULL || !wants_preview (self))
    {
      gtk_picture_set_paintable (self->picture, NULL);
      return;
    }

  /* Until the picture arrives, a blank of its size holds its place */
  tertulia_fit_size (info->width, info->height, TERTULIA_PREVIEW_WIDTH, TERTULIA_PREVIEW_HEIGHT,
                     &width, &height);
  snapshot = gtk_snapshot_new ();
  if (texture != NULL)
    gtk_snapshot_append_texture (snapshot, texture, &GRAPHENE_RECT_INIT (0, 0, width, height));
  else
    gtk_snapshot_append_color (snapshot, &(GdkRGBA) { 0.5, 0.5, 0.5, 0.12 },
                               &GRAPHENE_RECT_INIT (0, 0, width, height));
  paintable = gtk_snapshot_free_to_paintable (snapshot, &GRAPHENE_SIZE_INIT (width, height));
  gtk_picture_set_paintable (self->picture, paintable);
}

static void
preview_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(TertuliaFileRow) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = tertulia_shared_files_load_preview_finish (TERTULIA_SHARED_FILES (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->preview_cancellable);

  if (texture == NULL)
    {
      /* Shown as the file it is, never as a broken picture */
      g_debug ("No preview: %s", error->message);
      gtk_widget_set_visible (self->preview_button, FALSE);
      return;
    }

  set_preview (self, texture);
}

static void
load_preview (TertuliaFileRow *self)
{
  const TertuliaFileInfo *info = get_info (self);

  if (!wants_preview (self) || self->files == NULL || self->preview_cancellable != NULL ||
      self->preview != NULL)
    return;

  self->preview_cancellable = g_cancellable_new ();
  tertulia_shared_files_load_preview_async (self->files, info, self->preview_cancellable,
                                          preview_loaded_cb, g_object_ref (self));
}

static void
cancel_preview (TertuliaFileRow *self)
{
  g_cancellable_cancel (self->preview_cancellable);
  g_clear_object (&self->preview_cancellable);
}

static void
update (TertuliaFileRow *self)
{
  const TertuliaFileInfo *info = get_info (self);
  g_autofree char *name = dup_name (info);
  g_autofree char *download_label = NULL;
  g_autofree char *open_label = NULL;
  g_autofree char *show_label = NULL;
  g_autofree char *mime = NULL;
  g_autofree char *content_type = NULL;
  g_autoptr(GIcon) icon = NULL;
  const char *semicolon;
  GdkTexture *cached = NULL;

  if (info == NULL)
    return;

  gtk_label_set_text (self->name_label, name);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_label), name);

  /* "text/plain; charset=utf-8" is text/plain to the icon theme */
  semicolon = info->type != NULL ? strchr (info->type, ';') : NULL;
  mime = semicolon != NULL ? g_strndup (info->type, semicolon - info->type)
                           : g_strdup (info->type != NULL ? info->type : "application/octet-stream");
  content_type = g_content_type_from_mime_type (mime);
  icon = g_content_type_get_symbolic_icon (content_type != NULL ? content_type : mime);
  gtk_image_set_from_gicon (self->icon, icon);

  /* Translators: a button's name for screen readers; %s is a file's name */
  download_label = g_strdup_printf (_("Download %s"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->download_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, download_label, -1);
  /* Translators: a button's name for screen readers; %s is a file's name */
  open_label = g_strdup_printf (_("Open %s"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->open_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, open_label, -1);
  /* Translators: a picture's button for screen readers; %s is its file's name */
  show_label = g_strdup_printf (_("Show %s large"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->preview_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, show_label, -1);

  /* Tab from the row (its list item, which says all of this) lands on
   * these buttons: they say whose file it is too
   */
  {
    g_autofree char *description = tertulia_file_row_dup_description (self->message);

    gtk_accessible_update_property (GTK_ACCESSIBLE (self->preview_button),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->download_button),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
  }

  if (wants_preview (self))
    {
      int width, height;

      /* The row has its final size before the picture arrives: the log
       * does not jump when it does
       */
      tertulia_fit_size (info->width, info->height, TERTULIA_PREVIEW_WIDTH, TERTULIA_PREVIEW_HEIGHT,
                         &width, &height);
      gtk_widget_set_size_request (GTK_WIDGET (self->picture), width, height);
      if (self->files != NULL)
        cached = tertulia_shared_files_lookup_preview (self->files, info->id);
      set_preview (self, cached);
      gtk_widget_set_visible (self->preview_button, TRUE);
      if (gtk_widget_get_mapped (GTK_WIDGET (self)))
        load_preview (self);
    }
  else
    {
      set_preview (self, NULL);
      gtk_widget_set_visible (self->preview_button, FALSE);
    }

  update_download (self);
}

static void
message_notify_cb (TertuliaFileRow *self,
                   GParamSpec      *pspec)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "file-removed") || g_str_equal (name, "file"))
    {
      cancel_preview (self);
      update (self);
    }
}

static void
tertulia_file_row_map (GtkWidget *widget)
{
  TertuliaFileRow *self = TERTULIA_FILE_ROW (widget);

  GTK_WIDGET_CLASS (tertulia_file_row_parent_class)->map (widget);

  /* Rows are made before they are in the page: the room's files are
   * found now, and the preview is fetched only for what is shown
   */
  if (self->message != NULL && self->files != ensure_files (self))
    update (self);
  else
    update_download (self);
  load_preview (self);
}

/* Actions */

static GtkWindow *
get_window (TertuliaFileRow *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
show_picture (TertuliaFileRow *self)
{
  const TertuliaFileInfo *info = get_info (self);
  g_autoptr(GFile) file = NULL;
  g_autofree char *name = NULL;
  GtkWidget *viewer;

  if (info == NULL || self->preview == NULL)
    return;

  if (self->files != NULL)
    file = tertulia_shared_files_dup_picture_file (self->files, info->id);
  name = dup_name (info);
  viewer = tertulia_picture_viewer_new (get_window (self), name, self->preview, file);
  gtk_window_present (GTK_WINDOW (viewer));
}

static void
chooser_response_cb (TertuliaFileRow *self,
                     int              response,
                     GtkNativeDialog *chooser)
{
  const TertuliaFileInfo *info = get_info (self);

  if (response == GTK_RESPONSE_ACCEPT && info != NULL && ensure_files (self) != NULL)
    {
      g_autoptr(GFile) dest = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      g_clear_pointer (&self->error_text, g_free);
      if (dest != NULL)
        tertulia_shared_files_download (self->files, info->id, dest);
    }

  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->chooser);
}

static void
download_clicked_cb (TertuliaFileRow *self)
{
  const TertuliaFileInfo *info = get_info (self);
  g_autofree char *name = dup_name (info);
  const char *folder = g_get_user_special_dir (G_USER_DIRECTORY_DOWNLOAD);
  g_autoptr(GFile) downloads = g_file_new_for_path (folder != NULL ? folder : g_get_home_dir ());
  GtkFileChooserNative *chooser;

  if (info == NULL || self->chooser != NULL)
    return;

  /* Through the portal when there is one: a sandboxed app saves where the
   * person says
   */
  chooser = gtk_file_chooser_native_new (_("Save File"), get_window (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), downloads, NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect_object (chooser, "response", G_CALLBACK (chooser_response_cb), self, G_CONNECT_SWAPPED);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

static void
cancel_clicked_cb (TertuliaFileRow *self)
{
  const TertuliaFileInfo *info = get_info (self);

  if (info != NULL && self->files != NULL)
    tertulia_shared_files_cancel_download (self->files, info->id);
}

static void
launched_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(TertuliaFileRow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    {
      /* Translators: under a shared file that could not be opened; %s says why */
      g_free (self->error_text);
      self->error_text = g_strdup_printf (_("Not opened: %s"), error->message);
      update_download (self);
    }
}

static void
open_clicked_cb (TertuliaFileRow *self)
{
  const TertuliaFileInfo *info = get_info (self);
  g_autoptr(GAppLaunchContext) context = NULL;
  g_autofree char *uri = NULL;
  GFile *dest = NULL;

  if (info == NULL || self->files == NULL ||
      tertulia_shared_files_get_download (self->files, info->id, NULL, &dest, NULL) != TERTULIA_DOWNLOAD_DONE)
    return;

  uri = g_file_get_uri (dest);
  context = G_APP_LAUNCH_CONTEXT (gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (self))));
  g_clear_pointer (&self->error_text, g_free);
  g_app_info_launch_default_for_uri_async (uri, context, NULL, launched_cb, g_object_ref (self));
}

static void
removed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TertuliaFileRow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tertulia_client_remove_file_finish (TERTULIA_CLIENT (object), result, &error))
    {
      /* Translators: under a shared file the host could not remove; %s says why */
      g_free (self->error_text);
      self->error_text = g_strdup_printf (_("Not removed: %s"), error->message);
      update_download (self);
    }
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TertuliaFileRow *self = TERTULIA_FILE_ROW (widget);
  const TertuliaFileInfo *info = get_info (self);

  if (info == NULL || ensure_files (self) == NULL || !is_hosting (self) ||
      tertulia_shared_files_get_client (self->files) == NULL)
    return;

  tertulia_client_remove_file_async (tertulia_shared_files_get_client (self->files), info->id,
                                     NULL, removed_cb, g_object_ref (self));
}

static void
tertulia_file_row_dispose (GObject *object)
{
  TertuliaFileRow *self = (TertuliaFileRow *)object;

  tertulia_file_row_set_message (self, NULL);
  if (self->files != NULL)
    g_clear_signal_handler (&self->download_changed_id, self->files);
  g_clear_object (&self->files);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  g_clear_pointer (&self->error_text, g_free);
  g_clear_object (&self->preview);

  G_OBJECT_CLASS (tertulia_file_row_parent_class)->dispose (object);
}

static void
tertulia_file_row_class_init (TertuliaFileRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tertulia_file_row_dispose;
  widget_class->map = tertulia_file_row_map;

  gtk_widget_class_install_action (widget_class, "file.remove", NULL, remove_action);
}

static GtkWidget *
icon_button (const char *icon_name,
             const char *tooltip)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "circular");

  return button;
}

/* Built in code, not a template: only file messages pay for it, and
 * those are few in a log
 */
static void
tertulia_file_row_init (TertuliaFileRow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  g_autoptr(GMenu) menu = g_menu_new ();

  gtk_widget_add_css_class (GTK_WIDGET (self), "file-row");

  self->picture = GTK_PICTURE (gtk_picture_new ());
  gtk_picture_set_can_shrink (self->picture, TRUE);
  gtk_picture_set_content_fit (self->picture, GTK_CONTENT_FIT_CONTAIN);
  gtk_widget_set_halign (GTK_WIDGET (self->picture), GTK_ALIGN_START);
  self->preview_button = gtk_button_new ();
  gtk_button_set_child (GTK_BUTTON (self->preview_button), GTK_WIDGET (self->picture));
  gtk_widget_set_halign (self->preview_button, GTK_ALIGN_START);
  gtk_widget_set_visible (self->preview_button, FALSE);
  gtk_widget_set_tooltip_text (self->preview_button, _("Show Large"));
  gtk_widget_add_css_class (self->preview_button, "file-preview");
  /* The rounded corners cut the picture too */
  gtk_widget_set_overflow (self->preview_button, GTK_OVERFLOW_HIDDEN);
  gtk_widget_add_css_class (self->preview_button, "flat");
  g_signal_connect_swapped (self->preview_button, "clicked", G_CALLBACK (show_picture), self);
  gtk_box_append (GTK_BOX (box), self->preview_button);

  self->icon = GTK_IMAGE (gtk_image_new ());
  gtk_image_set_icon_size (self->icon, GTK_ICON_SIZE_LARGE);
  gtk_widget_set_valign (GTK_WIDGET (self->icon), GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
  gtk_box_append (GTK_BOX (line), GTK_WIDGET (self->icon));

  /* A name from the wire is text, never markup */
  self->name_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_use_markup (self->name_label, FALSE);
  gtk_label_set_xalign (self->name_label, 0);
  gtk_label_set_ellipsize (self->name_label, PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (self->name_label, 40);
  gtk_widget_add_css_class (GTK_WIDGET (self->name_label), "file-name");
  gtk_box_append (GTK_BOX (texts), GTK_WIDGET (self->name_label));

  self->detail_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_use_markup (self->detail_label, FALSE);
  gtk_label_set_xalign (self->detail_label, 0);
  gtk_label_set_wrap (self->detail_label, TRUE);
  gtk_label_set_wrap_mode (self->detail_label, PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (GTK_WIDGET (self->detail_label), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (self->detail_label), "dim-label");
  gtk_box_append (GTK_BOX (texts), GTK_WIDGET (self->detail_label));

  self->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_widget_set_visible (GTK_WIDGET (self->progress), FALSE);
  gtk_box_append (GTK_BOX (texts), GTK_WIDGET (self->progress));

  gtk_widget_set_hexpand (texts, TRUE);
  gtk_widget_set_valign (texts, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (line), texts);

  self->download_button = icon_button ("folder-download-symbolic", _("Download"));
  g_signal_connect_swapped (self->download_button, "clicked", G_CALLBACK (download_clicked_cb), self);
  gtk_box_append (GTK_BOX (line), self->download_button);

  self->cancel_button = icon_button ("process-stop-symbolic", _("Cancel Download"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->cancel_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Cancel Download"), -1);
  gtk_widget_set_visible (self->cancel_button, FALSE);
  g_signal_connect_swapped (self->cancel_button, "clicked", G_CALLBACK (cancel_clicked_cb), self);
  gtk_box_append (GTK_BOX (line), self->cancel_button);

  self->open_button = gtk_button_new_with_mnemonic (_("_Open"));
  gtk_widget_set_valign (self->open_button, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (self->open_button, FALSE);
  g_signal_connect_swapped (self->open_button, "clicked", G_CALLBACK (open_clicked_cb), self);
  gtk_box_append (GTK_BOX (line), self->open_button);

  g_menu_append (menu, _("_Remove From Room"), "file.remove");
  self->menu_button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (self->menu_button), "view-more-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (self->menu_button), G_MENU_MODEL (menu));
  gtk_widget_set_valign (self->menu_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (self->menu_button, _("File Menu"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("File Menu"), -1);
  gtk_widget_add_css_class (self->menu_button, "flat");
  gtk_widget_set_visible (self->menu_button, FALSE);
  gtk_box_append (GTK_BOX (line), self->menu_button);

  gtk_widget_add_css_class (line, "file-line");
  gtk_box_append (GTK_BOX (box), line);

  adw_bin_set_child (ADW_BIN (self), box);
}

GtkWidget *
tertulia_file_row_new (void)
{
  return g_object_new (TERTULIA_TYPE_FILE_ROW, NULL);
}

void
tertulia_file_row_set_message (TertuliaFileRow *self,
                               TertuliaMessage *message)
{
  g_return_if_fail (TERTULIA_IS_FILE_ROW (self));
  g_return_if_fail (!message || TERTULIA_IS_MESSAGE (message));

  if (self->message == message)
    return;

  /* A row that scrolled away stops fetching its picture */
  cancel_preview (self);
  g_clear_pointer (&self->error_text, g_free);

  if (self->message != NULL)
    g_clear_signal_handler (&self->notify_id, self->message);
  g_set_object (&self->message, message);

  if (message == NULL)
    {
      set_preview (self, NULL);
      return;
    }

  self->notify_id = g_signal_connect_swapped (message, "notify", G_CALLBACK (message_notify_cb), self);
  ensure_files (self);
  update (self);
}

TertuliaMessage *
tertulia_file_row_get_message (TertuliaFileRow *self)
{
  g_return_val_if_fail (TERTULIA_IS_FILE_ROW (self), NULL);

  return self->message;
}

GtkPicture *
_tertulia_file_row_get_picture (TertuliaFileRow *self)
{
  return self->picture;
}

GdkTexture *
_tertulia_file_row_get_preview (TertuliaFileRow *self)
{
  return self->preview;
}

GtkLabel *
_tertulia_file_row_get_name_label (TertuliaFileRow *self)
{
  return self->name_label;
}

GtkLabel *
_tertulia_file_row_get_detail_label (TertuliaFileRow *self)
{
  return self->detail_label;
}

GtkWidget *
_tertulia_file_row_get_download_button (TertuliaFileRow *self)
{
  return self->download_button;
}

GtkWidget *
_tertulia_file_row_get_open_button (TertuliaFileRow *self)
{
  return self->open_button;
}

GtkWidget *
_tertulia_file_row_get_menu_button (TertuliaFileRow *self)
{
  return self->menu_button;
}

gboolean
_tertulia_file_row_shows_picture (TertuliaFileRow *self)
{
  return gtk_widget_get_visible (self->preview_button);
}

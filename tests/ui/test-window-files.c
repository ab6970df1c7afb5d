/* test-window-files.c — sharing files from the window: a pasted picture
 * reaches a guest whole; pictures and files from a guest show in the log
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "ui-test-utils.h"
#include "tertulia-chat-page-private.h"
#include "tertulia-file-row.h"
#include "tertulia-picture-viewer.h"
#include "tertulia-shared-files.h"
#include "tertulia-uploads.h"

static TertuliaApplication *app;
static char *tmp_dir;

typedef struct
{
  TertuliaWindow *window;
  TertuliaClient *guest;
  char           *address;
  char           *dir;
} Fixture;

static TertuliaChatPage *
chat_page (Fixture *fixture)
{
  return _tertulia_window_get_chat_page (fixture->window);
}

static void
host_room_from_window (Fixture *fixture)
{
  TertuliaStartPage *start = _tertulia_window_get_start_page (fixture->window);
  guint port;

  gtk_editable_set_text (_tertulia_start_page_get_nickname_row (start), "hostie");
  gtk_editable_set_text (_tertulia_start_page_get_room_name_row (start), "Files room");
  port = tertulia_find_free_port (20000, 40000);
  g_assert_cmpuint (port, !=, 0);
  gtk_spin_button_set_value (_tertulia_start_page_get_port_spin (start), port);

  tertulia_start_page_host (start);
  WAIT_UNTIL (g_strcmp0 (_tertulia_window_get_page_name (fixture->window), "chat") == 0);
  fixture->address = g_strdup_printf ("127.0.0.1:%u",
                                      tertulia_session_get_port (tertulia_window_get_session (fixture->window)));
  fixture->guest = ui_test_join (fixture->address, "ana");
}

static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  fixture->window = ui_test_window_new (app);
  fixture->dir = g_dir_make_tmp ("test-window-files-XXXXXX", NULL);
  g_assert_nonnull (fixture->dir);
  host_room_from_window (fixture);
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  g_clear_pointer (&fixture->guest, ui_test_leave);
  tertulia_window_leave (fixture->window);
  ui_test_destroy_window (fixture->window);
  tertulia_test_remove_tree (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
  g_clear_pointer (&fixture->address, g_free);
}

/* Helpers */

static char *
sha256_of_path (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));

  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

/* The newest file message in @client's room named @name, or NULL */
static TertuliaMessage *
find_file_message (TertuliaClient *client,
                   const char     *name)
{
  GListModel *messages = tertulia_room_get_messages (tertulia_client_get_room (client));

  for (guint i = g_list_model_get_n_items (messages); i > 0; i--)
    {
      g_autoptr(TertuliaMessage) message = g_list_model_get_item (messages, i - 1);

      if (tertulia_message_get_kind (message) == TERTULIA_MESSAGE_KIND_FILE &&
          (name == NULL || g_strcmp0 (tertulia_message_get_file (message)->name, name) == 0))
        return message;  /* the room keeps it */
    }

  return NULL;
}

static gboolean
file_row_matches (GtkWidget     *widget,
                  gconstpointer  data)
{
  TertuliaMessage *message;

  if (!TERTULIA_IS_FILE_ROW (widget) || !gtk_widget_get_mapped (widget))
    return FALSE;

  message = tertulia_file_row_get_message (TERTULIA_FILE_ROW (widget));

  return message != NULL && g_strcmp0 (tertulia_message_get_file (message)->name, data) == 0;
}

/* The file row on screen for the file called @name, or NULL */
static TertuliaFileRow *
find_file_row (Fixture    *fixture,
               const char *name)
{
  GtkWidget *view = GTK_WIDGET (_tertulia_chat_page_get_message_view (chat_page (fixture)));

  return (TertuliaFileRow *) ui_test_find_widget (view, file_row_matches, name);
}

static void
uploaded_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  char **id = user_data;
  g_autoptr(GError) error = NULL;

  *id = tertulia_client_upload_file_finish (TERTULIA_CLIENT (object), result, &error);
  g_assert_no_error (error);
}

/* The guest sends @path; returns the new file's id */
static char *
guest_sends (Fixture    *fixture,
             const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  char *id = NULL;

  tertulia_client_upload_file_async (fixture->guest, file, NULL, NULL, NULL, NULL, uploaded_cb, &id);
  WAIT_UNTIL (id != NULL);

  return id;
}

static void
removed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GError **error = user_data;

  g_assert_false (tertulia_client_remove_file_finish (TERTULIA_CLIENT (object), result, error));
  g_assert_nonnull (*error);
}

static char *
write_file (Fixture    *fixture,
            const char *name,
            const void *data,
            gsize       length)
{
  char *path = g_build_filename (fixture->dir, name, NULL);

  g_assert_true (g_file_set_contents (path, data, length, NULL));

  return path;
}

static GdkTexture *
make_texture (int width,
              int height)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guchar *p = pixels + y * stride + x * 3;

        p[0] = (guchar) (x * 255 / width);
        p[1] = (guchar) (y * 255 / height);
        p[2] = (guchar) ((x ^ y) & 0xff);
      }

  return gdk_texture_new_for_pixbuf (pixbuf);
}

static void
downloaded_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  int *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (tertulia_client_download_file_finish (TERTULIA_CLIENT (object), result, &error));
  g_assert_no_error (error);
  *done = 1;
}

static guint
count_paste_files (void)
{
  g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "tertulia-paste-"))
      n++;

  return n;
}

/* Tests */

/* A picture on the clipboard, Ctrl+V in the composer: a guest gets the
 * file event and downloads exactly the PNG the app made of it
 */
static void
test_paste_picture (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GdkTexture) texture = make_texture (64, 48);
  g_autoptr(GBytes) png = gdk_texture_save_to_png_bytes (texture);
  g_autofree char *png_sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, png);
  GtkWidget *entry = GTK_WIDGET (_tertulia_chat_page_get_entry (chat_page (fixture)));
  g_autofree char *saved = g_build_filename (fixture->dir, "saved.png", NULL);
  g_autoptr(GFile) saved_file = g_file_new_for_path (saved);
  g_autofree char *saved_sha256 = NULL;
  const TertuliaFileInfo *info;
  TertuliaMessage *message;
  TertuliaFileRow *row;
  int done = 0;

  gdk_clipboard_set_texture (gtk_widget_get_clipboard (entry), texture);
  _tertulia_chat_page_set_entry_text (chat_page (fixture), "typed");
  gtk_widget_activate_action (entry, "clipboard.paste", NULL);

  WAIT_UNTIL ((message = find_file_message (fixture->guest, NULL)) != NULL);
  info = tertulia_message_get_file (message);
  g_assert_cmpstr (info->type, ==, "image/png");
  g_assert_cmpint (info->width, ==, 64);
  g_assert_cmpint (info->height, ==, 48);
  g_assert_true (g_str_has_suffix (info->name, ".png"));
  g_assert_cmpstr (info->sha256, ==, png_sha256);
  g_assert_cmpstr (tertulia_message_get_author (message), ==, "hostie");
  /* The picture went as a file, not as text into the entry */
  {
    g_autofree char *text = _tertulia_chat_page_dup_entry_text (chat_page (fixture));

    g_assert_cmpstr (text, ==, "typed");
  }

  tertulia_client_download_file_async (fixture->guest, info->id, saved_file, NULL, NULL, NULL,
                                       downloaded_cb, &done);
  WAIT_UNTIL (done);
  saved_sha256 = sha256_of_path (saved);
  g_assert_cmpstr (saved_sha256, ==, png_sha256);

  /* The bar went with the upload, and the PNG the app wrote with it */
  WAIT_UNTIL (tertulia_uploads_get_n_rows (chat_page (fixture)->uploads) == 0);
  g_assert_cmpuint (count_paste_files (), ==, 0);

  /* The app shows its own picture inline */
  WAIT_UNTIL ((row = find_file_row (fixture, info->name)) != NULL &&
              _tertulia_file_row_get_preview (row) != NULL);
}

/* A guest's PNG is a picture in the log (clicking it opens it large);
 * a text file is a row with its name, size and Download
 */
static void
test_guest_picture_and_file (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GdkTexture) texture = make_texture (720, 480);
  g_autoptr(GBytes) png = gdk_texture_save_to_png_bytes (texture);
  g_autofree char *png_path = write_file (fixture, "photo.png", g_bytes_get_data (png, NULL),
                                          g_bytes_get_size (png));
  static const char notes[] = "Bring the maps and the mods.\n";
  g_autofree char *notes_path = write_file (fixture, "notes.txt", notes, sizeof notes - 1);
  g_autofree char *picture_id = NULL;
  g_autofree char *notes_id = NULL;
  g_autofree char *size = g_format_size (sizeof notes - 1);
  g_autofree char *description = NULL;
  TertuliaFileRow *row;
  GdkPaintable *paintable;
  GtkWidget *viewer = NULL;

  picture_id = guest_sends (fixture, png_path);
  WAIT_UNTIL ((row = find_file_row (fixture, "photo.png")) != NULL &&
              _tertulia_file_row_get_preview (row) != NULL);
  g_assert_true (_tertulia_file_row_shows_picture (row));
  paintable = gtk_picture_get_paintable (_tertulia_file_row_get_picture (row));
  /* Bounded: 720×480 is shown at 320×213 */
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (paintable), ==, 320);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (paintable), ==, 213);
  /* (a pixel more where the aspect rounds up) */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (_tertulia_file_row_get_picture (row))), <=,
                   TERTULIA_PREVIEW_WIDTH + 1);
  description = tertulia_file_row_dup_description (tertulia_file_row_get_message (row));
  g_assert_true (g_str_has_prefix (description, "ana sent photo.png, "));
  g_assert_true (g_str_has_suffix (description, ", picture 720 by 480"));

  /* A click opens it large; Escape closes it */
  {
    GtkWidget *button = gtk_widget_get_parent (GTK_WIDGET (_tertulia_file_row_get_picture (row)));
    GListModel *toplevels = gtk_window_get_toplevels ();  /* borrowed */
    guint n_before = g_list_model_get_n_items (toplevels);

    g_signal_emit_by_name (button, "clicked");
    WAIT_UNTIL (g_list_model_get_n_items (toplevels) == n_before + 1);
    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

        if (gtk_window_get_transient_for (GTK_WINDOW (window)) == GTK_WINDOW (fixture->window))
          viewer = window;
      }
    g_assert_nonnull (viewer);
    g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (viewer)), ==, "photo.png");
    /* The preview at once, then the whole picture, decoded in a thread */
    WAIT_UNTIL (gdk_paintable_get_intrinsic_width (gtk_picture_get_paintable (_tertulia_picture_viewer_get_picture (TERTULIA_PICTURE_VIEWER (viewer)))) == 720);
    g_assert_true (gtk_widget_activate_action (viewer, "window.close", NULL));
    WAIT_UNTIL (g_list_model_get_n_items (toplevels) == n_before);
  }

  notes_id = guest_sends (fixture, notes_path);
  WAIT_UNTIL ((row = find_file_row (fixture, "notes.txt")) != NULL);
  g_assert_false (_tertulia_file_row_shows_picture (row));
  g_assert_cmpstr (gtk_label_get_text (_tertulia_file_row_get_name_label (row)), ==, "notes.txt");
  g_assert_false (gtk_label_get_use_markup (_tertulia_file_row_get_name_label (row)));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (_tertulia_file_row_get_detail_label (row)), size));
  g_assert_true (gtk_widget_get_visible (_tertulia_file_row_get_download_button (row)));
  g_assert_false (gtk_widget_get_visible (_tertulia_file_row_get_open_button (row)));
  /* The host's user may remove it */
  g_assert_true (gtk_widget_get_visible (_tertulia_file_row_get_menu_button (row)));

  /* From the keyboard: the row's list item takes the focus (its name is
   * the row's), Tab goes to Download, then to the row's menu
   */
  {
    GtkWidget *item = gtk_widget_get_parent (gtk_widget_get_ancestor (GTK_WIDGET (row), TERTULIA_TYPE_MESSAGE_ROW));
    GtkWidget *focus;

    g_assert_true (gtk_widget_grab_focus (item));
    g_assert_true (gtk_root_get_focus (GTK_ROOT (fixture->window)) == item);
    g_assert_true (gtk_widget_child_focus (GTK_WIDGET (fixture->window), GTK_DIR_TAB_FORWARD));
    g_assert_true (gtk_root_get_focus (GTK_ROOT (fixture->window)) == _tertulia_file_row_get_download_button (row));
    g_assert_true (gtk_widget_child_focus (GTK_WIDGET (fixture->window), GTK_DIR_TAB_FORWARD));
    focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
    g_assert_true (gtk_widget_is_ancestor (focus, _tertulia_file_row_get_menu_button (row)));
  }

  /* Downloaded (where the Save dialog would say): Open shows, and the
   * bytes are the guest's
   */
  {
    TertuliaSharedFiles *files = tertulia_shared_files_get_for_client (tertulia_chat_page_get_client (chat_page (fixture)));
    g_autofree char *saved = g_build_filename (fixture->dir, "saved notes.txt", NULL);
    g_autoptr(GFile) dest = g_file_new_for_path (saved);
    g_autofree char *contents = NULL;

    /* What is there already is replaced, not resumed */
    g_assert_true (g_file_set_contents (saved, "old", 3, NULL));
    tertulia_shared_files_download (files, notes_id, dest);
    WAIT_UNTIL (gtk_widget_get_visible (_tertulia_file_row_get_open_button (row)));
    g_assert_true (g_file_get_contents (saved, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, notes);
    g_assert_true (g_str_has_suffix (gtk_label_get_text (_tertulia_file_row_get_detail_label (row)), "Downloaded"));
  }

  /* Removed by the host: said, and no buttons */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "file.remove", NULL));
  WAIT_UNTIL (tertulia_message_get_file_removed (find_file_message (fixture->guest, "notes.txt")));
  WAIT_UNTIL (g_strcmp0 (gtk_label_get_text (_tertulia_file_row_get_detail_label (row)),
                         "This file was removed") == 0);
  g_assert_false (gtk_widget_get_visible (_tertulia_file_row_get_download_button (row)));
  g_assert_false (gtk_widget_get_visible (_tertulia_file_row_get_menu_button (row)));

  /* Only the host's user removes files */
  {
    g_autoptr(GError) error = NULL;

    tertulia_client_remove_file_async (fixture->guest, picture_id, NULL, removed_cb, &error);
    WAIT_UNTIL (error != NULL);
    g_assert_error (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_REFUSED);
    g_assert_false (tertulia_message_get_file_removed (find_file_message (fixture->guest, "photo.png")));
  }
}

/* A "PNG" that is a shell script is a file; so is a picture claiming 60
 * megapixels, which is never fetched nor decoded
 */
static const guint8 png_header[] = {
  0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
  0, 0, 0, 13, 'I', 'H', 'D', 'R',
  0x00, 0x00, 0x27, 0x10,   /* 10000 wide */
  0x00, 0x00, 0x17, 0x70,   /* 6000 high */
  8, 2, 0, 0, 0,
  0, 0, 0, 0,               /* the CRC, filled in */
  0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82,
};

static guint32
crc32_of (const guint8 *data,
          gsize         length)
{
  guint32 crc = 0xffffffff;

  for (gsize i = 0; i < length; i++)
    {
      crc ^= data[i];
      for (int k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xedb88320 & (0 - (crc & 1)));
    }

  return crc ^ 0xffffffff;
}

static void
test_not_pictures (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char script[] = "#!/bin/sh\necho not a picture\n";
  g_autofree char *script_path = write_file (fixture, "x.png", script, sizeof script - 1);
  guint8 header[sizeof png_header];
  g_autofree char *huge_path = NULL;
  g_autofree char *id = NULL;
  const TertuliaFileInfo *info;
  TertuliaSharedFiles *files;
  TertuliaFileRow *row;
  guint32 crc;

  id = guest_sends (fixture, script_path);
  WAIT_UNTIL ((row = find_file_row (fixture, "x.png")) != NULL);
  info = tertulia_message_get_file (tertulia_file_row_get_message (row));
  g_assert_false (tertulia_file_type_is_picture (info->type));
  g_assert_false (_tertulia_file_row_shows_picture (row));
  g_assert_null (_tertulia_file_row_get_preview (row));
  g_assert_null (gtk_picture_get_paintable (_tertulia_file_row_get_picture (row)));

  memcpy (header, png_header, sizeof header);
  crc = crc32_of (header + 12, 17);
  header[29] = crc >> 24;
  header[30] = crc >> 16;
  header[31] = crc >> 8;
  header[32] = crc;
  huge_path = write_file (fixture, "huge.png", header, sizeof header);
  g_clear_pointer (&id, g_free);
  id = guest_sends (fixture, huge_path);
  WAIT_UNTIL ((row = find_file_row (fixture, "huge.png")) != NULL);
  info = tertulia_message_get_file (tertulia_file_row_get_message (row));
  g_assert_cmpstr (info->type, ==, "image/png");
  g_assert_cmpint (info->width, ==, 10000);
  g_assert_cmpint (info->height, ==, 6000);
  tertulia_test_spin (300);
  g_assert_false (_tertulia_file_row_shows_picture (row));
  g_assert_null (_tertulia_file_row_get_preview (row));
  g_assert_true (g_str_has_suffix (gtk_label_get_text (_tertulia_file_row_get_detail_label (row)),
                                   "10000 × 6000"));
  files = tertulia_shared_files_get_for_client (tertulia_chat_page_get_client (chat_page (fixture)));
  g_assert_null (tertulia_shared_files_dup_picture_file (files, id));

  /* A PNG whose header is sound (100×100) and whose pixels are missing:
   * fetched, not decoded, shown as a file
   */
  header[18] = 0;
  header[19] = 100;
  header[22] = 0;
  header[23] = 100;
  crc = crc32_of (header + 12, 17);
  header[29] = crc >> 24;
  header[30] = crc >> 16;
  header[31] = crc >> 8;
  header[32] = crc;
  g_clear_pointer (&huge_path, g_free);
  huge_path = write_file (fixture, "broken.png", header, sizeof header);
  g_clear_pointer (&id, g_free);
  id = guest_sends (fixture, huge_path);
  WAIT_UNTIL ((row = find_file_row (fixture, "broken.png")) != NULL);
  info = tertulia_message_get_file (tertulia_file_row_get_message (row));
  g_assert_cmpint (info->width, ==, 100);
  WAIT_UNTIL (tertulia_shared_files_preview_failed (files, id));
  WAIT_UNTIL (!_tertulia_file_row_shows_picture (row));
  g_assert_null (_tertulia_file_row_get_preview (row));
  g_assert_true (gtk_widget_get_visible (_tertulia_file_row_get_download_button (row)));
}

/* Cancel mid-way: nothing reaches the guest, and the bar goes */
static void
test_cancel_upload (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "big.bin", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  TertuliaUploads *uploads = chat_page (fixture)->uploads;
  GListModel *guest_messages = tertulia_room_get_messages (tertulia_client_get_room (fixture->guest));
  guint n_guest_before = g_list_model_get_n_items (guest_messages);
  int fd;

  /* 512 MiB of nothing, on disk in no time */
  fd = g_open (path, O_CREAT | O_WRONLY, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, 512 * 1024 * 1024), ==, 0);
  close (fd);

  {
    g_autoslist(GFile) list = g_slist_prepend (NULL, g_object_ref (file));

    _tertulia_chat_page_send_files (chat_page (fixture), list);
  }
  g_assert_cmpuint (tertulia_uploads_get_n_rows (uploads), ==, 1);
  g_assert_cmpstr (gtk_label_get_text (_tertulia_uploads_get_label (uploads, 0)), ==, "big.bin");
  WAIT_UNTIL (gtk_progress_bar_get_fraction (_tertulia_uploads_get_progress (uploads, 0)) > 0);
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (_tertulia_uploads_get_progress (uploads, 0)), <, 1.0);

  g_signal_emit_by_name (_tertulia_uploads_get_cancel_button (uploads, 0), "clicked");
  g_assert_cmpuint (tertulia_uploads_get_n_rows (uploads), ==, 0);

  tertulia_test_spin (1500);
  g_assert_null (find_file_message (fixture->guest, "big.bin"));
  for (guint i = n_guest_before; i < g_list_model_get_n_items (guest_messages); i++)
    {
      g_autoptr(TertuliaMessage) message = g_list_model_get_item (guest_messages, i);

      g_assert_cmpint (tertulia_message_get_kind (message), !=, TERTULIA_MESSAGE_KIND_FILE);
    }
  /* The file we were sending is ours, and stays */
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* Files dropped on the log are sent */
static void
test_drop (Fixture       *fixture,
           gconstpointer  data)
{
  static const char text[] = "dropped on the log\n";
  g_autofree char *path = write_file (fixture, "dropped.txt", text, sizeof text - 1);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoslist(GFile) list = g_slist_prepend (NULL, g_object_ref (file));
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (chat_page (fixture)->log_overlay);
  g_auto(GValue) value = G_VALUE_INIT;
  GtkDropTarget *target = NULL;
  gboolean accepted = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        target = GTK_DROP_TARGET (controller);
    }
  g_assert_nonnull (target);

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (list));
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  g_assert_true (accepted);

  WAIT_UNTIL (find_file_message (fixture->guest, "dropped.txt") != NULL);
  /* The dropped file is the person's, and stays */
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* Files copied in a file manager are sent by Ctrl+V; text is pasted as
 * text, as ever
 */
static void
test_paste_files_and_text (Fixture       *fixture,
                           gconstpointer  data)
{
  static const char text[] = "copied in the file manager\n";
  g_autofree char *path = write_file (fixture, "copied.txt", text, sizeof text - 1);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoslist(GFile) list = g_slist_prepend (NULL, g_object_ref (file));
  GdkFileList *files = gdk_file_list_new_from_list (list);
  GtkWidget *entry = GTK_WIDGET (_tertulia_chat_page_get_entry (chat_page (fixture)));
  GdkClipboard *clipboard = gtk_widget_get_clipboard (entry);
  GListModel *guest_messages = tertulia_room_get_messages (tertulia_client_get_room (fixture->guest));
  guint n_before;

  gdk_clipboard_set (clipboard, GDK_TYPE_FILE_LIST, files);
  g_boxed_free (GDK_TYPE_FILE_LIST, files);
  gtk_widget_activate_action (entry, "clipboard.paste", NULL);
  WAIT_UNTIL (find_file_message (fixture->guest, "copied.txt") != NULL);
  {
    g_autofree char *typed = _tertulia_chat_page_dup_entry_text (chat_page (fixture));

    g_assert_cmpstr (typed, ==, "");
  }

  n_before = g_list_model_get_n_items (guest_messages);
  gdk_clipboard_set_text (clipboard, "just words");
  gtk_widget_activate_action (entry, "clipboard.paste", NULL);
  tertulia_test_spin (500);
  {
    g_autofree char *typed = _tertulia_chat_page_dup_entry_text (chat_page (fixture));

    g_assert_cmpstr (typed, ==, "just words");
  }
  g_assert_cmpuint (tertulia_uploads_get_n_rows (chat_page (fixture)->uploads), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (guest_messages), ==, n_before);
}

/* Refusals in human words, the limits in human units */
static void
test_error_words (Fixture       *fixture,
                  gconstpointer  data)
{
  TertuliaClient *client = tertulia_chat_page_get_client (chat_page (fixture));
  g_autoptr(GError) too_large = g_error_new_literal (TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_FILE_TOO_LARGE, "x");
  g_autoptr(GError) full = g_error_new_literal (TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_ROOM_FILES_FULL, "x");
  g_autoptr(GError) disk = g_error_new_literal (TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_HOST_FULL, "x");
  g_autoptr(GError) network = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "x");
  g_autofree char *limit = g_format_size (tertulia_client_get_file_limit (client));
  g_autofree char *quota = g_format_size (tertulia_client_get_room_file_limit (client));
  g_autofree char *text = NULL;

  g_assert_cmpuint (tertulia_client_get_file_limit (client), >, 0);
  text = tertulia_uploads_dup_error_text (client, "mod.zip", too_large);
  g_assert_nonnull (strstr (text, "mod.zip"));
  g_assert_nonnull (strstr (text, limit));
  g_clear_pointer (&text, g_free);
  text = tertulia_uploads_dup_error_text (client, "mod.zip", full);
  g_assert_nonnull (strstr (text, quota));
  g_clear_pointer (&text, g_free);
  text = tertulia_uploads_dup_error_text (client, "mod.zip", disk);
  g_assert_nonnull (strstr (text, "disk is full"));
  g_clear_pointer (&text, g_free);
  text = tertulia_uploads_dup_error_text (client, "mod.zip", network);
  g_assert_nonnull (strstr (text, "connection"));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  /* A folder of our own for temporary files: the pasted picture's PNG
   * must be gone from it afterwards
   */
  tmp_dir = g_dir_make_tmp ("test-window-files-tmp-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  g_setenv ("TMPDIR", tmp_dir, TRUE);

  g_test_init (&argc, &argv, NULL);

  app = ui_test_application_new ();

  g_test_add ("/window/files/paste-picture", Fixture, NULL, setup, test_paste_picture, teardown);
  g_test_add ("/window/files/guest-picture-and-file", Fixture, NULL, setup, test_guest_picture_and_file, teardown);
  g_test_add ("/window/files/not-pictures", Fixture, NULL, setup, test_not_pictures, teardown);
  g_test_add ("/window/files/cancel-upload", Fixture, NULL, setup, test_cancel_upload, teardown);
  g_test_add ("/window/files/drop", Fixture, NULL, setup, test_drop, teardown);
  g_test_add ("/window/files/paste-files-and-text", Fixture, NULL, setup, test_paste_files_and_text, teardown);
  g_test_add ("/window/files/error-words", Fixture, NULL, setup, test_error_words, teardown);

  ret = g_test_run ();

  g_clear_object (&app);
  tertulia_test_remove_tree (tmp_dir);
  g_free (tmp_dir);

  return ret;
}

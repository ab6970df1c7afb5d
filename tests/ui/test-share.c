/* test-share.c — inviting people: the Share popover's links and QR codes
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "tertulia-address.h"
#include "tertulia-fingerprint.h"
#include "tertulia-fingerprint-dialog.h"
#include "tertulia-host-identity.h"
#include "tertulia-security-indicator.h"
#include "tertulia-qr-paintable.h"
#include "tertulia-share-popover.h"
#include "ui-test-utils.h"

static TertuliaApplication *app;

typedef struct
{
  TertuliaWindow       *window;
  TertuliaSharePopover *popover;
  guint                 port;
  const char           *fp;     /* the room's key, which every link carries */
} Fixture;

/* A window hosting a room, its Share popover at hand. */
static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  TertuliaStartPage *start;
  GtkWidget *share_button;

  fixture->window = ui_test_window_new (app);
  start = _tertulia_window_get_start_page (fixture->window);

  fixture->port = tertulia_find_free_port (20000, 40000);
  g_assert_cmpuint (fixture->port, !=, 0);
  gtk_spin_button_set_value (_tertulia_start_page_get_port_spin (start), fixture->port);
  gtk_editable_set_text (_tertulia_start_page_get_room_name_row (start), "Sala");
  tertulia_start_page_host (start);
  WAIT_UNTIL (g_strcmp0 (_tertulia_window_get_page_name (fixture->window), "chat") == 0);

  share_button = _tertulia_chat_page_get_share_button (_tertulia_window_get_chat_page (fixture->window));
  g_assert_true (gtk_widget_get_visible (share_button));
  fixture->popover = TERTULIA_SHARE_POPOVER (gtk_menu_button_get_popover (GTK_MENU_BUTTON (share_button)));
  g_assert_cmpuint (tertulia_share_popover_get_port (fixture->popover), ==, fixture->port);
  fixture->fp = tertulia_session_get_fingerprint (tertulia_window_get_session (fixture->window));
  g_assert_true (tertulia_fingerprint_is_valid (fixture->fp));
  g_assert_cmpstr (tertulia_share_popover_get_fingerprint (fixture->popover), ==, fixture->fp);
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  gtk_popover_popdown (GTK_POPOVER (fixture->popover));
  tertulia_window_leave (fixture->window);
  ui_test_destroy_window (fixture->window);
}

static void
popup (Fixture *fixture)
{
  gtk_popover_popup (GTK_POPOVER (fixture->popover));
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (fixture->popover)));
}

static const char *
link_text (Fixture *fixture)
{
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (_tertulia_share_popover_get_link_row (fixture->popover)));
}

/* The text the QR code on show holds, or NULL when none is shown. */
static const char *
qr_text (Fixture *fixture)
{
  GtkPicture *picture = _tertulia_share_popover_get_qr_picture (fixture->popover);
  GdkPaintable *paintable = gtk_picture_get_paintable (picture);

  if (!gtk_widget_get_mapped (GTK_WIDGET (picture)) || !TERTULIA_IS_QR_PAINTABLE (paintable))
    return NULL;

  return tertulia_qr_paintable_get_text (TERTULIA_QR_PAINTABLE (paintable));
}

static GPtrArray *
app_addresses (Fixture *fixture)
{
  GtkListBox *list = _tertulia_share_popover_get_app_list (fixture->popover);
  GPtrArray *addresses = g_ptr_array_new ();

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (ADW_IS_ACTION_ROW (child))
      g_ptr_array_add (addresses, (gpointer) adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)));

  return addresses;
}

static char *
dup_clipboard_text (GtkWidget *widget)
{
  GdkContentProvider *content = gdk_clipboard_get_content (gtk_widget_get_clipboard (widget));
  g_auto(GValue) value = G_VALUE_INIT;

  if (content == NULL)
    return NULL;

  g_value_init (&value, G_TYPE_STRING);
  if (!gdk_content_provider_get_value (content, &value, NULL))
    return NULL;

  return g_value_dup_string (&value);
}

/* Every address: its web link, a copy button, its QR code. */
static void
test_popover (Fixture       *fixture,
              gconstpointer  data)
{
  const char *hosts[] = { "192.168.1.20", "fd00::20", NULL };
  const char *one_host[] = { "192.168.1.20", NULL };
  const char *no_hosts[] = { NULL };
  AdwComboRow *address_row = _tertulia_share_popover_get_address_row (fixture->popover);
  GtkButton *copy = _tertulia_share_popover_get_copy_link_button (fixture->popover);
  GtkPicture *picture = _tertulia_share_popover_get_qr_picture (fixture->popover);
  g_autofree char *url4 = g_strdup_printf ("http://192.168.1.20:%u/#fp=%s", fixture->port, fixture->fp);
  g_autofree char *url6 = g_strdup_printf ("http://[fd00::20]:%u/#fp=%s", fixture->port, fixture->fp);
  g_autofree char *app4 = g_strdup_printf ("192.168.1.20:%u", fixture->port);
  g_autofree char *app6 = g_strdup_printf ("[fd00::20]:%u", fixture->port);
  g_autofree char *loopback = g_strdup_printf ("http://127.0.0.1:%u/#fp=%s", fixture->port, fixture->fp);
  g_autofree char *copied = NULL;
  g_autoptr(GPtrArray) addresses = NULL;
  g_auto(GStrv) urls = NULL;

  /* Two addresses: one code at a time, chosen by address. */
  _tertulia_share_popover_set_hosts (fixture->popover, hosts);
  popup (fixture);

  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (address_row)));
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (address_row)), ==, 2);
  g_assert_cmpuint (adw_combo_row_get_selected (address_row), ==, 0);
  g_assert_cmpstr (link_text (fixture), ==, url4);
  WAIT_UNTIL (qr_text (fixture) != NULL);
  g_assert_cmpstr (qr_text (fixture), ==, url4);
  g_assert_nonnull (strstr (gtk_picture_get_alternative_text (picture), url4));
  /* Drawn at a size a phone reads. */
  WAIT_UNTIL (gtk_widget_get_width (GTK_WIDGET (picture)) >= 180);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (picture)), ==, gtk_widget_get_width (GTK_WIDGET (picture)));

  adw_combo_row_set_selected (address_row, 1);
  g_assert_cmpstr (link_text (fixture), ==, url6);
  g_assert_cmpstr (qr_text (fixture), ==, url6);

  /* The copy button copies the link on show, and says what it does. */
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (copy)), ==, "Copy Link");
  g_signal_emit_by_name (copy, "clicked");
  copied = dup_clipboard_text (GTK_WIDGET (copy));
  g_assert_cmpstr (copied, ==, url6);

  /* For Tertulia: every address, typed as people type them. */
  addresses = app_addresses (fixture);
  g_assert_cmpuint (addresses->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (addresses, 0), ==, app4);
  g_assert_cmpstr (g_ptr_array_index (addresses, 1), ==, app6);
  g_clear_pointer (&addresses, g_ptr_array_unref);

  /* One address: nothing to choose. */
  _tertulia_share_popover_set_hosts (fixture->popover, one_host);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (address_row)));
  g_assert_cmpstr (link_text (fixture), ==, url4);
  WAIT_UNTIL (qr_text (fixture) != NULL);
  g_assert_cmpstr (qr_text (fixture), ==, url4);

  /* No network: only this computer can join, and a phone could not use
   * a code of its loopback address.
   */
  _tertulia_share_popover_set_hosts (fixture->popover, no_hosts);
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (picture)));
  g_assert_cmpstr (link_text (fixture), ==, loopback);

  /* This machine's own addresses, as tertulia-server prints them. */
  _tertulia_share_popover_set_hosts (fixture->popover, NULL);
  urls = tertulia_address_list_urls (fixture->port);
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (address_row)), ==, g_strv_length (urls));
  for (guint i = 0; urls[i] != NULL; i++)
    {
      g_autofree char *invitation = g_strdup_printf ("%s#fp=%s", urls[i], fixture->fp);

      adw_combo_row_set_selected (address_row, i);
      g_assert_cmpstr (link_text (fixture), ==, invitation);
      WAIT_UNTIL (qr_text (fixture) != NULL);
      g_assert_cmpstr (qr_text (fixture), ==, invitation);
    }
}

static gboolean
is_security_indicator (GtkWidget     *widget,
                       gconstpointer  data)
{
  return TERTULIA_IS_SECURITY_INDICATOR (widget);
}

static gboolean
is_button (GtkWidget     *widget,
           gconstpointer  data)
{
  return GTK_IS_BUTTON (widget);
}

/* The room's key: the links carry it, the popover shows it to compare,
 * and says plainly what a browser's connection is.
 */
static void
test_encryption (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *hosts[] = { "192.168.1.20", NULL };
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *identity_dir = tertulia_host_identity_dup_default_directory ();
  g_autoptr(GTlsCertificate) kept = NULL;
  g_autofree char *kept_fp = NULL;
  g_autofree char *display = tertulia_fingerprint_dup_display (fixture->fp, 4);
  g_autofree char *http_link = g_strdup_printf ("http://192.168.1.20:%u/#fp=%s", fixture->port, fixture->fp);
  g_autofree char *https_link = g_strdup_printf ("https://192.168.1.20:%u/#fp=%s", fixture->port, fixture->fp);
  g_autofree char *copied = NULL;
  GtkLabel *fingerprint = _tertulia_share_popover_get_fingerprint_label (fixture->popover);
  GtkLabel *web_note = _tertulia_share_popover_get_web_security_label (fixture->popover);
  GtkWidget *https_row = _tertulia_share_popover_get_https_row (fixture->popover);
  GtkWidget *app_row;
  GtkWidget *copy_address;
  GtkWidget *indicator;

  g_assert_false (g_settings_get_boolean (settings, "https-for-browsers"));

  /* The app's own key, kept in its data directory for the next room. */
  kept = tertulia_host_identity_load_or_create (identity_dir, NULL);
  g_assert_nonnull (kept);
  kept_fp = tertulia_fingerprint_from_certificate (kept);
  g_assert_cmpstr (kept_fp, ==, fixture->fp);

  _tertulia_share_popover_set_hosts (fixture->popover, hosts);
  popup (fixture);

  /* 8 groups of 5 digits, in a fixed-width font, selectable. */
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (fingerprint)));
  g_assert_cmpstr (gtk_label_get_text (fingerprint), ==, display);
  g_assert_true (g_regex_match_simple ("^\\d{5} \\d{5} \\d{5} \\d{5}\n\\d{5} \\d{5} \\d{5} \\d{5}$",
                                       gtk_label_get_text (fingerprint), 0, 0));
  g_assert_true (gtk_label_get_selectable (fingerprint));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (fingerprint), "monospace"));
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (fixture->popover), "Encryption"));

  /* The web link and its QR code carry the key; browsers are told plainly. */
  g_assert_cmpstr (link_text (fixture), ==, http_link);
  WAIT_UNTIL (qr_text (fixture) != NULL);
  g_assert_cmpstr (qr_text (fixture), ==, http_link);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (web_note)));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (web_note), "Browsers connect without encryption"));

  /* The address for Tertulia copies as the invitation, key and all. */
  app_row = gtk_widget_get_first_child (GTK_WIDGET (_tertulia_share_popover_get_app_list (fixture->popover)));
  copy_address = ui_test_find_widget (app_row, is_button, NULL);
  g_assert_nonnull (copy_address);
  g_signal_emit_by_name (copy_address, "clicked");
  copied = dup_clipboard_text (copy_address);
  g_assert_cmpstr (copied, ==, http_link);
  g_clear_pointer (&copied, g_free);

  /* HTTPS for browsers: the link and the code are https://, and the note
   * says what phones will show; the choice is kept.
   */
  g_assert_true (gtk_widget_get_mapped (https_row));
  gtk_widget_activate (https_row);
  /* The switch moves, then turns on. */
  WAIT_UNTIL (tertulia_share_popover_get_https (fixture->popover));
  g_assert_true (g_settings_get_boolean (settings, "https-for-browsers"));
  g_assert_cmpstr (link_text (fixture), ==, https_link);
  WAIT_UNTIL (g_strcmp0 (qr_text (fixture), https_link) == 0);
  g_assert_nonnull (strstr (gtk_label_get_text (web_note), "certificate"));
  g_assert_null (strstr (gtk_label_get_text (web_note), "without encryption"));
  g_signal_emit_by_name (_tertulia_share_popover_get_copy_link_button (fixture->popover), "clicked");
  copied = dup_clipboard_text (GTK_WIDGET (_tertulia_share_popover_get_copy_link_button (fixture->popover)));
  g_assert_cmpstr (copied, ==, https_link);

  g_settings_set_boolean (settings, "https-for-browsers", FALSE);
  g_assert_cmpstr (link_text (fixture), ==, http_link);

  /* The host's own connection is loopback, and encrypted with the same
   * key; its header keeps its room for the name (this popover tells what
   * guests get), so no lock there.
   */
  g_assert_true (tertulia_client_get_encrypted (tertulia_session_get_client (tertulia_window_get_session (fixture->window))));
  g_assert_cmpstr (tertulia_client_get_peer_fingerprint (tertulia_session_get_client (tertulia_window_get_session (fixture->window))),
                   ==, fixture->fp);
  indicator = ui_test_find_widget (GTK_WIDGET (_tertulia_window_get_chat_page (fixture->window)),
                                   is_security_indicator, NULL);
  g_assert_nonnull (indicator);
  g_assert_false (gtk_widget_get_visible (indicator));
}

/* The texture of @paintable drawn at @size × @size. */
static GdkTexture *
render_paintable (GdkPaintable *paintable,
                  int           size)
{
  g_autoptr(GskRenderer) renderer = gsk_cairo_renderer_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GError) error = NULL;
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GdkTexture *texture;

  gdk_paintable_snapshot (paintable, snapshot, size, size);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  g_assert_true (gsk_renderer_realize (renderer, NULL, &error));
  g_assert_no_error (error);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, size, size));
  gsk_renderer_unrealize (renderer);

  return texture;
}

/* No grey anywhere: every pixel is clear, black or white. Returns how
 * many are black.
 */
static guint
assert_crisp (GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  g_autofree guchar *pixels = g_malloc ((gsize) width * height * 4);
  guint n_black = 0;

  /* Premultiplied ARGB in native order: B, G, R, A on this machine. */
  gdk_texture_download (texture, pixels, (gsize) width * 4);

  for (int i = 0; i < width * height; i++)
    {
      const guchar *p = pixels + i * 4;

      if (p[3] == 0)
        continue;

      g_assert_cmpuint (p[3], ==, 255);
      g_assert_true ((p[0] == 0 && p[1] == 0 && p[2] == 0) ||
                     (p[0] == 255 && p[1] == 255 && p[2] == 255));
      if (p[0] == 0)
        n_black++;
    }

  return n_black;
}

static gboolean
have_zbarimg (void)
{
  g_autofree char *path = g_find_program_in_path ("zbarimg");

  return path != NULL;
}

static char *
zbarimg_decode (const char *png)
{
  g_autofree char *zbarimg = g_find_program_in_path ("zbarimg");
  const char *argv[] = { zbarimg, "--raw", "-q", "--nodbus", png, NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                &out, NULL, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    return NULL;

  /* zbarimg ends each symbol with a newline. */
  return g_strchomp (g_steal_pointer (&out));
}

static void
send_and_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* A phone camera could join: the code shown decodes to exactly the link
 * the host serves its page at, at its natural size and at others.
 */
static void
test_qr_decodes (Fixture       *fixture,
                 gconstpointer  data)
{
  /* As on a machine whose network address is loopback, so that the test
   * can fetch the link it decodes.
   */
  const char *hosts[] = { "127.0.0.1", NULL };
  const int sizes[] = { 0, 200, 333, 1024 };
  g_autofree char *dir = NULL;
  g_autoptr(GError) error = NULL;
  GdkPaintable *paintable;
  const char *url;
  int natural;

  _tertulia_share_popover_set_hosts (fixture->popover, hosts);
  popup (fixture);

  url = link_text (fixture);
  paintable = gtk_picture_get_paintable (_tertulia_share_popover_get_qr_picture (fixture->popover));
  g_assert_true (TERTULIA_IS_QR_PAINTABLE (paintable));

  /* A fixed size, whole pixels a module. */
  natural = gdk_paintable_get_intrinsic_width (paintable);
  g_assert_cmpint (natural, ==, gdk_paintable_get_intrinsic_height (paintable));
  g_assert_cmpint (natural, >=, 150);
  g_assert_cmpint (natural, <=, TERTULIA_QR_PAINTABLE_NATURAL_SIZE);
  g_assert_cmpint (natural % (int) (tertulia_qr_get_size (tertulia_qr_paintable_get_qr (TERTULIA_QR_PAINTABLE (paintable))) +
                                    2 * TERTULIA_QR_QUIET_ZONE), ==, 0);
  g_assert_cmpint (gdk_paintable_get_flags (paintable), ==,
                   GDK_PAINTABLE_STATIC_SIZE | GDK_PAINTABLE_STATIC_CONTENTS);

  dir = g_dir_make_tmp ("tertulia-test-share-XXXXXX", &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      int size = sizes[i] != 0 ? sizes[i] : natural;
      g_autoptr(GdkTexture) texture = render_paintable (paintable, size);
      g_autofree char *name = g_strdup_printf ("qr-%d.png", size);
      g_autofree char *png = g_build_filename (dir, name, NULL);
      g_autofree char *decoded = NULL;

      g_test_message ("QR code drawn at %d px", size);
      g_assert_cmpuint (assert_crisp (texture), >, 0);
      g_assert_true (gdk_texture_save_to_png (texture, png));

      if (have_zbarimg ())
        {
          decoded = zbarimg_decode (png);
          g_assert_cmpstr (decoded, ==, url);
        }

      g_unlink (png);
    }

  g_rmdir (dir);

  /* And the link is the room's page. */
  {
    g_autoptr(SoupSession) session = soup_session_new ();
    g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
    g_autoptr(GBytes) body = NULL;
    g_autofree char *text = NULL;
    GAsyncResult *result = NULL;

    /* The room's server runs in this main context: ask asynchronously. */
    soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL,
                                      send_and_read_cb, &result);
    WAIT_UNTIL (result != NULL);
    body = soup_session_send_and_read_finish (session, result, &error);
    g_clear_object (&result);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (message), ==, SOUP_STATUS_OK);
    g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (soup_message_get_response_headers (message), NULL),
                                     "text/html"));
    text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
    g_assert_nonnull (strstr (text, "<html"));
  }

  if (!have_zbarimg ())
    g_test_skip ("zbarimg (Debian zbar-tools) is not installed: the codes were drawn but not decoded");
}

/* A QR paintable lives as long as what shows it, no longer. */
static void
test_paintable_lifetime (void)
{
  g_autoptr(TertuliaQr) qr = tertulia_qr_new ("http://192.168.1.20:7878/", NULL);
  GdkPaintable *paintable = tertulia_qr_paintable_new (qr);
  GtkWidget *picture = g_object_ref_sink (gtk_picture_new_for_paintable (paintable));

  g_assert_true (tertulia_qr_paintable_get_qr (TERTULIA_QR_PAINTABLE (paintable)) == qr);
  g_assert_cmpstr (tertulia_qr_paintable_get_text (TERTULIA_QR_PAINTABLE (paintable)), ==,
                   "http://192.168.1.20:7878/");
  g_object_add_weak_pointer (G_OBJECT (paintable), (gpointer *) &paintable);
  g_object_unref (paintable);
  g_assert_nonnull (paintable);
  g_assert_finalize_object (picture);
  g_assert_null (paintable);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  app = ui_test_application_new ();

  g_test_add_func ("/share/paintable-lifetime", test_paintable_lifetime);
  g_test_add ("/share/popover", Fixture, NULL, setup, test_popover, teardown);
  g_test_add ("/share/qr-decodes", Fixture, NULL, setup, test_qr_decodes, teardown);
  g_test_add ("/share/encryption", Fixture, NULL, setup, test_encryption, teardown);

  ret = g_test_run ();

  g_clear_object (&app);

  return ret;
}

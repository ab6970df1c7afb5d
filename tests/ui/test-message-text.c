/* test-message-text.c — a message's words: drawn cheaply, selectable on demand
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "tertulia-test-utils.h"
#include "ui-test-utils.h"
#include "tertulia-links.h"
#include "tertulia-message-text.h"

#define WIDTH 240

static const char *texts[] = {
  "gg",
  "the bracket is on the wiki, and the final starts at 22:00 sharp; bring your own headphones please",
  "see https://example.com/bracket?round=2&table=7, or www.gnome.org for the rules",
  "<b>not bold</b> & a_very_long_word_without_any_space_that_has_to_break_somewhere_in_the_middle",
  "línea\nsegunda línea ✓ 😀",
  "مرحبا بالجميع",
  "shalom: שלום",
  "two lines, the second right to left:\nשלום",
};

typedef struct
{
  GtkWindow           *window;
  TertuliaMessageText *text;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, WIDTH, 400);
  gtk_window_set_decorated (fixture->window, FALSE);

  fixture->text = TERTULIA_MESSAGE_TEXT (tertulia_message_text_new ());
  gtk_widget_add_css_class (GTK_WIDGET (fixture->text), "message-text");
  gtk_widget_set_valign (GTK_WIDGET (fixture->text), GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (fixture->text));
  gtk_window_set_child (fixture->window, box);
  gtk_window_present (fixture->window);

  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (fixture->text)) &&
              gtk_widget_get_width (GTK_WIDGET (fixture->text)) > 0);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
}

static void
count_frame_cb (GdkFrameClock *clock,
                guint         *frames)
{
  (*frames)++;
}

/* Waits until the window has laid out and drawn what the text shows now. */
static void
settle (Fixture *fixture)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (fixture->window));
  guint frames = 0;
  gulong handler;

  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (count_frame_cb), &frames);
  for (guint wanted = 1; wanted <= 2; wanted++)
    {
      gtk_widget_queue_draw (GTK_WIDGET (fixture->window));
      WAIT_UNTIL (frames >= wanted);
    }
  g_signal_handler_disconnect (clock, handler);
}

/* The text as the window's renderer draws it. */
static GBytes *
render (Fixture *fixture,
        int     *height)
{
  GtkWidget *widget = GTK_WIDGET (fixture->text);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (fixture->window));
  int width = gtk_widget_get_width (widget);
  guchar *pixels;
  gsize stride;

  *height = gtk_widget_get_height (widget);
  g_assert_cmpint (*height, >, 0);

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, *height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, *height));

  stride = (gsize) width * 4;
  pixels = g_malloc (stride * *height);
  gdk_texture_download (texture, pixels, stride);

  return g_bytes_new_take (pixels, stride * *height);
}

static gboolean
has_ink (GBytes *pixels)
{
  gsize size;
  const guchar *data = g_bytes_get_data (pixels, &size);

  for (gsize i = 3; i < size; i += 4)
    if (data[i] != 0)
      return TRUE;

  return FALSE;
}

/* The leftmost column with ink, or -1. */
static int
ink_left (GBytes *pixels,
          int     width,
          int     height)
{
  const guchar *data = g_bytes_get_data (pixels, NULL);
  int left = -1;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      if (data[(y * width + x) * 4 + 3] != 0 && (left < 0 || x < left))
        left = x;

  return left;
}

/* A right-to-left message starts at the right edge, as its readers read
 * it, drawn by the row or by the label alike.
 */
static void
test_right_to_left (Fixture       *fixture,
                    gconstpointer  data)
{
  const char *messages[] = { "مرحبا بالجميع", "שלום לכולם" };

  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    {
      g_autoptr(GBytes) drawn = NULL;
      g_autoptr(GBytes) labelled = NULL;
      int height;
      int width;

      tertulia_message_text_set_text (fixture->text, messages[i]);
      settle (fixture);
      width = gtk_widget_get_width (GTK_WIDGET (fixture->text));
      drawn = render (fixture, &height);
      g_assert_cmpint (ink_left (drawn, width, height), >, width / 2);

      _tertulia_message_text_get_label (fixture->text);
      settle (fixture);
      labelled = render (fixture, &height);
      g_assert_cmpint (ink_left (labelled, width, height), >, width / 2);
    }
}

/* Bidi controls cannot turn a link's text around: the link stops at them
 * and is shown isolated, left to right.
 */
static void
test_bidi_link (Fixture       *fixture,
                gconstpointer  data)
{
  /* U+202E RIGHT-TO-LEFT OVERRIDE before the link and inside it. */
  const char *text = "\xe2\x80\xaehttps://example.com/\xe2\x80\xae" "eman.gnp";
  const char *shown;

  tertulia_message_text_set_text (fixture->text, text);
  g_assert_cmpstr (tertulia_message_text_get_text (fixture->text), ==, text);
  shown = gtk_label_get_text (_tertulia_message_text_get_label (fixture->text));
  g_assert_nonnull (strstr (shown, "\xe2\x81\xa6https://example.com/\xe2\x81\xa9"));
}

static GtkEventController *
get_motion_controller (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_MOTION (controller))
        return controller;
    }

  return NULL;
}

/* Nothing moves, nothing changes color, when the pointer comes to the
 * text and the real label takes over.
 */
static void
test_label_looks_the_same (Fixture       *fixture,
                           gconstpointer  data)
{
  GtkEventController *motion = get_motion_controller (GTK_WIDGET (fixture->text));

  /* The X server's pointer may rest over the window: here the label comes
   * when the test says so.
   */
  g_assert_nonnull (motion);
  gtk_widget_remove_controller (GTK_WIDGET (fixture->text), motion);

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    for (int centered = 0; centered <= 1; centered++)
      {
        g_autoptr(GBytes) drawn = NULL;
        g_autoptr(GBytes) labelled = NULL;
        int drawn_height, labelled_height;
        GtkLabel *label;

        /* Another message: drawn by the widget again. */
        tertulia_message_text_set_text (fixture->text, "");
        tertulia_message_text_set_text (fixture->text, texts[i]);
        tertulia_message_text_set_centered (fixture->text, centered);
        settle (fixture);
        g_assert_false (_tertulia_message_text_has_label (fixture->text));
        drawn = render (fixture, &drawn_height);
        g_assert_true (has_ink (drawn));

        label = _tertulia_message_text_get_label (fixture->text);
        settle (fixture);
        g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (label)));
        g_assert_true (gtk_label_get_selectable (label));
        labelled = render (fixture, &labelled_height);

        g_test_message ("\"%s\" centered=%d: %d px high", texts[i], centered, drawn_height);
        g_assert_cmpint (drawn_height, ==, labelled_height);
        g_assert_true (g_bytes_equal (drawn, labelled));
      }
}

/* The label appears where the pointer is, and is gone with the next
 * message: a scrolled list does not pile up labels.
 */
static void
test_pointer_brings_the_label (Fixture       *fixture,
                               gconstpointer  data)
{
  GtkEventController *motion = get_motion_controller (GTK_WIDGET (fixture->text));

  g_assert_nonnull (motion);
  tertulia_message_text_set_text (fixture->text, texts[2]);
  g_assert_false (_tertulia_message_text_has_label (fixture->text));

  g_signal_emit_by_name (motion, "enter", 10.0, 5.0);
  g_assert_true (_tertulia_message_text_has_label (fixture->text));
  {
    /* The same words; links are set apart by invisible isolates. */
    g_autofree char *shown = ui_test_dup_without_isolates (gtk_label_get_text (_tertulia_message_text_get_label (fixture->text)));

    g_assert_cmpstr (shown, ==, texts[2]);
  }
  settle (fixture);

  tertulia_message_text_set_text (fixture->text, texts[1]);
  g_assert_false (_tertulia_message_text_has_label (fixture->text));
  g_assert_cmpstr (tertulia_message_text_get_text (fixture->text), ==, texts[1]);

  /* Moving over a text that was just rebound under a resting pointer. */
  g_signal_emit_by_name (motion, "motion", 12.0, 6.0);
  g_assert_true (_tertulia_message_text_has_label (fixture->text));
  g_assert_cmpstr (gtk_label_get_text (_tertulia_message_text_get_label (fixture->text)), ==, texts[1]);
}

static GtkGesture *
get_click_gesture (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_CLICK (controller))
        return GTK_GESTURE (controller);
    }

  return NULL;
}

static gboolean
activate_link_cb (TertuliaMessageText  *text,
                  const char           *uri,
                  GPtrArray            *opened)
{
  g_ptr_array_add (opened, g_strdup (uri));
  return TRUE;
}

static void
tap (GtkGesture *click,
     double      x,
     double      y)
{
  g_signal_emit_by_name (click, "pressed", 1, x, y);
  g_signal_emit_by_name (click, "released", 1, x, y);
}

/* On a touchscreen the first tap lands on the drawn text, before the label
 * comes: a link there opens all the same, once.
 */
static void
test_tap_opens_link (Fixture       *fixture,
                     gconstpointer  data)
{
  GtkGesture *click = get_click_gesture (GTK_WIDGET (fixture->text));
  g_autoptr(GPtrArray) opened = g_ptr_array_new_with_free_func (g_free);
  GtkEventController *motion = get_motion_controller (GTK_WIDGET (fixture->text));

  g_assert_nonnull (click);
  g_assert_nonnull (motion);
  /* The label comes only when the test says so. */
  gtk_widget_remove_controller (GTK_WIDGET (fixture->text), motion);
  g_signal_connect (fixture->text, "activate-link", G_CALLBACK (activate_link_cb), opened);

  tertulia_message_text_set_text (fixture->text, "https://example.com/bracket is where it is");
  settle (fixture);
  tap (click, 4, 4);
  g_assert_cmpuint (opened->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (opened, 0), ==, "https://example.com/bracket");

  /* Past the end of the text: nothing. */
  tap (click, gtk_widget_get_width (GTK_WIDGET (fixture->text)) - 2, 4);
  g_assert_cmpuint (opened->len, ==, 1);

  tertulia_message_text_set_text (fixture->text, "www.gnome.org has the rules");
  settle (fixture);
  tap (click, 4, 4);
  g_assert_cmpuint (opened->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (opened, 1), ==, "http://www.gnome.org");

  /* Text that is not a link opens nothing. */
  tertulia_message_text_set_text (fixture->text, "no link here, just words");
  settle (fixture);
  tap (click, 4, 4);
  g_assert_cmpuint (opened->len, ==, 2);

  /* Once the label is there, links are the label's. */
  tertulia_message_text_set_text (fixture->text, "https://example.com/bracket is where it is");
  _tertulia_message_text_get_label (fixture->text);
  settle (fixture);
  tap (click, 4, 4);
  g_assert_cmpuint (opened->len, ==, 2);
}

/* The keyboard stops at the message's row (the log's list item, whose
 * name says who, when and what), not in the text: Tab does not go in, and
 * no label is made for it. A label the pointer clicked into keeps focus.
 */
static void
test_keyboard_focus (Fixture       *fixture,
                     gconstpointer  data)
{
  GtkWidget *focus;

  tertulia_message_text_set_text (fixture->text, texts[1]);
  settle (fixture);
  g_assert_false (_tertulia_message_text_has_label (fixture->text));

  g_assert_false (gtk_widget_child_focus (GTK_WIDGET (fixture->text), GTK_DIR_TAB_FORWARD));
  g_assert_false (_tertulia_message_text_has_label (fixture->text));

  /* As a click into the label does. */
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (_tertulia_message_text_get_label (fixture->text))));
  focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
  g_assert_true (GTK_IS_LABEL (focus));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (focus)), ==, texts[1]);

  /* A new message takes the label away; the focus does not dangle. */
  tertulia_message_text_set_text (fixture->text, texts[0]);
  focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
  g_assert_true (focus == NULL || gtk_widget_get_root (focus) == GTK_ROOT (fixture->window));
  g_assert_false (GTK_IS_LABEL (focus) && gtk_widget_get_parent (focus) == NULL);
}

/* Screen readers hear the text whichever way it is drawn. */
static void
test_accessible_text (Fixture       *fixture,
                      gconstpointer  data)
{
  tertulia_message_text_set_text (fixture->text, texts[3]);
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (fixture->text)), ==,
                   GTK_ACCESSIBLE_ROLE_LABEL);
  gtk_test_accessible_assert_property (fixture->text, GTK_ACCESSIBLE_PROPERTY_LABEL, texts[3]);
}

static void
test_linkify (void)
{
  struct { const char *text; const char *markup; } cases[] = {
    { "no links here", NULL },
    { "www.", NULL },
    { "javascript:alert(1)", NULL },
    { "ftp://example.com", NULL },
    { "https://a.example/x.", "<a href=\"https://a.example/x\">https://a.example/x</a>." },
    { "(see http://a.example)", "(see <a href=\"http://a.example\">http://a.example</a>)" },
    { "http://a.example/wiki/X_(y)", "<a href=\"http://a.example/wiki/X_(y)\">http://a.example/wiki/X_(y)</a>" },
    { "HTTP://A.EXAMPLE&<", "<a href=\"HTTP://A.EXAMPLE&amp;\">HTTP://A.EXAMPLE&amp;</a>&lt;" },
    { "a\"<www.b.example>", "a&quot;&lt;<a href=\"http://www.b.example\">www.b.example</a>&gt;" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *markup = _tertulia_links_linkify (cases[i].text);

      g_assert_cmpstr (markup, ==, cases[i].markup);

      /* Whatever comes out is markup that shows exactly the text. */
      if (markup != NULL)
        {
          GtkWidget *label = g_object_ref_sink (gtk_label_new (NULL));

          gtk_label_set_markup (GTK_LABEL (label), markup);
          g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, cases[i].text);
          g_assert_finalize_object (label);
        }
    }
}

static void
test_finalize (void)
{
  GtkWidget *text = g_object_ref_sink (tertulia_message_text_new ());

  tertulia_message_text_set_text (TERTULIA_MESSAGE_TEXT (text), texts[2]);
  _tertulia_message_text_get_label (TERTULIA_MESSAGE_TEXT (text));
  g_assert_finalize_object (text);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkCssProvider) provider = NULL;

  /* GTK's in-process accessibility backend, to read what a screen reader
   * would be told.
   */
  g_setenv ("GTK_A11Y", "test", TRUE);

  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  /* The app's own styles for .message-text, as in the chat log. */
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/io/github/tertulia/Tertulia/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  g_test_add ("/message-text/label-looks-the-same", Fixture, NULL,
              fixture_setup, test_label_looks_the_same, fixture_teardown);
  g_test_add ("/message-text/pointer-brings-the-label", Fixture, NULL,
              fixture_setup, test_pointer_brings_the_label, fixture_teardown);
  g_test_add ("/message-text/tap-opens-link", Fixture, NULL,
              fixture_setup, test_tap_opens_link, fixture_teardown);
  g_test_add ("/message-text/keyboard-focus", Fixture, NULL,
              fixture_setup, test_keyboard_focus, fixture_teardown);
  g_test_add ("/message-text/accessible-text", Fixture, NULL,
              fixture_setup, test_accessible_text, fixture_teardown);
  g_test_add ("/message-text/right-to-left", Fixture, NULL,
              fixture_setup, test_right_to_left, fixture_teardown);
  g_test_add ("/message-text/bidi-link", Fixture, NULL,
              fixture_setup, test_bidi_link, fixture_teardown);
  g_test_add_func ("/message-text/linkify", test_linkify);
  g_test_add_func ("/message-text/finalize", test_finalize);

  return g_test_run ();
}

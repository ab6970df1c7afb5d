/* tertulia-message-text.c — a message's words in the chat log
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Why not just a GtkLabel: GtkListView (GTK 4.8) keeps about 200 rows bound
 * and rebinds all of them when the log jumps, as it does on every frame of
 * a scrollbar drag. A rebound wrapping GtkLabel lays its text out four
 * times: at its old width, at its minimum width (one line break after
 * another), at the new width on a copy, and again at that width for
 * drawing. That was most of a 16 ms frame.
 *
 * This widget lays the text out once per width with one PangoLayout (see
 * layout_at_width()), answers the width-less questions from the font's
 * metrics, and draws it where GtkLabel would. Selecting, copying, clicking links and
 * keyboard focus are GtkLabel's job, so the moment the pointer or the
 * keyboard comes to the text, a real selectable GtkLabel takes its place,
 * with the same size and look, until the row shows another message.
 */

#define G_LOG_DOMAIN "tertulia-message-text"

#include "config.h"

#include <string.h>

#include "tertulia-links.h"
#include "tertulia-message-text.h"

struct _TertuliaMessageText
{
  GtkWidget      parent_instance;

  char          *text;
  /* The text as drawn when it has links: each isolated left to right, so
   * that bidi controls around it cannot make it read as another address.
   * NULL when it is the text as it came.
   */
  char          *shown;
  GArray        *links;              /* TertuliaLink in shown; NULL when the text has none */
  gboolean       centered;
  /* The text's own direction from its first strong letter: Arabic or
   * Hebrew starts at the right whatever the desktop's language.
   */
  PangoDirection text_dir;

  /* Drawing it ourselves */
  PangoLayout   *layout;
  int            layout_width;       /* Pango units it was laid out for; -1: none yet */
  guint          layout_serial;      /* of the PangoContext it was laid out with */
  GdkRGBA        link_color;
  guint          n_paragraphs;

  /* The font's measures, in Pango units, for the PangoContext serial */
  guint          metrics_serial;
  int            min_width;
  int            ascent;
  int            descent;

  /* The label it turns into */
  GtkWidget     *label;

  /* The link pressed while there was no label yet: a tap on a touchscreen
   * lands here before the label comes. -1 for none.
   */
  int            pressed_link;
};

enum {
  PROP_0,
  PROP_TEXT,
  PROP_CENTERED,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

enum {
  ACTIVATE_LINK,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

G_DEFINE_FINAL_TYPE (TertuliaMessageText, tertulia_message_text, GTK_TYPE_WIDGET)

/* GtkLabel gives links the color of its "link" CSS node, which Adwaita
 * styles as @accent_color, underlined.
 */
static gboolean
update_link_color (TertuliaMessageText *self)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));
  GdkRGBA color = { 0.11f, 0.44f, 0.85f, 1.0f };

  gtk_style_context_lookup_color (context, "accent_color", &color);
  if (gdk_rgba_equal (&color, &self->link_color))
    return FALSE;

  self->link_color = color;
  return TRUE;
}

static PangoAttrList *
create_link_attributes (TertuliaMessageText *self)
{
  PangoAttrList *attrs;

  if (self->links == NULL)
    return NULL;

  attrs = pango_attr_list_new ();
  for (guint i = 0; i < self->links->len; i++)
    {
      const TertuliaLink *link = &g_array_index (self->links, TertuliaLink, i);
      PangoAttribute *attr;

      attr = pango_attr_foreground_new (self->link_color.red * 65535,
                                        self->link_color.green * 65535,
                                        self->link_color.blue * 65535);
      attr->start_index = link->start;
      attr->end_index = link->end;
      pango_attr_list_insert (attrs, attr);

      attr = pango_attr_underline_new (PANGO_UNDERLINE_SINGLE);
      attr->start_index = link->start;
      attr->end_index = link->end;
      pango_attr_list_insert (attrs, attr);
    }

  return attrs;
}

/* Where a line sits: the start of the text's own direction, or of the
 * widget's when the text has no letters that say.
 */
static float
get_xalign (TertuliaMessageText *self)
{
  gboolean rtl = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL;

  if (self->centered)
    return 0.5f;

  if (self->text_dir == PANGO_DIRECTION_RTL)
    rtl = TRUE;
  else if (self->text_dir == PANGO_DIRECTION_LTR)
    rtl = FALSE;

  return rtl ? 1.0f : 0.0f;
}

static const char *
shown_text (TertuliaMessageText *self)
{
  return self->shown != NULL ? self->shown : self->text;
}

/* The same settings GtkLabel gives its layout for xalign and justify. */
static void
update_layout_alignment (TertuliaMessageText *self)
{
  gboolean rtl = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL;

  if (self->centered)
    pango_layout_set_alignment (self->layout, PANGO_ALIGN_CENTER);
  else
    pango_layout_set_alignment (self->layout, rtl ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
}

static PangoLayout *
ensure_layout (TertuliaMessageText *self)
{
  if (self->layout == NULL)
    {
      g_autoptr(PangoAttrList) attrs = NULL;

      update_link_color (self);
      attrs = create_link_attributes (self);

      self->layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), shown_text (self));
      self->layout_width = -1;
      pango_layout_set_attributes (self->layout, attrs);
      pango_layout_set_wrap (self->layout, PANGO_WRAP_WORD_CHAR);
      update_layout_alignment (self);
    }

  return self->layout;
}

/* Whether @layout, unwrapped, fits in @width and sits where GtkLabel would
 * put it: left-aligned, left to right, like most messages.
 */
static gboolean
fits_unwrapped (TertuliaMessageText *self,
                PangoLayout         *layout,
                int                  width)
{
  PangoRectangle logical;

  /* Centered lines, and text in a right-to-left window, align within the
   * width.
   */
  if (self->centered || gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL)
    return FALSE;

  pango_layout_set_width (layout, -1);
  pango_layout_get_extents (layout, NULL, &logical);
  if (logical.width > width)
    return FALSE;

  /* A line against the text's own direction aligns within the width. */
  for (GSList *l = pango_layout_get_lines_readonly (layout); l != NULL; l = l->next)
    if (((PangoLayoutLine *) l->data)->resolved_dir !=
        (self->text_dir == PANGO_DIRECTION_RTL ? PANGO_DIRECTION_RTL : PANGO_DIRECTION_LTR))
      return FALSE;

  return TRUE;
}

/* Pango 1.50 shapes a paragraph twice when it has a width to wrap at, even
 * when it fits in one line; and most messages do. So a message is laid out
 * unwrapped first, and wrapped only when that does not fit.
 */
static void
layout_at_width (TertuliaMessageText *self,
                 int                  width)
{
  PangoLayout *layout = ensure_layout (self);
  guint serial = pango_context_get_serial (pango_layout_get_context (layout));

  /* A new font may make a line that fitted too wide. */
  if (width == self->layout_width && serial == self->layout_serial)
    return;

  self->layout_width = width;
  self->layout_serial = serial;

  if (!fits_unwrapped (self, layout, width))
    pango_layout_set_width (layout, width);
}

static void
update_label (TertuliaMessageText *self)
{
  GtkLabel *label = GTK_LABEL (self->label);
  g_autofree char *markup = NULL;

  /* GtkLabel flips its xalign in a right-to-left window itself. */
  if (gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL)
    gtk_label_set_xalign (label, 1.0f - get_xalign (self));
  else
    gtk_label_set_xalign (label, get_xalign (self));
  gtk_label_set_justify (label, self->centered ? GTK_JUSTIFY_CENTER : GTK_JUSTIFY_LEFT);

  if (self->links != NULL)
    markup = _tertulia_links_to_markup (shown_text (self), self->links);

  if (markup != NULL)
    gtk_label_set_markup (label, markup);
  else
    gtk_label_set_text (label, shown_text (self));
}

static void
ensure_label (TertuliaMessageText *self)
{
  if (self->label != NULL)
    return;

  self->label = g_object_new (GTK_TYPE_LABEL,
                              "wrap", TRUE,
                              "wrap-mode", PANGO_WRAP_WORD_CHAR,
                              "width-chars", TERTULIA_MESSAGE_TEXT_MIN_CHARS,
                              "selectable", TRUE,
                              NULL);
  update_label (self);
  gtk_widget_set_parent (self->label, GTK_WIDGET (self));

  /* The label speaks for the text now. */
  gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL);
  g_clear_object (&self->layout);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
drop_label (TertuliaMessageText *self)
{
  if (self->label == NULL)
    return;

  /* Keyboard focus in the label stays in the row, not lost to the window;
   * and the window must not keep pointing at a label that is gone.
   */
  if (gtk_widget_is_focus (self->label))
    {
      GtkWidget *ancestor = gtk_widget_get_parent (GTK_WIDGET (self));

      while (ancestor != NULL && !gtk_widget_get_focusable (ancestor))
        ancestor = gtk_widget_get_parent (ancestor);
      if (ancestor == NULL || !gtk_widget_grab_focus (ancestor))
        gtk_root_set_focus (gtk_widget_get_root (self->label), NULL);
    }

  g_clear_pointer (&self->label, gtk_widget_unparent);
}

static void
pointer_cb (TertuliaMessageText *self)
{
  ensure_label (self);
}

/* GtkLabel's minimum width for a wrapping label with width-chars: that
 * many of the font's widest average characters, letters or digits; and
 * the font's line height.
 */
static void
update_metrics (TertuliaMessageText *self)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  guint serial = pango_context_get_serial (context);
  PangoFontMetrics *metrics;
  int char_width, digit_width;

  if (self->min_width != 0 && self->metrics_serial == serial)
    return;

  metrics = pango_context_get_metrics (context, NULL, NULL);
  char_width = pango_font_metrics_get_approximate_char_width (metrics);
  digit_width = pango_font_metrics_get_approximate_digit_width (metrics);
  self->min_width = MAX (char_width, digit_width) * TERTULIA_MESSAGE_TEXT_MIN_CHARS;
  self->ascent = pango_font_metrics_get_ascent (metrics);
  self->descent = pango_font_metrics_get_descent (metrics);
  self->metrics_serial = serial;
  pango_font_metrics_unref (metrics);
}

/* Its height depends on its width, whichever way it is drawn. */
static GtkSizeRequestMode
tertulia_message_text_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
tertulia_message_text_measure (GtkWidget      *widget,
                               GtkOrientation  orientation,
                               int             for_size,
                               int            *minimum,
                               int            *natural,
                               int            *minimum_baseline,
                               int            *natural_baseline)
{
  TertuliaMessageText *self = TERTULIA_MESSAGE_TEXT (widget);
  PangoLayout *layout;
  int height, baseline;

  if (self->label != NULL)
    {
      gtk_widget_measure (self->label, orientation, for_size,
                          minimum, natural, minimum_baseline, natural_baseline);
      return;
    }

  update_metrics (self);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* Wrapped at the minimum, no line is wider than the minimum; and
       * like GtkLabel with width-chars, the natural width is the same.
       */
      *minimum = *natural = PANGO_PIXELS_CEIL (self->min_width);
      return;
    }

  if (for_size < 0)
    {
      /* With no width given, GtkLabel's minimum height: every paragraph on
       * one line. GtkScrolledWindow asks for it on every resize, for all
       * 200 rows, and has no use for it: the font's line height says it
       * without laying out the text once more.
       */
      *minimum = *natural = PANGO_PIXELS_CEIL (self->n_paragraphs * (self->ascent + self->descent));
      *minimum_baseline = *natural_baseline = PANGO_PIXELS_CEIL (self->ascent);
      return;
    }

  layout_at_width (self, for_size * PANGO_SCALE);
  layout = self->layout;
  pango_layout_get_size (layout, NULL, &height);
  baseline = pango_layout_get_baseline (layout);

  *minimum = *natural = PANGO_PIXELS_CEIL (height);
  *minimum_baseline = *natural_baseline = PANGO_PIXELS_CEIL (baseline);
}

static void
tertulia_message_text_size_allocate (GtkWidget *widget,
                                     int        width,
                                     int        height,
                                     int        baseline)
{
  TertuliaMessageText *self = TERTULIA_MESSAGE_TEXT (widget);

  if (self->label != NULL)
    gtk_widget_allocate (self->label, width, height, baseline, NULL);
  else
    layout_at_width (self, width * PANGO_SCALE);
}

/* Where GtkLabel puts its layout, so that nothing moves when the label
 * takes over.
 */
static void
get_layout_offset (TertuliaMessageText *self,
                   int                 *x,
                   int                 *y)
{
  GtkWidget *widget = GTK_WIDGET (self);
  PangoLayout *layout = ensure_layout (self);
  PangoRectangle logical;
  float xalign = get_xalign (self);
  int baseline = gtk_widget_get_allocated_baseline (widget);

  pango_layout_get_pixel_extents (layout, NULL, &logical);

  *x = floor (xalign * (gtk_widget_get_width (widget) - logical.width) - logical.x);
  if (baseline != -1)
    *y = baseline - pango_layout_get_baseline (layout) / PANGO_SCALE;
  else
    *y = floor ((gtk_widget_get_height (widget) - logical.height) * 0.5f);
}

static void
tertulia_message_text_snapshot (GtkWidget   *widget,
                                GtkSnapshot *snapshot)
{
  TertuliaMessageText *self = TERTULIA_MESSAGE_TEXT (widget);
  int x, y;

  if (self->label != NULL)
    {
      gtk_widget_snapshot_child (widget, self->label, snapshot);
      return;
    }

  get_layout_offset (self, &x, &y);
  gtk_snapshot_render_layout (snapshot, gtk_widget_get_style_context (widget), x, y,
                              ensure_layout (self));
}

/* The link drawn at @x, @y (widget coordinates), or -1. */
static int
find_link_at (TertuliaMessageText *self,
              double               x,
              double               y)
{
  int layout_x, layout_y, index, trailing;

  if (self->links == NULL)
    return -1;

  get_layout_offset (self, &layout_x, &layout_y);
  if (!pango_layout_xy_to_index (ensure_layout (self),
                                 (x - layout_x) * PANGO_SCALE,
                                 (y - layout_y) * PANGO_SCALE,
                                 &index, &trailing))
    return -1;

  for (guint i = 0; i < self->links->len; i++)
    {
      const TertuliaLink *link = &g_array_index (self->links, TertuliaLink, i);

      if ((gsize) index >= link->start && (gsize) index < link->end)
        return (int) i;
    }

  return -1;
}

static void
click_pressed_cb (TertuliaMessageText *self,
                  int                  n_press,
                  double               x,
                  double               y)
{
  self->pressed_link = -1;

  if (self->label == NULL && n_press == 1)
    self->pressed_link = find_link_at (self, x, y);
}

static void
click_released_cb (TertuliaMessageText *self,
                   int                  n_press,
                   double               x,
                   double               y)
{
  g_autofree char *uri = NULL;
  gboolean handled = FALSE;
  int link = self->pressed_link;

  self->pressed_link = -1;

  if (link < 0 || self->links == NULL || (guint) link >= self->links->len)
    return;

  uri = _tertulia_link_dup_uri (shown_text (self), &g_array_index (self->links, TertuliaLink, link));
  g_signal_emit (self, signals [ACTIVATE_LINK], 0, uri, &handled);
}

static void
click_stopped_cb (TertuliaMessageText *self)
{
  self->pressed_link = -1;
}

/* What GtkLabel does with a link. */
static gboolean
tertulia_message_text_real_activate_link (TertuliaMessageText *self,
                                          const char          *uri)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);

  return TRUE;
}

static void
tertulia_message_text_css_changed (GtkWidget         *widget,
                                   GtkCssStyleChange *change)
{
  TertuliaMessageText *self = TERTULIA_MESSAGE_TEXT (widget);

  GTK_WIDGET_CLASS (tertulia_message_text_parent_class)->css_changed (widget, change);

  /* A new font reaches the layout through its PangoContext; only the link
   * color (light or dark style) is ours to follow.
   */
  if (self->layout != NULL && self->links != NULL && update_link_color (self))
    {
      g_autoptr(PangoAttrList) attrs = create_link_attributes (self);

      pango_layout_set_attributes (self->layout, attrs);
      gtk_widget_queue_draw (widget);
    }
}

static void
tertulia_message_text_direction_changed (GtkWidget        *widget,
                                         GtkTextDirection  previous_direction)
{
  TertuliaMessageText *self = TERTULIA_MESSAGE_TEXT (widget);

  GTK_WIDGET_CLASS (tertulia_message_text_parent_class)->direction_changed (widget, previous_direction);

  if (self->layout != NULL)
    {
      update_layout_alignment (self);
      self->layout_width = -1;
      gtk_widget_queue_resize (widget);
    }
}

/* The keyboard stops at the message's row, which the log's arrow keys
 * move between and whose name says who, when and what (a list item takes
 * the focus only when nothing in it can). The label, once the pointer
 * brought it, keeps the focus it was clicked into while it moves within.
 */
static gboolean
tertulia_message_text_focus (GtkWidget        *widget,
                             GtkDirectionType  direction)
{
  TertuliaMessageText *self = TERTULIA_MESSAGE_TEXT (widget);

  if (self->label == NULL || gtk_widget_get_focus_child (widget) == NULL)
    return FALSE;

  return gtk_widget_child_focus (self->label, direction);
}

static void
tertulia_message_text_dispose (GObject *object)
{
  TertuliaMessageText *self = (TertuliaMessageText *)object;

  g_clear_pointer (&self->label, gtk_widget_unparent);
  g_clear_object (&self->layout);

  G_OBJECT_CLASS (tertulia_message_text_parent_class)->dispose (object);
}

static void
tertulia_message_text_finalize (GObject *object)
{
  TertuliaMessageText *self = (TertuliaMessageText *)object;

  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->shown, g_free);
  g_clear_pointer (&self->links, g_array_unref);

  G_OBJECT_CLASS (tertulia_message_text_parent_class)->finalize (object);
}

static void
tertulia_message_text_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  TertuliaMessageText *self = TERTULIA_MESSAGE_TEXT (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;

    case PROP_CENTERED:
      g_value_set_boolean (value, self->centered);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tertulia_message_text_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  TertuliaMessageText *self = TERTULIA_MESSAGE_TEXT (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      tertulia_message_text_set_text (self, g_value_get_string (value));
      break;

    case PROP_CENTERED:
      tertulia_message_text_set_centered (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tertulia_message_text_class_init (TertuliaMessageTextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tertulia_message_text_dispose;
  object_class->finalize = tertulia_message_text_finalize;
  object_class->get_property = tertulia_message_text_get_property;
  object_class->set_property = tertulia_message_text_set_property;

  widget_class->get_request_mode = tertulia_message_text_get_request_mode;
  widget_class->measure = tertulia_message_text_measure;
  widget_class->size_allocate = tertulia_message_text_size_allocate;
  widget_class->snapshot = tertulia_message_text_snapshot;
  widget_class->css_changed = tertulia_message_text_css_changed;
  widget_class->direction_changed = tertulia_message_text_direction_changed;
  widget_class->focus = tertulia_message_text_focus;

  properties [PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_CENTERED] =
    g_param_spec_boolean ("centered", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Styled as the label it stands for. */
  /**
   * TertuliaMessageText::activate-link:
   * @uri: where the link leads
   *
   * A link was tapped before the label took over; as GtkLabel's signal,
   * handlers return %TRUE to stop the default, which opens @uri.
   */
  signals [ACTIVATE_LINK] =
    g_signal_new_class_handler ("activate-link",
                                G_TYPE_FROM_CLASS (klass),
                                G_SIGNAL_RUN_LAST,
                                G_CALLBACK (tertulia_message_text_real_activate_link),
                                g_signal_accumulator_true_handled, NULL,
                                NULL,
                                G_TYPE_BOOLEAN, 1, G_TYPE_STRING);

  gtk_widget_class_set_css_name (widget_class, "label");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
tertulia_message_text_init (TertuliaMessageText *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  self->text = g_strdup ("");
  self->n_paragraphs = 1;
  self->pressed_link = -1;

  g_signal_connect_object (click, "pressed", G_CALLBACK (click_pressed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (click, "released", G_CALLBACK (click_released_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (click, "stopped", G_CALLBACK (click_stopped_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  g_signal_connect_object (motion, "enter", G_CALLBACK (pointer_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (motion, "motion", G_CALLBACK (pointer_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
}

GtkWidget *
tertulia_message_text_new (void)
{
  return g_object_new (TERTULIA_TYPE_MESSAGE_TEXT, NULL);
}

const char *
tertulia_message_text_get_text (TertuliaMessageText *self)
{
  g_return_val_if_fail (TERTULIA_IS_MESSAGE_TEXT (self), NULL);

  return self->text;
}

void
tertulia_message_text_set_text (TertuliaMessageText *self,
                                const char          *text)
{
  g_return_if_fail (TERTULIA_IS_MESSAGE_TEXT (self));

  if (text == NULL)
    text = "";

  if (g_strcmp0 (self->text, text) == 0)
    return;

  g_free (self->text);
  self->text = g_strdup (text);
  self->n_paragraphs = 1;
  for (const char *p = strchr (text, '\n'); p != NULL; p = strchr (p + 1, '\n'))
    self->n_paragraphs++;
  g_clear_pointer (&self->links, g_array_unref);
  g_clear_pointer (&self->shown, g_free);
  /* Deprecated for PangoLayout's own per-paragraph choice, which is what
   * draws it; the whole row's alignment needs the answer up front.
   */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  self->text_dir = pango_find_base_dir (text, -1);
  G_GNUC_END_IGNORE_DEPRECATIONS
  self->links = _tertulia_links_find (text);
  if (self->links != NULL)
    self->shown = _tertulia_links_isolate (text, self->links);

  /* Another message: drawn by this widget again until someone points at it. */
  drop_label (self);
  if (self->layout != NULL)
    {
      g_autoptr(PangoAttrList) attrs = create_link_attributes (self);

      pango_layout_set_text (self->layout, shown_text (self), -1);
      pango_layout_set_attributes (self->layout, attrs);
      self->layout_width = -1;
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text,
                                  -1);
  gtk_widget_queue_resize (GTK_WIDGET (self));

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TEXT]);
}

gboolean
tertulia_message_text_get_centered (TertuliaMessageText *self)
{
  g_return_val_if_fail (TERTULIA_IS_MESSAGE_TEXT (self), FALSE);

  return self->centered;
}

void
tertulia_message_text_set_centered (TertuliaMessageText *self,
                                    gboolean             centered)
{
  g_return_if_fail (TERTULIA_IS_MESSAGE_TEXT (self));

  centered = !!centered;

  if (self->centered == centered)
    return;

  self->centered = centered;
  if (self->layout != NULL)
    {
      update_layout_alignment (self);
      self->layout_width = -1;
    }
  if (self->label != NULL)
    update_label (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CENTERED]);
}

GtkLabel *
_tertulia_message_text_get_label (TertuliaMessageText *self)
{
  g_return_val_if_fail (TERTULIA_IS_MESSAGE_TEXT (self), NULL);

  ensure_label (self);

  return GTK_LABEL (self->label);
}

gboolean
_tertulia_message_text_has_label (TertuliaMessageText *self)
{
  g_return_val_if_fail (TERTULIA_IS_MESSAGE_TEXT (self), FALSE);

  return self->label != NULL;
}

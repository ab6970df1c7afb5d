/* tertulia-message-header.c — who wrote a message, and when
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Why not a GtkBox with two GtkLabels: the list view measures all ~200 rows
 * it keeps bound every time it jumps, and a rebound ellipsizing GtkLabel
 * lays its nickname out three or four times (natural width, minimum width,
 * height, allocation) on copies of its layout; with the box around it that
 * was a third of a scrollbar-drag frame.
 *
 * Here a nickname is one PangoLayout, shared by every row that shows it,
 * copied and ellipsized only when a row is too narrow for it, and placed
 * where the box placed the label. The time stays a GtkLabel: it has a
 * tooltip and the theme's dim caption style.
 */

#define G_LOG_DOMAIN "tertulia-message-header"

#include "config.h"

#include "tertulia-message-header.h"
#include "tertulia-clock.h"
#include "tertulia-util-private.h"

/* Between the nickname and the time. */
#define SPACING 8

/* Each nickname keeps one of these colors, defined in style.css and, for
 * the dark style, style-dark.css. Colors, not CSS classes: a class changed
 * on every bind restyles the widget and the time label in it.
 */
static const char * const nick_colors[] = {
  "tertulia_nick_color_0", "tertulia_nick_color_1", "tertulia_nick_color_2", "tertulia_nick_color_3",
  "tertulia_nick_color_4", "tertulia_nick_color_5", "tertulia_nick_color_6", "tertulia_nick_color_7",
};

struct _TertuliaMessageHeader
{
  GtkWidget    parent_instance;

  char        *author;
  const char  *nick_color;         /* one of nick_colors, NULL for no nickname */
  GDateTime   *time;
  gint64       shown_minute;       /* of the time the label shows */

  /* The nickname, drawn with this widget's style: shared with the other
   * rows, or its own copy when it has to be ellipsized.
   */
  PangoLayout *layout;
  PangoLayout *ellipsized;
  guint        cache_serial;       /* of the PangoContext checked against the cache */
  guint        cache_generation;
  int          author_x;           /* where it was allocated, in pixels */
  int          author_width;

  GtkWidget   *time_label;
};

enum {
  PROP_0,
  PROP_AUTHOR,
  PROP_TIME,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

G_DEFINE_FINAL_TYPE (TertuliaMessageHeader, tertulia_message_header, GTK_TYPE_WIDGET)

/* A room has a handful of nicknames, repeated row after row: each is laid
 * out once for all rows, as long as they share a font.
 */
#define MAX_SHARED_LAYOUTS 256

static PangoContext *shared_context;
static GHashTable   *shared_layouts;     /* nickname → PangoLayout */
static guint         shared_generation;
static int           shared_ellipsis_width; /* of "…", Pango units; 0 until measured */

static gboolean
same_font (PangoContext *a,
           PangoContext *b)
{
  return pango_font_description_equal (pango_context_get_font_description (a),
                                       pango_context_get_font_description (b)) &&
         pango_context_get_language (a) == pango_context_get_language (b) &&
         pango_context_get_base_dir (a) == pango_context_get_base_dir (b) &&
         pango_cairo_context_get_resolution (a) == pango_cairo_context_get_resolution (b) &&
         cairo_font_options_equal (pango_cairo_context_get_font_options (a),
                                   pango_cairo_context_get_font_options (b));
}

static PangoLayout *
ensure_layout (TertuliaMessageHeader *self)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  guint serial = pango_context_get_serial (context);

  if (self->layout != NULL &&
      self->cache_serial == serial && self->cache_generation == shared_generation)
    return self->layout;

  /* Another font, here or in the cache. */
  g_clear_object (&self->layout);
  g_clear_object (&self->ellipsized);

  if (self->cache_serial != serial || self->cache_generation != shared_generation)
    {
      if (shared_context == NULL || !same_font (shared_context, context))
        {
          g_clear_object (&shared_context);
          g_clear_pointer (&shared_layouts, g_hash_table_unref);
          shared_context = gtk_widget_create_pango_context (GTK_WIDGET (self));
          shared_ellipsis_width = 0;
          shared_generation++;
        }

      self->cache_serial = serial;
      self->cache_generation = shared_generation;
    }

  if (shared_layouts == NULL || g_hash_table_size (shared_layouts) >= MAX_SHARED_LAYOUTS)
    {
      g_clear_pointer (&shared_layouts, g_hash_table_unref);
      shared_layouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
    }

  self->layout = g_hash_table_lookup (shared_layouts, self->author);
  if (self->layout == NULL)
    {
      self->layout = pango_layout_new (shared_context);
      pango_layout_set_text (self->layout, self->author, -1);
      pango_layout_set_single_paragraph_mode (self->layout, TRUE);
      g_hash_table_insert (shared_layouts, g_strdup (self->author), self->layout);
    }

  g_object_ref (self->layout);

  return self->layout;
}

/* The nickname's size on one line, not ellipsized. */
static void
get_author_size (TertuliaMessageHeader *self,
                 int                   *width,
                 int                   *height)
{
  pango_layout_get_size (ensure_layout (self), width, height);
}

/* An ellipsizing GtkLabel's minimum width: the "…" a nickname ends in when
 * the row is too narrow. In the same font as the shared nicknames.
 */
static int
get_ellipsis_width (TertuliaMessageHeader *self)
{
  ensure_layout (self);

  if (shared_ellipsis_width == 0)
    {
      g_autoptr(PangoLayout) ellipsis = pango_layout_new (shared_context);

      pango_layout_set_text (ellipsis, "…", -1);
      pango_layout_get_size (ellipsis, &shared_ellipsis_width, NULL);
    }

  return shared_ellipsis_width;
}

static void
tertulia_message_header_measure (GtkWidget      *widget,
                                 GtkOrientation  orientation,
                                 int             for_size,
                                 int            *minimum,
                                 int            *natural,
                                 int            *minimum_baseline,
                                 int            *natural_baseline)
{
  TertuliaMessageHeader *self = TERTULIA_MESSAGE_HEADER (widget);
  int author_width, author_height;
  int time_minimum, time_natural;

  get_author_size (self, &author_width, &author_height);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      gtk_widget_measure (self->time_label, orientation, -1,
                          &time_minimum, &time_natural, NULL, NULL);
      *minimum = PANGO_PIXELS_CEIL (MIN (get_ellipsis_width (self), author_width)) + SPACING + time_minimum;
      *natural = PANGO_PIXELS_CEIL (author_width) + SPACING + time_natural;
    }
  else
    {
      /* One line either way, as high as the taller of the two. */
      gtk_widget_measure (self->time_label, orientation, -1,
                          &time_minimum, &time_natural, NULL, NULL);
      *minimum = MAX (PANGO_PIXELS_CEIL (author_height), time_minimum);
      *natural = MAX (PANGO_PIXELS_CEIL (author_height), time_natural);
    }
}

/* As GtkBox gives out space: each its natural width when that fits; when
 * not, the nickname gives up what is missing, down to "…".
 */
static void
tertulia_message_header_size_allocate (GtkWidget *widget,
                                       int        width,
                                       int        height,
                                       int        baseline)
{
  TertuliaMessageHeader *self = TERTULIA_MESSAGE_HEADER (widget);
  int author_natural, author_height;
  int time_width, author_width, time_x;

  get_author_size (self, &author_natural, &author_height);
  gtk_widget_measure (self->time_label, GTK_ORIENTATION_HORIZONTAL, -1,
                      NULL, &time_width, NULL, NULL);

  author_width = MIN (PANGO_PIXELS_CEIL (author_natural), width - SPACING - time_width);
  author_width = MAX (author_width, 0);

  if (author_width < PANGO_PIXELS_CEIL (author_natural))
    {
      /* Kept from frame to frame; Pango lays it out again only when the
       * width changes.
       */
      if (self->ellipsized == NULL)
        {
          self->ellipsized = pango_layout_copy (ensure_layout (self));
          pango_layout_set_ellipsize (self->ellipsized, PANGO_ELLIPSIZE_END);
        }
      pango_layout_set_width (self->ellipsized, author_width * PANGO_SCALE);
    }
  else
    {
      g_clear_object (&self->ellipsized);
    }

  if (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL)
    {
      self->author_x = width - author_width;
      time_x = self->author_x - SPACING - time_width;
    }
  else
    {
      self->author_x = 0;
      time_x = author_width + SPACING;
    }
  self->author_width = author_width;

  gtk_widget_size_allocate (self->time_label,
                            &(GtkAllocation) { time_x, 0, time_width, height },
                            -1);
}

/* Where a GtkLabel of the nickname's allocation, xalign 0, would draw. */
static void
tertulia_message_header_snapshot (GtkWidget   *widget,
                                  GtkSnapshot *snapshot)
{
  TertuliaMessageHeader *self = TERTULIA_MESSAGE_HEADER (widget);
  PangoLayout *layout = self->ellipsized != NULL ? self->ellipsized : ensure_layout (self);
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  PangoRectangle logical;
  float xalign = 0.0f;
  GdkRGBA color;
  int x, y;

  pango_layout_get_pixel_extents (layout, NULL, &logical);
  if (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL)
    xalign = 1.0f;

  x = self->author_x + floor (xalign * (self->author_width - logical.width) - logical.x);
  y = floor ((gtk_widget_get_height (widget) - logical.height) * 0.5f);

  if (self->nick_color != NULL && gtk_style_context_lookup_color (context, self->nick_color, &color))
    {
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
      gtk_snapshot_append_layout (snapshot, layout, &color);
      gtk_snapshot_restore (snapshot);
    }
  else
    {
      gtk_snapshot_render_layout (snapshot, context, x, y, layout);
    }

  gtk_widget_snapshot_child (widget, self->time_label, snapshot);
}

/* The full date is asked for when the pointer rests on the time, not set
 * on every bind: setting a tooltip makes GTK ask the X server where the
 * pointer is, and a scroll binds a couple of hundred rows at once.
 */
static gboolean
time_query_tooltip_cb (TertuliaMessageHeader *self,
                       int                    x,
                       int                    y,
                       gboolean               keyboard_mode,
                       GtkTooltip            *tooltip,
                       GtkWidget             *widget)
{
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *text = NULL;

  if (self->time == NULL)
    return FALSE;

  local = _tertulia_date_time_to_local (self->time);
  text = g_date_time_format (local, "%c");
  gtk_tooltip_set_text (tooltip, text);

  return TRUE;
}

static void
tertulia_message_header_dispose (GObject *object)
{
  TertuliaMessageHeader *self = (TertuliaMessageHeader *)object;

  g_clear_pointer (&self->time_label, gtk_widget_unparent);
  g_clear_object (&self->layout);
  g_clear_object (&self->ellipsized);

  G_OBJECT_CLASS (tertulia_message_header_parent_class)->dispose (object);
}

static void
tertulia_message_header_finalize (GObject *object)
{
  TertuliaMessageHeader *self = (TertuliaMessageHeader *)object;

  g_clear_pointer (&self->author, g_free);
  g_clear_pointer (&self->time, g_date_time_unref);

  G_OBJECT_CLASS (tertulia_message_header_parent_class)->finalize (object);
}

static void
tertulia_message_header_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  TertuliaMessageHeader *self = TERTULIA_MESSAGE_HEADER (object);

  switch (prop_id)
    {
    case PROP_AUTHOR:
      g_value_set_string (value, self->author);
      break;

    case PROP_TIME:
      g_value_set_boxed (value, self->time);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tertulia_message_header_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  TertuliaMessageHeader *self = TERTULIA_MESSAGE_HEADER (object);

  switch (prop_id)
    {
    case PROP_AUTHOR:
      tertulia_message_header_set_author (self, g_value_get_string (value));
      break;

    case PROP_TIME:
      tertulia_message_header_set_time (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tertulia_message_header_class_init (TertuliaMessageHeaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tertulia_message_header_dispose;
  object_class->finalize = tertulia_message_header_finalize;
  object_class->get_property = tertulia_message_header_get_property;
  object_class->set_property = tertulia_message_header_set_property;

  widget_class->measure = tertulia_message_header_measure;
  widget_class->size_allocate = tertulia_message_header_size_allocate;
  widget_class->snapshot = tertulia_message_header_snapshot;

  properties [PROP_AUTHOR] =
    g_param_spec_string ("author", NULL, NULL,
                         "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_TIME] =
    g_param_spec_boxed ("time", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "messageheader");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
tertulia_message_header_init (TertuliaMessageHeader *self)
{
  self->author = g_strdup ("");
  self->shown_minute = G_MININT64;

  self->time_label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->time_label, "message-time");
  gtk_widget_add_css_class (self->time_label, "dim-label");
  gtk_widget_add_css_class (self->time_label, "caption");
  gtk_widget_add_css_class (self->time_label, "numeric");
  gtk_widget_set_has_tooltip (self->time_label, TRUE);
  g_signal_connect_object (self->time_label, "query-tooltip",
                           G_CALLBACK (time_query_tooltip_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_set_parent (self->time_label, GTK_WIDGET (self));
}

GtkWidget *
tertulia_message_header_new (void)
{
  return g_object_new (TERTULIA_TYPE_MESSAGE_HEADER, NULL);
}

guint
tertulia_nick_color_index (const char *nickname)
{
  G_STATIC_ASSERT (G_N_ELEMENTS (nick_colors) == TERTULIA_N_NICK_COLORS);

  return nickname != NULL ? g_str_hash (nickname) % TERTULIA_N_NICK_COLORS : 0;
}

const char *
tertulia_message_header_get_author (TertuliaMessageHeader *self)
{
  g_return_val_if_fail (TERTULIA_IS_MESSAGE_HEADER (self), NULL);

  return self->author;
}

void
tertulia_message_header_set_author (TertuliaMessageHeader *self,
                                    const char            *author)
{
  g_return_if_fail (TERTULIA_IS_MESSAGE_HEADER (self));

  if (author == NULL)
    author = "";

  if (g_strcmp0 (self->author, author) == 0)
    return;

  g_free (self->author);
  self->author = g_strdup (author);
  self->nick_color = *author != '\0' ? nick_colors[tertulia_nick_color_index (author)] : NULL;
  g_clear_object (&self->layout);
  g_clear_object (&self->ellipsized);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, author,
                                  -1);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_AUTHOR]);
}

GDateTime *
tertulia_message_header_get_time (TertuliaMessageHeader *self)
{
  g_return_val_if_fail (TERTULIA_IS_MESSAGE_HEADER (self), NULL);

  return self->time;
}

void
tertulia_message_header_set_time (TertuliaMessageHeader *self,
                                  GDateTime             *time)
{
  gint64 minute;

  g_return_if_fail (TERTULIA_IS_MESSAGE_HEADER (self));

  if (self->time == time)
    return;

  g_clear_pointer (&self->time, g_date_time_unref);
  if (time != NULL)
    self->time = g_date_time_ref (time);

  /* Rows next to each other are mostly from the same minute, and time
   * zones are whole minutes away from UTC: nothing to format again.
   */
  minute = time != NULL ? g_date_time_to_unix (time) / 60 : G_MININT64;
  if (minute != self->shown_minute || time == NULL)
    {
      g_autofree char *text = NULL;

      if (time != NULL)
        text = tertulia_clock_format_time (time);

      gtk_label_set_text (GTK_LABEL (self->time_label), text != NULL ? text : "");
      self->shown_minute = minute;
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TIME]);
}

GtkLabel *
_tertulia_message_header_get_time_label (TertuliaMessageHeader *self)
{
  g_return_val_if_fail (TERTULIA_IS_MESSAGE_HEADER (self), NULL);

  return GTK_LABEL (self->time_label);
}

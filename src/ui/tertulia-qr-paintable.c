/* tertulia-qr-paintable.c — a QR code drawn crisp at any size
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-qr-paintable"

#include "config.h"

#include "tertulia-qr-paintable.h"

struct _TertuliaQrPaintable
{
  GObject     parent_instance;

  /* Owned references */
  TertuliaQr *qr;
};

enum {
  PROP_0,
  PROP_QR,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void tertulia_qr_paintable_iface_init (GdkPaintableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TertuliaQrPaintable, tertulia_qr_paintable, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GDK_TYPE_PAINTABLE,
                                                      tertulia_qr_paintable_iface_init))

/* Modules a side, quiet zone included. */
static guint
get_n_modules (TertuliaQrPaintable *self)
{
  return tertulia_qr_get_size (self->qr) + 2 * TERTULIA_QR_QUIET_ZONE;
}

static int
tertulia_qr_paintable_get_intrinsic_size (GdkPaintable *paintable)
{
  TertuliaQrPaintable *self = TERTULIA_QR_PAINTABLE (paintable);
  guint n_modules = get_n_modules (self);

  /* Whole pixels per module, so that the natural size is crisp too. */
  return (int)(n_modules * MAX (2u, TERTULIA_QR_PAINTABLE_NATURAL_SIZE / n_modules));
}

static void
tertulia_qr_paintable_snapshot (GdkPaintable *paintable,
                                GdkSnapshot  *snapshot,
                                double        width,
                                double        height)
{
  TertuliaQrPaintable *self = TERTULIA_QR_PAINTABLE (paintable);
  static const GdkRGBA light = { 1.0f, 1.0f, 1.0f, 1.0f };
  static const GdkRGBA dark = { 0.0f, 0.0f, 0.0f, 1.0f };
  guint size = tertulia_qr_get_size (self->qr);
  guint n_modules = get_n_modules (self);
  double module = MIN (width, height) / n_modules;
  double side;
  double x0, y0;

  if (module <= 0)
    return;

  /* Whole pixels a module when there is room: no module edge falls
   * between pixels, where it would be smeared grey.
   */
  if (module >= 1.0)
    module = (int) module;

  /* Never negative: the code fits. */
  side = module * n_modules;
  x0 = (int) ((width - side) / 2);
  y0 = (int) ((height - side) / 2);

  gtk_snapshot_append_color (GTK_SNAPSHOT (snapshot), &light,
                             &GRAPHENE_RECT_INIT (x0, y0, side, side));

  x0 += module * TERTULIA_QR_QUIET_ZONE;
  y0 += module * TERTULIA_QR_QUIET_ZONE;

  /* One rectangle per horizontal run of dark modules: about a third of
   * the nodes one per module would take.
   */
  for (guint y = 0; y < size; y++)
    {
      guint x = 0;

      while (x < size)
        {
          guint start;

          if (!tertulia_qr_get_module (self->qr, x, y))
            {
              x++;
              continue;
            }

          start = x;
          while (x < size && tertulia_qr_get_module (self->qr, x, y))
            x++;

          gtk_snapshot_append_color (GTK_SNAPSHOT (snapshot), &dark,
                                     &GRAPHENE_RECT_INIT (x0 + start * module,
                                                          y0 + y * module,
                                                          (x - start) * module,
                                                          module));
        }
    }
}

static GdkPaintableFlags
tertulia_qr_paintable_get_flags (GdkPaintable *paintable)
{
  return GDK_PAINTABLE_STATIC_SIZE | GDK_PAINTABLE_STATIC_CONTENTS;
}

static void
tertulia_qr_paintable_iface_init (GdkPaintableInterface *iface)
{
  iface->snapshot = tertulia_qr_paintable_snapshot;
  iface->get_flags = tertulia_qr_paintable_get_flags;
  iface->get_intrinsic_width = tertulia_qr_paintable_get_intrinsic_size;
  iface->get_intrinsic_height = tertulia_qr_paintable_get_intrinsic_size;
}

static void
tertulia_qr_paintable_finalize (GObject *object)
{
  TertuliaQrPaintable *self = (TertuliaQrPaintable *)object;

  g_clear_pointer (&self->qr, tertulia_qr_unref);

  G_OBJECT_CLASS (tertulia_qr_paintable_parent_class)->finalize (object);
}

static void
tertulia_qr_paintable_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  TertuliaQrPaintable *self = TERTULIA_QR_PAINTABLE (object);

  switch (prop_id)
    {
    case PROP_QR:
      g_value_set_boxed (value, self->qr);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tertulia_qr_paintable_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  TertuliaQrPaintable *self = TERTULIA_QR_PAINTABLE (object);

  switch (prop_id)
    {
    case PROP_QR:
      self->qr = g_value_dup_boxed (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tertulia_qr_paintable_constructed (GObject *object)
{
  TertuliaQrPaintable *self = (TertuliaQrPaintable *)object;

  G_OBJECT_CLASS (tertulia_qr_paintable_parent_class)->constructed (object);

  g_assert (self->qr != NULL);
}

static void
tertulia_qr_paintable_class_init (TertuliaQrPaintableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = tertulia_qr_paintable_constructed;
  object_class->finalize = tertulia_qr_paintable_finalize;
  object_class->get_property = tertulia_qr_paintable_get_property;
  object_class->set_property = tertulia_qr_paintable_set_property;

  properties [PROP_QR] =
    g_param_spec_boxed ("qr", NULL, NULL,
                        TERTULIA_TYPE_QR,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tertulia_qr_paintable_init (TertuliaQrPaintable *self)
{
}

GdkPaintable *
tertulia_qr_paintable_new (TertuliaQr *qr)
{
  g_return_val_if_fail (qr != NULL, NULL);

  return g_object_new (TERTULIA_TYPE_QR_PAINTABLE, "qr", qr, NULL);
}

TertuliaQr *
tertulia_qr_paintable_get_qr (TertuliaQrPaintable *self)
{
  g_return_val_if_fail (TERTULIA_IS_QR_PAINTABLE (self), NULL);

  return self->qr;
}

const char *
tertulia_qr_paintable_get_text (TertuliaQrPaintable *self)
{
  g_return_val_if_fail (TERTULIA_IS_QR_PAINTABLE (self), NULL);

  return tertulia_qr_get_text (self->qr);
}

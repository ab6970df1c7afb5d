/* tertulia-qr-paintable.h — a QR code drawn crisp at any size
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "tertulia-qr.h"

G_BEGIN_DECLS

/* About how wide the code is at its natural size, in pixels: comfortably
 * read by a phone held at arm's length from a laptop screen.
 */
#define TERTULIA_QR_PAINTABLE_NATURAL_SIZE 200

#define TERTULIA_TYPE_QR_PAINTABLE (tertulia_qr_paintable_get_type ())

G_DECLARE_FINAL_TYPE (TertuliaQrPaintable, tertulia_qr_paintable, TERTULIA, QR_PAINTABLE, GObject)

/* A GdkPaintable of @qr: dark modules on white, with the quiet zone of
 * TERTULIA_QR_QUIET_ZONE modules the standard asks for, whatever the theme
 * (a reader wants dark on light). Drawn as rectangles, not scaled pixels,
 * so it is sharp at any size; when there is room for at least one pixel a
 * module, modules are whole pixels and the code is centred in what is
 * left over.
 *
 * Its intrinsic size is a whole number of pixels per module, near
 * TERTULIA_QR_PAINTABLE_NATURAL_SIZE; it never changes (static size and
 * contents).
 *
 * Properties:
 *   qr  TertuliaQr*  construct-only
 */
GdkPaintable *tertulia_qr_paintable_new      (TertuliaQr          *qr);
TertuliaQr   *tertulia_qr_paintable_get_qr   (TertuliaQrPaintable *self);
/* The text the code holds (the link), for tests and accessible labels. */
const char   *tertulia_qr_paintable_get_text (TertuliaQrPaintable *self);

G_END_DECLS

/* tertulia-qr.h — QR codes of the room's web link, for phones
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The light margin a reader needs around the code, in modules. The QR
 * standard asks for 4; what the terminal rendering draws is
 * TERTULIA_QR_TERMINAL_QUIET_ZONE (2: phone cameras read it, and it keeps the
 * code small enough for an 80×24 terminal).
 */
#define TERTULIA_QR_QUIET_ZONE          4
#define TERTULIA_QR_TERMINAL_QUIET_ZONE 2

#define TERTULIA_TYPE_QR (tertulia_qr_get_type ())

typedef struct _TertuliaQr TertuliaQr;

GType       tertulia_qr_get_type        (void) G_GNUC_CONST;

/* Encodes the UTF-8 @text (a URL) as a QR code: 8-bit mode, error
 * correction level M, the smallest version that holds it. Fails with
 * G_IO_ERROR_INVALID_ARGUMENT when @text is too long for a QR code.
 * The result is immutable and reference counted.
 */
TertuliaQr *tertulia_qr_new             (const char  *text,
                                         GError     **error);
TertuliaQr *tertulia_qr_ref             (TertuliaQr  *self);
void        tertulia_qr_unref           (TertuliaQr  *self);

const char *tertulia_qr_get_text        (TertuliaQr  *self);
/* Modules per side, without any quiet zone (21 for version 1, +4 a version). */
guint       tertulia_qr_get_size        (TertuliaQr  *self);
/* Whether the module at column @x, row @y (0 ≤ x, y < size) is dark. */
gboolean    tertulia_qr_get_module      (TertuliaQr  *self,
                                         guint        x,
                                         guint        y);

/* The code of @text as lines of Unicode half blocks (“▀”, “▄”, “█” and
 * spaces), each ending in "\n", two modules rows per line, with a quiet zone
 * of TERTULIA_QR_TERMINAL_QUIET_ZONE modules. LIGHT modules are the drawn
 * ones (the terminal's foreground colour) and dark modules are spaces (its
 * background): on the usual light-on-dark terminal that gives dark modules
 * on a light square, the way every QR reader expects. A program printing to
 * a terminal whose colours it does not know should also set them (white
 * foreground on black background) so a light-themed terminal shows the same.
 * Returns NULL when @text does not fit in a QR code.
 */
char       *tertulia_qr_render_terminal (const char  *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TertuliaQr, tertulia_qr_unref)

G_END_DECLS

/* tertulia-qr.c — QR codes of the room's web link, for phones
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-qr"

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <qrencode.h>

#include "tertulia-qr.h"

struct _TertuliaQr
{
  gatomicrefcount  ref_count;
  char            *text;
  /* One byte per module, row after row, as libqrencode gives it; bit 0 is
   * set on dark modules.
   */
  guint8          *modules;
  guint            size;
};

G_DEFINE_BOXED_TYPE (TertuliaQr, tertulia_qr, tertulia_qr_ref, tertulia_qr_unref)

TertuliaQr *
tertulia_qr_new (const char  *text,
                 GError     **error)
{
  g_autoptr(TertuliaQr) self = NULL;
  QRcode *code;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* 8-bit mode keeps the URL's bytes as they are (UTF-8), and level M
   * survives a smudged screen or a glare without making the code large.
   */
  code = QRcode_encodeString8bit (text, 0, QR_ECLEVEL_M);
  if (code == NULL)
    {
      int saved_errno = errno;

      if (saved_errno == ERANGE || saved_errno == EINVAL)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                             _("The link is too long to fit in a QR code."));
      else
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                     _("Could not make the QR code: %s"), g_strerror (saved_errno));
      return NULL;
    }

  self = g_new0 (TertuliaQr, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->text = g_strdup (text);
  self->size = (guint) code->width;
  self->modules = g_memdup2 (code->data, (gsize) self->size * self->size);
  QRcode_free (code);

  return g_steal_pointer (&self);
}

TertuliaQr *
tertulia_qr_ref (TertuliaQr *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
tertulia_qr_unref (TertuliaQr *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_free (self->text);
      g_free (self->modules);
      g_free (self);
    }
}

const char *
tertulia_qr_get_text (TertuliaQr *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->text;
}

guint
tertulia_qr_get_size (TertuliaQr *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->size;
}

gboolean
tertulia_qr_get_module (TertuliaQr *self,
                        guint       x,
                        guint       y)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (x < self->size && y < self->size, FALSE);

  return (self->modules[(gsize) y * self->size + x] & 1) != 0;
}

/* Whether the module at (@x, @y) of the code drawn with a quiet zone of
 * @margin modules is light; outside the drawing it is neither (the
 * terminal's own background), which reads as dark.
 */
static gboolean
is_light (TertuliaQr *self,
          guint       margin,
          guint       x,
          guint       y)
{
  guint side = self->size + 2 * margin;

  if (x >= side || y >= side)
    return FALSE;
  if (x < margin || y < margin || x >= margin + self->size || y >= margin + self->size)
    return TRUE;

  return !tertulia_qr_get_module (self, x - margin, y - margin);
}

char *
tertulia_qr_render_terminal (const char *text)
{
  g_autoptr(TertuliaQr) self = NULL;
  GString *out;
  guint margin = TERTULIA_QR_TERMINAL_QUIET_ZONE;
  guint side;
  guint x, y;

  g_return_val_if_fail (text != NULL, NULL);

  self = tertulia_qr_new (text, NULL);
  if (self == NULL)
    return NULL;

  side = self->size + 2 * margin;
  out = g_string_sized_new ((gsize) (side + 1) * 3 * (side / 2 + 1));

  /* QR sizes are odd, so the last line has a top half only; its bottom half
   * is left to the terminal's background, outside the quiet zone.
   */
  for (y = 0; y < side; y += 2)
    {
      for (x = 0; x < side; x++)
        {
          gboolean top = is_light (self, margin, x, y);
          gboolean bottom = is_light (self, margin, x, y + 1);

          if (top && bottom)
            g_string_append (out, "█");
          else if (top)
            g_string_append (out, "▀");
          else if (bottom)
            g_string_append (out, "▄");
          else
            g_string_append_c (out, ' ');
        }
      g_string_append_c (out, '\n');
    }

  return g_string_free (out, FALSE);
}

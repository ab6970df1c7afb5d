/* test-qr.c — the QR code a phone scans to open the room's web page
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-test-qr"

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "tertulia-qr.h"

/* Pixels per module in the images given to zbarimg, like a phone close
 * enough to the screen.
 */
#define SCALE 8

/* The web links a host shows: IPv4, IPv6, the largest port, and a long
 * one that needs a larger QR version.
 */
static const char * const urls[] = {
  "http://192.168.1.20:7878/",
  "http://[fd00::1]:7878/",
  "http://10.231.0.1:65535/",
  "http://[2001:db8:85a3:8d3:1319:8a2e:370:7348]:7878/",
  "http://192.168.100.200:7878/?room=Sala%20de%20Ana%20y%20Luis&nick=invitado",
};

static const char *
zbarimg_path (void)
{
  static char *path = NULL;

  if (path == NULL)
    path = g_find_program_in_path ("zbarimg");

  return path;
}

/* An image of @width × @height modules, TRUE for dark, scaled ×SCALE. */
typedef gboolean (*ModuleFunc) (gconstpointer data,
                                guint         x,
                                guint         y);

/* Writes the image as a binary PGM (zbarimg reads it; no image library
 * needed) and returns what zbarimg decodes from it, or NULL.
 */
static char *
decode_image (ModuleFunc    module,
              gconstpointer data,
              guint         width,
              guint         height)
{
  g_autoptr(GByteArray) pgm = g_byte_array_new ();
  g_autofree char *header = g_strdup_printf ("P5\n%u %u\n255\n", width * SCALE, height * SCALE);
  g_autofree char *dir = NULL;
  g_autofree char *file = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { zbarimg_path (), "--raw", "-q", "--nodbus", "-Sdisable", "-Sqrcode.enable", NULL, NULL };
  int status = 0;
  guint x, y, i;

  g_byte_array_append (pgm, (const guint8 *) header, strlen (header));
  for (y = 0; y < height * SCALE; y++)
    for (x = 0; x < width; x++)
      {
        guint8 grey = module (data, x, y / SCALE) ? 0 : 255;

        for (i = 0; i < SCALE; i++)
          g_byte_array_append (pgm, &grey, 1);
      }

  dir = g_dir_make_tmp ("tertulia-test-qr-XXXXXX", &error);
  g_assert_no_error (error);
  file = g_build_filename (dir, "code.pgm", NULL);
  g_file_set_contents (file, (const char *) pgm->data, pgm->len, &error);
  g_assert_no_error (error);

  argv[6] = file;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  g_test_message ("zbarimg: status %d, “%s”, stderr “%s”", status, out, err);

  g_unlink (file);
  g_rmdir (dir);

  if (!g_spawn_check_wait_status (status, NULL))
    return NULL;

  /* zbarimg ends each symbol with a newline. */
  if (g_str_has_suffix (out, "\n"))
    out[strlen (out) - 1] = '\0';

  return g_steal_pointer (&out);
}

typedef struct
{
  TertuliaQr *qr;
  guint       margin;
} Framed;

static gboolean
framed_module (gconstpointer data,
               guint         x,
               guint         y)
{
  const Framed *framed = data;
  guint size = tertulia_qr_get_size (framed->qr);

  if (x < framed->margin || y < framed->margin ||
      x >= framed->margin + size || y >= framed->margin + size)
    return FALSE;

  return tertulia_qr_get_module (framed->qr, x - framed->margin, y - framed->margin);
}

/* A phone reads back exactly the URL the host serves the page at. */
static void
test_decode (void)
{
  guint i;

  if (zbarimg_path () == NULL)
    {
      g_test_skip ("zbarimg (Debian zbar-tools) is not installed");
      return;
    }

  for (i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TertuliaQr) qr = tertulia_qr_new (urls[i], &error);
      Framed framed = { NULL, TERTULIA_QR_QUIET_ZONE };
      guint side;
      g_autofree char *decoded = NULL;

      g_assert_no_error (error);
      g_assert_nonnull (qr);
      g_assert_cmpstr (tertulia_qr_get_text (qr), ==, urls[i]);

      framed.qr = qr;
      side = tertulia_qr_get_size (qr) + 2 * TERTULIA_QR_QUIET_ZONE;
      decoded = decode_image (framed_module, &framed, side, side);
      g_assert_cmpstr (decoded, ==, urls[i]);
    }
}

/* The finder patterns are where every reader looks for them: a 7×7 dark
 * ring in three corners, with a light separator around it.
 */
static void
test_matrix (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TertuliaQr) qr = tertulia_qr_new (urls[0], &error);
  guint size;
  guint i;

  g_assert_no_error (error);
  size = tertulia_qr_get_size (qr);
  /* 25 bytes in 8-bit mode at level M need version 2: 25 × 25. */
  g_assert_cmpuint (size, ==, 25);

  for (i = 0; i < 7; i++)
    {
      /* Top-left, top-right and bottom-left rings. */
      g_assert_true (tertulia_qr_get_module (qr, i, 0));
      g_assert_true (tertulia_qr_get_module (qr, 0, i));
      g_assert_true (tertulia_qr_get_module (qr, size - 1 - i, 0));
      g_assert_true (tertulia_qr_get_module (qr, i, size - 1));
    }
  /* Separators, and the light ring inside the finder. */
  g_assert_false (tertulia_qr_get_module (qr, 7, 0));
  g_assert_false (tertulia_qr_get_module (qr, 0, 7));
  g_assert_false (tertulia_qr_get_module (qr, 1, 1));
  g_assert_true (tertulia_qr_get_module (qr, 3, 3));
}

static void
test_too_long (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TertuliaQr) qr = NULL;
  g_autofree char *text = g_strnfill (4000, 'a');
  g_autofree char *rendered = NULL;

  qr = tertulia_qr_new (text, &error);
  g_assert_null (qr);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);

  rendered = tertulia_qr_render_terminal (text);
  g_assert_null (rendered);
}

/* The terminal drawing, read back the way a camera sees a light-on-dark
 * terminal: drawn half blocks are light, spaces and everything around the
 * drawing are the dark background.
 */
typedef struct
{
  GPtrArray *rows;    /* of gboolean* (TRUE: light), one per module row */
  guint      width;
  guint      margin;  /* of terminal background around the drawing */
} Screen;

static gboolean
screen_module (gconstpointer data,
               guint         x,
               guint         y)
{
  const Screen *screen = data;
  const gboolean *row;

  if (x < screen->margin || y < screen->margin)
    return TRUE;
  x -= screen->margin;
  y -= screen->margin;
  if (x >= screen->width || y >= screen->rows->len)
    return TRUE;

  row = g_ptr_array_index (screen->rows, y);
  return !row[x];
}

static void
test_terminal (void)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(TertuliaQr) qr = tertulia_qr_new (urls[i], NULL);
      g_autofree char *rendered = tertulia_qr_render_terminal (urls[i]);
      g_auto(GStrv) lines = NULL;
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
      guint side = tertulia_qr_get_size (qr) + 2 * TERTULIA_QR_TERMINAL_QUIET_ZONE;
      guint n_lines;
      guint y;

      g_assert_nonnull (rendered);
      g_assert_true (g_utf8_validate (rendered, -1, NULL));
      g_assert_true (g_str_has_suffix (rendered, "\n"));
      if (i == 0)
        g_test_message ("\n%s", rendered);

      lines = g_strsplit (rendered, "\n", -1);
      n_lines = g_strv_length (lines) - 1;  /* after the last "\n" */
      g_assert_cmpstr (lines[n_lines], ==, "");

      /* Two module rows a line; the odd last row alone. */
      g_assert_cmpuint (n_lines, ==, (side + 1) / 2);

      for (y = 0; y < n_lines; y++)
        {
          gboolean *top = g_new0 (gboolean, side);
          gboolean *bottom = g_new0 (gboolean, side);
          const char *p;
          guint x = 0;

          g_assert_cmpint (g_utf8_strlen (lines[y], -1), ==, side);

          for (p = lines[y]; *p != '\0'; p = g_utf8_next_char (p), x++)
            {
              gunichar c = g_utf8_get_char (p);

              switch (c)
                {
                case 0x2588: /* █ */
                  top[x] = bottom[x] = TRUE;
                  break;
                case 0x2580: /* ▀ */
                  top[x] = TRUE;
                  break;
                case 0x2584: /* ▄ */
                  bottom[x] = TRUE;
                  break;
                case ' ':
                  break;
                default:
                  g_error ("Unexpected character U+%04X in the terminal QR code", c);
                }
            }

          g_ptr_array_add (rows, top);
          if (rows->len < side)
            g_ptr_array_add (rows, bottom);
          else
            g_free (bottom);
        }

      /* The quiet zone is light: the first row is all drawn. */
      for (y = 0; y < side; y++)
        g_assert_true (((gboolean *) g_ptr_array_index (rows, 0))[y]);
      g_assert_cmpuint (rows->len, ==, side);

      if (zbarimg_path () != NULL)
        {
          Screen screen = { rows, side, 6 };
          g_autofree char *decoded = NULL;

          decoded = decode_image (screen_module, &screen,
                                  side + 2 * screen.margin, rows->len + 2 * screen.margin);
          g_assert_cmpstr (decoded, ==, urls[i]);
        }
    }

  if (zbarimg_path () == NULL)
    g_test_message ("zbarimg (Debian zbar-tools) is not installed, so the drawing was only measured");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/qr/decode", test_decode);
  g_test_add_func ("/qr/matrix", test_matrix);
  g_test_add_func ("/qr/too-long", test_too_long);
  g_test_add_func ("/qr/terminal", test_terminal);

  return g_test_run ();
}

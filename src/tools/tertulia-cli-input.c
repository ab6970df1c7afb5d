/* tertulia-cli-input.c — what is typed, read as it is typed (issue 19)
 *
 * To say that someone is typing, the terminal guest must see keys before
 * Enter: on a terminal it turns off the line discipline's own editing
 * (ICANON) and echo, and does both itself (Backspace, Ctrl+U, Ctrl+D on
 * an empty line). Signals (Ctrl+C, Ctrl+Z) stay the terminal's. With
 * --no-typing, or when the input is not a terminal, the terminal is left
 * as it is and only whole lines are cut from what comes.
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-cli"

#include "config.h"

#include <stdio.h>
#include <termios.h>
#include <unistd.h>

#include "tertulia-cli-private.h"

#define READ_SIZE 4096
/* A line longer than this is cut (the host takes 4000 characters) */
#define MAX_LINE_BYTES (64 * 1024)

struct _TertuliaCliInput
{
  GInputStream          *stream;
  GCancellable          *cancellable;
  TertuliaCliInputLine   line_func;
  TertuliaCliInputTyped  typed_func;
  gpointer               user_data;

  GString               *pending;     /* typed, no Enter yet */
  guint8                 buffer[READ_SIZE];
  struct termios         saved;
  gboolean               editing;     /* the terminal is ours to echo and edit */
  gboolean               shown;       /* pending is drawn on the last line */
  guint                  escape;      /* inside an escape sequence (arrow keys): 1 ESC, 2 CSI */
};

TertuliaCliInput *
_tertulia_cli_input_new (GInputStream          *stream,
                         gboolean               edit,
                         TertuliaCliInputLine   line_func,
                         TertuliaCliInputTyped  typed_func,
                         gpointer               user_data)
{
  TertuliaCliInput *input = g_new0 (TertuliaCliInput, 1);

  input->stream = g_object_ref (stream);
  input->cancellable = g_cancellable_new ();
  input->line_func = line_func;
  input->typed_func = typed_func;
  input->user_data = user_data;
  input->pending = g_string_new (NULL);

  if (edit && isatty (STDIN_FILENO) && tcgetattr (STDIN_FILENO, &input->saved) == 0)
    {
      struct termios raw = input->saved;

      raw.c_lflag &= ~(tcflag_t) (ICANON | ECHO);
      raw.c_cc[VMIN] = 1;
      raw.c_cc[VTIME] = 0;
      input->editing = tcsetattr (STDIN_FILENO, TCSANOW, &raw) == 0;
    }

  return input;
}

void
_tertulia_cli_input_restore (TertuliaCliInput *input)
{
  if (input != NULL && input->editing)
    {
      tcsetattr (STDIN_FILENO, TCSANOW, &input->saved);
      input->editing = FALSE;
    }
}

void
_tertulia_cli_input_free (TertuliaCliInput *input)
{
  if (input == NULL)
    return;

  g_cancellable_cancel (input->cancellable);
  _tertulia_cli_input_restore (input);
  g_clear_object (&input->cancellable);
  g_clear_object (&input->stream);
  g_string_free (input->pending, TRUE);
  g_free (input);
}

gboolean
_tertulia_cli_input_get_editing (TertuliaCliInput *input)
{
  return input != NULL && input->editing;
}

/* The typed text goes off the last line, for a line to be printed there */
void
_tertulia_cli_input_hide (TertuliaCliInput *input)
{
  if (input == NULL || !input->shown)
    return;

  g_print ("\r\033[K");
  input->shown = FALSE;
}

/* ...and back */
void
_tertulia_cli_input_show (TertuliaCliInput *input)
{
  g_autofree char *clean = NULL;

  if (input == NULL || !input->editing || input->shown || input->pending->len == 0)
    return;

  clean = g_utf8_make_valid (input->pending->str, input->pending->len);
  g_print ("%s", clean);
  fflush (stdout);
  input->shown = TRUE;
}

gboolean
_tertulia_cli_input_has_text (TertuliaCliInput *input)
{
  return input != NULL && input->pending->len > 0;
}

gboolean
_tertulia_cli_input_is_command (TertuliaCliInput *input)
{
  const char *text = input->pending->str;

  while (g_ascii_isspace (*text))
    text++;

  return text[0] == '/' && text[1] != '/';
}

static void
typed_changed (TertuliaCliInput *input,
               gboolean          had_text)
{
  gboolean has_text = input->pending->len > 0;

  if (input->typed_func != NULL && (has_text || had_text))
    input->typed_func (has_text, input->user_data);
}

static void
end_line (TertuliaCliInput *input)
{
  g_autofree char *line = g_strndup (input->pending->str, input->pending->len);
  gsize length = input->pending->len;

  if (length > 0 && line[length - 1] == '\r')
    line[length - 1] = '\0';

  g_string_truncate (input->pending, 0);
  if (input->editing)
    g_print ("\n");
  input->shown = FALSE;

  input->line_func (line, g_utf8_validate (line, -1, NULL), input->user_data);
}

/* Backspace: one character, not one byte */
static void
erase_char (TertuliaCliInput *input)
{
  const char *start = input->pending->str;
  const char *end = start + input->pending->len;
  const char *previous;

  if (input->pending->len == 0)
    return;

  previous = g_utf8_find_prev_char (start, end);
  g_string_truncate (input->pending, previous != NULL ? (gsize) (previous - start) : 0);
  if (input->editing)
    g_print ("\b \b");
}

/* FALSE when the input ended (Ctrl+D on an empty line) */
static gboolean
take_byte (TertuliaCliInput *input,
           guint8            byte)
{
  if (!input->editing)
    {
      if (byte == '\n')
        end_line (input);
      else if (input->pending->len < MAX_LINE_BYTES)
        g_string_append_c (input->pending, (char) byte);
      return TRUE;
    }

  /* Arrow keys and the like: ESC [ … final byte, or ESC O x */
  if (input->escape == 1)
    {
      input->escape = (byte == '[' || byte == 'O') ? 2 : 0;
      return TRUE;
    }
  if (input->escape == 2)
    {
      if (byte >= 0x40 && byte <= 0x7e)
        input->escape = 0;
      return TRUE;
    }

  switch (byte)
    {
    case '\n':
    case '\r':
      end_line (input);
      break;

    case 0x1b:
      input->escape = 1;
      break;

    case 0x7f:
    case 0x08:
      erase_char (input);
      break;

    case 0x15:  /* Ctrl+U */
      _tertulia_cli_input_hide (input);
      g_string_truncate (input->pending, 0);
      break;

    case 0x04:  /* Ctrl+D */
      if (input->pending->len == 0)
        return FALSE;
      break;

    default:
      if ((byte < 0x20 && byte != '\t') || input->pending->len >= MAX_LINE_BYTES)
        break;
      /* Before the first character shows: the status line goes */
      if (input->pending->len == 0 && input->typed_func != NULL)
        input->typed_func (TRUE, input->user_data);
      g_string_append_c (input->pending, (char) byte);
      /* The echo, whole characters at a time: the terminal can draw them */
      if (byte < 0x80 || (byte & 0xc0) == 0x80)
        {
          const char *last = g_utf8_find_prev_char (input->pending->str,
                                                    input->pending->str + input->pending->len);

          if (byte < 0x80)
            g_print ("%c", byte);
          else if (last != NULL && g_utf8_get_char_validated (last, -1) < (gunichar) -2)
            g_print ("%s", last);
        }
      input->shown = TRUE;
      break;
    }

  return TRUE;
}

static void read_more (TertuliaCliInput *input);

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  TertuliaCliInput *input = user_data;
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);
  gboolean had_text;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (n <= 0)
    {
      /* The end of the input (Ctrl+D in a cooked terminal, a pipe that
       * closed): a last line without its newline still goes out
       */
      if (input->pending->len > 0)
        end_line (input);
      input->line_func (NULL, TRUE, input->user_data);
      return;
    }

  for (gssize i = 0; i < n; i++)
    {
      had_text = input->pending->len > 0;

      if (!take_byte (input, input->buffer[i]))
        {
          input->line_func (NULL, TRUE, input->user_data);
          return;
        }

      /* The line may have left (quit), taking the input with it */
      if (g_cancellable_is_cancelled (input->cancellable))
        return;

      if (input->buffer[i] != '\n' && input->buffer[i] != '\r')
        typed_changed (input, had_text);
    }
  fflush (stdout);

  read_more (input);
}

static void
read_more (TertuliaCliInput *input)
{
  g_input_stream_read_async (input->stream, input->buffer, sizeof input->buffer,
                             G_PRIORITY_DEFAULT, input->cancellable, read_cb, input);
}

void
_tertulia_cli_input_start (TertuliaCliInput *input)
{
  read_more (input);
}

void
_tertulia_cli_input_stop (TertuliaCliInput *input)
{
  if (input != NULL)
    g_cancellable_cancel (input->cancellable);
}

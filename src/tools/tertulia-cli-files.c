/* tertulia-cli-files.c — /send and /save: sharing files from the terminal
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-cli"

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

#include "tertulia-client.h"
#include "tertulia-protocol-files.h"

#include "tertulia-cli-private.h"

/* What a partial download is called next to where it will end up */
#define PART_SUFFIX ".part"

struct _TertuliaCliFiles
{
  /* Borrowed */
  TertuliaClient *client;

  /* Owned */
  GPtrArray      *numbered;      /* of TertuliaMessage*, file #N at N - 1 */
  GQueue          to_send;       /* of char* paths, waiting their turn */
  GCancellable   *cancellable;   /* the transfers under way; Ctrl+C cancels */
  char           *sending;       /* the name being sent, or NULL */
  guint           n_saving;

  gboolean        colour;
  gboolean        tty;
  /* Something is drawn on the status line */
  gboolean        status_shown;
};

typedef struct
{
  TertuliaCliFiles *files;
  char             *name;
  GFile            *part;
  GFile            *dir;
  char             *final_name;
} Saving;

static void
saving_free (Saving *saving)
{
  g_free (saving->name);
  g_clear_object (&saving->part);
  g_clear_object (&saving->dir);
  g_free (saving->final_name);
  g_free (saving);
}

TertuliaCliFiles *
_tertulia_cli_files_new (TertuliaClient *client,
                         gboolean        colour)
{
  TertuliaCliFiles *files = g_new0 (TertuliaCliFiles, 1);

  files->client = client;
  files->numbered = g_ptr_array_new_with_free_func (g_object_unref);
  g_queue_init (&files->to_send);
  files->cancellable = g_cancellable_new ();
  files->colour = colour;
  files->tty = isatty (STDOUT_FILENO);

  return files;
}

void
_tertulia_cli_files_free (TertuliaCliFiles *files)
{
  g_cancellable_cancel (files->cancellable);
  g_clear_object (&files->cancellable);
  g_queue_clear_full (&files->to_send, g_free);
  g_ptr_array_unref (files->numbered);
  g_free (files->sending);
  g_free (files);
}

void
_tertulia_cli_files_clear_status (TertuliaCliFiles *files)
{
  if (files == NULL || !files->status_shown)
    return;

  g_print ("\r\033[K");
  files->status_shown = FALSE;
}

static void
say (TertuliaCliFiles *files,
     const char       *text)
{
  g_autofree char *clean = _tertulia_cli_sanitize_for_terminal (text);

  _tertulia_cli_files_clear_status (files);
  if (files->colour)
    g_print ("\033[2m*** %s\033[0m\n", clean);
  else
    g_print ("*** %s\n", clean);
}

static void
show_progress (goffset  current,
               goffset  total,
               gpointer user_data)
{
  TertuliaCliFiles *files = user_data;
  g_autofree char *done = g_format_size ((guint64) current);
  g_autofree char *all = g_format_size ((guint64) total);
  g_autofree char *name = NULL;
  g_autofree char *line = NULL;
  guint percent = total > 0 ? (guint) (current * 100 / total) : 100;

  /* A pipe gets no progress: it would be a line every tenth of a second */
  if (!files->tty)
    return;

  name = _tertulia_cli_sanitize_for_terminal (files->sending != NULL ? files->sending : "");
  if (files->sending != NULL)
    /* Translators: the status line while a file is sent; %s the file's
     * name, %u%% how much is done, then "1.2 GB of 2.0 GB"
     */
    line = g_strdup_printf (_("Sending %s: %u%% (%s of %s) — Ctrl+C cancels"), name, percent, done, all);
  else
    /* Translators: the status line while a file is saved */
    line = g_strdup_printf (_("Saving: %u%% (%s of %s) — Ctrl+C cancels"), percent, done, all);

  g_print ("\r\033[K%s", line);
  files->status_shown = TRUE;
}


/* Describing files in the log */

static guint
number_of (TertuliaCliFiles *files,
           TertuliaMessage  *message)
{
  guint index;

  if (!g_ptr_array_find (files->numbered, message, &index))
    {
      g_ptr_array_add (files->numbered, g_object_ref (message));
      index = files->numbered->len - 1;
    }

  return index + 1;
}

char *
_tertulia_cli_files_describe (TertuliaCliFiles *files,
                              TertuliaMessage  *message)
{
  const TertuliaFileInfo *file = tertulia_message_get_file (message);
  g_autofree char *author = _tertulia_cli_sanitize_for_terminal (tertulia_message_get_author (message));
  g_autofree char *name = _tertulia_cli_sanitize_for_terminal (file->name);
  g_autofree char *type = _tertulia_cli_sanitize_for_terminal (file->type);
  g_autofree char *size = g_format_size ((guint64) file->size);
  g_autofree char *details = NULL;

  if (file->width > 0 && file->height > 0)
    details = g_strdup_printf ("%s %" G_GINT64_FORMAT "×%" G_GINT64_FORMAT, type, file->width, file->height);
  else
    details = g_strdup (type);

  /* Translators: a shared file in the log: "#12 <ana> sent photo.jpg
   * (1.2 MB, image/jpeg 800×600)"; %u is the number /save takes
   */
  return g_strdup_printf (_("#%u <%s> sent %s (%s, %s)"), number_of (files, message), author, name, size, details);
}


/* /send */

static void send_next (TertuliaCliFiles *files);

static void
upload_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  TertuliaCliFiles *files = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = tertulia_client_upload_file_finish (TERTULIA_CLIENT (object), result, &error);
  g_autofree char *text = NULL;

  if (id == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        /* Translators: %s is a file's name */
        text = g_strdup_printf (_("Stopped sending %s."), files->sending);
      else
        /* Translators: the first %s is a file's name, the second why */
        text = g_strdup_printf (_("Could not send %s: %s"), files->sending, error->message);
      say (files, text);
    }
  else
    {
      _tertulia_cli_files_clear_status (files);
    }

  g_clear_pointer (&files->sending, g_free);
  send_next (files);
}

static void
send_next (TertuliaCliFiles *files)
{
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;

  if (files->sending != NULL)
    return;

  path = g_queue_pop_head (&files->to_send);
  if (path == NULL)
    return;

  file = g_file_new_for_commandline_arg (path);
  files->sending = g_file_get_basename (file);
  tertulia_client_upload_file_async (files->client, file, NULL, files->cancellable,
                                     show_progress, files, upload_cb, files);
}

static void
run_send (TertuliaCliFiles *files,
          const char       *arguments)
{
  g_auto(GStrv) paths = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_shell_parse_argv (arguments, NULL, &paths, &error))
    {
      say (files, _("Usage: /send FILE… (names with spaces in quotes)"));
      return;
    }

  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (paths[i]);

      if (g_file_query_file_type (file, G_FILE_QUERY_INFO_NONE, NULL) != G_FILE_TYPE_REGULAR)
        {
          g_autofree char *text = NULL;

          /* Translators: %s is what was typed after /send */
          text = g_strdup_printf (_("%s is not a file that can be sent."), paths[i]);
          say (files, text);
          continue;
        }
      g_queue_push_tail (&files->to_send, g_strdup (paths[i]));
    }

  send_next (files);
}


/* /save */

/* "name.ext", or "name (1).ext", "name (2).ext"… whichever is free */
static GFile *
free_name_in (GFile      *dir,
              const char *name,
              char      **chosen)
{
  const char *dot = strrchr (name, '.');
  g_autofree char *stem = dot != NULL && dot != name ? g_strndup (name, (gsize) (dot - name)) : g_strdup (name);
  const char *extension = dot != NULL && dot != name ? dot : "";

  for (guint i = 0; ; i++)
    {
      g_autofree char *candidate = i == 0 ? g_strdup (name)
                                          : g_strdup_printf ("%s (%u)%s", stem, i, extension);
      g_autoptr(GFile) file = g_file_get_child (dir, candidate);

      if (!g_file_query_exists (file, NULL))
        {
          *chosen = g_steal_pointer (&candidate);
          return g_steal_pointer (&file);
        }
    }
}

static void
download_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Saving *saving = user_data;
  TertuliaCliFiles *files = saving->files;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  files->n_saving--;

  if (tertulia_client_download_file_finish (TERTULIA_CLIENT (object), result, &error))
    {
      g_autoptr(GFile) final = NULL;
      g_autofree char *chosen = NULL;
      g_autofree char *path = NULL;

      /* Never over another file: the first free name, at the moment of
       * the move
       */
      do
        {
          g_clear_object (&final);
          g_clear_pointer (&chosen, g_free);
          g_clear_error (&error);
          final = free_name_in (saving->dir, saving->name, &chosen);
        }
      while (!g_file_move (saving->part, final, G_FILE_COPY_NONE, NULL, NULL, NULL, &error) &&
             g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS));

      path = g_file_get_parse_name (final);
      if (error != NULL)
        /* Translators: the first %s is a file's name, the second why */
        text = g_strdup_printf (_("Could not save %s: %s"), saving->name, error->message);
      else
        /* Translators: %s is where the file was saved */
        text = g_strdup_printf (_("Saved %s"), path);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    /* Translators: %s is a file's name */
    text = g_strdup_printf (_("Stopped saving %s; /save it again to go on."), saving->name);
  else
    text = g_strdup_printf (_("Could not save %s: %s"), saving->name, error->message);

  say (files, text);
  saving_free (saving);
}

static TertuliaMessage *
find_file (TertuliaCliFiles *files,
           const char       *which)
{
  guint64 number;

  if (g_ascii_string_to_unsigned (which, 10, 1, files->numbered->len, &number, NULL))
    return g_ptr_array_index (files->numbered, number - 1);

  if (tertulia_file_id_is_valid (which))
    return tertulia_room_find_file_message (tertulia_client_get_room (files->client), which);

  return NULL;
}

static void
run_save (TertuliaCliFiles *files,
          const char       *arguments)
{
  g_auto(GStrv) words = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) dir = NULL;
  g_autofree char *part_name = NULL;
  TertuliaMessage *message;
  const TertuliaFileInfo *file;
  Saving *saving;

  if (!g_shell_parse_argv (arguments, NULL, &words, &error) || g_strv_length (words) > 2)
    {
      say (files, _("Usage: /save N [FOLDER], N being the file’s number in the log"));
      return;
    }

  message = find_file (files, words[0]);
  if (message == NULL)
    {
      g_autofree char *text = NULL;

      /* Translators: %s is what was typed after /save */
      text = g_strdup_printf (_("There is no file #%s in the log."), words[0]);
      say (files, text);
      return;
    }

  file = tertulia_message_get_file (message);
  if (tertulia_message_get_file_removed (message))
    {
      say (files, _("That file was removed from the room."));
      return;
    }

  dir = g_file_new_for_commandline_arg (words[1] != NULL ? words[1] : ".");
  if (g_file_query_file_type (dir, G_FILE_QUERY_INFO_NONE, NULL) != G_FILE_TYPE_DIRECTORY)
    {
      g_autofree char *text = NULL;

      /* Translators: %s is the folder typed after /save N */
      text = g_strdup_printf (_("%s is not a folder."), words[1]);
      say (files, text);
      return;
    }

  saving = g_new0 (Saving, 1);
  saving->files = files;
  saving->dir = g_steal_pointer (&dir);
  /* Sanitized again here: a name is a path on this computer now */
  saving->name = tertulia_file_name_sanitize (file->name);
  /* A part left by an interrupted /save is resumed */
  part_name = g_strconcat (saving->name, PART_SUFFIX, NULL);
  saving->part = g_file_get_child (saving->dir, part_name);

  files->n_saving++;
  tertulia_client_download_file_async (files->client, file->id, saving->part, files->cancellable,
                                       show_progress, files, download_cb, saving);
}


/* The commands */

gboolean
_tertulia_cli_files_run (TertuliaCliFiles *files,
                         const char       *line)
{
  const char *rest;

  while (g_ascii_isspace (*line))
    line++;

  if (g_str_has_prefix (line, "/send") && (line[5] == '\0' || g_ascii_isspace (line[5])))
    rest = line + 5;
  else if (g_str_has_prefix (line, "/save") && (line[5] == '\0' || g_ascii_isspace (line[5])))
    rest = line + 5;
  else
    return FALSE;

  while (g_ascii_isspace (*rest))
    rest++;

  if (line[3] == 'n')
    {
      if (*rest == '\0')
        say (files, _("Usage: /send FILE… (names with spaces in quotes)"));
      else
        run_send (files, rest);
    }
  else
    {
      if (*rest == '\0')
        say (files, _("Usage: /save N [FOLDER], N being the file’s number in the log"));
      else
        run_save (files, rest);
    }

  return TRUE;
}

gboolean
_tertulia_cli_files_cancel (TertuliaCliFiles *files)
{
  if (files->sending == NULL && files->n_saving == 0 && g_queue_is_empty (&files->to_send))
    return FALSE;

  g_queue_clear_full (&files->to_send, g_free);
  g_queue_init (&files->to_send);
  g_cancellable_cancel (files->cancellable);
  g_clear_object (&files->cancellable);
  files->cancellable = g_cancellable_new ();

  return TRUE;
}

const char *
_tertulia_cli_files_help_text (void)
{
  /* Translators: the /help lines of the file commands; keep /send and
   * /save as they are
   */
  return _("/send FILE… — share files with the room (Ctrl+C stops)\n"
           "/save N [FOLDER] — save shared file #N (goes on where it stopped)");
}

/* tertulia-cli-private.h — what the files of tertulia-cli share
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "tertulia-client.h"
#include "tertulia-command.h"

G_BEGIN_DECLS

/* Exit codes, also documented in --help. */
enum {
  EXIT_OK = 0,
  EXIT_USAGE = 1,
  EXIT_CONNECT_FAILED = 2,  /* also: --discover could not look (no Avahi) */
};

/* @text (from the wire) made safe to print: control and format characters
 * become U+FFFD, a newline starts an indented line.
 */
char *_tertulia_cli_sanitize_for_terminal (const char *text);

/* --discover: lists the rooms found within @seconds; an exit code. */
int   _tertulia_cli_discover_rooms        (guint       seconds);

/* tertulia-cli-files.c: /send and /save */
typedef struct _TertuliaCliFiles TertuliaCliFiles;

TertuliaCliFiles *_tertulia_cli_files_new          (TertuliaClient   *client,
                                                    gboolean          colour);
void              _tertulia_cli_files_free         (TertuliaCliFiles *files);
/* TRUE if @line was /send or /save (it ran) */
gboolean          _tertulia_cli_files_run          (TertuliaCliFiles *files,
                                                    const char       *line);
/* The log's line for a shared file, printable */
char             *_tertulia_cli_files_describe     (TertuliaCliFiles *files,
                                                    TertuliaMessage  *message);
/* Stops the transfers under way (Ctrl+C): TRUE if there were any */
gboolean          _tertulia_cli_files_cancel       (TertuliaCliFiles *files);
/* Before a line is printed: the progress shown goes */
void              _tertulia_cli_files_clear_status (TertuliaCliFiles *files);
const char       *_tertulia_cli_files_help_text    (void);
/* tertulia-cli-history.c: /history and /search */
typedef struct _TertuliaCliHistory TertuliaCliHistory;

/* Prints a row of the log as the chat does */
typedef void (*TertuliaCliPrintMessage) (TertuliaMessage *message,
                                         gpointer         user_data);
/* Prints a line made safe already; @notice: one of ours, not the room's */
typedef void (*TertuliaCliPrintLine)    (const char      *line,
                                         gboolean         notice,
                                         gpointer         user_data);

TertuliaCliHistory *_tertulia_cli_history_new       (TertuliaClient          *client,
                                                     TertuliaCliPrintMessage  print_message,
                                                     TertuliaCliPrintLine     print_line,
                                                     gpointer                 user_data);
void                _tertulia_cli_history_free      (TertuliaCliHistory      *self);
/* TRUE when @line was /history or /search (and was run) */
gboolean            _tertulia_cli_history_run_line  (TertuliaCliHistory      *self,
                                                     const char              *line);
/* Whether @message is a row of the page under way, which /history or
 * /search prints (or not) itself, rather than a new one
 */
gboolean            _tertulia_cli_history_is_older_row (TertuliaCliHistory *self,
                                                        TertuliaMessage    *message);
/* The /help lines of those two, translated */
const char         *_tertulia_cli_history_help_text (void);

/* tertulia-cli-moderation.c (issue 18): /kick, /ban, /bans, /unban, /mute,
 * /slow, /lock, /op, … and /msg; private messages printed apart
 */
typedef struct _TertuliaCliModeration TertuliaCliModeration;

TertuliaCliModeration *_tertulia_cli_moderation_new  (TertuliaClient         *client,
                                                      TertuliaCliPrintLine    print_line,
                                                      gpointer                user_data);
void                   _tertulia_cli_moderation_free (TertuliaCliModeration  *self);
/* Runs one of issue 18's commands; FALSE with a translated @error */
gboolean               _tertulia_cli_moderation_run  (TertuliaCliModeration  *self,
                                                      const TertuliaCommand  *command,
                                                      GError                **error);

G_END_DECLS

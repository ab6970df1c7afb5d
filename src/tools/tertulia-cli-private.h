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

/* tertulia-cli-tls.c: the loud warning of a host whose fingerprint is
 * not the expected one, with both fingerprints for people to compare
 */
void  _tertulia_cli_print_fingerprint_mismatch (TertuliaClient *client,
                                                gboolean        trusting);
/* The host presented another fingerprint than the expected one (or none) */
gboolean _tertulia_cli_fingerprint_changed      (TertuliaClient *client);
/* "The connection is (not) encrypted…", for the notice on joining */
char *_tertulia_cli_dup_encryption_notice      (TertuliaClient *client);

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
/* tertulia-cli-input.c: what is typed, as it is typed (issue 19) */
typedef struct _TertuliaCliInput TertuliaCliInput;

/* A line typed (@valid: it is UTF-8), or NULL at the end of the input */
typedef void (*TertuliaCliInputLine)  (const char *line,
                                       gboolean    valid,
                                       gpointer    user_data);
/* Whether something is typed and not sent yet; called as it changes, and
 * with TRUE again for every key typed
 */
typedef void (*TertuliaCliInputTyped) (gboolean    has_text,
                                       gpointer    user_data);

/* @edit: on a terminal, read keys as they are typed (echo and editing
 * done here); otherwise whole lines
 */
TertuliaCliInput *_tertulia_cli_input_new        (GInputStream          *stream,
                                                  gboolean               edit,
                                                  TertuliaCliInputLine   line_func,
                                                  TertuliaCliInputTyped  typed_func,
                                                  gpointer               user_data);
void              _tertulia_cli_input_start      (TertuliaCliInput      *input);
void              _tertulia_cli_input_stop       (TertuliaCliInput      *input);
/* The terminal as it was (also done by free) */
void              _tertulia_cli_input_restore    (TertuliaCliInput      *input);
void              _tertulia_cli_input_free       (TertuliaCliInput      *input);
gboolean          _tertulia_cli_input_get_editing (TertuliaCliInput     *input);
gboolean          _tertulia_cli_input_has_text   (TertuliaCliInput      *input);
/* What is typed so far is a /command, not a message */
gboolean          _tertulia_cli_input_is_command (TertuliaCliInput      *input);
/* Around a line printed: what is typed leaves the last line, and comes back */
void              _tertulia_cli_input_hide       (TertuliaCliInput      *input);
void              _tertulia_cli_input_show       (TertuliaCliInput      *input);

/* tertulia-cli-conversation.c: /reply, /react, /unreact, /edit, /delete,
 * how replies, edits, deletions and reactions look, "ana is typing…"
 */
typedef struct _TertuliaCliConversation TertuliaCliConversation;

TertuliaCliConversation *_tertulia_cli_conversation_new     (TertuliaClient          *client,
                                                             gboolean                 status_line,
                                                             TertuliaCliPrintMessage  reprint,
                                                             TertuliaCliPrintLine     print_line,
                                                             gpointer                 user_data);
void        _tertulia_cli_conversation_free         (TertuliaCliConversation *self);
/* TRUE if @line was one of its commands (and was run) */
gboolean    _tertulia_cli_conversation_run_line     (TertuliaCliConversation *self,
                                                     const char              *line);
/* A message's text as the log shows it, printable: "[message deleted]",
 * or the text with " (edited)" and " [👍 2 ❤ 1]"
 */
char       *_tertulia_cli_conversation_describe     (TertuliaMessage         *message);
/* "↳ ana: first line" for a reply, printable; NULL for the rest */
char       *_tertulia_cli_conversation_dup_quote    (TertuliaMessage         *message);
/* The status line ("ana is typing…"): off the last line before a line is
 * printed, back after; TRUE when it was shown
 */
void        _tertulia_cli_conversation_hide_status  (TertuliaCliConversation *self);
void        _tertulia_cli_conversation_show_status  (TertuliaCliConversation *self);
/* Something is typed here: no status line over it */
void        _tertulia_cli_conversation_set_typing   (TertuliaCliConversation *self,
                                                     gboolean                 typing);

G_END_DECLS

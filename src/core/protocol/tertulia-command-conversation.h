/* tertulia-command-conversation.h — /reply, /react, /unreact, /edit and
 * /delete, shared by the app and the terminal guest (issue 19)
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tertulia-command.h"

G_BEGIN_DECLS

typedef enum
{
  TERTULIA_CONVERSATION_COMMAND_REPLY,    /* /reply N TEXT, /responder */
  TERTULIA_CONVERSATION_COMMAND_REACT,    /* /react N EMOJI, /reaccionar, /reagir */
  TERTULIA_CONVERSATION_COMMAND_UNREACT,  /* /unreact N EMOJI, /desreaccionar, /desreagir */
  TERTULIA_CONVERSATION_COMMAND_EDIT,     /* /edit N TEXT, /editar */
  TERTULIA_CONVERSATION_COMMAND_DELETE,   /* /delete N, /borrar, /eliminar, /apagar */
} TertuliaConversationCommandType;

typedef struct
{
  TertuliaConversationCommandType  type;
  gint64                           seq;       /* N, the message's seq ("#N" or "N") */
  char                            *argument;  /* TEXT or EMOJI, trimmed; NULL for /delete */
} TertuliaConversationCommand;

/* FALSE when @line is none of these commands (anything else: try
 * tertulia_command_parse()). TRUE when it is one: then either *@command is
 * set, or it is NULL and @error (TERTULIA_COMMAND_ERROR, translated) says
 * what is missing.
 */
gboolean     tertulia_command_parse_conversation (const char                   *line,
                                                  TertuliaConversationCommand **command,
                                                  GError                      **error);
void         tertulia_conversation_command_free  (TertuliaConversationCommand  *command);
/* Their lines of /help, translated */
const char  *tertulia_command_conversation_help_text (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TertuliaConversationCommand, tertulia_conversation_command_free)

G_END_DECLS

/* tertulia-command-conversation.c — /reply, /react, /unreact, /edit and
 * /delete (issue 19)
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-command"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tertulia-command-conversation.h"

/* Like the other commands, in Spanish and Portuguese too */
static const struct {
  const char                      *name;
  TertuliaConversationCommandType  type;
} names[] = {
  { "reply", TERTULIA_CONVERSATION_COMMAND_REPLY },
  { "responder", TERTULIA_CONVERSATION_COMMAND_REPLY },
  { "react", TERTULIA_CONVERSATION_COMMAND_REACT },
  { "reaccionar", TERTULIA_CONVERSATION_COMMAND_REACT },
  { "reagir", TERTULIA_CONVERSATION_COMMAND_REACT },
  { "unreact", TERTULIA_CONVERSATION_COMMAND_UNREACT },
  { "desreaccionar", TERTULIA_CONVERSATION_COMMAND_UNREACT },
  { "desreagir", TERTULIA_CONVERSATION_COMMAND_UNREACT },
  { "edit", TERTULIA_CONVERSATION_COMMAND_EDIT },
  { "editar", TERTULIA_CONVERSATION_COMMAND_EDIT },
  { "delete", TERTULIA_CONVERSATION_COMMAND_DELETE },
  { "borrar", TERTULIA_CONVERSATION_COMMAND_DELETE },
  { "eliminar", TERTULIA_CONVERSATION_COMMAND_DELETE },
  { "apagar", TERTULIA_CONVERSATION_COMMAND_DELETE },
};

void
tertulia_conversation_command_free (TertuliaConversationCommand *command)
{
  if (command == NULL)
    return;

  g_free (command->argument);
  g_free (command);
}

static gboolean
missing (const char  *usage,
         GError     **error)
{
  /* Translators: %s is how the command is used, such as “/react 12 👍” */
  g_set_error (error, TERTULIA_COMMAND_ERROR, TERTULIA_COMMAND_ERROR_MISSING_ARGUMENT,
               _("Write it as “%s”: the number is the one after the message’s time."), usage);
  return TRUE;
}

static const char *
usage_of (TertuliaConversationCommandType type)
{
  if (type == TERTULIA_CONVERSATION_COMMAND_REPLY)
    /* Translators: an example of /reply; translate the message, keep “/reply 12” */
    return _("/reply 12 I agree");
  if (type == TERTULIA_CONVERSATION_COMMAND_REACT)
    return "/react 12 👍";
  if (type == TERTULIA_CONVERSATION_COMMAND_UNREACT)
    return "/unreact 12 👍";
  if (type == TERTULIA_CONVERSATION_COMMAND_EDIT)
    /* Translators: an example of /edit; translate the message, keep “/edit 12” */
    return _("/edit 12 the corrected text");
  return "/delete 12";
}

gboolean
tertulia_command_parse_conversation (const char                   *line,
                                     TertuliaConversationCommand **command,
                                     GError                      **error)
{
  g_autofree char *name = NULL;
  g_autofree char *rest = NULL;
  g_autofree char *number = NULL;
  TertuliaConversationCommandType type;
  const char *name_end;
  const char *digits;
  const char *argument;
  gboolean found = FALSE;
  char *end = NULL;
  gint64 seq;

  g_return_val_if_fail (line != NULL, FALSE);
  g_return_val_if_fail (command != NULL && *command == NULL, FALSE);

  while (g_ascii_isspace (*line))
    line++;
  if (line[0] != '/' || line[1] == '/')
    return FALSE;

  name_end = line + 1;
  while (*name_end != '\0' && !g_ascii_isspace (*name_end))
    name_end++;
  name = g_ascii_strdown (line + 1, name_end - (line + 1));

  for (guint i = 0; i < G_N_ELEMENTS (names) && !found; i++)
    if (g_str_equal (name, names[i].name))
      {
        type = names[i].type;
        found = TRUE;
      }

  if (!found)
    return FALSE;

  /* "12" or "#12", then the rest */
  rest = g_strstrip (g_strdup (name_end));
  digits = rest[0] == '#' ? rest + 1 : rest;
  seq = g_ascii_strtoll (digits, &end, 10);
  if (end == digits || seq < 1 || (*end != '\0' && !g_ascii_isspace (*end)))
    return missing (usage_of (type), error);

  argument = end;
  while (g_ascii_isspace (*argument))
    argument++;

  if (type == TERTULIA_CONVERSATION_COMMAND_DELETE ? argument[0] != '\0' : argument[0] == '\0')
    return missing (usage_of (type), error);

  *command = g_new0 (TertuliaConversationCommand, 1);
  (*command)->type = type;
  (*command)->seq = seq;
  if (type != TERTULIA_CONVERSATION_COMMAND_DELETE)
    (*command)->argument = g_strchomp (g_strdup (argument));

  return TRUE;
}

const char *
tertulia_command_conversation_help_text (void)
{
  static char *help_text = NULL;

  if (g_once_init_enter (&help_text))
    {
      char *text = g_strjoin ("\n",
                              /* Translators: lines of the /help text. Keep the commands
                               * as they are; N, TEXT and EMOJI may be translated.
                               */
                              _("/reply N TEXT — answer message N (the number after its time)"),
                              _("/react N EMOJI — react to message N; /unreact N EMOJI takes it back"),
                              _("/edit N TEXT — change your message N"),
                              _("/delete N — delete your message N"),
                              NULL);

      g_once_init_leave (&help_text, text);
    }

  return help_text;
}

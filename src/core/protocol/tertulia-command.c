/* tertulia-command.c — /slash commands, shared by the app and the terminal guest
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-command"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tertulia-command.h"

G_DEFINE_QUARK (tertulia-command-error-quark, tertulia_command_error)

/* The Spanish and Portuguese names are there because people type the word
 * of their own language without thinking.
 */
static const struct {
  const char          *name;
  TertuliaCommandType  type;
} command_names[] = {
  { "me", TERTULIA_COMMAND_ME },
  { "nick", TERTULIA_COMMAND_NICK },
  { "topic", TERTULIA_COMMAND_TOPIC },
  { "list", TERTULIA_COMMAND_LIST },
  { "listar", TERTULIA_COMMAND_LIST },
  { "help", TERTULIA_COMMAND_HELP },
  { "ayuda", TERTULIA_COMMAND_HELP },
  { "ajuda", TERTULIA_COMMAND_HELP },
  { "quit", TERTULIA_COMMAND_QUIT },
  { "quitar", TERTULIA_COMMAND_QUIT },
  { "salir", TERTULIA_COMMAND_QUIT },
  { "sair", TERTULIA_COMMAND_QUIT },
  { "exit", TERTULIA_COMMAND_QUIT },
  /* issue 18 */
  { "kick", TERTULIA_COMMAND_KICK },
  { "expulsar", TERTULIA_COMMAND_KICK },
  { "ban", TERTULIA_COMMAND_BAN },
  { "banear", TERTULIA_COMMAND_BAN },
  { "banir", TERTULIA_COMMAND_BAN },
  { "unban", TERTULIA_COMMAND_UNBAN },
  { "desbanear", TERTULIA_COMMAND_UNBAN },
  { "desbanir", TERTULIA_COMMAND_UNBAN },
  { "bans", TERTULIA_COMMAND_BANS },
  { "baneados", TERTULIA_COMMAND_BANS },
  { "banidos", TERTULIA_COMMAND_BANS },
  { "mute", TERTULIA_COMMAND_MUTE },
  { "silenciar", TERTULIA_COMMAND_MUTE },
  { "unmute", TERTULIA_COMMAND_UNMUTE },
  { "desilenciar", TERTULIA_COMMAND_UNMUTE },
  { "dessilenciar", TERTULIA_COMMAND_UNMUTE },
  { "slow", TERTULIA_COMMAND_SLOW },
  { "lento", TERTULIA_COMMAND_SLOW },
  { "lock", TERTULIA_COMMAND_LOCK },
  { "bloquear", TERTULIA_COMMAND_LOCK },
  { "unlock", TERTULIA_COMMAND_UNLOCK },
  { "desbloquear", TERTULIA_COMMAND_UNLOCK },
  { "op", TERTULIA_COMMAND_OP },
  { "coanfitrion", TERTULIA_COMMAND_OP },
  { "coanfitriao", TERTULIA_COMMAND_OP },
  { "deop", TERTULIA_COMMAND_DEOP },
  { "invitado", TERTULIA_COMMAND_DEOP },
  { "convidado", TERTULIA_COMMAND_DEOP },
  { "msg", TERTULIA_COMMAND_MSG },
  { "privado", TERTULIA_COMMAND_MSG },
};

static TertuliaCommand *
command_new (TertuliaCommandType  type,
             char                *argument)
{
  TertuliaCommand *command = g_new0 (TertuliaCommand, 1);

  command->type = type;
  command->argument = argument;

  return command;
}

void
tertulia_command_free (TertuliaCommand *command)
{
  if (command == NULL)
    return;

  g_free (command->argument);
  g_free (command->target);
  g_free (command);
}

static gboolean
is_blank (const char *text)
{
  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (!g_unichar_isspace (g_utf8_get_char (p)))
        return FALSE;
    }

  return TRUE;
}

/* issue 18: /kick, /ban, /mute, … and /msg. @name is the command as
 * typed (an alias perhaps), for the sentences.
 */
static TertuliaCommand *
parse_moderation (TertuliaCommandType   type,
                  const char           *name,
                  const char           *argument,
                  GError              **error)
{
  g_autoptr(TertuliaCommand) command = command_new (type, NULL);
  const char *rest = argument;
  guint64 number;

  switch (type)
    {
    case TERTULIA_COMMAND_BANS:
    case TERTULIA_COMMAND_LOCK:
    case TERTULIA_COMMAND_UNLOCK:
      return g_steal_pointer (&command);

    case TERTULIA_COMMAND_SLOW:
      if (g_ascii_strcasecmp (argument, "off") == 0 || g_ascii_strcasecmp (argument, "no") == 0 ||
          g_ascii_strcasecmp (argument, "nao") == 0 || g_str_equal (argument, "não"))
        return g_steal_pointer (&command);
      if (!g_ascii_string_to_unsigned (argument, 10, 0, 3600, &number, NULL))
        {
          g_set_error (error, TERTULIA_COMMAND_ERROR, TERTULIA_COMMAND_ERROR_MISSING_ARGUMENT,
                       /* Translators: keep “/%s” and “off”; %s is the command as typed */
                       _("Write the seconds between messages after /%s (up to 3600), or “off”, for example “/%s 30”."),
                       name, name);
          return NULL;
        }
      command->number = (guint) number;
      return g_steal_pointer (&command);

    case TERTULIA_COMMAND_UNBAN:
      if (!g_ascii_string_to_unsigned (argument, 10, 1, G_MAXUINT, &number, NULL))
        {
          g_set_error (error, TERTULIA_COMMAND_ERROR, TERTULIA_COMMAND_ERROR_MISSING_ARGUMENT,
                       /* Translators: keep “/%s” and “/bans”; %s is the command as typed */
                       _("Write the number of the ban after /%s, as /bans lists them, for example “/%s 1”."),
                       name, name);
          return NULL;
        }
      command->number = (guint) number;
      return g_steal_pointer (&command);

    case TERTULIA_COMMAND_KICK: case TERTULIA_COMMAND_BAN: case TERTULIA_COMMAND_MUTE:
    case TERTULIA_COMMAND_UNMUTE: case TERTULIA_COMMAND_OP: case TERTULIA_COMMAND_DEOP:
    case TERTULIA_COMMAND_MSG:
      break;

    case TERTULIA_COMMAND_SAY: case TERTULIA_COMMAND_ME: case TERTULIA_COMMAND_NICK:
    case TERTULIA_COMMAND_TOPIC: case TERTULIA_COMMAND_LIST: case TERTULIA_COMMAND_HELP:
    case TERTULIA_COMMAND_QUIT:
    default:
      g_assert_not_reached ();
    }

  /* The nickname is the first word */
  while (*rest != '\0' && !g_ascii_isspace (*rest))
    rest++;

  if (rest == argument || (type == TERTULIA_COMMAND_MSG && *rest == '\0'))
    {
      if (type == TERTULIA_COMMAND_MSG)
        g_set_error (error, TERTULIA_COMMAND_ERROR, TERTULIA_COMMAND_ERROR_MISSING_ARGUMENT,
                     /* Translators: keep “/%s”; %s is the command as typed; “Ana” is an example nickname */
                     _("Write a nickname and your message after /%s, for example “/%s Ana hello”."),
                     name, name);
      else
        g_set_error (error, TERTULIA_COMMAND_ERROR, TERTULIA_COMMAND_ERROR_MISSING_ARGUMENT,
                     /* Translators: keep “/%s”; %s is the command as typed; “Ana” is an example nickname */
                     _("Write a nickname after /%s, for example “/%s Ana”."),
                     name, name);
      return NULL;
    }

  command->target = g_strndup (argument, rest - argument);
  command->argument = g_strstrip (g_strdup (rest));
  if (command->argument[0] == '\0')
    g_clear_pointer (&command->argument, g_free);

  return g_steal_pointer (&command);
}

TertuliaCommand *
tertulia_command_parse (const char  *line,
                        GError     **error)
{
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;
  g_autofree char *argument = NULL;
  const char *name_end;
  gsize length;

  g_return_val_if_fail (line != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* The terminal hands over lines with their newline */
  length = strlen (line);
  if (length > 0 && line[length - 1] == '\n')
    length--;
  if (length > 0 && line[length - 1] == '\r')
    length--;
  text = g_strndup (line, length);

  if (is_blank (text))
    {
      g_set_error_literal (error, TERTULIA_COMMAND_ERROR, TERTULIA_COMMAND_ERROR_EMPTY,
                           _("Type a message or a command."));
      return NULL;
    }

  if (text[0] != '/')
    return command_new (TERTULIA_COMMAND_SAY, g_steal_pointer (&text));

  /* "//etc/hosts" posts "/etc/hosts" */
  if (text[1] == '/')
    return command_new (TERTULIA_COMMAND_SAY, g_strdup (text + 1));

  name_end = text + 1;
  while (*name_end != '\0' && !g_ascii_isspace (*name_end))
    name_end++;

  name = g_ascii_strdown (text + 1, name_end - (text + 1));
  argument = g_strstrip (g_strdup (name_end));

  for (guint i = 0; i < G_N_ELEMENTS (command_names); i++)
    {
      if (!g_str_equal (name, command_names[i].name))
        continue;

      switch (command_names[i].type)
        {
        case TERTULIA_COMMAND_ME:
          if (argument[0] == '\0')
            {
              g_set_error_literal (error, TERTULIA_COMMAND_ERROR, TERTULIA_COMMAND_ERROR_MISSING_ARGUMENT,
                                   /* Translators: keep “/me” as it is; “waves” is an example action */
                                   _("Write what you are doing after /me, for example “/me waves”."));
              return NULL;
            }
          return command_new (TERTULIA_COMMAND_ME, g_steal_pointer (&argument));

        case TERTULIA_COMMAND_NICK:
          if (argument[0] == '\0')
            {
              g_set_error_literal (error, TERTULIA_COMMAND_ERROR, TERTULIA_COMMAND_ERROR_MISSING_ARGUMENT,
                                   /* Translators: keep “/nick” as it is; “Ana” is an example nickname */
                                   _("Write the new nickname after /nick, for example “/nick Ana”."));
              return NULL;
            }
          return command_new (TERTULIA_COMMAND_NICK, g_steal_pointer (&argument));

        case TERTULIA_COMMAND_TOPIC:
          /* "/topic" alone clears the topic */
          return command_new (TERTULIA_COMMAND_TOPIC, g_steal_pointer (&argument));

        case TERTULIA_COMMAND_LIST:
        case TERTULIA_COMMAND_HELP:
        case TERTULIA_COMMAND_QUIT:
          return command_new (command_names[i].type, NULL);

        /* issue 18 */
        case TERTULIA_COMMAND_KICK: case TERTULIA_COMMAND_BAN: case TERTULIA_COMMAND_UNBAN:
        case TERTULIA_COMMAND_BANS: case TERTULIA_COMMAND_MUTE: case TERTULIA_COMMAND_UNMUTE:
        case TERTULIA_COMMAND_SLOW: case TERTULIA_COMMAND_LOCK: case TERTULIA_COMMAND_UNLOCK:
        case TERTULIA_COMMAND_OP: case TERTULIA_COMMAND_DEOP: case TERTULIA_COMMAND_MSG:
          return parse_moderation (command_names[i].type, name, argument, error);

        case TERTULIA_COMMAND_SAY:
        default:
          g_assert_not_reached ();
        }
    }

  {
    g_autofree char *typed = g_strndup (text, name_end - text);

    g_set_error (error, TERTULIA_COMMAND_ERROR, TERTULIA_COMMAND_ERROR_UNKNOWN,
                 /* Translators: %s is the command as typed, such as “/foo” */
                 _("Unknown command “%s”. Type /help to see the commands."),
                 typed);
  }

  return NULL;
}

const char *
tertulia_command_help_text (void)
{
  static char *help_text = NULL;

  if (g_once_init_enter (&help_text))
    {
      char *text = g_strjoin ("\n",
                              /* Translators: the /help text, one line per command. Keep the
                               * commands as they are; TEXT and NAME stand for what the user
                               * types and may be translated.
                               */
                              _("/me TEXT — tell the room what you are doing"),
                              _("/nick NAME — change your nickname"),
                              _("/topic TEXT — set the room’s topic; /topic alone clears it"),
                              _("/list — show who is in the room"),
                              _("/help — show this help"),
                              _("/quit — leave the room"),
                              _("//TEXT — send a message that starts with “/”"),
                              /* issue 18 */
                              _("/msg NAME TEXT — send NAME a private message"),
                              _("/kick NAME [REASON] — remove NAME from the room (hosts)"),
                              _("/ban NAME [REASON] — remove NAME and keep them out (hosts)"),
                              _("/bans, /unban N — list the bans, lift ban N (hosts)"),
                              _("/mute NAME, /unmute NAME — stop or let NAME post (hosts)"),
                              _("/slow SECONDS, /slow off — one message per guest every SECONDS (hosts)"),
                              _("/lock, /unlock — let nobody new join, or let them again (hosts)"),
                              _("/op NAME, /deop NAME — make NAME a co-host, or a guest again (host)"),
                              NULL);

      g_once_init_leave (&help_text, text);
    }

  return help_text;
}

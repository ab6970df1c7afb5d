/* tertulia-command.h — /slash commands, shared by the app and the terminal guest
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  TERTULIA_COMMAND_SAY,    /* not a command: post the text ("//x" posts "/x") */
  TERTULIA_COMMAND_ME,     /* /me TEXT */
  TERTULIA_COMMAND_NICK,   /* /nick NAME */
  TERTULIA_COMMAND_TOPIC,  /* /topic [TEXT], empty clears it */
  TERTULIA_COMMAND_LIST,   /* /list, /listar */
  TERTULIA_COMMAND_HELP,   /* /help, /ayuda, /ajuda */
  TERTULIA_COMMAND_QUIT,   /* /quit, /quitar, /exit */
  /* issue 18: moderation (target: the nickname; argument: the rest) */
  TERTULIA_COMMAND_KICK,   /* /kick NICK [REASON], /expulsar */
  TERTULIA_COMMAND_BAN,    /* /ban NICK [REASON], /banear, /banir */
  TERTULIA_COMMAND_UNBAN,  /* /unban N (number: a ban's id), /desbanear, /desbanir */
  TERTULIA_COMMAND_BANS,   /* /bans, /baneados, /banidos */
  TERTULIA_COMMAND_MUTE,   /* /mute NICK, /silenciar */
  TERTULIA_COMMAND_UNMUTE, /* /unmute NICK, /desilenciar, /dessilenciar */
  TERTULIA_COMMAND_SLOW,   /* /slow SECONDS|off (number: 0 for off), /lento */
  TERTULIA_COMMAND_LOCK,   /* /lock, /bloquear */
  TERTULIA_COMMAND_UNLOCK, /* /unlock, /desbloquear */
  TERTULIA_COMMAND_OP,     /* /op NICK, /coanfitrion, /coanfitriao */
  TERTULIA_COMMAND_DEOP,   /* /deop NICK, /invitado, /convidado */
  TERTULIA_COMMAND_MSG,    /* /msg NICK TEXT, /privado */
} TertuliaCommandType;

typedef struct
{
  TertuliaCommandType  type;
  char                *argument;  /* trimmed; NULL for commands without one */
  /* issue 18: the nickname a moderation command or /msg is about (its
   * first word), and a number (/slow, /unban); argument is then the rest
   * (a reason, the text), NULL when there is none
   */
  char                *target;
  guint                number;
} TertuliaCommand;

#define TERTULIA_COMMAND_ERROR (tertulia_command_error_quark ())

typedef enum
{
  TERTULIA_COMMAND_ERROR_UNKNOWN,           /* "/foo" */
  TERTULIA_COMMAND_ERROR_MISSING_ARGUMENT,  /* "/nick" */
  TERTULIA_COMMAND_ERROR_EMPTY,             /* "" or only white space */
} TertuliaCommandError;

GQuark           tertulia_command_error_quark (void);

/* Returns NULL with a translated, user-facing @error for bad input. */
TertuliaCommand *tertulia_command_parse       (const char       *line,
                                               GError          **error);
void             tertulia_command_free        (TertuliaCommand  *command);

/* The translated /help text, one command per line. */
const char      *tertulia_command_help_text   (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TertuliaCommand, tertulia_command_free)

G_END_DECLS

/* test-command.c — /slash command parsing
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "tertulia-command.h"

typedef struct
{
  const char          *line;
  TertuliaCommandType  type;
  const char          *argument;  /* NULL: none */
} Parsed;

static const Parsed commands[] = {
  /* Plain text is posted as typed, only the newline goes */
  { "hola a todos", TERTULIA_COMMAND_SAY, "hola a todos" },
  { "hola a todos\n", TERTULIA_COMMAND_SAY, "hola a todos" },
  { "hola\r\n", TERTULIA_COMMAND_SAY, "hola" },
  { "  indented  ", TERTULIA_COMMAND_SAY, "  indented  " },
  { "a/b", TERTULIA_COMMAND_SAY, "a/b" },
  { " /nick ana", TERTULIA_COMMAND_SAY, " /nick ana" },
  { "¿qué tal? 🎉", TERTULIA_COMMAND_SAY, "¿qué tal? 🎉" },

  /* "//" escapes a leading slash */
  { "//etc/hosts is a file", TERTULIA_COMMAND_SAY, "/etc/hosts is a file" },
  { "//nick ana", TERTULIA_COMMAND_SAY, "/nick ana" },
  { "//", TERTULIA_COMMAND_SAY, "/" },
  { "///", TERTULIA_COMMAND_SAY, "//" },

  { "/me waves", TERTULIA_COMMAND_ME, "waves" },
  { "/me   waves at everyone  \n", TERTULIA_COMMAND_ME, "waves at everyone" },
  { "/me\twaves", TERTULIA_COMMAND_ME, "waves" },

  { "/nick ana", TERTULIA_COMMAND_NICK, "ana" },
  { "/nick Ana María", TERTULIA_COMMAND_NICK, "Ana María" },
  { "/nick   luis  \n", TERTULIA_COMMAND_NICK, "luis" },

  { "/topic Final: 22:00", TERTULIA_COMMAND_TOPIC, "Final: 22:00" },
  { "/topic", TERTULIA_COMMAND_TOPIC, "" },
  { "/topic   ", TERTULIA_COMMAND_TOPIC, "" },
  { "/topic\n", TERTULIA_COMMAND_TOPIC, "" },

  { "/list", TERTULIA_COMMAND_LIST, NULL },
  { "/listar", TERTULIA_COMMAND_LIST, NULL },
  { "/list everyone", TERTULIA_COMMAND_LIST, NULL },

  { "/help", TERTULIA_COMMAND_HELP, NULL },
  { "/ayuda", TERTULIA_COMMAND_HELP, NULL },
  { "/ajuda", TERTULIA_COMMAND_HELP, NULL },
  { "/help\n", TERTULIA_COMMAND_HELP, NULL },

  { "/quit", TERTULIA_COMMAND_QUIT, NULL },
  { "/quitar", TERTULIA_COMMAND_QUIT, NULL },
  { "/salir", TERTULIA_COMMAND_QUIT, NULL },
  { "/sair", TERTULIA_COMMAND_QUIT, NULL },
  { "/exit", TERTULIA_COMMAND_QUIT, NULL },
  { "/quit bye all\n", TERTULIA_COMMAND_QUIT, NULL },

  /* Case does not matter for the command, only for what follows */
  { "/NICK Ana", TERTULIA_COMMAND_NICK, "Ana" },
  { "/Me WAVES", TERTULIA_COMMAND_ME, "WAVES" },
  { "/TOPIC", TERTULIA_COMMAND_TOPIC, "" },
  { "/LIST", TERTULIA_COMMAND_LIST, NULL },
  { "/Listar", TERTULIA_COMMAND_LIST, NULL },
  { "/HELP", TERTULIA_COMMAND_HELP, NULL },
  { "/AYUDA", TERTULIA_COMMAND_HELP, NULL },
  { "/Ajuda", TERTULIA_COMMAND_HELP, NULL },
  { "/QUIT", TERTULIA_COMMAND_QUIT, NULL },
  { "/Quitar", TERTULIA_COMMAND_QUIT, NULL },
  { "/SALIR", TERTULIA_COMMAND_QUIT, NULL },
  { "/SAIR", TERTULIA_COMMAND_QUIT, NULL },
  { "/Exit", TERTULIA_COMMAND_QUIT, NULL },
};

static void
test_commands (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *escaped = g_strescape (commands[i].line, NULL);
      g_autoptr(TertuliaCommand) command = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("“%s”", escaped);

      command = tertulia_command_parse (commands[i].line, &error);
      g_assert_no_error (error);
      g_assert_nonnull (command);
      g_assert_cmpint (command->type, ==, commands[i].type);
      g_assert_cmpstr (command->argument, ==, commands[i].argument);
    }
}

typedef struct
{
  const char *line;
  int         code;
  const char *mentions;  /* in the message */
} Refused;

static const Refused refusals[] = {
  { "", TERTULIA_COMMAND_ERROR_EMPTY, NULL },
  { "\n", TERTULIA_COMMAND_ERROR_EMPTY, NULL },
  { "   ", TERTULIA_COMMAND_ERROR_EMPTY, NULL },
  { " \t \r\n", TERTULIA_COMMAND_ERROR_EMPTY, NULL },
  { "\xc2\xa0", TERTULIA_COMMAND_ERROR_EMPTY, NULL },

  { "/me", TERTULIA_COMMAND_ERROR_MISSING_ARGUMENT, "/me" },
  { "/me   \n", TERTULIA_COMMAND_ERROR_MISSING_ARGUMENT, "/me" },
  { "/ME", TERTULIA_COMMAND_ERROR_MISSING_ARGUMENT, "/me" },
  { "/nick", TERTULIA_COMMAND_ERROR_MISSING_ARGUMENT, "/nick" },
  { "/nick  ", TERTULIA_COMMAND_ERROR_MISSING_ARGUMENT, "/nick" },
  { "/Nick\n", TERTULIA_COMMAND_ERROR_MISSING_ARGUMENT, "/nick" },

  { "/foo", TERTULIA_COMMAND_ERROR_UNKNOWN, "“/foo”" },
  { "/foo bar baz", TERTULIA_COMMAND_ERROR_UNKNOWN, "“/foo”" },
  { "/FooBar", TERTULIA_COMMAND_ERROR_UNKNOWN, "“/FooBar”" },
  { "/nickname ana", TERTULIA_COMMAND_ERROR_UNKNOWN, "“/nickname”" },
  { "/yo saluda", TERTULIA_COMMAND_ERROR_UNKNOWN, "“/yo”" },
  { "/", TERTULIA_COMMAND_ERROR_UNKNOWN, "“/”" },
  { "/ hola", TERTULIA_COMMAND_ERROR_UNKNOWN, "“/”" },
  { "/ñu", TERTULIA_COMMAND_ERROR_UNKNOWN, "“/ñu”" },
};

static void
test_refusals (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (refusals); i++)
    {
      g_autofree char *escaped = g_strescape (refusals[i].line, NULL);
      g_autoptr(TertuliaCommand) command = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("“%s”", escaped);

      command = tertulia_command_parse (refusals[i].line, &error);
      g_assert_null (command);
      g_assert_error (error, TERTULIA_COMMAND_ERROR, refusals[i].code);
      g_assert_cmpstr (error->message, !=, "");
      if (refusals[i].mentions != NULL)
        g_assert_nonnull (strstr (error->message, refusals[i].mentions));
    }
}

static void
test_unknown_points_to_help (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TertuliaCommand) command = NULL;

  command = tertulia_command_parse ("/dance", &error);
  g_assert_null (command);
  g_assert_error (error, TERTULIA_COMMAND_ERROR, TERTULIA_COMMAND_ERROR_UNKNOWN);
  g_assert_cmpstr (error->message, ==, "Unknown command “/dance”. Type /help to see the commands.");
}

static void
test_help_text (void)
{
  const char *help = tertulia_command_help_text ();
  g_auto(GStrv) lines = NULL;
  static const char * const documented[] = {
    "/me ", "/nick ", "/topic ", "/list ", "/help ", "/quit ", "//",
    /* issue 18 */
    "/msg ", "/kick ", "/ban ", "/bans", "/mute ", "/slow ", "/lock", "/op ",
  };

  g_assert_nonnull (help);
  g_assert_true (help == tertulia_command_help_text ());

  /* One line per command, each starting with the command */
  lines = g_strsplit (help, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, G_N_ELEMENTS (documented));
  for (guint i = 0; i < G_N_ELEMENTS (documented); i++)
    {
      g_assert_true (g_str_has_prefix (lines[i], documented[i]));
      g_assert_nonnull (strstr (lines[i], " — "));
    }
}

/* issue 18: moderation commands and /msg, with their aliases */
static void
test_moderation_commands (void)
{
  static const struct {
    const char          *line;
    TertuliaCommandType  type;
    const char          *target;
    const char          *argument;
    guint                number;
  } parsed[] = {
    { "/kick bob", TERTULIA_COMMAND_KICK, "bob", NULL, 0 },
    { "/expulsar bob  too loud ", TERTULIA_COMMAND_KICK, "bob", "too loud", 0 },
    { "/ban troll spam", TERTULIA_COMMAND_BAN, "troll", "spam", 0 },
    { "/banear troll", TERTULIA_COMMAND_BAN, "troll", NULL, 0 },
    { "/banir troll", TERTULIA_COMMAND_BAN, "troll", NULL, 0 },
    { "/bans", TERTULIA_COMMAND_BANS, NULL, NULL, 0 },
    { "/banidos", TERTULIA_COMMAND_BANS, NULL, NULL, 0 },
    { "/unban 3", TERTULIA_COMMAND_UNBAN, NULL, NULL, 3 },
    { "/desbanear 1", TERTULIA_COMMAND_UNBAN, NULL, NULL, 1 },
    { "/mute bob", TERTULIA_COMMAND_MUTE, "bob", NULL, 0 },
    { "/silenciar bob", TERTULIA_COMMAND_MUTE, "bob", NULL, 0 },
    { "/unmute bob", TERTULIA_COMMAND_UNMUTE, "bob", NULL, 0 },
    { "/dessilenciar bob", TERTULIA_COMMAND_UNMUTE, "bob", NULL, 0 },
    { "/slow 30", TERTULIA_COMMAND_SLOW, NULL, NULL, 30 },
    { "/slow off", TERTULIA_COMMAND_SLOW, NULL, NULL, 0 },
    { "/lento 0", TERTULIA_COMMAND_SLOW, NULL, NULL, 0 },
    { "/lock", TERTULIA_COMMAND_LOCK, NULL, NULL, 0 },
    { "/bloquear", TERTULIA_COMMAND_LOCK, NULL, NULL, 0 },
    { "/unlock", TERTULIA_COMMAND_UNLOCK, NULL, NULL, 0 },
    { "/desbloquear", TERTULIA_COMMAND_UNLOCK, NULL, NULL, 0 },
    { "/op eva", TERTULIA_COMMAND_OP, "eva", NULL, 0 },
    { "/coanfitrion eva", TERTULIA_COMMAND_OP, "eva", NULL, 0 },
    { "/deop eva", TERTULIA_COMMAND_DEOP, "eva", NULL, 0 },
    { "/convidado eva", TERTULIA_COMMAND_DEOP, "eva", NULL, 0 },
    { "/msg ana hola, ¿qué tal?", TERTULIA_COMMAND_MSG, "ana", "hola, ¿qué tal?", 0 },
    { "/privado ana oi", TERTULIA_COMMAND_MSG, "ana", "oi", 0 },
  };
  static const char * const refused[] = {
    "/kick", "/ban   ", "/mute", "/op", "/msg", "/msg ana", "/msg ana   ",
    "/slow", "/slow soon", "/slow 3601", "/unban", "/unban 0", "/unban x",
  };

  for (guint i = 0; i < G_N_ELEMENTS (parsed); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TertuliaCommand) command = tertulia_command_parse (parsed[i].line, &error);

      g_test_message ("%s", parsed[i].line);
      g_assert_no_error (error);
      g_assert_cmpint (command->type, ==, parsed[i].type);
      g_assert_cmpstr (command->target, ==, parsed[i].target);
      g_assert_cmpstr (command->argument, ==, parsed[i].argument);
      g_assert_cmpuint (command->number, ==, parsed[i].number);
    }

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TertuliaCommand) command = tertulia_command_parse (refused[i], &error);

      g_test_message ("%s", refused[i]);
      g_assert_null (command);
      g_assert_error (error, TERTULIA_COMMAND_ERROR, TERTULIA_COMMAND_ERROR_MISSING_ARGUMENT);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/command/parse", test_commands);
  g_test_add_func ("/command/refusals", test_refusals);
  g_test_add_func ("/command/unknown-points-to-help", test_unknown_points_to_help);
  g_test_add_func ("/command/help-text", test_help_text);
  g_test_add_func ("/command/moderation", test_moderation_commands);

  return g_test_run ();
}

/* tertulia-cli.c — the terminal guest: a line-based client on the core
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-cli"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <termios.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib-unix.h>
#include <gio/gunixinputstream.h>

#include "tertulia-client.h"
#include "tertulia-command.h"
#include "tertulia-discovery.h"
#include "tertulia-password.h"

#include "tertulia-cli-private.h"

/* How long --discover listens by default: Avahi answers from its cache at
 * once, and hosts that were not in it answer a query within about a second.
 */
#define DISCOVER_DEFAULT_SECONDS 2

/* Typing the room's password wrong this many times ends the program. */
#define MAX_PASSWORD_PROMPTS 3

typedef struct
{
  GMainLoop        *loop;
  TertuliaClient   *client;
  GDataInputStream *input;
  GCancellable     *cancellable;
  gboolean          colour;
  gboolean          welcomed;
  int               exit_code;
  TertuliaConnectionState last_state;
  /* The password came from --password-file: asking would not help */
  gboolean          password_from_file;
  guint             password_prompts;
  /* The terminal as it was before echo was turned off for a password */
  struct termios    saved_termios;
  gboolean          echo_off;
  /* /send and /save */
  TertuliaCliFiles *files;
  TertuliaCliHistory *history;
  /* issue 18: moderation commands, private messages */
  TertuliaCliModeration *moderation;
} Cli;

#define ANSI_BOLD  "\033[1m"
#define ANSI_DIM   "\033[2m"
#define ANSI_CYAN  "\033[36m"
#define ANSI_YELLOW "\033[33m"
#define ANSI_RESET "\033[0m"

/* Text from the wire is printed, never interpreted: escape sequences and
 * other control characters would let a peer redraw or retitle the
 * terminal, so they become U+FFFD. Newlines start an indented line.
 */
char *
_tertulia_cli_sanitize_for_terminal (const char *text)
{
  GString *out = g_string_new (NULL);
  const char *p;

  if (text == NULL)
    return g_string_free (out, FALSE);

  for (p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\n')
        g_string_append (out, "\n    ");
      else if (c == '\t')
        g_string_append_c (out, '\t');
      else if (g_unichar_iscntrl (c) ||
               g_unichar_type (c) == G_UNICODE_FORMAT ||
               g_unichar_type (c) == G_UNICODE_LINE_SEPARATOR ||
               g_unichar_type (c) == G_UNICODE_PARAGRAPH_SEPARATOR)
        g_string_append_unichar (out, 0xFFFD);
      else
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

static void
print_line (Cli        *cli,
            const char *style,
            const char *line)
{
  _tertulia_cli_files_clear_status (cli->files);
  if (cli->colour && style != NULL)
    g_print ("%s%s%s\n", style, line, ANSI_RESET);
  else
    g_print ("%s\n", line);
}

static void
print_notice (Cli        *cli,
              const char *text)
{
  g_autofree char *clean = _tertulia_cli_sanitize_for_terminal (text);
  g_autofree char *line = g_strdup_printf ("*** %s", clean);

  print_line (cli, ANSI_DIM, line);
}

static void
print_message (Cli             *cli,
               TertuliaMessage *message)
{
  g_autofree char *time = tertulia_message_format_time (message);
  g_autofree char *author = _tertulia_cli_sanitize_for_terminal (tertulia_message_get_author (message));
  g_autofree char *text = _tertulia_cli_sanitize_for_terminal (tertulia_message_get_text (message));
  const char *nick_style = tertulia_message_get_is_own (message) ? ANSI_CYAN : ANSI_BOLD;
  g_autofree char *line = NULL;

  /* A message can reach us twice (its echo, a move into server order). */
  if (g_object_get_data (G_OBJECT (message), "tertulia-cli-printed") != NULL)
    return;
  g_object_set_data (G_OBJECT (message), "tertulia-cli-printed", GINT_TO_POINTER (TRUE));

  switch (tertulia_message_get_kind (message))
    {
    case TERTULIA_MESSAGE_KIND_NOTICE:
      line = g_strdup_printf ("[%s] *** %s", time, text);
      print_line (cli, ANSI_DIM, line);
      return;

    case TERTULIA_MESSAGE_KIND_ACTION:
      line = g_strdup_printf ("[%s] * %s %s", time, author, text);
      print_line (cli, tertulia_message_get_mentions_you (message) ? ANSI_YELLOW : NULL, line);
      return;

    case TERTULIA_MESSAGE_KIND_FILE:
      {
        g_autofree char *file = _tertulia_cli_files_describe (cli->files, message);

        line = g_strdup_printf ("[%s] %s", time, file);
        print_line (cli, NULL, line);
      }
      return;

    case TERTULIA_MESSAGE_KIND_CHAT:
    default:
      break;
    }

  _tertulia_cli_files_clear_status (cli->files);
  if (tertulia_message_get_mentions_you (message))
    {
      line = g_strdup_printf ("[%s] <%s> %s", time, author, text);
      print_line (cli, ANSI_YELLOW, line);
    }
  else if (cli->colour)
    {
      g_print ("[%s] %s<%s>%s %s\n", time, nick_style, author, ANSI_RESET, text);
    }
  else
    {
      g_print ("[%s] <%s> %s\n", time, author, text);
    }
}

static void
print_history_message_cb (TertuliaMessage *message,
                          gpointer         user_data)
{
  print_message (user_data, message);
}

static void
print_history_line_cb (const char *line,
                       gboolean    notice,
                       gpointer    user_data)
{
  print_line (user_data, notice ? ANSI_DIM : NULL, line);
}

static void
message_state_changed_cb (TertuliaMessage *message,
                          GParamSpec      *pspec,
                          Cli             *cli)
{
  switch (tertulia_message_get_state (message))
    {
    case TERTULIA_MESSAGE_STATE_DELIVERED:
      print_message (cli, message);
      break;

    case TERTULIA_MESSAGE_STATE_FAILED:
      {
        g_autofree char *text = NULL;

        /* Translators: the first %s is the message that was not sent, the
         * second why (a sentence from the room)
         */
        text = g_strdup_printf (_("Not sent: “%s”. %s Type /resend to send it again."),
                                tertulia_message_get_text (message),
                                tertulia_message_get_error (message));
        print_notice (cli, text);
      }
      break;

    case TERTULIA_MESSAGE_STATE_SENDING:
    default:
      return;
    }

  g_signal_handlers_disconnect_by_func (message, message_state_changed_cb, cli);
}

/* Your message is printed when the host has it, or said not to be sent. */
static void
watch_own_message (Cli             *cli,
                   TertuliaMessage *message)
{
  /* A message moved to its place in server order is already watched. */
  if (g_signal_handler_find (message, G_SIGNAL_MATCH_FUNC | G_SIGNAL_MATCH_DATA,
                             0, 0, NULL, message_state_changed_cb, cli) == 0)
    g_signal_connect (message, "notify::state",
                      G_CALLBACK (message_state_changed_cb), cli);
}

/* The log is printed as the room's message model grows. Your own messages
 * are printed once the server has them (the echo), so what you see is the
 * order everyone sees.
 */
static void
messages_changed_cb (GListModel *messages,
                     guint       position,
                     guint       removed,
                     guint       added,
                     Cli        *cli)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(TertuliaMessage) message = g_list_model_get_item (messages, i);

      /* Older messages: /history prints them, /search what matches */
      if (_tertulia_cli_history_is_older_row (cli->history, message))
        continue;

      if (tertulia_message_get_state (message) == TERTULIA_MESSAGE_STATE_SENDING)
        watch_own_message (cli, message);
      else
        {
          print_message (cli, message);
        }
    }
}

static void
state_changed_cb (TertuliaClient *client,
                  GParamSpec     *pspec,
                  Cli            *cli)
{
  TertuliaConnectionState state = tertulia_client_get_state (client);
  TertuliaRoom *room = tertulia_client_get_room (client);

  if (state == cli->last_state)
    return;
  cli->last_state = state;

  switch (state)
    {
    case TERTULIA_CONNECTION_CONNECTED:
      {
        TertuliaParticipant *you = tertulia_room_get_you (room);
        g_autofree char *text = NULL;

        /* Translators: the first %s is the room name, the second your nickname */
        text = g_strdup_printf (_("Connected to “%s” as %s. Type /help for the commands."),
                                tertulia_room_get_name (room),
                                you ? tertulia_participant_get_nickname (you) : "");
        print_notice (cli, text);
      }
      break;

    case TERTULIA_CONNECTION_RECONNECTING:
      {
        g_autofree char *text = NULL;
        guint seconds = tertulia_client_get_retry_seconds (client);

        /* Why is in the log already, once per outage (a room notice). */
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "Reconnecting in %u second…",
                                             "Reconnecting in %u seconds…",
                                             seconds),
                                seconds);
        print_notice (cli, text);
      }
      break;

    case TERTULIA_CONNECTION_DISCONNECTED:
      if (tertulia_client_get_state_reason (client) != NULL)
        print_notice (cli, tertulia_client_get_state_reason (client));
      break;

    case TERTULIA_CONNECTION_CONNECTING:
    default:
      break;
    }
}

static gboolean
quit_after_close_cb (gpointer user_data)
{
  Cli *cli = user_data;

  g_main_loop_quit (cli->loop);
  return G_SOURCE_REMOVE;
}

static void
leave (Cli *cli)
{
  g_cancellable_cancel (cli->cancellable);
  tertulia_client_disconnect (cli->client);
  /* Give the close frame a moment to go out before the process ends. */
  g_timeout_add (100, quit_after_close_cb, cli);
}

/* "/resend" is the terminal's one click on a message that was not sent. It
 * is the cli's own: the app and the page have a button on the message.
 */
static gboolean
is_resend (const char *line)
{
  g_autofree char *stripped = g_strstrip (g_strdup (line));

  return g_str_equal (stripped, "/resend");
}

static void
resend_last_failed (Cli *cli)
{
  TertuliaMessage *failed = tertulia_client_get_last_failed_message (cli->client);
  g_autoptr(GError) error = NULL;

  if (failed == NULL)
    {
      print_notice (cli, _("There is no message that was not sent."));
      return;
    }

  if (tertulia_client_resend_message (cli->client, failed, &error))
    watch_own_message (cli, failed);
  else
    print_notice (cli, error->message);
}

static void
run_line (Cli        *cli,
          const char *line)
{
  g_autoptr(TertuliaCommand) command = NULL;
  g_autoptr(GError) error = NULL;
  TertuliaRoom *room = tertulia_client_get_room (cli->client);

  if (is_resend (line))
    {
      resend_last_failed (cli);
      return;
    }

  if (_tertulia_cli_files_run (cli->files, line) ||
      _tertulia_cli_history_run_line (cli->history, line))
    return;

  command = tertulia_command_parse (line, &error);
  if (command == NULL)
    {
      if (!g_error_matches (error, TERTULIA_COMMAND_ERROR, TERTULIA_COMMAND_ERROR_EMPTY))
        print_notice (cli, error->message);
      return;
    }

  switch (command->type)
    {
    case TERTULIA_COMMAND_SAY:
      tertulia_client_send_message (cli->client, TERTULIA_MESSAGE_KIND_CHAT,
                                    command->argument, &error);
      break;

    case TERTULIA_COMMAND_ME:
      tertulia_client_send_message (cli->client, TERTULIA_MESSAGE_KIND_ACTION,
                                    command->argument, &error);
      break;

    case TERTULIA_COMMAND_NICK:
      tertulia_client_change_nickname (cli->client, command->argument, &error);
      break;

    case TERTULIA_COMMAND_TOPIC:
      tertulia_client_change_topic (cli->client, command->argument, &error);
      break;

    case TERTULIA_COMMAND_LIST:
      {
        g_autofree char *list = tertulia_room_describe_participants (room);
        print_notice (cli, list);
      }
      break;

    case TERTULIA_COMMAND_HELP:
      {
        g_autofree char *text = g_strjoin ("\n", tertulia_command_help_text (),
                                           _tertulia_cli_history_help_text (),
                                           _tertulia_cli_files_help_text (), NULL);
        g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

        for (guint i = 0; lines[i] != NULL; i++)
          if (lines[i][0] != '\0')
            print_line (cli, ANSI_DIM, lines[i]);
      }
      break;

    case TERTULIA_COMMAND_QUIT:
      leave (cli);
      break;

    /* issue 18 */
    case TERTULIA_COMMAND_KICK: case TERTULIA_COMMAND_BAN: case TERTULIA_COMMAND_UNBAN:
    case TERTULIA_COMMAND_BANS: case TERTULIA_COMMAND_MUTE: case TERTULIA_COMMAND_UNMUTE:
    case TERTULIA_COMMAND_SLOW: case TERTULIA_COMMAND_LOCK: case TERTULIA_COMMAND_UNLOCK:
    case TERTULIA_COMMAND_OP: case TERTULIA_COMMAND_DEOP: case TERTULIA_COMMAND_MSG:
      _tertulia_cli_moderation_run (cli->moderation, command, &error);
      break;

    default:
      break;
    }

  if (error != NULL)
    print_notice (cli, error->message);
}

static void read_next_line (Cli *cli);

static void
line_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  gsize length = 0;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object),
                                                    result, &length, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error != NULL && line == NULL && !g_error_matches (error, G_CONVERT_ERROR,
                                                         G_CONVERT_ERROR_ILLEGAL_SEQUENCE))
    {
      print_notice (cli, error->message);
      leave (cli);
      return;
    }

  if (error != NULL)
    {
      print_notice (cli, _("That line is not valid UTF-8 text, so it was not sent."));
    }
  else if (line == NULL)
    {
      /* End of input (Ctrl+D): leave like /quit. */
      leave (cli);
      return;
    }
  else
    {
      run_line (cli, line);
    }

  if (!g_cancellable_is_cancelled (cli->cancellable))
    read_next_line (cli);
}

static void
read_next_line (Cli *cli)
{
  g_data_input_stream_read_line_async (cli->input, G_PRIORITY_DEFAULT,
                                       cli->cancellable, line_read_cb, cli);
}

/* Whether what is typed is shown; off while a password is typed. ECHONL
 * still echoes the Enter, so the cursor moves on.
 */
static void
set_echo (Cli      *cli,
          gboolean  echo)
{
  struct termios quiet;

  if (echo)
    {
      if (cli->echo_off)
        tcsetattr (STDIN_FILENO, TCSAFLUSH, &cli->saved_termios);
      cli->echo_off = FALSE;
      return;
    }

  if (cli->echo_off || tcgetattr (STDIN_FILENO, &cli->saved_termios) != 0)
    return;

  quiet = cli->saved_termios;
  quiet.c_lflag &= ~(tcflag_t) ECHO;
  quiet.c_lflag |= ECHONL;
  if (tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet) == 0)
    cli->echo_off = TRUE;
}

static void connected_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data);

static void
password_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;
  char *password;

  password = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object),
                                                        result, NULL, &error);
  set_echo (cli, TRUE);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      tertulia_password_free (password);
      return;
    }

  if (password == NULL || password[0] == '\0')
    {
      tertulia_password_free (password);
      cli->exit_code = EXIT_CONNECT_FAILED;
      g_main_loop_quit (cli->loop);
      return;
    }

  tertulia_client_set_password (cli->client, password);
  tertulia_password_free (password);
  tertulia_client_connect_async (cli->client, cli->cancellable, connected_cb, cli);
}

/* The room wants a password: asked for on the terminal, without showing
 * it, read through the main loop so that Ctrl+C still works.
 */
static void
ask_password (Cli *cli)
{
  cli->password_prompts++;
  /* Translators: the prompt for the room's password in tertulia-cli */
  g_printerr ("%s ", _("Password:"));
  set_echo (cli, FALSE);
  g_data_input_stream_read_line_async (cli->input, G_PRIORITY_DEFAULT,
                                       cli->cancellable, password_read_cb, cli);
}

static void
connected_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;

  if (!tertulia_client_connect_finish (TERTULIA_CLIENT (object), result, &error))
    {
      gboolean password = g_error_matches (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_PASSWORD_REQUIRED) ||
                          g_error_matches (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_PASSWORD_WRONG);

      if (g_error_matches (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_CANCELLED))
        return;

      /* The reason was printed as a notice when the state changed */
      if (password && !cli->password_from_file && isatty (STDIN_FILENO) &&
          cli->password_prompts < MAX_PASSWORD_PROMPTS)
        {
          ask_password (cli);
          return;
        }

      g_printerr ("tertulia-cli: %s\n", error->message);
      if (password && !cli->password_from_file)
        /* Translators: keep "--password-file" as it is, it is an option */
        g_printerr ("tertulia-cli: %s\n", _("Give the password with --password-file FILE."));
      cli->exit_code = EXIT_CONNECT_FAILED;
      g_main_loop_quit (cli->loop);
      return;
    }

  cli->welcomed = TRUE;
  read_next_line (cli);
}

static gboolean
signal_cb (gpointer user_data)
{
  Cli *cli = user_data;

  if (!cli->welcomed)
    {
      g_main_loop_quit (cli->loop);
      return G_SOURCE_REMOVE;
    }

  /* Ctrl+C stops a transfer first; once none is under way, it leaves */
  if (_tertulia_cli_files_cancel (cli->files))
    return G_SOURCE_CONTINUE;

  leave (cli);
  return G_SOURCE_REMOVE;
}

static gboolean
use_colour (void)
{
  const char *term = g_getenv ("TERM");

  if (g_getenv ("NO_COLOR") != NULL)
    return FALSE;
  if (!isatty (STDOUT_FILENO))
    return FALSE;
  return term != NULL && g_strcmp0 (term, "dumb") != 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stdin_stream = NULL;
  g_autofree char *nick = NULL;
  gboolean version = FALSE;
  gboolean discover = FALSE;
  g_autofree char *password_file = NULL;
  g_autofree char *host_key_file = NULL;
  gint timeout = DISCOVER_DEFAULT_SECONDS;
  g_autofree char *timeout_help = NULL;
  Cli cli = { 0 };
  GOptionEntry entries[] = {
    { "nick", 'n', 0, G_OPTION_ARG_STRING, &nick,
      N_("Nickname to use in the room"), N_("NAME") },
    { "discover", 'd', 0, G_OPTION_ARG_NONE, &discover,
      N_("List the rooms announced on the local network, then exit"), NULL },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, NULL, N_("SECONDS") },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
      N_("Read the room’s password from the first line of FILE"), N_("FILE") },
    /* issue 18 */
    { "host-key-file", 0, 0, G_OPTION_ARG_FILENAME, &host_key_file,
      N_("Join as the room’s host, with the key tertulia-server --host-key-file wrote to FILE"), N_("FILE") },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version,
      N_("Show the version and exit"), NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Translators: --timeout's help; %d is the default number of seconds */
  timeout_help = g_strdup_printf (_("With --discover, look for rooms for SECONDS seconds (default %d)"),
                                  DISCOVER_DEFAULT_SECONDS);
  entries[2].description = timeout_help;

  /* Translators: the parameter summary after "tertulia-cli [OPTION…]" */
  context = g_option_context_new (_("ADDRESS — chat in a Tertulia room from the terminal"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("ADDRESS is what the host shows: 192.168.1.20, 192.168.1.20:7878,\n"
      "ws://192.168.1.20:7878/ws or http://192.168.1.20:7878/.\n"
      "\n"
      "Type a line to send it; /help lists the commands; /quit, Ctrl+D or\n"
      "Ctrl+C leaves the room.\n"
      "\n"
      "When the room has a password, tertulia-cli asks for it on the\n"
      "terminal, or reads it from --password-file.\n"
      "\n"
      "--discover prints one line for each room announced on the local\n"
      "network: its name, the host, the address to join it at and how many\n"
      "people are in it. It needs Avahi running on this computer.\n"
      "\n"
      "Exit status: 0 after leaving (or listing rooms, even none), 1 for a\n"
      "usage error, 2 when the room could not be joined (or, with\n"
      "--discover, when Avahi is not running)."));

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("tertulia-cli: %s\n", error->message);
      return EXIT_USAGE;
    }

  if (version)
    {
      g_print ("tertulia-cli %s\n", PACKAGE_VERSION);
      return EXIT_OK;
    }

  if (discover)
    {
      if (argc != 1)
        {
          g_printerr ("tertulia-cli: %s\n",
                      _("--discover takes no address; it finds the rooms itself."));
          return EXIT_USAGE;
        }
      if (timeout < 1 || timeout > 3600)
        {
          g_printerr ("tertulia-cli: %s\n",
                      _("--timeout must be a number of seconds from 1 to 3600."));
          return EXIT_USAGE;
        }

      setvbuf (stdout, NULL, _IOLBF, 0);
      return _tertulia_cli_discover_rooms ((guint) timeout);
    }

  if (argc != 2)
    {
      g_printerr ("tertulia-cli: %s\n",
                  _("Give the address of one room, like tertulia-cli 192.168.1.20"));
      return EXIT_USAGE;
    }

  /* Lines reach a pipe (tests, scripts) as soon as they are printed. */
  setvbuf (stdout, NULL, _IOLBF, 0);

  cli.loop = g_main_loop_new (NULL, FALSE);
  cli.cancellable = g_cancellable_new ();
  cli.colour = use_colour ();
  if (host_key_file != NULL)
    {
      char *host_key = tertulia_password_read_file (host_key_file, NULL, &error);

      if (host_key == NULL)
        {
          g_printerr ("tertulia-cli: %s\n", error->message);
          g_clear_object (&cli.cancellable);
          g_clear_pointer (&cli.loop, g_main_loop_unref);
          return EXIT_USAGE;
        }
      cli.client = tertulia_client_new_for_host (argv[1], nick, host_key);
      tertulia_password_free (host_key);
    }
  else
    {
      cli.client = tertulia_client_new (argv[1], nick);
    }
  cli.last_state = TERTULIA_CONNECTION_DISCONNECTED;
  cli.history = _tertulia_cli_history_new (cli.client, print_history_message_cb,
                                           print_history_line_cb, &cli);

  /* Standard input is the chat */
  if (g_strcmp0 (password_file, "-") == 0)
    {
      g_printerr ("tertulia-cli: %s\n", _("--password-file needs a file; standard input is for the chat."));
      g_clear_pointer (&cli.history, _tertulia_cli_history_free);
      g_clear_object (&cli.client);
      g_clear_object (&cli.cancellable);
      g_clear_pointer (&cli.loop, g_main_loop_unref);
      return EXIT_USAGE;
    }

  if (password_file != NULL)
    {
      char *password = tertulia_password_read_file (password_file, NULL, &error);

      if (password == NULL)
        {
          g_printerr ("tertulia-cli: %s\n", error->message);
          g_clear_pointer (&cli.history, _tertulia_cli_history_free);
          g_clear_object (&cli.client);
          g_clear_object (&cli.cancellable);
          g_clear_pointer (&cli.loop, g_main_loop_unref);
          return EXIT_USAGE;
        }

      tertulia_client_set_password (cli.client, password);
      tertulia_password_free (password);
      cli.password_from_file = TRUE;
    }

  cli.files = _tertulia_cli_files_new (cli.client, cli.colour);
  cli.moderation = _tertulia_cli_moderation_new (cli.client, print_history_line_cb, &cli);
  stdin_stream = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  cli.input = g_data_input_stream_new (stdin_stream);

  g_signal_connect (tertulia_room_get_messages (tertulia_client_get_room (cli.client)),
                    "items-changed", G_CALLBACK (messages_changed_cb), &cli);
  g_signal_connect (cli.client, "notify::state", G_CALLBACK (state_changed_cb), &cli);
  g_unix_signal_add (SIGINT, signal_cb, &cli);
  g_unix_signal_add (SIGTERM, signal_cb, &cli);

  tertulia_client_connect_async (cli.client, cli.cancellable, connected_cb, &cli);
  g_main_loop_run (cli.loop);

  /* Ctrl+C while a password was being typed */
  set_echo (&cli, TRUE);
  g_cancellable_cancel (cli.cancellable);
  g_signal_handlers_disconnect_by_data (tertulia_room_get_messages (tertulia_client_get_room (cli.client)), &cli);
  g_signal_handlers_disconnect_by_data (cli.client, &cli);
  g_clear_pointer (&cli.files, _tertulia_cli_files_free);
  g_clear_pointer (&cli.history, _tertulia_cli_history_free);
  g_clear_pointer (&cli.moderation, _tertulia_cli_moderation_free);
  g_clear_object (&cli.client);
  g_clear_object (&cli.input);
  g_clear_object (&cli.cancellable);
  g_clear_pointer (&cli.loop, g_main_loop_unref);

  return cli.exit_code;
}

/* tertulia-server.c — the headless host: a Tertulia room without a window
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What this program prints is read by people and by scripts. The contract
 * for scripts (and tests/test-server-binary.c) is:
 *
 *   - Once the room is listening, the FIRST line on stdout is, in the
 *     untranslated (LC_ALL=C / LANGUAGE=) output:
 *
 *       Tertulia room “NAME” is open on port PORT.
 *
 *     i.e. it ends in "port ", the decimal port and a full stop. A script
 *     can read it without caring about NAME by matching "port ([0-9]+)\.$".
 *     Nothing is printed on stdout before the room is listening.
 *   - Later lines (the addresses, a QR code of the first one, whether the
 *     room is announced on the LAN) are for people and may change.
 *   - On SIGINT/SIGTERM the last line on stdout is "Room closed."
 *   - Exit status: 0 the room was closed by a signal, 1 wrong options
 *     (message on stderr, also for an unreadable or unusable
 *     --password-file), 2 the room could not be opened (message on stderr;
 *     e.g. the port is taken).
 *   - The room's password is never printed or logged, and not kept in
 *     memory in plain text (the server keeps a salted hash).
 *
 * stdout is line-buffered so that a script reading a pipe gets each line at
 * once.
 */

#define G_LOG_DOMAIN "tertulia-server-main"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib-unix.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "tertulia-address.h"
#include "tertulia-password.h"
#include "tertulia-discovery.h"
#include "tertulia-journal.h"
#include "tertulia-protocol.h"
#include "tertulia-qr.h"
#include "tertulia-server.h"
#include "tertulia-server-private.h"

#include "tertulia-server-banner.h"

#define EXIT_USAGE       1
#define EXIT_LISTEN      2
#define MAX_HISTORY      100000
/* After shutdown the close frames are queued on the sockets; keep the main
 * loop running a moment so they are written before the process exits.
 */
#define CLOSE_GRACE_MSEC 300

typedef struct
{
  GMainLoop         *loop;
  TertuliaServer    *server;
  TertuliaAnnouncer *announcer;
  guint              grace_id;
  gboolean           closing;
  /* What was last said about the announcement, so each news is told once. */
  TertuliaAnnouncerState told_state;
  char              *told_name;
} App;

static gboolean
grace_over_cb (gpointer user_data)
{
  App *app = user_data;

  app->grace_id = 0;
  g_main_loop_quit (app->loop);

  return G_SOURCE_REMOVE;
}

static void
close_room (App *app,
            int  signum)
{
  if (app->closing)
    {
      /* A second Ctrl+C means "now". */
      g_clear_handle_id (&app->grace_id, g_source_remove);
      g_main_loop_quit (app->loop);
      return;
    }

  app->closing = TRUE;

  /* The terminal echoed "^C" without a newline. */
  if (signum == SIGINT && isatty (STDOUT_FILENO))
    g_print ("\n");
  g_print ("%s\n", _("Closing the room…"));

  /* Withdrawn first, so that nobody finds a room that is closing. */
  if (app->announcer != NULL)
    tertulia_announcer_stop (app->announcer);
  tertulia_server_shutdown (app->server, NULL);
  app->grace_id = g_timeout_add (CLOSE_GRACE_MSEC, grace_over_cb, app);
}

static gboolean
sigint_cb (gpointer user_data)
{
  close_room (user_data, SIGINT);
  return G_SOURCE_CONTINUE;
}

static gboolean
sigterm_cb (gpointer user_data)
{
  close_room (user_data, SIGTERM);
  return G_SOURCE_CONTINUE;
}

/* One calm line each time the room's presence on the LAN changes. */
static void
announcer_state_cb (TertuliaAnnouncer *announcer,
                    GParamSpec        *pspec,
                    App               *app)
{
  TertuliaAnnouncerState state = tertulia_announcer_get_state (announcer);
  const char *service_name = tertulia_announcer_get_service_name (announcer);
  const char *room_name = tertulia_announcer_get_room_name (announcer);

  switch (state)
    {
    case TERTULIA_ANNOUNCER_ANNOUNCED:
      if (app->told_state == state && g_strcmp0 (app->told_name, service_name) == 0)
        return;
      if (g_strcmp0 (service_name, room_name) == 0)
        g_print ("%s\n", _("The room is announced on the local network, so Tertulia apps nearby list it."));
      else
        /* Translators: %s is the name the room is listed under on the
         * network, such as “Ana’s room #2”, because another room already
         * has its name
         */
        g_print (_("The room is announced on the local network as “%s”, because another room there has its name.\n"),
                 service_name);
      break;

    case TERTULIA_ANNOUNCER_UNAVAILABLE:
      if (app->told_state == state)
        return;
      g_print ("%s\n", _("Avahi is not running, so the room is not announced on the local network; people can still join at the addresses above."));
      break;

    case TERTULIA_ANNOUNCER_FAILED:
      if (app->told_state == state)
        return;
      /* Translators: %s is Avahi's explanation, in English */
      g_print (_("The room could not be announced on the local network (%s); people can still join at the addresses above.\n"),
               tertulia_announcer_get_error_message (announcer));
      break;

    case TERTULIA_ANNOUNCER_STOPPED:
    case TERTULIA_ANNOUNCER_STARTING:
    case TERTULIA_ANNOUNCER_REGISTERING:
    default:
      return;
    }

  app->told_state = state;
  g_free (app->told_name);
  app->told_name = g_strdup (service_name);
}

/* The first word of the user's real name ("Ana" from "Ana María López,,,"),
 * or the login name, or NULL when neither is known or usable.
 */
static char *
dup_first_name (void)
{
  const char *real_name = g_get_real_name ();
  const char *user_name = g_get_user_name ();

  /* GLib answers "Unknown" and "somebody" when it does not know. */
  if (real_name != NULL &&
      g_strcmp0 (real_name, "Unknown") != 0 &&
      g_utf8_validate (real_name, -1, NULL))
    {
      g_autofree char *name = g_strdup (real_name);
      char *end;

      /* The GECOS field may carry ",room,phone,…" after the name. */
      if ((end = strchr (name, ',')) != NULL)
        *end = '\0';
      g_strstrip (name);
      if ((end = strpbrk (name, " \t")) != NULL)
        *end = '\0';
      if (*name != '\0')
        return g_steal_pointer (&name);
    }

  if (user_name != NULL &&
      *user_name != '\0' &&
      g_strcmp0 (user_name, "somebody") != 0 &&
      g_utf8_validate (user_name, -1, NULL))
    return g_strdup (user_name);

  return NULL;
}

static char *
dup_default_room_name (void)
{
  g_autofree char *first_name = dup_first_name ();
  g_autofree char *name = NULL;

  if (first_name == NULL)
    return g_strdup ("Tertulia");

  /* Translators: the default name of a room; %s is the host's first name */
  name = g_strdup_printf (_("%s’s room"), first_name);
  if (g_utf8_strlen (name, -1) > TERTULIA_MAX_ROOM_NAME_CHARS)
    return g_strdup ("Tertulia");

  return g_steal_pointer (&name);
}

/* The room name is taken as raw bytes (G_OPTION_ARG_FILENAME) because
 * G_OPTION_ARG_STRING converts from the locale's charset and so refuses
 * "María" under LC_ALL=C, which is how services often run. UTF-8 is used as
 * it is; anything else is converted from the locale's charset.
 */
static char *
dup_room_name (const char  *arg,
               GError     **error)
{
  g_autofree char *name = NULL;
  const char *p;
  glong n_chars;

  if (g_utf8_validate (arg, -1, NULL))
    name = g_strdup (arg);
  else if ((name = g_locale_to_utf8 (arg, -1, NULL, NULL, NULL)) == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("The room name is not valid text."));
      return NULL;
    }

  g_strstrip (name);
  n_chars = g_utf8_strlen (name, -1);
  if (n_chars == 0)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("The room name cannot be empty."));
      return NULL;
    }
  if (n_chars > TERTULIA_MAX_ROOM_NAME_CHARS)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   ngettext ("The room name can be at most %d character long.",
                             "The room name can be at most %d characters long.",
                             TERTULIA_MAX_ROOM_NAME_CHARS),
                   TERTULIA_MAX_ROOM_NAME_CHARS);
      return NULL;
    }
  for (p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (g_unichar_iscntrl (g_utf8_get_char (p)))
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               _("The room name cannot contain line breaks or other control characters."));
          return NULL;
        }
    }

  return g_steal_pointer (&name);
}

static gboolean
parse_rate_limit (const char *text,
                  guint      *burst,
                  guint      *per_second)
{
  guint64 a, b;
  char *end;

  a = g_ascii_strtoull (text, &end, 10);
  if (end == text || *end != '/')
    return FALSE;
  text = end + 1;
  b = g_ascii_strtoull (text, &end, 10);
  if (end == text || *end != '\0' || a > G_MAXINT || b > G_MAXINT)
    return FALSE;

  *burst = (guint) a;
  *per_second = (guint) b;
  return TRUE;
}

/* Each guest is a socket: a room with hundreds of guests needs more file
 * descriptors than the usual soft limit of 1024. GLib polls with poll(),
 * not select(), so raising it to the hard limit is safe.
 */
static void
raise_fd_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = limit.rlim_max;
      if (setrlimit (RLIMIT_NOFILE, &limit) != 0)
        g_debug ("could not raise the limit on open files");
    }
}

/* The journal could not write any more: the room goes on in memory, and
 * whoever runs the host should know.
 */
static void
store_failed_cb (TertuliaStore *store,
                 const GError  *error,
                 gpointer       user_data)
{
  g_printerr ("tertulia-server: %s\n", error->message);
}

/* Where the room is kept: --data-dir, or for a fixed port a directory of
 * its own under the user's data directory. A room on a port picked at
 * random is not kept unless asked: started again, it would be on another
 * port, where its guests would not find it.
 */
static char *
dup_data_dir (const char *data_dir,
              gboolean    ephemeral,
              guint       port)
{
  g_autofree char *name = NULL;

  if (ephemeral)
    return NULL;

  if (data_dir != NULL)
    return g_strdup (data_dir);

  if (port == 0)
    return NULL;

  name = g_strdup_printf ("port-%u", port);

  return g_build_filename (g_get_user_data_dir (), "tertulia", "rooms", name, NULL);
}

/* "500M", "2G", "1.5GiB", "1048576": bytes (K, M, G, T are powers of 1024) */
static gboolean
parse_size (const char *text,
            guint64    *bytes)
{
  static const char units[] = "KMGT";
  g_autofree char *number = NULL;
  const char *end = text;
  const char *unit;
  double value;
  double scale = 1;

  while (g_ascii_isdigit (*end) || *end == '.')
    end++;
  if (end == text)
    return FALSE;

  number = g_strndup (text, (gsize) (end - text));
  value = g_ascii_strtod (number, NULL);

  if (*end != '\0')
    {
      unit = strchr (units, g_ascii_toupper (*end));
      if (unit == NULL)
        return FALSE;
      for (const char *u = units; u <= unit; u++)
        scale *= 1024;
      end++;
      if (g_ascii_strcasecmp (end, "") != 0 && g_ascii_strcasecmp (end, "B") != 0 &&
          g_ascii_strcasecmp (end, "iB") != 0)
        return FALSE;
    }

  value *= scale;
  if (value < 1 || value > (double) G_MAXINT64)
    return FALSE;

  *bytes = (guint64) value;
  return TRUE;
}

static int
usage_error (const char *message)
{
  g_printerr ("tertulia-server: %s\n", message);
  /* Translators: keep “tertulia-server --help” as it is, it is a command */
  g_printerr ("%s\n", _("Run “tertulia-server --help” to see the options."));
  return EXIT_USAGE;
}

int
main (int   argc,
      char *argv[])
{
  gint port = TERTULIA_DEFAULT_PORT;
  gint history = TERTULIA_DEFAULT_HISTORY;
  g_autofree char *bind = NULL;
  g_autofree char *room_name_arg = NULL;
  g_autofree char *room_name = NULL;
  gboolean version = FALSE;
  gboolean no_announce = FALSE;
  gboolean ephemeral = FALSE;
  g_autofree char *data_dir_arg = NULL;
  g_autofree char *data_dir = NULL;
  g_autoptr(TertuliaJournal) journal = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *host_key_file = NULL;
  gint max_connections = TERTULIA_MAX_CONNECTIONS;
  gint max_per_address = TERTULIA_MAX_CONNECTIONS_PER_ADDRESS;
  g_autofree char *rate_limit = NULL;
  g_auto(GStrv) host_names = NULL;
  g_autofree char *http_timeouts = NULL;
  g_autofree char *keepalive = NULL;
  g_autofree char *file_limit_arg = NULL;
  g_autofree char *room_quota_arg = NULL;
  g_autofree char *files_dir = NULL;
  guint64 file_limit = 0, room_quota = 0;
  g_autofree char *deadlines = NULL;
  guint hello_msec = 0, grace_msec = 0;
  guint http_headers_msec = 0, http_idle_msec = 0;
  guint ping_seconds = 0, idle_timeout_msec = 0;
  guint rate_burst = TERTULIA_RATE_BURST;
  guint rate_per_second = TERTULIA_RATE_PER_SECOND;
  char *password = NULL;
  g_auto(GStrv) remaining = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GInetAddress) bind_address = NULL;
  g_autoptr(GError) error = NULL;
  App app = { NULL, };
  guint sigint_id;
  guint sigterm_id;
  g_autofree char *default_room_name = NULL;
  g_autofree char *port_help = NULL;
  g_autofree char *room_name_help = NULL;
  g_autofree char *history_help = NULL;
  g_autofree char *max_connections_help = NULL;
  g_autofree char *max_per_address_help = NULL;
  GOptionEntry entries[] = {
    { "port", 'p', G_OPTION_FLAG_NONE, G_OPTION_ARG_INT, &port, NULL, N_("PORT") },
    { "bind", 'b', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &bind,
      N_("Listen only on this IP address, such as 127.0.0.1 (default: all)"),
      N_("ADDRESS") },
    { "room-name", 'n', G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &room_name_arg, NULL, N_("NAME") },
    { "history", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_INT, &history, NULL, N_("N") },
    { "no-announce", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &no_announce,
      N_("Do not announce the room on the local network (DNS-SD through Avahi)"), NULL },
    { "password-file", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &password_file,
      N_("Ask guests for the password on the first line of FILE (- reads it from standard input)"),
      N_("FILE") },
    /* issue 18 */
    { "host-key-file", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &host_key_file,
      N_("Write the room’s host key to FILE (readable by you only): tertulia-cli --host-key-file FILE joins as the host, who can moderate"),
      N_("FILE") },
    { "host-name", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING_ARRAY, &host_names,
      N_("Let browsers reach the room under NAME too, such as a name your network’s DNS gives this computer (IP addresses, localhost and this computer’s own names always work)"),
      N_("NAME") },
    { "data-dir", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &data_dir_arg,
      N_("Keep the room in DIR, so that started again there it continues: the same room, nothing lost, guests back in their places (default for a fixed port: a directory under ~/.local/share/tertulia/rooms)"),
      N_("DIR") },
    { "ephemeral", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &ephemeral,
      N_("Keep the room in memory only: nothing is written to disk, and started again it is a new room (always so with --port 0 and no --data-dir)"),
      NULL },
    { "file-limit", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &file_limit_arg,
      N_("Take shared files of up to SIZE each, such as 500M or 4G (default 2G)"), N_("SIZE") },
    { "room-quota", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &room_quota_arg,
      N_("Keep up to SIZE of shared files in all, such as 20G (default 10G)"), N_("SIZE") },
    { "max-connections", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_INT, &max_connections, NULL, N_("N") },
    { "max-connections-per-address", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_INT, &max_per_address, NULL, N_("N") },
    /* For benchmarks and tests: frames per guest connection, a burst then
     * a rate per second; "0/0" turns the limit off.
     */
    { "rate-limit", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &rate_limit, NULL, "BURST/PER_SECOND" },
    /* For tests: the deadlines before the upgrade, and the keepalive */
    { "http-timeouts", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &http_timeouts, NULL, "HEADERS_MS/IDLE_MS" },
    { "keepalive", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &keepalive, NULL, "PING_S/IDLE_MS" },
    /* For tests: the hello deadline and the resume grace */
    { "deadlines", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &deadlines, NULL, "HELLO_MS/GRACE_MS" },
    { "version", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &version,
      N_("Show the version and exit"), NULL },
    { G_OPTION_REMAINING, 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING_ARRAY, &remaining, NULL, NULL },
    { NULL, },
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* A script that reads the first line through a pipe must get it now, not
   * when a block buffer fills.
   */
  setvbuf (stdout, NULL, _IOLBF, 0);
  /* Nor should the room die when that script closes its end of the pipe and
   * we later print "Room closed.".
   */
  signal (SIGPIPE, SIG_IGN);

  /* The help shows the real defaults, so it is built at run time. */
  default_room_name = dup_default_room_name ();
  /* Translators: --port's help; %d is the default port */
  port_help = g_strdup_printf (_("Listen on port PORT (default %d; 0 picks a free one)"),
                               TERTULIA_DEFAULT_PORT);
  /* Translators: --room-name's help; %d is the longest name, %s the default name */
  room_name_help = g_strdup_printf (_("Call the room NAME, up to %d characters (default: “%s”)"),
                                    TERTULIA_MAX_ROOM_NAME_CHARS, default_room_name);
  /* Translators: --history's help; %d are numbers */
  history_help = g_strdup_printf (_("Keep N messages and events for people who join later, 1–%d (default %d)"),
                                  MAX_HISTORY, TERTULIA_DEFAULT_HISTORY);
  /* Translators: --max-connections' help; %d is the default */
  max_connections_help = g_strdup_printf (_("Let at most N guests be connected at once; 0 for no limit (default %d)"),
                                          TERTULIA_MAX_CONNECTIONS);
  /* Translators: --max-connections-per-address' help; %d is the default */
  max_per_address_help = g_strdup_printf (_("Let at most N connections come from one address; 0 for no limit (default %d)"),
                                          TERTULIA_MAX_CONNECTIONS_PER_ADDRESS);
  for (GOptionEntry *entry = entries; entry->long_name != NULL; entry++)
    {
      if (g_str_equal (entry->long_name, "max-connections"))
        entry->description = max_connections_help;
      else if (g_str_equal (entry->long_name, "max-connections-per-address"))
        entry->description = max_per_address_help;
    }
  entries[0].description = port_help;
  entries[2].description = room_name_help;
  entries[3].description = history_help;

  /* Translators: shown after "Usage: tertulia-server [OPTION…]" */
  context = g_option_context_new (_("— host a Tertulia chat room"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Opens a chat room on this computer for the people on your network.\n"
                                  "They join from a web browser, the Tertulia app or tertulia-cli at\n"
                                  "one of the addresses printed when the room opens, or from a phone\n"
                                  "by scanning the QR code printed with them. When Avahi runs on this\n"
                                  "computer, the room is also announced on the local network, so the\n"
                                  "Tertulia app and “tertulia-cli --discover” list it. The room stays\n"
                                  "open until you press Ctrl+C."));
  g_option_context_set_description (context,
                                    _("Exit status: 0 when the room was closed, 1 when an option is wrong,\n"
                                      "2 when the room could not be opened (for example, the port is in use)."));

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);

  if (version)
    {
      g_print ("tertulia-server %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  if (remaining != NULL && remaining[0] != NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is what the user typed */
      message = g_strdup_printf (_("Unexpected argument “%s”."), remaining[0]);
      return usage_error (message);
    }

  if (port < 0 || port > G_MAXUINT16)
    {
      g_autofree char *message = NULL;

      /* Translators: %d is the wrong port number the user gave */
      message = g_strdup_printf (_("The port must be a number from 0 to 65535, not %d."), port);
      return usage_error (message);
    }

  if (history < 1 || history > MAX_HISTORY)
    {
      g_autofree char *message = NULL;

      /* Translators: %d is the wrong number the user gave to --history */
      message = g_strdup_printf (_("--history must be a number from 1 to %d, not %d."),
                                 MAX_HISTORY, history);
      return usage_error (message);
    }

  if (max_connections < 0 || max_per_address < 0)
    /* Translators: keep the option names as they are */
    return usage_error (_("--max-connections and --max-connections-per-address take a number, 0 or more."));

  if (ephemeral && data_dir_arg != NULL)
    /* Translators: keep the option names as they are */
    return usage_error (_("--ephemeral keeps nothing, --data-dir keeps the room: give one or the other."));

  if ((file_limit_arg != NULL && !parse_size (file_limit_arg, &file_limit)) ||
      (room_quota_arg != NULL && !parse_size (room_quota_arg, &room_quota)))
    return usage_error (_("--file-limit and --room-quota take a size, such as 500M, 2G or 1T."));

  if (rate_limit != NULL && !parse_rate_limit (rate_limit, &rate_burst, &rate_per_second))
    return usage_error ("--rate-limit takes BURST/PER_SECOND, such as 50/10.");
  if (http_timeouts != NULL && !parse_rate_limit (http_timeouts, &http_headers_msec, &http_idle_msec))
    return usage_error ("--http-timeouts takes HEADERS_MS/IDLE_MS, such as 10000/15000.");
  if (keepalive != NULL && !parse_rate_limit (keepalive, &ping_seconds, &idle_timeout_msec))
    return usage_error ("--keepalive takes PING_S/IDLE_MS, such as 10/30000.");
  if (deadlines != NULL && !parse_rate_limit (deadlines, &hello_msec, &grace_msec))
    return usage_error ("--deadlines takes HELLO_MS/GRACE_MS, such as 10000/30000.");

  if (bind != NULL)
    {
      bind_address = g_inet_address_new_from_string (bind);
      if (bind_address == NULL)
        {
          g_autofree char *message = NULL;

          /* Translators: %s is what the user gave to --bind */
          message = g_strdup_printf (_("“%s” is not an IP address; --bind takes an address such as 127.0.0.1 or ::1."),
                                     bind);
          return usage_error (message);
        }
    }

  if (room_name_arg != NULL)
    {
      room_name = dup_room_name (room_name_arg, &error);
      if (room_name == NULL)
        return usage_error (error->message);
    }
  else
    room_name = g_steal_pointer (&default_room_name);

  /* Last, so that no other mistake leaves it in memory */
  if (password_file != NULL)
    {
      gboolean others_can_read = FALSE;

      password = tertulia_password_read_file (password_file, &others_can_read, &error);
      if (password == NULL)
        return usage_error (error->message);

      /* Refusing such a file would only make people loosen things
       * elsewhere; saying so is enough.
       */
      if (others_can_read)
        {
          g_autofree char *display = g_filename_display_name (password_file);

          /* Translators: %s is a file name; keep "chmod 600" as it is, it is a command */
          g_printerr (_("Warning: other users of this computer can read the password in %s (chmod 600 makes it private).\n"),
                      display);
        }
    }

  raise_fd_limit ();

  data_dir = dup_data_dir (data_dir_arg, ephemeral, (guint) port);
  if (data_dir != NULL)
    {
      journal = tertulia_journal_open (data_dir, &error);
      if (journal == NULL)
        {
          g_printerr ("tertulia-server: %s\n", error->message);
          g_clear_pointer (&password, tertulia_password_free);
          return EXIT_LISTEN;
        }
      if (tertulia_journal_get_notice (journal) != NULL)
        g_printerr ("tertulia-server: %s\n", tertulia_journal_get_notice (journal));
      g_signal_connect (journal, "failed", G_CALLBACK (store_failed_cb), NULL);
      app.server = tertulia_server_new_with_store (room_name, (guint) history, TERTULIA_STORE (journal));
    }
  else
    {
      app.server = tertulia_server_new_full (room_name, (guint) history);
    }
  tertulia_server_set_max_connections (app.server, (guint) max_connections, (guint) max_per_address);
  tertulia_server_set_file_limits (app.server, file_limit, room_quota);
  /* Shared files are kept beside the journal, for a host started again */
  if (data_dir != NULL)
    {
      files_dir = g_build_filename (data_dir, "files", NULL);
      tertulia_server_set_files_directory (app.server, files_dir);
    }
  _tertulia_server_set_rate_limit (app.server, rate_burst, rate_per_second);
  for (guint i = 0; host_names != NULL && host_names[i] != NULL; i++)
    _tertulia_server_add_host_name (app.server, host_names[i]);
  _tertulia_server_set_http_timeouts (app.server, http_headers_msec, http_idle_msec);
  _tertulia_server_set_keepalive (app.server, ping_seconds, idle_timeout_msec);
  _tertulia_server_set_deadlines (app.server, hello_msec, grace_msec);
  if (password != NULL)
    {
      tertulia_server_set_password (app.server, password);
      g_clear_pointer (&password, tertulia_password_free);
    }
  /* issue 18: the headless host's moderator joins with tertulia-cli */
  if (host_key_file != NULL)
    {
      g_autofree char *line = g_strconcat (tertulia_server_get_host_key (app.server), "\n", NULL);

      if (!g_file_set_contents_full (host_key_file, line, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
        {
          g_printerr ("tertulia-server: %s\n", error->message);
          g_clear_object (&app.server);
          return EXIT_LISTEN;
        }
    }
  app.loop = g_main_loop_new (NULL, FALSE);
  /* Before the banner: a script may send SIGTERM as soon as it reads it. */
  sigint_id = g_unix_signal_add (SIGINT, sigint_cb, &app);
  sigterm_id = g_unix_signal_add (SIGTERM, sigterm_cb, &app);

  if (!tertulia_server_listen (app.server, bind, (guint) port, &error))
    {
      _tertulia_server_print_listen_error (error, (guint) port, bind, bind_address);
      g_clear_handle_id (&sigint_id, g_source_remove);
      g_clear_handle_id (&sigterm_id, g_source_remove);
      g_clear_object (&app.server);
      g_clear_pointer (&app.loop, g_main_loop_unref);
      return EXIT_LISTEN;
    }

  _tertulia_server_print_banner (room_name, tertulia_server_get_port (app.server), bind_address);
  if (tertulia_server_get_password_required (app.server))
    g_print ("%s\n", _("Guests must give the room’s password to join."));
  if (journal != NULL)
    {
      g_autofree char *display = g_filename_display_name (data_dir);

      /* Translators: %s is a directory */
      g_print (_("The room is kept in %s; started there again, it continues.\n"), display);
    }
  fflush (stdout);

  /* A room only this computer can reach is not worth announcing. */
  if (!no_announce && (bind_address == NULL || !g_inet_address_get_is_loopback (bind_address)))
    {
      app.told_state = TERTULIA_ANNOUNCER_STOPPED;
      app.announcer = tertulia_announcer_new_for_server (app.server, bind);
      g_signal_connect (app.announcer, "notify::state", G_CALLBACK (announcer_state_cb), &app);
      tertulia_announcer_start (app.announcer);
    }

  g_main_loop_run (app.loop);

  g_clear_handle_id (&sigint_id, g_source_remove);
  g_clear_handle_id (&sigterm_id, g_source_remove);
  g_clear_handle_id (&app.grace_id, g_source_remove);
  if (app.announcer != NULL)
    g_signal_handlers_disconnect_by_data (app.announcer, &app);
  g_clear_object (&app.announcer);
  g_clear_pointer (&app.told_name, g_free);
  g_clear_object (&app.server);
  g_clear_pointer (&app.loop, g_main_loop_unref);

  g_print ("%s\n", _("Room closed."));
  fflush (stdout);

  return EXIT_SUCCESS;
}

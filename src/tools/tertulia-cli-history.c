/* tertulia-cli-history.c — /history and /search: the terminal looks back through the host's scrollback
 *
 * The welcome brings the room's recent past. /history N asks the host for
 * the N messages before the oldest one printed and prints them; /search
 * TEXT looks through what is loaded, then pages back through what the
 * host keeps, printing the messages that contain TEXT (ignoring case),
 * newest first. It stops at the start of the room's history or after
 * SEARCH_MAX_PAGES pages; /search again goes on from there.
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-cli"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "tertulia-cli-private.h"

#define HISTORY_DEFAULT 50
#define HISTORY_MAX 1000
#define SEARCH_MAX_PAGES 50

typedef enum
{
  JOB_NONE,
  JOB_HISTORY,
  JOB_SEARCH,
} JobKind;

struct _TertuliaCliHistory
{
  TertuliaClient          *client;   /* borrowed: the cli owns it */
  TertuliaCliPrintMessage  print_message;
  TertuliaCliPrintLine     print_line;
  gpointer                 user_data;

  JobKind                  job;
  gulong                   fetching_id;
  /* The oldest seq before the job began, and before the page under way */
  gint64                   job_oldest;
  gint64                   page_oldest;
  /* /history: events still wanted; /search: pages asked for, matches */
  guint                    wanted;
  guint                    pages;
  guint                    found;
  char                    *needle;   /* case-folded */
};

static void
notice (TertuliaCliHistory *self,
        const char         *text)
{
  g_autofree char *line = g_strdup_printf ("*** %s", text);

  self->print_line (line, TRUE, self->user_data);
}

static TertuliaRoom *
room_of (TertuliaCliHistory *self)
{
  return tertulia_client_get_room (self->client);
}

/* The oldest seq in the log, or, when the log has no event, the seq
 * after the room's last one: what the next page comes before.
 */
static gint64
oldest_seq (TertuliaCliHistory *self)
{
  gint64 oldest = tertulia_room_get_oldest_seq (room_of (self));

  return oldest > 0 ? oldest : tertulia_room_get_last_seq (room_of (self)) + 1;
}

/* Calls @func on each row of the room's log with @first ≤ seq < @last,
 * oldest first, or newest first when @backwards.
 */
static void
foreach_row (TertuliaCliHistory *self,
             gint64              first,
             gint64              last,
             gboolean            backwards,
             void              (*func) (TertuliaCliHistory *, TertuliaMessage *))
{
  GListModel *messages = tertulia_room_get_messages (room_of (self));
  guint n = g_list_model_get_n_items (messages);

  for (guint k = 0; k < n; k++)
    {
      g_autoptr(TertuliaMessage) message = g_list_model_get_item (messages, backwards ? n - 1 - k : k);
      gint64 seq = tertulia_message_get_seq (message);

      if (seq >= first && seq < last)
        func (self, message);
    }
}

static void
print_history_row (TertuliaCliHistory *self,
                   TertuliaMessage    *message)
{
  self->print_message (message, self->user_data);
}

/* A match, with its date: it may be from days ago */
static void
search_row (TertuliaCliHistory *self,
            TertuliaMessage    *message)
{
  TertuliaMessageKind kind = tertulia_message_get_kind (message);
  g_autofree char *folded = NULL;
  g_autofree char *when = NULL;
  g_autofree char *author = NULL;
  g_autofree char *text = NULL;
  g_autofree char *line = NULL;

  if (kind == TERTULIA_MESSAGE_KIND_NOTICE || tertulia_message_get_text (message) == NULL)
    return;

  folded = g_utf8_casefold (tertulia_message_get_text (message), -1);
  if (strstr (folded, self->needle) == NULL)
    return;

  self->found++;
  when = g_date_time_format (tertulia_message_get_time (message), "%Y-%m-%d %H:%M");
  author = _tertulia_cli_sanitize_for_terminal (tertulia_message_get_author (message));
  text = _tertulia_cli_sanitize_for_terminal (tertulia_message_get_text (message));
  if (kind == TERTULIA_MESSAGE_KIND_ACTION)
    line = g_strdup_printf ("[%s] * %s %s", when, author, text);
  else
    line = g_strdup_printf ("[%s] <%s> %s", when, author, text);
  self->print_line (line, FALSE, self->user_data);
}

static void
end_job (TertuliaCliHistory *self)
{
  g_clear_signal_handler (&self->fetching_id, self->client);
  g_clear_pointer (&self->needle, g_free);
  self->job = JOB_NONE;
}

static void
finish_history (TertuliaCliHistory *self,
                gboolean            refused)
{
  gint64 oldest = oldest_seq (self);

  if (oldest < self->job_oldest)
    foreach_row (self, oldest, self->job_oldest, FALSE, print_history_row);

  if (refused)
    notice (self, _("The host gave no older messages. Try again in a moment."));
  else if (!tertulia_room_get_has_older (room_of (self)))
    notice (self, oldest < self->job_oldest ? _("That is the start of the room’s history.")
                                            : _("There is nothing older in the room’s history."));
  end_job (self);
}

static void
finish_search (TertuliaCliHistory *self,
               gboolean            refused)
{
  TertuliaRoom *room = room_of (self);
  g_autofree char *found = NULL;

  /* Translators: the end of a /search */
  found = g_strdup_printf (ngettext ("%u message found.", "%u messages found.", self->found),
                           self->found);
  notice (self, found);

  if (refused)
    {
      notice (self, _("The host gave no older messages. Try again in a moment."));
    }
  else if (!tertulia_room_get_has_older (room))
    {
      notice (self, _("Searched the room’s whole history."));
    }
  else
    {
      GListModel *messages = tertulia_room_get_messages (room);
      g_autofree char *when = NULL;
      g_autofree char *line = NULL;

      for (guint i = 0; i < g_list_model_get_n_items (messages) && when == NULL; i++)
        {
          g_autoptr(TertuliaMessage) message = g_list_model_get_item (messages, i);

          if (tertulia_message_get_seq (message) > 0)
            when = g_date_time_format (tertulia_message_get_time (message), "%Y-%m-%d %H:%M");
        }

      /* Translators: %s is the date and time of the oldest message searched */
      line = g_strdup_printf (_("Searched back to %s; /search again looks further back."),
                              when != NULL ? when : "");
      notice (self, line);
    }

  end_job (self);
}

static void
finish (TertuliaCliHistory *self,
        gboolean            refused)
{
  if (self->job == JOB_HISTORY)
    finish_history (self, refused);
  else
    finish_search (self, refused);
}

/* FALSE when there is nothing to ask for (or no way to ask) */
static gboolean
ask_page (TertuliaCliHistory *self)
{
  guint limit = TERTULIA_MAX_HISTORY_PAGE;

  if (self->job == JOB_HISTORY)
    limit = MIN (self->wanted, TERTULIA_MAX_HISTORY_PAGE);
  else if (self->pages >= SEARCH_MAX_PAGES)
    return FALSE;

  self->page_oldest = oldest_seq (self);
  if (!tertulia_client_fetch_history (self->client, limit))
    return FALSE;

  self->pages++;
  return TRUE;
}

static void
fetching_changed_cb (TertuliaClient     *client,
                     GParamSpec         *pspec,
                     TertuliaCliHistory *self)
{
  gint64 oldest;

  if (tertulia_client_get_fetching_history (client))
    return;

  oldest = oldest_seq (self);

  /* Refused, or the link dropped on the way */
  if (oldest == self->page_oldest && tertulia_room_get_has_older (room_of (self)))
    {
      finish (self, TRUE);
      return;
    }

  if (self->job == JOB_HISTORY)
    {
      /* A page's events have consecutive seqs */
      guint64 got = self->page_oldest > oldest ? (guint64) (self->page_oldest - oldest) : 0;

      self->wanted -= (guint) MIN (got, self->wanted);
      if (self->wanted == 0 || !ask_page (self))
        finish (self, FALSE);
    }
  else
    {
      foreach_row (self, oldest, self->page_oldest, TRUE, search_row);
      if (!ask_page (self))
        finish (self, FALSE);
    }
}

static void
start_job (TertuliaCliHistory *self,
           JobKind             kind)
{
  self->job = kind;
  self->pages = 0;
  self->found = 0;
  self->job_oldest = oldest_seq (self);
  self->fetching_id = g_signal_connect (self->client, "notify::fetching-history",
                                        G_CALLBACK (fetching_changed_cb), self);
}

static void
run_history (TertuliaCliHistory *self,
             const char         *argument)
{
  guint64 wanted = HISTORY_DEFAULT;

  if (argument[0] != '\0' &&
      !g_ascii_string_to_unsigned (argument, 10, 1, HISTORY_MAX, &wanted, NULL))
    {
      /* Translators: keep "/history" as it is; %d is the most it shows */
      g_autofree char *usage = g_strdup_printf (_("Usage: /history [N], with N from 1 to %d."), HISTORY_MAX);

      notice (self, usage);
      return;
    }

  start_job (self, JOB_HISTORY);
  self->wanted = (guint) wanted;
  if (!ask_page (self))
    finish (self, FALSE);
}

static void
run_search (TertuliaCliHistory *self,
            const char         *argument)
{
  g_autofree char *normalized = NULL;

  if (argument[0] == '\0')
    {
      /* Translators: keep "/search" as it is; TEXT is what to look for */
      notice (self, _("Usage: /search TEXT"));
      return;
    }

  normalized = g_utf8_normalize (argument, -1, G_NORMALIZE_NFC);
  start_job (self, JOB_SEARCH);
  self->needle = g_utf8_casefold (normalized, -1);

  /* What is loaded already, then the host's older pages */
  foreach_row (self, 1, G_MAXINT64, TRUE, search_row);
  if (!ask_page (self))
    finish (self, FALSE);
}

gboolean
_tertulia_cli_history_is_older_row (TertuliaCliHistory *self,
                                    TertuliaMessage    *message)
{
  gint64 seq = tertulia_message_get_seq (message);

  return self->job != JOB_NONE && tertulia_client_get_fetching_history (self->client) &&
         seq > 0 && seq < self->page_oldest;
}

gboolean
_tertulia_cli_history_run_line (TertuliaCliHistory *self,
                                const char         *line)
{
  g_autofree char *stripped = g_strstrip (g_strdup (line));
  const char *argument = NULL;
  gboolean history = FALSE;

  if (g_str_equal (stripped, "/history") || g_str_has_prefix (stripped, "/history "))
    {
      history = TRUE;
      argument = stripped + strlen ("/history");
    }
  else if (g_str_equal (stripped, "/search") || g_str_has_prefix (stripped, "/search "))
    {
      argument = stripped + strlen ("/search");
    }
  else
    {
      return FALSE;
    }

  while (g_ascii_isspace (*argument))
    argument++;

  if (self->job != JOB_NONE)
    {
      notice (self, _("Still looking back through the room’s history; wait for it to finish."));
      return TRUE;
    }

  if (tertulia_client_get_state (self->client) != TERTULIA_CONNECTION_CONNECTED)
    {
      notice (self, _("You are not connected to the room."));
      return TRUE;
    }

  if (history)
    run_history (self, argument);
  else
    run_search (self, argument);

  return TRUE;
}

const char *
_tertulia_cli_history_help_text (void)
{
  /* Translators: more lines of the /help text of tertulia-cli; keep the
   * commands as they are; N and TEXT stand for what the user types
   */
  return _("/history [N] — show the N messages before the oldest one shown (50 unless given)\n"
           "/search TEXT — find the messages with TEXT in the room’s history, newest first");
}

TertuliaCliHistory *
_tertulia_cli_history_new (TertuliaClient          *client,
                           TertuliaCliPrintMessage  print_message,
                           TertuliaCliPrintLine     print_line,
                           gpointer                 user_data)
{
  TertuliaCliHistory *self = g_new0 (TertuliaCliHistory, 1);

  self->client = client;
  self->print_message = print_message;
  self->print_line = print_line;
  self->user_data = user_data;

  return self;
}

void
_tertulia_cli_history_free (TertuliaCliHistory *self)
{
  if (self == NULL)
    return;

  end_job (self);
  g_free (self);
}

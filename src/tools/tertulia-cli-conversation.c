/* tertulia-cli-conversation.c — replies, reactions, edits, deletions and
 * typing in the terminal guest (issue 19)
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-cli"

#include "config.h"

#include <stdio.h>

#include <glib/gi18n-lib.h>

#include "tertulia-command-conversation.h"
#include "tertulia-protocol-conversation.h"

#include "tertulia-cli-private.h"

struct _TertuliaCliConversation
{
  TertuliaClient          *client;
  TertuliaCliPrintMessage  reprint;
  TertuliaCliPrintLine     print_line;
  gpointer                 user_data;
  char                    *status;       /* drawn on the last line, or NULL */
  gboolean                 status_line;  /* the output is a terminal */
  gboolean                 status_shown;
  gboolean                 typing;       /* something typed here takes the last line */
};

static TertuliaRoom *
room_of (TertuliaCliConversation *self)
{
  return tertulia_client_get_room (self->client);
}

static void
say (TertuliaCliConversation *self,
     const char              *text)
{
  g_autofree char *clean = _tertulia_cli_sanitize_for_terminal (text);
  g_autofree char *line = g_strdup_printf ("*** %s", clean);

  self->print_line (line, TRUE, self->user_data);
}


/* How messages look */

char *
_tertulia_cli_conversation_describe (TertuliaMessage *message)
{
  GPtrArray *reactions = tertulia_message_get_reactions (message);
  GString *out;

  if (tertulia_message_get_deleted (message))
    {
      const char *by = tertulia_message_get_deleted_by (message);

      /* Someone else took it away: a moderator */
      if (by != NULL && g_strcmp0 (by, tertulia_message_get_author (message)) != 0)
        {
          g_autofree char *clean = _tertulia_cli_sanitize_for_terminal (by);

          /* Translators: a deleted message in the terminal's log; %s is a nickname */
          return g_strdup_printf (_("[message removed by %s]"), clean);
        }

      /* Translators: a deleted message in the terminal's log */
      return g_strdup (_("[message deleted]"));
    }

  out = g_string_new (NULL);
  {
    g_autofree char *text = _tertulia_cli_sanitize_for_terminal (tertulia_message_get_text (message));

    g_string_append (out, text);
  }

  if (tertulia_message_get_edited (message))
    /* Translators: after a message that its author changed */
    g_string_append_printf (out, " %s", _("(edited)"));

  if (reactions->len > 0)
    {
      g_string_append (out, " [");
      for (guint i = 0; i < reactions->len; i++)
        {
          TertuliaReaction *reaction = g_ptr_array_index (reactions, i);
          g_autofree char *emoji = _tertulia_cli_sanitize_for_terminal (reaction->emoji);

          g_string_append_printf (out, "%s%s %u", i > 0 ? " " : "", emoji, reaction->nicks->len);
        }
      g_string_append_c (out, ']');
    }

  return g_string_free (out, FALSE);
}

char *
_tertulia_cli_conversation_dup_quote (TertuliaMessage *message)
{
  g_autofree char *author = NULL;
  g_autofree char *text = NULL;

  if (tertulia_message_get_reply_to_seq (message) < 1)
    return NULL;

  author = _tertulia_cli_sanitize_for_terminal (tertulia_message_get_reply_to_author (message));
  text = _tertulia_cli_sanitize_for_terminal (tertulia_message_get_reply_to_text (message));

  if (author[0] == '\0')
    /* Translators: a reply's quote of a message this terminal has not seen; %s is its number */
    return g_strdup_printf (_("↳ #%" G_GINT64_FORMAT), tertulia_message_get_reply_to_seq (message));

  return g_strdup_printf ("↳ %s: %s", author, text);
}


/* The status line */

void
_tertulia_cli_conversation_hide_status (TertuliaCliConversation *self)
{
  if (self == NULL || !self->status_shown)
    return;

  g_print ("\r\033[K");
  self->status_shown = FALSE;
}

void
_tertulia_cli_conversation_show_status (TertuliaCliConversation *self)
{
  g_autofree char *clean = NULL;

  if (self == NULL || self->status == NULL || self->status_shown || self->typing ||
      !self->status_line)
    return;

  clean = _tertulia_cli_sanitize_for_terminal (self->status);
  g_print ("\033[2m%s\033[0m", clean);
  fflush (stdout);
  self->status_shown = TRUE;
}

void
_tertulia_cli_conversation_set_typing (TertuliaCliConversation *self,
                                       gboolean                 typing)
{
  if (self == NULL || self->typing == !!typing)
    return;

  self->typing = !!typing;
  if (typing)
    _tertulia_cli_conversation_hide_status (self);
  else
    _tertulia_cli_conversation_show_status (self);
}

static char *
describe_typing (GStrv nicks)
{
  guint n = g_strv_length (nicks);

  if (n == 0)
    return NULL;
  if (n == 1)
    /* Translators: the terminal's status line; %s is a nickname */
    return g_strdup_printf (_("%s is typing…"), nicks[0]);
  if (n == 2)
    /* Translators: the terminal's status line; the %s are nicknames */
    return g_strdup_printf (_("%s and %s are typing…"), nicks[0], nicks[1]);

  /* Translators: the terminal's status line; %s is a nickname, %u how many others */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s and %u other are typing…",
                                       "%s and %u others are typing…", n - 1),
                          nicks[0], n - 1);
}

static void
typing_changed_cb (TertuliaRoom            *room,
                   GParamSpec              *pspec,
                   TertuliaCliConversation *self)
{
  g_auto(GStrv) nicks = tertulia_room_dup_typing (room);
  g_autofree char *status = describe_typing (nicks);

  if (g_strcmp0 (status, self->status) == 0)
    return;

  _tertulia_cli_conversation_hide_status (self);
  g_free (self->status);
  self->status = g_steal_pointer (&status);
  _tertulia_cli_conversation_show_status (self);
}

/* A message already in the log changed: it is printed again as it is now */
static void
amendment_cb (TertuliaRoom            *room,
              const TertuliaFrame     *event,
              TertuliaCliConversation *self)
{
  TertuliaMessage *message = tertulia_room_find_message_by_seq (room, event->target);

  if (message != NULL && g_object_get_data (G_OBJECT (message), "tertulia-cli-printed") != NULL)
    self->reprint (message, self->user_data);
}


/* Commands */

gboolean
_tertulia_cli_conversation_run_line (TertuliaCliConversation *self,
                                     const char              *line)
{
  g_autoptr(TertuliaConversationCommand) command = NULL;
  g_autoptr(GError) error = NULL;
  TertuliaMessage *target;
  gboolean sent = FALSE;

  if (!tertulia_command_parse_conversation (line, &command, &error))
    return FALSE;

  if (command == NULL)
    {
      say (self, error->message);
      return TRUE;
    }

  target = tertulia_room_find_message_by_seq (room_of (self), command->seq);

  /* The host would refuse it; said here, at once and in the user's words */
  if (command->type != TERTULIA_CONVERSATION_COMMAND_REPLY && target == NULL &&
      command->seq > tertulia_room_get_last_seq (room_of (self)))
    {
      g_autofree char *text = NULL;

      /* Translators: %s is the number the user typed */
      text = g_strdup_printf (_("There is no message #%" G_GINT64_FORMAT " in the log."), command->seq);
      say (self, text);
      return TRUE;
    }

  switch (command->type)
    {
    case TERTULIA_CONVERSATION_COMMAND_REPLY:
      {
        g_autofree char *text = tertulia_protocol_normalize_text (command->argument, &error);

        if (text == NULL)
          {
            say (self, tertulia_protocol_describe_error (tertulia_protocol_error_code (error),
                                                         error->message));
            return TRUE;
          }
        sent = tertulia_client_send_reply (self->client, TERTULIA_MESSAGE_KIND_CHAT,
                                           text, command->seq) != NULL;
      }
      break;

    case TERTULIA_CONVERSATION_COMMAND_REACT:
    case TERTULIA_CONVERSATION_COMMAND_UNREACT:
      {
        g_autofree char *emoji = tertulia_protocol_normalize_emoji (command->argument, NULL);

        if (emoji == NULL)
          {
            say (self, tertulia_protocol_describe_error (TERTULIA_ERROR_EMOJI_INVALID, NULL));
            return TRUE;
          }
        sent = tertulia_client_react (self->client, command->seq, emoji,
                                      command->type == TERTULIA_CONVERSATION_COMMAND_REACT);
      }
      break;

    case TERTULIA_CONVERSATION_COMMAND_EDIT:
      {
        g_autofree char *text = tertulia_protocol_normalize_text (command->argument, &error);

        if (text == NULL)
          {
            say (self, tertulia_protocol_describe_error (tertulia_protocol_error_code (error),
                                                         error->message));
            return TRUE;
          }
        sent = tertulia_client_edit_message (self->client, command->seq, text);
      }
      break;

    case TERTULIA_CONVERSATION_COMMAND_DELETE:
      sent = tertulia_client_delete_message (self->client, command->seq);
      break;

    default:
      g_assert_not_reached ();
    }

  if (!sent)
    say (self, _("You are not connected to the room."));

  return TRUE;
}


TertuliaCliConversation *
_tertulia_cli_conversation_new (TertuliaClient          *client,
                                gboolean                 status_line,
                                TertuliaCliPrintMessage  reprint,
                                TertuliaCliPrintLine     print_line,
                                gpointer                 user_data)
{
  TertuliaCliConversation *self = g_new0 (TertuliaCliConversation, 1);

  self->client = g_object_ref (client);
  self->status_line = status_line;
  self->reprint = reprint;
  self->print_line = print_line;
  self->user_data = user_data;

  g_signal_connect (room_of (self), "notify::typing", G_CALLBACK (typing_changed_cb), self);
  g_signal_connect (room_of (self), "amendment", G_CALLBACK (amendment_cb), self);

  return self;
}

void
_tertulia_cli_conversation_free (TertuliaCliConversation *self)
{
  if (self == NULL)
    return;

  g_signal_handlers_disconnect_by_data (room_of (self), self);
  g_clear_object (&self->client);
  g_free (self->status);
  g_free (self);
}

/* tertulia-cli-moderation.c — tertulia-cli's moderation commands and its
 * private messages, shown apart from the room's ("[private] ana → you: …")
 * (issue 18)
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-cli"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tertulia-cli-private.h"

struct _TertuliaCliModeration
{
  /* Owned */
  TertuliaClient       *client;
  /* Own private messages on their way, watched until delivered */
  GPtrArray            *sending;

  TertuliaCliPrintLine  print_line;
  gpointer              user_data;
};

static void
print_private (TertuliaCliModeration *self,
               TertuliaMessage       *message,
               const char            *other)
{
  g_autofree char *time = tertulia_message_format_time (message);
  g_autofree char *nick = _tertulia_cli_sanitize_for_terminal (other);
  g_autofree char *text = _tertulia_cli_sanitize_for_terminal (tertulia_message_get_text (message));
  g_autofree char *body = NULL;
  g_autofree char *line = NULL;

  if (tertulia_message_get_is_own (message))
    /* Translators: a private message you sent; %s are the nickname and the text */
    body = g_strdup_printf (_("[private] you → %s: %s"), nick, text);
  else
    /* Translators: a private message to you; %s are the nickname and the text */
    body = g_strdup_printf (_("[private] %s → you: %s"), nick, text);

  line = g_strdup_printf ("[%s] %s", time, body);
  self->print_line (line, FALSE, self->user_data);
}

static void
private_message_cb (TertuliaRoom          *room,
                    TertuliaConversation  *conversation,
                    TertuliaMessage       *message,
                    TertuliaCliModeration *self)
{
  print_private (self, message, tertulia_conversation_get_nick (conversation));
  tertulia_conversation_mark_read (conversation);
}

static void
own_state_cb (TertuliaMessage       *message,
              GParamSpec            *pspec,
              TertuliaCliModeration *self)
{
  TertuliaMessageState state = tertulia_message_get_state (message);
  const char *to = g_object_get_data (G_OBJECT (message), "tertulia-cli-to");

  if (state == TERTULIA_MESSAGE_STATE_SENDING)
    return;

  if (state == TERTULIA_MESSAGE_STATE_DELIVERED)
    print_private (self, message, to);
  /* A refusal is said by the room's notice */

  g_signal_handlers_disconnect_by_data (message, self);
  g_ptr_array_remove (self->sending, message);
}

TertuliaCliModeration *
_tertulia_cli_moderation_new (TertuliaClient       *client,
                              TertuliaCliPrintLine  print_line,
                              gpointer              user_data)
{
  TertuliaCliModeration *self = g_new0 (TertuliaCliModeration, 1);

  self->client = g_object_ref (client);
  self->sending = g_ptr_array_new_with_free_func (g_object_unref);
  self->print_line = print_line;
  self->user_data = user_data;

  g_signal_connect (tertulia_client_get_room (client), "private-message",
                    G_CALLBACK (private_message_cb), self);

  return self;
}

void
_tertulia_cli_moderation_free (TertuliaCliModeration *self)
{
  if (self == NULL)
    return;

  for (guint i = 0; i < self->sending->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->sending, i), self);
  g_signal_handlers_disconnect_by_data (tertulia_client_get_room (self->client), self);
  g_clear_pointer (&self->sending, g_ptr_array_unref);
  g_clear_object (&self->client);
  g_free (self);
}

gboolean
_tertulia_cli_moderation_run (TertuliaCliModeration  *self,
                              const TertuliaCommand  *command,
                              GError                **error)
{
  TertuliaRoom *room = tertulia_client_get_room (self->client);

  if (command->type == TERTULIA_COMMAND_MSG)
    {
      GListModel *conversations = tertulia_room_get_conversations (room);
      g_autoptr(TertuliaConversation) conversation = NULL;
      g_autoptr(TertuliaMessage) message = NULL;
      GListModel *messages;

      if (!tertulia_client_run_command (self->client, command, error))
        return FALSE;

      /* The message just sent is the last of the conversation with the
       * newest activity: printed once the host relays it
       */
      conversation = g_list_model_get_item (conversations, 0);
      messages = tertulia_conversation_get_messages (conversation);
      message = g_list_model_get_item (messages, g_list_model_get_n_items (messages) - 1);
      g_assert (tertulia_message_get_is_own (message));

      g_object_set_data_full (G_OBJECT (message), "tertulia-cli-to",
                              g_strdup (tertulia_conversation_get_nick (conversation)), g_free);
      g_ptr_array_add (self->sending, g_object_ref (message));
      g_signal_connect (message, "notify::state", G_CALLBACK (own_state_cb), self);

      return TRUE;
    }

  return tertulia_client_run_command (self->client, command, error);
}

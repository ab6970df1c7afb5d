/* tertulia-client-moderation.c — moderation and private messages: the
 * frames a moderator sends, the ban list, private messages out and in,
 * and not coming back after a kick or a ban (issue 18)
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tertulia-client-private.h"

/* A private message of ours on its way */
typedef struct
{
  TertuliaMessage *message;
  gint64           to_id;
} PendingPrivate;

static void
pending_private_free (PendingPrivate *pending)
{
  g_clear_object (&pending->message);
  g_free (pending);
}

void
_tertulia_client_moderation_init (TertuliaClient *self)
{
  self->bans_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  self->pending_privates = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_private_free);
}

void
_tertulia_client_moderation_finalize (TertuliaClient *self)
{
  g_clear_pointer (&self->bans_tasks, g_ptr_array_unref);
  g_clear_pointer (&self->pending_privates, g_ptr_array_unref);
  g_clear_pointer (&self->removed_reason, g_free);
}

static void
fail_bans_tasks (TertuliaClient      *self,
                 TertuliaClientError  code,
                 const char          *sentence)
{
  g_autoptr(GPtrArray) tasks = g_steal_pointer (&self->bans_tasks);

  self->bans_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < tasks->len; i++)
    g_task_return_new_error (g_ptr_array_index (tasks, i), TERTULIA_CLIENT_ERROR, code, "%s", sentence);
}

void
_tertulia_client_moderation_connection_gone (TertuliaClient *self)
{
  if (self->bans_tasks != NULL && self->bans_tasks->len > 0)
    fail_bans_tasks (self, TERTULIA_CLIENT_ERROR_CLOSED, _("The connection to the room was lost."));
}


/* Moderation frames */

static gboolean
send_frame (TertuliaClient *self,
            TertuliaFrame  *frame)
{
  g_autoptr(TertuliaFrame) owned = frame;

  if (!self->welcomed)
    return FALSE;

  return _tertulia_client_send_frame (self, owned);
}

static gboolean
send_about (TertuliaClient    *self,
            TertuliaFrameType  type,
            gint64             id,
            const char        *reason)
{
  TertuliaFrame *frame;

  if (id < 1)
    return FALSE;

  frame = tertulia_frame_new (type);
  frame->target.id = id;
  if (reason != NULL && reason[0] != '\0')
    frame->reason = g_strdup (reason);

  return send_frame (self, frame);
}

gboolean
tertulia_client_kick (TertuliaClient *self,
                      gint64          id,
                      const char     *reason)
{
  g_return_val_if_fail (TERTULIA_IS_CLIENT (self), FALSE);

  return send_about (self, TERTULIA_FRAME_KICK, id, reason);
}

gboolean
tertulia_client_ban (TertuliaClient *self,
                     gint64          id,
                     const char     *reason)
{
  g_return_val_if_fail (TERTULIA_IS_CLIENT (self), FALSE);

  return send_about (self, TERTULIA_FRAME_BAN, id, reason);
}

gboolean
tertulia_client_unban (TertuliaClient *self,
                       gint64          ban_id)
{
  TertuliaFrame *frame;

  g_return_val_if_fail (TERTULIA_IS_CLIENT (self), FALSE);

  if (ban_id < 1)
    return FALSE;

  frame = tertulia_frame_new (TERTULIA_FRAME_UNBAN);
  frame->ban_id = ban_id;

  return send_frame (self, frame);
}

gboolean
tertulia_client_set_muted (TertuliaClient *self,
                           gint64          id,
                           gboolean        muted)
{
  g_return_val_if_fail (TERTULIA_IS_CLIENT (self), FALSE);

  return send_about (self, muted ? TERTULIA_FRAME_MUTE : TERTULIA_FRAME_UNMUTE, id, NULL);
}

gboolean
tertulia_client_set_slow_mode (TertuliaClient *self,
                               guint           seconds)
{
  TertuliaFrame *frame;

  g_return_val_if_fail (TERTULIA_IS_CLIENT (self), FALSE);

  if (seconds > TERTULIA_MAX_SLOW_SECONDS)
    return FALSE;

  frame = tertulia_frame_new (TERTULIA_FRAME_SLOW);
  frame->seconds = seconds;

  return send_frame (self, frame);
}

gboolean
tertulia_client_set_locked (TertuliaClient *self,
                            gboolean        locked)
{
  TertuliaFrame *frame;

  g_return_val_if_fail (TERTULIA_IS_CLIENT (self), FALSE);

  frame = tertulia_frame_new (TERTULIA_FRAME_LOCK);
  frame->locked = !!locked;

  return send_frame (self, frame);
}

gboolean
tertulia_client_set_cohost (TertuliaClient *self,
                            gint64          id,
                            gboolean        cohost)
{
  TertuliaFrame *frame;

  g_return_val_if_fail (TERTULIA_IS_CLIENT (self), FALSE);

  if (id < 1)
    return FALSE;

  frame = tertulia_frame_new (TERTULIA_FRAME_OP);
  frame->target.id = id;
  frame->cohost = !!cohost;

  return send_frame (self, frame);
}

gboolean
tertulia_client_set_private_messages (TertuliaClient          *self,
                                      TertuliaPrivateMessages  allow)
{
  TertuliaFrame *frame;

  g_return_val_if_fail (TERTULIA_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (allow <= TERTULIA_PRIVATE_MESSAGES_OFF, FALSE);

  frame = tertulia_frame_new (TERTULIA_FRAME_SET_PRIVATE_MESSAGES);
  frame->allow = allow;

  return send_frame (self, frame);
}


/* The ban list */

void
tertulia_client_fetch_bans_async (TertuliaClient      *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TERTULIA_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tertulia_client_fetch_bans_async);

  /* One request answers every caller waiting */
  if (self->bans_tasks->len == 0 &&
      !send_frame (self, tertulia_frame_new (TERTULIA_FRAME_FETCH_BANS)))
    {
      g_task_return_new_error (task, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_CLOSED,
                               "%s", _("You are not connected to the room."));
      return;
    }

  g_ptr_array_add (self->bans_tasks, g_steal_pointer (&task));
}

GPtrArray *
tertulia_client_fetch_bans_finish (TertuliaClient  *self,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  g_return_val_if_fail (TERTULIA_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
_tertulia_client_handle_bans (TertuliaClient      *self,
                              const TertuliaFrame *frame)
{
  g_autoptr(GPtrArray) tasks = g_steal_pointer (&self->bans_tasks);

  self->bans_tasks = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < tasks->len; i++)
    {
      GPtrArray *bans = g_ptr_array_new_with_free_func ((GDestroyNotify) tertulia_ban_free);

      for (guint j = 0; j < frame->bans->len; j++)
        g_ptr_array_add (bans, tertulia_ban_copy (g_ptr_array_index (frame->bans, j)));
      g_task_return_pointer (g_ptr_array_index (tasks, i), bans, (GDestroyNotify) g_ptr_array_unref);
    }
}


/* Private messages */

static gboolean
send_private (TertuliaClient *self,
              PendingPrivate *pending)
{
  g_autoptr(TertuliaFrame) frame = tertulia_frame_new (TERTULIA_FRAME_MSG);

  frame->target.id = pending->to_id;
  frame->text = g_strdup (tertulia_message_get_text (pending->message));
  frame->cid = g_strdup (tertulia_message_get_cid (pending->message));

  return self->welcomed && _tertulia_client_send_frame (self, frame);
}

/* Forgets the private messages that are no longer on their way */
static void
prune_pending_privates (TertuliaClient *self)
{
  for (guint i = self->pending_privates->len; i > 0; i--)
    {
      PendingPrivate *pending = g_ptr_array_index (self->pending_privates, i - 1);

      if (tertulia_message_get_state (pending->message) != TERTULIA_MESSAGE_STATE_SENDING)
        g_ptr_array_remove_index (self->pending_privates, i - 1);
    }
}

TertuliaMessage *
tertulia_client_send_private (TertuliaClient *self,
                              gint64          to_id,
                              const char     *text)
{
  g_autofree char *normalized = NULL;
  g_autofree char *cid = NULL;
  PendingPrivate *pending;
  TertuliaMessage *message;

  g_return_val_if_fail (TERTULIA_IS_CLIENT (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  normalized = tertulia_protocol_normalize_text (text, NULL);
  if (normalized == NULL)
    return NULL;

  cid = _tertulia_client_next_cid (self);
  message = tertulia_room_add_own_private (self->room, to_id, cid, normalized);
  if (message == NULL)
    return NULL;

  prune_pending_privates (self);
  pending = g_new0 (PendingPrivate, 1);
  pending->message = g_object_ref (message);
  pending->to_id = to_id;
  g_ptr_array_add (self->pending_privates, pending);
  send_private (self, pending);

  return message;
}

void
_tertulia_client_handle_private (TertuliaClient      *self,
                                 const TertuliaFrame *frame)
{
  if (!self->welcomed)
    return;

  tertulia_room_apply_private (self->room, frame);
}


/* Moderation that concerns this client */

void
_tertulia_client_moderation_event (TertuliaClient      *self,
                                   const TertuliaFrame *event)
{
  TertuliaParticipant *you = tertulia_room_get_you (self->room);

  if (!event->has_target || you == NULL || tertulia_participant_get_id (you) != event->target.id)
    return;

  if (event->action == TERTULIA_MODERATION_KICK)
    {
      g_free (self->removed_reason);
      if (event->reason != NULL)
        /* Translators: the first %s is the moderator's nickname, the second their reason */
        self->removed_reason = g_strdup_printf (_("%s removed you from the room: %s"),
                                                event->peer.nick, event->reason);
      else
        /* Translators: %s is the moderator's nickname */
        self->removed_reason = g_strdup_printf (_("%s removed you from the room"), event->peer.nick);
    }
  else if (event->action == TERTULIA_MODERATION_BAN)
    {
      g_free (self->removed_reason);
      if (event->reason != NULL)
        /* Translators: the first %s is the moderator's nickname, the second their reason */
        self->removed_reason = g_strdup_printf (_("%s banned you from this room: %s"),
                                                event->peer.nick, event->reason);
      else
        self->removed_reason = g_strdup (tertulia_protocol_describe_error (TERTULIA_ERROR_BANNED, NULL));
    }
}

gboolean
_tertulia_client_moderation_error (TertuliaClient      *self,
                                   const TertuliaFrame *frame)
{
  TertuliaMessage *message;

  if (frame->code == NULL)
    return FALSE;

  if (self->welcomed &&
      (g_str_equal (frame->code, TERTULIA_ERROR_KICKED) || g_str_equal (frame->code, TERTULIA_ERROR_BANNED)))
    {
      /* The event said who; an error alone still ends it */
      if (self->removed_reason == NULL)
        self->removed_reason = g_strdup (tertulia_protocol_describe_error (frame->code, frame->message));
      return TRUE;
    }

  /* Kept out at the door (banned before, or the room locked): the
   * refusal that follows is as final as a kick
   */
  if (!self->welcomed &&
      (g_str_equal (frame->code, TERTULIA_ERROR_BANNED) || g_str_equal (frame->code, TERTULIA_ERROR_ROOM_LOCKED)))
    {
      _tertulia_client_set_removed (self, TRUE);
      return FALSE;
    }

  if (g_str_equal (frame->code, TERTULIA_ERROR_NOT_ALLOWED) && frame->cid == NULL &&
      self->bans_tasks->len > 0)
    fail_bans_tasks (self, TERTULIA_CLIENT_ERROR_REFUSED,
                     tertulia_protocol_describe_error (frame->code, frame->message));

  message = tertulia_room_find_own_private (self->room, frame->cid);
  if (message != NULL)
    {
      tertulia_message_mark_failed (message, tertulia_protocol_describe_error (frame->code, frame->message));
      /* It is not in the room's log, so the notice says whom it was for */
      prune_pending_privates (self);
    }

  return FALSE;
}

void
_tertulia_client_moderation_welcome (TertuliaClient *self)
{
  g_clear_pointer (&self->removed_reason, g_free);

  prune_pending_privates (self);
  for (guint i = 0; i < self->pending_privates->len; i++)
    send_private (self, g_ptr_array_index (self->pending_privates, i));
}


/* Slash commands */

static void
bans_listed_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  TertuliaClient *self = TERTULIA_CLIENT (object);
  g_autoptr(GPtrArray) bans = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = NULL;

  bans = tertulia_client_fetch_bans_finish (self, result, &error);
  if (bans == NULL)
    {
      tertulia_room_add_notice (self->room, error->message);
      return;
    }

  if (bans->len == 0)
    {
      tertulia_room_add_notice (self->room, _("Nobody is banned from this room."));
      return;
    }

  text = g_string_new (_("Bans (lift one with /unban N):"));
  for (guint i = 0; i < bans->len; i++)
    {
      const TertuliaBan *ban = g_ptr_array_index (bans, i);
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, ban->id);

      g_string_append_c (text, '\n');
      if (ban->reason != NULL)
        /* Translators: a line of /bans: the ban's number, the nickname, the
         * address, who banned them and why
         */
        g_string_append_printf (text, _("%s. %s (%s), by %s: %s"),
                                number, ban->nick, ban->address != NULL ? ban->address : "?",
                                ban->by, ban->reason);
      else
        /* Translators: a line of /bans: the ban's number, the nickname, the
         * address and who banned them
         */
        g_string_append_printf (text, _("%s. %s (%s), by %s"),
                                number, ban->nick, ban->address != NULL ? ban->address : "?",
                                ban->by);
    }

  tertulia_room_add_notice (self->room, text->str);
}

/* Nicknames may have spaces ("Ana María"): the longest run of words from
 * the command's target on that is someone's nickname. *@rest is what
 * follows it (a reason, a message), or NULL.
 */
static TertuliaParticipant *
find_target (TertuliaRoom           *room,
             const TertuliaCommand  *command,
             char                  **rest)
{
  g_autofree char *line = g_strjoin (" ", command->target, command->argument, NULL);
  TertuliaParticipant *found = NULL;
  const char *end = line;

  *rest = NULL;

  for (;;)
    {
      g_autofree char *nick = NULL;
      TertuliaParticipant *participant;

      while (*end != '\0' && !g_ascii_isspace (*end))
        end++;
      nick = g_strndup (line, end - line);
      participant = tertulia_room_find_participant_by_nick (room, nick);
      if (participant != NULL)
        {
          found = participant;
          g_free (*rest);
          *rest = *end != '\0' ? g_strstrip (g_strdup (end)) : NULL;
        }
      if (*end == '\0')
        break;
      end++;
    }

  /* /msg needs something to say after the name */
  if (found != NULL && command->type == TERTULIA_COMMAND_MSG && *rest == NULL)
    found = NULL;

  return found;
}

gboolean
tertulia_client_run_command (TertuliaClient         *self,
                             const TertuliaCommand  *command,
                             GError                **error)
{
  TertuliaParticipant *participant = NULL;
  g_autofree char *rest = NULL;
  gint64 id = 0;
  gboolean sent;

  g_return_val_if_fail (TERTULIA_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (command != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (command->target != NULL)
    {
      participant = find_target (self->room, command, &rest);
      if (participant == NULL)
        {
          g_set_error (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_REFUSED,
                       /* Translators: %s is a nickname as typed */
                       _("Nobody called “%s” is in the room."), command->target);
          return FALSE;
        }
      id = tertulia_participant_get_id (participant);
    }

  switch ((int) command->type)
    {
    case TERTULIA_COMMAND_KICK:
      sent = tertulia_client_kick (self, id, rest);
      break;

    case TERTULIA_COMMAND_BAN:
      sent = tertulia_client_ban (self, id, rest);
      break;

    case TERTULIA_COMMAND_UNBAN:
      sent = tertulia_client_unban (self, command->number);
      break;

    case TERTULIA_COMMAND_BANS:
      sent = self->welcomed;
      if (sent)
        tertulia_client_fetch_bans_async (self, NULL, bans_listed_cb, NULL);
      break;

    case TERTULIA_COMMAND_MUTE:
    case TERTULIA_COMMAND_UNMUTE:
      sent = tertulia_client_set_muted (self, id, command->type == TERTULIA_COMMAND_MUTE);
      break;

    case TERTULIA_COMMAND_SLOW:
      sent = tertulia_client_set_slow_mode (self, command->number);
      break;

    case TERTULIA_COMMAND_LOCK:
    case TERTULIA_COMMAND_UNLOCK:
      sent = tertulia_client_set_locked (self, command->type == TERTULIA_COMMAND_LOCK);
      break;

    case TERTULIA_COMMAND_OP:
    case TERTULIA_COMMAND_DEOP:
      sent = tertulia_client_set_cohost (self, id, command->type == TERTULIA_COMMAND_OP);
      break;

    case TERTULIA_COMMAND_MSG:
      if (participant == tertulia_room_get_you (self->room))
        {
          g_set_error_literal (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_REFUSED,
                               tertulia_protocol_describe_error (TERTULIA_ERROR_PRIVATE_TO_SELF, NULL));
          return FALSE;
        }
      if (tertulia_client_send_private (self, id, rest) == NULL)
        {
          g_set_error_literal (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_REFUSED,
                               tertulia_protocol_describe_error (TERTULIA_ERROR_TEXT_INVALID, NULL));
          return FALSE;
        }
      return TRUE;

    default:
      g_return_val_if_reached (FALSE);
    }

  if (!sent)
    {
      g_set_error_literal (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_CLOSED,
                           _("You are not connected to the room."));
      return FALSE;
    }

  return TRUE;
}

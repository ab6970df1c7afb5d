/* tertulia-client-conversation.c — replies, reactions, edits, deletions
 * and typing, as a client sends them (issue 19)
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-client"

#include "config.h"

#include "tertulia-client-private.h"
#include "tertulia-protocol-conversation.h"

#define TYPING_RESEND_USEC (TERTULIA_TYPING_RELAY_SECONDS * G_USEC_PER_SEC)

char *
_tertulia_client_next_cid (TertuliaClient *self)
{
  return g_strdup_printf ("%s-%u", self->cid_prefix, ++self->cid_counter);
}

TertuliaMessage *
tertulia_client_send_reply (TertuliaClient      *self,
                            TertuliaMessageKind  kind,
                            const char          *text,
                            gint64               reply_to_seq)
{
  g_autofree char *normalized = NULL;
  g_autofree char *cid = NULL;
  TertuliaMessage *message;
  TertuliaMessage *original;

  g_return_val_if_fail (TERTULIA_IS_CLIENT (self), NULL);
  g_return_val_if_fail (kind == TERTULIA_MESSAGE_KIND_CHAT ||
                        kind == TERTULIA_MESSAGE_KIND_ACTION, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  normalized = tertulia_protocol_normalize_text (text, NULL);
  if (normalized == NULL)
    return NULL;

  cid = _tertulia_client_next_cid (self);
  message = tertulia_room_add_own_message (self->room, kind, cid, normalized);

  /* The quote shows while it is sent; the host's replaces it */
  if (reply_to_seq > 0)
    {
      g_autofree char *quote = NULL;

      original = tertulia_room_find_message_by_seq (self->room, reply_to_seq);
      if (original != NULL)
        quote = tertulia_protocol_quote_text (tertulia_message_get_text (original));
      tertulia_message_set_reply_to (message, reply_to_seq,
                                     original != NULL ? tertulia_message_get_author (original) : NULL,
                                     quote);
    }

  if (self->state == TERTULIA_CONNECTION_CONNECTED)
    _tertulia_outbox_push (self->outbox, message);
  _tertulia_client_typing_done (self);

  return message;
}

static gboolean
send_amendment (TertuliaClient *self,
                TertuliaFrame  *frame,
                gint64          seq)
{
  if (self->state != TERTULIA_CONNECTION_CONNECTED || seq < 1)
    return FALSE;

  /* Its error frame, if the host refuses it, carries this cid */
  frame->cid = _tertulia_client_next_cid (self);
  frame->target = seq;

  return _tertulia_client_send_frame (self, frame);
}

gboolean
tertulia_client_react (TertuliaClient *self,
                       gint64          seq,
                       const char     *emoji,
                       gboolean        add)
{
  g_autoptr(TertuliaFrame) frame = tertulia_frame_new (TERTULIA_FRAME_REACT);

  g_return_val_if_fail (TERTULIA_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (emoji != NULL, FALSE);

  frame->emoji = tertulia_protocol_normalize_emoji (emoji, NULL);
  if (frame->emoji == NULL)
    return FALSE;
  frame->add = !!add;

  return send_amendment (self, frame, seq);
}

gboolean
tertulia_client_edit_message (TertuliaClient *self,
                              gint64          seq,
                              const char     *text)
{
  g_autoptr(TertuliaFrame) frame = tertulia_frame_new (TERTULIA_FRAME_EDIT_MESSAGE);

  g_return_val_if_fail (TERTULIA_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  frame->text = tertulia_protocol_normalize_text (text, NULL);
  if (frame->text == NULL)
    return FALSE;

  return send_amendment (self, frame, seq);
}

gboolean
tertulia_client_delete_message (TertuliaClient *self,
                                gint64          seq)
{
  g_autoptr(TertuliaFrame) frame = tertulia_frame_new (TERTULIA_FRAME_DELETE_MESSAGE);

  g_return_val_if_fail (TERTULIA_IS_CLIENT (self), FALSE);

  return send_amendment (self, frame, seq);
}


/* Typing */

static void
send_typing_frame (TertuliaClient *self,
                   gboolean        active)
{
  g_autoptr(TertuliaFrame) frame = tertulia_frame_new (TERTULIA_FRAME_SET_TYPING);

  frame->active = active;
  if (_tertulia_client_send_frame (self, frame))
    {
      self->typing_active = active;
      if (active)
        self->typing_sent_at = g_get_monotonic_time ();
    }
}

void
tertulia_client_set_typing (TertuliaClient *self,
                            gboolean        typing)
{
  g_return_if_fail (TERTULIA_IS_CLIENT (self));

  if (!self->send_typing || self->state != TERTULIA_CONNECTION_CONNECTED)
    return;

  /* The host relays one "active" per interval; others see it for twice
   * that, so renewing once per interval keeps it on while people type.
   */
  if (typing)
    {
      if (!self->typing_active ||
          g_get_monotonic_time () - self->typing_sent_at >= TYPING_RESEND_USEC)
        send_typing_frame (self, TRUE);
    }
  else if (self->typing_active)
    {
      send_typing_frame (self, FALSE);
    }
}

void
_tertulia_client_typing_done (TertuliaClient *self)
{
  self->typing_active = FALSE;
}

gboolean
tertulia_client_get_send_typing (TertuliaClient *self)
{
  g_return_val_if_fail (TERTULIA_IS_CLIENT (self), FALSE);

  return self->send_typing;
}

void
tertulia_client_set_send_typing (TertuliaClient *self,
                                 gboolean        send_typing)
{
  g_return_if_fail (TERTULIA_IS_CLIENT (self));

  send_typing = !!send_typing;
  if (self->send_typing == send_typing)
    return;

  /* Turned off while shown as typing: the others stop seeing it now */
  if (!send_typing && self->typing_active && self->state == TERTULIA_CONNECTION_CONNECTED)
    send_typing_frame (self, FALSE);

  self->send_typing = send_typing;
  g_object_notify (G_OBJECT (self), "send-typing");
}


/* Scrollback until a message */

static gboolean
history_reaches (TertuliaClient *self,
                 gint64          seq)
{
  TertuliaRoom *room = self->room;
  gint64 oldest = tertulia_room_get_oldest_seq (room);

  return tertulia_room_find_message_by_seq (room, seq) != NULL ||
         (oldest > 0 && oldest <= seq) ||
         !tertulia_room_get_has_older (room);
}

gboolean
tertulia_client_fetch_history_until (TertuliaClient *self,
                                     gint64          seq)
{
  g_return_val_if_fail (TERTULIA_IS_CLIENT (self), FALSE);

  if (seq < 1 || history_reaches (self, seq))
    return FALSE;

  self->history_until = seq;

  /* A page under way already: the next one follows it */
  if (self->fetching_history)
    return TRUE;

  if (!tertulia_client_fetch_history (self, TERTULIA_MAX_HISTORY_PAGE))
    {
      self->history_until = 0;
      return FALSE;
    }

  return TRUE;
}

void
_tertulia_client_history_until_next (TertuliaClient *self)
{
  gint64 seq = self->history_until;

  if (seq == 0)
    return;

  if (history_reaches (self, seq) ||
      !tertulia_client_fetch_history (self, TERTULIA_MAX_HISTORY_PAGE))
    self->history_until = 0;
}

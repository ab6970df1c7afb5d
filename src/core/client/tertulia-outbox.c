/* tertulia-outbox.c — your messages waiting to go out, paced within the room's limits
 *
 * The host announces a token bucket in its welcome (limits.rate_burst and
 * limits.rate_per_second) and refuses, then drops, a guest that goes past
 * it. The outbox keeps the same bucket on our side, with a margin, so a
 * pasted screenful or a whole outbox resent after a reconnection goes out
 * as fast as the room allows and is never refused.
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-client"

#include "config.h"

#include "tertulia-outbox.h"

/* How much of the host's announced rate limit we use: the rest absorbs
 * frames that the network delivers bunched together.
 */
#define RATE_MARGIN 0.8

struct _TertuliaOutbox
{
  TertuliaOutboxSendFunc  send;
  gpointer                user_data;

  /* Messages waiting for their turn on this connection, oldest first */
  GQueue                  pending;
  double                  tokens;
  gint64                  tokens_at;         /* monotonic µs */
  double                  rate_burst;
  double                  rate_per_second;
  guint                   pace_id;
};

TertuliaOutbox *
_tertulia_outbox_new (TertuliaOutboxSendFunc send,
                      gpointer               user_data)
{
  TertuliaOutbox *self = g_new0 (TertuliaOutbox, 1);

  self->send = send;
  self->user_data = user_data;
  _tertulia_outbox_set_rate (self, 1.0, 1.0);

  return self;
}

void
_tertulia_outbox_free (TertuliaOutbox *self)
{
  _tertulia_outbox_clear (self);
  g_free (self);
}

void
_tertulia_outbox_set_rate (TertuliaOutbox *self,
                           double          rate_burst,
                           double          rate_per_second)
{
  /* 0 for both: the host has no rate limit (PROTOCOL.md) */
  if (rate_burst <= 0 && rate_per_second <= 0)
    rate_burst = rate_per_second = G_MAXINT32;

  self->rate_burst = MAX (1.0, rate_burst * RATE_MARGIN);
  self->rate_per_second = MAX (0.5, rate_per_second * RATE_MARGIN);
  self->tokens = self->rate_burst;
  self->tokens_at = g_get_monotonic_time ();
}

void
_tertulia_outbox_clear (TertuliaOutbox *self)
{
  g_clear_handle_id (&self->pace_id, g_source_remove);
  g_queue_clear_full (&self->pending, g_object_unref);
}

static void
refill_tokens (TertuliaOutbox *self)
{
  gint64 now = g_get_monotonic_time ();

  self->tokens = MIN (self->rate_burst,
                      self->tokens + (now - self->tokens_at) * self->rate_per_second / G_USEC_PER_SEC);
  self->tokens_at = now;
}

static gboolean pace_cb (gpointer user_data);

static void
send_pending (TertuliaOutbox *self)
{
  refill_tokens (self);

  while (!g_queue_is_empty (&self->pending) && self->tokens >= 1.0)
    {
      g_autoptr(TertuliaMessage) message = g_queue_pop_head (&self->pending);

      /* The host may have refused it meanwhile, or echoed an earlier send. */
      if (tertulia_message_get_state (message) != TERTULIA_MESSAGE_STATE_SENDING)
        continue;

      if (!self->send (message, self->user_data))
        {
          _tertulia_outbox_clear (self);
          return;
        }
      self->tokens -= 1.0;
    }

  if (!g_queue_is_empty (&self->pending) && self->pace_id == 0)
    {
      /* Until the next whole token, rounded up */
      guint wait_ms = (guint) ((1.0 - self->tokens) * 1000.0 / self->rate_per_second) + 1;

      self->pace_id = g_timeout_add (MAX (wait_ms, 1), pace_cb, self);
    }
}

static gboolean
pace_cb (gpointer user_data)
{
  TertuliaOutbox *self = user_data;

  self->pace_id = 0;
  send_pending (self);

  return G_SOURCE_REMOVE;
}

void
_tertulia_outbox_push (TertuliaOutbox  *self,
                       TertuliaMessage *message)
{
  g_queue_push_tail (&self->pending, g_object_ref (message));
  if (self->pace_id == 0)
    send_pending (self);
}

/* The outbox is simply your messages still being sent, in order. Resending
 * one the host already has is safe: it recognizes the cid.
 */
void
_tertulia_outbox_refill (TertuliaOutbox *self,
                         TertuliaRoom   *room)
{
  GListModel *messages = tertulia_room_get_messages (room);
  guint n = g_list_model_get_n_items (messages);
  g_autoptr(GPtrArray) outbox = g_ptr_array_new_with_free_func (g_object_unref);

  _tertulia_outbox_clear (self);

  /* Messages being sent are always the last items. */
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(TertuliaMessage) message = g_list_model_get_item (messages, i - 1);

      if (!tertulia_message_get_is_own (message) ||
          tertulia_message_get_state (message) != TERTULIA_MESSAGE_STATE_SENDING)
        {
          if (tertulia_message_get_seq (message) > 0)
            break;
          continue;
        }

      if (tertulia_message_get_cid (message) != NULL)
        g_ptr_array_add (outbox, g_steal_pointer (&message));
    }

  for (guint i = outbox->len; i > 0; i--)
    g_queue_push_tail (&self->pending, g_object_ref (g_ptr_array_index (outbox, i - 1)));
  send_pending (self);
}

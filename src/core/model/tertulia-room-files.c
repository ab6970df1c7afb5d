/* tertulia-room-files.c — shared files in a room's log
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-room"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tertulia-room.h"
#include "tertulia-room-private.h"
#include "tertulia-util-private.h"

void
_tertulia_room_apply_file (TertuliaRoom        *self,
                           const TertuliaFrame *event)
{
  g_autoptr(GDateTime) time = _tertulia_date_time_from_ms (event->time);
  g_autoptr(TertuliaMessage) message = NULL;

  message = g_object_new (TERTULIA_TYPE_MESSAGE,
                          "kind", TERTULIA_MESSAGE_KIND_FILE,
                          "seq", MAX (event->seq, 0),
                          "author-id", MAX (event->peer.id, 0),
                          "author", event->peer.nick,
                          "text", event->file->name,
                          "time", time,
                          "state", TERTULIA_MESSAGE_STATE_DELIVERED,
                          "is-own", _tertulia_room_is_own_author (self, event->peer.id),
                          "file", event->file,
                          NULL);

  _tertulia_room_insert_message (self, message);
}

void
_tertulia_room_apply_file_removed (TertuliaRoom        *self,
                                   const TertuliaFrame *event)
{
  TertuliaMessage *message = tertulia_room_find_file_message (self, event->file->id);
  g_autoptr(GDateTime) time = _tertulia_date_time_from_ms (event->time);
  g_autoptr(TertuliaMessage) notice = NULL;
  g_autofree char *text = NULL;

  if (message != NULL)
    {
      tertulia_message_set_file_removed (message, TRUE);
      /* Translators: a line in the chat log; the first %s is a nickname,
       * the second a file's name
       */
      text = g_strdup_printf (_("%s removed %s"), _tertulia_room_or_empty (event->peer.nick),
                              tertulia_message_get_file (message)->name);
    }
  else
    {
      /* Translators: a line in the chat log; %s is a nickname */
      text = g_strdup_printf (_("%s removed a file"), _tertulia_room_or_empty (event->peer.nick));
    }

  notice = tertulia_message_new (TERTULIA_MESSAGE_KIND_NOTICE, MAX (event->seq, 0), 0, NULL, text, time);
  _tertulia_room_insert_message (self, notice);
}

TertuliaMessage *
tertulia_room_find_file_message (TertuliaRoom *self,
                                 const char   *file_id)
{
  GListModel *messages;

  g_return_val_if_fail (TERTULIA_IS_ROOM (self), NULL);
  g_return_val_if_fail (file_id != NULL, NULL);

  messages = G_LIST_MODEL (self->messages);

  /* Newest first: a file people talk about is usually a recent one */
  for (guint i = g_list_model_get_n_items (messages); i > 0; i--)
    {
      g_autoptr(TertuliaMessage) message = g_list_model_get_item (messages, i - 1);
      const TertuliaFileInfo *file = tertulia_message_get_file (message);

      if (file != NULL && g_strcmp0 (file->id, file_id) == 0)
        return message;
    }

  return NULL;
}

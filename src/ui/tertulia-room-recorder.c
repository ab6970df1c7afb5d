/* tertulia-room-recorder.c — a room the app is in, kept in its archive
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-archive"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tertulia-app-archive.h"
#include "tertulia-room-recorder.h"

#define RETRY_FIRST_SECONDS 2
#define RETRY_MAX_SECONDS 30

struct _TertuliaRoomRecorder
{
  GObject          parent_instance;

  /* Owned references */
  TertuliaClient  *client;
  TertuliaArchive *archive;      /* NULL while keeping no history */
  GSettings       *settings;

  guint            update_id;
  guint            retry_id;
  guint            retry_seconds;
  gboolean         keep_trying;
  /* Set while the archive's own messages go into the room */
  gboolean         restoring;
};

G_DEFINE_FINAL_TYPE (TertuliaRoomRecorder, tertulia_room_recorder, G_TYPE_OBJECT)

static TertuliaRoom *
get_room (TertuliaRoomRecorder *self)
{
  return tertulia_client_get_room (self->client);
}

/* The room's name, topic, address and seq, once per main-loop turn at most */
static gboolean
update_room_cb (gpointer user_data)
{
  TertuliaRoomRecorder *self = user_data;
  TertuliaRoom *room = get_room (self);
  const char *room_id = tertulia_room_get_id (room);

  self->update_id = 0;

  if (self->archive != NULL && room_id != NULL)
    tertulia_archive_update_room (self->archive, room_id,
                                  tertulia_room_get_name (room),
                                  tertulia_room_get_topic (room),
                                  tertulia_client_get_address (self->client),
                                  tertulia_room_get_last_seq (room));

  return G_SOURCE_REMOVE;
}

static void
queue_update_room (TertuliaRoomRecorder *self)
{
  if (self->archive != NULL && self->update_id == 0 && !self->restoring)
    self->update_id = g_idle_add_full (G_PRIORITY_LOW, update_room_cb, self, NULL);
}

static void
record_message (TertuliaRoomRecorder *self,
                TertuliaMessage      *message)
{
  const char *room_id = tertulia_room_get_id (get_room (self));

  if (self->archive != NULL && room_id != NULL)
    tertulia_archive_record_message (self->archive, room_id, message);
}

static void
own_message_state_cb (TertuliaRoomRecorder *self,
                      GParamSpec           *pspec,
                      TertuliaMessage      *message)
{
  TertuliaMessageState state = tertulia_message_get_state (message);

  if (state == TERTULIA_MESSAGE_STATE_SENDING)
    return;

  g_signal_handlers_disconnect_by_func (message, own_message_state_cb, self);
  if (state == TERTULIA_MESSAGE_STATE_DELIVERED)
    record_message (self, message);
}

static void
messages_changed_cb (TertuliaRoomRecorder *self,
                     guint                 position,
                     guint                 removed,
                     guint                 added,
                     GListModel           *messages)
{
  if (self->archive == NULL || self->restoring)
    return;

  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(TertuliaMessage) message = g_list_model_get_item (messages, i);

      if (tertulia_message_get_seq (message) > 0)
        record_message (self, message);
      /* Yours is kept once the room has it (its echo gives it a seq) */
      else if (tertulia_message_get_state (message) == TERTULIA_MESSAGE_STATE_SENDING)
        g_signal_connect_object (message, "notify::state",
                                 G_CALLBACK (own_message_state_cb), self, G_CONNECT_SWAPPED);
    }

  queue_update_room (self);
}

/* A reaction, an edit or a deletion: the archive keeps the final state,
 * so that search no longer finds what was taken back
 */
static void
amendment_cb (TertuliaRoomRecorder *self,
              const TertuliaFrame  *event)
{
  const char *room_id = tertulia_room_get_id (get_room (self));

  if (self->archive != NULL && room_id != NULL && !self->restoring)
    tertulia_archive_record_amendment (self->archive, room_id, event);
}

static void
keep_history_changed_cb (TertuliaRoomRecorder *self)
{
  g_set_object (&self->archive, tertulia_app_archive_get_writable ());
  queue_update_room (self);
}


/* Opening a room from the archive */

gboolean
tertulia_room_recorder_restore (TertuliaRoomRecorder *self,
                                const char           *room_id)
{
  TertuliaArchive *archive = tertulia_app_archive_get ();
  g_autoptr(TertuliaArchiveRoom) kept = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) read = NULL;
  g_autoptr(TertuliaFrame) welcome = NULL;
  g_autofree char *nickname = NULL;
  TertuliaRoom *room;
  gboolean more = FALSE;
  guint n_read = 0;

  g_return_val_if_fail (TERTULIA_IS_ROOM_RECORDER (self), FALSE);
  g_return_val_if_fail (room_id != NULL, FALSE);

  if (archive == NULL || (kept = tertulia_archive_dup_room (archive, room_id)) == NULL)
    return FALSE;

  room = get_room (self);
  page = tertulia_archive_dup_events (archive, room_id, 0, G_MAXINT64,
                                      TERTULIA_ROOM_RECORDER_PAGE, &more);
  while (n_read < page->len &&
         ((TertuliaFrame *) g_ptr_array_index (page, n_read))->seq <= kept->last_read_seq)
    n_read++;

  /* The room as we left it, for the model: a welcome with its id, name and
   * seq (up to what was read) and nobody in it. The host's welcome then
   * continues it as after any absence: what we have is not repeated,
   * anything missed in between is said, and another room.id is another
   * room, after a boundary.
   */
  g_object_get (self->client, "nickname", &nickname, NULL);
  welcome = tertulia_frame_new (TERTULIA_FRAME_WELCOME);
  welcome->room_id = g_strdup (kept->room_id);
  welcome->room_name = g_strdup (kept->name);
  welcome->topic = *kept->topic != '\0' ? g_strdup (kept->topic) : NULL;
  welcome->you.nick = g_strdup (nickname != NULL ? nickname : "");
  welcome->seq = n_read < page->len ? ((TertuliaFrame *) g_ptr_array_index (page, n_read))->seq - 1
                                    : kept->last_seq;

  self->restoring = TRUE;

  tertulia_room_apply_welcome (room, welcome);
  tertulia_room_clear_participants (room);

  read = g_ptr_array_new ();
  for (guint i = 0; i < n_read; i++)
    g_ptr_array_add (read, g_ptr_array_index (page, i));
  tertulia_room_prepend_history (room, read, more);

  if (n_read < page->len)
    {
      tertulia_room_add_notice (room, _("New messages"));
      for (guint i = n_read; i < page->len; i++)
        tertulia_room_apply_event (room, g_ptr_array_index (page, i));
    }

  self->restoring = FALSE;

  return TRUE;
}

gboolean
tertulia_room_recorder_load_from (TertuliaArchive *archive,
                                  TertuliaRoom    *room,
                                  gint64           seq)
{
  const char *room_id = tertulia_room_get_id (room);
  g_autoptr(GPtrArray) events = NULL;
  gint64 oldest = tertulia_room_get_oldest_seq (room);
  gboolean more;

  g_return_val_if_fail (TERTULIA_IS_ARCHIVE (archive), FALSE);
  g_return_val_if_fail (TERTULIA_IS_ROOM (room), FALSE);

  if (room_id == NULL)
    return FALSE;

  /* A few before it too, so that it does not sit at the very top */
  events = tertulia_archive_dup_events (archive, room_id, MAX (seq - 10, 0) - 1,
                                        oldest > 0 ? oldest : G_MAXINT64,
                                        G_MAXUINT - 1, NULL);
  if (events->len == 0 || ((TertuliaFrame *) g_ptr_array_index (events, 0))->seq > seq)
    return FALSE;

  more = ((TertuliaFrame *) g_ptr_array_index (events, 0))->seq > 1;

  tertulia_room_prepend_history (room, events, more);

  return TRUE;
}


/* Trying again while nobody answers */

static void client_state_cb (TertuliaRoomRecorder *self);

static gboolean
retry_cb (gpointer user_data)
{
  TertuliaRoomRecorder *self = user_data;

  self->retry_id = 0;
  self->retry_seconds = MIN (self->retry_seconds * 2, RETRY_MAX_SECONDS);
  tertulia_client_retry (self->client);

  return G_SOURCE_REMOVE;
}

static void
client_state_cb (TertuliaRoomRecorder *self)
{
  switch (tertulia_client_get_state (self->client))
    {
    case TERTULIA_CONNECTION_CONNECTED:
      /* From now on the client resumes on its own */
      self->keep_trying = FALSE;
      g_clear_handle_id (&self->retry_id, g_source_remove);
      break;

    case TERTULIA_CONNECTION_DISCONNECTED:
      if (self->keep_trying && self->retry_id == 0)
        self->retry_id = g_timeout_add_seconds (self->retry_seconds, retry_cb, self);
      break;

    case TERTULIA_CONNECTION_CONNECTING:
    case TERTULIA_CONNECTION_RECONNECTING:
    default:
      break;
    }
}

/* A room that answers with a refusal (a password, a nickname it will not
 * take) would refuse again: its banner says why, and Retry is there.
 */
static void
server_error_cb (TertuliaRoomRecorder *self)
{
  if (tertulia_client_get_state (self->client) != TERTULIA_CONNECTION_CONNECTED)
    {
      self->keep_trying = FALSE;
      g_clear_handle_id (&self->retry_id, g_source_remove);
    }
}

void
tertulia_room_recorder_keep_trying (TertuliaRoomRecorder *self)
{
  g_return_if_fail (TERTULIA_IS_ROOM_RECORDER (self));

  self->keep_trying = TRUE;
  self->retry_seconds = RETRY_FIRST_SECONDS;
  client_state_cb (self);
}

void
tertulia_room_recorder_stop (TertuliaRoomRecorder *self)
{
  g_return_if_fail (TERTULIA_IS_ROOM_RECORDER (self));

  self->keep_trying = FALSE;
  g_clear_handle_id (&self->retry_id, g_source_remove);
  if (self->update_id != 0)
    {
      g_clear_handle_id (&self->update_id, g_source_remove);
      update_room_cb (self);
    }
  if (self->archive != NULL)
    tertulia_archive_flush (self->archive);
}


/* GObject */

static void
tertulia_room_recorder_dispose (GObject *object)
{
  TertuliaRoomRecorder *self = (TertuliaRoomRecorder *) object;

  if (self->client != NULL)
    tertulia_room_recorder_stop (self);

  g_clear_object (&self->archive);
  g_clear_object (&self->settings);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (tertulia_room_recorder_parent_class)->dispose (object);
}

static void
tertulia_room_recorder_class_init (TertuliaRoomRecorderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tertulia_room_recorder_dispose;
}

static void
tertulia_room_recorder_init (TertuliaRoomRecorder *self)
{
}

TertuliaRoomRecorder *
tertulia_room_recorder_new (TertuliaClient *client)
{
  TertuliaRoomRecorder *self;
  TertuliaRoom *room;

  g_return_val_if_fail (TERTULIA_IS_CLIENT (client), NULL);

  self = g_object_new (TERTULIA_TYPE_ROOM_RECORDER, NULL);
  self->client = g_object_ref (client);
  self->settings = g_settings_new (APP_ID);
  self->archive = tertulia_app_archive_get_writable ();
  if (self->archive != NULL)
    g_object_ref (self->archive);

  room = get_room (self);
  g_signal_connect_object (tertulia_room_get_messages (room), "items-changed",
                           G_CALLBACK (messages_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (room, "amendment",
                           G_CALLBACK (amendment_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (room, "notify::name",
                           G_CALLBACK (queue_update_room), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (room, "notify::topic",
                           G_CALLBACK (queue_update_room), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::keep-history",
                           G_CALLBACK (keep_history_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (client, "notify::state",
                           G_CALLBACK (client_state_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (client, "server-error",
                           G_CALLBACK (server_error_cb), self, G_CONNECT_SWAPPED);

  return self;
}

/* tertulia-room.c — the state of one room, as GListModels
 *
 * This file keeps the message log: welcomes applied, events taken in seq
 * order, your messages being sent kept last. What each event does and says
 * is in tertulia-room-events.c; who is in the room, and the questions
 * asked of that list, in tertulia-room-participants.c.
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-room"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "tertulia-room.h"
#include "tertulia-room-private.h"
#include "tertulia-util-private.h"

G_DEFINE_FINAL_TYPE (TertuliaRoom, tertulia_room, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_TOPIC,
  PROP_MESSAGES,
  PROP_PARTICIPANTS,
  PROP_YOU,
  PROP_LAST_SEQ,
  PROP_N_PARTICIPANTS,
  PROP_HAS_OLDER,
  PROP_TYPING,  /* issue 19 */
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

gboolean
_tertulia_room_is_you (TertuliaRoom *self,
                       gint64        id)
{
  return self->you != NULL && tertulia_participant_get_id (self->you) == id;
}

static void
tertulia_room_set_name (TertuliaRoom *self,
                        const char   *name)
{
  if (_tertulia_set_str (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_NAME]);
}

/* An empty topic and no topic are the same thing: NULL. */
void
_tertulia_room_set_topic (TertuliaRoom *self,
                          const char   *topic)
{
  if (topic != NULL && topic[0] == '\0')
    topic = NULL;

  if (_tertulia_set_str (&self->topic, topic))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TOPIC]);
}

void
_tertulia_room_set_last_seq (TertuliaRoom *self,
                             gint64        last_seq)
{
  if (self->last_seq == last_seq || self->prepending)
    return;

  self->last_seq = last_seq;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_LAST_SEQ]);
}

void
_tertulia_room_set_has_older (TertuliaRoom *self,
                              gboolean      has_older)
{
  has_older = !!has_older;
  if (self->has_older == has_older)
    return;

  self->has_older = has_older;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_HAS_OLDER]);
}

/* Every event of the room that reaches the log goes through here or
 * through the echo of your own message.
 */
static void
note_seq (TertuliaRoom *self,
          gint64        seq)
{
  if (seq > 0 && (self->oldest_seq == 0 || seq < self->oldest_seq))
    self->oldest_seq = seq;
}

/* issue 19: reactions, edits and deletions reach the log without a row of
 * their own; the next page of scrollback must still start before them.
 */
void
_tertulia_room_note_seq (TertuliaRoom *self,
                         gint64        seq)
{
  note_seq (self, seq);
}

static void
tertulia_room_set_you (TertuliaRoom        *self,
                       TertuliaParticipant *you)
{
  if (you != NULL)
    {
      gint64 id = tertulia_participant_get_id (you);

      if (!g_hash_table_contains (self->own_ids, &id))
        g_hash_table_add (self->own_ids, g_memdup2 (&id, sizeof id));
    }

  if (g_set_object (&self->you, you))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_YOU]);
}

gboolean
_tertulia_room_is_own_author (TertuliaRoom *self,
                              gint64        id)
{
  return _tertulia_room_is_you (self, id) || g_hash_table_contains (self->own_ids, &id);
}

static void
participants_items_changed_cb (TertuliaRoom *self,
                               guint         position,
                               guint         removed,
                               guint         added,
                               GListModel   *model)
{
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_N_PARTICIPANTS]);
}

/* Scans from the end, where the rows that change usually are. */
gboolean
_tertulia_room_find_position (GListStore *store,
                              gpointer    item,
                              guint      *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store));

  for (guint i = n; i > 0; i--)
    {
      g_autoptr(GObject) other = g_list_model_get_item (G_LIST_MODEL (store), i - 1);

      if (other == item)
        {
          *position = i - 1;
          return TRUE;
        }
    }

  return FALSE;
}

/* Where the server's events go: before your first message still being sent,
 * so that those stay the last rows. Only the tail of your own unconfirmed
 * messages can hold one.
 */
static guint
message_boundary (TertuliaRoom *self)
{
  GListModel *model = G_LIST_MODEL (self->messages);
  guint n = g_list_model_get_n_items (model);
  guint boundary = n;

  for (guint i = n; i > 0; i--)
    {
      g_autoptr(TertuliaMessage) message = g_list_model_get_item (model, i - 1);
      TertuliaMessageState state = tertulia_message_get_state (message);

      if (!tertulia_message_get_is_own (message) || state == TERTULIA_MESSAGE_STATE_DELIVERED)
        break;

      if (state == TERTULIA_MESSAGE_STATE_SENDING)
        boundary = i - 1;
    }

  return boundary;
}

void
_tertulia_room_insert_message (TertuliaRoom    *self,
                               TertuliaMessage *message)
{
  note_seq (self, tertulia_message_get_seq (message));

  if (self->batch != NULL)
    g_ptr_array_add (self->batch, g_object_ref (message));
  else
    g_list_store_insert (self->messages, message_boundary (self), message);
}

static void
flush_batch (TertuliaRoom *self)
{
  if (self->batch == NULL || self->batch->len == 0)
    return;

  g_list_store_splice (self->messages, message_boundary (self), 0,
                       self->batch->pdata, self->batch->len);
  g_ptr_array_set_size (self->batch, 0);
}

void
_tertulia_room_deliver_own_message (TertuliaRoom    *self,
                                    TertuliaMessage *message,
                                    gint64           seq,
                                    GDateTime       *time)
{
  g_autoptr(TertuliaMessage) hold = g_object_ref (message);
  guint boundary;
  guint position;

  /* What came before it in the history goes before it in the log. */
  flush_batch (self);
  boundary = message_boundary (self);

  tertulia_message_mark_delivered (message, seq, time);
  note_seq (self, seq);

  if (!_tertulia_room_find_position (self->messages, message, &position))
    return;

  if (position < boundary)
    boundary--;

  if (position != boundary)
    {
      g_list_store_remove (self->messages, position);
      g_list_store_insert (self->messages, boundary, message);
    }
}

static void
tertulia_room_dispose (GObject *object)
{
  TertuliaRoom *self = (TertuliaRoom *)object;

  g_clear_signal_handler (&self->participants_changed_id, self->participants);
  g_clear_pointer (&self->own_by_cid, g_hash_table_unref);
  g_clear_pointer (&self->own_ids, g_hash_table_unref);
  g_clear_object (&self->you);
  g_clear_object (&self->room_start);
  g_clear_pointer (&self->conversation, _tertulia_room_conversation_free);  /* issue 19 */
  g_clear_object (&self->messages);
  g_clear_object (&self->participants);

  G_OBJECT_CLASS (tertulia_room_parent_class)->dispose (object);
}

static void
tertulia_room_finalize (GObject *object)
{
  TertuliaRoom *self = (TertuliaRoom *)object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->room_id, g_free);
  g_clear_pointer (&self->topic, g_free);

  G_OBJECT_CLASS (tertulia_room_parent_class)->finalize (object);
}

static void
tertulia_room_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TertuliaRoom *self = TERTULIA_ROOM (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_TOPIC:
      g_value_set_string (value, self->topic);
      break;

    case PROP_MESSAGES:
      g_value_set_object (value, self->messages);
      break;

    case PROP_PARTICIPANTS:
      g_value_set_object (value, self->participants);
      break;

    case PROP_YOU:
      g_value_set_object (value, self->you);
      break;

    case PROP_LAST_SEQ:
      g_value_set_int64 (value, self->last_seq);
      break;

    case PROP_N_PARTICIPANTS:
      g_value_set_uint (value, tertulia_room_get_n_participants (self));
      break;

    case PROP_HAS_OLDER:
      g_value_set_boolean (value, self->has_older);
      break;

    case PROP_TYPING:  /* issue 19 */
      g_value_take_boxed (value, tertulia_room_dup_typing (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tertulia_room_class_init (TertuliaRoomClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tertulia_room_dispose;
  object_class->finalize = tertulia_room_finalize;
  object_class->get_property = tertulia_room_get_property;

  properties [PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_TOPIC] =
    g_param_spec_string ("topic", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_MESSAGES] =
    g_param_spec_object ("messages", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_PARTICIPANTS] =
    g_param_spec_object ("participants", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_YOU] =
    g_param_spec_object ("you", NULL, NULL,
                         TERTULIA_TYPE_PARTICIPANT,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_LAST_SEQ] =
    g_param_spec_int64 ("last-seq", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_N_PARTICIPANTS] =
    g_param_spec_uint ("n-participants", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_HAS_OLDER] =
    g_param_spec_boolean ("has-older", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* issue 19 (tertulia-room-conversation.c): each reaction, edit or
   * delete event the room takes in (live, replayed or from scrollback),
   * once, as a const TertuliaFrame *: for the archive
   */
  g_signal_new ("amendment",
                G_TYPE_FROM_CLASS (klass),
                G_SIGNAL_RUN_LAST,
                0, NULL, NULL, NULL,
                G_TYPE_NONE, 1, G_TYPE_POINTER);

  properties [PROP_TYPING] =
    g_param_spec_boxed ("typing", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tertulia_room_init (TertuliaRoom *self)
{
  self->messages = g_list_store_new (TERTULIA_TYPE_MESSAGE);
  self->participants = g_list_store_new (TERTULIA_TYPE_PARTICIPANT);
  self->own_by_cid = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  self->own_ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->conversation = _tertulia_room_conversation_new (self);  /* issue 19 */

  self->participants_changed_id =
    g_signal_connect_swapped (self->participants, "items-changed",
                              G_CALLBACK (participants_items_changed_cb), self);
}

TertuliaRoom *
tertulia_room_new (void)
{
  return g_object_new (TERTULIA_TYPE_ROOM, NULL);
}

const char *
tertulia_room_get_name (TertuliaRoom *self)
{
  g_return_val_if_fail (TERTULIA_IS_ROOM (self), NULL);

  return self->name;
}

const char *
tertulia_room_get_topic (TertuliaRoom *self)
{
  g_return_val_if_fail (TERTULIA_IS_ROOM (self), NULL);

  return self->topic;
}

GListModel *
tertulia_room_get_messages (TertuliaRoom *self)
{
  g_return_val_if_fail (TERTULIA_IS_ROOM (self), NULL);

  return G_LIST_MODEL (self->messages);
}

GListModel *
tertulia_room_get_participants (TertuliaRoom *self)
{
  g_return_val_if_fail (TERTULIA_IS_ROOM (self), NULL);

  return G_LIST_MODEL (self->participants);
}

guint
tertulia_room_get_n_participants (TertuliaRoom *self)
{
  g_return_val_if_fail (TERTULIA_IS_ROOM (self), 0);

  if (self->participants == NULL)
    return 0;

  return g_list_model_get_n_items (G_LIST_MODEL (self->participants));
}

TertuliaParticipant *
tertulia_room_get_you (TertuliaRoom *self)
{
  g_return_val_if_fail (TERTULIA_IS_ROOM (self), NULL);

  return self->you;
}

const char *
tertulia_room_get_id (TertuliaRoom *self)
{
  g_return_val_if_fail (TERTULIA_IS_ROOM (self), NULL);

  return self->room_id;
}

gint64
tertulia_room_get_last_seq (TertuliaRoom *self)
{
  g_return_val_if_fail (TERTULIA_IS_ROOM (self), 0);

  return self->last_seq;
}

/* Your messages not delivered yet go out from whoever you are now: after
 * a new session (a host restarted, another room) you may have another id,
 * which in that room could be someone else's old one.
 */
static void
readdress_own_messages (TertuliaRoom *self)
{
  GListModel *model = G_LIST_MODEL (self->messages);
  gint64 id = tertulia_participant_get_id (self->you);
  const char *nick = tertulia_participant_get_nickname (self->you);

  for (guint i = g_list_model_get_n_items (model); i > 0; i--)
    {
      g_autoptr(TertuliaMessage) message = g_list_model_get_item (model, i - 1);

      if (!tertulia_message_get_is_own (message) ||
          tertulia_message_get_state (message) == TERTULIA_MESSAGE_STATE_DELIVERED)
        {
          if (tertulia_message_get_seq (message) > 0)
            break;
          continue;
        }

      tertulia_message_set_sender (message, id, nick);
    }
}

void
tertulia_room_apply_welcome (TertuliaRoom        *self,
                             const TertuliaFrame *welcome)
{
  const TertuliaFrame *first_new = NULL;
  gint64 room_seq;
  gboolean missed;
  gboolean new_room = !self->had_welcome;

  g_return_if_fail (TERTULIA_IS_ROOM (self));
  g_return_if_fail (welcome != NULL);
  g_return_if_fail (welcome->type == TERTULIA_FRAME_WELCOME);

  g_object_freeze_notify (G_OBJECT (self));

  room_seq = welcome->seq;
  for (guint i = 0; welcome->history != NULL && i < welcome->history->len; i++)
    {
      const TertuliaFrame *event = g_ptr_array_index (welcome->history, i);

      room_seq = MAX (room_seq, event->seq);
    }

  /* A room with another id, or (from a host that sends no id) whose seq
   * went backwards, is a new one on the same address: the host started it
   * again, or another room opened there. Nothing carries over: its seq
   * started again and its participant ids are its own, so the same id
   * may now be someone else.
   */
  if (self->had_welcome &&
      ((self->room_id != NULL && welcome->room_id != NULL &&
        g_strcmp0 (self->room_id, welcome->room_id) != 0) ||
       (room_seq > 0 && room_seq < self->last_seq)))
    {
      g_autoptr(TertuliaMessage) notice = NULL;
      g_autofree char *text = NULL;

      g_debug ("A new room at seq %" G_GINT64_FORMAT " (had %" G_GINT64_FORMAT ")",
               room_seq, self->last_seq);
      _tertulia_room_set_last_seq (self, 0);
      self->oldest_seq = 0;
      new_room = TRUE;
      g_list_store_remove_all (self->participants);
      g_hash_table_remove_all (self->own_ids);
      _tertulia_room_conversation_reset (self);  /* issue 19 */

      /* Same name: the host opened the room again. Another name: people
       * must not take it for the room they were in.
       */
      if (welcome->room_name == NULL || g_strcmp0 (welcome->room_name, self->name) == 0)
        text = g_strdup (_("The host opened the room again."));
      else
        /* Translators: %s is the name of the room now open at the address */
        text = g_strdup_printf (_("This is a different room: “%s”."), welcome->room_name);

      notice = tertulia_message_new_notice (text, NULL);
      _tertulia_room_insert_message (self, notice);
      g_set_object (&self->room_start, notice);
    }

  _tertulia_room_forget_typing (self);  /* issue 19: who was typing is stale news */
  tertulia_room_set_name (self, welcome->room_name);
  _tertulia_room_set_topic (self, welcome->topic);
  tertulia_room_set_you (self, _tertulia_room_sync_participants (self, self->participants, welcome));
  readdress_own_messages (self);

  g_free (self->room_id);
  self->room_id = g_strdup (welcome->room_id);

  for (guint i = 0; welcome->history != NULL && i < welcome->history->len; i++)
    {
      const TertuliaFrame *event = g_ptr_array_index (welcome->history, i);

      if (event->seq > self->last_seq)
        {
          first_new = event;
          break;
        }
    }

  if (first_new != NULL)
    missed = first_new->seq > self->last_seq + 1;
  else
    missed = welcome->seq > self->last_seq;

  /* On the first welcome, there was nothing before to miss. */
  if (self->had_welcome && (welcome->gap || missed))
    {
      g_autoptr(GDateTime) time = NULL;
      g_autoptr(TertuliaMessage) notice = NULL;

      time = first_new != NULL ? _tertulia_date_time_from_ms (first_new->time)
                               : _tertulia_date_time_new_now_local ();
      notice = tertulia_message_new_notice (_("Some messages were missed while you were away."),
                                            time);
      _tertulia_room_insert_message (self, notice);
    }

  self->batch = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; welcome->history != NULL && i < welcome->history->len; i++)
    _tertulia_room_apply_event (self, g_ptr_array_index (welcome->history, i), TRUE);
  flush_batch (self);
  g_clear_pointer (&self->batch, g_ptr_array_unref);

  if (welcome->seq > self->last_seq)
    _tertulia_room_set_last_seq (self, welcome->seq);

  /* Until a history frame says otherwise, a room whose log does not go
   * back to its first event may have older ones on the host.
   */
  if (new_room)
    _tertulia_room_set_has_older (self, self->oldest_seq > 1 ||
                                        (self->oldest_seq == 0 && self->last_seq > 0));

  self->had_welcome = TRUE;

  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
tertulia_room_apply_event (TertuliaRoom        *self,
                           const TertuliaFrame *event)
{
  g_return_val_if_fail (TERTULIA_IS_ROOM (self), FALSE);
  g_return_val_if_fail (event != NULL, FALSE);

  return _tertulia_room_apply_event (self, event, FALSE);
}

TertuliaMessage *
tertulia_room_add_own_message (TertuliaRoom        *self,
                               TertuliaMessageKind  kind,
                               const char          *cid,
                               const char          *text)
{
  g_autoptr(TertuliaMessage) message = NULL;
  const char *author = "";
  gint64 author_id = 0;

  g_return_val_if_fail (TERTULIA_IS_ROOM (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  if (self->you != NULL)
    {
      author = _tertulia_room_or_empty (tertulia_participant_get_nickname (self->you));
      author_id = tertulia_participant_get_id (self->you);
    }

  message = tertulia_message_new_own (kind, cid, author_id, author, text);
  g_list_store_append (self->messages, message);

  if (cid != NULL)
    g_hash_table_replace (self->own_by_cid,
                          (gpointer) tertulia_message_get_cid (message),
                          g_object_ref (message));

  return message;
}

void
tertulia_room_resend_own_message (TertuliaRoom    *self,
                                  TertuliaMessage *message)
{
  g_autoptr(TertuliaMessage) hold = NULL;
  guint position;

  g_return_if_fail (TERTULIA_IS_ROOM (self));
  g_return_if_fail (TERTULIA_IS_MESSAGE (message));
  g_return_if_fail (tertulia_message_get_is_own (message));

  hold = g_object_ref (message);

  /* "Sending" before it moves, so whoever watches the rows sees a message
   * being sent arrive at the end.
   */
  tertulia_message_mark_sending (message);

  /* Messages being sent are the last rows. */
  if (_tertulia_room_find_position (self->messages, message, &position) &&
      position + 1 != g_list_model_get_n_items (G_LIST_MODEL (self->messages)))
    {
      g_list_store_remove (self->messages, position);
      g_list_store_append (self->messages, message);
    }

  if (self->you != NULL)
    tertulia_message_set_sender (message, tertulia_participant_get_id (self->you),
                                 tertulia_participant_get_nickname (self->you));
}

TertuliaMessage *
tertulia_room_find_own_message (TertuliaRoom *self,
                                const char   *cid)
{
  g_return_val_if_fail (TERTULIA_IS_ROOM (self), NULL);

  if (cid == NULL)
    return NULL;

  return g_hash_table_lookup (self->own_by_cid, cid);
}

/* Goes where a server event would, so that messages being sent stay last. */
TertuliaMessage *
tertulia_room_add_notice (TertuliaRoom *self,
                          const char   *text)
{
  g_autoptr(TertuliaMessage) notice = NULL;

  g_return_val_if_fail (TERTULIA_IS_ROOM (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  notice = tertulia_message_new_notice (text, NULL);
  _tertulia_room_insert_message (self, notice);

  return notice;
}

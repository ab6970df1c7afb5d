/* tertulia-notifier.c — desktop notifications for a room's new messages
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-notifier"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tertulia-notifier.h"

struct _TertuliaNotifier
{
  GObject                   parent_instance;

  /* Owned references */
  GApplication             *application;
  TertuliaRoom             *room;
  char                     *id;
  GPtrArray                *authors;       /* of char*, distinct, in order */
  GPtrArray                *mention_ids;   /* of char*, shown since the last look */
  GHashTable               *private_ids;   /* peer id (gint64*) → notification id */
  TertuliaConversation     *shown_conversation;
  char                     *last_author;
  char                     *last_text;

  /* Borrowed references */
  GListModel               *messages;

  gulong                    items_changed_id;
  gulong                    private_message_id;
  guint                     collapse_id;
  guint                     target;
  gint64                    baseline_seq;
  TertuliaNotificationMode  mode;
  TertuliaMessageKind       last_kind;
  guint                     n_unseen;
  /* Of the unseen, those the summary counts: mentions have their own. */
  guint                     n_summed;
  guint                     n_since_shown;
  guint                     window_active : 1;
  guint                     any_mention : 1;
  guint                     shown : 1;
};

enum {
  PROP_0,
  PROP_APPLICATION,
  PROP_ID,
  PROP_TARGET,
  PROP_ROOM,
  PROP_WINDOW_ACTIVE,
  PROP_MODE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

G_DEFINE_ENUM_TYPE (TertuliaNotificationMode, tertulia_notification_mode,
  G_DEFINE_ENUM_VALUE (TERTULIA_NOTIFICATION_MODE_ALL, "all"),
  G_DEFINE_ENUM_VALUE (TERTULIA_NOTIFICATION_MODE_MENTIONS, "mentions"),
  G_DEFINE_ENUM_VALUE (TERTULIA_NOTIFICATION_MODE_NONE, "none"))

G_DEFINE_FINAL_TYPE (TertuliaNotifier, tertulia_notifier, G_TYPE_OBJECT)

static gboolean
can_notify (TertuliaNotifier *self)
{
  return self->application != NULL &&
         g_application_get_is_registered (self->application) &&
         !g_application_get_is_remote (self->application);
}

/* Forgets what has been seen and takes the notification back: the
 * person is looking at the room now, or has left it.
 */
static void
tertulia_notifier_reset (TertuliaNotifier *self)
{
  g_clear_handle_id (&self->collapse_id, g_source_remove);
  g_ptr_array_set_size (self->authors, 0);
  g_clear_pointer (&self->last_author, g_free);
  g_clear_pointer (&self->last_text, g_free);
  self->n_unseen = 0;
  self->n_summed = 0;
  self->n_since_shown = 0;
  self->any_mention = FALSE;

  if (self->shown && can_notify (self))
    g_application_withdraw_notification (self->application, self->id);

  for (guint i = 0; i < self->mention_ids->len && can_notify (self); i++)
    g_application_withdraw_notification (self->application, g_ptr_array_index (self->mention_ids, i));
  g_ptr_array_set_size (self->mention_ids, 0);

  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, self->private_ids);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      if (can_notify (self))
        g_application_withdraw_notification (self->application, value);
    g_hash_table_remove_all (self->private_ids);
  }

  self->shown = FALSE;
}

static const char *
room_name (TertuliaNotifier *self)
{
  const char *name = tertulia_room_get_name (self->room);

  return name != NULL && *name != '\0' ? name : _("Tertulia");
}

/* One message, said in full: who, where, what. */
static GNotification *
new_message_notification (TertuliaNotifier    *self,
                          const char          *author,
                          TertuliaMessageKind  kind,
                          const char          *text)
{
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  GNotification *notification;

  /* Translators: a notification's title, "ana in Sala de Juegos" */
  title = g_strdup_printf (_("%s in %s"), author, room_name (self));

  if (kind == TERTULIA_MESSAGE_KIND_ACTION)
    /* Translators: a /me action in a notification, "ana waves" */
    body = g_strdup_printf (_("%s %s"), author, text);
  else
    body = g_strdup (text);

  /* GNotification's body is plain text: nothing from the wire is
   * interpreted as markup.
   */
  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_category (notification, "im.received");
  g_notification_set_default_action_and_target (notification,
                                                "app.present-window",
                                                "u", self->target);

  return notification;
}

/* A mention is never folded into a summary: it shows at once, on its own,
 * with its text.
 */
static void
tertulia_notifier_show_mention (TertuliaNotifier *self,
                                TertuliaMessage  *message,
                                const char       *author)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *mention_id = NULL;

  if (!can_notify (self))
    return;

  notification = new_message_notification (self, author,
                                           tertulia_message_get_kind (message),
                                           tertulia_message_get_text (message));
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);

  /* Each its own: a later mention does not replace an earlier one. */
  mention_id = g_strdup_printf ("%s-mention-%" G_GINT64_FORMAT, self->id,
                                tertulia_message_get_seq (message));
  g_application_send_notification (self->application, mention_id, notification);
  g_ptr_array_add (self->mention_ids, g_steal_pointer (&mention_id));
}

char *
_tertulia_notifier_join_names (const char * const *names)
{
  guint n;

  g_return_val_if_fail (names != NULL, NULL);

  n = g_strv_length ((char **)names);

  switch (n)
    {
    case 0:
      return g_strdup ("");

    case 1:
      return g_strdup (names[0]);

    case 2:
      /* Translators: who sent the new messages, "Ana and Luis" */
      return g_strdup_printf (_("%s and %s"), names[0], names[1]);

    case 3:
      /* Translators: who sent the new messages, "Ana, Luis and Marta" */
      return g_strdup_printf (_("%s, %s and %s"), names[0], names[1], names[2]);

    default:
      /* Translators: who sent the new messages, "Ana, Luis and 3 others" */
      return g_strdup_printf (ngettext ("%s, %s and %u other",
                                        "%s, %s and %u others",
                                        n - 2),
                              names[0], names[1], n - 2);
    }
}

static void
tertulia_notifier_show (TertuliaNotifier *self)
{
  g_autoptr(GNotification) notification = NULL;

  self->n_since_shown = 0;

  if (!can_notify (self) || self->n_summed == 0)
    return;

  if (self->n_summed == 1)
    {
      notification = new_message_notification (self, self->last_author,
                                               self->last_kind, self->last_text);
    }
  else
    {
      g_autofree char *names = NULL;
      g_autofree char *body = NULL;

      g_ptr_array_add (self->authors, NULL);
      names = _tertulia_notifier_join_names ((const char * const *)self->authors->pdata);
      g_ptr_array_remove_index (self->authors, self->authors->len - 1);

      /* Translators: %u is a number of messages, %s names who sent them,
       * "3 new messages from Ana and Luis"
       */
      body = g_strdup_printf (ngettext ("%u new message from %s",
                                        "%u new messages from %s",
                                        self->n_summed),
                              self->n_summed, names);

      notification = g_notification_new (room_name (self));
      g_notification_set_body (notification, body);
      g_notification_set_category (notification, "im.received");
      g_notification_set_default_action_and_target (notification,
                                                    "app.present-window",
                                                    "u", self->target);
    }

  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_NORMAL);
  g_application_send_notification (self->application, self->id, notification);
  self->shown = TRUE;
}

static gboolean
tertulia_notifier_collapse_cb (gpointer user_data)
{
  TertuliaNotifier *self = user_data;

  if (self->n_since_shown > 0)
    {
      tertulia_notifier_show (self);
      return G_SOURCE_CONTINUE;
    }

  self->collapse_id = 0;

  return G_SOURCE_REMOVE;
}

static void
tertulia_notifier_consider (TertuliaNotifier *self,
                            TertuliaMessage  *message)
{
  const char *author;
  gboolean mentions_you;
  guint i;

  if (tertulia_message_get_kind (message) == TERTULIA_MESSAGE_KIND_NOTICE ||
      tertulia_message_get_is_own (message) ||
      tertulia_message_get_seq (message) <= self->baseline_seq ||
      self->window_active)
    return;

  mentions_you = tertulia_message_get_mentions_you (message);

  switch (self->mode)
    {
    case TERTULIA_NOTIFICATION_MODE_NONE:
      return;

    case TERTULIA_NOTIFICATION_MODE_MENTIONS:
      if (!mentions_you)
        return;
      break;

    case TERTULIA_NOTIFICATION_MODE_ALL:
    default:
      break;
    }

  author = tertulia_message_get_author (message);
  if (author == NULL)
    author = "";

  self->n_unseen++;

  if (mentions_you)
    {
      self->any_mention = TRUE;
      tertulia_notifier_show_mention (self, message, author);
      return;
    }

  for (i = 0; i < self->authors->len; i++)
    {
      if (g_strcmp0 (g_ptr_array_index (self->authors, i), author) == 0)
        break;
    }
  if (i == self->authors->len)
    g_ptr_array_add (self->authors, g_strdup (author));

  g_free (self->last_author);
  self->last_author = g_strdup (author);
  g_free (self->last_text);
  self->last_text = g_strdup (tertulia_message_get_text (message));
  self->last_kind = tertulia_message_get_kind (message);
  self->n_summed++;
  self->n_since_shown++;

  /* The first message of a burst shows at once; the rest are folded into
   * one update per collapse period.
   */
  if (self->collapse_id == 0)
    {
      tertulia_notifier_show (self);
      self->collapse_id = g_timeout_add (TERTULIA_NOTIFIER_COLLAPSE_MSEC,
                                         tertulia_notifier_collapse_cb,
                                         self);
    }
}

/* A private message is for you alone: it notifies on its own (one
 * notification per person, the latest text), unless you are looking at
 * that conversation, and in every mode but None.
 */
static void
tertulia_notifier_private_message_cb (TertuliaNotifier     *self,
                                      TertuliaConversation *conversation,
                                      TertuliaMessage      *message,
                                      TertuliaRoom         *room)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  const char *author = tertulia_message_get_author (message);
  gint64 peer_id = tertulia_conversation_get_peer_id (conversation);
  gint64 *key;
  char *id;

  if (tertulia_message_get_is_own (message) ||
      self->mode == TERTULIA_NOTIFICATION_MODE_NONE ||
      (self->window_active && conversation == self->shown_conversation) ||
      !can_notify (self))
    return;

  if (author == NULL)
    author = tertulia_conversation_get_nick (conversation);

  /* Translators: a notification's title, "ana, privately, in Sala de Juegos" */
  title = g_strdup_printf (_("%s, privately, in %s"), author != NULL ? author : "", room_name (self));
  if (tertulia_message_get_kind (message) == TERTULIA_MESSAGE_KIND_ACTION)
    body = g_strdup_printf (_("%s %s"), author != NULL ? author : "", tertulia_message_get_text (message));
  else
    body = g_strdup (tertulia_message_get_text (message));

  /* Plain text, as for the room's messages. */
  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_category (notification, "im.received");
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  g_notification_set_default_action_and_target (notification,
                                                "app.present-conversation",
                                                "(ux)", self->target, peer_id);

  id = g_strdup_printf ("%s-private-%" G_GINT64_FORMAT, self->id, peer_id);
  g_application_send_notification (self->application, id, notification);

  key = g_new (gint64, 1);
  *key = peer_id;
  g_hash_table_replace (self->private_ids, key, id);
}

static void
tertulia_notifier_items_changed_cb (TertuliaNotifier *self,
                                    guint             position,
                                    guint             removed,
                                    guint             added,
                                    GListModel       *model)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(TertuliaMessage) message = g_list_model_get_item (model, i);

      tertulia_notifier_consider (self, message);
    }
}

static void
tertulia_notifier_dispose (GObject *object)
{
  TertuliaNotifier *self = (TertuliaNotifier *)object;

  tertulia_notifier_set_room (self, NULL);
  tertulia_notifier_reset (self);
  g_clear_object (&self->shown_conversation);

  g_clear_object (&self->application);

  G_OBJECT_CLASS (tertulia_notifier_parent_class)->dispose (object);
}

static void
tertulia_notifier_finalize (GObject *object)
{
  TertuliaNotifier *self = (TertuliaNotifier *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->authors, g_ptr_array_unref);
  g_clear_pointer (&self->mention_ids, g_ptr_array_unref);
  g_clear_pointer (&self->private_ids, g_hash_table_unref);

  G_OBJECT_CLASS (tertulia_notifier_parent_class)->finalize (object);
}

static void
tertulia_notifier_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TertuliaNotifier *self = TERTULIA_NOTIFIER (object);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      g_value_set_object (value, self->application);
      break;

    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_TARGET:
      g_value_set_uint (value, self->target);
      break;

    case PROP_ROOM:
      g_value_set_object (value, self->room);
      break;

    case PROP_WINDOW_ACTIVE:
      g_value_set_boolean (value, self->window_active);
      break;

    case PROP_MODE:
      g_value_set_enum (value, self->mode);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tertulia_notifier_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TertuliaNotifier *self = TERTULIA_NOTIFIER (object);

  switch (prop_id)
    {
    case PROP_APPLICATION:
      self->application = g_value_dup_object (value);
      break;

    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;

    case PROP_TARGET:
      self->target = g_value_get_uint (value);
      break;

    case PROP_ROOM:
      tertulia_notifier_set_room (self, g_value_get_object (value));
      break;

    case PROP_WINDOW_ACTIVE:
      tertulia_notifier_set_window_active (self, g_value_get_boolean (value));
      break;

    case PROP_MODE:
      tertulia_notifier_set_mode (self, g_value_get_enum (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tertulia_notifier_class_init (TertuliaNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tertulia_notifier_dispose;
  object_class->finalize = tertulia_notifier_finalize;
  object_class->get_property = tertulia_notifier_get_property;
  object_class->set_property = tertulia_notifier_set_property;

  properties [PROP_APPLICATION] =
    g_param_spec_object ("application", NULL, NULL,
                         G_TYPE_APPLICATION,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties [PROP_ID] =
    g_param_spec_string ("id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties [PROP_TARGET] =
    g_param_spec_uint ("target", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties [PROP_ROOM] =
    g_param_spec_object ("room", NULL, NULL,
                         TERTULIA_TYPE_ROOM,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_WINDOW_ACTIVE] =
    g_param_spec_boolean ("window-active", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL,
                       TERTULIA_TYPE_NOTIFICATION_MODE,
                       TERTULIA_NOTIFICATION_MODE_ALL,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tertulia_notifier_init (TertuliaNotifier *self)
{
  self->authors = g_ptr_array_new_with_free_func (g_free);
  self->mention_ids = g_ptr_array_new_with_free_func (g_free);
  self->private_ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->mode = TERTULIA_NOTIFICATION_MODE_ALL;
}

TertuliaNotifier *
tertulia_notifier_new (GApplication *application,
                       const char   *id,
                       guint         target)
{
  g_return_val_if_fail (G_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return g_object_new (TERTULIA_TYPE_NOTIFIER,
                       "application", application,
                       "id", id,
                       "target", target,
                       NULL);
}

TertuliaRoom *
tertulia_notifier_get_room (TertuliaNotifier *self)
{
  g_return_val_if_fail (TERTULIA_IS_NOTIFIER (self), NULL);

  return self->room;
}

void
tertulia_notifier_set_room (TertuliaNotifier *self,
                            TertuliaRoom     *room)
{
  g_return_if_fail (TERTULIA_IS_NOTIFIER (self));
  g_return_if_fail (!room || TERTULIA_IS_ROOM (room));

  if (self->room == room)
    return;

  if (self->room != NULL)
    {
      g_clear_signal_handler (&self->items_changed_id, self->messages);
      g_clear_signal_handler (&self->private_message_id, self->room);
      self->messages = NULL;
      tertulia_notifier_reset (self);
    }

  g_set_object (&self->room, room);

  if (room != NULL)
    {
      /* What the room already holds (the history of the welcome) is not
       * news: only events after this point notify.
       */
      self->baseline_seq = tertulia_room_get_last_seq (room);
      self->messages = tertulia_room_get_messages (room);
      self->items_changed_id =
        g_signal_connect_object (self->messages,
                                 "items-changed",
                                 G_CALLBACK (tertulia_notifier_items_changed_cb),
                                 self,
                                 G_CONNECT_SWAPPED);
      self->private_message_id =
        g_signal_connect_object (room, "private-message",
                                 G_CALLBACK (tertulia_notifier_private_message_cb),
                                 self,
                                 G_CONNECT_SWAPPED);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ROOM]);
}

gboolean
tertulia_notifier_get_window_active (TertuliaNotifier *self)
{
  g_return_val_if_fail (TERTULIA_IS_NOTIFIER (self), FALSE);

  return self->window_active;
}

void
tertulia_notifier_set_window_active (TertuliaNotifier *self,
                                     gboolean          window_active)
{
  g_return_if_fail (TERTULIA_IS_NOTIFIER (self));

  window_active = !!window_active;

  if (self->window_active == window_active)
    return;

  self->window_active = window_active;

  if (window_active)
    tertulia_notifier_reset (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_WINDOW_ACTIVE]);
}

TertuliaNotificationMode
tertulia_notifier_get_mode (TertuliaNotifier *self)
{
  g_return_val_if_fail (TERTULIA_IS_NOTIFIER (self), TERTULIA_NOTIFICATION_MODE_ALL);

  return self->mode;
}

void
tertulia_notifier_set_mode (TertuliaNotifier         *self,
                            TertuliaNotificationMode  mode)
{
  g_return_if_fail (TERTULIA_IS_NOTIFIER (self));

  if (self->mode == mode)
    return;

  self->mode = mode;

  /* Turning notifications off also takes back the one on screen. */
  if (mode == TERTULIA_NOTIFICATION_MODE_NONE)
    tertulia_notifier_reset (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_MODE]);
}

guint
tertulia_notifier_get_n_unseen (TertuliaNotifier *self)
{
  g_return_val_if_fail (TERTULIA_IS_NOTIFIER (self), 0);

  return self->shown ? self->n_unseen : 0;
}

void
tertulia_notifier_set_shown_conversation (TertuliaNotifier     *self,
                                          TertuliaConversation *conversation)
{
  g_return_if_fail (TERTULIA_IS_NOTIFIER (self));
  g_return_if_fail (!conversation || TERTULIA_IS_CONVERSATION (conversation));

  g_set_object (&self->shown_conversation, conversation);

  /* What is on screen needs no notification. */
  if (conversation != NULL)
    {
      gint64 peer_id = tertulia_conversation_get_peer_id (conversation);
      const char *id = g_hash_table_lookup (self->private_ids, &peer_id);

      if (id != NULL && can_notify (self))
        g_application_withdraw_notification (self->application, id);
      g_hash_table_remove (self->private_ids, &peer_id);
    }
}

guint
tertulia_notifier_get_n_private (TertuliaNotifier *self)
{
  g_return_val_if_fail (TERTULIA_IS_NOTIFIER (self), 0);

  return g_hash_table_size (self->private_ids);
}

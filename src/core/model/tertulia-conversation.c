/* tertulia-conversation.c — private messages with one other participant
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-conversation"

#include "config.h"

#include "tertulia-conversation.h"
#include "tertulia-room-private.h"

struct _TertuliaConversation
{
  GObject     parent_instance;

  /* Owned references */
  GListStore *messages;
  char       *nick;

  gint64      peer_id;
  guint       unread;
  gboolean    present;
};

G_DEFINE_FINAL_TYPE (TertuliaConversation, tertulia_conversation, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PEER_ID,
  PROP_NICK,
  PROP_UNREAD,
  PROP_MESSAGES,
  PROP_PRESENT,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
tertulia_conversation_finalize (GObject *object)
{
  TertuliaConversation *self = (TertuliaConversation *)object;

  g_clear_object (&self->messages);
  g_clear_pointer (&self->nick, g_free);

  G_OBJECT_CLASS (tertulia_conversation_parent_class)->finalize (object);
}

static void
tertulia_conversation_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  TertuliaConversation *self = TERTULIA_CONVERSATION (object);

  switch (prop_id)
    {
    case PROP_PEER_ID:
      g_value_set_int64 (value, self->peer_id);
      break;

    case PROP_NICK:
      g_value_set_string (value, self->nick);
      break;

    case PROP_UNREAD:
      g_value_set_uint (value, self->unread);
      break;

    case PROP_MESSAGES:
      g_value_set_object (value, self->messages);
      break;

    case PROP_PRESENT:
      g_value_set_boolean (value, self->present);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tertulia_conversation_class_init (TertuliaConversationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tertulia_conversation_finalize;
  object_class->get_property = tertulia_conversation_get_property;

  properties [PROP_PEER_ID] =
    g_param_spec_int64 ("peer-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties [PROP_NICK] =
    g_param_spec_string ("nick", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_UNREAD] =
    g_param_spec_uint ("unread", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_MESSAGES] =
    g_param_spec_object ("messages", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties [PROP_PRESENT] =
    g_param_spec_boolean ("present", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tertulia_conversation_init (TertuliaConversation *self)
{
  self->messages = g_list_store_new (TERTULIA_TYPE_MESSAGE);
}

TertuliaConversation *
_tertulia_conversation_new (gint64      peer_id,
                            const char *nick,
                            gboolean    present)
{
  TertuliaConversation *self = g_object_new (TERTULIA_TYPE_CONVERSATION, NULL);

  self->peer_id = peer_id;
  self->nick = g_strdup (nick);
  self->present = present;

  return self;
}

void
_tertulia_conversation_add_message (TertuliaConversation *self,
                                    TertuliaMessage      *message,
                                    gboolean              unread)
{
  g_list_store_append (self->messages, message);

  if (unread)
    {
      self->unread++;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_UNREAD]);
    }
}

void
_tertulia_conversation_set_nick (TertuliaConversation *self,
                                 const char           *nick)
{
  if (nick == NULL || g_strcmp0 (self->nick, nick) == 0)
    return;

  g_free (self->nick);
  self->nick = g_strdup (nick);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_NICK]);
}

void
_tertulia_conversation_set_present (TertuliaConversation *self,
                                    gboolean              present)
{
  present = !!present;
  if (self->present == present)
    return;

  self->present = present;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PRESENT]);
}

gint64
tertulia_conversation_get_peer_id (TertuliaConversation *self)
{
  g_return_val_if_fail (TERTULIA_IS_CONVERSATION (self), 0);

  return self->peer_id;
}

const char *
tertulia_conversation_get_nick (TertuliaConversation *self)
{
  g_return_val_if_fail (TERTULIA_IS_CONVERSATION (self), NULL);

  return self->nick;
}

guint
tertulia_conversation_get_unread (TertuliaConversation *self)
{
  g_return_val_if_fail (TERTULIA_IS_CONVERSATION (self), 0);

  return self->unread;
}

GListModel *
tertulia_conversation_get_messages (TertuliaConversation *self)
{
  g_return_val_if_fail (TERTULIA_IS_CONVERSATION (self), NULL);

  return G_LIST_MODEL (self->messages);
}

gboolean
tertulia_conversation_get_present (TertuliaConversation *self)
{
  g_return_val_if_fail (TERTULIA_IS_CONVERSATION (self), FALSE);

  return self->present;
}

void
tertulia_conversation_mark_read (TertuliaConversation *self)
{
  g_return_if_fail (TERTULIA_IS_CONVERSATION (self));

  if (self->unread == 0)
    return;

  self->unread = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_UNREAD]);
}

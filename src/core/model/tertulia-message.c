/* tertulia-message.c — one line of a room's log
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-message"

#include "config.h"

#include "tertulia-message.h"
#include "tertulia-message-private.h"
#include "tertulia-util-private.h"

struct _TertuliaMessage
{
  GObject              parent_instance;

  /* Owned references */
  char                *cid;
  char                *author;
  char                *text;
  char                *error;
  GDateTime           *time;
  TertuliaFileInfo    *file;

  gint64               seq;
  gint64               author_id;
  TertuliaMessageKind  kind;
  TertuliaMessageState state;
  guint                is_own : 1;
  guint                mentions_you : 1;
  guint                file_removed : 1;
  /* A TertuliaNoticeKind. The log holds 100 000 messages and few are
   * notices: these two cost a chat message nothing (the subject is qdata).
   */
  guint                notice_kind : 2;
};

G_DEFINE_FINAL_TYPE (TertuliaMessage, tertulia_message, G_TYPE_OBJECT)

G_STATIC_ASSERT (TERTULIA_NOTICE_KIND_RENAME < 4);  /* notice_kind is 2 bits */

enum {
  PROP_0,
  PROP_SEQ,
  PROP_CID,
  PROP_KIND,
  PROP_AUTHOR_ID,
  PROP_AUTHOR,
  PROP_TEXT,
  PROP_TIME,
  PROP_STATE,
  PROP_IS_OWN,
  PROP_MENTIONS_YOU,
  PROP_ERROR,
  PROP_NOTICE_KIND,
  PROP_SUBJECT,
  PROP_FILE,
  PROP_FILE_REMOVED,
  /* issue 19 (tertulia-message-conversation.c) */
  PROP_REPLY_TO_SEQ,
  PROP_REPLY_TO_AUTHOR,
  PROP_REPLY_TO_TEXT,
  PROP_EDITED,
  PROP_DELETED,
  PROP_DELETED_BY,
  PROP_REACTIONS,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static GQuark
subject_quark (void)
{
  static GQuark quark;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("tertulia-message-subject");

  return quark;
}



static void
tertulia_message_set_seq (TertuliaMessage *self,
                          gint64           seq)
{
  if (self->seq == seq)
    return;

  self->seq = seq;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SEQ]);
}

/* The log always shows local time, whatever zone the stamp came in. */
static void
tertulia_message_set_time (TertuliaMessage *self,
                           GDateTime       *time)
{
  g_autoptr(GDateTime) local = NULL;

  local = time != NULL ? _tertulia_date_time_to_local (time) : _tertulia_date_time_new_now_local ();

  if (self->time != NULL && g_date_time_equal (self->time, local))
    return;

  g_clear_pointer (&self->time, g_date_time_unref);
  self->time = g_steal_pointer (&local);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TIME]);
}

static void
tertulia_message_set_state (TertuliaMessage      *self,
                            TertuliaMessageState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STATE]);
}

static void
tertulia_message_set_error (TertuliaMessage *self,
                            const char      *error)
{
  if (_tertulia_set_str (&self->error, error))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ERROR]);
}

static void
tertulia_message_constructed (GObject *object)
{
  TertuliaMessage *self = (TertuliaMessage *)object;

  G_OBJECT_CLASS (tertulia_message_parent_class)->constructed (object);

  /* Every row has a time, even one built without a stamp. */
  if (self->time == NULL)
    self->time = _tertulia_date_time_new_now_local ();
}

static void
tertulia_message_finalize (GObject *object)
{
  TertuliaMessage *self = (TertuliaMessage *)object;

  g_clear_pointer (&self->cid, g_free);
  g_clear_pointer (&self->author, g_free);
  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->time, g_date_time_unref);
  g_clear_pointer (&self->file, tertulia_file_info_free);

  G_OBJECT_CLASS (tertulia_message_parent_class)->finalize (object);
}

static void
tertulia_message_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TertuliaMessage *self = TERTULIA_MESSAGE (object);

  switch (prop_id)
    {
    case PROP_SEQ:
      g_value_set_int64 (value, self->seq);
      break;

    case PROP_CID:
      g_value_set_string (value, self->cid);
      break;

    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;

    case PROP_AUTHOR_ID:
      g_value_set_int64 (value, self->author_id);
      break;

    case PROP_AUTHOR:
      g_value_set_string (value, self->author);
      break;

    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;

    case PROP_TIME:
      g_value_set_boxed (value, self->time);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_IS_OWN:
      g_value_set_boolean (value, self->is_own);
      break;

    case PROP_MENTIONS_YOU:
      g_value_set_boolean (value, self->mentions_you);
      break;

    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;

    case PROP_FILE:
      g_value_set_boxed (value, self->file);
      break;

    case PROP_FILE_REMOVED:
      g_value_set_boolean (value, self->file_removed);
      break;

    case PROP_NOTICE_KIND:
      g_value_set_enum (value, self->notice_kind);
      break;

    case PROP_SUBJECT:
      g_value_set_string (value, tertulia_message_get_subject (self));
      break;

    /* issue 19 */
    case PROP_REPLY_TO_SEQ:
      g_value_set_int64 (value, tertulia_message_get_reply_to_seq (self));
      break;

    case PROP_REPLY_TO_AUTHOR:
      g_value_set_string (value, tertulia_message_get_reply_to_author (self));
      break;

    case PROP_REPLY_TO_TEXT:
      g_value_set_string (value, tertulia_message_get_reply_to_text (self));
      break;

    case PROP_EDITED:
      g_value_set_boolean (value, tertulia_message_get_edited (self));
      break;

    case PROP_DELETED:
      g_value_set_boolean (value, tertulia_message_get_deleted (self));
      break;

    case PROP_DELETED_BY:
      g_value_set_string (value, tertulia_message_get_deleted_by (self));
      break;

    case PROP_REACTIONS:
      g_value_set_boxed (value, tertulia_message_get_reactions (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tertulia_message_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TertuliaMessage *self = TERTULIA_MESSAGE (object);

  switch (prop_id)
    {
    case PROP_SEQ:
      tertulia_message_set_seq (self, g_value_get_int64 (value));
      break;

    case PROP_CID:
      self->cid = g_value_dup_string (value);
      break;

    case PROP_KIND:
      self->kind = g_value_get_enum (value);
      break;

    case PROP_AUTHOR_ID:
      self->author_id = g_value_get_int64 (value);
      break;

    case PROP_AUTHOR:
      _tertulia_set_str (&self->author, g_value_get_string (value));
      break;

    case PROP_TEXT:
      self->text = g_value_dup_string (value);
      break;

    case PROP_TIME:
      /* Construction passes NULL when there is no stamp; constructed()
       * fills in "now" without a spurious notify.
       */
      if (g_value_get_boxed (value) != NULL || self->time != NULL)
        tertulia_message_set_time (self, g_value_get_boxed (value));
      break;

    case PROP_STATE:
      tertulia_message_set_state (self, g_value_get_enum (value));
      break;

    case PROP_IS_OWN:
      self->is_own = g_value_get_boolean (value);
      break;

    case PROP_MENTIONS_YOU:
      tertulia_message_set_mentions_you (self, g_value_get_boolean (value));
      break;

    case PROP_ERROR:
      tertulia_message_set_error (self, g_value_get_string (value));
      break;

    case PROP_FILE:
      self->file = g_value_dup_boxed (value);
      break;

    case PROP_FILE_REMOVED:
      tertulia_message_set_file_removed (self, g_value_get_boolean (value));
      break;

    case PROP_NOTICE_KIND:
      self->notice_kind = g_value_get_enum (value);
      break;

    case PROP_SUBJECT:
      if (g_value_get_string (value) != NULL)
        g_object_set_qdata_full (object, subject_quark (), g_value_dup_string (value), g_free);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tertulia_message_class_init (TertuliaMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = tertulia_message_constructed;
  object_class->finalize = tertulia_message_finalize;
  object_class->get_property = tertulia_message_get_property;
  object_class->set_property = tertulia_message_set_property;

  properties [PROP_SEQ] =
    g_param_spec_int64 ("seq", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_CID] =
    g_param_spec_string ("cid", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties [PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL,
                       TERTULIA_TYPE_MESSAGE_KIND,
                       TERTULIA_MESSAGE_KIND_CHAT,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties [PROP_AUTHOR_ID] =
    g_param_spec_int64 ("author-id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_AUTHOR] =
    g_param_spec_string ("author", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties [PROP_TIME] =
    g_param_spec_boxed ("time", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       TERTULIA_TYPE_MESSAGE_STATE,
                       TERTULIA_MESSAGE_STATE_DELIVERED,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_IS_OWN] =
    g_param_spec_boolean ("is-own", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties [PROP_MENTIONS_YOU] =
    g_param_spec_boolean ("mentions-you", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_NOTICE_KIND] =
    g_param_spec_enum ("notice-kind", NULL, NULL,
                       TERTULIA_TYPE_NOTICE_KIND,
                       TERTULIA_NOTICE_KIND_OTHER,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties [PROP_SUBJECT] =
    g_param_spec_string ("subject", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties [PROP_FILE] =
    g_param_spec_boxed ("file", NULL, NULL,
                        TERTULIA_TYPE_FILE_INFO,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties [PROP_FILE_REMOVED] =
    g_param_spec_boolean ("file-removed", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* issue 19: read-only; tertulia-message-conversation.c changes them */
  properties [PROP_REPLY_TO_SEQ] =
    g_param_spec_int64 ("reply-to-seq", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_REPLY_TO_AUTHOR] =
    g_param_spec_string ("reply-to-author", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_REPLY_TO_TEXT] =
    g_param_spec_string ("reply-to-text", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_EDITED] =
    g_param_spec_boolean ("edited", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_DELETED] =
    g_param_spec_boolean ("deleted", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_DELETED_BY] =
    g_param_spec_string ("deleted-by", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties [PROP_REACTIONS] =
    g_param_spec_boxed ("reactions", NULL, NULL,
                        G_TYPE_PTR_ARRAY,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

/* issue 19: an edit or a deletion changes the text */
void
_tertulia_message_set_text (TertuliaMessage *self,
                            const char      *text)
{
  g_assert (TERTULIA_IS_MESSAGE (self));

  if (_tertulia_set_str (&self->text, text))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TEXT]);
}

static void
tertulia_message_init (TertuliaMessage *self)
{
  self->kind = TERTULIA_MESSAGE_KIND_CHAT;
  self->state = TERTULIA_MESSAGE_STATE_DELIVERED;
}

/**
 * tertulia_message_new:
 * @time: (nullable): when the server accepted it; %NULL means now
 *
 * A message the server has confirmed (state DELIVERED).
 */
TertuliaMessage *
tertulia_message_new (TertuliaMessageKind  kind,
                      gint64               seq,
                      gint64               author_id,
                      const char          *author,
                      const char          *text,
                      GDateTime           *time)
{
  g_return_val_if_fail (seq >= 0, NULL);
  g_return_val_if_fail (author_id >= 0, NULL);

  return g_object_new (TERTULIA_TYPE_MESSAGE,
                       "kind", kind,
                       "seq", seq,
                       "author-id", author_id,
                       "author", author,
                       "text", text,
                       "time", time,
                       "state", TERTULIA_MESSAGE_STATE_DELIVERED,
                       NULL);
}

TertuliaMessage *
tertulia_message_new_notice (const char *text,
                             GDateTime  *time)
{
  return tertulia_message_new (TERTULIA_MESSAGE_KIND_NOTICE, 0, 0, NULL, text, time);
}

TertuliaMessage *
tertulia_message_new_event_notice (TertuliaNoticeKind  notice_kind,
                                   gint64              seq,
                                   const char         *subject,
                                   const char         *text,
                                   GDateTime          *time)
{
  g_return_val_if_fail (seq >= 0, NULL);

  return g_object_new (TERTULIA_TYPE_MESSAGE,
                       "kind", TERTULIA_MESSAGE_KIND_NOTICE,
                       "notice-kind", notice_kind,
                       "seq", seq,
                       "subject", subject,
                       "text", text,
                       "time", time,
                       "state", TERTULIA_MESSAGE_STATE_DELIVERED,
                       NULL);
}

/* Stamped with the local time until the server's echo replaces it. */
TertuliaMessage *
tertulia_message_new_own (TertuliaMessageKind  kind,
                          const char          *cid,
                          gint64               author_id,
                          const char          *author,
                          const char          *text)
{
  g_return_val_if_fail (author_id >= 0, NULL);

  return g_object_new (TERTULIA_TYPE_MESSAGE,
                       "kind", kind,
                       "cid", cid,
                       "author-id", author_id,
                       "author", author,
                       "text", text,
                       "state", TERTULIA_MESSAGE_STATE_SENDING,
                       "is-own", TRUE,
                       NULL);
}

gint64
tertulia_message_get_seq (TertuliaMessage *self)
{
  g_return_val_if_fail (TERTULIA_IS_MESSAGE (self), 0);

  return self->seq;
}

const char *
tertulia_message_get_cid (TertuliaMessage *self)
{
  g_return_val_if_fail (TERTULIA_IS_MESSAGE (self), NULL);

  return self->cid;
}

TertuliaMessageKind
tertulia_message_get_kind (TertuliaMessage *self)
{
  g_return_val_if_fail (TERTULIA_IS_MESSAGE (self), TERTULIA_MESSAGE_KIND_CHAT);

  return self->kind;
}

gint64
tertulia_message_get_author_id (TertuliaMessage *self)
{
  g_return_val_if_fail (TERTULIA_IS_MESSAGE (self), 0);

  return self->author_id;
}

const char *
tertulia_message_get_author (TertuliaMessage *self)
{
  g_return_val_if_fail (TERTULIA_IS_MESSAGE (self), NULL);

  return self->author;
}

const char *
tertulia_message_get_text (TertuliaMessage *self)
{
  g_return_val_if_fail (TERTULIA_IS_MESSAGE (self), NULL);

  return self->text;
}

GDateTime *
tertulia_message_get_time (TertuliaMessage *self)
{
  g_return_val_if_fail (TERTULIA_IS_MESSAGE (self), NULL);

  return self->time;
}

TertuliaMessageState
tertulia_message_get_state (TertuliaMessage *self)
{
  g_return_val_if_fail (TERTULIA_IS_MESSAGE (self), TERTULIA_MESSAGE_STATE_DELIVERED);

  return self->state;
}

gboolean
tertulia_message_get_is_own (TertuliaMessage *self)
{
  g_return_val_if_fail (TERTULIA_IS_MESSAGE (self), FALSE);

  return self->is_own;
}

gboolean
tertulia_message_get_mentions_you (TertuliaMessage *self)
{
  g_return_val_if_fail (TERTULIA_IS_MESSAGE (self), FALSE);

  return self->mentions_you;
}

const char *
tertulia_message_get_error (TertuliaMessage *self)
{
  g_return_val_if_fail (TERTULIA_IS_MESSAGE (self), NULL);

  return self->error;
}

TertuliaNoticeKind
tertulia_message_get_notice_kind (TertuliaMessage *self)
{
  g_return_val_if_fail (TERTULIA_IS_MESSAGE (self), TERTULIA_NOTICE_KIND_OTHER);

  return self->notice_kind;
}

const char *
tertulia_message_get_subject (TertuliaMessage *self)
{
  g_return_val_if_fail (TERTULIA_IS_MESSAGE (self), NULL);

  return g_object_get_qdata (G_OBJECT (self), subject_quark ());
}

void
tertulia_message_set_mentions_you (TertuliaMessage *self,
                                   gboolean         mentions_you)
{
  g_return_if_fail (TERTULIA_IS_MESSAGE (self));

  mentions_you = !!mentions_you;

  if (self->mentions_you == mentions_you)
    return;

  self->mentions_you = mentions_you;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_MENTIONS_YOU]);
}

/* One freeze, so a row bound to several of these updates once. */
void
tertulia_message_mark_delivered (TertuliaMessage *self,
                                 gint64           seq,
                                 GDateTime       *time)
{
  g_return_if_fail (TERTULIA_IS_MESSAGE (self));
  g_return_if_fail (seq >= 0);

  g_object_freeze_notify (G_OBJECT (self));
  tertulia_message_set_seq (self, seq);
  if (time != NULL)
    tertulia_message_set_time (self, time);
  tertulia_message_set_error (self, NULL);
  tertulia_message_set_state (self, TERTULIA_MESSAGE_STATE_DELIVERED);
  g_object_thaw_notify (G_OBJECT (self));
}

void
tertulia_message_mark_failed (TertuliaMessage *self,
                              const char      *error)
{
  g_return_if_fail (TERTULIA_IS_MESSAGE (self));

  g_object_freeze_notify (G_OBJECT (self));
  tertulia_message_set_error (self, error);
  tertulia_message_set_state (self, TERTULIA_MESSAGE_STATE_FAILED);
  g_object_thaw_notify (G_OBJECT (self));
}

char *
tertulia_message_format_time (TertuliaMessage *self)
{
  g_return_val_if_fail (TERTULIA_IS_MESSAGE (self), NULL);

  return _tertulia_format_time_of_day (self->time);
}

void
tertulia_message_mark_sending (TertuliaMessage *self)
{
  g_return_if_fail (TERTULIA_IS_MESSAGE (self));
  g_return_if_fail (self->is_own);

  g_object_freeze_notify (G_OBJECT (self));
  tertulia_message_set_error (self, NULL);
  tertulia_message_set_state (self, TERTULIA_MESSAGE_STATE_SENDING);
  g_object_thaw_notify (G_OBJECT (self));
}

void
tertulia_message_set_sender (TertuliaMessage *self,
                             gint64           author_id,
                             const char      *author)
{
  g_return_if_fail (TERTULIA_IS_MESSAGE (self));
  g_return_if_fail (author_id >= 0);

  g_object_freeze_notify (G_OBJECT (self));
  if (self->author_id != author_id)
    {
      self->author_id = author_id;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_AUTHOR_ID]);
    }
  if (_tertulia_set_str (&self->author, author))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_AUTHOR]);
  g_object_thaw_notify (G_OBJECT (self));
}


/* Shared files */

TertuliaMessage *
tertulia_message_new_file (gint64                  seq,
                           gint64                  author_id,
                           const char             *author,
                           const TertuliaFileInfo *file,
                           GDateTime              *time)
{
  g_return_val_if_fail (file != NULL, NULL);

  return g_object_new (TERTULIA_TYPE_MESSAGE,
                       "kind", TERTULIA_MESSAGE_KIND_FILE,
                       "seq", seq,
                       "author-id", author_id,
                       "author", author,
                       "text", file->name,
                       "time", time,
                       "file", file,
                       NULL);
}

const TertuliaFileInfo *
tertulia_message_get_file (TertuliaMessage *self)
{
  g_return_val_if_fail (TERTULIA_IS_MESSAGE (self), NULL);

  return self->file;
}

gboolean
tertulia_message_get_file_removed (TertuliaMessage *self)
{
  g_return_val_if_fail (TERTULIA_IS_MESSAGE (self), FALSE);

  return self->file_removed;
}

void
tertulia_message_set_file_removed (TertuliaMessage *self,
                                   gboolean         removed)
{
  g_return_if_fail (TERTULIA_IS_MESSAGE (self));

  removed = !!removed;
  if (self->file_removed == removed)
    return;

  self->file_removed = removed;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_FILE_REMOVED]);
}

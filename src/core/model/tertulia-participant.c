/* tertulia-participant.c — someone in a room
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-participant"

#include "config.h"

#include "tertulia-participant.h"
#include "tertulia-util-private.h"

struct _TertuliaParticipant
{
  GObject    parent_instance;

  /* Owned references */
  char      *nickname;
  GDateTime *joined_at;

  gint64     id;
  TertuliaRole role;
  guint      is_you : 1;
  guint      is_host : 1;
  guint      muted : 1;
};

G_DEFINE_FINAL_TYPE (TertuliaParticipant, tertulia_participant, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NICKNAME,
  PROP_JOINED_AT,
  PROP_IS_YOU,
  PROP_IS_HOST,
  PROP_ROLE,
  PROP_MUTED,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
tertulia_participant_finalize (GObject *object)
{
  TertuliaParticipant *self = (TertuliaParticipant *)object;

  g_clear_pointer (&self->nickname, g_free);
  g_clear_pointer (&self->joined_at, g_date_time_unref);

  G_OBJECT_CLASS (tertulia_participant_parent_class)->finalize (object);
}

static void
tertulia_participant_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  TertuliaParticipant *self = TERTULIA_PARTICIPANT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;

    case PROP_NICKNAME:
      g_value_set_string (value, self->nickname);
      break;

    case PROP_JOINED_AT:
      g_value_set_boxed (value, self->joined_at);
      break;

    case PROP_IS_YOU:
      g_value_set_boolean (value, self->is_you);
      break;

    case PROP_IS_HOST:
      g_value_set_boolean (value, self->is_host);
      break;

    case PROP_ROLE:
      g_value_set_enum (value, self->role);
      break;

    case PROP_MUTED:
      g_value_set_boolean (value, self->muted);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tertulia_participant_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  TertuliaParticipant *self = TERTULIA_PARTICIPANT (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_get_int64 (value);
      break;

    case PROP_NICKNAME:
      tertulia_participant_set_nickname (self, g_value_get_string (value));
      break;

    case PROP_JOINED_AT:
      self->joined_at = g_value_dup_boxed (value);
      break;

    case PROP_IS_YOU:
      self->is_you = g_value_get_boolean (value);
      break;

    case PROP_IS_HOST:
      self->is_host = g_value_get_boolean (value);
      if (self->is_host)
        self->role = TERTULIA_ROLE_HOST;
      break;

    case PROP_ROLE:
      tertulia_participant_set_role (self, g_value_get_enum (value));
      break;

    case PROP_MUTED:
      tertulia_participant_set_muted (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tertulia_participant_class_init (TertuliaParticipantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tertulia_participant_finalize;
  object_class->get_property = tertulia_participant_get_property;
  object_class->set_property = tertulia_participant_set_property;

  properties [PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties [PROP_NICKNAME] =
    g_param_spec_string ("nickname", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_JOINED_AT] =
    g_param_spec_boxed ("joined-at", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties [PROP_IS_YOU] =
    g_param_spec_boolean ("is-you", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties [PROP_IS_HOST] =
    g_param_spec_boolean ("is-host", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties [PROP_ROLE] =
    g_param_spec_enum ("role", NULL, NULL,
                       TERTULIA_TYPE_ROLE, TERTULIA_ROLE_GUEST,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_MUTED] =
    g_param_spec_boolean ("muted", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tertulia_participant_init (TertuliaParticipant *self)
{
}

/**
 * tertulia_participant_new:
 * @joined_at: (nullable): when they joined, in any time zone
 */
TertuliaParticipant *
tertulia_participant_new (gint64      id,
                          const char *nickname,
                          GDateTime  *joined_at,
                          gboolean    is_you,
                          gboolean    is_host)
{
  g_return_val_if_fail (id >= 0, NULL);

  return g_object_new (TERTULIA_TYPE_PARTICIPANT,
                       "id", id,
                       "nickname", nickname,
                       "joined-at", joined_at,
                       "is-you", is_you,
                       "is-host", is_host,
                       NULL);
}

gint64
tertulia_participant_get_id (TertuliaParticipant *self)
{
  g_return_val_if_fail (TERTULIA_IS_PARTICIPANT (self), 0);

  return self->id;
}

const char *
tertulia_participant_get_nickname (TertuliaParticipant *self)
{
  g_return_val_if_fail (TERTULIA_IS_PARTICIPANT (self), NULL);

  return self->nickname;
}

void
tertulia_participant_set_nickname (TertuliaParticipant *self,
                                   const char          *nickname)
{
  g_return_if_fail (TERTULIA_IS_PARTICIPANT (self));

  if (_tertulia_set_str (&self->nickname, nickname))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_NICKNAME]);
}

GDateTime *
tertulia_participant_get_joined_at (TertuliaParticipant *self)
{
  g_return_val_if_fail (TERTULIA_IS_PARTICIPANT (self), NULL);

  return self->joined_at;
}

gboolean
tertulia_participant_get_is_you (TertuliaParticipant *self)
{
  g_return_val_if_fail (TERTULIA_IS_PARTICIPANT (self), FALSE);

  return self->is_you;
}

gboolean
tertulia_participant_get_is_host (TertuliaParticipant *self)
{
  g_return_val_if_fail (TERTULIA_IS_PARTICIPANT (self), FALSE);

  return self->is_host;
}

/* issue 18: moderation */

TertuliaRole
tertulia_participant_get_role (TertuliaParticipant *self)
{
  g_return_val_if_fail (TERTULIA_IS_PARTICIPANT (self), TERTULIA_ROLE_GUEST);

  return self->role;
}

void
tertulia_participant_set_role (TertuliaParticipant *self,
                               TertuliaRole         role)
{
  g_return_if_fail (TERTULIA_IS_PARTICIPANT (self));

  if (self->role == role)
    return;

  self->role = role;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ROLE]);
}

gboolean
tertulia_participant_get_muted (TertuliaParticipant *self)
{
  g_return_val_if_fail (TERTULIA_IS_PARTICIPANT (self), FALSE);

  return self->muted;
}

void
tertulia_participant_set_muted (TertuliaParticipant *self,
                                gboolean             muted)
{
  g_return_if_fail (TERTULIA_IS_PARTICIPANT (self));

  muted = !!muted;
  if (self->muted == (guint) muted)
    return;

  self->muted = muted;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_MUTED]);
}

gboolean
tertulia_participant_get_moderates (TertuliaParticipant *self)
{
  g_return_val_if_fail (TERTULIA_IS_PARTICIPANT (self), FALSE);

  return self->role == TERTULIA_ROLE_HOST || self->role == TERTULIA_ROLE_COHOST;
}

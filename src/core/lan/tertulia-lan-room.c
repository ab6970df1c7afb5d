/* tertulia-lan-room.c — a room someone hosts on the local network, as found by browsing
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-lan-room"

#include "config.h"

#include <string.h>

#include "tertulia-address.h"
#include "tertulia-discovery-private.h"
#include "tertulia-fingerprint.h"
#include "tertulia-lan-room.h"

struct _TertuliaLanRoom
{
  GObject  parent_instance;

  /* Owned references */
  char    *service_name;
  char    *room_name;
  char    *host_name;
  char    *address;
  char    *fingerprint;

  guint    port;
  gint     n_participants;
  gint     version;
  guint    password_needed : 1;
  guint    is_local : 1;
  guint    encrypted : 1;
};

G_DEFINE_FINAL_TYPE (TertuliaLanRoom, tertulia_lan_room, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SERVICE_NAME,
  PROP_ROOM_NAME,
  PROP_HOST_NAME,
  PROP_ADDRESS,
  PROP_PORT,
  PROP_N_PARTICIPANTS,
  PROP_VERSION,
  PROP_PASSWORD_NEEDED,
  PROP_IS_LOCAL,
  PROP_FINGERPRINT,
  PROP_ENCRYPTED,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
tertulia_lan_room_finalize (GObject *object)
{
  TertuliaLanRoom *self = (TertuliaLanRoom *)object;

  g_clear_pointer (&self->service_name, g_free);
  g_clear_pointer (&self->room_name, g_free);
  g_clear_pointer (&self->host_name, g_free);
  g_clear_pointer (&self->address, g_free);
  g_clear_pointer (&self->fingerprint, g_free);

  G_OBJECT_CLASS (tertulia_lan_room_parent_class)->finalize (object);
}

static void
tertulia_lan_room_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TertuliaLanRoom *self = TERTULIA_LAN_ROOM (object);

  switch (prop_id)
    {
    case PROP_SERVICE_NAME:
      g_value_set_string (value, self->service_name);
      break;

    case PROP_ROOM_NAME:
      g_value_set_string (value, self->room_name);
      break;

    case PROP_HOST_NAME:
      g_value_set_string (value, self->host_name);
      break;

    case PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;

    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;

    case PROP_N_PARTICIPANTS:
      g_value_set_int (value, self->n_participants);
      break;

    case PROP_VERSION:
      g_value_set_int (value, self->version);
      break;

    case PROP_PASSWORD_NEEDED:
      g_value_set_boolean (value, self->password_needed);
      break;

    case PROP_IS_LOCAL:
      g_value_set_boolean (value, self->is_local);
      break;

    case PROP_FINGERPRINT:
      g_value_set_string (value, self->fingerprint);
      break;

    case PROP_ENCRYPTED:
      g_value_set_boolean (value, self->encrypted);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tertulia_lan_room_class_init (TertuliaLanRoomClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tertulia_lan_room_finalize;
  object_class->get_property = tertulia_lan_room_get_property;

  properties [PROP_SERVICE_NAME] =
    g_param_spec_string ("service-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_ROOM_NAME] =
    g_param_spec_string ("room-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_HOST_NAME] =
    g_param_spec_string ("host-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_ADDRESS] =
    g_param_spec_string ("address", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_N_PARTICIPANTS] =
    g_param_spec_int ("n-participants", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_VERSION] =
    g_param_spec_int ("version", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_PASSWORD_NEEDED] =
    g_param_spec_boolean ("password-needed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_IS_LOCAL] =
    g_param_spec_boolean ("is-local", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties [PROP_FINGERPRINT] =
    g_param_spec_string ("fingerprint", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_ENCRYPTED] =
    g_param_spec_boolean ("encrypted", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tertulia_lan_room_init (TertuliaLanRoom *self)
{
  self->n_participants = -1;
}

TertuliaLanRoom *
_tertulia_lan_room_new (const char *service_name)
{
  TertuliaLanRoom *self;

  g_assert (service_name != NULL);

  self = g_object_new (TERTULIA_TYPE_LAN_ROOM, NULL);
  self->service_name = g_strdup (service_name);
  self->room_name = g_strdup (service_name);

  return self;
}

static void
set_string (TertuliaLanRoom  *self,
            char            **field,
            const char       *value,
            guint             prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties [prop_id]);
}

static void
set_int (TertuliaLanRoom *self,
         gint            *field,
         gint             value,
         guint            prop_id)
{
  if (*field == value)
    return;

  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties [prop_id]);
}

/* A non-negative decimal number from the TXT, or @fallback. */
static gint
parse_txt_int (GHashTable *txt,
               const char *key,
               gint        fallback)
{
  const char *text = g_hash_table_lookup (txt, key);
  guint64 value;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT, &value, NULL))
    return fallback;

  return (gint) value;
}

void
_tertulia_lan_room_update (TertuliaLanRoom *self,
                           const char      *host_name,
                           const char      *address,
                           guint            port,
                           gboolean         is_local,
                           GHashTable      *txt)
{
  const char *room_name;
  const char *fingerprint;
  gboolean password_needed;
  gboolean encrypted;

  g_assert (TERTULIA_IS_LAN_ROOM (self));
  g_assert (txt != NULL);

  room_name = g_hash_table_lookup (txt, TERTULIA_DISCOVERY_TXT_NAME);
  if (room_name == NULL || *room_name == '\0')
    room_name = self->service_name;
  password_needed = g_strcmp0 (g_hash_table_lookup (txt, TERTULIA_DISCOVERY_TXT_PASSWORD), "1") == 0;
  /* A malformed fingerprint is none: the room is then trusted on first
   * use like a typed address, never joined unchecked against garbage
   */
  fingerprint = g_hash_table_lookup (txt, TERTULIA_DISCOVERY_TXT_FINGERPRINT);
  if (!tertulia_fingerprint_is_valid (fingerprint))
    fingerprint = NULL;
  encrypted = g_strcmp0 (g_hash_table_lookup (txt, TERTULIA_DISCOVERY_TXT_TLS), "1") == 0;

  g_object_freeze_notify (G_OBJECT (self));

  set_string (self, &self->fingerprint, fingerprint, PROP_FINGERPRINT);
  if (self->encrypted != encrypted)
    {
      self->encrypted = encrypted;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ENCRYPTED]);
    }

  set_string (self, &self->room_name, room_name, PROP_ROOM_NAME);
  set_string (self, &self->host_name, host_name, PROP_HOST_NAME);
  set_string (self, &self->address, address, PROP_ADDRESS);

  if (self->port != port)
    {
      self->port = port;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PORT]);
    }

  set_int (self, &self->n_participants,
           parse_txt_int (txt, TERTULIA_DISCOVERY_TXT_PARTICIPANTS, -1), PROP_N_PARTICIPANTS);
  set_int (self, &self->version,
           parse_txt_int (txt, TERTULIA_DISCOVERY_TXT_VERSION, 0), PROP_VERSION);

  if (self->password_needed != password_needed)
    {
      self->password_needed = password_needed;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PASSWORD_NEEDED]);
    }

  if (self->is_local != !!is_local)
    {
      self->is_local = !!is_local;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_IS_LOCAL]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

const char *
tertulia_lan_room_get_service_name (TertuliaLanRoom *self)
{
  g_return_val_if_fail (TERTULIA_IS_LAN_ROOM (self), NULL);

  return self->service_name;
}

const char *
tertulia_lan_room_get_room_name (TertuliaLanRoom *self)
{
  g_return_val_if_fail (TERTULIA_IS_LAN_ROOM (self), NULL);

  return self->room_name;
}

const char *
tertulia_lan_room_get_host_name (TertuliaLanRoom *self)
{
  g_return_val_if_fail (TERTULIA_IS_LAN_ROOM (self), NULL);

  return self->host_name;
}

const char *
tertulia_lan_room_get_address (TertuliaLanRoom *self)
{
  g_return_val_if_fail (TERTULIA_IS_LAN_ROOM (self), NULL);

  return self->address;
}

guint
tertulia_lan_room_get_port (TertuliaLanRoom *self)
{
  g_return_val_if_fail (TERTULIA_IS_LAN_ROOM (self), 0);

  return self->port;
}

gint
tertulia_lan_room_get_n_participants (TertuliaLanRoom *self)
{
  g_return_val_if_fail (TERTULIA_IS_LAN_ROOM (self), -1);

  return self->n_participants;
}

gint
tertulia_lan_room_get_version (TertuliaLanRoom *self)
{
  g_return_val_if_fail (TERTULIA_IS_LAN_ROOM (self), 0);

  return self->version;
}

gboolean
tertulia_lan_room_get_password_needed (TertuliaLanRoom *self)
{
  g_return_val_if_fail (TERTULIA_IS_LAN_ROOM (self), FALSE);

  return self->password_needed;
}

gboolean
tertulia_lan_room_get_is_local (TertuliaLanRoom *self)
{
  g_return_val_if_fail (TERTULIA_IS_LAN_ROOM (self), FALSE);

  return self->is_local;
}

char *
tertulia_lan_room_dup_join_address (TertuliaLanRoom *self)
{
  g_return_val_if_fail (TERTULIA_IS_LAN_ROOM (self), NULL);

  if (self->address == NULL)
    return NULL;

  if (strchr (self->address, ':') != NULL)
    return g_strdup_printf ("[%s]:%u", self->address, self->port);

  return g_strdup_printf ("%s:%u", self->address, self->port);
}

const char *
tertulia_lan_room_get_fingerprint (TertuliaLanRoom *self)
{
  g_return_val_if_fail (TERTULIA_IS_LAN_ROOM (self), NULL);

  return self->fingerprint;
}

gboolean
tertulia_lan_room_get_encrypted (TertuliaLanRoom *self)
{
  g_return_val_if_fail (TERTULIA_IS_LAN_ROOM (self), FALSE);

  return self->encrypted;
}

char *
tertulia_lan_room_dup_invitation (TertuliaLanRoom *self)
{
  g_autofree char *link = NULL;

  g_return_val_if_fail (TERTULIA_IS_LAN_ROOM (self), NULL);

  if (self->address == NULL)
    return NULL;
  if (self->fingerprint == NULL)
    return tertulia_lan_room_dup_join_address (self);

  link = tertulia_address_build_invitation (self->address, self->port, self->fingerprint, FALSE);

  /* tertulia://, which no browser opens: the link is for joining */
  return g_strconcat ("tertulia", link + strlen ("http"), NULL);
}

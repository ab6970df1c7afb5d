/* tertulia-announcer.c — publishes a hosted room on the LAN (DNS-SD through Avahi)
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-announcer"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tertulia-announcer.h"
#include "tertulia-discovery.h"
#include "tertulia-discovery-private.h"
#include "tertulia-protocol.h"
#include "tertulia-util-private.h"

/* Avahi offers "NAME #2", "NAME #3"… on collisions; a network that clashes
 * with this many is not going to stop, and we would spin.
 */
#define MAX_COLLISIONS 32

struct _TertuliaAnnouncer
{
  GObject                 parent_instance;

  /* Owned references */
  char                   *room_name;
  char                   *bind_address;
  char                   *service_name;   /* what we ask Avahi for, or got */
  char                   *error_message;
  char                   *group_path;     /* our EntryGroup, once created */
  TertuliaAvahi           avahi;

  guint                   group_signal_id;
  guint                   n_collisions;

  gint                    interface;      /* AVAHI_IF_UNSPEC or an index */
  gint                    protocol;       /* AVAHI_PROTO_* */
  guint                   port;
  gint                    n_participants;
  TertuliaAnnouncerState  state;

  guint                   password_needed : 1;
  /* The host's certificate fingerprint, or NULL without TLS */
  char                   *fingerprint;
  guint                   service_added : 1;
  guint                   committed : 1;
  guint                   txt_dirty : 1;
  guint                   txt_updating : 1;
};

G_DEFINE_FINAL_TYPE (TertuliaAnnouncer, tertulia_announcer, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ROOM_NAME,
  PROP_PORT,
  PROP_BIND_ADDRESS,
  PROP_N_PARTICIPANTS,
  PROP_PASSWORD_NEEDED,
  PROP_STATE,
  PROP_SERVICE_NAME,
  PROP_ERROR_MESSAGE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];


static void add_service (TertuliaAnnouncer *self);

static void
set_state (TertuliaAnnouncer      *self,
           TertuliaAnnouncerState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STATE]);
}

static void
set_service_name (TertuliaAnnouncer *self,
                  const char        *name)
{
  if (_tertulia_set_str (&self->service_name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SERVICE_NAME]);
}

static void
set_error_message (TertuliaAnnouncer *self,
                   const char        *message)
{
  if (_tertulia_set_str (&self->error_message, message))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ERROR_MESSAGE]);
}

static void
fail (TertuliaAnnouncer *self,
      const char        *message)
{
  g_debug ("Could not announce “%s”: %s", self->room_name, message);

  set_error_message (self, message);
  set_state (self, TERTULIA_ANNOUNCER_FAILED);
}

/* After an error from Avahi: either it is not there for us (it went away,
 * or the bus does not let us talk to it), which is no failure of ours, or it
 * refused.
 */
static void
fail_with_error (TertuliaAnnouncer *self,
                 const GError      *error)
{
  g_autoptr(GError) copy = NULL;

  if (_tertulia_discovery_error_is_unavailable (error))
    {
      g_debug ("Avahi cannot be reached: %s", error->message);
      set_state (self, TERTULIA_ANNOUNCER_UNAVAILABLE);
      return;
    }

  copy = g_error_copy (error);
  g_dbus_error_strip_remote_error (copy);
  fail (self, copy->message);
}

static GVariant *
build_txt (TertuliaAnnouncer *self)
{
  g_autofree char *version = g_strdup_printf ("%d", TERTULIA_PROTOCOL_VERSION);
  g_autofree char *n = g_strdup_printf ("%d", self->n_participants);
  const char *pairs[13];
  guint i = 0;

  self->txt_dirty = FALSE;

  pairs[i++] = TERTULIA_DISCOVERY_TXT_NAME;
  pairs[i++] = self->room_name;
  pairs[i++] = TERTULIA_DISCOVERY_TXT_VERSION;
  pairs[i++] = version;
  pairs[i++] = TERTULIA_DISCOVERY_TXT_PASSWORD;
  pairs[i++] = self->password_needed ? "1" : "0";
  /* A room found on the LAN is verified against this (docs/PROTOCOL.md,
   * "Encryption")
   */
  if (self->fingerprint != NULL)
    {
      pairs[i++] = TERTULIA_DISCOVERY_TXT_FINGERPRINT;
      pairs[i++] = self->fingerprint;
      pairs[i++] = TERTULIA_DISCOVERY_TXT_TLS;
      pairs[i++] = "1";
    }
  if (self->n_participants >= 0)
    {
      pairs[i++] = TERTULIA_DISCOVERY_TXT_PARTICIPANTS;
      pairs[i++] = n;
    }
  pairs[i] = NULL;
  g_assert (i < G_N_ELEMENTS (pairs));

  return _tertulia_discovery_txt_new_pairs (pairs);
}

/* Forgets everything Avahi holds for us, telling it so when @free_group
 * (when Avahi is gone, so are our objects there).
 */
static void
clear_session (TertuliaAnnouncer *self,
               gboolean           free_group)
{
  if (free_group)
    _tertulia_avahi_free_object (&self->avahi, self->group_path, AVAHI_DBUS_INTERFACE_ENTRY_GROUP);
  _tertulia_avahi_unsubscribe (&self->avahi, &self->group_signal_id);

  g_clear_pointer (&self->group_path, g_free);
  _tertulia_avahi_detach (&self->avahi);
  self->service_added = FALSE;
  self->committed = FALSE;
  self->txt_updating = FALSE;
  self->n_collisions = 0;
}

static void update_txt (TertuliaAnnouncer *self);

static void
txt_updated_cb (gpointer      user_data,
                GVariant     *reply,
                const GError *error,
                gpointer      data)
{
  TertuliaAnnouncer *self = user_data;

  self->txt_updating = FALSE;

  if (error != NULL)
    {
      /* The room stays announced with the old count; not worth failing for. */
      if (!_tertulia_discovery_error_is_unavailable (error))
        g_debug ("Could not update the TXT record: %s", error->message);
      return;
    }

  if (self->txt_dirty)
    update_txt (self);
}

/* EntryGroup.UpdateServiceTxt, one call at a time so they land in order. */
static void
update_txt (TertuliaAnnouncer *self)
{
  GVariant *txt;

  if (!self->service_added || self->txt_updating || self->avahi.bus == NULL)
    return;

  self->txt_updating = TRUE;
  txt = build_txt (self);
  g_debug ("Updating the TXT record of “%s”: %d participants", self->service_name, self->n_participants);
  _tertulia_avahi_call (&self->avahi, self, self->group_path,
                        AVAHI_DBUS_INTERFACE_ENTRY_GROUP, "UpdateServiceTxt",
                        g_variant_new ("(iiusss@aay)",
                                       self->interface, self->protocol, 0u,
                                       self->service_name,
                                       TERTULIA_DISCOVERY_SERVICE_TYPE, "",
                                       txt),
                        NULL, txt_updated_cb, NULL, NULL);
}

/* For calls whose answer only matters when it is an error. */
static void
failed_cb (gpointer      user_data,
           GVariant     *reply,
           const GError *error,
           gpointer      data)
{
  if (error != NULL)
    fail_with_error (user_data, error);
}

static void
commit (TertuliaAnnouncer *self)
{
  self->committed = TRUE;
  set_state (self, TERTULIA_ANNOUNCER_REGISTERING);
  _tertulia_avahi_call (&self->avahi, self, self->group_path,
                        AVAHI_DBUS_INTERFACE_ENTRY_GROUP, "Commit",
                        NULL, NULL, failed_cb, NULL, NULL);
}

static void
alternative_name_cb (gpointer      user_data,
                     GVariant     *reply,
                     const GError *error,
                     gpointer      data)
{
  TertuliaAnnouncer *self = user_data;
  const char *name = NULL;

  if (error != NULL)
    {
      fail_with_error (self, error);
      return;
    }

  g_variant_get (reply, "(&s)", &name);
  g_debug ("“%s” is taken on the network; trying “%s”", self->service_name, name);
  set_service_name (self, name);
  add_service (self);
}

static void
reset_cb (gpointer      user_data,
          GVariant     *reply,
          const GError *error,
          gpointer      data)
{
  TertuliaAnnouncer *self = user_data;

  if (error != NULL)
    {
      fail_with_error (self, error);
      return;
    }

  _tertulia_avahi_call (&self->avahi, self, AVAHI_DBUS_PATH_SERVER,
                        AVAHI_DBUS_INTERFACE_SERVER, "GetAlternativeServiceName",
                        g_variant_new ("(s)", self->service_name),
                        G_VARIANT_TYPE ("(s)"), alternative_name_cb, NULL, NULL);
}

/* Someone on the network (or on this computer) has our name: empty the
 * group and try Avahi's alternative.
 */
static void
handle_collision (TertuliaAnnouncer *self)
{
  if (++self->n_collisions > MAX_COLLISIONS)
    {
      fail (self, _("Too many services on the network have this name."));
      return;
    }

  self->service_added = FALSE;
  self->committed = FALSE;
  set_state (self, TERTULIA_ANNOUNCER_REGISTERING);
  _tertulia_avahi_call (&self->avahi, self, self->group_path,
                        AVAHI_DBUS_INTERFACE_ENTRY_GROUP, "Reset",
                        NULL, NULL, reset_cb, NULL, NULL);
}

static void
service_added_cb (gpointer      user_data,
                  GVariant     *reply,
                  const GError *error,
                  gpointer      data)
{
  TertuliaAnnouncer *self = user_data;
  g_autofree char *remote = NULL;

  if (error != NULL)
    {
      /* Another program on this computer already announces the name:
       * Avahi says so at once rather than through StateChanged.
       */
      remote = g_dbus_error_get_remote_error (error);
      if (g_strcmp0 (remote, AVAHI_DBUS_ERROR_COLLISION) == 0)
        handle_collision (self);
      else
        fail_with_error (self, error);
      return;
    }

  self->service_added = TRUE;
  commit (self);
  if (self->txt_dirty)
    update_txt (self);
}

static void
add_service (TertuliaAnnouncer *self)
{
  g_assert (self->avahi.bus != NULL && self->group_path != NULL);

  set_state (self, TERTULIA_ANNOUNCER_REGISTERING);
  _tertulia_avahi_call (&self->avahi, self, self->group_path,
                        AVAHI_DBUS_INTERFACE_ENTRY_GROUP, "AddService",
                        g_variant_new ("(iiussssq@aay)",
                                       self->interface, self->protocol, 0u,
                                       self->service_name,
                                       TERTULIA_DISCOVERY_SERVICE_TYPE,
                                       "", "", (guint16) self->port,
                                       build_txt (self)),
                        NULL, service_added_cb, NULL, NULL);
}

static void
group_state_changed_cb (GDBusConnection *bus,
                        const char      *sender,
                        const char      *path,
                        const char      *interface,
                        const char      *signal,
                        GVariant        *parameters,
                        gpointer         user_data)
{
  TertuliaAnnouncer *self = user_data;
  gint32 state = 0;
  const char *error = NULL;

  if (g_strcmp0 (path, self->group_path) != 0 ||
      !g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(is)")))
    return;

  g_variant_get (parameters, "(i&s)", &state, &error);
  g_debug ("Entry group of “%s”: state %d %s", self->service_name, state, error);

  switch (state)
    {
    case AVAHI_ENTRY_GROUP_ESTABLISHED:
      self->n_collisions = 0;
      set_error_message (self, NULL);
      set_state (self, TERTULIA_ANNOUNCER_ANNOUNCED);
      break;

    case AVAHI_ENTRY_GROUP_REGISTERING:
      set_state (self, TERTULIA_ANNOUNCER_REGISTERING);
      break;

    case AVAHI_ENTRY_GROUP_COLLISION:
      handle_collision (self);
      break;

    case AVAHI_ENTRY_GROUP_FAILURE:
      fail (self, error);
      break;

    case AVAHI_ENTRY_GROUP_UNCOMMITED:
      /* Avahi resets every group when the host name itself had to change;
       * commit again and the room is announced under the new host name.
       */
      if (self->committed && self->service_added)
        commit (self);
      break;

    default:
      break;
    }
}

static void
entry_group_new_cb (gpointer      user_data,
                    GVariant     *reply,
                    const GError *error,
                    gpointer      data)
{
  TertuliaAnnouncer *self = user_data;

  if (error != NULL)
    {
      fail_with_error (self, error);
      return;
    }

  g_variant_get (reply, "(o)", &self->group_path);
  self->group_signal_id =
    _tertulia_avahi_subscribe (&self->avahi, AVAHI_DBUS_INTERFACE_ENTRY_GROUP, "StateChanged",
                               self->group_path, group_state_changed_cb, self);
  add_service (self);
}

static void
avahi_appeared_cb (GDBusConnection *bus,
                   const char      *name,
                   const char      *owner,
                   gpointer         user_data)
{
  TertuliaAnnouncer *self = user_data;
  g_autofree char *service_name = NULL;

  g_debug ("Avahi is on the system bus as %s", owner);

  clear_session (self, TRUE);
  _tertulia_avahi_attach (&self->avahi, bus, owner);

  set_error_message (self, NULL);
  service_name = _tertulia_discovery_truncate_utf8 (self->room_name,
                                                    TERTULIA_DISCOVERY_MAX_SERVICE_NAME_BYTES);
  set_service_name (self, service_name);
  set_state (self, TERTULIA_ANNOUNCER_REGISTERING);

  /* A group made for a session that ended meanwhile is freed. */
  _tertulia_avahi_call_new (&self->avahi, self, AVAHI_DBUS_INTERFACE_SERVER, "EntryGroupNew",
                            NULL, AVAHI_DBUS_INTERFACE_ENTRY_GROUP,
                            entry_group_new_cb, NULL, NULL);
}

static void
avahi_vanished_cb (GDBusConnection *bus,
                   const char      *name,
                   gpointer         user_data)
{
  TertuliaAnnouncer *self = user_data;

  g_debug ("Avahi is not on the system bus");
  _tertulia_discovery_keep_running_without_bus (bus);

  clear_session (self, FALSE);
  set_service_name (self, NULL);
  set_state (self, TERTULIA_ANNOUNCER_UNAVAILABLE);
}

static void
tertulia_announcer_constructed (GObject *object)
{
  TertuliaAnnouncer *self = (TertuliaAnnouncer *)object;

  G_OBJECT_CLASS (tertulia_announcer_parent_class)->constructed (object);

  _tertulia_discovery_find_interface (self->bind_address, &self->interface, &self->protocol);
}

static void
tertulia_announcer_dispose (GObject *object)
{
  TertuliaAnnouncer *self = (TertuliaAnnouncer *)object;

  tertulia_announcer_stop (self);

  G_OBJECT_CLASS (tertulia_announcer_parent_class)->dispose (object);
}

static void
tertulia_announcer_finalize (GObject *object)
{
  TertuliaAnnouncer *self = (TertuliaAnnouncer *)object;

  g_clear_pointer (&self->room_name, g_free);
  g_clear_pointer (&self->bind_address, g_free);
  g_clear_pointer (&self->service_name, g_free);
  g_clear_pointer (&self->error_message, g_free);
  g_clear_pointer (&self->fingerprint, g_free);

  G_OBJECT_CLASS (tertulia_announcer_parent_class)->finalize (object);
}

static void
tertulia_announcer_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TertuliaAnnouncer *self = TERTULIA_ANNOUNCER (object);

  switch (prop_id)
    {
    case PROP_ROOM_NAME:
      g_value_set_string (value, self->room_name);
      break;

    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;

    case PROP_BIND_ADDRESS:
      g_value_set_string (value, self->bind_address);
      break;

    case PROP_N_PARTICIPANTS:
      g_value_set_int (value, self->n_participants);
      break;

    case PROP_PASSWORD_NEEDED:
      g_value_set_boolean (value, self->password_needed);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_SERVICE_NAME:
      g_value_set_string (value, self->service_name);
      break;

    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tertulia_announcer_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  TertuliaAnnouncer *self = TERTULIA_ANNOUNCER (object);

  switch (prop_id)
    {
    case PROP_ROOM_NAME:
      self->room_name = g_value_dup_string (value);
      break;

    case PROP_PORT:
      self->port = g_value_get_uint (value);
      break;

    case PROP_BIND_ADDRESS:
      self->bind_address = g_value_dup_string (value);
      break;

    case PROP_N_PARTICIPANTS:
      tertulia_announcer_set_n_participants (self, g_value_get_int (value));
      break;

    case PROP_PASSWORD_NEEDED:
      tertulia_announcer_set_password_needed (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tertulia_announcer_class_init (TertuliaAnnouncerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = tertulia_announcer_constructed;
  object_class->dispose = tertulia_announcer_dispose;
  object_class->finalize = tertulia_announcer_finalize;
  object_class->get_property = tertulia_announcer_get_property;
  object_class->set_property = tertulia_announcer_set_property;

  properties [PROP_ROOM_NAME] =
    g_param_spec_string ("room-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties [PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties [PROP_BIND_ADDRESS] =
    g_param_spec_string ("bind-address", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties [PROP_N_PARTICIPANTS] =
    g_param_spec_int ("n-participants", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_PASSWORD_NEEDED] =
    g_param_spec_boolean ("password-needed", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       TERTULIA_TYPE_ANNOUNCER_STATE, TERTULIA_ANNOUNCER_STOPPED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_SERVICE_NAME] =
    g_param_spec_string ("service-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tertulia_announcer_init (TertuliaAnnouncer *self)
{
  self->n_participants = -1;
  self->interface = AVAHI_IF_UNSPEC;
  self->protocol = AVAHI_PROTO_UNSPEC;
}

TertuliaAnnouncer *
tertulia_announcer_new (const char *room_name,
                        guint       port,
                        const char *bind_address)
{
  g_return_val_if_fail (room_name != NULL && *room_name != '\0', NULL);
  g_return_val_if_fail (g_utf8_validate (room_name, -1, NULL), NULL);
  g_return_val_if_fail (port > 0 && port <= G_MAXUINT16, NULL);

  return g_object_new (TERTULIA_TYPE_ANNOUNCER,
                       "room-name", room_name,
                       "port", port,
                       "bind-address", bind_address,
                       NULL);
}

static gboolean
n_participants_to_int_cb (GBinding     *binding,
                          const GValue *from,
                          GValue       *to,
                          gpointer      user_data)
{
  g_value_set_int (to, (gint) MIN (g_value_get_uint (from), (guint) G_MAXINT));
  return TRUE;
}

TertuliaAnnouncer *
tertulia_announcer_new_for_server (TertuliaServer *server,
                                   const char     *bind_address)
{
  TertuliaAnnouncer *self;

  g_return_val_if_fail (TERTULIA_IS_SERVER (server), NULL);
  g_return_val_if_fail (tertulia_server_get_port (server) > 0, NULL);

  self = tertulia_announcer_new (tertulia_server_get_room_name (server),
                                 tertulia_server_get_port (server),
                                 bind_address);
  g_object_bind_property_full (server, "n-participants", self, "n-participants",
                               G_BINDING_SYNC_CREATE,
                               n_participants_to_int_cb, NULL, NULL, NULL);
  g_object_bind_property (server, "password-required", self, "password-needed",
                          G_BINDING_SYNC_CREATE);
  tertulia_announcer_set_fingerprint (self, tertulia_server_get_fingerprint (server));

  return self;
}

void
tertulia_announcer_start (TertuliaAnnouncer *self)
{
  g_return_if_fail (TERTULIA_IS_ANNOUNCER (self));

  if (self->avahi.watch_id != 0)
    return;

  set_state (self, TERTULIA_ANNOUNCER_STARTING);
  _tertulia_avahi_watch (&self->avahi, avahi_appeared_cb, avahi_vanished_cb, self);
}

void
tertulia_announcer_stop (TertuliaAnnouncer *self)
{
  g_return_if_fail (TERTULIA_IS_ANNOUNCER (self));

  clear_session (self, TRUE);
  _tertulia_avahi_unwatch (&self->avahi);
  set_service_name (self, NULL);
  set_state (self, TERTULIA_ANNOUNCER_STOPPED);
}

const char *
tertulia_announcer_get_room_name (TertuliaAnnouncer *self)
{
  g_return_val_if_fail (TERTULIA_IS_ANNOUNCER (self), NULL);

  return self->room_name;
}

guint
tertulia_announcer_get_port (TertuliaAnnouncer *self)
{
  g_return_val_if_fail (TERTULIA_IS_ANNOUNCER (self), 0);

  return self->port;
}

TertuliaAnnouncerState
tertulia_announcer_get_state (TertuliaAnnouncer *self)
{
  g_return_val_if_fail (TERTULIA_IS_ANNOUNCER (self), TERTULIA_ANNOUNCER_STOPPED);

  return self->state;
}

const char *
tertulia_announcer_get_service_name (TertuliaAnnouncer *self)
{
  g_return_val_if_fail (TERTULIA_IS_ANNOUNCER (self), NULL);

  return self->service_name;
}

const char *
tertulia_announcer_get_error_message (TertuliaAnnouncer *self)
{
  g_return_val_if_fail (TERTULIA_IS_ANNOUNCER (self), NULL);

  return self->error_message;
}

gint
tertulia_announcer_get_n_participants (TertuliaAnnouncer *self)
{
  g_return_val_if_fail (TERTULIA_IS_ANNOUNCER (self), -1);

  return self->n_participants;
}

void
tertulia_announcer_set_n_participants (TertuliaAnnouncer *self,
                                       gint               n_participants)
{
  g_return_if_fail (TERTULIA_IS_ANNOUNCER (self));

  n_participants = MAX (n_participants, -1);
  if (self->n_participants == n_participants)
    return;

  self->n_participants = n_participants;
  self->txt_dirty = TRUE;
  update_txt (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_N_PARTICIPANTS]);
}

gboolean
tertulia_announcer_get_password_needed (TertuliaAnnouncer *self)
{
  g_return_val_if_fail (TERTULIA_IS_ANNOUNCER (self), FALSE);

  return self->password_needed;
}

void
tertulia_announcer_set_password_needed (TertuliaAnnouncer *self,
                                        gboolean           password_needed)
{
  g_return_if_fail (TERTULIA_IS_ANNOUNCER (self));

  password_needed = !!password_needed;
  if (self->password_needed == (guint) password_needed)
    return;

  self->password_needed = password_needed;
  self->txt_dirty = TRUE;
  update_txt (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PASSWORD_NEEDED]);
}

void
tertulia_announcer_set_fingerprint (TertuliaAnnouncer *self,
                                    const char        *fingerprint)
{
  g_return_if_fail (TERTULIA_IS_ANNOUNCER (self));

  if (g_strcmp0 (self->fingerprint, fingerprint) == 0)
    return;

  g_free (self->fingerprint);
  self->fingerprint = g_strdup (fingerprint);
  self->txt_dirty = TRUE;
  update_txt (self);
}

const char *
tertulia_announcer_get_fingerprint (TertuliaAnnouncer *self)
{
  g_return_val_if_fail (TERTULIA_IS_ANNOUNCER (self), NULL);

  return self->fingerprint;
}

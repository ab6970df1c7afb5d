/* tertulia-lan-room-row.c — a room found on the network, in the start page's list
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-lan-room-row"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tertulia-lan-room-row.h"
#include "tertulia-protocol.h"

struct _TertuliaLanRoomRow
{
  AdwActionRow     parent_instance;

  /* Owned references */
  TertuliaLanRoom *room;

  /* Borrowed references: suffixes of the row */
  GtkWidget       *lock;
  GtkWidget       *join_button;
};

enum {
  PROP_0,
  PROP_ROOM,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

enum {
  JOIN,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

G_DEFINE_FINAL_TYPE (TertuliaLanRoomRow, tertulia_lan_room_row, ADW_TYPE_ACTION_ROW)

/* "ana-laptop" from "ana-laptop.local": the mDNS domain tells people
 * nothing.
 */
static char *
dup_short_host_name (const char *host_name)
{
  if (host_name == NULL || *host_name == '\0')
    return NULL;

  if (g_str_has_suffix (host_name, ".local."))
    return g_strndup (host_name, strlen (host_name) - strlen (".local."));

  if (g_str_has_suffix (host_name, ".local"))
    return g_strndup (host_name, strlen (host_name) - strlen (".local"));

  return g_strdup (host_name);
}

/* The host's TXT record changes as people come and go. */
static void
update (TertuliaLanRoomRow *self)
{
  TertuliaLanRoom *room = self->room;
  gint n = tertulia_lan_room_get_n_participants (room);
  gboolean too_new = tertulia_lan_room_get_version (room) > TERTULIA_PROTOCOL_VERSION;
  g_autofree char *host = NULL;
  g_autofree char *people = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *accessible = NULL;

  /* Names come from the network: never markup (the row is told so). */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self),
                                 tertulia_lan_room_get_room_name (room));

  if (tertulia_lan_room_get_is_local (room))
    host = g_strdup (_("On this computer"));
  else
    host = dup_short_host_name (tertulia_lan_room_get_host_name (room));

  if (host == NULL)
    host = tertulia_lan_room_dup_join_address (room);

  if (too_new)
    people = g_strdup (_("Needs a newer version of Tertulia"));
  else if (n == 0)
    people = g_strdup (_("No one there yet"));
  else if (n > 0)
    /* Translators: how many people are in a room found on the network */
    people = g_strdup_printf (ngettext ("%d person", "%d people", n), n);

  if (people != NULL)
    /* Translators: a room's host and how many people are in it, as in
     * “ana-laptop · 3 people”
     */
    subtitle = g_strdup_printf (_("%s · %s"), host, people);
  else
    subtitle = g_steal_pointer (&host);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
  gtk_widget_set_visible (self->lock, tertulia_lan_room_get_password_needed (room));
  gtk_widget_set_sensitive (self->join_button, !too_new);

  /* Translators: the accessible name of a Join button, %s is a room's name */
  accessible = g_strdup_printf (_("Join %s"), tertulia_lan_room_get_room_name (room));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->join_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
}

static void
join_clicked_cb (TertuliaLanRoomRow *self)
{
  g_signal_emit (self, signals [JOIN], 0);
}

static void
tertulia_lan_room_row_constructed (GObject *object)
{
  TertuliaLanRoomRow *self = (TertuliaLanRoomRow *)object;

  G_OBJECT_CLASS (tertulia_lan_room_row_parent_class)->constructed (object);

  g_assert (self->room != NULL);

  g_signal_connect_object (self->room, "notify", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  update (self);
}

static void
tertulia_lan_room_row_dispose (GObject *object)
{
  TertuliaLanRoomRow *self = (TertuliaLanRoomRow *)object;

  if (self->room != NULL)
    g_signal_handlers_disconnect_by_data (self->room, self);
  g_clear_object (&self->room);

  G_OBJECT_CLASS (tertulia_lan_room_row_parent_class)->dispose (object);
}

static void
tertulia_lan_room_row_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  TertuliaLanRoomRow *self = TERTULIA_LAN_ROOM_ROW (object);

  switch (prop_id)
    {
    case PROP_ROOM:
      g_value_set_object (value, self->room);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tertulia_lan_room_row_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  TertuliaLanRoomRow *self = TERTULIA_LAN_ROOM_ROW (object);

  switch (prop_id)
    {
    case PROP_ROOM:
      self->room = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tertulia_lan_room_row_class_init (TertuliaLanRoomRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = tertulia_lan_room_row_constructed;
  object_class->dispose = tertulia_lan_room_row_dispose;
  object_class->get_property = tertulia_lan_room_row_get_property;
  object_class->set_property = tertulia_lan_room_row_set_property;

  properties [PROP_ROOM] =
    g_param_spec_object ("room", NULL, NULL,
                         TERTULIA_TYPE_LAN_ROOM,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals [JOIN] =
    g_signal_new ("join",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 0);
}

static void
tertulia_lan_room_row_init (TertuliaLanRoomRow *self)
{
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);

  self->lock = gtk_image_new_from_icon_name ("channel-secure-symbolic");
  gtk_widget_set_tooltip_text (self->lock, _("This room needs a password"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->lock),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Needs a password"),
                                  -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), self->lock);

  self->join_button = gtk_button_new_with_mnemonic (_("_Join"));
  gtk_widget_set_valign (self->join_button, GTK_ALIGN_CENTER);
  g_signal_connect_object (self->join_button, "clicked",
                           G_CALLBACK (join_clicked_cb), self, G_CONNECT_SWAPPED);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), self->join_button);
  /* Activating the row anywhere joins too. */
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (self), self->join_button);
}

GtkWidget *
tertulia_lan_room_row_new (TertuliaLanRoom *room)
{
  g_return_val_if_fail (TERTULIA_IS_LAN_ROOM (room), NULL);

  return g_object_new (TERTULIA_TYPE_LAN_ROOM_ROW,
                       "room", room,
                       NULL);
}

TertuliaLanRoom *
tertulia_lan_room_row_get_room (TertuliaLanRoomRow *self)
{
  g_return_val_if_fail (TERTULIA_IS_LAN_ROOM_ROW (self), NULL);

  return self->room;
}

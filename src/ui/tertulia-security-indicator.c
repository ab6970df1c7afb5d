/* tertulia-security-indicator.c — whether the room's connection is encrypted, in the header
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-security-indicator"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tertulia-address.h"
#include "tertulia-fingerprint.h"
#include "tertulia-fingerprint-dialog.h"
#include "tertulia-known-hosts.h"
#include "tertulia-security-indicator.h"

struct _TertuliaSecurityIndicator
{
  AdwBin          parent_instance;

  /* Borrowed references: children */
  GtkMenuButton  *button;
  GtkLabel       *heading;
  GtkLabel       *details;
  GtkLabel       *fingerprint;
  GtkWidget      *compare_button;

  /* Owned references */
  TertuliaClient *client;
  GSignalGroup   *client_signals;

  /* The client has been in the room: before that, nothing is known. */
  gboolean        known;
  /* The log was told that the room is not encrypted (once a client). */
  gboolean        told_plain;
  /* Our own room, over loopback: what guests get is in the Share popover,
   * and the header has no room to spare at phone width.
   */
  gboolean        hosting;
};

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_HOSTING,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

G_DEFINE_FINAL_TYPE (TertuliaSecurityIndicator, tertulia_security_indicator, ADW_TYPE_BIN)

/* The room answered a reconnection with another key than expected, and
 * the client stopped there.
 */
static gboolean
key_changed (TertuliaClient *client)
{
  const char *presented = tertulia_client_get_peer_fingerprint (client);
  const char *expected = tertulia_client_get_expected_fingerprint (client);

  return tertulia_client_get_state (client) == TERTULIA_CONNECTION_DISCONNECTED &&
         presented != NULL && expected != NULL &&
         !tertulia_fingerprint_equal (presented, expected);
}

static void
update (TertuliaSecurityIndicator *self)
{
  GtkWidget *button = GTK_WIDGET (self->button);
  g_autofree char *display = NULL;
  g_autofree char *one_line = NULL;
  g_autofree char *name = NULL;
  TertuliaConnectionState state;
  gboolean changed;

  if (self->client == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return;
    }

  state = tertulia_client_get_state (self->client);
  changed = key_changed (self->client);
  if (state == TERTULIA_CONNECTION_CONNECTED)
    self->known = TRUE;

  gtk_widget_set_visible (GTK_WIDGET (self), (self->known || changed) && !self->hosting);
  gtk_widget_set_visible (self->compare_button, changed);
  if (!changed && state != TERTULIA_CONNECTION_CONNECTED)
    /* Between connections, what the last one was stays shown. */
    return;

  display = tertulia_fingerprint_dup_display (tertulia_client_get_peer_fingerprint (self->client), 4);
  one_line = tertulia_fingerprint_dup_display (tertulia_client_get_peer_fingerprint (self->client), 8);

  if (changed)
    {
      gtk_menu_button_set_icon_name (self->button, "dialog-warning-symbolic");
      gtk_widget_remove_css_class (button, "warning");
      gtk_widget_add_css_class (button, "error");
      name = g_strdup (_("The room’s key changed"));
      gtk_label_set_text (self->heading, _("The Room’s Key Changed"));
      gtk_label_set_text (self->details,
                          _("The room answered with another key than before, so Tertulia did "
                            "not reconnect. Someone on this network may be pretending to be "
                            "the room."));
      gtk_widget_set_visible (GTK_WIDGET (self->fingerprint), FALSE);
    }
  else if (tertulia_client_get_encrypted (self->client) && one_line != NULL)
    {
      gtk_menu_button_set_icon_name (self->button, "channel-secure-symbolic");
      gtk_widget_remove_css_class (button, "warning");
      gtk_widget_remove_css_class (button, "error");
      /* Translators: the lock in a room's header; %s is the room's key, 8 groups of 5 digits */
      name = g_strdup_printf (_("Encrypted — fingerprint %s"), one_line);
      gtk_label_set_text (self->heading, _("Encrypted"));
      gtk_label_set_text (self->details,
                          _("What is said here cannot be read by others on the network. "
                            "The room’s key was checked; its host can compare it with the "
                            "one under Invite People:"));
      gtk_label_set_text (self->fingerprint, display);
      gtk_widget_set_visible (GTK_WIDGET (self->fingerprint), TRUE);
    }
  else
    {
      gtk_menu_button_set_icon_name (self->button, "channel-insecure-symbolic");
      gtk_widget_remove_css_class (button, "error");
      gtk_widget_add_css_class (button, "warning");
      name = g_strdup (_("Not encrypted"));
      gtk_label_set_text (self->heading, _("Not Encrypted"));
      gtk_label_set_text (self->details,
                          _("This room’s host turned encryption off. Others on this network "
                            "could read what is said here, and who says it."));
      gtk_widget_set_visible (GTK_WIDGET (self->fingerprint), FALSE);

      /* In words too, where people read, not only as an icon. */
      if (!self->told_plain)
        {
          self->told_plain = TRUE;
          tertulia_room_add_notice (tertulia_client_get_room (self->client),
                                    _("This room is not encrypted: others on this network could "
                                      "read what is said here."));
        }
    }

  gtk_widget_set_tooltip_text (button, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
}

static void
compare_response_cb (TertuliaSecurityIndicator *self,
                     const char                *response,
                     AdwMessageDialog          *dialog)
{
  if (g_strcmp0 (response, "trust") != 0 || self->client == NULL || !key_changed (self->client))
    return;

  /* Pinned, expected from now on, and joined again. */
  tertulia_client_trust_new_fingerprint (self->client);
  tertulia_client_retry (self->client);
}

/* Both keys side by side, as when joining from the start page. */
static void
compare_clicked_cb (TertuliaSecurityIndicator *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  const char *address;
  const char *expected;
  g_autofree char *display = NULL;
  g_autofree char *pin_key = NULL;
  g_autofree char *pinned = NULL;
  GtkWidget *dialog;

  if (self->client == NULL || !key_changed (self->client))
    return;

  gtk_menu_button_popdown (self->button);

  address = tertulia_client_get_address (self->client);
  expected = tertulia_client_get_expected_fingerprint (self->client);
  display = tertulia_address_display_name (address);
  pin_key = tertulia_address_dup_pin_key (address);
  pinned = pin_key != NULL ? tertulia_known_hosts_lookup (pin_key) : NULL;

  dialog = tertulia_fingerprint_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                            display != NULL ? display : address,
                                            expected,
                                            tertulia_client_get_peer_fingerprint (self->client),
                                            pinned != NULL && tertulia_fingerprint_equal (pinned, expected)
                                              ? TERTULIA_KEY_SOURCE_EARLIER
                                              : TERTULIA_KEY_SOURCE_INVITATION);
  g_signal_connect_object (dialog, "response", G_CALLBACK (compare_response_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
tertulia_security_indicator_dispose (GObject *object)
{
  TertuliaSecurityIndicator *self = (TertuliaSecurityIndicator *)object;

  g_clear_object (&self->client_signals);
  g_clear_object (&self->client);
  adw_bin_set_child (ADW_BIN (self), NULL);

  G_OBJECT_CLASS (tertulia_security_indicator_parent_class)->dispose (object);
}

static void
tertulia_security_indicator_get_property (GObject    *object,
                                          guint       prop_id,
                                          GValue     *value,
                                          GParamSpec *pspec)
{
  TertuliaSecurityIndicator *self = TERTULIA_SECURITY_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_HOSTING:
      g_value_set_boolean (value, self->hosting);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tertulia_security_indicator_set_property (GObject      *object,
                                          guint         prop_id,
                                          const GValue *value,
                                          GParamSpec   *pspec)
{
  TertuliaSecurityIndicator *self = TERTULIA_SECURITY_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      tertulia_security_indicator_set_client (self, g_value_get_object (value));
      break;

    case PROP_HOSTING:
      if (self->hosting != g_value_get_boolean (value))
        {
          self->hosting = g_value_get_boolean (value);
          update (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tertulia_security_indicator_class_init (TertuliaSecurityIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tertulia_security_indicator_dispose;
  object_class->get_property = tertulia_security_indicator_get_property;
  object_class->set_property = tertulia_security_indicator_set_property;

  properties [PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         TERTULIA_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_HOSTING] =
    g_param_spec_boolean ("hosting", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static GtkLabel *
new_wrapped_label (GtkBox *box)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 32);
  gtk_box_append (box, label);

  return GTK_LABEL (label);
}

static void
tertulia_security_indicator_init (TertuliaSecurityIndicator *self)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);

  self->heading = new_wrapped_label (GTK_BOX (box));
  gtk_widget_add_css_class (GTK_WIDGET (self->heading), "heading");
  self->details = new_wrapped_label (GTK_BOX (box));
  self->fingerprint = new_wrapped_label (GTK_BOX (box));
  gtk_widget_add_css_class (GTK_WIDGET (self->fingerprint), "monospace");
  gtk_label_set_selectable (self->fingerprint, TRUE);
  /* Selectable with the pointer, but not the popover's first focus: GTK
   * would select it all each time the popover opens.
   */
  gtk_widget_set_focusable (GTK_WIDGET (self->fingerprint), FALSE);
  self->compare_button = gtk_button_new_with_mnemonic (_("_Compare Keys…"));
  gtk_widget_set_halign (self->compare_button, GTK_ALIGN_END);
  gtk_widget_set_margin_top (self->compare_button, 6);
  g_signal_connect_object (self->compare_button, "clicked",
                           G_CALLBACK (compare_clicked_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (box), self->compare_button);
  gtk_popover_set_child (GTK_POPOVER (popover), box);

  self->button = GTK_MENU_BUTTON (gtk_menu_button_new ());
  gtk_menu_button_set_popover (self->button, popover);
  gtk_widget_add_css_class (GTK_WIDGET (self->button), "flat");
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->button));

  self->client_signals = g_signal_group_new (TERTULIA_TYPE_CLIENT);
  g_signal_group_connect_swapped (self->client_signals, "notify::state", G_CALLBACK (update), self);
  g_signal_group_connect_swapped (self->client_signals, "notify::encrypted", G_CALLBACK (update), self);
  g_signal_group_connect_swapped (self->client_signals, "notify::peer-fingerprint", G_CALLBACK (update), self);
  g_signal_group_connect_swapped (self->client_signals, "notify::expected-fingerprint", G_CALLBACK (update), self);

  update (self);
}

GtkWidget *
tertulia_security_indicator_new (void)
{
  return g_object_new (TERTULIA_TYPE_SECURITY_INDICATOR, NULL);
}

TertuliaClient *
tertulia_security_indicator_get_client (TertuliaSecurityIndicator *self)
{
  g_return_val_if_fail (TERTULIA_IS_SECURITY_INDICATOR (self), NULL);

  return self->client;
}

void
tertulia_security_indicator_set_client (TertuliaSecurityIndicator *self,
                                        TertuliaClient            *client)
{
  g_return_if_fail (TERTULIA_IS_SECURITY_INDICATOR (self));
  g_return_if_fail (!client || TERTULIA_IS_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;

  self->known = FALSE;
  self->told_plain = FALSE;
  g_signal_group_set_target (self->client_signals, client);
  update (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CLIENT]);
}

GtkMenuButton *
_tertulia_security_indicator_get_button (TertuliaSecurityIndicator *self)
{
  return self->button;
}

GtkLabel *
_tertulia_security_indicator_get_details (TertuliaSecurityIndicator *self)
{
  return self->details;
}

GtkButton *
_tertulia_security_indicator_get_compare_button (TertuliaSecurityIndicator *self)
{
  return GTK_BUTTON (self->compare_button);
}

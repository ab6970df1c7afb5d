/* tertulia-share-popover.c — the addresses a hosted room can be joined at
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-share-popover"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <adwaita.h>

#include <string.h>

#include "tertulia-address.h"
#include "tertulia-share-popover.h"

struct _TertuliaSharePopover
{
  GtkPopover  parent_instance;

  /* Template widgets */
  GtkLabel   *description_label;
  GtkListBox *app_list;
  GtkListBox *web_list;

  guint       port;
};

enum {
  PROP_0,
  PROP_PORT,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

G_DEFINE_FINAL_TYPE (TertuliaSharePopover, tertulia_share_popover, GTK_TYPE_POPOVER)

static void
copy_clicked_cb (GtkButton *button,
                 gpointer   user_data)
{
  const char *text = g_object_get_data (G_OBJECT (button), "tertulia-address");
  GtkWidget *overlay;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)), text);

  overlay = gtk_widget_get_ancestor (GTK_WIDGET (button), ADW_TYPE_TOAST_OVERLAY);
  if (overlay != NULL)
    {
      AdwToast *toast = adw_toast_new (_("Address copied"));

      adw_toast_set_timeout (toast, 2);
      adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
    }
}

static void
add_address_row (GtkListBox *list,
                 const char *address)
{
  g_autofree char *accessible = NULL;
  GtkWidget *row;
  GtkWidget *button;

  row = adw_action_row_new ();
  /* Addresses are data, not markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), address);
  adw_preferences_row_set_title_selectable (ADW_PREFERENCES_ROW (row), TRUE);

  button = gtk_button_new_from_icon_name ("edit-copy-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Copy Address"));
  /* Translators: the accessible name of a copy button, %s is an address */
  accessible = g_strdup_printf (_("Copy %s"), address);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
  g_object_set_data_full (G_OBJECT (button), "tertulia-address",
                          g_strdup (address), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (copy_clicked_cb), NULL);

  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  gtk_list_box_append (list, row);
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
tertulia_share_popover_rebuild (TertuliaSharePopover *self)
{
  g_auto(GStrv) hosts = NULL;
  g_auto(GStrv) urls = NULL;

  clear_list (self->app_list);
  clear_list (self->web_list);

  if (self->port == 0)
    return;

  hosts = tertulia_address_list_local ();
  urls = tertulia_address_list_urls (self->port);

  for (guint i = 0; hosts[i] != NULL; i++)
    {
      g_autofree char *address = NULL;

      if (strchr (hosts[i], ':') != NULL)
        address = g_strdup_printf ("[%s]:%u", hosts[i], self->port);
      else
        address = g_strdup_printf ("%s:%u", hosts[i], self->port);

      add_address_row (self->app_list, address);
    }

  for (guint i = 0; urls[i] != NULL; i++)
    add_address_row (self->web_list, urls[i]);

  if (hosts[0] == NULL)
    {
      g_autofree char *loopback = g_strdup_printf ("127.0.0.1:%u", self->port);
      g_autofree char *loopback_url = g_strdup_printf ("http://127.0.0.1:%u/", self->port);

      gtk_label_set_text (self->description_label,
                          _("This computer is not connected to a network, so only "
                            "people using it can join."));
      add_address_row (self->app_list, loopback);
      add_address_row (self->web_list, loopback_url);
    }
  else
    {
      gtk_label_set_text (self->description_label,
                          _("People on the same network can join with one of these addresses."));
    }
}

static void
tertulia_share_popover_show (GtkWidget *widget)
{
  TertuliaSharePopover *self = (TertuliaSharePopover *)widget;

  /* Networks come and go (Wi-Fi, cables): list what is there now. */
  tertulia_share_popover_rebuild (self);

  GTK_WIDGET_CLASS (tertulia_share_popover_parent_class)->show (widget);
}

static void
tertulia_share_popover_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TERTULIA_TYPE_SHARE_POPOVER);

  G_OBJECT_CLASS (tertulia_share_popover_parent_class)->dispose (object);
}

static void
tertulia_share_popover_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  TertuliaSharePopover *self = TERTULIA_SHARE_POPOVER (object);

  switch (prop_id)
    {
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tertulia_share_popover_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  TertuliaSharePopover *self = TERTULIA_SHARE_POPOVER (object);

  switch (prop_id)
    {
    case PROP_PORT:
      tertulia_share_popover_set_port (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tertulia_share_popover_class_init (TertuliaSharePopoverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tertulia_share_popover_dispose;
  object_class->get_property = tertulia_share_popover_get_property;
  object_class->set_property = tertulia_share_popover_set_property;

  widget_class->show = tertulia_share_popover_show;

  properties [PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL,
                       0, G_MAXUINT16, 0,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tertulia/Tertulia/tertulia-share-popover.ui");
  gtk_widget_class_bind_template_child (widget_class, TertuliaSharePopover, description_label);
  gtk_widget_class_bind_template_child (widget_class, TertuliaSharePopover, app_list);
  gtk_widget_class_bind_template_child (widget_class, TertuliaSharePopover, web_list);
}

static void
tertulia_share_popover_init (TertuliaSharePopover *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
tertulia_share_popover_new (void)
{
  return g_object_new (TERTULIA_TYPE_SHARE_POPOVER, NULL);
}

guint
tertulia_share_popover_get_port (TertuliaSharePopover *self)
{
  g_return_val_if_fail (TERTULIA_IS_SHARE_POPOVER (self), 0);

  return self->port;
}

void
tertulia_share_popover_set_port (TertuliaSharePopover *self,
                                 guint                 port)
{
  g_return_if_fail (TERTULIA_IS_SHARE_POPOVER (self));

  if (self->port == port)
    return;

  self->port = port;
  tertulia_share_popover_rebuild (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PORT]);
}

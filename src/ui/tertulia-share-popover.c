/* tertulia-share-popover.c — the addresses a hosted room can be joined at, and a QR code
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
#include "tertulia-fingerprint-dialog.h"
#include "tertulia-qr-paintable.h"
#include "tertulia-share-popover.h"

struct _TertuliaSharePopover
{
  GtkPopover     parent_instance;

  /* Template widgets */
  GtkLabel      *description_label;
  GtkLabel      *web_heading;
  GtkWidget     *qr_frame;
  GtkPicture    *qr_picture;
  GtkListBox    *web_list;
  AdwComboRow   *address_row;
  GtkStringList *hosts;
  AdwActionRow  *link_row;
  GtkButton     *copy_link_button;
  GtkListBox    *app_list;
  GtkWidget     *password_note;
  GtkWidget     *https_row;
  GtkImage      *web_security_icon;
  GtkLabel      *web_security_label;
  GtkWidget     *encryption_box;
  GtkLabel      *fingerprint_label;

  /* Owned references */
  GStrv          hosts_override;  /* for tests and screenshots */
  GPtrArray     *urls;            /* invitations, "http://ADDRESS:PORT/#fp=FP", one a host */
  GPtrArray     *qr_codes;        /* GdkPaintable or NULL, made when first shown */
  GSettings     *settings;
  char          *fingerprint;     /* the room's key (base64url), NULL without TLS */

  guint          port;
  gboolean       password_required;
  gboolean       https;
};

enum {
  PROP_0,
  PROP_PORT,
  PROP_PASSWORD_REQUIRED,
  PROP_FINGERPRINT,
  PROP_HTTPS,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

G_DEFINE_FINAL_TYPE (TertuliaSharePopover, tertulia_share_popover, GTK_TYPE_POPOVER)

static void
copy_text (GtkWidget  *widget,
           const char *text,
           const char *toast_title)
{
  GtkWidget *overlay;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);

  overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  if (overlay != NULL)
    {
      AdwToast *toast = adw_toast_new (toast_title);

      adw_toast_set_timeout (toast, 2);
      adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
    }
}

static void
copy_clicked_cb (GtkButton *button,
                 gpointer   user_data)
{
  const char *text = g_object_get_data (G_OBJECT (button), "tertulia-address");

  copy_text (GTK_WIDGET (button), text, _("Address copied"));
}

/* @address as people type it; the copy button copies @invitation, which
 * carries the room's key for the app to check.
 */
static void
add_address_row (GtkListBox *list,
                 const char *address,
                 const char *invitation)
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
                          g_strdup (invitation), g_free);
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

static const char *
get_selected_url (TertuliaSharePopover *self)
{
  guint selected = adw_combo_row_get_selected (self->address_row);

  if (selected >= self->urls->len)
    return NULL;

  return g_ptr_array_index (self->urls, selected);
}

/* The QR code and the link of the address chosen in the combo row: one
 * code at a time keeps the popover small, and a phone reads one anyway.
 */
static void
show_selected_address (TertuliaSharePopover *self)
{
  guint selected = adw_combo_row_get_selected (self->address_row);
  const char *url = get_selected_url (self);
  g_autofree char *accessible = NULL;
  g_autofree char *alternative = NULL;
  GdkPaintable *paintable;

  if (url == NULL)
    {
      gtk_picture_set_paintable (self->qr_picture, NULL);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->link_row), "");
      return;
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->link_row), url);
  /* Translators: the accessible name of a copy button, %s is a web link */
  accessible = g_strdup_printf (_("Copy %s"), url);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->copy_link_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);

  paintable = g_ptr_array_index (self->qr_codes, selected);
  if (paintable == NULL)
    {
      g_autoptr(TertuliaQr) qr = NULL;
      g_autoptr(GError) error = NULL;

      qr = tertulia_qr_new (url, &error);
      if (qr == NULL)
        {
          /* A URL of an address is far from the limit; say why anyway. */
          g_warning ("No QR code for %s: %s", url, error->message);
          gtk_picture_set_paintable (self->qr_picture, NULL);
          gtk_widget_set_visible (self->qr_frame, FALSE);
          return;
        }

      paintable = tertulia_qr_paintable_new (qr);
      g_ptr_array_index (self->qr_codes, selected) = paintable;
    }

  gtk_picture_set_paintable (self->qr_picture, paintable);
  gtk_widget_set_visible (self->qr_frame, TRUE);
  /* Translators: what a screen reader says for the QR code, %s is a web link */
  alternative = g_strdup_printf (_("QR code of %s"), url);
  gtk_picture_set_alternative_text (self->qr_picture, alternative);
}

static void
address_selected_cb (TertuliaSharePopover *self)
{
  show_selected_address (self);
}

static void
copy_link_clicked_cb (TertuliaSharePopover *self)
{
  const char *url = get_selected_url (self);

  if (url != NULL)
    copy_text (GTK_WIDGET (self->copy_link_button), url, _("Link copied"));
}

static char *
dup_url (TertuliaSharePopover *self,
         const char           *host)
{
  return tertulia_address_build_invitation (host, self->port, self->fingerprint,
                                            self->https && self->fingerprint != NULL);
}

/* What a browser's connection is, said plainly either way; the app's own
 * are checked against the key below.
 */
static void
update_security (TertuliaSharePopover *self)
{
  g_autofree char *display = tertulia_fingerprint_dup_display (self->fingerprint, 4);
  gboolean https = self->https && self->fingerprint != NULL;

  gtk_widget_set_visible (self->https_row, self->fingerprint != NULL);
  gtk_widget_set_visible (self->encryption_box, display != NULL);
  gtk_label_set_text (self->fingerprint_label, display != NULL ? display : "");

  gtk_image_set_from_icon_name (self->web_security_icon,
                                https ? "channel-secure-symbolic" : "channel-insecure-symbolic");
  if (https)
    gtk_label_set_text (self->web_security_label,
                        _("Encrypted. Phones and browsers show a warning about the room’s "
                          "certificate the first time: accept it once to join."));
  else
    gtk_label_set_text (self->web_security_label,
                        _("Browsers connect without encryption: others on this network "
                          "could read what phones send and receive."));
}

static void
tertulia_share_popover_rebuild (TertuliaSharePopover *self)
{
  g_auto(GStrv) local_hosts = NULL;
  const char * const *hosts;
  gboolean offline;

  clear_list (self->app_list);
  g_ptr_array_set_size (self->urls, 0);
  g_ptr_array_set_size (self->qr_codes, 0);

  if (self->hosts_override != NULL)
    hosts = (const char * const *)self->hosts_override;
  else
    hosts = (const char * const *)(local_hosts = tertulia_address_list_local ());

  offline = self->port == 0 || hosts[0] == NULL;

  if (self->port != 0)
    {
      for (guint i = 0; hosts[i] != NULL; i++)
        {
          g_autofree char *address = NULL;

          if (strchr (hosts[i], ':') != NULL)
            address = g_strdup_printf ("[%s]:%u", hosts[i], self->port);
          else
            address = g_strdup_printf ("%s:%u", hosts[i], self->port);

          g_ptr_array_add (self->urls, dup_url (self, hosts[i]));
          add_address_row (self->app_list, address, g_ptr_array_index (self->urls, self->urls->len - 1));
          g_ptr_array_add (self->qr_codes, NULL);
        }
    }

  if (self->port != 0 && offline)
    {
      g_autofree char *loopback = g_strdup_printf ("127.0.0.1:%u", self->port);

      g_ptr_array_add (self->urls, dup_url (self, "127.0.0.1"));
      add_address_row (self->app_list, loopback, g_ptr_array_index (self->urls, self->urls->len - 1));
      g_ptr_array_add (self->qr_codes, NULL);
    }

  if (offline)
    gtk_label_set_text (self->description_label,
                        _("This computer is not connected to a network, so only "
                          "people using it can join."));
  else
    gtk_label_set_text (self->description_label,
                        _("People on the same network can join by scanning the code "
                          "with a phone, or with one of these addresses."));

  /* One item a link, in the same order. */
  {
    const char * const loopback_host[] = { "127.0.0.1", NULL };

    gtk_string_list_splice (self->hosts, 0, g_list_model_get_n_items (G_LIST_MODEL (self->hosts)),
                            self->port == 0 ? NULL : offline ? loopback_host : hosts);
  }
  adw_combo_row_set_selected (self->address_row, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->address_row), self->urls->len > 1);

  show_selected_address (self);
  update_security (self);

  /* A phone cannot reach this computer's loopback: no code then. */
  if (offline)
    gtk_widget_set_visible (self->qr_frame, FALSE);
  gtk_label_set_text (self->web_heading,
                      offline ? _("In a Web Browser") : _("On a Phone or in a Web Browser"));
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
  TertuliaSharePopover *self = (TertuliaSharePopover *)object;

  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (object), TERTULIA_TYPE_SHARE_POPOVER);

  G_OBJECT_CLASS (tertulia_share_popover_parent_class)->dispose (object);
}

static void
tertulia_share_popover_finalize (GObject *object)
{
  TertuliaSharePopover *self = (TertuliaSharePopover *)object;

  g_clear_pointer (&self->hosts_override, g_strfreev);
  g_clear_pointer (&self->urls, g_ptr_array_unref);
  g_clear_pointer (&self->qr_codes, g_ptr_array_unref);
  g_clear_pointer (&self->fingerprint, g_free);

  G_OBJECT_CLASS (tertulia_share_popover_parent_class)->finalize (object);
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

    case PROP_PASSWORD_REQUIRED:
      g_value_set_boolean (value, self->password_required);
      break;

    case PROP_FINGERPRINT:
      g_value_set_string (value, self->fingerprint);
      break;

    case PROP_HTTPS:
      g_value_set_boolean (value, self->https);
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

    case PROP_PASSWORD_REQUIRED:
      tertulia_share_popover_set_password_required (self, g_value_get_boolean (value));
      break;

    case PROP_FINGERPRINT:
      tertulia_share_popover_set_fingerprint (self, g_value_get_string (value));
      break;

    case PROP_HTTPS:
      tertulia_share_popover_set_https (self, g_value_get_boolean (value));
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
  object_class->finalize = tertulia_share_popover_finalize;
  object_class->get_property = tertulia_share_popover_get_property;
  object_class->set_property = tertulia_share_popover_set_property;

  widget_class->show = tertulia_share_popover_show;

  properties [PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL,
                       0, G_MAXUINT16, 0,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_PASSWORD_REQUIRED] =
    g_param_spec_boolean ("password-required", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_FINGERPRINT] =
    g_param_spec_string ("fingerprint", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_HTTPS] =
    g_param_spec_boolean ("https", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tertulia/Tertulia/tertulia-share-popover.ui");
  gtk_widget_class_bind_template_child (widget_class, TertuliaSharePopover, description_label);
  gtk_widget_class_bind_template_child (widget_class, TertuliaSharePopover, web_heading);
  gtk_widget_class_bind_template_child (widget_class, TertuliaSharePopover, qr_frame);
  gtk_widget_class_bind_template_child (widget_class, TertuliaSharePopover, qr_picture);
  gtk_widget_class_bind_template_child (widget_class, TertuliaSharePopover, web_list);
  gtk_widget_class_bind_template_child (widget_class, TertuliaSharePopover, address_row);
  gtk_widget_class_bind_template_child (widget_class, TertuliaSharePopover, hosts);
  gtk_widget_class_bind_template_child (widget_class, TertuliaSharePopover, link_row);
  gtk_widget_class_bind_template_child (widget_class, TertuliaSharePopover, copy_link_button);
  gtk_widget_class_bind_template_child (widget_class, TertuliaSharePopover, app_list);
  gtk_widget_class_bind_template_child (widget_class, TertuliaSharePopover, password_note);
  gtk_widget_class_bind_template_child (widget_class, TertuliaSharePopover, https_row);
  gtk_widget_class_bind_template_child (widget_class, TertuliaSharePopover, web_security_icon);
  gtk_widget_class_bind_template_child (widget_class, TertuliaSharePopover, web_security_label);
  gtk_widget_class_bind_template_child (widget_class, TertuliaSharePopover, encryption_box);
  gtk_widget_class_bind_template_child (widget_class, TertuliaSharePopover, fingerprint_label);
  gtk_widget_class_bind_template_callback (widget_class, address_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_link_clicked_cb);
}

static void
unref_if_set (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

static void
tertulia_share_popover_init (TertuliaSharePopover *self)
{
  self->urls = g_ptr_array_new_with_free_func (g_free);
  self->qr_codes = g_ptr_array_new_with_free_func (unref_if_set);

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The host's choice for browsers is kept for the next room. */
  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "https-for-browsers", self, "https", G_SETTINGS_BIND_DEFAULT);
  update_security (self);
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

gboolean
tertulia_share_popover_get_password_required (TertuliaSharePopover *self)
{
  g_return_val_if_fail (TERTULIA_IS_SHARE_POPOVER (self), FALSE);

  return self->password_required;
}

void
tertulia_share_popover_set_password_required (TertuliaSharePopover *self,
                                              gboolean              password_required)
{
  g_return_if_fail (TERTULIA_IS_SHARE_POPOVER (self));

  password_required = !!password_required;
  if (self->password_required == password_required)
    return;

  self->password_required = password_required;
  gtk_widget_set_visible (self->password_note, password_required);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PASSWORD_REQUIRED]);
}

const char *
tertulia_share_popover_get_fingerprint (TertuliaSharePopover *self)
{
  g_return_val_if_fail (TERTULIA_IS_SHARE_POPOVER (self), NULL);

  return self->fingerprint;
}

void
tertulia_share_popover_set_fingerprint (TertuliaSharePopover *self,
                                        const char           *fingerprint)
{
  g_return_if_fail (TERTULIA_IS_SHARE_POPOVER (self));

  if (g_strcmp0 (self->fingerprint, fingerprint) == 0)
    return;

  g_free (self->fingerprint);
  self->fingerprint = g_strdup (fingerprint);
  tertulia_share_popover_rebuild (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_FINGERPRINT]);
}

gboolean
tertulia_share_popover_get_https (TertuliaSharePopover *self)
{
  g_return_val_if_fail (TERTULIA_IS_SHARE_POPOVER (self), FALSE);

  return self->https;
}

void
tertulia_share_popover_set_https (TertuliaSharePopover *self,
                                  gboolean              https)
{
  g_return_if_fail (TERTULIA_IS_SHARE_POPOVER (self));

  https = !!https;
  if (self->https == https)
    return;

  self->https = https;
  /* The same address stays chosen: only its scheme changes. */
  {
    guint selected = adw_combo_row_get_selected (self->address_row);

    tertulia_share_popover_rebuild (self);
    if (selected < self->urls->len)
      adw_combo_row_set_selected (self->address_row, selected);
  }

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_HTTPS]);
}

void
_tertulia_share_popover_set_hosts (TertuliaSharePopover *self,
                                   const char * const   *hosts)
{
  g_return_if_fail (TERTULIA_IS_SHARE_POPOVER (self));

  g_clear_pointer (&self->hosts_override, g_strfreev);
  self->hosts_override = g_strdupv ((GStrv)hosts);
  tertulia_share_popover_rebuild (self);
}

AdwComboRow *
_tertulia_share_popover_get_address_row (TertuliaSharePopover *self)
{
  return self->address_row;
}

AdwActionRow *
_tertulia_share_popover_get_link_row (TertuliaSharePopover *self)
{
  return self->link_row;
}

GtkButton *
_tertulia_share_popover_get_copy_link_button (TertuliaSharePopover *self)
{
  return self->copy_link_button;
}

GtkPicture *
_tertulia_share_popover_get_qr_picture (TertuliaSharePopover *self)
{
  return self->qr_picture;
}

GtkListBox *
_tertulia_share_popover_get_app_list (TertuliaSharePopover *self)
{
  return self->app_list;
}

GtkWidget *
_tertulia_share_popover_get_password_note (TertuliaSharePopover *self)
{
  return self->password_note;
}

GtkLabel *
_tertulia_share_popover_get_fingerprint_label (TertuliaSharePopover *self)
{
  return self->fingerprint_label;
}

GtkLabel *
_tertulia_share_popover_get_web_security_label (TertuliaSharePopover *self)
{
  return self->web_security_label;
}

GtkWidget *
_tertulia_share_popover_get_https_row (TertuliaSharePopover *self)
{
  return self->https_row;
}

/* tertulia-entry-row.c — a titled text row that screen readers hear taking the focus
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-entry-row"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tertulia-entry-row.h"

struct _TertuliaEntryRow
{
  AdwPreferencesRow  parent_instance;

  /* Owned widgets (children of the row's box) */
  GtkLabel          *title_label;
  GtkEntry          *entry;
  GtkWidget         *edit_icon;
  GtkToggleButton   *reveal_button;  /* NULL unless a password row */
};

enum {
  PROP_0,
  PROP_INPUT_PURPOSE,
  PROP_INPUT_HINTS,
  PROP_PASSWORD,
  N_PROPS
};

enum {
  ENTRY_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

static void tertulia_entry_row_editable_init (GtkEditableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TertuliaEntryRow, tertulia_entry_row, ADW_TYPE_PREFERENCES_ROW,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_EDITABLE, tertulia_entry_row_editable_init))

static GtkEditable *
tertulia_entry_row_get_delegate (GtkEditable *editable)
{
  return GTK_EDITABLE (TERTULIA_ENTRY_ROW (editable)->entry);
}

static void
tertulia_entry_row_editable_init (GtkEditableInterface *iface)
{
  iface->get_delegate = tertulia_entry_row_get_delegate;
}

/* The title is what the field is called, on screen and to a screen reader. */
static void
title_changed_cb (TertuliaEntryRow *self)
{
  const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self));

  gtk_label_set_text (self->title_label, title != NULL ? title : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title != NULL ? title : "",
                                  -1);
}

static void
entry_activate_cb (TertuliaEntryRow *self)
{
  g_signal_emit (self, signals [ENTRY_ACTIVATED], 0);
}

/* Clicking anywhere in the row types into it, as in AdwEntryRow. */
static void
pressed_cb (TertuliaEntryRow *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

/* Tab and Shift+Tab go through the row's widgets and on. GtkListBoxRow's
 * own focus() would take the focus to the row on Shift+Tab, which gives
 * it straight back to the entry: the focus could never leave backwards.
 */
static gboolean
tertulia_entry_row_focus (GtkWidget        *widget,
                          GtkDirectionType  direction)
{
  GtkWidget *child = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (widget));

  return child != NULL && gtk_widget_child_focus (child, direction);
}

static gboolean
tertulia_entry_row_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (GTK_WIDGET (TERTULIA_ENTRY_ROW (widget)->entry));
}

/* What the eye button says and shows follows what it will do. */
static void
reveal_toggled_cb (TertuliaEntryRow *self)
{
  gboolean shown = gtk_toggle_button_get_active (self->reveal_button);
  const char *label = shown ? _("Hide Password") : _("Show Password");

  gtk_entry_set_visibility (self->entry, shown);
  gtk_button_set_icon_name (GTK_BUTTON (self->reveal_button),
                            shown ? "view-conceal-symbolic" : "view-reveal-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->reveal_button), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->reveal_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

/* A secret: typed unseen, never offered to input methods' dictionaries,
 * with an eye button that shows it while pressed in.
 */
static void
set_password (TertuliaEntryRow *self,
              gboolean          password)
{
  if (password == (self->reveal_button != NULL))
    return;

  if (password)
    {
      self->reveal_button = GTK_TOGGLE_BUTTON (gtk_toggle_button_new ());
      gtk_widget_set_valign (GTK_WIDGET (self->reveal_button), GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (GTK_WIDGET (self->reveal_button), "flat");
      gtk_widget_add_css_class (GTK_WIDGET (self->reveal_button), "circular");
      gtk_widget_insert_after (GTK_WIDGET (self->reveal_button),
                               gtk_widget_get_parent (self->edit_icon), self->edit_icon);
      g_signal_connect_swapped (self->reveal_button, "toggled", G_CALLBACK (reveal_toggled_cb), self);
      reveal_toggled_cb (self);
      gtk_entry_set_input_purpose (self->entry, GTK_INPUT_PURPOSE_PASSWORD);
      gtk_entry_set_input_hints (self->entry, GTK_INPUT_HINT_NO_SPELLCHECK | GTK_INPUT_HINT_PRIVATE);
    }
  else
    {
      gtk_widget_unparent (GTK_WIDGET (self->reveal_button));
      self->reveal_button = NULL;
      gtk_entry_set_visibility (self->entry, TRUE);
      gtk_entry_set_input_purpose (self->entry, GTK_INPUT_PURPOSE_FREE_FORM);
      gtk_entry_set_input_hints (self->entry, GTK_INPUT_HINT_NONE);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PASSWORD]);
}

static void
tertulia_entry_row_dispose (GObject *object)
{
  TertuliaEntryRow *self = (TertuliaEntryRow *)object;

  if (self->entry != NULL)
    gtk_editable_finish_delegate (GTK_EDITABLE (self));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), NULL);
  self->entry = NULL;
  self->title_label = NULL;
  self->edit_icon = NULL;
  self->reveal_button = NULL;

  G_OBJECT_CLASS (tertulia_entry_row_parent_class)->dispose (object);
}

static void
tertulia_entry_row_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TertuliaEntryRow *self = TERTULIA_ENTRY_ROW (object);

  if (gtk_editable_delegate_get_property (object, prop_id, value, pspec))
    return;

  switch (prop_id)
    {
    case PROP_INPUT_PURPOSE:
      g_value_set_enum (value, gtk_entry_get_input_purpose (self->entry));
      break;

    case PROP_INPUT_HINTS:
      g_value_set_flags (value, gtk_entry_get_input_hints (self->entry));
      break;

    case PROP_PASSWORD:
      g_value_set_boolean (value, self->reveal_button != NULL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tertulia_entry_row_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  TertuliaEntryRow *self = TERTULIA_ENTRY_ROW (object);

  if (gtk_editable_delegate_set_property (object, prop_id, value, pspec))
    return;

  switch (prop_id)
    {
    case PROP_INPUT_PURPOSE:
      gtk_entry_set_input_purpose (self->entry, g_value_get_enum (value));
      break;

    case PROP_INPUT_HINTS:
      gtk_entry_set_input_hints (self->entry, g_value_get_flags (value));
      break;

    case PROP_PASSWORD:
      set_password (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tertulia_entry_row_class_init (TertuliaEntryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tertulia_entry_row_dispose;
  object_class->get_property = tertulia_entry_row_get_property;
  object_class->set_property = tertulia_entry_row_set_property;

  widget_class->focus = tertulia_entry_row_focus;
  widget_class->grab_focus = tertulia_entry_row_grab_focus;

  properties [PROP_INPUT_PURPOSE] =
    g_param_spec_enum ("input-purpose", NULL, NULL,
                       GTK_TYPE_INPUT_PURPOSE,
                       GTK_INPUT_PURPOSE_FREE_FORM,
                       (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));

  properties [PROP_INPUT_HINTS] =
    g_param_spec_flags ("input-hints", NULL, NULL,
                        GTK_TYPE_INPUT_HINTS,
                        GTK_INPUT_HINT_NONE,
                        (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));

  properties [PROP_PASSWORD] =
    g_param_spec_boolean ("password", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
  gtk_editable_install_properties (object_class, N_PROPS);

  /* As AdwEntryRow's: Enter in the field. */
  signals [ENTRY_ACTIVATED] =
    g_signal_new ("entry-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_css_name (widget_class, "row");
}

static void
tertulia_entry_row_init (TertuliaEntryRow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *row_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *edit_icon = gtk_image_new_from_icon_name ("document-edit-symbolic");
  GtkGesture *click = gtk_gesture_click_new ();

  /* The entry takes the focus, not the row around it. */
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), FALSE);
  gtk_widget_set_focusable (GTK_WIDGET (self), FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self), "tertulia-entry-row");

  self->title_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->title_label, 0);
  gtk_label_set_ellipsize (self->title_label, PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (GTK_WIDGET (self->title_label), "title");
  gtk_widget_add_css_class (GTK_WIDGET (self->title_label), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (self->title_label), "dim-label");
  /* The entry says the title itself; read once, not twice. */
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->title_label), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);

  self->entry = GTK_ENTRY (gtk_entry_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->entry), TRUE);

  /* The pencil AdwEntryRow shows while you are not typing in it. */
  self->edit_icon = edit_icon;
  gtk_widget_add_css_class (edit_icon, "edit-icon");
  gtk_widget_set_valign (edit_icon, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_end (edit_icon, 11);

  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->title_label));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->entry));
  gtk_widget_set_hexpand (box, TRUE);
  gtk_box_append (GTK_BOX (row_box), box);
  gtk_box_append (GTK_BOX (row_box), edit_icon);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (self), row_box);

  gtk_editable_init_delegate (GTK_EDITABLE (self));

  g_signal_connect_swapped (self, "notify::title", G_CALLBACK (title_changed_cb), self);
  g_signal_connect_swapped (self->entry, "activate", G_CALLBACK (entry_activate_cb), self);
  g_signal_connect_swapped (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
}

GtkWidget *
tertulia_entry_row_new (void)
{
  return g_object_new (TERTULIA_TYPE_ENTRY_ROW, NULL);
}

GtkWidget *
_tertulia_entry_row_get_entry (TertuliaEntryRow *self)
{
  g_return_val_if_fail (TERTULIA_IS_ENTRY_ROW (self), NULL);

  return GTK_WIDGET (self->entry);
}

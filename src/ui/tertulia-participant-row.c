/* tertulia-participant-row.c — one person in the participants sidebar,
 * with their role and a menu of what you may do about them
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-participant-row"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tertulia-message-header.h"
#include "tertulia-participant.h"
#include "tertulia-participant-row.h"

struct _TertuliaParticipantRow
{
  AdwBin               parent_instance;

  /* Widgets */
  AdwAvatar           *avatar;
  GtkLabel            *name_label;
  GtkWidget           *you_tag;
  GtkLabel            *role_tag;
  GtkWidget           *muted_icon;
  GtkMenuButton       *menu_button;

  /* Owned references */
  TertuliaRoom        *room;
  TertuliaParticipant *participant;
  GSignalGroup        *participant_signals;
};

G_DEFINE_FINAL_TYPE (TertuliaParticipantRow, tertulia_participant_row, ADW_TYPE_BIN)

gboolean
tertulia_room_can_message_privately (TertuliaRoom        *room,
                                     TertuliaParticipant *target)
{
  TertuliaParticipant *you;

  g_return_val_if_fail (TERTULIA_IS_ROOM (room), FALSE);
  g_return_val_if_fail (TERTULIA_IS_PARTICIPANT (target), FALSE);

  you = tertulia_room_get_you (room);
  if (you == NULL || target == you || tertulia_participant_get_is_you (target))
    return FALSE;

  switch (tertulia_room_get_private_messages (room))
    {
    case TERTULIA_PRIVATE_MESSAGES_EVERYONE:
      return TRUE;

    case TERTULIA_PRIVATE_MESSAGES_HOSTS:
      /* "Only with hosts": one side must be the host or a co-host. */
      return tertulia_participant_get_moderates (you) || tertulia_participant_get_moderates (target);

    case TERTULIA_PRIVATE_MESSAGES_OFF:
    default:
      return FALSE;
    }
}

static void
append_action (GMenu      *section,
               const char *label,
               const char *action,
               gint64      id)
{
  g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target_value (item, action, g_variant_new_int64 (id));
  g_menu_append_item (section, item);
}

GMenuModel *
tertulia_participant_menu_new (TertuliaRoom        *room,
                               TertuliaParticipant *target)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) talk = g_menu_new ();
  g_autoptr(GMenu) moderate = g_menu_new ();
  g_autoptr(GMenu) roles = g_menu_new ();
  TertuliaParticipant *you;
  gint64 id;

  g_return_val_if_fail (TERTULIA_IS_ROOM (room), NULL);
  g_return_val_if_fail (TERTULIA_IS_PARTICIPANT (target), NULL);

  you = tertulia_room_get_you (room);
  if (you == NULL || tertulia_participant_get_is_you (target))
    return NULL;

  id = tertulia_participant_get_id (target);

  if (tertulia_room_can_message_privately (room, target))
    append_action (talk, _("_Message Privately"), "participant.message", id);

  /* The server decides; the menu only leaves out what it would refuse:
   * a co-host acts on guests only, and only the host names co-hosts.
   */
  if (tertulia_room_get_you_moderate (room) &&
      (tertulia_participant_get_role (you) == TERTULIA_ROLE_HOST || !tertulia_participant_get_moderates (target)) &&
      tertulia_participant_get_role (target) != TERTULIA_ROLE_HOST)
    {
      if (tertulia_participant_get_muted (target))
        append_action (moderate, _("_Unmute"), "participant.unmute", id);
      else
        append_action (moderate, _("M_ute"), "participant.mute", id);
      append_action (moderate, _("_Remove from Room…"), "participant.kick", id);
      append_action (moderate, _("_Ban…"), "participant.ban", id);

      if (tertulia_participant_get_role (you) == TERTULIA_ROLE_HOST)
        {
          if (tertulia_participant_get_role (target) == TERTULIA_ROLE_COHOST)
            append_action (roles, _("Remove _Co-host"), "participant.deop", id);
          else
            append_action (roles, _("Make _Co-host"), "participant.op", id);
        }
    }

  if (g_menu_model_get_n_items (G_MENU_MODEL (talk)) > 0)
    g_menu_append_section (menu, NULL, G_MENU_MODEL (talk));
  if (g_menu_model_get_n_items (G_MENU_MODEL (moderate)) > 0)
    g_menu_append_section (menu, NULL, G_MENU_MODEL (moderate));
  if (g_menu_model_get_n_items (G_MENU_MODEL (roles)) > 0)
    g_menu_append_section (menu, NULL, G_MENU_MODEL (roles));

  if (g_menu_model_get_n_items (G_MENU_MODEL (menu)) == 0)
    return NULL;

  return G_MENU_MODEL (g_steal_pointer (&menu));
}

/* Built as it opens, so that it says what is true now. */
static void
create_popup_cb (GtkMenuButton *button,
                 gpointer       user_data)
{
  TertuliaParticipantRow *self = user_data;
  g_autoptr(GMenuModel) menu = NULL;

  if (self->room != NULL && self->participant != NULL)
    menu = tertulia_participant_menu_new (self->room, self->participant);

  gtk_menu_button_set_menu_model (button, menu);

  /* The button is at the sidebar's outer edge: the menu opens inwards.
   * GTK 4.8 places a popover's halign as if left to right, so the edge to
   * align is chosen by the direction here.
   */
  if (gtk_menu_button_get_popover (button) != NULL)
    gtk_widget_set_halign (GTK_WIDGET (gtk_menu_button_get_popover (button)),
                           gtk_widget_get_direction (GTK_WIDGET (button)) == GTK_TEXT_DIR_RTL
                           ? GTK_ALIGN_START : GTK_ALIGN_END);
}

/* What the row says, and what a screen reader says for it: "ana, co-host,
 * muted".
 */
static void
update_row (TertuliaParticipantRow *self)
{
  g_autoptr(GString) spoken = g_string_new (NULL);
  g_autofree char *color = NULL;
  const char *nickname = NULL;
  const char *role = NULL;
  gboolean muted = FALSE;
  gboolean is_you = FALSE;
  gboolean has_menu = FALSE;

  if (self->participant != NULL)
    {
      nickname = tertulia_participant_get_nickname (self->participant);
      muted = tertulia_participant_get_muted (self->participant);
      is_you = tertulia_participant_get_is_you (self->participant);

      switch (tertulia_participant_get_role (self->participant))
        {
        case TERTULIA_ROLE_HOST:
          /* Translators: a tag next to the host's name in the participants list */
          role = C_("participant", "host");
          break;

        case TERTULIA_ROLE_COHOST:
          /* Translators: a tag next to a co-host's name in the participants list */
          role = C_("participant", "co-host");
          break;

        case TERTULIA_ROLE_GUEST:
        default:
          break;
        }

      if (self->room != NULL)
        {
          g_autoptr(GMenuModel) menu = tertulia_participant_menu_new (self->room, self->participant);

          has_menu = menu != NULL;
          if (has_menu)
            create_popup_cb (self->menu_button, self);
        }
    }

  if (nickname == NULL)
    nickname = "";

  adw_avatar_set_text (self->avatar, nickname);
  color = g_strdup_printf ("nick-color-%u", tertulia_nick_color_index (nickname));
  gtk_widget_set_css_classes (GTK_WIDGET (self->avatar), (const char *[]) { color, NULL });
  gtk_label_set_text (self->name_label, nickname);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_label), nickname);
  gtk_widget_set_visible (self->you_tag, is_you);
  gtk_label_set_text (self->role_tag, role != NULL ? role : "");
  gtk_widget_set_visible (GTK_WIDGET (self->role_tag), role != NULL);
  gtk_widget_set_visible (self->muted_icon, muted);
  gtk_widget_set_visible (GTK_WIDGET (self->menu_button), has_menu);

  {
    g_autofree char *label = NULL;

    /* Translators: the accessible name of a participant's menu button, %s is a nickname */
    label = g_strdup_printf (_("Actions for %s"), nickname);
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->menu_button), label);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                    -1);
  }

  /* Read as a list: "ana, co-host, muted" */
  g_string_append (spoken, nickname);
  if (is_you)
    g_string_append_printf (spoken, ", %s", C_("participant", "you"));
  if (role != NULL)
    g_string_append_printf (spoken, ", %s", role);
  if (muted)
    /* Translators: said by screen readers after a muted participant's name */
    g_string_append_printf (spoken, ", %s", C_("participant", "muted"));
  /* The list item takes the keyboard focus, so it is what is named */
  {
    GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self));
    GtkAccessible *accessible = GTK_ACCESSIBLE (self);

    if (parent != NULL &&
        gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (parent)) == GTK_ACCESSIBLE_ROLE_LIST_ITEM)
      accessible = GTK_ACCESSIBLE (parent);

    gtk_accessible_update_property (accessible,
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, spoken->str,
                                    -1);
  }
}

gboolean
tertulia_participant_row_popup_menu (TertuliaParticipantRow *self)
{
  g_autoptr(GMenuModel) menu = NULL;

  g_return_val_if_fail (TERTULIA_IS_PARTICIPANT_ROW (self), FALSE);

  if (self->room == NULL || self->participant == NULL)
    return FALSE;

  menu = tertulia_participant_menu_new (self->room, self->participant);
  if (menu == NULL)
    return FALSE;

  gtk_menu_button_popup (self->menu_button);
  return TRUE;
}

static void
pressed_cb (TertuliaParticipantRow *self,
            int                     n_press,
            double                  x,
            double                  y,
            GtkGestureClick        *gesture)
{
  if (tertulia_participant_row_popup_menu (self))
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
tertulia_participant_row_dispose (GObject *object)
{
  TertuliaParticipantRow *self = (TertuliaParticipantRow *)object;

  g_clear_object (&self->participant_signals);
  g_clear_object (&self->participant);
  g_clear_object (&self->room);

  G_OBJECT_CLASS (tertulia_participant_row_parent_class)->dispose (object);
}

static void
tertulia_participant_row_class_init (TertuliaParticipantRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tertulia_participant_row_dispose;

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static GtkWidget *
new_tag (const char *text)
{
  GtkWidget *tag = gtk_label_new (text);

  gtk_widget_add_css_class (tag, "tag");
  gtk_widget_add_css_class (tag, "caption");
  gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);

  return tag;
}

static void
tertulia_participant_row_init (TertuliaParticipantRow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkGesture *gesture;

  gtk_widget_add_css_class (box, "participant-row");

  /* Initials in a colour of the nickname's; the name beside it speaks for
   * it.
   */
  self->avatar = ADW_AVATAR (adw_avatar_new (24, NULL, TRUE));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->avatar),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
  g_object_set (self->avatar, "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION, NULL);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->avatar));

  self->name_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->name_label, 0);
  gtk_label_set_ellipsize (self->name_label, PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (GTK_WIDGET (self->name_label), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->name_label));

  /* Translators: a tag next to your own name in the participants list */
  self->you_tag = new_tag (C_("participant", "you"));
  gtk_box_append (GTK_BOX (box), self->you_tag);

  self->role_tag = GTK_LABEL (new_tag (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->role_tag), "host-tag");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->role_tag));

  self->muted_icon = gtk_image_new_from_icon_name ("microphone-sensitivity-muted-symbolic");
  gtk_widget_add_css_class (self->muted_icon, "dim-label");
  gtk_widget_set_tooltip_text (self->muted_icon, _("Muted: can read, cannot post"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->muted_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Muted"),
                                  -1);
  gtk_box_append (GTK_BOX (box), self->muted_icon);

  /* The row itself takes the keyboard focus in the list (Menu, Shift+F10
   * and Enter open this menu there): the button is for the pointer.
   */
  self->menu_button = GTK_MENU_BUTTON (gtk_menu_button_new ());
  gtk_menu_button_set_icon_name (self->menu_button, "view-more-symbolic");
  gtk_widget_set_focusable (GTK_WIDGET (self->menu_button), FALSE);
  gtk_widget_set_focus_on_click (GTK_WIDGET (self->menu_button), FALSE);
  gtk_widget_set_valign (GTK_WIDGET (self->menu_button), GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (GTK_WIDGET (self->menu_button), "flat");
  gtk_widget_add_css_class (GTK_WIDGET (self->menu_button), "participant-menu-button");
  gtk_menu_button_set_create_popup_func (self->menu_button, create_popup_cb, self, NULL);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->menu_button));

  adw_bin_set_child (ADW_BIN (self), box);

  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_SECONDARY);
  g_signal_connect_object (gesture, "pressed", G_CALLBACK (pressed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));

  self->participant_signals = g_signal_group_new (TERTULIA_TYPE_PARTICIPANT);
  g_signal_group_connect_object (self->participant_signals, "notify::nickname",
                                 G_CALLBACK (update_row), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->participant_signals, "notify::role",
                                 G_CALLBACK (update_row), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->participant_signals, "notify::muted",
                                 G_CALLBACK (update_row), self, G_CONNECT_SWAPPED);

  update_row (self);
}

GtkWidget *
tertulia_participant_row_new (void)
{
  return g_object_new (TERTULIA_TYPE_PARTICIPANT_ROW, NULL);
}

void
tertulia_participant_row_bind (TertuliaParticipantRow *self,
                               TertuliaRoom           *room,
                               TertuliaParticipant    *participant)
{
  g_return_if_fail (TERTULIA_IS_PARTICIPANT_ROW (self));
  g_return_if_fail (!room || TERTULIA_IS_ROOM (room));
  g_return_if_fail (!participant || TERTULIA_IS_PARTICIPANT (participant));

  g_set_object (&self->room, room);
  g_set_object (&self->participant, participant);
  g_signal_group_set_target (self->participant_signals, participant);

  if (participant == NULL)
    gtk_menu_button_popdown (self->menu_button);

  update_row (self);
}

TertuliaParticipant *
tertulia_participant_row_get_participant (TertuliaParticipantRow *self)
{
  g_return_val_if_fail (TERTULIA_IS_PARTICIPANT_ROW (self), NULL);

  return self->participant;
}

void
tertulia_participant_row_update (TertuliaParticipantRow *self)
{
  g_return_if_fail (TERTULIA_IS_PARTICIPANT_ROW (self));

  update_row (self);
}

GtkMenuButton *
_tertulia_participant_row_get_menu_button (TertuliaParticipantRow *self)
{
  return self->menu_button;
}

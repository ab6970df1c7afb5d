/* tertulia-chat-page-actions.c — the log from the keyboard and each
 * message's menu (Copy Message, Mention, Copy Link)
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-chat-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tertulia-chat-page-private.h"
#include "tertulia-log-model.h"
#include "tertulia-links.h"
#include "tertulia-message-row.h"

/* The message row in @widget or above it, up to the log. */
static TertuliaMessageRow *
find_row (TertuliaChatPage *self,
          GtkWidget        *widget)
{
  for (; widget != NULL && widget != GTK_WIDGET (self->message_view);
       widget = gtk_widget_get_parent (widget))
    {
      if (TERTULIA_IS_MESSAGE_ROW (widget))
        return TERTULIA_MESSAGE_ROW (widget);

      /* The list item holding a row: the focus is on it. */
      if (TERTULIA_IS_MESSAGE_ROW (gtk_widget_get_first_child (widget)))
        return TERTULIA_MESSAGE_ROW (gtk_widget_get_first_child (widget));
    }

  return NULL;
}

static TertuliaMessageRow *
find_focused_row (TertuliaChatPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self->message_view)))
    return NULL;

  return find_row (self, focus);
}

static char *
dup_first_link (const char *text)
{
  g_autoptr(GArray) links = _tertulia_links_find (text);

  if (links == NULL || links->len == 0)
    return NULL;

  return _tertulia_link_dup_uri (text, &g_array_index (links, TertuliaLink, 0));
}

static void
copy_text (TertuliaChatPage *self,
           const char       *text)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
}

static void
copy_message_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  TertuliaChatPage *self = TERTULIA_CHAT_PAGE (widget);
  GListModel *run;

  if (self->menu_message == NULL)
    return;

  /* A run of joins and leaves is copied as the line it shows, not as its
   * first notice.
   */
  run = tertulia_log_model_get_run (self->menu_message);
  if (run != NULL && g_list_model_get_n_items (run) > 1)
    {
      g_autofree char *summary = tertulia_message_row_dup_run_summary (run);

      copy_text (self, summary);
      return;
    }

  copy_text (self, tertulia_message_get_text (self->menu_message));
}

static void
copy_link_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TertuliaChatPage *self = TERTULIA_CHAT_PAGE (widget);
  g_autofree char *uri = NULL;

  if (self->menu_message != NULL)
    uri = dup_first_link (tertulia_message_get_text (self->menu_message));

  if (uri != NULL)
    copy_text (self, uri);
}

static void
mention_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TertuliaChatPage *self = TERTULIA_CHAT_PAGE (widget);
  const char *author;
  g_autofree char *mention = NULL;

  if (self->menu_message == NULL)
    return;

  author = tertulia_message_get_author (self->menu_message);
  if (author == NULL || *author == '\0')
    return;

  /* "ana: " addresses someone at the start of a line, as Tab does. */
  mention = g_strdup_printf ("%s: ", author);
  _tertulia_chat_page_insert_at_start (self, mention);
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

static void
popover_closed_cb (TertuliaChatPage *self)
{
  if (self->focus_entry_after_menu)
    {
      self->focus_entry_after_menu = FALSE;
      gtk_widget_grab_focus (GTK_WIDGET (self->entry));
      return;
    }

  /* Back where the menu was opened from, for the next arrow key. */
  if (self->menu_row != NULL)
    {
      GtkWidget *item = gtk_widget_get_parent (GTK_WIDGET (self->menu_row));

      if (item != NULL)
        gtk_widget_grab_focus (item);
    }
}

/* Opens @row's menu pointing at (@x, @y) in the row, or under it when
 * @x is negative (from the keyboard).
 */
static void
open_menu (TertuliaChatPage   *self,
           TertuliaMessageRow *row,
           double              x,
           double              y)
{
  TertuliaMessage *message = tertulia_message_row_get_message (row);
  g_autoptr(GMenu) menu = NULL;
  g_autoptr(GMenu) copying = NULL;
  g_autofree char *link = NULL;
  graphene_point_t point;
  GdkRectangle rect;

  if (message == NULL)
    return;

  g_set_object (&self->menu_message, message);
  g_set_weak_pointer (&self->menu_row, row);

  menu = g_menu_new ();
  _tertulia_chat_page_add_conversation_items (self, menu, message);

  /* A deleted message has no text left to copy */
  copying = g_menu_new ();
  if (!tertulia_message_get_deleted (message))
    g_menu_append (copying, _("_Copy Message"), "message.copy");
  if (tertulia_message_get_kind (message) != TERTULIA_MESSAGE_KIND_NOTICE &&
      tertulia_message_get_author (message) != NULL &&
      !tertulia_message_get_is_own (message))
    g_menu_append (copying, _("_Mention"), "message.mention");
  if (!tertulia_message_get_deleted (message))
    link = dup_first_link (tertulia_message_get_text (message));
  if (link != NULL)
    g_menu_append (copying, _("Copy _Link"), "message.copy-link");
  if (g_menu_model_get_n_items (G_MENU_MODEL (copying)) > 0)
    g_menu_append_section (menu, NULL, G_MENU_MODEL (copying));
  _tertulia_chat_page_add_reaction_items (self, menu, message);

  if (self->message_menu == NULL)
    {
      self->message_menu = gtk_popover_menu_new_from_model (NULL);
      gtk_popover_set_has_arrow (GTK_POPOVER (self->message_menu), FALSE);
      gtk_widget_set_halign (self->message_menu, GTK_ALIGN_START);
      gtk_widget_set_parent (self->message_menu, GTK_WIDGET (self));
      g_signal_connect_object (self->message_menu, "closed",
                               G_CALLBACK (popover_closed_cb), self, G_CONNECT_SWAPPED);
    }

  gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->message_menu), G_MENU_MODEL (menu));

  if (x < 0)
    {
      x = 24;
      y = gtk_widget_get_height (GTK_WIDGET (row));
    }

  if (!gtk_widget_compute_point (GTK_WIDGET (row), GTK_WIDGET (self),
                                 &GRAPHENE_POINT_INIT (x, y), &point))
    point = GRAPHENE_POINT_INIT (0, 0);

  rect = (GdkRectangle) { (int)point.x, (int)point.y, 1, 1 };
  gtk_popover_set_pointing_to (GTK_POPOVER (self->message_menu), &rect);
  gtk_popover_popup (GTK_POPOVER (self->message_menu));
}

static void
pressed_cb (TertuliaChatPage *self,
            int               n_press,
            double            x,
            double            y,
            GtkGestureClick  *gesture)
{
  GtkWidget *view = GTK_WIDGET (self->message_view);
  GtkWidget *picked = gtk_widget_pick (view, x, y, GTK_PICK_DEFAULT);
  TertuliaMessageRow *row = find_row (self, picked);
  graphene_point_t point;

  if (row == NULL)
    return;

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);

  if (!gtk_widget_compute_point (view, GTK_WIDGET (row), &GRAPHENE_POINT_INIT (x, y), &point))
    point = GRAPHENE_POINT_INIT (-1, -1);

  open_menu (self, row, point.x, point.y);
}

/* The log's own bindings move between rows once one has the focus; these
 * get there: Shift+Tab from the entry lands on the newest message.
 */
static gboolean
view_key_pressed_cb (TertuliaChatPage      *self,
                     guint                  keyval,
                     guint                  keycode,
                     GdkModifierType        state,
                     GtkEventControllerKey *controller)
{
  GdkModifierType mods = state & gtk_accelerator_get_default_mod_mask ();
  TertuliaMessageRow *row;

  if (keyval == GDK_KEY_Menu ||
      (keyval == GDK_KEY_F10 && mods == GDK_SHIFT_MASK))
    {
      row = find_focused_row (self);
      if (row == NULL)
        return GDK_EVENT_PROPAGATE;

      open_menu (self, row, -1, -1);
      return GDK_EVENT_STOP;
    }

  /* Enter on a reply goes to the message it answers, as its quote does */
  if ((keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter) && mods == 0 &&
      (row = find_focused_row (self)) != NULL)
    {
      GtkWidget *quote = _tertulia_message_row_get_quote_button (row);

      if (quote != NULL && gtk_widget_get_visible (quote))
        {
          gtk_widget_activate (quote);
          return GDK_EVENT_STOP;
        }
    }

  return GDK_EVENT_PROPAGATE;
}

/* For tests: @row's menu, as the Menu key opens it */
void
_tertulia_chat_page_open_message_menu (TertuliaChatPage   *self,
                                       TertuliaMessageRow *row)
{
  open_menu (self, row, -1, -1);
}

gboolean
_tertulia_chat_page_focus_last_message (TertuliaChatPage *self)
{
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (self->message_view));
  guint n = model != NULL ? g_list_model_get_n_items (model) : 0;
  g_autoptr(TertuliaMessage) last = NULL;

  if (n == 0)
    return FALSE;

  last = g_list_model_get_item (model, n - 1);

  /* Brings the row in (and makes it the view's focus item), then the
   * keyboard focus to it.
   */
  gtk_widget_activate_action (GTK_WIDGET (self->message_view),
                              "list.scroll-to-item", "u", n - 1);

  for (GtkWidget *item = gtk_widget_get_last_child (GTK_WIDGET (self->message_view));
       item != NULL;
       item = gtk_widget_get_prev_sibling (item))
    {
      GtkWidget *child = gtk_widget_get_first_child (item);

      if (TERTULIA_IS_MESSAGE_ROW (child) &&
          tertulia_message_row_get_message (TERTULIA_MESSAGE_ROW (child)) == last)
        {
          gboolean r = gtk_widget_grab_focus (item);
                  return r;
        }
    }

  return gtk_widget_child_focus (GTK_WIDGET (self->message_view), GTK_DIR_TAB_BACKWARD);
}

/* A message's "Resend" button (TertuliaMessageRow), by the message's cid */
static void
resend_message_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  TertuliaChatPage *self = TERTULIA_CHAT_PAGE (widget);
  TertuliaRoom *room = _tertulia_chat_page_get_room (self);
  TertuliaMessage *message;
  g_autoptr(GError) error = NULL;

  if (room == NULL)
    return;

  message = tertulia_room_find_own_message (room, g_variant_get_string (parameter, NULL));
  if (message != NULL && !tertulia_client_resend_message (self->client, message, &error))
    g_debug ("Not resent: %s", error->message);
}

void
_tertulia_chat_page_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "chat.resend-message", "s", resend_message_action);
  gtk_widget_class_install_action (widget_class, "message.copy", NULL, copy_message_action);
  gtk_widget_class_install_action (widget_class, "message.mention", NULL, mention_action);
  gtk_widget_class_install_action (widget_class, "message.copy-link", NULL, copy_link_action);
}

void
_tertulia_chat_page_init_actions (TertuliaChatPage *self)
{
  GtkEventController *controller;
  GtkGesture *gesture;

  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_SECONDARY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (gesture), GTK_PHASE_CAPTURE);
  g_signal_connect_object (gesture, "pressed", G_CALLBACK (pressed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->message_view), GTK_EVENT_CONTROLLER (gesture));

  controller = gtk_event_controller_key_new ();
  g_signal_connect_object (controller, "key-pressed",
                           G_CALLBACK (view_key_pressed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->message_view), controller);
}

void
_tertulia_chat_page_dispose_actions (TertuliaChatPage *self)
{
  g_clear_pointer (&self->message_menu, gtk_widget_unparent);
  g_clear_object (&self->menu_message);
  g_clear_weak_pointer (&self->menu_row);
}

GtkWidget *
_tertulia_chat_page_get_message_menu (TertuliaChatPage *self)
{
  g_return_val_if_fail (TERTULIA_IS_CHAT_PAGE (self), NULL);

  return self->message_menu;
}

/* tertulia-chat-page-private-messages.c — private conversations beside the
 * room: their list in the sidebar with unread counts, one shown instead of
 * the room's log, and /msg
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-chat-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tertulia-chat-page-private.h"
#include "tertulia-conversation-page.h"
#include "tertulia-participant.h"

static TertuliaConversation *
get_shown (TertuliaChatPage *self)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "conversation") != 0)
    return NULL;

  return tertulia_conversation_page_get_conversation (self->conversation_page);
}

TertuliaConversation *
tertulia_chat_page_get_shown_conversation (TertuliaChatPage *self)
{
  g_return_val_if_fail (TERTULIA_IS_CHAT_PAGE (self), NULL);

  return get_shown (self);
}

/* A conversation you are looking at is read: the window is in front and
 * it is on screen.
 */
void
_tertulia_chat_page_mark_shown_read (TertuliaChatPage *self)
{
  TertuliaConversation *shown = get_shown (self);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (shown == NULL || !GTK_IS_WINDOW (root) || !gtk_window_is_active (GTK_WINDOW (root)) ||
      !gtk_widget_get_mapped (GTK_WIDGET (self->conversation_page)))
    return;

  if (tertulia_conversation_get_unread (shown) > 0)
    tertulia_conversation_mark_read (shown);
}

/* Everything unread, on the participants button: at phone width the
 * sidebar is folded away.
 */
static void
update_unread_badge (TertuliaChatPage *self)
{
  TertuliaRoom *room = _tertulia_chat_page_get_room (self);
  GListModel *conversations = room != NULL ? tertulia_room_get_conversations (room) : NULL;
  guint n = conversations != NULL ? g_list_model_get_n_items (conversations) : 0;
  guint unread = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TertuliaConversation) conversation = g_list_model_get_item (conversations, i);

      unread += tertulia_conversation_get_unread (conversation);
    }

  if (unread > 0)
    {
      g_autofree char *count = g_strdup_printf ("%u", unread);
      g_autofree char *spoken = NULL;

      /* Translators: said by screen readers for the participants button */
      spoken = g_strdup_printf (ngettext ("%u unread private message",
                                          "%u unread private messages", unread),
                                unread);
      gtk_label_set_text (self->unread_badge, count);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->participants_button),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, spoken,
                                      -1);
    }
  else
    {
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self->participants_button),
                                     GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->unread_badge), unread > 0);
  gtk_widget_set_visible (self->conversations_heading, n > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->conversation_list), n > 0);
}

/* The sidebar's rows: the person's name and what is unread */

static void
update_conversation_row (GtkWidget            *row,
                         GParamSpec           *pspec,
                         TertuliaConversation *conversation)
{
  GtkLabel *name = g_object_get_data (G_OBJECT (row), "tertulia-name");
  GtkLabel *badge = g_object_get_data (G_OBJECT (row), "tertulia-badge");
  const char *nick = tertulia_conversation_get_nick (conversation);
  guint unread = tertulia_conversation_get_unread (conversation);
  gboolean present = tertulia_conversation_get_present (conversation);
  g_autoptr(GString) spoken = g_string_new (nick);
  g_autofree char *count = g_strdup_printf ("%u", unread);

  gtk_label_set_text (name, nick != NULL ? nick : "");
  gtk_label_set_text (badge, count);
  gtk_widget_set_visible (GTK_WIDGET (badge), unread > 0);
  if (present)
    gtk_widget_remove_css_class (GTK_WIDGET (name), "dim-label");
  else
    gtk_widget_add_css_class (GTK_WIDGET (name), "dim-label");

  if (unread > 0)
    g_string_append_printf (spoken, ", %s", count);
  if (!present)
    /* Translators: said by screen readers after the name of someone who left */
    g_string_append_printf (spoken, ", %s", _("not in the room"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, spoken->str,
                                  -1);
}

static void
conversation_unread_cb (TertuliaChatPage     *self,
                        GParamSpec           *pspec,
                        TertuliaConversation *conversation)
{
  if (conversation == get_shown (self))
    _tertulia_chat_page_mark_shown_read (self);
  update_unread_badge (self);
}

static GtkWidget *
create_conversation_row (gpointer item,
                         gpointer user_data)
{
  TertuliaChatPage *self = user_data;
  TertuliaConversation *conversation = item;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *icon = gtk_image_new_from_icon_name ("mail-unread-symbolic");
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *badge = gtk_label_new (NULL);

  gtk_widget_set_hexpand (name, TRUE);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (badge, "unread-badge");
  gtk_widget_add_css_class (badge, "numeric");
  gtk_widget_add_css_class (badge, "caption");
  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), badge);
  gtk_widget_add_css_class (box, "participant-row");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  g_object_set_data (G_OBJECT (row), "tertulia-name", name);
  g_object_set_data (G_OBJECT (row), "tertulia-badge", badge);
  g_object_set_data_full (G_OBJECT (row), "tertulia-conversation",
                          g_object_ref (conversation), g_object_unref);

  g_signal_connect_object (conversation, "notify::unread", G_CALLBACK (update_conversation_row), row, G_CONNECT_SWAPPED);
  g_signal_connect_object (conversation, "notify::nick", G_CALLBACK (update_conversation_row), row, G_CONNECT_SWAPPED);
  g_signal_connect_object (conversation, "notify::present", G_CALLBACK (update_conversation_row), row, G_CONNECT_SWAPPED);
  g_signal_connect_object (conversation, "notify::unread", G_CALLBACK (conversation_unread_cb), self, G_CONNECT_SWAPPED);
  update_conversation_row (row, NULL, conversation);

  if (conversation == get_shown (self))
    gtk_list_box_select_row (self->conversation_list, GTK_LIST_BOX_ROW (row));

  return row;
}

static void
select_shown_row (TertuliaChatPage *self)
{
  TertuliaConversation *shown = get_shown (self);

  gtk_list_box_unselect_all (self->conversation_list);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->conversation_list));
       row != NULL && shown != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      if (g_object_get_data (G_OBJECT (row), "tertulia-conversation") == shown)
        {
          gtk_list_box_select_row (self->conversation_list, GTK_LIST_BOX_ROW (row));
          break;
        }
    }
}

static void
conversations_changed_cb (TertuliaChatPage *self)
{
  select_shown_row (self);
  update_unread_badge (self);
}

/* Showing a conversation, or the room */

void
_tertulia_chat_page_show_conversation (TertuliaChatPage     *self,
                                       TertuliaConversation *conversation,
                                       gboolean              focus)
{
  gboolean changed = conversation != get_shown (self);

  tertulia_conversation_page_set_conversation (self->conversation_page, conversation);
  gtk_stack_set_visible_child_name (self->content_stack, conversation != NULL ? "conversation" : "room");

  /* At phone width the sidebar covers the page: out of the way. */
  if (adw_flap_get_folded (self->flap))
    adw_flap_set_reveal_flap (self->flap, FALSE);

  select_shown_row (self);
  _tertulia_chat_page_mark_shown_read (self);

  if (focus)
    {
      if (conversation != NULL)
        tertulia_conversation_page_focus_entry (self->conversation_page);
      else
        tertulia_chat_page_focus_entry (self);
    }

  if (changed)
    _tertulia_chat_page_notify_conversation (self);
}

gboolean
_tertulia_chat_page_show_conversation_with (TertuliaChatPage    *self,
                                            TertuliaParticipant *participant,
                                            gboolean             focus)
{
  TertuliaRoom *room = _tertulia_chat_page_get_room (self);
  TertuliaConversation *conversation;

  if (room == NULL)
    return FALSE;

  conversation = tertulia_room_open_conversation (room, tertulia_participant_get_id (participant));
  if (conversation == NULL)
    return FALSE;

  _tertulia_chat_page_show_conversation (self, conversation, focus);
  return TRUE;
}

static void
conversation_activated_cb (TertuliaChatPage *self,
                           GtkListBoxRow    *row,
                           GtkListBox       *list)
{
  TertuliaConversation *conversation = g_object_get_data (G_OBJECT (row), "tertulia-conversation");

  if (conversation != NULL)
    _tertulia_chat_page_show_conversation (self, conversation, TRUE);
}

static void
show_room_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  _tertulia_chat_page_show_conversation (TERTULIA_CHAT_PAGE (widget), NULL, TRUE);
}

gboolean
_tertulia_chat_page_show_conversation_by_id (TertuliaChatPage *self,
                                             gint64            peer_id)
{
  TertuliaRoom *room = _tertulia_chat_page_get_room (self);
  TertuliaConversation *conversation = room != NULL ? tertulia_room_find_conversation (room, peer_id) : NULL;

  if (conversation == NULL)
    return FALSE;

  _tertulia_chat_page_show_conversation (self, conversation, TRUE);
  return TRUE;
}

static void
show_conversation_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  _tertulia_chat_page_show_conversation_by_id (TERTULIA_CHAT_PAGE (widget),
                                               g_variant_get_int64 (parameter));
}

void
_tertulia_chat_page_private_messages_set_room (TertuliaChatPage *self,
                                            TertuliaRoom     *room)
{
  GListModel *conversations = room != NULL ? tertulia_room_get_conversations (room) : NULL;

  _tertulia_chat_page_show_conversation (self, NULL, FALSE);
  tertulia_conversation_page_set_client (self->conversation_page, self->client);
  gtk_list_box_bind_model (self->conversation_list, conversations,
                           create_conversation_row, self, NULL);
  g_signal_group_set_target (self->conversations_signals, conversations);
  update_unread_badge (self);
}

void
_tertulia_chat_page_class_init_private_messages (GtkWidgetClass *widget_class)
{
  g_type_ensure (TERTULIA_TYPE_CONVERSATION_PAGE);

  gtk_widget_class_bind_template_child (widget_class, TertuliaChatPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, TertuliaChatPage, conversation_page);
  gtk_widget_class_bind_template_child (widget_class, TertuliaChatPage, conversations_heading);
  gtk_widget_class_bind_template_child (widget_class, TertuliaChatPage, conversation_list);
  gtk_widget_class_bind_template_child (widget_class, TertuliaChatPage, unread_badge);
  gtk_widget_class_bind_template_child (widget_class, TertuliaChatPage, participants_button);
  gtk_widget_class_bind_template_callback (widget_class, conversation_activated_cb);

  gtk_widget_class_install_action (widget_class, "chat.show-room", NULL, show_room_action);
  gtk_widget_class_install_action (widget_class, "chat.show-conversation", "x", show_conversation_action);
}

void
_tertulia_chat_page_init_private_messages (TertuliaChatPage *self)
{
  self->conversations_signals = g_signal_group_new (G_TYPE_LIST_MODEL);
  g_signal_group_connect_object (self->conversations_signals, "items-changed",
                                 G_CALLBACK (conversations_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->conversation_page, "map",
                           G_CALLBACK (_tertulia_chat_page_mark_shown_read), self, G_CONNECT_SWAPPED);
}

void
_tertulia_chat_page_dispose_private_messages (TertuliaChatPage *self)
{
  if (self->conversation_list != NULL)
    gtk_list_box_bind_model (self->conversation_list, NULL, NULL, NULL, NULL);
  g_clear_object (&self->conversations_signals);
}

/* tertulia-conversation-page.c — a private conversation with one person:
 * its own log and its own entry, apart from the room's
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-conversation-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tertulia-conversation-page.h"
#include "tertulia-message-row.h"
#include "tertulia-participant.h"
#include "tertulia-participant-row.h"

struct _TertuliaConversationPage
{
  GtkBox                parent_instance;

  /* Widgets */
  GtkLabel             *title_label;
  GtkLabel             *subtitle_label;
  GtkScrolledWindow    *scroller;
  GtkListView          *message_view;
  GtkWidget            *empty_page;
  GtkRevealer          *status_revealer;
  GtkLabel             *status_label;
  GtkTextView          *entry;
  GtkWidget            *placeholder_label;
  GtkWidget            *send_button;

  /* Owned references */
  TertuliaClient       *client;
  TertuliaConversation *conversation;
  GSignalGroup         *conversation_signals;
  GSignalGroup         *room_signals;
  GSignalGroup         *messages_signals;
  char                 *status;

  guint                 scroll_idle_id;
};

G_DEFINE_FINAL_TYPE (TertuliaConversationPage, tertulia_conversation_page, GTK_TYPE_BOX)

static TertuliaRoom *
get_room (TertuliaConversationPage *self)
{
  return self->client != NULL ? tertulia_client_get_room (self->client) : NULL;
}

static const char *
get_nick (TertuliaConversationPage *self)
{
  const char *nick = self->conversation != NULL ? tertulia_conversation_get_nick (self->conversation) : NULL;

  return nick != NULL ? nick : "";
}

static gboolean
scroll_to_bottom_cb (gpointer user_data)
{
  TertuliaConversationPage *self = user_data;
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (self->message_view));
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  guint n = model != NULL ? g_list_model_get_n_items (model) : 0;

  self->scroll_idle_id = 0;

  if (n > 0)
    gtk_widget_activate_action (GTK_WIDGET (self->message_view), "list.scroll-to-item", "u", n - 1);
  gtk_adjustment_set_value (adjustment,
                            gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment));

  return G_SOURCE_REMOVE;
}

static void
queue_scroll_to_bottom (TertuliaConversationPage *self)
{
  if (self->scroll_idle_id == 0)
    self->scroll_idle_id = g_idle_add (scroll_to_bottom_cb, self);
}

static void
messages_changed_cb (TertuliaConversationPage *self,
                     guint                     position,
                     guint                     removed,
                     guint                     added,
                     GListModel               *model)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  gboolean at_bottom = gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment)
                       >= gtk_adjustment_get_upper (adjustment) - 8.0;

  gtk_widget_set_visible (self->empty_page, g_list_model_get_n_items (model) == 0);

  /* A conversation is short and read as it goes: it follows new
   * messages unless you scrolled back.
   */
  if (added > 0 && at_bottom)
    queue_scroll_to_bottom (self);
}

/* Whether you can write now, and if not, why: the person left, private
 * messages were turned off, or you are muted.
 */
static void
update_status (TertuliaConversationPage *self)
{
  TertuliaRoom *room = get_room (self);
  TertuliaParticipant *you = room != NULL ? tertulia_room_get_you (room) : NULL;
  TertuliaParticipant *peer = NULL;
  g_autofree char *status = NULL;

  if (room != NULL && self->conversation != NULL)
    peer = tertulia_room_find_participant (room, tertulia_conversation_get_peer_id (self->conversation));

  if (self->conversation == NULL || room == NULL)
    status = NULL;
  else if (!tertulia_conversation_get_present (self->conversation) || peer == NULL)
    /* Translators: in a private conversation, %s is the other person's nickname */
    status = g_strdup_printf (_("%s is not in the room: messages cannot reach them."), get_nick (self));
  else if (you != NULL && tertulia_participant_get_muted (you))
    status = g_strdup (_("You are muted: you can read, but not send messages."));
  else if (tertulia_room_get_private_messages (room) == TERTULIA_PRIVATE_MESSAGES_OFF)
    status = g_strdup (_("The host has turned private messages off."));
  else if (tertulia_room_get_private_messages (room) == TERTULIA_PRIVATE_MESSAGES_HOSTS &&
           !tertulia_room_can_message_privately (room, peer))
    status = g_strdup (_("The host allows private messages only with hosts."));

  g_free (self->status);
  self->status = g_steal_pointer (&status);

  if (self->status != NULL)
    gtk_label_set_text (self->status_label, self->status);
  gtk_revealer_set_reveal_child (self->status_revealer, self->status != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->status_revealer), self->status != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->entry), self->status == NULL);
  gtk_widget_set_sensitive (self->send_button, self->status == NULL);
}

static void
update_title (TertuliaConversationPage *self)
{
  g_autofree char *subtitle = NULL;

  gtk_label_set_text (self->title_label, get_nick (self));
  /* Translators: under the name of the person in a private conversation */
  subtitle = g_strdup_printf (_("Private: only you and %s see these messages. The host’s computer relays them."),
                              get_nick (self));
  gtk_label_set_text (self->subtitle_label, subtitle);
  update_status (self);
}

/* The rows */

static void
update_grouping (TertuliaConversationPage *self,
                 GtkListItem              *list_item)
{
  GtkWidget *row = gtk_list_item_get_child (list_item);
  TertuliaMessage *message = gtk_list_item_get_item (list_item);
  guint position = gtk_list_item_get_position (list_item);
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (self->message_view));
  g_autoptr(TertuliaMessage) previous = NULL;

  if (row == NULL || message == NULL)
    return;

  if (model != NULL && position != GTK_INVALID_LIST_POSITION && position > 0)
    previous = g_list_model_get_item (model, position - 1);

  tertulia_message_row_set_grouped (TERTULIA_MESSAGE_ROW (row),
                                    previous != NULL && tertulia_message_row_continues (previous, message));
}

static void
position_changed_cb (GtkListItem              *list_item,
                     GParamSpec               *pspec,
                     TertuliaConversationPage *self)
{
  update_grouping (self, list_item);
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          TertuliaConversationPage *self)
{
  gtk_list_item_set_activatable (list_item, FALSE);
  gtk_list_item_set_child (list_item, tertulia_message_row_new ());
  g_signal_connect_object (list_item, "notify::position", G_CALLBACK (position_changed_cb), self, 0);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *list_item,
         TertuliaConversationPage *self)
{
  tertulia_message_row_set_message (TERTULIA_MESSAGE_ROW (gtk_list_item_get_child (list_item)),
                                    gtk_list_item_get_item (list_item));
  update_grouping (self, list_item);
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           TertuliaConversationPage *self)
{
  tertulia_message_row_set_message (TERTULIA_MESSAGE_ROW (gtk_list_item_get_child (list_item)), NULL);
}

/* The entry */

static char *
dup_entry_text (TertuliaConversationPage *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->entry);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);

  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

gboolean
tertulia_conversation_page_submit (TertuliaConversationPage *self)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (TERTULIA_IS_CONVERSATION_PAGE (self), FALSE);

  if (self->client == NULL || self->conversation == NULL || self->status != NULL)
    return FALSE;

  text = g_strstrip (dup_entry_text (self));
  if (*text == '\0')
    return FALSE;

  if (tertulia_client_send_private (self->client,
                                    tertulia_conversation_get_peer_id (self->conversation),
                                    text) == NULL)
    {
      gtk_widget_error_bell (GTK_WIDGET (self->entry));
      return FALSE;
    }

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->entry), "", -1);
  queue_scroll_to_bottom (self);

  return TRUE;
}

static gboolean
entry_key_pressed_cb (TertuliaConversationPage *self,
                      guint                     keyval,
                      guint                     keycode,
                      GdkModifierType           state,
                      GtkEventControllerKey    *controller)
{
  /* Enter sends; Shift+Enter is a new line, as in the room. */
  if ((keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter) &&
      (state & (GDK_SHIFT_MASK | GDK_CONTROL_MASK | GDK_ALT_MASK)) == 0)
    {
      tertulia_conversation_page_submit (self);
      return GDK_EVENT_STOP;
    }

  /* Escape goes back to the room. */
  if (keyval == GDK_KEY_Escape)
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "chat.show-room", NULL);
      return GDK_EVENT_STOP;
    }

  return GDK_EVENT_PROPAGATE;
}

static void
entry_changed_cb (TertuliaConversationPage *self)
{
  gtk_widget_set_visible (self->placeholder_label,
                          gtk_text_buffer_get_char_count (gtk_text_view_get_buffer (self->entry)) == 0);
}

static void
send_clicked_cb (TertuliaConversationPage *self)
{
  tertulia_conversation_page_submit (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

/* GObject */

static void
tertulia_conversation_page_dispose (GObject *object)
{
  TertuliaConversationPage *self = (TertuliaConversationPage *)object;

  g_clear_handle_id (&self->scroll_idle_id, g_source_remove);
  if (self->message_view != NULL)
    gtk_list_view_set_model (self->message_view, NULL);
  g_clear_object (&self->conversation_signals);
  g_clear_object (&self->room_signals);
  g_clear_object (&self->messages_signals);
  g_clear_object (&self->conversation);
  g_clear_object (&self->client);
  g_clear_pointer (&self->status, g_free);

  G_OBJECT_CLASS (tertulia_conversation_page_parent_class)->dispose (object);
}

static void
tertulia_conversation_page_class_init (TertuliaConversationPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tertulia_conversation_page_dispose;
}

static GtkWidget *
new_top_bar (TertuliaConversationPage *self)
{
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *titles = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *back = gtk_button_new_from_icon_name ("go-previous-symbolic");

  gtk_widget_add_css_class (bar, "conversation-bar");

  gtk_widget_set_valign (back, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (back, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (back), "chat.show-room");
  gtk_widget_set_tooltip_text (back, _("Back to the Room"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (back),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Back to the Room"),
                                  -1);
  gtk_box_append (GTK_BOX (bar), back);

  self->title_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->title_label, 0);
  gtk_label_set_ellipsize (self->title_label, PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (GTK_WIDGET (self->title_label), "heading");
  gtk_box_append (GTK_BOX (titles), GTK_WIDGET (self->title_label));

  self->subtitle_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->subtitle_label, 0);
  gtk_label_set_wrap (self->subtitle_label, TRUE);
  gtk_label_set_wrap_mode (self->subtitle_label, PANGO_WRAP_WORD_CHAR);
  gtk_widget_add_css_class (GTK_WIDGET (self->subtitle_label), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (self->subtitle_label), "dim-label");
  gtk_box_append (GTK_BOX (titles), GTK_WIDGET (self->subtitle_label));

  gtk_widget_set_hexpand (titles, TRUE);
  gtk_widget_set_valign (titles, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (bar), titles);

  return bar;
}

static GtkWidget *
new_composer (TertuliaConversationPage *self)
{
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *overlay = gtk_overlay_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkEventController *controller;

  gtk_widget_add_css_class (bar, "entry-bar");

  self->entry = GTK_TEXT_VIEW (gtk_text_view_new ());
  gtk_text_view_set_wrap_mode (self->entry, GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (self->entry, FALSE);
  gtk_text_view_set_top_margin (self->entry, 7);
  gtk_text_view_set_bottom_margin (self->entry, 7);
  gtk_text_view_set_left_margin (self->entry, 9);
  gtk_text_view_set_right_margin (self->entry, 9);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Private Message"),
                                  -1);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_EXTERNAL);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 112);
  gtk_widget_add_css_class (scroller, "composer");
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->entry));
  gtk_overlay_set_child (GTK_OVERLAY (overlay), scroller);

  self->placeholder_label = gtk_label_new (_("Private Message"));
  gtk_widget_set_halign (self->placeholder_label, GTK_ALIGN_START);
  gtk_widget_set_valign (self->placeholder_label, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_start (self->placeholder_label, 10);
  gtk_widget_set_can_target (self->placeholder_label, FALSE);
  gtk_widget_add_css_class (self->placeholder_label, "dim-label");
  g_object_set (self->placeholder_label, "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION, NULL);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), self->placeholder_label);
  gtk_widget_set_hexpand (overlay, TRUE);
  gtk_widget_set_valign (overlay, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (bar), overlay);

  self->send_button = gtk_button_new_from_icon_name ("go-up-symbolic");
  gtk_widget_set_valign (self->send_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (self->send_button, _("Send"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->send_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Send"),
                                  -1);
  gtk_widget_add_css_class (self->send_button, "circular");
  gtk_widget_add_css_class (self->send_button, "suggested-action");
  g_signal_connect_object (self->send_button, "clicked", G_CALLBACK (send_clicked_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (bar), self->send_button);

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (entry_key_pressed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->entry), controller);
  g_signal_connect_object (gtk_text_view_get_buffer (self->entry), "changed",
                           G_CALLBACK (entry_changed_cb), self, G_CONNECT_SWAPPED);

  return bar;
}

static void
tertulia_conversation_page_init (TertuliaConversationPage *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkWidget *overlay = gtk_overlay_new ();
  GtkWidget *status_box;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);

  gtk_box_append (GTK_BOX (self), new_top_bar (self));

  g_signal_connect_object (factory, "setup", G_CALLBACK (setup_cb), self, 0);
  g_signal_connect_object (factory, "bind", G_CALLBACK (bind_cb), self, 0);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (unbind_cb), self, 0);
  self->message_view = GTK_LIST_VIEW (gtk_list_view_new (NULL, g_object_ref (factory)));
  gtk_widget_add_css_class (GTK_WIDGET (self->message_view), "message-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->message_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Private Messages"),
                                  -1);

  self->scroller = GTK_SCROLLED_WINDOW (gtk_scrolled_window_new ());
  gtk_scrolled_window_set_policy (self->scroller, GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (self->scroller, GTK_WIDGET (self->message_view));
  gtk_overlay_set_child (GTK_OVERLAY (overlay), GTK_WIDGET (self->scroller));

  self->empty_page = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->empty_page), "mail-unread-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (self->empty_page), _("Private Conversation"));
  adw_status_page_set_description (ADW_STATUS_PAGE (self->empty_page),
                                   _("No one else in the room sees these messages, and they are not kept in its history. They go through the host’s computer, like everything in the room."));
  gtk_widget_add_css_class (self->empty_page, "compact");
  gtk_widget_set_can_target (self->empty_page, FALSE);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), self->empty_page);
  gtk_widget_set_vexpand (overlay, TRUE);
  gtk_box_append (GTK_BOX (self), overlay);

  status_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (status_box, "composer-status");
  self->status_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->status_label, TRUE);
  gtk_label_set_xalign (self->status_label, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (self->status_label), TRUE);
  gtk_box_append (GTK_BOX (status_box), GTK_WIDGET (self->status_label));
  self->status_revealer = GTK_REVEALER (gtk_revealer_new ());
  gtk_revealer_set_child (self->status_revealer, status_box);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->status_revealer));

  gtk_box_append (GTK_BOX (self), new_composer (self));

  self->conversation_signals = g_signal_group_new (TERTULIA_TYPE_CONVERSATION);
  g_signal_group_connect_object (self->conversation_signals, "notify::present",
                                 G_CALLBACK (update_status), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->conversation_signals, "notify::nick",
                                 G_CALLBACK (update_title), self, G_CONNECT_SWAPPED);

  self->room_signals = g_signal_group_new (TERTULIA_TYPE_ROOM);
  g_signal_group_connect_object (self->room_signals, "notify::private-messages",
                                 G_CALLBACK (update_status), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->room_signals, "notify::n-participants",
                                 G_CALLBACK (update_status), self, G_CONNECT_SWAPPED);

  self->messages_signals = g_signal_group_new (G_TYPE_LIST_MODEL);
  g_signal_group_connect_object (self->messages_signals, "items-changed",
                                 G_CALLBACK (messages_changed_cb), self, G_CONNECT_SWAPPED);

  update_title (self);
}

GtkWidget *
tertulia_conversation_page_new (void)
{
  return g_object_new (TERTULIA_TYPE_CONVERSATION_PAGE, NULL);
}

void
tertulia_conversation_page_set_client (TertuliaConversationPage *self,
                                       TertuliaClient           *client)
{
  g_return_if_fail (TERTULIA_IS_CONVERSATION_PAGE (self));

  if (!g_set_object (&self->client, client))
    return;

  tertulia_conversation_page_set_conversation (self, NULL);
  g_signal_group_set_target (self->room_signals, get_room (self));
}

TertuliaConversation *
tertulia_conversation_page_get_conversation (TertuliaConversationPage *self)
{
  g_return_val_if_fail (TERTULIA_IS_CONVERSATION_PAGE (self), NULL);

  return self->conversation;
}

void
tertulia_conversation_page_set_conversation (TertuliaConversationPage *self,
                                             TertuliaConversation     *conversation)
{
  GListModel *messages = NULL;

  g_return_if_fail (TERTULIA_IS_CONVERSATION_PAGE (self));
  g_return_if_fail (!conversation || TERTULIA_IS_CONVERSATION (conversation));

  if (self->conversation == conversation)
    return;

  g_set_object (&self->conversation, conversation);
  g_signal_group_set_target (self->conversation_signals, conversation);

  if (conversation != NULL)
    messages = tertulia_conversation_get_messages (conversation);
  g_signal_group_set_target (self->messages_signals, messages);

  if (messages != NULL)
    {
      g_autoptr(GtkNoSelection) selection = gtk_no_selection_new (g_object_ref (messages));

      gtk_list_view_set_model (self->message_view, GTK_SELECTION_MODEL (selection));
      gtk_widget_set_visible (self->empty_page, g_list_model_get_n_items (messages) == 0);
    }
  else
    {
      gtk_list_view_set_model (self->message_view, NULL);
      gtk_widget_set_visible (self->empty_page, TRUE);
    }

  /* What was typed to one person never goes to another. */
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->entry), "", -1);
  update_title (self);
  queue_scroll_to_bottom (self);
}

void
tertulia_conversation_page_focus_entry (TertuliaConversationPage *self)
{
  g_return_if_fail (TERTULIA_IS_CONVERSATION_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

GtkTextView *
_tertulia_conversation_page_get_entry (TertuliaConversationPage *self)
{
  return self->entry;
}

GtkListView *
_tertulia_conversation_page_get_message_view (TertuliaConversationPage *self)
{
  return self->message_view;
}

GtkLabel *
_tertulia_conversation_page_get_title_label (TertuliaConversationPage *self)
{
  return self->title_label;
}

const char *
_tertulia_conversation_page_get_status (TertuliaConversationPage *self)
{
  return self->status;
}

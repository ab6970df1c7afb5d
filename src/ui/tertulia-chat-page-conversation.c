/* tertulia-chat-page-conversation.c — replies, reactions, edits, deletions
 * and who is typing
 *
 * The message menu offers Reply, the quick reactions (and the emoji
 * chooser for the rest), Edit and Delete; replying and editing are modes
 * of the entry, shown by a bar above it that Escape (or its button)
 * leaves. Up in an empty entry edits your last message, as in other chat
 * apps. A line under the log says who is typing.
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-chat-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tertulia-chat-page-private.h"
#include "tertulia-message-reactions.h"

/* Whether you may delete others' messages: you are the host or a co-host */
gboolean
_tertulia_chat_page_you_moderate (TertuliaChatPage *self)
{
  TertuliaRoom *room = _tertulia_chat_page_get_room (self);

  return room != NULL && tertulia_room_get_you_moderate (room);
}

/* A message of the room's log that one may answer or react to: said by
 * someone (not a notice, not a file), accepted by the host, still there
 */
static gboolean
is_conversable (TertuliaMessage *message)
{
  TertuliaMessageKind kind = tertulia_message_get_kind (message);

  return (kind == TERTULIA_MESSAGE_KIND_CHAT || kind == TERTULIA_MESSAGE_KIND_ACTION) &&
         tertulia_message_get_seq (message) > 0 &&
         tertulia_message_get_state (message) == TERTULIA_MESSAGE_STATE_DELIVERED &&
         !tertulia_message_get_deleted (message);
}

static gboolean
can_edit (TertuliaMessage *message)
{
  return is_conversable (message) && tertulia_message_get_is_own (message);
}

static gboolean
can_delete (TertuliaChatPage *self,
            TertuliaMessage  *message)
{
  return is_conversable (message) &&
         (tertulia_message_get_is_own (message) || _tertulia_chat_page_you_moderate (self));
}

/* The bar above the entry */

static void
show_compose_bar (TertuliaChatPage *self)
{
  g_autofree char *text = NULL;
  const char *cancel = NULL;

  if (self->edit_message != NULL)
    {
      text = g_strdup (_("Editing message"));
      cancel = _("Cancel Editing");
    }
  else if (self->reply_message != NULL)
    {
      g_autofree char *line = tertulia_message_row_dup_first_line (tertulia_message_get_text (self->reply_message));
      const char *author = tertulia_message_get_author (self->reply_message);

      /* Translators: above the message entry; %s are a nickname and the first line of their message */
      text = g_strdup_printf (_("Replying to %s: %s"), author != NULL ? author : "", line);
      cancel = _("Cancel Reply");
    }

  if (text != NULL)
    {
      gtk_label_set_text (self->compose_label, text);
      gtk_widget_set_tooltip_text (self->compose_cancel, cancel);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->compose_cancel),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, cancel, -1);
      /* The entry says what it is doing, for those who do not see the bar */
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
    }
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self->entry), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);

  gtk_widget_set_visible (GTK_WIDGET (self->compose_revealer), text != NULL);
  gtk_revealer_set_reveal_child (self->compose_revealer, text != NULL);
}

static void
leave_edit (TertuliaChatPage *self)
{
  g_autofree char *draft = g_steal_pointer (&self->edit_draft);

  if (self->edit_message == NULL)
    return;

  g_clear_object (&self->edit_message);
  /* What you were writing before comes back */
  _tertulia_chat_page_set_entry_text (self, draft != NULL ? draft : "");
}

gboolean
_tertulia_chat_page_cancel_compose (TertuliaChatPage *self)
{
  if (self->edit_message == NULL && self->reply_message == NULL)
    return FALSE;

  leave_edit (self);
  g_clear_object (&self->reply_message);
  show_compose_bar (self);

  return TRUE;
}

static void
start_reply (TertuliaChatPage *self,
             TertuliaMessage  *message)
{
  leave_edit (self);
  g_set_object (&self->reply_message, message);
  show_compose_bar (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
  self->focus_entry_after_menu = self->message_menu != NULL &&
                                 gtk_widget_get_visible (self->message_menu);
}

static void
start_edit (TertuliaChatPage *self,
            TertuliaMessage  *message)
{
  g_autofree char *typed = _tertulia_chat_page_dup_entry_text (self);

  if (self->edit_message == NULL)
    self->edit_draft = g_steal_pointer (&typed);
  g_clear_object (&self->reply_message);
  g_set_object (&self->edit_message, message);

  _tertulia_chat_page_set_entry_text (self, tertulia_message_get_text (message));
  show_compose_bar (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
  self->focus_entry_after_menu = self->message_menu != NULL &&
                                 gtk_widget_get_visible (self->message_menu);
}

gboolean
_tertulia_chat_page_edit_last_own (TertuliaChatPage *self)
{
  TertuliaRoom *room = _tertulia_chat_page_get_room (self);
  GListModel *messages = room != NULL ? tertulia_room_get_messages (room) : NULL;
  guint n = messages != NULL ? g_list_model_get_n_items (messages) : 0;

  for (guint i = n; i > 0; i--)
    {
      g_autoptr(TertuliaMessage) message = g_list_model_get_item (messages, i - 1);

      if (can_edit (message))
        {
          start_edit (self, message);
          return TRUE;
        }
    }

  return FALSE;
}

gboolean
_tertulia_chat_page_submit_edit (TertuliaChatPage *self,
                                 const char       *typed)
{
  g_autofree char *text = NULL;

  if (self->edit_message == NULL)
    return FALSE;

  text = g_strstrip (g_strdup (typed));

  /* Nothing left is not an edit: Delete is in the menu */
  if (*text == '\0')
    {
      gtk_widget_error_bell (GTK_WIDGET (self->entry));
      return TRUE;
    }

  if (g_strcmp0 (text, tertulia_message_get_text (self->edit_message)) != 0 &&
      !tertulia_client_edit_message (self->client, tertulia_message_get_seq (self->edit_message), text))
    {
      /* What was typed stays, to try again */
      tertulia_room_add_notice (_tertulia_chat_page_get_room (self),
                                _("The message could not be changed: you are not connected to the room."));
      _tertulia_chat_page_queue_scroll_to_bottom (self);
      return TRUE;
    }

  _tertulia_chat_page_cancel_compose (self);

  return TRUE;
}

gboolean
_tertulia_chat_page_send_text (TertuliaChatPage     *self,
                               TertuliaMessageKind   kind,
                               const char           *text,
                               GError              **error)
{
  TertuliaMessage *sent;

  if (self->reply_message == NULL)
    return tertulia_client_send_message (self->client, kind, text, error) != NULL;

  sent = tertulia_client_send_reply (self->client, kind, text,
                                     tertulia_message_get_seq (self->reply_message));
  if (sent == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("The reply could not be sent."));
      return FALSE;
    }

  g_clear_object (&self->reply_message);
  show_compose_bar (self);

  return TRUE;
}

static void
cancel_clicked_cb (TertuliaChatPage *self)
{
  _tertulia_chat_page_cancel_compose (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

/* Typing */

void
_tertulia_chat_page_update_typing (TertuliaChatPage *self)
{
  gboolean typing;

  if (self->client == NULL)
    return;

  /* Changing a message already sent is not "typing" a new one. The
   * client sends at most one frame every few seconds, and none when the
   * preference is off.
   */
  typing = self->edit_message == NULL &&
           gtk_text_buffer_get_char_count (gtk_text_view_get_buffer (self->entry)) > 0;
  tertulia_client_set_typing (self->client, typing);
}

static char *
dup_typing_text (GStrv typing)
{
  guint n = typing != NULL ? g_strv_length (typing) : 0;

  switch (n)
    {
    case 0:
      return NULL;

    case 1:
      /* Translators: under the log; %s is a nickname */
      return g_strdup_printf (_("%s is typing…"), typing[0]);

    case 2:
      /* Translators: under the log; the %s are nicknames */
      return g_strdup_printf (_("%s and %s are typing…"), typing[0], typing[1]);

    default:
      return g_strdup (_("Several people are typing…"));
    }
}

/* A status line, not an announcement: a screen reader reads it when asked
 * (it is the log's status), and its text changes only when who is typing
 * does, not each time someone's typing is renewed.
 */
static void
update_typing_indicator (TertuliaChatPage *self)
{
  TertuliaRoom *room = _tertulia_chat_page_get_room (self);
  g_auto(GStrv) typing = room != NULL ? tertulia_room_dup_typing (room) : NULL;
  g_autofree char *text = dup_typing_text (typing);

  if (text != NULL && g_strcmp0 (gtk_label_get_text (self->typing_label), text) != 0)
    gtk_label_set_text (self->typing_label, text);

  gtk_revealer_set_reveal_child (self->typing_revealer, text != NULL);
}

/* The message menu */

static void
reply_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  TertuliaChatPage *self = TERTULIA_CHAT_PAGE (widget);

  if (self->menu_message != NULL && is_conversable (self->menu_message))
    start_reply (self, self->menu_message);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TertuliaChatPage *self = TERTULIA_CHAT_PAGE (widget);

  if (self->menu_message != NULL && can_edit (self->menu_message))
    start_edit (self, self->menu_message);
}

static void
react (TertuliaChatPage *self,
       TertuliaMessage  *message,
       const char       *emoji,
       gboolean          add)
{
  if (self->client == NULL || message == NULL || !is_conversable (message))
    return;

  if (!tertulia_client_react (self->client, tertulia_message_get_seq (message), emoji, add))
    g_debug ("Reaction %s not sent", emoji);
}

/* Whether you reacted to @message with @emoji already */
static gboolean
reacted (TertuliaMessage *message,
         const char      *emoji)
{
  GPtrArray *reactions = tertulia_message_get_reactions (message);

  for (guint i = 0; reactions != NULL && i < reactions->len; i++)
    {
      const TertuliaReaction *reaction = g_ptr_array_index (reactions, i);

      if (g_strcmp0 (reaction->emoji, emoji) == 0)
        return reaction->mine;
    }

  return FALSE;
}

/* A quick reaction from the menu: picking one you gave takes it back */
static void
react_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  TertuliaChatPage *self = TERTULIA_CHAT_PAGE (widget);
  const char *emoji = g_variant_get_string (parameter, NULL);

  if (self->menu_message != NULL)
    react (self, self->menu_message, emoji, !reacted (self->menu_message, emoji));
}

/* A reaction's button under a message: (seq, emoji, add) */
static void
toggle_reaction_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  TertuliaChatPage *self = TERTULIA_CHAT_PAGE (widget);
  TertuliaRoom *room = _tertulia_chat_page_get_room (self);
  const char *emoji;
  gboolean add;
  gint64 seq;

  g_variant_get (parameter, "(x&sb)", &seq, &emoji, &add);
  if (room != NULL)
    react (self, tertulia_room_find_message_by_seq (room, seq), emoji, add);
}

static void
reaction_picked_cb (TertuliaChatPage *self,
                    const char       *emoji)
{
  if (self->react_message != NULL)
    react (self, self->react_message, emoji, TRUE);
  g_clear_object (&self->react_message);
}

static void
reaction_chooser_closed_cb (TertuliaChatPage *self)
{
  /* Back to the message, for the next arrow key */
  if (self->menu_row != NULL && gtk_widget_get_parent (GTK_WIDGET (self->menu_row)) != NULL)
    gtk_widget_grab_focus (gtk_widget_get_parent (GTK_WIDGET (self->menu_row)));
}

/* "More…": the whole emoji chooser, where the menu was */
static void
react_more_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  TertuliaChatPage *self = TERTULIA_CHAT_PAGE (widget);
  GdkRectangle rect;

  if (self->menu_message == NULL || !is_conversable (self->menu_message))
    return;

  g_set_object (&self->react_message, self->menu_message);

  if (self->reaction_chooser == NULL)
    {
      self->reaction_chooser = gtk_emoji_chooser_new ();
      gtk_widget_set_parent (self->reaction_chooser, GTK_WIDGET (self));
      g_signal_connect_object (self->reaction_chooser, "emoji-picked",
                               G_CALLBACK (reaction_picked_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->reaction_chooser, "closed",
                               G_CALLBACK (reaction_chooser_closed_cb), self, G_CONNECT_SWAPPED);
    }

  if (self->message_menu != NULL &&
      gtk_popover_get_pointing_to (GTK_POPOVER (self->message_menu), &rect))
    gtk_popover_set_pointing_to (GTK_POPOVER (self->reaction_chooser), &rect);
  gtk_popover_popup (GTK_POPOVER (self->reaction_chooser));
}

static void
delete_response_cb (TertuliaChatPage *self,
                    const char       *response,
                    AdwMessageDialog *dialog)
{
  TertuliaMessage *message = g_object_get_data (G_OBJECT (dialog), "message");

  if (g_strcmp0 (response, "delete") == 0 && self->client != NULL && message != NULL &&
      !tertulia_message_get_deleted (message) &&
      !tertulia_client_delete_message (self->client, tertulia_message_get_seq (message)))
    {
      tertulia_room_add_notice (_tertulia_chat_page_get_room (self),
                                _("The message could not be deleted: you are not connected to the room."));
      _tertulia_chat_page_queue_scroll_to_bottom (self);
    }
}

/* Deleting cannot be undone: asked first */
static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TertuliaChatPage *self = TERTULIA_CHAT_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  TertuliaMessage *message = self->menu_message;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (message == NULL || !can_delete (self, message))
    return;

  if (tertulia_message_get_is_own (message))
    body = g_strdup (_("It is removed for everyone in the room."));
  else
    /* Translators: %s is the nickname of who wrote the message */
    body = g_strdup_printf (_("%s’s message is removed for everyone in the room, and they are told."),
                            tertulia_message_get_author (message));

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Delete Message?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "message", g_object_ref (message), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self,
                           G_CONNECT_SWAPPED);
  g_set_weak_pointer (&self->delete_dialog, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_tertulia_chat_page_add_conversation_items (TertuliaChatPage *self,
                                            GMenu            *menu,
                                            TertuliaMessage  *message)
{
  g_autoptr(GMenu) changes = NULL;

  if (!is_conversable (message))
    return;

  changes = g_menu_new ();
  g_menu_append (changes, _("_Reply"), "message.reply");
  if (can_edit (message))
    g_menu_append (changes, _("_Edit"), "message.edit");
  if (can_delete (self, message))
    g_menu_append (changes, _("_Delete…"), "message.delete");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (changes));
}

/* One row of buttons at the end of the menu: the quick reactions, then
 * the whole chooser. Last, because GTK 4.8's menu moves the focus into a
 * row of buttons with Down but not on out of it.
 */
void
_tertulia_chat_page_add_reaction_items (TertuliaChatPage *self,
                                        GMenu            *menu,
                                        TertuliaMessage  *message)
{
  g_autoptr(GMenu) reactions = NULL;
  g_autoptr(GMenuItem) more = NULL;
  g_autoptr(GMenuItem) row = NULL;

  if (!is_conversable (message))
    return;

  reactions = g_menu_new ();
  for (guint i = 0; i < TERTULIA_N_QUICK_REACTIONS; i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (tertulia_quick_reactions[i], NULL);

      g_menu_item_set_action_and_target_value (item, "message.react",
                                               g_variant_new_string (tertulia_quick_reactions[i]));
      g_menu_append_item (reactions, item);
    }
  /* An icon, not its label, keeps the row as narrow as a phone; the
   * label is still its name for screen readers and its tooltip.
   */
  /* Translators: the last of the quick reactions in a message's menu: opens every emoji */
  more = g_menu_item_new (_("More…"), "message.react-more");
  g_menu_item_set_attribute (more, "verb-icon", "s", "view-more-horizontal-symbolic");
  g_menu_append_item (reactions, more);
  row = g_menu_item_new_section (NULL, G_MENU_MODEL (reactions));
  g_menu_item_set_attribute (row, "display-hint", "s", "horizontal-buttons");
  g_menu_append_item (menu, row);
}

/* Going to the message a reply quotes */

static void
try_pending_jump (TertuliaChatPage *self)
{
  gint64 seq = self->pending_jump_seq;

  if (seq == 0)
    return;

  if (_tertulia_chat_page_jump_to_seq (self, seq))
    {
      self->pending_jump_seq = 0;
      return;
    }

  /* Still paging back towards it */
  if (self->client != NULL && tertulia_client_get_fetching_history (self->client))
    return;

  self->pending_jump_seq = 0;
  tertulia_room_add_notice (_tertulia_chat_page_get_room (self),
                            _("The original message is no longer in the room."));
  _tertulia_chat_page_queue_scroll_to_bottom (self);
}

static void
jump_to_message_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  TertuliaChatPage *self = TERTULIA_CHAT_PAGE (widget);
  gint64 seq = g_variant_get_int64 (parameter);

  if (self->client == NULL || seq <= 0)
    return;

  /* In the log (or in the archive): there at once */
  if (_tertulia_chat_page_jump_to_seq (self, seq))
    {
      self->pending_jump_seq = 0;
      return;
    }

  /* Older than what was loaded: scrollback brings it, then we go */
  self->pending_jump_seq = seq;
  if (!tertulia_client_fetch_history_until (self->client, seq))
    try_pending_jump (self);
}

static gboolean
pending_jump_idle_cb (gpointer user_data)
{
  TertuliaChatPage *self = user_data;

  self->pending_jump_idle_id = 0;
  try_pending_jump (self);

  return G_SOURCE_REMOVE;
}

/* Once the list view has taken the page in: scrolling to a row while
 * the model is still telling its views about it confuses GTK 4.8's list
 */
static void
queue_pending_jump (TertuliaChatPage *self)
{
  if (self->pending_jump_seq != 0 && self->pending_jump_idle_id == 0)
    self->pending_jump_idle_id = g_idle_add (pending_jump_idle_cb, self);
}

static void
log_changed_cb (TertuliaChatPage *self,
                guint             position,
                guint             removed,
                guint             added)
{
  if (added > 0)
    queue_pending_jump (self);
}

/* Setup */

static GtkWidget *
find_entry_bar (TertuliaChatPage *self)
{
  for (GtkWidget *widget = GTK_WIDGET (self->entry); widget != NULL; widget = gtk_widget_get_parent (widget))
    if (gtk_widget_has_css_class (widget, "entry-bar"))
      return widget;

  g_assert_not_reached ();
}

static void
add_compose_bar (TertuliaChatPage *self)
{
  GtkWidget *entry_bar = find_entry_bar (self);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon = gtk_image_new_from_icon_name ("mail-reply-sender-symbolic");

  gtk_widget_add_css_class (box, "compose-bar");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
  gtk_box_append (GTK_BOX (box), icon);

  self->compose_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->compose_label, 0);
  gtk_label_set_ellipsize (self->compose_label, PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (self->compose_label, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->compose_label), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->compose_label));

  self->compose_cancel = gtk_button_new_from_icon_name ("window-close-symbolic");
  gtk_widget_add_css_class (self->compose_cancel, "flat");
  gtk_widget_add_css_class (self->compose_cancel, "circular");
  gtk_widget_set_valign (self->compose_cancel, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->compose_cancel),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Cancel Reply"), -1);
  g_signal_connect_object (self->compose_cancel, "clicked", G_CALLBACK (cancel_clicked_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (box), self->compose_cancel);

  self->compose_revealer = GTK_REVEALER (gtk_revealer_new ());
  gtk_revealer_set_transition_type (self->compose_revealer, GTK_REVEALER_TRANSITION_TYPE_SLIDE_UP);
  gtk_revealer_set_child (self->compose_revealer, box);
  gtk_widget_set_visible (GTK_WIDGET (self->compose_revealer), FALSE);
  gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (entry_bar)),
                              GTK_WIDGET (self->compose_revealer),
                              gtk_widget_get_prev_sibling (entry_bar));
}

static void
add_typing_line (TertuliaChatPage *self)
{
  self->typing_label = g_object_new (GTK_TYPE_LABEL,
                                     "accessible-role", GTK_ACCESSIBLE_ROLE_STATUS,
                                     "xalign", 0.0f,
                                     "ellipsize", PANGO_ELLIPSIZE_END,
                                     "single-line-mode", TRUE,
                                     NULL);
  gtk_widget_add_css_class (GTK_WIDGET (self->typing_label), "typing-indicator");
  gtk_widget_add_css_class (GTK_WIDGET (self->typing_label), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (self->typing_label), "dim-label");

  self->typing_revealer = GTK_REVEALER (gtk_revealer_new ());
  gtk_revealer_set_transition_type (self->typing_revealer, GTK_REVEALER_TRANSITION_TYPE_SLIDE_UP);
  gtk_revealer_set_child (self->typing_revealer, GTK_WIDGET (self->typing_label));
  gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (self->log_overlay)),
                              GTK_WIDGET (self->typing_revealer), self->log_overlay);
}

void
_tertulia_chat_page_class_init_conversation (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "message.reply", NULL, reply_action);
  gtk_widget_class_install_action (widget_class, "message.react", "s", react_action);
  gtk_widget_class_install_action (widget_class, "message.react-more", NULL, react_more_action);
  gtk_widget_class_install_action (widget_class, "message.edit", NULL, edit_action);
  gtk_widget_class_install_action (widget_class, "message.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "chat.toggle-reaction", "(xsb)", toggle_reaction_action);
  gtk_widget_class_install_action (widget_class, "chat.jump-to-message", "x", jump_to_message_action);
}

void
_tertulia_chat_page_init_conversation (TertuliaChatPage *self)
{
  add_compose_bar (self);
  add_typing_line (self);

  g_signal_group_connect_object (self->room_signals, "notify::typing",
                                 G_CALLBACK (update_typing_indicator), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->messages_signals, "items-changed",
                                 G_CALLBACK (log_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->client_signals, "notify::fetching-history",
                                 G_CALLBACK (queue_pending_jump), self, G_CONNECT_SWAPPED);
}

void
_tertulia_chat_page_conversation_set_room (TertuliaChatPage *self,
                                           TertuliaRoom     *room)
{
  g_clear_object (&self->reply_message);
  g_clear_object (&self->edit_message);
  g_clear_pointer (&self->edit_draft, g_free);
  g_clear_object (&self->react_message);
  self->pending_jump_seq = 0;
  g_clear_handle_id (&self->pending_jump_idle_id, g_source_remove);
  show_compose_bar (self);
  update_typing_indicator (self);
}

void
_tertulia_chat_page_dispose_conversation (TertuliaChatPage *self)
{
  g_clear_handle_id (&self->pending_jump_idle_id, g_source_remove);
  g_clear_object (&self->reply_message);
  g_clear_object (&self->edit_message);
  g_clear_pointer (&self->edit_draft, g_free);
  g_clear_object (&self->react_message);
  g_clear_pointer (&self->reaction_chooser, gtk_widget_unparent);
  if (self->delete_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->delete_dialog));
  g_clear_weak_pointer (&self->delete_dialog);
}

/* For tests */
GtkRevealer *
_tertulia_chat_page_get_compose_revealer (TertuliaChatPage *self)
{
  g_return_val_if_fail (TERTULIA_IS_CHAT_PAGE (self), NULL);

  return self->compose_revealer;
}

GtkLabel *
_tertulia_chat_page_get_compose_label (TertuliaChatPage *self)
{
  g_return_val_if_fail (TERTULIA_IS_CHAT_PAGE (self), NULL);

  return self->compose_label;
}

GtkRevealer *
_tertulia_chat_page_get_typing_revealer (TertuliaChatPage *self)
{
  g_return_val_if_fail (TERTULIA_IS_CHAT_PAGE (self), NULL);

  return self->typing_revealer;
}

GtkLabel *
_tertulia_chat_page_get_typing_label (TertuliaChatPage *self)
{
  g_return_val_if_fail (TERTULIA_IS_CHAT_PAGE (self), NULL);

  return self->typing_label;
}

GtkWidget *
_tertulia_chat_page_get_delete_dialog (TertuliaChatPage *self)
{
  g_return_val_if_fail (TERTULIA_IS_CHAT_PAGE (self), NULL);

  return self->delete_dialog;
}

/* tertulia-chat-page.c — a room: the log, the participants, the entry
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-chat-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tertulia-chat-page-private.h"
#include "tertulia-clock.h"
#include "tertulia-log-model.h"
#include "tertulia-message-header.h"
#include "tertulia-message-row.h"
#include "tertulia-participant.h"
#include "tertulia-address.h"
#include "tertulia-security-indicator.h"
#include "tertulia-share-popover.h"

/* How close to the end of the log still counts as "at the bottom". */
#define BOTTOM_SLACK_PX 8.0
enum {
  PROP_0,
  PROP_CLIENT,
  PROP_SHARE_PORT,
  PROP_CONVERSATION,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

G_DEFINE_FINAL_TYPE (TertuliaChatPage, tertulia_chat_page, ADW_TYPE_BIN)

TertuliaRoom *
_tertulia_chat_page_get_room (TertuliaChatPage *self)
{
  return self->client != NULL ? tertulia_client_get_room (self->client) : NULL;
}

/* The messages as the view has them (see TertuliaLogModel). */
static GListModel *
get_messages (TertuliaChatPage *self)
{
  return self->log != NULL ? G_LIST_MODEL (self->log) : NULL;
}

/* Scrolling: the log follows new messages while you are at the bottom;
 * once you scroll up it stays put and offers a "New Messages" button.
 */

static gboolean
is_at_bottom (TertuliaChatPage *self)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);

  return gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment)
         >= gtk_adjustment_get_upper (adjustment) - BOTTOM_SLACK_PX;
}

static gboolean
scroll_to_bottom_cb (gpointer user_data)
{
  TertuliaChatPage *self = user_data;
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  GListModel *messages = get_messages (self);
  guint n_items = messages != NULL ? g_list_model_get_n_items (messages) : 0;

  self->scroll_idle_id = 0;
  self->auto_scrolling = TRUE;

  /* Rows the view has not measured yet only have estimated heights, so
   * first bring the last row in, then go to the very end.
   */
  if (n_items > 0)
    gtk_widget_activate_action (GTK_WIDGET (self->message_view),
                                "list.scroll-to-item", "u", n_items - 1);

  gtk_adjustment_set_value (adjustment,
                            gtk_adjustment_get_upper (adjustment) -
                            gtk_adjustment_get_page_size (adjustment));
  self->last_value = gtk_adjustment_get_value (adjustment);
  self->auto_scrolling = FALSE;

  return G_SOURCE_REMOVE;
}

void
_tertulia_chat_page_queue_scroll_to_bottom (TertuliaChatPage *self)
{
  self->stick_to_bottom = TRUE;
  gtk_revealer_set_reveal_child (self->new_messages_revealer, FALSE);

  if (self->scroll_idle_id == 0)
    self->scroll_idle_id = g_idle_add (scroll_to_bottom_cb, self);
}

static void
adjustment_value_changed_cb (TertuliaChatPage *self,
                             GtkAdjustment    *adjustment)
{
  double value = gtk_adjustment_get_value (adjustment);

  if (is_at_bottom (self))
    {
      self->stick_to_bottom = TRUE;
      gtk_revealer_set_reveal_child (self->new_messages_revealer, FALSE);
    }
  else if (value < self->last_value - 0.5 && !self->auto_scrolling)
    {
      /* Moving up is the person reading back: stop following, even when
       * a message that just arrived was about to be followed. The view
       * itself never moves the log up and away from the end (it keeps
       * the row at the bottom edge where it is while heights change), so
       * only a person does this.
       */
      g_debug ("Not following the log: moved up from %.0f to %.0f", self->last_value, value);
      self->stick_to_bottom = FALSE;
      g_clear_handle_id (&self->scroll_idle_id, g_source_remove);
    }

  self->last_value = value;
  _tertulia_chat_page_fetch_older_if_at_top (self);
}

static void
adjustment_changed_cb (TertuliaChatPage *self,
                       GParamSpec       *pspec,
                       GtkAdjustment    *adjustment)
{
  if (self->stick_to_bottom && !is_at_bottom (self))
    _tertulia_chat_page_queue_scroll_to_bottom (self);
}

static void
messages_items_changed_cb (TertuliaChatPage *self,
                           guint             position,
                           guint             removed,
                           guint             added,
                           GListModel       *model)
{
  /* Older messages go in above what you read: nothing new to follow */
  if (added == 0 || _tertulia_chat_page_is_older_page (self, model, position))
    return;

  if (self->stick_to_bottom)
    _tertulia_chat_page_queue_scroll_to_bottom (self);
  else
    gtk_revealer_set_reveal_child (self->new_messages_revealer, TRUE);
}

static void
new_messages_clicked_cb (TertuliaChatPage *self)
{
  _tertulia_chat_page_queue_scroll_to_bottom (self);
}

/* The message rows */

static void
update_grouping (TertuliaChatPage *self,
                 GtkListItem      *list_item)
{
  GtkWidget *row = gtk_list_item_get_child (list_item);
  TertuliaMessage *message = gtk_list_item_get_item (list_item);
  guint position = gtk_list_item_get_position (list_item);
  GListModel *messages = get_messages (self);
  g_autoptr(TertuliaMessage) previous = NULL;
  GDateTime *previous_time;
  GDateTime *time;

  if (row == NULL || message == NULL)
    return;

  if (messages != NULL && position != GTK_INVALID_LIST_POSITION && position > 0)
    previous = g_list_model_get_item (messages, position - 1);

  time = tertulia_message_get_time (message);
  previous_time = previous != NULL ? tertulia_message_get_time (previous) : NULL;

  /* A new day gets a heading, and starts a new group. */
  if (time != NULL && (previous_time == NULL || !tertulia_clock_same_day (previous_time, time)))
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *day = tertulia_clock_format_day (time, now);

      tertulia_message_row_set_day (TERTULIA_MESSAGE_ROW (row), day);
      tertulia_message_row_set_grouped (TERTULIA_MESSAGE_ROW (row), FALSE);
      return;
    }

  tertulia_message_row_set_day (TERTULIA_MESSAGE_ROW (row), NULL);
  tertulia_message_row_set_grouped (TERTULIA_MESSAGE_ROW (row),
                                    tertulia_message_row_continues (previous, message));
}

static void
list_item_position_cb (GtkListItem      *list_item,
                       GParamSpec       *pspec,
                       TertuliaChatPage *self)
{
  /* A message arriving before one of ours that is still being sent moves
   * that row down, and its group may change.
   */
  update_grouping (self, list_item);
}

static void
message_setup_cb (TertuliaChatPage         *self,
                  GtkListItem              *list_item,
                  GtkSignalListItemFactory *factory)
{
  /* Selectable is what lets GTK 4.8 give a row the keyboard focus; with
   * no selection model nothing ever shows as selected.
   */
  gtk_list_item_set_activatable (list_item, FALSE);
  gtk_list_item_set_child (list_item, tertulia_message_row_new ());
  g_signal_connect_object (list_item, "notify::position",
                           G_CALLBACK (list_item_position_cb), self, 0);
}

static void
message_bind_cb (TertuliaChatPage         *self,
                 GtkListItem              *list_item,
                 GtkSignalListItemFactory *factory)
{
  TertuliaMessageRow *row = TERTULIA_MESSAGE_ROW (gtk_list_item_get_child (list_item));

  _tertulia_message_row_set_room (row, _tertulia_chat_page_get_room (self));
  tertulia_message_row_set_message (row, gtk_list_item_get_item (list_item));
  update_grouping (self, list_item);
}

static void
message_unbind_cb (TertuliaChatPage         *self,
                   GtkListItem              *list_item,
                   GtkSignalListItemFactory *factory)
{
  TertuliaMessageRow *row = TERTULIA_MESSAGE_ROW (gtk_list_item_get_child (list_item));

  tertulia_message_row_set_message (row, NULL);
}

/* Header and connection banner */

/* A room you host with no one else in it yet invites people in. */
static void
update_empty_page (TertuliaChatPage *self)
{
  TertuliaRoom *room = _tertulia_chat_page_get_room (self);
  gboolean empty = room != NULL &&
                   self->share_port != 0 &&
                   tertulia_room_get_n_participants (room) <= 1;

  gtk_widget_set_visible (self->empty_page, empty);
}

static void
empty_share_clicked_cb (TertuliaChatPage *self)
{
  gtk_menu_button_popup (GTK_MENU_BUTTON (self->share_button));
}

void
_tertulia_chat_page_update_header (TertuliaChatPage *self)
{
  TertuliaRoom *room = _tertulia_chat_page_get_room (self);
  g_autofree char *count = NULL;
  g_autofree char *people = NULL;
  const char *name = NULL;
  const char *topic = NULL;
  guint n = 0;

  if (room != NULL)
    {
      name = tertulia_room_get_name (room);
      topic = tertulia_room_get_topic (room);
      n = tertulia_room_get_n_participants (room);
    }

  if (name == NULL || *name == '\0')
    name = _("Tertulia");

  count = g_strdup_printf ("%u", n);
  /* Translators: how many people are in the room */
  people = g_strdup_printf (ngettext ("%u participant", "%u participants", n), n);

  adw_window_title_set_title (self->window_title, name);
  if (room != NULL && tertulia_room_get_locked (room))
    {
      g_autofree char *subtitle = NULL;

      /* Translators: the header's subtitle when the room is locked; %s is
       * the topic or the number of participants
       */
      subtitle = g_strdup_printf (_("Locked · %s"), topic != NULL && *topic != '\0' ? topic : people);
      adw_window_title_set_subtitle (self->window_title, subtitle);
    }
  else
    {
      adw_window_title_set_subtitle (self->window_title,
                                     topic != NULL && *topic != '\0' ? topic : people);
    }
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->window_title),
                               topic != NULL && *topic != '\0' ? topic : NULL);
  gtk_label_set_text (self->count_label, count);
  gtk_label_set_text (self->participants_heading, people);
  gtk_label_set_text (self->topic_label, topic != NULL ? topic : "");
  gtk_widget_set_visible (GTK_WIDGET (self->topic_label), topic != NULL && *topic != '\0');
  update_empty_page (self);
}

gboolean
_tertulia_chat_page_is_removed (TertuliaChatPage *self)
{
  return self->client != NULL && tertulia_client_get_removed (self->client);
}

static void
update_banner (TertuliaChatPage *self)
{
  TertuliaConnectionState state = TERTULIA_CONNECTION_CONNECTED;
  g_autofree char *text = NULL;
  const char *reason = NULL;
  gboolean can_retry = FALSE;

  if (self->client != NULL)
    {
      state = tertulia_client_get_state (self->client);
      reason = tertulia_client_get_state_reason (self->client);
    }

  if (reason != NULL && *reason == '\0')
    reason = NULL;

  switch (state)
    {
    case TERTULIA_CONNECTION_CONNECTING:
      text = g_strdup (_("Connecting…"));
      break;

    case TERTULIA_CONNECTION_RECONNECTING:
      {
        guint seconds = tertulia_client_get_retry_seconds (self->client);
        g_autofree char *countdown = NULL;

        if (seconds > 0)
          countdown = g_strdup_printf (ngettext ("Reconnecting in %u second…",
                                                 "Reconnecting in %u seconds…",
                                                 seconds),
                                       seconds);
        else
          countdown = g_strdup (_("Reconnecting…"));

        if (reason != NULL)
          /* Translators: "<why the connection dropped> Reconnecting in 3 seconds…" */
          text = g_strdup_printf (_("%s %s"), reason, countdown);
        else
          text = g_steal_pointer (&countdown);

        can_retry = TRUE;
      }
      break;

    case TERTULIA_CONNECTION_DISCONNECTED:
      text = g_strdup (reason != NULL ? reason : _("You are not connected to the room."));
      can_retry = TRUE;
      break;

    case TERTULIA_CONNECTION_CONNECTED:
    default:
      break;
    }

  if (text != NULL)
    gtk_label_set_text (self->banner_label, text);

  /* Removed by the room: nothing to retry, only the way back to the start */
  gtk_widget_set_visible (self->retry_button, can_retry && !_tertulia_chat_page_is_removed (self));
  gtk_widget_set_visible (self->leave_button, _tertulia_chat_page_is_removed (self));
  _tertulia_chat_page_update_composer_status (self);
  gtk_revealer_set_reveal_child (self->banner_revealer, text != NULL);
}

static void
retry_clicked_cb (TertuliaChatPage *self)
{
  if (self->client != NULL)
    tertulia_client_retry (self->client);
}

/* GObject */

static void
tertulia_chat_page_dispose (GObject *object)
{
  TertuliaChatPage *self = (TertuliaChatPage *)object;

  g_clear_handle_id (&self->scroll_idle_id, g_source_remove);
  _tertulia_chat_page_dispose_history (self);

  if (self->message_view != NULL)
    tertulia_chat_page_set_client (self, NULL);

  g_clear_object (&self->lan_browser);
  g_clear_object (&self->client_signals);
  g_clear_object (&self->room_signals);
  g_clear_object (&self->messages_signals);
  g_clear_object (&self->log);
  g_clear_pointer (&self->completions, g_strfreev);
  _tertulia_chat_page_dispose_actions (self);
  _tertulia_chat_page_dispose_composer (self);
  _tertulia_chat_page_dispose_archive (self);
  _tertulia_chat_page_dispose_conversation (self);
  _tertulia_chat_page_dispose_moderation (self);
  _tertulia_chat_page_dispose_private_messages (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), TERTULIA_TYPE_CHAT_PAGE);

  G_OBJECT_CLASS (tertulia_chat_page_parent_class)->dispose (object);
}

static void
tertulia_chat_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TertuliaChatPage *self = TERTULIA_CHAT_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_SHARE_PORT:
      g_value_set_uint (value, self->share_port);
      break;

    case PROP_CONVERSATION:
      g_value_set_object (value, tertulia_chat_page_get_shown_conversation (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tertulia_chat_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  TertuliaChatPage *self = TERTULIA_CHAT_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      tertulia_chat_page_set_client (self, g_value_get_object (value));
      break;

    case PROP_SHARE_PORT:
      tertulia_chat_page_set_share_port (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The message menu is a popover of the page's: it goes where the page
 * goes.
 */
static void
tertulia_chat_page_size_allocate (GtkWidget *widget,
                                  int        width,
                                  int        height,
                                  int        baseline)
{
  TertuliaChatPage *self = TERTULIA_CHAT_PAGE (widget);

  GTK_WIDGET_CLASS (tertulia_chat_page_parent_class)->size_allocate (widget, width, height, baseline);

  if (self->message_menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->message_menu));
}

/* Back on the LAN: while we wait to retry, the room being announced again
 * at our address means its host is back, so we try at once rather than at
 * the end of the countdown.
 */
static void
lan_rooms_changed_cb (TertuliaChatPage *self,
                      guint             position,
                      guint             removed,
                      guint             added,
                      GListModel       *rooms)
{
  g_autofree char *ours = NULL;

  if (self->client == NULL || added == 0)
    return;

  ours = tertulia_address_to_websocket_uri (tertulia_client_get_address (self->client), NULL);

  for (guint i = position; ours != NULL && i < position + added; i++)
    {
      g_autoptr(TertuliaLanRoom) room = g_list_model_get_item (rooms, i);
      g_autofree char *address = tertulia_lan_room_dup_join_address (room);
      g_autofree char *theirs = tertulia_address_to_websocket_uri (address, NULL);

      if (g_strcmp0 (ours, theirs) == 0)
        {
          g_debug ("%s is announced again: retrying now", address);
          tertulia_client_retry (self->client);
          return;
        }
    }
}

static void
update_lan_watch (TertuliaChatPage *self)
{
  gboolean reconnecting = self->client != NULL &&
                          tertulia_client_get_state (self->client) == TERTULIA_CONNECTION_RECONNECTING;

  if (reconnecting && self->lan_browser == NULL)
    {
      self->lan_browser = tertulia_room_browser_new ();
      g_signal_connect_object (tertulia_room_browser_get_rooms (self->lan_browser), "items-changed",
                               G_CALLBACK (lan_rooms_changed_cb), self, G_CONNECT_SWAPPED);
    }
  else if (!reconnecting)
    {
      g_clear_object (&self->lan_browser);
    }
}

static void
tertulia_chat_page_class_init (TertuliaChatPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tertulia_chat_page_dispose;
  object_class->get_property = tertulia_chat_page_get_property;
  object_class->set_property = tertulia_chat_page_set_property;
  widget_class->size_allocate = tertulia_chat_page_size_allocate;

  properties [PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         TERTULIA_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_SHARE_PORT] =
    g_param_spec_uint ("share-port", NULL, NULL,
                       0, G_MAXUINT16, 0,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_CONVERSATION] =
    g_param_spec_object ("conversation", NULL, NULL,
                         TERTULIA_TYPE_CONVERSATION,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TERTULIA_TYPE_SHARE_POPOVER);
  g_type_ensure (TERTULIA_TYPE_SECURITY_INDICATOR);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tertulia/Tertulia/tertulia-chat-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TertuliaChatPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, TertuliaChatPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, TertuliaChatPage, share_button);
  gtk_widget_class_bind_template_child (widget_class, TertuliaChatPage, share_popover);
  gtk_widget_class_bind_template_child (widget_class, TertuliaChatPage, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, TertuliaChatPage, banner_label);
  gtk_widget_class_bind_template_child (widget_class, TertuliaChatPage, retry_button);
  gtk_widget_class_bind_template_child (widget_class, TertuliaChatPage, leave_button);
  gtk_widget_class_bind_template_child (widget_class, TertuliaChatPage, flap);
  gtk_widget_class_bind_template_child (widget_class, TertuliaChatPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, TertuliaChatPage, message_view);
  gtk_widget_class_bind_template_child (widget_class, TertuliaChatPage, new_messages_revealer);
  gtk_widget_class_bind_template_child (widget_class, TertuliaChatPage, participants_heading);
  gtk_widget_class_bind_template_child (widget_class, TertuliaChatPage, topic_label);
  gtk_widget_class_bind_template_child (widget_class, TertuliaChatPage, participant_view);
  gtk_widget_class_bind_template_child (widget_class, TertuliaChatPage, entry);
  gtk_widget_class_bind_template_child (widget_class, TertuliaChatPage, placeholder_label);
  gtk_widget_class_bind_template_child (widget_class, TertuliaChatPage, length_label);
  gtk_widget_class_bind_template_child (widget_class, TertuliaChatPage, empty_page);
  gtk_widget_class_bind_template_callback (widget_class, empty_share_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, message_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, message_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, message_unbind_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, new_messages_clicked_cb);

  _tertulia_chat_page_class_init_composer (widget_class);
  _tertulia_chat_page_class_init_actions (widget_class);
  _tertulia_chat_page_class_init_archive (widget_class);
  _tertulia_chat_page_class_init_conversation (widget_class);
  _tertulia_chat_page_class_init_moderation (widget_class);
  _tertulia_chat_page_class_init_private_messages (widget_class);
}

/* AdwWindowTitle cuts a name that does not fit on one line ("root…" at
 * phone width, where the header's buttons leave it little room): let the
 * name take two lines instead, as GNOME's own apps do.
 */
static void
let_title_wrap (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child) && gtk_widget_has_css_class (child, "title"))
        {
          GtkLabel *label = GTK_LABEL (child);

          gtk_label_set_wrap (label, TRUE);
          gtk_label_set_wrap_mode (label, PANGO_WRAP_WORD_CHAR);
          gtk_label_set_lines (label, 2);
          gtk_label_set_justify (label, GTK_JUSTIFY_CENTER);
          gtk_label_set_width_chars (label, 10);
          gtk_label_set_max_width_chars (label, 40);
          return;
        }

      let_title_wrap (child);
    }
}

static void
tertulia_chat_page_init (TertuliaChatPage *self)
{
  GtkAdjustment *adjustment;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->stick_to_bottom = TRUE;

  let_title_wrap (GTK_WIDGET (self->window_title));
  _tertulia_chat_page_init_composer (self);
  _tertulia_chat_page_init_actions (self);

  adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  g_signal_connect_object (adjustment, "value-changed",
                           G_CALLBACK (adjustment_value_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (adjustment, "notify::upper",
                           G_CALLBACK (adjustment_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (adjustment, "notify::page-size",
                           G_CALLBACK (adjustment_changed_cb), self, G_CONNECT_SWAPPED);

  self->client_signals = g_signal_group_new (TERTULIA_TYPE_CLIENT);
  g_signal_group_connect_object (self->client_signals, "notify::state",
                                 G_CALLBACK (update_banner), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->client_signals, "notify::state-reason",
                                 G_CALLBACK (update_banner), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->client_signals, "notify::retry-seconds",
                                 G_CALLBACK (update_banner), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->client_signals, "notify::removed",
                                 G_CALLBACK (update_banner), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->client_signals, "notify::state",
                                 G_CALLBACK (update_lan_watch), self, G_CONNECT_SWAPPED);

  self->room_signals = g_signal_group_new (TERTULIA_TYPE_ROOM);
  g_signal_group_connect_object (self->room_signals, "notify::name",
                                 G_CALLBACK (_tertulia_chat_page_update_header), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->room_signals, "notify::topic",
                                 G_CALLBACK (_tertulia_chat_page_update_header), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->room_signals, "notify::n-participants",
                                 G_CALLBACK (_tertulia_chat_page_update_header), self, G_CONNECT_SWAPPED);

  self->messages_signals = g_signal_group_new (G_TYPE_LIST_MODEL);
  g_signal_group_connect_object (self->messages_signals, "items-changed",
                                 G_CALLBACK (messages_items_changed_cb), self, G_CONNECT_SWAPPED);

  _tertulia_chat_page_init_archive (self);
  _tertulia_chat_page_init_history (self);
  _tertulia_chat_page_init_conversation (self);
  _tertulia_chat_page_init_moderation (self);
  _tertulia_chat_page_init_private_messages (self);

  _tertulia_chat_page_update_header (self);
  update_banner (self);
}

/* The room gives "dana-2" when "dana" is taken: say so, or the new name
 * looks like a mistake.
 */
static void
say_why_renamed (TertuliaChatPage *self,
                 TertuliaClient   *client,
                 TertuliaRoom     *room)
{
  TertuliaParticipant *you = tertulia_room_get_you (room);
  g_autofree char *wanted = NULL;
  g_autofree char *line = NULL;
  const char *given;

  g_object_get (client, "nickname", &wanted, NULL);
  given = you != NULL ? tertulia_participant_get_nickname (you) : NULL;

  if (wanted == NULL || *wanted == '\0' || given == NULL || g_strcmp0 (wanted, given) == 0)
    return;

  /* Translators: the first %s is the nickname asked for, the second the one the room gave */
  line = g_strdup_printf (_("%s was taken, so you are %s"), wanted, given);
  tertulia_room_add_notice (room, line);
}

GtkWidget *
tertulia_chat_page_new (void)
{
  return g_object_new (TERTULIA_TYPE_CHAT_PAGE, NULL);
}

TertuliaClient *
tertulia_chat_page_get_client (TertuliaChatPage *self)
{
  g_return_val_if_fail (TERTULIA_IS_CHAT_PAGE (self), NULL);

  return self->client;
}

void
tertulia_chat_page_set_client (TertuliaChatPage *self,
                               TertuliaClient   *client)
{
  TertuliaRoom *room;

  g_return_if_fail (TERTULIA_IS_CHAT_PAGE (self));
  g_return_if_fail (!client || TERTULIA_IS_CLIENT (client));

  if (self->client == client)
    return;

  g_set_object (&self->client, client);
  room = _tertulia_chat_page_get_room (self);

  g_signal_group_set_target (self->client_signals, client);
  g_signal_group_set_target (self->room_signals, room);
  g_clear_object (&self->log);
  if (room != NULL)
    self->log = tertulia_log_model_new (tertulia_room_get_messages (room));
  g_signal_group_set_target (self->messages_signals, self->log);

  if (room != NULL)
    {
      g_autoptr(GtkNoSelection) messages = NULL;
      g_autoptr(GtkNoSelection) participants = NULL;

      say_why_renamed (self, client, room);

      messages = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->log)));
      participants = gtk_no_selection_new (g_object_ref (tertulia_room_get_participants (room)));
      gtk_list_view_set_model (self->message_view, GTK_SELECTION_MODEL (messages));
      gtk_list_view_set_model (self->participant_view, GTK_SELECTION_MODEL (participants));
    }
  else
    {
      gtk_list_view_set_model (self->message_view, NULL);
      gtk_list_view_set_model (self->participant_view, NULL);
    }

  _tertulia_chat_page_archive_set_room (self, room);
  _tertulia_chat_page_conversation_set_room (self, room);
  _tertulia_chat_page_moderation_set_room (self, room);
  _tertulia_chat_page_private_messages_set_room (self, room);
  _tertulia_chat_page_clear_completion (self);
  tertulia_uploads_cancel_all (self->uploads);
  _tertulia_chat_page_set_entry_text (self, "");
  gtk_revealer_set_reveal_child (self->new_messages_revealer, FALSE);

  if (client != NULL)
    _tertulia_chat_page_queue_scroll_to_bottom (self);
  else
    g_clear_handle_id (&self->scroll_idle_id, g_source_remove);

  _tertulia_chat_page_update_header (self);
  update_banner (self);
  update_lan_watch (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CLIENT]);
}

guint
tertulia_chat_page_get_share_port (TertuliaChatPage *self)
{
  g_return_val_if_fail (TERTULIA_IS_CHAT_PAGE (self), 0);

  return self->share_port;
}

void
tertulia_chat_page_set_share_port (TertuliaChatPage *self,
                                   guint             port)
{
  g_return_if_fail (TERTULIA_IS_CHAT_PAGE (self));

  if (self->share_port == port)
    return;

  self->share_port = port;
  tertulia_share_popover_set_port (self->share_popover, port);
  gtk_widget_set_visible (self->share_button, port != 0);
  update_empty_page (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SHARE_PORT]);
}

void
tertulia_chat_page_focus_entry (TertuliaChatPage *self)
{
  g_return_if_fail (TERTULIA_IS_CHAT_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

GtkTextView *
_tertulia_chat_page_get_entry (TertuliaChatPage *self)
{
  g_return_val_if_fail (TERTULIA_IS_CHAT_PAGE (self), NULL);

  return self->entry;
}

GtkLabel *
_tertulia_chat_page_get_length_label (TertuliaChatPage *self)
{
  return self->length_label;
}

GtkListView *
_tertulia_chat_page_get_message_view (TertuliaChatPage *self)
{
  g_return_val_if_fail (TERTULIA_IS_CHAT_PAGE (self), NULL);

  return self->message_view;
}

GtkLabel *
_tertulia_chat_page_get_banner_label (TertuliaChatPage *self)
{
  g_return_val_if_fail (TERTULIA_IS_CHAT_PAGE (self), NULL);

  return self->banner_label;
}

GtkWidget *
_tertulia_chat_page_get_share_button (TertuliaChatPage *self)
{
  g_return_val_if_fail (TERTULIA_IS_CHAT_PAGE (self), NULL);

  return self->share_button;
}

GtkRevealer *
_tertulia_chat_page_get_new_messages_revealer (TertuliaChatPage *self)
{
  g_return_val_if_fail (TERTULIA_IS_CHAT_PAGE (self), NULL);

  return self->new_messages_revealer;
}

void
_tertulia_chat_page_notify_conversation (TertuliaChatPage *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CONVERSATION]);
}

GtkListView *
_tertulia_chat_page_get_participant_view (TertuliaChatPage *self)
{
  return self->participant_view;
}

TertuliaConversationPage *
_tertulia_chat_page_get_conversation_page (TertuliaChatPage *self)
{
  return self->conversation_page;
}

GtkWidget *
_tertulia_chat_page_get_room_settings (TertuliaChatPage *self)
{
  return self->room_settings;
}

const char *
_tertulia_chat_page_get_composer_status (TertuliaChatPage *self)
{
  if (!gtk_revealer_get_reveal_child (self->composer_status_revealer))
    return NULL;

  return gtk_label_get_text (self->composer_status_label);
}

GtkListBox *
_tertulia_chat_page_get_conversation_list (TertuliaChatPage *self)
{
  return self->conversation_list;
}

GtkLabel *
_tertulia_chat_page_get_unread_badge (TertuliaChatPage *self)
{
  return self->unread_badge;
}

GtkWidget *
_tertulia_chat_page_get_leave_button (TertuliaChatPage *self)
{
  return self->leave_button;
}

GtkWidget *
_tertulia_chat_page_get_retry_button (TertuliaChatPage *self)
{
  return self->retry_button;
}

AdwWindowTitle *
_tertulia_chat_page_get_window_title (TertuliaChatPage *self)
{
  return self->window_title;
}

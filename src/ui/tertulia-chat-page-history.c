/* tertulia-chat-page-history.c — older messages, loaded as you scroll up to them
 *
 * The welcome brings the room's recent past. Scrolling to (near) the top
 * of the log, or going to its first row from the keyboard, asks the host
 * for the page before it while the room has older messages. The rows go
 * in above the ones you are reading, and GtkListView keeps those where
 * they are: it anchors the view on a row, not on a pixel offset. A small
 * spinner at the top says a page is on its way.
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-chat-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tertulia-chat-page-private.h"

/* How close to the top of the log asks for more: about a screenful of
 * rows still to read while the page comes.
 */
#define TOP_SLACK_PX 400.0
#define HISTORY_PAGE 100

static gboolean
can_fetch (TertuliaChatPage *self)
{
  TertuliaRoom *room = _tertulia_chat_page_get_room (self);

  return room != NULL &&
         tertulia_room_get_has_older (room) &&
         tertulia_client_get_state (self->client) == TERTULIA_CONNECTION_CONNECTED &&
         !tertulia_client_get_fetching_history (self->client);
}

static void
fetch (TertuliaChatPage *self)
{
  self->history_asked_before = tertulia_room_get_oldest_seq (_tertulia_chat_page_get_room (self));
  tertulia_client_fetch_history (self->client, HISTORY_PAGE);
}

/* While the log follows its end, its top is only passed through (the
 * view laying out, a welcome arriving); a log too short to scroll has
 * room for more in any case.
 */
void
_tertulia_chat_page_fetch_older_if_at_top (TertuliaChatPage *self)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  double page_size = gtk_adjustment_get_page_size (adjustment);
  gboolean fits = gtk_adjustment_get_upper (adjustment) <= page_size;

  if (page_size <= 0 || !can_fetch (self))
    return;

  if (gtk_adjustment_get_value (adjustment) > TOP_SLACK_PX || (self->stick_to_bottom && !fits))
    return;

  g_debug ("At the top of the log: asking for older messages");
  fetch (self);
}

static gboolean
fetch_after_key_cb (gpointer user_data)
{
  TertuliaChatPage *self = user_data;

  self->history_key_idle_id = 0;
  _tertulia_chat_page_fetch_older_if_at_top (self);

  return G_SOURCE_REMOVE;
}

/* The keyboard reaches the first row with Home, or with Up and Page Up
 * when the log is already at its top and does not scroll any more.
 */
static gboolean
message_view_key_pressed_cb (TertuliaChatPage      *self,
                             guint                  keyval,
                             guint                  keycode,
                             GdkModifierType        state,
                             GtkEventControllerKey *controller)
{
  switch (keyval)
    {
    case GDK_KEY_Home:
    case GDK_KEY_KP_Home:
      if (can_fetch (self))
        fetch (self);
      break;

    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
    case GDK_KEY_Page_Up:
    case GDK_KEY_KP_Page_Up:
      /* After the view has moved the focus (and maybe scrolled) */
      if (self->history_key_idle_id == 0)
        self->history_key_idle_id = g_idle_add (fetch_after_key_cb, self);
      break;

    default:
      break;
    }

  /* The list view moves the focus as usual */
  return GDK_EVENT_PROPAGATE;
}

/* Once the view has laid out the rows a page put in front, and moved
 * the log to keep what you read in place
 */
static void
after_paint_cb (GdkFrameClock    *clock,
                TertuliaChatPage *self)
{
  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, self);
  self->history_after_paint = FALSE;
  _tertulia_chat_page_fetch_older_if_at_top (self);
}

static void
fetching_history_changed_cb (TertuliaChatPage *self)
{
  gboolean fetching = self->client != NULL && tertulia_client_get_fetching_history (self->client);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self->message_view));

  gtk_revealer_set_reveal_child (self->history_revealer, fetching);
  gtk_spinner_set_spinning (self->history_spinner, fetching);

  /* A page that brought rows may leave you at the top still (a log too
   * short to scroll); one that brought none (refused) waits for you to
   * scroll or press a key again, rather than asking in a loop.
   */
  if (!fetching && self->client != NULL && clock != NULL && !self->history_after_paint &&
      tertulia_room_get_oldest_seq (_tertulia_chat_page_get_room (self)) != self->history_asked_before)
    {
      self->history_after_paint = TRUE;
      g_signal_connect_object (clock, "after-paint", G_CALLBACK (after_paint_cb), self, 0);
    }
}

/* Over the top of the log, like "New Messages" over its bottom */
static void
add_spinner (TertuliaChatPage *self)
{
  GtkWidget *overlay = gtk_widget_get_parent (GTK_WIDGET (self->scroller));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

  g_assert (GTK_IS_OVERLAY (overlay));

  self->history_spinner = GTK_SPINNER (gtk_spinner_new ());
  gtk_widget_set_margin_top (GTK_WIDGET (self->history_spinner), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->history_spinner), 6);
  gtk_widget_set_margin_start (GTK_WIDGET (self->history_spinner), 6);
  gtk_widget_set_margin_end (GTK_WIDGET (self->history_spinner), 6);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->history_spinner));
  gtk_widget_add_css_class (box, "osd");
  gtk_widget_add_css_class (box, "circular");
  gtk_accessible_update_property (GTK_ACCESSIBLE (box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Loading older messages"),
                                  -1);

  self->history_revealer = GTK_REVEALER (gtk_revealer_new ());
  gtk_revealer_set_transition_type (self->history_revealer, GTK_REVEALER_TRANSITION_TYPE_CROSSFADE);
  gtk_revealer_set_child (self->history_revealer, box);
  gtk_widget_set_halign (GTK_WIDGET (self->history_revealer), GTK_ALIGN_CENTER);
  gtk_widget_set_valign (GTK_WIDGET (self->history_revealer), GTK_ALIGN_START);
  gtk_widget_set_margin_top (GTK_WIDGET (self->history_revealer), 12);
  gtk_widget_set_can_target (GTK_WIDGET (self->history_revealer), FALSE);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), GTK_WIDGET (self->history_revealer));
}

gboolean
_tertulia_chat_page_is_older_page (TertuliaChatPage *self,
                                   GListModel       *log,
                                   guint             position)
{
  g_autoptr(TertuliaMessage) first = NULL;
  gint64 seq;

  if (self->client == NULL || !tertulia_client_get_fetching_history (self->client))
    return FALSE;

  first = g_list_model_get_item (log, position);
  seq = first != NULL ? tertulia_message_get_seq (first) : 0;

  return seq > 0 && (self->history_asked_before == 0 || seq < self->history_asked_before);
}

void
_tertulia_chat_page_init_history (TertuliaChatPage *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  add_spinner (self);

  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed",
                           G_CALLBACK (message_view_key_pressed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->message_view), keys);

  g_signal_group_connect_object (self->client_signals, "notify::fetching-history",
                                 G_CALLBACK (fetching_history_changed_cb), self, G_CONNECT_SWAPPED);
}

void
_tertulia_chat_page_dispose_history (TertuliaChatPage *self)
{
  g_clear_handle_id (&self->history_key_idle_id, g_source_remove);
}

GtkRevealer *
_tertulia_chat_page_get_history_revealer (TertuliaChatPage *self)
{
  g_return_val_if_fail (TERTULIA_IS_CHAT_PAGE (self), NULL);

  return self->history_revealer;
}

/* tertulia-chat-page-archive.c — the chat page and the archive: Ctrl+F,
 * jumping to a result, and what has been read
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-chat-page"

#include "config.h"

#include "tertulia-app-archive.h"
#include "tertulia-chat-page-private.h"
#include "tertulia-room-recorder.h"
#include "tertulia-search-bar.h"

/* How long the message a search jumped to stays marked */
#define HIGHLIGHT_MSEC 2000
/* Frames to wait for the row to be laid out after scrolling to it */
#define JUMP_MAX_FRAMES 30

/* What has been read: everything, once the log is shown at its end in the
 * active window.
 */

static gboolean
mark_read_cb (gpointer user_data)
{
  TertuliaChatPage *self = user_data;
  TertuliaRoom *room = _tertulia_chat_page_get_room (self);
  TertuliaArchive *archive = tertulia_app_archive_get_writable ();
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  gint64 seq;

  self->read_idle_id = 0;

  if (room == NULL || archive == NULL || tertulia_room_get_id (room) == NULL ||
      !gtk_widget_get_mapped (GTK_WIDGET (self)) || !self->stick_to_bottom ||
      !GTK_IS_WINDOW (root) || !gtk_window_is_active (GTK_WINDOW (root)))
    return G_SOURCE_REMOVE;

  seq = tertulia_room_get_last_seq (room);
  if (seq > self->read_seq)
    {
      self->read_seq = seq;
      tertulia_archive_mark_read (archive, tertulia_room_get_id (room), seq);
    }

  return G_SOURCE_REMOVE;
}

static void
queue_mark_read (TertuliaChatPage *self)
{
  if (self->read_idle_id == 0)
    self->read_idle_id = g_idle_add_full (G_PRIORITY_LOW, mark_read_cb, self, NULL);
}

static void
map_cb (TertuliaChatPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (GTK_IS_WINDOW (root))
    g_signal_connect_object (root, "notify::is-active",
                             G_CALLBACK (queue_mark_read), self, G_CONNECT_SWAPPED);
  queue_mark_read (self);
}

static void
unmap_cb (TertuliaChatPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (root != NULL)
    g_signal_handlers_disconnect_by_func (root, queue_mark_read, self);
}


/* Jumping to a message */

static gboolean
find_in_log (TertuliaChatPage *self,
             gint64            seq,
             guint            *position)
{
  GListModel *log = G_LIST_MODEL (self->log);
  guint n = log != NULL ? g_list_model_get_n_items (log) : 0;

  for (guint i = n; i > 0; i--)
    {
      g_autoptr(TertuliaMessage) message = g_list_model_get_item (log, i - 1);
      gint64 other = tertulia_message_get_seq (message);

      if (other == seq)
        {
          *position = i - 1;
          return TRUE;
        }

      /* Older than this message, and the log is in seq order */
      if (other != 0 && other < seq)
        return FALSE;
    }

  return FALSE;
}

static TertuliaMessageRow *
find_row (TertuliaChatPage *self,
          gint64            seq)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->message_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = gtk_widget_get_first_child (child);
      TertuliaMessage *message;

      if (!TERTULIA_IS_MESSAGE_ROW (row))
        continue;

      message = tertulia_message_row_get_message (TERTULIA_MESSAGE_ROW (row));
      if (message != NULL && tertulia_message_get_seq (message) == seq &&
          gtk_widget_get_child_visible (child))
        return TERTULIA_MESSAGE_ROW (row);
    }

  return NULL;
}

static gboolean
unhighlight_cb (gpointer user_data)
{
  TertuliaChatPage *self = user_data;

  self->unhighlight_id = 0;
  if (self->highlighted != NULL)
    {
      gtk_widget_remove_css_class (self->highlighted, "search-hit");
      g_clear_weak_pointer (&self->highlighted);
    }

  return G_SOURCE_REMOVE;
}

/* The view lays rows out a frame after it scrolled (heights it had only
 * estimated become real): scroll again until the row is there, then mark
 * it and give it the keyboard focus.
 */
static gboolean
jump_tick_cb (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       user_data)
{
  TertuliaChatPage *self = user_data;
  TertuliaMessageRow *row = find_row (self, self->jump_seq);
  guint position;

  if (row == NULL && self->jump_frames++ < JUMP_MAX_FRAMES)
    {
      if (find_in_log (self, self->jump_seq, &position))
        gtk_widget_activate_action (GTK_WIDGET (self->message_view),
                                    "list.scroll-to-item", "u", position);
      return G_SOURCE_CONTINUE;
    }

  self->jump_tick_id = 0;
  if (row == NULL)
    return G_SOURCE_REMOVE;

  unhighlight_cb (self);
  g_set_weak_pointer (&self->highlighted, GTK_WIDGET (row));
  gtk_widget_add_css_class (GTK_WIDGET (row), "search-hit");
  self->unhighlight_id = g_timeout_add (HIGHLIGHT_MSEC, unhighlight_cb, self);

  /* The keyboard goes on from there (the search bar stays open) */
  gtk_widget_grab_focus (gtk_widget_get_parent (GTK_WIDGET (row)));

  return G_SOURCE_REMOVE;
}

gboolean
_tertulia_chat_page_jump_to_seq (TertuliaChatPage *self,
                                 gint64            seq)
{
  TertuliaRoom *room = _tertulia_chat_page_get_room (self);
  TertuliaArchive *archive = tertulia_app_archive_get ();
  guint position;

  if (room == NULL)
    return FALSE;

  /* Older than the log goes: the archive has it */
  if (!find_in_log (self, seq, &position) &&
      (archive == NULL || !tertulia_room_recorder_load_from (archive, room, seq) ||
       !find_in_log (self, seq, &position)))
    return FALSE;

  /* Reading back: the log stops following the end, as when scrolled up */
  self->stick_to_bottom = FALSE;
  g_clear_handle_id (&self->scroll_idle_id, g_source_remove);
  gtk_revealer_set_reveal_child (self->new_messages_revealer, TRUE);

  gtk_widget_activate_action (GTK_WIDGET (self->message_view), "list.scroll-to-item", "u", position);

  self->jump_seq = seq;
  self->jump_frames = 0;
  if (self->jump_tick_id == 0)
    self->jump_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self->message_view),
                                                       jump_tick_cb, self, NULL);

  return TRUE;
}

static void
search_jump_cb (TertuliaChatPage  *self,
                gint64             seq,
                TertuliaSearchBar *search_bar)
{
  _tertulia_chat_page_jump_to_seq (self, seq);
}

static void
search_closed_cb (TertuliaChatPage *self)
{
  tertulia_chat_page_focus_entry (self);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TertuliaChatPage *self = TERTULIA_CHAT_PAGE (widget);
  TertuliaRoom *room = _tertulia_chat_page_get_room (self);

  if (room == NULL)
    return;

  /* What was kept can be searched even while nothing more is kept */
  tertulia_search_bar_set_scope (self->search_bar, tertulia_app_archive_get (),
                                 tertulia_room_get_id (room));
  tertulia_search_bar_open (self->search_bar);
}

/* Escape closes the search wherever the focus is (after a jump it is on
 * the message); otherwise it is left to whatever else wants it.
 */
static gboolean
close_search_cb (GtkWidget *widget,
                 GVariant  *args,
                 gpointer   user_data)
{
  TertuliaChatPage *self = TERTULIA_CHAT_PAGE (widget);

  if (!tertulia_search_bar_get_open (self->search_bar))
    return FALSE;

  tertulia_search_bar_close (self->search_bar);

  return TRUE;
}

static void
archive_failed_cb (TertuliaChatPage *self)
{
  tertulia_app_archive_tell_problem (GTK_WIDGET (self));
}

void
_tertulia_chat_page_class_init_archive (GtkWidgetClass *widget_class)
{
  g_type_ensure (TERTULIA_TYPE_SEARCH_BAR);

  gtk_widget_class_bind_template_child (widget_class, TertuliaChatPage, search_bar);
  gtk_widget_class_install_action (widget_class, "chat.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "chat.search", NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, close_search_cb, NULL);
}

void
_tertulia_chat_page_init_archive (TertuliaChatPage *self)
{
  TertuliaArchive *archive = tertulia_app_archive_get ();

  g_signal_connect_swapped (self->search_bar, "jump", G_CALLBACK (search_jump_cb), self);
  g_signal_connect_swapped (self->search_bar, "closed", G_CALLBACK (search_closed_cb), self);
  g_signal_connect (self, "map", G_CALLBACK (map_cb), NULL);
  g_signal_connect (self, "unmap", G_CALLBACK (unmap_cb), NULL);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scroller), "value-changed",
                           G_CALLBACK (queue_mark_read), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->room_signals, "notify::last-seq",
                                 G_CALLBACK (queue_mark_read), self, G_CONNECT_SWAPPED);
  if (archive != NULL)
    g_signal_connect_object (archive, "failed", G_CALLBACK (archive_failed_cb),
                             self, G_CONNECT_SWAPPED);
}

void
_tertulia_chat_page_archive_set_room (TertuliaChatPage *self,
                                      TertuliaRoom     *room)
{
  self->read_seq = 0;
  tertulia_search_bar_close (self->search_bar);
  tertulia_search_bar_set_scope (self->search_bar, NULL, NULL);
  if (room != NULL)
    queue_mark_read (self);
}

void
_tertulia_chat_page_dispose_archive (TertuliaChatPage *self)
{
  g_clear_handle_id (&self->read_idle_id, g_source_remove);
  g_clear_handle_id (&self->unhighlight_id, g_source_remove);
  if (self->jump_tick_id != 0 && self->message_view != NULL)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->message_view), self->jump_tick_id);
  self->jump_tick_id = 0;
  g_clear_weak_pointer (&self->highlighted);
}

/* tertulia-chat-page-composer.c — the chat page's entry: Tab completes
 * nicknames, Enter sends a message or runs a slash command; files go
 * with the attach button, dropped on the log or pasted
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-chat-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tertulia-chat-page-private.h"
#include "tertulia-command.h"
#include "tertulia-protocol.h"
#include "tertulia-uploads.h"

/* The text view's buffer, in the character offsets GtkEditable spoke. */

static GtkTextBuffer *
get_buffer (TertuliaChatPage *self)
{
  return gtk_text_view_get_buffer (self->entry);
}

char *
_tertulia_chat_page_dup_entry_text (TertuliaChatPage *self)
{
  GtkTextIter start, end;

  g_return_val_if_fail (TERTULIA_IS_CHAT_PAGE (self), NULL);

  gtk_text_buffer_get_bounds (get_buffer (self), &start, &end);

  return gtk_text_buffer_get_text (get_buffer (self), &start, &end, FALSE);
}

void
_tertulia_chat_page_set_entry_text (TertuliaChatPage *self,
                                    const char       *text)
{
  g_return_if_fail (TERTULIA_IS_CHAT_PAGE (self));

  gtk_text_buffer_set_text (get_buffer (self), text, -1);
}

static int
get_cursor (TertuliaChatPage *self)
{
  GtkTextBuffer *buffer = get_buffer (self);
  GtkTextIter iter;

  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));

  return gtk_text_iter_get_offset (&iter);
}

static void
set_cursor (TertuliaChatPage *self,
            int               offset)
{
  GtkTextBuffer *buffer = get_buffer (self);
  GtkTextIter iter;

  if (offset < 0)
    gtk_text_buffer_get_end_iter (buffer, &iter);
  else
    gtk_text_buffer_get_iter_at_offset (buffer, &iter, offset);
  gtk_text_buffer_place_cursor (buffer, &iter);
}

/* Replaces the characters [@start, @end) with @text; returns where the
 * inserted text ends.
 */
static int
replace_range (TertuliaChatPage *self,
               int               start,
               int               end,
               const char       *text)
{
  GtkTextBuffer *buffer = get_buffer (self);
  GtkTextIter from, to;

  gtk_text_buffer_begin_user_action (buffer);
  gtk_text_buffer_get_iter_at_offset (buffer, &from, start);
  gtk_text_buffer_get_iter_at_offset (buffer, &to, end);
  gtk_text_buffer_delete (buffer, &from, &to);
  gtk_text_buffer_insert (buffer, &from, text, -1);
  gtk_text_buffer_end_user_action (buffer);

  return gtk_text_iter_get_offset (&from);
}

void
_tertulia_chat_page_insert_at_start (TertuliaChatPage *self,
                                     const char       *text)
{
  replace_range (self, 0, 0, text);
  set_cursor (self, -1);
}

void
_tertulia_chat_page_clear_completion (TertuliaChatPage *self)
{
  g_clear_pointer (&self->completions, g_strfreev);
  self->completion_index = 0;
}

gboolean
_tertulia_chat_page_complete (TertuliaChatPage *self)
{
  g_autofree char *replacement = NULL;
  g_autofree char *text = NULL;
  int position;

  g_return_val_if_fail (TERTULIA_IS_CHAT_PAGE (self), FALSE);

  if (self->client == NULL)
    return FALSE;

  if (self->completions == NULL)
    {
      int cursor = get_cursor (self);
      const char *end;
      const char *word;
      g_autofree char *prefix = NULL;
      gboolean at_sign;

      text = _tertulia_chat_page_dup_entry_text (self);
      end = g_utf8_offset_to_pointer (text, cursor);
      word = end;

      while (word > text)
        {
          const char *previous = g_utf8_prev_char (word);

          if (g_unichar_isspace (g_utf8_get_char (previous)))
            break;
          word = previous;
        }

      at_sign = *word == '@';
      if (at_sign)
        word++;

      if (word >= end)
        return FALSE;

      prefix = g_strndup (word, end - word);
      self->completions = tertulia_room_complete_nick (_tertulia_chat_page_get_room (self), prefix);

      if (self->completions == NULL || self->completions[0] == NULL)
        {
          _tertulia_chat_page_clear_completion (self);
          gtk_widget_error_bell (GTK_WIDGET (self->entry));
          return TRUE;
        }

      self->completion_index = 0;
      self->completion_start = g_utf8_pointer_to_offset (text, word);
      self->completion_end = cursor;
      self->completion_at_start = word == text;
    }
  else
    {
      self->completion_index = (self->completion_index + 1) % g_strv_length (self->completions);
    }

  /* "ana: " addresses someone at the start of a line, IRC style. */
  replacement = g_strconcat (self->completions[self->completion_index],
                             self->completion_at_start ? ": " : " ",
                             NULL);

  self->completing = TRUE;
  position = replace_range (self, self->completion_start, self->completion_end, replacement);
  set_cursor (self, position);
  self->completing = FALSE;

  self->completion_end = position;

  return TRUE;
}

static gboolean
entry_key_pressed_cb (TertuliaChatPage      *self,
                      guint                  keyval,
                      guint                  keycode,
                      GdkModifierType        state,
                      GtkEventControllerKey *controller)
{
  if ((keyval == GDK_KEY_Tab || keyval == GDK_KEY_KP_Tab) &&
      (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK)) == 0)
    return _tertulia_chat_page_complete (self);

  /* Tab completes nicknames, so Shift+Tab is the way to the log: to its
   * newest message, where the arrow keys go on.
   */
  if (keyval == GDK_KEY_ISO_Left_Tab ||
      ((keyval == GDK_KEY_Tab || keyval == GDK_KEY_KP_Tab) && (state & GDK_SHIFT_MASK) != 0))
    {
      _tertulia_chat_page_clear_completion (self);
      return _tertulia_chat_page_focus_last_message (self);
    }

  if (keyval != GDK_KEY_Shift_L && keyval != GDK_KEY_Shift_R)
    _tertulia_chat_page_clear_completion (self);

  /* Escape leaves replying or editing */
  if (keyval == GDK_KEY_Escape && (state & gtk_accelerator_get_default_mod_mask ()) == 0 &&
      _tertulia_chat_page_cancel_compose (self))
    return GDK_EVENT_STOP;

  /* Up in an empty entry edits your last message, as in other chat apps */
  if ((keyval == GDK_KEY_Up || keyval == GDK_KEY_KP_Up) &&
      (state & gtk_accelerator_get_default_mod_mask ()) == 0 &&
      gtk_text_buffer_get_char_count (get_buffer (self)) == 0)
    return _tertulia_chat_page_edit_last_own (self);

  /* Enter sends; Shift+Enter is a new line, which the text view makes. */
  if ((keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter) &&
      (state & (GDK_SHIFT_MASK | GDK_CONTROL_MASK | GDK_ALT_MASK)) == 0)
    {
      tertulia_chat_page_submit (self);
      return GDK_EVENT_STOP;
    }

  return GDK_EVENT_PROPAGATE;
}

/* Near the room's limit, the count of what is left shows; past it, how
 * much is too much (the room would refuse it).
 */
static void
update_length_hint (TertuliaChatPage *self)
{
  g_autofree char *text = _tertulia_chat_page_dup_entry_text (self);
  glong left = TERTULIA_MAX_TEXT_CHARS - g_utf8_strlen (text, -1);
  g_autofree char *hint = NULL;

  if (left > TERTULIA_CHAT_PAGE_LENGTH_HINT_CHARS)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->length_label), FALSE);
      return;
    }

  if (left >= 0)
    /* Translators: shown by the message entry near the length limit */
    hint = g_strdup_printf (ngettext ("%ld character left", "%ld characters left", left), left);
  else
    /* Translators: shown by the message entry past the length limit */
    hint = g_strdup_printf (ngettext ("%ld character too many", "%ld characters too many", -left), -left);

  gtk_label_set_text (self->length_label, hint);
  if (left < 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->length_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->length_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->length_label), TRUE);
}

static void
entry_changed_cb (TertuliaChatPage *self)
{
  if (!self->completing)
    _tertulia_chat_page_clear_completion (self);

  gtk_widget_set_visible (self->placeholder_label,
                          gtk_text_buffer_get_char_count (get_buffer (self)) == 0);
  update_length_hint (self);
  _tertulia_chat_page_update_typing (self);
}

static void
emoji_picked_cb (TertuliaChatPage *self,
                 const char       *emoji)
{
  gtk_text_buffer_insert_at_cursor (get_buffer (self), emoji, -1);
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

void
tertulia_chat_page_submit (TertuliaChatPage *self)
{
  g_autoptr(TertuliaCommand) command = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *typed = NULL;
  TertuliaRoom *room;
  gboolean ok = TRUE;

  g_return_if_fail (TERTULIA_IS_CHAT_PAGE (self));

  if (self->client == NULL)
    return;

  room = _tertulia_chat_page_get_room (self);
  typed = _tertulia_chat_page_dup_entry_text (self);

  /* While editing, what is typed is the message's new text as it is */
  if (_tertulia_chat_page_submit_edit (self, typed))
    return;

  command = tertulia_command_parse (typed, &error);

  if (command == NULL)
    {
      /* Enter on an empty entry does nothing; other mistakes are said in
       * the log, and what was typed stays to be fixed.
       */
      if (!g_error_matches (error, TERTULIA_COMMAND_ERROR, TERTULIA_COMMAND_ERROR_EMPTY))
        {
          tertulia_room_add_notice (room, error->message);
          _tertulia_chat_page_queue_scroll_to_bottom (self);
        }
      return;
    }

  /* Slow mode: the room would refuse it; what was typed waits */
  if ((command->type == TERTULIA_COMMAND_SAY || command->type == TERTULIA_COMMAND_ME) &&
      _tertulia_chat_page_must_wait (self))
    {
      gtk_widget_error_bell (GTK_WIDGET (self->entry));
      return;
    }

  switch (command->type)
    {
    case TERTULIA_COMMAND_SAY:
      ok = _tertulia_chat_page_send_text (self, TERTULIA_MESSAGE_KIND_CHAT, command->argument, &error);
      break;

    case TERTULIA_COMMAND_ME:
      ok = _tertulia_chat_page_send_text (self, TERTULIA_MESSAGE_KIND_ACTION, command->argument, &error);
      break;

    case TERTULIA_COMMAND_NICK:
      ok = tertulia_client_change_nickname (self->client, command->argument, &error);
      break;

    case TERTULIA_COMMAND_TOPIC:
      ok = tertulia_client_change_topic (self->client,
                                         command->argument != NULL ? command->argument : "",
                                         &error);
      break;

    case TERTULIA_COMMAND_LIST:
      {
        g_autofree char *list = tertulia_room_describe_participants (room);

        tertulia_room_add_notice (room, list);
      }
      break;

    case TERTULIA_COMMAND_HELP:
      tertulia_room_add_notice (room, tertulia_command_help_text ());
      break;

    case TERTULIA_COMMAND_QUIT:
      _tertulia_chat_page_set_entry_text (self, "");
      gtk_widget_activate_action (GTK_WIDGET (self), "win.leave", NULL);
      return;

    /* issue 18: moderation and /msg, run by the core */
    case TERTULIA_COMMAND_KICK: case TERTULIA_COMMAND_BAN: case TERTULIA_COMMAND_UNBAN:
    case TERTULIA_COMMAND_BANS: case TERTULIA_COMMAND_MUTE: case TERTULIA_COMMAND_UNMUTE:
    case TERTULIA_COMMAND_SLOW: case TERTULIA_COMMAND_LOCK: case TERTULIA_COMMAND_UNLOCK:
    case TERTULIA_COMMAND_OP: case TERTULIA_COMMAND_DEOP:
      ok = tertulia_client_run_command (self->client, command, &error);
      break;

    case TERTULIA_COMMAND_MSG:
      /* The message lands in its conversation, which is shown */
      ok = tertulia_client_run_command (self->client, command, &error);
      if (ok)
        {
          TertuliaParticipant *to = tertulia_room_find_participant_by_nick (room, command->target);

          _tertulia_chat_page_set_entry_text (self, "");
          if (to != NULL)
            _tertulia_chat_page_show_conversation_with (self, to, TRUE);
          return;
        }
      break;

    default:
      g_assert_not_reached ();
    }

  if (!ok)
    {
      tertulia_room_add_notice (room, error->message);
      _tertulia_chat_page_queue_scroll_to_bottom (self);
      return;
    }

  if (command->type == TERTULIA_COMMAND_SAY || command->type == TERTULIA_COMMAND_ME)
    _tertulia_chat_page_note_message_sent (self);

  _tertulia_chat_page_set_entry_text (self, "");
  _tertulia_chat_page_queue_scroll_to_bottom (self);
}

static void
entry_activate_cb (TertuliaChatPage *self)
{
  tertulia_chat_page_submit (self);
}

/* Files */

void
_tertulia_chat_page_send_files (TertuliaChatPage *self,
                                GSList           *files)
{
  if (self->client == NULL)
    return;

  for (GSList *l = files; l != NULL; l = l->next)
    tertulia_uploads_add (self->uploads, self->client, l->data, NULL, FALSE);
}

static void
attach_response_cb (TertuliaChatPage *self,
                    int               response,
                    GtkNativeDialog  *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) chosen = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
      g_autoslist(GFile) files = NULL;
      guint n = g_list_model_get_n_items (chosen);

      for (guint i = n; i > 0; i--)
        files = g_slist_prepend (files, g_list_model_get_item (chosen, i - 1));
      _tertulia_chat_page_send_files (self, files);
    }

  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->attach_chooser);
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

static void
attach_clicked_cb (TertuliaChatPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;

  if (self->attach_chooser != NULL)
    return;

  /* GtkFileChooserNative goes through the file chooser portal when there
   * is one (GtkFileDialog is GTK 4.10)
   */
  chooser = gtk_file_chooser_native_new (_("Send Files"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Send"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (attach_response_cb), self, G_CONNECT_SWAPPED);
  self->attach_chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->attach_chooser);
}

static gboolean
drop_cb (TertuliaChatPage *self,
         const GValue     *value,
         double            x,
         double            y)
{
  GdkFileList *list;
  g_autoptr(GSList) files = NULL;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST) || self->client == NULL)
    return FALSE;

  list = g_value_get_boxed (value);
  files = gdk_file_list_get_files (list);
  _tertulia_chat_page_send_files (self, files);

  return TRUE;
}

static void
drop_active_cb (TertuliaChatPage *self,
                GParamSpec       *pspec,
                GtkDropTarget    *target)
{
  gtk_widget_set_visible (self->drop_highlight,
                          self->client != NULL && gtk_drop_target_get_current_drop (target) != NULL);
}

typedef struct
{
  GdkTexture *texture;
  GFile      *file;
} PastedPicture;

static void
pasted_picture_free (PastedPicture *pasted)
{
  g_clear_object (&pasted->texture);
  g_clear_object (&pasted->file);
  g_free (pasted);
}

/* A pasted picture's PNG is written off the main thread: a screenshot of
 * a 4K screen takes a while to compress
 */
static void
save_png_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  PastedPicture *pasted = task_data;
  g_autofree char *path = g_file_get_path (pasted->file);

  if (!gdk_texture_save_to_png (pasted->texture, path))
    {
      g_file_delete (pasted->file, NULL, NULL);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot write %s", path);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
png_saved_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  TertuliaChatPage *self = TERTULIA_CHAT_PAGE (object);
  PastedPicture *pasted = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%d %H.%M.%S");
  g_autofree char *name = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_warning ("Pasted picture not kept: %s", error->message);
      return;
    }

  if (self->client == NULL)
    {
      g_file_delete (pasted->file, NULL, NULL);
      return;
    }

  /* Translators: the name a pasted picture is sent under; %s is the date and time */
  name = g_strdup_printf (_("Pasted picture %s.png"), stamp);
  tertulia_uploads_add (self->uploads, self->client, pasted->file, name, TRUE);
}

static void
paste_texture_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(TertuliaChatPage) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GFileIOStream) stream = NULL;
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  PastedPicture *pasted;
  GFile *file;

  texture = gdk_clipboard_read_texture_finish (GDK_CLIPBOARD (object), result, &error);
  if (texture == NULL)
    {
      g_debug ("Nothing pasted: %s", error->message);
      return;
    }

  file = g_file_new_tmp ("tertulia-paste-XXXXXX.png", &stream, &error);
  if (file == NULL)
    {
      g_warning ("Pasted picture not kept: %s", error->message);
      return;
    }
  g_io_stream_close (G_IO_STREAM (stream), NULL, NULL);

  pasted = g_new0 (PastedPicture, 1);
  pasted->texture = g_steal_pointer (&texture);
  pasted->file = file;

  task = g_task_new (self, NULL, png_saved_cb, NULL);
  g_task_set_source_tag (task, paste_texture_cb);
  g_task_set_task_data (task, pasted, (GDestroyNotify) pasted_picture_free);
  g_task_run_in_thread (task, save_png_thread);
}

static void
paste_files_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(TertuliaChatPage) self = user_data;
  g_autoptr(GError) error = NULL;
  const GValue *value;

  value = gdk_clipboard_read_value_finish (GDK_CLIPBOARD (object), result, &error);
  if (value == NULL)
    {
      g_debug ("Nothing pasted: %s", error->message);
      return;
    }

  drop_cb (self, value, 0, 0);
}

/* Ctrl+V (or the menu's Paste) with files or a picture on the clipboard
 * sends them; text is pasted as text, as ever
 */
static void
entry_paste_cb (TertuliaChatPage *self,
                GtkTextView      *entry)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (entry));
  g_autoptr(GdkContentFormats) formats = NULL;

  if (self->client == NULL)
    return;

  /* What the clipboard can be read as, not only what it was given as */
  formats = gdk_content_formats_union_deserialize_gtypes (gdk_content_formats_ref (gdk_clipboard_get_formats (clipboard)));

  if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_FILE_LIST))
    {
      g_signal_stop_emission_by_name (entry, "paste-clipboard");
      gdk_clipboard_read_value_async (clipboard, GDK_TYPE_FILE_LIST, G_PRIORITY_DEFAULT, NULL,
                                      paste_files_cb, g_object_ref (self));
    }
  else if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_TEXTURE) &&
           !gdk_content_formats_contain_gtype (formats, G_TYPE_STRING))
    {
      g_signal_stop_emission_by_name (entry, "paste-clipboard");
      gdk_clipboard_read_texture_async (clipboard, NULL, paste_texture_cb, g_object_ref (self));
    }
}

void
_tertulia_chat_page_class_init_composer (GtkWidgetClass *widget_class)
{
  g_type_ensure (TERTULIA_TYPE_UPLOADS);

  gtk_widget_class_bind_template_child (widget_class, TertuliaChatPage, log_overlay);
  gtk_widget_class_bind_template_child (widget_class, TertuliaChatPage, uploads);
  gtk_widget_class_bind_template_callback (widget_class, entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, emoji_picked_cb);
  gtk_widget_class_bind_template_callback (widget_class, attach_clicked_cb);
}

void
_tertulia_chat_page_dispose_composer (TertuliaChatPage *self)
{
  if (self->attach_chooser != NULL)
    gtk_native_dialog_destroy (self->attach_chooser);
  g_clear_object (&self->attach_chooser);
}

void
_tertulia_chat_page_init_composer (TertuliaChatPage *self)
{
  GtkEventController *controller = gtk_event_controller_key_new ();

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "key-pressed",
                           G_CALLBACK (entry_key_pressed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->entry), controller);

  g_signal_connect_object (get_buffer (self), "changed",
                           G_CALLBACK (entry_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->entry, "paste-clipboard",
                           G_CALLBACK (entry_paste_cb), self, G_CONNECT_SWAPPED);

  /* Files dropped anywhere on the log are sent; while they hover, the log
   * says so
   */
  {
    GtkDropTarget *target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
    GtkWidget *label = gtk_label_new (_("Drop Files to Send Them"));

    gtk_widget_add_css_class (label, "title-2");
    self->drop_highlight = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
    gtk_widget_add_css_class (self->drop_highlight, "drop-highlight");
    gtk_widget_set_can_target (self->drop_highlight, FALSE);
    gtk_widget_set_visible (self->drop_highlight, FALSE);
    gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
    gtk_widget_set_vexpand (label, TRUE);
    gtk_box_append (GTK_BOX (self->drop_highlight), label);
    gtk_overlay_add_overlay (GTK_OVERLAY (self->log_overlay), self->drop_highlight);

    g_signal_connect_object (target, "drop", G_CALLBACK (drop_cb), self, G_CONNECT_SWAPPED);
    g_signal_connect_object (target, "notify::current-drop", G_CALLBACK (drop_active_cb), self,
                             G_CONNECT_SWAPPED);
    gtk_widget_add_controller (self->log_overlay, GTK_EVENT_CONTROLLER (target));
  }
}

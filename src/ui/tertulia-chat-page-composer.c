/* tertulia-chat-page-composer.c — the chat page's entry: Tab completes
 * nicknames, Enter sends a message or runs a slash command
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

  switch (command->type)
    {
    case TERTULIA_COMMAND_SAY:
      ok = tertulia_client_send_message (self->client, TERTULIA_MESSAGE_KIND_CHAT,
                                         command->argument, &error) != NULL;
      break;

    case TERTULIA_COMMAND_ME:
      ok = tertulia_client_send_message (self->client, TERTULIA_MESSAGE_KIND_ACTION,
                                         command->argument, &error) != NULL;
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

    default:
      g_assert_not_reached ();
    }

  if (!ok)
    {
      tertulia_room_add_notice (room, error->message);
      _tertulia_chat_page_queue_scroll_to_bottom (self);
      return;
    }

  _tertulia_chat_page_set_entry_text (self, "");
  _tertulia_chat_page_queue_scroll_to_bottom (self);
}

static void
entry_activate_cb (TertuliaChatPage *self)
{
  tertulia_chat_page_submit (self);
}

void
_tertulia_chat_page_class_init_composer (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, emoji_picked_cb);
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
}

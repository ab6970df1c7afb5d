/* tertulia-message-text.h — a message's words in the chat log
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TERTULIA_TYPE_MESSAGE_TEXT (tertulia_message_text_get_type ())

G_DECLARE_FINAL_TYPE (TertuliaMessageText, tertulia_message_text, TERTULIA, MESSAGE_TEXT, GtkWidget)

/* The narrowest a message gets, in characters: GtkLabel's width-chars. */
#define TERTULIA_MESSAGE_TEXT_MIN_CHARS 20

GtkWidget  *tertulia_message_text_new          (void);
const char *tertulia_message_text_get_text     (TertuliaMessageText *self);
void        tertulia_message_text_set_text     (TertuliaMessageText *self,
                                                const char          *text);
gboolean    tertulia_message_text_get_centered (TertuliaMessageText *self);
void        tertulia_message_text_set_centered (TertuliaMessageText *self,
                                                gboolean             centered);

/* The selectable GtkLabel the text turns into under the pointer or the
 * keyboard focus; made now if it was not there.
 */
GtkLabel   *_tertulia_message_text_get_label   (TertuliaMessageText *self);

/* Whether the text is drawn by that label right now. */
gboolean    _tertulia_message_text_has_label   (TertuliaMessageText *self);

G_END_DECLS

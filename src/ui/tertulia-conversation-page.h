/* tertulia-conversation-page.h — a private conversation with one person:
 * its own log and its own entry, apart from the room's
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tertulia-client.h"
#include "tertulia-conversation.h"

G_BEGIN_DECLS

#define TERTULIA_TYPE_CONVERSATION_PAGE (tertulia_conversation_page_get_type ())

G_DECLARE_FINAL_TYPE (TertuliaConversationPage, tertulia_conversation_page, TERTULIA, CONVERSATION_PAGE, GtkBox)

/* The back button activates "chat.show-room". */
GtkWidget            *tertulia_conversation_page_new              (void);
void                  tertulia_conversation_page_set_client       (TertuliaConversationPage *self,
                                                                   TertuliaClient           *client);
TertuliaConversation *tertulia_conversation_page_get_conversation (TertuliaConversationPage *self);
void                  tertulia_conversation_page_set_conversation (TertuliaConversationPage *self,
                                                                   TertuliaConversation     *conversation);
void                  tertulia_conversation_page_focus_entry      (TertuliaConversationPage *self);
/* Sends what is typed, as Enter does; FALSE when nothing went out. */
gboolean              tertulia_conversation_page_submit           (TertuliaConversationPage *self);

/* For tests */
GtkTextView          *_tertulia_conversation_page_get_entry       (TertuliaConversationPage *self);
GtkListView          *_tertulia_conversation_page_get_message_view (TertuliaConversationPage *self);
GtkLabel             *_tertulia_conversation_page_get_title_label (TertuliaConversationPage *self);
/* What stops you from writing ("ana left the room"), or NULL */
const char           *_tertulia_conversation_page_get_status      (TertuliaConversationPage *self);

G_END_DECLS

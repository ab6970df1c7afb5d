/* tertulia-chat-page.h — a room: the log, the participants, the entry
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tertulia-client.h"
#include "tertulia-conversation.h"
#include "tertulia-conversation-page.h"
#include "tertulia-message-row.h"

G_BEGIN_DECLS

#define TERTULIA_TYPE_CHAT_PAGE (tertulia_chat_page_get_type ())

G_DECLARE_FINAL_TYPE (TertuliaChatPage, tertulia_chat_page, TERTULIA, CHAT_PAGE, AdwBin)

/* Properties:
 *   client      TertuliaClient*  the room shown; the page never sees a server
 *   share-port  guint            when hosting, the port to invite people to
 *                                (0 hides the Share button)
 *   conversation TertuliaConversation*  the private conversation shown
 *                                instead of the room's log, or NULL (read-only)
 *
 * The page asks to leave by activating "win.leave" (/quit does too).
 */
GtkWidget      *tertulia_chat_page_new            (void);
TertuliaClient *tertulia_chat_page_get_client     (TertuliaChatPage *self);
void            tertulia_chat_page_set_client     (TertuliaChatPage *self,
                                                   TertuliaClient   *client);
guint           tertulia_chat_page_get_share_port (TertuliaChatPage *self);
void            tertulia_chat_page_set_share_port (TertuliaChatPage *self,
                                                   guint             port);
void            tertulia_chat_page_focus_entry    (TertuliaChatPage *self);
TertuliaConversation *tertulia_chat_page_get_shown_conversation (TertuliaChatPage *self);
/* Shows the conversation with @peer_id; FALSE when there is none. */
gboolean        _tertulia_chat_page_show_conversation_by_id (TertuliaChatPage *self,
                                                             gint64            peer_id);
/* The window came to the front or went behind: what is shown is read. */
void            _tertulia_chat_page_mark_shown_read (TertuliaChatPage *self);
/* Opens the dialog that asks for a reason before removing or banning
 * @participant; returns it (for tests).
 */
GtkWidget      *_tertulia_chat_page_ask_to_remove (TertuliaChatPage    *self,
                                                   TertuliaParticipant *participant,
                                                   gboolean             ban);
GtkListView    *_tertulia_chat_page_get_participant_view (TertuliaChatPage *self);
TertuliaConversationPage *_tertulia_chat_page_get_conversation_page (TertuliaChatPage *self);
GtkWidget      *_tertulia_chat_page_get_room_settings (TertuliaChatPage *self);
const char     *_tertulia_chat_page_get_composer_status (TertuliaChatPage *self);
GtkListBox     *_tertulia_chat_page_get_conversation_list (TertuliaChatPage *self);
GtkLabel       *_tertulia_chat_page_get_unread_badge (TertuliaChatPage *self);
GtkWidget      *_tertulia_chat_page_get_leave_button (TertuliaChatPage *self);
GtkWidget      *_tertulia_chat_page_get_retry_button (TertuliaChatPage *self);
AdwWindowTitle *_tertulia_chat_page_get_window_title (TertuliaChatPage *self);

/* Runs the entry's text: a message or a /command. */
void            tertulia_chat_page_submit         (TertuliaChatPage *self);

/* How close to the room's length limit the entry says what is left. */
#define TERTULIA_CHAT_PAGE_LENGTH_HINT_CHARS 200

/* The message entry: a GtkTextView, Enter sends, Shift+Enter a new line. */
GtkTextView    *_tertulia_chat_page_get_entry        (TertuliaChatPage *self);
char           *_tertulia_chat_page_dup_entry_text   (TertuliaChatPage *self);
/* Replaces what is typed, the cursor at its end. */
void            _tertulia_chat_page_set_entry_text   (TertuliaChatPage *self,
                                                      const char       *text);
GtkLabel       *_tertulia_chat_page_get_length_label (TertuliaChatPage *self);
GtkListView    *_tertulia_chat_page_get_message_view (TertuliaChatPage *self);
GtkLabel       *_tertulia_chat_page_get_banner_label (TertuliaChatPage *self);
GtkWidget      *_tertulia_chat_page_get_share_button (TertuliaChatPage *self);
GtkRevealer    *_tertulia_chat_page_get_new_messages_revealer (TertuliaChatPage *self);
/* The spinner over the top of the log while older messages are fetched */
GtkRevealer    *_tertulia_chat_page_get_history_revealer (TertuliaChatPage *self);
/* Tab completion, as the Tab key does it; FALSE when there was nothing
 * to complete.
 */
gboolean        _tertulia_chat_page_complete         (TertuliaChatPage *self);
void            _tertulia_chat_page_open_message_menu (TertuliaChatPage  *self,
                                                       TertuliaMessageRow *row);
/* The bar above the entry while replying or editing */
GtkRevealer    *_tertulia_chat_page_get_compose_revealer (TertuliaChatPage *self);
GtkLabel       *_tertulia_chat_page_get_compose_label    (TertuliaChatPage *self);
/* "ana is typing…" under the log */
GtkRevealer    *_tertulia_chat_page_get_typing_revealer  (TertuliaChatPage *self);
GtkLabel       *_tertulia_chat_page_get_typing_label     (TertuliaChatPage *self);
/* "Delete Message?" while it is asked, or NULL */
GtkWidget      *_tertulia_chat_page_get_delete_dialog    (TertuliaChatPage *self);
/* The message menu, while open or after (NULL before the first) */
GtkWidget      *_tertulia_chat_page_get_message_menu     (TertuliaChatPage *self);

G_END_DECLS

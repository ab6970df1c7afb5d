/* tertulia-chat-page-private.h — what the chat page's files share
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tertulia-chat-page.h"
#include "tertulia-conversation-page.h"
#include "tertulia-log-model.h"
#include "tertulia-message-row.h"
#include "tertulia-room-browser.h"
#include "tertulia-search-bar.h"
#include "tertulia-share-popover.h"
#include "tertulia-uploads.h"

G_BEGIN_DECLS

struct _TertuliaChatPage
{
  AdwBin                parent_instance;

  /* Template widgets */
  AdwWindowTitle       *window_title;
  GtkLabel             *count_label;
  GtkWidget            *share_button;
  TertuliaSharePopover *share_popover;
  GtkRevealer          *banner_revealer;
  GtkLabel             *banner_label;
  GtkWidget            *retry_button;
  GtkWidget            *leave_button;
  AdwFlap              *flap;
  GtkScrolledWindow    *scroller;
  GtkListView          *message_view;
  GtkRevealer          *new_messages_revealer;
  GtkLabel             *participants_heading;
  GtkLabel             *topic_label;
  GtkListView          *participant_view;
  GtkTextView          *entry;
  GtkWidget            *placeholder_label;
  GtkLabel             *length_label;
  GtkWidget            *empty_page;
  TertuliaSearchBar    *search_bar;
  /* Made in code (tertulia-chat-page-history.c) */
  GtkRevealer          *history_revealer;
  GtkSpinner           *history_spinner;
  /* tertulia-chat-page-composer.c's: files dropped on the log, and the
   * uploads under way above the entry
   */
  GtkWidget            *log_overlay;
  TertuliaUploads      *uploads;
  GtkWidget            *drop_highlight;
  GtkNativeDialog      *attach_chooser;
  /* tertulia-chat-page-moderation.c's */
  GtkRevealer          *composer_status_revealer;
  GtkLabel             *composer_status_label;
  /* tertulia-chat-page-private-messages.c's */
  GtkStack             *content_stack;
  TertuliaConversationPage *conversation_page;
  GtkWidget            *conversations_heading;
  GtkListBox           *conversation_list;
  GtkLabel             *unread_badge;
  GtkWidget            *participants_button;

  /* Owned references */
  TertuliaClient       *client;
  TertuliaRoomBrowser  *lan_browser;     /* only while reconnecting */
  TertuliaLogModel     *log;
  GSignalGroup         *client_signals;
  GSignalGroup         *room_signals;
  GSignalGroup         *messages_signals;
  GStrv                 completions;
  GSignalGroup         *you_signals;            /* the room's you */
  GSignalGroup         *conversations_signals;
  GtkWidget            *room_settings;          /* weak */
  /* Slow mode: when you may send again (monotonic time) */
  gint64                slow_until;
  guint                 slow_tick_id;
  /* The message menu and the message it was opened for */
  GtkWidget            *message_menu;
  TertuliaMessage      *menu_message;

  /* Borrowed references (weak pointer) */
  TertuliaMessageRow   *menu_row;

  /* Tab completion: which candidate is shown and where, in characters */
  guint                 completion_index;
  int                   completion_start;
  int                   completion_end;
  gboolean              completion_at_start;
  gboolean              completing;

  guint                 share_port;
  guint                 scroll_idle_id;
  double                last_value;
  gboolean              stick_to_bottom;
  /* Set while we move the log ourselves, to tell it from a person. */
  gboolean              auto_scrolling;

  /* The archive (tertulia-chat-page-archive.c): what was marked read,
   * and the message a search jumps to.
   */
  gint64                read_seq;
  guint                 read_idle_id;
  gint64                jump_seq;
  guint                 jump_tick_id;
  guint                 jump_frames;
  guint                 unhighlight_id;
  GtkWidget            *highlighted;     /* weak */
  /* Scrollback: the key that went to the first row, looked at once the
   * view moved; the room's oldest seq when a page was last asked for
   */
  guint                 history_key_idle_id;
  gint64                history_asked_before;
  gboolean              history_after_paint;

  /* tertulia-chat-page-conversation.c: replying to or editing a message
   * (the bar above the entry), reactions from the menu, who is typing,
   * and a jump to a message that scrollback still has to bring
   */
  GtkRevealer          *compose_revealer;
  GtkLabel             *compose_label;
  GtkWidget            *compose_cancel;
  TertuliaMessage      *reply_message;
  TertuliaMessage      *edit_message;
  char                 *edit_draft;      /* what was typed before editing */
  GtkRevealer          *typing_revealer;
  GtkLabel             *typing_label;
  GtkWidget            *reaction_chooser;
  TertuliaMessage      *react_message;
  GtkWidget            *delete_dialog;   /* weak */
  gint64                pending_jump_seq;
  guint                 pending_jump_idle_id;
  /* Reply and Edit go to the entry, not back to the row, as the menu closes */
  gboolean              focus_entry_after_menu;
};

TertuliaRoom *_tertulia_chat_page_get_room               (TertuliaChatPage *self);
/* Follows the log to its end from now on. */
void          _tertulia_chat_page_queue_scroll_to_bottom (TertuliaChatPage *self);

/* tertulia-chat-page-composer.c */
void          _tertulia_chat_page_class_init_composer    (GtkWidgetClass   *widget_class);
void          _tertulia_chat_page_init_composer          (TertuliaChatPage *self);
void          _tertulia_chat_page_dispose_composer       (TertuliaChatPage *self);
/* Sends @files (GFile*) to the room, each with a progress bar */
void          _tertulia_chat_page_send_files             (TertuliaChatPage *self,
                                                          GSList           *files);
/* Puts @text before what is typed, the cursor at the end. */
void          _tertulia_chat_page_insert_at_start        (TertuliaChatPage *self,
                                                          const char       *text);
/* Forgets the Tab completion under way. */
void          _tertulia_chat_page_clear_completion       (TertuliaChatPage *self);

/* tertulia-chat-page-history.c */
void          _tertulia_chat_page_init_history           (TertuliaChatPage *self);
void          _tertulia_chat_page_dispose_history        (TertuliaChatPage *self);
/* Whether the rows from @position in @log are a page of older messages
 * going in, rather than new ones
 */
gboolean      _tertulia_chat_page_is_older_page          (TertuliaChatPage *self,
                                                          GListModel       *log,
                                                          guint             position);
/* Asks for older messages when the log is scrolled to (near) its top */
void          _tertulia_chat_page_fetch_older_if_at_top  (TertuliaChatPage *self);

/* tertulia-chat-page-actions.c */
void          _tertulia_chat_page_class_init_actions     (GtkWidgetClass   *widget_class);
void          _tertulia_chat_page_init_actions           (TertuliaChatPage *self);
void          _tertulia_chat_page_dispose_actions        (TertuliaChatPage *self);
/* Moves the keyboard focus to the newest message; FALSE if none. */
gboolean      _tertulia_chat_page_focus_last_message     (TertuliaChatPage *self);

/* tertulia-chat-page-conversation.c */
void          _tertulia_chat_page_class_init_conversation (GtkWidgetClass  *widget_class);
void          _tertulia_chat_page_init_conversation      (TertuliaChatPage *self);
void          _tertulia_chat_page_dispose_conversation   (TertuliaChatPage *self);
/* A new room (or none): no reply, no edit, nobody typing */
void          _tertulia_chat_page_conversation_set_room  (TertuliaChatPage *self,
                                                          TertuliaRoom     *room);
/* Reply, Edit and Delete for @message's menu; then, last, the quick
 * reactions
 */
void          _tertulia_chat_page_add_conversation_items (TertuliaChatPage *self,
                                                          GMenu            *menu,
                                                          TertuliaMessage  *message);
void          _tertulia_chat_page_add_reaction_items     (TertuliaChatPage *self,
                                                          GMenu            *menu,
                                                          TertuliaMessage  *message);
/* Escape in the entry: leaves reply or edit mode; FALSE if in neither */
gboolean      _tertulia_chat_page_cancel_compose         (TertuliaChatPage *self);
/* Up in an empty entry: edits your last message; FALSE if there is none */
gboolean      _tertulia_chat_page_edit_last_own          (TertuliaChatPage *self);
/* Enter while editing saves @typed as the message's text; FALSE when
 * not editing (the entry is sent as usual)
 */
gboolean      _tertulia_chat_page_submit_edit            (TertuliaChatPage *self,
                                                          const char       *typed);
/* Sends @text as @kind, as a reply when replying; ends reply mode */
gboolean      _tertulia_chat_page_send_text              (TertuliaChatPage *self,
                                                          TertuliaMessageKind kind,
                                                          const char       *text,
                                                          GError          **error);
/* The entry changed: tells the room whether you are typing */
void          _tertulia_chat_page_update_typing          (TertuliaChatPage *self);
/* Whether you may delete others' messages (a host or co-host) */
gboolean      _tertulia_chat_page_you_moderate           (TertuliaChatPage *self);

/* tertulia-chat-page-archive.c */
void          _tertulia_chat_page_class_init_archive     (GtkWidgetClass   *widget_class);
void          _tertulia_chat_page_init_archive           (TertuliaChatPage *self);
void          _tertulia_chat_page_dispose_archive        (TertuliaChatPage *self);
void          _tertulia_chat_page_archive_set_room       (TertuliaChatPage *self,
                                                          TertuliaRoom     *room);
/* Scrolls the log to the message @seq, loading it from the archive when it
 * is older than the log, and marks it for a moment; FALSE when there is no
 * such message.
 */
gboolean      _tertulia_chat_page_jump_to_seq            (TertuliaChatPage *self,
                                                          gint64            seq);

/* tertulia-chat-page.c: the title and subtitle (the room locked, the topic) */
void          _tertulia_chat_page_update_header          (TertuliaChatPage *self);
void          _tertulia_chat_page_notify_conversation    (TertuliaChatPage *self);

/* tertulia-chat-page-moderation.c */
void          _tertulia_chat_page_class_init_moderation  (GtkWidgetClass   *widget_class);
void          _tertulia_chat_page_init_moderation        (TertuliaChatPage *self);
void          _tertulia_chat_page_dispose_moderation     (TertuliaChatPage *self);
void          _tertulia_chat_page_moderation_set_room    (TertuliaChatPage *self,
                                                          TertuliaRoom     *room);
void          _tertulia_chat_page_update_composer_status (TertuliaChatPage *self);
/* The participant's row, when it is on screen */
struct _TertuliaParticipantRow *
              _tertulia_chat_page_find_participant_row   (TertuliaChatPage *self,
                                                          gint64            id);
/* Kicked, banned or kept out at the door: the client's "removed" (it does
 * not come back by itself then, and Retry would only be refused)
 */
gboolean      _tertulia_chat_page_is_removed             (TertuliaChatPage *self);
/* Muted, removed or slow mode: whether a message now would be refused */
gboolean      _tertulia_chat_page_must_wait              (TertuliaChatPage *self);
/* A message of yours went out: slow mode counts from now. */
void          _tertulia_chat_page_note_message_sent      (TertuliaChatPage *self);

/* tertulia-chat-page-private-messages.c */
void          _tertulia_chat_page_class_init_private_messages (GtkWidgetClass *widget_class);
void          _tertulia_chat_page_init_private_messages     (TertuliaChatPage *self);
void          _tertulia_chat_page_dispose_private_messages  (TertuliaChatPage *self);
void          _tertulia_chat_page_private_messages_set_room (TertuliaChatPage *self,
                                                          TertuliaRoom     *room);
/* Shows @conversation instead of the room's log (NULL: the room) */
void          _tertulia_chat_page_show_conversation      (TertuliaChatPage     *self,
                                                          TertuliaConversation *conversation,
                                                          gboolean              focus);
gboolean      _tertulia_chat_page_show_conversation_with (TertuliaChatPage    *self,
                                                          TertuliaParticipant *participant,
                                                          gboolean             focus);

G_END_DECLS

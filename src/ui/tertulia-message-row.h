/* tertulia-message-row.h — one message in the chat log
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tertulia-message.h"
#include "tertulia-room.h"
#include "tertulia-file-row.h"
#include "tertulia-message-header.h"
#include "tertulia-message-reactions.h"
#include "tertulia-message-text.h"

G_BEGIN_DECLS

#define TERTULIA_TYPE_MESSAGE_ROW (tertulia_message_row_get_type ())

G_DECLARE_FINAL_TYPE (TertuliaMessageRow, tertulia_message_row, TERTULIA, MESSAGE_ROW, AdwBin)

/* Consecutive messages by one author within this many seconds share a
 * header.
 */
#define TERTULIA_MESSAGE_ROW_GROUP_SECONDS (5 * 60)

GtkWidget       *tertulia_message_row_new            (void);
TertuliaMessage *tertulia_message_row_get_message    (TertuliaMessageRow *self);
void             tertulia_message_row_set_message    (TertuliaMessageRow *self,
                                                      TertuliaMessage    *message);
gboolean         tertulia_message_row_get_grouped    (TertuliaMessageRow *self);
void             tertulia_message_row_set_grouped    (TertuliaMessageRow *self,
                                                      gboolean            grouped);

/* A day's heading above the row ("Today"), or none (NULL). */
void             tertulia_message_row_set_day        (TertuliaMessageRow *self,
                                                      const char         *day);
const char      *tertulia_message_row_get_day        (TertuliaMessageRow *self);

/* Whether @message continues @previous's group (no header of its own). */
gboolean         tertulia_message_row_continues      (TertuliaMessage    *previous,
                                                      TertuliaMessage    *message);

/* One line for a run of joins and leaves (tertulia_log_model_get_run()):
 * "ana and bob joined", "ana joined, bob left", "5 people joined and 2
 * people left".
 */
char            *tertulia_message_row_dup_run_summary (GListModel    *run);

/* The first line of @text (never NULL), for a quote */
char            *tertulia_message_row_dup_first_line (const char         *text);
/* "Message deleted", or "Message removed by ana" when a moderator did */
char            *tertulia_message_row_dup_tombstone  (TertuliaMessage    *message);

TertuliaMessageText *_tertulia_message_row_get_text     (TertuliaMessageRow *self);
TertuliaMessageHeader *_tertulia_message_row_get_header (TertuliaMessageRow *self);
GtkLabel        *_tertulia_message_row_get_status_label (TertuliaMessageRow *self);
/* NULL until the row first shows a shared file */
TertuliaFileRow *_tertulia_message_row_get_file_row     (TertuliaMessageRow *self);
/* NULL until the row first shows a message that was not sent */
GtkWidget       *_tertulia_message_row_get_resend_button (TertuliaMessageRow *self);
/* The room a reply's original is looked up in (the chat page's) */
void             _tertulia_message_row_set_room          (TertuliaMessageRow *self,
                                                          TertuliaRoom       *room);
/* NULL until the row first shows a reply, an edit, reactions */
GtkWidget       *_tertulia_message_row_get_quote_button  (TertuliaMessageRow *self);
GtkLabel        *_tertulia_message_row_get_edited_label  (TertuliaMessageRow *self);
TertuliaMessageReactions *_tertulia_message_row_get_reactions (TertuliaMessageRow *self);

G_END_DECLS

/* tertulia-message-row-private.h — what the message row's files share
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tertulia-message-row.h"
#include "tertulia-room.h"

G_BEGIN_DECLS

struct _TertuliaMessageRow
{
  AdwBin                 parent_instance;

  /* Template widgets */
  TertuliaMessageHeader *header;
  TertuliaMessageText   *text;
  GtkLabel              *status_label;
  GtkWidget             *resend_button;   /* made when first needed */
  /* Made the first time the row shows a shared file */
  TertuliaFileRow       *file_row;
  /* Made the first time a day starts at this row: few rows ever need it. */
  GtkLabel              *day_label;
  /* Made the first time the row shows a reply, an edit or a reaction */
  GtkWidget             *quote_button;
  GtkLabel              *quote_author;
  GtkLabel              *quote_text;
  GtkWidget             *footer;
  TertuliaMessageReactions *reactions;
  GtkLabel              *edited_label;
  /* Where a reply's original is looked up, and the original while shown:
   * its deletion changes the quote
   */
  TertuliaRoom          *room;
  TertuliaMessage       *original;
  gulong                 original_notify_id;

  /* Owned references */
  TertuliaMessage       *message;
  gulong                 notify_id;
  /* The run of joins and leaves the message stands for (see
   * tertulia_log_model_get_run()), or NULL
   */
  GListModel            *run;
  gulong                 run_changed_id;

  gboolean               grouped;
  gboolean               described;   /* the row's accessible has a run's description */
};

static inline gboolean
_tertulia_message_row_is_deleted (TertuliaMessageRow *self)
{
  return self->message != NULL && tertulia_message_get_deleted (self->message);
}

/* tertulia-message-row-conversation.c: the quote above a reply, and the
 * footer with the reactions and "edited"; each made only for the rows
 * that need it
 */
void  _tertulia_message_row_update_quote              (TertuliaMessageRow *self);
void  _tertulia_message_row_dispose_conversation      (TertuliaMessageRow *self);
void  _tertulia_message_row_update_footer             (TertuliaMessageRow *self);
/* The reactions as a screen reader hears them, or NULL when none */
char *_tertulia_message_row_dup_reactions_description (TertuliaMessageRow *self);

G_END_DECLS

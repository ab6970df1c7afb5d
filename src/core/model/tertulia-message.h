/* tertulia-message.h — one line of a room's log
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "tertulia-protocol.h"
#include "tertulia-protocol-files.h"
#include "tertulia-reaction.h"
#include "tertulia-model-enums.h"

G_BEGIN_DECLS

typedef enum
{
  TERTULIA_MESSAGE_STATE_SENDING,    /* typed here, not yet echoed by the server */
  TERTULIA_MESSAGE_STATE_DELIVERED,  /* has a seq: the server accepted it */
  TERTULIA_MESSAGE_STATE_FAILED,     /* the server refused it */
} TertuliaMessageState;

/* What a notice is about, so that the log can tell a run of joins and
 * leaves from other notices without reading their text.
 */
typedef enum
{
  TERTULIA_NOTICE_KIND_OTHER,   /* not a notice, or one about nobody in particular */
  TERTULIA_NOTICE_KIND_JOIN,    /* subject joined */
  TERTULIA_NOTICE_KIND_LEAVE,   /* subject left */
  TERTULIA_NOTICE_KIND_RENAME,  /* subject is the new nickname */
} TertuliaNoticeKind;

#define TERTULIA_TYPE_MESSAGE (tertulia_message_get_type ())

G_DECLARE_FINAL_TYPE (TertuliaMessage, tertulia_message, TERTULIA, MESSAGE, GObject)

/* Properties (all readable; construct-only unless said otherwise):
 *   seq          gint64               0 while sending or for local notices; settable
 *   cid          gchar*               client id of an own message, or NULL
 *   kind         TertuliaMessageKind  chat, action (/me) or notice
 *   author-id    gint64               0 for notices; settable
 *   author       gchar*               nickname at the time of posting, NULL for notices;
 *                                     settable
 *   text         gchar*               plain text, never markup
 *   time         GDateTime*           local time; settable (the server's stamp replaces ours)
 *   state        TertuliaMessageState settable
 *   is-own       gboolean             posted by this client's participant
 *   mentions-you gboolean             someone else wrote your nickname
 *   error        gchar*               why the server refused it (state FAILED); settable
 *   file         TertuliaFileInfo*    kind FILE: the shared file (id, name, size, type,
 *                                     width, height, sha256); NULL otherwise
 *   file-removed gboolean             kind FILE: the host's user removed it; settable
 *   notice-kind  TertuliaNoticeKind   what a notice is about; OTHER for the rest
 *   subject      gchar*               the nickname a join, leave or rename notice is
 *                                     about (author stays NULL: nobody wrote it)
 *   reply-to-seq gint64               the seq of the message this one answers, 0 if none
 *                                     (with reply-to-author and reply-to-text: the
 *                                     host's quote of it, which may be out of view)
 *   edited       gboolean             its author changed the text (text is the last one)
 *   deleted      gboolean             taken back: text is "", a tombstone stays
 *   deleted-by   gchar*               who deleted it (a moderator or the author), or NULL
 *   reactions    GPtrArray*           of TertuliaReaction*, by first use; a new array
 *                                     (and a notify) on each change
 *
 * A %NULL @time below means "now". new() and new_notice() make DELIVERED
 * messages; new_own() makes a SENDING one with is-own set.
 */
TertuliaMessage      *tertulia_message_new              (TertuliaMessageKind   kind,
                                                         gint64                seq,
                                                         gint64                author_id,
                                                         const char           *author,
                                                         const char           *text,
                                                         GDateTime            *time);
TertuliaMessage      *tertulia_message_new_notice       (const char           *text,
                                                         GDateTime            *time);
/* A notice about someone: @subject joined, left or was renamed. */
TertuliaMessage      *tertulia_message_new_event_notice (TertuliaNoticeKind    notice_kind,
                                                         gint64                seq,
                                                         const char           *subject,
                                                         const char           *text,
                                                         GDateTime            *time);
TertuliaMessage      *tertulia_message_new_own          (TertuliaMessageKind   kind,
                                                         const char           *cid,
                                                         gint64                author_id,
                                                         const char           *author,
                                                         const char           *text);

gint64                tertulia_message_get_seq          (TertuliaMessage      *self);
const char           *tertulia_message_get_cid          (TertuliaMessage      *self);
TertuliaMessageKind   tertulia_message_get_kind         (TertuliaMessage      *self);
gint64                tertulia_message_get_author_id    (TertuliaMessage      *self);
const char           *tertulia_message_get_author       (TertuliaMessage      *self);
const char           *tertulia_message_get_text         (TertuliaMessage      *self);
GDateTime            *tertulia_message_get_time         (TertuliaMessage      *self);
TertuliaMessageState  tertulia_message_get_state        (TertuliaMessage      *self);
gboolean              tertulia_message_get_is_own       (TertuliaMessage      *self);
gboolean              tertulia_message_get_mentions_you (TertuliaMessage      *self);
const char           *tertulia_message_get_error        (TertuliaMessage      *self);
TertuliaNoticeKind    tertulia_message_get_notice_kind  (TertuliaMessage      *self);
const char           *tertulia_message_get_subject      (TertuliaMessage      *self);

void                  tertulia_message_set_mentions_you (TertuliaMessage      *self,
                                                         gboolean              mentions_you);
/* The server's echo: sets seq, time and state DELIVERED in one go. */
void                  tertulia_message_mark_delivered   (TertuliaMessage      *self,
                                                         gint64                seq,
                                                         GDateTime            *time);
void                  tertulia_message_mark_failed      (TertuliaMessage      *self,
                                                         const char           *error);
/* An own message, failed, being sent again: state SENDING, no error. */
void                  tertulia_message_mark_sending     (TertuliaMessage      *self);
/* An own message not delivered yet goes out from whoever you are now (a
 * new participant id after the host restarted, or in another room).
 */
void                  tertulia_message_set_sender       (TertuliaMessage      *self,
                                                         gint64                author_id,
                                                         const char           *author);

/* A shared file (kind FILE, DELIVERED); its text is the file's name. */
TertuliaMessage      *tertulia_message_new_file         (gint64                seq,
                                                         gint64                author_id,
                                                         const char           *author,
                                                         const TertuliaFileInfo *file,
                                                         GDateTime            *time);
const TertuliaFileInfo *tertulia_message_get_file       (TertuliaMessage      *self);
gboolean              tertulia_message_get_file_removed (TertuliaMessage      *self);
void                  tertulia_message_set_file_removed (TertuliaMessage      *self,
                                                         gboolean              removed);

/* Replies, reactions, edits and deletions (issue 19) */
gint64                tertulia_message_get_reply_to_seq    (TertuliaMessage *self);
const char           *tertulia_message_get_reply_to_author (TertuliaMessage *self);
const char           *tertulia_message_get_reply_to_text   (TertuliaMessage *self);
gboolean              tertulia_message_get_edited          (TertuliaMessage *self);
gboolean              tertulia_message_get_deleted         (TertuliaMessage *self);
const char           *tertulia_message_get_deleted_by      (TertuliaMessage *self);
/* (transfer none): never NULL, empty when nobody reacted */
GPtrArray            *tertulia_message_get_reactions       (TertuliaMessage *self);
/* The quote this message shows (your reply being sent, the host's quote
 * once delivered); @seq 0 clears it.
 */
void                  tertulia_message_set_reply_to        (TertuliaMessage *self,
                                                            gint64           seq,
                                                            const char      *author,
                                                            const char      *text);

/* %H:%M in the local time zone, for rows and the terminal client. */
char                 *tertulia_message_format_time      (TertuliaMessage      *self);

G_END_DECLS

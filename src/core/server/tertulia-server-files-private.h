/* tertulia-server-files-private.h — what the two halves of the files part
 * share
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gnutls/crypto.h>

#include "tertulia-server-files.h"
#include "tertulia-server-private.h"

G_BEGIN_DECLS

/* The room's share of the machine while it talks (see
 * tertulia-server-files-transfer.c): the room's transfer threads take
 * their turns from it. Refcounted, since a thread may outlive the room.
 */
typedef struct
{
  GMutex  lock;
  gint64  talking_until;   /* monotonic µs: the room counts as talking until then */
  gint64  next_free;       /* monotonic µs: when the shared rate has room again */
} TransferPace;

struct _TertuliaFiles
{
  /* Borrowed: the server owns this */
  TertuliaServer *server;

  /* Owned */
  char           *base_dir;    /* given, or NULL */
  char           *temp_dir;    /* made when none was given; removed at the end */
  char           *room_dir;    /* this room's folder, once made */
  GHashTable     *files;       /* id → StoredFile* */
  GHashTable     *tokens;      /* token_key → file token */
  GPtrArray      *transfers;   /* of Transfer*, under way */
  TransferPace   *pace;

  guint64         used;        /* bytes kept */
  guint64         reserved;    /* bytes of uploads under way */
  guint64         max_file;
  guint64         max_room;
};

/* One upload or download under way */
typedef struct _Transfer Transfer;

struct _Transfer
{
  /* Main thread only; NULL once the server let go of the transfer */
  TertuliaFiles *files;
  GMainContext  *context;
  GIOStream     *stream;
  GSocket       *socket;
  gboolean       upload;
  TransferPace  *pace;         /* a reference: the thread reads it */

  /* An upload */
  char          *id;
  char          *name;
  char          *part_path;
  /* The uploader, or the one downloading */
  gint64         from_id;
  guint64        length;
  gboolean       expect_continue;
  gnutls_hash_hd_t checksum;
  GByteArray    *head;
  gboolean       is_text;
  guint8         carry[4];
  gsize          n_carry;

  /* A download */
  int            fd;
  char          *headers;
  guint64        offset;
  guint64        count;

  /* Set by the thread */
  GError        *error;

  /* Called on the main context when the thread is done, with the transfer */
  GSourceFunc    done;
};

/* tertulia-server-files-transfer.c */
/* Runs @transfer's thread (its socket's blocking reads and writes time out
 * after a silence); its done callback then runs on the main context, and
 * calls _tertulia_transfer_finish(). FALSE if no thread could start.
 */
gboolean     _tertulia_transfer_start           (TertuliaFiles    *files,
                                                 Transfer         *transfer);
/* FALSE if the server let go of @transfer meanwhile */
gboolean     _tertulia_transfer_finish          (Transfer         *transfer);
void         _tertulia_transfer_free            (Transfer         *transfer);
TransferPace *_tertulia_transfer_pace_new       (void);
void         _tertulia_transfer_pace_unref      (TransferPace     *pace);

/* tertulia-server-files-store.c */
void         _tertulia_files_add_loaded         (TertuliaFiles    *files,
                                                 TertuliaFileInfo *info,
                                                 gint64            from_id);
char        *_tertulia_files_dup_part_path      (TertuliaFiles    *files,
                                                 const char       *id);
/* The participant whose file token is @token, or NULL */
Participant *_tertulia_files_find_by_token      (TertuliaFiles    *files,
                                                 const char       *token);
/* The participant @participant_id if @capability is its for @file_id */
Participant *_tertulia_files_find_by_capability (TertuliaFiles    *files,
                                                 gint64            participant_id,
                                                 const char       *file_id,
                                                 const char       *capability);


G_END_DECLS

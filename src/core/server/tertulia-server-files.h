/* tertulia-server-files.h — files shared in the room: uploads, downloads
 * and removals over HTTP, and where the files are kept
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tertulia-protocol-files.h"
#include "tertulia-server.h"

G_BEGIN_DECLS

typedef struct _TertuliaFiles TertuliaFiles;

/* One kept file */
typedef struct
{
  TertuliaFileInfo *info;
  /* Who sent it */
  gint64            from_id;
} StoredFile;

/* tertulia-server-files.c: ends every transfer under way (the server is
 * closing)
 */
void              _tertulia_files_stop            (TertuliaFiles  *files);
/* The room just said something: transfers give way to it for a while */
void              _tertulia_files_note_talk       (TertuliaFiles  *files);

/* tertulia-server-files-store.c: the room's files on disk */
TertuliaFiles    *_tertulia_files_new             (TertuliaServer *server);
void              _tertulia_files_free            (TertuliaFiles  *files);
/* @directory: where rooms keep their files (a folder per room.id inside),
 * or NULL for a temporary one removed with the server
 */
void              _tertulia_files_set_directory   (TertuliaFiles  *files,
                                                   const char     *directory);
void              _tertulia_files_set_limits      (TertuliaFiles  *files,
                                                   guint64         file_bytes,
                                                   guint64         room_bytes);
guint64           _tertulia_files_get_file_limit  (TertuliaFiles  *files);
guint64           _tertulia_files_get_room_limit  (TertuliaFiles  *files);
/* The room's folder, made (and the files of a restarted host found) at
 * the first call; NULL with @error when it cannot be made
 */
const char       *_tertulia_files_get_room_dir    (TertuliaFiles  *files,
                                                   GError        **error);
StoredFile       *_tertulia_files_lookup          (TertuliaFiles  *files,
                                                   const char     *id);
char             *_tertulia_files_dup_path        (TertuliaFiles  *files,
                                                   const char     *id);
/* Bytes kept plus bytes of uploads under way */
guint64           _tertulia_files_get_committed   (TertuliaFiles  *files);
void              _tertulia_files_reserve         (TertuliaFiles  *files,
                                                   gint64          bytes);
/* Records @info (taken) as a kept file whose data is at its path already */
gboolean          _tertulia_files_add             (TertuliaFiles  *files,
                                                   TertuliaFileInfo *info,
                                                   gint64          from_id,
                                                   GError        **error);
void              _tertulia_files_remove          (TertuliaFiles  *files,
                                                   const char     *id);
/* The secret a participant's requests carry: HMAC-SHA256 of the hash of
 * its resume token (which the host keeps, in the journal too, so it
 * survives a restart), never the resume token itself
 */
char             *_tertulia_files_token_for_key   (const char     *token_key);

/* What the content is, from its first bytes: a media type and, for a
 * raster picture, its size. @is_text: the whole content was UTF-8
 * without NUL.
 */
char             *_tertulia_files_sniff           (const guint8   *head,
                                                   gsize           length,
                                                   gboolean        is_text,
                                                   gint64         *width,
                                                   gint64         *height);

G_END_DECLS

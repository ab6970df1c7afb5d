/* tertulia-protocol-files.h — shared files on the wire: the file event,
 * names made safe, and the capability URL of a file
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tertulia-protocol.h"

G_BEGIN_DECLS

/* A file id: this many lowercase hex digits (128 random bits) */
#define TERTULIA_FILE_ID_CHARS        32
/* A file name, after tertulia_file_name_sanitize(): at most this many
 * bytes of UTF-8 (every file system takes 255)
 */
#define TERTULIA_MAX_FILE_NAME_BYTES  200

struct _TertuliaFileInfo
{
  char   *id;
  /* Sanitized by the host; clients sanitize again before saving */
  char   *name;
  gint64  size;
  /* The media type the host found in the content, never the sender's
   * claim: image/png, image/jpeg, image/gif, image/webp,
   * text/plain; charset=utf-8, application/pdf, … or
   * application/octet-stream
   */
  char   *type;
  /* Pixels, for a raster picture; 0 otherwise */
  gint64  width;
  gint64  height;
  /* SHA-256 of the content, 64 lowercase hex digits */
  char   *sha256;
};

#define TERTULIA_TYPE_FILE_INFO (tertulia_file_info_get_type ())

GType             tertulia_file_info_get_type   (void) G_GNUC_CONST;
TertuliaFileInfo *tertulia_file_info_new        (void);
TertuliaFileInfo *tertulia_file_info_copy       (const TertuliaFileInfo *info);
void              tertulia_file_info_free       (TertuliaFileInfo       *info);
/* PNG, JPEG, GIF or WebP: shown inline (the host serves only these
 * without Content-Disposition: attachment)
 */
gboolean          tertulia_file_type_is_picture (const char             *type);

gboolean          tertulia_file_id_is_valid     (const char             *id);

/* A name safe to show and to save under on any system: no directory
 * (only what follows the last / or \), no control, bidi or invisible
 * format characters, none of < > : " | ? * (replaced by _), no leading
 * dots or trailing dots and spaces, not a Windows device name (CON.txt is
 * _CON.txt), at most TERTULIA_MAX_FILE_NAME_BYTES bytes (cut before the
 * extension, at a character boundary), NFC. Never empty ("file").
 */
char             *tertulia_file_name_sanitize   (const char             *name);

/* The capability that lets participant @participant_id fetch @file_id
 * without a header (an <img> in the page): HMAC-SHA256 keyed with the
 * participant's file token over the file id, lowercase hex.
 */
char             *tertulia_file_capability      (const char             *file_token,
                                                 const char             *file_id);
/* "/files/ID?p=PID&cap=CAP" */
char             *tertulia_file_dup_url_path    (const char             *file_token,
                                                 gint64                  participant_id,
                                                 const char             *file_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TertuliaFileInfo, tertulia_file_info_free)

G_END_DECLS

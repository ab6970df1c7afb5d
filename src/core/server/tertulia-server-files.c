/* tertulia-server-files.c — files shared in the room over HTTP: uploads
 * streamed to disk, downloads with ranges, removals
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-server"
#define TERTULIA_SERVER_COMPILATION

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gnutls/crypto.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "tertulia-server-files-private.h"
#include "tertulia-server-linger.h"
#include "tertulia-web.h"

/* libsoup's server reads a request body into memory, whole (3.2 has no way
 * to stream one to a handler), and writes an answer from memory. So the
 * early handler of /files takes the connection from libsoup at the
 * request's headers, as a WebSocket upgrade does, decides here, and hands
 * the body (or the file) to a thread of its own between the socket and the
 * disk (tertulia-server-files-transfer.c): the room's main loop never waits
 * for a disk or a slow guest, and the memory an upload costs is one buffer,
 * whatever its size.
 */

/* Transfers under way at once: in all, and per participant */
#define MAX_TRANSFERS          64
#define MAX_UPLOADS_EACH       4
#define MAX_DOWNLOADS_EACH     16


/* Answers */

static GBytes *
answer_new (guint       status,
            const char *extra_headers,
            const char *content_type,
            const char *body)
{
  char *answer;

  answer = g_strdup_printf ("HTTP/1.1 %u %s\r\n"
                            "Content-Type: %s\r\n"
                            "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                            "X-Content-Type-Options: nosniff\r\n"
                            "Cache-Control: no-store\r\n"
                            "%s"
                            "Connection: close\r\n"
                            "\r\n"
                            "%s",
                            status, soup_status_get_phrase (status), content_type,
                            strlen (body), extra_headers != NULL ? extra_headers : "", body);

  return g_bytes_new_take (answer, strlen (answer));
}

/* Sends @answer, then closes gracefully (the guest may still be sending a
 * body we did not read)
 */
static void
answer_send (GSocket   *socket,
             GIOStream *stream,
             GBytes    *answer)
{
  tertulia_linger_close (socket, stream, answer, TERTULIA_HTTP_LINGER_SECONDS * 1000);
}

static void
answer_text (GSocket    *socket,
             GIOStream  *stream,
             guint       status,
             const char *extra_headers,
             const char *text)
{
  g_autoptr(GBytes) answer = answer_new (status, extra_headers, "text/plain; charset=utf-8", text);

  answer_send (socket, stream, answer);
}

/* The uploader hears why in the room too, with a code its app translates */
static void
tell_participant (TertuliaServer *self,
                  gint64          participant_id,
                  const char     *code,
                  const char     *message)
{
  for (guint i = 0; i < self->participants->len; i++)
    {
      Participant *participant = g_ptr_array_index (self->participants, i);

      if (participant->id == participant_id && participant->session != NULL)
        _tertulia_session_send_error (participant->session, code, message, NULL);
    }
}



/* Uploads */

/* Transfers of @participant_id under way, uploads or downloads */
static guint
count_transfers_of (TertuliaFiles *files,
                    gint64         participant_id,
                    gboolean       upload)
{
  guint n = 0;

  for (guint i = 0; i < files->transfers->len; i++)
    {
      Transfer *transfer = g_ptr_array_index (files->transfers, i);

      if (transfer->upload == upload && transfer->from_id == participant_id)
        n++;
    }

  return n;
}

/* issue 18: shared with the moderation rules */
Participant *
_tertulia_server_find_participant (TertuliaServer *self,
                                   gint64          id)
{
  for (guint i = 0; i < self->participants->len; i++)
    {
      Participant *participant = g_ptr_array_index (self->participants, i);

      if (participant->id == id)
        return participant;
    }

  return NULL;
}

static char *
digest_hex (Transfer *transfer)
{
  guint8 digest[32];
  GString *hex = g_string_sized_new (64);

  gnutls_hash_output (transfer->checksum, digest);
  for (guint i = 0; i < sizeof digest; i++)
    g_string_append_printf (hex, "%02x", digest[i]);

  return g_string_free (hex, FALSE);
}

static gboolean
upload_done_cb (gpointer user_data)
{
  Transfer *transfer = user_data;
  TertuliaFiles *files = transfer->files;
  TertuliaServer *self;
  g_autoptr(TertuliaFrame) frame = NULL;
  g_autoptr(TertuliaFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  g_autofree char *location = NULL;
  Participant *participant;
  Event *event;

  if (!_tertulia_transfer_finish (transfer))
    {
      g_unlink (transfer->part_path);
      _tertulia_transfer_free (transfer);
      return G_SOURCE_REMOVE;
    }

  self = files->server;
  _tertulia_files_reserve (files, -(gint64) transfer->length);

  if (transfer->error != NULL)
    {
      g_debug ("upload %s failed: %s", transfer->id, transfer->error->message);
      g_unlink (transfer->part_path);

      /* A guest that went away hears nothing; one whose file the host
       * could not keep (a full disk) is told
       */
      if (g_error_matches (transfer->error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
        answer_text (transfer->socket, transfer->stream, 507, NULL, "The host has no room left for the file.\n");
      else
        tertulia_linger_close (transfer->socket, transfer->stream, NULL, 0);
      _tertulia_transfer_free (transfer);
      return G_SOURCE_REMOVE;
    }

  info = tertulia_file_info_new ();
  info->id = g_strdup (transfer->id);
  info->name = g_strdup (transfer->name);
  info->size = (gint64) transfer->length;
  info->type = _tertulia_files_sniff (transfer->head->data, transfer->head->len, transfer->is_text,
                                      &info->width, &info->height);
  info->sha256 = digest_hex (transfer);

  path = _tertulia_files_dup_path (files, transfer->id);
  if (g_rename (transfer->part_path, path) != 0 ||
      !_tertulia_files_add (files, tertulia_file_info_copy (info), transfer->from_id, &error))
    {
      g_warning ("Cannot keep a shared file: %s", error != NULL ? error->message : g_strerror (errno));
      g_unlink (transfer->part_path);
      g_unlink (path);
      answer_text (transfer->socket, transfer->stream, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL,
                   "The host could not keep the file.\n");
      _tertulia_transfer_free (transfer);
      return G_SOURCE_REMOVE;
    }

  _tertulia_server_enter (self);

  frame = tertulia_frame_new (TERTULIA_FRAME_FILE);
  frame->peer.id = transfer->from_id;
  participant = _tertulia_server_find_participant (self, transfer->from_id);
  frame->peer.nick = g_strdup (participant != NULL ? participant->nick : "");
  frame->file = g_steal_pointer (&info);
  event = _tertulia_server_emit_event (self, frame);

  g_debug ("participant %" G_GINT64_FORMAT " shared %s (%s, %" G_GINT64_FORMAT " bytes, %s)",
           transfer->from_id, frame->file->id, frame->file->name, frame->file->size, frame->file->type);

  body = g_strdup_printf ("{\"id\":\"%s\",\"seq\":%" G_GINT64_FORMAT "}", transfer->id, event->seq);
  location = g_strdup_printf ("Location: %s/%s\r\n", TERTULIA_FILES_PATH, transfer->id);
  answer = answer_new (SOUP_STATUS_CREATED, location, "application/json", body);
  answer_send (transfer->socket, transfer->stream, answer);

  _tertulia_server_leave (self);

  _tertulia_transfer_free (transfer);
  return G_SOURCE_REMOVE;
}

static void
refuse_upload (TertuliaServer *self,
               Participant    *participant,
               GSocket        *socket,
               GIOStream      *stream,
               const char     *code,
               const char     *message)
{
  g_autofree char *text = g_strconcat (message, "\n", NULL);
  g_autofree char *header = g_strdup_printf ("X-Tertulia-Error: %s\r\n", code);

  tell_participant (self, participant->id, code, message);
  answer_text (socket, stream, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, header, text);
}

static void
handle_upload (TertuliaServer    *self,
               SoupServerMessage *msg,
               GHashTable        *query,
               Participant       *participant,
               GSocket           *socket,
               GIOStream         *stream)
{
  TertuliaFiles *files = self->files;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  Transfer *transfer;
  goffset length;

  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH)
    {
      answer_text (socket, stream, SOUP_STATUS_LENGTH_REQUIRED, NULL,
                   "An upload must say its length (Content-Length).\n");
      return;
    }

  length = soup_message_headers_get_content_length (headers);

  if ((guint64) length > _tertulia_files_get_file_limit (files))
    {
      message = g_strdup_printf ("Files can be at most %" G_GUINT64_FORMAT " bytes in this room.",
                                 _tertulia_files_get_file_limit (files));
      refuse_upload (self, participant, socket, stream, TERTULIA_ERROR_FILE_TOO_LARGE, message);
      return;
    }

  if (_tertulia_files_get_room_dir (files, &error) == NULL)
    {
      g_warning ("%s", error->message);
      answer_text (socket, stream, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL, "The host cannot keep files.\n");
      return;
    }

  if (_tertulia_files_get_committed (files) + (guint64) length > files->max_room)
    {
      message = g_strdup_printf ("The room's files can take at most %" G_GUINT64_FORMAT " bytes, and this one does not fit.",
                                 files->max_room);
      refuse_upload (self, participant, socket, stream, TERTULIA_ERROR_ROOM_FILES_FULL, message);
      return;
    }

  if (files->transfers->len >= MAX_TRANSFERS || count_transfers_of (files, participant->id, TRUE) >= MAX_UPLOADS_EACH)
    {
      answer_text (socket, stream, SOUP_STATUS_SERVICE_UNAVAILABLE, "Retry-After: 1\r\n",
                   "Too many files are on their way right now.\n");
      return;
    }

  transfer = g_new0 (Transfer, 1);
  transfer->upload = TRUE;
  transfer->done = upload_done_cb;
  transfer->fd = -1;
  transfer->socket = g_object_ref (socket);
  transfer->stream = g_object_ref (stream);
  transfer->id = _tertulia_random_hex (TERTULIA_FILE_ID_CHARS / 2);
  transfer->name = tertulia_file_name_sanitize (query != NULL ? g_hash_table_lookup (query, "name") : NULL);
  transfer->part_path = _tertulia_files_dup_part_path (files, transfer->id);
  transfer->from_id = participant->id;
  transfer->length = (guint64) length;
  transfer->expect_continue = (soup_message_headers_get_expectations (headers) & SOUP_EXPECTATION_CONTINUE) != 0;
  transfer->head = g_byte_array_sized_new (4096);
  transfer->is_text = TRUE;
  if (gnutls_hash_init (&transfer->checksum, GNUTLS_DIG_SHA256) != 0)
    {
      transfer->checksum = NULL;
      answer_text (socket, stream, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL, "The host cannot hash files.\n");
      _tertulia_transfer_free (transfer);
      return;
    }

  _tertulia_files_reserve (files, length);
  if (!_tertulia_transfer_start (files, transfer))
    {
      _tertulia_files_reserve (files, -length);
      answer_text (socket, stream, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL, "The host is too busy.\n");
      _tertulia_transfer_free (transfer);
    }
}


/* Downloads */

static gboolean
download_done_cb (gpointer user_data)
{
  Transfer *transfer = user_data;

  if (_tertulia_transfer_finish (transfer))
    {
      if (transfer->error != NULL)
        g_debug ("download failed: %s", transfer->error->message);
      tertulia_linger_close (transfer->socket, transfer->stream, NULL,
                             transfer->error != NULL ? 0 : TERTULIA_HTTP_LINGER_SECONDS * 1000);
    }

  _tertulia_transfer_free (transfer);
  return G_SOURCE_REMOVE;
}

static gboolean
parse_number (const char *text,
              gsize       length,
              guint64    *out)
{
  g_autofree char *copy = g_strndup (text, length);

  return length > 0 && g_ascii_string_to_unsigned (copy, 10, 0, G_MAXINT64, out, NULL);
}

typedef enum
{
  RANGE_NONE,         /* absent, or not one this host answers: the whole file */
  RANGE_SATISFIABLE,
  RANGE_UNSATISFIABLE,
} RangeResult;

/* One range, "bytes=A-B", "bytes=A-" or "bytes=-N" (RFC 9110, 14.2);
 * several are answered with the whole file, as the RFC allows
 */
static RangeResult
parse_range (const char *header,
             guint64     size,
             guint64    *first,
             guint64    *last)
{
  const char *spec;
  const char *dash;
  guint64 a;
  guint64 b;

  if (header == NULL || !g_str_has_prefix (header, "bytes="))
    return RANGE_NONE;

  spec = header + strlen ("bytes=");
  dash = strchr (spec, '-');
  if (dash == NULL || strchr (spec, ',') != NULL)
    return RANGE_NONE;

  if (dash == spec)
    {
      if (!parse_number (dash + 1, strlen (dash + 1), &b))
        return RANGE_NONE;
      if (b == 0 || size == 0)
        return RANGE_UNSATISFIABLE;
      *first = size > b ? size - b : 0;
      *last = size - 1;
      return RANGE_SATISFIABLE;
    }

  if (!parse_number (spec, (gsize) (dash - spec), &a))
    return RANGE_NONE;
  if (dash[1] == '\0')
    b = G_MAXUINT64;
  else if (!parse_number (dash + 1, strlen (dash + 1), &b) || b < a)
    return RANGE_NONE;

  if (a >= size)
    return RANGE_UNSATISFIABLE;

  *first = a;
  *last = MIN (b, size - 1);
  return RANGE_SATISFIABLE;
}

/* RFC 6266 and RFC 5987: an ASCII name for old clients, the real one
 * percent-encoded. Only raster pictures are shown inline; everything else
 * is a download the browser never renders.
 */
static char *
content_disposition (const TertuliaFileInfo *info)
{
  g_autofree char *encoded = g_uri_escape_string (info->name, NULL, FALSE);
  g_autofree char *fallback = NULL;
  GString *ascii = g_string_new (NULL);

  for (const char *p = info->name; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      g_string_append_c (ascii, (c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '%') ? '_' : (char) c);
    }

  fallback = g_string_free (ascii, FALSE);

  return g_strdup_printf ("%s; filename=\"%s\"; filename*=UTF-8''%s",
                          tertulia_file_type_is_picture (info->type) ? "inline" : "attachment",
                          fallback, encoded);
}

static void
handle_download (TertuliaServer    *self,
                 SoupServerMessage *msg,
                 Participant       *participant,
                 StoredFile        *stored,
                 GSocket           *socket,
                 GIOStream         *stream)
{
  TertuliaFiles *files = self->files;
  TertuliaFileInfo *info = stored->info;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *range = soup_message_headers_get_one (headers, "Range");
  const char *if_range = soup_message_headers_get_one (headers, "If-Range");
  g_autofree char *path = _tertulia_files_dup_path (files, info->id);
  g_autofree char *etag = g_strdup_printf ("\"%s\"", info->sha256);
  g_autofree char *disposition = NULL;
  g_autofree char *content_range = NULL;
  g_autofree char *head = NULL;
  guint64 size = (guint64) info->size;
  guint64 first = 0;
  guint64 last = size > 0 ? size - 1 : 0;
  guint status = SOUP_STATUS_OK;
  Transfer *transfer;
  int fd;

  /* A range of another version of the file than the one it resumes is
   * no use: the whole file instead
   */
  if (if_range != NULL && g_strcmp0 (if_range, etag) != 0)
    range = NULL;

  switch (parse_range (range, size, &first, &last))
    {
    case RANGE_UNSATISFIABLE:
      content_range = g_strdup_printf ("Content-Range: bytes */%" G_GUINT64_FORMAT "\r\n", size);
      answer_text (socket, stream, SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE, content_range,
                   "That range is not in the file.\n");
      return;

    case RANGE_SATISFIABLE:
      status = SOUP_STATUS_PARTIAL_CONTENT;
      content_range = g_strdup_printf ("Content-Range: bytes %" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT
                                       "/%" G_GUINT64_FORMAT "\r\n", first, last, size);
      break;

    case RANGE_NONE:
    default:
      break;
    }

  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    {
      answer_text (socket, stream, SOUP_STATUS_NOT_FOUND, NULL, "No such file.\n");
      return;
    }

  disposition = content_disposition (info);
  head = g_strdup_printf ("HTTP/1.1 %u %s\r\n"
                          "Content-Type: %s\r\n"
                          "Content-Length: %" G_GUINT64_FORMAT "\r\n"
                          "%s"
                          "Accept-Ranges: bytes\r\n"
                          "ETag: %s\r\n"
                          "Cache-Control: private, max-age=86400\r\n"
                          "Content-Disposition: %s\r\n"
                          "X-Content-Type-Options: nosniff\r\n"
                          "Content-Security-Policy: sandbox; default-src 'none'\r\n"
                          "Cross-Origin-Resource-Policy: same-origin\r\n"
                          "Referrer-Policy: no-referrer\r\n"
                          "Connection: close\r\n"
                          "\r\n",
                          status, soup_status_get_phrase (status), info->type,
                          size > 0 ? last - first + 1 : 0,
                          content_range != NULL ? content_range : "",
                          etag, disposition);

  if (soup_server_message_get_method (msg) == SOUP_METHOD_HEAD || size == 0)
    {
      gsize head_length = strlen (head);
      g_autoptr(GBytes) answer = g_bytes_new_take (g_steal_pointer (&head), head_length);

      close (fd);
      answer_send (socket, stream, answer);
      return;
    }

  /* One guest cannot take every slot */
  if (files->transfers->len >= MAX_TRANSFERS ||
      count_transfers_of (files, participant->id, FALSE) >= MAX_DOWNLOADS_EACH)
    {
      close (fd);
      answer_text (socket, stream, SOUP_STATUS_SERVICE_UNAVAILABLE, "Retry-After: 1\r\n",
                   "Too many files are on their way right now.\n");
      return;
    }

  transfer = g_new0 (Transfer, 1);
  transfer->done = download_done_cb;
  transfer->fd = fd;
  transfer->socket = g_object_ref (socket);
  transfer->stream = g_object_ref (stream);
  transfer->headers = g_steal_pointer (&head);
  transfer->from_id = participant->id;
  transfer->offset = first;
  transfer->count = last - first + 1;

  if (!_tertulia_transfer_start (files, transfer))
    {
      answer_text (socket, stream, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL, "The host is too busy.\n");
      _tertulia_transfer_free (transfer);
    }
}


/* Removals */

static void
handle_delete (TertuliaServer *self,
               Participant    *participant,
               StoredFile     *stored,
               GSocket        *socket,
               GIOStream      *stream)
{
  g_autoptr(TertuliaFrame) frame = NULL;

  /* issue 18: the host and co-hosts */
  if (!_tertulia_server_participant_moderates (participant))
    {
      answer_text (socket, stream, SOUP_STATUS_FORBIDDEN, NULL, "Only the host or a co-host can remove a shared file.\n");
      return;
    }

  frame = tertulia_frame_new (TERTULIA_FRAME_FILE_REMOVED);
  frame->peer.id = participant->id;
  frame->peer.nick = g_strdup (participant->nick);
  frame->file = tertulia_file_info_new ();
  frame->file->id = g_strdup (stored->info->id);

  _tertulia_files_remove (self->files, frame->file->id);

  _tertulia_server_enter (self);
  _tertulia_server_emit_event (self, frame);
  g_debug ("participant %" G_GINT64_FORMAT " removed file %s", participant->id, frame->file->id);
  answer_text (socket, stream, SOUP_STATUS_NO_CONTENT, NULL, "");
  _tertulia_server_leave (self);
}


/* Requests */

/* "Bearer TOKEN" in Authorization, or the file's capability in the URL
 * (p=PARTICIPANT&cap=…), which an <img> can carry
 */
static Participant *
authorize (TertuliaServer    *self,
           SoupServerMessage *msg,
           GHashTable        *query,
           const char        *file_id,
           gboolean          *forged)
{
  const char *authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                            "Authorization");
  const char *p = query != NULL ? g_hash_table_lookup (query, "p") : NULL;
  const char *cap = query != NULL ? g_hash_table_lookup (query, "cap") : NULL;
  Participant *participant = NULL;
  guint64 participant_id;

  *forged = FALSE;

  if (authorization != NULL)
    {
      if (g_ascii_strncasecmp (authorization, "Bearer ", 7) == 0)
        participant = _tertulia_files_find_by_token (self->files, authorization + 7);
      *forged = participant == NULL;
      return participant;
    }

  if (file_id != NULL && p != NULL && cap != NULL)
    {
      if (g_ascii_string_to_unsigned (p, 10, 1, G_MAXINT64, &participant_id, NULL))
        participant = _tertulia_files_find_by_capability (self->files, (gint64) participant_id, file_id, cap);
      *forged = participant == NULL;
    }

  return participant;
}

static gboolean
request_has_body (SoupMessageHeaders *headers)
{
  SoupEncoding encoding = soup_message_headers_get_encoding (headers);

  return encoding == SOUP_ENCODING_CHUNKED || encoding == SOUP_ENCODING_EOF ||
         (encoding == SOUP_ENCODING_CONTENT_LENGTH && soup_message_headers_get_content_length (headers) > 0);
}

static void
files_route (TertuliaServer    *self,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             GSocket           *socket,
             GIOStream         *stream)
{
  const char *method = soup_server_message_get_method (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *file_id = NULL;
  Participant *participant;
  StoredFile *stored;
  gboolean forged;

  if (g_str_has_prefix (path, TERTULIA_FILES_PATH "/"))
    file_id = path + strlen (TERTULIA_FILES_PATH "/");
  else if (!g_str_equal (path, TERTULIA_FILES_PATH))
    {
      answer_text (socket, stream, SOUP_STATUS_NOT_FOUND, NULL, "No such file.\n");
      return;
    }

  if (file_id == NULL && method != SOUP_METHOD_POST)
    {
      answer_text (socket, stream, SOUP_STATUS_METHOD_NOT_ALLOWED, "Allow: POST\r\n",
                   "Files are sent here with POST.\n");
      return;
    }

  if (file_id != NULL && method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD && method != SOUP_METHOD_DELETE)
    {
      answer_text (socket, stream, SOUP_STATUS_METHOD_NOT_ALLOWED, "Allow: GET, HEAD, DELETE\r\n",
                   "A file can be fetched or removed.\n");
      return;
    }

  if (file_id != NULL && request_has_body (headers))
    {
      answer_text (socket, stream, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, NULL, "This request takes no body.\n");
      return;
    }

  /* A page on another site never gets to send or fetch (an <img> sends
   * no Origin; a fetch() does)
   */
  if (soup_message_headers_get_one (headers, "Origin") != NULL && !tertulia_web_origin_is_allowed (msg))
    {
      answer_text (socket, stream, SOUP_STATUS_FORBIDDEN, NULL, "This page may not reach the room's files.\n");
      return;
    }

  participant = authorize (self, msg, query, method == SOUP_METHOD_DELETE ? NULL : file_id, &forged);
  if (participant == NULL)
    {
      answer_text (socket, stream, forged ? SOUP_STATUS_FORBIDDEN : SOUP_STATUS_UNAUTHORIZED,
                   "WWW-Authenticate: Bearer realm=\"tertulia\"\r\n",
                   forged ? "That is not a key to this room's files.\n"
                          : "Only the room's participants can reach its files.\n");
      return;
    }

  if (file_id == NULL)
    {
      handle_upload (self, msg, query, participant, socket, stream);
      return;
    }

  stored = tertulia_file_id_is_valid (file_id) ? _tertulia_files_lookup (self->files, file_id) : NULL;
  if (stored == NULL)
    {
      answer_text (socket, stream, SOUP_STATUS_NOT_FOUND, NULL, "No such file.\n");
      return;
    }

  if (method == SOUP_METHOD_DELETE)
    handle_delete (self, participant, stored, socket, stream);
  else
    handle_download (self, msg, participant, stored, socket, stream);
}

static void
files_early_cb (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  TertuliaServer *self = user_data;
  g_autoptr(SoupServerMessage) msg_ref = g_object_ref (msg);
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GSocket) socket = NULL;
  GSocket *borrowed;

  if (_tertulia_server_refuse_unknown_host (self, msg))
    return;

  if (self->shut_down)
    {
      _tertulia_http_refuse (self->http, msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "The room is closing.\n");
      return;
    }

  /* Ours from now on: no more of libsoup's parsing or buffering, and none
   * of the deadlines of a page request (a transfer has its own)
   */
  borrowed = _tertulia_http_upgraded (self->http, msg);
  if (borrowed == NULL)
    {
      _tertulia_http_refuse (self->http, msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "The room is closing.\n");
      return;
    }
  socket = g_object_ref (borrowed);
  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    return;

  files_route (self, msg, path, query, socket, stream);
}

void
_tertulia_server_add_file_handlers (TertuliaServer *self)
{
  soup_server_add_early_handler (self->soup, TERTULIA_FILES_PATH, files_early_cb, self, NULL);
}

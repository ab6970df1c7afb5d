/* tertulia-client-files.c — sending files to the room and saving the
 * room's files, over HTTP beside the WebSocket
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-client"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "tertulia-address.h"
#include "tertulia-client-private.h"
#include "tertulia-protocol-files.h"
#include "tertulia-util-private.h"

/* Read, written and hashed at a time */
#define BUFFER_BYTES        (256 * 1024)
/* Progress is reported at most this often */
#define PROGRESS_USEC       (100 * 1000)
/* A transfer that moves nothing for this long has failed */
#define STALL_SECONDS       30

typedef struct
{
  GMainContext             *context;
  TertuliaTransferProgress  progress;
  gpointer                  progress_data;
  gint64                    last_progress;
  goffset                   done;
  goffset                   total;

  char                     *url;
  char                     *token;
  GFile                    *file;
  /* An upload's name; a download's expected sha256, when known */
  char                     *name;
  char                     *sha256;
  /* The host's, when the room is encrypted: the transfer's TLS must
   * present it too
   */
  char                     *fingerprint;
} Transfer;

static void
transfer_free (Transfer *transfer)
{
  g_main_context_unref (transfer->context);
  g_free (transfer->url);
  g_free (transfer->token);
  g_clear_object (&transfer->file);
  g_free (transfer->name);
  g_free (transfer->sha256);
  g_free (transfer->fingerprint);
  g_free (transfer);
}

void
_tertulia_client_files_welcome (TertuliaClient      *self,
                                const TertuliaFrame *welcome)
{
  _tertulia_set_str (&self->file_token, welcome->file_token);
  self->file_bytes = (guint64) MAX (welcome->limits.file_bytes, 0);
  self->room_file_bytes = (guint64) MAX (welcome->limits.room_file_bytes, 0);
}

guint64
tertulia_client_get_file_limit (TertuliaClient *self)
{
  g_return_val_if_fail (TERTULIA_IS_CLIENT (self), 0);

  return self->file_token != NULL ? self->file_bytes : 0;
}

guint64
tertulia_client_get_room_file_limit (TertuliaClient *self)
{
  g_return_val_if_fail (TERTULIA_IS_CLIENT (self), 0);

  return self->file_token != NULL ? self->room_file_bytes : 0;
}

/* http://HOST:PORT@path_and_query, from the room's address */
static char *
dup_http_url (TertuliaClient *self,
              const char     *path_and_query)
{
  g_autofree char *ws = tertulia_address_to_websocket_uri (self->address, NULL);
  g_autoptr(GUri) uri = NULL;
  g_autofree char *host = NULL;
  const char *scheme;

  if (ws == NULL)
    return NULL;

  uri = g_uri_parse (ws, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return NULL;

  /* Files go as the chat does: over TLS to an encrypted room */
  scheme = self->encrypted || g_str_equal (g_uri_get_scheme (uri), "wss") ? "https" : "http";
  host = strchr (g_uri_get_host (uri), ':') != NULL ? g_strdup_printf ("[%s]", g_uri_get_host (uri))
                                                      : g_strdup (g_uri_get_host (uri));

  return g_strdup_printf ("%s://%s:%d%s", scheme, host, g_uri_get_port (uri), path_and_query);
}

char *
tertulia_client_dup_file_url (TertuliaClient *self,
                              const char     *file_id)
{
  g_autofree char *path = NULL;
  TertuliaParticipant *you;

  g_return_val_if_fail (TERTULIA_IS_CLIENT (self), NULL);
  g_return_val_if_fail (file_id != NULL, NULL);

  you = tertulia_room_get_you (self->room);
  if (self->file_token == NULL || you == NULL || !tertulia_file_id_is_valid (file_id))
    return NULL;

  path = tertulia_file_dup_url_path (self->file_token, tertulia_participant_get_id (you), file_id);

  return dup_http_url (self, path);
}


/* Progress, from the transfer's thread to the caller's context */

typedef struct
{
  TertuliaTransferProgress progress;
  gpointer                 data;
  goffset                  current;
  goffset                  total;
} ProgressCall;

static gboolean
progress_call_cb (gpointer user_data)
{
  ProgressCall *call = user_data;

  call->progress (call->current, call->total, call->data);
  g_free (call);

  return G_SOURCE_REMOVE;
}

static void
transfer_report (Transfer *transfer,
                 gboolean  force)
{
  gint64 now = g_get_monotonic_time ();
  ProgressCall *call;

  if (transfer->progress == NULL || (!force && now - transfer->last_progress < PROGRESS_USEC))
    return;

  transfer->last_progress = now;
  call = g_new0 (ProgressCall, 1);
  call->progress = transfer->progress;
  call->data = transfer->progress_data;
  call->current = transfer->done;
  call->total = transfer->total;
  g_main_context_invoke (transfer->context, progress_call_cb, call);
}

static SoupSession *
session_new (void)
{
  /* As the chat's session: a desktop's web proxy cannot reach a room on
   * the LAN, and must not see what is shared in it
   */
  return soup_session_new_with_options ("timeout", STALL_SECONDS,
                                        "user-agent", "tertulia/" PACKAGE_VERSION,
                                        "proxy-resolver", NULL,
                                        "tls-database", NULL,
                                        NULL);
}

/* An HTTP refusal as the person should read it */
static void
set_http_error (GError      **error,
                SoupMessage  *msg)
{
  guint status = soup_message_get_status (msg);
  const char *code = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                   "X-Tertulia-Error");

  if (g_strcmp0 (code, TERTULIA_ERROR_FILE_TOO_LARGE) == 0)
    g_set_error_literal (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_FILE_TOO_LARGE,
                         tertulia_protocol_describe_error (code, NULL));
  else if (g_strcmp0 (code, TERTULIA_ERROR_ROOM_FILES_FULL) == 0)
    g_set_error_literal (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_ROOM_FILES_FULL,
                         tertulia_protocol_describe_error (code, NULL));
  else if (status == SOUP_STATUS_INSUFFICIENT_STORAGE)
    g_set_error_literal (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_HOST_FULL,
                         _("The host’s disk is full."));
  else if (status == SOUP_STATUS_NOT_FOUND)
    g_set_error_literal (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_FILE_GONE,
                         _("That file is not in the room any more."));
  else if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    g_set_error_literal (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_REFUSED,
                         _("The host did not let you reach the room’s files."));
  else
    /* Translators: %u is an HTTP status such as 503, %s its phrase */
    g_set_error (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_REFUSED,
                 _("The host refused the transfer (%u %s)."), status,
                 soup_status_get_phrase (status));
}


static gboolean
transfer_accept_certificate_cb (SoupMessage          *msg,
                                GTlsCertificate      *certificate,
                                GTlsCertificateFlags  errors,
                                gpointer              user_data)
{
  const char *fingerprint = user_data;

  return _tertulia_client_tls_accept (fingerprint, certificate);
}

/* A request to the host, with the participant's key; NULL with @error
 * when the room's address cannot take one
 */
static SoupMessage *
transfer_message_new (Transfer    *transfer,
                      const char  *method,
                      GError     **error)
{
  SoupMessage *msg = soup_message_new (method, transfer->url);

  if (msg == NULL)
    {
      g_set_error_literal (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_UNREACHABLE,
                           _("The room’s address cannot take files."));
      return NULL;
    }

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", transfer->token);
  if (transfer->fingerprint != NULL)
    g_signal_connect (msg, "accept-certificate", G_CALLBACK (transfer_accept_certificate_cb),
                      transfer->fingerprint);

  return msg;
}


/* Uploads */

static void
wrote_body_data_cb (SoupMessage *msg,
                    guint        chunk_size,
                    gpointer     user_data)
{
  Transfer *transfer = user_data;

  transfer->done += chunk_size;
  transfer_report (transfer, FALSE);
}

static char *
read_file_id (GBytes  *body,
              GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize length;
  const char *data = g_bytes_get_data (body, &length);
  const char *id = NULL;

  if (json_parser_load_from_data (parser, data, (gssize) length, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    id = json_object_get_string_member_with_default (json_node_get_object (json_parser_get_root (parser)),
                                                     "id", NULL);

  if (!tertulia_file_id_is_valid (id))
    {
      g_set_error_literal (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_REFUSED,
                           _("The host’s answer to the upload makes no sense."));
      return NULL;
    }

  return g_strdup (id);
}

static void
upload_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Transfer *transfer = task_data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GFileInputStream) input = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  char *id = NULL;

  g_main_context_push_thread_default (context);

  input = g_file_read (transfer->file, cancellable, &error);
  if (input != NULL)
    info = g_file_input_stream_query_info (input, G_FILE_ATTRIBUTE_STANDARD_SIZE, cancellable, &error);
  if (info == NULL)
    goto out;

  transfer->total = g_file_info_get_size (info);
  session = session_new ();
  msg = transfer_message_new (transfer, SOUP_METHOD_POST, &error);
  if (msg == NULL)
    goto out;

  /* The host says no (too big, no room left) before a byte of the body
   * is sent
   */
  soup_message_headers_set_expectations (soup_message_get_request_headers (msg), SOUP_EXPECTATION_CONTINUE);
  soup_message_set_request_body (msg, "application/octet-stream", G_INPUT_STREAM (input), transfer->total);
  g_signal_connect (msg, "wrote-body-data", G_CALLBACK (wrote_body_data_cb), transfer);

  body = soup_session_send_and_read (session, msg, cancellable, &error);
  if (body == NULL)
    goto out;

  if (soup_message_get_status (msg) != SOUP_STATUS_CREATED)
    {
      set_http_error (&error, msg);
      goto out;
    }

  id = read_file_id (body, &error);
  transfer->done = transfer->total;
  transfer_report (transfer, TRUE);

out:
  g_main_context_pop_thread_default (context);

  if (id != NULL)
    g_task_return_pointer (task, id, g_free);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static Transfer *
transfer_new (TertuliaClient           *self,
              const char               *path_and_query,
              GFile                    *file,
              TertuliaTransferProgress  progress,
              gpointer                  progress_data,
              GError                  **error)
{
  Transfer *transfer;

  if (self->file_token == NULL || !self->welcomed)
    {
      g_set_error_literal (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_CLOSED,
                           _("You are not in the room right now."));
      return NULL;
    }

  transfer = g_new0 (Transfer, 1);
  transfer->context = g_main_context_ref_thread_default ();
  transfer->progress = progress;
  transfer->progress_data = progress_data;
  transfer->url = dup_http_url (self, path_and_query);
  if (self->encrypted)
    transfer->fingerprint = g_strdup (self->peer_fingerprint);
  transfer->token = g_strconcat ("Bearer ", self->file_token, NULL);
  transfer->file = g_object_ref (file);

  return transfer;
}

void
tertulia_client_upload_file_async (TertuliaClient           *self,
                                   GFile                    *file,
                                   const char               *name,
                                   GCancellable             *cancellable,
                                   TertuliaTransferProgress  progress,
                                   gpointer                  progress_data,
                                   GAsyncReadyCallback       callback,
                                   gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *clean = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  Transfer *transfer;

  g_return_if_fail (TERTULIA_IS_CLIENT (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tertulia_client_upload_file_async);

  if (name == NULL)
    {
      basename = g_file_get_basename (file);
      name = basename;
    }
  clean = tertulia_file_name_sanitize (name);
  escaped = g_uri_escape_string (clean, NULL, FALSE);
  path = g_strdup_printf ("%s?name=%s", TERTULIA_FILES_PATH, escaped);

  transfer = transfer_new (self, path, file, progress, progress_data, &error);
  if (transfer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_set_task_data (task, transfer, (GDestroyNotify) transfer_free);

  /* Known too big: no need to ask */
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL, NULL);
  if (info != NULL && self->file_bytes > 0 && (guint64) g_file_info_get_size (info) > self->file_bytes)
    {
      g_task_return_new_error (task, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_FILE_TOO_LARGE,
                               "%s", tertulia_protocol_describe_error (TERTULIA_ERROR_FILE_TOO_LARGE, NULL));
      return;
    }

  g_task_run_in_thread (task, upload_thread);
}

char *
tertulia_client_upload_file_finish (TertuliaClient  *self,
                                    GAsyncResult    *result,
                                    GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}


/* Downloads */

/* The part of @dest already there goes into @checksum */
static gboolean
hash_existing (GFile         *dest,
               goffset        length,
               GChecksum     *checksum,
               guint8        *buffer,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(GFileInputStream) input = g_file_read (dest, cancellable, error);

  if (input == NULL)
    return FALSE;

  while (length > 0)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (input), buffer, (gsize) MIN (length, BUFFER_BYTES),
                                      cancellable, error);

      if (n < 0)
        return FALSE;
      if (n == 0)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT, "The file changed");
          return FALSE;
        }
      g_checksum_update (checksum, buffer, n);
      length -= n;
    }

  return TRUE;
}

static gboolean
download_once (Transfer      *transfer,
               SoupSession   *session,
               gboolean       resume,
               gboolean      *retry,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(SoupMessage) msg = transfer_message_new (transfer, SOUP_METHOD_GET, error);
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(GFileOutputStream) output = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guint8 *buffer = g_malloc (BUFFER_BYTES);
  SoupMessageHeaders *headers;
  goffset have = 0;
  guint status;

  *retry = FALSE;

  if (msg == NULL)
    return FALSE;

  headers = soup_message_get_request_headers (msg);

  info = g_file_query_info (transfer->file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL, NULL);
  if (resume && info != NULL && g_file_info_get_size (info) > 0)
    {
      g_autofree char *range = NULL;

      have = g_file_info_get_size (info);
      range = g_strdup_printf ("bytes=%" G_GOFFSET_FORMAT "-", have);
      soup_message_headers_replace (headers, "Range", range);
      /* Only a range of this very file is any use */
      if (transfer->sha256 != NULL)
        {
          g_autofree char *etag = g_strdup_printf ("\"%s\"", transfer->sha256);

          soup_message_headers_replace (headers, "If-Range", etag);
        }
    }

  input = soup_session_send (session, msg, cancellable, error);
  if (input == NULL)
    return FALSE;

  status = soup_message_get_status (msg);
  if (status == SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE && have > 0)
    {
      /* Longer than the file: not a beginning of it. Start over. */
      *retry = TRUE;
      return FALSE;
    }

  if (status == SOUP_STATUS_PARTIAL_CONTENT && have > 0)
    {
      if (!hash_existing (transfer->file, have, checksum, buffer, cancellable, error))
        return FALSE;
      output = g_file_append_to (transfer->file, G_FILE_CREATE_NONE, cancellable, error);
    }
  else if (status == SOUP_STATUS_OK)
    {
      have = 0;
      /* Not g_file_replace(): what comes stays if the download is cut,
       * for the next one to resume
       */
      if (!g_file_delete (transfer->file, cancellable, NULL) && g_file_query_exists (transfer->file, NULL))
        return g_file_delete (transfer->file, cancellable, error);
      output = g_file_append_to (transfer->file, G_FILE_CREATE_PRIVATE, cancellable, error);
    }
  else
    {
      set_http_error (error, msg);
      return FALSE;
    }

  if (output == NULL)
    return FALSE;

  transfer->done = have;
  transfer->total = have + soup_message_headers_get_content_length (soup_message_get_response_headers (msg));
  transfer_report (transfer, TRUE);

  for (;;)
    {
      gssize n = g_input_stream_read (input, buffer, BUFFER_BYTES, cancellable, error);

      if (n < 0)
        return FALSE;
      if (n == 0)
        break;
      if (!g_output_stream_write_all (G_OUTPUT_STREAM (output), buffer, (gsize) n, NULL, cancellable, error))
        return FALSE;
      g_checksum_update (checksum, buffer, n);
      transfer->done += n;
      transfer_report (transfer, FALSE);
    }

  if (!g_output_stream_close (G_OUTPUT_STREAM (output), cancellable, error))
    return FALSE;

  if (transfer->done != transfer->total)
    {
      g_set_error_literal (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_CLOSED,
                           _("The download stopped before its end."));
      return FALSE;
    }

  if (transfer->sha256 != NULL && g_strcmp0 (g_checksum_get_string (checksum), transfer->sha256) != 0)
    {
      /* Nothing of it can be trusted, nor resumed */
      g_file_delete (transfer->file, NULL, NULL);
      g_set_error_literal (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_FILE_DAMAGED,
                           _("The file arrived damaged; try again."));
      return FALSE;
    }

  transfer_report (transfer, TRUE);
  return TRUE;
}

static void
download_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Transfer *transfer = task_data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GError) error = NULL;
  gboolean retry = FALSE;
  gboolean done;

  g_main_context_push_thread_default (context);
  session = session_new ();

  done = download_once (transfer, session, TRUE, &retry, cancellable, &error);
  if (!done && retry)
    done = download_once (transfer, session, FALSE, &retry, cancellable, &error);

  g_clear_object (&session);
  g_main_context_pop_thread_default (context);

  if (done)
    g_task_return_boolean (task, TRUE);
  else if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_new_error (task, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_CLOSED,
                             "%s", _("The download stopped before its end."));
}

void
tertulia_client_download_file_async (TertuliaClient           *self,
                                     const char               *file_id,
                                     GFile                    *dest,
                                     GCancellable             *cancellable,
                                     TertuliaTransferProgress  progress,
                                     gpointer                  progress_data,
                                     GAsyncReadyCallback       callback,
                                     gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  TertuliaMessage *message;
  Transfer *transfer;

  g_return_if_fail (TERTULIA_IS_CLIENT (self));
  g_return_if_fail (file_id != NULL);
  g_return_if_fail (G_IS_FILE (dest));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tertulia_client_download_file_async);

  if (!tertulia_file_id_is_valid (file_id))
    {
      g_task_return_new_error (task, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_FILE_GONE,
                               "%s", _("That file is not in the room any more."));
      return;
    }

  path = g_strdup_printf ("%s/%s", TERTULIA_FILES_PATH, file_id);
  transfer = transfer_new (self, path, dest, progress, progress_data, &error);
  if (transfer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  message = tertulia_room_find_file_message (self->room, file_id);
  if (message != NULL)
    transfer->sha256 = g_strdup (tertulia_message_get_file (message)->sha256);

  g_task_set_task_data (task, transfer, (GDestroyNotify) transfer_free);
  g_task_run_in_thread (task, download_thread);
}

gboolean
tertulia_client_download_file_finish (TertuliaClient  *self,
                                      GAsyncResult    *result,
                                      GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}


/* Removing (the host's user only) */

static void
remove_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Transfer *transfer = task_data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (context);

  session = session_new ();
  msg = transfer_message_new (transfer, SOUP_METHOD_DELETE, &error);
  if (msg != NULL)
    {
      body = soup_session_send_and_read (session, msg, cancellable, &error);
      if (body != NULL && soup_message_get_status (msg) != SOUP_STATUS_NO_CONTENT)
        set_http_error (&error, msg);
    }

  g_clear_object (&msg);
  g_clear_object (&session);
  g_main_context_pop_thread_default (context);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
tertulia_client_remove_file_async (TertuliaClient      *self,
                                   const char          *file_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) none = NULL;
  g_autofree char *path = NULL;
  Transfer *transfer;

  g_return_if_fail (TERTULIA_IS_CLIENT (self));
  g_return_if_fail (file_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tertulia_client_remove_file_async);

  if (!tertulia_file_id_is_valid (file_id))
    {
      g_task_return_new_error (task, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_FILE_GONE,
                               "%s", _("That file is not in the room any more."));
      return;
    }

  /* A transfer with no file of ours: only its URL and key are used */
  none = g_file_new_for_path ("/");
  path = g_strdup_printf ("%s/%s", TERTULIA_FILES_PATH, file_id);
  transfer = transfer_new (self, path, none, NULL, NULL, &error);
  if (transfer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_set_task_data (task, transfer, (GDestroyNotify) transfer_free);
  g_task_run_in_thread (task, remove_thread);
}

gboolean
tertulia_client_remove_file_finish (TertuliaClient  *self,
                                    GAsyncResult    *result,
                                    GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

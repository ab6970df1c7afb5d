/* test-files.c — files shared in a room: uploads, downloads, ranges, the
 * limits, what the host serves them as, names, a restarted host
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-test-files"

#include "config.h"

#include <gio/gio.h>
#include <libsoup/soup.h>
#include <stdio.h>
#include <string.h>

#include "tertulia-client.h"
#include "tertulia-client-private.h"
#include "tertulia-journal.h"
#include "tertulia-protocol-files.h"
#include "tertulia-server.h"
#include "tertulia-test-client.h"
#include "tertulia-test-utils.h"

typedef struct
{
  TertuliaServer  *server;
  TertuliaJournal *journal;
  guint            port;
  char            *dir;
} Fixture;

static void
start_server (Fixture *fixture,
              gboolean kept)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *files_dir = g_build_filename (fixture->dir, "files", NULL);

  if (kept)
    {
      g_autofree char *room_dir = g_build_filename (fixture->dir, "room", NULL);

      fixture->journal = tertulia_journal_open (room_dir, &error);
      g_assert_no_error (error);
      fixture->server = tertulia_server_new_with_store ("Files", 100, TERTULIA_STORE (fixture->journal));
      tertulia_server_set_files_directory (fixture->server, files_dir);
    }
  else
    {
      fixture->server = tertulia_server_new ("Files");
    }

  g_assert_true (tertulia_server_listen (fixture->server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  fixture->port = tertulia_server_get_port (fixture->server);
}

static void
stop_server (Fixture *fixture)
{
  tertulia_server_shutdown (fixture->server, NULL);
  tertulia_test_spin (50);
  g_assert_finalize_object (g_steal_pointer (&fixture->server));
  g_clear_object (&fixture->journal);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("tertulia-test-files-XXXXXX", &error);
  g_assert_no_error (error);
  start_server (fixture, data != NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  stop_server (fixture);
  tertulia_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static TertuliaClient *
join_full (Fixture    *fixture,
           const char *nick,
           gboolean    host)
{
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", fixture->port);
  TertuliaClient *client;

  if (host)
    client = tertulia_client_new_for_host (address, nick, tertulia_server_get_host_key (fixture->server));
  else
    client = tertulia_client_new (address, nick);
  connect_and_wait (client);

  return client;
}

static TertuliaClient *
join (Fixture    *fixture,
      const char *nick)
{
  return join_full (fixture, nick, FALSE);
}

static void
leave (TertuliaClient *client)
{
  tertulia_client_disconnect (client);
  tertulia_test_spin (20);
  g_object_unref (client);
}

static GBytes *
random_bytes (gsize length)
{
  guint8 *data = g_malloc (length);

  for (gsize i = 0; i < length; i++)
    data[i] = (guint8) g_random_int ();

  return g_bytes_new_take (data, length);
}

static GFile *
write_file (Fixture    *fixture,
            const char *name,
            const void *data,
            gsize       length)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, (gssize) length, &error);
  g_assert_no_error (error);

  return g_file_new_for_path (path);
}

typedef struct
{
  gboolean  done;
  char     *id;
  gboolean  ok;
  GError   *error;
  goffset   progress;
} Result;

static void
upload_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Result *res = user_data;

  res->id = tertulia_client_upload_file_finish (TERTULIA_CLIENT (object), result, &res->error);
  res->done = TRUE;
}

static void
download_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Result *res = user_data;

  res->ok = tertulia_client_download_file_finish (TERTULIA_CLIENT (object), result, &res->error);
  res->done = TRUE;
}

static void
progress_cb (goffset  current,
             goffset  total,
             gpointer user_data)
{
  Result *res = user_data;

  g_assert_cmpint (current, >=, res->progress);
  g_assert_cmpint (current, <=, total);
  res->progress = current;
}

/* The new file's id; NULL with @error */
static char *
upload (TertuliaClient  *client,
        GFile           *file,
        const char      *name,
        GError         **error)
{
  Result res = { 0 };

  tertulia_client_upload_file_async (client, file, name, NULL, progress_cb, &res, upload_cb, &res);
  WAIT_UNTIL (res.done);
  if (res.error != NULL)
    g_propagate_error (error, res.error);

  return res.id;
}

static gboolean
download (TertuliaClient  *client,
          const char      *id,
          GFile           *dest,
          GError         **error)
{
  Result res = { 0 };

  tertulia_client_download_file_async (client, id, dest, NULL, progress_cb, &res, download_cb, &res);
  WAIT_UNTIL (res.done);
  if (res.error != NULL)
    g_propagate_error (error, res.error);

  return res.ok;
}

static TertuliaMessage *
wait_file (TertuliaClient *client,
           const char     *id)
{
  TertuliaRoom *room = tertulia_client_get_room (client);

  WAIT_UNTIL (tertulia_room_find_file_message (room, id) != NULL);

  return tertulia_room_find_file_message (room, id);
}

static char *
sha256_of_file (GFile *file)
{
  g_autoptr(GBytes) bytes = g_file_load_bytes (file, NULL, NULL, NULL);

  g_assert_nonnull (bytes);
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
}

/* A raw HTTP request to the host */
typedef struct
{
  gboolean            done;
  guint               status;
  SoupMessageHeaders *headers;
  GBytes             *body;
} Http;

static void
http_clear (Http *http)
{
  g_clear_pointer (&http->headers, soup_message_headers_unref);
  g_clear_pointer (&http->body, g_bytes_unref);
}

static void
http_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Http *http = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);

  http->body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, NULL);
  http->status = soup_message_get_status (msg);
  http->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  http->done = TRUE;
}

static void
http_request (Fixture    *fixture,
              const char *method,
              const char *path,
              const char *token,
              const char *range,
              GBytes     *body,
              Http       *http)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u%s", fixture->port, path);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);

  memset (http, 0, sizeof *http);
  if (token != NULL)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
    }
  if (range != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Range", range);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, "application/octet-stream", body);

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, http_done_cb, http);
  WAIT_UNTIL (http->done);
}

static const char *
header (Http       *http,
        const char *name)
{
  return soup_message_headers_get_one (http->headers, name);
}

/* Files in the room's folder: kept files and their descriptions, and
 * partial uploads
 */
static guint
count_in_room_dir (Fixture    *fixture,
                   const char *suffix)
{
  g_autoptr(GDir) dir = g_dir_open (tertulia_server_get_files_room_directory (fixture->server), 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (suffix == NULL ? strchr (name, '.') == NULL : g_str_has_suffix (name, suffix))
      n++;

  return n;
}


/* One guest shares, another saves the same bytes; a third who comes later
 * finds it in the history
 */
static void
test_share (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(TertuliaClient) ana = join (fixture, "ana");
  g_autoptr(TertuliaClient) luis = join (fixture, "luis");
  g_autoptr(TertuliaClient) late = NULL;
  g_autoptr(GBytes) bytes = random_bytes (3 * 1024 * 1024 + 17);
  g_autoptr(GFile) file = write_file (fixture, "mod.zip", g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autofree char *saved_path = g_build_filename (fixture->dir, "saved", NULL);
  g_autoptr(GFile) saved = g_file_new_for_path (saved_path);
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  g_autofree char *got = NULL;
  g_autofree char *id = NULL;
  const TertuliaFileInfo *info;
  TertuliaMessage *message;

  id = upload (ana, file, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (tertulia_file_id_is_valid (id));

  message = wait_file (luis, id);
  g_assert_cmpint (tertulia_message_get_kind (message), ==, TERTULIA_MESSAGE_KIND_FILE);
  g_assert_cmpstr (tertulia_message_get_author (message), ==, "ana");
  info = tertulia_message_get_file (message);
  g_assert_cmpstr (info->name, ==, "mod.zip");
  g_assert_cmpint (info->size, ==, g_bytes_get_size (bytes));
  /* Random bytes are not a zip, whatever the name says */
  g_assert_cmpstr (info->type, ==, "application/octet-stream");
  g_assert_cmpstr (info->sha256, ==, expected);
  g_assert_true (tertulia_message_get_is_own (wait_file (ana, id)));

  download (luis, id, saved, &error);
  g_assert_no_error (error);
  got = sha256_of_file (saved);
  g_assert_cmpstr (got, ==, expected);

  late = join (fixture, "late");
  message = tertulia_room_find_file_message (tertulia_client_get_room (late), id);
  g_assert_nonnull (message);
  g_assert_cmpstr (tertulia_message_get_file (message)->sha256, ==, expected);

  leave (g_steal_pointer (&late));
  leave (g_steal_pointer (&luis));
  leave (g_steal_pointer (&ana));
}

static gboolean
say_something_cb (gpointer user_data)
{
  tertulia_client_send_message (user_data, TERTULIA_MESSAGE_KIND_CHAT, "still here", NULL);

  return G_SOURCE_CONTINUE;
}

/* A plain request as fast as loopback goes, in a thread of its own (the
 * host runs on this thread's main loop): a GET whose bytes are counted
 * and dropped, or a POST of @body
 */
typedef struct
{
  guint16       port;
  char         *path_and_query;
  const char   *token;     /* POST */
  GBytes       *body;      /* POST */
  guint64       received;
  gint64        seconds_usec;
  gboolean      done;
} RawRequest;

static gpointer
raw_request_thread (gpointer user_data)
{
  RawRequest *request = user_data;
  g_autoptr(GSocketClient) connector = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autofree char *head = NULL;
  g_autofree char *buffer = g_malloc (256 * 1024);
  gint64 start = g_get_monotonic_time ();
  GOutputStream *output;
  GInputStream *input;
  gssize n;

  if (request->body != NULL)
    head = g_strdup_printf ("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                            "Content-Length: %" G_GSIZE_FORMAT "\r\nConnection: close\r\n\r\n",
                            request->path_and_query, request->token, g_bytes_get_size (request->body));
  else
    head = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
                            request->path_and_query);

  connection = g_socket_client_connect_to_host (connector, "127.0.0.1", request->port, NULL, NULL);
  g_assert_nonnull (connection);
  output = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_assert_true (g_output_stream_write_all (output, head, strlen (head), NULL, NULL, NULL));
  if (request->body != NULL)
    g_assert_true (g_output_stream_write_all (output, g_bytes_get_data (request->body, NULL),
                                              g_bytes_get_size (request->body), NULL, NULL, NULL));
  input = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  while ((n = g_input_stream_read (input, buffer, 256 * 1024, NULL, NULL)) > 0)
    request->received += (guint64) n;
  request->seconds_usec = g_get_monotonic_time () - start;
  g_atomic_int_set (&request->done, TRUE);

  return NULL;
}

/* @request, while the room talks (a message every 150 ms, within the rate
 * limit); how long it took, in seconds
 */
static double
raw_request_while_talking (TertuliaClient *talker,
                           TertuliaRoom   *room,
                           RawRequest     *request)
{
  g_autoptr(GThread) thread = NULL;
  gint64 seq = tertulia_room_get_last_seq (room);
  guint talking;

  tertulia_client_send_message (talker, TERTULIA_MESSAGE_KIND_CHAT, "anyone for a round?", NULL);
  WAIT_UNTIL (tertulia_room_get_last_seq (room) > seq);
  talking = g_timeout_add (150, say_something_cb, talker);

  thread = g_thread_new ("raw-request", raw_request_thread, request);
  WAIT_UNTIL (g_atomic_int_get (&request->done));
  g_source_remove (talking);

  return request->seconds_usec / (double) G_USEC_PER_SEC;
}

/* While the room talks, its transfers share a capped rate, so that
 * downloads over loopback cannot take a small host's CPU from the chat;
 * the bytes are the same either way.
 */
static void
test_gives_way_to_chat (Fixture       *fixture,
                        gconstpointer  data)
{
  const gsize size = 128 * 1024 * 1024;
  g_autoptr(TertuliaClient) ana = join (fixture, "ana");
  g_autoptr(TertuliaClient) luis = join (fixture, "luis");
  g_autoptr(GBytes) block = random_bytes (1024 * 1024);
  g_autofree guint8 *content = g_malloc (size);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *url = NULL;
  g_autofree char *id = NULL;
  g_autofree char *path_and_query = NULL;
  TertuliaRoom *room = tertulia_client_get_room (luis);
  RawRequest get = { .port = (guint16) fixture->port };
  RawRequest post = { .port = (guint16) fixture->port, .path_and_query = (char *) "/files?name=map.pk3" };
  double seconds;

  for (gsize at = 0; at < size; at += g_bytes_get_size (block))
    memcpy (content + at, g_bytes_get_data (block, NULL), g_bytes_get_size (block));
  file = write_file (fixture, "map.pk3", content, size);

  id = upload (ana, file, NULL, &error);
  g_assert_no_error (error);
  wait_file (luis, id);
  url = tertulia_client_dup_file_url (luis, id);
  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, &error);
  g_assert_no_error (error);
  path_and_query = g_strdup_printf ("%s?%s", g_uri_get_path (uri), g_uri_get_query (uri));
  get.path_and_query = path_and_query;

  seconds = raw_request_while_talking (ana, room, &get);

  /* Headers and all of the body */
  g_assert_cmpuint (get.received, >, size);
  g_assert_cmpuint (get.received, <, size + 4096);

  /* 128 MiB at no more than 300 MB/s take 0.45 s at least; unpaced,
   * loopback moves them several times faster
   */
  g_test_message ("128 MiB down while the room talks: %.3f s", seconds);
  g_assert_cmpfloat (seconds, >=, 0.40);

  /* An upload shares the same rate, and keeps to it (the pieces it reads
   * are counted as they come: tests/bench/run-bench --only files saw the
   * core client's upload at 45 MB/s when each read counted as a whole
   * piece, however little it brought)
   */
  body = g_bytes_new_static (content, size);
  post.token = luis->file_token;
  post.body = body;
  seconds = raw_request_while_talking (ana, room, &post);
  g_test_message ("128 MiB up while the room talks: %.3f s", seconds);
  g_assert_cmpfloat (seconds, >=, 0.40);
  g_assert_cmpfloat (seconds, <, 1.5);

  leave (g_steal_pointer (&luis));
  leave (g_steal_pointer (&ana));
}

/* An interrupted download goes on where it stopped; ranges and their
 * refusals
 */
static void
test_range (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(TertuliaClient) ana = join (fixture, "ana");
  g_autoptr(GBytes) bytes = random_bytes (1000 * 1000);
  g_autoptr(GFile) file = write_file (fixture, "map.bin", g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autoptr(GFile) half = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  g_autofree char *got = NULL;
  g_autofree char *id = upload (ana, file, NULL, &error);
  g_autofree char *path = g_strdup_printf ("/files/%s", id);
  Http http;

  g_assert_no_error (error);
  wait_file (ana, id);

  /* Half of it is there from before: only the rest comes */
  half = write_file (fixture, "half", g_bytes_get_data (bytes, NULL), 400 * 1000);
  download (ana, id, half, &error);
  g_assert_no_error (error);
  got = sha256_of_file (half);
  g_assert_cmpstr (got, ==, expected);

  http_request (fixture, "GET", path, ana->file_token, "bytes=999990-", NULL, &http);
  g_assert_cmpuint (http.status, ==, 206);
  g_assert_cmpstr (header (&http, "Content-Range"), ==, "bytes 999990-999999/1000000");
  g_assert_cmpuint (g_bytes_get_size (http.body), ==, 10);
  g_assert_cmpmem (g_bytes_get_data (http.body, NULL), 10, (const guint8 *) g_bytes_get_data (bytes, NULL) + 999990, 10);
  http_clear (&http);

  http_request (fixture, "GET", path, ana->file_token, "bytes=-5", NULL, &http);
  g_assert_cmpuint (http.status, ==, 206);
  g_assert_cmpuint (g_bytes_get_size (http.body), ==, 5);
  http_clear (&http);

  http_request (fixture, "HEAD", path, ana->file_token, NULL, NULL, &http);
  g_assert_cmpuint (http.status, ==, 200);
  g_assert_cmpstr (header (&http, "Content-Length"), ==, "1000000");
  g_assert_cmpstr (header (&http, "Accept-Ranges"), ==, "bytes");
  g_assert_cmpuint (g_bytes_get_size (http.body), ==, 0);
  http_clear (&http);

  http_request (fixture, "GET", path, ana->file_token, "bytes=1000000-", NULL, &http);
  g_assert_cmpuint (http.status, ==, 416);
  g_assert_cmpstr (header (&http, "Content-Range"), ==, "bytes */1000000");
  http_clear (&http);

  leave (g_steal_pointer (&ana));
}

static void
server_error_cb (TertuliaClient *client,
                 const char     *code,
                 const char     *message,
                 const char     *cid,
                 gpointer        user_data)
{
  char **last = user_data;

  g_free (*last);
  *last = g_strdup (code);
}

/* Over the limit or the quota: 413, an error frame, nothing kept */
static void
test_limits (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(TertuliaClient) ana = NULL;
  g_autoptr(TertuliaClient) luis = NULL;
  g_autoptr(GBytes) big = random_bytes (6000);
  g_autoptr(GBytes) small = random_bytes (4000);
  g_autoptr(GFile) file = write_file (fixture, "small", g_bytes_get_data (small, NULL), g_bytes_get_size (small));
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  gint64 seq;
  Http http;

  tertulia_server_set_file_limits (fixture->server, 5000, 10000);
  ana = join (fixture, "ana");
  luis = join (fixture, "luis");
  g_assert_cmpuint (tertulia_client_get_file_limit (ana), ==, 5000);
  g_signal_connect (ana, "server-error", G_CALLBACK (server_error_cb), &code);

  /* Straight to the host, past the client's own check */
  http_request (fixture, "POST", "/files?name=big", ana->file_token, NULL, big, &http);
  g_assert_cmpuint (http.status, ==, 413);
  g_assert_cmpstr (header (&http, "X-Tertulia-Error"), ==, "file-too-large");
  http_clear (&http);
  WAIT_UNTIL (code != NULL);
  g_assert_cmpstr (code, ==, "file-too-large");
  g_clear_pointer (&code, g_free);

  first = upload (ana, file, NULL, &error);
  g_assert_no_error (error);
  second = upload (ana, file, NULL, &error);
  g_assert_no_error (error);
  wait_file (luis, second);
  seq = tertulia_room_get_last_seq (tertulia_client_get_room (luis));

  third = upload (ana, file, NULL, &error);
  g_assert_error (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_ROOM_FILES_FULL);
  g_assert_null (third);
  WAIT_UNTIL (code != NULL);
  g_assert_cmpstr (code, ==, "room-files-full");

  /* Nothing of the refused ones is kept, nor announced */
  tertulia_test_spin (100);
  g_assert_cmpuint (count_in_room_dir (fixture, NULL), ==, 2);
  g_assert_cmpuint (count_in_room_dir (fixture, ".part"), ==, 0);
  g_assert_cmpint (tertulia_room_get_last_seq (tertulia_client_get_room (luis)), ==, seq);

  g_signal_handlers_disconnect_by_data (ana, &code);
  leave (g_steal_pointer (&luis));
  leave (g_steal_pointer (&ana));
}

/* A guest that goes away in the middle of an upload leaves nothing */
static void
test_disconnect (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(TertuliaClient) ana = join (fixture, "ana");
  g_autoptr(GSocketClient) socket_client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = random_bytes (200 * 1000);
  g_autofree char *head = NULL;
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", fixture->port);
  GOutputStream *out;
  gint64 seq = tertulia_room_get_last_seq (tertulia_client_get_room (ana));

  connection = g_socket_client_connect_to_host (socket_client, address, 0, NULL, &error);
  g_assert_no_error (error);
  out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  head = g_strdup_printf ("POST /files?name=cut HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"
                          "Content-Length: 10000000\r\n\r\n", address, ana->file_token);
  g_output_stream_write_all (out, head, strlen (head), NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (out, g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL, NULL, &error);
  g_assert_no_error (error);

  /* The host has begun to keep it */
  WAIT_UNTIL (count_in_room_dir (fixture, ".part") == 1);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);

  WAIT_UNTIL (count_in_room_dir (fixture, ".part") == 0);
  tertulia_test_spin (100);
  g_assert_cmpuint (count_in_room_dir (fixture, NULL), ==, 0);
  g_assert_cmpint (tertulia_room_get_last_seq (tertulia_client_get_room (ana)), ==, seq);

  leave (g_steal_pointer (&ana));
}

/* An upload cancelled on the way (what Ctrl+C does in tertulia-cli) */
static void
cancel_on_progress_cb (goffset  current,
                       goffset  total,
                       gpointer user_data)
{
  if (current > 0)
    g_cancellable_cancel (user_data);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(TertuliaClient) ana = join (fixture, "ana");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "big", NULL);
  gint64 seq = tertulia_room_get_last_seq (tertulia_client_get_room (ana));
  Result res = { 0 };
  FILE *out = fopen (path, "wb");

  /* 256 MiB: far more than goes by before the first progress report */
  g_assert_nonnull (out);
  g_assert_cmpint (fseeko (out, 256 * 1024 * 1024 - 1, SEEK_SET), ==, 0);
  fputc (0, out);
  fclose (out);
  file = g_file_new_for_path (path);

  tertulia_client_upload_file_async (ana, file, NULL, cancellable, cancel_on_progress_cb, cancellable,
                                     upload_cb, &res);
  WAIT_UNTIL (res.done);
  g_assert_error (res.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&res.error);
  g_assert_null (res.id);

  WAIT_UNTIL (count_in_room_dir (fixture, ".part") == 0);
  tertulia_test_spin (100);
  g_assert_cmpuint (count_in_room_dir (fixture, NULL), ==, 0);
  g_assert_cmpint (tertulia_room_get_last_seq (tertulia_client_get_room (ana)), ==, seq);

  leave (g_steal_pointer (&ana));
}

/* Only the room's participants reach its files */
static void
test_forged (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(TertuliaClient) ana = join (fixture, "ana");
  g_autoptr(GFile) file = write_file (fixture, "a.txt", "hola\n", 5);
  g_autoptr(GBytes) body = g_bytes_new_static ("x", 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = upload (ana, file, NULL, &error);
  g_autofree char *path = g_strdup_printf ("/files/%s", id);
  g_autofree char *url = NULL;
  g_autofree char *forged_url = NULL;
  g_autofree char *cap_path = NULL;
  char forged[65];
  Http http;

  g_assert_no_error (error);
  memset (forged, 'a', 64);
  forged[64] = '\0';

  http_request (fixture, "GET", path, NULL, NULL, NULL, &http);
  g_assert_cmpuint (http.status, ==, 401);
  http_clear (&http);
  http_request (fixture, "GET", path, forged, NULL, NULL, &http);
  g_assert_cmpuint (http.status, ==, 403);
  http_clear (&http);
  http_request (fixture, "POST", "/files?name=x", forged, NULL, body, &http);
  g_assert_cmpuint (http.status, ==, 403);
  http_clear (&http);
  /* The resume token is not a file token */
  http_request (fixture, "GET", path, ana->resume_token, NULL, NULL, &http);
  g_assert_cmpuint (http.status, ==, 403);
  http_clear (&http);

  /* The capability URL works without a header, and only for this file */
  url = tertulia_client_dup_file_url (ana, id);
  g_assert_nonnull (url);
  cap_path = g_strdup (strstr (url, "/files/"));
  http_request (fixture, "GET", cap_path, NULL, NULL, NULL, &http);
  g_assert_cmpuint (http.status, ==, 200);
  g_assert_cmpmem (g_bytes_get_data (http.body, NULL), g_bytes_get_size (http.body), "hola\n", 5);
  http_clear (&http);
  forged_url = g_strdup (cap_path);
  forged_url[strlen (forged_url) - 1] = forged_url[strlen (forged_url) - 1] == '0' ? '1' : '0';
  http_request (fixture, "GET", forged_url, NULL, NULL, NULL, &http);
  g_assert_cmpuint (http.status, ==, 403);
  http_clear (&http);

  /* A guest who left has no key any more */
  {
    g_autofree char *token = g_strdup (ana->file_token);

    leave (g_steal_pointer (&ana));
    http_request (fixture, "GET", path, token, NULL, NULL, &http);
    g_assert_cmpuint (http.status, ==, 403);
    http_clear (&http);
  }
}

/* What a guest's content is served as: a lying PNG, HTML, SVG, a real PNG */
static void
check_served (Fixture    *fixture,
              const char *token,
              const char *id,
              gboolean    inline_picture)
{
  g_autofree char *path = g_strdup_printf ("/files/%s", id);
  Http http;

  http_request (fixture, "GET", path, token, NULL, NULL, &http);
  g_assert_cmpuint (http.status, ==, 200);
  g_assert_cmpstr (header (&http, "X-Content-Type-Options"), ==, "nosniff");
  g_assert_cmpstr (header (&http, "Content-Security-Policy"), ==, "sandbox; default-src 'none'");
  if (inline_picture)
    g_assert_true (g_str_has_prefix (header (&http, "Content-Disposition"), "inline;"));
  else
    g_assert_true (g_str_has_prefix (header (&http, "Content-Disposition"), "attachment;"));
  g_assert_false (g_str_has_prefix (header (&http, "Content-Type"), "text/html"));
  g_assert_false (g_str_has_prefix (header (&http, "Content-Type"), "image/svg"));
  http_clear (&http);
}

static const guint8 tiny_png[] = {
  0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
  0, 0, 3, 0x20, 0, 0, 2, 0x58, 8, 6, 0, 0, 0, 0x15, 0x14, 0x15, 0x27,
};

static void
test_types (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(TertuliaClient) ana = join (fixture, "ana");
  static const char script[] = "#!/bin/sh\nrm -rf \"$HOME\"\n";
  static const char html[] = "<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>\n";
  static const char svg[] = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>\n";
  static const guint8 binary[] = { 'G', 'I', 'F', 0, 1, 2, 0xff, 0xfe };
  struct {
    const char   *name;
    const guint8 *data;
    gsize         length;
    const char   *type;
    gboolean      picture;
  } cases[] = {
    { "photo.png", (const guint8 *) script, strlen (script), "text/plain; charset=utf-8", FALSE },
    { "page.html", (const guint8 *) html, strlen (html), "text/plain; charset=utf-8", FALSE },
    { "logo.svg", (const guint8 *) svg, strlen (svg), "text/plain; charset=utf-8", FALSE },
    { "x.gif", binary, sizeof binary, "application/octet-stream", FALSE },
    { "shot.jpg", tiny_png, sizeof tiny_png, "image/png", TRUE },
    { "empty", (const guint8 *) "", 0, "text/plain; charset=utf-8", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GFile) file = write_file (fixture, cases[i].name, cases[i].data, cases[i].length);
      g_autoptr(GError) error = NULL;
      g_autofree char *id = upload (ana, file, NULL, &error);
      const TertuliaFileInfo *info;

      g_assert_no_error (error);
      info = tertulia_message_get_file (wait_file (ana, id));
      g_assert_cmpstr (info->name, ==, cases[i].name);
      g_assert_cmpstr (info->type, ==, cases[i].type);
      if (cases[i].picture)
        {
          g_assert_cmpint (info->width, ==, 800);
          g_assert_cmpint (info->height, ==, 600);
        }
      else
        {
          g_assert_cmpint (info->width, ==, 0);
        }
      check_served (fixture, ana->file_token, id, cases[i].picture);
    }

  leave (g_steal_pointer (&ana));
}

/* Names that would lie, escape the folder or break on Windows */
static void
test_names (void)
{
  struct {
    const char *in;
    const char *out;
  } cases[] = {
    { "../../etc/passwd", "passwd" },
    { "..\\..\\boot.ini", "boot.ini" },
    { "photo\u202Egpj.exe", "photogpj.exe" },
    { "a\u2066b\u2069c\u200Fd", "abcd" },
    { "CON.txt", "_CON.txt" },
    { "lpt1", "_lpt1" },
    { "com10.txt", "com10.txt" },
    { ".bashrc", "bashrc" },
    { "...", "file" },
    { "", "file" },
    { "a\nb\tc\x01.txt", "ab c.txt" },
    { "what?<>|*\":.txt", "what_______.txt" },
    { "trailing. . ", "trailing" },
  };
  g_autofree char *stem = NULL;
  g_autofree char *long_name = NULL;
  g_autofree char *cut = NULL;
  g_autofree char *again = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *clean = tertulia_file_name_sanitize (cases[i].in);
      g_autofree char *twice = tertulia_file_name_sanitize (clean);

      g_assert_cmpstr (clean, ==, cases[i].out);
      g_assert_cmpstr (twice, ==, clean);
    }

  /* Cut at a character boundary, the extension kept */
  stem = g_strnfill (150, 'a');
  long_name = g_strconcat (stem, "ñññññññññññññññññññññññññññññññññññññññ", ".tar.gz", NULL);
  cut = tertulia_file_name_sanitize (long_name);
  g_assert_cmpuint (strlen (cut), <=, TERTULIA_MAX_FILE_NAME_BYTES);
  g_assert_true (g_utf8_validate (cut, -1, NULL));
  g_assert_true (g_str_has_suffix (cut, ".gz"));
  again = tertulia_file_name_sanitize (cut);
  g_assert_cmpstr (again, ==, cut);
}

/* The events on the wire: what a client keeps of a file event is safe
 * whatever a host sent; a bad id is no file event
 */
static void
test_wire (void)
{
  g_autoptr(TertuliaFrame) frame = NULL;
  g_autoptr(TertuliaFrame) removed = NULL;
  g_autoptr(TertuliaFrame) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  const char *file = "{\"type\":\"file\",\"seq\":3,\"time\":5,\"from\":{\"id\":2,\"nick\":\"ana\"},"
                     "\"file\":{\"id\":\"0123456789abcdef0123456789abcdef\",\"name\":\"../x\u202egpj.exe\","
                     "\"size\":10,\"type\":\"image/png\",\"width\":4,\"height\":3,\"sha256\":\"ab\"}}";

  frame = tertulia_protocol_parse_server_frame (file, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (frame->type, ==, TERTULIA_FRAME_FILE);
  g_assert_cmpstr (frame->file->name, ==, "xgpj.exe");
  g_assert_cmpint (frame->file->width, ==, 4);
  g_assert_cmpint (frame->peer.id, ==, 2);

  json = tertulia_protocol_serialize (frame);
  again = tertulia_protocol_parse_server_frame (json, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->file->id, ==, frame->file->id);
  g_assert_cmpint (again->file->height, ==, 3);

  removed = tertulia_protocol_parse_server_frame ("{\"type\":\"file-removed\",\"seq\":4,\"time\":6,"
                                                  "\"by\":{\"id\":1,\"nick\":\"luis\"},\"id\":\"../../x\"}", -1, &error);
  g_assert_error (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_INVALID_FRAME);
  g_assert_null (removed);
}

/* And over the wire: the host keeps the safe name */
static void
test_upload_names (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(TertuliaClient) ana = join (fixture, "ana");
  g_autoptr(GFile) file = write_file (fixture, "plain", "x", 1);
  g_autoptr(GBytes) body = g_bytes_new_static ("x", 1);
  Http http;

  http_request (fixture, "POST", "/files?name=..%2F..%2Fetc%2F%E2%80%AEgpj.exe", ana->file_token, NULL, body, &http);
  g_assert_cmpuint (http.status, ==, 201);
  http_clear (&http);
  WAIT_UNTIL (count_rows (ana, "gpj.exe", FALSE) == 1);

  http_request (fixture, "POST", "/files?name=CON.txt", ana->file_token, NULL, body, &http);
  g_assert_cmpuint (http.status, ==, 201);
  http_clear (&http);
  WAIT_UNTIL (count_rows (ana, "_CON.txt", FALSE) == 1);

  leave (g_steal_pointer (&ana));
}

/* The host's user removes a file; nobody else can */
static void
test_remove (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(TertuliaClient) host = join_full (fixture, "host", TRUE);
  g_autoptr(TertuliaClient) ana = join (fixture, "ana");
  g_autoptr(GFile) file = write_file (fixture, "notes.txt", "notes\n", 6);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = upload (ana, file, NULL, &error);
  g_autofree char *path = g_strdup_printf ("/files/%s", id);
  TertuliaMessage *message;
  Http http;

  g_assert_no_error (error);
  message = wait_file (host, id);

  http_request (fixture, "DELETE", path, ana->file_token, NULL, NULL, &http);
  g_assert_cmpuint (http.status, ==, 403);
  http_clear (&http);

  http_request (fixture, "DELETE", path, host->file_token, NULL, NULL, &http);
  g_assert_cmpuint (http.status, ==, 204);
  http_clear (&http);
  WAIT_UNTIL (tertulia_message_get_file_removed (message));
  WAIT_UNTIL (tertulia_message_get_file_removed (wait_file (ana, id)));

  http_request (fixture, "GET", path, ana->file_token, NULL, NULL, &http);
  g_assert_cmpuint (http.status, ==, 404);
  http_clear (&http);
  g_assert_cmpuint (count_in_room_dir (fixture, NULL), ==, 0);

  leave (g_steal_pointer (&ana));
  leave (g_steal_pointer (&host));
}

/* issue 18: a co-host removes anyone's file too; a guest still cannot */
static void
test_remove_by_cohost (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(TertuliaClient) host = join_full (fixture, "host", TRUE);
  g_autoptr(TertuliaClient) ana = join (fixture, "ana");
  g_autoptr(TertuliaClient) bob = join (fixture, "bob");
  g_autoptr(GFile) file = write_file (fixture, "notes.txt", "notes\n", 6);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = upload (ana, file, NULL, &error);
  g_autofree char *path = g_strdup_printf ("/files/%s", id);
  TertuliaRoom *bob_room = tertulia_client_get_room (bob);
  Http http;

  g_assert_no_error (error);
  wait_file (bob, id);

  http_request (fixture, "DELETE", path, bob->file_token, NULL, NULL, &http);
  g_assert_cmpuint (http.status, ==, 403);
  http_clear (&http);

  g_assert_true (tertulia_client_set_cohost (host, tertulia_participant_get_id (tertulia_room_get_you (bob_room)), TRUE));
  WAIT_UNTIL (tertulia_room_get_you_moderate (bob_room));

  http_request (fixture, "DELETE", path, bob->file_token, NULL, NULL, &http);
  g_assert_cmpuint (http.status, ==, 204);
  http_clear (&http);
  WAIT_UNTIL (tertulia_message_get_file_removed (wait_file (ana, id)));

  leave (g_steal_pointer (&bob));
  leave (g_steal_pointer (&ana));
  leave (g_steal_pointer (&host));
}

/* A host started again on its data directory still serves the room's files */
static void
test_restart (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(TertuliaClient) ana = join (fixture, "ana");
  g_autoptr(TertuliaClient) luis = NULL;
  g_autoptr(GBytes) bytes = random_bytes (100 * 1000);
  g_autoptr(GFile) file = write_file (fixture, "kept.bin", g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autoptr(GFile) saved = write_file (fixture, "saved", "", 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  g_autofree char *got = NULL;
  g_autofree char *id = upload (ana, file, NULL, &error);

  g_assert_no_error (error);
  wait_file (ana, id);
  leave (g_steal_pointer (&ana));

  stop_server (fixture);
  start_server (fixture, TRUE);

  luis = join (fixture, "luis");
  /* In the history the restarted host sends */
  g_assert_nonnull (tertulia_room_find_file_message (tertulia_client_get_room (luis), id));
  download (luis, id, saved, &error);
  g_assert_no_error (error);
  got = sha256_of_file (saved);
  g_assert_cmpstr (got, ==, expected);

  leave (g_steal_pointer (&luis));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/files/names", test_names);
  g_test_add_func ("/files/wire", test_wire);
  g_test_add ("/files/share", Fixture, NULL, fixture_setup, test_share, fixture_teardown);
  g_test_add ("/files/range", Fixture, NULL, fixture_setup, test_range, fixture_teardown);
  g_test_add ("/files/limits", Fixture, NULL, fixture_setup, test_limits, fixture_teardown);
  g_test_add ("/files/disconnect", Fixture, NULL, fixture_setup, test_disconnect, fixture_teardown);
  g_test_add ("/files/cancel", Fixture, NULL, fixture_setup, test_cancel, fixture_teardown);
  g_test_add ("/files/forged", Fixture, NULL, fixture_setup, test_forged, fixture_teardown);
  g_test_add ("/files/types", Fixture, NULL, fixture_setup, test_types, fixture_teardown);
  g_test_add ("/files/upload-names", Fixture, NULL, fixture_setup, test_upload_names, fixture_teardown);
  g_test_add ("/files/remove", Fixture, NULL, fixture_setup, test_remove, fixture_teardown);
  g_test_add ("/files/gives-way-to-chat", Fixture, NULL, fixture_setup, test_gives_way_to_chat, fixture_teardown);
  g_test_add ("/files/restart", Fixture, "kept", fixture_setup, test_restart, fixture_teardown);
  g_test_add ("/files/remove-by-cohost", Fixture, NULL, fixture_setup, test_remove_by_cohost, fixture_teardown);

  return g_test_run ();
}

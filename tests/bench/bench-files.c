/* bench-files.c — one big upload to a host, then parallel downloads of it,
 * beside another HTTP server serving the same file; the host's RSS meanwhile
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tests/bench/run-bench --only files runs it:
 *
 *   bench-files --port PORT --server-pid PID --file BIG [--parallel 10]
 *               [--seconds S] [--other-url http://127.0.0.1:N/big]
 *
 * It joins the room as a core client, uploads BIG with
 * tertulia_client_upload_file_async(), then downloads it from the host with
 * --parallel plain HTTP GETs at once (blocking sockets, one thread each,
 * bytes read and dropped), round after round until --busy-seconds after
 * the start (while run-bench's chat load runs; the host's RSS is sampled
 * from the upload to then); then from the host and --other-url in turns
 * (host, other, other, host), --seconds each: the best of each. Prints one
 * JSON line.
 */

#define _GNU_SOURCE
#define G_LOG_DOMAIN "bench-files"

#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tertulia-client.h"
#include "tertulia-client-private.h"

#define RECV_BYTES (256 * 1024)

typedef struct
{
  /* In */
  guint16     port;
  char       *path;
  gint64      until;     /* monotonic µs: rounds go on until then */
  /* Out */
  guint64     bytes;
  guint       rounds;
  gboolean    failed;
} Downloader;

static gint64
read_rss_kb (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *contents = NULL;
  const char *rss;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return -1;
  rss = strstr (contents, "VmRSS:");

  return rss != NULL ? g_ascii_strtoll (rss + 6, NULL, 10) : -1;
}

/* One GET; the body's length, or -1 */
static gint64
get_once (guint16     port,
          const char *path)
{
  struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons (port) };
  g_autofree char *request = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
                                              "Connection: close\r\n\r\n", path, port);
  g_autoptr(GString) head = g_string_new (NULL);
  char *local = g_malloc (RECV_BYTES);
  gint64 body = 0;
  gint64 length = -1;
  int fd;

  inet_pton (AF_INET, "127.0.0.1", &address.sin_addr);
  fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || connect (fd, (struct sockaddr *) &address, sizeof address) != 0 ||
      send (fd, request, strlen (request), MSG_NOSIGNAL) != (ssize_t) strlen (request))
    goto fail;

  for (;;)
    {
      ssize_t n = recv (fd, local, RECV_BYTES, 0);
      char *end;

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;

      if (length < 0)
        {
          g_string_append_len (head, local, n);
          end = strstr (head->str, "\r\n\r\n");
          if (end == NULL)
            continue;
          if (!g_str_has_prefix (head->str, "HTTP/1.1 200"))
            goto fail;
          {
            char *cl = strcasestr (head->str, "\r\nContent-Length:");

            if (cl == NULL)
              goto fail;
            length = g_ascii_strtoll (cl + strlen ("\r\nContent-Length:"), NULL, 10);
          }
          body = (gint64) head->len - (end + 4 - head->str);
        }
      else
        {
          body += n;
        }
    }

  close (fd);
  g_free (local);
  return body == length ? body : -1;

fail:
  if (fd >= 0)
    close (fd);
  g_free (local);
  return -1;
}

static gpointer
download_thread (gpointer user_data)
{
  Downloader *d = user_data;

  do
    {
      gint64 n = get_once (d->port, d->path);

      if (n < 0)
        {
          d->failed = TRUE;
          break;
        }
      d->bytes += (guint64) n;
      d->rounds++;
    }
  while (g_get_monotonic_time () < d->until);

  return NULL;
}

typedef struct
{
  int    pid;
  gint64 max_rss_kb;
} Sampler;

static gboolean
sample_cb (gpointer user_data)
{
  Sampler *sampler = user_data;

  sampler->max_rss_kb = MAX (sampler->max_rss_kb, read_rss_kb (sampler->pid));
  return G_SOURCE_CONTINUE;
}

/* Parallel downloads of @path for at least @seconds: bytes/s, and whether
 * every one was whole
 */
static double
download_all (guint16     port,
              const char *path,
              guint       parallel,
              gint64      until,
              guint64    *total,
              gboolean   *ok)
{
  g_autofree Downloader *downloaders = g_new0 (Downloader, parallel);
  g_autofree GThread **threads = g_new0 (GThread *, parallel);
  gint64 start = g_get_monotonic_time ();
  gboolean done = FALSE;

  *total = 0;
  *ok = TRUE;

  for (guint i = 0; i < parallel; i++)
    {
      downloaders[i].port = port;
      downloaders[i].path = (char *) path;
      downloaders[i].until = until;
      threads[i] = g_thread_new ("download", download_thread, &downloaders[i]);
    }

  /* The room goes on meanwhile (the client's keepalive, the RSS samples) */
  while (!done)
    {
      done = TRUE;
      for (guint i = 0; i < parallel; i++)
        if (downloaders[i].rounds == 0 && !downloaders[i].failed)
          done = FALSE;
      if (g_get_monotonic_time () < until)
        done = FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10 * 1000);
    }

  for (guint i = 0; i < parallel; i++)
    {
      g_thread_join (threads[i]);
      *total += downloaders[i].bytes;
      *ok = *ok && !downloaders[i].failed;
    }

  return (double) *total / ((g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
}

typedef struct
{
  gboolean done;
  gboolean ok;
  char    *id;
} Wait;

static void
connected_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = tertulia_client_connect_finish (TERTULIA_CLIENT (object), result, NULL);
  wait->done = TRUE;
}

static void
uploaded_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Wait *wait = user_data;
  g_autoptr(GError) error = NULL;

  wait->id = tertulia_client_upload_file_finish (TERTULIA_CLIENT (object), result, &error);
  if (error != NULL)
    g_printerr ("bench-files: upload failed: %s\n", error->message);
  wait->done = TRUE;
}

int
main (int   argc,
      char *argv[])
{
  gint port = 0;
  gint pid = 0;
  gint parallel = 10;
  double seconds = 0;
  double busy = 0;
  g_autofree char *file_path = NULL;
  g_autofree char *other_url = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new ("— files over HTTP, host beside another server");
  g_autoptr(GError) error = NULL;
  g_autoptr(TertuliaClient) client = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *address = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *path_and_query = NULL;
  GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "The host's port", "PORT" },
    { "server-pid", 0, 0, G_OPTION_ARG_INT, &pid, "The host's process, for its RSS", "PID" },
    { "file", 0, 0, G_OPTION_ARG_FILENAME, &file_path, "The file to upload", "PATH" },
    { "parallel", 0, 0, G_OPTION_ARG_INT, &parallel, "Downloads at once (10)", "N" },
    { "seconds", 0, 0, G_OPTION_ARG_DOUBLE, &seconds, "Download rounds go on at least this long (0: one)", "S" },
    { "busy-seconds", 0, 0, G_OPTION_ARG_DOUBLE, &busy, "The host's download rounds go on until this long after the start", "S" },
    { "other-url", 0, 0, G_OPTION_ARG_STRING, &other_url, "The same file from another server", "URL" },
    { NULL }
  };
  Sampler sampler = { 0 };
  Wait wait = { 0 };
  gint64 rss_before;
  gint64 start;
  double upload_s;
  double curl_upload_s = 0;
  g_autofree char *curl = NULL;
  gint64 program_start = g_get_monotonic_time ();
  double host_bps = 0, other_bps = 0, busy_bps;
  guint64 host_total = 0, other_total = 0, busy_total;
  gboolean host_ok, other_ok = TRUE;
  guint sample_id;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || port <= 0 || pid <= 0 || file_path == NULL)
    {
      g_printerr ("bench-files: --port, --server-pid and --file are needed\n");
      return 1;
    }

  address = g_strdup_printf ("127.0.0.1:%d", port);
  client = tertulia_client_new (address, "bench-files");
  tertulia_client_connect_async (client, NULL, connected_cb, &wait);
  while (!wait.done)
    g_main_context_iteration (NULL, TRUE);
  if (!wait.ok)
    {
      g_printerr ("bench-files: could not join the room\n");
      return 1;
    }

  sampler.pid = pid;
  rss_before = read_rss_kb (pid);
  sampler.max_rss_kb = rss_before;
  sample_id = g_timeout_add (20, sample_cb, &sampler);

  file = g_file_new_for_path (file_path);
  memset (&wait, 0, sizeof wait);
  start = g_get_monotonic_time ();
  tertulia_client_upload_file_async (client, file, "big.bin", NULL, NULL, NULL, uploaded_cb, &wait);
  while (!wait.done)
    g_main_context_iteration (NULL, TRUE);
  upload_s = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  if (wait.id == NULL)
    return 1;

  /* The same file by curl, which streams it from disk as it reads: the
   * host's own speed, without the core client's
   */
  curl = g_find_program_in_path ("curl");
  if (curl != NULL)
    {
      g_autofree char *bearer = g_strdup_printf ("Authorization: Bearer %s", client->file_token);
      g_autofree char *target = g_strdup_printf ("http://127.0.0.1:%d/files?name=curl.bin", port);
      const char *curl_argv[] = { "curl", "-sS", "-o", "/dev/null", "-X", "POST", "-H", bearer,
                                  "-H", "Expect:", "-T", file_path, target, NULL };
      gint64 curl_start = g_get_monotonic_time ();
      int status = -1;

      if (g_spawn_sync (NULL, (char **) curl_argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                        NULL, NULL, &status, NULL) && status == 0)
        curl_upload_s = (g_get_monotonic_time () - curl_start) / (double) G_USEC_PER_SEC;
    }

  url = tertulia_client_dup_file_url (client, wait.id);
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  path_and_query = g_strdup_printf ("%s?%s", g_uri_get_path (uri), g_uri_get_query (uri));
  /* While the room chats (the load generator's window) */
  busy_bps = download_all ((guint16) port, path_and_query, (guint) parallel,
                           MAX (g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC),
                                program_start + (gint64) (busy * G_USEC_PER_SEC)),
                           &busy_total, &host_ok);
  g_source_remove (sample_id);

  /* Then the host and the other server in turns, nothing else running:
   * the best of two each
   */
  for (guint round = 0; round < 4; round++)
    {
      /* host, other; then other, host: neither always goes first */
      gboolean host_turn = (round == 0 || round == 3);
      g_autoptr(GUri) other = other_url != NULL ? g_uri_parse (other_url, G_URI_FLAGS_NONE, NULL) : NULL;
      gint64 until = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);
      guint64 total;
      gboolean ok;

      if (host_turn)
        {
          host_bps = MAX (host_bps, download_all ((guint16) port, path_and_query, (guint) parallel,
                                                  until, &total, &ok));
          host_total += total;
          host_ok = host_ok && ok;
        }
      else if (other != NULL)
        {
          other_bps = MAX (other_bps, download_all ((guint16) g_uri_get_port (other), g_uri_get_path (other),
                                                    (guint) parallel, until, &total, &ok));
          other_total += total;
          other_ok = other_ok && ok;
        }
    }

  {
    g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, 0, NULL, NULL);
    goffset size = g_file_info_get_size (info);

    g_print ("{\"file_bytes\":%" G_GOFFSET_FORMAT ",\"upload_s\":%.2f,\"upload_mb_s\":%.0f,"
             "\"curl_upload_mb_s\":%.0f,"
             "\"parallel\":%d,\"host_download_mb_s_while_chatting\":%.0f,\"host_download_bytes\":%" G_GUINT64_FORMAT ",\"host_download_mb_s\":%.0f,"
             "\"host_downloads_ok\":%s,\"other_download_bytes\":%" G_GUINT64_FORMAT ",\"other_download_mb_s\":%.0f,"
             "\"other_downloads_ok\":%s,\"host_rss_kb_before\":%" G_GINT64_FORMAT ",\"host_rss_kb_max\":%" G_GINT64_FORMAT
             ",\"host_rss_growth_mb\":%.1f}\n",
             size, upload_s, size / upload_s / 1e6,
             curl_upload_s > 0 ? size / curl_upload_s / 1e6 : 0.0, parallel, busy_bps / 1e6, host_total, host_bps / 1e6,
             host_ok ? "true" : "false", other_total, other_bps / 1e6, other_ok ? "true" : "false",
             rss_before, sampler.max_rss_kb, (sampler.max_rss_kb - rss_before) / 1024.0);
  }

  tertulia_client_disconnect (client);
  g_main_context_iteration (NULL, FALSE);

  return host_ok && other_ok ? 0 : 1;
}

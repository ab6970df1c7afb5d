/* tertulia-web.c — the browser guest page, served over plain HTTP by a host
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-web"

#include "config.h"

#include <string.h>

#include "tertulia-web.h"
#include "tertulia-web-resources.h"

#define WEB_RESOURCE_PREFIX "/io/github/tertulia/Tertulia/web"

/* The page may only load its own files and talk to its own host: no inline
 * scripts or styles, no frames, no forms, no plugins. Anything from the wire
 * that slipped into the DOM as markup still could not run. connect-src
 * names the WebSocket origin too: 'self' does not cover ws: in WebKit
 * before iOS 16, and those phones would never connect.
 */
#define WEB_CONTENT_SECURITY_POLICY \
  "default-src 'none'; script-src 'self'; style-src 'self'; " \
  "img-src 'self' data:; manifest-src 'self'; connect-src 'self'%s; base-uri 'none'; " \
  "form-action 'none'; frame-ancestors 'none'"

typedef struct
{
  const char *path;
  const char *resource;
  const char *content_type;
} WebFile;

/* A fixed list rather than a lookup of whatever path was asked for: the
 * page is small, and every file gets a Content-Type we chose.
 */
static const WebFile web_files[] = {
  { "/",            "/index.html", "text/html; charset=utf-8" },
  { "/index.html",  "/index.html", "text/html; charset=utf-8" },
  { "/app.js",      "/app.js",     "text/javascript; charset=utf-8" },
  { "/i18n.js",     "/i18n.js",    "text/javascript; charset=utf-8" },
  { "/style.css",   "/style.css",  "text/css; charset=utf-8" },
  { "/common.js",   "/common.js",  "text/javascript; charset=utf-8" },
  { "/layout.js",   "/layout.js",  "text/javascript; charset=utf-8" },
  { "/log.js",      "/log.js",     "text/javascript; charset=utf-8" },
  { "/history.js",  "/history.js", "text/javascript; charset=utf-8" },
  { "/sharing.js",  "/sharing.js", "text/javascript; charset=utf-8" },
  { "/outbox.js",   "/outbox.js",  "text/javascript; charset=utf-8" },
  { "/prompt.js",   "/prompt.js",  "text/javascript; charset=utf-8" },
  { "/moderation.js", "/moderation.js", "text/javascript; charset=utf-8" },
  { "/private.js",  "/private.js", "text/javascript; charset=utf-8" },
  { "/conversation.js", "/conversation.js", "text/javascript; charset=utf-8" },
  { "/message-menu.js", "/message-menu.js", "text/javascript; charset=utf-8" },
  { "/compose.js",  "/compose.js", "text/javascript; charset=utf-8" },
  { "/typing.js",   "/typing.js",  "text/javascript; charset=utf-8" },
  { "/security.js", "/security.js", "text/javascript; charset=utf-8" },
  { "/icon.svg",    "/icon.svg",   "image/svg+xml; charset=utf-8" },
  { "/apple-touch-icon.png",  "/apple-touch-icon.png",  "image/png" },
  { "/manifest.webmanifest",  "/manifest.webmanifest",  "application/manifest+json; charset=utf-8" },
};

static const WebFile *
find_web_file (const char *path)
{
  for (guint i = 0; i < G_N_ELEMENTS (web_files); i++)
    {
      if (strcmp (web_files[i].path, path) == 0)
        return &web_files[i];
    }

  return NULL;
}

/* Whether @host is a plain host[:port] that may be written into a header:
 * a name, an IPv4 or a bracketed IPv6 address, nothing that could end the
 * directive or add another.
 */
static gboolean
host_is_plain (const char *host)
{
  gsize len;

  if (host == NULL || *host == '\0')
    return FALSE;

  len = strlen (host);
  if (len > 255)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isalnum (host[i]) && strchr (".-:[]", host[i]) == NULL)
        return FALSE;
    }

  return TRUE;
}

static void
set_common_headers (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char *host = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Host");
  g_autofree char *sockets = NULL;
  g_autofree char *policy = NULL;

  if (host_is_plain (host))
    sockets = g_strdup_printf (" ws://%s wss://%s", host, host);
  policy = g_strdup_printf (WEB_CONTENT_SECURITY_POLICY, sockets != NULL ? sockets : "");

  soup_message_headers_replace (headers, "Content-Security-Policy", policy);
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (headers, "Cache-Control", "no-cache");
}

/* Status pages are plain English on purpose: they are HTTP plumbing that a
 * person only meets by typing a wrong address, and the host's language is
 * not the visitor's.
 */
static void
respond_plain (SoupServerMessage *msg,
               guint              status,
               const char        *text)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/plain; charset=utf-8",
                                    SOUP_MEMORY_STATIC, text, strlen (text));
}

void
tertulia_web_handle_request (SoupServer        *server,
                             SoupServerMessage *msg,
                             const char        *path,
                             GHashTable        *query,
                             gpointer           user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *resource_path = NULL;
  const WebFile *file;
  const char *method;

  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));
  g_return_if_fail (path != NULL);

  method = soup_server_message_get_method (msg);
  set_common_headers (msg);

  if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Allow", "GET, HEAD");
      respond_plain (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method not allowed\n");
      return;
    }

  file = find_web_file (path);
  if (file == NULL)
    {
      respond_plain (msg, SOUP_STATUS_NOT_FOUND, "Not found\n");
      return;
    }

  resource_path = g_strconcat (WEB_RESOURCE_PREFIX, file->resource, NULL);
  bytes = g_resource_lookup_data (tertulia_web_get_resource (), resource_path,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (bytes == NULL)
    {
      /* Only a broken build gets here: the table names a missing file. */
      g_critical ("Web page file %s is missing: %s", resource_path, error->message);
      respond_plain (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "Internal server error\n");
      return;
    }

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg),
                                         file->content_type, NULL);
  /* libsoup leaves the body out of HEAD answers but keeps its length. */
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), bytes);
}

static gboolean
origin_matches (const char *origin,
                const char *scheme,
                const char *host)
{
  gsize scheme_len = strlen (scheme);

  return g_ascii_strncasecmp (origin, scheme, scheme_len) == 0 &&
         g_ascii_strcasecmp (origin + scheme_len, host) == 0;
}

gboolean
tertulia_web_origin_is_allowed (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers;
  const char *origin;
  const char *host;

  g_return_val_if_fail (SOUP_IS_SERVER_MESSAGE (msg), FALSE);

  headers = soup_server_message_get_request_headers (msg);
  origin = soup_message_headers_get_one (headers, "Origin");

  /* Browsers always send Origin on a WebSocket upgrade; native clients
   * (the app, the terminal guest) do not.
   */
  if (origin == NULL)
    return TRUE;

  host = soup_message_headers_get_one (headers, "Host");
  if (host == NULL || *host == '\0')
    return FALSE;

  return origin_matches (origin, "http://", host) ||
         origin_matches (origin, "https://", host);
}

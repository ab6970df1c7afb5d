/* tertulia-server-hosts.c — the names a TertuliaServer answers to, against
 * DNS rebinding
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-server"
#define TERTULIA_SERVER_COMPILATION

#include "config.h"

#include <string.h>

#include "tertulia-server-private.h"

/* DNS rebinding: a web page at evil.example makes its own name resolve to
 * this host's address, then talks to the host from a visitor's browser as
 * if it were the same site; the browser sends "Host: evil.example" and an
 * Origin to match, so comparing the two proves nothing. The Host header is
 * what gives it away: this host only answers to IP literals, localhost,
 * its own names (the machine's host name and its .local name) and the
 * names it was given.
 */

/* @host_header without its port and brackets, lower case, without a final
 * dot; NULL if it is not a host name at all.
 */
static char *
dup_host_name (const char *host_header)
{
  g_autofree char *host = NULL;
  const char *colon;
  gsize length;

  if (host_header[0] == '[')
    {
      const char *end = strchr (host_header, ']');

      if (end == NULL || (end[1] != '\0' && end[1] != ':'))
        return NULL;
      return g_strndup (host_header + 1, end - host_header - 1);
    }

  colon = strrchr (host_header, ':');
  host = colon != NULL ? g_strndup (host_header, colon - host_header) : g_strdup (host_header);
  length = strlen (host);
  if (length > 0 && host[length - 1] == '.')
    host[--length] = '\0';
  if (length == 0)
    return NULL;

  return g_ascii_strdown (host, -1);
}

static gboolean
name_is_localhost (const char *name)
{
  return strcmp (name, "localhost") == 0 || g_str_has_suffix (name, ".localhost");
}

static gboolean
server_answers_to (TertuliaServer *self,
                   const char     *name)
{
  g_autofree char *own = g_ascii_strdown (g_get_host_name (), -1);
  g_autofree char *own_local = g_strconcat (own, ".local", NULL);

  if (g_hostname_is_ip_address (name) || name_is_localhost (name))
    return TRUE;

  if (strcmp (name, own) == 0 || strcmp (name, own_local) == 0)
    return TRUE;

  for (guint i = 0; self->host_names != NULL && i < self->host_names->len; i++)
    if (g_ascii_strcasecmp (name, g_ptr_array_index (self->host_names, i)) == 0)
      return TRUE;

  return FALSE;
}

gboolean
_tertulia_server_host_is_known (TertuliaServer    *self,
                                SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *header = soup_message_headers_get_one (headers, "Host");
  g_autofree char *name = NULL;

  /* Browsers always send Host; a request without one (HTTP/1.0) is no
   * browser's, and no page can make one.
   */
  if (header == NULL)
    return TRUE;

  /* Nor can a page open a WebSocket without Origin: an upgrade without one
   * comes from the app or the terminal client, which may know the host by
   * any name its network gives it.
   */
  if (soup_message_headers_get_one (headers, "Origin") == NULL &&
      soup_message_headers_header_contains (headers, "Upgrade", "websocket"))
    return TRUE;

  name = dup_host_name (header);

  return name != NULL && server_answers_to (self, name);
}

/* The answer to a request for a name this host does not answer to: 421
 * Misdirected Request (RFC 9110, 15.5.20), and the connection closed.
 */
gboolean
_tertulia_server_refuse_unknown_host (TertuliaServer    *self,
                                      SoupServerMessage *msg)
{
  static const char body[] = "This host does not answer to that name.\n";

  if (_tertulia_server_host_is_known (self, msg))
    return FALSE;

  g_debug ("Refusing a request for host %s",
           soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Host"));
  soup_server_message_set_status (msg, 421, "Misdirected Request");
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
  soup_server_message_set_response (msg, "text/plain; charset=utf-8",
                                    SOUP_MEMORY_STATIC, body, strlen (body));

  return TRUE;
}

void
_tertulia_server_host_early_cb (SoupServer        *server,
                                SoupServerMessage *msg,
                                const char        *path,
                                GHashTable        *query,
                                gpointer           user_data)
{
  _tertulia_server_refuse_unknown_host (user_data, msg);
}

void
_tertulia_server_add_host_name (TertuliaServer *self,
                                const char     *name)
{
  g_autofree char *canonical = NULL;

  g_return_if_fail (TERTULIA_IS_SERVER (self));
  g_return_if_fail (name != NULL);

  canonical = dup_host_name (name);
  if (canonical == NULL)
    return;

  if (self->host_names == NULL)
    self->host_names = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (self->host_names, g_steal_pointer (&canonical));
}

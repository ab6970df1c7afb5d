/* tertulia-address.c — what people type to join, and where a host can be reached
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-address"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "tertulia-address.h"
#include "tertulia-fingerprint.h"
#include "tertulia-protocol.h"

G_DEFINE_QUARK (tertulia-address-error-quark, tertulia_address_error)

static void
set_invalid_error (GError     **error,
                   const char  *typed)
{
  g_set_error (error, TERTULIA_ADDRESS_ERROR, TERTULIA_ADDRESS_ERROR_INVALID,
               /* Translators: %s is what the person typed as a room address */
               _("“%s” is not a room address. Type something like 192.168.1.20 or 192.168.1.20:7878."),
               typed);
}

static void
set_port_error (GError     **error,
                const char  *typed)
{
  g_set_error (error, TERTULIA_ADDRESS_ERROR, TERTULIA_ADDRESS_ERROR_INVALID,
               /* Translators: %s is what the person typed as a room address */
               _("“%s” has an invalid port: it must be a number from 1 to 65535."),
               typed);
}

static gboolean
host_is_acceptable (const char *host)
{
  if (host == NULL || host[0] == '\0')
    return FALSE;

  /* Not a hostname rule book, just what can never be one. Non-ASCII is let
   * through for internationalized names; the resolver has the last word.
   */
  for (const char *p = host; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c <= ' ' || c == 0x7f || strchr ("/?#@[]\\<>\"{}|^`", c) != NULL)
        return FALSE;
    }

  return TRUE;
}

/* Reads "1"…"65535"; anything else (empty, signs, 0, too big) fails. */
static gboolean
parse_port (const char *text,
            int        *port)
{
  guint64 value = 0;

  if (text[0] == '\0' || strlen (text) > 5)
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      value = value * 10 + (guint64) (*p - '0');
    }

  if (value == 0 || value > 65535)
    return FALSE;

  *port = (int) value;
  return TRUE;
}

static gboolean
is_ipv6_literal (const char *text)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (text);

  return inet != NULL && g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6;
}

/* "host", "host:port", "[v6]", "[v6]:port" or a bare v6 literal, with an
 * optional "/path" after it.
 */
static char *
schemeless_to_uri (const char  *typed,
                   GError     **error)
{
  g_autofree char *authority = NULL;
  g_autofree char *host = NULL;
  const char *path;
  const char *slash;
  const char *port_text = NULL;
  int port = TERTULIA_DEFAULT_PORT;
  gboolean v6 = FALSE;

  slash = strchr (typed, '/');
  if (slash != NULL)
    {
      authority = g_strndup (typed, (gsize) (slash - typed));
      path = slash;
    }
  else
    {
      authority = g_strdup (typed);
      path = "";
    }

  if (authority[0] == '[')
    {
      const char *close = strchr (authority, ']');

      if (close == NULL)
        {
          set_invalid_error (error, typed);
          return NULL;
        }

      host = g_strndup (authority + 1, (gsize) (close - authority - 1));
      if (!is_ipv6_literal (host))
        {
          set_invalid_error (error, typed);
          return NULL;
        }
      v6 = TRUE;

      if (close[1] == ':')
        port_text = close + 2;
      else if (close[1] != '\0')
        {
          set_invalid_error (error, typed);
          return NULL;
        }
    }
  else
    {
      const char *colon = strchr (authority, ':');

      if (colon != NULL && strchr (colon + 1, ':') != NULL)
        {
          /* Two colons or more and no brackets: the whole thing is an
           * IPv6 literal, since there is no way to tell a port from it.
           */
          if (!is_ipv6_literal (authority))
            {
              set_invalid_error (error, typed);
              return NULL;
            }
          host = g_strdup (authority);
          v6 = TRUE;
        }
      else if (colon != NULL)
        {
          host = g_strndup (authority, (gsize) (colon - authority));
          port_text = colon + 1;
        }
      else
        {
          host = g_strdup (authority);
        }
    }

  if (!v6 && !host_is_acceptable (host))
    {
      set_invalid_error (error, typed);
      return NULL;
    }

  if (port_text != NULL && !parse_port (port_text, &port))
    {
      set_port_error (error, typed);
      return NULL;
    }

  if (path[0] == '\0' || g_str_equal (path, "/"))
    path = TERTULIA_WEBSOCKET_PATH;

  return g_strdup_printf ("ws://%s%s%s:%d%s",
                          v6 ? "[" : "", host, v6 ? "]" : "",
                          port, path);
}

static char *
uri_to_websocket_uri (const char  *typed,
                      const char  *uri_text,
                      GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GUri) result = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *scheme;
  const char *ws_scheme;
  const char *path;

  uri = g_uri_parse (uri_text, G_URI_FLAGS_ENCODED, &local_error);
  if (uri == NULL)
    {
      if (g_error_matches (local_error, G_URI_ERROR, G_URI_ERROR_BAD_PORT))
        set_port_error (error, typed);
      else
        set_invalid_error (error, typed);
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  /* tertulia:// is an invitation that no browser would open */
  if (g_str_equal (scheme, "ws") || g_str_equal (scheme, "http") || g_str_equal (scheme, "tertulia"))
    ws_scheme = "ws";
  else if (g_str_equal (scheme, "wss") || g_str_equal (scheme, "https"))
    ws_scheme = "wss";
  else
    {
      g_set_error (error, TERTULIA_ADDRESS_ERROR, TERTULIA_ADDRESS_ERROR_SCHEME,
                   /* Translators: the first %s is what the person typed, the
                    * second its scheme, such as "ftp" */
                   _("“%s” is not a room address: rooms start with ws://, wss://, http:// or https://, not %s://."),
                   typed, scheme);
      return NULL;
    }

  if (g_uri_get_port (uri) == 0)
    {
      set_port_error (error, typed);
      return NULL;
    }

  if (!host_is_acceptable (g_uri_get_host (uri)) &&
      !is_ipv6_literal (g_uri_get_host (uri)))
    {
      set_invalid_error (error, typed);
      return NULL;
    }

  path = g_uri_get_path (uri);
  if (path[0] == '\0' || g_str_equal (path, "/"))
    path = TERTULIA_WEBSOCKET_PATH;

  /* The user part and the fragment mean nothing to a WebSocket; a missing
   * port stays missing, which means the scheme's own (80 or 443), as a
   * browser would read the same address.
   */
  result = g_uri_build (G_URI_FLAGS_ENCODED, ws_scheme, NULL,
                        g_uri_get_host (uri), g_uri_get_port (uri),
                        path, g_uri_get_query (uri), NULL);

  return g_uri_to_string (result);
}

char *
tertulia_address_to_websocket_uri (const char  *address,
                                   GError     **error)
{
  g_autofree char *typed = NULL;
  const char *separator;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  typed = g_strstrip (g_strdup (address != NULL ? address : ""));
  if (typed[0] == '\0')
    {
      g_set_error_literal (error, TERTULIA_ADDRESS_ERROR, TERTULIA_ADDRESS_ERROR_EMPTY,
                           _("Type the address of a room, like 192.168.1.20 or 192.168.1.20:7878."));
      return NULL;
    }

  /* "localhost:7878" is a valid URI with the scheme "localhost", so only
   * "scheme://" counts as a scheme here.
   */
  separator = strstr (typed, "://");
  if (separator == NULL)
    {
      g_autofree char *uri = NULL;
      char *fragment = strchr (typed, '#');

      /* "192.168.1.20:7878#fp=…": a link whose scheme was left out */
      if (fragment != NULL)
        {
          g_autofree char *bare = g_strndup (typed, (gsize) (fragment - typed));

          uri = schemeless_to_uri (bare, error);
          if (uri == NULL)
            return NULL;
          return uri_to_websocket_uri (typed, uri, error);
        }

      uri = schemeless_to_uri (typed, error);

      if (uri == NULL)
        return NULL;

      return uri_to_websocket_uri (typed, uri, error);
    }

  return uri_to_websocket_uri (typed, typed, error);
}

/* The fragment of what was typed ("fp=…&x=y"), or NULL */
static const char *
address_fragment (const char *address)
{
  const char *hash = address != NULL ? strchr (address, '#') : NULL;

  return hash != NULL ? hash + 1 : NULL;
}

char *
tertulia_address_dup_fingerprint (const char  *address,
                                  GError     **error)
{
  const char *fragment = address_fragment (address);
  g_auto(GStrv) parts = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (fragment == NULL)
    return NULL;

  parts = g_strsplit (fragment, "&", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *value = NULL;

      if (!g_str_has_prefix (parts[i], "fp="))
        continue;

      value = g_strstrip (g_strdup (parts[i] + 3));
      if (!tertulia_fingerprint_is_valid (value))
        {
          g_set_error (error, TERTULIA_ADDRESS_ERROR, TERTULIA_ADDRESS_ERROR_INVALID,
                       /* Translators: %s is the room address or link the person gave */
                       _("The link “%s” is damaged: its fingerprint is not one. Ask for the link or the QR code again."),
                       address);
          return NULL;
        }
      return g_steal_pointer (&value);
    }

  return NULL;
}

char *
tertulia_address_dup_pin_key (const char *address)
{
  g_autofree char *display = tertulia_address_display_name (address);

  return g_ascii_strdown (display, -1);
}

static char *
host_for_uri (const char *host)
{
  if (strchr (host, ':') != NULL && host[0] != '[')
    return g_strdup_printf ("[%s]", host);
  return g_strdup (host);
}

char *
tertulia_address_build_invitation (const char *host,
                                   guint       port,
                                   const char *fingerprint,
                                   gboolean    https)
{
  g_autofree char *bracketed = NULL;

  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (port > 0 && port <= 65535, NULL);

  bracketed = host_for_uri (host);
  if (fingerprint != NULL)
    return g_strdup_printf ("%s://%s:%u/#fp=%s", https ? "https" : "http", bracketed, port, fingerprint);

  return g_strdup_printf ("%s://%s:%u/", https ? "https" : "http", bracketed, port);
}

GStrv
tertulia_address_list_invitations (guint       port,
                                   const char *fingerprint,
                                   gboolean    https)
{
  g_auto(GStrv) addresses = tertulia_address_list_local ();
  guint n = g_strv_length (addresses);
  GStrv links = g_new0 (char *, n + 1);

  g_return_val_if_fail (port > 0 && port <= 65535, links);

  for (guint i = 0; i < n; i++)
    links[i] = tertulia_address_build_invitation (addresses[i], port, fingerprint, https);

  return links;
}

static int
default_port_for_scheme (const char *scheme)
{
  if (g_str_equal (scheme, "wss"))
    return 443;
  return 80;
}

char *
tertulia_address_display_name (const char *address)
{
  g_autofree char *uri_text = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *host;
  int port;

  uri_text = tertulia_address_to_websocket_uri (address, NULL);
  if (uri_text != NULL)
    uri = g_uri_parse (uri_text, G_URI_FLAGS_ENCODED, NULL);

  if (uri == NULL)
    return g_strstrip (g_strdup (address != NULL ? address : ""));

  host = g_uri_get_host (uri);
  port = g_uri_get_port (uri);
  if (port < 0)
    port = default_port_for_scheme (g_uri_get_scheme (uri));

  if (strchr (host, ':') != NULL)
    return g_strdup_printf ("[%s]:%d", host, port);

  return g_strdup_printf ("%s:%d", host, port);
}

static gboolean
address_is_reachable_from_elsewhere (GInetAddress *inet)
{
  return !g_inet_address_get_is_loopback (inet) &&
         !g_inet_address_get_is_link_local (inet) &&
         !g_inet_address_get_is_any (inet) &&
         !g_inet_address_get_is_multicast (inet);
}

static void
add_unique (GPtrArray  *array,
            char       *text)
{
  for (guint i = 0; i < array->len; i++)
    {
      if (g_str_equal (g_ptr_array_index (array, i), text))
        {
          g_free (text);
          return;
        }
    }

  g_ptr_array_add (array, text);
}

GStrv
tertulia_address_list_local (void)
{
  g_autoptr(GPtrArray) v4 = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) v6 = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *all;
  struct ifaddrs *ifaddrs = NULL;

  if (getifaddrs (&ifaddrs) != 0)
    {
      g_debug ("getifaddrs failed: %s", g_strerror (errno));
      return g_new0 (char *, 1);
    }

  for (struct ifaddrs *ifa = ifaddrs; ifa != NULL; ifa = ifa->ifa_next)
    {
      g_autoptr(GInetAddress) inet = NULL;

      if (ifa->ifa_addr == NULL ||
          (ifa->ifa_flags & IFF_UP) == 0 ||
          (ifa->ifa_flags & IFF_LOOPBACK) != 0)
        continue;

      if (ifa->ifa_addr->sa_family == AF_INET)
        {
          const struct sockaddr_in *sin = (const struct sockaddr_in *) (gpointer) ifa->ifa_addr;

          inet = g_inet_address_new_from_bytes ((const guint8 *) &sin->sin_addr,
                                                G_SOCKET_FAMILY_IPV4);
        }
      else if (ifa->ifa_addr->sa_family == AF_INET6)
        {
          const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *) (gpointer) ifa->ifa_addr;

          inet = g_inet_address_new_from_bytes ((const guint8 *) &sin6->sin6_addr,
                                                G_SOCKET_FAMILY_IPV6);
        }
      else
        continue;

      if (!address_is_reachable_from_elsewhere (inet))
        continue;

      add_unique (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV4 ? v4 : v6,
                  g_inet_address_to_string (inet));
    }

  freeifaddrs (ifaddrs);

  all = g_ptr_array_new ();
  for (guint i = 0; i < v4->len; i++)
    g_ptr_array_add (all, g_steal_pointer (&g_ptr_array_index (v4, i)));
  for (guint i = 0; i < v6->len; i++)
    g_ptr_array_add (all, g_steal_pointer (&g_ptr_array_index (v6, i)));
  g_ptr_array_add (all, NULL);

  return (GStrv) g_ptr_array_free (all, FALSE);
}

GStrv
tertulia_address_list_urls (guint port)
{
  g_auto(GStrv) addresses = tertulia_address_list_local ();
  guint n = g_strv_length (addresses);
  GStrv urls = g_new0 (char *, n + 1);

  g_return_val_if_fail (port > 0 && port <= 65535, urls);

  for (guint i = 0; i < n; i++)
    {
      if (strchr (addresses[i], ':') != NULL)
        urls[i] = g_strdup_printf ("http://[%s]:%u/", addresses[i], port);
      else
        urls[i] = g_strdup_printf ("http://%s:%u/", addresses[i], port);
    }

  return urls;
}

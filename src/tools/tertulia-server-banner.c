/* tertulia-server-banner.c — what tertulia-server tells the person who
 * started it: where people can join, a QR code for phones, and why it
 * could not listen
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-server-main"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tertulia-address.h"
#include "tertulia-fingerprint.h"
#include "tertulia-host-identity.h"
#include "tertulia-protocol.h"
#include "tertulia-qr.h"

#include "tertulia-server-banner.h"

/* "192.168.1.20" or "[fd00::1]", for a URL. */
static char *
dup_url_host (GInetAddress *address)
{
  g_autofree char *text = g_inet_address_to_string (address);

  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("[%s]", text);

  return g_steal_pointer (&text);
}

static void
print_join_urls (GStrv urls)
{
  guint i;

  g_print ("%s\n", _("People on your network can join from a browser or the Tertulia app at:"));
  for (i = 0; urls[i] != NULL; i++)
    g_print ("  %s\n", urls[i]);
}

/* Whether the terminal's colours may be set: a QR code drawn in them reads
 * the same on light and dark terminals.
 */
static gboolean
use_colour (void)
{
  const char *term = g_getenv ("TERM");

  if (g_getenv ("NO_COLOR") != NULL || !isatty (STDOUT_FILENO))
    return FALSE;

  return term != NULL && g_strcmp0 (term, "dumb") != 0;
}

/* A QR code of @url for phones. tertulia_qr_render_terminal() draws the
 * light modules, which is right on the usual dark terminal; on a terminal
 * we can colour, white on black makes it right on light ones too.
 */
static void
print_qr (const char *url)
{
  g_autofree char *qr = tertulia_qr_render_terminal (url);
  g_auto(GStrv) lines = NULL;
  gboolean colour = use_colour ();
  guint i;

  if (qr == NULL)
    return;

  /* Translators: shown above a QR code; %s is the web address it holds */
  g_print (_("Or scan this code with a phone to open %s:\n"), url);
  lines = g_strsplit (qr, "\n", -1);
  for (i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      if (colour)
        g_print ("  \033[97;40m%s\033[0m\n", lines[i]);
      else
        g_print ("  %s\n", lines[i]);
    }
}

void
_tertulia_server_print_banner (const char   *room_name,
                               guint         port,
                               GInetAddress *bind_address,
                               const char   *fingerprint,
                               gboolean      https,
                               gboolean      identity_kept)
{
  g_autofree char *local_host = NULL;
  g_autofree char *lan_url = NULL;
  g_autofree char *http_url = NULL;
  g_autofree char *ws_url = NULL;

  /* Translators: the first line of tertulia-server's output; %s is the
   * room's name and %u the port. Scripts read the number at the end of this
   * line, so please keep "%u." last if your language allows it.
   */
  g_print (_("Tertulia room “%s” is open on port %u.\n"), room_name, port);

  if (bind_address == NULL || g_inet_address_get_is_any (bind_address))
    {
      /* Invitations: the fingerprint rides in each link (and its QR code) */
      g_auto(GStrv) all_urls = tertulia_address_list_invitations (port, fingerprint, https);
      g_autoptr(GPtrArray) urls = g_ptr_array_new ();
      gboolean ipv4_only = bind_address != NULL &&
                           g_inet_address_get_family (bind_address) == G_SOCKET_FAMILY_IPV4;
      guint i;

      for (i = 0; all_urls[i] != NULL; i++)
        {
          /* Bound to 0.0.0.0: the IPv6 addresses do not reach us. */
          if (ipv4_only && strstr (all_urls[i], "://[") != NULL)
            continue;
          g_ptr_array_add (urls, all_urls[i]);
        }
      g_ptr_array_add (urls, NULL);

      if (urls->len > 1)
        {
          print_join_urls ((GStrv) urls->pdata);
          lan_url = g_strdup (g_ptr_array_index (urls, 0));
        }
      else
        g_print ("%s\n", _("This computer has no network address others can reach right now, so only this computer can join."));

      local_host = g_strdup ("localhost");
    }
  else if (g_inet_address_get_is_loopback (bind_address))
    {
      g_autofree char *text = g_inet_address_to_string (bind_address);

      /* Translators: %s is an IP address such as 127.0.0.1 */
      g_print (_("The room listens only on %s, so only this computer can join.\n"), text);
      local_host = dup_url_host (bind_address);
    }
  else
    {
      g_autofree char *host = dup_url_host (bind_address);
      g_autofree char *text = g_inet_address_to_string (bind_address);
      g_autofree char *url = tertulia_address_build_invitation (text, port, fingerprint, https);
      char *urls[] = { url, NULL };

      print_join_urls (urls);
      lan_url = g_strdup (url);
      local_host = g_steal_pointer (&host);
    }

  if (lan_url != NULL)
    print_qr (lan_url);

  http_url = g_strdup_printf ("%s://%s:%u/", https ? "https" : "http", local_host, port);
  ws_url = g_strdup_printf ("%s://%s:%u%s", fingerprint != NULL ? "wss" : "ws",
                            local_host, port, TERTULIA_WEBSOCKET_PATH);
  /* Translators: the first %s is a web address to open in a browser, the
   * second one is the WebSocket address for apps such as tertulia-cli
   */
  g_print (_("On this computer, open %s (apps connect to %s).\n"), http_url, ws_url);

  if (fingerprint != NULL)
    {
      g_autofree char *formatted = tertulia_fingerprint_format (fingerprint);

      /* Translators: %s is the fingerprint as 8 groups of 5 digits */
      g_print (_("Encrypted. Guests who want to check the room’s fingerprint compare it with: %s\n"),
               formatted);
      if (!identity_kept)
        g_print ("%s\n", _("This fingerprint is new each time the room opens; --data-dir, or --tls-cert with --tls-key, keeps it."));
      if (!https)
        g_print ("%s\n", _("Browsers join with plain http:// and are not encrypted (--https-for-browsers changes that, with a warning in the browser)."));
    }
  else
    {
      g_print ("%s\n", _("Not encrypted (--no-tls): anyone on the network can read the room."));
    }
  g_print ("%s\n", _("Press Ctrl+C to close the room."));
}

/* Whether @address is one of this computer's, as far as we can tell. */
static gboolean
is_local_address (GInetAddress *address)
{
  g_auto(GStrv) local = NULL;
  guint i;

  if (g_inet_address_get_is_any (address) ||
      g_inet_address_get_is_loopback (address) ||
      g_inet_address_get_is_link_local (address))
    return TRUE;

  local = tertulia_address_list_local ();
  for (i = 0; local[i] != NULL; i++)
    {
      g_autoptr(GInetAddress) other = g_inet_address_new_from_string (local[i]);

      if (other != NULL && g_inet_address_equal (address, other))
        return TRUE;
    }

  return FALSE;
}

void
_tertulia_server_print_listen_error (const GError *error,
                                     guint         port,
                                     const char   *bind,
                                     GInetAddress *bind_address)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
    {
      if (port > 0 && port < G_MAXUINT16)
        /* Translators: %u are port numbers; keep "--port" as it is, it is
         * the option's name
         */
        g_printerr (_("Port %u is already in use. Another room may be open; try --port %u.\n"),
                    port, port + 1);
      else
        /* Translators: %u is a port number; keep "--port 0" as it is */
        g_printerr (_("Port %u is already in use. Another room may be open; try --port 0 to use any free port.\n"),
                    port);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    {
      /* Translators: %u are port numbers */
      g_printerr (_("This computer does not allow opening port %u without administrator rights; try a port above 1023, such as the default %u.\n"),
                  port, (guint) TERTULIA_DEFAULT_PORT);
    }
  else if (bind_address != NULL && !is_local_address (bind_address))
    {
      /* Translators: %s is the IP address given to --bind; keep "--bind" as it is */
      g_printerr (_("%s is not an address of this computer. Give --bind one of its addresses, or leave --bind out to listen on all of them.\n"),
                  bind);
    }
  else
    {
      /* Translators: %s is the system's explanation, which names the
       * address and port
       */
      g_printerr (_("Could not open the room: %s\n"), error->message);
    }
}

/* "BURST/PER_SECOND", for --rate-limit */

GTlsCertificate *
_tertulia_server_load_identity (gboolean     no_tls,
                                const char  *cert_file,
                                const char  *key_file,
                                const char  *data_dir,
                                gboolean    *kept,
                                GError     **error)
{
  *kept = TRUE;

  if (no_tls)
    return NULL;

  if (cert_file != NULL)
    return tertulia_host_identity_load_files (cert_file, key_file, error);

  if (data_dir != NULL)
    {
      g_autofree char *directory = g_build_filename (data_dir, "host-identity", NULL);

      return tertulia_host_identity_load_or_create (directory, error);
    }

  *kept = FALSE;
  return tertulia_host_identity_new_ephemeral (error);
}

/* test-address.c — what people type to join a room
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-address"

#include "config.h"

#include <string.h>

#include "tertulia-address.h"

typedef struct
{
  const char *typed;
  const char *uri;
  const char *display;
} Accepted;

static const Accepted accepted[] = {
  { "192.168.1.20",                 "ws://192.168.1.20:7878/ws",        "192.168.1.20:7878" },
  { "  192.168.1.20 \n",            "ws://192.168.1.20:7878/ws",        "192.168.1.20:7878" },
  { "192.168.1.20:9000",            "ws://192.168.1.20:9000/ws",        "192.168.1.20:9000" },
  { "192.168.1.20:7878/",           "ws://192.168.1.20:7878/ws",        "192.168.1.20:7878" },
  { "192.168.1.20:7878/ws",         "ws://192.168.1.20:7878/ws",        "192.168.1.20:7878" },
  { "localhost",                    "ws://localhost:7878/ws",           "localhost:7878" },
  { "localhost:7878",               "ws://localhost:7878/ws",           "localhost:7878" },
  { "party-pc.local",               "ws://party-pc.local:7878/ws",      "party-pc.local:7878" },
  { "[::1]:7878",                   "ws://[::1]:7878/ws",               "[::1]:7878" },
  { "[::1]",                        "ws://[::1]:7878/ws",               "[::1]:7878" },
  { "[fd00::5]:8000",               "ws://[fd00::5]:8000/ws",           "[fd00::5]:8000" },
  { "::1",                          "ws://[::1]:7878/ws",               "[::1]:7878" },
  { "fd00:1:2::5",                  "ws://[fd00:1:2::5]:7878/ws",       "[fd00:1:2::5]:7878" },
  { "ws://192.168.1.20:7878/ws",    "ws://192.168.1.20:7878/ws",        "192.168.1.20:7878" },
  { "ws://192.168.1.20:7878",       "ws://192.168.1.20:7878/ws",        "192.168.1.20:7878" },
  { "ws://192.168.1.20:7878/",      "ws://192.168.1.20:7878/ws",        "192.168.1.20:7878" },
  { "ws://host:7878/other/path",    "ws://host:7878/other/path",        "host:7878" },
  { "WS://host:7878",               "ws://host:7878/ws",                "host:7878" },
  { "wss://chat.example.org/ws",    "wss://chat.example.org/ws",        "chat.example.org:443" },
  { "wss://chat.example.org:8443",  "wss://chat.example.org:8443/ws",   "chat.example.org:8443" },
  { "ws://[::1]:7878",              "ws://[::1]:7878/ws",               "[::1]:7878" },
  { "http://192.168.1.20:7878/",    "ws://192.168.1.20:7878/ws",        "192.168.1.20:7878" },
  { "http://192.168.1.20:7878",     "ws://192.168.1.20:7878/ws",        "192.168.1.20:7878" },
  { "http://[fd00::5]:7878/",       "ws://[fd00::5]:7878/ws",           "[fd00::5]:7878" },
  { "https://chat.example.org/",    "wss://chat.example.org/ws",        "chat.example.org:443" },
  { "http://192.168.1.20",          "ws://192.168.1.20/ws",             "192.168.1.20:80" },
  { "http://ana@192.168.1.20:7878/#top", "ws://192.168.1.20:7878/ws",   "192.168.1.20:7878" },
};

static void
test_accepted (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *uri = NULL;
      g_autofree char *display = NULL;

      uri = tertulia_address_to_websocket_uri (accepted[i].typed, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (uri, ==, accepted[i].uri);

      display = tertulia_address_display_name (accepted[i].typed);
      g_assert_cmpstr (display, ==, accepted[i].display);
    }
}

typedef struct
{
  const char           *typed;
  TertuliaAddressError  code;
  const char           *says;     /* a fragment the sentence must contain */
} Refused;

static const Refused refused[] = {
  { "",                         TERTULIA_ADDRESS_ERROR_EMPTY,   "Type the address of a room" },
  { "   \t ",                   TERTULIA_ADDRESS_ERROR_EMPTY,   "Type the address of a room" },
  { "ftp://192.168.1.20",       TERTULIA_ADDRESS_ERROR_SCHEME,  "ftp://" },
  { "file:///etc/passwd",       TERTULIA_ADDRESS_ERROR_SCHEME,  "file:///etc/passwd" },
  { "192.168.1.20:0",           TERTULIA_ADDRESS_ERROR_INVALID, "1 to 65535" },
  { "192.168.1.20:65536",       TERTULIA_ADDRESS_ERROR_INVALID, "1 to 65535" },
  { "192.168.1.20:99999999",    TERTULIA_ADDRESS_ERROR_INVALID, "1 to 65535" },
  { "192.168.1.20:port",        TERTULIA_ADDRESS_ERROR_INVALID, "1 to 65535" },
  { "192.168.1.20:-1",          TERTULIA_ADDRESS_ERROR_INVALID, "1 to 65535" },
  { "192.168.1.20:",            TERTULIA_ADDRESS_ERROR_INVALID, "1 to 65535" },
  { "[::1]:0",                  TERTULIA_ADDRESS_ERROR_INVALID, "1 to 65535" },
  { "ws://192.168.1.20:0/ws",   TERTULIA_ADDRESS_ERROR_INVALID, "1 to 65535" },
  { "ws://192.168.1.20:70000",  TERTULIA_ADDRESS_ERROR_INVALID, "1 to 65535" },
  { "http://host:http/",        TERTULIA_ADDRESS_ERROR_INVALID, "1 to 65535" },
  { "192.168 .1.20",            TERTULIA_ADDRESS_ERROR_INVALID, "192.168 .1.20" },
  { "party pc:7878",            TERTULIA_ADDRESS_ERROR_INVALID, "party pc:7878" },
  { "ws://party pc:7878/",      TERTULIA_ADDRESS_ERROR_INVALID, "party pc" },
  { "ws://:7878/",              TERTULIA_ADDRESS_ERROR_INVALID, "ws://:7878/" },
  { ":7878",                    TERTULIA_ADDRESS_ERROR_INVALID, ":7878" },
  { "[::1",                     TERTULIA_ADDRESS_ERROR_INVALID, "[::1" },
  { "[::1]x",                   TERTULIA_ADDRESS_ERROR_INVALID, "[::1]x" },
  { "[not-v6]:7878",            TERTULIA_ADDRESS_ERROR_INVALID, "[not-v6]:7878" },
  { "ab:cd:ef",                 TERTULIA_ADDRESS_ERROR_INVALID, "ab:cd:ef" },
  { "ana@192.168.1.20",         TERTULIA_ADDRESS_ERROR_INVALID, "ana@192.168.1.20" },
  { "ws://[zz]:7878",           TERTULIA_ADDRESS_ERROR_INVALID, "ws://[zz]:7878" },
};

static void
test_refused (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *uri = NULL;

      uri = tertulia_address_to_websocket_uri (refused[i].typed, &error);
      if (uri != NULL)
        g_error ("“%s” was accepted as %s", refused[i].typed, uri);
      g_assert_error (error, TERTULIA_ADDRESS_ERROR, (int) refused[i].code);
      if (strstr (error->message, refused[i].says) == NULL)
        g_error ("the error for “%s” does not say “%s”: %s",
                 refused[i].typed, refused[i].says, error->message);
    }
}

static void
test_refused_names_what_was_typed (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;

  /* The sentence quotes the trimmed text, not the white space around it. */
  uri = tertulia_address_to_websocket_uri ("  10.0.0.1:abc  ", &error);
  g_assert_null (uri);
  g_assert_nonnull (strstr (error->message, "“10.0.0.1:abc”"));
}

static void
test_display_name_of_nonsense (void)
{
  g_autofree char *display = tertulia_address_display_name ("  not an address ");

  /* Nothing to parse: people still see what they typed. */
  g_assert_cmpstr (display, ==, "not an address");
}

static void
test_list_local (void)
{
  g_auto(GStrv) addresses = tertulia_address_list_local ();
  gboolean seen_v6 = FALSE;

  g_assert_nonnull (addresses);

  for (guint i = 0; addresses[i] != NULL; i++)
    {
      g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (addresses[i]);

      g_assert_nonnull (inet);
      g_assert_false (g_inet_address_get_is_loopback (inet));
      g_assert_false (g_inet_address_get_is_link_local (inet));
      g_assert_false (g_inet_address_get_is_any (inet));

      if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
        seen_v6 = TRUE;
      else
        g_assert_false (seen_v6);   /* IPv4 first */

      for (guint j = 0; j < i; j++)
        g_assert_cmpstr (addresses[i], !=, addresses[j]);
    }
}

static void
test_list_urls (void)
{
  g_auto(GStrv) addresses = tertulia_address_list_local ();
  g_auto(GStrv) urls = tertulia_address_list_urls (7878);

  g_assert_cmpuint (g_strv_length (urls), ==, g_strv_length (addresses));

  for (guint i = 0; urls[i] != NULL; i++)
    {
      g_autofree char *expected = NULL;
      g_autofree char *uri = NULL;
      g_autoptr(GError) error = NULL;

      if (strchr (addresses[i], ':') != NULL)
        expected = g_strdup_printf ("http://[%s]:7878/", addresses[i]);
      else
        expected = g_strdup_printf ("http://%s:7878/", addresses[i]);
      g_assert_cmpstr (urls[i], ==, expected);

      /* What the host shows must work when a guest types it back. */
      uri = tertulia_address_to_websocket_uri (urls[i], &error);
      g_assert_no_error (error);
      g_assert_true (g_str_has_prefix (uri, "ws://"));
      g_assert_true (g_str_has_suffix (uri, ":7878/ws"));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/address/accepted", test_accepted);
  g_test_add_func ("/address/refused", test_refused);
  g_test_add_func ("/address/refused-names-what-was-typed", test_refused_names_what_was_typed);
  g_test_add_func ("/address/display-name-of-nonsense", test_display_name_of_nonsense);
  g_test_add_func ("/address/list-local", test_list_local);
  g_test_add_func ("/address/list-urls", test_list_urls);

  return g_test_run ();
}

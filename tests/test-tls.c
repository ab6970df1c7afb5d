/* test-tls.c — rooms over TLS: the host's certificate, fingerprints, pins, plain text
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-tls"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "tertulia-address.h"
#include "tertulia-client.h"
#include "tertulia-client-private.h"
#include "tertulia-fingerprint.h"
#include "tertulia-host-identity.h"
#include "tertulia-known-hosts.h"
#include "tertulia-server.h"
#include "tertulia-server-private.h"
#include "tertulia-test-client.h"
#include "tertulia-test-ws.h"

typedef struct
{
  TertuliaServer *server;
  guint           port;
  char           *address;   /* "127.0.0.1:PORT", as typed */
  char           *data_dir;
} Fixture;

/* A host on @port (0: any) with @certificate (NULL: TLS off) */
static void
start_host (Fixture         *fixture,
            guint            port,
            GTlsCertificate *certificate)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (fixture->server);
  fixture->server = tertulia_server_new ("Secret garden");
  tertulia_server_set_tls_certificate (fixture->server, certificate);
  tertulia_server_listen (fixture->server, "127.0.0.1", port, &error);
  g_assert_no_error (error);
  fixture->port = tertulia_server_get_port (fixture->server);
  g_free (fixture->address);
  fixture->address = g_strdup_printf ("127.0.0.1:%u", fixture->port);
}

static void
stop_host (Fixture *fixture)
{
  tertulia_test_server_stop (&fixture->server);
  tertulia_test_spin (50);
}

static GTlsCertificate *
new_certificate (void)
{
  g_autoptr(GError) error = NULL;
  GTlsCertificate *certificate = tertulia_host_identity_new_ephemeral (&error);

  g_assert_no_error (error);
  g_assert_nonnull (certificate);
  return certificate;
}

static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  g_autoptr(GTlsCertificate) certificate = new_certificate ();

  fixture->data_dir = g_dir_make_tmp ("tertulia-tls-XXXXXX", NULL);
  start_host (fixture, 0, certificate);
}

static void
setup_plain (Fixture       *fixture,
             gconstpointer  data)
{
  fixture->data_dir = g_dir_make_tmp ("tertulia-tls-XXXXXX", NULL);
  start_host (fixture, 0, NULL);
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  stop_host (fixture);
  tertulia_test_remove_tree (fixture->data_dir);
  g_clear_pointer (&fixture->data_dir, g_free);
  g_clear_pointer (&fixture->address, g_free);
}

/* A guest that sees the loopback host as one on the LAN (pins and all) */
static TertuliaClient *
guest_new (const char *address,
           const char *nickname)
{
  TertuliaClient *client = tertulia_client_new (address, nickname);

  _tertulia_client_set_loopback_is_network (client, TRUE);
  return client;
}

static TertuliaClient *
join (const char *address,
      const char *nickname)
{
  TertuliaClient *client = guest_new (address, nickname);

  connect_and_wait (client);
  return client;
}

static void
leave (TertuliaClient *client)
{
  tertulia_client_disconnect (client);
  g_assert_finalize_object (client);
}

static GError *
connect_expecting_error (TertuliaClient *client)
{
  GError *error = NULL;

  g_assert_false (tertulia_test_client_connect (client, &error));
  g_assert_nonnull (error);
  return error;
}

static char *
pin_of (const char *address)
{
  g_autofree char *key = tertulia_address_dup_pin_key (address);

  return tertulia_known_hosts_lookup (key);
}


/* Fingerprints */

static void
test_fingerprint_format (void)
{
  g_autoptr(GTlsCertificate) certificate = new_certificate ();
  g_autofree char *fp = tertulia_fingerprint_from_certificate (certificate);
  g_autofree char *formatted = NULL;
  /* SHA-256 of nothing: e3b0c442 98fc1c14 …, every group mod 100 000 */
  g_autofree char *empty = tertulia_fingerprint_from_der ((const guint8 *) "", 0);
  g_autofree char *empty_formatted = tertulia_fingerprint_format (empty);
  g_autofree char *typo = NULL;

  g_assert_cmpuint (strlen (fp), ==, TERTULIA_FINGERPRINT_CHARS);
  g_assert_true (tertulia_fingerprint_is_valid (fp));

  formatted = tertulia_fingerprint_format (fp);
  g_assert_cmpuint (strlen (formatted), ==, 8 * 5 + 7);
  for (guint i = 0; formatted[i] != '\0'; i++)
    g_assert_true (i % 6 == 5 ? formatted[i] == ' ' : g_ascii_isdigit (formatted[i]));

  g_assert_cmpstr (empty, ==, "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU");
  /* 0xe3b0c442 = 3820012610, 0x98fc1c14 = 2566659092, … */
  g_assert_true (g_str_has_prefix (empty_formatted, "12610 59092 "));

  g_assert_true (tertulia_fingerprint_equal (fp, fp));
  g_assert_false (tertulia_fingerprint_equal (fp, empty));
  g_assert_false (tertulia_fingerprint_is_valid (NULL));
  g_assert_false (tertulia_fingerprint_is_valid (""));
  g_assert_false (tertulia_fingerprint_is_valid ("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"));
  g_assert_false (tertulia_fingerprint_is_valid ("47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU="));
  /* The last character's spare bits set: another spelling of a fingerprint */
  typo = g_strdup (empty);
  typo[TERTULIA_FINGERPRINT_CHARS - 1] = 'V';
  g_assert_false (tertulia_fingerprint_is_valid (typo));
  g_assert_null (tertulia_fingerprint_format (typo));
}

static void
test_links (void)
{
  const char *fp = "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU";
  g_autofree char *link = tertulia_address_build_invitation ("192.168.1.20", 7878, fp, FALSE);
  g_autofree char *https = tertulia_address_build_invitation ("fd00::5", 7878, fp, TRUE);
  g_autofree char *bare = tertulia_address_build_invitation ("192.168.1.20", 7878, NULL, FALSE);
  const char *carry[] = {
    "http://192.168.1.20:7878/#fp=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU",
    "tertulia://192.168.1.20:7878/#fp=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU",
    "https://192.168.1.20:7878/#x=1&fp=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU",
    "192.168.1.20:7878#fp=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU",
  };

  g_assert_cmpstr (link, ==, "http://192.168.1.20:7878/#fp=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU");
  g_assert_cmpstr (https, ==, "https://[fd00::5]:7878/#fp=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU");
  g_assert_cmpstr (bare, ==, "http://192.168.1.20:7878/");

  for (guint i = 0; i < G_N_ELEMENTS (carry); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *found = tertulia_address_dup_fingerprint (carry[i], &error);
      g_autofree char *uri = tertulia_address_to_websocket_uri (carry[i], &error);
      g_autofree char *key = tertulia_address_dup_pin_key (carry[i]);

      g_assert_no_error (error);
      g_assert_cmpstr (found, ==, fp);
      g_assert_true (g_str_has_suffix (uri, "://192.168.1.20:7878/ws"));
      g_assert_cmpstr (key, ==, "192.168.1.20:7878");
    }

  {
    g_autoptr(GError) error = NULL;
    g_autofree char *found = tertulia_address_dup_fingerprint ("http://192.168.1.20:7878/#fp=damaged", &error);

    g_assert_null (found);
    g_assert_error (error, TERTULIA_ADDRESS_ERROR, TERTULIA_ADDRESS_ERROR_INVALID);
    g_assert_null (tertulia_address_dup_fingerprint ("192.168.1.20:7878", NULL));
  }
}

/* The host's identity is made once and kept: the same fingerprint after a
 * restart, the key readable by its owner only
 */
static void
test_identity_kept (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tertulia-identity-XXXXXX", NULL);
  g_autofree char *identity = g_build_filename (dir, "host-identity", NULL);
  g_autofree char *key_path = g_build_filename (identity, "key.pem", NULL);
  g_autofree char *cert_path = g_build_filename (identity, "cert.pem", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) first = tertulia_host_identity_load_or_create (identity, &error);
  g_autoptr(GTlsCertificate) again = NULL;
  g_autoptr(GTlsCertificate) other = NULL;
  g_autoptr(GTlsCertificate) damaged = NULL;
  g_autofree char *fp1 = NULL;
  g_autofree char *fp2 = NULL;
  g_autofree char *fp3 = NULL;
  GStatBuf st;

  g_assert_no_error (error);
  again = tertulia_host_identity_load_or_create (identity, &error);
  g_assert_no_error (error);
  fp1 = tertulia_fingerprint_from_certificate (first);
  fp2 = tertulia_fingerprint_from_certificate (again);
  g_assert_cmpstr (fp1, ==, fp2);

  g_assert_cmpint (g_stat (key_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (identity, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);

  /* From the files, as tertulia-server --tls-cert/--tls-key takes them */
  other = tertulia_host_identity_load_files (cert_path, key_path, &error);
  g_assert_no_error (error);
  fp3 = tertulia_fingerprint_from_certificate (other);
  g_assert_cmpstr (fp1, ==, fp3);

  /* Half a pair is never replaced by a new one behind the guests' backs */
  g_assert_cmpint (g_unlink (key_path), ==, 0);
  damaged = tertulia_host_identity_load_or_create (identity, &error);
  g_assert_null (damaged);
  g_assert_nonnull (error);
  g_assert_true (g_file_test (cert_path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (key_path, G_FILE_TEST_EXISTS));

  tertulia_test_remove_tree (dir);
}


/* Joining */

/* A typed address: TLS by default, the host's fingerprint seen and pinned */
static void
test_join (Fixture       *fixture,
           gconstpointer  data)
{
  TertuliaClient *ana = join (fixture->address, "ana");
  TertuliaClient *bob = join (fixture->address, "bob");
  g_autofree char *pin = pin_of (fixture->address);
  const char *fp = tertulia_server_get_fingerprint (fixture->server);

  g_assert_nonnull (fp);
  g_assert_true (tertulia_client_get_encrypted (ana));
  g_assert_cmpstr (tertulia_client_get_peer_fingerprint (ana), ==, fp);
  g_assert_cmpstr (pin, ==, fp);

  tertulia_client_send_message (ana, TERTULIA_MESSAGE_KIND_CHAT, "hola, cifrado", NULL);
  WAIT_UNTIL (find_message (bob, "hola, cifrado") != NULL);

  /* Once pinned, even a ws:// address is encrypted and checked */
  {
    g_autofree char *typed = g_strdup_printf ("ws://%s/ws", fixture->address);
    TertuliaClient *carl = join (typed, "carl");

    g_assert_true (tertulia_client_get_encrypted (carl));
    leave (carl);
  }

  leave (ana);
  leave (bob);
}

/* The same port still serves plain HTTP and plain WebSockets */
static void
test_plain_same_port (Fixture       *fixture,
                      gconstpointer  data)
{
  TertuliaClient *ana = join (fixture->address, "ana");
  TestWs *ws = test_ws_connect (fixture->port, TRUE, 0);
  g_autofree char *welcome = NULL;

  welcome = test_ws_join (ws, "{\"type\":\"hello\",\"version\":1,\"nick\":\"plain\"}");
  g_assert_nonnull (welcome);

  WAIT_UNTIL (tertulia_room_find_participant_by_nick (tertulia_client_get_room (ana), "plain") != NULL);
  test_ws_free (ws);
  leave (ana);

  /* A ws:// address asks for plain text, and gets it from a host it knows
   * nothing of (a host of a version before TLS would not answer a TLS hello)
   */
  {
    g_autofree char *typed = g_strdup_printf ("ws://%s/ws", fixture->address);
    TertuliaClient *carl = tertulia_client_new (typed, "carl");

    connect_and_wait (carl);
    g_assert_false (tertulia_client_get_encrypted (carl));
    leave (carl);
  }
}

/* The fingerprint stays the same when the host restarts on its data
 * directory, and a guest reconnects to it as before
 */
static void
test_restart_same_identity (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *identity = g_build_filename (fixture->data_dir, "host-identity", NULL);
  g_autoptr(GTlsCertificate) first = tertulia_host_identity_load_or_create (identity, NULL);
  g_autoptr(GTlsCertificate) second = NULL;
  g_autofree char *fp = NULL;
  TertuliaClient *ana;
  guint port;

  stop_host (fixture);
  start_host (fixture, 0, first);
  port = fixture->port;
  fp = g_strdup (tertulia_server_get_fingerprint (fixture->server));
  ana = join (fixture->address, "ana");

  stop_host (fixture);
  second = tertulia_host_identity_load_or_create (identity, NULL);
  start_host (fixture, port, second);
  g_assert_cmpstr (tertulia_server_get_fingerprint (fixture->server), ==, fp);

  tertulia_client_retry (ana);
  WAIT_UNTIL (tertulia_client_get_state (ana) == TERTULIA_CONNECTION_CONNECTED);
  g_assert_true (tertulia_client_get_encrypted (ana));
  g_assert_cmpstr (tertulia_client_get_peer_fingerprint (ana), ==, fp);
  leave (ana);
}

static void
assert_refused_before_hello (Fixture        *fixture,
                             TertuliaClient *client)
{
  g_autoptr(GError) error = connect_expecting_error (client);

  g_assert_error (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_FINGERPRINT_MISMATCH);
  g_assert_cmpint (tertulia_client_get_state (client), ==, TERTULIA_CONNECTION_DISCONNECTED);
  /* Nobody joined: no hello went to the impostor */
  tertulia_test_spin (100);
  g_assert_cmpuint (tertulia_server_get_n_participants (fixture->server), ==, 0);
}

/* An invitation link's fingerprint is checked: another host on the same
 * address is refused, with both fingerprints to compare
 */
static void
test_link_fingerprint (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *expected = g_strdup (tertulia_server_get_fingerprint (fixture->server));
  g_autofree char *link = tertulia_server_dup_invitation (fixture->server, "127.0.0.1");
  g_autoptr(GTlsCertificate) impostor = new_certificate ();
  TertuliaClient *ana = join (link, "ana");
  TertuliaClient *bob;
  guint port = fixture->port;

  g_assert_true (g_str_has_suffix (link, expected));
  g_assert_true (g_str_has_prefix (link, "http://"));
  g_assert_true (tertulia_client_get_encrypted (ana));
  g_assert_cmpstr (tertulia_client_get_expected_fingerprint (ana), ==, expected);
  leave (ana);

  stop_host (fixture);
  start_host (fixture, port, impostor);
  bob = guest_new (link, "bob");
  assert_refused_before_hello (fixture, bob);
  g_assert_cmpstr (tertulia_client_get_expected_fingerprint (bob), ==, expected);
  g_assert_cmpstr (tertulia_client_get_peer_fingerprint (bob), ==,
                   tertulia_server_get_fingerprint (fixture->server));
  g_assert_false (tertulia_client_get_encrypted (bob));
  g_object_unref (bob);

  /* A damaged link is not joined unchecked */
  {
    g_autofree char *damaged = g_strdup_printf ("http://127.0.0.1:%u/#fp=abc", port);
    TertuliaClient *carl = guest_new (damaged, "carl");
    g_autoptr(GError) error = connect_expecting_error (carl);

    g_assert_error (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_UNREACHABLE);
    g_assert_nonnull (strstr (error->message, "damaged"));
    g_object_unref (carl);
  }
}

/* A fingerprint given by the caller (a room found on the LAN) */
static void
test_given_fingerprint (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GTlsCertificate) other = new_certificate ();
  g_autofree char *other_fp = tertulia_fingerprint_from_certificate (other);
  TertuliaClient *ana = guest_new (fixture->address, "ana");
  TertuliaClient *bob = guest_new (fixture->address, "bob");

  tertulia_client_set_expected_fingerprint (ana, other_fp);
  assert_refused_before_hello (fixture, ana);
  g_object_unref (ana);

  tertulia_client_set_expected_fingerprint (bob, tertulia_server_get_fingerprint (fixture->server));
  connect_and_wait (bob);
  leave (bob);
}

/* Trust on first use, then a mismatch; the person accepts the new one */
static void
test_tofu (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GTlsCertificate) impostor = new_certificate ();
  g_autofree char *first = g_strdup (tertulia_server_get_fingerprint (fixture->server));
  g_autofree char *pin = NULL;
  TertuliaClient *ana = join (fixture->address, "ana");
  TertuliaClient *again;
  guint port = fixture->port;

  leave (ana);

  stop_host (fixture);
  start_host (fixture, port, impostor);

  again = guest_new (fixture->address, "ana");
  assert_refused_before_hello (fixture, again);
  g_assert_cmpstr (tertulia_client_get_expected_fingerprint (again), ==, first);
  g_assert_cmpstr (tertulia_client_get_peer_fingerprint (again), ==,
                   tertulia_server_get_fingerprint (fixture->server));
  /* The state reason is the loud sentence the app shows */
  g_assert_nonnull (strstr (tertulia_client_get_state_reason (again), "pretending"));

  /* Still refused at a second try: the pin did not move */
  {
    g_autoptr(GError) error = connect_expecting_error (again);

    g_assert_error (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_FINGERPRINT_MISMATCH);
  }

  tertulia_client_trust_new_fingerprint (again);
  pin = pin_of (fixture->address);
  g_assert_cmpstr (pin, ==, tertulia_server_get_fingerprint (fixture->server));
  connect_and_wait (again);
  g_assert_true (tertulia_client_get_encrypted (again));
  leave (again);
}

/* A room on this computer is not pinned: its port is soon another room's */
static void
test_loopback_not_pinned (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GTlsCertificate) other = new_certificate ();
  TertuliaClient *ana = tertulia_client_new (fixture->address, "ana");
  guint port = fixture->port;

  connect_and_wait (ana);
  g_assert_true (tertulia_client_get_encrypted (ana));
  g_assert_null (pin_of (fixture->address));
  leave (ana);

  stop_host (fixture);
  start_host (fixture, port, other);
  ana = tertulia_client_new (fixture->address, "ana");
  connect_and_wait (ana);
  g_assert_cmpstr (tertulia_client_get_peer_fingerprint (ana), ==,
                   tertulia_server_get_fingerprint (fixture->server));
  leave (ana);
}

/* Reconnections keep checking: a host replaced while a guest is away */
static void
test_reconnect_verifies (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GTlsCertificate) impostor = new_certificate ();
  TertuliaClient *ana = join (fixture->address, "ana");
  guint port = fixture->port;

  stop_host (fixture);
  WAIT_UNTIL (tertulia_client_get_state (ana) != TERTULIA_CONNECTION_CONNECTED);
  start_host (fixture, port, impostor);

  tertulia_client_retry (ana);
  WAIT_UNTIL (tertulia_client_get_state (ana) == TERTULIA_CONNECTION_DISCONNECTED);
  g_assert_nonnull (strstr (tertulia_client_get_state_reason (ana), "pretending"));
  g_assert_cmpstr (tertulia_client_get_peer_fingerprint (ana), ==,
                   tertulia_server_get_fingerprint (fixture->server));
  tertulia_test_spin (100);
  g_assert_cmpuint (tertulia_server_get_n_participants (fixture->server), ==, 0);
  g_object_unref (ana);
}


/* Plain text */

/* A host with TLS off is joined in plain text, only when the address was
 * never pinned and carries no fingerprint; it answers a TLS guest at once
 */
static void
test_plain_fallback (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GTlsCertificate) certificate = new_certificate ();
  g_autofree char *fp = tertulia_fingerprint_from_certificate (certificate);
  g_autofree char *link = tertulia_address_build_invitation ("127.0.0.1", fixture->port, fp, FALSE);
  g_autofree char *key = tertulia_address_dup_pin_key (fixture->address);
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  TertuliaClient *ana = join (fixture->address, "ana");
  TertuliaClient *bob;

  g_assert_false (tertulia_client_get_encrypted (ana));
  g_assert_null (tertulia_client_get_peer_fingerprint (ana));
  /* Not after the host's 10 s deadline for a request's headers */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * tertulia_test_slowness () * G_USEC_PER_SEC);
  g_assert_null (pin_of (fixture->address));
  leave (ana);

  /* An invitation that says the host is encrypted */
  bob = guest_new (link, "bob");
  assert_refused_before_hello (fixture, bob);
  g_assert_null (tertulia_client_get_peer_fingerprint (bob));
  g_assert_nonnull (strstr (tertulia_client_get_state_reason (bob), "without encryption"));
  g_object_unref (bob);

  /* An address pinned before */
  g_assert_true (tertulia_known_hosts_pin (key, fp, &error));
  g_assert_no_error (error);
  bob = guest_new (fixture->address, "bob");
  assert_refused_before_hello (fixture, bob);

  /* The person trusts it anyway: the pin goes, and plain text is allowed */
  tertulia_client_trust_new_fingerprint (bob);
  g_assert_null (pin_of (fixture->address));
  connect_and_wait (bob);
  g_assert_false (tertulia_client_get_encrypted (bob));
  leave (bob);
}

/* A password never goes out in plain text unless the person allowed it */
static void
test_plain_password (Fixture       *fixture,
                     gconstpointer  data)
{
  TertuliaClient *ana = guest_new (fixture->address, "ana");
  TertuliaClient *local = tertulia_client_new (fixture->address, "local");  /* on loopback */
  g_autoptr(GError) error = NULL;

  tertulia_server_set_password (fixture->server, "sésamo");

  /* To this computer it crosses no network: no question */
  tertulia_client_set_password (local, "sésamo");
  connect_and_wait (local);
  leave (local);
  WAIT_UNTIL (tertulia_server_get_n_participants (fixture->server) == 0);

  tertulia_client_set_password (ana, "sésamo");

  error = connect_expecting_error (ana);
  g_assert_error (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_PLAIN_PASSWORD);
  g_assert_false (tertulia_client_get_encrypted (ana));
  tertulia_test_spin (100);
  g_assert_cmpuint (tertulia_server_get_n_participants (fixture->server), ==, 0);

  /* One password try a second from an address */
  tertulia_test_spin (1100);
  tertulia_client_set_allow_plain_password (ana, TRUE);
  connect_and_wait (ana);
  g_assert_cmpuint (tertulia_server_get_n_participants (fixture->server), ==, 1);
  leave (ana);
}

/* Over TLS the password goes without a question */
static void
test_password_encrypted (Fixture       *fixture,
                         gconstpointer  data)
{
  TertuliaClient *ana = guest_new (fixture->address, "ana");

  tertulia_server_set_password (fixture->server, "sésamo");
  tertulia_client_set_password (ana, "sésamo");
  connect_and_wait (ana);
  g_assert_true (tertulia_client_get_encrypted (ana));
  leave (ana);
}


/* Files go over TLS like the chat */

static void
transfer_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_files (Fixture       *fixture,
            gconstpointer  data)
{
  TertuliaClient *ana = join (fixture->address, "ana");
  TertuliaClient *bob = join (fixture->address, "bob");
  g_autofree char *src_path = g_build_filename (fixture->data_dir, "notes.txt", NULL);
  g_autofree char *dest_path = g_build_filename (fixture->data_dir, "copy.txt", NULL);
  g_autoptr(GFile) src = g_file_new_for_path (src_path);
  g_autoptr(GFile) dest = g_file_new_for_path (dest_path);
  g_autoptr(GAsyncResult) uploaded = NULL;
  g_autoptr(GAsyncResult) downloaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *id = NULL;
  g_autofree char *copy = NULL;

  /* Bigger than a TLS record and than the threads' buffer */
  for (guint i = 0; i < 40000; i++)
    g_string_append_printf (text, "line %u of the notes\n", i);
  g_assert_true (g_file_set_contents (src_path, text->str, (gssize) text->len, NULL));

  tertulia_client_upload_file_async (ana, src, NULL, NULL, NULL, NULL, transfer_done_cb, &uploaded);
  WAIT_UNTIL (uploaded != NULL);
  id = tertulia_client_upload_file_finish (ana, uploaded, &error);
  g_assert_no_error (error);

  WAIT_UNTIL (tertulia_room_find_file_message (tertulia_client_get_room (bob), id) != NULL);
  tertulia_client_download_file_async (bob, id, dest, NULL, NULL, NULL, transfer_done_cb, &downloaded);
  WAIT_UNTIL (downloaded != NULL);
  g_assert_true (tertulia_client_download_file_finish (bob, downloaded, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (dest_path, &copy, NULL, NULL));
  g_assert_cmpstr (copy, ==, text->str);

  g_clear_object (&uploaded);
  g_clear_object (&downloaded);
  /* The transfers' tasks let go of the clients when their threads end */
  tertulia_test_spin (200);
  leave (ana);
  leave (bob);
}


/* Bad input: each gets a clear answer or a close, and the room keeps
 * going for the others meanwhile
 */

typedef struct
{
  GSocket    *socket;
  GByteArray *in;
  gboolean    closed;
} Raw;

static Raw *
raw_connect (guint port)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, (guint16) port);
  g_autoptr(GError) error = NULL;
  Raw *raw = g_new0 (Raw, 1);

  raw->socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_connect (raw->socket, address, NULL, &error);
  g_assert_no_error (error);
  g_socket_set_blocking (raw->socket, FALSE);
  raw->in = g_byte_array_new ();

  return raw;
}

static void
raw_send (Raw          *raw,
          const guint8 *data,
          gsize         length)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_socket_send_with_blocking (raw->socket, (const char *) data, length, TRUE, NULL, &error),
                   ==, (gssize) length);
  g_assert_no_error (error);
}

/* Reads what came; TRUE once the host closed (or reset) the connection */
static gboolean
raw_poll (Raw *raw)
{
  char buffer[4096];

  while (!raw->closed)
    {
      gssize n = recv (g_socket_get_fd (raw->socket), buffer, sizeof buffer, MSG_DONTWAIT);

      if (n > 0)
        g_byte_array_append (raw->in, (const guint8 *) buffer, (guint) n);
      else if (n == 0 || errno != EAGAIN)
        raw->closed = TRUE;
      else
        break;
    }

  return raw->closed;
}

static void
raw_free (Raw *raw)
{
  g_socket_close (raw->socket, NULL);
  g_object_unref (raw->socket);
  g_byte_array_unref (raw->in);
  g_free (raw);
}

/* A ClientHello of @version (0x0300 SSL 3.0, 0x0301 TLS 1.0) offering one
 * cipher suite of its time and no extensions
 */
static GByteArray *
old_client_hello (guint16 version)
{
  GByteArray *hello = g_byte_array_new ();
  guint8 body[2 + 32 + 1 + 2 + 2 + 1 + 1] = { 0 };
  guint8 header[9];
  gsize i = 0;

  body[i++] = version >> 8;
  body[i++] = version & 0xff;
  for (guint r = 0; r < 32; r++)
    body[i++] = (guint8) g_random_int ();
  body[i++] = 0;              /* no session id */
  body[i++] = 0;
  body[i++] = 2;              /* one cipher suite: */
  body[i++] = 0x00;           /* TLS_RSA_WITH_AES_128_CBC_SHA */
  body[i++] = 0x2f;
  body[i++] = 1;              /* one compression method: none */
  body[i++] = 0;
  g_assert_cmpuint (i, ==, sizeof body);

  header[0] = 0x16;           /* handshake record */
  header[1] = version >> 8;
  header[2] = version & 0xff;
  header[3] = 0;
  header[4] = (guint8) (sizeof body + 4);
  header[5] = 1;              /* ClientHello */
  header[6] = 0;
  header[7] = 0;
  header[8] = (guint8) sizeof body;

  g_byte_array_append (hello, header, sizeof header);
  g_byte_array_append (hello, body, sizeof body);
  return hello;
}

/* Ana and Bob go on talking while @raw does its worst; the room is fine */
static void
room_keeps_going (TertuliaClient *ana,
                  TertuliaClient *bob,
                  const char     *text)
{
  tertulia_client_send_message (ana, TERTULIA_MESSAGE_KIND_CHAT, text, NULL);
  WAIT_UNTIL (find_message (bob, text) != NULL);
}

static void
wait_closed (Raw    *raw,
             gint64  within_usec)
{
  gint64 deadline = g_get_monotonic_time () + within_usec;

  while (!raw_poll (raw))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("the host did not close the connection in time");
      tertulia_test_spin (20);
    }
}

/* The host closed with nothing to say, or with a TLS alert record (type
 * 21): never a handshake going on
 */
static void
assert_alert_or_nothing (Raw *raw)
{
  if (raw->in->len > 0)
    g_assert_cmpuint (raw->in->data[0], ==, 21);
}

static void
test_hostile_garbage (Fixture       *fixture,
                      gconstpointer  data)
{
  /* A handshake record whose message is of no type there is */
  static const guint8 garbage[] = "\x16\x03\x01\x00\x08\xff\x00\x00\x04garb";
  TertuliaClient *ana = join (fixture->address, "ana");
  TertuliaClient *bob = join (fixture->address, "bob");
  Raw *raw = raw_connect (fixture->port);

  raw_send (raw, garbage, sizeof garbage - 1);
  wait_closed (raw, 5 * G_USEC_PER_SEC);
  assert_alert_or_nothing (raw);
  room_keeps_going (ana, bob, "after the garbage");

  raw_free (raw);
  leave (ana);
  leave (bob);
}

static void
test_hostile_old_version (Fixture       *fixture,
                          gconstpointer  data)
{
  TertuliaClient *ana = join (fixture->address, "ana");
  TertuliaClient *bob = join (fixture->address, "bob");
  const guint16 versions[] = { 0x0300, 0x0301 };

  for (guint i = 0; i < G_N_ELEMENTS (versions); i++)
    {
      g_autoptr(GByteArray) hello = old_client_hello (versions[i]);
      g_autofree char *text = g_strdup_printf ("after a hello of version %04x", versions[i]);
      Raw *raw = raw_connect (fixture->port);

      raw_send (raw, hello->data, hello->len);
      wait_closed (raw, 5 * G_USEC_PER_SEC);
      /* Never a ServerHello */
      assert_alert_or_nothing (raw);
      room_keeps_going (ana, bob, text);
      raw_free (raw);
    }

  leave (ana);
  leave (bob);
}

/* A guest that stops in the middle of its handshake is closed at the
 * deadline of a request's headers, like one that stops in its request
 */
static void
test_hostile_stall (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GByteArray) hello = old_client_hello (0x0303);
  TertuliaClient *ana = join (fixture->address, "ana");
  TertuliaClient *bob = join (fixture->address, "bob");
  Raw *raw;
  gint64 start;

  _tertulia_server_set_http_timeouts (fixture->server, 1000, 0);
  raw = raw_connect (fixture->port);
  start = g_get_monotonic_time ();
  /* The record's header and half of it */
  raw_send (raw, hello->data, hello->len / 2);

  room_keeps_going (ana, bob, "while one stalls");
  g_assert_false (raw_poll (raw));

  wait_closed (raw, 5 * G_USEC_PER_SEC);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 900 * 1000);
  room_keeps_going (ana, bob, "after the stall");

  raw_free (raw);
  leave (ana);
  leave (bob);
}

/* A crowd of half hellos does not keep an honest guest out: the host does
 * not begin a handshake (a worker thread that waits) before the hello is
 * all there
 */
static void
test_hostile_stall_crowd (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GByteArray) hello = old_client_hello (0x0303);
  g_autoptr(GPtrArray) raws = g_ptr_array_new_with_free_func ((GDestroyNotify) raw_free);
  TertuliaClient *ana;
  gint64 start;

  for (guint i = 0; i < 30; i++)
    {
      Raw *raw = raw_connect (fixture->port);

      raw_send (raw, hello->data, hello->len / 2);
      g_ptr_array_add (raws, raw);
    }
  tertulia_test_spin (200);

  start = g_get_monotonic_time ();
  ana = join (fixture->address, "ana");
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * tertulia_test_slowness () * G_USEC_PER_SEC);
  g_assert_true (tertulia_client_get_encrypted (ana));
  leave (ana);
}

/* Plain text on a host with TLS: served, as the browser page is */
static void
test_hostile_plain_on_tls (Fixture       *fixture,
                           gconstpointer  data)
{
  static const guint8 request[] = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  Raw *raw = raw_connect (fixture->port);

  raw_send (raw, request, sizeof request - 1);
  wait_closed (raw, 5 * G_USEC_PER_SEC);
  g_byte_array_append (raw->in, (const guint8 *) "", 1);
  g_assert_true (g_str_has_prefix ((const char *) raw->in->data, "HTTP/1.1 200"));
  raw_free (raw);
}

/* TLS on a host without it: a plain answer that says so, at once */
static void
test_hostile_tls_on_plain (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GByteArray) hello = old_client_hello (0x0303);
  TertuliaClient *ana = join (fixture->address, "ana");
  TertuliaClient *bob = join (fixture->address, "bob");
  Raw *raw = raw_connect (fixture->port);

  raw_send (raw, hello->data, hello->len);
  wait_closed (raw, 2 * G_USEC_PER_SEC);
  g_byte_array_append (raw->in, (const guint8 *) "", 1);
  g_assert_true (g_str_has_prefix ((const char *) raw->in->data, "HTTP/1.1 400"));
  g_assert_nonnull (strstr ((const char *) raw->in->data, "does not use TLS"));
  room_keeps_going (ana, bob, "after a TLS hello");

  raw_free (raw);
  leave (ana);
  leave (bob);
}

int
main (int   argc,
      char *argv[])
{
  /* Pins go to each test's own XDG_DATA_HOME */
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/tls/fingerprint-format", test_fingerprint_format);
  g_test_add_func ("/tls/links", test_links);
  g_test_add_func ("/tls/identity-kept", test_identity_kept);

#define ADD(path, func) \
  g_test_add ("/tls/" path, Fixture, NULL, setup, func, teardown)
#define ADD_PLAIN(path, func) \
  g_test_add ("/tls/" path, Fixture, NULL, setup_plain, func, teardown)

  ADD ("join", test_join);
  ADD ("plain-same-port", test_plain_same_port);
  ADD ("restart-same-identity", test_restart_same_identity);
  ADD ("link-fingerprint", test_link_fingerprint);
  ADD ("given-fingerprint", test_given_fingerprint);
  ADD ("tofu", test_tofu);
  ADD ("reconnect-verifies", test_reconnect_verifies);
  ADD ("loopback-not-pinned", test_loopback_not_pinned);
  ADD_PLAIN ("plain-fallback", test_plain_fallback);
  ADD_PLAIN ("plain-password", test_plain_password);
  ADD ("password-encrypted", test_password_encrypted);
  ADD ("files", test_files);
  ADD ("hostile/garbage", test_hostile_garbage);
  ADD ("hostile/old-version", test_hostile_old_version);
  ADD ("hostile/stall", test_hostile_stall);
  ADD ("hostile/stall-crowd", test_hostile_stall_crowd);
  ADD ("hostile/plain-on-tls", test_hostile_plain_on_tls);
  ADD_PLAIN ("hostile/tls-on-plain", test_hostile_tls_on_plain);

#undef ADD
#undef ADD_PLAIN

  return g_test_run ();
}

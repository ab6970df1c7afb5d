/* test-window-tls.c — encrypted rooms joined from the window: the lock, the key that changed,
 * the password that would go out in plain text
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Hosts are TertuliaServers on loopback (in this process, so the test can
 * ask them who joined) with a certificate the test made, so it knows their
 * fingerprints, or with TLS off.
 * Pins go to the test's own $XDG_DATA_HOME (run-ui-test.sh). A plain room
 * with a password is reached through a tap that keeps every byte the app
 * sends, so the test sees whether the password crossed the "network".
 */

#include "config.h"

#include <glib/gstdio.h>

#include "tertulia-address.h"
#include "tertulia-fake-avahi.h"
#include "tertulia-fingerprint.h"
#include "tertulia-fingerprint-dialog.h"
#include "tertulia-host-identity.h"
#include "tertulia-known-hosts.h"
#include "tertulia-security-indicator.h"
#include "tertulia-server.h"
#include "ui-test-utils.h"

/* Not ASCII: it must arrive exactly as typed, when it is allowed to. */
#define PASSWORD "contraseña secreta"

static TertuliaApplication *app;
static FakeAvahi *fake;

/* A host's certificate, made by the test */

typedef struct
{
  char *dir;
  char *cert;
  char *key;
  char *fp;
} Identity;

static Identity *
identity_new (void)
{
  Identity *identity = g_new0 (Identity, 1);
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GError) error = NULL;

  identity->dir = g_dir_make_tmp ("tertulia-test-tls-XXXXXX", &error);
  g_assert_no_error (error);
  certificate = tertulia_host_identity_load_or_create (identity->dir, &error);
  g_assert_no_error (error);
  identity->fp = tertulia_fingerprint_from_certificate (certificate);
  g_assert_true (tertulia_fingerprint_is_valid (identity->fp));
  identity->cert = g_build_filename (identity->dir, "cert.pem", NULL);
  identity->key = g_build_filename (identity->dir, "key.pem", NULL);
  g_assert_true (g_file_test (identity->cert, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (identity->key, G_FILE_TEST_EXISTS));

  return identity;
}

static void
identity_free (Identity *identity)
{
  g_unlink (identity->cert);
  g_unlink (identity->key);
  g_rmdir (identity->dir);
  g_free (identity->dir);
  g_free (identity->cert);
  g_free (identity->key);
  g_free (identity->fp);
  g_free (identity);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Identity, identity_free)

/* A room on 127.0.0.1:@port (0: any) with @identity's certificate, or
 * with TLS off when @identity is NULL; its address in @address.
 */
static TertuliaServer *
start_server (Identity    *identity,
              guint        port,
              const char  *password,
              char       **address)
{
  TertuliaServer *server = tertulia_server_new ("Cifrada");
  g_autoptr(GError) error = NULL;

  if (identity != NULL)
    {
      g_autoptr(GTlsCertificate) certificate = tertulia_host_identity_load_files (identity->cert,
                                                                                  identity->key,
                                                                                  &error);
      g_assert_no_error (error);
      tertulia_server_set_tls_certificate (server, certificate);
      g_assert_cmpstr (tertulia_server_get_fingerprint (server), ==, identity->fp);
    }
  if (password != NULL)
    tertulia_server_set_password (server, password);

  tertulia_server_listen (server, "127.0.0.1", port, &error);
  g_assert_no_error (error);
  *address = g_strdup_printf ("127.0.0.1:%u", tertulia_server_get_port (server));

  return server;
}

static void
stop_server (TertuliaServer **server)
{
  tertulia_server_shutdown (*server, NULL);
  /* Its connections see the close. */
  tertulia_test_spin (100);
  g_clear_object (server);
}

/* The window */

static TertuliaStartPage *
start_page (TertuliaWindow *window)
{
  return _tertulia_window_get_start_page (window);
}

static const char *
page_name (TertuliaWindow *window)
{
  return _tertulia_window_get_page_name (window);
}

static TertuliaClient *
window_client (TertuliaWindow *window)
{
  return tertulia_session_get_client (tertulia_window_get_session (window));
}

/* A window whose rooms on 127.0.0.1 count as across a network: pinned,
 * and asked about before a password goes out in plain text.
 */
static TertuliaWindow *
new_window (void)
{
  TertuliaWindow *window = ui_test_window_new (app);

  _tertulia_start_page_set_loopback_is_network (start_page (window), TRUE);

  return window;
}

/* Types @address on the start page and presses Join. */
static void
join_by_address (TertuliaWindow *window,
                 const char     *address)
{
  gtk_editable_set_text (_tertulia_start_page_get_address_row (start_page (window)), address);
  tertulia_start_page_join (start_page (window));
}

static gboolean
is_security_indicator (GtkWidget     *widget,
                       gconstpointer  data)
{
  return TERTULIA_IS_SECURITY_INDICATOR (widget);
}

static GtkMenuButton *
lock_button (TertuliaWindow *window)
{
  GtkWidget *page = GTK_WIDGET (_tertulia_window_get_chat_page (window));
  GtkWidget *indicator = ui_test_find_widget (page, is_security_indicator, NULL);

  g_assert_nonnull (indicator);
  WAIT_UNTIL (gtk_widget_get_mapped (indicator));

  return _tertulia_security_indicator_get_button (TERTULIA_SECURITY_INDICATOR (indicator));
}

/* The question about the room's security, once it is up. */
static AdwMessageDialog *
wait_for_security_dialog (TertuliaWindow *window)
{
  GtkWidget *dialog;

  WAIT_UNTIL ((dialog = _tertulia_start_page_get_security_dialog (start_page (window))) != NULL &&
              gtk_widget_get_mapped (dialog));
  g_assert_false (tertulia_start_page_get_busy (start_page (window)));
  g_assert_cmpstr (page_name (window), ==, "start");
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  /* Enter and Escape keep away from the room. */
  g_assert_cmpstr (adw_message_dialog_get_default_response (ADW_MESSAGE_DIALOG (dialog)), ==, "cancel");
  g_assert_cmpstr (adw_message_dialog_get_close_response (ADW_MESSAGE_DIALOG (dialog)), ==, "cancel");

  return ADW_MESSAGE_DIALOG (dialog);
}

/* As a click on @response: libadwaita 1.2 closes the dialog after its
 * buttons answer.
 */
static void
answer (AdwMessageDialog *dialog,
        const char       *response)
{
  g_object_ref (dialog);
  adw_message_dialog_response (dialog, response);
  gtk_window_close (GTK_WINDOW (dialog));
  g_object_unref (dialog);
}

/* A free port on 127.0.0.1 that no earlier test pinned a key for */
static guint
free_port (void)
{
  guint port = tertulia_find_free_port (20000, 40000);
  g_autofree char *key = g_strdup_printf ("127.0.0.1:%u", port);
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (port, !=, 0);
  tertulia_known_hosts_forget (key, &error);
  g_assert_no_error (error);

  return port;
}

static char *
dup_pin (const char *address)
{
  g_autofree char *key = tertulia_address_dup_pin_key (address);

  return tertulia_known_hosts_lookup (key);
}

/* The fingerprint as the window shows it, on one line */
static char *
dup_formatted (const char *fp)
{
  return tertulia_fingerprint_format (fp);
}

/* Joined over TLS: the lock says so, with the key; the address is pinned. */
static void
test_join_encrypted (void)
{
  g_autoptr(Identity) identity = identity_new ();
  TertuliaServer *server = NULL;
  g_autofree char *address = NULL;
  g_autofree char *formatted = dup_formatted (identity->fp);
  g_autofree char *expected_name = g_strdup_printf ("Encrypted — fingerprint %s", formatted);
  g_autofree char *pin = NULL;
  TertuliaWindow *window;
  GtkMenuButton *lock;
  const char *name;

  server = start_server (identity, 0, NULL, &address);
  g_assert_null (dup_pin (address));

  window = new_window ();
  join_by_address (window, address);
  WAIT_UNTIL (g_strcmp0 (page_name (window), "chat") == 0);

  g_assert_true (tertulia_client_get_encrypted (window_client (window)));
  g_assert_cmpstr (tertulia_client_get_peer_fingerprint (window_client (window)), ==, identity->fp);

  lock = lock_button (window);
  g_assert_cmpstr (gtk_menu_button_get_icon_name (lock), ==, "channel-secure-symbolic");
  name = gtk_widget_get_tooltip_text (GTK_WIDGET (lock));
  g_assert_cmpstr (name, ==, expected_name);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (lock), "warning"));

  /* Trusted on first use: the next visit is checked against it. */
  pin = dup_pin (address);
  g_assert_cmpstr (pin, ==, identity->fp);

  tertulia_window_leave (window);
  ui_test_destroy_window (window);
  stop_server (&server);
}

/* A host with TLS off: the participant sees it at once in the header. */
static void
test_join_plain (void)
{
  TertuliaServer *server = NULL;
  g_autofree char *address = NULL;
  TertuliaWindow *window;
  GtkMenuButton *lock;
  GtkLabel *details;

  server = start_server (NULL, 0, NULL, &address);

  window = new_window ();
  join_by_address (window, address);
  WAIT_UNTIL (g_strcmp0 (page_name (window), "chat") == 0);
  g_assert_false (tertulia_client_get_encrypted (window_client (window)));

  lock = lock_button (window);
  g_assert_cmpstr (gtk_menu_button_get_icon_name (lock), ==, "channel-insecure-symbolic");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (lock)), ==, "Not encrypted");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (lock), "warning"));
  /* And in words, in the log, once. */
  g_assert_nonnull (ui_test_find_message (tertulia_room_get_messages (tertulia_client_get_room (window_client (window))),
                                          "This room is not encrypted: others on this network could read what is said here."));

  /* A click says what it means. */
  gtk_menu_button_popup (lock);
  details = _tertulia_security_indicator_get_details (TERTULIA_SECURITY_INDICATOR (gtk_widget_get_parent (GTK_WIDGET (lock))));
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (details)));
  g_assert_nonnull (strstr (gtk_label_get_text (details), "could read"));
  gtk_menu_button_popdown (lock);

  tertulia_window_leave (window);
  ui_test_destroy_window (window);
  stop_server (&server);
}

static void
assert_fingerprints_shown (AdwMessageDialog *dialog,
                           const char       *expected,
                           const char       *presented)
{
  g_autofree char *expected_text = tertulia_fingerprint_dup_display (expected, 2);
  g_autofree char *presented_text = tertulia_fingerprint_dup_display (presented, 2);
  GtkLabel *expected_label = _tertulia_fingerprint_dialog_get_expected_label (dialog);
  GtkLabel *presented_label = _tertulia_fingerprint_dialog_get_presented_label (dialog);

  /* Side by side, as groups of digits people read aloud. */
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (expected_label)));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (presented_label)));
  g_assert_cmpstr (gtk_label_get_text (expected_label), ==, expected_text);
  g_assert_cmpstr (gtk_label_get_text (presented_label), ==, presented_text);
  g_assert_true (g_regex_match_simple ("^(\\d{5} \\d{5}\n){3}\\d{5} \\d{5}$", expected_text, 0, 0));
  {
    graphene_rect_t a, b;

    /* Side by side, the groups of both on the same lines. */
    g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (expected_label), GTK_WIDGET (dialog), &a));
    g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (presented_label), GTK_WIDGET (dialog), &b));
    g_assert_cmpfloat (a.origin.x + a.size.width, <=, b.origin.x);
    g_assert_cmpfloat (a.origin.y, ==, b.origin.y);
  }
}

/* Another certificate at an address pinned before: a loud warning, no
 * connection until the person trusts the new key; then it is pinned.
 */
static void
test_mismatch (void)
{
  g_autoptr(Identity) first = identity_new ();
  g_autoptr(Identity) second = identity_new ();
  TertuliaServer *server = NULL;
  g_autofree char *address = NULL;
  g_autofree char *again = NULL;
  g_autofree char *pin = NULL;
  g_autofree char *link = NULL;
  TertuliaWindow *window;
  AdwMessageDialog *dialog;
  guint port;

  port = free_port ();
  server = start_server (first, port, NULL, &address);

  window = new_window ();
  join_by_address (window, address);
  WAIT_UNTIL (g_strcmp0 (page_name (window), "chat") == 0);
  tertulia_window_leave (window);
  WAIT_UNTIL (g_strcmp0 (page_name (window), "start") == 0);
  stop_server (&server);
  pin = dup_pin (address);
  g_assert_cmpstr (pin, ==, first->fp);
  g_clear_pointer (&pin, g_free);

  /* Someone else answers at the same address. */
  server = start_server (second, port, NULL, &again);
  g_assert_cmpstr (again, ==, address);
  join_by_address (window, address);
  dialog = wait_for_security_dialog (window);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "This Is Not the Room You Joined Before");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "pretending"));
  assert_fingerprints_shown (dialog, first->fp, second->fp);
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "trust"), ==, ADW_RESPONSE_DESTRUCTIVE);

  /* Nothing joined while the question is up, and the pin stays. */
  tertulia_test_spin (300);
  g_assert_cmpstr (page_name (window), ==, "start");
  g_assert_null (tertulia_window_get_session (window));
  g_assert_cmpuint (tertulia_server_get_n_participants (server), ==, 0);
  pin = dup_pin (address);
  g_assert_cmpstr (pin, ==, first->fp);
  g_clear_pointer (&pin, g_free);

  /* Cancel: still nothing, and the page says why. */
  answer (dialog, "cancel");
  g_assert_null (_tertulia_start_page_get_security_dialog (start_page (window)));
  tertulia_test_spin (300);
  g_assert_cmpstr (page_name (window), ==, "start");
  g_assert_cmpuint (tertulia_server_get_n_participants (server), ==, 0);
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (_tertulia_start_page_get_join_error_label (start_page (window)))));
  g_assert_nonnull (strstr (gtk_label_get_text (_tertulia_start_page_get_join_error_label (start_page (window))),
                            "key"));

  /* Asked again; this time the person trusts the new key. */
  join_by_address (window, address);
  dialog = wait_for_security_dialog (window);
  answer (dialog, "trust");
  WAIT_UNTIL (g_strcmp0 (page_name (window), "chat") == 0);
  g_assert_cmpstr (tertulia_client_get_peer_fingerprint (window_client (window)), ==, second->fp);
  g_assert_true (tertulia_client_get_encrypted (window_client (window)));
  pin = dup_pin (address);
  g_assert_cmpstr (pin, ==, second->fp);
  tertulia_window_leave (window);
  WAIT_UNTIL (g_strcmp0 (page_name (window), "start") == 0);

  /* An invitation (a QR code's link) with the first key: checked against
   * it, whatever the pin says.
   */
  link = tertulia_address_build_invitation ("127.0.0.1", port, first->fp, FALSE);
  join_by_address (window, link);
  dialog = wait_for_security_dialog (window);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "This Is Not the Room You Were Invited To");
  assert_fingerprints_shown (dialog, first->fp, second->fp);
  answer (dialog, "cancel");
  tertulia_test_spin (200);
  g_assert_cmpstr (page_name (window), ==, "start");

  /* A host without encryption where one with it was: no key to trust,
   * and no way in.
   */
  stop_server (&server);
  g_clear_pointer (&again, g_free);
  server = start_server (NULL, port, NULL, &again);
  g_assert_cmpstr (again, ==, address);
  join_by_address (window, address);
  dialog = wait_for_security_dialog (window);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "This Room Answered Without Encryption");
  g_assert_false (adw_message_dialog_has_response (dialog, "trust"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "pretending"));
  answer (dialog, "cancel");
  tertulia_test_spin (200);
  g_assert_cmpstr (page_name (window), ==, "start");
  g_assert_cmpuint (tertulia_server_get_n_participants (server), ==, 0);

  ui_test_destroy_window (window);
  stop_server (&server);
}

/* A room found on the network is checked against the key its record
 * announced (TXT "fp"), never pinned blindly.
 */
static void
test_lan_fingerprint (void)
{
  g_autoptr(Identity) announced = identity_new ();
  g_autoptr(Identity) actual = identity_new ();
  TertuliaServer *server = NULL;
  g_autofree char *address = NULL;
  g_autofree char *txt_fp = g_strdup_printf ("fp=%s", announced->fp);
  g_autofree char *txt_real_fp = g_strdup_printf ("fp=%s", actual->fp);
  const char *txt_wrong[] = { "name=Sala de la red", "v=1", "pw=0", "n=1", "tls=1", txt_fp, NULL };
  const char *txt_right[] = { "name=Sala de la red", "v=1", "pw=0", "n=1", "tls=1", txt_real_fp, NULL };
  TertuliaWindow *window;
  AdwMessageDialog *dialog;
  AdwActionRow *row;
  GtkLabel *error_label;
  guint port;

  server = start_server (actual, 0, NULL, &address);
  port = (guint) g_ascii_strtoull (strchr (address, ':') + 1, NULL, 10);

  window = new_window ();
  fake_avahi_publish (fake, "Sala de la red", "ana-laptop.local", "127.0.0.1", port, txt_wrong);
  WAIT_UNTIL ((row = ui_test_find_lan_row (window, "Sala de la red")) != NULL &&
              gtk_widget_get_mapped (GTK_WIDGET (row)));
  gtk_widget_activate (GTK_WIDGET (row));

  dialog = wait_for_security_dialog (window);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "This Is Not the Room Announced on the Network");
  assert_fingerprints_shown (dialog, announced->fp, actual->fp);
  g_assert_cmpuint (tertulia_server_get_n_participants (server), ==, 0);
  answer (dialog, "cancel");
  error_label = _tertulia_start_page_get_lan_error_label (start_page (window));
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (error_label)));
  g_assert_nonnull (strstr (gtk_label_get_text (error_label), "key"));
  g_assert_cmpstr (page_name (window), ==, "start");
  /* Refusing pinned nothing. */
  g_assert_null (dup_pin (address));

  /* The record with the host's real key: in, encrypted. */
  fake_avahi_publish (fake, "Sala de la red", "ana-laptop.local", "127.0.0.1", port, txt_right);
  tertulia_test_spin (300);
  WAIT_UNTIL ((row = ui_test_find_lan_row (window, "Sala de la red")) != NULL &&
              gtk_widget_get_mapped (GTK_WIDGET (row)));
  gtk_widget_activate (GTK_WIDGET (row));
  WAIT_UNTIL (g_strcmp0 (page_name (window), "chat") == 0);
  g_assert_true (tertulia_client_get_encrypted (window_client (window)));
  g_assert_cmpstr (tertulia_client_get_peer_fingerprint (window_client (window)), ==, actual->fp);

  tertulia_window_leave (window);
  fake_avahi_withdraw (fake, "Sala de la red");
  ui_test_destroy_window (window);
  stop_server (&server);
}

static gboolean
is_mapped_message_dialog (gpointer data)
{
  return ADW_IS_MESSAGE_DIALOG (data) && gtk_widget_get_mapped (data);
}

/* The message dialog on screen, or NULL */
static AdwMessageDialog *
find_message_dialog (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (is_mapped_message_dialog (l->data))
      return l->data;

  return NULL;
}

/* Another key at a reconnection, while in the room: no reconnection, the
 * lock turns into a warning, and both keys can be compared from it.
 */
static void
test_key_changed_in_room (void)
{
  g_autoptr(Identity) first = identity_new ();
  g_autoptr(Identity) second = identity_new ();
  TertuliaServer *server = NULL;
  g_autofree char *address = NULL;
  g_autofree char *again = NULL;
  g_autofree char *pin = NULL;
  TertuliaWindow *window;
  TertuliaClient *client;
  AdwMessageDialog *dialog;
  GtkMenuButton *lock;
  GtkButton *compare;
  guint port;

  port = free_port ();
  server = start_server (first, port, NULL, &address);
  window = new_window ();
  join_by_address (window, address);
  WAIT_UNTIL (g_strcmp0 (page_name (window), "chat") == 0);
  client = window_client (window);
  lock = lock_button (window);
  compare = _tertulia_security_indicator_get_compare_button (TERTULIA_SECURITY_INDICATOR (gtk_widget_get_parent (GTK_WIDGET (lock))));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (compare)));

  /* The host goes; another one answers at its address. */
  stop_server (&server);
  server = start_server (second, port, NULL, &again);
  WAIT_UNTIL (tertulia_client_get_state (client) == TERTULIA_CONNECTION_DISCONNECTED &&
              g_strcmp0 (tertulia_client_get_peer_fingerprint (client), second->fp) == 0);
  g_assert_cmpuint (tertulia_server_get_n_participants (server), ==, 0);

  g_assert_cmpstr (gtk_menu_button_get_icon_name (lock), ==, "dialog-warning-symbolic");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (lock)), ==, "The room’s key changed");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (lock)));
  gtk_menu_button_popup (lock);
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (compare)));
  g_signal_emit_by_name (compare, "clicked");
  WAIT_UNTIL ((dialog = find_message_dialog ()) != NULL);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "This Is Not the Room You Joined Before");
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  assert_fingerprints_shown (dialog, first->fp, second->fp);

  /* Trusted: in again, with the new key pinned. */
  answer (dialog, "trust");
  WAIT_UNTIL (tertulia_client_get_state (client) == TERTULIA_CONNECTION_CONNECTED);
  g_assert_cmpuint (tertulia_server_get_n_participants (server), ==, 1);
  g_assert_true (tertulia_client_get_encrypted (client));
  g_assert_cmpstr (gtk_menu_button_get_icon_name (lock), ==, "channel-secure-symbolic");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (compare)));
  pin = dup_pin (address);
  g_assert_cmpstr (pin, ==, second->fp);

  tertulia_window_leave (window);
  ui_test_destroy_window (window);
  stop_server (&server);
}

/* A damaged key in the app's data directory is said when hosting, never
 * silently replaced (the guests who pinned it would be told the room is
 * an impostor).
 */
static void
test_damaged_identity (void)
{
  g_autofree char *dir = tertulia_host_identity_dup_default_directory ();
  g_autofree char *cert = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "key.pem", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *kept = NULL;
  TertuliaWindow *window;
  TertuliaStartPage *start;
  GtkLabel *label;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents_full (cert, "not a certificate\n", -1, G_FILE_SET_CONTENTS_NONE, 0600, &error);
  g_assert_no_error (error);
  g_file_set_contents_full (key, "not a key\n", -1, G_FILE_SET_CONTENTS_NONE, 0600, &error);
  g_assert_no_error (error);

  window = new_window ();
  start = start_page (window);
  gtk_spin_button_set_value (_tertulia_start_page_get_port_spin (start), free_port ());
  tertulia_start_page_host (start);
  label = _tertulia_start_page_get_host_error_label (start);
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (label)));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), "key for hosting rooms could not be read"));
  g_assert_cmpstr (page_name (window), ==, "start");
  g_assert_true (g_file_get_contents (cert, &kept, NULL, NULL));
  g_assert_cmpstr (kept, ==, "not a certificate\n");

  ui_test_destroy_window (window);
  g_unlink (cert);
  g_unlink (key);
}

/* A tap: a TCP relay on 127.0.0.1 that keeps every byte sent to the host */

typedef struct
{
  GSocketService *service;
  guint           port;
  guint           target_port;
  GPtrArray      *sent;         /* GByteArray, what each connection sent */
} Tap;

typedef struct
{
  GIOStream     *from;
  GIOStream     *to;
  GByteArray    *record;        /* NULL: the host's side, not kept */
  guint8         buffer[4096];
} Pipe;

static void pipe_read (Pipe *pipe);

static void
pipe_free (Pipe *pipe)
{
  g_io_stream_close (pipe->from, NULL, NULL);
  g_io_stream_close (pipe->to, NULL, NULL);
  g_object_unref (pipe->from);
  g_object_unref (pipe->to);
  g_clear_pointer (&pipe->record, g_byte_array_unref);
  g_free (pipe);
}

static void
pipe_written_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Pipe *pipe = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL))
    {
      pipe_free (pipe);
      return;
    }

  pipe_read (pipe);
}

static void
pipe_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Pipe *pipe = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, NULL);

  if (n <= 0)
    {
      pipe_free (pipe);
      return;
    }

  if (pipe->record != NULL)
    g_byte_array_append (pipe->record, pipe->buffer, n);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (pipe->to), pipe->buffer, n,
                                   G_PRIORITY_DEFAULT, NULL, pipe_written_cb, pipe);
}

static void
pipe_read (Pipe *pipe)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (pipe->from), pipe->buffer,
                             sizeof pipe->buffer, G_PRIORITY_DEFAULT, NULL, pipe_read_cb, pipe);
}

static gboolean
tap_incoming_cb (GSocketService    *service,
                 GSocketConnection *connection,
                 GObject           *source,
                 Tap               *tap)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) upstream = NULL;
  g_autoptr(GError) error = NULL;
  Pipe *up = g_new0 (Pipe, 1);
  Pipe *down = g_new0 (Pipe, 1);

  /* Loopback: connecting does not block for long. */
  upstream = g_socket_client_connect_to_host (client, "127.0.0.1", tap->target_port, NULL, &error);
  g_assert_no_error (error);

  up->from = g_object_ref (G_IO_STREAM (connection));
  up->to = g_object_ref (G_IO_STREAM (upstream));
  up->record = g_byte_array_new ();
  g_ptr_array_add (tap->sent, g_byte_array_ref (up->record));
  down->from = g_object_ref (G_IO_STREAM (upstream));
  down->to = g_object_ref (G_IO_STREAM (connection));
  pipe_read (up);
  pipe_read (down);

  return TRUE;
}

static Tap *
tap_new (guint target_port)
{
  Tap *tap = g_new0 (Tap, 1);
  g_autoptr(GError) error = NULL;

  tap->sent = g_ptr_array_new_with_free_func ((GDestroyNotify) g_byte_array_unref);
  tap->target_port = target_port;
  tap->service = g_socket_service_new ();
  tap->port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (tap->service), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (tap->service, "incoming", G_CALLBACK (tap_incoming_cb), tap);
  g_socket_service_start (tap->service);

  return tap;
}

static void
tap_free (Tap *tap)
{
  g_socket_service_stop (tap->service);
  g_socket_listener_close (G_SOCKET_LISTENER (tap->service));
  g_object_unref (tap->service);
  g_ptr_array_unref (tap->sent);
  g_free (tap);
}

/* What a guest's connection carried as text: past the HTTP upgrade, the
 * payloads of its WebSocket frames unmasked, as anyone on the path could
 * read them. A TLS connection yields nothing readable.
 */
static GString *
dup_websocket_text (GByteArray *bytes)
{
  const guint8 *data = bytes->data;
  const guint8 *head_end = (const guint8 *) g_strstr_len ((const char *) data, bytes->len, "\r\n\r\n");
  GString *text = g_string_new (NULL);
  gsize at;

  if (head_end == NULL)
    return text;

  at = head_end + 4 - data;
  while (at + 2 <= bytes->len)
    {
      guint64 length = data[at + 1] & 0x7f;
      gboolean masked = (data[at + 1] & 0x80) != 0;
      gsize header = 2;
      const guint8 *mask;

      if (length == 126 && at + 4 <= bytes->len)
        {
          length = ((guint64) data[at + 2] << 8) | data[at + 3];
          header = 4;
        }
      else if (length == 127)
        {
          break;  /* nothing a test sends is that long */
        }

      if (!masked || at + header + 4 + length > bytes->len)
        break;

      mask = data + at + header;
      for (guint64 i = 0; i < length; i++)
        g_string_append_c (text, (char) (data[at + header + 4 + i] ^ mask[i % 4]));
      at += header + 4 + length;
    }

  return text;
}

static guint
tap_total (Tap *tap)
{
  guint total = 0;

  for (guint i = 0; i < tap->sent->len; i++)
    total += ((GByteArray *) g_ptr_array_index (tap->sent, i))->len;

  return total;
}

/* Whether @text crossed the tap where anyone could read it. */
static gboolean
tap_saw (Tap        *tap,
         const char *text)
{
  for (guint i = 0; i < tap->sent->len; i++)
    {
      GByteArray *bytes = g_ptr_array_index (tap->sent, i);
      g_autoptr(GString) readable = dup_websocket_text (bytes);

      if (strstr (readable->str, text) != NULL ||
          g_strstr_len ((const char *) bytes->data, bytes->len, text) != NULL)
        return TRUE;
    }

  return FALSE;
}

/* Whether a hello crossed the tap */
static gboolean
tap_saw_hello (Tap *tap)
{
  return tap_saw (tap, "\"type\":\"hello\"");
}

/* Types @password in the password dialog and presses Join. */
static void
answer_password (TertuliaWindow *window,
                 const char     *password)
{
  GtkWidget *dialog;
  GtkEditable *row;

  WAIT_UNTIL ((dialog = _tertulia_start_page_get_password_dialog (start_page (window))) != NULL &&
              gtk_widget_get_mapped (dialog));
  row = _tertulia_start_page_get_password_dialog_row (start_page (window));
  gtk_editable_set_text (row, password);
  g_signal_emit_by_name (row, "entry-activated");
  g_assert_null (_tertulia_start_page_get_password_dialog (start_page (window)));
}

/* A room with TLS off and a password: the app asks before the password
 * goes out. Cancel sends nothing; Send Anyway joins.
 */
static void
test_plain_password (void)
{
  TertuliaServer *server = NULL;
  g_autofree char *direct = NULL;
  g_autofree char *address = NULL;
  TertuliaWindow *window;
  AdwMessageDialog *dialog;
  Tap *tap;

  server = start_server (NULL, 0, PASSWORD, &direct);
  tap = tap_new (tertulia_server_get_port (server));
  address = g_strdup_printf ("127.0.0.1:%u", tap->port);

  window = new_window ();
  join_by_address (window, address);
  answer_password (window, PASSWORD);

  dialog = wait_for_security_dialog (window);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Send the Password Unencrypted?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "not encrypted"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "could read the password"));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "send"), ==, ADW_RESPONSE_DESTRUCTIVE);
  /* The app did talk to the host (it asked for the password), but never
   * with the password.
   */
  g_assert_cmpuint (tap_total (tap), >, 0);
  g_assert_true (tap_saw_hello (tap));
  g_assert_false (tap_saw (tap, PASSWORD));

  /* Cancel: back where it was, nothing lost, nothing sent. */
  answer (dialog, "cancel");
  tertulia_test_spin (300);
  g_assert_cmpstr (page_name (window), ==, "start");
  g_assert_null (_tertulia_start_page_get_password_dialog (start_page (window)));
  g_assert_cmpstr (gtk_editable_get_text (_tertulia_start_page_get_address_row (start_page (window))), ==, address);
  g_assert_false (tap_saw (tap, PASSWORD));

  /* Again, and this time Send Anyway: in, as the person chose, and the
   * header says the room is not encrypted.
   */
  join_by_address (window, address);
  answer_password (window, PASSWORD);
  dialog = wait_for_security_dialog (window);
  answer (dialog, "send");
  WAIT_UNTIL (g_strcmp0 (page_name (window), "chat") == 0);
  g_assert_true (tap_saw (tap, PASSWORD));
  g_assert_false (tertulia_client_get_encrypted (window_client (window)));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (lock_button (window))), ==, "Not encrypted");

  tertulia_window_leave (window);
  ui_test_destroy_window (window);
  stop_server (&server);
  /* The tap's pipes see their ends close. */
  tertulia_test_spin (100);
  tap_free (tap);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  /* Before anything here reaches for the system bus. */
  fake = fake_avahi_new ();
  app = ui_test_application_new ();

  g_test_add_func ("/window/tls/join-encrypted", test_join_encrypted);
  g_test_add_func ("/window/tls/join-plain", test_join_plain);
  g_test_add_func ("/window/tls/mismatch", test_mismatch);
  g_test_add_func ("/window/tls/plain-password", test_plain_password);
  g_test_add_func ("/window/tls/lan-fingerprint", test_lan_fingerprint);
  g_test_add_func ("/window/tls/key-changed-in-room", test_key_changed_in_room);
  g_test_add_func ("/window/tls/damaged-identity", test_damaged_identity);

  ret = g_test_run ();

  g_clear_object (&app);
  tertulia_test_spin (50);
  fake_avahi_free (fake);

  return ret;
}

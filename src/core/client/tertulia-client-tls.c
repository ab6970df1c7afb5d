/* tertulia-client-tls.c — a guest's encryption: the host's fingerprint, pins, plain text
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-client"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tertulia-address.h"
#include "tertulia-client-private.h"
#include "tertulia-fingerprint.h"
#include "tertulia-known-hosts.h"
#include "tertulia-util-private.h"

enum {
  PROP_TLS_0,
  PROP_ENCRYPTED,
  PROP_PEER_FINGERPRINT,
  PROP_EXPECTED_FINGERPRINT,
  PROP_ALLOW_PLAIN_PASSWORD,
  N_TLS_PROPS
};

static GParamSpec *tls_properties [N_TLS_PROPS];
static guint first_id;


/* Properties */

void
_tertulia_client_tls_install_properties (GObjectClass *object_class,
                                         guint         first_prop_id)
{
  first_id = first_prop_id;

  tls_properties[PROP_ENCRYPTED] =
    g_param_spec_boolean ("encrypted", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  tls_properties[PROP_PEER_FINGERPRINT] =
    g_param_spec_string ("peer-fingerprint", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  tls_properties[PROP_EXPECTED_FINGERPRINT] =
    g_param_spec_string ("expected-fingerprint", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  tls_properties[PROP_ALLOW_PLAIN_PASSWORD] =
    g_param_spec_boolean ("allow-plain-password", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  for (guint i = 1; i < N_TLS_PROPS; i++)
    g_object_class_install_property (object_class, first_id + i - 1, tls_properties[i]);
}

gboolean
_tertulia_client_tls_get_property (TertuliaClient *self,
                                   guint           prop_id,
                                   GValue         *value)
{
  switch (prop_id - first_id + 1)
    {
    case PROP_ENCRYPTED:
      g_value_set_boolean (value, self->encrypted);
      return TRUE;
    case PROP_PEER_FINGERPRINT:
      g_value_set_string (value, self->peer_fingerprint);
      return TRUE;
    case PROP_EXPECTED_FINGERPRINT:
      g_value_set_string (value, tertulia_client_get_expected_fingerprint (self));
      return TRUE;
    case PROP_ALLOW_PLAIN_PASSWORD:
      g_value_set_boolean (value, self->allow_plain_password);
      return TRUE;
    default:
      return FALSE;
    }
}

gboolean
_tertulia_client_tls_set_property (TertuliaClient *self,
                                   guint           prop_id,
                                   const GValue   *value)
{
  switch (prop_id - first_id + 1)
    {
    case PROP_EXPECTED_FINGERPRINT:
      tertulia_client_set_expected_fingerprint (self, g_value_get_string (value));
      return TRUE;
    case PROP_ALLOW_PLAIN_PASSWORD:
      tertulia_client_set_allow_plain_password (self, g_value_get_boolean (value));
      return TRUE;
    default:
      return FALSE;
    }
}

void
_tertulia_client_tls_finalize (TertuliaClient *self)
{
  g_clear_pointer (&self->fingerprint_given, g_free);
  g_clear_pointer (&self->expected_fingerprint, g_free);
  g_clear_pointer (&self->peer_fingerprint, g_free);
}

static void
set_encrypted (TertuliaClient *self,
               gboolean        encrypted)
{
  encrypted = !!encrypted;
  if (self->encrypted == encrypted)
    return;

  self->encrypted = encrypted;
  g_object_notify_by_pspec (G_OBJECT (self), tls_properties[PROP_ENCRYPTED]);
}

static void
set_peer_fingerprint (TertuliaClient *self,
                      const char     *fingerprint)
{
  if (_tertulia_set_str (&self->peer_fingerprint, fingerprint))
    g_object_notify_by_pspec (G_OBJECT (self), tls_properties[PROP_PEER_FINGERPRINT]);
}

static void
set_expected (TertuliaClient *self,
              const char     *fingerprint)
{
  if (_tertulia_set_str (&self->expected_fingerprint, fingerprint))
    g_object_notify_by_pspec (G_OBJECT (self), tls_properties[PROP_EXPECTED_FINGERPRINT]);
}


/* Public API */

gboolean
tertulia_client_get_encrypted (TertuliaClient *self)
{
  g_return_val_if_fail (TERTULIA_IS_CLIENT (self), FALSE);

  return self->encrypted;
}

const char *
tertulia_client_get_peer_fingerprint (TertuliaClient *self)
{
  g_return_val_if_fail (TERTULIA_IS_CLIENT (self), NULL);

  return self->peer_fingerprint;
}

const char *
tertulia_client_get_expected_fingerprint (TertuliaClient *self)
{
  g_return_val_if_fail (TERTULIA_IS_CLIENT (self), NULL);

  if (self->expected_fingerprint != NULL)
    return self->expected_fingerprint;

  return self->fingerprint_given;
}

void
tertulia_client_set_expected_fingerprint (TertuliaClient *self,
                                          const char     *fingerprint)
{
  g_return_if_fail (TERTULIA_IS_CLIENT (self));
  g_return_if_fail (fingerprint == NULL || tertulia_fingerprint_is_valid (fingerprint));

  if (_tertulia_set_str (&self->fingerprint_given, fingerprint))
    {
      g_clear_pointer (&self->expected_fingerprint, g_free);
      g_object_notify_by_pspec (G_OBJECT (self), tls_properties[PROP_EXPECTED_FINGERPRINT]);
    }
}

void
_tertulia_client_set_loopback_is_network (TertuliaClient *self,
                                          gboolean        is_network)
{
  self->loopback_is_network = !!is_network;
}

/* The room is on this computer: what is sent to it crosses no network */
static gboolean
address_is_loopback (TertuliaClient *self)
{
  g_autofree char *uri_text = tertulia_address_to_websocket_uri (self->address, NULL);
  g_autoptr(GUri) uri = uri_text != NULL ? g_uri_parse (uri_text, G_URI_FLAGS_NONE, NULL) : NULL;
  g_autoptr(GInetAddress) inet = NULL;
  const char *host;

  if (uri == NULL || self->loopback_is_network)
    return FALSE;

  host = g_uri_get_host (uri);
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  inet = g_inet_address_new_from_string (host);
  return inet != NULL && g_inet_address_get_is_loopback (inet);
}

/* Pins are for hosts on other machines: a room on this computer (the
 * app's own, a tertulia-server next to it) is reached by no one in the
 * middle, and its port is soon another room's
 */
static gboolean
uses_pins (TertuliaClient *self)
{
  return self->use_pins && !address_is_loopback (self);
}

static char *
dup_pin_key (TertuliaClient *self)
{
  return tertulia_address_dup_pin_key (self->address);
}

void
tertulia_client_trust_new_fingerprint (TertuliaClient *self)
{
  g_autofree char *key = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (TERTULIA_IS_CLIENT (self));

  key = dup_pin_key (self);

  /* A host that now answers in plain text, trusted anyway: no pin, so
   * that the next attempt may join it so
   */
  if (self->peer_fingerprint == NULL)
    {
      if (uses_pins (self) && !tertulia_known_hosts_forget (key, &error))
        g_warning ("Could not forget the pin of %s: %s", key, error->message);
      tertulia_client_set_expected_fingerprint (self, NULL);
      return;
    }

  if (uses_pins (self) && !tertulia_known_hosts_pin (key, self->peer_fingerprint, &error))
    g_warning ("Could not pin the fingerprint of %s: %s", key, error->message);

  /* Above the address's #fp= too: the person chose this one */
  tertulia_client_set_expected_fingerprint (self, self->peer_fingerprint);
}

void
tertulia_client_set_allow_plain_password (TertuliaClient *self,
                                          gboolean        allow)
{
  g_return_if_fail (TERTULIA_IS_CLIENT (self));

  allow = !!allow;
  if (self->allow_plain_password == allow)
    return;

  self->allow_plain_password = allow;
  g_object_notify_by_pspec (G_OBJECT (self), tls_properties[PROP_ALLOW_PLAIN_PASSWORD]);
}

gboolean
tertulia_client_get_allow_plain_password (TertuliaClient *self)
{
  g_return_val_if_fail (TERTULIA_IS_CLIENT (self), FALSE);

  return self->allow_plain_password;
}

void
tertulia_client_set_use_pins (TertuliaClient *self,
                              gboolean        use_pins)
{
  g_return_if_fail (TERTULIA_IS_CLIENT (self));

  self->use_pins = !!use_pins;
}


/* Each attempt */

char *
_tertulia_client_tls_attempt_uri (TertuliaClient  *self,
                                  GError         **error)
{
  g_autofree char *uri = NULL;
  g_autofree char *link = NULL;
  g_autofree char *pin = NULL;
  const char *typed;

  uri = tertulia_address_to_websocket_uri (self->address, error);
  if (uri == NULL)
    return NULL;

  link = tertulia_address_dup_fingerprint (self->address, error);
  if (link == NULL && error != NULL && *error != NULL)
    return NULL;

  /* Worked out afresh each time, so that a pin made by another program
   * (tertulia-cli and the app share them) is followed at a reconnection
   */
  if (self->fingerprint_given == NULL && link == NULL && uses_pins (self))
    {
      g_autofree char *key = dup_pin_key (self);

      pin = tertulia_known_hosts_lookup (key);
    }

  set_expected (self, self->fingerprint_given != NULL ? self->fingerprint_given
                      : link != NULL ? link : pin);
  self->fingerprint_refused = FALSE;
  self->certificate_seen = FALSE;

  if (self->plain_attempt)
    return g_steal_pointer (&uri);

  /* A ws:// address asks for plain text in so many words (a host of a
   * version before TLS answers a TLS hello with nothing): taken at its word
   * unless the host is known to be encrypted
   */
  typed = self->address;
  while (g_ascii_isspace (*typed))
    typed++;
  if (self->expected_fingerprint == NULL && g_ascii_strncasecmp (typed, "ws://", 5) == 0)
    return g_steal_pointer (&uri);

  /* Otherwise (a bare address, http:// and the links) TLS is tried first */
  if (g_str_has_prefix (uri, "ws://"))
    {
      char *wss = g_strconcat ("wss://", uri + strlen ("ws://"), NULL);

      g_free (uri);
      uri = wss;
    }

  return g_steal_pointer (&uri);
}

gboolean
_tertulia_client_tls_accept (const char      *fingerprint,
                             GTlsCertificate *certificate)
{
  g_autofree char *presented = NULL;

  if (certificate == NULL)
    return FALSE;

  presented = tertulia_fingerprint_from_certificate (certificate);

  return fingerprint == NULL || tertulia_fingerprint_equal (presented, fingerprint);
}

/* No certificate authority: a host is who its fingerprint says (see
 * tertulia-client.h). Certificates are self-signed, so GnuTLS always asks.
 */
static gboolean
accept_certificate_cb (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  TertuliaClient *self = user_data;
  g_autofree char *presented = tertulia_fingerprint_from_certificate (certificate);

  set_peer_fingerprint (self, presented);
  self->certificate_seen = TRUE;

  if (_tertulia_client_tls_accept (self->expected_fingerprint, certificate))
    return TRUE;

  g_debug ("%s: refusing a certificate whose fingerprint is %s, not %s",
           self->display_name, presented, self->expected_fingerprint);
  self->fingerprint_refused = TRUE;

  return FALSE;
}

void
_tertulia_client_tls_watch (TertuliaClient *self,
                            SoupMessage    *msg)
{
  g_signal_connect_object (msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), self, 0);
}

static char *
describe_mismatch (TertuliaClient *self)
{
  return g_strdup_printf (/* Translators: %s is an address such as 192.168.1.20:7878 */
                          _("%s is not the host you expected: its fingerprint is different. Someone on the network may be pretending to be it. Compare both fingerprints with the host’s before you trust the new one."),
                          self->display_name);
}

gboolean
_tertulia_client_tls_check_connected (TertuliaClient       *self,
                                      SoupMessage          *msg,
                                      TertuliaClientError  *code,
                                      char                **sentence)
{
  GTlsCertificate *certificate = soup_message_get_tls_peer_certificate (msg);

  if (certificate != NULL)
    {
      g_autofree char *presented = tertulia_fingerprint_from_certificate (certificate);

      set_peer_fingerprint (self, presented);

      /* A certificate a CA vouched for never reaches accept-certificate:
       * it is checked here all the same
       */
      if (!_tertulia_client_tls_accept (self->expected_fingerprint, certificate))
        {
          *code = TERTULIA_CLIENT_ERROR_FINGERPRINT_MISMATCH;
          *sentence = describe_mismatch (self);
          return FALSE;
        }

      set_encrypted (self, TRUE);

      if (uses_pins (self))
        {
          g_autofree char *key = dup_pin_key (self);
          g_autofree char *pinned = tertulia_known_hosts_lookup (key);
          g_autoptr(GError) error = NULL;

          /* Trust on first use; and a fingerprint a link or the LAN gave,
           * and that the host proved, is the pin from now on
           */
          if (!tertulia_fingerprint_equal (pinned, presented) &&
              !tertulia_known_hosts_pin (key, presented, &error))
            g_warning ("Could not pin the fingerprint of %s: %s", key, error->message);
        }

      return TRUE;
    }

  set_peer_fingerprint (self, NULL);
  set_encrypted (self, FALSE);

  if (self->password != NULL && !self->allow_plain_password && !address_is_loopback (self))
    {
      *code = TERTULIA_CLIENT_ERROR_PLAIN_PASSWORD;
      *sentence = g_strdup_printf (/* Translators: %s is an address such as 192.168.1.20:7878 */
                                   _("The room at %s is not encrypted: anyone on the network could read its password as it goes. Send it only if you trust this network."),
                                   self->display_name);
      return FALSE;
    }

  return TRUE;
}

gboolean
_tertulia_client_tls_check_failed (TertuliaClient       *self,
                                   const GError         *error,
                                   gboolean             *retry_plain,
                                   TertuliaClientError  *code,
                                   char                **sentence)
{
  *retry_plain = FALSE;

  if (self->fingerprint_refused)
    {
      *code = TERTULIA_CLIENT_ERROR_FINGERPRINT_MISMATCH;
      *sentence = describe_mismatch (self);
      return TRUE;
    }

  /* GnuTLS reads a plain HTTP answer ("HTTP/1.1 400", which a host with
   * TLS off gives a TLS handshake at once) as "not TLS" or as "an
   * unexpected packet", before any certificate
   */
  if (self->certificate_seen ||
      !(g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_NOT_TLS) ||
        g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_MISC)))
    return FALSE;

  /* The host answered in plain text. That is a host with TLS turned off,
   * or someone in the middle who wants us to speak in the clear: only an
   * address we know nothing of may be joined so.
   */
  set_peer_fingerprint (self, NULL);
  if (self->expected_fingerprint != NULL)
    {
      *code = TERTULIA_CLIENT_ERROR_FINGERPRINT_MISMATCH;
      *sentence = g_strdup_printf (/* Translators: %s is an address such as 192.168.1.20:7878 */
                                   _("%s answered without encryption, but it was encrypted before (or its invitation says it is). Someone on the network may be pretending to be it; ask the host."),
                                   self->display_name);
      return TRUE;
    }

  g_debug ("%s: the host speaks plain text; joining it so", self->display_name);
  *retry_plain = TRUE;
  return TRUE;
}

/* tertulia-host-identity.c — the host's self-signed certificate and key
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-host-identity"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "tertulia-host-identity.h"

#define CERT_FILE "cert.pem"
#define KEY_FILE  "key.pem"

/* What guests see as the certificate's subject: nobody checks it (they
 * check the fingerprint), it only says what the certificate is for.
 */
#define SUBJECT_CN "Tertulia host"

static gboolean
gnutls_failed (int          ret,
               const char  *what,
               GError     **error)
{
  if (ret >= 0)
    return FALSE;

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               "Could not make the host's certificate (%s): %s", what, gnutls_strerror (ret));
  return TRUE;
}

static void
datum_free (gnutls_datum_t *datum)
{
  gnutls_free (datum->data);
  datum->data = NULL;
  datum->size = 0;
}

/* A new ECDSA P-256 key and a certificate for it, signed by itself, as
 * PEM: ECDSA P-256 is what every TLS stack speaks (Ed25519 certificates
 * are not accepted by all of them yet), and its keys are made in a blink.
 */
static gboolean
identity_generate (char   **cert_pem,
                   char   **key_pem,
                   GError **error)
{
  gnutls_x509_privkey_t key = NULL;
  gnutls_x509_crt_t crt = NULL;
  gnutls_datum_t cert_out = { NULL, 0 };
  gnutls_datum_t key_out = { NULL, 0 };
  guint8 serial[16];
  time_t now = time (NULL);
  gboolean ok = FALSE;

  if (gnutls_failed (gnutls_x509_privkey_init (&key), "key", error) ||
      gnutls_failed (gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                                   GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0),
                     "key", error) ||
      gnutls_failed (gnutls_x509_crt_init (&crt), "certificate", error))
    goto out;

  /* A positive serial number, random so that two hosts never share one */
  if (gnutls_failed (gnutls_rnd (GNUTLS_RND_NONCE, serial, sizeof serial), "serial", error))
    goto out;
  serial[0] &= 0x7f;
  serial[0] |= 0x01;

  /* No end date (RFC 5280, 4.1.2.5): the fingerprint must outlive any
   * date a host could be left running until. A day back for clocks that
   * are behind.
   */
  if (gnutls_failed (gnutls_x509_crt_set_version (crt, 3), "version", error) ||
      gnutls_failed (gnutls_x509_crt_set_serial (crt, serial, sizeof serial), "serial", error) ||
      gnutls_failed (gnutls_x509_crt_set_activation_time (crt, now - 24 * 60 * 60), "time", error) ||
      gnutls_failed (gnutls_x509_crt_set_expiration_time (crt, GNUTLS_X509_NO_WELL_DEFINED_EXPIRATION),
                     "time", error) ||
      gnutls_failed (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0,
                                                    SUBJECT_CN, strlen (SUBJECT_CN)),
                     "subject", error) ||
      gnutls_failed (gnutls_x509_crt_set_key (crt, key), "key", error) ||
      gnutls_failed (gnutls_x509_crt_set_basic_constraints (crt, 0, -1), "constraints", error) ||
      gnutls_failed (gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_DIGITAL_SIGNATURE), "usage", error) ||
      gnutls_failed (gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_SERVER, 0), "purpose", error) ||
      gnutls_failed (gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0), "signature", error) ||
      gnutls_failed (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &cert_out), "export", error) ||
      gnutls_failed (gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL,
                                                        GNUTLS_PKCS_PLAIN, &key_out),
                     "export", error))
    goto out;

  *cert_pem = g_strndup ((const char *) cert_out.data, cert_out.size);
  *key_pem = g_strndup ((const char *) key_out.data, key_out.size);
  ok = TRUE;

out:
  if (key_out.data != NULL)
    {
      /* The key's bytes do not linger in freed memory */
      memset (key_out.data, 0, key_out.size);
      datum_free (&key_out);
    }
  datum_free (&cert_out);
  if (crt != NULL)
    gnutls_x509_crt_deinit (crt);
  if (key != NULL)
    gnutls_x509_privkey_deinit (key);

  return ok;
}

char *
tertulia_host_identity_dup_default_directory (void)
{
  return g_build_filename (g_get_user_data_dir (), "tertulia", "host-identity", NULL);
}

GTlsCertificate *
tertulia_host_identity_new_ephemeral (GError **error)
{
  g_autofree char *cert_pem = NULL;
  g_autofree char *key_pem = NULL;
  g_autofree char *both = NULL;
  GTlsCertificate *certificate;

  if (!identity_generate (&cert_pem, &key_pem, error))
    return NULL;

  both = g_strconcat (cert_pem, key_pem, NULL);
  certificate = g_tls_certificate_new_from_pem (both, -1, error);
  memset (both, 0, strlen (both));
  memset (key_pem, 0, strlen (key_pem));

  return certificate;
}

GTlsCertificate *
tertulia_host_identity_load_files (const char  *cert_file,
                                   const char  *key_file,
                                   GError     **error)
{
  g_return_val_if_fail (cert_file != NULL, NULL);
  g_return_val_if_fail (key_file != NULL, NULL);

  return g_tls_certificate_new_from_files (cert_file, key_file, error);
}

static gboolean
write_file (const char  *path,
            const char  *contents,
            int          mode,
            GError     **error)
{
  return g_file_set_contents_full (path, contents, -1,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_ONLY_EXISTING,
                                   mode, error);
}

GTlsCertificate *
tertulia_host_identity_load_or_create (const char  *directory,
                                       GError     **error)
{
  g_autofree char *cert_path = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *cert_pem = NULL;
  g_autofree char *key_pem = NULL;
  gboolean have_cert, have_key;

  g_return_val_if_fail (directory != NULL, NULL);

  cert_path = g_build_filename (directory, CERT_FILE, NULL);
  key_path = g_build_filename (directory, KEY_FILE, NULL);
  have_cert = g_file_test (cert_path, G_FILE_TEST_EXISTS);
  have_key = g_file_test (key_path, G_FILE_TEST_EXISTS);

  if (have_cert || have_key)
    {
      g_autoptr(GError) local_error = NULL;
      GTlsCertificate *certificate;

      /* Half a pair is damage: making a new one would change the
       * fingerprint under every guest's pin without a word.
       */
      certificate = g_tls_certificate_new_from_files (cert_path, key_path, &local_error);
      if (certificate == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                     "The host's certificate in %s cannot be read (%s); move the folder away to make a new one, and tell your guests its fingerprint changed",
                     directory, local_error->message);
      return certificate;
    }

  if (g_mkdir_with_parents (directory, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Could not make %s: %s", directory, g_strerror (saved_errno));
      return NULL;
    }

  if (!identity_generate (&cert_pem, &key_pem, error))
    return NULL;

  /* The key first: a certificate without its key on disk would be a
   * damaged pair at the next start.
   */
  if (!write_file (key_path, key_pem, 0600, error))
    return NULL;
  memset (key_pem, 0, strlen (key_pem));
  if (!write_file (cert_path, cert_pem, 0644, error))
    {
      g_unlink (key_path);
      return NULL;
    }

  g_debug ("made a new host certificate in %s", directory);

  return g_tls_certificate_new_from_files (cert_path, key_path, error);
}

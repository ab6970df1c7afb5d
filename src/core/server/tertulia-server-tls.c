/* tertulia-server-tls.c — the host's certificate and what it offers browsers
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-server"
#define TERTULIA_SERVER_COMPILATION

#include "config.h"

#include "tertulia-address.h"
#include "tertulia-fingerprint.h"
#include "tertulia-server.h"
#include "tertulia-server-http.h"
#include "tertulia-server-private.h"

enum {
  PROP_TLS_0,
  PROP_TLS_CERTIFICATE,
  PROP_FINGERPRINT,
  PROP_HTTPS_FOR_BROWSERS,
  N_TLS_PROPS
};

static GParamSpec *tls_properties [N_TLS_PROPS];
static guint first_id;

void
_tertulia_server_tls_install_properties (GObjectClass *object_class,
                                         guint         first_prop_id)
{
  /* Numbered after the server's own, which end at @first_prop_id - 1 */
  first_id = first_prop_id;

  tls_properties[PROP_TLS_CERTIFICATE] =
    g_param_spec_object ("tls-certificate", NULL, NULL,
                         G_TYPE_TLS_CERTIFICATE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  tls_properties[PROP_FINGERPRINT] =
    g_param_spec_string ("fingerprint", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  tls_properties[PROP_HTTPS_FOR_BROWSERS] =
    g_param_spec_boolean ("https-for-browsers", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  for (guint i = 1; i < N_TLS_PROPS; i++)
    g_object_class_install_property (object_class, first_id + i - 1, tls_properties[i]);
}

gboolean
_tertulia_server_tls_get_property (TertuliaServer *self,
                                   guint           prop_id,
                                   GValue         *value)
{
  switch (prop_id - first_id + 1)
    {
    case PROP_TLS_CERTIFICATE:
      g_value_set_object (value, self->tls_certificate);
      return TRUE;
    case PROP_FINGERPRINT:
      g_value_set_string (value, self->fingerprint);
      return TRUE;
    case PROP_HTTPS_FOR_BROWSERS:
      g_value_set_boolean (value, self->https_for_browsers);
      return TRUE;
    default:
      return FALSE;
    }
}

gboolean
_tertulia_server_tls_set_property (TertuliaServer *self,
                                   guint           prop_id,
                                   const GValue   *value)
{
  switch (prop_id - first_id + 1)
    {
    case PROP_TLS_CERTIFICATE:
      tertulia_server_set_tls_certificate (self, g_value_get_object (value));
      return TRUE;
    case PROP_HTTPS_FOR_BROWSERS:
      tertulia_server_set_https_for_browsers (self, g_value_get_boolean (value));
      return TRUE;
    default:
      return FALSE;
    }
}

void
_tertulia_server_tls_finalize (TertuliaServer *self)
{
  g_clear_object (&self->tls_certificate);
  g_clear_pointer (&self->fingerprint, g_free);
}

void
tertulia_server_set_tls_certificate (TertuliaServer  *self,
                                     GTlsCertificate *certificate)
{
  g_return_if_fail (TERTULIA_IS_SERVER (self));
  g_return_if_fail (certificate == NULL || G_IS_TLS_CERTIFICATE (certificate));

  if (!g_set_object (&self->tls_certificate, certificate))
    return;

  g_clear_pointer (&self->fingerprint, g_free);
  if (certificate != NULL)
    self->fingerprint = tertulia_fingerprint_from_certificate (certificate);

  if (self->http != NULL)
    _tertulia_http_set_certificate (self->http, certificate);

  g_object_notify_by_pspec (G_OBJECT (self), tls_properties[PROP_TLS_CERTIFICATE]);
  g_object_notify_by_pspec (G_OBJECT (self), tls_properties[PROP_FINGERPRINT]);
}

GTlsCertificate *
tertulia_server_get_tls_certificate (TertuliaServer *self)
{
  g_return_val_if_fail (TERTULIA_IS_SERVER (self), NULL);

  return self->tls_certificate;
}

const char *
tertulia_server_get_fingerprint (TertuliaServer *self)
{
  g_return_val_if_fail (TERTULIA_IS_SERVER (self), NULL);

  return self->fingerprint;
}

void
tertulia_server_set_https_for_browsers (TertuliaServer *self,
                                        gboolean        https)
{
  g_return_if_fail (TERTULIA_IS_SERVER (self));

  https = !!https;
  if (self->https_for_browsers == https)
    return;

  self->https_for_browsers = https;
  g_object_notify_by_pspec (G_OBJECT (self), tls_properties[PROP_HTTPS_FOR_BROWSERS]);
}

gboolean
tertulia_server_get_https_for_browsers (TertuliaServer *self)
{
  g_return_val_if_fail (TERTULIA_IS_SERVER (self), FALSE);

  return self->https_for_browsers;
}

char *
tertulia_server_dup_invitation (TertuliaServer *self,
                                const char     *host)
{
  g_return_val_if_fail (TERTULIA_IS_SERVER (self), NULL);
  g_return_val_if_fail (host != NULL, NULL);

  if (self->port == 0)
    return NULL;

  /* https:// only means something with a certificate to serve it */
  return tertulia_address_build_invitation (host, self->port, self->fingerprint,
                                            self->https_for_browsers && self->fingerprint != NULL);
}

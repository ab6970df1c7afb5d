/* tertulia-cli-tls.c — what tertulia-cli says about encryption
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-cli"

#include "config.h"

#include <stdio.h>

#include <glib/gi18n-lib.h>

#include "tertulia-fingerprint.h"

#include "tertulia-cli-private.h"

/* For people: groups of digits, or a word for "none" */
static char *
dup_readable (const char *fingerprint)
{
  char *formatted = fingerprint != NULL ? tertulia_fingerprint_format (fingerprint) : NULL;

  if (formatted != NULL)
    return formatted;

  /* Translators: in place of a fingerprint, for a host that answered without encryption */
  return g_strdup (_("none (not encrypted)"));
}

/* "  LABEL VALUE", the values of two such lines one under the other */
static void
print_labelled (const char *label,
                const char *value,
                const char *other_label)
{
  glong width = MAX (g_utf8_strlen (label, -1), g_utf8_strlen (other_label, -1));
  glong pad = width - g_utf8_strlen (label, -1);

  g_printerr ("  %s%*s %s\n", label, (int) pad, "", value);
}

void
_tertulia_cli_print_fingerprint_mismatch (TertuliaClient *client,
                                          gboolean        trusting)
{
  g_autofree char *expected = dup_readable (tertulia_client_get_expected_fingerprint (client));
  g_autofree char *presented = dup_readable (tertulia_client_get_peer_fingerprint (client));

  g_printerr ("\n%s\n", _("WARNING: THIS IS NOT THE HOST YOU EXPECTED."));
  g_printerr ("%s\n", _("Someone on the network may be pretending to be it, or the host made a new certificate."));
  /* Translators: followed by the fingerprint, 8 groups of 5 digits */
  print_labelled (_("Expected fingerprint:"), expected, _("Host’s fingerprint:"));
  /* Translators: followed by the fingerprint, 8 groups of 5 digits */
  print_labelled (_("Host’s fingerprint:"), presented, _("Expected fingerprint:"));

  if (trusting)
    g_printerr ("%s\n\n", _("Trusting the host’s new fingerprint, as --trust-new-fingerprint asks."));
  else
    /* Translators: keep "--trust-new-fingerprint" as it is, it is an option */
    g_printerr ("%s\n\n", _("Ask the host to read you its fingerprint. Only if it matches, run again with --trust-new-fingerprint."));
}

char *
_tertulia_cli_dup_encryption_notice (TertuliaClient *client)
{
  g_autofree char *formatted = NULL;

  if (!tertulia_client_get_encrypted (client))
    return g_strdup (_("The connection is not encrypted: others on the network can read this room."));

  formatted = dup_readable (tertulia_client_get_peer_fingerprint (client));
  /* Translators: %s is the host's fingerprint as 8 groups of 5 digits */
  return g_strdup_printf (_("The connection is encrypted. The host’s fingerprint: %s"), formatted);
}

gboolean
_tertulia_cli_fingerprint_changed (TertuliaClient *client)
{
  const char *expected = tertulia_client_get_expected_fingerprint (client);

  return expected != NULL &&
         !tertulia_fingerprint_equal (expected, tertulia_client_get_peer_fingerprint (client));
}

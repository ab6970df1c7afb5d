/* main.c — the Tertulia app's entry point
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia"

#include "config.h"

#include <glib/gi18n.h>

#include "tertulia-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TertuliaApplication) app = NULL;

  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = tertulia_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}

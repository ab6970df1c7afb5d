/* main.c — the Tertulia app's entry point
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia"

#include "config.h"

#include <glib/gi18n.h>

#include <sys/resource.h>

#include "tertulia-application.h"

/* A hosted room takes hundreds of guests, each a socket, and desktop
 * sessions often start us with a soft limit of 1024 open files: use what
 * the hard limit allows, as tertulia-server does. (Nothing here uses
 * select(), which such numbers would break.)
 */
static void
raise_fd_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = limit.rlim_max;
      if (setrlimit (RLIMIT_NOFILE, &limit) != 0)
        g_debug ("could not raise the limit on open files");
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TertuliaApplication) app = NULL;

  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  raise_fd_limit ();

  app = tertulia_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}

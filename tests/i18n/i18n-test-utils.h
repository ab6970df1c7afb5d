/* i18n-test-utils.h — a catalog from the build, found the way the app finds one
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <locale.h>
#include <unistd.h>
#include <glib.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

/* Binds the text domain as main.c does, but to a temporary
 * DIR/LANGUAGE/LC_MESSAGES/tertulia.mo linked to @mo (a catalog compiled
 * from po/LANGUAGE.po in the build tree). Returns DIR, for
 * i18n_test_unbind_catalog().
 */
static inline char *
i18n_test_bind_catalog (const char *language,
                        const char *mo)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *messages = NULL;
  g_autofree char *link = NULL;
  g_autofree char *target = NULL;
  char *dir;

  if (mo == NULL || !g_file_test (mo, G_FILE_TEST_IS_REGULAR))
    g_error ("No compiled catalog for %s at %s", language, mo != NULL ? mo : "(unset)");
  target = g_canonicalize_filename (mo, NULL);

  dir = g_dir_make_tmp ("tertulia-i18n-XXXXXX", &error);
  g_assert_no_error (error);
  messages = g_build_filename (dir, language, "LC_MESSAGES", NULL);
  g_assert_cmpint (g_mkdir_with_parents (messages, 0700), ==, 0);
  link = g_build_filename (messages, GETTEXT_PACKAGE ".mo", NULL);
  g_assert_cmpint (symlink (target, link), ==, 0);

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Every language translates this one; if it comes back in English,
   * gettext is not reading the catalog (LANGUAGE unset, or LC_ALL=C).
   */
  if (g_strcmp0 (g_dgettext (GETTEXT_PACKAGE, "translator-credits"), "translator-credits") == 0)
    g_error ("gettext does not use %s for LANGUAGE=%s (LC_ALL=%s)", target,
             g_getenv ("LANGUAGE"), g_getenv ("LC_ALL"));

  return dir;
}

static inline void
i18n_test_unbind_catalog (char       *dir,
                          const char *language)
{
  g_autofree char *messages = g_build_filename (dir, language, "LC_MESSAGES", NULL);
  g_autofree char *link = g_build_filename (messages, GETTEXT_PACKAGE ".mo", NULL);
  g_autofree char *parent = g_path_get_dirname (messages);

  g_unlink (link);
  g_rmdir (messages);
  g_rmdir (parent);
  g_rmdir (dir);
  g_free (dir);
}

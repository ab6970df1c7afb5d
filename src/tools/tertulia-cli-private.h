/* tertulia-cli-private.h — what the files of tertulia-cli share
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit codes, also documented in --help. */
enum {
  EXIT_OK = 0,
  EXIT_USAGE = 1,
  EXIT_CONNECT_FAILED = 2,  /* also: --discover could not look (no Avahi) */
};

/* @text (from the wire) made safe to print: control and format characters
 * become U+FFFD, a newline starts an indented line.
 */
char *_tertulia_cli_sanitize_for_terminal (const char *text);

/* --discover: lists the rooms found within @seconds; an exit code. */
int   _tertulia_cli_discover_rooms        (guint       seconds);

G_END_DECLS

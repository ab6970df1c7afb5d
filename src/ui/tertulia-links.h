/* tertulia-links.h — the web links in a message
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Byte offsets of one link in a message's text. */
typedef struct
{
  gsize start;
  gsize end;
} TertuliaLink;

/* The http(s):// and www. links in @text, in order, or NULL when there are
 * none.
 */
GArray *_tertulia_links_find      (const char   *text);

/* Where @link in @text leads: "www." links get "http://". */
char   *_tertulia_link_dup_uri    (const char         *text,
                                   const TertuliaLink *link);

/* Pango markup for @text with @links made clickable (<a href>), every piece
 * escaped.
 */
char   *_tertulia_links_to_markup (const char   *text,
                                   const GArray *links);

/* The two together: NULL when @text has no link (use it as plain text). */
char   *_tertulia_links_linkify   (const char   *text);

/* @text with each of @links wrapped in LRI … PDI, so that bidi controls
 * around a link cannot make it read as another address; @links are moved
 * to the new text. (Links stop at bidi controls, see _tertulia_links_find().)
 */
char   *_tertulia_links_isolate   (const char   *text,
                                   GArray       *links);

G_END_DECLS

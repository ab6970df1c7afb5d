/* tertulia-web.h — the browser guest page, served over plain HTTP by a host
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* A SoupServerCallback for "/": answers GET and HEAD for the page's files
 * (index.html at "/") from the built-in GResource, with a strict
 * Content-Security-Policy; other methods get 405 and other paths 404.
 */
void     tertulia_web_handle_request    (SoupServer        *server,
                                         SoupServerMessage *msg,
                                         const char        *path,
                                         GHashTable        *query,
                                         gpointer           user_data);

/* Whether a WebSocket upgrade may go ahead: TRUE when the request has no
 * Origin (native clients) or when the Origin is this host's own page
 * ("http://" or "https://" followed by the request's Host). A host must
 * refuse the upgrade with 403 otherwise, so that other web sites cannot
 * drive a visitor's browser into the room.
 */
gboolean tertulia_web_origin_is_allowed (SoupServerMessage *msg);

G_END_DECLS

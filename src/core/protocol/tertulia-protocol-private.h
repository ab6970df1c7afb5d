/* tertulia-protocol-private.h — what the protocol's files share
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "tertulia-protocol.h"

G_BEGIN_DECLS

/* The root object of @data (@length bytes of UTF-8 text), or NULL with
 * @error set: it refuses more than @max_bytes (0 for no limit), nesting
 * deeper than TERTULIA_MAX_JSON_DEPTH, anything but one object, and the
 * escapes json-glib would get wrong. Scanned before JsonParser sees it.
 */
JsonNode *_tertulia_protocol_load_frame (const char  *data,
                                         gsize        length,
                                         gsize        max_bytes,
                                         GError     **error);

/* issue 19. tertulia-protocol-parse.c: its readers (see there) */
gboolean _tertulia_protocol_read_string     (JsonObject     *object,
                                             const char     *where,
                                             const char     *member,
                                             gboolean        required,
                                             const char    **out,
                                             GError        **error);
gboolean _tertulia_protocol_read_int        (JsonObject     *object,
                                             const char     *where,
                                             const char     *member,
                                             gboolean        required,
                                             gint64         *out,
                                             GError        **error);
gboolean _tertulia_protocol_read_bool       (JsonObject     *object,
                                             const char     *where,
                                             const char     *member,
                                             gboolean        required,
                                             gboolean       *out,
                                             GError        **error);
gboolean _tertulia_protocol_read_object     (JsonObject     *object,
                                             const char     *where,
                                             const char     *member,
                                             gboolean        required,
                                             JsonObject    **out,
                                             GError        **error);
/* "from", "by": id and nick */
gboolean _tertulia_protocol_read_short_peer (JsonObject     *object,
                                             const char     *where,
                                             const char     *member,
                                             TertuliaPeer   *peer,
                                             GError        **error);
/* seq and time */
gboolean _tertulia_protocol_read_event      (JsonObject     *object,
                                             const char     *where,
                                             TertuliaFrame  *frame,
                                             GError        **error);
/* An optional, valid "cid" */
gboolean _tertulia_protocol_read_cid        (JsonObject     *object,
                                             const char     *where,
                                             char          **out,
                                             GError        **error);

/* tertulia-protocol-conversation.c: the frames of issue 19 */
TertuliaFrame *_tertulia_protocol_parse_react          (JsonObject *object, const char *where, GError **error);
TertuliaFrame *_tertulia_protocol_parse_edit_message   (JsonObject *object, const char *where, GError **error);
TertuliaFrame *_tertulia_protocol_parse_delete_message (JsonObject *object, const char *where, GError **error);
TertuliaFrame *_tertulia_protocol_parse_set_typing     (JsonObject *object, const char *where, GError **error);
TertuliaFrame *_tertulia_protocol_parse_reaction       (JsonObject *object, const char *where, GError **error);
TertuliaFrame *_tertulia_protocol_parse_edit           (JsonObject *object, const char *where, GError **error);
TertuliaFrame *_tertulia_protocol_parse_delete         (JsonObject *object, const char *where, GError **error);
TertuliaFrame *_tertulia_protocol_parse_typing         (JsonObject *object, const char *where, GError **error);
/* say: the optional "reply_to" seq */
gboolean       _tertulia_protocol_read_reply_to        (JsonObject     *object,
                                                        const char     *where,
                                                        TertuliaFrame  *frame,
                                                        GError        **error);
/* message: the optional "reply_to" quote */
gboolean       _tertulia_protocol_read_quote           (JsonObject     *object,
                                                        const char     *where,
                                                        TertuliaFrame  *frame,
                                                        GError        **error);
/* The members after "type" of the frames above; a say's or a message's
 * "reply_to" when it has one.
 */
void           _tertulia_protocol_build_conversation   (JsonBuilder         *builder,
                                                        const TertuliaFrame *frame);
void           _tertulia_protocol_build_reply_to       (JsonBuilder         *builder,
                                                        const TertuliaFrame *frame);

G_END_DECLS

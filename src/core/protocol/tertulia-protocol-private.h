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

/* issue 18: the readers and writers of tertulia-protocol-parse.c and
 * -serialize.c, for the frames of tertulia-protocol-moderation.c. They
 * behave as described there: @where names the container in error
 * sentences, an absent optional member leaves *@out alone (strings,
 * objects, arrays: NULL).
 */
gboolean _tertulia_protocol_read_string   (JsonObject    *object,
                                           const char    *where,
                                           const char    *member,
                                           gboolean       required,
                                           const char   **out,
                                           GError       **error);
gboolean _tertulia_protocol_read_int      (JsonObject    *object,
                                           const char    *where,
                                           const char    *member,
                                           gboolean       required,
                                           gint64        *out,
                                           GError       **error);
gboolean _tertulia_protocol_read_bool     (JsonObject    *object,
                                           const char    *where,
                                           const char    *member,
                                           gboolean       required,
                                           gboolean      *out,
                                           GError       **error);
gboolean _tertulia_protocol_read_object   (JsonObject    *object,
                                           const char    *where,
                                           const char    *member,
                                           gboolean       required,
                                           JsonObject   **out,
                                           GError       **error);
gboolean _tertulia_protocol_read_array    (JsonObject    *object,
                                           const char    *where,
                                           const char    *member,
                                           gboolean       required,
                                           JsonArray    **out,
                                           GError       **error);
gboolean _tertulia_protocol_read_peer     (JsonObject    *object,
                                           const char    *where,
                                           const char    *member,
                                           gboolean       full,
                                           TertuliaPeer  *peer,
                                           GError       **error);
gboolean _tertulia_protocol_read_event    (JsonObject    *object,
                                           const char    *where,
                                           TertuliaFrame *frame,
                                           GError       **error);

void     _tertulia_protocol_add_string    (JsonBuilder   *builder,
                                           const char    *member,
                                           const char    *value);
void     _tertulia_protocol_add_int       (JsonBuilder   *builder,
                                           const char    *member,
                                           gint64         value);
void     _tertulia_protocol_add_bool      (JsonBuilder   *builder,
                                           const char    *member,
                                           gboolean       value);
void     _tertulia_protocol_add_peer      (JsonBuilder   *builder,
                                           const char    *member,
                                           const TertuliaPeer *peer,
                                           gboolean       full);
void     _tertulia_protocol_add_event     (JsonBuilder   *builder,
                                           const TertuliaFrame *frame);

/* tertulia-protocol-moderation.c: the frames of issue 18 */
/* Every client frame of moderation and private messages ("kick", "ban",
 * …, "msg"): it reads "type" again to know which.
 */
TertuliaFrame *_tertulia_protocol_parse_moderation_request (JsonObject  *object,
                                                            const char  *where,
                                                            GError     **error);
TertuliaFrame *_tertulia_protocol_parse_moderation         (JsonObject  *object,
                                                            const char  *where,
                                                            GError     **error);
TertuliaFrame *_tertulia_protocol_parse_bans               (JsonObject  *object,
                                                            const char  *where,
                                                            GError     **error);
TertuliaFrame *_tertulia_protocol_parse_private            (JsonObject  *object,
                                                            const char  *where,
                                                            GError     **error);
/* A full peer's "role" and "muted" (absent: from "host", and FALSE) */
gboolean       _tertulia_protocol_read_peer_moderation     (JsonObject    *object,
                                                            const char    *where,
                                                            TertuliaPeer  *peer,
                                                            GError       **error);
/* welcome.room's "locked", "slow_seconds", "private_messages", and the
 * welcome's "private"
 */
gboolean       _tertulia_protocol_read_welcome_moderation  (JsonObject    *welcome,
                                                            JsonObject    *room,
                                                            const char    *where,
                                                            TertuliaFrame *frame,
                                                            GError       **error);
void           _tertulia_protocol_add_peer_moderation      (JsonBuilder        *builder,
                                                            const TertuliaPeer *peer);
void           _tertulia_protocol_add_room_moderation      (JsonBuilder         *builder,
                                                            const TertuliaFrame *welcome);
void           _tertulia_protocol_add_welcome_privates     (JsonBuilder         *builder,
                                                            const TertuliaFrame *welcome);
/* The wire name of one of issue 18's frame types, or NULL */
const char    *_tertulia_protocol_moderation_type_name     (TertuliaFrameType    type);
/* Builds the members of one of issue 18's frames; FALSE for other types */
gboolean       _tertulia_protocol_build_moderation         (JsonBuilder         *builder,
                                                            const TertuliaFrame *frame);
void           _tertulia_protocol_moderation_frame_clear   (TertuliaFrame       *frame);
void           _tertulia_protocol_moderation_frame_init    (TertuliaFrame       *frame);
/* The translated sentence for one of issue 18's error codes, or NULL */
const char    *_tertulia_protocol_describe_moderation_error (const char        *code);
/* "from", "by": id and nick */
gboolean _tertulia_protocol_read_short_peer (JsonObject     *object,
                                             const char     *where,
                                             const char     *member,
                                             TertuliaPeer   *peer,
                                             GError        **error);
/* An optional, valid "cid" */
gboolean _tertulia_protocol_read_cid        (JsonObject     *object,
                                             const char     *where,
                                             char          **out,
                                             GError        **error);
/* A required "text", normalized and checked as a say's (say, edit, msg) */
gboolean _tertulia_protocol_read_text       (JsonObject     *object,
                                             const char     *where,
                                             char          **out,
                                             GError        **error);

/* tertulia-protocol-serialize.c: its writers (issue 19) */
void     _tertulia_protocol_add_short_peer  (JsonBuilder        *builder,
                                             const char         *member,
                                             const TertuliaPeer *peer);

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

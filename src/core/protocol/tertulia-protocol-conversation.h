/* tertulia-protocol-conversation.h — replies, reactions, edits, deletions
 * and typing on the wire (issue 19)
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tertulia-protocol.h"

G_BEGIN_DECLS

/* An emoji is one grapheme cluster of at most this many bytes (a family
 * with skin tones is 25–35 bytes; "👍" is 4).
 */
#define TERTULIA_MAX_EMOJI_BYTES          32
/* Distinct emoji on one message */
#define TERTULIA_MAX_REACTIONS            20
/* A reply's quote: the first line of the original, cut to this many
 * characters (an ellipsis added when cut)
 */
#define TERTULIA_MAX_QUOTE_CHARS          120
/* The host relays at most one typing frame per participant in this time */
#define TERTULIA_TYPING_RELAY_SECONDS     3
/* Clients take "active": true as valid for this long unless renewed */
#define TERTULIA_TYPING_EXPIRY_SECONDS    6

/* @emoji checked and NFC-normalized, or NULL with @error set
 * (TERTULIA_PROTOCOL_ERROR_EMOJI_INVALID): empty, over
 * TERTULIA_MAX_EMOJI_BYTES, a control, bidi or line-breaking character,
 * or more than one grapheme cluster ("👍👍", "ab").
 */
char *tertulia_protocol_normalize_emoji (const char  *emoji,
                                         GError     **error);
/* The quote of a reply: the first non-blank line of @text, at most
 * TERTULIA_MAX_QUOTE_CHARS characters ("…" ends one that was cut).
 */
char *tertulia_protocol_quote_text      (const char  *text);

G_END_DECLS

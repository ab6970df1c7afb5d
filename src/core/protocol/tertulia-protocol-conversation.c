/* tertulia-protocol-conversation.c — replies, reactions, edits, deletions
 * and typing on the wire (issue 19)
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-protocol"

#include "config.h"

#include <string.h>

#include <unicode/ubrk.h>

#include "tertulia-protocol-conversation.h"
#include "tertulia-protocol-private.h"

/* The GError messages set here go on the wire as the "message" of an error
 * frame: English sentences, deliberately not translated.
 */

/* Emoji */

/* What an emoji may hold besides symbols, letters and marks: the
 * zero-width joiner of sequences ("👩‍💻") and the tags of subdivision
 * flags ("🏴 + tags"). Every other format character (bidi controls, zero-width
 * spaces), controls, separators, private use and unassigned code points
 * are refused.
 */
static gboolean
emoji_char_is_allowed (gunichar c)
{
  GUnicodeType type = g_unichar_type (c);

  if (type == G_UNICODE_FORMAT)
    return c == 0x200D || (c >= 0xE0020 && c <= 0xE007F);

  return type != G_UNICODE_CONTROL && type != G_UNICODE_UNASSIGNED &&
         type != G_UNICODE_PRIVATE_USE && type != G_UNICODE_SURROGATE &&
         type != G_UNICODE_LINE_SEPARATOR && type != G_UNICODE_PARAGRAPH_SEPARATOR &&
         type != G_UNICODE_SPACE_SEPARATOR &&
         c != 0x200E && c != 0x200F && c != 0x061C;
}

/* ICU's extended grapheme clusters (UAX #29, with the emoji rules) */
static gboolean
is_one_grapheme (const char *text)
{
  g_autofree gunichar2 *utf16 = NULL;
  UBreakIterator *iter;
  UErrorCode status = U_ZERO_ERROR;
  glong length = 0;
  int32_t first;
  int32_t second;

  utf16 = g_utf8_to_utf16 (text, -1, NULL, &length, NULL);
  if (utf16 == NULL || length == 0)
    return FALSE;

  iter = ubrk_open (UBRK_CHARACTER, NULL, (const UChar *) utf16, (int32_t) length, &status);
  if (U_FAILURE (status))
    return FALSE;

  first = ubrk_first (iter);
  second = ubrk_next (iter);
  ubrk_close (iter);

  return first == 0 && second == length;
}

char *
tertulia_protocol_normalize_emoji (const char  *emoji,
                                   GError     **error)
{
  g_autofree char *normal = NULL;
  gsize length;

  g_return_val_if_fail (emoji != NULL, NULL);

  length = strlen (emoji);

  /* Checked before normalizing: the cost stays bounded whatever comes */
  if (length == 0 || length > TERTULIA_MAX_EMOJI_BYTES || !g_utf8_validate (emoji, length, NULL))
    goto invalid;

  for (const char *p = emoji; *p != '\0'; p = g_utf8_next_char (p))
    if (!emoji_char_is_allowed (g_utf8_get_char (p)))
      goto invalid;

  normal = g_utf8_normalize (emoji, -1, G_NORMALIZE_NFC);
  if (normal == NULL || strlen (normal) > TERTULIA_MAX_EMOJI_BYTES || !is_one_grapheme (normal))
    goto invalid;

  return g_steal_pointer (&normal);

invalid:
  g_set_error (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_EMOJI_INVALID,
               "A reaction must be one emoji (one character as people see it), at most %d bytes, "
               "without control or direction characters.", TERTULIA_MAX_EMOJI_BYTES);
  return NULL;
}

char *
tertulia_protocol_quote_text (const char *text)
{
  const char *start;
  const char *end;
  const char *cut;
  glong n_chars;

  g_return_val_if_fail (text != NULL, NULL);

  /* The first line with something on it */
  start = text;
  for (;;)
    {
      end = strchr (start, '\n');
      if (end == NULL)
        end = start + strlen (start);

      for (const char *p = start; p < end; p = g_utf8_next_char (p))
        if (!g_unichar_isspace (g_utf8_get_char (p)))
          goto found;

      if (*end == '\0')
        return g_strdup ("");
      start = end + 1;
    }

found:
  while (start < end && g_unichar_isspace (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);

  n_chars = g_utf8_strlen (start, end - start);
  if (n_chars <= TERTULIA_MAX_QUOTE_CHARS)
    {
      g_autofree char *line = g_strndup (start, end - start);

      return g_strchomp (g_steal_pointer (&line));
    }

  cut = g_utf8_offset_to_pointer (start, TERTULIA_MAX_QUOTE_CHARS - 1);
  {
    g_autofree char *line = g_strndup (start, cut - start);

    return g_strconcat (g_strchomp (line), "…", NULL);
  }
}

/* Parsing */

static gboolean
read_target (JsonObject     *object,
             const char     *where,
             TertuliaFrame  *frame,
             GError        **error)
{
  if (!_tertulia_protocol_read_int (object, where, "target", TRUE, &frame->target_seq, error))
    return FALSE;

  if (frame->target_seq < 1)
    {
      g_set_error (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_INVALID_FRAME,
                   "The “target” member of %s must be the seq of a message, at least 1.", where);
      return FALSE;
    }

  return TRUE;
}

/* react, edit, delete from a client: an optional cid and the target */
static TertuliaFrame *
parse_amendment (TertuliaFrameType   type,
                 JsonObject         *object,
                 const char         *where,
                 GError            **error)
{
  g_autoptr(TertuliaFrame) frame = tertulia_frame_new (type);

  if (!_tertulia_protocol_read_cid (object, where, &frame->cid, error) ||
      !read_target (object, where, frame, error))
    return NULL;

  return g_steal_pointer (&frame);
}

TertuliaFrame *
_tertulia_protocol_parse_react (JsonObject  *object,
                                const char  *where,
                                GError     **error)
{
  g_autoptr(TertuliaFrame) frame = parse_amendment (TERTULIA_FRAME_REACT, object, where, error);
  const char *emoji;

  if (frame == NULL)
    return NULL;

  frame->add = TRUE;
  if (!_tertulia_protocol_read_string (object, where, "emoji", TRUE, &emoji, error) ||
      !_tertulia_protocol_read_bool (object, where, "add", FALSE, &frame->add, error))
    return NULL;

  frame->emoji = tertulia_protocol_normalize_emoji (emoji, error);
  if (frame->emoji == NULL)
    return NULL;

  return g_steal_pointer (&frame);
}

TertuliaFrame *
_tertulia_protocol_parse_edit_message (JsonObject  *object,
                                       const char  *where,
                                       GError     **error)
{
  g_autoptr(TertuliaFrame) frame = parse_amendment (TERTULIA_FRAME_EDIT_MESSAGE, object, where, error);

  /* The same rules as a say */
  if (frame == NULL || !_tertulia_protocol_read_text (object, where, &frame->text, error))
    return NULL;

  return g_steal_pointer (&frame);
}

TertuliaFrame *
_tertulia_protocol_parse_delete_message (JsonObject  *object,
                                         const char  *where,
                                         GError     **error)
{
  return parse_amendment (TERTULIA_FRAME_DELETE_MESSAGE, object, where, error);
}

TertuliaFrame *
_tertulia_protocol_parse_set_typing (JsonObject  *object,
                                     const char  *where,
                                     GError     **error)
{
  g_autoptr(TertuliaFrame) frame = tertulia_frame_new (TERTULIA_FRAME_SET_TYPING);

  if (!_tertulia_protocol_read_bool (object, where, "active", TRUE, &frame->active, error))
    return NULL;

  return g_steal_pointer (&frame);
}

gboolean
_tertulia_protocol_read_reply_to (JsonObject     *object,
                                  const char     *where,
                                  TertuliaFrame  *frame,
                                  GError        **error)
{
  if (!_tertulia_protocol_read_int (object, where, "reply_to", FALSE, &frame->reply_to, error))
    return FALSE;

  if (json_object_has_member (object, "reply_to") && frame->reply_to < 1 &&
      !JSON_NODE_HOLDS_NULL (json_object_get_member (object, "reply_to")))
    {
      g_set_error (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_INVALID_FRAME,
                   "The “reply_to” member of %s must be the seq of a message, at least 1.", where);
      return FALSE;
    }

  return TRUE;
}

/* Server frames: the host validated them; the shape is checked and the
 * strings are kept as sent.
 */

/* reaction, edit, delete events: seq, time, target, from */
static TertuliaFrame *
parse_amendment_event (TertuliaFrameType   type,
                       JsonObject         *object,
                       const char         *where,
                       GError            **error)
{
  g_autoptr(TertuliaFrame) frame = tertulia_frame_new (type);

  if (!_tertulia_protocol_read_event (object, where, frame, error) ||
      !_tertulia_protocol_read_int (object, where, "target", TRUE, &frame->target_seq, error) ||
      !_tertulia_protocol_read_short_peer (object, where, "from", &frame->peer, error))
    return NULL;

  return g_steal_pointer (&frame);
}

TertuliaFrame *
_tertulia_protocol_parse_reaction (JsonObject  *object,
                                   const char  *where,
                                   GError     **error)
{
  g_autoptr(TertuliaFrame) frame = parse_amendment_event (TERTULIA_FRAME_REACTION, object, where, error);
  const char *emoji;

  if (frame == NULL ||
      !_tertulia_protocol_read_string (object, where, "emoji", TRUE, &emoji, error) ||
      !_tertulia_protocol_read_bool (object, where, "add", TRUE, &frame->add, error))
    return NULL;

  frame->emoji = g_strdup (emoji);

  return g_steal_pointer (&frame);
}

TertuliaFrame *
_tertulia_protocol_parse_edit (JsonObject  *object,
                               const char  *where,
                               GError     **error)
{
  g_autoptr(TertuliaFrame) frame = parse_amendment_event (TERTULIA_FRAME_EDIT, object, where, error);
  const char *text;

  if (frame == NULL ||
      !_tertulia_protocol_read_string (object, where, "text", TRUE, &text, error))
    return NULL;

  frame->text = g_strdup (text);

  return g_steal_pointer (&frame);
}

TertuliaFrame *
_tertulia_protocol_parse_delete (JsonObject  *object,
                                 const char  *where,
                                 GError     **error)
{
  return parse_amendment_event (TERTULIA_FRAME_DELETE, object, where, error);
}

TertuliaFrame *
_tertulia_protocol_parse_typing (JsonObject  *object,
                                 const char  *where,
                                 GError     **error)
{
  g_autoptr(TertuliaFrame) frame = tertulia_frame_new (TERTULIA_FRAME_TYPING);

  if (!_tertulia_protocol_read_short_peer (object, where, "from", &frame->peer, error) ||
      !_tertulia_protocol_read_bool (object, where, "active", TRUE, &frame->active, error))
    return NULL;

  return g_steal_pointer (&frame);
}

gboolean
_tertulia_protocol_read_quote (JsonObject     *object,
                               const char     *where,
                               TertuliaFrame  *frame,
                               GError        **error)
{
  g_autofree char *quote_where = NULL;
  JsonObject *quote;
  const char *text;

  if (!_tertulia_protocol_read_object (object, where, "reply_to", FALSE, &quote, error))
    return FALSE;

  if (quote == NULL)
    return TRUE;

  quote_where = g_strdup_printf ("“reply_to” in %s", where);
  if (!_tertulia_protocol_read_int (quote, quote_where, "seq", TRUE, &frame->reply_to, error) ||
      !_tertulia_protocol_read_short_peer (quote, quote_where, "from", &frame->reply_to_peer, error) ||
      !_tertulia_protocol_read_string (quote, quote_where, "text", TRUE, &text, error))
    return FALSE;

  frame->reply_to_text = g_strdup (text);

  return TRUE;
}

/* Serializing */

void
_tertulia_protocol_build_reply_to (JsonBuilder         *builder,
                                   const TertuliaFrame *frame)
{
  if (frame->reply_to < 1)
    return;

  if (frame->type == TERTULIA_FRAME_SAY)
    {
      _tertulia_protocol_add_int (builder, "reply_to", frame->reply_to);
      return;
    }

  json_builder_set_member_name (builder, "reply_to");
  json_builder_begin_object (builder);
  _tertulia_protocol_add_int (builder, "seq", frame->reply_to);
  _tertulia_protocol_add_short_peer (builder, "from", &frame->reply_to_peer);
  _tertulia_protocol_add_string (builder, "text", frame->reply_to_text);
  json_builder_end_object (builder);
}

void
_tertulia_protocol_build_conversation (JsonBuilder         *builder,
                                       const TertuliaFrame *frame)
{
  TertuliaFrameType type = frame->type;
  gboolean event = type == TERTULIA_FRAME_REACTION || type == TERTULIA_FRAME_EDIT ||
                   type == TERTULIA_FRAME_DELETE;

  if (type == TERTULIA_FRAME_SET_TYPING)
    {
      _tertulia_protocol_add_bool (builder, "active", frame->active);
      return;
    }

  if (type == TERTULIA_FRAME_TYPING)
    {
      _tertulia_protocol_add_short_peer (builder, "from", &frame->peer);
      _tertulia_protocol_add_bool (builder, "active", frame->active);
      return;
    }

  if (event)
    {
      _tertulia_protocol_add_int (builder, "seq", frame->seq);
      _tertulia_protocol_add_int (builder, "time", frame->time);
    }
  else if (frame->cid != NULL)
    {
      _tertulia_protocol_add_string (builder, "cid", frame->cid);
    }

  _tertulia_protocol_add_int (builder, "target", frame->target_seq);
  if (event)
    _tertulia_protocol_add_short_peer (builder, "from", &frame->peer);

  if (type == TERTULIA_FRAME_REACT || type == TERTULIA_FRAME_REACTION)
    {
      _tertulia_protocol_add_string (builder, "emoji", frame->emoji);
      _tertulia_protocol_add_bool (builder, "add", frame->add);
    }
  else if (type == TERTULIA_FRAME_EDIT_MESSAGE || type == TERTULIA_FRAME_EDIT)
    {
      _tertulia_protocol_add_string (builder, "text", frame->text);
    }
}

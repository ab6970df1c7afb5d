/* tertulia-protocol.c — frames ⇄ values: parse, validate, serialize
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-protocol"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tertulia-protocol.h"

/* The GError messages set here go on the wire as the "message" of an error
 * frame, so they are English sentences and deliberately not translated;
 * tertulia_protocol_describe_error() is the translated side.
 */

G_DEFINE_QUARK (tertulia-protocol-error-quark, tertulia_protocol_error)

static const char * const error_codes[] = {
  [TERTULIA_PROTOCOL_ERROR_MALFORMED_JSON]      = TERTULIA_ERROR_MALFORMED_JSON,
  [TERTULIA_PROTOCOL_ERROR_INVALID_FRAME]       = TERTULIA_ERROR_INVALID_FRAME,
  [TERTULIA_PROTOCOL_ERROR_UNKNOWN_TYPE]        = TERTULIA_ERROR_UNKNOWN_TYPE,
  [TERTULIA_PROTOCOL_ERROR_VERSION_UNSUPPORTED] = TERTULIA_ERROR_VERSION_UNSUPPORTED,
  [TERTULIA_PROTOCOL_ERROR_NICK_INVALID]        = TERTULIA_ERROR_NICK_INVALID,
  [TERTULIA_PROTOCOL_ERROR_NICK_TOO_LONG]       = TERTULIA_ERROR_NICK_TOO_LONG,
  [TERTULIA_PROTOCOL_ERROR_TEXT_EMPTY]          = TERTULIA_ERROR_TEXT_EMPTY,
  [TERTULIA_PROTOCOL_ERROR_TEXT_TOO_LONG]       = TERTULIA_ERROR_TEXT_TOO_LONG,
  [TERTULIA_PROTOCOL_ERROR_TEXT_INVALID]        = TERTULIA_ERROR_TEXT_INVALID,
  [TERTULIA_PROTOCOL_ERROR_TOPIC_TOO_LONG]      = TERTULIA_ERROR_TOPIC_TOO_LONG,
  [TERTULIA_PROTOCOL_ERROR_TOPIC_INVALID]       = TERTULIA_ERROR_TOPIC_INVALID,
};

const char *
tertulia_protocol_error_code (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != TERTULIA_PROTOCOL_ERROR ||
      error->code < 0 ||
      error->code >= (int) G_N_ELEMENTS (error_codes))
    return NULL;

  return error_codes[error->code];
}

static const struct {
  const char *code;
  const char *sentence;
} error_descriptions[] = {
  /* The numbers in these sentences are the limits in tertulia-protocol.h;
   * change them together.
   */
  { TERTULIA_ERROR_MALFORMED_JSON, N_("The host could not read what this app sent.") },
  { TERTULIA_ERROR_INVALID_FRAME, N_("The host did not understand what this app sent.") },
  { TERTULIA_ERROR_UNKNOWN_TYPE, N_("The host does not know what this app asked for.") },
  { TERTULIA_ERROR_BINARY_FRAME, N_("The host only accepts text.") },
  { TERTULIA_ERROR_VERSION_UNSUPPORTED, N_("The host runs a version of Tertulia that this app cannot talk to.") },
  { TERTULIA_ERROR_NOT_JOINED, N_("You have not joined the room yet.") },
  { TERTULIA_ERROR_ALREADY_JOINED, N_("You have already joined the room.") },
  { TERTULIA_ERROR_NICK_INVALID, N_("That nickname cannot be used: it is empty or has invisible or control characters.") },
  { TERTULIA_ERROR_NICK_TOO_LONG, N_("Nicknames can be at most 32 characters long.") },
  { TERTULIA_ERROR_NICK_TAKEN, N_("Someone in the room already has that nickname.") },
  { TERTULIA_ERROR_TEXT_EMPTY, N_("Messages cannot be empty.") },
  { TERTULIA_ERROR_TEXT_TOO_LONG, N_("Messages can be at most 4000 characters long.") },
  { TERTULIA_ERROR_TEXT_INVALID, N_("Messages cannot contain control characters other than tabs and new lines.") },
  { TERTULIA_ERROR_TOPIC_TOO_LONG, N_("Topics can be at most 200 characters long.") },
  { TERTULIA_ERROR_TOPIC_INVALID, N_("Topics cannot contain control characters or new lines.") },
  { TERTULIA_ERROR_HANDSHAKE_TIMEOUT, N_("The host stopped waiting for this app to join.") },
  { TERTULIA_ERROR_RATE_LIMITED, N_("You are sending too fast. Wait a moment and try again.") },
  { TERTULIA_ERROR_FLOODING, N_("The host disconnected you for sending too much, too fast.") },
  { TERTULIA_ERROR_ROOM_FULL, N_("The room is full.") },
  { TERTULIA_ERROR_TOO_MANY_CONNECTIONS, N_("There are too many connections from this device.") },
  { TERTULIA_ERROR_TOO_SLOW, N_("The connection was too slow to keep up with the room.") },
  { TERTULIA_ERROR_IDLE_TIMEOUT, N_("The host heard nothing from this app for too long.") },
  { TERTULIA_ERROR_PASSWORD_REQUIRED, N_("This room needs a password.") },
  { TERTULIA_ERROR_PASSWORD_WRONG, N_("That password is not right.") },
};

const char *
tertulia_protocol_describe_error (const char *code,
                                  const char *fallback)
{
  if (code != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (error_descriptions); i++)
        {
          if (g_str_equal (code, error_descriptions[i].code))
            return _(error_descriptions[i].sentence);
        }
    }

  if (fallback != NULL && fallback[0] != '\0')
    return fallback;

  return _("The host refused the request.");
}

/* Frames and peers */

TertuliaFrame *
tertulia_frame_new (TertuliaFrameType type)
{
  TertuliaFrame *frame = g_new0 (TertuliaFrame, 1);

  frame->type = type;

  if (type == TERTULIA_FRAME_HELLO || type == TERTULIA_FRAME_WELCOME)
    frame->version = TERTULIA_PROTOCOL_VERSION;

  if (type == TERTULIA_FRAME_WELCOME)
    {
      frame->participants = g_ptr_array_new_with_free_func ((GDestroyNotify) tertulia_peer_free);
      frame->history = g_ptr_array_new_with_free_func ((GDestroyNotify) tertulia_frame_free);
      frame->limits.text = TERTULIA_MAX_TEXT_CHARS;
      frame->limits.nick = TERTULIA_MAX_NICK_CHARS;
      frame->limits.topic = TERTULIA_MAX_TOPIC_CHARS;
      frame->limits.room_name = TERTULIA_MAX_ROOM_NAME_CHARS;
      frame->limits.frame_bytes = TERTULIA_MAX_FRAME_BYTES;
      frame->limits.history = TERTULIA_DEFAULT_HISTORY;
      frame->limits.json_depth = TERTULIA_MAX_JSON_DEPTH;
      frame->limits.hello_seconds = TERTULIA_HANDSHAKE_TIMEOUT_SECONDS;
      frame->limits.rate_burst = TERTULIA_RATE_BURST;
      frame->limits.rate_per_second = TERTULIA_RATE_PER_SECOND;
      frame->limits.connections = TERTULIA_MAX_CONNECTIONS;
      frame->limits.connections_per_address = TERTULIA_MAX_CONNECTIONS_PER_ADDRESS;
      frame->limits.queue_bytes = TERTULIA_MAX_QUEUED_BYTES;
      frame->limits.ping_seconds = TERTULIA_PING_SECONDS;
      frame->limits.idle_seconds = TERTULIA_IDLE_TIMEOUT_SECONDS;
    }

  return frame;
}

/* A password must not linger in freed memory, where a later bug or a core
 * dump could show it. The volatile pointer keeps the compiler from dropping
 * the writes as dead stores before the free.
 */
static void
wipe_free (char *secret)
{
  if (secret != NULL)
    {
      volatile char *p = secret;

      while (*p != '\0')
        *p++ = '\0';
      g_free (secret);
    }
}

void
tertulia_frame_free (TertuliaFrame *frame)
{
  if (frame == NULL)
    return;

  wipe_free (frame->password);
  g_free (frame->client_name);
  g_free (frame->resume_token);
  g_free (frame->host_key);
  g_free (frame->nick);
  g_free (frame->text);
  g_free (frame->cid);
  tertulia_peer_clear (&frame->peer);
  g_free (frame->old_nick);
  g_free (frame->new_nick);
  g_free (frame->topic);
  g_free (frame->room_id);
  g_free (frame->room_name);
  tertulia_peer_clear (&frame->you);
  g_clear_pointer (&frame->participants, g_ptr_array_unref);
  g_clear_pointer (&frame->history, g_ptr_array_unref);
  g_free (frame->code);
  g_free (frame->message);
  g_free (frame);
}

TertuliaPeer *
tertulia_peer_copy (const TertuliaPeer *peer)
{
  TertuliaPeer *copy;

  g_return_val_if_fail (peer != NULL, NULL);

  copy = g_new0 (TertuliaPeer, 1);
  copy->id = peer->id;
  copy->nick = g_strdup (peer->nick);
  copy->joined_at = peer->joined_at;
  copy->host = peer->host;

  return copy;
}

void
tertulia_peer_clear (TertuliaPeer *peer)
{
  g_return_if_fail (peer != NULL);

  g_clear_pointer (&peer->nick, g_free);
  peer->id = 0;
  peer->joined_at = 0;
  peer->host = FALSE;
}

void
tertulia_peer_free (TertuliaPeer *peer)
{
  if (peer == NULL)
    return;

  tertulia_peer_clear (peer);
  g_free (peer);
}

/* Normalization and validation */

/* NFC, then Unicode white space trimmed at both ends. @text must be valid
 * UTF-8.
 */
static char *
normalize_and_trim (const char *text)
{
  g_autofree char *nfc = g_utf8_normalize (text, -1, G_NORMALIZE_NFC);
  const char *start = nfc;
  const char *end = nfc + strlen (nfc);

  while (*start != '\0' && g_unichar_isspace (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);

  while (end > start)
    {
      const char *prev = g_utf8_prev_char (end);

      if (!g_unichar_isspace (g_utf8_get_char (prev)))
        break;
      end = prev;
    }

  return g_strndup (start, end - start);
}

static gboolean
nick_char_is_allowed (gunichar c)
{
  GUnicodeType type = g_unichar_type (c);

  /* FORMAT covers the bidi overrides (U+202A–E, U+2066–9) and the
   * zero-width characters (U+200B–D, U+2060, U+FEFF) that let one
   * nickname pass for another; UNASSIGNED covers the noncharacters.
   */
  if (type == G_UNICODE_CONTROL ||
      type == G_UNICODE_FORMAT ||
      type == G_UNICODE_UNASSIGNED ||
      type == G_UNICODE_PRIVATE_USE ||
      type == G_UNICODE_SURROGATE ||
      type == G_UNICODE_LINE_SEPARATOR ||
      type == G_UNICODE_PARAGRAPH_SEPARATOR)
    return FALSE;

  /* No-break, ideographic and other odd spaces look like a plain space */
  if (g_unichar_isspace (c) && c != ' ')
    return FALSE;

  return TRUE;
}

char *
tertulia_protocol_normalize_nick (const char  *nick,
                                  GError     **error)
{
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (nick != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_utf8_validate (nick, -1, NULL))
    {
      g_set_error_literal (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_NICK_INVALID,
                           "Nicknames must be valid UTF-8.");
      return NULL;
    }

  normalized = normalize_and_trim (nick);

  if (normalized[0] == '\0')
    {
      g_set_error_literal (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_NICK_INVALID,
                           "Nicknames cannot be empty.");
      return NULL;
    }

  for (const char *p = normalized; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (!nick_char_is_allowed (g_utf8_get_char (p)))
        {
          g_set_error_literal (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_NICK_INVALID,
                               "Nicknames cannot contain control, formatting, invisible or "
                               "unassigned characters, or white space other than plain spaces.");
          return NULL;
        }
    }

  if (g_utf8_strlen (normalized, -1) > TERTULIA_MAX_NICK_CHARS)
    {
      g_set_error (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_NICK_TOO_LONG,
                   "Nicknames can be at most %d characters long.", TERTULIA_MAX_NICK_CHARS);
      return NULL;
    }

  return g_steal_pointer (&normalized);
}

char *
tertulia_protocol_normalize_text (const char  *text,
                                  GError     **error)
{
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_TEXT_INVALID,
                           "Messages must be valid UTF-8.");
      return NULL;
    }

  normalized = normalize_and_trim (text);

  if (normalized[0] == '\0')
    {
      g_set_error_literal (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_TEXT_EMPTY,
                           "Messages cannot be empty.");
      return NULL;
    }

  for (const char *p = normalized; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* CONTROL is exactly C0, DEL and C1 */
      if (g_unichar_type (c) == G_UNICODE_CONTROL && c != '\t' && c != '\n')
        {
          g_set_error_literal (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_TEXT_INVALID,
                               "Messages cannot contain control characters other than tabs and newlines.");
          return NULL;
        }
    }

  if (g_utf8_strlen (normalized, -1) > TERTULIA_MAX_TEXT_CHARS)
    {
      g_set_error (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_TEXT_TOO_LONG,
                   "Messages can be at most %d characters long.", TERTULIA_MAX_TEXT_CHARS);
      return NULL;
    }

  return g_steal_pointer (&normalized);
}

char *
tertulia_protocol_normalize_topic (const char  *topic,
                                   GError     **error)
{
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (topic != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_utf8_validate (topic, -1, NULL))
    {
      g_set_error_literal (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_TOPIC_INVALID,
                           "Topics must be valid UTF-8.");
      return NULL;
    }

  normalized = normalize_and_trim (topic);

  for (const char *p = normalized; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (g_unichar_type (g_utf8_get_char (p)) == G_UNICODE_CONTROL)
        {
          g_set_error_literal (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_TOPIC_INVALID,
                               "Topics cannot contain control characters.");
          return NULL;
        }
    }

  if (g_utf8_strlen (normalized, -1) > TERTULIA_MAX_TOPIC_CHARS)
    {
      g_set_error (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_TOPIC_TOO_LONG,
                   "Topics can be at most %d characters long.", TERTULIA_MAX_TOPIC_CHARS);
      return NULL;
    }

  return g_steal_pointer (&normalized);
}

/* Cyrillic, Greek and a few Latin letters that look like a Latin letter
 * (after Unicode's confusables.txt, limited to letters that pass for one
 * in the fonts people chat in). Capitals and small letters are listed
 * apart because they resemble different letters: Greek Η is H, η is n. A
 * letter whose resemblance is only in the other case ("в" is a small
 * "В") is still mapped when its capital is, since keys are case-folded.
 * Sorted by code point for the binary search.
 */
static const struct {
  gunichar from;
  gunichar to;
} confusables[] = {
  { 0x0131, 'i' },  /* ı LATIN SMALL LETTER DOTLESS I */
  { 0x0251, 'a' },  /* ɑ LATIN SMALL LETTER ALPHA */
  { 0x0261, 'g' },  /* ɡ LATIN SMALL LETTER SCRIPT G */
  { 0x037F, 'J' },  /* Ϳ GREEK CAPITAL LETTER YOT */
  { 0x0391, 'A' },  /* Α */
  { 0x0392, 'B' },  /* Β */
  { 0x0395, 'E' },  /* Ε */
  { 0x0396, 'Z' },  /* Ζ */
  { 0x0397, 'H' },  /* Η */
  { 0x0399, 'I' },  /* Ι */
  { 0x039A, 'K' },  /* Κ */
  { 0x039C, 'M' },  /* Μ */
  { 0x039D, 'N' },  /* Ν */
  { 0x039F, 'O' },  /* Ο */
  { 0x03A1, 'P' },  /* Ρ */
  { 0x03A4, 'T' },  /* Τ */
  { 0x03A5, 'Y' },  /* Υ */
  { 0x03A7, 'X' },  /* Χ */
  { 0x03B1, 'a' },  /* α */
  { 0x03B3, 'y' },  /* γ */
  { 0x03B5, 'e' },  /* ε */
  { 0x03B7, 'n' },  /* η */
  { 0x03B9, 'i' },  /* ι */
  { 0x03BA, 'k' },  /* κ */
  { 0x03BD, 'v' },  /* ν */
  { 0x03BF, 'o' },  /* ο */
  { 0x03C1, 'p' },  /* ρ */
  { 0x03C4, 't' },  /* τ */
  { 0x03C5, 'u' },  /* υ */
  { 0x03C7, 'x' },  /* χ */
  { 0x03F2, 'c' },  /* ϲ GREEK LUNATE SIGMA SYMBOL */
  { 0x03F3, 'j' },  /* ϳ GREEK LETTER YOT */
  { 0x03F9, 'C' },  /* Ϲ GREEK CAPITAL LUNATE SIGMA SYMBOL */
  { 0x0405, 'S' },  /* Ѕ */
  { 0x0406, 'I' },  /* І */
  { 0x0408, 'J' },  /* Ј */
  { 0x0410, 'A' },  /* А */
  { 0x0412, 'B' },  /* В */
  { 0x0415, 'E' },  /* Е */
  { 0x041A, 'K' },  /* К */
  { 0x041C, 'M' },  /* М */
  { 0x041D, 'H' },  /* Н */
  { 0x041E, 'O' },  /* О */
  { 0x0420, 'P' },  /* Р */
  { 0x0421, 'C' },  /* С */
  { 0x0422, 'T' },  /* Т */
  { 0x0423, 'Y' },  /* У */
  { 0x0425, 'X' },  /* Х */
  { 0x0430, 'a' },  /* а */
  { 0x0435, 'e' },  /* е */
  { 0x043E, 'o' },  /* о */
  { 0x0440, 'p' },  /* р */
  { 0x0441, 'c' },  /* с */
  { 0x0443, 'y' },  /* у */
  { 0x0445, 'x' },  /* х */
  { 0x0455, 's' },  /* ѕ */
  { 0x0456, 'i' },  /* і */
  { 0x0458, 'j' },  /* ј */
  { 0x04AE, 'Y' },  /* Ү */
  { 0x04AF, 'y' },  /* ү */
  { 0x04BA, 'H' },  /* Һ */
  { 0x04BB, 'h' },  /* һ */
  { 0x04C0, 'I' },  /* Ӏ */
  { 0x04CF, 'l' },  /* ӏ */
  { 0x0501, 'd' },  /* ԁ */
  { 0x051B, 'q' },  /* ԛ */
  { 0x051D, 'w' },  /* ԝ */
};

static gunichar
unconfuse (gunichar c)
{
  gsize lo = 0;
  gsize hi = G_N_ELEMENTS (confusables);

  if (c < 0x0131 || c > 0x051D)
    return c;

  while (lo < hi)
    {
      gsize mid = (lo + hi) / 2;

      if (confusables[mid].from == c)
        return confusables[mid].to;
      if (confusables[mid].from < c)
        lo = mid + 1;
      else
        hi = mid;
    }

  return c;
}

/* @text with every confusable letter replaced by its Latin look-alike. */
static char *
dup_unconfused (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    g_string_append_unichar (out, unconfuse (g_utf8_get_char (p)));

  return g_string_free (out, FALSE);
}

char *
tertulia_protocol_nick_key (const char *nick)
{
  g_autofree char *decomposed = NULL;
  g_autofree char *unconfused = NULL;
  g_autofree char *folded = NULL;
  g_autofree char *refolded = NULL;

  g_return_val_if_fail (nick != NULL, NULL);
  g_return_val_if_fail (g_utf8_validate (nick, -1, NULL), NULL);

  /* NFKD first: compatibility forms ("ａｎａ") become plain letters, and
   * accents come apart from their base letter, so "ё" is "е" + ◌̈ and
   * its base letter is mapped like "е". Mapping again after case folding
   * catches capitals whose small letter is the confusable one; NFKC puts
   * the accents back.
   */
  decomposed = g_utf8_normalize (nick, -1, G_NORMALIZE_NFKD);
  unconfused = dup_unconfused (decomposed);
  folded = g_utf8_casefold (unconfused, -1);
  refolded = dup_unconfused (folded);

  return g_utf8_normalize (refolded, -1, G_NORMALIZE_NFKC);
}

static gboolean
cid_is_valid (const char *cid)
{
  gsize length = strlen (cid);

  if (length < 1 || length > TERTULIA_MAX_CID_BYTES)
    return FALSE;

  for (gsize i = 0; i < length; i++)
    {
      if (!g_ascii_isprint (cid[i]))
        return FALSE;
    }

  return TRUE;
}

/* Loading JSON safely */

static gboolean
malformed (GError     **error,
           const char  *sentence)
{
  g_set_error_literal (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_MALFORMED_JSON,
                       sentence);
  return FALSE;
}

/* JsonParser recurses once per nesting level, so a frame of 100 000
 * brackets would overflow the stack before any depth check could run on its
 * result. This scan walks the bytes once, without recursion, and refuses
 * what JsonParser should never see: nesting deeper than
 * TERTULIA_MAX_JSON_DEPTH, a top level that is not one object, data after
 * it, control characters inside strings, single quotes, bad escapes and
 * lone surrogates (json-glib 1.6 would turn those into invalid UTF-8).
 *
 * json-glib also cuts a string at a "\u0000" escape, silently: "ab\u0000cd"
 * would arrive as "ab". So *@has_nul_escape reports them, and when @fixed
 * (a copy of @data) is given, they are rewritten there as "\u0001", which
 * every validator refuses just like a NUL.
 *
 * @data is valid UTF-8 without NUL bytes (the caller checked).
 */
static gboolean
scan_json (const char  *data,
           gsize        length,
           char        *fixed,
           gboolean    *has_nul_escape,
           GError     **error)
{
  char stack[TERTULIA_MAX_JSON_DEPTH];
  guint depth = 0;
  gboolean started = FALSE;
  gboolean in_string = FALSE;
  gboolean pending_high_surrogate = FALSE;

  *has_nul_escape = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      guchar c = data[i];

      if (in_string)
        {
          if (c == '"')
            {
              if (pending_high_surrogate)
                return malformed (error, "The frame has a string with a lone surrogate escape.");
              in_string = FALSE;
            }
          else if (c == '\\')
            {
              if (i + 1 >= length)
                return malformed (error, "The frame is not valid JSON.");

              c = data[++i];

              if (c == 'u')
                {
                  guint code_point = 0;

                  if (length - i < 5)
                    return malformed (error, "The frame has a string with a bad \\u escape.");

                  for (guint k = 1; k <= 4; k++)
                    {
                      int digit = g_ascii_xdigit_value (data[i + k]);

                      if (digit < 0)
                        return malformed (error, "The frame has a string with a bad \\u escape.");
                      code_point = code_point * 16 + digit;
                    }
                  i += 4;

                  if (pending_high_surrogate)
                    {
                      if (code_point < 0xDC00 || code_point > 0xDFFF)
                        return malformed (error, "The frame has a string with a lone surrogate escape.");
                      pending_high_surrogate = FALSE;
                    }
                  else if (code_point >= 0xD800 && code_point <= 0xDBFF)
                    pending_high_surrogate = TRUE;
                  else if (code_point >= 0xDC00 && code_point <= 0xDFFF)
                    return malformed (error, "The frame has a string with a lone surrogate escape.");
                  else if (code_point == 0)
                    {
                      *has_nul_escape = TRUE;
                      if (fixed != NULL)
                        fixed[i] = '1';
                    }
                }
              else if (pending_high_surrogate || strchr ("\"\\/bfnrt", c) == NULL)
                {
                  return malformed (error, "The frame has a string with a bad escape.");
                }
            }
          else if (c < 0x20)
            {
              return malformed (error, "The frame has a control character inside a string; JSON needs it escaped.");
            }
          else if (pending_high_surrogate)
            {
              return malformed (error, "The frame has a string with a lone surrogate escape.");
            }

          continue;
        }

      switch (c)
        {
        case ' ':
        case '\t':
        case '\n':
        case '\r':
          break;

        case '{':
        case '[':
          if (depth == 0 && started)
            return malformed (error, "The frame has more data after its JSON object.");
          if (depth == 0 && c != '{')
            return malformed (error, "The frame is not a JSON object.");
          if (depth == TERTULIA_MAX_JSON_DEPTH)
            return malformed (error, "The frame is nested deeper than 8 levels.");
          stack[depth++] = c;
          started = TRUE;
          break;

        case '}':
        case ']':
          if (depth == 0 || stack[depth - 1] != (c == '}' ? '{' : '['))
            return malformed (error, "The frame is not valid JSON: its brackets do not match.");
          depth--;
          break;

        case '"':
          if (depth == 0)
            return malformed (error, started ? "The frame has more data after its JSON object."
                                             : "The frame is not a JSON object.");
          in_string = TRUE;
          break;

        default:
          if (depth == 0)
            return malformed (error, started ? "The frame has more data after its JSON object."
                                             : "The frame is not a JSON object.");
          /* Numbers, true, false, null and punctuation; JsonParser checks
           * the grammar, this only keeps out what it would wrongly accept.
           */
          if (strchr ("-+.0123456789Eaeflnrstu:,", c) == NULL)
            return malformed (error, "The frame is not valid JSON.");
          break;
        }
    }

  if (!started)
    return malformed (error, "The frame is empty.");

  if (depth > 0 || in_string)
    return malformed (error, "The frame is not valid JSON: it ends too early.");

  return TRUE;
}

/* Returns the root object of @data, or NULL with @error set.
 * @max_bytes is 0 for no limit.
 */
static JsonNode *
load_frame (const char  *data,
            gsize        length,
            gsize        max_bytes,
            GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *fixed = NULL;
  gboolean has_nul_escape = FALSE;
  JsonNode *root;

  if (max_bytes > 0 && length > max_bytes)
    {
      g_set_error (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_MALFORMED_JSON,
                   "The frame is larger than %" G_GSIZE_FORMAT " bytes.", max_bytes);
      return NULL;
    }

  /* With a length, g_utf8_validate() also refuses NUL bytes */
  if (!g_utf8_validate (data, length, NULL))
    {
      malformed (error, "The frame is not valid UTF-8.");
      return NULL;
    }

  if (!scan_json (data, length, NULL, &has_nul_escape, error))
    return NULL;

  if (has_nul_escape)
    {
      fixed = g_memdup2 (data, length);
      scan_json (data, length, fixed, &has_nul_escape, NULL);
      data = fixed;
    }

  parser = json_parser_new_immutable ();

  if (!json_parser_load_from_data (parser, data, (gssize) length, &local_error))
    {
      /* json-glib's own message may be translated; the wire wants English */
      g_debug ("Refusing a frame: %s", local_error->message);
      malformed (error, "The frame is not valid JSON.");
      return NULL;
    }

  root = json_parser_steal_root (parser);

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_clear_pointer (&root, json_node_unref);
      malformed (error, "The frame is not a JSON object.");
      return NULL;
    }

  return root;
}

/* Reading members. @where names the container in error sentences, such as
 * "the “say” frame". A JSON null counts as an absent member.
 */

static JsonNode *
get_member (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node != NULL && JSON_NODE_HOLDS_NULL (node))
    return NULL;

  return node;
}

static gboolean
missing (const char  *where,
         const char  *member,
         GError     **error)
{
  g_set_error (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_INVALID_FRAME,
               "The “%s” member is missing from %s.", member, where);
  return FALSE;
}

static gboolean
wrong_type (const char  *where,
            const char  *member,
            const char  *what,
            GError     **error)
{
  g_set_error (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_INVALID_FRAME,
               "The “%s” member of %s must be %s.", member, where, what);
  return FALSE;
}

static gboolean
holds_value_of_type (JsonNode *node,
                     GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/* *@out is NULL when the member is absent */
static gboolean
read_string (JsonObject   *object,
             const char   *where,
             const char   *member,
             gboolean      required,
             const char  **out,
             GError      **error)
{
  JsonNode *node = get_member (object, member);

  *out = NULL;

  if (node == NULL)
    return required ? missing (where, member, error) : TRUE;

  if (!holds_value_of_type (node, G_TYPE_STRING))
    return wrong_type (where, member, "a string", error);

  *out = json_node_get_string (node);
  return TRUE;
}

/* *@out is left alone when the member is absent */
static gboolean
read_int (JsonObject  *object,
          const char  *where,
          const char  *member,
          gboolean     required,
          gint64      *out,
          GError     **error)
{
  JsonNode *node = get_member (object, member);

  if (node == NULL)
    return required ? missing (where, member, error) : TRUE;

  if (!holds_value_of_type (node, G_TYPE_INT64))
    return wrong_type (where, member, "an integer", error);

  *out = json_node_get_int (node);
  return TRUE;
}

/* *@out is left alone when the member is absent */
static gboolean
read_bool (JsonObject  *object,
           const char  *where,
           const char  *member,
           gboolean     required,
           gboolean    *out,
           GError     **error)
{
  JsonNode *node = get_member (object, member);

  if (node == NULL)
    return required ? missing (where, member, error) : TRUE;

  if (!holds_value_of_type (node, G_TYPE_BOOLEAN))
    return wrong_type (where, member, "true or false", error);

  *out = json_node_get_boolean (node);
  return TRUE;
}

/* *@out is NULL when the member is absent */
static gboolean
read_object (JsonObject   *object,
             const char   *where,
             const char   *member,
             gboolean      required,
             JsonObject  **out,
             GError      **error)
{
  JsonNode *node = get_member (object, member);

  *out = NULL;

  if (node == NULL)
    return required ? missing (where, member, error) : TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return wrong_type (where, member, "an object", error);

  *out = json_node_get_object (node);
  return TRUE;
}

/* *@out is NULL when the member is absent */
static gboolean
read_array (JsonObject  *object,
            const char  *where,
            const char  *member,
            gboolean     required,
            JsonArray  **out,
            GError     **error)
{
  JsonNode *node = get_member (object, member);

  *out = NULL;

  if (node == NULL)
    return required ? missing (where, member, error) : TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return wrong_type (where, member, "an array", error);

  *out = json_node_get_array (node);
  return TRUE;
}

static gboolean
read_kind (JsonObject           *object,
           const char           *where,
           TertuliaMessageKind  *out,
           GError              **error)
{
  const char *kind;

  if (!read_string (object, where, "kind", FALSE, &kind, error))
    return FALSE;

  if (kind == NULL || g_str_equal (kind, "chat"))
    *out = TERTULIA_MESSAGE_KIND_CHAT;
  else if (g_str_equal (kind, "action"))
    *out = TERTULIA_MESSAGE_KIND_ACTION;
  else
    {
      g_set_error (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_INVALID_FRAME,
                   "The “kind” member of %s must be “chat” or “action”.", where);
      return FALSE;
    }

  return TRUE;
}

/* A full peer has "joined_at" and "host" too; a short one ("from", "by")
 * only "id" and "nick".
 */
static gboolean
read_peer_object (JsonObject    *object,
                  const char    *where,
                  gboolean       full,
                  TertuliaPeer  *peer,
                  GError       **error)
{
  const char *nick;

  if (!read_int (object, where, "id", TRUE, &peer->id, error) ||
      !read_string (object, where, "nick", TRUE, &nick, error))
    return FALSE;

  if (full &&
      (!read_int (object, where, "joined_at", TRUE, &peer->joined_at, error) ||
       !read_bool (object, where, "host", TRUE, &peer->host, error)))
    return FALSE;

  g_free (peer->nick);
  peer->nick = g_strdup (nick);

  return TRUE;
}

static gboolean
read_peer (JsonObject    *object,
           const char    *where,
           const char    *member,
           gboolean       full,
           TertuliaPeer  *peer,
           GError       **error)
{
  g_autofree char *inner_where = NULL;
  JsonObject *peer_object;

  if (!read_object (object, where, member, TRUE, &peer_object, error))
    return FALSE;

  inner_where = g_strdup_printf ("“%s” in %s", member, where);

  return read_peer_object (peer_object, inner_where, full, peer, error);
}

static gboolean
read_event (JsonObject     *object,
            const char     *where,
            TertuliaFrame  *frame,
            GError        **error)
{
  return read_int (object, where, "seq", TRUE, &frame->seq, error) &&
         read_int (object, where, "time", TRUE, &frame->time, error);
}

/* Client frames */

static TertuliaFrame *
parse_hello (JsonObject  *object,
             const char  *where,
             GError     **error)
{
  g_autoptr(TertuliaFrame) frame = tertulia_frame_new (TERTULIA_FRAME_HELLO);
  const char *nick;
  const char *client;
  const char *host_key;
  const char *password;
  JsonObject *resume;

  if (!read_int (object, where, "version", TRUE, &frame->version, error))
    return NULL;

  if (frame->version != TERTULIA_PROTOCOL_VERSION)
    {
      g_set_error (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_VERSION_UNSUPPORTED,
                   "This host speaks version %d of the Tertulia protocol, not version %" G_GINT64_FORMAT ".",
                   TERTULIA_PROTOCOL_VERSION, frame->version);
      return NULL;
    }

  if (!read_string (object, where, "nick", FALSE, &nick, error))
    return NULL;

  /* Absent or "" asks the host to choose one */
  if (nick != NULL && nick[0] != '\0')
    {
      frame->nick = tertulia_protocol_normalize_nick (nick, error);
      if (frame->nick == NULL)
        return NULL;
    }

  if (!read_string (object, where, "client", FALSE, &client, error))
    return NULL;

  if (client != NULL)
    {
      gboolean has_control = FALSE;

      for (const char *p = client; *p != '\0'; p = g_utf8_next_char (p))
        has_control |= g_unichar_type (g_utf8_get_char (p)) == G_UNICODE_CONTROL;

      /* It ends up in logs, so no control characters either */
      if (has_control || g_utf8_strlen (client, -1) > TERTULIA_MAX_CLIENT_NAME_CHARS)
        {
          g_set_error (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_INVALID_FRAME,
                       "The “client” member of %s must be at most %d characters, without control characters.",
                       where, TERTULIA_MAX_CLIENT_NAME_CHARS);
          return NULL;
        }

      frame->client_name = g_strdup (client);
    }

  if (!read_object (object, where, "resume", FALSE, &resume, error))
    return NULL;

  if (resume != NULL)
    {
      g_autofree char *resume_where = g_strdup_printf ("“resume” in %s", where);
      const char *token;

      if (!read_string (resume, resume_where, "token", TRUE, &token, error) ||
          !read_int (resume, resume_where, "last_seq", TRUE, &frame->last_seq, error))
        return NULL;

      if (frame->last_seq < 0)
        {
          g_set_error (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_INVALID_FRAME,
                       "The “last_seq” member of %s cannot be negative.", resume_where);
          return NULL;
        }

      frame->resume_token = g_strdup (token);
      frame->has_resume = TRUE;
    }

  if (!read_string (object, where, "host_key", FALSE, &host_key, error))
    return NULL;
  frame->host_key = g_strdup (host_key);

  if (!read_string (object, where, "password", FALSE, &password, error))
    return NULL;

  if (password != NULL)
    {
      /* The same password typed on a phone and on a laptop may come in
       * different normalization forms; the host hashes the NFC form.
       */
      if (g_utf8_strlen (password, -1) > TERTULIA_MAX_PASSWORD_CHARS)
        {
          g_set_error (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_INVALID_FRAME,
                       "The “password” member of %s can be at most %d characters long.",
                       where, TERTULIA_MAX_PASSWORD_CHARS);
          return NULL;
        }

      frame->password = g_utf8_normalize (password, -1, G_NORMALIZE_NFC);
    }

  return g_steal_pointer (&frame);
}

static TertuliaFrame *
parse_say (JsonObject  *object,
           const char  *where,
           GError     **error)
{
  g_autoptr(TertuliaFrame) frame = tertulia_frame_new (TERTULIA_FRAME_SAY);
  const char *cid;
  const char *text;

  if (!read_string (object, where, "cid", FALSE, &cid, error))
    return NULL;

  if (cid != NULL && !cid_is_valid (cid))
    {
      g_set_error (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_INVALID_FRAME,
                   "The “cid” member of %s must be 1 to %d printable ASCII characters.",
                   where, TERTULIA_MAX_CID_BYTES);
      return NULL;
    }
  frame->cid = g_strdup (cid);

  if (!read_kind (object, where, &frame->kind, error) ||
      !read_string (object, where, "text", TRUE, &text, error))
    return NULL;

  frame->text = tertulia_protocol_normalize_text (text, error);
  if (frame->text == NULL)
    return NULL;

  return g_steal_pointer (&frame);
}

static TertuliaFrame *
parse_nick (JsonObject  *object,
            const char  *where,
            GError     **error)
{
  g_autoptr(TertuliaFrame) frame = tertulia_frame_new (TERTULIA_FRAME_NICK);
  const char *nick;

  if (!read_string (object, where, "nick", TRUE, &nick, error))
    return NULL;

  frame->nick = tertulia_protocol_normalize_nick (nick, error);
  if (frame->nick == NULL)
    return NULL;

  return g_steal_pointer (&frame);
}

static TertuliaFrame *
parse_set_topic (JsonObject  *object,
                 const char  *where,
                 GError     **error)
{
  g_autoptr(TertuliaFrame) frame = tertulia_frame_new (TERTULIA_FRAME_SET_TOPIC);
  const char *topic;

  if (!read_string (object, where, "topic", TRUE, &topic, error))
    return NULL;

  frame->topic = tertulia_protocol_normalize_topic (topic, error);
  if (frame->topic == NULL)
    return NULL;

  return g_steal_pointer (&frame);
}

/* Server frames. The host validated what it relays, so these check the
 * shape (members present, of the right JSON type) and keep strings as sent.
 */

static TertuliaFrame *
parse_message (JsonObject  *object,
               const char  *where,
               GError     **error)
{
  g_autoptr(TertuliaFrame) frame = tertulia_frame_new (TERTULIA_FRAME_MESSAGE);
  const char *text;
  const char *cid;

  if (!read_event (object, where, frame, error) ||
      !read_peer (object, where, "from", FALSE, &frame->peer, error) ||
      !read_kind (object, where, &frame->kind, error) ||
      !read_string (object, where, "text", TRUE, &text, error) ||
      !read_string (object, where, "cid", FALSE, &cid, error))
    return NULL;

  frame->text = g_strdup (text);
  frame->cid = g_strdup (cid);

  return g_steal_pointer (&frame);
}

static TertuliaFrame *
parse_join (JsonObject  *object,
            const char  *where,
            GError     **error)
{
  g_autoptr(TertuliaFrame) frame = tertulia_frame_new (TERTULIA_FRAME_JOIN);

  if (!read_event (object, where, frame, error) ||
      !read_peer (object, where, "participant", TRUE, &frame->peer, error))
    return NULL;

  return g_steal_pointer (&frame);
}

static TertuliaFrame *
parse_leave (JsonObject  *object,
             const char  *where,
             GError     **error)
{
  g_autoptr(TertuliaFrame) frame = tertulia_frame_new (TERTULIA_FRAME_LEAVE);

  if (!read_event (object, where, frame, error) ||
      !read_peer_object (object, where, FALSE, &frame->peer, error))
    return NULL;

  return g_steal_pointer (&frame);
}

static TertuliaFrame *
parse_rename (JsonObject  *object,
              const char  *where,
              GError     **error)
{
  g_autoptr(TertuliaFrame) frame = tertulia_frame_new (TERTULIA_FRAME_RENAME);
  const char *from;
  const char *to;

  if (!read_event (object, where, frame, error) ||
      !read_int (object, where, "id", TRUE, &frame->peer.id, error) ||
      !read_string (object, where, "from", TRUE, &from, error) ||
      !read_string (object, where, "to", TRUE, &to, error))
    return NULL;

  frame->old_nick = g_strdup (from);
  frame->new_nick = g_strdup (to);

  return g_steal_pointer (&frame);
}

static TertuliaFrame *
parse_topic (JsonObject  *object,
             const char  *where,
             GError     **error)
{
  g_autoptr(TertuliaFrame) frame = tertulia_frame_new (TERTULIA_FRAME_TOPIC);
  const char *topic;

  if (!read_event (object, where, frame, error) ||
      !read_peer (object, where, "by", FALSE, &frame->peer, error) ||
      !read_string (object, where, "topic", TRUE, &topic, error))
    return NULL;

  frame->topic = g_strdup (topic);

  return g_steal_pointer (&frame);
}

static TertuliaFrame *
parse_error (JsonObject  *object,
             const char  *where,
             GError     **error)
{
  g_autoptr(TertuliaFrame) frame = tertulia_frame_new (TERTULIA_FRAME_ERROR);
  const char *code;
  const char *message;
  const char *cid;

  /* "message" is optional here: an error without it still means
   * something, through tertulia_protocol_describe_error().
   */
  if (!read_string (object, where, "code", TRUE, &code, error) ||
      !read_string (object, where, "message", FALSE, &message, error) ||
      !read_string (object, where, "cid", FALSE, &cid, error))
    return NULL;

  frame->code = g_strdup (code);
  frame->message = g_strdup (message);
  frame->cid = g_strdup (cid);

  return g_steal_pointer (&frame);
}

typedef TertuliaFrame *(*ParseFunc) (JsonObject  *object,
                                     const char  *where,
                                     GError     **error);

typedef struct
{
  const char *type;
  ParseFunc   parse;
} FrameParser;

static const FrameParser client_parsers[] = {
  { "hello", parse_hello },
  { "say", parse_say },
  { "nick", parse_nick },
  { "topic", parse_set_topic },
};

static const FrameParser event_parsers[] = {
  { "message", parse_message },
  { "join", parse_join },
  { "leave", parse_leave },
  { "rename", parse_rename },
  { "topic", parse_topic },
};

static TertuliaFrame *parse_welcome (JsonObject  *object,
                                     const char  *where,
                                     GError     **error);

static const FrameParser other_server_parsers[] = {
  { "welcome", parse_welcome },
  { "error", parse_error },
};

static ParseFunc
find_parser (const FrameParser *parsers,
             guint              n_parsers,
             const char        *type)
{
  for (guint i = 0; i < n_parsers; i++)
    {
      if (g_str_equal (parsers[i].type, type))
        return parsers[i].parse;
    }

  return NULL;
}

static gboolean
read_type (JsonObject   *object,
           const char   *where,
           const char  **type,
           GError      **error)
{
  return read_string (object, where, "type", TRUE, type, error);
}

static TertuliaFrame *
parse_welcome (JsonObject  *object,
               const char  *where,
               GError     **error)
{
  g_autoptr(TertuliaFrame) frame = tertulia_frame_new (TERTULIA_FRAME_WELCOME);
  g_autofree char *room_where = g_strdup_printf ("“room” in %s", where);
  g_autofree char *participant_where = g_strdup_printf ("a participant in %s", where);
  g_autofree char *limits_where = g_strdup_printf ("“limits” in %s", where);
  JsonObject *room;
  JsonObject *limits;
  JsonArray *participants;
  JsonArray *history;
  const char *room_id;
  const char *name;
  const char *topic;
  const char *resume_token;

  if (!read_int (object, where, "version", TRUE, &frame->version, error))
    return NULL;

  if (frame->version != TERTULIA_PROTOCOL_VERSION)
    {
      g_set_error (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_VERSION_UNSUPPORTED,
                   "The host speaks version %" G_GINT64_FORMAT " of the Tertulia protocol, not version %d.",
                   frame->version, TERTULIA_PROTOCOL_VERSION);
      return NULL;
    }

  if (!read_peer (object, where, "you", TRUE, &frame->you, error) ||
      !read_object (object, where, "room", TRUE, &room, error) ||
      !read_string (room, room_where, "id", FALSE, &room_id, error) ||
      !read_string (room, room_where, "name", TRUE, &name, error) ||
      !read_string (room, room_where, "topic", FALSE, &topic, error) ||
      !read_array (object, where, "participants", TRUE, &participants, error) ||
      !read_int (object, where, "seq", TRUE, &frame->seq, error) ||
      !read_string (object, where, "resume_token", FALSE, &resume_token, error) ||
      !read_bool (object, where, "resumed", FALSE, &frame->resumed, error) ||
      !read_bool (object, where, "gap", FALSE, &frame->gap, error) ||
      !read_object (object, where, "limits", FALSE, &limits, error) ||
      !read_array (object, where, "history", FALSE, &history, error))
    return NULL;

  frame->room_id = g_strdup (room_id);
  frame->room_name = g_strdup (name);
  frame->topic = g_strdup (topic);
  frame->resume_token = g_strdup (resume_token);

  /* Absent limits keep the defaults of this version */
  if (limits != NULL &&
      (!read_int (limits, limits_where, "text", FALSE, &frame->limits.text, error) ||
       !read_int (limits, limits_where, "nick", FALSE, &frame->limits.nick, error) ||
       !read_int (limits, limits_where, "topic", FALSE, &frame->limits.topic, error) ||
       !read_int (limits, limits_where, "room_name", FALSE, &frame->limits.room_name, error) ||
       !read_int (limits, limits_where, "frame_bytes", FALSE, &frame->limits.frame_bytes, error) ||
       !read_int (limits, limits_where, "history", FALSE, &frame->limits.history, error) ||
       !read_int (limits, limits_where, "json_depth", FALSE, &frame->limits.json_depth, error) ||
       !read_int (limits, limits_where, "hello_seconds", FALSE, &frame->limits.hello_seconds, error) ||
       !read_int (limits, limits_where, "rate_burst", FALSE, &frame->limits.rate_burst, error) ||
       !read_int (limits, limits_where, "rate_per_second", FALSE, &frame->limits.rate_per_second, error) ||
       !read_int (limits, limits_where, "connections", FALSE, &frame->limits.connections, error) ||
       !read_int (limits, limits_where, "connections_per_address", FALSE, &frame->limits.connections_per_address, error) ||
       !read_int (limits, limits_where, "queue_bytes", FALSE, &frame->limits.queue_bytes, error) ||
       !read_int (limits, limits_where, "ping_seconds", FALSE, &frame->limits.ping_seconds, error) ||
       !read_int (limits, limits_where, "idle_seconds", FALSE, &frame->limits.idle_seconds, error)))
    return NULL;

  for (guint i = 0; i < json_array_get_length (participants); i++)
    {
      JsonNode *node = json_array_get_element (participants, i);
      g_autoptr(TertuliaPeer) peer = g_new0 (TertuliaPeer, 1);

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          wrong_type (where, "participants", "an array of objects", error);
          return NULL;
        }

      if (!read_peer_object (json_node_get_object (node), participant_where, TRUE, peer, error))
        return NULL;

      g_ptr_array_add (frame->participants, g_steal_pointer (&peer));
    }

  for (guint i = 0; history != NULL && i < json_array_get_length (history); i++)
    {
      JsonNode *node = json_array_get_element (history, i);
      g_autofree char *event_where = NULL;
      JsonObject *event;
      TertuliaFrame *parsed;
      const char *type;
      ParseFunc parse;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          wrong_type (where, "history", "an array of objects", error);
          return NULL;
        }

      event = json_node_get_object (node);

      if (!read_type (event, "an event in the “history” of the “welcome” frame", &type, error))
        return NULL;

      /* A newer host may have events this version does not know; they
       * are skipped as they would be when they arrive live.
       */
      parse = find_parser (event_parsers, G_N_ELEMENTS (event_parsers), type);
      if (parse == NULL)
        {
          g_debug ("Skipping a “%s” event in the history of a welcome", type);
          continue;
        }

      event_where = g_strdup_printf ("a “%s” event in the “history” of the “welcome” frame", type);
      parsed = parse (event, event_where, error);
      if (parsed == NULL)
        return NULL;

      g_ptr_array_add (frame->history, parsed);
    }

  return g_steal_pointer (&frame);
}

static TertuliaFrame *
parse_frame (const char         *data,
             gsize               length,
             gsize               max_bytes,
             const FrameParser  *parsers,
             guint               n_parsers,
             const FrameParser  *more_parsers,
             guint               n_more_parsers,
             GError            **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *where = NULL;
  JsonObject *object;
  const char *type;
  ParseFunc parse;

  if (length == (gsize) -1)
    length = strlen (data);

  root = load_frame (data, length, max_bytes, error);
  if (root == NULL)
    return NULL;

  object = json_node_get_object (root);

  if (!read_type (object, "the frame", &type, error))
    return NULL;

  parse = find_parser (parsers, n_parsers, type);
  if (parse == NULL && more_parsers != NULL)
    parse = find_parser (more_parsers, n_more_parsers, type);

  if (parse == NULL)
    {
      /* The type comes back on the wire; a long one is not repeated */
      if (g_utf8_strlen (type, -1) <= 32)
        g_set_error (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_UNKNOWN_TYPE,
                     "Unknown frame type “%s”.", type);
      else
        g_set_error_literal (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_UNKNOWN_TYPE,
                             "Unknown frame type.");
      return NULL;
    }

  where = g_strdup_printf ("the “%s” frame", type);

  return parse (object, where, error);
}

TertuliaFrame *
tertulia_protocol_parse_client_frame (const char  *data,
                                      gsize        length,
                                      GError     **error)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return parse_frame (data != NULL ? data : "", length, TERTULIA_MAX_FRAME_BYTES,
                      client_parsers, G_N_ELEMENTS (client_parsers),
                      NULL, 0,
                      error);
}

TertuliaFrame *
tertulia_protocol_parse_server_frame (const char  *data,
                                      gsize        length,
                                      GError     **error)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* No size limit: a welcome with a long history is far bigger than what
   * a client may send.
   */
  return parse_frame (data != NULL ? data : "", length, 0,
                      event_parsers, G_N_ELEMENTS (event_parsers),
                      other_server_parsers, G_N_ELEMENTS (other_server_parsers),
                      error);
}

char *
tertulia_protocol_dup_cid (const char *data,
                           gsize       length)
{
  g_autoptr(JsonNode) root = NULL;
  JsonNode *node;
  const char *cid;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (data == NULL)
    return NULL;

  if (length == (gsize) -1)
    length = strlen (data);

  root = load_frame (data, length, TERTULIA_MAX_FRAME_BYTES, NULL);
  if (root == NULL)
    return NULL;

  node = get_member (json_node_get_object (root), "cid");
  if (node == NULL || !holds_value_of_type (node, G_TYPE_STRING))
    return NULL;

  cid = json_node_get_string (node);
  if (!cid_is_valid (cid))
    return NULL;

  return g_strdup (cid);
}

/* Serializing */

static const char *
frame_type_to_string (TertuliaFrameType type)
{
  switch (type)
    {
    case TERTULIA_FRAME_HELLO:     return "hello";
    case TERTULIA_FRAME_SAY:       return "say";
    case TERTULIA_FRAME_NICK:      return "nick";
    case TERTULIA_FRAME_SET_TOPIC: return "topic";
    case TERTULIA_FRAME_WELCOME:   return "welcome";
    case TERTULIA_FRAME_MESSAGE:   return "message";
    case TERTULIA_FRAME_JOIN:      return "join";
    case TERTULIA_FRAME_LEAVE:     return "leave";
    case TERTULIA_FRAME_RENAME:    return "rename";
    case TERTULIA_FRAME_TOPIC:     return "topic";
    case TERTULIA_FRAME_ERROR:     return "error";
    default:                       return NULL;
    }
}

static const char *
kind_to_string (TertuliaMessageKind kind)
{
  switch (kind)
    {
    case TERTULIA_MESSAGE_KIND_CHAT:
      return "chat";
    case TERTULIA_MESSAGE_KIND_ACTION:
      return "action";
    case TERTULIA_MESSAGE_KIND_NOTICE:
    default:
      /* Notices are made locally and never go on the wire */
      g_critical ("A message of kind %d cannot be sent", kind);
      return "chat";
    }
}

static void
add_string (JsonBuilder *builder,
            const char  *member,
            const char  *value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value != NULL ? value : "");
}

static void
add_optional_string (JsonBuilder *builder,
                     const char  *member,
                     const char  *value)
{
  if (value != NULL)
    add_string (builder, member, value);
}

static void
add_int (JsonBuilder *builder,
         const char  *member,
         gint64       value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_int_value (builder, value);
}

static void
add_bool (JsonBuilder *builder,
          const char  *member,
          gboolean     value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_boolean_value (builder, value);
}

/* @member is NULL inside an array */
static void
add_peer (JsonBuilder        *builder,
          const char         *member,
          const TertuliaPeer *peer,
          gboolean            full)
{
  if (member != NULL)
    json_builder_set_member_name (builder, member);

  json_builder_begin_object (builder);
  add_int (builder, "id", peer->id);
  add_string (builder, "nick", peer->nick);
  if (full)
    {
      add_int (builder, "joined_at", peer->joined_at);
      add_bool (builder, "host", peer->host);
    }
  json_builder_end_object (builder);
}

static void
add_event (JsonBuilder         *builder,
           const TertuliaFrame *frame)
{
  add_int (builder, "seq", frame->seq);
  add_int (builder, "time", frame->time);
}

/* Everything but a welcome's history, in the order of docs/PROTOCOL.md */
static void
build_frame (JsonBuilder         *builder,
             const TertuliaFrame *frame)
{
  json_builder_begin_object (builder);
  add_string (builder, "type", frame_type_to_string (frame->type));

  switch (frame->type)
    {
    case TERTULIA_FRAME_HELLO:
      add_int (builder, "version", frame->version);
      add_optional_string (builder, "nick", frame->nick);
      add_optional_string (builder, "client", frame->client_name);
      if (frame->has_resume)
        {
          json_builder_set_member_name (builder, "resume");
          json_builder_begin_object (builder);
          add_string (builder, "token", frame->resume_token);
          add_int (builder, "last_seq", frame->last_seq);
          json_builder_end_object (builder);
        }
      add_optional_string (builder, "host_key", frame->host_key);
      add_optional_string (builder, "password", frame->password);
      break;

    case TERTULIA_FRAME_SAY:
      add_optional_string (builder, "cid", frame->cid);
      add_string (builder, "kind", kind_to_string (frame->kind));
      add_string (builder, "text", frame->text);
      break;

    case TERTULIA_FRAME_NICK:
      add_string (builder, "nick", frame->nick);
      break;

    case TERTULIA_FRAME_SET_TOPIC:
      add_string (builder, "topic", frame->topic);
      break;

    case TERTULIA_FRAME_WELCOME:
      add_int (builder, "version", frame->version);
      add_peer (builder, "you", &frame->you, TRUE);
      json_builder_set_member_name (builder, "room");
      json_builder_begin_object (builder);
      add_optional_string (builder, "id", frame->room_id);
      add_string (builder, "name", frame->room_name);
      add_optional_string (builder, "topic", frame->topic);
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "participants");
      json_builder_begin_array (builder);
      for (guint i = 0; frame->participants != NULL && i < frame->participants->len; i++)
        add_peer (builder, NULL, g_ptr_array_index (frame->participants, i), TRUE);
      json_builder_end_array (builder);
      add_int (builder, "seq", frame->seq);
      add_optional_string (builder, "resume_token", frame->resume_token);
      add_bool (builder, "resumed", frame->resumed);
      add_bool (builder, "gap", frame->gap);
      json_builder_set_member_name (builder, "limits");
      json_builder_begin_object (builder);
      add_int (builder, "text", frame->limits.text);
      add_int (builder, "nick", frame->limits.nick);
      add_int (builder, "topic", frame->limits.topic);
      add_int (builder, "room_name", frame->limits.room_name);
      add_int (builder, "frame_bytes", frame->limits.frame_bytes);
      add_int (builder, "history", frame->limits.history);
      add_int (builder, "json_depth", frame->limits.json_depth);
      add_int (builder, "hello_seconds", frame->limits.hello_seconds);
      add_int (builder, "rate_burst", frame->limits.rate_burst);
      add_int (builder, "rate_per_second", frame->limits.rate_per_second);
      add_int (builder, "connections", frame->limits.connections);
      add_int (builder, "connections_per_address", frame->limits.connections_per_address);
      add_int (builder, "queue_bytes", frame->limits.queue_bytes);
      add_int (builder, "ping_seconds", frame->limits.ping_seconds);
      add_int (builder, "idle_seconds", frame->limits.idle_seconds);
      json_builder_end_object (builder);
      break;

    case TERTULIA_FRAME_MESSAGE:
      add_event (builder, frame);
      add_peer (builder, "from", &frame->peer, FALSE);
      add_string (builder, "kind", kind_to_string (frame->kind));
      add_string (builder, "text", frame->text);
      add_optional_string (builder, "cid", frame->cid);
      break;

    case TERTULIA_FRAME_JOIN:
      add_event (builder, frame);
      add_peer (builder, "participant", &frame->peer, TRUE);
      break;

    case TERTULIA_FRAME_LEAVE:
      add_event (builder, frame);
      add_int (builder, "id", frame->peer.id);
      add_string (builder, "nick", frame->peer.nick);
      break;

    case TERTULIA_FRAME_RENAME:
      add_event (builder, frame);
      add_int (builder, "id", frame->peer.id);
      add_string (builder, "from", frame->old_nick);
      add_string (builder, "to", frame->new_nick);
      break;

    case TERTULIA_FRAME_TOPIC:
      add_event (builder, frame);
      add_peer (builder, "by", &frame->peer, FALSE);
      add_string (builder, "topic", frame->topic);
      break;

    case TERTULIA_FRAME_ERROR:
      add_string (builder, "code", frame->code);
      add_optional_string (builder, "message", frame->message);
      add_optional_string (builder, "cid", frame->cid);
      break;

    default:
      g_assert_not_reached ();
    }

  json_builder_end_object (builder);
}

static char *
builder_to_string (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  /* Compact is the default: no pretty printing */
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}

static char *
serialize_frame (const TertuliaFrame *frame)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  build_frame (builder, frame);

  return builder_to_string (builder);
}

char *
tertulia_protocol_serialize (const TertuliaFrame *frame)
{
  g_autoptr(GPtrArray) history = NULL;

  g_return_val_if_fail (frame != NULL, NULL);
  g_return_val_if_fail (frame_type_to_string (frame->type) != NULL, NULL);

  if (frame->type != TERTULIA_FRAME_WELCOME)
    return serialize_frame (frame);

  history = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; frame->history != NULL && i < frame->history->len; i++)
    g_ptr_array_add (history, tertulia_protocol_serialize (g_ptr_array_index (frame->history, i)));

  return tertulia_protocol_serialize_welcome (frame,
                                              (const char * const *) history->pdata,
                                              history->len);
}

char *
tertulia_protocol_serialize_welcome (const TertuliaFrame *welcome,
                                     const char * const  *history_json,
                                     guint                n_history)
{
  g_autofree char *head = NULL;
  GString *json;
  gsize head_length;

  g_return_val_if_fail (welcome != NULL, NULL);
  g_return_val_if_fail (welcome->type == TERTULIA_FRAME_WELCOME, NULL);
  g_return_val_if_fail (history_json != NULL || n_history == 0, NULL);

  /* "history" is the last member, so it goes where the closing brace of
   * the welcome without it was.
   */
  head = serialize_frame (welcome);
  head_length = strlen (head);
  g_assert (head_length > 2 && head[head_length - 1] == '}');

  json = g_string_sized_new (head_length + 16);
  g_string_append_len (json, head, head_length - 1);
  g_string_append (json, ",\"history\":[");
  for (guint i = 0; i < n_history; i++)
    {
      if (i > 0)
        g_string_append_c (json, ',');
      g_string_append (json, history_json[i]);
    }
  g_string_append (json, "]}");

  return g_string_free (json, FALSE);
}

char *
tertulia_protocol_serialize_error (const char *code,
                                   const char *message,
                                   const char *cid)
{
  g_autoptr(JsonBuilder) builder = NULL;

  g_return_val_if_fail (code != NULL, NULL);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  add_string (builder, "type", "error");
  add_string (builder, "code", code);
  add_optional_string (builder, "message", message);
  add_optional_string (builder, "cid", cid);
  json_builder_end_object (builder);

  return builder_to_string (builder);
}

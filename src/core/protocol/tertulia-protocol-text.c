/* tertulia-protocol-text.c — nicknames, texts and topics: normalized, validated, compared
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-protocol"

#include "config.h"

#include <string.h>
#include <unicode/uchar.h>
#include <unicode/uspoof.h>

#include "tertulia-protocol.h"

/* The GError messages set here go on the wire as the "message" of an error
 * frame, so they are English sentences and deliberately not translated;
 * tertulia_protocol_describe_error() is the translated side.
 */

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

/* The longest run of combining marks in @text, which must be valid UTF-8.
 * Normalizing sorts each run by combining class, in time that grows with
 * the square of its length: this is checked first, and costs one pass.
 */
static gsize
longest_mark_run (const char *text)
{
  gsize longest = 0;
  gsize run = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      /* ASCII is never a mark; most text is ASCII */
      if ((guchar) *p < 0x80 || !g_unichar_ismark (g_utf8_get_char (p)))
        run = 0;
      else if (++run > longest)
        longest = run;
    }

  return longest;
}

/* The bidi embeddings, overrides and isolates (U+202A–E, U+2066–9): they
 * reorder the text around them, so that a link's visible text can read as
 * another address. The marks (U+200E, U+200F, U+061C) only nudge neutral
 * characters and are kept: right-to-left writers need them.
 */
static gboolean
is_bidi_control (gunichar c)
{
  return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

/* Characters that show nothing, or nothing of their own: the default
 * ignorable ones (variation selectors, the combining grapheme joiner, the
 * Hangul fillers…) and blanks that are letters or symbols by category.
 */
static gboolean
is_invisible (gunichar c)
{
  return u_hasBinaryProperty ((UChar32) c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT) ||
         c == 0x2800 ||   /* BRAILLE PATTERN BLANK */
         c == 0x3164 ||   /* HANGUL FILLER */
         c == 0xFFA0 ||   /* HALFWIDTH HANGUL FILLER */
         c == 0x115F || c == 0x1160;  /* HANGUL CHOSEONG/JUNGSEONG FILLER */
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

  if (is_invisible (c))
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

  /* What cannot be a nickname is refused before the costly part */
  if (strlen (nick) > TERTULIA_MAX_NICK_BYTES)
    {
      g_set_error (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_NICK_TOO_LONG,
                   "Nicknames can be at most %d characters long.", TERTULIA_MAX_NICK_CHARS);
      return NULL;
    }

  if (longest_mark_run (nick) > TERTULIA_MAX_NICK_MARK_RUN)
    {
      g_set_error_literal (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_NICK_INVALID,
                           "Nicknames cannot stack that many accents on one letter.");
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

  if (longest_mark_run (text) > TERTULIA_MAX_TEXT_MARK_RUN)
    {
      g_set_error_literal (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_TEXT_INVALID,
                           "Messages cannot stack that many accents on one letter.");
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

      if (is_bidi_control (c))
        {
          g_set_error_literal (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_TEXT_INVALID,
                               "Messages cannot contain bidirectional embedding, override or isolate characters.");
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

  if (longest_mark_run (topic) > TERTULIA_MAX_TEXT_MARK_RUN)
    {
      g_set_error_literal (error, TERTULIA_PROTOCOL_ERROR, TERTULIA_PROTOCOL_ERROR_TOPIC_INVALID,
                           "Topics cannot stack that many accents on one letter.");
      return NULL;
    }

  normalized = normalize_and_trim (topic);

  for (const char *p = normalized; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_type (c) == G_UNICODE_CONTROL || is_bidi_control (c))
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
typedef struct
{
  gunichar from;
  gunichar to;
} CharMap;

/* What @map (sorted by .from) maps @c to, or @c */
static gunichar
char_map_lookup (const CharMap *map,
                 gsize          n,
                 gunichar       c)
{
  gsize lo = 0;
  gsize hi = n;

  while (lo < hi)
    {
      gsize mid = (lo + hi) / 2;

      if (map[mid].from == c)
        return map[mid].to;
      if (map[mid].from < c)
        lo = mid + 1;
      else
        hi = mid;
    }

  return c;
}

static const CharMap confusables[] = {
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
  if (c < 0x0131 || c > 0x051D)
    return c;

  return char_map_lookup (confusables, G_N_ELEMENTS (confusables), c);
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


/* Confusables */

/* Small capitals are their own prototypes in confusables.txt ("ᴀ" is not
 * "a" there), yet in a nickname they read as the letter. Sorted for the
 * binary search.
 */
static const CharMap small_capitals[] = {
  { 0x0262, 'g' }, { 0x026A, 'i' }, { 0x0274, 'n' }, { 0x0276, 'e' },
  { 0x0280, 'r' }, { 0x028F, 'y' }, { 0x0299, 'b' }, { 0x029C, 'h' },
  { 0x029F, 'l' }, { 0x1D00, 'a' }, { 0x1D04, 'c' }, { 0x1D05, 'd' },
  { 0x1D07, 'e' }, { 0x1D0A, 'j' }, { 0x1D0B, 'k' }, { 0x1D0D, 'm' },
  { 0x1D0F, 'o' }, { 0x1D18, 'p' }, { 0x1D1B, 't' }, { 0x1D1C, 'u' },
  { 0x1D20, 'v' }, { 0x1D21, 'w' }, { 0x1D22, 'z' }, { 0xA730, 'f' },
  { 0xA731, 's' },
};

static gunichar
unsmall (gunichar c)
{
  return char_map_lookup (small_capitals, G_N_ELEMENTS (small_capitals), c);
}

static USpoofChecker *
get_spoof_checker (void)
{
  static gsize checker;

  if (g_once_init_enter (&checker))
    {
      UErrorCode status = U_ZERO_ERROR;
      USpoofChecker *new_checker = uspoof_open (&status);

      /* Only a broken ICU data file makes this fail */
      if (U_FAILURE (status))
        g_error ("Cannot open ICU's spoof checker: %s", u_errorName (status));
      g_once_init_leave (&checker, (gsize) new_checker);
    }

  return (USpoofChecker *) checker;
}

static char *
dup_unsmall (const char *text)
{
  GString *plain = g_string_sized_new (strlen (text));

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    g_string_append_unichar (plain, unsmall (g_utf8_get_char (p)));

  return g_string_free (plain, FALSE);
}

/* ICU's UTS #39 skeleton of @text; @text itself if ICU fails (only a
 * broken data file makes it)
 */
static char *
dup_icu_skeleton (const char *text)
{
  UErrorCode status = U_ZERO_ERROR;
  char *skeleton;
  int32_t length;

  length = uspoof_getSkeletonUTF8 (get_spoof_checker (), 0, text, -1, NULL, 0, &status);
  if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE (status))
    return g_strdup (text);

  skeleton = g_malloc ((gsize) length + 1);
  status = U_ZERO_ERROR;
  uspoof_getSkeletonUTF8 (get_spoof_checker (), 0, text, -1, skeleton, length + 1, &status);
  if (U_FAILURE (status))
    {
      g_free (skeleton);
      return g_strdup (text);
    }
  skeleton[length] = '\0';

  return skeleton;
}

/* The skeleton of @text, small capitals read as letters before and after
 * (a skeleton may end in one: Cherokee "ꭺ" becomes "ᴀ")
 */
static char *
dup_skeleton (const char *text)
{
  g_autofree char *plain = dup_unsmall (text);
  g_autofree char *skeleton = dup_icu_skeleton (plain);

  return dup_unsmall (skeleton);
}

GStrv
tertulia_protocol_nick_skeletons (const char *nick)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *compatible = NULL;
  g_autofree char *folded = NULL;
  g_autofree char *folded_skeleton = NULL;
  g_autofree char *skeleton = NULL;
  g_autofree char *skeleton_folded = NULL;

  g_return_val_if_fail (nick != NULL, NULL);
  g_return_val_if_fail (g_utf8_validate (nick, -1, NULL), NULL);

  /* Case folding first makes "ALICE" and "alice" one; the skeleton first
   * keeps a capital I, which looks like an l, from becoming an i.
   */
  compatible = g_utf8_normalize (nick, -1, G_NORMALIZE_NFKC);
  folded = g_utf8_casefold (compatible, -1);
  folded_skeleton = dup_skeleton (folded);
  skeleton = dup_skeleton (compatible);
  skeleton_folded = g_utf8_casefold (skeleton, -1);

  g_strv_builder_add (builder, folded_skeleton);
  if (strcmp (folded_skeleton, skeleton_folded) != 0)
    g_strv_builder_add (builder, skeleton_folded);

  return g_strv_builder_end (builder);
}

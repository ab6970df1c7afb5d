/* tertulia-protocol-scan.c — JSON read within the protocol's limits
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-protocol"

#include "config.h"

#include <string.h>

#include "tertulia-protocol-private.h"

/* The GError messages set here go on the wire as the "message" of an error
 * frame, so they are English sentences and deliberately not translated;
 * tertulia_protocol_describe_error() is the translated side.
 */

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
JsonNode *
_tertulia_protocol_load_frame (const char  *data,
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

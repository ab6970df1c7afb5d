/* tertulia-links.c — the web links in a message
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-links"

#include "config.h"

#include <string.h>

#include "tertulia-links.h"

/* A link ends at a bidi control character: one inside it could make its
 * text read as another address.
 */
static GRegex *
get_link_regex (void)
{
  static GRegex *regex;

  if (g_once_init_enter (&regex))
    {
      GRegex *new_regex = g_regex_new ("(?:\\bhttps?://|\\bwww\\.)[^\\s<>\"\\x{200E}\\x{200F}\\x{202A}-\\x{202E}\\x{2066}-\\x{2069}]+",
                                       G_REGEX_CASELESS | G_REGEX_OPTIMIZE,
                                       0, NULL);

      g_assert (new_regex != NULL);
      g_once_init_leave (&regex, new_regex);
    }

  return regex;
}

/* Sentence punctuation right after a link belongs to the sentence. */
static gsize
trim_link (const char *url,
           gsize       length)
{
  while (length > 0)
    {
      char last = url[length - 1];

      if (strchr (".,;:!?'", last) != NULL)
        length--;
      else if (last == ')' && memchr (url, '(', length) == NULL)
        length--;
      else
        break;
    }

  return length;
}

/* Whether @text can hold something the link pattern matches: most lines
 * do not, and this is much cheaper than the regex.
 */
static gboolean
may_have_link (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if (p[0] == ':' && p[1] == '/' && p[2] == '/')
        return TRUE;
      if ((p[0] == 'w' || p[0] == 'W') && g_ascii_strncasecmp (p, "www.", 4) == 0)
        return TRUE;
    }

  return FALSE;
}

GArray *
_tertulia_links_find (const char *text)
{
  g_autoptr(GMatchInfo) match_info = NULL;
  g_autoptr(GArray) links = NULL;

  if (!may_have_link (text) ||
      !g_regex_match (get_link_regex (), text, 0, &match_info))
    return NULL;

  links = g_array_new (FALSE, FALSE, sizeof (TertuliaLink));

  while (g_match_info_matches (match_info))
    {
      int start, end;
      gsize length;

      g_match_info_fetch_pos (match_info, 0, &start, &end);
      length = trim_link (text + start, end - start);

      /* "www." on its own is not a link. */
      if (length > 4 || g_ascii_strncasecmp (text + start, "www.", 4) != 0)
        {
          TertuliaLink link = { start, start + length };

          g_array_append_val (links, link);
        }

      g_match_info_next (match_info, NULL);
    }

  if (links->len == 0)
    return NULL;

  return g_steal_pointer (&links);
}

static void
append_escaped (GString    *markup,
                const char *text,
                gssize      length)
{
  g_autofree char *escaped = g_markup_escape_text (text, length);

  g_string_append (markup, escaped);
}

char *
_tertulia_link_dup_uri (const char         *text,
                        const TertuliaLink *link)
{
  g_autofree char *url = NULL;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (link != NULL, NULL);

  url = g_strndup (text + link->start, link->end - link->start);
  if (g_ascii_strncasecmp (url, "www.", 4) == 0)
    return g_strconcat ("http://", url, NULL);

  return g_steal_pointer (&url);
}

/* Wire text only becomes markup here, and every piece of it is escaped. */
char *
_tertulia_links_to_markup (const char   *text,
                           const GArray *links)
{
  g_autoptr(GString) markup = g_string_new (NULL);
  gsize done = 0;

  for (guint i = 0; i < links->len; i++)
    {
      const TertuliaLink *link = &g_array_index (links, TertuliaLink, i);
      g_autofree char *url = g_strndup (text + link->start, link->end - link->start);
      g_autofree char *href = _tertulia_link_dup_uri (text, link);
      g_autofree char *anchor = NULL;

      append_escaped (markup, text + done, link->start - done);
      anchor = g_markup_printf_escaped ("<a href=\"%s\">%s</a>", href, url);
      g_string_append (markup, anchor);
      done = link->end;
    }

  append_escaped (markup, text + done, -1);

  return g_string_free (g_steal_pointer (&markup), FALSE);
}

char *
_tertulia_links_linkify (const char *text)
{
  g_autoptr(GArray) links = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  links = _tertulia_links_find (text);
  if (links == NULL)
    return NULL;

  return _tertulia_links_to_markup (text, links);
}

#define LRI "\xe2\x81\xa6"  /* U+2066 LEFT-TO-RIGHT ISOLATE */
#define PDI "\xe2\x81\xa9"  /* U+2069 POP DIRECTIONAL ISOLATE */

char *
_tertulia_links_isolate (const char *text,
                         GArray     *links)
{
  GString *shown;
  gsize done = 0;

  g_return_val_if_fail (text != NULL && links != NULL, NULL);

  shown = g_string_sized_new (strlen (text) + links->len * 6);

  for (guint i = 0; i < links->len; i++)
    {
      TertuliaLink *link = &g_array_index (links, TertuliaLink, i);

      g_string_append_len (shown, text + done, link->start - done);
      g_string_append (shown, LRI);
      done = link->start;
      link->start = shown->len;
      g_string_append_len (shown, text + done, link->end - done);
      link->end = shown->len;
      g_string_append (shown, PDI);
      done += link->end - link->start;
    }

  g_string_append (shown, text + done);

  return g_string_free (shown, FALSE);
}

/* tertulia-server-nicks.c — the nicknames of a TertuliaServer's room:
 * unique, and unlike any other present one, look-alikes included
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-server"
#define TERTULIA_SERVER_COMPILATION

#include "config.h"

#include <string.h>

#include "tertulia-server-private.h"

/* A participant is found under its nick_key and under the confusables
 * skeletons of its nickname; a key two nicknames share is one entry.
 */
void
_tertulia_server_index_nick (TertuliaServer *self,
                             Participant    *participant)
{
  g_clear_pointer (&participant->skeletons, g_strfreev);
  participant->nick_key = tertulia_protocol_nick_key (participant->nick);
  participant->skeletons = tertulia_protocol_nick_skeletons (participant->nick);

  g_hash_table_insert (self->by_nick_key, participant->nick_key, participant);
  for (guint i = 0; participant->skeletons[i] != NULL; i++)
    if (!g_hash_table_contains (self->by_nick_key, participant->skeletons[i]))
      g_hash_table_insert (self->by_nick_key, participant->skeletons[i], participant);
}

void
_tertulia_server_unindex_nick (TertuliaServer *self,
                               Participant    *participant)
{
  if (g_hash_table_lookup (self->by_nick_key, participant->nick_key) == participant)
    g_hash_table_remove (self->by_nick_key, participant->nick_key);
  for (guint i = 0; participant->skeletons != NULL && participant->skeletons[i] != NULL; i++)
    if (g_hash_table_lookup (self->by_nick_key, participant->skeletons[i]) == participant)
      g_hash_table_remove (self->by_nick_key, participant->skeletons[i]);
  g_clear_pointer (&participant->nick_key, g_free);
  g_clear_pointer (&participant->skeletons, g_strfreev);
}

gboolean
_tertulia_server_nick_is_free (TertuliaServer *self,
                               const char     *nick,
                               Participant    *except)
{
  g_autofree char *key = tertulia_protocol_nick_key (nick);
  g_auto(GStrv) skeletons = tertulia_protocol_nick_skeletons (nick);
  Participant *owner = g_hash_table_lookup (self->by_nick_key, key);

  for (guint i = 0; (owner == NULL || owner == except) && skeletons[i] != NULL; i++)
    owner = g_hash_table_lookup (self->by_nick_key, skeletons[i]);

  return owner == NULL || owner == except;
}

/* @nick when nobody has it, otherwise "@nick-2", "@nick-3"…, shortening
 * @nick so that the result stays within TERTULIA_MAX_NICK_CHARS.
 */
static char *
dup_suffixed_nick (const char *nick,
                   glong       n_chars,
                   guint       n)
{
  g_autofree char *suffix = g_strdup_printf ("-%u", n);
  glong keep = MIN (n_chars, TERTULIA_MAX_NICK_CHARS - (glong) strlen (suffix));
  g_autofree char *prefix = g_utf8_substring (nick, 0, MAX (keep, 1));

  return g_strconcat (prefix, suffix, NULL);
}

/* A class where everyone types "Phone" made each newcomer try every
 * suffix taken so far: a crowd of N cost N² clash checks. The last suffix
 * given for a nickname is kept, and the search goes on from there when
 * "-2" is taken.
 */
char *
_tertulia_server_dup_unique_nick (TertuliaServer *self,
                                  const char     *nick)
{
  g_autofree char *key = NULL;
  glong n_chars;
  guint n;

  if (_tertulia_server_nick_is_free (self, nick, NULL))
    return g_strdup (nick);

  n_chars = g_utf8_strlen (nick, -1);
  key = tertulia_protocol_nick_key (nick);

  if (self->nick_suffixes == NULL ||
      g_hash_table_size (self->nick_suffixes) > 4 * self->participants->len + 64)
    {
      g_clear_pointer (&self->nick_suffixes, g_hash_table_unref);
      self->nick_suffixes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    }

  for (n = 2; ; n = n == 2 ? MAX (3, GPOINTER_TO_UINT (g_hash_table_lookup (self->nick_suffixes, key))) : n + 1)
    {
      g_autofree char *candidate = dup_suffixed_nick (nick, n_chars, n);

      if (_tertulia_server_nick_is_free (self, candidate, NULL))
        {
          if (n > GPOINTER_TO_UINT (g_hash_table_lookup (self->nick_suffixes, key)))
            g_hash_table_insert (self->nick_suffixes, g_steal_pointer (&key), GUINT_TO_POINTER (n));
          return g_steal_pointer (&candidate);
        }
    }
}

char *
_tertulia_server_dup_guest_nick (TertuliaServer *self)
{
  g_autofree char *nick = NULL;

  /* Random rather than counting up, so that names do not tell how many
   * people came and went; after a few clashes, suffixes settle it.
   */
  for (guint tries = 0; tries < 20; tries++)
    {
      g_free (nick);
      nick = g_strdup_printf ("Guest-%04d", g_random_int_range (1000, 10000));
      if (_tertulia_server_nick_is_free (self, nick, NULL))
        return g_steal_pointer (&nick);
    }

  return _tertulia_server_dup_unique_nick (self, nick);
}

/* tertulia-room-participants.c — who is in a room: the list a welcome
 * replaces, and the questions asked of it (by id, by nickname, Tab
 * completion, /list, mentions)
 *
 * The participant list changes only at a welcome (reconciled here, so rows
 * of people who stay are kept) and at join/leave/rename events (applied
 * with the rest of the event log in tertulia-room.c).
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-room"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "tertulia-room.h"
#include "tertulia-room-private.h"
#include "tertulia-util-private.h"

/* printf("%s", NULL) is not something to put in front of a user. */
static const char *
or_empty (const char *str)
{
  return str != NULL ? str : "";
}

/* Makes @store hold @wanted, in that order, with as few changes as it can:
 * rows of participants who stay are neither removed nor re-added.
 */
static void
sync_store (GListStore *store,
            GPtrArray  *wanted)
{
  GListModel *model = G_LIST_MODEL (store);

  for (guint i = g_list_model_get_n_items (model); i > 0; i--)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i - 1);

      if (!g_ptr_array_find (wanted, item, NULL))
        g_list_store_remove (store, i - 1);
    }

  for (guint i = 0; i < wanted->len; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);
      guint position;

      if (item == g_ptr_array_index (wanted, i))
        continue;

      if (g_list_store_find (store, g_ptr_array_index (wanted, i), &position))
        g_list_store_remove (store, position);
      g_list_store_insert (store, i, g_ptr_array_index (wanted, i));
    }
}

static TertuliaParticipant *
participant_for_peer (TertuliaRoom       *self,
                      const TertuliaPeer *peer,
                      gboolean            peer_is_you)
{
  TertuliaParticipant *old = tertulia_room_find_participant (self, peer->id);
  g_autoptr(GDateTime) joined_at = NULL;

  /* Same id, same role: the same row. A new session of yours can meet the
   * old one, not yet gone, and that one is not "you" any more.
   */
  if (old != NULL &&
      tertulia_participant_get_is_you (old) == !!peer_is_you &&
      tertulia_participant_get_is_host (old) == !!peer->host)
    {
      tertulia_participant_set_nickname (old, peer->nick);
      _tertulia_participant_apply_peer (old, peer); /* issue 18 */
      return g_object_ref (old);
    }

  joined_at = _tertulia_date_time_from_ms (peer->joined_at);
  old = tertulia_participant_new (MAX (peer->id, 0), peer->nick, joined_at,
                                  peer_is_you, peer->host);
  _tertulia_participant_apply_peer (old, peer); /* issue 18 */

  return old;
}

static gboolean
peer_listed (GPtrArray *participants,
             gint64     id)
{
  for (guint i = 0; i < participants->len; i++)
    if (tertulia_participant_get_id (g_ptr_array_index (participants, i)) == id)
      return TRUE;

  return FALSE;
}

TertuliaParticipant *
_tertulia_room_sync_participants (TertuliaRoom        *self,
                                  GListStore          *store,
                                  const TertuliaFrame *welcome)
{
  g_autoptr(GPtrArray) wanted = g_ptr_array_new_with_free_func (g_object_unref);
  TertuliaParticipant *you = NULL;

  for (guint i = 0; welcome->participants != NULL && i < welcome->participants->len; i++)
    {
      const TertuliaPeer *peer = g_ptr_array_index (welcome->participants, i);
      gboolean peer_is_you = peer->id == welcome->you.id;
      TertuliaParticipant *participant;

      if (peer_listed (wanted, peer->id))
        continue;

      participant = participant_for_peer (self, peer, peer_is_you);
      g_ptr_array_add (wanted, participant);

      if (peer_is_you)
        you = participant;
    }

  /* The server lists you too; should it not, you still are someone. */
  if (you == NULL)
    {
      you = participant_for_peer (self, &welcome->you, TRUE);
      g_ptr_array_add (wanted, you);
    }

  sync_store (store, wanted);

  /* The store holds it now. */
  return you;
}

void
tertulia_room_clear_participants (TertuliaRoom *self)
{
  g_return_if_fail (TERTULIA_IS_ROOM (self));

  g_list_store_remove_all (G_LIST_STORE (tertulia_room_get_participants (self)));
  _tertulia_room_conversations_refresh (self); /* issue 18: nobody is known present */
}

TertuliaParticipant *
tertulia_room_find_participant (TertuliaRoom *self,
                                gint64        id)
{
  GListModel *model;
  guint n;

  g_return_val_if_fail (TERTULIA_IS_ROOM (self), NULL);

  model = tertulia_room_get_participants (self);
  n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TertuliaParticipant) participant = g_list_model_get_item (model, i);

      /* The store keeps it alive after this unref. */
      if (tertulia_participant_get_id (participant) == id)
        return participant;
    }

  return NULL;
}

TertuliaParticipant *
tertulia_room_find_participant_by_nick (TertuliaRoom *self,
                                        const char   *nick)
{
  g_autofree char *key = NULL;
  GListModel *model;
  guint n;

  g_return_val_if_fail (TERTULIA_IS_ROOM (self), NULL);
  g_return_val_if_fail (nick != NULL, NULL);

  key = tertulia_protocol_nick_key (nick);
  model = tertulia_room_get_participants (self);
  n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TertuliaParticipant) participant = g_list_model_get_item (model, i);
      const char *other = tertulia_participant_get_nickname (participant);
      g_autofree char *other_key = NULL;

      if (other == NULL)
        continue;

      other_key = tertulia_protocol_nick_key (other);
      if (g_strcmp0 (key, other_key) == 0)
        return participant;
    }

  return NULL;
}

/* "ana", "ANAbel", "Andrés": the case of a nickname does not move it. */
static int
compare_nicks (gconstpointer a,
               gconstpointer b)
{
  const char *nick_a = *(const char * const *)a;
  const char *nick_b = *(const char * const *)b;
  g_autofree char *key_a = tertulia_protocol_nick_key (nick_a);
  g_autofree char *key_b = tertulia_protocol_nick_key (nick_b);
  int ret = g_utf8_collate (key_a, key_b);

  /* Collation can call different nicknames equal; the order must not. */
  return ret != 0 ? ret : strcmp (nick_a, nick_b);
}

GStrv
tertulia_room_complete_nick (TertuliaRoom *self,
                             const char   *prefix)
{
  g_autoptr(GPtrArray) matches = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *key = NULL;
  GListModel *model;
  guint n;

  g_return_val_if_fail (TERTULIA_IS_ROOM (self), NULL);

  key = tertulia_protocol_nick_key (or_empty (prefix));
  model = tertulia_room_get_participants (self);
  n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TertuliaParticipant) participant = g_list_model_get_item (model, i);
      const char *nick = tertulia_participant_get_nickname (participant);
      g_autofree char *nick_folded = NULL;

      if (nick == NULL)
        continue;

      nick_folded = tertulia_protocol_nick_key (nick);
      if (g_str_has_prefix (nick_folded, key))
        g_ptr_array_add (matches, g_strdup (nick));
    }

  g_ptr_array_sort (matches, compare_nicks);
  g_ptr_array_add (matches, NULL);

  return (GStrv) g_ptr_array_free (g_steal_pointer (&matches), FALSE);
}

char *
tertulia_room_describe_participants (TertuliaRoom *self)
{
  g_autoptr(GString) names = g_string_new (NULL);
  GListModel *model;
  guint n;

  g_return_val_if_fail (TERTULIA_IS_ROOM (self), NULL);

  model = tertulia_room_get_participants (self);
  n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TertuliaParticipant) participant = g_list_model_get_item (model, i);
      const char *nick = or_empty (tertulia_participant_get_nickname (participant));
      gboolean host = tertulia_participant_get_is_host (participant);
      gboolean you = tertulia_participant_get_is_you (participant);

      if (i > 0)
        /* Translators: separates nicknames in the list of participants */
        g_string_append (names, _(", "));

      if (host && you)
        /* Translators: in the list of participants; %s is your nickname */
        g_string_append_printf (names, _("%s (host, you)"), nick);
      else if (host)
        /* Translators: in the list of participants; %s is the host's nickname */
        g_string_append_printf (names, _("%s (host)"), nick);
      /* issue 18: co-hosts, and who is muted */
      else if (tertulia_participant_get_role (participant) == TERTULIA_ROLE_COHOST)
        /* Translators: in the list of participants; %s is a co-host's nickname (or yours) */
        g_string_append_printf (names, you ? _("%s (co-host, you)") : _("%s (co-host)"), nick);
      else if (you)
        /* Translators: in the list of participants; %s is your nickname */
        g_string_append_printf (names, _("%s (you)"), nick);
      else
        g_string_append (names, nick);

      if (tertulia_participant_get_muted (participant))
        /* Translators: after a nickname in the list of participants */
        g_string_append (names, _(" (muted)"));
    }

  /* Translators: the answer to /list; %u is how many there are, %s their
   * nicknames, separated by commas
   */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u participant: %s",
                                       "%u participants: %s",
                                       n),
                          n, names->str);
}

static gboolean
is_word_char (gunichar c)
{
  /* A combining mark belongs to the letter before it. */
  return g_unichar_isalnum (c) || g_unichar_ismark (c);
}

gboolean
tertulia_text_mentions (const char *text,
                        const char *nick)
{
  g_autofree char *text_key = NULL;
  g_autofree char *nick_folded = NULL;
  const char *p;
  gsize nick_len;

  if (text == NULL || nick == NULL ||
      !g_utf8_validate (text, -1, NULL) || !g_utf8_validate (nick, -1, NULL))
    return FALSE;

  nick_folded = tertulia_protocol_nick_key (nick);
  nick_len = strlen (nick_folded);
  if (nick_len == 0)
    return FALSE;

  text_key = tertulia_protocol_nick_key (text);

  /* Both are valid UTF-8, so a match always starts at a character. */
  for (p = strstr (text_key, nick_folded); p != NULL; p = strstr (g_utf8_next_char (p), nick_folded))
    {
      const char *after = p + nick_len;

      if (p > text_key && is_word_char (g_utf8_get_char (g_utf8_prev_char (p))))
        continue;

      if (*after != '\0' && is_word_char (g_utf8_get_char (after)))
        continue;

      return TRUE;
    }

  return FALSE;
}

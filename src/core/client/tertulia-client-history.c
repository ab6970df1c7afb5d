/* tertulia-client-history.c — scrollback: older events asked of the host, a page at a time
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-client"

#include "config.h"

#include "tertulia-client-private.h"

gboolean
tertulia_client_fetch_history (TertuliaClient *self,
                               guint           limit)
{
  g_autoptr(TertuliaFrame) frame = NULL;
  gint64 oldest;

  g_return_val_if_fail (TERTULIA_IS_CLIENT (self), FALSE);

  if (!self->welcomed || self->fetching_history || !tertulia_room_get_has_older (self->room))
    return FALSE;

  /* A room whose log has no event yet (a welcome without history) asks
   * for what came before its present.
   */
  oldest = tertulia_room_get_oldest_seq (self->room);

  frame = tertulia_frame_new (TERTULIA_FRAME_FETCH_HISTORY);
  frame->before = oldest > 0 ? oldest : tertulia_room_get_last_seq (self->room) + 1;
  frame->limit = limit == 0 ? TERTULIA_DEFAULT_HISTORY_PAGE : MIN (limit, TERTULIA_MAX_HISTORY_PAGE);

  if (!_tertulia_client_send_frame (self, frame))
    return FALSE;

  g_debug ("%s: asking for %" G_GINT64_FORMAT " events before %" G_GINT64_FORMAT,
           self->display_name, frame->limit, frame->before);
  self->history_before = frame->before;
  _tertulia_client_set_fetching_history (self, TRUE);

  return TRUE;
}

gboolean
tertulia_client_get_fetching_history (TertuliaClient *self)
{
  g_return_val_if_fail (TERTULIA_IS_CLIENT (self), FALSE);

  return self->fetching_history;
}

void
_tertulia_client_handle_history (TertuliaClient      *self,
                                 const TertuliaFrame *frame)
{
  /* Nothing asked for it on this connection: a host answers only what it
   * is asked, so this is a confused one; its word changes nothing.
   */
  if (!self->welcomed || !self->fetching_history || frame->before != self->history_before)
    {
      g_debug ("%s: ignoring a history page nobody asked for", self->display_name);
      return;
    }

  tertulia_room_prepend_history (self->room, frame->history, frame->more);
  _tertulia_client_set_fetching_history (self, FALSE);
  _tertulia_client_history_until_next (self);  /* issue 19 */
}

/* Errors carry no reference to the frame they refuse; these are the ones a
 * history request can get, and the request ends with them. A host that
 * does not know the frame (an older Tertulia) has no scrollback to give:
 * that is no news for the log.
 */
gboolean
_tertulia_client_history_refused (TertuliaClient      *self,
                                  const TertuliaFrame *frame)
{
  static const char * const codes[] = {
    TERTULIA_ERROR_HISTORY_OUT_OF_RANGE,
    TERTULIA_ERROR_INVALID_FRAME,
    TERTULIA_ERROR_RATE_LIMITED,
    TERTULIA_ERROR_UNKNOWN_TYPE,
  };
  gboolean ours = FALSE;

  if (!self->fetching_history || frame->cid != NULL || frame->code == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    ours = ours || g_str_equal (frame->code, codes[i]);

  if (!ours)
    return FALSE;

  _tertulia_client_set_fetching_history (self, FALSE);

  if (g_str_equal (frame->code, TERTULIA_ERROR_UNKNOWN_TYPE) ||
      g_str_equal (frame->code, TERTULIA_ERROR_HISTORY_OUT_OF_RANGE))
    {
      g_autoptr(GPtrArray) none = g_ptr_array_new ();

      /* Asking again would get the same answer */
      tertulia_room_prepend_history (self->room, none, FALSE);
      return TRUE;
    }

  return FALSE;
}

/* tertulia-reaction.c — one emoji on a message, and who put it there
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-message"

#include "config.h"

#include "tertulia-reaction.h"

G_DEFINE_BOXED_TYPE (TertuliaReaction, tertulia_reaction,
                     tertulia_reaction_copy, tertulia_reaction_free)

TertuliaReaction *
tertulia_reaction_new (const char *emoji)
{
  TertuliaReaction *reaction = g_new0 (TertuliaReaction, 1);

  g_return_val_if_fail (emoji != NULL, NULL);

  reaction->emoji = g_strdup (emoji);
  reaction->nicks = g_ptr_array_new_with_free_func (g_free);

  return reaction;
}

TertuliaReaction *
tertulia_reaction_copy (const TertuliaReaction *reaction)
{
  TertuliaReaction *copy;

  g_return_val_if_fail (reaction != NULL, NULL);

  copy = tertulia_reaction_new (reaction->emoji);
  for (guint i = 0; i < reaction->nicks->len; i++)
    g_ptr_array_add (copy->nicks, g_strdup (g_ptr_array_index (reaction->nicks, i)));
  copy->mine = reaction->mine;

  return copy;
}

void
tertulia_reaction_free (TertuliaReaction *reaction)
{
  if (reaction == NULL)
    return;

  g_free (reaction->emoji);
  g_clear_pointer (&reaction->nicks, g_ptr_array_unref);
  g_free (reaction);
}

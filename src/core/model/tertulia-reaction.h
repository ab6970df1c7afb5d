/* tertulia-reaction.h — one emoji on a message, and who put it there
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct
{
  char      *emoji;
  /* char*: the nicknames of those who reacted, in the order they did
   * (each as they were called when they reacted); never empty
   */
  GPtrArray *nicks;
  /* you are one of them */
  gboolean   mine;
} TertuliaReaction;

#define TERTULIA_TYPE_REACTION (tertulia_reaction_get_type ())

GType             tertulia_reaction_get_type (void) G_GNUC_CONST;
TertuliaReaction *tertulia_reaction_new      (const char             *emoji);
TertuliaReaction *tertulia_reaction_copy     (const TertuliaReaction *reaction);
void              tertulia_reaction_free     (TertuliaReaction       *reaction);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TertuliaReaction, tertulia_reaction_free)

G_END_DECLS

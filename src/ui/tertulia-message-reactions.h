/* tertulia-message-reactions.h — a message's reactions, "👍 2", under its text
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tertulia-message.h"

G_BEGIN_DECLS

/* The quick reactions of the message menu, in its order */
#define TERTULIA_N_QUICK_REACTIONS 6
extern const char * const tertulia_quick_reactions[TERTULIA_N_QUICK_REACTIONS];

#define TERTULIA_TYPE_MESSAGE_REACTIONS (tertulia_message_reactions_get_type ())

G_DECLARE_FINAL_TYPE (TertuliaMessageReactions, tertulia_message_reactions, TERTULIA, MESSAGE_REACTIONS, AdwBin)

/* One small toggle button per emoji; clicking one activates
 * "chat.toggle-reaction" with (seq, emoji, add) on the way up.
 */
GtkWidget  *tertulia_message_reactions_new         (void);
/* Shows @message's reactions as they are now; FALSE when it has none. */
gboolean    tertulia_message_reactions_update      (TertuliaMessageReactions *self,
                                                    TertuliaMessage          *message);
/* The buttons, in their order (for tests) */
GtkToggleButton *_tertulia_message_reactions_get_button (TertuliaMessageReactions *self,
                                                         const char               *emoji);

/* "Thumbs up" for the quick reactions, translated; NULL for the others */
const char *tertulia_reaction_get_emoji_name       (const char               *emoji);
/* "Thumbs up, 2 reactions, including you" */
char       *tertulia_reaction_dup_accessible_name  (const TertuliaReaction   *reaction);
/* "ana, bob" */
char       *tertulia_reaction_dup_who              (const TertuliaReaction   *reaction);

G_END_DECLS

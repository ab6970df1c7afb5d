/* tertulia-message-header.h — who wrote a message, and when
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TERTULIA_TYPE_MESSAGE_HEADER (tertulia_message_header_get_type ())

G_DECLARE_FINAL_TYPE (TertuliaMessageHeader, tertulia_message_header, TERTULIA, MESSAGE_HEADER, GtkWidget)

GtkWidget  *tertulia_message_header_new        (void);
/* Which of the nickname colours (@tertulia_nick_color_N in style.css) is
 * @nickname's: the same in the log and in the participants list.
 */
guint       tertulia_nick_color_index          (const char            *nickname);
#define TERTULIA_N_NICK_COLORS 8

const char *tertulia_message_header_get_author (TertuliaMessageHeader *self);
void        tertulia_message_header_set_author (TertuliaMessageHeader *self,
                                                const char            *author);
GDateTime  *tertulia_message_header_get_time   (TertuliaMessageHeader *self);
void        tertulia_message_header_set_time   (TertuliaMessageHeader *self,
                                                GDateTime             *time);

GtkLabel   *_tertulia_message_header_get_time_label (TertuliaMessageHeader *self);

G_END_DECLS

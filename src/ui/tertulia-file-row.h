/* tertulia-file-row.h — a shared file in the chat log: a picture's
 * preview, or a file's name, size, Download and Open
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tertulia-message.h"

G_BEGIN_DECLS

#define TERTULIA_TYPE_FILE_ROW (tertulia_file_row_get_type ())

G_DECLARE_FINAL_TYPE (TertuliaFileRow, tertulia_file_row, TERTULIA, FILE_ROW, AdwBin)

/* The row finds the room's client in the TertuliaChatPage it is in; a
 * picture's preview is fetched and decoded when the row is mapped, and
 * what is under way stops when the row gets another message (or none).
 */
GtkWidget       *tertulia_file_row_new         (void);
void             tertulia_file_row_set_message (TertuliaFileRow *self,
                                                TertuliaMessage *message);
TertuliaMessage *tertulia_file_row_get_message (TertuliaFileRow *self);

/* "ana sent photo.jpg, 1.2 MB, picture 800 by 600": what a screen reader
 * says for a file message
 */
char            *tertulia_file_row_dup_description (TertuliaMessage *message);

/* For the tests */
GtkPicture      *_tertulia_file_row_get_picture         (TertuliaFileRow *self);
/* The decoded preview, once it arrived (the picture shows a blank until then) */
GdkTexture      *_tertulia_file_row_get_preview         (TertuliaFileRow *self);
GtkLabel        *_tertulia_file_row_get_name_label      (TertuliaFileRow *self);
GtkLabel        *_tertulia_file_row_get_detail_label    (TertuliaFileRow *self);
GtkWidget       *_tertulia_file_row_get_download_button (TertuliaFileRow *self);
GtkWidget       *_tertulia_file_row_get_open_button     (TertuliaFileRow *self);
GtkWidget       *_tertulia_file_row_get_menu_button     (TertuliaFileRow *self);
/* Whether the row shows the picture (not only the file line) */
gboolean         _tertulia_file_row_shows_picture       (TertuliaFileRow *self);

G_END_DECLS

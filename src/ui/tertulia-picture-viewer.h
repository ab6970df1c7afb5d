/* tertulia-picture-viewer.h — a shared picture, large
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TERTULIA_TYPE_PICTURE_VIEWER (tertulia_picture_viewer_get_type ())

G_DECLARE_FINAL_TYPE (TertuliaPictureViewer, tertulia_picture_viewer, TERTULIA, PICTURE_VIEWER, AdwWindow)

/* A window over @parent's showing @preview at once, then the picture in
 * @file decoded (off the main thread) at the size of the screen. Escape
 * closes it. @title is the file's name, shown as plain text.
 */
GtkWidget  *tertulia_picture_viewer_new         (GtkWindow  *parent,
                                                 const char *title,
                                                 GdkTexture *preview,
                                                 GFile      *file);
GtkPicture *_tertulia_picture_viewer_get_picture (TertuliaPictureViewer *self);

G_END_DECLS

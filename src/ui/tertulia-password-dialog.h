/* tertulia-password-dialog.h — asks for a room's password
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TERTULIA_TYPE_PASSWORD_DIALOG (tertulia_password_dialog_get_type ())

G_DECLARE_FINAL_TYPE (TertuliaPasswordDialog, tertulia_password_dialog, TERTULIA, PASSWORD_DIALOG, AdwMessageDialog)

/* Asks for a room's password, the way GNOME asks for a Wi-Fi one. @body
 * says which room, as plain text; @problem (may be NULL) what went wrong
 * with the last try; @typed (may be NULL) goes back in the entry. It
 * answers "join" (only with something typed) or "cancel".
 */
GtkWidget   *tertulia_password_dialog_new           (GtkWindow              *parent,
                                                     const char             *body,
                                                     const char             *problem,
                                                     const char             *typed);

/* What was typed, taken out of the entry: from then on only the caller
 * has it.
 */
char        *tertulia_password_dialog_take_password (TertuliaPasswordDialog *self);

GtkEditable *_tertulia_password_dialog_get_entry    (TertuliaPasswordDialog *self);
GtkLabel    *_tertulia_password_dialog_get_problem  (TertuliaPasswordDialog *self);

G_END_DECLS

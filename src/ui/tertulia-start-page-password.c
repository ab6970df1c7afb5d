/* tertulia-start-page-password.c — asking for a room's password, again
 * when it was wrong
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-start-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tertulia-address.h"
#include "tertulia-password.h"
#include "tertulia-password-dialog.h"
#include "tertulia-protocol.h"
#include "tertulia-start-page-private.h"

/* @slot (a weak pointer) lets go of its dialog; with @destroy the dialog
 * goes too, unanswered: nothing is joined.
 */
void
_tertulia_start_page_drop_dialog (GtkWidget **slot,
                                  gboolean    destroy)
{
  GtkWidget *dialog = *slot;

  if (dialog == NULL)
    return;

  g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *)slot);
  *slot = NULL;
  if (destroy)
    gtk_window_destroy (GTK_WINDOW (dialog));
}

void
_tertulia_start_page_close_password_dialog (TertuliaStartPage *self)
{
  _tertulia_start_page_drop_dialog (&self->password_dialog, TRUE);
}

void
_tertulia_start_page_join_with_password (TertuliaStartPage *self,
                                         char              *password,
                                         gboolean           allow_plain)
{
  g_autoptr(TertuliaSession) session = NULL;
  g_autofree char *nickname = _tertulia_start_page_dup_nickname (self);
  TertuliaClient *client;

  g_assert (self->join_address != NULL);

  _tertulia_start_page_forget_password (self);
  self->join_password = password;

  session = tertulia_session_new_guest (self->join_address,
                                        *nickname != '\0' ? nickname : NULL);
  client = tertulia_session_get_client (session);
  if (self->join_fingerprint != NULL)
    tertulia_client_set_expected_fingerprint (client, self->join_fingerprint);
  if (password != NULL)
    tertulia_client_set_password (client, password);
  tertulia_client_set_allow_plain_password (client, allow_plain);
  _tertulia_start_page_start_session (self, session, TRUE);
}

static void
password_response_cb (TertuliaStartPage      *self,
                      const char             *response,
                      TertuliaPasswordDialog *dialog)
{
  g_autofree char *password = tertulia_password_dialog_take_password (dialog);
  gboolean from_lan = self->joining_lan;

  /* The dialog closes itself after answering. */
  if (self->password_dialog == GTK_WIDGET (dialog))
    _tertulia_start_page_drop_dialog (&self->password_dialog, FALSE);

  if (g_strcmp0 (response, "join") == 0 &&
      self->join_address != NULL &&
      *password != '\0')
    {
      /* From here on only the client has it. */
      _tertulia_start_page_join_with_password (self, g_steal_pointer (&password),
                                               self->join_plain_allowed);
      return;
    }

  _tertulia_start_page_forget_join (self);

  if (!from_lan)
    gtk_widget_grab_focus (GTK_WIDGET (self->address_row));
}

/* Asks for the room's password, again after a wrong try, saying what went
 * wrong (@problem). @typed (may be NULL) is put back in the entry.
 */
static void
ask_for_password (TertuliaStartPage *self,
                  const char        *problem,
                  const char        *typed)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  _tertulia_start_page_close_password_dialog (self);

  if (self->join_room_name != NULL)
    {
      /* Translators: %s is a room's name */
      body = g_strdup_printf (_("“%s” needs a password to join. Ask its host for it."),
                              self->join_room_name);
    }
  else
    {
      g_autofree char *display = tertulia_address_display_name (self->join_address);

      /* Translators: %s is an address such as 192.168.1.20:7878 */
      body = g_strdup_printf (_("The room at %s needs a password to join. Ask its host for it."),
                              display != NULL ? display : self->join_address);
    }

  dialog = tertulia_password_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         body, problem, typed);
  g_signal_connect_object (dialog, "response",
                           G_CALLBACK (password_response_cb), self, G_CONNECT_SWAPPED);

  self->password_dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *)&self->password_dialog);

  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (GTK_WIDGET (_tertulia_password_dialog_get_entry (TERTULIA_PASSWORD_DIALOG (dialog))));
}

gboolean
_tertulia_start_page_ask_again_for_password (TertuliaStartPage *self,
                                             const GError      *error)
{
  if (g_error_matches (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_PASSWORD_REQUIRED))
    {
      ask_for_password (self, NULL, NULL);
      return TRUE;
    }

  if (g_error_matches (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_PASSWORD_WRONG))
    {
      ask_for_password (self,
                        _("That password is not right. Check it with the host and try again."),
                        NULL);
      return TRUE;
    }

  /* The room takes one try a second from an address: this one was not
   * even looked at, so it is offered again as it was typed.
   */
  if (self->join_password != NULL &&
      g_strcmp0 (self->refusal_code, TERTULIA_ERROR_RATE_LIMITED) == 0)
    {
      ask_for_password (self,
                        _("Too many tries too quickly. Wait a moment, then try again."),
                        self->join_password);
      return TRUE;
    }

  return FALSE;
}

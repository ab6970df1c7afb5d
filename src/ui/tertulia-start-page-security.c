/* tertulia-start-page-security.c — a room's key that does not match, and
 * passwords that would go out unencrypted
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-start-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tertulia-address.h"
#include "tertulia-client-private.h"
#include "tertulia-fingerprint.h"
#include "tertulia-fingerprint-dialog.h"
#include "tertulia-known-hosts.h"
#include "tertulia-start-page-private.h"

void
_tertulia_start_page_close_security_dialog (TertuliaStartPage *self)
{
  _tertulia_start_page_drop_dialog (&self->security_dialog, TRUE);
}

/* Answered: from here on the page no longer points at it. */
static gboolean
forget_dialog (TertuliaStartPage *self,
               GtkWidget         *dialog)
{
  if (self->security_dialog != dialog)
    return FALSE;

  _tertulia_start_page_drop_dialog (&self->security_dialog, FALSE);

  return TRUE;
}

static void
present_dialog (TertuliaStartPage *self,
                GtkWidget         *dialog,
                GCallback          response_cb)
{
  _tertulia_start_page_close_security_dialog (self);

  g_signal_connect_object (dialog, "response", response_cb, self, G_CONNECT_SWAPPED);
  self->security_dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *)&self->security_dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkWindow *
get_window (TertuliaStartPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static char *
dup_room_display (TertuliaStartPage *self)
{
  g_autofree char *display = tertulia_address_display_name (self->join_address);

  if (display != NULL)
    return g_steal_pointer (&display);

  return g_strdup (self->join_address);
}

/* A key that does not match */

static void
mismatch_response_cb (TertuliaStartPage *self,
                      const char        *response,
                      AdwMessageDialog  *dialog)
{
  TertuliaSession *session = g_object_get_data (G_OBJECT (dialog), "tertulia-session");
  TertuliaClient *client = tertulia_session_get_client (session);

  if (!forget_dialog (self, GTK_WIDGET (dialog)) || self->join_address == NULL)
    return;

  if (g_strcmp0 (response, "trust") == 0 &&
      tertulia_client_get_peer_fingerprint (client) != NULL)
    {
      /* Pinned for next time, and expected now, whatever the link said. */
      g_free (self->join_fingerprint);
      self->join_fingerprint = g_strdup (tertulia_client_get_peer_fingerprint (client));
      tertulia_client_trust_new_fingerprint (client);
      _tertulia_start_page_join_with_password (self, g_steal_pointer (&self->join_password),
                                               self->join_plain_allowed);
      return;
    }

  _tertulia_start_page_show_join_problem (self, self->joining_lan,
                                          _("You did not join: the room’s key is not the one "
                                            "expected."));
  _tertulia_start_page_forget_join (self);
}

static void
ask_about_mismatch (TertuliaStartPage *self,
                    TertuliaSession   *session)
{
  TertuliaClient *client = tertulia_session_get_client (session);
  const char *expected = tertulia_client_get_expected_fingerprint (client);
  const char *presented = tertulia_client_get_peer_fingerprint (client);
  g_autofree char *pin_key = tertulia_address_dup_pin_key (self->join_address);
  g_autofree char *pinned = pin_key != NULL ? tertulia_known_hosts_lookup (pin_key) : NULL;
  g_autofree char *room = dup_room_display (self);
  TertuliaKeySource source;
  GtkWidget *dialog;

  if (self->joining_lan)
    source = TERTULIA_KEY_SOURCE_NETWORK;
  else if (pinned != NULL && expected != NULL && tertulia_fingerprint_equal (pinned, expected))
    source = TERTULIA_KEY_SOURCE_EARLIER;
  else
    source = TERTULIA_KEY_SOURCE_INVITATION;

  /* The address, even for a room from the network list: its name is what
   * whoever answers there says.
   */
  dialog = tertulia_fingerprint_dialog_new (get_window (self), room, expected, presented, source);
  g_object_set_data_full (G_OBJECT (dialog), "tertulia-session",
                          g_object_ref (session), g_object_unref);
  present_dialog (self, dialog, G_CALLBACK (mismatch_response_cb));
}

/* A password about to go out in plain text */

static void
plain_password_response_cb (TertuliaStartPage *self,
                            const char        *response,
                            AdwMessageDialog  *dialog)
{
  gboolean from_lan = self->joining_lan;

  if (!forget_dialog (self, GTK_WIDGET (dialog)) || self->join_address == NULL)
    return;

  if (g_strcmp0 (response, "send") == 0 && self->join_password != NULL)
    {
      self->join_plain_allowed = TRUE;
      _tertulia_start_page_join_with_password (self, g_steal_pointer (&self->join_password), TRUE);
      return;
    }

  /* Nothing was sent: the page is as it was before Join. */
  _tertulia_start_page_forget_join (self);
  if (!from_lan)
    gtk_widget_grab_focus (GTK_WIDGET (self->address_row));
}

static void
ask_about_plain_password (TertuliaStartPage *self)
{
  g_autofree char *room = dup_room_display (self);
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;

  /* Translators: %s is a room's name or address */
  body = g_strdup_printf (_("“%s” is not encrypted. Others on this network could read the "
                            "password as it is sent, and everything said in the room.\n\n"
                            "Send it only if you trust this network."),
                          self->join_room_name != NULL ? self->join_room_name : room);

  /* Plain text: a LAN room's name comes from the network. */
  dialog = ADW_MESSAGE_DIALOG (g_object_new (ADW_TYPE_MESSAGE_DIALOG,
                                             "transient-for", get_window (self),
                                             "modal", TRUE,
                                             "heading", _("Send the Password Unencrypted?"),
                                             "body", body,
                                             NULL));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "send", _("_Send Anyway"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "send", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");

  present_dialog (self, GTK_WIDGET (dialog), G_CALLBACK (plain_password_response_cb));
}

gboolean
_tertulia_start_page_ask_about_security (TertuliaStartPage *self,
                                         TertuliaSession   *session,
                                         const GError      *error)
{
  if (self->join_address == NULL)
    return FALSE;

  if (g_error_matches (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_FINGERPRINT_MISMATCH))
    {
      ask_about_mismatch (self, session);
      return TRUE;
    }

  if (g_error_matches (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_PLAIN_PASSWORD) &&
      self->join_password != NULL)
    {
      ask_about_plain_password (self);
      return TRUE;
    }

  return FALSE;
}

void
_tertulia_start_page_set_loopback_is_network (TertuliaStartPage *self,
                                              gboolean           is_network)
{
  self->loopback_is_network = !!is_network;
}

void
_tertulia_start_page_prepare_client (TertuliaStartPage *self,
                                     TertuliaClient    *client)
{
  if (self->loopback_is_network)
    _tertulia_client_set_loopback_is_network (client, TRUE);
}

GtkWidget *
_tertulia_start_page_get_security_dialog (TertuliaStartPage *self)
{
  return self->security_dialog;
}

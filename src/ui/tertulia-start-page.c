/* tertulia-start-page.c — host a room or join one
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-start-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tertulia-address.h"
#include "tertulia-hosted-rooms.h"
#include "tertulia-password.h"
#include "tertulia-password-dialog.h"
#include "tertulia-protocol.h"
#include "tertulia-start-page-private.h"


enum {
  SESSION_READY,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

G_DEFINE_FINAL_TYPE (TertuliaStartPage, tertulia_start_page, ADW_TYPE_BIN)

guint
tertulia_find_free_port (guint first,
                         guint last)
{
  for (guint port = first; port <= last && port <= G_MAXUINT16; port++)
    {
      g_autoptr(GSocketListener) listener = g_socket_listener_new ();

      /* The same wildcard bind the server makes: a port that works here
       * works for the room.
       */
      if (g_socket_listener_add_inet_port (listener, port, NULL, NULL))
        {
          g_socket_listener_close (listener);
          return port;
        }
    }

  return 0;
}

char *
tertulia_dup_first_name (void)
{
  const char *real_name = g_get_real_name ();
  g_auto(GStrv) words = NULL;

  if (real_name != NULL && g_strcmp0 (real_name, "Unknown") != 0)
    {
      words = g_strsplit_set (real_name, " \t,", 2);

      if (words[0] != NULL && *words[0] != '\0')
        return g_strdup (words[0]);
    }

  return g_strdup (g_get_user_name ());
}

static char *
dup_default_room_name (void)
{
  g_autofree char *first_name = tertulia_dup_first_name ();

  /* Translators: the suggested name of a new room, %s is the host's first name */
  return g_strdup_printf (_("%s’s Room"), first_name);
}

static char *
dup_trimmed_text (TertuliaEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

char *
_tertulia_start_page_dup_nickname (TertuliaStartPage *self)
{
  return dup_trimmed_text (self->nickname_row);
}

/* Marks @row as the field that is wrong (or no longer), for the eye and
 * for screen readers.
 */
static void
set_row_invalid (GtkWidget *row,
                 gboolean   invalid)
{
  if (invalid)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");

  gtk_accessible_update_state (GTK_ACCESSIBLE (row),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               invalid ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}

/* An error shows under its field, which may be at the bottom of the page
 * or below it: once it is there, the page scrolls to show it whole.
 */
static void
error_revealed_cb (GtkRevealer *revealer)
{
  GtkWidget *child = gtk_revealer_get_child (revealer);
  GtkWidget *scroller = gtk_widget_get_ancestor (GTK_WIDGET (revealer), GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment;
  graphene_rect_t bounds;
  double value;
  double page;

  if (!gtk_revealer_get_child_revealed (revealer) || child == NULL || scroller == NULL)
    return;

  if (!gtk_widget_compute_bounds (child, scroller, &bounds))
    return;

  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  value = gtk_adjustment_get_value (adjustment);
  page = gtk_adjustment_get_page_size (adjustment);

  /* Bounds are in the scroller's coordinates: 0 is the top of what shows. */
  if (bounds.origin.y + bounds.size.height > page)
    gtk_adjustment_set_value (adjustment, value + bounds.origin.y + bounds.size.height - page + 12);
  else if (bounds.origin.y < 0)
    gtk_adjustment_set_value (adjustment, value + bounds.origin.y - 12);
}

static void
show_host_error (TertuliaStartPage *self,
                 const char        *message)
{
  gtk_label_set_text (self->host_error_label, message != NULL ? message : "");
  gtk_revealer_set_reveal_child (self->host_error_revealer, message != NULL);

  if (message == NULL)
    set_row_invalid (GTK_WIDGET (self->password_row), FALSE);

  if (message == NULL)
    gtk_widget_set_visible (GTK_WIDGET (self->other_port_button), FALSE);
}

static void
show_join_error (TertuliaStartPage *self,
                 const char        *message)
{
  gtk_label_set_text (self->join_error_label, message != NULL ? message : "");
  gtk_revealer_set_reveal_child (self->join_error_revealer, message != NULL);
  set_row_invalid (GTK_WIDGET (self->address_row), message != NULL);
}

static void
show_lan_error (TertuliaStartPage *self,
                const char        *message)
{
  gtk_label_set_text (self->lan_error_label, message != NULL ? message : "");
  gtk_revealer_set_reveal_child (self->lan_error_revealer, message != NULL);
}

static void
set_busy (TertuliaStartPage *self,
          gboolean           busy,
          gboolean           joining)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  /* Move the keyboard focus out of what is about to become insensitive:
   * GTK does not tell a focused entry that it lost the focus then.
   */
  if (busy && focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self)))
    {
      if (joining)
        gtk_widget_grab_focus (GTK_WIDGET (self->join_button));
      else
        gtk_root_set_focus (root, NULL);
    }

  self->busy = busy;
  self->joining = busy && joining;

  gtk_widget_set_sensitive (GTK_WIDGET (self->nickname_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->room_name_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->advanced_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->address_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->host_button), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->other_port_button), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->recent_group), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->lan_list), !busy);

  /* While joining, the Join button cancels: a far address can take a
   * while to fail.
   */
  gtk_widget_set_sensitive (GTK_WIDGET (self->join_button), !busy || joining);
  gtk_button_set_label (self->join_button,
                        self->joining ? _("_Cancel") : _("_Join Room"));
  gtk_button_set_label (self->host_button,
                        busy && !joining ? _("Starting…") : _("_Host Room"));

  /* A far address can take a while: say what is going on. */
  if (self->joining && self->join_address != NULL)
    {
      g_autofree char *display = tertulia_address_display_name (self->join_address);
      g_autofree char *text = NULL;

      /* Translators: %s is a room's name or address */
      text = g_strdup_printf (_("Connecting to %s…"),
                              self->join_room_name != NULL ? self->join_room_name :
                              display != NULL ? display : self->join_address);
      gtk_label_set_text (self->connecting_label, text);
    }
  gtk_widget_set_visible (self->connecting_box, self->joining);
  gtk_spinner_set_spinning (self->connecting_spinner, self->joining);
}

void
_tertulia_start_page_forget_password (TertuliaStartPage *self)
{
  g_clear_pointer (&self->join_password, tertulia_password_free);
}

void
_tertulia_start_page_forget_join (TertuliaStartPage *self)
{
  _tertulia_start_page_forget_password (self);
  g_clear_pointer (&self->join_address, g_free);
  g_clear_pointer (&self->join_room_name, g_free);
  g_clear_pointer (&self->refusal_code, g_free);
  g_clear_pointer (&self->join_fingerprint, g_free);
  self->joining_lan = FALSE;
  self->join_plain_allowed = FALSE;
}

static void
clear_errors (TertuliaStartPage *self)
{
  show_host_error (self, NULL);
  show_join_error (self, NULL);
  show_lan_error (self, NULL);
}

/* Before hosting or joining: nothing of the last attempt stays. */
void
_tertulia_start_page_start_over (TertuliaStartPage *self)
{
  _tertulia_start_page_close_password_dialog (self);
  _tertulia_start_page_close_security_dialog (self);
  _tertulia_start_page_forget_join (self);
  clear_errors (self);
}

static void
server_error_cb (TertuliaStartPage *self,
                 const char        *code,
                 const char        *message,
                 const char        *cid)
{
  g_free (self->refusal_code);
  self->refusal_code = g_strdup (code);
}

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TertuliaStartPage) self = user_data;
  TertuliaSession *session = TERTULIA_SESSION (object);
  TertuliaClient *client = tertulia_session_get_client (session);
  g_autoptr(GError) error = NULL;
  gboolean joining = self->joining;
  gboolean joining_lan = self->joining_lan;

  g_signal_handlers_disconnect_by_func (client, server_error_cb, self);

  set_busy (self, FALSE, FALSE);
  g_clear_object (&self->cancellable);

  if (!tertulia_session_connect_finish (session, result, &error))
    {
      tertulia_session_end (session);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          g_error_matches (error, TERTULIA_CLIENT_ERROR, TERTULIA_CLIENT_ERROR_CANCELLED))
        {
          _tertulia_start_page_forget_join (self);
          return;
        }

      /* The dialog keeps what a retry needs. */
      if (joining && _tertulia_start_page_ask_about_security (self, session, error))
        return;

      if (joining && _tertulia_start_page_ask_again_for_password (self, error))
        {
          /* The dialog has what it needs from it. */
          _tertulia_start_page_forget_password (self);
          return;
        }

      _tertulia_start_page_forget_join (self);

      /* The client's errors are already sentences for people. */
      if (joining)
        _tertulia_start_page_show_join_problem (self, joining_lan, error->message);
      else
        show_host_error (self, error->message);

      return;
    }

  _tertulia_start_page_forget_join (self);

  /* Only the address: a room's password is never saved. */
  if (joining)
    _tertulia_start_page_remember_recent_room (self, tertulia_client_get_address (client));
  else
    gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");

  g_signal_emit (self, signals [SESSION_READY], 0, session);
}

void
_tertulia_start_page_show_join_problem (TertuliaStartPage *self,
                                        gboolean           from_lan,
                                        const char        *message)
{
  if (from_lan)
    {
      show_lan_error (self, message);
    }
  else
    {
      show_join_error (self, message);
      gtk_widget_grab_focus (GTK_WIDGET (self->address_row));
    }
}

void
_tertulia_start_page_emit_session_ready (TertuliaStartPage *self,
                                         TertuliaSession   *session)
{
  g_signal_emit (self, signals [SESSION_READY], 0, session);
}

void
_tertulia_start_page_start_session (TertuliaStartPage *self,
                                    TertuliaSession   *session,
                                    gboolean           joining)
{
  g_autofree char *nickname = _tertulia_start_page_dup_nickname (self);
  g_autofree char *saved = g_settings_get_string (self->settings, "nickname");

  /* What one window joins under is that window's: other windows, and the
   * next start, keep the saved nickname (Preferences change it, and /nick).
   * Only a first one, when none was saved, is kept for next time.
   */
  if (*saved == '\0')
    g_settings_set_string (self->settings, "nickname", nickname);

  /* A password the room asks for comes as an error before the welcome. */
  g_clear_pointer (&self->refusal_code, g_free);
  g_signal_connect_object (tertulia_session_get_client (session), "server-error",
                           G_CALLBACK (server_error_cb), self, G_CONNECT_SWAPPED);
  _tertulia_start_page_prepare_client (self, tertulia_session_get_client (session));

  set_busy (self, TRUE, joining);
  self->cancellable = g_cancellable_new ();
  tertulia_session_connect_async (session,
                                  self->cancellable,
                                  connect_cb,
                                  g_object_ref (self));
}

/* Offered when a room hosted before is kept: hosting continues it unless
 * the switch is turned off.
 */
static void
update_continue_row (TertuliaStartPage *self)
{
  g_autofree char *last = tertulia_hosted_rooms_dup_last (self->settings);
  g_autofree char *name = g_settings_get_string (self->settings, "last-room-name");
  g_autofree char *subtitle = NULL;

  /* With no history kept, a hosted room is kept nowhere either. */
  if (!g_settings_get_boolean (self->settings, "keep-history"))
    g_clear_pointer (&last, g_free);

  gtk_widget_set_visible (GTK_WIDGET (self->continue_row), last != NULL);
  if (last == NULL)
    return;

  /* Translators: %s is the name of the room hosted last */
  subtitle = g_strdup_printf (_("“%s”, with what was said in it. Its guests come back where they were."),
                              name);
  adw_action_row_set_subtitle (self->continue_row, subtitle);
}

void
tertulia_start_page_host (TertuliaStartPage *self)
{
  g_autoptr(TertuliaSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *nickname = NULL;
  g_autofree char *room_name = NULL;
  g_autofree char *data_dir = NULL;
  const char *password;
  gboolean continuing = FALSE;
  guint port;

  g_return_if_fail (TERTULIA_IS_START_PAGE (self));

  if (self->busy)
    return;

  _tertulia_start_page_start_over (self);

  /* As typed, spaces and all: it is a secret, not a name. */
  password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  if (g_utf8_strlen (password, -1) > TERTULIA_MAX_PASSWORD_CHARS)
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (ngettext ("The password can be at most %d character long.",
                                           "The password can be at most %d characters long.",
                                           TERTULIA_MAX_PASSWORD_CHARS),
                                 TERTULIA_MAX_PASSWORD_CHARS);
      show_host_error (self, message);
      set_row_invalid (GTK_WIDGET (self->password_row), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      return;
    }

  nickname = _tertulia_start_page_dup_nickname (self);
  room_name = dup_trimmed_text (self->room_name_row);
  if (*room_name == '\0')
    {
      g_free (room_name);
      room_name = dup_default_room_name ();
      gtk_editable_set_text (GTK_EDITABLE (self->room_name_row), room_name);
    }

  gtk_spin_button_update (self->port_spin);
  port = (guint)gtk_spin_button_get_value_as_int (self->port_spin);

  if (gtk_widget_get_visible (GTK_WIDGET (self->continue_row)) &&
      gtk_switch_get_active (self->continue_switch))
    data_dir = tertulia_hosted_rooms_dup_last (self->settings);
  continuing = data_dir != NULL;
  /* Keeping no history, the room lives in memory only: nothing is written. */
  if (!continuing && g_settings_get_boolean (self->settings, "keep-history"))
    data_dir = tertulia_hosted_rooms_dup_new ();

  session = tertulia_session_new_host_full (room_name,
                                            *nickname != '\0' ? nickname : NULL,
                                            port,
                                            *password != '\0' ? password : NULL,
                                            data_dir,
                                            &error);

  if (session == NULL)
    {
      g_autofree char *message = NULL;

      if (!continuing && data_dir != NULL)
        tertulia_hosted_rooms_remove (data_dir);

      adw_expander_row_set_expanded (self->advanced_row, TRUE);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
        {
          guint last = MIN (port + TERTULIA_START_PAGE_PORT_TRIES, G_MAXUINT16);

          self->suggested_port = tertulia_find_free_port (port + 1, last);

          if (self->suggested_port != 0)
            {
              g_autofree char *label = NULL;

              /* Translators: %u is a port number */
              message = g_strdup_printf (_("Port %u is already in use on this computer, "
                                           "maybe by another room."),
                                         port);
              /* Translators: a button that hosts on another port, %u is its number */
              label = g_strdup_printf (_("Use Port %u"), self->suggested_port);
              gtk_button_set_label (self->other_port_button, label);
            }
          else
            {
              /* Translators: %u and %u are the first and last port tried */
              message = g_strdup_printf (_("Ports %u to %u are all in use on this computer. "
                                           "Choose another port under Advanced."),
                                         port, last);
            }
        }
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BUSY))
        {
          message = g_strdup (error->message);
          self->suggested_port = 0;
        }
      else
        {
          /* Translators: %s is the system's explanation */
          message = g_strdup_printf (_("The room could not be started: %s"), error->message);
          self->suggested_port = 0;
        }

      show_host_error (self, message);
      gtk_widget_set_visible (GTK_WIDGET (self->other_port_button), self->suggested_port != 0);
      return;
    }

  /* "last-port" is a uint16 ("q"). */
  g_settings_set_value (self->settings, "last-port", g_variant_new_uint16 ((guint16)port));
  g_settings_set_string (self->settings, "last-room-name", room_name);
  if (data_dir != NULL)
    tertulia_hosted_rooms_set_last (self->settings, data_dir);
  update_continue_row (self);

  _tertulia_start_page_start_session (self, session, FALSE);
}

void
tertulia_start_page_join (TertuliaStartPage *self)
{
  g_autoptr(TertuliaSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  g_autofree char *nickname = NULL;
  g_autofree char *uri = NULL;

  g_return_if_fail (TERTULIA_IS_START_PAGE (self));

  if (self->busy)
    return;

  _tertulia_start_page_start_over (self);

  address = dup_trimmed_text (self->address_row);
  nickname = _tertulia_start_page_dup_nickname (self);

  /* Say what is wrong with the address before trying the network. */
  uri = tertulia_address_to_websocket_uri (address, &error);
  if (uri == NULL)
    {
      show_join_error (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->address_row));
      return;
    }

  session = tertulia_session_new_guest (address, *nickname != '\0' ? nickname : NULL);
  self->join_address = g_steal_pointer (&address);
  _tertulia_start_page_start_session (self, session, TRUE);
}

static void
host_clicked_cb (TertuliaStartPage *self)
{
  tertulia_start_page_host (self);
}

static void
join_clicked_cb (TertuliaStartPage *self)
{
  if (self->joining)
    {
      g_cancellable_cancel (self->cancellable);
      return;
    }

  tertulia_start_page_join (self);
}

static void
other_port_clicked_cb (TertuliaStartPage *self)
{
  if (self->suggested_port == 0)
    return;

  gtk_spin_button_set_value (self->port_spin, self->suggested_port);
  tertulia_start_page_host (self);
}

static void
address_changed_cb (TertuliaStartPage *self)
{
  show_join_error (self, NULL);
}

static void
tertulia_start_page_dispose (GObject *object)
{
  TertuliaStartPage *self = (TertuliaStartPage *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  _tertulia_start_page_close_password_dialog (self);
  _tertulia_start_page_close_security_dialog (self);
  _tertulia_start_page_forget_join (self);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->recent_rows, g_ptr_array_unref);

  if (self->room_browser != NULL)
    g_signal_handlers_disconnect_by_data (self->room_browser, self);
  g_clear_object (&self->room_browser);

  gtk_widget_dispose_template (GTK_WIDGET (self), TERTULIA_TYPE_START_PAGE);

  G_OBJECT_CLASS (tertulia_start_page_parent_class)->dispose (object);
}

static void
tertulia_start_page_class_init (TertuliaStartPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tertulia_start_page_dispose;

  signals [SESSION_READY] =
    g_signal_new ("session-ready",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, TERTULIA_TYPE_SESSION);

  g_type_ensure (TERTULIA_TYPE_ENTRY_ROW);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tertulia/Tertulia/tertulia-start-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TertuliaStartPage, nickname_row);
  gtk_widget_class_bind_template_child (widget_class, TertuliaStartPage, room_name_row);
  gtk_widget_class_bind_template_child (widget_class, TertuliaStartPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, TertuliaStartPage, advanced_row);
  gtk_widget_class_bind_template_child (widget_class, TertuliaStartPage, port_spin);
  gtk_widget_class_bind_template_child (widget_class, TertuliaStartPage, host_error_revealer);
  gtk_widget_class_bind_template_child (widget_class, TertuliaStartPage, host_error_label);
  gtk_widget_class_bind_template_child (widget_class, TertuliaStartPage, other_port_button);
  gtk_widget_class_bind_template_child (widget_class, TertuliaStartPage, host_button);
  gtk_widget_class_bind_template_child (widget_class, TertuliaStartPage, continue_row);
  gtk_widget_class_bind_template_child (widget_class, TertuliaStartPage, continue_switch);
  gtk_widget_class_bind_template_child (widget_class, TertuliaStartPage, lan_list);
  gtk_widget_class_bind_template_child (widget_class, TertuliaStartPage, lan_status_label);
  gtk_widget_class_bind_template_child (widget_class, TertuliaStartPage, lan_error_revealer);
  gtk_widget_class_bind_template_child (widget_class, TertuliaStartPage, lan_error_label);
  gtk_widget_class_bind_template_child (widget_class, TertuliaStartPage, address_row);
  gtk_widget_class_bind_template_child (widget_class, TertuliaStartPage, join_error_revealer);
  gtk_widget_class_bind_template_child (widget_class, TertuliaStartPage, join_error_label);
  gtk_widget_class_bind_template_child (widget_class, TertuliaStartPage, join_button);
  gtk_widget_class_bind_template_child (widget_class, TertuliaStartPage, connecting_box);
  gtk_widget_class_bind_template_child (widget_class, TertuliaStartPage, connecting_spinner);
  gtk_widget_class_bind_template_child (widget_class, TertuliaStartPage, connecting_label);
  gtk_widget_class_bind_template_child (widget_class, TertuliaStartPage, recent_group);
  gtk_widget_class_bind_template_callback (widget_class, host_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, join_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, other_port_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, address_changed_cb);
}

static void
tertulia_start_page_init (TertuliaStartPage *self)
{
  g_autofree char *nickname = NULL;
  g_autofree char *room_name = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  self->recent_rows = g_ptr_array_new ();

  nickname = g_settings_get_string (self->settings, "nickname");
  if (*nickname == '\0')
    {
      g_free (nickname);
      nickname = tertulia_dup_first_name ();
    }
  gtk_editable_set_text (GTK_EDITABLE (self->nickname_row), nickname);

  room_name = g_settings_get_string (self->settings, "last-room-name");
  if (*room_name == '\0')
    {
      g_free (room_name);
      room_name = dup_default_room_name ();
    }
  gtk_editable_set_text (GTK_EDITABLE (self->room_name_row), room_name);

  {
    g_autoptr(GVariant) last_port = g_settings_get_value (self->settings, "last-port");

    gtk_spin_button_set_value (self->port_spin, g_variant_get_uint16 (last_port));
  }

  _tertulia_start_page_init_rooms (self);
  update_continue_row (self);
  g_signal_connect_object (self->settings, "changed::keep-history",
                           G_CALLBACK (update_continue_row), self, G_CONNECT_SWAPPED);

  g_signal_connect (self->host_error_revealer, "notify::child-revealed",
                    G_CALLBACK (error_revealed_cb), NULL);
  g_signal_connect (self->join_error_revealer, "notify::child-revealed",
                    G_CALLBACK (error_revealed_cb), NULL);
  g_signal_connect (self->lan_error_revealer, "notify::child-revealed",
                    G_CALLBACK (error_revealed_cb), NULL);
}

GtkWidget *
tertulia_start_page_new (void)
{
  return g_object_new (TERTULIA_TYPE_START_PAGE, NULL);
}

void
tertulia_start_page_reset (TertuliaStartPage *self)
{
  g_autofree char *nickname = NULL;

  g_return_if_fail (TERTULIA_IS_START_PAGE (self));

  clear_errors (self);

  /* /nick or the preferences may have changed it meanwhile. */
  nickname = g_settings_get_string (self->settings, "nickname");
  if (*nickname != '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->nickname_row), nickname);

  _tertulia_start_page_update_recent_rooms (self);
  update_continue_row (self);
}

gboolean
tertulia_start_page_get_busy (TertuliaStartPage *self)
{
  g_return_val_if_fail (TERTULIA_IS_START_PAGE (self), FALSE);

  return self->busy;
}

GtkEditable *
_tertulia_start_page_get_nickname_row (TertuliaStartPage *self)
{
  return GTK_EDITABLE (self->nickname_row);
}

GtkEditable *
_tertulia_start_page_get_room_name_row (TertuliaStartPage *self)
{
  return GTK_EDITABLE (self->room_name_row);
}

GtkEditable *
_tertulia_start_page_get_address_row (TertuliaStartPage *self)
{
  return GTK_EDITABLE (self->address_row);
}

GtkSpinButton *
_tertulia_start_page_get_port_spin (TertuliaStartPage *self)
{
  return self->port_spin;
}

GtkLabel *
_tertulia_start_page_get_host_error_label (TertuliaStartPage *self)
{
  return self->host_error_label;
}

GtkButton *
_tertulia_start_page_get_other_port_button (TertuliaStartPage *self)
{
  return self->other_port_button;
}

GtkLabel *
_tertulia_start_page_get_join_error_label (TertuliaStartPage *self)
{
  return self->join_error_label;
}

GtkLabel *
_tertulia_start_page_get_connecting_label (TertuliaStartPage *self)
{
  return self->connecting_label;
}

GtkWidget *
_tertulia_start_page_get_recent_group (TertuliaStartPage *self)
{
  return GTK_WIDGET (self->recent_group);
}

GtkListBox *
_tertulia_start_page_get_lan_list (TertuliaStartPage *self)
{
  return self->lan_list;
}

GtkLabel *
_tertulia_start_page_get_lan_status_label (TertuliaStartPage *self)
{
  return self->lan_status_label;
}

GtkLabel *
_tertulia_start_page_get_lan_error_label (TertuliaStartPage *self)
{
  return self->lan_error_label;
}

GtkEditable *
_tertulia_start_page_get_password_row (TertuliaStartPage *self)
{
  return GTK_EDITABLE (self->password_row);
}

GtkWidget *
_tertulia_start_page_get_password_dialog (TertuliaStartPage *self)
{
  return self->password_dialog;
}

GtkEditable *
_tertulia_start_page_get_password_dialog_row (TertuliaStartPage *self)
{
  if (self->password_dialog == NULL)
    return NULL;

  return _tertulia_password_dialog_get_entry (TERTULIA_PASSWORD_DIALOG (self->password_dialog));
}

GtkLabel *
_tertulia_start_page_get_password_dialog_problem (TertuliaStartPage *self)
{
  if (self->password_dialog == NULL)
    return NULL;

  return _tertulia_password_dialog_get_problem (TERTULIA_PASSWORD_DIALOG (self->password_dialog));
}

GtkWidget *
_tertulia_start_page_get_continue_row (TertuliaStartPage *self)
{
  return GTK_WIDGET (self->continue_row);
}

GtkSwitch *
_tertulia_start_page_get_continue_switch (TertuliaStartPage *self)
{
  return self->continue_switch;
}

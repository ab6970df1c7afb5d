/* tertulia-session.c — one stay in a room: the client, and the server when hosting
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-session"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gtk/gtk.h>

#include "tertulia-announcer.h"
#include "tertulia-host-identity.h"
#include "tertulia-journal.h"
#include "tertulia-protocol.h"
#include "tertulia-room-recorder.h"
#include "tertulia-server.h"
#include "tertulia-session.h"

struct _TertuliaSession
{
  GObject            parent_instance;

  /* Owned references */
  TertuliaClient    *client;
  TertuliaServer    *server;     /* NULL unless hosting */
  TertuliaAnnouncer *announcer;  /* NULL unless hosting */
  TertuliaJournal   *journal;    /* NULL unless hosting a kept room */
  TertuliaRoomRecorder *recorder; /* the room into the app's archive */
  char              *token_path; /* where our resume token is kept, or NULL */
  char              *store_notice; /* for the log once we are in, or NULL */

  guint              port;
  gboolean           ended;

  /* While hosting: logging out or suspending would end the room for
   * everyone in it, so the desktop is asked to wait (and says why).
   */
  GtkApplication    *inhibiting;
  guint              inhibit_cookie;
};

G_DEFINE_FINAL_TYPE (TertuliaSession, tertulia_session, G_TYPE_OBJECT)

static void
tertulia_session_dispose (GObject *object)
{
  TertuliaSession *self = (TertuliaSession *)object;

  tertulia_session_end (self);

  g_clear_object (&self->client);
  g_clear_object (&self->announcer);
  g_clear_object (&self->server);
  g_clear_object (&self->journal);
  g_clear_object (&self->recorder);
  g_clear_pointer (&self->token_path, g_free);
  g_clear_pointer (&self->store_notice, g_free);

  G_OBJECT_CLASS (tertulia_session_parent_class)->dispose (object);
}

static void
tertulia_session_class_init (TertuliaSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tertulia_session_dispose;
}

static void
tertulia_session_init (TertuliaSession *self)
{
}

/* The "Show When I'm Typing" preference, as it changes */
static void
follow_preferences (TertuliaClient *client)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  g_settings_bind (settings, "send-typing", client, "send-typing", G_SETTINGS_BIND_GET);
}

TertuliaSession *
tertulia_session_new_guest (const char *address,
                            const char *nickname)
{
  TertuliaSession *self;

  g_return_val_if_fail (address != NULL, NULL);

  self = g_object_new (TERTULIA_TYPE_SESSION, NULL);
  self->client = tertulia_client_new (address, nickname);
  self->recorder = tertulia_room_recorder_new (self->client);
  follow_preferences (self->client);

  return self;
}

static void
inhibit_while_hosting (TertuliaSession *self)
{
  GApplication *application = g_application_get_default ();

  if (!GTK_IS_APPLICATION (application))
    return;

  /* 0 when the desktop has no session manager to ask: nothing to undo. */
  self->inhibit_cookie = gtk_application_inhibit (GTK_APPLICATION (application), NULL,
                                                  GTK_APPLICATION_INHIBIT_LOGOUT |
                                                  GTK_APPLICATION_INHIBIT_SUSPEND,
                                                  _("A room is being hosted"));
  if (self->inhibit_cookie != 0)
    self->inhibiting = g_object_ref (GTK_APPLICATION (application));
}

static void
stop_inhibiting (TertuliaSession *self)
{
  if (self->inhibiting == NULL)
    return;

  gtk_application_uninhibit (self->inhibiting, self->inhibit_cookie);
  self->inhibit_cookie = 0;
  g_clear_object (&self->inhibiting);
}

TertuliaSession *
tertulia_session_new_host (const char  *room_name,
                           const char  *nickname,
                           guint        port,
                           GError     **error)
{
  return tertulia_session_new_host_full (room_name, nickname, port, NULL, NULL, error);
}

/* What the host's user must know about the kept room goes in the log, where
 * they look: a damaged journal moved aside, a disk that stopped taking it.
 */
static void
tell_store_notice (TertuliaSession *self)
{
  TertuliaRoom *room;

  if (self->store_notice == NULL ||
      tertulia_client_get_state (self->client) != TERTULIA_CONNECTION_CONNECTED)
    return;

  room = tertulia_client_get_room (self->client);
  tertulia_room_add_notice (room, self->store_notice);
  g_clear_pointer (&self->store_notice, g_free);
}

static void
journal_failed_cb (TertuliaSession *self,
                   TertuliaStore   *store)
{
  g_free (self->store_notice);
  /* Translators: %s is the reason, such as "database or disk is full" */
  self->store_notice = g_strdup_printf (_("The room can no longer be kept on this computer (%s). "
                                          "It goes on, but what is said from now on is lost if Tertulia closes."),
                                        tertulia_store_get_failure (store)->message);
  tell_store_notice (self);
}

/* Our own resume token, kept beside the journal, lets the host's own client
 * come back as the same participant when the room is opened again: without
 * it the host would be a newcomer with a suffixed nickname, while its old
 * self waited out its grace.
 */
static void
keep_resume_token (TertuliaSession *self)
{
  const char *token = tertulia_client_get_resume_token (self->client);
  g_autoptr(GError) error = NULL;

  if (self->token_path == NULL || token == NULL)
    return;

  if (!g_file_set_contents_full (self->token_path, token, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_warning ("Could not keep the host's resume token: %s", error->message);
}

static void
client_state_cb (TertuliaSession *self)
{
  if (tertulia_client_get_state (self->client) != TERTULIA_CONNECTION_CONNECTED)
    return;

  keep_resume_token (self);
  tell_store_notice (self);
}

/* What welcomes give: 64 hex digits. Anything else in the file was not
 * written by us, and is not sent.
 */
static gboolean
looks_like_token (const char *text)
{
  gsize i;

  for (i = 0; g_ascii_isxdigit (text[i]); i++)
    ;

  return i == 64 && text[i] == '\0';
}

static TertuliaServer *
new_kept_server (TertuliaSession  *self,
                 const char       *room_name,
                 const char       *data_dir,
                 GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *files = NULL;
  TertuliaServer *server;

  self->journal = tertulia_journal_open (data_dir, &local_error);
  if (self->journal == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_BUSY))
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                             _("This room is already open in another window."));
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  self->store_notice = g_strdup (tertulia_journal_get_notice (self->journal));
  g_signal_connect_object (self->journal, "failed", G_CALLBACK (journal_failed_cb),
                           self, G_CONNECT_SWAPPED);
  self->token_path = g_build_filename (data_dir, "host-token", NULL);

  server = tertulia_server_new_with_store (room_name, TERTULIA_DEFAULT_HISTORY,
                                           TERTULIA_STORE (self->journal));
  /* Beside the journal, so that a room continued still has its files */
  files = g_build_filename (data_dir, "files", NULL);
  tertulia_server_set_files_directory (server, files);

  return server;
}

TertuliaSession *
tertulia_session_new_host_full (const char  *room_name,
                                const char  *nickname,
                                guint        port,
                                const char  *password,
                                const char  *data_dir,
                                GError     **error)
{
  g_autoptr(TertuliaSession) self = NULL;
  g_autofree char *loopback = NULL;

  g_return_val_if_fail (room_name != NULL, NULL);
  g_return_val_if_fail (port <= G_MAXUINT16, NULL);
  g_return_val_if_fail (password == NULL || g_utf8_validate (password, -1, NULL), NULL);
  g_return_val_if_fail (password == NULL ||
                        g_utf8_strlen (password, -1) <= TERTULIA_MAX_PASSWORD_CHARS, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (TERTULIA_TYPE_SESSION, NULL);
  if (data_dir == NULL)
    self->server = tertulia_server_new (room_name);
  else if ((self->server = new_kept_server (self, room_name, data_dir, error)) == NULL)
    return NULL;

  /* Before listening, so that the room is never open without it, and
   * before announcing, so that the LAN is told at once. Hashing takes a
   * few tens of milliseconds, once.
   */
  if (password != NULL && password[0] != '\0')
    tertulia_server_set_password (self->server, password);

  /* The app's one key, kept across rooms and restarts: guests who pinned
   * it, or hold an invitation with it, know it is us again.
   */
  {
    g_autofree char *identity_dir = tertulia_host_identity_dup_default_directory ();
    g_autoptr(GTlsCertificate) certificate = NULL;
    g_autoptr(GError) local_error = NULL;

    certificate = tertulia_host_identity_load_or_create (identity_dir, &local_error);
    if (certificate == NULL)
      {
        /* Translators: %s is why, such as a file that cannot be read */
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                     _("This computer’s key for hosting rooms could not be read (%s)."),
                     local_error->message);
        return NULL;
      }

    tertulia_server_set_tls_certificate (self->server, certificate);
  }

  if (!tertulia_server_listen (self->server, NULL, port, error))
    return NULL;

  self->port = tertulia_server_get_port (self->server);
  inhibit_while_hosting (self);

  /* On the LAN for as long as we host, so nobody has to read addresses
   * aloud. Without Avahi this quietly does nothing; the Share popover
   * still lists the addresses.
   */
  self->announcer = tertulia_announcer_new_for_server (self->server, NULL);
  tertulia_announcer_start (self->announcer);

  /* The host is a guest of its own room, over loopback: one code path
   * for everyone, and the host key marks us as the host.
   */
  loopback = g_strdup_printf ("127.0.0.1:%u", self->port);
  self->client = tertulia_client_new_for_host (loopback,
                                               nickname,
                                               tertulia_server_get_host_key (self->server));
  self->recorder = tertulia_room_recorder_new (self->client);
  follow_preferences (self->client);
  /* Our own room over loopback: its key is known, and pinning
   * 127.0.0.1:PORT would only get in the way of other rooms there.
   */
  tertulia_client_set_expected_fingerprint (self->client,
                                            tertulia_server_get_fingerprint (self->server));
  tertulia_client_set_use_pins (self->client, FALSE);

  if (self->token_path != NULL)
    {
      g_autofree char *token = NULL;

      /* Missing the first time; an unknown one simply joins. */
      if (g_file_get_contents (self->token_path, &token, NULL, NULL) &&
          looks_like_token (token))
        tertulia_client_set_resume_token (self->client, token);

      g_signal_connect_object (self->client, "notify::state", G_CALLBACK (client_state_cb),
                               self, G_CONNECT_SWAPPED);
    }

  return g_steal_pointer (&self);
}

static void
tertulia_session_connect_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!tertulia_client_connect_finish (TERTULIA_CLIENT (object), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
tertulia_session_connect_async (TertuliaSession     *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TERTULIA_IS_SESSION (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tertulia_session_connect_async);

  tertulia_client_connect_async (self->client,
                                 cancellable,
                                 tertulia_session_connect_cb,
                                 g_steal_pointer (&task));
}

gboolean
tertulia_session_connect_finish (TertuliaSession  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (TERTULIA_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

TertuliaClient *
tertulia_session_get_client (TertuliaSession *self)
{
  g_return_val_if_fail (TERTULIA_IS_SESSION (self), NULL);

  return self->client;
}

gboolean
tertulia_session_is_hosting (TertuliaSession *self)
{
  g_return_val_if_fail (TERTULIA_IS_SESSION (self), FALSE);

  return self->server != NULL;
}

guint
tertulia_session_get_port (TertuliaSession *self)
{
  g_return_val_if_fail (TERTULIA_IS_SESSION (self), 0);

  return self->port;
}

gboolean
tertulia_session_get_password_required (TertuliaSession *self)
{
  g_return_val_if_fail (TERTULIA_IS_SESSION (self), FALSE);

  return self->server != NULL && tertulia_server_get_password_required (self->server);
}

const char *
tertulia_session_get_fingerprint (TertuliaSession *self)
{
  g_return_val_if_fail (TERTULIA_IS_SESSION (self), NULL);

  return self->server != NULL ? tertulia_server_get_fingerprint (self->server) : NULL;
}

TertuliaAnnouncer *
tertulia_session_get_announcer (TertuliaSession *self)
{
  g_return_val_if_fail (TERTULIA_IS_SESSION (self), NULL);

  return self->announcer;
}

void
tertulia_session_end (TertuliaSession *self)
{
  g_return_if_fail (TERTULIA_IS_SESSION (self));

  if (self->ended)
    return;

  self->ended = TRUE;

  if (self->recorder != NULL)
    tertulia_room_recorder_stop (self->recorder);

  /* Leave cleanly first, so the host's own departure is a normal close
   * rather than part of the shutdown.
   */
  if (self->client != NULL)
    tertulia_client_disconnect (self->client);

  /* Withdrawn before the room closes, so that nobody on the LAN is
   * offered a room that is going away.
   */
  if (self->announcer != NULL)
    tertulia_announcer_stop (self->announcer);

  if (self->server != NULL)
    tertulia_server_shutdown (self->server, NULL);

  stop_inhibiting (self);
}

gboolean
tertulia_session_restore_from_archive (TertuliaSession *self,
                                       const char      *room_id)
{
  g_return_val_if_fail (TERTULIA_IS_SESSION (self), FALSE);
  g_return_val_if_fail (room_id != NULL, FALSE);

  if (!tertulia_room_recorder_restore (self->recorder, room_id))
    return FALSE;

  /* The room is read from the archive meanwhile: the host may come back */
  tertulia_room_recorder_keep_trying (self->recorder);

  return TRUE;
}

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
#include "tertulia-protocol.h"
#include "tertulia-server.h"
#include "tertulia-session.h"

struct _TertuliaSession
{
  GObject            parent_instance;

  /* Owned references */
  TertuliaClient    *client;
  TertuliaServer    *server;     /* NULL unless hosting */
  TertuliaAnnouncer *announcer;  /* NULL unless hosting */

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

TertuliaSession *
tertulia_session_new_guest (const char *address,
                            const char *nickname)
{
  TertuliaSession *self;

  g_return_val_if_fail (address != NULL, NULL);

  self = g_object_new (TERTULIA_TYPE_SESSION, NULL);
  self->client = tertulia_client_new (address, nickname);

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
  return tertulia_session_new_host_full (room_name, nickname, port, NULL, error);
}

TertuliaSession *
tertulia_session_new_host_full (const char  *room_name,
                                const char  *nickname,
                                guint        port,
                                const char  *password,
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
  self->server = tertulia_server_new (room_name);

  /* Before listening, so that the room is never open without it, and
   * before announcing, so that the LAN is told at once. Hashing takes a
   * few tens of milliseconds, once.
   */
  if (password != NULL && password[0] != '\0')
    tertulia_server_set_password (self->server, password);

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

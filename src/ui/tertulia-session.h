/* tertulia-session.h — one stay in a room: the client, and the server when hosting
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tertulia-announcer.h"
#include "tertulia-client.h"

G_BEGIN_DECLS

#define TERTULIA_TYPE_SESSION (tertulia_session_get_type ())

G_DECLARE_FINAL_TYPE (TertuliaSession, tertulia_session, TERTULIA, SESSION, GObject)

/* A session owns what a stay in a room needs. When hosting it owns the
 * in-process TertuliaServer, and joins it over loopback with a
 * TertuliaClient like any guest: widgets only ever see the client.
 */
TertuliaSession *tertulia_session_new_guest     (const char           *address,
                                                 const char           *nickname);
/* Starts listening at once, and announces the room on the LAN until
 * tertulia_session_end(); fails like tertulia_server_listen() (for
 * example G_IO_ERROR_ADDRESS_IN_USE when @port is taken).
 */
TertuliaSession *tertulia_session_new_host      (const char           *room_name,
                                                 const char           *nickname,
                                                 guint                 port,
                                                 GError              **error);
/* The same, for a room guests need @password (NULL or "": none) to join.
 * The password is set before the room listens, so nobody gets in without
 * it; only the server's hash of it is kept, and our own client needs none.
 *
 * With @data_dir the room is kept there (a journal, see TertuliaJournal)
 * and a room already kept there continues: the same room, its history,
 * its guests able to resume, and we ourselves the same participant (our
 * resume token is kept beside the journal). NULL keeps nothing. A
 * directory another window is hosting from fails with G_IO_ERROR_BUSY.
 */
TertuliaSession *tertulia_session_new_host_full (const char           *room_name,
                                                 const char           *nickname,
                                                 guint                 port,
                                                 const char           *password,
                                                 const char           *data_dir,
                                                 GError              **error);

void             tertulia_session_connect_async  (TertuliaSession     *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean         tertulia_session_connect_finish (TertuliaSession     *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

TertuliaClient  *tertulia_session_get_client    (TertuliaSession      *self);
gboolean         tertulia_session_is_hosting    (TertuliaSession      *self);
/* The port guests use to reach the hosted room; 0 when not hosting. */
guint            tertulia_session_get_port      (TertuliaSession      *self);
/* Whether guests must give a password to join the hosted room; FALSE
 * when not hosting.
 */
gboolean         tertulia_session_get_password_required (TertuliaSession *self);
/* The hosted room's key (base64url SHA-256 of its certificate, kept in
 * $XDG_DATA_HOME/tertulia/host-identity), which its invitations carry;
 * NULL when not hosting.
 */
const char      *tertulia_session_get_fingerprint (TertuliaSession *self);
/* What tells the LAN about the hosted room; NULL when not hosting. */
TertuliaAnnouncer *tertulia_session_get_announcer (TertuliaSession *self);

/* Shows the room @room_id kept in the app's archive (a guest session, before
 * connecting): its newest messages at once, and connecting is tried again
 * and again while nobody answers. FALSE when the archive has no such room.
 */
gboolean         tertulia_session_restore_from_archive (TertuliaSession *self,
                                                        const char      *room_id);

/* Leaves the room; when hosting this closes it for everyone. */
void             tertulia_session_end           (TertuliaSession      *self);

G_END_DECLS

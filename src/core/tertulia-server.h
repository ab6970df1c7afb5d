/* tertulia-server.h — the host: WebSocket endpoint, sessions, fan-out, history
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TERTULIA_TYPE_SERVER (tertulia_server_get_type ())

G_DECLARE_FINAL_TYPE (TertuliaServer, tertulia_server, TERTULIA, SERVER, GObject)

/* Properties:
 *   room-name       gchar*   construct-only, 1–64 characters
 *   topic           gchar*   read-only, follows the room
 *   history-size    guint    construct-only, default TERTULIA_DEFAULT_HISTORY
 *   port            guint    read-only, 0 until listening
 *   n-participants  guint    read-only, notifies on change
 *   host-key        gchar*   read-only secret; a client that sends it in
 *                            hello is marked as the host
 */
TertuliaServer *tertulia_server_new                (const char      *room_name);
TertuliaServer *tertulia_server_new_full           (const char      *room_name,
                                                    guint            history_size);

/* Listens on @bind_address (NULL for every interface, IPv4 and IPv6) and
 * @port (0 picks a free one). Fails with G_IO_ERROR_ADDRESS_IN_USE when the
 * port is taken.
 */
gboolean        tertulia_server_listen             (TertuliaServer  *self,
                                                    const char      *bind_address,
                                                    guint            port,
                                                    GError         **error);
guint           tertulia_server_get_port           (TertuliaServer  *self);
const char     *tertulia_server_get_room_name      (TertuliaServer  *self);
const char     *tertulia_server_get_topic          (TertuliaServer  *self);
const char     *tertulia_server_get_host_key       (TertuliaServer  *self);
guint           tertulia_server_get_n_participants (TertuliaServer  *self);
guint           tertulia_server_get_history_size   (TertuliaServer  *self);

/* Closes every connection with 1001 and @reason (NULL: "The host closed the
 * room") and stops listening. Safe to call more than once.
 */
void            tertulia_server_shutdown           (TertuliaServer  *self,
                                                    const char      *reason);

G_END_DECLS

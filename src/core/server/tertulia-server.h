/* tertulia-server.h — the host: WebSocket endpoint, sessions, fan-out, history
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tertulia-store.h"

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
 *                            hello is marked as the host (and needs no
 *                            password)
 *   password-required gboolean read-only, notifies on change: whether
 *                            guests must give the room's password (for the
 *                            "pw" flag a LAN announcement may carry)
 *   tls-certificate GTlsCertificate*  read-write: the host's certificate with
 *                            its private key (tertulia-host-identity.h); NULL
 *                            (the default) turns TLS off
 *   fingerprint     gchar*   read-only: base64url SHA-256 of the certificate
 *                            (tertulia-fingerprint.h), NULL without TLS
 *   https-for-browsers gboolean read-write, FALSE by default: whether the
 *                            browser link offered (QR code, banner) is
 *                            https://. A browser that comes with TLS is
 *                            served either way.
 */
TertuliaServer *tertulia_server_new                (const char      *room_name);
TertuliaServer *tertulia_server_new_full           (const char      *room_name,
                                                    guint            history_size);
/* Keeps the room in @store as it goes (a TertuliaJournal: the room
 * outlives the process). A store that already holds a room is continued:
 * the same room id and topic, seq going on from the last event, the last
 * @history_size events for welcomes, and the participants who were in the
 * room back within their resume grace, their resume tokens valid, so that
 * guests resume with nothing lost or repeated. @room_name is the room's
 * name from now on.
 */
TertuliaServer *tertulia_server_new_with_store     (const char      *room_name,
                                                    guint            history_size,
                                                    TertuliaStore   *store);
/* The store given to tertulia_server_new_with_store(), or NULL */
TertuliaStore  *tertulia_server_get_store          (TertuliaServer  *self);

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

/* Sets the password guests must give in hello, or clears it (NULL or ""):
 * 1 to TERTULIA_MAX_PASSWORD_CHARS characters of UTF-8. Only a salted,
 * slow hash of its NFC form is kept (this costs some tens of milliseconds);
 * the password is never logged or sent back. Guests already in stay.
 */
void            tertulia_server_set_password          (TertuliaServer  *self,
                                                       const char      *password);
gboolean        tertulia_server_get_password_required (TertuliaServer  *self);

/* The most connections at once, and from one remote address (loopback
 * counts as one address too); 0 means no limit. The defaults are
 * TERTULIA_MAX_CONNECTIONS and TERTULIA_MAX_CONNECTIONS_PER_ADDRESS; they
 * apply to connections that arrive afterwards.
 */
void            tertulia_server_set_max_connections   (TertuliaServer  *self,
                                                       guint            max_connections,
                                                       guint            max_per_address);

/* TLS on the room's one port (docs/PROTOCOL.md, "Encryption"): a connection
 * whose first byte opens a TLS handshake is served over TLS with
 * @certificate, any other in plain text, as before. Set it before
 * listening; NULL turns TLS off.
 */
void             tertulia_server_set_tls_certificate   (TertuliaServer  *self,
                                                        GTlsCertificate *certificate);
GTlsCertificate *tertulia_server_get_tls_certificate   (TertuliaServer  *self);
const char      *tertulia_server_get_fingerprint       (TertuliaServer  *self);
void             tertulia_server_set_https_for_browsers (TertuliaServer *self,
                                                         gboolean        https);
gboolean         tertulia_server_get_https_for_browsers (TertuliaServer *self);
/* The invitation link for @host (an address or name others can reach):
 * "http://HOST:PORT/#fp=FP" (https:// with https-for-browsers; no fragment
 * without TLS). NULL until listening.
 */
char            *tertulia_server_dup_invitation        (TertuliaServer  *self,
                                                        const char      *host);

/* Closes every connection with 1001 and @reason (NULL: "The host closed the
 * room") and stops listening. Safe to call more than once.
 */
void            tertulia_server_shutdown           (TertuliaServer  *self,
                                                    const char      *reason);

/* Shared files (docs/PROTOCOL.md, "Files"). Call before the first guest
 * joins. @directory keeps the files of each room (a folder per room.id) for
 * a host started again; NULL (the default) keeps them in a temporary folder
 * removed with the server.
 */
void            tertulia_server_set_files_directory (TertuliaServer *self,
                                                     const char     *directory);
/* The biggest file (TERTULIA_DEFAULT_FILE_BYTES) and all of the room's
 * files together (TERTULIA_DEFAULT_ROOM_FILE_BYTES); 0 keeps a limit as it is
 */
void            tertulia_server_set_file_limits     (TertuliaServer *self,
                                                     guint64         file_bytes,
                                                     guint64         room_bytes);
/* The folder this room's files are in (made if needed), or NULL */
const char     *tertulia_server_get_files_room_directory (TertuliaServer *self);

G_END_DECLS

/* tertulia-client.h — a guest: connects, says hello, keeps a TertuliaRoom current
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tertulia-room.h"
#include "tertulia-command.h"
#include "tertulia-protocol-moderation.h"
#include "tertulia-client-enums.h"

G_BEGIN_DECLS

typedef enum
{
  TERTULIA_CONNECTION_DISCONNECTED,
  TERTULIA_CONNECTION_CONNECTING,
  TERTULIA_CONNECTION_CONNECTED,
  TERTULIA_CONNECTION_RECONNECTING,
} TertuliaConnectionState;

#define TERTULIA_TYPE_CLIENT (tertulia_client_get_type ())

G_DECLARE_FINAL_TYPE (TertuliaClient, tertulia_client, TERTULIA, CLIENT, GObject)

#define TERTULIA_CLIENT_ERROR (tertulia_client_error_quark ())

typedef enum
{
  TERTULIA_CLIENT_ERROR_UNREACHABLE,   /* nothing answered, or not a Tertulia room */
  TERTULIA_CLIENT_ERROR_REFUSED,       /* the room answered with an error */
  TERTULIA_CLIENT_ERROR_CLOSED,        /* the connection was closed */
  TERTULIA_CLIENT_ERROR_CANCELLED,
  TERTULIA_CLIENT_ERROR_PASSWORD_REQUIRED, /* the room has a password; set one and retry */
  TERTULIA_CLIENT_ERROR_PASSWORD_WRONG,    /* the password given is not the room's */
  TERTULIA_CLIENT_ERROR_FILE_TOO_LARGE,    /* over the room's limits.file_bytes */
  TERTULIA_CLIENT_ERROR_ROOM_FILES_FULL,   /* over the room's limits.room_file_bytes */
  TERTULIA_CLIENT_ERROR_FILE_GONE,         /* no such file (removed, or another room) */
  TERTULIA_CLIENT_ERROR_FILE_DAMAGED,      /* the bytes received are not the file's (sha256) */
  TERTULIA_CLIENT_ERROR_HOST_FULL,         /* the host's disk is full (HTTP 507) */
  TERTULIA_CLIENT_ERROR_FINGERPRINT_MISMATCH, /* the host's certificate is not the expected
                                               * (link, LAN record) or pinned one; compare
                                               * get_peer_fingerprint and
                                               * get_expected_fingerprint */
  TERTULIA_CLIENT_ERROR_PLAIN_PASSWORD,    /* the room is not encrypted and a password would
                                            * cross the network in plain text: ask the person,
                                            * then set_allow_plain_password (TRUE) */
} TertuliaClientError;

GQuark tertulia_client_error_quark (void);

/* Properties:
 *   address        gchar*                   construct-only, as typed
 *   nickname       gchar*                   construct-only, wanted nickname (may be NULL)
 *   host-key       gchar*                   construct-only, see TertuliaServer
 *   password       gchar*                   write-only, the room's password: sent in
 *                                           each hello, kept in memory only
 *   room           TertuliaRoom*            read-only, the same object for the
 *                                           client's whole life
 *   state          TertuliaConnectionState  read-only
 *   state-reason   gchar*                   read-only, a translated sentence saying
 *                                           why we are disconnected/reconnecting
 *   retry-seconds  guint                    read-only, seconds until the next
 *                                           attempt while reconnecting (counts down)
 *   removed        gboolean                 read-only, TRUE once the room kicked or
 *                                           banned us, or refused us at the door as
 *                                           banned or locked (issue 18): the state is
 *                                           DISCONNECTED and trying again is no use;
 *                                           FALSE again when asked to connect again
 *   fetching-history gboolean               read-only, a history request is on its
 *                                           way (tertulia_client_fetch_history())
 *   encrypted      gboolean                 read-only, the current (or last)
 *                                           connection is TLS, checked against
 *                                           the host's fingerprint
 *   peer-fingerprint gchar*                 read-only, what the host presented
 *                                           (NULL over plain text or before)
 *   expected-fingerprint gchar*             read-write, what the host must present:
 *                                           from the address's #fp=, a pin, or set
 *   allow-plain-password gboolean           read-write, FALSE by default
 *
 * Signals:
 *   server-error (const char *code, const char *message, const char *cid):
 *                 the server refused something; a translated notice is also
 *                 added to the room
 */
TertuliaClient          *tertulia_client_new               (const char           *address,
                                                            const char           *nickname);
TertuliaClient          *tertulia_client_new_for_host      (const char           *address,
                                                            const char           *nickname,
                                                            const char           *host_key);

/* Connects and completes when the welcome arrives (TRUE) or the first
 * attempt fails (FALSE, with a TERTULIA_CLIENT_ERROR whose message is a
 * translated sentence such as "No Tertulia room answered at
 * 192.168.1.20:7878"). After a first success, drops are retried on their
 * own with backoff (0.5 s doubling to 4 s; at once when the network comes
 * back), resuming the session. While away the room lists nobody, and its
 * log says once that the link dropped and once that we are back.
 */
void                     tertulia_client_connect_async     (TertuliaClient       *self,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gboolean                 tertulia_client_connect_finish    (TertuliaClient       *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

/* The password for a room that asks for one (connect fails with
 * TERTULIA_CLIENT_ERROR_PASSWORD_REQUIRED or _PASSWORD_WRONG); NULL forgets
 * it. Takes effect at the next connect or retry.
 */
void                     tertulia_client_set_password      (TertuliaClient       *self,
                                                            const char           *password);

/* Encryption (docs/PROTOCOL.md, "Encryption")
 *
 * The client speaks TLS (wss://, https://) to every host, and trusts a
 * host's self-signed certificate by its SHA-256 fingerprint alone, never by
 * a certificate authority. The fingerprint it expects comes from, first to
 * last: tertulia_client_set_expected_fingerprint() (a room found on the
 * LAN, the app's own hosted room), the address's "#fp=" (an invitation
 * link or QR code), or the pin kept for the address (tertulia-known-hosts.h).
 * With none of those, the first successful connection pins what the host
 * presented (trust on first use). A host that presents another certificate
 * is refused before anything is sent (TERTULIA_CLIENT_ERROR_FINGERPRINT_MISMATCH),
 * at the first connection and at every reconnection.
 *
 * A host with TLS turned off answers the TLS handshake in plain HTTP: only
 * then, and only for an address with no pin and no fingerprint, the client
 * joins in plain text (ws://) and "encrypted" is FALSE. A password never
 * goes out in plain text unless allowed (TERTULIA_CLIENT_ERROR_PLAIN_PASSWORD).
 */
gboolean                 tertulia_client_get_encrypted     (TertuliaClient       *self);
const char              *tertulia_client_get_peer_fingerprint     (TertuliaClient *self);
const char              *tertulia_client_get_expected_fingerprint (TertuliaClient *self);
/* NULL: back to the address's #fp= or the pin. Takes effect at the next
 * connection attempt.
 */
void                     tertulia_client_set_expected_fingerprint (TertuliaClient *self,
                                                                   const char     *fingerprint);
/* After a FINGERPRINT_MISMATCH, once the person compared both fingerprints
 * and accepts the host's new one: pins the peer fingerprint for the
 * address and expects it from now on. Connect again afterwards.
 */
void                     tertulia_client_trust_new_fingerprint    (TertuliaClient *self);
void                     tertulia_client_set_allow_plain_password (TertuliaClient *self,
                                                                   gboolean        allow);
gboolean                 tertulia_client_get_allow_plain_password (TertuliaClient *self);
/* FALSE: neither read nor write the pin store (the app's own loopback
 * client of the room it hosts, which expects its server's fingerprint).
 * TRUE by default.
 */
void                     tertulia_client_set_use_pins             (TertuliaClient *self,
                                                                   gboolean        use_pins);

/* Leaves the room with a clean close; no reconnection follows. */
void                     tertulia_client_disconnect        (TertuliaClient       *self);
/* Reconnects now (a "Retry" button), resuming if possible; while waiting
 * between attempts it also starts the back-off over. Call it too when the
 * room is announced again on the LAN: it is likely back.
 */
void                     tertulia_client_retry             (TertuliaClient       *self);

/* Posts a message: it appears in the room at once as "sending" and is
 * marked delivered when the server echoes it. While disconnected it waits
 * in the outbox. Returns the message (borrowed), or NULL with @error when
 * the text breaks the protocol's rules (empty, too long).
 */
TertuliaMessage         *tertulia_client_send_message      (TertuliaClient       *self,
                                                            TertuliaMessageKind   kind,
                                                            const char           *text,
                                                            GError              **error);
/* Sends again one of your messages the host refused (state FAILED): it
 * moves to the end of the log as "sending", and goes out now or with the
 * outbox after a reconnection. FALSE with @error for any other message.
 */
gboolean                 tertulia_client_resend_message    (TertuliaClient       *self,
                                                            TertuliaMessage      *message,
                                                            GError              **error);
/* Your most recent message the host refused (borrowed), or NULL. */
TertuliaMessage         *tertulia_client_get_last_failed_message (TertuliaClient *self);
gboolean                 tertulia_client_change_nickname   (TertuliaClient       *self,
                                                            const char           *nickname,
                                                            GError              **error);
gboolean                 tertulia_client_change_topic      (TertuliaClient       *self,
                                                            const char           *topic,
                                                            GError              **error);

/* Asks the host for up to @limit (1 to TERTULIA_MAX_HISTORY_PAGE; 0 for
 * TERTULIA_DEFAULT_HISTORY_PAGE) events before the room's oldest one; the
 * answer goes in front of the room's log (tertulia_room_prepend_history())
 * and sets the room's has-older. FALSE when not connected, when a request
 * is in flight, or when the room has nothing older. A reconnection
 * forgets a request in flight: ask again.
 */
gboolean                 tertulia_client_fetch_history     (TertuliaClient       *self,
                                                            guint                 limit);
gboolean                 tertulia_client_get_fetching_history (TertuliaClient    *self);

const char              *tertulia_client_get_address       (TertuliaClient       *self);
/* The secret the last welcome gave to resume as the same participant, or
 * NULL. A client given one before it connects (a host that opened its room
 * again keeps its own) resumes with it; an unknown one simply joins.
 */
const char              *tertulia_client_get_resume_token  (TertuliaClient       *self);
void                     tertulia_client_set_resume_token  (TertuliaClient       *self,
                                                            const char           *token);
TertuliaRoom            *tertulia_client_get_room          (TertuliaClient       *self);
TertuliaConnectionState  tertulia_client_get_state         (TertuliaClient       *self);
const char              *tertulia_client_get_state_reason  (TertuliaClient       *self);
guint                    tertulia_client_get_retry_seconds (TertuliaClient       *self);
gboolean                 tertulia_client_get_removed       (TertuliaClient       *self);

/* Shared files (tertulia-client-files.c; docs/PROTOCOL.md, "Files")
 *
 * Uploads and downloads run in a thread of their own over HTTP to the host,
 * authorized by this participant's file token from the welcome; @progress
 * (may be NULL) is called on the caller's main context about ten times a
 * second with the bytes moved so far and the total. Cancelling
 * @cancellable stops a transfer: an upload leaves nothing on the host.
 */
typedef void (*TertuliaTransferProgress) (goffset  current,
                                          goffset  total,
                                          gpointer user_data);

/* Sends @file to the room as @name (NULL: its own name); completes with the
 * new file's id once the host announced it (the `file` event follows on
 * the WebSocket).
 */
void      tertulia_client_upload_file_async    (TertuliaClient           *self,
                                                GFile                    *file,
                                                const char               *name,
                                                GCancellable             *cancellable,
                                                TertuliaTransferProgress  progress,
                                                gpointer                  progress_data,
                                                GAsyncReadyCallback       callback,
                                                gpointer                  user_data);
char     *tertulia_client_upload_file_finish   (TertuliaClient           *self,
                                                GAsyncResult             *result,
                                                GError                  **error);
/* Saves shared file @file_id into @dest. A @dest that holds the beginning
 * of the file already (an interrupted download) is resumed with an HTTP
 * Range; the whole is checked against the file's sha256 when the room's
 * log has it.
 */
void      tertulia_client_download_file_async  (TertuliaClient           *self,
                                                const char               *file_id,
                                                GFile                    *dest,
                                                GCancellable             *cancellable,
                                                TertuliaTransferProgress  progress,
                                                gpointer                  progress_data,
                                                GAsyncReadyCallback       callback,
                                                gpointer                  user_data);
gboolean  tertulia_client_download_file_finish (TertuliaClient           *self,
                                                GAsyncResult             *result,
                                                GError                  **error);
/* An http:// URL of @file_id that needs no header (for a picture viewer or
 * a browser), or NULL before the welcome
 */
char     *tertulia_client_dup_file_url         (TertuliaClient           *self,
                                                const char               *file_id);
/* The host or a co-host removes shared file @file_id from the room (DELETE
 * /files/ID); the `file-removed` event follows on the WebSocket. Anyone
 * else is refused (TERTULIA_CLIENT_ERROR_REFUSED).
 */
void      tertulia_client_remove_file_async    (TertuliaClient           *self,
                                                const char               *file_id,
                                                GCancellable             *cancellable,
                                                GAsyncReadyCallback       callback,
                                                gpointer                  user_data);
gboolean  tertulia_client_remove_file_finish   (TertuliaClient           *self,
                                                GAsyncResult             *result,
                                                GError                  **error);
/* The room's limits.file_bytes (0 before the welcome) */
guint64   tertulia_client_get_file_limit       (TertuliaClient           *self);
/* The room's limits.room_file_bytes (0 before the welcome) */
guint64   tertulia_client_get_room_file_limit  (TertuliaClient           *self);

/* issue 18: moderation and private messages (tertulia-client-moderation.c;
 * docs/PROTOCOL.md, "Moderation", "Private messages")
 *
 * Each sends one frame and returns TRUE, or FALSE when not connected (or
 * @id/@seconds cannot be right). The host checks every rule; a refusal
 * comes back as server-error and a translated notice in the room. What
 * was done comes back as a moderation event in the room's log.
 *
 * A client that is kicked or banned does not reconnect: its state becomes
 * DISCONNECTED, removed TRUE, with a translated state-reason ("ana removed
 * you from the room: reason", "ana banned you from this room: reason", or
 * "You are banned from this room." when no reason is known).
 */
gboolean  tertulia_client_kick                 (TertuliaClient           *self,
                                                gint64                    id,
                                                const char               *reason);
gboolean  tertulia_client_ban                  (TertuliaClient           *self,
                                                gint64                    id,
                                                const char               *reason);
gboolean  tertulia_client_unban                (TertuliaClient           *self,
                                                gint64                    ban_id);
/* The room's bans, as a GPtrArray of TertuliaBan (tertulia-protocol-moderation.h),
 * oldest first. Fails with TERTULIA_CLIENT_ERROR_REFUSED (not a moderator)
 * or _CLOSED.
 */
void      tertulia_client_fetch_bans_async     (TertuliaClient           *self,
                                                GCancellable             *cancellable,
                                                GAsyncReadyCallback       callback,
                                                gpointer                  user_data);
GPtrArray *tertulia_client_fetch_bans_finish   (TertuliaClient           *self,
                                                GAsyncResult             *result,
                                                GError                  **error);
gboolean  tertulia_client_set_muted            (TertuliaClient           *self,
                                                gint64                    id,
                                                gboolean                  muted);
/* 0 turns slow mode off; at most TERTULIA_MAX_SLOW_SECONDS */
gboolean  tertulia_client_set_slow_mode        (TertuliaClient           *self,
                                                guint                     seconds);
gboolean  tertulia_client_set_locked           (TertuliaClient           *self,
                                                gboolean                  locked);
gboolean  tertulia_client_set_cohost           (TertuliaClient           *self,
                                                gint64                    id,
                                                gboolean                  cohost);
gboolean  tertulia_client_set_private_messages (TertuliaClient           *self,
                                                TertuliaPrivateMessages   allow);
/* Your private message to participant @to_id, in its conversation at once
 * as "sending" (borrowed), delivered when the host relays it back; NULL
 * when @to_id is not someone else in the room or @text breaks the rules
 * (empty, too long). While disconnected it waits and goes out after the
 * reconnection.
 */
TertuliaMessage *tertulia_client_send_private  (TertuliaClient           *self,
                                                gint64                    to_id,
                                                const char               *text);
/* Runs one of issue 18's slash commands (/kick NICK [REASON], /ban, /unban
 * N, /bans, /mute, /unmute, /slow, /lock, /unlock, /op, /deop, /msg NICK
 * TEXT), for the app's entry and tertulia-cli alike: nicknames are looked
 * up in the room, /bans lists them as a notice in the room. FALSE with a
 * translated @error (nobody has that nickname, not connected, …).
 */
gboolean  tertulia_client_run_command          (TertuliaClient           *self,
                                                const TertuliaCommand    *command,
                                                GError                  **error);
/* Replies, reactions, edits, deletions and typing (issue 19).
 * send_reply is send_message answering the message @reply_to_seq (0: not
 * a reply); NULL when the text is not valid (empty, too long: check it
 * first with tertulia_protocol_normalize_text()) or not connected. The others send their frame and return FALSE when not
 * connected (refusals come as server errors). set_typing is throttled:
 * at most one "active" frame per TERTULIA_TYPING_RELAY_SECONDS, and one
 * "inactive" after an active one; nothing when send-typing is FALSE.
 * fetch_history_until pages back (one page at a time, on its own) until
 * the message @seq is in the room's log or there is nothing older;
 * FALSE when nothing needed asking.
 */
TertuliaMessage *tertulia_client_send_reply          (TertuliaClient      *self,
                                                      TertuliaMessageKind  kind,
                                                      const char          *text,
                                                      gint64               reply_to_seq);
gboolean         tertulia_client_react               (TertuliaClient      *self,
                                                      gint64               seq,
                                                      const char          *emoji,
                                                      gboolean             add);
gboolean         tertulia_client_edit_message        (TertuliaClient      *self,
                                                      gint64               seq,
                                                      const char          *text);
gboolean         tertulia_client_delete_message      (TertuliaClient      *self,
                                                      gint64               seq);
void             tertulia_client_set_typing          (TertuliaClient      *self,
                                                      gboolean             typing);
gboolean         tertulia_client_get_send_typing     (TertuliaClient      *self);
void             tertulia_client_set_send_typing     (TertuliaClient      *self,
                                                      gboolean             send_typing);
gboolean         tertulia_client_fetch_history_until (TertuliaClient      *self,
                                                      gint64               seq);

G_END_DECLS

/* tertulia-client-private.h — TertuliaClient's insides, shared by its files, and hooks for the tests
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "tertulia-client.h"
#include "tertulia-outbox.h"
#include "tertulia-reconnect.h"

G_BEGIN_DECLS

struct _TertuliaClient
{
  GObject                  parent_instance;

  /* Owned references */
  TertuliaRoom            *room;
  SoupSession             *session;
  SoupWebsocketConnection *connection;
  GCancellable            *cancellable;     /* the attempt under way */
  GPtrArray               *pending_tasks;   /* GTask* of connect_async calls */
  TertuliaOutbox          *outbox;
  TertuliaReconnect       *reconnect;

  char                    *address;
  char                    *display_name;
  char                    *nickname;
  char                    *host_key;
  char                    *password;
  char                    *resume_token;
  char                    *state_reason;
  char                    *cid_prefix;
  /* Shared files: from the last welcome */
  char                    *file_token;
  guint64                  file_bytes;
  guint64                  room_file_bytes;

  TertuliaConnectionState  state;
  guint                    retry_seconds;
  guint                    cid_counter;

  guint                    attempt_timeout_id;
  guint                    liveness_id;

  /* KEEPALIVE_SECONDS and SILENCE_LIMIT_SECONDS, but for tests */
  guint                    keepalive_seconds;
  guint                    silence_limit_msec;
  gint64                   last_heard;        /* monotonic µs */

  /* A welcome arrived once: from then on, drops are retried on their own. */
  guint                    ever_connected : 1;
  /* The current connection got its welcome. */
  guint                    welcomed : 1;
  /* A welcomed connection dropped and the log said so: the next welcome
   * says we are back.
   */
  guint                    away : 1;
  /* A history frame is on its way, asking for events before this seq */
  guint                    fetching_history : 1;
  gint64                   history_before;

  /* issue 18 (tertulia-client-moderation.c) */
  GPtrArray               *bans_tasks;       /* GTask* waiting for a "bans" answer */
  GPtrArray               *pending_privates; /* private messages on their way */
  /* Kicked or banned: why, and there is no coming back */
  char                    *removed_reason;
  /* The "removed" property: kicked, banned, or kept out at the door */
  guint                    removed : 1;
  /* issue 19: typing (tertulia-client-conversation.c) */
  gint64                   typing_sent_at;    /* monotonic µs of the last "active" */
  guint                    send_typing : 1;
  guint                    typing_active : 1; /* an "active" went out, no end yet */
  /* fetch_history_until: pages back until this seq is in the log (0: no) */
  gint64                   history_until;
  /* Encryption (tertulia-client-tls.c) */
  char                    *fingerprint_given;    /* set_expected_fingerprint() */
  char                    *expected_fingerprint; /* this attempt's: given, #fp= or pin */
  char                    *peer_fingerprint;     /* what the host presented */
  guint                    encrypted : 1;
  guint                    allow_plain_password : 1;
  guint                    use_pins : 1;
  /* This attempt is plain: the host answered the TLS handshake in plain text */
  guint                    plain_attempt : 1;
  /* This attempt's certificate was not the expected one */
  guint                    fingerprint_refused : 1;
  /* This attempt's host presented a certificate at all */
  guint                    certificate_seen : 1;
  /* Tests: loopback counts as a network a password could be read on */
  guint                    loopback_is_network : 1;
};

/* tertulia-client.c: state the object notifies */
void     _tertulia_client_set_state              (TertuliaClient          *self,
                                                  TertuliaConnectionState  state);
void     _tertulia_client_set_state_reason       (TertuliaClient          *self,
                                                  const char              *reason);
void     _tertulia_client_set_removed            (TertuliaClient          *self,
                                                  gboolean                 removed);
void     _tertulia_client_set_fetching_history   (TertuliaClient          *self,
                                                  gboolean                 fetching);
void     _tertulia_client_set_retry_seconds      (TertuliaClient          *self,
                                                  guint                    seconds);
void     _tertulia_client_complete_pending_tasks (TertuliaClient          *self,
                                                  const GError            *error);
void     _tertulia_client_emit_server_error      (TertuliaClient          *self,
                                                  const char              *code,
                                                  const char              *message,
                                                  const char              *cid);

/* tertulia-client-connection.c: the connection's life */
void     _tertulia_client_connection_init        (TertuliaClient          *self);
void     _tertulia_client_start_attempt          (TertuliaClient          *self);
void     _tertulia_client_stop_everything        (TertuliaClient          *self);
gboolean _tertulia_client_send_frame             (TertuliaClient          *self,
                                                  const TertuliaFrame     *frame);

/* tertulia-client-tls.c: encryption */
void     _tertulia_client_tls_install_properties (GObjectClass            *object_class,
                                                  guint                    first_prop_id);
gboolean _tertulia_client_tls_get_property       (TertuliaClient          *self,
                                                  guint                    prop_id,
                                                  GValue                  *value);
gboolean _tertulia_client_tls_set_property       (TertuliaClient          *self,
                                                  guint                    prop_id,
                                                  const GValue            *value);
void     _tertulia_client_tls_finalize           (TertuliaClient          *self);
/* The URI this attempt connects to (wss://, or ws:// after the host
 * answered in plain text), the fingerprint expected worked out; NULL with
 * @error when the address's #fp= is damaged
 */
char    *_tertulia_client_tls_attempt_uri        (TertuliaClient          *self,
                                                  GError                 **error);
/* Checks the certificate of @msg as its handshake goes */
void     _tertulia_client_tls_watch              (TertuliaClient          *self,
                                                  SoupMessage             *msg);
/* The WebSocket of @msg is open: FALSE with @code and @sentence when the
 * host must be refused (its certificate, or a password in plain text)
 */
gboolean _tertulia_client_tls_check_connected    (TertuliaClient          *self,
                                                  SoupMessage             *msg,
                                                  TertuliaClientError     *code,
                                                  char                   **sentence);
/* The WebSocket of @msg failed with @error: TRUE when that is the TLS's
 * doing, with @code and @sentence to refuse, or @retry_plain set when the
 * host speaks plain text and may be joined so
 */
gboolean _tertulia_client_tls_check_failed       (TertuliaClient          *self,
                                                  const GError            *error,
                                                  gboolean                *retry_plain,
                                                  TertuliaClientError     *code,
                                                  char                   **sentence);
/* For file transfers: TRUE when @msg's certificate is the room's */
gboolean _tertulia_client_tls_accept             (const char              *fingerprint,
                                                  GTlsCertificate         *certificate);

/* tertulia-client-history.c: scrollback */
void     _tertulia_client_handle_history         (TertuliaClient          *self,
                                                  const TertuliaFrame     *frame);
/* An error frame may be the answer to a history request: TRUE when it was
 * that and needs no notice in the log.
 */
gboolean _tertulia_client_history_refused        (TertuliaClient          *self,
                                                  const TertuliaFrame     *frame);
/* tertulia-client-conversation.c (issue 19) */
/* A message went out: the host ends its author's typing for everyone */
void     _tertulia_client_typing_done            (TertuliaClient          *self);
/* A page of history came: another one if fetch_history_until wants it */
void     _tertulia_client_history_until_next     (TertuliaClient          *self);

/* tertulia-client-files.c */
void     _tertulia_client_files_welcome          (TertuliaClient          *self,
                                                  const TertuliaFrame     *welcome);

/* tertulia-client.c */
char    *_tertulia_client_next_cid               (TertuliaClient          *self);

/* tertulia-client-moderation.c (issue 18) */
void     _tertulia_client_moderation_init        (TertuliaClient          *self);
void     _tertulia_client_moderation_finalize    (TertuliaClient          *self);
void     _tertulia_client_moderation_connection_gone (TertuliaClient      *self);
void     _tertulia_client_handle_bans            (TertuliaClient          *self,
                                                  const TertuliaFrame     *frame);
void     _tertulia_client_handle_private         (TertuliaClient          *self,
                                                  const TertuliaFrame     *frame);
/* A moderation event (applied to the room already) that may be about us */
void     _tertulia_client_moderation_event       (TertuliaClient          *self,
                                                  const TertuliaFrame     *event);
/* An error frame: TRUE when it ends the connection for good (kicked,
 * banned) and needs nothing else
 */
gboolean _tertulia_client_moderation_error       (TertuliaClient          *self,
                                                  const TertuliaFrame     *frame);
/* A welcome arrived: private messages still on their way go again */
void     _tertulia_client_moderation_welcome     (TertuliaClient          *self);

/* The client pings the host every 10 seconds and gives up on a host it has
 * not heard from for 30 seconds: too long for a test to wait. Only tests
 * call this, before connecting; 0 keeps a value as it is.
 */
void _tertulia_client_set_keepalive (TertuliaClient *self,
                                     guint           ping_seconds,
                                     guint           silence_limit_msec);

/* A host on loopback is on this computer: a password to it crosses no
 * network, so it goes even in plain text, and it is not pinned. Tests of
 * the question the person is asked and of pins set this, since their
 * hosts are on loopback too.
 */
void _tertulia_client_set_loopback_is_network (TertuliaClient *self,
                                               gboolean        is_network);

G_END_DECLS

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
};

/* tertulia-client.c: state the object notifies */
void     _tertulia_client_set_state              (TertuliaClient          *self,
                                                  TertuliaConnectionState  state);
void     _tertulia_client_set_state_reason       (TertuliaClient          *self,
                                                  const char              *reason);
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

/* tertulia-client-history.c: scrollback */
void     _tertulia_client_handle_history         (TertuliaClient          *self,
                                                  const TertuliaFrame     *frame);
/* An error frame may be the answer to a history request: TRUE when it was
 * that and needs no notice in the log.
 */
gboolean _tertulia_client_history_refused        (TertuliaClient          *self,
                                                  const TertuliaFrame     *frame);
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

G_END_DECLS

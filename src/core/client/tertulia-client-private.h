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

  /* issue 19: typing (tertulia-client-conversation.c) */
  gint64                   typing_sent_at;    /* monotonic µs of the last "active" */
  guint                    send_typing : 1;
  guint                    typing_active : 1; /* an "active" went out, no end yet */
  /* fetch_history_until: pages back until this seq is in the log (0: no) */
  gint64                   history_until;
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
/* tertulia-client-conversation.c (issue 19) */
char    *_tertulia_client_next_cid               (TertuliaClient          *self);
/* A message went out: the host ends its author's typing for everyone */
void     _tertulia_client_typing_done            (TertuliaClient          *self);
/* A page of history came: another one if fetch_history_until wants it */
void     _tertulia_client_history_until_next     (TertuliaClient          *self);

/* tertulia-client-files.c */
void     _tertulia_client_files_welcome          (TertuliaClient          *self,
                                                  const TertuliaFrame     *welcome);

/* The client pings the host every 10 seconds and gives up on a host it has
 * not heard from for 30 seconds: too long for a test to wait. Only tests
 * call this, before connecting; 0 keeps a value as it is.
 */
void _tertulia_client_set_keepalive (TertuliaClient *self,
                                     guint           ping_seconds,
                                     guint           silence_limit_msec);

G_END_DECLS

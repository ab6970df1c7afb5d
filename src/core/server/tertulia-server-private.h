/* tertulia-server-private.h — internals of TertuliaServer, and hooks for tests
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tertulia-server.h"

G_BEGIN_DECLS

/* Hooks for tests (and for tertulia-server's options for benchmarks). Call
 * them before the first connection arrives.
 */

/* The protocol's deadlines (TERTULIA_HANDSHAKE_TIMEOUT_SECONDS,
 * TERTULIA_RESUME_GRACE_SECONDS) are too long for a test to wait for. 0
 * keeps a deadline as it is.
 */
void  _tertulia_server_set_deadlines       (TertuliaServer *self,
                                            guint           handshake_timeout_msec,
                                            guint           resume_grace_msec);
/* Pings every @ping_seconds (TERTULIA_PING_SECONDS), and drops a guest that
 * sent nothing for @idle_timeout_msec (TERTULIA_IDLE_TIMEOUT_SECONDS). 0
 * keeps a value as it is.
 */
void  _tertulia_server_set_keepalive       (TertuliaServer *self,
                                            guint           ping_seconds,
                                            guint           idle_timeout_msec);
/* Frames per connection: a burst, then @per_second (TERTULIA_RATE_BURST,
 * TERTULIA_RATE_PER_SECOND). 0 for both turns the limit off.
 */
void  _tertulia_server_set_rate_limit      (TertuliaServer *self,
                                            guint           burst,
                                            guint           per_second);
/* Bytes queued for a guest that does not read (TERTULIA_MAX_QUEUED_BYTES) */
void  _tertulia_server_set_max_queued      (TertuliaServer *self,
                                            gsize           max_queued_bytes);
/* Time between two password attempts from one address
 * (TERTULIA_PASSWORD_RETRY_SECONDS); 0 lets every attempt through.
 */
void  _tertulia_server_set_password_retry  (TertuliaServer *self,
                                            guint           msec);

/* The time a guest has to read a welcome bigger than its queue's bound
 * (TERTULIA_WELCOME_SECONDS); 0 keeps the default
 */
void  _tertulia_server_set_welcome_timeout (TertuliaServer *self,
                                            guint           msec);

/* Password checks per second for the whole room (4); 0 keeps the default */
void  _tertulia_server_set_password_checks (TertuliaServer *self,
                                            guint           per_second);

/* PBKDF2 iterations for the next tertulia_server_set_password()
 * (TERTULIA_PASSWORD_ITERATIONS): tests that check many passwords under
 * valgrind or ASan would otherwise take minutes.
 */
void  _tertulia_server_set_password_iterations (TertuliaServer *self,
                                                guint           iterations);

/* Another name the host answers to (besides IP addresses, localhost, the
 * machine's host name and its .local name), for the Host header check
 * against DNS rebinding (tertulia-server-hosts.c).
 */
void  _tertulia_server_add_host_name       (TertuliaServer *self,
                                            const char     *name);
/* Deadlines before the upgrade (TERTULIA_HTTP_HEADERS_SECONDS,
 * TERTULIA_HTTP_IDLE_SECONDS in tertulia-server-http.h); 0 keeps one as it
 * is.
 */
void  _tertulia_server_set_http_timeouts   (TertuliaServer *self,
                                            guint           headers_msec,
                                            guint           idle_msec);

/* Open WebSocket connections that count against the limits, joined or not:
 * lets a test wait until the server has seen a drop.
 */
guint _tertulia_server_get_n_connections   (TertuliaServer *self);

G_END_DECLS

/* What the server's own files share. Tests do not see it. */
#ifdef TERTULIA_SERVER_COMPILATION

#include <libsoup/soup.h>

#include "tertulia-password.h"
#include "tertulia-protocol.h"
#include "tertulia-server-files.h"
#include "tertulia-server-guard.h"
#include "tertulia-server-http.h"

G_BEGIN_DECLS

/* Close reasons and error sentences go on the wire in English (the error
 * code is what clients translate), so they are not marked for translation.
 */
#define DEFAULT_CLOSE_REASON "The host closed the room"

/* What libsoup may buffer for one incoming message: the protocol's limit
 * and room for the frame headers of a message that came in fragments. The
 * guard stream drops anything bigger before libsoup reads it; libsoup's own
 * max-incoming-payload-size is a second line. Messages between this and the
 * protocol's limit are read whole and refused with 1009.
 */
#define FRAMING_SLACK        4096
#define MAX_INCOMING_BYTES   (TERTULIA_MAX_FRAME_BYTES + FRAMING_SLACK)

typedef struct _Session     Session;
typedef struct _Participant Participant;
typedef struct _Address     Address;
typedef struct _CidMemory   CidMemory;
typedef struct _PasswordCheck PasswordCheck;
typedef struct _WelcomeFeed   WelcomeFeed;

/* What a cid became (tertulia-server-cids.c) */
typedef struct
{
  gint64 seq;
  gint64 time;
} CidRecord;

/* One event, shared by the history ring, the cid memory's replays and
 * every send: it is serialized and framed once, so every guest gets the
 * same bytes. Allocated with g_rc_box.
 */
typedef struct
{
  gint64  seq;
  /* The text frame as it goes on the wire, header and payload */
  guint8 *frame;
  gsize   frame_length;
  /* The payload, NUL-terminated, inside the frame */
  char   *json;
  guint8  bytes[];
} Event;

/* A remote address, for the per-address limits */
struct _Address
{
  char   *name;
  guint   n_connections;
  /* Of its connections turned away for a limit, those still closing */
  guint   n_turned_away;
  /* g_get_monotonic_time() of the last password tried from here, or 0 */
  gint64  last_password_try;
};

struct _Participant
{
  /* Borrowed */
  TertuliaServer *server;
  /* Borrowed: NULL while the participant is within its resume grace */
  Session        *session;

  gint64          id;
  char           *nick;
  char           *nick_key;
  gint64          joined_at;
  gboolean        host;
  /* NULL for a participant a restarted host has not seen again yet: it
   * knows only the key (tertulia-server-store.c)
   */
  char           *resume_token;
  /* SHA-256 of the resume token, hex: what the server finds it by, and
   * what a store keeps
   */
  char           *token_key;
  /* The participant as a welcome lists it, serialized once */
  char           *json;

  guint           grace_id;
  /* When the grace began (g_get_monotonic_time()), and how long it is */
  gint64          grace_start;
  guint           grace_msec;

  /* The cids it had accepted, for resends */
  CidMemory      *cids;
  /* The keys it clashes under: nick_key and the confusables skeletons */
  GStrv           skeletons;

  /* issue 18 (tertulia-server-moderation.c) */
  TertuliaRole    role;          /* HOST whenever host is set */
  gboolean        muted;
  gint64          last_say;      /* g_get_monotonic_time() of its last message, or 0 */
  char           *address;       /* of its last connection, for a ban */
  GQueue          privates;      /* of KeptPrivate*, its last private messages, oldest first */
};

/* One guest connection */
struct _Session
{
  /* Borrowed; NULL once the server has let go of the session */
  TertuliaServer          *server;
  /* Borrowed; NULL until hello succeeds */
  Participant             *participant;
  /* Borrowed; NULL for a connection turned away, which counts nowhere */
  Address                 *address;

  /* Owned */
  SoupWebsocketConnection *conn;
  TertuliaGuardStream     *guard;
  char                    *peer;

  guint                    handshake_id;
  /* When the connection began to wait for its hello, and for its welcome
   * to go out (g_get_monotonic_time())
   */
  gint64                   handshake_start;
  gint64                   welcome_start;
  guint                    idle_id;
  gulong                   message_id;
  gulong                   error_id;
  gulong                   closed_id;
  gulong                   violation_id;

  /* The rate limit's token bucket */
  double                   tokens;
  gint64                   tokens_time;
  /* When the last TERTULIA_FLOOD_REFUSALS frames were refused, a ring */
  gint64                   refusals[TERTULIA_FLOOD_REFUSALS];
  guint                    next_refusal;

  /* Bytes of our own frames handed to libsoup; with the guard's count of
   * bytes written, what is still queued.
   */
  guint64                  bytes_sent;
  /* The welcome may be bigger than the queue's bound; it is allowed on top
   * until it is out.
   */
  guint64                  welcome_end;
  guint64                  welcome_bytes;
  /* A welcome going out in pieces (tertulia-server-welcome.c), or NULL */
  WelcomeFeed             *welcome_feed;
  /* Watches that a whole welcome goes out in time */
  guint                    welcome_timer_id;

  /* Of the events of turn turn_serial, it has had the first turn_sent
   * (tertulia-server-turn.c)
   */
  guint64                  turn_serial;
  guint                    turn_sent;
  /* Joined, its welcome waits for the end of the turn */
  gboolean                 welcome_pending;
  gboolean                 welcome_resumed;
  gint64                   welcome_last_seq;

  guint                    wrong_passwords;
  /* The password check this guest's hello waits for, or NULL */
  PasswordCheck           *password_check;
  /* An error frame and a close are on their way: nothing more is done */
  gboolean                 refused;

  /* issue 18: hello.resume.last_private, for its welcome */
  gint64                   last_private;
};

struct _TertuliaServer
{
  GObject               parent_instance;

  /* Owned references */
  SoupServer           *soup;
  TertuliaHttp         *http;          /* listening, and connections before the upgrade */
  char                 *room_id;
  char                 *room_name;
  char                 *topic;
  char                 *host_key;
  TertuliaPasswordHash *password;
  GPtrArray            *sessions;      /* of Session*, every connection that counts */
  GPtrArray            *turned_away;   /* of Session*, refused and closing */
  GPtrArray            *participants;  /* of Participant*, present, joining order */
  GHashTable           *by_token;      /* token_key → Participant* */
  GHashTable           *by_nick_key;   /* nick_key and skeletons → Participant* */
  GHashTable           *departed;      /* token_key → cids of one who left, or NULL */
  GQueue                departed_order;
  GPtrArray            *host_names;    /* of char*, names given; or NULL */

  /* Password checks (tertulia-server-checks.c) */
  GQueue                password_queue;      /* of PasswordCheck*, waiting */
  PasswordCheck        *password_running;
  gint64                password_next_start; /* g_get_monotonic_time () */
  guint                 password_timer_id;
  guint                 password_wrong_streak;
  gint64                password_last_wrong;
  guint                 password_checks_per_second;
  guint                 welcome_timeout_msec;      /* 0: TERTULIA_WELCOME_SECONDS */
  GHashTable           *addresses;     /* Address.name → Address* */
  guint                 addresses_kept; /* its size after the last sweep */
  /* nick_key of a nickname → the last suffix given for it (nicks.c) */
  GHashTable           *nick_suffixes;
  TertuliaGuardBatch   *batch;         /* sends every guest's frames once per iteration */

  /* Where the room is kept beyond the process (a TertuliaJournal), or
   * NULL for an ephemeral room: written behind the ring, which stays the
   * events every send and welcome shares
   */
  TertuliaStore        *store;
  /* Something was written to the store since it was last flushed */
  gboolean              store_dirty;

  /* Shared files (tertulia-server-files.c) */
  TertuliaFiles        *files;

  /* The history ring: the last history_size Event*, oldest at ring_start */
  GPtrArray            *ring;
  guint                 ring_start;

  /* This turn of the main loop (tertulia-server-turn.c): its events, and
   * their frames as pieces to write
   */
  GPtrArray            *turn_events;
  GArray               *turn_parts;    /* of GOutputVector */
  guint64               turn_serial;
  gboolean              turn_welcomes; /* some welcome may wait */
  /* What every welcome shares (tertulia-server-welcome.c); NULL when stale */
  GString              *participants_json;
  GString              *history_json;
  GArray               *history_offsets; /* of gsize */

  guint                 history_size;
  guint                 port;
  gint64                next_id;
  gint64                seq;

  /* Limits: the TERTULIA_* defaults, changed only by tests and options */
  guint                 handshake_timeout_msec;
  guint                 resume_grace_msec;
  guint                 ping_seconds;
  guint                 idle_timeout_msec;
  guint                 rate_burst;
  guint                 rate_per_second;
  guint                 max_connections;
  guint                 max_connections_per_address;
  gsize                 max_queued_bytes;
  guint                 password_retry_msec;
  guint                 password_iterations;

  gboolean              shut_down;

  /* issue 18: moderation and private messages (tertulia-server-moderation.c) */
  gboolean              locked;
  guint                 slow_seconds;
  TertuliaPrivateMessages private_messages;
  GPtrArray            *bans;           /* of Ban*, oldest first; NULL until the first */
  GHashTable           *muted_keys;     /* token_key of a muted guest who left; NULL until one */
  gint64                next_ban_id;
  gint64                next_private_id;
};

/* tertulia-server.c */
/* The milliseconds the host ran since @start (g_get_monotonic_time()):
 * after a stall of its own, from when it woke
 */
gint64   _tertulia_server_running_msec           (TertuliaServer *self,
                                                  gint64          start);
void     _tertulia_server_enter                  (TertuliaServer *self);
void     _tertulia_server_leave                  (TertuliaServer *self);
void     _tertulia_server_notify_n_participants  (TertuliaServer *self);
void     _tertulia_server_notify_topic           (TertuliaServer *self);
char    *_tertulia_random_hex                    (gsize           n_bytes);

/* tertulia-server-connect.c */
void     _tertulia_server_add_handlers           (TertuliaServer *self);
void     _tertulia_address_free                  (Address        *address);
void     _tertulia_server_release_address        (TertuliaServer *self,
                                                  Address        *address);

/* tertulia-server-session.c */
Session *_tertulia_session_new                   (TertuliaServer          *server,
                                                  SoupWebsocketConnection *conn,
                                                  TertuliaGuardStream     *guard,
                                                  const char              *peer);
void     _tertulia_session_start                 (Session        *session,
                                                  Address        *address);
void     _tertulia_session_turn_away             (Session        *session,
                                                  const char     *code,
                                                  const char     *message);
gboolean _tertulia_session_is_open               (Session        *session);
void     _tertulia_session_send                  (Session        *session,
                                                  const char     *text);
void     _tertulia_session_send_event            (Session        *session,
                                                  Event          *event);
void     _tertulia_session_close                 (Session        *session,
                                                  gushort         code,
                                                  const char     *reason);
void     _tertulia_session_send_error            (Session        *session,
                                                  const char     *code,
                                                  const char     *message,
                                                  const char     *cid);
void     _tertulia_session_send_gerror           (Session        *session,
                                                  const GError   *error,
                                                  const char     *cid);
/* Sends @code in an error frame, then closes with 1008 and @reason */
void     _tertulia_session_refuse                (Session        *session,
                                                  const char     *code,
                                                  const char     *message,
                                                  const char     *reason);
/* Lets the guest go if it does not read what is queued for it */
void     _tertulia_session_check_queue           (Session        *session);
void     _tertulia_session_detach                (Session        *session);
void     _tertulia_session_free                  (Session        *session);

/* tertulia-server-room.c */
/* Takes @frame */
void     _tertulia_server_handle_frame           (TertuliaServer *self,
                                                  Session        *session,
                                                  TertuliaFrame  *frame);
/* The password of @hello (taken) was checked */
void     _tertulia_server_password_checked       (TertuliaServer *self,
                                                  Session        *session,
                                                  TertuliaFrame  *hello,
                                                  gboolean        right);
/* Lets go of what the room part keeps besides participants and events */
void     _tertulia_server_room_finalize          (TertuliaServer *self);
/* Serializes @participant as a welcome lists it, into participant->json */
void     _tertulia_participant_update_json       (Participant    *participant);
/* The connection of @participant is gone, with close @code; @silent_msec is
 * how long the guest had already been silent, which counts against its
 * grace.
 */
void     _tertulia_server_participant_dropped    (TertuliaServer *self,
                                                  Participant    *participant,
                                                  gushort         code,
                                                  guint           silent_msec);
void     _tertulia_server_participant_free       (Participant    *participant);
/* Takes @json */
Event   *_tertulia_event_new                     (gint64          seq,
                                                  char           *json);
void     _tertulia_event_unref                   (Event          *event);

/* Gives @frame (an event) its seq and time, keeps and sends it */
Event   *_tertulia_server_emit_event             (TertuliaServer *self,
                                                  TertuliaFrame  *frame);

/* tertulia-server-files.c, -files-store.c */
void     _tertulia_server_add_file_handlers      (TertuliaServer *self);
void     _tertulia_server_files_fill_welcome     (TertuliaServer *self,
                                                  Participant    *participant,
                                                  TertuliaFrame  *welcome);
/* The welcome for @session, which joined (or resumed after @last_seq) */
void     _tertulia_server_send_welcome           (TertuliaServer *self,
                                                  Session        *session,
                                                  gboolean        resumed,
                                                  gint64          last_seq);

/* tertulia-server-turn.c */
void     _tertulia_server_turn_init              (TertuliaServer *self);
void     _tertulia_server_turn_finalize          (TertuliaServer *self);
/* @event goes to every joined guest at the end of the turn */
void     _tertulia_server_turn_add_event         (TertuliaServer *self,
                                                  Event          *event);
/* Hands @session what the room said in this turn that it has not had yet
 * (or its welcome, if that waits): before anything sent to it alone
 */
void     _tertulia_session_catch_up              (Session        *session);
/* @session joined: its welcome goes at the end of the turn, or before
 * anything else that goes to it
 */
void     _tertulia_session_welcome_later         (Session        *session,
                                                  gboolean        resumed,
                                                  gint64          last_seq);
void     _tertulia_session_welcome_now           (Session        *session);

/* tertulia-server-welcome.c */
void     _tertulia_server_participants_changed   (TertuliaServer *self);
void     _tertulia_server_history_changed        (TertuliaServer *self);
/* Sends @json (taken: a welcome serialized with empty lists) with the
 * participants and the history ring from its @first event put in
 */
void     _tertulia_session_send_welcome_shared   (Session        *session,
                                                  char           *json,
                                                  guint           first);
/* Sends a welcome too big for the guest's queue, made of @head (taken:
 * the welcome's JSON up to and with "history":[), the JSON of @events and
 * its end, in pieces as the guest reads.
 */
void     _tertulia_session_send_welcome_parts    (Session        *session,
                                                  char           *head,
                                                  Event         **events,
                                                  guint           n_events);
/* While a welcome goes out in pieces, @event waits for it: TRUE if so */
gboolean _tertulia_session_defer                 (Session        *session,
                                                  Event          *event);
void     _tertulia_session_stop_welcome          (Session        *session);

/* tertulia-server-history.c */
/* Answers a guest's "history" frame, or refuses it */
void     _tertulia_server_handle_history         (TertuliaServer      *self,
                                                  Session             *session,
                                                  const TertuliaFrame *frame);

/* tertulia-server-hosts.c */
gboolean _tertulia_server_host_is_known          (TertuliaServer    *self,
                                                  SoupServerMessage *msg);
/* Answers @msg with 421 if its Host is not a name of ours; TRUE if so */
gboolean _tertulia_server_refuse_unknown_host    (TertuliaServer    *self,
                                                  SoupServerMessage *msg);

/* tertulia-server-nicks.c */
/* Files @participant under its nickname's keys, which it gets anew */
void     _tertulia_server_index_nick             (TertuliaServer *self,
                                                  Participant    *participant);
void     _tertulia_server_unindex_nick           (TertuliaServer *self,
                                                  Participant    *participant);
/* Whether nobody but @except has @nick or one that looks like it */
gboolean _tertulia_server_nick_is_free           (TertuliaServer *self,
                                                  const char     *nick,
                                                  Participant    *except);
char    *_tertulia_server_dup_unique_nick        (TertuliaServer *self,
                                                  const char     *nick);
char    *_tertulia_server_dup_guest_nick         (TertuliaServer *self);

/* tertulia-server-checks.c */
/* Checks @hello's password in a thread, in turn; then calls
 * _tertulia_server_password_checked(). Takes @hello.
 */
void     _tertulia_server_check_password_async   (TertuliaServer *self,
                                                  Session        *session,
                                                  TertuliaFrame  *hello);
void     _tertulia_password_check_drop_session   (PasswordCheck  *check);
void     _tertulia_server_forget_password_checks (TertuliaServer *self);

/* tertulia-server-store.c */
char    *_tertulia_token_key                     (const char     *token);
/* Continues the room @self->store holds, or saves this new one */
void     _tertulia_server_restore                (TertuliaServer *self);
void     _tertulia_server_store_room             (TertuliaServer *self);
void     _tertulia_server_store_participant      (TertuliaServer *self,
                                                  Participant    *participant);
/* Participants restored into their grace; room.c ends it */
void     _tertulia_server_start_grace            (TertuliaServer *self,
                                                  Participant    *participant,
                                                  guint           msec);

/* tertulia-server-room.c (issue 18) */
/* Compares secrets in time that does not depend on how much matches */
gboolean _tertulia_secret_equal                  (const char     *secret,
                                                  const char     *guess);
/* @participant leaves the room now: its leave event, its token void */
void     _tertulia_server_participant_leave      (TertuliaServer *self,
                                                  Participant    *participant);

/* tertulia-server-files.c (issue 18): the present participant with @id, or NULL */
Participant *_tertulia_server_find_participant   (TertuliaServer *self,
                                                  gint64          id);

/* tertulia-server-moderation.c (issue 18) */
typedef struct _KeptPrivate KeptPrivate;
/* The host or a co-host: who may delete anyone's message or file */
gboolean _tertulia_server_session_moderates      (TertuliaServer *self,
                                                  Session        *session);
gboolean _tertulia_server_participant_moderates  (Participant    *participant);
/* Refuses @session's frame with `muted` if its participant is muted:
 * TRUE if so (for say, edit, react, msg, topic)
 */
gboolean _tertulia_server_session_refuse_muted   (TertuliaServer *self,
                                                  Session        *session,
                                                  const char     *cid);
/* Whether @session may post a message now (mute, slow mode); refuses it
 * otherwise. Notes the time of a message that goes through.
 */
gboolean _tertulia_server_moderation_may_say     (TertuliaServer *self,
                                                  Session        *session,
                                                  const char     *cid);
/* A hello that is not a resume of someone present: refused (banned,
 * room-locked) and TRUE, or FALSE to go on
 */
gboolean _tertulia_server_refuse_hello           (TertuliaServer *self,
                                                  Session        *session,
                                                  const TertuliaFrame *hello);
/* @participant is joining by @hello, before anyone hears of it */
void     _tertulia_server_moderation_joining     (TertuliaServer *self,
                                                  Participant    *participant,
                                                  const TertuliaFrame *hello);
/* @session's participant was admitted by @hello (joined or resumed) */
void     _tertulia_server_moderation_admitted    (TertuliaServer *self,
                                                  Session        *session,
                                                  const TertuliaFrame *hello,
                                                  gboolean        resumed);
void     _tertulia_server_moderation_fill_welcome (TertuliaServer *self,
                                                  Session        *session,
                                                  TertuliaFrame  *welcome,
                                                  gboolean        resumed);
/* kick, ban, unban, bans, mute, unmute, slow, lock, op, private-messages, msg */
void     _tertulia_server_handle_moderation      (TertuliaServer *self,
                                                  Session        *session,
                                                  const TertuliaFrame *frame);
void     _tertulia_server_participant_moderation_free (Participant *participant);
void     _tertulia_server_moderation_finalize    (TertuliaServer *self);

/* tertulia-server-cids.c */
CidMemory       *_tertulia_cid_memory_new        (void);
void             _tertulia_cid_memory_free       (CidMemory      *memory);
void             _tertulia_cid_memory_remember   (CidMemory      *memory,
                                                  const char     *cid,
                                                  gint64          seq,
                                                  gint64          time);
const CidRecord *_tertulia_cid_memory_lookup     (CidMemory      *memory,
                                                  const char     *cid);
/* Keeps the cids of @participant, who is leaving, under its resume token */
void             _tertulia_server_keep_departed  (TertuliaServer *self,
                                                  Participant    *participant);
/* The cids of the participant who had @token, if they are still kept */
CidMemory       *_tertulia_server_take_departed  (TertuliaServer *self,
                                                  const char     *token);
void             _tertulia_server_forget_departed (TertuliaServer *self);

G_END_DECLS

#endif /* TERTULIA_SERVER_COMPILATION */

/* tertulia-protocol.h — frames ⇄ values: parse, validate, serialize
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "tertulia-protocol-enums.h"

G_BEGIN_DECLS

/* Every limit of the protocol lives here, and docs/PROTOCOL.md lists them. */
#define TERTULIA_PROTOCOL_VERSION          1
#define TERTULIA_SUBPROTOCOL               "tertulia.1"
#define TERTULIA_WEBSOCKET_PATH            "/ws"
#define TERTULIA_DEFAULT_PORT              7878
#define TERTULIA_MAX_FRAME_BYTES           65536
#define TERTULIA_MAX_JSON_DEPTH            8
#define TERTULIA_MAX_TEXT_CHARS            4000
#define TERTULIA_MAX_NICK_CHARS            32
#define TERTULIA_MAX_TOPIC_CHARS           200
#define TERTULIA_MAX_ROOM_NAME_CHARS       64
#define TERTULIA_MAX_CID_BYTES             64
#define TERTULIA_MAX_CLIENT_NAME_CHARS     64
/* What is looked at before normalizing, which costs more the longer a run
 * of combining marks is: a nickname of 32 characters is far below these
 * bytes even fully decomposed, and no script stacks this many marks on
 * one letter.
 */
#define TERTULIA_MAX_NICK_BYTES            512
#define TERTULIA_MAX_NICK_MARK_RUN         4
#define TERTULIA_MAX_TEXT_MARK_RUN         16
/* A hello, the only frame before the welcome, needs far less than a frame
 * may hold: anything bigger from a guest that has not joined is refused
 * unread.
 */
#define TERTULIA_MAX_HELLO_BYTES           4096
#define TERTULIA_DEFAULT_HISTORY           500
/* Events in one answer to a history frame: a page of scrollback. */
#define TERTULIA_MAX_HISTORY_PAGE          200
#define TERTULIA_DEFAULT_HISTORY_PAGE      100
/* ...and at most this many bytes of events (at least one event): 200 of
 * the longest messages would be megabytes, more than a guest may have
 * queued (TERTULIA_MAX_QUEUED_BYTES).
 */
#define TERTULIA_MAX_HISTORY_PAGE_BYTES    (256 * 1024)
#define TERTULIA_HANDSHAKE_TIMEOUT_SECONDS 10
#define TERTULIA_RESUME_GRACE_SECONDS      30

/* How the host defends itself; docs/PROTOCOL.md, "Limits", explains each.
 * Everything a client may care about is also in welcome.limits.
 */
#define TERTULIA_RATE_BURST                   50
#define TERTULIA_RATE_PER_SECOND              10
#define TERTULIA_FLOOD_REFUSALS               50
#define TERTULIA_FLOOD_WINDOW_SECONDS         10
#define TERTULIA_MAX_CONNECTIONS              512
#define TERTULIA_MAX_CONNECTIONS_PER_ADDRESS  32
#define TERTULIA_MAX_QUEUED_BYTES             (1024 * 1024)
#define TERTULIA_WELCOME_SECONDS              30
#define TERTULIA_PING_SECONDS                 10
#define TERTULIA_IDLE_TIMEOUT_SECONDS         30
#define TERTULIA_MAX_PASSWORD_CHARS           128
#define TERTULIA_PASSWORD_RETRY_SECONDS       1
#define TERTULIA_MAX_WRONG_PASSWORDS          5

/* Files (tertulia-protocol-files.h, docs/PROTOCOL.md "Files") */
#define TERTULIA_FILES_PATH                   "/files"
#define TERTULIA_DEFAULT_FILE_BYTES           (G_GUINT64_CONSTANT (2) << 30)
#define TERTULIA_DEFAULT_ROOM_FILE_BYTES      (G_GUINT64_CONSTANT (10) << 30)

/* Stable error codes, see docs/PROTOCOL.md */
#define TERTULIA_ERROR_MALFORMED_JSON      "malformed-json"
#define TERTULIA_ERROR_INVALID_FRAME       "invalid-frame"
#define TERTULIA_ERROR_UNKNOWN_TYPE        "unknown-type"
#define TERTULIA_ERROR_BINARY_FRAME        "binary-frame"
#define TERTULIA_ERROR_VERSION_UNSUPPORTED "version-unsupported"
#define TERTULIA_ERROR_NOT_JOINED          "not-joined"
#define TERTULIA_ERROR_ALREADY_JOINED      "already-joined"
#define TERTULIA_ERROR_NICK_INVALID        "nick-invalid"
#define TERTULIA_ERROR_NICK_TOO_LONG       "nick-too-long"
#define TERTULIA_ERROR_NICK_TAKEN          "nick-taken"
#define TERTULIA_ERROR_TEXT_EMPTY          "text-empty"
#define TERTULIA_ERROR_TEXT_TOO_LONG       "text-too-long"
#define TERTULIA_ERROR_TEXT_INVALID        "text-invalid"
#define TERTULIA_ERROR_TOPIC_TOO_LONG      "topic-too-long"
#define TERTULIA_ERROR_TOPIC_INVALID       "topic-invalid"
#define TERTULIA_ERROR_HANDSHAKE_TIMEOUT   "handshake-timeout"
#define TERTULIA_ERROR_RATE_LIMITED        "rate-limited"
#define TERTULIA_ERROR_FLOODING            "flooding"
#define TERTULIA_ERROR_ROOM_FULL           "room-full"
#define TERTULIA_ERROR_TOO_MANY_CONNECTIONS "too-many-connections"
#define TERTULIA_ERROR_TOO_SLOW            "too-slow"
#define TERTULIA_ERROR_IDLE_TIMEOUT        "idle-timeout"
#define TERTULIA_ERROR_PASSWORD_REQUIRED   "password-required"
#define TERTULIA_ERROR_PASSWORD_WRONG      "password-wrong"
#define TERTULIA_ERROR_HISTORY_OUT_OF_RANGE "history-out-of-range"
#define TERTULIA_ERROR_FILE_TOO_LARGE      "file-too-large"
#define TERTULIA_ERROR_ROOM_FILES_FULL     "room-files-full"
/* issue 19: replies, reactions, edits, deletions (tertulia-protocol-conversation.h) */
#define TERTULIA_ERROR_MESSAGE_NOT_FOUND   "message-not-found"
#define TERTULIA_ERROR_MESSAGE_DELETED     "message-deleted"
#define TERTULIA_ERROR_NOT_AUTHOR          "not-author"
#define TERTULIA_ERROR_EMOJI_INVALID       "emoji-invalid"
#define TERTULIA_ERROR_REACTIONS_FULL      "reactions-full"

typedef enum
{
  TERTULIA_MESSAGE_KIND_CHAT,
  TERTULIA_MESSAGE_KIND_ACTION,
  TERTULIA_MESSAGE_KIND_NOTICE,
  TERTULIA_MESSAGE_KIND_FILE,    /* a shared file: TertuliaMessage:file */
} TertuliaMessageKind;

typedef enum
{
  /* client → server */
  TERTULIA_FRAME_HELLO,
  TERTULIA_FRAME_SAY,
  TERTULIA_FRAME_NICK,
  TERTULIA_FRAME_SET_TOPIC,    /* "topic" sent by a client */
  /* server → client */
  TERTULIA_FRAME_WELCOME,
  TERTULIA_FRAME_MESSAGE,
  TERTULIA_FRAME_JOIN,
  TERTULIA_FRAME_LEAVE,
  TERTULIA_FRAME_RENAME,
  TERTULIA_FRAME_TOPIC,        /* "topic" sent by the server */
  TERTULIA_FRAME_ERROR,
  TERTULIA_FRAME_FETCH_HISTORY, /* "history" sent by a client: a request */
  TERTULIA_FRAME_HISTORY,       /* "history" sent by the server: a page of events */
  /* server → client: files (tertulia-protocol-files.c) */
  TERTULIA_FRAME_FILE,
  TERTULIA_FRAME_FILE_REMOVED, /* "file-removed" */
  /* issue 19 (tertulia-protocol-conversation.c) */
  TERTULIA_FRAME_REACT,          /* "react" sent by a client */
  TERTULIA_FRAME_EDIT_MESSAGE,   /* "edit" sent by a client */
  TERTULIA_FRAME_DELETE_MESSAGE, /* "delete" sent by a client */
  TERTULIA_FRAME_SET_TYPING,     /* "typing" sent by a client */
  TERTULIA_FRAME_REACTION,       /* event */
  TERTULIA_FRAME_EDIT,           /* "edit" event */
  TERTULIA_FRAME_DELETE,         /* "delete" event */
  TERTULIA_FRAME_TYPING,         /* "typing" sent by the server: not an event */
} TertuliaFrameType;

/* A shared file as the wire describes it (tertulia-protocol-files.h) */
typedef struct _TertuliaFileInfo TertuliaFileInfo;

/* A participant as the wire describes it. */
typedef struct
{
  gint64   id;
  char    *nick;
  gint64   joined_at;   /* ms since the epoch */
  gboolean host;
} TertuliaPeer;

/* One decoded frame. Which members are set depends on @type; the rest are
 * zero/NULL. Each frame type documents its members in docs/PROTOCOL.md, and
 * the names here follow the wire names.
 */
typedef struct
{
  TertuliaFrameType   type;

  /* events: message, join, leave, rename, topic */
  gint64              seq;
  gint64              time;

  /* hello */
  gint64              version;
  char               *client_name;
  char               *resume_token;      /* hello.resume.token, welcome.resume_token */
  gint64              last_seq;          /* hello.resume.last_seq */
  gboolean            has_resume;
  char               *host_key;
  char               *password;          /* wiped when the frame is freed */

  /* hello, nick: the wanted nickname */
  char               *nick;

  /* say, message */
  TertuliaMessageKind kind;
  char               *text;
  char               *cid;               /* say, message, error */

  /* message (from), join (participant), leave (id, nick), rename (id),
   * topic (by) */
  TertuliaPeer        peer;

  /* rename */
  char               *old_nick;
  char               *new_nick;

  /* topic, set-topic; welcome: room.topic */
  char               *topic;

  /* welcome */
  char               *room_id;           /* room.id: a new one each time a host opens the room */
  char               *room_name;
  TertuliaPeer        you;
  GPtrArray          *participants;      /* of TertuliaPeer* */
  GPtrArray          *history;           /* of TertuliaFrame* (events); also a history frame's events */
  gboolean            resumed;
  gboolean            gap;
  struct {
    gint64 text, nick, topic, room_name, frame_bytes, history;
    gint64 json_depth, hello_seconds;
    gint64 rate_burst, rate_per_second;
    gint64 connections, connections_per_address;
    gint64 queue_bytes, ping_seconds, idle_seconds;
    gint64 file_bytes, room_file_bytes;
  } limits;
  /* welcome: the secret that authorizes this participant's HTTP requests
   * for files (never the resume token)
   */
  char               *file_token;

  /* file (from: peer), file-removed (by: peer; only file->id is set) */
  TertuliaFileInfo   *file;

  /* history (both ways): events with seq < before are wanted; the
   * server's answer has them in "history", oldest first, and says in
   * "more" whether it has older ones still.
   */
  gint64              before;
  gint64              limit;
  gboolean            more;

  /* error */
  char               *code;
  char               *message;

  /* issue 19. say: reply_to is the seq answered (0: none); message: the
   * host's quote of it (reply_to, reply_to_peer, reply_to_text).
   * react, reaction, edit, delete (both ways): target is the message's
   * seq; "from" is peer; an edit's new text is text. typing: active.
   */
  gint64              reply_to;
  TertuliaPeer        reply_to_peer;
  char               *reply_to_text;
  gint64              target;
  char               *emoji;
  gboolean            add;
  gboolean            active;
} TertuliaFrame;

#define TERTULIA_PROTOCOL_ERROR (tertulia_protocol_error_quark ())

/* Errors carry one of the TERTULIA_ERROR_* codes as their message domain
 * code; g_error->message is an English sentence. Use
 * tertulia_protocol_error_code() to get the stable string back.
 */
typedef enum
{
  TERTULIA_PROTOCOL_ERROR_MALFORMED_JSON,
  TERTULIA_PROTOCOL_ERROR_INVALID_FRAME,
  TERTULIA_PROTOCOL_ERROR_UNKNOWN_TYPE,
  TERTULIA_PROTOCOL_ERROR_VERSION_UNSUPPORTED,
  TERTULIA_PROTOCOL_ERROR_NICK_INVALID,
  TERTULIA_PROTOCOL_ERROR_NICK_TOO_LONG,
  TERTULIA_PROTOCOL_ERROR_TEXT_EMPTY,
  TERTULIA_PROTOCOL_ERROR_TEXT_TOO_LONG,
  TERTULIA_PROTOCOL_ERROR_TEXT_INVALID,
  TERTULIA_PROTOCOL_ERROR_TOPIC_TOO_LONG,
  TERTULIA_PROTOCOL_ERROR_TOPIC_INVALID,
  TERTULIA_PROTOCOL_ERROR_HISTORY_OUT_OF_RANGE,
  TERTULIA_PROTOCOL_ERROR_EMOJI_INVALID,   /* issue 19 */
} TertuliaProtocolError;

GQuark         tertulia_protocol_error_quark        (void);
const char    *tertulia_protocol_error_code         (const GError        *error);

TertuliaFrame *tertulia_frame_new                   (TertuliaFrameType    type);
void           tertulia_frame_free                  (TertuliaFrame       *frame);
TertuliaPeer  *tertulia_peer_copy                   (const TertuliaPeer  *peer);
void           tertulia_peer_free                   (TertuliaPeer        *peer);
void           tertulia_peer_clear                  (TertuliaPeer        *peer);

/* Parsing validates everything the receiver relies on: a frame that parses
 * is safe to use. Text and nicknames are returned normalized (NFC, trimmed).
 * @length may be (gsize) -1 when @data is NUL-terminated. Client frames
 * over TERTULIA_MAX_FRAME_BYTES are refused; server frames have no size
 * limit (a welcome with a long history is big).
 */
TertuliaFrame *tertulia_protocol_parse_client_frame (const char          *data,
                                                     gsize                length,
                                                     GError             **error);
TertuliaFrame *tertulia_protocol_parse_server_frame (const char          *data,
                                                     gsize                length,
                                                     GError             **error);
/* The valid "cid" of a client frame, or NULL: for the error frame about a
 * say that failed to parse, which must carry its cid (docs/PROTOCOL.md).
 */
char          *tertulia_protocol_dup_cid            (const char          *data,
                                                     gsize                length);

/* Serializing returns a compact, NUL-terminated JSON string, "type" first. */
char          *tertulia_protocol_serialize          (const TertuliaFrame *frame);
/* A welcome's participants and history are spliced in already serialized:
 * each participant from tertulia_protocol_serialize_peer(), kept from when
 * it joined, and each event as it was broadcast, so that the bytes a late
 * joiner gets are exactly those. @welcome's own lists are not used.
 */
char          *tertulia_protocol_serialize_welcome  (const TertuliaFrame *welcome,
                                                     const char * const  *participants_json,
                                                     guint                n_participants,
                                                     const char * const  *history_json,
                                                     guint                n_history);
/* A history frame's answer, its events spliced in as they were broadcast,
 * like a welcome's history.
 */
char          *tertulia_protocol_serialize_history  (gint64               before,
                                                     const char * const  *events_json,
                                                     guint                n_events,
                                                     gboolean             more);
/* A full peer, as in a welcome's "participants" or a join's "participant". */
char          *tertulia_protocol_serialize_peer     (const TertuliaPeer  *peer);
char          *tertulia_protocol_serialize_error    (const char          *code,
                                                     const char          *message,
                                                     const char          *cid);

/* Validation shared by the server and by clients that want to check early.
 * They return a newly allocated normalized copy or NULL with @error set.
 */
char          *tertulia_protocol_normalize_nick     (const char          *nick,
                                                     GError             **error);
char          *tertulia_protocol_normalize_text     (const char          *text,
                                                     GError             **error);
char          *tertulia_protocol_normalize_topic    (const char          *topic,
                                                     GError             **error);
/* A key that is equal for nicknames that count as the same: case folding,
 * compatibility forms ("ａｎａ") and the Cyrillic and Greek letters that
 * look like Latin ones ("аdmin" with a Cyrillic а is "admin").
 */
char          *tertulia_protocol_nick_key          (const char          *nick);
/* The keys under which @nick clashes with look-alikes (the confusables
 * skeleton of Unicode's UTS #39, taken with and without case folding, so
 * that "AIice" with a capital i is "Alice" and "rnario" is "mario"): two
 * nicknames are confusable when their key sets meet. One or two keys.
 */
GStrv          tertulia_protocol_nick_skeletons    (const char          *nick);

/* A translated, human sentence for a server error code; @fallback (the
 * server's English sentence) is used for codes this build does not know.
 */
const char    *tertulia_protocol_describe_error     (const char          *code,
                                                     const char          *fallback);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TertuliaFrame, tertulia_frame_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TertuliaPeer, tertulia_peer_free)

G_END_DECLS

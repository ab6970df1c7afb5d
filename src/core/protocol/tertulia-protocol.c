/* tertulia-protocol.c — error codes, and the frames and peers the protocol passes around
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-protocol"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tertulia-protocol.h"
#include "tertulia-protocol-files.h"

/* The GError messages the protocol sets go on the wire as the "message" of
 * an error frame, so they are English sentences and deliberately not
 * translated; tertulia_protocol_describe_error() is the translated side.
 *
 * The rest of the protocol lives beside this file:
 *   tertulia-protocol-text.c       nicknames, texts and topics: normalized, validated, compared
 *   tertulia-protocol-scan.c       JSON read within the protocol's limits
 *   tertulia-protocol-parse.c      frames from JSON
 *   tertulia-protocol-serialize.c  frames to JSON
 */

G_DEFINE_QUARK (tertulia-protocol-error-quark, tertulia_protocol_error)

static const char * const error_codes[] = {
  [TERTULIA_PROTOCOL_ERROR_MALFORMED_JSON]      = TERTULIA_ERROR_MALFORMED_JSON,
  [TERTULIA_PROTOCOL_ERROR_INVALID_FRAME]       = TERTULIA_ERROR_INVALID_FRAME,
  [TERTULIA_PROTOCOL_ERROR_UNKNOWN_TYPE]        = TERTULIA_ERROR_UNKNOWN_TYPE,
  [TERTULIA_PROTOCOL_ERROR_VERSION_UNSUPPORTED] = TERTULIA_ERROR_VERSION_UNSUPPORTED,
  [TERTULIA_PROTOCOL_ERROR_NICK_INVALID]        = TERTULIA_ERROR_NICK_INVALID,
  [TERTULIA_PROTOCOL_ERROR_NICK_TOO_LONG]       = TERTULIA_ERROR_NICK_TOO_LONG,
  [TERTULIA_PROTOCOL_ERROR_TEXT_EMPTY]          = TERTULIA_ERROR_TEXT_EMPTY,
  [TERTULIA_PROTOCOL_ERROR_TEXT_TOO_LONG]       = TERTULIA_ERROR_TEXT_TOO_LONG,
  [TERTULIA_PROTOCOL_ERROR_TEXT_INVALID]        = TERTULIA_ERROR_TEXT_INVALID,
  [TERTULIA_PROTOCOL_ERROR_TOPIC_TOO_LONG]      = TERTULIA_ERROR_TOPIC_TOO_LONG,
  [TERTULIA_PROTOCOL_ERROR_TOPIC_INVALID]       = TERTULIA_ERROR_TOPIC_INVALID,
  [TERTULIA_PROTOCOL_ERROR_HISTORY_OUT_OF_RANGE] = TERTULIA_ERROR_HISTORY_OUT_OF_RANGE,
  [TERTULIA_PROTOCOL_ERROR_EMOJI_INVALID]       = TERTULIA_ERROR_EMOJI_INVALID,  /* issue 19 */
};

const char *
tertulia_protocol_error_code (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != TERTULIA_PROTOCOL_ERROR ||
      error->code < 0 ||
      error->code >= (int) G_N_ELEMENTS (error_codes))
    return NULL;

  return error_codes[error->code];
}

static const struct {
  const char *code;
  const char *sentence;
} error_descriptions[] = {
  /* The numbers in these sentences are the limits in tertulia-protocol.h;
   * change them together.
   */
  { TERTULIA_ERROR_MALFORMED_JSON, N_("The host could not read what this app sent.") },
  { TERTULIA_ERROR_INVALID_FRAME, N_("The host did not understand what this app sent.") },
  { TERTULIA_ERROR_UNKNOWN_TYPE, N_("The host does not know what this app asked for.") },
  { TERTULIA_ERROR_BINARY_FRAME, N_("The host only accepts text.") },
  { TERTULIA_ERROR_VERSION_UNSUPPORTED, N_("The host runs a version of Tertulia that this app cannot talk to.") },
  { TERTULIA_ERROR_NOT_JOINED, N_("You have not joined the room yet.") },
  { TERTULIA_ERROR_ALREADY_JOINED, N_("You have already joined the room.") },
  { TERTULIA_ERROR_NICK_INVALID, N_("That nickname cannot be used: it is empty or has invisible or control characters.") },
  { TERTULIA_ERROR_NICK_TOO_LONG, N_("Nicknames can be at most 32 characters long.") },
  { TERTULIA_ERROR_NICK_TAKEN, N_("Someone in the room already has that nickname.") },
  { TERTULIA_ERROR_TEXT_EMPTY, N_("Messages cannot be empty.") },
  { TERTULIA_ERROR_TEXT_TOO_LONG, N_("Messages can be at most 4000 characters long.") },
  { TERTULIA_ERROR_TEXT_INVALID, N_("Messages cannot contain control characters other than tabs and new lines.") },
  { TERTULIA_ERROR_TOPIC_TOO_LONG, N_("Topics can be at most 200 characters long.") },
  { TERTULIA_ERROR_TOPIC_INVALID, N_("Topics cannot contain control characters or new lines.") },
  { TERTULIA_ERROR_HANDSHAKE_TIMEOUT, N_("The host stopped waiting for this app to join.") },
  { TERTULIA_ERROR_RATE_LIMITED, N_("You are sending too fast. Wait a moment and try again.") },
  { TERTULIA_ERROR_FLOODING, N_("The host disconnected you for sending too much, too fast.") },
  { TERTULIA_ERROR_ROOM_FULL, N_("The room is full.") },
  { TERTULIA_ERROR_TOO_MANY_CONNECTIONS, N_("There are too many connections from this device.") },
  { TERTULIA_ERROR_TOO_SLOW, N_("The connection was too slow to keep up with the room.") },
  { TERTULIA_ERROR_IDLE_TIMEOUT, N_("The host heard nothing from this app for too long.") },
  { TERTULIA_ERROR_PASSWORD_REQUIRED, N_("This room needs a password.") },
  { TERTULIA_ERROR_PASSWORD_WRONG, N_("That password is not right.") },
  { TERTULIA_ERROR_HISTORY_OUT_OF_RANGE, N_("The host has no such part of the room’s history.") },
  { TERTULIA_ERROR_FILE_TOO_LARGE, N_("That file is bigger than this room takes.") },
  { TERTULIA_ERROR_ROOM_FILES_FULL, N_("The room has no room left for more files.") },
  /* issue 19 */
  { TERTULIA_ERROR_MESSAGE_NOT_FOUND, N_("That message is not in this room.") },
  { TERTULIA_ERROR_MESSAGE_DELETED, N_("That message was deleted.") },
  { TERTULIA_ERROR_NOT_AUTHOR, N_("Only its author can change that message.") },
  { TERTULIA_ERROR_EMOJI_INVALID, N_("A reaction must be a single emoji.") },
  { TERTULIA_ERROR_REACTIONS_FULL, N_("That message has as many different reactions as it can take.") },
};

const char *
tertulia_protocol_describe_error (const char *code,
                                  const char *fallback)
{
  if (code != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (error_descriptions); i++)
        {
          if (g_str_equal (code, error_descriptions[i].code))
            return _(error_descriptions[i].sentence);
        }
    }

  if (fallback != NULL && fallback[0] != '\0')
    return fallback;

  return _("The host refused the request.");
}

/* Frames and peers */

TertuliaFrame *
tertulia_frame_new (TertuliaFrameType type)
{
  TertuliaFrame *frame = g_new0 (TertuliaFrame, 1);

  frame->type = type;

  if (type == TERTULIA_FRAME_HELLO || type == TERTULIA_FRAME_WELCOME)
    frame->version = TERTULIA_PROTOCOL_VERSION;

  if (type == TERTULIA_FRAME_FETCH_HISTORY)
    frame->limit = TERTULIA_DEFAULT_HISTORY_PAGE;

  if (type == TERTULIA_FRAME_HISTORY)
    frame->history = g_ptr_array_new_with_free_func ((GDestroyNotify) tertulia_frame_free);

  if (type == TERTULIA_FRAME_WELCOME)
    {
      frame->participants = g_ptr_array_new_with_free_func ((GDestroyNotify) tertulia_peer_free);
      frame->history = g_ptr_array_new_with_free_func ((GDestroyNotify) tertulia_frame_free);
      frame->limits.text = TERTULIA_MAX_TEXT_CHARS;
      frame->limits.nick = TERTULIA_MAX_NICK_CHARS;
      frame->limits.topic = TERTULIA_MAX_TOPIC_CHARS;
      frame->limits.room_name = TERTULIA_MAX_ROOM_NAME_CHARS;
      frame->limits.frame_bytes = TERTULIA_MAX_FRAME_BYTES;
      frame->limits.history = TERTULIA_DEFAULT_HISTORY;
      frame->limits.json_depth = TERTULIA_MAX_JSON_DEPTH;
      frame->limits.hello_seconds = TERTULIA_HANDSHAKE_TIMEOUT_SECONDS;
      frame->limits.rate_burst = TERTULIA_RATE_BURST;
      frame->limits.rate_per_second = TERTULIA_RATE_PER_SECOND;
      frame->limits.connections = TERTULIA_MAX_CONNECTIONS;
      frame->limits.connections_per_address = TERTULIA_MAX_CONNECTIONS_PER_ADDRESS;
      frame->limits.queue_bytes = TERTULIA_MAX_QUEUED_BYTES;
      frame->limits.ping_seconds = TERTULIA_PING_SECONDS;
      frame->limits.idle_seconds = TERTULIA_IDLE_TIMEOUT_SECONDS;
      frame->limits.file_bytes = TERTULIA_DEFAULT_FILE_BYTES;
      frame->limits.room_file_bytes = TERTULIA_DEFAULT_ROOM_FILE_BYTES;
    }

  return frame;
}

/* A password must not linger in freed memory, where a later bug or a core
 * dump could show it. The volatile pointer keeps the compiler from dropping
 * the writes as dead stores before the free.
 */
static void
wipe_free (char *secret)
{
  if (secret != NULL)
    {
      volatile char *p = secret;

      while (*p != '\0')
        *p++ = '\0';
      g_free (secret);
    }
}

void
tertulia_frame_free (TertuliaFrame *frame)
{
  if (frame == NULL)
    return;

  wipe_free (frame->password);
  g_free (frame->client_name);
  g_free (frame->resume_token);
  g_free (frame->host_key);
  g_free (frame->nick);
  g_free (frame->text);
  g_free (frame->cid);
  tertulia_peer_clear (&frame->peer);
  g_free (frame->old_nick);
  g_free (frame->new_nick);
  g_free (frame->topic);
  g_free (frame->room_id);
  g_free (frame->room_name);
  tertulia_peer_clear (&frame->you);
  g_clear_pointer (&frame->participants, g_ptr_array_unref);
  g_clear_pointer (&frame->history, g_ptr_array_unref);
  g_free (frame->code);
  g_free (frame->message);
  g_free (frame->file_token);
  tertulia_file_info_free (frame->file);
  tertulia_peer_clear (&frame->reply_to_peer);
  g_free (frame->reply_to_text);
  g_free (frame->emoji);
  g_free (frame);
}

TertuliaPeer *
tertulia_peer_copy (const TertuliaPeer *peer)
{
  TertuliaPeer *copy;

  g_return_val_if_fail (peer != NULL, NULL);

  copy = g_new0 (TertuliaPeer, 1);
  copy->id = peer->id;
  copy->nick = g_strdup (peer->nick);
  copy->joined_at = peer->joined_at;
  copy->host = peer->host;

  return copy;
}

void
tertulia_peer_clear (TertuliaPeer *peer)
{
  g_return_if_fail (peer != NULL);

  g_clear_pointer (&peer->nick, g_free);
  peer->id = 0;
  peer->joined_at = 0;
  peer->host = FALSE;
}

void
tertulia_peer_free (TertuliaPeer *peer)
{
  if (peer == NULL)
    return;

  tertulia_peer_clear (peer);
  g_free (peer);
}

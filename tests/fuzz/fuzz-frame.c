/* fuzz-frame.c — libFuzzer harness for the frame decoder and validator
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Every byte string is fed to both frame parsers, as a client's and as a
 * server's frame. What parses must be safe to use and stable: it
 * serializes to JSON that parses again to a frame that serializes to the
 * same bytes, and its text, nickname and topic are already what the
 * validators would make of them. The validators also get the bytes
 * themselves when they are UTF-8.
 *
 * Built with -Dfuzzing=true (clang), this is a libFuzzer target. Without
 * it, main() below runs every file of the seed corpus once, as a test.
 *
 *   CC=clang meson setup build-fuzz -Dfuzzing=true -Dapp=disabled
 *   ninja -C build-fuzz tests/fuzz/fuzz-frame
 *   mkdir -p /tmp/fuzz-new
 *   build-fuzz/tests/fuzz/fuzz-frame -runs=200000 /tmp/fuzz-new tests/fuzz/corpus
 *
 * libFuzzer adds what it finds to the first directory, so the seeds stay
 * as they are; a crash leaves crash-* in the current directory, which
 * fuzz-frame replays when given it. tests/fuzz/extract-examples.py
 * refreshes the doc-* seeds after docs/PROTOCOL.md changes.
 */

#define G_LOG_DOMAIN "tertulia-fuzz-frame"

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "tertulia-protocol.h"
#include "tertulia-protocol-conversation.h"
#include "tertulia-protocol-files.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);
int LLVMFuzzerInitialize   (int           *argc,
                            char        ***argv);

typedef TertuliaFrame *(*ParseFunc) (const char *data,
                                     gsize       length,
                                     GError    **error);

/* A validator keeps what it has already normalized as it is. */
static void
check_normalized (char       *(*normalize) (const char *, GError **),
                  const char  *value,
                  gboolean     empty_allowed)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *again = NULL;

  if (value == NULL || (empty_allowed && value[0] == '\0'))
    return;

  again = normalize (value, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, value);
}

static void
check_frame (const TertuliaFrame *frame)
{
  switch (frame->type)
    {
    case TERTULIA_FRAME_HELLO:
      check_normalized (tertulia_protocol_normalize_nick, frame->nick, TRUE);
      break;

    case TERTULIA_FRAME_SAY:
      check_normalized (tertulia_protocol_normalize_text, frame->text, FALSE);
      break;

    case TERTULIA_FRAME_NICK:
      check_normalized (tertulia_protocol_normalize_nick, frame->nick, FALSE);
      break;

    case TERTULIA_FRAME_SET_TOPIC:
      check_normalized (tertulia_protocol_normalize_topic, frame->topic, TRUE);
      break;

    case TERTULIA_FRAME_WELCOME:
    case TERTULIA_FRAME_HISTORY:
      for (guint i = 0; frame->history != NULL && i < frame->history->len; i++)
        check_frame (g_ptr_array_index (frame->history, i));
      break;

    case TERTULIA_FRAME_FILE:
      {
        /* Whatever name came, what a client keeps is safe to save under */
        g_autofree char *again = tertulia_file_name_sanitize (frame->file->name);

        g_assert_cmpstr (again, ==, frame->file->name);
      }
      break;

    /* issue 19: what a guest sends is normalized like a say */
    case TERTULIA_FRAME_EDIT_MESSAGE:
      check_normalized (tertulia_protocol_normalize_text, frame->text, FALSE);
      break;

    case TERTULIA_FRAME_REACT:
      check_normalized (tertulia_protocol_normalize_emoji, frame->emoji, FALSE);
      break;

    case TERTULIA_FRAME_DELETE_MESSAGE:
    case TERTULIA_FRAME_SET_TYPING:
    case TERTULIA_FRAME_REACTION:
    case TERTULIA_FRAME_EDIT:
    case TERTULIA_FRAME_DELETE:
    case TERTULIA_FRAME_TYPING:
    case TERTULIA_FRAME_FILE_REMOVED:
    case TERTULIA_FRAME_MESSAGE:
    case TERTULIA_FRAME_JOIN:
    case TERTULIA_FRAME_LEAVE:
    case TERTULIA_FRAME_RENAME:
    case TERTULIA_FRAME_TOPIC:
    case TERTULIA_FRAME_ERROR:
    case TERTULIA_FRAME_FETCH_HISTORY:
    default:
      /* A host's word is taken as it comes; parsing it must merely be
       * safe, which the round trip below exercises.
       */
      break;
    }
}

static void
round_trip (ParseFunc    parse,
            gboolean     is_client,
            const char  *data,
            gsize        size)
{
  g_autoptr(TertuliaFrame) frame = NULL;
  g_autoptr(TertuliaFrame) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json_again = NULL;

  frame = parse (data, size, &error);
  if (frame == NULL)
    {
      /* Every refusal says why, in the protocol's own terms. */
      g_assert_nonnull (error);
      g_assert_nonnull (error->message);
      if (error->domain == TERTULIA_PROTOCOL_ERROR)
        g_assert_nonnull (tertulia_protocol_error_code (error));
      return;
    }
  g_assert_no_error (error);

  check_frame (frame);

  json = tertulia_protocol_serialize (frame);
  g_assert_nonnull (json);
  g_assert_true (g_utf8_validate (json, -1, NULL));
  g_assert_true (g_str_has_prefix (json, "{\"type\":\""));

  /* Escapes can make a frame longer than it came in; over the limit, the
   * other side would rightly refuse it.
   */
  if (is_client && strlen (json) > TERTULIA_MAX_FRAME_BYTES)
    return;

  again = parse (json, (gsize) -1, &error);
  if (again == NULL)
    g_error ("%s frame does not parse after a round trip (%s): %s",
             is_client ? "A client" : "A server", error->message, json);
  g_assert_cmpint (again->type, ==, frame->type);

  json_again = tertulia_protocol_serialize (again);
  g_assert_cmpstr (json_again, ==, json);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *bytes = (const char *) data;
  g_autofree char *cid = NULL;

  round_trip (tertulia_protocol_parse_client_frame, TRUE, bytes, size);
  round_trip (tertulia_protocol_parse_server_frame, FALSE, bytes, size);

  cid = tertulia_protocol_dup_cid (bytes, size);
  if (cid != NULL)
    g_assert_true (strlen (cid) >= 1 && strlen (cid) <= TERTULIA_MAX_CID_BYTES);

  /* The validators take UTF-8 from a parsed frame; here, from anywhere. */
  if (size <= 4 * TERTULIA_MAX_FRAME_BYTES && g_utf8_validate_len (bytes, size, NULL))
    {
      g_autofree char *string = g_strndup (bytes, size);
      g_autofree char *nick = tertulia_protocol_normalize_nick (string, NULL);
      g_autofree char *text = tertulia_protocol_normalize_text (string, NULL);
      g_autofree char *topic = tertulia_protocol_normalize_topic (string, NULL);
      g_autofree char *key = tertulia_protocol_nick_key (string);

      g_assert_nonnull (key);

      if (nick != NULL)
        {
          g_autofree char *nick_key = tertulia_protocol_nick_key (nick);

          g_assert_true (g_utf8_strlen (nick, -1) <= TERTULIA_MAX_NICK_CHARS);
          g_assert_nonnull (nick_key);
          check_normalized (tertulia_protocol_normalize_nick, nick, FALSE);
        }
      if (text != NULL)
        {
          g_assert_true (g_utf8_strlen (text, -1) <= TERTULIA_MAX_TEXT_CHARS);
          check_normalized (tertulia_protocol_normalize_text, text, FALSE);
        }
      if (topic != NULL)
        {
          g_assert_true (g_utf8_strlen (topic, -1) <= TERTULIA_MAX_TOPIC_CHARS);
          check_normalized (tertulia_protocol_normalize_topic, topic, TRUE);
        }
    }

  return 0;
}

/* GLib's one-time allocations (types, quarks) happen here, before
 * libFuzzer starts counting leaks per input; and a warning from a parser
 * fed hostile bytes is a bug like a crash.
 */
int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  static const char warm_up[] =
    "{\"type\":\"say\",\"cid\":\"a\",\"kind\":\"chat\",\"text\":\"hola\"}";

  g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  LLVMFuzzerTestOneInput ((const uint8_t *) warm_up, sizeof warm_up - 1);

  return 0;
}

#ifndef TERTULIA_FUZZING

/* Without libFuzzer: every seed once, one TAP test each. */

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
run_seed (gconstpointer user_data)
{
  const char *path = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  LLVMFuzzerTestOneInput ((const uint8_t *) contents, length);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *corpus;
  const char *name;

  g_test_init (&argc, &argv, NULL);
  LLVMFuzzerInitialize (&argc, &argv);

  /* The seed corpus is the first argument (tests/meson.build passes it). */
  corpus = argc > 1 ? argv[1] : g_test_get_filename (G_TEST_DIST, "fuzz", "corpus", NULL);
  dir = g_dir_open (corpus, 0, &error);
  g_assert_no_error (error);

  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (paths, g_build_filename (corpus, name, NULL));
  g_ptr_array_sort (paths, compare_paths);
  g_assert_cmpuint (paths->len, >, 0);

  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      g_autofree char *base = g_path_get_basename (path);
      g_autofree char *test_path = g_strdup_printf ("/fuzz-frame/%s", base);

      g_test_add_data_func (test_path, path, run_seed);
    }

  return g_test_run ();
}

#endif

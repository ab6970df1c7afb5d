/* tertulia-test-moderation.h — an in-process host and raw guests, for the
 * tests of moderation and private messages (issue 18)
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <string.h>

#include <json-glib/json-glib.h>

#include "tertulia-journal.h"
#include "tertulia-protocol.h"
#include "tertulia-protocol-moderation.h"
#include "tertulia-server.h"
#include "tertulia-server-private.h"
#include "tertulia-test-client.h"
#include "tertulia-test-utils.h"
#include "tertulia-test-ws.h"

#define HELLO(nick) "{\"type\":\"hello\",\"version\":1,\"nick\":\"" nick "\"}"

typedef struct
{
  TertuliaServer  *server;
  guint            port;
  /* With a journal (the test's data is non-NULL): where it is */
  char            *dir;
  TertuliaJournal *journal;
} Fixture;

/* A room in memory, or (@data non-NULL) kept in a journal in a new
 * directory
 */
static inline void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  if (data != NULL)
    {
      fixture->dir = g_dir_make_tmp ("tertulia-moderation-XXXXXX", &error);
      g_assert_no_error (error);
      fixture->journal = tertulia_journal_open (fixture->dir, &error);
      g_assert_no_error (error);
      fixture->server = tertulia_server_new_with_store ("Moderada", 100, TERTULIA_STORE (fixture->journal));
    }
  else
    {
      fixture->server = tertulia_server_new ("Moderada");
    }
  g_assert_true (tertulia_server_listen (fixture->server, "127.0.0.1", 0, &error));
  g_assert_no_error (error);
  fixture->port = tertulia_server_get_port (fixture->server);
  _tertulia_server_set_deadlines (fixture->server, 0, 500);
}

static inline void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  tertulia_server_shutdown (fixture->server, NULL);
  tertulia_test_spin (50);
  g_assert_finalize_object (g_steal_pointer (&fixture->server));
  g_clear_object (&fixture->journal);
  if (fixture->dir != NULL)
    tertulia_test_remove_tree (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
}


/* Helpers */

/* A member of @json by a dotted path ("you.id"), or NULL */
static inline JsonNode *
lookup (JsonParser *parser,
        const char *json,
        const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonNode *node;

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  node = json_parser_get_root (parser);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        return NULL;
      node = json_object_get_member (json_node_get_object (node), parts[i]);
    }

  return node;
}

static inline gint64
get_int (const char *json,
         const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *node = lookup (parser, json, path);

  g_assert_nonnull (node);
  return json_node_get_int (node);
}

static inline char *
get_string (const char *json,
            const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *node = lookup (parser, json, path);

  return node != NULL ? g_strdup (json_node_get_string (node)) : NULL;
}

static inline gboolean
get_bool (const char *json,
          const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *node = lookup (parser, json, path);

  return node != NULL && json_node_get_boolean (node);
}

typedef struct
{
  TestWs *ws;
  gint64  id;
  char   *token;
  char   *welcome;
} Guest;

static inline void
guest_free (Guest *guest)
{
  if (guest == NULL)
    return;

  g_clear_pointer (&guest->ws, test_ws_free);
  g_free (guest->token);
  g_free (guest->welcome);
  g_free (guest);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Guest, guest_free)

/* Joins (or resumes with @token) from @from (NULL: 127.0.0.1) */
static inline Guest *
join_from (Fixture    *fixture,
           const char *from,
           const char *nick,
           gboolean    host,
           const char *token)
{
  g_autoptr(GString) hello = g_string_new ("{\"type\":\"hello\",\"version\":1");
  Guest *guest = g_new0 (Guest, 1);

  g_assert_cmpuint (test_ws_try_connect_from (fixture->port, TRUE, from, &guest->ws), ==, 101);
  g_string_append_printf (hello, ",\"nick\":\"%s\"", nick);
  if (host)
    g_string_append_printf (hello, ",\"host_key\":\"%s\"", tertulia_server_get_host_key (fixture->server));
  if (token != NULL)
    g_string_append_printf (hello, ",\"resume\":{\"token\":\"%s\",\"last_seq\":0}", token);
  g_string_append_c (hello, '}');

  test_ws_send_text (guest->ws, hello->str);

  return guest;
}

static inline Guest *
join (Fixture    *fixture,
      const char *from,
      const char *nick,
      gboolean    host)
{
  Guest *guest = join_from (fixture, from, nick, host, NULL);

  guest->welcome = test_ws_read_until (guest->ws, "welcome", NULL, 10000);
  g_assert_nonnull (guest->welcome);
  guest->id = get_int (guest->welcome, "you.id");
  guest->token = get_string (guest->welcome, "resume_token");

  return guest;
}

G_GNUC_PRINTF (2, 3) static inline void
send_frame (Guest      *guest,
            const char *format,
            ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  test_ws_send_text (guest->ws, text);
}

/* The next frame of @type, which has @needle */
static inline char *
expect (Guest      *guest,
        const char *type,
        const char *needle)
{
  char *frame = test_ws_read_until (guest->ws, type, needle, 5000);

  if (frame == NULL)
    g_error ("expected a “%s” frame with %s", type, needle != NULL ? needle : "anything");

  return frame;
}

static inline void
expect_error (Guest      *guest,
              const char *code)
{
  g_autofree char *needle = g_strdup_printf ("\"code\":\"%s\"", code);
  g_autofree char *error = expect (guest, "error", NULL);

  if (strstr (error, needle) == NULL)
    g_error ("expected an error “%s”, got %s", code, error);
}

/* Nothing of @type (with @needle) arrives within a moment */
static inline void
expect_nothing (Guest      *guest,
                const char *type,
                const char *needle)
{
  g_autofree char *frame = test_ws_read_until (guest->ws, type, needle, 300);

  if (frame != NULL)
    g_error ("did not expect %s", frame);
}

static inline void
expect_closed (Guest   *guest,
               gushort  code)
{
  g_assert_true (test_ws_wait_closed (guest->ws, 10000));
  g_assert_cmpuint (guest->ws->close_code, ==, code);
}

/* A hello that must be refused with @code and closed with 1008 */
static inline void
expect_refused_hello (Fixture    *fixture,
                      const char *from,
                      const char *nick,
                      const char *token,
                      const char *code)
{
  g_autoptr(Guest) guest = join_from (fixture, from, nick, FALSE, token);

  expect_error (guest, code);
  expect_closed (guest, 1008);
}



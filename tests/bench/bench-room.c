/* bench-room.c — the GUI's model: 100 000 messages into a TertuliaRoom
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What a long LAN party costs the app before any widget is involved: each
 * message frame goes the way TertuliaClient takes it — parsed by
 * tertulia_protocol_parse_server_frame, applied with
 * tertulia_room_apply_event — and the room's message model grows by one.
 * Prints one JSON line: parse and apply times, and RSS before and after.
 */

#define G_LOG_DOMAIN "tertulia-bench-room"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "tertulia-room.h"

#define N_AUTHORS 10
/* 2025-11-22 00:00:00 UTC */
#define T0 G_GINT64_CONSTANT (1763769600000)

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

static gint64
rss_kb (void)
{
  g_autofree char *contents = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &contents, NULL, NULL))
    return -1;
  line = strstr (contents, "VmRSS:");
  return line != NULL ? g_ascii_strtoll (line + 6, NULL, 10) : -1;
}

/* A welcome as the server makes it: you (id 1) and N_AUTHORS others. */
static char *
dup_welcome_json (void)
{
  GString *json = g_string_new ("{\"type\":\"welcome\",\"version\":1,"
                                "\"you\":{\"id\":1,\"nick\":\"me\",\"joined_at\":1763769600000,\"host\":false},"
                                "\"room\":{\"id\":\"9f86d081884c7d65\",\"name\":\"LAN party\",\"topic\":\"bench\"},"
                                "\"participants\":[{\"id\":1,\"nick\":\"me\",\"joined_at\":1763769600000,\"host\":false}");

  for (guint i = 0; i < N_AUTHORS; i++)
    g_string_append_printf (json, ",{\"id\":%u,\"nick\":\"guest-%u\",\"joined_at\":1763769600000,\"host\":false}",
                            i + 2, i);
  g_string_append (json, "],\"seq\":0,\"resume_token\":\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\","
                         "\"resumed\":false,\"gap\":false,"
                         "\"limits\":{\"text\":4000,\"nick\":32,\"topic\":200,\"room_name\":64,\"frame_bytes\":65536,\"history\":500},"
                         "\"history\":[]}");

  return g_string_free (json, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TertuliaRoom) room = NULL;
  g_autoptr(TertuliaFrame) welcome = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *welcome_json = NULL;
  guint n_messages = 100000;
  gint64 rss_before, rss_after;
  gint64 parse_ns = 0, apply_ns = 0, t_start, t_end;
  GListModel *messages;
  char buf[G_ASCII_DTOSTR_BUF_SIZE * 6];

  if (argc > 1)
    n_messages = (guint) g_ascii_strtoull (argv[1], NULL, 10);

  room = tertulia_room_new ();
  welcome_json = dup_welcome_json ();
  welcome = tertulia_protocol_parse_server_frame (welcome_json, (gsize) -1, &error);
  g_assert_no_error (error);
  tertulia_room_apply_welcome (room, welcome);
  messages = tertulia_room_get_messages (room);

  rss_before = rss_kb ();
  t_start = now_ns ();

  for (guint i = 0; i < n_messages; i++)
    {
      g_autoptr(TertuliaFrame) frame = NULL;
      char json[512];
      guint author = i % N_AUTHORS;
      gint64 t0, t1, t2;

      /* A typical chat line; one in 50 mentions you, as in a real room. */
      g_snprintf (json, sizeof json,
                  "{\"type\":\"message\",\"seq\":%u,\"time\":%" G_GINT64_FORMAT ","
                  "\"from\":{\"id\":%u,\"nick\":\"guest-%u\"},\"kind\":\"chat\","
                  "\"text\":\"%s line %u: who is up for another round after this one?\",\"cid\":\"c%u\"}",
                  i + 1, T0 + i * 250, author + 2, author,
                  i % 50 == 0 ? "me," : "ok,", i, i);

      t0 = now_ns ();
      frame = tertulia_protocol_parse_server_frame (json, (gsize) -1, &error);
      t1 = now_ns ();
      g_assert_no_error (error);
      if (!tertulia_room_apply_event (room, frame))
        g_error ("message %u was not applied", i + 1);
      t2 = now_ns ();
      parse_ns += t1 - t0;
      apply_ns += t2 - t1;
    }

  t_end = now_ns ();
  rss_after = rss_kb ();

  g_assert_cmpuint (g_list_model_get_n_items (messages), >=, n_messages);

  printf ("{\"scenario\":\"room\",\"messages\":%u,\"items\":%u",
          n_messages, g_list_model_get_n_items (messages));
  printf (",\"total_ms\":%s", g_ascii_formatd (buf, sizeof buf, "%.1f", (double) (t_end - t_start) / 1e6));
  printf (",\"parse_ms\":%s", g_ascii_formatd (buf, sizeof buf, "%.1f", (double) parse_ns / 1e6));
  printf (",\"apply_ms\":%s", g_ascii_formatd (buf, sizeof buf, "%.1f", (double) apply_ns / 1e6));
  printf (",\"us_per_message\":%s", g_ascii_formatd (buf, sizeof buf, "%.2f", (double) (t_end - t_start) / 1e3 / n_messages));
  printf (",\"rss_kb_before\":%" G_GINT64_FORMAT ",\"rss_kb_after\":%" G_GINT64_FORMAT, rss_before, rss_after);
  printf (",\"rss_mb_after\":%s", g_ascii_formatd (buf, sizeof buf, "%.1f", (double) rss_after / 1024.0));
  printf (",\"bytes_per_message\":%s}\n",
          g_ascii_formatd (buf, sizeof buf, "%.0f", (double) (rss_after - rss_before) * 1024.0 / n_messages));

  return 0;
}

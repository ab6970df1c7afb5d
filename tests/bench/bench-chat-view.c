/* bench-chat-view.c — the app under load: 100 000 messages, scrolling, start-up
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Not a test: tests/bench/run-bench runs it under Xvfb with a private
 * session bus. Two modes, one JSON line each:
 *
 *   --scroll      The real TertuliaApplication and TertuliaWindow, a guest
 *                 session whose room gets N message events (parsed and
 *                 applied as TertuliaClient does), shown in the chat view;
 *                 then the log is scrolled from top to bottom. Frame times
 *                 come from the window's GdkFrameClock: from "before-paint"
 *                 to the end of "after-paint", i.e. update + layout + paint.
 *                 The session never connects (127.0.0.1:9, the discard
 *                 port, is never dialled): the view is what is measured.
 *   --cold-start  What src/main.c does, plus a hook on the first window's
 *                 frame clock: the time from TERTULIA_BENCH_T0_NS (the
 *                 runner's CLOCK_MONOTONIC just before exec) to the end of
 *                 the first painted frame.
 */

#define G_LOG_DOMAIN "tertulia-bench-chat-view"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "tertulia-application.h"
#include "tertulia-chat-page.h"
#include "tertulia-session.h"
#include "tertulia-window.h"

#define N_AUTHORS 10
#define T0_MS     G_GINT64_CONSTANT (1763769600000)

typedef enum
{
  PHASE_WAIT_MAPPED,
  PHASE_APPEND,        /* next frame shows what was appended */
  PHASE_SETTLE,        /* let scroll-to-bottom and sizes settle */
  PHASE_TO_TOP,
  PHASE_DRAG,          /* top to bottom in about --frames frames */
  PHASE_TO_TOP_AGAIN,
  PHASE_PAGES,         /* one page per frame, like a fast wheel */
  PHASE_DONE,
} Phase;

typedef struct
{
  GArray *durations;   /* gint64 µs, frame work */
  GArray *updates;     /* gint64 µs, the update phase: see append_stats() */
  GArray *layouts;     /* gint64 µs, the layout phase: allocating */
  GArray *paints;      /* gint64 µs, the paint phase: snapshot and render */
  GArray *intervals;   /* gint64 µs, between frames */
  gint64  start_us;
  gint64  end_us;
} FrameStats;

/* Options */
static gboolean opt_cold_start;
static gboolean opt_scroll;
static gint     opt_messages = 100000;
static gint     opt_frames = 600;
static gint     opt_page_frames = 300;
static gdouble  opt_phase_seconds = 30;

/* State */
static TertuliaApplication *app;
static TertuliaWindow      *window;
static TertuliaSession     *session;
static GtkAdjustment       *vadjustment;
static Phase                phase = PHASE_WAIT_MAPPED;
static guint                phase_frames;
static gint64               before_paint_us;
static gint64               layout_start_us;
static gint64               paint_start_us;
static gint64               last_before_paint_us;
static FrameStats          *current;
static FrameStats           drag_stats;
static FrameStats           page_stats;
static gint64               main_us;
static gint64               append_ms;
static gint64               append_start_us;
static gint64               append_end_us;
static gint64               last_batch_us;
static FrameStats           settle_stats;
static gint64               show_frame_us;
static gint64               show_total_us;
static gint64               rss_shown_kb;
static gboolean             reached_bottom;
static double               drag_distance;

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

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
append_ms_value (GString    *out,
                 const char *name,
                 double      ms)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_printf (out, ",\"%s\":%s", name, g_ascii_formatd (buf, sizeof buf, "%.2f", ms));
}

static double
median_ms (GArray *values)
{
  if (values->len == 0)
    return 0;
  g_array_sort (values, compare_gint64);
  return g_array_index (values, gint64, values->len / 2) / 1000.0;
}

/* "drag_frames":…,"drag_p50_ms":…, … for one scroll phase */
static void
append_stats (GString          *out,
              const char       *prefix,
              const FrameStats *stats)
{
  g_autofree char *name = NULL;
  guint n = stats->durations->len;
  guint over = 0;
  gint64 *d = (gint64 *) (void *) stats->durations->data;
  gint64 max_interval = 0;

  g_array_sort (stats->durations, compare_gint64);
  for (guint i = 0; i < n; i++)
    if (d[i] > 16000)
      over++;
  for (guint i = 0; i < stats->intervals->len; i++)
    max_interval = MAX (max_interval, g_array_index (stats->intervals, gint64, i));

  g_string_append_printf (out, ",\"%s_frames\":%u,\"%s_frames_over_16ms\":%u", prefix, n, prefix, over);
  if (n == 0)
    return;

  g_free (name);
  name = g_strdup_printf ("%s_p50_ms", prefix);
  append_ms_value (out, name, d[n / 2] / 1000.0);
  g_free (name);
  name = g_strdup_printf ("%s_p99_ms", prefix);
  append_ms_value (out, name, d[MIN (n - 1, n * 99 / 100)] / 1000.0);
  g_free (name);
  name = g_strdup_printf ("%s_max_ms", prefix);
  append_ms_value (out, name, d[n - 1] / 1000.0);
  g_free (name);
  name = g_strdup_printf ("%s_max_interval_ms", prefix);
  append_ms_value (out, name, max_interval / 1000.0);
  g_free (name);
  name = g_strdup_printf ("%s_seconds", prefix);
  append_ms_value (out, name, (stats->end_us - stats->start_us) / 1e6);
  /* Where a frame's time goes. The update phase has the scroll, which
   * binds the rows it brings in, and (GTK 4.8 on X11) the window measuring
   * itself, which measures those rows; then allocating; then painting
   * (snapshot and the renderer, which is Mesa's software one for GL
   * under Xvfb).
   */
  g_free (name);
  name = g_strdup_printf ("%s_update_p50_ms", prefix);
  append_ms_value (out, name, median_ms (stats->updates));
  g_free (name);
  name = g_strdup_printf ("%s_layout_p50_ms", prefix);
  append_ms_value (out, name, median_ms (stats->layouts));
  g_free (name);
  name = g_strdup_printf ("%s_paint_p50_ms", prefix);
  append_ms_value (out, name, median_ms (stats->paints));
}

static void
stats_begin (FrameStats *stats)
{
  stats->durations = g_array_new (FALSE, FALSE, sizeof (gint64));
  stats->updates = g_array_new (FALSE, FALSE, sizeof (gint64));
  stats->layouts = g_array_new (FALSE, FALSE, sizeof (gint64));
  stats->paints = g_array_new (FALSE, FALSE, sizeof (gint64));
  stats->intervals = g_array_new (FALSE, FALSE, sizeof (gint64));
  stats->start_us = g_get_monotonic_time ();
  /* The first interval would span whatever came before. */
  last_before_paint_us = 0;
  current = stats;
}

static void
stats_end (FrameStats *stats)
{
  stats->end_us = g_get_monotonic_time ();
  current = NULL;
}

static char *
dup_message_json (guint i)
{
  guint author = i % N_AUTHORS;

  /* Varied lengths, so rows have different heights as in a real log. */
  static const char *tails[] = {
    "",
    " who is up for another round after this one?",
    " the bracket is on the wiki, and the final starts at 22:00 sharp; bring your own headphones please",
    " gg",
  };

  return g_strdup_printf ("{\"type\":\"message\",\"seq\":%u,\"time\":%" G_GINT64_FORMAT ","
                          "\"from\":{\"id\":%u,\"nick\":\"guest-%u\"},\"kind\":\"chat\","
                          "\"text\":\"%s line %u:%s\"}",
                          i + 1, T0_MS + (gint64) i * 250, author + 2, author,
                          i % 50 == 0 ? "me," : "ok,", i, tails[i % G_N_ELEMENTS (tails)]);
}

/* Returns when the last LAST_BATCH appends started, to tell the cost of
 * one more message in a long log from the average.
 */
#define LAST_BATCH 1000

static gint64
fill_room (TertuliaRoom *room)
{
  guint n = (guint) opt_messages;
  gint64 batch_start_us = g_get_monotonic_time ();

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *json = dup_message_json (i);
      g_autoptr(TertuliaFrame) frame = NULL;
      g_autoptr(GError) error = NULL;

      if (i + LAST_BATCH == n)
        batch_start_us = g_get_monotonic_time ();
      frame = tertulia_protocol_parse_server_frame (json, (gsize) -1, &error);
      g_assert_no_error (error);
      tertulia_room_apply_event (room, frame);
    }

  return batch_start_us;
}

static void
apply_welcome (TertuliaRoom *room)
{
  GString *json = g_string_new ("{\"type\":\"welcome\",\"version\":1,"
                                "\"you\":{\"id\":1,\"nick\":\"me\",\"joined_at\":1763769600000,\"host\":false},"
                                "\"room\":{\"id\":\"9f86d081884c7d65\",\"name\":\"LAN party\",\"topic\":\"bench\"},"
                                "\"participants\":[{\"id\":1,\"nick\":\"me\",\"joined_at\":1763769600000,\"host\":false}");
  g_autofree char *text = NULL;
  g_autoptr(TertuliaFrame) welcome = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < N_AUTHORS; i++)
    g_string_append_printf (json, ",{\"id\":%u,\"nick\":\"guest-%u\",\"joined_at\":1763769600000,\"host\":false}",
                            i + 2, i);
  g_string_append (json, "],\"seq\":0,\"resume_token\":\"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\","
                         "\"resumed\":false,\"gap\":false,"
                         "\"limits\":{\"text\":4000,\"nick\":32,\"topic\":200,\"room_name\":64,\"frame_bytes\":65536,\"history\":500},"
                         "\"history\":[]}");
  text = g_string_free (json, FALSE);
  welcome = tertulia_protocol_parse_server_frame (text, (gsize) -1, &error);
  g_assert_no_error (error);
  tertulia_room_apply_welcome (room, welcome);
}

static void
report_scroll (void)
{
  g_autoptr(GString) out = g_string_new ("{\"scenario\":\"gui-scroll\"");
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));

  g_string_append_printf (out, ",\"messages\":%d,\"renderer\":\"%s\"", opt_messages,
                          renderer != NULL ? G_OBJECT_TYPE_NAME (renderer) : "none");
  g_string_append_printf (out, ",\"window\":\"%dx%d\"",
                          gtk_widget_get_width (GTK_WIDGET (window)),
                          gtk_widget_get_height (GTK_WIDGET (window)));
  append_ms_value (out, "append_ms", (double) append_ms);
  if (opt_messages >= LAST_BATCH)
    append_ms_value (out, "append_ms_per_message_at_end",
                     (append_end_us - last_batch_us) / 1000.0 / LAST_BATCH);
  append_ms_value (out, "show_frame_ms", show_frame_us / 1000.0);
  append_ms_value (out, "append_to_shown_ms", show_total_us / 1000.0);
  g_string_append_printf (out, ",\"reached_bottom\":%s", reached_bottom ? "true" : "false");
  append_ms_value (out, "drag_distance_px", drag_distance);
  append_stats (out, "settle", &settle_stats);
  append_stats (out, "drag", &drag_stats);
  append_stats (out, "pages", &page_stats);
  g_string_append_printf (out, ",\"rss_mb_shown\":%.1f,\"rss_mb_end\":%.1f}",
                          rss_shown_kb / 1024.0, rss_kb () / 1024.0);

  puts (out->str);
  fflush (stdout);
}

static gboolean
at_bottom (void)
{
  return gtk_adjustment_get_value (vadjustment) + gtk_adjustment_get_page_size (vadjustment) >=
         gtk_adjustment_get_upper (vadjustment) - 1;
}

/* The state machine; runs in the frame clock's update phase. */
static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  double value, upper, page;

  phase_frames++;
  value = gtk_adjustment_get_value (vadjustment);
  upper = gtk_adjustment_get_upper (vadjustment);
  page = gtk_adjustment_get_page_size (vadjustment);

  switch (phase)
    {
    case PHASE_WAIT_MAPPED:
      if (phase_frames >= 3)
        {
          TertuliaRoom *room = tertulia_client_get_room (tertulia_session_get_client (session));

          /* As a long history arrives: everything in one main-loop turn. */
          append_start_us = g_get_monotonic_time ();
          last_batch_us = fill_room (room);
          append_end_us = g_get_monotonic_time ();
          append_ms = (append_end_us - append_start_us) / 1000;
          phase = PHASE_APPEND;
          phase_frames = 0;
        }
      break;

    case PHASE_APPEND:
      /* after_paint_cb records the frame that showed the messages */
      break;

    case PHASE_SETTLE:
      if (phase_frames >= 30)
        {
          stats_end (&settle_stats);
          rss_shown_kb = rss_kb ();
          gtk_adjustment_set_value (vadjustment, 0);
          phase = PHASE_TO_TOP;
          phase_frames = 0;
        }
      break;

    case PHASE_TO_TOP:
      if (phase_frames >= 10)
        {
          phase = PHASE_DRAG;
          phase_frames = 0;
          drag_distance = 0;
          stats_begin (&drag_stats);
        }
      break;

    case PHASE_DRAG:
      /* Like dragging the scrollbar: every frame shows rows never seen.
       * The list view only estimates the height of rows it has not
       * measured, so the step follows the current upper bound.
       */
      if (at_bottom () || phase_frames > (guint) opt_frames * 3 ||
          g_get_monotonic_time () - drag_stats.start_us > (gint64) (opt_phase_seconds * G_USEC_PER_SEC))
        {
          reached_bottom = at_bottom ();
          stats_end (&drag_stats);
          gtk_adjustment_set_value (vadjustment, 0);
          phase = PHASE_TO_TOP_AGAIN;
          phase_frames = 0;
          break;
        }
      {
        double remaining_frames = MAX (1.0, (double) opt_frames - (double) phase_frames + 1);
        double step = MAX (page / 2, (upper - page - value) / remaining_frames);

        drag_distance += MIN (step, upper - page - value);
        gtk_adjustment_set_value (vadjustment, MIN (value + step, upper - page));
      }
      break;

    case PHASE_TO_TOP_AGAIN:
      if (phase_frames >= 10)
        {
          phase = PHASE_PAGES;
          phase_frames = 0;
          stats_begin (&page_stats);
        }
      break;

    case PHASE_PAGES:
      if (phase_frames > (guint) opt_page_frames || at_bottom () ||
          g_get_monotonic_time () - page_stats.start_us > (gint64) (opt_phase_seconds * G_USEC_PER_SEC))
        {
          stats_end (&page_stats);
          phase = PHASE_DONE;
          report_scroll ();
          g_application_quit (G_APPLICATION (app));
          return G_SOURCE_REMOVE;
        }
      gtk_adjustment_set_value (vadjustment, MIN (value + page, upper - page));
      break;

    case PHASE_DONE:
    default:
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static void
before_paint_cb (GdkFrameClock *clock,
                 gpointer       user_data)
{
  gint64 now = g_get_monotonic_time ();

  if (current != NULL && last_before_paint_us != 0)
    {
      gint64 interval = now - last_before_paint_us;

      g_array_append_val (current->intervals, interval);
    }
  last_before_paint_us = now;
  before_paint_us = now;
  layout_start_us = 0;
  paint_start_us = 0;
}

/* Connected after the tick callbacks: the end of the update phase. */
static void
update_done_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  layout_start_us = g_get_monotonic_time ();
}

/* GtkRoot lays out in an after-handler of "layout" that it connects
 * anew whenever it has work, so the start of the paint phase is taken
 * from the surface's "render", which emission hooks see before any
 * handler.
 */
static gboolean
render_hook_cb (GSignalInvocationHint *hint,
                guint                  n_params,
                const GValue          *params,
                gpointer               user_data)
{
  paint_start_us = g_get_monotonic_time ();
  return TRUE;
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  gint64 now = g_get_monotonic_time ();
  gint64 duration = now - before_paint_us;

  if (phase == PHASE_APPEND)
    {
      /* This frame's update phase did the appending; the rest of the
       * frame is the view catching up with 100 000 new items.
       */
      show_frame_us = now - append_end_us;
      show_total_us = now - append_start_us;
      phase = PHASE_SETTLE;
      phase_frames = 0;
      stats_begin (&settle_stats);
      return;
    }

  if (current != NULL && before_paint_us != 0)
    {
      g_array_append_val (current->durations, duration);
      if (layout_start_us != 0 && paint_start_us != 0)
        {
          gint64 update = layout_start_us - before_paint_us;
          gint64 layout = paint_start_us - layout_start_us;
          gint64 paint = now - paint_start_us;

          g_array_append_val (current->updates, update);
          g_array_append_val (current->layouts, layout);
          g_array_append_val (current->paints, paint);
        }
    }
}

static void
scroll_activate_cb (GApplication *application)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GdkFrameClock *clock;
  GtkScrolledWindow *scroller;
  GtkWidget *view;

  window = TERTULIA_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (application)));
  g_assert (window != NULL);

  /* 100 000 desktop notifications are not what is being measured. */
  g_settings_set_string (settings, "notification-mode", "none");

  session = tertulia_session_new_guest ("127.0.0.1:9", "me");
  apply_welcome (tertulia_client_get_room (tertulia_session_get_client (session)));
  tertulia_window_set_session (window, session);

  view = GTK_WIDGET (_tertulia_chat_page_get_message_view (_tertulia_window_get_chat_page (window)));
  scroller = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (view, GTK_TYPE_SCROLLED_WINDOW));
  vadjustment = gtk_scrolled_window_get_vadjustment (scroller);

  gtk_widget_realize (GTK_WIDGET (window));
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), NULL);
  g_signal_connect_after (clock, "update", G_CALLBACK (update_done_cb), NULL);
  g_signal_add_emission_hook (g_signal_lookup ("render", GDK_TYPE_SURFACE), 0,
                              render_hook_cb, NULL, NULL);
  g_signal_connect_after (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);
  gtk_widget_add_tick_callback (view, tick_cb, NULL, NULL);
}

/* --cold-start */

static gboolean
quit_cb (gpointer user_data)
{
  g_application_quit (G_APPLICATION (app));
  return G_SOURCE_REMOVE;
}

static void
first_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  static gboolean done;
  gint64 now = g_get_monotonic_time ();
  const char *t0_env = g_getenv ("TERTULIA_BENCH_T0_NS");
  gint64 t0_us = t0_env != NULL ? g_ascii_strtoll (t0_env, NULL, 10) / 1000 : 0;
  GskRenderer *renderer;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (done)
    return;
  done = TRUE;

  renderer = gtk_native_get_renderer (GTK_NATIVE (user_data));
  printf ("{\"scenario\":\"gui-cold-start\",\"renderer\":\"%s\"",
          renderer != NULL ? G_OBJECT_TYPE_NAME (renderer) : "none");
  if (t0_us > 0)
    {
      printf (",\"exec_to_main_ms\":%s", g_ascii_formatd (buf, sizeof buf, "%.1f", (main_us - t0_us) / 1000.0));
      printf (",\"first_frame_ms\":%s", g_ascii_formatd (buf, sizeof buf, "%.1f", (now - t0_us) / 1000.0));
    }
  printf (",\"main_to_first_frame_ms\":%s", g_ascii_formatd (buf, sizeof buf, "%.1f", (now - main_us) / 1000.0));
  printf (",\"rss_mb\":%s}\n", g_ascii_formatd (buf, sizeof buf, "%.1f", rss_kb () / 1024.0));
  fflush (stdout);

  g_idle_add (quit_cb, NULL);
}

static void
first_realize_cb (GtkWidget *widget)
{
  g_signal_connect_after (gtk_widget_get_frame_clock (widget), "after-paint",
                          G_CALLBACK (first_paint_cb), widget);
}

static void
window_added_cb (GtkApplication *application,
                 GtkWindow      *added)
{
  if (gtk_widget_get_realized (GTK_WIDGET (added)))
    first_realize_cb (GTK_WIDGET (added));
  else
    g_signal_connect_after (added, "realize", G_CALLBACK (first_realize_cb), NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  char *app_argv[] = { argv[0], NULL };
  int status;
  GOptionEntry entries[] = {
    { "cold-start", 0, 0, G_OPTION_ARG_NONE, &opt_cold_start, "Time to the first frame", NULL },
    { "scroll", 0, 0, G_OPTION_ARG_NONE, &opt_scroll, "Show N messages and scroll through them", NULL },
    { "messages", 'n', 0, G_OPTION_ARG_INT, &opt_messages, "Messages (default 100000)", "N" },
    { "frames", 0, 0, G_OPTION_ARG_INT, &opt_frames, "Frames from top to bottom (default 600)", "N" },
    { "phase-seconds", 0, 0, G_OPTION_ARG_DOUBLE, &opt_phase_seconds, "Stop a scroll phase after S seconds (default 30)", "S" },
    { "page-frames", 0, 0, G_OPTION_ARG_INT, &opt_page_frames, "Frames of page-by-page scrolling (default 300)", "N" },
    { NULL }
  };

  main_us = g_get_monotonic_time ();

  /* As src/main.c does, so that start-up costs the same. */
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new ("— Tertulia's chat view under load");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || opt_cold_start == opt_scroll)
    {
      fprintf (stderr, "bench-chat-view: %s\n",
               error != NULL ? error->message : "give --cold-start or --scroll");
      return 1;
    }

  app = tertulia_application_new ();
  if (opt_cold_start)
    g_signal_connect (app, "window-added", G_CALLBACK (window_added_cb), NULL);
  else
    g_signal_connect_after (app, "activate", G_CALLBACK (scroll_activate_cb), NULL);

  status = g_application_run (G_APPLICATION (app), 1, app_argv);

  g_clear_object (&session);
  g_clear_object (&app);

  return status;
}

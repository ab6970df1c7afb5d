/* screenshot-utils.h — what the screenshot scenes share: a desktop, a room that talks, a PNG
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For tests/ui/screenshot-scene.c and tests/i18n/screenshot-language.c,
 * which screenshots.sh runs under Xvfb.
 */

#pragma once

#include "ui-test-utils.h"

/* The host and four guests. */
#define SCREENSHOT_N_PEOPLE 5

typedef struct
{
  int         who;    /* 0 is the host (typed in the window), 1–4 guests */
  const char *line;
} ScreenshotLine;

/* Writes what @snapshot drew (@width × @height, in @widget's native) to
 * @path as a PNG, and frees @snapshot.
 */
static inline void
screenshot_save (GtkWidget   *widget,
                 GtkSnapshot *snapshot,
                 int          width,
                 int          height,
                 const char  *path)
{
  g_autoptr(GskRenderNode) node = gtk_snapshot_free_to_node (snapshot);
  g_autoptr(GdkTexture) texture = NULL;

  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    g_error ("Could not write %s", path);
}

/* What @widget shows, as a PNG at @path. */
static inline void
screenshot_render (GtkWidget  *widget,
                   const char *path)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  screenshot_save (widget, snapshot, width, height, path);
}

/* The desktop as GNOME has it: its title bar buttons, not Xvfb's, and its
 * colour scheme, which libadwaita follows (ADW_DISABLE_PORTAL=1). The
 * memory GSettings backend keeps the scheme for the whole run.
 */
static inline void
screenshot_init (gboolean dark)
{
  g_autoptr(GSettings) desktop = NULL;

  gtk_init ();
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);

  desktop = g_settings_new ("org.gnome.desktop.interface");
  g_settings_set_string (desktop, "color-scheme", dark ? "prefer-dark" : "default");
}

/* A window of @width × @height on its start page, shown, with @nick and
 * @room_name typed in.
 */
static inline TertuliaWindow *
screenshot_window_new (TertuliaApplication *app,
                       int                  width,
                       int                  height,
                       const char          *nick,
                       const char          *room_name)
{
  TertuliaWindow *window = tertulia_window_new (GTK_APPLICATION (app));
  TertuliaStartPage *start = _tertulia_window_get_start_page (window);

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)));

  gtk_editable_set_text (_tertulia_start_page_get_nickname_row (start), nick);
  gtk_editable_set_text (_tertulia_start_page_get_room_name_row (start), room_name);

  return window;
}

/* The start page of someone who has been in @rooms before, with @address
 * typed.
 */
static inline void
screenshot_show_recent_rooms (TertuliaStartPage  *start,
                              const char * const *rooms,
                              const char         *address)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  g_settings_set_strv (settings, "recent-rooms", rooms);
  gtk_editable_set_text (_tertulia_start_page_get_address_row (start), address);
  tertulia_start_page_reset (start);
}

/* Hosts a room from @window and has @nicks[1…4] join it over loopback;
 * then everyone says their @script lines, each in the log before the
 * next, and the last guest steps out and comes back: two notices at the
 * end. @guests gets the guests, for screenshot_leave().
 */
static inline void
screenshot_play (TertuliaWindow       *window,
                 const char * const   *nicks,
                 const ScreenshotLine *script,
                 guint                 n_lines,
                 TertuliaClient       *guests[SCREENSHOT_N_PEOPLE])
{
  TertuliaStartPage *start = _tertulia_window_get_start_page (window);
  TertuliaSession *session;
  TertuliaChatPage *page;
  GListModel *messages;
  g_autofree char *address = NULL;

  gtk_spin_button_set_value (_tertulia_start_page_get_port_spin (start),
                             tertulia_find_free_port (7878, 7999));
  tertulia_start_page_host (start);
  WAIT_UNTIL (g_strcmp0 (_tertulia_window_get_page_name (window), "chat") == 0);

  /* Hosting made the session. */
  session = tertulia_window_get_session (window);
  page = _tertulia_window_get_chat_page (window);
  messages = tertulia_room_get_messages (tertulia_client_get_room (tertulia_session_get_client (session)));
  address = g_strdup_printf ("127.0.0.1:%u", tertulia_session_get_port (session));

  for (guint i = 1; i < SCREENSHOT_N_PEOPLE; i++)
    guests[i] = ui_test_join (address, nicks[i]);

  for (guint i = 0; i < n_lines; i++)
    {
      const ScreenshotLine *line = &script[i];
      guint n_before = g_list_model_get_n_items (messages);

      if (line->who == 0)
        {
          _tertulia_chat_page_set_entry_text (page, line->line);
          tertulia_chat_page_submit (page);
        }
      else if (g_str_has_prefix (line->line, "/me "))
        tertulia_client_send_message (guests[line->who], TERTULIA_MESSAGE_KIND_ACTION, line->line + 4, NULL);
      else
        tertulia_client_send_message (guests[line->who], TERTULIA_MESSAGE_KIND_CHAT, line->line, NULL);

      /* One at a time, so the log reads in order. */
      WAIT_UNTIL (g_list_model_get_n_items (messages) > n_before);
      tertulia_test_spin (30);
    }

  ui_test_leave (g_steal_pointer (&guests[SCREENSHOT_N_PEOPLE - 1]));
  tertulia_test_spin (300);
  guests[SCREENSHOT_N_PEOPLE - 1] = ui_test_join (address, nicks[SCREENSHOT_N_PEOPLE - 1]);
}

/* The guests leave, then the host. */
static inline void
screenshot_leave (TertuliaWindow *window,
                  TertuliaClient *guests[SCREENSHOT_N_PEOPLE])
{
  for (guint i = 1; i < SCREENSHOT_N_PEOPLE; i++)
    g_clear_pointer (&guests[i], ui_test_leave);
  tertulia_window_leave (window);
}

/* screenshot-scene.c — a busy room, drawn to a PNG for data/screenshots
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not a test: screenshots.sh runs it under Xvfb. It hosts a room from a
 * real window, has four guests join over loopback and talk, and saves
 * what the window shows.
 */

#include "config.h"

#include <signal.h>
#include <glib/gstdio.h>

#include "screenshot-utils.h"
#include "tertulia-fake-avahi.h"
#include "tertulia-file-row.h"
#include "tertulia-share-popover.h"
#include "tertulia-chat-page-private.h"
#include "tertulia-participant.h"
#include "tertulia-participant-row.h"
#include "tertulia-room-settings.h"

static int      width = 1000;
static int      height = 700;
static gboolean dark;
static gboolean start_page;
static gboolean reveal_participants;
static gboolean share;
static gboolean participant_menu;
static gboolean private_conversation;
static gboolean room_settings;
static gboolean bans;
static char    *guest_state;
static gboolean rtl;
static gboolean join_error;
static gboolean port_taken;
static gboolean banner;
static gboolean lan;
static gboolean message_menu;
static gboolean replying;
static char    *share_hosts;
static char    *output;

static const GOptionEntry entries[] = {
  { "width", 0, 0, G_OPTION_ARG_INT, &width, "Window width", "PX" },
  { "height", 0, 0, G_OPTION_ARG_INT, &height, "Window height", "PX" },
  { "dark", 0, 0, G_OPTION_ARG_NONE, &dark, "The system prefers dark", NULL },
  { "start", 0, 0, G_OPTION_ARG_NONE, &start_page, "Show the start page", NULL },
  { "participants", 0, 0, G_OPTION_ARG_NONE, &reveal_participants, "Open the participants", NULL },
  { "share", 0, 0, G_OPTION_ARG_NONE, &share, "Open the Share popover", NULL },
  { "participant-menu", 0, 0, G_OPTION_ARG_NONE, &participant_menu, "Open a participant's menu", NULL },
  { "private", 0, 0, G_OPTION_ARG_NONE, &private_conversation, "Show a private conversation", NULL },
  { "room-settings", 0, 0, G_OPTION_ARG_NONE, &room_settings, "Show the room's settings", NULL },
  { "bans", 0, 0, G_OPTION_ARG_NONE, &bans, "Room settings: the people banned", NULL },
  { "rtl", 0, 0, G_OPTION_ARG_NONE, &rtl, "Right to left, as for Arabic or Hebrew", NULL },
  { "guest", 0, 0, G_OPTION_ARG_STRING, &guest_state, "A guest's window: muted, slow or removed", "STATE" },
  { "join-error", 0, 0, G_OPTION_ARG_NONE, &join_error, "Start page: no room at the address", NULL },
  { "banner", 0, 0, G_OPTION_ARG_NONE, &banner, "Chat: the room's server went away", NULL },
  { "port-taken", 0, 0, G_OPTION_ARG_NONE, &port_taken, "Start page: the port is taken", NULL },
  { "lan", 0, 0, G_OPTION_ARG_NONE, &lan, "Start page: rooms found on the network", NULL },
  { "menu", 0, 0, G_OPTION_ARG_NONE, &message_menu, "Chat: a message's menu open", NULL },
  { "reply", 0, 0, G_OPTION_ARG_NONE, &replying, "Chat: replying to a message", NULL },
  { "share-hosts", 0, 0, G_OPTION_ARG_STRING, &share_hosts, "Share: these addresses, comma-separated", "LIST" },
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "PNG to write", "FILE" },
  { NULL }
};

static const ScreenshotLine script[] = {
  { 1, "hi everyone! is the projector working?" },
  { 0, "yes, the cable is on the left table" },
  { 2, "I brought the snacks 🍕" },
  { 2, "and the long extension cord" },
  { 3, "/me waves from the back row" },
  { 4, "what's the plan for tonight?" },
  { 0, "round one at 20:00, final at 22:00" },
  { 4, "thanks!" },
  { 1, "who is on my team?" },
  { 2, "you, marta and me" },
  { 3, "let's go" },
  { 4, "someone left a blue jacket by the door" },
  { 3, "mine, thanks!" },
  { 1, "/me grabs another coffee" },
  { 0, "break in 10 minutes" },
  { 1, "gg everyone" },
  { 2, "gg" },
  { 3, "rematch?" },
  { 4, "after pizza" },
  { 2, "مرحبا بالجميع، الجولة الثانية بعد البيتزا" },
  { 0, "server is up for round two" },
  { 0, "same address as before" },
  { 3, "the Wi-Fi password is Supercalifragilisticexpialidociousbutevenlongerthanthat" },
  { 1, "the bracket is on the wiki: https://wiki.gnome.org/Events/LANParty" },
  { 4, "ping is 3 ms, nice 🎉" },
  { 0, "/me starts the timer" },
  { 2, "ana, can we move the final to 22:30?" },
  { 0, "sure!" },
  { 0, "/topic Final at 22:30 · Wi-Fi: tertulia-guest" },
  { 1, "see you all there" },
  { 3, "👍" },
};

/* Shared files: a guest's photo of the bracket on the wall, and the rules */

static gboolean
is_file_row_with_picture (GtkWidget     *widget,
                          gconstpointer  data)
{
  return TERTULIA_IS_FILE_ROW (widget) &&
         _tertulia_file_row_get_preview (TERTULIA_FILE_ROW (widget)) != NULL;
}

static void
uploaded_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  char **id = user_data;
  g_autoptr(GError) error = NULL;

  *id = tertulia_client_upload_file_finish (TERTULIA_CLIENT (object), result, &error);
  g_assert_no_error (error);
}

static void
share_file (TertuliaClient *guest,
            const char     *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *id = NULL;

  tertulia_client_upload_file_async (guest, file, NULL, NULL, NULL, NULL, uploaded_cb, &id);
  WAIT_UNTIL (id != NULL);
}

/* A sunset over hills: something that reads as a photo at a glance */
static void
write_photo (const char *path)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 800, 500);
  cairo_t *cr = cairo_create (surface);
  cairo_pattern_t *sky = cairo_pattern_create_linear (0, 0, 0, 500);

  cairo_pattern_add_color_stop_rgb (sky, 0, 0.21, 0.52, 0.89);
  cairo_pattern_add_color_stop_rgb (sky, 0.75, 0.98, 0.72, 0.45);
  cairo_set_source (cr, sky);
  cairo_paint (cr);
  cairo_pattern_destroy (sky);

  cairo_set_source_rgb (cr, 1.0, 0.85, 0.4);
  cairo_arc (cr, 560, 330, 70, 0, 2 * G_PI);
  cairo_fill (cr);

  cairo_set_source_rgb (cr, 0.18, 0.45, 0.27);
  cairo_move_to (cr, 0, 380);
  cairo_curve_to (cr, 200, 300, 380, 420, 560, 360);
  cairo_curve_to (cr, 680, 320, 760, 360, 800, 350);
  cairo_line_to (cr, 800, 500);
  cairo_line_to (cr, 0, 500);
  cairo_close_path (cr);
  cairo_fill (cr);

  cairo_set_source_rgb (cr, 0.12, 0.33, 0.2);
  cairo_move_to (cr, 0, 450);
  cairo_curve_to (cr, 260, 390, 520, 480, 800, 420);
  cairo_line_to (cr, 800, 500);
  cairo_line_to (cr, 0, 500);
  cairo_close_path (cr);
  cairo_fill (cr);

  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static void
share_files (TertuliaWindow *window,
             TertuliaClient *guests[SCREENSHOT_N_PEOPLE])
{
  static const char rules[] = "%PDF-1.4\n% Tournament rules\n%%EOF\n";
  g_autofree char *dir = g_dir_make_tmp ("tertulia-scene-XXXXXX", NULL);
  g_autofree char *photo = g_build_filename (dir, "sunset from the roof.png", NULL);
  g_autofree char *pdf = g_build_filename (dir, "tournament-rules.pdf", NULL);
  GtkWidget *view = GTK_WIDGET (_tertulia_chat_page_get_message_view (_tertulia_window_get_chat_page (window)));

  write_photo (photo);
  g_assert_true (g_file_set_contents (pdf, rules, sizeof rules - 1, NULL));
  share_file (guests[1], pdf);
  share_file (guests[2], photo);
  WAIT_UNTIL (ui_test_find_widget (view, is_file_row_with_picture, NULL) != NULL);

  g_unlink (photo);
  g_unlink (pdf);
  g_rmdir (dir);
}

/* A reply, reactions and an edit at the end of the log, and someone
 * typing: the conversation as it looks (issue 19)
 */
static TertuliaMessage *
wait_delivered (GListModel *messages,
                const char *text)
{
  TertuliaMessage *message;

  WAIT_UNTIL ((message = ui_test_find_message (messages, text)) != NULL &&
              tertulia_message_get_seq (message) > 0);

  return message;
}

static guint
n_typing (TertuliaRoom *room)
{
  g_auto(GStrv) typing = tertulia_room_dup_typing (room);

  return g_strv_length (typing);
}

static void
converse (TertuliaWindow *window,
          TertuliaClient *guests[SCREENSHOT_N_PEOPLE])
{
  TertuliaClient *host = tertulia_session_get_client (tertulia_window_get_session (window));
  GListModel *messages = tertulia_room_get_messages (tertulia_client_get_room (host));
  TertuliaMessage *final = wait_delivered (messages, "round one at 20:00, final at 22:00");
  TertuliaMessage *there = wait_delivered (messages, "see you all there");
  TertuliaMessage *reply;
  TertuliaMessage *edited;

  /* marta answers ana's plan; the others react to it */
  g_assert_nonnull (tertulia_client_send_reply (guests[2], TERTULIA_MESSAGE_KIND_CHAT,
                                                "can we keep the same teams for the final?",
                                                tertulia_message_get_seq (final)));
  reply = wait_delivered (messages, "can we keep the same teams for the final?");
  tertulia_client_react (guests[1], tertulia_message_get_seq (there), "\xf0\x9f\x8e\x89", TRUE);
  tertulia_client_react (guests[3], tertulia_message_get_seq (there), "\xf0\x9f\x8e\x89", TRUE);
  tertulia_client_react (guests[4], tertulia_message_get_seq (there), "\xf0\x9f\x91\x8d", TRUE);
  tertulia_client_react (guests[1], tertulia_message_get_seq (reply), "\xf0\x9f\x91\x8d", TRUE);
  tertulia_client_react (host, tertulia_message_get_seq (reply), "\xf0\x9f\x91\x8d", TRUE);

  /* ana fixes her answer */
  _tertulia_chat_page_set_entry_text (_tertulia_window_get_chat_page (window), "yes, same teams");
  tertulia_chat_page_submit (_tertulia_window_get_chat_page (window));
  tertulia_client_edit_message (host, tertulia_message_get_seq (wait_delivered (messages, "yes, same teams")),
                                "yes, same teams 👌");
  WAIT_UNTIL ((edited = ui_test_find_message (messages, "yes, same teams 👌")) != NULL &&
              tertulia_message_get_edited (edited));

  tertulia_client_set_typing (guests[4], TRUE);
  WAIT_UNTIL (n_typing (tertulia_client_get_room (host)) == 1);
}

static gboolean
is_flap (GtkWidget     *widget,
         gconstpointer  data)
{
  return ADW_IS_FLAP (widget);
}

/* Popovers are surfaces of their own, outside the window's drawing. Xvfb
 * has no compositor, so a grab of the screen shows their shadows black:
 * draw the popover over the window ourselves instead, where its surface
 * would be.
 */
static void
render_with_popover (GtkWidget *window,
                     GtkWidget *popover)
{
  g_autoptr(GdkPaintable) window_paintable = gtk_widget_paintable_new (window);
  g_autoptr(GdkPaintable) popover_paintable = gtk_widget_paintable_new (popover);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (popover));
  int w = gtk_widget_get_width (window);
  int h = gtk_widget_get_height (window);
  double window_x, window_y, popover_x, popover_y;

  gtk_native_get_surface_transform (GTK_NATIVE (window), &window_x, &window_y);
  gtk_native_get_surface_transform (GTK_NATIVE (popover), &popover_x, &popover_y);
  popover_x += gdk_popup_get_position_x (GDK_POPUP (surface)) - window_x;
  popover_y += gdk_popup_get_position_y (GDK_POPUP (surface)) - window_y;

  /* A popover that hangs below the window (a menu opened near its
   * bottom) is drawn whole, as the screen shows it
   */
  h = MAX (h, (int) popover_y + gtk_widget_get_height (popover));

  gdk_paintable_snapshot (window_paintable, snapshot, w, gtk_widget_get_height (window));
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (popover_x, popover_y));
  gdk_paintable_snapshot (popover_paintable, snapshot,
                          gtk_widget_get_width (popover), gtk_widget_get_height (popover));
  gtk_snapshot_restore (snapshot);

  screenshot_save (window, snapshot, w, h, output);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(TertuliaApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  FakeAvahi *fake = NULL;
  TertuliaClient *guests[SCREENSHOT_N_PEOPLE] = { NULL, };
  const char *nicks[SCREENSHOT_N_PEOPLE] = { "ana", "luis", "marta", "sofía", "Pedro" };
  TertuliaWindow *window;
  TertuliaStartPage *start;
  TertuliaChatPage *page;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || output == NULL)
    g_error ("%s", error != NULL ? error->message : "--output is required");

  /* The network, on a private bus, so that nothing reaches the real one
   * (and a room of our own on it with --lan): before anything here reaches
   * for the system bus.
   */
  fake = fake_avahi_new ();
  if (lan)
    {
      const char *sala[] = { "name=Sala de Marta", "v=1", "pw=0", "n=4", NULL };
      const char *aula[] = { "name=Aula 3 · Redes", "v=1", "pw=1", "n=12", NULL };

      fake_avahi_publish (fake, "Sala de Marta", "marta-laptop.local", "192.168.1.31", 7878, sala);
      fake_avahi_publish (fake, "Aula 3 · Redes", "profe-pc.local", "192.168.1.10", 7878, aula);
    }

  screenshot_init (dark);
  if (rtl)
    gtk_widget_set_default_direction (GTK_TEXT_DIR_RTL);
  app = ui_test_application_new ();
  window = screenshot_window_new (app, width, height, nicks[0], "LAN Party");
  start = _tertulia_window_get_start_page (window);

  if (start_page)
    {
      const char *rooms[] = { "192.168.1.20:7878", "ws://classroom.local:7878/ws", NULL };

      screenshot_show_recent_rooms (start, rooms, "192.168.1.20");

      if (join_error)
        {
          g_autofree char *closed = g_strdup_printf ("127.0.0.1:%u", tertulia_find_free_port (8000, 8999));

          gtk_editable_set_text (_tertulia_start_page_get_address_row (start), closed);
          tertulia_start_page_join (start);
          WAIT_UNTIL (!tertulia_start_page_get_busy (start));
        }

      if (lan)
        {
          gtk_editable_set_text (_tertulia_start_page_get_address_row (start), "");
          WAIT_UNTIL (gtk_list_box_get_row_at_index (_tertulia_start_page_get_lan_list (start), 1) != NULL);
        }

      if (port_taken)
        {
          g_autoptr(GSocketListener) blocker = g_socket_listener_new ();
          guint port = tertulia_find_free_port (7878, 7999);

          g_socket_listener_add_inet_port (blocker, port, NULL, NULL);
          gtk_spin_button_set_value (_tertulia_start_page_get_port_spin (start), port);
          tertulia_start_page_host (start);
        }

      tertulia_test_spin (800);
      screenshot_render (GTK_WIDGET (window), output);
      g_clear_pointer (&fake, fake_avahi_free);
      return 0;
    }

  if (banner)
    {
      g_autoptr(GSubprocess) server = NULL;
      g_autofree char *port = g_strdup_printf ("%u", tertulia_find_free_port (7878, 7999));
      g_autofree char *room = g_strdup_printf ("127.0.0.1:%s", port);

      server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                                 g_getenv ("TERTULIA_SERVER"), "--port", port,
                                 "--bind", "127.0.0.1", "--room-name", "Classroom",
                                 "--ephemeral", NULL);
      g_assert_no_error (error);
      tertulia_test_spin (500);

      gtk_editable_set_text (_tertulia_start_page_get_address_row (start), room);
      tertulia_start_page_join (start);
      WAIT_UNTIL (g_strcmp0 (_tertulia_window_get_page_name (window), "chat") == 0);
      page = _tertulia_window_get_chat_page (window);
      _tertulia_chat_page_set_entry_text (page, "what I was typing");

      g_subprocess_send_signal (server, SIGTERM);
      g_subprocess_wait (server, NULL, NULL);
      tertulia_test_spin (2500);
      screenshot_render (GTK_WIDGET (window), output);
      g_clear_pointer (&fake, fake_avahi_free);
      return 0;
    }

  screenshot_play (window, nicks, script, G_N_ELEMENTS (script), guests);
  page = _tertulia_window_get_chat_page (window);
  if (!share)
    {
      share_files (window, guests);
      converse (window, guests);
    }

  if (guest_state != NULL)
    {
      TertuliaClient *client = tertulia_session_get_client (tertulia_window_get_session (window));
      TertuliaWindow *other = screenshot_window_new (app, width, height, "pupil", "");
      TertuliaStartPage *other_start = _tertulia_window_get_start_page (other);
      g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", tertulia_session_get_port (tertulia_window_get_session (window)));
      gint64 id;

      gtk_editable_set_text (_tertulia_start_page_get_address_row (other_start), address);
      tertulia_start_page_join (other_start);
      WAIT_UNTIL (g_strcmp0 (_tertulia_window_get_page_name (other), "chat") == 0 &&
                  tertulia_room_get_you (tertulia_client_get_room (tertulia_session_get_client (tertulia_window_get_session (other)))) != NULL);
      id = tertulia_participant_get_id (tertulia_room_get_you (tertulia_client_get_room (tertulia_session_get_client (tertulia_window_get_session (other)))));

      if (g_str_equal (guest_state, "muted"))
        tertulia_client_set_muted (client, id, TRUE);
      else if (g_str_equal (guest_state, "slow"))
        {
          tertulia_client_set_slow_mode (client, 30);
          tertulia_client_set_locked (client, TRUE);
          tertulia_test_spin (500);
          _tertulia_chat_page_set_entry_text (_tertulia_window_get_chat_page (other), "me first!");
          tertulia_chat_page_submit (_tertulia_window_get_chat_page (other));
        }
      else
        {
          /* Let the page come in before it goes */
          tertulia_test_spin (1000);
          tertulia_client_kick (client, id, "class is over, see you tomorrow");
        }

      tertulia_test_spin (2000);
      screenshot_render (GTK_WIDGET (other), output);
      return 0;
    }

  if (room_settings)
    {
      TertuliaClient *client = tertulia_session_get_client (tertulia_window_get_session (window));
      GtkWidget *settings;

      tertulia_client_set_slow_mode (client, 30);
      if (bans)
        {
          tertulia_client_ban (client, tertulia_participant_get_id (tertulia_room_get_you (tertulia_client_get_room (guests[4]))),
                               "spamming the tournament channel");
          tertulia_client_ban (client, tertulia_participant_get_id (tertulia_room_get_you (tertulia_client_get_room (guests[3]))),
                               NULL);
        }
      tertulia_test_spin (500);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "chat.room-settings", NULL));
      settings = _tertulia_chat_page_get_room_settings (page);
      gtk_window_set_default_size (GTK_WINDOW (settings), width, height);
      if (bans)
        _tertulia_room_settings_show_bans (TERTULIA_ROOM_SETTINGS (settings));
      tertulia_test_spin (1500);
      screenshot_render (settings, output);
      gtk_window_destroy (GTK_WINDOW (settings));
      screenshot_leave (window, guests);
      gtk_window_destroy (GTK_WINDOW (window));
      g_clear_pointer (&fake, fake_avahi_free);
      return 0;
    }

  if (participant_menu || private_conversation)
    {
      TertuliaRoom *room = tertulia_client_get_room (guests[1]);
      gint64 host_id = tertulia_participant_get_id (tertulia_room_find_participant_by_nick (room, nicks[0]));
      gint64 luis_id = tertulia_participant_get_id (tertulia_room_get_you (room));

      /* A co-host and someone muted, for the badges */
      tertulia_client_set_cohost (tertulia_session_get_client (tertulia_window_get_session (window)),
                                  tertulia_participant_get_id (tertulia_room_get_you (tertulia_client_get_room (guests[2]))),
                                  TRUE);
      tertulia_client_set_muted (tertulia_session_get_client (tertulia_window_get_session (window)),
                                 tertulia_participant_get_id (tertulia_room_get_you (tertulia_client_get_room (guests[4]))),
                                 TRUE);

      if (private_conversation)
        {
          TertuliaConversationPage *conversation;

          tertulia_client_send_private (guests[1], host_id, "are you still coming to the final?");
          tertulia_client_send_private (guests[3], host_id, "can I borrow your headphones?");
          tertulia_test_spin (600);
          g_assert_true (_tertulia_chat_page_show_conversation_by_id (page, luis_id));
          conversation = _tertulia_chat_page_get_conversation_page (page);
          gtk_text_buffer_set_text (gtk_text_view_get_buffer (_tertulia_conversation_page_get_entry (conversation)),
                                    "yes! saving you a seat", -1);
          tertulia_conversation_page_submit (conversation);
          tertulia_test_spin (300);
          tertulia_client_send_private (guests[1], host_id, "great, see you there 👍");
        }

      if (participant_menu)
        {
          GtkWidget *flap = ui_test_find_widget (GTK_WIDGET (page), is_flap, NULL);
          TertuliaParticipantRow *row = NULL;

          adw_flap_set_reveal_flap (ADW_FLAP (flap), TRUE);
          WAIT_UNTIL ((row = _tertulia_chat_page_find_participant_row (page, luis_id)) != NULL);
          tertulia_test_spin (400);
          tertulia_participant_row_popup_menu (row);
          tertulia_test_spin (1500);
          render_with_popover (GTK_WIDGET (window),
                               GTK_WIDGET (gtk_menu_button_get_popover (_tertulia_participant_row_get_menu_button (row))));
          screenshot_leave (window, guests);
          gtk_window_destroy (GTK_WINDOW (window));
          g_clear_pointer (&fake, fake_avahi_free);
          return 0;
        }
    }

  if (reveal_participants)
    {
      GtkWidget *flap = ui_test_find_widget (GTK_WIDGET (page), is_flap, NULL);

      adw_flap_set_reveal_flap (ADW_FLAP (flap), TRUE);
    }

  if (share)
    {
      GtkMenuButton *share_button = GTK_MENU_BUTTON (_tertulia_chat_page_get_share_button (page));

      /* Addresses like a LAN party's, not this machine's. */
      if (share_hosts != NULL)
        {
          g_auto(GStrv) hosts = g_strsplit (share_hosts, ",", -1);

          _tertulia_share_popover_set_hosts (TERTULIA_SHARE_POPOVER (gtk_menu_button_get_popover (share_button)),
                                             (const char * const *)hosts);
        }

      gtk_menu_button_popup (share_button);
    }

  if (message_menu || replying)
    {
      TertuliaMessageRow *row = NULL;

      tertulia_test_spin (500);
      WAIT_UNTIL ((row = ui_test_find_row (window, "can we keep the same teams for the final?")) != NULL);
      _tertulia_chat_page_open_message_menu (page, row);
      if (replying)
        {
          gtk_widget_activate_action (GTK_WIDGET (page), "message.reply", NULL);
          gtk_popover_popdown (GTK_POPOVER (_tertulia_chat_page_get_message_menu (page)));
          _tertulia_chat_page_set_entry_text (page, "sure, same teams");
        }
    }

  tertulia_test_spin (1500);
  if (message_menu)
    render_with_popover (GTK_WIDGET (window), _tertulia_chat_page_get_message_menu (page));
  else if (share)
    render_with_popover (GTK_WIDGET (window),
                         GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (_tertulia_chat_page_get_share_button (page)))));
  else
    screenshot_render (GTK_WIDGET (window), output);

  screenshot_leave (window, guests);
  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_pointer (&fake, fake_avahi_free);

  return 0;
}

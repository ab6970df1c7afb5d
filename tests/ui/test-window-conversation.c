/* test-window-conversation.c — replies, reactions, edits, deletions and who
 * is typing, in the window, with real core clients as the other guests
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ui-test-utils.h"
#include "tertulia-app-archive.h"
#include "tertulia-message-reactions.h"

static TertuliaApplication *app;

typedef struct
{
  TertuliaWindow  *window;
  TertuliaClient  *guest;
  GSubprocess     *server;
  char            *dir;
  char            *address;
} Fixture;

static TertuliaChatPage *
chat_page (Fixture *fixture)
{
  return _tertulia_window_get_chat_page (fixture->window);
}

static TertuliaClient *
window_client (Fixture *fixture)
{
  return tertulia_session_get_client (tertulia_window_get_session (fixture->window));
}

static TertuliaRoom *
window_room (Fixture *fixture)
{
  return tertulia_client_get_room (window_client (fixture));
}

static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  fixture->window = ui_test_window_new (app);
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  if (fixture->guest != NULL)
    ui_test_leave (g_steal_pointer (&fixture->guest));
  tertulia_window_leave (fixture->window);
  ui_test_destroy_window (fixture->window);

  if (fixture->server != NULL)
    ui_test_stop_server (&fixture->server);
  if (fixture->dir != NULL)
    tertulia_test_remove_tree (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
  g_clear_pointer (&fixture->address, g_free);
}

/* Hosts from the start page as "hostie", and lets "bob" in. */
static void
host_with_guest (Fixture *fixture)
{
  TertuliaStartPage *start = _tertulia_window_get_start_page (fixture->window);
  /* Anywhere in the range: tests of other builds may be looking at its start */
  guint port = tertulia_find_free_port (20000 + g_random_int_range (0, 10000), 40000);

  g_assert_cmpuint (port, !=, 0);
  gtk_editable_set_text (_tertulia_start_page_get_nickname_row (start), "hostie");
  gtk_editable_set_text (_tertulia_start_page_get_room_name_row (start), "Charla");
  gtk_spin_button_set_value (_tertulia_start_page_get_port_spin (start), port);
  tertulia_start_page_host (start);
  WAIT_UNTIL (g_strcmp0 (_tertulia_window_get_page_name (fixture->window), "chat") == 0);

  fixture->address = g_strdup_printf ("127.0.0.1:%u", port);
  fixture->guest = ui_test_join (fixture->address, "bob");
  WAIT_UNTIL (tertulia_room_get_n_participants (window_room (fixture)) == 2);
}

static TertuliaMessage *
wait_message (TertuliaRoom *room,
              const char   *text)
{
  TertuliaMessage *message;

  WAIT_UNTIL ((message = ui_test_find_message (tertulia_room_get_messages (room), text)) != NULL &&
              tertulia_message_get_seq (message) > 0);

  return message;
}

/* The row of @text on screen, once it is there */
static TertuliaMessageRow *
wait_row (Fixture    *fixture,
          const char *text)
{
  TertuliaMessageRow *row;

  WAIT_UNTIL ((row = ui_test_find_row (fixture->window, text)) != NULL);

  return row;
}

/* What the key controller of @widget in @phase does with @keyval */
static gboolean
press_key_on (GtkWidget           *widget,
              GtkPropagationPhase  phase,
              guint                keyval,
              GdkModifierType      state)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  gboolean handled = FALSE;
  guint n_keys = 0;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller) &&
          gtk_event_controller_get_propagation_phase (controller) == phase)
        {
          gboolean done = FALSE;

          g_signal_emit_by_name (controller, "key-pressed", keyval, 0, state, &done);
          handled |= done;
          n_keys++;
        }
    }

  g_assert_cmpuint (n_keys, >=, 1);

  return handled;
}

/* A key pressed in the message entry */
static gboolean
press_key (Fixture         *fixture,
           guint            keyval,
           GdkModifierType  state)
{
  return press_key_on (GTK_WIDGET (_tertulia_chat_page_get_entry (chat_page (fixture))),
                       GTK_PHASE_CAPTURE, keyval, state);
}

static void
type_and_enter (Fixture    *fixture,
                const char *text)
{
  _tertulia_chat_page_set_entry_text (chat_page (fixture), text);
  g_assert_true (press_key (fixture, GDK_KEY_Return, 0));
}

static GtkWidget *
row_item (TertuliaMessageRow *row)
{
  return gtk_widget_get_parent (GTK_WIDGET (row));
}

static gboolean
has_focus (Fixture   *fixture,
           GtkWidget *widget)
{
  return gtk_root_get_focus (GTK_ROOT (fixture->window)) == widget;
}

static gboolean
is_menu_item (GtkWidget     *widget,
              gconstpointer  data)
{
  g_autofree char *text = NULL;

  if (g_strcmp0 (G_OBJECT_TYPE_NAME (widget), "GtkModelButton") != 0 ||
      !gtk_widget_get_mapped (widget))
    return FALSE;

  g_object_get (widget, "text", &text, NULL);

  return g_strcmp0 (text, data) == 0;
}

/* The row's menu as the Menu key opens it on the focused row, and the
 * item labelled @label in it (NULL when it has none)
 */
static GtkWidget *
open_menu_find (Fixture            *fixture,
                TertuliaMessageRow *row,
                const char         *label)
{
  GtkWidget *view = GTK_WIDGET (_tertulia_chat_page_get_message_view (chat_page (fixture)));
  GtkWidget *menu;

  g_assert_true (gtk_widget_grab_focus (row_item (row)));
  WAIT_UNTIL (has_focus (fixture, row_item (row)));
  g_assert_true (press_key_on (view, GTK_PHASE_BUBBLE, GDK_KEY_Menu, 0));
  menu = _tertulia_chat_page_get_message_menu (chat_page (fixture));
  WAIT_UNTIL (gtk_widget_get_mapped (menu));
  tertulia_test_spin (50);

  return ui_test_find_widget (menu, is_menu_item, label);
}

static gboolean
log_menu_item (GtkWidget     *widget,
               gconstpointer  data)
{
  if (g_strcmp0 (G_OBJECT_TYPE_NAME (widget), "GtkModelButton") == 0)
    {
      g_autofree char *text = NULL;

      g_object_get (widget, "text", &text, NULL);
      g_test_message ("menu item %s, mapped %d", text, gtk_widget_get_mapped (widget));
    }

  return FALSE;
}

static void
close_menu (Fixture *fixture)
{
  gtk_popover_popdown (GTK_POPOVER (_tertulia_chat_page_get_message_menu (chat_page (fixture))));
  tertulia_test_spin (50);
}

/* How many messages of the window's room the app's archive finds for
 * @words, once what was recorded is on disk
 */
static guint
archive_hits (Fixture    *fixture,
              const char *words)
{
  TertuliaArchive *archive = tertulia_app_archive_get ();
  g_autoptr(GPtrArray) hits = NULL;

  g_assert_nonnull (archive);
  tertulia_test_spin (100);
  tertulia_archive_flush (archive);
  hits = tertulia_archive_search (archive, tertulia_room_get_id (window_room (fixture)), words, 10);

  return hits != NULL ? hits->len : 0;
}

/* Reply from the menu; the quote above the reply goes to the original */
static void
test_reply (Fixture       *fixture,
            gconstpointer  data)
{
  GtkRevealer *bar;
  TertuliaMessage *original;
  TertuliaMessage *reply;
  TertuliaMessageRow *row;
  GtkWidget *item;
  GtkWidget *quote;

  host_with_guest (fixture);
  bar = _tertulia_chat_page_get_compose_revealer (chat_page (fixture));

  tertulia_client_send_message (fixture->guest, TERTULIA_MESSAGE_KIND_CHAT,
                                "¿vamos al cine?\nhay una de Almodóvar", NULL);
  original = wait_message (window_room (fixture), "¿vamos al cine?\nhay una de Almodóvar");
  row = wait_row (fixture, "¿vamos al cine?\nhay una de Almodóvar");

  item = open_menu_find (fixture, row, "Reply");
  if (item == NULL)
    ui_test_find_widget (_tertulia_chat_page_get_message_menu (chat_page (fixture)), log_menu_item, NULL);
  g_assert_nonnull (item);
  gtk_widget_activate (item);
  WAIT_UNTIL (gtk_revealer_get_reveal_child (bar));
  g_assert_cmpstr (gtk_label_get_text (_tertulia_chat_page_get_compose_label (chat_page (fixture))), ==,
                   "Replying to bob: ¿vamos al cine?");
  WAIT_UNTIL (has_focus (fixture, GTK_WIDGET (_tertulia_chat_page_get_entry (chat_page (fixture)))));

  /* Escape leaves reply mode; Reply again, and Enter sends a reply */
  g_assert_true (press_key (fixture, GDK_KEY_Escape, 0));
  g_assert_false (gtk_revealer_get_reveal_child (bar));
  gtk_widget_activate (open_menu_find (fixture, row, "Reply"));
  WAIT_UNTIL (gtk_revealer_get_reveal_child (bar));
  type_and_enter (fixture, "¡sí!");
  g_assert_false (gtk_revealer_get_reveal_child (bar));

  /* bob sees a reply to his message */
  reply = wait_message (tertulia_client_get_room (fixture->guest), "¡sí!");
  g_assert_cmpint (tertulia_message_get_reply_to_seq (reply), ==, tertulia_message_get_seq (original));
  g_assert_cmpstr (tertulia_message_get_reply_to_author (reply), ==, "bob");

  /* and so does the window, with the quote above it */
  row = wait_row (fixture, "¡sí!");
  WAIT_UNTIL ((quote = _tertulia_message_row_get_quote_button (row)) != NULL &&
              gtk_widget_get_mapped (quote));
  g_assert_nonnull (ui_test_find_label (quote, "bob"));
  g_assert_nonnull (ui_test_find_label (quote, "¿vamos al cine?"));

  /* Enter on the reply goes to the original */
  g_assert_true (gtk_widget_grab_focus (row_item (row)));
  WAIT_UNTIL (has_focus (fixture, row_item (row)));
  g_assert_true (press_key_on (GTK_WIDGET (_tertulia_chat_page_get_message_view (chat_page (fixture))),
                               GTK_PHASE_BUBBLE, GDK_KEY_Return, 0));
  WAIT_UNTIL ((row = ui_test_find_row (fixture->window, "¿vamos al cine?\nhay una de Almodóvar")) != NULL &&
              has_focus (fixture, row_item (row)));
}

/* A reply whose original is older than the log: the quote brings it in
 * from the host's scrollback and goes there.
 */
static void
test_reply_to_scrollback (Fixture       *fixture,
                          gconstpointer  data)
{
  TertuliaStartPage *start = _tertulia_window_get_start_page (fixture->window);
  g_autoptr(GError) error = NULL;
  TertuliaMessage *original;
  TertuliaMessageRow *row;
  GtkWidget *quote;

  fixture->dir = g_dir_make_tmp ("tertulia-conversation-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->server = ui_test_start_server (&fixture->address,
                                          "--room-name", "Memoria", "--no-announce",
                                          "--history", "5", "--data-dir", fixture->dir,
                                          NULL);
  fixture->guest = ui_test_join (fixture->address, "bob");

  tertulia_client_send_message (fixture->guest, TERTULIA_MESSAGE_KIND_CHAT, "el original", NULL);
  original = wait_message (tertulia_client_get_room (fixture->guest), "el original");
  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *text = g_strdup_printf ("relleno %u", i);

      tertulia_client_send_message (fixture->guest, TERTULIA_MESSAGE_KIND_CHAT, text, NULL);
    }
  wait_message (tertulia_client_get_room (fixture->guest), "relleno 11");
  g_assert_nonnull (tertulia_client_send_reply (fixture->guest, TERTULIA_MESSAGE_KIND_CHAT,
                                                "la respuesta", tertulia_message_get_seq (original)));
  wait_message (tertulia_client_get_room (fixture->guest), "la respuesta");

  gtk_editable_set_text (_tertulia_start_page_get_nickname_row (start), "visitante");
  gtk_editable_set_text (_tertulia_start_page_get_address_row (start), fixture->address);
  tertulia_start_page_join (start);
  WAIT_UNTIL (g_strcmp0 (_tertulia_window_get_page_name (fixture->window), "chat") == 0);

  row = wait_row (fixture, "la respuesta");
  g_assert_null (tertulia_room_find_message_by_seq (window_room (fixture), tertulia_message_get_seq (original)));
  WAIT_UNTIL ((quote = _tertulia_message_row_get_quote_button (row)) != NULL &&
              gtk_widget_get_mapped (quote));
  g_assert_nonnull (ui_test_find_label (quote, "el original"));

  g_assert_true (gtk_widget_activate (quote));
  WAIT_UNTIL ((row = ui_test_find_row (fixture->window, "el original")) != NULL &&
              has_focus (fixture, row_item (row)));
}

static const char *thumbs_up = "\xf0\x9f\x91\x8d";

static GtkToggleButton *
reaction_button (TertuliaMessageRow *row,
                 const char         *emoji)
{
  TertuliaMessageReactions *reactions = _tertulia_message_row_get_reactions (row);

  if (reactions == NULL || !gtk_widget_get_mapped (GTK_WIDGET (reactions)))
    return NULL;

  return _tertulia_message_reactions_get_button (reactions, emoji);
}

static const TertuliaReaction *
find_reaction (TertuliaMessage *message,
               const char      *emoji)
{
  GPtrArray *reactions = tertulia_message_get_reactions (message);

  for (guint i = 0; reactions != NULL && i < reactions->len; i++)
    if (g_strcmp0 (((TertuliaReaction *) g_ptr_array_index (reactions, i))->emoji, emoji) == 0)
      return g_ptr_array_index (reactions, i);

  return NULL;
}

static gboolean
is_emoji_chooser (GtkWidget     *widget,
                  gconstpointer  data)
{
  return GTK_IS_EMOJI_CHOOSER (widget) && gtk_widget_get_mapped (widget);
}

/* 👍 from the menu; bob's 👍 makes it two; the button takes yours back */
static void
test_react (Fixture       *fixture,
            gconstpointer  data)
{
  TertuliaMessage *theirs;
  TertuliaMessage *ours;
  TertuliaMessageRow *row;
  GtkToggleButton *button;
  const TertuliaReaction *reaction;
  const char *unicorn = "\xf0\x9f\xa6\x84";
  g_autofree char *name = NULL;
  GtkWidget *chooser;

  host_with_guest (fixture);
  tertulia_client_send_message (fixture->guest, TERTULIA_MESSAGE_KIND_CHAT, "¡aprobé!", NULL);
  ours = wait_message (window_room (fixture), "¡aprobé!");
  theirs = wait_message (tertulia_client_get_room (fixture->guest), "¡aprobé!");
  row = wait_row (fixture, "¡aprobé!");
  g_assert_null (_tertulia_message_row_get_reactions (row));

  gtk_widget_activate (open_menu_find (fixture, row, thumbs_up));
  WAIT_UNTIL ((reaction = find_reaction (theirs, thumbs_up)) != NULL);
  g_assert_cmpuint (reaction->nicks->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (reaction->nicks, 0), ==, "hostie");

  WAIT_UNTIL ((button = reaction_button (row, thumbs_up)) != NULL);
  g_assert_true (gtk_toggle_button_get_active (button));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "👍 1");

  /* bob reacts too */
  g_assert_true (tertulia_client_react (fixture->guest, tertulia_message_get_seq (theirs), thumbs_up, TRUE));
  WAIT_UNTIL ((button = reaction_button (row, thumbs_up)) != NULL &&
              g_strcmp0 (gtk_button_get_label (GTK_BUTTON (button)), "👍 2") == 0);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (button)), ==, "hostie, bob");
  name = tertulia_reaction_dup_accessible_name (find_reaction (ours, thumbs_up));
  g_assert_cmpstr (name, ==, "Thumbs up, 2 reactions, including you");

  /* The button takes yours back */
  gtk_widget_activate (GTK_WIDGET (button));
  WAIT_UNTIL ((reaction = find_reaction (theirs, thumbs_up)) != NULL && reaction->nicks->len == 1);
  WAIT_UNTIL ((button = reaction_button (row, thumbs_up)) != NULL &&
              g_strcmp0 (gtk_button_get_label (GTK_BUTTON (button)), "👍 1") == 0);
  g_assert_false (gtk_toggle_button_get_active (button));

  /* More… opens every emoji; the one picked is a reaction */
  gtk_widget_activate (open_menu_find (fixture, row, "More…"));
  WAIT_UNTIL ((chooser = ui_test_find_widget (GTK_WIDGET (chat_page (fixture)), is_emoji_chooser, NULL)) != NULL);
  g_signal_emit_by_name (chooser, "emoji-picked", unicorn);
  gtk_popover_popdown (GTK_POPOVER (chooser));
  WAIT_UNTIL ((reaction = find_reaction (theirs, unicorn)) != NULL);
  WAIT_UNTIL (reaction_button (row, unicorn) != NULL);
}

/* Up in the empty entry edits your last message */
static void
test_edit_own (Fixture       *fixture,
               gconstpointer  data)
{
  GtkRevealer *bar;
  TertuliaMessage *theirs;
  TertuliaMessageRow *row;
  GtkLabel *edited;
  g_autofree char *typed = NULL;

  host_with_guest (fixture);
  bar = _tertulia_chat_page_get_compose_revealer (chat_page (fixture));
  type_and_enter (fixture, "nos vemos a las 8");
  theirs = wait_message (tertulia_client_get_room (fixture->guest), "nos vemos a las 8");
  wait_message (window_room (fixture), "nos vemos a las 8");

  /* Up, then Escape: nothing changed, the entry is empty again */
  g_assert_true (press_key (fixture, GDK_KEY_Up, 0));
  g_assert_true (gtk_revealer_get_reveal_child (bar));
  g_assert_cmpstr (gtk_label_get_text (_tertulia_chat_page_get_compose_label (chat_page (fixture))), ==,
                   "Editing message");
  typed = _tertulia_chat_page_dup_entry_text (chat_page (fixture));
  g_assert_cmpstr (typed, ==, "nos vemos a las 8");
  g_assert_true (press_key (fixture, GDK_KEY_Escape, 0));
  g_assert_false (gtk_revealer_get_reveal_child (bar));
  g_clear_pointer (&typed, g_free);
  typed = _tertulia_chat_page_dup_entry_text (chat_page (fixture));
  g_assert_cmpstr (typed, ==, "");

  /* Up, a new text, Enter: bob sees it, marked edited */
  g_assert_true (press_key (fixture, GDK_KEY_Up, 0));
  type_and_enter (fixture, "nos vemos a las 9");
  g_assert_false (gtk_revealer_get_reveal_child (bar));
  WAIT_UNTIL (tertulia_message_get_edited (theirs));
  g_assert_cmpstr (tertulia_message_get_text (theirs), ==, "nos vemos a las 9");

  row = wait_row (fixture, "nos vemos a las 9");
  WAIT_UNTIL ((edited = _tertulia_message_row_get_edited_label (row)) != NULL &&
              gtk_widget_get_mapped (GTK_WIDGET (edited)));
  g_assert_cmpstr (gtk_label_get_text (edited), ==, "edited");

  /* The archive keeps the new text, and only it */
  g_assert_cmpuint (archive_hits (fixture, "las 9"), ==, 1);
  g_assert_cmpuint (archive_hits (fixture, "las 8"), ==, 0);

  /* Someone else's message has no Edit */
  tertulia_client_send_message (fixture->guest, TERTULIA_MESSAGE_KIND_CHAT, "vale", NULL);
  row = wait_row (fixture, "vale");
  g_assert_null (open_menu_find (fixture, row, "Edit"));
  close_menu (fixture);
}

/* Delete from the menu, after asking; what is left is a tombstone */
static void
test_delete_own (Fixture       *fixture,
                 gconstpointer  data)
{
  TertuliaMessage *theirs;
  TertuliaMessage *bobs;
  TertuliaMessageRow *row;
  TertuliaMessageRow *reply;
  GtkWidget *quote;
  GtkWidget *dialog;

  host_with_guest (fixture);
  type_and_enter (fixture, "mensaje equivocado");
  theirs = wait_message (tertulia_client_get_room (fixture->guest), "mensaje equivocado");
  /* bob answers it before it goes */
  g_assert_nonnull (tertulia_client_send_reply (fixture->guest, TERTULIA_MESSAGE_KIND_CHAT, "¿qué?",
                                                tertulia_message_get_seq (theirs)));
  reply = wait_row (fixture, "¿qué?");
  WAIT_UNTIL ((quote = _tertulia_message_row_get_quote_button (reply)) != NULL &&
              ui_test_find_label (quote, "mensaje equivocado") != NULL);
  row = wait_row (fixture, "mensaje equivocado");
  g_assert_cmpuint (archive_hits (fixture, "equivocado"), ==, 1);

  gtk_widget_activate (open_menu_find (fixture, row, "Delete…"));
  WAIT_UNTIL ((dialog = _tertulia_chat_page_get_delete_dialog (chat_page (fixture))) != NULL &&
              gtk_widget_get_mapped (dialog));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "delete");
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* bob's tombstone, and ours */
  WAIT_UNTIL (tertulia_message_get_deleted (theirs));
  g_assert_cmpstr (tertulia_message_get_text (theirs), ==, "");
  row = wait_row (fixture, "Message deleted");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row), "deleted"));

  /* Nor does the archive: a search finds it no more */
  g_assert_cmpuint (archive_hits (fixture, "equivocado"), ==, 0);

  /* The reply's quote no longer shows the text either */
  reply = wait_row (fixture, "¿qué?");
  WAIT_UNTIL ((quote = _tertulia_message_row_get_quote_button (reply)) != NULL &&
              ui_test_find_label (quote, "Message deleted") != NULL);
  g_assert_null (ui_test_find_label (GTK_WIDGET (fixture->window), "mensaje equivocado"));

  /* Nothing to copy, answer or react to */
  g_assert_null (open_menu_find (fixture, row, "Copy Message"));
  g_assert_null (ui_test_find_widget (_tertulia_chat_page_get_message_menu (chat_page (fixture)),
                                      is_menu_item, "Reply"));
  g_assert_null (ui_test_find_widget (_tertulia_chat_page_get_message_menu (chat_page (fixture)),
                                      is_menu_item, thumbs_up));
  close_menu (fixture);

  /* bob deletes his own: the window shows his tombstone */
  tertulia_client_send_message (fixture->guest, TERTULIA_MESSAGE_KIND_CHAT, "me arrepiento", NULL);
  bobs = wait_message (tertulia_client_get_room (fixture->guest), "me arrepiento");
  wait_row (fixture, "me arrepiento");
  g_assert_true (tertulia_client_delete_message (fixture->guest, tertulia_message_get_seq (bobs)));
  WAIT_UNTIL (ui_test_find_row (fixture->window, "me arrepiento") == NULL);
  g_assert_null (ui_test_find_label (GTK_WIDGET (fixture->window), "me arrepiento"));

  /* The host deletes bob's: his tombstone says who removed it */
  tertulia_client_send_message (fixture->guest, TERTULIA_MESSAGE_KIND_CHAT, "publicidad", NULL);
  bobs = wait_message (tertulia_client_get_room (fixture->guest), "publicidad");
  row = wait_row (fixture, "publicidad");
  gtk_widget_activate (open_menu_find (fixture, row, "Delete…"));
  WAIT_UNTIL ((dialog = _tertulia_chat_page_get_delete_dialog (chat_page (fixture))) != NULL &&
              gtk_widget_get_mapped (dialog));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "delete");
  gtk_window_destroy (GTK_WINDOW (dialog));
  WAIT_UNTIL (tertulia_message_get_deleted (bobs));
  g_assert_cmpstr (tertulia_message_get_deleted_by (bobs), ==, "hostie");
  wait_row (fixture, "Message removed by hostie");
}

/* "bob is typing…" while bob types, gone when he sends; what you type is
 * sent as typing too, unless the preference says not to
 */
static void
test_typing (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.tertulia.Tertulia");
  GtkRevealer *line;
  g_auto(GStrv) typing = NULL;

  host_with_guest (fixture);
  line = _tertulia_chat_page_get_typing_revealer (chat_page (fixture));
  g_assert_false (gtk_revealer_get_reveal_child (line));

  tertulia_client_set_typing (fixture->guest, TRUE);
  WAIT_UNTIL (gtk_revealer_get_reveal_child (line));
  g_assert_cmpstr (gtk_label_get_text (_tertulia_chat_page_get_typing_label (chat_page (fixture))), ==,
                   "bob is typing…");

  tertulia_client_send_message (fixture->guest, TERTULIA_MESSAGE_KIND_CHAT, "ya está", NULL);
  WAIT_UNTIL (!gtk_revealer_get_reveal_child (line));

  /* Ours, as we type */
  _tertulia_chat_page_set_entry_text (chat_page (fixture), "escribo");
  WAIT_UNTIL ((typing = tertulia_room_dup_typing (tertulia_client_get_room (fixture->guest))) != NULL &&
              g_strv_length (typing) == 1 && g_str_equal (typing[0], "hostie"));
  _tertulia_chat_page_set_entry_text (chat_page (fixture), "");
  g_clear_pointer (&typing, g_strfreev);
  WAIT_UNTIL ((typing = tertulia_room_dup_typing (tertulia_client_get_room (fixture->guest))) != NULL &&
              g_strv_length (typing) == 0);

  /* The preference reaches the room's client at once */
  g_assert_true (tertulia_client_get_send_typing (window_client (fixture)));
  g_settings_set_boolean (settings, "send-typing", FALSE);
  g_assert_false (tertulia_client_get_send_typing (window_client (fixture)));
  g_settings_reset (settings, "send-typing");
  g_assert_true (tertulia_client_get_send_typing (window_client (fixture)));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  app = ui_test_application_new ();

  g_test_add ("/window/conversation/reply", Fixture, NULL, setup, test_reply, teardown);
  g_test_add ("/window/conversation/reply-to-scrollback", Fixture, NULL, setup, test_reply_to_scrollback, teardown);
  g_test_add ("/window/conversation/react", Fixture, NULL, setup, test_react, teardown);
  g_test_add ("/window/conversation/edit-own", Fixture, NULL, setup, test_edit_own, teardown);
  g_test_add ("/window/conversation/delete-own", Fixture, NULL, setup, test_delete_own, teardown);
  g_test_add ("/window/conversation/typing", Fixture, NULL, setup, test_typing, teardown);

  ret = g_test_run ();
  g_object_unref (app);

  return ret;
}

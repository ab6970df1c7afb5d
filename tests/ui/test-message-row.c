/* test-message-row.c — how one message looks, and that wire text stays text
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "tertulia-test-utils.h"
#include "ui-test-utils.h"
#include "tertulia-clock.h"
#include "tertulia-message-row.h"

static TertuliaMessage *
message_at (TertuliaMessageKind  kind,
            gint64               author_id,
            const char          *author,
            const char          *text,
            int                  minute)
{
  g_autoptr(GDateTime) time = g_date_time_new_local (2026, 11, 21, 20, minute, 0);

  return tertulia_message_new (kind, minute + 1, author_id, author, text, time);
}

static GtkWidget *
row_new (void)
{
  return g_object_ref_sink (tertulia_message_row_new ());
}

static void
test_markup_is_literal (void)
{
  const char *text = "<span size=\"90000\">x</span>";
  const char *nick = "<i>evil</i>";
  g_autoptr(TertuliaMessage) message = message_at (TERTULIA_MESSAGE_KIND_CHAT, 2, nick, text, 0);
  GtkWidget *row = row_new ();
  TertuliaMessageText *message_text;
  GtkLabel *label;

  tertulia_message_row_set_message (TERTULIA_MESSAGE_ROW (row), message);

  /* Had the text been taken as markup, the label would show just "x". */
  message_text = _tertulia_message_row_get_text (TERTULIA_MESSAGE_ROW (row));
  g_assert_cmpstr (tertulia_message_text_get_text (message_text), ==, text);
  label = _tertulia_message_text_get_label (message_text);
  g_assert_cmpstr (gtk_label_get_text (label), ==, text);
  g_assert_false (gtk_label_get_use_markup (label));
  g_assert_cmpstr (tertulia_message_header_get_author (_tertulia_message_row_get_header (TERTULIA_MESSAGE_ROW (row))), ==, nick);

  g_assert_finalize_object (row);
}

static void
test_links (void)
{
  const char *text = "<b>see</b> https://example.com/a?b=1&c=2. & www.gnome.org, "
                     "<a href=\"javascript:alert(1)\">no</a>";
  g_autoptr(TertuliaMessage) message = message_at (TERTULIA_MESSAGE_KIND_CHAT, 2, "ana", text, 0);
  GtkWidget *row = row_new ();
  GtkLabel *label;
  const char *markup;

  tertulia_message_row_set_message (TERTULIA_MESSAGE_ROW (row), message);
  label = _tertulia_message_text_get_label (_tertulia_message_row_get_text (TERTULIA_MESSAGE_ROW (row)));

  /* Clickable links, and still exactly the text that was sent. */
  g_assert_true (gtk_label_get_use_markup (label));
  {
    g_autofree char *shown = ui_test_dup_without_isolates (gtk_label_get_text (label));

    g_assert_cmpstr (shown, ==, text);
  }

  markup = gtk_label_get_label (label);
  g_assert_nonnull (strstr (markup, "<a href=\"https://example.com/a?b=1&amp;c=2\">"));
  g_assert_nonnull (strstr (markup, "<a href=\"http://www.gnome.org\">www.gnome.org</a>\xe2\x81\xa9, "));
  g_assert_null (strstr (markup, "javascript:alert(1)\">"));
  g_assert_nonnull (strstr (markup, "&lt;b&gt;see&lt;/b&gt;"));

  g_assert_finalize_object (row);
}

/* Where a day starts the log says which: today, yesterday, a date. */
static void
test_days (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_local (2026, 12, 7, 10, 0, 0);
  g_autoptr(GDateTime) earlier = g_date_time_new_local (2026, 12, 7, 0, 5, 0);
  g_autoptr(GDateTime) yesterday = g_date_time_new_local (2026, 12, 6, 23, 55, 0);
  g_autoptr(GDateTime) before = g_date_time_new_local (2026, 12, 3, 12, 0, 0);
  g_autofree char *today_text = tertulia_clock_format_day (earlier, now);
  g_autofree char *yesterday_text = tertulia_clock_format_day (yesterday, now);
  g_autofree char *before_text = tertulia_clock_format_day (before, now);
  GtkWidget *row = row_new ();

  g_assert_true (tertulia_clock_same_day (earlier, now));
  g_assert_false (tertulia_clock_same_day (yesterday, earlier));
  g_assert_cmpstr (today_text, ==, "Today");
  g_assert_cmpstr (yesterday_text, ==, "Yesterday");
  g_assert_cmpstr (before_text, ==, "Thursday, December 3");

  g_assert_null (tertulia_message_row_get_day (TERTULIA_MESSAGE_ROW (row)));
  tertulia_message_row_set_day (TERTULIA_MESSAGE_ROW (row), "Today");
  g_assert_cmpstr (tertulia_message_row_get_day (TERTULIA_MESSAGE_ROW (row)), ==, "Today");
  tertulia_message_row_set_day (TERTULIA_MESSAGE_ROW (row), NULL);
  g_assert_null (tertulia_message_row_get_day (TERTULIA_MESSAGE_ROW (row)));

  g_assert_finalize_object (row);
}

static void
test_kinds (void)
{
  g_autoptr(TertuliaMessage) notice = NULL;
  g_autoptr(TertuliaMessage) action = message_at (TERTULIA_MESSAGE_KIND_ACTION, 2, "ana", "waves", 0);
  g_autoptr(TertuliaMessage) chat = message_at (TERTULIA_MESSAGE_KIND_CHAT, 2, "ana", "hola", 0);
  GtkWidget *row = row_new ();
  TertuliaMessageText *text = _tertulia_message_row_get_text (TERTULIA_MESSAGE_ROW (row));
  TertuliaMessageHeader *author = _tertulia_message_row_get_header (TERTULIA_MESSAGE_ROW (row));
  GtkWidget *header = GTK_WIDGET (author);

  notice = tertulia_message_new_notice ("luis joined", NULL);

  tertulia_message_row_set_message (TERTULIA_MESSAGE_ROW (row), notice);
  g_assert_cmpstr (tertulia_message_text_get_text (text), ==, "luis joined");
  g_assert_true (tertulia_message_text_get_centered (text));
  g_assert_true (gtk_widget_has_css_class (row, "notice"));
  g_assert_false (gtk_widget_get_visible (header));

  /* /help and /list answer with lines: a block to read, left-aligned,
   * not a centred grey line.
   */
  {
    g_autoptr(TertuliaMessage) help = tertulia_message_new_notice ("Commands:\n/me ACTION\n/nick NAME", NULL);

    tertulia_message_row_set_message (TERTULIA_MESSAGE_ROW (row), help);
    g_assert_false (tertulia_message_text_get_centered (text));
    g_assert_true (gtk_widget_has_css_class (row, "notice-block"));
  }

  tertulia_message_row_set_message (TERTULIA_MESSAGE_ROW (row), action);
  g_assert_cmpstr (tertulia_message_text_get_text (text), ==, "* ana waves");
  g_assert_false (tertulia_message_text_get_centered (text));
  g_assert_true (gtk_widget_has_css_class (row, "action"));
  g_assert_false (gtk_widget_has_css_class (row, "notice"));
  g_assert_false (gtk_widget_get_visible (header));

  /* A recycled row shows the new message, with nothing left over. */
  tertulia_message_row_set_message (TERTULIA_MESSAGE_ROW (row), chat);
  g_assert_cmpstr (tertulia_message_text_get_text (text), ==, "hola");
  g_assert_cmpstr (tertulia_message_header_get_author (author), ==, "ana");
  g_assert_cmpstr (gtk_label_get_text (_tertulia_message_header_get_time_label (author)), ==, "20:00");

  /* Where the desktop's clock shows 12 hours, so does the log. */
  _tertulia_clock_set_hours (12);
  tertulia_message_header_set_time (author, NULL);
  tertulia_message_row_set_message (TERTULIA_MESSAGE_ROW (row), action);
  tertulia_message_row_set_message (TERTULIA_MESSAGE_ROW (row), chat);
  g_assert_cmpstr (gtk_label_get_text (_tertulia_message_header_get_time_label (author)), ==, "8:00 PM");
  _tertulia_clock_set_hours (0);
  tertulia_message_header_set_time (author, NULL);
  tertulia_message_row_set_message (TERTULIA_MESSAGE_ROW (row), action);
  tertulia_message_row_set_message (TERTULIA_MESSAGE_ROW (row), chat);
  g_assert_false (gtk_widget_has_css_class (row, "action"));
  g_assert_true (gtk_widget_get_visible (header));
  g_assert_false (gtk_widget_has_css_class (row, "mention"));

  tertulia_message_set_mentions_you (chat, TRUE);
  g_assert_true (gtk_widget_has_css_class (row, "mention"));

  tertulia_message_row_set_grouped (TERTULIA_MESSAGE_ROW (row), TRUE);
  g_assert_false (gtk_widget_get_visible (header));

  g_assert_finalize_object (row);
}

static void
test_own_states (void)
{
  g_autoptr(TertuliaMessage) mine = NULL;
  g_autoptr(TertuliaMessage) refused = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GtkWidget *row = row_new ();
  GtkLabel *status = _tertulia_message_row_get_status_label (TERTULIA_MESSAGE_ROW (row));

  mine = tertulia_message_new_own (TERTULIA_MESSAGE_KIND_CHAT, "c1", 1, "me", "hello");
  tertulia_message_row_set_message (TERTULIA_MESSAGE_ROW (row), mine);

  g_assert_true (gtk_widget_has_css_class (row, "own"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (status)));
  g_assert_cmpstr (gtk_label_get_text (status), ==, "Sending…");

  tertulia_message_mark_delivered (mine, 10, now);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (status)));

  refused = tertulia_message_new_own (TERTULIA_MESSAGE_KIND_CHAT, "c2", 1, "me", "too much");
  tertulia_message_row_set_message (TERTULIA_MESSAGE_ROW (row), refused);
  tertulia_message_mark_failed (refused, "Messages can be at most 4000 characters long.");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (status)));
  g_assert_cmpstr (gtk_label_get_text (status), ==,
                   "Not sent: Messages can be at most 4000 characters long.");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (status), "error"));

  g_assert_finalize_object (row);
}

static void
test_grouping (void)
{
  g_autoptr(TertuliaMessage) first = message_at (TERTULIA_MESSAGE_KIND_CHAT, 2, "ana", "one", 0);
  g_autoptr(TertuliaMessage) soon = message_at (TERTULIA_MESSAGE_KIND_CHAT, 2, "ana", "two", 3);
  g_autoptr(TertuliaMessage) late = message_at (TERTULIA_MESSAGE_KIND_CHAT, 2, "ana", "three", 10);
  g_autoptr(TertuliaMessage) other = message_at (TERTULIA_MESSAGE_KIND_CHAT, 3, "luis", "four", 10);
  g_autoptr(TertuliaMessage) action = message_at (TERTULIA_MESSAGE_KIND_ACTION, 3, "luis", "waves", 10);
  g_autoptr(TertuliaMessage) renamed = message_at (TERTULIA_MESSAGE_KIND_CHAT, 3, "lu", "five", 10);

  g_assert_false (tertulia_message_row_continues (NULL, first));
  g_assert_true (tertulia_message_row_continues (first, soon));
  g_assert_false (tertulia_message_row_continues (soon, late));
  g_assert_false (tertulia_message_row_continues (late, other));
  g_assert_false (tertulia_message_row_continues (other, action));
  g_assert_false (tertulia_message_row_continues (action, other));
  /* After a rename the header shows the new name. */
  g_assert_false (tertulia_message_row_continues (other, renamed));
}

static GtkWindow *
window_with_header (const char *author,
                    int         width)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  GtkWidget *header = tertulia_message_header_new ();
  g_autoptr(GDateTime) time = g_date_time_new_local (2026, 11, 21, 9, 5, 0);

  tertulia_message_header_set_author (TERTULIA_MESSAGE_HEADER (header), author);
  tertulia_message_header_set_time (TERTULIA_MESSAGE_HEADER (header), time);
  gtk_widget_set_valign (header, GTK_ALIGN_START);
  gtk_window_set_child (window, header);
  gtk_window_set_default_size (window, width, 100);
  gtk_window_present (window);
  WAIT_UNTIL (gtk_widget_get_mapped (header) && gtk_widget_get_width (header) > 0);

  return window;
}

/* The time sits right after the nickname; a nickname too long for the row
 * gives way (it ends in "…"), never the time.
 */
static void
test_header_layout (void)
{
  struct { const char *author; int window_width; } cases[] = {
    { "ana", 600 },
    { "ana", 60 },
    { "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW", 600 },
    { "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW", 150 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GtkWindow *window = window_with_header (cases[i].author, cases[i].window_width);
      TertuliaMessageHeader *header = TERTULIA_MESSAGE_HEADER (gtk_window_get_child (window));
      GtkWidget *time = GTK_WIDGET (_tertulia_message_header_get_time_label (header));
      int header_width = gtk_widget_get_width (GTK_WIDGET (header));
      int natural, time_width;
      graphene_rect_t bounds;

      gtk_widget_measure (GTK_WIDGET (header), GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
      gtk_widget_measure (time, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &time_width, NULL, NULL);
      g_assert_true (gtk_widget_compute_bounds (time, GTK_WIDGET (header), &bounds));
      g_test_message ("%s in %d px: header %d px (natural %d), time at %.0f, %.0f px wide",
                      cases[i].author, cases[i].window_width, header_width, natural,
                      bounds.origin.x, bounds.size.width);

      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (time)), ==, "09:05");
      g_assert_cmpfloat (bounds.size.width, ==, time_width);
      g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, MAX (header_width, natural));
      if (header_width >= natural)
        /* Right after the nickname, with the spacing between. */
        g_assert_cmpfloat (bounds.origin.x, ==, natural - time_width);
      else
        /* Squeezed: the time is the last thing in the row. */
        g_assert_cmpfloat (bounds.origin.x + bounds.size.width, ==, header_width);
      g_assert_cmpfloat (bounds.origin.x, >, 0);

      gtk_window_destroy (window);
    }
}

/* What one line says for a run of joins and leaves. */
static void
test_run_summary (void)
{
  static const struct {
    const char *run;      /* +nick joined, -nick left */
    const char *summary;
  } cases[] = {
    { "+ana", "ana joined" },
    { "-ana", "ana left" },
    { "+ana +bob", "ana and bob joined" },
    { "-ana -bob -cid", "ana, bob and cid left" },
    { "+ana +bob +cid +dan", "ana, bob and 2 others joined" },
    { "-ana -bob -cid -dan -eva", "ana, bob and 3 others left" },
    { "+ana +ana +ana", "ana joined" },
    { "+ana -bob", "ana joined, bob left" },
    { "+ana +bob -cid", "ana and bob joined, cid left" },
    { "+ana +bob +cid +dan +eva -fay -gil", "5 people joined and 2 people left" },
    { "-ana +bob +cid -dan", "2 people left and 2 people joined" },
    { "-bob +bob", "bob left, bob joined" },
    { "+ana -bob -cid -dan", "1 person joined and 3 people left" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GListStore) run = g_list_store_new (TERTULIA_TYPE_MESSAGE);
      g_auto(GStrv) events = g_strsplit (cases[i].run, " ", -1);
      g_autofree char *summary = NULL;

      for (guint j = 0; events[j] != NULL; j++)
        {
          TertuliaNoticeKind kind = events[j][0] == '-' ? TERTULIA_NOTICE_KIND_LEAVE : TERTULIA_NOTICE_KIND_JOIN;
          g_autoptr(TertuliaMessage) notice = tertulia_message_new_event_notice (kind, j + 1, events[j] + 1,
                                                                                 events[j], NULL);

          g_list_store_append (run, notice);
        }

      summary = tertulia_message_row_dup_run_summary (G_LIST_MODEL (run));
      g_assert_cmpstr (summary, ==, cases[i].summary);
    }
}

/* A reply shows who it answers and their first line; a plain message
 * makes none of the widgets replies, reactions and edits need.
 */
static void
test_reply_quote (void)
{
  g_autoptr(TertuliaMessage) plain = message_at (TERTULIA_MESSAGE_KIND_CHAT, 2, "ana", "hola", 0);
  g_autoptr(TertuliaMessage) reply = message_at (TERTULIA_MESSAGE_KIND_CHAT, 3, "bob", "¡hola!", 1);
  GtkWidget *row = row_new ();
  GtkWidget *quote;

  tertulia_message_row_set_message (TERTULIA_MESSAGE_ROW (row), plain);
  g_assert_null (_tertulia_message_row_get_quote_button (TERTULIA_MESSAGE_ROW (row)));
  g_assert_null (_tertulia_message_row_get_reactions (TERTULIA_MESSAGE_ROW (row)));
  g_assert_null (_tertulia_message_row_get_edited_label (TERTULIA_MESSAGE_ROW (row)));

  tertulia_message_set_reply_to (reply, 1, "ana", "hola\n¿qué tal?");
  tertulia_message_row_set_message (TERTULIA_MESSAGE_ROW (row), reply);
  quote = _tertulia_message_row_get_quote_button (TERTULIA_MESSAGE_ROW (row));
  g_assert_nonnull (quote);
  g_assert_true (gtk_widget_get_visible (quote));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (quote)), ==, "chat.jump-to-message");
  g_assert_cmpint (g_variant_get_int64 (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (quote))), ==, 1);

  /* Recycled for a message that answers nothing: the quote hides */
  tertulia_message_row_set_message (TERTULIA_MESSAGE_ROW (row), plain);
  g_assert_false (gtk_widget_get_visible (quote));

  g_assert_finalize_object (row);
}

/* What a screen reader and the tooltip say of a reaction */
static void
test_reaction_names (void)
{
  g_autoptr(TertuliaReaction) thumbs = tertulia_reaction_new ("\xf0\x9f\x91\x8d");
  g_autoptr(TertuliaReaction) other = tertulia_reaction_new ("\xf0\x9f\xa6\x84");
  g_autofree char *name = NULL;
  g_autofree char *who = NULL;

  g_ptr_array_add (thumbs->nicks, g_strdup ("ana"));
  g_ptr_array_add (thumbs->nicks, g_strdup ("bob"));
  thumbs->mine = TRUE;
  name = tertulia_reaction_dup_accessible_name (thumbs);
  g_assert_cmpstr (name, ==, "Thumbs up, 2 reactions, including you");
  who = tertulia_reaction_dup_who (thumbs);
  g_assert_cmpstr (who, ==, "ana, bob");

  g_ptr_array_add (other->nicks, g_strdup ("carla"));
  g_clear_pointer (&name, g_free);
  name = tertulia_reaction_dup_accessible_name (other);
  g_assert_cmpstr (name, ==, "\xf0\x9f\xa6\x84, 1 reaction");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add_func ("/message-row/markup-is-literal", test_markup_is_literal);
  g_test_add_func ("/message-row/links", test_links);
  g_test_add_func ("/message-row/kinds", test_kinds);
  g_test_add_func ("/message-row/run-summary", test_run_summary);
  g_test_add_func ("/message-row/days", test_days);
  g_test_add_func ("/message-row/own-states", test_own_states);
  g_test_add_func ("/message-row/grouping", test_grouping);
  g_test_add_func ("/message-row/header-layout", test_header_layout);
  g_test_add_func ("/message-row/reply-quote", test_reply_quote);
  g_test_add_func ("/message-row/reaction-names", test_reaction_names);

  return g_test_run ();
}

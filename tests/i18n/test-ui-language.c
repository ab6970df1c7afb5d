/* test-ui-language.c — the app speaks the language it is started in
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Run once per language by tests/i18n/meson.build, with LANGUAGE set to
 * it (and LC_ALL=C.UTF-8: glibc honours LANGUAGE in any locale but "C"),
 * TERTULIA_TEST_MO naming that language's catalog, compiled from its .po,
 * and TERTULIA_TEST_PO naming the .po. The windows must show translated
 * text: no string of the sources may be left on screen in English, whether
 * the catalog lacks it or the code shows it without looking it up.
 */

#include "config.h"

#include <string.h>

#include "i18n-test-utils.h"
#include "ui-test-utils.h"
#include "tertulia-preferences-window.h"

/* A few strings exactly as a person reading the page sees them: they
 * tell es, pt_BR and pt apart, which "is it translated at all" cannot.
 * Change them with the .po files.
 */
static const struct {
  const char *language;
  const char *host_button;      /* "_Host Room" */
  const char *nickname_title;   /* "Your Nickname" */
  const char *heading;          /* "Chat with the people around you" */
  const char *one_participant;  /* "%u participant", n = 1 */
  const char *no_participants;  /* "%u participants", n = 0 */
} expectations[] = {
  { "es", "_Crear sala", "Tu apodo", "Chatea con la gente que tienes cerca",
    "1 participante", "0 participantes" },
  /* Brazilian Portuguese counts zero as one. */
  { "pt_BR", "_Criar sala", "Seu apelido", "Converse com quem está por perto",
    "1 participante", "0 participante" },
  { "pt", "_Criar sala", "A tua alcunha", "Conversa com quem está por perto",
    "1 participante", "0 participantes" },
};

/* The message contexts used in the sources (msgctxt). */
static const char * const contexts[] = { "shortcut window", "participant" };

static guint expected;
static char *locale_dir;
/* The strings of the sources that would read as English on screen: those
 * the .po leaves untranslated or fuzzy, or translates into other words.
 */
static GHashTable *english;
static TertuliaApplication *app;

typedef struct
{
  TertuliaWindow *window;
} Fixture;

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
  tertulia_window_leave (fixture->window);
  ui_test_destroy_window (fixture->window);
}

/* A string of the sources, in English, where a translation belongs. */
static gboolean
is_untranslated (const char *text)
{
  if (text == NULL || *text == '\0')
    return FALSE;  /* "" would look up the catalog's header */

  if (g_hash_table_contains (english, text))
    return TRUE;

  /* Also what the catalog itself translates, should the two disagree. */
  if (g_strcmp0 (g_dgettext (GETTEXT_PACKAGE, text), text) != 0)
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (contexts); i++)
    if (g_strcmp0 (g_dpgettext2 (GETTEXT_PACKAGE, contexts[i], text), text) != 0)
      return TRUE;

  return FALSE;
}

/* Every label and tooltip shown under @widget that is still in English. */
static void
collect_untranslated (GtkWidget *widget,
                      GPtrArray *found,
                      guint     *n_labels)
{
  const char *tooltip;

  if (!gtk_widget_get_mapped (widget))
    return;

  if (GTK_IS_LABEL (widget))
    {
      GtkLabel *label = GTK_LABEL (widget);

      /* The text as written ("_Host Room") and as shown ("Host Room"). */
      if (is_untranslated (gtk_label_get_label (label)) ||
          is_untranslated (gtk_label_get_text (label)))
        g_ptr_array_add (found, g_strdup_printf ("label “%s”", gtk_label_get_label (label)));
      (*n_labels)++;
    }

  tooltip = gtk_widget_get_tooltip_text (widget);
  if (is_untranslated (tooltip))
    g_ptr_array_add (found, g_strdup_printf ("tooltip “%s” on a %s",
                                             tooltip, G_OBJECT_TYPE_NAME (widget)));

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_untranslated (child, found, n_labels);
}

static void
assert_all_translated (GtkWidget  *root,
                       const char *what)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  guint n_labels = 0;

  collect_untranslated (root, found, &n_labels);

  /* A sweep that saw nothing would pass for the wrong reason. */
  g_assert_cmpuint (n_labels, >, 3);

  /* Every one of them, then fail (the test goes on to its teardown). */
  for (guint i = 0; i < found->len; i++)
    g_test_message ("English left on the %s in “%s”: %s", what,
                    expectations[expected].language, (char *)g_ptr_array_index (found, i));
  if (found->len > 0)
    g_test_fail_printf ("English on the %s: %u strings", what, found->len);
}

static gboolean
is_primary_menu_button (GtkWidget     *widget,
                        gconstpointer  data)
{
  return GTK_IS_MENU_BUTTON (widget) &&
         gtk_widget_get_mapped (widget) &&
         gtk_menu_button_get_primary (GTK_MENU_BUTTON (widget));
}

static gboolean
is_expander_row (GtkWidget     *widget,
                 gconstpointer  data)
{
  return ADW_IS_EXPANDER_ROW (widget);
}

/* Opens @button's popover, checks what it shows, closes it. */
static void
assert_popover_translated (GtkMenuButton *button,
                           const char    *what)
{
  GtkPopover *popover;

  gtk_menu_button_popup (button);
  popover = gtk_menu_button_get_popover (button);
  g_assert_nonnull (popover);
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (popover)));
  tertulia_test_spin (100);

  assert_all_translated (GTK_WIDGET (popover), what);

  gtk_menu_button_popdown (button);
  WAIT_UNTIL (!gtk_widget_get_mapped (GTK_WIDGET (popover)));
}

static void
test_catalog (void)
{
  g_autofree char *one = NULL;
  g_autofree char *none = NULL;

  /* The catalog of this very language, not a neighbour's. */
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "_Host Room"), ==,
                   expectations[expected].host_button);
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Your Nickname"), ==,
                   expectations[expected].nickname_title);

  /* Its plural rule: the Plural-Forms header is what picks the form. */
  one = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u participant", "%u participants", 1), 1);
  none = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u participant", "%u participants", 0), 0);
  g_assert_cmpstr (one, ==, expectations[expected].one_participant);
  g_assert_cmpstr (none, ==, expectations[expected].no_participants);
}

static void
test_start_page (Fixture       *fixture,
                 gconstpointer  data)
{
  TertuliaStartPage *start = _tertulia_window_get_start_page (fixture->window);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  const char *recent[] = { "192.168.1.20:7878", NULL };
  GtkWidget *widget;

  /* Everything the page can show at rest: a recent room, the port. */
  g_settings_set_strv (settings, "recent-rooms", recent);
  tertulia_start_page_reset (start);
  widget = ui_test_find_widget (GTK_WIDGET (start), is_expander_row, NULL);
  g_assert_nonnull (widget);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (widget), TRUE);
  tertulia_test_spin (300);

  /* What a person reads first. */
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (fixture->window),
                                        expectations[expected].heading));
  widget = gtk_widget_get_ancestor (GTK_WIDGET (_tertulia_start_page_get_nickname_row (start)),
                                    ADW_TYPE_PREFERENCES_ROW);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), ==,
                   expectations[expected].nickname_title);
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (fixture->window),
                                        g_dgettext (GETTEXT_PACKAGE, "Recent Rooms")));

  assert_all_translated (GTK_WIDGET (fixture->window), "start page");

  /* The main menu. */
  widget = ui_test_find_widget (GTK_WIDGET (start), is_primary_menu_button, NULL);
  g_assert_nonnull (widget);
  assert_popover_translated (GTK_MENU_BUTTON (widget), "main menu");

  g_settings_reset (settings, "recent-rooms");
}

static gboolean
has_button_label (GtkWidget     *widget,
                  gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), data) == 0;
}

static void
test_host_button (Fixture       *fixture,
                  gconstpointer  data)
{
  TertuliaStartPage *start = _tertulia_window_get_start_page (fixture->window);
  GtkWidget *button;

  /* The button a person presses to host, by its translated label. */
  button = ui_test_find_widget (GTK_WIDGET (start), has_button_label,
                                expectations[expected].host_button);
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_mapped (button));
  g_assert_true (gtk_button_get_use_underline (GTK_BUTTON (button)));
  g_assert_null (ui_test_find_widget (GTK_WIDGET (start), has_button_label, "_Host Room"));
}

static void
test_chat_page (Fixture       *fixture,
                gconstpointer  data)
{
  TertuliaStartPage *start = _tertulia_window_get_start_page (fixture->window);
  TertuliaChatPage *page;
  GtkWidget *dialog;
  guint port = tertulia_find_free_port (20000, 40000);

  g_assert_cmpuint (port, !=, 0);
  gtk_editable_set_text (_tertulia_start_page_get_nickname_row (start), "ana");
  gtk_editable_set_text (_tertulia_start_page_get_room_name_row (start), "Sala");
  gtk_spin_button_set_value (_tertulia_start_page_get_port_spin (start), port);
  tertulia_start_page_host (start);
  WAIT_UNTIL (g_strcmp0 (_tertulia_window_get_page_name (fixture->window), "chat") == 0);
  page = _tertulia_window_get_chat_page (fixture->window);
  tertulia_test_spin (300);

  /* The header counts the host, in the language's words. */
  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (fixture->window),
                                        expectations[expected].one_participant));
  assert_all_translated (GTK_WIDGET (fixture->window), "chat page");

  /* Invite People. */
  assert_popover_translated (GTK_MENU_BUTTON (_tertulia_chat_page_get_share_button (page)),
                             "Invite People popover");

  /* Leaving a hosted room asks first. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.leave", NULL);
  dialog = _tertulia_window_get_confirm_dialog (fixture->window);
  g_assert_nonnull (dialog);
  WAIT_UNTIL (gtk_widget_get_mapped (dialog));
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   g_dgettext (GETTEXT_PACKAGE, "Close the Room?"));
  assert_all_translated (dialog, "leave dialog");
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  WAIT_UNTIL (_tertulia_window_get_confirm_dialog (fixture->window) == NULL);
}

static void
test_preferences (void)
{
  GtkWidget *preferences = tertulia_preferences_window_new ();

  g_object_ref (preferences);
  gtk_window_present (GTK_WINDOW (preferences));
  WAIT_UNTIL (gtk_widget_get_mapped (preferences));
  tertulia_test_spin (100);

  g_assert_nonnull (ui_test_find_label (preferences, g_dgettext (GETTEXT_PACKAGE, "Nickname")));
  assert_all_translated (preferences, "preferences");

  gtk_window_destroy (GTK_WINDOW (preferences));
  tertulia_test_spin (50);
  g_assert_finalize_object (preferences);
}

static void
test_shortcuts (Fixture       *fixture,
                gconstpointer  data)
{
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (fixture->window));

  g_assert_nonnull (overlay);
  gtk_window_present (GTK_WINDOW (overlay));
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (overlay)));
  tertulia_test_spin (100);

  g_assert_nonnull (ui_test_find_label (GTK_WIDGET (overlay),
                                        g_dpgettext2 (GETTEXT_PACKAGE, "shortcut window", "Preferences")));
  assert_all_translated (GTK_WIDGET (overlay), "keyboard shortcuts");

  gtk_window_close (GTK_WINDOW (overlay));
}

/* The quoted text of a .po line such as `msgid "Send"`, unescaped. */
static char *
po_string (const char *line)
{
  const char *start = strchr (line, '"');
  const char *end = strrchr (line, '"');
  g_autofree char *quoted = NULL;

  g_assert_nonnull (start);
  g_assert_true (end > start);
  quoted = g_strndup (start + 1, end - start - 1);

  return g_strcompress (quoted);
}

/* Reads TERTULIA_TEST_PO into `english`. The .po is the one msgcat and
 * msgmerge write: entries apart by blank lines, obsolete ones under "#~".
 */
static void
load_english (void)
{
  const char *path = g_getenv ("TERTULIA_TEST_PO");
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) msgid = g_string_new (NULL);
  g_autoptr(GString) msgstr = g_string_new (NULL);
  GString *field = NULL;
  gboolean fuzzy = FALSE;
  guint n_entries = 0;

  if (path == NULL)
    g_error ("TERTULIA_TEST_PO must name the .po of the language under test");
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  english = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  lines = g_strsplit (contents, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = g_strstrip (lines[i]);

      if (*line == '"' && field != NULL)
        {
          g_autofree char *more = po_string (line);

          g_string_append (field, more);
          continue;
        }

      /* msgid_plural and msgstr[1] are not what a label shows. */
      field = NULL;

      if (g_str_has_prefix (line, "#,") && strstr (line, "fuzzy") != NULL)
        fuzzy = TRUE;
      else if (g_str_has_prefix (line, "msgid "))
        field = msgid;
      else if (g_str_has_prefix (line, "msgstr ") || g_str_has_prefix (line, "msgstr[0] "))
        field = msgstr;

      if (field != NULL)
        {
          g_autofree char *text = po_string (line);

          g_string_assign (field, text);
        }

      if (*line == '\0' || lines[i + 1] == NULL)
        {
          if (msgid->len > 0)
            {
              if (fuzzy || msgstr->len == 0 || strcmp (msgstr->str, msgid->str) != 0)
                g_hash_table_add (english, g_strdup (msgid->str));
              n_entries++;
            }
          g_string_truncate (msgid, 0);
          g_string_truncate (msgstr, 0);
          fuzzy = FALSE;
        }
    }

  /* Not a .po, or one this reader misunderstood. */
  g_assert_cmpuint (n_entries, >, 100);
  g_assert_true (g_hash_table_contains (english, "_Host Room"));
}

int
main (int   argc,
      char *argv[])
{
  const char *language = g_getenv ("LANGUAGE");
  int ret;

  g_test_init (&argc, &argv, NULL);

  for (expected = 0; expected < G_N_ELEMENTS (expectations); expected++)
    if (g_strcmp0 (expectations[expected].language, language) == 0)
      break;
  if (expected == G_N_ELEMENTS (expectations))
    g_error ("LANGUAGE is “%s”; this test knows es, pt_BR and pt", language != NULL ? language : "");

  load_english ();
  /* What main.c does, with the catalog of the build instead of the
   * installed one.
   */
  locale_dir = i18n_test_bind_catalog (language, g_getenv ("TERTULIA_TEST_MO"));

  app = ui_test_application_new ();

  g_test_add_func ("/i18n/catalog", test_catalog);
  g_test_add ("/i18n/start-page", Fixture, NULL, setup, test_start_page, teardown);
  g_test_add ("/i18n/host-button", Fixture, NULL, setup, test_host_button, teardown);
  g_test_add ("/i18n/chat-page", Fixture, NULL, setup, test_chat_page, teardown);
  g_test_add ("/i18n/shortcuts", Fixture, NULL, setup, test_shortcuts, teardown);
  g_test_add_func ("/i18n/preferences", test_preferences);

  ret = g_test_run ();

  g_clear_object (&app);
  i18n_test_unbind_catalog (g_steal_pointer (&locale_dir), language);
  g_clear_pointer (&english, g_hash_table_unref);

  return ret;
}

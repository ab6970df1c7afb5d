/* tertulia-search-bar.c — Ctrl+F over a room's archive
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-search-bar"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tertulia-clock.h"
#include "tertulia-search-bar.h"

/* The first page of results; FTS5 stops there, newest first */
#define MAX_RESULTS 50

struct _TertuliaSearchBar
{
  AdwBin           parent_instance;

  /* Owned widgets (children) */
  GtkSearchBar    *search_bar;
  GtkSearchEntry  *entry;
  GtkWidget       *scroller;
  GtkListBox      *results;
  GtkLabel        *status;

  /* Owned references */
  TertuliaArchive *archive;
  char            *room_id;
  char            *searched;     /* the words the results are for */
};

enum {
  JUMP,
  CLOSED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

G_DEFINE_FINAL_TYPE (TertuliaSearchBar, tertulia_search_bar, ADW_TYPE_BIN)

static char *
format_when (gint64 ms)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (ms / 1000);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *day = NULL;
  g_autofree char *clock = NULL;

  if (time == NULL)
    return g_strdup ("");

  day = tertulia_clock_format_day (time, now);
  clock = tertulia_clock_format_time (time);

  /* Translators: a day ("Today", "Yesterday", a date) and a time ("20:05") */
  return g_strdup_printf (_("%s, %s"), day, clock);
}

/* The snippet as text, what matched in bold on the accent colour: Pango
 * attributes over the plain text, never markup, so nothing in a message
 * can pass for formatting.
 */
static GtkWidget *
new_result_row (const TertuliaArchiveHit *hit)
{
  g_autoptr(PangoAttrList) attributes = pango_attr_list_new ();
  g_autofree char *when = format_when (hit->time);
  g_autofree char *heading = NULL;
  g_autofree char *accessible = NULL;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *label;

  /* Translators: who said it, and when */
  heading = g_strdup_printf (_("%s · %s"), hit->author, when);
  label = gtk_label_new (heading);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (box), label);

  for (guint i = 0; i + 1 < hit->highlights->len; i += 2)
    {
      guint start = g_array_index (hit->highlights, guint, i);
      guint end = g_array_index (hit->highlights, guint, i + 1);
      PangoAttribute *attribute;

      attribute = pango_attr_weight_new (PANGO_WEIGHT_BOLD);
      attribute->start_index = start;
      attribute->end_index = end;
      pango_attr_list_insert (attributes, attribute);

      attribute = pango_attr_underline_new (PANGO_UNDERLINE_SINGLE);
      attribute->start_index = start;
      attribute->end_index = end;
      pango_attr_list_insert (attributes, attribute);
    }

  label = gtk_label_new (NULL);
  gtk_label_set_use_markup (GTK_LABEL (label), FALSE);
  gtk_label_set_text (GTK_LABEL (label), hit->snippet);
  gtk_label_set_attributes (GTK_LABEL (label), attributes);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (label), 2);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), label);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  /* Translators: a search result for screen readers: who, when, what */
  accessible = g_strdup_printf (_("%s, %s: %s"), hit->author, when, hit->snippet);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  g_object_set_data_full (G_OBJECT (row), "tertulia-seq",
                          g_memdup2 (&hit->seq, sizeof hit->seq), g_free);

  return row;
}

static void
show_status (TertuliaSearchBar *self,
             const char        *status)
{
  gtk_label_set_text (self->status, status != NULL ? status : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status), status != NULL);
}

void
_tertulia_search_bar_search_now (TertuliaSearchBar *self)
{
  const char *words = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  g_autofree char *trimmed = g_strstrip (g_strdup (words));
  g_autoptr(GPtrArray) hits = NULL;
  GtkWidget *child;

  g_free (self->searched);
  self->searched = g_strdup (words);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->results))) != NULL)
    gtk_list_box_remove (self->results, child);

  if (*trimmed == '\0')
    {
      gtk_widget_set_visible (self->scroller, FALSE);
      show_status (self, NULL);
      return;
    }

  if (self->archive == NULL || self->room_id == NULL)
    {
      gtk_widget_set_visible (self->scroller, FALSE);
      show_status (self, _("This room’s history is not kept, so there is nothing to search. "
                           "Preferences can keep it from now on."));
      return;
    }

  hits = tertulia_archive_search (self->archive, self->room_id, words, MAX_RESULTS);
  for (guint i = 0; i < hits->len; i++)
    gtk_list_box_append (self->results, new_result_row (g_ptr_array_index (hits, i)));

  gtk_widget_set_visible (self->scroller, hits->len > 0);
  show_status (self, hits->len == 0 ? _("No messages found") : NULL);
}

/* The entry's pause after typing; nothing to do when the results are
 * already for these words (Enter searched at once).
 */
static void
search_changed_cb (TertuliaSearchBar *self)
{
  if (g_strcmp0 (self->searched, gtk_editable_get_text (GTK_EDITABLE (self->entry))) != 0)
    _tertulia_search_bar_search_now (self);
}

static void
jump_to_row (TertuliaSearchBar *self,
             GtkListBoxRow     *row)
{
  gint64 *seq = g_object_get_data (G_OBJECT (row), "tertulia-seq");

  if (seq != NULL)
    g_signal_emit (self, signals [JUMP], 0, *seq);
}

static void
row_activated_cb (TertuliaSearchBar *self,
                  GtkListBoxRow     *row)
{
  jump_to_row (self, row);
}

/* Enter in the entry: the newest result */
static void
entry_activate_cb (TertuliaSearchBar *self)
{
  GtkListBoxRow *row;

  /* Typed faster than the entry's pause */
  search_changed_cb (self);

  row = gtk_list_box_get_row_at_index (self->results, 0);
  if (row != NULL)
    jump_to_row (self, row);
}

static void
stop_search_cb (TertuliaSearchBar *self)
{
  tertulia_search_bar_close (self);
}

/* From the entry, Down goes to the results; Escape anywhere closes. */
static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                TertuliaSearchBar     *self)
{
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (self)));

  if (keyval == GDK_KEY_Escape)
    {
      tertulia_search_bar_close (self);
      return TRUE;
    }

  if ((keyval == GDK_KEY_Down || keyval == GDK_KEY_KP_Down) && focus != NULL &&
      gtk_widget_is_ancestor (focus, GTK_WIDGET (self->entry)))
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->results, 0);

      if (row != NULL)
        {
          gtk_widget_grab_focus (GTK_WIDGET (row));
          return TRUE;
        }
    }

  return FALSE;
}

static void
search_mode_cb (TertuliaSearchBar *self)
{
  if (!gtk_search_bar_get_search_mode (self->search_bar))
    g_signal_emit (self, signals [CLOSED], 0);
}

static void
tertulia_search_bar_dispose (GObject *object)
{
  TertuliaSearchBar *self = (TertuliaSearchBar *) object;

  g_clear_object (&self->archive);
  g_clear_pointer (&self->room_id, g_free);
  g_clear_pointer (&self->searched, g_free);

  G_OBJECT_CLASS (tertulia_search_bar_parent_class)->dispose (object);
}

static void
tertulia_search_bar_class_init (TertuliaSearchBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tertulia_search_bar_dispose;

  signals [JUMP] =
    g_signal_new ("jump",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);

  signals [CLOSED] =
    g_signal_new ("closed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

/* GtkSearchBar's own close button shows only an icon, and GTK 4.8 names
 * it after that ("GtkImage"): it gets a name a screen reader can say.
 */
static gboolean
name_close_button (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget))
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Close Search"), -1);
      gtk_widget_set_tooltip_text (widget, _("Close Search"));
      return TRUE;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (name_close_button (child))
      return TRUE;

  return FALSE;
}

static void
tertulia_search_bar_init (TertuliaSearchBar *self)
{
  GtkEventController *keys;
  GtkWidget *box;

  self->search_bar = GTK_SEARCH_BAR (gtk_search_bar_new ());
  gtk_search_bar_set_show_close_button (self->search_bar, TRUE);
  name_close_button (GTK_WIDGET (self->search_bar));
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->search_bar));

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_size_request (box, 280, -1);
  gtk_widget_set_hexpand (box, TRUE);

  self->entry = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  g_object_set (self->entry, "placeholder-text", _("Search this room’s history"), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search this room’s history"), -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->entry));
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->entry));

  self->status = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->status, TRUE);
  gtk_label_set_xalign (self->status, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->status), "dim-label");
  gtk_widget_set_visible (GTK_WIDGET (self->status), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->status));

  self->results = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->results, GTK_SELECTION_NONE);
  gtk_list_box_set_activate_on_single_click (self->results, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->results), "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->results),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search results"), -1);
  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller),
                                  GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (self->scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (self->scroller), 260);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), GTK_WIDGET (self->results));
  gtk_widget_set_visible (self->scroller, FALSE);
  gtk_box_append (GTK_BOX (box), self->scroller);

  gtk_search_bar_set_child (self->search_bar, box);

  g_signal_connect_swapped (self->entry, "search-changed", G_CALLBACK (search_changed_cb), self);
  g_signal_connect_swapped (self->entry, "activate", G_CALLBACK (entry_activate_cb), self);
  g_signal_connect_swapped (self->entry, "stop-search", G_CALLBACK (stop_search_cb), self);
  g_signal_connect_swapped (self->results, "row-activated", G_CALLBACK (row_activated_cb), self);
  g_signal_connect_swapped (self->search_bar, "notify::search-mode-enabled",
                            G_CALLBACK (search_mode_cb), self);

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}

GtkWidget *
tertulia_search_bar_new (void)
{
  return g_object_new (TERTULIA_TYPE_SEARCH_BAR, NULL);
}

void
tertulia_search_bar_set_scope (TertuliaSearchBar *self,
                               TertuliaArchive   *archive,
                               const char        *room_id)
{
  g_return_if_fail (TERTULIA_IS_SEARCH_BAR (self));
  g_return_if_fail (!archive || TERTULIA_IS_ARCHIVE (archive));

  g_set_object (&self->archive, archive);
  g_free (self->room_id);
  self->room_id = g_strdup (room_id);

  if (gtk_search_bar_get_search_mode (self->search_bar))
    _tertulia_search_bar_search_now (self);
}

void
tertulia_search_bar_open (TertuliaSearchBar *self)
{
  g_return_if_fail (TERTULIA_IS_SEARCH_BAR (self));

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
  gtk_editable_select_region (GTK_EDITABLE (self->entry), 0, -1);
}

void
tertulia_search_bar_close (TertuliaSearchBar *self)
{
  g_return_if_fail (TERTULIA_IS_SEARCH_BAR (self));

  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

gboolean
tertulia_search_bar_get_open (TertuliaSearchBar *self)
{
  g_return_val_if_fail (TERTULIA_IS_SEARCH_BAR (self), FALSE);

  return gtk_search_bar_get_search_mode (self->search_bar);
}

GtkEditable *
_tertulia_search_bar_get_entry (TertuliaSearchBar *self)
{
  return GTK_EDITABLE (self->entry);
}

GtkListBox *
_tertulia_search_bar_get_results (TertuliaSearchBar *self)
{
  return self->results;
}

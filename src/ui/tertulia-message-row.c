/* tertulia-message-row.c — one message in the chat log
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-message-row"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tertulia-file-row.h"
#include "tertulia-log-model.h"
#include "tertulia-message-header.h"
#include "tertulia-message-reactions.h"
#include "tertulia-message-row-private.h"
#include "tertulia-message-text.h"


enum {
  PROP_0,
  PROP_MESSAGE,
  PROP_GROUPED,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

G_DEFINE_FINAL_TYPE (TertuliaMessageRow, tertulia_message_row, ADW_TYPE_BIN)

gboolean
tertulia_message_row_continues (TertuliaMessage *previous,
                                TertuliaMessage *message)
{
  GDateTime *previous_time;
  GDateTime *time;

  g_return_val_if_fail (!previous || TERTULIA_IS_MESSAGE (previous), FALSE);
  g_return_val_if_fail (TERTULIA_IS_MESSAGE (message), FALSE);

  if (previous == NULL ||
      tertulia_message_get_kind (previous) != TERTULIA_MESSAGE_KIND_CHAT ||
      tertulia_message_get_kind (message) != TERTULIA_MESSAGE_KIND_CHAT ||
      tertulia_message_get_author_id (previous) != tertulia_message_get_author_id (message) ||
      g_strcmp0 (tertulia_message_get_author (previous),
                 tertulia_message_get_author (message)) != 0)
    return FALSE;

  previous_time = tertulia_message_get_time (previous);
  time = tertulia_message_get_time (message);

  if (previous_time == NULL || time == NULL)
    return TRUE;

  return g_date_time_difference (time, previous_time) <
         TERTULIA_MESSAGE_ROW_GROUP_SECONDS * G_TIME_SPAN_SECOND;
}

/* Runs of joins and leaves */

/* Adds @nick to @names unless it is there already. */
static void
add_name (GPtrArray  *names,
          const char *nick)
{
  for (guint i = 0; i < names->len; i++)
    if (g_strcmp0 (g_ptr_array_index (names, i), nick) == 0)
      return;

  g_ptr_array_add (names, (gpointer) nick);
}

#define NAME(i) ((const char *) g_ptr_array_index (names, i))

/* "ana joined", "ana and bob joined", "ana, bob and 3 others joined" */
static char *
describe_names (GPtrArray *names,
                gboolean   joined)
{
  guint others;

  switch (names->len)
    {
    case 1:
      return joined ?
             /* Translators: a line in the chat log; %s is a nickname */
             g_strdup_printf (_("%s joined"), NAME (0)) :
             /* Translators: a line in the chat log; %s is a nickname */
             g_strdup_printf (_("%s left"), NAME (0));

    case 2:
      return joined ?
             /* Translators: one line in the chat log for two joins; the %s are nicknames */
             g_strdup_printf (_("%s and %s joined"), NAME (0), NAME (1)) :
             /* Translators: one line in the chat log for two leaves; the %s are nicknames */
             g_strdup_printf (_("%s and %s left"), NAME (0), NAME (1));

    case 3:
      return joined ?
             /* Translators: one line in the chat log for three joins; the %s are nicknames */
             g_strdup_printf (_("%s, %s and %s joined"), NAME (0), NAME (1), NAME (2)) :
             /* Translators: one line in the chat log for three leaves; the %s are nicknames */
             g_strdup_printf (_("%s, %s and %s left"), NAME (0), NAME (1), NAME (2));

    default:
      others = names->len - 2;
      return joined ?
             /* Translators: one line in the chat log for many joins; the %s are
              * the first two nicknames, %u how many more people joined
              */
             g_strdup_printf (ngettext ("%s, %s and %u other joined",
                                        "%s, %s and %u others joined", others),
                              NAME (0), NAME (1), others) :
             /* Translators: one line in the chat log for many leaves; the %s are
              * the first two nicknames, %u how many more people left
              */
             g_strdup_printf (ngettext ("%s, %s and %u other left",
                                        "%s, %s and %u others left", others),
                              NAME (0), NAME (1), others);
    }
}

#undef NAME

char *
tertulia_message_row_dup_run_summary (GListModel *run)
{
  g_autoptr(GPtrArray) members = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) joined_names = g_ptr_array_new ();
  g_autoptr(GPtrArray) left_names = g_ptr_array_new ();
  g_autofree char *join_part = NULL;
  g_autofree char *leave_part = NULL;
  gboolean left_first = FALSE;
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (run), NULL);

  n = g_list_model_get_n_items (run);

  /* members keeps the references the names point into */
  for (guint i = 0; i < n; i++)
    {
      TertuliaMessage *member = g_list_model_get_item (run, i);
      const char *nick = tertulia_message_get_subject (member);

      g_ptr_array_add (members, member);
      if (nick == NULL)
        nick = "";

      if (i == 0)
        left_first = tertulia_message_get_notice_kind (member) == TERTULIA_NOTICE_KIND_LEAVE;

      if (tertulia_message_get_notice_kind (member) == TERTULIA_NOTICE_KIND_LEAVE)
        add_name (left_names, nick);
      else
        add_name (joined_names, nick);
    }

  if (left_names->len == 0)
    return joined_names->len > 0 ? describe_names (joined_names, TRUE) : g_strdup ("");
  if (joined_names->len == 0)
    return describe_names (left_names, FALSE);

  /* Few people are named, many are counted; what happened first is said
   * first ("bob left, bob joined" is someone coming back).
   */
  if (joined_names->len + left_names->len <= 3)
    {
      join_part = describe_names (joined_names, TRUE);
      leave_part = describe_names (left_names, FALSE);
    }
  else
    {
      /* Translators: part of "5 people joined and 2 people left" */
      join_part = g_strdup_printf (ngettext ("%u person joined", "%u people joined", joined_names->len),
                                   joined_names->len);
      /* Translators: part of "5 people joined and 2 people left" */
      leave_part = g_strdup_printf (ngettext ("%u person left", "%u people left", left_names->len),
                                    left_names->len);
    }

  if (left_first)
    {
      char *first = leave_part;

      leave_part = join_part;
      join_part = first;
    }

  if (joined_names->len + left_names->len <= 3)
    /* Translators: one line in the chat log for people joining and
     * leaving: "ana joined, bob left" (or "bob left, ana joined")
     */
    return g_strdup_printf (C_("joins and leaves", "%s, %s"), join_part, leave_part);

  /* Translators: one line in the chat log for many people joining and
   * leaving: "5 people joined and 2 people left" (or the other way round)
   */
  return g_strdup_printf (C_("joins and leaves", "%s and %s"), join_part, leave_part);
}

/* Each join and leave of a run on a line of its own, oldest first. */
static char *
dup_run_entries (GListModel *run)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint n = g_list_model_get_n_items (run);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TertuliaMessage) member = g_list_model_get_item (run, i);
      const char *text = tertulia_message_get_text (member);

      if (i > 0)
        g_string_append_c (out, '\n');
      g_string_append (out, text != NULL ? text : "");
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
shows_run (TertuliaMessageRow *self)
{
  return self->run != NULL && g_list_model_get_n_items (self->run) > 1;
}

/* Only touches the CSS node when the class really changes: every change
 * restyles the row, and binding happens a couple of hundred rows at a time.
 */
static void
set_css_class (GtkWidget  *widget,
               const char *name,
               gboolean    enabled)
{
  if (enabled)
    gtk_widget_add_css_class (widget, name);
  else
    gtk_widget_remove_css_class (widget, name);
}

static void
tertulia_message_row_update_header (TertuliaMessageRow *self)
{
  gboolean show_header = FALSE;

  if (self->message != NULL &&
      (tertulia_message_get_kind (self->message) == TERTULIA_MESSAGE_KIND_CHAT ||
       tertulia_message_get_kind (self->message) == TERTULIA_MESSAGE_KIND_FILE))
    show_header = !self->grouped;

  gtk_widget_set_visible (GTK_WIDGET (self->header), show_header);
  set_css_class (GTK_WIDGET (self), "grouped", self->grouped);
}

static void
tertulia_message_row_update_time (TertuliaMessageRow *self)
{
  tertulia_message_header_set_time (self->header,
                                    self->message != NULL ? tertulia_message_get_time (self->message) : NULL);
}

/* One click sends a refused message again: chat.resend-message, with
 * the message's cid, is the chat page's.
 */
static void
tertulia_message_row_update_resend (TertuliaMessageRow *self,
                                    gboolean            failed)
{
  const char *cid = NULL;

  if (self->message != NULL && tertulia_message_get_is_own (self->message))
    cid = tertulia_message_get_cid (self->message);

  if (self->resend_button == NULL)
    {
      if (!failed || cid == NULL)
        return;

      self->resend_button = gtk_button_new_with_mnemonic (_("_Resend"));
      gtk_widget_set_halign (self->resend_button, GTK_ALIGN_START);
      gtk_widget_add_css_class (self->resend_button, "flat");
      gtk_widget_add_css_class (self->resend_button, "caption");
      gtk_widget_set_tooltip_text (self->resend_button, _("Send this message again"));
      /* The target first: the action takes one. */
      gtk_actionable_set_action_target (GTK_ACTIONABLE (self->resend_button), "s", cid);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->resend_button), "chat.resend-message");
      gtk_box_append (GTK_BOX (gtk_widget_get_parent (GTK_WIDGET (self->status_label))),
                      self->resend_button);
    }

  if (failed && cid != NULL)
    gtk_actionable_set_action_target (GTK_ACTIONABLE (self->resend_button), "s", cid);
  gtk_widget_set_visible (self->resend_button, failed && cid != NULL);
}

static void
tertulia_message_row_update_status (TertuliaMessageRow *self)
{
  TertuliaMessageState state = TERTULIA_MESSAGE_STATE_DELIVERED;
  GtkWidget *status = GTK_WIDGET (self->status_label);

  if (self->message != NULL)
    state = tertulia_message_get_state (self->message);

  set_css_class (status, "dim-label", state == TERTULIA_MESSAGE_STATE_SENDING);
  set_css_class (GTK_WIDGET (self), "sending", state == TERTULIA_MESSAGE_STATE_SENDING);
  set_css_class (status, "error", state == TERTULIA_MESSAGE_STATE_FAILED);
  set_css_class (GTK_WIDGET (self), "failed", state == TERTULIA_MESSAGE_STATE_FAILED);

  switch (state)
    {
    case TERTULIA_MESSAGE_STATE_SENDING:
      gtk_label_set_text (self->status_label, _("Sending…"));
      gtk_widget_set_visible (status, TRUE);
      break;

    case TERTULIA_MESSAGE_STATE_FAILED:
      {
        const char *reason = tertulia_message_get_error (self->message);
        g_autofree char *text = NULL;

        if (reason != NULL && *reason != '\0')
          /* Translators: %s says why the room refused the message */
          text = g_strdup_printf (_("Not sent: %s"), reason);
        else
          text = g_strdup (_("Not sent"));

        gtk_label_set_text (self->status_label, text);
        gtk_widget_set_visible (status, TRUE);
      }
      break;

    case TERTULIA_MESSAGE_STATE_DELIVERED:
    default:
      gtk_widget_set_visible (status, FALSE);
      break;
    }

  tertulia_message_row_update_resend (self, state == TERTULIA_MESSAGE_STATE_FAILED);
}

static void
tertulia_message_row_update_mention (TertuliaMessageRow *self)
{
  set_css_class (GTK_WIDGET (self), "mention",
                 self->message != NULL && tertulia_message_get_mentions_you (self->message) &&
                 !_tertulia_message_row_is_deleted (self));
}


/* What a screen reader says for the row: who, when and what, also for a
 * row under another's header. The list view's item (the row's parent) is
 * what takes the keyboard focus, so the name goes there.
 */
static void
tertulia_message_row_update_accessible (TertuliaMessageRow *self)
{
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self));
  GtkAccessible *accessible = GTK_ACCESSIBLE (self);
  g_autofree char *name = NULL;
  g_autofree char *extra = NULL;
  const char *author;
  const char *time;
  const char *text;

  if (self->message == NULL)
    return;

  if (parent != NULL &&
      gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (parent)) == GTK_ACCESSIBLE_ROLE_LIST_ITEM)
    accessible = GTK_ACCESSIBLE (parent);

  author = tertulia_message_get_author (self->message);
  time = gtk_label_get_text (_tertulia_message_header_get_time_label (self->header));
  text = tertulia_message_text_get_text (self->text);

  switch (tertulia_message_get_kind (self->message))
    {
    case TERTULIA_MESSAGE_KIND_NOTICE:
      name = g_strdup (text);
      break;

    case TERTULIA_MESSAGE_KIND_ACTION:
      /* Translators: a screen reader's name for a /me line: the time, then "* ana waves" */
      name = g_strdup_printf (_("%s, %s"), time, text);
      break;

    case TERTULIA_MESSAGE_KIND_FILE:
      {
        g_autofree char *description = tertulia_file_row_dup_description (self->message);

        /* Translators: a screen reader's name for a shared file: the time, then
         * "ana sent photo.jpg, 1.2 MB, picture 800 by 600"
         */
        name = g_strdup_printf (_("%s, %s"), time, description);
      }
      break;

    case TERTULIA_MESSAGE_KIND_CHAT:
    default:
      if (tertulia_message_get_reply_to_seq (self->message) > 0 && !_tertulia_message_row_is_deleted (self))
        {
          const char *to = tertulia_message_get_reply_to_author (self->message);

          /* Translators: a screen reader's name for a reply: author, time,
           * the author of the message answered, text
           */
          name = g_strdup_printf (_("%s, %s, in reply to %s: %s"), author != NULL ? author : "",
                                  time, to != NULL ? to : "", text);
        }
      else
        /* Translators: a screen reader's name for a message: author, time, text */
        name = g_strdup_printf (_("%s, %s: %s"), author != NULL ? author : "", time, text);
      break;
    }

  if (tertulia_message_get_edited (self->message) && !_tertulia_message_row_is_deleted (self))
    {
      /* Translators: a screen reader's name for a message changed after it was sent */
      g_autofree char *edited = g_strdup_printf (_("%s (edited)"), name);

      g_free (name);
      name = g_steal_pointer (&edited);
    }

  if (gtk_widget_get_visible (GTK_WIDGET (self->status_label)))
    {
      g_autofree char *with_status = g_strdup_printf ("%s (%s)", name,
                                                      gtk_label_get_text (self->status_label));
      g_free (name);
      name = g_steal_pointer (&with_status);
    }

  gtk_accessible_update_property (accessible, GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);

  /* A run's name says it all; the description has each of its lines.
   * A message's description is its reactions.
   */
  extra = shows_run (self) ? dup_run_entries (self->run) : _tertulia_message_row_dup_reactions_description (self);

  if (extra != NULL)
    gtk_accessible_update_property (accessible, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, extra, -1);
  else if (self->described)
    gtk_accessible_reset_property (accessible, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);

  self->described = extra != NULL;
}

/* A shared file shows as a file row (a picture, or a name with Download)
 * in place of the text; the text keeps the file's name for searching
 */
static void
tertulia_message_row_update_file (TertuliaMessageRow *self,
                                  gboolean            is_file)
{
  gtk_widget_set_visible (GTK_WIDGET (self->text), !is_file);

  if (self->file_row == NULL)
    {
      if (!is_file)
        return;

      self->file_row = TERTULIA_FILE_ROW (tertulia_file_row_new ());
      gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (GTK_WIDGET (self->text))),
                                  GTK_WIDGET (self->file_row), GTK_WIDGET (self->text));
    }

  tertulia_file_row_set_message (self->file_row, is_file ? self->message : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->file_row), is_file);
}

static void
tertulia_message_row_update (TertuliaMessageRow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  TertuliaMessageKind kind = TERTULIA_MESSAGE_KIND_CHAT;
  const char *author = NULL;
  const char *text = "";
  gboolean block;

  if (self->message != NULL)
    {
      kind = tertulia_message_get_kind (self->message);
      author = tertulia_message_get_author (self->message);
      text = tertulia_message_get_text (self->message);
    }

  if (author == NULL)
    author = "";
  if (text == NULL)
    text = "";

  block = kind == TERTULIA_MESSAGE_KIND_NOTICE && strchr (text, '\n') != NULL;
  set_css_class (widget, "deleted", _tertulia_message_row_is_deleted (self));
  set_css_class (widget, "notice", kind == TERTULIA_MESSAGE_KIND_NOTICE);
  set_css_class (widget, "notice-block", block);
  set_css_class (widget, "action", kind == TERTULIA_MESSAGE_KIND_ACTION);
  set_css_class (widget, "own",
                 self->message != NULL && tertulia_message_get_is_own (self->message));

  tertulia_message_header_set_author (self->header, author);

  switch (kind)
    {
    case TERTULIA_MESSAGE_KIND_NOTICE:
      /* One line ("ana joined") is centred; lines (/help, /list) are a
       * block to read.
       */
      tertulia_message_text_set_centered (self->text, !block);
      if (shows_run (self))
        {
          g_autofree char *summary = tertulia_message_row_dup_run_summary (self->run);

          tertulia_message_text_set_text (self->text, summary);
        }
      else
        tertulia_message_text_set_text (self->text, text);
      break;

    case TERTULIA_MESSAGE_KIND_ACTION:
      if (_tertulia_message_row_is_deleted (self))
        {
          g_autofree char *tombstone = tertulia_message_row_dup_tombstone (self->message);

          tertulia_message_text_set_centered (self->text, FALSE);
          tertulia_message_text_set_text (self->text, tombstone);
          break;
        }
      {
        /* Translators: a /me action in the log, "* ana waves" */
        g_autofree char *line = g_strdup_printf (_("* %s %s"), author, text);

        tertulia_message_text_set_centered (self->text, FALSE);
        tertulia_message_text_set_text (self->text, line);
      }
      break;

    case TERTULIA_MESSAGE_KIND_CHAT:
    case TERTULIA_MESSAGE_KIND_FILE:
    default:
      tertulia_message_text_set_centered (self->text, FALSE);
      if (_tertulia_message_row_is_deleted (self))
        {
          /* Its text is gone: only that there was a message stays */
          g_autofree char *tombstone = tertulia_message_row_dup_tombstone (self->message);

          tertulia_message_text_set_text (self->text, tombstone);
        }
      else
        tertulia_message_text_set_text (self->text, text);
      break;
    }

  tertulia_message_row_update_file (self, kind == TERTULIA_MESSAGE_KIND_FILE);
  _tertulia_message_row_update_quote (self);
  _tertulia_message_row_update_footer (self);

  tertulia_message_row_update_header (self);
  tertulia_message_row_update_time (self);
  tertulia_message_row_update_status (self);
  tertulia_message_row_update_mention (self);
  tertulia_message_row_update_accessible (self);
}

/* Pointing at a run shows who came and went. Asked for when shown, not
 * set on every bind: setting a tooltip makes GTK ask the X server where
 * the pointer is, and a scroll binds a couple of hundred rows at once.
 */
static gboolean
query_tooltip_cb (TertuliaMessageRow *self,
                  int                 x,
                  int                 y,
                  gboolean            keyboard_mode,
                  GtkTooltip         *tooltip)
{
  g_autofree char *entries = NULL;

  if (!shows_run (self))
    return FALSE;

  entries = dup_run_entries (self->run);
  gtk_tooltip_set_text (tooltip, entries);

  return TRUE;
}

static void
run_changed_cb (TertuliaMessageRow *self)
{
  tertulia_message_row_update (self);
}

static void
tertulia_message_row_set_run (TertuliaMessageRow *self,
                              GListModel         *run)
{
  if (self->run == run)
    return;

  if (self->run != NULL)
    g_clear_signal_handler (&self->run_changed_id, self->run);
  g_set_object (&self->run, run);
  if (run != NULL)
    self->run_changed_id = g_signal_connect_swapped (run, "items-changed",
                                                     G_CALLBACK (run_changed_cb), self);
}

static void
message_notify_cb (TertuliaMessageRow *self,
                   GParamSpec         *pspec,
                   TertuliaMessage    *message)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "state") || g_str_equal (name, "error"))
    tertulia_message_row_update_status (self);
  else if (g_str_equal (name, "time"))
    tertulia_message_row_update_time (self);
  else if (g_str_equal (name, "mentions-you"))
    tertulia_message_row_update_mention (self);
  else if (g_str_equal (name, "file-removed"))
    ;  /* the file row sees to itself; the name below changes */
  /* A message still being sent after you became someone else (another
   * room, a restarted host) goes out under your name there.
   */
  else if (g_str_equal (name, "author") || g_str_equal (name, "text") ||
           g_str_equal (name, "deleted"))
    tertulia_message_row_update (self);
  else if (g_str_equal (name, "edited") || g_str_equal (name, "reactions"))
    _tertulia_message_row_update_footer (self);
  else
    return;

  tertulia_message_row_update_accessible (self);
}

static void
tertulia_message_row_dispose (GObject *object)
{
  TertuliaMessageRow *self = (TertuliaMessageRow *)object;

  if (self->message != NULL)
    g_clear_signal_handler (&self->notify_id, self->message);
  g_clear_object (&self->message);
  tertulia_message_row_set_run (self, NULL);
  _tertulia_message_row_dispose_conversation (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), TERTULIA_TYPE_MESSAGE_ROW);

  G_OBJECT_CLASS (tertulia_message_row_parent_class)->dispose (object);
}

static void
tertulia_message_row_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  TertuliaMessageRow *self = TERTULIA_MESSAGE_ROW (object);

  switch (prop_id)
    {
    case PROP_MESSAGE:
      g_value_set_object (value, self->message);
      break;

    case PROP_GROUPED:
      g_value_set_boolean (value, self->grouped);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tertulia_message_row_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  TertuliaMessageRow *self = TERTULIA_MESSAGE_ROW (object);

  switch (prop_id)
    {
    case PROP_MESSAGE:
      tertulia_message_row_set_message (self, g_value_get_object (value));
      break;

    case PROP_GROUPED:
      tertulia_message_row_set_grouped (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tertulia_message_row_class_init (TertuliaMessageRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tertulia_message_row_dispose;
  object_class->get_property = tertulia_message_row_get_property;
  object_class->set_property = tertulia_message_row_set_property;

  properties [PROP_MESSAGE] =
    g_param_spec_object ("message", NULL, NULL,
                         TERTULIA_TYPE_MESSAGE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_GROUPED] =
    g_param_spec_boolean ("grouped", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TERTULIA_TYPE_MESSAGE_HEADER);
  g_type_ensure (TERTULIA_TYPE_MESSAGE_TEXT);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tertulia/Tertulia/tertulia-message-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TertuliaMessageRow, header);
  gtk_widget_class_bind_template_child (widget_class, TertuliaMessageRow, text);
  gtk_widget_class_bind_template_child (widget_class, TertuliaMessageRow, status_label);
}

static void
tertulia_message_row_init (TertuliaMessageRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
}

GtkWidget *
tertulia_message_row_new (void)
{
  return g_object_new (TERTULIA_TYPE_MESSAGE_ROW, NULL);
}

TertuliaMessage *
tertulia_message_row_get_message (TertuliaMessageRow *self)
{
  g_return_val_if_fail (TERTULIA_IS_MESSAGE_ROW (self), NULL);

  return self->message;
}

void
tertulia_message_row_set_message (TertuliaMessageRow *self,
                                  TertuliaMessage    *message)
{
  g_return_if_fail (TERTULIA_IS_MESSAGE_ROW (self));
  g_return_if_fail (!message || TERTULIA_IS_MESSAGE (message));

  if (self->message == message)
    return;

  /* One handler, not a GSignalGroup of four: rows are bound a couple of
   * hundred at a time while scrolling, and most messages never change.
   */
  if (self->message != NULL)
    g_clear_signal_handler (&self->notify_id, self->message);
  g_set_object (&self->message, message);
  if (message != NULL)
    self->notify_id = g_signal_connect_swapped (message, "notify",
                                                G_CALLBACK (message_notify_cb), self);
  tertulia_message_row_set_run (self,
                                message != NULL &&
                                tertulia_message_get_kind (message) == TERTULIA_MESSAGE_KIND_NOTICE ?
                                tertulia_log_model_get_run (message) : NULL);

  /* A row that loses its message is one the list view is done with, or
   * about to give another one: clearing it would only be work thrown away.
   */
  if (message != NULL)
    tertulia_message_row_update (self);
  else if (self->file_row != NULL)
    /* What it was fetching stops */
    tertulia_file_row_set_message (self->file_row, NULL);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_MESSAGE]);
}

gboolean
tertulia_message_row_get_grouped (TertuliaMessageRow *self)
{
  g_return_val_if_fail (TERTULIA_IS_MESSAGE_ROW (self), FALSE);

  return self->grouped;
}

void
tertulia_message_row_set_grouped (TertuliaMessageRow *self,
                                  gboolean            grouped)
{
  g_return_if_fail (TERTULIA_IS_MESSAGE_ROW (self));

  grouped = !!grouped;

  if (self->grouped == grouped)
    return;

  self->grouped = grouped;
  tertulia_message_row_update_header (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_GROUPED]);
}

void
tertulia_message_row_set_day (TertuliaMessageRow *self,
                              const char         *day)
{
  g_return_if_fail (TERTULIA_IS_MESSAGE_ROW (self));

  if (day == NULL)
    {
      if (self->day_label != NULL)
        gtk_widget_set_visible (GTK_WIDGET (self->day_label), FALSE);
      return;
    }

  if (self->day_label == NULL)
    {
      GtkWidget *box = gtk_widget_get_parent (GTK_WIDGET (self->header));

      self->day_label = GTK_LABEL (gtk_label_new (NULL));
      gtk_widget_add_css_class (GTK_WIDGET (self->day_label), "day-separator");
      gtk_widget_add_css_class (GTK_WIDGET (self->day_label), "heading");
      gtk_box_prepend (GTK_BOX (box), GTK_WIDGET (self->day_label));
    }

  gtk_label_set_text (self->day_label, day);
  gtk_widget_set_visible (GTK_WIDGET (self->day_label), TRUE);
}

const char *
tertulia_message_row_get_day (TertuliaMessageRow *self)
{
  g_return_val_if_fail (TERTULIA_IS_MESSAGE_ROW (self), NULL);

  if (self->day_label == NULL || !gtk_widget_get_visible (GTK_WIDGET (self->day_label)))
    return NULL;

  return gtk_label_get_text (self->day_label);
}

TertuliaMessageText *
_tertulia_message_row_get_text (TertuliaMessageRow *self)
{
  g_return_val_if_fail (TERTULIA_IS_MESSAGE_ROW (self), NULL);

  return self->text;
}

TertuliaMessageHeader *
_tertulia_message_row_get_header (TertuliaMessageRow *self)
{
  g_return_val_if_fail (TERTULIA_IS_MESSAGE_ROW (self), NULL);

  return self->header;
}

GtkWidget *
_tertulia_message_row_get_resend_button (TertuliaMessageRow *self)
{
  g_return_val_if_fail (TERTULIA_IS_MESSAGE_ROW (self), NULL);

  return self->resend_button;
}

TertuliaFileRow *
_tertulia_message_row_get_file_row (TertuliaMessageRow *self)
{
  g_return_val_if_fail (TERTULIA_IS_MESSAGE_ROW (self), NULL);

  return self->file_row;
}

GtkLabel *
_tertulia_message_row_get_status_label (TertuliaMessageRow *self)
{
  g_return_val_if_fail (TERTULIA_IS_MESSAGE_ROW (self), NULL);

  return self->status_label;
}

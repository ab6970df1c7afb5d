/* tertulia-log-model.c — a room's messages, with each main-loop turn's appends as one change
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-log-model"

#include "config.h"

#include "tertulia-clock.h"
#include "tertulia-log-model.h"
#include "tertulia-message.h"

/* The log as the list view sees it: the room's messages, with
 *
 * - a run of joins and leaves with nothing else between them (on one
 *   day) as ONE item: the run's first notice stands for it, and
 *   tertulia_log_model_get_run() gives the whole run;
 * - the messages appended in one turn of the main loop shown in one
 *   items-changed. GTK 4.8's list view pays for every items-changed in
 *   proportion to the length of the log, so a burst of N messages into a
 *   long log would cost N times that; here it costs it once, just before
 *   the next frame.
 *
 * The items cover the room's first `covered` messages: while appends
 * wait, only the room's tail beyond them changes. A change above that
 * tail is passed on at once, with what waited folded into it.
 *
 * Grouping only looks forward (an item ends where the next message
 * cannot join it), so a change in the room affects the items from the
 * one holding the message before it up to the first old item boundary
 * after it: only those are worked out again, whichever end the change
 * is at (live joins at the bottom, older history prepended at the top).
 */

typedef struct
{
  guint       start;  /* the room position of the item's first message */
  GListStore *run;    /* owned: a join or leave item's notices, else NULL */
} Item;

struct _TertuliaLogModel
{
  GObject     parent_instance;

  /* Owned references */
  GListModel *model;
  GArray     *items;      /* of Item: what the view has been told of */

  gulong      items_changed_id;
  guint       covered;    /* room messages the items hold */
  guint       flush_id;
};

static void tertulia_log_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TertuliaLogModel, tertulia_log_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      tertulia_log_model_list_model_init))

static GQuark
run_quark (void)
{
  static GQuark quark;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("tertulia-log-model-run");

  return quark;
}

static GType
tertulia_log_model_get_item_type (GListModel *list)
{
  return TERTULIA_TYPE_MESSAGE;
}

static guint
tertulia_log_model_get_n_items (GListModel *list)
{
  return TERTULIA_LOG_MODEL (list)->items->len;
}

static gpointer
tertulia_log_model_get_item (GListModel *list,
                             guint       position)
{
  TertuliaLogModel *self = TERTULIA_LOG_MODEL (list);

  if (position >= self->items->len)
    return NULL;

  return g_list_model_get_item (self->model, g_array_index (self->items, Item, position).start);
}

static void
tertulia_log_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = tertulia_log_model_get_item_type;
  iface->get_n_items = tertulia_log_model_get_n_items;
  iface->get_item = tertulia_log_model_get_item;
}

static gboolean
is_join_or_leave (TertuliaMessage *message)
{
  TertuliaNoticeKind kind;

  if (tertulia_message_get_kind (message) != TERTULIA_MESSAGE_KIND_NOTICE)
    return FALSE;

  kind = tertulia_message_get_notice_kind (message);

  return kind == TERTULIA_NOTICE_KIND_JOIN || kind == TERTULIA_NOTICE_KIND_LEAVE;
}

/* Whether @message goes in the run that @first starts: a run stays on
 * one day, so that the day headings stay where they were.
 */
static gboolean
continues_run (TertuliaMessage *first,
               TertuliaMessage *message)
{
  return is_join_or_leave (message) &&
         tertulia_clock_same_day (tertulia_message_get_time (first),
                                  tertulia_message_get_time (message));
}

/* The run's first notice points at the run, for rows bound to it. Two
 * log models over one room work the same runs out, so the last to set
 * it wins, and each only takes back its own.
 */
static void
item_clear (Item *item)
{
  g_autoptr(TertuliaMessage) first = NULL;

  if (item->run == NULL)
    return;

  first = g_list_model_get_item (G_LIST_MODEL (item->run), 0);
  if (first != NULL && g_object_get_qdata (G_OBJECT (first), run_quark ()) == item->run)
    g_object_set_qdata (G_OBJECT (first), run_quark (), NULL);

  g_clear_object (&item->run);
}

/* Makes @run hold @members (of which it usually holds a beginning). */
static void
update_run (GListStore *run,
            GPtrArray  *members)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (run));
  guint same = 0;

  while (same < n && same < members->len)
    {
      g_autoptr(TertuliaMessage) old = g_list_model_get_item (G_LIST_MODEL (run), same);

      if (old != g_ptr_array_index (members, same))
        break;
      same++;
    }

  if (same < n || same < members->len)
    g_list_store_splice (run, same, n - same,
                         members->pdata + same, members->len - same);
}

/* Works the item starting at room position @start out, looking no
 * further than @limit; returns where it ends. @members is filled with a
 * join or leave run's notices (and left empty for any other message).
 */
static guint
scan_item (TertuliaLogModel *self,
           guint             start,
           guint             limit,
           GPtrArray        *members)
{
  g_autoptr(TertuliaMessage) first = g_list_model_get_item (self->model, start);
  guint end = start + 1;

  g_ptr_array_set_size (members, 0);

  if (first == NULL || !is_join_or_leave (first))
    return end;

  g_ptr_array_add (members, g_object_ref (first));

  for (; end < limit; end++)
    {
      g_autoptr(TertuliaMessage) next = g_list_model_get_item (self->model, end);

      if (next == NULL || !continues_run (first, next))
        break;
      g_ptr_array_add (members, g_steal_pointer (&next));
    }

  return end;
}

/* The last item starting before room position @position (0 if none). */
static guint
find_item_before (TertuliaLogModel *self,
                  guint             position)
{
  guint lo = 0;
  guint hi = self->items->len;

  /* The first item starting at or after @position, then one back. */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (self->items, Item, mid).start < position)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo > 0 ? lo - 1 : 0;
}

/* The room's messages [@position, @old_end) as the items knew them are
 * now [@position, @new_end): works the items out again from the one
 * that could reach into the change to the first old boundary after it,
 * and tells the view.
 */
static void
tertulia_log_model_update (TertuliaLogModel *self,
                           guint             position,
                           guint             old_end,
                           guint             new_end)
{
  g_autoptr(GPtrArray) members = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) fresh = g_array_new (FALSE, FALSE, sizeof (Item));
  guint old_n = self->items->len;
  guint covered = self->covered - old_end + new_end;
  guint first = position > 0 ? find_item_before (self, position) : 0;
  guint after = first;  /* the first old item past the change */
  guint kept = 0;       /* 1 when the first item is the same one, grown or shrunk */
  guint p;

  p = first < old_n ? g_array_index (self->items, Item, first).start : 0;

  while (p < covered)
    {
      Item item = { p, NULL };

      /* Past the change, at a boundary the items had: the rest is as it was. */
      if (p >= new_end)
        {
          while (after < old_n && g_array_index (self->items, Item, after).start < old_end)
            after++;
          while (after < old_n && g_array_index (self->items, Item, after).start - old_end + new_end < p)
            after++;
          if (after < old_n && g_array_index (self->items, Item, after).start - old_end + new_end == p)
            break;
        }

      p = scan_item (self, p, covered, members);

      if (members->len > 0)
        {
          item.run = g_list_store_new (TERTULIA_TYPE_MESSAGE);
          g_list_store_splice (item.run, 0, 0, members->pdata, members->len);
        }
      g_array_append_val (fresh, item);
    }

  if (p >= covered)
    after = old_n;

  /* The item the change started in is the same item when its first
   * message is: a row showing it keeps its place (and its keyboard
   * focus), and follows its run as that grows.
   */
  if (first < old_n && fresh->len > 0 && first < after)
    {
      Item *old = &g_array_index (self->items, Item, first);
      Item *new = &g_array_index (fresh, Item, 0);
      gboolean same = FALSE;

      if (old->start < position)
        same = TRUE;
      else if (old->run != NULL && new->run != NULL)
        {
          g_autoptr(TertuliaMessage) a = g_list_model_get_item (G_LIST_MODEL (old->run), 0);
          g_autoptr(TertuliaMessage) b = g_list_model_get_item (G_LIST_MODEL (new->run), 0);

          same = a == b;
        }

      if (same && (old->run == NULL) == (new->run == NULL))
        {
          if (new->run != NULL)
            {
              g_autoptr(GPtrArray) now = g_ptr_array_new_with_free_func (g_object_unref);
              guint n = g_list_model_get_n_items (G_LIST_MODEL (new->run));

              for (guint i = 0; i < n; i++)
                g_ptr_array_add (now, g_list_model_get_item (G_LIST_MODEL (new->run), i));
              update_run (old->run, now);
              g_clear_object (&new->run);
              new->run = g_object_ref (old->run);
            }
          kept = 1;
        }
    }

  /* The old items [first, after) go, the fresh ones take their place,
   * and the ones after move with the change.
   */
  for (guint i = first; i < after; i++)
    {
      Item *old = &g_array_index (self->items, Item, i);

      if (kept == 1 && i == first && old->run != NULL)
        g_clear_object (&old->run);  /* handed on above; the qdata stays */
      else
        item_clear (old);
    }
  for (guint i = after; i < old_n; i++)
    g_array_index (self->items, Item, i).start = g_array_index (self->items, Item, i).start - old_end + new_end;

  g_array_remove_range (self->items, first, after - first);
  g_array_insert_vals (self->items, first, fresh->data, fresh->len);

  for (guint i = 0; i < fresh->len; i++)
    {
      GListStore *run = g_array_index (fresh, Item, i).run;

      if (run != NULL)
        {
          g_autoptr(TertuliaMessage) head = g_list_model_get_item (G_LIST_MODEL (run), 0);

          g_object_set_qdata (G_OBJECT (head), run_quark (), run);
        }
    }

  self->covered = covered;

  if (after - first > kept || fresh->len > kept)
    g_list_model_items_changed (G_LIST_MODEL (self), first + kept, after - first - kept, fresh->len - kept);
}

/* Shows everything the room has, folding what waited into a change
 * from @position (what the items knew there on) on.
 */
static void
tertulia_log_model_flush_from (TertuliaLogModel *self,
                               guint             position)
{
  g_clear_handle_id (&self->flush_id, g_source_remove);

  tertulia_log_model_update (self, position, self->covered, g_list_model_get_n_items (self->model));
}

static gboolean
tertulia_log_model_flush_cb (gpointer user_data)
{
  TertuliaLogModel *self = user_data;

  self->flush_id = 0;
  tertulia_log_model_flush_from (self, self->covered);

  return G_SOURCE_REMOVE;
}

static void
tertulia_log_model_items_changed_cb (TertuliaLogModel *self,
                                     guint             position,
                                     guint             removed,
                                     guint             added,
                                     GListModel       *model)
{
  if (position >= self->covered)
    {
      /* Only the waiting tail changed: show it before the next frame
       * (the frame clock paints at G_PRIORITY_HIGH_IDLE + 20).
       */
      if (self->flush_id == 0)
        self->flush_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 10,
                                          tertulia_log_model_flush_cb, self, NULL);
    }
  else if (position + removed <= self->covered)
    {
      /* Within what the view was told of (older messages put in front,
       * a row changed): passed on, the waiting tail still waiting.
       */
      tertulia_log_model_update (self, position, position + removed, position + added);
    }
  else
    {
      tertulia_log_model_flush_from (self, position);
    }
}

static void
tertulia_log_model_dispose (GObject *object)
{
  TertuliaLogModel *self = (TertuliaLogModel *)object;

  g_clear_handle_id (&self->flush_id, g_source_remove);
  g_clear_signal_handler (&self->items_changed_id, self->model);
  if (self->items != NULL)
    g_array_set_size (self->items, 0);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (tertulia_log_model_parent_class)->dispose (object);
}

static void
tertulia_log_model_finalize (GObject *object)
{
  TertuliaLogModel *self = (TertuliaLogModel *)object;

  g_clear_pointer (&self->items, g_array_unref);

  G_OBJECT_CLASS (tertulia_log_model_parent_class)->finalize (object);
}

static void
tertulia_log_model_class_init (TertuliaLogModelClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = tertulia_log_model_dispose;
  G_OBJECT_CLASS (klass)->finalize = tertulia_log_model_finalize;
}

static void
tertulia_log_model_init (TertuliaLogModel *self)
{
  self->items = g_array_new (FALSE, FALSE, sizeof (Item));
  g_array_set_clear_func (self->items, (GDestroyNotify) item_clear);
}

TertuliaLogModel *
tertulia_log_model_new (GListModel *model)
{
  TertuliaLogModel *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (model), NULL);

  self = g_object_new (TERTULIA_TYPE_LOG_MODEL, NULL);

  self->model = g_object_ref (model);
  self->items_changed_id = g_signal_connect_object (model, "items-changed",
                                                    G_CALLBACK (tertulia_log_model_items_changed_cb),
                                                    self, G_CONNECT_SWAPPED);
  /* Nobody listens yet: the first change is not told. */
  tertulia_log_model_update (self, 0, 0, g_list_model_get_n_items (model));

  return self;
}

GListModel *
tertulia_log_model_get_run (TertuliaMessage *message)
{
  g_return_val_if_fail (TERTULIA_IS_MESSAGE (message), NULL);

  return g_object_get_qdata (G_OBJECT (message), run_quark ());
}

/* tertulia-log-model.c — a room's messages, with each main-loop turn's appends as one change
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-log-model"

#include "config.h"

#include "tertulia-log-model.h"
#include "tertulia-message.h"

/* The log as the list view sees it: the room's messages, with the
 * messages appended in one turn of the main loop shown in one
 * items-changed. GTK 4.8's list view pays for every items-changed in
 * proportion to the length of the log, so a burst of N messages into a
 * long log would cost N times that; here it costs it once, just before
 * the next frame.
 *
 * The first n_items items are the same as the room's: while appends
 * wait, only the room's tail beyond them changes. A change above that
 * tail is passed on at once, with what waited folded into it.
 */

struct _TertuliaLogModel
{
  GObject     parent_instance;

  /* Owned references */
  GListModel *model;

  gulong      items_changed_id;
  guint       n_items;    /* what the view has been told of */
  guint       flush_id;
};

static void tertulia_log_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TertuliaLogModel, tertulia_log_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      tertulia_log_model_list_model_init))

static GType
tertulia_log_model_get_item_type (GListModel *list)
{
  return TERTULIA_TYPE_MESSAGE;
}

static guint
tertulia_log_model_get_n_items (GListModel *list)
{
  return TERTULIA_LOG_MODEL (list)->n_items;
}

static gpointer
tertulia_log_model_get_item (GListModel *list,
                             guint       position)
{
  TertuliaLogModel *self = TERTULIA_LOG_MODEL (list);

  if (position >= self->n_items)
    return NULL;

  return g_list_model_get_item (self->model, position);
}

static void
tertulia_log_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = tertulia_log_model_get_item_type;
  iface->get_n_items = tertulia_log_model_get_n_items;
  iface->get_item = tertulia_log_model_get_item;
}

/* Shows everything the room has, as one change from @position on. */
static void
tertulia_log_model_flush_from (TertuliaLogModel *self,
                               guint             position)
{
  guint removed = self->n_items - position;
  guint added;

  g_clear_handle_id (&self->flush_id, g_source_remove);

  self->n_items = g_list_model_get_n_items (self->model);
  added = self->n_items - position;

  if (removed > 0 || added > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

static gboolean
tertulia_log_model_flush_cb (gpointer user_data)
{
  TertuliaLogModel *self = user_data;

  self->flush_id = 0;
  tertulia_log_model_flush_from (self, self->n_items);

  return G_SOURCE_REMOVE;
}

static void
tertulia_log_model_items_changed_cb (TertuliaLogModel *self,
                                     guint             position,
                                     guint             removed,
                                     guint             added,
                                     GListModel       *model)
{
  if (position >= self->n_items)
    {
      /* Only the waiting tail changed: show it before the next frame
       * (the frame clock paints at G_PRIORITY_HIGH_IDLE + 20).
       */
      if (self->flush_id == 0)
        self->flush_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 10,
                                          tertulia_log_model_flush_cb, self, NULL);
    }
  else if (position + removed <= self->n_items)
    {
      /* Within what the view was told of (older messages put in front,
       * a row changed): passed on as it is, the waiting tail still
       * waiting.
       */
      self->n_items = self->n_items - removed + added;
      g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
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
  g_clear_object (&self->model);

  G_OBJECT_CLASS (tertulia_log_model_parent_class)->dispose (object);
}

static void
tertulia_log_model_class_init (TertuliaLogModelClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = tertulia_log_model_dispose;
}

static void
tertulia_log_model_init (TertuliaLogModel *self)
{
}

TertuliaLogModel *
tertulia_log_model_new (GListModel *model)
{
  TertuliaLogModel *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (model), NULL);

  self = g_object_new (TERTULIA_TYPE_LOG_MODEL, NULL);

  self->model = g_object_ref (model);
  self->n_items = g_list_model_get_n_items (model);
  self->items_changed_id = g_signal_connect_object (model, "items-changed",
                                                    G_CALLBACK (tertulia_log_model_items_changed_cb),
                                                    self, G_CONNECT_SWAPPED);

  return self;
}

/* tertulia-room-entry-private.h — one room on the LAN, merged from Avahi's per-interface answers
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tertulia-lan-room.h"

G_BEGIN_DECLS

/* Avahi lists a service once per interface and protocol it was seen on
 * (an "instance"); we show it once (an "entry"), and keep one
 * ServiceResolver per instance, which stays running and reports the
 * service again when its TXT or address changes.
 */
typedef struct _TertuliaRoomEntry TertuliaRoomEntry;

typedef struct
{
  TertuliaRoomEntry *entry;          /* borrowed: the entry owns us */
  gint               interface;
  gint               protocol;
  char              *resolver_path;  /* NULL without a running resolver */

  /* What the resolver found */
  GHashTable        *txt;
  char              *host_name;
  char              *address;
  gint               aprotocol;
  guint              port;
  guint              resolved : 1;
  guint              is_local : 1;
} TertuliaRoomInstance;

struct _TertuliaRoomEntry
{
  GListStore          *rooms;      /* borrowed: the browser's list */
  char                *key;
  char                *name;
  char                *domain;
  GPtrArray           *instances;  /* of TertuliaRoomInstance* */
  TertuliaLanRoom     *room;       /* in the model while set */
  guint                grace_id;
  guint                grace_over : 1;
};

char                 *_tertulia_room_entry_key           (const char        *name,
                                                          const char        *domain);
TertuliaRoomEntry    *_tertulia_room_entry_new           (GListStore        *rooms,
                                                          const char        *name,
                                                          const char        *domain);
void                  _tertulia_room_entry_free          (TertuliaRoomEntry *entry);
TertuliaRoomInstance *_tertulia_room_entry_find_instance (TertuliaRoomEntry *entry,
                                                          gint               interface,
                                                          gint               protocol);
/* A new instance, unresolved; NULL if the entry has it already. */
TertuliaRoomInstance *_tertulia_room_entry_add_instance  (TertuliaRoomEntry *entry,
                                                          gint               interface,
                                                          gint               protocol);
/* Shows the entry in the rooms list as its best resolved instance says,
 * or takes it out when none is resolved.
 */
void                  _tertulia_room_entry_refresh       (TertuliaRoomEntry *entry);
void                  _tertulia_room_entry_remove_room   (TertuliaRoomEntry *entry);

G_END_DECLS

/* tertulia-fake-avahi.h — a stand-in for avahi-daemon on a private system bus
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A private bus (a dbus-daemon of our own), made the process's system bus,
 * with an object there that answers Avahi's D-Bus calls the way
 * avahi-daemon 0.8 does (or 0.7, see fake_avahi_set_legacy()), as a
 * one-machine "network": what the app announces, its browsers find, at
 * 127.0.0.1; and the test can publish rooms of its own. Nothing goes on
 * any real network.
 *
 * Make it before anything in the process uses the system bus: GIO keeps
 * its first system bus connection.
 */
typedef struct _FakeAvahi FakeAvahi;

/* A ServiceResolver a client made: what it asked for and how far it got. */
typedef struct
{
  char     *path;
  char     *name;
  gint      interface;
  gint      protocol;
  gint      aprotocol;
  gboolean  started;
  gboolean  freed;
} FakeAvahiResolver;

FakeAvahi  *fake_avahi_new               (void);
void        fake_avahi_free              (FakeAvahi          *fake);

/* avahi-daemon stopping and starting again. */
void        fake_avahi_stop              (FakeAvahi          *fake);
void        fake_avahi_start             (FakeAvahi          *fake);

/* From the next start, an Avahi before 0.8: no Server2 interface, so
 * browsers are made with ServiceBrowserNew (which starts at once) and
 * services resolved with ResolveService.
 */
void        fake_avahi_set_legacy        (FakeAvahi          *fake,
                                          gboolean            legacy);
/* Whether what clients here announce is found by browsers here, as on a
 * real machine (the default). Without it, a test that both announces and
 * browses sees only the rooms it emits itself.
 */
void        fake_avahi_set_echo          (FakeAvahi          *fake,
                                          gboolean            echo);
/* A name some other machine holds: announcing it collides, but no
 * browser finds it.
 */
void        fake_avahi_set_name_taken    (FakeAvahi          *fake,
                                          const char         *name,
                                          gboolean            taken);

/* A room as if hosted by another machine, or changed, and gone. @txt is
 * "key=value" strings.
 */
void        fake_avahi_publish           (FakeAvahi          *fake,
                                          const char         *name,
                                          const char         *host_name,
                                          const char         *address,
                                          guint               port,
                                          const char * const *txt);
void        fake_avahi_withdraw          (FakeAvahi          *fake,
                                          const char         *name);

/* Whether a room of that name is on the "network" (announced by the app
 * or published by the test), and its TXT joined by spaces, or NULL.
 */
gboolean    fake_avahi_has_service       (FakeAvahi          *fake,
                                          const char         *name);
char       *fake_avahi_dup_txt           (FakeAvahi          *fake,
                                          const char         *name);
/* How a client here announced @name: the interface and protocol it asked
 * for, and the port. FALSE when no client here announces it.
 */
gboolean    fake_avahi_lookup_announced  (FakeAvahi          *fake,
                                          const char         *name,
                                          gint               *interface,
                                          gint               *protocol,
                                          guint              *port);
/* Another machine starts announcing @name, which a client here
 * announces: its entry group goes to the collision state.
 */
void        fake_avahi_collide           (FakeAvahi          *fake,
                                          const char         *name);

/* How many service browsers clients have running. */
guint       fake_avahi_get_n_browsers    (FakeAvahi          *fake);

/* The network, one packet at a time, for what it does rarely (a room
 * seen over two protocols, with an answer for each): @signal is "ItemNew"
 * or "ItemRemove", for every running browser; then a "Found" for one
 * resolver, with @txt an "aay" (floating is fine).
 */
void        fake_avahi_emit_item         (FakeAvahi          *fake,
                                          const char         *signal,
                                          gint                protocol,
                                          const char         *name);
/* A running, not freed resolver for @protocol, or NULL. It stays valid
 * until the fake stops.
 */
FakeAvahiResolver *
            fake_avahi_find_resolver     (FakeAvahi          *fake,
                                          gint                protocol);
void        fake_avahi_emit_found        (FakeAvahi          *fake,
                                          FakeAvahiResolver  *resolver,
                                          const char         *host_name,
                                          const char         *address,
                                          guint               port,
                                          GVariant           *txt);

G_END_DECLS

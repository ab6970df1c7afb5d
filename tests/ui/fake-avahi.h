/* fake-avahi.h — a stand-in for avahi-daemon on a private system bus, for the UI tests
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
 * avahi-daemon 0.8 does, as a one-machine "network": what the app
 * announces, its browsers find, at 127.0.0.1; and the test can publish
 * rooms of its own. Nothing goes on any real network.
 *
 * Make it before anything in the process uses the system bus: GIO keeps
 * its first system bus connection.
 */
typedef struct _FakeAvahi FakeAvahi;

FakeAvahi  *fake_avahi_new               (void);
void        fake_avahi_free              (FakeAvahi          *fake);

/* avahi-daemon stopping and starting again. */
void        fake_avahi_stop              (FakeAvahi          *fake);
void        fake_avahi_start             (FakeAvahi          *fake);

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

G_END_DECLS

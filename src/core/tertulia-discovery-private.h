/* tertulia-discovery-private.h — Avahi's D-Bus API, as the announcer and the browser use it
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tertulia-lan-room.h"

G_BEGIN_DECLS

/* We talk to avahi-daemon over the system bus with GDBus rather than link
 * libavahi-client or libavahi-glib: the Flatpak runtime has neither, and the
 * D-Bus API is Avahi's stable interface. The values below are Avahi's
 * (avahi-common/defs.h, avahi-common/dbus.h).
 */
#define AVAHI_DBUS_NAME                     "org.freedesktop.Avahi"
#define AVAHI_DBUS_PATH_SERVER              "/"
#define AVAHI_DBUS_INTERFACE_SERVER         "org.freedesktop.Avahi.Server"
#define AVAHI_DBUS_INTERFACE_SERVER2        "org.freedesktop.Avahi.Server2"
#define AVAHI_DBUS_INTERFACE_ENTRY_GROUP    "org.freedesktop.Avahi.EntryGroup"
#define AVAHI_DBUS_INTERFACE_SERVICE_BROWSER  "org.freedesktop.Avahi.ServiceBrowser"
#define AVAHI_DBUS_INTERFACE_SERVICE_RESOLVER "org.freedesktop.Avahi.ServiceResolver"
#define AVAHI_DBUS_ERROR_COLLISION          "org.freedesktop.Avahi.CollisionError"

#define AVAHI_IF_UNSPEC    (-1)
#define AVAHI_PROTO_UNSPEC (-1)
#define AVAHI_PROTO_INET   0
#define AVAHI_PROTO_INET6  1

/* AvahiEntryGroupState */
#define AVAHI_ENTRY_GROUP_UNCOMMITED  0
#define AVAHI_ENTRY_GROUP_REGISTERING 1
#define AVAHI_ENTRY_GROUP_ESTABLISHED 2
#define AVAHI_ENTRY_GROUP_COLLISION   3
#define AVAHI_ENTRY_GROUP_FAILURE     4

/* AvahiLookupResultFlags */
#define AVAHI_LOOKUP_RESULT_LOCAL   8
#define AVAHI_LOOKUP_RESULT_OUR_OWN 16

/* A DNS label (the service name) holds at most 63 bytes. */
#define TERTULIA_DISCOVERY_MAX_SERVICE_NAME_BYTES 63
/* One TXT string holds at most 255 bytes, key and "=" included. */
#define TERTULIA_DISCOVERY_MAX_TXT_BYTES          255

/* The TXT keys (docs/PROTOCOL.md, "Finding rooms on the LAN"). */
#define TERTULIA_DISCOVERY_TXT_NAME         "name"
#define TERTULIA_DISCOVERY_TXT_VERSION      "v"
#define TERTULIA_DISCOVERY_TXT_PASSWORD     "pw"
#define TERTULIA_DISCOVERY_TXT_PARTICIPANTS "n"

/* @text cut to at most @max_bytes bytes without splitting a character. */
char       *_tertulia_discovery_truncate_utf8 (const char  *text,
                                               gsize        max_bytes);
/* An "aay" of "key=value" strings from a NULL-terminated list of key,
 * value pairs; values are cut to fit one TXT string. Floating.
 */
GVariant   *_tertulia_discovery_txt_new       (const char  *first_key,
                                               ...) G_GNUC_NULL_TERMINATED;
/* The "aay" TXT strings as key → value (both UTF-8, keys lowercase; a key
 * without "=" maps to ""). Strings that are not UTF-8 are skipped; the first
 * of repeated keys wins, as RFC 6763 says.
 */
GHashTable *_tertulia_discovery_txt_parse     (GVariant    *txt);

/* Tells apart "Avahi is not there" (the name has no owner, the bus refused
 * us, the bus is gone) from real failures, which are worth a warning.
 */
gboolean    _tertulia_discovery_error_is_unavailable (const GError *error);

/* A bus connection from g_bus_get() makes the process exit when the bus
 * goes away; a chat must not end because the system bus restarted.
 */
void        _tertulia_discovery_keep_running_without_bus (GDBusConnection *bus);

/* TertuliaLanRoom is filled in by the browser. */
TertuliaLanRoom *_tertulia_lan_room_new    (const char      *service_name);
/* Takes the resolved values; notifies what changed. */
void             _tertulia_lan_room_update (TertuliaLanRoom *self,
                                            const char      *host_name,
                                            const char      *address,
                                            guint            port,
                                            gboolean         is_local,
                                            GHashTable      *txt);

G_END_DECLS

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
#define TERTULIA_DISCOVERY_TXT_FINGERPRINT  "fp"
#define TERTULIA_DISCOVERY_TXT_TLS          "tls"

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
/* The same from KEY, VALUE, …, NULL */
GVariant   *_tertulia_discovery_txt_new_pairs (const char * const *pairs);
GHashTable *_tertulia_discovery_txt_parse     (GVariant    *txt);

/* Tells apart "Avahi is not there" (the name has no owner, the bus refused
 * us, the bus is gone) from real failures, which are worth a warning.
 */
gboolean    _tertulia_discovery_error_is_unavailable (const GError *error);

/* A bus connection from g_bus_get() makes the process exit when the bus
 * goes away; a chat must not end because the system bus restarted.
 */
void        _tertulia_discovery_keep_running_without_bus (GDBusConnection *bus);

/* The Avahi interface index and protocol that reach @bind_address (an IP
 * literal, or NULL for every interface), so that a room is not announced
 * where it does not listen.
 */
void        _tertulia_discovery_find_interface (const char *bind_address,
                                                gint       *interface,
                                                gint       *protocol);

/* Avahi as one announcer or browser follows it: the watch on its bus
 * name and, while it is there, the connection and its unique name.
 */
typedef struct
{
  GDBusConnection *bus;         /* while Avahi is on it */
  char            *owner;       /* Avahi's unique bus name */
  guint            watch_id;
  /* Bumped whenever what Avahi knows of us is thrown away, so that
   * replies to calls made before are recognised as stale.
   */
  guint            generation;
} TertuliaAvahi;

/* Watches for avahi-daemon on the system bus, without starting it. */
void        _tertulia_avahi_watch       (TertuliaAvahi             *avahi,
                                         GBusNameAppearedCallback   appeared,
                                         GBusNameVanishedCallback   vanished,
                                         gpointer                   user_data);
void        _tertulia_avahi_unwatch     (TertuliaAvahi             *avahi);
/* Avahi is on @bus as @owner (from the appeared callback). */
void        _tertulia_avahi_attach      (TertuliaAvahi             *avahi,
                                         GDBusConnection           *bus,
                                         const char                *owner);
/* Forgets the bus; replies to the calls made so far go to nobody. Free
 * what Avahi holds for us first.
 */
void        _tertulia_avahi_detach      (TertuliaAvahi             *avahi);

/* Tells Avahi to free an object it made for us; nothing without a bus or
 * a @path. Nobody waits for the answer.
 */
void        _tertulia_avahi_free_object (TertuliaAvahi             *avahi,
                                         const char                *path,
                                         const char                *interface);

/* Avahi's signals on @interface (@member and @path when not NULL), which
 * it sends to us alone, from its unique name.
 */
guint       _tertulia_avahi_subscribe   (TertuliaAvahi             *avahi,
                                         const char                *interface,
                                         const char                *member,
                                         const char                *path,
                                         GDBusSignalCallback        callback,
                                         gpointer                   user_data);
void        _tertulia_avahi_unsubscribe (TertuliaAvahi             *avahi,
                                         guint                     *subscription_id);

/* The answer to a call, while it still matters: @reply, or @error. */
typedef void (*TertuliaAvahiReplyFunc)  (gpointer                   self,
                                         GVariant                  *reply,
                                         const GError              *error,
                                         gpointer                   data);

/* Calls @method on Avahi. @func gets the answer unless @avahi was
 * detached meanwhile; @self (the GObject @avahi is in) is kept alive until
 * then, and @data is freed with @data_free after.
 */
void        _tertulia_avahi_call        (TertuliaAvahi             *avahi,
                                         gpointer                   self,
                                         const char                *path,
                                         const char                *interface,
                                         const char                *method,
                                         GVariant                  *parameters,
                                         const GVariantType        *reply_type,
                                         TertuliaAvahiReplyFunc     func,
                                         gpointer                   data,
                                         GDestroyNotify             data_free);
/* The same for a method that makes an object and answers its path, "(o)":
 * when the answer goes to nobody, the object (@made_interface) is freed,
 * or it would outlive us.
 */
void        _tertulia_avahi_call_new    (TertuliaAvahi             *avahi,
                                         gpointer                   self,
                                         const char                *interface,
                                         const char                *method,
                                         GVariant                  *parameters,
                                         const char                *made_interface,
                                         TertuliaAvahiReplyFunc     func,
                                         gpointer                   data,
                                         GDestroyNotify             data_free);

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

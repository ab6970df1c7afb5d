/* tertulia-announcer.h — publishes a hosted room on the LAN (DNS-SD through Avahi)
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tertulia-server.h"
#include "tertulia-lan-enums.h"

G_BEGIN_DECLS

typedef enum
{
  TERTULIA_ANNOUNCER_STOPPED,      /* not started yet, or stopped */
  TERTULIA_ANNOUNCER_STARTING,     /* looking for avahi-daemon on the system bus */
  TERTULIA_ANNOUNCER_UNAVAILABLE,  /* Avahi is not running; announces when it starts */
  TERTULIA_ANNOUNCER_REGISTERING,  /* Avahi is checking the name on the network */
  TERTULIA_ANNOUNCER_ANNOUNCED,    /* others on the LAN can find the room */
  TERTULIA_ANNOUNCER_FAILED,       /* Avahi refused; see "error-message" */
} TertuliaAnnouncerState;

#define TERTULIA_TYPE_ANNOUNCER (tertulia_announcer_get_type ())


G_DECLARE_FINAL_TYPE (TertuliaAnnouncer, tertulia_announcer, TERTULIA, ANNOUNCER, GObject)

/* Publishes "_tertulia._tcp" on the port, named after the room, with the TXT
 * keys of docs/PROTOCOL.md (name, v, pw, n). When another service on the
 * network has the name, Avahi's alternative ("NAME #2") is used. Follows
 * avahi-daemon: announces again when it (re)starts. Withdraws the room on
 * tertulia_announcer_stop() and when the last reference is dropped.
 *
 * Not being able to announce is never an error for the room: without Avahi
 * the state is UNAVAILABLE and nothing is logged.
 *
 * Properties:
 *   room-name        gchar*                  construct-only
 *   port             guint                   construct-only
 *   bind-address     gchar*                  construct-only: the address the
 *                                            server listens on (NULL: all of
 *                                            them); the room is announced only
 *                                            on that address's interface
 *   n-participants   gint                    read-write, -1 (default): not announced
 *   password-needed  gboolean                read-write
 *   state            TertuliaAnnouncerState  read-only
 *   service-name     gchar*                  read-only: the name the room is
 *                                            announced under, NULL until then
 *   error-message    gchar*                  read-only: Avahi's words when FAILED
 */
TertuliaAnnouncer     *tertulia_announcer_new                 (const char        *room_name,
                                                               guint              port,
                                                               const char        *bind_address);
/* An announcer for @server, which must be listening, that follows its
 * number of participants.
 */
TertuliaAnnouncer     *tertulia_announcer_new_for_server      (TertuliaServer    *server,
                                                               const char        *bind_address);

void                   tertulia_announcer_start               (TertuliaAnnouncer *self);
void                   tertulia_announcer_stop                (TertuliaAnnouncer *self);

const char            *tertulia_announcer_get_room_name       (TertuliaAnnouncer *self);
guint                  tertulia_announcer_get_port            (TertuliaAnnouncer *self);
TertuliaAnnouncerState tertulia_announcer_get_state           (TertuliaAnnouncer *self);
const char            *tertulia_announcer_get_service_name    (TertuliaAnnouncer *self);
const char            *tertulia_announcer_get_error_message   (TertuliaAnnouncer *self);
gint                   tertulia_announcer_get_n_participants  (TertuliaAnnouncer *self);
void                   tertulia_announcer_set_n_participants  (TertuliaAnnouncer *self,
                                                               gint               n_participants);
/* The TXT's "fp" (and "tls=1"): the host's fingerprint, NULL for none.
 * tertulia_announcer_new_for_server() takes the server's.
 */
void                   tertulia_announcer_set_fingerprint     (TertuliaAnnouncer *self,
                                                               const char        *fingerprint);
const char            *tertulia_announcer_get_fingerprint     (TertuliaAnnouncer *self);
gboolean               tertulia_announcer_get_password_needed (TertuliaAnnouncer *self);
void                   tertulia_announcer_set_password_needed (TertuliaAnnouncer *self,
                                                               gboolean           password_needed);

G_END_DECLS

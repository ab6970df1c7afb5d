/* tertulia-protocol-moderation.h — moderation and private messages on the
 * wire: roles, room settings, bans (issue 18)
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tertulia-protocol.h"

G_BEGIN_DECLS

/* Seconds of slow mode at most (0 is off) */
#define TERTULIA_MAX_SLOW_SECONDS        3600
/* A kick's or ban's reason follows the rules of a topic (one line, at
 * most TERTULIA_MAX_TOPIC_CHARS)
 */
/* Private messages a host keeps per participant for resumes */
#define TERTULIA_MAX_PRIVATE_KEPT        200

/* A ban as the host lists it in a "bans" frame */
struct _TertuliaBan
{
  gint64  id;
  char   *nick;      /* the banned participant's nickname then */
  char   *address;   /* the address it was banned from */
  char   *by;        /* the nickname of the moderator */
  char   *reason;    /* NULL when none was given */
  gint64  time;      /* ms since the epoch */
};

#define TERTULIA_TYPE_BAN (tertulia_ban_get_type ())

GType        tertulia_ban_get_type                  (void) G_GNUC_CONST;
TertuliaBan *tertulia_ban_new                       (void);
TertuliaBan *tertulia_ban_copy                      (const TertuliaBan *ban);
void         tertulia_ban_free                      (TertuliaBan       *ban);

/* "host", "cohost", "guest" */
const char  *tertulia_role_to_string                (TertuliaRole       role);
/* "everyone", "hosts", "off"; from_string is FALSE for anything else */
const char  *tertulia_private_messages_to_string    (TertuliaPrivateMessages allow);
gboolean     tertulia_private_messages_from_string  (const char        *string,
                                                     TertuliaPrivateMessages *allow);
/* "kick", "ban", …, "private-messages" */
const char  *tertulia_moderation_action_to_string   (TertuliaModerationAction action);
gboolean     tertulia_moderation_action_from_string (const char        *string,
                                                     TertuliaModerationAction *action);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TertuliaBan, tertulia_ban_free)

G_END_DECLS

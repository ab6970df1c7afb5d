/* tertulia-notifier.h — desktop notifications for a room's new messages
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tertulia-conversation.h"
#include "tertulia-room.h"

G_BEGIN_DECLS

/* The nicks match the "notification-mode" GSettings key. */
typedef enum
{
  TERTULIA_NOTIFICATION_MODE_ALL,
  TERTULIA_NOTIFICATION_MODE_MENTIONS,
  TERTULIA_NOTIFICATION_MODE_NONE,
} TertuliaNotificationMode;

#define TERTULIA_TYPE_NOTIFICATION_MODE (tertulia_notification_mode_get_type ())
#define TERTULIA_TYPE_NOTIFIER          (tertulia_notifier_get_type ())

GType tertulia_notification_mode_get_type (void) G_GNUC_CONST;

G_DECLARE_FINAL_TYPE (TertuliaNotifier, tertulia_notifier, TERTULIA, NOTIFIER, GObject)

/* How long a burst of messages collapses into one notification. */
#define TERTULIA_NOTIFIER_COLLAPSE_MSEC 3000

/* Properties:
 *   application    GApplication*             construct-only, sends the notifications
 *   id             gchar*                    construct-only, the notification id
 *   target         guint                     construct-only, passed to
 *                                            app.present-window on activation
 *   room           TertuliaRoom*             watched for new messages
 *   window-active  gboolean                  nothing is notified while TRUE, and
 *                                            becoming TRUE withdraws
 *   mode           TertuliaNotificationMode
 *
 * Only messages that arrive after the room is set notify, never history,
 * notices or your own messages.
 */
TertuliaNotifier         *tertulia_notifier_new               (GApplication             *application,
                                                               const char               *id,
                                                               guint                     target);

TertuliaRoom             *tertulia_notifier_get_room          (TertuliaNotifier         *self);
void                      tertulia_notifier_set_room          (TertuliaNotifier         *self,
                                                               TertuliaRoom             *room);
gboolean                  tertulia_notifier_get_window_active (TertuliaNotifier         *self);
void                      tertulia_notifier_set_window_active (TertuliaNotifier         *self,
                                                               gboolean                  window_active);
TertuliaNotificationMode  tertulia_notifier_get_mode          (TertuliaNotifier         *self);
void                      tertulia_notifier_set_mode          (TertuliaNotifier         *self,
                                                               TertuliaNotificationMode  mode);
/* How many messages the shown notification stands for (0: none shown). */
guint                     tertulia_notifier_get_n_unseen      (TertuliaNotifier         *self);

/* The private conversation on screen (or NULL): its messages do not
 * notify while the window is active, and its notification is taken back.
 * Other private messages notify on their own, activating
 * app.present-conversation((target, peer id)).
 */
void                      tertulia_notifier_set_shown_conversation (TertuliaNotifier     *self,
                                                                    TertuliaConversation *conversation);
/* How many people's private messages are notified now */
guint                     tertulia_notifier_get_n_private     (TertuliaNotifier         *self);

/* "Ana", "Ana and Luis", "Ana, Luis and 2 others" (exposed for tests). */
char                     *_tertulia_notifier_join_names       (const char * const       *names);

G_END_DECLS

/* tertulia-test-refuser.h — a stand-in host that refuses a say once, for resend tests
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A WebSocket host on 127.0.0.1 speaking just enough of tertulia.1: it
 * welcomes each guest, and echoes each say as a message event, except
 * that the first say of each text starting with "refuse" is answered with
 * a "rate-limited" error carrying its cid, as a busy real host would; any
 * other frame gets "unknown-type", as from a host of an older version. The
 * real host cannot be made to refuse a say from a well-behaved client, so
 * the tests of resending talk to this one.
 */
typedef struct _TertuliaTestRefuser TertuliaTestRefuser;

TertuliaTestRefuser *tertulia_test_refuser_new        (void);
void                 tertulia_test_refuser_free       (TertuliaTestRefuser *self);
guint                tertulia_test_refuser_get_port   (TertuliaTestRefuser *self);
/* How many times @text was broadcast (echoed as a message event). */
guint                tertulia_test_refuser_count      (TertuliaTestRefuser *self,
                                                       const char          *text);
/* How many says were refused. */
guint                tertulia_test_refuser_n_refused  (TertuliaTestRefuser *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TertuliaTestRefuser, tertulia_test_refuser_free)

G_END_DECLS

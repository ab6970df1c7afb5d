/* tertulia-test-changes.h — the items-changed a list model emits, as a test records them
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

typedef struct
{
  guint position;
  guint removed;
  guint added;
} TertuliaTestChange;

/* Connect to "items-changed" with a GArray of TertuliaTestChange as the
 * user data; each change is appended to it.
 */
static inline void
tertulia_test_record_change_cb (GListModel *model,
                                guint       position,
                                guint       removed,
                                guint       added,
                                GArray     *changes)
{
  TertuliaTestChange change = { position, removed, added };

  g_array_append_val (changes, change);
}

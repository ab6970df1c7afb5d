/* tertulia-server-checks.c — room password checks, off the main loop, one
 * at a time, at a pace the whole room shares
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "tertulia-server"
#define TERTULIA_SERVER_COMPILATION

#include "config.h"

#include <string.h>

#include "tertulia-server-private.h"

/* A check costs a PBKDF2 run (about 25 ms). On the main loop, 250 addresses
 * guessing once a second each kept the host busy and the members' messages
 * seconds late; and a limit per address means nothing to someone with many
 * addresses (IPv6 gives them by the million). So checks run in a thread,
 * one at a time, at most PASSWORD_CHECKS_PER_SECOND for the whole room;
 * at most PASSWORD_QUEUE wait, later ones are told to wait
 * (`rate-limited`). Every PASSWORD_SLOWDOWN wrong passwords in a row, room
 * wide, the pace halves, down to one check every PASSWORD_MAX_SPACING_MSEC;
 * a right password, or PASSWORD_CALM_SECONDS without a wrong one, brings
 * it back.
 */
#define PASSWORD_CHECKS_PER_SECOND 4
#define PASSWORD_QUEUE             8
#define PASSWORD_SLOWDOWN          16
#define PASSWORD_MAX_SPACING_MSEC  2000
#define PASSWORD_CALM_SECONDS      60

struct _PasswordCheck
{
  /* Borrowed; NULL once the server or the session is gone */
  TertuliaServer       *server;
  Session              *session;

  /* Owned: the hello that waits for the answer, and what the thread
   * reads
   */
  TertuliaFrame        *hello;
  TertuliaPasswordHash *hash;
  char                 *guess;
};

static void password_checks_pump (TertuliaServer *self);

static void
password_check_free (PasswordCheck *check)
{
  if (check->session != NULL)
    check->session->password_check = NULL;
  g_clear_pointer (&check->hello, tertulia_frame_free);
  g_clear_pointer (&check->hash, tertulia_password_hash_free);
  g_clear_pointer (&check->guess, tertulia_password_free);
  g_free (check);
}

void
_tertulia_password_check_drop_session (PasswordCheck *check)
{
  check->session = NULL;
}

static guint
password_spacing_msec (TertuliaServer *self)
{
  guint per_second = self->password_checks_per_second > 0 ? self->password_checks_per_second
                                                           : PASSWORD_CHECKS_PER_SECOND;
  guint spacing = 1000 / per_second;

  for (guint n = self->password_wrong_streak / PASSWORD_SLOWDOWN; n > 0 && spacing < PASSWORD_MAX_SPACING_MSEC; n--)
    spacing *= 2;

  return MIN (spacing, PASSWORD_MAX_SPACING_MSEC);
}

static void
password_check_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  PasswordCheck *check = task_data;

  g_task_return_boolean (task, tertulia_password_hash_check (check->hash, check->guess));
}

static void
password_check_done_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  PasswordCheck *check = user_data;
  TertuliaServer *self = check->server;
  Session *session = check->session;
  gboolean right = g_task_propagate_boolean (G_TASK (result), NULL);

  if (self == NULL)
    {
      password_check_free (check);
      return;
    }

  g_assert (self->password_running == check);
  self->password_running = NULL;

  if (right)
    {
      self->password_wrong_streak = 0;
    }
  else
    {
      gint64 now = g_get_monotonic_time ();

      if (now - self->password_last_wrong > (gint64) PASSWORD_CALM_SECONDS * G_USEC_PER_SEC)
        self->password_wrong_streak = 0;
      self->password_wrong_streak++;
      self->password_last_wrong = now;
    }

  if (session != NULL && session->server != NULL && !session->refused)
    {
      TertuliaFrame *hello = g_steal_pointer (&check->hello);

      session->password_check = NULL;
      check->session = NULL;

      _tertulia_server_enter (self);
      _tertulia_server_password_checked (self, session, hello, right);
      _tertulia_server_leave (self);
    }

  password_check_free (check);
  password_checks_pump (self);
}

static gboolean
password_checks_timer_cb (gpointer user_data)
{
  TertuliaServer *self = user_data;

  self->password_timer_id = 0;
  password_checks_pump (self);

  return G_SOURCE_REMOVE;
}

static void
password_checks_pump (TertuliaServer *self)
{
  gint64 now = g_get_monotonic_time ();
  g_autoptr(GTask) task = NULL;
  PasswordCheck *check;

  if (self->password_running != NULL || self->password_timer_id != 0)
    return;

  /* Checks for guests that left meanwhile cost nothing */
  while ((check = g_queue_peek_head (&self->password_queue)) != NULL &&
         (check->session == NULL || check->session->server == NULL || check->session->refused))
    password_check_free (g_queue_pop_head (&self->password_queue));

  if (check == NULL)
    return;

  if (now < self->password_next_start)
    {
      self->password_timer_id = g_timeout_add ((guint) ((self->password_next_start - now + 999) / 1000),
                                               password_checks_timer_cb, self);
      return;
    }

  g_queue_pop_head (&self->password_queue);
  self->password_running = check;
  self->password_next_start = now + (gint64) password_spacing_msec (self) * 1000;

  task = g_task_new (NULL, NULL, password_check_done_cb, check);
  g_task_set_source_tag (task, password_checks_pump);
  g_task_set_task_data (task, check, NULL);
  g_task_run_in_thread (task, password_check_thread);
}

void
_tertulia_server_check_password_async (TertuliaServer *self,
                                       Session        *session,
                                       TertuliaFrame  *hello)
{
  PasswordCheck *check;

  g_assert (session->password_check == NULL);
  g_assert (hello->password != NULL);

  if (g_queue_get_length (&self->password_queue) >= PASSWORD_QUEUE)
    {
      g_debug ("%s: %u passwords wait already", session->peer, PASSWORD_QUEUE);
      _tertulia_session_send_error (session, TERTULIA_ERROR_RATE_LIMITED,
                                    "Many people are trying passwords right now; try again in a moment.", NULL);
      tertulia_frame_free (hello);
      return;
    }

  check = g_new0 (PasswordCheck, 1);
  check->server = self;
  check->session = session;
  check->guess = g_strdup (hello->password);
  check->hash = tertulia_password_hash_copy (self->password);
  check->hello = hello;
  session->password_check = check;

  g_queue_push_tail (&self->password_queue, check);
  password_checks_pump (self);
}

void
_tertulia_server_forget_password_checks (TertuliaServer *self)
{
  PasswordCheck *check;

  /* The thread still has it; its callback frees it */
  if (self->password_running != NULL)
    self->password_running->server = NULL;
  self->password_running = NULL;

  while ((check = g_queue_pop_head (&self->password_queue)) != NULL)
    password_check_free (check);

  g_clear_handle_id (&self->password_timer_id, g_source_remove);
}

void
_tertulia_server_set_password_checks (TertuliaServer *self,
                                      guint           per_second)
{
  g_return_if_fail (TERTULIA_IS_SERVER (self));

  self->password_checks_per_second = per_second;
}

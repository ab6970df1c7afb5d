/* tertulia-server-files-transfer.c — a shared file between a socket and
 * the disk, in a thread of its own
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE   /* SCHED_BATCH */
#define G_LOG_DOMAIN "tertulia-server"
#define TERTULIA_SERVER_COMPILATION

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <sched.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tertulia-server-files-private.h"
#include "tertulia-server-linger.h"

/* Read from the socket, written to the disk, hashed: one at a time */
#define BUFFER_BYTES           (256 * 1024)
/* What the type and a picture's size are read from */
#define HEAD_BYTES             (64 * 1024)
/* A transfer that moves nothing for this long is dropped */
#define STALL_SECONDS          30
#define SENDFILE_CHUNK         (4 * 1024 * 1024)

/* While the room talks, its transfers together move at most this much a
 * second, in pieces of PACED_CHUNK. Gigabit Ethernet carries 125 MB/s and
 * Wi-Fi less, so on a real LAN the network is the limit long before this;
 * on loopback or 10 GbE, ten downloads at full speed would take both cores
 * of a small host from the room's main loop (chat p99 went from 1.5 to
 * 10 ms in tests/bench/run-bench --only files). A lower priority alone
 * (thread_step_aside) was not enough: most of what a transfer costs is
 * the kernel's work, on both ends of the connection, and the programs
 * receiving the bytes compete for the same cores.
 */
#define PACED_BYTES_PER_SECOND (300 * 1000 * 1000)
#define PACED_CHUNK            (256 * 1024)
/* The room counts as talking for this long after its last event */
#define TALK_LINGER_USEC       (2 * G_USEC_PER_SEC)

TransferPace *
_tertulia_transfer_pace_new (void)
{
  TransferPace *pace = g_atomic_rc_box_new0 (TransferPace);

  g_mutex_init (&pace->lock);

  return pace;
}

static void
transfer_pace_clear (TransferPace *pace)
{
  g_mutex_clear (&pace->lock);
}

void
_tertulia_transfer_pace_unref (TransferPace *pace)
{
  g_atomic_rc_box_release_full (pace, (GDestroyNotify) transfer_pace_clear);
}

void
_tertulia_files_note_talk (TertuliaFiles *files)
{
  TransferPace *pace = files->pace;
  gint64 until = g_get_monotonic_time () + TALK_LINGER_USEC;

  g_mutex_lock (&pace->lock);
  pace->talking_until = until;
  g_mutex_unlock (&pace->lock);
}

/* Before a transfer's thread moves bytes: while the room is quiet, it
 * moves all of @wanted; while the room talks, it waits until the room's
 * shared rate has room again, then moves at most PACED_CHUNK.
 */
static gsize
pace_wait (TransferPace *pace,
           gsize         wanted)
{
  gint64 now = g_get_monotonic_time ();
  gint64 start;

  g_mutex_lock (&pace->lock);
  if (now >= pace->talking_until)
    {
      pace->next_free = now;
      g_mutex_unlock (&pace->lock);
      return wanted;
    }
  start = MAX (pace->next_free, now);
  g_mutex_unlock (&pace->lock);

  if (start > now)
    g_usleep ((gulong) (start - now));

  return MIN (wanted, PACED_CHUNK);
}

/* After: what really moved (a read often brings less than it asked for)
 * is counted against the shared rate while the room talks.
 */
static void
pace_spend (TransferPace *pace,
            gssize        moved)
{
  gint64 now = g_get_monotonic_time ();

  if (moved <= 0)
    return;

  g_mutex_lock (&pace->lock);
  if (now < pace->talking_until)
    pace->next_free = MAX (pace->next_free, now) + (gint64) moved * G_USEC_PER_SEC / PACED_BYTES_PER_SECOND;
  g_mutex_unlock (&pace->lock);
}

void
_tertulia_transfer_free (Transfer *transfer)
{
  g_clear_pointer (&transfer->pace, _tertulia_transfer_pace_unref);
  g_clear_object (&transfer->stream);
  g_clear_object (&transfer->socket);
  g_main_context_unref (transfer->context);
  g_free (transfer->id);
  g_free (transfer->name);
  g_free (transfer->part_path);
  if (transfer->checksum != NULL)
    gnutls_hash_deinit (transfer->checksum, NULL);
  g_clear_pointer (&transfer->head, g_byte_array_unref);
  g_free (transfer->headers);
  if (transfer->fd >= 0)
    close (transfer->fd);
  g_clear_error (&transfer->error);
  g_free (transfer);
}

/* The threads */

static gboolean
wait_writable (int fd)
{
  struct pollfd pfd = { .fd = fd, .events = POLLOUT };
  int ready;

  do
    ready = poll (&pfd, 1, STALL_SECONDS * 1000);
  while (ready < 0 && errno == EINTR);

  return ready > 0 && (pfd.revents & (POLLERR | POLLNVAL)) == 0;
}

static gboolean
send_all (int          fd,
          const char  *data,
          gsize        length,
          GError     **error)
{
  while (length > 0)
    {
      ssize_t n = send (fd, data, length, MSG_NOSIGNAL);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno == EAGAIN && wait_writable (fd))
        continue;
      if (n <= 0)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                               "The guest stopped reading");
          return FALSE;
        }
      data += n;
      length -= (gsize) n;
    }

  return TRUE;
}

static gboolean
write_all (int           fd,
           const guint8 *data,
           gsize         length,
           GError      **error)
{
  while (length > 0)
    {
      ssize_t n = write (fd, data, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       "Cannot write the upload: %s", g_strerror (saved_errno));
          return FALSE;
        }
      data += n;
      length -= (gsize) n;
    }

  return TRUE;
}

/* Whether all of the content is UTF-8 without NUL, a chunk at a time: a
 * character cut by the chunk's end waits (in carry, in front of the
 * buffer) for the rest.
 */
static void
upload_follow_text (Transfer *transfer,
                    guint8   *data,
                    gsize     n)
{
  guint8 *start = data - transfer->n_carry;
  gsize total = n + transfer->n_carry;
  gsize keep = total;

  if (!transfer->is_text)
    return;

  memcpy (start, transfer->carry, transfer->n_carry);

  for (gsize back = 1; back <= 3 && back <= total; back++)
    {
      guint8 c = start[total - back];

      if ((c & 0xC0) == 0x80)
        continue;
      if (c >= 0xC0 && (gsize) (c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2) > back)
        keep = total - back;
      break;
    }

  if (memchr (start, '\0', keep) != NULL || !g_utf8_validate_len ((const char *) start, keep, NULL))
    transfer->is_text = FALSE;

  transfer->n_carry = total - keep;
  memcpy (transfer->carry, start + keep, transfer->n_carry);
}

/* Files are bulk and the chat is not: a transfer's thread runs at a
 * lower priority (nice +10, SCHED_BATCH), so that on a busy machine the
 * room's main loop, where every message goes through, gets the CPU first.
 */
static void
thread_step_aside (void)
{
  struct sched_param param = { 0 };
  id_t tid = (id_t) syscall (SYS_gettid);
  int nice_now;

  errno = 0;
  nice_now = getpriority (PRIO_PROCESS, tid);
  if (errno == 0)
    setpriority (PRIO_PROCESS, tid, MIN (nice_now + 10, 19));
  sched_setscheduler (0, SCHED_BATCH, &param);
}

/* Over TLS every byte to the guest goes through the TLS connection (the
 * stream libsoup let go of); in plain text, straight to the socket.
 */
static gboolean
transfer_send (Transfer   *transfer,
               const char *data,
               gsize       length)
{
  if (tertulia_socket_get_tls (transfer->socket) != NULL)
    return g_output_stream_write_all (g_io_stream_get_output_stream (transfer->stream),
                                      data, length, NULL, NULL, &transfer->error);

  return send_all (g_socket_get_fd (transfer->socket), data, length, &transfer->error);
}

/* A download over TLS: sendfile() would skip the encryption, so the file is
 * read and written a buffer at a time.
 */
static void
download_through_tls (Transfer *transfer)
{
  g_autofree char *buffer = g_malloc (BUFFER_BYTES);
  off_t offset = (off_t) transfer->offset;
  guint64 remaining = transfer->count;

  while (remaining > 0)
    {
      gsize wanted = pace_wait (transfer->pace, (gsize) MIN (remaining, BUFFER_BYTES));
      ssize_t n = pread (transfer->fd, buffer, wanted, offset);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          g_set_error_literal (&transfer->error, G_IO_ERROR, G_IO_ERROR_FAILED,
                               "The file could not be read");
          return;
        }
      if (!transfer_send (transfer, buffer, (gsize) n))
        return;
      pace_spend (transfer->pace, n);
      offset += n;
      remaining -= (guint64) n;
    }
}

static gpointer
upload_thread (gpointer user_data)
{
  Transfer *transfer = user_data;
  GInputStream *input = g_io_stream_get_input_stream (transfer->stream);
  /* Room in front for a character cut by the last chunk */
  g_autofree guint8 *buffer = g_malloc (4 + BUFFER_BYTES);
  guint8 *data = buffer + 4;
  guint64 remaining = transfer->length;
  int fd;

  thread_step_aside ();
  fd = open (transfer->part_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (&transfer->error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Cannot save the upload: %s", g_strerror (saved_errno));
      goto out;
    }

  if (transfer->expect_continue)
    {
      static const char go_on[] = "HTTP/1.1 100 Continue\r\n\r\n";

      if (!transfer_send (transfer, go_on, strlen (go_on)))
        goto out;
    }

  while (remaining > 0)
    {
      gsize wanted = pace_wait (transfer->pace, (gsize) MIN (remaining, BUFFER_BYTES));
      gssize n = g_input_stream_read (input, data, wanted, NULL, &transfer->error);

      pace_spend (transfer->pace, n);

      if (n < 0)
        break;
      if (n == 0)
        {
          g_set_error_literal (&transfer->error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                               "The upload ended before all of it came");
          break;
        }

      if (!write_all (fd, data, (gsize) n, &transfer->error))
        break;

      gnutls_hash (transfer->checksum, data, (size_t) n);
      if (transfer->head->len < HEAD_BYTES)
        g_byte_array_append (transfer->head, data, (guint) MIN ((gsize) n, HEAD_BYTES - transfer->head->len));
      upload_follow_text (transfer, data, (gsize) n);
      remaining -= (guint64) n;
    }

  if (transfer->n_carry > 0)
    transfer->is_text = FALSE;

out:
  if (fd >= 0 && close (fd) != 0 && transfer->error == NULL)
    g_set_error (&transfer->error, G_IO_ERROR, g_io_error_from_errno (errno),
                 "Cannot save the upload: %s", g_strerror (errno));

  g_main_context_invoke (transfer->context, transfer->done, transfer);

  return NULL;
}

static gpointer
download_thread (gpointer user_data)
{
  Transfer *transfer = user_data;
  int socket_fd = g_socket_get_fd (transfer->socket);
  off_t offset = (off_t) transfer->offset;
  guint64 remaining = transfer->count;

  thread_step_aside ();
  if (!transfer_send (transfer, transfer->headers, strlen (transfer->headers)))
    goto out;

  if (tertulia_socket_get_tls (transfer->socket) != NULL)
    {
      download_through_tls (transfer);
      goto out;
    }

  while (remaining > 0)
    {
      gsize wanted = pace_wait (transfer->pace, (gsize) MIN (remaining, SENDFILE_CHUNK));
      ssize_t n = sendfile (socket_fd, transfer->fd, &offset, wanted);

      pace_spend (transfer->pace, n);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno == EAGAIN && wait_writable (socket_fd))
        continue;
      if (n <= 0)
        {
          g_set_error_literal (&transfer->error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                               "The download stopped");
          break;
        }
      remaining -= (guint64) n;
    }

out:
  g_main_context_invoke (transfer->context, transfer->done, transfer);

  return NULL;
}

gboolean
_tertulia_transfer_start (TertuliaFiles *files,
                          Transfer      *transfer)
{
  g_autoptr(GThread) thread = NULL;
  g_autoptr(GError) error = NULL;

  transfer->files = files;
  transfer->pace = g_atomic_rc_box_acquire (files->pace);
  transfer->context = g_main_context_ref_thread_default ();
  g_socket_set_timeout (transfer->socket, STALL_SECONDS);
  g_ptr_array_add (files->transfers, transfer);

  thread = g_thread_try_new (transfer->upload ? "tertulia-upload" : "tertulia-download",
                             transfer->upload ? upload_thread : download_thread,
                             transfer, &error);
  if (thread == NULL)
    {
      g_warning ("Cannot start a thread for a file transfer: %s", error->message);
      g_ptr_array_remove (files->transfers, transfer);
      return FALSE;
    }

  return TRUE;
}

/* Back on the main thread: FALSE if the server is gone */
gboolean
_tertulia_transfer_finish (Transfer *transfer)
{
  if (transfer->files == NULL)
    return FALSE;

  g_ptr_array_remove (transfer->files->transfers, transfer);
  return TRUE;
}

void
_tertulia_files_stop (TertuliaFiles *files)
{
  for (guint i = 0; i < files->transfers->len; i++)
    {
      Transfer *transfer = g_ptr_array_index (files->transfers, i);

      /* Its thread's read or write fails now; it frees itself */
      transfer->files = NULL;
      g_socket_shutdown (transfer->socket, TRUE, TRUE, NULL);
      if (transfer->upload)
        g_unlink (transfer->part_path);
    }
  g_ptr_array_set_size (files->transfers, 0);
}

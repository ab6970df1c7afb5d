/* tertulia-test-ws.h — a WebSocket client written by hand, for hostile tests
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

/* A guest that writes every frame byte by byte (RFC 6455): it can send what
 * no well-behaved library would (fragments that never end, binary frames,
 * invalid UTF-8, 5 MB at once) and stop reading when it likes. It talks to
 * 127.0.0.1 only.
 *
 * Every wait has a timeout. With @pump, waiting iterates the default main
 * context, for a TertuliaServer living in the test's own process.
 */

#define TEST_WS_OP_CONTINUATION 0x0
#define TEST_WS_OP_TEXT         0x1
#define TEST_WS_OP_BINARY       0x2
#define TEST_WS_OP_CLOSE        0x8
#define TEST_WS_OP_PING         0x9
#define TEST_WS_OP_PONG         0xa

typedef struct
{
  int         fd;
  gboolean    pump;
  GByteArray *in;
  /* Answer pings (a live peer does; a dead one does not) */
  gboolean    auto_pong;

  gboolean    closed;        /* a close frame came, or the connection ended */
  gushort     close_code;    /* 0 when it ended without a close frame */
  char       *close_reason;
  gboolean    write_failed;  /* the host cut the connection while we wrote */
  guint64     bytes_read;
} TestWs;

/* Connects and upgrades; fails the test unless the host answers 101. With
 * @rcvbuf > 0, the socket's receive buffer is made that small first (a
 * slow reader's window).
 */
TestWs     *test_ws_connect        (guint          port,
                                    gboolean       pump,
                                    int            rcvbuf);
/* Connects and sends the upgrade; returns the HTTP status of the answer. */
guint       test_ws_try_connect    (guint          port,
                                    gboolean       pump,
                                    TestWs       **out);
/* The same from the loopback address @from (such as "127.0.0.2"), or
 * from any if NULL
 */
guint       test_ws_try_connect_from (guint        port,
                                      gboolean     pump,
                                      const char  *from,
                                      TestWs     **out);
void        test_ws_free           (TestWs        *ws);
/* The upgrade request test_ws_connect() sends */
char       *test_ws_upgrade_request (guint         port);
/* A plain TCP connection (non-blocking once connected), from @from or
 * any loopback address if NULL
 */
int         test_raw_connect       (guint          port,
                                    const char    *from);

/* The header of a client's frame of @length bytes, masked with @mask:
 * writes at most 14 bytes to @header and returns how many.
 */
gsize       test_ws_frame_header   (guint8        *header,
                                    guint8         opcode,
                                    gboolean       fin,
                                    gsize          length,
                                    const guint8  *mask);

/* Masked, as a client must; @fin FALSE leaves a message unfinished. */
void        test_ws_send_frame     (TestWs        *ws,
                                    guint8         opcode,
                                    gboolean       fin,
                                    const void    *data,
                                    gsize          length);
void        test_ws_send_text      (TestWs        *ws,
                                    const char    *text);

/* The next text message (answering pings on the way), or NULL when the
 * connection closed or nothing came within @timeout_ms.
 */
char       *test_ws_read_text      (TestWs        *ws,
                                    guint          timeout_ms);
/* Reads text messages until one holds "type":"@type" (and, when @needle is
 * not NULL, also contains @needle); NULL on close or timeout.
 */
char       *test_ws_read_until     (TestWs        *ws,
                                    const char    *type,
                                    const char    *needle,
                                    guint          timeout_ms);
/* Reads (and drops) everything until the connection closes; FALSE if it
 * did not within @timeout_ms.
 */
gboolean    test_ws_wait_closed    (TestWs        *ws,
                                    guint          timeout_ms);
/* Reads whatever is there now without waiting */
void        test_ws_drain          (TestWs        *ws);

/* Does the upgrade and a hello, and waits for the welcome (returned). */
char       *test_ws_join           (TestWs        *ws,
                                    const char    *hello);

/* The value of a string member in a frame, or NULL */
char       *test_json_get_string   (const char    *json,
                                    const char    *member);

/* Whether memory figures mean anything: not under ASan, whose quarantine
 * keeps freed memory (and tertulia-server is built with it too).
 */
gboolean    test_rss_is_meaningful (void);

/* The port tertulia-server says it opened the room on, in its output at
 * @log_path; fails the test after 10 seconds
 */
guint       test_server_wait_for_port (const char *log_path);
/* A GSpawnChildSetupFunc: the child dies with the test */
void        test_die_with_parent   (gpointer       user_data);
/* Open file descriptors of process @pid */
guint       test_proc_n_fds        (GPid           pid);

/* VmRSS and VmHWM of process @pid, in KiB */
guint64     test_proc_rss_kib      (GPid           pid);
guint64     test_proc_hwm_kib      (GPid           pid);

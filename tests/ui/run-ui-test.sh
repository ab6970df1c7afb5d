#!/bin/sh
# run-ui-test.sh — runs one UI test in a real X server (Xvfb) with a private
# D-Bus session bus, optionally with a mock notification daemon on it.
#
# Copyright 2026 The Tertulia developers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: run-ui-test.sh [--notification-daemon] TEST [ARGS…]
#
# Prints a TAP skip when a tool the test needs is missing, so that nothing
# passes silently; CI installs them all.

set -u

daemon=no
if [ "${1:-}" = "--notification-daemon" ]; then
  daemon=yes
  shift
fi

skip () {
  echo "1..0 # SKIP $1"
  exit 0
}

# Inside Xvfb and the private bus (see the end of this file).
if [ "${TERTULIA_UI_TEST_INNER:-}" = 1 ]; then
  mock_pid=
  if [ "$daemon" = yes ]; then
    /usr/bin/python3 -m dbusmock --template notification_daemon >/dev/null 2>&1 &
    mock_pid=$!
    tries=0
    until gdbus call --session --dest org.freedesktop.DBus \
            --object-path /org/freedesktop/DBus \
            --method org.freedesktop.DBus.NameHasOwner org.freedesktop.Notifications \
            2>/dev/null | grep -q true; do
      tries=$((tries + 1))
      if [ $tries -gt 100 ]; then
        echo "Bail out! the mock notification daemon did not start"
        kill "$mock_pid" 2>/dev/null
        exit 1
      fi
      sleep 0.1
    done
  fi

  # Xvfb starts its pointer at the middle of the screen, over whatever
  # window a test opens at the top left; every new window under it starts
  # a tooltip's timer, and GTK 4.8's timer reads the window's surface even
  # after the test closed it (a Gdk critical, fatal in tests). Nobody's
  # pointer rests there: it goes to the far corner, off every window.
  if command -v xdotool >/dev/null 2>&1; then
    xdotool mousemove 1279 799 2>/dev/null
  fi

  # Under `meson test --setup=valgrind`, the test program (not this script,
  # nor Xvfb) runs under valgrind.
  ${TERTULIA_VALGRIND:-} "$@"
  status=$?

  if [ -n "$mock_pid" ]; then
    kill "$mock_pid" 2>/dev/null
    wait "$mock_pid" 2>/dev/null
  fi
  exit $status
fi

command -v xvfb-run >/dev/null 2>&1 || skip "xvfb-run not installed"
command -v dbus-run-session >/dev/null 2>&1 || skip "dbus-run-session not installed"
if [ "$daemon" = yes ]; then
  command -v gdbus >/dev/null 2>&1 || skip "gdbus not installed"
  [ -x /usr/bin/python3 ] || skip "/usr/bin/python3 not installed"
  /usr/bin/python3 -c 'import dbusmock' 2>/dev/null || skip "python3-dbusmock not installed"
fi

# GTK 4 talks to the accessibility bus on its own (NO_AT_BRIDGE is for
# GTK 3); the private session bus has none, so keep it out of the tests.
export GTK_A11Y=none
# The desktop's portals are not on the private bus either.
export ADW_DISABLE_PORTAL=1
export GDK_BACKEND=x11
export TERTULIA_UI_TEST_INNER=1

if [ "$daemon" = yes ]; then
  set -- --notification-daemon "$@"
fi

# What the app keeps (hosted rooms, its archive) goes to a directory of the
# test's own, never to the user's, and is gone afterwards.
data_home=$(mktemp -d "${TMPDIR:-/tmp}/tertulia-ui-test.XXXXXX") || exit 1
trap 'rm -rf "$data_home"' EXIT
export XDG_DATA_HOME="$data_home/data"
export XDG_STATE_HOME="$data_home/state"
export XDG_CACHE_HOME="$data_home/cache"

xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
  dbus-run-session -- "$0" "$@"
exit $?

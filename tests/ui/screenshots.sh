#!/bin/sh
# screenshots.sh — redraws data/screenshots/*.png from a scripted room
#
# Copyright 2026 The Tertulia developers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: tests/ui/screenshots.sh BUILDDIR [OUTDIR]
# Needs xvfb-run and dbus-run-session, like the UI tests.

set -eu

build=$(cd "$1" && pwd)
out=${2:-$(dirname "$0")/../../data/screenshots}
mkdir -p "$out"
out=$(cd "$out" && pwd)

ninja -C "$build" tests/ui/tertulia-screenshot-scene

scene=$build/tests/ui/tertulia-screenshot-scene

# What the scenes keep (hosted rooms, the archive) goes to a directory of
# their own, never to the user's.
data_home=$(mktemp -d "${TMPDIR:-/tmp}/tertulia-screenshots.XXXXXX")
trap 'rm -rf "$data_home"' EXIT
export XDG_DATA_HOME="$data_home/data"
export XDG_STATE_HOME="$data_home/state"
export XDG_CACHE_HOME="$data_home/cache"

export GSETTINGS_BACKEND=memory
export GSETTINGS_SCHEMA_DIR=$build/data
export GTK_A11Y=none
export ADW_DISABLE_PORTAL=1
export GDK_BACKEND=x11
export LC_ALL=C.UTF-8
export LANGUAGE=
export TERTULIA_SERVER=$build/src/tools/tertulia-server
# The scene plays the network on a bus of its own; should anything miss it,
# it finds no Avahi rather than the real one.
export DBUS_SYSTEM_BUS_ADDRESS=unix:path=/nonexistent/tertulia-screenshots-have-no-system-bus

shot () {
  xvfb-run -a -s "-screen 0 1600x1200x24 -nolisten tcp" \
    dbus-run-session -- "$scene" "$@" 2>/dev/null
}

# The start page, and a busy room, at 1000 and at 360 px, light and dark.
shot --start --width 1000 --height 760 -o "$out/start.png"
shot --start --dark --width 1000 --height 760 -o "$out/start-dark.png"
shot --start --width 360 --height 720 -o "$out/start-narrow.png"
shot --width 1000 --height 700 -o "$out/chat.png"
shot --dark --width 1000 --height 700 -o "$out/chat-dark.png"
shot --width 360 --height 720 -o "$out/chat-narrow.png"
shot --dark --width 360 --height 720 -o "$out/chat-narrow-dark.png"
shot --width 360 --height 720 --participants -o "$out/chat-narrow-participants.png"
# A message's menu with its quick reactions; replying, at phone width.
shot --menu --width 1000 --height 700 -o "$out/chat-menu.png"
shot --reply --width 360 --height 720 -o "$out/chat-narrow-reply.png"
# Rooms found on the network, and the Share popover with its QR code.
shot --start --lan --width 1000 --height 760 -o "$out/start-lan.png"
shot --share --share-hosts 192.168.1.20,fd00::20 --width 1000 --height 760 -o "$out/share.png"
# Moderation: a participant's menu, and a private conversation.
shot --participant-menu --width 1000 --height 700 -o "$out/participant-menu.png"
shot --participant-menu --width 360 --height 720 -o "$out/participant-menu-narrow.png"
shot --private --width 1000 --height 700 -o "$out/private.png"
shot --private --width 360 --height 720 -o "$out/private-narrow.png"
shot --room-settings --width 480 --height 560 -o "$out/room-settings.png"
shot --room-settings --bans --width 360 --height 560 -o "$out/banned-people-narrow.png"
# A guest's window: muted, and removed by the host.
shot --guest muted --width 360 --height 720 -o "$out/guest-muted-narrow.png"
shot --guest removed --width 360 --height 720 -o "$out/guest-removed-narrow.png"

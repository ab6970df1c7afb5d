#!/bin/sh
# screenshots.sh — redraws data/screenshots/{start,chat}-LANGUAGE.png
#
# Copyright 2026 The Tertulia developers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: tests/i18n/screenshots.sh BUILDDIR [OUTDIR] [LANGUAGE…]
# (languages: es pt_BR by default; pt works too). Needs xvfb-run and
# dbus-run-session, like the UI tests; uses the catalogs compiled from
# po/*.po in BUILDDIR, not installed ones.

set -eu

build=$(cd "$1" && pwd)
out=${2:-$(dirname "$0")/../../data/screenshots}
mkdir -p "$out"
out=$(cd "$out" && pwd)
shift
[ $# -gt 0 ] && shift
languages=${*:-es pt_BR}

targets=tests/i18n/tertulia-screenshot-language
for lang in $languages; do
  targets="$targets tests/i18n/$lang.mo"
done
# shellcheck disable=SC2086
ninja -C "$build" $targets

scene=$build/tests/i18n/tertulia-screenshot-language

export GSETTINGS_BACKEND=memory
export GSETTINGS_SCHEMA_DIR=$build/data
export GTK_A11Y=none
export ADW_DISABLE_PORTAL=1
export GDK_BACKEND=x11
# glibc honours LANGUAGE in any locale but "C".
export LC_ALL=C.UTF-8
export DBUS_SYSTEM_BUS_ADDRESS=unix:path=/nonexistent/tertulia-screenshots-have-no-system-bus

shot () {
  xvfb-run -a -s "-screen 0 1600x1200x24 -nolisten tcp" \
    dbus-run-session -- "$scene" "$@" 2>/dev/null
}

for lang in $languages; do
  export LANGUAGE=$lang
  shot --mo "$build/tests/i18n/$lang.mo" --start --width 1000 --height 760 -o "$out/start-$lang.png"
  shot --mo "$build/tests/i18n/$lang.mo" --width 1000 --height 700 -o "$out/chat-$lang.png"
done

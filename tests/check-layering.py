#!/usr/bin/python3
# tests/check-layering.py — the core's parts include only what they may.
# Prints TAP.
#
# Copyright 2026 The Tertulia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: check-layering.py SOURCE_ROOT
#
# The build already refuses most wrong includes (a part sees only the
# headers of the parts it depends on), but a header path typed by hand
# ("../server/tertulia-server.h") or a system include of GTK would get
# through; this reads every #include under src/core and src/tools and
# checks it against the rules docs/ARCHITECTURE.md states.

import os
import re
import sys

# What each part of src/core may include, besides itself.
ALLOWED = {
    'util': set(),
    'protocol': {'util'},
    'model': {'protocol', 'util'},
    'store': {'protocol', 'util'},
    'server': {'store', 'protocol', 'util'},
    'client': {'model', 'protocol', 'util'},
    'lan': {'server', 'protocol', 'util'},
    'archive': {'model', 'protocol', 'util'},
}

# Headers generated at build time, and the part that makes each.
GENERATED = {
    'tertulia-protocol-enums.h': 'protocol',
    'tertulia-model-enums.h': 'model',
    'tertulia-client-enums.h': 'client',
    'tertulia-lan-enums.h': 'lan',
    'tertulia-web-resources.h': 'server',
}

# Nothing in the core or the terminal tools may pull in a toolkit.
GUI_INCLUDE = re.compile(r'^(gtk|gdk|gsk|adwaita|libadwaita|pango|cairo)\b')
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.MULTILINE)


def main():
    root = sys.argv[1]
    core = os.path.join(root, 'src', 'core')

    owner = {}
    for part in ALLOWED:
        for name in os.listdir(os.path.join(core, part)):
            owner[name] = part
    owner.update(GENERATED)

    sources = []
    for part in sorted(ALLOWED):
        for name in sorted(os.listdir(os.path.join(core, part))):
            if name.endswith(('.c', '.h')):
                sources.append((part, os.path.join(core, part, name)))
    extra = sorted(set(os.listdir(core)) - set(ALLOWED) - {'meson.build'})
    tools = os.path.join(root, 'src', 'tools')
    for name in sorted(os.listdir(tools)):
        if name.endswith(('.c', '.h')):
            sources.append(('tools', os.path.join(tools, name)))

    problems = []
    if extra:
        problems.append('src/core holds something outside the parts: ' + ', '.join(extra))
    for part, path in sources:
        rel = os.path.relpath(path, root)
        with open(path, encoding='utf-8') as f:
            text = f.read()
        for kind, target in INCLUDE.findall(text):
            if kind == '<':
                if GUI_INCLUDE.match(target):
                    problems.append(f'{rel} includes <{target}>: the core and the tools never use GTK')
                continue
            if '/' in target:
                problems.append(f'{rel} includes "{target}" by a path: name the header, and let meson say which parts it sees')
                continue
            if target == 'config.h' or part == 'tools':
                continue
            other = owner.get(target)
            if other is None:
                problems.append(f'{rel} includes "{target}", which no part of src/core has')
            elif other != part and other not in ALLOWED[part]:
                problems.append(f'{rel} ({part}) includes "{target}" ({other})')

    print('1..2')
    print(f'ok 1 - read {len(sources)} files of src/core and src/tools')
    if problems:
        print('not ok 2 - every include follows the layering')
        for problem in problems:
            print('# ' + problem)
        return 1
    print('ok 2 - every include follows the layering')
    return 0


if __name__ == '__main__':
    sys.exit(main())

#!/usr/bin/python3
# tests/data/test-flatpak-manifest.py — the Flatpak manifest parses, names the
# right app, command and runtime, asks for no more permissions than Tertulia
# needs, pins every download and builds Tertulia with meson. Prints TAP.
#
# Copyright 2026 The Tertulia developers
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import json
import os
import re
import sys

# Network to host and join, IPC and a display for GTK, the GPU for GTK's
# renderer, and the system Avahi daemon for LAN discovery. Nothing else.
FINISH_ARGS = {
    '--share=network',
    '--share=ipc',
    '--socket=wayland',
    '--socket=fallback-x11',
    '--device=dri',
    '--system-talk-name=org.freedesktop.Avahi',
}


class Tap:
    def __init__(self):
        self.count = 0
        self.failed = 0

    def ok(self, passed, description, diagnostic=None):
        self.count += 1
        print('{} {} - {}'.format('ok' if passed else 'not ok', self.count, description))
        if not passed:
            self.failed += 1
            if diagnostic:
                for line in str(diagnostic).splitlines():
                    print('# ' + line)

    def finish(self):
        print('1..{}'.format(self.count))
        return 1 if self.failed else 0


def meson_options(path):
    with open(path, encoding='utf-8') as f:
        return set(re.findall(r"option\(\s*'([^']+)'", f.read()))


def all_sources(modules):
    for module in modules:
        if not isinstance(module, dict):
            continue
        for source in module.get('sources', []):
            if isinstance(source, dict):
                yield module.get('name', '?'), source
        yield from all_sources(module.get('modules', []))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--manifest', required=True)
    parser.add_argument('--app-id', required=True)
    parser.add_argument('--source-root', required=True)
    parser.add_argument('--meson-options', required=True)
    args = parser.parse_args()

    tap = Tap()
    try:
        with open(args.manifest, encoding='utf-8') as f:
            manifest = json.load(f)
        tap.ok(isinstance(manifest, dict), 'the manifest parses as a JSON object')
    except (OSError, ValueError) as e:
        tap.ok(False, 'the manifest parses as a JSON object', e)
        print('Bail out! nothing to check in an unreadable manifest')
        return 1

    app_id = manifest.get('app-id', manifest.get('id'))
    tap.ok(app_id == args.app_id, 'the app id is ' + args.app_id, 'app id: {!r}'.format(app_id))
    tap.ok(os.path.basename(args.manifest) == args.app_id + '.json',
           'the manifest is named after the app id', args.manifest)
    tap.ok(manifest.get('command') == 'tertulia', 'the command is tertulia',
           'command: {!r}'.format(manifest.get('command')))
    tap.ok(manifest.get('runtime') == 'org.gnome.Platform', 'the runtime is org.gnome.Platform',
           'runtime: {!r}'.format(manifest.get('runtime')))
    tap.ok(manifest.get('sdk') == 'org.gnome.Sdk', 'the SDK is org.gnome.Sdk',
           'sdk: {!r}'.format(manifest.get('sdk')))
    version = manifest.get('runtime-version')
    # A stable GNOME branch is a bare major number; "master" or "nightly"
    # would build on a runtime that changes under the app.
    tap.ok(isinstance(version, str) and re.fullmatch(r'[0-9]+', version) is not None,
           'the runtime version is a stable GNOME branch',
           'runtime-version: {!r}'.format(version))

    finish_args = manifest.get('finish-args', [])
    tap.ok(len(finish_args) == len(set(finish_args)) and set(finish_args) == FINISH_ARGS,
           'finish-args are exactly what Tertulia needs',
           'extra: {}\nmissing: {}'.format(sorted(set(finish_args) - FINISH_ARGS),
                                           sorted(FINISH_ARGS - set(finish_args))))

    modules = manifest.get('modules', [])
    sources = list(all_sources(modules))
    unpinned = ['{}: {}'.format(name, source.get('url'))
                for name, source in sources
                if source.get('type') in ('archive', 'file') and 'url' in source
                and not (str(source['url']).startswith('https://')
                         and re.fullmatch(r'[0-9a-f]{64}', str(source.get('sha256', '')))
                         is not None)]
    tap.ok(not unpinned, 'every download is over https and pinned by sha256', '\n'.join(unpinned))
    tap.ok(any(isinstance(m, dict) and 'qrencode' in m.get('name', '') for m in modules),
           'libqrencode, which the runtime lacks, is built as a module')

    tertulia = modules[-1] if modules and isinstance(modules[-1], dict) else {}
    tap.ok(tertulia.get('name') == 'tertulia', 'the last module is tertulia',
           'last module: {!r}'.format(tertulia.get('name')))
    tap.ok(tertulia.get('buildsystem') == 'meson', 'tertulia builds with meson',
           'buildsystem: {!r}'.format(tertulia.get('buildsystem')))

    manifest_dir = os.path.dirname(os.path.abspath(args.manifest))
    dirs = [os.path.realpath(os.path.join(manifest_dir, s.get('path', '')))
            for s in tertulia.get('sources', [])
            if isinstance(s, dict) and s.get('type') == 'dir']
    tap.ok(dirs == [os.path.realpath(args.source_root)],
           'tertulia builds from this source tree', 'dir sources: {}'.format(dirs))

    opts = tertulia.get('config-opts', [])
    tap.ok('-Dtests=false' in opts, 'tertulia is configured without its test suite',
           'config-opts: {}'.format(opts))
    known = meson_options(args.meson_options)
    unknown = [o for o in opts
               if o.startswith('-D') and o[2:].split('=', 1)[0] not in known]
    tap.ok(not unknown, "every -D option is one of meson_options.txt's",
           'unknown: {}'.format(unknown))

    return tap.finish()


if __name__ == '__main__':
    sys.exit(main())

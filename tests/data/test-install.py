#!/usr/bin/python3
# tests/data/test-install.py — `meson install` into a DESTDIR puts every file
# where GNOME finds it: binaries, desktop entry, metainfo, icons, schema and
# translations. Prints TAP.
#
# Copyright 2026 The Tertulia developers
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import os
import shutil
import struct
import subprocess
import sys
import tempfile

NO_APP_REASON = 'the desktop app is not built (-Dapp=disabled, or no GTK 4/libadwaita)'


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
                for line in diagnostic.splitlines():
                    print('# ' + line)

    def skip(self, description, reason):
        self.count += 1
        print('ok {} - {} # SKIP {}'.format(self.count, description, reason))

    def finish(self):
        print('1..{}'.format(self.count))
        return 1 if self.failed else 0


def read_linguas(path):
    languages = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            languages.extend(line.split())
    return languages


def in_destdir(destdir, path):
    return os.path.join(destdir, path.lstrip('/'))


def check_file(tap, destdir, path, description, executable=False, content_check=None):
    full = in_destdir(destdir, path)
    if not os.path.isfile(full):
        tap.ok(False, description, 'missing: ' + path)
        return None
    if os.path.getsize(full) == 0:
        tap.ok(False, description, 'empty: ' + path)
        return None
    if executable and not os.access(full, os.X_OK):
        tap.ok(False, description, 'not executable: ' + path)
        return None
    with open(full, 'rb') as f:
        data = f.read()
    if content_check is not None:
        problem = content_check(data)
        if problem:
            tap.ok(False, description, '{}: {}'.format(path, problem))
            return None
    tap.ok(True, description)
    return data


def is_mo(data):
    # GNU .mo files start with the magic number in either byte order.
    if len(data) < 4:
        return 'too short for a .mo file'
    magic = struct.unpack('<I', data[:4])[0]
    if magic not in (0x950412de, 0xde120495):
        return 'not a compiled message catalog'
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--meson', required=True)
    parser.add_argument('--build-dir', required=True)
    parser.add_argument('--app-id', required=True)
    parser.add_argument('--bindir', required=True)
    parser.add_argument('--datadir', required=True)
    parser.add_argument('--localedir', required=True)
    parser.add_argument('--linguas', required=True)
    parser.add_argument('--gettext-package', required=True)
    parser.add_argument('--no-app', action='store_true')
    args = parser.parse_args()

    tap = Tap()
    app_id = args.app_id
    languages = read_linguas(args.linguas)
    destdir = tempfile.mkdtemp(prefix='tertulia-install-')
    try:
        # Without --no-rebuild, so that whatever `meson test` did not build
        # for its own tests is built now; this test is not parallel, so no
        # other test runs a binary while ninja relinks it.
        result = subprocess.run(
            [args.meson, 'install', '-C', args.build_dir, '--destdir', destdir, '--quiet'],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        tap.ok(result.returncode == 0, 'meson install --destdir succeeds',
               result.stdout + '\nexit status {}'.format(result.returncode))
        if result.returncode != 0:
            print('Bail out! nothing to check without an install')
            return 1

        bindir = args.bindir
        datadir = args.datadir

        check_file(tap, destdir, os.path.join(bindir, 'tertulia-server'),
                   'the headless host is installed', executable=True)
        check_file(tap, destdir, os.path.join(bindir, 'tertulia-cli'),
                   'the terminal client is installed', executable=True)
        check_file(tap, destdir,
                   os.path.join(datadir, 'glib-2.0', 'schemas', app_id + '.gschema.xml'),
                   'the GSettings schema is installed')

        desktop = os.path.join(datadir, 'applications', app_id + '.desktop')
        metainfo = os.path.join(datadir, 'metainfo', app_id + '.metainfo.xml')
        icon = os.path.join(datadir, 'icons', 'hicolor', 'scalable', 'apps', app_id + '.svg')
        symbolic = os.path.join(datadir, 'icons', 'hicolor', 'symbolic', 'apps',
                                app_id + '-symbolic.svg')

        if args.no_app:
            for description in ('the app is installed',
                                'the desktop entry is installed',
                                'the metainfo is installed',
                                'the app icon is installed',
                                'the symbolic icon is installed'):
                tap.skip(description, NO_APP_REASON)
            for lang in languages:
                tap.skip('the desktop entry is translated into ' + lang, NO_APP_REASON)
                tap.skip('the metainfo is translated into ' + lang, NO_APP_REASON)
        else:
            check_file(tap, destdir, os.path.join(bindir, 'tertulia'),
                       'the app is installed', executable=True)
            desktop_data = check_file(
                tap, destdir, desktop, 'the desktop entry is installed',
                content_check=lambda d: None if b'\nExec=tertulia' in d
                else 'no Exec=tertulia line')
            metainfo_data = check_file(
                tap, destdir, metainfo, 'the metainfo is installed',
                content_check=lambda d: None if ('<id>' + app_id + '</id>').encode() in d
                else 'no <id>' + app_id + '</id>')
            check_file(tap, destdir, icon, 'the app icon is installed',
                       content_check=lambda d: None if b'<svg' in d else 'not an SVG')
            check_file(tap, destdir, symbolic, 'the symbolic icon is installed',
                       content_check=lambda d: None if b'<svg' in d else 'not an SVG')

            # What a Spanish or Portuguese user sees in the app grid and in
            # Software comes from the merged translations.
            for lang in languages:
                key = 'Comment[{}]='.format(lang).encode()
                tap.ok(desktop_data is not None and key in desktop_data,
                       'the desktop entry is translated into ' + lang,
                       'no ' + key.decode() + ' line in ' + desktop)
                tag = '<summary xml:lang="{}">'.format(lang).encode()
                tap.ok(metainfo_data is not None and tag in metainfo_data,
                       'the metainfo is translated into ' + lang,
                       'no ' + tag.decode() + ' in ' + metainfo)

        for lang in languages:
            check_file(tap, destdir,
                       os.path.join(args.localedir, lang, 'LC_MESSAGES',
                                    args.gettext_package + '.mo'),
                       'the {} translation is installed'.format(lang),
                       content_check=is_mo)
    finally:
        shutil.rmtree(destdir, ignore_errors=True)

    return tap.finish()


if __name__ == '__main__':
    sys.exit(main())

#!/usr/bin/python3
# tests/i18n/test-po.py — every translation is complete against the sources
# as they are now, not against the last generated po/tertulia.pot. Prints TAP.
#
# Copyright 2026 The Tertulia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-po.py SOURCE_ROOT
#
# It extracts a fresh template from the files in po/POTFILES.in (with the
# options of meson's i18n 'glib' preset, which makes po/tertulia.pot), merges
# it into a copy of each po/<lang>.po and fails on any message that is
# untranslated or fuzzy there. So a new or changed string fails CI until it
# is translated. It also checks that POTFILES.in lists every source file
# with translatable strings and nothing that does not exist, that each
# language has its plural rule, that mnemonics survive translation, and
# that the translated desktop entry keeps its Keywords lists.

import os
import re
import shutil
import subprocess
import sys
import tempfile

# meson's i18n module, preset 'glib' (mesonbuild/modules/i18n.py), plus the
# -k_ its gettext script adds. Keep them in step.
XGETTEXT_ARGS = [
    '--package-name=tertulia',
    '-k_',
    '--from-code=UTF-8',
    '--add-comments',
    '--keyword=_',
    '--keyword=N_',
    '--keyword=C_:1c,2',
    '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2',
    '--keyword=g_dngettext:2,3',
    '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format',
    '--flag=C_:2:pass-c-format',
    '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format',
    '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format',
    '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format',
    '--flag=g_set_error:4:c-format',
    '--flag=g_markup_printf_escaped:1:c-format',
    '--flag=g_log:3:c-format',
    '--flag=g_print:1:c-format',
    '--flag=g_printerr:1:c-format',
    '--flag=g_printf:1:c-format',
    '--flag=g_fprintf:2:c-format',
    '--flag=g_sprintf:2:c-format',
    '--flag=g_snprintf:3:c-format',
]

# The rules of the GNOME translation teams (and of the CLDR) for the
# languages we ship; a language missing here is only checked by msgfmt.
PLURAL_FORMS = {
    'es': 'nplurals=2; plural=(n != 1);',
    'pt': 'nplurals=2; plural=(n != 1);',
    # Brazilian Portuguese says "0 participante", like French.
    'pt_BR': 'nplurals=2; plural=(n > 1);',
}

# Where translatable strings can be: C and GtkBuilder files under src/,
# and the desktop entry, metainfo and schema under data/. (The web page
# translates itself in src/web/i18n.js.)
SOURCE_PATTERNS = [
    ('src', re.compile(r'.*\.(c|h|ui)$')),
    ('data', re.compile(r'.*\.(desktop\.in|metainfo\.xml\.in|gschema\.xml)$')),
]


class Tap:
    def __init__(self):
        self.count = 0
        self.failed = 0

    def ok(self, passed, description, diagnostics=()):
        self.count += 1
        print('{} {} - {}'.format('ok' if passed else 'not ok', self.count, description))
        if not passed:
            self.failed += 1
            for line in diagnostics:
                for part in str(line).splitlines():
                    print('#   ' + part)
        sys.stdout.flush()

    def done(self):
        print('1..{}'.format(self.count))
        return 1 if self.failed else 0


def read_lines(path):
    with open(path, encoding='utf-8') as f:
        return [l.strip() for l in f
                if l.strip() and not l.lstrip().startswith('#')]


def unquote(s):
    return (s[1:-1].replace('\\"', '"').replace('\\n', '\n')
            .replace('\\t', '\t').replace('\\\\', '\\'))


def parse_po(path):
    """The messages of a .po or .pot, without the obsolete ones: a list of
    dicts with ctxt, id, plural, strs (a list), flags and refs."""
    messages = []
    cur = None
    field = None

    def flush():
        if cur is not None and cur.get('id') is not None:
            messages.append(cur)

    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')

    for line in lines + ['']:
        if not line.strip():
            flush()
            cur, field = None, None
            continue
        if cur is None:
            cur = {'ctxt': None, 'id': None, 'plural': None, 'strs': [],
                   'flags': set(), 'refs': []}
        if line.startswith('#~'):
            cur['id'] = None
            field = None
            continue
        if line.startswith('#,'):
            cur['flags'].update(x.strip() for x in line[2:].split(','))
            continue
        if line.startswith('#:'):
            cur['refs'] += [r.rsplit(':', 1)[0] for r in line[2:].split()]
            continue
        if line.startswith('#'):
            continue
        m = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$', line)
        if m:
            key, value = m.group(1), unquote(m.group(2))
            if key == 'msgctxt':
                cur['ctxt'] = value
                field = 'ctxt'
            elif key == 'msgid':
                cur['id'] = value
                field = 'id'
            elif key == 'msgid_plural':
                cur['plural'] = value
                field = 'plural'
            else:
                cur['strs'].append(value)
                field = 'strs'
            continue
        if line.startswith('"') and field is not None:
            if field == 'strs':
                cur['strs'][-1] += unquote(line)
            else:
                cur[field] += unquote(line)

    return messages


def msgfmt_statistics(path, check):
    """(ok, translated, fuzzy, untranslated, output) for one .po."""
    args = ['msgfmt', '--statistics', '-o', os.devnull, path]
    if check:
        args.insert(1, '-c')
    proc = subprocess.run(args, capture_output=True, text=True,
                          env=dict(os.environ, LC_ALL='C', LANGUAGE=''))
    out = proc.stderr + proc.stdout

    def count(pattern):
        m = re.search(r'(\d+) ' + pattern, out)
        return int(m.group(1)) if m else 0

    return (proc.returncode == 0, count('translated message'),
            count('fuzzy translation'), count('untranslated message'), out)


def mnemonic(text):
    """The mnemonic letter of a GTK label such as "_Host Room", or None."""
    m = re.fullmatch(r'[^_]*_(\w)[^_]*', text)
    return m.group(1) if m else None


def main():
    source_root = os.path.abspath(sys.argv[1])
    po_dir = os.path.join(source_root, 'po')
    tap = Tap()

    for tool in ('xgettext', 'msgmerge', 'msgfmt'):
        if shutil.which(tool) is None:
            print('1..0 # SKIP {} is not installed (Debian: gettext)'.format(tool))
            return 0

    linguas = []
    for line in read_lines(os.path.join(po_dir, 'LINGUAS')):
        linguas += line.split()
    potfiles = read_lines(os.path.join(po_dir, 'POTFILES.in'))

    # POTFILES.in names files that exist, each once.
    missing = [p for p in potfiles if not os.path.isfile(os.path.join(source_root, p))]
    tap.ok(not missing, 'every file in po/POTFILES.in exists',
           ['not found: ' + p for p in missing])
    twice = sorted({p for p in potfiles if potfiles.count(p) > 1})
    tap.ok(not twice, 'po/POTFILES.in names each file once',
           ['listed more than once: ' + p for p in twice])

    with tempfile.TemporaryDirectory(prefix='tertulia-test-po-') as tmp:
        # Which source files have strings: ask xgettext itself, about every
        # file that could have some, and read the references it writes.
        candidates = []
        for top, pattern in SOURCE_PATTERNS:
            for dirpath, dirnames, filenames in os.walk(os.path.join(source_root, top)):
                dirnames.sort()
                for name in sorted(filenames):
                    rel = os.path.relpath(os.path.join(dirpath, name), source_root)
                    if pattern.match(name):
                        candidates.append(rel)
        candidates_list = os.path.join(tmp, 'candidates')
        with open(candidates_list, 'w', encoding='utf-8') as f:
            f.write('\n'.join(candidates) + '\n')
        all_pot = os.path.join(tmp, 'all.pot')
        proc = subprocess.run(['xgettext', '-f', candidates_list, '-D', source_root,
                               '-o', all_pot, '--force-po'] + XGETTEXT_ARGS,
                              capture_output=True, text=True)
        tap.ok(proc.returncode == 0, 'xgettext reads every source file', [proc.stderr])
        with_strings = set()
        if proc.returncode == 0:
            for message in parse_po(all_pot):
                with_strings.update(message['refs'])
        unlisted = sorted(with_strings - set(potfiles))
        tap.ok(not unlisted, 'po/POTFILES.in lists every source file with translatable strings',
               ['has strings but is not listed: ' + p for p in unlisted])

        # A template of the sources as they are now.
        fresh_pot = os.path.join(tmp, 'tertulia.pot')
        listed = [p for p in potfiles if p not in missing]
        potfiles_list = os.path.join(tmp, 'POTFILES')
        with open(potfiles_list, 'w', encoding='utf-8') as f:
            f.write('\n'.join(listed) + '\n')
        proc = subprocess.run(['xgettext', '-f', potfiles_list, '-D', source_root,
                               '-o', fresh_pot, '--force-po'] + XGETTEXT_ARGS,
                              capture_output=True, text=True)
        tap.ok(proc.returncode == 0, 'xgettext makes a template from po/POTFILES.in',
               [proc.stderr])
        if proc.returncode != 0:
            return tap.done()
        n_source = len(parse_po(fresh_pot)) - 1  # not the header
        tap.ok(n_source > 0, 'the sources have translatable strings ({})'.format(n_source))

        for lang in linguas:
            po = os.path.join(po_dir, lang + '.po')
            if not os.path.isfile(po):
                tap.ok(False, 'po/{}.po exists'.format(lang))
                continue

            passed, translated, fuzzy, untranslated, out = msgfmt_statistics(po, True)
            tap.ok(passed and fuzzy == 0 and untranslated == 0,
                   'po/{}.po passes msgfmt -c: {} translated, {} fuzzy, {} untranslated'
                   .format(lang, translated, fuzzy, untranslated), [out])

            # The same file merged with what the sources say today.
            merged = os.path.join(tmp, lang + '.po')
            proc = subprocess.run(['msgmerge', '--quiet', '-o', merged, po, fresh_pot],
                                  capture_output=True, text=True)
            if proc.returncode != 0:
                tap.ok(False, 'msgmerge po/{}.po'.format(lang), [proc.stderr])
                continue
            passed, translated, fuzzy, untranslated, out = msgfmt_statistics(merged, True)
            todo = []
            for message in parse_po(merged)[1:]:
                if 'fuzzy' in message['flags'] or not all(message['strs']):
                    todo.append('{}{}: {}'.format(
                        'fuzzy ' if 'fuzzy' in message['flags'] else '',
                        ', '.join(sorted(set(message['refs']))) or '?',
                        repr(message['id'])))
            tap.ok(passed and not todo and translated == n_source,
                   '{}: all {} strings of the sources are translated ({} fuzzy, {} untranslated)'
                   .format(lang, n_source, fuzzy, untranslated),
                   [out] + todo + ['(ninja tertulia-update-po, then translate them)'])

            messages = parse_po(po)
            header = messages[0]['strs'][0] if messages and messages[0]['id'] == '' else ''
            m = re.search(r'^Plural-Forms:\s*(.*?)\s*$', header, re.M)
            plural = m.group(1) if m else None
            if lang in PLURAL_FORMS:
                tap.ok(plural == PLURAL_FORMS[lang],
                       '{}: Plural-Forms is "{}"'.format(lang, PLURAL_FORMS[lang]),
                       ['it is "{}"'.format(plural)])
            m = re.search(r'^Language:\s*(.*?)\s*$', header, re.M)
            tap.ok(m is not None and m.group(1) == lang,
                   '{}: the header says Language: {}'.format(lang, lang),
                   ['it says "{}"'.format(m.group(1) if m else None)])

            # "_Host Room" must keep exactly one mnemonic.
            lost = []
            for message in messages[1:]:
                if mnemonic(message['id']) is None or not all(message['strs']):
                    continue
                for s in message['strs']:
                    if mnemonic(s) is None:
                        lost.append('{!r} -> {!r}'.format(message['id'], s))
            tap.ok(not lost, '{}: labels with a mnemonic keep one mnemonic'.format(lang), lost)

        # The translated desktop entry, as data/meson.build merges it.
        desktop_in = [p for p in potfiles if p.endswith('.desktop.in')]
        for path in desktop_in:
            merged = os.path.join(tmp, os.path.basename(path)[:-3])
            proc = subprocess.run(['msgfmt', '--desktop', '--template',
                                   os.path.join(source_root, path), '-d', po_dir,
                                   '-o', merged], capture_output=True, text=True)
            if proc.returncode != 0:
                tap.ok(False, 'msgfmt --desktop merges ' + path, [proc.stderr])
                continue
            bad = []
            found = set()
            with open(merged, encoding='utf-8') as f:
                for line in f:
                    m = re.match(r'^Keywords\[([^\]]+)\]=(.*)$', line.rstrip('\n'))
                    if m:
                        found.add(m.group(1))
                        if not m.group(2).endswith(';') or ';;' in m.group(2):
                            bad.append(line.strip())
            absent = [l for l in linguas if l not in found]
            tap.ok(not bad and not absent,
                   '{}: Keywords is translated into {} and every list ends with ";"'
                   .format(os.path.basename(merged), ', '.join(linguas)),
                   bad + ['no Keywords[{}]'.format(l) for l in absent])

    return tap.done()


if __name__ == '__main__':
    sys.exit(main())

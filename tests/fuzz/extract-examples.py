#!/usr/bin/env python3
# extract-examples.py — docs/PROTOCOL.md's JSON examples into the seed corpus
#
# Copyright 2026 The Tertulia developers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Run from anywhere after changing the protocol document; it writes
# tests/fuzz/corpus/doc-NN-TYPE.json for every ```json block (and every
# one-line frame in a `backtick` span) and removes stale doc-* files.

import json
import pathlib
import re

here = pathlib.Path(__file__).resolve().parent
doc = (here.parent.parent / 'docs' / 'PROTOCOL.md').read_text(encoding='utf-8')
corpus = here / 'corpus'

examples = re.findall(r'```json\n(.*?)```', doc, re.S)
examples += [m for m in re.findall(r'`(\{"type":[^`]*\})`', doc)]

for old in corpus.glob('doc-*.json'):
    old.unlink()

for i, text in enumerate(examples):
    try:
        kind = json.loads(text).get('type', 'none')
    except ValueError:
        # Examples with "…" placeholders are not JSON: still good seeds.
        kind = 'broken'
    name = 'doc-%02d-%s.json' % (i, re.sub(r'[^a-z-]', '', kind))
    (corpus / name).write_text(text.strip() + '\n', encoding='utf-8')

print('%d examples' % len(examples))

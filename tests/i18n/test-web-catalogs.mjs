// tests/i18n/test-web-catalogs.mjs — the guest page's translations are complete
//
// Copyright 2026 The Tertulia developers
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Usage: node test-web-catalogs.mjs SOURCE_ROOT. Prints TAP.
//
// The web page translates itself (src/web/i18n.js) instead of using po/,
// so test-po.py cannot see it: here every English string must have a
// Spanish, European Portuguese and Brazilian Portuguese one, with the same
// {parameters} and plural categories, and the viewer's languages must pick
// the right catalog.

import path from 'node:path';
import { pathToFileURL } from 'node:url';

const sourceRoot = process.argv[2];
const { catalogs, pickLanguage, makeTranslator } =
  await import(pathToFileURL(path.join(sourceRoot, 'src', 'web', 'i18n.js')).href);

let count = 0;
let failed = 0;

function ok (passed, description, diagnostics = []) {
  count++;
  console.log(`${passed ? 'ok' : 'not ok'} ${count} - ${description}`);
  if (!passed) {
    failed++;
    for (const line of diagnostics)
      console.log(`#   ${line}`);
  }
}

function params (text) {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');
}

const en = catalogs.en;
const languages = ['es', 'pt', 'pt-BR'];

for (const lang of languages) {
  const catalog = catalogs[lang];
  const problems = [];

  if (catalog === undefined) {
    ok(false, `there is a catalog for ${lang}`);
    continue;
  }

  for (const [key, english] of Object.entries(en)) {
    const translated = catalog[key];

    if (translated === undefined) {
      problems.push(`${key}: missing`);
    } else if (typeof english === 'object') {
      if (typeof translated !== 'object' || typeof translated.other !== 'string') {
        problems.push(`${key}: must be plural, like the English`);
        continue;
      }
      for (const [category, text] of Object.entries(translated)) {
        if (text.trim() === '')
          problems.push(`${key}.${category}: empty`);
        if (params(text) !== params(english.other))
          problems.push(`${key}.${category}: has {${params(text)}}, the English {${params(english.other)}}`);
      }
      // Every plural category the language uses has its own text.
      const rules = new Intl.PluralRules(lang);
      for (const category of rules.resolvedOptions().pluralCategories) {
        if (category !== 'many' && translated[category] === undefined)
          problems.push(`${key}: no "${category}" form`);
      }
    } else if (typeof translated !== 'string' || translated.trim() === '') {
      problems.push(`${key}: empty`);
    } else if (params(translated) !== params(english)) {
      problems.push(`${key}: has {${params(translated)}}, the English {${params(english)}}`);
    }
  }

  for (const key of Object.keys(catalog)) {
    if (!(key in en))
      problems.push(`${key}: not an English key (renamed? a typo?)`);
  }

  ok(problems.length === 0,
     `${lang}: all ${Object.keys(en).length} strings of the page are translated`, problems);
}

// A key written twice in one catalog: JavaScript keeps the last silently,
// which is how a merge can bring back a string that was replaced.
{
  const { readFileSync } = await import('node:fs');
  const source = readFileSync(path.join(sourceRoot, 'src', 'web', 'i18n.js'), 'utf8');
  const problems = [];

  for (const [, name, body] of source.matchAll(/\nconst (\w+) = \{\n([\s\S]*?)\n\};/g)) {
    const seen = new Set();
    for (const [, key] of body.matchAll(/^\s+'([^']+)':/gm)) {
      if (seen.has(key))
        problems.push(`${name}: ${key} twice`);
      seen.add(key);
    }
  }
  ok(problems.length === 0, 'no catalog has a key twice', problems);
}

// What the viewer's browser asks for, and what the page then speaks.
const picks = [
  [['es-ES'], 'es'],
  [['es-MX', 'en'], 'es'],
  [['pt-BR'], 'pt-BR'],
  [['pt-PT'], 'pt'],
  [['pt'], 'pt'],
  [['fr-FR', 'pt-BR'], 'pt-BR'],
  [['de-DE'], 'en'],
  [[], 'en'],
];
for (const [asked, expected] of picks) {
  const got = pickLanguage(asked);
  ok(got === expected, `navigator.languages ${JSON.stringify(asked)} picks ${expected}`,
     [`it picks ${got}`]);
}

// Brazilian Portuguese counts zero as one, like the app's pt_BR.po.
{
  const t = makeTranslator('pt-BR');
  const zero = t('people.button', { n: 0 });
  ok(zero === catalogs['pt-BR']['people.button'].one.replace('{n}', '0'),
     'pt-BR says "0 pessoa", with the singular', [`it says "${zero}"`]);
  const es = makeTranslator('es')('people.button', { n: 0 });
  ok(es === catalogs.es['people.button'].other.replace('{n}', '0'),
     'es says "0 personas", with the plural', [`it says "${es}"`]);
}

console.log(`1..${count}`);
process.exit(failed > 0 ? 1 : 0);

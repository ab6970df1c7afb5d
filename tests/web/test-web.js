/* test-web.js — the browser guest page in a real browser, against a real host
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Starts tertulia-server on a free loopback port, a native core client
 * (web-peer) and Debian's chromium driven by playwright-core, and checks
 * what a guest on a phone would notice. Prints TAP. The browser reaches the
 * host through a small TCP relay so that the test can cut the network
 * under it and watch the page resume.
 */

'use strict';

const fs = require('node:fs');
const path = require('node:path');
const {
  ARTIFACTS, STEP_TIMEOUT, step, assert, assertEqual, sleep, eventually, startPeer,
  startRelayedHost, startForeignSite, upgradeStatus, logTexts, waitForLogText, send, myNick,
  launchBrowser, run,
} = require('./harness.js');

run(async (cleanups) => {
  const { port, relay, guestUrl } = await startRelayedHost(cleanups);
  const base = `http://127.0.0.1:${port}`;

  const browser = await launchBrowser();
  cleanups.unshift(() => browser.close());

  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    locale: 'en-US',
    colorScheme: 'light',
  });
  const page = await context.newPage();
  const dialogs = [];
  const pageErrors = [];
  const cspViolations = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    dialog.dismiss().catch(() => {});
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text()))
      cspViolations.push(msg.text());
  });

  let peer;

  await step('the host serves the page with a strict policy, 404 and 405', async () => {
    const index = await fetch(`${base}/`);
    assertEqual(index.status, 200, 'GET /');
    assertEqual(index.headers.get('content-type'), 'text/html; charset=utf-8', 'index type');
    const csp = index.headers.get('content-security-policy') || '';
    assert(csp.includes("default-src 'none'") && csp.includes("script-src 'self'") &&
           csp.includes("frame-ancestors 'none'"), `weak CSP: ${csp}`);
    assertEqual(index.headers.get('x-content-type-options'), 'nosniff', 'nosniff');
    assert((await index.text()).includes('app.js'), 'index.html loads app.js');

    const script = await fetch(`${base}/app.js`);
    assertEqual(script.status, 200, 'GET /app.js');
    assertEqual(script.headers.get('content-type'), 'text/javascript; charset=utf-8', 'app.js type');
    const style = await fetch(`${base}/style.css`);
    assertEqual(style.headers.get('content-type'), 'text/css; charset=utf-8', 'style.css type');

    const head = await fetch(`${base}/`, { method: 'HEAD' });
    assertEqual(head.status, 200, 'HEAD /');
    assertEqual((await head.text()).length, 0, 'HEAD has no body');

    const missing = await fetch(`${base}/etc/passwd`);
    assertEqual(missing.status, 404, 'unknown path');
    assert(missing.headers.get('content-type').startsWith('text/plain'), '404 is plain text');

    const post = await fetch(`${base}/`, { method: 'POST', body: 'x' });
    assertEqual(post.status, 405, 'POST /');
    assert(/GET/.test(post.headers.get('allow') || ''), 'Allow lists GET');
  });

  await step('WebSocket upgrades from other origins are refused with 403', async () => {
    assertEqual(await upgradeStatus(port, null), 101, 'no Origin (native client)');
    assertEqual(await upgradeStatus(port, base), 101, 'same origin');
    assertEqual(await upgradeStatus(port, `HTTP://127.0.0.1:${port}`), 101, 'scheme case');
    assertEqual(await upgradeStatus(port, 'http://evil.example'), 403, 'foreign origin');
    assertEqual(await upgradeStatus(port, `http://127.0.0.1:${port + 1}`), 403, 'other port');
    assertEqual(await upgradeStatus(port, 'null'), 403, 'opaque origin');
  });

  await step('a native core client joins', async () => {
    peer = startPeer(port, 'luis');
    cleanups.unshift(() => peer.child.stdin.end());
    await peer.waitFor((l) => l === 'READY luis', 'READY luis');
  });

  await step('a browser guest picks a nickname and joins', async () => {
    await page.goto(guestUrl);
    await page.waitForSelector('#nick-overlay[open]', { timeout: STEP_TIMEOUT });
    await page.fill('#nick-input', 'ana');
    await page.click('#nick-submit');
    await page.waitForSelector('#nick-overlay:not([open])', { state: 'attached', timeout: STEP_TIMEOUT });
    await eventually(async () => (await myNick(page)) === 'ana', 'the page says we are ana');
    await eventually(async () =>
      (await page.$$eval('#people-list .person', (n) => n.map((b) => b.dataset.nick))).includes('luis'),
      'luis in the participant list');
    await peer.waitFor((l) => l.startsWith('NOTICE ') && l.includes('ana'), 'a notice that ana joined');
    assertEqual(await page.evaluate(() => localStorage.getItem('tertulia.nick')), 'ana', 'nick remembered');
  });

  await step('the browser guest and the native client talk both ways', async () => {
    await send(page, 'hola desde el navegador');
    await peer.waitFor((l) => l === 'MSG chat ana hola desde el navegador', 'the browser message');
    await page.waitForFunction(() => document.querySelectorAll('#outbox li').length === 0,
                               null, { timeout: STEP_TIMEOUT });
    await waitForLogText(page, 'hola desde el navegador', 'own message delivered into the log');

    peer.say('hola desde la terminal, ana');
    await waitForLogText(page, 'hola desde la terminal, ana', 'the peer message');
    const mention = await page.$$eval('#log li.msg.mention .text', (n) => n.map((x) => x.textContent));
    assert(mention.includes('hola desde la terminal, ana'), 'a message naming ana is highlighted');
    const time = await page.$eval('#log li.msg:last-child time', (t) => t.textContent);
    assert(/\d{1,2}:\d{2}/.test(time), `a timestamp is shown (${time})`);

    await send(page, '/me saluda');
    await peer.waitFor((l) => l === 'MSG action ana saluda', '/me arrives as an action');
  });

  await step('markup from the wire is shown as text and never runs', async () => {
    const evil = '<img src=x onerror=alert(1)>';
    peer.say(evil);
    await waitForLogText(page, evil, 'the markup shows literally');
    await send(page, '<b>negrita</b> <script>alert(2)</script>');
    await peer.waitFor((l) => l === 'MSG chat ana <b>negrita</b> <script>alert(2)</script>',
                       'markup is sent verbatim');
    await waitForLogText(page, '<b>negrita</b> <script>alert(2)</script>', 'own markup shows literally');
    await sleep(500);
    assertEqual(await page.$$eval('#log img, #log b, #log script, #outbox img', (n) => n.length), 0,
                'elements made from messages');
    assertEqual(dialogs.length, 0, 'dialogs opened');
  });

  await step('links are clickable, and only http(s) ones', async () => {
    peer.say('mira https://example.org/a?b=1, y javascript:alert(3) no');
    await waitForLogText(page, 'mira https://example.org/a?b=1, y javascript:alert(3) no', 'link message');
    const links = await page.$$eval('#log li.msg:last-child a', (n) =>
      n.map((a) => ({ href: a.getAttribute('href'), text: a.textContent, rel: a.rel, target: a.target })));
    assertEqual(links.length, 1, 'links in the message');
    assertEqual(links[0].href, 'https://example.org/a?b=1', 'href without the comma');
    assertEqual(links[0].rel, 'noopener noreferrer', 'rel');
    assertEqual(links[0].target, '_blank', 'target');
  });

  await step('slash commands: /topic, /nick, /list, /help, unknown', async () => {
    let mark = peer.mark();
    await send(page, '/topic Final a las 22:00');
    await page.waitForFunction(() => document.getElementById('room-topic').textContent === 'Final a las 22:00',
                               null, { timeout: STEP_TIMEOUT });
    await peer.waitFor((l) => l.startsWith('NOTICE') && l.includes('Final a las 22:00'), 'topic notice', mark);

    mark = peer.mark();
    await send(page, '/nick Ana María');
    await eventually(async () => (await myNick(page)) === 'Ana María', 'renamed in the page');
    await peer.waitFor((l) => l.startsWith('NOTICE') && l.includes('Ana Mar'), 'rename notice', mark);
    assertEqual(await page.evaluate(() => localStorage.getItem('tertulia.nick')), 'Ana María',
                'new nick remembered');
    await send(page, '/nick ana');
    await eventually(async () => (await myNick(page)) === 'ana', 'renamed back');

    await send(page, '/list');
    await page.waitForFunction(() => [...document.querySelectorAll('#log li.notice')]
      .some((n) => n.textContent.includes('luis') && n.textContent.includes('ana')), null, { timeout: STEP_TIMEOUT });

    await send(page, '/help');
    await page.waitForFunction(() => [...document.querySelectorAll('#log li.notice')]
      .some((n) => n.textContent.includes('/nick')), null, { timeout: STEP_TIMEOUT });

    mark = peer.mark();
    await send(page, '/bailar ahora');
    await page.waitForFunction(() => [...document.querySelectorAll('#log li.notice.error')]
      .some((n) => n.textContent.includes('/bailar')), null, { timeout: STEP_TIMEOUT });
    assertEqual(await page.inputValue('#entry'), '/bailar ahora', 'a refused command stays in the entry');
    await page.fill('#entry', '');
    await sleep(300);
    assert(!peer.since(mark).some((l) => l.includes('bailar')), 'an unknown command is not sent');
  });

  await step('after a network drop the page resumes: nothing lost, nothing doubled', async () => {
    /* An echo lost on the way: the host got the message, the page did not
     * hear back before the network went away.
     */
    relay.muted = true;
    await send(page, 'enviado justo antes del corte');
    await peer.waitFor((l) => l === 'MSG chat ana enviado justo antes del corte', 'pre-drop message');
    const mark = peer.mark();
    relay.blocked = true;
    relay.dropAll();
    relay.muted = false;

    await page.waitForSelector('#status.problem:not([hidden])', { timeout: STEP_TIMEOUT });
    const status = await page.textContent('#status-text');
    assert(/Connection lost/.test(status), `status says the connection was lost: ${status}`);

    await send(page, 'escrito sin conexión');
    const pending = await page.$$eval('#outbox li.sending', (n) => n.map((li) => ({
      text: li.querySelector('.text').textContent,
      mark: li.querySelector('.state')?.textContent,
    })));
    assert(pending.some((p) => p.text === 'escrito sin conexión' && /waiting for the connection/.test(p.mark)),
           `offline message says it waits for the connection: ${JSON.stringify(pending)}`);

    peer.say('mientras no estabas');
    await peer.waitFor((l) => l === 'DELIVERED mientras no estabas', 'peer message accepted', mark);

    relay.blocked = false;
    await page.click('#status-button');
    await page.waitForSelector('#status', { state: 'hidden', timeout: STEP_TIMEOUT });
    await waitForLogText(page, 'mientras no estabas', 'the missed message is replayed');
    await page.waitForFunction(() => document.querySelectorAll('#outbox li').length === 0,
                               null, { timeout: STEP_TIMEOUT });
    await peer.waitFor((l) => l === 'MSG chat ana escrito sin conexión', 'the outbox is sent', mark);
    await sleep(500);

    const texts = await logTexts(page);
    for (const text of ['enviado justo antes del corte', 'escrito sin conexión', 'mientras no estabas',
                        'hola desde la terminal, ana']) {
      assertEqual(texts.filter((t) => t === text).length, 1, `copies of "${text}" in the page`);
    }
    const peerCopies = peer.lines.filter((l) => l.startsWith('MSG') &&
      (l.endsWith(' escrito sin conexión') || l.endsWith(' enviado justo antes del corte')));
    assertEqual(peerCopies.length, 2, 'copies the peer saw');
    assert(!peer.since(mark).some((l) => l.startsWith('NOTICE') && l.includes('ana')),
           `the peer saw ana leave or join: ${peer.since(mark).join(' | ')}`);
    assertEqual(await myNick(page), 'ana', 'same nickname after resuming');
  });

  await step('a reload keeps the nickname and shows the history', async () => {
    await page.reload();
    await page.waitForFunction(() => document.querySelector('#people-list .person') !== null,
                               null, { timeout: STEP_TIMEOUT });
    assert(await page.$eval('#nick-overlay', (n) => !n.open), 'no nickname prompt after a reload');
    await eventually(async () => (await myNick(page)) === 'ana', 'still ana after the reload');
    await waitForLogText(page, 'hola desde la terminal, ana', 'history after the reload');
    await waitForLogText(page, '<img src=x onerror=alert(1)>', 'history keeps markup as text');
    const texts = await logTexts(page);
    assertEqual(texts.filter((t) => t === 'mientras no estabas').length, 1, 'history has no duplicates');
    assertEqual(dialogs.length, 0, 'dialogs opened');
  });

  await step('a page from another origin cannot open the WebSocket; the same origin can', async () => {
    const foreign = await startForeignSite(port);
    cleanups.push(() => foreign.close());
    const other = await context.newPage();
    await other.goto(`http://127.0.0.1:${foreign.address().port}/`);
    await other.waitForFunction(() => document.title !== 'waiting', null, { timeout: STEP_TIMEOUT });
    assertEqual(await other.title(), 'refused', 'the foreign page\'s WebSocket');
    await other.close();

    const same = await page.evaluate(() => new Promise((resolve) => {
      const ws = new WebSocket(`ws://${location.host}/ws`, 'tertulia.1');
      ws.onopen = () => {
        ws.close(1000);
        resolve('open');
      };
      ws.onerror = () => resolve('refused');
    }));
    assertEqual(same, 'open', 'the page\'s own WebSocket');
  });

  await step('the page speaks Spanish and both Portuguese from navigator.languages', async () => {
    const expected = {
      'es-ES': ['es', 'Elige un apodo'],
      'pt-BR': ['pt-BR', 'Escolha um apelido'],
      'pt-PT': ['pt', 'Escolhe um nome'],
      'en-GB': ['en', 'Choose a nickname'],
    };
    for (const [locale, [lang, title]] of Object.entries(expected)) {
      const ctx = await browser.newContext({ locale, viewport: { width: 360, height: 640 } });
      const p = await ctx.newPage();
      await p.goto(guestUrl);
      await p.waitForFunction((l) => document.documentElement.lang === l, lang, { timeout: STEP_TIMEOUT });
      assertEqual(await p.textContent('#nick-title'), title, `prompt title for ${locale}`);
      await ctx.close();
    }
  });

  await step('at 360×640 the entry and the send button are on screen and large enough', async () => {
    await page.setViewportSize({ width: 360, height: 640 });
    await page.focus('#entry');
    await sleep(200);
    const box = await page.evaluate(() => {
      const rect = (id) => document.getElementById(id).getBoundingClientRect().toJSON();
      return { entry: rect('entry'), send: rect('send'), people: rect('people-button'),
               scrollWidth: document.documentElement.scrollWidth };
    });
    for (const [name, r] of Object.entries({ entry: box.entry, send: box.send })) {
      assert(r.top >= 0 && r.bottom <= 640 && r.left >= 0 && r.right <= 360,
             `${name} is inside the viewport: ${JSON.stringify(r)}`);
    }
    assert(box.entry.width >= 200, `the entry is wide enough: ${box.entry.width}`);
    for (const [name, r] of Object.entries({ send: box.send, people: box.people }))
      assert(r.width >= 44 && r.height >= 44, `${name} is a 44 px touch target: ${JSON.stringify(r)}`);
    assert(box.scrollWidth <= 360, `no sideways scrolling: ${box.scrollWidth}`);
  });

  await step('a screenshot at 390×844 is saved', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.evaluate(() => document.activeElement?.blur());
    const light = path.join(ARTIFACTS, 'web-390x844.png');
    const dark = path.join(ARTIFACTS, 'web-390x844-dark.png');
    await page.screenshot({ path: light });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: dark });
    await page.emulateMedia({ colorScheme: 'light' });
    for (const file of [light, dark])
      assert(fs.statSync(file).size > 1000, `${file} was written`);
    console.log(`# screenshots: ${light} ${dark}`);
  });

  await step('no script errors and no Content-Security-Policy violations', async () => {
    assertEqual(pageErrors.length, 0, `page errors ${JSON.stringify(pageErrors)}`);
    assertEqual(cspViolations.length, 0, `CSP violations ${JSON.stringify(cspViolations)}`);
  });
});

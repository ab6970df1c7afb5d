/* test-web-a11y.js — the browser guest for everyone: axe-core, a modal prompt,
 * live regions, touch targets, right-to-left text, the manifest and the CSP
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 15, browser cases. axe-core (npm) is injected into the page and
 * must report no violation on the prompt, the chat and the open people
 * drawer, in light and in dark. Screenshots at 360×740 and 1000×700 are
 * saved for a person to look at.
 */

'use strict';

const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const {
  ARTIFACTS, STEP_TIMEOUT, step, assert, assertEqual, sleep, eventually, startServer, startPeer,
  waitForLogText, send, myNick, launchBrowser, run, expectNoViolations,
} = require('./harness.js');

/* A GET with a chosen Host header: resolves to the CSP. */
function cspFor (port, host) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/', headers: { Host: host } }, (res) => {
      res.resume();
      resolve({ status: res.statusCode, csp: res.headers['content-security-policy'] || '' });
    });
    req.on('error', reject);
    req.end();
  });
}

run(async (cleanups) => {
  const { child: server, port } = await startServer({ name: 'Sala de prueba' });
  cleanups.push(() => server.kill('SIGTERM'));
  const base = `http://127.0.0.1:${port}`;
  const peer = startPeer(port, 'luis');
  cleanups.unshift(() => peer.child.kill());
  await peer.waitFor((l) => l === 'READY luis', 'READY luis');
  /* History for the page to replay when it joins. */
  peer.say('antes de que llegaras');
  await peer.waitFor((l) => l === 'DELIVERED antes de que llegaras', 'history');

  const browser = await launchBrowser();
  cleanups.unshift(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'en-US', hasTouch: true });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  /* Records, for every row the log gets, whether it was read out then. */
  await page.addInitScript(() => {
    window.__announced = [];
    document.addEventListener('DOMContentLoaded', () => {
      const scroller = document.getElementById('scroller');
      new MutationObserver((records) => {
        for (const r of records) {
          for (const node of r.addedNodes) {
            if (node.nodeName !== 'LI' || (r.target.id !== 'log' && r.target.id !== 'outbox'))
              continue;
            const live = scroller.getAttribute('aria-busy') !== 'true' &&
              node.closest('[aria-live]')?.getAttribute('aria-live') !== 'off';
            window.__announced.push({ text: node.querySelector?.('.text')?.textContent ?? node.textContent, live });
          }
        }
      }).observe(scroller, { childList: true, subtree: true });
    });
  });

  await step('the host serves a manifest and a touch icon with their types (case 12)', async () => {
    const index = await (await fetch(`${base}/`)).text();
    assert(/rel="manifest" href="manifest.webmanifest"/.test(index), 'index links the manifest');
    assert(/rel="apple-touch-icon" href="apple-touch-icon.png"/.test(index), 'index links the touch icon');
    const manifest = await fetch(`${base}/manifest.webmanifest`);
    assertEqual(manifest.headers.get('content-type'), 'application/manifest+json; charset=utf-8', 'manifest type');
    const json = await manifest.json();
    assert(json.name === 'Tertulia' && json.icons.some((i) => i.type === 'image/png'), 'manifest names an icon');
    const icon = await fetch(`${base}/apple-touch-icon.png`);
    assertEqual(icon.headers.get('content-type'), 'image/png', 'icon type');
    const bytes = Buffer.from(await icon.arrayBuffer());
    assert(bytes.subarray(1, 4).toString() === 'PNG' && bytes.readUInt32BE(16) === 180, 'a 180 px PNG');
  });

  await step('the CSP names the WebSocket origin, and only a plain Host (case 13)', async () => {
    const { csp } = await cspFor(port, `127.0.0.1:${port}`);
    assert(csp.includes(`connect-src 'self' ws://127.0.0.1:${port} wss://127.0.0.1:${port};`), `connect-src: ${csp}`);
    /* The host answers to its own .local name (and refuses names it does
     * not know, against DNS rebinding: test-server covers that).
     */
    const local = `${os.hostname().toLowerCase()}.local:${port}`;
    const named = await cspFor(port, local);
    assert(named.csp.includes(`ws://${local}`), `the host's .local name: ${JSON.stringify(named)}`);
    const ipv6 = await cspFor(port, `[::1]:${port}`);
    assert(ipv6.csp.includes(`ws://[::1]:${port}`), `an IPv6 literal: ${JSON.stringify(ipv6)}`);
    const evil = await cspFor(port, "x; script-src 'unsafe-inline' *");
    assert(!evil.csp.includes('unsafe-inline'), `a hostile Host is not reflected: ${JSON.stringify(evil)}`);
  });

  await step('the nickname prompt is a modal dialog with no axe violations (cases 10, 11)', async () => {
    await page.goto(`${base}/`);
    await page.waitForSelector('#nick-overlay[open]', { timeout: STEP_TIMEOUT });
    assert(await page.$eval('#nick-overlay', (d) => d.matches(':modal')), 'the prompt is modal');
    /* Past the last button Tab may go out to the browser's own controls
     * (the body is then active), never into the chat behind.
     */
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      assert(await page.evaluate(() => !document.getElementById('app').contains(document.activeElement)),
             `Tab ${i + 1} reached ${await page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName)} behind the prompt`);
    }
    await page.keyboard.press('Escape');
    assert(await page.$eval('#nick-overlay', (d) => d.open), 'Escape does not close the join prompt');
    await expectNoViolations(page, 'the nickname prompt');
    await page.screenshot({ path: path.join(ARTIFACTS, 'web-360x740-prompt.png') });
  });

  await step('joining: the replayed history is not read out, and only the log is live (case 11)', async () => {
    await page.fill('#nick-input', 'ana');
    await page.press('#nick-input', 'Enter');
    await eventually(async () => (await myNick(page)) === 'ana', 'joined as ana');
    await waitForLogText(page, 'antes de que llegaras', 'the history');
    peer.say('ya estás aquí');
    await waitForLogText(page, 'ya estás aquí', 'a new message');
    await send(page, 'mi primer mensaje');
    await page.waitForFunction(() => document.querySelectorAll('#outbox li').length === 0, null, { timeout: STEP_TIMEOUT });
    await sleep(200);

    const announced = await page.evaluate(() => window.__announced);
    const said = (text) => announced.filter((a) => a.text === text && a.live).length;
    assertEqual(said('antes de que llegaras'), 0, 'times the replayed message was read out');
    assertEqual(said('ya estás aquí'), 1, 'times a new message was read out');
    assertEqual(said('mi primer mensaje'), 1, 'times our own message was read out');
    const live = await page.evaluate(() => [...document.querySelectorAll('[aria-live]:not([aria-live="off"]), [role="log"], [role="status"], [role="alert"]')]
      .filter((n) => !n.closest('[aria-live="off"]')).map((n) => n.id));
    /* Issue 18: the composer's note (muted, slow mode) and a private
     * conversation's log and note speak too, each only about you.
     * Typing: "ana is typing…", which changes only when who types does
     * (issue 19).
     */
    assert(live.every((id) => ['scroller', 'status', 'nick-error', 'composer-note', 'private-log', 'private-note',
                               'typing'].includes(id)),
           `live regions: ${live}`);
    assert(await page.$eval('#scroller', (s) => s.tabIndex === 0 && s.getAttribute('aria-label') !== null),
           'the log is a labelled focus stop');
  });

  await step('the chat has no axe violations, and the log scrolls from the keyboard (case 10)', async () => {
    await send(page, '/topic Final a las 22:00 en la sala grande del fondo, al lado de la cocina, traed sillas');
    await page.waitForFunction(() => document.getElementById('room-topic').textContent.endsWith('sillas'),
                               null, { timeout: STEP_TIMEOUT });
    for (let i = 0; i < 30; i++)
      peer.say(`relleno ${i}`);
    await waitForLogText(page, 'relleno 29', 'enough to scroll');
    await page.focus('#scroller');
    await page.evaluate(() => { document.getElementById('scroller').scrollTop = 0; });
    await page.keyboard.press('PageDown');
    await eventually(async () => (await page.$eval('#scroller', (s) => s.scrollTop)) > 0, 'PageDown scrolls the log');
    await page.evaluate(() => { document.getElementById('scroller').scrollTop = 1e9; });
    await expectNoViolations(page, 'the chat');
    await page.click('#menu-button');
    await expectNoViolations(page, 'the open menu');
    await page.screenshot({ path: path.join(ARTIFACTS, 'web-360x740-menu.png') });
    await page.keyboard.press('Escape');
  });

  await step('person buttons are named by the nickname; the drawer has no axe violations (cases 10, 11)', async () => {
    await page.click('#people-button');
    await page.waitForSelector('.people-open', { state: 'attached', timeout: STEP_TIMEOUT });
    assertEqual(await page.getByRole('button', { name: 'luis', exact: true }).count(), 1, 'a button named luis');
    await expectNoViolations(page, 'the people drawer');
    await page.screenshot({ path: path.join(ARTIFACTS, 'web-360x740-people.png') });
    await page.keyboard.press('Escape');
  });

  await step('touch: 44 px targets, the whole topic, own messages apart, a stable colour (case 12)', async () => {
    const small = await page.$$eval('button, input, textarea, a', (nodes) => nodes
      .filter((n) => n.getClientRects().length && !n.closest('[hidden], #people:not(.people-open *)') &&
               getComputedStyle(n).visibility !== 'hidden' && n.tagName !== 'A')
      .map((n) => ({ id: n.id || n.className, r: n.getBoundingClientRect() }))
      .filter(({ r }) => r.width < 44 || r.height < 44)
      .map(({ id, r }) => `${id} ${Math.round(r.width)}×${Math.round(r.height)}`));
    assertEqual(small.join(', '), '', 'targets under 44 px');

    const cut = await page.$eval('#room-topic', (n) => n.scrollWidth > n.clientWidth);
    assert(cut, 'the long topic is cut at 360 px to begin with');
    await page.tap('#room-topic');
    const shown = await page.$eval('#room-topic', (n) => ({ cut: n.scrollWidth > n.clientWidth, text: n.textContent, height: n.getBoundingClientRect().height }));
    assert(!shown.cut && shown.text.endsWith('traed sillas'), `a tap shows the whole topic: ${JSON.stringify(shown)}`);
    await page.tap('#room-topic');

    const look = (text) => page.evaluate((t) => {
      const li = [...document.querySelectorAll('#log li.msg')].find((n) => n.querySelector('.text').textContent === t);
      return { bg: getComputedStyle(li).backgroundColor, shadow: getComputedStyle(li).boxShadow,
               color: getComputedStyle(li.querySelector('.nick')).color };
    }, text);
    const mine = await look('mi primer mensaje');
    const theirs = await look('ya estás aquí');
    assert(mine.bg !== theirs.bg || mine.shadow !== theirs.shadow, `own messages look like the others: ${JSON.stringify([mine, theirs])}`);

    await send(page, '/nick Ana María');
    await eventually(async () => (await myNick(page)) === 'Ana María', 'renamed');
    await send(page, 'con otro nombre');
    await waitForLogText(page, 'con otro nombre', 'a message after /nick');
    const renamed = await look('con otro nombre');
    assertEqual(renamed.color, mine.color, 'the colour of our name after /nick');
  });

  await step('leave, rename and help are buttons, not only slash commands (case 12)', async () => {
    await page.click('#menu-button');
    await page.click('#menu-help');
    await page.waitForFunction(() => [...document.querySelectorAll('#log li.notice')].some((n) => n.textContent.includes('/nick')),
                               null, { timeout: STEP_TIMEOUT });
    await page.click('#menu-button');
    await page.click('#menu-rename');
    await page.waitForSelector('#nick-overlay[open]', { timeout: STEP_TIMEOUT });
    await page.fill('#nick-input', 'ana');
    await page.press('#nick-input', 'Enter');
    await eventually(async () => (await myNick(page)) === 'ana', 'renamed from the menu');
    await page.click('#menu-button');
    await page.click('#menu-leave');
    await page.waitForFunction(() => /left the room/.test(document.getElementById('status').textContent),
                               null, { timeout: STEP_TIMEOUT });
    await peer.waitFor((l) => l.startsWith('NOTICE') && l.includes('ana') && /left/.test(l), 'luis sees ana leave');
    await page.click('#status-button');
    await eventually(async () => (await myNick(page)) === 'ana', 'back in the room');
  });

  await step('Arabic and Hebrew read right to left; bidi controls cannot disguise a link (case 7 of 15)', async () => {
    peer.say('مرحبا بالجميع، كيف حالكم؟');
    peer.say('שלום לכולם, מה שלומכם?');
    /* The host refuses bidi overrides and isolates in text (test-protocol);
     * the marks it lets through must not get into a link either.
     */
    peer.say('mira \u200Fhttps://example.org/\u200F y https://example.org/\u200Egro.elgoog fin');
    await waitForLogText(page, 'שלום לכולם, מה שלומכם?', 'the Hebrew message');
    await page.waitForFunction(() => document.querySelectorAll('#log li.msg a').length >= 2, null, { timeout: STEP_TIMEOUT });
    const dirs = await page.$$eval('#log li.msg .text', (nodes) => nodes
      .filter((n) => /[\u0590-\u06ff]/.test(n.textContent)).map((n) => getComputedStyle(n).direction));
    assertEqual(dirs.join(), 'rtl,rtl', 'direction of the Arabic and the Hebrew message');
    const links = await page.$$eval('#log li.msg:last-child a', (nodes) => nodes.map((a) => ({
      text: a.textContent, href: a.href, bidi: getComputedStyle(a).unicodeBidi, dir: getComputedStyle(a).direction })));
    for (const link of links) {
      assert(!/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(link.text), `a bidi control in a link's text: ${JSON.stringify(link)}`);
      assertEqual(new URL(link.text).href, link.href, 'what the link shows is where it goes');
      assert(link.dir === 'ltr' && /isolate/.test(link.bidi), `the link is an isolated ltr run: ${JSON.stringify(link)}`);
    }
  });

  await step('screenshots at 360×740 and 1000×700, light and dark', async () => {
    await page.evaluate(() => document.activeElement?.blur());
    for (const [width, height] of [[360, 740], [1000, 700]]) {
      await page.setViewportSize({ width, height });
      for (const scheme of ['light', 'dark']) {
        await page.emulateMedia({ colorScheme: scheme });
        const file = path.join(ARTIFACTS, `web-${width}x${height}-${scheme}.png`);
        await page.screenshot({ path: file });
        assert(fs.statSync(file).size > 1000, `${file} was written`);
      }
    }
    await page.emulateMedia({ colorScheme: 'light' });
  });

  await step('no script errors', async () => {
    assertEqual(pageErrors.length, 0, `page errors ${JSON.stringify(pageErrors)}`);
  });
});

/* test-web-outages.js — the browser guest through outages, reloads and host restarts
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 13, browser cases: the network goes away (chromium's offline
 * emulation, a link that goes silent), the tab reloads with a message
 * still pending, the host is killed and a new room opens on the same port,
 * a long outbox is flushed. Every case counts each message on both sides:
 * none lost, none doubled, none shown as someone else's.
 */

'use strict';

const path = require('node:path');
const {
  ARTIFACTS, STEP_TIMEOUT, step, assert, assertEqual, sleep, eventually, startServer, startPeer,
  startRelayedHost, logTexts, waitForLogText, send, myNick, launchBrowser, run,
} = require('./harness.js');

/* How many times each of @texts is in the page's log. */
async function copiesInLog (page, texts) {
  const all = await logTexts(page);
  return texts.map((text) => all.filter((t) => t === text).length);
}

function peerCopies (peer, nick, text) {
  return peer.lines.filter((l) => l === `MSG chat ${nick} ${text}`).length;
}

async function statusText (page) {
  return page.$eval('#status', (s) => (s.hidden ? '' : s.textContent.trim()));
}

/* Queues @texts in the composer as fast as a script can. */
async function typeMany (page, texts) {
  await page.evaluate((list) => {
    const entry = document.getElementById('entry');
    const form = document.getElementById('composer');
    for (const text of list) {
      entry.value = text;
      form.requestSubmit();
    }
  }, texts);
}

/* Each case starts from a page in the room on a working network, so that
 * one failing case does not fail the next.
 */
async function healthy (page, context, relay) {
  await context.setOffline(false);
  relay.heal();
  if (await page.$eval('#status-button', (b) => !b.hidden && b.offsetParent !== null).catch(() => false))
    await page.click('#status-button');
  await page.waitForSelector('#status', { state: 'hidden', timeout: STEP_TIMEOUT });
}

/* A step that takes the browser offline brings it back whatever happens,
 * so that each case fails on its own.
 */
async function offlineStep (context, name, fn) {
  await step(name, async () => {
    try {
      await fn();
    } finally {
      await context.setOffline(false);
    }
  });
}

run(async (cleanups) => {
  const host = await startRelayedHost(cleanups);
  const { port, relay, guestUrl } = host;

  const browser = await launchBrowser();
  cleanups.unshift(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US' });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  /* Lets the test reach the page's socket, to spend the host's rate limit
   * behind the page's back.
   */
  await page.addInitScript(() => {
    const Native = window.WebSocket;
    window.__sockets = [];
    window.WebSocket = class extends Native {
      constructor (...args) {
        super(...args);
        window.__sockets.push(this);
      }
    };
  });

  const peers = [];
  const addPeer = async (nick) => {
    const peer = startPeer(port, nick);
    peers.push(peer);
    cleanups.unshift(() => peer.child.kill());
    await peer.waitFor((l) => l === `READY ${nick}`, `READY ${nick}`);
    return peer;
  };
  let luis = await addPeer('luis');

  await step('setup: a browser guest joins next to a native client', async () => {
    await page.goto(guestUrl);
    await page.fill('#nick-input', 'ana');
    await page.click('#nick-submit');
    await eventually(async () => (await myNick(page)) === 'ana', 'the page says we are ana');
    await send(page, 'hola');
    await luis.waitFor((l) => l === 'MSG chat ana hola', 'the first message');
  });

  await offlineStep(context, 'offline shows at once; pending messages say why; back online at once (case 5)', async () => {
    await context.setOffline(true);
    await page.waitForFunction(() => !document.getElementById('status').hidden, null, { timeout: 1000 })
      .catch(() => { throw new Error('no banner within a second of going offline'); });
    assert(/offline/i.test(await statusText(page)), `the banner says offline: ${await statusText(page)}`);
    const count = await page.textContent('#people-count');
    assert(count.trim() !== '2', `the header does not keep showing the old people count: ${count}`);

    await send(page, 'escrito sin red');
    const why = await page.$eval('#outbox li:last-child .state', (n) => n.textContent);
    assert(why !== 'sending…' && /offline|connection/i.test(why), `the pending message says why: ${why}`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'web-offline.png') });

    luis.say('mientras no había red');
    await luis.waitFor((l) => l === 'DELIVERED mientras no había red', 'luis is heard');
    const back = Date.now();
    await context.setOffline(false);
    await page.waitForSelector('#status', { state: 'hidden', timeout: 3000 });
    const took = Date.now() - back;
    await luis.waitFor((l) => l === 'MSG chat ana escrito sin red', 'the pending message arrives');
    await waitForLogText(page, 'mientras no había red', 'the missed message');
    await sleep(300);
    assertEqual(peerCopies(luis, 'ana', 'escrito sin red'), 1, 'copies luis got');
    assertEqual((await copiesInLog(page, ['escrito sin red', 'mientras no había red'])).join(), '1,1',
                'copies in the page');
    assertEqual(await page.textContent('#people-count'), '2', 'people count once back');
    console.log(`# back in the room ${took} ms after the network returned`);
  });

  await step('a link that goes silent is noticed and the message still arrives once (case 5)', async () => {
    await healthy(page, context, relay);
    relay.stallAll();
    await send(page, 'dicho al vacío');
    await luis.waitFor((l) => l === 'MSG chat ana dicho al vacío', 'the message after the silence', 0);
    await page.waitForFunction(() => document.querySelectorAll('#outbox li').length === 0,
                               null, { timeout: STEP_TIMEOUT });
    await sleep(300);
    assertEqual(peerCopies(luis, 'ana', 'dicho al vacío'), 1, 'copies luis got');
    assertEqual((await copiesInLog(page, ['dicho al vacío'])).join(), '1', 'copies in the page');
  });

  await step('back-off stays within a few seconds; a tab shown again retries at once (case 5)', async () => {
    await healthy(page, context, relay);
    relay.blocked = true;
    relay.dropAll();
    /* Watch the countdown for long enough to see the back-off grow. */
    let longest = 0;
    const until = Date.now() + 9000;
    while (Date.now() < until) {
      const match = /(\d+) second/.exec(await statusText(page));
      if (match)
        longest = Math.max(longest, Number(match[1]));
      await sleep(200);
    }
    assert(longest > 0, 'the banner counts down');
    assert(longest <= 5, `the back-off grows to ${longest} s`);
    relay.blocked = false;
    const shown = Date.now();
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await page.waitForSelector('#status', { state: 'hidden', timeout: 1500 });
    console.log(`# longest wait ${longest} s; back ${Date.now() - shown} ms after the tab was shown`);
  });

  await step('a reload with messages pending sends each exactly once (case 3)', async () => {
    await healthy(page, context, relay);
    /* One the host never got, one whose echo was lost. */
    relay.muted = true;
    await send(page, 'eco perdido');
    await luis.waitFor((l) => l === 'MSG chat ana eco perdido', 'the host got it');
    relay.stallAll();
    relay.muted = false;
    await send(page, 'nunca salió');
    assertEqual(await page.$$eval('#outbox li', (n) => n.length), 2, 'two messages pending');

    await page.reload();
    await eventually(async () => (await myNick(page)) === 'ana', 'back as ana after the reload');
    await luis.waitFor((l) => l === 'MSG chat ana nunca salió', 'the pending message after the reload');
    await page.waitForFunction(() => document.querySelectorAll('#outbox li').length === 0,
                               null, { timeout: STEP_TIMEOUT });
    await sleep(500);
    assertEqual(peerCopies(luis, 'ana', 'eco perdido'), 1, 'copies of the echo-lost message luis got');
    assertEqual(peerCopies(luis, 'ana', 'nunca salió'), 1, 'copies of the unsent message luis got');
    assertEqual((await copiesInLog(page, ['eco perdido', 'nunca salió'])).join(), '1,1', 'copies in the page');
  });

  let marta;
  await offlineStep(context, 'the host restarts into a busy room: new ids, a boundary, nothing dropped (cases 1, 2)', async () => {
    await healthy(page, context, relay);
    await context.setOffline(true);
    await send(page, 'escrito con el anfitrión caído');
    for (const peer of peers.splice(0))
      peer.child.kill();
    host.child.kill('SIGKILL');
    await host.child.stopped;

    /* A new room on the same address, busier than the old one by the
     * time the phone comes back; marta gets the id that ana had.
     */
    host.child = (await startServer({ port })).child;
    cleanups.push(() => host.child.kill('SIGKILL'));
    luis = await addPeer('luis');
    marta = await addPeer('marta');
    const said = [];
    for (let i = 1; i <= 16; i++) {
      const text = `nueva sala ${i}`;
      said.push(text);
      (i % 2 ? marta : luis).say(text);
      await (i % 2 ? marta : luis).waitFor((l) => l === `DELIVERED ${text}`, text);
    }

    await context.setOffline(false);
    await luis.waitFor((l) => l === 'MSG chat ana escrito con el anfitrión caído', 'the message typed while down');
    await page.waitForFunction(() => document.querySelectorAll('#outbox li').length === 0,
                               null, { timeout: STEP_TIMEOUT });
    marta.say('después de ana');
    await waitForLogText(page, 'después de ana', 'marta after the restart');
    await sleep(300);

    const copies = await copiesInLog(page, said);
    assert(copies.every((n) => n === 1), `each of the new room's messages once: ${copies.join(',')}`);
    assertEqual(peerCopies(luis, 'ana', 'escrito con el anfitrión caído'), 1, 'copies luis got');
    assertEqual((await copiesInLog(page, ['escrito con el anfitrión caído'])).join(), '1', 'copies in the page');

    const rows = await page.$$eval('#log li', (items) => items.map((li) => ({
      kind: li.dataset.kind, cls: li.className, text: li.querySelector('.text')?.textContent ?? li.textContent,
      nick: li.querySelector('.meta .nick')?.textContent ?? null, author: li.dataset.author ?? null,
    })));
    const boundary = rows.findIndex((r) => /restarted|another room/i.test(r.text));
    assert(boundary >= 0, 'the log shows where the new room starts');
    const firstNew = rows.findIndex((r) => r.text === 'nueva sala 1');
    assert(boundary < firstNew, 'the boundary comes before the new room\'s messages');
    assert(rows.slice(boundary).some((r) => /marta joined/.test(r.text)), 'marta\'s join is shown');

    const others = rows.filter((r) => said.includes(r.text) || r.text === 'después de ana');
    assert(others.every((r) => !/\bown\b/.test(r.cls)), 'no one else\'s message is styled as ours');
    const mine = rows.find((r) => r.text === 'escrito con el anfitrión caído');
    assert(/\bown\b/.test(mine.cls), 'the message typed while down is ours');
    const after = rows.find((r) => r.text === 'después de ana');
    assert(!/\bcontinued\b/.test(after.cls) && after.nick === 'marta',
           `marta's message after ours stands under her own name: ${JSON.stringify(after)}`);
    assert(mine.author !== after.author, 'our row carries our new participant id');
  });

  await offlineStep(context, '120 queued messages are paced: 0 refused, 0 lost, 0 doubled (case 4)', async () => {
    await healthy(page, context, relay);
    const texts = Array.from({ length: 120 }, (_, i) => `cola ${i + 1}`);
    await context.setOffline(true);
    await typeMany(page, texts);
    await context.setOffline(false);
    await eventually(() => texts.every((t) => peerCopies(luis, 'ana', t) >= 1), 'all 120 reach luis', 30000);
    await page.waitForFunction(() => document.querySelectorAll('#outbox li').length === 0,
                               null, { timeout: STEP_TIMEOUT });
    await sleep(500);
    const lost = texts.filter((t) => peerCopies(luis, 'ana', t) === 0).length;
    const doubled = texts.filter((t) => peerCopies(luis, 'ana', t) > 1).length;
    const copies = await copiesInLog(page, texts);
    const refused = await page.$$eval('#log li.failed, #log li.notice.error', (n) => n.length);
    assertEqual(refused, 0, 'refused messages');
    assertEqual(lost, 0, 'lost messages');
    assertEqual(doubled, 0, 'doubled messages');
    assert(copies.every((n) => n === 1), `each once in the page: ${copies.filter((n) => n !== 1).length} wrong`);
  });

  await step('a refused message is sent again with one tap (case 4)', async () => {
    await healthy(page, context, relay);
    await page.waitForFunction(() => window.__sockets.some((s) => s.readyState === 1), null, { timeout: STEP_TIMEOUT });
    /* The host's token bucket is spent by frames the page does not know
     * about, so the next message is refused as rate-limited: 50 frames
     * spend the burst, the rest are refused, fewer than the 50 refusals
     * that count as flooding.
     */
    await sleep(6000);
    await page.evaluate(() => {
      const ws = window.__sockets.filter((s) => s.readyState === 1).pop();
      for (let i = 0; i < 75; i++)
        ws.send('{"type": "x-spend"}');
      /* Typed right after, before the bucket refills. */
      document.getElementById('entry').value = 'rechazado y reenviado';
      document.getElementById('composer').requestSubmit();
    });
    await page.waitForSelector('#log li.failed button.resend', { timeout: STEP_TIMEOUT }).catch(async () => {
      const rows = await page.$$eval('#log li, #outbox li', (n) => n.slice(-6).map((li) => `${li.className}: ${li.textContent}`));
      throw new Error(`no failed row to resend; the log ends with: ${rows.join(' | ')}`);
    });
    await page.screenshot({ path: path.join(ARTIFACTS, 'web-refused.png') });
    await sleep(1500);
    await page.click('#log li.failed button.resend');
    await luis.waitFor((l) => l === 'MSG chat ana rechazado y reenviado', 'the resent message');
    await sleep(500);
    assertEqual(peerCopies(luis, 'ana', 'rechazado y reenviado'), 1, 'copies luis got');
    assertEqual((await copiesInLog(page, ['rechazado y reenviado'])).join(), '1', 'copies in the page');
    assertEqual(await page.$$eval('#log li.failed', (n) => n.length), 0, 'failed rows left');
  });

  await step('a reload that comes back as a new participant still sends once (case 3)', async () => {
    await healthy(page, context, relay);
    relay.muted = true;
    await send(page, 'eco perdido, sin reanudar');
    await luis.waitFor((l) => l === 'MSG chat ana eco perdido, sin reanudar', 'the host got it');
    relay.stallAll();
    relay.muted = false;
    /* As if the tab had been discarded past the resume grace: the page
     * comes back without its token, as someone new.
     */
    await page.evaluate(() => addEventListener('pagehide', () => sessionStorage.removeItem('tertulia.resume')));
    await page.reload();
    await page.waitForFunction(() => document.querySelector('#people-list .person') !== null, null, { timeout: STEP_TIMEOUT });
    await page.waitForFunction(() => document.querySelectorAll('#outbox li').length === 0, null, { timeout: STEP_TIMEOUT });
    await sleep(1500);
    assertEqual(peerCopies(luis, 'ana', 'eco perdido, sin reanudar') +
                luis.lines.filter((l) => /^MSG chat ana-\S+ eco perdido, sin reanudar$/.test(l)).length, 1, 'copies luis got');
    assertEqual((await copiesInLog(page, ['eco perdido, sin reanudar'])).join(), '1', 'copies in the page');
  });

  await step('another room on the same address is named as another room (case 1)', async () => {
    for (const peer of peers.splice(0))
      peer.child.kill();
    host.child.kill('SIGKILL');
    await host.child.stopped;
    host.child = (await startServer({ port, name: 'Otra sala' })).child;
    cleanups.push(() => host.child.kill('SIGKILL'));
    await page.waitForFunction(() => [...document.querySelectorAll('#log li.notice')]
      .some((n) => n.textContent.includes('another room: Otra sala')), null, { timeout: STEP_TIMEOUT });
    assertEqual(await page.textContent('#room-name'), 'Otra sala', 'the header names the new room');
  });

  await step('no script errors', async () => {
    assertEqual(pageErrors.length, 0, `page errors ${JSON.stringify(pageErrors)}`);
  });
});

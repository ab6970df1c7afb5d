/* test-web-restart.js — the browser guest through a host killed and started again on its journal
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 16: a host SIGKILLed mid-chat and started again on the same data
 * directory continues its room. The page resumes as the same participant,
 * shows no new-room boundary, has every message once, and what it typed
 * while the host was down reaches the others once.
 */

'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const {
  STEP_TIMEOUT, step, assert, assertEqual, sleep, eventually, startServer, startPeer,
  logTexts, waitForLogText, send, myNick, launchBrowser, run,
} = require('./harness.js');

function peerCopies (peer, nick, text) {
  return peer.lines.filter((l) => l === `MSG chat ${nick} ${text}`).length;
}

async function copiesInLog (page, text) {
  return (await logTexts(page)).filter((t) => t === text).length;
}

run(async (cleanups) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tertulia-web-restart-'));
  cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  let host = await startServer({ dataDir, name: 'Kept room' });
  const { port } = host;
  cleanups.push(() => host.child.kill('SIGKILL'));

  const browser = await launchBrowser();
  cleanups.unshift(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US' });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));

  const luis = startPeer(port, 'luis');
  cleanups.unshift(() => luis.child.kill());
  await luis.waitFor((l) => l === 'READY luis', 'READY luis');

  let ownAuthor;
  await step('setup: the page and a native client chat in a kept room', async () => {
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.fill('#nick-input', 'ana');
    await page.click('#nick-submit');
    await eventually(async () => (await myNick(page)) === 'ana', 'the page says we are ana');
    await send(page, 'antes de la caída');
    await luis.waitFor((l) => l === 'MSG chat ana antes de la caída', 'the page\'s first message');
    luis.say('luis antes de la caída');
    await waitForLogText(page, 'luis antes de la caída', 'luis\'s first message');
    ownAuthor = await page.$eval('#log li.own', (li) => li.dataset.author);
    assert(ownAuthor, 'our own row carries our participant id');
  });

  await step('the host is SIGKILLed and started again on its journal: the same room, each message once', async () => {
    host.child.kill('SIGKILL');
    await host.child.stopped;
    await page.waitForFunction(() => !document.getElementById('status').hidden, null, { timeout: STEP_TIMEOUT });

    /* Typed while the host is down: it waits in the outbox. */
    await send(page, 'escrito con el anfitrión caído');
    await sleep(300);

    host = await startServer({ port, dataDir, name: 'Kept room' });
    await page.waitForSelector('#status', { state: 'hidden', timeout: STEP_TIMEOUT * 2 });
    await luis.waitFor((l) => l === 'MSG chat ana escrito con el anfitrión caído',
                       'the message typed while the host was down', 0);
    await page.waitForFunction(() => document.querySelectorAll('#outbox li').length === 0,
                               null, { timeout: STEP_TIMEOUT });

    luis.say('luis después');
    await waitForLogText(page, 'luis después', 'luis after the restart');
    await send(page, 'ana después');
    await luis.waitFor((l) => l === 'MSG chat ana ana después', 'ana after the restart');
    await sleep(300);

    for (const text of ['antes de la caída', 'luis antes de la caída', 'escrito con el anfitrión caído',
                        'luis después', 'ana después'])
      assertEqual(await copiesInLog(page, text), 1, `copies of “${text}” in the page`);
    for (const text of ['antes de la caída', 'escrito con el anfitrión caído', 'ana después'])
      assertEqual(peerCopies(luis, 'ana', text), 1, `copies of “${text}” luis got`);

    const texts = await page.$$eval('#log li', (items) => items.map((li) => li.textContent));
    assert(!texts.some((t) => /restarted|another room|different room|opened the room again/i.test(t)),
           `no new-room boundary: ${texts.join(' | ')}`);
    assertEqual(await myNick(page), 'ana', 'still ana, not a newcomer');
    const authors = await page.$$eval('#log li.own', (items) => [...new Set(items.map((li) => li.dataset.author))]);
    assertEqual(authors.join(), ownAuthor, 'every row of ours has the same participant id');
    assertEqual(pageErrors.join(' | '), '', 'errors in the page');
  });
});

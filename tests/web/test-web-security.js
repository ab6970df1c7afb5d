/* test-web-security.js — the browser guest says when its connection is not encrypted
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 20 on the web page: loaded over http:// the page shows a plain
 * notice that others on the network could read the chat, in the reader's
 * language; it can be dismissed (for the rest of the tab's life) and the
 * page works as before around it. Over https:// (the host's own
 * certificate, accepted as a phone's user would) there is no notice.
 */

'use strict';

const {
  step, assert, assertEqual, startServer, waitForLogText, send, launchBrowser, run,
} = require('./harness.js');

const NOTICE_EN = 'This connection is not encrypted: others on this network could read the chat.';
const NOTICE_ES = 'Esta conexión no está cifrada: otras personas en esta red podrían leer el chat.';

async function noticeText (page) {
  return page.evaluate(() => {
    const notice = document.getElementById('security-notice');
    if (!notice || notice.offsetParent === null)
      return null;
    return notice.querySelector('span').textContent;
  });
}

run(async (cleanups) => {
  const { child: server, port } = await startServer({ name: 'Plain' });
  cleanups.push(() => server.kill('SIGTERM'));
  const base = `http://127.0.0.1:${port}`;

  const browser = await launchBrowser();
  cleanups.unshift(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 360, height: 640 }, locale: 'en-US' });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));

  await step('over http:// the page says the chat could be read by others', async () => {
    await page.goto(`${base}/`);
    await page.waitForSelector('#security-notice', { state: 'visible' });
    assertEqual(await noticeText(page), NOTICE_EN, 'the notice');
    assertEqual(await page.getAttribute('#security-notice', 'role'), 'note', 'its role');
    /* In the header, above the log, visible on a phone's screen. */
    const box = await page.locator('#security-notice').boundingBox();
    assert(box && box.y >= 0 && box.y + box.height <= 640 && box.width <= 360,
           `where it is: ${JSON.stringify(box)}`);
  });

  await step('the room works with the notice there', async () => {
    await page.fill('#nick-input', 'zoe');
    await page.press('#nick-input', 'Enter');
    await send(page, 'hola');
    await waitForLogText(page, 'hola', 'own message delivered');
  });

  await step('dismissed, it stays away for the tab, even on reload', async () => {
    const close = page.locator('#security-notice button');
    assertEqual(await close.getAttribute('aria-label'), 'Dismiss', 'the close button\'s name');
    await close.click();
    assertEqual(await page.$('#security-notice'), null, 'gone once dismissed');
    await page.reload();
    await page.waitForSelector('#nick-overlay, #log');
    await page.waitForTimeout(300);
    assertEqual(await page.$('#security-notice'), null, 'not back after a reload');
  });

  await step('in the reader\'s language', async () => {
    const other = await browser.newContext({ viewport: { width: 1000, height: 700 }, locale: 'es-ES' });
    const second = await other.newPage();
    await second.goto(`${base}/`);
    await second.waitForSelector('#security-notice', { state: 'visible' });
    assertEqual(await noticeText(second), NOTICE_ES, 'the notice in Spanish');
    await other.close();
  });

  await step('over https:// there is no notice, and the room works', async () => {
    /* As after accepting the browser's warning about the room's own
     * certificate once.
     */
    const secure = await browser.newContext({ viewport: { width: 360, height: 640 }, locale: 'en-US',
                                              ignoreHTTPSErrors: true });
    const third = await secure.newPage();
    third.on('pageerror', (error) => pageErrors.push(error.message));
    await third.goto(`https://127.0.0.1:${port}/`);
    assertEqual(await third.evaluate(() => location.protocol), 'https:', 'the page\'s scheme');
    await third.fill('#nick-input', 'ana');
    await third.press('#nick-input', 'Enter');
    await send(third, 'cifrado');
    await waitForLogText(third, 'cifrado', 'a message over wss://');
    assertEqual(await third.$('#security-notice'), null, 'no notice over https://');
    await secure.close();
  });

  await step('no script errors', async () => {
    assertEqual(pageErrors.length, 0, `page errors: ${pageErrors.join('; ')}`);
  });
}, 60000);

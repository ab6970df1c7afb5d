/* test-web-runs.js — the browser guest shows a run of joins and leaves as one line
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 15, case 9 on the web page: people coming and going with nothing
 * said between them are one row ("ana and bob joined"), which the log, a
 * live region, reads once for each change, and not at all while the
 * history is replayed.
 */

'use strict';

const {
  STEP_TIMEOUT, step, assert, assertEqual, sleep, eventually, startServer, startPeer,
  waitForLogText, send, launchBrowser, run,
} = require('./harness.js');

/* The texts of the event rows after the last chat row. */
async function eventsAtEnd (page) {
  return page.$$eval('#log li', (rows) => {
    const out = [];
    for (const li of rows) {
      if (li.classList.contains('msg'))
        out.length = 0;
      else if (li.dataset.kind === 'event')
        out.push(li.querySelector('.text').textContent);
    }
    return out;
  });
}

async function waitForEvents (page, expected, message) {
  let last = null;
  await eventually(async () => {
    last = await eventsAtEnd(page);
    return JSON.stringify(last) === JSON.stringify(expected);
  }, message).catch((error) => {
    error.message += `; the log ends with ${JSON.stringify(last)}`;
    throw error;
  });
}

/* Records what the log would read out: each row added, and each new text
 * of a row already there.
 */
function recordAnnouncements () {
  window.__announced = [];
  document.addEventListener('DOMContentLoaded', () => {
    const scroller = document.getElementById('scroller');
    new MutationObserver((records) => {
      const live = scroller.getAttribute('aria-busy') !== 'true';
      for (const r of records) {
        for (const node of r.addedNodes) {
          if (node.nodeName === 'LI' && r.target.id === 'log')
            window.__announced.push({ text: node.querySelector('.text')?.textContent ?? node.textContent, live });
          else if (node.nodeType === Node.TEXT_NODE && r.target.closest?.('#log li'))
            window.__announced.push({ text: node.textContent, live });
        }
      }
    }).observe(scroller, { childList: true, subtree: true, characterData: true });
  });
}

run(async (cleanups) => {
  const { child: server, port } = await startServer({ name: 'Runs' });
  cleanups.push(() => server.kill('SIGTERM'));
  const base = `http://127.0.0.1:${port}`;
  const peers = {};
  const join = async (nick) => {
    peers[nick] = startPeer(port, nick);
    cleanups.unshift(() => peers[nick].child.kill());
    await peers[nick].waitFor((l) => l === `READY ${nick}`, `READY ${nick}`);
  };

  const browser = await launchBrowser();
  cleanups.unshift(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 }, locale: 'en-US' });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.addInitScript(recordAnnouncements);

  await step('the wording of a run, from the page\'s own module', async () => {
    await page.goto(`${base}/`);
    const said = await page.evaluate(async () => {
      const { summarizeRun } = await import('./history.js');
      const run = (spec) => summarizeRun(spec.split(' ').map((e) => ({ kind: e[0] === '-' ? 'leave' : 'join', nick: e.slice(1) })));
      return ['+ana', '+ana +bob', '-ana -bob -cid', '+ana +bob +cid +dan', '+ana -bob', '+ana +ana',
              '+ana +bob -cid', '+ana +bob +cid +dan -eva -fay', '+ana -bob -cid -dan', '-bob +bob',
              '-ana -bob +cid +dan'].map(run);
    });
    assertEqual(JSON.stringify(said), JSON.stringify([
      'ana joined', 'ana and bob joined', 'ana, bob and cid left', 'ana, bob and 2 others joined',
      'ana joined, bob left', 'ana joined', 'ana and bob joined, cid left',
      '4 people joined and 2 people left', '1 person joined and 3 people left', 'bob left, bob joined',
      '2 people left and 2 people joined']), 'summaries');
  });

  await step('joins arriving live grow one row, read out once per change', async () => {
    await page.fill('#nick-input', 'zoe');
    await page.press('#nick-input', 'Enter');
    await send(page, 'hola');
    await waitForLogText(page, 'hola', 'own message delivered');
    await sleep(200);

    await join('bob');
    await waitForEvents(page, ['bob joined'], 'one join');
    await join('cid');
    await waitForEvents(page, ['bob and cid joined'], 'two joins, one row');
    await join('dan');
    await join('eva');
    await waitForEvents(page, ['bob, cid and 2 others joined'], 'four joins, one row');
    peers.bob.child.stdin.end();
    await waitForEvents(page, ['4 people joined and 1 person left'], 'a leave in the same row');
    const title = await page.$eval('#log li.run:last-child', (li) => li.title);
    assertEqual(title, 'bob joined\ncid joined\ndan joined\neva joined\nbob left', 'the row lists each join and leave');

    const announced = await page.evaluate(() => window.__announced.filter((a) => a.live).map((a) => a.text));
    const run = announced.slice(announced.indexOf('bob joined'));
    assertEqual(JSON.stringify(run), JSON.stringify([
      'bob joined', 'bob and cid joined', 'bob, cid and dan joined',
      'bob, cid and 2 others joined', '4 people joined and 1 person left']), 'what the log read out');
  });

  await step('a message ends the run', async () => {
    peers.cid.say('ya');
    await waitForLogText(page, 'ya', 'a message from cid');
    peers.cid.child.stdin.end();
    await waitForEvents(page, ['cid left'], 'a new row after the message');
  });

  await step('the replayed history groups the same way, silently', async () => {
    const other = await browser.newContext({ viewport: { width: 1000, height: 700 }, locale: 'en-US' });
    const second = await other.newPage();
    await second.addInitScript(recordAnnouncements);
    await second.goto(`${base}/`);
    await second.fill('#nick-input', 'yan');
    await second.press('#nick-input', 'Enter');
    await waitForLogText(second, 'ya', 'the history');
    const rows = await second.$$eval('#log li.run', (lis) => lis.map((li) => li.querySelector('.text').textContent));
    assert(rows.includes('4 people joined and 1 person left'), `the replayed runs: ${JSON.stringify(rows)}`);
    const announced = await second.evaluate(() => window.__announced.filter((a) => a.live).map((a) => a.text));
    assert(!announced.some((text) => /people joined|bob joined/.test(text)), `read out on joining: ${JSON.stringify(announced)}`);
    await other.close();
  });

  await step('no script errors', async () => {
    assertEqual(pageErrors.length, 0, `page errors: ${pageErrors.join('; ')}`);
  });
}, 120000);

/* web-history.js — the browser page joining a room with a long history
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 16's web target: joining with 500 events of history shown in
 * < 250 ms at 4× CPU throttling (chromium's Emulation.setCPUThrottlingRate
 * through CDP). The page (src/web, or TERTULIA_WEB_ROOT) is served by
 * tests/web/fake-host.js, whose welcome carries 500, then 2 000 events; the
 * time is from the welcome's message event (a listener added before the
 * page's own) to the first paint after it (requestAnimationFrame, then a
 * task); the host holds the welcome back until the page has said hello
 * and painted its empty state, so the page's own first frame is not
 * counted. One JSON line per history length, the median of several joins,
 * each in a fresh browser context. Run by `tests/bench/run-bench --only
 * web-history`, or by hand with node (needs `npm ci` in tests/web).
 */

'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const WEB_TESTS = path.join(__dirname, '..', 'web');
const NODE_MODULES = process.env.TERTULIA_WEB_NODE_MODULES || path.join(WEB_TESTS, 'node_modules');
const CHROMIUM = process.env.TERTULIA_CHROMIUM || '/usr/bin/chromium';
const { startFakeHost } = require(path.join(WEB_TESTS, 'fake-host.js'));

const RATE = 4;
const TARGET_MS = 250;

function emit (line) {
  console.log(JSON.stringify(line));
}

function median (values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/* In the page before its scripts: a nickname (no prompt), and the clock. */
function measureWelcome () {
  localStorage.setItem('tertulia.nick', 'bench');
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor (...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        if (typeof e.data !== 'string' || !e.data.startsWith('{"type":"welcome"'))
          return;
        const t0 = performance.now();
        requestAnimationFrame(() => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => {
            window.__welcomeMs = performance.now() - t0;
          };
          channel.port2.postMessage(0);
        });
      });
    }
  };
}

async function joinOnce (browser, host) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US' });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: RATE });
    await page.addInitScript(measureWelcome);
    await page.goto(host.url);
    /* The welcome waits until the page has said hello, painted, and had a
     * second to settle.
     */
    while (host.welcomes.length === 0)
      await new Promise((resolve) => setTimeout(resolve, 20));
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 1000))));
    host.sendWelcomes();
    await page.waitForFunction(() => typeof window.__welcomeMs === 'number', null, { timeout: 120000, polling: 100 });
    return await page.evaluate(() => ({
      ms: window.__welcomeMs,
      rows: document.querySelectorAll('#log li').length,
    }));
  } finally {
    await context.close();
  }
}

async function main () {
  if (!fs.existsSync(CHROMIUM)) {
    emit({ scenario: 'web-history', skipped: `${CHROMIUM} is not installed` });
    return;
  }
  let chromium;
  try {
    ({ chromium } = require(path.join(NODE_MODULES, 'playwright-core')));
  } catch {
    emit({ scenario: 'web-history', skipped: `playwright-core is missing: npm ci in ${WEB_TESTS}` });
    return;
  }

  const runs = Number(process.env.TERTULIA_BENCH_RUNS || 5);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    for (const events of [500, 2000]) {
      /* The welcome waits until the page has loaded and painted: what is
       * measured is the history, not the page's first frame.
       */
      const host = await startFakeHost({ events, historyLimit: events, welcomeDelay: 'manual' });
      const times = [];
      let rows = 0;
      try {
        /* One join to warm the browser's caches, not counted. */
        await joinOnce(browser, host);
        for (let i = 0; i < runs; i++) {
          const run = await joinOnce(browser, host);
          times.push(Math.round(run.ms * 10) / 10);
          rows = run.rows;
        }
      } finally {
        await host.close();
      }
      const line = {
        scenario: 'web-history', events, cpu_throttling: RATE, runs, median_ms: median(times),
        min_ms: Math.min(...times), max_ms: Math.max(...times), times_ms: times, rows_in_dom: rows, loadavg: os.loadavg()[0],
        web_root: process.env.TERTULIA_WEB_ROOT || 'src/web',
      };
      if (events === 500) {
        line.target = `joining with 500 events shown in < ${TARGET_MS} ms at ${RATE}x CPU throttling`;
        line.meets_target = line.median_ms < TARGET_MS;
      }
      emit(line);
    }
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  emit({ scenario: 'web-history', error: String(error && error.stack || error).slice(0, 2000) });
  process.exit(1);
});

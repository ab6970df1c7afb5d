/* harness.js — what the browser tests share: TAP, a real host, a core peer, a relay
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');

const CHROMIUM = process.env.TERTULIA_CHROMIUM || '/usr/bin/chromium';
const NODE_MODULES = process.env.TERTULIA_WEB_NODE_MODULES || path.join(__dirname, 'node_modules');
const SERVER = process.env.TERTULIA_SERVER;
const PEER = process.env.TERTULIA_WEB_PEER;
const ARTIFACTS = process.env.TERTULIA_WEB_ARTIFACTS || process.cwd();
const STEP_TIMEOUT = 10000;

/* ------------------------------------------------------------------ TAP */

let count = 0;
let failures = 0;

async function step (name, fn) {
  count += 1;
  try {
    await fn();
    console.log(`ok ${count} - ${name}`);
  } catch (error) {
    failures += 1;
    console.log(`not ok ${count} - ${name}`);
    for (const line of String(error && error.stack || error).split('\n'))
      console.log('# ' + line);
  }
}

function skipAll (reason) {
  console.log(`1..0 # SKIP ${reason}`);
  process.exit(0);
}

function assert (condition, message) {
  if (!condition)
    throw new Error(message);
}

function assertEqual (actual, expected, message) {
  if (actual !== expected)
    throw new Error(`${message}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually (predicate, message, timeout = STEP_TIMEOUT) {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await predicate())
      return;
    if (Date.now() > deadline)
      throw new Error(`timed out: ${message}`);
    await sleep(50);
  }
}

/* -------------------------------------------------------------- helpers */

/* tertulia-server on loopback; @port 0 picks a free one, a given port lets
 * a test open a room again where the last one was.
 */
function startServer ({ port = 0, name = 'Web test', rateLimit = null, dataDir = null, fileLimit = null,
                       roomQuota = null, hostKey = false, history = null } = {}) {
  return new Promise((resolve, reject) => {
    /* --ephemeral: a room started again on the same port is a new room
     * here, and nothing is written to the user's data directory. With
     * @dataDir the room is kept there, and continues when started again.
     */
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--room-name', name,
                  ...(dataDir ? ['--data-dir', dataDir] : ['--ephemeral'])];
    if (rateLimit)
      args.push('--rate-limit', rateLimit);
    if (fileLimit)
      args.push('--file-limit', fileLimit);
    if (roomQuota)
      args.push('--room-quota', roomQuota);
    /* @hostKey: the room's host key is read into the result's `key`, so
     * that a page can join as the host.
     */
    const keyFile = hostKey ? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tertulia-web-')), 'host-key') : null;
    if (keyFile)
      args.push('--host-key-file', keyFile);
    if (history)
      args.push('--history', String(history));
    const child = spawn(SERVER, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = readline.createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error('tertulia-server printed no port')), STEP_TIMEOUT);

    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`tertulia-server exited with ${code}`)));
    child.stopped = new Promise((done) => child.once('exit', done));
    lines.once('line', (line) => {
      clearTimeout(timer);
      const match = /port (\d+)/.exec(line);
      if (!match) {
        reject(new Error(`no port in "${line}"`));
      } else if (keyFile) {
        const key = fs.readFileSync(keyFile, 'utf8').trim();
        fs.rmSync(path.dirname(keyFile), { recursive: true, force: true });
        resolve({ child, port: Number(match[1]), key });
      } else {
        resolve({ child, port: Number(match[1]) });
      }
    });
  });
}

/* The native core client, one event per stdout line (see web-peer.c). */
function startPeer (port, nick) {
  const child = spawn(PEER, [`127.0.0.1:${port}`, nick], { stdio: ['pipe', 'pipe', 'inherit'] });
  const peer = { child, lines: [] };

  readline.createInterface({ input: child.stdout }).on('line', (line) => peer.lines.push(line));
  peer.say = (text) => child.stdin.write(text + '\n');
  peer.mark = () => peer.lines.length;
  peer.since = (mark) => peer.lines.slice(mark);
  peer.waitFor = (predicate, message, from = 0) =>
    eventually(() => peer.lines.slice(from).some(predicate), `web-peer: ${message}`).catch((error) => {
      error.message += `; web-peer printed: ${peer.lines.slice(-8).join(' | ')}`;
      throw error;
    });
  return peer;
}

/* A TCP relay in front of the host: it can drop every connection, refuse
 * new ones (the network is gone), or swallow what the host sends (an echo
 * lost on the way).
 */
function startRelay (port) {
  const relay = { pairs: new Set(), blocked: false, muted: false };

  relay.server = net.createServer((client) => {
    if (relay.blocked) {
      client.destroy();
      return;
    }
    const upstream = net.connect(port, '127.0.0.1');
    const pair = { client, upstream };
    relay.pairs.add(pair);
    client.on('data', (data) => {
      if (pair.websocket === undefined)
        pair.websocket = /^upgrade:\s*websocket/im.test(data.toString('latin1'));
      if (!pair.stalled)
        upstream.write(data);
    });
    upstream.on('data', (data) => {
      if (!relay.muted && !pair.stalled)
        client.write(data);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
      relay.pairs.delete(pair);
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  /* The WebSockets open now go silent both ways without closing, as a
   * Wi-Fi link that died under them; new connections pass.
   */
  relay.stallAll = () => {
    for (const pair of relay.pairs) {
      if (pair.websocket)
        pair.stalled = true;
    }
  };
  /* Back to a working network: nothing blocked, muted or stalled. */
  relay.heal = () => {
    relay.blocked = false;
    relay.muted = false;
    for (const pair of [...relay.pairs]) {
      if (pair.stalled) {
        pair.client.destroy();
        pair.upstream.destroy();
        relay.pairs.delete(pair);
      }
    }
  };
  relay.dropAll = () => {
    for (const { client, upstream } of relay.pairs) {
      client.destroy();
      upstream.destroy();
    }
    relay.pairs.clear();
  };

  return new Promise((resolve) => relay.server.listen(0, '127.0.0.1', () => {
    relay.port = relay.server.address().port;
    resolve(relay);
  }));
}

/* A page on another origin that tries to join the room behind the guest's
 * back.
 */
function startForeignSite (roomPort) {
  const page = `<!doctype html><title>waiting</title><script>
    const ws = new WebSocket('ws://127.0.0.1:${roomPort}/ws', 'tertulia.1');
    ws.onopen = () => { document.title = 'open'; };
    ws.onerror = () => { document.title = 'refused'; };
  </script>`;
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(page);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/* A raw WebSocket upgrade with a chosen Origin: resolves to the status. */
function upgradeStatus (port, origin) {
  return new Promise((resolve, reject) => {
    const headers = {
      Connection: 'Upgrade',
      Upgrade: 'websocket',
      'Sec-WebSocket-Version': '13',
      'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
      'Sec-WebSocket-Protocol': 'tertulia.1',
    };
    if (origin)
      headers.Origin = origin;
    const req = http.request({ host: '127.0.0.1', port, path: '/ws', headers });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', reject);
    req.end();
  });
}

async function logTexts (page) {
  return page.$$eval('#log li.msg .text', (nodes) => nodes.map((n) => n.textContent));
}

async function waitForLogText (page, text, message) {
  await page.waitForFunction(
    (t) => [...document.querySelectorAll('#log li.msg .text')].some((n) => n.textContent === t),
    text, { timeout: STEP_TIMEOUT }).catch(() => {
    throw new Error(`timed out: ${message}`);
  });
}

async function send (page, text) {
  await page.fill('#entry', text);
  await page.press('#entry', 'Enter');
}

async function myNick (page) {
  return page.$eval('#people-list', (list) => {
    for (const button of list.querySelectorAll('button.person')) {
      if (button.querySelector('.badge.you'))
        return button.dataset.nick;
    }
    return null;
  });
}


/* A host behind a relay, both stopped by @cleanups; the page is loaded
 * through the relay so that a test can cut the network under it.
 */
async function startRelayedHost (cleanups, options = {}) {
  const host = await startServer(options);
  cleanups.push(() => host.child.kill('SIGKILL'));
  host.relay = await startRelay(host.port);
  cleanups.push(() => host.relay.server.close());
  cleanups.push(() => host.relay.dropAll());
  host.guestUrl = `http://127.0.0.1:${host.relay.port}/`;
  return host;
}

/* ------------------------------------------------------ accessibility */

/* axe-core (npm), injected into the page. */
const AXE = path.join(NODE_MODULES, 'axe-core', 'axe.min.js');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

async function axeViolations (page) {
  if (!await page.evaluate(() => typeof window.axe === 'object'))
    await page.evaluate(fs.readFileSync(AXE, 'utf8'));
  /* The drawer slides in: let it arrive before colours are measured. */
  await sleep(300);
  const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }), AXE_TAGS);
  return result.violations.map((v) =>
    `${v.id} (${v.impact}): ${v.nodes.slice(0, 4).map((n) => n.target.join(' ') + ' ' + (n.failureSummary || '').split('\n').slice(1, 2).join('')).join(' | ')}`);
}

async function expectNoViolations (page, where) {
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    const violations = await axeViolations(page);
    assert(violations.length === 0, `axe on ${where} (${scheme}): ${violations.join(' ;; ')}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/* Debian's chromium, or a TAP skip when it or playwright-core is missing. */
async function launchBrowser () {
  let chromium;

  if (!fs.existsSync(CHROMIUM))
    skipAll(`${CHROMIUM} is not installed (apt-get install chromium)`);
  try {
    ({ chromium } = require(path.join(NODE_MODULES, 'playwright-core')));
  } catch {
    skipAll(`playwright-core is not installed (npm ci in ${path.dirname(NODE_MODULES)})`);
  }
  if (!SERVER || !PEER)
    skipAll('TERTULIA_SERVER and TERTULIA_WEB_PEER must be set (run from meson test)');

  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/* Runs @body with a list of cleanups, prints the plan and exits. */
async function run (body, budget = 170000) {
  const cleanups = [];
  const watchdog = setTimeout(() => {
    console.log('Bail out! the browser test took too long');
    process.exit(1);
  }, budget);

  try {
    await body(cleanups);
  } catch (error) {
    failures += 1;
    count += 1;
    console.log(`not ok ${count} - setup`);
    for (const line of String(error && error.stack || error).split('\n'))
      console.log('# ' + line);
  } finally {
    for (const cleanup of cleanups) {
      try {
        await cleanup();
      } catch {
        /* best effort */
      }
    }
    clearTimeout(watchdog);
  }

  console.log(`1..${count}`);
  process.exit(failures ? 1 : 0);
}

/* A page's init script (context.addInitScript(sendHostKey, key)): its
 * hello carries the room's host key, so that the page joins as the host.
 * It runs in the browser, so it uses nothing of this file.
 */
function sendHostKey (hostKey) {
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    try {
      const frame = JSON.parse(data);
      if (frame.type === 'hello') {
        frame.host_key = hostKey;
        data = JSON.stringify(frame);
      }
    } catch {
      /* not ours to read */
    }
    return send.call(this, data);
  };
}

module.exports = {
  ARTIFACTS, STEP_TIMEOUT, step, assert, assertEqual, sleep, eventually, startServer, startPeer,
  startRelay, startRelayedHost, startForeignSite, upgradeStatus, logTexts, waitForLogText, send, myNick,
  launchBrowser, run, expectNoViolations, sendHostKey,
};

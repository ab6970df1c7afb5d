/* test-web-files.js — sharing files and pictures from the browser guest page
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two guests in chromium, ana and bea, in a room whose files may be at
 * most 1 KiB: ana sends a picture and a text file, bea sees the picture
 * inline and downloads the file; an HTML page and an SVG with scripts
 * are only ever downloads; a file over the limit is refused with a
 * sentence that says the limit. The host's own page removes a guest's
 * file for everyone; a guest is offered no Remove (until made co-host),
 * and a refusal or a lost connection is said in a sentence. Prints TAP.
 */

'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const {
  ARTIFACTS, STEP_TIMEOUT, step, assert, assertEqual, sleep, eventually, startServer, myNick,
  launchBrowser, run, sendHostKey,
} = require('./harness.js');

const MARKER = 'PWNED-MARKER';

/* A @width × @height PNG, a colour per row: small enough for the 1 KiB limit. */
function makePng (width, height) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++)
      c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf)
      c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'ascii');
    data.copy(out, 8);
    out.writeUInt32BE(crc(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;   /* bit depth */
  header[9] = 2;   /* RGB */
  const rows = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++)
      row.set([40 + Math.floor(y * 180 / height), 110, 220 - Math.floor(y * 120 / height)], 1 + x * 3);
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function join (page, url, nick) {
  await page.goto(url);
  await page.waitForSelector('#nick-overlay[open]', { timeout: STEP_TIMEOUT });
  await page.fill('#nick-input', nick);
  await page.click('#nick-submit');
  await eventually(async () => (await myNick(page)) === nick, `the page says we are ${nick}`);
}

/* The file rows of @page: name, size, picture and link. */
function fileRows (page) {
  return page.$$eval('#log li.file', (rows) => rows.map((li) => {
    const img = li.querySelector('img');
    return {
      id: li.dataset.fileId,
      name: li.querySelector('.file-name')?.textContent ?? null,
      size: li.querySelector('.file-size')?.textContent ?? null,
      href: li.querySelector('a.file-download')?.getAttribute('href') ?? null,
      download: li.querySelector('a.file-download')?.getAttribute('download') ?? null,
      img: img ? { width: img.getAttribute('width'), height: img.getAttribute('height'),
                   natural: img.naturalWidth, loading: img.loading, src: img.getAttribute('src') } : null,
      removed: li.querySelector('.file-removed')?.textContent ?? null,
    };
  }));
}

async function rowNamed (page, name) {
  let row = null;
  await eventually(async () => {
    row = (await fileRows(page)).find((r) => r.name === name) ?? null;
    return row !== null && row.href !== null;
  }, `a row for ${name}`);
  return row;
}

async function errorNotices (page) {
  return page.$$eval('#log li.notice.error', (n) => n.map((li) => li.textContent));
}

run(async (cleanups) => {
  /* The browser first: a skip exits before any host is started. */
  const browser = await launchBrowser();
  cleanups.unshift(() => browser.close());

  const host = await startServer({ name: 'Files', fileLimit: '1K', roomQuota: '4K', hostKey: true });
  cleanups.push(() => host.child.kill('SIGKILL'));
  const base = `http://127.0.0.1:${host.port}`;

  const consoleLines = [];
  const pageErrors = [];
  const newPage = async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 }, locale: 'en-US', colorScheme: 'light', acceptDownloads: true,
    });
    const page = await context.newPage();
    context.on('page', (p) => p.on('console', (m) => consoleLines.push(m.text())));
    page.on('console', (m) => consoleLines.push(m.text()));
    page.on('pageerror', (e) => pageErrors.push(e.message));
    return { context, page };
  };
  const { page: ana } = await newPage();
  const { context: beaContext, page: bea } = await newPage();

  const png = makePng(96, 64);
  const text = Buffer.from('Mapa de la LAN: sala 2, mesa 4.\nContraseña del wifi: tertulia\n', 'utf8');

  await step('both guests join; the page has a labelled file button of 44 px', async () => {
    await join(ana, base + '/', 'ana');
    await join(bea, base + '/', 'bea');
    const button = await ana.$eval('#attach', (b) => {
      const box = b.getBoundingClientRect();
      return { label: b.getAttribute('aria-label'), w: box.width, h: box.height };
    });
    assertEqual(button.label, 'Send a file', 'the button has a label');
    assert(button.w >= 44 && button.h >= 44, `the button is ${button.w}×${button.h}`);
    const input = await ana.$eval('#file-input', (i) => ({ multiple: i.multiple, accept: i.getAttribute('accept') }));
    assert(input.multiple, 'several files at once');
    assertEqual(input.accept, null, 'no accept: phones offer the camera, the gallery and files');
    const chooser = ana.waitForEvent('filechooser', { timeout: STEP_TIMEOUT });
    await ana.click('#attach');
    assert((await chooser).isMultiple(), 'the button opens a chooser for several files');
  });

  await step('the page computes capabilities without crypto.subtle too', async () => {
    const key = 'ab'.repeat(32);
    const [fallback, subtle] = await ana.evaluate(async (k) => {
      const files = await import('/sharing.js');
      return [await files.hmacHex(k, 'deadbeef', null), await files.hmacHex(k, 'deadbeef')];
    }, key);
    const expected = crypto.createHmac('sha256', key).update('deadbeef').digest('hex');
    assertEqual(subtle, expected, 'crypto.subtle');
    assertEqual(fallback, expected, 'the page’s own SHA-256');
    const long = await ana.evaluate(async () =>
      (await import('/sharing.js')).hmacHex('k'.repeat(100), 'x'.repeat(200), null));
    assertEqual(long, crypto.createHmac('sha256', 'k'.repeat(100)).update('x'.repeat(200)).digest('hex'),
                'a long key and message');
  });

  await step('ana sends a photo and a text file at once; bea sees the picture inline and the file', async () => {
    assert(png.length < 1024, `the PNG fits the limit (${png.length} bytes)`);
    await ana.setInputFiles('#file-input', [
      { name: 'foto.png', mimeType: 'image/png', buffer: png },
      { name: 'notas.txt', mimeType: 'text/plain', buffer: text },
    ]);
    const picture = await rowNamed(bea, 'foto.png');
    assert(picture.img, 'the picture is an <img>');
    assertEqual(picture.img.width, '96', 'width attribute from the event');
    assertEqual(picture.img.height, '64', 'height attribute from the event');
    assertEqual(picture.img.loading, 'lazy', 'loaded lazily');
    await eventually(async () => (await rowNamed(bea, 'foto.png')).img.natural === 96, 'the picture decodes');
    assert(/^\/files\/[0-9a-f]{32}\?p=\d+&cap=[0-9a-f]{64}$/.test(picture.img.src), `capability URL ${picture.img.src}`);

    const file = await rowNamed(bea, 'notas.txt');
    assertEqual(file.img, null, 'a text file is no picture');
    assertEqual(file.download, 'notas.txt', 'the link downloads under its name');
    assert(file.size.includes(String(text.length)), `the size is shown (${file.size})`);

    /* The sender sees its own rows, and its upload rows are gone. */
    await rowNamed(ana, 'notas.txt');
    await eventually(async () => (await ana.$$('#outbox li.upload')).length === 0, 'no upload row left');
  });

  await step('the Download link gives bea the very bytes ana sent', async () => {
    const downloading = bea.waitForEvent('download', { timeout: STEP_TIMEOUT });
    await bea.click('#log li.file a.file-download[download="notas.txt"]');
    const download = await downloading;
    assertEqual(download.suggestedFilename(), 'notas.txt', 'suggested name');
    const saved = fs.readFileSync(await download.path());
    assert(saved.equals(text), 'identical bytes');
  });

  await step('the picture opens full screen with Enter and closes with Escape', async () => {
    await bea.focus('#log li.file .picture');
    await bea.keyboard.press('Enter');
    await bea.waitForSelector('#file-viewer[open]', { timeout: STEP_TIMEOUT });
    await eventually(() => bea.$eval('#file-viewer img', (img) => img.complete && img.naturalWidth === 96),
                     'the big picture loads');
    assertEqual(await bea.$eval('#file-viewer .viewer-title', (h) => h.textContent), 'foto.png', 'title');
    assert(await bea.$eval('#file-viewer .viewer-close', (b) => b === document.activeElement),
           'the focus is on Close');
    await bea.screenshot({ path: path.join(ARTIFACTS, 'web-files-viewer.png') });
    await bea.keyboard.press('Escape');
    await bea.waitForSelector('#file-viewer:not([open])', { state: 'attached', timeout: STEP_TIMEOUT });
    assert(await bea.$eval('#log li.file .picture', (b) => b === document.activeElement),
           'the focus is back on the picture');
    await bea.click('#log li.file .picture');
    await bea.waitForSelector('#file-viewer[open]', { timeout: STEP_TIMEOUT });
    await bea.click('#file-viewer .viewer-close');
    await bea.waitForSelector('#file-viewer:not([open])', { state: 'attached', timeout: STEP_TIMEOUT });
    await bea.screenshot({ path: path.join(ARTIFACTS, 'web-files.png') });
  });

  await step('an HTML page and an SVG with scripts are downloads that never run', async () => {
    const html = `<!doctype html><script>window.top.pwned = 1; console.log('${MARKER}')</script>` +
                 `<img src=x onerror="window.top.pwned=2">`;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg"><script>window.top.pwned = 3; ` +
                `console.log('${MARKER}')</script></svg>`;
    await ana.setInputFiles('#file-input', [
      { name: 'trap.html', mimeType: 'text/html', buffer: Buffer.from(html) },
      { name: 'trap.svg', mimeType: 'image/svg+xml', buffer: Buffer.from(svg) },
    ]);

    for (const name of ['trap.html', 'trap.svg']) {
      const row = await rowNamed(bea, name);
      assertEqual(row.img, null, `${name} is not shown as a picture`);

      const response = await fetch(base + row.href);
      assertEqual(response.status, 200, `${name} is served to its capability`);
      assert(/^attachment;/.test(response.headers.get('content-disposition') || ''), `${name} is an attachment`);
      assertEqual(response.headers.get('x-content-type-options'), 'nosniff', `${name} nosniff`);
      assert(/\bsandbox\b/.test(response.headers.get('content-security-policy') || ''), `${name} sandboxed`);
      assert(!/html|svg/.test(response.headers.get('content-type')), `${name} type ${response.headers.get('content-type')}`);

      /* In a frame of the page, and as a tab of its own. */
      await bea.evaluate((href) => {
        const frame = document.createElement('iframe');
        frame.src = href;
        document.body.append(frame);
      }, row.href);
      const tab = await beaContext.newPage();
      const downloading = tab.waitForEvent('download', { timeout: STEP_TIMEOUT }).catch(() => null);
      await tab.goto(base + row.href).catch(() => { /* "Download is starting" */ });
      assert(await downloading, `${name} opened in a tab is a download`);
      await sleep(300);
      assertEqual(await tab.evaluate(() => typeof window.pwned), 'undefined', `${name} ran nothing in its tab`);
      await tab.close();
    }
    await sleep(500);
    assertEqual(await bea.evaluate(() => typeof window.pwned), 'undefined', 'nothing ran in the page');
    assert(!consoleLines.some((l) => l.includes(MARKER)), 'no script logged its marker');
  });

  await step('a file over the limit is refused with the limit, and leaves no row', async () => {
    const big = Buffer.alloc(3000, 0x61);
    await ana.setInputFiles('#file-input', [{ name: 'grande.bin', mimeType: 'application/octet-stream', buffer: big }]);
    await eventually(async () => (await errorNotices(ana)).some((n) => n.includes('grande.bin') && n.includes('1 kB')),
                     'the page says the file is over 1 kB');

    /* And when it travels anyway (a page that did not check first), the
     * host's 413 says the same.
     */
    await ana.evaluate(async () => {
      (await import('/common.js')).state.limits.file_bytes = 1e9;
    });
    await ana.setInputFiles('#file-input', [{ name: 'otro.bin', mimeType: 'application/octet-stream', buffer: big }]);
    await eventually(async () => (await errorNotices(ana)).some((n) => n.includes('otro.bin') &&
                                                                        n.includes('files can be at most')),
                     'the host’s refusal says the file is over the limit').catch(async (error) => {
      error.message += `; the page says: ${(await errorNotices(ana)).join(' | ')}`;
      throw error;
    });
    await ana.evaluate(async () => {
      (await import('/common.js')).state.limits.file_bytes = 1024;
    });
    await sleep(300);
    for (const page of [ana, bea]) {
      const names = (await fileRows(page)).map((r) => r.name);
      assert(!names.includes('grande.bin') && !names.includes('otro.bin'), `no row for a refused file: ${names}`);
    }
    assertEqual((await ana.$$('#outbox li.upload')).length, 0, 'no upload row left');
    const notices = await errorNotices(ana);
    assertEqual(notices.filter((n) => n.includes('otro.bin')).length, 1, 'said once, not twice');
    assert(!notices.some((n) => /error\.|files\./.test(n)), `no untranslated key: ${notices}`);
  });

  await step('files past the room’s quota are refused with the quota; the rest arrive', async () => {
    const names = ['q1.bin', 'q2.bin', 'q3.bin', 'q4.bin'];
    await ana.setInputFiles('#file-input', names.map((name) =>
      ({ name, mimeType: 'application/octet-stream', buffer: Buffer.alloc(1000, 0x62) })));
    /* Each either arrives or is refused, never both; 4 KiB cannot hold them all. */
    const outcome = async () => {
      const rows = (await fileRows(bea)).map((r) => r.name);
      const notices = await errorNotices(ana);
      return names.map((name) => ({
        name,
        row: rows.includes(name),
        refused: notices.filter((n) => n.includes(`“${name}”`)),
      }));
    };
    await eventually(async () => (await outcome()).every((o) => o.row || o.refused.length > 0),
                     'every upload ends');
    await sleep(500);
    const ends = await outcome();
    assert(ends.some((o) => o.refused.length > 0), 'the quota refused one');
    for (const o of ends) {
      assert(!(o.row && o.refused.length), `${o.name} arrived and was refused`);
      for (const notice of o.refused)
        assert(notice.includes('4 kB'), `the refusal names the room’s space: ${notice}`);
    }
    assertEqual((await ana.$$('#outbox li.upload')).length, 0, 'no upload row left');
  });

  await step('an upload cut by the network says the connection was lost', async () => {
    await ana.route('**/files?name=*', (route) => route.abort('connectionreset'));
    await ana.setInputFiles('#file-input', [{ name: 'cortado.txt', mimeType: 'text/plain', buffer: Buffer.from('hola') }]);
    await eventually(async () => (await errorNotices(ana)).includes(
      '“cortado.txt” was not sent: the connection to the room was lost.'), 'the page says the connection was lost');
    await ana.unroute('**/files?name=*');
    assertEqual((await ana.$$('#outbox li.upload')).length, 0, 'no upload row left');
  });

  await step('a cancelled upload leaves no row', async () => {
    /* A file the host would take, cancelled before it is sent. */
    await ana.evaluate(async () => {
      (await import('/common.js')).state.limits.file_bytes = 1e9;
    });
    await ana.evaluate(() => {
      /* Hold the request so that the Cancel button can be pressed. */
      const send = XMLHttpRequest.prototype.send;
      XMLHttpRequest.prototype.send = function (body) {
        this.heldSend = () => send.call(this, body);
        window.heldUpload = this;
      };
    });
    await ana.setInputFiles('#file-input', [{ name: 'cancelado.txt', mimeType: 'text/plain', buffer: Buffer.from('hola') }]);
    await ana.waitForSelector('#outbox li.upload progress', { timeout: STEP_TIMEOUT });
    const label = await ana.$eval('#outbox li.upload .upload-cancel', (b) => b.getAttribute('aria-label'));
    assertEqual(label, 'Cancel sending cancelado.txt', 'the Cancel button names the file');
    await ana.screenshot({ path: path.join(ARTIFACTS, 'web-files-upload.png') });
    await ana.click('#outbox li.upload .upload-cancel');
    await eventually(async () => (await ana.$$('#outbox li.upload')).length === 0, 'the upload row goes');
    await sleep(300);
    assert(!(await fileRows(bea)).some((r) => r.name === 'cancelado.txt'), 'nothing reached bea');
  });

  await step('a late joiner without crypto.subtle (a page on plain http:// from a LAN address) sees the picture', async () => {
    const { context, page: carol } = await newPage();
    await context.addInitScript(() => {
      Object.defineProperty(Crypto.prototype, 'subtle', { get: () => undefined });
    });
    await join(carol, base + '/', 'carol');
    assertEqual(await carol.evaluate(() => typeof crypto.subtle), 'undefined', 'no crypto.subtle');
    const picture = await rowNamed(carol, 'foto.png');
    assert(picture.img, 'the picture from the history is inline');
    await eventually(async () => (await rowNamed(carol, 'foto.png')).img.natural === 96, 'the picture decodes');
    const downloading = carol.waitForEvent('download', { timeout: STEP_TIMEOUT });
    await carol.click('#log li.file a.file-download[download="notas.txt"]');
    assert(fs.readFileSync(await (await downloading).path()).equals(text), 'identical bytes');
    await context.close();
  });

  await step('a guest is offered no Remove, on its own file or another’s; forced, the refusal is said', async () => {
    const offered = (page) => page.$$eval('#log li.file .file-remove', (b) => b.filter((x) => x.offsetParent !== null).length);
    assertEqual(await offered(ana), 0, 'ana, who sent the files, is offered none');
    assertEqual(await offered(bea), 0, 'bea is offered none');
    /* A page that showed it anyway (its role out of date) hears the host's 403. */
    const id = (await rowNamed(bea, 'notas.txt')).id;
    await bea.$eval(`#log li.file[data-file-id="${id}"] .file-remove`, (b) => { b.hidden = false; });
    await bea.click(`#log li.file[data-file-id="${id}"] .file-remove`);
    await bea.click(`#log li.file[data-file-id="${id}"] .file-confirm-yes`);
    await eventually(async () => (await errorNotices(bea)).includes(
      '“notas.txt” was not removed: only the host or a co-host can remove a shared file.'), 'bea is told why');
    assert((await rowNamed(bea, 'notas.txt')).href, 'the file is still there for bea');
    assert((await rowNamed(ana, 'notas.txt')).href, 'and for ana');
    assertEqual(await bea.$$eval(`#log li.file[data-file-id="${id}"] .file-confirm`, (n) => n.length), 0, 'the question is gone');
  });

  await step('the host’s page removes a guest’s file with the keyboard; every page marks it removed', async () => {
    const { context, page: chair } = await newPage();
    await context.addInitScript(sendHostKey, host.key);
    await join(chair, base + '/', 'chair');
    assertEqual(await chair.evaluate(async () => (await import('/common.js')).state.you.role), 'host', 'the page is the host');

    const html = (await rowNamed(chair, 'trap.html')).id;
    const svg = (await rowNamed(chair, 'trap.svg')).id;
    const remove = (id) => `#log li.file[data-file-id="${id}"] .file-remove`;
    const label = await chair.$eval(remove(html), (b) => b.offsetParent !== null && b.getAttribute('aria-label'));
    assertEqual(label, 'Remove trap.html…', 'the host is offered Remove, named for the file');

    /* Lost on the way: the file stays, the page says so. */
    await chair.route('**/files/*', (r) => (r.request().method() === 'DELETE' ? r.abort('connectionreset') : r.continue()));
    await chair.click(remove(svg));
    await chair.click(`#log li.file[data-file-id="${svg}"] .file-confirm-yes`);
    await eventually(async () => (await errorNotices(chair)).includes(
      '“trap.svg” was not removed: the connection to the room was lost.'), 'the page says the connection was lost');
    assert((await rowNamed(bea, 'trap.svg')).href, 'trap.svg stays');
    await chair.unroute('**/files/*');

    /* The keyboard: Enter asks, Escape takes it back, Enter twice removes. */
    await chair.focus(remove(html));
    await chair.keyboard.press('Enter');
    const question = await chair.$eval(`#log li.file[data-file-id="${html}"] .file-confirm`, (box) => ({
      text: box.querySelector('.file-question').textContent,
      focused: document.activeElement.textContent,
    }));
    assertEqual(question.text, 'Remove this file for everyone?', 'the question');
    assertEqual(question.focused, 'Remove for everyone', 'the focus is on the answer');
    await chair.screenshot({ path: path.join(ARTIFACTS, 'web-files-remove.png') });
    await chair.keyboard.press('Escape');
    assertEqual(await chair.$$eval('#log li.file .file-confirm', (n) => n.length), 0, 'Escape closes the question');
    assert(await chair.$eval(remove(html), (b) => b === document.activeElement), 'the focus is back on Remove');
    await chair.keyboard.press('Enter');
    await chair.keyboard.press('Enter');
    for (const [who, page] of [['the host', chair], ['ana', ana], ['bea', bea]]) {
      await eventually(async () => (await fileRows(page)).find((r) => r.id === html)?.removed === 'This file was removed',
                       `${who} sees trap.html removed`);
    }
    assertEqual((await fileRows(bea)).find((r) => r.id === html).href, null, 'nothing left to download');
    assert((await rowNamed(bea, 'trap.svg')).href, 'the other files stay');
    assertEqual((await errorNotices(chair)).filter((n) => n.includes('trap.html')).length, 0, 'no error for it');

    /* Made co-host, bea is offered Remove on the rows already drawn; no longer, it goes. */
    const shown = () => bea.$eval(remove(svg), (b) => b.offsetParent !== null);
    const beaId = await bea.evaluate(async () => (await import('/common.js')).state.you.id);
    const op = (cohost) => chair.evaluate(async ([id, on]) => {
      (await import('/common.js')).state.ws.send(JSON.stringify({ type: 'op', id, cohost: on }));
    }, [beaId, cohost]);
    await op(true);
    await eventually(shown, 'bea, co-host, is offered Remove');
    await op(false);
    await eventually(async () => !(await shown()), 'bea, a guest again, is not');
    await context.close();
  });

  await step('a file-removed event marks the rows and takes the picture and the link away', async () => {
    /* tertulia-server has no host participant to remove a file with: the
     * event is handed to the page's socket as the host would send it. It
     * comes last, since it uses up a seq the host never gave.
     */
    const picture = await rowNamed(bea, 'foto.png');
    await bea.evaluate(async (id) => {
      const { state } = await import('/common.js');
      const frame = { type: 'file-removed', seq: state.lastSeq + 1, time: Date.now(), by: { id: 1, nick: 'host' }, id };
      state.ws.onmessage({ data: JSON.stringify(frame) });
    }, picture.id);
    const row = (await fileRows(bea)).find((r) => r.id === picture.id);
    assertEqual(row.removed, 'This file was removed', 'the row says so');
    assertEqual(row.img, null, 'no picture');
    assertEqual(row.href, null, 'no link');
    assert((await fileRows(bea)).some((r) => r.name === 'notas.txt' && r.href), 'the other files stay');
  });

  await step('no page error', async () => {
    assertEqual(pageErrors.length, 0, `page errors: ${pageErrors.join(' | ')}`);
  });
}, 60000);

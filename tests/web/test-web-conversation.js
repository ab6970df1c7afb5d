/* test-web-conversation.js — replies, reactions, edits, deletions and typing in the page
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 19, the page's side, in chromium via playwright-core: two pages
 * (ana and bob) in a room with a long past, through the message menu with
 * the keyboard and the pointer. A reply quotes its original and jumps to
 * it, also when it is only in scrollback; reactions count and say who;
 * ana edits and deletes her own messages and bob sees it; amendments to
 * messages not loaded yet show when scrollback brings them; a reload draws
 * what was lived; "ana is typing…" comes and goes; a 10 KB emoji is
 * refused in words; nothing from the wire becomes markup.
 */

'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const {
  ARTIFACTS, STEP_TIMEOUT, step, assert, assertEqual, sleep, eventually, launchBrowser, run, send, startPeer,
  startServer,
} = require('./harness.js');
const { startFakeHost } = require('./fake-host.js');

const AXE = path.join(process.env.TERTULIA_WEB_NODE_MODULES || path.join(__dirname, 'node_modules'),
                      'axe-core', 'axe.min.js');

/* Before the page's scripts: a nickname, and the socket for raw frames. */
function recorder (nick) {
  localStorage.setItem('tertulia.nick', nick);
  window.__sent = [];
  window.__typing = [];
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor (...args) {
      super(...args);
      window.__ws = this;
      this.addEventListener('message', (e) => {
        if (typeof e.data === 'string' && e.data.startsWith('{"type":"typing"'))
          window.__typing.push(e.data);
      });
    }

    send (data) {
      window.__sent.push(String(data));
      super.send(data);
    }
  };
}

async function joinPage (context, url, nick) {
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(error.message));
  await page.addInitScript(recorder, nick);
  await page.goto(url);
  await page.waitForFunction(() => document.querySelectorAll('#log li[data-seq]').length > 0, null,
                             { timeout: STEP_TIMEOUT });
  return page;
}

/* What a message row shows: text, quote, reactions, marks. */
async function row (page, seq) {
  return page.evaluate((s) => {
    const li = document.querySelector(`#log li[data-seq="${s}"]`);
    if (!li)
      return null;
    return {
      text: li.querySelector('.text')?.textContent ?? '',
      quote: li.querySelector('.quote')?.textContent ?? null,
      chips: [...li.querySelectorAll('.reaction')].map((c) => `${c.textContent}${c.getAttribute('aria-pressed') === 'true' ? '*' : ''}`),
      titles: [...li.querySelectorAll('.reaction')].map((c) => c.title),
      edited: Boolean(li.querySelector('.edited')),
      deleted: li.classList.contains('deleted'),
      flash: li.classList.contains('flash'),
      inView: (() => {
        const r = li.getBoundingClientRect();
        const s = document.getElementById('scroller').getBoundingClientRect();
        return r.top >= s.top - 1 && r.bottom <= s.bottom + 1;
      })(),
      focused: li === document.activeElement,
      html: li.outerHTML,
    };
  }, seq);
}

async function waitRow (page, seq, predicate, message) {
  let last = null;
  await eventually(async () => {
    last = await row(page, seq);
    return last && predicate(last);
  }, message).catch((error) => {
    error.message += `; row ${seq}: ${JSON.stringify(last && { ...last, html: undefined })}`;
    throw error;
  });
  return last;
}

/* The seq of the newest row whose text is @text. */
async function seqOfText (page, text) {
  let seq = 0;
  await eventually(async () => {
    seq = await page.evaluate((t) => {
      const rows = [...document.querySelectorAll('#log li.msg[data-seq]')]
        .filter((li) => li.querySelector('.text')?.textContent.startsWith(t));
      return rows.length ? Number(rows[rows.length - 1].dataset.seq) : 0;
    }, text);
    return seq > 0;
  }, `a row "${text}" with a seq`);
  return seq;
}

/* Opens message @seq's menu from the keyboard: the log, Enter, arrows. */
async function openMenuByKeyboard (page, seq) {
  await page.focus('#scroller');
  await page.keyboard.press('Enter');
  await eventually(() => page.evaluate(() => document.activeElement?.matches('li.msg')), 'a message focused');
  for (let i = 0; i < 200; i++) {
    const at = await page.evaluate(() => Number(document.activeElement?.dataset.seq));
    if (at === seq)
      break;
    await page.keyboard.press(at > seq ? 'ArrowUp' : 'ArrowDown');
  }
  await page.keyboard.press('Enter');
  await page.waitForSelector('#msg-menu:not([hidden])', { timeout: STEP_TIMEOUT });
}

/* Moves the menu's focus to the item labelled @label and presses Enter. */
async function chooseByKeyboard (page, label) {
  for (let i = 0; i < 40; i++) {
    const current = await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ||
                                              document.activeElement?.textContent);
    if (current === label) {
      await page.keyboard.press('Enter');
      return;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`no menu item "${label}"`);
}

/* Back to the newest rows: the "New messages" button when the window
 * left them, else the end of the log.
 */
async function backToLive (page) {
  if (await page.isVisible('#jump'))
    await page.click('#jump');
  await page.evaluate(() => {
    const s = document.getElementById('scroller');
    s.scrollTop = s.scrollHeight;
  });
}

/* Sends @frame as it is on @page's socket; the log says @sentence. */
async function refusedInWords (page, frame, sentence) {
  await page.evaluate((f) => window.__ws.send(JSON.stringify(f)), frame);
  await eventually(async () => (await page.$$eval('#log li.notice.error', (n) => n.map((x) => x.textContent)))
    .includes(sentence), `"${sentence}"`);
}

async function typingLine (page) {
  return page.evaluate(() => {
    const line = document.getElementById('typing');
    return line && !line.hidden ? line.textContent : '';
  });
}

/* The same with tertulia-server, which keeps its room on disk with a
 * history ring of 50: older messages come from its journal, page by page,
 * with a core client (web-peer) in the room. A screenful of rows keeps the
 * page from loading older ones before it is asked to.
 */
async function realHost (cleanups, desktop, phone) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tertulia-web-conv-'));
  cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const server = await startServer({ name: 'Sala real', dataDir, history: 50 });
  cleanups.push(() => server.child.kill('SIGKILL'));
  const url = `http://127.0.0.1:${server.port}/`;
  const peer = startPeer(server.port, 'pepe');
  cleanups.push(() => peer.child.kill());
  await peer.waitFor((l) => l === 'READY pepe', 'READY pepe');
  for (let i = 1; i <= 30; i++)
    peer.say(`temprano ${i}`);
  for (let i = 1; i <= 70; i++)
    peer.say(`relleno ${i}`);
  await peer.waitFor((l) => l === 'DELIVERED relleno 70', 'the peer\'s 100 messages');

  const dana = await joinPage(desktop, url, 'dana');
  let early = 0;
  let typo = 0;
  let gone = 0;

  await step('real host: dana scrolls back to "temprano 3", answers it and reacts; edits and deletes her own', async () => {
    for (let i = 0; !early; i++) {
      assert(i < 60, '"temprano 3" comes from scrollback');
      await dana.evaluate(() => { document.getElementById('scroller').scrollTop = 0; });
      await sleep(100);
      early = await dana.evaluate(() => {
        const li = [...document.querySelectorAll('#log li.msg[data-seq]')]
          .find((r) => r.querySelector('.text').textContent === 'temprano 3');
        return li ? Number(li.dataset.seq) : 0;
      });
    }
    await openMenuByKeyboard(dana, early);
    await chooseByKeyboard(dana, 'React with 👍');
    await waitRow(dana, early, (r) => r.chips.join() === '👍1*', 'dana: 👍 1 on temprano 3');
    await dana.dispatchEvent(`#log li[data-seq="${early}"]`, 'contextmenu');
    await dana.click('#msg-menu >> text=Reply');
    await dana.fill('#entry', 'respuesta a lo de temprano');
    await dana.press('#entry', 'Enter');
    await peer.waitFor((l) => l.startsWith('MSG chat dana respuesta a lo de temprano'), 'the peer gets the reply');
    await backToLive(dana);
    await send(dana, 'errata aqui');
    typo = await seqOfText(dana, 'errata aqui');
    await waitRow(dana, typo, (r) => r.html.includes('data-seq'), 'echoed');
    await dana.focus('#entry');
    await dana.keyboard.press('ArrowUp');
    await dana.fill('#entry', 'errata aquí');
    await dana.press('#entry', 'Enter');
    await waitRow(dana, typo, (r) => r.text === 'errata aquí edited', 'dana: edited');
    await send(dana, 'bórrame');
    gone = await seqOfText(dana, 'bórrame');
    await dana.dispatchEvent(`#log li[data-seq="${gone}"]`, 'contextmenu');
    await dana.click('#msg-menu >> text=Delete');
    await dana.click('#msg-menu >> text=Delete for everyone');
    await waitRow(dana, gone, (r) => r.text === 'Message deleted', 'dana: the tombstone');
  });

  await step('real host: eva, joining later, sees the same and jumps to the original in scrollback', async () => {
    const eva = await joinPage(phone, url, 'eva');
    await waitRow(eva, typo, (r) => r.text === 'errata aquí edited', 'eva: edited');
    await waitRow(eva, gone, (r) => r.text === 'Message deleted', 'eva: the tombstone');
    const reply = await seqOfText(eva, 'respuesta a lo de temprano');
    assertEqual(await row(eva, early), null, '"temprano 3" is not in eva\'s welcome');
    const quote = (await row(eva, reply)).quote;
    assert(quote.includes('pepe') && quote.includes('temprano 3'), `the quote: ${quote}`);
    await eva.click(`#log li[data-seq="${reply}"] .quote`);
    const original = await waitRow(eva, early, (r) => r.flash && r.inView, 'the original highlighted');
    assertEqual(original.chips.join(), '👍1', 'the reaction that came before it is on it');
    assertEqual(original.text, 'temprano 3', 'its text');
    await backToLive(eva);

    /* Typing, through the host. */
    await dana.focus('#entry');
    await dana.keyboard.type('escribo');
    await eventually(async () => (await typingLine(eva)) === 'dana is typing…', 'eva sees dana typing').catch(async (error) => {
      error.message += `; dana sent ${(await dana.evaluate(() => window.__sent)).slice(-6).join(' ')}; entry ${await dana.inputValue('#entry')}; eva got ${await eva.evaluate(() => window.__typing.join(' '))}`;
      throw error;
    });
    await dana.keyboard.press('Enter');
    await eventually(async () => (await typingLine(eva)) === '', 'gone when dana sends');
    assertEqual(eva.errors.join(' | '), '', 'page errors');
    await eva.close();
  });

  await step('real host: a 10 KB emoji and an edit of someone else\'s message are refused in words', async () => {
    await refusedInWords(dana, { type: 'react', target: typo, emoji: '😀'.repeat(2560), add: true },
                         'Reactions must be a single emoji.');
    await refusedInWords(dana, { type: 'edit', target: early, text: 'mío' }, 'You can only change your own messages.');
    assertEqual(dana.errors.join(' | '), '', 'page errors');
  });
}

run(async (cleanups) => {
  /* 400 events; a welcome carries the newest 200, of which the page draws
   * 150: seqs 1..200 are only in the host's scrollback.
   */
  const host = await startFakeHost({ events: 400, historyLimit: 200, name: 'Tertulia del jueves' });
  cleanups.push(() => host.close());

  const browser = await launchBrowser();
  cleanups.unshift(() => browser.close());
  const phone = await browser.newContext({ viewport: { width: 360, height: 780 }, locale: 'en-US', hasTouch: true });
  const desktop = await browser.newContext({ viewport: { width: 1000, height: 800 }, locale: 'en-US' });
  const ana = await joinPage(desktop, host.url, 'ana');
  const bob = await joinPage(phone, host.url, 'bob');

  let replySeq = 0;
  await step('reply from the message menu, with the keyboard: bob sees the quote and it jumps to the original', async () => {
    await openMenuByKeyboard(ana, 390);
    await chooseByKeyboard(ana, 'Reply');
    await ana.waitForSelector('#compose-bar:not([hidden])');
    const bar = await ana.textContent('#compose-bar');
    assert(bar.includes('Replying to') && bar.includes('mensaje 390'), `the reply bar: ${bar}`);
    assert(await ana.evaluate(() => document.activeElement.id === 'entry'), 'the entry has the focus');
    await ana.keyboard.type('de acuerdo con eso');
    await ana.keyboard.press('Enter');
    assert(await ana.isHidden('#compose-bar'), 'the bar goes once sent');
    const sent = JSON.parse((await ana.evaluate(() => window.__sent)).find((f) => f.includes('"say"')));
    assertEqual(sent.reply_to, 390, 'reply_to in the say frame');

    replySeq = await seqOfText(bob, 'de acuerdo con eso');
    const reply = await row(bob, replySeq);
    assert(reply.quote.includes('mensaje 390'), `the quote on bob's page: ${reply.quote}`);
    await bob.evaluate(() => { document.getElementById('scroller').scrollTop = document.getElementById('scroller').scrollHeight; });
    await bob.click(`#log li[data-seq="${replySeq}"] .quote`);
    const original = await waitRow(bob, 390, (r) => r.flash && r.inView, 'row 390 highlighted in view');
    assert(original.focused, 'the original has the focus');
  });

  await step('a quote of a message only in scrollback fetches older pages until it is there', async () => {
    host.add({ type: 'message', from: { id: 1, nick: 'luis' }, kind: 'chat', text: 'volviendo a lo del principio',
               reply_to: { seq: 7, from: { id: 2, nick: 'marta' }, text: 'mensaje 7' } });
    const seq = await seqOfText(ana, 'volviendo a lo del principio');
    assertEqual(await row(ana, 7), null, 'row 7 is not drawn yet');
    const requests = host.requests.length;
    await ana.click(`#log li[data-seq="${seq}"] .quote`);
    await waitRow(ana, 7, (r) => r.flash && r.inView, 'row 7 highlighted in view');
    assert(host.requests.length > requests, 'history pages were asked for');
    const seqs = await ana.$$eval('#log li[data-seq]', (rows) => rows.map((r) => Number(r.dataset.seq)));
    assertEqual(new Set(seqs).size, seqs.length, 'no row twice');
    await backToLive(ana);
  });

  let reacted = 0;
  await step('react with the pointer: 👍 1, bob taps the chip: 👍 2 and who reacted; a tap takes it back', async () => {
    reacted = 399;
    await ana.hover(`#log li[data-seq="${reacted}"]`);
    await ana.click(`#log li[data-seq="${reacted}"] .msg-menu-button`);
    await ana.click('#msg-menu [aria-label="React with 👍"]');
    await waitRow(ana, reacted, (r) => r.chips.join() === '👍1*', 'ana: 👍 1, hers');
    await waitRow(bob, reacted, (r) => r.chips.join() === '👍1', 'bob: 👍 1, not his');
    await bob.click(`#log li[data-seq="${reacted}"] .reaction`);
    const both = await waitRow(bob, reacted, (r) => r.chips.join() === '👍2*', 'bob: 👍 2');
    assertEqual(both.titles[0], 'ana and bob reacted with 👍', 'who reacted');
    await waitRow(ana, reacted, (r) => r.chips.join() === '👍2*', 'ana: 👍 2');
    /* A long press on the chip says who, on a phone. */
    const chip = await bob.$(`#log li[data-seq="${reacted}"] .reaction`);
    const box = await chip.boundingBox();
    await bob.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
    await waitRow(bob, reacted, (r) => r.chips.join() === '👍1', 'bob took his back');
    await bob.dispatchEvent(`#log li[data-seq="${reacted}"] .reaction`, 'contextmenu');
    const who = await bob.textContent('#msg-menu');
    assert(who.includes('ana reacted with 👍'), `the long-press list: ${who}`);
    await bob.keyboard.press('Escape');
    /* The quick picker's "more" grid. */
    await openMenuByKeyboard(bob, reacted);
    await chooseByKeyboard(bob, 'More emoji');
    await bob.click('#msg-menu [aria-label="React with 🔥"]');
    await waitRow(ana, reacted, (r) => r.chips.join() === '👍1*,🔥1', 'ana: 👍 1 and 🔥 1');
  });

  let edited = 0;
  await step('ana edits her last message with Up in the empty entry; bob sees it marked "edited"', async () => {
    await ana.fill('#entry', 'helo wrold');
    await ana.press('#entry', 'Enter');
    edited = await seqOfText(ana, 'helo wrold');
    await ana.focus('#entry');
    await ana.keyboard.press('ArrowUp');
    await ana.waitForSelector('#compose-bar[data-mode="edit"]:not([hidden])');
    assertEqual(await ana.inputValue('#entry'), 'helo wrold', 'the entry holds the text');
    /* Escape leaves the message as it was. */
    await ana.keyboard.press('Escape');
    assertEqual(await ana.inputValue('#entry'), '', 'Escape gives back the empty entry');
    await ana.keyboard.press('ArrowUp');
    await ana.fill('#entry', 'hello world');
    await ana.press('#entry', 'Enter');
    await waitRow(bob, edited, (r) => r.text === 'hello world edited' && r.edited, 'bob: the new text, edited');
    await waitRow(ana, edited, (r) => r.text === 'hello world edited', 'ana: the new text');
    assertEqual(await ana.inputValue('#entry'), '', 'the entry is empty after the edit');
  });

  let deleted = 0;
  await step('ana deletes her own message from the menu; bob sees a tombstone, and a reply to it quotes one', async () => {
    await ana.fill('#entry', 'me equivoqué de sala');
    await ana.press('#entry', 'Enter');
    deleted = await seqOfText(bob, 'me equivoqué de sala');
    /* bob answers it first. */
    await bob.dispatchEvent(`#log li[data-seq="${deleted}"]`, 'contextmenu');
    await bob.click('#msg-menu >> text=Reply');
    await bob.fill('#entry', '¿cuál sala?');
    await bob.press('#entry', 'Enter');
    const answer = await seqOfText(ana, '¿cuál sala?');
    await openMenuByKeyboard(ana, deleted);
    await chooseByKeyboard(ana, 'Delete');
    assert((await ana.textContent('#msg-menu')).includes('Delete this message for everyone?'), 'asked first');
    await ana.keyboard.press('Enter');
    await waitRow(bob, deleted, (r) => r.deleted && r.text === 'Message deleted', 'bob: the tombstone');
    await waitRow(ana, deleted, (r) => r.deleted && r.text === 'Message deleted', 'ana: the tombstone');
    await waitRow(bob, answer, (r) => r.quote?.includes('Message deleted'), 'the reply quotes a tombstone');
    /* bob's menu has no Edit or Delete on ana's messages. */
    await bob.dispatchEvent(`#log li[data-seq="${edited}"]`, 'contextmenu');
    const items = await bob.$$eval('#msg-menu [role="menuitem"]:not(.emoji)', (b) => b.map((x) => x.textContent));
    assertEqual(items.join(), 'Reply,Copy text', 'bob\'s menu on ana\'s message');
    await bob.keyboard.press('Escape');
  });

  await step('a moderator\'s removal: "Message removed by luis", and ana is told', async () => {
    await ana.fill('#entry', 'algo fuera de tono');
    await ana.press('#entry', 'Enter');
    const seq = await seqOfText(ana, 'algo fuera de tono');
    host.add({ type: 'delete', target: seq, from: { id: 1, nick: 'luis' } });
    await waitRow(bob, seq, (r) => r.text === 'Message removed by luis', 'bob: removed by luis');
    await waitRow(ana, seq, (r) => r.text === 'Message removed by luis', 'ana: removed by luis');
    await eventually(async () => (await ana.$$eval('#log li.notice', (n) => n.map((x) => x.textContent)))
      .some((t) => t.endsWith('luis removed your message')), 'ana is told');
  });

  await step('Copy text puts the message\'s text (as edited) on the clipboard', async () => {
    await desktop.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: host.url.replace(/\/$/, '') });
    await openMenuByKeyboard(ana, edited);
    await chooseByKeyboard(ana, 'Copy text');
    await ana.waitForSelector('#toast:not([hidden])', { timeout: STEP_TIMEOUT });
    assertEqual(await ana.textContent('#toast'), 'Copied', 'the toast');
    assertEqual(await ana.evaluate(() => navigator.clipboard.readText()), 'hello world', 'the clipboard');
    assert(await ana.evaluate((seq) => document.activeElement?.dataset.seq === String(seq), edited),
           'the focus is back on the message');
  });

  await step('a co-host may delete anyone\'s message: "Message removed by chus"', async () => {
    host.roles.chus = 'cohost';
    const chus = await joinPage(desktop, host.url, 'chus');
    const seq = 398;
    await chus.dispatchEvent(`#log li[data-seq="${seq}"]`, 'contextmenu');
    const items = await chus.$$eval('#msg-menu [role="menuitem"]:not(.emoji)', (b) => b.map((x) => x.textContent));
    assertEqual(items.join(), 'Reply,Delete,Copy text', 'a co-host\'s menu on someone else\'s message');
    await chus.click('#msg-menu >> text=Delete');
    await chus.click('#msg-menu >> text=Delete for everyone');
    await waitRow(bob, seq, (r) => r.text === 'Message removed by chus', 'bob: removed by chus');
    assertEqual(chus.errors.join(' | '), '', 'page errors');
    await chus.close();
  });

  await step('a long press on a phone opens the menu as a sheet at the bottom', async () => {
    const box = await (await bob.$(`#log li[data-seq="${reacted}"] .text`)).boundingBox();
    await bob.evaluate(({ x, y }) => {
      const target = document.elementFromPoint(x, y);
      target.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, pointerType: 'touch', clientX: x, clientY: y }));
    }, { x: box.x + 5, y: box.y + box.height / 2 });
    await bob.waitForSelector('#msg-menu.sheet:not([hidden])', { timeout: STEP_TIMEOUT });
    const sheet = await bob.$eval('#msg-menu', (m) => {
      const r = m.getBoundingClientRect();
      return { left: r.left, right: r.right, bottom: r.bottom, width: window.innerWidth, height: window.innerHeight };
    });
    assert(sheet.left === 0 && sheet.right === sheet.width && Math.abs(sheet.bottom - sheet.height) < 1,
           `the sheet spans the bottom: ${JSON.stringify(sheet)}`);
    await bob.keyboard.press('Escape');
    assert(await bob.isHidden('#msg-menu'), 'Escape closes it');
  });

  await step('amendments to messages not loaded yet show when scrollback brings them in', async () => {
    host.add({ type: 'reaction', target: 20, from: { id: 3, nick: 'pedro' }, emoji: '🎉', add: true });
    /* 22 and 23 are marta's (fake-host.js). */
    host.add({ type: 'edit', target: 22, from: { id: 2, nick: 'marta' }, text: 'mensaje 22, corregido' });
    host.add({ type: 'delete', target: 23, from: { id: 2, nick: 'marta' } });
    await sleep(300);
    for (let i = 0; !(await row(ana, 20)); i++) {
      assert(i < 60, 'row 20 comes');
      await ana.evaluate(() => { document.getElementById('scroller').scrollTop = 0; });
      await sleep(100);
    }
    await waitRow(ana, 20, (r) => r.chips.join() === '🎉1', 'row 20: 🎉 1');
    await waitRow(ana, 22, (r) => r.text === 'mensaje 22, corregido edited', 'row 22: edited');
    await waitRow(ana, 23, (r) => r.text === 'Message deleted', 'row 23: tombstone');
    await backToLive(ana);
  });

  await step('replay equals live: after a reload, and for a newcomer, the same rows', async () => {
    const seqs = [390, replySeq, reacted, edited, deleted];
    const live = [];
    for (const seq of seqs)
      live.push(await row(bob, seq));
    const carla = await joinPage(desktop, host.url, 'carla');
    await bob.reload();
    await bob.waitForFunction(() => document.querySelectorAll('#log li[data-seq]').length > 100);
    for (const [i, seq] of seqs.entries()) {
      for (const [who, page] of [['bob after a reload', bob], ['carla', carla]]) {
        const replayed = await row(page, seq);
        assert(replayed, `${who}: row ${seq}`);
        assertEqual(replayed.text, live[i].text, `${who}: row ${seq}'s text`);
        assertEqual(replayed.quote, live[i].quote, `${who}: row ${seq}'s quote`);
        assertEqual(replayed.chips.map((c) => c.replace('*', '')).join(), live[i].chips.map((c) => c.replace('*', '')).join(),
                    `${who}: row ${seq}'s reactions`);
      }
    }
    const mine = await row(bob, reacted);
    assertEqual(mine.chips.join(), '👍1,🔥1*', 'bob\'s own reaction is still his after the reload');
    const count = await bob.$$eval('#log li[data-seq]', (rows) => rows.length);
    const unique = await bob.$$eval('#log li[data-seq]', (rows) => new Set(rows.map((r) => r.dataset.seq)).size);
    assertEqual(unique, count, 'no row twice');
    await carla.close();
  });

  await step('"ana is typing…" on bob\'s page while she types, gone when she sends, and 6 s after she stops', async () => {
    const sentBefore = (await ana.evaluate(() => window.__sent)).length;
    await ana.focus('#entry');
    await ana.keyboard.type('estoy escr');
    await eventually(async () => (await typingLine(bob)) === 'ana is typing…', 'bob sees ana typing');
    assertEqual(await bob.getAttribute('#typing', 'aria-live'), 'polite', 'a polite live region');
    const frames = (await ana.evaluate(() => window.__sent)).slice(sentBefore).filter((f) => f.includes('"typing"'));
    assertEqual(frames.join(), '{"type":"typing","active":true}', 'one typing frame for ten keys');
    await ana.keyboard.press('Enter');
    await eventually(async () => (await typingLine(bob)) === '', 'gone when the message comes');
    await ana.keyboard.type('otra');
    await eventually(async () => (await typingLine(bob)) === 'ana is typing…', 'typing again');
    const started = Date.now();
    await eventually(async () => (await typingLine(bob)) === '', 'gone by itself', 9000);
    const after = Date.now() - started;
    assert(after > 4000 && after < 8000, `it expired after ${after} ms`);
    await ana.fill('#entry', '');
    /* Never in the title or the unread count. */
    assertEqual(await bob.title(), 'Tertulia del jueves', 'bob\'s title');
  });

  await step('with "Let others see when I am typing" off, no typing frame goes out', async () => {
    await ana.click('#menu-button');
    await ana.click('#menu-typing');
    assertEqual(await ana.getAttribute('#menu-typing', 'aria-pressed'), 'false', 'the setting is off');
    assertEqual(await ana.evaluate(() => localStorage.getItem('tertulia.typing')), 'off', 'kept');
    await ana.keyboard.press('Escape');
    const before = (await ana.evaluate(() => window.__sent)).filter((f) => f.includes('"typing"')).length;
    await ana.focus('#entry');
    await ana.keyboard.type('en silencio');
    await sleep(400);
    const after = (await ana.evaluate(() => window.__sent)).filter((f) => f.includes('"typing"')).length;
    assertEqual(after, before, 'typing frames sent');
    assertEqual(await typingLine(bob), '', 'bob sees nothing');
    await ana.fill('#entry', '');
    await ana.click('#menu-button');
    await ana.click('#menu-typing');
    await ana.keyboard.press('Escape');
  });

  await step('nothing from the wire is markup: text, quotes, edits, emoji', async () => {
    const evil = '<img src=x onerror="window.__pwned=1"><b>bold</b>';
    host.say({ id: 1, nick: '<i>luis</i>' }, evil);
    const seq = await seqOfText(bob, '<img');
    host.add({ type: 'message', from: { id: 2, nick: 'marta' }, kind: 'chat', text: 'cita',
               reply_to: { seq, from: { id: 1, nick: '<i>luis</i>' }, text: evil } });
    host.add({ type: 'reaction', target: seq, from: { id: 2, nick: '<u>marta</u>' }, emoji: '<b>', add: true });
    host.add({ type: 'edit', target: seq, from: { id: 1, nick: 'luis' }, text: evil + ' 2' });
    await waitRow(bob, seq, (r) => r.text === `${evil} 2 edited` && r.chips.join() === '<b>1', 'the row as text');
    const quoteSeq = await seqOfText(bob, 'cita');
    assert((await row(bob, quoteSeq)).quote.includes(evil), 'the quote as text');
    assertEqual(await bob.$$eval('#log img, #log b, #log i, #log u', (n) => n.length), 0, 'elements from the wire');
    assertEqual(await bob.evaluate(() => window.__pwned), undefined, 'no script ran');
  });

  await step('a 10 KB "emoji" is refused with a clear message', async () => {
    await refusedInWords(ana, { type: 'react', target: reacted, emoji: '😀'.repeat(2560), add: true },
                         'Reactions must be a single emoji.');
  });

  await step('screenshots at 360×780 and 1000×800: replies, reactions, edited and deleted messages', async () => {
    host.add({ type: 'reaction', target: edited, from: { id: 2, nick: 'marta' }, emoji: '😂', add: true });
    host.add({ type: 'reaction', target: edited, from: { id: 3, nick: 'pedro' }, emoji: '😂', add: true });
    host.add({ type: 'reaction', target: edited, from: { id: 1, nick: 'luis' }, emoji: '❤️', add: true });
    /* ana writes a reply, which bob sees her typing. */
    await ana.dispatchEvent(`#log li[data-seq="${replySeq}"]`, 'contextmenu');
    await ana.click('#msg-menu >> text=Reply');
    await ana.keyboard.type('una respuesta más');
    await eventually(async () => (await typingLine(bob)) === 'ana is typing…', 'bob sees ana typing');
    /* and bob starts one to luis. */
    const luis = await seqOfText(bob, 'volviendo a lo del principio');
    await bob.dispatchEvent(`#log li[data-seq="${luis}"]`, 'contextmenu');
    await bob.click('#msg-menu >> text=Reply');
    await sleep(300);
    for (const [page, name] of [[bob, 'web-conversation-360x780'], [ana, 'web-conversation-1000x800']]) {
      await page.evaluate(() => { const s = document.getElementById('scroller'); s.scrollTop = s.scrollHeight; });
      await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
    }
    await bob.press('#entry', 'Escape');
    assert(await bob.isHidden('#compose-bar'), 'Escape cancels the reply');
    await bob.dispatchEvent(`#log li[data-seq="${edited}"]`, 'contextmenu');
    await bob.click('#msg-menu [aria-label="More emoji"]');
    await bob.screenshot({ path: path.join(ARTIFACTS, 'web-conversation-360x780-menu.png') });
    await bob.keyboard.press('Escape');
    await ana.hover(`#log li[data-seq="${edited}"]`);
    await ana.click(`#log li[data-seq="${edited}"] .msg-menu-button`);
    await ana.screenshot({ path: path.join(ARTIFACTS, 'web-conversation-1000x800-menu.png') });
    await ana.keyboard.press('Escape');
    for (const page of [ana, bob])
      assertEqual(page.errors.join(' | '), '', 'page errors');
  });

  await step('axe finds nothing wrong with quotes, chips, tombstones, the reply bar and the open menu', async () => {
    await ana.evaluate(fs.readFileSync(AXE, 'utf8'));
    for (const colorScheme of ['light', 'dark']) {
      await ana.emulateMedia({ colorScheme });
      await ana.hover(`#log li[data-seq="${edited}"]`);
      await ana.click(`#log li[data-seq="${edited}"] .msg-menu-button`);
      await ana.click('#msg-menu [aria-label="More emoji"]');
      const violations = await ana.evaluate(async () => (await window.axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      })).violations.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} (${n.any[0]?.message ?? ''})`).join(', ')}`));
      await ana.keyboard.press('Escape');
      assertEqual(violations.join(' ;; '), '', `axe violations (${colorScheme})`);
    }
    await ana.emulateMedia({ colorScheme: 'light' });
  });

  await host.close();
  await ana.close();
  await bob.close();
  await realHost(cleanups, desktop, phone);
});

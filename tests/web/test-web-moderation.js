/* test-web-moderation.js — moderation and private messages on the page (issue 18)
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real host (tertulia-server, its host key written for the test) with two pages:
 * ana is the host (her hello carries the key, as the app's own guest's
 * does), bob a guest on a phone. Ana mutes bob and removes him from the
 * people drawer's menu and with slash commands; bob sees it said to him,
 * cannot post while muted, and once removed sees why and stops
 * reconnecting. Private messages go both ways with unread counts.
 * Screenshots of the person menu and a private conversation at 360 and
 * 1000 px wide are left in the build directory to be looked at.
 */

'use strict';

const path = require('node:path');
const {
  ARTIFACTS, STEP_TIMEOUT, step, assert, assertEqual, sleep, eventually, startServer, startRelay, launchBrowser, run,
  expectNoViolations, sendHostKey,
} = require('./harness.js');

/* Counts the page's WebSockets. */
function instrument () {
  window.__sockets = 0;
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor (...args) {
      super(...args);
      window.__sockets += 1;
    }
  };
}

async function openPage (browser, url, nick, { hostKey = null, width = 360, height = 780, locale = 'en-US' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, locale, colorScheme: 'light' });
  await context.addInitScript(instrument);
  if (hostKey)
    await context.addInitScript(sendHostKey, hostKey);
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(error.message));
  await page.goto(url);
  await page.waitForSelector('#nick-overlay[open]', { timeout: STEP_TIMEOUT });
  await page.fill('#nick-input', nick);
  await page.click('#nick-submit');
  await page.waitForFunction((n) => [...document.querySelectorAll('#people-list .person')]
    .some((b) => b.dataset.nick === n && b.querySelector('.badge.you')), nick, { timeout: STEP_TIMEOUT });
  return page;
}

async function enter (page, text) {
  await page.fill('#entry', text);
  await page.press('#entry', 'Enter');
}

/* The texts of the log's notices and events. */
function notices (page) {
  return page.$$eval('#log li.notice .text, #log li.event .text', (nodes) => nodes.map((n) => n.textContent));
}

async function waitForNotice (page, text, message) {
  await page.waitForFunction((t) => [...document.querySelectorAll('#log li.notice .text, #log li.event .text')]
    .some((n) => n.textContent === t), text, { timeout: STEP_TIMEOUT }).catch(async () => {
    throw new Error(`timed out: ${message}; the log has ${JSON.stringify((await notices(page)).slice(-6))}`);
  });
}

async function badges (page, nick) {
  return page.$$eval('#people-list .person', (buttons, n) => {
    const button = buttons.find((b) => b.dataset.nick === n);
    return button ? [...button.querySelectorAll('.badge')].map((b) => b.textContent) : null;
  }, nick);
}

/* Opens @nick's menu from the people drawer; returns its items' actions. */
async function openMenu (page, nick) {
  if (await page.isVisible('#people-button'))
    await page.click('#people-button');
  await page.click(`#people-list .person[data-nick="${nick}"]`);
  await page.waitForSelector('#person-menu:not([hidden])', { timeout: STEP_TIMEOUT });
  return page.$$eval('#person-menu [role="menuitem"]', (items) => items.map((i) => i.dataset.action));
}

async function closeDrawer (page) {
  if (await page.isVisible('#person-menu'))
    await page.keyboard.press('Escape');
  if (await page.evaluate(() => document.body.classList.contains('people-open')) && await page.isVisible('#people-close'))
    await page.click('#people-close');
}

run(async (cleanups) => {
  const browser = await launchBrowser();
  cleanups.push(() => browser.close());
  const host = await startServer({ name: 'Aula 3', hostKey: true });
  cleanups.push(() => host.child.kill('SIGKILL'));
  const url = `http://127.0.0.1:${host.port}/`;

  let ana;
  let bob;
  let dee;

  await step('the host\'s page and a guest\'s page join; the drawer marks the host', async () => {
    ana = await openPage(browser, url, 'ana', { hostKey: host.key });
    bob = await openPage(browser, url, 'bob');
    await eventually(async () => (await badges(bob, 'ana'))?.includes('host'), 'bob sees ana as host');
    assertEqual(JSON.stringify(await badges(ana, 'ana')), JSON.stringify(['you', 'host']), 'ana\'s own badges');
    await eventually(async () => (await badges(ana, 'bob')) !== null, 'ana sees bob');
  });

  await step('a guest\'s menu offers no moderation; the host\'s offers all of it', async () => {
    const guestItems = await openMenu(bob, 'ana');
    assertEqual(JSON.stringify(guestItems), JSON.stringify(['privately', 'mention']), 'bob\'s menu for ana');
    await bob.keyboard.press('Escape');
    assert(await bob.isHidden('#person-menu'), 'Escape closes the menu');
    assertEqual(await bob.evaluate(() => document.activeElement?.dataset.nick), 'ana', 'focus back on the person');
    await closeDrawer(bob);
    assertEqual(await bob.$eval('#menu-settings', (b) => b.hidden), true, 'no room settings for a guest');

    const hostItems = await openMenu(ana, 'bob');
    assertEqual(JSON.stringify(hostItems), JSON.stringify(['privately', 'mention', 'mute', 'op', 'kick', 'ban']),
                'ana\'s menu for bob');
    /* The keyboard walks it. */
    assertEqual(await ana.evaluate(() => document.activeElement?.dataset.action), 'privately', 'first item focused');
    await ana.keyboard.press('ArrowDown');
    await ana.keyboard.press('ArrowDown');
    assertEqual(await ana.evaluate(() => document.activeElement?.dataset.action), 'mute', 'arrow keys move');
    await ana.screenshot({ path: path.join(ARTIFACTS, 'web-360x780-person-menu.png') });
    await expectNoViolations(ana, 'the person menu');
  });

  await step('muted from the menu: bob reads "You were muted by ana" and cannot post', async () => {
    await ana.keyboard.press('Enter');
    await waitForNotice(bob, 'You were muted by ana', 'bob is told');
    await bob.waitForSelector('#entry:disabled', { timeout: STEP_TIMEOUT });
    assert(await bob.isDisabled('#send'), 'send is disabled');
    const note = await bob.textContent('#composer-note');
    assert(note.includes('muted by ana'), `the composer says so: ${note}`);
    await eventually(async () => (await badges(ana, 'bob'))?.includes('muted'), 'ana sees bob muted');
    await waitForNotice(ana, 'ana muted bob', 'the moderator sees it');
    await closeDrawer(ana);
  });

  await step('/unmute lets bob write again', async () => {
    await enter(ana, '/unmute bob');
    await waitForNotice(bob, 'ana unmuted you: you can write again', 'bob is told');
    await bob.waitForSelector('#entry:not(:disabled)', { timeout: STEP_TIMEOUT });
    await enter(bob, 'gracias');
    await ana.waitForFunction(() => [...document.querySelectorAll('#log li.msg .text')]
      .some((n) => n.textContent === 'gracias'), null, { timeout: STEP_TIMEOUT });
  });

  await step('a private message from the drawer: unread on the other side, read when opened', async () => {
    await openMenu(bob, 'ana');
    await bob.click('#person-menu [data-action="privately"]');
    await bob.waitForSelector('#private[open] .private-entry', { timeout: STEP_TIMEOUT });
    const relayed = await bob.textContent('#private .relayed');
    assert(/host’s computer/.test(relayed), `the page says the host relays them: ${relayed}`);
    await bob.fill('#private .private-entry', 'una pregunta, ana');
    await bob.press('#private .private-entry', 'Enter');
    await bob.waitForSelector('#private .private-rows li.msg.own:not(.sending)', { timeout: STEP_TIMEOUT });

    await ana.waitForSelector('#private-button:not([hidden]) #private-count:not([hidden])', { timeout: STEP_TIMEOUT });
    assertEqual(await ana.textContent('#private-count'), '1', 'one unread');
    assert((await ana.title()).startsWith('(1'), `the title counts it: ${await ana.title()}`);
    const roomTexts = await ana.$$eval('#log li.msg .text', (n) => n.map((x) => x.textContent));
    assert(!roomTexts.includes('una pregunta, ana'), 'not in the room\'s log');

    await ana.click('#private-button');
    await ana.waitForSelector('#private[open] .conversation', { timeout: STEP_TIMEOUT });
    assertEqual(await ana.textContent('#private .conversation .unread'), '1', 'the list counts it');
    await expectNoViolations(ana, 'the list of private conversations');
    await ana.click('#private .conversation');
    await ana.waitForSelector('#private .private-rows li.msg', { timeout: STEP_TIMEOUT });
    assertEqual(await ana.textContent('#private .private-rows li.msg .text'), 'una pregunta, ana', 'the message');
    assert(await ana.isHidden('#private-count'), 'read once opened');
    assert(!(await ana.title()).startsWith('('), 'the title no longer counts it');

    await ana.fill('#private .private-entry', 'dime, bob');
    await ana.press('#private .private-entry', 'Enter');
    await bob.waitForFunction(() => [...document.querySelectorAll('#private .private-rows li.msg .text')]
      .some((n) => n.textContent === 'dime, bob'), null, { timeout: STEP_TIMEOUT });
    assert(await bob.isHidden('#private-count'), 'bob reads it as it comes: nothing unread');
    await bob.screenshot({ path: path.join(ARTIFACTS, 'web-360x780-private.png') });
    await expectNoViolations(bob, 'a private conversation');
    await ana.setViewportSize({ width: 1000, height: 800 });
    await ana.screenshot({ path: path.join(ARTIFACTS, 'web-1000x800-private.png') });
    await ana.click('#private .private-close');
    await bob.click('#private .private-close');
  });

  await step('/msg sends privately and the other side counts it', async () => {
    await enter(ana, '/msg bob otra cosa');
    await bob.waitForFunction(() => document.querySelector('#private-count')?.textContent === '1', null,
                              { timeout: STEP_TIMEOUT });
    await waitForNotice(ana, 'Private message sent to bob. Open Private messages in the menu to see the conversation.',
                        'ana is told where it went');
    await enter(bob, '/msg bob a mí');
    await waitForNotice(bob, 'You cannot send a private message to yourself.', 'not to oneself');
    await enter(bob, '/msg nadie hola');
    await waitForNotice(bob, 'There is no one called nadie in the room.', 'not to someone absent');
  });

  await step('/lento (/slow in Spanish): bob sees the countdown and his second message waits', async () => {
    await enter(ana, '/lento 30');
    await waitForNotice(bob, 'ana turned on slow mode: one message every 30 seconds', 'bob is told');
    await enter(bob, 'uno');
    await bob.waitForFunction(() => /write again in \d+ seconds/.test(document.querySelector('#composer-note').textContent),
                              null, { timeout: STEP_TIMEOUT });
    await enter(bob, 'dos');
    assertEqual(await bob.inputValue('#entry'), 'dos', 'the second message stays in the entry');
    await enter(ana, '/slow off');
    await waitForNotice(bob, 'ana turned off slow mode', 'off again');
    await bob.waitForFunction(() => document.querySelector('#composer-note').hidden, null, { timeout: STEP_TIMEOUT });
  });

  await step('/op makes bob a co-host with room settings; /deop undoes it', async () => {
    await enter(ana, '/op bob');
    await waitForNotice(bob, 'ana made you a co-host', 'bob is told');
    await waitForNotice(ana, 'ana made bob a co-host', 'and the moderators');
    await eventually(async () => (await badges(ana, 'bob'))?.includes('co-host'), 'the badge');
    const hostItems = await openMenu(ana, 'bob');
    assert(hostItems.includes('deop'), `the host can take it back: ${hostItems}`);
    await ana.screenshot({ path: path.join(ARTIFACTS, 'web-1000x800-person-menu.png') });
    await ana.keyboard.press('Escape');
    assertEqual(await bob.$eval('#menu-settings', (b) => b.hidden), false, 'room settings in bob\'s menu');
    const items = await openMenu(bob, 'ana');
    assert(!items.includes('kick'), `a co-host cannot act on the host: ${items}`);
    await closeDrawer(bob);
    await enter(ana, '/deop bob');
    await waitForNotice(bob, 'ana removed you as co-host', 'bob is told');
    await bob.waitForSelector('#menu-settings[hidden]', { state: 'attached', timeout: STEP_TIMEOUT });
  });

  await step('room settings: lock keeps a new page out with a clear screen', async () => {
    await ana.click('#menu-button');
    await ana.click('#menu-settings');
    await ana.waitForSelector('#settings[open]', { timeout: STEP_TIMEOUT });
    await ana.screenshot({ path: path.join(ARTIFACTS, 'web-1000x800-settings.png') });
    await expectNoViolations(ana, 'room settings');
    await ana.check('#lock-check');
    await waitForNotice(bob, 'ana locked the room: no one new can join', 'bob is told');

    const cid = await browser.newContext({ viewport: { width: 360, height: 780 }, locale: 'en-US' });
    await cid.addInitScript(instrument, null);
    const late = await cid.newPage();
    await late.goto(url);
    await late.fill('#nick-input', 'cid');
    await late.click('#nick-submit');
    await late.waitForSelector('#removed[open]', { timeout: STEP_TIMEOUT });
    assertEqual(await late.textContent('#removed h2'), 'The room is locked', 'the screen says why');
    const sockets = await late.evaluate(() => window.__sockets);
    await sleep(2500);
    assertEqual(await late.evaluate(() => window.__sockets), sockets, 'no reconnecting behind it');
    await cid.close();

    await ana.uncheck('#lock-check');
    await waitForNotice(bob, 'ana unlocked the room', 'unlocked');
    await ana.click('#settings .secondary');
  });

  await step('removed from the menu with a reason: bob sees it and stops reconnecting', async () => {
    await ana.setViewportSize({ width: 360, height: 780 });
    await openMenu(ana, 'bob');
    await ana.click('#person-menu [data-action="kick"]');
    await ana.waitForSelector('#reason-dialog[open]', { timeout: STEP_TIMEOUT });
    /* Nothing from the wire or the moderator is ever markup. */
    await ana.fill('#reason-input', 'spam <b>x</b>');
    await ana.click('#reason-dialog .primary');

    await bob.waitForSelector('#removed[open]', { timeout: STEP_TIMEOUT });
    assertEqual(await bob.textContent('#removed h2'), 'You were removed from the room', 'title');
    assertEqual(await bob.textContent('#removed .removed-reason'), 'Reason: spam <b>x</b>', 'the reason as text');
    assertEqual(await bob.$$eval('#removed b', (n) => n.length), 0, 'no markup');
    await waitForNotice(ana, 'ana removed bob from the room: spam <b>x</b>', 'the room is told');
    await expectNoViolations(bob, 'the removed screen');
    const sockets = await bob.evaluate(() => window.__sockets);
    await sleep(3000);
    assertEqual(await bob.evaluate(() => window.__sockets), sockets, 'no reconnect loop');
    await bob.click('#removed .secondary');
    assertEqual(await bob.textContent('#status-text'), 'You were removed from the room', 'the status keeps saying so');
  });

  await step('bob joins again; removed with no reason, his screen gives none', async () => {
    await bob.click('#status-button');
    await bob.waitForFunction(() => document.querySelector('#status').hidden, null, { timeout: STEP_TIMEOUT });
    await eventually(async () => (await badges(ana, 'bob')) !== null, 'bob back in ana\'s list');
    await enter(ana, '/expulsar bob');
    await bob.waitForSelector('#removed[open]', { timeout: STEP_TIMEOUT });
    assertEqual(await bob.textContent('#removed .removed-line'), 'ana removed you from the room.', 'who');
    assert(await bob.isHidden('#removed .removed-reason'), 'no reason line');
    await bob.click('#removed .primary');
  });

  await step('a ban shows its own screen and the ban list can lift it', async () => {
    await bob.waitForFunction(() => document.querySelector('#status').hidden, null, { timeout: STEP_TIMEOUT });
    await eventually(async () => (await badges(ana, 'bob')) !== null, 'bob back in ana\'s list');
    await enter(ana, '/ban bob flooding');
    await bob.waitForSelector('#removed[open]', { timeout: STEP_TIMEOUT });
    assertEqual(await bob.textContent('#removed h2'), 'You are banned from this room', 'title');
    assertEqual(await bob.textContent('#removed .removed-reason'), 'Reason: flooding', 'reason');
    assert(await bob.isHidden('#removed .primary'), 'no way back offered');

    await enter(ana, '/bans');
    await ana.waitForFunction(() => [...document.querySelectorAll('#log li.notice.multiline .line')]
      .some((n) => /^\d+\. bob, banned by ana: flooding$/.test(n.textContent)), null, { timeout: STEP_TIMEOUT });

    await ana.click('#menu-button');
    await ana.click('#menu-settings');
    await ana.waitForSelector('#settings .ban-nick', { timeout: STEP_TIMEOUT });
    assertEqual(await ana.textContent('#settings .ban-nick'), 'bob', 'bob in the ban list');
    await ana.screenshot({ path: path.join(ARTIFACTS, 'web-360x780-settings.png') });
    await ana.click('#settings .unban');
    await ana.waitForFunction(() => document.querySelectorAll('#settings .ban').length === 0, null,
                              { timeout: STEP_TIMEOUT });
    await ana.click('#settings .secondary');
  });

  await step('a private message sent while the guest\'s link is down comes with its resume', async () => {
    const relay = await startRelay(host.port);
    cleanups.push(() => relay.server.close());
    dee = await openPage(browser, `http://127.0.0.1:${relay.port}/`, 'dee', { locale: 'es-ES' });
    await eventually(async () => (await badges(ana, 'dee')) !== null, 'dee in ana\'s list');
    relay.blocked = true;
    relay.dropAll();
    await sleep(300);
    await enter(ana, '/msg dee ¿sigues ahí?');
    await waitForNotice(ana, 'Private message sent to dee. Open Private messages in the menu to see the conversation.',
                        'sent while dee is away');
    relay.blocked = false;
    await dee.waitForFunction(() => document.querySelector('#private-count')?.textContent === '1', null,
                              { timeout: 15000 });
    await dee.click('#private-button');
    await dee.click('#private .conversation');
    assertEqual(await dee.textContent('#private .private-rows li.msg .text'), '¿sigues ahí?', 'the message');
  });

  await step('a Spanish page removed with a reason reads it in Spanish', async () => {
    await dee.click('#private .private-close');
    await enter(ana, '/kick dee hora de irse');
    await dee.waitForSelector('#removed[open]', { timeout: STEP_TIMEOUT });
    assertEqual(await dee.textContent('#removed h2'), 'Te han expulsado de la sala', 'title');
    assertEqual(await dee.textContent('#removed .removed-line'), 'ana te ha expulsado de la sala.', 'who');
    assertEqual(await dee.textContent('#removed .removed-reason'), 'Motivo: hora de irse', 'reason');
    assertEqual(await dee.textContent('#removed .primary'), 'Volver a entrar', 'the way back');
    assertEqual(JSON.stringify(dee.errors), '[]', 'page errors');
  });

  await step('no page error', async () => {
    assertEqual(JSON.stringify([...ana.errors, ...bob.errors]), '[]', 'page errors');
  });
});

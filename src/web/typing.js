/* typing.js — "ana is typing…", both ways
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `typing` frames are not events: no seq, never stored, never read back
 * from history, never counted as unread (docs/PROTOCOL.md). The page says
 * it is typing at most every few seconds while the entry has text, and that
 * it stopped when the entry is sent or cleared; a setting in the page's
 * menu, kept in localStorage, turns that off. Others typing show in one
 * line above the entry, for 6 s unless renewed.
 */

import { $, el, state, storageGet, storageSet, t, ui } from './common.js';

const SETTING_KEY = 'tertulia.typing';
/* How often a page that keeps typing says so again (the host relays one a
 * guest per this much), and how long a "typing" counts without news.
 */
const RENEW_MS = 3000;
/* A frame sent right at RENEW_MS may reach the host a hair sooner. */
const GAP_MS = RENEW_MS + 300;
const EXPIRE_MS = 6000;

let sendFrame = () => false;
let line = null;
let toggle = null;
/* Whether the others see us typing, when we last said "active", what we
 * would say now, and the timer that says it once the host would relay it:
 * the host drops an "active" sooner than RENEW_MS after the last one it
 * relayed (an end it always relays), so the page does not send those.
 */
const mine = { activeAt: 0, active: false, want: false, timer: 0 };
/* id → {nick, timer} of the others typing now. */
const typing = new Map();

export function typingEnabled () {
  return storageGet(localStorage, SETTING_KEY) !== 'off';
}

function flush () {
  clearTimeout(mine.timer);
  mine.timer = 0;
  if (!mine.want) {
    if (mine.active && sendFrame({ type: 'typing', active: false }))
      mine.active = false;
    return;
  }
  const now = Date.now();
  const due = mine.activeAt + GAP_MS;
  /* Said recently enough: the others still see it. */
  if (mine.active && now < due)
    return;
  if (now < due) {
    mine.timer = setTimeout(flush, due - now);
    return;
  }
  if (sendFrame({ type: 'typing', active: true })) {
    mine.active = true;
    mine.activeAt = now;
  }
}

/* The entry changed: @hasText says whether anything is in it. Each change
 * while typing renews what the others see.
 */
export function entryChanged (hasText) {
  mine.want = hasText && typingEnabled() && state.phase === 'joined';
  flush();
}

/* The entry was sent or cleared. */
export function stopTyping () {
  mine.want = false;
  flush();
}

/* The socket went: whatever we said went with it. */
export function typingDisconnected () {
  clearTimeout(mine.timer);
  mine.timer = 0;
  mine.want = false;
  mine.active = false;
  mine.activeAt = 0;
  for (const entry of typing.values())
    clearTimeout(entry.timer);
  typing.clear();
  render();
}

function render () {
  const names = [...typing.values()].map((e) => e.nick);
  let text = '';
  if (names.length === 1)
    text = t('typing.one', { a: names[0] });
  else if (names.length === 2)
    text = t('typing.two', { a: names[0], b: names[1] });
  else if (names.length > 2)
    text = t('typing.many', { a: names[0], b: names[1], n: names.length - 2 });
  /* The live region speaks only when the line says something new: a
   * renewal changes nothing, so nothing is read out again.
   */
  if (line.textContent !== text)
    line.textContent = text;
  line.hidden = text === '';
}

/* Participant @id is no longer typing (a message from them, a leave). */
export function typingEnded (id) {
  const entry = typing.get(id);
  if (!entry)
    return;
  clearTimeout(entry.timer);
  typing.delete(id);
  render();
}

/* A `typing` frame from the host. */
export function onTyping (frame) {
  const id = frame.from?.id;
  if (id === undefined || state.myIds.has(id))
    return;
  if (frame.active !== true) {
    typingEnded(id);
    return;
  }
  const entry = typing.get(id) ?? {};
  clearTimeout(entry.timer);
  entry.nick = String(frame.from?.nick ?? '');
  entry.timer = setTimeout(() => typingEnded(id), EXPIRE_MS);
  typing.set(id, entry);
  render();
}

function showSetting () {
  toggle.setAttribute('aria-pressed', String(typingEnabled()));
}

/* @send(frame) → bool */
export function initTyping (send) {
  sendFrame = send;
  line = el('div', 'typing');
  line.id = 'typing';
  line.setAttribute('aria-live', 'polite');
  line.hidden = true;
  ui.jump.before(line);

  /* The setting, in the page's menu. */
  toggle = el('button', 'menu-toggle', t('typing.setting'));
  toggle.id = 'menu-typing';
  toggle.type = 'button';
  toggle.addEventListener('click', () => {
    const on = !typingEnabled();
    storageSet(localStorage, SETTING_KEY, on ? null : 'off');
    if (!on)
      stopTyping();
    showSetting();
  });
  showSetting();
  const help = $('menu-help');
  if (help)
    help.before(toggle);
  else
    $('menu').append(toggle);
}

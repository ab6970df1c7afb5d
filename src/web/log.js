/* log.js — the message log: rows, links, day dividers, notices, scrolling
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything from the wire reaches the page through textContent or as a
 * validated href, never as markup.
 */

import { el, language, mentions, state, t, ui, viewerLocales } from './common.js';

const GROUP_MS = 5 * 60 * 1000;
/* Bidi controls are not part of a URL here: inside one they could make
 * the address read as another.
 */
const URL_RE = /\bhttps?:\/\/[^\s<>"\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+/giu;

const timeFormat = new Intl.DateTimeFormat(viewerLocales, { hour: 'numeric', minute: '2-digit' });
const fullTimeFormat = new Intl.DateTimeFormat(viewerLocales, { dateStyle: 'full', timeStyle: 'medium' });
const dayFormat = new Intl.DateTimeFormat(viewerLocales, { weekday: 'long', day: 'numeric', month: 'long' });
const relativeDays = new Intl.RelativeTimeFormat(viewerLocales, { numeric: 'auto' });

let lastDayKey = null;

/* A colour per participant from a small palette that works in light and
 * dark mode (the classes live in style.css). It follows the participant
 * id, so it stays the same across /nick.
 */
export function colorClass (id) {
  let hash = 0;
  for (const ch of String(id ?? ''))
    hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
  return 'nick-c' + (hash % 8);
}

/* A nickname in its own direction, so that an Arabic name does not pull
 * the time or the text around it.
 */
export function nickElement (nick, id, extra = '') {
  const span = el('span', `nick ${colorClass(id)} ${extra}`.trim());
  /* The direction before the text: set after, it is worked out from the
   * text at once, for each of hundreds of rows.
   */
  span.dir = 'auto';
  span.textContent = nick;
  return span;
}

/* Splits @text into text nodes and links. Only http and https URLs become
 * links; the href is the parsed URL, the label the text as written, in an
 * isolated left-to-right run so no control character around it can
 * reorder what it shows.
 */
function linkify (text) {
  const fragment = document.createDocumentFragment();
  let last = 0;

  for (const match of text.matchAll(URL_RE)) {
    let raw = match[0];
    let url;

    /* Sentence punctuation after a URL is not part of it; a closing
     * parenthesis is only when the URL opened one.
     */
    while (/[.,;:!?'”’»)\]]$/u.test(raw)) {
      if (raw.endsWith(')') && (raw.match(/\(/g) || []).length >= (raw.match(/\)/g) || []).length)
        break;
      raw = raw.slice(0, -1);
    }

    try {
      url = new URL(raw);
    } catch {
      continue;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      continue;

    if (match.index > last)
      fragment.append(document.createTextNode(text.slice(last, match.index)));

    const a = el('a', null, raw);
    a.href = url.href;
    a.dir = 'ltr';
    a.title = url.href;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    fragment.append(a);
    last = match.index + raw.length;
  }

  if (last < text.length)
    fragment.append(document.createTextNode(text.slice(last)));

  return fragment;
}

export function dayKey (date) {
  return `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`;
}

function describeDay (date) {
  const today = new Date();
  const midnight = (d) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const days = Math.round((midnight(date) - midnight(today)) / 86400000);
  const text = days === 0 || days === -1 ? relativeDays.format(days, 'day') : dayFormat.format(date);

  return text.charAt(0).toLocaleUpperCase(language) + text.slice(1);
}

/* Rows come by the hundred, a few a minute: the hour and minute once per
 * minute.
 */
const minuteText = { minute: NaN, text: '' };

function formatTime (date) {
  const minute = Math.floor(date.getTime() / 60000);
  if (minute !== minuteText.minute) {
    minuteText.minute = minute;
    minuteText.text = timeFormat.format(date);
  }
  return minuteText.text;
}

/* The full date is the time's tooltip, written when a pointer or the focus
 * comes to it rather than for each of hundreds of rows.
 */
export function titleTime (e) {
  const node = e.target;
  if (node instanceof HTMLTimeElement && !node.title && node.dateTime)
    node.title = fullTimeFormat.format(new Date(node.dateTime));
}

export function timeElement (date) {
  const node = el('time', 'time', formatTime(date));
  node.dateTime = date.toISOString();
  return node;
}

/* -------------------------------------------------------------- scrolling */

let beforeForcedScroll = () => {};

/* The window (history.js) brings the log back to its newest rows before a
 * row the user must see (their own message, /help) goes at the end.
 */
export function setBeforeForcedScroll (fn) {
  beforeForcedScroll = fn;
}

export function isAtBottom () {
  const s = ui.scroller;
  return s.scrollHeight - s.scrollTop - s.clientHeight < 48;
}

export function scrollToBottom () {
  ui.scroller.scrollTop = ui.scroller.scrollHeight;
  ui.jump.hidden = true;
}

/* Runs @change, then keeps the log pinned to the bottom if it was there
 * (or if @force), else offers the "new messages" button.
 */
export function withScroll (change, force = false) {
  /* What the user must see next is at the live end of the log. */
  if (force)
    beforeForcedScroll();
  const wasAtBottom = isAtBottom();
  change();
  if (wasAtBottom || force)
    scrollToBottom();
  else
    ui.jump.hidden = false;
}

/* -------------------------------------------------------------------- rows */

/* The divider before a row of @date after a row of @previousKey's day
 * (null: the first row), or null when none is due.
 */
export function dayDivider (date, previousKey) {
  const key = dayKey(date);

  if (key === previousKey || (previousKey === null && key === dayKey(new Date())))
    return null;

  const li = el('li', 'day');
  li.append(el('span', null, describeDay(date)));
  return li;
}

function insertDayDivider (date) {
  const divider = dayDivider(date, lastDayKey);

  lastDayKey = dayKey(date);
  if (divider)
    ui.log.append(divider);
}

/* Collapses the header of a message that follows one by the same author
 * within a few minutes, as chat apps do.
 */
export function groupWith (li, previous) {
  const continued = previous &&
    previous.dataset.kind === 'chat' && li.dataset.kind === 'chat' &&
    previous.dataset.author === li.dataset.author &&
    Math.abs(Number(li.dataset.time) - Number(previous.dataset.time)) < GROUP_MS;

  li.classList.toggle('continued', Boolean(continued));
}

export function buildMessage ({ kind, authorId, nick, text, date, own, mention = false }) {
  const li = el('li', 'msg');
  const isAction = kind === 'action';

  li.dataset.kind = isAction ? 'action' : 'chat';
  li.dataset.author = String(authorId);
  li.dataset.time = String(date.getTime());
  if (own)
    li.classList.add('own');
  if (isAction)
    li.classList.add('action');
  if (mention)
    li.classList.add('mention');

  const header = el('div', 'meta');
  header.append(nickElement(nick, authorId), timeElement(date));
  if (own)
    header.append(el('span', 'visually-hidden', t('msg.you')));

  const body = el('div', 'text');
  body.dir = 'auto';
  if (isAction)
    body.append(el('span', 'action-star', '* '), nickElement(nick, authorId), ' ');
  body.append(linkify(text));

  li.append(header, body);
  return li;
}

/* Who wrote a row of ours that was typed before the room said who we are:
 * the echo (or a welcome into another room) tells.
 */
export function setAuthor (li, id, nick) {
  li.dataset.author = String(id);
  for (const span of li.querySelectorAll('.nick')) {
    span.textContent = nick;
    span.className = `nick ${colorClass(id)}`;
  }
}

export function appendConfirmed (li, date) {
  withScroll(() => {
    insertDayDivider(date);
    groupWith(li, ui.log.lastElementChild);
    ui.log.append(li);
    if (ui.outbox.firstElementChild)
      groupWith(ui.outbox.firstElementChild, li);
  });
}

export function buildNotice (text, { date = null, kind = 'notice' } = {}) {
  const li = el('li', kind);
  const body = el('span', 'text');

  body.dir = 'auto';
  body.textContent = text;
  li.dataset.kind = kind;
  if (date)
    li.append(timeElement(date), ' ');
  li.append(body);
  return li;
}

export function addNotice (text, { date = null, kind = 'notice' } = {}) {
  const last = ui.log.lastElementChild;

  /* The same refusal again and again says nothing new. */
  if (kind === 'notice error' && last?.className === kind && last.textContent === text)
    return last;

  const li = buildNotice(text, { date, kind });

  withScroll(() => {
    if (date)
      insertDayDivider(date);
    ui.log.append(li);
  });
  return li;
}

/* Local notices with several lines (/help). */
export function addNoticeLines (lines) {
  const li = el('li', 'notice multiline');
  li.dataset.kind = 'notice';
  for (const line of lines)
    li.append(el('span', 'line', line));
  withScroll(() => ui.log.append(li), true);
}

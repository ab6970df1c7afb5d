/* app.js — the browser guest: joins the host's room over WebSocket
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Speaks docs/PROTOCOL.md. Everything that comes from the wire reaches the
 * page through textContent or as a validated href, never as markup.
 */

import { pickLanguage, makeTranslator } from './i18n.js';

const PROTOCOL = 'tertulia.1';
const CLIENT_NAME = 'tertulia-web/1';
const NICK_KEY = 'tertulia.nick';
const RESUME_KEY = 'tertulia.resume';
/* The room's password is kept in memory, and in sessionStorage only across
 * a reload of this tab; never in localStorage.
 */
const PASSWORD_KEY = 'tertulia.password';
const GROUP_MS = 5 * 60 * 1000;
const MAX_RETRY_S = 30;
const URL_RE = /\bhttps?:\/\/[^\s<>"]+/giu;

const language = pickLanguage(navigator.languages?.length ? navigator.languages : [navigator.language]);
const t = makeTranslator(language);
const viewerLocales = navigator.languages?.length ? [...navigator.languages] : undefined;
const timeFormat = new Intl.DateTimeFormat(viewerLocales, { hour: 'numeric', minute: '2-digit' });
const fullTimeFormat = new Intl.DateTimeFormat(viewerLocales, { dateStyle: 'full', timeStyle: 'medium' });
const dayFormat = new Intl.DateTimeFormat(viewerLocales, { weekday: 'long', day: 'numeric', month: 'long' });
const relativeDays = new Intl.RelativeTimeFormat(viewerLocales, { numeric: 'auto' });

const $ = (id) => document.getElementById(id);
const ui = {
  roomName: $('room-name'),
  roomTopic: $('room-topic'),
  peopleButton: $('people-button'),
  peopleCount: $('people-count'),
  peopleTotal: $('people-total'),
  people: $('people'),
  peopleList: $('people-list'),
  peopleClose: $('people-close'),
  status: $('status'),
  statusText: $('status-text'),
  statusButton: $('status-button'),
  scroller: $('scroller'),
  log: $('log'),
  outbox: $('outbox'),
  jump: $('jump'),
  composer: $('composer'),
  entry: $('entry'),
  nickOverlay: $('nick-overlay'),
  nickForm: $('nick-form'),
  nickInput: $('nick-input'),
  nickError: $('nick-error'),
};

/* The state of the room as this page knows it. */
const state = {
  ws: null,
  phase: 'idle',          /* idle, nick, password, connecting, joined, waiting, left */
  joinedOnce: false,      /* a welcome arrived at least once */
  wantedNick: storageGet(localStorage, NICK_KEY),
  you: null,              /* {id, nick, host} */
  myIds: new Set(),       /* every participant id this page has been */
  room: { name: 'Tertulia', topic: '' },
  participants: new Map(),
  lastSeq: 0,
  resumeToken: null,
  password: null,         /* the room's password, once asked for */
  limits: { text: 4000, nick: 32, topic: 200 },
  pending: [],            /* own messages not yet echoed: {cid, kind, text, el} */
  cidPrefix: randomId(),
  cidCounter: 0,
  retryAttempt: 0,
  retryTimer: 0,
  retryDeadline: 0,
  closeReason: 'unreachable',
  lastDayKey: null,
  unread: 0,
  unreadMention: false,
};

/* ---------------------------------------------------------------- helpers */

function storageGet (storage, key) {
  try {
    return storage.getItem(key);
  } catch {
    return null;
  }
}

function storageSet (storage, key, value) {
  try {
    if (value === null)
      storage.removeItem(key);
    else
      storage.setItem(key, value);
  } catch {
    /* Private modes may refuse storage; the page works without it. */
  }
}

function randomId () {
  const bytes = new Uint8Array(6);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function charLength (text) {
  return [...text].length;
}

function el (tag, className, text) {
  const node = document.createElement(tag);
  if (className)
    node.className = className;
  if (text !== undefined)
    node.textContent = text;
  return node;
}

/* A stable colour per nickname, from a small palette that works in both
 * light and dark mode (the classes live in style.css).
 */
function nickColorClass (nick) {
  let hash = 0;
  for (const ch of nick.toLowerCase())
    hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
  return 'nick-c' + (hash % 8);
}

function escapeRegExp (text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/* Whether @text names @nick as a word, case-insensitively, like the core's
 * tertulia_text_mentions().
 */
function mentions (text, nick) {
  if (!nick)
    return false;
  /* No lookbehind: Safari before 16.4 cannot parse it. */
  const re = new RegExp('(?:^|[^\\p{L}\\p{N}_])' + escapeRegExp(nick) + '(?![\\p{L}\\p{N}_])', 'iu');
  return re.test(text);
}

/* Splits @text into text nodes and links. Only http and https URLs become
 * links; the href is the parsed URL, the label the text as written.
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
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    fragment.append(a);
    last = match.index + raw.length;
  }

  if (last < text.length)
    fragment.append(document.createTextNode(text.slice(last)));

  return fragment;
}

function dayKey (date) {
  return `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`;
}

function describeDay (date) {
  const today = new Date();
  const midnight = (d) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const days = Math.round((midnight(date) - midnight(today)) / 86400000);
  let text;

  if (days === 0 || days === -1)
    text = relativeDays.format(days, 'day');
  else
    text = dayFormat.format(date);

  return text.charAt(0).toLocaleUpperCase(language) + text.slice(1);
}

function timeElement (date) {
  const node = el('time', 'time', timeFormat.format(date));
  node.dateTime = date.toISOString();
  node.title = fullTimeFormat.format(date);
  return node;
}

/* -------------------------------------------------------------- scrolling */

function isAtBottom () {
  const s = ui.scroller;
  return s.scrollHeight - s.scrollTop - s.clientHeight < 48;
}

function scrollToBottom () {
  ui.scroller.scrollTop = ui.scroller.scrollHeight;
  ui.jump.hidden = true;
}

/* Runs @change, then keeps the log pinned to the bottom if it was there
 * (or if @force), else offers the "new messages" button.
 */
function withScroll (change, force = false) {
  const wasAtBottom = isAtBottom();
  change();
  if (wasAtBottom || force)
    scrollToBottom();
  else
    ui.jump.hidden = false;
}

/* -------------------------------------------------------------------- log */

function insertDayDivider (date) {
  const key = dayKey(date);
  const previous = state.lastDayKey;

  state.lastDayKey = key;
  if (key === previous || (previous === null && key === dayKey(new Date())))
    return;

  const li = el('li', 'day');
  li.append(el('span', null, describeDay(date)));
  ui.log.append(li);
}

/* Collapses the header of a message that follows one by the same author
 * within a few minutes, as chat apps do.
 */
function groupWith (li, previous) {
  const continued = previous &&
    previous.dataset.kind === 'chat' && li.dataset.kind === 'chat' &&
    previous.dataset.author === li.dataset.author &&
    Math.abs(Number(li.dataset.time) - Number(previous.dataset.time)) < GROUP_MS;

  li.classList.toggle('continued', Boolean(continued));
}

function buildMessage ({ kind, authorId, nick, text, date, own }) {
  const li = el('li', 'msg');
  const isAction = kind === 'action';

  li.dataset.kind = isAction ? 'action' : 'chat';
  li.dataset.author = String(authorId);
  li.dataset.time = String(date.getTime());
  if (own)
    li.classList.add('own');
  if (isAction)
    li.classList.add('action');
  if (!own && state.you && mentions(text, state.you.nick))
    li.classList.add('mention');

  const header = el('div', 'meta');
  const who = el('span', 'nick ' + nickColorClass(nick), nick);
  header.append(who, timeElement(date));

  const body = el('div', 'text');
  if (isAction) {
    body.append(el('span', 'action-star', '* '), el('span', 'nick ' + nickColorClass(nick), nick), ' ');
  }
  body.append(linkify(text));

  li.append(header, body);
  return li;
}

function appendConfirmed (li, date) {
  withScroll(() => {
    insertDayDivider(date);
    groupWith(li, ui.log.lastElementChild);
    ui.log.append(li);
    if (ui.outbox.firstElementChild)
      groupWith(ui.outbox.firstElementChild, li);
  });
}

function addNotice (text, { date = null, kind = 'notice' } = {}) {
  const li = el('li', kind);
  const body = el('span', 'text', text);

  li.dataset.kind = kind;
  if (date) {
    li.append(timeElement(date), ' ');
  }
  li.append(body);

  withScroll(() => {
    if (date)
      insertDayDivider(date);
    ui.log.append(li);
  });
  return li;
}

/* Local notices with several lines (/help). */
function addNoticeLines (lines) {
  const li = el('li', 'notice multiline');
  li.dataset.kind = 'notice';
  for (const line of lines)
    li.append(el('span', 'line', line));
  withScroll(() => ui.log.append(li), true);
}

function countUnread (isMention) {
  if (document.visibilityState === 'visible')
    return;
  state.unread += 1;
  if (isMention)
    state.unreadMention = true;
  updateTitle();
}

function updateTitle () {
  const name = state.room.name || 'Tertulia';
  const prefix = state.unread ? `(${state.unread}${state.unreadMention ? '!' : ''}) ` : '';
  document.title = prefix + name;
}

/* ----------------------------------------------------------------- events */

function participantName (id, fallback) {
  return state.participants.get(id)?.nick ?? fallback ?? '?';
}

/* The echo of one of our own messages, even a late copy of one that the
 * server had accepted before a drop: marks it delivered.
 */
function takePending (event) {
  if (event.type !== 'message' || typeof event.cid !== 'string' || !state.myIds.has(event.from?.id))
    return null;

  const index = state.pending.findIndex((p) => p.cid === event.cid);
  return index >= 0 ? state.pending.splice(index, 1)[0] : null;
}

function applyEvent (event) {
  const date = new Date(typeof event.time === 'number' ? event.time : Date.now());
  const own = takePending(event);

  if (own)
    markDelivered(own, date);
  if (typeof event.seq !== 'number' || event.seq <= state.lastSeq)
    return;
  state.lastSeq = event.seq;
  if (own)
    return;

  switch (event.type) {
    case 'message':
      applyMessage(event, date);
      break;
    case 'join': {
      const p = event.participant || {};
      state.participants.set(p.id, { id: p.id, nick: String(p.nick ?? ''), host: Boolean(p.host) });
      addNotice(t('event.join', { nick: String(p.nick ?? '') }), { date, kind: 'event' });
      renderPeople();
      break;
    }
    case 'leave':
      state.participants.delete(event.id);
      addNotice(t('event.leave', { nick: String(event.nick ?? participantName(event.id)) }), { date, kind: 'event' });
      renderPeople();
      break;
    case 'rename': {
      const to = String(event.to ?? '');
      const p = state.participants.get(event.id);
      if (p)
        p.nick = to;
      if (state.you && event.id === state.you.id) {
        state.you.nick = to;
        storageSet(localStorage, NICK_KEY, to);
        state.wantedNick = to;
        addNotice(t('event.renameYou', { to }), { date, kind: 'event' });
      } else {
        addNotice(t('event.rename', { from: String(event.from ?? ''), to }), { date, kind: 'event' });
      }
      renderPeople();
      break;
    }
    case 'topic': {
      const topic = String(event.topic ?? '');
      const nick = String(event.by?.nick ?? '');
      state.room.topic = topic;
      renderRoom();
      addNotice(topic ? t('event.topic', { nick, topic }) : t('event.topicCleared', { nick }),
                { date, kind: 'event' });
      break;
    }
    default:
      /* A newer server's event: it still used up a seq. */
      break;
  }
}

function applyMessage (event, date) {
  const fromId = event.from?.id;
  const nick = String(event.from?.nick ?? '');
  const text = String(event.text ?? '');
  const kind = event.kind === 'action' ? 'action' : 'chat';
  const own = state.myIds.has(fromId);
  const li = buildMessage({ kind, authorId: fromId, nick, text, date, own });
  appendConfirmed(li, date);
  if (!own)
    countUnread(li.classList.contains('mention'));
}

function markDelivered (item, date) {
  const li = item.el;
  li.classList.remove('sending');
  li.dataset.time = String(date.getTime());
  li.querySelector('.state')?.remove();
  const time = li.querySelector('time');
  if (time)
    time.replaceWith(timeElement(date));
  appendConfirmed(li, date);
}

function markFailed (item, reason) {
  const li = item.el;
  li.classList.remove('sending');
  li.classList.add('failed');
  const mark = li.querySelector('.state');
  if (mark)
    mark.textContent = t('msg.failed', { reason });
  withScroll(() => {
    ui.log.append(li);
    if (ui.outbox.firstElementChild)
      groupWith(ui.outbox.firstElementChild, li);
  });
}

function applyWelcome (welcome) {
  const firstJoin = !state.joinedOnce;
  const resumed = Boolean(welcome.resumed);
  const history = Array.isArray(welcome.history) ? welcome.history : [];
  const you = welcome.you || {};

  if (!resumed && state.lastSeq > 0 && typeof welcome.seq === 'number' && welcome.seq < state.lastSeq) {
    /* A new room on the same address: its seq started again. */
    addNotice(t('notice.restarted'));
    state.lastSeq = 0;
    /* Its participant ids started again too: ours now belong to others. */
    state.myIds.clear();
  }

  state.you = { id: you.id, nick: String(you.nick ?? ''), host: Boolean(you.host) };
  state.myIds.add(you.id);
  state.room.name = String(welcome.room?.name ?? 'Tertulia');
  state.room.topic = String(welcome.room?.topic ?? '');
  state.resumeToken = typeof welcome.resume_token === 'string' ? welcome.resume_token : null;
  if (welcome.limits)
    Object.assign(state.limits, welcome.limits);

  state.participants.clear();
  for (const p of welcome.participants || [])
    state.participants.set(p.id, { id: p.id, nick: String(p.nick ?? ''), host: Boolean(p.host) });

  if (!state.wantedNick) {
    state.wantedNick = state.you.nick;
    storageSet(localStorage, NICK_KEY, state.you.nick);
  }

  const missed = state.lastSeq > 0 && (welcome.gap ||
    (history.length > 0 && history[0].seq > state.lastSeq + 1));
  if (missed)
    addNotice(t('notice.missed'));

  for (const event of history)
    applyEvent(event);
  if (typeof welcome.seq === 'number' && welcome.seq > state.lastSeq)
    state.lastSeq = welcome.seq;

  state.joinedOnce = true;
  state.retryAttempt = 0;
  setPhase('joined');
  renderRoom();
  renderPeople();

  if (firstJoin || !resumed)
    addNotice(t('notice.welcome', { room: state.room.name, nick: state.you.nick }));

  /* What was typed while away goes out again with the same cid: the
   * server recognises a cid it already accepted and only echoes it.
   */
  for (const item of state.pending)
    send({ type: 'say', cid: item.cid, kind: item.kind, text: item.text });

  scrollToBottom();
}

function applyError (frame) {
  const code = String(frame.code ?? '');
  const params = {
    'nick-too-long': { n: state.limits.nick },
    'text-too-long': { n: state.limits.text },
    'topic-too-long': { n: state.limits.topic },
  }[code] || {};
  const key = 'error.' + code;
  let sentence = t(key, params);

  if (sentence === key)
    sentence = String(frame.message ?? code);

  if (typeof frame.cid === 'string') {
    const index = state.pending.findIndex((p) => p.cid === frame.cid);
    if (index >= 0) {
      const [item] = state.pending.splice(index, 1);
      markFailed(item, sentence);
      return;
    }
  }

  /* A room with a password: ask for it, then join on a new socket (the
   * host's hello deadline keeps running while someone types).
   */
  if (state.phase === 'connecting' &&
      (code === 'password-required' || code === 'password-wrong' ||
       (code === 'rate-limited' && state.password !== null))) {
    dropSocket();
    state.password = null;
    showNickPrompt(code === 'password-required' ? null : sentence, true);
    return;
  }

  /* A nickname refused before the welcome: ask again on the same socket. */
  if (state.phase === 'connecting' && (code === 'nick-invalid' || code === 'nick-too-long')) {
    showNickPrompt(sentence);
    return;
  }

  addNotice(sentence, { kind: 'notice error' });
}

/* ------------------------------------------------------------- connection */

function send (frame) {
  if (state.ws && state.ws.readyState === WebSocket.OPEN) {
    state.ws.send(JSON.stringify(frame));
    return true;
  }
  return false;
}

function sendHello () {
  const hello = { type: 'hello', version: 1, nick: state.wantedNick || '', client: CLIENT_NAME };
  if (state.resumeToken)
    hello.resume = { token: state.resumeToken, last_seq: state.lastSeq };
  if (state.password)
    hello.password = state.password;
  send(hello);
}

/* Lets go of the socket without reacting to its close. */
function dropSocket () {
  if (state.ws) {
    const old = state.ws;
    state.ws = null;
    old.onclose = old.onmessage = old.onopen = old.onerror = null;
    try {
      old.close(1000);
    } catch {
      /* already closing */
    }
  }
}

function connect () {
  clearTimeout(state.retryTimer);
  state.retryTimer = 0;

  dropSocket();

  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = new WebSocket(`${scheme}//${location.host}/ws`, PROTOCOL);
  state.ws = ws;
  setPhase('connecting');

  ws.onopen = () => sendHello();
  ws.onmessage = (e) => {
    let frame;
    if (typeof e.data !== 'string')
      return;
    try {
      frame = JSON.parse(e.data);
    } catch {
      return;
    }
    if (!frame || typeof frame !== 'object')
      return;
    handleFrame(frame);
  };
  ws.onclose = (e) => {
    if (state.ws !== ws)
      return;
    state.ws = null;
    if (state.phase === 'left')
      return;
    if (e.code === 1001)
      state.closeReason = 'hostClosed';
    else
      state.closeReason = state.joinedOnce ? 'lost' : 'unreachable';
    scheduleRetry();
  };
}

function handleFrame (frame) {
  switch (frame.type) {
    case 'welcome':
      applyWelcome(frame);
      break;
    case 'error':
      applyError(frame);
      break;
    case 'message':
    case 'join':
    case 'leave':
    case 'rename':
    case 'topic':
      if (state.phase === 'joined')
        applyEvent(frame);
      break;
    default:
      break;
  }
}

function scheduleRetry () {
  /* 1, 2, 4, 8 … seconds up to MAX_RETRY_S, with some jitter so that a
   * room full of phones does not come back in the same instant.
   */
  const base = Math.min(MAX_RETRY_S, 2 ** state.retryAttempt);
  const delay = base * 1000 * (0.8 + Math.random() * 0.4);

  state.retryAttempt += 1;
  state.retryDeadline = Date.now() + delay;
  setPhase('waiting');
  tickRetry();
}

function tickRetry () {
  clearTimeout(state.retryTimer);
  const left = state.retryDeadline - Date.now();

  if (left <= 0) {
    connect();
    return;
  }

  renderStatus();
  state.retryTimer = setTimeout(tickRetry, Math.min(1000, left));
}

function retryNow () {
  if (state.phase === 'waiting' || state.phase === 'left') {
    state.retryAttempt = 0;
    connect();
  }
}

function leave () {
  setPhase('left');
  state.resumeToken = null;
  clearTimeout(state.retryTimer);
  if (state.ws) {
    const ws = state.ws;
    state.ws = null;
    ws.close(1000);
  }
}

function setPhase (phase) {
  state.phase = phase;
  renderStatus();
}

/* ----------------------------------------------------------------- render */

function renderStatus () {
  let text = '';
  let button = null;

  switch (state.phase) {
    case 'connecting':
      text = state.joinedOnce ? t('status.reconnecting') : t('status.connecting');
      break;
    case 'waiting': {
      const n = Math.max(1, Math.ceil((state.retryDeadline - Date.now()) / 1000));
      text = t('status.' + state.closeReason, { n });
      button = 'status.retry';
      break;
    }
    case 'left':
      text = t('status.left');
      button = 'status.rejoin';
      break;
    default:
      break;
  }

  ui.status.hidden = text === '';
  ui.status.classList.toggle('problem', state.phase === 'waiting');
  if (ui.statusText.textContent !== text)
    ui.statusText.textContent = text;
  ui.statusButton.hidden = button === null;
  if (button)
    ui.statusButton.textContent = t(button);
}

function renderRoom () {
  ui.roomName.textContent = state.room.name;
  ui.roomTopic.textContent = state.room.topic;
  ui.roomTopic.title = state.room.topic;
  ui.roomTopic.hidden = state.room.topic === '';
  updateTitle();
}

function renderPeople () {
  const n = state.participants.size;
  const label = t('people.button', { n });

  ui.peopleCount.textContent = String(n);
  ui.peopleTotal.textContent = String(n);
  ui.peopleButton.setAttribute('aria-label', label);
  ui.peopleButton.title = label;

  const items = [];
  for (const p of state.participants.values()) {
    const li = el('li');
    const button = el('button', 'person');
    button.type = 'button';
    button.dataset.nick = p.nick;
    button.append(el('span', 'avatar ' + nickColorClass(p.nick), [...p.nick][0]?.toLocaleUpperCase(language) ?? '?'),
                  el('span', 'person-nick', p.nick));
    if (state.you && p.id === state.you.id)
      button.append(el('span', 'badge', t('people.you')));
    if (p.host)
      button.append(el('span', 'badge host', t('people.host')));
    li.append(button);
    items.push(li);
  }
  ui.peopleList.replaceChildren(...items);
}

function applyStaticTranslations () {
  document.documentElement.lang = language;
  for (const node of document.querySelectorAll('[data-i18n]'))
    node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll('[data-i18n-placeholder]'))
    node.placeholder = t(node.dataset.i18nPlaceholder);
  for (const node of document.querySelectorAll('[data-i18n-aria-label]'))
    node.setAttribute('aria-label', t(node.dataset.i18nAriaLabel));
}

/* -------------------------------------------------------------- composing */

function nextCid () {
  state.cidCounter += 1;
  return `${state.cidPrefix}-${state.cidCounter}`;
}

function postMessage (kind, text) {
  if (charLength(text) > state.limits.text) {
    addNotice(t('notice.textTooLong', { n: state.limits.text }), { kind: 'notice error' });
    return false;
  }

  const item = { cid: nextCid(), kind, text, el: null };
  const nick = state.you?.nick ?? state.wantedNick ?? '';
  const li = buildMessage({ kind, authorId: state.you?.id ?? 0, nick, text, date: new Date(), own: true });

  li.classList.add('sending');
  /* Below the text, so that it shows even when the header is collapsed. */
  li.append(el('div', 'state', t('msg.sending')));
  item.el = li;
  state.pending.push(item);

  withScroll(() => {
    groupWith(li, ui.outbox.lastElementChild ?? ui.log.lastElementChild);
    ui.outbox.append(li);
  }, true);

  if (state.phase === 'joined')
    send({ type: 'say', cid: item.cid, kind, text });
  return true;
}

function helpLines () {
  return [t('help.title'), t('help.me'), t('help.nick'), t('help.topic'), t('help.list'),
          t('help.help'), t('help.quit'), t('help.slash')];
}

/* The same commands, aliases included, as the core's tertulia-command. */
const COMMANDS = {
  me: 'me',
  nick: 'nick',
  topic: 'topic',
  list: 'list', listar: 'list',
  help: 'help', ayuda: 'help', ajuda: 'help',
  quit: 'quit', quitar: 'quit', exit: 'quit', salir: 'quit', sair: 'quit',
};

/* Returns true when the entry should be cleared. */
function runLine (line) {
  if (line.trim() === '')
    return false;

  /* The host trims messages; the page shows them as the host will. */
  if (!line.startsWith('/') || line.startsWith('//'))
    return postMessage('chat', (line.startsWith('//') ? line.slice(1) : line).trim());

  const match = /^\/(\S+)\s*([\s\S]*)$/u.exec(line);
  const name = match[1];
  const argument = match[2].trim();
  const command = COMMANDS[name.toLowerCase()];

  switch (command) {
    case 'me':
      if (!argument) {
        addNotice(t('cmd.usage', { usage: t('usage.me') }), { kind: 'notice error' });
        return false;
      }
      return postMessage('action', argument);
    case 'nick':
      if (!argument) {
        addNotice(t('cmd.usage', { usage: t('usage.nick') }), { kind: 'notice error' });
        return false;
      }
      if (charLength(argument) > state.limits.nick) {
        addNotice(t('error.nick-too-long', { n: state.limits.nick }), { kind: 'notice error' });
        return false;
      }
      if (!send({ type: 'nick', nick: argument })) {
        addNotice(t('notice.offline'), { kind: 'notice error' });
        return false;
      }
      return true;
    case 'topic':
      if (charLength(argument) > state.limits.topic) {
        addNotice(t('notice.topicTooLong', { n: state.limits.topic }), { kind: 'notice error' });
        return false;
      }
      if (!send({ type: 'topic', topic: argument })) {
        addNotice(t('notice.offline'), { kind: 'notice error' });
        return false;
      }
      return true;
    case 'list': {
      const names = [...state.participants.values()].map((p) => {
        const marks = [];
        if (state.you && p.id === state.you.id)
          marks.push(t('people.you'));
        if (p.host)
          marks.push(t('people.host'));
        return marks.length ? `${p.nick} (${marks.join(', ')})` : p.nick;
      });
      const list = new Intl.ListFormat(language, { type: 'unit' }).format(names);
      addNotice(t('notice.list', { n: names.length, names: list }));
      scrollToBottom();
      return true;
    }
    case 'help':
      addNoticeLines(helpLines());
      return true;
    case 'quit':
      leave();
      return true;
    default:
      addNotice(t('cmd.unknown', { cmd: '/' + name }), { kind: 'notice error' });
      return false;
  }
}

function autosizeEntry () {
  const entry = ui.entry;
  entry.style.height = 'auto';
  entry.style.height = Math.min(entry.scrollHeight, 160) + 'px';
}

function submitEntry () {
  const line = ui.entry.value;
  if (runLine(line)) {
    ui.entry.value = '';
    autosizeEntry();
  }
}

/* Tab completes a nickname at the cursor, as in the app. */
function completeNick () {
  const entry = ui.entry;
  const before = entry.value.slice(0, entry.selectionStart);
  const match = /(\S+)$/u.exec(before);
  if (!match)
    return false;

  const prefix = match[1].toLocaleLowerCase();
  const nicks = [...state.participants.values()]
    .map((p) => p.nick)
    .filter((nick) => nick.toLocaleLowerCase().startsWith(prefix))
    .sort((a, b) => a.localeCompare(b));
  if (nicks.length === 0)
    return false;

  const start = before.length - match[1].length;
  const suffix = start === 0 ? ': ' : ' ';
  entry.setRangeText(nicks[0] + suffix, start, entry.selectionStart, 'end');
  return true;
}

function insertMention (nick) {
  const entry = ui.entry;
  const value = entry.value;
  const text = value.trim() === '' ? nick + ': ' : (value.endsWith(' ') ? '' : ' ') + nick + ' ';
  entry.setRangeText(text, entry.selectionStart, entry.selectionEnd, 'end');
  setPeopleOpen(false);
  entry.focus();
  autosizeEntry();
}

/* ------------------------------------------------------------------ nick */

/* The join dialog's password field, shown only for a room that asks for
 * one; .card input styles it like the nickname field.
 */
function buildPasswordField () {
  const label = el('label', 'visually-hidden');
  const input = document.createElement('input');

  label.htmlFor = 'password-input';
  label.dataset.i18n = 'password.label';
  input.id = 'password-input';
  input.type = 'password';
  input.autocomplete = 'current-password';
  input.spellcheck = false;
  input.setAttribute('autocapitalize', 'off');
  input.enterKeyHint = 'go';
  input.dataset.i18nPlaceholder = 'password.placeholder';
  input.setAttribute('aria-describedby', 'nick-error');
  input.style.marginTop = '8px';

  ui.passwordField = el('div', 'password-field');
  ui.passwordField.hidden = true;
  ui.passwordField.append(label, input);
  ui.passwordInput = input;
  ui.nickError.before(ui.passwordField);
}

function showNickPrompt (error = null, password = false) {
  if (password)
    setPhase('password');
  else
    setPhase(state.phase === 'connecting' ? 'connecting' : 'nick');
  ui.nickOverlay.hidden = false;
  ui.nickInput.value = state.wantedNick ?? '';
  ui.nickError.hidden = error === null;
  ui.nickError.textContent = error ?? '';
  ui.passwordField.hidden = !password;
  ui.passwordInput.value = '';
  $('nick-title').textContent = t(password ? 'password.title' : 'nick.title');
  if (password) {
    ui.passwordInput.setAttribute('aria-invalid', error === null ? 'false' : 'true');
    ui.nickInput.setAttribute('aria-invalid', 'false');
    ui.passwordInput.focus();
  } else {
    ui.nickInput.setAttribute('aria-invalid', error === null ? 'false' : 'true');
    ui.nickInput.focus();
    ui.nickInput.select();
  }
}

function submitNick () {
  const nick = ui.nickInput.value.trim();

  if (!ui.passwordField.hidden) {
    const password = ui.passwordInput.value;

    if (password === '') {
      showNickPrompt(t('error.password-required'), true);
      return;
    }
    state.password = password;
    ui.passwordInput.value = '';
    ui.passwordField.hidden = true;
  }

  if (charLength(nick) > state.limits.nick) {
    showNickPrompt(t('error.nick-too-long', { n: state.limits.nick }));
    return;
  }

  state.wantedNick = nick || null;
  storageSet(localStorage, NICK_KEY, nick || null);
  ui.nickOverlay.hidden = true;

  if (state.ws && state.ws.readyState === WebSocket.OPEN && state.phase === 'connecting')
    sendHello();
  else
    connect();
  ui.entry.focus();
}

/* ---------------------------------------------------------------- layout */

function setPeopleOpen (open) {
  document.body.classList.toggle('people-open', open);
  ui.peopleButton.setAttribute('aria-expanded', String(open));
  if (open)
    ui.peopleClose.focus();
}

/* The on-screen keyboard shrinks the visual viewport; sizing the app to it
 * keeps the entry above the keyboard where dvh and interactive-widget are
 * not enough (iOS Safari).
 */
function followViewport () {
  const vv = window.visualViewport;
  if (!vv)
    return;

  const update = () => {
    const stick = isAtBottom();
    document.documentElement.style.setProperty('--app-height', `${Math.round(vv.height)}px`);
    if (window.scrollY !== 0)
      window.scrollTo(0, 0);
    if (stick)
      scrollToBottom();
  };
  vv.addEventListener('resize', update);
  vv.addEventListener('scroll', update);
  update();
}

/* ------------------------------------------------------------------ wire */

function init () {
  buildPasswordField();
  applyStaticTranslations();
  renderRoom();
  renderPeople();
  followViewport();

  ui.composer.addEventListener('submit', (e) => {
    e.preventDefault();
    submitEntry();
    ui.entry.focus();
  });
  ui.entry.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submitEntry();
    } else if (e.key === 'Tab' && !e.shiftKey && ui.entry.value !== '') {
      if (completeNick())
        e.preventDefault();
    }
  });
  ui.entry.addEventListener('input', autosizeEntry);
  /* Tapping Send must not take the focus from the entry: on a phone that
   * would close the keyboard between two messages.
   */
  $('send').addEventListener('mousedown', (e) => e.preventDefault());

  ui.nickForm.addEventListener('submit', (e) => {
    e.preventDefault();
    submitNick();
  });

  ui.statusButton.addEventListener('click', retryNow);
  ui.peopleButton.addEventListener('click', () =>
    setPeopleOpen(!document.body.classList.contains('people-open')));
  ui.peopleClose.addEventListener('click', () => {
    setPeopleOpen(false);
    ui.peopleButton.focus();
  });
  ui.peopleList.addEventListener('click', (e) => {
    const button = e.target.closest('button.person');
    if (button)
      insertMention(button.dataset.nick);
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && document.body.classList.contains('people-open')) {
      setPeopleOpen(false);
      ui.peopleButton.focus();
    }
  });

  ui.scroller.addEventListener('scroll', () => {
    if (isAtBottom())
      ui.jump.hidden = true;
  }, { passive: true });
  ui.jump.addEventListener('click', scrollToBottom);
  ui.scroller.addEventListener('click', () => {
    if (document.body.classList.contains('people-open'))
      setPeopleOpen(false);
  });

  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') {
      state.unread = 0;
      state.unreadMention = false;
      updateTitle();
      /* A phone that slept comes back to a dead socket: try at once. */
      retryNow();
    }
  });
  window.addEventListener('online', retryNow);

  /* A reload should come back as the same participant, with no leave and
   * join in between. The token is written only on the way out and read
   * once, so a duplicated tab does not take over this one's session.
   */
  window.addEventListener('pagehide', () => {
    if (state.resumeToken && state.phase !== 'left')
      storageSet(sessionStorage, RESUME_KEY, state.resumeToken);
    if (state.password && state.phase !== 'left')
      storageSet(sessionStorage, PASSWORD_KEY, state.password);
  });
  window.addEventListener('pageshow', (e) => {
    if (e.persisted && !state.ws && state.phase !== 'left' && state.phase !== 'nick' &&
        state.phase !== 'password')
      connect();
  });
  state.resumeToken = storageGet(sessionStorage, RESUME_KEY);
  storageSet(sessionStorage, RESUME_KEY, null);
  state.password = storageGet(sessionStorage, PASSWORD_KEY);
  storageSet(sessionStorage, PASSWORD_KEY, null);

  if (state.wantedNick === null)
    showNickPrompt();
  else
    connect();
}

init();

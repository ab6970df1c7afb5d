/* common.js — what every part of the browser guest shares: the translator,
 * the page's elements, storage that may refuse
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

import { pickLanguage, makeTranslator } from './i18n.js';

export const language = pickLanguage(navigator.languages?.length ? navigator.languages : [navigator.language]);
export const t = makeTranslator(language);
export const viewerLocales = navigator.languages?.length ? [...navigator.languages] : undefined;

export const NICK_KEY = 'tertulia.nick';

export const $ = (id) => document.getElementById(id);

export const ui = {
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

export function storageGet (storage, key) {
  try {
    return storage.getItem(key);
  } catch {
    return null;
  }
}

export function storageSet (storage, key, value) {
  try {
    if (value === null)
      storage.removeItem(key);
    else
      storage.setItem(key, value);
  } catch {
    /* Private modes may refuse storage; the page works without it. */
  }
}

export function el (tag, className, text) {
  const node = document.createElement(tag);
  if (className)
    node.className = className;
  if (text !== undefined)
    node.textContent = text;
  return node;
}

function escapeRegExp (text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/* Whether @text names @nick as a word, case-insensitively, like the core's
 * tertulia_text_mentions().
 */
const mentionRe = { nick: null, re: null };

export function mentions (text, nick) {
  if (!nick)
    return false;
  /* No lookbehind: Safari before 16.4 cannot parse it. One expression per
   * nickname, not per message.
   */
  if (mentionRe.nick !== nick) {
    mentionRe.nick = nick;
    mentionRe.re = new RegExp('(?:^|[^\\p{L}\\p{N}_])' + escapeRegExp(nick) + '(?![\\p{L}\\p{N}_])', 'iu');
  }
  return mentionRe.re.test(text);
}

export function charLength (text) {
  return [...text].length;
}

/* The state of the room as this page knows it. */
export const state = {
  ws: null,
  phase: 'idle',          /* idle, nick, password, connecting, joined, waiting, left, removed */
  joinedOnce: false,      /* a welcome arrived at least once */
  wantedNick: storageGet(localStorage, NICK_KEY),
  you: null,              /* {id, nick, host, role, muted, mutedBy} */
  myIds: new Set(),       /* every participant id this page has been in this room */
  roomId: null,           /* room.id of the room the page is in */
  room: { name: 'Tertulia', topic: '', locked: false, slowSeconds: 0, privateMessages: 'everyone' },
  participants: new Map(),
  lastSeq: 0,
  resumeToken: null,
  password: null,         /* the room's password, once asked for */
  limits: { text: 4000, nick: 32, topic: 200 },
  offline: !navigator.onLine,
  retryAttempt: 0,
  retryTimer: 0,
  retryDeadline: 0,
  closeReason: 'unreachable',
  unread: 0,
  unreadMention: false,
  privateUnread: 0,       /* private messages not read yet (private.js) */
  lastPrivate: 0,         /* the id of the newest `private` frame seen */
  slowUntil: 0,           /* slow mode: when you may write again (ms) */
  removal: null,          /* kicked or banned: {action, by, reason} */
};

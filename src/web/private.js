/* private.js — private conversations, apart from the room (issue 18)
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A `msg` goes to one person; the host answers the sender and the
 * recipient with a `private` frame (no seq, never in the room's history).
 * Each peer's messages are one conversation with its own log, composer and
 * unread count; the header's button and the page's title count what is
 * unread. The host's computer relays them, and the page says so.
 */

import { $, charLength, el, state, t, ui } from './common.js';
import { addNotice, buildMessage, timeElement } from './log.js';
import { updateTitle } from './layout.js';
import { moderates, splitPerson } from './moderation.js';

/* peer id → { id, nick, present, unread, last (time), rows: [li] } */
const conversations = new Map();
/* cid → { conv, li, text } for messages of ours with no echo yet */
const pending = new Map();
const view = { dialog: null, current: null };
let sendFrame = () => false;
let cidCount = 0;

function randomId () {
  const bytes = new Uint8Array(4);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function totalUnread () {
  let n = 0;
  for (const conv of conversations.values())
    n += conv.unread;
  return n;
}

function conversationFor (peer) {
  let conv = conversations.get(peer.id);
  if (!conv) {
    conv = { id: peer.id, nick: String(peer.nick ?? ''), present: state.participants.has(peer.id), unread: 0, last: 0, rows: [] };
    conversations.set(peer.id, conv);
  }
  return conv;
}

/* Whether the viewer is reading @conv now. */
function reading (conv) {
  return view.dialog?.open && view.current === conv.id && document.visibilityState === 'visible';
}

/* ---------------------------------------------------------------- header */

function renderButton () {
  const button = $('private-button');
  const n = totalUnread();
  button.hidden = conversations.size === 0;
  $('private-count').textContent = n > 0 ? String(n) : '';
  $('private-count').hidden = n === 0;
  const label = n > 0 ? t('private.buttonUnread', { n }) : t('private.button');
  button.setAttribute('aria-label', label);
  button.title = label;
  state.privateUnread = n;
  updateTitle();
}

/* --------------------------------------------------------------- frames */

function markDelivered (li, date) {
  li.classList.remove('sending');
  li.querySelector('.state')?.remove();
  li.querySelector('time')?.replaceWith(timeElement(date));
}

function markFailed (entry, reason) {
  const li = entry.li;
  li.classList.remove('sending');
  li.classList.add('failed');
  const mark = li.querySelector('.state') ?? li.appendChild(el('div', 'state'));
  mark.textContent = t('msg.failed', { reason });
  const resend = el('button', 'resend', t('msg.resend'));
  resend.type = 'button';
  resend.addEventListener('click', () => {
    li.remove();
    entry.conv.rows = entry.conv.rows.filter((row) => row !== li);
    sendText(entry.conv, entry.text);
  });
  mark.after(resend);
}

/* A `private` frame, live or from a welcome's "private". */
export function onPrivate (frame) {
  const id = typeof frame.id === 'number' ? frame.id : 0;
  if (id > 0 && id <= state.lastPrivate)
    return;
  if (id > state.lastPrivate)
    state.lastPrivate = id;

  const own = state.myIds.has(frame.from?.id);
  const peer = own ? frame.to : frame.from;
  if (!peer || typeof peer.id !== 'number')
    return;
  const conv = conversationFor(peer);
  const date = new Date(typeof frame.time === 'number' ? frame.time : Date.now());
  const text = String(frame.text ?? '');
  conv.nick = String(peer.nick ?? conv.nick);
  conv.last = date.getTime();

  const mine = own && typeof frame.cid === 'string' ? pending.get(frame.cid) : null;
  if (mine) {
    pending.delete(frame.cid);
    markDelivered(mine.li, date);
  } else {
    const li = buildMessage({ kind: 'chat', authorId: frame.from?.id, nick: String(frame.from?.nick ?? ''), text, date, own });
    conv.rows.push(li);
    if (view.current === conv.id)
      appendRow(li);
    if (!own && !reading(conv))
      conv.unread += 1;
  }
  render();
}

/* An `error` frame with a cid of ours: the message failed. */
export function privateError (cid, sentence) {
  const entry = pending.get(cid);
  if (!entry)
    return false;
  pending.delete(cid);
  markFailed(entry, sentence);
  return true;
}

/* After a welcome's "private": what got no echo was lost with the link. */
export function privateWelcome (list) {
  for (const frame of Array.isArray(list) ? list : []) {
    if (frame && typeof frame === 'object')
      onPrivate(frame);
  }
  for (const [cid, entry] of pending) {
    pending.delete(cid);
    markFailed(entry, t('files.network'));
  }
  syncPeers();
}

/* A new room: its participant ids are not the old ones. */
export function resetPrivate () {
  conversations.clear();
  pending.clear();
  state.lastPrivate = 0;
  view.current = null;
  if (view.dialog?.open)
    view.dialog.close();
  render();
}

/* Joins, leaves and renames: who can be written to, under which name. */
export function syncPeers () {
  for (const conv of conversations.values()) {
    const p = state.participants.get(conv.id);
    conv.present = Boolean(p) && state.phase === 'joined';
    if (p)
      conv.nick = p.nick;
  }
  render();
}

/* --------------------------------------------------------------- sending */

function sendText (conv, text) {
  const cid = `p${++cidCount}-${randomId()}`;
  const date = new Date();
  const li = buildMessage({ kind: 'chat', authorId: state.you?.id ?? 0, nick: state.you?.nick ?? '', text, date, own: true });
  li.classList.add('sending');
  li.append(el('div', 'state', t('msg.sending')));
  conv.rows.push(li);
  conv.last = date.getTime();
  const entry = { conv, li, text };
  if (view.current === conv.id)
    appendRow(li);
  if (sendFrame({ type: 'msg', to: conv.id, text, cid }))
    pending.set(cid, entry);
  else
    markFailed(entry, t('msg.offline'));
  render();
}

/* Why @conv cannot be written to now, or null. */
function blockedReason (conv) {
  if (state.phase !== 'joined')
    return t('private.offline');
  if (!conv.present)
    return t('private.peerLeft', { nick: conv.nick });
  if (state.you?.muted)
    return t('composer.muted');
  const peer = state.participants.get(conv.id);
  if (state.room.privateMessages === 'off')
    return t('private.off');
  if (state.room.privateMessages === 'hosts' && !moderates(state.you) && !moderates(peer))
    return t('private.hostsOnly');
  return null;
}

/* /msg NICK TEXT; returns true when the entry should clear. */
export function runMsgCommand (argument) {
  const { person, word, rest } = splitPerson(argument);
  if (argument === '' || (person && rest === '')) {
    addNotice(t('cmd.usage', { usage: t('usage.msg') }), { kind: 'notice error' });
    return false;
  }
  if (!person) {
    addNotice(t('cmd.noSuchPerson', { nick: word }), { kind: 'notice error' });
    return false;
  }
  const text = rest;
  if (state.myIds.has(person.id)) {
    addNotice(t('error.private-to-self'), { kind: 'notice error' });
    return false;
  }
  if (charLength(text) > state.limits.text) {
    addNotice(t('notice.textTooLong', { n: state.limits.text }), { kind: 'notice error' });
    return false;
  }
  const conv = conversationFor(person);
  conv.present = true;
  sendText(conv, text);
  addNotice(t('private.sentTo', { nick: person.nick }));
  return true;
}

/* ------------------------------------------------------------------- view */

function appendRow (li) {
  const scroller = view.dialog.querySelector('.private-scroller');
  const stick = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 48;
  view.dialog.querySelector('.private-rows').append(li);
  if (stick || li.classList.contains('own'))
    scroller.scrollTop = scroller.scrollHeight;
}

function renderList () {
  const list = view.dialog.querySelector('.conversations');
  const convs = [...conversations.values()].sort((a, b) => b.last - a.last);
  view.dialog.querySelector('.private-empty').hidden = convs.length > 0;
  list.replaceChildren(...convs.map((conv) => {
    const li = el('li');
    const button = el('button', 'conversation');
    button.type = 'button';
    button.dataset.id = String(conv.id);
    const nick = el('span', 'person-nick', conv.nick);
    nick.dir = 'auto';
    const last = conv.rows[conv.rows.length - 1];
    const preview = el('span', 'preview', last?.querySelector('.text')?.textContent ?? '');
    preview.dir = 'auto';
    const words = el('span', 'conversation-words');
    words.append(nick, preview);
    button.append(words);
    if (!conv.present)
      button.append(el('span', 'badge', t('private.gone')));
    if (conv.unread > 0) {
      const count = el('span', 'unread', String(conv.unread));
      count.setAttribute('aria-hidden', 'true');
      button.append(count, el('span', 'visually-hidden', t('private.unread', { n: conv.unread })));
    }
    button.addEventListener('click', () => showConversation(conv.id));
    li.append(button);
    return li;
  }));
}

function renderConversationState () {
  const conv = conversations.get(view.current);
  if (!conv)
    return;
  const reason = blockedReason(conv);
  const note = view.dialog.querySelector('.private-note');
  note.hidden = reason === null;
  note.textContent = reason ?? '';
  const entry = view.dialog.querySelector('.private-entry');
  entry.disabled = reason !== null;
  view.dialog.querySelector('.private-send').disabled = reason !== null;
  entry.setAttribute('aria-label', t('private.entryLabel', { nick: conv.nick }));
  view.dialog.querySelector('h2').textContent = conv.nick;
}

function render () {
  if (view.dialog?.open) {
    if (view.current === null)
      renderList();
    else
      renderConversationState();
  }
  renderButton();
}

function showList () {
  view.current = null;
  const d = view.dialog;
  d.classList.remove('in-conversation');
  d.querySelector('h2').textContent = t('private.title');
  d.querySelector('.private-back').hidden = true;
  d.querySelector('.private-list').hidden = false;
  d.querySelector('.private-conversation').hidden = true;
  renderList();
  renderButton();
  (d.querySelector('.conversation') ?? d.querySelector('.private-close')).focus();
}

function showConversation (id) {
  const conv = conversations.get(id);
  if (!conv)
    return;
  const d = view.dialog;
  view.current = id;
  d.classList.add('in-conversation');
  d.querySelector('.private-back').hidden = false;
  d.querySelector('.private-list').hidden = true;
  d.querySelector('.private-conversation').hidden = false;
  d.querySelector('.private-rows').replaceChildren(...conv.rows);
  const scroller = d.querySelector('.private-scroller');
  scroller.scrollTop = scroller.scrollHeight;
  conv.unread = 0;
  renderConversationState();
  renderButton();
  const entry = d.querySelector('.private-entry');
  if (!entry.disabled)
    entry.focus();
  else
    d.querySelector('.private-back').focus();
}

function open () {
  if (!view.dialog.open)
    view.dialog.showModal();
}

/* The list of conversations (the header's button, the menu). */
export function openPrivateList () {
  open();
  showList();
}

/* "Message privately" in a person's menu. */
export function openConversation (person) {
  const conv = conversationFor(person);
  conv.present = state.participants.has(person.id);
  open();
  showConversation(conv.id);
}

function iconButton (className, labelKey, path) {
  const button = el('button', `icon-button ${className}`);
  button.type = 'button';
  button.setAttribute('aria-label', t(labelKey));
  button.title = t(labelKey);
  const svgNs = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(svgNs, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const shape = document.createElementNS(svgNs, 'path');
  shape.setAttribute('fill', 'currentColor');
  shape.setAttribute('d', path);
  svg.append(shape);
  button.append(svg);
  return button;
}

function buildView () {
  const d = el('dialog', 'sheet');
  d.id = 'private';
  d.setAttribute('aria-labelledby', 'private-title');

  const bar = el('div', 'sheet-bar');
  const back = iconButton('private-back', 'private.back', 'M10.7 2.3 5 8l5.7 5.7 1-1L7 8l4.7-4.7z');
  const title = el('h2', null, t('private.title'));
  title.id = 'private-title';
  title.dir = 'auto';
  const close = iconButton('private-close', 'people.close',
                           'M4.3 3.3 3.3 4.3 7 8l-3.7 3.7 1 1L8 9l3.7 3.7 1-1L9 8l3.7-3.7-1-1L8 7z');
  bar.append(back, title, close);

  const relayed = el('p', 'relayed', t('private.relayed'));

  const listPart = el('div', 'private-list');
  const empty = el('p', 'private-empty hint', t('private.empty'));
  listPart.append(empty, el('ul', 'conversations'));

  const convPart = el('div', 'private-conversation');
  /* Like the room's: a labelled log region around a list of rows. */
  const scroller = el('div', 'private-scroller');
  scroller.id = 'private-log';
  scroller.setAttribute('role', 'log');
  scroller.setAttribute('aria-live', 'polite');
  scroller.tabIndex = 0;
  scroller.setAttribute('aria-label', t('private.logLabel'));
  const log = el('ol', 'log private-rows');
  scroller.append(log);
  const note = el('p', 'composer-note private-note');
  note.id = 'private-note';
  note.setAttribute('role', 'status');
  const form = el('form', 'composer private-composer');
  form.noValidate = true;
  const entry = document.createElement('textarea');
  entry.className = 'private-entry';
  entry.rows = 1;
  entry.dir = 'auto';
  entry.enterKeyHint = 'send';
  entry.placeholder = t('private.placeholder');
  const send = iconButton('send private-send', 'send',
                          'M1.7 1.3a.5.5 0 0 0-.7.6L3 8l-2 6.1a.5.5 0 0 0 .7.6l13-6.2a.5.5 0 0 0 0-1zM4 7.2 2.6 3l9.7 4.2zm0 1.6h8.3L2.6 13z');
  send.classList.remove('icon-button');
  send.type = 'submit';
  form.append(entry, send);
  convPart.append(scroller, note, form);

  d.append(bar, relayed, listPart, convPart);
  document.body.append(d);
  view.dialog = d;

  const submit = () => {
    const conv = conversations.get(view.current);
    const text = entry.value.trim();
    if (!conv || text === '' || blockedReason(conv) !== null)
      return;
    if (charLength(text) > state.limits.text) {
      note.hidden = false;
      note.textContent = t('notice.textTooLong', { n: state.limits.text });
      return;
    }
    sendText(conv, text);
    entry.value = '';
    entry.style.height = 'auto';
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    submit();
    entry.focus();
  });
  entry.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submit();
    }
  });
  entry.addEventListener('input', () => {
    entry.style.height = 'auto';
    entry.style.height = Math.min(entry.scrollHeight, 160) + 'px';
  });
  send.addEventListener('mousedown', (e) => e.preventDefault());
  back.addEventListener('click', showList);
  close.addEventListener('click', () => d.close());
  d.addEventListener('close', () => {
    view.current = null;
    ui.entry.focus();
  });
}

/* @send(frame) → bool */
export function initPrivate (send) {
  sendFrame = send;
  buildView();
  $('private-button').addEventListener('click', openPrivateList);
  document.addEventListener('visibilitychange', () => {
    const conv = conversations.get(view.current);
    if (conv && reading(conv) && conv.unread > 0) {
      conv.unread = 0;
      render();
    }
  });
  render();
}

/* The room's settings or your state changed: the open view follows. */
export function renderPrivate () {
  render();
}

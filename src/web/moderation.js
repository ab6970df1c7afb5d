/* moderation.js — roles, the person menu, room settings and what
 * moderation does to this page (issue 18)
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The host enforces every rule (docs/PROTOCOL.md, *Moderation*); this page
 * only offers what the viewer may do and says what happened. Nicknames and
 * reasons come from the wire and reach the page through textContent only.
 */

import { $, el, state, t, ui } from './common.js';
import { addNotice, addNoticeLines, buildNotice } from './log.js';

let actions = null;

/* ------------------------------------------------------------------ roles */

/* The page's copy of a participant object from the wire. */
export function personFrom (p) {
  const role = p?.role === 'host' || p?.role === 'cohost' ? p.role : (p?.host ? 'host' : 'guest');
  return { id: p?.id, nick: String(p?.nick ?? ''), host: role === 'host', role, muted: p?.muted === true };
}

export function moderates (person) {
  return person?.role === 'host' || person?.role === 'cohost';
}

export function youModerate () {
  return moderates(state.you);
}

/* What the host would allow you to do to @person: co-hosts act on guests
 * only, nobody acts on themselves.
 */
function canActOn (person) {
  if (!youModerate() || !person || state.myIds.has(person.id) || person.role === 'host')
    return false;
  return state.you.role === 'host' || person.role === 'guest';
}

/* The room's settings from a welcome. */
export function applyRoomSettings (room) {
  state.room.locked = room?.locked === true;
  state.room.slowSeconds = Number.isInteger(room?.slow_seconds) ? room.slow_seconds : 0;
  state.room.privateMessages = ['everyone', 'hosts', 'off'].includes(room?.private_messages)
    ? room.private_messages : 'everyone';
}

/* --------------------------------------------------------------- events */

/* The participant the page is now (what happens to it changes the page). */
function isYou (who) {
  return Boolean(who) && Boolean(state.you) && who.id === state.you.id;
}

/* Any participant this page has been in this room (what the log says). */
function isMine (who) {
  return Boolean(who) && state.myIds.has(who.id);
}

/* Applies a `moderation` event to the room's state. */
export function applyModeration (event) {
  const target = event.target ? state.participants.get(event.target.id) : null;
  const you = isYou(event.target);

  switch (event.action) {
    case 'mute':
    case 'unmute':
      if (target)
        target.muted = event.action === 'mute';
      if (you) {
        state.you.muted = event.action === 'mute';
        state.you.mutedBy = String(event.by?.nick ?? '');
      }
      break;
    case 'op':
    case 'deop':
      if (target) {
        target.role = event.action === 'op' ? 'cohost' : 'guest';
        target.host = false;
      }
      if (you)
        state.you.role = event.action === 'op' ? 'cohost' : 'guest';
      break;
    case 'kick':
    case 'ban':
      if (you)
        state.removal = { action: event.action, by: String(event.by?.nick ?? ''), reason: String(event.reason ?? '') };
      break;
    case 'slow':
      state.room.slowSeconds = Number.isInteger(event.seconds) ? event.seconds : 0;
      break;
    case 'lock':
    case 'unlock':
      state.room.locked = event.action === 'lock';
      break;
    case 'private-messages':
      if (['everyone', 'hosts', 'off'].includes(event.allow))
        state.room.privateMessages = event.allow;
      break;
    default:
      break;
  }
}

/* After a live moderation event: what shows it besides its row. */
export function afterModeration () {
  renderComposer();
  if (settings.dialog?.open)
    renderSettings();
}

/* The sentence for a `moderation` event, or null when it is none of the
 * viewer's business: kicks and bans and the room's settings are told to
 * everyone, the rest to the person it happened to and to moderators
 * (docs/PROTOCOL.md, *Moderation*).
 */
export function describeModeration (event) {
  const by = String(event.by?.nick ?? '?');
  const nick = String(event.target?.nick ?? '?');
  const reason = String(event.reason ?? '').trim();
  const you = isMine(event.target);
  const forModerators = youModerate() || you;

  switch (event.action) {
    case 'kick':
      if (you)
        return reason ? t('mod.kickedYouReason', { by, reason }) : t('mod.kickedYou', { by });
      return reason ? t('mod.kickReason', { by, nick, reason }) : t('mod.kick', { by, nick });
    case 'ban':
      if (you)
        return reason ? t('mod.bannedYouReason', { by, reason }) : t('mod.bannedYou', { by });
      return reason ? t('mod.banReason', { by, nick, reason }) : t('mod.ban', { by, nick });
    case 'unban':
      return youModerate() ? t('mod.unban', { by, nick }) : null;
    case 'mute':
      if (you)
        return t('mod.mutedYou', { by });
      return forModerators ? t('mod.mute', { by, nick }) : null;
    case 'unmute':
      if (you)
        return t('mod.unmutedYou', { by });
      return forModerators ? t('mod.unmute', { by, nick }) : null;
    case 'op':
      if (you)
        return t('mod.opYou', { by });
      return forModerators ? t('mod.op', { by, nick }) : null;
    case 'deop':
      if (you)
        return t('mod.deopYou', { by });
      return forModerators ? t('mod.deop', { by, nick }) : null;
    case 'slow': {
      const n = Number.isInteger(event.seconds) ? event.seconds : 0;
      return n > 0 ? t('mod.slowOn', { by, n }) : t('mod.slowOff', { by });
    }
    case 'lock':
      return t('mod.lock', { by });
    case 'unlock':
      return t('mod.unlock', { by });
    case 'private-messages':
      return t({ everyone: 'mod.pmEveryone', hosts: 'mod.pmHosts', off: 'mod.pmOff' }[event.allow] ?? 'mod.pmEveryone', { by });
    default:
      return null;
  }
}

/* The log's row for a `moderation` event (history.js), or null. */
export function buildModerationRow (event, date) {
  const text = describeModeration(event);
  if (text === null)
    return null;
  const important = event.action === 'kick' || event.action === 'ban' || isMine(event.target);
  return buildNotice(text, { date, kind: important ? 'event moderation' : 'event' });
}

/* ------------------------------------------------------------- composer */

const composer = { note: null, timer: 0 };

function slowLeft () {
  return Math.max(0, Math.ceil((state.slowUntil - Date.now()) / 1000));
}

/* Slow mode holds guests only; moderators write freely. */
function slowApplies () {
  return state.room.slowSeconds > 0 && !youModerate();
}

/* What the composer says about you: muted, or slow mode's countdown. */
export function renderComposer () {
  const muted = state.phase === 'joined' && state.you?.muted === true;
  const left = slowApplies() ? slowLeft() : 0;
  let note = '';

  if (muted)
    note = state.you.mutedBy ? t('composer.mutedBy', { by: state.you.mutedBy }) : t('composer.muted');
  else if (left > 0)
    note = t('composer.slowWait', { n: left });
  else if (state.phase === 'joined' && slowApplies())
    note = t('composer.slow', { n: state.room.slowSeconds });

  composer.note.hidden = note === '';
  if (composer.note.textContent !== note)
    composer.note.textContent = note;
  composer.note.classList.toggle('blocked', muted || left > 0);
  /* Removed from the room: nothing typed now could go anywhere. */
  const shut = muted || state.phase === 'removed';
  ui.composer.classList.toggle('muted', muted);
  ui.entry.disabled = shut;
  $('send').disabled = shut;
  $('attach').disabled = shut;
  ui.entry.placeholder = muted ? t('composer.mutedPlaceholder') : t('entry.placeholder');

  clearTimeout(composer.timer);
  if (left > 0)
    composer.timer = setTimeout(renderComposer, 1000 - (Date.now() % 1000) + 20);
}

/* Whether a message may go now; when not, the composer says why. */
export function mayPost () {
  if (state.you?.muted) {
    renderComposer();
    return false;
  }
  if (slowApplies() && slowLeft() > 0) {
    renderComposer();
    composer.note.classList.remove('shake');
    void composer.note.offsetWidth;
    composer.note.classList.add('shake');
    return false;
  }
  return true;
}

/* A message of ours went out: slow mode counts from it. */
export function notePosted () {
  if (slowApplies()) {
    state.slowUntil = Date.now() + state.room.slowSeconds * 1000;
    renderComposer();
  }
}

/* The host said wait (a `slow-mode` refusal, with `retry_after` in ms). */
export function noteSlowRefusal (frame) {
  const ms = Number.isFinite(frame.retry_after) ? frame.retry_after : state.room.slowSeconds * 1000;
  state.slowUntil = Date.now() + ms;
  renderComposer();
}

/* ------------------------------------------------------- removed screen */

/* Kicked, banned or locked out: said once, with no reconnecting after it.
 * @code is the error code. The reason is the moderation event's, which
 * comes first; the error's message is the host's English sentence when
 * there was none, so it is not shown as one.
 */
export function showRemoved (code) {
  const removal = state.removal ?? { action: code === 'banned' ? 'ban' : code === 'kicked' ? 'kick' : code, by: '', reason: '' };
  state.removal = removal;
  state.resumeToken = null;

  const dialog = removedDialog();
  let title;
  let line = '';
  if (removal.action === 'kick') {
    title = t('removed.kickedTitle');
    line = removal.by ? t('removed.kickedBy', { by: removal.by }) : t('removed.kicked');
  } else if (removal.action === 'ban') {
    title = t('removed.bannedTitle');
    line = removal.by ? t('removed.bannedBy', { by: removal.by }) : t('removed.banned');
  } else {
    title = t('removed.lockedTitle');
    line = t('removed.locked');
  }
  dialog.querySelector('h2').textContent = title;
  dialog.querySelector('.removed-line').textContent = line;
  const reason = dialog.querySelector('.removed-reason');
  reason.hidden = removal.reason === '';
  reason.textContent = removal.reason ? t('removed.reason', { reason: removal.reason }) : '';
  dialog.querySelector('.primary').hidden = removal.action === 'ban';
  dialog.querySelector('.primary').textContent = removal.action === 'kick' ? t('status.rejoin') : t('status.retry');
  if (!dialog.open)
    dialog.showModal();
}

/* The line the status bar keeps once the screen is closed. */
export function removedStatus () {
  const removal = state.removal ?? { action: 'lock' };
  if (removal.action === 'kick')
    return { text: t('removed.kickedTitle'), button: 'status.rejoin' };
  if (removal.action === 'ban')
    return { text: t('removed.bannedTitle'), button: null };
  return { text: t('removed.lockedTitle'), button: 'status.retry' };
}

function removedDialog () {
  let dialog = $('removed');
  if (dialog)
    return dialog;

  dialog = el('dialog', 'overlay');
  dialog.id = 'removed';
  dialog.setAttribute('aria-labelledby', 'removed-title');
  const card = el('div', 'card');
  const logo = el('img', 'card-logo');
  logo.src = 'icon.svg';
  logo.alt = '';
  const title = el('h2');
  title.id = 'removed-title';
  const line = el('p', 'removed-line');
  const reason = el('p', 'removed-reason');
  reason.dir = 'auto';
  const again = el('button', 'primary');
  again.type = 'button';
  const read = el('button', 'secondary', t('removed.read'));
  read.type = 'button';
  card.append(logo, title, line, reason, again, read);
  dialog.append(card);
  document.body.append(dialog);

  again.addEventListener('click', () => {
    dialog.close();
    actions.onRejoin();
  });
  read.addEventListener('click', () => dialog.close());
  return dialog;
}

/* ------------------------------------------------------------ questions */

/* A small modal that asks for a reason (optional) before a kick or ban.
 * Resolves to the reason ('' for none), or null when cancelled.
 */
function askReason (title, explanation, confirm) {
  let dialog = $('reason-dialog');
  if (!dialog) {
    dialog = el('dialog', 'overlay');
    dialog.id = 'reason-dialog';
    dialog.setAttribute('aria-labelledby', 'reason-title');
    const form = el('form', 'card');
    form.method = 'dialog';
    const heading = el('h2');
    heading.id = 'reason-title';
    const text = el('p', 'reason-explanation');
    const label = el('label', 'field-label', t('mod.reasonLabel'));
    label.htmlFor = 'reason-input';
    const input = document.createElement('input');
    input.id = 'reason-input';
    input.type = 'text';
    input.dir = 'auto';
    input.autocomplete = 'off';
    input.maxLength = 200;
    input.placeholder = t('mod.reasonPlaceholder');
    const ok = el('button', 'primary danger');
    ok.type = 'submit';
    ok.value = 'ok';
    const cancel = el('button', 'secondary', t('nick.cancel'));
    cancel.type = 'submit';
    cancel.value = 'cancel';
    form.append(heading, text, label, input, ok, cancel);
    dialog.append(form);
    document.body.append(dialog);
  }

  dialog.querySelector('h2').textContent = title;
  dialog.querySelector('.reason-explanation').textContent = explanation;
  dialog.querySelector('.primary').textContent = confirm;
  const input = dialog.querySelector('input');
  input.value = '';
  dialog.returnValue = '';
  dialog.showModal();
  input.focus();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok' ? input.value.trim() : null), { once: true });
  });
}

/* -------------------------------------------------------------- actions */

function sendOrSay (frame) {
  if (!actions.send(frame)) {
    addNotice(t('notice.offline'), { kind: 'notice error' });
    return false;
  }
  return true;
}

async function kick (person) {
  const reason = await askReason(t('mod.kickTitle', { nick: person.nick }), t('mod.kickExplain'), t('mod.kickConfirm'));
  if (reason !== null)
    sendOrSay(reason ? { type: 'kick', id: person.id, reason } : { type: 'kick', id: person.id });
}

async function ban (person) {
  const reason = await askReason(t('mod.banTitle', { nick: person.nick }), t('mod.banExplain'), t('mod.banConfirm'));
  if (reason !== null)
    sendOrSay(reason ? { type: 'ban', id: person.id, reason } : { type: 'ban', id: person.id });
}

/* The items of @person's menu: [key, action] in the order shown. */
function personItems (person) {
  const items = [];
  const self = state.myIds.has(person.id);

  if (!self) {
    items.push(['people.privately', () => actions.onPrivate(person)]);
    items.push(['people.mention', () => actions.onMention(person.nick)]);
  }
  if (canActOn(person)) {
    items.push(person.muted
      ? ['people.unmute', () => sendOrSay({ type: 'unmute', id: person.id })]
      : ['people.mute', () => sendOrSay({ type: 'mute', id: person.id })]);
    if (state.you.role === 'host') {
      items.push(person.role === 'cohost'
        ? ['people.deop', () => sendOrSay({ type: 'op', id: person.id, cohost: false })]
        : ['people.op', () => sendOrSay({ type: 'op', id: person.id, cohost: true })]);
    }
    items.push(['people.kick', () => kick(person)]);
    items.push(['people.ban', () => ban(person)]);
  }
  if (self)
    items.push(['menu.rename', () => actions.onRename()]);
  return items;
}

/* --------------------------------------------------------- person menu */

const personMenu = { panel: null, opener: null };

function closePersonMenu (refocus = true) {
  if (!personMenu.panel || personMenu.panel.hidden)
    return;
  personMenu.panel.hidden = true;
  /* The list may have been drawn again while the menu was open. */
  let opener = personMenu.opener;
  if (opener && !opener.isConnected)
    opener = ui.peopleList.querySelector(`button.person[data-id="${CSS.escape(opener.dataset.id)}"]`);
  opener?.setAttribute('aria-expanded', 'false');
  if (refocus)
    opener?.focus();
  personMenu.opener = null;
}

function moveFocus (step) {
  const items = [...personMenu.panel.querySelectorAll('[role="menuitem"]')];
  const at = items.indexOf(document.activeElement);
  let next;
  if (step === 'first')
    next = 0;
  else if (step === 'last')
    next = items.length - 1;
  else
    next = (at + step + items.length) % items.length;
  items[next]?.focus();
}

/* Opens the menu of the person behind @button, under it (above it near
 * the bottom of the screen), and focuses its first item.
 */
export function openPersonMenu (button) {
  const person = state.participants.get(Number(button.dataset.id));
  if (!person)
    return;
  if (personMenu.opener === button && !personMenu.panel.hidden) {
    closePersonMenu();
    return;
  }
  closePersonMenu(false);

  const panel = personMenu.panel;
  const heading = el('div', 'menu-heading', person.nick);
  heading.dir = 'auto';
  heading.setAttribute('aria-hidden', 'true');
  const buttons = personItems(person).map(([key, action]) => {
    const item = el('button', key === 'people.kick' || key === 'people.ban' ? 'danger' : null, t(key));
    item.type = 'button';
    item.setAttribute('role', 'menuitem');
    item.tabIndex = -1;
    item.dataset.action = key.slice('people.'.length);
    item.addEventListener('click', () => {
      closePersonMenu(false);
      action();
    });
    return item;
  });
  panel.replaceChildren(heading, ...buttons);
  panel.setAttribute('aria-label', t('people.menuFor', { nick: person.nick }));
  panel.hidden = false;
  personMenu.opener = button;
  button.setAttribute('aria-expanded', 'true');

  const rect = button.getBoundingClientRect();
  const rtl = getComputedStyle(button).direction === 'rtl';
  const width = panel.offsetWidth;
  const height = panel.offsetHeight;
  const below = rect.bottom + 4 + height <= window.innerHeight;
  panel.style.top = `${Math.max(4, below ? rect.bottom + 4 : rect.top - 4 - height)}px`;
  const x = rtl ? rect.left + 8 : rect.right - 8 - width;
  panel.style.left = `${Math.min(Math.max(4, x), window.innerWidth - width - 4)}px`;
  buttons[0]?.focus();
}

function buildPersonMenu () {
  const panel = el('div', 'menu person-menu');
  panel.id = 'person-menu';
  panel.setAttribute('role', 'menu');
  panel.hidden = true;
  /* In the drawer's landmark; fixed, so the list's scrolling cannot clip it. */
  ui.people.append(panel);
  personMenu.panel = panel;

  panel.addEventListener('keydown', (e) => {
    switch (e.key) {
      case 'ArrowDown':
        moveFocus(1);
        break;
      case 'ArrowUp':
        moveFocus(-1);
        break;
      case 'Home':
        moveFocus('first');
        break;
      case 'End':
        moveFocus('last');
        break;
      case 'Escape':
        closePersonMenu();
        break;
      case 'Tab':
        closePersonMenu();
        break;
      default:
        return;
    }
    e.preventDefault();
    e.stopPropagation();
  });
  document.addEventListener('pointerdown', (e) => {
    if (!panel.hidden && !panel.contains(e.target) && e.target !== personMenu.opener)
      closePersonMenu(false);
  });
  window.addEventListener('resize', () => closePersonMenu(false));
}

/* ---------------------------------------------------------- room settings */

const SLOW_CHOICES = [0, 5, 10, 30, 60, 300, 900, 3600];
const settings = { dialog: null, bans: null, toLog: false };

function durationLabel (seconds) {
  if (seconds === 0)
    return t('settings.slowOff');
  if (seconds % 3600 === 0)
    return t('settings.hours', { n: seconds / 3600 });
  if (seconds % 60 === 0)
    return t('settings.minutes', { n: seconds / 60 });
  return t('settings.seconds', { n: seconds });
}

function renderBans () {
  const list = settings.dialog.querySelector('.ban-list');
  const empty = settings.dialog.querySelector('.ban-empty');
  if (settings.bans === null) {
    list.replaceChildren();
    empty.hidden = false;
    empty.textContent = t('settings.bansLoading');
    return;
  }
  empty.hidden = settings.bans.length > 0;
  empty.textContent = t('settings.bansNone');
  list.replaceChildren(...settings.bans.map((b) => {
    const li = el('li', 'ban');
    const who = el('div', 'ban-who');
    const nick = el('span', 'ban-nick', String(b.nick ?? '?'));
    nick.dir = 'auto';
    const detail = [b.by ? t('settings.bannedBy', { by: String(b.by) }) : '', String(b.reason ?? '')]
      .filter(Boolean).join(' — ');
    const line = el('span', 'ban-detail', detail);
    line.dir = 'auto';
    who.append(nick, line);
    const unban = el('button', 'unban', t('settings.unban'));
    unban.type = 'button';
    unban.setAttribute('aria-label', t('settings.unbanName', { nick: String(b.nick ?? '?') }));
    unban.addEventListener('click', () => {
      if (sendOrSay({ type: 'unban', ban: b.id })) {
        settings.bans = settings.bans.filter((x) => x !== b);
        renderBans();
        actions.send({ type: 'bans' });
      }
    });
    li.append(who, unban);
    return li;
  }));
}

/* The answer to a `bans` request. */
export function onBans (frame) {
  settings.bans = Array.isArray(frame.bans) ? frame.bans.filter((b) => b && typeof b === 'object') : [];
  if (settings.dialog?.open)
    renderBans();
  /* /bans: the list in the log, numbered for /unban. */
  if (settings.toLog) {
    settings.toLog = false;
    if (settings.bans.length === 0) {
      addNotice(t('settings.bansNone'));
      return;
    }
    addNoticeLines([t('settings.bans'), ...settings.bans.map((b) => {
      const reason = String(b.reason ?? '');
      const line = t('cmd.banLine', { id: String(b.id), nick: String(b.nick ?? '?'), by: String(b.by ?? '?') });
      return reason ? `${line}: ${reason}` : line;
    })]);
  }
}

function renderSettings () {
  const d = settings.dialog;
  const slow = d.querySelector('#slow-select');
  const seconds = state.room.slowSeconds;
  const choices = SLOW_CHOICES.includes(seconds) ? SLOW_CHOICES : [...SLOW_CHOICES, seconds].sort((a, b) => a - b);
  slow.replaceChildren(...choices.map((s) => {
    const option = el('option', null, durationLabel(s));
    option.value = String(s);
    return option;
  }));
  slow.value = String(seconds);
  d.querySelector('#lock-check').checked = state.room.locked;
  const pm = d.querySelector('#pm-select');
  pm.value = state.room.privateMessages;
  d.querySelector('.pm-field').hidden = state.you?.role !== 'host';
  renderBans();
}

function buildSettings () {
  const dialog = el('dialog', 'overlay');
  dialog.id = 'settings';
  dialog.setAttribute('aria-labelledby', 'settings-title');
  const card = el('div', 'card settings');
  const title = el('h2', null, t('settings.title'));
  title.id = 'settings-title';

  const slowLabel = el('label', 'field-label', t('settings.slow'));
  slowLabel.htmlFor = 'slow-select';
  const slow = document.createElement('select');
  slow.id = 'slow-select';
  const slowHint = el('p', 'hint', t('settings.slowHint'));

  const lockRow = el('label', 'check-row');
  const lock = document.createElement('input');
  lock.type = 'checkbox';
  lock.id = 'lock-check';
  lockRow.append(lock, el('span', null, t('settings.lock')));

  const pmField = el('div', 'pm-field');
  const pmLabel = el('label', 'field-label', t('settings.pm'));
  pmLabel.htmlFor = 'pm-select';
  const pm = document.createElement('select');
  pm.id = 'pm-select';
  for (const [value, key] of [['everyone', 'settings.pmEveryone'], ['hosts', 'settings.pmHosts'], ['off', 'settings.pmOff']]) {
    const option = el('option', null, t(key));
    option.value = value;
    pm.append(option);
  }
  pmField.append(pmLabel, pm, el('p', 'hint', t('private.relayed')));

  const bansTitle = el('h3', null, t('settings.bans'));
  const empty = el('p', 'ban-empty hint');
  const bans = el('ul', 'ban-list');
  const close = el('button', 'secondary', t('files.close'));
  close.type = 'button';

  card.append(title, slowLabel, slow, slowHint, lockRow, pmField, bansTitle, empty, bans, close);
  dialog.append(card);
  document.body.append(dialog);

  slow.addEventListener('change', () => sendOrSay({ type: 'slow', seconds: Number(slow.value) }));
  lock.addEventListener('change', () => sendOrSay({ type: 'lock', locked: lock.checked }));
  pm.addEventListener('change', () => sendOrSay({ type: 'private-messages', allow: pm.value }));
  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => $('menu-button').focus());
  settings.dialog = dialog;
}

export function openSettings () {
  if (!youModerate())
    return;
  if (!settings.dialog)
    buildSettings();
  settings.bans = null;
  actions.send({ type: 'bans' });
  renderSettings();
  settings.dialog.showModal();
  settings.dialog.querySelector('#slow-select').focus();
}

/* The menu's entry shows for moderators only. */
export function renderModeratorMenu () {
  $('menu-settings').hidden = !youModerate() || state.phase !== 'joined';
}

/* ------------------------------------------------------------- commands */

/* The person whose nickname @argument starts with, and what follows it.
 * Nicknames may have spaces: the longest that fits wins, as in the core's
 * commands; exact case first.
 */
export function splitPerson (argument) {
  const people = [...state.participants.values()].sort((a, b) => b.nick.length - a.nick.length);
  const fits = (nick, text) => text === nick || (text.startsWith(nick) && /^\s/u.test(text.slice(nick.length)));
  const lower = argument.toLocaleLowerCase();
  const person = people.find((p) => fits(p.nick, argument)) ??
    people.find((p) => fits(p.nick.toLocaleLowerCase(), lower)) ?? null;
  if (person)
    return { person, rest: argument.slice(person.nick.length).trim() };
  return { person: null, word: /^\S*/u.exec(argument)[0], rest: '' };
}

function usage (key) {
  addNotice(t('cmd.usage', { usage: t(key) }), { kind: 'notice error' });
  return false;
}

function personFor (argument, usageKey) {
  if (argument === '') {
    usage(usageKey);
    return null;
  }
  const found = splitPerson(argument);
  if (!found.person) {
    addNotice(t('cmd.noSuchPerson', { nick: found.word }), { kind: 'notice error' });
    return null;
  }
  return found;
}

/* Runs a moderation command; returns true when the entry should clear. */
export function runModerationCommand (command, argument) {
  switch (command) {
    case 'kick':
    case 'ban': {
      const found = personFor(argument, `usage.${command}`);
      if (!found)
        return false;
      const frame = { type: command, id: found.person.id };
      /* A reason is one line, like a topic. */
      if (found.rest)
        frame.reason = found.rest.replace(/\s+/gu, ' ');
      return sendOrSay(frame);
    }
    case 'mute':
    case 'unmute': {
      const found = personFor(argument, `usage.${command}`);
      return found ? sendOrSay({ type: command, id: found.person.id }) : false;
    }
    case 'op':
    case 'deop': {
      const found = personFor(argument, `usage.${command}`);
      return found ? sendOrSay({ type: 'op', id: found.person.id, cohost: command === 'op' }) : false;
    }
    case 'slow': {
      const word = argument.toLocaleLowerCase();
      const seconds = ['off', 'no', 'não', 'nao', '0'].includes(word) ? 0 : Number(argument);
      if (argument === '' || !Number.isInteger(seconds) || seconds < 0 || seconds > 3600)
        return usage('usage.slow');
      return sendOrSay({ type: 'slow', seconds });
    }
    case 'lock':
    case 'unlock':
      return sendOrSay({ type: 'lock', locked: command === 'lock' });
    case 'unban': {
      const id = Number(argument);
      if (!/^\d+$/u.test(argument) || id < 1)
        return usage('usage.unban');
      return sendOrSay({ type: 'unban', ban: id });
    }
    case 'bans':
      settings.toLog = true;
      return sendOrSay({ type: 'bans' });
    default:
      return false;
  }
}

/* /help's lines about moderation, for moderators. */
export function moderationHelp () {
  if (!youModerate())
    return [];
  const lines = [t('help.kick'), t('help.ban'), t('help.bans'), t('help.mute'), t('help.slow'), t('help.lock')];
  if (state.you.role === 'host')
    lines.push(t('help.op'));
  return lines;
}

/* ----------------------------------------------------------------- init */

/* @handlers: send(frame) → bool, onPrivate(person), onMention(nick),
 * onRename(), onRejoin()
 */
export function initModeration (handlers) {
  actions = handlers;
  composer.note = el('p', 'composer-note');
  composer.note.id = 'composer-note';
  composer.note.setAttribute('role', 'status');
  composer.note.hidden = true;
  ui.composer.before(composer.note);
  ui.entry.setAttribute('aria-describedby', 'composer-note');
  buildPersonMenu();
}

/* layout.js — the page around the log: header, status banner, people,
 * menu, and fitting the app to a phone's screen
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

import { $, el, language, state, t, ui } from './common.js';
import { atLiveEnd, goLive } from './history.js';
import { colorClass, isAtBottom, scrollToBottom } from './log.js';
import { openPersonMenu, removedStatus, renderModeratorMenu } from './moderation.js';

const menu = { button: $('menu-button'), panel: $('menu') };

export function updateTitle () {
  const name = state.room.name || 'Tertulia';
  /* Unread private messages count until they are read, not only while
   * the page is hidden.
   */
  const n = state.unread + state.privateUnread;
  const prefix = n ? `(${n}${state.unreadMention || state.privateUnread ? '!' : ''}) ` : '';
  document.title = prefix + name;
}

export function renderStatus () {
  let text = '';
  let button = null;

  switch (state.phase) {
    case 'connecting':
      if (state.offline)
        text = t('status.offline');
      else
        text = state.joinedOnce ? t('status.reconnecting') : t('status.connecting');
      break;
    case 'waiting': {
      const n = Math.max(1, Math.ceil((state.retryDeadline - Date.now()) / 1000));
      text = t('status.' + (state.offline ? 'offline' : state.closeReason), { n });
      button = 'status.retry';
      break;
    }
    case 'left':
      text = t('status.left');
      button = 'status.rejoin';
      break;
    case 'removed':
      ({ text, button } = removedStatus());
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

export function renderRoom () {
  ui.roomName.textContent = state.room.name;
  ui.roomTopic.textContent = state.room.topic;
  ui.roomTopic.hidden = state.room.topic === '';
  updateTitle();
}

/* Who is in the room; while the page is not in it, the count it had is
 * no longer known, and the header says so rather than keep a stale one.
 */
export function renderPeople () {
  const known = state.phase === 'joined';
  const n = state.participants.size;
  const label = known ? t('people.button', { n }) : t('people.unknown');

  ui.peopleCount.textContent = known ? String(n) : '–';
  ui.peopleTotal.textContent = known ? String(n) : '–';
  ui.peopleButton.setAttribute('aria-label', label);
  ui.peopleButton.title = label;

  const items = [];
  for (const p of state.participants.values()) {
    const li = el('li');
    const button = el('button', 'person');
    const avatar = el('span', 'avatar ' + colorClass(p.id), [...p.nick][0]?.toLocaleUpperCase(language) ?? '?');
    const nick = el('span', 'person-nick', p.nick);

    avatar.setAttribute('aria-hidden', 'true');
    nick.dir = 'auto';
    button.type = 'button';
    button.dataset.nick = p.nick;
    button.dataset.id = String(p.id);
    button.setAttribute('aria-haspopup', 'menu');
    button.setAttribute('aria-expanded', 'false');
    button.append(avatar, nick);
    if (state.you && p.id === state.you.id)
      button.append(el('span', 'badge you', t('people.you')));
    if (p.role === 'host')
      button.append(el('span', 'badge host', t('people.host')));
    else if (p.role === 'cohost')
      button.append(el('span', 'badge host cohost', t('people.cohost')));
    if (p.muted)
      button.append(el('span', 'badge muted', t('people.muted')));
    li.append(button);
    items.push(li);
  }
  ui.peopleList.replaceChildren(...items);
  renderModeratorMenu();
}

export function setPeopleOpen (open) {
  document.body.classList.toggle('people-open', open);
  ui.peopleButton.setAttribute('aria-expanded', String(open));
  if (open)
    ui.peopleClose.focus();
}

function setMenuOpen (open) {
  menu.panel.hidden = !open;
  menu.button.setAttribute('aria-expanded', String(open));
  if (open)
    menu.panel.querySelector('button').focus();
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

/* @actions: onRename(), onHelp(), onLeave(), onPrivate(), onSettings() */
export function initLayout (actions) {
  applyStaticTranslations();
  renderRoom();
  renderPeople();
  followViewport();

  ui.peopleButton.addEventListener('click', () =>
    setPeopleOpen(!document.body.classList.contains('people-open')));
  ui.peopleClose.addEventListener('click', () => {
    setPeopleOpen(false);
    ui.peopleButton.focus();
  });
  /* A tap, a long press, Enter or the context-menu key: the person's menu. */
  ui.peopleList.addEventListener('click', (e) => {
    const button = e.target.closest('button.person');
    if (button)
      openPersonMenu(button);
  });
  ui.peopleList.addEventListener('contextmenu', (e) => {
    const button = e.target.closest('button.person');
    if (button) {
      e.preventDefault();
      openPersonMenu(button);
    }
  });
  ui.peopleList.addEventListener('keydown', (e) => {
    const button = e.target.closest('button.person');
    if (button && (e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey))) {
      e.preventDefault();
      openPersonMenu(button);
    }
  });

  /* A long topic is cut to one line in the header; a tap shows it all. */
  ui.roomTopic.addEventListener('click', () => {
    const expanded = ui.roomTopic.getAttribute('aria-expanded') !== 'true';
    ui.roomTopic.setAttribute('aria-expanded', String(expanded));
  });

  menu.button.addEventListener('click', () => setMenuOpen(menu.panel.hidden));
  const fromMenu = (id, action) => $(id).addEventListener('click', () => {
    setMenuOpen(false);
    action();
  });
  fromMenu('menu-rename', actions.onRename);
  fromMenu('menu-private', actions.onPrivate);
  fromMenu('menu-settings', actions.onSettings);
  fromMenu('menu-help', actions.onHelp);
  fromMenu('menu-leave', actions.onLeave);
  document.addEventListener('click', (e) => {
    if (!menu.panel.hidden && !e.target.closest('.menu-anchor'))
      setMenuOpen(false);
  });

  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape')
      return;
    if (!menu.panel.hidden) {
      setMenuOpen(false);
      menu.button.focus();
    } else if (document.body.classList.contains('people-open')) {
      setPeopleOpen(false);
      ui.peopleButton.focus();
    }
  });

  ui.scroller.addEventListener('scroll', () => {
    if (isAtBottom() && atLiveEnd())
      ui.jump.hidden = true;
  }, { passive: true });
  ui.jump.addEventListener('click', () => {
    goLive();
    scrollToBottom();
  });
  ui.scroller.addEventListener('click', () => {
    if (document.body.classList.contains('people-open'))
      setPeopleOpen(false);
  });
}

/* message-menu.js — what a message offers: reply, react, edit, delete, copy
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The menu opens with a long press on a phone, with the button that shows
 * on a row under the pointer or the focus on a desktop, with a right click,
 * and with Enter or the Menu key on a focused message (Enter on the log
 * focuses its last message; arrows go from message to message). Reactions
 * have a quick row and a small grid: a web page has no emoji chooser of
 * the system's to open.
 */

import { el, state, t, ui } from './common.js';
import {
  canModerate, deleteMessage, jumpTo, liveMessage, reactedWith, toggleReaction,
} from './conversation.js';
import { addNotice } from './log.js';

export const QUICK_EMOJI = ['👍', '❤️', '😂', '😮', '😢', '🎉'];
export const MORE_EMOJI = [
  '😀', '😄', '😁', '😅', '🤣', '😊', '😍', '🥰', '😘', '😎',
  '🤔', '🙄', '😴', '😬', '🥺', '😭', '😡', '🤯', '🥳', '😇',
  '👏', '🙌', '🙏', '💪', '👋', '👌', '✌️', '🤝', '👎', '🤞',
  '🔥', '✨', '💯', '✅', '❌', '⭐', '🌹', '🍻', '☕', '🎂',
];

const LONG_PRESS_MS = 500;

let panel = null;
let menuButton = null;
let openFor = null;
let hooks = { onReply: () => {}, onEdit: () => {} };

/* --------------------------------------------------------------- helpers */

function messageRow (node) {
  const li = node?.closest?.('li.msg.amendable');
  return li && ui.log.contains(li) ? li : null;
}

function seqOf (li) {
  return Number(li.dataset.seq);
}

function menuItems () {
  return [...panel.querySelectorAll('[role="menuitem"]')].filter((b) => b.offsetParent !== null);
}

function item (label, action, className = '') {
  const button = el('button', className || null, label);
  button.type = 'button';
  button.setAttribute('role', 'menuitem');
  button.addEventListener('click', action);
  return button;
}

function emojiButton (emoji, seq, s) {
  const button = item(emoji, () => {
    closeMenu();
    toggleReaction(seq, emoji);
  }, 'emoji');
  button.setAttribute('aria-label', t('msg.reactWith', { emoji }));
  if (reactedWith(s, emoji))
    button.classList.add('chosen');
  return button;
}

async function copyText (text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    /* Over plain http (a host on the LAN) the clipboard API is not there. */
    const area = el('textarea', 'visually-hidden');
    area.value = text;
    document.body.append(area);
    area.select();
    let done = false;
    try {
      done = document.execCommand('copy');
    } catch {
      done = false;
    }
    area.remove();
    return done;
  }
}

/* ------------------------------------------------------------------ menu */

function place (anchor) {
  const narrow = window.matchMedia('(max-width: 599px)').matches;
  panel.classList.toggle('sheet', narrow);
  panel.style.top = panel.style.left = '';
  if (narrow)
    return;
  const rect = anchor.getBoundingClientRect();
  const box = panel.getBoundingClientRect();
  const rtl = getComputedStyle(anchor).direction === 'rtl';
  let left = rtl ? rect.left : rect.right - box.width;
  let top = rect.bottom + 4;
  if (top + box.height > window.innerHeight - 8)
    top = Math.max(8, rect.top - box.height - 4);
  left = Math.min(Math.max(8, left), window.innerWidth - box.width - 8);
  panel.style.left = `${left}px`;
  panel.style.top = `${top}px`;
}

export function closeMenu (refocus = false) {
  if (!panel || panel.hidden)
    return;
  panel.hidden = true;
  panel.replaceChildren();
  const li = openFor;
  openFor = null;
  li?.classList.remove('menu-for');
  if (refocus && li?.isConnected)
    li.focus({ preventScroll: true });
}

function confirmDelete (seq, anchor) {
  panel.replaceChildren();
  const question = el('p', 'menu-question', t('msg.deleteConfirm'));
  question.id = 'msg-menu-question';
  panel.setAttribute('aria-describedby', question.id);
  panel.append(question,
    item(t('msg.deleteYes'), () => {
      closeMenu(true);
      deleteMessage(seq);
    }, 'danger'),
    item(t('msg.cancel'), () => closeMenu(true)));
  place(anchor);
  menuItems()[0].focus();
}

/* Opens the menu of message row @li, under @anchor (the row, or its
 * button).
 */
export function openMenu (li, anchor = li) {
  const seq = seqOf(li);
  const message = liveMessage(seq);
  if (!message)
    return;
  const { event, s } = message;

  closeMenu();
  openFor = li;
  /* Which message it is for, when the menu covers the row's button. */
  li.classList.add('menu-for');
  panel.removeAttribute('aria-describedby');
  const own = state.myIds.has(event.from?.id);

  const quick = el('div', 'quick-emoji');
  quick.setAttribute('role', 'group');
  quick.setAttribute('aria-label', t('msg.react'));
  for (const emoji of QUICK_EMOJI)
    quick.append(emojiButton(emoji, seq, s));
  const grid = el('div', 'more-emoji');
  grid.setAttribute('role', 'group');
  grid.setAttribute('aria-label', t('msg.moreEmoji'));
  grid.hidden = true;
  for (const emoji of MORE_EMOJI)
    grid.append(emojiButton(emoji, seq, s));
  const more = item('+', () => {
    grid.hidden = !grid.hidden;
    more.setAttribute('aria-expanded', String(!grid.hidden));
    place(anchor);
    if (!grid.hidden)
      grid.firstElementChild.focus();
  }, 'emoji more');
  more.setAttribute('aria-label', t('msg.moreEmoji'));
  more.setAttribute('aria-expanded', 'false');
  quick.append(more);

  panel.append(quick, grid);
  panel.append(item(t('msg.reply'), () => {
    closeMenu();
    hooks.onReply(seq);
  }));
  if (own) {
    panel.append(item(t('msg.edit'), () => {
      closeMenu();
      hooks.onEdit(seq);
    }));
  }
  if (own || canModerate())
    panel.append(item(t('msg.delete'), () => confirmDelete(seq, anchor), 'danger'));
  panel.append(item(t('msg.copy'), async () => {
    closeMenu(true);
    if (await copyText(s.text))
      toast(t('msg.copied'));
    else
      addNotice(t('msg.copyFailed'), { kind: 'notice error' });
  }));

  panel.hidden = false;
  place(anchor);
  menuItems()[0].focus();
}

/* A short word that goes by itself ("Copied"). */
let toastTimer = 0;

function toast (text) {
  let node = document.getElementById('toast');
  if (!node) {
    node = el('div', 'toast');
    node.id = 'toast';
    node.setAttribute('role', 'status');
    document.body.append(node);
  }
  node.textContent = text;
  node.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    node.hidden = true;
  }, 2000);
}

/* Who reacted with a chip's emoji, for a long press (the title says it
 * to a pointer).
 */
function showWho (chip) {
  closeMenu();
  const li = messageRow(chip);
  openFor = li;
  panel.append(el('p', 'menu-question', chip.title));
  panel.append(item(t('msg.close'), () => closeMenu(true)));
  panel.hidden = false;
  place(chip);
  menuItems()[0].focus();
}

function onMenuKey (e) {
  const items = menuItems();
  const index = items.indexOf(document.activeElement);
  let next = null;

  switch (e.key) {
    case 'Escape':
      e.preventDefault();
      e.stopPropagation();
      closeMenu(true);
      return;
    case 'Tab':
      closeMenu(true);
      e.preventDefault();
      return;
    case 'ArrowDown':
    case 'ArrowRight':
      next = items[(index + 1) % items.length];
      break;
    case 'ArrowUp':
    case 'ArrowLeft':
      next = items[(index - 1 + items.length) % items.length];
      break;
    case 'Home':
      next = items[0];
      break;
    case 'End':
      next = items[items.length - 1];
      break;
    default:
      return;
  }
  e.preventDefault();
  next?.focus();
}

/* ----------------------------------------------------------------- rows */

/* The button that opens a row's menu, moved to the row under the pointer
 * or the focus: one for the whole log, not one per row.
 */
function showButtonOn (li) {
  if (!li || li.classList.contains('deleted')) {
    menuButton.remove();
    return;
  }
  if (menuButton.parentElement !== li)
    li.append(menuButton);
}

function moveFocus (li, step) {
  let next = li[step];
  while (next && !(next.matches?.('li.msg.amendable')))
    next = next[step];
  if (next) {
    next.focus();
    next.scrollIntoView({ block: 'nearest' });
  }
}

function lastVisibleMessage () {
  const rows = [...ui.log.querySelectorAll('li.msg.amendable')];
  const bottom = ui.scroller.getBoundingClientRect().bottom;
  for (let i = rows.length - 1; i >= 0; i--) {
    if (rows[i].getBoundingClientRect().top < bottom)
      return rows[i];
  }
  return rows[rows.length - 1] ?? null;
}

function watchLongPress () {
  let timer = 0;
  let start = null;

  const cancel = () => {
    clearTimeout(timer);
    timer = 0;
  };
  ui.log.addEventListener('pointerdown', (e) => {
    if (e.pointerType !== 'touch')
      return;
    const chip = e.target.closest('button.reaction');
    const li = messageRow(e.target);
    if (!li || (!chip && e.target.closest('a, button')))
      return;
    start = { x: e.clientX, y: e.clientY };
    timer = setTimeout(() => {
      timer = 0;
      li.dataset.pressed = '1';
      if (chip)
        showWho(chip);
      else
        openMenu(li);
    }, LONG_PRESS_MS);
  });
  ui.log.addEventListener('pointermove', (e) => {
    if (timer && start && Math.hypot(e.clientX - start.x, e.clientY - start.y) > 10)
      cancel();
  });
  for (const type of ['pointerup', 'pointercancel'])
    ui.log.addEventListener(type, cancel);
  ui.scroller.addEventListener('scroll', cancel, { passive: true });
  /* The click that ends a long press is not a tap on a chip. */
  ui.log.addEventListener('click', (e) => {
    const li = messageRow(e.target);
    if (li?.dataset.pressed) {
      delete li.dataset.pressed;
      e.stopImmediatePropagation();
      e.preventDefault();
    }
  }, true);
}

/* @options: onReply(seq); onEdit(seq) */
export function initMessageMenu (options) {
  hooks = { ...hooks, ...options };

  panel = el('div', 'msg-menu');
  panel.id = 'msg-menu';
  panel.setAttribute('role', 'menu');
  panel.setAttribute('aria-label', t('msg.menu'));
  panel.hidden = true;
  panel.addEventListener('keydown', onMenuKey);
  /* In the main landmark, with the log it acts on. */
  ui.scroller.parentElement.append(panel);

  menuButton = el('button', 'msg-menu-button');
  menuButton.type = 'button';
  menuButton.tabIndex = -1;
  menuButton.setAttribute('aria-haspopup', 'menu');
  menuButton.setAttribute('aria-label', t('msg.menu'));
  menuButton.append(el('span', null, '⋯'));
  menuButton.firstChild.setAttribute('aria-hidden', 'true');
  menuButton.addEventListener('click', (e) => {
    e.stopPropagation();
    const li = messageRow(menuButton);
    if (li)
      openMenu(li, menuButton);
  });

  ui.log.addEventListener('mouseover', (e) => showButtonOn(messageRow(e.target)), { passive: true });
  ui.log.addEventListener('focusin', (e) => showButtonOn(messageRow(e.target)));

  ui.log.addEventListener('click', (e) => {
    const quote = e.target.closest('button.quote');
    if (quote) {
      jumpTo(Number(quote.dataset.target));
      return;
    }
    const chip = e.target.closest('button.reaction');
    const li = chip && messageRow(chip);
    if (li)
      toggleReaction(seqOf(li), chip.dataset.emoji);
  });

  ui.log.addEventListener('contextmenu', (e) => {
    const li = messageRow(e.target);
    /* A link, or text the user selected, keeps the browser's own menu
     * (copy the address, copy the selection).
     */
    if (!li || e.target.closest('a') || (e.button === 2 && String(window.getSelection() ?? '') !== ''))
      return;
    e.preventDefault();
    const chip = e.target.closest('button.reaction');
    if (chip)
      showWho(chip);
    else
      openMenu(li, e.target.closest('.msg-menu-button') ?? li);
  });

  /* Enter on the log goes to its messages; arrows from one to the next. */
  ui.scroller.addEventListener('keydown', (e) => {
    if (e.target === ui.scroller) {
      if (e.key === 'Enter') {
        const li = lastVisibleMessage();
        if (li) {
          e.preventDefault();
          li.focus();
        }
      }
      return;
    }
    const li = e.target.matches?.('li.msg.amendable') ? e.target : null;
    if (!li)
      return;
    switch (e.key) {
      case 'F10':
        if (!e.shiftKey)
          break;
        /* falls through: Shift+F10 is the Menu key of keyboards without one */
      case 'Enter':
      case 'ContextMenu':
        e.preventDefault();
        openMenu(li);
        break;
      case 'ArrowUp':
        e.preventDefault();
        moveFocus(li, 'previousElementSibling');
        break;
      case 'ArrowDown':
        e.preventDefault();
        moveFocus(li, 'nextElementSibling');
        break;
      case 'Escape':
        e.preventDefault();
        ui.scroller.focus();
        break;
      default:
        break;
    }
  });

  document.addEventListener('pointerdown', (e) => {
    if (!panel.hidden && !panel.contains(e.target) && e.target !== menuButton)
      closeMenu();
  });
  /* Only a new width moves things: a phone's bars coming and going do not. */
  let width = window.innerWidth;
  window.addEventListener('resize', () => {
    if (window.innerWidth !== width)
      closeMenu();
    width = window.innerWidth;
  });
  watchLongPress();
  const hint = el('span', 'visually-hidden', t('log.hint'));
  hint.id = 'log-hint';
  ui.scroller.before(hint);
  ui.scroller.setAttribute('aria-describedby', hint.id);
}

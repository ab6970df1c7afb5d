/* conversation.js — replies, reactions, edits and deletions on the log's rows
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The host sends `reaction`, `edit` and `delete` events that amend an
 * earlier `message` (docs/PROTOCOL.md, issue 19). They are kept here by the
 * seq of the message they amend, and a message row is always drawn from
 * the message and what amends it: an amendment that arrives before its
 * message (which is still in scrollback) is applied when scrollback brings
 * the message in, so a page that replays the room draws what a page that
 * lived through it draws. Every text from the wire goes in as textContent.
 */

import { el, language, state, t, ui } from './common.js';
import { addNotice, nickElement } from './log.js';

/* Messages with amendments kept at most: the oldest go first. */
const MAX_AMENDED = 5000;
/* How long a message that a reply jumped to stays highlighted. */
const FLASH_MS = 2000;

/* seq of a message → its amendments ({type, seq, from, …}), in seq order. */
const amendments = new Map();

let hooks = { send: () => false, redraw: () => {}, reveal: async () => null, eventFor: () => null };

export const AMENDMENTS = ['reaction', 'edit', 'delete'];

/* The first line of @text, at most 120 characters, as the host quotes it. */
export function firstLine (text) {
  const line = String(text ?? '').split('\n', 1)[0];
  const chars = [...line];
  return chars.length > 120 ? chars.slice(0, 119).join('') + '…' : line;
}

/* Keeps @event (a reaction, edit or delete) for the message it amends and
 * redraws that message's row if it is on screen. Returns the target seq,
 * or 0 for an event that amends nothing.
 */
export function noteAmendment (event) {
  const target = event.target;
  if (!AMENDMENTS.includes(event.type) || typeof target !== 'number' || target <= 0)
    return 0;

  let list = amendments.get(target);
  if (!list) {
    list = [];
    amendments.set(target, list);
    if (amendments.size > MAX_AMENDED)
      amendments.delete(amendments.keys().next().value);
  }
  /* A scrollback page may bring an event the page already had. */
  if (list.some((a) => a.seq === event.seq))
    return target;
  let i = list.length;
  while (i > 0 && list[i - 1].seq > event.seq)
    i--;
  list.splice(i, 0, event);

  hooks.redraw(target);
  if (event.type === 'delete') {
    /* Replies quoting it now quote a tombstone. */
    for (const li of ui.log.querySelectorAll(`li.msg[data-reply-to="${target}"]`))
      hooks.redraw(Number(li.dataset.seq));
  }
  return target;
}

/* Another room: its seqs start again. */
export function resetConversation () {
  amendments.clear();
}

/* What @event (a `message`) looks like with every amendment known:
 * {text, edited, deleted, deletedBy, reactions: Map emoji → Map id → nick}.
 */
export function messageState (event) {
  const s = { text: String(event.text ?? ''), edited: false, deleted: false, deletedBy: null, reactions: new Map() };
  const list = amendments.get(event.seq);
  if (!list)
    return s;

  const author = event.from?.id;
  for (const a of list) {
    if (s.deleted)
      break;
    switch (a.type) {
      case 'edit':
        s.text = String(a.text ?? '');
        s.edited = true;
        break;
      case 'delete':
        s.deleted = true;
        s.text = '';
        s.reactions.clear();
        if (a.from?.id !== author)
          s.deletedBy = String(a.from?.nick ?? '');
        break;
      case 'reaction': {
        const emoji = String(a.emoji ?? '');
        if (!emoji || a.from?.id === undefined)
          break;
        let who = s.reactions.get(emoji);
        if (a.add !== false) {
          if (!who) {
            who = new Map();
            s.reactions.set(emoji, who);
          }
          who.set(a.from.id, String(a.from.nick ?? ''));
        } else if (who) {
          who.delete(a.from.id);
          if (who.size === 0)
            s.reactions.delete(emoji);
        }
        break;
      }
      default:
        break;
    }
  }
  return s;
}

/* Message @seq as the page keeps it, {event, s: its messageState()}, or
 * null when it is not kept or was deleted: nothing more can be done to it.
 */
export function liveMessage (seq) {
  const event = hooks.eventFor(seq);
  if (!event || event.type !== 'message')
    return null;
  const s = messageState(event);
  return s.deleted ? null : { event, s };
}

function isDeleted (seq) {
  return Boolean(amendments.get(seq)?.some((a) => a.type === 'delete'));
}

function tombstoneText (s) {
  return s.deletedBy ? t('msg.removedBy', { nick: s.deletedBy }) : t('msg.deleted');
}

function listNames (names) {
  return new Intl.ListFormat(language, { type: 'conjunction' }).format(names);
}

/* The quote of the message @reply answers: its author and first line, a
 * button that jumps to it.
 */
export function buildQuote (reply) {
  const seq = Number(reply.seq);
  const nick = String(reply.from?.nick ?? '');
  const text = isDeleted(seq) ? t('msg.deleted') : firstLine(reply.text);
  const quote = el('button', 'quote');
  quote.type = 'button';
  quote.dataset.target = String(seq);
  /* The visible words are its name; the tooltip says what it is. */
  quote.title = t('msg.replyTo', { nick, text });
  const author = nickElement(nick, reply.from?.id, 'quote-nick');
  const line = el('span', 'quote-text', text);
  line.dir = 'auto';
  if (isDeleted(seq))
    line.classList.add('tombstone');
  quote.append(author, line);
  return quote;
}

function buildReactions (reactions) {
  const box = el('div', 'reactions');
  for (const [emoji, who] of reactions) {
    const names = [...who.values()];
    const mine = [...who.keys()].some((id) => state.myIds.has(id));
    const chip = el('button', 'reaction');
    chip.type = 'button';
    chip.dataset.emoji = emoji;
    chip.setAttribute('aria-pressed', String(mine));
    chip.title = t('reaction.who', { names: listNames(names), emoji, n: names.length });
    chip.setAttribute('aria-label', t('reaction.label', { emoji, n: names.length, names: listNames(names) }));
    const glyph = el('span', 'reaction-emoji', emoji);
    const count = el('span', 'reaction-count', String(names.length));
    chip.append(glyph, count);
    box.append(chip);
  }
  return box;
}

/* Adds to @li (a row drawn by log.js's buildMessage from @event) the
 * quote, the "edited" mark, the tombstone and the reactions. Idempotent:
 * a row our outbox drew is decorated again when its echo comes.
 */
export function decorateMessage (li, event, s = messageState(event)) {
  for (const node of li.querySelectorAll(':scope > .quote, :scope > .reactions, .edited'))
    node.remove();

  li.classList.add('amendable');
  li.tabIndex = -1;
  li.dataset.seq = String(event.seq);
  const reply = event.reply_to;
  if (reply && typeof reply === 'object' && typeof reply.seq === 'number' && !s.deleted) {
    li.dataset.replyTo = String(reply.seq);
    li.querySelector('.meta').after(buildQuote(reply));
  }

  li.classList.toggle('deleted', s.deleted);
  if (s.deleted) {
    const body = li.querySelector('.text');
    body.replaceChildren(el('span', 'tombstone', tombstoneText(s)));
    return li;
  }
  if (s.edited) {
    const mark = el('span', 'edited', t('msg.edited'));
    mark.dir = 'auto';
    li.querySelector('.text').append(' ', mark);
  }
  if (s.reactions.size)
    li.append(buildReactions(s.reactions));
  return li;
}

/* --------------------------------------------------------------- actions */

/* Whether the page speaks for a host or co-host (issue 18's role). */
export function canModerate () {
  const role = state.you?.role;
  if (typeof role === 'string')
    return role === 'host' || role === 'cohost';
  return Boolean(state.you?.host);
}

function sendOrSay (frame) {
  if (hooks.send(frame))
    return true;
  addNotice(t('notice.offline'), { kind: 'notice error' });
  return false;
}

export function react (seq, emoji, add) {
  return sendOrSay({ type: 'react', target: seq, emoji, add });
}

/* Whether we reacted with @emoji to the message whose state is @s. */
export function reactedWith (s, emoji) {
  const who = s.reactions.get(emoji);
  return Boolean(who && [...who.keys()].some((id) => state.myIds.has(id)));
}

/* Adds our @emoji to message @seq, or takes it back if it is there. */
export function toggleReaction (seq, emoji) {
  const message = liveMessage(seq);
  return message ? react(seq, emoji, !reactedWith(message.s, emoji)) : false;
}

export function editMessage (seq, text) {
  return sendOrSay({ type: 'edit', target: seq, text });
}

export function deleteMessage (seq) {
  return sendOrSay({ type: 'delete', target: seq });
}

/* A delete by a moderator of one of our messages, as it happens. */
export function noteRemoval (event, target) {
  if (event.type !== 'delete' || !target || state.myIds.has(event.from?.id))
    return;
  if (target && state.myIds.has(target.from?.id))
    addNotice(t('msg.removedYours', { nick: String(event.from?.nick ?? '') }));
}

/* Scrolls to message @seq, loading scrollback until it is there, and
 * highlights it.
 */
export async function jumpTo (seq) {
  const li = await hooks.reveal(seq);
  if (!li) {
    /* Offline, the host may well have it still. */
    addNotice(t(state.phase === 'joined' ? 'msg.jumpMissing' : 'notice.offline'), { kind: 'notice error' });
    return false;
  }
  li.scrollIntoView({ block: 'center' });
  li.classList.remove('flash');
  /* Restarts the animation on a second jump. */
  void li.offsetWidth;
  li.classList.add('flash');
  setTimeout(() => li.classList.remove('flash'), FLASH_MS);
  li.focus({ preventScroll: true });
  return true;
}

/* @options: send(frame) → bool; redraw(seq); reveal(seq) → Promise<row|null>;
 * eventFor(seq) → the kept event
 */
export function initConversation (options) {
  hooks = { ...hooks, ...options };
}

/* compose.js — the entry's reply and edit modes
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A bar above the entry says what the next send does: answer a message
 * (quoted by author and first line) or replace the text of one of ours.
 * Escape or its close button goes back to a plain message; an edit gives
 * back what was being written before it.
 */

import { el, t, ui } from './common.js';
import { firstLine, liveMessage } from './conversation.js';
import { nickElement } from './log.js';

/* mode: null, 'reply' or 'edit'; seq: the message it is about; quote: the
 * reply's {seq, from, text}, for our own row until the host echoes it.
 */
export const compose = { mode: null, seq: 0, quote: null, draft: '' };

let bar = null;
let hooks = { autosize: () => {} };

function showBar (mode, label, nick, authorId, text, cancelLabel) {
  const icon = el('span', 'compose-icon', mode === 'reply' ? '↩' : '✎');
  icon.setAttribute('aria-hidden', 'true');
  const what = el('div', 'compose-what');
  const title = el('span', 'compose-label', label);
  if (nick !== null) {
    title.textContent = '';
    /* The label around the nickname, whose direction is its own. */
    const [before, after] = label.split('{nick}');
    title.append(before, nickElement(nick, authorId), after ?? '');
  }
  const line = el('span', 'compose-text', text);
  line.dir = 'auto';
  what.append(title, line);
  const cancel = el('button', 'icon-button compose-cancel');
  cancel.type = 'button';
  cancel.setAttribute('aria-label', cancelLabel);
  const glyph = el('span', null, '×');
  glyph.setAttribute('aria-hidden', 'true');
  cancel.append(glyph);
  cancel.addEventListener('click', () => {
    cancelCompose();
    ui.entry.focus();
  });
  bar.replaceChildren(icon, what, cancel);
  bar.dataset.mode = mode;
  bar.hidden = false;
}

/* The next message answers message @seq. */
export function startReply (seq) {
  const message = liveMessage(seq);
  if (!message)
    return;
  const { event, s } = message;
  if (compose.mode === 'edit')
    cancelCompose();
  const text = firstLine(s.text);
  const from = { id: event.from?.id, nick: String(event.from?.nick ?? '') };
  compose.mode = 'reply';
  compose.seq = seq;
  compose.quote = { seq, from, text };
  showBar('reply', t('compose.replying', { nick: '{nick}' }), from.nick, from.id, text, t('compose.cancelReply'));
  ui.entry.focus();
}

/* The entry holds message @seq's text, to be sent as its new text. */
export function startEdit (seq) {
  const message = liveMessage(seq);
  if (!message)
    return;
  const { s } = message;
  if (compose.mode !== 'edit')
    compose.draft = ui.entry.value;
  compose.mode = 'edit';
  compose.seq = seq;
  compose.quote = null;
  ui.entry.value = s.text;
  hooks.autosize();
  showBar('edit', t('compose.editing'), null, null, firstLine(s.text), t('compose.cancelEdit'));
  ui.entry.focus();
  ui.entry.setSelectionRange(s.text.length, s.text.length);
}

/* Back to a plain message; an edit gives the entry back what it had. */
export function cancelCompose () {
  if (compose.mode === 'edit') {
    ui.entry.value = compose.draft;
    hooks.autosize();
  }
  finishCompose();
}

/* The reply or edit went out. */
export function finishCompose () {
  const wasEdit = compose.mode === 'edit';
  compose.mode = null;
  compose.seq = 0;
  compose.quote = null;
  if (bar)
    bar.hidden = true;
  return wasEdit;
}

/* @options: autosize() */
export function initCompose (options) {
  hooks = { ...hooks, ...options };
  bar = el('div', 'compose-bar');
  bar.id = 'compose-bar';
  bar.hidden = true;
  ui.composer.prepend(bar);
  ui.entry.setAttribute('aria-describedby', bar.id);
}

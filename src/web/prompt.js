/* prompt.js — the nickname (and password) dialog
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A modal <dialog>: while it is open the chat behind it is inert, so Tab
 * and a screen reader stay in it.
 */

import { $, NICK_KEY, charLength, el, state, storageSet, t, ui } from './common.js';

let mode = 'join';            /* join, password, rename */
let actions = null;

/* The join dialog's password field, shown only for a room that asks for
 * one; .card input styles it like the nickname field.
 */
function buildPasswordField () {
  const label = el('label', 'visually-hidden');
  const input = document.createElement('input');

  label.htmlFor = 'password-input';
  label.dataset.i18n = 'password.label';
  label.textContent = t('password.label');
  input.id = 'password-input';
  input.type = 'password';
  input.autocomplete = 'current-password';
  input.spellcheck = false;
  input.setAttribute('autocapitalize', 'off');
  input.enterKeyHint = 'go';
  input.placeholder = t('password.placeholder');
  input.setAttribute('aria-describedby', 'nick-error');

  ui.passwordField = el('div', 'password-field');
  ui.passwordField.hidden = true;
  ui.passwordField.append(label, input);
  ui.passwordInput = input;
  ui.nickError.before(ui.passwordField);
}

function open () {
  if (!ui.nickOverlay.open)
    ui.nickOverlay.showModal();
}

function close () {
  if (ui.nickOverlay.open)
    ui.nickOverlay.close();
}

/* @error: a sentence to show, or null; @how: join, password or rename */
export function showNickPrompt (error = null, how = 'join') {
  const password = how === 'password';
  const rename = how === 'rename';

  mode = how;
  open();
  ui.nickInput.value = (rename ? state.you?.nick : state.wantedNick) ?? '';
  ui.nickError.hidden = error === null;
  ui.nickError.textContent = error ?? '';
  ui.passwordField.hidden = !password;
  ui.passwordInput.value = '';
  $('nick-title').textContent = t(password ? 'password.title' : rename ? 'rename.title' : 'nick.title');
  $('nick-hint').hidden = rename;
  $('nick-submit').textContent = t(rename ? 'rename.submit' : 'nick.join');
  $('nick-cancel').hidden = !rename;
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

  if (charLength(nick) > state.limits.nick) {
    showNickPrompt(t('error.nick-too-long', { n: state.limits.nick }), mode);
    return;
  }

  if (mode === 'rename') {
    if (nick === '') {
      showNickPrompt(t('rename.empty'), mode);
      return;
    }
    close();
    if (nick !== state.you?.nick)
      actions.onRename(nick);
    ui.entry.focus();
    return;
  }

  if (mode === 'password') {
    const password = ui.passwordInput.value;

    if (password === '') {
      showNickPrompt(t('error.password-required'), mode);
      return;
    }
    state.password = password;
    ui.passwordInput.value = '';
    ui.passwordField.hidden = true;
  }

  state.wantedNick = nick || null;
  storageSet(localStorage, NICK_KEY, nick || null);
  close();
  actions.onJoin();
  ui.entry.focus();
}

/* @handlers: onJoin() once a nickname (and password) is chosen,
 * onRename(nick) for a new nickname in the room.
 */
export function initPrompt (handlers) {
  actions = handlers;
  buildPasswordField();
  ui.nickForm.addEventListener('submit', (e) => {
    e.preventDefault();
    submitNick();
  });
  $('nick-cancel').addEventListener('click', () => {
    close();
    ui.entry.focus();
  });
  /* Escape may close a rename, but there is no room behind a join. */
  ui.nickOverlay.addEventListener('cancel', (e) => {
    if (mode !== 'rename')
      e.preventDefault();
  });
}

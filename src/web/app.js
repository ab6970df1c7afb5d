/* app.js — the browser guest: joins the host's room over WebSocket
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Speaks docs/PROTOCOL.md: the connection, the room's state and the
 * commands live here; history.js and log.js draw the rows, outbox.js keeps and paces
 * what the user typed, prompt.js and the layout helpers the rest.
 */

import { $, NICK_KEY, charLength, el, language, mentions, state, storageGet, storageSet, t, ui } from './common.js';
import {
  addNotice, addNoticeLines, appendConfirmed, buildMessage, groupWith, scrollToBottom, setAuthor, timeElement,
  withScroll,
} from './log.js';
import {
  addEvents, disconnected, eventBySeq, initHistory, intake, joined, newRoom as historyNewRoom, onHistory,
  onHistoryError, redrawSeq, revealSeq,
} from './history.js';
import { Outbox } from './outbox.js';
import { initFiles, markFileRemoved, noteFileError, refreshFileActions, setFileToken } from './sharing.js';
import { initLayout, renderPeople, renderRoom, renderStatus, setPeopleOpen, updateTitle } from './layout.js';
import { initPrompt, showNickPrompt } from './prompt.js';
import {
  afterModeration, applyModeration, applyRoomSettings, initModeration, mayPost, moderationHelp, notePosted,
  noteSlowRefusal, onBans, openSettings, personFrom, renderComposer, runModerationCommand, showRemoved,
} from './moderation.js';
import {
  initPrivate, onPrivate, openConversation, openPrivateList, privateError, privateWelcome, renderPrivate, resetPrivate,
  runMsgCommand, syncPeers,
} from './private.js';
import { buildQuote, editMessage, initConversation, noteRemoval } from './conversation.js';
import { initMessageMenu } from './message-menu.js';
import { cancelCompose, compose, finishCompose, initCompose, startEdit, startReply } from './compose.js';
import { entryChanged, initTyping, onTyping, stopTyping, typingDisconnected, typingEnded } from './typing.js';
import { initSecurityNotice } from './security.js';

const PROTOCOL = 'tertulia.1';
const CLIENT_NAME = 'tertulia-web/1';
const RESUME_KEY = 'tertulia.resume';
/* The room's password is kept in memory, and in sessionStorage only across
 * a reload of this tab; never in localStorage.
 */
const PASSWORD_KEY = 'tertulia.password';
const ME_KEY = 'tertulia.me';
/* On a LAN the host is back within seconds: retry soon, and at once when
 * the network or the tab comes back.
 */
const MAX_RETRY_S = 4;
/* A message with no echo for this long means the link went silent under
 * the socket (a browser never tells a page about pings): start again.
 */
const ECHO_TIMEOUT_MS = 5000;
/* The page closes a socket it gave up on with this code, not 1000, so the
 * host keeps our place for the resume grace instead of announcing a leave.
 */
const CLOSE_RECONNECT = 4000;

const outbox = new Outbox((item) => send({
  type: 'say', cid: item.cid, kind: item.kind, text: item.text, ...(item.replyTo ? { reply_to: item.replyTo.seq } : {}),
}));

/* ---------------------------------------------------------------- helpers */

function countUnread (isMention) {
  if (document.visibilityState === 'visible')
    return;
  state.unread += 1;
  if (isMention)
    state.unreadMention = true;
  updateTitle();
}

/* ----------------------------------------------------------------- events */

/* The echo of one of our own messages, even a late copy of one that the
 * server had accepted before a drop: marks it delivered.
 */
function takePending (event) {
  if (event.type !== 'message' || typeof event.cid !== 'string' || !state.myIds.has(event.from?.id))
    return null;
  return outbox.take(event.cid);
}

/* Applies @event to the room's state. Returns it when it is new to the
 * page (history.js draws its row), null when it was seen already. In a
 * welcome's history (@replay) the people list is drawn once at the end.
 */
function takeEvent (event, replay = false) {
  const date = new Date(typeof event.time === 'number' ? event.time : Date.now());
  const own = takePending(event);

  if (typeof event.seq !== 'number' || event.seq <= state.lastSeq) {
    /* A late copy of an echo: our row goes into the log as it is. */
    if (own) {
      markDelivered(own, event, date);
      appendConfirmed(own.el, date);
    }
    return null;
  }
  state.lastSeq = event.seq;
  intake(event);
  if (event.type === 'message')
    typingEnded(event.from?.id);
  if (own) {
    markDelivered(own, event, date);
    event.row = own.el;
    return event;
  }

  switch (event.type) {
    case 'message': {
      /* Only a hidden page counts, and only then is the text searched. */
      if (!state.myIds.has(event.from?.id) && document.visibilityState !== 'visible')
        countUnread(Boolean(state.you) && mentions(String(event.text ?? ''), state.you.nick));
      break;
    }
    case 'join': {
      const p = event.participant || {};
      state.participants.set(p.id, personFrom(p));
      break;
    }
    case 'leave':
      state.participants.delete(event.id);
      typingEnded(event.id);
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
      }
      break;
    }
    case 'topic':
      state.room.topic = String(event.topic ?? '');
      if (!replay)
        renderRoom();
      break;
    case 'file':
      /* history.js draws it; a hidden page counts it like a message. */
      if (!state.myIds.has(event.from?.id) && document.visibilityState !== 'visible')
        countUnread(false);
      break;
    case 'file-removed':
      markFileRemoved(event.id);
      break;
    case 'moderation':
      applyModeration(event);
      if (!replay) {
        renderPeople();
        afterModeration();
        renderPrivate();
        refreshFileActions();
      }
      break;

    case 'delete':
      if (!replay)
        noteRemoval(event, eventBySeq(event.target));
      break;
    default:
      /* A newer server's event: it still used up a seq. */
      break;
  }
  if (!replay && (event.type === 'join' || event.type === 'leave' || event.type === 'rename')) {
    renderPeople();
    syncPeers();
  }
  return event;
}

function applyEvent (event) {
  const fresh = takeEvent(event);
  if (fresh)
    addEvents([fresh]);
}

function markDelivered (item, event, date) {
  const li = item.el;
  li.classList.remove('sending');
  li.dataset.time = String(date.getTime());
  setAuthor(li, event.from?.id, String(event.from?.nick ?? ''));
  li.querySelector('.state')?.remove();
  li.querySelector('time')?.replaceWith(timeElement(date));
}

function markFailed (item, reason) {
  const li = item.el;
  li.classList.remove('sending');
  li.classList.add('failed');
  li.querySelector('.state').textContent = t('msg.failed', { reason });
  const resend = el('button', 'resend', t('msg.resend'));
  resend.type = 'button';
  resend.addEventListener('click', () => {
    resend.remove();
    li.classList.remove('failed');
    li.classList.add('sending');
    withScroll(() => ui.outbox.append(li), true);
    outbox.add(item);
    renderPending();
  });
  li.querySelector('.state').after(resend);
  /* Our own message failed: it is what the user must see next. */
  withScroll(() => {
    groupWith(li, ui.log.lastElementChild);
    ui.log.append(li);
    if (ui.outbox.firstElementChild)
      groupWith(ui.outbox.firstElementChild, li);
  }, true);
}

/* Why each message of ours is still waiting, in its own row. */
function renderPending () {
  let why = 'msg.sending';
  if (state.phase !== 'joined')
    why = state.offline ? 'msg.offline' : 'msg.waiting';
  for (const item of outbox.items) {
    const mark = item.el?.querySelector('.state');
    if (mark && mark.dataset.why !== why) {
      mark.dataset.why = why;
      mark.textContent = t(why);
    }
  }
}

function applyWelcome (welcome) {
  const firstJoin = !state.joinedOnce;
  const resumed = Boolean(welcome.resumed);
  const history = Array.isArray(welcome.history) ? welcome.history : [];
  const you = welcome.you || {};
  const roomId = typeof welcome.room?.id === 'string' ? welcome.room.id : null;
  const roomName = String(welcome.room?.name ?? 'Tertulia');
  /* A host too old to send room.id: its seq starting again says the same. */
  const newRoom = !resumed &&
    (roomId !== null && state.roomId !== null ? roomId !== state.roomId
      : state.lastSeq > 0 && typeof welcome.seq === 'number' && welcome.seq < state.lastSeq);

  if (newRoom) {
    /* Its seq and its participant ids started again: ours belong to
     * others now, and nothing of the old room is compared with it.
     */
    if (state.joinedOnce) {
      addNotice(roomName === state.room.name ? t('notice.restarted') : t('notice.otherRoom', { room: roomName }),
                { kind: 'notice boundary' });
    }
    state.lastSeq = 0;
    state.myIds.clear();
    historyNewRoom();
    resetPrivate();
    cancelCompose();
  }
  state.roomId = roomId;

  const mutedBy = state.you?.id === you.id ? state.you.mutedBy : '';
  state.you = personFrom(you);
  state.you.mutedBy = state.you.muted ? mutedBy : '';
  state.removal = null;
  state.myIds.add(you.id);
  /* Who this tab has been in this room, so that after a reload the echo of
   * a message sent before it is recognised in the history, even when the
   * page comes back as a new participant.
   */
  storageSet(sessionStorage, ME_KEY, JSON.stringify({ room: roomId, ids: [...state.myIds] }));
  state.room.name = roomName;
  state.room.topic = String(welcome.room?.topic ?? '');
  applyRoomSettings(welcome.room);
  state.resumeToken = typeof welcome.resume_token === 'string' ? welcome.resume_token : null;
  setFileToken(welcome.file_token);
  refreshFileActions();
  if (welcome.limits)
    Object.assign(state.limits, welcome.limits);

  state.participants.clear();
  for (const p of welcome.participants || [])
    state.participants.set(p.id, personFrom(p));

  if (!state.wantedNick) {
    state.wantedNick = state.you.nick;
    storageSet(localStorage, NICK_KEY, state.you.nick);
  }

  /* What we typed before this welcome is ours under this room's id. */
  for (const item of outbox.items)
    setAuthor(item.el, state.you.id, state.you.nick);

  const missed = state.lastSeq > 0 && (welcome.gap ||
    (history.length > 0 && history[0].seq > state.lastSeq + 1));
  if (missed)
    addNotice(t('notice.missed'));

  /* The replayed history is not read out, only what happens from now. */
  ui.scroller.setAttribute('aria-busy', 'true');
  const fresh = [];
  for (const event of history) {
    const taken = event && typeof event === 'object' ? takeEvent(event, true) : null;
    if (taken)
      fresh.push(taken);
  }
  addEvents(fresh, true);
  if (typeof welcome.seq === 'number' && welcome.seq > state.lastSeq)
    state.lastSeq = welcome.seq;

  state.joinedOnce = true;
  state.retryAttempt = 0;
  setPhase('joined');
  renderRoom();
  renderPeople();
  /* The private messages sent to us while we were away. */
  privateWelcome(welcome.private);
  renderComposer();

  if (firstJoin || !resumed)
    addNotice(t('notice.welcome', { room: state.room.name, nick: state.you.nick }));
  setTimeout(() => ui.scroller.removeAttribute('aria-busy'), 0);

  /* What was typed while away goes out again with the same cid, paced: the
   * server recognises a cid it already accepted and only echoes it.
   */
  outbox.connected(welcome.limits);
  joined();
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

  if (noteFileError(code))
    return;
  if (code === 'slow-mode') {
    noteSlowRefusal(frame);
    sentence = t(key, { n: Math.max(1, Math.ceil(Number(frame.retry_after ?? 1000) / 1000)) });
  }
  if (sentence === key)
    sentence = String(frame.message ?? code);

  /* Removed from the room, or kept out of it: said once, and no coming
   * back on our own (the host closes the socket next).
   */
  if (code === 'kicked' || code === 'banned' ||
      (code === 'room-locked' && state.phase === 'connecting')) {
    setPhase('removed');
    dropSocket(1000);
    showRemoved(code);
    return;
  }

  if (typeof frame.cid === 'string') {
    const item = outbox.take(frame.cid);
    if (item) {
      markFailed(item, sentence);
      return;
    }
    if (privateError(frame.cid, sentence))
      return;
  }

  /* A refused `history` request: the log says so in its own way. */
  if (state.phase === 'joined' && typeof frame.cid !== 'string' && onHistoryError(code))
    return;

  /* A room with a password: ask for it, then join on a new socket (the
   * host's hello deadline keeps running while someone types).
   */
  if (state.phase === 'connecting' &&
      (code === 'password-required' || code === 'password-wrong' ||
       (code === 'rate-limited' && state.password !== null))) {
    dropSocket(1000);
    state.password = null;
    askNick(code === 'password-required' ? null : sentence, 'password');
    return;
  }

  /* A nickname refused before the welcome: ask again on the same socket. */
  if (state.phase === 'connecting' && (code === 'nick-invalid' || code === 'nick-too-long')) {
    askNick(sentence);
    return;
  }

  addNotice(sentence, { kind: 'notice error' });
}

/* ------------------------------------------------------------- connection */

function send (frame) {
  if (state.ws && state.ws.readyState === WebSocket.OPEN) {
    state.ws.send(JSON.stringify(frame));
    outbox.pacer.spend();
    return true;
  }
  return false;
}

function sendHello () {
  const hello = { type: 'hello', version: 1, nick: state.wantedNick || '', client: CLIENT_NAME };
  if (state.resumeToken) {
    hello.resume = { token: state.resumeToken, last_seq: state.lastSeq };
    if (state.lastPrivate > 0)
      hello.resume.last_private = state.lastPrivate;
  }
  if (state.password)
    hello.password = state.password;
  send(hello);
}

/* Lets go of the socket without reacting to its close. */
function dropSocket (code) {
  outbox.disconnected();
  if (state.ws) {
    const old = state.ws;
    state.ws = null;
    old.onclose = old.onmessage = old.onopen = old.onerror = null;
    try {
      old.close(code);
    } catch {
      /* already closing */
    }
  }
}

function connect () {
  clearTimeout(state.retryTimer);
  state.retryTimer = 0;

  dropSocket(CLOSE_RECONNECT);

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
    outbox.disconnected();
    if (state.phase === 'left' || state.phase === 'removed')
      return;
    if (e.code === 1001)
      state.closeReason = 'hostClosed';
    else
      state.closeReason = state.joinedOnce ? 'lost' : 'unreachable';
    scheduleRetry();
  };
}

/* The link is gone though the socket may not know yet (the network went
 * away, or our messages go unanswered): say so and start again.
 */
function connectionLost (reason) {
  if (state.phase === 'left' || state.phase === 'nick' || state.phase === 'password' || state.phase === 'removed')
    return;
  dropSocket(CLOSE_RECONNECT);
  state.closeReason = reason;
  scheduleRetry();
}

function watchEchoes () {
  const oldest = outbox.oldestUnechoed();
  if (state.phase === 'joined' && oldest && Date.now() - oldest > ECHO_TIMEOUT_MS)
    connectionLost('lost');
}

function handleFrame (frame) {
  switch (frame.type) {
    case 'welcome':
      applyWelcome(frame);
      break;
    case 'history':
      if (state.phase === 'joined')
        onHistory(frame);
      break;
    case 'error':
      applyError(frame);
      break;
    case 'message':
    case 'join':
    case 'leave':
    case 'rename':
    case 'topic':
    case 'file':
    case 'file-removed':
    case 'moderation':
      if (state.phase === 'joined')
        applyEvent(frame);
      break;
    case 'private':
      if (state.phase === 'joined')
        onPrivate(frame);
      break;
    case 'bans':
      onBans(frame);
      break;

    case 'reaction':
    case 'edit':
    case 'delete':
      if (state.phase === 'joined')
        applyEvent(frame);
      break;
    case 'typing':
      if (state.phase === 'joined')
        onTyping(frame);
      break;
    default:
      break;
  }
}

function scheduleRetry () {
  /* 1, 2, 4 seconds and then every 4, with some jitter so that a room full
   * of phones does not come back in the same instant.
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

/* After a kick (or a locked door): in again as someone new, once. */
function rejoin () {
  if (state.phase !== 'removed')
    return;
  state.removal = null;
  state.resumeToken = null;
  state.retryAttempt = 0;
  connect();
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
    outbox.disconnected();
    ws.close(1000);
  }
}

function setPhase (phase) {
  state.phase = phase;
  if (phase !== 'joined') {
    disconnected();
    typingDisconnected();
  }
  renderStatus();
  renderPeople();
  renderPending();
  renderComposer();
  syncPeers();
}

/* -------------------------------------------------------------- composing */

function pendingRow (item, date) {
  const nick = state.you?.nick ?? state.wantedNick ?? '';
  const li = buildMessage({ kind: item.kind, authorId: state.you?.id ?? 0, nick, text: item.text, date, own: true });
  if (item.replyTo)
    li.querySelector('.meta').after(buildQuote(item.replyTo));

  li.classList.add('sending');
  /* Below the text, so that it shows even when the header is collapsed. */
  li.append(el('div', 'state'));
  item.el = li;
  withScroll(() => {
    groupWith(li, ui.outbox.lastElementChild ?? ui.log.lastElementChild);
    ui.outbox.append(li);
  }, true);
}

function postMessage (kind, text) {
  if (charLength(text) > state.limits.text) {
    addNotice(t('notice.textTooLong', { n: state.limits.text }), { kind: 'notice error' });
    return false;
  }
  if (!mayPost())
    return false;

  const replyTo = compose.mode === 'reply' ? compose.quote : null;
  const item = { cid: outbox.nextCid(), kind, text, time: Date.now(), el: null, replyTo };
  finishCompose();
  pendingRow(item, new Date(item.time));
  outbox.add(item);
  renderPending();
  notePosted();
  return true;
}

function sendNick (nick) {
  if (charLength(nick) > state.limits.nick) {
    addNotice(t('error.nick-too-long', { n: state.limits.nick }), { kind: 'notice error' });
    return false;
  }
  if (!send({ type: 'nick', nick })) {
    addNotice(t('notice.offline'), { kind: 'notice error' });
    return false;
  }
  return true;
}

function helpLines () {
  return [t('help.title'), t('help.me'), t('help.nick'), t('help.topic'), t('help.list'), t('help.msg'),
          ...moderationHelp(), t('help.help'), t('help.quit'), t('help.slash')];
}

/* The same commands, aliases included, as the core's tertulia-command. */
const COMMANDS = {
  me: 'me',
  nick: 'nick',
  topic: 'topic',
  list: 'list', listar: 'list',
  help: 'help', ayuda: 'help', ajuda: 'help',
  quit: 'quit', quitar: 'quit', exit: 'quit', salir: 'quit', sair: 'quit',
  /* issue 18: private messages and moderation */
  kick: 'kick', expulsar: 'kick',
  ban: 'ban', banear: 'ban', banir: 'ban',
  unban: 'unban', desbanear: 'unban', desbanir: 'unban',
  bans: 'bans', baneados: 'bans', banidos: 'bans',
  mute: 'mute', silenciar: 'mute',
  unmute: 'unmute', desilenciar: 'unmute', dessilenciar: 'unmute',
  slow: 'slow', lento: 'slow',
  lock: 'lock', bloquear: 'lock',
  unlock: 'unlock', desbloquear: 'unlock',
  op: 'op', coanfitrion: 'op', coanfitriao: 'op',
  deop: 'deop', invitado: 'deop', convidado: 'deop',
  msg: 'msg', privado: 'msg',
};

/* The entry's text as the new text of the message being edited. */
function submitEdit (line) {
  const text = line.trim();
  const event = eventBySeq(compose.seq);
  if (text === '') {
    addNotice(t('msg.editEmpty'), { kind: 'notice error' });
    return false;
  }
  if (charLength(text) > state.limits.text) {
    addNotice(t('notice.textTooLong', { n: state.limits.text }), { kind: 'notice error' });
    return false;
  }
  if (!event || !editMessage(compose.seq, text))
    return false;
  finishCompose();
  return true;
}

/* Returns true when the entry should be cleared. */
function runLine (line) {
  if (compose.mode === 'edit')
    return submitEdit(line);
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
      return sendNick(argument);
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
        if (p.role === 'host')
          marks.push(t('people.host'));
        else if (p.role === 'cohost')
          marks.push(t('people.cohost'));
        if (p.muted)
          marks.push(t('people.muted'));
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
    case 'msg':
      return runMsgCommand(argument);
    case 'kick':
    case 'ban':
    case 'unban':
    case 'bans':
    case 'mute':
    case 'unmute':
    case 'op':
    case 'deop':
    case 'slow':
    case 'lock':
    case 'unlock':
      return runModerationCommand(command, argument);
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
  if (runLine(ui.entry.value)) {
    ui.entry.value = compose.draft;
    compose.draft = '';
    autosizeEntry();
    stopTyping();
  }
}

/* Our newest message still there, for Up in an empty entry. */
function lastOwnSeq () {
  const rows = ui.log.querySelectorAll('li.msg.own.amendable:not(.deleted)');
  const li = rows[rows.length - 1];
  return li ? Number(li.dataset.seq) : 0;
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

/* ------------------------------------------------------------------ wire */

/* The prompt for a nickname or a password, and the phase that goes with it. */
function askNick (error = null, how = 'join') {
  if (how === 'password')
    setPhase('password');
  else if (how === 'join')
    setPhase(state.phase === 'connecting' ? 'connecting' : 'nick');
  showNickPrompt(error, how);
}

function init () {
  initHistory(send);
  initLayout({
    onRename: () => showNickPrompt(null, 'rename'),
    onHelp: () => addNoticeLines(helpLines()),
    onLeave: leave,
    onPrivate: openPrivateList,
    onSettings: openSettings,
  });
  initModeration({
    send,
    onPrivate: (person) => {
      setPeopleOpen(false);
      openConversation(person);
    },
    onMention: insertMention,
    onRename: () => showNickPrompt(null, 'rename'),
    onRejoin: rejoin,
  });
  initPrivate(send);
  initPrompt({
    onJoin: () => {
      if (state.ws && state.ws.readyState === WebSocket.OPEN && state.phase === 'connecting')
        sendHello();
      else
        connect();
    },
    onRename: sendNick,
  });
  initFiles();
  initConversation({ send, redraw: redrawSeq, reveal: revealSeq, eventFor: eventBySeq });
  initMessageMenu({ onReply: startReply, onEdit: startEdit });
  initCompose({ autosize: autosizeEntry });
  initTyping(send);
  initSecurityNotice();

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
    } else if (e.key === 'Escape' && compose.mode) {
      e.preventDefault();
      e.stopPropagation();
      cancelCompose();
    } else if (e.key === 'ArrowUp' && ui.entry.value === '' && !compose.mode && lastOwnSeq()) {
      e.preventDefault();
      startEdit(lastOwnSeq());
    }
  });
  ui.entry.addEventListener('input', () => {
    autosizeEntry();
    entryChanged(ui.entry.value.trim() !== '');
  });
  /* Tapping Send must not take the focus from the entry: on a phone that
   * would close the keyboard between two messages.
   */
  $('send').addEventListener('mousedown', (e) => e.preventDefault());
  ui.statusButton.addEventListener('click', () => (state.phase === 'removed' ? rejoin() : retryNow()));

  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') {
      state.unread = 0;
      state.unreadMention = false;
      updateTitle();
      /* A phone that slept comes back to a dead socket: try at once. */
      retryNow();
    }
  });
  window.addEventListener('offline', () => {
    state.offline = true;
    connectionLost('offline');
  });
  window.addEventListener('online', () => {
    state.offline = false;
    /* An attempt begun while offline may hang until it times out. */
    if (state.phase === 'connecting' && state.joinedOnce)
      connect();
    else
      retryNow();
  });
  setInterval(watchEchoes, 1000);

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
        state.phase !== 'password' && state.phase !== 'removed')
      connect();
  });
  state.resumeToken = storageGet(sessionStorage, RESUME_KEY);
  storageSet(sessionStorage, RESUME_KEY, null);
  state.password = storageGet(sessionStorage, PASSWORD_KEY);
  storageSet(sessionStorage, PASSWORD_KEY, null);

  try {
    const me = JSON.parse(storageGet(sessionStorage, ME_KEY) ?? 'null');
    if (me && typeof me.room === 'string' && Array.isArray(me.ids)) {
      state.roomId = me.room;
      state.myIds = new Set(me.ids);
    }
  } catch {
    /* Nothing usable was left: the page starts afresh. */
  }

  /* What an earlier page of this tab had not sent yet. */
  for (const item of outbox.restore()) {
    pendingRow(item, new Date(item.time));
    outbox.add(item);
  }
  renderPending();

  if (state.wantedNick === null)
    askNick();
  else
    connect();
}

init();

/* history.js — the log as a window over the room's events
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs of joins and leaves drawn as one row, and the window: the
 * welcome's history drawn in one pass, older pages fetched as the user
 * scrolls up, a bounded DOM. log.js draws single rows.
 */

import { el, mentions, state, t, ui } from './common.js';
import {
  buildMessage, buildNotice, dayDivider, dayKey, groupWith, isAtBottom, scrollToBottom,
  setBeforeForcedScroll, titleTime,
} from './log.js';
import { buildFileRow } from './sharing.js';
import { buildModerationRow } from './moderation.js';
import { AMENDMENTS, decorateMessage, messageState, noteAmendment, resetConversation } from './conversation.js';

/* -------------------------------------------------------- joins and leaves */

/* The joins and leaves a run row stands for, oldest first. */
const runs = new WeakMap();

function uniqueNicks (entries, kind) {
  return [...new Set(entries.filter((e) => e.kind === kind).map((e) => e.nick))];
}

function describeNames (names, kind) {
  const [a, b, c] = names;

  switch (names.length) {
    case 1:
      return t(`event.${kind}`, { nick: a });
    case 2:
      return t(`run.${kind}2`, { a, b });
    case 3:
      return t(`run.${kind}3`, { a, b, c });
    default:
      return t(`run.${kind}Many`, { a, b, n: names.length - 2 });
  }
}

/* One line for a run of joins and leaves: "ana and bob joined", "ana
 * joined, bob left", "ana, bob and 3 others joined", "5 people joined
 * and 2 people left". @entries: [{ kind: 'join' | 'leave', nick }].
 */
export function summarizeRun (entries) {
  const joined = uniqueNicks(entries, 'join');
  const left = uniqueNicks(entries, 'leave');

  if (left.length === 0)
    return describeNames(joined, 'join');
  if (joined.length === 0)
    return describeNames(left, 'leave');
  /* Few people are named, many are counted; what happened first is said
   * first ("bob left, bob joined" is someone coming back).
   */
  const few = joined.length + left.length <= 3;
  let parts = few
    ? [describeNames(joined, 'join'), describeNames(left, 'leave')]
    : [t('run.countJoined', { n: joined.length }), t('run.countLeft', { n: left.length })];
  if (entries[0].kind === 'leave')
    parts = parts.reverse();
  return t(few ? 'run.both' : 'run.counts', { first: parts[0], second: parts[1] });
}

/* A run row's text and its title, which lists each join and leave. */
function showRun (li, entries) {
  li.querySelector('.text').textContent = summarizeRun(entries);
  li.title = entries.map((e) => e.text).join('\n');
}

/* The join or leave @event says, or null for any other event. */
function membership (event) {
  if (event.type === 'join') {
    const nick = String(event.participant?.nick ?? '');
    return { kind: 'join', nick, seq: event.seq, text: t('event.join', { nick }) };
  }
  if (event.type === 'leave') {
    const nick = String(event.nick ?? '?');
    return { kind: 'leave', nick, seq: event.seq, text: t('event.leave', { nick }) };
  }
  return null;
}

/* Joins and leaves with nothing else between them on one day are one
 * row, whose text changes as the run grows: the log (a live region) reads
 * that line once for each change, not a row per person, and nothing while
 * history is drawn. The row stands for each of its events' seqs; its
 * data-seq is the first, data-last-seq the last.
 */
function growRun (li, entries) {
  runs.get(li).push(...entries);
  li.dataset.lastSeq = String(entries[entries.length - 1].seq);
  showRun(li, runs.get(li));
}

/* The seqs a row stands for: one, or a run's. */
function rowSeqs (li) {
  const entries = runs.get(li);
  return entries ? entries.map((e) => e.seq) : [Number(li.dataset.seq)];
}

function rowLastSeq (li) {
  return Number(li.dataset.lastSeq ?? li.dataset.seq);
}

/* Two runs that meet where an older page was put in front become one:
 * @older's entries go in front of @later's, which stays (it may be the
 * row the user is reading).
 */
function prependRun (later, older) {
  if (!runs.has(later) || !runs.has(older) || later.dataset.day !== older.dataset.day)
    return;
  const entries = runs.get(older).concat(runs.get(later));
  runs.set(later, entries);
  later.dataset.seq = String(entries[0].seq);
  showRun(later, entries);
  for (const entry of entries)
    rows.set(entry.seq, later);
  older.remove();
}

/* ================================================================ window
 *
 * The log as a window over the room's events: drawn in one pass, older
 * messages loaded as the user scrolls up, a bounded DOM.
 *
 * The page keeps the room's events it knows in `store` (sorted by seq, at
 * most MAX_KEPT) and shows a contiguous part of them, [view.lo, view.hi],
 * as rows of #log (at most MAX_ROWS children). Rows scrolled far away are
 * dropped: those below come back from the store, those above from the
 * store or, past its start, from the host with a `history` frame. Local
 * notices (no seq) live only in the DOM and go when their part is dropped.
 *
 * Rows are built off the DOM in a DocumentFragment and inserted at once,
 * with no layout read per row; what was already in the room (a welcome's
 * history, older pages) is inserted while the log is aria-busy, so a
 * screen reader reads out only what happens now.
 */

/* Children of #log at most (rows, day dividers, notices, the two marks). */
export const MAX_ROWS = 600;
/* What a drop leaves, so that drops come in chunks and not on every event. */
const TRIM_ROWS = 450;
/* Rows shown when the log goes back to the newest ones. */
const LIVE_ROWS = 300;
/* Events kept in memory at most, and what a trim of the store leaves. */
export const MAX_KEPT = 3000;
const KEEP_AFTER_TRIM = 2500;
/* Events per `history` request, and per page drawn from the store. */
const PAGE = 100;
/* A welcome's history longer than this shows its newest rows only; the
 * rest waits in the store and is drawn as the user scrolls up. A screen
 * and a half of rows at most: on a slow phone, drawing 500 at once costs
 * a third of a second before the room appears.
 */
const REPLAY_ROWS = 150;
/* Retry after a refusal that may pass (rate-limited). */
const RETRY_MS = 1000;

const store = {
  events: [],       /* sorted by seq, oldest first */
  attached: true,   /* ends at the room's newest event: live events join it */
  exhausted: false, /* the host said it has nothing older than events[0] */
  forward: 0,       /* `before` of the last forward fetch while detached */
};
/* The rows of the events in [view.lo, view.hi]; empty when lo > hi. */
const view = { lo: 1, hi: 0 };
const rows = new Map();
/* The `history` request in flight: {kind: 'older'|'newer'|'live', before}. */
let pending = null;
let retryTimer = 0;
let sendFrame = () => false;
let observer = null;

/* Marks at both ends of the window: seen, they bring more rows. They are
 * aria-hidden: what they bring is not news to read out.
 */
const older = el('li', 'history-mark older');
const newer = el('li', 'history-mark newer');

/* --------------------------------------------------------------- the store */

function storeFirst () {
  return store.events.length ? store.events[0].seq : 0;
}

function storeLast () {
  return store.events.length ? store.events[store.events.length - 1].seq : 0;
}

/* The index of the first kept event with seq >= @seq. */
function seqIndex (seq) {
  const events = store.events;
  let lo = 0;
  let hi = events.length;

  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (events[mid].seq < seq)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

function viewEmpty () {
  return view.lo > view.hi;
}

/* Whether the newest rows of the room are the last ones drawn. */
export function atLiveEnd () {
  return store.attached && (viewEmpty() ? store.events.length === 0 : view.hi >= storeLast());
}

/* Kept events above the window, or older ones the host may have. */
function canShowOlder () {
  if (store.events.length === 0 || viewEmpty())
    return false;
  return view.lo > storeFirst() || (storeFirst() > 1 && !store.exhausted);
}

/* Memory stays bounded: the end of the store farther from what is shown
 * goes. Cut at the end, the store no longer follows the room: live events
 * are then fetched again when the user scrolls down to them.
 */
function trimStore () {
  const events = store.events;
  if (events.length <= MAX_KEPT)
    return;

  const excess = events.length - KEEP_AFTER_TRIM;
  const lo = viewEmpty() ? events.length : seqIndex(view.lo);
  const hi = viewEmpty() ? events.length : seqIndex(view.hi + 1);

  if (lo >= events.length - hi) {
    events.splice(0, Math.min(excess, lo));
    store.exhausted = false;
  } else {
    const cut = Math.min(excess, events.length - hi);
    events.splice(events.length - cut, cut);
    store.attached = false;
    store.forward = 0;
  }
}

/* ----------------------------------------------------------------- drawing */

function eventDate (event) {
  return new Date(event.time);
}

/* The row for @event, or null for an event this page does not show. */
function buildRow (event) {
  const date = eventDate(event);
  let li = event.row ?? null;

  /* Our own message: the row that waited in the outbox, the first time. */
  if (li) {
    delete event.row;
    if (event.type === 'message')
      decorateMessage(li, event);
  } else {
    switch (event.type) {
      case 'message': {
        const fromId = event.from?.id;
        /* With its edits, reactions or deletion (conversation.js). */
        const amended = messageState(event);
        const own = state.myIds.has(fromId);
        li = buildMessage({
          kind: event.kind === 'action' ? 'action' : 'chat',
          authorId: fromId,
          nick: String(event.from?.nick ?? ''),
          text: amended.text,
          date,
          own,
          mention: !own && !amended.deleted && Boolean(state.you) && mentions(amended.text, state.you.nick),
        });
        decorateMessage(li, event, amended);
        break;
      }
      case 'join':
        li = buildNotice(t('event.join', { nick: String(event.participant?.nick ?? '') }), { date, kind: 'event' });
        break;
      case 'leave':
        li = buildNotice(t('event.leave', { nick: String(event.nick ?? '?') }), { date, kind: 'event' });
        break;
      case 'rename': {
        const to = String(event.to ?? '');
        const text = state.myIds.has(event.id) ? t('event.renameYou', { to })
          : t('event.rename', { from: String(event.from ?? ''), to });
        li = buildNotice(text, { date, kind: 'event' });
        break;
      }
      case 'topic': {
        const topic = String(event.topic ?? '');
        const nick = String(event.by?.nick ?? '');
        li = buildNotice(topic ? t('event.topic', { nick, topic }) : t('event.topicCleared', { nick }),
                         { date, kind: 'event' });
        break;
      }
      case 'file':
        li = buildFileRow(event, date);
        break;
      case 'moderation':
        li = buildModerationRow(event, date);
        if (!li)
          return null;
        break;
      default:
        /* A newer server's event (or file-removed, which marks a row): it
         * used up a seq, and shows nothing.
         */
        return null;
    }
  }
  li.setAttribute('data-seq', String(event.seq));
  li.setAttribute('data-day', dayKey(date));
  return li;
}

/* Rows for @events in a fragment, grouped and divided by day as if they
 * followed @previous (a row, or null) of the day @previousDay.
 */
function renderRun (events, previous, previousDay) {
  const fragment = document.createDocumentFragment();
  let last = null;

  /* The marks are not rows: what came before is the row above them. */
  if (previous === newer || previous === older)
    previous = previous.previousElementSibling;

  for (const event of events) {
    const entry = membership(event);
    if (entry && runs.has(previous) && previous.dataset.day === dayKey(eventDate(event))) {
      growRun(previous, [entry]);
      rows.set(event.seq, previous);
      continue;
    }
    const li = buildRow(event);
    if (!li)
      continue;
    if (entry) {
      li.classList.add('run');
      runs.set(li, [entry]);
      li.title = entry.text;
    }
    const divider = dayDivider(eventDate(event), previousDay);
    if (divider)
      fragment.append(divider);
    groupWith(li, divider ? null : previous);
    fragment.append(li);
    rows.set(event.seq, li);
    previous = li;
    previousDay = li.dataset.day;
    last = li;
  }
  return { fragment, last };
}

function isRow (node) {
  return node?.dataset?.seq !== undefined;
}

function firstRow () {
  return viewEmpty() ? null : rows.get(firstShownSeq()) ?? null;
}

function firstShownSeq () {
  for (let i = seqIndex(view.lo); i < store.events.length && store.events[i].seq <= view.hi; i++) {
    if (rows.has(store.events[i].seq))
      return store.events[i].seq;
  }
  return null;
}

function lastRow () {
  for (let i = seqIndex(view.hi + 1) - 1; i >= 0 && store.events[i].seq >= view.lo; i--) {
    const li = rows.get(store.events[i].seq);
    if (li)
      return li;
  }
  return null;
}

/* The first row on screen and how far it is from the top, so that rows
 * added or dropped above it leave it where the user sees it.
 */
function scrollAnchor () {
  const top = ui.scroller.getBoundingClientRect().top;

  /* One layout, then reads only: cheap, and done once per page. */
  /* Not a day divider: one may go or come where old and new rows meet. */
  for (const node of ui.log.children) {
    if (node.hidden || node === older || node === newer || node.classList.contains('day'))
      continue;
    const rect = node.getBoundingClientRect();
    if (rect.bottom > top)
      return { node, offset: rect.top - top };
  }
  return null;
}

function keepAnchor (anchor) {
  if (!anchor || !anchor.node.isConnected)
    return;
  const top = ui.scroller.getBoundingClientRect().top;
  ui.scroller.scrollTop += anchor.node.getBoundingClientRect().top - top - anchor.offset;
}

/* What is inserted now was already said in the room. */
function quietly (change) {
  ui.scroller.setAttribute('aria-busy', 'true');
  change();
  setTimeout(() => ui.scroller.removeAttribute('aria-busy'), 0);
}

/* Removes children from @node on, going by @step (nextElementSibling or
 * previousElementSibling), until at most @target are left and a row is
 * reached; the marks stay. Returns that row, or null.
 */
function dropRows (node, step, target) {
  while (node && (ui.log.childElementCount > target || !isRow(node))) {
    const next = node[step];
    if (node !== older && node !== newer) {
      if (isRow(node)) {
        for (const seq of rowSeqs(node))
          rows.delete(seq);
      }
      node.remove();
    }
    node = next;
  }
  return node;
}

/* Drops children from the top until at most @target are left, and on to
 * the next row, so that the window starts with a row.
 */
function dropTop (target) {
  const first = dropRows(ui.log.firstElementChild, 'nextElementSibling', target);
  view.lo = first ? Number(first.dataset.seq) : view.hi + 1;
  if (first) {
    const divider = dayDivider(eventDate(store.events[seqIndex(view.lo)]), null);
    if (divider)
      first.before(divider);
    groupWith(first, null);
  }
}

/* Drops children from the bottom (notices after the last row too) until
 * at most @target are left, ending with a row.
 */
function dropBottom (target) {
  const last = dropRows(ui.log.lastElementChild, 'previousElementSibling', target);
  view.hi = last ? rowLastSeq(last) : view.lo - 1;
  /* A divider left dangling above nothing. */
  while (ui.log.lastElementChild?.classList.contains('day'))
    ui.log.lastElementChild.remove();
}

/* Both marks where they belong; seen again by the observer, which reports
 * at once whether each is on screen.
 */
function placeMarks () {
  const first = firstRow();
  if (first) {
    const before = first.previousElementSibling?.classList.contains('day') ? first.previousElementSibling : first;
    if (before.previousElementSibling !== older)
      before.before(older);
  } else if (ui.log.firstElementChild !== older) {
    ui.log.prepend(older);
  }
  older.hidden = !canShowOlder() && pending?.kind !== 'older';

  const last = lastRow();
  if (last)
    last.after(newer);
  else
    older.after(newer);
  newer.hidden = atLiveEnd() && pending?.kind !== 'newer';

  if (observer) {
    for (const mark of [older, newer]) {
      observer.unobserve(mark);
      if (!mark.hidden)
        observer.observe(mark);
    }
  }
}

/* ------------------------------------------------------------- the window */

/* Events new to the page, in seq order and after everything it had: from
 * the wire as they happen, or a welcome's history (@replay).
 */
export function addEvents (events, replay = false) {
  if (events.length === 0)
    return;

  const live = atLiveEnd();
  if (store.attached) {
    for (const event of events)
      store.events.push(event);
  }

  const wasAtBottom = replay || isAtBottom();
  const full = ui.log.childElementCount + events.length > MAX_ROWS;
  if (!live || (full && !wasAtBottom)) {
    /* Below what the user reads: drawn when they scroll down to it. */
    for (const event of events) {
      event.row?.remove();
      delete event.row;
    }
    trimStore();
    placeMarks();
    ui.jump.hidden = false;
    return;
  }

  let batch = events;
  if (events.length > REPLAY_ROWS) {
    /* A long history: its newest rows, on a log started afresh. */
    batch = events.slice(-REPLAY_ROWS);
    for (const event of events.slice(0, -REPLAY_ROWS)) {
      event.row?.remove();
      delete event.row;
    }
    clearRows();
  }

  const { fragment } = renderRun(batch, ui.log.lastElementChild, lastRow()?.dataset.day ?? null);
  if (viewEmpty())
    view.lo = batch[0].seq;
  view.hi = batch[batch.length - 1].seq;
  ui.log.append(fragment);
  const lastAdded = lastRow();
  if (ui.outbox.firstElementChild && lastAdded)
    groupWith(ui.outbox.firstElementChild, lastAdded);

  let dropped = false;
  if (wasAtBottom && ui.log.childElementCount > MAX_ROWS) {
    dropTop(TRIM_ROWS);
    dropped = true;
  }
  trimStore();
  if (!wasAtBottom)
    ui.jump.hidden = false;
  else if (!replay)
    scrollToBottom();
  if (replay || dropped || older.hidden === canShowOlder())
    placeMarks();
}

/* Every row of this window, and what is above its last row. */
function clearRows () {
  const last = lastRow();
  if (last) {
    while (ui.log.firstElementChild && ui.log.firstElementChild !== last)
      ui.log.firstElementChild.remove();
    last.remove();
  }
  rows.clear();
  view.lo = view.hi + 1;
}

/* Draws up to a page of kept events before the window, above what the
 * user reads, which stays where it is on screen.
 */
function showOlderFromStore () {
  const end = viewEmpty() ? store.events.length : seqIndex(view.lo);
  const batch = store.events.slice(Math.max(0, end - PAGE), end);
  if (batch.length === 0)
    return;

  const anchor = scrollAnchor();
  quietly(() => {
    const { fragment, last } = renderRun(batch, null, null);
    const first = firstRow();
    /* Where the old first row meets the new ones: one day divider at most,
     * and a message may follow one by the same author.
     */
    if (first && last) {
      const divider = first.previousElementSibling?.classList.contains('day') ? first.previousElementSibling : null;
      divider?.remove();
      const due = dayDivider(eventDate(store.events[seqIndex(Number(first.dataset.seq))]), last.dataset.day);
      if (due)
        first.before(due);
      groupWith(first, due ? null : last);
    }
    older.after(fragment);
    /* A run cut by the page's edge is one row again (the row read on
     * screen stays; the older half joins it).
     */
    if (first && last && last.nextElementSibling === first)
      prependRun(first, last);
    view.lo = batch[0].seq;
    if (viewEmpty())
      view.hi = batch[batch.length - 1].seq;
    if (ui.log.childElementCount > MAX_ROWS)
      dropBottom(TRIM_ROWS);
    trimStore();
    /* The marks may come or go above the anchor too. */
    placeMarks();
    keepAnchor(anchor);
  });
}

/* Draws up to a page of kept events after the window, below what the user
 * reads; rows far above make room, with the view kept where it is.
 */
function showNewerFromStore () {
  const start = seqIndex(view.hi + 1);
  const batch = store.events.slice(start, start + PAGE);
  if (batch.length === 0)
    return;

  quietly(() => {
    const previous = lastRow();
    const { fragment } = renderRun(batch, previous, previous?.dataset.day ?? null);
    newer.before(fragment);
    if (viewEmpty())
      view.lo = batch[0].seq;
    view.hi = batch[batch.length - 1].seq;
    const anchor = ui.log.childElementCount > MAX_ROWS ? scrollAnchor() : null;
    if (anchor)
      dropTop(TRIM_ROWS);
    placeMarks();
    keepAnchor(anchor);
  });
  if (atLiveEnd() && isAtBottom())
    ui.jump.hidden = true;
}

function request (kind, before) {
  if (pending || state.phase !== 'joined')
    return false;
  if (!sendFrame({ type: 'history', before, limit: PAGE }))
    return false;
  pending = { kind, before };
  return true;
}

/* The marks are placed (and so seen again) only when something was drawn
 * or asked for: offline, a mark on screen would otherwise ask every frame.
 */
function showOlder () {
  if (pending)
    return;
  if (!viewEmpty() && view.lo > storeFirst() && store.events.length)
    showOlderFromStore();
  else if (canShowOlder() && request('older', storeFirst()))
    placeMarks();
}

function showNewer () {
  if (pending)
    return;
  if (seqIndex(view.hi + 1) < store.events.length) {
    showNewerFromStore();
  } else if (!store.attached) {
    /* Forward through the host: the newest PAGE events before `before`. */
    const from = Math.max(storeLast() + 1, store.forward);
    if (request('newer', Math.min(from + PAGE, state.lastSeq + 1)))
      placeMarks();
  }
}

/* Back to the newest rows (the "New messages" button, or a row the user
 * must see at the end of the log).
 */
export function goLive () {
  if (atLiveEnd())
    return;

  ui.log.replaceChildren();
  rows.clear();
  if (store.attached) {
    const batch = store.events.slice(-LIVE_ROWS);
    view.lo = view.hi + 1;
    if (batch.length) {
      quietly(() => ui.log.append(renderRun(batch, null, null).fragment));
      view.lo = batch[0].seq;
      view.hi = batch[batch.length - 1].seq;
    }
  } else {
    view.hi = storeLast();
    view.lo = view.hi + 1;
    if (pending?.kind !== 'live') {
      pending = null;
      request('live', state.lastSeq + 1);
    }
  }
  placeMarks();
}

function valid (events) {
  const out = [];
  for (const event of Array.isArray(events) ? events : []) {
    if (!event || typeof event !== 'object' || typeof event.seq !== 'number')
      continue;
    if (out.length && event.seq <= out[out.length - 1].seq)
      continue;
    intake(event);
    out.push(event);
  }
  return out;
}

/* What an event needs to be drawn again later, from its first sight. */
export function intake (event) {
  if (typeof event.time !== 'number')
    event.time = Date.now();
  if (event.type === 'leave' && event.nick === undefined)
    event.nick = state.participants.get(event.id)?.nick;
  if (AMENDMENTS.includes(event.type))
    noteAmendment(event);
}

/* The kept event @seq, or null. */
export function eventBySeq (seq) {
  const event = store.events[seqIndex(seq)];
  return event?.seq === seq ? event : null;
}

/* Draws message @seq's row again, if it is on screen, with what amends
 * it now: the same row, in the same place, once.
 */
export function redrawSeq (seq) {
  const old = rows.get(seq);
  const event = eventBySeq(seq);
  if (!old || !event || event.type !== 'message' || runs.has(old))
    return;
  const stick = isAtBottom();
  const focused = old.contains(document.activeElement);
  const li = buildRow(event);
  li.classList.toggle('continued', old.classList.contains('continued'));
  old.replaceWith(li);
  rows.set(seq, li);
  if (focused)
    li.focus({ preventScroll: true });
  if (stick)
    scrollToBottom();
}

/* Waiters for the answer to the `history` request in flight. */
let settled = [];

function settle () {
  const waiters = settled;
  settled = [];
  for (const resolve of waiters)
    resolve();
}

/* The row of event @seq, drawn: from the kept events, or from older
 * pages fetched from the host until it is there. Resolves to the row, or
 * null when the host no longer has it (or it has no row).
 */
export async function revealSeq (seq) {
  for (let turn = 0; turn < 500; turn++) {
    const li = rows.get(seq);
    if (li)
      return li;
    if (state.phase !== 'joined' || seq <= 0)
      return null;
    if (store.events.length && seq >= storeFirst()) {
      /* Kept: above the window, or nothing there to draw. */
      if (!viewEmpty() && seq >= view.lo)
        return null;
      if (viewEmpty() && seq > storeLast())
        return null;
      showOlderFromStore();
      continue;
    }
    if (store.exhausted || (store.events.length && storeFirst() <= 1))
      return null;
    const answered = new Promise((resolve) => settled.push(resolve));
    if (!pending) {
      if (!request('older', storeFirst() || state.lastSeq + 1))
        return null;
      placeMarks();
    }
    await answered;
  }
  return null;
}

/* A `history` answer. */
export function onHistory (frame) {
  if (!pending)
    return;
  const { kind, before } = pending;
  pending = null;
  const events = valid(frame.events).filter((e) => e.seq < before);

  if (kind === 'older') {
    const fresh = store.events.length ? events.filter((e) => e.seq < storeFirst()) : events;
    store.events.unshift(...fresh);
    if (!frame.more || fresh.length === 0)
      store.exhausted = true;
    showOlderFromStore();
  } else if (kind === 'newer') {
    const fresh = events.filter((e) => e.seq > storeLast());
    store.events.push(...fresh);
    store.forward = before;
    if (before === state.lastSeq + 1) {
      store.attached = true;
      store.forward = 0;
    }
    showNewerFromStore();
  } else {
    /* Back to the newest: the store starts again from them. */
    store.events = events;
    store.attached = before === state.lastSeq + 1;
    store.exhausted = !frame.more;
    store.forward = 0;
    if (events.length) {
      quietly(() => {
        const { fragment } = renderRun(events, null, null);
        older.after(fragment);
      });
      view.lo = events[0].seq;
      view.hi = events[events.length - 1].seq;
    }
    scrollToBottom();
  }
  trimStore();
  placeMarks();
  settle();
}

/* An error that may answer our request; true when it did. */
export function onHistoryError (code) {
  if (!pending)
    return false;
  const refusals = ['history-out-of-range', 'invalid-frame', 'unknown-type', 'rate-limited'];
  if (!refusals.includes(code))
    return false;

  const { kind } = pending;
  pending = null;
  if (code === 'rate-limited') {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(placeMarks, RETRY_MS);
  } else if (kind === 'older') {
    /* Nothing older to be had from this host: the log starts here. */
    store.exhausted = true;
  } else {
    /* The host cannot fill the gap: what is kept is all there is. */
    store.attached = true;
    store.forward = 0;
  }
  placeMarks();
  settle();
  return true;
}

/* The socket went: an answer will not come. */
export function disconnected () {
  pending = null;
  settle();
}

/* Another room: its seqs start again. The old rows stay, above the new
 * room's, but are no part of the window any more.
 */
export function newRoom () {
  for (const li of rows.values()) {
    delete li.dataset.seq;
    delete li.dataset.lastSeq;
    runs.delete(li);
  }
  rows.clear();
  resetConversation();
  store.events = [];
  store.attached = true;
  store.exhausted = false;
  store.forward = 0;
  view.lo = 1;
  view.hi = 0;
  pending = null;
}

/* After each welcome: the marks where they belong, and a window left
 * empty by a request the drop swallowed filled again.
 */
export function joined () {
  if (viewEmpty() && !store.attached)
    request('live', state.lastSeq + 1);
  placeMarks();
}

export function initHistory (send) {
  sendFrame = send;
  older.setAttribute('aria-hidden', 'true');
  newer.setAttribute('aria-hidden', 'true');
  older.textContent = t('history.older');
  newer.textContent = t('history.newer');
  older.hidden = true;
  newer.hidden = true;
  ui.log.append(older, newer);

  setBeforeForcedScroll(goLive);
  ui.scroller.addEventListener('mouseover', titleTime, { passive: true });
  ui.scroller.addEventListener('focusin', titleTime);
  if ('IntersectionObserver' in window) {
    observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting)
          continue;
        if (entry.target === older && !older.hidden)
          showOlder();
        else if (entry.target === newer && !newer.hidden)
          showNewer();
      }
    }, { root: ui.scroller, rootMargin: '200px 0px' });
  }
}

/* outbox.js — own messages until the room has them: kept per tab, paced
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A message keeps its cid from the moment it is typed until its echo, and
 * is written to sessionStorage, so a reload (or a phone discarding the tab)
 * sends it again with the same cid: the host answers a cid it already
 * accepted with a copy of its echo, so it is posted once.
 */

import { storageGet, storageSet } from './common.js';

const OUTBOX_KEY = 'tertulia.outbox';
/* The host's token bucket counts every frame; the page keeps a little
 * below it, for the hello and for the clocks of two machines.
 */
const RATE_MARGIN = 0.9;

function randomId () {
  const bytes = new Uint8Array(6);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/* The welcome's rate_burst and rate_per_second as a token bucket, spent by
 * every frame the page sends.
 */
export class Pacer {
  constructor () {
    this.burst = 0;
    this.rate = 0;
    this.tokens = 0;
    this.stamp = 0;
  }

  /* A new connection: the host's bucket is full, less the hello. */
  reset (limits) {
    this.burst = Math.max(0, Number(limits?.rate_burst) || 0);
    this.rate = Math.max(0, Number(limits?.rate_per_second) || 0) * RATE_MARGIN;
    this.tokens = Math.max(1, this.burst - 2);
    this.stamp = performance.now();
  }

  get unlimited () {
    return this.burst === 0 && this.rate === 0;
  }

  refill () {
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + (now - this.stamp) / 1000 * this.rate);
    this.stamp = now;
  }

  spend () {
    this.refill();
    this.tokens -= 1;
  }

  /* Milliseconds until a frame may go, 0 for now. */
  wait () {
    if (this.unlimited)
      return 0;
    this.refill();
    if (this.tokens >= 1)
      return 0;
    return this.rate > 0 ? Math.ceil((1 - this.tokens) / this.rate * 1000) : 1000;
  }
}

/* The quote of the message a reply answers ({seq, from, text}), or null. */
function validQuote (quote) {
  if (!quote || typeof quote !== 'object' || typeof quote.seq !== 'number')
    return null;
  return { seq: quote.seq, from: { id: quote.from?.id, nick: String(quote.from?.nick ?? '') },
           text: String(quote.text ?? '') };
}

export class Outbox {
  /* @sendSay posts one item on the current connection, or returns false. */
  constructor (sendSay) {
    this.sendSay = sendSay;
    this.items = [];          /* {cid, kind, text, time, el, sentAt, replyTo} */
    this.pacer = new Pacer();
    this.prefix = randomId();
    this.counter = 0;
    this.timer = 0;
    this.open = false;
  }

  nextCid () {
    this.counter += 1;
    return `${this.prefix}-${this.counter}`;
  }

  /* What an earlier page in this tab left unsent. */
  restore () {
    let saved;
    try {
      saved = JSON.parse(storageGet(sessionStorage, OUTBOX_KEY) ?? '[]');
    } catch {
      saved = [];
    }
    if (!Array.isArray(saved))
      return [];
    return saved.filter((item) => item && typeof item.cid === 'string' && typeof item.text === 'string')
      .map((item) => ({ cid: item.cid, kind: item.kind === 'action' ? 'action' : 'chat',
                        text: item.text, time: Number(item.time) || Date.now(), el: null, sentAt: 0,
                        replyTo: validQuote(item.replyTo) }));
  }

  save () {
    const list = this.items.map(({ cid, kind, text, time, replyTo }) => ({ cid, kind, text, time, replyTo }));
    storageSet(sessionStorage, OUTBOX_KEY, list.length ? JSON.stringify(list) : null);
  }

  add (item) {
    item.sentAt = 0;
    this.items.push(item);
    this.save();
    this.pump();
  }

  /* The item with @cid, taken out: it was echoed or refused. */
  take (cid) {
    const index = this.items.findIndex((p) => p.cid === cid);
    if (index < 0)
      return null;
    const [item] = this.items.splice(index, 1);
    this.save();
    return item;
  }

  /* A welcome on a new connection: everything not echoed goes again. */
  connected (limits) {
    this.open = true;
    this.pacer.reset(limits);
    for (const item of this.items)
      item.sentAt = 0;
    this.pump();
  }

  disconnected () {
    this.open = false;
    clearTimeout(this.timer);
    this.timer = 0;
  }

  /* The oldest time an item was sent and not yet echoed, or 0. */
  oldestUnechoed () {
    let oldest = 0;
    for (const item of this.items) {
      if (item.sentAt && (!oldest || item.sentAt < oldest))
        oldest = item.sentAt;
    }
    return oldest;
  }

  /* Sends what is waiting, in order, as fast as the pacer lets it. */
  pump () {
    clearTimeout(this.timer);
    this.timer = 0;
    if (!this.open)
      return;

    for (const item of this.items) {
      if (item.sentAt)
        continue;
      const wait = this.pacer.wait();
      if (wait > 0) {
        this.timer = setTimeout(() => this.pump(), wait);
        return;
      }
      if (!this.sendSay(item))
        return;
      item.sentAt = Date.now();
    }
  }
}

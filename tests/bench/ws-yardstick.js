// ws-yardstick.js — the join-storm benchmark's yardstick: Node's `ws` doing
// what tertulia-server does when a guest joins
//
// Copyright 2026 The Tertulia developers
//
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Listens on 127.0.0.1 (port 0: the kernel picks; printed as "port N."),
// accepts the tertulia.1 subprotocol, answers each hello with a welcome
// listing everyone present (serialized per guest, as the host does), and
// tells everyone else of the join. No history, no limits: a yardstick,
// not a host. Run by tests/bench/run-bench; needs `npm ci` in tests/bench.

'use strict';

const { WebSocketServer } = require('ws');

const server = new WebSocketServer({
  host: '127.0.0.1',
  port: 0,
  backlog: 1024,
  perMessageDeflate: false,
  handleProtocols: (protocols) => (protocols.has('tertulia.1') ? 'tertulia.1' : false),
});

const present = new Map();   // socket -> participant
let nextId = 1;
let seq = 0;

server.on('connection', (socket) => {
  socket.on('message', (data, isBinary) => {
    let frame;
    try {
      frame = JSON.parse(data.toString());
    } catch {
      return;
    }
    if (frame.type !== 'hello' || present.has(socket))
      return;

    const me = {
      id: nextId++,
      nick: String(frame.nick || 'guest' + nextId).slice(0, 32),
      joined_at: Date.now(),
      host: false,
    };
    present.set(socket, me);
    seq++;
    socket.send(JSON.stringify({
      type: 'welcome',
      version: 1,
      you: me,
      room: { id: 'bench', name: 'Bench', topic: '' },
      participants: Array.from(present.values()),
      history: [],
      seq,
      resume_token: 'x'.repeat(64),
    }));
    const join = JSON.stringify({ type: 'join', seq, time: me.joined_at, participant: me });
    for (const other of present.keys())
      if (other !== socket)
        other.send(join);
  });
  socket.on('close', () => present.delete(socket));
});

server.on('listening', () => {
  process.stdout.write('Node ws yardstick is open on port ' + server.address().port + '.\n');
});

process.on('SIGTERM', () => process.exit(0));

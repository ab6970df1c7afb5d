/* fake-host.js — a tiny host in Node for the page's history tests and bench
 *
 * Copyright 2026 The Tertulia developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Serves src/web as it is in the tree and speaks enough of docs/PROTOCOL.md
 * over a hand-written WebSocket (RFC 6455, no dependency) for a room with a
 * long past: hello → welcome with the newest `historyLimit` events, the
 * `history` frame (issue 16.2, as agreed in the scrollback interface), say
 * → an echoed message. Tests can add events and hold history answers back.
 * Loopback only.
 */

'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');

const WEB = process.env.TERTULIA_WEB_ROOT || path.join(__dirname, '..', '..', 'src', 'web');
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml; charset=utf-8',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
};
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/* A server-to-client text frame (never masked). */
function textFrame (text) {
  const payload = Buffer.from(text, 'utf8');
  let header;
  if (payload.length < 126) {
    header = Buffer.from([0x81, payload.length]);
  } else if (payload.length < 65536) {
    header = Buffer.alloc(4);
    header[0] = 0x81;
    header[1] = 126;
    header.writeUInt16BE(payload.length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x81;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(payload.length), 2);
  }
  return Buffer.concat([header, payload]);
}

/* Whole client frames from @buffer: [{opcode, payload}], and what is left. */
function readFrames (buffer) {
  const frames = [];
  for (;;) {
    if (buffer.length < 2)
      break;
    const opcode = buffer[0] & 0x0f;
    let length = buffer[1] & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (buffer.length < 4)
        break;
      length = buffer.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (buffer.length < 10)
        break;
      length = Number(buffer.readBigUInt64BE(2));
      offset = 10;
    }
    const masked = (buffer[1] & 0x80) !== 0;
    const end = offset + (masked ? 4 : 0) + length;
    if (buffer.length < end)
      break;
    const payload = Buffer.from(buffer.subarray(end - length, end));
    if (masked) {
      const mask = buffer.subarray(offset, offset + 4);
      for (let i = 0; i < payload.length; i++)
        payload[i] ^= mask[i & 3];
    }
    frames.push({ opcode, payload });
    buffer = buffer.subarray(end);
  }
  return { frames, rest: buffer };
}

/* With @upstream (a real host's port), the page from this tree talks to
 * that host: the upgrade goes on as it came, but from the host's own
 * origin, which is the only one it lets in.
 */
function proxy (req, socket, head, upstream) {
  const origin = `127.0.0.1:${upstream}`;
  const target = net.connect(upstream, '127.0.0.1', () => {
    const headers = Object.entries(req.headers)
      .map(([name, value]) => {
        if (name === 'host')
          value = origin;
        else if (name === 'origin')
          value = `http://${origin}`;
        return `${name}: ${value}\r\n`;
      }).join('');
    target.write(`GET ${req.url} HTTP/1.1\r\n${headers}\r\n`);
    target.write(head);
    socket.pipe(target);
    target.pipe(socket);
  });
  const end = () => {
    socket.destroy();
    target.destroy();
  };
  socket.on('error', end);
  target.on('error', end);
  socket.on('close', end);
  target.on('close', end);
}

const AUTHORS = [{ id: 1, nick: 'luis' }, { id: 2, nick: 'marta' }, { id: 3, nick: 'pedro' }];

/* The room's past: messages in runs by one author (so that rows group),
 * a join now and then, twenty seconds apart, ending now.
 */
function makeEvent (seq, total, now, text) {
  const time = now - (total - seq) * 20000;
  const author = AUTHORS[Math.floor(seq / 3) % AUTHORS.length];
  if (seq % 50 === 0)
    return { type: 'join', seq, time, participant: { id: 10 + seq, nick: `guest${seq}`, joined_at: time, host: false } };
  return { type: 'message', seq, time, from: author, kind: 'chat', text: text(seq) };
}

/* Resolves to the host: {port, url, clients, requests, add(event), say(nick, text), close()}.
 * With @upstream, only the page is served here and the room is that host's.
 */
function startFakeHost ({ events = 0, historyLimit = 500, name = 'Sala con historia', text = (seq) => `mensaje ${seq}`,
                          welcomeDelay = 0, upstream = null } = {}) {
  const now = Date.now();
  const log = [];
  for (let seq = 1; seq <= events; seq++)
    log.push(JSON.stringify(makeEvent(seq, events, now, text)));

  const host = {
    clients: new Set(),
    requests: [],        /* every history frame received, as parsed */
    holdHistory: false,  /* answers wait in `held` until release() */
    refuseHistory: null, /* an error code to answer every history frame with */
    welcomes: [],        /* with welcomeDelay 'manual': sent by sendWelcomes() */
    held: [],
    nextId: 100,
    roles: {},           /* nick → issue 18's role in its welcome */
    roomId: crypto.randomBytes(8).toString('hex'),
  };

  const broadcast = (frame) => {
    const text = JSON.stringify(frame);
    log.push(text);
    for (const client of host.clients)
      client.write(textFrame(text));
  };
  host.seq = () => log.length;
  /* The `message` event @seq, parsed, or null. */
  host.message = (seq) => {
    if (!Number.isInteger(seq) || seq < 1 || seq > log.length)
      return null;
    const event = JSON.parse(log[seq - 1]);
    return event.type === 'message' ? event : null;
  };
  host.add = (event) => broadcast({ ...event, seq: log.length + 1, time: event.time ?? Date.now() });
  host.say = (from, text) => host.add({ type: 'message', from, kind: 'chat', text });
  host.sendWelcomes = () => {
    for (const send of host.welcomes.splice(0))
      send();
  };
  host.release = () => {
    host.holdHistory = false;
    for (const send of host.held.splice(0))
      send();
  };

  const onFrame = (socket, text) => {
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    const reply = (value) => socket.write(textFrame(typeof value === 'string' ? value : JSON.stringify(value)));
    const error = (code) => reply({ type: 'error', code, message: code });

    switch (frame.type) {
      case 'hello': {
        const you = { id: host.nextId++, nick: String(frame.nick || 'Guest'), joined_at: Date.now(), host: false };
        if (host.roles[you.nick])
          you.role = host.roles[you.nick];
        socket.you = you;
        const history = log.slice(-historyLimit);
        const welcome = () => reply('{"type":"welcome","version":1,"you":' + JSON.stringify(you) +
              ',"room":' + JSON.stringify({ id: host.roomId, name, topic: '' }) +
              ',"participants":' + JSON.stringify([...AUTHORS, you]) +
              ',"seq":' + log.length + ',"resume_token":"' + 'ab'.repeat(32) + '","resumed":false,"gap":false' +
              ',"limits":' + JSON.stringify({ text: 4000, nick: 32, topic: 200, history: historyLimit, rate_burst: 0, rate_per_second: 0 }) +
              ',"history":[' + history.join(',') + ']}');
        host.clients.add(socket);
        if (welcomeDelay === 'manual')
          host.welcomes.push(welcome);
        else if (welcomeDelay)
          setTimeout(welcome, welcomeDelay);
        else
          welcome();
        break;
      }
      case 'history': {
        host.requests.push(frame);
        if (host.refuseHistory) {
          error(host.refuseHistory);
          break;
        }
        const { before } = frame;
        const limit = frame.limit === undefined ? 100 : frame.limit;
        if (!Number.isInteger(before) || !Number.isInteger(limit) || limit < 1 || limit > 200) {
          error('invalid-frame');
          break;
        }
        if (before < 1 || before > log.length + 1) {
          error('history-out-of-range');
          break;
        }
        const start = Math.max(0, before - 1 - limit);
        const answer = '{"type":"history","before":' + before + ',"events":[' +
          log.slice(start, before - 1).join(',') + '],"more":' + (start > 0) + '}';
        if (host.holdHistory)
          host.held.push(() => reply(answer));
        else
          reply(answer);
        break;
      }
      case 'say': {
        const message = { type: 'message', seq: log.length + 1, time: Date.now(), from: { id: socket.you.id, nick: socket.you.nick },
                          kind: frame.kind === 'action' ? 'action' : 'chat', text: String(frame.text ?? ''), cid: frame.cid };
        if (frame.reply_to !== undefined) {
          const target = host.message(frame.reply_to);
          if (!target) {
            reply({ type: 'error', code: 'message-not-found', message: 'no such message', cid: frame.cid });
            break;
          }
          message.reply_to = { seq: target.seq, from: target.from, text: target.text.split('\n')[0].slice(0, 120) };
        }
        broadcast(message);
        break;
      }
      /* Issue 19, enough of it for the page: the real host checks more. */
      case 'react':
      case 'edit':
      case 'delete': {
        const target = host.message(frame.target);
        const from = { id: socket.you.id, nick: socket.you.nick };
        if (!target) {
          error('message-not-found');
        } else if (frame.type === 'react') {
          const emoji = String(frame.emoji ?? '');
          if (emoji === '' || Buffer.byteLength(emoji) > 32)
            error('emoji-invalid');
          else
            host.add({ type: 'reaction', target: target.seq, from, emoji, add: frame.add !== false });
        } else if (frame.type === 'edit') {
          if (target.from.id !== from.id)
            error('not-author');
          else
            host.add({ type: 'edit', target: target.seq, from, text: String(frame.text ?? '') });
        } else {
          host.add({ type: 'delete', target: target.seq, from });
        }
        break;
      }
      case 'typing':
        for (const client of host.clients) {
          if (client !== socket)
            client.write(textFrame(JSON.stringify({ type: 'typing', from: { id: socket.you.id, nick: socket.you.nick }, active: frame.active === true })));
        }
        break;
      default:
        error('unknown-type');
        break;
    }
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const file = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
    if (!/^[\w-]+\.\w+$/.test(file) || !fs.existsSync(path.join(WEB, file))) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream',
      'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
        `connect-src 'self' ws://${req.headers.host}; manifest-src 'self'; frame-ancestors 'none'`,
      'Cache-Control': 'no-store',
    });
    res.end(fs.readFileSync(path.join(WEB, file)));
  });

  server.on('upgrade', (req, socket, head) => {
    if (upstream) {
      proxy(req, socket, head, upstream);
      return;
    }
    const key = req.headers['sec-websocket-key'];
    if (req.url !== '/ws' || !key) {
      socket.destroy();
      return;
    }
    const accept = crypto.createHash('sha1').update(key + GUID).digest('base64');
    socket.setNoDelay(true);
    socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
                 `Sec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Protocol: tertulia.1\r\n\r\n`);
    let buffer = Buffer.alloc(0);
    socket.on('data', (data) => {
      const { frames, rest } = readFrames(Buffer.concat([buffer, data]));
      buffer = rest;
      for (const { opcode, payload } of frames) {
        if (opcode === 0x1)
          onFrame(socket, payload.toString('utf8'));
        else if (opcode === 0x8)
          socket.end(Buffer.from([0x88, 0]));
        else if (opcode === 0x9)
          socket.write(Buffer.concat([Buffer.from([0x8a, payload.length]), payload]));
      }
    });
    const gone = () => host.clients.delete(socket);
    socket.on('close', gone);
    socket.on('error', gone);
  });

  host.close = () => new Promise((resolve) => {
    for (const client of host.clients)
      client.destroy();
    server.close(() => resolve());
  });

  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    host.port = server.address().port;
    host.url = `http://127.0.0.1:${host.port}/`;
    resolve(host);
  }));
}

module.exports = { startFakeHost };

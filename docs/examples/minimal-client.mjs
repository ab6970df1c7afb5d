// minimal-client.mjs — a Tertulia guest written only from docs/PROTOCOL.md
//
// Copyright 2026 The Tertulia developers
//
// SPDX-License-Identifier: GPL-3.0-or-later
//
// node minimal-client.mjs ws://HOST:7878/ws NICK
// (Node 22 has WebSocket built in; Node 20 needs --experimental-websocket.)

const [, , url, nick] = process.argv;
const ws = new WebSocket(url, 'tertulia.1');
let n = 0;
ws.onopen = () => ws.send(JSON.stringify({ type: 'hello', version: 1, nick, client: 'doc-client/1' }));
ws.onmessage = (e) => {
  const f = JSON.parse(e.data);
  switch (f.type) {
    case 'welcome':
      console.log(`welcome: I am ${f.you.nick} (#${f.you.id}) in “${f.room.name}”, ${f.participants.length} here, ${f.history.length} past events`);
      ws.send(JSON.stringify({ type: 'say', cid: 'd1', text: 'hola from a doc-only client' }));
      ws.send(JSON.stringify({ type: 'say', cid: 'd2', kind: 'action', text: 'waves' }));
      ws.send(JSON.stringify({ type: 'say', cid: 'd3', text: '' }));
      break;
    case 'message': console.log(`#${f.seq} <${f.from.nick}> ${f.kind === 'action' ? '* ' : ''}${f.text}${f.cid ? ' [cid ' + f.cid + ']' : ''}`); if (++n === 3) ws.close(1000); break;
    case 'join': console.log(`#${f.seq} ${f.participant.nick} joined`); break;
    case 'leave': console.log(`#${f.seq} ${f.nick ?? f.id} left`); break;
    case 'error': console.log(`error ${f.code}: ${f.message}${f.cid ? ' [cid ' + f.cid + ']' : ''}`); break;
    default: console.log(f.type);
  }
};
ws.onclose = (e) => console.log(`closed ${e.code}`);

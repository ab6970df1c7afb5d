#!/usr/bin/env python3
# tertulia-attack.py — the host-side attacks of issue 14, measured
#
# Copyright 2026 The Tertulia developers
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Starts a tertulia-server on loopback, runs one attack against it for a
while, and prints the host's CPU time and memory and the latency a member
of the room sees meanwhile. Loopback only; every loop is bounded.

  tertulia-attack.py SERVER marks     # 8 guests that never join send 64 KB
                                      # hellos of combining marks
  tertulia-attack.py SERVER welcome   # 40 guests say hello with a full
                                      # history of long messages, never read
  tertulia-attack.py SERVER password  # 250 addresses (127.0.1.x) guess the
                                      # password once a second each

Not a test (it takes about 20 s and its figures depend on the machine):
the numbers go in the closing notes of issue 14.
"""

import base64
import json
import os
import select
import socket
import struct
import subprocess
import sys
import tempfile
import time

SECONDS = 15
# The host's memory before the attack, when the attack prepares something
BASELINE = {}
SERVER_PID = [0]


def frame(payload, opcode=0x1):
    mask = os.urandom(4)
    n = len(payload)
    if n < 126:
        header = struct.pack('!BB', 0x80 | opcode, 0x80 | n)
    elif n < 65536:
        header = struct.pack('!BBH', 0x80 | opcode, 0x80 | 126, n)
    else:
        header = struct.pack('!BBQ', 0x80 | opcode, 0x80 | 127, n)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload)) if n < 4096 else \
        (int.from_bytes(payload, 'big') ^ int.from_bytes((mask * (n // 4 + 1))[:n], 'big')).to_bytes(n, 'big')
    return header + mask + masked


class Ws:
    def __init__(self, port, source='127.0.0.1', rcvbuf=0):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.bind((source, 0))
        self.sock.settimeout(10)
        self.sock.connect(('127.0.0.1', port))
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f'GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n'
                           f'Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n'
                           f'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: tertulia.1\r\n\r\n').encode())
        answer = b''
        while b'\r\n\r\n' not in answer:
            chunk = self.sock.recv(1)
            if not chunk:
                raise ConnectionError('closed during the upgrade')
            answer += chunk
        if b' 101 ' not in answer.split(b'\r\n')[0]:
            raise ConnectionError(answer.split(b'\r\n')[0].decode())
        self.buf = b''
        self.sock.setblocking(False)

    def send(self, obj):
        data = frame(json.dumps(obj).encode() if not isinstance(obj, bytes) else obj)
        self.sock.setblocking(True)
        self.sock.sendall(data)
        self.sock.setblocking(False)

    def ping(self):
        self.sock.setblocking(True)
        self.sock.sendall(frame(b'', 0x9))
        self.sock.setblocking(False)

    def messages(self):
        """Texts that arrived whole; answers nothing"""
        try:
            while True:
                chunk = self.sock.recv(1 << 20)
                if not chunk:
                    break
                self.buf += chunk
        except BlockingIOError:
            pass
        out = []
        while len(self.buf) >= 2:
            b0, b1 = self.buf[0], self.buf[1]
            n = b1 & 0x7f
            off = 2
            if n == 126:
                if len(self.buf) < 4:
                    break
                n = struct.unpack('!H', self.buf[2:4])[0]
                off = 4
            elif n == 127:
                if len(self.buf) < 10:
                    break
                n = struct.unpack('!Q', self.buf[2:10])[0]
                off = 10
            if len(self.buf) < off + n:
                break
            payload = self.buf[off:off + n]
            self.buf = self.buf[off + n:]
            if b0 & 0x0f in (0x1, 0x0):
                out.append((b0 & 0x80 != 0, payload))
        return out

    def close(self):
        self.sock.close()


def proc_cpu(pid):
    with open(f'/proc/{pid}/stat') as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


def proc_mem(pid):
    mem = {}
    with open(f'/proc/{pid}/status') as f:
        for line in f:
            if line.startswith(('VmRSS', 'VmHWM')):
                key, value = line.split(':')
                mem[key] = int(value.split()[0]) // 1024
    return mem


class Member:
    """A member that says something every 100 ms and times the echo"""

    def __init__(self, port):
        self.ws = Ws(port)
        self.ws.send({'type': 'hello', 'version': 1, 'nick': 'member', 'password': 'right-one'})
        self.pending = {}
        self.latencies = []
        self.n = 0
        self.partial = b''
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if any(b'"welcome"' in p[:40] for fin, p in self.poll_raw()):
                return
            time.sleep(0.01)
        raise RuntimeError('the member got no welcome')

    def poll_raw(self):
        whole = []
        for fin, payload in self.ws.messages():
            self.partial += payload
            if fin:
                whole.append((True, self.partial))
                self.partial = b''
        return whole

    def poll(self):
        now = time.monotonic()
        for fin, payload in self.poll_raw():
            if payload.startswith(b'{"type":"message"'):
                cid = json.loads(payload).get('cid')
                if cid in self.pending:
                    self.latencies.append(now - self.pending.pop(cid))

    def tick(self):
        now = time.monotonic()
        self.poll()
        if self.n % 10 == 0:
            self.ws.ping()
        self.n += 1
        cid = f'm{self.n}'
        self.pending[cid] = now
        self.ws.send({'type': 'say', 'cid': cid, 'text': 'tick'})

    def report(self):
        lat = sorted(self.latencies) or [float('nan')]
        lost = len(self.pending)
        return (f'member: {len(self.latencies)} echoes, median {lat[len(lat) // 2] * 1000:.1f} ms, '
                f'max {lat[-1] * 1000:.1f} ms, {lost} without echo')


def start_server(server, extra):
    args = [server, '--bind=127.0.0.1', '--port=0', '--no-announce', *extra]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    port = None
    for _ in range(20):
        line = proc.stdout.readline()
        for word in line.replace('/', ' ').replace(':', ' ').split():
            if word.isdigit() and 1024 < int(word) < 65536:
                port = int(word)
        if port:
            break
    if not port:
        proc.kill()
        raise RuntimeError('no port in the host\'s output')
    return proc, port


def attack_marks(port, member):
    nick = ''.join('\u0301' if i % 2 else '\u0591' for i in range(16000))
    hello = json.dumps({'type': 'hello', 'version': 1, 'nick': 'a' + nick}, ensure_ascii=False).encode()[:65000]
    hello = hello[:hello.rfind(b'\xcc')] + b'"}' if not hello.endswith(b'}') else hello
    guests = [Ws(port) for _ in range(8)]
    return guests, lambda t: [g.send(hello) for g in guests if (g.messages() or True)]


def attack_welcome(port, member):
    # The history full of long messages, from one writer
    writer = Ws(port, source='127.0.3.1')
    writer.send({'type': 'hello', 'version': 1, 'nick': 'writer'})
    text = 'ñ' * 3999
    for i in range(500):
        writer.send({'type': 'say', 'cid': f'w{i}', 'text': text})
        writer.messages()
    last = b''
    for _ in range(100):
        for fin, payload in writer.messages():
            last = payload
        if b'"cid":"w499"' in last:
            break
        time.sleep(0.05)
    else:
        raise RuntimeError('the history did not fill')
    time.sleep(0.5)
    BASELINE.update(proc_mem(SERVER_PID[0]))
    guests = []
    for i in range(40):
        g = Ws(port, source=f'127.0.2.{i + 1}', rcvbuf=4096)
        g.send({'type': 'hello', 'version': 1, 'nick': f'sleeper{i}', 'password': 'right-one'})
        guests.append(g)
    # Measure the steady state: the welcomes are on their way by now
    time.sleep(3)

    def tick(t):
        if int(t * 10) % 30 == 0:
            for g in guests:
                try:
                    g.ping()
                except OSError:
                    pass
        writer.messages()
    return guests + [writer], tick


def attack_password(port, member):
    guests = []
    for i in range(250):
        try:
            guests.append(Ws(port, source=f'127.0.1.{i + 1}'))
        except OSError as e:
            print('connect:', e)
    refusals = {'password-wrong': 0, 'rate-limited': 0, 'other': 0}

    def tick(t):
        # each address once a second, spread over the second
        slot = int(t * 10) % 10
        for i, g in enumerate(guests):
            for fin, payload in g.messages():
                code = json.loads(payload).get('code', 'other') if payload.startswith(b'{"type":"error"') else 'other'
                refusals[code if code in refusals else 'other'] += 1
            if i % 10 == slot:
                try:
                    g.send({'type': 'hello', 'version': 1, 'password': f'guess{t:.1f}'})
                except OSError:
                    pass
    tick.refusals = refusals
    return guests, tick


def main():
    server, mode = sys.argv[1], sys.argv[2]
    with tempfile.NamedTemporaryFile('w', suffix='.pw') as pw:
        pw.write('right-one\n')
        pw.flush()
        os.chmod(pw.name, 0o600)
        extra = ['--max-connections-per-address=64']
        if mode == 'password':
            extra.append(f'--password-file={pw.name}')
        if mode == 'welcome':
            extra.append('--rate-limit=0/0')
        proc, port = start_server(server, extra)
        SERVER_PID[0] = proc.pid
        try:
            member = Member(port)
            guests, tick = {'marks': attack_marks, 'welcome': attack_welcome,
                            'password': attack_password}[mode](port, member)
            cpu0, t0 = proc_cpu(proc.pid), time.monotonic()
            mem0 = BASELINE or proc_mem(proc.pid)
            next_tick = t0
            while time.monotonic() - t0 < SECONDS:
                now = time.monotonic()
                if now >= next_tick:
                    next_tick += 0.1
                    try:
                        tick(now - t0)
                    except OSError:
                        pass
                    member.tick()
                member.poll()
                time.sleep(0.002)
            cpu = proc_cpu(proc.pid) - cpu0
            mem = proc_mem(proc.pid)
            print(f'{mode}: host CPU {cpu:.2f} s in {SECONDS} s; RSS {mem0["VmRSS"]} -> {mem["VmRSS"]} MB '
                  f'(peak {mem["VmHWM"]} MB)')
            print(member.report())
            if hasattr(tick, 'refusals'):
                print('answers to guesses:', tick.refusals)
            for g in guests:
                g.close()
        finally:
            proc.terminate()
            proc.wait(10)


if __name__ == '__main__':
    main()

#!/usr/bin/python3
# test-discovery-lan.py — rooms found on a LAN that the test builds for itself
#
# Copyright 2026 The Tertulia developers
#
# SPDX-License-Identifier: GPL-3.0-or-later
"""Two computers on one LAN, each with its own avahi-daemon, made of two
network namespaces joined by a veth pair. Each namespace gets a private
system bus (dbus-daemon with its own config) and an avahi-daemon that uses
only the veth (allow-interfaces=) and finds its bus through
DBUS_SYSTEM_BUS_ADDRESS, with a private /run (ip netns exec already gives a
private mount namespace) so that two daemons do not share a pid file.
Nothing runs in the machine's own network namespace and nothing is sent on
its interfaces.

Computer A hosts rooms with tertulia-server; computer B looks for them with
tertulia-cli --discover and with discovery-watch (TertuliaRoomBrowser
printing what it sees).

Needs root, ip (iproute2), dbus-daemon and avahi-daemon; skips with the
reason otherwise. Prints TAP.

Usage: test-discovery-lan.py DISCOVERY_WATCH   (TERTULIA_SERVER and
TERTULIA_CLI in the environment name the programs)
"""

import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

WAIT = 10.0          # seconds before a wait fails
ADDRESS_A = "10.231.0.1"
ADDRESS_B = "10.231.0.2"
ADDRESS6_A = "fd00:231::1"
ADDRESS6_B = "fd00:231::2"

results = []
processes = []
namespaces = []
tmpdir = None


def tap(ok, description, diagnostic=None):
    results.append(ok)
    print("%s %d - %s" % ("ok" if ok else "not ok", len(results), description), flush=True)
    if not ok and diagnostic:
        for line in str(diagnostic).splitlines():
            print("#   " + line, flush=True)
    return ok


def comment(text):
    print("# " + text, flush=True)


def skip_all(reason):
    print("1..0 # SKIP " + reason, flush=True)
    sys.exit(0)


def bail_out(reason):
    print("Bail out! " + reason, flush=True)
    sys.exit(1)


class Process:
    """A program whose output lines are collected with the time they came."""

    def __init__(self, name, argv, env=None, stdin=False):
        self.name = name
        self.lines = []
        self.queue = queue.Queue()
        self.start_time = time.monotonic()
        self.popen = subprocess.Popen(argv, env=env,
                                      stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                      text=True, encoding="utf-8", errors="replace")
        processes.append(self)
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        for line in self.popen.stdout:
            line = line.rstrip("\n")
            self.queue.put((time.monotonic(), line))
        self.queue.put((time.monotonic(), None))

    def expect(self, pattern, timeout=WAIT):
        """The first new line matching the regex @pattern, as (time, match),
        or (None, None) after @timeout seconds or at the end of output."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None, None
            try:
                when, line = self.queue.get(timeout=remaining)
            except queue.Empty:
                return None, None
            if line is None:
                self.queue.put((when, None))
                return None, None
            self.lines.append(line)
            match = regex.search(line)
            if match:
                return when, match

    def drain(self, seconds):
        """Every line that comes in the next @seconds."""
        got = []
        deadline = time.monotonic() + seconds
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return got
            try:
                _, line = self.queue.get(timeout=remaining)
            except queue.Empty:
                return got
            if line is None:
                self.queue.put((time.monotonic(), None))
                return got
            self.lines.append(line)
            got.append(line)

    def signal(self, signum):
        if self.popen.poll() is None:
            self.popen.send_signal(signum)

    def wait(self, timeout=WAIT):
        try:
            return self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()
            return None

    def stop(self):
        if self.popen.poll() is None:
            self.popen.terminate()
            if self.wait(3) is None:
                comment("%s did not stop on SIGTERM; killed" % self.name)

    def output(self):
        self.lines.extend(self.drain(0.2))
        return "\n".join(self.lines)


def run(argv, check=True, **kwargs):
    result = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, **kwargs)
    if check and result.returncode != 0:
        raise RuntimeError("%s: %s" % (" ".join(argv), result.stdout.strip()))
    return result


def cleanup():
    for process in reversed(processes):
        try:
            process.stop()
        except Exception:
            pass
    for namespace in namespaces:
        run(["ip", "netns", "delete", namespace], check=False)
    if tmpdir is not None:
        shutil.rmtree(tmpdir, ignore_errors=True)


def terminated(signum, frame):
    # meson test's timeout: leave nothing behind.
    cleanup()
    sys.exit(1)


class Computer:
    """One network namespace with its own system bus and avahi-daemon."""

    def __init__(self, letter, address, address6):
        self.letter = letter
        self.namespace = "tertulia-test-%s-%d" % (letter, os.getpid())
        self.interface = "veth-" + letter
        self.address = address
        self.address6 = address6
        self.host_name = "tertulia-test-" + letter
        self.bus_socket = os.path.join(tmpdir, "bus-" + letter)
        self.env = dict(os.environ)
        self.env["DBUS_SYSTEM_BUS_ADDRESS"] = "unix:path=" + self.bus_socket
        self.env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        self.avahi = None

    def exec_argv(self, argv):
        return ["ip", "netns", "exec", self.namespace] + argv

    def create(self):
        run(["ip", "netns", "add", self.namespace])
        namespaces.append(self.namespace)
        # No duplicate address detection: addresses are usable at once.
        for key in ("all", "default"):
            run(self.exec_argv(["sh", "-c", "echo 0 > /proc/sys/net/ipv6/conf/%s/accept_dad" % key]),
                check=False)

    def configure(self):
        netns = ["ip", "-n", self.namespace]
        run(netns + ["link", "set", "lo", "up"])
        run(netns + ["address", "add", self.address + "/24", "dev", self.interface])
        run(netns + ["address", "add", self.address6 + "/64", "dev", self.interface, "nodad"])
        run(netns + ["link", "set", self.interface, "up"])

    def start_bus(self):
        config = os.path.join(tmpdir, "bus-%s.conf" % self.letter)
        with open(config, "w") as f:
            f.write("""<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=%s</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_type="method_call"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
""" % self.bus_socket)
        bus = Process("dbus-daemon " + self.letter,
                      self.exec_argv(["dbus-daemon", "--config-file=" + config,
                                      "--nofork", "--print-address=1"]))
        when, _ = bus.expect("^unix:")
        if when is None:
            raise RuntimeError("dbus-daemon did not start: " + bus.output())

    def start_avahi(self):
        config = os.path.join(tmpdir, "avahi-%s.conf" % self.letter)
        with open(config, "w") as f:
            f.write("""[server]
host-name=%s
use-ipv4=yes
use-ipv6=yes
allow-interfaces=%s
disallow-other-stacks=no
enable-dbus=yes
ratelimit-interval-usec=1000000
ratelimit-burst=1000

[wide-area]
enable-wide-area=no

[publish]
publish-hinfo=no
publish-workstation=no
""" % (self.host_name, self.interface))
        # A private /run: two daemons must not share /run/avahi-daemon.
        script = ('mount -t tmpfs -o mode=0755 tertulia-test /run && '
                  'exec avahi-daemon --no-drop-root --no-chroot -f "$0"')
        self.avahi = Process("avahi-daemon " + self.letter,
                             self.exec_argv(["sh", "-c", script, config]), env=self.env)
        when, _ = self.avahi.expect("Server startup complete")
        if when is None:
            raise RuntimeError("avahi-daemon did not start: " + self.avahi.output())

    def stop_avahi(self):
        self.avahi.stop()
        self.avahi = None

    def spawn(self, name, argv, stdin=False):
        return Process(name, self.exec_argv(argv), env=self.env, stdin=stdin)

    def run(self, argv, timeout=WAIT * 2):
        return subprocess.run(self.exec_argv(argv), env=self.env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, timeout=timeout)


def parse_room(line):
    fields = line.split("\t")
    keys = ("event", "service", "room", "host", "address", "port", "n", "version", "pw", "local")
    return dict(zip(keys, fields)) if len(fields) == len(keys) else {"event": fields[0]}


def open_room(computer, name, args, label):
    server = computer.spawn(label, [os.environ["TERTULIA_SERVER"], "--port", "0",
                                    "--room-name", name] + args)
    _, match = server.expect(r"port ([0-9]+)\.$")
    if match is None:
        bail_out("%s did not open: %s" % (label, server.output()))
    return server, int(match.group(1))


def close_room(server, description):
    server.signal(signal.SIGTERM)
    status = server.wait()
    lines = server.output().splitlines()
    tap(status == 0 and lines and lines[-1] == "Room closed.",
        description, "status %s, output:\n%s" % (status, "\n".join(lines)))


def main():
    global tmpdir

    if os.geteuid() != 0:
        skip_all("needs root to make network namespaces")
    for program in ("ip", "dbus-daemon", "avahi-daemon"):
        if shutil.which(program) is None and not os.path.exists("/usr/sbin/" + program):
            skip_all("%s is not installed" % program)
    if len(sys.argv) != 2 or not os.access(sys.argv[1], os.X_OK):
        bail_out("usage: test-discovery-lan.py DISCOVERY_WATCH")
    for variable in ("TERTULIA_SERVER", "TERTULIA_CLI"):
        if not os.access(os.environ.get(variable, ""), os.X_OK):
            bail_out("%s does not name the program" % variable)
    watch_program = sys.argv[1]
    cli_program = os.environ["TERTULIA_CLI"]
    os.environ["PATH"] = os.environ.get("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin"

    signal.signal(signal.SIGTERM, terminated)
    tmpdir = tempfile.mkdtemp(prefix="tertulia-test-lan-")
    a = Computer("a", ADDRESS_A, ADDRESS6_A)
    b = Computer("b", ADDRESS_B, ADDRESS6_B)

    try:
        a.create()
        b.create()
    except RuntimeError as error:
        skip_all("cannot make network namespaces here (%s)" % error)

    try:
        # The cable: made inside A with its other end in B, so no interface
        # ever exists in the machine's own namespace.
        run(["ip", "-n", a.namespace, "link", "add", a.interface, "type", "veth",
             "peer", "name", b.interface, "netns", b.namespace])
        a.configure()
        b.configure()
        for computer in (a, b):
            computer.start_bus()
            computer.start_avahi()
    except RuntimeError as error:
        bail_out("could not set up the test LAN: %s" % error)

    # B looks for rooms the whole time.
    watch = b.spawn("discovery-watch", [watch_program], stdin=True)
    when, _ = watch.expect(r"^state\tbrowsing$")
    tap(when is not None, "a browser on B browses through its avahi-daemon", watch.output())

    # --- a room on A is found on B ----------------------------------------
    server, port = open_room(a, "Sala LAN", ["--bind", ADDRESS_A], "tertulia-server on A")
    opened = time.monotonic()
    announced, _ = server.expect(r"is announced on the local network")
    tap(announced is not None, "tertulia-server says the room is announced", server.output())

    found, match = watch.expect(r"^add\tSala LAN\t")
    room = parse_room(match.string if match else "")
    tap(found is not None, "B finds the room with no address typed", watch.output())
    expected = {"service": "Sala LAN", "room": "Sala LAN", "host": "tertulia-test-a.local",
                "address": ADDRESS_A, "port": str(port), "n": "0", "version": "1", "pw": "0",
                "local": "0"}
    tap(room == dict(expected, event="add"),
        "with its name, host, address, port and TXT (v=1, pw=0, n=0)",
        "got %s\nexpected %s" % (room, expected))
    if found is not None and announced is not None:
        comment("room open → found on B: %.2f s; announced (Avahi's probing done) → found: %.2f s"
                % (found - opened, found - announced))

    result = b.run([cli_program, "--discover"])
    line = "Sala LAN — tertulia-test-a.local (%s:%d), 0 people" % (ADDRESS_A, port)
    tap(result.returncode == 0 and line in result.stdout.splitlines(),
        "tertulia-cli --discover on B lists it",
        "status %d\nstdout:\n%s\nstderr:\n%s" % (result.returncode, result.stdout, result.stderr))

    # --- joining it from what was found; the count follows --------------------
    guest = b.spawn("tertulia-cli on B", [cli_program, "--nick", "pepe",
                                          "%s:%s" % (room.get("address"), room.get("port"))],
                    stdin=True)
    joined, _ = guest.expect(r"Connected to “Sala LAN”")
    tap(joined is not None, "a guest on B joins at the address found", guest.output())
    counted, _ = watch.expect(r"^change\tSala LAN\t.*\t1\t1\t0\t0$")
    tap(counted is not None, "B sees one person in the room (TXT n=1)", watch.output())
    if counted is not None and joined is not None:
        comment("guest joined → new count seen on B: %.2f s" % (counted - joined))
    guest.popen.stdin.close()
    guest.wait()
    emptied, _ = watch.expect(r"^change\tSala LAN\t.*\t0\t1\t0\t0$")
    tap(emptied is not None, "and none after the guest leaves (TXT n=0)", watch.output())

    # --- the same name from another computer ---------------------------------
    clash, clash_port = open_room(b, "Sala LAN", ["--bind", ADDRESS_B], "tertulia-server on B")
    when, _ = clash.expect(r"announced on the local network as “Sala LAN #2”")
    tap(when is not None, "a second “Sala LAN” is announced as “Sala LAN #2”", clash.output())
    when, match = watch.expect(r"^add\tSala LAN #2\t")
    clash_room = parse_room(match.string if match else "")
    tap(clash_room.get("room") == "Sala LAN" and clash_room.get("address") == ADDRESS_B and
        clash_room.get("port") == str(clash_port) and clash_room.get("local") == "1",
        "B lists both, the second named “Sala LAN” too, at B's address, as local", clash_room)
    close_room(clash, "the second room closes")
    when, _ = watch.expect(r"^remove\tSala LAN #2$")
    tap(when is not None, "and vanishes from the list", watch.output())

    # --- a room on every address: one item, at its IPv4 address --------------
    both, both_port = open_room(a, "Sala doble", [], "tertulia-server on A (all addresses)")
    when, match = watch.expect(r"^add\tSala doble\t")
    double = parse_room(match.string if match else "")
    tap(double.get("address") == ADDRESS_A and double.get("port") == str(both_port),
        "a room listening on all addresses is found at its IPv4 address", double)
    # Give the IPv6 copy time to arrive and be resolved.
    later = watch.drain(2.5)
    listing = b.run(["avahi-browse", "--parsable", "--terminate", "_tertulia._tcp"]) \
        if shutil.which("avahi-browse") else None
    if listing is not None:
        protocols = {fields[2] for fields in (l.split(";") for l in listing.stdout.splitlines())
                     if len(fields) > 3 and fields[0] == "+" and fields[3] == "Sala\\032doble"}
        tap(protocols == {"IPv4", "IPv6"}, "Avahi on B sees it over IPv4 and IPv6",
            listing.stdout)
    doubles = [l for l in later if "\tSala doble\t" in l or l == "remove\tSala doble"]
    tap(not doubles, "it stays one item at its IPv4 address", "\n".join(doubles))
    close_room(both, "that room closes")
    when, _ = watch.expect(r"^remove\tSala doble$")
    tap(when is not None, "and vanishes from the list", watch.output())

    # --- avahi-daemon on A restarts -------------------------------------------
    a.stop_avahi()
    when, _ = server.expect(r"Avahi is not running")
    tap(when is not None, "tertulia-server says calmly that Avahi stopped", server.output())
    when, _ = watch.expect(r"^remove\tSala LAN$")
    tap(when is not None, "B no longer lists the room", watch.output())
    a.start_avahi()
    when, _ = server.expect(r"is announced on the local network")
    tap(when is not None, "the room is announced again when Avahi is back", server.output())
    when, match = watch.expect(r"^add\tSala LAN\t")
    tap(when is not None and parse_room(match.string).get("port") == str(port),
        "and B lists it again", watch.output())

    # --- the host stops ---------------------------------------------------------
    stopped = time.monotonic()
    close_room(server, "tertulia-server on A closes the room")
    gone, _ = watch.expect(r"^remove\tSala LAN$")
    tap(gone is not None, "the room vanishes from B's list", watch.output())
    if gone is not None:
        comment("room closed → gone on B: %.2f s" % (gone - stopped))

    result = b.run([cli_program, "--discover", "--timeout", "1"])
    tap(result.returncode == 0 and result.stdout == "" and
        "No rooms found on the local network." in result.stderr,
        "tertulia-cli --discover on B finds no room now",
        "status %d\nstdout:\n%s\nstderr:\n%s" % (result.returncode, result.stdout, result.stderr))

    # --- without Avahi ------------------------------------------------------------
    b.stop_avahi()
    when, _ = watch.expect(r"^state\tunavailable$")
    tap(when is not None, "the browser on B says Avahi is not available when it stops",
        watch.output())
    result = b.run([cli_program, "--discover"])
    tap(result.returncode == 2 and result.stdout == "" and
        len(result.stderr.splitlines()) == 1 and "Avahi is not running" in result.stderr,
        "tertulia-cli --discover says so in one line and exits with 2",
        "status %d\nstdout:\n%s\nstderr:\n%s" % (result.returncode, result.stdout, result.stderr))

    watch.popen.stdin.close()
    status = watch.wait()
    tap(status == 0, "the browser ends cleanly (no warnings)", watch.output())


if __name__ == "__main__":
    status = 1
    try:
        main()
        print("1..%d" % len(results), flush=True)
        status = 0 if all(results) else 1
    except SystemExit as exit:  # skip_all() and bail_out()
        status = exit.code
    except Exception as error:  # a bug here must not leave namespaces behind
        print("Bail out! %s: %s" % (type(error).__name__, error), flush=True)
    finally:
        cleanup()
    sys.exit(status)

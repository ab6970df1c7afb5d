#!/usr/bin/python3
# test-a11y.py — the app as a screen reader and a keyboard see it
#
# Copyright 2026 The Tertulia developers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs the real `tertulia` in its own Xvfb, on the private session bus that
# dbus-run-session gives this script (meson wraps it), with GTK's AT-SPI
# bridge on. The script reads the app's accessibility tree with pyatspi and
# drives it with key events only (xdotool, X's XTest): never a pointer.
#
# Usage: dbus-run-session -- test-a11y.py TERTULIA SCHEMA_XML
# Prints TAP.

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

results = []

# The test environment makes GLib warnings fatal; libatspi warns about
# things of the bus's own (a cache the registry lacks), not of the app.
os.environ.pop("G_DEBUG", None)


def tap_skip_all(reason):
    print("1..0 # SKIP " + reason)
    sys.exit(0)


try:
    import gi
    gi.require_version("Atspi", "2.0")
    from gi.repository import Atspi, GLib
except (ImportError, ValueError) as e:
    tap_skip_all("python3-pyatspi (Atspi 2.0 typelib) not installed: %s" % e)

for tool in ("Xvfb", "glib-compile-schemas"):
    if shutil.which(tool) is None:
        tap_skip_all(tool + " not installed")

HAVE_XDOTOOL = shutil.which("xdotool") is not None

TIME_RE = r"\d{1,2}:\d\d"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class App:
    def __init__(self, binary, schema_xml):
        self.tmp = tempfile.mkdtemp(prefix="tertulia-a11y-")
        self.port = free_port()

        # A schema directory of our own whose defaults name the host "ana"
        # and give the room a port nobody else uses.
        schemas = os.path.join(self.tmp, "schemas")
        os.mkdir(schemas)
        shutil.copy(schema_xml, schemas)
        with open(os.path.join(schemas, "90_test.gschema.override"), "w") as f:
            f.write("[io.github.tertulia.Tertulia]\nnickname='ana'\nlast-port=%d\n"
                    "window-width=1000\nwindow-height=700\n" % self.port)
        subprocess.run(["glib-compile-schemas", schemas], check=True)

        # Xvfb picks a free display and says which (no race with others).
        r, w = os.pipe()
        self.xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(w), "-screen", "0", "1280x800x24",
                                      "-nolisten", "tcp"],
                                     pass_fds=(w,), stderr=subprocess.DEVNULL)
        os.close(w)
        display = b""
        while not display.endswith(b"\n"):
            chunk = os.read(r, 16)
            if not chunk:
                break
            display += chunk
        os.close(r)
        self.display = ":" + display.decode().strip()
        os.environ["DISPLAY"] = self.display

        env = dict(os.environ,
                   GSETTINGS_BACKEND="memory",
                   GSETTINGS_SCHEMA_DIR=schemas,
                   GDK_BACKEND="x11",
                   ADW_DISABLE_PORTAL="1",
                   LC_ALL="C.UTF-8",
                   LANGUAGE="",
                   XDG_CONFIG_HOME=os.path.join(self.tmp, "config"),
                   XDG_DATA_HOME=os.path.join(self.tmp, "data"),
                   XDG_CACHE_HOME=os.path.join(self.tmp, "cache"))
        for name in ("GTK_A11Y", "NO_AT_BRIDGE", "G_DEBUG"):
            env.pop(name, None)
        self.proc = subprocess.Popen([binary], env=env)

        self.focus = None
        self.listener = Atspi.EventListener.new(self._focus_cb)
        self.listener.register("object:state-changed:focused")

        self.app = None
        deadline = time.time() + 20
        while self.app is None and time.time() < deadline:
            self.app = self._find_app()
            self.pump(0.1)
        if self.app is None:
            raise RuntimeError("the app never showed up on the accessibility bus")

    def _find_app(self):
        desktop = Atspi.get_desktop(0)
        for i in range(desktop.get_child_count()):
            child = desktop.get_child_at_index(i)
            if child is not None and child.get_name() == "tertulia":
                return child
        return None

    def _focus_cb(self, event):
        if event.detail1:
            self.focus = event.source
            if os.environ.get("TERTULIA_A11Y_DEBUG"):
                sys.stderr.write("focus: %s\n" % describe(event.source))

    def pump(self, seconds):
        context = GLib.MainContext.default()
        end = time.time() + seconds
        while time.time() < end:
            while context.pending():
                context.iteration(False)
            time.sleep(0.02)

    def key(self, *keys):
        subprocess.run(["xdotool", "key", "--delay", "40"] + list(keys), check=True)
        self.pump(0.25)

    def type(self, text):
        subprocess.run(["xdotool", "type", "--delay", "15", text], check=True)
        self.pump(0.25)

    def wait_focus(self, predicate, what, seconds=10):
        end = time.time() + seconds
        while time.time() < end:
            if self.focus is not None and predicate(self.focus):
                return self.focus
            self.pump(0.05)
        raise AssertionError("waited for the focus on %s; it is on %s" % (what, describe(self.focus)))

    def wait_until(self, condition, what, seconds=10):
        end = time.time() + seconds
        while time.time() < end:
            if condition():
                return
            self.pump(0.1)
        raise AssertionError("waited for " + what)

    def tab_to(self, predicate, what, key="Tab", tries=40):
        for _ in range(tries):
            if self.focus is not None and predicate(self.focus):
                return self.focus
            self.key(key)
        raise AssertionError("Tab never reached %s; last %s" % (what, describe(self.focus)))

    def windows(self):
        out = subprocess.run(["xdotool", "search", "--onlyvisible", "--class", "tertulia"],
                             capture_output=True, text=True)
        return set(out.stdout.split())

    def focus_new_window(self, before):
        # There is no window manager to give a new window the keyboard
        # focus, so the test does what one would (no pointer involved).
        end = time.time() + 10
        while time.time() < end:
            new = self.windows() - before
            if new:
                subprocess.run(["xdotool", "windowfocus", "--sync", new.pop()], check=True)
                self.pump(0.5)
                return
            self.pump(0.1)
        raise AssertionError("no new window appeared")

    def frames(self):
        return [self.app.get_child_at_index(i) for i in range(self.app.get_child_count())]

    def close(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.xvfb.terminate()
        self.xvfb.wait()
        shutil.rmtree(self.tmp, ignore_errors=True)


def describe(acc):
    if acc is None:
        return "nothing"
    try:
        return "%s %r" % (acc.get_role_name(), acc.get_name())
    except GLib.Error:
        return "a gone object"


def describe_path(acc):
    """Where @acc sits: its ancestors, nearest first, to find it by."""
    parts = []
    try:
        parent = acc.get_parent()
        while parent is not None and len(parts) < 5:
            parts.append(describe(parent))
            parent = parent.get_parent()
    except GLib.Error:
        pass
    return " in ".join(parts)


def walk(acc, depth=0):
    if acc is None or depth > 60:
        return
    try:
        acc.get_role()
    except GLib.Error:
        return
    yield acc
    for i in range(acc.get_child_count()):
        yield from walk(acc.get_child_at_index(i), depth + 1)


def states(acc):
    return acc.get_state_set()


def showing(acc):
    return states(acc).contains(Atspi.StateType.SHOWING)


def message_list(frame):
    for acc in walk(frame):
        if acc.get_role() == Atspi.Role.LIST and acc.get_name() == "Messages":
            return acc
    return None


def message_items(frame):
    lst = message_list(frame)
    if lst is None:
        return []
    return [acc for acc in walk(lst) if acc.get_role() == Atspi.Role.LIST_ITEM]


def frame_of(acc):
    while acc is not None and acc.get_role() != Atspi.Role.FRAME:
        acc = acc.get_parent()
    return acc


def is_role(role, name=None):
    def predicate(acc):
        try:
            return acc.get_role() == role and (name is None or acc.get_name() == name)
        except GLib.Error:
            return False
    return predicate


def ok(n, description, fn):
    try:
        fn()
        results.append("ok %d - %s" % (n, description))
    except Exception as e:  # noqa: BLE001 (reported as TAP)
        results.append("not ok %d - %s" % (n, description))
        for line in str(e).splitlines() or [repr(e)]:
            results.append("# " + line)


def extents(acc):
    return acc.get_extents(Atspi.CoordType.SCREEN)


def within(inner, outer):
    return (inner.x >= outer.x and inner.y >= outer.y and
            inner.x + inner.width <= outer.x + outer.width and
            inner.y + inner.height <= outer.y + outer.height)


BUTTON_ROLES = (Atspi.Role.PUSH_BUTTON, Atspi.Role.TOGGLE_BUTTON, Atspi.Role.RADIO_BUTTON,
                Atspi.Role.CHECK_BOX, Atspi.Role.MENU_ITEM)


def check_names(app):
    problems = []
    for frame in app.frames():  # and dialogs: the app's every window
        for acc in walk(frame):
            role = acc.get_role()
            name = acc.get_name() or ""
            if role in BUTTON_ROLES:
                # GTK 4.8 names a nameless widget after its type.
                if name.strip() == "" or re.match(r"^(Gtk|Adw|Tertulia)[A-Z]", name):
                    problems.append("a %s without a name (%r), in %s" % (acc.get_role_name(), name, describe_path(acc)))
            if re.search(r"(^|\s)_\w", name):
                problems.append("a mnemonic read aloud: %s" % describe(acc))
            words = name.replace("_", "").split()
            half = len(words) // 2
            if half > 0 and len(words) % 2 == 0 and words[:half] == words[half:]:
                problems.append("a doubled name: %s" % describe(acc))
    if problems:
        raise AssertionError("\n".join(sorted(set(problems))))


def main():
    binary, schema_xml = sys.argv[1], sys.argv[2]
    app = App(binary, schema_xml)
    n_tests = 10
    try:
        if not HAVE_XDOTOOL:
            print("1..%d" % n_tests)
            for i in range(1, n_tests + 1):
                print("ok %d # SKIP xdotool not installed (the keys are typed with it)" % i)
            return

        host = app.frames()[0]

        def entry_rows_heard():
            # A screen reader learns where the focus went from AT-SPI's
            # focus events: tabbing into a text field must send one for an
            # object named after the field (GTK 4.8 sends none for
            # AdwEntryRow: see tertulia-entry-row.h).
            for title in ("Your Nickname", "Password (Optional)", "Address"):
                app.tab_to(lambda a: is_role(Atspi.Role.TEXT, title)(a) and frame_of(a) == host, title)
        ok(1, "accessibility: tabbing into Nickname, Password and Address says so", entry_rows_heard)

        def host_room():
            # Alt+H is the Host Room button's mnemonic.
            app.key("alt+h")
            app.wait_focus(is_role(Atspi.Role.TEXT, "Message"), "the host's composer")
        ok(2, "keyboard: host a room", host_room)

        guest = {}

        def join_error_visible():
            before = app.windows()
            app.key("ctrl+n")
            app.focus_new_window(before)
            # The X window can be there before its AT-SPI frame.
            app.wait_until(lambda: len(app.frames()) == 2, "the new window's frame")
            frames = app.frames()
            guest["frame"] = [f for f in frames if f != host][0]
            app.tab_to(lambda a: is_role(Atspi.Role.TEXT, "Address")(a)
                       and frame_of(a) == guest["frame"], "Address")
            app.type("no such place:99999")
            app.key("Return")

            def errors():
                return [a for a in walk(guest["frame"])
                        if a.get_role() == Atspi.Role.LABEL and "no such place" in (a.get_name() or "")]

            # It slides in, then the page scrolls to it.
            def error_in_view():
                shown = errors()
                return shown and within(extents(shown[0]), extents(guest["frame"]))
            try:
                app.wait_until(error_in_view, "the error in view", seconds=5)
            except AssertionError:
                shown = errors()
                assert shown, "no error is shown"
                e, f = extents(shown[0]), extents(guest["frame"])
                raise AssertionError("the error %r is outside the window (%d,%d %dx%d in %d,%d %dx%d)" % (
                    shown[0].get_name(), e.x, e.y, e.width, e.height, f.x, f.y, f.width, f.height))
        ok(3, "keyboard: a wrong address shows its error in view", join_error_visible)

        def join_and_send():
            app.tab_to(lambda a: is_role(Atspi.Role.TEXT, "Your Nickname")(a)
                       and frame_of(a) == guest["frame"], "Your Nickname", key="shift+Tab")
            app.key("ctrl+a")
            app.type("bob")
            app.tab_to(lambda a: is_role(Atspi.Role.TEXT, "Address")(a)
                       and frame_of(a) == guest["frame"], "Address")
            app.key("ctrl+a")
            app.type("127.0.0.1:%d" % app.port)
            app.key("Return")
            app.wait_focus(lambda a: is_role(Atspi.Role.TEXT, "Message")(a)
                           and frame_of(a) == guest["frame"], "the guest's composer")
            app.type("hello from bob")
            app.key("Return")
            app.type("second line")
            app.key("Return")
            app.wait_until(lambda: any("second line" in (i.get_name() or "")
                                       for i in message_items(guest["frame"])),
                           "the message in the log")
            names = [i.get_name() for i in message_items(guest["frame"])]
            if os.environ.get("TERTULIA_A11Y_DEBUG"):
                for a in walk(guest["frame"]):
                    sys.stderr.write("tree: %s\n" % describe(a))
            assert any("second line" in n for n in names), "sent, but not in the log: %r" % names
        ok(4, "keyboard: join in a second window and send", join_and_send)

        def arrows():
            # Shift+Tab from the composer goes to the last message.
            app.key("shift+Tab")
            item = app.wait_focus(is_role(Atspi.Role.LIST_ITEM), "a message")
            assert re.match(r"^bob, " + TIME_RE + r": second line$", item.get_name()), \
                "the last message reads %r" % item.get_name()
            app.key("Up")
            item = app.wait_focus(lambda a: is_role(Atspi.Role.LIST_ITEM)(a)
                                  and "second line" not in a.get_name(), "the message above")
            assert re.match(r"^bob, " + TIME_RE + r": hello from bob$", item.get_name()), \
                "the message above reads %r" % item.get_name()
            app.key("Down")
            app.wait_focus(lambda a: is_role(Atspi.Role.LIST_ITEM)(a)
                           and "second line" in a.get_name(), "the last message again")
        ok(5, "keyboard: arrow keys move through the messages", arrows)

        def copy_through_menu():
            app.key("Up")
            app.wait_focus(lambda a: "hello from bob" in (a.get_name() or ""), "the first message")
            app.key("Menu")
            app.wait_focus(is_role(Atspi.Role.MENU_ITEM), "the message's menu")
            app.tab_to(is_role(Atspi.Role.MENU_ITEM, "Copy Message"), "Copy Message", key="Down")
            app.key("Return")
            app.pump(0.5)
            # Paste it back into the composer and send it: it is in the log twice.
            app.key("ctrl+l")
            app.wait_focus(is_role(Atspi.Role.TEXT, "Message"), "the composer")
            app.key("ctrl+v")
            app.key("Return")
            app.wait_until(lambda: sum(1 for i in message_items(guest["frame"])
                                       if (i.get_name() or "").endswith(": hello from bob")) == 2,
                           "the pasted message in the log")
            names = [i.get_name() for i in message_items(guest["frame"])]
            assert sum(1 for n in names if n.endswith(": hello from bob")) == 2, \
                "the copied message was not pasted: %r" % names
        ok(6, "keyboard: copy a message through its menu", copy_through_menu)

        def react_through_menu():
            # Back to the newest message from the composer, its menu, down
            # to the quick reactions, Enter on 👍: the row says so.
            app.key("shift+Tab")
            item = app.wait_focus(is_role(Atspi.Role.LIST_ITEM), "a message")
            app.key("Menu")
            app.wait_focus(is_role(Atspi.Role.MENU_ITEM), "the message's menu")
            app.tab_to(is_role(Atspi.Role.MENU_ITEM, "\U0001F44D"), "the 👍 reaction", key="Down")
            # The row's last item is an icon, named for screen readers
            names = [a.get_name() for f in app.frames() for a in walk(f)
                     if a.get_role() == Atspi.Role.MENU_ITEM]
            assert "More…" in names, "no “More…” among the menu's items: %r" % names
            app.key("Return")
            app.wait_until(lambda: any("Thumbs up, 1 reaction, including you" in (i.get_description() or "")
                                       for i in message_items(guest["frame"])),
                           "the reaction in the message's description")
        ok(7, "keyboard: react to a message through its menu", react_through_menu)

        def a11y_tree():
            problems = []
            for frame in app.frames():
                for item in message_items(frame):
                    name = item.get_name() or ""
                    if not re.match(r"^\w[\w-]*, " + TIME_RE + r": .+", name) and \
                       not re.match(r"^\w[\w-]* (joined|left)", name) and \
                       "joined" not in name and "left" not in name:
                        problems.append("message row named %r" % name)
            if problems:
                raise AssertionError("\n".join(problems))
            check_names(app)
        ok(8, "accessibility: rows say who, when and what; every button has one name", a11y_tree)

        def leave():
            app.key("ctrl+l")
            app.type("/quit")
            app.key("Return")
            app.wait_focus(lambda a: frame_of(a) == guest["frame"] and
                           a.get_name() in ("Address", "Your Nickname", "Join Room"),
                           "the start page")
        ok(9, "keyboard: leave the room", leave)

        def radios():
            app.key("ctrl+comma")
            app.pump(1)
            found = []
            # The preferences window only: the start pages behind it have
            # switches (exposed as check boxes) of their own.
            for i in range(app.app.get_child_count()):
                frame = app.app.get_child_at_index(i)
                if frame.get_name() != "Preferences":
                    continue
                for acc in walk(frame):
                    if acc.get_role() in (Atspi.Role.RADIO_BUTTON, Atspi.Role.CHECK_BOX):
                        found.append((acc.get_name(), acc.get_role_name()))
            # The history and typing switches are switches, not choices.
            found = [f for f in found
                     if f[0] not in ("Keep a History of Conversations", "Show When I’m Typing")]
            try:
                assert len(found) == 3, "not the three notification choices: %r" % found
                wrong = [f for f in found if f[1] != "radio button"]
                assert not wrong, "not radio buttons: %r" % wrong
                check_names(app)
                # The nickname field says so when tabbed into, like the
                # start page's.
                app.tab_to(lambda a: is_role(Atspi.Role.TEXT, "Nickname")(a)
                           and (frame_of(a).get_name() or "") == "Preferences", "Nickname")
            finally:
                app.key("Escape")
        ok(10, "accessibility: the notification choices are radio buttons; tabbing into Nickname says so", radios)
        n_tests = 10

        print("1..%d" % n_tests)
        for line in results:
            print(line)
    finally:
        app.close()


if __name__ == "__main__":
    main()

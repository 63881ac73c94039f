"""The KWin probe's script text, report handling and KWin 5/6 differences, against a
fake session bus with a fake KWin that "runs" the scripts it is given the way KWin
does: it reports over callDBus, here as method calls queued for the probe."""

from __future__ import annotations

import json
import os
import re
import socket
import stat
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jeepney import DBusAddress, HeaderFields, MatchRule, Message, MessageType, new_signal
from jeepney.wrappers import new_error, new_method_call, new_method_return

from focusguard.platform.wayland.kwin import (
    INTERFACE,
    OBJECT_PATH,
    KWinProbe,
    KWinWindow,
    KWinWindows,
    describe,
    parse_window,
    script_text,
)
from focusguard.platform.window import ProbeUnavailable, ProcessCache, ProcessInfo

KWIN_NAME = ":1.7"
OTHER_NAME = ":1.99"


def window_json(id_: str, caption: str, **extra: Any) -> str:
    return json.dumps({"id": id_, "caption": caption, "resourceClass": f"org.example.{id_}",
                       "resourceName": "", "desktopFileName": f"org.example.{id_}", "pid": 0,
                       "fullScreen": False, **extra})


def config_of(script: str) -> dict[str, Any]:
    match = re.search(r"^const CONFIG = (.*);$", script, re.MULTILINE)
    assert match, "no CONFIG line"
    return json.loads(match.group(1))  # type: ignore[no-any-return]


class FakeKWin:
    """A session bus with KWin on it, as the probe's jeepney connection sees it.

    ``version`` 5 serves loaded scripts at ``/<id>``, 6 at ``/Scripting/Script<id>``.
    Running the watch script reports ``windows`` and the active one; running an
    activation script activates its window and says "Done".
    """

    def __init__(self, version: int = 6, windows: dict[str, str] | None = None, active: str = "") -> None:
        self.version = version
        self.windows = dict(windows or {"a": "Mail", "b": "Docs"})
        self.active = active or next(iter(self.windows), "")
        self.on_bus = True
        self.name_taken = False
        self.silent = False  # run scripts without them reporting (a broken KWin)
        self.load_result: int | None = None
        self.loaded: dict[str, tuple[int, str]] = {}  # plugin -> (id, script text)
        self.unloaded: list[str] = []
        self.configs: list[dict[str, Any]] = []  # each script's CONFIG, in the order run
        self.ran: list[str] = []
        self.file_modes: list[int] = []
        self.replies: list[Message] = []
        self.incoming: deque[Message] = deque()
        self._filter_queue: deque[Message] | None = None
        self.sock, self._peer = socket.socketpair()
        self.closed = False

    # -- what KWin sends the probe -----------------------------------------------

    def report(self, member: str, *args: Any, sender: str = KWIN_NAME, service: str = "") -> Message:
        signature = "".join("b" if isinstance(a, bool) else "s" for a in args)
        address = DBusAddress(OBJECT_PATH, bus_name=service or "org.focusguard.KWinWatcher.p1", interface=INTERFACE)
        message = new_method_call(address, member, signature, args)
        message.header.fields[HeaderFields.sender] = sender
        message.header.serial = len(self.incoming) + 1000
        return message

    def says(self, member: str, *args: Any, sender: str = KWIN_NAME) -> None:
        self.incoming.append(self.report(member, *args, sender=sender))

    def _run(self, plugin: str) -> None:
        self.ran.append(plugin)
        text = self.loaded[plugin][1]
        config = config_of(text)
        self.configs.append(config)
        if self.silent:
            return
        queue = self._filter_queue if self._filter_queue is not None else self.incoming
        if "window" in config:  # kwin_activate.js
            found = config["window"] in self.windows
            if found:
                self.active = config["window"]
                queue.append(self.report("Active", self.active))
            queue.append(self.report("Done", config["plugin"], found))
            return
        for id_, caption in self.windows.items():
            queue.append(self.report("Window", window_json(id_, caption)))
        queue.append(self.report("Active", self.active))

    # -- the Connection protocol ---------------------------------------------------

    def filter(self, rule: MatchRule, *, queue: deque[Message] | None = None) -> Any:
        self._filter_queue = queue

        class Handle:
            def close(handle) -> None:  # noqa: N805
                self._filter_queue = None

        return Handle()

    def send(self, message: Message) -> None:
        self.replies.append(message)

    def receive(self, *, timeout: float | None = None) -> Message:
        if not self.incoming:
            raise TimeoutError
        return self.incoming.popleft()

    def close(self) -> None:
        self.closed = True
        self.sock.close()
        self._peer.close()

    def send_and_get_reply(self, message: Message, *, timeout: float | None = None) -> Message:
        fields = message.header.fields
        member, path = fields[HeaderFields.member], fields[HeaderFields.path]
        body = message.body
        if fields.get(HeaderFields.destination) == "org.freedesktop.DBus":
            if member == "GetNameOwner":
                if not self.on_bus:
                    return new_error(message, "org.freedesktop.DBus.Error.NameHasNoOwner", "s", ("no",))
                return new_method_return(message, "s", (KWIN_NAME,))
            if member == "RequestName":
                return new_method_return(message, "u", (3 if self.name_taken else 1,))
            if member == "GetConnectionUnixUser":
                return new_method_return(message, "u", (os.geteuid(),))
            return new_method_return(message)
        if path == "/Scripting":
            if member == "isScriptLoaded":
                return new_method_return(message, "b", (body[0] in self.loaded,))
            if member == "loadScript":
                script_path, plugin = body
                self.file_modes.append(stat.S_IMODE(os.stat(script_path).st_mode))
                script_id = len(self.loaded) + len(self.unloaded) if self.load_result is None else self.load_result
                if script_id < 0:
                    return new_method_return(message, "i", (script_id,))
                self.loaded[plugin] = (script_id, Path(script_path).read_text(encoding="utf-8"))
                return new_method_return(message, "i", (script_id,))
            if member == "unloadScript":
                known = self.loaded.pop(body[0], None) is not None
                self.unloaded.append(body[0])
                return new_method_return(message, "b", (known,))
        prefix = {5: "/", 6: "/Scripting/Script"}.get(self.version, "/nowhere/")
        if path.startswith(prefix) and path[len(prefix):].isdigit() and member == "run":
            script_id = int(path[len(prefix):])
            plugin = next(p for p, (i, _) in self.loaded.items() if i == script_id)
            self._run(plugin)
            return new_method_return(message)
        return new_error(message, "org.freedesktop.DBus.Error.UnknownObject", "s", (f"no object {path}",))


@pytest.fixture
def processes() -> ProcessCache:
    return ProcessCache(reader=lambda pid: ProcessInfo(pid, "firefox", "/usr/lib/firefox/firefox", os.getuid(), 1),
                        created=lambda pid: 1.0)


def start(kwin: FakeKWin, tmp_path: Path, processes: ProcessCache | None = None, **kwargs: Any) -> KWinProbe:
    return KWinProbe(kwin, runtime_dir=str(tmp_path), processes=processes, pid=1, **kwargs)


@pytest.fixture(params=[5, 6], ids=["kwin5", "kwin6"])
def kwin(request: pytest.FixtureRequest) -> Iterator[FakeKWin]:
    fake = FakeKWin(version=request.param)
    yield fake
    if not fake.closed:
        fake.close()


# -- the scripts ----------------------------------------------------------------------


@given(st.text())
def test_script_text_quotes_any_config_safely(value: str) -> None:
    config = {"service": value, "path": OBJECT_PATH, "interface": INTERFACE}
    text = script_text("kwin_watch.js", config)
    assert config_of(text) == config
    assert "/*CONFIG*/" not in text


def test_both_scripts_handle_kwin5_and_kwin6_names() -> None:
    for name in ("kwin_watch.js", "kwin_activate.js"):
        text = script_text(name, {"service": "s"})
        assert "workspace.windowList" in text and "workspace.clientList" in text
        assert "callDBus(CONFIG.service, CONFIG.path, CONFIG.interface" in text
    watch = script_text("kwin_watch.js", {})
    for kwin6, kwin5 in (("windowActivated", "clientActivated"), ("windowAdded", "clientAdded"),
                         ("windowRemoved", "clientRemoved"), ("activeWindow", "activeClient")):
        assert f"workspace.{kwin6}" in watch and f"workspace.{kwin5}" in watch
    for field in ("caption", "resourceClass", "resourceName", "desktopFileName", "pid", "fullScreen",
                  "internalId", "captionChanged", "fullScreenChanged", "windowId"):
        assert field in watch


# -- reports --------------------------------------------------------------------------


def test_parse_window_reads_the_script_description() -> None:
    window = parse_window(window_json("x", "Inbox – Mail", pid=42, fullScreen=True, resourceName="mail"))
    assert window == KWinWindow("x", "Inbox – Mail", "org.example.x", "mail", "org.example.x", 42, True)
    assert parse_window(window_json("y", "xterm", xwayland=True)).xwayland


@pytest.mark.parametrize("text", ["", "[]", "{}", '{"id": ""}', '{"id": 5}', "not json"])
def test_parse_window_rejects_what_is_not_a_window(text: str) -> None:
    with pytest.raises(ValueError):
        parse_window(text)


@pytest.mark.parametrize("pid", [-3, 0, "12", 1.5, None])
def test_parse_window_keeps_only_a_real_pid(pid: object) -> None:
    assert parse_window(json.dumps({"id": "x", "caption": "t", "pid": pid})).pid == 0


def test_windows_track_the_active_one_and_recency() -> None:
    state = KWinWindows()
    assert not state.update(KWinWindow("a", "Mail"))
    assert not state.update(KWinWindow("b", "Docs"))
    assert state.activate("a") and state.active == KWinWindow("a", "Mail")
    assert not state.activate("a")
    assert state.update(KWinWindow("a", "Inbox (1)"))  # the active one changed
    assert not state.update(KWinWindow("a", "Inbox (1)"))  # the same again
    assert not state.update(KWinWindow("b", "Docs 2"))  # a background window
    state.update(KWinWindow("c", "New, never active"))
    assert [w.id for w in state.most_recent_first()] == ["a", "b", "c"]
    assert state.activate("b")
    assert [w.id for w in state.most_recent_first()] == ["b", "a", "c"]
    assert not state.close("a")
    assert state.close("b") and state.active is None and state.active_id == ""


@given(st.lists(st.tuples(st.sampled_from(["update", "close", "activate"]), st.sampled_from("abc"))))
def test_windows_never_name_a_closed_window_active(events: list[tuple[str, str]]) -> None:
    state, open_ids = KWinWindows(), set()
    for kind, id_ in events:
        if kind == "update":
            state.update(KWinWindow(id_, id_))
            open_ids.add(id_)
        elif kind == "close":
            state.close(id_)
            open_ids.discard(id_)
        elif id_ in open_ids:
            state.activate(id_)
        active = state.active
        assert active is None or active.id in open_ids
        assert {w.id for w in state.most_recent_first()} == open_ids


def test_describe_names_the_process_when_the_pid_is_trustworthy(processes: ProcessCache) -> None:
    info = describe(KWinWindow("a", "Inbox", "firefox", "", "firefox", 4242), processes)
    assert (info.app, info.exe, info.pid, info.wm_class) == ("firefox", "/usr/lib/firefox/firefox", 4242, "firefox")


def test_describe_falls_back_to_the_app_id() -> None:
    no_process = ProcessCache(reader=lambda pid: None, created=lambda pid: 1.0)
    info = describe(KWinWindow("a", "Chat", "org.kde.neochat", "", "org.kde.neochat", 4242), no_process)
    assert (info.app, info.exe, info.pid) == ("org.kde.neochat", "", None)
    kernel_thread = ProcessCache(reader=lambda pid: ProcessInfo(pid, "kthreadd", "", 0, 0), created=lambda pid: 1.0)
    assert describe(KWinWindow("a", "t", "app", "", "", 2), kernel_thread).app == "app"
    assert describe(KWinWindow("a", "t", "app", "", "", 0), no_process).pid is None


def test_describe_gives_xwayland_windows_their_x11_class(processes: ProcessCache) -> None:
    info = describe(KWinWindow("a", "xterm", "XTerm", "xterm", "", 0, fullscreen=True, xwayland=True), processes)
    assert info.wm_class == "xterm.XTerm" and info.app == "XTerm" and info.fullscreen


def test_describe_gives_wayland_windows_their_app_id(processes: ProcessCache) -> None:
    # KWin names a Wayland window's executable in resourceName: no X11 instance
    info = describe(KWinWindow("a", "Docs", "org.example.docs", "python3.11", "org.example.docs"), processes)
    assert info.wm_class == "org.example.docs" and info.app == "org.example.docs"


# -- the probe ------------------------------------------------------------------------


def test_start_loads_the_script_runs_it_where_this_kwin_serves_it_and_reads_the_active_window(
        kwin: FakeKWin, tmp_path: Path) -> None:
    probe = start(kwin, tmp_path)
    assert probe.name == "KWin script" and probe.warning == ""
    assert kwin.ran == ["focusguard_1"]
    assert config_of(kwin.loaded["focusguard_1"][1]) == {
        "service": "org.focusguard.KWinWatcher.p1", "path": OBJECT_PATH, "interface": INTERFACE}
    assert kwin.file_modes == [0o600]
    assert not list(tmp_path.glob("focusguard-kwin-*/*.js")), "the script file outlived its start"
    info = probe.active_window()
    assert info is not None and info.title == "Mail" and info.app == "org.example.a"
    # every report got its answer, and KWin's replies are awaited no more
    assert all(r.header.message_type is MessageType.method_return for r in kwin.replies)
    assert len(kwin.replies) == 3
    assert not probe.dispatch()
    assert probe.fileno() == kwin.sock.fileno()
    probe.close()


def test_dispatch_says_when_the_active_window_changed(kwin: FakeKWin, tmp_path: Path) -> None:
    probe = start(kwin, tmp_path)
    kwin.says("Window", window_json("b", "Docs – draft 2"))  # a background window
    assert not probe.dispatch()
    kwin.says("Active", "b")
    assert probe.dispatch() and probe.active_window().title == "Docs – draft 2"
    kwin.says("Window", window_json("b", "Docs – final", fullScreen=True))
    assert probe.dispatch() and probe.active_window().fullscreen
    kwin.says("Window", window_json("c", "New"))
    kwin.says("Active", "c")
    kwin.says("Closed", "c")
    assert probe.dispatch() and probe.active_window() is None
    probe.close()


def test_only_kwin_may_report(kwin: FakeKWin, tmp_path: Path) -> None:
    probe = start(kwin, tmp_path)
    kwin.says("Active", "b", sender=OTHER_NAME)
    assert not probe.dispatch()
    assert probe.active_window().title == "Mail"
    assert kwin.replies[-1].header.fields[HeaderFields.error_name] == "org.freedesktop.DBus.Error.AccessDenied"
    probe.close()


@pytest.mark.parametrize("member,args", [("Window", ("{broken",)), ("Window", ()), ("Launch", ("x",))])
def test_a_bad_report_is_answered_with_an_error_not_a_crash(kwin: FakeKWin, tmp_path: Path,
                                                           member: str, args: tuple[str, ...]) -> None:
    probe = start(kwin, tmp_path)
    kwin.says(member, *args)
    assert not probe.dispatch()
    assert kwin.replies[-1].header.fields[HeaderFields.error_name] == "org.freedesktop.DBus.Error.InvalidArgs"
    assert probe.active_window().title == "Mail"
    probe.close()


def test_activate_runs_a_one_shot_script_and_unloads_it(kwin: FakeKWin, tmp_path: Path) -> None:
    probe = start(kwin, tmp_path)
    assert probe.activate(lambda info: info.title == "Docs")
    plugin = "focusguard_1_activate1"
    assert plugin in kwin.ran and plugin in kwin.unloaded and plugin not in kwin.loaded
    assert kwin.active == "b"
    assert probe.active_window().title == "Docs"  # the report came with the call
    assert not probe.activate(lambda info: info.title == "nothing like it")
    assert len(kwin.ran) == 2
    probe.close()


def test_activate_prefers_the_most_recently_active_match(kwin: FakeKWin, tmp_path: Path) -> None:
    kwin.windows = {"a": "Mail", "b": "Docs", "c": "Docs"}
    probe = start(kwin, tmp_path)
    kwin.says("Active", "c")
    kwin.says("Active", "a")
    probe.dispatch()
    assert probe.activate(lambda info: info.title == "Docs")
    assert kwin.active == "c"
    probe.close()


def test_place_moves_our_own_window_through_a_one_shot_script(kwin: FakeKWin, tmp_path: Path) -> None:
    probe = start(kwin, tmp_path)
    kwin.says("Window", window_json("s", "FocusGuard status", pid=os.getpid()))
    kwin.says("Window", window_json("t", "FocusGuard status", pid=os.getpid() + 1))  # not ours
    probe.dispatch()
    assert probe.place("FocusGuard status", 964, 16)
    config = kwin.configs[-1]
    assert (config["window"], config["x"], config["y"]) == ("s", "964", "16")
    assert kwin.ran[-1] in kwin.unloaded
    assert not probe.place("FocusGuard nudge", 0, 0)  # no such window of ours (yet)
    probe.close()


def test_close_unloads_the_watch_script_and_closes_the_connection(kwin: FakeKWin, tmp_path: Path) -> None:
    probe = start(kwin, tmp_path)
    probe.close()
    assert kwin.unloaded == ["focusguard_1"] and kwin.closed
    assert not list(tmp_path.iterdir())
    probe.close()  # twice is harmless


def test_a_script_left_by_a_crash_is_replaced(kwin: FakeKWin, tmp_path: Path) -> None:
    kwin.loaded["focusguard_1"] = (99, "old")
    probe = start(kwin, tmp_path)
    assert kwin.unloaded == ["focusguard_1"] and kwin.ran == ["focusguard_1"]
    probe.close()


def test_kwin_quitting_ends_the_probe(kwin: FakeKWin, tmp_path: Path) -> None:
    probe = start(kwin, tmp_path)
    signal = new_signal(DBusAddress("/org/freedesktop/DBus", interface="org.freedesktop.DBus"),
                        "NameOwnerChanged", "sss", ("org.kde.KWin", KWIN_NAME, ""))
    kwin.incoming.append(signal)
    with pytest.raises(ProbeUnavailable, match="KWin left the session bus"):
        probe.dispatch()
    probe.close()
    assert kwin.unloaded == []  # nothing to unload from a KWin that is gone


def test_not_a_plasma_session(tmp_path: Path) -> None:
    kwin = FakeKWin()
    kwin.on_bus = False
    with pytest.raises(ProbeUnavailable, match="KWin is not on the session bus"):
        start(kwin, tmp_path)
    assert kwin.closed


@pytest.mark.parametrize("breakage,message", [
    ("name_taken", "is taken by another program"),
    ("load_result", "KWin refused to load the script"),
    ("silent", "did not report the active window within 0.2 s"),
    ("no_object", "has no object to run it"),
])
def test_start_failures_say_why(tmp_path: Path, breakage: str, message: str) -> None:
    kwin = FakeKWin()
    if breakage == "load_result":
        kwin.load_result = -1
    elif breakage == "no_object":
        kwin.version = 7  # would serve scripts where neither KWin 5 nor 6 does
    else:
        setattr(kwin, breakage, True)
    with pytest.raises(ProbeUnavailable, match=message):
        start(kwin, tmp_path, timeout=0.2)
    assert kwin.closed and not kwin.loaded, "a script stayed loaded"
    assert not list(tmp_path.iterdir()), "files left behind"


def test_open_without_a_session_bus() -> None:
    with pytest.raises(ProbeUnavailable, match="DBUS_SESSION_BUS_ADDRESS is not set"):
        KWinProbe.open({})
    with pytest.raises(ProbeUnavailable, match="cannot connect to the D-Bus session bus"):
        KWinProbe.open({"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent/bus"})

"""X11EventProbe against a fake X connection: what it reads, when, and what it
listens to. (tests/unit/platform/test_platform_x11.py runs it on a real X server.)"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
import Xlib.error
import Xlib.X as X

from focusguard.platform.window import ProbeUnavailable, ProcessCache, ProcessInfo
from focusguard.platform.x11 import X11EventProbe

ATOMS = ["_NET_ACTIVE_WINDOW", "_NET_CLIENT_LIST_STACKING", "_NET_WM_NAME", "_NET_WM_PID",
         "_NET_WM_STATE", "_NET_WM_STATE_FULLSCREEN", "UTF8_STRING", "COMPOUND_TEXT"]
ATOM = {name: 100 + i for i, name in enumerate(ATOMS)} | {"WM_NAME": 39, "WM_CLASS": 67, "STRING": 31}
NAME = {v: k for k, v in ATOM.items()}
ROOT = 1


class Gone(Xlib.error.XError):
    """BadWindow, as python-xlib raises it for a destroyed window."""

    def __init__(self) -> None:
        Exception.__init__(self, "BadWindow")


@dataclass
class FakeServer:
    props: dict[int, dict[str, Any]] = field(default_factory=dict)
    masks: dict[int, int] = field(default_factory=dict)
    reads: Counter = field(default_factory=Counter)  # (window, property name) -> count
    events: deque = field(default_factory=deque)
    sent: list = field(default_factory=list)
    closed: bool = False

    def add(self, wid: int, title: str, klass: str = "xterm\0XTerm", pid: int | None = 500) -> None:
        self.props[wid] = {"_NET_WM_NAME": title, "WM_CLASS": klass, "_NET_WM_PID": pid, "_NET_WM_STATE": []}

    def notify(self, wid: int, prop: str) -> None:
        """What the server sends when ``prop`` changes, if the client asked for it."""
        if self.masks.get(wid, 0) & X.PropertyChangeMask:
            self.events.append(SimpleNamespace(type=X.PropertyNotify, window=SimpleNamespace(id=wid), atom=ATOM[prop]))

    def activate(self, wid: int) -> None:
        self.props[ROOT]["_NET_ACTIVE_WINDOW"] = wid
        self.notify(ROOT, "_NET_ACTIVE_WINDOW")

    def retitle(self, wid: int, title: str) -> None:
        self.props[wid]["_NET_WM_NAME"] = title
        self.notify(wid, "_NET_WM_NAME")

    def destroy(self, wid: int) -> None:
        del self.props[wid]
        if self.masks.pop(wid, 0) & X.StructureNotifyMask:
            self.events.append(SimpleNamespace(type=X.DestroyNotify, window=SimpleNamespace(id=wid)))


class FakeWindow:
    def __init__(self, server: FakeServer, wid: int) -> None:
        self.server, self.id = server, wid

    def get_full_property(self, atom: int, _type: int, sizehint: int = 10) -> Any:
        if self.server.closed:
            raise Xlib.error.ConnectionClosedError("server")
        if self.id not in self.server.props:
            raise Gone()
        name = NAME[atom]
        self.server.reads[(self.id, name)] += 1
        value = self.server.props[self.id].get(name)
        if value is None:
            return None
        if isinstance(value, str):
            return SimpleNamespace(format=8, value=value.encode(), property_type=ATOM["UTF8_STRING"])
        return SimpleNamespace(format=32, value=value if isinstance(value, list) else [value],
                               property_type=ATOM["WM_NAME"])

    def change_attributes(self, event_mask: int, onerror: Any = None) -> None:
        self.server.masks[self.id] = event_mask

    def get_geometry(self) -> Any:
        self.server.reads[(self.id, "geometry")] += 1
        return SimpleNamespace(width=1280, height=800) if self.id == ROOT else SimpleNamespace(width=600, height=400)

    def send_event(self, event: Any, event_mask: int, onerror: Any = None) -> None:
        self.server.sent.append((event.window, event.client_type, event_mask))


class FakeDisplay:
    def __init__(self, server: FakeServer) -> None:
        self.server = server

    def screen(self) -> Any:
        return SimpleNamespace(root=FakeWindow(self.server, ROOT))

    def intern_atom(self, name: str) -> int:
        return ATOM[name]

    def create_resource_object(self, kind: str, wid: int) -> FakeWindow:
        return FakeWindow(self.server, wid)

    def pending_events(self) -> int:
        if self.server.closed:
            raise Xlib.error.ConnectionClosedError("server")
        return len(self.server.events)

    def next_event(self) -> Any:
        return self.server.events.popleft()

    def has_extension(self, name: str) -> bool:
        return False

    def flush(self) -> None: ...

    def fileno(self) -> int:
        return 7


def fake_process(pid: int) -> ProcessInfo:
    return ProcessInfo(pid, f"app{pid}", f"/usr/bin/app{pid}", None, 1000)


@pytest.fixture
def server() -> FakeServer:
    s = FakeServer()
    s.props[ROOT] = {"_NET_ACTIVE_WINDOW": 0, "_NET_CLIENT_LIST_STACKING": [10, 20]}
    s.add(10, "Mail", pid=501)
    s.add(20, "Editor", pid=502)
    s.props[ROOT]["_NET_ACTIVE_WINDOW"] = 10
    return s


@pytest.fixture
def probe(server: FakeServer) -> X11EventProbe:
    processes = ProcessCache(reader=fake_process, created=lambda pid: 1.0)
    return X11EventProbe(FakeDisplay(server), processes=processes)


def test_listens_to_the_root_and_reads_the_first_window_once(probe, server) -> None:
    assert server.masks[ROOT] == X.PropertyChangeMask
    info = probe.active_window()
    assert (info.app, info.title, info.pid, info.wm_class) == ("app501", "Mail", 501, "xterm.XTerm")
    assert server.masks[10] == X.PropertyChangeMask | X.StructureNotifyMask
    reads = sum(server.reads.values())
    for _ in range(50):
        assert probe.active_window() == info
    assert not probe.dispatch()
    assert sum(server.reads.values()) == reads  # nothing changed: nothing read


def test_a_switch_is_one_read_of_the_new_window_and_the_old_one_stops_talking(probe, server) -> None:
    probe.active_window()
    server.activate(20)
    assert probe.dispatch()
    assert probe.active_window().title == "Editor"
    assert server.masks[10] == X.StructureNotifyMask  # only its destruction matters now
    server.reads.clear()
    server.activate(10)  # back to a known window: class and process are not read again
    assert probe.dispatch()
    assert probe.active_window().app == "app501"
    assert server.reads[(10, "WM_CLASS")] == server.reads[(10, "_NET_WM_PID")] == 0
    assert server.reads[(10, "_NET_WM_NAME")] == 1


def test_retitling_reads_only_the_title(probe, server) -> None:
    probe.active_window()
    server.reads.clear()
    server.retitle(10, "Mail - 3 unread")
    assert probe.dispatch()
    assert probe.active_window().title == "Mail - 3 unread"
    assert set(server.reads) == {(10, "_NET_WM_NAME")}


def test_a_background_window_retitling_is_not_heard(probe, server) -> None:
    probe.active_window()
    server.retitle(20, "Editor *")
    assert not server.events
    assert not probe.dispatch()


def test_full_screen_state_is_read_again_when_it_changes(probe, server) -> None:
    assert not probe.active_window().fullscreen
    server.props[10]["_NET_WM_STATE"] = [ATOM["_NET_WM_STATE_FULLSCREEN"]]
    server.notify(10, "_NET_WM_STATE")
    assert probe.dispatch()
    assert probe.active_window().fullscreen


def test_a_destroyed_window_is_forgotten(probe, server) -> None:
    probe.active_window()
    server.activate(20)
    probe.dispatch()
    server.destroy(10)
    server.add(10, "Reused id", klass="gimp\0Gimp", pid=503)  # the server may hand the id out again
    server.activate(10)
    assert probe.dispatch()
    assert probe.active_window().app == "app503"


def test_a_rewritten_pid_is_read_again(probe, server) -> None:
    probe.active_window()
    server.props[10]["_NET_WM_PID"] = None  # a sandbox that publishes none
    server.notify(10, "_NET_WM_PID")
    assert probe.dispatch()
    info = probe.active_window()
    assert (info.app, info.pid, info.exe) == ("XTerm", None, "")


def test_no_active_window_and_a_vanishing_one(probe, server) -> None:
    server.activate(0)
    assert probe.active_window() is None
    server.props[ROOT]["_NET_ACTIVE_WINDOW"] = 99  # set, then destroyed before the read
    server.notify(ROOT, "_NET_ACTIVE_WINDOW")
    assert probe.active_window() is None


def test_a_lost_connection_is_probe_unavailable(probe, server) -> None:
    probe.active_window()
    server.closed = True
    with pytest.raises(ProbeUnavailable, match="connection to the display was lost"):
        probe.dispatch()


def test_activate_asks_the_window_manager_for_the_topmost_match(probe, server) -> None:
    assert probe.activate(lambda w: w.title == "Mail")
    assert server.sent == [(10, ATOM["_NET_ACTIVE_WINDOW"], X.SubstructureRedirectMask | X.SubstructureNotifyMask)]
    assert not probe.activate(lambda w: w.title == "nothing like it")
    assert len(server.sent) == 1

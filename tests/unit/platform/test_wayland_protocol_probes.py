"""The wlr-foreign-toplevel and idle probes' logic, driven by fake Wayland objects
(the e2e tests run them against a real sway), and the generated protocol modules."""

from __future__ import annotations

import struct
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from focusguard.platform.wayland.connection import socket_path
from focusguard.platform.wayland.idle import IdleClock, WaylandIdleProbe
from focusguard.platform.wayland.wlr import ACTIVATED, FULLSCREEN, ToplevelTable, WlrToplevelProbe, parse_states
from focusguard.platform.window import ProbeUnavailable, WindowInfo

ROOT = Path(__file__).resolve().parents[3]


class FakeProxy:
    """A bound global or created object: handlers in ``dispatcher``, requests recorded."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.dispatcher: dict[str, Callable[..., None]] = {}
        self.requests: list[tuple[str, tuple[Any, ...]]] = []

    def __getattr__(self, request: str) -> Callable[..., FakeProxy]:
        def call(*args: Any) -> FakeProxy:
            self.requests.append((request, args))
            return FakeProxy(f"{self.name}.{request}")
        return call

    def emit(self, event: str, *args: Any) -> None:
        self.dispatcher[event](self, *args)


class FakeConnection:
    """Offers the given globals; ``pump`` runs the events queued with ``queue``."""

    def __init__(self, offers: dict[str, int]) -> None:
        self.globals = offers
        self.bound: dict[str, FakeProxy] = {}
        self._queued: list[Callable[[], None]] = []
        self.lost = False
        self.flushed = 0

    def offers(self, interface: str) -> int:
        return self.globals.get(interface, 0)

    def bind(self, interface: type, version: int) -> FakeProxy:
        name = interface.name  # type: ignore[attr-defined]
        proxy = self.bound[name] = FakeProxy(name)
        proxy.version = min(version, self.globals[name])  # type: ignore[attr-defined]
        return proxy

    def seat(self) -> FakeProxy:
        return FakeProxy("wl_seat")

    def queue(self, event: Callable[[], None]) -> None:
        self._queued.append(event)

    def pump(self) -> None:
        if self.lost:
            raise ProbeUnavailable("the connection to the Wayland compositor was lost (Broken pipe)")
        events, self._queued = self._queued, []
        for event in events:
            event()

    def roundtrip(self) -> None:
        self.pump()

    def adopt(self, proxy: Any) -> None:
        pass

    def drop_registry(self) -> None:
        pass

    def flush(self) -> None:
        self.flushed += 1

    def fileno(self) -> int:
        return 99

    def close(self) -> None:
        pass


def states(*values: int) -> bytes:
    return struct.pack(f"={len(values)}I", *values)


# -- wlr-foreign-toplevel ---------------------------------------------------------


@given(st.lists(st.integers(min_value=0, max_value=2**32 - 1), max_size=8))
def test_state_arrays_are_native_uint32(values: list[int]) -> None:
    assert parse_states(states(*values)) == set(values)


def test_changes_take_effect_on_done_only() -> None:
    table = ToplevelTable()
    table.add("mail")
    table.set_pending("mail", "title", "Inbox")
    table.set_pending("mail", "app_id", "org.example.mail")
    table.set_pending("mail", "states", {ACTIVATED})
    assert table.active() is None
    table.done("mail")
    assert table.active() == WindowInfo("org.example.mail", "Inbox")


def test_the_most_recently_activated_toplevel_is_the_active_one() -> None:
    table = ToplevelTable()
    for key in ("a", "b"):
        table.add(key)
        table.set_pending(key, "app_id", key)
        table.set_pending(key, "states", {ACTIVATED})
        table.done(key)
    assert table.active().app == "b"  # two seats, or an event batch mid-switch
    table.set_pending("b", "states", set())
    table.done("b")
    assert table.active().app == "a"
    assert [key for key, _ in table.by_recency()] == ["a", "b"]
    table.remove("a")
    assert table.active() is None


def open_wlr(connection: FakeConnection) -> WlrToplevelProbe:
    return WlrToplevelProbe(connection)  # type: ignore[arg-type]


def announce(connection: FakeConnection, title: str, app_id: str, *state: int) -> FakeProxy:
    """The events a compositor sends for a new toplevel."""
    handle = FakeProxy(title)
    manager = connection.bound["zwlr_foreign_toplevel_manager_v1"]

    def send() -> None:
        manager.emit("toplevel", handle)
        handle.emit("title", title)
        handle.emit("app_id", app_id)
        handle.emit("state", states(*state))
        handle.emit("done")
    connection.queue(send)
    return handle


def test_wlr_probe_follows_toplevel_events() -> None:
    connection = FakeConnection({"zwlr_foreign_toplevel_manager_v1": 3, "wl_seat": 7})
    probe = open_wlr(connection)
    assert probe.name == "wlr-foreign-toplevel"
    assert probe.active_window() is None

    mail = announce(connection, "Inbox", "org.example.mail", ACTIVATED)
    assert probe.dispatch()
    assert probe.active_window() == WindowInfo("org.example.mail", "Inbox")
    assert probe.dispatch() is False

    video = announce(connection, "Cats", "org.example.video")  # opened in the background
    assert probe.dispatch() is False

    def switch() -> None:
        mail.emit("state", states())
        mail.emit("done")
        video.emit("state", states(ACTIVATED, FULLSCREEN))
        video.emit("done")
    connection.queue(switch)
    assert probe.dispatch()
    assert probe.active_window() == WindowInfo("org.example.video", "Cats", fullscreen=True)

    connection.queue(lambda: video.emit("closed"))
    assert probe.dispatch()
    assert probe.active_window() is None
    assert ("destroy", ()) in video.requests


def test_wlr_activate_asks_for_the_most_recent_match_with_the_seat() -> None:
    connection = FakeConnection({"zwlr_foreign_toplevel_manager_v1": 3, "wl_seat": 7})
    probe = open_wlr(connection)
    old = announce(connection, "CRM – old tab", "org.example.crm", ACTIVATED)
    probe.dispatch()
    new = announce(connection, "CRM – new tab", "org.example.crm", ACTIVATED)

    def deactivate_old() -> None:
        old.emit("state", states())
        old.emit("done")
    connection.queue(deactivate_old)
    probe.dispatch()
    assert probe.activate(lambda info: info.app == "org.example.crm")
    assert [name for name, _ in new.requests] == ["activate"] and old.requests == []
    assert connection.flushed == 1
    assert not probe.activate(lambda info: info.app == "org.example.none")


def test_wlr_probe_says_why_it_cannot_start_or_go_on() -> None:
    with pytest.raises(ProbeUnavailable, match="does not offer wlr-foreign-toplevel-management"):
        open_wlr(FakeConnection({"wl_seat": 7}))
    connection = FakeConnection({"zwlr_foreign_toplevel_manager_v1": 3, "wl_seat": 7})
    probe = open_wlr(connection)
    connection.queue(lambda: connection.bound["zwlr_foreign_toplevel_manager_v1"].emit("finished"))
    probe.dispatch()
    with pytest.raises(ProbeUnavailable, match="stopped reporting"):
        probe.active_window()
    lost = open_wlr(FakeConnection({"zwlr_foreign_toplevel_manager_v1": 3, "wl_seat": 7}))
    lost._conn.lost = True  # type: ignore[attr-defined]
    with pytest.raises(ProbeUnavailable, match="lost"):
        lost.dispatch()
    with pytest.raises(ProbeUnavailable, match="lost"):
        lost.active_window()


# -- idle ----------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_idle_is_the_timeout_plus_the_time_since_the_idled_event() -> None:
    clock = Clock()
    idle = IdleClock(5.0, clock)
    assert idle.idle_seconds() == 0.0  # less than the timeout: reported as active
    idle.idled()
    assert idle.idle_seconds() == 5.0
    clock.now += 55
    assert idle.idle_seconds() == 60.0
    idle.resumed()
    assert idle.idle_seconds() == 0.0


@pytest.mark.parametrize(("offers", "name", "request_", "events"), [
    ({"ext_idle_notifier_v1": 2, "org_kde_kwin_idle": 1}, "ext-idle-notify-v1 (input only)",
     "get_input_idle_notification", ("idled", "resumed")),
    ({"ext_idle_notifier_v1": 1, "org_kde_kwin_idle": 1}, "ext-idle-notify-v1",
     "get_idle_notification", ("idled", "resumed")),
    ({"org_kde_kwin_idle": 1}, "org_kde_kwin_idle", "get_idle_timeout", ("idle", "resumed")),
])
def test_idle_probe_uses_the_best_protocol_offered(offers: dict[str, int], name: str, request_: str,
                                                   events: tuple[str, str]) -> None:
    connection = FakeConnection({"wl_seat": 7, **offers})
    clock = Clock()
    probe = WaylandIdleProbe(connection, timeout=5.0, clock=clock)  # type: ignore[arg-type]
    assert probe.name == name
    manager = next(iter(p for key, p in connection.bound.items() if key != "wl_seat"))
    (request, args), = manager.requests
    assert request == request_
    assert 5000 in args  # milliseconds
    notification = probe._notification

    assert probe.idle_seconds() == 0.0
    connection.queue(lambda: notification.emit(events[0]))
    assert probe.dispatch()
    clock.now += 10
    assert probe.idle_seconds() == 15.0
    assert probe.dispatch() is False
    connection.queue(lambda: notification.emit(events[1]))
    assert probe.idle_seconds() == 0.0


def test_idle_probe_without_a_protocol_or_a_compositor() -> None:
    with pytest.raises(ProbeUnavailable, match="neither ext-idle-notify-v1 nor org_kde_kwin_idle"):
        WaylandIdleProbe(FakeConnection({"wl_seat": 7}))  # type: ignore[arg-type]
    connection = FakeConnection({"wl_seat": 7, "org_kde_kwin_idle": 1})
    probe = WaylandIdleProbe(connection)  # type: ignore[arg-type]
    connection.lost = True
    assert probe.idle_seconds() is None  # unknown: the caller treats the user as active
    assert probe.dispatch() is False


# -- the connection and the generated protocols ----------------------------------------


def test_socket_path_comes_from_the_given_environment() -> None:
    assert socket_path({"WAYLAND_DISPLAY": "wayland-1", "XDG_RUNTIME_DIR": "/run/user/1000"}) == \
        "/run/user/1000/wayland-1"
    assert socket_path({"WAYLAND_DISPLAY": "/tmp/sock"}) == "/tmp/sock"
    with pytest.raises(ProbeUnavailable, match="WAYLAND_DISPLAY is not set"):
        socket_path({})
    with pytest.raises(ProbeUnavailable, match="XDG_RUNTIME_DIR is not set"):
        socket_path({"WAYLAND_DISPLAY": "wayland-0"})


def test_connecting_to_no_compositor_says_where_it_looked(tmp_path: Path) -> None:
    from focusguard.platform.wayland.wlr import WlrToplevelProbe

    with pytest.raises(ProbeUnavailable, match=f"cannot connect to the Wayland compositor at {tmp_path}/wayland-9"):
        WlrToplevelProbe.open({"WAYLAND_DISPLAY": "wayland-9", "XDG_RUNTIME_DIR": str(tmp_path)})


def test_generated_protocol_modules_match_their_xml() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "scripts/wayland_protocols.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr

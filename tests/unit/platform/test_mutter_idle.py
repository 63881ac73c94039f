"""GNOME's idle time from Mutter's IdleMonitor watches (a fake session bus, an injected
clock); the real shell is in tests/e2e/test_wayland_gnome_probe.py."""

from __future__ import annotations

from collections import deque
from typing import Any

import pytest
from jeepney import HeaderFields, MatchRule, Message
from jeepney.wrappers import new_error, new_method_return, new_signal

from focusguard.platform.wayland.mutter_idle import IDLE_MONITOR, MutterIdleProbe
from focusguard.platform.window import ProbeUnavailable


class FakeMutter:
    """The session bus with GNOME's IdleMonitor on it, as jeepney's connection shows it."""

    def __init__(self, idle_ms: int = 0, *, answers: bool = True) -> None:
        self.idle_ms = idle_ms
        self.answers = answers
        self.incoming: deque[Message] = deque()
        self.queue: deque[Message] | None = None
        self.calls: list[str] = []
        self.next_watch = 7
        self.closed = False

    def filter(self, rule: MatchRule, *, queue: deque[Message] | None = None) -> Any:
        self.queue = queue

        class Handle:
            def close(handle) -> None:  # noqa: N805
                self.queue = None

        return Handle()

    def receive(self, *, timeout: float | None = None) -> Message:
        if not self.incoming:
            raise TimeoutError
        return self.incoming.popleft()

    def send_and_get_reply(self, message: Message, *, timeout: float | None = None) -> Message:
        member = message.header.fields[HeaderFields.member]
        self.calls.append(member)
        if member == "AddMatch":
            return new_method_return(message)
        if not self.answers:
            return new_error(message, "org.freedesktop.DBus.Error.ServiceUnknown", "s", ("no IdleMonitor",))
        if member == "GetIdletime":
            return new_method_return(message, "t", (self.idle_ms,))
        self.next_watch += 1
        return new_method_return(message, "u", (self.next_watch,))

    def close(self) -> None:
        self.closed = True

    def fire(self, watch: int) -> None:
        self.incoming.append(new_signal(IDLE_MONITOR, "WatchFired", "u", (watch,)))


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def make(bus: FakeMutter, clock: Clock) -> MutterIdleProbe:
    return MutterIdleProbe(bus, timeout=5.0, clock=clock)  # type: ignore[arg-type]


def test_idle_follows_the_watches_and_nothing_is_asked_meanwhile() -> None:
    bus, clock = FakeMutter(), Clock()
    probe = make(bus, clock)
    idle_watch = bus.next_watch  # what AddIdleWatch answered
    assert probe.idle_seconds() == 0.0
    asked = list(bus.calls)
    clock.now += 60
    assert probe.idle_seconds() == 0.0 and bus.calls == asked  # typing: not a call on the bus
    bus.fire(idle_watch)
    assert probe.dispatch() is True  # away
    assert bus.calls[-1] == "AddUserActiveWatch"
    clock.now += 10
    assert probe.idle_seconds() == 15.0  # the timeout plus the time since
    bus.fire(bus.next_watch)  # the user-active watch
    assert probe.dispatch() is True
    assert probe.idle_seconds() == 0.0
    assert probe.dispatch() is False


def test_a_user_away_at_start_is_idle_from_when_they_left() -> None:
    bus, clock = FakeMutter(idle_ms=42_000), Clock()
    probe = make(bus, clock)
    assert probe.idle_seconds() == 42.0
    assert bus.calls[-1] == "AddUserActiveWatch"
    bus.fire(bus.next_watch)
    assert probe.dispatch() and probe.idle_seconds() == 0.0


def test_other_watches_and_signals_change_nothing() -> None:
    bus, clock = FakeMutter(), Clock()
    probe = make(bus, clock)
    bus.fire(999)
    assert probe.dispatch() is False and probe.idle_seconds() == 0.0


def test_without_gnome_the_probe_says_why() -> None:
    with pytest.raises(ProbeUnavailable, match="no IdleMonitor"):
        make(FakeMutter(answers=False), Clock())


def test_a_lost_bus_is_unknown_idle_not_an_error() -> None:
    bus, clock = FakeMutter(), Clock()
    probe = make(bus, clock)

    def gone(*, timeout: float | None = None) -> Message:
        raise ConnectionResetError("the bus went away")

    bus.receive = gone  # type: ignore[method-assign]
    assert probe.idle_seconds() is None
    assert "went away" in probe.why
    with pytest.raises(ProbeUnavailable):
        probe.dispatch()

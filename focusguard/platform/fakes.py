"""Scriptable stand-ins for the probes, for tests and demos without a desktop.

Both follow the probe protocols exactly: ``FakeWindowProbe`` can show one settable
window or replay a script (each step a WindowInfo, None for "no window", or an
exception such as ProbeUnavailable to raise); ``FakeIdleProbe`` likewise for idle
seconds. A script repeats its last step once played out, like a desktop that stays
as it was left.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

from focusguard.platform.window import WindowInfo

WindowStep = WindowInfo | BaseException | None
IdleStep = float | BaseException | None
T = TypeVar("T")


class _Script(Generic[T]):
    def __init__(self, steps: Iterable[T | BaseException]) -> None:
        self._steps = list(steps)
        if not self._steps:
            raise ValueError("a script needs at least one step")
        self._next = 0

    def next(self) -> T:
        step = self._steps[min(self._next, len(self._steps) - 1)]
        self._next += 1
        if isinstance(step, BaseException):
            raise step
        return step


class FakeWindowProbe:
    """``current`` is what ``active_window()`` returns unless a script is playing.

    ``activate`` looks among ``windows`` (which includes every window set or
    scripted so far); the one it brings forward becomes ``current``.
    """

    def __init__(self, current: WindowStep = None, *, windows: Iterable[WindowInfo] = ()) -> None:
        self.name = "fake"
        self.warning = ""
        self.windows: list[WindowInfo] = list(windows)
        self.calls = 0
        self._script: _Script[WindowInfo | None] | None = None
        self.current = current

    @property
    def current(self) -> WindowStep:
        return self._current

    @current.setter
    def current(self, window: WindowStep) -> None:
        self._current = window
        self._script = None
        self._remember(window)

    def script(self, steps: Iterable[WindowStep]) -> None:
        steps = list(steps)
        for step in steps:
            self._remember(step)
        self._script = _Script(steps)

    def active_window(self) -> WindowInfo | None:
        self.calls += 1
        if self._script is not None:
            return self._script.next()
        if isinstance(self._current, BaseException):
            raise self._current
        return self._current

    def activate(self, predicate: Callable[[WindowInfo], bool]) -> bool:
        for window in self.windows:
            if predicate(window):
                self.current = window
                return True
        return False

    def _remember(self, step: WindowStep) -> None:
        if isinstance(step, WindowInfo) and step not in self.windows:
            self.windows.append(step)


class _Pushed:
    """The ``EventSource`` half of a pushing fake: ``_poke()`` makes ``fileno()``
    readable; ``dispatch()`` drains it, raises ``fail_with`` if set, and returns
    whether ``_state()`` changed since the last dispatch."""

    def __init__(self) -> None:
        self._read, self._write = os.pipe()
        os.set_blocking(self._read, False)
        self._seen: object = self._state()
        self.fail_with: BaseException | None = None
        self.dispatched = 0
        self.closed = False

    def _state(self) -> object:
        raise NotImplementedError

    def _poke(self) -> None:
        os.write(self._write, b"!")

    def fileno(self) -> int:
        return self._read

    def dispatch(self) -> bool:
        self.dispatched += 1
        with contextlib.suppress(BlockingIOError):
            os.read(self._read, 4096)
        if self.fail_with is not None:
            raise self.fail_with
        changed, self._seen = self._seen != self._state(), self._state()
        return changed

    def close(self) -> None:
        self.closed = True
        os.close(self._read)
        os.close(self._write)


class FakeEventWindowProbe(FakeWindowProbe, _Pushed):
    """A FakeWindowProbe that pushes its changes like sway IPC or the KWin script do
    (an ``EventSource``): ``push(window)`` makes ``fileno()`` readable, and
    ``dispatch()`` then says whether the window changed, or raises ``fail_with``."""

    def __init__(self, current: WindowStep = None) -> None:
        FakeWindowProbe.__init__(self, current)
        _Pushed.__init__(self)

    def _state(self) -> object:
        return self.current

    def push(self, window: WindowStep) -> None:
        self.current = window
        self._poke()


class FakeIdleProbe:
    """Returns ``seconds`` (None = unknown) unless a script is playing."""

    def __init__(self, seconds: float | None = 0.0) -> None:
        self.calls = 0
        self.seconds = seconds

    @property
    def seconds(self) -> float | None:
        return self._seconds

    @seconds.setter
    def seconds(self, value: float | None) -> None:
        self._seconds = value
        self._script: _Script[float | None] | None = None

    def script(self, steps: Iterable[IdleStep]) -> None:
        self._script = _Script(steps)

    def idle_seconds(self) -> float | None:
        self.calls += 1
        if self._script is not None:
            return self._script.next()
        return self._seconds


class FakeMicrophoneProbe:
    """A MicrophoneProbe whose ``active`` is set by the test; ``fail_with`` (e.g.
    MicrophoneUnavailable) is raised by the next readings until cleared."""

    name = "fake microphone"

    def __init__(self, active: bool = False) -> None:
        self.active = active
        self.fail_with: BaseException | None = None
        self.reads = 0
        self.closed = False

    def recording(self) -> bool:
        self.reads += 1
        if self.fail_with is not None:
            raise self.fail_with
        return self.active

    def close(self) -> None:
        self.closed = True


class FakeEventIdleProbe(FakeIdleProbe, _Pushed):
    """A FakeIdleProbe told of changes like XSync alarms or ext-idle-notify (an
    ``EventSource``): ``push(seconds)`` sets the idle time and makes ``fileno()``
    readable. Like those probes, between pushes its ``seconds`` stay as pushed."""

    def __init__(self, seconds: float | None = 0.0) -> None:
        FakeIdleProbe.__init__(self, seconds)
        _Pushed.__init__(self)

    def _state(self) -> object:
        return self.seconds

    def push(self, seconds: float | None) -> None:
        self.seconds = seconds
        self._poke()

"""How long since the user last touched keyboard or mouse.

A sample taken while the user is away is classified IDLE, so time away from the
desk never counts as on or off priority. Each platform has its own counter; when
none can be read, ``idle_seconds()`` returns None and the caller treats the user as
active (FocusGuard may then miss an absence, but never invents one).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any, Protocol

from focusguard.platform.session import Runner, run_command

log = logging.getLogger(__name__)


class IdleProbe(Protocol):
    def idle_seconds(self) -> float | None:
        """Seconds since the last input event; None = unknown (treat as active)."""
        ...


class UnknownIdleProbe:
    """No idle counter on this desktop; ``why`` says which one is missing."""

    def __init__(self, why: str = "") -> None:
        self.why = why

    def idle_seconds(self) -> float | None:
        return None


class X11IdleProbe:
    """The X server's idle counter (MIT-SCREEN-SAVER), over one long-lived connection:
    where the server has no SYNC IDLETIME alarms (platform/xsync.py), read every tick."""

    def __init__(self, display: Any) -> None:
        import Xlib.error

        self._display = display
        self._root = display.screen().root
        self._errors = (Xlib.error.XError, Xlib.error.ConnectionClosedError)

    @classmethod
    def open(cls) -> X11IdleProbe:
        """Connect to $DISPLAY; raises RuntimeError saying why that is not possible."""
        import Xlib.display
        import Xlib.threaded  # real locks, in case a probe changes threads

        try:
            display = Xlib.display.Display()
        except Exception as err:  # DisplayNameError, DisplayConnectionError
            raise RuntimeError(f"cannot open the X display: {err}") from err
        if not display.has_extension("MIT-SCREEN-SAVER"):
            display.close()
            raise RuntimeError("the X server has no MIT-SCREEN-SAVER extension")
        return cls(display)

    def idle_seconds(self) -> float | None:
        try:
            return self._root.screensaver_query_info().idle / 1000.0
        except self._errors as err:
            log.debug("X idle time unreadable: %s", err)
            return None

    def close(self) -> None:
        self._display.close()


class WindowsIdleProbe:
    """GetTickCount() - GetLastInputInfo().dwTime, both 32-bit milliseconds.

    Both counters wrap after 49.7 days of uptime; the difference taken modulo 2**32
    stays right across the wrap. The two calls are injectable for tests.
    """

    def __init__(
        self,
        last_input_tick: Callable[[], int | None] | None = None,
        tick_count: Callable[[], int] | None = None,
    ) -> None:
        if last_input_tick is None or tick_count is None:
            last_input_tick, tick_count = _win32_counters()
        self._last_input_tick = last_input_tick
        self._tick_count = tick_count

    def idle_seconds(self) -> float | None:
        last = self._last_input_tick()
        if last is None:
            return None
        return ((self._tick_count() - last) & 0xFFFFFFFF) / 1000.0


def _win32_counters() -> tuple[Callable[[], int | None], Callable[[], int]]:
    import ctypes
    from ctypes import wintypes

    class LASTINPUTINFO(ctypes.Structure):
        _fields_ = [("cbSize", wintypes.UINT), ("dwTime", wintypes.DWORD)]

    windll: Any = ctypes.windll  # type: ignore[attr-defined]  # Windows only
    user32, kernel32 = windll.user32, windll.kernel32
    kernel32.GetTickCount.restype = wintypes.DWORD

    def last_input_tick() -> int | None:
        info = LASTINPUTINFO(cbSize=ctypes.sizeof(LASTINPUTINFO))
        return int(info.dwTime) if user32.GetLastInputInfo(ctypes.byref(info)) else None

    return last_input_tick, lambda: int(kernel32.GetTickCount())


_HID_IDLE = re.compile(r'"HIDIdleTime"\s*=\s*(\d+)')


def parse_ioreg_idle(output: str) -> float | None:
    """Seconds from ``ioreg -c IOHIDSystem`` output (HIDIdleTime is in nanoseconds)."""
    match = _HID_IDLE.search(output)
    return int(match.group(1)) / 1e9 if match else None


class MacIdleProbe:
    """Quartz's seconds-since-last-input when pyobjc is installed, else ``ioreg``."""

    def __init__(self, run: Runner = run_command) -> None:
        self._run = run
        self._quartz: Any = None
        try:
            import Quartz

            self._quartz = Quartz
        except ImportError:
            log.debug("pyobjc Quartz not installed; reading idle time with ioreg")

    def idle_seconds(self) -> float | None:
        if self._quartz is not None:
            q = self._quartz
            return float(
                q.CGEventSourceSecondsSinceLastEventType(
                    q.kCGEventSourceStateCombinedSessionState, q.kCGAnyInputEventType
                )
            )
        output = self._run(["ioreg", "-c", "IOHIDSystem", "-d", "4"])
        return parse_ioreg_idle(output) if output is not None else None

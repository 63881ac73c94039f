"""Calls in the running app: the detector fed with each reading, the ended call stored
and asked about, the answers written (a service the controller owns, like ``offers``).

The controller hands every sample's window here with the microphone's last word;
while a call is on, nudges wait (the engine's ``hold``, as for do-not-disturb).
A call of at least two minutes that ends is stored and its question is shown; one
not answered waits in the tray menu and the summary (``waiting``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta, tzinfo

from focusguard.core.calls import Call, CallDetector, CallKind, CallWindow
from focusguard.core.config import Config
from focusguard.core.timefmt import clock, day_bounds, local_date
from focusguard.platform.window import WindowInfo
from focusguard.store import Store
from focusguard.store_calls import CallLog

log = logging.getLogger(__name__)

#: Unanswered calls wait in the tray menu for this many days.
WAIT_DAYS = 7


def question(call: Call) -> str:
    """The card's one question."""
    return f"That call ({call.label}): value call or chill call?"


class CallWatch:
    """Knows whether a call is on, stores the ones that ended, and takes the answers."""

    def __init__(self, store: Store, *, config: Callable[[], Config], clock: Callable[[], float],
                 tz: tzinfo | None = None) -> None:
        self._config = config
        self._clock = clock
        self._tz = tz
        self.log = CallLog(store)
        self.detector = CallDetector(config().nudge.hold_during_apps)
        self.microphone: bool | None = None  # the sampler's last word; None: cannot tell
        self._waiting: tuple[tuple[float, float], tuple[Call, ...]] | None = None  # (since, day end), the list

    def reconfigure(self) -> None:
        self.detector.hold_apps = tuple(self._config().nudge.hold_during_apps)

    @property
    def in_call(self) -> bool:
        return self.detector.in_call

    def feed(self, at: float, window: WindowInfo | None) -> Call | None:
        """One reading (``window`` None: none, or one of FocusGuard's own). Returns the
        call that just ended when it is one to ask about, stored."""
        microphone = self.microphone if self._config().calls.use_microphone else None
        seen = None if window is None else CallWindow(window.app, window.title, window.fullscreen)
        change = self.detector.feed(at, microphone=microphone, window=seen)
        if change.started is not None:
            log.info("call started (%s)", change.started.app or "unnamed")
        return self._ended(change.ended)

    def finish(self) -> None:
        """The app is closing: a call still on is stored as it is."""
        self._ended(self.detector.finish(self._clock()))

    def _ended(self, call: Call | None) -> Call | None:
        if call is None:
            return None
        log.info("call ended (%s, %d s)", call.app or "unnamed", call.seconds())
        stored = self.log.add(call)
        self._waiting = None
        return stored if stored.asks else None  # under two minutes: recorded, not asked about

    def status(self) -> str | None:
        """The tray's line while a call is on."""
        call = self.detector.current
        if call is None:
            return None
        name = f" ({call.app})" if call.app else ""
        return f"In a call{name} since {clock(call.start, self._tz)}: nudges wait"

    def with_status(self, tooltip: str) -> str:
        """The tooltip with "In a call" under its headline while a call is on."""
        status = self.status()
        if status is None:
            return tooltip
        first, _, rest = tooltip.partition("\n")
        return "\n".join(line for line in (first, status, rest) if line)

    def waiting(self) -> tuple[Call, ...]:
        """Unanswered calls of the last WAIT_DAYS days that ask, oldest first. Read once
        per change (a call stored or answered, a new day), not per sample."""
        now = self._clock()
        if self._waiting is not None and self._waiting[0][0] <= now < self._waiting[0][1]:
            return self._waiting[1]
        today = local_date(now, self._tz)
        since = day_bounds(today - timedelta(days=WAIT_DAYS - 1), self._tz)[0]
        found = tuple(call for call in self.log.unanswered(since) if call.asks)
        self._waiting = ((since, day_bounds(today, self._tz)[1]), found)
        return found

    def answer(self, call_id: int, kind: CallKind | str, note: str = "") -> Call:
        """Raises KeyError (the call is gone) or ValueError (no such kind)."""
        call = self.log.answer(call_id, CallKind(kind), note, self._clock())
        self._waiting = None
        log.info("call %d answered: %s", call_id, call.kind.value)
        return call

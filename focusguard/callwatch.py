"""Calls in the running app: the detector fed with each reading, the ended call stored
and asked about, the answers written (a service the controller owns, like ``offers``).

The controller hands every sample's window here with the microphone's last word;
while a call is on, nudges wait (the engine's ``hold``, as for do-not-disturb).
Every call that ends is stored; for one of at least ``[calls] ask_after_minutes`` (2)
its question is shown, and one not answered waits in the tray menu and the summary
(``waiting``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import tzinfo
from pathlib import Path

from focusguard.call_records import CallRecords
from focusguard.core.calls import Call, CallDetector, CallKind, CallWindow, call_credit
from focusguard.core.config import Config
from focusguard.core.model import Classification, Classified
from focusguard.core.timefmt import clock
from focusguard.platform.calendar import CalendarFile
from focusguard.platform.window import WindowInfo
from focusguard.store import Store
from focusguard.store_writer import StoreError

log = logging.getLogger(__name__)

#: The calls waiting for an answer are read again at least this often.
WAITING_FRESH_SECONDS = 60.0
#: An answer counts in the off-priority streak only for a call that ended this recently:
#: an older one (answered from the tray or the summary) counts in the reports alone.
STREAK_CREDIT_SECONDS = 15 * 60.0


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
        self.records = CallRecords(store, config=config, clock=clock, tz=tz)
        self.log = self.records.log
        self.detector = CallDetector(config().nudge.hold_during_apps)
        self.microphone: bool | None = None  # the sampler's last word; None: cannot tell
        self._waiting: tuple[float, tuple[Call, ...]] | None = None  # (read at, the calls)
        self.calendar: CalendarFile | None = None
        self.reconfigure()

    def reconfigure(self) -> None:
        config = self._config()
        self.detector.hold_apps = tuple(config.nudge.hold_during_apps)
        path = Path(config.calls.calendar_file).expanduser() if config.calls.calendar_file else None
        if path != (self.calendar.path if self.calendar is not None else None):
            self.calendar = None if path is None else CalendarFile(path, tz=self._tz)

    @property
    def in_call(self) -> bool:
        return self.detector.in_call

    @property
    def holds(self) -> bool:
        """Nudges wait: a call is on, or the microphone or a call window may be starting one."""
        return self.detector.in_call or self.detector.starting

    def for_streak(self, classified: Classified) -> Classified:
        """What the engine's streak sees: during a call the window in front says nothing
        (a shared screen, notes), so its time is neutral; the answer decides afterwards
        (``streak_credit``). What is recorded keeps the window's own class."""
        if not self.detector.in_call or classified.classification in (Classification.IDLE, Classification.PAUSED):
            return classified
        return replace(classified, classification=Classification.NEUTRAL)

    def streak_credit(self, call: Call, priority: str | None) -> dict[Classification, float]:
        """How an answered call counts in the streak (``core.calls.call_credit``): a value
        call as the priority when the priority's activity has ``calls_count_as_priority``,
        else as productive work; chill time outside its slots as distraction. Nothing for
        a call that ended more than STREAK_CREDIT_SECONDS ago, or with no priority."""
        if priority is None or call.end is None or self._clock() - call.end > STREAK_CREDIT_SECONDS:
            return {}
        config = self._config()
        activity = config.activity(priority)
        return call_credit(call, priority_counts=bool(activity and activity.calls_count_as_priority),
                           slots=config.calls.chill_call_times, tz=self._tz)

    def feed(self, at: float, window: WindowInfo | None, classified: Classified) -> Call | None:
        """One reading (``window`` None: none, or one of FocusGuard's own) and its
        ``classified`` sample, whose app and title are what privacy lets be stored (blank
        for an excluded window, no title with ``record_titles = false``): they name the
        call, the window's own are matched. Returns the call that just ended when it is
        one to ask about, stored."""
        microphone = self.microphone if self._config().calls.use_microphone else None
        shown = (classified.sample.app, classified.sample.title)
        seen = None if window is None else CallWindow(window.app, window.title, window.fullscreen, shown)
        meeting = self.calendar.meeting_at(at) if self.calendar is not None else None
        summary = None if meeting is None else meeting.summary
        if summary is not None and not self._config().privacy.record_titles:
            summary = "Calendar meeting"  # still a call; its name is a title like any other
        change = self.detector.feed(at, microphone=microphone, window=seen, meeting=summary)
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
        try:
            stored = self.log.add(call)
        except StoreError as exc:  # a locked or full disk: the call is lost, sampling goes on
            log.warning("could not store the call: %s", exc)
            return None
        self._waiting = None
        return stored if stored.asks(self._config().calls.ask_after_minutes * 60) else None  # short: not asked

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
        """``CallRecords.waiting``: read again after a call is stored or answered here,
        else at most once a minute (an answer given in the summary window), not per sample."""
        now = self._clock()
        if self._waiting is not None and 0 <= now - self._waiting[0] < WAITING_FRESH_SECONDS:
            return self._waiting[1]
        found = self.records.waiting()
        self._waiting = (now, found)
        return found

    def answer(self, call_id: int, kind: CallKind | str, note: str = "") -> Call:
        """Raises KeyError (the call is gone), ValueError (no such kind) or StoreError."""
        call = self.records.answer(call_id, kind, note)
        self._waiting = None
        log.info("call %d answered: %s", call_id, call.kind.value)
        return call

"""Calls as the windows and the CLI read and answer them (issue 15).

One store's calls, seen through the config in force (its chill-call slots): a
day's or a period's calls with their figures (``core.call_report``), the calls
waiting for "value or chill?", the answers, and the follow-ups (a value call's
next step, tickable). ``Records.calls`` is one; the running app's ``CallWatch``
uses one for its answers too.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, timedelta, tzinfo

from focusguard.core.call_report import PeriodCalls, period_calls
from focusguard.core.calls import Call, CallKind
from focusguard.core.config import Config
from focusguard.core.timefmt import day_bounds, local_date
from focusguard.store import Store
from focusguard.store_calls import CallLog

#: Unanswered calls wait in the tray menu and the summary for this many days.
WAIT_DAYS = 7


class CallRecords:
    def __init__(self, store: Store, *, config: Callable[[], Config] = Config,
                 clock: Callable[[], float] = time.time, tz: tzinfo | None = None) -> None:
        self.log = CallLog(store)
        self.config = config
        self.clock = clock
        self.tz = tz

    def period(self, first: date, last: date) -> PeriodCalls:
        """The calls of the local days ``first`` to ``last`` (a call across midnight
        counts in each day for its part)."""
        start, end = day_bounds(first, self.tz)[0], day_bounds(last, self.tz)[1]
        return period_calls(self.log.calls(start, end), start, end, self.config().calls.chill_call_times, self.tz)

    def day(self, day: date) -> PeriodCalls:
        return self.period(day, day)

    def waiting_since(self) -> float:
        today = local_date(self.clock(), self.tz)
        return day_bounds(today - timedelta(days=WAIT_DAYS - 1), self.tz)[0]

    def waiting(self) -> tuple[Call, ...]:
        """Unanswered calls of the last WAIT_DAYS days long enough to ask about, oldest first."""
        after = self.config().calls.ask_after_minutes * 60
        return tuple(call for call in self.log.unanswered(self.waiting_since()) if call.asks(after))

    def answer(self, call_id: int, kind: CallKind | str, note: str = "") -> Call:
        """Raises KeyError (the call is gone) or ValueError (no such kind)."""
        return self.log.answer(call_id, CallKind(kind), note, self.clock())

    def followups(self) -> list[tuple[Call, bool]]:
        """Value calls' next steps not done yet, and those ticked today (a tick can be undone)."""
        today = local_date(self.clock(), self.tz)
        return self.log.followups(include_done_since=day_bounds(today, self.tz)[0])

    def tick(self, call_id: int, done: bool) -> None:
        self.log.tick_followup(call_id, done, self.clock())

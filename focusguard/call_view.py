"""The log the figures read, with answered calls counted as the user said (issue 15).

Wraps what the figures already read (the store, or the merged view once sync is set
up): ``events`` comes back with each answered call in place of the windows it
covered (``core.call_figures``); everything else is the wrapped log's. The day
summary, the review, the report and the tray's figures read through it; the raw
event export does not (it says what was on screen).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import date, tzinfo

from focusguard.core.call_figures import Segment, call_pieces, counted
from focusguard.core.config import Config
from focusguard.core.merge import Piece, device_seconds
from focusguard.core.model import Declaration, Event, Journal, NudgeRecord
from focusguard.core.summary import DaySummary, DayTotals, summarize_day
from focusguard.core.timefmt import day_bounds, local_date
from focusguard.day_cache import Computed, DayCache, Shares
from focusguard.store import Store
from focusguard.store_calls import CallLog
from focusguard.store_sync import DeviceTime, LocalStore, MergedLog, merged_view


class KeptView(MergedLog):
    """The merged view the figures read (issue 16): the span last merged is reused, so
    the day a summary merges is not merged again for the devices' shares of it, and a
    finished day's shares come from the kept day (``day_cache``) of the counted log
    that wraps this view (``kept``), not from merging the day again. Made for one
    report, or one question of a window (``Records.counted_view``): never kept longer."""

    _last: tuple[tuple[float, float], list[Piece]] | None = None
    kept: CallCountedLog | None = None

    def pieces(self, start: float, end: float) -> list[Piece]:
        if self._last is None or self._last[0] != (start, end):
            self._last = (start, end), super().pieces(start, end)
        return self._last[1]

    def device_breakdown(self, day: date, tz: tzinfo | None = None) -> list[DeviceTime]:
        shares = self.kept.kept_shares(day, tz) if self.kept is not None else None
        return self.named(shares) if shares is not None else super().device_breakdown(day, tz)


def kept_view(store: Store) -> LocalStore | MergedLog:
    """``merged_view`` as a ``KeptView``."""
    view = merged_view(store)
    return KeptView(view.store, view.device, view.name) if isinstance(view, MergedLog) else view


class CallCountedLog:
    """``clock``: the caller's now (a day not over is never kept, ``kept_summary``)."""

    def __init__(self, log: LocalStore | MergedLog, store: Store, config: Callable[[], Config],
                 tz: tzinfo | None = None, clock: Callable[[], float] = time.time) -> None:
        self._log = log
        self._calls = CallLog(store)
        self._config = config
        self._tz = tz
        self._days = DayCache(store, log, self.call_pieces, clock)
        if isinstance(log, KeptView):
            log.kept = self  # its devices' shares of a finished day are this log's kept ones

    @property
    def view(self) -> LocalStore | MergedLog:
        """The log this one counts the calls of."""
        return self._log

    @property
    def max_gap(self) -> float:
        return self._log.max_gap

    def events(self, start: float, end: float) -> Sequence[Event]:
        events = self._log.events(start, end)
        pieces = self.call_pieces(start, end)
        return counted(events, pieces) if pieces else events

    def kept_summary(self, day: date, tz: tzinfo | None = None) -> DaySummary | None:
        """A finished day's summary, kept in the database while its inputs stay the same
        (``day_cache``, issue 16); None for a day that cannot be kept."""
        return self._days.summary(day, tz, lambda: self._computed(day, tz))

    def kept_totals(self, day: date, tz: tzinfo | None = None) -> DayTotals | None:
        """``kept_summary``'s seconds alone (the week's average reads only these)."""
        return self._days.totals(day, tz, lambda: self._computed(day, tz))

    def kept_shares(self, day: date, tz: tzinfo | None = None) -> Shares | None:
        """A finished day's seconds by device id, kept as ``kept_summary``; None for a day
        that cannot be kept or a log of one device."""
        return self._days.shares(day, tz, lambda: self._computed(day, tz))

    def _computed(self, day: date, tz: tzinfo | None) -> Computed:
        """The day's summary and, merged, its devices' shares: from the same merge when the
        view reuses its last span (``KeptView``)."""
        summary = summarize_day(self, day, tz)
        if not isinstance(self._log, MergedLog):
            return summary, None
        start, end = day_bounds(day, tz)
        return summary, device_seconds(self._log.pieces(start, end), start, end)

    def call_pieces(self, start: float, end: float) -> list[Segment]:
        """How the answered calls reaching [start, end) count (``core.call_figures``)."""
        calls = self._calls.calls(start, end)
        if not calls:
            return []
        config = self._config()
        # The priorities in force at the calls: their days' declarations, not all of them
        # (five computers' years of them, read for each day of a report, issue 16).
        first_day = local_date(min(call.start for call in calls), self._tz)
        declared = sorted(self._log.declarations(day_bounds(first_day, self._tz)[0], end), key=lambda d: d.at)

        def priority_at(at: float) -> str | None:
            """The day's last declaration before ``at`` (a priority is declared per day)."""
            day = local_date(at, self._tz)
            before = [d for d in declared if d.at <= at and local_date(d.at, self._tz) == day]
            return before[-1].activity if before else None

        def counts(name: str) -> bool:
            activity = config.activity(name)
            return bool(activity and activity.calls_count_as_priority)

        return call_pieces(calls, priority_at=priority_at, counts_as_priority=counts,
                           slots=config.calls.chill_call_times, tz=self._tz)

    def declarations(self, start: float | None = None, end: float | None = None) -> Sequence[Declaration]:
        return self._log.declarations(start, end)

    def nudges(self, start: float, end: float) -> Sequence[NudgeRecord]:
        return self._log.nudges(start, end)

    def journal(self, day: date) -> Journal | None:
        return self._log.journal(day)

    def get_meta(self, key: str) -> str | None:
        return self._log.get_meta(key)

    def set_meta(self, key: str, value: str) -> None:
        self._log.set_meta(key, value)

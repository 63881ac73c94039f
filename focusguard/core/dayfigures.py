"""Today's figures, kept up to date sample by sample instead of recomputed.

The tray tooltip, the level-3 nudge and the day-end prompt all want today's totals
every few seconds. Re-summarising the day from the database costs time in
proportion to the hours already tracked, so the app would get slower all day long.
``LiveDayFigures`` is loaded once (from the day's stored events, at start and at each
new local day) and then advanced with each classified sample, at a cost that does
not depend on the time of day.

It follows exactly the rules the store uses to coalesce samples into events and
``summarize_day`` uses to read them back, so both give the same figures:

* a sample at ``t`` extends the open segment to ``t`` when it comes no later than
  ``max_gap`` after the segment's end (the time between is credited to the open
  segment's classification, activity and window), and starts a new segment when its
  window, activity or classification differ;
* a later sample starts a new segment and credits nothing (a hole in the log);
* time is clipped to the local day, and an instant already credited (a clock set
  back) is not credited twice;
* time is cut at each declaration and belongs to the priority then in force; the
  part of a segment that runs on past a change of priority is judged against the
  new one (``focusguard.core.summary.relative``).

Pure Python and clock-free: times come from the samples, the day and the time zone
are given. The caller (the controller) decides when to load it again.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, tzinfo

from focusguard.core.model import OFF_PRIORITY, Classification, Classified, Declaration, Event
from focusguard.core.summary import (
    TOP_OFF_PRIORITY,
    DeclaredPriorities,
    OffPriorityItem,
    OffPriorityKey,
    StreakCounter,
    hour_starts,  # the same hour edges, DST included
    priority_key,
    priority_names,
    rank_off_priority,
    same_activity,
)
from focusguard.core.timefmt import day_bounds

#: What makes two samples one segment: app, title, exe, activity, classification.
SegmentKey = tuple[str, str, str, str | None, Classification]


@dataclass(slots=True)
class OpenSegment:
    """The segment the next sample may extend: its window and how far it got."""

    end: float
    key: SegmentKey


def segment_key(c: Classified) -> SegmentKey:
    s = c.sample
    return (s.app, s.title, s.exe, c.activity, c.classification)


class LiveDayFigures:
    """One local day's totals: per classification, per activity, per declared
    priority and per local hour, the longest priority streak and the off-priority
    windows that took the most time.

    ``seconds`` and every hour bin have all Classification keys, like
    ``DaySummary``; ``by_priority`` maps each activity declared today to the
    priority time spent while it was the declared one, as ``DaySummary.by_priority``.
    """

    def __init__(
        self,
        day: date,
        *,
        tz: tzinfo | None = None,
        max_gap: float,
        declarations: Sequence[Declaration] = (),
        carry: OpenSegment | None = None,
    ) -> None:
        self.date = day
        self.tz = tz
        self.max_gap = max_gap
        self.start, self.end = day_bounds(day, tz)
        instants, hours = hour_starts(self.start, self.end, tz)
        self._edges = [*instants, self.end]
        self._edge_hours = hours
        self.seconds: dict[str, float] = _zero()
        self.hours: tuple[dict[str, float], ...] = tuple(_zero() for _ in range(24))
        self.by_activity: dict[str, float] = {}
        self._declared = DeclaredPriorities(declarations)
        self.by_priority: dict[str, float] = priority_names(self._declared.declarations)
        self._off_priority: dict[OffPriorityKey, float] = {}
        self._streak = StreakCounter(max_gap)
        self._cursor = self.start  # nothing before this is credited again
        self.open = None if carry is None else OpenSegment(carry.end, carry.key)  # ours to extend

    @classmethod
    def load(
        cls,
        day: date,
        events: Iterable[Event],
        *,
        tz: tzinfo | None = None,
        max_gap: float,
        declarations: Sequence[Declaration] = (),
        carry: OpenSegment | None = None,
    ) -> LiveDayFigures:
        """The figures of ``day`` from its stored events (as ``Store.events`` returns
        them: by start time). The last event stays open for the next sample to extend,
        as the store continues it; with no event, ``carry`` (yesterday's open segment,
        which may run on past midnight) does."""
        figures = cls(day, tz=tz, max_gap=max_gap, declarations=declarations, carry=carry)
        for e in events:
            key = (e.app, e.title, e.exe, e.activity, e.classification)
            figures._credit(e.start, e.end, key)
            figures.open = OpenSegment(e.end, key)
        return figures

    # --- advancing --------------------------------------------------------------------

    def add(self, c: Classified) -> None:
        """One more sample, in the order the store records them."""
        t, key = c.sample.at, segment_key(c)
        current = self.open
        if current is not None and current.end <= t <= current.end + self.max_gap:
            self._credit(current.end, t, current.key)
            current.end = t
            if current.key != key:
                self.open = OpenSegment(t, key)
        else:
            self.open = OpenSegment(t, key)

    def declare(self, d: Declaration) -> None:
        """A priority declared (or changed) today: its time counts from ``d.at``
        (a declaration already known, loaded with the day then seen again, changes nothing)."""
        if self._declared.add(d) and not any(same_activity(d.activity, known) for known in self.by_priority):
            self.by_priority[d.activity] = 0.0

    def priority_seconds(self, priority: str) -> float:
        """Today's time on ``priority`` while it was the declared one."""
        return self.by_priority.get(priority_key(self.by_priority, priority), 0.0)

    @property
    def longest_priority_streak_seconds(self) -> float:
        return self._streak.longest

    @property
    def longest_priority_streak_on(self) -> str | None:
        return self._streak.longest_on

    # --- reading ----------------------------------------------------------------------

    @property
    def focus_ratio(self) -> float | None:
        """Priority share of the time that was either priority or off-priority."""
        priority = self.seconds[Classification.PRIORITY]
        total = priority + self.off_priority_seconds
        return priority / total if total > 0 else None

    @property
    def off_priority_seconds(self) -> float:
        return sum(self.seconds[c] for c in OFF_PRIORITY)

    def top_off_priority(self, limit: int = TOP_OFF_PRIORITY) -> tuple[OffPriorityItem, ...]:
        """Where the off-priority time went, most first (ties as ``summarize_day``)."""
        return rank_off_priority(self._off_priority, limit)

    # --- internals --------------------------------------------------------------------

    def _credit(self, a: float, b: float, key: SegmentKey) -> None:
        """Credit [a, b) to ``segment``'s window, clipped to the day and to what is not
        credited yet (as ``summarize_day`` clips the stored events), cut at declarations."""
        a, b = max(a, self._cursor), min(b, self.end)
        if b <= a:
            return
        app, title, _exe, activity, stored = key
        for x, y, i in self._declared.parts(a, b):
            classification = self._declared.judged(stored, activity, i)
            priority = self._declared.priority(i)
            seconds = y - x
            self._streak.add(x, y, classification, priority)
            self.seconds[classification] += seconds
            if activity is not None:
                self.by_activity[activity] = self.by_activity.get(activity, 0.0) + seconds
            if classification is Classification.PRIORITY and priority is not None:
                name = priority_key(self.by_priority, priority)
                self.by_priority[name] = self.by_priority.get(name, 0.0) + seconds
            if classification in OFF_PRIORITY:
                item = (activity, app, title, priority)
                self._off_priority[item] = self._off_priority.get(item, 0.0) + seconds
            self._add_to_hours(x, y, classification)
        self._cursor = b

    def _add_to_hours(self, a: float, b: float, classification: Classification) -> None:
        i = bisect_right(self._edges, a) - 1
        while a < b:
            stop = min(b, self._edges[i + 1])
            self.hours[self._edge_hours[i]][classification] += stop - a
            a = stop
            i += 1


def _zero() -> dict[str, float]:
    return {c.value: 0.0 for c in Classification}

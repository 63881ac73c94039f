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
  back) is not credited twice.

Pure Python and clock-free: times come from the samples, the day and the time zone
are given. The caller (the controller) decides when to load it again.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, tzinfo
from typing import Protocol

from focusguard.core.model import OFF_PRIORITY, Classification, Classified, Declaration
from focusguard.core.summary import TOP_OFF_PRIORITY, OffPriorityItem, day_bounds
from focusguard.core.summary import _hour_starts as hour_starts  # the same hour edges, DST included

#: What makes two samples one segment: app, title, exe, activity, classification.
SegmentKey = tuple[str, str, str, str | None, Classification]


class StoredEvent(Protocol):
    """What ``load`` needs of a stored event (``focusguard.store.Event`` has it)."""

    start: float
    end: float
    app: str
    title: str
    exe: str
    activity: str | None
    classification: Classification


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
    ``DaySummary``; ``by_declaration`` maps each priority declared today to the
    priority time spent while it was the declared one.
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
        self.by_declaration: dict[str, float] = {}
        self._off_priority: dict[tuple[str | None, str, str], float] = {}
        self._declared_at: list[float] = []
        self._declared: list[str] = []
        for d in sorted(declarations, key=lambda d: d.at):
            self.declare(d)
        self.longest_priority_streak_seconds = 0.0
        self._run = 0.0
        self._previous_end: float | None = None  # of the last credited stretch, for streak breaks
        self._cursor = self.start  # nothing before this is credited again
        self.open = None if carry is None else OpenSegment(carry.end, carry.key)  # ours to extend

    @classmethod
    def load(
        cls,
        day: date,
        events: Iterable[StoredEvent],
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
        """A priority declared (or changed) today: its time counts from ``d.at``."""
        i = bisect_right(self._declared_at, d.at)
        if i and (self._declared_at[i - 1], self._declared[i - 1]) == (d.at, d.activity):
            return  # already known (loaded with the day, then seen again)
        self._declared_at.insert(i, d.at)
        self._declared.insert(i, d.activity)
        self.by_declaration.setdefault(d.activity, 0.0)

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
        ranked = sorted(self._off_priority.items(), key=lambda kv: (-kv[1], kv[0][0] or "", kv[0][1], kv[0][2]))
        return tuple(OffPriorityItem(a, app, title, sec) for (a, app, title), sec in ranked[:limit])

    # --- internals --------------------------------------------------------------------

    def _credit(self, a: float, b: float, key: SegmentKey) -> None:
        """Credit [a, b) to ``key``'s window, clipped to the day and to what is not
        credited yet (as ``summarize_day`` clips the stored events)."""
        a, b = max(a, self._cursor), min(b, self.end)
        if b <= a:
            return
        app, title, _exe, activity, classification = key
        seconds = b - a
        if self._previous_end is not None and a - self._previous_end > self.max_gap:
            self._run = 0.0
        if classification is Classification.PRIORITY:
            self._run += seconds
            self.longest_priority_streak_seconds = max(self.longest_priority_streak_seconds, self._run)
        elif classification is not Classification.NEUTRAL:
            self._run = 0.0
        self._previous_end = b
        self._cursor = b
        self.seconds[classification] += seconds
        if activity is not None:
            self.by_activity[activity] = self.by_activity.get(activity, 0.0) + seconds
        if classification is Classification.PRIORITY:
            declared = self._declared_on(a)
            if declared is not None:
                self.by_declaration[declared] += seconds
        if classification in OFF_PRIORITY:
            item = (activity, app, title)
            self._off_priority[item] = self._off_priority.get(item, 0.0) + seconds
        self._add_to_hours(a, b, classification)

    def _declared_on(self, at: float) -> str | None:
        i = bisect_right(self._declared_at, at)
        return self._declared[i - 1] if i else None

    def _add_to_hours(self, a: float, b: float, classification: Classification) -> None:
        i = bisect_right(self._edges, a) - 1
        while a < b:
            stop = min(b, self._edges[i + 1])
            self.hours[self._edge_hours[i]][classification] += stop - a
            a = stop
            i += 1


def _zero() -> dict[str, float]:
    return {c.value: 0.0 for c in Classification}

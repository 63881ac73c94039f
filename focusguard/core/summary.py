"""What a local day looked like: time per classification, focus ratio, the longest
priority streak, where the off-priority time went, the nudges and their answers.

Days are local calendar days and can be 23 or 25 hours long (``timefmt.day_bounds``).
Events are clipped to the day, so an event spanning midnight counts on both days,
each for its own part. Every second of the day's timeline lands in
exactly one classification and one local-hour bin, so the totals add up.

Time belongs to the priority in force when it was spent: the day is cut at each
declaration, and each part of the timeline carries the priority declared then
(None before the day's first declaration) and is judged against it (``relative``).
The app classifies every sample against the priority of its moment, so this only
changes the part of an event still open when the priority changed (the next sample
comes a second or two later), or time another writer filed against another
priority. Per-priority figures (``by_priority``, ``periods``) and the streak's
owner come from those parts, so a change from Sales to Code never files Sales
time under Code.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, tzinfo
from typing import Protocol

from focusguard.core.model import OFF_PRIORITY, Classification, Declaration, Event, NudgeRecord
from focusguard.core.timefmt import day_bounds, local


class DayLog(Protocol):
    """What a day's summary reads: the store, or anything holding the same records.
    ``max_gap`` is the gap its events were coalesced over (a longer hole in the log
    breaks a streak)."""

    @property
    def max_gap(self) -> float: ...

    def events(self, start: float, end: float) -> Sequence[Event]: ...

    def declarations(self, start: float | None = None, end: float | None = None) -> Sequence[Declaration]: ...

    def nudges(self, start: float, end: float) -> Sequence[NudgeRecord]: ...


TOP_OFF_PRIORITY = 10
_QUARTER_HOUR = 900  # every UTC offset in use is a multiple of 15 minutes


@dataclass(frozen=True, slots=True)
class OffPriorityItem:
    """A window's off-priority time; ``priority`` is the one it was off (None: spent
    before the day's first declaration), so Sales time while Code was the priority
    is never read as time off Sales."""

    activity: str | None
    app: str
    title: str
    seconds: float
    priority: str | None = None


@dataclass(frozen=True, slots=True)
class Segment:
    """An event clipped to the day and cut at declarations; ``priority`` is the one in
    force during it (None before the day's first declaration)."""

    start: float
    end: float
    classification: Classification
    activity: str | None
    app: str
    title: str
    priority: str | None = None

    @property
    def seconds(self) -> float:
        return self.end - self.start


def same_activity(a: str | None, b: str | None) -> bool:
    """Activity names compare as the classifier compares them: ignoring case."""
    return a is not None and b is not None and _folded(a) == _folded(b)


def _folded(name: str | None) -> str | None:
    return None if name is None else name.strip().casefold()


def relative(classification: Classification, activity: str | None, priority: str | None) -> Classification:
    """The class of a window classified against some priority, judged against
    ``priority`` (e.g. the part of an event that ran on past a change of priority).

    A window of the new priority's activity is on priority; the old priority's
    window becomes a productive distraction (the activity's kind is not stored:
    a priority is productive work in all but odd cases, and this concerns the
    second or two before the next sample); every other class does not depend on
    the priority."""
    if same_activity(activity, priority):
        return Classification.PRIORITY
    if classification is Classification.PRIORITY:
        return Classification.PRODUCTIVE_DISTRACTION
    return classification


class DeclaredPriorities:
    """The day's declarations in time order: which priority was in force when."""

    def __init__(self, declarations: Iterable[Declaration] = ()) -> None:
        self.times: list[float] = []
        self.declarations: list[Declaration] = []
        for d in sorted(declarations, key=lambda d: d.at):
            self.add(d)

    def add(self, d: Declaration) -> bool:
        """Adds ``d`` in its place; False when it was known already."""
        i = bisect_right(self.times, d.at)
        if i and self.declarations[i - 1] == d:
            return False
        self.times.insert(i, d.at)
        self.declarations.insert(i, d)
        return True

    def index(self, t: float) -> int:
        """How many declarations were made by ``t``: 0 before the first."""
        return bisect_right(self.times, t)

    def priority(self, index: int) -> str | None:
        return self.declarations[index - 1].activity if index > 0 else None

    def parts(self, a: float, b: float) -> Iterator[tuple[float, float, int]]:
        """[a, b) cut at each declaration inside it, with the index of each part."""
        i = self.index(a)
        while a < b:
            stop = min(b, self.times[i]) if i < len(self.times) else b
            yield a, stop, i
            a, i = stop, i + 1

    def judged(self, classification: Classification, activity: str | None, index: int) -> Classification:
        """The class of time spent under declaration ``index`` (before the first one,
        with no priority to be on or off, the class stays as stored)."""
        return relative(classification, activity, self.priority(index)) if index else classification


@dataclass(frozen=True, slots=True)
class PriorityPeriod:
    """A stretch of the day under one priority, from its declaration to the next
    declaration of another activity (None: before the day's first declaration)."""

    start: float
    end: float
    priority: str | None
    next_step: str
    seconds: dict[str, float]

    @property
    def focus_ratio(self) -> float | None:
        return focus_ratio_of(self.seconds)


@dataclass(frozen=True)
class DaySummary:
    """One local day. ``seconds`` and every hour bin have all Classification keys.

    ``longest_priority_streak_seconds`` is the most priority time in one run of
    the timeline: a run goes on through priority and neutral segments (a file
    manager, FocusGuard's own window) -- neutral time bridges but is not counted --
    and is broken by any other classification (off-priority, idle, paused,
    private), by a hole in the log longer than the store's max_gap, or by a
    change to another priority: each streak belongs to one priority
    (``longest_priority_streak_on``).

    ``by_priority`` maps each activity declared that day, in the order first
    declared, to the priority time spent while it was the priority; ``periods``
    cuts the day at each change of priority (the stretch before the first
    declaration only when something was recorded in it)."""

    date: date
    priority: str | None
    next_step: str
    declarations: tuple[Declaration, ...]
    seconds: dict[str, float]
    focus_ratio: float | None
    longest_priority_streak_seconds: float
    top_off_priority: tuple[OffPriorityItem, ...]
    nudges: tuple[NudgeRecord, ...]
    hours: tuple[dict[str, float], ...]
    timeline: tuple[Segment, ...]
    by_priority: dict[str, float]
    periods: tuple[PriorityPeriod, ...]
    longest_priority_streak_on: str | None

    @property
    def changed(self) -> bool:
        """More than one priority today."""
        return len(self.by_priority) > 1



def _zero() -> dict[str, float]:
    return {c.value: 0.0 for c in Classification}


def summarize_day(store: DayLog, day: date, tz: tzinfo | None = None) -> DaySummary:
    start, end = day_bounds(day, tz)
    declarations = tuple(store.declarations(start, end))
    declared = DeclaredPriorities(declarations)
    timeline = _clip(store.events(start, end), start, end, declared)
    seconds = _zero()
    for s in timeline:
        seconds[s.classification] += s.end - s.start
    latest = declarations[-1] if declarations else None
    streak, streak_on = _longest_streak(timeline, store.max_gap)
    return DaySummary(
        date=day,
        priority=latest.activity if latest else None,
        next_step=latest.next_step if latest else "",
        declarations=declarations,
        seconds=seconds,
        focus_ratio=focus_ratio_of(seconds),
        longest_priority_streak_seconds=streak,
        top_off_priority=_top_off_priority(timeline),
        nudges=tuple(store.nudges(start, end)),
        hours=_hours(timeline, start, end, tz),
        timeline=timeline,
        by_priority=_by_priority(declarations, timeline),
        periods=_periods(declarations, timeline, start, end),
        longest_priority_streak_on=streak_on,
    )


def _clip(events: Sequence[Event], start: float, end: float, declared: DeclaredPriorities) -> tuple[Segment, ...]:
    """Clip to [start, end), drop overlaps (a clock set back can make two events
    cover the same instant; that instant is counted once, for the first), and cut
    at each declaration (see the module docstring)."""
    return tuple(Segment(a, b, classification, e.activity, e.app, e.title, declared.priority(i))
                 for a, b, i, classification, e in _clipped(events, start, end, declared))


def _clipped(events: Sequence[Event], start: float, end: float,
             declared: DeclaredPriorities) -> Iterator[tuple[float, float, int, Classification, Event]]:
    """``_clip``'s walk: each part, with its declaration's index, its class as judged
    under that declaration, and its event."""
    cursor = start
    for e in events:
        s, t = max(e.start, cursor), min(e.end, end)
        if t <= s:
            continue
        for a, b, i in declared.parts(s, t):
            yield a, b, i, declared.judged(e.classification, e.activity, i), e
        cursor = t


@dataclass(frozen=True, slots=True)
class DayTotals:
    """A day's seconds by class and its focus ratio, as ``summarize_day`` counts them,
    without the rest: the week's average before a day's figures reads only these, for
    seven days, and building the seven days whole was most of a one-day report's time
    on merged data (issue 16)."""

    date: date
    seconds: dict[str, float]

    @property
    def focus_ratio(self) -> float | None:
        return focus_ratio_of(self.seconds)


def day_totals(store: DayLog, day: date, tz: tzinfo | None = None) -> DayTotals:
    start, end = day_bounds(day, tz)
    seconds = _zero()
    for a, b, _i, classification, _e in _clipped(store.events(start, end), start, end,
                                                 DeclaredPriorities(store.declarations(start, end))):
        seconds[classification] += b - a
    return DayTotals(day, seconds)


def focus_ratio_of(seconds: dict[str, float]) -> float | None:
    """Priority share of the time that was either priority or off-priority."""
    priority = seconds[Classification.PRIORITY]
    total = priority + sum(seconds[c] for c in OFF_PRIORITY)
    return priority / total if total > 0 else None


class StreakCounter:
    """The longest run of priority time (see ``DaySummary``), fed in time order."""

    def __init__(self, max_gap: float) -> None:
        self.max_gap = max_gap
        self.longest = 0.0
        self.longest_on: str | None = None
        self._run = 0.0
        self._on: str | None = None
        self._previous_end: float | None = None

    def add(self, a: float, b: float, classification: Classification, priority: str | None) -> None:
        if self._previous_end is not None and a - self._previous_end > self.max_gap:
            self._run = 0.0
        if classification is Classification.PRIORITY:
            if _folded(priority) != _folded(self._on):
                self._run, self._on = 0.0, priority
            self._run += b - a
            if self._run > self.longest:
                self.longest, self.longest_on = self._run, self._on
        elif classification is not Classification.NEUTRAL:
            self._run = 0.0
        self._previous_end = b


def _longest_streak(timeline: tuple[Segment, ...], max_gap: float) -> tuple[float, str | None]:
    counter = StreakCounter(max_gap)
    for s in timeline:
        counter.add(s.start, s.end, s.classification, s.priority)
    return counter.longest, counter.longest_on


OffPriorityKey = tuple[str | None, str, str, str | None]  # activity, app, title, the priority it was off


def rank_off_priority(totals: dict[OffPriorityKey, float],
                      limit: int = TOP_OFF_PRIORITY) -> tuple[OffPriorityItem, ...]:
    """The windows with the most off-priority time, most first (ties by name)."""
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0][0] or "", kv[0][1], kv[0][2], kv[0][3] or ""))
    return tuple(OffPriorityItem(a, app, title, sec, p) for (a, app, title, p), sec in ranked[:limit])


def _top_off_priority(timeline: tuple[Segment, ...]) -> tuple[OffPriorityItem, ...]:
    totals: dict[OffPriorityKey, float] = {}
    for s in timeline:
        if s.classification in OFF_PRIORITY:
            key = (s.activity, s.app, s.title, s.priority)
            totals[key] = totals.get(key, 0.0) + s.end - s.start
    return rank_off_priority(totals)


def priority_names(declarations: Iterable[Declaration]) -> dict[str, float]:
    """Each declared activity once (the first spelling), in the order first declared, at 0."""
    names: dict[str, float] = {}
    for d in declarations:
        if not any(same_activity(d.activity, known) for known in names):
            names[d.activity] = 0.0
    return names


def priority_key(names: dict[str, float], priority: str) -> str:
    """The spelling ``names`` files ``priority`` under."""
    return next((known for known in names if same_activity(known, priority)), priority)


def _by_priority(declarations: tuple[Declaration, ...], timeline: tuple[Segment, ...]) -> dict[str, float]:
    totals = priority_names(declarations)
    for s in timeline:
        if s.classification is Classification.PRIORITY and s.priority is not None:
            totals[priority_key(totals, s.priority)] += s.seconds
    return totals


def _periods(declarations: tuple[Declaration, ...], timeline: tuple[Segment, ...],
             start: float, end: float) -> tuple[PriorityPeriod, ...]:
    """The day cut at each change of priority (a new next step alone is no change)."""
    cuts: list[tuple[float, str | None, str]] = [(start, None, "")]
    for d in declarations:
        if same_activity(d.activity, cuts[-1][1]):
            cuts[-1] = (cuts[-1][0], cuts[-1][1], d.next_step)
        else:
            cuts.append((d.at, d.activity, d.next_step))
    bounds = [c[0] for c in cuts[1:]]
    totals = [_zero() for _ in cuts]
    for s in timeline:
        totals[bisect_right(bounds, s.start)][s.classification] += s.seconds
    periods = [
        PriorityPeriod(at, (bounds[i] if i < len(bounds) else end), priority, step, totals[i])
        for i, (at, priority, step) in enumerate(cuts)
    ]
    if periods[0].end <= periods[0].start or not any(periods[0].seconds.values()):
        periods = periods[1:]  # nothing before the first declaration
    return tuple(periods)


def hour_starts(start: float, end: float, tz: tzinfo | None) -> tuple[list[float], list[int]]:
    """The instants in [start, end) where a local hour begins, and which hour.

    Found by reading the local clock at each UTC quarter hour, so a DST day gets
    23 starts (no 02:00) or 25 (02:00 twice: that bin holds two hours)."""
    instants, hours = [start], [local(start, tz).hour]
    t = start - start % _QUARTER_HOUR + _QUARTER_HOUR
    while t < end:
        wall = local(t, tz)
        if wall.minute == 0 and wall.second == 0:
            instants.append(t)
            hours.append(wall.hour)
        t += _QUARTER_HOUR
    return instants, hours


def _hours(timeline: tuple[Segment, ...], start: float, end: float, tz: tzinfo | None) -> tuple[dict[str, float], ...]:
    bins = [_zero() for _ in range(24)]
    instants, hours = hour_starts(start, end, tz)
    edges = [*instants, end]
    for s in timeline:
        i = bisect_right(edges, s.start) - 1
        t = s.start
        while t < s.end:
            stop = min(s.end, edges[i + 1])
            bins[hours[i]][s.classification] += stop - t
            t = stop
            i += 1
    return tuple(bins)

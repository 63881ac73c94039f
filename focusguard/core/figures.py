"""The figures around a day's summary and over a range of days: time per activity,
recoveries after a nudge, changes of priority, the week's average, the 30-day range.

Everything here is read from ``summarize_day`` (one source of truth: the popup,
``focusguard report``, the exports and the review all show the same numbers) plus
the store's journal. Qt-free, so the CLI and the app share it.

Words used below:

- a *tracked* day has some active time (priority, off-priority or neutral); a day
  the computer stayed off is a gap, not a day of zero focus, so averages skip it;
- *recovery* is the time from a nudge to the start of the next priority segment
  that same day (None when the user never came back to the priority that day);
- the review *period* is the 30 days before the day it is offered.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from typing import Protocol, runtime_checkable

from focusguard.core import palette
from focusguard.core.model import OFF_PRIORITY, Answer, Classification, Journal
from focusguard.core.summary import DayLog, DaySummary, DayTotals, day_totals, summarize_day

AVERAGE_DAYS = 7


REVIEW_DAYS = 30
#: Off-priority activities the review lists (and asks about).
REVIEW_TOP_ACTIVITIES = 8


UNCLASSIFIED_NAME = "Unclassified"


ACTIVE = frozenset({Classification.PRIORITY, Classification.NEUTRAL, *OFF_PRIORITY})


class ReviewStore(DayLog, Protocol):
    """The part of ``focusguard.store.Store`` this module uses (the core imports no store)."""

    def journal(self, day: date) -> Journal | None: ...
    def get_meta(self, key: str) -> str | None: ...
    def set_meta(self, key: str, value: str) -> None: ...


@runtime_checkable
class KeepsDays(Protocol):
    """A log that keeps finished days' summaries (``focusguard.call_view.CallCountedLog``,
    issue 16): ``kept_summary`` is ``summarize_day``'s result, or None for a day it
    cannot keep (not over yet), which is then computed as usual."""

    def kept_summary(self, day: date, tz: tzinfo | None = None) -> DaySummary | None: ...
    def kept_totals(self, day: date, tz: tzinfo | None = None) -> DayTotals | None: ...


def _summary(store: ReviewStore, day: date, tz: tzinfo | None) -> DaySummary:
    kept = store.kept_summary(day, tz) if isinstance(store, KeepsDays) else None
    return kept if kept is not None else summarize_day(store, day, tz)


def _totals(store: ReviewStore, day: date, tz: tzinfo | None) -> RatedTally:
    """A day's seconds for the week's average: a kept summary's, else counted alone."""
    kept = store.kept_totals(day, tz) if isinstance(store, KeepsDays) else None
    return kept if kept is not None else day_totals(store, day, tz)


def answer_key(answer: Answer | None) -> str | None:
    return None if answer is None else answer.value


class Tally(Protocol):
    """Seconds by classification value: a finished day's (DaySummary) or today's so far
    (LiveDayFigures)."""

    @property
    def seconds(self) -> Mapping[str, float]: ...


def tracked_seconds(summary: Tally) -> float:
    return sum(summary.seconds[c.value] for c in ACTIVE)


@dataclass(frozen=True, slots=True)
class ActivityTime:
    """Time spent on one activity (``Unclassified`` for windows no rule matched),
    and the classification most of it had, which gives its colour."""

    name: str
    seconds: float
    classification: Classification

    @property
    def colour(self) -> str:
        return palette.colour(self.classification)


@dataclass(frozen=True, slots=True)
class Recovery:
    """A nudge and how long it took to get back to the priority (None: not that day)."""

    at: float
    activity: str | None
    answer: Answer | None
    seconds: float | None


@dataclass(frozen=True, slots=True)
class PriorityChange:
    at: float
    before: str
    after: str
    next_step: str


@dataclass(frozen=True, slots=True)
class WeekAverage:
    """The mean over the tracked days among the ``AVERAGE_DAYS`` before a day."""

    days: int
    priority_seconds: float
    focus_ratio: float | None


@dataclass(frozen=True)
class DayFigures:
    """Everything the summary popup shows for one day: the core's ``DaySummary`` and
    what is derived from it, the 7-day average and the saved journal."""

    summary: DaySummary
    average: WeekAverage
    activities: tuple[ActivityTime, ...]
    recoveries: tuple[Recovery, ...]
    changes: tuple[PriorityChange, ...]
    journal: Journal | None

    @property
    def answers(self) -> Counter[str | None]:
        """How many nudges got each answer (key None = unanswered)."""
        return Counter(answer_key(n.answer) for n in self.summary.nudges)

    @property
    def median_recovery_seconds(self) -> float | None:
        known = [r.seconds for r in self.recoveries if r.seconds is not None]
        return _median(known) if known else None



def activity_times(summary: DaySummary) -> tuple[ActivityTime, ...]:
    """Active time per activity, most first. Idle, paused and private time belong to
    no activity; neutral windows no rule named are left out too (nothing to learn)."""
    return _activity_times(
        (s.activity, s.classification, s.seconds) for s in summary.timeline if s.classification in ACTIVE
    )


def _activity_times(
    parts: Iterable[tuple[str | None, Classification, float]],
) -> tuple[ActivityTime, ...]:
    seconds: dict[str, dict[Classification, float]] = {}
    for activity, classification, secs in parts:
        if activity is None and classification is not Classification.UNCLASSIFIED:
            continue
        by = seconds.setdefault(activity or UNCLASSIFIED_NAME, {})
        by[classification] = by.get(classification, 0) + secs
    # max() keeps the first of equals, as Counter.most_common(1) did.
    times = [ActivityTime(name, sum(by.values()), max(by, key=by.__getitem__)) for name, by in seconds.items()]
    return tuple(sorted(times, key=lambda a: (-a.seconds, a.name)))


def recoveries(summary: DaySummary) -> tuple[Recovery, ...]:
    """For each nudge, the time until the next priority segment begins (0 if the
    nudge fell inside one, e.g. answered "back" the instant it appeared)."""
    priority = [s for s in summary.timeline if s.classification is Classification.PRIORITY]
    out = []
    for n in summary.nudges:
        back = next((max(0.0, s.start - n.at) for s in priority if s.end > n.at), None)
        out.append(Recovery(n.at, n.activity, n.answer, back))
    return tuple(out)


def priority_changes(summary: DaySummary) -> tuple[PriorityChange, ...]:
    """Re-declarations of a different activity during the day (a new next step alone is not a change)."""
    decl = summary.declarations
    return tuple(
        PriorityChange(b.at, a.activity, b.activity, b.next_step)
        for a, b in itertools.pairwise(decl)  # each with the next
        if a.activity.casefold() != b.activity.casefold()
    )


def _median(values: Sequence[float]) -> float:
    """The median of a non-empty sequence (``statistics`` would load fractions and
    decimal, a megabyte, into the running app for this)."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


class RatedTally(Tally, Protocol):
    """A day's seconds and focus ratio: what an average over days reads."""

    @property
    def focus_ratio(self) -> float | None: ...


def week_average(summaries: Sequence[RatedTally]) -> WeekAverage:
    """Mean priority time and mean focus ratio over the tracked days given."""
    tracked = [s for s in summaries if tracked_seconds(s) > 0]
    ratios = [s.focus_ratio for s in tracked if s.focus_ratio is not None]
    return WeekAverage(
        days=len(tracked),
        priority_seconds=sum(s.seconds["priority"] for s in tracked) / len(tracked) if tracked else 0.0,
        focus_ratio=sum(ratios) / len(ratios) if ratios else None,
    )


def day_figures(store: ReviewStore, day: date, tz: tzinfo | None = None) -> DayFigures:
    summary = _summary(store, day, tz)
    before = [_totals(store, day - timedelta(days=n), tz) for n in range(1, AVERAGE_DAYS + 1)]
    return DayFigures(
        summary=summary,
        average=week_average(before),
        activities=activity_times(summary),
        recoveries=recoveries(summary),
        changes=priority_changes(summary),
        journal=store.journal(day),
    )


@dataclass(frozen=True)
class RangeSummary:
    """Consecutive local days, ``first`` to ``last`` inclusive, each summarised."""

    days: tuple[DaySummary, ...]

    @property
    def first(self) -> date:
        return self.days[0].date

    @property
    def last(self) -> date:
        return self.days[-1].date

    @property
    def tracked(self) -> tuple[DaySummary, ...]:
        return tuple(d for d in self.days if tracked_seconds(d) > 0)

    @property
    def average(self) -> WeekAverage:
        return week_average(self.days)

    @property
    def seconds(self) -> dict[str, float]:
        total: dict[str, float] = {}
        for d in self.days:
            for key, secs in d.seconds.items():
                total[key] = total.get(key, 0) + secs
        return {c.value: total.get(c.value, 0) for c in Classification}

    @property
    def focus_ratio(self) -> float | None:
        """Over the whole range, weighted by time (a long day counts more than a short one)."""
        seconds = self.seconds
        priority = seconds["priority"]
        total = priority + sum(seconds[c.value] for c in OFF_PRIORITY)
        return priority / total if total else None

    @property
    def off_priority(self) -> tuple[ActivityTime, ...]:
        """Off-priority time per activity over the range, most first."""
        return _activity_times(
            (s.activity, s.classification, s.seconds)
            for d in self.days for s in d.timeline if s.classification in OFF_PRIORITY
        )

    @property
    def activities(self) -> tuple[ActivityTime, ...]:
        """Active time per activity over the range (priority days included), most first."""
        return _activity_times(
            (s.activity, s.classification, s.seconds)
            for d in self.days for s in d.timeline if s.classification in ACTIVE
        )

    @property
    def answers(self) -> Counter[str | None]:
        return Counter(answer_key(n.answer) for d in self.days for n in d.nudges)

    @property
    def median_recovery_seconds(self) -> float | None:
        known = [r.seconds for d in self.days for r in recoveries(d) if r.seconds is not None]
        return _median(known) if known else None

    @property
    def days_without_priority(self) -> tuple[date, ...]:
        """Tracked days with no declaration: the days off are not held against anyone."""
        return tuple(d.date for d in self.tracked if d.priority is None)



def summarize_range(store: ReviewStore, first: date, last: date, tz: tzinfo | None = None) -> RangeSummary:
    if last < first:
        raise ValueError(f"the range ends ({last}) before it starts ({first})")
    count = (last - first).days + 1
    return RangeSummary(tuple(_summary(store, first + timedelta(days=n), tz) for n in range(count)))


def parse_range(text: str, today: date) -> tuple[date, date]:
    """'7d' / '30d' (the N days ending today) or 'FROM:TO' (ISO dates, inclusive)."""
    text = text.strip()
    if text.endswith("d") and text[:-1].isdigit():
        n = int(text[:-1])
        if n < 1:
            raise ValueError("a range needs at least one day: 1d, 7d, 30d...")
        return today - timedelta(days=n - 1), today
    first, sep, last = text.partition(":")
    try:
        if not sep:
            raise ValueError
        start, end = date.fromisoformat(first), date.fromisoformat(last)
    except ValueError:
        raise ValueError(f"not a range: {text!r} (use 7d, 30d or YYYY-MM-DD:YYYY-MM-DD)") from None
    if end < start:
        raise ValueError(f"the range ends ({end}) before it starts ({start})")
    return start, end


def review_period(today: date) -> tuple[date, date]:
    """The REVIEW_DAYS days ending ``today``: the day so far counts (a review opened in
    the evening, or on a first month's last day, would otherwise miss the day just lived)."""
    return today - timedelta(days=REVIEW_DAYS - 1), today

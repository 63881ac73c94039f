"""What a local day looked like: time per classification, focus ratio, the longest
priority streak, where the off-priority time went, the nudges and their answers.

Days are local calendar days and can be 23 or 25 hours long: ``day_bounds`` asks
the zone's rules for each midnight instead of adding 24 hours or reusing today's
UTC offset. Events are clipped to the day, so an event spanning midnight counts
on both days, each for its own part. Every second of the day's timeline lands in
exactly one classification and one local-hour bin, so the totals add up.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING

from focusguard.core.model import Classification, Declaration, OFF_PRIORITY

if TYPE_CHECKING:  # the store imports day_bounds from here; core needs no store at runtime
    from focusguard.store import Event, NudgeRecord, Store

TOP_OFF_PRIORITY = 10
_QUARTER_HOUR = 900  # every UTC offset in use is a multiple of 15 minutes


def day_bounds(day: date, tz: tzinfo | None = None) -> tuple[float, float]:
    """[local midnight, next local midnight) of ``day`` as POSIX times.

    ``tz=None`` is the system's local zone through the C library (a naive
    datetime's ``timestamp()``), which applies the offset valid on that date,
    unlike a fixed tzinfo taken from ``datetime.now().astimezone()``."""
    return _midnight(day, tz), _midnight(day + timedelta(days=1), tz)


def _midnight(day: date, tz: tzinfo | None) -> float:
    return datetime(day.year, day.month, day.day, tzinfo=tz).timestamp()


def _local(t: float, tz: tzinfo | None) -> datetime:
    return datetime.fromtimestamp(t, tz)


def _iso(t: float, tz: tzinfo | None) -> str:
    """ISO 8601 with the offset valid at ``t`` (astimezone(None) = the system zone)."""
    return datetime.fromtimestamp(t, timezone.utc).astimezone(tz).isoformat()


@dataclass(frozen=True, slots=True)
class OffPriorityItem:
    activity: str | None
    app: str
    title: str
    seconds: float


@dataclass(frozen=True, slots=True)
class Segment:
    """An event clipped to the day."""

    start: float
    end: float
    classification: Classification
    activity: str | None
    app: str
    title: str

    @property
    def seconds(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class DaySummary:
    """One local day. ``seconds`` and every hour bin have all Classification keys.

    ``longest_priority_streak_seconds`` is the most priority time in one run of
    the timeline: a run goes on through priority and neutral segments (a file
    manager, FocusGuard's own window) -- neutral time bridges but is not counted --
    and is broken by any other classification (off-priority, idle, paused,
    private) or by a hole in the log longer than the store's max_gap."""

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

    def to_json(self, tz: tzinfo | None = None) -> dict:
        """Plain JSON types; seconds rounded to milliseconds, times ISO 8601 local with offset."""
        return {
            "date": self.date.isoformat(),
            "priority": self.priority,
            "next_step": self.next_step,
            "seconds": _rounded(self.seconds),
            "focus_ratio": self.focus_ratio,
            "longest_priority_streak_seconds": round(self.longest_priority_streak_seconds, 3),
            "top_off_priority": [
                {"activity": i.activity, "app": i.app, "title": i.title, "seconds": round(i.seconds, 3)}
                for i in self.top_off_priority
            ],
            "nudges": [
                {
                    "at": _iso(n.at, tz),
                    "activity": n.activity,
                    "classification": n.classification.value,
                    "level": n.level,
                    "answer": None if n.answer is None else n.answer.value,
                }
                for n in self.nudges
            ],
            "hours": [_rounded(h) for h in self.hours],
        }


def _rounded(seconds: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 3) for k, v in seconds.items()}


def _zero() -> dict[str, float]:
    return {c.value: 0.0 for c in Classification}


def summarize_day(store: Store, day: date, tz: tzinfo | None = None) -> DaySummary:
    start, end = day_bounds(day, tz)
    timeline = _clip(store.events(start, end), start, end)
    seconds = _zero()
    for s in timeline:
        seconds[s.classification] += s.end - s.start
    declarations = tuple(store.declarations(start, end))
    latest = declarations[-1] if declarations else None
    return DaySummary(
        date=day,
        priority=latest.activity if latest else None,
        next_step=latest.next_step if latest else "",
        declarations=declarations,
        seconds=seconds,
        focus_ratio=_focus_ratio(seconds),
        longest_priority_streak_seconds=_longest_streak(timeline, store.max_gap),
        top_off_priority=_top_off_priority(timeline),
        nudges=tuple(store.nudges(start, end)),
        hours=_hours(timeline, start, end, tz),
        timeline=timeline,
    )


def _clip(events: list[Event], start: float, end: float) -> tuple[Segment, ...]:
    """Clip to [start, end) and drop overlaps (a clock set back can make two
    events cover the same instant; that instant is counted once, for the first)."""
    out: list[Segment] = []
    cursor = start
    for e in events:
        s, t = max(e.start, cursor), min(e.end, end)
        if t > s:
            out.append(Segment(s, t, e.classification, e.activity, e.app, e.title))
            cursor = t
    return tuple(out)


def _focus_ratio(seconds: dict[str, float]) -> float | None:
    """Priority share of the time that was either priority or off-priority."""
    priority = seconds[Classification.PRIORITY]
    total = priority + sum(seconds[c] for c in OFF_PRIORITY)
    return priority / total if total > 0 else None


def _longest_streak(timeline: tuple[Segment, ...], max_gap: float) -> float:
    best = run = 0.0
    previous_end: float | None = None
    for s in timeline:
        if previous_end is not None and s.start - previous_end > max_gap:
            run = 0.0
        if s.classification is Classification.PRIORITY:
            run += s.end - s.start
            best = max(best, run)
        elif s.classification is not Classification.NEUTRAL:
            run = 0.0
        previous_end = s.end
    return best


def _top_off_priority(timeline: tuple[Segment, ...]) -> tuple[OffPriorityItem, ...]:
    totals: dict[tuple[str | None, str, str], float] = {}
    for s in timeline:
        if s.classification in OFF_PRIORITY:
            key = (s.activity, s.app, s.title)
            totals[key] = totals.get(key, 0.0) + s.end - s.start
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0][0] or "", kv[0][1], kv[0][2]))
    return tuple(OffPriorityItem(a, app, title, sec) for (a, app, title), sec in ranked[:TOP_OFF_PRIORITY])


def _hour_starts(start: float, end: float, tz: tzinfo | None) -> tuple[list[float], list[int]]:
    """The instants in [start, end) where a local hour begins, and which hour.

    Found by reading the local clock at each UTC quarter hour, so a DST day gets
    23 starts (no 02:00) or 25 (02:00 twice: that bin holds two hours)."""
    instants, hours = [start], [_local(start, tz).hour]
    t = start - start % _QUARTER_HOUR + _QUARTER_HOUR
    while t < end:
        local = _local(t, tz)
        if local.minute == 0 and local.second == 0:
            instants.append(t)
            hours.append(local.hour)
        t += _QUARTER_HOUR
    return instants, hours


def _hours(timeline: tuple[Segment, ...], start: float, end: float, tz: tzinfo | None) -> tuple[dict[str, float], ...]:
    bins = [_zero() for _ in range(24)]
    instants, hours = _hour_starts(start, end, tz)
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

"""A finished day's summary, kept with a stamp of everything it was computed from.

Merging five computers' events for a day, counting its answered calls and clipping
it into segments is most of a report's time (issue 16), and a finished day's result
only changes when one of its inputs does: a merge bringing another device's events
for it, a declaration, a call answered later, a change of the chill-call times or of
an activity's ``calls_count_as_priority``, another time zone. So the store keeps,
per day, the summary and a *stamp* of those inputs, and a report uses the kept
summary only when the stamp taken now is the same (``focusguard.day_cache`` reads
the inputs; this module says what a stamp holds and how a summary is written down).

The day's declarations and nudges are not kept: they are read fresh each time (a
handful of rows) and the declarations are part of the stamp, since the timeline is
cut at them. Pure: no store, no Qt.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, tzinfo
from typing import Any

from focusguard.core.model import Classification, Declaration, NudgeRecord
from focusguard.core.summary import (
    DaySummary,
    OffPriorityItem,
    PriorityPeriod,
    Segment,
    focus_ratio_of,  # summarize_day's own
    hour_starts,  # the hour bins' edges, DST included
)
from focusguard.core.timefmt import day_bounds

#: Bump whenever what ``summarize_day`` or the call counting computes changes: every
#: kept day is then computed again (the version is part of the stamp).
VERSION = 3

_CLASSIFICATIONS = {c.value: c for c in Classification}


@dataclass(frozen=True, slots=True)
class DayInputs:
    """What a day's summary is computed from, as the store's queries found it.

    ``view``: whose merge (this device's id; "" for one device's log alone);
    ``max_gap``: the streaks' gap; ``declarations``: the day's, in full; ``calls``:
    the day's answered calls as counted (each piece's start, end, class, activity,
    app and title: this holds the config's chill times and ``calls_count_as_priority``
    and the priorities in force, as they apply); ``events`` and ``synced``: summaries
    of this device's and the other devices' event rows that can reach the day (from
    ``focusguard.day_cache``: counts, ids, sums of times, the merged files' checksums)."""

    view: str
    max_gap: float
    declarations: Sequence[Declaration]
    calls: Sequence[Sequence[object]]
    events: Sequence[object]
    synced: Sequence[object]


def stamp(day: date, tz: tzinfo | None, inputs: DayInputs) -> str:
    """The stamp of ``day`` in ``tz`` computed from ``inputs``: equal stamps, equal
    summaries. The day's bounds and hour edges stand for the time zone (two zones
    that agree on both give the same timeline and hours; the calls' pieces carry
    what the zone does to the chill-call times)."""
    instants, hours = hour_starts(*day_bounds(day, tz), tz)
    return json.dumps([
        VERSION, day.isoformat(), instants, hours, inputs.view, inputs.max_gap,
        [[d.at, d.activity, d.next_step] for d in inputs.declarations],
        [list(piece) for piece in inputs.calls], list(inputs.events), list(inputs.synced),
    ], separators=(",", ":"))


def finished(day_end: float, now: float) -> bool:
    """A day can be kept once it is over: a day in progress (or one the clock, set
    back, is inside again) is always computed."""
    return day_end <= now


def encode(summary: DaySummary) -> str:
    """What is kept of ``summary``: everything but its declarations and nudges (read
    fresh, see the module docstring). Floats are written exactly (``repr``)."""
    return json.dumps({
        "seconds": summary.seconds,
        "streak": [summary.longest_priority_streak_seconds, summary.longest_priority_streak_on],
        "top": [[i.activity, i.app, i.title, i.seconds, i.priority] for i in summary.top_off_priority],
        "hours": list(summary.hours),
        "timeline": [[s.start, s.end, s.classification.value, s.activity, s.app, s.title, s.priority]
                     for s in summary.timeline],
        "by_priority": summary.by_priority,
        "periods": [[p.start, p.end, p.priority, p.next_step, p.seconds] for p in summary.periods],
    }, separators=(",", ":"), ensure_ascii=False)


def decode(text: str, day: date, declarations: Sequence[Declaration], nudges: Sequence[NudgeRecord]) -> DaySummary:
    """The summary ``encode`` kept, with the day's declarations and nudges as read now
    (``summarize_day``'s result, equal field by field)."""
    kept: dict[str, Any] = json.loads(text)
    classes = _CLASSIFICATIONS
    latest = declarations[-1] if declarations else None
    streak, streak_on = kept["streak"]
    return DaySummary(
        date=day,
        priority=latest.activity if latest else None,
        next_step=latest.next_step if latest else "",
        declarations=tuple(declarations),
        seconds=kept["seconds"],
        focus_ratio=focus_ratio_of(kept["seconds"]),
        longest_priority_streak_seconds=streak,
        top_off_priority=tuple(OffPriorityItem(*item) for item in kept["top"]),
        nudges=tuple(nudges),
        hours=tuple(kept["hours"]),
        timeline=tuple(Segment(a, b, classes[c], activity, app, title, priority)
                       for a, b, c, activity, app, title, priority in kept["timeline"]),
        by_priority=kept["by_priority"],
        periods=tuple(PriorityPeriod(*period) for period in kept["periods"]),
        longest_priority_streak_on=streak_on,
    )

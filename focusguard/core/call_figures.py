"""A day's figures with answered calls counted as the user said (issue 15).

The window log says what was in front during a call (a shared YouTube tab, the
notes); the answer says what the time was. So for the figures (time per class,
focus ratio, streaks, top off-priority) each answered call replaces the recorded
windows it covers: a value call is the priority when the priority then in force
has ``calls_count_as_priority``, else productive work ("Calls"); a chill call is
neutral inside ``[calls] chill_call_times`` and a distraction outside them ("Chill
calls"). Unanswered calls leave the windows as they were. Only recorded time is
replaced (paused time stays paused, and no time is invented where nothing was
recorded). Pure: no store, no Qt.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta, tzinfo

from focusguard.core.calls import Call, CallKind, TimeSlot, seconds_inside
from focusguard.core.model import Classification, Event
from focusguard.core.timefmt import local_date

#: The activity answered calls are filed under when they are not the priority.
VALUE_CALLS = "Calls"
CHILL_CALLS = "Chill calls"


@dataclass(frozen=True)
class Segment:
    """Part of a call and how it counts."""

    start: float
    end: float
    classification: Classification
    activity: str
    call: Call


def segments(call: Call, *, priority: str | None, priority_counts: bool, slots: Sequence[TimeSlot],
             tz: tzinfo | None = None) -> list[Segment]:
    """How an answered call counts, piece by piece; [] for one unanswered or still on.
    ``priority``: the priority in force when the call began; ``priority_counts``: its
    activity has ``calls_count_as_priority``."""
    if call.end is None or call.kind is CallKind.UNANSWERED:
        return []
    if call.kind is CallKind.VALUE:
        if priority is not None and priority_counts:
            return [Segment(call.start, call.end, Classification.PRIORITY, priority, call)]
        return [Segment(call.start, call.end, Classification.PRODUCTIVE_DISTRACTION, VALUE_CALLS, call)]
    return [Segment(lo, hi, Classification.NEUTRAL if inside else Classification.DISTRACTION, CHILL_CALLS, call)
            for lo, hi, inside in _chill_pieces(call.start, call.end, slots, tz)]


def _chill_pieces(start: float, end: float, slots: Sequence[TimeSlot],
                  tz: tzinfo | None) -> list[tuple[float, float, bool]]:
    """[start, end) cut wherever it enters or leaves a slot: (from, to, inside). Each
    piece then lies wholly inside the slots or wholly outside them."""
    cuts = {start, end}
    day, last = local_date(start, tz) - timedelta(days=1), local_date(end, tz)
    while day <= last:
        for slot in slots:
            span = slot.on(day, tz)
            if span is not None:
                cuts.update(t for t in span if start < t < end)
        day += timedelta(days=1)
    points = sorted(cuts)
    return [(lo, hi, seconds_inside(lo, hi, slots, tz) > 0) for lo, hi in itertools.pairwise(points)]


def counted(events: Sequence[Event], pieces: Sequence[Segment]) -> list[Event]:
    """``events`` with the parts each piece covers taken by the piece's class and
    activity (the call's app and title); paused parts stay paused. Each event is held
    against the pieces that can reach it only, and one that none covers is kept as it
    is: a month of five computers' events and a few calls a day made this most of a
    30-day report's time (issue 16)."""
    if not pieces:
        return list(events)
    ordered = sorted(pieces, key=lambda s: s.start)
    starts = [piece.start for piece in ordered]
    out: list[Event] = []
    first, previous = 0, -math.inf  # pieces before ``first`` end before the events to come
    for event in events:
        if event.start < previous:
            first = 0  # not in time order: every piece may reach this one again
        previous = event.start
        while first < len(ordered) and ordered[first].end <= event.start:
            first += 1
        at = event.start
        if event.classification is not Classification.PAUSED:
            for piece in ordered[first:bisect.bisect_left(starts, event.end, lo=first)]:
                lo, hi = max(piece.start, event.start), min(piece.end, event.end)
                if hi <= lo:
                    continue
                if lo > at:
                    out.append(replace(event, start=at, end=lo))
                out.append(replace(event, start=lo, end=hi, app=piece.call.app, title=piece.call.title, exe="",
                                   activity=piece.activity, classification=piece.classification))
                at = hi
        if at == event.start:
            out.append(event)
        elif at < event.end:
            out.append(replace(event, start=at, end=event.end))
    return out


def call_pieces(calls: Sequence[Call], *, priority_at: Callable[[float], str | None],
                counts_as_priority: Callable[[str], bool], slots: Sequence[TimeSlot],
                tz: tzinfo | None = None) -> list[Segment]:
    """The ``segments`` of every call of ``calls``, for ``counted``: ``priority_at(t)`` is
    the priority in force at ``t``, ``counts_as_priority(name)`` its activity's flag. All
    a day's answered calls change in its figures (a kept day's stamp holds them, issue 16)."""
    pieces: list[Segment] = []
    for call in calls:
        priority = priority_at(call.start)
        pieces += segments(call, priority=priority, priority_counts=priority is not None
                           and counts_as_priority(priority), slots=slots, tz=tz)
    return pieces

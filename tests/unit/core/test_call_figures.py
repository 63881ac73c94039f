"""Answered calls counted in the day's figures in place of the windows they covered."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from focusguard.core.call_figures import CHILL_CALLS, VALUE_CALLS, call_pieces, counted, segments
from focusguard.core.calls import Call, CallKind
from focusguard.core.config.slots import parse_slot
from focusguard.core.model import Classification, Event

C = Classification
TZ = ZoneInfo("Europe/Berlin")
LUNCH = (parse_slot("mon-fri 12:00-13:00"),)


def at(hour: int, minute: int = 0) -> float:
    return datetime(2026, 11, 26, hour, minute, tzinfo=TZ).timestamp()


def event(start: float, end: float, classification: Classification = C.DISTRACTION, activity: str | None = "Video",
          event_id: int = 1) -> Event:
    return Event(event_id, start, end, "firefox", "YouTube", "", activity, classification)


def totals(events: list[Event]) -> dict[Classification, float]:
    out: dict[Classification, float] = {}
    for e in events:
        out[e.classification] = out.get(e.classification, 0.0) + e.seconds
    return out


def test_a_value_call_is_the_priority_for_a_calls_activity_else_productive() -> None:
    call = Call(at(10), at(10, 30), "Zoom", "Zoom Meeting", CallKind.VALUE)
    events = [event(at(9, 50), at(10, 40))]
    as_priority = counted(events, segments(call, priority="Sales", priority_counts=True, slots=()))
    assert [(e.start, e.end, e.classification, e.activity, e.app) for e in as_priority] == [
        (at(9, 50), at(10), C.DISTRACTION, "Video", "firefox"),
        (at(10), at(10, 30), C.PRIORITY, "Sales", "Zoom"),
        (at(10, 30), at(10, 40), C.DISTRACTION, "Video", "firefox"),
    ]
    productive = counted(events, segments(call, priority="Sales", priority_counts=False, slots=()))
    assert productive[1].classification is C.PRODUCTIVE_DISTRACTION and productive[1].activity == VALUE_CALLS


def test_a_chill_call_is_neutral_in_its_slot_and_a_distraction_outside() -> None:
    call = Call(at(12, 40), at(13, 20), "Discord", "", CallKind.CHILL)
    events = [event(at(12, 40), at(13, 20), C.PRIORITY, "Sales")]
    out = counted(events, segments(call, priority="Sales", priority_counts=True, slots=LUNCH, tz=TZ))
    assert [(e.start, e.end, e.classification, e.activity) for e in out] == [
        (at(12, 40), at(13), C.NEUTRAL, CHILL_CALLS), (at(13), at(13, 20), C.DISTRACTION, CHILL_CALLS)]


def test_unanswered_calls_and_paused_time_stay_as_recorded() -> None:
    unanswered = Call(at(10), at(11), "Zoom", "")
    events = [event(at(10), at(10, 30)), event(at(10, 30), at(11), C.PAUSED, None, 2)]
    assert counted(events, segments(unanswered, priority="Sales", priority_counts=True, slots=())) == events
    value = Call(at(10), at(11), "Zoom", "", CallKind.VALUE)
    out = counted(events, segments(value, priority="Sales", priority_counts=True, slots=()))
    assert totals(out) == {C.PRIORITY: 1800, C.PAUSED: 1800}


def test_the_priority_in_force_when_the_call_began_decides() -> None:
    call = Call(at(10), at(10, 30), "Zoom", "", CallKind.VALUE)
    sales = call_pieces([call], priority_at=lambda t: "Sales" if t >= at(9) else None,
                        counts_as_priority=lambda name: name == "Sales", slots=())
    out = counted([event(at(10), at(10, 30))], sales)
    assert out[0].classification is C.PRIORITY
    nothing = call_pieces([call], priority_at=lambda t: None, counts_as_priority=lambda name: True, slots=())
    none = counted([event(at(10), at(10, 30))], nothing)
    assert none[0].classification is C.PRODUCTIVE_DISTRACTION


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 600), st.integers(1, 120)), min_size=1, max_size=8),
       st.integers(0, 700), st.integers(1, 300), st.sampled_from(list(CallKind)))
def test_counting_calls_keeps_every_recorded_second(spans: list, call_at: int, call_len: int, kind: CallKind) -> None:
    """Time is moved between classes, never made or lost: the total recorded stays the same."""
    base, start, events = at(8), 0, []
    for gap, length in spans:
        start += gap
        events.append(event(base + start * 10, base + (start + length) * 10))
        start += length
    call = Call(base + call_at * 10, base + (call_at + call_len) * 10, "Zoom", "", kind)
    out = counted(events, segments(call, priority="Sales", priority_counts=True, slots=LUNCH, tz=TZ))
    assert sum(e.seconds for e in out) == sum(e.seconds for e in events)
    assert all(e.end > e.start for e in out)


def counted_one_by_one(events: list[Event], pieces: list) -> list[Event]:
    """``counted`` as first written: every event against every piece, each copied."""
    out: list[Event] = []
    for e in events:
        t = e.start
        for piece in sorted(pieces, key=lambda s: s.start):
            lo, hi = max(piece.start, e.start), min(piece.end, e.end)
            if hi <= lo or e.classification is C.PAUSED:
                continue
            if lo > t:
                out.append(Event(e.id, t, lo, e.app, e.title, e.exe, e.activity, e.classification))
            out.append(Event(e.id, lo, hi, piece.call.app, piece.call.title, "", piece.activity, piece.classification))
            t = hi
        if t < e.end:
            out.append(Event(e.id, t, e.end, e.app, e.title, e.exe, e.activity, e.classification))
    return out


def test_a_call_counts_over_an_event_listed_after_a_later_one() -> None:
    """A database from before the store stopped making overlaps (a clock set back)."""
    events = [event(at(11), at(11, 30)), event(at(10), at(10, 30), event_id=2)]
    pieces = segments(Call(at(10), at(10, 30), "Zoom", "", CallKind.VALUE), priority="Sales",
                      priority_counts=True, slots=())
    assert counted(events, pieces) == counted_one_by_one(events, pieces)
    assert totals(counted(events, pieces)) == {C.DISTRACTION: 1800, C.PRIORITY: 1800}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(-30, 600), st.integers(1, 120), st.booleans()), min_size=1, max_size=12),
       st.lists(st.tuples(st.integers(0, 900), st.integers(1, 300), st.sampled_from(list(CallKind))), max_size=5))
def test_counting_many_calls_over_many_events_is_each_event_against_each_call(
        spans: list, calls: list) -> None:
    """The same result as the obvious way, for events in time order or not (a gap below
    zero: a clock set back), paused or not, and calls one after another or overlapping."""
    base, start, events = at(8), 0, []
    for n, (gap, length, paused) in enumerate(spans):
        start += gap
        events.append(event(base + start * 10, base + (start + length) * 10, C.PAUSED if paused else C.DISTRACTION,
                            None if paused else "Video", n))
        start += length
    pieces = [piece for call_at, length, kind in calls
              for piece in segments(Call(base + call_at * 10, base + (call_at + length) * 10, "Zoom", "", kind),
                                    priority="Sales", priority_counts=False, slots=LUNCH, tz=TZ)]
    assert counted(events, pieces) == counted_one_by_one(events, pieces)

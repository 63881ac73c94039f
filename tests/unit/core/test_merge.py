"""The merge of several devices' history (core.merge, core.sync_health), with an injected clock."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from focusguard.core.merge import (
    Piece,
    SavedJournal,
    device_seconds,
    latest_journal,
    latest_names,
    merge_declarations,
    merge_events,
)
from focusguard.core.model import Classification, Declaration, Event, Journal
from focusguard.core.summary import summarize_day
from focusguard.core.sync_health import CLOCK_TOLERANCE, assess, clock_lead

P = Classification.PRIORITY
D = Classification.DISTRACTION
IDLE = Classification.IDLE
PAUSED = Classification.PAUSED
DAY = date(2026, 11, 26)
T9 = datetime(2026, 11, 26, 9, tzinfo=UTC).timestamp()
MIN = 60.0


def ev(start: float, end: float, c: Classification = P, app: str = "code", ident: int = 1) -> Event:
    return Event(ident, start, end, app, f"{app} window", "", "Sales" if c is P else None, c)


def spans(pieces: list[Piece]) -> list[tuple[str, float, float, Classification]]:
    return [(p.device, p.event.start - T9, p.event.end - T9, p.event.classification) for p in pieces]


def test_overlapping_devices_count_active_time_once_and_the_latest_input_wins() -> None:
    desk = [ev(T9, T9 + 60 * MIN, app="code")]
    laptop = [ev(T9 + 30 * MIN, T9 + 45 * MIN, D, app="firefox")]
    pieces = merge_events({"desk": desk, "laptop": laptop})
    assert spans(pieces) == [("desk", 0, 1800, P), ("laptop", 1800, 2700, D), ("desk", 2700, 3600, P)]
    assert sum(p.event.seconds for p in pieces) == 3600
    assert device_seconds(pieces, T9, T9 + 3600) == {"desk": {"priority": 2700.0}, "laptop": {"distraction": 900.0}}


def test_idle_on_one_device_loses_to_input_on_the_other_and_idle_on_both_is_idle() -> None:
    desk = [ev(T9, T9 + 20 * MIN, IDLE), ev(T9 + 20 * MIN, T9 + 40 * MIN, IDLE)]
    laptop = [ev(T9 + 5 * MIN, T9 + 10 * MIN, P), ev(T9 + 10 * MIN, T9 + 30 * MIN, PAUSED)]
    pieces = merge_events({"desk": desk, "laptop": laptop})
    assert spans(pieces) == [
        ("desk", 0, 300, IDLE), ("laptop", 300, 600, P), ("laptop", 600, 1200, PAUSED),
        ("desk", 1200, 2400, IDLE),
    ]


def test_a_tie_goes_to_the_same_device_whatever_order_the_streams_come_in() -> None:
    a, b = [ev(T9, T9 + 100, P)], [ev(T9, T9 + 100, D)]
    assert merge_events({"b": b, "a": a}) == merge_events({"a": a, "b": b})
    assert merge_events({"b": b, "a": a})[0].device == "a"


def test_a_device_whose_clock_runs_two_minutes_ahead_files_nothing_in_the_future_and_is_flagged() -> None:
    now = T9 + 60 * MIN  # the merging device's clock (injected)
    ahead = 2 * MIN
    desk = [ev(T9, now, P)]
    # the laptop was used for the last ten minutes, but its clock says they end 2 minutes from now
    laptop = [ev(now - 10 * MIN + ahead, now + ahead, D, app="firefox")]
    pieces = merge_events({"desk": desk, "laptop": laptop}, now=now)
    assert max(p.event.end for p in pieces) == now
    assert sum(p.event.seconds for p in pieces) == 60 * MIN  # counted once, nothing after now
    assert spans(pieces)[-1] == ("laptop", 52 * MIN, 60 * MIN, D)
    # health: its device file was written 2 minutes "after" we read it
    lead = clock_lead([(now + ahead - 5, now - 5), (now - 300 + ahead, now - 280)])
    assert lead is not None and abs(lead - ahead) < 1
    verdict = assess("laptop", "Laptop", now - 5, lead, now + ahead, now, interval=300)
    assert verdict.clock_ahead and not verdict.silent and "2 min ahead" in verdict.problems()[0]


def test_clock_checks_do_not_cry_wolf() -> None:
    now = T9
    in_step = assess("d", "D", now - 30, clock_lead([(now - 40, now - 30)]), now - 35, now, interval=300)
    assert in_step.ok
    late = assess("d", "D", now - 30, -(CLOCK_TOLERANCE + 700), None, now, interval=300)
    assert late.clock_behind_or_late and not late.clock_ahead
    silent = assess("d", "D", now - 3 * 86400, None, None, now, interval=300)
    assert silent.silent and not silent.ok
    assert assess("d", "D", None, None, None, now, interval=300).silent


class _Log:
    """A DayLog over merged records, as the store's merged view is."""

    max_gap = 4.0

    def __init__(self, events: list[Event], declarations: list[Declaration]) -> None:
        self._events, self._declarations = events, declarations

    def events(self, start: float, end: float) -> list[Event]:
        return [e for e in self._events if e.end > start and e.start < end]

    def declarations(self, start: float | None = None, end: float | None = None) -> list[Declaration]:
        return self._declarations

    def nudges(self, start: float, end: float) -> list:
        return []


def test_a_declaration_on_one_device_then_another_the_latest_is_the_days_priority_on_both() -> None:
    on_desk = [Declaration(T9, "Sales", "call Anna")]
    on_laptop = [Declaration(T9 + 3 * 3600, "Code", "fix the merge")]
    merged = merge_declarations([on_desk, on_laptop])
    assert merged == merge_declarations([on_laptop, on_desk]) == [on_desk[0], on_laptop[0]]
    streams = {"desk": [ev(T9, T9 + 3600)], "laptop": [ev(T9 + 4 * 3600, T9 + 5 * 3600)]}
    events = [p.event for p in merge_events(streams)]
    summary = summarize_day(_Log(events, merged), DAY, UTC)
    assert summary.priority == "Code" and summary.next_step == "fix the merge"
    assert list(summary.by_priority) == ["Sales", "Code"]


def test_the_same_export_seen_twice_counts_once() -> None:
    desk = [ev(T9, T9 + 600, ident=1), ev(T9 + 600, T9 + 900, D, ident=2)]
    once = merge_events({"desk": desk, "laptop": [ev(T9 + 100, T9 + 200, ident=7)]})
    twice = merge_events({"desk": desk + desk, "laptop": [ev(T9 + 100, T9 + 200, ident=7)] * 2})
    assert spans(twice) == spans(once)
    d = Declaration(T9, "Sales")
    assert merge_declarations([[d], [d]]) == [d]


def test_a_renamed_device_is_one_device_under_its_newest_name() -> None:
    names = latest_names([("id-1", T9, "Office"), ("id-2", T9, "Laptop"), ("id-1", T9 + 10, "Office desktop"),
                          ("id-1", T9 - 100, "old")])
    assert names == {"id-1": "Office desktop", "id-2": "Laptop"}


def test_one_journal_per_day_the_one_saved_last() -> None:
    a, b = Journal(DAY, done="calls"), Journal(DAY, done="calls and code")
    assert latest_journal([SavedJournal("desk", T9, a), SavedJournal("laptop", T9 + 1, b)]) == b
    assert latest_journal([SavedJournal("laptop", T9 + 1, b), SavedJournal("desk", T9, a)]) == b
    assert latest_journal([]) is None


# --- properties ---------------------------------------------------------------------------

CLASSES = st.sampled_from([P, D, IDLE, PAUSED, Classification.NEUTRAL])


@st.composite
def stream(draw: st.DrawFn) -> list[Event]:
    """One device's events: by start, never overlapping, with holes."""
    t = T9 + draw(st.integers(0, 600))
    out = []
    for i in range(draw(st.integers(0, 8))):
        t += draw(st.integers(0, 300))
        length = draw(st.integers(1, 900))
        out.append(ev(t, t + length, draw(CLASSES), ident=i + 1))
        t += length
    return out


def union_seconds(intervals: list[tuple[float, float]]) -> float:
    total, reach = 0.0, float("-inf")
    for a, b in sorted(intervals):
        if b > reach:
            total += b - max(a, reach)
            reach = b
    return total


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["a", "b", "c"]), stream(), max_size=3),
       st.none() | st.integers(0, 4000))
def test_the_merge_covers_the_union_once_without_overlaps(streams: dict[str, list[Event]], offset: int | None) -> None:
    now = None if offset is None else T9 + offset
    pieces = merge_events(streams, now=now)
    cut = float("inf") if now is None else now
    expected = union_seconds([(e.start, min(e.end, cut)) for es in streams.values() for e in es if e.start < cut])
    assert abs(sum(p.event.seconds for p in pieces) - expected) < 1e-6
    for before, after in itertools.pairwise(pieces):
        assert before.event.end <= after.event.start
    for p in pieces:
        source = [e for e in streams[p.device] if e.id == p.event.id]
        assert source and source[0].start <= p.event.start and p.event.end <= source[0].end
        # active time anywhere in the piece wins over inactive: an inactive piece has no active rival
        if p.event.classification in (IDLE, PAUSED):
            middle = (p.event.start + p.event.end) / 2
            rivals = [e for es in streams.values() for e in es if e.start <= middle < e.end]
            assert all(e.classification in (IDLE, PAUSED) for e in rivals)
    assert merge_events(dict(reversed(list(streams.items()))), now=now) == pieces


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["a", "b", "c"]), stream(), max_size=3),
       st.none() | st.integers(0, 4000))
def test_each_moment_goes_to_the_latest_input_a_tie_to_the_device_sorting_first(
        streams: dict[str, list[Event]], offset: int | None) -> None:
    """The sweep against the rule itself, checked at the middle of every piece."""
    now = None if offset is None else T9 + offset
    for p in merge_events(streams, now=now):
        middle = (p.event.start + p.event.end) / 2
        covering = [(d, e) for d, es in streams.items() for e in es if e.start <= middle < e.end]
        device, event = max(covering, key=lambda de: (de[1].classification not in (IDLE, PAUSED), de[1].start,
                                                      -ord(de[0])))
        assert (p.device, p.event.id) == (device, event.id)

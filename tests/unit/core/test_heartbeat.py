"""The heartbeat merge on plain values: what one more sample does to the open event."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from focusguard.core.heartbeat import Outcome, merge

GAP = 4.0
NEVER = float("-inf")


def test_the_same_window_within_the_gap_extends_the_open_event() -> None:
    assert merge(100.0, "a", 104.0, "a", max_gap=GAP, floor=NEVER)[0] is Outcome.EXTEND


def test_another_window_within_the_gap_ends_the_open_event_there() -> None:
    assert merge(100.0, "a", 102.0, "b", max_gap=GAP, floor=NEVER)[0] is Outcome.SPLIT


def test_after_a_longer_gap_a_new_event_starts_and_the_gap_counts_for_nothing() -> None:
    assert merge(100.0, "a", 104.5, "a", max_gap=GAP, floor=NEVER)[0] is Outcome.RESTART


def test_the_first_sample_starts_an_event_unless_it_is_before_the_floor() -> None:
    assert merge(None, None, 50.0, "a", max_gap=GAP, floor=40.0)[0] is Outcome.RESTART
    assert merge(None, None, 30.0, "a", max_gap=GAP, floor=40.0)[0] is Outcome.DROP


def test_a_clock_set_back_closes_the_open_event_and_raises_the_floor() -> None:
    step = merge(100.0, "a", 90.0, "a", max_gap=GAP, floor=NEVER)
    assert step == (Outcome.DROP, 100.0)


def test_a_clock_set_forward_closes_the_open_event_without_stretching_it() -> None:
    step = merge(100.0, "a", 102.0, "a", max_gap=GAP, floor=NEVER, clock_set=True)
    assert step == (Outcome.RESTART, 100.0)


@given(st.lists(st.tuples(st.floats(-10, 10), st.sampled_from("ab"), st.booleans()), max_size=40))
def test_events_built_from_any_samples_never_overlap_and_never_bridge_a_long_gap(
        steps: list[tuple[float, str, bool]]) -> None:
    """Drives merge as the store does and checks the log it would write."""
    t, floor = 1000.0, NEVER
    events: list[list[float]] = []  # [start, end] of each event, the last one open
    key: str | None = None
    is_open = False
    for dt, window, clock_set in steps:
        t += dt
        outcome, floor = merge(events[-1][1] if is_open else None, key, t, window, max_gap=GAP, floor=floor,
                     clock_set=clock_set)
        if outcome in (Outcome.EXTEND, Outcome.SPLIT):
            assert 0 <= t - events[-1][1] <= GAP
            events[-1][1] = t
        if outcome in (Outcome.SPLIT, Outcome.RESTART):
            events.append([t, t])
            key = window
        is_open = outcome is not Outcome.DROP
    for (a, b), (c, d) in itertools.pairwise(events):
        assert a <= b <= c <= d

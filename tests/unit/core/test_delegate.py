"""Delegations (core/delegate.py): what counts as the same thing, and whether its time falls."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from focusguard.core.delegate import MAX_NOTE_CHARS, Delegation, clean_note, delegated_trend

DAY = date(2026, 11, 1)
DEPLOY = Delegation(1, 0.0, "Code", "Terminal", "deploy.sh", 1500.0, "to Sam")


def days(*per_day: list[tuple[str | None, str, float]]):
    return [(DAY + timedelta(days=i), pieces) for i, pieces in enumerate(per_day)]


def test_time_on_a_delegated_activity_and_app_counts_whatever_the_title() -> None:
    trend = delegated_trend([DEPLOY], days(
        [("code", "terminal", 600.0), ("Code", "code", 300.0)],  # another app of the activity: not it
        [("Sales", "Terminal", 100.0)],  # the app for another activity: not it
        [],
        [("Code", "Terminal", 60.0)],
    ))
    assert [s for _, s in trend.days] == [600.0, 0.0, 0.0, 60.0]
    assert trend.total == 660.0
    assert trend.halves == (300.0, 30.0) and trend.falling is True


def test_rising_time_is_not_falling_and_no_time_says_nothing() -> None:
    assert delegated_trend([DEPLOY], days([], [("Code", "Terminal", 5.0)])).falling is False
    assert delegated_trend([DEPLOY], days([], [])).falling is None
    assert delegated_trend([], days([("Code", "Terminal", 5.0)], [])).falling is None
    assert delegated_trend([DEPLOY], days([("Code", "Terminal", 5.0)])).falling is None  # one day


@given(st.lists(st.floats(min_value=0, max_value=1e5), min_size=2, max_size=40))
def test_falling_means_the_second_half_averages_less(seconds: list[float]) -> None:
    trend = delegated_trend([DEPLOY], days(*([("Code", "Terminal", s)] for s in seconds)))
    half = len(seconds) // 2
    first, second = sum(seconds[:half]) / half, sum(seconds[half:]) / (len(seconds) - half)
    assert trend.falling is (None if sum(seconds) <= 0 else second < first)


def test_the_line_is_tidied_and_cut_and_the_item_reads_as_json() -> None:
    assert clean_note("  to   Sam\n ") == "to Sam"
    assert len(clean_note("x" * 500)) == MAX_NOTE_CHARS
    assert DEPLOY.as_dict() == {"activity": "Code", "app": "Terminal", "title": "deploy.sh",
                                "seconds": 1500.0, "note": "to Sam"}
    assert DEPLOY.label() == "Code · Terminal — deploy.sh"

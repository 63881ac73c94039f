"""The review's answer about a focus block, and the one change it makes."""

from __future__ import annotations

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from focusguard.core import blocks
from focusguard.core.block_review import adjusted, change_words, days_words, weak_day
from focusguard.core.blocks import Judged, Status
from focusguard.core.config import FocusBlock
from focusguard.core.verdicts import Verdict

TZ = ZoneInfo("Europe/Berlin")
MONDAY = date(2026, 11, 2)
WEEKDAYS = frozenset(range(5))
OUTREACH = FocusBlock(WEEKDAYS, time(8, 30), time(9, 30), name="Outreach calls", activity="Sales")


def month(block: FocusBlock, missed_on: set[int]) -> list[Judged]:
    """Four weeks of the block: missed on the weekdays ``missed_on``, kept otherwise."""
    occurrences = blocks.scheduled([block], MONDAY, MONDAY + timedelta(days=27), TZ)
    return [Judged(o, Status.MISSED if o.day.weekday() in missed_on else Status.KEPT) for o in occurrences]


def test_too_much_drops_the_day_the_block_is_missed_on() -> None:
    new = adjusted(OUTREACH, Verdict.TOO_MUCH, month(OUTREACH, {4}))
    assert new is not None and new.days == frozenset(range(4)) and new.start == OUTREACH.start
    assert change_words(OUTREACH, new) == "drop Friday"
    assert new.name == "Outreach calls" and new.activity == "Sales"


def test_too_much_without_a_weak_day_shortens_by_a_quarter() -> None:
    new = adjusted(OUTREACH, Verdict.TOO_MUCH, month(OUTREACH, set()))
    assert new == FocusBlock(WEEKDAYS, time(8, 30), time(9, 15), name="Outreach calls", activity="Sales")
    assert change_words(OUTREACH, new) == "08:30–09:15 (45 min)"


def test_not_enough_adds_a_working_day_then_lengthens() -> None:
    three = FocusBlock(frozenset({0, 2, 4}), time(8), time(10))
    assert adjusted(three, Verdict.NOT_ENOUGH, []) == FocusBlock(frozenset({0, 1, 2, 4}), time(8), time(10))
    assert change_words(three, adjusted(three, Verdict.NOT_ENOUGH, [])) == "add Tuesday"
    new = adjusted(OUTREACH, Verdict.NOT_ENOUGH, [])
    assert new is not None and (new.start, new.end) == (time(8, 30), time(9, 45))
    assert change_words(OUTREACH, new) == "08:30–09:45 (1 h 15 min)"


def test_just_right_and_no_room_change_nothing() -> None:
    assert adjusted(OUTREACH, Verdict.JUST_RIGHT, []) is None
    tiny = FocusBlock(frozenset({0}), time(8), time(8, 15))
    assert adjusted(tiny, Verdict.TOO_MUCH, []) is None
    late = FocusBlock(WEEKDAYS, time(22), time(23, 50))
    assert adjusted(late, Verdict.NOT_ENOUGH, []) is None
    assert change_words(late, None) == "no change"


def test_a_weak_day_is_one_kept_under_half_the_time() -> None:
    judged = month(OUTREACH, {1})
    assert weak_day(OUTREACH, judged) == 1
    assert weak_day(OUTREACH, month(OUTREACH, set())) is None
    # Other blocks' verdicts do not count.
    other = FocusBlock(WEEKDAYS, time(14), time(15), name="Writing")
    assert weak_day(OUTREACH, month(other, {0, 1, 2})) is None


def test_days_words() -> None:
    assert days_words(OUTREACH) == "mon–fri"
    assert days_words(FocusBlock(frozenset({1, 3}), time(8), time(9))) == "tue, thu"


@given(st.frozensets(st.integers(0, 6), min_size=1), st.integers(0, 22 * 4), st.integers(1, 8),
       st.sampled_from(list(Verdict)), st.sets(st.integers(0, 6)))
def test_an_adjusted_block_is_always_a_valid_block(days: frozenset[int], start_q: int, length_q: int,
                                                    verdict: Verdict, missed: set[int]) -> None:
    start = start_q * 15
    end = min(start + length_q * 15, 23 * 60 + 59)
    if end <= start:
        return
    block = FocusBlock(days, time(start // 60, start % 60), time(end // 60, end % 60), name="b")
    new = adjusted(block, verdict, month(block, missed))
    if new is None:
        return
    assert new.days and new.start < new.end and new.start == block.start
    if verdict is Verdict.TOO_MUCH:
        assert new.days <= block.days and (new.days < block.days or new.end < block.end)
    else:
        assert new.days >= block.days and (new.days > block.days or new.end > block.end)


@pytest.mark.parametrize("verdict", [Verdict.TOO_MUCH, Verdict.NOT_ENOUGH])
def test_change_words_name_what_changes(verdict: Verdict) -> None:
    assert change_words(OUTREACH, adjusted(OUTREACH, verdict, [])) != "no change"

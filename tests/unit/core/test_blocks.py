"""Business-building blocks judged from recorded events with an injected clock:
kept, partly, missed, moved then kept, a DST day, a block spanning idle time."""

from __future__ import annotations

import time as time_module
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from focusguard.core import blocks
from focusguard.core.blocks import BlockMove, Occurrence, Status, WeekShare
from focusguard.core.config import FocusBlock, parse_config
from focusguard.core.model import Classification, Event

TZ = ZoneInfo("Europe/Berlin")
MONDAY = date(2026, 11, 23)
OUTREACH = FocusBlock(frozenset(range(5)), time(8, 30), time(9, 30), name="Outreach calls", activity="Sales")
WEEKDAYS = frozenset(range(5))


def doing_nothing(block: FocusBlock) -> bool:
    return False


def doing_every_block(block: FocusBlock) -> bool:
    return True


def at(day: date, hh: int, mm: int = 0) -> float:
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=TZ).timestamp()


def event(start: float, end: float, activity: str | None = "Sales",
          cls: Classification = Classification.PRODUCTIVE_DISTRACTION) -> Event:
    return Event(0, start, end, "app", "title", "", activity, cls)


def idle(start: float, end: float) -> Event:
    return event(start, end, None, Classification.IDLE)


def one(day: date = MONDAY, block: FocusBlock = OUTREACH) -> Occurrence:
    [occurrence] = blocks.scheduled([block], day, day, TZ)
    return occurrence


def test_a_config_without_name_or_activity_reads_as_before_and_with_them_keeps_them() -> None:
    old, _ = parse_config('[[focus_block]]\nstart = "08:30"\nend = "09:30"\n')
    assert old.focus_blocks == (FocusBlock(WEEKDAYS, time(8, 30), time(9, 30)),)
    assert old.focus_blocks[0].name == "" and old.focus_blocks[0].activity == ""
    new, problems = parse_config('[[activity]]\nname = "Sales"\nkind = "productive"\n'
                                 '[[focus_block]]\nname = " Outreach calls "\nactivity = "sales"\n'
                                 'start = "08:30"\nend = "09:30"\n')
    assert new.focus_blocks[0].name == "Outreach calls" and new.focus_blocks[0].activity == "sales"
    assert problems == []


def test_a_block_for_an_activity_that_does_not_exist_is_a_warning_naming_the_known_ones() -> None:
    _, problems = parse_config('[[activity]]\nname = "Sales"\nkind = "productive"\n'
                               '[[focus_block]]\nactivity = "Outreach"\nstart = "08:30"\nend = "09:30"\n')
    assert [str(p) for p in problems] == ['focus_block[0].activity: no activity named "Outreach" (known: Sales)']
    assert problems[0].severity == "warning"


def test_occurrences_follow_the_blocks_days_in_local_time() -> None:
    found = blocks.scheduled([OUTREACH], MONDAY, MONDAY + timedelta(days=6), TZ)
    assert [o.day for o in found] == [MONDAY + timedelta(days=i) for i in range(5)]
    assert found[0].start == at(MONDAY, 8, 30) and found[0].seconds == 3600
    assert found[0].label == "Outreach calls"


def test_labels_and_keys_without_a_name() -> None:
    plain = FocusBlock(WEEKDAYS, time(9), time(11))
    sales = FocusBlock(WEEKDAYS, time(9), time(11), activity="Sales")
    assert blocks.block_label(plain) == "Focus block 09:00–11:00"
    assert blocks.block_label(sales) == "Sales block"
    assert blocks.block_key(sales) != blocks.block_key(plain)
    assert blocks.block_key(OUTREACH) == "outreach calls"


@pytest.mark.parametrize(("minutes_on", "status"), [(60, Status.KEPT), (31, Status.KEPT), (30, Status.PARTLY),
                                                    (6, Status.PARTLY), (5, Status.MISSED), (0, Status.MISSED)])
def test_kept_partly_missed_by_the_share_on_the_blocks_activity(minutes_on: int, status: Status) -> None:
    o = one()
    split = o.start + minutes_on * 60
    events = [event(o.start, split), event(split, o.end, "Video", Classification.DISTRACTION)]
    judged = blocks.judge(o, events, now=o.end)
    assert judged.status is status
    assert judged.activity_seconds == pytest.approx(minutes_on * 60)


def test_a_block_is_not_judged_before_it_ends() -> None:
    o = one()
    assert blocks.judge(o, [event(o.start, o.end)], now=o.end - 1).status is None


def test_time_outside_the_block_does_not_count() -> None:
    o = one()
    events = [event(o.start - 3600, o.start + 10 * 60), event(o.end - 60, o.end + 3600)]
    judged = blocks.judge(o, events, now=o.end)
    assert judged.activity_seconds == pytest.approx(11 * 60) and judged.status is Status.PARTLY


def test_a_block_without_an_activity_is_judged_on_the_priority() -> None:
    plain = one(block=FocusBlock(WEEKDAYS, time(8, 30), time(9, 30)))
    on_priority = [event(plain.start, plain.end, "Code", Classification.PRIORITY)]
    elsewhere = [event(plain.start, plain.end, "Sales", Classification.PRODUCTIVE_DISTRACTION)]
    assert blocks.judge(plain, on_priority, plain.end).status is Status.KEPT
    assert blocks.judge(plain, elsewhere, plain.end).status is Status.MISSED


def test_a_block_spanning_idle_time_is_judged_on_the_time_at_the_computer() -> None:
    o = one()
    # 20 min on Sales, then 40 min away: the base is half the block, 20/30 -> kept.
    kept = [event(o.start, o.start + 20 * 60), idle(o.start + 20 * 60, o.end)]
    assert blocks.judge(o, kept, o.end).status is Status.KEPT
    # 10 min on Sales, 50 away: 10 of a base of 30 -> partly, never "kept" on a few minutes.
    partly = [event(o.start, o.start + 10 * 60), idle(o.start + 10 * 60, o.end)]
    assert blocks.judge(o, partly, o.end).status is Status.PARTLY
    # Away the whole block: missed.
    assert blocks.judge(o, [idle(o.start, o.end)], o.end).status is Status.MISSED
    # 25 min on Sales, 20 away, 15 on Video: 25 of 40 at the computer -> kept.
    mixed = [event(o.start, o.start + 25 * 60), idle(o.start + 25 * 60, o.start + 45 * 60),
             event(o.start + 45 * 60, o.end, "Video", Classification.DISTRACTION)]
    judged = blocks.judge(o, mixed, o.end)
    assert judged.status is Status.KEPT and judged.active_seconds == pytest.approx(40 * 60)


def test_a_block_across_the_spring_forward_hour_lasts_its_real_seconds() -> None:
    sunday = date(2026, 3, 29)  # Europe/Berlin: 02:00 -> 03:00
    night = FocusBlock(frozenset({6}), time(1), time(4), name="Night", activity="Sales")
    [o] = blocks.scheduled([night], sunday, sunday, TZ)
    assert o.seconds == 2 * 3600
    # 65 minutes on Sales is most of the two real hours (of three on the wall clock).
    judged = blocks.judge(o, [event(o.start, o.start + 65 * 60)], o.end)
    assert judged.status is Status.KEPT


def test_a_block_on_the_fall_back_day_lasts_the_extra_hour() -> None:
    sunday = date(2026, 10, 25)
    night = FocusBlock(frozenset({6}), time(1), time(4), name="Night", activity="Sales")
    [o] = blocks.scheduled([night], sunday, sunday, TZ)
    assert o.seconds == 4 * 3600
    # 100 minutes of Sales, the rest on Video: most of three hours, not of the real four.
    events = [event(o.start, o.start + 100 * 60), event(o.start + 100 * 60, o.end, "Video", Classification.DISTRACTION)]
    assert blocks.judge(o, events, o.end).status is Status.PARTLY


def test_a_moved_block_keeps_its_history_and_is_judged_again_at_its_new_time() -> None:
    o = one()
    afternoon = at(MONDAY, 14)
    move = blocks.move(o, afternoon, at=o.start + 60)
    assert (move.from_start, move.to_start, move.to_end) == (o.start, afternoon, afternoon + 3600)
    events = [event(o.start, o.end, "Video", Classification.DISTRACTION), event(afternoon, afternoon + 3600)]
    judged = blocks.judge_all([o], [move], events, now=afternoon + 3600)
    assert [(j.occurrence.start, j.status, j.moved_to) for j in judged] == [
        (o.start, Status.MOVED, afternoon), (afternoon, Status.KEPT, None)]
    assert judged[1].occurrence.moved_from == o.start and judged[1].occurrence.day == MONDAY


def test_a_block_moved_twice_shows_each_link_of_the_chain() -> None:
    o = one()
    first = blocks.move(o, at(MONDAY, 14), at=o.start)
    [there] = blocks.current([o], [first])
    second = blocks.move(there, at(MONDAY + timedelta(days=2), 8, 30), at=there.start - 60)
    judged = blocks.judge_all([o], [second, first], [], now=second.to_end)
    assert [(j.status, j.moved_to) for j in judged] == [
        (Status.MOVED, first.to_start), (Status.MOVED, second.to_start), (Status.MISSED, None)]


def test_moving_a_block_to_where_it_is_is_refused() -> None:
    o = one()
    with pytest.raises(ValueError, match="already"):
        blocks.move(o, o.start, at=o.start)


def test_a_stored_verdict_wins_over_one_recomputed_from_events() -> None:
    o = one()
    judged = blocks.judge_all([o], [], [], now=o.end, recorded={o.ident: Status.KEPT})
    assert judged[0].status is Status.KEPT


def test_move_choices_are_later_today_on_the_half_hour_then_this_weeks_other_days() -> None:
    o = one(MONDAY + timedelta(days=3))  # Thursday
    now = o.start + 5 * 60  # 08:35
    choices = blocks.move_choices(o, now, time(17, 30), TZ)
    thursday = MONDAY + timedelta(days=3)
    assert choices == [at(thursday, 9), at(thursday, 9, 30), at(thursday, 10),
                       at(thursday + timedelta(days=1), 8, 30), at(thursday + timedelta(days=2), 8, 30),
                       at(thursday + timedelta(days=3), 8, 30)]


def test_move_choices_late_in_the_day_offer_only_other_days_and_none_on_sunday_night() -> None:
    sunday = MONDAY + timedelta(days=6)
    o = Occurrence(OUTREACH, sunday, at(sunday, 17), at(sunday, 18))
    assert blocks.move_choices(o, at(sunday, 17, 10), time(17, 30), TZ) == []


def test_the_start_card_comes_once_when_the_user_is_elsewhere() -> None:
    o = one()
    shown: set[blocks.Ident] = set()

    def cue(at: float, doing: Callable[[FocusBlock], bool] = doing_nothing, away: bool = False) -> object:
        return blocks.due_cue([o], at, doing=doing, away=away, shown=shown, judged_at_end={})

    assert cue(o.start - 1) is None
    assert cue(o.start + 5, doing=doing_every_block) is None
    assert cue(o.start + 5, away=True) is None
    assert cue(o.start + 5) == blocks.CardCue(o, ended=False)
    shown.add(o.ident)
    assert cue(o.start + 6) is None
    shown.clear()
    assert cue(o.start + blocks.START_CARD_SECONDS) is None  # too late for "it started"


def test_a_block_not_kept_offers_the_move_at_its_end_once() -> None:
    o = one()
    shown = {o.ident}
    cue = blocks.due_cue([o], o.end + 1, doing=doing_nothing, away=False, shown=shown,
                         judged_at_end={o.ident: Status.MISSED})
    assert cue == blocks.CardCue(o, ended=True, status=Status.MISSED)
    shown.add(blocks.end_ident(o))
    assert blocks.due_cue([o], o.end + 2, doing=doing_nothing, away=False, shown=shown,
                          judged_at_end={o.ident: Status.MISSED}) is None
    assert blocks.due_cue([o], o.end + 1, doing=doing_nothing, away=False, shown={o.ident},
                          judged_at_end={o.ident: Status.KEPT}) is None


def test_weekly_shares_run_and_tallies() -> None:
    occurrences = blocks.scheduled([OUTREACH], MONDAY - timedelta(days=14), MONDAY + timedelta(days=4), TZ)
    events = [event(o.start, o.end) for o in occurrences if o.day != MONDAY - timedelta(days=12)]
    judged = blocks.judge_all(occurrences, [], events, now=at(MONDAY + timedelta(days=7), 0))
    weeks = blocks.weekly_shares(judged, TZ)
    assert weeks == [WeekShare(MONDAY - timedelta(days=14), 4, 5), WeekShare(MONDAY - timedelta(days=7), 5, 5),
                     WeekShare(MONDAY, 5, 5)]
    assert blocks.current_run(weeks, 0.9) == 2 and blocks.current_run(weeks, 0.8) == 3
    assert [t.sentence() for t in blocks.tallies(judged)] == ["Outreach calls: 14 of 15 kept this month"]


@given(st.lists(st.tuples(st.integers(0, 3600), st.integers(1, 3600), st.booleans(), st.booleans()), max_size=12))
def test_verdicts_are_consistent_with_the_seconds_whatever_the_events(spans: list) -> None:
    o = one()
    events = sorted((event(o.start + a, o.start + a + b, "Sales" if on else "Video",
                           Classification.IDLE if away else Classification.PRODUCTIVE_DISTRACTION)
                     for a, b, on, away in spans), key=lambda e: e.start)
    judged = blocks.judge(o, events, o.end)
    assert 0 <= judged.activity_seconds <= judged.active_seconds
    base = max(judged.active_seconds, o.seconds / 2)
    expected = (Status.KEPT if judged.activity_seconds / base > 0.5
                else Status.PARTLY if judged.activity_seconds / base >= 0.1 else Status.MISSED)
    assert judged.status is expected
    # More time on the block never makes a verdict worse.
    better = blocks.judge(o, [*events, event(o.start, o.end)], o.end)
    order = [Status.MISSED, Status.PARTLY, Status.KEPT]
    assert better.status is not None and judged.status is not None
    assert order.index(better.status) >= order.index(judged.status)


@given(st.lists(st.tuples(st.integers(0, 6), st.sampled_from([9, 10, 11, 14, 15])), max_size=6))
def test_every_move_leaves_exactly_one_current_position_and_one_link_per_move(targets: list) -> None:
    o = one()
    moves: list[BlockMove] = []
    for i, (days, hour) in enumerate(targets):
        [here] = blocks.current([o], moves)
        to = at(MONDAY + timedelta(days=days), hour)
        if to == here.start:
            continue
        moves.append(blocks.move(here, to, at=float(i)))
    positions = blocks.positions([o], moves)
    assert sum(moved_to is None for _, moved_to in positions) == 1
    assert len(positions) == len(moves) + 1


@given(st.lists(st.tuples(st.integers(-7200, 7200), st.integers(1, 5400)), max_size=30),
       st.integers(-3600, 3600), st.integers(60, 7200))
def test_the_event_index_finds_every_overlapping_event(spans: list[tuple[int, int]], offset: int,
                                                       length: int) -> None:
    o = one()
    events = [event(o.start + a, o.start + a + b) for a, b in spans]
    start, end = o.start + offset, o.start + offset + length
    found = blocks.EventIndex(events).overlapping(start, end)
    assert {id(e) for e in events if e.start < end and e.end > start} <= {id(e) for e in found}
    assert all(e.start < end for e in found)


def test_judging_ninety_days_of_dense_history_is_quick() -> None:
    first = MONDAY - timedelta(days=89)
    occurrences = blocks.scheduled([OUTREACH], first, MONDAY, TZ)
    start = at(first, 0)
    events = [event(start + i * 60, start + i * 60 + 60) for i in range(90 * 1440)]  # a minute each, 90 days
    began = time_module.perf_counter()
    judged = blocks.judge_all(occurrences, [], events, now=at(MONDAY, 23))
    assert time_module.perf_counter() - began < 1.0
    assert len(judged) == len(occurrences)

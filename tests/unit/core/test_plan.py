"""The plan's pure logic (core/plan.py): order, moves, ticks, what is offered and what a day's step was."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from focusguard.core import plan
from focusguard.core.plan import Goal, PlanError, Step


def steps(*texts: str, done: tuple[int, ...] = ()) -> tuple[Step, ...]:
    return tuple(Step(i, text, i, 100.0 + i if i in done else None) for i, text in enumerate(texts, 1))


def goal(gid: int = 1, activity: str = "Sales", created: float = 0.0, *texts: str, done: tuple[int, ...] = ()) -> Goal:
    return Goal(gid, f"goal {gid}", activity, created, steps(*texts, done=done))


step_lists = st.integers(min_value=1, max_value=12).map(lambda n: steps(*(f"s{i}" for i in range(n))))


@given(step_lists, st.data())
def test_a_move_puts_the_step_at_its_number_and_keeps_the_others_in_order(order, data) -> None:
    moving = data.draw(st.sampled_from(order))
    to = data.draw(st.integers(min_value=1, max_value=len(order)))
    result = plan.moved(order, moving.id, to)
    assert [s.position for s in result] == list(range(1, len(order) + 1))
    assert result[to - 1].id == moving.id
    assert [s.id for s in result if s.id != moving.id] == [s.id for s in order if s.id != moving.id]


@given(step_lists, st.data())
def test_an_added_step_lands_at_its_number_and_nothing_is_lost(order, data) -> None:
    at = data.draw(st.none() | st.integers(min_value=1, max_value=len(order) + 1))
    result = plan.appended(order, Step(0, "new", 0), at)
    assert [s.position for s in result] == list(range(1, len(order) + 2))
    assert result[(len(order) if at is None else at - 1)].id == 0
    assert sorted(s.id for s in result) == sorted([0, *(s.id for s in order)])


@given(step_lists, st.data())
def test_next_step_is_the_first_unticked_one_in_order(order, data) -> None:
    ticked = data.draw(st.sets(st.sampled_from([s.id for s in order])))
    g = Goal(1, "g", "Sales", 0.0, tuple(s if s.id not in ticked else Step(s.id, s.text, s.position, 5.0)
                                         for s in order))
    upcoming = plan.next_step(g)
    open_ids = [s.id for s in order if s.id not in ticked]
    assert (upcoming.id if upcoming else None) == (open_ids[0] if open_ids else None)
    assert g.done_count == len(ticked)


def test_moves_and_numbers_out_of_range_are_said() -> None:
    order = steps("a", "b")
    with pytest.raises(PlanError, match="1 to 2, not 3"):
        plan.moved(order, 1, 3)
    with pytest.raises(PlanError, match="no step with id 9"):
        plan.moved(order, 9, 1)
    with pytest.raises(PlanError, match="1 to 3, not 0"):
        plan.appended(order, Step(0, "c", 0), 0)
    with pytest.raises(PlanError, match="steps 1 to 2; there is no step 5"):
        plan.step_number(goal(1, "Sales", 0.0, "a", "b"), 5)
    with pytest.raises(PlanError, match="no steps yet"):
        plan.step_number(goal(1, "Sales", 0.0), 1)


def test_a_tick_keeps_its_first_time_and_an_untick_clears_it() -> None:
    order = plan.ticked(steps("a", "b"), 2, 50.0)
    assert [s.done_at for s in order] == [None, 50.0]
    assert [s.done_at for s in plan.ticked(order, 2, 80.0)] == [None, 50.0]
    assert [s.done_at for s in plan.ticked(order, 2, None)] == [None, None]
    with pytest.raises(PlanError):
        plan.ticked(order, 7, 1.0)


def test_names_and_steps_are_tidied_and_empty_or_huge_ones_refused() -> None:
    assert plan.clean("  Call\tAcme \n about Q2 ", "step") == "Call Acme about Q2"
    with pytest.raises(PlanError, match="the step is empty"):
        plan.clean(" \n ", "step")
    with pytest.raises(PlanError, match="keep it under 200"):
        plan.clean("x" * 201, "goal's name")


def test_declaring_offers_the_oldest_open_goal_of_the_activity() -> None:
    finished = goal(1, "Sales", 0.0, "old", done=(1,))
    current = goal(2, "sales", 5.0, "Call Acme", "Email Bob")
    later = goal(3, "Sales", 9.0, "later")
    other = goal(4, "Code", 1.0, "refactor")
    goals = [later, other, current, finished]
    found = plan.offered_step(goals, "SALES")
    assert found is not None and (found[0].id, found[1].text) == (2, "Call Acme")
    assert plan.offered_step(goals, "Video") is None
    assert plan.offered_activity(goals) == "Code"  # the oldest goal with work left
    assert plan.offered_activity([finished]) is None


def test_the_days_step_is_matched_by_its_words_and_done_only_if_ticked_that_day() -> None:
    g = Goal(1, "Five clients", "Sales", 0.0, (Step(1, "Call Acme", 1, 500.0), Step(2, "Email Bob", 2)))
    assert plan.day_plan([g], "sales", "  call   ACME ") == plan.DayPlan("Five clients", "Call Acme", True)
    assert plan.day_plan([g], "Sales", "Call Acme", by=400.0).step_done is False  # ticked the day after
    assert plan.day_plan([g], "Sales", "something else") is None
    assert plan.day_plan([g], "Code", "Call Acme") is None
    assert plan.day_plan([g], "Sales", "") is None


def test_step_done_ticks_the_declared_step_else_the_next_and_says_why_when_neither() -> None:
    g = goal(1, "Sales", 0.0, "a", "b", "c")
    assert plan.step_to_tick([g], "Sales", "b")[1].text == "b"
    assert plan.step_to_tick([g], "Sales", "not in the plan")[1].text == "a"
    ticked_b = goal(1, "Sales", 0.0, "a", "b", done=(2,))
    assert plan.step_to_tick([ticked_b], "Sales", "b")[1].text == "a"  # declared one already done
    with pytest.raises(PlanError, match="no priority declared today"):
        plan.step_to_tick([g], None, "")
    with pytest.raises(PlanError, match="no goal of Video has a step left"):
        plan.step_to_tick([g], "Video", "")


def test_goals_are_found_by_number_or_name_and_a_miss_lists_them() -> None:
    a, b = Goal(3, "Clients", "Sales", 0.0), Goal(7, "Ship v2", "Code", 1.0)
    assert plan.find_goal([a, b], "#7") is b
    assert plan.find_goal([a, b], "7") is b
    assert plan.find_goal([a, b], " ship V2 ") is b
    with pytest.raises(PlanError, match=r"no goal 'nope'\. Goals: #3 Clients; #7 Ship v2"):
        plan.find_goal([a, b], "nope")
    with pytest.raises(PlanError, match="2 goals are named"):
        plan.find_goal([a, Goal(4, "clients", "Sales", 2.0)], "Clients")
    with pytest.raises(PlanError, match="none yet"):
        plan.find_goal([], "x")

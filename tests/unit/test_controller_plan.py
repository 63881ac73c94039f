"""The plan and "Delegate this" through the controller (issue 14): what declaring proposes,
the tray naming the step's goal, the delegate answer's effect on the streak and what it
records. Qt-free: fake windows, an injected clock."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from scenario import CODE, SALES, VIDEO
from test_controller_intents import make, run

from focusguard.controller import Controller
from focusguard.core.model import Journal
from focusguard.core.plan import PlanError


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    controller, clock = make(tmp_path)
    yield controller, clock
    controller.close()


def plan_sales(controller: Controller) -> None:
    plan = controller.records.plan
    goal = plan.add_goal("Five retainer clients", "sales")
    plan.add_step(goal.id, "Call Acme about the Q2 proposal")
    plan.add_step(goal.id, "Email Bob")
    code = plan.add_goal("Ship v2", "Engineering")
    plan.add_step(code.id, "Fix the login bug")


def test_the_morning_prompt_never_opens_empty_when_a_plan_exists(env) -> None:
    controller, clock = env
    assert controller.suggested_declaration() == ("", "")
    plan_sales(controller)
    update = next(u for u in run(controller, clock, CODE, 4) if u.declare is not None)
    prompt = update.declare
    assert (prompt.activity, prompt.next_step) == ("Sales", "Call Acme about the Q2 proposal")
    assert dict(prompt.steps) == {"Sales": "Call Acme about the Q2 proposal", "Engineering": "Fix the login bug"}


def test_tomorrows_priority_proposes_the_next_step_unless_a_step_was_written(env) -> None:
    controller, clock = env
    plan_sales(controller)
    today = controller.local_date(clock.now)
    controller.store.save_journal(Journal(today - timedelta(days=1), tomorrow_activity="Engineering"))
    assert controller.suggested_declaration() == ("Engineering", "Fix the login bug")
    controller.store.save_journal(Journal(today - timedelta(days=1), tomorrow_activity="Engineering",
                                          tomorrow_next_step="Review the PR"))
    assert controller.suggested_declaration() == ("Engineering", "Review the PR")


def test_ticking_the_days_step_moves_the_plan_to_the_next(env) -> None:
    controller, clock = env
    plan_sales(controller)
    controller.on_declare("Sales", "Call Acme about the Q2 proposal")
    assert "Next step: Call Acme about the Q2 proposal (goal: Five retainer clients)" in controller.tooltip()
    day = controller.local_date(clock.now)
    assert controller.records.plan.day_plan(day).step_done is False
    _, step = controller.records.plan.tick_today()
    assert step.text == "Call Acme about the Q2 proposal" and step.done_at == clock.now
    assert controller.records.plan.day_plan(day).step_done is True
    assert controller.suggested_declaration()[1] == "Email Bob"  # tomorrow
    clock.now += 86400
    assert controller.records.plan.day_plan(controller.local_date(clock.now)) is None  # nothing declared yet
    morning = next(u.declare for u in run(controller, clock, CODE, 4) if u.declare is not None)
    assert (morning.activity, morning.next_step) == ("Sales", "Email Bob")


def test_step_done_with_nothing_declared_says_why(env) -> None:
    controller, _ = env
    plan_sales(controller)
    with pytest.raises(PlanError, match="no priority declared today"):
        controller.records.plan.tick_today()


def test_delegate_ends_the_streak_like_back_and_records_the_item(env) -> None:
    controller, clock = env
    controller.on_declare("Sales", "call three past customers")
    run(controller, clock, SALES, 10)
    shown = [u for u in run(controller, clock, CODE, 150) if u.show_nudge is not None]
    assert shown and controller.pending is not None
    spent = controller.engine.streak.off_seconds
    assert spent >= 120
    update = controller.on_delegate("  to   Sam: the build script ")
    assert update.acknowledge == "Marked to delegate: code. It is on today's summary."
    assert controller.pending is None and controller.engine.streak.off_seconds == 0
    assert [row[0] for row in controller.store.db.execute("SELECT answer FROM nudges")] == ["delegate"]
    day = controller.local_date(clock.now)
    (item,) = controller.records.plan.delegations_on(day)
    assert (item.activity, item.app, item.title, item.seconds, item.note) == (
        "Engineering", "code", "app.py - Visual Studio Code", spent, "to Sam: the build script")
    # The streak starts again from nothing: no new nudge for the next whole threshold.
    assert not [u for u in run(controller, clock, CODE, 100) if u.show_nudge is not None]
    assert controller.on_delegate().close_nudge  # nothing pending: the card just goes


def test_the_review_sees_time_on_delegated_things_fall(env) -> None:
    controller, clock = env
    controller.on_declare("Sales")
    run(controller, clock, CODE, 150)
    controller.on_delegate()
    first = controller.local_date(clock.now)
    clock.now += 86400
    controller.on_declare("Sales")
    run(controller, clock, CODE, 20)
    run(controller, clock, VIDEO, 4)
    trend = controller.records.plan.delegated_trend(first, first + timedelta(days=1))
    seconds = [s for _, s in trend.days]
    assert seconds[0] > seconds[1] > 0 and trend.falling is True


def test_the_days_report_lists_the_plan_and_delegations(env) -> None:
    controller, clock = env
    plan_sales(controller)
    controller.on_declare("Sales", "Email Bob")
    run(controller, clock, CODE, 150)
    controller.on_delegate("to Sam")
    plan, delegated = controller.records.plan.day_report(controller.local_date(clock.now))
    assert plan is not None and (plan.goal, plan.step, plan.step_done) == ("Five retainer clients", "Email Bob", False)
    assert [d.note for d in delegated] == ["to Sam"]
    assert controller.records.plan.day_report(date(2020, 1, 1)) == (None, [])



"""The controller when the priority changes mid-day (issue 12): the tooltip's time is
the current priority's own, Back raises a window of the current priority (or says
there is none), and the tray shows the last real window, never the declaration."""

from __future__ import annotations

from pathlib import Path

import pytest
from scenario import CODE, CONFIG, SALES, TZ, VIDEO, Clock

from focusguard.controller import Controller
from focusguard.core.palette import TrayState
from focusguard.core.timefmt import day_bounds
from focusguard.platform.window import WindowInfo
from focusguard.store import Store

NO_WINDOW = None


@pytest.fixture
def setup(tmp_path: Path):
    config_file = tmp_path / "config.toml"
    config_file.write_text(CONFIG, encoding="utf-8")
    clock = Clock()
    store = Store(tmp_path / "fg.db", max_gap=4.0, flush_every=0)
    controller = Controller(config_file, store, clock=clock, tz=TZ, own_pid=999)
    yield controller, clock, tmp_path
    controller.close()


def run(controller: Controller, clock: Clock, window: WindowInfo | None, seconds: float):
    updates = []
    end = clock.now + seconds
    while clock.now < end:
        updates.append(controller.handle_sample(window, 0.0))
        clock.now += 2.0
    return updates


def test_the_tooltip_counts_only_the_current_priority(setup) -> None:
    """Sales -> Engineering after 4 min in the CRM: not "4 min on Engineering"."""
    controller, clock, _ = setup
    controller.declare("Sales")
    run(controller, clock, SALES, 240)
    clock.now += 1  # the change falls between two samples
    controller.declare("Engineering")
    clock.now += 1
    run(controller, clock, SALES, 60)
    tooltip = run(controller, clock, CODE, 30)[-1].tooltip
    assert "Priority: Engineering" in tooltip
    assert "28 s on it today" in tooltip
    assert "Earlier today: 4 min on Sales" in tooltip
    figures = controller.today()
    assert figures.by_priority == pytest.approx({"Sales": 241.0, "Engineering": 28.0})
    controller.store.flush()
    from focusguard.core.summary import summarize_day

    summary = summarize_day(controller.store, controller.day, TZ)
    assert summary.by_priority == pytest.approx(figures.by_priority)


def test_a_cli_change_is_picked_up_with_the_same_split(setup) -> None:
    controller, clock, tmp_path = setup
    controller.declare("Sales")
    run(controller, clock, SALES, 60)
    from focusguard.core.model import Declaration

    with Store(tmp_path / "fg.db") as other:  # `focusguard priority set Engineering`
        other.declare(Declaration(clock.now - 1, "Engineering"))
    run(controller, clock, SALES, 20)
    assert controller.priority == "Engineering"
    assert controller.today().by_priority == pytest.approx({"Sales": 59.0, "Engineering": 0.0})
    assert "0 min on it today" in controller.tooltip() and "Earlier today: 59 s on Sales" in controller.tooltip()


def test_back_raises_a_window_of_the_current_priority_or_none(setup) -> None:
    controller, clock, _ = setup
    controller.declare("Sales")
    run(controller, clock, SALES, 10)
    controller.declare("Engineering")
    run(controller, clock, VIDEO, 62)
    assert controller.priority_window is None  # no Engineering window seen yet: not the CRM
    assert controller.answer_back() is None
    run(controller, clock, CODE, 4)
    assert controller.priority_window == CODE
    controller.declare("Sales")
    assert controller.priority_window == SALES  # each priority keeps its own


def test_back_windows_are_forgotten_at_a_new_day(setup) -> None:
    controller, clock, _ = setup
    controller.declare("Sales")
    run(controller, clock, SALES, 4)
    clock.now = day_bounds(controller.day, TZ)[1] + 9 * 3600
    controller.declare("Sales")
    run(controller, clock, VIDEO, 4)
    assert controller.priority_window is None


def test_the_tray_shows_no_tick_before_a_window_is_seen(setup) -> None:
    """The welcome declares with no window in front: no green tick for nothing."""
    controller, clock, _ = setup
    assert run(controller, clock, NO_WINDOW, 4)[-1].state is TrayState.NO_PRIORITY
    controller.declare("Sales")
    assert controller.state is TrayState.IDLE
    assert run(controller, clock, NO_WINDOW, 4)[-1].state is TrayState.IDLE
    assert run(controller, clock, SALES, 4)[-1].state is TrayState.PRIORITY


def test_a_declaration_judges_the_last_real_window_again(setup) -> None:
    controller, clock, _ = setup
    run(controller, clock, CODE, 4)  # before any declaration
    controller.declare("Engineering")
    assert controller.state is TrayState.PRIORITY
    assert run(controller, clock, NO_WINDOW, 4)[-1].state is TrayState.PRIORITY
    controller.declare("Sales")  # the editor is now off the priority
    assert controller.state is TrayState.PRODUCTIVE_DISTRACTION
    assert run(controller, clock, NO_WINDOW, 4)[-1].state is TrayState.PRODUCTIVE_DISTRACTION

"""The controller's day figures: read from the database once, then advanced by each
sample; the tooltip never re-reads the day, and the figures stay those of the day."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from scenario import CODE, CONFIG, MYSTERY, SALES, TZ, VIDEO, Clock

from focusguard.controller import Controller
from focusguard.core.model import Classification
from focusguard.core.summary import summarize_day
from focusguard.store import Store


class CountingStore(Store):
    """A real store that counts how often the day's events are read."""

    reads = 0

    def events(self, start: float, end: float):  # type: ignore[override]
        self.reads += 1
        return super().events(start, end)


@pytest.fixture
def setup(tmp_path: Path):
    config_file = tmp_path / "config.toml"
    config_file.write_text(CONFIG, encoding="utf-8")
    clock = Clock()
    store = CountingStore(tmp_path / "fg.db", max_gap=4.0, flush_every=0)
    controller = Controller(config_file, store, clock=clock, tz=TZ, own_pid=999)
    yield controller, clock, store
    controller.close()


def work(controller: Controller, clock: Clock, minutes: float) -> None:
    """A busy stretch: a window switch every 2.5 samples' worth, a tooltip per sample."""
    windows = [SALES, CODE, VIDEO, SALES, MYSTERY]
    for i in range(int(minutes * 30)):
        controller.handle_sample(windows[(i // 3) % len(windows)], 0.0)
        controller.tooltip()
        clock.now += 2.0


def assert_figures_are_the_days(controller: Controller, store: Store) -> None:
    figures = controller.today()
    summary = summarize_day(store, figures.date, TZ)
    assert figures.seconds == pytest.approx(summary.seconds)
    assert figures.longest_priority_streak_seconds == pytest.approx(summary.longest_priority_streak_seconds)
    assert controller.off_priority_seconds_today() == pytest.approx(
        sum(summary.seconds[c] for c in Classification if c.off_priority))


def test_the_tooltip_reads_no_events_and_the_figures_stay_right(setup) -> None:
    controller, clock, store = setup
    controller.declare("Sales")
    work(controller, clock, 60)
    assert store.reads == 1  # at start, and never again
    assert_figures_are_the_days(controller, store)
    assert "on it today" in controller.tooltip()


def test_a_restart_loads_the_stored_day_and_goes_on(setup, tmp_path: Path) -> None:
    controller, clock, store = setup
    controller.declare("Sales")
    work(controller, clock, 10)
    store.flush()
    again = Controller(tmp_path / "config.toml", store, clock=clock, tz=TZ, own_pid=999)
    assert again.today().seconds == pytest.approx(controller.today().seconds)
    work(again, clock, 10)
    assert_figures_are_the_days(again, store)


def test_a_new_day_is_read_once_and_starts_from_midnight(setup) -> None:
    controller, clock, store = setup
    controller.declare("Sales")
    clock.now = datetime(2026, 11, 23, 23, 50, tzinfo=TZ).timestamp()
    work(controller, clock, 20)  # runs past midnight
    assert store.reads == 2
    assert controller.today().date.isoformat() == "2026-11-24"
    assert_figures_are_the_days(controller, store)


def test_a_taught_rule_counts_from_then_without_reading_the_day(setup) -> None:
    """Stored time keeps its class; the window taught is priority from the next sample."""
    controller, clock, store = setup
    controller.declare("Sales")
    while controller.pending is None:
        controller.handle_sample(VIDEO, 0.0)
        clock.now += 2.0
    distraction = controller.today().seconds["distraction"]
    controller.answer_part_of_priority("app")  # firefox is now part of Sales
    assert store.reads == 1
    work(controller, clock, 5)
    assert controller.today().seconds["distraction"] == pytest.approx(distraction + 2.0)  # up to the next sample
    assert_figures_are_the_days(controller, store)


def test_a_new_max_gap_reads_the_day_again(setup) -> None:
    """The streaks of the past depend on max_gap: a sampling interval edited in
    config.toml reads the day once more, and the figures stay the day's."""
    controller, clock, store = setup
    controller.declare("Sales")
    work(controller, clock, 5)
    path = controller.config_file
    path.write_text(path.read_text().replace("interval_seconds = 2", "interval_seconds = 5"))
    assert controller.reload_config_if_changed() is None
    assert store.reads == 2
    assert_figures_are_the_days(controller, store)

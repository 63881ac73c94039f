"""The 30-day review window: the period's charts with their gaps, the questions, the suggestion."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from test_summary_window import BERLIN, Clock, at, close_windows, make_app, record_day

from focusguard.core import figures, prompts, report, verdicts
from focusguard.core.verdicts import Verdict
from focusguard.records import Records
from focusguard.store import Store
from focusguard.ui.review_window import TITLE, ReviewWindow

TODAY = date(2026, 6, 30)
FIRST, LAST = figures.review_period(TODAY)
#: Tracked days of the period (offsets from FIRST): weekdays mostly, a long gap in the middle.
TRACKED = [0, 1, 2, 3, 6, 7, 8, 9, 10, 20, 21, 22, 23, 24, 27, 28, 29]
NO_PRIORITY = {2, 21}
NO_NUDGES = {0, 6}


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "fg.db", max_gap=3 * 3600, flush_every=0) as s:
        for n in TRACKED:
            record_day(s, FIRST + timedelta(days=n), priority=None if n in NO_PRIORITY else "Sales",
                       nudges=n not in NO_NUDGES, scale=0.7 + 0.05 * (n % 7))
        yield s


@pytest.fixture
def window(qtbot, store: Store) -> ReviewWindow:
    w = ReviewWindow(Records(store, tz=BERLIN))
    qtbot.addWidget(w)
    w.show_period(FIRST, LAST)
    return w


def test_the_chart_covers_thirty_days_with_the_gaps_and_undeclared_days_marked(window: ReviewWindow) -> None:
    assert window.windowTitle() == TITLE
    days = window.time_chart.days
    assert [d.day for d in days] == [FIRST + timedelta(days=n) for n in range(30)]
    assert [n for n, d in enumerate(days) if d.tracked] == TRACKED
    assert all(d.line is None and not d.stack[0][0] for d in days if not d.tracked)
    assert {n for n, d in enumerate(days) if d.flagged} == NO_PRIORITY
    tracked = window.range.days[TRACKED[1]]
    assert days[TRACKED[1]].stack == ((tracked.seconds["priority"], "#2E9E5B"),)
    assert days[TRACKED[1]].line == tracked.focus_ratio
    assert window.period.text() == "01 June – 30 June 2026 · 17 of 30 days tracked"
    assert "No priority declared on: Wed 03 Jun, Mon 22 Jun" in window.no_priority.text()


def test_hovering_a_day_says_its_figures_and_a_gap_says_nothing_was_tracked(window: ReviewWindow) -> None:
    window.resize(900, 900)
    chart = window.time_chart
    tracked, gap = chart.slot(1).center().x(), chart.slot(15).center().x()
    assert chart.tooltip_at(tracked, 50).startswith("Tue 02 Jun\n3 h 40 min on Sales · focus ")
    assert chart.tooltip_at(gap, 50) == "Tue 16 Jun\nnothing tracked"


def test_nudges_per_day_are_stacked_by_answer(window: ReviewWindow) -> None:
    days = window.nudge_chart.days
    assert [sum(v for v, _ in d.stack) for d in days] == [
        0 if n not in TRACKED or n in NO_NUDGES else 4 for n in range(30)]
    back, snoozed, unanswered = (report.ANSWER_COLOURS[k] for k in ("back", "snooze", None))
    assert days[1].stack == ((2.0, back), (1.0, snoozed), (1.0, unanswered))
    assert window.nudge_line.text().startswith(f"{4 * (len(TRACKED) - len(NO_NUDGES))} nudges · back 30")


def test_the_off_priority_activities_are_ranked(window: ReviewWindow) -> None:
    assert [b.label for b in window.off_bars.bars] == ["Engineering", "Video", "Email", "Unclassified"]
    assert window.off_bars.bars[0].seconds == pytest.approx(window.range.off_priority[0].seconds)


def test_answers_change_the_suggestion_at_once_and_are_kept(qtbot, window: ReviewWindow, store: Store) -> None:
    assert window.suggestion.text().startswith("Engineering took 57 % of your off-priority time")
    window.answer("Video", Verdict.TOO_MUCH)
    assert window.suggestion.text().startswith("Video took 26 % of your off-priority time")
    window.answer("Sales", Verdict.NOT_ENOUGH)
    assert "Sales gets less time than you want: it was the priority on 15 of 17" in window.suggestion.text()
    with qtbot.waitSignal(window.saved):
        window.save_button.click()
    assert verdicts.review_answers(store, LAST) == {"Video": Verdict.TOO_MUCH, "Sales": Verdict.NOT_ENOUGH}

    again = ReviewWindow(Records(store, tz=BERLIN))
    qtbot.addWidget(again)
    again.show_period(FIRST, LAST)
    assert again.answers() == {"Video": Verdict.TOO_MUCH, "Sales": Verdict.NOT_ENOUGH}
    assert again.suggestion.text() == window.suggestion.text()


def test_closing_with_answers_keeps_them(window: ReviewWindow, store: Store) -> None:
    window.answer("Email", Verdict.JUST_RIGHT)
    window.close()
    assert verdicts.review_answers(store, LAST) == {"Email": Verdict.JUST_RIGHT}


def test_the_review_is_offered_thirty_days_after_first_use(qtbot, tmp_path: Path, store: Store) -> None:
    store.set_meta(prompts.FIRST_USE_KEY, (TODAY - timedelta(days=29)).isoformat())
    clock = Clock(at(TODAY, 10))
    app = make_app(qtbot, tmp_path, store, clock)
    app.on_sample(None, 0.0)
    close_windows(qtbot, app)
    assert app.review_window is None
    store.set_meta(prompts.FIRST_USE_KEY, (TODAY - timedelta(days=31)).isoformat())
    app.on_sample(None, 0.0)
    assert app.review_window is None  # asked once a day
    clock.t = at(TODAY + timedelta(days=1), 10)
    app.on_sample(None, 0.0)
    close_windows(qtbot, app)
    assert app.review_window is not None and app.review_window.isVisible()
    shown = (app.review_window.range.first, app.review_window.range.last)
    assert shown == figures.review_period(TODAY + timedelta(days=1))

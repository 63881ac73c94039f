"""Incremental day figures: the same numbers as summarize_day over the same samples,
at a cost that does not grow with the day (checked by counting, not timing)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from focusguard.core.dayfigures import LiveDayFigures
from focusguard.core.model import Classification, Classified, Declaration, Sample
from focusguard.core.summary import summarize_day
from focusguard.store import Store

BERLIN = ZoneInfo("Europe/Berlin")
P = Classification.PRIORITY
N = Classification.NEUTRAL
D = Classification.DISTRACTION
PD = Classification.PRODUCTIVE_DISTRACTION
U = Classification.UNCLASSIFIED
IDLE = Classification.IDLE
ACTIVITY = {P: "Sales", D: "Video", PD: "Email"}
MAX_GAP = 4.0


def at(*args: int) -> float:
    return datetime(*args, tzinfo=BERLIN).timestamp()


def sample(t: float, classification: Classification = P, app: str = "code", title: str = "main.py") -> Classified:
    return Classified(Sample(t, app, title), ACTIVITY.get(classification), classification)


def assert_same(figures: LiveDayFigures, store: Store, day: date) -> None:
    store.flush()
    summary = summarize_day(store, day, BERLIN)
    assert figures.seconds == pytest.approx(summary.seconds)
    assert figures.focus_ratio == pytest.approx(summary.focus_ratio)
    assert figures.longest_priority_streak_seconds == pytest.approx(summary.longest_priority_streak_seconds)
    assert figures.longest_priority_streak_on == summary.longest_priority_streak_on
    assert figures.by_priority == pytest.approx(summary.by_priority)
    assert list(figures.by_priority) == list(summary.by_priority)
    assert [h for h in figures.hours] == [pytest.approx(h) for h in summary.hours]
    top = figures.top_off_priority()
    assert [(i.activity, i.app, i.title, i.priority) for i in top] == [
        (i.activity, i.app, i.title, i.priority) for i in summary.top_off_priority]
    assert [i.seconds for i in top] == pytest.approx([i.seconds for i in summary.top_off_priority])
    by_activity: dict[str, float] = {}
    for s in summary.timeline:
        if s.activity is not None:
            by_activity[s.activity] = by_activity.get(s.activity, 0.0) + s.seconds
    assert figures.by_activity == pytest.approx(by_activity)


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "fg.db", max_gap=MAX_GAP, flush_every=0) as s:
        yield s


def both(store: Store, figures: LiveDayFigures, c: Classified) -> None:
    store.record(c)
    figures.add(c)


# --- the property -------------------------------------------------------------------

WINDOWS = [(P, "code", "main.py"), (P, "code", "test.py"), (D, "firefox", "YouTube"),
           (PD, "thunderbird", "Inbox"), (U, "gimp", "Untitled"), (N, "nautilus", "Home"), (IDLE, "", "")]
steps = st.lists(
    st.tuples(st.sampled_from(range(len(WINDOWS))), st.floats(0.0, 3 * MAX_GAP, allow_nan=False)),
    min_size=1, max_size=80,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps, start_hour=st.sampled_from([0, 9, 23]), day=st.sampled_from(
    [date(2026, 3, 29), date(2026, 10, 25), date(2026, 7, 14)]))
def test_incremental_figures_equal_summarize_day(tmp_path_factory, steps, start_hour: int, day: date) -> None:
    """Samples with gaps shorter and longer than max_gap, across hours, across midnight
    (from 23:59:30) and on both DST days: every figure equals summarize_day's."""
    path = tmp_path_factory.mktemp("db") / "fg.db"
    with Store(path, max_gap=MAX_GAP, flush_every=0) as store:
        figures = LiveDayFigures(day, tz=BERLIN, max_gap=MAX_GAP)
        t = at(day.year, day.month, day.day, start_hour, 59 if start_hour else 0, 30 if start_hour else 0)
        for index, gap in steps:
            classification, app, title = WINDOWS[index]
            both(store, figures, sample(t, classification, app, title))
            t += gap
        assert_same(figures, store, day)


# --- edge cases ---------------------------------------------------------------------


def test_load_then_advance_equals_a_fresh_summary(store: Store) -> None:
    """The app's start: figures loaded from the stored day, then advanced, are those of
    the whole day; the stored last event is continued, as the store continues it."""
    day, t = date(2026, 7, 14), at(2026, 7, 14, 9)
    for i in range(100):
        store.record(sample(t + 2 * i, D if i % 10 == 9 else P, title=f"doc {i // 10}"))
    store.flush()
    figures = LiveDayFigures.load(day, store.events(*figures_bounds(day)), tz=BERLIN, max_gap=MAX_GAP)
    t += 200  # within max_gap of the last sample (t + 198): the same event goes on
    for i in range(20):
        both(store, figures, sample(t + 2 * i, D, title="doc 9"))
    assert_same(figures, store, day)
    assert figures.seconds[D] == pytest.approx(10 * 2 + 38)


def figures_bounds(day: date) -> tuple[float, float]:
    from focusguard.core.timefmt import day_bounds

    return day_bounds(day, BERLIN)


def test_day_change_carries_the_open_segment_past_midnight(tmp_path: Path) -> None:
    """A window open across midnight counts on both days, each for its own part."""
    with Store(tmp_path / "fg.db", max_gap=MAX_GAP, flush_every=0) as store:
        first, second = date(2026, 7, 14), date(2026, 7, 15)
        today = LiveDayFigures(first, tz=BERLIN, max_gap=MAX_GAP)
        t = at(2026, 7, 14, 23, 59, 57)
        for i in range(2):
            both(store, today, sample(t + 2 * i))
        tomorrow = LiveDayFigures(second, tz=BERLIN, max_gap=MAX_GAP, carry=today.open)
        for i in range(2, 4):
            both(store, tomorrow, sample(t + 2 * i))
        assert_same(tomorrow, store, second)
        assert tomorrow.seconds[P] == pytest.approx(3.0)  # 00:00:00 .. 00:00:03
        today.add(sample(t + 4))
        assert_same(today, store, first)
        assert today.seconds[P] == pytest.approx(3.0)  # 23:59:57 .. midnight


def test_a_hole_longer_than_max_gap_credits_nothing_and_breaks_the_streak(store: Store) -> None:
    day, t = date(2026, 7, 14), at(2026, 7, 14, 10)
    figures = LiveDayFigures(day, tz=BERLIN, max_gap=MAX_GAP)
    for dt in (0, 2, 4, 40, 42, 44, 46):
        both(store, figures, sample(t + dt))
    assert figures.seconds[P] == pytest.approx(10.0)
    assert figures.longest_priority_streak_seconds == pytest.approx(6.0)
    assert_same(figures, store, day)


def test_neutral_bridges_a_streak_and_a_distraction_breaks_it(store: Store) -> None:
    day, t = date(2026, 7, 14), at(2026, 7, 14, 10)
    figures = LiveDayFigures(day, tz=BERLIN, max_gap=MAX_GAP)
    script = [P, P, N, P, P, D, P]  # 2 s each: run 4 + 4 (neutral bridges), then broken
    for i, classification in enumerate([*script, P]):
        both(store, figures, sample(t + 2 * i, classification, app=classification.value))
    assert figures.longest_priority_streak_seconds == pytest.approx(8.0)
    assert_same(figures, store, day)


def test_priority_change_counts_by_declaration_and_reclassifies_from_then(store: Store) -> None:
    """Declaring another priority mid-day: the same window is now off-priority (a
    reclassification of what comes next, not of the past, from the declaration's
    instant on: the Sales sample before it covers only up to it), and each priority
    keeps its own priority time."""
    day, t = date(2026, 7, 14), at(2026, 7, 14, 9)
    sales, engineering = Declaration(t - 60, "Sales"), Declaration(t + 9, "Engineering")
    store.declare(sales)
    figures = LiveDayFigures(day, tz=BERLIN, max_gap=MAX_GAP, declarations=[sales])
    for i in range(5):
        both(store, figures, sample(t + 2 * i, P))  # 9 s on Sales, up to the change
    store.declare(engineering)
    figures.declare(engineering)
    for i in range(5, 10):
        both(store, figures, sample(t + 2 * i, PD))  # Sales work is now off-priority
    for i in range(10, 13):
        c = sample(t + 2 * i, P, app="vim")
        both(store, figures, Classified(c.sample, "Engineering", P))
    assert figures.by_priority == pytest.approx({"Sales": 9.0, "Engineering": 4.0})
    assert figures.seconds[PD] == pytest.approx(11.0)
    assert_same(figures, store, day)


def test_clock_set_back_is_not_counted_twice(store: Store) -> None:
    day, t = date(2026, 7, 14), at(2026, 7, 14, 10)
    figures = LiveDayFigures(day, tz=BERLIN, max_gap=MAX_GAP)
    for dt in (0, 2, 4, 6):
        figures.add(sample(t + dt))
    for dt in (3, 5, 7, 9):  # the clock went back 3 s
        figures.add(sample(t + dt, D))
    assert sum(figures.seconds.values()) == pytest.approx(9.0)
    assert figures.seconds[D] == pytest.approx(3.0)


def test_a_sample_of_another_day_credits_nothing(store: Store) -> None:
    figures = LiveDayFigures(date(2026, 7, 14), tz=BERLIN, max_gap=MAX_GAP)
    for dt in (0, 2, 4):
        figures.add(sample(at(2026, 7, 15, 10) + dt))
    assert sum(figures.seconds.values()) == 0.0
    assert figures.focus_ratio is None


def test_the_cost_of_a_sample_does_not_grow_with_the_day() -> None:
    """Counted, not timed: a sample touches the same few dict entries at 9:00 and at
    17:00 (the off-priority table grows only with distinct windows)."""
    figures = LiveDayFigures(date(2026, 7, 14), tz=BERLIN, max_gap=MAX_GAP)
    t = at(2026, 7, 14, 9)
    for i in range(8 * 3600):
        figures.add(sample(t + i, D if i % 5 else P, title=f"tab {i % 7}"))
    assert len(figures._off_priority) == 7
    assert sum(figures.seconds.values()) == pytest.approx(8 * 3600 - 1)

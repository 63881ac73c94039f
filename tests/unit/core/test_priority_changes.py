"""A priority changed mid-day: time belongs to the priority in force when it was spent.

The samples here are classified as the app classifies them (against the priority of
their moment), and the declarations fall between samples, as a click in the declare
dialog or ``focusguard priority set`` does.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from focusguard.core.dayfigures import LiveDayFigures
from focusguard.core.figures import day_figures, summarize_range
from focusguard.core.model import Classification, Classified, Declaration, Sample
from focusguard.core.report import (
    DAYS_CSV_FIELDS,
    days_rows,
    declared_days_sentence,
    headline,
    nudge_line,
    off_priority_groups,
    off_priority_label,
    rows_csv,
)
from focusguard.core.summary import relative, summarize_day
from focusguard.core.timefmt import day_bounds
from focusguard.store import Store

BERLIN = ZoneInfo("Europe/Berlin")
P = Classification.PRIORITY
PD = Classification.PRODUCTIVE_DISTRACTION
D = Classification.DISTRACTION
N = Classification.NEUTRAL
MAX_GAP = 4.0
DAY = date(2026, 7, 14)

#: window -> (app, title, activity, what it is when it is not the priority)
WINDOWS = {
    "crm": ("firefox", "HubSpot CRM", "Sales", PD),
    "editor": ("code", "main.py", "Code", PD),
    "video": ("firefox", "YouTube", "Video", D),
    "files": ("nautilus", "Home", None, N),
}


def at(*args: int) -> float:
    return datetime(*args, tzinfo=BERLIN).timestamp()


def classified(t: float, window: str, priority: str | None) -> Classified:
    """What the classifier says of ``window`` at ``t`` while ``priority`` is declared."""
    app, title, activity, otherwise = WINDOWS[window]
    verdict = P if activity is not None and activity == priority else otherwise
    return Classified(Sample(t, app, title), activity, verdict)


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "fg.db", max_gap=MAX_GAP, flush_every=0) as s:
        yield s


def sales_then_code(store: Store) -> LiveDayFigures:
    """09:00 Sales declared; 4 min in the CRM and 1 min in the editor; at 09:05:01
    (between two samples, the CRM in front) Code is declared; then 2 min in the CRM
    and 3 min in the editor."""
    t0 = at(2026, 7, 14, 9)
    sales = Declaration(t0, "Sales", "call Anna")
    store.declare(sales)
    figures = LiveDayFigures(DAY, tz=BERLIN, max_gap=MAX_GAP, declarations=[sales])
    script = [("crm", 240), ("editor", 60)]
    t, priority = t0, "Sales"
    for window, seconds in script:
        for k in range(0, seconds, 2):
            c = classified(t + k, window, priority)
            store.record(c)
            figures.add(c)
        t += seconds
    for k in (0, 2):  # the CRM again; the change comes between these two samples
        c = classified(t + k, "crm", priority)
        store.record(c)
        figures.add(c)
    code = Declaration(t + 3, "Code", "fix the build")
    store.declare(code)
    figures.declare(code)
    priority = "Code"
    t += 4
    for window, seconds in [("crm", 116), ("editor", 180)]:
        for k in range(0, seconds, 2):
            c = classified(t + k, window, priority)
            store.record(c)
            figures.add(c)
        t += seconds
    c = classified(t, "files", priority)
    store.record(c)
    figures.add(c)
    store.flush()
    return figures


def test_each_priority_keeps_its_own_time(store: Store) -> None:
    figures = sales_then_code(store)
    summary = summarize_day(store, DAY, BERLIN)
    # Sales: 09:00-09:04 in the CRM, then 3 s of CRM up to the change; Code: 3 min in the editor.
    assert summary.by_priority == pytest.approx({"Sales": 243.0, "Code": 180.0})
    assert figures.by_priority == pytest.approx(summary.by_priority)
    assert figures.priority_seconds("code") == pytest.approx(180.0)
    # Off the priority: the editor under Sales (60 s), the CRM under Code (1 s before the
    # next sample, then 116 s).
    off = {(i.activity, i.priority): i.seconds for i in summary.top_off_priority}
    assert off == pytest.approx({("Code", "Sales"): 60.0, ("Sales", "Code"): 117.0})
    assert summary.longest_priority_streak_on == "Sales"
    assert summary.longest_priority_streak_seconds == pytest.approx(240.0)  # the editor broke it
    assert summary.changed


def test_classification_is_relative_to_each_part_of_the_day(store: Store) -> None:
    """In the Sales part Sales windows are on priority and Code windows a productive
    distraction; after the change, the reverse; the CRM event open at the change is cut."""
    sales_then_code(store)
    change = at(2026, 7, 14, 9, 5, 3)
    summary = summarize_day(store, DAY, BERLIN)
    seen = {(s.activity, s.priority, s.classification) for s in summary.timeline if s.activity}
    assert seen == {("Sales", "Sales", P), ("Code", "Sales", PD), ("Sales", "Code", PD), ("Code", "Code", P)}
    assert all(s.end <= change or s.start >= change for s in summary.timeline)
    cut = [s for s in summary.timeline if s.activity == "Sales" and change - 4 <= s.start <= change]
    assert [(s.start, s.end, s.priority) for s in cut] == [
        (change - 3, change, "Sales"), (change, change + 1, "Code")]


def test_periods_split_the_day_and_a_new_next_step_is_no_change(store: Store) -> None:
    sales_then_code(store)
    store.declare(Declaration(at(2026, 7, 14, 12), "code", "write tests"))  # same activity, another step
    summary = summarize_day(store, DAY, BERLIN)
    end = day_bounds(DAY, BERLIN)[1]
    assert [(p.priority, p.start, p.end, p.next_step) for p in summary.periods] == [
        ("Sales", at(2026, 7, 14, 9), at(2026, 7, 14, 9, 5, 3), "call Anna"),
        ("Code", at(2026, 7, 14, 9, 5, 3), end, "write tests"),
    ]
    sales, code = summary.periods
    assert sales.seconds[P] == pytest.approx(243.0) and sales.focus_ratio == pytest.approx(243 / 303)
    assert code.seconds[P] == pytest.approx(180.0) and code.focus_ratio == pytest.approx(180 / 297)
    assert sum(sum(p.seconds.values()) for p in summary.periods) == pytest.approx(sum(summary.seconds.values()))


def test_time_before_the_first_declaration_is_a_period_of_its_own(store: Store) -> None:
    t = at(2026, 7, 14, 8, 50)
    for k in range(0, 62, 2):
        store.record(classified(t + k, "crm", None))
    store.declare(Declaration(t + 60, "Sales"))
    for k in range(62, 122, 2):
        store.record(classified(t + k, "crm", "Sales"))
    summary = summarize_day(store, DAY, BERLIN)
    assert [p.priority for p in summary.periods] == [None, "Sales"]
    assert summary.top_off_priority[0].priority is None
    assert summary.by_priority == pytest.approx({"Sales": 60.0})


def test_relative_judges_only_what_depends_on_the_priority() -> None:
    assert relative(PD, "Code", "code") is P  # the new priority's window
    assert relative(P, "Sales", "Code") is PD  # the old one's
    assert relative(D, "Video", "Code") is D
    assert relative(N, None, "Code") is N
    assert relative(Classification.IDLE, None, "Code") is Classification.IDLE


# --- the property: live figures == summarize_day, whatever the changes ----------------

steps = st.lists(
    st.one_of(
        st.tuples(st.just("sample"), st.sampled_from(sorted(WINDOWS)), st.floats(0.0, 2.5 * MAX_GAP)),
        st.tuples(st.just("declare"), st.sampled_from(["Sales", "Code", "sales"]), st.floats(0.0, 1.0)),
    ),
    min_size=1, max_size=60,
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps, hour=st.sampled_from([9, 23]))
def test_live_figures_equal_summarize_day_across_changes(tmp_path_factory, steps, hour: int) -> None:
    """Samples and declarations interleaved at random (a declaration between two
    samples, several in a row, the same one twice, across midnight from 23:59:30):
    the tray's figures, advanced sample by sample and declaration by declaration,
    and the figures loaded afresh, equal the stored day's summary."""
    path = tmp_path_factory.mktemp("db") / "fg.db"
    with Store(path, max_gap=MAX_GAP, flush_every=0) as store:
        figures = LiveDayFigures(DAY, tz=BERLIN, max_gap=MAX_GAP)
        t = at(2026, 7, 14, hour, 59, 30) if hour == 23 else at(2026, 7, 14, hour)
        floor = t  # a declaration comes after the last sample and the last declaration
        priority: str | None = None
        for kind, what, gap in steps:
            if kind == "declare":  # at a point between the last sample and the next one
                d = Declaration(floor + gap * (t - floor), what)
                floor = d.at
                store.declare(d)
                if d.at < day_bounds(DAY, BERLIN)[1]:
                    figures.declare(d)
                    priority = what
                continue
            c = classified(t, what, priority if priority is None else priority.capitalize())
            store.record(c)
            figures.add(c)
            floor, t = t, t + gap
        store.flush()
        summary = summarize_day(store, DAY, BERLIN)
        start, end = day_bounds(DAY, BERLIN)
        loaded = LiveDayFigures.load(DAY, store.events(start, end), tz=BERLIN, max_gap=MAX_GAP,
                                     declarations=store.declarations(start, end))
        for live in (figures, loaded):
            assert live.seconds == pytest.approx(summary.seconds)
            assert live.by_priority == pytest.approx(summary.by_priority)
            assert live.longest_priority_streak_seconds == pytest.approx(summary.longest_priority_streak_seconds)
            assert live.longest_priority_streak_on == summary.longest_priority_streak_on
            assert [h for h in live.hours] == [pytest.approx(h) for h in summary.hours]
            top = live.top_off_priority()
            assert [(i.activity, i.priority) for i in top] == [
                (i.activity, i.priority) for i in summary.top_off_priority]
            assert [i.seconds for i in top] == pytest.approx([i.seconds for i in summary.top_off_priority])


# --- the review and the summary's words -----------------------------------------------


def test_the_review_claims_nothing_of_days_it_did_not_track(store: Store) -> None:
    empty = summarize_range(store, date(2026, 7, 1), DAY, BERLIN)
    assert declared_days_sentence(empty) == "No day tracked in this period yet."
    sales_then_code(store)
    tracked = summarize_range(store, date(2026, 7, 1), DAY, BERLIN)
    assert declared_days_sentence(tracked) == "A priority was declared on every tracked day."


def test_a_sales_day_lists_sales_off_priority_only_with_the_priority_it_was_off(store: Store) -> None:
    """Code declared first, the morning spent in the CRM, then Sales declared: the CRM
    time before the change is off Code, and says so."""

    t = at(2026, 7, 14, 9)
    store.declare(Declaration(t, "Code"))
    for k in range(0, 300, 2):
        store.record(classified(t + k, "crm", "Code"))
    store.declare(Declaration(t + 301, "Sales"))
    for k in range(302, 600, 2):
        store.record(classified(t + k, "crm", "Sales"))
    figures = day_figures(store, DAY, BERLIN)
    item = figures.summary.top_off_priority[0]
    assert (item.activity, item.priority) == ("Sales", "Code")
    assert off_priority_label(item, figures.summary) == "Sales · during Code"
    assert [heading for heading, _ in off_priority_groups(figures.summary)] == ["Top off-priority during Code"]
    assert headline(figures).startswith("on Code (0 min) and Sales (5 min) · focus")
    assert nudge_line(figures).endswith("longest streak on Sales 5 min")


def test_exported_days_say_whose_priority_time_it_was(store: Store) -> None:
    import csv
    import io


    sales_then_code(store)
    rows = days_rows(store, DAY, DAY, BERLIN)
    assert rows[0]["priority"] == "Code" and rows[0]["priority_seconds"] == pytest.approx(423.0)
    assert rows[0]["priority_seconds_by_priority"] == {"Sales": 243.0, "Code": 180.0}
    parsed = next(csv.DictReader(io.StringIO(rows_csv(rows, DAYS_CSV_FIELDS), newline="")))
    assert parsed["priority_seconds_by_priority"] == "Sales: 243; Code: 180"

"""Day summaries: DST-safe day bounds, conservation of time, streaks, JSON."""

from __future__ import annotations

import itertools
import json
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from focusguard.core.model import Answer, Classification, Classified, Declaration, Nudge, Sample
from focusguard.core.report import summary_json
from focusguard.core.summary import TOP_OFF_PRIORITY, day_totals, summarize_day
from focusguard.core.timefmt import day_bounds
from focusguard.store import Store

BERLIN = ZoneInfo("Europe/Berlin")
P = Classification.PRIORITY
N = Classification.NEUTRAL
D = Classification.DISTRACTION
PD = Classification.PRODUCTIVE_DISTRACTION
U = Classification.UNCLASSIFIED
IDLE = Classification.IDLE
HOUR = 3600.0


def berlin(*args: int) -> float:
    return datetime(*args, tzinfo=BERLIN).timestamp()


def sample(at: float, classification: Classification = P, app: str = "code", title: str = "main.py") -> Classified:
    activity = {P: "Sales", D: "Video", PD: "Email"}.get(classification)
    return Classified(Sample(at, app, title), activity, classification)


def play(store: Store, start: float, script: list[tuple[float, Classification, str]]) -> float:
    """Record one sample at the start of each (seconds, classification, app) segment
    and a last one at the end; store.max_gap must cover the longest segment."""
    t = start
    for seconds, classification, app in script:
        store.record(sample(t, classification, app))
        t += seconds
    store.record(sample(t, script[-1][1], script[-1][2]))
    return t


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "fg.db", max_gap=4 * HOUR, flush_every=0) as s:
        yield s


# --- day bounds ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "hours", "utc_start"),
    [
        (date(2026, 3, 29), 23, "2026-03-28T23:00:00+00:00"),
        (date(2026, 10, 25), 25, "2026-10-24T22:00:00+00:00"),
        (date(2026, 6, 1), 24, "2026-05-31T22:00:00+00:00"),
        (date(2026, 1, 1), 24, "2025-12-31T23:00:00+00:00"),
    ],
)
def test_day_bounds_follow_dst(day: date, hours: int, utc_start: str) -> None:
    start, end = day_bounds(day, BERLIN)
    assert datetime.fromtimestamp(start, ZoneInfo("UTC")).isoformat() == utc_start
    assert end - start == hours * HOUR
    assert day_bounds(day + timedelta(days=1), BERLIN)[0] == end



@pytest.mark.usefixtures("local_berlin")
@pytest.mark.parametrize("day", [date(2026, 3, 29), date(2026, 10, 25), date(2026, 7, 14)])
def test_day_bounds_local_zone_uses_the_rules_of_that_date(day: date) -> None:
    assert day_bounds(day) == day_bounds(day, BERLIN)


# --- totals -------------------------------------------------------------------


def test_empty_day(store: Store) -> None:
    s = summarize_day(store, date(2026, 6, 1), BERLIN)
    assert s.seconds == {c.value: 0.0 for c in Classification}
    assert s.focus_ratio is None
    assert s.priority is None and s.next_step == "" and s.declarations == ()
    assert s.longest_priority_streak_seconds == 0
    assert s.top_off_priority == () and s.nudges == () and s.timeline == ()
    assert len(s.hours) == 24 and all(h == {c.value: 0.0 for c in Classification} for h in s.hours)


def test_seconds_focus_ratio_and_hours(store: Store) -> None:
    script = [(3000, P, "code"), (600, N, "files"), (1000, D, "firefox"), (1200, IDLE, "code")]
    play(store, berlin(2026, 6, 1, 9, 30), script)
    s = summarize_day(store, date(2026, 6, 1), BERLIN)
    assert s.seconds[P] == 3000 and s.seconds[N] == 600 and s.seconds[D] == 1000 and s.seconds[IDLE] == 1200
    assert s.focus_ratio == pytest.approx(3000 / 4000)
    zero = {c.value: 0.0 for c in Classification}
    assert s.hours[9] == {**zero, "priority": 1800.0}
    assert s.hours[10] == {**zero, "priority": 1200.0, "neutral": 600.0, "distraction": 1000.0, "idle": 800.0}
    assert s.hours[11]["idle"] == 400.0
    assert [(seg.classification, seg.seconds) for seg in s.timeline] == [(P, 3000), (N, 600), (D, 1000), (IDLE, 1200)]


def test_event_spanning_midnight_counts_on_both_days(store: Store) -> None:
    play(store, berlin(2026, 6, 1, 23, 0), [(2 * HOUR, U, "terminal")])
    first = summarize_day(store, date(2026, 6, 1), BERLIN)
    second = summarize_day(store, date(2026, 6, 2), BERLIN)
    assert first.seconds[U] == second.seconds[U] == HOUR
    assert first.hours[23][U] == HOUR and second.hours[0][U] == HOUR
    assert first.timeline[0].end == second.timeline[0].start == berlin(2026, 6, 2)


@pytest.mark.parametrize(
    ("day", "hours", "hour_two"), [(date(2026, 3, 29), 23, 0.0), (date(2026, 10, 25), 25, 2 * HOUR)]
)
def test_dst_day_covered_all_day(store: Store, day: date, hours: int, hour_two: float) -> None:
    start, _end = day_bounds(day, BERLIN)
    play(store, start - HOUR, [(HOUR, P, "code")] * (hours + 2))
    s = summarize_day(store, day, BERLIN)
    assert s.seconds[P] == hours * HOUR
    assert sum(h[P] for h in s.hours) == hours * HOUR
    assert s.hours[2][P] == hour_two
    assert all(h[P] == HOUR for i, h in enumerate(s.hours) if i != 2)


# --- streaks and top items ------------------------------------------------------


@pytest.mark.parametrize(
    ("script", "longest"),
    [
        ([(600, P, "a"), (60, N, "files"), (600, P, "a")], 1200),  # neutral bridges, is not counted
        ([(600, P, "a"), (60, D, "yt"), (900, P, "a")], 900),  # off-priority breaks
        ([(600, P, "a"), (60, IDLE, "a"), (500, P, "a")], 600),  # idle breaks
        ([(600, P, "a"), (60, PD, "mail"), (300, P, "a"), (100, N, "f"), (400, P, "a")], 700),
    ],
)
def test_longest_priority_streak(store: Store, script: list, longest: float) -> None:
    play(store, berlin(2026, 6, 1, 9), script)
    assert summarize_day(store, date(2026, 6, 1), BERLIN).longest_priority_streak_seconds == longest


def test_a_hole_in_the_log_breaks_the_streak(tmp_path: Path) -> None:
    with Store(tmp_path / "fg.db", max_gap=4, flush_every=0) as s:
        t0 = berlin(2026, 6, 1, 9)
        for t in range(0, 302, 2):
            s.record(sample(t0 + t))
        for t in range(400, 602, 2):  # after a 98 s hole (suspend)
            s.record(sample(t0 + t))
        summary = summarize_day(s, date(2026, 6, 1), BERLIN)
    assert summary.seconds[P] == 500
    assert summary.longest_priority_streak_seconds == 300


def test_top_off_priority_grouped_and_ranked(store: Store) -> None:
    script = [(100 + 10 * i, U, f"app{i}") for i in range(TOP_OFF_PRIORITY + 2)]
    script += [(500, P, "code"), (55, U, "app0"), (60, D, "yt")]
    play(store, berlin(2026, 6, 1, 9), script)
    top = summarize_day(store, date(2026, 6, 1), BERLIN).top_off_priority
    assert len(top) == TOP_OFF_PRIORITY
    assert [(i.app, i.seconds) for i in top] == [
        *((f"app{i}", 100 + 10 * i) for i in range(11, 5, -1)),
        ("app0", 155),  # two events of the same window add up
        *((f"app{i}", 100 + 10 * i) for i in range(5, 2, -1)),
    ]
    assert all(i.activity is None and i.title == "main.py" for i in top)


# --- declarations, nudges, JSON -------------------------------------------------


def test_priority_is_the_latest_declaration_of_the_day(store: Store) -> None:
    store.declare(Declaration(berlin(2026, 6, 1, 21), "Yesterday", "old step"))
    store.declare(Declaration(berlin(2026, 6, 2, 8), "Sales", "call Anna"))
    store.declare(Declaration(berlin(2026, 6, 2, 13), "Writing", "outline chapter 2"))
    s = summarize_day(store, date(2026, 6, 2), BERLIN)
    assert (s.priority, s.next_step) == ("Writing", "outline chapter 2")
    assert [d.activity for d in s.declarations] == ["Sales", "Writing"]
    assert summarize_day(store, date(2026, 6, 3), BERLIN).priority is None


def test_nudges_of_the_day_with_answers(store: Store) -> None:
    before = store.add_nudge(Nudge(berlin(2026, 6, 1, 23, 59), "Video", D, 300, 300, 1))
    first = store.add_nudge(Nudge(berlin(2026, 6, 2, 10), "Video", D, 300, 300, 1, "firefox", "YouTube"))
    second = store.add_nudge(Nudge(berlin(2026, 6, 2, 11), None, U, 900, 0, 2))
    store.answer_nudge(first, Answer.BACK, berlin(2026, 6, 2, 10, 0, 5))
    s = summarize_day(store, date(2026, 6, 2), BERLIN)
    assert [(n.id, n.answer) for n in s.nudges] == [(first, Answer.BACK), (second, None)]
    assert before not in [n.id for n in s.nudges]


def test_to_json(store: Store) -> None:
    play(store, berlin(2026, 10, 25, 9), [(1800, P, "code"), (600, D, "firefox")])
    store.declare(Declaration(berlin(2026, 10, 25, 8), "Sales", "call Anna"))
    nudge = store.add_nudge(Nudge(berlin(2026, 10, 25, 1, 30), "Video", D, 300, 300, 1))  # CEST, before the change
    store.add_nudge(Nudge(berlin(2026, 10, 25, 9, 40), "Video", D, 300, 300, 2))
    store.answer_nudge(nudge, Answer.PART_OF_PRIORITY, berlin(2026, 10, 25, 1, 31))
    data = summary_json(summarize_day(store, date(2026, 10, 25), BERLIN), BERLIN)
    assert json.loads(json.dumps(data)) == data
    assert list(data) == [
        "date",
        "priority",
        "next_step",
        "seconds",
        "focus_ratio",
        "longest_priority_streak_seconds",
        "top_off_priority",
        "nudges",
        "hours",
        "longest_priority_streak_on",
        "by_priority",
        "periods",
    ]
    assert (data["date"], data["priority"], data["next_step"]) == ("2026-10-25", "Sales", "call Anna")
    assert set(data["seconds"]) == {c.value for c in Classification}
    assert data["seconds"]["priority"] == 1800 and data["focus_ratio"] == 0.75
    assert data["longest_priority_streak_seconds"] == 1800
    assert data["top_off_priority"] == [
        {"activity": "Video", "app": "firefox", "title": "main.py", "seconds": 600, "priority": "Sales"}]
    assert data["longest_priority_streak_on"] == "Sales" and data["by_priority"] == {"Sales": 1800}
    assert data["periods"] == [{"from": "2026-10-25T08:00:00+01:00", "to": "2026-10-26T00:00:00+01:00",
                                "priority": "Sales", "next_step": "call Anna",
                                "seconds": {**{c.value: 0 for c in Classification},
                                            "priority": 1800, "distraction": 600},
                                "focus_ratio": 0.75}]
    video = {"activity": "Video", "classification": "distraction"}
    assert data["nudges"] == [
        {"at": "2026-10-25T01:30:00+02:00", **video, "level": 1, "answer": "part_of_priority"},
        {"at": "2026-10-25T09:40:00+01:00", **video, "level": 2, "answer": None},
    ]
    assert len(data["hours"]) == 24 and data["hours"][9]["priority"] == 1800 and data["hours"][9]["distraction"] == 600


# --- conservation -----------------------------------------------------------------

MAX_GAP = 4.0
# Interesting places to start: just before a DST change, just before midnight, midday.
STARTS = [berlin(2026, 3, 29, 1, 59), berlin(2026, 10, 25, 2, 58), berlin(2026, 6, 1, 23, 59), berlin(2026, 6, 2, 12)]
steps = st.lists(
    st.tuples(
        st.integers(0, 40).map(lambda quarters: quarters / 4),  # seconds to the next sample, exact in binary
        st.sampled_from(["code", "firefox", "slack"]),
        st.sampled_from(list(Classification)),
    ),
    min_size=1,
    max_size=60,
)


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(STARTS), st.integers(0, 300), steps)
def test_time_is_conserved(start: float, offset: int, script: list[tuple[float, str, Classification]]) -> None:
    """Every second a sample covers under the heartbeat convention (until the
    next sample, if it came within max_gap) lands in exactly one class, one
    local day and one hour bin -- no more, no less."""
    expected = {c.value: 0.0 for c in Classification}
    t = start + offset
    times = []
    with tempfile.TemporaryDirectory() as directory, Store(
        Path(directory) / "fg.db", max_gap=MAX_GAP, flush_every=0
    ) as store:
        for i, (gap, app, classification) in enumerate(script):
            store.record(sample(t, classification, app))
            times.append(t)
            if i + 1 < len(script) and gap <= MAX_GAP:
                expected[classification] += gap
            t += gap
        first_day = datetime.fromtimestamp(times[0], BERLIN).date()
        last_day = datetime.fromtimestamp(times[-1], BERLIN).date()
        span = (last_day - first_day).days + 1
        days = [summarize_day(store, first_day + timedelta(days=n), BERLIN) for n in range(span)]
    for c in Classification:
        assert sum(d.seconds[c] for d in days) == pytest.approx(expected[c], abs=1e-6)
    for d in days:
        for c in Classification:
            assert sum(h[c] for h in d.hours) == pytest.approx(d.seconds[c], abs=1e-6)
        assert sum(seg.seconds for seg in d.timeline) == pytest.approx(sum(d.seconds.values()), abs=1e-6)
        assert all(a.end <= b.start for a, b in itertools.pairwise(d.timeline))


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(STARTS), steps,
       st.lists(st.tuples(st.integers(-60, 400), st.sampled_from(["Sales", "video", "Email", "Hiring"])), max_size=4))
def test_a_days_totals_alone_are_its_summarys(start: float, script: list[tuple[float, str, Classification]],
                                              declared: list[tuple[int, str]]) -> None:
    """What the week's average reads of a day, counted without building the day: the
    same seconds and focus ratio, however the priority changed over it."""
    with tempfile.TemporaryDirectory() as directory, Store(
        Path(directory) / "fg.db", max_gap=MAX_GAP, flush_every=0
    ) as store:
        for offset, activity in declared:
            store.declare(Declaration(start + offset, activity))
        t = start
        for gap, app, classification in script:
            store.record(sample(t, classification, app))
            t += gap
        day = datetime.fromtimestamp(start, BERLIN).date()
        for d in (day, day + timedelta(days=1)):
            whole, totals = summarize_day(store, d, BERLIN), day_totals(store, d, BERLIN)
            assert totals.seconds == whole.seconds and totals.focus_ratio == whole.focus_ratio


def test_overlapping_events_from_a_clock_set_back_count_once(tmp_path: Path) -> None:
    """The store no longer makes overlaps, but a database from older versions has them."""
    t0 = berlin(2026, 6, 1, 9)
    with Store(tmp_path / "fg.db", max_gap=4, flush_every=0) as s:
        for t in (10, 12, 14):
            s.record(sample(t0 + t, P, "code"))
        s.db.execute('INSERT INTO events (start, "end", app, title, exe, activity, classification) '
                     "VALUES (?, ?, 'firefox', 'main.py', '', 'Video', ?)", (t0 + 11, t0 + 16, D.value))
        summary = summarize_day(s, date(2026, 6, 1), BERLIN)
    timeline = [(seg.start - t0, seg.end - t0, seg.app) for seg in summary.timeline]
    assert timeline == [(10, 14, "code"), (14, 16, "firefox")]
    assert sum(summary.seconds.values()) == 6

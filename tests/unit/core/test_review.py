"""The figures around the day's summary, ranges, the 30-day review, and when each is offered."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from focusguard.core.figures import (
    REVIEW_DAYS,
    RangeSummary,
    activity_times,
    day_figures,
    parse_range,
    priority_changes,
    recoveries,
    review_period,
    summarize_range,
    tracked_seconds,
)
from focusguard.core.model import Answer, Classification, Classified, Declaration, Nudge, Sample
from focusguard.core.prompts import OFFERED_KEY, Prompts
from focusguard.core.report import (
    DAYS_CSV_FIELDS,
    day_json,
    day_markdown,
    days_rows,
    range_json,
    range_markdown,
    range_text,
    rows_csv,
    summary_json,
)
from focusguard.core.summary import summarize_day
from focusguard.core.verdicts import REVIEW_ANSWERS_KEY, Verdict, review_answers, save_review_answers, suggestions
from focusguard.store import Journal, Store

BERLIN = ZoneInfo("Europe/Berlin")
P = Classification.PRIORITY
PD = Classification.PRODUCTIVE_DISTRACTION
D = Classification.DISTRACTION
U = Classification.UNCLASSIFIED
N = Classification.NEUTRAL
IDLE = Classification.IDLE
MIN = 60.0
DAY = date(2026, 6, 2)  # a Tuesday


def at(day: date, hour: float) -> float:
    return datetime(day.year, day.month, day.day, tzinfo=BERLIN).timestamp() + hour * 3600


Step = tuple[float, Classification, str | None, str, str]  # minutes, class, activity, app, title


def play(store: Store, start: float, script: list[Step]) -> float:
    """One sample at the start of each step and one at the end (max_gap covers each step)."""
    t = start
    for minutes, c, activity, app, title in script:
        store.record(Classified(Sample(t, app, title, idle=c is IDLE), activity, c))
        t += minutes * MIN
    last = script[-1]
    store.record(Classified(Sample(t, last[3], last[4]), last[2], last[1]))
    store.flush()
    return t


WORKDAY: list[Step] = [
    (60, P, "Sales", "firefox", "CRM"),
    (30, PD, "Engineering", "code", "app.py"),
    (45, P, "Sales", "firefox", "CRM"),
    (20, D, "Video", "firefox", "YouTube | talk"),
    (10, N, None, "nautilus", "Downloads"),
    (15, U, None, "gimp", "shot.png"),
    (30, IDLE, None, "", ""),
    (40, P, "Sales", "zoom", "call"),
]


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "fg.db", max_gap=3 * 3600, flush_every=0) as s:
        yield s


def workday(store: Store, day: date, *, priority: str | None = "Sales", script: list[Step] = WORKDAY) -> None:
    if priority:
        store.declare(Declaration(at(day, 8.5), priority, "call three customers"))
    play(store, at(day, 9), script)


# --- one day ----------------------------------------------------------------------------


def test_activity_times_group_by_activity_and_leave_out_unnamed_neutral_and_idle(store: Store) -> None:
    workday(store, DAY)
    times = activity_times(summarize_day(store, DAY, BERLIN))
    assert [(a.name, a.seconds / MIN, a.classification) for a in times] == [
        ("Sales", 145, P), ("Engineering", 30, PD), ("Video", 20, D), ("Unclassified", 15, U)]
    assert times[0].colour == "#2E9E5B"


def test_recovery_is_the_time_to_the_next_priority_segment(store: Store) -> None:
    workday(store, DAY)
    engineering = store.add_nudge(Nudge(at(DAY, 10.25), "Engineering", PD, 900, 0, 1))  # 10:15, back at 10:30
    store.answer_nudge(engineering, Answer.BACK, at(DAY, 10.3))
    store.add_nudge(Nudge(at(DAY, 11.5), "Video", D, 300, 300, 2))  # 11:30: Sales again at 12:30
    store.add_nudge(Nudge(at(DAY, 9.5), "Sales", P, 0, 0, 1))  # inside a priority segment
    got = recoveries(summarize_day(store, DAY, BERLIN))
    assert [(r.activity, r.answer, r.seconds / MIN) for r in got] == [
        ("Sales", None, 0), ("Engineering", Answer.BACK, 15), ("Video", None, 60)]


def test_no_recovery_when_the_priority_never_came_back(store: Store) -> None:
    play(store, at(DAY, 9), [(30, P, "Sales", "a", "b"), (60, D, "Video", "f", "y")])
    store.add_nudge(Nudge(at(DAY, 9.75), "Video", D, 300, 300, 1))
    figures = day_figures(store, DAY, BERLIN)
    assert [r.seconds for r in figures.recoveries] == [None]
    assert figures.median_recovery_seconds is None


def test_priority_changes_ignore_a_new_next_step_alone(store: Store) -> None:
    store.declare(Declaration(at(DAY, 8), "Sales", "one"))
    store.declare(Declaration(at(DAY, 9), "Sales", "two"))
    store.declare(Declaration(at(DAY, 11), "Writing", "outline"))
    changes = priority_changes(summarize_day(store, DAY, BERLIN))
    assert [(c.before, c.after, c.at) for c in changes] == [("Sales", "Writing", at(DAY, 11))]


def test_week_average_is_over_the_seven_days_before_and_skips_untracked_days(store: Store) -> None:
    short = [(60, P, "Sales", "a", "b"), (60, PD, "Email", "c", "d")]  # 1 h priority, focus 50 %
    long = [(180, P, "Sales", "a", "b"), (60, PD, "Email", "c", "d")]  # 3 h priority, focus 75 %
    workday(store, DAY - timedelta(days=8), script=long)  # outside the 7 days
    workday(store, DAY - timedelta(days=3), script=long)
    workday(store, DAY - timedelta(days=1), script=short)
    workday(store, DAY, script=short)  # the day itself is not in its own average
    average = day_figures(store, DAY, BERLIN).average
    assert average.days == 2
    assert average.priority_seconds == 2 * 3600
    assert average.focus_ratio == pytest.approx(0.625)


def test_figures_json_keeps_the_summary_json_first_and_unchanged(store: Store) -> None:
    workday(store, DAY)
    store.add_nudge(Nudge(at(DAY, 10.25), "Engineering", PD, 900, 0, 1))
    store.save_journal(Journal(DAY, done="proposal", tomorrow_activity="Sales"))
    figures = day_figures(store, DAY, BERLIN)
    data = day_json(figures, BERLIN)
    base = summary_json(summarize_day(store, DAY, BERLIN), BERLIN)
    assert list(data)[: len(base)] == list(base)
    assert {k: data[k] for k in base} == base
    assert json.loads(json.dumps(data)) == data
    assert data["recoveries"] == [{"at": "2026-06-02T10:15:00+02:00", "activity": "Engineering", "answer": None,
                                   "seconds": 900.0}]
    assert data["activities"][0] == {"name": "Sales", "classification": "priority", "seconds": 145 * MIN}
    assert data["journal"]["done"] == "proposal"


def test_day_markdown_tells_the_day_and_escapes_table_cells(store: Store) -> None:
    workday(store, DAY)
    store.declare(Declaration(at(DAY, 12), "Writing", ""))
    store.save_journal(Journal(DAY, done="sent the proposal", tomorrow_activity="Sales",
                               tomorrow_next_step="call Anna"))
    text = day_markdown(day_figures(store, DAY, BERLIN), BERLIN)
    assert text.startswith("# Tuesday 02 June 2026 · Priority: Writing\n")
    assert "Priority changed at 12:00: Sales → Writing" in text
    # The 12:30 call is Sales, off the priority since Writing was declared at 12:00.
    assert "| On priority | 1 h 45 min |" in text
    assert "**1 h 45 min** on Sales (1 h 45 min) and Writing (0 min) · focus" in text
    assert "- Sales    08:30–12:00   1 h 45 min on it · focus 62 %" in text
    assert "- Writing  from 12:00    0 min on it · focus 0 %" in text
    assert "| Video · during Sales | firefox | YouTube \\| talk | 20 min |" in text
    assert "| Sales · during Writing | zoom | call | 40 min |" in text
    assert "sent the proposal" in text and "**Tomorrow's priority:** Sales — next step: call Anna" in text


# --- ranges -----------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("7d", (date(2026, 5, 27), DAY)),
    ("1d", (DAY, DAY)),
    ("30d", (date(2026, 5, 4), DAY)),
    ("2026-05-01:2026-05-03", (date(2026, 5, 1), date(2026, 5, 3))),
])
def test_parse_range(text: str, expected: tuple[date, date]) -> None:
    assert parse_range(text, DAY) == expected


@pytest.mark.parametrize("text", ["0d", "week", "2026-05-03:2026-05-01", "2026-05-01", "2026-13-01:2026-13-02"])
def test_parse_range_refuses_nonsense_with_a_clear_message(text: str) -> None:
    with pytest.raises(ValueError, match="range"):
        parse_range(text, DAY)


def test_range_summary_counts_tracked_days_and_days_without_priority(store: Store) -> None:
    first = DAY - timedelta(days=6)
    workday(store, first)
    workday(store, first + timedelta(days=2), priority=None)
    workday(store, DAY)
    r = summarize_range(store, first, DAY, BERLIN)
    assert len(r.days) == 7 and len(r.tracked) == 3
    assert r.days_without_priority == (first + timedelta(days=2),)  # days off are not listed
    assert [(a.name, a.seconds / MIN) for a in r.off_priority] == [("Engineering", 90), ("Video", 60),
                                                                   ("Unclassified", 45)]
    data = range_json(r)
    assert (data["from"], data["to"], data["tracked_days"]) == (first.isoformat(), DAY.isoformat(), 3)
    assert data["seconds"]["priority"] == 3 * 145 * MIN
    assert [d["date"] for d in data["days"]] == [(first + timedelta(days=n)).isoformat() for n in range(7)]
    assert "Tracked days: 3 of 7" in range_text(r)
    assert "| Engineering | 1 h 30 min |" in range_markdown(r)


def test_days_rows_carry_the_journal_and_read_back_from_csv(store: Store) -> None:
    workday(store, DAY)
    store.save_journal(Journal(DAY, done="a, b \"c\"", todo="line\nbreak", tomorrow_activity="Sales"))
    rows = days_rows(store, DAY - timedelta(days=1), DAY, BERLIN)
    assert [r["date"] for r in rows] == ["2026-06-01", "2026-06-02"]
    assert rows[0]["done"] == "" and rows[0]["nudges"] == 0
    parsed = list(csv.DictReader(io.StringIO(rows_csv(rows, DAYS_CSV_FIELDS), newline="")))
    assert parsed[1]["done"] == 'a, b "c"' and parsed[1]["todo"] == "line\nbreak"
    assert float(parsed[1]["priority_seconds"]) == 145 * MIN
    assert parsed[0]["focus_ratio"] == ""


# --- the 30-day review ------------------------------------------------------------------


def month(store: Store) -> RangeSummary:
    first, last = review_period(DAY)
    for n in range(0, 30, 3):
        workday(store, first + timedelta(days=n))
    return summarize_range(store, first, last, BERLIN)


def test_suggestion_names_the_biggest_off_priority_activity_and_its_share(store: Store) -> None:
    r = month(store)
    (first, *_) = suggestions(r, focus_blocks=True)
    assert first == "Engineering took 46 % of your off-priority time: add it to a focus block or delegate it."
    (without, *_) = suggestions(r, focus_blocks=False)
    assert without == ("Engineering took 46 % of your off-priority time: give it a fixed time after the "
                       "priority's next step, or delegate it.")


def test_an_answer_of_too_much_beats_a_bigger_activity_and_just_right_is_left_alone(store: Store) -> None:
    r = month(store)
    assert suggestions(r, {"Video": Verdict.TOO_MUCH}, focus_blocks=True)[0].startswith(
        "Video took 31 % of your off-priority time: keep it out of your focus blocks")
    assert suggestions(r, {"Engineering": Verdict.JUST_RIGHT}, focus_blocks=True)[0].startswith("Video took 31 %")
    verdicts = {"Engineering": Verdict.JUST_RIGHT, "Video": Verdict.JUST_RIGHT}
    unclassified = suggestions(r, verdicts, focus_blocks=True)[0]
    assert unclassified.startswith("Unclassified windows took 23 %")


def test_not_enough_and_missing_declarations_get_their_own_advice(store: Store) -> None:
    first, last = review_period(DAY)
    workday(store, first)
    workday(store, first + timedelta(days=1), priority=None)
    r = summarize_range(store, first, last, BERLIN)
    advice = suggestions(r, {"Writing": Verdict.NOT_ENOUGH}, focus_blocks=False)
    assert any(a.startswith("Writing gets less time than you want: it was the priority on 0 of 2") for a in advice)
    assert any(a.startswith("No priority was declared on 1 of 2 tracked days") for a in advice)


def test_the_review_period_ends_today_and_counts_the_day_so_far(store: Store) -> None:
    """README: "the 30-day review ending today". A review opened at 10:00 after 20 minutes
    of work counts them, not "0 of 30 days tracked"."""
    play(store, at(DAY, 9.5), [(20, P, "Sales", "firefox", "CRM")])
    first, last = review_period(DAY)
    assert (first, last) == (DAY - timedelta(days=REVIEW_DAYS - 1), DAY)
    r = summarize_range(store, first, last, BERLIN)
    assert len(r.days) == REVIEW_DAYS
    assert [s.date for s in r.tracked] == [DAY] and tracked_seconds(r.tracked[0]) == 20 * MIN
    assert Prompts(store, clock=lambda: at(DAY, 10), tz=BERLIN).review_period() == (first, last)


def test_an_empty_period_says_so(store: Store) -> None:
    r = summarize_range(store, *review_period(DAY), BERLIN)
    assert suggestions(r, focus_blocks=False)[0].startswith("Nothing was tracked")


def test_review_answers_are_kept_per_period_and_a_damaged_entry_reads_as_none(store: Store) -> None:
    save_review_answers(store, DAY, {"Video": Verdict.TOO_MUCH, "Sales": Verdict.NOT_ENOUGH})
    assert review_answers(store, DAY) == {"Sales": Verdict.NOT_ENOUGH, "Video": Verdict.TOO_MUCH}
    assert review_answers(store, DAY - timedelta(days=30)) == {}
    store.set_meta(REVIEW_ANSWERS_KEY + DAY.isoformat(), '{"Video": "meh"')
    assert review_answers(store, DAY) == {}


# --- when to offer ------------------------------------------------------------------------


class Clock:
    def __init__(self, t: float) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def test_day_end_is_due_once_after_day_end_when_active_with_enough_tracked(store: Store) -> None:
    clock = Clock(at(DAY, 17.4))
    prompts = Prompts(store, clock=clock, tz=BERLIN)
    end = time(17, 30)
    assert prompts.day_end(end, active=True, tracked=lambda: 3600) is None  # 17:24: not yet
    clock.t = at(DAY, 17.6)
    assert prompts.day_end(end, active=False, tracked=lambda: 3600) is None  # away: wait for the user
    assert prompts.day_end(end, active=True, tracked=lambda: 60) is None  # hardly anything to show
    assert prompts.day_end(end, active=True, tracked=lambda: 3600) == DAY
    prompts.mark_offered(DAY)
    clock.t = at(DAY, 22)
    assert prompts.day_end(end, active=True, tracked=lambda: 3600) is None  # once a day
    clock.t = at(DAY + timedelta(days=1), 17.5)
    assert prompts.day_end(end, active=True, tracked=lambda: 3600) == DAY + timedelta(days=1)


def test_day_end_asked_every_sample_reads_the_store_once_and_sums_the_day_only_when_it_matters(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[str] = []
    get_meta = store.get_meta
    monkeypatch.setattr(store, "get_meta", lambda key: reads.append(key) or get_meta(key))
    sums: list[float] = []

    def tracked() -> float:
        sums.append(60.0)
        return 60.0

    clock = Clock(at(DAY, 17.4))
    prompts = Prompts(store, clock=clock, tz=BERLIN)
    for minute in range(30):  # 17:24 to 17:53, a sample a minute
        clock.t = at(DAY, 17.4) + 60 * minute
        assert prompts.day_end(time(17, 30), active=True, tracked=tracked) is None  # too little tracked
    assert reads == [OFFERED_KEY] and len(sums) == 24  # from 17:30 on


def test_missed_day_is_the_last_tracked_day_that_ended_without_a_summary(store: Store) -> None:
    yesterday = DAY - timedelta(days=1)
    workday(store, DAY - timedelta(days=3))
    workday(store, yesterday)
    clock = Clock(at(DAY, 8))
    prompts = Prompts(store, clock=clock, tz=BERLIN)
    assert prompts.missed_day() == yesterday
    prompts.mark_offered(yesterday)
    assert prompts.missed_day() is None
    clock.t = at(DAY + timedelta(days=1), 8)  # the day after: today was not tracked
    assert prompts.missed_day() is None


def test_a_journal_written_counts_as_reviewed_and_old_or_short_days_are_not_offered(store: Store) -> None:
    yesterday = DAY - timedelta(days=1)
    workday(store, yesterday)
    prompts = Prompts(store, clock=Clock(at(DAY, 8)), tz=BERLIN)
    store.save_journal(Journal(yesterday, done="done"))
    assert prompts.missed_day() is None
    assert Prompts(store, clock=Clock(at(DAY + timedelta(days=10), 8)), tz=BERLIN).missed_day() is None
    play(store, at(DAY + timedelta(days=1), 9), [(5, P, "Sales", "a", "b")])  # five minutes only
    assert Prompts(store, clock=Clock(at(DAY + timedelta(days=2), 8)), tz=BERLIN).missed_day() is None


def test_offering_an_older_missed_day_does_not_move_the_mark_back(store: Store) -> None:
    prompts = Prompts(store, clock=Clock(at(DAY, 18)), tz=BERLIN)
    prompts.mark_offered(DAY)
    prompts.mark_offered(DAY - timedelta(days=2))
    assert prompts.last_offered == DAY


def test_the_review_is_due_thirty_days_after_first_use_then_every_thirty(store: Store) -> None:
    store.declare(Declaration(at(DAY, 9), "Sales", ""))
    clock = Clock(at(DAY + timedelta(days=29), 12))
    prompts = Prompts(store, clock=clock, tz=BERLIN)
    assert prompts.review() is None
    assert prompts.first_use() == DAY
    clock.t = at(DAY + timedelta(days=30), 12)
    assert prompts.review() == (DAY + timedelta(days=1), DAY + timedelta(days=30))  # ends today
    prompts.mark_review_offered()
    assert prompts.review() is None
    clock.t = at(DAY + timedelta(days=59), 12)
    assert prompts.review() is None
    clock.t = at(DAY + timedelta(days=60), 12)
    assert prompts.review() == (DAY + timedelta(days=31), DAY + timedelta(days=60))  # the next 30, no gap


def test_first_use_of_a_new_install_is_today_and_is_remembered(store: Store) -> None:
    clock = Clock(at(DAY, 12))
    assert Prompts(store, clock=clock, tz=BERLIN).first_use() == DAY
    store.declare(Declaration(at(DAY - timedelta(days=90), 9), "Sales", ""))  # e.g. imported later
    clock.t = at(DAY + timedelta(days=1), 12)
    assert Prompts(store, clock=clock, tz=BERLIN).first_use() == DAY

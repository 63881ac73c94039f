"""Kept days (focusguard/day_cache.py, issue 16): a report read from kept days equals
one computed afresh, whatever changed in between.

Two real stores share a real folder (a desk, this device, and a laptop whose history
arrives by publish and merge). Hypothesis makes a series of changes to every input
of a day's figures -- another device's events for a past day merged in, this
device's own events, a call answered (again), a declaration here or there, a
nudge, the chill-call times, an activity's ``calls_count_as_priority``, the time
zone, the clock inside a day -- and after each one the figures read through the
kept days (``CallCountedLog``) must equal those computed without them.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from focusguard.call_view import CallCountedLog, KeptView
from focusguard.core import day_cache as kept
from focusguard.core.calls import Call, CallKind
from focusguard.core.config import Config
from focusguard.core.config.slots import parse_slot
from focusguard.core.config.values import CallSettings
from focusguard.core.figures import day_figures, summarize_range
from focusguard.core.model import Activity, Classification, Classified, Declaration, Kind, Nudge, Sample
from focusguard.core.summary import summarize_day
from focusguard.core.timefmt import day_bounds
from focusguard.records import Records
from focusguard.store import Store
from focusguard.store_calls import CallLog
from focusguard.store_sync import MergedLog
from focusguard.sync import SyncEngine
from focusguard.syncfolder import Identity

FIRST = date(2026, 11, 20)
DAYS = [FIRST + timedelta(days=n) for n in range(4)]  # 20..23 Nov; the clock starts on the 23rd, evening
START_NOW = datetime(2026, 11, 23, 20, tzinfo=UTC).timestamp()
ZONES: list[tzinfo | None] = [UTC, ZoneInfo("Europe/Paris"), ZoneInfo("America/New_York")]
SLOTS = [(), (parse_slot("mon-fri 12:00-13:00"),), (parse_slot("mon-sun 00:00-24:00"),)]
ME, OTHER = Identity("1" * 32, "desk"), Identity("2" * 32, "laptop")
CLASSES = [Classification.PRIORITY, Classification.DISTRACTION, Classification.NEUTRAL, Classification.IDLE]


@dataclass
class World:
    """The desk (this device, whose reports are checked), the laptop, their folder,
    the clock, the config and the time zone the reports are made in."""

    desk: Store
    laptop: Store
    folder: Path
    now: float = START_NOW
    config: Config = field(default_factory=lambda: Config(activities=(
        Activity("Sales", Kind.PRODUCTIVE), Activity("Video", Kind.DISTRACTION))))
    tz: tzinfo | None = UTC
    me: Identity = ME
    other: Identity = OTHER

    def clock(self) -> float:
        return self.now

    def sync(self) -> None:
        SyncEngine(self.laptop, self.folder, self.other, clock=self.clock).publish()
        _, problems, _ = SyncEngine(self.desk, self.folder, self.me, clock=self.clock).merge()
        assert not problems

    def log(self) -> CallCountedLog:
        view = KeptView(self.desk, self.me.id, self.me.name, clock=self.clock)
        return CallCountedLog(view, self.desk, lambda: self.config, self.tz, self.clock)

    def merged(self) -> MergedLog:
        return MergedLog(self.desk, self.me.id, self.me.name, clock=self.clock)


@contextmanager
def world() -> Iterator[World]:
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "desk" / "focusguard.db") as desk, \
            Store(Path(tmp) / "laptop" / "focusguard.db") as laptop:
        yield World(desk, laptop, Path(tmp) / "Sync")


class Fresh:
    """The same log without its kept days: every figure computed afresh."""

    def __init__(self, log: CallCountedLog) -> None:
        self._log = log

    def __getattr__(self, name: str) -> Any:
        if name.startswith("kept_"):
            raise AttributeError(name)
        return getattr(self._log, name)


def insert_event(store: Store, start: float, end: float, app: str, c: Classification) -> None:
    activity = {Classification.PRIORITY: "Sales", Classification.DISTRACTION: "Video"}.get(c)

    def job(db: Any) -> None:
        with db.atomic():
            db.execute('INSERT INTO events (start, "end", app, title, exe, activity, classification) '
                       "VALUES (?, ?, ?, ?, '', ?, ?)", (start, end, app, f"{app} window", activity, c.value))
            db.execute("INSERT INTO meta (key, value) VALUES ('events.longest_seconds', ?) ON CONFLICT (key) "
                       "DO UPDATE SET value = excluded.value "
                       "WHERE CAST(meta.value AS REAL) < CAST(excluded.value AS REAL)", (repr(end - start),))

    store.write_now(job)


def moment(draw: st.DrawFn) -> float:
    """A time in the four days (or the hours around them), to the second, mostly in
    their working hours (where the recorded events are)."""
    if draw(st.booleans()):
        return day_bounds(FIRST, UTC)[0] + draw(st.integers(-6 * 3600, 4 * 86400))
    return day_bounds(FIRST, UTC)[0] + draw(st.integers(0, 3)) * 86400 + draw(st.integers(8 * 3600, 18 * 3600))


@st.composite
def changes(draw: st.DrawFn) -> Callable[[World], None]:
    """One change of one input."""
    kind = draw(st.sampled_from(["theirs", "mine", "call", "answer", "declare", "their declaration", "nudge",
                                 "chill", "counts", "tz", "clock"]))
    at = moment(draw)
    length = draw(st.integers(1, 3 * 3600))
    c = draw(st.sampled_from(CLASSES))
    pick = draw(st.integers(0, 2))
    activity = draw(st.sampled_from(["Sales", "Video"]))

    def change(w: World) -> None:
        if kind == "theirs":  # another device's events for any day, merged in
            insert_event(w.laptop, at, at + length, "firefox", c)
            w.sync()
        elif kind == "mine":
            insert_event(w.desk, at, at + length, "code", c)
        elif kind == "call":
            CallLog(w.desk).add(Call(at, at + length, "zoom", "Call", CallKind([*CallKind][pick])))
        elif kind == "answer":  # an earlier call answered (again), later
            calls = CallLog(w.desk).calls(float("-inf"), float("inf"))
            if calls:
                CallLog(w.desk).answer(calls[pick % len(calls)].id or 0, [CallKind.VALUE, CallKind.CHILL][pick % 2],
                                       "", w.now)
        elif kind == "declare":
            w.desk.declare(Declaration(at, activity, "next"))
        elif kind == "their declaration":
            w.laptop.declare(Declaration(at, activity, "theirs"))
            w.sync()
        elif kind == "nudge":
            w.desk.add_nudge(Nudge(at, "Video", Classification.DISTRACTION, 300.0, 300.0, 1))
        elif kind == "chill":
            w.config = replace(w.config, calls=CallSettings(chill_call_times=SLOTS[pick]))
        elif kind == "counts":
            w.config = replace(w.config, activities=tuple(
                replace(a, calls_count_as_priority=not a.calls_count_as_priority) if a.name == activity else a
                for a in w.config.activities))
        elif kind == "tz":
            w.tz = ZONES[pick]
        else:  # the clock: inside one of the days (in progress), or later
            w.now = max(w.now, at)

    change.__name__ = kind
    return change


def same_figures(w: World) -> None:
    log = w.log()
    for day in DAYS:
        fresh = day_figures(Fresh(log), day, w.tz)
        assert day_figures(log, day, w.tz) == fresh  # filling the kept days, or reading them
        assert day_figures(log, day, w.tz) == fresh  # read back
        shares = w.merged().device_breakdown(day, w.tz)
        assert w.log().view.device_breakdown(day, w.tz) == shares  # each device's share, kept or merged
        assert shares == w.log().view.device_breakdown(day, w.tz)
    assert summarize_range(log, DAYS[0], DAYS[-1], w.tz) == summarize_range(Fresh(log), DAYS[0], DAYS[-1], w.tz)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(changes(), min_size=1, max_size=8))
def test_kept_days_equal_days_computed_afresh_after_any_change(steps: list[Callable[[World], None]]) -> None:
    with world() as w:
        for day in DAYS:  # working days on both computers, the laptop's merged in
            for hour in range(9, 17):
                start = day_bounds(day, UTC)[0] + hour * 3600
                insert_event(w.desk, start, start + 1800, "code", CLASSES[hour % len(CLASSES)])
                insert_event(w.laptop, start + 900, start + 2700, "firefox", CLASSES[(hour + 1) % len(CLASSES)])
        w.sync()
        same_figures(w)
        for step in steps:
            step(w)
            same_figures(w)


def test_a_finished_day_is_read_back_and_one_in_progress_is_not_kept() -> None:
    with world() as w:
        day, start = DAYS[1], day_bounds(DAYS[1], UTC)[0]
        insert_event(w.desk, start + 9 * 3600, start + 10 * 3600, "code", Classification.PRIORITY)
        w.now = start + 12 * 3600  # the day in progress
        assert w.log().kept_summary(day, UTC) is None
        assert w.desk.db.execute("SELECT count(*) FROM day_cache").fetchone()[0] == 0
        w.now = start + 86400  # over
        computed = w.log().kept_summary(day, UTC)
        assert computed == summarize_day(Fresh(w.log()), day, UTC)
        assert w.desk.db.execute("SELECT day FROM day_cache").fetchall() == [(day.isoformat(),)]

        def no_computing() -> Any:
            raise AssertionError("computed again though nothing changed")

        assert w.log()._days.summary(day, UTC, no_computing) == computed  # read back, not computed
        insert_event(w.laptop, start + 9.5 * 3600, start + 11 * 3600, "firefox", Classification.DISTRACTION)
        w.sync()  # a merge brings the laptop's hours of that day
        with pytest.raises(AssertionError, match="computed again"):
            w.log()._days.summary(day, UTC, no_computing)


def test_a_day_whose_time_is_held_in_memory_is_not_kept() -> None:
    """The store's open event is in memory only (the app writes it every few seconds):
    the file does not say all of the day, so it is computed, not kept."""
    with world() as w:
        start = day_bounds(DAYS[0], UTC)[0]
        for t in range(60):
            w.desk.record(Classified(Sample(start + 3600 + 2 * t, "code", "code window"), "Sales",
                                     Classification.PRIORITY))
        assert w.desk.holds(start, start + 86400)
        assert w.log().kept_summary(DAYS[0], UTC) is None
        assert w.desk.db.execute("SELECT count(*) FROM day_cache").fetchone()[0] == 0
        assert day_figures(w.log(), DAYS[0], UTC).summary.seconds["priority"] == 118


def test_delete_all_and_prune_forget_kept_days() -> None:
    with world() as w:
        start = day_bounds(DAYS[0], UTC)[0]
        insert_event(w.desk, start + 3600, start + 7200, "code", Classification.PRIORITY)
        assert w.log().kept_summary(DAYS[0], UTC) is not None
        assert w.desk.db.execute("SELECT count(*) FROM day_cache").fetchone()[0] == 1
        w.desk.prune(1, start + 3 * 86400)
        assert w.desk.db.execute("SELECT count(*) FROM day_cache").fetchone()[0] == 0
        w.log().kept_summary(DAYS[0], UTC)
        w.desk.delete_all()
        assert w.desk.db.execute("SELECT count(*) FROM day_cache").fetchone()[0] == 0


def test_the_stamp_is_a_few_index_range_queries() -> None:
    """The stamp's queries use indexes over the day's rows, never a scan of a table
    (a scan of a subquery's few grouped rows is fine)."""
    with world() as w:
        log = w.log()
        day = DAYS[0]
        seen: list[str] = []
        w.desk.db.conn.set_trace_callback(seen.append)
        log._days.stamp(day, UTC, *day_bounds(day, UTC))
        w.desk.db.conn.set_trace_callback(None)
        plans = [row[3] for sql in seen if sql.lstrip().upper().startswith("SELECT")
                 for row in w.desk.db.execute("EXPLAIN QUERY PLAN " + sql)]
        tables = {name for (name,) in w.desk.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert plans and not [p for p in plans if p.startswith("SCAN") and p.split()[1] in tables], plans
        assert kept.VERSION >= 1


def test_the_app_keeps_days_on_its_writer_thread_never_the_callers(tmp_path: Path) -> None:
    """The app's store writes on a thread of its own: the summary window asks for a
    day's figures on the GUI thread, and what it keeps is written by the writer."""
    path, threads = tmp_path / "focusguard.db", []
    start = day_bounds(DAYS[0], UTC)[0]
    with Store(path, background=True) as store:
        insert_event(store, start + 9 * 3600, start + 10 * 3600, "code", Classification.PRIORITY)
        queue = store.write_soon

        def seen(job: Callable[[Any], object]) -> None:
            def on_writer(db: Any) -> object:
                threads.append(threading.current_thread().name)
                return job(db)

            queue(on_writer)

        store.write_soon = seen  # type: ignore[method-assign]
        figures = Records(store, clock=lambda: START_NOW, tz=UTC).day_figures(DAYS[0])
    assert threads and set(threads) == {"focusguard-writer"}  # written at close at the latest
    with Store(path) as store:
        assert store.db.execute("SELECT count(*) FROM day_cache").fetchone()[0] == len(threads)
        assert Records(store, clock=lambda: START_NOW, tz=UTC).day_figures(DAYS[0]) == figures

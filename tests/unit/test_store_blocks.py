"""Block moves and verdicts in the database: the migration keeps today's rows, moves
and verdicts keep their history, and the judged occurrences of a period come out of
config + store as the report and the review read them."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlite_utils

from focusguard import block_records
from focusguard.core import blocks
from focusguard.core.blocks import Status
from focusguard.core.config import Config, FocusBlock
from focusguard.core.model import Classification, Classified, ImportedEvent, Sample
from focusguard.store import MIGRATIONS, SCHEMA_VERSION, Store
from focusguard.store_blocks import BlockStore

TZ = ZoneInfo("Europe/Berlin")
MONDAY = date(2026, 11, 23)
OUTREACH = FocusBlock(frozenset(range(5)), time(8, 30), time(9, 30), name="Outreach calls", activity="Sales")
CONFIG = Config(focus_blocks=(OUTREACH,))


def rows(store: Store, table: str) -> int:
    return int(store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def at(day: date, hh: int, mm: int = 0) -> float:
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=TZ).timestamp()


def imported(start: float, end: float, activity: str, key: str) -> ImportedEvent:
    cls = Classification.PRODUCTIVE_DISTRACTION if activity == "Sales" else Classification.DISTRACTION
    return ImportedEvent(key, end, Classified(Sample(start, "app", activity, ""), activity, cls))


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "focusguard.db", flush_every=0) as s:
        yield s


def test_the_migration_from_todays_database_keeps_every_row(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(sqlite3.connect(path), execute_plugins=False)
    MIGRATIONS.apply(db, stop_before="006_blocks")
    db.execute("INSERT INTO events (start, \"end\", app, title, exe, activity, classification) "
               "VALUES (1, 2, 'a', 't', '', 'Sales', 'priority')")
    db.execute("INSERT INTO declarations (at, activity, next_step) VALUES (1, 'Sales', 'call')")
    db.conn.commit()
    db.close()
    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert [e.activity for e in store.events(0, 10)] == ["Sales"]
        assert [d.next_step for d in store.declarations()] == ["call"]
        assert rows(store, "block_moves") == 0 and rows(store, "block_verdicts") == 0


def test_a_moved_block_is_reported_moved_then_judged_at_its_new_time(store: Store) -> None:
    [o] = blocks.scheduled([OUTREACH], MONDAY, MONDAY, TZ)
    afternoon = at(MONDAY, 14)
    log = BlockStore(store)
    log.add_move(blocks.move(o, afternoon, at=o.start + 30))
    store.import_events([imported(o.start, o.end, "Video", "a"), imported(afternoon, afternoon + 3000, "Sales", "b")])
    judged = block_records.judged_blocks(store, CONFIG, MONDAY, MONDAY, now=afternoon + 3600, tz=TZ)
    assert [(j.occurrence.start, j.status, j.moved_to) for j in judged] == [
        (o.start, Status.MOVED, afternoon), (afternoon, Status.KEPT, None)]
    # Still running: listed, not judged.
    running = block_records.judged_blocks(store, CONFIG, MONDAY, MONDAY, now=afternoon + 60, tz=TZ)
    assert [j.status for j in running] == [Status.MOVED, None]


def test_a_block_moved_to_another_day_shows_on_both_days(store: Store) -> None:
    [o] = blocks.scheduled([OUTREACH], MONDAY, MONDAY, TZ)
    wednesday = MONDAY + timedelta(days=2)
    thursday = MONDAY + timedelta(days=3)
    log = BlockStore(store)
    log.add_move(blocks.move(o, at(wednesday, 16), at=o.start))
    [there] = blocks.current([o], [blocks.move(o, at(wednesday, 16), at=o.start)])
    log.add_move(blocks.move(there, at(thursday, 16), at=o.start + 1))
    now = at(thursday, 23)
    monday = block_records.judged_blocks(store, CONFIG, MONDAY, MONDAY, now, TZ)
    assert [(j.status, j.moved_to) for j in monday] == [(Status.MOVED, at(wednesday, 16))]
    on_wednesday = block_records.judged_blocks(store, CONFIG, wednesday, wednesday, now, TZ)
    assert [(j.occurrence.day, j.occurrence.start, j.status, j.moved_to) for j in on_wednesday] == [
        (wednesday, at(wednesday, 8, 30), Status.MISSED, None),
        (MONDAY, at(wednesday, 16), Status.MOVED, at(thursday, 16))]
    on_thursday = block_records.judged_blocks(store, CONFIG, thursday, thursday, now, TZ)
    assert [(j.occurrence.day, j.occurrence.moved_from, j.status) for j in on_thursday] == [
        (thursday, None, Status.MISSED), (MONDAY, at(wednesday, 16), Status.MISSED)]


def test_verdicts_keep_their_history_and_the_latest_counts(store: Store) -> None:
    [o] = blocks.scheduled([OUTREACH], MONDAY, MONDAY, TZ)
    log = BlockStore(store)
    log.add_verdict(blocks.Judged(o, Status.MISSED), at=o.end)
    log.add_verdict(blocks.Judged(o, Status.PARTLY, activity_seconds=600.0), at=o.end + 60)
    assert log.verdicts(o.start, o.end) == {o.ident: Status.PARTLY}
    assert rows(store, "block_verdicts") == 2
    with pytest.raises(ValueError, match="ended"):
        log.add_verdict(blocks.Judged(o, None), at=o.start)
    judged = block_records.judged_blocks(store, CONFIG, MONDAY, MONDAY, now=o.end + 3600, tz=TZ)
    assert [j.status for j in judged] == [Status.PARTLY]  # no events left: the stored verdict stands


def test_delete_all_forgets_the_block_history(store: Store) -> None:
    [o] = blocks.scheduled([OUTREACH], MONDAY, MONDAY, TZ)
    log = BlockStore(store)
    log.add_move(blocks.move(o, at(MONDAY, 14), at=o.start))
    log.add_verdict(blocks.Judged(o, Status.MISSED), at=o.end)
    store.delete_all()
    assert rows(store, "block_moves") == 0 and rows(store, "block_verdicts") == 0


def test_no_focus_blocks_no_occurrences(store: Store) -> None:
    assert block_records.judged_blocks(store, Config(), MONDAY, MONDAY, now=at(MONDAY, 23), tz=TZ) == []


def test_editing_the_block_later_never_rewrites_its_history(store: Store) -> None:
    """The review shortened the block and dropped Monday: Monday's judged occurrence
    keeps its 08:30-09:30 and its verdict, Tuesday's moved one where it was moved from."""
    monday, tuesday = blocks.scheduled([OUTREACH], MONDAY, MONDAY + timedelta(days=1), TZ)
    log = BlockStore(store)
    log.add_verdict(blocks.Judged(monday, Status.KEPT), at=monday.end)
    log.add_move(blocks.move(tuesday, at(MONDAY + timedelta(days=1), 14), at=tuesday.start))
    edited = Config(focus_blocks=(replace(OUTREACH, days=frozenset(range(1, 5)), start=time(8), end=time(8, 45)),))
    now = at(MONDAY + timedelta(days=1), 23)
    judged = block_records.judged_blocks(store, edited, MONDAY, MONDAY + timedelta(days=1), now, TZ)
    assert [(j.occurrence.start, j.occurrence.end, j.status) for j in judged] == [
        (monday.start, monday.end, Status.KEPT),
        (tuesday.start, tuesday.end, Status.MOVED),
        (at(MONDAY + timedelta(days=1), 14), at(MONDAY + timedelta(days=1), 15), Status.MISSED)]
    # A block renamed starts afresh: none of that history is its own.
    renamed = Config(focus_blocks=(replace(OUTREACH, name="Calls"),))
    assert [j.status for j in block_records.judged_blocks(store, renamed, MONDAY, MONDAY, now, TZ)] == [Status.MISSED]


def test_history_older_than_keep_days_goes_with_the_events(store: Store) -> None:
    old, recent = blocks.scheduled([OUTREACH], MONDAY, MONDAY + timedelta(days=1), TZ)
    log = BlockStore(store)
    for o in (old, recent):
        log.add_move(blocks.move(o, o.start + 3600, at=o.start))
        log.add_verdict(blocks.Judged(o, Status.MISSED), at=o.end)
    store.prune(keep_days=1, now=recent.start + 3 * 3600)
    assert store.db.execute("SELECT day FROM block_moves").fetchall() == [(recent.day.isoformat(),)]
    assert store.db.execute("SELECT day FROM block_verdicts").fetchall() == [(recent.day.isoformat(),)]

"""block_records.judged_blocks reads only the stretches its blocks cover (issue 16: a
30-day report merged every device's whole month again for a few hours of blocks a
day) and judges exactly as from the whole period's events: blocks that overlap, an
event across two blocks, moved blocks, random history."""

from __future__ import annotations

import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from focusguard import block_records
from focusguard.core import blocks
from focusguard.core.config import Config, FocusBlock
from focusguard.core.model import Classification, Classified, ImportedEvent, Sample
from focusguard.core.timefmt import day_bounds
from focusguard.store import Store
from focusguard.store_blocks import BlockStore

TZ = ZoneInfo("Europe/Berlin")
MONDAY = date(2026, 11, 23)
FRIDAY = MONDAY + timedelta(days=4)
WEEKDAYS = frozenset(range(5))
CONFIG = Config(focus_blocks=(
    FocusBlock(WEEKDAYS, time(8, 30), time(9, 30), name="Outreach", activity="Sales"),
    FocusBlock(WEEKDAYS, time(9), time(10), name="Deep", activity="Code"),  # overlaps Outreach
    FocusBlock(WEEKDAYS, time(14), time(15), name="Afternoon", activity="Code"),
))
CLASSES = {"Sales": Classification.PRODUCTIVE_DISTRACTION, "Code": Classification.PRIORITY,
           "Video": Classification.DISTRACTION, "Away": Classification.IDLE}


def whole_period(store: Store, now: float, first: date = MONDAY, last: date = FRIDAY) -> list[blocks.Judged]:
    """How judged_blocks judged before: from every event of the period."""
    start, end = day_bounds(first, TZ)[0], day_bounds(last, TZ)[1]
    log = BlockStore(store)
    occurrences, moves = block_records.occurrences_with_moves(CONFIG, log, first, last, TZ)
    longest = max((o.seconds for o in occurrences), default=0.0)
    judged = blocks.judge_all(occurrences, moves, store.events(start, end + longest), now, log.verdicts(start, end))
    return [j for j in judged if start <= j.occurrence.start < end]


@settings(max_examples=60, deadline=None)
@given(events=st.lists(st.tuples(st.integers(0, 5 * 86400), st.integers(60, 8 * 3600),
                                 st.sampled_from(sorted(CLASSES))), max_size=30),
       moved=st.lists(st.tuples(st.integers(0, 14), st.integers(-3 * 3600, 30 * 3600).filter(bool)), max_size=3),
       now_after=st.integers(0, 6 * 86400))
def test_blocks_judged_from_their_stretches_equal_blocks_judged_from_the_whole_period(
        events: list[tuple[int, int, str]], moved: list[tuple[int, int]], now_after: int) -> None:
    monday = day_bounds(MONDAY, TZ)[0]
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "f.db") as store:
        store.import_events([
            ImportedEvent(f"e{n}", monday + offset + length,
                          Classified(Sample(monday + offset, "app", name, ""), name, CLASSES[name]))
            for n, (offset, length, name) in enumerate(events)])
        scheduled = blocks.scheduled(CONFIG.focus_blocks, MONDAY, FRIDAY, TZ)
        for n, (which, to) in enumerate(moved):
            o = scheduled[which % len(scheduled)]
            BlockStore(store).add_move(blocks.move(o, o.start + to, at=o.start - 60 + n))
        now = monday + now_after
        judged = block_records.judged_blocks(store, CONFIG, MONDAY, FRIDAY, now, TZ)
        assert judged == whole_period(store, now)


def test_an_event_across_two_blocks_counts_once_in_each() -> None:
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "f.db") as store:
        nine = datetime(2026, 11, 23, 8, tzinfo=TZ).timestamp()
        store.import_events([ImportedEvent("all day", nine + 8 * 3600,
                                           Classified(Sample(nine, "ide", "Code", ""), "Code", CLASSES["Code"]))])
        judged = block_records.judged_blocks(store, CONFIG, MONDAY, MONDAY, nine + 86400, TZ)
        assert [(j.occurrence.block.name, j.active_seconds) for j in judged] == [
            ("Outreach", 3600.0), ("Deep", 3600.0), ("Afternoon", 3600.0)]
        assert judged == whole_period(store, nine + 86400, MONDAY, MONDAY)

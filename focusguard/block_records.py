"""Focus block occurrences of a period, judged: the config's blocks, the store's
moves and verdicts and its events, put together by ``core.blocks``. The one way the
report, the export, the review and the running app read them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta, tzinfo

from focusguard.core import blocks
from focusguard.core.blocks import BlockMove, Judged, Occurrence
from focusguard.core.config import Config
from focusguard.core.model import Event
from focusguard.core.timefmt import day_bounds
from focusguard.store import Store
from focusguard.store_blocks import BlockStore


def occurrences_with_moves(config: Config, log: BlockStore, first: date, last: date,
                           tz: tzinfo | None = None) -> tuple[list[Occurrence], list[BlockMove]]:
    """The occurrences scheduled from ``first`` to ``last``, plus those of other days
    moved into it, and every move of them."""
    start, end = day_bounds(first, tz)[0], day_bounds(last, tz)[1]
    moves = log.moves(first, last, start, end)
    occurrences = blocks.scheduled(config.focus_blocks, first, last, tz)
    for day in sorted({m.day for m in moves if not first <= m.day <= last}):
        keys = {m.block for m in moves if m.day == day}
        occurrences += [o for o in blocks.scheduled(config.focus_blocks, day, day, tz) if o.key in keys]
    # A moved-in occurrence's other moves (before it came here) are its history too.
    moves = log.moves(min([first, *(o.day for o in occurrences)]), max([last, *(o.day for o in occurrences)]),
                      start, end)
    return occurrences, moves


def judged_blocks(store: Store, config: Config, first: date, last: date, now: float,
                  tz: tzinfo | None = None, *, events: Callable[[float, float], Sequence[Event]] | None = None
                  ) -> list[Judged]:
    """Every position of every block occurrence that starts from ``first`` to ``last``
    (local days), judged as of ``now``, by start time. ``events``: where the time
    recorded comes from (the report's merged view of every device), else the store."""
    if not config.focus_blocks:
        return []
    log = BlockStore(store)
    start, end = day_bounds(first, tz)[0], day_bounds(last, tz)[1]
    occurrences, moves = occurrences_with_moves(config, log, first, last, tz)
    longest = max((o.seconds for o in occurrences), default=0.0)
    recorded = (events or store.events)(start, end + longest)
    judged = blocks.judge_all(occurrences, moves, recorded, now, log.verdicts(start, end))
    return [j for j in judged if start <= j.occurrence.start < end]


def month_start(day: date) -> date:
    return day.replace(day=1)


def ninety_days(last: date) -> tuple[date, date]:
    """The 90 days ending with ``last`` (the habit the review shows)."""
    return last - timedelta(days=89), last

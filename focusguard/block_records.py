"""Focus block occurrences of a period, judged: the config's blocks, the store's
moves and verdicts and its events, put together by ``core.blocks``. The one way the
report, the export, the review and the running app read them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta, tzinfo
from pathlib import Path

from focusguard.core import block_report, block_review, blocks
from focusguard.core.blocks import BlockMove, BlockTally, Judged, Occurrence, WeekShare
from focusguard.core.config import Config, ConfigError, FocusBlock, Problem, load_config
from focusguard.core.model import Event
from focusguard.core.timefmt import day_bounds
from focusguard.core.verdicts import Verdict
from focusguard.store import Store
from focusguard.store_blocks import BlockStore
from focusguard.store_sync import merged_view


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
    first_day, last_day = min([first, *(o.day for o in occurrences)]), max([last, *(o.day for o in occurrences)])
    moves = log.moves(first_day, last_day, start, end)
    recorded = blocks.as_recorded(occurrences, moves, log.spans(first_day, last_day), config.focus_blocks,
                                  first, last)
    return recorded, moves


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
    recorded = _during(events or store.events, blocks.positions(occurrences, moves))
    judged = blocks.judge_all(occurrences, moves, recorded, now, log.verdicts(start, end))
    return [j for j in judged if start <= j.occurrence.start < end]


def _during(read: Callable[[float, float], Sequence[Event]],
            placed: Sequence[tuple[Occurrence, float | None]]) -> list[Event]:
    """The events of the stretches the blocks judged from events cover, each clipped to
    its stretch so an event across two is not counted twice: the whole period read,
    a 30-day report merged every device's month again for a few hours a day (issue 16)."""
    stretches: list[list[float]] = []
    for position, _ in sorted((p for p in placed if p[1] is None), key=lambda p: p[0].start):
        if stretches and position.start <= stretches[-1][1]:
            stretches[-1][1] = max(stretches[-1][1], position.end)
        else:
            stretches.append([position.start, position.end])
    return [replace(e, start=max(e.start, a), end=min(e.end, b))
            for a, b in stretches for e in read(a, b) if e.start < b and e.end > a]


def month_start(day: date) -> date:
    return day.replace(day=1)


def ninety_days(last: date) -> tuple[date, date]:
    """The 90 days ending with ``last`` (the habit the review shows)."""
    return last - timedelta(days=89), last


@dataclass(frozen=True)
class BlockRow:
    """One block in the review: how its last 30 days went, every occurrence of its
    90 days (the chain), and what each answer would change."""

    block: FocusBlock
    key: str
    label: str
    tally: BlockTally
    chain: tuple[Judged, ...]
    changes: dict[Verdict, FocusBlock | None]


@dataclass(frozen=True)
class BlockReview:
    """The review's focus blocks: per block, and all blocks' weeks over 90 days with
    the current run of weeks at or above ``target`` (a share, 0 to 1)."""

    first: date
    last: date
    rows: tuple[BlockRow, ...]
    weeks: tuple[WeekShare, ...]
    run: int
    target: float
    month: tuple[BlockTally, ...]


BLOCK_ANSWERS_KEY = "review.blocks."  # + the period's last day, ISO


class BlockRecords:
    """The blocks' side of `Records`: the review's figures and its answers, which
    change the block in the config file (``config_file``; None: read-only)."""

    def __init__(self, store: Store, *, config: Callable[[], Config], clock: Callable[[], float],
                 tz: tzinfo | None = None, config_file: Path | None = None) -> None:
        self.store = store
        self.config = config
        self.clock = clock
        self.tz = tz
        self.config_file = config_file

    def judged(self, first: date, last: date) -> list[Judged]:
        """The positions of ``first``..``last``, judged on every device's time (as the report)."""
        return judged_blocks(self.store, self.config(), first, last, self.clock(), self.tz,
                             events=merged_view(self.store).events)

    def review(self, last: date) -> BlockReview:
        """The 30 days to ``last`` per block, the 90 days' chains and weeks, and this
        month's tallies (from the 1st of ``last``'s month)."""
        config = self.config()
        first90, _ = ninety_days(last)
        judged = self.judged(first90, last)
        first30 = last - timedelta(days=29)
        start30 = day_bounds(first30, self.tz)[0]
        rows = []
        for block in config.focus_blocks:
            key = blocks.block_key(block)
            chain = tuple(j for j in judged if j.occurrence.key == key)
            recent = [j for j in chain if j.occurrence.start >= start30]
            [tally] = blocks.tallies(recent) or [blocks.BlockTally(blocks.block_label(block), 0, 0)]
            changes = {v: block_review.adjusted(block, v, recent) for v in (Verdict.TOO_MUCH, Verdict.NOT_ENOUGH)}
            rows.append(BlockRow(block, key, blocks.block_label(block), tally, chain, changes))
        weeks = tuple(blocks.weekly_shares(judged, self.tz))
        target = config.day.blocks_kept_target / 100
        month_begin = day_bounds(month_start(last), self.tz)[0]
        month = tuple(blocks.tallies(j for j in judged if j.occurrence.start >= month_begin))
        return BlockReview(first90, last, tuple(rows), weeks, blocks.current_run(weeks, target), target, month)

    def answers(self, last: date) -> dict[str, Verdict]:
        """The answers given in the review ending ``last``, by block key."""
        raw = self.store.get_meta(BLOCK_ANSWERS_KEY + last.isoformat())
        try:
            data = json.loads(raw) if raw else {}
            return {str(k): Verdict(v) for k, v in data.items()}
        except (ValueError, AttributeError):
            return {}

    def answer(self, last: date, key: str, verdict: Verdict) -> FocusBlock | None:
        """Answers the review's question about the block ``key``: keeps the answer and
        writes its change into the config file, worked out against the file as it is
        now (a block edited meanwhile is not undone). Returns the changed block (None:
        no change). Raises ConfigError, writing nothing, when the file cannot be read
        or parsed, or has no such block any more."""
        from focusguard.core.config.edit import save_config  # tomlkit: only when writing

        changed = None
        if verdict is not Verdict.JUST_RIGHT:
            if self.config_file is None:
                raise ConfigError([Problem("focus_block", "no config file to change")])
            current = load_config(self.config_file, create=False)
            if not current.ok:
                raise ConfigError(current.problems)
            index = next((i for i, b in enumerate(current.config.focus_blocks) if blocks.block_key(b) == key), None)
            if index is None:
                raise ConfigError([Problem("focus_block", "that block is no longer in the config file")])
            block = current.config.focus_blocks[index]
            first30 = last - timedelta(days=29)
            changed = block_review.adjusted(block, verdict, self.judged(first30, last))
            if changed is not None:
                self._freeze(key, last)
                new = list(current.config.focus_blocks)
                new[index] = changed
                save_config(self.config_file, replace(current.config, focus_blocks=tuple(new)))
        answers = {**self.answers(last), key: verdict}
        self.store.set_meta(BLOCK_ANSWERS_KEY + last.isoformat(),
                            json.dumps({k: v.value for k, v in sorted(answers.items())}, ensure_ascii=False))
        return changed

    def summary_lines(self, day: date) -> list[str]:
        """What the day's summary says of the blocks: each of the day's finished or
        moved ones, then this month's tally per block."""
        today = [block_report.line(j, self.tz) for j in block_report.listed(self.judged(day, day))]
        month = blocks.tallies(self.judged(month_start(day), day))
        return [*today, *(t.sentence() for t in month)]

    def _freeze(self, key: str, last: date) -> None:
        """Before the block ``key`` changes: store a verdict for each of its 90 days'
        finished occurrences that has none yet, so the change cannot rewrite them
        (a past occurrence is read where it was judged: ``core.blocks.as_recorded``)."""
        first, _ = ninety_days(last)
        log = BlockStore(self.store)
        start, end = day_bounds(first, self.tz)[0], day_bounds(last, self.tz)[1]
        stored = log.verdicts(start, end)
        loose = [j for j in self.judged(first, last) if j.occurrence.key == key and j.status is not None
                 and j.status is not blocks.Status.MOVED and j.occurrence.ident not in stored]
        if loose:
            log.add_verdicts(loose, self.clock())

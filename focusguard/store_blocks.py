"""Focus block occurrences in the database: every move (from when, to when, made
when) and every verdict, none ever overwritten, so a block's history survives both
its moves and the pruning of the events it was judged from (issue 14).

Beside ``focusguard.store`` rather than in it: one feature's queries in one module,
on the store's connection. Moves are the user's edits and verdicts come once per
block, both read back at once (the report right after "Move to..."), so they are
written at once (``Store.write_now``), not queued behind the event log.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Protocol, TypeVar

from focusguard.core.blocks import BlockMove, Ident, Judged, Status
from focusguard.sqlitedb import Database

if TYPE_CHECKING:
    import sqlite_utils  # the migration's table API

T = TypeVar("T")


class Store(Protocol):
    """The part of ``focusguard.store.Store`` used here (the store's migration imports
    this module, so it must not import the store back)."""

    db: Database

    def write_now(self, job: Callable[[Database], T]) -> T: ...


def create_tables(db: sqlite_utils.Database) -> None:
    """Migration 006's tables. Frozen: a later change is a new migration."""
    db.table("block_moves").create(
        {"id": int, "block": str, "day": str, "from_start": float, "from_end": float,
         "to_start": float, "to_end": float, "at": float},
        pk="id", not_null={"block", "day", "from_start", "from_end", "to_start", "to_end", "at"},
    )
    db.table("block_moves").create_index(["day"])
    db.table("block_moves").create_index(["to_start"])
    db.table("block_verdicts").create(
        {"id": int, "block": str, "day": str, "start": float, "end": float, "status": str,
         "activity_seconds": float, "active_seconds": float, "at": float},
        pk="id", not_null={"block", "day", "start", "end", "status", "at"},
    )
    db.table("block_verdicts").create_index(["start"])


class BlockStore:
    """The block history of one `Store`."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def add_move(self, move: BlockMove) -> None:
        def job(db: Database) -> None:
            with db.atomic():
                db.execute(
                    "INSERT INTO block_moves (block, day, from_start, from_end, to_start, to_end, at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (move.block, move.day.isoformat(), move.from_start, move.from_end, move.to_start,
                     move.to_end, move.at))

        self.store.write_now(job)

    def moves(self, first: date, last: date, start: float, end: float) -> list[BlockMove]:
        """Moves of occurrences scheduled from ``first`` to ``last``, and of any whose
        move lands in [start, end) (a Monday block moved to Wednesday is Wednesday's
        too), oldest first."""
        rows = self.store.db.execute(
            "SELECT block, day, from_start, from_end, to_start, to_end, at FROM block_moves "
            "WHERE (day >= ? AND day <= ?) OR (to_start >= ? AND to_start < ?) ORDER BY at, id",
            (first.isoformat(), last.isoformat(), start, end))
        return [BlockMove(block, date.fromisoformat(day), *times) for block, day, *times in rows]

    def add_verdict(self, judged: Judged, at: float) -> None:
        """Keep a finished position's verdict (a later one for the same position is
        added beside it; the latest counts)."""
        self.add_verdicts([judged], at)

    def add_verdicts(self, judged: list[Judged], at: float) -> None:
        """Keep several finished positions' verdicts, in one transaction."""
        if any(j.status is None for j in judged):
            raise ValueError("a block is judged once it has ended")
        rows = [(j.occurrence.key, j.occurrence.day.isoformat(), j.occurrence.start, j.occurrence.end, str(j.status),
                 j.activity_seconds, j.active_seconds, at) for j in judged]

        def job(db: Database) -> None:
            with db.atomic():
                for row in rows:
                    db.execute('INSERT INTO block_verdicts (block, day, start, "end", status, activity_seconds, '
                               "active_seconds, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", row)

        self.store.write_now(job)

    def verdicts(self, start: float, end: float) -> dict[Ident, Status]:
        """The latest verdict of each position starting in [start, end)."""
        rows = self.store.db.execute(
            "SELECT block, day, start, status FROM block_verdicts WHERE start >= ? AND start < ? ORDER BY at, id",
            (start, end))
        return {(block, date.fromisoformat(day), begin): Status(status) for block, day, begin, status in rows}

    def spans(self, first: date, last: date) -> dict[tuple[str, date], tuple[float, float]]:
        """Where each occurrence scheduled from ``first`` to ``last`` was when it was
        last judged (block key, day) -> (start, end): its history, whatever the
        config says now (see ``core.blocks.as_recorded``)."""
        rows = self.store.db.execute(
            'SELECT block, day, start, "end" FROM block_verdicts WHERE day >= ? AND day <= ? ORDER BY at, id',
            (first.isoformat(), last.isoformat()))
        return {(block, date.fromisoformat(day)): (begin, end) for block, day, begin, end in rows}

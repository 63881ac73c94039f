"""The user's edited records in the database, as items that travel (issue 16).

Goals, steps, delegations, calls, block moves and verdicts are rows of other
issues' tables, keyed by local row ids that mean nothing on another computer.
Migration 008 (``create_tables``) gives each row what ``core.merge_records``
needs, kept up to date by SQLite triggers so the modules that write these rows
stay as they are:

* ``uid``: a random id given at insert, the same on every device the row travels to;
* ``changed_at`` / ``origin``: when the row last changed and on which device
  (NULL: this one). An update that changes a row's content restamps both (one that
  writes the same values -- the positions of a goal's other steps, rewritten when
  one is added -- does not, so it cannot outrun another device's real edit of them);
  an update that sets them itself (the merge applying another device's version) is
  left alone;
* ``sync_tombstones``: a deleted goal or step's uid, when and where it was deleted.
  (The other kinds are never deleted by the user, only pruned by each device's own
  retention, which must not delete them elsewhere: no tombstone for those.)

(The migration also adds the covering index the merged view's sweep reads.)

``SyncedItems`` reads this device's own changes of a day for its day file, and
applies the winning versions of other devices' changes to the same tables, so the
plan, the calls, the blocks and the report read one merged set without knowing.
A device publishes only its own changes (``origin`` NULL): what it took from
another device is that device's to publish.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from focusguard.core import merge_records as mr
from focusguard.core import sync_format as fmt
from focusguard.core.merge_records import Change, Version
from focusguard.sqlitedb import Database

if TYPE_CHECKING:
    import sqlite_utils  # the migration's table API

#: Now, in Unix seconds, in SQL (SQLite 3.40 has no unixepoch('subsec')).
_NOW_SQL: Final = "((julianday('now') - 2440587.5) * 86400.0)"
_UID_SQL: Final = "lower(hex(randomblob(16)))"
_DAY: Final = 86400


@dataclass(frozen=True, slots=True)
class _Table:
    name: str
    #: The changed_at of a row already there when migration 008 ran: its own time.
    first_stamp: str
    #: The columns whose update is an edit (restamped). Frozen with the migration.
    content: str
    deletable: bool = False


_TABLES: Final[Mapping[str, _Table]] = {
    mr.GOAL: _Table("goals", "created", "name, activity, created", deletable=True),
    mr.STEP: _Table("steps", "COALESCE(done_at, (SELECT created FROM goals WHERE goals.id = steps.goal_id), 0)",
                    "goal_id, text, position, done_at", deletable=True),
    mr.DELEGATION: _Table("delegations", "at", "at, activity, app, title, seconds, note"),
    mr.CALL: _Table("calls", 'COALESCE(answered_at, "end")',
                    'start, "end", app, title, kind, note, answered_at, followup_done_at'),
    mr.BLOCK_MOVE: _Table("block_moves", "at", "block, day, from_start, from_end, to_start, to_end, at"),
    mr.BLOCK_VERDICT: _Table("block_verdicts", "at",
                             'block, day, start, "end", status, activity_seconds, active_seconds, at'),
}


#: Fields whose column is named otherwise: a step's goal is its goal_id, a call's kind its kind.
_RENAMED: Final = {(mr.STEP, "goal"): "goal_id", (mr.CALL, "call_kind"): "kind"}


#: The tables whose rows travel as items.
SYNCED_TABLES: Final = tuple(t.name for t in _TABLES.values())


def _column(kind: str, field: str) -> str:
    """The table column of an item's field."""
    return _RENAMED.get((kind, field), field)


def _read(kind: str, field: str) -> str:
    """The SQL that reads a field: a step's goal as the goal's uid."""
    if (kind, field) == (mr.STEP, "goal"):
        return "(SELECT uid FROM goals WHERE goals.id = steps.goal_id)"
    return f'"{_column(kind, field)}"'


def create_tables(db: sqlite_utils.Database) -> None:
    """Migration 008's body (``store.py`` registers it): the columns, indexes, triggers
    and the tombstone table described above; every existing row gets its uid."""
    db.execute("CREATE TABLE sync_tombstones (uid TEXT PRIMARY KEY, kind TEXT NOT NULL, at FLOAT NOT NULL, "
               "origin TEXT)")
    db.execute("CREATE INDEX sync_tombstones_at ON sync_tombstones (at)")
    # and, for the merged view's sweep, other devices' events by device and start with all it reads
    # (store_sync.SyncTables.ranked): an index-only range scan per device, no row's window read
    db.execute('CREATE INDEX sync_events_by_device ON sync_events (device, start, "end", classification)')
    for kind, table in _TABLES.items():
        t = table.name
        assert {_column(kind, f) for f in mr.FIELDS[kind]} == {c.strip(' "') for c in table.content.split(",")}
        db.table(t).add_column("uid", str)
        db.table(t).add_column("origin", str)
        db.table(t).add_column("changed_at", float)
        db.execute(f"UPDATE {t} SET uid = {_UID_SQL}, changed_at = {table.first_stamp}")
        db.execute(f"CREATE UNIQUE INDEX {t}_uid ON {t} (uid)")
        db.execute(f"CREATE INDEX {t}_changed_at ON {t} (changed_at)")
        db.execute(f"CREATE TRIGGER {t}_sync_insert AFTER INSERT ON {t} WHEN NEW.uid IS NULL BEGIN "
                   f"UPDATE {t} SET uid = {_UID_SQL}, changed_at = COALESCE(NEW.changed_at, {_NOW_SQL}) "
                   "WHERE id = NEW.id; END")
        changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in (c.strip() for c in table.content.split(",")))
        db.execute(f"CREATE TRIGGER {t}_sync_update AFTER UPDATE OF {table.content} ON {t} "
                   f"WHEN NEW.changed_at IS OLD.changed_at AND NEW.origin IS OLD.origin AND ({changed}) BEGIN "
                   f"UPDATE {t} SET changed_at = {_NOW_SQL}, origin = NULL WHERE id = NEW.id; END")
        if table.deletable:
            db.execute(f"CREATE TRIGGER {t}_sync_delete AFTER DELETE ON {t} WHEN OLD.uid IS NOT NULL BEGIN "
                       "INSERT OR REPLACE INTO sync_tombstones (uid, kind, at, origin) "
                       f"VALUES (OLD.uid, '{kind}', {_NOW_SQL}, NULL); END")


def _utc_day(days: int) -> date:
    return date(1970, 1, 1) + timedelta(days=days)


class SyncedItems:
    """This device's items for its day files, and other devices' applied to its tables.
    ``device``: this device's id (what ``origin`` NULL means)."""

    def __init__(self, db: Database, device: str) -> None:
        self.db = db
        self.device = device

    # --- publishing ---

    def changed_days(self, since: float | None) -> set[date]:
        """The UTC days holding this device's changes made at or after ``since`` (None: all)."""
        lo = float("-inf") if since is None else since
        days: set[date] = set()
        for table in ("sync_tombstones", *(t.name for t in _TABLES.values())):
            when = "at" if table == "sync_tombstones" else "changed_at"
            days.update(_utc_day(int(n)) for (n,) in self.db.execute(
                f"SELECT DISTINCT CAST({when} / {_DAY} AS INTEGER) FROM {table} "
                f"WHERE origin IS NULL AND {when} >= ?", (lo,)))
        return days

    def records(self, day: date) -> list[dict[str, Any]]:
        """This device's item changes of the UTC ``day``, as day-file records."""
        start = datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()
        end = start + _DAY
        out: list[dict[str, Any]] = []
        for kind, table in _TABLES.items():
            fields = tuple(mr.FIELDS[kind])
            columns = ", ".join(_read(kind, f) for f in fields)
            for uid, changed_at, *values in self.db.execute(
                    f"SELECT uid, changed_at, {columns} FROM {table.name} "
                    "WHERE origin IS NULL AND changed_at >= ? AND changed_at < ? ORDER BY changed_at, uid",
                    (start, end)):
                if kind == mr.STEP and values[0] is None:
                    continue  # a step whose goal is gone (an old row): nothing to attach it to
                out.append(fmt.item_record(kind, uid, changed_at, dict(zip(fields, values, strict=True))))
        for uid, kind, at in self.db.execute(
                "SELECT uid, kind, at FROM sync_tombstones WHERE origin IS NULL AND at >= ? AND at < ? "
                "ORDER BY at, uid", (start, end)):
            out.append(fmt.item_record(kind, uid, at, None))
        return out

    # --- merging ---

    def apply(self, changes: Iterable[Change]) -> tuple[int, list[str]]:
        """Apply the versions that win over this device's (one transaction); how many
        were applied, and the ones the database refused (each undone alone, said, the
        rest applied). A step whose goal is not here (yet) waits: the caller offers it again."""
        changes = list(changes)
        if not changes:
            return 0, []
        applied, refused = 0, list[str]()
        with self.db.atomic():
            local = {c.key: v for c in changes if (v := self._version(c.kind, c.uid)) is not None}
            for change in mr.to_apply(changes, local):
                try:
                    with self.db.atomic():
                        applied += self._delete(change) if change.version.deleted else self._write(change)
                except sqlite3.IntegrityError as exc:
                    refused.append(f"a {change.kind} ({change.uid}) from device {change.version.device}: {exc}")
        return applied, refused

    def _origin(self, version: Version) -> str | None:
        return None if version.device == self.device else version.device

    def _version(self, kind: str, uid: str) -> Version | None:
        row = self.db.execute(f"SELECT changed_at, origin FROM {_TABLES[kind].name} WHERE uid = ?",
                              (uid,)).fetchone()
        if row is not None:
            return Version(row[0], row[1] or self.device)
        row = self.db.execute("SELECT at, origin FROM sync_tombstones WHERE uid = ?", (uid,)).fetchone()
        return None if row is None else Version(row[0], row[1] or self.device, deleted=True)

    def _write(self, change: Change) -> int:
        values = {_column(change.kind, f): v for f, v in change.fields.items()}
        if change.kind == mr.STEP:
            goal = self.db.execute("SELECT id FROM goals WHERE uid = ?", (change.fields["goal"],)).fetchone()
            if goal is None:
                return 0
            values["goal_id"], values["position"] = goal[0], int(change.fields["position"])
        values |= {"changed_at": change.version.at, "origin": self._origin(change.version)}
        table = _TABLES[change.kind].name
        names, q = list(values), '"'
        assigned = ", ".join(f"{q}{n}{q} = ?" for n in names)
        if not self.db.execute(f"UPDATE {table} SET {assigned} WHERE uid = ?",
                               (*values.values(), change.uid)).rowcount:
            self.db.execute(f"INSERT INTO {table} (uid, {', '.join(f'{q}{n}{q}' for n in names)}) "
                            f"VALUES (?, {', '.join('?' * len(names))})", (change.uid, *values.values()))
        self.db.execute("DELETE FROM sync_tombstones WHERE uid = ?", (change.uid,))
        return 1

    def _delete(self, change: Change) -> int:
        """Delete the item (a goal with its steps) and keep its tombstone as the deleting device made it."""
        table = _TABLES[change.kind]
        if not table.deletable:
            return 0
        gone = [change.uid]
        if change.kind == mr.GOAL:
            gone += [uid for (uid,) in self.db.execute(
                "SELECT uid FROM steps WHERE goal_id = (SELECT id FROM goals WHERE uid = ?)", (change.uid,))]
            self.db.execute("DELETE FROM steps WHERE goal_id = (SELECT id FROM goals WHERE uid = ?)", (change.uid,))
        self.db.execute(f"DELETE FROM {table.name} WHERE uid = ?", (change.uid,))
        origin = self._origin(change.version)
        self.db.conn.executemany(
            "INSERT OR REPLACE INTO sync_tombstones (uid, kind, at, origin) VALUES (?, ?, ?, ?)",
            [(uid, change.kind if uid == change.uid else mr.STEP, change.version.at, origin) for uid in gone])
        return 1

"""Other devices' history in the local database, and the merged view every figure reads.

What the sync folder carries in from other devices lives in tables of its own, kept
apart from what this device recorded (``events``, ``declarations``... stay this
device's alone, and are what it publishes):

* ``sync_events``: their events, one row each, with the file they came from;
* ``sync_records``: every other kind (declarations, nudges, journals, the edited
  items of ``core.merge_records``) as JSON, with its time;
* ``sync_files``: each file merged (its size and time, so an unchanged file is not
  read again; the checksum of what was merged; a problem, when it could not be);
* ``sync_devices``: each device's newest name and the clock observations
  ``core.sync_health`` judges.

A file's records are replaced in one transaction: a file seen twice, or grown
since, leaves exactly its current content, and a bad copy leaves the last good one.

``MergedLog`` is the store as the summary, the review, ``report`` and the exports
read it: this device's records and the others', merged by ``core.merge``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from focusguard.core import sync_format as fmt
from focusguard.core.merge import (
    BY_START,
    INACTIVE,
    Piece,
    Ranked,
    SavedJournal,
    clipped,
    device_seconds,
    latest_journal,
    merge_declarations,
    merge_ranked,
    ranked,
)
from focusguard.core.merge_records import Change
from focusguard.core.model import Answer, Classification, Declaration, Event, Journal, NudgeRecord
from focusguard.core.sync_health import clock_lead
from focusguard.core.timefmt import day_bounds
from focusguard.sqlitedb import Database

if TYPE_CHECKING:
    import sqlite_utils  # the migration's table API


class LocalStore(Protocol):
    """What the merged view reads of ``focusguard.store.Store`` (this module imports no
    store: the store's migration imports it)."""

    path: Path
    db: Database

    @property
    def max_gap(self) -> float: ...
    def events(self, start: float, end: float) -> Sequence[Event]: ...
    def declarations(self, start: float | None = None, end: float | None = None) -> Sequence[Declaration]: ...
    def nudges(self, start: float, end: float) -> Sequence[NudgeRecord]: ...
    def journal(self, day: date) -> Journal | None: ...
    def get_meta(self, key: str) -> str | None: ...
    def set_meta(self, key: str, value: str) -> None: ...

_LONGEST_KEY = "sync.longest_event_seconds"
#: Clock observations kept per device: recent enough that a clock put right stops being flagged.
_OBSERVATIONS = 24
_CLASSIFICATIONS = {c.value: c for c in Classification}
_INACTIVE_SQL = ", ".join(f"'{c.value}'" for c in sorted(INACTIVE))
#: Row ids in one ``IN (...)``: well under SQLite's limit on parameters.
_ROWS_PER_QUERY = 500


def create_tables(db: sqlite_utils.Database) -> None:
    """The migration's body (``store.py`` registers it): the tables described above."""
    db.table("sync_events").create(
        {"id": int, "file": str, "device": str, "start": float, "end": float, "app": str, "title": str, "exe": str,
         "activity": str, "classification": str},
        pk="id", not_null={"file", "device", "start", "end", "app", "title", "exe", "classification"},
    )
    db.table("sync_events").create_index(["start"])
    db.table("sync_events").create_index(["file"])
    db.table("sync_records").create(
        {"id": int, "file": str, "device": str, "kind": str, "at": float, "day": str, "data": str},
        pk="id", not_null={"file", "device", "kind", "at", "data"},
    )
    db.table("sync_records").create_index(["kind", "at"])
    db.table("sync_records").create_index(["file"])
    db.table("sync_files").create(
        {"path": str, "device": str, "size": int, "mtime_ns": int, "sha256": str, "written_at": float,
         "seen_at": float, "records": int, "problem": str},
        pk="path", not_null={"device", "size", "mtime_ns", "seen_at"},
    )
    db.table("sync_devices").create(
        {"device": str, "name": str, "written_at": float, "seen_at": float, "observations": str},
        pk="device", not_null={"name", "written_at", "seen_at", "observations"},
    )


@dataclass(frozen=True, slots=True)
class DeviceRow:
    """A device as the merge last saw it: ``seen_at`` on our clock, ``written_at`` on its own."""

    device: str
    name: str
    written_at: float
    seen_at: float
    lead: float | None
    latest_record: float | None


class SyncTables:
    """Queries on the sync tables of one connection (the caller's thread's)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # --- writing ---

    def known(self, path: str) -> tuple[int, int] | None:
        """(size, mtime_ns) of the file as last read, good or bad; None if never read."""
        row = self.db.execute("SELECT size, mtime_ns FROM sync_files WHERE path = ?", (path,)).fetchone()
        return None if row is None else (row[0], row[1])

    def merged_sha(self, path: str) -> str | None:
        row = self.db.execute("SELECT sha256 FROM sync_files WHERE path = ?", (path,)).fetchone()
        return None if row is None else row[0]

    def replace_file(self, path: str, size: int, mtime_ns: int, day: fmt.DayFile, seen_at: float) -> None:
        """Replace everything ``path`` brought with ``day``'s records, in one transaction."""
        device = day.header.device
        records: list[tuple[str, str, str, float, str | None, str]] = []
        for d in day.declarations:
            records.append((path, device, fmt.DECLARATION, d.at, None, json.dumps(fmt.declaration_record(d))))
        for n in day.nudges:
            records.append((path, device, fmt.NUDGE, n.at, None, json.dumps(fmt.nudge_record(n))))
        for saved_at, j in day.journals:
            records.append((path, device, fmt.JOURNAL, saved_at, j.day.isoformat(),
                            json.dumps(fmt.journal_record(j, saved_at))))
        for c in day.items:
            records.append((path, device, c.kind, c.version.at, None, json.dumps(
                fmt.item_record(c.kind, c.uid, c.version.at, None if c.version.deleted else c.fields))))
        longest = max((e.end - e.start for e in day.events), default=0.0)
        with self.db.atomic():
            self.db.execute("DELETE FROM sync_events WHERE file = ?", (path,))
            self.db.execute("DELETE FROM sync_records WHERE file = ?", (path,))
            self.db.conn.executemany(
                'INSERT INTO sync_events (file, device, start, "end", app, title, exe, activity, classification) '
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(path, device, e.start, e.end, e.app, e.title, e.exe, e.activity, e.classification.value)
                 for e in day.events],
            )
            self.db.conn.executemany(
                "INSERT INTO sync_records (file, device, kind, at, day, data) VALUES (?, ?, ?, ?, ?, ?)", records)
            self.db.execute(
                "INSERT OR REPLACE INTO sync_files (path, device, size, mtime_ns, sha256, written_at, seen_at, "
                "records, problem) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                (path, device, size, mtime_ns, day.header.sha256, day.header.written_at, seen_at,
                 day.header.records))
            self.db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value "
                "WHERE CAST(meta.value AS REAL) < CAST(excluded.value AS REAL)", (_LONGEST_KEY, repr(longest)))

    def note_problem(self, path: str, device: str, size: int, mtime_ns: int, problem: str, seen_at: float) -> None:
        """A file that could not be merged: remembered (not read again until it changes),
        what it brought before stays as it was."""
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO sync_files (path, device, size, mtime_ns, seen_at, problem) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns, "
                "problem = excluded.problem", (path, device, size, mtime_ns, seen_at, problem))

    def note_device(self, device: str, name: str, written_at: float, seen_at: float) -> None:
        """A device file read at ``seen_at``: a new ``written_at`` is one more clock observation."""
        row = self.db.execute("SELECT written_at, observations FROM sync_devices WHERE device = ?",
                              (device,)).fetchone()
        observations: list[list[float]] = json.loads(row[1]) if row else []
        if row is None or row[0] != written_at:
            observations = [*observations, [written_at, seen_at]][-_OBSERVATIONS:]
            with self.db.atomic():
                self.db.execute(
                    "INSERT OR REPLACE INTO sync_devices (device, name, written_at, seen_at, observations) "
                    "VALUES (?, ?, ?, ?, ?)", (device, name, written_at, seen_at, json.dumps(observations)))

    # --- reading ---

    def problems(self) -> list[tuple[str, str]]:
        """(path, problem) of every file that could not be merged as it is now."""
        return list(self.db.execute("SELECT path, problem FROM sync_files WHERE problem IS NOT NULL ORDER BY path"))

    def devices(self) -> list[DeviceRow]:
        latest = dict(self.db.execute('SELECT device, MAX("end") FROM sync_events GROUP BY device').fetchall())
        rows = self.db.execute(
            "SELECT device, name, written_at, seen_at, observations FROM sync_devices ORDER BY name, device")
        return [DeviceRow(d, name, w, s, clock_lead([(a, b) for a, b in json.loads(obs)]), latest.get(d))
                for d, name, w, s, obs in rows]

    def names(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT device, name FROM sync_devices").fetchall())

    def longest(self) -> float:
        """The longest merged event's length: how far before a range one reaching it can start."""
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (_LONGEST_KEY,)).fetchone()
        return float(row[0]) if row else 0.0

    def ranked(self, start: float, end: float, now: float) -> dict[str, list[Ranked[int]]]:
        """Other devices' events overlapping [start, end) and starting before ``now``, by
        device, each by start, as the merge ranks them (``core.merge.Ranked``, the row id
        standing for the event), built by SQLite from migration 008's covering index: what
        the merge needs, without their windows. Reading the titles of every device's every
        event would cost three times as much, and most of them lose the merge."""
        lo, hi = start - self.longest(), min(end, now)
        out: dict[str, list[Ranked[int]]] = {}
        for (device,) in self.db.execute("SELECT DISTINCT device FROM sync_files"):
            rows = self.db.execute(
                f'SELECT classification NOT IN ({_INACTIVE_SQL}), start, MIN("end", ?), device, id FROM sync_events '
                'WHERE device = ? AND start >= ? AND start < ? AND "end" > ? AND "end" > start ORDER BY start',
                (now, device, lo, hi, start)).fetchall()
            if rows:
                out[device] = rows
        return out

    def events(self, rowids: Iterable[int]) -> dict[int, Event]:
        """The whole events of these rows, by row id. An event's id is the row's
        negated, so it never meets one of this device's own."""
        wanted = sorted(set(rowids))
        found: dict[int, Event] = {}
        for i in range(0, len(wanted), _ROWS_PER_QUERY):
            chunk = wanted[i:i + _ROWS_PER_QUERY]
            for row in self.db.execute(
                'SELECT id, start, "end", app, title, exe, activity, classification FROM sync_events '
                f"WHERE id IN ({', '.join('?' * len(chunk))})", chunk,
            ):
                found[row[0]] = Event(-row[0], row[1], row[2], row[3], row[4], row[5], row[6],
                                      _CLASSIFICATIONS[row[7]])
        return found

    def _records(self, kind: str, lo: float, hi: float) -> list[tuple[int, str, dict[str, Any]]]:
        rows = self.db.execute(
            "SELECT id, device, data FROM sync_records WHERE kind = ? AND at >= ? AND at < ? ORDER BY at, id",
            (kind, lo, hi))
        return [(rid, device, json.loads(data)) for rid, device, data in rows]

    def declarations(self, start: float | None, end: float | None) -> list[Declaration]:
        lo = float("-inf") if start is None else start
        hi = float("inf") if end is None else end
        return [Declaration(r["at"], r["activity"], r["next_step"])
                for _, _, r in self._records(fmt.DECLARATION, lo, hi)]

    def nudges(self, start: float, end: float) -> list[NudgeRecord]:
        return [
            NudgeRecord(-rid, r["at"], r["activity"], _CLASSIFICATIONS[r["class"]], r["streak_seconds"], r["level"],
                        r["app"], r["title"], None if r["answer"] is None else Answer(r["answer"]), r["answered_at"],
                        r["distraction_seconds"])
            for rid, _, r in self._records(fmt.NUDGE, start, end)
        ]

    def items(self, kinds: Iterable[str]) -> list[Change]:
        """Every merged item change of these kinds (a step may wait here for its goal)."""
        wanted = list(kinds)
        rows = self.db.execute(
            f"SELECT device, kind, data FROM sync_records WHERE kind IN ({', '.join('?' * len(wanted))})", wanted)
        return [fmt.decode_item(kind, json.loads(data), device) for device, kind, data in rows]

    def journals(self, day: date) -> list[SavedJournal]:
        rows = self.db.execute("SELECT device, at, data FROM sync_records WHERE kind = ? AND day = ?",
                               (fmt.JOURNAL, day.isoformat()))
        out = []
        for device, at, data in rows:
            r = json.loads(data)
            out.append(SavedJournal(device, at, Journal(day, r["done"], r["todo"], r["change"],
                                                        r["tomorrow_activity"], r["tomorrow_next_step"])))
        return out


class MergedLog:
    """The store with every device's history merged in: a ``ReviewStore`` for the
    summary, the review, ``report`` and the exports. ``device`` and ``name`` are this
    device's; ``clock`` (injected) is ours, past which nothing is counted."""

    def __init__(self, store: LocalStore, device: str, name: str, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.device = device
        self.name = name
        self.tables = SyncTables(store.db)
        self._clock = clock

    @property
    def max_gap(self) -> float:
        return self.store.max_gap

    def pieces(self, start: float, end: float) -> list[Piece]:
        own = self.store.events(start, end)
        now = self._clock()
        others: dict[str, list[Ranked[int]] | list[Ranked[Event]]] = dict(self.tables.ranked(start, end, now))
        if not others:  # one device: its log as it is
            return [Piece(self.device, e) for e in own]
        others[self.device] = ranked(self.device, own, now)
        tagged: list[Ranked[Event | int]] = [r for device in sorted(others) for r in others[device]]
        tagged.sort(key=BY_START)
        stretches = merge_ranked(tagged)
        theirs = self.tables.events(ref for _, ref, _, _ in stretches if not isinstance(ref, Event))
        return [Piece(device, clipped(ref if isinstance(ref, Event) else theirs[ref], a, b))
                for device, ref, a, b in stretches]

    def events(self, start: float, end: float) -> Sequence[Event]:
        return [p.event for p in self.pieces(start, end)]

    def declarations(self, start: float | None = None, end: float | None = None) -> Sequence[Declaration]:
        return merge_declarations([self.store.declarations(start, end), self.tables.declarations(start, end)])

    def nudges(self, start: float, end: float) -> Sequence[NudgeRecord]:
        return sorted([*self.store.nudges(start, end), *self.tables.nudges(start, end)], key=lambda n: (n.at, n.id))

    def journal(self, day: date) -> Journal | None:
        own = self.store.journal(day)
        row = self.store.db.execute("SELECT saved_at FROM journal WHERE day = ?", (day.isoformat(),)).fetchone()
        saved = [SavedJournal(self.device, row[0] if row else self._clock(), own)] if own is not None else []
        return latest_journal([*saved, *self.tables.journals(day)])

    def get_meta(self, key: str) -> str | None:
        return self.store.get_meta(key)

    def set_meta(self, key: str, value: str) -> None:
        self.store.set_meta(key, value)

    def device_breakdown(self, day: date, tz: tzinfo | None = None) -> list[DeviceTime]:
        """Each device's share of the merged day (the time it won), by name: the same
        order on every device, so their reports agree."""
        start, end = day_bounds(day, tz)
        return self.named(device_seconds(self.pieces(start, end), start, end))

    def named(self, by_id: dict[str, dict[str, float]]) -> list[DeviceTime]:
        """Seconds by device id as ``device_breakdown`` lists them (a kept day's, issue 16)."""
        names = {**self.tables.names(), self.device: self.name}
        order = sorted(by_id, key=lambda d: (names.get(d, d), d))
        return [DeviceTime(d, names.get(d, d), by_id[d]) for d in order]


@dataclass(frozen=True, slots=True)
class DeviceTime:
    """One device's part of a merged day: seconds by classification value."""

    device: str
    name: str
    seconds: dict[str, float]


def merged_view(store: LocalStore) -> LocalStore | MergedLog:
    """What every figure reads: the merged view once this database's device has an
    identity (sync was set up), the store itself before (nothing to merge)."""
    from focusguard.syncfolder import identity_path, load_identity

    path = identity_path(store.path)
    if not path.exists():
        return store
    identity = load_identity(path)
    return MergedLog(store, identity.id, identity.name)


def devices_json(view: LocalStore | MergedLog, day: date, tz: tzinfo | None = None) -> dict[str, Any]:
    """``{"devices": [...]}``, each device's share of the day, for ``report --json``;
    nothing when no other device's history is in."""
    if not isinstance(view, MergedLog) or not view.tables.names():
        return {}
    return {"devices": [{"id": t.device, "name": t.name, "seconds": {k: round(v, 3) for k, v in t.seconds.items()}}
                        for t in view.device_breakdown(day, tz)]}

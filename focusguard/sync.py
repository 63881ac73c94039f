"""Publish this device's new history to the sync folder and merge the other devices'.

``SyncEngine.run`` is the whole of ``focusguard sync now``, and what the running app
does every few minutes and at quit on a thread of its own (``SyncWorker``): the GUI
thread never waits for the folder or the merge.

Publishing is incremental: only the UTC days touched since the last publish (with a
day's margin, for an event still growing and a nudge answered late) and days whose
journal was saved since are rebuilt, and a day file is rewritten only when its
content changed. Merging reads only the files whose size or time changed since the
last merge; a file that is not a complete day file of the device whose folder holds
it is reported and skipped whole (what it brought before stays).

Privacy: a day file holds what this device's database holds, no more -- excluded
windows never reached the database, so they never reach the folder.
"""

from __future__ import annotations

import gzip
import json
import logging
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from focusguard.core import sync_format as fmt
from focusguard.core.figures import ACTIVE
from focusguard.core.merge_records import GOAL, STEP, Change
from focusguard.core.sync_health import assess
from focusguard.core.timefmt import duration
from focusguard.store import DAY_SECONDS, Store
from focusguard.store_sync import MergedLog, SyncTables
from focusguard.store_sync_items import SYNCED_TABLES, SyncedItems
from focusguard.syncfolder import (
    DEVICE_FILE,
    Identity,
    SyncFolderError,
    check_folder,
    day_files,
    day_path,
    device_dir,
    other_devices,
    write_whole,
)

log = logging.getLogger(__name__)

PUBLISHED_AT_KEY = "sync.published_at"
PUBLISHED_TO_KEY = "sync.published_to"
#: The newest row id of each table published from, so rows added since with an older
#: time (an import of past history, a test writing a past day) are published too --
#: and, the first time, every row: the goals, calls... a database had before migration
#: 008 gave them their ids carry their own old times, which no publish had yet covered.
PUBLISHED_ROWS_KEY = "sync.published_rows"
#: (table, its time, which of its rows are this device's own: what it publishes).
_TIMED_TABLES = (("events", "start", "1"), ("nudges", "at", "1"),
                 ("declarations", "at", "NOT EXISTS (SELECT 1 FROM sync_records r WHERE r.kind = 'declaration' "
                                        "AND r.at = declarations.at)"),
                 *((table, "changed_at", "origin IS NULL") for table in SYNCED_TABLES))


@dataclass
class SyncResult:
    """What one run did: day files written and merged, and the files it could not merge."""

    written: int = 0
    merged: int = 0
    problems: list[str] = field(default_factory=list)
    applied: int = 0  # other devices' edits of goals, steps, delegations, calls and blocks taken
    followed: str = ""  # the computer whose activities and rules were just taken ([sync] follow)

    def text(self) -> str:
        applied = f", applied {self.applied} edit(s)" if self.applied else ""
        lines = [f"published {self.written} day file(s), merged {self.merged} from other devices{applied}"]
        if self.followed:
            lines.append(f"took the activities and rules of {self.followed}")
        lines += [f"skipped {p}" for p in self.problems]
        return "\n".join(lines)


def utc_day(t: float) -> date:
    return datetime.fromtimestamp(t, UTC).date()


def utc_bounds(day: date) -> tuple[float, float]:
    start = datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()
    return start, start + DAY_SECONDS


class SyncEngine:
    """One device's sync with one folder, on the thread that opened ``store``."""

    def __init__(self, store: Store, folder: Path, identity: Identity, clock: Callable[[], float] = time.time,
                 config_file: Path | None = None) -> None:
        """``config_file``: where this computer's activities are read to publish them, and
        written when it follows another's (``focusguard.sync_follow``); None: neither."""
        self.config_file = config_file
        self.store = store
        self.folder = check_folder(folder, store.path)
        self.identity = identity
        self.tables = SyncTables(store.db)
        self.items = SyncedItems(store.db, identity.id)
        self._clock = clock

    def run(self) -> SyncResult:
        result = SyncResult()
        result.written = self.publish()
        result.merged, result.problems, result.applied = self.merge()
        if self.config_file is not None:
            self._activities(self.config_file, result)
        return result

    def _activities(self, config_file: Path, result: SyncResult) -> None:
        """Publish this computer's activities; take the followed computer's."""
        from focusguard.core.config import load_config
        from focusguard.sync_follow import follow, publish_activities

        loaded = load_config(config_file, create=False)
        if loaded.ok:
            publish_activities(self.folder, self.identity.id, loaded.config)
        followed = follow(self.folder, config_file, self.tables.names())
        result.followed = followed.taken
        if followed.problem:
            result.problems.append(followed.problem)

    # --- publishing ---

    def _days_to_publish(self, now: float) -> list[date]:
        db = self.store.db
        last_text = self.store.get_meta(PUBLISHED_AT_KEY)
        if last_text is None or self.store.get_meta(PUBLISHED_TO_KEY) != str(self.folder):
            row = db.execute(
                "SELECT MIN(t) FROM (SELECT MIN(start) AS t FROM events UNION ALL SELECT MIN(at) FROM declarations "
                "UNION ALL SELECT MIN(at) FROM nudges)").fetchone()
            since = row[0] if row[0] is not None else now
            journal_days = [r[0] for r in db.execute("SELECT day FROM journal")]
            changed = self.items.changed_days(None)
        else:
            since = float(last_text) - DAY_SECONDS
            journal_days = [r[0] for r in db.execute("SELECT day FROM journal WHERE saved_at >= ?", (since,))]
            changed = self.items.changed_days(since)
        first, last = utc_day(min(since, now)), utc_day(now)
        days = {first + timedelta(days=i) for i in range((last - first).days + 1)}
        days.update(date.fromisoformat(d) for d in journal_days)
        days.update(changed)  # edits stamped by the database's clock, which an injected one may not be
        days.update(self._days_of_new_rows())
        return sorted(days)

    def _row_marks(self) -> dict[str, int]:
        return {table: self.store.db.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}").fetchone()[0]
                for table, _, _ in _TIMED_TABLES}

    def _days_of_new_rows(self) -> set[date]:
        """The UTC days of this device's own rows added since the last publish, whatever
        their time (another device's, taken in by a merge, are that device's to publish)."""
        try:
            marks = json.loads(self.store.get_meta(PUBLISHED_ROWS_KEY) or "{}")
        except ValueError:
            marks = {}
        days: set[date] = set()
        for table, column, own in _TIMED_TABLES:
            days.update(date(1970, 1, 1) + timedelta(days=int(n)) for (n,) in self.store.db.execute(
                f"SELECT DISTINCT CAST({column} / {DAY_SECONDS} AS INTEGER) FROM {table} WHERE id > ? AND {own}",
                (int(marks.get(table, 0)) if isinstance(marks, dict) else 0,)))
        return days

    def _records(self, day: date) -> list[dict[str, Any]]:
        start, end = utc_bounds(day)
        store = self.store
        records: list[dict[str, Any]] = [fmt.event_record(e) for e in store.events(start, end) if e.start >= start]
        theirs = set(self.tables.declarations(start, end))  # adopted from another device: its to publish
        records += [fmt.declaration_record(d) for d in store.declarations(start, end) if d not in theirs]
        records += [fmt.nudge_record(n) for n in store.nudges(start, end)]
        journal = store.journal(day)
        if journal is not None:
            row = store.db.execute("SELECT saved_at FROM journal WHERE day = ?", (day.isoformat(),)).fetchone()
            records.append(fmt.journal_record(journal, row[0] if row else self._clock()))
        return records + self.items.records(day)

    def publish(self) -> int:
        """Write this device's changed day files and its device file; how many day files were written."""
        now = self._clock()
        me = self.identity
        written = 0
        marks = self._row_marks()  # before reading the rows: one added meanwhile is published next time
        for day in self._days_to_publish(now):
            records = self._records(day)
            path = day_path(self.folder, me.id, day)
            body, _ = fmt.body_bytes(records)
            if _published_digest(path) == fmt.body_digest(body) or (not records and not path.exists()):
                continue
            write_whole(path, fmt.encode_day(me.id, me.name, day, now, records))
            written += 1
        write_whole(device_dir(self.folder, me.id) / DEVICE_FILE, fmt.encode_device(me.id, me.name, now))
        self.store.set_meta(PUBLISHED_AT_KEY, repr(now))
        self.store.set_meta(PUBLISHED_TO_KEY, str(self.folder))
        self.store.set_meta(PUBLISHED_ROWS_KEY, json.dumps(marks))
        self.store.flush()
        return written

    # --- merging ---

    def merge(self) -> tuple[int, list[str], int]:
        """Merge the other devices' new files; (how many, the problems of those skipped,
        how many of their item edits won here)."""
        now = self._clock()
        merged, problems = 0, list[str]()
        changes: list[Change] = []
        for device in other_devices(self.folder, self.identity.id):
            self._note_device(device, now, problems)
            for entry in day_files(self.folder, device):
                key = str(entry.path.relative_to(self.folder))
                if self.tables.known(key) == (entry.size, entry.mtime_ns):
                    continue
                try:
                    day = fmt.decode_day(entry.path.read_bytes())
                    if day.header.device != device:
                        raise fmt.FormatError(f"it belongs to device {day.header.device}, not to the folder's {device}")
                    if day.header.day != entry.day:
                        raise fmt.FormatError(f"it holds {day.header.day}, its name says {entry.day}")
                except (fmt.FormatError, OSError) as exc:
                    problems.append(f"{key}: {exc}")
                    self.tables.note_problem(key, device, entry.size, entry.mtime_ns, str(exc), now)
                    continue
                self.tables.replace_file(key, entry.size, entry.mtime_ns, day, now)
                changes += day.items
                merged += 1
        if merged:
            self._adopt_declarations()
            # the plan's items again, whichever file brought them: a step read before its goal waits for it
            changes += self.tables.items((GOAL, STEP))
        applied, refused = self.items.apply(changes)
        return merged, problems + [f"an edit: {r}" for r in refused], applied

    def _adopt_declarations(self) -> None:
        """A priority declared on another device becomes this device's too (the same
        record: the merge counts it once), so the running app judges windows against
        it, ``priority show`` says it, and the day's plan (which reads this device's
        declarations) is the same on every device, past days included."""
        local = set(self.store.declarations())
        newer = [d for d in self.tables.declarations(None, None) if d not in local]
        for d in newer:
            self.store.declare(d)
        if newer:
            self.store.flush()

    def _note_device(self, device: str, now: float, problems: list[str]) -> None:
        path = device_dir(self.folder, device) / DEVICE_FILE
        try:
            found, name, written_at = fmt.decode_device(path.read_bytes())
        except FileNotFoundError:
            return
        except (OSError, fmt.FormatError) as exc:
            problems.append(f"{path.relative_to(self.folder)}: {exc}")
            return
        if found != device:
            problems.append(f"{path.relative_to(self.folder)}: it names device {found}, not the folder's {device}")
            return
        self.tables.note_device(device, name, written_at, now)


def _published_digest(path: Path) -> str | None:
    """The checksum in the header of a day file this device wrote (None: none, or unreadable)."""
    try:
        with gzip.open(path, "rb") as handle:
            return fmt.decode_header(handle.readline()).sha256
    except (OSError, EOFError, zlib.error, fmt.FormatError):
        return None


class SyncWorker:
    """Runs ``SyncEngine`` every ``interval`` seconds on a thread of its own, with its
    own ``Store`` (a connection belongs to its thread), and once more at ``stop``.
    ``on_done`` hears each result on that thread (the app forwards it to its GUI)."""

    def __init__(self, db_path: Path, folder: Path, identity: Identity, interval: float,
                 on_done: Callable[[SyncResult | str], None] = lambda _: None, *,
                 config_file: Path | None = None) -> None:
        self._db_path, self._folder, self._identity = db_path, folder, identity
        self._config_file = config_file
        self._interval = interval
        self._on_done = on_done
        self._wake = threading.Event()
        self._stopping = False
        self._last_run = True
        self._thread = threading.Thread(target=self._loop, name="focusguard-sync", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def now(self) -> None:
        """Run at once instead of at the end of the interval; returns at once."""
        self._wake.set()

    def stop(self, timeout: float = 10.0, *, last_run: bool = True) -> None:
        """End the thread after one last run (at quit: what was recorded up to then
        reaches the folder), or after the run under way (``last_run=False``: the
        folder changed). ``timeout`` 0 returns at once instead of waiting for it."""
        self._stopping = True
        self._last_run = last_run
        self._wake.set()
        if timeout:
            self._thread.join(timeout)

    def _loop(self) -> None:
        try:
            store = Store(self._db_path)
        except Exception as exc:  # noqa: BLE001 - said to the user, never a dead thread's traceback
            self._on_done(f"sync: cannot open the database ({exc})")
            return
        try:
            while not (self._stopping and not self._last_run):
                self._once(store)
                if self._stopping:
                    return
                self._wake.wait(self._interval)
                self._wake.clear()
        finally:
            store.close()

    def _once(self, store: Store) -> None:
        try:
            result: SyncResult | str = SyncEngine(store, self._folder, self._identity,
                                                  config_file=self._config_file).run()
        except (SyncFolderError, OSError) as exc:
            result = f"sync: {exc}"
        except Exception as exc:  # a sync failure must not end the loop; it is logged
            log.exception("sync failed")
            result = f"sync failed: {exc}"
        self._on_done(result)


def device_health(store: Store, interval: float, now: float) -> list[tuple[str, bool]]:
    """One line per other device (when its last file arrived, what is wrong) and per
    file that could not be merged, each with whether it is fine: doctor, ``sync
    status`` and the settings page show these."""
    tables = SyncTables(store.db)
    lines = []
    for row in tables.devices():
        health = assess(row.device, row.name, row.seen_at, row.lead, row.latest_record, now, interval=interval)
        age = now - row.seen_at
        when = "last file just now" if age < 60 else f"last file {duration(age)} ago"
        lines.append((f"{row.name}: {'; '.join([when, *health.problems()])}", health.ok))
    lines += [(f"skipped {path}: {problem}", False) for path, problem in tables.problems()]
    return lines or [("no other device has written to the sync folder yet", True)]


def doctor_lines(folder: str, interval: float, db_path: Path, now: float) -> list[tuple[str, str, str]]:
    """(status, detail, fix) lines for ``focusguard doctor``: the folder, this device,
    then each other device and each file that could not be merged."""
    if not folder:
        return [("OK", "off (no [sync] folder)", "")]
    from focusguard.syncfolder import identity_path, load_identity

    try:
        target = check_folder(Path(folder))
        identity = load_identity(identity_path(db_path))
        with Store(db_path) as store:
            devices = device_health(store, interval, now)
    except (SyncFolderError, OSError) as exc:
        return [("FAIL", str(exc), "run `focusguard sync setup FOLDER` with a folder of yours")]
    lines = [("OK", f"{target}, this computer {identity.name!r} ({identity.id[:8]})", "")]
    lines += [("OK" if ok else "WARN", text, "" if ok else "see `focusguard sync status`") for text, ok in devices]
    return lines


def device_shares(view: object, day: date, tz: tzinfo | None = None) -> list[tuple[str, dict[str, float]]]:
    """(name, seconds by classification) of each device on a merged day; nothing when
    ``view`` is not a merged view or no other device's history is in (one device)."""
    if not isinstance(view, MergedLog) or not view.tables.names():
        return []
    return [(t.name, t.seconds) for t in view.device_breakdown(day, tz)]


def remove_published(folder: str, db_path: Path) -> int:
    """"Delete all data" reaches the sync folder: this device's own day files and its
    device file go (the sync engine carries the deletion to the other computers'
    copies of the folder). Another device's files are never touched; how many went."""
    if not folder:
        return 0
    from focusguard.syncfolder import identity_path, load_identity

    path = identity_path(db_path)
    if not path.exists():
        return 0
    own = device_dir(Path(folder).expanduser(), load_identity(path).id)
    removed = 0
    for day in sorted(own.glob("*/*.jsonl.gz")):
        day.unlink()
        removed += 1
    (own / DEVICE_FILE).unlink(missing_ok=True)
    for month in own.glob("*"):
        if month.is_dir() and not any(month.iterdir()):
            month.rmdir()
    return removed


def device_columns(view: object, rows: list[dict[str, Any]], what: str, start: float, end: float) -> tuple[str, ...]:
    """Export rows of a merged history gain their device (issue 16): ``device`` (its
    name) on each event, ``devices`` (name: active seconds) on each day. Returns the
    columns added: none when ``view`` holds one device's history."""
    if not isinstance(view, MergedLog) or not view.tables.names():
        return ()
    if what == "days":
        for row in rows:
            shares = device_shares(view, date.fromisoformat(row["date"]))
            row["devices"] = {name: round(sum(s.get(c.value, 0.0) for c in ACTIVE), 3) for name, s in shares}
        return ("devices",)
    names = {**view.tables.names(), view.device: view.name}
    pieces = view.pieces(start, end)
    for row, piece in zip(rows, pieces, strict=True):  # event_rows lists view.events(): these pieces, in order
        row["device"] = names.get(piece.device, piece.device)
    return ("device",)


def range_device_shares(view: object, first: date, last: date,
                        tz: tzinfo | None = None) -> list[tuple[str, dict[str, float]]]:
    """Each device's share of the days ``first``..``last``, summed (the review's line);
    nothing for one device's history."""
    totals: dict[str, dict[str, float]] = {}
    day = first
    while day <= last:
        for name, seconds in device_shares(view, day, tz):
            tally = totals.setdefault(name, {})
            for key, value in seconds.items():
                tally[key] = tally.get(key, 0.0) + value
        day += timedelta(days=1)
    return sorted(totals.items())

"""The local database: what was on screen, what was declared, how nudges were answered.

One SQLite file in the user's data directory. Window titles are private, so the
file (and SQLite's -wal/-shm companions, which SQLite creates with the main file's
mode) is 0600 and a directory we create is 0700. WAL mode lets the CLI read while
the app writes, and ``synchronous=NORMAL`` under WAL never corrupts the file on a
crash -- it can only lose the last commits on power loss, which is fine for a log.

Samples arrive every couple of seconds but the window rarely changes, so the store
coalesces them into events (heartbeat convention, see ``focusguard.core.model``):
a run of identical samples extends one open event; a different sample within
``max_gap`` closes the open event at its own time, so contiguous events leave no
hole; after a longer gap the open event keeps its end and the gap counts for
nothing. The open event lives in memory and is written at least every
``flush_every`` seconds of sample time, which bounds what a ``kill -9`` loses.

The schema is versioned with sqlite-utils' ``Migrations``: an older database is
upgraded in place on open and opening a current one changes nothing.

A ``Store`` (its sqlite3 connection) belongs to the thread that opened it; another
thread or process opens its own ``Store`` on the same path (busy_timeout covers
the short write locks).
"""

from __future__ import annotations

import os
import sqlite3
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, tzinfo
from pathlib import Path

import platformdirs
import sqlite_utils
from sqlite_utils.migrations import Migrations

from focusguard.core.aw_import import ImportedEvent, Span
from focusguard.core.model import Answer, Classification, Classified, Declaration, Nudge
from focusguard.core.summary import day_bounds

MAX_TITLE_CHARS = 1000
BUSY_TIMEOUT_SECONDS = 5.0
DAY_SECONDS = 86400.0
# Longest event ever written: lets events() bound its index range on ``start``
# (an event overlapping [a, b) starts in [a - longest, b)) without a second index.
_LONGEST_EVENT_KEY = "events.longest_seconds"
_CLASSIFICATIONS = {c.value: c for c in Classification}


class StoreError(Exception):
    """The database cannot be used by this version of FocusGuard."""


@dataclass(frozen=True, slots=True)
class Event:
    """A coalesced run of identical samples, covering [start, end)."""

    id: int
    start: float
    end: float
    app: str
    title: str
    exe: str
    activity: str | None
    classification: Classification

    @property
    def seconds(self) -> float:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class NudgeRecord:
    """A stored nudge and how it was answered (``answer`` None = not answered yet).

    ``distraction_seconds`` comes last, with a default, so the contract's
    positional order stays valid."""

    id: int
    at: float
    activity: str | None
    classification: Classification
    streak_seconds: float
    level: int
    app: str
    title: str
    answer: Answer | None
    answered_at: float | None
    distraction_seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class Journal:
    """The end-of-day review for one local day."""

    day: date
    done: str = ""
    todo: str = ""
    change: str = ""
    tomorrow_activity: str = ""
    tomorrow_next_step: str = ""


def data_dir() -> Path:
    """Where FocusGuard keeps its database (XDG_DATA_HOME honoured on Linux)."""
    return Path(platformdirs.user_data_dir("focusguard"))


def default_db_path() -> Path:
    return data_dir() / "focusguard.db"


def clean_text(text: str, limit: int | None = None) -> str:
    """Drop control characters (NUL included) and lone surrogates, which SQLite
    cannot store and no label can show; whitespace controls become a space so
    words stay apart. Everything else -- emoji, RTL, CJK, combining marks --
    is kept as is. ``limit`` cuts the result to that many characters."""
    if not text.isprintable():
        text = "".join(_clean_char(ch) for ch in text)
    return text if limit is None else text[:limit]


def _clean_char(ch: str) -> str:
    category = unicodedata.category(ch)
    if category == "Cc":
        return " " if ch.isspace() else ""
    return "" if category == "Cs" else ch


# --- schema -----------------------------------------------------------------

MIGRATIONS = Migrations("focusguard")


@MIGRATIONS(name="001_initial")
def _initial(db: sqlite_utils.Database) -> None:
    """Schema version 1: the activity log, declarations, nudges and meta."""
    db["events"].create(
        {
            "id": int,
            "start": float,
            "end": float,
            "app": str,
            "title": str,
            "exe": str,
            "activity": str,
            "classification": str,
        },
        pk="id",
        not_null={"start", "end", "app", "title", "exe", "classification"},
    )
    db["events"].create_index(["start", "end"])
    db["declarations"].create(
        {"id": int, "at": float, "activity": str, "next_step": str},
        pk="id",
        not_null={"at", "activity", "next_step"},
    )
    db["declarations"].create_index(["at"])
    db["nudges"].create(
        {
            "id": int,
            "at": float,
            "activity": str,
            "classification": str,
            "streak_seconds": float,
            "distraction_seconds": float,
            "level": int,
            "app": str,
            "title": str,
        },
        pk="id",
        not_null={"at", "classification", "streak_seconds", "distraction_seconds", "level"},
    )
    db["nudges"].create_index(["at"])
    db["meta"].create({"key": str, "value": str}, pk="key", not_null={"value"})


@MIGRATIONS(name="002_answers_and_journal")
def _answers_and_journal(db: sqlite_utils.Database) -> None:
    """Schema version 2: how each nudge was answered, and the end-of-day journal."""
    db["nudges"].add_column("answer", str)
    db["nudges"].add_column("answered_at", float)
    db["journal"].create(
        {
            "day": str,
            "done": str,
            "todo": str,
            "change": str,
            "tomorrow_activity": str,
            "tomorrow_next_step": str,
            "saved_at": float,
        },
        pk="day",
        not_null={"done", "todo", "change", "tomorrow_activity", "tomorrow_next_step", "saved_at"},
    )


@MIGRATIONS(name="003_import_keys")
def _import_keys(db: sqlite_utils.Database) -> None:
    """Schema version 3: events imported from another tracker carry the key of their
    origin, unique, so importing the same file twice adds nothing. Recorded events
    have none (NULLs never collide in a unique index)."""
    db["events"].add_column("import_key", str)
    db["events"].create_index(["import_key"], unique=True)


# Migrations has no public list of its members; on an empty database every one is pending.
_KNOWN_MIGRATIONS = frozenset(
    m.name for m in MIGRATIONS.pending(sqlite_utils.Database(memory=True, execute_plugins=False))
)
SCHEMA_VERSION = len(_KNOWN_MIGRATIONS)


def _migrate(db: sqlite_utils.Database) -> int:
    """Apply pending migrations under one write lock and return the schema version.

    Checking first keeps a current database's open read-only (the CLI); the
    IMMEDIATE transaction makes two processes opening an old file at once
    apply each migration exactly once."""
    unknown = sorted({m.name for m in MIGRATIONS.applied(db)} - _KNOWN_MIGRATIONS)
    if unknown:
        raise StoreError(
            f"the database was written by a newer FocusGuard (migrations {', '.join(unknown)}); "
            "upgrade FocusGuard to open it"
        )
    if MIGRATIONS.pending(db):
        db.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS.apply(db)
        except BaseException:
            db.rollback()
            raise
        db.commit()
    return len(MIGRATIONS.applied(db))


def _create_private_file(path: Path) -> None:
    """Create the directory 0700 (if we create it) and the file 0600 before
    SQLite opens it, so the titles are never readable by others, not even
    for an instant. An existing directory is left alone (it may be shared);
    existing database files are tightened to 0600."""
    parent = path.parent
    if not parent.exists():
        parent.mkdir(mode=0o700, parents=True)
        os.chmod(parent, 0o700)  # mkdir's mode is filtered by the umask
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if file.exists():
            os.chmod(file, 0o600)


# --- the store ----------------------------------------------------------------

_Key = tuple[str, str, str, str | None, Classification]


@dataclass(slots=True)
class _OpenEvent:
    """The event being extended, or a closed one not written yet.
    ``id`` is None until the row is inserted; ``dirty`` = disk is behind."""

    id: int | None
    start: float
    end: float
    key: _Key
    dirty: bool = True


def _key(c: Classified) -> _Key:
    s = c.sample
    return (clean_text(s.app), clean_text(s.title, MAX_TITLE_CHARS), clean_text(s.exe), c.activity, c.classification)


_EVENT_COLUMNS = 'id, start, "end", app, title, exe, activity, classification'
_NUDGE_COLUMNS = (
    "id, at, activity, classification, streak_seconds, level, app, title, answer, answered_at, distraction_seconds"
)


class Store:
    """The database of one user. See the module docstring for the guarantees."""

    def __init__(self, path: Path, *, max_gap: float = 4.0, flush_every: float = 10.0) -> None:
        self.path = Path(path)
        self.max_gap = max_gap
        self.flush_every = flush_every
        _create_private_file(self.path)
        # No sqlite-utils plugins: third-party code has no business in this private file.
        self.db = sqlite_utils.Database(
            sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS), execute_plugins=False
        )
        try:
            self.db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
            self.db.enable_wal()
            self.db.execute("PRAGMA synchronous = NORMAL")
            self.db.execute("PRAGMA secure_delete = ON")  # deleted titles are overwritten, not left in free pages
            self.schema_version = _migrate(self.db)
        except sqlite3.DatabaseError as exc:
            self.db.close()
            # Never "repair" by recreating: the file may be the user's only history.
            raise StoreError(
                f"{self.path} cannot be opened as FocusGuard's database ({exc}). It is left "
                "untouched: move it aside to start a new one, or restore it from a backup"
            ) from exc
        except BaseException:
            self.db.close()
            raise
        self._open: _OpenEvent | None = None
        self._closed: list[_OpenEvent] = []
        self._resumed = False
        self._flushed_at: float | None = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the activity log ---

    def record(self, c: Classified) -> None:
        """Coalesce one classified sample into the log (see the module docstring).

        A sample older than the open event's end (the clock went back) is
        treated like a gap: the open event keeps its end and a new one starts."""
        t = c.sample.at
        key = _key(c)
        if not self._resumed:
            self._open = self._last_event()
            self._resumed = True
        current = self._open
        if current is not None and current.end <= t <= current.end + self.max_gap:
            current.end = t
            current.dirty = True
            if current.key != key:
                self._closed.append(current)
                self._open = _OpenEvent(None, t, t, key)
        else:
            if current is not None and current.dirty:
                self._closed.append(current)
            self._open = _OpenEvent(None, t, t, key)
        if self._flushed_at is None or t - self._flushed_at >= self.flush_every:
            self.flush()
            self._flushed_at = t

    def _last_event(self) -> _OpenEvent | None:
        """The newest recorded event, so that a restart within max_gap continues
        (or closes at the right time) the event the previous run left open.
        Imported history is never continued: it is someone else's record."""
        row = self.db.execute(
            f"SELECT {_EVENT_COLUMNS} FROM events WHERE import_key IS NULL ORDER BY start DESC, id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        event = _event(row)
        key = (event.app, event.title, event.exe, event.activity, event.classification)
        return _OpenEvent(event.id, event.start, event.end, key, dirty=False)

    def flush(self) -> None:
        """Write the closed events and the open one, in one transaction."""
        pending = [e for e in self._closed if e.dirty]
        if self._open is not None and self._open.dirty:
            pending.append(self._open)
        if not pending:
            return
        longest = max(e.end - e.start for e in pending)
        with self.db.atomic():
            for e in pending:
                if e.id is None:
                    e.id = self.db.execute(
                        'INSERT INTO events (start, "end", app, title, exe, activity, classification) '
                        "VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (e.start, e.end, *e.key),
                    ).lastrowid
                else:
                    self.db.execute('UPDATE events SET "end" = ? WHERE id = ?', (e.end, e.id))
                e.dirty = False
            self._note_longest(longest)
        self._closed.clear()

    def _note_longest(self, seconds: float) -> None:
        """Raise the longest-event mark (never lower it) inside the caller's transaction."""
        self.db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value "
            "WHERE CAST(meta.value AS REAL) < CAST(excluded.value AS REAL)",
            (_LONGEST_EVENT_KEY, repr(seconds)),
        )

    # --- imported history ---

    def import_events(self, events: Sequence[ImportedEvent]) -> tuple[int, int]:
        """Store history imported from another tracker, all or nothing; return
        (added, extended). An event whose key is already stored is not added again;
        if the new copy ends later (a newer export of a still-growing event) the
        stored one is extended instead. Recorded events are never touched."""
        self.flush()
        added = extended = 0
        with self.db.atomic():
            for e in events:
                c = e.classified
                inserted = self.db.execute(
                    'INSERT INTO events (start, "end", app, title, exe, activity, classification, import_key) '
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (import_key) DO NOTHING",
                    (e.start, e.end, *_key(c), e.key),
                ).rowcount
                if inserted:
                    added += 1
                else:
                    extended += self.db.execute(
                        'UPDATE events SET "end" = ? WHERE import_key = ? AND "end" < ?', (e.end, e.key, e.end)
                    ).rowcount
            if events:
                self._note_longest(max(e.end - e.start for e in events))
        return added, extended

    def has_history(self) -> bool:
        """Anything recorded, imported or declared yet (a first run has none)."""
        self.flush()
        row = self.db.execute("SELECT EXISTS (SELECT 1 FROM events) OR EXISTS (SELECT 1 FROM declarations)").fetchone()
        return bool(row[0])

    def recorded_spans(self, start: float, end: float) -> list[Span]:
        """The time FocusGuard recorded itself within [start, end) (imported events
        left out), so an import can leave that time alone."""
        self.flush()
        rows = self.db.execute(
            'SELECT start, "end" FROM events WHERE import_key IS NULL AND start >= ? AND start < ? AND "end" > ? '
            "ORDER BY start",
            (start - self._longest_event(), end, start),
        )
        return [Span(max(a, start), min(b, end)) for a, b in rows]

    def events(self, start: float, end: float) -> list[Event]:
        """Events overlapping [start, end), by start time (the open one included)."""
        self.flush()
        rows = self.db.execute(
            f'SELECT {_EVENT_COLUMNS} FROM events WHERE start >= ? AND start < ? AND "end" > ? ORDER BY start, id',
            (start - self._longest_event(), end, start),
        )
        return [_event(row) for row in rows]

    def _longest_event(self) -> float:
        """Read fresh each time: another process (the app) may have written a longer one."""
        return float(self.get_meta(_LONGEST_EVENT_KEY) or 0.0)

    def windows_seen(self, since: float) -> list[tuple[str, str, str, float]]:
        """Distinct (app, title, exe, seconds since ``since``), most time first,
        for the rule editor's preview. Private samples are blank and left out."""
        self.flush()
        rows = self.db.execute(
            'SELECT app, title, exe, SUM("end" - MAX(start, ?)) AS seconds FROM events '
            'WHERE start >= ? AND "end" > ? AND classification != ? '
            "GROUP BY app, title, exe ORDER BY seconds DESC, app, title, exe",
            (since, since - self._longest_event(), since, Classification.PRIVATE.value),
        )
        return [tuple(row) for row in rows]

    # --- declarations ---

    def declare(self, d: Declaration) -> None:
        self.db.execute(
            "INSERT INTO declarations (at, activity, next_step) VALUES (?, ?, ?)",
            (d.at, d.activity, d.next_step),
        )

    def declarations(self, start: float | None = None, end: float | None = None) -> list[Declaration]:
        """Declarations with ``at`` in [start, end), oldest first."""
        lo = float("-inf") if start is None else start
        hi = float("inf") if end is None else end
        rows = self.db.execute(
            "SELECT at, activity, next_step FROM declarations WHERE at >= ? AND at < ? ORDER BY at, id", (lo, hi)
        )
        return [Declaration(*row) for row in rows]

    def declaration_on(self, day: date, tz: tzinfo | None = None) -> Declaration | None:
        """The latest declaration of that local day: a re-declaration replaces
        the morning's, and yesterday's does not carry over."""
        start, end = day_bounds(day, tz)
        found = self.declarations(start, end)
        return found[-1] if found else None

    # --- nudges ---

    def add_nudge(self, n: Nudge) -> int:
        return self.db.execute(
            "INSERT INTO nudges (at, activity, classification, streak_seconds, distraction_seconds, level, app, title) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                n.at,
                n.activity,
                n.classification.value,
                n.streak_seconds,
                n.distraction_seconds,
                n.level,
                clean_text(n.app),
                clean_text(n.title, MAX_TITLE_CHARS),
            ),
        ).lastrowid

    def answer_nudge(self, nudge_id: int, answer: Answer, at: float) -> None:
        cursor = self.db.execute(
            "UPDATE nudges SET answer = ?, answered_at = ? WHERE id = ?", (answer.value, at, nudge_id)
        )
        if cursor.rowcount == 0:
            raise KeyError(f"no nudge with id {nudge_id}")

    def nudges(self, start: float, end: float) -> list[NudgeRecord]:
        """Nudges with ``at`` in [start, end), oldest first."""
        rows = self.db.execute(
            f"SELECT {_NUDGE_COLUMNS} FROM nudges WHERE at >= ? AND at < ? ORDER BY at, id", (start, end)
        )
        return [
            NudgeRecord(
                row[0],
                row[1],
                row[2],
                _CLASSIFICATIONS[row[3]],
                row[4],
                row[5],
                row[6] or "",
                row[7] or "",
                None if row[8] is None else Answer(row[8]),
                row[9],
                row[10],
            )
            for row in rows
        ]

    # --- journal and meta ---

    def journal(self, day: date) -> Journal | None:
        row = self.db.execute(
            'SELECT done, todo, "change", tomorrow_activity, tomorrow_next_step FROM journal WHERE day = ?',
            (day.isoformat(),),
        ).fetchone()
        return None if row is None else Journal(day, *row)

    def save_journal(self, j: Journal, *, at: float | None = None) -> None:
        """Insert or replace the day's journal; ``at`` (default now) is saved_at."""
        self.db.execute(
            'INSERT OR REPLACE INTO journal (day, done, todo, "change", tomorrow_activity, tomorrow_next_step, '
            "saved_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                j.day.isoformat(),
                j.done,
                j.todo,
                j.change,
                j.tomorrow_activity,
                j.tomorrow_next_step,
                time.time() if at is None else at,
            ),
        )

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    # --- retention ---

    def prune(self, keep_days: int, now: float) -> int:
        """Delete events, nudges and declarations that ended more than
        ``keep_days`` days before ``now``; return how many rows went.
        The journal is the user's own writing and is kept."""
        self.flush()
        cutoff = now - keep_days * DAY_SECONDS
        with self.db.atomic():
            deleted = self.db.execute('DELETE FROM events WHERE start < ? AND "end" < ?', (cutoff, cutoff)).rowcount
            deleted += self.db.execute("DELETE FROM nudges WHERE at < ?", (cutoff,)).rowcount
            deleted += self.db.execute("DELETE FROM declarations WHERE at < ?", (cutoff,)).rowcount
        if self._open is not None and self._open.end < cutoff:
            self._open = None
        return deleted

    def delete_all(self) -> None:
        """Forget everything recorded or written (meta, the app's own state, stays),
        including the open event, and checkpoint so no copy is left in the WAL."""
        self._open = None
        self._closed.clear()
        with self.db.atomic():
            for table in ("events", "declarations", "nudges", "journal"):
                self.db.execute(f"DELETE FROM {table}")
            self.db.execute("DELETE FROM meta WHERE key = ?", (_LONGEST_EVENT_KEY,))
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        self.flush()
        self.db.close()


def _event(row: tuple) -> Event:
    return Event(row[0], row[1], row[2], row[3], row[4], row[5], row[6], _CLASSIFICATIONS[row[7]])



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

import functools
import os
import sqlite3
import stat
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, tzinfo
from pathlib import Path

import platformdirs
import sqlite_utils
from sqlite_utils.migrations import Migrations

from focusguard.core import files
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
    apply each migration exactly once. ``user_version`` records the schema
    version, so a newer file is recognised even by a tool that knows no
    migrations."""
    if MIGRATIONS.pending(db):
        db.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS.apply(db)
            db.execute(f"PRAGMA user_version = {len(MIGRATIONS.applied(db))}")
        except BaseException:
            db.rollback()
            raise
        db.commit()
    return len(MIGRATIONS.applied(db))


# --- opening: nothing is written before the file is known to be ours and usable ---------

_SQLITE_HEADER = b"SQLite format 3\x00"
_MOVE_ASIDE = "move it aside to start a new one, or restore it from a backup"


def _described(path: Path) -> str:
    """"owned by root, mode 0444": what a permission message needs to be acted on."""
    st = path.stat()
    return f"owned by {files.owner_name(st.st_uid)}, mode {stat.S_IMODE(st.st_mode):04o}"


def _cannot_write(path: Path, what: str) -> StoreError:
    """Permissions, never the data: the advice gives the file back, never discards it."""
    me = files.owner_name(os.getuid()) if os.name == "posix" else "your user"
    fix = f"chmod u+rwx {path}" if path.is_dir() else f"chmod 600 {path}"
    return StoreError(
        f"FocusGuard cannot {what} {path} ({_described(path)}). Nothing was changed and the history "
        f"in it is intact: give it back to your user (sudo chown {me} {path}; {fix}), then start again"
    )


def _sqlite_problem(path: Path, exc: sqlite3.Error) -> StoreError:
    """One message per cause SQLite reports; only a damaged file is worth moving aside."""
    name = getattr(exc, "sqlite_errorname", "")
    if name == "SQLITE_FULL":
        return StoreError(
            f"the disk holding {path} is full ({exc}). The database is intact: free some space, "
            "then start FocusGuard again"
        )
    if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")):
        folder = path.parent
        if path.exists() and not os.access(path, os.W_OK):
            return _cannot_write(path, "write to its database")
        return _cannot_write(folder, "write in the folder of its database,")
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return StoreError(
            f"another program holds a lock on {path} ({exc}): close it (an open sqlite3 shell, a "
            "backup tool), then start again. The database is intact"
        )
    if name.startswith("SQLITE_IOERR"):
        return StoreError(f"the disk could not read or write {path} ({exc}): check the disk; the file is left as it is")
    return StoreError(
        f"{path} cannot be opened as FocusGuard's database ({exc}). It is left untouched: {_MOVE_ASIDE}"
    )


@functools.lru_cache(maxsize=8)
def _expected_columns(applied: frozenset[str]) -> dict[str, set[str]]:
    """Every table's columns after the migrations named ``applied`` (a prefix of the list)."""
    db = sqlite_utils.Database(memory=True, execute_plugins=False)
    pending = [m.name for m in MIGRATIONS.pending(db) if m.name not in applied]
    MIGRATIONS.apply(db, stop_before=pending[:1] or None)
    return {t.name: set(t.columns_dict) for t in db.tables if t.name != Migrations.migrations_table}


def _inspect(path: Path) -> None:
    """Refuses (StoreError) an existing file that is not a FocusGuard database this
    version can use: not SQLite, another program's SQLite file, a newer schema, or
    tables changed by hand. Read-only: the file's bytes, mode and time stay as they are."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(_SQLITE_HEADER))
    except PermissionError:
        raise _cannot_write(path, "read its database") from None
    if not header:
        return  # empty: a new database
    if header != _SQLITE_HEADER:
        raise StoreError(
            f"{path} is not an SQLite database, so it is not FocusGuard's. It is left untouched: "
            "if it is yours, move it elsewhere (FocusGuard then starts a new database), or choose "
            "another file with --db"
        )
    try:
        probe = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_SECONDS)
    except sqlite3.Error as exc:
        raise _sqlite_problem(path, exc) from exc
    try:
        db = sqlite_utils.Database(probe, execute_plugins=False)
        tables = set(db.table_names())
        version = db.execute("PRAGMA user_version").fetchone()[0]
        applied = {m.name for m in MIGRATIONS.applied(db)}
        columns = {name: set(db[name].columns_dict) for name in tables}
    except sqlite3.Error as exc:
        raise _sqlite_problem(path, exc) from exc
    finally:
        probe.close()
    if tables and not applied:
        shown = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
        raise StoreError(
            f"{path} is the SQLite database of another program (tables {shown}), not FocusGuard's. "
            "It is left untouched: choose another file with --db, or move it elsewhere"
        )
    unknown = sorted(applied - _KNOWN_MIGRATIONS)
    if unknown or version > SCHEMA_VERSION:
        found = f"migrations {', '.join(unknown)}" if unknown else f"schema version {version}"
        raise StoreError(
            f"{path} was written by a newer FocusGuard ({found}; this one reads up to "
            f"{SCHEMA_VERSION}). It is left untouched: upgrade FocusGuard to open it"
        )
    for table, expected in _expected_columns(frozenset(applied)).items():
        missing = sorted(expected - columns.get(table, set()))
        if missing:
            has = f"it has {', '.join(sorted(columns[table]))}" if table in columns else "the table is missing"
            raise StoreError(
                f"{path} was changed outside FocusGuard: the table {table} lacks {', '.join(missing)} "
                f"({has}). It is left untouched: undo the change, or restore it from a backup"
            )


def _open_checked(path: Path) -> Path:
    """The real path of the database, made 0600 (with its folder 0700 if made here)
    after every check passed: no link of someone else's (see ``files.checked_target``),
    a file FocusGuard can write that is its own (``_inspect``), companions that are
    the user's. Raises StoreError saying what to do."""
    try:
        target = files.checked_target(path)
        for companion in (target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")):
            files.require_own(companion)
        if target.exists():
            _inspect(target)
            if not os.access(target, os.R_OK | os.W_OK):
                raise _cannot_write(target, "write to its database")
        folder = target.parent
        if folder.is_dir() and not os.access(folder, os.W_OK | os.X_OK):
            raise _cannot_write(folder, "write in the folder of its database,")
        files.create_private_file(target)
        for companion in (target.with_name(target.name + "-wal"), target.with_name(target.name + "-shm")):
            if companion.exists():
                os.chmod(companion, files.PRIVATE_FILE_MODE)
    except files.UnsafePathError as exc:
        raise StoreError(str(exc)) from None
    except OSError as exc:
        raise StoreError(
            f"FocusGuard cannot open its database {path}: {exc.strerror or exc} "
            f"({exc.filename or path}). Nothing was changed"
        ) from None
    return target


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
        real_path = _open_checked(self.path)
        # No sqlite-utils plugins: third-party code has no business in this private file.
        try:
            connection = sqlite3.connect(real_path, timeout=BUSY_TIMEOUT_SECONDS)
        except sqlite3.Error as exc:
            raise _sqlite_problem(self.path, exc) from exc
        self.db = sqlite_utils.Database(connection, execute_plugins=False)
        try:
            self.db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
            self.db.enable_wal()
            self.db.execute("PRAGMA synchronous = NORMAL")
            self.db.execute("PRAGMA secure_delete = ON")  # deleted titles are overwritten, not left in free pages
            self.schema_version = _migrate(self.db)
        except sqlite3.Error as exc:
            self.db.close()
            # Never "repair" by recreating: the file may be the user's only history.
            raise _sqlite_problem(self.path, exc) from exc
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



"""The local database: what was on screen, what was declared, how nudges were answered.

One SQLite file in the user's data directory. Window titles are private, so the
file (and SQLite's -wal/-shm companions, which SQLite creates with the main file's
mode) is 0600 and a directory we create is 0700. WAL mode lets the CLI read while
the app writes, and ``synchronous=NORMAL`` under WAL never corrupts the file on a
crash -- it can only lose the last commits on power loss, which is fine for a log.

Samples arrive every couple of seconds but the window rarely changes, so the store
coalesces them into events as ``focusguard.core.heartbeat.merge`` decides: a run of
identical samples extends one open event, contiguous events leave no hole, a gap
longer than ``max_gap`` counts for nothing, and no two events ever overlap (a
restart starts after the last recorded event; a clock set back or forward, seen
as wall time moving unlike ``monotonic`` time, closes the open event).
The open event lives in memory and reaches the disk as ``FlushPolicy`` says: on
every change, and so that a ``kill -9`` loses at most ``flush_every`` seconds.

The schema is versioned with sqlite-utils' migrations (``focusguard.sqlitedb``): an
older database is upgraded in place on open and opening a current one changes
nothing, nor imports sqlite-utils.

A ``Store`` (its sqlite3 connection) belongs to the thread that opened it; another
thread or process opens its own ``Store`` on the same path. Every write is a job
for a writer (``focusguard.store_writer``): inline for the CLI, which waits for a
lock and says so; on a thread of its own for the app (``background=True``), so
its GUI thread never waits for the disk. Until a write commits, what it wrote is
kept in memory and the readers here return it too, so a locked database or a
full disk loses nothing and holds nobody up (WAL readers do not wait for writers).
"""

from __future__ import annotations

import functools
import json
import logging
import os
import shutil
import sqlite3
import stat
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from focusguard.core import files, heartbeat
from focusguard.core.heartbeat import DROP, EXTEND, SPLIT
from focusguard.core.model import (
    Answer,
    Classification,
    Classified,
    Declaration,
    Event,
    ImportedEvent,
    Journal,
    Nudge,
    NudgeRecord,
    Span,
)
from focusguard.core.timefmt import day_bounds
from focusguard.sqlitedb import Database, MigrationSet
from focusguard.store_writer import MIN_FLUSH_SPACING, WRITER_BUSY_SECONDS, InlineWriter, StoreError, ThreadWriter
from focusguard.store_writer import T as T

if TYPE_CHECKING:
    import sqlite_utils  # the migrations' table API; imported only to apply them

log = logging.getLogger(__name__)

MAX_TITLE_CHARS = 1000
BUSY_TIMEOUT_SECONDS = 5.0
DAY_SECONDS = 86400.0
# Longest event ever written: lets events() bound its index range on ``start``
# (an event overlapping [a, b) starts in [a - longest, b)) without a second index.
_LONGEST_EVENT_KEY = "events.longest_seconds"
_CLASSIFICATIONS = {c.value: c for c in Classification}


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

MIGRATIONS = MigrationSet("focusguard")


@MIGRATIONS(name="001_initial")
def _initial(db: sqlite_utils.Database) -> None:
    """Schema version 1: the activity log, declarations, nudges and meta."""
    db.table("events").create(
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
    db.table("events").create_index(["start", "end"])
    db.table("declarations").create(
        {"id": int, "at": float, "activity": str, "next_step": str},
        pk="id",
        not_null={"at", "activity", "next_step"},
    )
    db.table("declarations").create_index(["at"])
    db.table("nudges").create(
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
    db.table("nudges").create_index(["at"])
    db.table("meta").create({"key": str, "value": str}, pk="key", not_null={"value"})


@MIGRATIONS(name="002_answers_and_journal")
def _answers_and_journal(db: sqlite_utils.Database) -> None:
    """Schema version 2: how each nudge was answered, and the end-of-day journal."""
    db.table("nudges").add_column("answer", str)
    db.table("nudges").add_column("answered_at", float)
    db.table("journal").create(
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
    db.table("events").add_column("import_key", str)
    db.table("events").create_index(["import_key"], unique=True)


@MIGRATIONS(name="004_goals_and_delegations")
def _goals_and_delegations(db: sqlite_utils.Database) -> None:
    """Issue 14: goals with ordered steps, and "Delegate this" answers (store_plan.py)."""
    from focusguard.plan_schema import create_tables

    create_tables(db)


@MIGRATIONS(name="005_sync")
def _sync(db: sqlite_utils.Database) -> None:
    """Issue 16: other devices' history from the sync folder (store_sync.py)."""
    from focusguard.store_sync import create_tables

    create_tables(db)


@MIGRATIONS(name="006_blocks")
def _blocks(db: sqlite_utils.Database) -> None:
    """Issue 14: focus block occurrences' moves and verdicts, history kept (store_blocks.py)."""
    from focusguard.store_blocks import create_tables

    create_tables(db)


@MIGRATIONS(name="007_calls")
def _calls(db: sqlite_utils.Database) -> None:
    """Issue 15: calls (app, title, start, end, value/chill, note) and their follow-ups (calls_schema.py)."""
    from focusguard.calls_schema import create_tables

    create_tables(db)


@MIGRATIONS(name="008_sync_ids")
def _sync_ids(db: sqlite_utils.Database) -> None:
    """Issue 16: stable ids, change times and tombstones for the items that travel (store_sync_items.py)."""
    from focusguard.store_sync_items import create_tables

    create_tables(db)


@MIGRATIONS(name="009_day_cache")
def _day_cache(db: sqlite_utils.Database) -> None:
    """Issue 16: finished days' summaries, kept with a stamp of their inputs (day_cache.py)."""
    from focusguard.day_cache_schema import create_tables

    create_tables(db)


_KNOWN_MIGRATIONS = frozenset(MIGRATIONS.names)
SCHEMA_VERSION = len(_KNOWN_MIGRATIONS)


def _migrate(db: Database) -> int:
    """Apply pending migrations under one write lock and return the schema version.

    Checking first keeps a current database's open read-only (the CLI); the
    IMMEDIATE transaction makes two processes opening an old file at once
    apply each migration exactly once. ``user_version`` records the schema
    version, so a newer file is recognised even by a tool that knows no
    migrations."""
    if MIGRATIONS.pending(db) or _recorded_columns(db) is None:
        db.execute("BEGIN IMMEDIATE")
        try:
            if MIGRATIONS.pending(db):  # still, now that no other process can apply them
                MIGRATIONS.apply(db)
                db.execute(f"PRAGMA user_version = {len(MIGRATIONS.applied(db))}")
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                       (_COLUMNS_KEY, json.dumps({"migrations": MIGRATIONS.applied(db),
                                                  "columns": {t: sorted(c) for t, c in db.columns().items()}})))
        except BaseException:
            db.rollback()
            raise
        db.commit()
    return len(MIGRATIONS.applied(db))


#: meta's record of the columns the applied migrations made, so that opening a current
#: database checks its tables without importing sqlite-utils to derive them again.
_COLUMNS_KEY = "schema.columns"


def _recorded_columns(db: Database) -> dict[str, set[str]] | None:
    """The columns recorded when the migrations ``db`` has were applied (None: no
    record, or one from another set of migrations)."""
    if "meta" not in db.table_names():
        return None
    row = db.execute("SELECT value FROM meta WHERE key = ?", (_COLUMNS_KEY,)).fetchone()
    try:
        record = json.loads(row[0]) if row else None
        if record is None or record["migrations"] != MIGRATIONS.applied(db):
            return None
        return {str(table): {str(c) for c in columns} for table, columns in record["columns"].items()}
    except (ValueError, TypeError, KeyError, AttributeError):  # edited by hand: derive them again
        return None


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


def _nearly_full(folder: Path) -> bool:
    """Less free space than a few SQLite pages need: SQLite reports a full disk as an
    I/O error when its shared-memory file (-shm) cannot grow."""
    try:
        return shutil.disk_usage(folder).free < 1 << 20
    except OSError:
        return False


def _sqlite_problem(path: Path, exc: sqlite3.Error) -> StoreError:
    """One message per cause SQLite reports; only a damaged file is worth moving aside."""
    name = getattr(exc, "sqlite_errorname", "")
    if name == "SQLITE_FULL" or (name.startswith("SQLITE_IOERR") and _nearly_full(path.parent)):
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
    return MIGRATIONS.expected_columns(applied)


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
    # Without a -wal file (or with an empty one) the main file holds everything, and
    # "immutable" reads it without making -wal/-shm companions; with one, mode=ro reads
    # the committed writes in it too.
    wal = path.with_name(path.name + "-wal")
    mode = "ro" if wal.exists() and wal.stat().st_size else "ro&immutable=1"
    try:
        probe = sqlite3.connect(f"{path.as_uri()}?mode={mode}", uri=True, timeout=BUSY_TIMEOUT_SECONDS)
    except sqlite3.Error as exc:
        raise _sqlite_problem(path, exc) from exc
    try:
        db = Database(probe)
        tables = set(db.table_names())
        version = db.execute("PRAGMA user_version").fetchone()[0]
        applied = set(MIGRATIONS.applied(db))
        columns = db.columns()
        recorded = _recorded_columns(db)
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
    for table, expected in (recorded or _expected_columns(frozenset(applied))).items():
        missing = sorted(expected - columns.get(table, set()))
        if missing:
            has = f"it has {', '.join(sorted(columns[table]))}" if table in columns else "the table is missing"
            raise StoreError(
                f"{path} was changed outside FocusGuard: the table {table} lacks {', '.join(missing)} "
                f"({has}). It is left untouched: undo the change, or restore it from a backup"
            )


def _create_whole(target: Path) -> None:
    """A new database appears whole, never as an empty file without tables that
    another process (the CLI, a reader) could open meanwhile: it is made under a
    temporary name in the same folder (0600, folders 0700), migrated, closed, and
    then linked into place. If another process was first, its file is kept."""
    files.make_private_dirs(target.parent)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".new")
    os.close(fd)
    fresh = Path(name)
    try:
        db = Database(sqlite3.connect(fresh))
        try:
            db.enable_wal()
            _migrate(db)
        finally:
            db.close()  # the last connection: the WAL is folded in and removed
        try:
            os.link(fresh, target)
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links: the same, less atomic
            if not target.exists():
                os.rename(fresh, target)
    except sqlite3.Error as exc:
        raise _sqlite_problem(target, exc) from exc
    finally:
        for leftover in (fresh, fresh.with_name(fresh.name + "-wal"), fresh.with_name(fresh.name + "-shm")):
            leftover.unlink(missing_ok=True)


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
        if not target.exists():
            _create_whole(target)
        files.create_private_file(target)  # an existing one of ours: tightened to 0600
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

#: Wall time may drift from monotonic time by this much between two samples
#: (scheduling, a slow classification) before it counts as the clock being set.
JUMP_TOLERANCE_SECONDS = 1.0
#: Closing waits this long for a locked or full database before giving up.
CLOSE_TIMEOUT_SECONDS = 5.0


@dataclass(slots=True, eq=False)
class _OpenEvent:
    """The event being extended, or a closed one not written yet. ``id`` is None
    until its insert has committed (a failed insert leaves none behind);
    ``version`` counts changes and ``written`` is the version on disk."""

    id: int | None
    start: float
    end: float
    key: _Key
    version: int = 1
    written: int = 0

    @property
    def dirty(self) -> bool:
        return self.written != self.version


@dataclass(slots=True)
class FlushPolicy:
    """When the event log goes to disk (README: batched writes). At every change of
    window, class or declaration, and often enough that the newest sample on disk
    is never more than ``every`` seconds old at a crash -- since a sample covers
    about one interval (``max_gap / 2``) more, that is written ``every - max_gap/2``
    after the last write -- but never twice within ``MIN_FLUSH_SPACING``. Times are
    sample times; ``every = 0`` writes every sample (tests, tools)."""

    last: float | None = None
    changed: bool = False

    def due(self, t: float, changed: bool, every: float, max_gap: float) -> bool:
        self.changed = self.changed or changed
        if self.last is None or t < self.last:
            return True
        elapsed = t - self.last
        if elapsed < min(MIN_FLUSH_SPACING, every):
            return False
        return self.changed or elapsed >= every - max_gap / 2

    def done(self, t: float) -> None:
        self.last, self.changed = t, False


def _key(c: Classified) -> _Key:
    s = c.sample
    return (clean_text(s.app), clean_text(s.title, MAX_TITLE_CHARS), clean_text(s.exe), c.activity, c.classification)


def _tune(db: Database, busy_seconds: float) -> None:
    """Per-connection settings every connection to the file gets."""
    db.execute(f"PRAGMA busy_timeout = {int(busy_seconds * 1000)}")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA secure_delete = ON")  # deleted titles are overwritten, not left in free pages


def _settle(pending: dict, key: object, value: object) -> None:
    """Forget a pending write that has committed, unless a newer one replaced it."""
    if key in pending and pending[key] is value:
        del pending[key]


_EVENT_COLUMNS = 'id, start, "end", app, title, exe, activity, classification'
_NUDGE_COLUMNS = (
    "id, at, activity, classification, streak_seconds, level, app, title, answer, answered_at, distraction_seconds"
)


class Store:
    """The database of one user. See the module docstring for the guarantees."""

    def __init__(self, path: Path, *, max_gap: float = 4.0, flush_every: float = 10.0, background: bool = False,
                 monotonic: Callable[[], float] | None = None, on_wait: Callable[[str], None] | None = None) -> None:
        """``background``: writes go to a thread of their own (the app; see
        ``store_writer``). ``monotonic`` (the app: ``time.monotonic``) lets ``record``
        tell a clock being set from time passing. ``on_wait`` hears, once, that a
        write waits for a lock (the CLI prints it)."""
        self.path = Path(path)
        self._max_gap = max_gap
        self.flush_every = flush_every
        real_path = _open_checked(self.path)
        self._watched = (f"{real_path}-wal", str(real_path))  # where every commit lands
        try:
            connection = sqlite3.connect(real_path, timeout=BUSY_TIMEOUT_SECONDS)
        except sqlite3.Error as exc:
            raise _sqlite_problem(self.path, exc) from exc
        self.db = Database(connection)
        try:
            _tune(self.db, BUSY_TIMEOUT_SECONDS)
            self.db.enable_wal()
            self.schema_version = _migrate(self.db)
        except sqlite3.Error as exc:
            self.db.close()
            # Never "repair" by recreating: the file may be the user's only history.
            raise _sqlite_problem(self.path, exc) from exc
        except BaseException:
            self.db.close()
            raise
        self._lock = threading.Lock()  # the in-memory log, shared with the background writer
        self._monotonic = monotonic
        self._open: _OpenEvent | None = None
        self._closed: list[_OpenEvent] = []
        self._resumed = False
        self._floor = float("-inf")
        self._last_reading: tuple[float, float | None] | None = None
        self._policy = FlushPolicy()
        # Writes not committed yet, read back by the readers below (see ``store_writer``).
        self._pending_declarations: list[Declaration] = []
        self._pending_nudges: dict[int, NudgeRecord] = {}
        self._pending_journals: dict[date, Journal] = {}
        self._pending_meta: dict[str, str] = {}
        self._last_nudge_id: int | None = None
        self._declared: tuple[object, Declaration | None] | None = None  # declaration_on's last answer
        self._wiped = 0  # delete_all() calls not committed yet
        self._inline = InlineWriter(self.db, self.path, on_wait)
        self._writer: InlineWriter | ThreadWriter = (
            ThreadWriter(functools.partial(_writer_db, real_path), self.path)
            if background else self._inline
        )

    @property
    def max_gap(self) -> float:
        """The longest hole between two samples that still joins them into one event."""
        return self._max_gap

    def set_max_gap(self, seconds: float) -> None:
        """The sampling interval changed: samples from now on coalesce over ``seconds``."""
        self._max_gap = seconds

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the activity log ---

    def record(self, c: Classified, *, ago: float = 0.0) -> None:
        """Coalesce one classified sample, read ``ago`` seconds before now, into the log
        (see the module docstring) and ask for a write when the flush policy says so.
        Memory only otherwise."""
        t = c.sample.at
        mono = None if self._monotonic is None else self._monotonic() - ago
        key = _key(c)
        with self._lock:
            if not self._resumed:
                self._floor = self._last_recorded_end()
                self._resumed = True
            changed = self._coalesce(t, mono, key)
        if self._policy.due(t, changed, self.flush_every, self._max_gap):
            self._policy.done(t)
            self.flush()

    def _coalesce(self, t: float, mono: float | None, key: _Key) -> bool:
        """Apply ``heartbeat.merge``'s step for a sample at ``t``; True when an event
        closed or started."""
        current = self._open
        jumped = self._clock_jumped(t, mono)
        if current is None:
            outcome, self._floor = heartbeat.merge(None, None, t, key, max_gap=self._max_gap, floor=self._floor,
                                                   clock_set=jumped)
        else:
            outcome, self._floor = heartbeat.merge(current.end, current.key, t, key, max_gap=self._max_gap,
                                                   floor=self._floor, clock_set=jumped)
            if outcome is EXTEND or outcome is SPLIT:
                current.end = t
                current.version += 1
        if outcome is EXTEND:
            return False
        self._close_open()
        if outcome is DROP:
            return False
        self._open = _OpenEvent(None, t, t, key)
        return True

    def _clock_jumped(self, t: float, mono: float | None) -> bool:
        """Wall time moved unlike monotonic time since the last sample."""
        last, self._last_reading = self._last_reading, (t, mono)
        if last is None or mono is None or last[1] is None:
            return False
        return abs((t - last[0]) - (mono - last[1])) > JUMP_TOLERANCE_SECONDS

    def _close_open(self) -> None:
        if self._open is not None and self._open.dirty:
            self._closed.append(self._open)
        self._open = None

    def _last_recorded_end(self) -> float:
        """Where the previous run stopped recording: a restart starts after it, so
        a kill -9 or a quit never stretches that event over the downtime. Imported
        history is someone else's record and does not count."""
        row = self.db.execute(
            'SELECT "end" FROM events WHERE import_key IS NULL ORDER BY start DESC, id DESC LIMIT 1'
        ).fetchone()
        return float("-inf") if row is None else float(row[0])

    def flush(self) -> None:
        """Write the closed events and the open one: at once with the inline writer,
        soon (at most once a second) with the background one."""
        self._writer.flush_events(self._write_events)

    def _unwritten(self) -> list[_OpenEvent]:
        """Events the disk may be behind on (call with the lock held)."""
        return [*self._closed, *([self._open] if self._open is not None else [])]

    def _write_events(self, db: Database) -> None:
        """The event-log job: one transaction with a snapshot of the dirty events.
        Ids and written versions are noted only after the commit, so a failure
        (locked, disk full) leaves everything to be written again, as it was."""
        with self._lock:
            batch = [(e, e.version, e.id, e.start, e.end, e.key) for e in self._unwritten() if e.dirty]
        if not batch:
            return
        ids = []
        with db.atomic():
            for _, _, row_id, start, end, key in batch:
                if row_id is None:
                    row_id = db.execute(
                        'INSERT INTO events (start, "end", app, title, exe, activity, classification) '
                        "VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (start, end, *key),
                    ).lastrowid
                else:
                    db.execute('UPDATE events SET "end" = ? WHERE id = ?', (end, row_id))
                ids.append(row_id)
            _note_longest(db, max(end - start for _, _, _, start, end, _ in batch))
        with self._lock:
            for (e, version, *_), row_id in zip(batch, ids, strict=True):
                e.id = row_id
                e.written = max(e.written, version)
            self._closed = [e for e in self._closed if e.dirty]

    def notices(self) -> list[str]:
        """Write problems and recoveries to tell the user, each once (the background
        writer; the inline one raises instead)."""
        return self._writer.notices()

    # --- imported history ---

    def import_events(self, events: Sequence[ImportedEvent]) -> tuple[int, int]:
        """Store history imported from another tracker, all or nothing; return
        (added, extended). An event whose key is already stored is not added again;
        if the new copy ends later (a newer export of a still-growing event) the
        stored one is extended instead. Recorded events are never touched.
        Runs on the caller's connection (the CLI)."""
        self._inline.flush_events(self._write_events)

        def job(db: Database) -> tuple[int, int]:
            added = extended = 0
            with db.atomic():
                for e in events:
                    c = e.classified
                    inserted = db.execute(
                        'INSERT INTO events (start, "end", app, title, exe, activity, classification, import_key) '
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (import_key) DO NOTHING",
                        (e.start, e.end, *_key(c), e.key),
                    ).rowcount
                    if inserted:
                        added += 1
                    else:
                        extended += db.execute(
                            'UPDATE events SET "end" = ? WHERE import_key = ? AND "end" < ?', (e.end, e.key, e.end)
                        ).rowcount
                if events:
                    _note_longest(db, max(e.end - e.start for e in events))
            return added, extended

        return self._inline.submit(job)

    def write_now(self, job: Callable[[Database], T]) -> T:
        """A user's edit that is read back at once (goals, steps: ``store_plan``): run
        now on this connection, waiting for a lock as the CLI does, never queued."""
        return self._inline.submit(job)

    def write_soon(self, job: Callable[[Database], object]) -> None:
        """A write nothing depends on (a report's kept day, ``day_cache``): queued on
        the app's writer thread, never run on its GUI thread; on the CLI's connection
        at once, and left out when it cannot be written (a read-only file)."""
        if self._writer is not self._inline:
            self._writer.submit(job)
            return
        try:
            job(self.db)
        except sqlite3.Error as exc:
            log.info("left out a write nothing depends on (%s)", exc)

    def holds(self, start: float, end: float) -> bool:
        """Whether events or declarations held in memory, not written yet, reach into
        [start, end), or a deletion of everything: the file alone does not say all of
        that time yet."""
        with self._lock:
            return (self._wiped > 0 or any(e.start < end and e.end > start for e in self._unwritten())
                    or any(start <= d.at < end for d in self._pending_declarations))

    def _settle_log(self) -> None:
        """Before a query that aggregates in SQL: the inline writer writes what is
        pending; the background one never makes a reader wait (it lags at most
        one flush)."""
        if self._writer is self._inline:
            self.flush()

    def has_history(self) -> bool:
        """Anything recorded, imported or declared yet (a first run has none)."""
        with self._lock:
            if self._open is not None or self._pending_declarations:
                return True
        row = self.db.execute("SELECT EXISTS (SELECT 1 FROM events) OR EXISTS (SELECT 1 FROM declarations)").fetchone()
        return bool(row[0])

    def recorded_spans(self, start: float, end: float) -> list[Span]:
        """The time FocusGuard recorded itself within [start, end) (imported events
        left out), so an import can leave that time alone."""
        self._settle_log()
        rows = self.db.execute(
            'SELECT start, "end" FROM events WHERE import_key IS NULL AND start >= ? AND start < ? AND "end" > ? '
            "ORDER BY start",
            (start - self.longest_event(), end, start),
        )
        return [Span(max(a, start), min(b, end)) for a, b in rows]

    def events(self, start: float, end: float) -> list[Event]:
        """Events overlapping [start, end), by start time, those still in memory
        included (an event not written yet has id 0). Never writes, so a locked
        database does not hold up a reader."""
        with self._lock:
            held = [(e, e.start, e.end, e.key) for e in self._unwritten()]
            wiped = self._wiped
        found = [] if wiped else [_event(row) for row in self.db.execute(
            f'SELECT {_EVENT_COLUMNS} FROM events WHERE start >= ? AND start < ? AND "end" > ? ORDER BY start, id',
            (start - self.longest_event(), end, start),
        )]
        with self._lock:  # the memory's copy wins, also of inserts that committed while the rows were read
            newer = {e.id for e, *_ in held if e.id is not None}
        if newer:
            found = [e for e in found if e.id not in newer]
        in_memory = [Event(e.id or 0, a, b, *key) for e, a, b, key in held if a < end and b > start]
        if in_memory:
            found = sorted(found + in_memory, key=lambda e: (e.start, e.id == 0, e.id))
        return found

    def longest_event(self) -> float:
        """The longest event's length, how far before a range an event reaching it can
        start. Read fresh each time: another process (the app) may have written a longer one."""
        return float(self.get_meta(_LONGEST_EVENT_KEY) or 0.0)

    def windows_seen(self, since: float) -> list[tuple[str, str, str, float]]:
        """Distinct (app, title, exe, seconds since ``since``), most time first,
        for the rule editor's preview. Private samples are blank and left out."""
        self._settle_log()
        rows = self.db.execute(
            'SELECT app, title, exe, SUM("end" - MAX(start, ?)) AS seconds FROM events '
            'WHERE start >= ? AND "end" > ? AND classification != ? '
            "GROUP BY app, title, exe ORDER BY seconds DESC, app, title, exe",
            (since, since - self.longest_event(), since, Classification.PRIVATE.value),
        )
        return [tuple(row) for row in rows]

    # --- declarations ---

    def declare(self, d: Declaration) -> None:
        """Kept in memory (and read back) until written; a change of priority is a
        change the event log writes at once too."""
        with self._lock:
            self._pending_declarations.append(d)
        self._policy.changed = True

        def job(db: Database) -> None:
            with db.atomic():
                db.execute("INSERT INTO declarations (at, activity, next_step) VALUES (?, ?, ?)",
                           (d.at, d.activity, d.next_step))
            with self._lock:
                self._pending_declarations.remove(d)

        self._writer.submit(job)

    def declarations(self, start: float | None = None, end: float | None = None) -> list[Declaration]:
        """Declarations with ``at`` in [start, end), oldest first."""
        lo = float("-inf") if start is None else start
        hi = float("inf") if end is None else end
        with self._lock:
            held = list(self._pending_declarations)
            wiped = self._wiped
        rows = [] if wiped else self.db.execute(
            "SELECT at, activity, next_step FROM declarations WHERE at >= ? AND at < ? ORDER BY at, id", (lo, hi)
        )
        found = [Declaration(*row) for row in rows]
        found += [d for d in held if lo <= d.at < hi and d not in found]
        return sorted(found, key=lambda d: d.at)

    def declaration_on(self, day: date, tz: tzinfo | None = None) -> Declaration | None:
        """The latest declaration of that local day: a re-declaration replaces
        the morning's, and yesterday's does not carry over. The app asks on every
        sample (the CLI may have declared meanwhile): the answer is kept until the
        file or the writes held in memory change."""
        with self._lock:
            key = (day, tz, self.file_version(), tuple(self._pending_declarations), self._wiped)
        if self._declared is not None and self._declared[0] == key:
            return self._declared[1]
        start, end = day_bounds(day, tz)
        found = self.declarations(start, end)
        self._declared = key, found[-1] if found else None
        return self._declared[1]

    def file_version(self) -> tuple[object, ...]:
        """Changes with every commit to the file, by any connection: what rows read from
        it and kept are keyed on. The app asks on every sample (a declaration or a step
        the CLI wrote meanwhile), so no query: a stat of the write-ahead log, where each
        commit lands (the log grows, or is rewritten from its start after a checkpoint
        and takes a new time), or of the file where there is no log; and this
        connection's ``total_changes``. ``PRAGMA data_version`` was exact but cost most
        of a sample's time on the GUI thread (issue 10)."""
        for name in self._watched:
            try:
                found = os.stat(name)
            except OSError:
                continue
            return self.db.conn.total_changes, name, found.st_ino, found.st_size, found.st_mtime_ns
        return (self.db.conn.total_changes,)

    # --- nudges ---

    def add_nudge(self, n: Nudge) -> int:
        """Returns the nudge's id at once, before it is written: the app is the only
        writer of nudges, so it numbers them itself."""
        with self._lock:
            if self._last_nudge_id is None:
                self._last_nudge_id = self.db.execute("SELECT COALESCE(MAX(id), 0) FROM nudges").fetchone()[0]
            self._last_nudge_id += 1
            record = NudgeRecord(self._last_nudge_id, n.at, n.activity, n.classification, n.streak_seconds,
                                 n.level, clean_text(n.app), clean_text(n.title, MAX_TITLE_CHARS), None, None,
                                 n.distraction_seconds)
            self._pending_nudges[record.id] = record

        def job(db: Database) -> None:
            with db.atomic():
                db.execute(
                    "INSERT INTO nudges (id, at, activity, classification, streak_seconds, distraction_seconds, "
                    "level, app, title) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (record.id, record.at, record.activity, record.classification.value, record.streak_seconds,
                     record.distraction_seconds, record.level, record.app, record.title),
                )
            with self._lock:
                _settle(self._pending_nudges, record.id, record)

        self._writer.submit(job)
        return record.id

    def answer_nudge(self, nudge_id: int, answer: Answer, at: float) -> None:
        with self._lock:
            held = self._pending_nudges.get(nudge_id)
            if held is not None:
                held = self._pending_nudges[nudge_id] = replace(held, answer=answer, answered_at=at)
        if held is None and self.db.execute("SELECT 1 FROM nudges WHERE id = ?", (nudge_id,)).fetchone() is None:
            raise KeyError(f"no nudge with id {nudge_id}")

        def job(db: Database) -> None:
            with db.atomic():
                db.execute("UPDATE nudges SET answer = ?, answered_at = ? WHERE id = ?", (answer.value, at, nudge_id))
            with self._lock:
                _settle(self._pending_nudges, nudge_id, held)

        self._writer.submit(job)

    def nudges(self, start: float, end: float) -> list[NudgeRecord]:
        """Nudges with ``at`` in [start, end), oldest first."""
        with self._lock:
            held = dict(self._pending_nudges)
            wiped = self._wiped
        rows = [] if wiped else self.db.execute(
            f"SELECT {_NUDGE_COLUMNS} FROM nudges WHERE at >= ? AND at < ? ORDER BY at, id", (start, end)
        )
        found = [
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
            if row[0] not in held
        ]
        found += [n for n in held.values() if start <= n.at < end]
        return sorted(found, key=lambda n: (n.at, n.id))

    # --- journal and meta ---

    def journal(self, day: date) -> Journal | None:
        with self._lock:
            held = self._pending_journals.get(day)
            wiped = self._wiped
        if held is not None or wiped:
            return held
        row = self.db.execute(
            'SELECT done, todo, "change", tomorrow_activity, tomorrow_next_step FROM journal WHERE day = ?',
            (day.isoformat(),),
        ).fetchone()
        return None if row is None else Journal(day, *row)

    def save_journal(self, j: Journal, *, at: float | None = None) -> None:
        """Insert or replace the day's journal; ``at`` (default now) is saved_at."""
        saved_at = time.time() if at is None else at
        with self._lock:
            self._pending_journals[j.day] = j

        def job(db: Database) -> None:
            with db.atomic():
                db.execute(
                    'INSERT OR REPLACE INTO journal (day, done, todo, "change", tomorrow_activity, '
                    "tomorrow_next_step, saved_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (j.day.isoformat(), j.done, j.todo, j.change, j.tomorrow_activity, j.tomorrow_next_step,
                     saved_at),
                )
            with self._lock:
                _settle(self._pending_journals, j.day, j)

        self._writer.submit(job)

    def get_meta(self, key: str) -> str | None:
        with self._lock:
            held = self._pending_meta.get(key)
        if held is not None:
            return held
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    def set_meta(self, key: str, value: str) -> None:
        with self._lock:
            self._pending_meta[key] = value

        def job(db: Database) -> None:
            with db.atomic():
                db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))
            with self._lock:
                _settle(self._pending_meta, key, value)

        self._writer.submit(job)

    # --- retention ---

    def prune(self, keep_days: int, now: float) -> int | None:
        """Delete events, nudges and declarations that ended more than
        ``keep_days`` days before ``now``; return how many rows went (None from
        the background writer, which logs the count instead).
        The journal is the user's own writing and is kept."""
        cutoff = now - keep_days * DAY_SECONDS
        with self._lock:
            if self._open is not None and self._open.end < cutoff:
                self._open = None
            self._closed = [e for e in self._closed if e.end >= cutoff]

        def job(db: Database) -> int:
            with db.atomic():
                deleted = db.execute('DELETE FROM events WHERE start < ? AND "end" < ?', (cutoff, cutoff)).rowcount
                deleted += db.execute("DELETE FROM nudges WHERE at < ?", (cutoff,)).rowcount
                deleted += db.execute("DELETE FROM declarations WHERE at < ?", (cutoff,)).rowcount
                deleted += db.execute("DELETE FROM delegations WHERE at < ?", (cutoff,)).rowcount  # titles
                deleted += db.execute('DELETE FROM calls WHERE "end" < ?', (cutoff,)).rowcount  # titles too
                deleted += db.execute('DELETE FROM sync_events WHERE start < ? AND "end" < ?',  # other devices'
                                      (cutoff, cutoff)).rowcount
                deleted += db.execute("DELETE FROM sync_records WHERE at < ? AND kind != 'journal'",
                                      (cutoff,)).rowcount
                deleted += db.execute("DELETE FROM block_moves WHERE from_end < ? AND to_end < ?",  # focus blocks'
                                      (cutoff, cutoff)).rowcount
                deleted += db.execute('DELETE FROM block_verdicts WHERE "end" < ?', (cutoff,)).rowcount
                db.execute("DELETE FROM day_cache WHERE start < ?", (cutoff,))  # kept days hold titles too
            if deleted and self._writer is not self._inline:
                log.info("deleted %d records older than %d days", deleted, keep_days)
            return deleted

        return self._writer.submit(job)

    def recorded_counts(self) -> dict[str, int]:
        """How many events, declarations, nudges and journal entries are on disk
        (``flush`` first for what is still in memory): what "Delete all data" names."""
        return {table: self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("events", "declarations", "nudges", "journal", "goals", "delegations", "calls")}

    def first_event_start(self) -> float | None:
        """When the oldest stored event began; None with none."""
        return self.db.execute("SELECT MIN(start) FROM events").fetchone()[0]

    def delete_all(self) -> None:
        """Forget everything recorded or written (meta, the app's own state, stays),
        including what is still in memory, and checkpoint so no copy is left in the
        WAL. Readers see nothing from the file until the deletion has committed."""
        with self._lock:
            self._open = None
            self._closed.clear()
            self._pending_declarations.clear()
            self._pending_nudges.clear()
            self._pending_journals.clear()
            self._wiped += 1

        def job(db: Database) -> None:
            with db.atomic():
                for table in ("events", "declarations", "nudges", "journal", "delegations", "steps", "goals",
                              "block_moves", "block_verdicts", "calls",
                              "sync_events", "sync_records", "sync_files", "sync_devices", "sync_tombstones",
                              "day_cache"):
                    db.execute(f"DELETE FROM {table}")
                db.execute("DELETE FROM meta WHERE key = ?", (_LONGEST_EVENT_KEY,))
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            with self._lock:
                self._wiped -= 1

        self._writer.submit(job)

    def close(self) -> None:
        """Write what is in memory (the background writer tries for
        ``CLOSE_TIMEOUT_SECONDS``, then logs what it could not save) and close."""
        try:
            self.flush()
            self._writer.close(CLOSE_TIMEOUT_SECONDS)
        finally:
            self.db.close()


def _writer_db(path: Path) -> Database:
    """The background writer's own connection, made on its thread."""
    db = Database(sqlite3.connect(path, timeout=WRITER_BUSY_SECONDS))
    _tune(db, WRITER_BUSY_SECONDS)
    return db


def _note_longest(db: Database, seconds: float) -> None:
    """Raise the longest-event mark (never lower it) inside the caller's transaction."""
    db.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value "
        "WHERE CAST(meta.value AS REAL) < CAST(excluded.value AS REAL)",
        (_LONGEST_EVENT_KEY, repr(seconds)),
    )


def _event(row: tuple) -> Event:
    return Event(row[0], row[1], row[2], row[3], row[4], row[5], row[6], _CLASSIFICATIONS[row[7]])



"""Writes to the database, in order, and keeps trying until they land.

A write can fail for reasons that pass: another program holds the write lock
(``BEGIN EXCLUSIVE`` for half a minute), the disk is full, the file became
read-only. None of these may lose what was recorded or freeze the app, so the
store hands every write to a writer as a *job* (a function of the connection that
runs its own transaction) and keeps what it wrote in memory until the job commits.

* :class:`InlineWriter` runs a job at once on the caller's connection: the CLI and
  the tests. A busy database is waited for (``on_wait`` says so once); any other
  failure is a :class:`StoreError` with a sentence to act on.
* :class:`ThreadWriter` runs jobs on its own thread with its own connection, so the
  GUI thread only enqueues. A failed job stays at the head of the queue and is
  tried again every ``RETRY_SECONDS``; the user hears about it once (a full disk at
  once, a lock that lasts ``TELL_BUSY_AFTER`` seconds) and again when it is over,
  through :meth:`ThreadWriter.notices`, which the controller turns into the tray
  message (and the log says it too).

Plain ``threading``: the store stays Qt-free.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeGuard, TypeVar

from focusguard.sqlitedb import Database

log = logging.getLogger(__name__)

T = TypeVar("T")
Job = Callable[[Database], T]

#: How long the writer's own connection waits for a lock before the job counts as
#: failed and is retried: short, so closing never waits behind a long busy wait.
WRITER_BUSY_SECONDS = 0.5
#: A failed job is tried again this often.
RETRY_SECONDS = 1.0
#: A lock this old is worth telling the user about (a CLI import holds it for seconds).
TELL_BUSY_AFTER = 10.0
#: The event log is written at most once per this many seconds (README: batched writes).
MIN_FLUSH_SPACING = 1.0


class StoreError(Exception):
    """The database cannot be used by this version of FocusGuard (the store raises it too)."""


@dataclass(frozen=True, slots=True)
class Failure:
    """Why a write did not land. ``busy`` failures pass by themselves (a lock);
    the others need the user (space, permissions) or never pass (a bug)."""

    kind: str  # "busy", "full", "readonly", "io" or "other"
    detail: str

    @property
    def busy(self) -> bool:
        return self.kind == "busy"


def failure(exc: sqlite3.Error) -> Failure:
    """Classify an SQLite error by its result code (Python 3.11 carries it)."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in str(exc):
        return Failure("busy", str(exc))
    if name.startswith("SQLITE_FULL") or "disk is full" in str(exc):
        return Failure("full", str(exc))
    if name.startswith("SQLITE_READONLY"):
        return Failure("readonly", str(exc))
    if name.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN")):
        return Failure("io", str(exc))
    return Failure("other", str(exc))


def retryable(exc: BaseException) -> TypeGuard[sqlite3.DatabaseError]:
    """Errors of the database or the disk; anything else is a bug in a job."""
    return isinstance(exc, sqlite3.OperationalError | sqlite3.DatabaseError) and not isinstance(
        exc, sqlite3.IntegrityError | sqlite3.ProgrammingError | sqlite3.InterfaceError
    )


KEPT = "FocusGuard keeps the time in memory and writes it as soon as it can."
NOT_SAVED = "Nothing was saved; try again when that is fixed."


def describe(what: Failure, path: object, keep: str = KEPT) -> str:
    """One sentence the user can act on, for the tray and the log; ``keep`` says
    what became of the write."""
    if what.kind == "busy":
        return f"Another program has locked the database {path}. {keep}"
    if what.kind == "full":
        return f"The disk holding {path} is full. Free some space: {keep}"
    if what.kind == "readonly":
        return f"The database {path} cannot be written (read-only). {keep}"
    return f"Cannot write to the database {path} ({what.detail}). {keep}"


def _shrink_wal(db: Database) -> None:
    """On a full disk the write-ahead log may be what filled it (it is only reset
    every thousand pages): move it into the database and give its space back."""
    try:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.Error as exc:
        log.info("could not checkpoint the database on a full disk (%s)", exc)


class InlineWriter:
    """Runs each job at once on the given connection (see the module docstring)."""

    def __init__(self, db: Database, path: object,
                 on_wait: Callable[[str], None] | None = None) -> None:
        self.db = db
        self.path = path
        self.on_wait = on_wait

    def submit(self, job: Job[T]) -> T:
        told = False
        while True:
            try:
                return job(self.db)
            except sqlite3.Error as exc:
                if not retryable(exc):
                    raise
                what = failure(exc)
                if not what.busy:
                    raise StoreError(describe(what, self.path, NOT_SAVED)) from exc
                if not told and self.on_wait is not None:
                    self.on_wait(f"the database {self.path} is locked by another program; "
                                 "waiting for it (Ctrl-C gives up, nothing is saved then)")
                    told = True
                time.sleep(RETRY_SECONDS / 4)

    def flush_events(self, write_events: Job[None]) -> None:
        self.submit(write_events)

    def notices(self) -> list[str]:
        return []  # failures are raised to the caller instead

    def close(self, timeout: float) -> bool:
        return True


class ThreadWriter:
    """A thread that owns a connection for writes (see the module docstring).

    ``connect`` is called on the writer thread. The event-log job given to
    :meth:`flush_events` runs at most once per ``MIN_FLUSH_SPACING``, after the
    jobs queued before it, and takes its snapshot of the log when it runs."""

    def __init__(self, connect: Callable[[], Database], path: object, *,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._connect = connect
        self._write_events: Job[None] | None = None
        self.path = path
        self._monotonic = monotonic
        self._cond = threading.Condition()
        self._jobs: deque[Job[object]] = deque()
        self._flush_wanted = False
        self._last_flush = float("-inf")
        self._stopping = False
        self._give_up_at = float("inf")
        self._failing: Failure | None = None
        self._failing_since = 0.0
        self._told = False
        self._notices: list[str] = []
        self._thread = threading.Thread(target=self._run, name="focusguard-writer", daemon=True)
        self._thread.start()

    # --- the caller's side (any thread) ---

    def submit(self, job: Job[T]) -> None:
        with self._cond:
            self._jobs.append(job)
            self._cond.notify()

    def flush_events(self, write_events: Job[None]) -> None:
        with self._cond:
            self._write_events = write_events
            self._flush_wanted = True
            self._cond.notify()

    def notices(self) -> list[str]:
        """What to tell the user since the last call: a problem, then its end."""
        with self._cond:
            found, self._notices = self._notices, []
        return found

    def close(self, timeout: float) -> bool:
        """Write everything still in memory, trying for ``timeout`` seconds, then stop.
        False when something could not be written (it is logged)."""
        with self._cond:
            self._stopping = True
            self._flush_wanted = self._write_events is not None
            self._give_up_at = self._monotonic() + timeout
            self._cond.notify()
        self._thread.join(timeout + 2 * RETRY_SECONDS)
        with self._cond:
            return not self._thread.is_alive() and not self._jobs and not self._flush_wanted

    # --- the writer thread ---

    def _next(self) -> Job[object] | None:
        """Waits for work: the oldest job, else the event log when due; None = stop."""
        with self._cond:
            while True:
                if self._jobs:
                    return self._jobs[0]
                if self._flush_wanted and self._write_events is not None:
                    wait = self._last_flush + MIN_FLUSH_SPACING - self._monotonic()
                    if wait <= 0 or self._stopping:
                        self._flush_wanted = False
                        self._last_flush = self._monotonic()
                        return self._write_events
                    self._cond.wait(wait)
                    continue
                if self._stopping:
                    return None
                self._cond.wait()

    def _run(self) -> None:
        db: Database | None = None
        try:
            while (job := self._next()) is not None:
                try:
                    if db is None:
                        db = self._connect()
                    job(db)
                except Exception as exc:  # the thread must outlive any job
                    if not retryable(exc):
                        log.exception("a database write failed and was dropped")
                        self._done(job)
                        continue
                    what = failure(exc)
                    if what.kind == "full" and db is not None:
                        _shrink_wal(db)
                    if not self._failed(job, what):
                        return
                    continue
                self._done(job)
        finally:
            if db is not None:
                db.close()

    def _done(self, job: Job[object]) -> None:
        with self._cond:
            if self._jobs and self._jobs[0] is job:
                self._jobs.popleft()
            if self._failing is not None:
                gone_for = self._monotonic() - self._failing_since
                if self._told:
                    text = (f"FocusGuard can write to its database again after {gone_for:.0f} s; "
                            "the time kept in memory is saved.")
                    self._notices.append(text)
                    log.warning("%s", text)
                else:
                    log.info("the database could be written again after %.1f s", gone_for)
                self._failing, self._told = None, False

    def _failed(self, job: Job[object], what: Failure) -> bool:
        """Note the failure, tell the user when it is time, wait; False = give up (closing)."""
        with self._cond:
            now = self._monotonic()
            if job == self._write_events:  # ==: each flush request brings a new bound method
                self._flush_wanted = True
            if self._failing is None or self._failing.kind != what.kind:  # a new problem is told anew
                self._failing, self._failing_since, self._told = what, now, False
                log.info("database write failed (%s); retrying", what.detail)
            if not self._told and (not what.busy or now - self._failing_since >= TELL_BUSY_AFTER):
                text = describe(what, self.path)
                self._notices.append(text)
                log.warning("%s", text)
                self._told = True
            if now >= self._give_up_at:
                lost = len(self._jobs) + (job == self._write_events)
                log.error("FocusGuard stopped with %d write(s) that could not be saved (%s)", lost, what.detail)
                return False
            self._cond.wait(min(RETRY_SECONDS, max(0.0, self._give_up_at - now)))
            return True

"""The store's write path under trouble: batching, a locked database, a full disk,
the clock being set, the CLI waiting for a lock. Real SQLite files and real threads;
the full disk is a real tmpfs (root only)."""

from __future__ import annotations

import itertools
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from focusguard import store_writer
from focusguard.core.model import Classification, Classified, Declaration, Nudge, Sample
from focusguard.store import FlushPolicy, Store, StoreError

T0 = 1_780_000_000.0


def sample(at: float, app: str = "code", title: str = "main.py") -> Classified:
    return Classified(Sample(at, app, title), "Sales", Classification.PRIORITY)


def rows(path: Path) -> list[tuple[float, float, str]]:
    with sqlite3.connect(path) as conn:
        return conn.execute('SELECT start, "end", app FROM events ORDER BY start, id').fetchall()


def assert_no_overlaps(events: list[tuple[float, float, str]]) -> None:
    for (a_start, a_end, _), (b_start, b_end, _) in itertools.pairwise(events):
        assert a_start <= a_end <= b_start <= b_end, f"{(a_start, a_end)} overlaps {(b_start, b_end)}"


def wait_for(check, what: str, timeout: float = 5.0):
    deadline = time.monotonic() + timeout
    while not (found := check()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)
    return found


def recorded_seconds(path: Path) -> float:
    return sum(end - start for start, end, _ in rows(path))


# --- the batching rule ----------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    every=st.sampled_from([5.0, 10.0, 30.0]),
    interval=st.sampled_from([0.5, 1.0, 2.0]),
    steps=st.lists(st.tuples(st.floats(0.05, 1.0), st.booleans()), min_size=1, max_size=200),
)
def test_flush_policy_batches_writes_and_bounds_a_crash(every: float, interval: float,
                                                        steps: list[tuple[float, bool]]) -> None:
    """Samples come at most one interval apart (a fraction of it each step), some with
    a change. Writes are never within a second of each other; a change is written
    by the first sample a second after the last write; and between samples the
    newest sample on disk is never more than ``every`` seconds old."""
    policy, max_gap = FlushPolicy(), 2 * interval
    t, written, change_waiting_since = T0, [], None
    for fraction, changed in [(0.0, True), *steps]:
        t += fraction * interval
        if changed and change_waiting_since is None:
            change_waiting_since = t
        if policy.due(t, changed, every, max_gap):
            policy.done(t)
            assert not written or t - written[-1] >= 1.0
            written.append(t)
            change_waiting_since = None
        assert change_waiting_since is None or t - written[-1] < 1.0
        # A crash just before the next sample (one interval later at most):
        assert t + interval - written[-1] <= every


def test_flush_every_zero_writes_every_sample() -> None:
    policy = FlushPolicy()
    assert all(policy.due(T0 + i * 0.1, False, 0.0, 4.0) for i in range(10))


# --- the clock being set ----------------------------------------------------------


class Clocks:
    """A wall clock and a monotonic clock the test moves apart."""

    def __init__(self) -> None:
        self.wall, self.mono = T0, 1000.0

    def tick(self, seconds: float = 1.0) -> float:
        self.wall += seconds
        self.mono += seconds
        return self.wall


def test_a_clock_set_back_30_s_stores_no_overlapping_events(tmp_path: Path) -> None:
    clocks = Clocks()
    path = tmp_path / "fg.db"
    with Store(path, max_gap=2.0, flush_every=10, monotonic=lambda: clocks.mono) as store:
        apps = ["code", "firefox", "term"]
        for i in range(20):
            store.record(sample(clocks.tick(), apps[i // 3 % 3]))
        set_back_at = clocks.wall
        clocks.wall -= 30
        for i in range(60):
            store.record(sample(clocks.tick(), apps[i // 3 % 3]))
        assert_no_overlaps([(e.start, e.end, e.app) for e in store.events(0, 2e10)])
    stored = rows(path)
    assert_no_overlaps(stored)
    # The event open at the jump ends at the last sample before it; what is recorded
    # later starts after it: nothing filed twice, nothing stretched.
    assert max(end for _, end, _ in stored if end <= set_back_at) == set_back_at
    assert recorded_seconds(path) == pytest.approx(19 + 60 - 31, abs=3)


def test_a_clock_set_forward_is_a_gap_not_a_stretched_event(tmp_path: Path) -> None:
    clocks = Clocks()
    path = tmp_path / "fg.db"
    with Store(path, max_gap=4.0, flush_every=10, monotonic=lambda: clocks.mono) as store:
        for _ in range(5):
            store.record(sample(clocks.tick()))
        before = clocks.wall
        clocks.wall += 3  # less than max_gap: only the monotonic clock shows it
        for _ in range(5):
            store.record(sample(clocks.tick()))
    assert rows(path) == [(before - 4, before, "code"), (before + 4, before + 8, "code")]


def test_without_a_monotonic_clock_a_small_jump_forward_still_counts_as_time(tmp_path: Path) -> None:
    """The CLI and tools record with no monotonic clock: the heartbeat rule alone."""
    path = tmp_path / "fg.db"
    with Store(path, max_gap=4.0, flush_every=10) as store:
        for t in (0, 1, 4, 5):
            store.record(sample(T0 + t))
    assert rows(path) == [(T0, T0 + 5, "code")]


# --- a locked database ----------------------------------------------------------------


@pytest.fixture
def locker(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    """A second connection, as another program would hold the database."""
    conn = sqlite3.connect(tmp_path / "fg.db", isolation_level=None, check_same_thread=False)
    yield conn
    if conn.in_transaction:
        conn.execute("ROLLBACK")
    conn.close()


def test_a_locked_database_blocks_no_caller_and_loses_no_time(tmp_path: Path, locker: sqlite3.Connection,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Held with BEGIN EXCLUSIVE for longer than the busy timeout: every call of the
    GUI thread returns at once, and afterwards the recorded time is the wall time."""
    monkeypatch.setattr(store_writer, "TELL_BUSY_AFTER", 2.0)
    path = tmp_path / "fg.db"
    store = Store(path, max_gap=1.0, flush_every=10, background=True, monotonic=time.monotonic)
    try:
        started = time.time()
        store.record(sample(started))
        wait_for(lambda: rows(path), "the first write")
        locker.execute("BEGIN EXCLUSIVE")
        slowest = 0.0
        notices: list[str] = []
        apps = ["code", "firefox"]
        for i in range(1, 28):  # 7 s: longer than the 5 s busy timeout
            time.sleep(0.25)
            t0 = time.monotonic()
            store.record(sample(time.time(), apps[i // 8 % 2]))
            if i == 10:
                store.declare(Declaration(time.time(), "Sales", "call Ana"))
                store.add_nudge(Nudge(time.time(), "Video", Classification.DISTRACTION, 300, 300, 1))
            figures = store.events(started - 1, time.time() + 1)
            declared = store.declarations()
            notices += store.notices()
            slowest = max(slowest, time.monotonic() - t0)
        last = time.time()
        assert slowest < 0.2, f"a call took {slowest:.2f} s while the database was locked"
        assert rows(path) == [(started, started, "code")], "nothing can be written while it is locked"
        assert sum(e.seconds for e in figures) == pytest.approx(last - started, abs=0.5)
        assert [d.next_step for d in declared] == ["call Ana"]
        assert any("locked" in text for text in notices), notices
        locker.execute("COMMIT")
        deadline = time.monotonic() + 5
        while not any("again" in text for text in notices) and time.monotonic() < deadline:
            time.sleep(0.1)
            notices += store.notices()
        assert any("again" in text for text in notices), notices
    finally:
        if locker.in_transaction:
            locker.execute("COMMIT")
        store.close()
    assert recorded_seconds(path) == pytest.approx(last - started, abs=2.0)
    assert_no_overlaps(rows(path))
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT next_step FROM declarations").fetchall() == [("call Ana",)]
        assert conn.execute("SELECT COUNT(*) FROM nudges").fetchone() == (1,)


def test_closing_on_a_locked_database_waits_then_gives_up_without_raising(
        tmp_path: Path, locker: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("focusguard.store.CLOSE_TIMEOUT_SECONDS", 1.0)
    store = Store(tmp_path / "fg.db", background=True)
    store.record(sample(T0))
    wait_for(lambda: rows(tmp_path / "fg.db"), "the first write")
    locker.execute("BEGIN EXCLUSIVE")
    store.record(sample(T0 + 1, "firefox"))
    t0 = time.monotonic()
    store.close()
    assert time.monotonic() - t0 < 4


def test_priority_set_waits_for_a_lock_says_so_and_keeps_the_declaration(
        tmp_path: Path, locker: sqlite3.Connection) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[[activity]]\nname = "Sales"\nkind = "productive"\n', encoding="utf-8")
    db = tmp_path / "fg.db"
    Store(db).close()
    locker.execute("BEGIN EXCLUSIVE")
    cli = subprocess.Popen([sys.executable, "-m", "focusguard", "--config", str(config), "--db", str(db),
                            "priority", "set", "Sales", "--next", "call Ana"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(7)  # past the 5 s busy timeout that used to end in a traceback
        assert cli.poll() is None, cli.communicate()
        locker.execute("COMMIT")
        out, err = cli.communicate(timeout=10)
    finally:
        if cli.poll() is None:
            cli.kill()
            cli.communicate()
    assert cli.returncode == 0, err
    assert "Traceback" not in err
    assert "locked by another program; waiting" in err
    assert "Today's priority: Sales" in out
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT activity, next_step FROM declarations").fetchall() == [("Sales", "call Ana")]


# --- a full disk ------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 600 KiB tmpfs (root only: mount)."""
    where = tmp_path / "disk"
    where.mkdir()
    if os.geteuid() != 0:
        if os.environ.get("CI"):
            pytest.fail("CI must run the full-disk test as root (it mounts a tmpfs)")
        pytest.skip("needs root to mount a tmpfs")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(where)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail(f"cannot mount a tmpfs: {done.stderr}")
        pytest.skip(f"cannot mount a tmpfs: {done.stderr}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(directory: Path) -> Path:
    """Fill the disk, after the database's log went into it (as small as it gets)."""
    conn = sqlite3.connect(directory / "fg.db")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    filler = directory / "filler"
    with open(filler, "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 4096)
        except OSError:
            pass
    return filler


def test_a_full_disk_is_told_once_kept_in_memory_and_written_when_space_returns(small_disk: Path) -> None:
    path = small_disk / "fg.db"
    store = Store(path, max_gap=1.0, flush_every=10, background=True, monotonic=time.monotonic)
    notices: list[str] = []
    apps = ["code", "firefox", "term"]

    def run(seconds: float, offset: int) -> None:
        end = time.monotonic() + seconds
        i = offset
        while time.monotonic() < end:
            store.record(sample(time.time(), apps[i // 4 % 3]))  # a change every second
            notices.extend(store.notices())
            time.sleep(0.25)
            i += 1

    try:
        started = time.time()
        run(1.5, 0)
        filler = fill(small_disk)
        run(4.0, 6)
        assert sum("full" in text for text in notices) == 1, notices
        assert not any("again" in text for text in notices)
        filler.unlink()
        run(3.0, 22)
        last = time.time()
        store.record(sample(last, apps[0]))
        assert sum("again" in text for text in notices) == 1, notices
    finally:
        store.close()
    stored = rows(path)
    assert_no_overlaps(stored)
    assert recorded_seconds(path) == pytest.approx(last - started, abs=1.0)
    assert stored[-1][1] == last


def test_an_insert_that_failed_leaves_no_row_id_behind(tmp_path: Path, locker: sqlite3.Connection) -> None:
    """A new event whose insert could not commit is inserted again later, not
    'updated' under an id that was rolled back."""
    path = tmp_path / "fg.db"
    store = Store(path, max_gap=4.0, flush_every=0, background=True)
    try:
        store.record(sample(T0))
        wait_for(lambda: rows(path), "the first write")
        locker.execute("BEGIN EXCLUSIVE")
        store.record(sample(T0 + 2, "firefox"))  # its insert fails while locked
        time.sleep(1.5)
        locker.execute("COMMIT")
        store.record(sample(T0 + 4, "firefox"))
    finally:
        store.close()
    assert rows(path) == [(T0, T0 + 2, "code"), (T0 + 2, T0 + 4, "firefox")]


def test_opening_on_a_full_disk_says_so_and_never_advises_moving_the_database_aside(small_disk: Path) -> None:
    path = small_disk / "fg.db"
    with Store(path, flush_every=0) as store:
        store.record(sample(T0))
    filler = fill(small_disk)
    with pytest.raises(StoreError) as raised:
        Store(path, background=True)
    message = str(raised.value)
    assert "full" in message and "intact" in message
    assert "move it aside" not in message
    filler.unlink()
    with Store(path) as store:  # space is back: the history is all there
        assert [(e.start, e.end) for e in store.events(0, 2e10)] == [(T0, T0)]


def test_the_tray_is_told_of_a_lock_once_and_of_its_end(tmp_path: Path, locker: sqlite3.Connection,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Through the controller's Update.message, which the app shows as a tray message."""
    from focusguard.controller import Controller
    from focusguard.platform.window import WindowInfo

    monkeypatch.setattr(store_writer, "TELL_BUSY_AFTER", 0.5)
    config_file = tmp_path / "config.toml"
    config_file.write_text('[[activity]]\nname = "Sales"\nkind = "productive"\n', encoding="utf-8")
    store = Store(tmp_path / "fg.db", background=True, monotonic=time.monotonic)
    controller = Controller(config_file, store, own_pid=-1)
    editor = WindowInfo("editor", "notes.txt", pid=1)
    try:
        controller.handle_sample(editor, 0.0)
        wait_for(lambda: rows(tmp_path / "fg.db"), "the first write")
        locker.execute("BEGIN EXCLUSIVE")
        messages = []
        for title in "abcdefghijklmno":
            time.sleep(0.3)  # each a change of window: a write each second
            messages.append(controller.handle_sample(WindowInfo("editor", title, pid=1), 0.0).message)
        told = [m for m in messages if m]
        assert len(told) == 1 and "locked the database" in told[0], messages
        locker.execute("COMMIT")
        recovered = wait_for(lambda: controller.handle_sample(editor, 0.0).message, "the recovery message")
        assert "can write to its database again" in recovered
    finally:
        controller.close()

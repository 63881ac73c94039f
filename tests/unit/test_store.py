"""The store: coalescing, durability, privacy of the file, migrations, retention."""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
import unicodedata
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from focusguard.core.model import Answer, Classification, Classified, Declaration, Nudge, Sample
from focusguard.store import (
    MAX_TITLE_CHARS,
    SCHEMA_VERSION,
    Journal,
    Store,
    StoreError,
    data_dir,
    default_db_path,
)

BERLIN = ZoneInfo("Europe/Berlin")
T0 = 1_780_000_000.0  # 2026-05-28, an arbitrary fixed instant
posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def sample(
    at: float,
    app: str = "code",
    title: str = "main.py",
    exe: str = "/usr/bin/code",
    activity: str | None = "Sales",
    classification: Classification = Classification.PRIORITY,
) -> Classified:
    return Classified(Sample(at, app, title, exe), activity, classification)


def spans(store: Store) -> list[tuple[float, float, str, str]]:
    return [(e.start - T0, e.end - T0, e.app, e.classification.value) for e in store.events(0, 2e10)]


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "focusguard.db", max_gap=4.0, flush_every=0) as s:
        yield s


def stored_rows(path: Path) -> list[tuple]:
    """What another process (the CLI) would read right now."""
    with sqlite3.connect(path) as conn:
        return conn.execute('SELECT start, "end", app FROM events ORDER BY start').fetchall()


# --- coalescing ---------------------------------------------------------------


def test_same_window_extends_one_event(store: Store) -> None:
    for t in (0, 2, 4, 6):
        store.record(sample(T0 + t))
    assert spans(store) == [(0, 6, "code", "priority")]


def test_different_window_closes_the_open_event_at_its_own_time(store: Store) -> None:
    for t, app in ((0, "code"), (2, "code"), (4, "firefox"), (6, "firefox"), (7, "code")):
        store.record(sample(T0 + t, app=app))
    assert spans(store) == [(0, 4, "code", "priority"), (4, 7, "firefox", "priority"), (7, 7, "code", "priority")]


@pytest.mark.parametrize(
    "change",
    [
        {"title": "other.py"},
        {"exe": "/opt/code/code"},
        {"activity": "Admin"},
        {"classification": Classification.DISTRACTION},
    ],
)
def test_any_part_of_the_key_changing_splits(store: Store, change: dict) -> None:
    store.record(sample(T0))
    store.record(sample(T0 + 2, **change))
    assert [(e.start - T0, e.end - T0) for e in store.events(0, 2e10)] == [(0, 2), (2, 2)]


def test_after_a_gap_the_open_event_keeps_its_end(store: Store) -> None:
    for t in (0, 2, 4):
        store.record(sample(T0 + t))
    store.record(sample(T0 + 8.5))  # 4.5 s > max_gap: same window, but a new event
    store.record(sample(T0 + 20, app="firefox"))  # different window after a gap
    assert spans(store) == [(0, 4, "code", "priority"), (8.5, 8.5, "code", "priority"), (20, 20, "firefox", "priority")]


def test_a_gap_of_exactly_max_gap_still_extends(store: Store) -> None:
    store.record(sample(T0))
    store.record(sample(T0 + 4))
    assert spans(store) == [(0, 4, "code", "priority")]


def test_clock_set_back_closes_the_open_event_and_files_no_time_twice(store: Store) -> None:
    store.record(sample(T0 + 10))
    store.record(sample(T0 + 12))
    store.record(sample(T0 + 5))  # set back 7 s: up to 12 is filed already
    store.record(sample(T0 + 7, app="firefox"))
    store.record(sample(T0 + 13, app="firefox"))  # past what is filed: a new event
    store.record(sample(T0 + 15, app="firefox"))
    assert spans(store) == [(10, 12, "code", "priority"), (13, 15, "firefox", "priority")]


def test_open_event_is_written_at_each_change_and_before_it_is_flush_every_old(tmp_path: Path) -> None:
    path = tmp_path / "fg.db"
    with Store(path, flush_every=10) as s:  # max_gap 4: each sample covers about 2 s more
        s.record(sample(T0))  # the very first sample is written at once
        assert stored_rows(path) == [(T0, T0, "code")]
        for t in (2, 4, 6):
            s.record(sample(T0 + t))
        assert stored_rows(path) == [(T0, T0, "code")]  # batched
        s.record(sample(T0 + 8))  # 8 + the 2 s it covers: a crash now would lose 10 s
        assert stored_rows(path) == [(T0, T0 + 8, "code")]
        s.record(sample(T0 + 9, app="firefox"))  # a change of window: written at once
        assert stored_rows(path) == [(T0, T0 + 9, "code"), (T0 + 9, T0 + 9, "firefox")]
        s.record(sample(T0 + 9.5, app="editor"))  # another within the second: it waits
        assert stored_rows(path)[-1] == (T0 + 9, T0 + 9, "firefox")
        s.record(sample(T0 + 10.5, app="editor"))  # and goes with the next sample
        assert stored_rows(path)[-2:] == [(T0 + 9, T0 + 9.5, "firefox"), (T0 + 9.5, T0 + 10.5, "editor")]
        s.record(sample(T0 + 12, app="editor"))
        assert stored_rows(path)[-1] == (T0 + 9.5, T0 + 10.5, "editor")
    assert stored_rows(path)[-1] == (T0 + 9.5, T0 + 12, "editor")  # close() flushes


def test_flush_every_zero_writes_every_record(tmp_path: Path) -> None:
    path = tmp_path / "fg.db"
    s = Store(path, flush_every=0)
    for t in (0, 2, 3):
        s.record(sample(T0 + t))
        assert stored_rows(path) == [(T0, T0 + t, "code")]
    s.close()


def test_events_includes_the_unflushed_open_event(tmp_path: Path) -> None:
    with Store(tmp_path / "fg.db", flush_every=60) as s:
        for t in (0, 2, 4):
            s.record(sample(T0 + t))
        assert [(e.start, e.end) for e in s.events(T0, T0 + 100)] == [(T0, T0 + 4)]


def test_a_restart_starts_a_new_event_after_the_last_recorded_one(tmp_path: Path) -> None:
    path = tmp_path / "fg.db"
    with Store(path, flush_every=0) as s:
        s.record(sample(T0))
        s.record(sample(T0 + 2))
    with Store(path, flush_every=0) as s:  # restarted within max_gap (kill -9, quit): the downtime is not credited
        s.record(sample(T0 + 3))
        s.record(sample(T0 + 5))
        assert spans(s) == [(0, 2, "code", "priority"), (3, 5, "code", "priority")]
    with Store(path, flush_every=0) as s:  # a clock behind the last run's: nothing filed twice
        s.record(sample(T0 + 4, app="firefox"))
        s.record(sample(T0 + 6, app="firefox"))
        assert spans(s)[-2:] == [(3, 5, "code", "priority"), (6, 6, "firefox", "priority")]


def test_events_range_finds_a_long_event_started_before_it(tmp_path: Path) -> None:
    path = tmp_path / "fg.db"
    with Store(path, max_gap=100_000, flush_every=0) as s:
        s.record(sample(T0))
        s.record(sample(T0 + 90_000))  # one event of 25 hours
        s.record(sample(T0 + 90_010, app="firefox"))
        s.record(sample(T0 + 90_020, app="firefox"))
    with Store(path) as reader:  # another process, e.g. the CLI
        found = reader.events(T0 + 86_400, T0 + 86_500)
        assert [(e.start, e.end, e.seconds) for e in found] == [(T0, T0 + 90_010, 90_010)]
        assert [e.app for e in reader.events(T0 + 90_005, T0 + 90_015)] == ["code", "firefox"]
        assert reader.events(T0 + 90_020, T0 + 99_000) == []


@posix_only
def test_kill_9_loses_at_most_flush_every_seconds(tmp_path: Path) -> None:
    """A child records a sample every second with flush_every = 2.5 s and is killed
    at the worst moment for a write every 2.5 s of sample time: 2.9 s after one
    was seen on disk, just before the next sample. At most 2.5 s may be lost."""
    path = tmp_path / "fg.db"
    child = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from focusguard.core.model import Classification, Classified, Sample\n"
        "from focusguard.store import Store\n"
        "store = Store(Path(sys.argv[1]), max_gap=2.0, flush_every=2.5)\n"
        "at = time.time()\n"
        "while True:\n"
        "    store.record(Classified(Sample(at, 'editor', 'notes.txt'), None, Classification.UNCLASSIFIED))\n"
        "    at += 1.0\n"
        "    time.sleep(max(0.0, at - time.time()))\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", child, str(path)], stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while not (rows := stored_rows(path) if path.exists() else []):
            assert proc.poll() is None, proc.stderr.read()
            assert time.monotonic() < deadline, "the child wrote nothing"
            time.sleep(0.02)
        first_write = rows[0][1]
        time.sleep(max(0.0, first_write + 2.9 - time.time()))
    finally:
        killed_at = time.time()
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stderr.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = conn.execute('SELECT start, "end", app FROM events').fetchall()
    assert len(rows) == 1
    start, end, app = rows[0]
    assert app == "editor"
    assert start <= end <= killed_at
    assert killed_at - end <= 2.5, f"{killed_at - end:.2f} s lost"


# --- text ---------------------------------------------------------------------


def test_titles_are_cut_and_control_characters_stripped(store: Store) -> None:
    store.record(sample(T0, app="co\x00de\x1b", title="a\x00b\tc\nd\x7f\x9f" + "x" * 5000, exe="/bin/\x00x"))
    e = store.events(0, 2e10)[0]
    assert (e.app, e.exe) == ("code", "/bin/x")
    assert e.title == ("ab c d" + "x" * 5000)[:MAX_TITLE_CHARS]
    assert len(e.title) == MAX_TITLE_CHARS


@pytest.mark.parametrize(
    "title",
    [
        "👩‍💻 Pull request #12 — 🚀🇩🇪",  # ZWJ sequence, flags
        "שלום עולם - مرحبا \u200f",  # RTL with a right-to-left mark
        "漢字かな交じり文 – 한국어",
        "e\u0301 n\u0303 a\u030a\u0323",  # combining marks
        "\u2028line\u2029para\u00a0nbsp",
    ],
)
def test_unicode_round_trips(store: Store, title: str) -> None:
    store.record(sample(T0, app=title[:5], title=title))
    e = store.events(0, 2e10)[0]
    assert (e.app, e.title) == (title[:5], title)


def _temporary_store() -> tuple[tempfile.TemporaryDirectory, Store]:
    directory = tempfile.TemporaryDirectory()
    return directory, Store(Path(directory.name) / "fg.db", flush_every=0)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=MAX_TITLE_CHARS))
def test_any_printable_unicode_round_trips(title: str) -> None:
    directory, s = _temporary_store()
    with directory, s:
        s.record(sample(T0, app=title, title=title, exe=title))
        e = s.events(0, 2e10)[0]
        assert (e.app, e.title, e.exe) == (title, title, title)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=1500))
def test_any_text_is_stored_clean_and_bounded(title: str) -> None:
    directory, s = _temporary_store()
    with directory, s:
        s.record(sample(T0, title=title))
        stored = s.events(0, 2e10)[0].title
    assert len(stored) <= MAX_TITLE_CHARS
    assert not any(unicodedata.category(ch) in ("Cc", "Cs") for ch in stored)
    if not any(unicodedata.category(ch) in ("Cc", "Cs") for ch in title):
        assert stored == title[:MAX_TITLE_CHARS]


# --- the file -----------------------------------------------------------------


@posix_only
def test_database_file_is_private(tmp_path: Path) -> None:
    path = tmp_path / "new" / "focusguard.db"
    with Store(path, flush_every=0) as s:
        s.record(sample(T0))
        for name in ("focusguard.db", "focusguard.db-wal", "focusguard.db-shm"):
            assert stat.S_IMODE((path.parent / name).stat().st_mode) == 0o600, name
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


@posix_only
def test_existing_database_file_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "fg.db"
    path.touch(mode=0o644)
    os.chmod(path, 0o644)
    Store(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_wal_normal_sync_and_busy_timeout(store: Store) -> None:
    assert store.db.journal_mode == "wal"
    assert store.db.execute("PRAGMA synchronous").fetchone() == (1,)  # NORMAL
    assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_data_dir_honours_xdg_data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("XDG is Linux only")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert data_dir() == tmp_path / "xdg" / "focusguard"
    assert default_db_path() == tmp_path / "xdg" / "focusguard" / "focusguard.db"


# --- migrations ---------------------------------------------------------------

V1_SCHEMA = """
CREATE TABLE _sqlite_migrations (id INTEGER PRIMARY KEY, migration_set TEXT, name TEXT, applied_at TEXT);
CREATE UNIQUE INDEX idx__sqlite_migrations_migration_set_name ON _sqlite_migrations (migration_set, name);
INSERT INTO _sqlite_migrations (migration_set, name, applied_at)
    VALUES ('focusguard', '001_initial', '2026-01-01 00:00:00+00:00');
CREATE TABLE events (id INTEGER PRIMARY KEY, start FLOAT NOT NULL, "end" FLOAT NOT NULL, app TEXT NOT NULL,
    title TEXT NOT NULL, exe TEXT NOT NULL, activity TEXT, classification TEXT NOT NULL);
CREATE INDEX idx_events_start_end ON events (start, "end");
CREATE TABLE declarations (id INTEGER PRIMARY KEY, at FLOAT NOT NULL, activity TEXT NOT NULL, next_step TEXT NOT NULL);
CREATE INDEX idx_declarations_at ON declarations (at);
CREATE TABLE nudges (id INTEGER PRIMARY KEY, at FLOAT NOT NULL, activity TEXT, classification TEXT NOT NULL,
    streak_seconds FLOAT NOT NULL, distraction_seconds FLOAT NOT NULL, level INTEGER NOT NULL, app TEXT, title TEXT);
CREATE INDEX idx_nudges_at ON nudges (at);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO events (start, "end", app, title, exe, activity, classification)
    VALUES (1780000000, 1780000060, 'code', 'main.py', '', 'Sales', 'priority');
INSERT INTO nudges (at, activity, classification, streak_seconds, distraction_seconds, level, app, title)
    VALUES (1780000100, 'Video', 'distraction', 300, 300, 1, 'firefox', 'YouTube');
INSERT INTO meta (key, value) VALUES ('events.longest_seconds', '60.0');
"""


def _schema(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()


def _applied(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT migration_set, name, applied_at FROM _sqlite_migrations ORDER BY id").fetchall()


def test_new_database_is_at_the_current_version(store: Store) -> None:
    assert store.schema_version == SCHEMA_VERSION == 9  # 004 goals (issue 14) ... 009 day cache (16)


def test_v1_database_upgrades_in_place_and_second_open_is_a_no_op(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(V1_SCHEMA)
    with Store(path) as s:
        assert s.schema_version == SCHEMA_VERSION
        assert [(e.app, e.seconds) for e in s.events(0, 2e10)] == [("code", 60)]
        [old] = s.nudges(0, 2e10)
        assert (old.app, old.answer, old.answered_at, old.distraction_seconds) == ("firefox", None, None, 300)
        s.answer_nudge(old.id, Answer.SNOOZE, 1_780_000_110)
        s.save_journal(Journal(date(2026, 5, 28), done="migrated"))
    schema, applied = _schema(path), _applied(path)
    assert [name for _, name, _ in applied] == ["001_initial", "002_answers_and_journal", "003_import_keys",
                                                "004_goals_and_delegations", "005_sync", "006_blocks", "007_calls",
                                                "008_sync_ids", "009_day_cache"]
    with Store(path) as s:
        assert s.schema_version == SCHEMA_VERSION
        assert s.nudges(0, 2e10)[0].answer is Answer.SNOOZE
        assert s.journal(date(2026, 5, 28)).done == "migrated"
    assert _schema(path) == schema
    assert _applied(path) == applied


def test_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fg.db"
    Store(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('focusguard', '099_future', '')"
        )
    with pytest.raises(StoreError, match="newer FocusGuard"):
        Store(path)


# --- declarations, nudges, journal, meta ----------------------------------------


def berlin(*args: int) -> float:
    return datetime(*args, tzinfo=BERLIN).timestamp()


def test_declaration_of_a_local_day_latest_wins(store: Store) -> None:
    store.declare(Declaration(berlin(2026, 6, 1, 20, 0), "Old", "yesterday's step"))
    store.declare(Declaration(berlin(2026, 6, 2, 0, 30), "Sales", "call Anna"))  # 22:30 UTC on June 1
    store.declare(Declaration(berlin(2026, 6, 2, 14, 0), "Writing", "outline"))
    assert store.declaration_on(date(2026, 6, 2), BERLIN) == Declaration(berlin(2026, 6, 2, 14), "Writing", "outline")
    assert store.declaration_on(date(2026, 6, 1), BERLIN).activity == "Old"
    assert store.declaration_on(date(2026, 6, 3), BERLIN) is None
    assert [d.activity for d in store.declarations()] == ["Old", "Sales", "Writing"]
    assert [d.activity for d in store.declarations(berlin(2026, 6, 2), berlin(2026, 6, 2, 12))] == ["Sales"]


def test_nudges_and_answers(store: Store) -> None:
    nudge = Nudge(T0, "Video", Classification.DISTRACTION, 310.0, 300.0, 2, "fire\x00fox", "YouTube\n")
    first = store.add_nudge(nudge)
    second = store.add_nudge(Nudge(T0 + 900, None, Classification.UNCLASSIFIED, 900.0, 0.0, 1))
    store.answer_nudge(first, Answer.BACK, T0 + 12)
    got = store.nudges(T0, T0 + 901)
    assert [(n.id, n.answer, n.answered_at) for n in got] == [(first, Answer.BACK, T0 + 12), (second, None, None)]
    n = got[0]
    assert (n.activity, n.classification, n.streak_seconds, n.distraction_seconds, n.level, n.app, n.title) == (
        "Video",
        Classification.DISTRACTION,
        310.0,
        300.0,
        2,
        "firefox",
        "YouTube ",
    )
    assert got[1].app == got[1].title == ""
    assert store.nudges(T0 + 1, T0 + 900) == []
    with pytest.raises(KeyError):
        store.answer_nudge(9999, Answer.IGNORED, T0)


def test_journal_saved_and_replaced(store: Store) -> None:
    day = date(2026, 6, 2)
    assert store.journal(day) is None
    store.save_journal(Journal(day, done="shipped 🚀", todo="tests", change="less mail"), at=T0)
    assert store.journal(day) == Journal(day, "shipped 🚀", "tests", "less mail", "", "")
    store.save_journal(Journal(day, tomorrow_activity="Sales", tomorrow_next_step="call Anna"))
    assert store.journal(day) == Journal(day, tomorrow_activity="Sales", tomorrow_next_step="call Anna")
    assert store.journal(date(2026, 6, 3)) is None


def test_meta(store: Store) -> None:
    assert store.get_meta("last_version") is None
    store.set_meta("last_version", "0.1.0")
    store.set_meta("last_version", "0.2.0")
    assert store.get_meta("last_version") == "0.2.0"


def test_windows_seen_most_time_first_private_left_out(store: Store) -> None:
    store.record(sample(T0, app="code"))
    store.record(sample(T0 + 4, app="firefox", title="docs"))
    store.record(sample(T0 + 6, app="code"))
    store.record(sample(T0 + 8, app="", title="", exe="", activity=None, classification=Classification.PRIVATE))
    store.record(sample(T0 + 12, app="code"))
    code, docs = ("code", "main.py", "/usr/bin/code"), ("firefox", "docs", "/usr/bin/code")
    assert store.windows_seen(T0) == [(*code, 6.0), (*docs, 2.0)]
    assert store.windows_seen(T0 + 3) == [(*code, 3.0), (*docs, 2.0)]  # counted from ``since``


# --- retention ----------------------------------------------------------------


def test_prune_deletes_what_is_older_than_keep_days(store: Store) -> None:
    day = 86_400
    now = T0 + 10 * day
    for t in (T0, T0 + 2, T0 + 10 * day - 100, T0 + 10 * day - 98):
        store.record(sample(t))
    store.declare(Declaration(T0, "Old"))
    store.declare(Declaration(now - 10, "New"))
    store.add_nudge(Nudge(T0 + 1, None, Classification.UNCLASSIFIED, 1, 0, 1))
    store.add_nudge(Nudge(now - 5, None, Classification.UNCLASSIFIED, 1, 0, 1))
    store.save_journal(Journal(date(2026, 5, 28), done="kept"))
    assert store.prune(keep_days=7, now=now) == 3
    assert [(e.start - T0, e.end - T0) for e in store.events(0, 2e10)] == [(10 * day - 100, 10 * day - 98)]
    assert [d.activity for d in store.declarations()] == ["New"]
    assert [n.at for n in store.nudges(0, 2e10)] == [now - 5]
    assert store.journal(date(2026, 5, 28)).done == "kept"
    assert store.prune(keep_days=7, now=now) == 0


def test_delete_all_forgets_everything_including_the_open_event(tmp_path: Path) -> None:
    path = tmp_path / "fg.db"
    with Store(path, flush_every=60) as s:
        for t in (0, 2, 4):
            s.record(sample(T0 + t))
        s.declare(Declaration(T0, "Sales"))
        s.add_nudge(Nudge(T0, None, Classification.UNCLASSIFIED, 1, 0, 1))
        s.save_journal(Journal(date(2026, 5, 28), done="x"))
        s.set_meta("onboarded", "yes")
        s.delete_all()
        s.record(sample(T0 + 6))
        assert spans(s) == [(6, 6, "code", "priority")]
        assert s.declarations() == [] and s.nudges(0, 2e10) == []
        assert s.journal(date(2026, 5, 28)) is None
        assert s.get_meta("onboarded") == "yes"
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM events").fetchone() == (1,)


def test_the_days_declaration_is_read_again_only_after_the_file_changed(tmp_path: Path) -> None:
    """The app asks on every sample; the CLI may declare meanwhile in another process."""
    app, cli = Store(tmp_path / "fg.db"), Store(tmp_path / "fg.db")
    day = date(2026, 3, 2)
    at = datetime(2026, 3, 2, 9, tzinfo=UTC).timestamp()
    assert app.declaration_on(day, UTC) is None
    statements: list[str] = []
    app.db.conn.set_trace_callback(statements.append)
    assert app.declaration_on(day, UTC) is None
    assert not any("declarations" in sql for sql in statements)
    cli.declare(Declaration(at=at, activity="Sales", next_step="call Acme"))
    assert app.declaration_on(day, UTC) == Declaration(at=at, activity="Sales", next_step="call Acme")
    app.declare(Declaration(at=at + 60, activity="Writing", next_step=""))  # held in memory, then written
    assert app.declaration_on(day, UTC).activity == "Writing"
    app.close()
    cli.close()

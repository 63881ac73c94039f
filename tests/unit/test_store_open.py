"""Opening the database: a file that is not FocusGuard's, or that this version cannot
use, is refused with one clear message and left exactly as it was (bytes, mode,
modification time, no companions made); the CLI says it without a traceback.

The permission cases (a file of root's, a read-only folder) need a user other than
root and are in tests/e2e/test_security_e2e.py; a full disk is tested here on a
real, tiny tmpfs when running as root.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from focusguard.cli import main
from focusguard.store import SCHEMA_VERSION, Store, StoreError


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A real FocusGuard database, closed."""
    path = tmp_path / "data" / "focusguard.db"
    Store(path).close()
    return path


def snapshot(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file in ``folder``: its bytes, mode and modification time (ns)."""
    return {p.name: (p.read_bytes(), p.stat().st_mode, p.stat().st_mtime_ns)
            for p in sorted(folder.iterdir()) if p.is_file()}


def refused(path: Path, match: str, capsys: pytest.CaptureFixture[str], *, tried_to_write: bool = False) -> str:
    """Store and `focusguard report` both refuse ``path`` and change nothing in its folder
    (SQLite's empty -wal/-shm may appear when it ``tried_to_write``, the file itself stays)."""
    before = snapshot(path.parent)
    with pytest.raises(StoreError, match=match):
        Store(path)
    assert main(["--db", str(path), "report"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("focusguard: ") and "Traceback" not in err
    after = snapshot(path.parent)
    if tried_to_write:
        after = {name: file for name, file in after.items() if not name.endswith(("-wal", "-shm"))}
    assert after == before
    return err


def test_a_file_that_is_not_sqlite_is_refused_and_untouched(tmp_path: Path, capsys) -> None:
    path = tmp_path / "focusguard.db"
    path.write_text("my thesis, chapter 3\n")
    path.chmod(0o644)
    err = refused(path, "is not an SQLite database, so it is not FocusGuard's. It is left untouched", capsys)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644  # the message's "untouched" is true
    assert "FocusGuard then starts a new database" in err


def test_the_database_of_another_program_gets_no_tables(tmp_path: Path, capsys) -> None:
    path = tmp_path / "places.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
        conn.execute("INSERT INTO moz_places (url) VALUES ('https://example.org')")
    conn.close()
    path.chmod(0o644)
    refused(path, r"the SQLite database of another program \(tables moz_places\), not FocusGuard's", capsys)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # no WAL switched on
    conn.close()


def test_a_newer_schema_version_is_refused(db: Path, capsys) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA user_version = 999")
    conn.close()
    refused(db, rf"written by a newer FocusGuard \(schema version 999; this one reads up to {SCHEMA_VERSION}\)"
                r".*upgrade FocusGuard", capsys)


def test_a_newer_migration_is_refused_before_anything_is_written(db: Path, capsys) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                     "VALUES ('focusguard', '099_future', '')")
    conn.close()
    refused(db, r"newer FocusGuard \(migrations 099_future", capsys)


def test_a_column_renamed_by_hand_is_refused(db: Path, capsys) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("ALTER TABLE events RENAME COLUMN title TO titel")
    conn.close()
    refused(db, r"changed outside FocusGuard: the table events lacks title \(it has .*titel", capsys)


def test_a_table_dropped_by_hand_is_refused(db: Path, capsys) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE journal")
    conn.close()
    refused(db, r"the table journal lacks .*the table is missing", capsys)


def test_a_damaged_file_is_refused_and_may_be_moved_aside(tmp_path: Path, capsys) -> None:
    path = tmp_path / "focusguard.db"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    err = refused(path, "cannot be opened as FocusGuard's database", capsys)
    assert "move it aside" in err


@pytest.mark.parametrize("content", [b"", None], ids=["empty file", "empty database"])
def test_an_empty_file_or_database_becomes_ours(tmp_path: Path, content: bytes | None) -> None:
    path = tmp_path / "focusguard.db"
    if content is None:
        sqlite3.connect(path).close()  # an SQLite database without tables (0 bytes until written)
        with sqlite3.connect(path) as conn:
            conn.execute("PRAGMA user_version = 0")
            conn.execute("VACUUM")
        conn.close()
    else:
        path.write_bytes(content)
    path.chmod(0o644)
    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_database_of_ours_is_tightened_with_its_companions(db: Path) -> None:
    db.chmod(0o644)
    with Store(db):
        wal, shm = db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")
        assert {stat.S_IMODE(p.stat().st_mode) for p in (db, wal, shm)} == {0o600}


NEW_DATABASE_READER = """\
import sqlite3, sys, time
from pathlib import Path
path, deadline = Path(sys.argv[1]), time.monotonic() + 20
while not path.exists():
    assert time.monotonic() < deadline
with sqlite3.connect(path) as conn:  # the first moment the file is there
    print(sorted(row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")))
"""


def test_a_new_database_appears_whole(tmp_path: Path) -> None:
    """A reader that opens the file the moment it appears finds every table (never an
    empty file); four processes creating it at once all succeed on one database."""
    path = tmp_path / "data" / "focusguard.db"
    reader = subprocess.Popen([sys.executable, "-c", NEW_DATABASE_READER, str(path)],
                              stdout=subprocess.PIPE, text=True)
    makers = [subprocess.Popen([sys.executable, "-c", "import sys; from pathlib import Path; "
                                "from focusguard.store import Store; Store(Path(sys.argv[1])).close()", str(path)])
              for _ in range(4)]
    assert [m.wait(timeout=60) for m in makers] == [0] * 4
    out, _ = reader.communicate(timeout=60)
    assert "events" in out and "_sqlite_migrations" in out, out
    assert sorted(p.name for p in path.parent.iterdir()) == ["focusguard.db"]  # no temporary file left
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_migrating_records_the_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "fg.db"
    Store(path).close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    conn.close()


@pytest.mark.skipif(os.geteuid() != 0, reason="chown to another user needs root")
def test_a_link_made_by_another_user_is_not_followed(db: Path, capsys) -> None:
    link = db.with_name("linked.db")
    link.symlink_to(db)
    os.lchown(link, 4242, 4242)
    refused(link, "made by uid 4242. FocusGuard does not follow links made by another user", capsys)


# --- a full disk ------------------------------------------------------------------------

@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 600 KiB tmpfs (root only)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail(f"CI must be able to mount a tmpfs: {done.stderr}")
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def test_a_full_disk_at_start_is_said_and_the_database_kept(tiny_disk: Path, capsys) -> None:
    """An old database (one migration behind) must migrate at start; the disk is full."""
    path = tiny_disk / "focusguard.db"
    with Store(path) as store:
        store.set_meta("kept", "yes")
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = '003_import_keys'")
        conn.execute("DROP INDEX IF EXISTS idx_events_import_key")
        conn.execute("ALTER TABLE events DROP COLUMN import_key")
    conn.close()
    filler = tiny_disk / "filler"
    with open(filler, "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 4096)
                handle.flush()
        except OSError:
            pass
    err = refused(path, "is full", capsys, tried_to_write=True)
    assert "The database is intact: free some space" in err and "move it aside" not in err
    filler.unlink()
    with Store(path) as store:  # space back: it opens, migrates, and nothing was lost
        assert store.schema_version == SCHEMA_VERSION and store.get_meta("kept") == "yes"

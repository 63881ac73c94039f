"""The store's run-time connection and its migrations without sqlite-utils."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils
from sqlite_utils.migrations import Migrations

from focusguard.sqlitedb import Database, MigrationSet
from focusguard.store import MIGRATIONS, SCHEMA_VERSION, Store, StoreError


def memory() -> Database:
    db = Database(sqlite3.connect(":memory:"))
    db.execute("CREATE TABLE t (x INTEGER) STRICT")
    return db


def values(db: Database) -> list[int]:
    return [row[0] for row in db.execute("SELECT x FROM t ORDER BY x")]


def test_a_write_outside_a_transaction_is_committed_at_once(tmp_path: Path) -> None:
    db = Database(sqlite3.connect(tmp_path / "a.db"))
    db.execute("CREATE TABLE t (x INTEGER)")
    db.execute("INSERT INTO t VALUES (1)")
    other = sqlite3.connect(tmp_path / "a.db")
    assert other.execute("SELECT x FROM t").fetchall() == [(1,)]


def test_atomic_commits_all_or_nothing() -> None:
    db = memory()
    with db.atomic():
        db.execute("INSERT INTO t VALUES (1)")
        db.execute("INSERT INTO t VALUES (2)")
    with pytest.raises(RuntimeError), db.atomic():
        db.execute("INSERT INTO t VALUES (3)")
        raise RuntimeError("half way")
    assert values(db) == [1, 2]
    assert not db.conn.in_transaction


def test_a_nested_atomic_rolls_back_only_itself() -> None:
    db = memory()
    with db.atomic():
        db.execute("INSERT INTO t VALUES (1)")
        with pytest.raises(sqlite3.IntegrityError), db.atomic():
            db.execute("INSERT INTO t VALUES (2)")
            db.execute("INSERT INTO t VALUES ('not a number')")
        db.execute("INSERT INTO t VALUES (4)")
    assert values(db) == [1, 4]


def test_a_failed_commit_leaves_no_transaction_open(tmp_path: Path) -> None:
    db = Database(sqlite3.connect(tmp_path / "b.db"))
    db.execute("CREATE TABLE p (id INTEGER PRIMARY KEY)")
    db.execute("CREATE TABLE c (p INTEGER REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED)")
    db.execute("PRAGMA foreign_keys = ON")
    with pytest.raises(sqlite3.IntegrityError), db.atomic():
        db.execute("INSERT INTO c VALUES (7)")  # checked at COMMIT
    assert not db.conn.in_transaction
    assert db.execute("SELECT count(*) FROM c").fetchone()[0] == 0


def _set(applied: list[str]) -> MigrationSet:
    migrations = MigrationSet("demo")

    @migrations(name="001_one")
    def one(db: sqlite_utils.Database) -> None:
        applied.append("one")
        db.table("a").create({"id": int, "name": str}, pk="id")

    @migrations(name="002_two")
    def two(db: sqlite_utils.Database) -> None:
        applied.append("two")
        db.table("a").add_column("extra", float)

    return migrations


def test_migrations_apply_once_and_read_back_in_order() -> None:
    ran: list[str] = []
    migrations = _set(ran)
    db = Database(sqlite3.connect(":memory:"))
    assert migrations.pending(db) == ["001_one", "002_two"]
    migrations.apply(db, stop_before="002_two")
    assert migrations.applied(db) == ["001_one"]
    migrations.apply(db)
    migrations.apply(db)
    assert ran == ["one", "two"]
    assert migrations.applied(db) == ["001_one", "002_two"] and migrations.pending(db) == []
    assert db.columns() == {"a": {"id", "name", "extra"}}


def test_a_database_migrated_by_sqlite_utils_itself_reads_the_same() -> None:
    """Files written before this module existed were migrated by sqlite-utils' own
    Migrations object: their record is the same table."""
    conn = sqlite3.connect(":memory:")
    tool = Migrations("demo")
    tool(name="001_one")(lambda db: db.table("a").create({"id": int}, pk="id"))
    tool.apply(sqlite_utils.Database(conn))
    assert _set([]).applied(Database(conn)) == ["001_one"]


def test_expected_columns_follow_the_applied_prefix() -> None:
    migrations = _set([])
    assert migrations.expected_columns(frozenset({"001_one"})) == {"a": {"id", "name"}}
    assert migrations.expected_columns(frozenset({"001_one", "002_two"})) == {"a": {"id", "name", "extra"}}


def test_registering_a_name_twice_is_refused() -> None:
    migrations = _set([])
    with pytest.raises(ValueError, match="twice"):
        migrations(name="001_one")(lambda db: None)


def test_opening_a_current_database_does_not_import_sqlite_utils(tmp_path: Path) -> None:
    """The app's memory budget: sqlite-utils only when the schema changes."""
    path = tmp_path / "fg.db"
    Store(path).close()  # made here: migrated, columns recorded
    code = ("import sys; from pathlib import Path; from focusguard.store import Store; "
            f"s = Store(Path({str(path)!r}), background=True); s.close(); "
            "print(sorted(m for m in sys.modules if m.startswith('sqlite_utils')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_a_column_removed_by_hand_is_still_caught_from_the_recorded_columns(tmp_path: Path) -> None:
    path = tmp_path / "fg.db"
    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE journal DROP COLUMN change")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="journal lacks change"):
        Store(path)


def test_a_damaged_record_of_columns_is_derived_again(tmp_path: Path) -> None:
    path = tmp_path / "fg.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = '{not json' WHERE key = 'schema.columns'")
    conn.commit()
    conn.close()
    with Store(path) as store:  # derived with sqlite-utils, then recorded again
        recorded = store.db.execute("SELECT value FROM meta WHERE key = 'schema.columns'").fetchone()[0]
    assert '"migrations"' in recorded and MIGRATIONS.names[-1] in recorded

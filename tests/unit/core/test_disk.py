"""The database's size counts its WAL and shared-memory files (focusguard.core.disk)."""

from __future__ import annotations

from pathlib import Path

from focusguard.core.disk import database_files, database_size


def test_the_size_counts_the_wal_and_shm_files(tmp_path: Path) -> None:
    db = tmp_path / "fg.db"
    db.write_bytes(b"x" * 4096)
    assert database_size(db) == 4096
    (tmp_path / "fg.db-wal").write_bytes(b"x" * 2_000_000)
    (tmp_path / "fg.db-shm").write_bytes(b"x" * 32768)
    assert database_size(db) == 4096 + 2_000_000 + 32768
    assert [p.name for p in database_files(db)] == ["fg.db", "fg.db-wal", "fg.db-shm"]


def test_a_missing_database_takes_no_room(tmp_path: Path) -> None:
    assert database_size(tmp_path / "none.db") == 0

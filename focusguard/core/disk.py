"""How much room the history takes on disk: one answer for the settings and the doctor.

SQLite in WAL mode keeps recent writes in ``<db>-wal`` (and an index in ``<db>-shm``)
until a checkpoint, so the main file alone can say 4 KiB for a database holding
megabytes. Everything that shows the size counts all three files.
"""

from __future__ import annotations

from pathlib import Path

#: The files of one SQLite database in WAL mode, by suffix of the main file's name.
SIDE_FILES = ("-wal", "-shm")


def database_files(path: Path) -> tuple[Path, ...]:
    """The database and its write-ahead log and shared-memory index (present or not)."""
    return (path, *(path.with_name(path.name + suffix) for suffix in SIDE_FILES))


def database_size(path: Path) -> int:
    """Bytes the database takes with its WAL and shared-memory files: what deleting frees."""
    total = 0
    for file in database_files(path):
        try:
            total += file.stat().st_size
        except FileNotFoundError:
            continue  # no WAL yet, or checkpointed and removed between the calls
    return total

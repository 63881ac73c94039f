"""Migration 009's table (issue 16): finished days' summaries, each with the stamp of
its inputs (``day_cache``).

Apart from ``day_cache`` (the queries), so the store's migration list can load it
without importing the module that imports the store. Frozen: a later change to this
table is a new migration.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils  # the migration's table API


def create_tables(db: sqlite_utils.Database) -> None:
    """Creates day_cache: per local day and its start (a day in another time zone is
    another row), the stamp, the seconds by class alone (and by device), the whole
    summary (JSON, zlib-compressed)."""
    db.table("day_cache").create(
        {"day": str, "start": float, "stamp": str, "seconds": str, "summary": bytes, "kept_at": float},
        pk=("day", "start"), not_null={"stamp", "seconds", "summary", "kept_at"},
    )

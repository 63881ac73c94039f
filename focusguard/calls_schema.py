"""Migration 007's table (issue 15): calls, what the user said each was, and follow-ups.

Apart from ``store_calls`` (the queries), so the store's migration list can load it
without importing the module that imports the store. Frozen: a later change to this
table is a new migration.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils  # the migration's table API


def create_tables(db: sqlite_utils.Database) -> None:
    """Creates calls: start, end, app, title, kind (value, chill, unanswered), note, when
    answered, and when its follow-up (a value call's next step) was ticked."""
    db.table("calls").create(
        {"id": int, "start": float, "end": float, "app": str, "title": str, "kind": str, "note": str,
         "answered_at": float, "followup_done_at": float},
        pk="id", not_null={"start", "end", "app", "title", "kind", "note"},
    )
    db.table("calls").create_index(["start", "end"])

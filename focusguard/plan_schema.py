"""Migration 004's tables (issue 14): goals, their steps, and "Delegate this" answers.

Apart from ``store_plan`` (the queries), so the store's migration list can load it
without importing the module that imports the store. Frozen: a later change to
these tables is a new migration.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils  # the migration's table API

def create_tables(db: sqlite_utils.Database) -> None:
    """Creates goals, steps and delegations (see the module docstring)."""
    db.table("goals").create(
        {"id": int, "name": str, "activity": str, "created": float},
        pk="id", not_null={"name", "activity", "created"},
    )
    db.table("steps").create(
        {"id": int, "goal_id": int, "text": str, "position": int, "done_at": float},
        pk="id", not_null={"goal_id", "text", "position"},
        foreign_keys=[("goal_id", "goals", "id")],
    )
    db.table("steps").create_index(["goal_id", "position"])
    db.table("delegations").create(
        {"id": int, "at": float, "nudge_id": int, "activity": str, "app": str, "title": str,
         "seconds": float, "note": str},
        pk="id", not_null={"at", "app", "title", "seconds", "note"},
    )
    db.table("delegations").create_index(["at"])

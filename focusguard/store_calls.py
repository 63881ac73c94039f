"""Calls in the database (issue 15): one row a call, with what the user said it was.

Beside ``focusguard.store``: the queries of one feature in one module, on the
store's connection. A call is written once, when it ends (a few a day), and
answered later from the card, the tray menu or the summary; both are read back at
once (the summary's list, the tray's "calls to answer"), so they are written at
once (``Store.write_now``), never queued behind the event log.

A value call's note is its next step: it is a follow-up until ticked
(``followup_done_at``). The table itself is migration 007's (``calls_schema``).
"""

from __future__ import annotations

from focusguard.core.calls import Call, CallKind, clean_note
from focusguard.sqlitedb import Database
from focusguard.store import MAX_TITLE_CHARS, Store, clean_text

_COLUMNS = 'id, start, "end", app, title, kind, note'


def _call(row: tuple) -> Call:
    return Call(row[1], row[2], row[3], row[4], CallKind(row[5]), row[6], row[0])


class CallLog:
    """The calls of one `Store`."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def add(self, call: Call) -> Call:
        """Stores an ended call; returns it with its id."""
        if call.end is None:
            raise ValueError("only an ended call is stored")
        app, title = clean_text(call.app), clean_text(call.title, MAX_TITLE_CHARS)

        def job(db: Database) -> int:
            with db.atomic():
                return int(db.execute(
                    'INSERT INTO calls (start, "end", app, title, kind, note) VALUES (?, ?, ?, ?, ?, ?)',
                    (call.start, call.end, app, title, call.kind.value, clean_note(call.note))).lastrowid or 0)

        return Call(call.start, call.end, app, title, call.kind, clean_note(call.note), self.store.write_now(job))

    def answer(self, call_id: int, kind: CallKind, note: str, at: float) -> Call:
        """What the user said the call was (again: a later answer replaces an earlier one).
        Raises KeyError for a call that is not there (deleted meanwhile)."""
        note = clean_note(note)

        def job(db: Database) -> int:
            with db.atomic():
                return db.execute("UPDATE calls SET kind = ?, note = ?, answered_at = ? WHERE id = ?",
                                  (kind.value, note, at, call_id)).rowcount

        if not self.store.write_now(job):
            raise KeyError(f"no call with number {call_id}")
        return self.call(call_id)

    def call(self, call_id: int) -> Call:
        row = self.store.db.execute(f"SELECT {_COLUMNS} FROM calls WHERE id = ?", (call_id,)).fetchone()
        if row is None:
            raise KeyError(f"no call with number {call_id}")
        return _call(row)

    def calls(self, start: float, end: float) -> list[Call]:
        """Calls overlapping [start, end), oldest first (a call across midnight is in both days)."""
        rows = self.store.db.execute(
            f'SELECT {_COLUMNS} FROM calls WHERE start < ? AND "end" > ? ORDER BY start, id', (end, start))
        return [_call(row) for row in rows]

    def unanswered(self, since: float) -> list[Call]:
        """Calls ended since ``since`` that still wait for "value or chill?", oldest first."""
        rows = self.store.db.execute(
            f'SELECT {_COLUMNS} FROM calls WHERE kind = ? AND "end" >= ? ORDER BY start, id',
            (CallKind.UNANSWERED.value, since))
        return [_call(row) for row in rows]

    def followups(self, *, include_done_since: float | None = None) -> list[tuple[Call, bool]]:
        """Value calls with a next step: (call, ticked), oldest first; ticked ones only
        when ticked since ``include_done_since`` (today's, so a tick can be undone)."""
        rows = self.store.db.execute(
            f"SELECT {_COLUMNS}, followup_done_at FROM calls WHERE kind = ? AND note != '' "
            "AND (followup_done_at IS NULL OR followup_done_at >= ?) ORDER BY start, id",
            (CallKind.VALUE.value, float("inf") if include_done_since is None else include_done_since))
        return [(_call(row[:7]), row[7] is not None) for row in rows]

    def tick_followup(self, call_id: int, done: bool, at: float) -> None:
        def job(db: Database) -> int:
            with db.atomic():
                return db.execute("UPDATE calls SET followup_done_at = ? WHERE id = ?",
                                  (at if done else None, call_id)).rowcount

        if not self.store.write_now(job):
            raise KeyError(f"no call with number {call_id}")

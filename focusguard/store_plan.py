"""Goals, their steps and "Delegate this" answers in the database (issue 14).

Beside ``focusguard.store`` rather than in it: the queries of one feature in one
module, on the store's connection. These are the user's own edits, few and read back
at once (the settings page, `focusguard goal list` right after `goal add`), so they
are written at once on the store's own connection (``Store.write_now``), not queued
behind the event log; in the app that is the GUI thread's one short transaction.
Every change of order rewrites positions 1..n as ``core.plan`` computed them.
"""

from __future__ import annotations

from collections.abc import Sequence

from focusguard.core import plan
from focusguard.core.delegate import Delegation, clean_note
from focusguard.core.plan import Goal, PlanError, Step
from focusguard.sqlitedb import Database
from focusguard.store import MAX_TITLE_CHARS, Store, clean_text


class PlanStore:
    """The goals and delegations of one `Store`. Raises PlanError for an unknown goal
    or step, with the words to say."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._cached: tuple[tuple[object, ...], tuple[Goal, ...]] | None = None

    @property
    def _db(self) -> Database:
        return self.store.db

    # --- goals and steps: reads ---

    def goals(self) -> list[Goal]:
        """Every goal, oldest first, each with its steps in order. Read again only after
        a write, by any connection (``Store.file_version``): the tray's tooltip asks on
        every sample."""
        key = self.store.file_version()
        if self._cached is None or self._cached[0] != key:
            self._cached = key, self._read_goals()
        return list(self._cached[1])

    def _read_goals(self) -> tuple[Goal, ...]:
        steps: dict[int, list[Step]] = {}
        for step_id, goal_id, text, position, done_at in self._db.execute(
                "SELECT id, goal_id, text, position, done_at FROM steps"):
            steps.setdefault(goal_id, []).append(Step(step_id, text, position, done_at))
        return tuple(Goal(goal_id, name, activity, created, plan.ordered(steps.get(goal_id, ())))
                     for goal_id, name, activity, created in self._db.execute(
                         "SELECT id, name, activity, created FROM goals ORDER BY created, id"))

    def goal(self, goal_id: int) -> Goal:
        for goal in self.goals():
            if goal.id == goal_id:
                return goal
        raise PlanError(f"no goal with number {goal_id} (it may have been removed meanwhile)")

    # --- goals and steps: writes ---

    def add_goal(self, name: str, activity: str, at: float) -> Goal:
        cleaned = plan.clean(name, "goal's name")

        def job(db: Database) -> int:
            with db.atomic():
                return int(db.execute("INSERT INTO goals (name, activity, created) VALUES (?, ?, ?)",
                                      (cleaned, activity, at)).lastrowid or 0)

        return self.goal(self.store.write_now(job))

    def rename_goal(self, goal_id: int, name: str) -> Goal:
        cleaned = plan.clean(name, "goal's name")
        self._write(goal_id, [("UPDATE goals SET name = ? WHERE id = ?", (cleaned, goal_id))])
        return self.goal(goal_id)

    def set_goal_activity(self, goal_id: int, activity: str) -> Goal:
        self._write(goal_id, [("UPDATE goals SET activity = ? WHERE id = ?", (activity, goal_id))])
        return self.goal(goal_id)

    def remove_goal(self, goal_id: int) -> Goal:
        """Removes the goal and its steps; returns what was removed."""
        goal = self.goal(goal_id)
        self._write(goal_id, [("DELETE FROM steps WHERE goal_id = ?", (goal_id,)),
                              ("DELETE FROM goals WHERE id = ?", (goal_id,))])
        return goal

    def add_step(self, goal_id: int, text: str, at: int | None = None) -> Step:
        """Adds a step at number ``at`` (default: last); returns it."""
        cleaned = plan.clean(text, "step")
        goal = self.goal(goal_id)
        order = plan.appended(goal.steps, Step(0, cleaned, 0), at)  # id 0: the new one
        position = next(s.position for s in order if s.id == 0)

        def job(db: Database) -> int:
            with db.atomic():
                _positions(db, [s for s in order if s.id != 0])
                return int(db.execute("INSERT INTO steps (goal_id, text, position) VALUES (?, ?, ?)",
                                      (goal_id, cleaned, position)).lastrowid or 0)

        step_id = self.store.write_now(job)
        return next(s for s in self.goal(goal_id).steps if s.id == step_id)

    def edit_step(self, goal_id: int, step_id: int, text: str) -> Step:
        cleaned = plan.clean(text, "step")
        self._step(goal_id, step_id)
        self._write(goal_id, [("UPDATE steps SET text = ? WHERE id = ?", (cleaned, step_id))])
        return self._step(goal_id, step_id)

    def move_step(self, goal_id: int, step_id: int, to: int) -> Goal:
        order = plan.moved(self.goal(goal_id).steps, step_id, to)

        def job(db: Database) -> None:
            with db.atomic():
                _positions(db, order)

        self.store.write_now(job)
        return self.goal(goal_id)

    def remove_step(self, goal_id: int, step_id: int) -> Step:
        step = self._step(goal_id, step_id)
        rest = plan.renumbered([s for s in self.goal(goal_id).steps if s.id != step_id])

        def job(db: Database) -> None:
            with db.atomic():
                db.execute("DELETE FROM steps WHERE id = ?", (step_id,))
                _positions(db, rest)

        self.store.write_now(job)
        return step

    def tick(self, goal_id: int, step_id: int, at: float | None) -> Step:
        """Ticks the step at ``at`` (None: unticks it); a ticked step keeps its first time."""
        steps = plan.ticked(self.goal(goal_id).steps, step_id, at)
        done_at = next(s.done_at for s in steps if s.id == step_id)
        self._write(goal_id, [("UPDATE steps SET done_at = ? WHERE id = ?", (done_at, step_id))])
        return self._step(goal_id, step_id)

    def _step(self, goal_id: int, step_id: int) -> Step:
        for step in self.goal(goal_id).steps:
            if step.id == step_id:
                return step
        raise PlanError(f"no step with id {step_id} in goal {goal_id} (it may have been removed meanwhile)")

    def _write(self, goal_id: int, statements: Sequence[tuple[str, tuple]]) -> None:
        self.goal(goal_id)  # an unknown goal is said, not silently updated

        def job(db: Database) -> None:
            with db.atomic():
                for sql, values in statements:
                    db.execute(sql, values)

        self.store.write_now(job)

    # --- delegations ---

    def add_delegation(self, at: float, activity: str | None, app: str, title: str, seconds: float,
                       note: str = "", nudge_id: int | None = None) -> Delegation:
        row = (at, nudge_id, activity, clean_text(app), clean_text(title, MAX_TITLE_CHARS), max(seconds, 0.0),
               clean_note(note))

        def job(db: Database) -> int:
            with db.atomic():
                return int(db.execute("INSERT INTO delegations (at, nudge_id, activity, app, title, seconds, note) "
                                      "VALUES (?, ?, ?, ?, ?, ?, ?)", row).lastrowid or 0)

        delegation_id = self.store.write_now(job)
        return Delegation(delegation_id, at, activity, row[3], row[4], row[5], row[6], nudge_id)

    def set_delegation_note(self, delegation_id: int, note: str) -> None:
        def job(db: Database) -> int:
            with db.atomic():
                return db.execute("UPDATE delegations SET note = ? WHERE id = ?",
                                  (clean_note(note), delegation_id)).rowcount

        if not self.store.write_now(job):
            raise PlanError(f"no delegated item {delegation_id} (it may have been deleted meanwhile)")

    def delegations(self, start: float, end: float) -> list[Delegation]:
        """Delegations with ``at`` in [start, end), oldest first."""
        return [Delegation(*row) for row in self._db.execute(
            "SELECT id, at, activity, app, title, seconds, note, nudge_id FROM delegations "
            "WHERE at >= ? AND at < ? ORDER BY at, id", (start, end))]


def _positions(db: Database, steps: Sequence[Step]) -> None:
    db.conn.executemany("UPDATE steps SET position = ? WHERE id = ?", [(s.position, s.id) for s in steps])

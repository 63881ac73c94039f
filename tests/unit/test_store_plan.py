"""Goals, steps and delegations in the database (store_plan.py): the migration keeps
today's rows, edits are read back at once (from another connection too), positions
stay 1..n, delete-all and retention cover the new tables."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
import sqlite_utils
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from focusguard.core.model import Classification, Classified, Declaration, Sample
from focusguard.core.plan import PlanError
from focusguard.store import MIGRATIONS, SCHEMA_VERSION, Journal, Store
from focusguard.store_plan import PlanStore

T0 = 1_780_000_000.0


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "focusguard.db", flush_every=0) as s:
        yield s


def test_the_migration_from_a_version_3_database_keeps_every_row(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(sqlite3.connect(path))
    MIGRATIONS.apply(db, stop_before="004_goals_and_delegations")
    db.execute("INSERT INTO events (start, \"end\", app, title, exe, activity, classification) "
               "VALUES (1, 5, 'code', 'a.py', '/bin/code', 'Code', 'priority')")
    db.execute("INSERT INTO declarations (at, activity, next_step) VALUES (1, 'Code', 'ship it')")
    db.execute("INSERT INTO journal (day, done, todo, \"change\", tomorrow_activity, tomorrow_next_step, saved_at) "
               "VALUES ('2026-11-25', 'a', 'b', 'c', 'Code', 'd', 9)")
    db.conn.commit()
    before = {t: list(db.execute(f"SELECT * FROM {t}")) for t in ("events", "declarations", "journal")}
    db.close()
    with Store(path) as s:
        assert s.schema_version == SCHEMA_VERSION
        assert {t: list(s.db.execute(f"SELECT * FROM {t}")) for t in before} == before
        goal = PlanStore(s).add_goal("Ship v2", "Code", T0)
        assert PlanStore(s).goals() == [goal]


def test_goals_and_steps_are_read_back_at_once_and_by_another_process(store: Store) -> None:
    plans = PlanStore(store)
    goal = plans.add_goal("  Five new   clients ", "Sales", T0)
    assert goal.name == "Five new clients" and goal.steps == ()
    acme = plans.add_step(goal.id, "Call Acme")
    plans.add_step(goal.id, "Email Bob")
    first = plans.add_step(goal.id, "Draft the offer", at=1)
    assert [s.text for s in plans.goal(goal.id).steps] == ["Draft the offer", "Call Acme", "Email Bob"]
    plans.move_step(goal.id, first.id, 3)
    plans.tick(goal.id, acme.id, T0 + 60)
    plans.edit_step(goal.id, acme.id, "Call Acme about Q2")
    plans.rename_goal(goal.id, "Six clients")
    with Store(store.path) as other:  # the CLI and the app share the file
        again = PlanStore(other).goal(goal.id)
    assert again.name == "Six clients"
    assert [(s.text, s.position, s.done_at) for s in again.steps] == [
        ("Call Acme about Q2", 1, T0 + 60), ("Email Bob", 2, None), ("Draft the offer", 3, None)]


def test_removing_a_step_renumbers_and_removing_a_goal_takes_its_steps(store: Store) -> None:
    plans = PlanStore(store)
    goal = plans.add_goal("g", "Sales", T0)
    a, b, c = (plans.add_step(goal.id, t) for t in "abc")
    plans.remove_step(goal.id, b.id)
    assert [(s.id, s.position) for s in plans.goal(goal.id).steps] == [(a.id, 1), (c.id, 2)]
    removed = plans.remove_goal(goal.id)
    assert len(removed.steps) == 2 and plans.goals() == []
    assert store.db.execute("SELECT COUNT(*) FROM steps").fetchone() == (0,)


def test_unknown_goals_and_steps_and_empty_text_are_refused_with_a_sentence(store: Store) -> None:
    plans = PlanStore(store)
    goal = plans.add_goal("g", "Sales", T0)
    with pytest.raises(PlanError, match="no goal with number 99"):
        plans.rename_goal(99, "x")
    with pytest.raises(PlanError, match="no step with id 5"):
        plans.edit_step(goal.id, 5, "x")
    with pytest.raises(PlanError, match="the step is empty"):
        plans.add_step(goal.id, "   ")
    with pytest.raises(PlanError, match="no delegated item 3"):
        plans.set_delegation_note(3, "x")


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.lists(st.tuples(st.integers(0, 9), st.integers(1, 10)), min_size=1, max_size=8))
def test_positions_stay_one_to_n_whatever_the_moves(store: Store, moves: list[tuple[int, int]]) -> None:
    plans = PlanStore(store)
    goal = plans.add_goal("g", "Sales", T0)
    for n in range(6):
        plans.add_step(goal.id, f"s{n}")
    for pick, to in moves:
        current = plans.goal(goal.id).steps
        plans.move_step(goal.id, current[pick % len(current)].id, min(to, len(current)))
    assert [s.position for s in plans.goal(goal.id).steps] == [1, 2, 3, 4, 5, 6]
    plans.remove_goal(goal.id)


def test_delegations_keep_their_line_and_go_with_retention_and_delete_all(store: Store) -> None:
    plans = PlanStore(store)
    old = plans.add_delegation(T0, "Code", "Terminal", "deploy\x00.sh", 90.0, "  to   Sam ", nudge_id=4)
    new = plans.add_delegation(T0 + 40 * 86400, "Code", "code", "x.py", 30.0)
    assert (old.title, old.note) == ("deploy.sh", "to Sam")
    plans.set_delegation_note(new.id, "to the agency")
    assert [d.note for d in plans.delegations(0, 2e10)] == ["to Sam", "to the agency"]
    assert plans.delegations(T0 + 1, 2e10) == [plans.delegations(0, 2e10)[1]]
    store.prune(30, T0 + 45 * 86400)
    assert [d.id for d in plans.delegations(0, 2e10)] == [new.id]
    plans.add_step(plans.add_goal("g", "Sales", T0).id, "a")
    store.declare(Declaration(T0, "Sales", "a"))
    store.record(Classified(Sample(T0, "code", "t"), "Code", Classification.PRIORITY))
    store.save_journal(Journal(day=date(2026, 5, 28), done="x"))
    store.delete_all()
    store.flush()
    for table in ("goals", "steps", "delegations"):
        assert store.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone() == (0,)


def test_goals_read_once_are_read_again_after_any_write_from_any_connection(store: Store) -> None:
    plans = PlanStore(store)
    goal = plans.add_goal("g", "Sales", T0)
    assert plans.goals() == plans.goals()  # the second from memory
    with Store(store.path) as other:  # the CLI, while the app runs
        PlanStore(other).add_step(goal.id, "written elsewhere")
    assert [s.text for s in plans.goal(goal.id).steps] == ["written elsewhere"]
    store.db.execute("UPDATE goals SET name = 'renamed by hand' WHERE id = ?", (goal.id,))  # this connection
    assert plans.goal(goal.id).name == "renamed by hand"
    plans.goals().clear()  # a caller's list is its own
    assert plans.goals() != []

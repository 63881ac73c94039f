"""Goals, steps, delegations, calls and block moves travel through the sync folder
(issue 16): two devices' real stores and real files, the folder shared by being the
same folder. Edits are stamped by the database's clock (migration 008's triggers),
so edits meant to be later than another device's wait a few milliseconds."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_sync import DAY, T9, Device, two_devices

from focusguard.core import sync_format as fmt
from focusguard.core.blocks import BlockMove
from focusguard.core.calls import Call, CallKind
from focusguard.core.plan import Goal
from focusguard.store_blocks import BlockStore
from focusguard.store_calls import CallLog
from focusguard.store_plan import PlanStore
from focusguard.syncfolder import day_files

Pair = tuple[Device, Device, Path]


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    yield from two_devices(tmp_path)


def later() -> None:
    """The next edit's stamp is after the last one's (the clock counts milliseconds)."""
    time.sleep(0.005)


def sync(*devices: Device, folder: Path) -> list[int]:
    """Each device publishes and merges, in turn; how many edits each applied."""
    return [d.engine(folder).run().applied for d in devices]


def plan(d: Device) -> list[tuple[str, str, list[tuple[str, int, bool]]]]:
    return [(g.name, g.activity, [(s.text, s.position, s.done_at is not None) for s in g.steps])
            for g in PlanStore(d.store).goals()]


def uids(d: Device, table: str) -> list[str]:
    return [r[0] for r in d.store.db.execute(f"SELECT uid FROM {table} ORDER BY uid")]


def published_items(d: Device, folder: Path) -> list[fmt.Change]:
    return [c for e in day_files(folder, d.identity.id) for c in fmt.decode_day(e.path.read_bytes()).items]


def test_a_goal_and_its_steps_made_on_one_device_show_on_the_other_and_edits_travel_back(pair: Pair) -> None:
    desk, laptop, folder = pair
    rows = PlanStore(desk.store)
    goal = rows.add_goal("Ship v2", "Code", T9)
    first = rows.add_step(goal.id, "write the merge")
    rows.add_step(goal.id, "test it")
    rows.tick(goal.id, first.id, T9 + 60)
    assert sync(desk, laptop, folder=folder) == [0, 3]
    assert plan(laptop) == plan(desk) == [("Ship v2", "Code", [("write the merge", 1, True), ("test it", 2, False)])]
    assert uids(laptop, "goals") == uids(desk, "goals") and uids(laptop, "steps") == uids(desk, "steps")
    assert published_items(laptop, folder) == [], "what the laptop took is the desk's to publish"

    later()
    theirs = PlanStore(laptop.store)
    got: Goal = theirs.goals()[0]
    theirs.rename_goal(got.id, "Ship v2 this week")
    theirs.move_step(got.id, got.steps[1].id, 1)
    theirs.tick(got.id, got.steps[0].id, None)
    assert sync(laptop, desk, folder=folder) == [0, 3]
    assert plan(desk) == plan(laptop) == [("Ship v2 this week", "Code",
                                          [("test it", 1, False), ("write the merge", 2, False)])]
    assert {c.version.device for c in published_items(laptop, folder)} == {laptop.identity.id}
    assert sync(desk, laptop, folder=folder) == [0, 0], "nothing new: nothing applied"


def test_the_same_step_edited_on_both_devices_keeps_the_later_edit_on_both(pair: Pair) -> None:
    desk, laptop, folder = pair
    goal = PlanStore(desk.store).add_goal("Ship v2", "Code", T9)
    PlanStore(desk.store).add_step(goal.id, "write it")
    sync(desk, laptop, folder=folder)
    g_desk, g_laptop = PlanStore(desk.store).goals()[0], PlanStore(laptop.store).goals()[0]
    PlanStore(desk.store).edit_step(g_desk.id, g_desk.steps[0].id, "write it (desk)")
    later()
    PlanStore(laptop.store).edit_step(g_laptop.id, g_laptop.steps[0].id, "write it (laptop)")
    sync(desk, laptop, desk, folder=folder)
    assert plan(desk) == plan(laptop) == [("Ship v2", "Code", [("write it (laptop)", 1, False)])]


def test_removing_a_goal_travels_and_an_older_edit_made_elsewhere_does_not_bring_it_back(pair: Pair) -> None:
    desk, laptop, folder = pair
    goal = PlanStore(desk.store).add_goal("Ship v2", "Code", T9)
    PlanStore(desk.store).add_step(goal.id, "write it")
    PlanStore(desk.store).add_goal("Hire", "Sales", T9)
    sync(desk, laptop, folder=folder)
    theirs = next(g for g in PlanStore(laptop.store).goals() if g.name == "Ship v2")
    PlanStore(laptop.store).tick(theirs.id, theirs.steps[0].id, T9 + 60)  # on the laptop, first
    later()
    PlanStore(desk.store).remove_goal(goal.id)  # then removed on the desk
    sync(desk, laptop, desk, laptop, folder=folder)
    assert [g.name for g in PlanStore(laptop.store).goals()] == [g.name for g in PlanStore(desk.store).goals()] == [
        "Hire"]
    assert laptop.store.db.execute("SELECT COUNT(*) FROM steps").fetchone()[0] == 0


def test_an_edit_made_after_a_removal_elsewhere_brings_the_item_back_on_both(pair: Pair) -> None:
    desk, laptop, folder = pair
    goal = PlanStore(desk.store).add_goal("Ship v2", "Code", T9)
    sync(desk, laptop, folder=folder)
    PlanStore(desk.store).remove_goal(goal.id)
    later()
    PlanStore(laptop.store).rename_goal(PlanStore(laptop.store).goals()[0].id, "Ship v2, still")
    sync(desk, laptop, desk, folder=folder)
    assert [g.name for g in PlanStore(desk.store).goals()] == [g.name for g in PlanStore(laptop.store).goals()] == [
        "Ship v2, still"]


def test_a_delegation_a_block_move_and_a_call_answer_made_on_one_device_count_on_the_other(pair: Pair) -> None:
    desk, laptop, folder = pair
    PlanStore(desk.store).add_delegation(T9 + 300, "Code", "firefox", "Invoices - Mail", 240.0, "to Sam", nudge_id=7)
    move = BlockMove("deep-work", DAY, T9, T9 + 3600, T9 + 7200, T9 + 10800, T9 + 100)
    BlockStore(desk.store).add_move(move)
    calls = CallLog(desk.store)
    call = calls.add(Call(T9 + 600, T9 + 1800, "zoom", "Acme weekly", CallKind.UNANSWERED))
    assert sync(desk, laptop, folder=folder) == [0, 3]
    assert call.id is not None
    calls.answer(call.id, CallKind.VALUE, "send the quote", T9 + 2000)
    sync(desk, laptop, folder=folder)
    [delegated] = PlanStore(laptop.store).delegations(T9, T9 + 3600)
    assert (delegated.app, delegated.title, delegated.seconds, delegated.note, delegated.nudge_id) == (
        "firefox", "Invoices - Mail", 240.0, "to Sam", None)  # the desk's nudge is not the laptop's
    assert BlockStore(laptop.store).moves(DAY, DAY, T9, T9 + 86400) == [move]
    [theirs] = CallLog(laptop.store).calls(T9, T9 + 3600)
    assert (theirs.kind, theirs.note, theirs.app) == (CallKind.VALUE, "send the quote", "zoom")

    later()  # a follow-up ticked on the laptop is ticked on the desk
    CallLog(laptop.store).tick_followup(theirs.id or 0, True, T9 + 5000)
    sync(laptop, desk, folder=folder)
    assert CallLog(desk.store).followups() == []  # ticked: no longer open
    assert CallLog(desk.store).followups(include_done_since=T9)[0][1] is True


def test_a_file_seen_twice_applies_nothing_the_second_time(pair: Pair) -> None:
    desk, laptop, folder = pair
    PlanStore(desk.store).add_goal("Ship v2", "Code", T9)
    sync(desk, laptop, folder=folder)
    before = laptop.store.db.execute("SELECT uid, name, changed_at, origin FROM goals").fetchall()
    laptop.store.db.execute("DELETE FROM sync_files")  # forget having read it: read again
    assert laptop.engine(folder).run().applied == 0
    assert laptop.store.db.execute("SELECT uid, name, changed_at, origin FROM goals").fetchall() == before
    assert before[0][3] == desk.identity.id


def test_a_step_read_before_its_goal_waits_for_it(pair: Pair) -> None:
    desk, laptop, folder = pair
    goal = PlanStore(desk.store).add_goal("Ship v2", "Code", T9)
    PlanStore(desk.store).add_step(goal.id, "write it")
    desk.engine(folder).publish()
    goal_file = next(e.path for e in day_files(folder, desk.identity.id))
    data = fmt.decode_day(goal_file.read_bytes())  # the goal's and step's file, rewritten without the goal
    records = [fmt.item_record(c.kind, c.uid, c.version.at, c.fields) for c in data.items if c.kind == "step"]
    goal_file.write_bytes(fmt.encode_day(desk.identity.id, "desk", data.header.day, data.header.written_at, records))
    assert laptop.engine(folder).run().applied == 0
    assert plan(laptop) == []
    desk.engine(folder).publish()  # the whole file again: the goal arrives, the waiting step with it
    assert laptop.engine(folder).run().applied == 2
    assert plan(laptop) == [("Ship v2", "Code", [("write it", 1, False)])]


def test_delete_all_data_on_one_device_deletes_nothing_on_the_other(pair: Pair) -> None:
    desk, laptop, folder = pair
    PlanStore(desk.store).add_goal("Ship v2", "Code", T9)
    sync(desk, laptop, folder=folder)
    laptop.store.delete_all()
    laptop.store.flush()
    assert laptop.store.db.execute("SELECT COUNT(*) FROM sync_tombstones").fetchone()[0] == 0
    sync(laptop, desk, folder=folder)
    assert [g.name for g in PlanStore(desk.store).goals()] == ["Ship v2"]


def test_rows_get_a_stable_uid_at_insert_and_a_new_stamp_at_each_edit(pair: Pair) -> None:
    desk, _, _ = pair
    rows = PlanStore(desk.store)
    goal = rows.add_goal("Ship v2", "Code", T9)
    uid, stamp, origin = desk.store.db.execute("SELECT uid, changed_at, origin FROM goals").fetchone()
    assert len(uid) == 32 and origin is None and stamp == pytest.approx(time.time(), abs=5)
    later()
    rows.rename_goal(goal.id, "Ship v3")
    uid2, stamp2, _ = desk.store.db.execute("SELECT uid, changed_at, origin FROM goals").fetchone()
    assert uid2 == uid and stamp2 > stamp
    rows.remove_goal(goal.id)
    assert desk.store.db.execute("SELECT uid, kind, origin FROM sync_tombstones").fetchall() == [(uid, "goal", None)]


def test_rows_from_before_the_migration_get_their_uid_and_their_own_time(tmp_path: Path) -> None:
    import sqlite3

    import sqlite_utils

    from focusguard.store import MIGRATIONS, Store

    path = tmp_path / "focusguard.db"
    conn = sqlite3.connect(path)
    MIGRATIONS._tool().apply(sqlite_utils.Database(conn), stop_before="008_sync_ids")
    conn.execute("INSERT INTO goals (name, activity, created) VALUES ('Ship v2', 'Code', ?)", (T9,))
    conn.execute("INSERT INTO steps (goal_id, text, position, done_at) VALUES (1, 'write it', 1, ?)", (T9 + 60,))
    conn.execute('INSERT INTO calls (start, "end", app, title, kind, note) VALUES (?, ?, \'zoom\', \'\', '
                 "'unanswered', '')", (T9, T9 + 600))
    conn.commit()
    conn.close()
    with Store(path) as store:
        rows = store.db.execute("SELECT uid, changed_at, origin FROM goals UNION ALL SELECT uid, changed_at, origin "
                                "FROM steps UNION ALL SELECT uid, changed_at, origin FROM calls").fetchall()
    assert [(len(uid), at, origin) for uid, at, origin in rows] == [(32, T9, None), (32, T9 + 60, None),
                                                                    (32, T9 + 600, None)]
    assert len({uid for uid, _, _ in rows}) == 3


def test_adding_a_step_on_one_device_does_not_undo_a_tick_of_another_step_made_elsewhere(pair: Pair) -> None:
    """Adding a step rewrites the goal's positions; the steps whose position stays are
    not edits, so the laptop's earlier tick of one of them is kept on both."""
    desk, laptop, folder = pair
    goal = PlanStore(desk.store).add_goal("Ship v2", "Code", T9)
    PlanStore(desk.store).add_step(goal.id, "write it")
    sync(desk, laptop, folder=folder)
    theirs = PlanStore(laptop.store).goals()[0]
    PlanStore(laptop.store).tick(theirs.id, theirs.steps[0].id, T9 + 60)
    later()
    PlanStore(desk.store).add_step(goal.id, "test it")
    sync(desk, laptop, desk, folder=folder)
    assert plan(desk) == plan(laptop) == [("Ship v2", "Code", [("write it", 1, True), ("test it", 2, False)])]


def test_items_a_database_had_before_its_upgrade_are_published_once_whatever_their_time(pair: Pair) -> None:
    """A device that published before migration 008: its old goal (its time months back)
    reaches the folder at the first publish after the upgrade."""
    desk, laptop, folder = pair
    desk.engine(folder).publish()
    goal = PlanStore(desk.store).add_goal("Ship v2", "Code", T9 - 100 * 86400)
    desk.store.db.execute("UPDATE goals SET changed_at = created WHERE id = ?", (goal.id,))  # as 008 stamps it
    desk.store.db.execute("DELETE FROM meta WHERE key = 'sync.published_rows'")  # published before the upgrade
    assert desk.engine(folder).publish() == 1
    assert laptop.engine(folder).run().applied == 1
    assert plan(laptop) == [("Ship v2", "Code", [])]


def test_an_item_the_database_refuses_is_said_and_the_others_are_applied(pair: Pair) -> None:
    """Say a goal's name the database cannot take (here a trigger of the test's own
    refuses it): that one item is reported, the others of the same files still count."""
    desk, laptop, folder = pair
    PlanStore(desk.store).add_goal("Ship v2", "Code", T9)
    PlanStore(desk.store).add_goal("Refused", "Code", T9)
    laptop.store.db.execute("CREATE TRIGGER refuse BEFORE INSERT ON goals WHEN NEW.name = 'Refused' "
                            "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END")
    desk.engine(folder).run()
    result = laptop.engine(folder).run()
    assert result.applied == 1 and [g.name for g in PlanStore(laptop.store).goals()] == ["Ship v2"]
    [problem] = result.problems
    assert problem.startswith("an edit: a goal (") and "refused by the test" in problem

"""The item merge of ``core.merge_records``, on plain values with an injected clock:
latest change wins per stable id, tombstones too, and every device converges."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from focusguard.core import merge_records as mr
from focusguard.core.merge_records import Change, ItemError, Version, latest, to_apply

T = 1_795_660_800.0  # 2026-11-26 00:00 UTC: the injected clock's start
DESK, LAPTOP = "a" * 32, "b" * 32


def goal(uid: str, at: float, device: str, name: str = "Ship v2") -> Change:
    return Change(mr.GOAL, uid, Version(at, device), {"name": name, "activity": "Code", "created": T})


def step(uid: str, at: float, device: str, goal_uid: str = "g1", text: str = "write it") -> Change:
    return Change(mr.STEP, uid, Version(at, device), {"goal": goal_uid, "text": text, "position": 1.0,
                                                      "done_at": None})


def deleted(kind: str, uid: str, at: float, device: str) -> Change:
    return Change(kind, uid, Version(at, device, deleted=True), {})


def converge(*changes: Change) -> int:
    """How many different endings the arrival orders leave, the changes applied one at
    a time as files arrive: 1 when the merge converges."""
    outcomes: set[frozenset[tuple[tuple[str, str], Version]]] = set()
    for order in itertools.permutations(changes):
        held: dict[tuple[str, str], Change] = {}
        for c in order:
            for won in to_apply([c], {k: v.version for k, v in held.items()}):
                held[won.key] = won
        outcomes.add(frozenset((k, v.version) for k, v in held.items()))
    return len(outcomes)


def test_the_same_goal_renamed_on_two_devices_keeps_the_later_rename_on_both() -> None:
    desk = goal("g1", T + 60, DESK, "Ship v2 (desk)")
    laptop = goal("g1", T + 90, LAPTOP, "Ship v2 (laptop)")
    assert latest([desk, laptop])[mr.GOAL, "g1"] is laptop
    assert latest([laptop, desk])[mr.GOAL, "g1"] is laptop
    assert to_apply([laptop], {desk.key: desk.version}) == [laptop]  # the desk takes the laptop's
    assert to_apply([desk], {laptop.key: laptop.version}) == []  # the laptop keeps its own
    assert converge(desk, laptop) == 1


def test_a_deletion_wins_over_older_edits_and_a_later_edit_wins_over_the_deletion() -> None:
    edit = goal("g1", T + 60, LAPTOP, "renamed")
    tomb = deleted(mr.GOAL, "g1", T + 120, DESK)
    assert to_apply([edit], {tomb.key: tomb.version}) == []  # an older edit cannot bring it back
    assert to_apply([tomb], {edit.key: edit.version}) == [tomb]
    revived = goal("g1", T + 180, LAPTOP, "revived")
    assert to_apply([revived], {tomb.key: tomb.version}) == [revived]  # latest wins, deletions too
    assert converge(edit, tomb, revived) == 1


def test_at_the_same_instant_a_deletion_wins_then_the_device_sorting_first() -> None:
    tomb = deleted(mr.STEP, "s1", T, LAPTOP)
    edit = step("s1", T, DESK)
    assert latest([edit, tomb])[mr.STEP, "s1"] is tomb and latest([tomb, edit])[mr.STEP, "s1"] is tomb
    a, b = goal("g1", T, DESK, "desk's"), goal("g1", T, LAPTOP, "laptop's")
    assert latest([b, a])[mr.GOAL, "g1"] is a and latest([a, b])[mr.GOAL, "g1"] is a
    assert converge(a, b, tomb, edit) == 1


def test_the_same_file_seen_twice_changes_nothing_the_second_time() -> None:
    changes = [goal("g1", T + 1, DESK), step("s1", T + 2, DESK), deleted(mr.STEP, "s0", T + 3, DESK)]
    first = to_apply(changes, {})
    assert len(first) == 3
    held = {c.key: c.version for c in first}
    assert to_apply(changes, held) == []
    assert to_apply([*changes, *changes], {}) == first  # repeats within one read count once


def test_a_device_whose_clock_runs_two_minutes_ahead_wins_edits_made_within_its_lead() -> None:
    """The laptop's clock is 2 min ahead: its tick at real T+60 is stamped T+180, so the
    desk's edit at real T+120 (stamped T+120) loses to it -- on both devices alike. A
    desk edit made after the lead has passed (real T+200) wins again."""
    lead = 120.0
    laptop_tick = step("s1", T + 60 + lead, LAPTOP, text="ticked on the laptop")
    desk_edit = step("s1", T + 120, DESK, text="reworded on the desk")
    assert latest([desk_edit, laptop_tick])[mr.STEP, "s1"] is laptop_tick
    later = step("s1", T + 200, DESK, text="reworded again")
    assert latest([desk_edit, laptop_tick, later])[mr.STEP, "s1"] is later
    assert converge(desk_edit, laptop_tick, later) == 1


def test_goals_are_applied_before_their_steps_and_deleted_after_them() -> None:
    changes = [deleted(mr.GOAL, "g0", T + 5, DESK), deleted(mr.STEP, "s0", T + 5, DESK),
               step("s1", T + 1, DESK), goal("g1", T + 9, DESK)]
    assert [(c.kind, c.uid) for c in to_apply(changes, {})] == [
        (mr.GOAL, "g1"), (mr.STEP, "s1"), (mr.STEP, "s0"), (mr.GOAL, "g0")]


def test_item_fields_are_checked_against_their_declared_types() -> None:
    record: dict[str, Any] = {"goal": "g1", "text": "write it", "position": 2, "done_at": None}
    assert mr.checked_fields(mr.STEP, record) == {"goal": "g1", "text": "write it", "position": 2.0,
                                                  "done_at": None}
    with pytest.raises(ItemError, match="step's text is not text"):
        mr.checked_fields(mr.STEP, {**record, "text": 3})
    with pytest.raises(ItemError, match="step's position is not a number"):
        mr.checked_fields(mr.STEP, {**record, "position": True})
    with pytest.raises(ItemError, match="goal's created is not a number"):
        mr.checked_fields(mr.GOAL, {"name": "x", "activity": "Code"})
    with pytest.raises(ItemError, match="call's call_kind is not one of chill, unanswered, value"):
        mr.checked_fields(mr.CALL, {"start": T, "end": T + 60, "app": "zoom", "title": "", "call_kind": "fun",
                                    "note": ""})
    move = {"block": "b", "day": "2026-11-26", "from_start": T, "from_end": T, "to_start": T, "to_end": T, "at": T}
    assert mr.checked_fields(mr.BLOCK_MOVE, move)["day"] == "2026-11-26"
    with pytest.raises(ItemError, match="block_move's day is not a date"):
        mr.checked_fields(mr.BLOCK_MOVE, {**move, "day": "Monday"})
    with pytest.raises(ItemError, match="unknown item kind"):
        mr.checked_fields("mood", {})


_versions = st.builds(Version, st.floats(T, T + 600).map(lambda t: round(t)), st.sampled_from([DESK, LAPTOP, "c" * 32]),
                      st.booleans())


@given(st.lists(_versions, min_size=1, max_size=6))
def test_any_arrival_order_of_any_versions_ends_on_the_same_one(versions: list[Version]) -> None:
    changes = [Change(mr.GOAL, "g1", v, {} if v.deleted else {"name": f"{v.at}", "activity": "Code", "created": T})
               for v in versions]
    winners = {latest(order)[mr.GOAL, "g1"].version for order in itertools.permutations(changes[:4])}
    assert len(winners) == 1
    held: Version | None = None
    for c in reversed(changes):  # applied one file at a time, in another order
        for won in to_apply([c], {} if held is None else {c.key: held}):
            held = won.version
    assert held == latest(changes)[mr.GOAL, "g1"].version

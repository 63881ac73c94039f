"""Calls in a real database: stored when they end, answered, listed per day, followed up, pruned."""

from __future__ import annotations

from pathlib import Path

import pytest

from focusguard.core.calls import Call, CallKind
from focusguard.store import Store
from focusguard.store_calls import CallLog

T0 = 1_790_000_000.0


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "fg.db") as store:
        yield store


def test_a_call_is_stored_answered_and_read_back_from_a_new_connection(store: Store, tmp_path: Path) -> None:
    log = CallLog(store)
    call = log.add(Call(T0, T0 + 2040, "Zoom", "Zoom Meeting\x07"))
    assert call.id == 1 and call.title == "Zoom Meeting" and call.kind is CallKind.UNANSWERED
    assert log.unanswered(T0) == [call]
    answered = log.answer(call.id, CallKind.VALUE, "  Acme:\n send the Q2 proposal", T0 + 3000)
    assert (answered.kind, answered.note) == (CallKind.VALUE, "Acme: send the Q2 proposal")
    assert log.unanswered(T0) == []
    with Store(tmp_path / "fg.db") as again:
        assert CallLog(again).calls(T0, T0 + 86400) == [answered]


def test_calls_of_a_period_include_one_reaching_into_it(store: Store) -> None:
    log = CallLog(store)
    before = log.add(Call(T0 - 600, T0 + 60, "Meet", ""))
    inside = log.add(Call(T0 + 100, T0 + 200, "Zoom", ""))
    log.add(Call(T0 + 5000, T0 + 5100, "Zoom", ""))
    assert log.calls(T0, T0 + 1000) == [before, inside]


def test_a_value_calls_next_step_is_a_follow_up_until_ticked(store: Store) -> None:
    log = CallLog(store)
    value = log.add(Call(T0, T0 + 600, "Zoom", ""))
    chill = log.add(Call(T0 + 700, T0 + 900, "Discord", ""))
    log.answer(value.id, CallKind.VALUE, "Acme: send the Q2 proposal", T0 + 1000)
    log.answer(chill.id, CallKind.CHILL, "Ana", T0 + 1000)
    [(followup, done)] = log.followups()
    assert followup.note == "Acme: send the Q2 proposal" and not done
    log.tick_followup(value.id, True, T0 + 2000)
    assert log.followups() == []
    assert [done for _, done in log.followups(include_done_since=T0)] == [True]
    log.tick_followup(value.id, False, T0 + 2100)
    assert [done for _, done in log.followups()] == [False]


def test_unknown_calls_say_so_and_an_open_call_is_not_stored(store: Store) -> None:
    log = CallLog(store)
    with pytest.raises(KeyError, match="no call with number 9"):
        log.answer(9, CallKind.CHILL, "", T0)
    with pytest.raises(ValueError, match="ended"):
        log.add(Call(T0, None, "Zoom", ""))


def test_retention_and_delete_all_cover_calls(store: Store) -> None:
    log = CallLog(store)
    log.add(Call(T0, T0 + 600, "Zoom", "old"))
    log.add(Call(T0 + 40 * 86400, T0 + 40 * 86400 + 60, "Zoom", "new"))
    store.prune(30, T0 + 45 * 86400)
    assert [c.title for c in log.calls(0, T0 + 50 * 86400)] == ["new"]
    store.delete_all()
    store.flush()
    assert log.calls(0, T0 + 50 * 86400) == []


def test_delete_all_names_the_calls_it_deletes(store: Store) -> None:
    CallLog(store).add(Call(T0, T0 + 600, "Zoom", ""))
    assert store.recorded_counts()["calls"] == 1

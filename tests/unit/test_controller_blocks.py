"""Focus blocks through the controller with fake windows and an injected clock: the
card when a block starts elsewhere, "Move to...", the verdict at the (new) end, and
the move offered again when a block ends not kept."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from scenario import CONFIG, SALES, TZ, VIDEO, Clock

from focusguard import block_records
from focusguard.block_watch import block_words
from focusguard.controller import Controller
from focusguard.core.blocks import Status
from focusguard.platform.window import WindowInfo
from focusguard.store import Store

BLOCK = """
[[focus_block]]
name = "Outreach calls"
activity = "Sales"
days = ["mon", "tue", "wed", "thu", "fri"]
start = "09:00"
end = "09:30"
"""


DAY = date(2026, 11, 23)


def at(hh: int, mm: int = 0, day: int = 23) -> float:
    return datetime(2026, 11, day, hh, mm, tzinfo=TZ).timestamp()


@pytest.fixture
def setup(tmp_path: Path):
    config_file = tmp_path / "config.toml"
    config_file.write_text(CONFIG + BLOCK, encoding="utf-8")
    clock = Clock(datetime(2026, 11, 23, 8, 58, tzinfo=TZ))
    store = Store(tmp_path / "fg.db", max_gap=4.0, flush_every=0)
    controller = Controller(config_file, store, clock=clock, tz=TZ, own_pid=999)
    controller.declare("Sales")
    yield controller, clock
    controller.close()


def run_until(controller: Controller, clock: Clock, window, until: float, every: float = 2.0) -> list:
    updates = []
    while clock.now < until:
        updates.append(controller.handle_sample(window, 0.0))
        clock.now += every
    return updates


def cards(updates: list) -> list:
    return [u.block_card for u in updates if u.block_card is not None]


def test_a_block_starting_elsewhere_shows_one_card_and_move_to_moves_it(setup) -> None:
    controller, clock = setup
    [card] = cards(run_until(controller, clock, VIDEO, at(9, 5)))
    assert card.headline == "Your outreach calls block started. Go, or move it?"
    assert card.detail == "09:00–09:30 · Sales" and not card.ended
    assert [c.label for c in card.choices] == ["Today 09:30", "Today 10:00", "Today 10:30", "Tue 09:00",
                                               "Wed 09:00", "Thu 09:00", "Fri 09:00", "Sat 09:00", "Sun 09:00"]
    controller.on_block_move(card.ident, card.choices[1].start)  # 10:00
    assert cards(run_until(controller, clock, VIDEO, at(9, 40))) == []  # moved: no end card at 09:30
    # At its new time the user is on Sales: no card, and kept at the end.
    assert cards(run_until(controller, clock, SALES, at(10, 31))) == []
    judged = block_records.judged_blocks(controller.store, controller.config, DAY, DAY, clock.now, TZ)
    assert [(j.occurrence.start, j.status, j.moved_to) for j in judged] == [
        (at(9), Status.MOVED, at(10)), (at(10), Status.KEPT, None)]
    assert controller.store.db.execute("SELECT status FROM block_verdicts").fetchall() == [("kept",)]


def test_on_the_blocks_activity_at_its_start_no_card(setup) -> None:
    controller, clock = setup
    assert cards(run_until(controller, clock, SALES, at(9, 31))) == []


def test_a_block_not_kept_offers_the_move_at_its_end(setup) -> None:
    controller, clock = setup
    updates = run_until(controller, clock, VIDEO, at(9, 32))
    start, end = cards(updates)
    assert not start.ended and end.ended
    assert end.headline == "Your outreach calls block was missed. Move it?"
    assert end.choices[0].label == "Today 10:00"
    controller.on_block_move(end.ident, end.choices[0].start)
    [moved_card] = cards(run_until(controller, clock, VIDEO, at(10, 2)))
    assert moved_card.detail == "10:00–10:30 · Sales · moved from 09:00"


def test_moving_a_block_that_is_not_today_any_more_says_why(setup) -> None:
    controller, _clock = setup
    update = controller.on_block_move(("nothing", DAY, 0.0), at(11))
    assert "not on today's schedule" in update.notices[0].text


def test_without_focus_blocks_nothing_is_read(tmp_path: Path) -> None:
    config_file = tmp_path / "config.toml"
    config_file.write_text(CONFIG, encoding="utf-8")
    with Store(tmp_path / "fg.db", flush_every=0) as store:
        controller = Controller(config_file, store, clock=Clock(), tz=TZ, own_pid=999)
        assert controller.handle_sample(VIDEO, 0.0).block_card is None


def test_go_brings_up_the_priority_window_for_a_block_of_the_priority(setup) -> None:
    controller, clock = setup
    run_until(controller, clock, SALES, at(8, 59))  # a Sales window seen today
    [card] = cards(run_until(controller, clock, VIDEO, at(9, 1)))
    assert controller.on_block_go(card.ident).give_focus_to == SALES
    assert controller.on_block_go(("other", DAY, 0.0)).give_focus_to is None


def test_a_full_screen_presentation_holds_the_card_until_it_ends(setup) -> None:
    controller, clock = setup
    slides = WindowInfo(app="zoom", title="Meeting", pid=300, fullscreen=True)
    assert cards(run_until(controller, clock, slides, at(9, 3))) == []
    [card] = cards(run_until(controller, clock, VIDEO, at(9, 4)))
    assert not card.ended


def test_a_start_card_left_up_goes_when_the_user_goes_to_the_block(setup) -> None:
    controller, clock = setup
    updates = run_until(controller, clock, VIDEO, at(9, 2))
    assert len(cards(updates)) == 1 and not any(u.close_block_card for u in updates)
    closing = run_until(controller, clock, SALES, at(9, 3))
    assert [u.close_block_card for u in closing].count(True) == 1 and closing[0].close_block_card


def test_a_card_left_up_goes_when_its_block_ends_and_an_answered_one_is_not_closed(setup) -> None:
    controller, clock = setup
    assert len(cards(run_until(controller, clock, VIDEO, at(9, 5)))) == 1
    updates = run_until(controller, clock, VIDEO, at(9, 31))
    assert [u.close_block_card for u in updates].count(True) == 1  # at 09:30, before the end card
    [end] = cards(updates)
    assert end.ended
    controller.on_block_left(end.ident)
    assert not any(u.close_block_card for u in run_until(controller, clock, VIDEO, at(10, 40)))


@pytest.mark.parametrize(("label", "words"), [
    ("Outreach calls", "outreach calls block"), ("Sales block", "sales block"),
    ("Focus block 08:30–09:30", "focus block 08:30–09:30"), ("CRM cleanup", "CRM cleanup block")])
def test_the_cards_words_for_a_blocks_label(label: str, words: str) -> None:
    assert block_words(label) == words

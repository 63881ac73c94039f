"""The focus block card (pytest-qt, offscreen): its words, Go, Move to... with the
times on offer, Leave it on a block that ended, and that it never takes the focus."""

from __future__ import annotations

from datetime import date

from focusguard.block_watch import BlockCardView, MoveChoice
from focusguard.ui.block_card import WINDOW_TITLE, BlockCard
from focusguard.ui.qt import Qt

IDENT = ("outreach calls", date(2026, 11, 23), 1_800_000_000.0)
CHOICES = (MoveChoice("Today 10:00", 1.0), MoveChoice("Today 10:30", 2.0), MoveChoice("Today 11:00", 3.0),
           MoveChoice("Tue 09:00", 4.0), MoveChoice("Wed 09:00", 5.0))
STARTED = BlockCardView(IDENT, "Your outreach calls block started. Go, or move it?", "09:00–09:30 · Sales",
                        False, CHOICES)


def card(qtbot) -> BlockCard:
    widget = BlockCard()
    qtbot.addWidget(widget)
    return widget


def test_the_card_says_the_block_and_offers_go_and_move(qtbot) -> None:
    widget = card(qtbot)
    widget.show_card(STARTED)
    assert widget.windowTitle() == WINDOW_TITLE
    assert widget.headline_label.text() == STARTED.headline and widget.detail_label.text() == STARTED.detail
    assert widget.go_button.isVisible() and widget.move_button.isVisible() and not widget.leave_button.isVisible()
    assert not widget.times.isVisible()
    assert widget.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    assert widget.windowFlags() & Qt.WindowType.WindowDoesNotAcceptFocus
    assert all(b.focusPolicy() == Qt.FocusPolicy.NoFocus for b in (widget.go_button, widget.move_button))


def test_go_hides_the_card_and_says_which_block(qtbot) -> None:
    widget = card(qtbot)
    widget.show_card(STARTED)
    with qtbot.waitSignal(widget.go) as said:
        qtbot.mouseClick(widget.go_button, Qt.MouseButton.LeftButton)
    assert said.args == [IDENT] and not widget.isVisible()


def test_move_to_shows_the_times_then_one_click_moves(qtbot) -> None:
    widget = card(qtbot)
    widget.show_card(STARTED)
    before = widget.geometry()
    qtbot.mouseClick(widget.move_button, Qt.MouseButton.LeftButton)
    assert widget.times.isVisible() and not widget.answers.isVisible()
    assert [b.text() for b in widget.choice_buttons] == [c.label for c in CHOICES]
    assert widget.choice_buttons[0].objectName() == "primary"  # the soonest is suggested
    # two rows of times: the card grew to show them, upwards, its corner by the tray kept
    assert widget.height() > before.height() and widget.geometry().bottomRight() == before.bottomRight()
    qtbot.mouseClick(widget.back_button, Qt.MouseButton.LeftButton)
    assert widget.answers.isVisible() and not widget.times.isVisible()
    qtbot.mouseClick(widget.move_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(widget.move_to) as said:
        qtbot.mouseClick(widget.choice_buttons[3], Qt.MouseButton.LeftButton)
    assert said.args == [IDENT, 4.0] and not widget.isVisible()


def test_a_block_that_ended_offers_leave_it_instead_of_go(qtbot) -> None:
    widget = card(qtbot)
    ended = BlockCardView(IDENT, "Your outreach calls block was missed. Move it?", "09:00–09:30", True, CHOICES[3:])
    widget.show_card(ended)
    assert not widget.go_button.isVisible() and widget.leave_button.isVisible()
    assert widget.move_button.objectName() == "primary"  # moving it is the way forward now
    widget.show_card(STARTED)
    assert widget.move_button.objectName() == "move"
    widget.show_card(ended)
    with qtbot.waitSignal(widget.dismissed) as said:
        qtbot.mouseClick(widget.leave_button, Qt.MouseButton.LeftButton)
    assert said.args == [IDENT]


def test_a_new_card_replaces_the_times_of_the_last(qtbot) -> None:
    widget = card(qtbot)
    widget.show_card(STARTED)
    widget.show_card(BlockCardView(IDENT, "Again", "", False, CHOICES[:1]))
    assert [b.text() for b in widget.choice_buttons] == ["Today 10:00"]


def test_with_no_time_left_this_week_move_is_disabled(qtbot) -> None:
    widget = card(qtbot)
    widget.show_card(BlockCardView(IDENT, "Late on Sunday", "", True, ()))
    assert not widget.move_button.isEnabled()

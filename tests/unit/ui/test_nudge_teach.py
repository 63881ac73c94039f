"""The nudge as a conversation: menus anchored to their buttons at every level,
"What is this?" asks which activity (or a new one's name), and the card says what it
learnt before it goes. Offscreen platform; the real X server run is in
test_nudge_xvfb.py."""

from __future__ import annotations

import pytest

from focusguard.core.model import Classification, Nudge
from focusguard.ui.nudge import ACK_MILLISECONDS, NEW_ACTIVITY, NudgeView, NudgeWindow, menu_position
from focusguard.ui.qt import QPoint, QPushButton, QRect, QSize, Qt

UNCLASSIFIED = Classification.UNCLASSIFIED


def view(**changes) -> NudgeView:
    fields = dict(classification=UNCLASSIFIED, minutes=17, priority="Sales", activity=None, app="xterm",
                  title="bash in ~/src", level=1, productive_choices=("Code", "Writing"),
                  distraction_choices=())
    return NudgeView(**(fields | changes))


@pytest.fixture
def window(qtbot):
    w = NudgeWindow(translucent=True)
    qtbot.addWidget(w)
    return w


def shown(window: NudgeWindow, **changes) -> NudgeWindow:
    window.show_nudge(view(**changes))
    window.card.layout().activate()
    return window


def global_rect(button: QPushButton) -> QRect:
    return QRect(button.mapToGlobal(QPoint(0, 0)), button.size())


def touches(a: QRect, b: QRect) -> bool:
    return a.adjusted(-1, -1, 1, 1).intersects(b)


# ----------------------------------------------------------------- the words


def test_the_headline_follows_the_nudges_number():
    def nudge(number: int) -> Nudge:
        return Nudge(at=0.0, activity="Video", classification=Classification.DISTRACTION,
                     streak_seconds=60, distraction_seconds=60, level=1, id=number)

    first, second = (NudgeView.from_nudge(nudge(n), priority="Sales").headline for n in (41, 42))
    assert first != second
    assert NudgeView.from_nudge(nudge(41), priority="Sales").headline == first


# ----------------------------------------------------------------- menus stay with their buttons


@pytest.mark.parametrize("level", [1, 2, 3])
@pytest.mark.parametrize(("classification", "button", "menu"), [
    (Classification.PRODUCTIVE_DISTRACTION, "part_button", "part_menu"),
    (UNCLASSIFIED, "part_choice_button", "part_menu"),
    (UNCLASSIFIED, "productive_button", "activity_menu"),
])
def test_a_menu_opens_against_its_button(window, qtbot, level, classification, button, menu):
    shown(window, classification=classification, level=level)
    qtbot.mouseClick(getattr(window, button), Qt.MouseButton.LeftButton)
    opened = getattr(window, menu)
    qtbot.waitUntil(opened.isVisible, timeout=1000)
    anchor = global_rect(getattr(window, button))
    assert touches(opened.geometry(), anchor), (opened.geometry(), anchor)
    room_below = anchor.bottom() + opened.height() < window.screen().availableGeometry().bottom()
    if room_below:
        assert opened.geometry().top() == anchor.bottom() + 1
    else:  # a level-1 card in the bottom corner
        assert opened.geometry().bottom() == anchor.top() - 1
    assert opened.activeAction() is opened.actions()[0]  # lit: hard to miss
    assert getattr(window, button).isDown()
    opened.hide()
    assert not getattr(window, button).isDown()


AVAILABLE = QRect(0, 0, 1366, 740)


def test_menu_goes_below_the_button_touching_it():
    assert menu_position(QRect(900, 300, 140, 32), QSize(240, 70), AVAILABLE) == QPoint(900, 332)


def test_menu_goes_above_when_the_screen_ends_below():
    assert menu_position(QRect(900, 690, 140, 32), QSize(240, 70), AVAILABLE) == QPoint(900, 620)


def test_menu_stays_on_screen_sideways():
    assert menu_position(QRect(1300, 300, 60, 32), QSize(240, 70), AVAILABLE) == QPoint(1126, 332)
    assert menu_position(QRect(-20, 300, 60, 32), QSize(240, 70), AVAILABLE) == QPoint(0, 332)


def test_menu_taller_than_either_side_goes_below():
    assert menu_position(QRect(0, 300, 60, 32), QSize(240, 600), AVAILABLE) == QPoint(0, 332)


# ----------------------------------------------------------------- "What is this?"


def test_productive_offers_the_users_activities_and_a_new_one(window, qtbot):
    shown(window)
    qtbot.mouseClick(window.productive_button, Qt.MouseButton.LeftButton)
    texts = [a.text() for a in window.activity_menu.actions() if not a.isSeparator()]
    assert texts == ["Code", "Writing", NEW_ACTIVITY]
    with qtbot.waitSignal(window.teach, timeout=1000) as blocker:
        window.activity_menu.actions()[1].trigger()
    assert blocker.args == ["productive", "Writing"]
    assert window.isVisible()  # it stays to say what it learnt


def test_with_no_activity_of_that_kind_it_asks_for_a_name(window, qtbot):
    shown(window)
    with qtbot.assertNotEmitted(window.teach):
        qtbot.mouseClick(window.distraction_button, Qt.MouseButton.LeftButton)
    assert window.naming.isVisible() and window.choices.isHidden()
    assert not window.activity_menu.isVisible()
    assert window.name_edit.placeholderText() == "Name it, e.g. News"
    assert not window.add_button.isEnabled()
    qtbot.keyClicks(window.name_edit, "  Social  media ")
    assert window.add_button.isEnabled()
    with qtbot.waitSignal(window.teach, timeout=1000) as blocker, qtbot.assertNotEmitted(window.back):
        qtbot.keyClick(window.name_edit, Qt.Key.Key_Return)
    assert blocker.args == ["distraction", "Social media"]


def test_new_activity_from_the_menu_asks_for_a_name(window, qtbot):
    shown(window)
    qtbot.mouseClick(window.productive_button, Qt.MouseButton.LeftButton)
    window.activity_menu.actions()[-1].trigger()
    assert window.naming.isVisible()
    qtbot.keyClicks(window.name_edit, "Admin")
    with qtbot.waitSignal(window.teach, timeout=1000) as blocker:
        qtbot.mouseClick(window.add_button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["productive", "Admin"]


def test_escape_while_naming_goes_back_to_the_choices_without_snoozing(window, qtbot):
    shown(window, level=2)
    qtbot.mouseClick(window.distraction_button, Qt.MouseButton.LeftButton)
    with qtbot.assertNotEmitted(window.snooze):
        qtbot.keyClick(window.name_edit, Qt.Key.Key_Escape)
    assert window.choices.isVisible() and window.naming.isHidden() and window.isVisible()


def test_naming_on_a_level_1_card_takes_the_keyboard(window, qtbot):
    shown(window)
    handle = window.windowHandle()
    assert handle.flags() & Qt.WindowType.WindowDoesNotAcceptFocus
    qtbot.mouseClick(window.distraction_button, Qt.MouseButton.LeftButton)
    assert not handle.flags() & Qt.WindowType.WindowDoesNotAcceptFocus
    assert window.name_edit.focusPolicy() == Qt.FocusPolicy.StrongFocus
    window.show_nudge(view())  # the next nudge at level 1 leaves the keyboard alone again
    assert handle.flags() & Qt.WindowType.WindowDoesNotAcceptFocus


def test_the_card_grows_for_the_name_field_and_nothing_overlaps(window, qtbot):
    shown(window)
    before = window.height()
    qtbot.mouseClick(window.distraction_button, Qt.MouseButton.LeftButton)
    window.card.layout().activate()
    assert window.naming.geometry().bottom() < window.panel.geometry().top()
    assert window.card.geometry().bottom() < window.height()
    assert window.height() >= before


def test_the_acknowledgement_shows_for_a_moment_then_the_card_goes(window, qtbot):
    shown(window)
    qtbot.mouseClick(window.productive_button, Qt.MouseButton.LeftButton)
    window.activity_menu.actions()[0].trigger()
    with qtbot.assertNotEmitted(window.snooze), qtbot.assertNotEmitted(window.back):
        window.acknowledge("Got it: xterm is now Code.")
        assert window.headline_label.text() == "Got it: xterm is now Code."
        assert window.acknowledging and window.isVisible()
        for row in (window.choices, window.panel, window.action_area, window.naming):
            assert row.isHidden()
        qtbot.waitUntil(window.isHidden, timeout=ACK_MILLISECONDS + 1500)


def test_escape_during_the_acknowledgement_just_closes(window, qtbot):
    shown(window, level=2)
    qtbot.mouseClick(window.productive_button, Qt.MouseButton.LeftButton)
    window.activity_menu.actions()[0].trigger()
    window.acknowledge("Got it: xterm is now Code.")
    with qtbot.assertNotEmitted(window.snooze):
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.isHidden()


def test_a_new_nudge_after_an_acknowledgement_is_a_whole_card_again(window, qtbot):
    shown(window)
    window.acknowledge("Got it: xterm is now Code.")
    shown(window, classification=Classification.DISTRACTION, activity="Video")
    assert not window.acknowledging
    assert window.panel.isVisible() and window.action_area.isVisible()

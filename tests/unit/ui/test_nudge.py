import re
from html import unescape

import pytest

from focusguard.core import palette
from focusguard.core.model import Classification, Nudge
from focusguard.ui.nudge import (
    LOCK_SECONDS,
    WINDOW_TITLE,
    NudgeWindow,
    card_position,
)
from focusguard.ui.qt import QColor, QGuiApplication, QLabel, QPoint, QPushButton, QRect, QSize, Qt
from focusguard.viewmodels import NudgeView

PD = Classification.PRODUCTIVE_DISTRACTION


def view(**changes) -> NudgeView:
    fields = dict(
        classification=PD,
        minutes=17,
        priority="Sales",
        activity="Engineering",
        app="Visual Studio Code",
        title="app.py",
        next_step="call three past customers",
        level=1,
        snooze_minutes=10,
        off_priority_share_today="41 min",
    )
    return NudgeView(**(fields | changes))


@pytest.fixture
def window(qtbot):
    w = NudgeWindow(translucent=True)
    qtbot.addWidget(w)
    return w


def plain(label: QLabel) -> str:
    return unescape(re.sub(r"<[^>]+>", "", label.text()))


def shown(window: NudgeWindow, **changes) -> NudgeWindow:
    window.show_nudge(view(**changes))
    window.card.layout().activate()
    return window


# ----------------------------------------------------------------- words


def test_productive_distraction_words(window):
    shown(window)
    assert window.headline_label.text() == "A productive distraction is a death blow."
    assert plain(window.facts_label) == (
        "You've spent 17 min on Engineering (Visual Studio Code — app.py)."
    )
    assert plain(window.priority_label) == "Your top priority today: Sales"
    assert window.next_step_label.text() == "Next step: call three past customers."
    assert window.back_button.text() == "Back to Sales"
    assert window.snooze_button.text() == "Snooze 10 min"
    assert window.part_button.text() == "It's part of Sales"
    assert window.change_button.text() == "Change priority…"
    assert window.choices.isHidden()


def test_distraction_states_the_same_facts_under_its_own_headline(window):
    shown(
        window,
        classification=Classification.DISTRACTION,
        minutes=9,
        activity="Video",
        app="Firefox",
        title="YouTube",
        number=1,
    )
    assert window.headline_label.text() == "This is where the day leaks away."
    assert plain(window.facts_label) == "You've spent 9 min on Video (Firefox — YouTube)."


def test_unclassified_asks_with_three_one_click_answers(window):
    shown(
        window,
        classification=Classification.UNCLASSIFIED,
        activity=None,
        app="Firefox",
        title="Hacker News",
    )
    assert window.headline_label.text() == "What is this?"
    assert plain(window.facts_label) == "You've spent 17 min on Firefox (Hacker News)."
    assert window.choices.isVisible()
    buttons = (window.distraction_button, window.productive_button, window.part_choice_button)
    texts = [b.text() for b in buttons]
    assert texts == ["Distraction", "Productive", "Part of Sales"]
    assert all(b.isVisible() for b in buttons)
    assert window.part_button.isHidden()


@pytest.mark.parametrize(
    "classification", [PD, Classification.DISTRACTION, Classification.UNCLASSIFIED]
)
@pytest.mark.parametrize("level", [1, 2, 3])
def test_no_exclamation_marks_anywhere(window, classification, level):
    shown(window, classification=classification, level=level)
    texts = [w.text() for w in window.findChildren(QLabel) + window.findChildren(QPushButton)]
    assert texts and not any("!" in t for t in texts)


def test_titles_and_names_are_shown_literally_not_as_html(window):
    shown(window, title="<b>x</b> & y", priority="R&D <team>")
    assert "(Visual Studio Code — <b>x</b> & y)" in plain(window.facts_label)
    assert plain(window.priority_label) == "Your top priority today: R&D <team>"


def test_facts_without_activity_app_or_title(window):
    shown(window, activity=None, app="", title="")
    assert plain(window.facts_label) == "You've spent 17 min off priority."


def test_long_titles_are_shortened(window):
    shown(window, title="cats " * 40)
    assert "…" in plain(window.facts_label)
    assert len(plain(window.facts_label)) < 140


def test_without_a_next_step_the_line_is_left_out(window):
    shown(window, next_step="")
    assert window.next_step_label.isHidden()


@pytest.mark.parametrize("classification", [PD, Classification.UNCLASSIFIED])
def test_without_a_priority_the_card_points_back_to_work(window, qtbot, classification):
    shown(window, classification=classification, priority="", next_step="", level=3)
    assert plain(window.priority_label) == "No top priority declared today."
    assert window.back_button.text() == "Back to work"
    assert window.part_button.isHidden() and window.part_choice_button.isHidden()
    assert window.share_label.isHidden()
    assert window.change_button.text() == "Declare a priority…"
    with qtbot.waitSignal(window.change_priority, timeout=1000):
        qtbot.mouseClick(window.change_button, Qt.MouseButton.LeftButton)


def test_next_step_keeps_its_own_full_stop(window):
    shown(window, next_step="Call Ana.")
    assert window.next_step_label.text() == "Next step: Call Ana."


# ----------------------------------------------------------------- signals


@pytest.mark.parametrize(
    ("button", "signal", "args"),
    [
        ("back_button", "back", []),
        ("snooze_button", "snooze", []),
        ("change_button", "change_priority", []),
    ],
)
def test_each_button_emits_its_signal_and_dismisses_the_card(window, qtbot, button, signal, args):
    shown(window)
    with qtbot.waitSignal(getattr(window, signal), timeout=1000) as blocker:
        qtbot.mouseClick(getattr(window, button), Qt.MouseButton.LeftButton)
    assert blocker.args == args
    assert window.isHidden()


@pytest.mark.parametrize("button", ["part_button", "part_choice_button"])
@pytest.mark.parametrize(
    ("action", "scope"), [("part_app_action", "app"), ("part_title_action", "title")]
)
def test_part_of_priority_offers_this_app_or_this_title(window, qtbot, button, action, scope):
    unclassified = button == "part_choice_button"
    shown(window, classification=Classification.UNCLASSIFIED if unclassified else PD)
    qtbot.mouseClick(getattr(window, button), Qt.MouseButton.LeftButton)
    assert window.part_menu.isVisible()
    assert window.part_app_action.text() == "This app: Visual Studio Code"
    assert window.part_title_action.text() == "This window title: app.py"
    with qtbot.waitSignal(window.part_of_priority, timeout=1000) as blocker:
        getattr(window, action).trigger()
    assert blocker.args == [scope]
    assert window.isHidden()


@pytest.mark.parametrize(
    ("app", "title", "scope"), [("Firefox", "", "app"), ("", "Inbox", "title")]
)
def test_part_of_priority_is_one_click_with_nothing_to_choose(window, qtbot, app, title, scope):
    shown(window, app=app, title=title)
    with qtbot.waitSignal(window.part_of_priority, timeout=1000) as blocker:
        qtbot.mouseClick(window.part_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [scope]
    assert not window.part_menu.isVisible()


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter])
def test_enter_goes_back(window, qtbot, key):
    shown(window, level=2)
    with qtbot.waitSignal(window.back, timeout=1000):
        qtbot.keyClick(window, key)


def test_escape_snoozes(window, qtbot):
    shown(window, level=2)
    with qtbot.waitSignal(window.snooze, timeout=1000):
        qtbot.keyClick(window, Qt.Key.Key_Escape)


def test_close_from_code_hides_without_an_answer(window, qtbot):
    shown(window, level=2)
    with qtbot.assertNotEmitted(window.snooze), qtbot.assertNotEmitted(window.back):
        window.close()
    assert window.isHidden()


# ----------------------------------------------------------------- level 3 lock


def test_level_3_locks_snooze_for_ten_seconds_with_a_countdown(window, qtbot):
    shown(window, level=3)
    assert window.lock_timer.isActive() and window.lock_timer.interval() == 1000
    assert window.snooze_locked and not window.snooze_button.isEnabled()
    assert window.snooze_button.text() == "Snooze in 10 s"
    assert "Esc" not in window.footer_label.text()
    with qtbot.assertNotEmitted(window.snooze):
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.isVisible()

    for remaining in range(LOCK_SECONDS - 1, 0, -1):
        window.lock_timer.timeout.emit()  # one driven second
        assert window.snooze_button.text() == f"Snooze in {remaining} s"
        assert not window.snooze_button.isEnabled()
    window.lock_timer.timeout.emit()

    assert not window.snooze_locked and window.snooze_button.isEnabled()
    assert window.snooze_button.text() == "Snooze 10 min"
    assert not window.lock_timer.isActive()
    assert window.footer_label.text() == "Enter: back · Esc: snooze · level 3 of 3 ·"
    with qtbot.waitSignal(window.snooze, timeout=1000):
        qtbot.keyClick(window, Qt.Key.Key_Escape)


def test_enter_goes_back_even_while_snooze_is_locked(window, qtbot):
    shown(window, level=3)
    with qtbot.waitSignal(window.back, timeout=1000):
        qtbot.keyClick(window, Qt.Key.Key_Return)


def test_updating_a_shown_level_3_does_not_restart_the_lock(window):
    shown(window, level=3)
    for _ in range(4):
        window.tick()
    shown(window, level=3, minutes=18)
    assert window.snooze_button.text() == "Snooze in 6 s"


def test_a_new_level_3_locks_again(window):
    shown(window, level=3)
    for _ in range(LOCK_SECONDS):
        window.tick()
    window.hide()
    assert not window.lock_timer.isActive()
    shown(window, level=3)
    assert window.snooze_button.text() == "Snooze in 10 s"


@pytest.mark.parametrize("level", [1, 2])
def test_lower_levels_never_lock(window, level):
    shown(window, level=level)
    assert not window.snooze_locked and window.snooze_button.isEnabled()
    assert not window.lock_timer.isActive()


def test_level_3_says_how_much_of_today_went_elsewhere(window):
    shown(window, level=3)
    assert window.share_label.isVisible()
    assert window.share_label.text() == "So far today: 41 min away from Sales."
    assert window.share_label.geometry().top() > window.card.geometry().bottom()


@pytest.mark.parametrize("level", [1, 2])
def test_lower_levels_keep_the_day_to_themselves(window, level):
    shown(window, level=level)
    assert window.share_label.isHidden()


# ----------------------------------------------------------------- levels and windows


@pytest.mark.parametrize("level", [1, 2, 3])
def test_window_title_is_exact_at_every_level(window, level):
    shown(window, level=level)
    assert window.windowTitle() == WINDOW_TITLE == "FocusGuard nudge"
    assert window.isWindow() and window.card.window() is window


def test_level_1_never_takes_the_keyboard(window):
    shown(window, level=1)
    flags = window.windowFlags()
    for flag in (
        Qt.WindowType.WindowDoesNotAcceptFocus,
        Qt.WindowType.FramelessWindowHint,
        Qt.WindowType.WindowStaysOnTopHint,
    ):
        assert flags & flag
    assert flags & Qt.WindowType.Tool == Qt.WindowType.Tool
    assert window.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    assert window.back_button.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert window.footer_label.text() == "level 1 of 3 ·"  # no keys: they would go elsewhere


@pytest.mark.parametrize("level", [2, 3])
def test_higher_levels_take_focus(window, level):
    shown(window, level=level)
    assert not window.windowFlags() & Qt.WindowType.WindowDoesNotAcceptFocus
    assert not window.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    assert window.back_button.focusPolicy() == Qt.FocusPolicy.StrongFocus


def test_level_2_footer_lists_the_keys(window):
    shown(window, level=2)
    assert window.footer_label.text() == "Enter: back · Esc: snooze · level 2 of 3 ·"


def test_level_1_is_a_500_px_card_in_the_bottom_right_corner(window):
    shown(window, level=1)
    available = QGuiApplication.primaryScreen().availableGeometry()
    card = QRect(window.mapToGlobal(window.card.pos()), window.card.size())
    assert card.width() == 500
    assert available.right() - card.right() == 12
    assert available.bottom() - card.bottom() == 12


def test_level_2_is_larger_and_centred(window):
    shown(window, level=1)
    small = window.headline_label.font().pointSizeF()
    shown(window, level=2)
    assert window.headline_label.font().pointSizeF() > small
    assert window.facts_label.font().pointSizeF() > window.footer_label.font().pointSizeF()
    card = QRect(window.mapToGlobal(window.card.pos()), window.card.size())
    centre = QGuiApplication.primaryScreen().availableGeometry().center()
    assert abs(card.center().x() - centre.x()) <= 1 and abs(card.center().y() - centre.y()) <= 1


def test_level_3_covers_the_screen_with_the_card_in_the_middle(window):
    shown(window, level=3)
    screen = QGuiApplication.primaryScreen().geometry()
    assert window.geometry() == screen
    assert window.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    assert abs(window.card.geometry().center().x() - screen.width() // 2) <= 1


def test_one_type_family_two_weights(window):
    shown(window, level=2)
    widgets = window.findChildren(QLabel) + window.findChildren(QPushButton)
    assert len({w.font().family() for w in widgets}) == 1
    assert {w.font().bold() for w in widgets} == {True, False}


@pytest.mark.parametrize("priority", ["Sales", "Quarterly planning for the whole engineering org"])
@pytest.mark.parametrize("classification", [PD, Classification.UNCLASSIFIED])
@pytest.mark.parametrize("level", [1, 2, 3])
def test_nothing_is_clipped(window, classification, level, priority):
    title = "a long window title " * 3
    shown(window, classification=classification, level=level, title=title, priority=priority)
    window.card.layout().activate()
    inside = window.card.rect()
    for child in window.card.findChildren(QLabel) + window.card.findChildren(QPushButton):
        if child.isVisible():
            box = QRect(child.mapTo(window.card, QPoint(0, 0)), child.size())
            assert inside.contains(box), child.objectName()
            wraps = isinstance(child, QLabel) and child.wordWrap()
            needed = child.heightForWidth(child.width()) if wraps else child.sizeHint().height()
            assert child.height() >= needed, child.objectName()
            if not wraps:
                assert child.width() >= child.sizeHint().width(), child.objectName()
    assert window.rect().contains(window.card.geometry())


def test_primary_button_wears_the_priority_colour_and_the_panel_its_tint(window):
    shown(window, level=2)
    button = window.back_button.grab().toImage()
    assert button.pixelColor(6, button.height() // 2) == QColor(palette.PRIORITY)
    panel = window.panel.grab().toImage()
    assert panel.pixelColor(8, panel.height() // 2) == QColor(palette.tint(palette.PRIORITY, 0.1))


def test_without_a_compositor_the_card_is_masked_round_and_level_3_is_not(qtbot):
    window = NudgeWindow(translucent=False)
    qtbot.addWidget(window)
    shown(window, level=1)
    assert not window.mask().isEmpty()
    assert not window.mask().contains(QPoint(0, 0))  # the rounded corner is cut
    shown(window, level=3)
    assert window.mask().isEmpty()


# ----------------------------------------------------------------- placement


AVAILABLE = QRect(0, 0, 1920, 1040)  # a 40 px bottom panel
CARD = QSize(500, 220)


def test_without_a_tray_hint_the_card_goes_bottom_right():
    assert card_position(CARD, AVAILABLE) == QPoint(1920 - 12 - 500, 1040 - 12 - 220)


def test_a_bottom_tray_puts_the_card_above_it_right_edges_aligned():
    tray = QRect(1700, 1048, 24, 24)
    assert card_position(CARD, AVAILABLE, tray) == QPoint(1724 - 500, 1040 - 12 - 220)


def test_a_top_tray_puts_the_card_below_it():
    top_panel = QRect(0, 28, 1920, 1052)
    tray = QRect(1880, 2, 24, 24)
    assert card_position(CARD, top_panel, tray) == QPoint(1904 - 500, 28 + 12)


def test_a_tray_near_the_left_edge_keeps_the_card_on_screen():
    tray = QRect(10, 1048, 24, 24)
    assert card_position(CARD, AVAILABLE, tray).x() == 12


def test_an_empty_tray_geometry_counts_as_no_hint():
    assert card_position(CARD, AVAILABLE, QRect()) == card_position(CARD, AVAILABLE)


# ----------------------------------------------------------------- the view model


@pytest.mark.parametrize(
    "classification", [Classification.PRIORITY, Classification.NEUTRAL, Classification.IDLE]
)
def test_only_off_priority_time_gets_a_nudge(classification):
    with pytest.raises(ValueError):
        view(classification=classification)


@pytest.mark.parametrize("changes", [dict(level=0), dict(level=4)])
def test_view_rejects_nonsense(changes):
    with pytest.raises(ValueError):
        view(**changes)


def test_view_from_an_engine_nudge():
    nudge = Nudge(
        at=0.0,
        activity="Engineering",
        classification=PD,
        streak_seconds=17 * 60 + 20,
        distraction_seconds=0.0,
        level=3,
        app="Visual Studio Code",
        title="app.py",
    )
    v = NudgeView.from_nudge(
        nudge,
        priority="Sales",
        next_step="call",
        snooze_minutes=10.0,
        off_priority_seconds_today=41 * 60,
    )
    assert (v.minutes, v.level, v.snooze_minutes, v.activity) == (17, 3, 10, "Engineering")
    assert v.share_line == "So far today: 41 min away from Sales."
    assert NudgeView.from_nudge(nudge, priority="Sales").share_line == ""




def test_a_card_reused_with_more_lines_grows_to_fit_them(window):
    shown(window, priority="", next_step="")
    window.hide()
    shown(window)
    window.panel.layout().activate()
    assert window.priority_label.geometry().bottom() < window.next_step_label.geometry().top()
    label = window.next_step_label
    assert label.height() >= label.heightForWidth(label.width())


@pytest.mark.parametrize(("minutes", "label"), [(0.5, "Snooze 30 s"), (1.5, "Snooze 1.5 min"), (1, "Snooze 1 min")])
def test_the_snooze_label_says_the_configured_time(window, minutes: float, label: str) -> None:
    nudge = Nudge(at=0.0, activity="Video", classification=Classification.DISTRACTION,
                  streak_seconds=600, distraction_seconds=600, level=1)
    window.show_nudge(NudgeView.from_nudge(nudge, priority="Sales", snooze_minutes=minutes))
    assert window.snooze_button.text() == label

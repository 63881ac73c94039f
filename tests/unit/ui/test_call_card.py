"""The after-call card (pytest-qt, offscreen): its question, Value/Chill with the optional
line, Later, that it never takes the focus until its line is clicked; the tray's
"Calls to answer" list. And on a real X server at 1366x768 (Xvfb + openbox + trayer):
a window being typed in keeps the keyboard when the card appears, and a screenshot
(``$FOCUSGUARD_CALL_SHOTS``, default /tmp/call-shots) for a person to look at.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from focusguard.core.calls import Call
from focusguard.ui.call_card import NOTE_PLACEHOLDER, WINDOW_TITLE, CallCard, CallsMenu
from focusguard.ui.qt import Qt, QtWidgets

START = datetime(2026, 11, 26, 10, 5).timestamp()
ZOOM = Call(START, START + 34 * 60, "Zoom", "Zoom Meeting", id=7)
MEET = Call(START + 7200, START + 7200 + 5 * 60, "Meet", "Meet - abc-defg-hij - Google Chrome", id=8)
SHOTS_DIR = Path(os.environ.get("FOCUSGUARD_CALL_SHOTS", "/tmp/call-shots"))


@pytest.fixture
def card(qtbot) -> CallCard:
    widget = CallCard()
    qtbot.addWidget(widget)
    return widget


def test_the_card_asks_value_or_chill_without_taking_the_focus(card: CallCard) -> None:
    card.show_call(ZOOM)
    assert card.windowTitle() == WINDOW_TITLE
    assert card.headline_label.text() == "That call (Zoom, 34 min): value call or chill call?"
    assert card.detail_label.text() == "10:05–10:39 · Zoom Meeting"
    assert card.note_edit.placeholderText() == NOTE_PLACEHOLDER
    assert card.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    assert card.windowFlags() & Qt.WindowType.WindowDoesNotAcceptFocus
    assert all(b.focusPolicy() == Qt.FocusPolicy.NoFocus
               for b in (card.value_button, card.chill_button, card.later_button))


def test_value_with_its_next_step_answers_once_and_hides(qtbot, card: CallCard) -> None:
    card.show_call(ZOOM)
    qtbot.mouseClick(card.note_edit, Qt.MouseButton.LeftButton)
    assert not card.windowHandle().flags() & Qt.WindowType.WindowDoesNotAcceptFocus  # the line takes keys
    qtbot.keyClicks(card.note_edit, "Acme:  send the Q2 proposal ")
    with qtbot.waitSignal(card.answered) as said:
        qtbot.mouseClick(card.value_button, Qt.MouseButton.LeftButton)
    assert said.args == [7, "value", "Acme: send the Q2 proposal"]
    assert not card.isVisible()
    card.show_call(MEET)  # the next question starts clean, and without the keyboard again
    assert card.note_edit.text() == ""
    assert card.windowHandle().flags() & Qt.WindowType.WindowDoesNotAcceptFocus


def test_chill_and_later(qtbot, card: CallCard) -> None:
    card.show_call(ZOOM)
    with qtbot.waitSignal(card.answered) as said:
        qtbot.mouseClick(card.chill_button, Qt.MouseButton.LeftButton)
    assert said.args == [7, "chill", ""]
    card.show_call(MEET)
    with qtbot.waitSignal(card.later) as later:
        qtbot.mouseClick(card.later_button, Qt.MouseButton.LeftButton)
    assert later.args == [8] and not card.isVisible()


def test_enter_in_the_line_is_a_value_call(qtbot, card: CallCard) -> None:
    card.show_call(ZOOM)
    qtbot.mouseClick(card.note_edit, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(card.note_edit, "Bob: intro to Carol")
    with qtbot.waitSignal(card.answered) as said:
        qtbot.keyClick(card.note_edit, Qt.Key.Key_Return)
    assert said.args == [7, "value", "Bob: intro to Carol"]


def test_the_tray_lists_calls_waiting_and_picking_one_asks_again(qtbot) -> None:
    menu = QtWidgets.QMenu()
    qtbot.addWidget(menu)
    today = menu.addAction("Today so far")
    calls = CallsMenu(menu, today)
    assert not calls.action.isVisible()
    calls.set_calls((ZOOM, MEET))
    assert calls.action.isVisible() and calls.submenu.title() == "Calls to answer (2)"
    assert menu.actions().index(calls.action) < menu.actions().index(today)
    entries = calls.submenu.actions()
    assert [a.text() for a in entries] == ["Thu 10:05  Zoom, 34 min", "Thu 12:05  Meet, 5 min"]
    with qtbot.waitSignal(calls.requested) as picked:
        entries[1].trigger()
    assert picked.args == [8]
    calls.set_calls(())
    assert not calls.action.isVisible()


# --- a real X server ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def desktop() -> Iterator[object]:
    sys.path.insert(0, str(Path(__file__).parents[2]))
    from xdesktop import XDesktop, missing_binaries

    missing = missing_binaries()
    if missing:
        reason = f"needs {', '.join(missing)} (./scripts/test installs them)"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the X desktop tests, but it {reason}")
        pytest.skip(reason)
    with XDesktop(screen="1366x768x24") as fresh:
        yield fresh


@pytest.mark.xvfb
def test_on_x_the_card_leaves_the_keyboard_where_it_was_and_is_shot(desktop) -> None:
    desktop.open_window("typing here")  # an xterm the user types in
    desktop.activate("typing here")
    typing = desktop.active_window_id()
    tray = ",".join(map(str, desktop.tray_geometry()))
    shot = SHOTS_DIR / "call-card-1366x768.png"
    shutil.rmtree(SHOTS_DIR, ignore_errors=True)
    SHOTS_DIR.mkdir(parents=True)
    env = dict(desktop.env, QT_QPA_PLATFORM="xcb")
    child = subprocess.Popen([sys.executable, __file__, tray], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline()
        assert line.startswith("shown"), line + child.stderr.read()
        card = desktop.find_window(WINDOW_TITLE)
        assert card is not None, "the card is not on the X server"
        x, y, width, height = desktop.geometry(card)
        _tx, ty, _tw, _th = desktop.tray_geometry()
        assert x + width <= 1366 and y + height <= 768 and x + width > 1366 - 120  # in the tray's corner
        assert (y > ty) if ty < 384 else (y + height < ty)  # under a top tray, above a bottom one
        assert desktop.active_window_id() == typing  # the keyboard stayed with the xterm
        desktop.screenshot(shot)
        assert shot.stat().st_size > 10_000
    finally:
        child.terminate()
        child.wait(10)

def _show_on_x(tray: str) -> None:
    """Shows the card on $DISPLAY, prints "shown PID", and stays up until killed (by the test)."""
    from focusguard.ui.qt import QRect, QtCore
    from focusguard.ui.standalone import application

    app = application()
    widget = CallCard()
    x, y, w, h = (int(v) for v in tray.split(","))
    widget.show_call(ZOOM, QRect(x, y, w, h))
    QtCore.QTimer.singleShot(800, lambda: print("shown", flush=True))
    QtCore.QTimer.singleShot(60_000, app.quit)  # the test ends it long before
    app.exec()


if __name__ == "__main__":
    _show_on_x(sys.argv[1])

"""The status window that stands in for a missing tray: its text is never cut."""

from __future__ import annotations

import pytest

from focusguard.core.palette import TrayState
from focusguard.ui import tray
from focusguard.ui.qt import QtGui, QtWidgets
from focusguard.ui.tray import StatusWindow, TrayMenu, TrayPresenter

SUMMARY = ("Priority: Sales\nNext step: call Acme about the Q2 proposal\n0 min on it today\n"
           "focus 25%\nOff-priority streak: 0 min")
WHY = ("No system tray on this desktop, so FocusGuard shows this status window instead. "
       "On GNOME, the AppIndicator extension adds a tray.")


@pytest.mark.parametrize("point_size", [9, 11, 14])
def test_every_wrapped_line_fits_whatever_the_font(qtbot, point_size: int) -> None:
    app = QtWidgets.QApplication.instance()
    old = app.font()
    font = QtGui.QFont(old)
    font.setPointSize(point_size)
    app.setFont(font)
    try:
        window = StatusWindow(TrayMenu())
        qtbot.addWidget(window)
        window.set_state(TrayState.DISTRACTION)
        window.set_summary(SUMMARY)
        window.set_why(WHY)
        window.show()
        qtbot.waitExposed(window)
        for label in (window.text, window.detail, window.why):
            needed = label.heightForWidth(label.width())
            assert label.height() >= needed, f"{label.objectName()} cut: {label.height()} < {needed}"
            assert label.geometry().bottom() <= window.height()
    finally:
        app.setFont(old)


class CountingTray(QtWidgets.QSystemTrayIcon):
    """Counts the icon being set: each time repaints the tray icon (an X round trip)."""

    def __init__(self) -> None:
        super().__init__()
        self.icons_set = 0

    def setIcon(self, icon: QtGui.QIcon) -> None:
        self.icons_set += 1
        super().setIcon(icon)


def test_new_figures_in_the_tooltip_do_not_set_the_icon_again(qtbot) -> None:
    """The tooltip's figures change up to every sample; the icon only with the state."""
    presenter = TrayPresenter(TrayMenu(), tray_available=lambda: True)
    presenter.tray = CountingTray()
    presenter.start()
    presenter.set_state(TrayState.DISTRACTION)
    assert presenter.tray.icons_set == 2  # at start, and for the new state
    for seconds in range(5):
        presenter.set_tooltip(f"Priority: Sales\n{seconds} s on it today")
    assert presenter.tray.icons_set == 2
    assert presenter.tray.toolTip() == "Priority: Sales\n4 s on it today"
    presenter.set_state(TrayState.DISTRACTION)
    assert presenter.tray.icons_set == 2
    presenter.set_state(TrayState.PRIORITY)
    assert presenter.tray.icons_set == 3


def test_a_tray_icon_not_shown_is_not_told_the_figures(qtbot, monkeypatch) -> None:
    """No tray (the status window stands in): the hidden icon is left alone, and it
    shows the state and figures of the moment a tray appears."""
    monkeypatch.setattr(tray, "LATE_TRAY_POLL_MS", 200)
    available = [False]
    presenter = TrayPresenter(TrayMenu(), tray_available=lambda: available[0], wait_seconds=0.0)
    presenter.tray = CountingTray()
    presenter.start()
    qtbot.waitUntil(lambda: presenter.status is not None, timeout=3000)
    presenter.set_state(TrayState.DISTRACTION)
    presenter.set_tooltip("Priority: Sales\n3 min on it today")
    assert presenter.tray.icons_set == 0 and presenter.tray.toolTip() == ""
    assert "3 min on it today" in presenter.status.toolTip()
    available[0] = True
    qtbot.waitUntil(lambda: presenter.in_tray, timeout=3000)
    assert presenter.tray.icons_set == 1 and presenter.tray.toolTip() == "Priority: Sales\n3 min on it today"

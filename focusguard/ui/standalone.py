"""The QApplication of a window opened from the command line (``focusguard summary``,
``review``, ``settings``) rather than from the tray app, which has its own.

It carries the same name, desktop-file name and icon as the tray app, so the window
list, the task bar and the window's title bar show FocusGuard's icon, not a generic one.
"""

from __future__ import annotations

import sys

from focusguard.ui.icons import app_icon
from focusguard.ui.qt import QtWidgets


def application() -> QtWidgets.QApplication:
    """The running QApplication, or a new one; named and given FocusGuard's icon."""
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    app.setApplicationName("FocusGuard")
    app.setDesktopFileName("focusguard")
    app.setWindowIcon(app_icon())
    return app

"""FocusGuard's QApplication: the tray app's, and that of a window opened from the
command line (``focusguard summary``, ``review``, ``settings``).

One set-up for both: the same name, desktop-file name and icon, so the window list,
the task bar and the title bar show FocusGuard's icon, not a generic one; and a light
platform theme (see :func:`application`).
"""

from __future__ import annotations

import os
import sys

from focusguard.ui.icons import app_icon
from focusguard.ui.qt import QtWidgets


def application() -> QtWidgets.QApplication:
    """The running QApplication, or a new one; named and given FocusGuard's icon.

    A new one gets Qt's own platform theme unless the user chose one: the desktop's
    would load its whole toolkit (GTK 3 under GNOME: about 19 MB more peak memory, for
    windows drawn in FocusGuard's own look). Qt's platform chatter stays out of the log.
    """
    app = QtWidgets.QApplication.instance()
    if app is None:
        os.environ.setdefault("QT_QPA_PLATFORMTHEME", "generic")
        os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
        app = QtWidgets.QApplication(sys.argv[:1])
    assert isinstance(app, QtWidgets.QApplication)
    app.setApplicationName("FocusGuard")
    app.setDesktopFileName("focusguard")
    app.setWindowIcon(app_icon())
    return app

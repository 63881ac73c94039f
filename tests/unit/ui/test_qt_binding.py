"""The Qt binding must not leak or over-release references in a long-running tray app."""

from __future__ import annotations

import sys

from focusguard.ui.qt import QtWidgets


def test_calls_returning_none_keep_none_refcount(qtbot) -> None:
    """PySide6 6.12.0 on Python 3.11 dropped a reference to None on every call returning
    None, aborting the interpreter ("none_dealloc") after enough repaints; pyproject pins
    the binding below it. This fails on such a binding before the app ever would."""
    label = QtWidgets.QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for i in range(2000):
        label.setText(str(i))
        label.setEnabled(bool(i % 2))
    assert sys.getrefcount(None) - before > -100

"""The page the summary and the review windows are built on, and their shared columns.

Both windows use it, so it lives apart from either: the summary opens the review,
and neither imports the other's module to get its frame.
"""

from __future__ import annotations

from focusguard.ui.charts import Columns
from focusguard.ui.qt import QtCore, QtWidgets
from focusguard.ui.style import MARGIN, SECTION_SPACE, fit_to_screen, heading, muted, on_page

#: Full-width rows (the review's bars, the top off-priority list): a bar column capped
#: so the eye does not travel across the window to read a figure.
COLUMNS = Columns(label=200, bar=440, value=110, gap=14)


class ScrollPage(QtWidgets.QWidget):
    """A window whose content scrolls above a fixed footer of buttons, so a small
    screen clips nothing and the buttons stay in reach."""

    def __init__(self, title: str, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        on_page(self)
        self.content = QtWidgets.QWidget()
        self.body = QtWidgets.QVBoxLayout(self.content)
        self.body.setContentsMargins(MARGIN, 24, MARGIN, 12)
        self.body.setSpacing(6)
        scroll = QtWidgets.QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.content)
        self.footer = QtWidgets.QHBoxLayout()
        self.footer.setContentsMargins(MARGIN, 10, MARGIN, 18)
        self.footer.setSpacing(6)
        outer = QtWidgets.QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(scroll, 1)
        outer.addLayout(self.footer)
        self.status = muted(QtWidgets.QLabel(""))
        self.status.setWordWrap(True)  # a long "tomorrow's prompt: ..." never widens the window

    def section(self, title: str) -> QtWidgets.QLabel:
        self.body.addSpacing(SECTION_SPACE)
        label = heading(title)
        self.body.addWidget(label)
        self.body.addSpacing(4)
        return label

    def fit_to_screen(self, width: int, height: int) -> None:
        """At most ``width`` x ``height``, and never more than the screen has room for."""
        fit_to_screen(self, width, height)

    def present(self, *, activate: bool) -> None:
        """Shows or raises the window; ``activate=False`` leaves the keyboard where it is."""
        self.setAttribute(QtCore.Qt.WidgetAttribute.WA_ShowWithoutActivating, not activate)
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        if activate:
            self.activateWindow()

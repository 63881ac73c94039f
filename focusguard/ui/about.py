"""The About box: which FocusGuard this is, and where it keeps the user's data.

Window titles are personal, so the answer to "what does this app keep, and where?"
belongs one click from the tray: the three paths (settings, database, logs), each
with a link that opens its folder, and the promise that nothing leaves the machine.
The welcome window shows the same paths with the same widget (:class:`DataPaths`).

A pure view: the app passes the paths in; :meth:`AboutDialog.open_dialog` shows it
without blocking. "Open folder" asks the desktop (``xdg-open`` on Linux); where that
is missing or fails, the box says so and shows the path to copy, never nothing.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from focusguard import __version__
from focusguard.core import palette
from focusguard.ui.icons import app_icon
from focusguard.ui.qt import QtCore, QtGui, QtWidgets
from focusguard.ui.style import MARGIN, bold, helper, on_page, primary_button, scaled

TITLE = "About FocusGuard"
TAGLINE = "Catches productive distractions before they eat your day."
PRIVACY_LINE = (
    "Nothing leaves this machine: no account, no cloud, no telemetry. "
    "Private windows (password managers, private browsing) are never recorded."
)


@dataclass(frozen=True)
class DataLocations:
    """Where FocusGuard keeps things on this machine."""

    config: Path
    database: Path
    logs: Path

    def rows(self) -> tuple[tuple[str, Path], ...]:
        return (("Settings", self.config), ("History", self.database), ("Logs", self.logs))


def folder_not_opened(folder: Path) -> str:
    """What to say when the desktop could not open ``folder`` (no ``xdg-open``, or it failed)."""
    return (f"Could not open the folder: this desktop has no program to open folders "
            f"(on Linux, xdg-open from xdg-utils). Its path, to copy:\n{folder}")


class DataPaths(QtWidgets.QWidget):
    """A small grid: what, where (selectable), and a link opening the folder; under it, a
    line that says so when a folder could not be opened."""

    def __init__(self, locations: DataLocations, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.open_url: Callable[[QtCore.QUrl], bool] = QtGui.QDesktopServices.openUrl
        grid = QtWidgets.QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(6)
        self.path_labels: dict[str, QtWidgets.QLabel] = {}
        self.folders: dict[str, Path] = {}
        for row, (name, path) in enumerate(locations.rows()):
            what = QtWidgets.QLabel(name)
            what.setFont(bold(what.font()))
            where = QtWidgets.QLabel(str(path))
            where.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
            where.setWordWrap(True)
            where.setMinimumWidth(280)
            folder = path if name == "Logs" else path.parent
            link = QtWidgets.QLabel(f'<a href="{html.escape(name)}">Open folder</a>')
            link.linkActivated.connect(self.open_folder)
            link.setToolTip(str(folder))
            grid.addWidget(what, row, 0, QtCore.Qt.AlignmentFlag.AlignTop)
            grid.addWidget(where, row, 1)
            grid.addWidget(link, row, 2, QtCore.Qt.AlignmentFlag.AlignTop)
            self.path_labels[name] = where
            self.folders[name] = folder
        self.message = QtWidgets.QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.message.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        grid.addWidget(self.message, len(self.folders), 0, 1, 3)
        grid.setColumnStretch(1, 1)

    def open_folder(self, name: str) -> bool:
        """Opens the folder of row ``name`` ("Settings", "History", "Logs") in the file manager."""
        folder = self.folders[name]
        opened = bool(self.open_url(QtCore.QUrl.fromLocalFile(str(folder))))
        self.message.setText("" if opened else folder_not_opened(folder))
        self.message.setVisible(not opened)
        return opened


class AboutDialog(QtWidgets.QDialog):
    """Version, tagline, data locations, privacy promise, licence."""

    def __init__(self, locations: DataLocations, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        on_page(self)
        self.setMinimumWidth(580)
        icon = QtWidgets.QLabel()
        icon.setPixmap(app_icon().pixmap(64, 64))
        name = QtWidgets.QLabel("FocusGuard")
        name.setFont(bold(scaled(name.font(), 1.6)))
        self.version = helper(f"Version {__version__}")
        self.version.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        tagline = QtWidgets.QLabel(TAGLINE)
        tagline.setWordWrap(True)
        heading = QtWidgets.QVBoxLayout()
        heading.setSpacing(2)
        heading.addWidget(name)
        heading.addWidget(self.version)
        heading.addWidget(tagline)
        top = QtWidgets.QHBoxLayout()
        top.setSpacing(16)
        top.addWidget(icon, 0, QtCore.Qt.AlignmentFlag.AlignTop)
        top.addLayout(heading, 1)

        self.paths = DataPaths(locations)
        privacy = QtWidgets.QLabel(PRIVACY_LINE)
        privacy.setWordWrap(True)
        licence = helper("Free software under the MIT licence.")
        self.close_button = primary_button("Close")
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.reject)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, 24, MARGIN, 20)
        layout.setSpacing(14)
        layout.addLayout(top)
        layout.addWidget(_rule())
        layout.addWidget(self.paths)
        layout.addWidget(privacy)
        layout.addWidget(licence)
        layout.addLayout(buttons)

    def open_dialog(self) -> None:
        """Shows without blocking (a second click on the menu raises the same box)."""
        self.show()
        self.raise_()
        self.activateWindow()


def _rule() -> QtWidgets.QFrame:
    line = QtWidgets.QFrame()
    line.setFrameShape(QtWidgets.QFrame.Shape.HLine)
    line.setStyleSheet(f"color: {palette.HAIRLINE};")
    return line

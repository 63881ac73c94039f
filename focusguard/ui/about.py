"""The About box: which FocusGuard this is, and where it keeps the user's data.

Window titles are personal, so the answer to "what does this app keep, and where?"
belongs one click from the tray: the three paths (settings, database, logs), each
with a link that opens its folder, and the promise that nothing leaves the machine.
The welcome window shows the same paths with the same widget (:class:`DataPaths`).

A pure view: the app passes the paths in; :meth:`AboutDialog.open_dialog` shows it
without blocking.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from focusguard import __version__
from focusguard.ui.icons import app_icon
from focusguard.ui.qt import QtCore, QtWidgets

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


class DataPaths(QtWidgets.QWidget):
    """A small grid: what, where (selectable), and a link opening the folder."""

    def __init__(self, locations: DataLocations, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QtWidgets.QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(6)
        self.path_labels: dict[str, QtWidgets.QLabel] = {}
        for row, (name, path) in enumerate(locations.rows()):
            what = QtWidgets.QLabel(f"<b>{name}</b>")
            where = QtWidgets.QLabel(str(path))
            where.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
            where.setWordWrap(True)
            where.setMinimumWidth(280)
            folder = path if name == "Logs" else path.parent
            link = QtWidgets.QLabel(
                f'<a href="{html.escape(QtCore.QUrl.fromLocalFile(str(folder)).toString())}">Open folder</a>')
            link.setOpenExternalLinks(True)
            link.setToolTip(str(folder))
            grid.addWidget(what, row, 0, QtCore.Qt.AlignmentFlag.AlignTop)
            grid.addWidget(where, row, 1)
            grid.addWidget(link, row, 2, QtCore.Qt.AlignmentFlag.AlignTop)
            self.path_labels[name] = where
        grid.setColumnStretch(1, 1)


class AboutDialog(QtWidgets.QDialog):
    """Version, tagline, data locations, privacy promise, licence."""

    def __init__(self, locations: DataLocations, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.setMinimumWidth(560)
        icon = QtWidgets.QLabel()
        icon.setPixmap(app_icon().pixmap(64, 64))
        name = QtWidgets.QLabel("FocusGuard")
        font = name.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        name.setFont(font)
        self.version = QtWidgets.QLabel(f"Version {__version__}")
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
        licence = QtWidgets.QLabel("Free software under the MIT licence.")
        licence.setEnabled(False)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(22, 20, 22, 14)
        layout.setSpacing(14)
        layout.addLayout(top)
        layout.addWidget(_rule())
        layout.addWidget(self.paths)
        layout.addWidget(privacy)
        layout.addWidget(licence)
        layout.addWidget(buttons)

    def open_dialog(self) -> None:
        """Shows without blocking (a second click on the menu raises the same box)."""
        self.show()
        self.raise_()
        self.activateWindow()


def _rule() -> QtWidgets.QFrame:
    line = QtWidgets.QFrame()
    line.setFrameShape(QtWidgets.QFrame.Shape.HLine)
    line.setFrameShadow(QtWidgets.QFrame.Shadow.Sunken)
    return line

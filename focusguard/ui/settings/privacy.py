"""The Privacy page: what is recorded, for how long, where it lives, and deleting it.

"Delete all data..." names exactly what goes (how many events since when, the
declarations, nudges and journal entries, the file they are in) and what stays (the
settings file) before anything is deleted, and needs a second, explicit click.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from focusguard.core import palette, words
from focusguard.core.config import Config, PrivacySettings
from focusguard.core.timefmt import clock
from focusguard.records import Records
from focusguard.ui.about import folder_not_opened
from focusguard.ui.qt import QtCore, QtGui, QtWidgets
from focusguard.ui.settings.fields import NumberField, Page, PatternList, heading, help_label, option_help, option_label

#: What "Delete all data" removes: table -> how the confirmation names one row and several.
RECORDED = (("events", "recorded window event", "recorded window events"),
            ("declarations", "priority declaration", "priority declarations"),
            ("nudges", "nudge", "nudges"), ("journal", "end-of-day journal entry", "end-of-day journal entries"),
            ("goals", "goal with its steps", "goals with their steps"),
            ("delegations", "item marked to delegate", "items marked to delegate"),
            ("calls", "call with what you said it was", "calls with what you said they were"))


def deletion_text(records: Records) -> str:
    """The confirmation's words: what exactly will be deleted, and what is kept."""
    counts = records.recorded_counts()
    first = records.first_event_start()
    since = f" since {datetime.fromtimestamp(first):%d %B %Y}" if first is not None else ""
    parts = [words.plural(counts[table], one, many) + (since if table == "events" else "")
             for table, one, many in RECORDED]
    return (f"This permanently deletes everything FocusGuard has recorded in\n{records.path}:\n\n"
            + "".join(f"• {part}\n" for part in parts) + "\n"
            "Your settings (config.toml) are kept. This cannot be undone.")


class PrivacyPage(Page):
    """Emits ``data_deleted`` after "Delete all data..." was confirmed and done."""

    data_deleted = QtCore.Signal()

    def __init__(self, records: Records, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__("Privacy", "Everything stays on this computer. Decide what is recorded and how long "
                                    "it is kept.", parent)
        self.records = records
        self.open_url: Callable[[QtCore.QUrl], bool] = QtGui.QDesktopServices.openUrl
        form = self.form()
        self.record_titles = QtWidgets.QCheckBox("&Record window titles")
        titles = QtWidgets.QWidget()
        column = QtWidgets.QVBoxLayout(titles)
        column.setContentsMargins(0, 0, 0, 4)
        column.addWidget(self.record_titles)
        column.addWidget(help_label("When off, titles are still used to match your rules but never stored."))
        titles.setFocusProxy(self.record_titles)
        form.addRow("Titles:", titles)
        self.exclude_apps = PatternList("glob", "privacy.exclude_apps", "keepassxc\n*1password*")
        self.exclude_titles = PatternList("regex", "privacy.exclude_titles", "(?i)incognito|private browsing")
        for field, path in ((self.exclude_apps, "privacy.exclude_apps"),
                            (self.exclude_titles, "privacy.exclude_titles")):
            box = QtWidgets.QWidget()
            column = QtWidgets.QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 4)
            column.addWidget(field)
            column.addWidget(help_label(option_help(path) + " One a line."))
            box.setFocusProxy(field)
            form.addRow(option_label(path), box)
        self.keep_days = NumberField("privacy.keep_days", step=30, decimals=0, ui_max=3650)
        form.addRow(option_label("privacy.keep_days"), self.keep_days)

        self.body.addSpacing(8)
        self.body.addWidget(heading("Your data", 1.1))
        self.path_label = QtWidgets.QLabel(str(records.path))
        self.path_label.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse
                                                | QtCore.Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.path_label.setWordWrap(True)
        self.size_label = QtWidgets.QLabel()
        data = QtWidgets.QFormLayout()
        data.setHorizontalSpacing(16)
        data.addRow("Database:", self.path_label)
        data.addRow("Size:", self.size_label)
        self.body.addLayout(data)
        buttons = QtWidgets.QHBoxLayout()
        self.open_folder = QtWidgets.QPushButton("&Open data folder")
        self.open_folder.clicked.connect(self.open_data_folder)
        self.delete_button = QtWidgets.QPushButton("&Delete all data...")
        self.delete_button.setStyleSheet(f"QPushButton {{ color: {palette.shade(palette.DISTRACTION, 0.2)}; }}")
        self.delete_button.clicked.connect(self.request_delete)
        buttons.addWidget(self.open_folder)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        self.body.addLayout(buttons)
        self.status = help_label("")
        self.status.hide()
        self.body.addWidget(self.status)
        self.body.addStretch(1)
        self.confirm_box: QtWidgets.QMessageBox | None = None
        self.record_titles.toggled.connect(self.changed)
        for edited in (self.exclude_apps, self.exclude_titles, self.keep_days):
            edited.changed.connect(self.changed)

    def load(self, config: Config) -> None:
        privacy = config.privacy
        self.record_titles.setChecked(privacy.record_titles)
        self.exclude_apps.set_items(privacy.exclude_apps)
        self.exclude_titles.set_items(privacy.exclude_titles)
        self.keep_days.set_value(privacy.keep_days)
        self.refresh_database()

    def apply(self, config: Config) -> Config:
        return replace(config, privacy=replace(
            config.privacy,
            record_titles=self.record_titles.isChecked(),
            exclude_apps=self.exclude_apps.items(),
            exclude_titles=self.exclude_titles.items(),
            keep_days=int(self.keep_days.value()),
        ))

    def preview_privacy(self, config: Config) -> PrivacySettings:
        """The privacy settings as edited, without patterns the config would refuse."""
        return replace(self.apply(config).privacy, exclude_apps=self.exclude_apps.valid_items(),
                       exclude_titles=self.exclude_titles.valid_items())

    def refresh_database(self) -> None:
        counts = self.records.recorded_counts()
        self.size_label.setText(f"{words.size(self.records.size())} "
                                f"({words.plural(counts['events'], 'window event')}, "
                                f"{words.plural(counts['declarations'], 'declaration')})")

    def open_data_folder(self) -> bool:
        """Opens the folder in the file manager; where nothing can, says so with the path."""
        folder = self.records.path.parent
        opened = bool(self.open_url(QtCore.QUrl.fromLocalFile(str(folder))))
        if not opened:
            self.status.setText(folder_not_opened(folder))
            self.status.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.setVisible(not opened)
        return opened

    def request_delete(self) -> None:
        """Asks first, naming what goes; shown without blocking (``open``)."""
        box = QtWidgets.QMessageBox(self)
        box.setIcon(QtWidgets.QMessageBox.Icon.Warning)
        box.setWindowTitle("FocusGuard: delete all data?")
        box.setText("Delete all recorded data?")
        box.setInformativeText(deletion_text(self.records))
        delete = box.addButton("Delete all data", QtWidgets.QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("Keep my data", QtWidgets.QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.buttonClicked.connect(lambda button: self.delete_all() if button is delete else None)
        self.confirm_box = box
        box.open()

    def delete_all(self) -> None:
        self.records.delete_all()
        self.refresh_database()
        self.status.setText(f"All recorded data was deleted at {clock(time.time(), self.records.tz)}.")
        self.status.show()
        self.data_deleted.emit()

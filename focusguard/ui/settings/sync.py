"""The settings window's Sync page (issue 16): the folder, how often, the computer whose
activities this one follows, and every device's health.

The folder, the interval and the followed computer are config options like any other
(Save writes them); the device list is read from the database through
``Records.sync_health`` -- each other device, when its last file arrived, and what is
wrong with it (gone silent, a clock that disagrees, a file that could not be merged).
"""

from __future__ import annotations

from focusguard.core.config import Config, with_options
from focusguard.records import Records
from focusguard.ui.qt import QtWidgets
from focusguard.ui.settings.fields import (
    Page,
    Spin,
    help_label,
    load_numbers,
    message_label,
    number_fields,
    number_values,
    option_label,
    show_problems,
    with_help,
)

SYNC_NUMBERS = {"sync.interval_minutes": Spin(ui_max=120)}


class SyncPage(Page):
    def __init__(self, records: Records, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__("Sync", "Several computers, one day: each writes its own history into a folder that "
                                 "Syncthing, Dropbox, Nextcloud or a network share keeps in step, and merges "
                                 "the others'.", parent)
        self.records = records
        form = self.form()
        self.folder = QtWidgets.QLineEdit()
        self.folder.setPlaceholderText("~/Sync/FocusGuard")
        self.folder.setMinimumWidth(self.fontMetrics().horizontalAdvance("x") * 40)
        self.folder.textEdited.connect(self.changed)
        form.addRow(option_label("sync.folder"), with_help(self.folder, "sync.folder"))
        self.numbers = number_fields(form, SYNC_NUMBERS)
        for field in self.numbers.values():
            field.changed.connect(self.changed)
        self.follow = QtWidgets.QLineEdit()
        self.follow.setPlaceholderText("(its own)")
        self.follow.textEdited.connect(self.changed)
        form.addRow(option_label("sync.follow"), with_help(self.follow, "sync.follow"))
        self.body.addWidget(help_label("Devices:"))
        self.devices = message_label()
        self.devices.setAccessibleName("Devices")
        self.body.addWidget(self.devices)
        self.body.addStretch(1)

    def load(self, config: Config) -> None:
        self.folder.setText(config.sync.folder)
        self.follow.setText(config.sync.follow)
        load_numbers(self.numbers, config)
        self.show_devices(config)

    def show_devices(self, config: Config) -> None:
        if not config.sync.folder:
            show_problems(self.devices, ["Sync is off: name a folder, save, and run `focusguard sync setup "
                                         "FOLDER` once on each computer."], error=False)
            return
        lines = self.records.sync_health(config.sync.interval_minutes * 60)
        show_problems(self.devices, [text for text, _ in lines], error=not all(ok for _, ok in lines))

    def apply(self, config: Config) -> Config:
        return with_options(config, {"sync.folder": self.folder.text().strip(),
                                     "sync.follow": self.follow.text().strip(), **number_values(self.numbers)})

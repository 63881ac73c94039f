"""The plain pages of the settings window: Nudges, Schedule and General.

Each page shows a part of a :class:`~focusguard.core.config.Config` (``load``) and
writes the user's edits back into one (``apply``); the window owns saving. Pages
emit ``changed`` on every edit so the window knows about unsaved changes.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import replace

from focusguard.core import palette
from focusguard.core.config import DAY_NAMES, Config, FocusBlock, with_options
from focusguard.platform.autostart import AutostartBackend
from focusguard.ui.qt import QtCore, QtWidgets
from focusguard.ui.settings.fields import (
    ERROR_FILL,
    Page,
    PatternList,
    Spin,
    help_label,
    load_numbers,
    message_label,
    number_fields,
    number_values,
    option_default,
    option_help,
    option_label,
    show_problems,
    with_help,
)

DAY_LABELS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
OUTSIDE_MODES = (("nudge", "Keep nudging"), ("track", "Only record"))
NUDGE_NUMBERS = {
    "nudge.distraction_after_minutes": Spin(ui_max=480),
    "nudge.off_priority_after_minutes": Spin(ui_max=480),
    "nudge.grace_seconds": Spin(ui_max=600, step=5, decimals=0),
    "nudge.snooze_minutes": Spin(ui_max=240),
}
SCHEDULE_NUMBERS = {"day.blocks_kept_target": Spin(ui_max=100, step=5, decimals=0)}
#: A block's activity choice meaning "none": it is judged on the day's priority.
ANY_PRIORITY = "The day's priority"
GENERAL_NUMBERS = {
    "sampling.interval_seconds": Spin(ui_max=60, step=0.5),
    "sampling.idle_after_minutes": Spin(ui_max=120),
}


def _qtime(value: datetime.time) -> QtCore.QTime:
    return QtCore.QTime(value.hour, value.minute)


def _time(value: QtCore.QTime) -> datetime.time:
    return datetime.time(value.hour(), value.minute())


def time_edit() -> QtWidgets.QTimeEdit:
    edit = QtWidgets.QTimeEdit()
    edit.setDisplayFormat("HH:mm")
    edit.setMinimumWidth(90)
    edit.setKeyboardTracking(False)
    return edit


class NudgesPage(Page):
    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__("Nudges", "When FocusGuard interrupts an off-priority streak, and when it holds back.",
                         parent)
        form = self.form()
        self.numbers = number_fields(form, NUDGE_NUMBERS)
        self.distraction, self.off_priority, self.grace, self.snooze = self.numbers.values()
        self.hold = PatternList("glob", "nudge.hold_during_apps", "zoom*\n*teams*")
        hold = QtWidgets.QWidget()
        column = QtWidgets.QVBoxLayout(hold)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.hold)
        column.addWidget(help_label(option_help("nudge.hold_during_apps") + " One app-name glob a line."))
        hold.setFocusProxy(self.hold)
        form.addRow(option_label("nudge.hold_during_apps"), hold)
        self.body.addStretch(1)
        for field in (self.distraction, self.off_priority, self.grace, self.snooze, self.hold):
            field.changed.connect(self.changed)

    def load(self, config: Config) -> None:
        load_numbers(self.numbers, config)
        self.hold.set_items(config.nudge.hold_during_apps)

    def apply(self, config: Config) -> Config:
        return with_options(config, {**number_values(self.numbers), "nudge.hold_during_apps": self.hold.items()})


class FocusBlockRow(QtWidgets.QFrame):
    """One focus block: its days as toggle buttons, start and end, and Remove."""

    changed = QtCore.Signal()
    remove_requested = QtCore.Signal(object)

    def __init__(self, block: FocusBlock, activities: Sequence[str] = (),
                 parent: QtWidgets.QWidget | None = None) -> None:
        """``activities``: what the block can be for (its own, if not among them, too)."""
        super().__init__(parent)
        self.setObjectName("focusBlock")
        self.setFrameShape(QtWidgets.QFrame.Shape.StyledPanel)
        # A checked day must read as "on" at a glance, not as a slightly darker button.
        self.setStyleSheet(
            f"QToolButton {{ border: 1px solid #B8BEC6; border-radius: 4px; padding: 3px 6px; background: white; }}"
            f"QToolButton:checked {{ background: {palette.NO_PRIORITY}; color: white;"
            f" border-color: {palette.shade(palette.NO_PRIORITY, 0.2)}; font-weight: bold; }}"
            f"QToolButton:focus {{ border: 2px solid {palette.shade(palette.NO_PRIORITY, 0.35)}; }}")
        self.days: list[QtWidgets.QToolButton] = []
        row = QtWidgets.QHBoxLayout()
        row.setSpacing(4)
        for number, label in enumerate(DAY_LABELS):
            button = QtWidgets.QToolButton()
            button.setText(label)
            button.setCheckable(True)
            button.setChecked(number in block.days)
            button.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
            button.setAccessibleName(f"Focus block on {DAY_NAMES[number]}")
            button.toggled.connect(self._on_change)
            self.days.append(button)
            row.addWidget(button)
        row.addStretch(1)
        times = QtWidgets.QHBoxLayout()
        times.setSpacing(6)
        self.start = time_edit()
        self.end = time_edit()
        self.start.setTime(_qtime(block.start))
        self.end.setTime(_qtime(block.end))
        self.start.setAccessibleName("Start")
        self.end.setAccessibleName("End")
        for edit in (self.start, self.end):
            edit.timeChanged.connect(self._on_change)
        times.addWidget(QtWidgets.QLabel("From"))
        times.addWidget(self.start)
        times.addWidget(QtWidgets.QLabel("to"))
        times.addWidget(self.end)
        times.addStretch(1)
        self.remove = QtWidgets.QPushButton("Remove")
        self.remove.clicked.connect(lambda: self.remove_requested.emit(self))
        times.addWidget(self.remove)
        self.name = QtWidgets.QLineEdit(block.name)
        self.name.setPlaceholderText("Name, e.g. Outreach calls")
        self.name.setAccessibleName("Focus block name")
        self.name.textChanged.connect(self._on_change)
        self.activity = QtWidgets.QComboBox()
        self.activity.setAccessibleName("Focus block activity")
        self.activity.addItem(ANY_PRIORITY, "")
        for name in [*activities, *([block.activity] if block.activity and block.activity not in activities else [])]:
            self.activity.addItem(name, name)
        self.activity.setCurrentIndex(max(self.activity.findData(block.activity), 0))
        self.activity.currentIndexChanged.connect(self._on_change)
        what = QtWidgets.QHBoxLayout()  # issue 14: what the block is for, judged kept or not
        what.setSpacing(6)
        what.addWidget(self.name, 1)
        what.addWidget(QtWidgets.QLabel("for"))
        what.addWidget(self.activity)
        self.message = message_label()
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(6)
        layout.addLayout(what)
        layout.addLayout(row)
        layout.addLayout(times)
        layout.addWidget(self.message)
        self._check()

    def block(self) -> FocusBlock:
        days = frozenset(i for i, button in enumerate(self.days) if button.isChecked())
        return FocusBlock(days, _time(self.start.time()), _time(self.end.time()),
                          name=self.name.text().strip(), activity=self.activity.currentData())

    def _on_change(self) -> None:
        self._check()
        self.changed.emit()

    def _check(self) -> None:
        """The in-place hints; Save runs the config's own check, which says the same."""
        block = self.block()
        problems = []
        if not block.days:
            problems.append("Pick at least one day.")
        if block.end <= block.start:
            problems.append(f"The end must be after the start ({block.start:%H:%M}).")
        show_problems(self.message, problems)
        self.end.setStyleSheet(f"QTimeEdit {{ background: {ERROR_FILL}; }}" if block.end <= block.start else "")


class SchedulePage(Page):
    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(
            "Schedule",
            "Focus blocks are the hours you protect. Outside them FocusGuard keeps nudging or only "
            "records, as you choose below. With no focus block, it nudges all day.", parent)
        self.rows: list[FocusBlockRow] = []
        self.blocks = QtWidgets.QVBoxLayout()
        self.blocks.setSpacing(6)
        self.none_label = help_label("No focus blocks: nudges can come at any time of day.")
        self.body.addWidget(self.none_label)
        self.body.addLayout(self.blocks)
        self.add_button = QtWidgets.QPushButton("&Add focus block")
        self.add_button.clicked.connect(self.add_block)
        add_row = QtWidgets.QHBoxLayout()
        add_row.addWidget(self.add_button)
        add_row.addStretch(1)
        self.body.addLayout(add_row)
        self.body.addSpacing(10)
        form = self.form()
        self.day_end = time_edit()
        self.day_end.timeChanged.connect(self.changed)
        form.addRow(option_label("day.end"), with_help(self.day_end, "day.end", bottom=4))
        self.outside = QtWidgets.QComboBox()
        for value, text in OUTSIDE_MODES:
            self.outside.addItem(text, value)
        self.outside.currentIndexChanged.connect(self.changed)
        form.addRow(option_label("day.outside_focus_blocks"), with_help(self.outside, "day.outside_focus_blocks"))
        self.numbers = number_fields(form, SCHEDULE_NUMBERS)
        for field in self.numbers.values():
            field.changed.connect(self.changed)
        self.activities: list[str] = []
        self.body.addStretch(1)

    def load(self, config: Config) -> None:
        for row in list(self.rows):
            self._remove(row, notify=False)
        self.activities = config.activity_names
        load_numbers(self.numbers, config)
        for block in config.focus_blocks:
            self._add(block)
        self.day_end.setTime(_qtime(config.day.end))
        self.outside.setCurrentIndex(max(self.outside.findData(config.day.outside_focus_blocks), 0))
        self._update_empty()

    def apply(self, config: Config) -> Config:
        config = with_options(config, number_values(self.numbers))
        return replace(
            config,
            focus_blocks=tuple(row.block() for row in self.rows),
            day=replace(config.day, end=_time(self.day_end.time()),
                        outside_focus_blocks=self.outside.currentData()),
        )

    def add_block(self) -> None:
        """A new block on the config's default days, 09:00 to 11:00; focus on its first day."""
        row = self._add(FocusBlock(option_default("focus_block[].days"), datetime.time(9), datetime.time(11)))
        self._update_empty()
        row.start.setFocus()
        self.changed.emit()

    def _add(self, block: FocusBlock) -> FocusBlockRow:
        row = FocusBlockRow(block, self.activities)
        row.changed.connect(self.changed)
        row.remove_requested.connect(self._remove)
        self.rows.append(row)
        self.blocks.addWidget(row)
        return row

    def _remove(self, row: FocusBlockRow, notify: bool = True) -> None:
        self.rows.remove(row)
        self.blocks.removeWidget(row)
        row.hide()
        row.deleteLater()
        self._update_empty()
        if notify:
            self.add_button.setFocus()
            self.changed.emit()

    def _update_empty(self) -> None:
        self.none_label.setVisible(not self.rows)


class GeneralPage(Page):
    def __init__(self, autostart: AutostartBackend, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__("General", "How FocusGuard watches, and whether it starts by itself.", parent)
        self.autostart = autostart
        form = self.form()
        self.numbers = number_fields(form, GENERAL_NUMBERS)
        self.interval, self.idle = self.numbers.values()
        self.start_at_login = QtWidgets.QCheckBox("&Start FocusGuard when I log in")
        self.start_at_login.toggled.connect(self.changed)
        where = getattr(autostart, "path", None)
        login = QtWidgets.QWidget()
        column = QtWidgets.QVBoxLayout(login)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.start_at_login)
        column.addWidget(help_label(
            "A guard you must remember to start is easy to forget. "
            + (f"Saving writes {where}." if where else "Saving adds FocusGuard to your login items.")))
        login.setFocusProxy(self.start_at_login)
        form.addRow("Login:", login)
        self.body.addStretch(1)
        for field in (self.interval, self.idle):
            field.changed.connect(self.changed)

    def load(self, config: Config) -> None:
        load_numbers(self.numbers, config)
        self.start_at_login.setChecked(self.autostart.is_enabled())

    def apply(self, config: Config) -> Config:
        return with_options(config, number_values(self.numbers))

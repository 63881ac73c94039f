"""The settings window's Calls page (issue 15): when chill calls belong, from which
length a call is asked about, the microphone, and the calendar file.

The chill-call times are one slot a line ("mon-fri 12:00-13:00"), each line checked
as you type with the config's own words; Save is refused while a line is wrong
(``problems``), as it is for a bad rule.
"""

from __future__ import annotations

from focusguard.core.config import Config, Problem, with_options
from focusguard.core.config.slots import format_slot, parse_slot
from focusguard.ui.qt import QtWidgets
from focusguard.ui.settings.fields import (
    ERROR_FILL,
    Page,
    Spin,
    help_label,
    load_numbers,
    message_label,
    number_fields,
    number_values,
    option_help,
    option_label,
    show_problems,
    with_help,
)

CALL_NUMBERS = {"calls.ask_after_minutes": Spin(ui_max=60, step=0.5)}
SLOTS = "calls.chill_call_times"


class CallsPage(Page):
    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__("Calls", "Nudges wait during a call; afterwards FocusGuard asks whether it was a value "
                                  "call or a chill call, and keeps chill calls to their time.", parent)
        form = self.form()
        self.slots = QtWidgets.QPlainTextEdit()
        self.slots.setTabChangesFocus(True)
        self.slots.setPlaceholderText("mon-fri 12:00-13:00\nsat,sun 10:00-24:00")
        self.slots.setFixedHeight(self.slots.fontMetrics().lineSpacing() * 5 + 12)
        self.slots.textChanged.connect(self._check)
        self.slots_message = message_label()
        slots = QtWidgets.QWidget()
        column = QtWidgets.QVBoxLayout(slots)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.slots)
        column.addWidget(self.slots_message)
        column.addWidget(help_label(option_help(SLOTS) + " One time a line."))
        slots.setFocusProxy(self.slots)
        form.addRow(option_label(SLOTS), slots)
        self.numbers = number_fields(form, CALL_NUMBERS)
        self.microphone = QtWidgets.QCheckBox(option_label("calls.use_microphone").rstrip(":"))
        microphone = QtWidgets.QWidget()
        column = QtWidgets.QVBoxLayout(microphone)
        column.setContentsMargins(0, 0, 0, 4)
        column.setSpacing(3)
        column.addWidget(self.microphone)
        column.addWidget(help_label(option_help("calls.use_microphone")))
        microphone.setFocusProxy(self.microphone)
        form.addRow("Microphone:", microphone)
        self.calendar = QtWidgets.QLineEdit()
        self.calendar.setPlaceholderText("~/Calendars/work.ics")
        self.calendar.setMinimumWidth(self.fontMetrics().horizontalAdvance("x") * 40)
        form.addRow(option_label("calls.calendar_file"), with_help(self.calendar, "calls.calendar_file"))
        self.body.addStretch(1)
        for field in self.numbers.values():
            field.changed.connect(self.changed)
        self.microphone.toggled.connect(self.changed)
        self.calendar.textEdited.connect(self.changed)
        self._problems: list[Problem] = []

    def load(self, config: Config) -> None:
        self.slots.setPlainText("\n".join(format_slot(slot) for slot in config.calls.chill_call_times))
        load_numbers(self.numbers, config)
        self.microphone.setChecked(config.calls.use_microphone)
        self.calendar.setText(config.calls.calendar_file)

    def _lines(self) -> list[str]:
        return [line.strip() for line in self.slots.toPlainText().splitlines() if line.strip()]

    def _check(self) -> None:
        self._problems = []
        for index, line in enumerate(self._lines()):
            try:
                parse_slot(line)
            except ValueError as exc:
                self._problems.append(Problem(f"{SLOTS}[{index}]", f"{line!r} {exc}"))
        show_problems(self.slots_message, [f"line {int(p.path.rsplit('[', 1)[1][:-1]) + 1}: {p.message}"
                                           for p in self._problems])
        self.slots.setStyleSheet(f"QPlainTextEdit {{ background: {ERROR_FILL}; }}" if self._problems else "")
        self.changed.emit()

    def problems(self) -> list[Problem]:
        """Lines that are no slot: Save refuses them (``apply`` leaves them out)."""
        return list(self._problems)

    def apply(self, config: Config) -> Config:
        slots = []
        for line in self._lines():
            try:
                slots.append(parse_slot(line))
            except ValueError:
                continue  # said on the page; Save refuses it (problems)
        return with_options(config, {SLOTS: tuple(slots), **number_values(self.numbers),
                                     "calls.use_microphone": self.microphone.isChecked(),
                                     "calls.calendar_file": self.calendar.text().strip()})

"""The settings window's building blocks: fields whose limits come from the config's
own option table, pattern lists checked as you type, and the page scaffolding.

Every field's label, unit, bounds and help come from the config's schema
(:data:`focusguard.core.config.OPTIONS`), so the window can never accept what the
file would refuse, nor call an option otherwise than the reference does; the help
line under each field is the option's own description plus its unit and limits.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from focusguard.core import palette
from focusguard.core.config import Config, Number, Problem, check_pattern, option, option_value
from focusguard.ui import style
from focusguard.ui.qt import QtCore, QtGui, QtWidgets
from focusguard.ui.style import helper

ERROR = palette.DISTRACTION
WARNING = palette.PRODUCTIVE_DISTRACTION
ERROR_FILL = palette.tint(palette.DISTRACTION, 0.16)
WARNING_FILL = palette.tint(palette.PRODUCTIVE_DISTRACTION, 0.18)

def option_label(path: str) -> str:
    """The option's form label, with its mnemonic, from the schema."""
    return option(path).label


def option_help(path: str) -> str:
    """The option's description from the schema (one source for file and window),
    in the window's words where the file's would be config syntax."""
    return option(path).help


def option_default(path: str) -> Any:
    """The option's default as the config converts it (e.g. day names as numbers); its
    type is the option's, which the caller knows."""
    found = option(path)
    return found.type.convert(found.default, path, [])


def help_label(text: str) -> QtWidgets.QLabel:
    """A muted, wrapping explanation under a field (muted, not faint: it reads)."""
    label = helper(text)
    label.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.NoTextInteraction)
    return label


def with_help(field: QtWidgets.QWidget, option: str, *, bottom: int = 0) -> QtWidgets.QWidget:
    """``field`` at its natural width with the option's help under it, as one form cell
    that passes the keyboard focus (and its form label's mnemonic) to the field."""
    cell = QtWidgets.QWidget()
    column = QtWidgets.QVBoxLayout(cell)
    column.setContentsMargins(0, 0, 0, bottom)
    line = QtWidgets.QHBoxLayout()
    line.addWidget(field)
    line.addStretch(1)
    column.addLayout(line)
    column.addWidget(help_label(option_help(option)))
    cell.setFocusProxy(field)
    return cell


def message_label() -> QtWidgets.QLabel:
    """A wrapping line for in-place problems; hidden while there are none."""
    label = QtWidgets.QLabel()
    label.setWordWrap(True)
    label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
    label.hide()
    return label


def show_problems(label: QtWidgets.QLabel, lines: Sequence[str], *, error: bool = True) -> None:
    label.setText("\n".join(lines))
    label.setStyleSheet(f"color: {ERROR if error else shade(WARNING)};")
    label.setVisible(bool(lines))


def shade(colour: str) -> str:
    """Amber text is hard to read on white: darken it for words, keep it for fills."""
    return palette.shade(colour, 0.3)


def heading(text: str, scale: float = 1.4) -> QtWidgets.QLabel:
    """A page or section title in the one family's second weight."""
    label = style.heading(text, scale)
    label.setWordWrap(True)
    return label


def dot_icon(colour: str, size: int = 12) -> QtGui.QIcon:
    """A filled disc in ``colour``: the palette's mark next to a class or kind."""
    pixmap = QtGui.QPixmap(size * 2, size * 2)
    pixmap.fill(QtCore.Qt.GlobalColor.transparent)
    painter = QtGui.QPainter(pixmap)
    painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
    painter.setBrush(QtGui.QColor(colour))
    painter.setPen(QtGui.QPen(QtGui.QColor(palette.shade(colour, 0.25)), 1.5))
    painter.drawEllipse(QtCore.QRectF(2, 2, size * 2 - 4, size * 2 - 4))
    painter.end()
    pixmap.setDevicePixelRatio(2)
    return QtGui.QIcon(pixmap)


class Page(QtWidgets.QScrollArea):
    """One page of the window: a heading, an intro line, then its content, scrolling
    when the window is small rather than squeezing text until it clips."""

    changed = QtCore.Signal()

    def __init__(self, title: str, intro: str, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.setWidgetResizable(True)
        self.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        body = QtWidgets.QWidget()
        body.setObjectName("settingsPage")
        self.body = QtWidgets.QVBoxLayout(body)
        self.body.setContentsMargins(style.MARGIN, 24, style.MARGIN, 20)
        self.body.setSpacing(10)
        self.body.addWidget(heading(title))
        self.body.addWidget(help_label(intro))
        self.body.addSpacing(style.SECTION_SPACE - 10)
        self.setWidget(body)

    def form(self) -> QtWidgets.QFormLayout:
        """A two-column form added to the page, labels right-aligned on top of their rows."""
        form = QtWidgets.QFormLayout()
        form.setRowWrapPolicy(QtWidgets.QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setFieldGrowthPolicy(QtWidgets.QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignTop)
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(6)
        self.body.addLayout(form)
        return form


class NumberField(QtWidgets.QWidget):
    """A spin box for one numeric option: its unit and limits from the schema, and its
    description with the limits spelt out underneath. ``ui_max`` caps the arrows'
    range below the file's limit (a file value beyond it widens it, see set_value)."""

    changed = QtCore.Signal()

    def __init__(self, path: str, *, step: float = 1.0, decimals: int = 1,
                 ui_max: float, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        unit = option(path).unit
        kind = option(path).type
        assert isinstance(kind, Number)
        self.path = path
        self._ui_max = min(kind.high, ui_max)
        self.integer = kind.integer
        self.spin: QtWidgets.QSpinBox | QtWidgets.QDoubleSpinBox
        if kind.integer:
            self.spin = QtWidgets.QSpinBox()
        else:
            self.spin = QtWidgets.QDoubleSpinBox()
            self.spin.setDecimals(decimals)
        low = kind.low
        self.low = low
        self.spin.setRange(low, self._ui_max)  # type: ignore[arg-type]
        self.spin.setSingleStep(step)  # type: ignore[arg-type]
        self.spin.setSuffix(f" {unit}")
        self.spin.setAccelerated(True)
        self.spin.setKeyboardTracking(False)
        self.spin.setMinimumWidth(130)
        self.spin.valueChanged.connect(self.changed)
        limits = f"{_fmt(low)} to {_fmt(self._ui_max)} {unit}"
        self.spin.setToolTip(f"{option_help(path)} ({limits})")
        self.help = help_label(f"{option_help(path)} Allowed: {limits}.")
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.setSpacing(3)
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.spin)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.help)
        self.setFocusProxy(self.spin)

    def set_value(self, value: float) -> None:
        # A valid file value beyond the window's usual range widens it instead of
        # being clamped: opening and saving must never change what was not touched.
        self.spin.setMaximum(max(self._ui_max, value))  # type: ignore[arg-type]
        self.spin.setMinimum(min(self.low, value))  # type: ignore[arg-type]
        self.spin.setValue(int(value) if self.integer else float(value))  # type: ignore[arg-type]

    def value(self) -> float:
        return self.spin.value()


@dataclass(frozen=True)
class Spin:
    """How a number field's arrows move: the step, the decimals shown, and the upper
    end of their range (the file may allow more; see NumberField)."""

    ui_max: float
    step: float = 1.0
    decimals: int = 1


def number_fields(form: QtWidgets.QFormLayout, spins: Mapping[str, Spin]) -> dict[str, NumberField]:
    """A NumberField for each option path, added to ``form`` under the option's label."""
    fields = {}
    for path, spin in spins.items():
        fields[path] = NumberField(path, step=spin.step, decimals=spin.decimals, ui_max=spin.ui_max)
        form.addRow(option_label(path), fields[path])
    return fields


def load_numbers(fields: Mapping[str, NumberField], config: Config) -> None:
    """Each field shows its option's value in ``config``."""
    for path, field in fields.items():
        value = option_value(config, path)
        assert isinstance(value, int | float)
        field.set_value(value)


def number_values(fields: Mapping[str, NumberField]) -> dict[str, float]:
    """Option path -> the value its field holds (whole for an integer option)."""
    return {path: int(field.value()) if field.integer else field.value() for path, field in fields.items()}


def _fmt(number: float) -> str:
    return f"{number:g}" if not math.isinf(number) else "any"


class PatternList(QtWidgets.QWidget):
    """Globs or regexes, one a line, each line checked as you type with the config's
    own check (same words as ``focusguard config check``)."""

    changed = QtCore.Signal()

    def __init__(self, kind: str, path: str, placeholder: str,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.path = path
        self.edit = QtWidgets.QPlainTextEdit()
        self.edit.setTabChangesFocus(True)
        self.edit.setPlaceholderText(placeholder)
        self.edit.setLineWrapMode(QtWidgets.QPlainTextEdit.LineWrapMode.NoWrap)
        self.edit.textChanged.connect(self._on_text)
        self.message = message_label()
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(self.edit)
        layout.addWidget(self.message)
        self.setFocusProxy(self.edit)
        self.problems: list[Problem] = []

    def set_items(self, items: Sequence[str]) -> None:
        self.edit.setPlainText("\n".join(items))
        self._fit()

    def _fit(self) -> None:
        """Tall enough for every line (and a blank one to type into), up to ten lines,
        so a short list never shows a half-cut last line."""
        lines = min(max(self.edit.document().blockCount() + 1, 4), 10)
        margins = self.edit.contentsMargins()
        document_margin = 2 * self.edit.document().documentMargin()
        self.edit.setFixedHeight(int(self.edit.fontMetrics().lineSpacing() * lines + document_margin
                                     + margins.top() + margins.bottom() + 2))

    def items(self) -> tuple[str, ...]:
        """The non-blank lines, stripped: a blank line is no pattern, not an empty one."""
        return tuple(line.strip() for line in self.edit.toPlainText().splitlines() if line.strip())

    def valid_items(self) -> tuple[str, ...]:
        """The items the config would accept (the live preview skips the others)."""
        return tuple(item for item in self.items()
                     if not any(p.severity == "error" for p in check_pattern(self.kind, item, "")))

    def _on_text(self) -> None:
        lines = self.edit.toPlainText().splitlines()
        self.problems = [p for number, line in enumerate(lines, 1) if line.strip()
                         for p in check_pattern(self.kind, line.strip(), f"line {number}")]
        errors = [p for p in self.problems if p.severity == "error"]
        show_problems(self.message, [str(p) for p in self.problems], error=bool(errors))
        self.edit.setStyleSheet(f"QPlainTextEdit {{ background: {ERROR_FILL}; }}" if errors else "")
        self.changed.emit()

"""The "Declare priority" dialog: an activity and the next concrete step, nothing else.

Opened non-modally (`open_dialog`), so the morning prompt never blocks the app and
tests drive it with qtbot; it does not steal focus when shown by the morning prompt.
"""

from __future__ import annotations

from collections.abc import Sequence

from focusguard.ui.qt import QtCore, QtWidgets

TITLE = "FocusGuard: declare today's priority"


class DeclareDialog(QtWidgets.QDialog):
    """Emits `declared(activity, next_step)` on OK."""

    declared = QtCore.Signal(str, str)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.setWindowFlag(QtCore.Qt.WindowType.WindowStaysOnTopHint)
        self.setMinimumWidth(440)
        heading = QtWidgets.QLabel("What is the one thing that matters most today?")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        heading.setFont(font)
        heading.setWordWrap(True)
        self.activity = QtWidgets.QComboBox()
        self.activity.setEditable(False)
        self.next_step = QtWidgets.QLineEdit()
        self.next_step.setPlaceholderText("e.g. call three past customers")
        self.next_step.setClearButtonEnabled(True)
        form = QtWidgets.QFormLayout()
        form.addRow("Top priority:", self.activity)
        form.addRow("Next step:", self.next_step)
        hint = QtWidgets.QLabel("FocusGuard will remind you of it when other work takes over.")
        hint.setWordWrap(True)
        hint.setEnabled(False)
        self.buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Ok | QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok).setText("Declare")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 14)
        layout.setSpacing(12)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.buttons)

    def populate(self, activities: Sequence[str], activity: str = "", next_step: str = "") -> None:
        self.activity.clear()
        self.activity.addItems(list(activities))
        index = self.activity.findText(activity, QtCore.Qt.MatchFlag.MatchFixedString)
        self.activity.setCurrentIndex(max(index, 0))
        self.next_step.setText(next_step)

    def accept(self) -> None:
        if self.activity.currentText():
            self.declared.emit(self.activity.currentText(), self.next_step.text().strip())
        super().accept()

    def open_dialog(self, *, steal_focus: bool = True) -> None:
        """Shows without blocking; the morning prompt passes steal_focus=False."""
        self.setAttribute(QtCore.Qt.WidgetAttribute.WA_ShowWithoutActivating, not steal_focus)
        self.show()
        self.raise_()
        if steal_focus:
            self.activateWindow()
            self.next_step.setFocus()

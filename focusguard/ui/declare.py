"""The "Declare priority" dialog: an activity and the next concrete step, nothing else.

Opened non-modally (`open_dialog`), so the morning prompt never blocks the app and
tests drive it with qtbot; it does not steal focus when shown by the morning prompt.
Its buttons are FocusGuard's own (Declare in the priority colour, Cancel plain), never
the desktop theme's stock ones with their green-arrow and red-cross icons.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from focusguard.ui.qt import QtCore, QtWidgets
from focusguard.ui.style import FIELD_STYLE, MARGIN, heading, helper, on_page, plain_button, primary_button

TITLE = "FocusGuard: declare today's priority"


class DeclareDialog(QtWidgets.QDialog):
    """Emits `declared(activity, next_step)` on OK."""

    declared = QtCore.Signal(str, str)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        on_page(self)
        self.setWindowFlag(QtCore.Qt.WindowType.WindowStaysOnTopHint)
        self.setMinimumWidth(540)
        title = heading("What is the one thing that matters most today?", 1.3)
        title.setWordWrap(True)
        self.activity = QtWidgets.QComboBox()
        self.activity.setEditable(False)
        self.activity.setMinimumWidth(220)
        self._steps: dict[str, str] = {}
        self.activity.currentTextChanged.connect(self._offer_step)
        self.next_step = QtWidgets.QLineEdit()
        self.next_step.setPlaceholderText("e.g. call three past customers")
        self.next_step.setClearButtonEnabled(True)
        self.next_step.setStyleSheet(f"QLineEdit {{ {FIELD_STYLE} }}")
        form = QtWidgets.QFormLayout()
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(10)
        form.addRow("Top priority:", self.activity)
        form.addRow("Next step:", self.next_step)
        hint = helper("FocusGuard will remind you of it when other work takes over.")
        self.cancel_button = plain_button("Cancel")
        self.cancel_button.clicked.connect(self.reject)
        self.declare_button = primary_button("Declare")
        self.declare_button.setDefault(True)
        self.declare_button.clicked.connect(self.accept)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.declare_button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, 24, MARGIN, 20)
        layout.setSpacing(14)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addSpacing(4)
        layout.addLayout(buttons)

    def populate(self, activities: Sequence[str], activity: str = "", next_step: str = "",
                 steps: Mapping[str, str] | None = None) -> None:
        """``steps``: each activity's next planned step (issue 14), offered when the
        activity changes and the field is empty or still holds another one's step."""
        self._steps = dict(steps or {})
        self.activity.blockSignals(True)
        self.activity.clear()
        self.activity.addItems(list(activities))
        index = self.activity.findText(activity, QtCore.Qt.MatchFlag.MatchFixedString)
        self.activity.setCurrentIndex(max(index, 0))
        self.activity.blockSignals(False)
        self.next_step.setText(next_step)

    def _offer_step(self, activity: str) -> None:
        current = self.next_step.text().strip()
        if not current or current in self._steps.values():
            self.next_step.setText(self._steps.get(activity, ""))

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

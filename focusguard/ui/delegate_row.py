"""The nudge card's "Delegate this" line: one optional sentence, then the answer (issue 14).

A row the card shows in place of its buttons: a field for to whom or what to hand
off, "Delegate" (the answer, with the line or without) and "Cancel" (back to the
buttons). Enter and Esc do the same from the field, like the card's name field.
"""

from __future__ import annotations

from focusguard.core.delegate import MAX_NOTE_CHARS
from focusguard.ui.qt import QHBoxLayout, QPushButton, Qt, QtWidgets, QWidget, Signal

PLACEHOLDER = "To whom, or what to hand off (optional)"


class DelegateRow(QWidget):
    """Signals ``chosen(note)`` (note may be empty) and ``cancelled()``."""

    chosen = Signal(str)
    cancelled = Signal()

    def __init__(self, save: QPushButton, cancel: QPushButton, parent: QWidget | None = None) -> None:
        """``save`` and ``cancel``: buttons made in the card's own style."""
        super().__init__(parent)
        self.setObjectName("delegating")
        self.note_edit = QtWidgets.QLineEdit()
        self.note_edit.setObjectName("delegate_note")
        self.note_edit.setPlaceholderText(PLACEHOLDER)
        self.note_edit.setMaxLength(MAX_NOTE_CHARS)
        self.save_button, self.cancel_button = save, cancel
        save.setText("Delegate")
        cancel.setText("Cancel")
        for widget in (self.note_edit, save, cancel):
            widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(10)
        row.addWidget(self.note_edit, 1)
        row.addWidget(save)
        row.addWidget(cancel)
        save.clicked.connect(self.submit)
        cancel.clicked.connect(self.cancelled)
        # Enter and Esc in the field pass on to the card, which submits or cancels (a
        # returnPressed here as well would answer twice: the field passes Enter on).

    def start(self) -> None:
        self.note_edit.clear()
        self.show()
        self.note_edit.setFocus()

    def submit(self) -> None:
        self.hide()
        self.chosen.emit(" ".join(self.note_edit.text().split()))

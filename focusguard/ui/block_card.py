"""The focus block card: "Your outreach block started. Go, or move it?".

A pure view, modelled on the level-1 nudge (``ui.nudge``): a small card beside the
tray that never takes the keyboard (someone typing elsewhere keeps typing), with
"Go" and "Move to...". "Move to..." turns the card's buttons into the times on
offer (later today, or another day this week), each a click; a block that ended
not kept shows "Leave it" instead of "Go". Every answer hides the card before its
signal goes out.
"""

from __future__ import annotations

from focusguard.block_watch import BlockCardView
from focusguard.ui.nudge import _button, _row
from focusguard.ui.qt import QPushButton, QRect, Qt, QVBoxLayout, QWidget, Signal, SignalInstance
from focusguard.ui.side_card import SideCard

WINDOW_TITLE = "FocusGuard focus block"
#: Choices a row holds before the next row starts.
PER_ROW = 3


class BlockCard(SideCard):
    """Signals: ``go(ident)``, ``move_to(ident, start)``, ``dismissed(ident)``."""

    go = Signal(object)
    move_to = Signal(object, float)
    dismissed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(WINDOW_TITLE, parent)
        self._view: BlockCardView | None = None
        self.go_button = _button("primary", "Go")
        self.move_button = _button("move", "Move to…")
        self.leave_button = _button("snooze", "Leave it")
        self.back_button = _button("link", "Back")
        self.go_button.clicked.connect(lambda: self._answer(self.go))
        self.leave_button.clicked.connect(lambda: self._answer(self.dismissed))
        self.move_button.clicked.connect(self._offer_times)
        self.back_button.clicked.connect(self._show_answers)
        self.choice_buttons: list[QPushButton] = []

        layout = self.card_layout
        self.answers = QWidget()
        answers = _row(self.go_button, self.leave_button, self.move_button)
        answers.setContentsMargins(0, 0, 0, 0)
        self.answers.setLayout(answers)
        layout.addWidget(self.answers)
        self.times = QWidget()
        times = QVBoxLayout(self.times)
        times.setContentsMargins(0, 0, 0, 0)
        times.setSpacing(8)
        self.choices_box = QWidget()
        times.addWidget(self.choices_box)
        times.addLayout(_row(self.back_button))
        layout.addWidget(self.times)
        for button in (self.go_button, self.move_button, self.leave_button, self.back_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    @property
    def view(self) -> BlockCardView | None:
        return self._view

    def show_card(self, view: BlockCardView, tray_hint: QRect | None = None) -> None:
        """Show (or replace) the card without taking the focus, beside the tray."""
        self._view = view
        self.headline_label.setText(view.headline)
        self.detail_label.setText(view.detail)
        self.go_button.setVisible(not view.ended)
        self.leave_button.setVisible(view.ended)
        # Over, the block's way forward is moving it: then "Move to..." is the primary button.
        self.move_button.setObjectName("primary" if view.ended else "move")
        self.move_button.style().unpolish(self.move_button)
        self.move_button.style().polish(self.move_button)
        self.move_button.setEnabled(bool(view.choices))
        self.move_button.setToolTip("" if view.choices else "No time left this week to move it to")
        self._fill_times(view)
        self._show_answers()
        self.place(tray_hint)
        self.show()

    def _fill_times(self, view: BlockCardView) -> None:
        """The times on offer, in rows of PER_ROW, in a fresh box (the last card's goes)."""
        box = QWidget()
        rows = QVBoxLayout(box)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(8)
        self.choice_buttons = []
        for first in range(0, len(view.choices), PER_ROW):
            row = []
            for choice in view.choices[first:first + PER_ROW]:
                # The first (soonest) time is the suggested one: the card's primary colour.
                button = _button("primary" if not self.choice_buttons else "choice", choice.label)
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                button.clicked.connect(lambda _=False, start=choice.start: self._answer(self.move_to, start))
                self.choice_buttons.append(button)
                row.append(button)
            rows.addLayout(_row(*row, spacing=8))
        layout = self.times.layout()
        assert layout is not None
        layout.replaceWidget(self.choices_box, box)
        self.choices_box.deleteLater()
        self.choices_box = box

    def _offer_times(self) -> None:
        self.answers.hide()
        self.times.show()
        self.place(None, keep=True)

    def _show_answers(self) -> None:
        self.times.hide()
        self.answers.show()
        if self.isVisible():
            self.place(None, keep=True)

    def _answer(self, signal: SignalInstance, *args: object) -> None:
        view = self._view
        self.hide()
        if view is not None:
            signal.emit(view.ident, *args)

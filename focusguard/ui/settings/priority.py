"""The Priority page: today's declaration, why it matters, and the declarations so far."""

from __future__ import annotations

from collections.abc import Sequence

from focusguard.core.model import Declaration
from focusguard.core.timefmt import clock, local
from focusguard.ui.qt import QtWidgets
from focusguard.ui.settings.fields import Page, heading, help_label

NOT_DECLARED = "(not declared yet)"
HISTORY_ROWS = 90
WHY = (
    "The work that moves things forward rarely feels urgent. What takes the day is useful "
    "work that is not the priority: the inbox, a quick fix, one more chat. A productive "
    "distraction is a death blow, because it never feels like one. Naming one priority and "
    "its next concrete step gives FocusGuard something to guard: it nudges you when other "
    "work takes over, however useful that work feels."
)


class PriorityPage(Page):
    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__("Priority", "Today's one priority and the next step towards it. Saving declares it.",
                         parent)
        form = self.form()
        self.activity = QtWidgets.QComboBox()
        self.activity.setMinimumContentsLength(18)
        self.activity.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.activity.setSizePolicy(QtWidgets.QSizePolicy.Policy.Fixed, QtWidgets.QSizePolicy.Policy.Fixed)
        self.next_step = QtWidgets.QLineEdit()
        self.next_step.setPlaceholderText("e.g. call three past customers")
        self.next_step.setClearButtonEnabled(True)
        self.next_step.setMinimumWidth(320)
        form.addRow("Today's &priority:", self.activity)
        form.addRow("&Next step:", self.next_step)
        self.body.addSpacing(6)
        self.body.addWidget(heading("Why it matters", 1.1))
        why = QtWidgets.QLabel(WHY)  # the reason itself: body text, not a muted aside
        why.setWordWrap(True)
        self.body.addWidget(why)
        self.body.addSpacing(6)
        self.body.addWidget(heading("Declarations so far", 1.1))
        self.history = QtWidgets.QTableWidget(0, 3)
        self.history.setHorizontalHeaderLabels(["Date", "Activity", "Next step"])
        self.history.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.verticalHeader().hide()
        self.history.setAlternatingRowColors(True)
        self.history.setWordWrap(False)
        header = self.history.horizontalHeader()
        header.setSectionResizeMode(0, QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.history.setMinimumHeight(200)
        self.history.setTabKeyNavigation(False)
        self.body.addWidget(self.history, 1)
        self.empty_history = help_label("No declarations yet.")
        self.body.addWidget(self.empty_history)
        self.activity.currentIndexChanged.connect(self.changed)
        self.next_step.textChanged.connect(self.changed)
        self._loaded: tuple[str, str] | None = None

    def set_activities(self, names: Sequence[str]) -> None:
        """Offer the activities being edited, keeping the choice when it still exists."""
        current = self.chosen_activity()
        self.activity.blockSignals(True)
        self.activity.clear()
        self.activity.addItem(NOT_DECLARED, None)
        for name in names:
            self.activity.addItem(name, name)
        index = self.activity.findData(current) if current else 0
        if current and index < 0:  # renamed or removed: keep showing it, Save will say it is unknown
            self.activity.addItem(current, current)
            index = self.activity.count() - 1
        self.activity.setCurrentIndex(index)
        self.activity.blockSignals(False)

    def load(self, activities: Sequence[str], today: Declaration | None, history: Sequence[Declaration]) -> None:
        self._loaded = (today.activity, today.next_step) if today else None
        self.activity.blockSignals(True)
        self.activity.clear()
        self.activity.addItem(today.activity if today else NOT_DECLARED, today.activity if today else None)
        self.activity.blockSignals(False)
        self.set_activities(activities)  # keeps today's choice selected
        self.next_step.setText(today.next_step if today else "")
        self.show_history(history)

    def show_history(self, history: Sequence[Declaration]) -> None:
        rows = sorted(history, key=lambda d: d.at, reverse=True)[:HISTORY_ROWS]
        self.history.setRowCount(len(rows))
        for row, declaration in enumerate(rows):
            cells = (f"{local(declaration.at):%a %d %b %Y}  {clock(declaration.at)}", declaration.activity,
                     declaration.next_step)
            for column, text in enumerate(cells):
                item = QtWidgets.QTableWidgetItem(text)
                item.setToolTip(text)
                self.history.setItem(row, column, item)
        self.empty_history.setVisible(not rows)

    def chosen_activity(self) -> str | None:
        return self.activity.currentData()

    def declaration(self) -> tuple[str, str] | None:
        """(activity, next step) as edited; None when no activity is chosen."""
        activity = self.chosen_activity()
        return None if activity is None else (activity, self.next_step.text().strip())

    def declaration_changed(self) -> bool:
        """True when Save should declare: a priority is chosen and differs from today's."""
        current = self.declaration()
        return current is not None and current != self._loaded

    def mark_declared(self) -> None:
        self._loaded = self.declaration()

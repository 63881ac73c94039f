"""The plan's parts of the end-of-day summary (issue 14), one under each question.

- "What got done": the day's step with a tick box; ticking it advances the plan
  (the next step is said at once, and the morning prompt offers it tomorrow).
- "What still needs doing": a line that adds a step to the day's goal.
- "What needs to change": the day's delegate list.
- Tomorrow's step field names the plan's next step (`propose_tomorrow`).

A view over ``Records.plan``; the summary window places the three widgets and
calls :meth:`PlanParts.show_day`. Each hides itself when it has nothing to say.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from focusguard.core.plan import Goal, PlanError, Step, next_step
from focusguard.core.plan_report import delegation_line
from focusguard.plan_records import PlanRecords
from focusguard.store_writer import StoreError
from focusguard.ui.qt import QtCore, QtWidgets
from focusguard.ui.style import FIELD_STYLE, muted, plain_button


class PlanParts:
    """``done`` (the tick box), ``todo`` (add a step) and ``change`` (delegations):
    three widgets for the summary's three columns."""

    def __init__(self, plan: PlanRecords) -> None:
        self.plan = plan
        self.day: date | None = None
        self._step: tuple[Goal, Step] | None = None
        self._goal: Goal | None = None

        self.done = QtWidgets.QWidget()
        done = QtWidgets.QVBoxLayout(self.done)
        done.setContentsMargins(0, 4, 0, 0)
        done.setSpacing(2)
        # The box and its words apart: a check box's own text never wraps, and a long
        # step would widen its column past the others.
        self.step_box = QtWidgets.QCheckBox()
        self.step_box.toggled.connect(self._ticked)
        self.step_label = QtWidgets.QLabel()
        self.step_label.setWordWrap(True)
        self.step_label.setBuddy(self.step_box)
        self.step_note = muted(QtWidgets.QLabel())
        self.step_note.setWordWrap(True)
        ticked = QtWidgets.QHBoxLayout()
        ticked.setSpacing(6)
        ticked.addWidget(self.step_box, 0, QtCore.Qt.AlignmentFlag.AlignTop)
        ticked.addWidget(self.step_label, 1)
        done.addLayout(ticked)
        done.addWidget(self.step_note)

        self.todo = QtWidgets.QWidget()
        todo = QtWidgets.QHBoxLayout(self.todo)
        todo.setContentsMargins(0, 4, 0, 0)
        todo.setSpacing(6)
        self.step_edit = QtWidgets.QLineEdit()
        self.step_edit.setStyleSheet(f"QLineEdit {{ {FIELD_STYLE} }}")
        self.step_edit.returnPressed.connect(self.add_step)
        self.add_button = plain_button("Add step")
        self.add_button.clicked.connect(self.add_step)
        todo.addWidget(self.step_edit, 1)
        todo.addWidget(self.add_button)

        self.change = muted(QtWidgets.QLabel())
        self.change.setWordWrap(True)
        self._offer_tomorrow: Callable[[], None] = lambda: None  # see propose_tomorrow

    def propose_tomorrow(self, activity: QtWidgets.QComboBox, step: QtWidgets.QLineEdit) -> None:
        """Tomorrow's step field names the plan's next step for the activity chosen (and
        again after a tick): left empty, the morning prompt offers that step."""
        default = step.placeholderText()

        def offer() -> None:
            found = self.plan.offered(activity.currentText())
            step.setPlaceholderText(f"Next step from your plan: {found[1].text} (leave empty to take it)"
                                    if found else default)

        activity.currentTextChanged.connect(offer)
        self._offer_tomorrow = offer

    def widgets(self) -> tuple[QtWidgets.QWidget, QtWidgets.QWidget, QtWidgets.QWidget]:
        return self.done, self.todo, self.change

    def show_day(self, day: date) -> None:
        self.day = day
        self._fill()

    def _fill(self) -> None:
        assert self.day is not None
        self._step = self.plan.day_step(self.day)
        self._goal = self.plan.goal_for_day(self.day)
        self.done.setVisible(self._step is not None)
        if self._step is not None:
            goal, step = self._step
            self.step_box.blockSignals(True)
            self.step_label.setText(f"Today's step: {step.text}")
            self.step_box.setChecked(step.done)
            self.step_box.blockSignals(False)
            self._say_next(goal)
        self.todo.setVisible(self._goal is not None)
        if self._goal is not None:
            self.step_edit.setPlaceholderText(f"Add a step to {self._goal.name}")
        delegated = self.plan.delegations_on(self.day)
        self.change.setText("To delegate:\n" + "\n".join(f"• {delegation_line(d)}" for d in delegated))
        self.change.setVisible(bool(delegated))
        self._offer_tomorrow()

    def _say_next(self, goal: Goal) -> None:
        upcoming = next_step(goal)
        self.step_note.setText(f"Goal: {goal.name} · next: {upcoming.text}" if upcoming
                               else f"Goal: {goal.name} · every step done")

    def _ticked(self, checked: bool) -> None:
        if self._step is None:
            return
        goal, step = self._step
        try:
            self.plan.tick_step(goal.id, step.id, checked, on=self.day)  # done that day, even ticked later
        except (PlanError, StoreError) as exc:
            self.step_note.setText(str(exc))
            return
        self._fill()

    def add_step(self) -> None:
        text = self.step_edit.text()
        if self._goal is None or not text.strip():
            return
        try:
            _, step = self.plan.add_step(self._goal.id, text)
        except (PlanError, StoreError) as exc:
            self.step_edit.setToolTip(str(exc))
            return
        self.step_edit.clear()
        self._fill()
        self.step_edit.setPlaceholderText(f"Added: {step.text}. Another?")

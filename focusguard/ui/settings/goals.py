"""The Goals page: goals broken into ordered, concrete steps (issue 14).

Goals live in the database, not in config.toml, so this page is not part of Save:
each change (add, rename, reorder, tick, remove) is kept at once, through the same
``Records.plan`` the CLI's `focusguard goal ...` uses, and the page shows the result.
A goal's first unticked step is what declaring its activity offers as the next step.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from focusguard.core.plan import Goal, PlanError, next_step
from focusguard.plan_records import PlanRecords
from focusguard.records import UnknownActivity
from focusguard.store_writer import StoreError
from focusguard.ui.qt import QtCore, QtWidgets
from focusguard.ui.settings.fields import Page, heading, help_label, message_label, show_problems

INTRO = ("Break each goal into concrete steps, in order. Declaring the goal's activity offers its first "
         "unticked step as the next step. Changes here are kept at once.")
GOAL_ID = QtCore.Qt.ItemDataRole.UserRole
Checked = QtCore.Qt.CheckState.Checked


class GoalsPage(Page):
    def __init__(self, plan: PlanRecords, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__("Goals", INTRO, parent)
        self.plan = plan
        self._filling = False

        self.goal_name = QtWidgets.QLineEdit()
        self.goal_name.setPlaceholderText("e.g. Five new retainer clients by March")
        self.goal_name.setMinimumWidth(300)
        self.goal_activity = QtWidgets.QComboBox()
        self.goal_activity.setMinimumContentsLength(14)
        self.add_goal_button = QtWidgets.QPushButton("Add &goal")
        self.add_goal_button.clicked.connect(self.add_goal)
        self.goal_name.returnPressed.connect(self.add_goal)
        new_goal = QtWidgets.QHBoxLayout()
        new_goal.setSpacing(8)
        new_goal.addWidget(self.goal_name, 1)
        new_goal.addWidget(self.goal_activity)
        new_goal.addWidget(self.add_goal_button)
        self.body.addLayout(new_goal)

        self.goals = QtWidgets.QListWidget()
        self.goals.setAccessibleName("Goals")
        self.goals.setMinimumHeight(110)
        self.goals.setMaximumHeight(170)
        self.goals.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.DoubleClicked
                                   | QtWidgets.QAbstractItemView.EditTrigger.EditKeyPressed)
        self.goals.currentRowChanged.connect(lambda _row: self._fill_steps())
        self.goals.itemChanged.connect(self._goal_renamed)
        self.remove_goal_button = QtWidgets.QPushButton("Remove goal")
        self.remove_goal_button.clicked.connect(self.remove_goal)
        self.body.addWidget(self.goals)
        self.body.addWidget(help_label("Double-click a goal or a step to reword it; tick a step when it is done."))

        self.steps_heading = heading("Steps", 1.1)
        self.body.addWidget(self.steps_heading)
        self.steps = QtWidgets.QListWidget()
        self.steps.setAccessibleName("Steps")
        self.steps.setMinimumHeight(150)
        self.steps.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.DoubleClicked
                                   | QtWidgets.QAbstractItemView.EditTrigger.EditKeyPressed)
        self.steps.itemChanged.connect(self._step_changed)
        self.body.addWidget(self.steps, 1)
        self.up_button = QtWidgets.QPushButton("Move &up")
        self.down_button = QtWidgets.QPushButton("Move &down")
        self.remove_step_button = QtWidgets.QPushButton("Remove step")
        self.up_button.clicked.connect(lambda: self.move_step(-1))
        self.down_button.clicked.connect(lambda: self.move_step(+1))
        self.remove_step_button.clicked.connect(self.remove_step)
        step_buttons = QtWidgets.QHBoxLayout()
        step_buttons.setSpacing(8)
        for button in (self.up_button, self.down_button, self.remove_step_button):
            step_buttons.addWidget(button)
        step_buttons.addStretch(1)
        step_buttons.addWidget(self.remove_goal_button)
        self.body.addLayout(step_buttons)
        self.step_text = QtWidgets.QLineEdit()
        self.step_text.setPlaceholderText("A concrete step, e.g. Call Acme about the Q2 proposal")
        self.add_step_button = QtWidgets.QPushButton("Add &step")
        self.add_step_button.clicked.connect(self.add_step)
        self.step_text.returnPressed.connect(self.add_step)
        new_step = QtWidgets.QHBoxLayout()
        new_step.setSpacing(8)
        new_step.addWidget(self.step_text, 1)
        new_step.addWidget(self.add_step_button)
        self.body.addLayout(new_step)
        self.message = message_label()
        self.body.addWidget(self.message)
        for listing in (self.goals, self.steps):  # rows a pointer and a finger can hit
            listing.setStyleSheet("QListWidget::item { padding: 5px 4px; }")

    # --- filling ---

    def load(self, activities: Sequence[str]) -> None:
        """The config's activities to choose from, and the goals as stored now."""
        self.goal_activity.clear()
        self.goal_activity.addItems(list(activities))
        self._fill_goals()

    def current_goal(self) -> Goal | None:
        item = self.goals.currentItem()
        if item is None:
            return None
        goal_id = item.data(GOAL_ID)
        return next((g for g in self.plan.goals() if g.id == goal_id), None)

    def _fill_goals(self, select: int | None = None) -> None:
        current = self.current_goal()
        keep = select if select is not None else (current.id if current else None)
        self._filling = True
        try:
            self.goals.clear()
            for goal in self.plan.goals():
                upcoming = next_step(goal)
                item = QtWidgets.QListWidgetItem(goal.name)
                item.setData(GOAL_ID, goal.id)
                item.setFlags(item.flags() | QtCore.Qt.ItemFlag.ItemIsEditable)
                item.setToolTip(f"{goal.activity} · {goal.done_count} of {len(goal.steps)} steps done"
                                + (f" · next: {upcoming.text}" if upcoming else ""))
                self.goals.addItem(item)
                if goal.id == keep:
                    self.goals.setCurrentItem(item)
            if self.goals.currentRow() < 0 and self.goals.count():
                self.goals.setCurrentRow(0)
        finally:
            self._filling = False
        self._fill_steps()

    def _fill_steps(self, select: int | None = None) -> None:
        goal = self.current_goal()
        self._filling = True
        try:
            row = self.steps.currentRow() if select is None else select
            self.steps.clear()
            for step in goal.steps if goal else ():
                item = QtWidgets.QListWidgetItem(step.text)
                item.setFlags(item.flags() | QtCore.Qt.ItemFlag.ItemIsEditable
                              | QtCore.Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Checked if step.done else QtCore.Qt.CheckState.Unchecked)
                self.steps.addItem(item)
            self.steps.setCurrentRow(min(max(row, 0), self.steps.count() - 1))
        finally:
            self._filling = False
        has_goal = goal is not None
        self.steps_heading.setText(f"Steps of {goal.name} ({goal.activity})" if goal else "Steps")
        for widget in (self.steps, self.step_text, self.add_step_button, self.remove_goal_button,
                       self.up_button, self.down_button, self.remove_step_button):
            widget.setEnabled(has_goal)

    # --- changes, each kept at once ---

    def _do(self, change: Callable[[], object]) -> bool:
        """Runs one change; a refusal is said under the page, nothing is half done."""
        try:
            change()
        except (PlanError, UnknownActivity, StoreError) as exc:
            show_problems(self.message, [str(exc)])
            return False
        show_problems(self.message, [], error=False)
        return True

    def add_goal(self) -> None:
        name, activity = self.goal_name.text(), self.goal_activity.currentText()
        added: list[Goal] = []
        if self._do(lambda: added.append(self.plan.add_goal(name, activity))):
            self.goal_name.clear()
            self._fill_goals(select=added[0].id)
            self.step_text.setFocus()

    def remove_goal(self) -> None:
        goal = self.current_goal()
        if goal is not None and self._do(lambda: self.plan.remove_goal(goal.id)):
            self._fill_goals()

    def _goal_renamed(self, item: QtWidgets.QListWidgetItem) -> None:
        if self._filling:
            return
        self._do(lambda: self.plan.rename_goal(item.data(GOAL_ID), item.text()))
        self._fill_goals(select=item.data(GOAL_ID))

    def add_step(self) -> None:
        goal = self.current_goal()
        if goal is None:
            return
        if self._do(lambda: self.plan.add_step(goal.id, self.step_text.text())):
            self.step_text.clear()
            self._fill_steps(select=len(goal.steps))

    def _step_changed(self, item: QtWidgets.QListWidgetItem) -> None:
        """A tick box or the words of a step changed."""
        goal = self.current_goal()
        if self._filling or goal is None:
            return
        number = self.steps.row(item) + 1
        step = goal.steps[number - 1]
        done = item.checkState() == Checked
        if done != step.done:
            self._do(lambda: self.plan.tick(goal.id, number, done))
        elif item.text() != step.text:
            self._do(lambda: self.plan.edit_step(goal.id, number, item.text()))
        self._fill_goals()

    def move_step(self, by: int) -> None:
        goal = self.current_goal()
        row = self.steps.currentRow()
        if goal is None or row < 0 or not 0 <= row + by < len(goal.steps):
            return
        if self._do(lambda: self.plan.move_step(goal.id, row + 1, row + 1 + by)):
            self._fill_steps(select=row + by)

    def remove_step(self) -> None:
        goal = self.current_goal()
        row = self.steps.currentRow()
        if goal is not None and row >= 0 and self._do(lambda: self.plan.remove_step(goal.id, row + 1)):
            self._fill_steps()

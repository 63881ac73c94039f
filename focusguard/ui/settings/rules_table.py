"""The rules of one activity as an editable table, each cell checked as you type.

A row is a rule; a rule matches when every filled cell matches. A cell the config
would refuse (a regex that does not compile) is tinted and carries the config's own
message, so the user sees the mistake where it is, before Save says the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from focusguard.core.config import RULE_PATTERN, Problem, check_pattern
from focusguard.core.model import Rule
from focusguard.ui.qt import QtCore, QtGui, QtWidgets
from focusguard.ui.settings.delegates import WrappingDelegate
from focusguard.ui.settings.fields import ERROR_FILL, WARNING_FILL


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    tip: str


COLUMNS = (
    Column("app", "App (glob)", "Case-insensitive glob on the app (process) name, e.g. code* or *teams*."),
    Column("title", "Title (regex)", "Regex searched in the window title, e.g. HubSpot|Salesforce."),
    Column("exe", "Executable (glob)", "Case-insensitive glob on the executable's path, e.g. */bin/steam."),
    Column("any", "App or title (regex)",
           "Regex searched in the app name and in the title: matches when either contains it "
           "(how ActivityWatch categories match)."),
    Column("case_sensitive", "Match case", "Make this rule's title and app-or-title regexes respect case."),
)
PATTERN_COLUMNS = tuple(c for c in COLUMNS if c.key in RULE_PATTERN)
BLANK_RULE = Rule()  # frozen, so one instance serves every call
CASE = len(COLUMNS) - 1


@dataclass(frozen=True)
class CellProblem:
    row: int
    column: int
    problem: Problem

    def text(self) -> str:
        return f"Rule {self.row + 1}, {COLUMNS[self.column].header}: {self.problem.message}"


class RulesTable(QtWidgets.QTableWidget):
    """Emits ``changed`` after any edit, when ``rules()`` may differ."""

    changed = QtCore.Signal()

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        # two-line headers ("Title" over "(regex)"): five columns fit beside the activities list
        self.setHorizontalHeaderLabels([c.header.replace(" (", "\n(").replace("Match case", "Match\ncase")
                                        for c in COLUMNS])
        for index, column in enumerate(COLUMNS):
            if (heading := self.horizontalHeaderItem(index)) is not None:  # the labels just made them
                heading.setToolTip(column.tip)
        header = self.horizontalHeader()
        for index in range(len(PATTERN_COLUMNS)):
            header.setSectionResizeMode(index, QtWidgets.QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(CASE, QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        self.verticalHeader().setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.Fixed)
        self.wrapping = WrappingDelegate(self)
        for index in range(len(PATTERN_COLUMNS)):
            self.setItemDelegateForColumn(index, self.wrapping)
        self.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.AllEditTriggers)
        self.setTabKeyNavigation(False)  # Tab leaves the table; arrows move between cells
        self.setWordWrap(False)
        self.problems: list[CellProblem] = []
        self._loading = False
        self.itemChanged.connect(self._on_item)

    def set_rules(self, rules: Sequence[Rule]) -> None:
        self._loading = True
        self.setRowCount(0)
        for rule in rules:
            self._append(rule)
        self._loading = False
        self._check_all()
        self.fit_rows()

    def row_height_for(self, row: int) -> int:
        """As tall as the row's longest pattern wrapped in its column, at least one line."""
        single = self.verticalHeader().defaultSectionSize()
        texts = [(item.text(), self.columnWidth(i)) for i in range(len(PATTERN_COLUMNS))
                 if (item := self.item(row, i)) is not None and item.text()]
        tallest = max((self.wrapping.text_height(t, w, self.font()) for t, w in texts), default=0)
        return max(single, tallest + 12)

    def fit_rows(self) -> None:
        """Columns shared by how much they hold, then every row tall enough to show its
        patterns whole: a long title regex gets the room an empty exe column does not need."""
        self.share_columns()
        for row in range(self.rowCount()):
            self.setRowHeight(row, self.row_height_for(row))

    def share_columns(self) -> None:
        """Each pattern column at least as wide as its heading; the rest of the width in
        proportion to the longest text in each column."""
        available = self.viewport().width() - self.columnWidth(CASE)
        header = self.horizontalHeader()
        metrics = self.fontMetrics()
        floors = [header.sectionSizeFromContents(i).width() + 8 for i in range(len(PATTERN_COLUMNS))]
        longest = [max((metrics.horizontalAdvance(item.text()) for r in range(self.rowCount())
                        if (item := self.item(r, i)) is not None), default=0) for i in range(len(PATTERN_COLUMNS))]
        spare = max(0, available - sum(floors))
        weights = [1 + text for text in longest]
        widths = [floor + int(spare * weight / sum(weights)) for floor, weight in zip(floors, weights, strict=True)]
        for index, width in enumerate(widths):
            self.setColumnWidth(index, width)

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_rows()

    def add_rule(self, rule: Rule = BLANK_RULE) -> int:
        """Append a row (blank by default) and return its index."""
        self._loading = True
        row = self._append(rule)
        self._loading = False
        self._check_all()
        self.fit_rows()
        self.changed.emit()
        return row

    def _append(self, rule: Rule) -> int:
        row = self.rowCount()
        self.insertRow(row)
        for index, column in enumerate(PATTERN_COLUMNS):
            self.setItem(row, index, QtWidgets.QTableWidgetItem(getattr(rule, column.key) or ""))
        case = QtWidgets.QTableWidgetItem()
        case.setFlags(QtCore.Qt.ItemFlag.ItemIsEnabled | QtCore.Qt.ItemFlag.ItemIsSelectable
                      | QtCore.Qt.ItemFlag.ItemIsUserCheckable)
        case.setCheckState(QtCore.Qt.CheckState.Checked if rule.case_sensitive else QtCore.Qt.CheckState.Unchecked)
        self.setItem(row, CASE, case)
        return row

    def remove_current(self) -> None:
        row = self.currentRow()
        if row < 0:
            return
        self.removeRow(row)
        self._check_all()
        self.changed.emit()

    def cell(self, row: int, column: int) -> QtWidgets.QTableWidgetItem:
        """The item of a cell; every row gets one in each column when it is added."""
        item = self.item(row, column)
        if item is None:
            raise LookupError(f"the rules table has no cell at row {row}, column {column}")
        return item

    def set_cell(self, row: int, key: str, text: str) -> None:
        """Type into one cell, as the user would (tests and the preview's one-click rules)."""
        index = next(i for i, c in enumerate(COLUMNS) if c.key == key)
        self.cell(row, index).setText(text)

    def rule_at(self, row: int) -> Rule:
        """The row's rule, patterns as typed (blank cells absent)."""
        values = {c.key: (self.cell(row, i).text().strip() or None) for i, c in enumerate(PATTERN_COLUMNS)}
        case = self.cell(row, CASE).checkState() == QtCore.Qt.CheckState.Checked
        return Rule(**values, case_sensitive=case)

    def rules(self) -> list[Rule]:
        """Every row that says something; a blank row is no rule, not an invalid one."""
        rules = [self.rule_at(row) for row in range(self.rowCount())]
        return [r for r in rules if any(getattr(r, c.key) for c in PATTERN_COLUMNS)]

    def valid_rules(self) -> list[Rule]:
        """The rules whose cells all pass the config's check (for the live preview)."""
        bad = {p.row for p in self.problems if p.problem.severity == "error"}
        return [self.rule_at(row) for row in range(self.rowCount())
                if row not in bad and any(getattr(self.rule_at(row), c.key) for c in PATTERN_COLUMNS)]

    def _on_item(self, item: QtWidgets.QTableWidgetItem) -> None:
        if self._loading:
            return
        self._check_all()
        self.fit_rows()
        self.changed.emit()

    def _check_all(self) -> None:
        """Mark every cell the config would refuse (or warn about) in place."""
        self.problems = []
        self.blockSignals(True)
        for row in range(self.rowCount()):
            rule = self.rule_at(row)
            for index, column in enumerate(PATTERN_COLUMNS):
                text = getattr(rule, column.key)
                found = check_pattern(RULE_PATTERN[column.key], text, column.key) if text else []
                self._mark(self.cell(row, index), found, column.tip)
                self.problems += [CellProblem(row, index, p) for p in found]
            case_problem = ([Problem("case_sensitive", "applies to the title and app-or-title regexes; "
                                                       "this rule has neither")]
                            if rule.case_sensitive and not (rule.title or rule.any) else [])
            self._mark(self.cell(row, CASE), case_problem, COLUMNS[CASE].tip)
            self.problems += [CellProblem(row, CASE, p) for p in case_problem]
        self.blockSignals(False)

    @staticmethod
    def _mark(item: QtWidgets.QTableWidgetItem, problems: Sequence[Problem], tip: str) -> None:
        errors = [p for p in problems if p.severity == "error"]
        if problems:
            item.setBackground(QtGui.QColor(ERROR_FILL if errors else WARNING_FILL))
            item.setToolTip("\n".join(p.message for p in problems))
        else:
            item.setBackground(QtGui.QBrush())
            item.setToolTip(tip)

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(620, self.verticalHeader().defaultSectionSize() * 6 + 30)

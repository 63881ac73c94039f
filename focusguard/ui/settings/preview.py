"""The live preview: the windows of the last days and how the rules being edited
classify them, relative to the priority being declared.

This is how a person checks a rule before trusting it: type a regex, watch which of
their own windows move. Windows whose verdict differs from the saved rules' are in
bold, with the old verdict in their tooltip; unclassified ones carry a button that
files them under an activity in one click.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from focusguard.core import palette, words
from focusguard.core.model import Classification, Sample
from focusguard.core.rules import Classifier, window_rule
from focusguard.core.timefmt import duration
from focusguard.ui.qt import QtCore, QtWidgets
from focusguard.ui.settings.fields import dot_icon, help_label

DAYS = 7
MAX_ROWS = 400
HEADERS = ("Time", "Counts as", "Activity", "App", "Title", "")
ACTION = len(HEADERS) - 1
#: Apps whose windows are told apart by title (a tab's page), not by app.
BROWSERS = ("firefox", "chrome", "chromium", "brave", "msedge", "microsoft-edge", "safari", "opera", "vivaldi",
            "librewolf", "epiphany", "falkon", "qutebrowser", "navigator")


@dataclass(frozen=True)
class SeenWindow:
    """A distinct window from the database, with its time over the preview period."""

    app: str
    title: str
    exe: str
    seconds: float


@dataclass(frozen=True)
class Verdict:
    window: SeenWindow
    classification: Classification
    activity: str | None
    before: Classification  # under the saved rules and priority

    @property
    def changed(self) -> bool:
        return self.classification is not self.before


def verdicts(windows: Sequence[SeenWindow], now: Classifier, saved: Classifier,
             priority: str | None, saved_priority: str | None) -> list[Verdict]:
    """Each window classified by the rules being edited and by the saved ones."""
    out = []
    for window in windows:
        sample = Sample(at=0.0, app=window.app, title=window.title, exe=window.exe)
        result = now.classify(sample, priority)
        before = saved.classify(sample, saved_priority).classification
        out.append(Verdict(window, result.classification, result.activity, before))
    return out


def is_window(window: SeenWindow) -> bool:
    """True when there is something a rule could match: an app, a title or an executable."""
    return bool(window.app.strip() or window.title.strip() or window.exe.strip())


def suggested_scope(app: str) -> str:
    """Browsers hold every kind of work: their windows get a title rule, others an app rule."""
    name = app.casefold()
    return "title" if any(b in name for b in BROWSERS) or not app else "app"


class Preview(QtWidgets.QWidget):
    """Emits ``add_rule(activity name, Rule)`` when a one-click rule is chosen."""

    add_rule = QtCore.Signal(str, object)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.windows: list[SeenWindow] = []
        self.rows: list[Verdict] = []
        self._targets: list[str] = []
        self._default_target: str | None = None
        self.summary = QtWidgets.QLabel()
        self.summary.setWordWrap(True)
        self.only_unclassified = QtWidgets.QCheckBox("Only &unclassified")
        self.only_unclassified.toggled.connect(self._fill)
        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.only_unclassified)
        self.table = QtWidgets.QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 14)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.setTextElideMode(QtCore.Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        for column in (0, 1, 2, 3, ACTION):
            header.setSectionResizeMode(column, QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QtWidgets.QHeaderView.ResizeMode.Stretch)
        self.empty = help_label(f"No windows recorded in the last {DAYS} days yet: once FocusGuard has run "
                                "for a while, your own windows show up here.")
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)

    def set_windows(self, windows: Sequence[SeenWindow]) -> None:
        """The windows to classify. Time with no window to name (no app, no title: the
        desktop, idle time, FocusGuard's own windows, all recorded neutral or idle) is
        left out: no rule can match it, and shown it would read as a blank "Unclassified"."""
        self.windows = [w for w in windows if is_window(w)][:MAX_ROWS]

    def show_verdicts(self, rows: Sequence[Verdict], targets: Sequence[str], default_target: str | None,
                      priority: str | None) -> None:
        """Show ``rows``; one-click rules go to ``targets`` (``default_target`` first)."""
        self.rows = list(rows)
        self._targets = list(targets)
        self._default_target = default_target if default_target in targets else (targets[0] if targets else None)
        total = sum(r.window.seconds for r in rows)
        loose = [r for r in rows if r.classification is Classification.UNCLASSIFIED]
        moved = sum(r.changed for r in rows)
        against = (f" against today's priority, {priority}" if priority
                   else " (no priority chosen: nothing counts as on priority)")
        self.summary.setText(
            f"{words.plural(len(rows), 'window')} in the last {DAYS} days ({duration(total)}), classified by the "
            f"rules above{against}. Unclassified: {len(loose)} ({duration(sum(r.window.seconds for r in loose))})."
            + (f" {moved} classified differently from the saved rules (in bold)." if moved else ""))
        self._fill()

    def visible_rows(self) -> list[Verdict]:
        if self.only_unclassified.isChecked():
            return [r for r in self.rows if r.classification is Classification.UNCLASSIFIED]
        return self.rows

    def _fill(self) -> None:
        rows = self.visible_rows()
        self.table.setUpdatesEnabled(False)
        self.table.clearContents()
        self.table.setRowCount(len(rows))
        for index, verdict in enumerate(rows):
            self._fill_row(index, verdict)
        self.table.setUpdatesEnabled(True)
        self.empty.setVisible(not self.windows)
        self.table.setVisible(bool(self.windows))

    def _fill_row(self, index: int, verdict: Verdict) -> None:
        window = verdict.window
        swatch = palette.CLASSIFICATION[verdict.classification]
        counts = QtWidgets.QTableWidgetItem(dot_icon(swatch.colour), swatch.label)
        if verdict.changed:
            font = counts.font()
            font.setBold(True)
            counts.setFont(font)
            counts.setToolTip(f"Was: {palette.label(verdict.before)} under the saved rules")
        cells = (
            QtWidgets.QTableWidgetItem(duration(window.seconds)),
            counts,
            QtWidgets.QTableWidgetItem(verdict.activity or "—"),
            QtWidgets.QTableWidgetItem(window.app),
            QtWidgets.QTableWidgetItem(window.title),
        )
        cells[0].setTextAlignment(QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter)
        cells[3].setToolTip(window.exe or window.app)
        cells[4].setToolTip(window.title)
        for column, item in enumerate(cells):
            self.table.setItem(index, column, item)
        if verdict.classification is Classification.UNCLASSIFIED and self._default_target:
            self.table.setCellWidget(index, ACTION, self._add_button(window))

    def _add_button(self, window: SeenWindow) -> QtWidgets.QToolButton:
        """"Add to <activity>" (one click: a rule on this app, or this title for a
        browser), its menu any activity and either kind of rule."""
        button = QtWidgets.QToolButton()
        button.setPopupMode(QtWidgets.QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        button.setAutoRaise(False)
        target = self._default_target
        assert target is not None
        scope = suggested_scope(window.app)
        button.setText(f"Add to {target}")
        button.setToolTip(f"Add a rule for this {'title' if scope == 'title' else 'app'} to {target}")
        button.clicked.connect(lambda: self._emit(target, window, scope))
        menu = QtWidgets.QMenu(button)
        for label, rule_scope in ((f"This app ({window.app})", "app"), ("This exact title", "title")):
            if (rule_scope == "app" and not window.app) or (rule_scope == "title" and not window.title):
                continue
            section = menu.addMenu(label)
            for name in self._targets:
                action = section.addAction(name)
                action.triggered.connect(lambda _=False, n=name, s=rule_scope: self._emit(n, window, s))
        button.setMenu(menu)
        return button

    def _emit(self, activity: str, window: SeenWindow, scope: str) -> None:
        self.add_rule.emit(activity, window_rule(window.app, window.title, scope))


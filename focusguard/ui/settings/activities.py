"""The Activities and rules page: the activities in match order, each one's rules,
the live preview, and rule-set import and export.

The first matching rule wins, so the order is part of the meaning: the list shows
it numbered, and drag and drop or the Up/Down buttons change it. Each activity
carries the name its table had in the file, so a rename keeps the table (and the
user's comments in it) when the config is saved.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from focusguard.core import aw_categories, palette, words
from focusguard.core.config import Config, ConfigError, PrivacySettings, Problem, write_atomic
from focusguard.core.model import Activity, Kind, Rule
from focusguard.core.rules import Classifier
from focusguard.core.rulesets import Merge, dump_ruleset, merge_activities, parse_ruleset
from focusguard.ui.qt import QtCore, QtGui, QtWidgets
from focusguard.ui.settings.delegates import KIND_ROLE, NAME_ROLE, ActivityDelegate
from focusguard.ui.settings.fields import (
    ERROR_FILL,
    Page,
    dot_icon,
    heading,
    message_label,
    show_problems,
)
from focusguard.ui.settings.preview import Preview, SeenWindow, verdicts
from focusguard.ui.settings.rules_table import RulesTable

KIND_WORDS = {Kind.PRODUCTIVE: "productive", Kind.DISTRACTION: "distraction", Kind.NEUTRAL: "neutral"}
JSON_FILTER = "JSON files (*.json);;All files (*)"
DRAFT_ROLE = QtCore.Qt.ItemDataRole.UserRole


@dataclass
class Draft:
    """An activity being edited. ``original`` is its name in the file (None if new)."""

    name: str
    kind: Kind
    rules: list[Rule] = field(default_factory=list)
    original: str | None = None
    calls_count_as_priority: bool = False  # issue 15: kept through an edit, ticked on the page

    def activity(self, rules: Sequence[Rule] | None = None) -> Activity:
        return Activity(self.name.strip(), self.kind, tuple(self.rules if rules is None else rules),
                        self.calls_count_as_priority)


class ActivitiesPage(Page):
    """Emits ``changed`` on every edit and ``names_changed`` when the list of names
    (or its order) changed, for the priority picker. ``preview_needed`` asks the
    window to refresh the preview (it knows the priority and privacy being edited)."""

    names_changed = QtCore.Signal()
    preview_needed = QtCore.Signal()

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__("Activities and rules",
                         "A window belongs to the first activity with a matching rule, so order matters: "
                         "drag activities, or use Up and Down, to change it.", parent)
        self._priority: str | None = None
        self._loading = False

        # -- the list of activities
        self.list = QtWidgets.QListWidget()
        self.list.setDragDropMode(QtWidgets.QAbstractItemView.DragDropMode.InternalMove)
        self.list.setDefaultDropAction(QtCore.Qt.DropAction.MoveAction)
        self.list.setFixedWidth(250)
        self.list.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setItemDelegate(ActivityDelegate(self.list))
        self.list.setIconSize(QtCore.QSize(12, 12))
        self.list.setAccessibleName("Activities in match order")
        self.list.currentRowChanged.connect(self._select)
        self.list.model().rowsMoved.connect(self._on_moved)
        self.add_button = QtWidgets.QPushButton("Add")
        self.remove_button = QtWidgets.QPushButton("Remove")
        self.up_button = QtWidgets.QPushButton("Up")
        self.down_button = QtWidgets.QPushButton("Down")
        self.add_button.setToolTip("Add an activity (at the end: the last to match)")
        self.up_button.setToolTip("Match this activity earlier (Alt+Up)")
        self.down_button.setToolTip("Match this activity later (Alt+Down)")
        self.add_button.clicked.connect(self.add_activity)
        self.remove_button.clicked.connect(self.remove_activity)
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        for key, step in ((QtCore.Qt.Key.Key_Up, -1), (QtCore.Qt.Key.Key_Down, 1)):
            shortcut = QtGui.QShortcut(QtCore.QKeyCombination(QtCore.Qt.KeyboardModifier.AltModifier, key),
                                           self.list)
            shortcut.setContext(QtCore.Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda s=step: self.move_current(s))
        list_buttons = QtWidgets.QGridLayout()
        list_buttons.addWidget(self.add_button, 0, 0)
        list_buttons.addWidget(self.remove_button, 0, 1)
        list_buttons.addWidget(self.up_button, 1, 0)
        list_buttons.addWidget(self.down_button, 1, 1)
        left = QtWidgets.QVBoxLayout()
        left.setSpacing(6)
        left.addWidget(QtWidgets.QLabel("<b>Activities</b> (first match wins)"))
        left.addWidget(self.list, 1)
        left.addLayout(list_buttons)

        # -- the selected activity
        self.name = QtWidgets.QLineEdit()
        self.name.setAccessibleName("Activity name")
        self.kind = QtWidgets.QComboBox()
        for kind in Kind:
            self.kind.addItem(dot_icon(palette.colour(kind.counts_as)), KIND_WORDS[kind], kind)
        self.kind.setToolTip("How the activity counts when it is not today's priority: productive work "
                             "is a productive distraction, a distraction is a distraction, neutral "
                             "counts for nothing. Today's priority always counts as priority.")
        self.name.textEdited.connect(self._on_name)
        self.kind.currentIndexChanged.connect(self._on_kind)
        self.name_message = message_label()
        editor_form = QtWidgets.QFormLayout()
        editor_form.setHorizontalSpacing(12)
        editor_form.addRow("&Name:", self.name)
        editor_form.addRow("", self.name_message)
        editor_form.addRow("&Kind:", self.kind)
        self.calls_count = QtWidgets.QCheckBox("Value &calls count as this priority (sales, outreach)")
        self.calls_count.setToolTip("On a day with this activity as the priority, a call you called a value "
                                    "call counts as time on it; otherwise as productive work.")
        self.calls_count.toggled.connect(self._on_calls_count)
        editor_form.addRow("", self.calls_count)
        self.rules = RulesTable()
        self.rules.changed.connect(self._on_rules)
        self.add_rule_button = QtWidgets.QPushButton("Add &rule")
        self.remove_rule_button = QtWidgets.QPushButton("Remove rule")
        self.add_rule_button.clicked.connect(self._add_blank_rule)
        self.remove_rule_button.clicked.connect(self.rules.remove_current)
        rule_buttons = QtWidgets.QHBoxLayout()
        rule_buttons.addWidget(self.add_rule_button)
        rule_buttons.addWidget(self.remove_rule_button)
        rule_buttons.addStretch(1)
        self.rules_message = message_label()
        right = QtWidgets.QVBoxLayout()
        right.setSpacing(6)
        right.addLayout(editor_form)
        rules_label = QtWidgets.QLabel("&Rules: a window belongs here when one row matches; a row matches "
                                       "when every filled cell matches.")
        rules_label.setWordWrap(True)
        rules_label.setBuddy(self.rules)
        right.addWidget(rules_label)
        right.addWidget(self.rules, 1)
        right.addWidget(self.rules_message)
        right.addLayout(rule_buttons)
        self.editor = QtWidgets.QWidget()
        self.editor.setLayout(right)

        top = QtWidgets.QHBoxLayout()
        top.setSpacing(16)
        top.addLayout(left, 0)
        top.addWidget(self.editor, 1)
        self.body.addLayout(top, 3)

        # -- the preview
        self.body.addSpacing(6)
        self.body.addWidget(heading("Preview", 1.1))
        self.preview = Preview()
        self.preview.setMinimumHeight(230)
        self.preview.add_rule.connect(self.add_rule_to)
        self.body.addWidget(self.preview, 4)

        # -- import and export
        self.import_button = QtWidgets.QPushButton("&Import rules...")
        self.export_button = QtWidgets.QPushButton("&Export rules...")
        self.aw_button = QtWidgets.QPushButton("Import Activity&Watch categories...")
        self.import_button.setToolTip("Add the activities and rules of a FocusGuard rule-set file")
        self.export_button.setToolTip("Save these activities and rules as a rule-set file to share")
        self.aw_button.setToolTip("Add the categories exported from ActivityWatch "
                                  "(Settings > Categorization > Export)")
        self.import_button.clicked.connect(lambda: self._ask_file("Import rules", self.import_rules_file))
        self.export_button.clicked.connect(self._ask_export)
        self.aw_button.clicked.connect(lambda: self._ask_file("Import ActivityWatch categories",
                                                              self.import_aw_file))
        files = QtWidgets.QHBoxLayout()
        files.addWidget(self.import_button)
        files.addWidget(self.export_button)
        files.addWidget(self.aw_button)
        files.addStretch(1)
        self.body.addLayout(files)
        self.import_message = message_label()
        self.body.addWidget(self.import_message)
        self.file_dialog: QtWidgets.QFileDialog | None = None
        self._saved_classifier = Classifier(())
        self._saved_priority: str | None = None

    # -- loading and reading back

    def load(self, config: Config, windows: Sequence[SeenWindow], saved_priority: str | None) -> None:
        self._loading = True
        self.list.clear()
        for activity in config.activities:
            self._append(Draft(activity.name, activity.kind, list(activity.rules), activity.name,
                               activity.calls_count_as_priority))
        self._loading = False
        self._saved_classifier = Classifier(config.activities, config.privacy)
        self._saved_priority = saved_priority
        self.preview.set_windows(windows)
        show_problems(self.import_message, [])
        self.list.setCurrentRow(0 if self.list.count() else -1)
        self._select(self.list.currentRow())
        self._renumber()

    def set_windows(self, windows: Sequence[SeenWindow]) -> None:
        self.preview.set_windows(windows)
        self.preview_needed.emit()

    def drafts(self) -> list[Draft]:
        return [self.list.item(i).data(DRAFT_ROLE) for i in range(self.list.count())]

    def activities(self) -> tuple[Activity, ...]:
        """The activities as edited, patterns as typed (Save validates them)."""
        return tuple(d.activity() for d in self.drafts())

    def apply(self, config: Config) -> Config:
        return replace(config, activities=self.activities())

    def renamed(self) -> dict[str, str]:
        """New name -> name in the file, for activities renamed since loading."""
        return {d.name.strip(): d.original for d in self.drafts()
                if d.original is not None and d.original != d.name.strip()}

    def names(self) -> list[str]:
        return [d.name.strip() for d in self.drafts() if d.name.strip()]

    def current_draft(self) -> Draft | None:
        item = self.list.currentItem()
        return None if item is None else item.data(DRAFT_ROLE)

    # -- the list

    def _append(self, draft: Draft) -> QtWidgets.QListWidgetItem:
        item = QtWidgets.QListWidgetItem()
        item.setData(DRAFT_ROLE, draft)
        item.setFlags(item.flags() | QtCore.Qt.ItemFlag.ItemIsDragEnabled)
        item.setFlags(item.flags() & ~QtCore.Qt.ItemFlag.ItemIsDropEnabled)
        self.list.addItem(item)
        return item

    def _renumber(self) -> None:
        """Number the list in match order, each with the colour it counts as today."""
        for index in range(self.list.count()):
            item = self.list.item(index)
            draft: Draft = item.data(DRAFT_ROLE)
            on_priority = self._priority is not None and draft.name.strip().casefold() == self._priority.casefold()
            colour = palette.PRIORITY if on_priority else palette.colour(draft.kind.counts_as)
            item.setIcon(dot_icon(colour))
            suffix = "today's priority" if on_priority else KIND_WORDS[draft.kind]
            name = f"{index + 1}.  {draft.name.strip() or '(no name)'}"
            item.setText(f"{name}  ·  {suffix}")  # what a screen reader says; the delegate draws two lines
            item.setData(NAME_ROLE, name)
            item.setData(KIND_ROLE, suffix)
            item.setToolTip(f"{draft.name.strip()} ({suffix}): {words.plural(len(draft.rules), 'rule')}")
        has = self.list.currentItem() is not None
        row = self.list.currentRow()
        self.remove_button.setEnabled(has)
        self.up_button.setEnabled(has and row > 0)
        self.down_button.setEnabled(has and row < self.list.count() - 1)
        self.editor.setEnabled(has)

    def set_priority(self, priority: str | None) -> None:
        """The priority being declared: its activity is marked in the list."""
        self._priority = priority
        self._renumber()

    def add_activity(self) -> None:
        existing = {n.casefold() for n in self.names()}
        name = next(f"New activity {i}" if i > 1 else "New activity" for i in range(1, 1000)
                    if (f"New activity {i}" if i > 1 else "New activity").casefold() not in existing)
        item = self._append(Draft(name, Kind.PRODUCTIVE))
        self.list.setCurrentItem(item)
        self._edited(names=True)
        self.name.setFocus()
        self.name.selectAll()

    def remove_activity(self) -> None:
        row = self.list.currentRow()
        if row < 0:
            return
        self.list.takeItem(row)
        self.list.setCurrentRow(min(row, self.list.count() - 1))
        self._edited(names=True)

    def move_current(self, step: int) -> None:
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.list.count():
            return
        item = self.list.takeItem(row)
        self.list.insertItem(target, item)
        self.list.setCurrentRow(target)
        self._edited(names=True)

    def _on_moved(self, *args: object) -> None:
        if not self._loading:
            self._edited(names=True)

    def _select(self, row: int) -> None:
        draft = self.current_draft()
        self._loading = True
        self.name.setText(draft.name if draft else "")
        self.kind.setCurrentIndex(self.kind.findData(draft.kind) if draft else 0)
        self.calls_count.setChecked(draft.calls_count_as_priority if draft else False)
        self.rules.set_rules(draft.rules if draft else [])
        self._loading = False
        self._check_name()
        self._show_rule_problems()
        self._renumber()

    # -- the editor

    def _on_name(self, text: str) -> None:
        draft = self.current_draft()
        if draft is None or self._loading:
            return
        draft.name = text
        self._check_name()
        self._edited(names=True)

    def _check_name(self) -> None:
        """In-place hints for the name; Save runs the config's own checks."""
        draft = self.current_draft()
        problems = []
        if draft is not None:
            name = draft.name.strip()
            others = [d.name.strip().casefold() for d in self.drafts() if d is not draft]
            if not name:
                problems.append("An activity needs a name.")
            elif name.casefold() in others:
                problems.append(f"Another activity is already called {name!r} (names ignore case).")
        show_problems(self.name_message, problems)
        self.name.setStyleSheet(f"QLineEdit {{ background: {ERROR_FILL}; }}" if problems else "")

    def _on_kind(self) -> None:
        draft = self.current_draft()
        if draft is None or self._loading:
            return
        draft.kind = self.kind.currentData()
        self._edited()

    def _on_calls_count(self, checked: bool) -> None:
        draft = self.current_draft()
        if draft is None or self._loading:
            return
        draft.calls_count_as_priority = checked
        self._edited()

    def _on_rules(self) -> None:
        draft = self.current_draft()
        if draft is None or self._loading:
            return
        draft.rules = self.rules.rules()
        self._show_rule_problems()
        self._edited()

    def _show_rule_problems(self) -> None:
        errors = [p for p in self.rules.problems if p.problem.severity == "error"]
        show_problems(self.rules_message, [p.text() for p in self.rules.problems], error=bool(errors))

    def _add_blank_rule(self) -> None:
        row = self.rules.add_rule()
        self.rules.setCurrentCell(row, 0)
        self.rules.setFocus()
        self.rules.editItem(self.rules.cell(row, 0))

    def add_rule_to(self, activity: str, rule: Rule) -> None:
        """File a rule under ``activity`` (the preview's one click) and show it there."""
        for index, draft in enumerate(self.drafts()):
            if draft.name.strip().casefold() == activity.casefold():
                self.list.setCurrentRow(index)
                if rule not in draft.rules:
                    row = self.rules.add_rule(rule)
                    self.rules.setCurrentCell(row, 0)
                return

    def _edited(self, *, names: bool = False) -> None:
        if self._loading:
            return
        self._renumber()
        if names:
            self.names_changed.emit()
        self.changed.emit()
        self.preview_needed.emit()

    # -- the preview

    def refresh_preview(self, priority: str | None, privacy: PrivacySettings) -> None:
        """Reclassify the recorded windows with the rules as they are now; rules the
        config would refuse are left out so one typo never blanks the preview."""
        drafts = self.drafts()
        current = self.current_draft()
        activities = [d.activity(self.rules.valid_rules() if d is current else d.rules) for d in drafts]
        classifier = Classifier(activities, privacy)
        rows = verdicts(self.preview.windows, classifier, self._saved_classifier, priority, self._saved_priority)
        self.preview.show_verdicts(rows, self.names(), current.name.strip() if current else None, priority)

    # -- files

    def _ask_file(self, title: str, then: Callable[[Path], object]) -> None:
        dialog = QtWidgets.QFileDialog(self, title, str(Path.home()), JSON_FILTER)
        dialog.setFileMode(QtWidgets.QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda path: then(Path(path)))
        self.file_dialog = dialog
        dialog.open()

    def _ask_export(self) -> None:
        dialog = QtWidgets.QFileDialog(self, "Export rules", str(Path.home() / "focusguard-rules.json"),
                                       JSON_FILTER)
        dialog.setAcceptMode(QtWidgets.QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("json")
        dialog.fileSelected.connect(lambda path: self.export_rules_file(Path(path)))
        self.file_dialog = dialog
        dialog.open()

    def export_rules_file(self, path: Path) -> None:
        try:
            write_atomic(path, dump_ruleset(self.activities()))
        except OSError as exc:
            show_problems(self.import_message, [f"Could not write {path}: {exc.strerror or exc}"])
            return
        count = sum(len(a.rules) for a in self.activities())
        self._say(f"Exported {words.plural(len(self.activities()), 'activity', 'activities')} with "
                  f"{words.plural(count, 'rule')} to {path}.")

    def import_rules_file(self, path: Path) -> Merge | None:
        try:
            text = path.read_text(encoding="utf-8")
            imported = parse_ruleset(text, path.name)
        except (OSError, UnicodeDecodeError) as exc:
            show_problems(self.import_message, [f"Could not read {path}: {exc}"])
            return None
        except ConfigError as exc:
            self._refuse(path, exc.problems)
            return None
        return self._merge(imported, "")

    def import_aw_file(self, path: Path) -> Merge | None:
        try:
            conversion = aw_categories.load(path)
        except ConfigError as exc:
            self._refuse(path, exc.problems)
            return None
        skipped = "".join(f"\nSkipped {p}" for p in conversion.skipped)
        return self._merge(conversion.activities, f"From ActivityWatch: {conversion.summary()}.{skipped}")

    def _refuse(self, path: Path, problems: Sequence[Problem]) -> None:
        show_problems(self.import_message, [f"{path.name} was not imported:"] + [str(p) for p in problems])

    def _merge(self, imported: Sequence[Activity], note: str) -> Merge:
        """Merge into the activities being edited (nothing is saved until Save)."""
        merge = merge_activities(self.activities(), imported)
        by_name = {d.name.strip().casefold(): d for d in self.drafts()}
        current = self.list.currentRow()
        self._loading = True
        self.list.clear()
        for activity in merge.activities:
            draft = by_name.get(activity.name.casefold()) or Draft(activity.name, activity.kind)
            draft.rules = list(activity.rules)
            self._append(draft)
        self._loading = False
        self.list.setCurrentRow(max(current, 0) if self.list.count() else -1)
        self._select(self.list.currentRow())
        self._say("\n".join(part for part in (merge.summary() + " Save to keep them.", note) if part))
        self._edited(names=True)
        return merge

    def _say(self, text: str) -> None:
        show_problems(self.import_message, [text], error=False)
        self.import_message.setStyleSheet("")


"""The settings window: six pages over config.toml, today's declaration and the data.

Nothing is written until Save, and Save writes through the core: the edited
:class:`~focusguard.core.config.Config` goes to :func:`~focusguard.core.config.edit.save_config`
(validated with the file's own checks and messages, comments and unknown keys kept,
written atomically), then ``saved(Config)`` lets the running app switch to it at once.
Cancel discards; closing with unsaved changes asks. A config file with errors is
shown (as the last good settings) but never saved over: the user's text is the only
copy of what they meant.

Shown without blocking (:meth:`SettingsWindow.open_window`); every question it asks
is a non-modal box, so pytest-qt drives it all.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from focusguard.core import palette
from focusguard.core.config import Config, ConfigError, Problem, load_config
from focusguard.core.config.edit import save_config
from focusguard.platform import autostart
from focusguard.records import Records
from focusguard.ui.qt import QtCore, QtGui, QtWidgets
from focusguard.ui.settings.activities import ActivitiesPage
from focusguard.ui.settings.calls_page import CallsPage
from focusguard.ui.settings.fields import ERROR, ERROR_FILL, Page
from focusguard.ui.settings.goals import GoalsPage
from focusguard.ui.settings.pages import GeneralPage, NudgesPage, SchedulePage
from focusguard.ui.settings.preview import DAYS, SeenWindow
from focusguard.ui.settings.priority import PriorityPage
from focusguard.ui.settings.privacy import PrivacyPage
from focusguard.ui.settings.rules_table import COLUMNS
from focusguard.ui.settings.sync import SyncPage
from focusguard.ui.style import (
    BUTTON_STYLE,
    FIELD_STYLE,
    MARGIN,
    fit_to_screen,
    muted,
    on_page,
    primary_button,
    secondary_button,
)

#: A rule's fields as the rules table heads them.
RULE_FIELD_WORDS = {column.key: column.header for column in COLUMNS}
#: Numbered things, as the window counts them (from 1).
NUMBERED = {"activity": "Activity", "focus_block": "Focus block", "rules": "rule",
            "exclude_titles": "never record titles, pattern", "exclude_apps": "never record apps, pattern",
            "hold_during_apps": "hold during apps, pattern"}

WINDOW_TITLE = "FocusGuard settings"
PREVIEW_DELAY_MS = 150
#: The smallest the window gets: the activities list, a five-column rules table with
#: readable headings and the page margins side by side (fits screens from 1280x720 up).
MINIMUM = QtCore.QSize(1000, 600)
#: The window in docs/design/DESIGN.md's language: a white page, a quiet sidebar whose current page
#: carries the priority colour, outlined fields and buttons with round corners, tables
#: with a light header. Combo and spin boxes keep the theme's own drawing (their arrows).
WINDOW_STYLE = (
    # a style sheet overrides the window's palette, so the page colour is said here too
    "QWidget#settingsWindow, QWidget#settingsPage { background: palette(base); }"
    f"QListWidget#sidebar {{ background: {palette.FIELD}; border: none; border-right: 1px solid {palette.HAIRLINE};"
    " padding-top: 14px; outline: none; }"
    f"QListWidget#sidebar::item {{ color: {palette.INK}; padding: 0 18px; border-left: 3px solid transparent; }}"
    f"QListWidget#sidebar::item:hover {{ background: {palette.tint(palette.HAIRLINE, 0.5)}; }}"
    f"QListWidget#sidebar::item:selected {{ background: {palette.tint(palette.PRIORITY, 0.14)}; color: {palette.INK};"
    f" border-left: 3px solid {palette.PRIORITY}; font-weight: 600; }}"
    + BUTTON_STYLE
    + f"QLineEdit, QPlainTextEdit {{ {FIELD_STYLE} }}"
    # the line edits inside spin boxes and table cell editors are part of those: no second frame
    "QAbstractSpinBox QLineEdit, QTableView QLineEdit { border: none; border-radius: 0; padding: 0;"
    " background: transparent; }"
    f"QTableWidget {{ border: 1px solid {palette.HAIRLINE}; border-radius: 6px; gridline-color: {palette.FIELD}; }}"
    f"QHeaderView::section {{ background: {palette.FIELD}; color: {palette.INK}; border: none;"
    f" border-bottom: 1px solid {palette.HAIRLINE}; padding: 5px 6px; font-weight: 600; }}"
    f"QListWidget {{ border: 1px solid {palette.HAIRLINE}; border-radius: 6px; }}"
)
#: Which page shows the keys under each top-level config name.
PAGE_OF_KEY = {"sampling": "General", "nudge": "Nudges", "day": "Schedule", "focus_block": "Schedule",
               "privacy": "Privacy", "activity": "Activities and rules", "priority": "Priority",
               "calls": "Calls"}


@dataclass
class SettingsContext:
    """What the window works on. The running app passes its own records (the
    store's door) and its current config (kept if the file turns out broken);
    standalone, the CLI opens them."""

    config_file: Path
    records: Records
    autostart: autostart.AutostartBackend = field(default_factory=autostart.backend_for)
    last_good: Callable[[], Config | None] = lambda: None


@dataclass(frozen=True)
class _State:
    """Everything Save would write, to tell whether anything is unsaved."""

    config: Config
    declaration: tuple[str, str] | None
    start_at_login: bool


class SettingsWindow(QtWidgets.QWidget):
    """Emits ``saved(Config)`` after a successful save and ``declared(activity, next
    step)`` when Save declares a new priority (after ``saved``: it may be new)."""

    saved = QtCore.Signal(object)
    declared = QtCore.Signal(str, str)

    def __init__(self, context: SettingsContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(WINDOW_TITLE)
        on_page(self)
        self.setObjectName("settingsWindow")
        self.setStyleSheet(WINDOW_STYLE)
        self.setMinimumSize(MINIMUM.width(), MINIMUM.height())
        fit_to_screen(self, 1120, 800)

        self.sidebar = QtWidgets.QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setAccessibleName("Settings pages")
        self.sidebar.setFixedWidth(200)
        self.sidebar.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        self.sidebar.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
        self.stack = QtWidgets.QStackedWidget()
        self.priority_page = PriorityPage()
        self.activities_page = ActivitiesPage()
        self.nudges_page = NudgesPage()
        self.schedule_page = SchedulePage()
        self.privacy_page = PrivacyPage(context.records)
        self.general_page = GeneralPage(context.autostart)
        self.goals_page = GoalsPage(context.records.plan)  # kept in the database at once, not by Save
        self.sync_page = SyncPage(context.records)  # issue 16
        self.calls_page = CallsPage()  # issue 15
        self.pages: list[Page] = [self.priority_page, self.activities_page, self.nudges_page,
                                  self.schedule_page, self.privacy_page, self.general_page, self.goals_page,
                                  self.sync_page, self.calls_page]
        for page in self.pages:
            item = QtWidgets.QListWidgetItem(page.title)
            item.setSizeHint(QtCore.QSize(0, self.fontMetrics().height() + 20))
            self.sidebar.addItem(item)
            self.stack.addWidget(page)
            page.changed.connect(self._on_changed)
        self.sidebar.currentRowChanged.connect(self.stack.setCurrentIndex)

        self.banner = QtWidgets.QLabel()
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.banner.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.setStyleSheet(f"QLabel {{ background: {ERROR_FILL}; color: {palette.shade(ERROR, 0.25)};"
                                  f" border: 1px solid {ERROR}; border-radius: 6px; padding: 10px 12px; }}")
        self.banner.hide()
        self.unsaved = muted(QtWidgets.QLabel("Unsaved changes"))
        self.unsaved.hide()
        self.cancel_button = secondary_button("Cancel")
        self.save_button = primary_button("&Save")
        self.save_button.setDefault(True)
        self.save_button.setAutoDefault(True)
        self.save_button.setToolTip("Save and apply (Ctrl+S)")
        self.cancel_button.setToolTip("Discard the changes and close")
        self.cancel_button.clicked.connect(self.discard)
        self.save_button.clicked.connect(self.save)
        buttons = QtWidgets.QHBoxLayout()
        buttons.setContentsMargins(MARGIN, 12, MARGIN, 16)
        buttons.setSpacing(10)
        buttons.addWidget(self.unsaved)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)

        right = QtWidgets.QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(0)
        banner_box = QtWidgets.QVBoxLayout()
        banner_box.setContentsMargins(MARGIN, 14, MARGIN, 0)
        banner_box.addWidget(self.banner)
        right.addLayout(banner_box)
        right.addWidget(self.stack, 1)
        line = QtWidgets.QFrame()
        line.setFrameShape(QtWidgets.QFrame.Shape.HLine)
        line.setStyleSheet(f"color: {palette.HAIRLINE};")
        right.addWidget(line)
        right.addLayout(buttons)
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.sidebar)
        layout.addLayout(right, 1)

        self.activities_page.names_changed.connect(
            lambda: self.priority_page.set_activities(self.activities_page.names()))
        self.priority_page.activity.currentIndexChanged.connect(
            lambda: self.activities_page.set_priority(self.priority_page.chosen_activity()))
        self.activities_page.preview_needed.connect(self._schedule_preview)
        self.privacy_page.data_deleted.connect(self._after_deletion)
        self._preview_timer = QtCore.QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.refresh_preview)
        self._shortcuts()
        self.confirm_box: QtWidgets.QMessageBox | None = None
        self._closing = False
        self._file_problems: list[Problem] = []
        self._baseline: _State | None = None
        self.loaded = Config()
        self.sidebar.setCurrentRow(0)
        self.reload()

    def _shortcuts(self) -> None:
        def add(key: QtGui.QKeySequence.StandardKey | str, slot: Callable[[], object]) -> None:
            QtGui.QShortcut(QtGui.QKeySequence(key), self, slot)

        add(QtGui.QKeySequence.StandardKey.Save, self.save)
        add("Esc", self.close)
        add("Ctrl+PgDown", lambda: self.go_to(min(self.sidebar.currentRow() + 1, len(self.pages) - 1)))
        add("Ctrl+PgUp", lambda: self.go_to(max(self.sidebar.currentRow() - 1, 0)))
        for number in range(1, len(self.pages) + 1):
            add(f"Alt+{number}", functools.partial(self.go_to, number - 1))

    # -- loading

    def reload(self) -> None:
        """Show the file (or, if it has errors, the last good settings) and the data."""
        result = load_config(self.context.config_file)
        self._file_problems = [] if result.ok else [p for p in result.problems if p.severity == "error"]
        config = result.config if result.ok else (self.context.last_good() or result.config)
        self.loaded = config
        records = self.context.records
        today = records.today_declaration()
        self.priority_page.load(config.activity_names, today, records.declarations())
        self.activities_page.load(config, self._windows(), today.activity if today else None)
        self.activities_page.set_priority(self.priority_page.chosen_activity())
        self.nudges_page.load(config)
        self.schedule_page.load(config)
        self.privacy_page.load(config)
        self.general_page.load(config)
        self.goals_page.load(config.activity_names)
        self.sync_page.load(config)
        self.calls_page.load(config)
        self._baseline = self.state()
        if self._file_problems:
            self._show_banner(f"{self.context.config_file} has errors, so these are the last good settings. "
                              "Fix the file first; saving here is off until then:", self._file_problems)
        else:
            self._show_banner("", [])
        self._on_changed()
        self.refresh_preview()

    def _windows(self) -> list[SeenWindow]:
        since = self.context.records.clock() - DAYS * 86400
        return [SeenWindow(*row) for row in self.context.records.windows_seen(since)]

    # -- state

    def edited_config(self) -> Config:
        """The config as the pages show it (patterns as typed: Save validates)."""
        config = self.loaded
        for page in (self.activities_page, self.nudges_page, self.schedule_page, self.privacy_page,
                     self.general_page, self.sync_page, self.calls_page):
            config = page.apply(config)
        return config

    def state(self) -> _State:
        return _State(self.edited_config(), self.priority_page.declaration(),
                      self.general_page.start_at_login.isChecked())

    def is_dirty(self) -> bool:
        return self._baseline is not None and self.state() != self._baseline

    def _on_changed(self) -> None:
        self.unsaved.setVisible(self.is_dirty())
        self._schedule_preview()

    def _schedule_preview(self) -> None:
        self._preview_timer.start()

    def refresh_preview(self) -> None:
        self._preview_timer.stop()
        self.activities_page.refresh_preview(self.priority_page.chosen_activity(),
                                             self.privacy_page.preview_privacy(self.loaded))

    # -- navigation and messages

    def go_to(self, index: int) -> None:
        self.sidebar.setCurrentRow(index)
        if (page := self.stack.currentWidget()) is not None:  # None only with no pages
            page.setFocus()

    def page_named(self, title: str) -> Page:
        return next(page for page in self.pages if page.title == title)

    def _show_banner(self, intro: str, problems: list[Problem] | list[str]) -> None:
        lines = [intro] + [f"• {p}" for p in problems] if problems else []
        self.banner.setText("\n".join(lines))
        self.banner.setVisible(bool(lines))

    def describe(self, problem: Problem) -> str:
        """A problem of the edited settings in the window's words, numbered from 1 as the
        window numbers things ("Activity 5 (Sales), rule 4, Title (regex): ..."), never the
        file's ``activity[4].rules[3].title``. Problems of the file itself keep its keys."""
        parts = [part for part in re.split(r"[.\[\]]+", problem.path) if part]
        words: list[str] = []
        if parts and parts[0] in PAGE_OF_KEY and parts[0] not in NUMBERED:
            words.append(PAGE_OF_KEY[parts.pop(0)])
        kind = ""
        for part in parts:
            if part.isdigit():
                index = int(part)
                if kind == "activity":
                    drafts = self.activities_page.drafts()
                    name = drafts[index].name.strip() if index < len(drafts) else ""
                    words.append(f"Activity {index + 1}" + (f" ({name})" if name else ""))
                else:
                    words.append(f"{NUMBERED.get(kind, kind.replace('_', ' '))} {index + 1}")
                kind = ""
                continue
            if kind:
                words.append(kind.replace("_", " "))
            kind = part
        if kind:
            words.append(RULE_FIELD_WORDS.get(kind, kind.replace("_", " ")))
        where = ", ".join(words)
        return f"{where[:1].upper()}{where[1:]}: {problem.message}" if where else problem.message

    def _go_to_problem(self, problem: Problem) -> None:
        """Open the page (and activity) of the first problem."""
        key = problem.path.split(".")[0].split("[")[0]
        title = PAGE_OF_KEY.get(key)
        if title is None:
            return
        self.go_to(self.pages.index(self.page_named(title)))
        if key == "activity" and "[" in problem.path:
            index = int(problem.path.split("[", 1)[1].split("]", 1)[0])
            if index < self.activities_page.list.count():
                self.activities_page.list.setCurrentRow(index)

    # -- saving and closing

    def save(self) -> bool:
        """Validate, write, apply; close on success. False (and why, on the banner) if refused."""
        if self._file_problems:
            self._show_banner(f"Not saved: {self.context.config_file} has errors. Fix them in the file "
                              "first, then reopen the settings:", self._file_problems)
            return False
        config = self.edited_config()
        declaration = self.priority_page.declaration()
        problems: list[Problem] = []
        problems += self.calls_page.problems()  # a chill-call time that is none (issue 15)
        if declaration is not None and config.activity(declaration[0]) is None:
            known = ", ".join(config.activity_names) or "none"
            problems.append(Problem("priority", f"no activity named {declaration[0]!r}; known: {known}"))
        saved = None
        if not problems:
            try:
                saved = save_config(self.context.config_file, config, renamed=self.activities_page.renamed())
            except ConfigError as exc:
                problems = [p for p in exc.problems if p.severity == "error"]
        if saved is None:
            self._show_banner("Not saved. Please fix:", [self.describe(p) for p in problems])
            if problems:
                self._go_to_problem(problems[0])
            return False
        login_problem = self._apply_autostart()
        self.loaded = saved
        self.saved.emit(saved)
        if self.priority_page.declaration_changed() and declaration is not None:
            self.declared.emit(declaration[0], declaration[1])
            self.priority_page.mark_declared()
        self._baseline = self.state()
        self._on_changed()
        if login_problem:
            self._show_banner("Settings saved, but start at login could not be changed:", [login_problem])
            return True
        self._show_banner("", [])
        self._close_now()
        return True

    def _apply_autostart(self) -> str | None:
        wanted = self.general_page.start_at_login.isChecked()
        backend = self.context.autostart
        try:
            if wanted != backend.is_enabled():
                (autostart.enable if wanted else autostart.disable)(backend)
        except OSError as exc:
            return f"{exc.strerror or exc}"
        return None

    def discard(self) -> None:
        """Cancel: forget the edits and close, no question asked (the next
        :meth:`open_window` shows the file again)."""
        self._close_now()

    def _close_now(self) -> None:
        self._closing = True
        self.close()
        self._closing = False

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        if self._closing or not self.is_dirty():
            event.accept()
            return
        event.ignore()
        self._ask_unsaved()

    def _ask_unsaved(self) -> None:
        box = QtWidgets.QMessageBox(self)
        box.setIcon(QtWidgets.QMessageBox.Icon.Question)
        box.setWindowTitle("FocusGuard: unsaved settings")
        box.setText("Save your changes to the settings?")
        box.setInformativeText("If you don't, they are lost.")
        box.setStandardButtons(QtWidgets.QMessageBox.StandardButton.Save
                               | QtWidgets.QMessageBox.StandardButton.Discard
                               | QtWidgets.QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QtWidgets.QMessageBox.StandardButton.Save)
        box.finished.connect(lambda _: self._answered(box.standardButton(box.clickedButton())))
        self.confirm_box = box
        box.open()

    def _answered(self, answer: QtWidgets.QMessageBox.StandardButton) -> None:
        if answer == QtWidgets.QMessageBox.StandardButton.Save:
            self.save()
        elif answer == QtWidgets.QMessageBox.StandardButton.Discard:
            self.discard()

    def _after_deletion(self) -> None:
        self.activities_page.set_windows([])
        self.priority_page.show_history([])

    def open_window(self) -> None:
        """Show (re-reading the file if the window was closed) and bring to the front."""
        if not self.isVisible():
            self.reload()
        self.show()
        self.raise_()
        self.activateWindow()


def run_settings(config_file: Path, open_records: Callable[[], Records]) -> int:
    """``focusguard settings``: ask the running app to open its window; with none
    running, open the window on its own (on the records ``open_records`` opens)
    until it is closed."""
    from focusguard.runtime.single_instance import SETTINGS, InstanceError, is_running, notify_running
    from focusguard.ui.standalone import application

    app = application()
    try:
        if notify_running(SETTINGS):
            print("Asked the running FocusGuard to open its settings.")
            return 0
        if is_running():  # never a second window beside the app's, even when it is stuck
            print("focusguard: FocusGuard is running but does not answer; quit it (or end its "
                  "process) and try again", file=sys.stderr)
            return 1
    except InstanceError as exc:
        print(f"focusguard: {exc}", file=sys.stderr)
        return 1
    records = open_records()
    try:
        window = SettingsWindow(SettingsContext(config_file, records))
        window.declared.connect(records.declare)
        window.open_window()
        return app.exec()
    finally:
        records.close()


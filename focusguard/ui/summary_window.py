"""The end-of-day summary: the day's story top to bottom, then three questions and tomorrow.

Every figure comes from ``focusguard.core.figures.day_figures``, which is built on
``summarize_day``: the popup shows the numbers ``focusguard report --json`` prints.
The window is one instance that is raised and refreshed when asked again; the
journal the user is typing is never overwritten by a refresh, and closing with
unsaved text saves it (nothing typed is lost). Opening never blocks: the app's
day-end and missed-day offers show it without taking keyboard focus.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from focusguard.core import block_report, call_report, figures, palette, plan_report, report, sync_report
from focusguard.core.config import write_atomic
from focusguard.core.figures import DayFigures
from focusguard.core.model import OFF_PRIORITY, Classification, Journal
from focusguard.core.timefmt import clock, day_bounds, duration
from focusguard.records import Records
from focusguard.store_sync import devices_json
from focusguard.ui.call_summary import CallsSummary
from focusguard.ui.charts import Bar, BarChart, Columns, Item, ItemList, TimelineStrip
from focusguard.ui.plan_summary import PlanParts
from focusguard.ui.qt import QtCore, QtGui, QtWidgets
from focusguard.ui.review_blocks import BlockSummary
from focusguard.ui.scrollpage import ScrollPage
from focusguard.ui.standalone import application
from focusguard.ui.style import (
    FIELD_STYLE,
    SECTION_SPACE,
    bold,
    heading,
    muted,
    plain_button,
    primary_button,
    scaled,
)

if TYPE_CHECKING:  # opened on demand by run_summary
    from focusguard.ui.review_window import ReviewWindow

TITLE = "FocusGuard summary"
TOP_ITEMS = 5
TOP_ACTIVITIES = 6
EXPORT_FILTERS = {"Markdown (*.md)": ".md", "JSON (*.json)": ".json", "CSV of the day's events (*.csv)": ".csv"}

#: The two bar charts side by side; their figures right-aligned on each half's edge.
HALF = Columns(label=160, bar=10_000, value=90, gap=12)
#: The top off-priority list: its figures on the same right edge as "By activity".
ITEMS = Columns(label=200, bar=10_000, value=110, gap=14)


class SummaryWindow(ScrollPage):
    """The day's summary. ``saved(date)`` after the journal was written;
    ``review_requested`` when the user asks for the 30-day review."""

    saved = QtCore.Signal(object)
    review_requested = QtCore.Signal()

    def __init__(self, records: Records, *, activities: Sequence[str],
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(TITLE, parent)
        self.records, self.tz = records, records.tz
        self.activities = list(activities)
        self.figures: DayFigures | None = None
        self.day: date | None = None
        self.dirty = False
        self._filling = False

        self.title = heading("", 1.4)
        self.title.setWordWrap(True)
        self.next_step = muted(QtWidgets.QLabel())
        self.next_step.setWordWrap(True)
        # One line per change, each wrapping: a day of changes grows down, never sideways.
        self.changes = muted(QtWidgets.QLabel())
        self.changes.setWordWrap(True)
        self.figure = QtWidgets.QLabel()
        self.figure.setFont(bold(scaled(self.figure.font(), 2.6)))
        self.figure.setStyleSheet(f"color: {palette.PRIORITY};")
        self.headline = QtWidgets.QLabel()
        self.headline.setFont(scaled(self.headline.font(), 1.1))
        self.headline.setWordWrap(True)
        for widget in (self.title, self.next_step, self.changes):
            self.body.addWidget(widget)
        self.body.addSpacing(14)
        self.body.addWidget(self.figure)
        self.body.addWidget(self.headline)

        self.section("Your day")
        self.timeline = TimelineStrip()
        self.body.addWidget(self.timeline)
        self.time_bars = BarChart(HALF)
        self.activity_bars = BarChart(HALF)
        self.activity_heading = heading("By activity")
        halves = QtWidgets.QHBoxLayout()
        halves.setSpacing(40)
        halves_content = ((heading("Where the time went"), self.time_bars), (self.activity_heading, self.activity_bars))
        for title, chart in halves_content:
            half = QtWidgets.QVBoxLayout()
            half.setSpacing(8)
            half.addWidget(title)
            half.addWidget(chart)
            half.addStretch(1)
            halves.addLayout(half, 1)
        self.body.addSpacing(SECTION_SPACE)
        self.body.addLayout(halves)
        self.off_heading = self.section("Top off-priority")
        self.off_items = ItemList(ITEMS)
        self.body.addWidget(self.off_items)
        self.body.addSpacing(14)
        self.nudges = QtWidgets.QLabel()
        self.nudges.setWordWrap(True)
        self.body.addWidget(self.nudges)
        self.blocks = BlockSummary(records.blocks)  # issue 14: the day's focus blocks, this month's tally
        self.body.addWidget(self.blocks)
        self.calls_section = CallsSummary(records.calls)  # issue 15: calls by kind, waiting ones, follow-ups
        self.body.addWidget(self.calls_section)
        self.devices = QtWidgets.QLabel()  # issue 16: each computer's share of a merged day
        self.devices.setAccessibleName("Devices")
        self.body.addWidget(self.devices)

        self.body.addSpacing(SECTION_SPACE)
        questions = QtWidgets.QGridLayout()
        questions.setHorizontalSpacing(16)
        questions.setVerticalSpacing(6)
        self.journal_fields: list[QtWidgets.QPlainTextEdit] = []
        for column, question in enumerate(report.JOURNAL_QUESTIONS):
            field = QtWidgets.QPlainTextEdit()
            field.setTabChangesFocus(True)
            field.setFixedHeight(84)
            field.setStyleSheet(f"QPlainTextEdit {{ {FIELD_STYLE} }}")
            field.textChanged.connect(self._edited)
            questions.addWidget(heading(question), 0, column)
            questions.addWidget(field, 1, column)
            self.journal_fields.append(field)
        self.done_field, self.todo_field, self.change_field = self.journal_fields
        self.plan_parts = PlanParts(records.plan)  # the day's step, adding steps, the delegate list
        for column, part in enumerate(self.plan_parts.widgets()):
            questions.addWidget(part, 2, column, QtCore.Qt.AlignmentFlag.AlignTop)
            questions.setColumnStretch(column, 1)  # three equal columns, whatever each holds
        self.body.addLayout(questions)

        self.tomorrow_heading = self.section("Tomorrow's priority")
        tomorrow = QtWidgets.QHBoxLayout()
        tomorrow.setSpacing(10)
        self.tomorrow_activity = QtWidgets.QComboBox()
        self.tomorrow_activity.setMinimumWidth(200)
        self.tomorrow_activity.setPlaceholderText("Choose an activity")
        self.tomorrow_activity.currentIndexChanged.connect(self._edited)
        self.tomorrow_step = QtWidgets.QLineEdit()
        self.tomorrow_step.setPlaceholderText("Next step: e.g. send the XYZ proposal")
        self.tomorrow_step.setStyleSheet(f"QLineEdit {{ {FIELD_STYLE} }}")
        self.tomorrow_step.setMinimumWidth(320)
        self.tomorrow_step.textChanged.connect(self._edited)
        tomorrow.addWidget(self.tomorrow_activity)
        tomorrow.addWidget(self.tomorrow_step, 1)
        self.plan_parts.propose_tomorrow(self.tomorrow_activity, self.tomorrow_step)  # the plan's next step
        tomorrow.addStretch(0)
        self.body.addLayout(tomorrow)
        self.body.addStretch(1)

        self.review_button = plain_button("30-day review…")
        self.review_button.clicked.connect(self.review_requested)
        self.copy_button = plain_button("Copy as Markdown")
        self.copy_button.clicked.connect(self.copy_markdown)
        self.export_button = plain_button("Export…")
        self.export_button.clicked.connect(self.open_export_dialog)
        self.save_button = primary_button("Save")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.footer.addWidget(self.review_button)
        self.footer.addStretch(1)
        self.footer.addWidget(self.status)
        self.footer.addSpacing(12)
        for button in (self.copy_button, self.export_button, self.save_button):
            self.footer.addWidget(button)
        self.fit_to_screen(940, 940)

    # --- filling -------------------------------------------------------------------

    def show_day(self, day: date, *, activate: bool = True) -> None:
        """Loads ``day`` (again) and shows the window. Text typed for the same day
        and not saved yet stays as it is."""
        keep_journal = self.dirty and day == self.day
        self.figures = self.records.day_figures(day)
        self.day = day
        self._fill_figures(self.figures)
        self.plan_parts.show_day(day)
        self.calls_section.show_day(day)
        self.blocks.show_day(day)
        shares = self.records.device_shares(day)  # issue 16
        self.devices.setText(sync_report.devices_text(shares))
        self.devices.setVisible(bool(shares))
        if not keep_journal:
            self._fill_journal(self.figures)
        self.present(activate=activate)

    def _fill_figures(self, f: DayFigures) -> None:
        s = f.summary
        self.title.setText(f"{s.date:%A %d %B} · Priority: {s.priority or 'none declared'}")
        self.next_step.setText(f"Next step was: {s.next_step}" if s.next_step else "")
        self.next_step.setVisible(bool(s.next_step))
        self.changes.setText("\n".join(f"Priority changed at {clock(c.at, self.tz)}: {c.before} → {c.after}"
                                        for c in f.changes))
        self.changes.setVisible(bool(f.changes))
        self.figure.setText(duration(s.seconds["priority"]))
        self.headline.setText(report.headline(f))
        self.timeline.set_segments(s.timeline, self.tz)

        self.time_bars.set_bars([  # hover gives each row's share of the recorded time
            Bar(label, seconds, palette.colour(c))
            for label, c, seconds in report.classification_rows(s) if seconds > 0 or c is Classification.PRIORITY
        ])
        self.activity_bars.set_bars([Bar(a.name, a.seconds, a.colour, palette.label(a.classification))
                                     for a in f.activities[:TOP_ACTIVITIES]])
        for widget in (self.activity_heading, self.activity_bars):
            widget.setVisible(bool(f.activities))
        colours = _off_priority_colours(f)
        self.off_items.set_items([
            Item(report.off_priority_label(i, s), " — ".join(x for x in (i.app, i.title) if x), i.seconds,
                 colours[(i.activity, i.app, i.title, i.priority)])
            for i in s.top_off_priority[:TOP_ITEMS]
        ])
        for part in (self.off_heading, self.off_items):
            part.setVisible(bool(s.top_off_priority))
        self.nudges.setText(report.nudge_line(f))
        self.nudges.setToolTip("\n".join(
            f"{clock(r.at)} {r.activity or figures.UNCLASSIFIED_NAME}: "
            f"{report.ANSWER_WORDS[None if r.answer is None else r.answer.value]}, back on the priority "
            + ("not that day" if r.seconds is None else f"after {duration(r.seconds)}")
            for r in f.recoveries))

    def _fill_journal(self, f: DayFigures) -> None:
        self._filling = True
        try:
            j = f.journal
            for field, text in zip(self.journal_fields, (j.done, j.todo, j.change) if j else ("", "", ""), strict=True):
                field.setPlainText(text)
            activity = j.tomorrow_activity if j and j.tomorrow_activity else (f.summary.priority or "")
            names = list(self.activities)
            if activity and activity.casefold() not in {n.casefold() for n in names}:
                names.append(activity)  # e.g. renamed in the config since: keep what was saved
            self.tomorrow_activity.clear()
            self.tomorrow_activity.addItems(names)
            self.tomorrow_activity.setCurrentIndex(
                self.tomorrow_activity.findText(activity, QtCore.Qt.MatchFlag.MatchFixedString) if activity else -1)
            self.tomorrow_step.setText(j.tomorrow_next_step if j else "")
            self.dirty = False
        finally:
            self._filling = False

    def _edited(self) -> None:
        if not self._filling:
            self.dirty = True
            self.status.setText("")

    # --- the user's actions --------------------------------------------------------

    def journal(self) -> Journal:
        """What the fields say now."""
        assert self.day is not None
        return Journal(
            day=self.day,
            done=self.done_field.toPlainText().strip(),
            todo=self.todo_field.toPlainText().strip(),
            change=self.change_field.toPlainText().strip(),
            tomorrow_activity=(self.tomorrow_activity.currentText()
                               if self.tomorrow_activity.currentIndex() >= 0 else ""),
            tomorrow_next_step=self.tomorrow_step.text().strip(),
        )

    def save(self) -> None:
        """Writes the day's journal; tomorrow's priority pre-fills the morning prompt."""
        if self.day is None or self.figures is None:  # set together, by show_day
            return
        journal = self.journal()
        self.records.save_journal(journal)
        self.figures = replace(self.figures, journal=journal)
        self.dirty = False
        tomorrow = f" · tomorrow's prompt: {journal.tomorrow_activity}" if journal.tomorrow_activity else ""
        self.status.setText(f"Saved {clock(time.time(), self.tz)}{tomorrow}")
        self.saved.emit(self.day)

    def markdown(self) -> str:
        """The day as Markdown, with the journal as typed (saved or not)."""
        assert self.figures is not None and self.day is not None
        plan = plan_report.markdown(*self.records.plan.day_report(self.day))  # issue 14: as `report --format md`
        day = report.day_markdown(replace(self.figures, journal=self.journal()), self.tz)
        calls = call_report.markdown(self.records.calls.day(self.day), self.tz)  # issue 15: as the report's
        blocks = block_report.markdown(self.records.blocks.judged(self.day, self.day), self.tz)  # issue 14
        devices = sync_report.devices_markdown(self.records.device_shares(self.day))  # issue 16: as the report's
        return day + "".join("\n" + part for part in (plan, calls, blocks, devices) if part)

    def copy_markdown(self) -> None:
        QtGui.QGuiApplication.clipboard().setText(self.markdown())
        self.status.setText("Copied as Markdown")

    def export_to(self, path: Path) -> None:
        """Writes the day to ``path``: Markdown, JSON (the report's figures) or the events as CSV,
        by the file's suffix. A failure is said in the window; nothing is half-written."""
        assert self.figures is not None and self.day is not None
        suffix = path.suffix.lower()
        if suffix == ".json":
            figures = replace(self.figures, journal=self.journal())
            plan = plan_report.day_json(*self.records.plan.day_report(self.day))  # issue 14, as `report --json`
            data = call_report.day_json(self.records.calls.day(self.day), {**report.day_json(figures, self.tz),
                                                                           **plan},
                                        self.tz)  # issue 15: calls, as `report --json`
            data |= devices_json(self.records.view, self.day, self.tz)  # issue 16: each computer's share, as there
            data |= block_report.day_json(self.records.blocks.judged(self.day, self.day), self.tz)  # issue 14
            text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        elif suffix == ".csv":
            text = report.rows_csv(self.records.event_rows(*day_bounds(self.day, self.tz)), report.EVENT_FIELDS)
        else:
            text = self.markdown()
        try:
            write_atomic(path, text)
        except OSError as exc:
            self.status.setText(f"Could not export: {exc.strerror or exc}")
            return
        self.status.setText(f"Exported to {path.name}")

    def open_export_dialog(self) -> QtWidgets.QFileDialog:
        """A non-modal save dialog; the suffix follows the chosen type."""
        dialog = QtWidgets.QFileDialog(self, "Export the day", f"focusguard-{self.day}.md")
        dialog.setAcceptMode(QtWidgets.QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilters(list(EXPORT_FILTERS))

        def chosen(name: str) -> None:
            path = Path(name)
            if path.suffix.lower() not in EXPORT_FILTERS.values():
                path = path.with_suffix(EXPORT_FILTERS.get(dialog.selectedNameFilter(), ".md"))
            self.export_to(path)

        dialog.fileSelected.connect(chosen)
        dialog.open()
        return dialog

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        """Closing with text typed and not saved saves it: a journal is never thrown away."""
        if self.dirty:
            self.save()
        super().closeEvent(event)


def _off_priority_colours(f: DayFigures) -> dict[tuple[str | None, str, str, str | None], str]:
    """The colour of each top off-priority item: the classification its window had that day
    (under the priority it was off)."""
    return {(s.activity, s.app, s.title, s.priority): palette.colour(s.classification)
            for s in f.summary.timeline if s.classification in OFF_PRIORITY}


# --- standalone (``focusguard summary``) ----------------------------------------------


def run_summary(records: Records, activities: Sequence[str], day: date, *, focus_blocks: bool = False) -> int:
    """``focusguard summary``: the window on its own, until closed."""
    app = application()
    window = SummaryWindow(records, activities=activities)
    reviews: list[ReviewWindow] = []

    def open_review() -> None:
        from focusguard.ui.review_window import ReviewWindow

        if not reviews:
            reviews.append(ReviewWindow(records, focus_blocks=focus_blocks))
        reviews[0].show_period(*figures.review_period(date.today()))

    window.review_requested.connect(open_review)
    window.show_day(day)
    return app.exec()

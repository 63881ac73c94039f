"""The 30-day review: how the month went, one question per activity, and what to change.

Read top to bottom like the day's summary: the period and its headline, the daily
chart of time on the priority and the focus ratio (untracked days stay visible as
gaps, days without a declared priority are marked), where the off-priority time
went, the nudges and how they were answered, then "too much, not enough, just
right?" per activity. Each answer re-draws the suggestion at once; Save (or
closing with answers given) keeps them in the store.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from focusguard.core import figures, palette, report, sync_report, verdicts
from focusguard.core.figures import RangeSummary
from focusguard.core.timefmt import duration
from focusguard.core.verdicts import Verdict
from focusguard.core.words import plural
from focusguard.records import Records
from focusguard.ui.call_summary import CallsReview
from focusguard.ui.charts import Bar, BarChart, DailyChart, DayBar, Legend
from focusguard.ui.plan_review import DelegatedReview
from focusguard.ui.qt import QtCore, QtGui, QtWidgets
from focusguard.ui.review_blocks import BlockReviewSection
from focusguard.ui.scrollpage import COLUMNS, SECTION_SPACE, ScrollPage
from focusguard.ui.standalone import application
from focusguard.ui.style import bold, heading, muted, primary_button, scaled

TITLE = "FocusGuard 30-day review"
VERDICT_STYLE = (
    "QPushButton { border: 1px solid palette(mid); border-radius: 12px; padding: 3px 14px; }"
    f"QPushButton:checked {{ background: {palette.PRIORITY}; color: white; border-color: {palette.PRIORITY}; }}"
)


def _hours(seconds: float) -> str:
    return f"{seconds / 3600:.0f} h"


def _count(value: float) -> str:
    return f"{value:.0f}"


def time_days(r: RangeSummary) -> list[DayBar]:
    """The chart of time on the priority (bars) and the focus ratio (line), a slot per day."""
    out = []
    for d in r.days:
        tracked = figures.tracked_seconds(d) > 0
        words = (f"{duration(d.seconds['priority'])} {report.priority_words(d)}"
                 f" · focus {report.percent(d.focus_ratio)}") if tracked else ""
        out.append(DayBar(d.date, ((d.seconds["priority"], palette.PRIORITY),), d.focus_ratio, tracked,
                          tracked and d.priority is None, words))
    return out


def nudge_days(r: RangeSummary) -> list[DayBar]:
    """Nudges per day, stacked by answer."""
    out = []
    for d in r.days:
        answers = Counter(None if n.answer is None else n.answer.value for n in d.nudges)
        stack = tuple((float(answers[k]), report.ANSWER_COLOURS[k]) for k in report.ANSWER_WORDS if answers[k])
        words = ", ".join(f"{report.ANSWER_WORDS[k]} {answers[k]}" for k in report.ANSWER_WORDS if answers[k])
        tracked = figures.tracked_seconds(d) > 0
        text = f"{plural(len(d.nudges), 'nudge')}: {words}" if d.nudges else ("no nudge" if tracked else "")
        out.append(DayBar(d.date, stack, None, tracked, False, text))
    return out


class ReviewWindow(ScrollPage):
    """The review of ``first``..``last``; ``saved(last)`` after the answers were stored."""

    saved = QtCore.Signal(object)

    def __init__(self, records: Records, *, focus_blocks: bool = False,
                 parent: QtWidgets.QWidget | None = None) -> None:
        """``focus_blocks``: whether the config has any, so the suggestion only names
        focus blocks to someone who has them."""
        super().__init__(TITLE, parent)
        self.records, self.tz = records, records.tz
        self.focus_blocks = focus_blocks
        self.range: RangeSummary | None = None
        self.dirty = False
        self.verdicts: dict[str, QtWidgets.QButtonGroup] = {}

        self.title = heading("30-day review", 1.4)
        self.period = muted(QtWidgets.QLabel())
        self.figure = QtWidgets.QLabel()
        self.figure.setFont(bold(scaled(self.figure.font(), 2.0)))
        self.figure.setStyleSheet(f"color: {palette.PRIORITY};")
        self.headline = QtWidgets.QLabel()
        self.headline.setFont(scaled(self.headline.font(), 1.1))
        self.headline.setWordWrap(True)
        for widget in (self.title, self.period):
            self.body.addWidget(widget)
        self.body.addSpacing(12)
        self.body.addWidget(self.figure)
        self.body.addWidget(self.headline)
        self.devices = muted(QtWidgets.QLabel())  # issue 16: each computer's share of the period
        self.devices.setWordWrap(True)
        self.body.addWidget(self.devices)

        self.section("Time on the priority and focus, day by day")
        self.time_chart = DailyChart(axis=_hours, step=3600.0, line_axis=True)
        self.body.addWidget(self.time_chart)
        self.body.addWidget(Legend([(palette.PRIORITY, "Time on the priority"), ("line", "Focus ratio (right axis)"),
                                    (palette.NO_PRIORITY, "No priority declared")]))
        self.no_priority = muted(QtWidgets.QLabel())
        self.no_priority.setWordWrap(True)
        self.body.addWidget(self.no_priority)

        self.off_heading = self.section("Most frequent off-priority activities")
        self.off_bars = BarChart(COLUMNS)
        self.body.addWidget(self.off_bars)

        self.section("Nudges")
        self.nudge_chart = DailyChart(axis=_count, step=1.0)
        self.body.addWidget(self.nudge_chart)
        self.body.addWidget(Legend([(report.ANSWER_COLOURS[k], words.capitalize())
                                    for k, words in report.ANSWER_WORDS.items()]))
        self.nudge_line = QtWidgets.QLabel()
        self.nudge_line.setWordWrap(True)
        self.body.addWidget(self.nudge_line)

        self.body.addSpacing(SECTION_SPACE)
        self.blocks = BlockReviewSection(records.blocks)  # issue 14: focus blocks over 90 days
        self.body.addWidget(self.blocks)
        self.delegated = DelegatedReview(records.plan)  # issue 14: is time on things to hand off falling?
        self.body.addWidget(self.delegated)
        self.calls_review = CallsReview(records.calls)  # issue 15: value and chill calls, leaks out of chill time
        self.body.addWidget(self.calls_review)

        self.section("Too much, not enough, just right?")
        self.questions = QtWidgets.QGridLayout()
        self.questions.setHorizontalSpacing(14)
        self.questions.setVerticalSpacing(8)
        self.body.addLayout(self.questions)

        self.section("Suggestion")
        self.suggestion = QtWidgets.QLabel()
        self.suggestion.setWordWrap(True)
        self.suggestion.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.suggestion.setContentsMargins(14, 10, 14, 10)
        self.suggestion.setStyleSheet(
            f"background: {palette.tint(palette.PRIORITY, 0.12)}; color: #1F2328; border-radius: 6px;")
        self.suggestion.setFont(scaled(self.suggestion.font(), 1.05))
        self.body.addWidget(self.suggestion)
        self.body.addStretch(1)

        self.save_button = primary_button("Save")
        self.save_button.clicked.connect(self.save)
        self.footer.addStretch(1)
        self.footer.addWidget(self.status)
        self.footer.addSpacing(12)
        self.footer.addWidget(self.save_button)
        self.fit_to_screen(940, 1000)

    def show_period(self, first: date, last: date, *, activate: bool = True) -> None:
        if self.dirty and self.range is not None and (first, last) != (self.range.first, self.range.last):
            self.save()  # answers given for the period shown are kept before another is shown
        self.range = r = self.records.summarize_range(first, last)
        self.period.setText(f"{first:%d %B} – {last:%d %B %Y} · {len(r.tracked)} of "
                            f"{plural(len(r.days), 'day')} tracked")
        average = r.average
        self.figure.setText(f"{duration(average.priority_seconds)} a day")
        missing = r.days_without_priority
        self.headline.setText(
            f"on the priority, per tracked day · focus {report.percent(r.focus_ratio)} over the period"
            + (f" · {plural(len(missing), 'day')} without a declared priority" if missing else ""))
        self.devices.setText(sync_report.devices_line(self.records.range_device_shares(first, last)))  # issue 16
        self.devices.setVisible(bool(self.devices.text()))
        self.time_chart.set_days(time_days(r))
        self.no_priority.setText(report.declared_days_sentence(r))
        off = r.off_priority[:figures.REVIEW_TOP_ACTIVITIES]
        self.off_bars.set_bars([Bar(a.name, a.seconds, a.colour, palette.label(a.classification)) for a in off])
        for widget in (self.off_heading, self.off_bars):
            widget.setVisible(bool(off))
        self.nudge_chart.set_days(nudge_days(r))
        answers = r.answers
        parts = [plural(sum(answers.values()), "nudge")]
        parts += [f"{report.ANSWER_WORDS[k]} {answers[k]}" for k in report.ANSWER_WORDS if answers[k]]
        median = r.median_recovery_seconds
        if median is not None:
            parts.append(f"median recovery {duration(median)}")
        self.nudge_line.setText(" · ".join(parts))
        self.delegated.show_period(first, last)
        self.calls_review.show_period(first, last)
        self._fill_questions(r, self.records.review_answers(last))
        self.blocks.show_review(last)
        self.present(activate=activate)

    def _fill_questions(self, r: RangeSummary, saved: dict[str, Verdict]) -> None:
        while (item := self.questions.takeAt(0)) is not None:  # None once empty
            if (widget := item.widget()) is not None:
                widget.deleteLater()
        self.verdicts = {}
        for row, activity in enumerate(verdicts.review_activities(r)):
            swatch = QtWidgets.QLabel("●")
            swatch.setStyleSheet(f"color: {activity.colour};")
            name = QtWidgets.QLabel(activity.name)
            name.setFont(bold(name.font()))
            spent = muted(QtWidgets.QLabel(duration(activity.seconds)))
            spent.setAlignment(QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter)
            group = QtWidgets.QButtonGroup(self)
            self.questions.addWidget(swatch, row, 0)
            self.questions.addWidget(name, row, 1)
            self.questions.addWidget(spent, row, 2)
            for column, verdict in enumerate(Verdict, start=3):
                button = QtWidgets.QPushButton(verdict.label)
                button.setCheckable(True)
                button.setChecked(saved.get(activity.name) is verdict)
                button.setStyleSheet(VERDICT_STYLE)
                button.setProperty("verdict", verdict.value)
                group.addButton(button)
                self.questions.addWidget(button, row, column)
            group.buttonClicked.connect(self._answered)
            self.verdicts[activity.name] = group
        self.questions.setColumnStretch(7, 1)
        self.dirty = False
        self._suggest()

    def answers(self) -> dict[str, Verdict]:
        """The verdicts chosen so far, by activity."""
        out = {}
        for name, group in self.verdicts.items():
            button = group.checkedButton()
            if button is not None:
                out[name] = Verdict(button.property("verdict"))
        return out

    def answer(self, activity: str, verdict: Verdict) -> None:
        """Clicks ``verdict`` for ``activity``, as the user would."""
        for button in self.verdicts[activity].buttons():
            if button.property("verdict") == verdict.value:
                button.click()

    def _answered(self, _button: QtWidgets.QAbstractButton) -> None:
        self.dirty = True
        self.status.setText("")
        self._suggest()

    def _suggest(self) -> None:
        assert self.range is not None
        self.suggestion.setText("\n".join(verdicts.suggestions(self.range, self.answers(),
                                                              focus_blocks=self.focus_blocks)))

    def save(self) -> None:
        if self.range is None:
            return
        self.records.save_review_answers(self.range.last, self.answers())
        self.dirty = False
        self.status.setText("Answers saved")
        self.saved.emit(self.range.last)

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        if self.dirty:
            self.save()
        super().closeEvent(event)


def run_review(records: Records, first: date, last: date, *, focus_blocks: bool = False) -> int:
    """``focusguard review``: the review of ``first``..``last``, until closed."""
    app = application()
    window = ReviewWindow(records, focus_blocks=focus_blocks)
    window.show_period(first, last)
    return app.exec()

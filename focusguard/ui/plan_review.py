"""The review's part on delegation (issue 14): time over the period on things marked
"Delegate this", day by day, and whether it is falling. Handing work off is the cure
only if the time on it then goes down; this says whether it did.

A view over ``Records.plan.delegated_trend``; the review window places it and calls
:meth:`DelegatedReview.show_period`. Hidden when nothing was ever marked.
"""

from __future__ import annotations

from datetime import date

from focusguard.core import palette
from focusguard.core.delegate import DelegatedTrend
from focusguard.core.timefmt import duration
from focusguard.plan_records import PlanRecords
from focusguard.ui.charts import DailyChart, DayBar
from focusguard.ui.qt import QtWidgets
from focusguard.ui.style import SECTION_SPACE, heading

COLOUR = palette.answer_colour("delegate")


def trend_sentence(trend: DelegatedTrend) -> str:
    """'2 h 10 min on things you marked to delegate · falling: 9 min a day in the first
    half, 2 min in the second.'"""
    first, second = trend.halves
    halves = f"{duration(first)} a day in the first half, {duration(second)} in the second"
    verdict = {True: "falling", False: "not falling yet", None: "too little to say"}[trend.falling]
    return f"{duration(trend.total)} on things you marked to delegate · {verdict}: {halves}."


def _minutes(seconds: float) -> str:
    """'50 m': the chart keeps room for five characters left of its axis ("000 h")."""
    return f"{seconds / 60:.0f} m"


class DelegatedReview(QtWidgets.QWidget):
    def __init__(self, plan: PlanRecords, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, SECTION_SPACE, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(heading("Time on things to delegate"))
        self.chart = DailyChart(axis=_minutes, step=600.0)
        layout.addWidget(self.chart)
        self.sentence = QtWidgets.QLabel()
        self.sentence.setWordWrap(True)
        layout.addWidget(self.sentence)
        self.trend: DelegatedTrend | None = None

    def show_period(self, first: date, last: date) -> None:
        self.trend = trend = self.plan.delegated_trend(first, last)
        self.setVisible(trend.total > 0)
        self.chart.set_days([DayBar(day, ((seconds, COLOUR),) if seconds else (), None, True, False,
                                    f"{duration(seconds)} on things to delegate" if seconds else "")
                             for day, seconds in trend.days])
        self.sentence.setText(trend_sentence(trend))

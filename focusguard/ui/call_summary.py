"""Calls in the end-of-day summary and the 30-day review (issue 15).

- ``CallsSummary``: the day's calls by kind (time and count), chill time outside its
  slots, the value-call share over the last 30 days, each call still waiting for
  "value or chill?" with its two answers and an optional "who / next step" line,
  and the follow-ups (value calls' next steps), tickable like the journal.
- ``CallsReview``: the period's calls in the review's words (``core.call_report``),
  with the suggestion to move chill calls into their slot when they leak.

Views over ``Records.calls``; each hides itself with nothing to say.
"""

from __future__ import annotations

from datetime import date, timedelta

from focusguard.call_records import CallRecords
from focusguard.core.call_report import call_line, kinds_line, leak_line, review_lines
from focusguard.core.calls import MAX_NOTE_CHARS, Call, CallKind
from focusguard.core.timefmt import local
from focusguard.store_writer import StoreError
from focusguard.ui.qt import QtCore, QtWidgets
from focusguard.ui.style import FIELD_STYLE, heading, muted, plain_button

#: The value share is taken over this many days up to the day shown.
SHARE_DAYS = 30


class CallsSummary(QtWidgets.QWidget):
    """The summary window's "Calls" section; ``show_day(day)`` fills it."""

    def __init__(self, calls: CallRecords, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.calls = calls
        self.day: date | None = None
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(heading("Calls"))
        self.kinds = QtWidgets.QLabel()
        self.kinds.setWordWrap(True)
        self.leak = muted(QtWidgets.QLabel())
        self.share = muted(QtWidgets.QLabel())
        for label in (self.kinds, self.leak, self.share):
            layout.addWidget(label)
        self.waiting_box = QtWidgets.QWidget()
        self.waiting_layout = QtWidgets.QVBoxLayout(self.waiting_box)
        self.waiting_layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.waiting_box)
        self.followups_box = QtWidgets.QWidget()
        self.followups_layout = QtWidgets.QVBoxLayout(self.followups_box)
        self.followups_layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.followups_box)
        self.problem = muted(QtWidgets.QLabel())
        self.problem.setVisible(False)
        layout.addWidget(self.problem)
        # Filled per day: (call, note field, value button, chill button) and (call, tick box).
        self.waiting_rows: list[tuple[Call, QtWidgets.QLineEdit, QtWidgets.QPushButton, QtWidgets.QPushButton]] = []
        self.followup_boxes: list[tuple[Call, QtWidgets.QCheckBox]] = []

    def show_day(self, day: date) -> None:
        self.day = day
        self._fill()

    def _fill(self) -> None:
        assert self.day is not None
        today = self.calls.day(self.day)
        figures = today.figures
        self.kinds.setText(f"Today: {kinds_line(figures)}" if today.calls else "No call today.")
        self.leak.setText(leak_line(figures))
        self.leak.setVisible(bool(leak_line(figures)))
        share = self.calls.period(self.day - timedelta(days=SHARE_DAYS - 1), self.day).figures.value_share
        self.share.setText("" if share is None else f"Value calls over {SHARE_DAYS} days: {share:.0%} of answered "
                                                    "call time")
        self.share.setVisible(share is not None)
        self._fill_waiting(self.calls.waiting())
        self._fill_followups(self.calls.followups())
        self.setVisible(bool(today.calls or self.waiting_rows or self.followup_boxes or share is not None))

    def _fill_waiting(self, calls: tuple[Call, ...]) -> None:
        _clear(self.waiting_layout)
        self.waiting_rows = []
        if calls:
            self.waiting_layout.addWidget(QtWidgets.QLabel("Value call or chill call?"))
        for call in calls:
            row = QtWidgets.QHBoxLayout()
            row.setSpacing(8)
            label = QtWidgets.QLabel(f"{local(call.start, self.calls.tz):%a %H:%M}  {call.label}")
            note = QtWidgets.QLineEdit()
            note.setPlaceholderText("Who / next step (optional)")
            note.setMaxLength(MAX_NOTE_CHARS)
            note.setStyleSheet(f"QLineEdit {{ {FIELD_STYLE} }}")
            value, chill = plain_button("Value call"), plain_button("Chill call")
            value.clicked.connect(lambda _=False, c=call, n=note: self._answer(c, CallKind.VALUE, n.text()))
            chill.clicked.connect(lambda _=False, c=call, n=note: self._answer(c, CallKind.CHILL, n.text()))
            row.addWidget(label)
            row.addWidget(note, 1)
            row.addWidget(value)
            row.addWidget(chill)
            self.waiting_layout.addLayout(row)
            self.waiting_rows.append((call, note, value, chill))

    def _fill_followups(self, followups: list[tuple[Call, bool]]) -> None:
        _clear(self.followups_layout)
        self.followup_boxes = []
        for call, done in followups:
            box = QtWidgets.QCheckBox(f"Follow up: {call.note}".replace("&", "&&"))
            box.setToolTip(call_line(call, self.calls.tz))
            box.setChecked(done)
            box.toggled.connect(lambda checked, c=call: self._tick(c, checked))
            self.followups_layout.addWidget(box)
            self.followup_boxes.append((call, box))

    def _answer(self, call: Call, kind: CallKind, note: str) -> None:
        assert call.id is not None
        try:
            self.calls.answer(call.id, kind, note)
        except (KeyError, StoreError) as exc:
            self._say(str(exc))
            return
        self._fill()

    def _tick(self, call: Call, done: bool) -> None:
        assert call.id is not None
        try:
            self.calls.tick(call.id, done)
        except (KeyError, StoreError) as exc:
            self._say(str(exc))

    def _say(self, problem: str) -> None:
        self.problem.setText(problem)
        self.problem.setVisible(True)


class CallsReview(QtWidgets.QWidget):
    """The review's "Calls" lines for its period; ``show_period(first, last)`` fills it."""

    def __init__(self, calls: CallRecords, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.calls = calls
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(heading("Calls"))
        self.lines = QtWidgets.QLabel()
        self.lines.setWordWrap(True)
        self.lines.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        layout.addWidget(self.lines)

    def show_period(self, first: date, last: date) -> None:
        lines = review_lines(self.calls.period(first, last))
        self.lines.setText("\n".join(lines))
        self.setVisible(bool(lines))


def _clear(layout: QtWidgets.QLayout) -> None:
    """Empties a layout of its widgets and rows (filled again per day)."""
    while layout.count():
        item = layout.takeAt(0)
        if item is None:
            break
        widget = item.widget()
        if widget is not None:
            widget.deleteLater()
        inner = item.layout()
        if inner is not None:
            _clear(inner)
            inner.deleteLater()

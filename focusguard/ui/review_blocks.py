"""The focus blocks in the 30-day review: this month's tally per block ("Outreach
calls: 11 of 12 kept this month"), the 90 days as a chain of occurrences (kept,
partly, missed, moved), the kept share per week with the current run of weeks at or
above the target, and per block "too much, not enough, just right?" -- each answer
changes the block in the config in one click, its button saying how.

A view: it reads and answers through ``Records.blocks`` (``block_records``).
"""

from __future__ import annotations

from datetime import date, tzinfo

from focusguard.block_records import BlockRecords, BlockReview, BlockRow
from focusguard.core import palette
from focusguard.core.block_review import change_words, days_words
from focusguard.core.blocks import Judged, Status, WeekShare
from focusguard.core.config import ConfigError
from focusguard.core.report import percent
from focusguard.core.timefmt import clock, local_date
from focusguard.core.verdicts import Verdict
from focusguard.core.words import plural
from focusguard.ui.qt import QtCore, QtGui, QtWidgets
from focusguard.ui.style import bold, heading, muted

#: Each status's colour in the chain: the palette's own meanings (kept is "on the
#: priority" green, missed "distraction" red, partly amber between, moved blue).
STATUS_COLOURS = {Status.KEPT: palette.PRIORITY, Status.PARTLY: palette.PRODUCTIVE_DISTRACTION,
                  Status.MISSED: palette.DISTRACTION, Status.MOVED: palette.NO_PRIORITY}
STATUS_WORDS = {Status.KEPT: "Kept", Status.PARTLY: "Partly kept", Status.MISSED: "Missed", Status.MOVED: "Moved"}
VERDICT_STYLE = (
    "QPushButton { border: 1px solid palette(mid); border-radius: 12px; padding: 3px 12px; }"
    f"QPushButton:checked {{ background: {palette.PRIORITY}; color: white; border-color: {palette.PRIORITY}; }}"
)
LINK = 10  # px: one occurrence in the chain
GAP = 3


class Chain(QtWidgets.QWidget):
    """One block's occurrences, oldest first, a rounded square each in its status's
    colour (a moved one is followed by where it went); a tooltip names each."""

    def __init__(self, tz: tzinfo | None = None, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.tz = tz
        self.links: list[Judged] = []
        self.setMinimumHeight(LINK + 4)
        self.setMouseTracking(True)

    def set_links(self, links: list[Judged]) -> None:
        self.links = [j for j in links if j.status is not None]
        self.setToolTip("")
        self.updateGeometry()
        self.update()

    def _per_row(self) -> int:
        return max(1, (self.width() + GAP) // (LINK + GAP))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        per_row = max(1, (width + GAP) // (LINK + GAP))
        rows = max(1, -(-len(self.links) // per_row))
        return rows * (LINK + GAP) + 2

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(400, self.heightForWidth(400))

    def link_at(self, point: QtCore.QPoint) -> Judged | None:
        index = (point.y() // (LINK + GAP)) * self._per_row() + point.x() // (LINK + GAP)
        return self.links[index] if 0 <= index < len(self.links) else None

    def mouseMoveEvent(self, event: QtGui.QMouseEvent) -> None:
        link = self.link_at(event.position().toPoint())
        self.setToolTip("" if link is None else describe(link, self.tz))
        super().mouseMoveEvent(event)

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:
        painter = QtGui.QPainter(self)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        painter.setPen(QtCore.Qt.PenStyle.NoPen)
        per_row = self._per_row()
        for i, link in enumerate(self.links):
            assert link.status is not None
            x, y = (i % per_row) * (LINK + GAP), (i // per_row) * (LINK + GAP)
            painter.setBrush(QtGui.QColor(STATUS_COLOURS[link.status]))
            painter.drawRoundedRect(QtCore.QRectF(x, y, LINK, LINK), 2.5, 2.5)


def describe(j: Judged, tz: tzinfo | None = None) -> str:
    """'Mon 23 Nov 08:30: missed', 'Mon 23 Nov 08:30: moved to Mon 23 Nov 14:00'."""
    o = j.occurrence
    words = f"{local_date(o.start, tz):%a %d %b} {clock(o.start, tz)}"
    assert j.status is not None
    if j.moved_to is not None:
        return f"{words}: moved to {local_date(j.moved_to, tz):%a %d %b} {clock(j.moved_to, tz)}"
    return f"{words}: {STATUS_WORDS[j.status].lower()}"


class Weeks(QtWidgets.QWidget):
    """The kept share per week: a bar a week, the target as a line across."""

    HEIGHT = 44

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.weeks: list[WeekShare] = []
        self.target = 0.8
        self.setFixedHeight(self.HEIGHT)

    def set_weeks(self, weeks: list[WeekShare], target: float) -> None:
        self.weeks, self.target = weeks, target
        self.setToolTip("\n".join(f"Week of {w.monday:%d %b}: {w.kept} of {w.judged} kept" for w in weeks))
        self.update()

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:
        painter = QtGui.QPainter(self)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        bar, gap, height = 18, 6, self.HEIGHT - 2
        painter.setPen(QtCore.Qt.PenStyle.NoPen)
        for i, week in enumerate(self.weeks):
            share = week.share or 0.0
            colour = palette.PRIORITY if share >= self.target else palette.tint(palette.PRIORITY, 0.45)
            painter.setBrush(QtGui.QColor(palette.IDLE))
            painter.drawRect(QtCore.QRectF(i * (bar + gap), 0, bar, height))
            painter.setBrush(QtGui.QColor(colour))
            painter.drawRect(QtCore.QRectF(i * (bar + gap), height * (1 - share), bar, height * share))
        if self.weeks:
            painter.setPen(QtGui.QPen(QtGui.QColor(palette.INK), 1, QtCore.Qt.PenStyle.DashLine))
            y = height * (1 - self.target)
            painter.drawLine(QtCore.QPointF(0, y), QtCore.QPointF(len(self.weeks) * (bar + gap) - gap, y))


class BlockReviewSection(QtWidgets.QWidget):
    """The review's focus blocks; hidden when the config has none."""

    def __init__(self, records: BlockRecords, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.records = records
        self.review: BlockReview | None = None
        self.groups: dict[str, QtWidgets.QButtonGroup] = {}
        self.chains: dict[str, Chain] = {}
        self.notes: dict[str, QtWidgets.QLabel] = {}
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.title = heading("Focus blocks over 90 days")
        layout.addWidget(self.title)
        self.month = QtWidgets.QLabel()
        self.month.setWordWrap(True)
        self.month.setFont(bold(self.month.font()))
        layout.addWidget(self.month)
        self.weeks = Weeks()
        layout.addWidget(self.weeks)
        self.run = muted(QtWidgets.QLabel())
        self.run.setWordWrap(True)
        layout.addWidget(self.run)
        self.legend = muted(QtWidgets.QLabel(" ".join(
            f'<span style="color:{STATUS_COLOURS[s]}">■</span> {STATUS_WORDS[s]}&nbsp;&nbsp;' for s in Status)))
        self.legend.setTextFormat(QtCore.Qt.TextFormat.RichText)
        layout.addWidget(self.legend)
        self.rows = QtWidgets.QVBoxLayout()
        self.rows.setSpacing(10)
        layout.addLayout(self.rows)

    def show_review(self, last: date) -> None:
        self.review = review = self.records.review(last)
        self.setVisible(bool(review.rows))
        self.month.setText("\n".join(t.sentence() for t in review.month) or "No focus block finished this month yet.")
        self.weeks.set_weeks(list(review.weeks), review.target)
        weeks = plural(review.run, "week")
        self.run.setText(f"Kept share per week ({review.first:%d %b} – {review.last:%d %b}); the dashed line is "
                         f"your target, {percent(review.target)}. Current run: {weeks} at or above it.")
        while (item := self.rows.takeAt(0)) is not None:
            if (widget := item.widget()) is not None:
                widget.deleteLater()
        self.groups, self.chains, self.notes = {}, {}, {}
        saved = self.records.answers(last)
        for row in review.rows:
            self.rows.addWidget(self._row(row, saved.get(row.key)))

    def _row(self, row: BlockRow, saved: Verdict | None) -> QtWidgets.QWidget:
        box = QtWidgets.QWidget()
        layout = QtWidgets.QVBoxLayout(box)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(4)
        block = row.block
        name = QtWidgets.QLabel(row.label)
        name.setFont(bold(name.font()))
        what = f"{days_words(block)} {block.start:%H:%M}–{block.end:%H:%M}"
        if block.activity:
            what += f" · {block.activity}"
        what += f" · {row.tally.kept} of {row.tally.judged} kept in the last 30 days"
        head = QtWidgets.QHBoxLayout()
        head.addWidget(name)
        head.addWidget(muted(QtWidgets.QLabel(what)), 1)
        layout.addLayout(head)
        chain = Chain(self.records.tz)
        chain.set_links(list(row.chain))
        self.chains[row.key] = chain
        layout.addWidget(chain)
        buttons = QtWidgets.QHBoxLayout()
        buttons.setSpacing(8)
        group = QtWidgets.QButtonGroup(box)
        for verdict in Verdict:
            change = row.changes.get(verdict)
            label = verdict.label if verdict is Verdict.JUST_RIGHT else \
                f"{verdict.label}: {change_words(block, change)}"
            button = QtWidgets.QPushButton(label)
            button.setCheckable(True)
            button.setChecked(saved is verdict)
            button.setStyleSheet(VERDICT_STYLE)
            button.setProperty("verdict", verdict.value)
            button.setEnabled(saved is None and (verdict is Verdict.JUST_RIGHT or change is not None))
            group.addButton(button)
            buttons.addWidget(button)
        buttons.addStretch(1)
        group.buttonClicked.connect(lambda button, key=row.key: self._answer(key, Verdict(button.property("verdict"))))
        self.groups[row.key] = group
        layout.addLayout(buttons)
        note = muted(QtWidgets.QLabel())
        note.setWordWrap(True)
        note.setVisible(False)
        self.notes[row.key] = note
        layout.addWidget(note)
        return box

    def answer(self, key: str, verdict: Verdict) -> None:
        """Clicks ``verdict`` for the block ``key``, as the user would."""
        for button in self.groups[key].buttons():
            if button.property("verdict") == verdict.value:
                button.click()

    def _answer(self, key: str, verdict: Verdict) -> None:
        assert self.review is not None
        note = self.notes[key]
        try:
            changed = self.records.answer(self.review.last, key, verdict)
        except ConfigError as exc:
            for button in self.groups[key].buttons():
                button.setChecked(False)
            note.setText(f"Could not change the block: {exc}")
            note.setVisible(True)
            return
        for button in self.groups[key].buttons():
            button.setEnabled(False)
        note.setText("Kept as it is." if changed is None else
                     f"Changed in your config: now {days_words(changed)} {changed.start:%H:%M}–{changed.end:%H:%M}.")
        note.setVisible(True)


class BlockSummary(QtWidgets.QLabel):
    """The day's summary's word on focus blocks: the day's, then this month's tally
    ("Outreach calls: 11 of 12 kept this month"); hidden with no block."""

    def __init__(self, records: BlockRecords, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.records = records
        self.setWordWrap(True)

    def show_day(self, day: date) -> None:
        lines = self.records.summary_lines(day)
        self.setText("Focus blocks: " + " · ".join(lines) if lines else "")
        self.setVisible(bool(lines))

"""The painted parts of the summary and the review: a day's timeline, bars, a daily chart.

Each widget is handed plain values (segments, rows, days) and paints them with
QPainter in the one palette (``focusguard.core.palette``), so the popup, the review and
the tray say the same thing in the same colour. Text and axes take the widget's own
palette (window text, a muted mix of text and background), so the charts read on light
and dark desktop themes alike. Hovering anything shows what it is, in words: colour is
never the only signal.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from focusguard.core import palette
from focusguard.core.summary import Segment
from focusguard.core.timefmt import clock, duration
from focusguard.ui.qt import QtCore, QtGui, QtWidgets
from focusguard.ui.style import bold
from focusguard.ui.style import mixed as mix

HOUR = 3600.0


def ink(widget: QtWidgets.QWidget) -> QtGui.QColor:
    """The text colour of the widget's theme."""
    return widget.palette().color(QtGui.QPalette.ColorRole.WindowText)


class _Hover(QtWidgets.QWidget):
    """Shows ``tooltip_at(x, y)`` under the mouse."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)

    def tooltip_at(self, x: float, y: float) -> str:
        raise NotImplementedError

    def mouseMoveEvent(self, event: QtGui.QMouseEvent) -> None:
        pos = event.position()
        text = self.tooltip_at(pos.x(), pos.y())
        if text:
            QtWidgets.QToolTip.showText(event.globalPosition().toPoint(), text, self)
        else:
            QtWidgets.QToolTip.hideText()


# --- the day's timeline ----------------------------------------------------------------


class TimelineStrip(_Hover):
    """The day as one strip coloured by classification, first to last activity, with
    hour ticks underneath. Holes in the log stay the colour of the empty track."""

    STRIP = 26

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.segments: tuple[Segment, ...] = ()
        self._starts: list[float] = []
        self.t0 = self.t1 = 0.0
        self.tz: tzinfo | None = None
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Fixed)

    def set_segments(self, segments: Sequence[Segment], tz: tzinfo | None = None) -> None:
        """Shows ``segments`` (a day's timeline) between the whole hours around them."""
        self.segments = tuple(segments)
        self._starts = [s.start for s in self.segments]
        self.tz = tz
        if self.segments:
            self.t0 = self._hour_floor(self.segments[0].start)
            self.t1 = max(self._hour_floor(self.segments[-1].end - 1e-6) + HOUR, self.t0 + HOUR)
        self.update()

    def _hour_floor(self, t: float) -> float:
        local = datetime.fromtimestamp(t, self.tz)
        return local.replace(minute=0, second=0, microsecond=0).timestamp()

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(600, self.STRIP + self.fontMetrics().height() + 10)

    def minimumSizeHint(self) -> QtCore.QSize:
        return self.sizeHint()

    def _track(self) -> QtCore.QRectF:
        return QtCore.QRectF(0, 0, max(1.0, float(self.width())), self.STRIP)

    def x_of(self, t: float) -> float:
        track = self._track()
        return track.left() + (t - self.t0) / (self.t1 - self.t0) * track.width()

    def time_at(self, x: float) -> float:
        track = self._track()
        return self.t0 + (x - track.left()) / track.width() * (self.t1 - self.t0)

    def segment_at(self, x: float) -> Segment | None:
        if not self.segments:
            return None
        t = self.time_at(x)
        i = bisect_right(self._starts, t) - 1
        return self.segments[i] if i >= 0 and self.segments[i].start <= t < self.segments[i].end else None

    def tooltip_at(self, x: float, y: float) -> str:
        s = self.segment_at(x) if 0 <= y <= self.STRIP else None
        if s is None:
            return ""
        what = palette.label(s.classification)
        lines = [f"{clock(s.start, self.tz)}–{clock(s.end, self.tz)} · {duration(s.seconds)}",
                 f"{s.activity} · {what}" if s.activity else what]
        window = " — ".join(part for part in (s.app, s.title) if part)
        if window:
            lines.append(window)
        return "\n".join(lines)

    def hour_ticks(self) -> list[tuple[float, str]]:
        """(time, label) of the labelled hours: every hour up to 12, every 2 or 3 beyond."""
        hours = round((self.t1 - self.t0) / HOUR)
        step = 1 if hours <= 12 else 2 if hours <= 24 else 3
        ticks, t = [], self.t0
        while t <= self.t1 + 1:
            local = datetime.fromtimestamp(t, self.tz)
            if local.hour % step == 0:
                ticks.append((t, f"{local.hour}:00"))
            t += HOUR
        return ticks

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:
        p = QtGui.QPainter(self)
        track = self._track()
        p.fillRect(track, mix(self, 0.08))
        if not self.segments:
            p.setPen(mix(self, 0.6))
            p.drawText(track, QtCore.Qt.AlignmentFlag.AlignCenter, "Nothing tracked")
            return
        colours = {c: QtGui.QColor(palette.colour(c)) for c in {s.classification for s in self.segments}}
        for s in self.segments:
            x0, x1 = self.x_of(s.start), self.x_of(s.end)
            p.fillRect(QtCore.QRectF(x0, track.top(), max(x1 - x0, 0.6), track.height()), colours[s.classification])
        p.setPen(mix(self, 0.55))
        metrics = self.fontMetrics()
        for t, text in self.hour_ticks():
            x = min(max(self.x_of(t), track.left() + 0.5), track.right() - 0.5)
            p.drawLine(QtCore.QPointF(x, track.bottom()), QtCore.QPointF(x, track.bottom() + 4))
            w = metrics.horizontalAdvance(text)
            left = min(max(x - w / 2, track.left()), track.right() - w)  # the end labels stay inside
            p.drawText(QtCore.QPointF(left, track.bottom() + 6 + metrics.ascent()), text)


# --- bars ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Bar:
    """One row of a bar chart: what, how long, in which colour (and words for hover)."""

    label: str
    seconds: float
    colour: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Columns:
    """Shared column geometry, so the bars and the item list below them line up:
    label | gap | bar (at most ``bar`` wide) | gap | value (right-aligned in ``value``)."""

    label: int = 200
    bar: int = 440
    value: int = 96
    gap: int = 14

    def middle(self, width: int) -> float:
        """The bar column's width in a widget ``width`` wide."""
        return max(10.0, min(float(self.bar), width - self.label - 2 * self.gap - self.value))

    def value_right(self, width: int) -> float:
        return self.label + 2 * self.gap + self.middle(width) + self.value


class BarChart(_Hover):
    """Label | bar | time, one row per ``Bar``; bar lengths share one scale."""

    def __init__(self, columns: Columns = Columns(), parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = columns
        self.bars: tuple[Bar, ...] = ()
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Fixed)

    def set_bars(self, bars: Sequence[Bar]) -> None:
        self.bars = tuple(bars)
        self.updateGeometry()
        self.update()

    def row_height(self) -> int:
        return self.fontMetrics().height() + 10

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(600, max(1, len(self.bars)) * self.row_height())

    def minimumSizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(self.columns.label + self.columns.value + 80, self.sizeHint().height())

    def bar_rect(self, i: int) -> QtCore.QRectF:
        """The full-scale bar area of row ``i`` (a bar fills it in proportion)."""
        c, h = self.columns, self.row_height()
        return QtCore.QRectF(c.label + c.gap, i * h + h * 0.22, c.middle(self.width()), h * 0.56)

    def bar_width(self, i: int) -> float:
        top = max((b.seconds for b in self.bars), default=0.0)
        return self.bar_rect(i).width() * (self.bars[i].seconds / top if top > 0 else 0.0)

    def tooltip_at(self, x: float, y: float) -> str:
        i = int(y // self.row_height())
        if not 0 <= i < len(self.bars):
            return ""
        bar = self.bars[i]
        total = sum(b.seconds for b in self.bars)
        share = f" ({bar.seconds / total * 100:.0f} % of the time shown here)" if total else ""
        return "\n".join(filter(None, (f"{bar.label}: {duration(bar.seconds)}{share}", bar.detail)))

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:
        p = QtGui.QPainter(self)
        metrics, h, c = self.fontMetrics(), self.row_height(), self.columns
        for i, bar in enumerate(self.bars):
            baseline = i * h + (h + metrics.ascent() - metrics.descent()) / 2
            p.setPen(ink(self))
            label = metrics.elidedText(bar.label, QtCore.Qt.TextElideMode.ElideRight, c.label)
            p.drawText(QtCore.QPointF(0, baseline), label)
            area = self.bar_rect(i)
            width = self.bar_width(i)
            if bar.seconds > 0:
                filled = QtCore.QRectF(area.left(), area.top(), max(width, 2.0), area.height())
                p.fillRect(filled, QtGui.QColor(bar.colour))
            value = duration(bar.seconds)
            p.drawText(QtCore.QPointF(c.value_right(self.width()) - metrics.horizontalAdvance(value), baseline), value)


@dataclass(frozen=True, slots=True)
class Item:
    """A row of the top off-priority list: activity (bold), where, how long."""

    name: str
    where: str
    seconds: float
    colour: str


class ItemList(_Hover):
    """Activity | app — title | time, aligned on the same ``Columns`` as ``BarChart``;
    long titles are elided in the middle column and shown whole on hover."""

    def __init__(self, columns: Columns = Columns(), parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = columns
        self.items: tuple[Item, ...] = ()
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Fixed)

    def set_items(self, items: Sequence[Item]) -> None:
        self.items = tuple(items)
        self.updateGeometry()
        self.update()

    def row_height(self) -> int:
        return self.fontMetrics().height() + 6

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(600, max(1, len(self.items)) * self.row_height())

    def minimumSizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(self.columns.label + self.columns.value + 80, self.sizeHint().height())

    def tooltip_at(self, x: float, y: float) -> str:
        i = int(y // self.row_height())
        if not 0 <= i < len(self.items):
            return ""
        item = self.items[i]
        return "\n".join(filter(None, (f"{item.name}: {duration(item.seconds)}", item.where)))

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:
        p = QtGui.QPainter(self)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        metrics, h, c = self.fontMetrics(), self.row_height(), self.columns
        strong = bold(self.font())
        strong_metrics = QtGui.QFontMetrics(strong)
        dot = metrics.height() * 0.45
        middle_left = c.label + c.gap
        middle_width = int(c.middle(self.width()))
        for i, item in enumerate(self.items):
            baseline = i * h + (h + metrics.ascent() - metrics.descent()) / 2
            p.setPen(QtCore.Qt.PenStyle.NoPen)
            p.setBrush(QtGui.QColor(item.colour))
            p.drawEllipse(QtCore.QRectF(0, i * h + (h - dot) / 2, dot, dot))
            p.setPen(ink(self))
            p.setFont(strong)
            p.drawText(QtCore.QPointF(dot + 8, baseline), strong_metrics.elidedText(
                item.name, QtCore.Qt.TextElideMode.ElideRight, int(c.label - dot - 8)))
            p.setFont(self.font())
            p.setPen(mix(self, 0.75))
            p.drawText(QtCore.QPointF(middle_left, baseline),
                       metrics.elidedText(item.where, QtCore.Qt.TextElideMode.ElideRight, middle_width))
            p.setPen(ink(self))
            value = duration(item.seconds)
            p.drawText(QtCore.QPointF(c.value_right(self.width()) - metrics.horizontalAdvance(value), baseline), value)


# --- a legend --------------------------------------------------------------------------


class Legend(QtWidgets.QWidget):
    """Swatches and their words in one line, wrapping when the window is narrow."""

    def __init__(self, entries: Sequence[tuple[str, str]] = (), parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries: tuple[tuple[str, str], ...] = tuple(entries)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(400, self.fontMetrics().height() + 4)

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:
        p = QtGui.QPainter(self)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        size = metrics.height() * 0.6
        x, y = 0.0, (self.height() - size) / 2
        for colour, label in self.entries:
            if colour == "line":
                p.setPen(QtGui.QPen(ink(self), 2))
                p.drawLine(QtCore.QPointF(x, y + size / 2), QtCore.QPointF(x + size * 1.6, y + size / 2))
                p.setBrush(self.palette().color(QtGui.QPalette.ColorRole.Window))
                p.drawEllipse(QtCore.QPointF(x + size * 0.8, y + size / 2), 3, 3)
                x += size * 1.6
            else:
                p.fillRect(QtCore.QRectF(x, y, size, size), QtGui.QColor(colour))
                x += size
            p.setPen(mix(self, 0.8))
            p.drawText(QtCore.QPointF(x + 6, (self.height() + metrics.ascent() - metrics.descent()) / 2), label)
            x += 6 + metrics.horizontalAdvance(label) + 18


# --- the daily chart of the review -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class DayBar:
    """One day of a ``DailyChart``: stacked values (value, colour), an optional point of
    the line (0..1), whether anything was tracked (False = a gap), a flag marker, and
    the words shown on hover."""

    day: date
    stack: tuple[tuple[float, str], ...] = ()
    line: float | None = None
    tracked: bool = True
    flagged: bool = False
    tooltip: str = ""


class DailyChart(_Hover):
    """One slot per day: stacked bars on the left axis, an optional 0-100 % line on the
    right axis, untracked days left as marked gaps, flagged days marked under the axis."""

    PLOT_HEIGHT = 150

    def __init__(self, *, axis: Callable[[float], str], step: float, line_axis: bool = False,
                 flag_colour: str = palette.NO_PRIORITY, parent: QtWidgets.QWidget | None = None) -> None:
        """``axis`` writes a left-axis value; ``step`` is the smallest gridline step (the
        scale grows in multiples of it); ``line_axis`` adds the right 0-100 % axis."""
        super().__init__(parent)
        self.axis, self.step, self.line_axis, self.flag_colour = axis, step, line_axis, flag_colour
        self.days: tuple[DayBar, ...] = ()
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Fixed)

    def set_days(self, days: Sequence[DayBar]) -> None:
        self.days = tuple(days)
        self.update()

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(700, self.PLOT_HEIGHT + 2 * self.fontMetrics().height() + 16)

    def minimumSizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(360, self.sizeHint().height())

    def scale_top(self) -> float:
        """The left axis' top: the tallest stack rounded up to a whole number of steps (at least one)."""
        tallest = max((sum(v for v, _ in d.stack) for d in self.days), default=0.0)
        steps = max(1, -(-tallest // self.step))
        while steps > 4 and steps % 2:  # at most ~4 gridlines, on even multiples
            steps += 1
        return steps * self.step

    def plot(self) -> QtCore.QRectF:
        # Fixed margins (room for "000 h" and "100 %"), so charts stacked in one window
        # put the same day at the same x whatever their axes say.
        metrics = self.fontMetrics()
        left = metrics.horizontalAdvance("000 h") + 10
        right = metrics.horizontalAdvance("100 %") + 10
        top = metrics.height() / 2
        return QtCore.QRectF(left, top, max(10, self.width() - left - right), self.PLOT_HEIGHT)

    def slot(self, i: int) -> QtCore.QRectF:
        plot = self.plot()
        width = plot.width() / max(1, len(self.days))
        return QtCore.QRectF(plot.left() + i * width, plot.top(), width, plot.height())

    def day_at(self, x: float) -> DayBar | None:
        plot = self.plot()
        if not self.days or not plot.left() <= x < plot.right():
            return None
        return self.days[int((x - plot.left()) / plot.width() * len(self.days))]

    def tooltip_at(self, x: float, y: float) -> str:
        day = self.day_at(x)
        if day is None:
            return ""
        head = f"{day.day:%a %d %b}"
        return f"{head}\n{day.tooltip}" if day.tooltip else f"{head}\nnothing tracked"

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:
        p = QtGui.QPainter(self)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        metrics, plot, top = self.fontMetrics(), self.plot(), self.scale_top()
        muted = mix(self, 0.6)
        # gridlines and axes
        for k in range(0, 5):
            value = top * k / 4
            if k and round(value / self.step, 6) != round(value / self.step):
                continue  # only whole steps get a line
            y = plot.bottom() - plot.height() * k / 4
            p.setPen(QtGui.QPen(mix(self, 0.12 if k else 0.4), 1))
            p.drawLine(QtCore.QPointF(plot.left(), y), QtCore.QPointF(plot.right(), y))
            p.setPen(muted)
            text = self.axis(value)
            at = QtCore.QPointF(plot.left() - 6 - metrics.horizontalAdvance(text), y + metrics.ascent() / 2 - 1)
            p.drawText(at, text)
            if self.line_axis:
                p.drawText(QtCore.QPointF(plot.right() + 6, y + metrics.ascent() / 2 - 1), f"{k * 25} %")
        # bars, gaps, flags, date labels
        label_every = max(1, round(len(self.days) / 6))
        for i, day in enumerate(self.days):
            slot = self.slot(i)
            bar_w = max(2.0, slot.width() * 0.64)
            x = slot.center().x() - bar_w / 2
            if not day.tracked:
                p.setPen(QtGui.QPen(mix(self, 0.3), 1, QtCore.Qt.PenStyle.DotLine))
                p.drawLine(QtCore.QPointF(slot.center().x(), plot.bottom() - 2),
                           QtCore.QPointF(slot.center().x(), plot.bottom() - plot.height() * 0.25))
            y = plot.bottom()
            for value, colour in day.stack:
                h = plot.height() * value / top if top else 0.0
                p.fillRect(QtCore.QRectF(x, y - h, bar_w, h), QtGui.QColor(colour))
                y -= h
            if day.flagged:
                p.setPen(QtCore.Qt.PenStyle.NoPen)
                p.setBrush(QtGui.QColor(self.flag_colour))
                p.drawEllipse(QtCore.QPointF(slot.center().x(), plot.bottom() + 5), 3, 3)
            if i % label_every == 0:
                p.setPen(muted)
                text = f"{day.day.day} {day.day:%b}"
                p.drawText(QtCore.QPointF(slot.center().x() - metrics.horizontalAdvance(text) / 2,
                                          plot.bottom() + 10 + metrics.ascent()), text)
        # the line over the tracked days, broken at gaps
        if self.line_axis:
            p.setPen(QtGui.QPen(ink(self), 1.6))
            p.setBrush(self.palette().color(QtGui.QPalette.ColorRole.Window))
            previous: QtCore.QPointF | None = None
            points = []
            for i, day in enumerate(self.days):
                if day.line is None:
                    previous = None
                    continue
                point = QtCore.QPointF(self.slot(i).center().x(), plot.bottom() - plot.height() * day.line)
                if previous is not None:
                    p.drawLine(previous, point)
                previous = point
                points.append(point)
            for point in points:
                p.drawEllipse(point, 2.8, 2.8)

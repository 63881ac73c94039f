"""How the activities list and the rules table draw their rows, so nothing is cut off.

The activities list is narrow by design (the rules editor needs the room), and a
one-line "12. Other productive work · productive" does not fit it: each activity is
drawn on two lines, its number and name, then what it counts as, muted; a name still
too long is elided and whole in the tooltip. Rule patterns wrap anywhere (a regex has
no spaces to break at), so a long regex is read in full, not guessed from "HubSpot|Sa…".
"""

from __future__ import annotations

from focusguard.ui.qt import QtCore, QtGui, QtWidgets
from focusguard.ui.style import MUTED_MIX, bold

#: What Qt passes a delegate for the cell it draws.
Index = QtCore.QModelIndex | QtCore.QPersistentModelIndex
#: Roles the activities list keeps its two lines in.
NAME_ROLE = QtCore.Qt.ItemDataRole.UserRole + 1
KIND_ROLE = QtCore.Qt.ItemDataRole.UserRole + 2
PADDING = 8
DOT = 12


class ActivityDelegate(QtWidgets.QStyledItemDelegate):
    """Dot | "12.  Name" over "counts as ...", elided to the row's width."""

    def sizeHint(self, option: QtWidgets.QStyleOptionViewItem, index: Index) -> QtCore.QSize:
        metrics = option.fontMetrics
        return QtCore.QSize(DOT + 3 * PADDING, 2 * metrics.height() + 2 * PADDING - 2)

    def lines(self, option: QtWidgets.QStyleOptionViewItem, index: Index) -> tuple[str, str]:
        """The two lines as drawn in a row ``option.rect.width()`` wide (elided if need be)."""
        width = option.rect.width() - DOT - 3 * PADDING
        name = QtGui.QFontMetrics(bold(option.font)).elidedText(
            index.data(NAME_ROLE) or "", QtCore.Qt.TextElideMode.ElideRight, width)
        kind = option.fontMetrics.elidedText(index.data(KIND_ROLE) or "", QtCore.Qt.TextElideMode.ElideRight, width)
        return name, kind

    def paint(self, painter: QtGui.QPainter, option: QtWidgets.QStyleOptionViewItem,
              index: Index) -> None:
        opt = QtWidgets.QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QtWidgets.QApplication.style()
        opt.text = ""
        opt.icon = QtGui.QIcon()
        style.drawControl(QtWidgets.QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        selected = bool(opt.state & QtWidgets.QStyle.StateFlag.State_Selected)
        group = QtGui.QPalette.ColorGroup.Normal if opt.state & QtWidgets.QStyle.StateFlag.State_Enabled \
            else QtGui.QPalette.ColorGroup.Disabled
        text = opt.palette.color(group, QtGui.QPalette.ColorRole.HighlightedText if selected
                                 else QtGui.QPalette.ColorRole.Text)
        base = opt.palette.color(group, QtGui.QPalette.ColorRole.Highlight if selected
                                 else QtGui.QPalette.ColorRole.Base)
        muted = QtGui.QColor.fromRgbF(*(b + (t - b) * MUTED_MIX for t, b in (
            (text.redF(), base.redF()), (text.greenF(), base.greenF()), (text.blueF(), base.blueF()))))
        rect = opt.rect
        metrics = opt.fontMetrics
        icon = index.data(QtCore.Qt.ItemDataRole.DecorationRole)
        top = rect.top() + PADDING
        if isinstance(icon, QtGui.QIcon):
            icon.paint(painter, QtCore.QRect(rect.left() + PADDING, top + (metrics.height() - DOT) // 2, DOT, DOT))
        name, kind = self.lines(opt, index)
        left = rect.left() + DOT + 2 * PADDING
        painter.save()
        painter.setFont(bold(opt.font))
        painter.setPen(text)
        painter.drawText(QtCore.QPoint(left, top + metrics.ascent()), name)
        painter.setFont(opt.font)
        painter.setPen(muted)
        painter.drawText(QtCore.QPoint(left, top + metrics.height() + metrics.ascent() - 2), kind)
        painter.restore()


class WrappingDelegate(QtWidgets.QStyledItemDelegate):
    """Cell text wrapped anywhere, not only at spaces: a regex is one long word."""

    def initStyleOption(self, option: QtWidgets.QStyleOptionViewItem, index: Index) -> None:
        super().initStyleOption(option, index)
        option.features |= QtWidgets.QStyleOptionViewItem.ViewItemFeature.WrapText

    def paint(self, painter: QtGui.QPainter, option: QtWidgets.QStyleOptionViewItem,
              index: Index) -> None:
        opt = QtWidgets.QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text, opt.text = opt.text, ""
        widget = opt.widget
        style = widget.style() if widget is not None else QtWidgets.QApplication.style()
        style.drawControl(QtWidgets.QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        if not text:
            return
        area = style.subElementRect(QtWidgets.QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        painter.save()
        selected = bool(opt.state & QtWidgets.QStyle.StateFlag.State_Selected)
        painter.setPen(opt.palette.color(QtGui.QPalette.ColorRole.HighlightedText if selected
                                         else QtGui.QPalette.ColorRole.Text))
        painter.setFont(opt.font)
        painter.drawText(area.adjusted(4, 0, -4, 0), int(QtCore.Qt.AlignmentFlag.AlignLeft
                                                         | QtCore.Qt.AlignmentFlag.AlignVCenter
                                                         | QtCore.Qt.TextFlag.TextWrapAnywhere), text)
        painter.restore()

    def text_height(self, text: str, width: int, font: QtGui.QFont) -> int:
        """Height of ``text`` wrapped anywhere in ``width`` pixels (the cell's padding excluded)."""
        metrics = QtGui.QFontMetrics(font)
        rect = metrics.boundingRect(QtCore.QRect(0, 0, max(1, width - 8), 10_000),
                                    int(QtCore.Qt.TextFlag.TextWrapAnywhere), text)
        return rect.height()

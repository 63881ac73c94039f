"""A card beside the tray that never takes the keyboard when it appears: what the focus
block card and the after-call question share with the level-1 nudge's look.

Frameless, always on top, shown without activation (someone typing elsewhere keeps
typing), in the nudge's palette, with a bold headline and a detail line; subclasses
add their buttons under them to ``card_layout`` and call ``place`` before showing.
"""

from __future__ import annotations

from focusguard.ui.nudge import _Card, _label, _stylesheet, card_position
from focusguard.ui.qt import QFont, QRect, Qt, QVBoxLayout, QWidget

#: The card's width: a headline of a dozen words on two lines.
WIDTH = 460


class SideCard(QWidget):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Tool)
        self.setWindowTitle(title)
        self.setWindowFlags(Qt.WindowType.Tool | Qt.WindowType.FramelessWindowHint
                            | Qt.WindowType.WindowStaysOnTopHint | Qt.WindowType.WindowDoesNotAcceptFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setAttribute(Qt.WidgetAttribute.WA_MacAlwaysShowToolWindow)
        self.setStyleSheet(_stylesheet())
        self.card = _Card(self)
        self.card.setObjectName("card")
        self.headline_label = _label("headline")
        font = QFont(self.headline_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.headline_label.setFont(font)
        self.detail_label = _label("footer")
        self.card_layout = QVBoxLayout(self.card)
        self.card_layout.setContentsMargins(22, 20, 22, 20)
        self.card_layout.setSpacing(12)
        self.card_layout.addWidget(self.headline_label)
        self.card_layout.addWidget(self.detail_label)

    def place(self, tray_hint: QRect | None, *, keep: bool = False) -> None:
        """Sized to what the card holds now, beside the tray (or in the screen's corner);
        ``keep``: grow or shrink in place, its bottom-right corner where it was."""
        bottom_right = self.geometry().bottomRight() if keep and self.isVisible() else None  # before it resizes
        layout = self.card_layout
        self.card.setFixedWidth(WIDTH)
        layout.invalidate()
        height = layout.totalHeightForWidth(WIDTH) if layout.hasHeightForWidth() else layout.totalSizeHint().height()
        self.card.setFixedHeight(height)
        self.setFixedSize(WIDTH, height)
        self.card.move(0, 0)
        if bottom_right is not None:
            self.move(bottom_right.x() - WIDTH + 1, bottom_right.y() - height + 1)
            return
        self.move(card_position(self.size(), self.screen().availableGeometry(), tray_hint))

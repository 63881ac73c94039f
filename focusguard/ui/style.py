"""The visual language of FocusGuard's windows (docs/design/DESIGN.md), in one place.

A page on the theme's base colour, one type family in two weights (regular and
demibold), muted text that still reads, hairline-outlined fields with round corners,
one primary button in the priority colour and plain ones beside it. The summary, the
review, the settings, the declare dialog and About all draw with these, so a person
who has seen the nudge knows them at once. Colours come from the palette; text and
fields keep the theme's own roles, so a dark desktop theme stays readable.
"""

from __future__ import annotations

from focusguard.core import palette
from focusguard.ui.icons import app_icon
from focusguard.ui.qt import QtCore, QtGui, QtWidgets

#: The page's outer margin and the space above a section, in pixels (the sketch's rhythm).
MARGIN = 32
SECTION_SPACE = 14
#: How far muted text is mixed from the background towards the text colour: 6:1 on white.
MUTED_MIX = 0.72

#: Text fields on the page's own base colour, outlined: the typed text keeps the theme's
#: own contrast (an alternate-base fill can be light under a dark theme's light text).
FIELD_STYLE = (f"border: 1px solid {palette.HAIRLINE}; border-radius: 6px; background: palette(base);"
               " padding: 4px 6px;")
#: Secondary buttons: outlined, the same corners as the fields.
BUTTON_STYLE = (
    f"QPushButton {{ border: 1px solid {palette.HAIRLINE}; border-radius: 6px; padding: 5px 14px;"
    " background: palette(base); color: palette(text); }"
    f"QPushButton:hover {{ border-color: {palette.shade(palette.HAIRLINE, 0.25)}; }}"
    f"QPushButton:pressed {{ background: {palette.FIELD}; color: {palette.INK}; }}"
    f"QPushButton:focus {{ border: 2px solid {palette.NO_PRIORITY}; padding: 4px 13px; }}"
    "QPushButton:disabled { color: palette(mid); }"
)


def bold(font: QtGui.QFont) -> QtGui.QFont:
    """The second weight: demibold, never heavier."""
    font = QtGui.QFont(font)
    font.setWeight(QtGui.QFont.Weight.DemiBold)
    return font


def scaled(font: QtGui.QFont, factor: float) -> QtGui.QFont:
    font = QtGui.QFont(font)
    font.setPointSizeF(font.pointSizeF() * factor)
    return font


def mixed(widget: QtWidgets.QWidget, amount: float) -> QtGui.QColor:
    """Text colour blended into the background: 0 is the background, 1 the text.

    Muted labels, gridlines and empty tracks are mixes, so they keep their contrast
    on a dark theme instead of turning into light grey on light grey."""
    fg = widget.palette().color(QtGui.QPalette.ColorRole.WindowText)
    bg = widget.palette().color(QtGui.QPalette.ColorRole.Window)
    return QtGui.QColor.fromRgbF(*(b + (f - b) * amount for f, b in (
        (fg.redF(), bg.redF()), (fg.greenF(), bg.greenF()), (fg.blueF(), bg.blueF()))))


def heading(text: str, factor: float = 1.05) -> QtWidgets.QLabel:
    """A section or page title: the one family, demibold, a little larger."""
    label = QtWidgets.QLabel(text)
    label.setFont(bold(scaled(label.font(), factor)))
    return label


def muted(label: QtWidgets.QLabel) -> QtWidgets.QLabel:
    """Secondary text (helper lines, dates): quieter than the text, never faint. Enabled,
    so no theme greys it out further; coloured through the palette (not a style sheet) so
    it follows a parent's dark theme."""
    label.setEnabled(True)
    pal = label.palette()
    colour = mixed(label, MUTED_MIX)
    for group in (QtGui.QPalette.ColorGroup.Active, QtGui.QPalette.ColorGroup.Inactive):
        pal.setColor(group, QtGui.QPalette.ColorRole.WindowText, colour)
    label.setPalette(pal)
    return label


def helper(text: str) -> QtWidgets.QLabel:
    """A muted, wrapping explanation under a field or a heading."""
    label = muted(QtWidgets.QLabel(text))
    label.setWordWrap(True)
    return label


def primary_button(text: str) -> QtWidgets.QPushButton:
    """The one button in the priority colour: white on green reads on any theme. No icon:
    the words say what it does."""
    button = QtWidgets.QPushButton(text)
    button.setFont(bold(button.font()))
    button.setCursor(QtCore.Qt.CursorShape.PointingHandCursor)
    button.setStyleSheet(
        f"QPushButton {{ background: {palette.PRIORITY}; color: white; border: none; border-radius: 6px;"
        f" padding: 7px 26px; }}"
        f"QPushButton:hover {{ background: {palette.shade(palette.PRIORITY, 0.12)}; }}"
        f"QPushButton:pressed {{ background: {palette.shade(palette.PRIORITY, 0.25)}; }}"
        f"QPushButton:focus {{ border: 2px solid {palette.shade(palette.PRIORITY, 0.4)}; padding: 5px 24px; }}"
        f"QPushButton:disabled {{ background: {palette.tint(palette.PRIORITY, 0.45)}; }}")
    return button


def plain_button(text: str) -> QtWidgets.QPushButton:
    """A flat text button (the footer's Copy, Export): underlined on hover."""
    button = QtWidgets.QPushButton(text)
    button.setFlat(True)
    button.setCursor(QtCore.Qt.CursorShape.PointingHandCursor)
    button.setStyleSheet("QPushButton { padding: 7px 10px; border: none; }"
                         "QPushButton:hover { text-decoration: underline; }")
    return button


def secondary_button(text: str) -> QtWidgets.QPushButton:
    """An outlined button for everything that is neither the primary action nor a link."""
    button = QtWidgets.QPushButton(text)
    button.setStyleSheet(BUTTON_STYLE)
    return button


def on_page(widget: QtWidgets.QWidget) -> None:
    """Paints ``widget`` on the theme's base colour (white on a light theme, as in the
    sketches), so muted text and tracks, mixed from Window and WindowText, mix from it;
    and gives the window FocusGuard's icon (a window opened from the command line has
    no tray app to inherit it from)."""
    page = widget.palette()
    page.setColor(QtGui.QPalette.ColorRole.Window, page.color(QtGui.QPalette.ColorRole.Base))
    widget.setPalette(page)
    widget.setAutoFillBackground(True)
    widget.setWindowIcon(app_icon())


def fitted_size(wanted: QtCore.QSize, available: QtCore.QRect, frame: QtCore.QMargins) -> QtCore.QSize:
    """``wanted`` shrunk so that the window, with its frame (title bar, borders) and a small
    gap, stays inside the ``available`` part of the screen (panels excluded)."""
    gap = 16
    width = available.width() - frame.left() - frame.right() - 2 * gap
    height = available.height() - frame.top() - frame.bottom() - 2 * gap
    return QtCore.QSize(max(1, min(wanted.width(), width)), max(1, min(wanted.height(), height)))


#: The frame a window manager usually adds, for windows not shown yet (Qt knows the real
#: frame only after the first show): a title bar and thin borders.
TYPICAL_FRAME = QtCore.QMargins(4, 32, 4, 4)


def fit_to_screen(window: QtWidgets.QWidget, width: int, height: int) -> None:
    """Sizes ``window`` to ``width`` x ``height`` or less, so that it fits the screen it is
    on, frame included, and centres it there: a 940 px tall window on a 1000 px screen with
    a panel otherwise runs off the bottom."""
    screen = window.screen() or QtGui.QGuiApplication.primaryScreen()
    if screen is None:
        window.resize(width, height)
        return
    available = screen.availableGeometry()
    frame = window.frameGeometry()
    inner = window.geometry()
    margins = (QtCore.QMargins(inner.left() - frame.left(), inner.top() - frame.top(),
                               frame.right() - inner.right(), frame.bottom() - inner.bottom())
               if window.isVisible() and frame != inner else TYPICAL_FRAME)
    size = fitted_size(QtCore.QSize(width, height), available, margins)
    window.resize(size)  # never below the window's own minimum (screens from 1280x720 up have room for it)
    outer = QtCore.QSize(window.width() + margins.left() + margins.right(),
                         window.height() + margins.top() + margins.bottom())
    window.move(available.left() + (available.width() - outer.width()) // 2,
                available.top() + (available.height() - outer.height()) // 2)

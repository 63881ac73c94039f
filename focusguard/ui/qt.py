"""The one place the ui package imports Qt from.

Every other ui module says ``from focusguard.ui.qt import ...``, so the binding is
named once (a move to PyQt6 or a version shim happens here) and a grep for PySide6
finds only this file. The core never imports it: it stays Qt-free.
"""

from types import ModuleType

from PySide6 import QtCore, QtGui, QtNetwork, QtSvg, QtWidgets
from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QObject,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
    SignalInstance,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QColor,
    QCursor,
    QFont,
    QGuiApplication,
    QHideEvent,
    QIcon,
    QImage,
    QKeyEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
    QRegion,
    QResizeEvent,
    QScreen,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QMenu,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

__all__ = [
    "QAction",
    "QApplication",
    "QByteArray",
    "QCloseEvent",
    "QColor",
    "QCursor",
    "QEvent",
    "QFont",
    "QFrame",
    "QGuiApplication",
    "QHBoxLayout",
    "QHideEvent",
    "QIcon",
    "QImage",
    "QKeyEvent",
    "QLabel",
    "QLayout",
    "QMenu",
    "QObject",
    "QPaintEvent",
    "QPainter",
    "QPainterPath",
    "QPen",
    "QPixmap",
    "QPoint",
    "QPointF",
    "QPushButton",
    "QRect",
    "QRectF",
    "QRegion",
    "QResizeEvent",
    "QScreen",
    "QSize",
    "QSizePolicy",
    "QSvgRenderer",
    "QTimer",
    "QVBoxLayout",
    "QWidget",
    "Qt",
    "QtCore",
    "QtGui",
    "QtNetwork",
    "QtSvg",
    "QtWidgets",
    "Signal",
    "SignalInstance",
    "Slot",
    "qtdbus",
]


def qtdbus() -> ModuleType:
    """QtDBus, loaded when first needed (only Wayland's tray watch uses it): its
    binding costs a quarter of a megabyte that X11 has no use for."""
    from PySide6 import QtDBus

    return QtDBus

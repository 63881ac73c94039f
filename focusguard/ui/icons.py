"""Tray and app icons, rendered from the SVGs in ``focusguard.resources``.

Tray panels ask for one small size and scale whatever they get, which blurs a
scaled-down 64 px bitmap; so every icon carries a pixmap rendered for each common
tray and HiDPI size, and Qt picks the exact one. Rendering happens once per state.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from focusguard.core.palette import TrayState
from focusguard.ui.qt import QByteArray, QIcon, QImage, QPainter, QPixmap, QSvgRenderer, Qt

SIZES = (16, 22, 24, 32, 48, 64)
APP_ICON = "focusguard.svg"


def svg_bytes(name: str) -> bytes:
    """The raw SVG of one resource, e.g. ``TrayState.IDLE.resource``."""
    return files("focusguard.resources").joinpath(name).read_bytes()


def render(name: str, size: int, device_pixel_ratio: float = 1.0) -> QPixmap:
    """One resource rendered into a transparent ``size`` x ``size`` pixmap (in
    device-independent pixels: a ratio of 2 renders 2 x ``size`` real pixels)."""
    renderer = QSvgRenderer(QByteArray(svg_bytes(name)))
    if not renderer.isValid():
        raise ValueError(f"{name} is not a valid SVG")
    pixels = round(size * device_pixel_ratio)
    image = QImage(pixels, pixels, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    pixmap = QPixmap.fromImage(image)
    pixmap.setDevicePixelRatio(device_pixel_ratio)
    return pixmap


@cache
def _icon(name: str) -> QIcon:
    icon = QIcon()
    for size in SIZES:
        icon.addPixmap(render(name, size))
    return icon


def tray_icon(state: TrayState) -> QIcon:
    """The icon for a tray state, with a crisp pixmap at each of ``SIZES``."""
    return _icon(TrayState(state).resource)


def app_icon() -> QIcon:
    """FocusGuard's own icon (windows, the about box, the desktop file)."""
    return _icon(APP_ICON)

from importlib.resources import files

import pytest

from focusguard.core import palette
from focusguard.core.palette import TrayState
from focusguard.ui import icons
from focusguard.ui.qt import QColor, QImage, QSize

DISCS = [s for s in TrayState if s is not TrayState.DISTRACTION]


def image(state: TrayState, size: int) -> QImage:
    return icons.tray_icon(state).pixmap(size, size).toImage()


def pixel(img: QImage, x: int, y: int) -> QColor:
    return img.pixelColor(x, y)


def close_to(colour: QColor, hex_colour: str, tolerance: int = 12) -> bool:
    want = QColor(hex_colour)
    return colour.alpha() > 240 and all(
        abs(a - b) <= tolerance
        for a, b in zip(
            (colour.red(), colour.green(), colour.blue()), (want.red(), want.green(), want.blue()), strict=True
        )
    )


def light(colour: QColor) -> bool:
    return colour.alpha() > 200 and min(colour.red(), colour.green(), colour.blue()) > 225


@pytest.mark.parametrize("state", list(TrayState))
def test_every_state_ships_a_valid_svg(qapp, state):
    assert files("focusguard.resources").joinpath(state.resource).is_file()
    assert b"<svg" in icons.svg_bytes(state.resource)


@pytest.mark.parametrize("size", icons.SIZES)
@pytest.mark.parametrize("state", list(TrayState))
def test_tray_icon_is_rendered_for_each_size(qapp, state, size):
    icon = icons.tray_icon(state)
    assert QSize(size, size) in icon.availableSizes()
    img = image(state, size)
    assert (img.width(), img.height()) == (size, size)
    opaque = sum(img.pixelColor(x, y).alpha() > 128 for x in range(size) for y in range(size))
    assert opaque > size * size // 3


@pytest.mark.parametrize("state", list(TrayState))
def test_tray_icon_is_mostly_its_palette_colour(qapp, state):
    img = image(state, 64)
    want = palette.colour(state)
    coloured = sum(close_to(img.pixelColor(x, y), want) for x in range(64) for y in range(64))
    assert coloured > 64 * 64 // 5


@pytest.mark.parametrize("state", DISCS)
def test_discs_carry_a_light_outline_for_dark_panels(qapp, state):
    img = image(state, 32)
    assert light(pixel(img, 16, 1)) and light(pixel(img, 1, 16))
    assert not light(pixel(img, 16, 4))  # inside the outline: the colour again


def test_ring_centre_is_light_where_a_disc_centre_is_coloured(qapp):
    ring = image(TrayState.PRODUCTIVE_DISTRACTION, 32)
    assert light(pixel(ring, 16, 16))
    assert close_to(pixel(ring, 16, 5), palette.PRODUCTIVE_DISTRACTION)
    disc = image(TrayState.PRIORITY, 32)
    assert close_to(pixel(disc, 16, 12), palette.PRIORITY)


def test_diamond_leaves_the_corners_a_disc_fills(qapp):
    diamond = image(TrayState.DISTRACTION, 32)
    disc = image(TrayState.UNAVAILABLE, 32)
    assert pixel(diamond, 7, 7).alpha() == 0
    assert pixel(disc, 7, 7).alpha() == 255
    assert close_to(pixel(diamond, 16, 5), palette.DISTRACTION)


def test_states_differ_even_at_16_px(qapp):
    renders = {bytes(image(state, 16).constBits()) for state in TrayState}
    assert len(renders) == len(TrayState)


def test_icons_are_cached(qapp):
    assert icons.tray_icon(TrayState.IDLE) is icons.tray_icon(TrayState.IDLE)
    assert icons.app_icon() is icons.app_icon()


def test_app_icon_has_every_size(qapp):
    icon = icons.app_icon()
    for size in icons.SIZES:
        assert QSize(size, size) in icon.availableSizes()
    img = icon.pixmap(64, 64).toImage()
    assert close_to(img.pixelColor(32, 20), palette.PRIORITY)  # the green disc in the middle


def test_render_honours_the_device_pixel_ratio(qapp):
    pixmap = icons.render(TrayState.PRIORITY.resource, 24, 2.0)
    assert (pixmap.width(), pixmap.height()) == (48, 48)
    assert pixmap.deviceIndependentSize().toSize() == QSize(24, 24)


def test_render_rejects_a_broken_svg(qapp, monkeypatch):
    monkeypatch.setattr(icons, "svg_bytes", lambda name: b"not svg")
    with pytest.raises(ValueError):
        icons.render("broken.svg", 16)

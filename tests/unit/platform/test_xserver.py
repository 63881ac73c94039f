"""The X server's own answers (platform/xserver.py), on a real X server (Xvfb + openbox)."""

from __future__ import annotations

import re
import subprocess

import pytest
from xdesktop import XDesktop

from focusguard.platform import xserver


@pytest.fixture
def on_x(xdesktop: XDesktop, monkeypatch: pytest.MonkeyPatch) -> XDesktop:
    monkeypatch.setenv("DISPLAY", xdesktop.display)
    return xdesktop


def _xwininfo_origin(desktop: XDesktop, window: str) -> tuple[int, int]:
    """xwininfo's "Absolute upper-left": the server's word, asked by another client."""
    out = subprocess.run(["xwininfo", "-id", window], env=desktop.env, capture_output=True, text=True,
                         check=True, timeout=15).stdout
    x = re.search(r"Absolute upper-left X:\s+(-?\d+)", out)
    y = re.search(r"Absolute upper-left Y:\s+(-?\d+)", out)
    assert x and y, out
    return int(x[1]), int(y[1])


def test_a_windows_origin_is_where_the_server_has_it(on_x: XDesktop) -> None:
    window = on_x.open_window("xserver origin")
    try:
        before = _xwininfo_origin(on_x, window)
        assert xserver.window_origin(int(window)) == before
        on_x.xdotool("windowmove", "--sync", window, "123", "77")
        moved = _xwininfo_origin(on_x, window)
        assert xserver.window_origin(int(window)) == moved and moved != before
    finally:
        on_x.close_window("xserver origin")


def test_openbox_is_no_compositing_manager(on_x: XDesktop) -> None:
    assert xserver.compositor_running() is False


def test_without_a_display_there_is_nothing_to_ask(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISPLAY", ":9876")  # nothing listens there
    assert xserver.window_origin(1) is None
    assert xserver.compositor_running() is False

"""The tray menu says how windows are read when something is missing, on a real X
desktop at 1366x768 (screenshots of the open menu, for a person to look at).

A Wayland session whose compositor cannot be reached (no sway socket, a Wayland
display that does not answer) falls back to XWayland: this Xvfb plays XWayland. The
app keeps reading windows, logs the fallback once however many samples pass, and its
menu says which probe is in use and what it misses."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator

import pytest
from appdriver import FOCUSGUARD, SHOTS_DIR, Camera, Home, app_config, poll, tray_box
from xdesktop import XDesktop, missing_binaries

from focusguard import __version__

pytestmark = pytest.mark.xvfb

INTERVAL = 0.5
HUBSPOT = "HubSpot - Deals"
FALLBACK = "window probe: X11 (XWayland fallback)"


@pytest.fixture
def desktop() -> Iterator[XDesktop]:
    """Xvfb + openbox + trayer at the smallest screen FocusGuard is checked on."""
    missing = missing_binaries() + [p for p in ("import",) if shutil.which(p) is None]
    if not FOCUSGUARD.exists():
        missing.append(f"{FOCUSGUARD} (pip install -e .)")
    if missing:
        reason = f"needs {', '.join(missing)} (./scripts/test installs them)"
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the end-to-end tests, but it {reason}")
        pytest.skip(reason)
    with XDesktop(screen="1366x768x24") as fresh:
        yield fresh


def open_menu(desktop: XDesktop, camera: Camera, label: str) -> None:
    """Click the tray icon (a left click opens the menu) and photograph the menu."""
    tray = tray_box(desktop)
    desktop.click(tray.x + tray.width - 12, tray.y + tray.height // 2)
    time.sleep(1.0)
    camera.shoot(label)
    desktop.xdotool("key", "Escape")


def test_a_wayland_session_without_its_probe_reads_xwayland_logs_it_once_and_the_menu_says_so(
        desktop, tmp_path):
    home = Home(tmp_path / "home", desktop, app_config(INTERVAL, 60))
    home.env.update(XDG_SESSION_TYPE="wayland", XDG_CURRENT_DESKTOP="sway",
                    WAYLAND_DISPLAY="wayland-gone")  # Qt itself stays on xcb (Home sets it)
    home.env.pop("SWAYSOCK", None)
    camera = Camera(desktop, tmp_path / "shots", "probe-status", copy_to=SHOTS_DIR)
    try:
        assert home.run("priority", "set", "Sales", "--next", "call three past customers").returncode == 0
        desktop.open_window(HUBSPOT)
        desktop.activate(HUBSPOT)
        app = home.launch()
        app.wait_for_log(f"FocusGuard {__version__} started")
        app.wait_for_log(FALLBACK, timeout=10)
        time.sleep(8 * INTERVAL)  # samples go on: the fallback is not logged again
        log = app.log()
        assert log.count(FALLBACK) == 1, log
        assert "sees only XWayland windows" in log and "window probe unavailable" not in log
        poll(lambda: home.report()["seconds"]["priority"] > 0, "time on HubSpot read through XWayland",
             timeout=15)
        open_menu(desktop, camera, "menu-xwayland-fallback")
        assert app.process.poll() is None, app.output()
    finally:
        home.close()

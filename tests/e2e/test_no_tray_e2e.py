"""A desktop without a tray (GNOME without the AppIndicator extension): the installed app
waits for one, falls back to its status window and says why, then moves into a tray
that appears later."""

from __future__ import annotations

import pytest
from appdriver import Box, poll
from test_app_e2e import CONFIG, HUBSPOT, ICON_PIXELS, STARTED, declare, icon_pixels

from focusguard.core import palette
from focusguard.ui.tray import TRAY_WAIT_SECONDS, StatusWindow

pytestmark = [pytest.mark.xvfb, pytest.mark.no_tray]


def test_no_tray_shows_status_window_then_moves_into_a_late_tray(desktop, make_home, camera):
    home = make_home(CONFIG)
    declare(home)
    desktop.open_window(HUBSPOT)
    desktop.activate(HUBSPOT)
    app = home.launch()
    started = app.wait_for_log(STARTED)

    status = poll(lambda: desktop.find_window(f"^{StatusWindow.TITLE}$"),
                  "the status window standing in for the tray", timeout=TRAY_WAIT_SECONDS + 5)
    fell_back = app.wait_for_log("No system tray on this desktop")
    assert fell_back - started >= TRAY_WAIT_SECONDS - 1, "fell back without waiting for a tray"
    shot = poll(lambda: (s := camera.shoot("status-window"))
                and len(s.find(palette.PRIORITY, Box(*desktop.geometry(status)))) >= ICON_PIXELS and s,
                "the green on-priority icon in the status window", timeout=5)
    assert shot is not None

    desktop.start_tray()
    poll(lambda: desktop.find_window(f"^{StatusWindow.TITLE}$") is None,
         "the status window to go once a tray appears", timeout=10)
    poll(lambda: icon_pixels(camera.shoot("moved-into-tray"), desktop, palette.PRIORITY) >= ICON_PIXELS,
         "the green icon in the late tray", timeout=5)
    assert app.process.poll() is None, app.output()

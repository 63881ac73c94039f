"""A call on headless sway (native Wayland windows, the app as the unprivileged test
user) with a real PulseAudio: the question card comes up after the call without
keeping the focus (sway focuses every new window; FocusGuard gives it back), beside
the status window that stands in for the tray, and the call waits unanswered in the
report. (Answering with a click is tested on X11: this headless seat has no pointer.)
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from appdriver import SHOTS_DIR, Home, app_config, poll
from pulseserver import PulseServer, running_pulse
from wldesktops import SwayDesktop, require

from focusguard import __version__
from focusguard.ui.call_card import WINDOW_TITLE as CARD_TITLE

INTERVAL = 1.0
DEBOUNCE = 30.0  # core.calls START_AFTER_SECONDS / END_AFTER_SECONDS
YOUTUBE = "YouTube - cat videos"
SCREEN_WIDTH = 1280
CONFIG = app_config(INTERVAL, 600, more="\n[calls]\nask_after_minutes = 0.5\n")


@pytest.fixture(scope="module")
def pulse() -> Iterator[PulseServer]:
    with running_pulse("the calls end-to-end test") as server:
        yield server


@pytest.fixture(scope="module")
def sway() -> Iterator[SwayDesktop]:
    require(SwayDesktop)
    with SwayDesktop() as started:
        yield started


def test_on_sway_the_question_leaves_the_focus_and_the_call_waits(sway: SwayDesktop, pulse: PulseServer,
                                                                  tmp_path: Path) -> None:
    home = Home(sway.root / tmp_path.name, sway, CONFIG)  # under the session's folder: the user reads it
    home.env["PULSE_SERVER"] = pulse.address
    try:
        assert home.run("priority", "set", "Sales").returncode == 0
        sway.open_window(YOUTUBE, "youtube")
        sway.focus(YOUTUBE)
        recorder = pulse.record()
        app = home.launch()
        app.wait_for_log(f"FocusGuard {__version__} started")
        app.wait_for_log("call started", timeout=DEBOUNCE + 15)
        pulse.stop(recorder)
        poll(lambda: CARD_TITLE in sway.titles(), "the call question on sway", timeout=DEBOUNCE + 10)
        time.sleep(1.5)  # sway focuses a new window; FocusGuard gives the focus back, then places the card
        assert sway.active_title() == YOUTUBE, "the question kept the focus"
        x, y, width, height = sway.geometry(CARD_TITLE)
        assert x + width >= SCREEN_WIDTH - 40, f"the card at {(x, y, width, height)}, not beside the status window"
        _sx, sy, _sw, sh = sway.geometry("FocusGuard status")
        assert y >= sy + sh or y + height <= sy, "the card covers the status window"

        sway.screenshot(SHOTS_DIR / "wayland-sway-call-question.png")
        report = poll(lambda: (r := home.report())["calls"] and r, "the call in the report", timeout=10)
        [call] = report["calls"]
        assert (call["kind"], call["title"]) == ("unanswered", YOUTUBE)
        assert app.stop() == 0, app.output()
    finally:
        home.close()

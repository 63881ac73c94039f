"""The installed app on real Wayland compositors, with native Wayland windows.

The same user story as on X11, on headless sway, KWin and GNOME Shell (each run as
the unprivileged test user, tests/wldesktops.py): FocusGuard reads the focused native
window through the desktop's own probe (never XWayland, which these sessions do not
even start), records the right app and title for the right time, nudges within the
threshold plus two intervals, "Back to Sales" (from ``focusguard back``, the command a
Wayland user binds to a key) brings the HubSpot window to the front, and a user who
stops touching the machine is recorded idle.
"""

from __future__ import annotations

import json
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from appdriver import SHOTS_DIR, Home, Switch, app_config, assert_span, poll
from wldesktops import GnomeDesktop, KWinDesktop, SwayDesktop, require
from wlsession import ScreenshotUnavailable

from focusguard import __version__
from focusguard.ui.nudge import SHADOW  # the card's see-through margin, part of its window

INTERVAL = 1.0
THRESHOLD = 8.0
IDLE_AFTER = 30.0  # seconds without input that count as away (the shortest the config allows)
#: Compositors deliver focus changes in a round trip or two; a loaded CI machine may
#: add a scheduling slice on top (see appdriver.TOLERANCE for the rest).
TOLERANCE = 0.5
#: The window in use reaches the database at least every 10 s (and at every switch):
#: a report sees the time of a window that keeps the focus within that.
FLUSH = 10.0
SCREEN = (1280, 800)  # every test desktop's output
SNWATCHER = Path(__file__).resolve().parents[1] / "snwatcher.py"

HUBSPOT = "HubSpot - Deals"
YOUTUBE = "YouTube - cat videos"
NOTES = "Notes"
#: What each desktop's native probe calls itself in the log ("window probe: ...").
NATIVE = {"sway": "sway IPC", "kwin": "KWin script", "gnome": "GNOME Shell extension"}
DESKTOPS = {"sway": SwayDesktop, "kwin": KWinDesktop, "gnome": GnomeDesktop}

CONFIG = app_config(INTERVAL, THRESHOLD).replace(
    "idle_after_minutes = 60  # Xvfb's idle time only grows: never let it count",
    f"idle_after_minutes = {IDLE_AFTER / 60:g}")


@pytest.fixture(scope="module", params=sorted(DESKTOPS))
def desktop(request: pytest.FixtureRequest) -> Iterator[Any]:
    kind = DESKTOPS[request.param]
    require(kind)
    with kind() as started:
        yield started


@pytest.fixture
def home(desktop: Any, tmp_path: Path) -> Iterator[Home]:
    # Under the session's folder: pytest's own tmp folders are root's alone.
    made = Home(desktop.root / tmp_path.name, desktop, CONFIG)
    yield made
    made.close()


def shoot(desktop: Any, name: str) -> Path | None:
    """A screenshot for people to look at (no test reads it); None, with a warning in
    pytest's summary, where the desktop can take none on this machine (KWin 6 without
    /dev/dri)."""
    try:
        return desktop.screenshot(SHOTS_DIR / f"wayland-{desktop.name}-{name}.png")  # type: ignore[no-any-return]
    except ScreenshotUnavailable as err:
        warnings.warn(str(err), stacklevel=2)
        return None


def switch_to(desktop: Any, title: str) -> Switch:
    asked = time.time()
    desktop.focus(title)
    poll(lambda: desktop.active_title() == title, f"{title!r} to have the focus", timeout=5)
    return Switch(asked, time.time())


def overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def assert_out_of_the_way(desktop: Any) -> None:
    """The level-1 nudge and the status window (no tray on these sessions) leave the
    focus where it was, the nudge shows over the focused window, and they do not cover
    each other; the probe places them where Qt asked (sway's IPC, a KWin script, the
    GNOME extension): the top-right corner (on GNOME, of the area below the top bar),
    not the middle of the screen where sway, KWin and GNOME 47+ put a new window."""
    poll(lambda: "FocusGuard status" in desktop.titles(), "the status window", timeout=15)
    time.sleep(1)  # placed on the probe's thread a moment after being shown
    active = desktop.active_title()
    assert active.startswith("YouTube"), "a FocusGuard window kept the focus"
    assert desktop.stacked_over("FocusGuard nudge", active), "the nudge is under the window it is about"
    status, (x, y, width, height) = desktop.geometry("FocusGuard status"), desktop.geometry("FocusGuard nudge")
    nudge = (x + SHADOW, y + SHADOW, width - 2 * SHADOW, height - 2 * SHADOW)  # the card itself
    assert not overlap(status, nudge), f"the status window {status} covers the nudge {nudge}"
    width, height = SCREEN
    bar = desktop.top_bar() if desktop.name == "gnome" else 0
    assert status[0] + status[2] >= width - 40 and bar <= status[1] <= bar + 40, f"status window at {status}"
    # the card goes beside the tray, here the status window that stands in for it
    assert nudge[0] + nudge[2] >= width - 40 and nudge[1] >= status[1] + status[3], f"nudge at {nudge}"


def events(home: Home) -> list[dict[str, Any]]:
    done = home.run("export", "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_native_windows_are_recorded_nudged_and_back_returns_to_the_priority(
        desktop: Any, home: Home) -> None:
    assert home.run("priority", "set", "Sales", "--next", "call Acme").returncode == 0
    windows = {title: desktop.open_window(title, app_id)
               for title, app_id in ((NOTES, "notes"), (HUBSPOT, "hubspot"), (YOUTUBE, "youtube"))}
    switch_to(desktop, NOTES)
    app = home.launch()
    app.wait_for_log(f"FocusGuard {__version__} started")
    app.wait_for_log(f"window probe: {NATIVE[desktop.name]}", timeout=15)
    desktop.poke_input()
    poll(lambda: home.report()["seconds"]["neutral"] > 0, "time on Notes", timeout=FLUSH + 3 * INTERVAL)
    # The status window stands in for the missing tray 10 s after start, and the focus
    # a desktop gives it goes back to Notes: a switch made meanwhile would be undone.
    poll(lambda: "FocusGuard status" in desktop.titles(), "the status window", timeout=15)
    time.sleep(1)
    poll(lambda: desktop.active_title() == NOTES, "the focus back on Notes", timeout=5)

    on_priority = switch_to(desktop, HUBSPOT)
    desktop.poke_input()
    time.sleep(3)
    desktop.poke_input()
    distracted = switch_to(desktop, YOUTUBE)
    desktop.poke_input()
    first = poll(lambda: (r := home.report())["seconds"]["distraction"] > 0 and r,
                 "distraction time", timeout=FLUSH + 3 * INTERVAL)
    assert_span(first["seconds"]["priority"], on_priority.until(distracted), "time on HubSpot",
                INTERVAL, TOLERANCE)

    # The title a page sets is followed while its window keeps the focus.
    desktop.set_title(windows[YOUTUBE], "YouTube - more cat videos")
    desktop.poke_input()
    shown = app.wait_for_log("nudge: level 1, distraction, Video",
                             timeout=max(1.0, distracted.seen + THRESHOLD + 2 * INTERVAL - time.time()))
    assert shown - distracted.asked >= THRESHOLD - TOLERANCE, "nudged before the threshold"
    assert shown - distracted.seen <= THRESHOLD + 2 * INTERVAL + TOLERANCE
    poll(lambda: "FocusGuard nudge" in desktop.titles(), "the nudge window on the compositor", timeout=5)
    assert_out_of_the_way(desktop)
    shoot(desktop, "nudge")

    asked = time.time()
    done = home.run("back")
    assert done.returncode == 0, done.stdout + done.stderr
    poll(lambda: desktop.active_title() == HUBSPOT, "HubSpot back at the front", timeout=5)
    back = Switch(asked, time.time())
    poll(lambda: "FocusGuard nudge" not in desktop.titles(), "the nudge to close", timeout=5)
    desktop.poke_input()

    second = poll(lambda: (r := home.report())["seconds"]["priority"] > first["seconds"]["priority"]
                  and r, "priority time after going back", timeout=FLUSH + 3 * INTERVAL)
    assert_span(second["seconds"]["distraction"], distracted.until(back), "time on YouTube",
                INTERVAL, TOLERANCE)
    [answered] = second["nudges"]
    assert (answered["activity"], answered["level"], answered["answer"]) == ("Video", 1, "back")

    recorded = events(home)
    titles = {(event["title"], event["activity"]) for event in recorded}
    assert {(NOTES, "Notes"), (HUBSPOT, "Sales"), (YOUTUBE, "Video"),
            ("YouTube - more cat videos", "Video")} <= titles, recorded
    apps = {event["app"] for event in events(home) if event["title"] == HUBSPOT}
    assert apps and "" not in apps, f"no app recorded for HubSpot: {apps}"
    assert app.stop() == 0, app.output()


def test_a_user_away_from_the_keyboard_is_recorded_idle(desktop: Any, home: Home) -> None:
    desktop.open_window(HUBSPOT + " (idle)", "hubspot-idle")
    switch_to(desktop, HUBSPOT + " (idle)")
    app = home.launch()
    app.wait_for_log(f"window probe: {NATIVE[desktop.name]}", timeout=15)
    desktop.poke_input()
    idle = poll(lambda: (r := home.report())["seconds"]["idle"] > 0 and r,
                "idle time with no input", timeout=IDLE_AFTER + FLUSH + 4 * INTERVAL)
    desktop.poke_input()
    before = idle["seconds"]["idle"]
    active = sum(seconds for name, seconds in idle["seconds"].items() if name != "idle")
    poll(lambda: sum(seconds for name, seconds in home.report()["seconds"].items() if name != "idle")
         > active, "active time after input", timeout=FLUSH + 3 * INTERVAL)
    time.sleep(2 * INTERVAL)
    desktop.poke_input()
    assert home.report()["seconds"]["idle"] <= before + 2 * INTERVAL + TOLERANCE
    assert app.stop() == 0, app.output()


def test_doctor_names_the_desktop_and_the_native_probe(desktop: Any, home: Home) -> None:
    desktop.open_window(NOTES + " (doctor)", "notes-doctor")
    switch_to(desktop, NOTES + " (doctor)")
    done = home.run("doctor")
    assert done.returncode == 0, done.stdout + done.stderr  # no FAIL, and no crash at exit
    lines = done.stdout.splitlines()
    assert any(line.startswith("OK    session: Wayland, ") for line in lines), lines
    assert any(line.startswith(f"OK    window probe ({NATIVE[desktop.name]}): ")
               and line.endswith(f"'{NOTES} (doctor)'") for line in lines), lines
    assert any(line.startswith("OK    idle time (") for line in lines), lines


def test_a_tray_that_appears_later_takes_the_icon_at_once(desktop: Any, home: Home) -> None:
    """No tray at start: the status window stands in. A panel's tray starting later
    registers its watcher on the bus; the app moves into it when told, without
    asking every few seconds (each asking costs Qt a new bus connection)."""
    app = home.launch()
    app.wait_for_log("started", timeout=60)
    poll(lambda: "FocusGuard status" in desktop.titles(), "the status window", timeout=20)
    watcher = desktop.popen([sys.executable, str(SNWATCHER)], log="snwatcher.log")
    try:
        poll(lambda: "ready" in desktop.log_text("snwatcher.log"), "the tray's watcher on the bus", timeout=10)
        # told by the bus, not found by a poll (once a minute on Wayland)
        poll(lambda: "item " in desktop.log_text("snwatcher.log"), "FocusGuard's icon registered in the tray",
             timeout=3)
        poll(lambda: "FocusGuard status" not in desktop.titles(), "the status window to go", timeout=5)
    finally:
        watcher.terminate()
        watcher.wait(5)

"""The installed ``focusguard`` app on a real X desktop, driven the way a user drives it.

Each test runs the console script next to ``sys.executable`` with private XDG
directories, a config with a 1 s sampling interval and a 15 s distraction threshold,
and xterm windows whose titles the config's rules match ("HubSpot" is Sales, the
priority; "YouTube" is Video, a distraction; "Notes" is neutral; the app rule for
xterm comes last, so the title rules win). Windows are switched with xdotool, the
nudge is found by its title, the tray by the palette's colours in trayer's panel.

Time accounting follows the heartbeat convention: a sample at t covers [t, next
sample), so a span between two window switches is recorded to within one sampling
interval. The test brackets each switch between the moment it asked for it and the
moment it saw it done, and allows on top of that one interval and TOLERANCE (see there).
"""

from __future__ import annotations

import itertools
import shutil
import sqlite3
import time

import pytest
from appdriver import (
    TOLERANCE,
    App,
    Box,
    Home,
    Screenshot,
    Switch,
    app_config,
    assert_span,
    bounding_box,
    nudge_window,
    path_without,
    poll,
    tray_box,
)
from xdesktop import XDesktop

from focusguard import __version__
from focusguard.core import palette
from focusguard.runtime.sampler import QUIET_SECONDS
from focusguard.ui.declare import TITLE as DECLARE_TITLE

pytestmark = pytest.mark.xvfb

INTERVAL = 1.0
THRESHOLD = 15.0  # distraction_after_minutes = 0.25
#: The open event reaches the disk (and the CLI's report) at least this often (README).
FLUSH = 10.0
#: Solid pixels of a 22-24 px tray icon in its state colour are in the hundreds;
#: a stray antialiased edge of another colour is a handful.
ICON_PIXELS = 30

HUBSPOT = "HubSpot - Deals"
YOUTUBE = "YouTube - cat videos"
NOTES = "Notes"
NEXT_STEP = "call three past customers"
STARTED = f"FocusGuard {__version__} started"

CONFIG = app_config(INTERVAL, THRESHOLD, more="""
[[activity]]
name = "Terminal"
kind = "productive"
rules = [{ app = "xterm" }]
""")


def switch_to(desktop: XDesktop, title: str) -> Switch:
    asked = time.time()
    desktop.activate(title)
    return Switch(asked, time.time())


def assert_recorded(seconds: float, span: tuple[float, float], what: str) -> None:
    assert_span(seconds, span, what, INTERVAL, TOLERANCE)


def icon_pixels(shot: Screenshot, desktop: XDesktop, colour: str) -> int:
    return len(shot.find(colour, tray_box(desktop)))


def overlaps(a: Box, b: Box) -> bool:
    return a.x < b.x + b.width and b.x < a.x + a.width and a.y < b.y + b.height and b.y < a.y + a.height


def declare(home: Home, activity: str = "Sales") -> None:
    done = home.run("priority", "set", activity, "--next", NEXT_STEP)
    assert done.returncode == 0, done.stderr


def start(home: Home) -> App:
    app = home.launch()
    app.wait_for_log(STARTED)
    return app


def wait_for_notes_time(home: Home) -> None:
    """Until the report has time on the (neutral) Notes window: the app is sampling,
    so the switch that follows is timed from a known state."""
    poll(lambda: home.report()["seconds"]["neutral"] > 0, "neutral time on Notes in the report",
         timeout=FLUSH + 3 * INTERVAL)


def test_tray_icon_is_visible_in_trayer_and_follows_a_priority_declared_by_the_cli(
        desktop, make_home, camera):
    home = make_home(CONFIG)
    desktop.open_window(HUBSPOT)
    desktop.activate(HUBSPOT)
    start(home)

    # Nothing declared yet: the blue "1" disc, and the morning prompt (not stealing focus).
    shot = poll(lambda: (s := camera.shoot("no-priority"))
                and icon_pixels(s, desktop, palette.NO_PRIORITY) >= ICON_PIXELS and s,
                "the blue no-priority icon in the tray", timeout=10)
    assert icon_pixels(shot, desktop, palette.PRIORITY) == 0
    poll(lambda: desktop.find_window(f"^{DECLARE_TITLE}$"), "the declare prompt", timeout=5)
    assert desktop.active_window_id() == desktop.window_id(HUBSPOT), "the prompt took the focus"

    # Declared from a terminal: the running app picks it up at its next sample, which
    # may be a quiet wait away (the sampler wakes less often while nothing can fall due).
    declare(home)
    shot = poll(lambda: (s := camera.shoot("on-priority"))
                and icon_pixels(s, desktop, palette.PRIORITY) >= ICON_PIXELS and s,
                "the green on-priority icon in the tray", timeout=QUIET_SECONDS + 2 * INTERVAL + 2)
    assert icon_pixels(shot, desktop, palette.NO_PRIORITY) == 0


def test_a_distraction_is_nudged_reported_and_back_to_sales_returns_to_hubspot(
        desktop, make_home, camera):
    home = make_home(CONFIG)
    declare(home)
    for title in (HUBSPOT, YOUTUBE, NOTES):
        desktop.open_window(title)
    desktop.activate(NOTES)
    app = start(home)
    wait_for_notes_time(home)

    on_priority = switch_to(desktop, HUBSPOT)
    time.sleep(3)  # the user works on the priority for a while
    distracted = switch_to(desktop, YOUTUBE)

    # The first YouTube sample closes the priority span: the report has it whole once
    # any distraction time shows.
    first = poll(lambda: (r := home.report())["seconds"]["distraction"] > 0 and r,
                 "distraction time in the report", timeout=FLUSH + 3 * INTERVAL)
    assert_recorded(first["seconds"]["priority"], on_priority.until(distracted), "time on Sales")

    deadline = distracted.seen + THRESHOLD + 2 * INTERVAL
    nudge = poll(lambda: nudge_window(desktop), "the nudge window",
                 timeout=max(0.0, deadline - time.time()))
    shown = time.time()
    assert shown - distracted.asked >= THRESHOLD - TOLERANCE, "nudged before the threshold"
    assert shown - distracted.seen <= THRESHOLD + 2 * INTERVAL
    assert "nudge: level 1, distraction, Video" in app.log()

    shot = camera.shoot("nudge")
    card = Box(*desktop.geometry(nudge))
    button = shot.find(palette.PRIORITY, card)
    assert len(button) > 500, "no green 'Back to Sales' button on the nudge"
    tray = tray_box(desktop)
    assert icon_pixels(shot, desktop, palette.DISTRACTION) >= ICON_PIXELS
    assert not overlaps(card, tray), f"the nudge {card} covers the tray {tray}"

    # Level 1 never takes the keyboard, so the answer is a click.
    clicked = time.time()
    desktop.click(*bounding_box(button).center)
    hubspot = desktop.window_id(HUBSPOT)
    poll(lambda: desktop.active_window_id() == hubspot, "HubSpot to come to the front", timeout=5)
    back = Switch(clicked, time.time())
    poll(lambda: nudge_window(desktop) is None, "the nudge to close", timeout=5)
    camera.shoot("back-to-sales")

    # The first HubSpot sample closes the distraction span.
    second = poll(lambda: (r := home.report())["seconds"]["priority"] > first["seconds"]["priority"]
                  and r, "priority time after going back", timeout=FLUSH + 3 * INTERVAL)
    assert_recorded(second["seconds"]["distraction"], distracted.until(back), "time on Video")
    [answered] = second["nudges"]
    assert (answered["activity"], answered["classification"], answered["level"], answered["answer"]) \
        == ("Video", "distraction", 1, "back")
    assert second["priority"] == "Sales" and second["next_step"] == NEXT_STEP

    assert app.stop() == 0, app.output()
    assert "FocusGuard stopped" in app.log()


def test_a_second_start_says_already_running_and_exits_0(desktop, make_home, camera):
    home = make_home(CONFIG)
    declare(home)
    desktop.open_window(NOTES)
    first = start(home)

    again = home.run(timeout=30)
    assert again.returncode == 0, again.stderr
    assert "FocusGuard is already running" in again.stdout
    assert first.process.poll() is None, "the running app must keep running"
    assert first.log().count(STARTED) == 1
    camera.shoot("menu-shown-by-second-start")
    # Private to the user: the database (titles) and the log folder (errors may quote one).
    assert home.db_file.stat().st_mode & 0o077 == 0
    assert home.log_file.parent.stat().st_mode & 0o077 == 0


def test_kill_9_keeps_the_database_intact_and_the_next_start_runs(desktop, make_home):
    home = make_home(CONFIG)
    declare(home)
    for title in (HUBSPOT, YOUTUBE, NOTES):
        desktop.open_window(title)
    desktop.activate(NOTES)
    app = start(home)
    wait_for_notes_time(home)

    on_priority = switch_to(desktop, HUBSPOT)
    time.sleep(4)
    switch_to(desktop, YOUTUBE)
    time.sleep(3)
    switch_to(desktop, HUBSPOT)
    # Run past 10 s, so "everything but the last 10 s is kept" says something.
    time.sleep(max(0.0, on_priority.asked + 12 - time.time()))
    before = home.report()
    time.sleep(INTERVAL)
    killed_at = app.kill()

    db = sqlite3.connect(home.db_file)
    try:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        rows = db.execute('SELECT start, "end", title, classification FROM events ORDER BY start').fetchall()
    finally:
        db.close()
    last_end = max(end for _, end, _, _ in rows)
    assert killed_at - 10 <= last_end <= killed_at, \
        f"the last recorded sample is {killed_at - last_end:.1f} s older than the kill"
    # In order, with a run of one window counted once (a stalled tick may split it).
    spans = [span for span, _ in itertools.groupby((title, kind) for _, _, title, kind in rows)]
    assert spans == [(NOTES, "neutral"), (HUBSPOT, "priority"), (YOUTUBE, "distraction"),
                     (HUBSPOT, "priority")]
    # What a report showed before the crash is still there after it.
    after = home.report()
    for key in ("priority", "distraction"):
        assert after["seconds"][key] >= before["seconds"][key] - 1e-6, key

    # QLockFile sees the dead pid: the next start is not refused.
    restarted = start(home)
    assert "already running" not in restarted.output()
    time.sleep(2 * INTERVAL)
    assert restarted.stop() == 0, restarted.output()
    # The restart files its own time: the downtime is in no event.
    db = sqlite3.connect(home.db_file)
    try:
        after_restart = db.execute('SELECT start, "end" FROM events ORDER BY start').fetchall()
    finally:
        db.close()
    assert max(end for start, end in after_restart if start < killed_at) == last_end
    assert min(start for start, _ in after_restart if start > last_end) >= restarted.launched_at


def test_without_xrandr_the_app_reads_windows_all_the_same(desktop, make_home, tmp_path):
    """The X11 probe talks to the X server itself (no pywinctl, whose pymonctl exits
    without xrandr): the app records the priority window as usual."""
    path = path_without("xrandr", tmp_path / "bin")
    assert shutil.which("xrandr", path=path) is None
    home = make_home(CONFIG, path=path)
    declare(home)
    desktop.open_window(HUBSPOT)
    desktop.activate(HUBSPOT)
    app = start(home)
    poll(lambda: home.report()["seconds"]["priority"] > 0, "time on Sales in the report",
         timeout=FLUSH + 3 * INTERVAL)
    assert "window probe unavailable" not in app.log(), app.log()
    assert app.process.poll() is None, app.output()


def test_a_damaged_database_is_said_in_a_window_and_left_untouched(desktop, make_home):
    home = make_home(CONFIG)
    damaged = b"SQLite format 3\x00" + b"\xff" * 200
    home.db_file.parent.mkdir(parents=True, exist_ok=True)
    home.db_file.write_bytes(damaged)
    app = home.launch()
    window = poll(lambda: desktop.find_window("^FocusGuard cannot start$"),
                  "the window saying why FocusGuard cannot start", timeout=15)
    assert "cannot be opened as FocusGuard's database" in app.log()
    desktop.xdotool("windowactivate", "--sync", window)
    desktop.xdotool("key", "Return")
    assert app.process.wait(timeout=10) == 1
    assert home.db_file.read_bytes() == damaged

"""A focus block on a real X desktop at 1366x768, driven as a user drives it: the
installed app runs, the user is on YouTube when the "Outreach calls" block starts,
the quiet card appears beside the tray without taking the focus, "Move to..." and
the first time on offer move the block, and ``focusguard report --json`` says
``moved`` with where to.

The block starts at the next whole minute (at least 10 s away, so the app is
sampling by then): the test waits for it, as a user would.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest
from appdriver import Box, app_config, bounding_box, poll, tray_box
from xdesktop import XDesktop

from focusguard import __version__
from focusguard.core import palette
from focusguard.ui.block_card import WINDOW_TITLE

pytestmark = [pytest.mark.xvfb, pytest.mark.screen("1366x768x24")]

INTERVAL = 1.0
HUBSPOT = "HubSpot - Deals"
YOUTUBE = "YouTube - cat videos"
STARTED = f"FocusGuard {__version__} started"
CARD = f"^{WINDOW_TITLE}$"
#: The green of a primary button: solid pixels of "Go" (or the first time on offer)
#: are in the thousands; an antialiased edge elsewhere a handful.
BUTTON_PIXELS = 300


def block_start(now: datetime) -> datetime:
    """The next whole minute at least 10 s from ``now`` (the app starts in 2-3 s)."""
    start = (now + timedelta(seconds=10)).replace(second=0, microsecond=0) + timedelta(minutes=1)
    if start.date() != now.date() or (start.hour == 23 and start.minute > 28):
        pytest.skip("too close to midnight for a 30-minute block today")
    return start


def config_with_block(start: datetime) -> str:
    """The e2e config (Sales is HubSpot, Video is YouTube) and a 30-minute Outreach
    block for Sales from ``start``, on ``start``'s weekday only."""
    end = start + timedelta(minutes=30)
    day = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[start.weekday()]
    return app_config(INTERVAL, 600, more=f"""
[[focus_block]]
name = "Outreach calls"
activity = "Sales"
days = ["{day}"]
start = "{start:%H:%M}"
end = "{end:%H:%M}"
""")


def green_box(shot, card: Box) -> Box:
    pixels = shot.find(palette.PRIORITY, card)
    assert len(pixels) > BUTTON_PIXELS, f"no green button on the card ({len(pixels)} green pixels)"
    return bounding_box(pixels)


def test_a_block_starting_on_youtube_shows_the_card_and_move_to_moves_it(desktop: XDesktop, make_home, camera):
    start = block_start(datetime.now().astimezone())
    home = make_home(config_with_block(start))
    assert home.run("priority", "set", "Sales").returncode == 0
    for title in (HUBSPOT, YOUTUBE):
        desktop.open_window(title)
    desktop.activate(YOUTUBE)
    app = home.launch()
    app.wait_for_log(STARTED)
    assert desktop.find_window(CARD) is None

    # The block starts with the user on YouTube: the card comes within a few samples.
    wait = start.timestamp() - time.time()
    assert wait > 2, "the app took too long to start"
    card_id = poll(lambda: desktop.find_window(CARD), "the focus block card", timeout=wait + 6 * INTERVAL)
    assert time.time() >= start.timestamp() - 0.5, "the card came before the block started"
    youtube = desktop.window_id(YOUTUBE)
    time.sleep(2 * INTERVAL)  # the card never takes the focus, not even a sample later
    assert desktop.active_window_id() == youtube, "the card took the focus"
    card = Box(*desktop.geometry(card_id))
    tray = tray_box(desktop)
    assert card.x + card.width <= 1366 and card.y + card.height <= 768, f"the card {card} is off the screen"
    assert not (card.x < tray.x + tray.width and tray.x < card.x + card.width
                and card.y < tray.y + tray.height and tray.y < card.y + card.height), "the card covers the tray"
    shot = camera.shoot("block-card")
    go = green_box(shot, card)

    # "Move to..." sits right of Go: the times on offer replace the answers, the
    # soonest in green; one click moves the block there.
    desktop.click(go.x + go.width + 10 + 40, go.y + go.height // 2)
    shot = poll(lambda: (s := camera.shoot("block-card-move-to")) and
                len(s.find(palette.PRIORITY, Box(*desktop.geometry(card_id)))) > BUTTON_PIXELS
                and bounding_box(s.find(palette.PRIORITY, Box(*desktop.geometry(card_id)))) != go and s,
                "the times on offer", timeout=5)
    first = green_box(shot, Box(*desktop.geometry(card_id)))
    desktop.click(*first.center)
    poll(lambda: desktop.find_window(CARD) is None,
         "the card to go", timeout=5)
    assert desktop.active_window_id() == youtube
    camera.shoot("block-moved")

    report = poll(lambda: (r := home.report())["blocks"] and r, "the moved block in the report", timeout=10)
    assert isinstance(report, dict)
    [moved] = report["blocks"]
    assert (moved["name"], moved["activity"], moved["status"]) == ("Outreach calls", "Sales", "moved")
    assert moved["start"].startswith(f"{start:%Y-%m-%dT%H:%M}")
    assert moved["moved_to"] > moved["start"]
    assert "block Outreach calls moved from" in app.log()
    assert app.stop() == 0, app.output()

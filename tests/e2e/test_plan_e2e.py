"""The plan and "Delegate this" with the installed app on a real X desktop (issue 14).

A goal with two steps is made from the command line; declaring Sales without a step
takes the goal's first one, and the tray's tooltip names it. Then the user drifts into
the editor (productive work, not the priority): the nudge comes, "Delegate this" is
clicked (found by its colour), a line is typed into the card, Enter. The streak ends
(no second nudge within the threshold), and `report --json` lists the delegated item
with the line, the editor's app and title and the time spent so far; `step done` then
advances the plan, and the report says the day's step was done.
"""

from __future__ import annotations

import time

import pytest
from appdriver import Box, app_config, bounding_box, nudge_window, poll, tray_box
from test_app_e2e import FLUSH, STARTED

from focusguard.core import palette

pytestmark = pytest.mark.xvfb

INTERVAL = 1.0
THRESHOLD = 12.0  # off_priority_after_minutes = 0.2: productive work off the priority
HUBSPOT = "HubSpot - Deals"
EDITOR = "deploy.py - Code"
CONFIG = app_config(INTERVAL, 600.0, more="""
[[activity]]
name = "Code"
kind = "productive"
rules = [{ title = " - Code$" }]
""").replace("off_priority_after_minutes = 60", f"off_priority_after_minutes = {THRESHOLD / 60:g}")


def test_the_plan_offers_the_step_and_delegate_this_is_recorded(desktop, make_home, camera):
    home = make_home(CONFIG)
    for args in (("goal", "add", "Five new clients", "--activity", "Sales"),
                 ("goal", "step", "add", "1", "Call Acme about the Q2 proposal"),
                 ("goal", "step", "add", "1", "Email Bob")):
        done = home.run(*args)
        assert done.returncode == 0, done.stderr
    declared = home.run("priority", "set", "Sales")
    assert declared.stdout.strip() == "Today's priority: Sales (next: Call Acme about the Q2 proposal)"
    desktop.open_window(HUBSPOT)
    desktop.open_window(EDITOR)
    desktop.activate(HUBSPOT)
    app = home.launch()
    app.wait_for_log(STARTED)
    time.sleep(3)

    desktop.activate(EDITOR)
    drifted = time.time()
    nudge = poll(lambda: nudge_window(desktop), "the nudge on productive work",
                 timeout=THRESHOLD + 4 * INTERVAL + 5)
    assert "nudge: level 1, productive_distraction, Code" in app.log()
    time.sleep(0.5)  # drawn
    shot = camera.shoot("nudge-with-delegate")
    card = Box(*desktop.geometry(nudge))
    outline = shot.find(palette.answer_colour("delegate"), card, tolerance=6)
    assert len(outline) > 100, "no Delegate this button in its colour on the card"
    desktop.click(*bounding_box(outline).center)
    time.sleep(1.0)  # the line takes the keyboard
    assert desktop.active_window_id() == nudge, "the card did not take the keyboard for the line"
    camera.shoot("delegate-line")
    desktop.xdotool("type", "--delay", "30", "to Sam: the deploy script")
    desktop.xdotool("key", "Return")
    delegated_at = time.time()
    poll(lambda: nudge_window(desktop) is None, "the card to acknowledge and go", timeout=8)

    report = poll(lambda: (r := home.report())["delegated"] and r, "the delegated item in the report",
                  timeout=FLUSH + 5)
    [item] = report["delegated"]
    assert (item["activity"], item["app"], item["title"], item["note"]) == (
        "Code", "xterm", EDITOR, "to Sam: the deploy script")
    assert THRESHOLD - 2 * INTERVAL <= item["seconds"] <= delegated_at - drifted + 2 * INTERVAL
    [answered] = report["nudges"]
    assert answered["answer"] == "delegate"
    assert report["plan"] == {"goal": "Five new clients", "step": "Call Acme about the Q2 proposal",
                              "step_done": False}

    # The streak ended like Back: still in the editor, no new nudge before a whole threshold.
    time.sleep(THRESHOLD - 4 * INTERVAL)
    assert nudge_window(desktop) is None, "nudged again before a whole threshold since Delegate this"

    desktop.activate(HUBSPOT)
    desktop.xdotool("mousemove", *map(str, tray_box(desktop).center))  # the tooltip names the step and goal
    time.sleep(1.5)
    camera.shoot("tooltip-with-step")
    done = home.run("step", "done")
    assert done.stdout.strip() == "Done: Call Acme about the Q2 proposal (Five new clients). Next: Email Bob"
    assert home.report()["plan"]["step_done"] is True
    assert app.stop() == 0, app.output()

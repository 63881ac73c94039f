"""A priority changed mid-day, on a real X desktop with the installed app (issue 12):
Sales declared, minutes in the CRM, Code declared from the command line, the CRM a
little longer, then the editor. The report must file the CRM time before the change
under Sales and only the editor's under Code; the tray must turn from green to the
productive-distraction ring when the CRM stops being the priority, and back to green
in the editor; the tooltip says the current priority's own time.
"""

from __future__ import annotations

import time

import pytest
from appdriver import Home, app_config, poll, tray_box
from test_app_e2e import FLUSH, ICON_PIXELS, STARTED, icon_pixels

from focusguard.core import palette

pytestmark = pytest.mark.xvfb

INTERVAL = 1.0
HUBSPOT = "HubSpot - Deals"
EDITOR = "main.py - Code"
NOTES = "Notes"  # neutral (app_config): the day's figures stop growing there
CONFIG = app_config(INTERVAL, 600.0, more="""
[[activity]]
name = "Code"
kind = "productive"
rules = [{ title = " - Code$" }]
""")
#: Each stretch is timed from the wall clock and recorded to within a sampling interval
#: at each end, plus the GUI thread's delay (see appdriver.assert_span).
SLACK = 2 * INTERVAL + 0.6


def declare(home: Home, activity: str) -> float:
    asked = time.time()
    done = home.run("priority", "set", activity)
    assert done.returncode == 0, done.stderr
    return (asked + time.time()) / 2


def icon_is(desktop, camera, colour: str, label: str) -> bool:
    shot = camera.shoot(label)
    return icon_pixels(shot, desktop, colour) >= ICON_PIXELS


def test_a_change_of_priority_files_time_under_the_priority_in_force(desktop, make_home, camera):
    home = make_home(CONFIG)
    desktop.open_window(NOTES)
    desktop.open_window(EDITOR)
    desktop.open_window(HUBSPOT)
    desktop.activate(HUBSPOT)
    declare(home, "Sales")
    app = home.launch()
    app.wait_for_log(STARTED)
    poll(lambda: icon_is(desktop, camera, palette.PRIORITY, "sales-in-crm"), "the green icon on Sales", timeout=10)
    sales_from = time.time()
    time.sleep(8)

    changed = declare(home, "Code")
    poll(lambda: icon_is(desktop, camera, palette.PRODUCTIVE_DISTRACTION, "crm-after-change"),
         "the productive-distraction ring: the CRM is no longer the priority", timeout=5)
    time.sleep(3)
    asked = time.time()
    desktop.activate(EDITOR)
    switched = time.time()
    poll(lambda: icon_is(desktop, camera, palette.PRIORITY, "code-in-editor"), "the green icon on Code", timeout=5)
    time.sleep(5)
    desktop.xdotool("mousemove", *map(str, tray_box(desktop).center))  # the tooltip, for a person to read
    time.sleep(1.5)
    camera.shoot("tooltip-after-change")
    left = time.time()
    desktop.activate(NOTES)

    report = poll(lambda: (r := home.report())["by_priority"].get("Code", 0) >= 4 and r,
                  "the editor's time on Code in the report", timeout=FLUSH + 5)
    assert list(report["by_priority"]) == ["Sales", "Code"]
    sales, code = report["by_priority"]["Sales"], report["by_priority"]["Code"]
    # Sales: from the first green icon (the app was sampling) to the change, not a second more.
    assert changed - sales_from - SLACK <= sales <= changed - sales_from + SLACK + 4, report["by_priority"]
    # Code: only the editor's time since the switch, never the CRM's minutes before.
    assert left - switched - SLACK <= code <= left - asked + SLACK, report["by_priority"]
    assert report["seconds"]["priority"] == pytest.approx(sales + code, abs=0.01)
    crm_off = [i for i in report["top_off_priority"] if i["title"] == HUBSPOT]
    assert [i["priority"] for i in crm_off] == ["Code"]  # off Code, not "Sales off Sales"
    assert switched - changed - SLACK <= crm_off[0]["seconds"] <= switched - changed + SLACK
    assert [p["priority"] for p in report["periods"]] == ["Sales", "Code"]
    assert report["longest_priority_streak_on"] == "Sales"
    assert report["priority_changes"][0]["before"] == "Sales" and report["priority_changes"][0]["after"] == "Code"

    text = home.run("report").stdout
    assert "Priority changed at " in text and ": Sales → Code" in text
    assert "Top off-priority during Code:" in text
    assert app.process.poll() is None, app.output()

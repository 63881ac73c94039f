"""Issue 11 on a real X desktop: a rule and a privacy exclusion that backtrack
catastrophically in Python's re (`(a+)+$`, `(a+)+b`), and a window titled with 36 "a"s
and "!", used to put the app at 100 % CPU for good: recording stopped and SIGTERM was
ignored. With RE2 the installed app keeps recording and quits on SIGTERM."""

from __future__ import annotations

import time

import pytest
from appdriver import app_config
from test_app_e2e import STARTED

pytestmark = pytest.mark.xvfb

INTERVAL = 1.0
TRAP = "a" * 36 + "!"
CONFIG = app_config(INTERVAL, 900, more="""
[[activity]]
name = "Trap"
kind = "distraction"
rules = [{ title = "(a+)+$" }]

[privacy]
exclude_titles = ["(a+)+b"]
""")


def test_a_catastrophic_rule_neither_stops_recording_nor_blocks_quitting(desktop, make_home, camera):
    home = make_home(CONFIG)
    check = home.run("config", "check")
    assert check.returncode == 0, check.stdout + check.stderr
    desktop.open_window(TRAP)
    desktop.activate(TRAP)
    app = home.launch()
    started = app.wait_for_log(STARTED)

    time.sleep(5)  # on the trap title: unclassified, and every sample goes through both regexes
    camera.shoot("recording-the-trap-window")
    asked = time.time()
    desktop.set_title(TRAP, "a" * 36)  # now the rule matches
    time.sleep(5)
    assert app.process.poll() is None, app.output()
    stopped = time.time()
    app.process.terminate()
    assert app.process.wait(timeout=10) == 0, app.output()  # the clean quit writes what it holds
    assert "Traceback" not in app.output()

    # The time on each title is its wall-clock time, within 2 intervals: recording never
    # stopped (the app still started sampling in the second before it logged STARTED).
    seconds = home.report()["seconds"]
    assert asked - started - 2 * INTERVAL <= seconds["unclassified"] <= asked - started + 2 * INTERVAL, seconds
    assert stopped - asked - 2 * INTERVAL <= seconds["distraction"] <= stopped - asked + 2 * INTERVAL, seconds

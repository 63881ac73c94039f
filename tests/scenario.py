"""One working day's setup shared by the controller and app tests: a config with Sales
as the priority candidate, the windows that match it (or not), and a settable clock."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from focusguard.platform.window import WindowInfo

TZ = ZoneInfo("Europe/Berlin")
CONFIG = """\
# my own comment, kept
[sampling]
interval_seconds = 2
idle_after_minutes = 3

[nudge]
distraction_after_minutes = 1
off_priority_after_minutes = 2
grace_seconds = 10
snooze_minutes = 1
hold_during_apps = ["zoom*"]

[[activity]]
name = "Sales"
kind = "productive"
rules = [ { title = "HubSpot" } ]

[[activity]]
name = "Engineering"
kind = "productive"
rules = [ { app = "code" } ]

[[activity]]
name = "Video"
kind = "distraction"
rules = [ { title = "YouTube" } ]
"""

SALES = WindowInfo(app="firefox", title="HubSpot - Deals", pid=100)
CODE = WindowInfo(app="code", title="app.py - Visual Studio Code", pid=101)
VIDEO = WindowInfo(app="firefox", title="YouTube - cats", pid=100)
MYSTERY = WindowInfo(app="gimp", title="Untitled", pid=102)


class Clock:
    """The injected clock: tests move ``now`` by hand. Starts on a Monday at 09:00."""

    def __init__(self, start: datetime = datetime(2026, 11, 23, 9, 0, tzinfo=TZ)) -> None:
        self.now = start.timestamp()

    def __call__(self) -> float:
        return self.now

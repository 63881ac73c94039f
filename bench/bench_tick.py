"""What one sample costs the GUI thread while the user stays in one window, on a busy day.

The app's cost in one window (issue 10: under 0.05 % of a core) is almost all this: once
an interval the sampler's timer fires on the GUI thread, the controller classifies the
last reading, credits the day's figures, the engine and the store, and the tray is
rendered. ``bench_app.py`` measures the whole process from outside; this bench takes the
same path in one process (offscreen Qt, the real controller, store and tray presenter,
today holding 8 busy hours), so a change to it can be weighed in seconds:

* CPU per tick on the GUI thread (``time.thread_time``), through the sampler's timer;
* the same with the timer's hop left out (``on_sample`` called directly);
* with ``--profile``, where a tick's time goes (cProfile, by cumulative time).

    python bench/bench_tick.py [--ticks 3000] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import os
import pstats
import statistics
import sys
import tempfile
import time
from datetime import UTC
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "e2e"), str(ROOT / "bench")]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from appdriver import app_config  # noqa: E402
from appload import HUBSPOT, NUDGE_AFTER_SECONDS, seed_history  # noqa: E402

from focusguard.app import FocusGuardApp  # noqa: E402
from focusguard.controller import Controller  # noqa: E402
from focusguard.platform.window import WindowInfo  # noqa: E402
from focusguard.store import Store  # noqa: E402
from focusguard.ui.qt import QtCore, QtWidgets  # noqa: E402
from focusguard.ui.tray import TrayMenu, TrayPresenter  # noqa: E402

WINDOW = WindowInfo(app="xterm", title=HUBSPOT, exe="/usr/bin/xterm", pid=4242)


class Clock:
    """The controller's clock: the real time at start, one interval further per tick."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def build(root: Path, hours: float) -> tuple[FocusGuardApp, Clock, int]:
    config_file = root / "config.toml"
    config_file.write_text(app_config(1.0, NUDGE_AFTER_SECONDS), encoding="utf-8")
    events = seed_history(root / "fg.db", UTC, hours)
    store = Store(root / "fg.db", background=True, monotonic=time.monotonic)
    clock = Clock()
    controller = Controller(config_file, store, clock=clock, tz=UTC, own_pid=1)
    app = FocusGuardApp(controller, presenter=TrayPresenter(TrayMenu(), tray_available=lambda: True))
    app.start()
    return app, clock, events


def direct(app: FocusGuardApp, clock: Clock, ticks: int) -> float:
    """Seconds of GUI-thread CPU per ``on_sample`` call."""
    start = time.thread_time()
    for _ in range(ticks):
        clock.now += 1.0
        app.on_sample(WINDOW, 0.0)
    return (time.thread_time() - start) / ticks


def through_timer(app: FocusGuardApp, clock: Clock, ticks: int, every_ms: int = 0) -> float:
    """Seconds of GUI-thread CPU from one tick to the next of a Qt timer whose slot
    samples, as the sampler's does (calling the app's slot): the event loop's share
    included, the median over ``ticks`` (a one-off, such as the loop's first events, left
    out). With ``every_ms`` as the app's (1000), a tick finds the caches cold, as in use."""
    qapp = QtWidgets.QApplication.instance()
    assert qapp is not None
    marks: list[float] = []

    def tick() -> None:
        marks.append(time.thread_time())
        if len(marks) > ticks:
            timer.stop()
            qapp.quit()
            return
        clock.now += 1.0
        app.on_sample(WINDOW, 0.0)

    timer = QtCore.QTimer()
    timer.setInterval(every_ms)
    timer.timeout.connect(tick)
    timer.start()
    qapp.exec()
    return statistics.median(b - a for a, b in itertools.pairwise(marks))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ticks", type=int, default=3000)
    parser.add_argument("--hours", type=float, default=8.0, help="busy hours already recorded today")
    parser.add_argument("--cold", type=int, default=30, help="ticks 1 s apart, as the app ticks")
    parser.add_argument("--profile", action="store_true", help="print where a tick's time goes")
    args = parser.parse_args()
    QtWidgets.QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        app, clock, events = build(Path(tmp), args.hours)
        direct(app, clock, 200)  # warm: the first samples load and classify
        print(f"today: {events} events recorded; one window ({HUBSPOT}), {args.ticks} ticks")
        print(f"  on_sample, called directly:   {direct(app, clock, args.ticks) * 1e6:7.1f} us CPU per tick")
        print(f"  through the event loop:       {through_timer(app, clock, args.ticks) * 1e6:7.1f} us CPU per tick")
        cold = through_timer(app, clock, args.cold, every_ms=1000)
        print(f"  the same, 1 s apart (cold):   {cold * 1e6:7.1f} us CPU per tick = {cold * 100:.3f} % of a core")
        if args.profile:
            profile = cProfile.Profile()
            profile.runcall(direct, app, clock, args.ticks)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
        app.shutdown()


if __name__ == "__main__":
    main()

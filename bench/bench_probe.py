"""What the probes cost on a real X server (Xvfb + openbox), on a window switch and
while nothing changes.

The X11 window probe is told of changes (PropertyNotify): a switch costs one
``dispatch()`` that reads the new window's properties; between switches
``active_window()`` answers from memory. This times both, for a switch to a window
seen before (class and process remembered) and to one seen for the first time, and
the idle probe (SYNC alarms: no request while the user is active). The baseline is
what polling through pywinctl costs on every tick.

    python bench/bench_probe.py [--switches 200] [--calls 2000]
"""

from __future__ import annotations

import argparse
import os
import select
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from xdesktop import XDesktop  # noqa: E402

TITLE = "Q3 pipeline review – Sales dashboard – Google Sheets — Mozilla Firefox ✨"


def per_call_ms(call: Callable[[], object], calls: int) -> tuple[float, float]:
    """Mean and 99th-percentile milliseconds per call, after a short warm-up."""
    for _ in range(20):
        call()
    samples = []
    for _ in range(calls):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.fmean(samples), statistics.quantiles(samples, n=100)[98]


def switch_cost(desktop: XDesktop, probe: object, titles: list[str]) -> tuple[list[float], list[float]]:
    """Activate each title in turn; for each switch, the milliseconds of ``dispatch()``
    calls until the probe reports it, and the wall time from the window manager's
    change (xdotool returned) to the probe knowing."""
    cpu: list[float] = []
    latency: list[float] = []
    for title in titles:
        desktop.activate(title)
        asked = time.perf_counter()
        spent = 0.0
        while True:
            select.select([probe.fileno()], [], [], 5)  # type: ignore[attr-defined]
            start = time.perf_counter()
            changed = probe.dispatch()  # type: ignore[attr-defined]
            spent += time.perf_counter() - start
            if changed and probe.active_window().title == title:  # type: ignore[attr-defined]
                break
        latency.append((time.perf_counter() - asked) * 1000)
        cpu.append(spent * 1000)
    return cpu, latency


def report(name: str, samples: list[float]) -> None:
    p99 = statistics.quantiles(samples, n=100)[98] if len(samples) >= 2 else samples[0]
    print(f"{name:44} {statistics.fmean(samples):7.3f} ms  (p99 {p99:.3f} ms, {len(samples)} samples)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--switches", type=int, default=200)
    args = parser.parse_args()
    with XDesktop(tray=False) as desktop:
        os.environ.update(DISPLAY=desktop.display, XDG_SESSION_TYPE="x11")
        os.environ.pop("WAYLAND_DISPLAY", None)
        from focusguard.platform.probes import make_idle_probe, make_window_probe
        from focusguard.platform.window import is_event_source

        window_probe, idle_probe = make_window_probe(), make_idle_probe()
        assert is_event_source(window_probe), window_probe
        known = ["Mail", "Docs", "Bench target"]
        for title in known:
            desktop.open_window(title)
        # as a GTK/Qt app titles itself: a UTF-8 _NET_WM_NAME, browser-tab length
        desktop.set_title("Bench target", TITLE)
        known[-1] = TITLE
        desktop.activate(TITLE)
        print(f"window probe: {window_probe.name}; idle probe: {type(idle_probe).__name__}")
        print(f"active window: {window_probe.active_window()}")
        print(f"Xvfb display {desktop.display}")

        fresh = [f"New window {n}" for n in range(max(2, args.switches // 10))]
        for title in fresh:
            desktop.open_window(title)
        first_sight, _ = switch_cost(desktop, window_probe, fresh)
        cycle = [known[n % len(known)] for n in range(args.switches)]
        cpu, latency = switch_cost(desktop, window_probe, cycle)
        report("switch to a known window: dispatch()", cpu)
        report("switch to a new window: dispatch()", first_sight)
        report("switch: window manager -> probe knows", latency)
        for name, call in (("unchanged window: active_window()", window_probe.active_window),
                           ("idle_seconds()", idle_probe.idle_seconds)):
            mean, p99 = per_call_ms(call, args.calls)
            print(f"{name:44} {mean:7.3f} ms  (p99 {p99:.3f} ms, {args.calls} calls)")

        import pywinctl

        def pywinctl_alone() -> object:
            win = pywinctl.getActiveWindow()
            return win.title, win.getAppName()  # getAppName spawns `ps`

        mean, p99 = per_call_ms(pywinctl_alone, max(50, args.calls // 20))
        print(f"{'baseline: pywinctl title+getAppName(), per tick':44} {mean:7.3f} ms  (p99 {p99:.3f} ms)")


if __name__ == "__main__":
    main()

"""How long one probe reading takes on a real X server (Xvfb + openbox).

FocusGuard reads the active window and the idle time every sampling interval
(2 s by default), on the UI thread; this prints what each call costs.

    /tmp/venv/bin/python bench/bench_probe.py [--calls 2000]
"""

from __future__ import annotations

import argparse
import os
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args()
    with XDesktop(tray=False) as desktop:
        os.environ.update(DISPLAY=desktop.display, XDG_SESSION_TYPE="x11")
        os.environ.pop("WAYLAND_DISPLAY", None)
        from focusguard.platform.idle import make_idle_probe
        from focusguard.platform.window import make_window_probe

        window_probe, idle_probe = make_window_probe(), make_idle_probe()
        for title in ("Mail", "Docs", "Bench target"):
            desktop.open_window(title)
        # as a GTK/Qt app titles itself: a UTF-8 _NET_WM_NAME, browser-tab length
        desktop.set_title("Bench target", TITLE)
        desktop.activate(TITLE)
        print(f"active window: {window_probe.active_window()}")
        print(f"Xvfb display {desktop.display}")
        import pywinctl

        def pywinctl_alone() -> object:
            win = pywinctl.getActiveWindow()
            return win.title, win.getAppName()  # getAppName spawns `ps`

        for name, call, calls in (
            ("active_window()", window_probe.active_window, args.calls),
            ("idle_seconds()", idle_probe.idle_seconds, args.calls),
            ("baseline: pywinctl title+getAppName()", pywinctl_alone, max(50, args.calls // 20)),
        ):
            mean, p99 = per_call_ms(call, calls)
            print(f"{name:38} {mean:7.3f} ms/call  (p99 {p99:.3f} ms, {calls} calls)")


if __name__ == "__main__":
    main()

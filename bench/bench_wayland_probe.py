"""What the native Wayland probes cost, on a real headless compositor.

An event-driven probe costs nothing while the user stays in one window; what it
costs is one ``dispatch()`` per change the compositor pushes, and
``active_window()`` answers from memory. This prints, per probe: one
``active_window()`` call, one ``dispatch()`` of a title change and of a focus
switch (the event already waiting), and one ``idle_seconds()``.

    .venv/bin/python bench/bench_wayland_probe.py [--rounds 40] [--calls 2000]

Runs sway (as the unprivileged test user, so as root). ``bench_window_probe`` and
``bench_idle_probe`` take any desktop of tests/wldesktops.py and a probe opener, so
the other compositors are benchmarked the same way.
"""

from __future__ import annotations

import argparse
import select
import statistics
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from bench_probe import per_call_ms  # noqa: E402

TITLE = "Q3 pipeline review – Sales dashboard – Google Sheets — Mozilla Firefox ✨"


def _report(label: str, samples_ms: list[float]) -> None:
    p99 = statistics.quantiles(samples_ms, n=100)[98] if len(samples_ms) > 1 else samples_ms[0]
    print(f"  {label:34} {statistics.fmean(samples_ms):7.3f} ms  (p99 {p99:.3f} ms, {len(samples_ms)} samples)")


def _timed_dispatch(probe: Any) -> float:
    """Wait until the probe's socket is readable, then time one dispatch (ms)."""
    if not select.select([probe.fileno()], [], [], 5)[0]:
        raise RuntimeError("no event arrived within 5 s")
    start = time.perf_counter()
    changed = probe.dispatch()
    elapsed = (time.perf_counter() - start) * 1000
    if not changed:
        raise RuntimeError("the event did not change the active window")
    return elapsed


def _drain(probe: Any) -> None:
    while select.select([probe.fileno()], [], [], 0.2)[0]:
        probe.dispatch()


def bench_window_probe(desktop: Any, open_probe: Callable[[Mapping[str, str]], Any],
                       rounds: int = 40, calls: int = 2000) -> dict[str, float]:
    """Open two windows on ``desktop``, then time the probe from ``open_probe(desktop.env)``;
    prints the figures and returns the means (ms)."""
    first = desktop.open_window("Mail - Inbox", "org.example.mail")
    desktop.open_window(TITLE, "org.example.sheets")
    probe = open_probe(desktop.env)
    try:
        print(f"{probe.name} on {desktop.name}:")
        _drain(probe)
        mean, p99 = per_call_ms(probe.active_window, calls)
        print(f"  {'active_window()':34} {mean:7.4f} ms  (p99 {p99:.4f} ms, {calls} calls)")
        titles, switches = [], []
        for n in range(rounds):
            desktop.focus("Mail - Inbox" if n == 0 else f"Mail - Inbox ({n})")
            _drain(probe)
            desktop.set_title(first, f"Mail - Inbox ({n + 1})")
            titles.append(_timed_dispatch(probe))
            _drain(probe)
            desktop.focus(TITLE)
            switches.append(_timed_dispatch(probe))
            _drain(probe)
        _report("dispatch() of a title change", titles)
        _report("dispatch() of a focus switch", switches)
        return {"active_window": mean, "dispatch_title": statistics.fmean(titles),
                "dispatch_switch": statistics.fmean(switches)}
    finally:
        probe.close()


def bench_idle_probe(desktop: Any, open_probe: Callable[[Mapping[str, str]], Any],
                     calls: int = 2000) -> float:
    """Time ``idle_seconds()`` of the probe from ``open_probe(desktop.env)`` (ms)."""
    probe = open_probe(desktop.env)
    try:
        mean, p99 = per_call_ms(probe.idle_seconds, calls)
        print(f"{probe.name} on {desktop.name}:")
        print(f"  {'idle_seconds()':34} {mean:7.4f} ms  (p99 {p99:.4f} ms, {calls} calls)")
        return mean
    finally:
        probe.close()


def bench_sway(rounds: int, calls: int) -> None:
    from wldesktops import SwayDesktop

    from focusguard.platform.wayland.idle import WaylandIdleProbe
    from focusguard.platform.wayland.sway import SwayProbe
    from focusguard.platform.wayland.wlr import WlrToplevelProbe

    for opener in (SwayProbe.open, WlrToplevelProbe.open):
        with SwayDesktop() as desktop:
            print(f"sway {desktop.version}, headless")
            bench_window_probe(desktop, opener, rounds, calls)
    with SwayDesktop() as desktop:
        bench_idle_probe(desktop, WaylandIdleProbe.open, calls)


def bench_kwin(rounds: int, calls: int) -> None:
    from wldesktops import KWinDesktop

    from focusguard.platform.wayland.idle import WaylandIdleProbe
    from focusguard.platform.wayland.kwin import KWinProbe

    with KWinDesktop() as desktop:
        print(f"KWin {desktop.version}, --virtual")
        bench_window_probe(desktop, KWinProbe.open, rounds, calls)
        bench_idle_probe(desktop, WaylandIdleProbe.open, calls)


def bench_gnome(rounds: int, calls: int) -> None:
    from wldesktops import GnomeDesktop

    from focusguard.platform.wayland.gnome import GnomeShellProbe
    from focusguard.platform.wayland.mutter_idle import MutterIdleProbe

    with GnomeDesktop() as desktop:
        print(f"GNOME Shell {desktop.version}, headless")
        bench_window_probe(desktop, GnomeShellProbe.open, rounds, calls)
        bench_idle_probe(desktop, MutterIdleProbe.open, calls)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40, help="title changes and switches to time")
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args()
    bench_sway(args.rounds, args.calls)
    bench_kwin(args.rounds, args.calls)
    bench_gnome(args.rounds, args.calls)


if __name__ == "__main__":
    main()

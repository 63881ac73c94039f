"""What the running desktop app costs, on a real X desktop (Xvfb + openbox + trayer),
on an empty database and on a busy day, with a nudge shown and closed first.

Runs the installed ``focusguard`` (private XDG directories, a 1 s sampling interval)
three times:

* **empty**: a fresh database, only today's priority declared;
* **busy day, 9:00**: the local time is 9:00 and today holds the last hour of busy
  history (a window switch every 2.5 s);
* **busy day, 17:00**: the local time is 17:00 and today holds 8 busy hours (about
  11,500 events). The cost must not grow with the day: it must match 9:00's.

Each run shows a nudge (15 s on YouTube) and closes it (back to HubSpot), then
measures, for the app process: CPU as a percentage of one core and context switches
per second (summed over its threads: an upper bound on its wake-ups) while windows
switch every 2.5 s, the same while the user stays in one window, and at the end
peak RSS (VmHWM), RSS and PSS.

Targets (issue 10): on the busy day with the nudge shown, peak RSS <= 90 MB; in one
window < 2 wake-ups/s and < 0.05 % CPU; the same figures at 9:00 and 17:00. Figures
only, no asserts.

    python bench/bench_app.py [--switching 60] [--still 30] [--interval 1]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "e2e"), str(ROOT / "bench")]

from appload import (  # noqa: E402
    HUBSPOT,
    Cost,
    Reading,
    focusguard_running,
    memory_mb,
    show_and_close_nudge,
    switch_windows,
)
from xdesktop import XDesktop  # noqa: E402

SCENARIOS = (("empty", 0.0, 17), ("busy day, 9:00", 1.0, 9), ("busy day, 17:00", 8.0, 17))


def measure(desktop: XDesktop, root: Path, seed_hours: float, local_hour: int,
            args: argparse.Namespace) -> dict[str, object]:
    with focusguard_running(root, desktop, interval=args.interval, seed_hours=seed_hours,
                            local_hour=local_hour) as (app, events):
        started = app.wait_for_log("started") - app.launched_at
        before_nudge = memory_mb(app.pid)
        nudge_shown = show_and_close_nudge(desktop, args.interval)
        a = Reading.of(app.pid)
        switches = switch_windows(desktop.activate, args.switching, args.switch_every)
        b = Reading.of(app.pid)
        desktop.activate(HUBSPOT)
        time.sleep(2 * args.interval)
        c = Reading.of(app.pid)
        time.sleep(args.still)
        d = Reading.of(app.pid)
        return {
            "events": events, "started": started, "before_nudge": before_nudge,
            "nudge_shown": nudge_shown, "switching": Cost.between(a, b), "switches": switches,
            "still": Cost.between(c, d), "memory": memory_mb(app.pid),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--switching", type=float, default=60.0, help="seconds of window switching")
    parser.add_argument("--still", type=float, default=30.0, help="seconds in one window")
    parser.add_argument("--interval", type=float, default=1.0, help="sampling interval, s")
    parser.add_argument("--switch-every", type=float, default=2.5, help="window switch period, s")
    args = parser.parse_args()

    results = []
    with tempfile.TemporaryDirectory(prefix="fg-bench-") as tmp, XDesktop() as desktop:
        for n, (label, hours, hour) in enumerate(SCENARIOS):
            results.append((label, measure(desktop, Path(tmp) / f"run{n}", hours, hour, args)))

    print(f"FocusGuard app bench: interval {args.interval:g} s; windows switching every "
          f"{args.switch_every:g} s for {args.switching:g} s, then {args.still:g} s in one window")
    header = f"  {'':34}" + "".join(f"{label:>18}" for label, _ in results)
    print(header)

    def row(name: str, cells: list[str], target: str = "") -> None:
        print(f"  {name:34}" + "".join(f"{c:>18}" for c in cells) + (f"   {target}" if target else ""))

    r = [res for _, res in results]
    row("events today at start", [f"{x['events']:,}" for x in r])
    row("launch -> 'started' logged, s", [f"{x['started']:.2f}" for x in r])
    row("RSS before any nudge, MB", [f"{x['before_nudge']['VmRSS']:.1f}" for x in r])
    row("nudge shown after, s", [f"{x['nudge_shown']:.1f}" for x in r], "(threshold 15 s)")
    row("switching: CPU, % of a core", [f"{x['switching'].cpu_percent:.3f}" for x in r], "(<= 0.5 x ActivityWatch)")
    row("switching: context switches/s", [f"{x['switching'].ctx_per_second:.1f}" for x in r])
    row("one window: CPU, % of a core", [f"{x['still'].cpu_percent:.3f}" for x in r], "(< 0.05 %)")
    row("one window: context switches/s", [f"{x['still'].ctx_per_second:.2f}" for x in r], "(< 2 wake-ups/s)")
    row("peak RSS (VmHWM), MB", [f"{x['memory']['VmHWM']:.1f}" for x in r], "(<= 90 MB)")
    row("RSS at the end, MB", [f"{x['memory']['VmRSS']:.1f}" for x in r])
    row("  private / file-backed, MB", [f"{x['memory']['RssAnon']:.1f} / {x['memory']['RssFile']:.1f}" for x in r])
    row("PSS at the end, MB", [f"{x['memory']['Pss']:.1f}" for x in r])


if __name__ == "__main__":
    main()

"""What the running desktop app costs, on a real X desktop (Xvfb + openbox + trayer).

Runs the installed ``focusguard`` (private XDG directories, a 1 s sampling interval)
while this script switches between xterm windows every few seconds, and prints:

* the time from launch to the tray icon being visible (a colour of the palette's
  tray states showing in trayer's panel, polled by screenshot),
* average CPU over the run as a percentage of one core (psutil cpu_times),
* peak resident memory (VmHWM, the kernel's high-water mark, and the largest RSS
  sampled during the run),
* the delay from the distraction threshold to the nudge window being shown.

Targets (DESIGN.md / issue 3): <= 0.3 % CPU, <= 90 MB RSS, <= 1.0 s to the tray,
nudge within one sampling interval of the threshold. Figures only, no asserts.

    python bench/bench_app.py [--seconds 60] [--interval 1] [--switch-every 5]
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "e2e")]

from appdriver import Box, Home, Screenshot, app_config, nudge_window, poll  # noqa: E402
from xdesktop import XDesktop  # noqa: E402

from focusguard.core import palette  # noqa: E402

THRESHOLD_MINUTES = 0.25
ICON_PIXELS = 30  # as in the e2e tests: a real icon, not an antialiased fringe
HUBSPOT, YOUTUBE, NOTES, REPORT = "HubSpot - Deals", "YouTube - cat videos", "Notes", "Quarterly report"
#: Priority, distraction, neutral, unclassified: every branch of the classifier.
#: Each return to HubSpot outlasts the grace, so no streak reaches the threshold.
CYCLE = (HUBSPOT, YOUTUBE, NOTES, REPORT)
TRAY_COLOURS = tuple(look.colour for look in palette.TRAY.values())


def tray_icon_shown(desktop: XDesktop, scratch: Path) -> bool:
    """Whether trayer's panel shows a tray icon: only its own pixels are grabbed."""
    box = Box(*desktop.tray_geometry())
    subprocess.run(["import", "-window", "root", "-crop", f"{box.width}x{box.height}+{box.x}+{box.y}",
                    str(scratch)], env=desktop.env, check=True, capture_output=True, timeout=15)
    shot = Screenshot(scratch)
    return any(len(shot.find(colour)) >= ICON_PIXELS for colour in TRAY_COLOURS)


def memory_mb(pid: int) -> dict[str, float]:
    """/proc/PID/status memory lines in MB: VmHWM (peak RSS) and the split of RSS into
    private (RssAnon) and file-backed pages (RssFile: the Qt and Python libraries, shared
    with every other process that maps them)."""
    figures = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmHWM", "RssAnon", "RssFile"):
            figures[key] = int(value.split()[0]) / 1024
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the CPU run")
    parser.add_argument("--interval", type=float, default=1.0, help="sampling interval, s")
    parser.add_argument("--switch-every", type=float, default=5.0, help="window switch period, s")
    args = parser.parse_args()
    threshold = THRESHOLD_MINUTES * 60

    with tempfile.TemporaryDirectory(prefix="fg-bench-") as tmp, XDesktop() as desktop:
        home = Home(Path(tmp), desktop, app_config(args.interval, threshold))
        try:
            home.run("priority", "set", "Sales", "--next", "call three past customers").check_returncode()
            for title in CYCLE:
                desktop.open_window(title)
            desktop.activate(NOTES)

            app = home.launch()
            started = app.wait_for_log("started") - app.launched_at
            poll(lambda: tray_icon_shown(desktop, Path(tmp) / "tray.png"), "the tray icon", 20, every=0.01)
            to_tray = time.time() - app.launched_at
            poll(lambda: home.report()["seconds"]["neutral"] > 0, "the first samples", 10)

            process = psutil.Process(app.pid)
            rss: list[float] = []
            cpu_before, wall_before = process.cpu_times(), time.monotonic()
            end = wall_before + args.seconds
            step = 0
            while (now := time.monotonic()) < end:
                if now >= wall_before + step * args.switch_every:
                    desktop.activate(CYCLE[step % len(CYCLE)])
                    step += 1
                rss.append(process.memory_info().rss / 2**20)
                next_switch = min(wall_before + step * args.switch_every, end)
                time.sleep(max(0.0, min(0.5, next_switch - time.monotonic())))
            cpu_after, wall = process.cpu_times(), time.monotonic() - wall_before
            own = (cpu_after.user + cpu_after.system) - (cpu_before.user + cpu_before.system)
            children = ((cpu_after.children_user + cpu_after.children_system)
                        - (cpu_before.children_user + cpu_before.children_system))
            memory = memory_mb(app.pid)

            # The nudge: back on the priority long enough to end any streak, then away.
            desktop.activate(HUBSPOT)
            time.sleep(2 + 2 * args.interval)
            switched = time.time()
            desktop.activate(YOUTUBE)
            poll(lambda: nudge_window(desktop), "the nudge", threshold + 10, every=0.01)
            shown = time.time()
            app.stop()
            db = sqlite3.connect(home.db_file)
            try:
                first_sample = db.execute(
                    "SELECT max(start) FROM events WHERE classification = 'distraction'").fetchone()[0]
                decided = db.execute("SELECT max(at) FROM nudges").fetchone()[0]
            finally:
                db.close()
        finally:
            home.close()

    crossed = first_sample + threshold  # the streak held `threshold` s of distraction
    print(f"FocusGuard app bench: interval {args.interval:g} s, {wall:.0f} s run, "
          f"{step} window switches every {args.switch_every:g} s")
    print(f"  launch -> 'started' logged       {started:6.2f} s")
    print(f"  launch -> tray icon visible      {to_tray:6.2f} s      (target <= 1.0 s)")
    print(f"  CPU, app process                 {100 * own / wall:6.3f} % of one core  (target <= 0.3 %)")
    print(f"  CPU, its child processes         {100 * children / wall:6.3f} % of one core")
    print(f"  peak RSS (VmHWM)                 {memory['VmHWM']:6.1f} MB     (target <= 90 MB)")
    print(f"    RSS at the end: private / libs{memory['RssAnon']:6.1f} / {memory['RssFile']:.1f} MB")
    print(f"  RSS during the run               {min(rss):6.1f} .. {max(rss):.1f} MB ({len(rss)} samples)")
    print(f"  nudge: window switch -> shown    {shown - switched:6.2f} s      (threshold {threshold:g} s)")
    print(f"  nudge: threshold -> decided      {decided - crossed:6.2f} s      (on the sample grid)")
    print(f"  nudge: threshold -> shown        {shown - crossed:6.2f} s      "
          f"(target <= 1 interval = {args.interval:g} s)")


if __name__ == "__main__":
    main()

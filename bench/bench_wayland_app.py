"""What the running app costs on each Wayland desktop, beside X11, in one run.

For each of X11 (Xvfb + openbox), headless sway, KWin and GNOME Shell: the installed
``focusguard`` in a private home with today's priority declared, four native windows
(priority, distraction, neutral, unclassified), then

* **switching**: the focus moves to the next window every 2.5 s for 60 s;
* **one window**: the user stays in one window for 30 s;

and for the app process: CPU as a percentage of one core and context switches per
second (all its threads: an upper bound on its wake-ups) for both, and peak RSS
(VmHWM) and PSS at the end. The probe in use is named. Wayland sessions run as the
unprivileged test user (tests/wlsession.py), so this runs as root, as CI does.

Targets (issue 9): no worse than X11 (<= 0.3 % of a core at a 1 s interval, peak RSS
<= 90 MB) and close to zero CPU in one window. Figures only, no asserts.

    python bench/bench_wayland_app.py [--switching 60] [--still 30] [--only sway,kwin]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "e2e"), str(ROOT / "bench")]

from appdriver import Home, app_config  # noqa: E402
from appload import CYCLE, NOTES, Cost, Reading, memory_mb, switch_windows  # noqa: E402
from wldesktops import GnomeDesktop, KWinDesktop, SwayDesktop  # noqa: E402
from xdesktop import XDesktop  # noqa: E402

INTERVAL = 1.0
NUDGE_AFTER = 15.0


class X11:
    """XDesktop with the Wayland desktops' names for opening and focusing windows."""

    name = "x11"

    def __init__(self) -> None:
        self.desktop = XDesktop()
        self.root = Path(tempfile.mkdtemp(prefix="fg-bench-x11-"))

    @property
    def env(self) -> dict[str, str]:  # set once the X server runs
        return self.desktop.env

    def open_window(self, title: str, app_id: str) -> None:
        self.desktop.open_window(title)

    def focus(self, title: str) -> None:
        self.desktop.activate(title)

    def __enter__(self) -> X11:
        self.desktop.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.desktop.__exit__(*exc)
        shutil.rmtree(self.root, ignore_errors=True)


DESKTOPS: dict[str, Callable[[], Any]] = {
    "x11": X11, "sway": SwayDesktop, "kwin": KWinDesktop, "gnome": GnomeDesktop}


def measure(kind: str, args: argparse.Namespace) -> dict[str, Any]:
    with DESKTOPS[kind]() as desktop:
        home = Home(Path(desktop.root) / "bench-home", desktop, app_config(INTERVAL, NUDGE_AFTER))
        try:
            home.run("priority", "set", "Sales").check_returncode()
            for n, title in enumerate(CYCLE):
                desktop.open_window(title, f"bench{n}")
            desktop.focus(NOTES)
            app = home.launch()
            app.wait_for_log("started", timeout=60)
            app.wait_for_log("window probe: ", timeout=30)
            probe = next(line.split("window probe: ", 1)[1]
                         for line in app.log().splitlines() if "window probe: " in line)
            time.sleep(12)  # past the status window's 10 s wait for a tray
            a = Reading.of(app.pid)
            switches = switch_windows(desktop.focus, args.switching, 2.5)
            b = Reading.of(app.pid)
            desktop.focus(NOTES)
            time.sleep(2)
            c = Reading.of(app.pid)
            time.sleep(args.still)
            d = Reading.of(app.pid)
            return {"probe": probe, "switches": switches, "switching": Cost.between(a, b),
                    "still": Cost.between(c, d), "memory": memory_mb(app.pid)}
        finally:
            home.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--switching", type=float, default=60.0)
    parser.add_argument("--still", type=float, default=30.0)
    parser.add_argument("--only", default=",".join(DESKTOPS), help="comma-separated: x11,sway,kwin,gnome")
    args = parser.parse_args()
    kinds = [kind for kind in args.only.split(",") if kind]
    results = [(kind, measure(kind, args)) for kind in kinds]

    print(f"FocusGuard on each desktop: interval {INTERVAL:g} s; switching every 2.5 s for "
          f"{args.switching:g} s, then {args.still:g} s in one window")
    print(f"  {'':32}" + "".join(f"{kind:>24}" for kind, _ in results))

    def row(name: str, cells: list[str], target: str = "") -> None:
        print(f"  {name:32}" + "".join(f"{c:>24}" for c in cells) + (f"   {target}" if target else ""))

    r = [res for _, res in results]
    row("window probe", [str(x["probe"])[:23] for x in r])
    row("switching: CPU, % of a core", [f"{x['switching'].cpu_percent:.3f}" for x in r], "(<= 0.3, <= X11)")
    row("switching: context switches/s", [f"{x['switching'].ctx_per_second:.1f}" for x in r])
    row("one window: CPU, % of a core", [f"{x['still'].cpu_percent:.3f}" for x in r], "(close to 0)")
    row("one window: context switches/s", [f"{x['still'].ctx_per_second:.2f}" for x in r])
    row("peak RSS (VmHWM), MB", [f"{x['memory']['VmHWM']:.1f}" for x in r], "(<= 90 MB)")
    row("PSS at the end, MB", [f"{x['memory']['Pss']:.1f}" for x in r])


if __name__ == "__main__":
    main()

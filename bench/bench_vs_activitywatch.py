"""FocusGuard and ActivityWatch side by side: one X display, the same window switches,
the same run.

ActivityWatch is aw-server 0.12 with aw-watcher-window and aw-watcher-afk, all at a
1 s poll. FocusGuard runs at a 1 s interval on a busy day (8 h of today's history,
about 11,500 events, local time 17:00) and shows and closes a nudge before the
measuring starts. Then windows switch every 2.5 s, and after that the user stays in
one window. Printed: CPU (% of one core), context switches per second and PSS (each
shared page split between the processes that map it) of FocusGuard's app and of the
three ActivityWatch processes together, the ratios, and FocusGuard's peak RSS.

Targets (issue 10): CPU <= 0.5 x ActivityWatch's, PSS <= 0.8 x, peak RSS <= 90 MB;
in one window fewer than 2 wake-ups a second and CPU under 0.05 %. Figures only.

ActivityWatch lives in its own virtualenv, never the project's (``--aw-venv``,
default ``.bench-venv/aw``)::

    python3 -m venv .bench-venv/aw
    .bench-venv/aw/bin/pip install "aw-server==0.12.*" aw-client "peewee<4" python-xlib pynput
    .bench-venv/aw/bin/pip install --no-deps <aw-watcher-window source> <aw-watcher-afk source>

(peewee 4 makes every bucket request fail with a 500.) The watchers are not on PyPI:
install them from a checkout of their public repositories.

    python bench/bench_vs_activitywatch.py [--switching 60] [--still 30]
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "e2e"), str(ROOT / "bench")]

from appdriver import poll  # noqa: E402
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

AW_PROGRAMS = ("aw-server", "aw-watcher-window", "aw-watcher-afk")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def activitywatch(venv: Path, desktop: XDesktop, root: Path) -> Iterator[tuple[list[int], str]]:
    """aw-server on a free loopback port with both watchers at a 1 s poll, in private
    XDG directories; yields their pids and the server's URL."""
    root.mkdir(parents=True)
    env = dict(desktop.env, HOME=str(root))
    for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[variable] = str(root / variable.lower())
    port = str(free_port())
    url = f"http://127.0.0.1:{port}"
    where = ["--host", "127.0.0.1", "--port", port]
    procs: list[subprocess.Popen[bytes]] = []
    try:
        with open(root / "aw-server.log", "wb") as log:
            procs.append(subprocess.Popen([str(venv / "bin" / "aw-server"), *where], env=env,
                                          stdout=log, stderr=subprocess.STDOUT))
        poll(lambda: _get(f"{url}/api/0/info") is not None, "aw-server to answer", 60)
        for watcher in AW_PROGRAMS[1:]:
            with open(root / f"{watcher}.log", "wb") as log:
                procs.append(subprocess.Popen([str(venv / "bin" / watcher), *where, "--poll-time", "1"],
                                              env=env, stdout=log, stderr=subprocess.STDOUT))
        yield [p.pid for p in procs], url
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def _get(url: str) -> object:
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:
            return json.load(answer)
    except OSError:
        return None


def window_events(url: str) -> int:
    """How many window events ActivityWatch stored: it really was watching."""
    buckets = _get(f"{url}/api/0/buckets/") or {}
    total = 0
    for name in buckets:
        if name.startswith("aw-watcher-window"):
            total += len(_get(f"{url}/api/0/buckets/{name}/events?limit=100000") or [])
    return total


def sum_readings(pids: list[int]) -> Reading:
    readings = [Reading.of(pid) for pid in pids]
    ctx: dict[int, int] = {}
    for r in readings:
        ctx.update(r.ctx)  # thread ids are unique across processes
    return Reading(readings[-1].at, sum(r.cpu for r in readings), ctx)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--switching", type=float, default=60.0, help="seconds of window switching")
    parser.add_argument("--still", type=float, default=30.0, help="seconds in one window")
    parser.add_argument("--switch-every", type=float, default=2.5, help="window switch period, s")
    parser.add_argument("--aw-venv", type=Path, default=ROOT / ".bench-venv" / "aw")
    args = parser.parse_args()
    missing = [p for p in AW_PROGRAMS if not (args.aw_venv / "bin" / p).exists()]
    if missing:
        sys.exit(f"{args.aw_venv} lacks {', '.join(missing)}: see this script's docstring to install them")

    with (tempfile.TemporaryDirectory(prefix="fg-vs-aw-") as tmp, XDesktop() as desktop,
          focusguard_running(Path(tmp) / "fg", desktop, interval=1.0, seed_hours=8.0,
                             local_hour=17) as (app, events),
          activitywatch(args.aw_venv, desktop, Path(tmp) / "aw") as (aw_pids, url)):
        show_and_close_nudge(desktop, 1.0)
        time.sleep(2)
        fg_a, aw_a = Reading.of(app.pid), sum_readings(aw_pids)
        switches = switch_windows(desktop.activate, args.switching, args.switch_every)
        fg_b, aw_b = Reading.of(app.pid), sum_readings(aw_pids)
        desktop.activate(HUBSPOT)
        time.sleep(2)
        fg_c, aw_c = Reading.of(app.pid), sum_readings(aw_pids)
        time.sleep(args.still)
        fg_d, aw_d = Reading.of(app.pid), sum_readings(aw_pids)
        fg_memory = memory_mb(app.pid)
        aw_pss = sum(memory_mb(pid)["Pss"] for pid in aw_pids)
        aw_events = window_events(url)

    fg_switching, aw_switching = Cost.between(fg_a, fg_b), Cost.between(aw_a, aw_b)
    fg_still, aw_still = Cost.between(fg_c, fg_d), Cost.between(aw_c, aw_d)
    print(f"FocusGuard vs ActivityWatch: one Xvfb display, {switches} window switches every "
          f"{args.switch_every:g} s over {args.switching:g} s, then {args.still:g} s in one window")
    print(f"  FocusGuard: busy day ({events:,} events today), a nudge shown and closed; "
          f"ActivityWatch: {aw_events} window events stored during the run")
    print(f"  {'':32}{'FocusGuard':>12}{'ActivityWatch':>15}{'ratio':>8}   target")

    def row(name: str, ours: float, theirs: float | None, target: str, digits: int = 3) -> None:
        ratio = f"{ours / theirs:8.2f}" if theirs else f"{'':8}"
        them = f"{theirs:15.{digits}f}" if theirs is not None else f"{'':15}"
        print(f"  {name:32}{ours:12.{digits}f}{them}{ratio}   {target}")

    row("switching: CPU, % of a core", fg_switching.cpu_percent, aw_switching.cpu_percent, "ratio <= 0.5")
    row("switching: context switches/s", fg_switching.ctx_per_second, aw_switching.ctx_per_second, "", 1)
    row("one window: CPU, % of a core", fg_still.cpu_percent, aw_still.cpu_percent, "FocusGuard < 0.05 %")
    row("one window: context switches/s", fg_still.ctx_per_second, aw_still.ctx_per_second,
        "FocusGuard < 2 wake-ups/s", 2)
    row("PSS, MB", fg_memory["Pss"], aw_pss, "ratio <= 0.8", 1)
    row("peak RSS (VmHWM), MB", fg_memory["VmHWM"], None, "<= 90 MB", 1)


if __name__ == "__main__":
    main()

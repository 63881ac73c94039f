"""What the app benches share: a busy day of history, a local time of day, a nudge shown
and closed, windows switching, and a meter for what a process costs.

The app runs at the real time; "9:00" and "17:00" are made by giving it (and the CLI,
and the history seeded here) a time zone in which it is that time now.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import psutil
from appdriver import App, Home, app_config, nudge_window, poll
from xdesktop import XDesktop

from focusguard.core.model import Classification, Classified, Declaration, Sample
from focusguard.store import Store

HUBSPOT, YOUTUBE, NOTES, REPORT = "HubSpot - Deals", "YouTube - cat videos", "Notes", "Quarterly report"
#: Priority, distraction, neutral, unclassified: every branch of the classifier. Each
#: return to HubSpot outlasts the grace (2 s), so switching never reaches a nudge.
CYCLE = (HUBSPOT, YOUTUBE, NOTES, REPORT)
#: What the seeded history says about each window, as the app would have recorded it.
VERDICTS = {
    HUBSPOT: ("Sales", Classification.PRIORITY),
    YOUTUBE: ("Video", Classification.DISTRACTION),
    NOTES: ("Notes", Classification.NEUTRAL),
    REPORT: (None, Classification.UNCLASSIFIED),
}
NUDGE_AFTER_SECONDS = 15.0


def zone_where_it_is(hour: int, minute: int = 0) -> tuple[str, timezone]:
    """A POSIX TZ value (for the app and the CLI) and the same fixed-offset zone (for
    seeding here) in which the local time now is ``hour:minute``."""
    now = datetime.now(UTC)
    offset = (hour * 60 + minute - (now.hour * 60 + now.minute)) % 1440
    if offset > 720:
        offset -= 1440
    sign = "-" if offset >= 0 else "+"  # POSIX counts west of Greenwich as positive
    posix = f"FGT{sign}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}"
    return posix, timezone(timedelta(minutes=offset))


def seed_history(db_file: Path, tz: timezone, hours: float, *, interval: float = 1.0,
                 switch_every: float = 2.5) -> int:
    """Today's last ``hours`` up to now, sampled every ``interval`` with the window
    switching every ``switch_every`` seconds, recorded through the store as the app
    records; returns the number of events. 8 h gives about 11,500 events."""
    now = time.time()
    start = now - hours * 3600
    db_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with Store(db_file, max_gap=2 * interval, flush_every=3600) as store:
        store.declare(Declaration(at=start - 60, activity="Sales", next_step="call three past customers"))
        t = start
        while t < now - 5:
            title = CYCLE[int((t - start) / switch_every) % len(CYCLE)]
            activity, classification = VERDICTS[title]
            store.record(Classified(Sample(t, "xterm", title, "/usr/bin/xterm", 1), activity, classification))
            t += interval
        store.flush()
        return store.db.execute("SELECT count(*) FROM events").fetchone()[0]


@dataclass(frozen=True)
class Reading:
    """Counters of one process at one instant."""

    at: float
    cpu: float  # seconds on a CPU, the process's own threads summed
    ctx: dict[int, int]  # context switches per thread: how often each woke up, and more

    @classmethod
    def of(cls, pid: int) -> Reading:
        return cls(time.monotonic(), cpu_seconds(pid), context_switches(pid))


def cpu_seconds(pid: int) -> float:
    """Time on a CPU of the process's threads, to the nanosecond (``schedstat``): its
    user + system time in clock ticks (10 ms) moves by one or two ticks in 30 s in one
    window, too coarse to tell 0.03 % from 0.07 %. A thread that ends in between
    drops out, as in ``context_switches``; where the kernel keeps no schedstat, the
    ticks."""
    if not Path(f"/proc/{pid}/schedstat").exists():
        times = psutil.Process(pid).cpu_times()
        return times.user + times.system
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            continue  # a thread that just ended
    return total / 1e9


@dataclass(frozen=True)
class Cost:
    cpu_percent: float
    ctx_per_second: float

    @classmethod
    def between(cls, a: Reading, b: Reading) -> Cost:
        wall = b.at - a.at
        # threads that ended in between are left out; new ones count from zero
        switches = sum(count - a.ctx.get(tid, 0) for tid, count in b.ctx.items())
        return cls(100 * (b.cpu - a.cpu) / wall, switches / wall)


def context_switches(pid: int) -> dict[int, int]:
    """Voluntary and involuntary switches of each of the process's threads."""
    counts: dict[int, int] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            lines = (task / "status").read_text().splitlines()
        except (FileNotFoundError, ProcessLookupError):
            continue  # a thread that just ended
        counts[int(task.name)] = sum(int(line.split()[1]) for line in lines
                                     if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")))
    return counts


def memory_mb(pid: int) -> dict[str, float]:
    """Peak RSS (VmHWM), RSS and its private part, and PSS (each shared page counted
    once across the processes that map it), in MB."""
    figures: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmHWM", "VmRSS", "RssAnon", "RssFile"):
            figures[key] = int(value.split()[0]) / 1024
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        key, _, value = line.partition(":")
        if key == "Pss":
            figures["Pss"] = int(value.split()[0]) / 1024
    return figures


def switch_windows(focus: Callable[[str], object], seconds: float, every: float) -> int:
    """``focus`` the next window of CYCLE every ``every`` seconds (``XDesktop.activate``,
    a Wayland desktop's ``focus``); returns the switches."""
    start = time.monotonic()
    step = 0
    while (now := time.monotonic()) < start + seconds:
        if now >= start + step * every:
            focus(CYCLE[step % len(CYCLE)])
            step += 1
        time.sleep(max(0.0, min(start + step * every, start + seconds) - time.monotonic()))
    return step


def show_and_close_nudge(desktop: XDesktop, interval: float) -> float:
    """Back on the priority past the grace, then on YouTube until the nudge shows;
    back to HubSpot, which closes it. Returns the seconds the nudge took to show."""
    desktop.activate(HUBSPOT)
    time.sleep(2 + 2 * interval)
    switched = time.monotonic()
    desktop.activate(YOUTUBE)
    poll(lambda: nudge_window(desktop), "the nudge", NUDGE_AFTER_SECONDS + 15, every=0.05)
    shown = time.monotonic() - switched
    time.sleep(1.0)
    desktop.activate(HUBSPOT)
    poll(lambda: nudge_window(desktop) is None, "the nudge to close", 15)
    return shown


@contextmanager
def focusguard_running(root: Path, desktop: XDesktop, *, interval: float, seed_hours: float,
                       local_hour: int) -> Iterator[tuple[App, int]]:
    """The app in a private home whose local time is ``local_hour``:00 (before the
    end-of-day summary, due at 17:30, would open by itself), today holding
    ``seed_hours`` of busy history (0: an empty database with only today's priority).
    Yields the running app (first samples taken) and the number of seeded events."""
    home = Home(root, desktop, app_config(interval, NUDGE_AFTER_SECONDS))
    posix, tz = zone_where_it_is(local_hour)
    home.env["TZ"] = posix
    try:
        events = seed_history(home.db_file, tz, seed_hours, interval=interval) if seed_hours else 0
        if not seed_hours:
            home.run("priority", "set", "Sales", "--next", "call three past customers").check_returncode()
        for title in CYCLE:
            if desktop.find_window(title) is None:
                desktop.open_window(title)
        desktop.activate(NOTES)
        app = home.launch()
        app.wait_for_log("started", timeout=60)
        time.sleep(3 * interval)  # the first samples
        yield app, events
    finally:
        home.close()


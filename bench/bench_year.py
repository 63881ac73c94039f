"""A year of FocusGuard data: how big is the database and how fast is a report?

Simulates ``--days`` days (default 365) of 8 active hours (09:00-13:00 and
14:00-18:00 local; the lunch hour is a gap, as when the laptop sleeps) with a
sample every 2 s and a switch between ~50 realistic windows every 40 s, all
through ``Store.record`` exactly as the app records: the app's flush policy (a write
at each change of window, class or declaration, at most once a second, and at least
every 10 s of sample time) on a background writer thread, plus a
declaration and a few answered nudges per day. Then prints the database size and
the time of ``summarize_day`` for one day and for the last 30 days.

Targets: database <= 60 MB, one day <= 50 ms, 30 days <= 300 ms. Prints figures
only; nothing is asserted.

    python bench/bench_year.py [--days 365] [--keep path/to/focusguard.db]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from focusguard.core.model import Answer, Classification, Classified, Declaration, Nudge, Sample
from focusguard.core.summary import summarize_day
from focusguard.core.timefmt import day_bounds
from focusguard.store import Store

SAMPLE_EVERY = 2.0
SWITCH_EVERY = 40.0
ACTIVE_BLOCKS = ((9, 13), (14, 18))  # local hours: 8 active hours a day

P = Classification.PRIORITY
PD = Classification.PRODUCTIVE_DISTRACTION
D = Classification.DISTRACTION
N = Classification.NEUTRAL
U = Classification.UNCLASSIFIED

# (app, title, exe, activity, classification): what a working day's windows look like.
WINDOWS: list[tuple[str, str, str, str | None, Classification]] = [
    *(
        ("code", f"{name} - focusguard - Visual Studio Code", "/usr/share/code/code", "Coding", P)
        for name in ("store.py", "summary.py", "engine.py", "rules.py", "config.py", "test_store.py", "cli.py")
    ),
    *(
        ("firefox", f"{title} — Mozilla Firefox", "/usr/lib/firefox/firefox", "Coding", P)
        for title in (
            "sqlite3 — DB-API 2.0 interface for SQLite databases — Python 3.11 documentation",
            "zoneinfo — IANA time zone support — Python 3.11 documentation",
            "Pull request #42: Store coalescing · focusguard/focusguard · GitHub",
            "Issue #17: DST days are 23 or 25 hours long · focusguard/focusguard",
            "sqlite-utils 4.2 documentation — Python API",
        )
    ),
    *(
        ("gnome-terminal-server", f"dev@laptop: ~/src/focusguard — {cmd}", "/usr/libexec/gnome-terminal", "Coding", P)
        for cmd in ("pytest -q", "git diff", "python bench/bench_year.py", "htop", "man sqlite3")
    ),
    *(
        ("thunderbird", f"{subject} - Inbox - Mozilla Thunderbird", "/usr/lib/thunderbird/thunderbird", "Email", PD)
        for subject in (
            "Re: Q3 planning",
            "Invoice 2026-0412",
            "Your weekly digest",
            "Re: Re: lunch on Friday?",
            "Build failed: main #1289",
            "Meeting notes 2026-05-28",
        )
    ),
    *(
        ("slack", f"{channel} - Acme Corp - Slack", "/usr/lib/slack/slack", "Chat", PD)
        for channel in ("#general", "#dev", "#random", "Anna Schmidt (DM)", "#releases")
    ),
    *(
        ("firefox", f"{title} — Mozilla Firefox", "/usr/lib/firefox/firefox", "Video", D)
        for title in (
            "Lo-fi beats to code to - YouTube",
            "10 SQLite tricks you did not know - YouTube",
            "Hacker News",
            "r/programming - Reddit",
            "Wikipedia - Daylight saving time",
            "The Verge",
            "Twitter / X - Home",
        )
    ),
    *(
        ("libreoffice", f"{doc} - LibreOffice Calc", "/usr/lib/libreoffice/program/soffice.bin", "Admin", PD)
        for doc in ("budget-2026.ods", "timesheet-may.ods", "roadmap.ods")
    ),
    ("nautilus", "focusguard", "/usr/bin/nautilus", None, N),
    ("nautilus", "Downloads", "/usr/bin/nautilus", None, N),
    ("gnome-control-center", "Settings", "/usr/bin/gnome-control-center", None, N),
    ("focusguard", "FocusGuard - Today", "/usr/bin/focusguard", None, N),
    ("keepassxc", "", "", None, Classification.PRIVATE),
    ("spotify", "Spotify Premium", "/usr/share/spotify/spotify", None, U),
    ("gimp", "[screenshot] (imported)-1.0 (RGB color 8-bit, 1 layer) 1920x1080 – GIMP", "/usr/bin/gimp", None, U),
    ("zoom", "Zoom Meeting", "/opt/zoom/zoom", None, U),
    ("evince", "sqlite-file-format.pdf — Document Viewer", "/usr/bin/evince", "Coding", P),
    ("obsidian", "daily/2026-05-28 - notes - Obsidian", "/opt/obsidian/obsidian", None, U),
]
WEIGHTS = [{P: 6, PD: 2, D: 1}.get(w[4], 1) for w in WINDOWS]


def simulate(store: Store, first_day: date, days: int, rng: random.Random) -> int:
    """Feed ``days`` days of samples through Store.record; return how many."""
    count = 0
    for n in range(days):
        day = first_day + timedelta(days=n)
        midnight = day_bounds(day)[0]
        store.declare(Declaration(midnight + 8.5 * 3600, "Coding", "finish the store"))
        for begin, end in ACTIVE_BLOCKS:
            t, stop = midnight + begin * 3600, midnight + end * 3600
            window = rng.choices(WINDOWS, WEIGHTS)[0]
            next_switch = t + SWITCH_EVERY
            while t < stop:
                if t >= next_switch:
                    window = rng.choices(WINDOWS, WEIGHTS)[0]
                    next_switch += SWITCH_EVERY
                app, title, exe, activity, classification = window
                store.record(Classified(Sample(t, app, title, exe), activity, classification))
                count += 1
                t += SAMPLE_EVERY
        for k in range(rng.randint(2, 6)):
            at = midnight + rng.uniform(9, 18) * 3600
            nudge_id = store.add_nudge(Nudge(at, "Video", D, 300.0, 300.0, 1 + k % 3, "firefox", "Hacker News"))
            store.answer_nudge(nudge_id, rng.choice(list(Answer)), at + 8)
    store.flush()
    return count


def timed(fn, repeat: int, before=None) -> tuple[float, float]:
    """(best, median) wall time in milliseconds; ``before()``, if given, runs ahead of
    each run, untimed (to set up the case each run meets)."""
    runs = []
    for _ in range(repeat):
        if before is not None:
            before()
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return min(runs), statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--keep", type=Path, help="write the database here instead of a temporary directory")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "focusguard.db"
        last_day = date.today() - timedelta(days=1)
        first_day = last_day - timedelta(days=args.days - 1)
        print(f"simulating {args.days} days ({first_day} .. {last_day}), {len(WINDOWS)} windows,")
        print(f"a sample every {SAMPLE_EVERY:g} s, a switch every {SWITCH_EVERY:g} s,", end=" ")
        print("all through Store.record as the app records (10 s flush, background writer)")
        start = time.perf_counter()
        with Store(path, max_gap=2 * SAMPLE_EVERY, flush_every=10.0, background=True) as store:
            samples = simulate(store, first_day, args.days, random.Random(2026))
        elapsed = time.perf_counter() - start  # closing waits for the writer to finish
        with Store(path) as store:
            events = store.db.execute("SELECT COUNT(*) FROM events").fetchone()[0]
            store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        per_sample = elapsed / samples * 1e6
        print(f"recorded {samples:,} samples into {events:,} events in {elapsed:.1f} s ({per_sample:.1f} us/sample)")
        size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
        print(f"database size: {size / 1e6:.1f} MB (target <= 60 MB)")

        with Store(path) as store:  # a fresh connection, like the CLI's
            one_day = timed(lambda: summarize_day(store, last_day), repeat=20)
            old = first_day + timedelta(days=10)
            old_day = timed(lambda: summarize_day(store, old), repeat=20)
            month = [last_day - timedelta(days=n) for n in range(30)]
            thirty = timed(lambda: [summarize_day(store, d) for d in month], repeat=5)
            summary = summarize_day(store, last_day)
        for label, (best, median), target in (
            (f"summarize_day {last_day} (yesterday)", one_day, " (target <= 50 ms)"),
            (f"summarize_day {old} (old)", old_day, ""),
            ("summarize_day x the last 30 days", thirty, " (target <= 300 ms)"),
        ):
            print(f"{label:38} best {best:6.1f} ms, median {median:6.1f} ms{target}")
        print(
            f"yesterday: {len(summary.timeline)} segments, focus ratio {summary.focus_ratio:.2f}, "
            f"longest streak {summary.longest_priority_streak_seconds / 60:.1f} min"
        )


if __name__ == "__main__":
    main()

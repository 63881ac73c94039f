"""How fast do the end-of-day popup and the 30-day review open on a year of data?

Uses the year that ``bench_year.py`` simulates (365 days of 8 active hours, a sample
every 2 s through ``Store.record``; about 250,000 events) -- or an existing database
given with ``--db`` (e.g. one kept with ``bench_year.py --keep``). Then, on Qt's
offscreen platform, times from nothing to a painted window (construct, load the
figures, render every widget once with ``grab()``):

- the popup for yesterday, a new window each time and the one window shown again
  (what "Today so far" does), and the core's ``day_figures`` alone (today and the 7
  days before it);
- the 30-day review, and the core's ``summarize_range`` of 30 days alone.

Targets: popup <= 300 ms, review <= 500 ms. Prints figures only; nothing is asserted.

    python bench/bench_summary.py [--days 365] [--db path/to/focusguard.db] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")  # offscreen has no raise(): say nothing

from bench_year import simulate, timed

from focusguard.core import figures
from focusguard.store import Store
from focusguard.ui.qt import QtWidgets
from focusguard.ui.review_window import ReviewWindow
from focusguard.ui.summary_window import SummaryWindow

ACTIVITIES = ["Coding", "Email", "Chat", "Video", "Admin"]


def year_database(path: Path, days: int) -> None:
    last = date.today() - timedelta(days=1)
    print(f"simulating {days} days up to {last} (bench_year.simulate) ...", flush=True)
    with Store(path, max_gap=4.0, flush_every=10.0) as store:
        samples = simulate(store, last - timedelta(days=days - 1), days, random.Random(2026))
    print(f"recorded {samples:,} samples")


def measure(path: Path, repeat: int) -> None:
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    yesterday = date.today() - timedelta(days=1)
    first, last = figures.review_period(date.today())
    with Store(path) as store:  # a fresh connection, as the app's
        events = store.db.execute("SELECT COUNT(*) FROM events").fetchone()[0]
        print(f"database: {path} ({path.stat().st_size / 1e6:.1f} MB, {events:,} events)")
        windows: list[QtWidgets.QWidget] = []

        def open_popup() -> None:
            window = SummaryWindow(store, activities=ACTIVITIES)
            window.show_day(yesterday, activate=False)
            window.grab()
            windows.append(window)

        shown = SummaryWindow(store, activities=ACTIVITIES)

        def reopen_popup() -> None:
            shown.show_day(yesterday, activate=False)
            shown.grab()

        def open_review() -> None:
            window = ReviewWindow(store)
            window.show_period(first, last, activate=False)
            window.grab()
            windows.append(window)

        rows = [
            ("popup: new window, painted", timed(open_popup, repeat), " (target <= 300 ms)"),
            ("popup: shown again, painted", timed(reopen_popup, repeat), ""),
            ("  core: day_figures (day + 7 before)", timed(lambda: figures.day_figures(store, yesterday), repeat), ""),
            ("review: new window, painted", timed(open_review, repeat), " (target <= 500 ms)"),
            ("  core: summarize_range 30 days", timed(lambda: figures.summarize_range(store, first, last), repeat), ""),
        ]
        for label, (best, median), target in rows:
            print(f"{label:38} best {best:6.1f} ms, median {median:6.1f} ms{target}")
        for window in (*windows, shown):
            window.close()
            window.deleteLater()
        app.processEvents()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--db", type=Path, help="an existing database (skips the simulation)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if args.db is not None:
        if not args.db.exists():
            parser.error(f"no database at {args.db}")
        measure(args.db, args.repeat)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "focusguard.db"
        year_database(path, args.days)
        measure(path, args.repeat)


if __name__ == "__main__":
    main()

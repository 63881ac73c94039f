"""Five computers with a year each: how big is the sync folder, how fast is the merge and the report?

Every device has ``--days`` days (default 365) of the ``bench_year.py`` day: 8 active
hours (09:00-13:00, 14:00-18:00 local), a switch between its ~50 windows every 40 s
(coalesced into events as the store does), a declaration and a few answered nudges --
and the edited items that travel too: three answered calls, two focus block verdicts
and a delegation a day.
All five are active at the same hours -- the worst case for the merge, which has
to decide every moment between five devices.

Device 0 is "this computer": its history is in its own database and published with
``SyncEngine.publish`` (the first publish of a whole year, then an incremental one).
Devices 1-4 write their day files with the same format. Then device 0 merges: all
the files at once (a first sync), then one new day file per device (what the app's
background thread does every few minutes). Last, the merged view's report: one day
and 30 days, both the figures alone (``day_figures`` and ``summarize_range`` on
``MergedLog``, computed: nothing kept) and the whole of ``focusguard report --json``
run in this process (two focus blocks a day judged, calls, plan and the devices' shares too; the
interpreter's start left out). A report keeps each finished day it computed
(``focusguard.day_cache``) and reads it back while nothing it depends on changed,
so ``report`` is timed three ways: the first one, nothing kept yet (every kept day
thrown away before each run: what the first report after an upgrade meets); the
first one after a merge that changed the reported day (another device's file for it
published again with other events: what a user meets after a sync); and again,
where the targets are met.

Targets: ``report`` for one day <= 50 ms, for 30 days <= 300 ms. Prints figures only.

    python bench/bench_sync.py [--days 365] [--devices 5]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_year import ACTIVE_BLOCKS, SWITCH_EVERY, WEIGHTS, WINDOWS, timed

from focusguard import cli
from focusguard.core import merge_records as mr
from focusguard.core import sync_format as fmt
from focusguard.core.figures import day_figures, summarize_range
from focusguard.core.model import Answer, Classification, Declaration, Event, NudgeRecord
from focusguard.core.summary import summarize_day
from focusguard.core.timefmt import day_bounds
from focusguard.store import Store
from focusguard.store_sync import MergedLog
from focusguard.sync import SyncEngine, utc_day
from focusguard.syncfolder import DEVICE_FILE, Identity, day_path, identity_path, save_identity, write_whole


def day_history(day: date, rng: random.Random) -> tuple[list[Event], Declaration, list[NudgeRecord]]:
    """One bench_year day as the store would hold it: coalesced events, a declaration, nudges."""
    midnight = day_bounds(day)[0]
    events: list[Event] = []
    for begin, end in ACTIVE_BLOCKS:
        t, stop = midnight + begin * 3600, midnight + end * 3600
        while t < stop:
            app, title, exe, activity, classification = rng.choices(WINDOWS, WEIGHTS)[0]
            last = events[-1] if events else None
            if last is not None and last.end == t and (last.app, last.title) == (app, title):
                events[-1] = Event(0, last.start, t + SWITCH_EVERY, app, title, exe, activity, classification)
            else:
                events.append(Event(0, t, t + SWITCH_EVERY, app, title, exe, activity, classification))
            t += SWITCH_EVERY
    nudges = []
    for k in range(rng.randint(2, 6)):
        at = midnight + rng.uniform(9, 18) * 3600
        nudges.append(NudgeRecord(k + 1, at, "Video", Classification.DISTRACTION, 300.0, 1 + k % 3, "firefox",
                                  "Hacker News", rng.choice(list(Answer)), at + 8, 300.0))
    return events, Declaration(midnight + 8.5 * 3600, "Coding", "finish the store"), nudges


def day_items(day: date, rng: random.Random) -> list[tuple[str, dict]]:
    """One day's edited items (kind, fields): three answered calls, two block verdicts, a delegation."""
    midnight = day_bounds(day)[0]
    items: list[tuple[str, dict]] = []
    for k in range(3):
        start = midnight + rng.uniform(9, 17) * 3600
        items.append((mr.CALL, {"start": start, "end": start + 1800, "app": "zoom", "title": f"Call {k}",
                                "call_kind": rng.choice(["value", "chill"]), "note": "send the quote",
                                "answered_at": start + 1900, "followup_done_at": None}))
    for begin in (9, 14):
        items.append((mr.BLOCK_VERDICT, {"block": "deep work", "day": day.isoformat(), "start": midnight + begin * 3600,
                                         "end": midnight + (begin + 1) * 3600, "status": "kept",
                                         "activity_seconds": 3000.0, "active_seconds": 3400.0,
                                         "at": midnight + (begin + 1) * 3600}))
    items.append((mr.DELEGATION, {"at": midnight + 11 * 3600, "activity": "Video", "app": "firefox",
                                  "title": "Invoices - Mail", "seconds": 240.0, "note": "to Sam"}))
    return items


def fill_database(store: Store, days: list[date], rng: random.Random) -> int:
    """A year in this device's database, written in bulk (bench_year times Store.record itself)."""
    count = 0
    with store.db.atomic():
        for day in days:
            events, declaration, nudges = day_history(day, rng)
            store.db.conn.executemany(
                'INSERT INTO events (start, "end", app, title, exe, activity, classification) '
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(e.start, e.end, e.app, e.title, e.exe, e.activity, e.classification.value) for e in events])
            store.db.execute("INSERT INTO declarations (at, activity, next_step) VALUES (?, ?, ?)",
                             (declaration.at, declaration.activity, declaration.next_step))
            store.db.conn.executemany(
                "INSERT INTO nudges (at, activity, classification, streak_seconds, distraction_seconds, level, "
                "app, title, answer, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(n.at, n.activity, n.classification.value, n.streak_seconds, n.distraction_seconds, n.level,
                  n.app, n.title, n.answer.value if n.answer else None, n.answered_at) for n in nudges])
            changed_at = day_bounds(day)[1] - 600  # edited late that day; the triggers give each its uid
            for kind, fields in day_items(day, rng):
                values = {**fields, "changed_at": changed_at}
                if kind == mr.CALL:
                    store.db.execute('INSERT INTO calls (start, "end", app, title, kind, note, answered_at, '
                                     "changed_at) "
                                     "VALUES (:start, :end, :app, :title, :call_kind, :note, :answered_at, "
                                     ":changed_at)", values)
                elif kind == mr.BLOCK_VERDICT:
                    store.db.execute('INSERT INTO block_verdicts (block, day, start, "end", status, activity_seconds, '
                                     "active_seconds, at, changed_at) VALUES (:block, :day, :start, :end, :status, "
                                     ":activity_seconds, :active_seconds, :at, :changed_at)", values)
                else:
                    store.db.execute("INSERT INTO delegations (at, activity, app, title, seconds, note, changed_at) "
                                     "VALUES (:at, :activity, :app, :title, :seconds, :note, :changed_at)", values)
            count += len(events)
        store.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('events.longest_seconds', '3600.0')")
    return count


def write_device(folder: Path, identity: Identity, days: list[date], rng: random.Random) -> None:
    """Another device's day files, as its SyncEngine.publish writes them (UTC days)."""
    by_day: dict[date, list[dict]] = {}
    for day in days:
        events, declaration, nudges = day_history(day, rng)
        changed_at = day_bounds(day)[1] - 600  # edited late that day
        items = [fmt.item_record(kind, f"{identity.id[:16]}{rng.getrandbits(64):016x}", changed_at, fields)
                 for kind, fields in day_items(day, rng)]
        for record, t in ([(fmt.event_record(e), e.start) for e in events]
                          + [(fmt.declaration_record(declaration), declaration.at)]
                          + [(fmt.nudge_record(n), n.at) for n in nudges]
                          + [(item, changed_at) for item in items]):
            by_day.setdefault(utc_day(t), []).append(record)
    for day, records in by_day.items():
        write_whole(day_path(folder, identity.id, day), fmt.encode_day(identity.id, identity.name, day, time.time(),
                                                                       records))
    write_whole(folder / identity.id / DEVICE_FILE, fmt.encode_device(identity.id, identity.name, time.time()))


def forget_kept_days(db: Path) -> None:
    """Every kept day thrown away: the next report computes them all, as the first did."""
    with Store(db) as store:
        store.db.execute("DELETE FROM day_cache")
        store.db.commit()


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


#: The report's config: the day's activity, and the two focus blocks the days' verdicts are about.
CONFIG = """[[activity]]
name = "Coding"
kind = "productive"

[[focus_block]]
name = "deep work"
activity = "Coding"
days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
start = "09:00"
end = "10:00"

[[focus_block]]
name = "deep work pm"
activity = "Coding"
days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
start = "14:00"
end = "15:00"
"""


def report(db: Path, *when: str) -> None:
    """``focusguard report --json`` in this process (the interpreter's start left out):
    every part of the report, blocks, calls and the devices' shares included."""
    with contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(["--db", str(db), "--config", str(db.parent / "config.toml"), "report", "--json", *when])
    if code != 0:
        raise SystemExit(f"report {' '.join(when)} failed with exit code {code}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--devices", type=int, default=5)
    args = parser.parse_args()
    new_day = date.today() - timedelta(days=1)  # yesterday: added last, after a first sync
    days = [new_day - timedelta(days=n) for n in range(args.days, 0, -1)]
    clock = [day_bounds(new_day)[0]]  # the devices' clock: the first sync on yesterday's morning
    identities = [Identity(f"{n + 1:032x}", f"device {n}") for n in range(args.devices)]

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "Sync"
        me = identities[0]
        with Store(Path(tmp) / "me" / "focusguard.db") as store:
            events = fill_database(store, days, random.Random(0))
            engine = SyncEngine(store, folder, me, clock=lambda: clock[0])
            print(f"{args.devices} devices x {args.days} days of the bench_year day, all active at the same hours; "
                  f"this device: {events:,} events")
            start = time.perf_counter()
            written = engine.publish()
            print(f"first publish of this device's year: {written} day files in {time.perf_counter() - start:.1f} s")
            for n, other in enumerate(identities[1:], start=1):
                write_device(folder, other, days, random.Random(n))
            size = folder_bytes(folder / me.id)
            print(f"folder size per device-year: {size / 1e6:.2f} MB ({size / len(days) / 1e3:.1f} kB a day)")

            start = time.perf_counter()
            merged, problems, applied = engine.merge()
            print(f"first merge of {args.devices - 1} devices' years: {merged} files, {applied:,} edited items, in "
                  f"{time.perf_counter() - start:.1f} s ({len(problems)} problems)")

            clock[0] = day_bounds(new_day)[1]  # the end of yesterday: the next sync
            fill_database(store, [new_day], random.Random(99))
            for n, other in enumerate(identities[1:], start=1):
                write_device(folder, other, [new_day], random.Random(100 + n))
            start = time.perf_counter()
            written = engine.publish()
            merged, _, _ = engine.merge()
            print(f"a new day on every device: publish ({written} files) + merge ({merged} files) in "
                  f"{(time.perf_counter() - start) * 1000:.0f} ms, on the sync thread")
            start = time.perf_counter()
            merged, _, _ = engine.merge()
            print(f"a merge with nothing new: {(time.perf_counter() - start) * 1000:.0f} ms")

        db = Path(tmp) / "me" / "focusguard.db"
        save_identity(identity_path(db), me)  # the CLI's merged view is this device's
        (db.parent / "config.toml").write_text(CONFIG)  # focus blocks judged too
        first, last = new_day - timedelta(days=29), new_day

        def one_day() -> None:
            report(db, "--date", str(new_day))

        def thirty_days() -> None:
            report(db, "--range", f"{first}:{last}")

        seed = iter(range(200, 300))

        def published_again() -> None:
            """Another device publishes the reported day again (other events), merged here."""
            write_device(folder, identities[1], [new_day], random.Random(next(seed)))
            with Store(db) as store:
                SyncEngine(store, folder, me, clock=lambda: clock[0]).merge()

        cold_one = timed(one_day, repeat=3, before=lambda: forget_kept_days(db))
        cold_thirty = timed(thirty_days, repeat=3, before=lambda: forget_kept_days(db))
        thirty_days()  # the month kept
        merged_one = timed(one_day, repeat=3, before=published_again)
        merged_thirty = timed(thirty_days, repeat=3, before=published_again)
        cli_one = timed(one_day, repeat=5)
        cli_thirty = timed(thirty_days, repeat=5)
        with Store(db) as store:  # a fresh connection, like the CLI's
            view = MergedLog(store, me.id, me.name, clock=lambda: clock[0])
            one = timed(lambda: summarize_day(view, new_day), repeat=10)
            figures_one = timed(lambda: day_figures(view, new_day), repeat=5)
            thirty = timed(lambda: summarize_range(view, first, last), repeat=3)
            local = timed(lambda: summarize_range(store, first, last), repeat=3)
            figures = day_figures(view, new_day)
            per_device = view.device_breakdown(new_day)
        for label, (best, median), target in (
            (f"summarize_day {new_day} (merged, {args.devices} devices)", one, ""),
            ("day_figures (the day + its 7-day average)", figures_one, ""),
            ("`report --json` for that day, nothing kept", cold_one, ""),
            ("  the first after a merge changed that day", merged_one, ""),
            ("  again (the days kept)", cli_one, "(target <= 50 ms)"),
            ("summarize_range, the last 30 days (merged)", thirty, ""),
            ("`report --json --range` 30 days, nothing kept", cold_thirty, ""),
            ("  the first after a merge changed the last day", merged_thirty, ""),
            ("  again (the days kept)", cli_thirty, "(target <= 300 ms)"),
            ("the same 30 days, this device alone", local, ""),
        ):
            print(f"{label:46} best {best:7.1f} ms, median {median:7.1f} ms {target}")
        shares = ", ".join(f"{t.name} {sum(t.seconds.values()) / 3600:.1f} h" for t in per_device)
        print(f"the merged day: {len(figures.summary.timeline)} segments, {shares}")


if __name__ == "__main__":
    main()

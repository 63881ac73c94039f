"""Finished days' summaries kept in the database, used only while their inputs are unchanged.

A report reads each of its days merged from every computer's history (issue 16):
for a 30-day report that is a month of five computers' events merged, call-counted
and clipped again on every run. A day that is over only changes when its inputs
do, so each finished day's ``DaySummary`` is kept (table ``day_cache``, migration
009, ``day_cache_schema``) beside a stamp of its inputs (``core.day_cache.stamp``),
and read back while the stamp taken now is the same (its declarations and nudges
read fresh), with each device's share of the merged day. The stamp is taken from what the figures read:

* this device's events that can reach the day (``Store.events``' own range: starts
  from the longest event's length before the day): their count, newest id and the
  sums of their starts and ends (a row's end is all that ever changes in place; a
  row deleted or added changes the count or the sums);
* the other devices' events that can reach it: per merged file they came from, the
  file's checksum (its content decides its rows) and the rows' count, first and
  last id;
* the day's declarations in full, and its answered calls as they count now (the
  call pieces: the config's chill-call times, ``calls_count_as_priority`` and the
  priority of each call's moment already applied);
* the merging device's id, the streaks' gap, the day's bounds and hour edges (the
  time zone) and ``core.day_cache.VERSION``.

So nothing can make a kept day stale short of a change of the code that computes
it without a bump of VERSION. A day not over yet, or one whose time the store still
holds in memory unwritten, is never kept nor read back. The stamp is taken before
the day is computed, and the day is kept only if nothing was committed to the file
meanwhile (``Store.file_version``) or the stamp taken again agrees (a merge that
commits meanwhile is not written under the older stamp). Writes are
``Store.write_soon``: on the CLI's connection at once, on the app's writer thread
(never its GUI thread) in the app.
"""

from __future__ import annotations

import json
import time
import zlib
from collections.abc import Callable, Sequence
from datetime import date, tzinfo

from focusguard.core import day_cache as kept
from focusguard.core.call_figures import Segment as CallPiece
from focusguard.core.summary import DaySummary, DayTotals
from focusguard.core.timefmt import day_bounds
from focusguard.sqlitedb import Database
from focusguard.store import Store
from focusguard.store_sync import LocalStore, MergedLog

#: Seconds by classification value, by device id: a merged day's shares (``core.merge.device_seconds``).
Shares = dict[str, dict[str, float]]
#: What computing a day gives: its summary, and its devices' shares (None: no merged view).
Computed = tuple[DaySummary, Shares | None]


class DayCache:
    """The kept days of ``store``, as ``log`` (the store, or its merged view) with the
    answered calls of ``pieces(start, end)`` gives them. ``clock`` is the caller's."""

    def __init__(self, store: Store, log: LocalStore | MergedLog,
                 pieces: Callable[[float, float], Sequence[CallPiece]],
                 clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.log = log
        self.pieces = pieces
        self.clock = clock

    def summary(self, day: date, tz: tzinfo | None, compute: Callable[[], Computed]) -> DaySummary | None:
        """``day``'s summary, kept or from ``compute()`` (and then kept); None for a day
        that cannot be kept (not over, or partly in memory): the caller computes it."""
        found = self._find(day, tz, "summary", compute)
        if found is None or isinstance(found, tuple):
            return None if found is None else found[0]
        start, end = day_bounds(day, tz)
        return kept.decode(zlib.decompress(found).decode(), day, self.log.declarations(start, end),
                           self.log.nudges(start, end))

    def totals(self, day: date, tz: tzinfo | None, compute: Callable[[], Computed]) -> DayTotals | None:
        """``day``'s seconds by class (the week's average reads only these), as ``summary``."""
        found = self._find(day, tz, "seconds", compute)
        if found is None:
            return None
        return DayTotals(day, found[0].seconds if isinstance(found, tuple) else json.loads(found)["seconds"])

    def shares(self, day: date, tz: tzinfo | None, compute: Callable[[], Computed]) -> Shares | None:
        """Each device's seconds of the merged day by device id, as ``summary``; None
        also when the log is no merged view."""
        found = self._find(day, tz, "seconds", compute)
        if found is None:
            return None
        shares: Shares | None = found[1] if isinstance(found, tuple) else json.loads(found)["devices"]
        return shares

    def _find(self, day: date, tz: tzinfo | None, column: str,
              compute: Callable[[], Computed]) -> bytes | Computed | None:
        """The kept ``column`` of the day while its stamp holds, else the day computed
        (and kept); None for a day that cannot be kept."""
        start, end = day_bounds(day, tz)
        # Past the merged view's clock too: it leaves out what starts after its now.
        if not kept.finished(end, min(self.clock(), time.time())):
            return None
        before = self.stamp(day, tz, start, end)
        if before is None:
            return None
        row = self.store.db.execute(f"SELECT stamp, {column} FROM day_cache WHERE day = ? AND start = ?",
                                    (day.isoformat(), start)).fetchone()
        if row is not None and row[0] == before:
            value = row[1]  # the summary compressed, the seconds and shares as text
            return value if isinstance(value, bytes) else str(value).encode()
        version = self.store.file_version()
        computed = compute()
        # Kept only if nothing was committed meanwhile: the file says so at the cost of a
        # stat; when it changed (a merge, a write of the app's), the stamp says it again.
        if (self.store.file_version() == version and not self.store.holds(start, end)) \
                or self.stamp(day, tz, start, end) == before:
            self._keep(day, start, before, computed)
        return computed

    def stamp(self, day: date, tz: tzinfo | None, start: float, end: float) -> str | None:
        """The stamp of the day's inputs now (see the module docstring); None while the
        store holds some of its time in memory."""
        lowest = start - self.store.longest_event()
        if self.store.holds(lowest, end):
            return None
        db = self.store.db
        # Times summed from the range's start: small numbers, so a change of a
        # microsecond still shows in the sum (summed whole, it could round away).
        events = [lowest, *db.execute(
            'SELECT count(*), max(id), total(start - ?), total("end" - ?) FROM events WHERE start >= ? AND start < ?',
            (lowest, lowest, lowest, end)).fetchone()]
        synced: list[object] = []
        if isinstance(self.log, MergedLog):
            reach = start - self.log.tables.longest()
            synced = [reach, *map(list, db.execute(
                "SELECT g.file, f.sha256, g.rows, g.first, g.last FROM (SELECT file, count(*) AS rows, "
                "min(id) AS first, max(id) AS last FROM sync_events WHERE start >= ? AND start < ? GROUP BY file) g "
                "LEFT JOIN sync_files f ON f.path = g.file ORDER BY g.file", (reach, end)))]
        calls = [[p.start, p.end, p.classification.value, p.activity, p.call.app, p.call.title]
                 for p in self.pieces(start, end)]
        return kept.stamp(day, tz, kept.DayInputs(
            view=self.log.device if isinstance(self.log, MergedLog) else "", max_gap=self.log.max_gap,
            declarations=self.log.declarations(start, end), calls=calls, events=events, synced=synced))

    def _keep(self, day: date, start: float, stamp: str, computed: Computed) -> None:
        summary, shares = computed
        # Compressed: a day's timeline is some 75 kB of JSON, a ninth of that compressed
        # (in a fraction of a millisecond), and a year of reports keeps a year of days.
        row = (day.isoformat(), start, stamp, json.dumps({"seconds": summary.seconds, "devices": shares}),
               zlib.compress(kept.encode(summary).encode(), 1), time.time())

        def job(db: Database) -> None:
            with db.atomic():
                db.execute("INSERT OR REPLACE INTO day_cache (day, start, stamp, seconds, summary, kept_at) "
                           "VALUES (?, ?, ?, ?, ?, ?)", row)

        self.store.write_soon(job)

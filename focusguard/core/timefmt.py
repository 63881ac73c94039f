"""Local time for people: local days, clock times, ISO stamps and durations, one way each.

Inside the core, times are POSIX timestamps; a local date or a wall-clock time
appears only where a person reads it. Every helper takes the time zone the caller
was given (``tz=None`` is the system's zone), so an injected zone (the tests, the
benchmarks' Berlin) is never mixed with the machine's own.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo


def local(ts: float, tz: tzinfo | None = None) -> datetime:
    """``ts`` on the wall clock of ``tz`` (None: the system zone)."""
    return datetime.fromtimestamp(ts, tz)


def local_date(ts: float, tz: tzinfo | None = None) -> date:
    """The local calendar day ``ts`` falls on."""
    return datetime.fromtimestamp(ts, tz).date()


class LocalDays:
    """``local_date`` for a clock that moves forward: the app asks it several times a
    sample, all day, and the answer changes once a day. The current day's bounds are
    kept, so a time inside them is answered without asking the zone (issue 10)."""

    def __init__(self, tz: tzinfo | None = None) -> None:
        self.tz = tz
        self._start, self._end, self._day = 0.0, 0.0, date.min

    def date_of(self, ts: float) -> date:
        if self._start <= ts < self._end:
            return self._day
        self._day = local_date(ts, self.tz)
        self._start, self._end = day_bounds(self._day, self.tz)
        return self._day


def day_bounds(day: date, tz: tzinfo | None = None) -> tuple[float, float]:
    """[local midnight, next local midnight) of ``day`` as POSIX times.

    Days can be 23 or 25 hours long: each midnight is asked of the zone's rules
    instead of adding 24 hours. ``tz=None`` is the system's local zone through the
    C library (a naive datetime's ``timestamp()``), which applies the offset valid
    on that date, unlike a fixed tzinfo taken from ``datetime.now().astimezone()``."""
    return midnight(day, tz), midnight(day + timedelta(days=1), tz)


def midnight(day: date, tz: tzinfo | None = None) -> float:
    """The POSIX time ``day`` begins in ``tz``."""
    return datetime(day.year, day.month, day.day, tzinfo=tz).timestamp()


def clock(ts: float, tz: tzinfo | None = None) -> str:
    """'09:05': the wall-clock time of ``ts`` in ``tz``, as every window and report writes it."""
    return f"{datetime.fromtimestamp(ts, tz):%H:%M}"


def iso(ts: float, tz: tzinfo | None = None) -> str:
    """``ts`` as ISO 8601 with the UTC offset valid at that instant in ``tz`` (None:
    the system zone), to the second: '2026-06-01T09:05:00+02:00'."""
    return datetime.fromtimestamp(ts, UTC).astimezone(tz).isoformat(timespec="seconds")


def duration(seconds: float) -> str:
    """'45 s' under a minute, '17 min', '1 h', '2 h 05 min': whole minutes, hours once
    there are any, the minutes padded after them. Seconds under a minute, so an early
    day never reads "1 min on the priority" beside "Longest priority streak: 0 min"
    (31 s and 29 s); rounding is to the nearest, so a larger duration never reads
    smaller. The reports, the windows and the nudge all say durations this way."""
    seconds = max(seconds, 0.0)
    if seconds < 59.5:
        whole = round(seconds)
        return f"{whole} s" if whole else "0 min"
    hours, minutes = divmod(round(seconds / 60), 60)
    if not hours:
        return f"{minutes} min"
    return f"{hours} h" if not minutes else f"{hours} h {minutes:02d} min"

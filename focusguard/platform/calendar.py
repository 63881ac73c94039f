"""Meetings from a local calendar file (issue 15): an event with other attendees marks a call.

``[calls] calendar_file`` names an .ics file on disk (exported, or kept in step by
the user's calendar app: FocusGuard never fetches anything). Events with at least
one attendee besides the organizer are meetings; while one runs it is a call
signal like a recording microphone, and its summary names the call. All-day and
cancelled events are not meetings. Recurring events are expanded
(``recurring_ical_events``), parsing is ``icalendar``'s; both load only when a
calendar file is set.

:class:`CalendarFile` keeps the meetings of the days around now and reads the file
again when it changes or the day moves on, on a thread of its own (a calendar of
years takes a second or more to parse); until then it answers from what it has.
A missing or broken file is said once (``why``) and means "no meeting".
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from focusguard.core.timefmt import day_bounds, local_date

log = logging.getLogger(__name__)

#: Calendar files larger than this are refused (a real one is a few megabytes at most).
MAX_CALENDAR_BYTES = 32 * 1024 * 1024


class CalendarError(Exception):
    """The calendar file cannot be read; the message says why."""


@dataclass(frozen=True)
class Meeting:
    start: float
    end: float
    summary: str


def _address(value: object) -> str:
    return str(value).strip().lower().removeprefix("mailto:")


def _is_meeting(event: Any) -> bool:
    """Other people are invited: an attendee who is not the organizer."""
    if str(event.get("STATUS", "")).upper() == "CANCELLED":
        return False
    attendees = event.get("ATTENDEE") or []
    if not isinstance(attendees, list):
        attendees = [attendees]
    organizer = _address(event.get("ORGANIZER", ""))
    return any(_address(a) and _address(a) != organizer for a in attendees)


def _timestamp(value: object, tz: tzinfo | None) -> float | None:
    """A DTSTART/DTEND as POSIX time; None for an all-day date. Floating times are local."""
    if not isinstance(value, datetime):
        return None
    return (value if value.tzinfo is not None else value.replace(tzinfo=tz)).timestamp()


def meetings(data: bytes, start: float, end: float, tz: tzinfo | None = None) -> list[Meeting]:
    """The meetings of an .ics text overlapping [start, end), by start. Raises CalendarError."""
    import icalendar
    import recurring_ical_events

    try:
        calendar = icalendar.Calendar.from_ical(data)
        found = recurring_ical_events.of(calendar).between(datetime.fromtimestamp(start, UTC),
                                                           datetime.fromtimestamp(end, UTC))
    except Exception as err:  # the libraries raise ValueError, KeyError and their own: all mean "broken"
        raise CalendarError(f"it is not a calendar FocusGuard can read ({type(err).__name__}: {err})") from err
    out = []
    for event in found:
        if not _is_meeting(event):
            continue
        begin = _timestamp(event.decoded("DTSTART"), tz)
        finish = _timestamp(event.decoded("DTEND"), tz) if "DTEND" in event else None
        if begin is None or finish is None or finish <= begin:
            continue
        out.append(Meeting(begin, finish, " ".join(str(event.get("SUMMARY", "")).split()) or "Meeting"))
    return sorted(out, key=lambda m: m.start)


class CalendarFile:
    """The meetings of ``path`` around now. ``background`` False reads on the caller's
    thread (tests)."""

    def __init__(self, path: Path, *, tz: tzinfo | None = None, background: bool = True,
                 stat: Callable[[Path], float] = lambda p: p.stat().st_mtime) -> None:
        self.path = path
        self.tz = tz
        self.why: str | None = None
        self._background = background
        self._stat = stat
        self._loaded: tuple[float | None, date, tuple[Meeting, ...]] | None = None  # (mtime, day, meetings)
        self._reading = False
        self._lock = threading.Lock()

    def meeting_at(self, at: float) -> Meeting | None:
        """The meeting running at ``at``, from what has been read so far."""
        day = local_date(at, self.tz)
        try:
            mtime: float | None = self._stat(self.path)
        except OSError as err:
            self._say(f"{self.path}: {err.strerror or err}")
            mtime = None
        loaded = self._loaded
        if mtime is not None and (loaded is None or loaded[0] != mtime or loaded[1] != day):
            self._read(mtime, day)
            loaded = self._loaded
        if loaded is None or mtime is None:
            return None
        return next((m for m in loaded[2] if m.start <= at < m.end), None)

    def _read(self, mtime: float, day: date) -> None:
        with self._lock:
            if self._reading:
                return
            self._reading = True
        if self._background:
            threading.Thread(target=self._load, args=(mtime, day), name="calendar", daemon=True).start()
        else:
            self._load(mtime, day)

    def _load(self, mtime: float, day: date) -> None:
        """Reads the meetings of ``day`` and the days beside it (a call across midnight)."""
        try:
            start = day_bounds(day - timedelta(days=1), self.tz)[0]
            end = day_bounds(day + timedelta(days=1), self.tz)[1]
            with open(self.path, "rb") as handle:
                data = handle.read(MAX_CALENDAR_BYTES + 1)
            if len(data) > MAX_CALENDAR_BYTES:
                raise CalendarError(f"it is larger than {MAX_CALENDAR_BYTES // 1024 // 1024} MiB")
            found = tuple(meetings(data, start, end, self.tz))
        except (OSError, CalendarError) as err:
            self._say(f"{self.path}: {getattr(err, 'strerror', None) or err}")
            found = ()
        else:
            if self.why is not None:
                log.info("calendar %s read again", self.path)
            self.why = None
        self._loaded = (mtime, day, found)
        with self._lock:
            self._reading = False

    def _say(self, why: str) -> None:
        if why != self.why:
            log.warning("calendar file unreadable: %s", why)
        self.why = why

"""Weekly time slots written as one string each: ``"mon-fri 12:00-13:00"``.

``[calls] chill_call_times`` is such a list: days and hours, like focus blocks, but
one line per slot, so a single table holds any number of them. Days are a range
(``mon-fri``), a comma list (``sat,sun``), one day, or ``daily``; the hours are
``HH:MM-HH:MM`` with the end after the start (``24:00`` is the day's end).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Final

from focusguard.core.calls import TimeSlot
from focusguard.core.config.types import DAY_NAMES, INVALID, MAX_PATTERNS, Problem, _items, show, toml_type

_SLOT: Final = re.compile(r"\s*(?P<days>\S+)\s+(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2})\s*")
_CLOCK: Final = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)|24:00")
FORM: Final = '"DAYS HH:MM-HH:MM" (e.g. "mon-fri 12:00-13:00", "sat,sun 10:00-24:00", "daily 18:00-20:00")'


def _clock(text: str) -> datetime.time | None:
    """``None`` for "24:00" (the day's end); raises ValueError for anything not a time."""
    match = _CLOCK.fullmatch(text)
    if match is None:
        raise ValueError(text)
    return None if text == "24:00" else datetime.time(int(match[1]), int(match[2]))


def _days(text: str) -> frozenset[int]:
    """``mon-fri``, ``sat,sun``, ``wed``, ``daily``; raises ValueError naming the bad part."""
    text = text.lower()
    if text == "daily":
        return frozenset(range(7))
    days: set[int] = set()
    for part in text.split(","):
        first, _, last = part.partition("-")
        if first not in DAY_NAMES or (last and last not in DAY_NAMES):
            raise ValueError(part)
        lo = DAY_NAMES.index(first)
        hi = DAY_NAMES.index(last) if last else lo
        days.update(range(lo, hi + 1) if lo <= hi else [*range(lo, 7), *range(hi + 1)])
    return frozenset(days)


def parse_slot(text: str) -> TimeSlot:
    """One slot string; raises ValueError with a sentence saying what is wrong."""
    match = _SLOT.fullmatch(text)
    if match is None:
        raise ValueError(f"must be {FORM}, got {show(text)}")
    try:
        days = _days(match["days"])
    except ValueError as exc:
        raise ValueError(f"has an unknown day {show(str(exc))}: use {', '.join(DAY_NAMES)} or daily") from None
    try:
        start, end = _clock(match["start"]), _clock(match["end"])
    except ValueError as exc:
        raise ValueError(f'has a bad time {show(str(exc))}: use "HH:MM", 24-hour') from None
    if start is None:
        raise ValueError("cannot start at 24:00")
    if end is not None and end <= start:
        raise ValueError(f"must end after it starts ({start:%H:%M}); 24:00 is midnight at the end of the day")
    return TimeSlot(days, start, end)


def format_slot(slot: TimeSlot) -> str:
    """A slot as the file writes it: a run of days as a range, the rest a comma list."""
    days = sorted(slot.days)
    if len(days) == 7:
        names = "daily"
    elif days == list(range(days[0], days[-1] + 1)) and len(days) > 2:
        names = f"{DAY_NAMES[days[0]]}-{DAY_NAMES[days[-1]]}"
    else:
        names = ",".join(DAY_NAMES[d] for d in days)
    end = "24:00" if slot.end is None else f"{slot.end:%H:%M}"
    return f"{names} {slot.start:%H:%M}-{end}"


@dataclass(frozen=True)
class TimeSlots:
    """An array of weekly slot strings, kept as a tuple of :class:`TimeSlot`."""

    def describe(self) -> str:
        return 'array of "DAYS HH:MM-HH:MM"'

    def convert(self, value: object, path: str, problems: list[Problem]) -> object:
        items = _items(value, path, problems)
        if items is None:
            return INVALID
        if len(items) > MAX_PATTERNS:
            problems.append(Problem(path, f"has {len(items)} slots; FocusGuard allows at most {MAX_PATTERNS}"))
            return INVALID
        slots: list[TimeSlot] = []
        for i, item in enumerate(items):
            if not isinstance(item, str):
                problems.append(Problem(f"{path}[{i}]", f"must be {FORM}, got {toml_type(item)}"))
                continue
            try:
                slots.append(parse_slot(item))
            except ValueError as exc:
                problems.append(Problem(f"{path}[{i}]", str(exc)))
        return INVALID if len(slots) < len(items) else tuple(slots)

"""How FocusGuard writes durations and times for people: one way, everywhere."""

from __future__ import annotations

from datetime import datetime


def duration(seconds: float) -> str:
    """'45 s' under a minute, '17 min', '1 h 05 min': whole minutes, hours once there
    are any. Seconds under a minute, so an early day never reads "1 min on the
    priority" beside "Longest priority streak: 0 min" (31 s and 29 s); rounding is
    to the nearest, so a larger duration never reads smaller."""
    seconds = max(seconds, 0.0)
    if seconds < 59.5:
        whole = round(seconds)
        return f"{whole} s" if whole else "0 min"
    minutes = round(seconds / 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


def iso_local(ts: float) -> str:
    """A timestamp as local ISO 8601 with its UTC offset, to the second."""
    return datetime.fromtimestamp(ts).astimezone().isoformat(timespec="seconds")

"""How FocusGuard writes durations and times for people: one way, everywhere."""

from __future__ import annotations

from datetime import datetime


def duration(seconds: float) -> str:
    """'17 min', '1 h 05 min': whole minutes, hours once there are any."""
    minutes = int(round(max(seconds, 0.0) / 60))
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


def iso_local(ts: float) -> str:
    """A timestamp as local ISO 8601 with its UTC offset, to the second."""
    return datetime.fromtimestamp(ts).astimezone().isoformat(timespec="seconds")

"""Is every device still in step? Silent devices and clocks that disagree, from plain values.

Each publish rewrites the device's ``device.json`` with ``written_at`` on its own
clock; the merging device notes ``seen_at`` on its own clock when it first reads that
version. A file can only be seen after it was written, so ``written_at - seen_at``
is the other clock's lead minus the time the sync engine took to carry the file:
the largest such value is the best estimate of the lead (the quickest delivery). A
lead over ``CLOCK_TOLERANCE`` is certain to be a clock running ahead; a value far
below zero is a clock running behind *or* a sync engine that carries files late, and
is said that way. Records ending after ``now`` also prove a clock ahead.

Pure: the caller injects ``now``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

#: Clocks within this many seconds of each other agree (NTP keeps them far closer).
CLOCK_TOLERANCE: Final = 60.0
#: A device that published nothing for this long has gone silent (it may just be off).
SILENT_AFTER: Final = 2 * 86400.0


def clock_lead(observations: list[tuple[float, float]]) -> float | None:
    """The other clock's estimated lead over ours, in seconds, from (written_at,
    seen_at) pairs; None without any."""
    return max((w - s for w, s in observations), default=None)


@dataclass(frozen=True, slots=True)
class DeviceHealth:
    """One device as doctor and the settings page list it."""

    device: str
    name: str
    last_seen_at: float | None  # our clock: when its newest file arrived
    lead: float | None  # its clock minus ours, estimated (see the module docstring)
    latest_record: float | None  # the end of its newest record, on its clock
    silent: bool
    clock_ahead: bool
    clock_behind_or_late: bool

    @property
    def ok(self) -> bool:
        return not (self.silent or self.clock_ahead or self.clock_behind_or_late)

    def problems(self) -> list[str]:
        """What is wrong, in words the user can act on."""
        out = []
        if self.silent:
            out.append("no new file for a while: is it off, or is the sync folder not shared with it?")
        if self.clock_ahead:
            out.append(f"its clock runs about {_minutes(self.lead or 0.0)} ahead: turn on automatic time on it")
        if self.clock_behind_or_late:
            out.append(f"its files arrive about {_minutes(-(self.lead or 0.0))} late: its clock runs behind, "
                       "or the sync engine is slow")
        return out


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.0f} min" if seconds >= 90 else f"{seconds:.0f} s"


def assess(device: str, name: str, last_seen_at: float | None, lead: float | None, latest_record: float | None,
           now: float, *, interval: float, silent_after: float = SILENT_AFTER) -> DeviceHealth:
    """Judge one device. ``interval`` is how often devices publish and merge: a file
    may wait up to one interval on each side before it is written and before it is seen."""
    ahead = (lead is not None and lead > CLOCK_TOLERANCE) or (
        latest_record is not None and latest_record > now + CLOCK_TOLERANCE)
    behind = lead is not None and not ahead and lead < -(CLOCK_TOLERANCE + 2 * interval)
    silent = last_seen_at is None or now - last_seen_at > silent_after
    if ahead and lead is not None and lead <= CLOCK_TOLERANCE and latest_record is not None:
        lead = latest_record - now
    return DeviceHealth(device, name, last_seen_at, lead, latest_record, silent, ahead, behind)

"""How one more sample changes the event log: the heartbeat merge, kept apart from storage.

ActivityWatch keeps ``heartbeat_merge`` apart from its datastore; so does FocusGuard.
The store holds the open event and writes; this function only decides, from plain
values, what a sample at ``t`` does to it (see ``focusguard.core.model`` for the
heartbeat convention):

* the same window within ``max_gap`` of the open event's end extends it to ``t``;
* another window within ``max_gap`` ends the open event at ``t`` (no hole between
  contiguous events) and starts a new one;
* after a longer gap, the open event keeps its end (the gap counts for nothing) and a
  new one starts;
* time is never filed twice: when the wall clock was set (back, or forward unlike
  the monotonic clock) the open event is closed where it was, and a sample from
  before ``floor`` (the end of what is recorded: a restart, a clock set back) counts
  for nothing, so no two events ever overlap.
"""

from __future__ import annotations

from collections.abc import Hashable
from enum import Enum


class Outcome(Enum):
    """What a sample does to the open event."""

    DROP = "drop"  # counts for nothing; the open event (if any) is closed where it is
    EXTEND = "extend"  # the open event now reaches the sample
    SPLIT = "split"  # the open event reaches the sample and closes; a new one starts there
    RESTART = "restart"  # the open event (if any) closes where it is; a new one starts


DROP, EXTEND, SPLIT, RESTART = Outcome.DROP, Outcome.EXTEND, Outcome.SPLIT, Outcome.RESTART
#: What a sample does, and the new floor (samples before it count for nothing).
Step = tuple[Outcome, float]


def merge(open_end: float | None, open_key: Hashable, t: float, key: Hashable, *,
          max_gap: float, floor: float, clock_set: bool = False) -> Step:
    """The step for a sample at ``t`` showing ``key``, with an open event ending at
    ``open_end`` showing ``open_key`` (``open_end`` None: no open event). A plain
    tuple: this runs for every sample, and a dataclass per call cost a third of it."""
    if open_end is not None and (clock_set or t < open_end):
        floor = max(floor, open_end)  # closed where it was, never stretched over the jump
        return (DROP if t < floor else RESTART), floor
    if t < floor:
        return DROP, floor
    if open_end is None or t > open_end + max_gap:
        return RESTART, floor
    return (EXTEND if open_key == key else SPLIT), floor

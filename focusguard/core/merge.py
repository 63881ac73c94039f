"""Several devices' history as one timeline: the merge, kept apart from storage.

ActivityWatch keeps its merge functions apart from its datastore; so does
FocusGuard. Each device records its own events (never overlapping among
themselves, see ``heartbeat``); when the user has two computers on, both may
record the same moment. This module decides, from plain values, what that moment
was:

* active time at the same moment is counted once: the device with the most recent
  input wins. An event is a run of identical samples, and an active one means the
  user was giving that device input; the device whose active event began last is
  the one the user turned to most recently, so it wins (a tie goes to the device
  id that sorts first, so every device computes the same day);
* idle (or paused) on every device is idle, again from the latest-begun event;
* nothing is counted after ``now`` (the merging device's clock): a device whose
  clock runs ahead cannot file time in the future. Its lead is flagged by
  ``focusguard.core.sync_health``;
* the latest declaration wins the day's priority, wherever it was made;
* one journal per day: the one saved last.

Pure: no Qt, no store, no files; the caller injects the clock (``now``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Final, Protocol, TypeVar

from focusguard.core.model import Classification, Declaration, Event, Journal

#: Classes that mean no input reached the device: they lose to any active class.
INACTIVE = frozenset({Classification.IDLE, Classification.PAUSED})


@dataclass(frozen=True, slots=True)
class Piece:
    """A stretch of the merged timeline and the device it was taken from.
    ``event`` is the device's event clipped to the stretch (its id kept)."""

    device: str
    event: Event


@dataclass(frozen=True, slots=True)
class SavedJournal:
    """A day's journal as one device saved it (``saved_at`` on that device's clock)."""

    device: str
    saved_at: float
    journal: Journal


class Timed(Protocol):
    """What the merge reads of an event."""

    @property
    def start(self) -> float: ...
    @property
    def end(self) -> float: ...
    @property
    def classification(self) -> Classification: ...


T = TypeVar("T", bound=Timed)
R = TypeVar("R")

#: An event as the sweep ranks it: (active, start, end cut at now, device, the event
#: or what stands for it). The store builds these for other devices' events in SQL
#: (active as 1/0, the row id standing for the event: their titles are fetched only
#: for the stretches they win).
Ranked = tuple[bool | int, float, float, str, R]
#: What ranks a covering event: active first, then the later start.
_RANK = itemgetter(0, 1)
#: The sweep takes events by start, a tie in the order of their device ids (so among
#: equally ranked covering events the first, the device id sorting first, wins): the
#: devices' lists one after another in id order, then a stable sort by this.
BY_START: Final = itemgetter(1)


def ranked(device: str, events: Iterable[T], now: float | None = None) -> list[Ranked[T]]:
    """``events`` of ``device`` as the sweep ranks them (empty ones, and those starting
    at or after ``now``, left out)."""
    cut = float("inf") if now is None else now
    return [(e.classification not in INACTIVE, e.start, min(e.end, cut), device, e)
            for e in events if e.end > e.start and e.start < cut]


def merge_spans(streams: Mapping[str, Sequence[T]], now: float | None = None) -> list[tuple[str, T, float, float]]:
    """Every device's events (each stream by start, without overlaps of its own) as
    one timeline without overlaps, by start: (device, the winning event, from, to).
    Contiguous stretches won by the same event stay one."""
    if len(streams) == 1 and now is None:
        [(device, events)] = streams.items()
        return [(device, e, e.start, e.end) for e in sorted(events, key=lambda e: e.start) if e.end > e.start]
    tagged = [r for device in sorted(streams) for r in ranked(device, streams[device], now)]
    tagged.sort(key=BY_START)
    return merge_ranked(tagged)


def merge_ranked(tagged: Sequence[Ranked[R]]) -> list[tuple[str, R, float, float]]:
    """``merge_spans`` of events already ranked, in ``BY_START`` order.

    A sweep over the events' bounds: at each, the events covering it (one a device
    at most) and the one ranking highest, compared in C. The covering list is
    filtered only once one of its events has ended. This is the 30-day merged
    report's inner loop (bench_sync.py: five devices, each of their events)."""
    bounds = sorted({t for entry in tagged for t in (entry[1], entry[2])})
    winners: list[Ranked[R]] = []  # each stretch's winner, with its bounds:
    starts: list[float] = []
    ends: list[float] = []
    covering: list[Ranked[R]] = []
    next_end = float("inf")  # when the first covering event ends
    following, count = 0, len(tagged)
    for a, b in itertools.pairwise(bounds):
        if a >= next_end:
            covering = [c for c in covering if c[2] > a]
            next_end = min([c[2] for c in covering], default=float("inf"))
        while following < count and tagged[following][1] <= a:
            entry = tagged[following]
            covering.append(entry)
            following += 1
            if entry[2] < next_end:
                next_end = entry[2]
        if not covering:
            continue
        best = max(covering, key=_RANK) if len(covering) > 1 else covering[0]
        if winners and winners[-1] is best and ends[-1] == a:
            ends[-1] = b
        else:
            winners.append(best)
            starts.append(a)
            ends.append(b)
    return [(w[3], w[4], a, b) for w, a, b in zip(winners, starts, ends, strict=True)]


def merge_events(streams: Mapping[str, Sequence[Event]], now: float | None = None) -> list[Piece]:
    """``merge_spans`` of whole events: each stretch as its event clipped to it."""
    return [Piece(device, clipped(e, a, b)) for device, e, a, b in merge_spans(streams, now)]


def clipped(e: Event, start: float, end: float) -> Event:
    """``e`` cut to [start, end); built directly, as ``dataclasses.replace`` is slow per piece."""
    if e.start == start and e.end == end:
        return e
    return Event(e.id, start, end, e.app, e.title, e.exe, e.activity, e.classification)


def device_seconds(pieces: Iterable[Piece], start: float, end: float) -> dict[str, dict[str, float]]:
    """Seconds by device and by classification within [start, end): the per-device
    breakdown of a merged day (each second under the device that won it)."""
    out: dict[str, dict[str, float]] = {}
    for p in pieces:
        a, b = max(p.event.start, start), min(p.event.end, end)
        if b > a:
            tally = out.setdefault(p.device, {})
            key = p.event.classification.value
            tally[key] = tally.get(key, 0.0) + (b - a)
    return out


def merge_declarations(streams: Iterable[Iterable[Declaration]]) -> list[Declaration]:
    """All devices' declarations, oldest first, each once (the same declaration
    read twice counts once). The last is the priority in force, wherever made."""
    return sorted(set().union(*(set(s) for s in streams)), key=lambda d: (d.at, d.activity, d.next_step))


def latest_journal(saved: Iterable[SavedJournal]) -> Journal | None:
    """The day's one journal: the one saved last (a tie goes to the device id sorting first)."""
    best: SavedJournal | None = None
    for s in saved:
        if best is None or s.saved_at > best.saved_at or (s.saved_at == best.saved_at and s.device < best.device):
            best = s
    return None if best is None else best.journal


def latest_names(headers: Iterable[tuple[str, float, str]]) -> dict[str, str]:
    """Device id -> its name, from (device id, written_at, name) triples: a renamed
    device shows its newest name everywhere, its history stays one device's."""
    newest: dict[str, tuple[float, str]] = {}
    for device, written_at, name in headers:
        if device not in newest or written_at >= newest[device][0]:
            newest[device] = (written_at, name)
    return {device: name for device, (_, name) in newest.items()}

"""Business-building blocks: each time a focus block comes round (an *occurrence*) it
is judged from what was recorded -- kept, partly kept or missed -- or it was moved,
and then it is judged again at its new time. Nothing is ever silently dropped.

Pure: no Qt, no store. Callers hand in the config's blocks, the recorded events, the
moves the user made (``BlockMove``) and the time now; times are POSIX seconds, days
local to ``tz`` (None: the system's zone), so a block keeps its wall-clock times on a
day the clocks change and is judged over the real seconds it lasted.

Judging. Idle and paused time (the user away from the computer) neither counts for
nor against a block, but a block nobody sat through cannot be "kept" on a few
minutes: the share is the time on the block's activity over the larger of the
time at the computer during the block and half the block. Kept: more than half;
partly kept: at least a tenth; missed: less. A block without an activity is judged
on time on the day's priority.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Final

from focusguard.core.config import FocusBlock
from focusguard.core.model import Classification, Event
from focusguard.core.timefmt import local_date

KEPT_SHARE: Final = 0.5
PARTLY_SHARE: Final = 0.1
#: Time that says nothing about a block: the user was away or FocusGuard paused.
AWAY: Final = frozenset({Classification.IDLE, Classification.PAUSED})
#: How long after a block starts its card may still come (an app started late, a
#: user back from a break), and after it ends the offer to move it.
START_CARD_SECONDS: Final = 10 * 60.0
END_CARD_SECONDS: Final = 60 * 60.0


class Status(StrEnum):
    KEPT = "kept"
    PARTLY = "partly"
    MISSED = "missed"
    MOVED = "moved"


def block_key(block: FocusBlock) -> str:
    """What ties a block's occurrences and moves together across config edits: its
    name, else its activity and times (so an unnamed block renamed starts afresh)."""
    if block.name:
        return block.name.casefold()
    return f"{block.activity.casefold()}@{block.start:%H:%M}-{block.end:%H:%M}"


def block_label(block: FocusBlock) -> str:
    """'Outreach calls', 'Sales block', or 'Focus block 08:30–09:30'."""
    if block.name:
        return block.name
    if block.activity:
        return f"{block.activity} block"
    return f"Focus block {block.start:%H:%M}–{block.end:%H:%M}"


def at_local(day: date, clock: time, tz: tzinfo | None) -> float:
    """POSIX time of ``clock`` on ``day`` in ``tz``. A time the clocks skip (02:30 on a
    spring-forward day) is read with the offset before the change, as ``zoneinfo``
    does; the real seconds between two such instants are what a block is judged on."""
    return datetime.combine(day, clock, tzinfo=tz).timestamp()


@dataclass(frozen=True)
class BlockMove:
    """One move of one occurrence (``block`` key, its scheduled ``day``), made at
    ``at``: from [from_start, from_end) to [to_start, to_end). A block moved twice
    has two moves; the latest says where it is now."""

    block: str
    day: date
    from_start: float
    from_end: float
    to_start: float
    to_end: float
    at: float


@dataclass(frozen=True)
class Occurrence:
    """One time a block comes round: scheduled on ``day``, now at [start, end).
    ``moved_from`` is where it was before its last move (None: never moved)."""

    block: FocusBlock
    day: date
    start: float
    end: float
    moved_from: float | None = None

    @property
    def key(self) -> str:
        return block_key(self.block)

    @property
    def ident(self) -> tuple[str, date, float]:
        """Unique per position: the block, its scheduled day, where it is."""
        return self.key, self.day, self.start

    @property
    def label(self) -> str:
        return block_label(self.block)

    @property
    def seconds(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class Judged:
    """An occurrence's verdict: ``status`` None while it is still to come or running.
    A moved position has status MOVED and ``moved_to`` (the start it went to)."""

    occurrence: Occurrence
    status: Status | None
    moved_to: float | None = None
    activity_seconds: float = 0.0
    active_seconds: float = 0.0


def scheduled(blocks: Iterable[FocusBlock], first: date, last: date, tz: tzinfo | None = None) -> list[Occurrence]:
    """Every occurrence the config schedules from ``first`` to ``last`` (local days,
    inclusive), by start time."""
    found = []
    day = first
    while day <= last:
        for block in blocks:
            if day.weekday() in block.days:
                found.append(Occurrence(block, day, at_local(day, block.start, tz), at_local(day, block.end, tz)))
        day += timedelta(days=1)
    return sorted(found, key=lambda o: (o.start, o.key))


def as_recorded(occurrences: Iterable[Occurrence], moves: Iterable[BlockMove],
                spans: dict[tuple[str, date], tuple[float, float]], blocks: Iterable[FocusBlock],
                first: date, last: date) -> list[Occurrence]:
    """The occurrences as they were when they happened, not as today's config would
    schedule them: a block's times or days edited since (the review shortened it, a
    day was dropped) must not rewrite its history. An occurrence that was moved
    was where its first move took it from; one that was judged (``spans``: the span
    of its stored verdict, by block key and day) where it was judged; one recorded
    on a day the block no longer runs on is still there. Only blocks still in the
    config are listed (a block renamed or removed starts afresh)."""
    first_move: dict[tuple[str, date], BlockMove] = {}
    for m in sorted(moves, key=lambda m: m.at):
        first_move.setdefault((m.block, m.day), m)
    by_key = {block_key(b): b for b in blocks}
    out: dict[tuple[str, date], Occurrence] = {(o.key, o.day): o for o in occurrences}
    for (key, day) in {*first_move, *spans}:
        block = by_key.get(key)
        if block is None or not (first <= day <= last or (key, day) in first_move):
            continue
        start, end = ((first_move[key, day].from_start, first_move[key, day].from_end) if (key, day) in first_move
                      else spans[key, day])
        out[key, day] = Occurrence(block, day, start, end)
    return sorted(out.values(), key=lambda o: (o.start, o.key))


def positions(occurrences: Iterable[Occurrence], moves: Iterable[BlockMove]) -> list[tuple[Occurrence, float | None]]:
    """Each occurrence at every place it has been: (position, where it moved to, or
    None for where it is now). A block moved from 08:30 to 14:00 and then to Thursday
    yields three positions: 08:30 moved to 14:00, 14:00 moved to Thursday, Thursday."""
    by_occurrence: dict[tuple[str, date], list[BlockMove]] = {}
    for move in sorted(moves, key=lambda m: m.at):
        by_occurrence.setdefault((move.block, move.day), []).append(move)
    out: list[tuple[Occurrence, float | None]] = []
    for occurrence in occurrences:
        here = occurrence
        for move in by_occurrence.get((occurrence.key, occurrence.day), []):
            out.append((here, move.to_start))
            here = Occurrence(occurrence.block, occurrence.day, move.to_start, move.to_end, moved_from=here.start)
        out.append((here, None))
    return sorted(out, key=lambda item: (item[0].start, item[0].key))


def current(occurrences: Iterable[Occurrence], moves: Iterable[BlockMove]) -> list[Occurrence]:
    """Where each occurrence is now, after its moves, by start time."""
    return [o for o, moved_to in positions(occurrences, moves) if moved_to is None]


def is_for(block: FocusBlock, activity: str | None, classification: Classification) -> bool:
    """Whether time on ``activity`` (classified ``classification``) is what ``block`` is for."""
    if block.activity:
        return activity is not None and activity.casefold() == block.activity.casefold()
    return classification is Classification.PRIORITY


def on_block(event: Event, block: FocusBlock) -> bool:
    """Whether ``event`` is time spent on what ``block`` is for."""
    return is_for(block, event.activity, event.classification)


def judge(occurrence: Occurrence, events: Iterable[Event], now: float) -> Judged:
    """The verdict on one position from the events overlapping it (see the module doc);
    status None before it has ended."""
    start, end = occurrence.start, occurrence.end
    on = active = 0.0
    for event in events:
        overlap = min(end, event.end) - max(start, event.start)
        if overlap <= 0 or event.classification in AWAY:
            continue
        active += overlap
        if on_block(event, occurrence.block):
            on += overlap
    if now < end:
        return Judged(occurrence, None, activity_seconds=on, active_seconds=active)
    return Judged(occurrence, status_for(on, active, end - start), activity_seconds=on, active_seconds=active)


def status_for(on: float, active: float, length: float) -> Status:
    """Kept, partly kept or missed for ``on`` seconds on the block's activity out of
    ``active`` seconds at the computer in a block ``length`` seconds long."""
    base = max(active, length / 2)
    share = on / base if base > 0 else 0.0
    if share > KEPT_SHARE:
        return Status.KEPT
    if share >= PARTLY_SHARE:
        return Status.PARTLY
    return Status.MISSED


class EventIndex:
    """Events by start, so each block reads only the few that overlap it: 90 days of
    history hold some hundred thousand events and sixty-odd blocks."""

    def __init__(self, events: Iterable[Event]) -> None:
        self.events = sorted(events, key=lambda e: e.start)
        self.starts = [e.start for e in self.events]
        self.longest = max((e.end - e.start for e in self.events), default=0.0)

    def overlapping(self, start: float, end: float) -> list[Event]:
        """The events overlapping [start, end) (and perhaps a few just before it,
        which ``judge`` skips: overlap <= 0)."""
        first = bisect.bisect_left(self.starts, start - self.longest)
        return self.events[first:bisect.bisect_left(self.starts, end)]


def judge_all(
    occurrences: Iterable[Occurrence],
    moves: Iterable[BlockMove],
    events: Sequence[Event],
    now: float,
    recorded: dict[tuple[str, date, float], Status] | None = None,
) -> list[Judged]:
    """Every position of every occurrence, judged: moved ones as MOVED with where to,
    the others from ``events``, or from ``recorded`` (the verdict the app stored when
    the block ended, which outlives the events it was made from)."""
    recorded = recorded or {}
    index = EventIndex(events)
    out = []
    for position, moved_to in positions(occurrences, moves):
        if moved_to is not None:
            out.append(Judged(position, Status.MOVED, moved_to))
            continue
        judged = judge(position, index.overlapping(position.start, position.end), now)
        stored = recorded.get(position.ident)
        out.append(judged if stored is None or judged.status is None else Judged(
            position, stored, activity_seconds=judged.activity_seconds, active_seconds=judged.active_seconds))
    return out


# --- the 90-day view ----------------------------------------------------------------


@dataclass(frozen=True)
class WeekShare:
    """One week (``monday``) of finished occurrences: how many, how many kept."""

    monday: date
    kept: int
    judged: int

    @property
    def share(self) -> float | None:
        return self.kept / self.judged if self.judged else None


def final(judged: Iterable[Judged]) -> list[Judged]:
    """The verdicts that count: where each occurrence ended up, once over (a move is
    a link in its chain, not a verdict)."""
    return [j for j in judged if j.status is not None and j.status is not Status.MOVED]


def weekly_shares(judged: Iterable[Judged], tz: tzinfo | None = None) -> list[WeekShare]:
    """The kept share per week (weeks start on Monday, by where each block ended up),
    oldest first; weeks with no finished block are left out."""
    weeks: dict[date, list[int]] = {}
    for j in final(judged):
        day = local_date(j.occurrence.start, tz)
        counts = weeks.setdefault(day - timedelta(days=day.weekday()), [0, 0])
        counts[0] += j.status is Status.KEPT
        counts[1] += 1
    return [WeekShare(monday, kept, total) for monday, (kept, total) in sorted(weeks.items())]


def current_run(weeks: Sequence[WeekShare], target: float) -> int:
    """How many weeks in a row, counting back from the latest, kept at least
    ``target`` (a share, 0 to 1) of their blocks. A week with no block is not in
    ``weeks``: a holiday neither breaks nor extends the run."""
    run = 0
    for week in reversed(weeks):
        if week.share is None or week.share < target:
            break
        run += 1
    return run


@dataclass(frozen=True)
class BlockTally:
    """One block's finished occurrences in a period: 'Outreach: 11 of 12 kept'."""

    label: str
    kept: int
    judged: int

    def sentence(self, period: str = "this month") -> str:
        return f"{self.label}: {self.kept} of {self.judged} kept {period}"


def tallies(judged: Iterable[Judged]) -> list[BlockTally]:
    """Per block (in order of first appearance), its kept and finished occurrences."""
    counts: dict[str, BlockTally] = {}
    for j in final(judged):
        was = counts.get(j.occurrence.key, BlockTally(j.occurrence.label, 0, 0))
        counts[j.occurrence.key] = BlockTally(was.label, was.kept + (j.status is Status.KEPT), was.judged + 1)
    return list(counts.values())


# --- moving -----------------------------------------------------------------------------


def move_choices(occurrence: Occurrence, now: float, day_end: time, tz: tzinfo | None = None,
                 *, step_minutes: int = 30, today_count: int = 3) -> list[float]:
    """Where "Move to..." offers to put ``occurrence``: up to ``today_count`` starts later
    today (on the next whole ``step_minutes``, each a step apart, the block ending by
    ``day_end``), then the block's own time on each later day of this week (to
    Sunday). Starts, earliest first."""
    length = occurrence.seconds
    today = local_date(now, tz)
    limit = at_local(today, day_end, tz)
    step = step_minutes * 60
    first = (int(now // step) + 1) * step
    later = [first + i * step for i in range(today_count)]
    choices: list[float] = [start for start in later if start + length <= limit]
    day = today + timedelta(days=1)
    while day.weekday() != 0:  # to the end of this week (Sunday)
        choices.append(at_local(day, occurrence.block.start, tz))
        day += timedelta(days=1)
    return choices


def move(occurrence: Occurrence, to_start: float, at: float) -> BlockMove:
    """The record of moving ``occurrence`` (wherever it is now) to start at ``to_start``,
    keeping its length."""
    if to_start == occurrence.start:
        raise ValueError("the block is already at that time")
    return BlockMove(occurrence.key, occurrence.day, occurrence.start, occurrence.end,
                     to_start, to_start + occurrence.seconds, at)


# --- the card ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CardCue:
    """A card to show: ``ended`` False when the block starts with the user elsewhere,
    True when it ended not kept (``status``)."""

    occurrence: Occurrence
    ended: bool
    status: Status | None = None


Ident = tuple[str, date, float]


def due_cue(occurrences: Iterable[Occurrence], now: float, *, doing: Callable[[FocusBlock], bool], away: bool,
            shown: set[Ident], judged_at_end: dict[Ident, Status]) -> CardCue | None:
    """The one card due now, if any: a block that started in the last
    START_CARD_SECONDS while the user is at the computer on something else (``doing``
    says whether the window in front is what a block is for), or one
    that ended in the last END_CARD_SECONDS not kept (its verdict in
    ``judged_at_end``). Each position gets each card once (``shown``: the idents of
    start cards given, :func:`end_ident` of end cards given)."""
    for o in occurrences:
        if o.start <= now < min(o.end, o.start + START_CARD_SECONDS) and not away and not doing(o.block) \
                and o.ident not in shown:
            return CardCue(o, ended=False)
        status = judged_at_end.get(o.ident)
        if status in (Status.MISSED, Status.PARTLY) and o.end <= now < o.end + END_CARD_SECONDS \
                and end_ident(o) not in shown:
            return CardCue(o, ended=True, status=status)
    return None


def end_ident(occurrence: Occurrence) -> tuple[str, date, float]:
    """The ``shown`` entry of an occurrence's end card (see :func:`due_cue`)."""
    return occurrence.key, occurrence.day, -occurrence.end

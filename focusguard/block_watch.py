"""The running app's eye on today's focus blocks (a service the controller owns, as
it owns ``offers``): when a block starts with the user elsewhere, one quiet card
("Your outreach block started. Go, or move it?"); when one ends not kept, its
verdict is stored and the same move is offered. Moves are stored at once and the
block is judged again at its new time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from focusguard.block_records import occurrences_with_moves
from focusguard.core import blocks
from focusguard.core.blocks import AWAY, Ident, Occurrence, Status
from focusguard.core.config import Config, FocusBlock
from focusguard.core.model import Classified
from focusguard.core.timefmt import clock, day_bounds, local_date
from focusguard.store import Store
from focusguard.store_blocks import BlockStore

log = logging.getLogger(__name__)

ENDED_WORDS = {Status.MISSED: "was missed", Status.PARTLY: "was only partly kept"}


@dataclass(frozen=True, slots=True)
class MoveChoice:
    """One entry of "Move to...": 'Today 10:00', 'Fri 08:30'."""

    label: str
    start: float


@dataclass(frozen=True, slots=True)
class BlockCardView:
    """Everything the block card says; ``ident`` names the occurrence in the answer."""

    ident: Ident
    headline: str
    detail: str
    ended: bool  # True: the block is over (no "Go", "Leave it" instead)
    choices: tuple[MoveChoice, ...]


def _noun(label: str) -> str:
    """'Outreach calls' -> 'outreach calls' (an acronym such as 'CRM work' keeps its case)."""
    first = label.split(" ", 1)[0]
    return label if first.isupper() and len(first) > 1 else label[:1].lower() + label[1:]


def block_words(label: str) -> str:
    """'outreach calls block'; a label that already says block as it is ('sales
    block', 'focus block 08:30–09:30')."""
    noun = _noun(label)
    return noun if "block" in noun.casefold().split() else f"{noun} block"


class BlockWatch:
    """Today's occurrences (after their moves), the cards already given, the verdicts
    stored. Reads the store only when the day, a move or the config changes, and at
    each block's end."""

    def __init__(self, store: Store, *, config: Callable[[], Config], clock: Callable[[], float],
                 tz: tzinfo | None = None) -> None:
        self.store = store
        self.log = BlockStore(store)
        self.config = config
        self.clock = clock
        self.tz = tz
        self.shown: set[Ident] = set()
        self.judged: dict[Ident, Status] = {}
        self.showing: blocks.CardCue | None = None  # the card up now, unanswered
        self._today: tuple[date, tuple[FocusBlock, ...], list[Occurrence]] | None = None

    def today(self) -> list[Occurrence]:
        """Where today's occurrences are now (moved ones at their new time, those of
        other days moved to today included), by start."""
        now = self.clock()
        day = local_date(now, self.tz)
        blocks_now = self.config().focus_blocks
        if self._today is None or self._today[:2] != (day, blocks_now):
            occurrences, moves = occurrences_with_moves(self.config(), self.log, day, day, self.tz)
            start, end = day_bounds(day, self.tz)
            here = [o for o in blocks.current(occurrences, moves) if start <= o.start < end]
            self._today = (day, blocks_now, here)
        return self._today[2]

    def find(self, ident: Ident) -> Occurrence | None:
        return next((o for o in self.today() if o.ident == ident), None)

    def is_for_activity(self, ident: Ident, activity: str) -> bool:
        """Whether today's occurrence ``ident`` is a block for ``activity`` (a block
        without one is for whatever the priority is)."""
        occurrence = self.find(ident)
        if occurrence is None:
            return False
        wanted = occurrence.block.activity
        return not wanted or wanted.casefold() == activity.casefold()

    def on_sample(self, classified: Classified, *, held: bool = False) -> BlockCardView | None:
        """Judge blocks that just ended (stored once), then the card due, if any.
        ``held``: a presentation, a call or do-not-disturb holds cards as it holds
        nudges (once the hold is over, a start card still comes in the block's first
        START_CARD_SECONDS)."""
        if not self.config().focus_blocks:
            return None
        now = self.clock()
        occurrences = self.today()
        for o in occurrences:
            if o.end <= now < o.end + blocks.END_CARD_SECONDS and o.ident not in self.judged:
                judged = blocks.judge(o, self.store.events(o.start, o.end), now)
                assert judged.status is not None
                self.judged[o.ident] = judged.status
                self.log.add_verdict(judged, now)
                log.info("block %s at %s: %s", o.label, clock(o.start, self.tz), judged.status)
        if held:
            return None
        cue = blocks.due_cue(
            occurrences, now, away=classified.classification in AWAY, shown=self.shown, judged_at_end=self.judged,
            doing=lambda block: blocks.is_for(block, classified.activity, classified.classification))
        if cue is None:
            return None
        self.shown.add(blocks.end_ident(cue.occurrence) if cue.ended else cue.occurrence.ident)
        self.showing = cue
        return self.card(cue)

    def stale(self, classified: Classified) -> bool:
        """Whether the card up now goes by itself (once): a start card when the user
        is on the block's activity or the block is over, an end card after
        END_CARD_SECONDS. Nobody comes back to a card left up for an hour."""
        cue, now = self.showing, self.clock()
        if cue is None:
            return False
        o = cue.occurrence
        if cue.ended:
            gone = now >= o.end + blocks.END_CARD_SECONDS
        else:
            gone = now >= o.end or blocks.is_for(o.block, classified.activity, classified.classification)
        if gone:
            self.showing = None
        return gone

    def answered(self) -> None:
        """The card was answered (Go, a move, Leave it): it is no longer up."""
        self.showing = None

    def card(self, cue: blocks.CardCue) -> BlockCardView:
        o = cue.occurrence
        what = block_words(o.label)
        if cue.ended:
            assert cue.status is not None
            headline = f"Your {what} {ENDED_WORDS[cue.status]}. Move it?"
        else:
            headline = f"Your {what} started. Go, or move it?"
        detail = f"{clock(o.start, self.tz)}–{clock(o.end, self.tz)}"
        if o.block.activity:
            detail += f" · {o.block.activity}"
        if o.moved_from is not None:
            detail += f" · moved from {self.when(o.moved_from)}"
        return BlockCardView(o.ident, headline, detail, cue.ended, self.choices(o))

    def when(self, at: float) -> str:
        """'10:00' today, 'Fri 08:30' another day."""
        moment = datetime.fromtimestamp(at, self.tz)
        if moment.date() == local_date(self.clock(), self.tz):
            return f"{moment:%H:%M}"
        return f"{moment:%a %H:%M}"

    def choices(self, occurrence: Occurrence) -> tuple[MoveChoice, ...]:
        today = local_date(self.clock(), self.tz)
        starts = blocks.move_choices(occurrence, self.clock(), self.config().day.end, self.tz)
        return tuple(MoveChoice(f"Today {self.when(s)}" if local_date(s, self.tz) == today else self.when(s), s)
                     for s in starts)

    def move(self, ident: Ident, to_start: float) -> Occurrence:
        """Moves the occurrence ``ident`` (where it is now) to start at ``to_start``.
        Raises ValueError when it is not today's any more or is already there."""
        occurrence = self.find(ident)
        if occurrence is None:
            raise ValueError("that block is not on today's schedule any more")
        self.log.add_move(blocks.move(occurrence, to_start, self.clock()))
        self._today = None
        log.info("block %s moved from %s to %s", occurrence.label, self.when(occurrence.start), self.when(to_start))
        return Occurrence(occurrence.block, occurrence.day, to_start, to_start + occurrence.seconds,
                          moved_from=occurrence.start)

"""The review's question about each focus block -- too much, not enough, just right?
-- and the one change each answer makes to the block, worked out from how the block
went (issue 14: "at the end of each 30-day period, assess... try this for 90 days").

Too much: a weekday the block was mostly not kept on is dropped (the week says where
it does not fit); without one, the block gets a quarter shorter (whole quarter
hours, at least 15 minutes). Not enough: a block on fewer than the five working
days gains the next of them; one on all five gets a quarter longer. Just right
changes nothing. Pure: the caller writes the config.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, time, timedelta

from focusguard.core.blocks import Judged, Status, block_key, final
from focusguard.core.config import DAY_NAMES, FocusBlock
from focusguard.core.verdicts import Verdict

STEP_MINUTES = 15
WORKING_DAYS = range(5)
#: A weekday kept less often than this is where a "too much" block gives way.
WEAK_DAY_SHARE = 0.5
DAY_WORDS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def _clock(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def _quarter(block: FocusBlock) -> int:
    """A quarter of the block, in whole steps of STEP_MINUTES, at least one step."""
    length = _minutes(block.end) - _minutes(block.start)
    return max(STEP_MINUTES, round(length / 4 / STEP_MINUTES) * STEP_MINUTES)


def weak_day(block: FocusBlock, judged: Iterable[Judged]) -> int | None:
    """The weekday (0 = Monday) this block was kept least on, if kept under
    WEAK_DAY_SHARE of the time there (by the day each occurrence was scheduled)."""
    key = block_key(block)
    days: dict[int, list[int]] = {}
    for j in final(judged):
        if j.occurrence.key != key:
            continue
        counts = days.setdefault(j.occurrence.day.weekday(), [0, 0])
        counts[0] += j.status is Status.KEPT
        counts[1] += 1
    shares = {day: kept / total for day, (kept, total) in days.items() if day in block.days}
    if not shares:
        return None
    worst = min(sorted(shares, reverse=True), key=lambda day: shares[day])  # a tie: the later day goes
    return worst if shares[worst] < WEAK_DAY_SHARE else None


def adjusted(block: FocusBlock, verdict: Verdict, judged: Iterable[Judged]) -> FocusBlock | None:
    """The block as the answer changes it; None when it changes nothing (just right,
    or no room: a 15-minute block on one day cannot shrink, nor one ending at
    midnight grow)."""
    if verdict is Verdict.JUST_RIGHT:
        return None
    start, end = _minutes(block.start), _minutes(block.end)
    if verdict is Verdict.TOO_MUCH:
        day = weak_day(block, judged) if len(block.days) > 1 else None
        if day is not None:
            return replace(block, days=block.days - {day})
        shorter = end - _quarter(block)
        return replace(block, end=_clock(shorter)) if shorter > start else None
    missing = [day for day in WORKING_DAYS if day not in block.days]
    if missing:
        return replace(block, days=block.days | {missing[0]})
    longer = end + _quarter(block)
    return replace(block, end=_clock(longer)) if longer < 24 * 60 else None


def change_words(old: FocusBlock, new: FocusBlock | None) -> str:
    """What an answer does, for its button: 'drop Friday', 'until 09:45', 'no change'."""
    if new is None:
        return "no change"
    if new.days != old.days:
        gone, added = old.days - new.days, new.days - old.days
        return "; ".join([*(f"drop {DAY_WORDS[d]}" for d in sorted(gone)),
                          *(f"add {DAY_WORDS[d]}" for d in sorted(added))])
    length = datetime.combine(datetime.min, new.end) - datetime.combine(datetime.min, new.start)
    return f"{new.start:%H:%M}–{new.end:%H:%M} ({_length(length)})"


def _length(length: timedelta) -> str:
    minutes = int(length.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d} min" if rest else f"{hours} h"


def days_words(block: FocusBlock) -> str:
    """'mon–fri', 'tue, thu'."""
    days = sorted(block.days)
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return f"{DAY_NAMES[days[0]]}–{DAY_NAMES[days[-1]]}"
    return ", ".join(DAY_NAMES[d] for d in days)

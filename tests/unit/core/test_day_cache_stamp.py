"""core/day_cache.py: a kept summary reads back equal to summarize_day's, field by field,
and the stamp changes with each of its inputs (issue 16)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from focusguard.core import day_cache as kept
from focusguard.core.model import Answer, Classification, Declaration, Event, NudgeRecord
from focusguard.core.summary import summarize_day
from focusguard.core.timefmt import day_bounds

DAY = date(2026, 3, 29)  # Europe's spring change: a 23-hour day in Berlin
BERLIN = ZoneInfo("Europe/Berlin")


@dataclass
class Log:
    """A day's records in memory (the DayLog summarize_day reads)."""

    stored: list[Event] = field(default_factory=list)
    declared: list[Declaration] = field(default_factory=list)
    nudged: list[NudgeRecord] = field(default_factory=list)
    max_gap: float = 4.0

    def events(self, start: float, end: float) -> Sequence[Event]:
        return sorted((e for e in self.stored if e.end > start and e.start < end), key=lambda e: e.start)

    def declarations(self, start: float | None = None, end: float | None = None) -> Sequence[Declaration]:
        return sorted((d for d in self.declared if (start is None or d.at >= start) and (end is None or d.at < end)),
                      key=lambda d: d.at)

    def nudges(self, start: float, end: float) -> Sequence[NudgeRecord]:
        return [n for n in self.nudged if start <= n.at < end]


texts = st.text(max_size=12)
names = st.sampled_from(["Sales", "sales", "Video", "Code", "Ünïcode ☕"])


@st.composite
def logs(draw: st.DrawFn) -> Log:
    start, end = day_bounds(DAY, BERLIN)
    log = Log(max_gap=draw(st.sampled_from([2.0, 4.0, 60.0])))
    t = start - draw(st.floats(0, 7200))
    for i in range(draw(st.integers(0, 40))):
        t += draw(st.floats(0, 3000))  # holes, and events that overlap when the step is short
        log.stored.append(Event(i, t, t + draw(st.floats(0.001, 5000)), draw(texts), draw(texts), "",
                                draw(st.none() | names), draw(st.sampled_from(list(Classification)))))
    for _ in range(draw(st.integers(0, 4))):
        log.declared.append(Declaration(draw(st.floats(start - 3600, end)), draw(names), draw(texts)))
    for i in range(draw(st.integers(0, 3))):
        at = draw(st.floats(start, end - 1))
        log.nudged.append(NudgeRecord(i, at, draw(st.none() | names), Classification.DISTRACTION, 300.0, 1,
                                      draw(texts), draw(texts), draw(st.none() | st.sampled_from(list(Answer))),
                                      None, 12.5))
    return log


@settings(max_examples=150, deadline=None)
@given(logs(), st.sampled_from([UTC, BERLIN, None]))
def test_a_kept_summary_reads_back_equal(log: Log, tz: ZoneInfo | None) -> None:
    summary = summarize_day(log, DAY, tz)
    start, end = day_bounds(DAY, tz)
    again = kept.decode(kept.encode(summary), DAY, log.declarations(start, end), log.nudges(start, end))
    assert again == summary
    assert again.focus_ratio == summary.focus_ratio
    assert [s.classification for s in again.timeline] == [s.classification for s in summary.timeline]
    assert all(type(s.classification) is Classification for s in again.timeline)


INPUTS = kept.DayInputs(view="a" * 32, max_gap=4.0, declarations=[Declaration(1.0e9, "Sales", "call Ann")],
                        calls=[[1.0e9, 1.0e9 + 60, "neutral", "Chill calls", "zoom", "Call"]],
                        events=[1.0e9 - 60, 12, 40, 1.2e10, 1.21e10], synced=[1.0e9 - 600, ["f", "sha", 3, 7, 9]])


def test_the_stamp_changes_with_every_input() -> None:
    base = kept.stamp(DAY, BERLIN, INPUTS)
    assert kept.stamp(DAY, BERLIN, replace(INPUTS)) == base
    changed = [
        replace(INPUTS, view="b" * 32), replace(INPUTS, max_gap=6.0),
        replace(INPUTS, declarations=[Declaration(1.0e9, "Sales", "call Bob")]),
        replace(INPUTS, calls=[[1.0e9, 1.0e9 + 60, "distraction", "Chill calls", "zoom", "Call"]]),
        replace(INPUTS, events=[1.0e9 - 60, 12, 40, 1.2e10, 1.2100001e10]),
        replace(INPUTS, synced=[1.0e9 - 600, ["f", "sha2", 3, 7, 9]]),
    ]
    assert len({base, *(kept.stamp(DAY, BERLIN, i) for i in changed)}) == len(changed) + 1
    # Another zone (other bounds or other hour edges), another day: another stamp.
    assert kept.stamp(DAY, UTC, INPUTS) != base
    assert kept.stamp(date(2026, 3, 28), BERLIN, INPUTS) != base


def test_only_a_day_that_is_over_is_kept() -> None:
    end = day_bounds(DAY, UTC)[1]
    assert not kept.finished(end, end - 1)
    assert kept.finished(end, end)

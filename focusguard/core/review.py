"""The figures around a day's summary and the 30-day review, and when to offer them.

Everything here is read from ``summarize_day`` (one source of truth: the popup,
``focusguard report``, the Markdown export and the review all show the same
numbers) plus the store's journal and meta. Qt-free, so the CLI and the app share
it and the tests drive it with an injected clock.

Words used below:

- a *tracked* day has some active time (priority, off-priority or neutral); a day
  the computer stayed off is a gap, not a day of zero focus, so averages skip it;
- *recovery* is the time from a nudge to the start of the next priority segment
  that same day (None when the user never came back to the priority that day);
- the review *period* is the 30 days before the day it is offered.
"""

from __future__ import annotations

import csv
import io
import json
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Final, Protocol

from focusguard.core import palette
from focusguard.core.model import OFF_PRIORITY, Answer, Classification, Journal
from focusguard.core.summary import (
    DayLog,
    DaySummary,
    OffPriorityItem,
    PriorityPeriod,
    same_activity,
    summarize_day,
)
from focusguard.core.timefmt import day_bounds, duration, iso
from focusguard.core.words import fit

AVERAGE_DAYS = 7
REVIEW_DAYS = 30
#: A day with less active time than this is not worth a popup of its own.
MIN_TRACKED_SECONDS = 15 * 60.0
#: How far back the start looks for a day that ended without a review.
MISSED_LOOKBACK_DAYS = 7
#: Off-priority activities the review lists (and asks about).
REVIEW_TOP_ACTIVITIES = 8
#: Below this share of tracked days without a declaration, the review does not mention them.
NO_PRIORITY_SHARE_WORTH_SAYING = 0.25

UNCLASSIFIED_NAME = "Unclassified"
ACTIVE = frozenset({Classification.PRIORITY, Classification.NEUTRAL, *OFF_PRIORITY})

# Meta keys (the store's key/value table): what was offered when, and the review answers.
OFFERED_KEY = "summary.last_offered"
FIRST_USE_KEY = "review.first_use"
REVIEW_OFFERED_KEY = "review.last_offered"
REVIEW_ANSWERS_KEY = "review.answers."  # + the period's last day, ISO


class ReviewStore(DayLog, Protocol):
    """The part of ``focusguard.store.Store`` this module uses (the core imports no store)."""

    def journal(self, day: date) -> Journal | None: ...
    def get_meta(self, key: str) -> str | None: ...
    def set_meta(self, key: str, value: str) -> None: ...


# --- small shared words ---------------------------------------------------------------


def percent(ratio: float | None) -> str:
    """'58 %' (DESIGN.md's spacing), or '—' when there is nothing to divide."""
    return "—" if ratio is None else f"{ratio * 100:.0f} %"


ANSWER_WORDS: dict[str | None, str] = {
    Answer.BACK.value: "back",
    Answer.PART_OF_PRIORITY.value: "part of the priority",
    Answer.SNOOZE.value: "snoozed",
    Answer.IGNORED.value: "ignored",
    Answer.CLASSIFIED.value: "classified",
    None: "unanswered",
}
#: How a nudge was answered, in the palette's own answer colours (never a class's).
ANSWER_COLOURS: dict[str | None, str] = {key: palette.answer_colour(key) for key in ANSWER_WORDS}


def _answer_key(answer: Answer | None) -> str | None:
    return None if answer is None else answer.value


def tracked_seconds(summary: DaySummary) -> float:
    return sum(summary.seconds[c.value] for c in ACTIVE)


# --- one day ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ActivityTime:
    """Time spent on one activity (``Unclassified`` for windows no rule matched),
    and the classification most of it had, which gives its colour."""

    name: str
    seconds: float
    classification: Classification

    @property
    def colour(self) -> str:
        return palette.colour(self.classification)


@dataclass(frozen=True, slots=True)
class Recovery:
    """A nudge and how long it took to get back to the priority (None: not that day)."""

    at: float
    activity: str | None
    answer: Answer | None
    seconds: float | None


@dataclass(frozen=True, slots=True)
class PriorityChange:
    at: float
    before: str
    after: str
    next_step: str


@dataclass(frozen=True, slots=True)
class WeekAverage:
    """The mean over the tracked days among the ``AVERAGE_DAYS`` before a day."""

    days: int
    priority_seconds: float
    focus_ratio: float | None


@dataclass(frozen=True)
class DayFigures:
    """Everything the summary popup shows for one day: the core's ``DaySummary`` and
    what is derived from it, the 7-day average and the saved journal."""

    summary: DaySummary
    average: WeekAverage
    activities: tuple[ActivityTime, ...]
    recoveries: tuple[Recovery, ...]
    changes: tuple[PriorityChange, ...]
    journal: Journal | None

    @property
    def answers(self) -> Counter:
        """How many nudges got each answer (key None = unanswered)."""
        return Counter(_answer_key(n.answer) for n in self.summary.nudges)

    @property
    def median_recovery_seconds(self) -> float | None:
        known = [r.seconds for r in self.recoveries if r.seconds is not None]
        return statistics.median(known) if known else None

    def to_json(self, tz: tzinfo | None = None) -> dict:
        """``DaySummary.to_json`` (unchanged, first) plus the derived figures."""
        average = self.average
        journal = self.journal
        return {
            **self.summary.to_json(tz),
            "priority_changes": [
                {"at": iso(c.at, tz), "before": c.before, "after": c.after, "next_step": c.next_step}
                for c in self.changes
            ],
            "activities": [
                {"name": a.name, "classification": a.classification.value, "seconds": round(a.seconds, 3)}
                for a in self.activities
            ],
            "recoveries": [
                {"at": iso(r.at, tz), "activity": r.activity, "answer": _answer_key(r.answer),
                 "seconds": None if r.seconds is None else round(r.seconds, 3)}
                for r in self.recoveries
            ],
            "median_recovery_seconds": _round(self.median_recovery_seconds),
            "average_7d": {
                "days": average.days,
                "priority_seconds": round(average.priority_seconds, 3),
                "focus_ratio": average.focus_ratio,
            },
            "journal": None if journal is None else {
                "done": journal.done, "todo": journal.todo, "change": journal.change,
                "tomorrow_activity": journal.tomorrow_activity,
                "tomorrow_next_step": journal.tomorrow_next_step,
            },
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def activity_times(summary: DaySummary) -> tuple[ActivityTime, ...]:
    """Active time per activity, most first. Idle, paused and private time belong to
    no activity; neutral windows no rule named are left out too (nothing to learn)."""
    return _activity_times(
        (s.activity, s.classification, s.seconds) for s in summary.timeline if s.classification in ACTIVE
    )


def _activity_times(
    parts: Iterable[tuple[str | None, Classification, float]],
) -> tuple[ActivityTime, ...]:
    seconds: dict[str, Counter] = {}
    for activity, classification, secs in parts:
        if activity is None and classification is not Classification.UNCLASSIFIED:
            continue
        seconds.setdefault(activity or UNCLASSIFIED_NAME, Counter())[classification] += secs
    times = [ActivityTime(name, sum(by.values()), by.most_common(1)[0][0]) for name, by in seconds.items()]
    return tuple(sorted(times, key=lambda a: (-a.seconds, a.name)))


def recoveries(summary: DaySummary) -> tuple[Recovery, ...]:
    """For each nudge, the time until the next priority segment begins (0 if the
    nudge fell inside one, e.g. answered "back" the instant it appeared)."""
    priority = [s for s in summary.timeline if s.classification is Classification.PRIORITY]
    out = []
    for n in summary.nudges:
        back = next((max(0.0, s.start - n.at) for s in priority if s.end > n.at), None)
        out.append(Recovery(n.at, n.activity, n.answer, back))
    return tuple(out)


def priority_changes(summary: DaySummary) -> tuple[PriorityChange, ...]:
    """Re-declarations of a different activity during the day (a new next step alone is not a change)."""
    decl = summary.declarations
    return tuple(
        PriorityChange(b.at, a.activity, b.activity, b.next_step)
        for a, b in zip(decl, decl[1:], strict=False)  # each with the next
        if a.activity.casefold() != b.activity.casefold()
    )


def week_average(summaries: Sequence[DaySummary]) -> WeekAverage:
    """Mean priority time and mean focus ratio over the tracked days given."""
    tracked = [s for s in summaries if tracked_seconds(s) > 0]
    ratios = [s.focus_ratio for s in tracked if s.focus_ratio is not None]
    return WeekAverage(
        days=len(tracked),
        priority_seconds=statistics.fmean(s.seconds["priority"] for s in tracked) if tracked else 0.0,
        focus_ratio=statistics.fmean(ratios) if ratios else None,
    )


def _totals_only(summary: DaySummary) -> DaySummary:
    """A day reduced to what the week's average reads (its seconds and focus ratio):
    seven busy days held whole at once would keep some 80,000 segments in memory."""
    return replace(summary, timeline=(), top_off_priority=(), nudges=(), hours=())


def day_figures(store: ReviewStore, day: date, tz: tzinfo | None = None) -> DayFigures:
    summary = summarize_day(store, day, tz)
    before = [_totals_only(summarize_day(store, day - timedelta(days=n), tz))
              for n in range(1, AVERAGE_DAYS + 1)]
    return DayFigures(
        summary=summary,
        average=week_average(before),
        activities=activity_times(summary),
        recoveries=recoveries(summary),
        changes=priority_changes(summary),
        journal=store.journal(day),
    )


# --- Markdown -----------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _table(header: Sequence[str], rows: Iterable[Sequence[str]], right: Sequence[int] = ()) -> list[str]:
    align = ["---:" if i in right else "---" for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def priority_words(s: DaySummary) -> str:
    """Whose time the day's priority figure is: 'on Sales', or after a change each
    priority's own share, 'on Sales (4 min) and Code (3 min)' -- never one name
    over another's minutes."""
    if not s.by_priority:
        return "on the priority (none declared)"
    shares = [f"{name} ({duration(secs)})" if s.changed else name for name, secs in s.by_priority.items()]
    return "on " + (f"{', '.join(shares[:-1])} and {shares[-1]}" if len(shares) > 1 else shares[0])


def priorities_text(s: DaySummary) -> str:
    """The day's priorities in the order declared: 'Sales → Code', '—' for none."""
    return " → ".join(s.by_priority) or "—"


def off_priority_label(item: OffPriorityItem, s: DaySummary) -> str:
    """An off-priority item's name, with the priority it was off when that is not
    plain (the day changed priority, or it came before the first declaration)."""
    name = item.activity or UNCLASSIFIED_NAME
    if item.priority is None:
        return f"{name} · before a priority" if s.by_priority else name
    return f"{name} · during {item.priority}" if s.changed else name


def off_priority_groups(s: DaySummary) -> list[tuple[str, tuple[OffPriorityItem, ...]]]:
    """The top off-priority items under a heading per priority they were off, in the
    day's order: 'Top off-priority' alone on a day of one priority."""
    if not s.top_off_priority:
        return []
    if not s.changed and all(i.priority is not None for i in s.top_off_priority):
        return [("Top off-priority", s.top_off_priority)]
    order = [p.priority for p in s.periods]
    groups: dict[str | None, list[OffPriorityItem]] = {}
    for item in sorted(s.top_off_priority, key=lambda i: order.index(i.priority) if i.priority in order else 0):
        groups.setdefault(item.priority, []).append(item)
    return [(f"Top off-priority during {p}" if p is not None else "Top off-priority before a priority was declared",
             tuple(items)) for p, items in groups.items()]


def period_lines(s: DaySummary, tz: tzinfo | None = None) -> list[str]:
    """One line per stretch of the day under one priority, when there was more than
    one: 'Sales 09:00–11:02 · 45 min on it · focus 80 %'."""
    if len(s.periods) < 2:
        return []
    clock = _clock(tz)
    last = s.periods[-1]

    def when(p: PriorityPeriod) -> str:
        return f"from {clock(p.start)}" if p is last else f"{clock(p.start)}–{clock(p.end)}"

    width = max(len(p.priority or NO_PRIORITY_YET) for p in s.periods)
    return [f"{fit(p.priority or NO_PRIORITY_YET, min(width, 24))}  {when(p):<12}  "
            f"{duration(p.seconds['priority'])} on it · focus {percent(p.focus_ratio)}"
            for p in s.periods]


NO_PRIORITY_YET = "No priority yet"


def headline(figures: DayFigures) -> str:
    """'on Sales · focus 58 % (7-day average 46 %)' -- the words under the big figure."""
    s, avg = figures.summary, figures.average
    words = priority_words(s) + f" · focus {percent(s.focus_ratio)}"
    if avg.days:
        words += f" (7-day average {percent(avg.focus_ratio)}, {duration(avg.priority_seconds)} a day)"
    return words


def nudge_line(figures: DayFigures) -> str:
    """'Nudges: 4 · back 3 · snoozed 1 · median recovery 2 min · longest streak on Sales 1 h 05 min'."""
    s = figures.summary
    parts = [f"Nudges: {len(s.nudges)}"]
    answers = figures.answers
    parts += [f"{ANSWER_WORDS[key]} {answers[key]}" for key in ANSWER_WORDS if answers[key]]
    median = figures.median_recovery_seconds
    if median is not None:
        parts.append(f"median recovery {duration(median)}")
    on = f" on {s.longest_priority_streak_on}" if s.longest_priority_streak_on else ""
    parts.append(f"longest streak{on} {duration(s.longest_priority_streak_seconds)}")
    return " · ".join(parts)


def day_markdown(figures: DayFigures, tz: tzinfo | None = None) -> str:
    """The day as Markdown: the popup's story top to bottom, tables for the figures."""
    s = figures.summary
    clock = _clock(tz)
    lines = [f"# {s.date:%A %d %B %Y} · Priority: {s.priority or '(none declared)'}", ""]
    if s.next_step:
        lines += [f"Next step was: {s.next_step}", ""]
    for c in figures.changes:
        lines += [f"Priority changed at {clock(c.at)}: {c.before} → {c.after}", ""]
    lines += [f"**{duration(s.seconds['priority'])}** {headline(figures)}", ""]
    periods = period_lines(s, tz)
    if periods:
        lines += [f"- {line}" for line in periods] + [""]
    rows = classification_rows(s)
    recorded = sum(secs for _, _, secs in rows)
    lines += ["## Where the time went", ""]
    lines += _table(
        ["", "Time", "Share"],
        [[label, duration(secs), percent(secs / recorded if recorded else None)] for label, _, secs in rows],
        right=(1, 2),
    )
    if figures.activities:
        lines += ["", "## By activity", ""]
        lines += _table(
            ["Activity", "Time"], [[a.name, duration(a.seconds)] for a in figures.activities], right=(1,)
        )
    if s.top_off_priority:
        lines += ["", "## Top off-priority", ""]
        lines += _table(
            ["Activity", "App", "Title", "Time"],
            [[off_priority_label(i, s), i.app, i.title, duration(i.seconds)] for i in s.top_off_priority],
            right=(3,),
        )
    lines += ["", "## Nudges", "", nudge_line(figures)]
    if figures.recoveries:
        lines += [""]
        lines += _table(
            ["Time", "Activity", "Answer", "Back on the priority after"],
            [
                [clock(r.at), r.activity or UNCLASSIFIED_NAME, ANSWER_WORDS[_answer_key(r.answer)],
                 "not that day" if r.seconds is None else duration(r.seconds)]
                for r in figures.recoveries
            ],
        )
    journal = figures.journal
    if journal is not None:
        lines += ["", "## Journal", ""]
        for question, answer in zip(JOURNAL_QUESTIONS, (journal.done, journal.todo, journal.change), strict=True):
            lines += [f"**{question}**", "", answer.strip() or "—", ""]
        if journal.tomorrow_activity:
            step = f" — next step: {journal.tomorrow_next_step}" if journal.tomorrow_next_step else ""
            lines += [f"**Tomorrow's priority:** {journal.tomorrow_activity}{step}", ""]
    return "\n".join(lines).rstrip() + "\n"


JOURNAL_QUESTIONS = ("What got done?", "What still needs doing?", "What needs to change?")

#: The classification rows of "Where the time went", in the order the popup draws them.
#: Idle and paused share one row (and one colour), as on the tray.
CLASSIFICATION_ROWS: tuple[tuple[str, tuple[Classification, ...]], ...] = (
    ("On priority", (Classification.PRIORITY,)),
    ("Productive distraction", (Classification.PRODUCTIVE_DISTRACTION,)),
    ("Distraction", (Classification.DISTRACTION,)),
    ("Unclassified", (Classification.UNCLASSIFIED,)),
    ("Neutral", (Classification.NEUTRAL,)),
    ("Idle / paused", (Classification.IDLE, Classification.PAUSED)),
)


def classification_rows(summary: DaySummary) -> list[tuple[str, Classification, float]]:
    """(label, the classification that gives its colour, seconds) for each row of
    CLASSIFICATION_ROWS (private time is never shown)."""
    return [(label, classes[0], sum(summary.seconds[c.value] for c in classes)) for label, classes in CLASSIFICATION_ROWS]


def _clock(tz: tzinfo | None) -> Callable[[float], str]:
    return lambda t: datetime.fromtimestamp(t, tz).strftime("%H:%M")


# --- ranges and the 30-day review ---------------------------------------------------


@dataclass(frozen=True)
class RangeSummary:
    """Consecutive local days, ``first`` to ``last`` inclusive, each summarised."""

    days: tuple[DaySummary, ...]

    @property
    def first(self) -> date:
        return self.days[0].date

    @property
    def last(self) -> date:
        return self.days[-1].date

    @property
    def tracked(self) -> tuple[DaySummary, ...]:
        return tuple(d for d in self.days if tracked_seconds(d) > 0)

    @property
    def average(self) -> WeekAverage:
        return week_average(self.days)

    @property
    def seconds(self) -> dict[str, float]:
        total = Counter()
        for d in self.days:
            total.update(d.seconds)
        return {c.value: total[c.value] for c in Classification}

    @property
    def focus_ratio(self) -> float | None:
        """Over the whole range, weighted by time (a long day counts more than a short one)."""
        seconds = self.seconds
        priority = seconds["priority"]
        total = priority + sum(seconds[c.value] for c in OFF_PRIORITY)
        return priority / total if total else None

    @property
    def off_priority(self) -> tuple[ActivityTime, ...]:
        """Off-priority time per activity over the range, most first."""
        return _activity_times(
            (s.activity, s.classification, s.seconds)
            for d in self.days for s in d.timeline if s.classification in OFF_PRIORITY
        )

    @property
    def activities(self) -> tuple[ActivityTime, ...]:
        """Active time per activity over the range (priority days included), most first."""
        return _activity_times(
            (s.activity, s.classification, s.seconds)
            for d in self.days for s in d.timeline if s.classification in ACTIVE
        )

    @property
    def answers(self) -> Counter:
        return Counter(_answer_key(n.answer) for d in self.days for n in d.nudges)

    @property
    def median_recovery_seconds(self) -> float | None:
        known = [r.seconds for d in self.days for r in recoveries(d) if r.seconds is not None]
        return statistics.median(known) if known else None

    @property
    def days_without_priority(self) -> tuple[date, ...]:
        """Tracked days with no declaration: the days off are not held against anyone."""
        return tuple(d.date for d in self.tracked if d.priority is None)

    def to_json(self) -> dict:
        average = self.average
        return {
            "from": self.first.isoformat(),
            "to": self.last.isoformat(),
            "tracked_days": len(self.tracked),
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
            "focus_ratio": self.focus_ratio,
            "average_per_tracked_day": {
                "priority_seconds": round(average.priority_seconds, 3), "focus_ratio": average.focus_ratio,
            },
            "off_priority": [
                {"name": a.name, "classification": a.classification.value, "seconds": round(a.seconds, 3)}
                for a in self.off_priority
            ],
            "nudges": {k or "unanswered": self.answers[k] for k in ANSWER_WORDS if self.answers[k]},
            "median_recovery_seconds": _round(self.median_recovery_seconds),
            "days_without_priority": [d.isoformat() for d in self.days_without_priority],
            "days": [day_row(d) for d in self.days],
        }


def summarize_range(store: ReviewStore, first: date, last: date, tz: tzinfo | None = None) -> RangeSummary:
    if last < first:
        raise ValueError(f"the range ends ({last}) before it starts ({first})")
    count = (last - first).days + 1
    return RangeSummary(tuple(summarize_day(store, first + timedelta(days=n), tz) for n in range(count)))


def parse_range(text: str, today: date) -> tuple[date, date]:
    """'7d' / '30d' (the N days ending today) or 'FROM:TO' (ISO dates, inclusive)."""
    text = text.strip()
    if text.endswith("d") and text[:-1].isdigit():
        n = int(text[:-1])
        if n < 1:
            raise ValueError("a range needs at least one day: 1d, 7d, 30d...")
        return today - timedelta(days=n - 1), today
    first, sep, last = text.partition(":")
    try:
        if not sep:
            raise ValueError
        start, end = date.fromisoformat(first), date.fromisoformat(last)
    except ValueError:
        raise ValueError(f"not a range: {text!r} (use 7d, 30d or YYYY-MM-DD:YYYY-MM-DD)") from None
    if end < start:
        raise ValueError(f"the range ends ({end}) before it starts ({start})")
    return start, end


def declared_days_sentence(r: RangeSummary) -> str:
    """The review's word on declarations: the days without one, and nothing about
    "every tracked day" when no day was tracked."""
    missing = r.days_without_priority
    if missing:
        return "No priority declared on: " + ", ".join(f"{d:%a %d %b}" for d in missing)
    if not r.tracked:
        return "No day tracked in this period yet."
    return "A priority was declared on every tracked day."


def range_text(r: RangeSummary) -> str:
    """A range for a terminal: one line per day, then the totals."""
    lines = [f"{r.first:%a %d %b %Y} – {r.last:%a %d %b %Y}", ""]
    lines.append(f"  {'Day':<15} {'Priority':<18} {'On priority':>12} {'Focus':>6} {'Nudges':>6}")
    for d in r.days:
        if tracked_seconds(d) == 0:
            lines.append(f"  {d.date:%a %d %b}      (nothing tracked)")
            continue
        lines.append(
            f"  {d.date:%a %d %b}      {fit(priorities_text(d), 18)} {duration(d.seconds['priority']):>12}"
            f" {percent(d.focus_ratio):>6} {len(d.nudges):>6}"
        )
    average = r.average
    lines += [
        "",
        f"Tracked days: {len(r.tracked)} of {len(r.days)} · focus {percent(r.focus_ratio)} · "
        f"{duration(average.priority_seconds)} on the priority per tracked day",
    ]
    if r.days_without_priority:
        lines.append(f"Days without a declared priority: {len(r.days_without_priority)}")
    if r.off_priority:
        lines += ["", "Off-priority time:"]
        for a in r.off_priority[:REVIEW_TOP_ACTIVITIES]:
            lines.append(f"  {fit(a.name, 30)} {duration(a.seconds):>12}")
    return "\n".join(lines)


def range_markdown(r: RangeSummary) -> str:
    lines = [f"# FocusGuard {r.first:%d %B %Y} – {r.last:%d %B %Y}", ""]
    lines += _table(
        ["Day", "Priority", "On priority", "Focus", "Nudges"],
        [
            [f"{d.date:%a %d %b}", priorities_text(d), duration(d.seconds["priority"]), percent(d.focus_ratio),
             str(len(d.nudges))]
            for d in r.days if tracked_seconds(d) > 0
        ],
        right=(2, 3, 4),
    )
    lines += ["", f"Tracked days: {len(r.tracked)} of {len(r.days)} · focus {percent(r.focus_ratio)}"]
    if r.off_priority:
        lines += ["", "## Off-priority time", ""]
        lines += _table(["Activity", "Time"], [[a.name, duration(a.seconds)] for a in r.off_priority], right=(1,))
    return "\n".join(lines) + "\n"


# --- days as rows (CSV / JSON) ------------------------------------------------------

DAY_FIELDS = (
    "date", "priority", "next_step", "priority_seconds_by_priority",
    *(f"{c.value}_seconds" for c in Classification),
    "focus_ratio", "longest_priority_streak_seconds",
    "nudges", *(f"nudges_{a.value}" for a in Answer), "nudges_unanswered",
)
JOURNAL_FIELDS = ("done", "todo", "change", "tomorrow_activity", "tomorrow_next_step")


def day_row(s: DaySummary) -> dict:
    """One flat row per day: the same figures as ``report --json``, for spreadsheets."""
    answers = Counter(_answer_key(n.answer) for n in s.nudges)
    return {
        "date": s.date.isoformat(),
        "priority": s.priority or "",
        "next_step": s.next_step,
        # "priority_seconds" is the day's on-priority time; this says whose, after a change
        "priority_seconds_by_priority": {name: round(secs, 3) for name, secs in s.by_priority.items()},
        **{f"{c.value}_seconds": round(s.seconds[c.value], 3) for c in Classification},
        "focus_ratio": None if s.focus_ratio is None else round(s.focus_ratio, 4),
        "longest_priority_streak_seconds": round(s.longest_priority_streak_seconds, 3),
        "nudges": len(s.nudges),
        **{f"nudges_{a.value}": answers[a.value] for a in Answer},
        "nudges_unanswered": answers[None],
    }


def days_rows(store: ReviewStore, first: date, last: date, tz: tzinfo | None = None) -> list[dict]:
    """Every day of the range with its journal (blank fields when none was written)."""
    rows = []
    for s in summarize_range(store, first, last, tz).days:
        journal = store.journal(s.date)
        rows.append({**day_row(s), **{f: getattr(journal, f) if journal else "" for f in JOURNAL_FIELDS}})
    return rows


#: A text cell starting with one of these is a formula to a spreadsheet (OWASP, "CSV
#: injection"): any website sets its tab title to "=cmd|' /C calc'!A0" at will.
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A value as a CSV cell: None empty, text that a spreadsheet would run as a formula
    prefixed with a single quote (OWASP's advice), numbers left as numbers."""
    if value is None:
        return ""
    if isinstance(value, dict):  # per-priority seconds: 'Sales: 240; Code: 60'
        value = "; ".join(f"{k}: {v:g}" for k, v in value.items())
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def rows_csv(rows: Sequence[dict], fields: Sequence[str]) -> str:
    """CSV text with a header (RFC 4180 line ends, as spreadsheets expect); every cell
    through :func:`csv_cell`, so no title, app or journal line becomes a formula."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=list(fields))
    writer.writeheader()
    writer.writerows({k: csv_cell(v) for k, v in row.items()} for row in rows)
    return out.getvalue()


DAYS_CSV_FIELDS = (*DAY_FIELDS, *JOURNAL_FIELDS)
EVENT_FIELDS = ("start", "end", "seconds", "classification", "activity", "app", "title", "exe")


def event_rows(store: ReviewStore, start: float, end: float, tz: tzinfo | None = None) -> list[dict]:
    """The raw log between two instants, times local to ``tz`` (None: the system's zone) with their offset."""
    return [
        {"start": iso(e.start, tz), "end": iso(e.end, tz), "seconds": round(e.seconds, 3),
         "classification": str(e.classification), "activity": e.activity or "",
         "app": e.app, "title": e.title, "exe": e.exe}
        for e in store.events(start, end)
    ]


# --- the 30-day review --------------------------------------------------------------


class Verdict(StrEnum):
    """The user's answer to "too much, not enough, just right?" about an activity."""

    TOO_MUCH = "too_much"
    NOT_ENOUGH = "not_enough"
    JUST_RIGHT = "just_right"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


def review_period(today: date) -> tuple[date, date]:
    """The REVIEW_DAYS days ending ``today``: the day so far counts (a review opened in
    the evening, or on a first month's last day, would otherwise miss the day just lived)."""
    return today - timedelta(days=REVIEW_DAYS - 1), today


def review_activities(r: RangeSummary) -> tuple[ActivityTime, ...]:
    """The activities the review asks about: the most time first, priority ones included
    (one can spend too little on the priority too)."""
    return r.activities[:REVIEW_TOP_ACTIVITIES]


def save_review_answers(store: ReviewStore, last: date, answers: dict[str, Verdict]) -> None:
    store.set_meta(REVIEW_ANSWERS_KEY + last.isoformat(),
                   json.dumps({name: v.value for name, v in sorted(answers.items())}, ensure_ascii=False))


def review_answers(store: ReviewStore, last: date) -> dict[str, Verdict]:
    """The answers saved for the review ending ``last``; a damaged entry reads as none."""
    raw = store.get_meta(REVIEW_ANSWERS_KEY + last.isoformat())
    try:
        data = json.loads(raw) if raw else {}
        return {str(k): Verdict(v) for k, v in data.items()}
    except (ValueError, AttributeError):
        return {}


def suggestions(r: RangeSummary, answers: dict[str, Verdict] | None = None, *,
                focus_blocks: bool) -> tuple[str, ...]:
    """What to change, drawn from the period and the user's answers, most pressing first.
    Focus blocks are only named when the user has some (``focus_blocks``).

    An off-priority activity the user called "too much" beats a bigger one called
    "just right"; one called "not enough" or "just right" gets no advice to cut it."""
    answers = answers or {}
    if not r.tracked:
        return ("Nothing was tracked in this period yet: keep FocusGuard running and look again in a few days.",)
    out: list[str] = []
    off = r.off_priority
    off_total = sum(a.seconds for a in off)
    fine = {name for name, v in answers.items() if v is not Verdict.TOO_MUCH}
    candidates = sorted((a for a in off if a.name not in fine),
                        key=lambda a: (answers.get(a.name) is not Verdict.TOO_MUCH, -a.seconds))
    if candidates and off_total > 0:
        top = candidates[0]
        out.append(_cut_advice(top, top.seconds / off_total, focus_blocks))
    for name, verdict in answers.items():
        if verdict is Verdict.NOT_ENOUGH:
            days_as_priority = sum(1 for d in r.tracked if any(same_activity(name, p) for p in d.by_priority))
            out.append(f"{name} gets less time than you want: it was the priority on {days_as_priority} of "
                       f"{len(r.tracked)} tracked days. Declare it on more mornings, and start with its next step.")
    missing = len(r.days_without_priority)
    if missing and missing / len(r.tracked) >= NO_PRIORITY_SHARE_WORTH_SAYING:
        out.append(f"No priority was declared on {missing} of {len(r.tracked)} tracked days: "
                   "declare one each morning (the evening's summary pre-fills it).")
    if not out:
        out.append(f"Focus was {percent(r.focus_ratio)} over the period: keep the same routine.")
    return tuple(out)


def _cut_advice(activity: ActivityTime, share: float, focus_blocks: bool) -> str:
    took = f"{activity.name} took {percent(share)} of your off-priority time"
    if activity.name == UNCLASSIFIED_NAME:
        return f"Unclassified windows took {percent(share)} of your off-priority time: " \
               "tell FocusGuard what they are, so its nudges fit."
    if activity.classification is Classification.DISTRACTION:
        if focus_blocks:
            return f"{took}: keep it out of your focus blocks, or save it for the end of the day."
        return f"{took}: save it for the end of the day, once the priority's next step is done."
    if focus_blocks:
        return f"{took}: add it to a focus block or delegate it."
    return f"{took}: give it a fixed time after the priority's next step, or delegate it."


# --- when to offer the summary and the review ---------------------------------------


def day_end_due(now: datetime, day_end: time, last_offered: date | None, *, active: bool,
                tracked: float) -> bool:
    """The end-of-day popup opens once a day, after day.end, when the user is there
    (an idle screen would hide it until morning) and the day has enough to show."""
    return (active and now.time() >= day_end and last_offered != now.date()
            and tracked >= MIN_TRACKED_SECONDS)


def review_due(today: date, first_use: date, last_offered: date | None) -> bool:
    """REVIEW_DAYS after first use, then every REVIEW_DAYS after the last offer."""
    since = last_offered or first_use
    return today >= since + timedelta(days=REVIEW_DAYS)


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None  # a damaged entry reads as never


class Prompts:
    """Decides when the summary and the review offer themselves; remembers the offers
    in the store's meta table, so a restart neither repeats nor forgets one."""

    def __init__(self, store: ReviewStore, *, clock: Callable[[], float], tz: tzinfo | None = None) -> None:
        self.store = store
        self.clock = clock
        self.tz = tz

    def today(self) -> date:
        return datetime.fromtimestamp(self.clock(), self.tz).date()

    @property
    def last_offered(self) -> date | None:
        return _date(self.store.get_meta(OFFERED_KEY))

    def mark_offered(self, day: date) -> None:
        """Never moves back: offering an older missed day keeps today's mark."""
        last = self.last_offered
        if last is None or day > last:
            self.store.set_meta(OFFERED_KEY, day.isoformat())

    def day_end(self, day_end: time, *, active: bool, tracked: float) -> date | None:
        """Today, when its end-of-day popup is due now."""
        now = datetime.fromtimestamp(self.clock(), self.tz)
        due = day_end_due(now, day_end, self.last_offered, active=active, tracked=tracked)
        return now.date() if due else None

    def missed_day(self) -> date | None:
        """The last tracked day before today, within MISSED_LOOKBACK_DAYS, when it ended
        with no popup offered and no journal written (the computer was off at day.end)."""
        today = self.today()
        last = self.last_offered
        floor = today - timedelta(days=MISSED_LOOKBACK_DAYS)
        start, end = day_bounds(floor, self.tz)[0], day_bounds(today, self.tz)[0]
        tracked: Counter = Counter()
        for e in self.store.events(start, end):
            if e.classification in ACTIVE:
                s, t = max(e.start, start), min(e.end, end)
                while s < t:  # an event over midnight counts on both days
                    day = datetime.fromtimestamp(s, self.tz).date()
                    stop = min(t, day_bounds(day, self.tz)[1])
                    tracked[day] += stop - s
                    s = stop
        for day in sorted(tracked, reverse=True):
            if tracked[day] >= MIN_TRACKED_SECONDS:
                if (last is None or day > last) and self.store.journal(day) is None:
                    return day
                return None
        return None

    def first_use(self) -> date:
        """Stored on first call: the first declaration's day, or today on a new install."""
        stored = _date(self.store.get_meta(FIRST_USE_KEY))
        if stored is not None:
            return stored
        declarations = self.store.declarations()
        today = self.today()
        first = min(datetime.fromtimestamp(declarations[0].at, self.tz).date(), today) if declarations else today
        self.store.set_meta(FIRST_USE_KEY, first.isoformat())
        return first

    def review_period(self) -> tuple[date, date]:
        """The period a review opened today covers."""
        return review_period(self.today())

    def review(self) -> tuple[date, date] | None:
        """The review period when a review is due now, else None."""
        if review_due(self.today(), self.first_use(), _date(self.store.get_meta(REVIEW_OFFERED_KEY))):
            return self.review_period()
        return None

    def mark_review_offered(self) -> None:
        self.store.set_meta(REVIEW_OFFERED_KEY, self.today().isoformat())

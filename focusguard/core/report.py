"""The figures for people and for other programs: text and Markdown reports, CSV and
JSON rows. Renderers only: every number comes from ``figures`` (and ``summary``),
so the CLI, the summary window's export and the review say the same thing.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, tzinfo
from typing import Any, Final

from focusguard.core import palette
from focusguard.core.figures import (
    REVIEW_TOP_ACTIVITIES,
    UNCLASSIFIED_NAME,
    DayFigures,
    RangeSummary,
    ReviewStore,
    answer_key,
    priority_changes,
    summarize_range,
    tracked_seconds,
)
from focusguard.core.model import Answer, Classification
from focusguard.core.summary import (
    DaySummary,
    OffPriorityItem,
    PriorityPeriod,
)
from focusguard.core.timefmt import clock, duration, iso
from focusguard.core.words import fit


def percent(ratio: float | None) -> str:
    """'58 %' (DESIGN.md's spacing), or '—' when there is nothing to divide."""
    return "—" if ratio is None else f"{ratio * 100:.0f} %"


ANSWER_WORDS: dict[str | None, str] = {
    Answer.BACK.value: "back",
    Answer.PART_OF_PRIORITY.value: "part of the priority",
    Answer.SNOOZE.value: "snoozed",
    Answer.IGNORED.value: "ignored",
    Answer.CLASSIFIED.value: "classified",
    Answer.DELEGATE.value: "delegated",
    None: "unanswered",
}


#: How a nudge was answered, in the palette's own answer colours (never a class's).
ANSWER_COLOURS: dict[str | None, str] = {key: palette.answer_colour(key) for key in ANSWER_WORDS}


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
    last = s.periods[-1]

    def when(p: PriorityPeriod) -> str:
        return f"from {clock(p.start, tz)}" if p is last else f"{clock(p.start, tz)}–{clock(p.end, tz)}"

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
    lines = [f"# {s.date:%A %d %B %Y} · Priority: {s.priority or '(none declared)'}", ""]
    if s.next_step:
        lines += [f"Next step was: {s.next_step}", ""]
    for c in figures.changes:
        lines += [f"Priority changed at {clock(c.at, tz)}: {c.before} → {c.after}", ""]
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
                [clock(r.at, tz), r.activity or UNCLASSIFIED_NAME, ANSWER_WORDS[answer_key(r.answer)],
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
    return [(label, classes[0], sum(summary.seconds[c.value] for c in classes))
            for label, classes in CLASSIFICATION_ROWS]


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


DAY_FIELDS = (
    "date", "priority", "next_step", "priority_seconds_by_priority",
    *(f"{c.value}_seconds" for c in Classification),
    "focus_ratio", "longest_priority_streak_seconds",
    "nudges", *(f"nudges_{a.value}" for a in Answer), "nudges_unanswered",
)


JOURNAL_FIELDS = ("done", "todo", "change", "tomorrow_activity", "tomorrow_next_step")


def day_row(s: DaySummary) -> dict[str, Any]:
    """One flat row per day: the same figures as ``report --json``, for spreadsheets."""
    answers = Counter(answer_key(n.answer) for n in s.nudges)
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


def days_rows(store: ReviewStore, first: date, last: date, tz: tzinfo | None = None) -> list[dict[str, Any]]:
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


def rows_csv(rows: Sequence[dict[str, Any]], fields: Sequence[str]) -> str:
    """CSV text with a header (RFC 4180 line ends, as spreadsheets expect); every cell
    through :func:`csv_cell`, so no title, app or journal line becomes a formula."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=list(fields))
    writer.writeheader()
    writer.writerows({k: csv_cell(v) for k, v in row.items()} for row in rows)
    return out.getvalue()


DAYS_CSV_FIELDS = (*DAY_FIELDS, *JOURNAL_FIELDS)


EVENT_FIELDS = ("start", "end", "seconds", "classification", "activity", "app", "title", "exe")


def event_rows(store: ReviewStore, start: float, end: float, tz: tzinfo | None = None) -> list[dict[str, Any]]:
    """The raw log between two instants, times local to ``tz`` (None: the system's zone) with their offset."""
    return [
        {"start": iso(e.start, tz), "end": iso(e.end, tz), "seconds": round(e.seconds, 3),
         "classification": str(e.classification), "activity": e.activity or "",
         "app": e.app, "title": e.title, "exe": e.exe}
        for e in store.events(start, end)
    ]


# --- text -----------------------------------------------------------------------------

#: The palette's words for each class, in report order: the off-priority classes first.
LABELS = {
    c.value: palette.label(c)
    for c in (Classification.PRIORITY, Classification.PRODUCTIVE_DISTRACTION, Classification.DISTRACTION,
              Classification.UNCLASSIFIED, Classification.NEUTRAL, Classification.IDLE,
              Classification.PAUSED, Classification.PRIVATE)
}


def day_text(summary: DaySummary, tz: tzinfo | None = None) -> str:
    """The day as plain text, for a terminal: each priority's own time when it changed."""
    lines = [f"{summary.date:%A %d %B %Y} · Priority: {summary.priority or '(none declared)'}"]
    if summary.next_step:
        lines.append(f"Next step: {summary.next_step}")
    changes = priority_changes(summary)
    if changes:
        lines.append("")
        lines += [f"Priority changed at {clock(c.at, tz)}: {c.before} → {c.after}"
                  for c in changes]
    lines += ["", (f"{duration(summary.seconds['priority'])} {priority_words(summary)} "
                   f"· focus {percent(summary.focus_ratio)}")]
    lines += [f"  {line}" for line in period_lines(summary, tz)]
    lines.append("")
    width = max(len(label) for label in LABELS.values())
    for key, label in LABELS.items():
        if summary.seconds.get(key):
            lines.append(f"  {label:<{width}}  {duration(summary.seconds[key]):>12}")
    for heading, items in off_priority_groups(summary):
        lines += ["", f"{heading}:"]
        for item in items:
            what = " — ".join(part for part in (item.app, item.title) if part)
            lines.append(f"  {fit(item.activity or 'Unclassified', 22)} {fit(what, 56)} "
                         f"{fit(duration(item.seconds), 12, right=True)}")
    on = f" (on {summary.longest_priority_streak_on})" if summary.longest_priority_streak_on else ""
    lines += ["", f"Longest priority streak: {duration(summary.longest_priority_streak_seconds)}{on}",
              f"Nudges: {len(summary.nudges)}"]
    for nudge in summary.nudges:
        answer = ANSWER_WORDS[None if nudge.answer is None else Answer(nudge.answer).value]
        lines.append(f"  {clock(nudge.at, tz)} {nudge.activity or 'Unclassified'}"
                     f" (level {nudge.level}): {answer}")
    return "\n".join(lines)


# --- JSON -----------------------------------------------------------------------------


def rounded_or_none(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def rounded(seconds: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 3) for k, v in seconds.items()}


def summary_json(s: DaySummary, tz: tzinfo | None = None) -> dict[str, Any]:
    """Plain JSON types; seconds rounded to milliseconds, times ISO 8601 local with offset."""
    return {
        "date": s.date.isoformat(),
        "priority": s.priority,
        "next_step": s.next_step,
        "seconds": rounded(s.seconds),
        "focus_ratio": s.focus_ratio,
        "longest_priority_streak_seconds": round(s.longest_priority_streak_seconds, 3),
        "top_off_priority": [
            {"activity": i.activity, "app": i.app, "title": i.title, "seconds": round(i.seconds, 3),
             "priority": i.priority}
            for i in s.top_off_priority
        ],
        "nudges": [
            {
                "at": iso(n.at, tz),
                "activity": n.activity,
                "classification": n.classification.value,
                "level": n.level,
                "answer": None if n.answer is None else n.answer.value,
            }
            for n in s.nudges
        ],
        "hours": [rounded(h) for h in s.hours],
        "longest_priority_streak_on": s.longest_priority_streak_on,
        "by_priority": rounded(s.by_priority),
        "periods": [
            {"from": iso(p.start, tz), "to": iso(p.end, tz), "priority": p.priority,
             "next_step": p.next_step, "seconds": rounded(p.seconds), "focus_ratio": p.focus_ratio}
            for p in s.periods
        ],
    }


def day_json(f: DayFigures, tz: tzinfo | None = None) -> dict[str, Any]:
    """``summary_json`` (unchanged, first) plus the derived figures."""
    average = f.average
    journal = f.journal
    return {
        **summary_json(f.summary, tz),
        "priority_changes": [
            {"at": iso(c.at, tz), "before": c.before, "after": c.after, "next_step": c.next_step}
            for c in f.changes
        ],
        "activities": [
            {"name": a.name, "classification": a.classification.value, "seconds": round(a.seconds, 3)}
            for a in f.activities
        ],
        "recoveries": [
            {"at": iso(r.at, tz), "activity": r.activity, "answer": answer_key(r.answer),
             "seconds": None if r.seconds is None else round(r.seconds, 3)}
            for r in f.recoveries
        ],
        "median_recovery_seconds": rounded_or_none(f.median_recovery_seconds),
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


def range_json(r: RangeSummary) -> dict[str, Any]:
    average = r.average
    return {
        "from": r.first.isoformat(),
        "to": r.last.isoformat(),
        "tracked_days": len(r.tracked),
        "seconds": {k: round(v, 3) for k, v in r.seconds.items()},
        "focus_ratio": r.focus_ratio,
        "average_per_tracked_day": {
            "priority_seconds": round(average.priority_seconds, 3), "focus_ratio": average.focus_ratio,
        },
        "off_priority": [
            {"name": a.name, "classification": a.classification.value, "seconds": round(a.seconds, 3)}
            for a in r.off_priority
        ],
        "nudges": {k or "unanswered": r.answers[k] for k in ANSWER_WORDS if r.answers[k]},
        "median_recovery_seconds": rounded_or_none(r.median_recovery_seconds),
        "days_without_priority": [d.isoformat() for d in r.days_without_priority],
        "days": [day_row(d) for d in r.days],
    }

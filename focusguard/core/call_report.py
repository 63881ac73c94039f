"""Calls in reports (issue 15): a day's calls by kind for JSON, Markdown, text and day
rows, and the 30-day look the review takes at them.

Renderers only, beside ``report`` (the day's window figures) and ``plan_report``:
the calls come from ``call_records``; the CLI and the windows add what these return
to what ``report`` returns, so ``report --json`` gains ``calls`` and
``seconds.call_value`` / ``seconds.call_chill``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from focusguard.core.calls import Call, CallFigures, CallKind, TimeSlot, call_figures, clipped
from focusguard.core.timefmt import clock, duration, iso

#: The columns a day row (``export --what days``) gains.
CALL_DAY_FIELDS = ("call_value_seconds", "call_chill_seconds", "call_unanswered_seconds", "calls")
#: How the review words each kind.
KIND_WORDS = {CallKind.VALUE: "value", CallKind.CHILL: "chill", CallKind.UNANSWERED: "unanswered"}
#: The review suggests moving chill calls into their slot once this many leak in its period.
LEAKS_WORTH_SAYING = 2


@dataclass(frozen=True)
class PeriodCalls:
    """The calls overlapping [start, end) and their figures (each only for its part inside)."""

    calls: tuple[Call, ...]
    figures: CallFigures
    start: float
    end: float

    def seconds_in(self, call: Call) -> float:
        part = clipped(call, self.start, self.end)
        return 0.0 if part is None else part[1] - part[0]


def period_calls(calls: Sequence[Call], start: float, end: float, slots: Sequence[TimeSlot],
                 tz: tzinfo | None = None) -> PeriodCalls:
    return PeriodCalls(tuple(calls), call_figures(calls, start, end, slots, tz), start, end)


def call_json(call: Call, tz: tzinfo | None = None) -> dict[str, Any]:
    return {"start": iso(call.start, tz), "end": None if call.end is None else iso(call.end, tz),
            "app": call.app, "title": call.title, "kind": call.kind.value, "note": call.note}


def day_json(day: PeriodCalls, data: dict[str, Any], tz: tzinfo | None = None) -> dict[str, Any]:
    """``data`` (a day's JSON report) with ``calls`` and ``seconds.call_value`` /
    ``seconds.call_chill`` (each call's part within the day)."""
    seconds = dict(data.get("seconds", {}))
    seconds["call_value"] = round(day.figures.seconds[CallKind.VALUE], 1)
    seconds["call_chill"] = round(day.figures.seconds[CallKind.CHILL], 1)
    return {**data, "seconds": seconds, "calls": [call_json(c, tz) for c in day.calls]}


def range_json(period: PeriodCalls, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` (a range's JSON report) with ``seconds.call_value`` / ``seconds.call_chill``
    and ``calls``: per kind its seconds and count, chill time outside its slots, and the
    value calls' share of the answered call time (null with none answered)."""
    f = period.figures
    seconds = dict(data.get("seconds", {}))
    seconds["call_value"] = round(f.seconds[CallKind.VALUE], 1)
    seconds["call_chill"] = round(f.seconds[CallKind.CHILL], 1)
    calls: dict[str, Any] = {k.value: {"seconds": round(f.seconds[k], 1), "count": f.counts[k]} for k in CallKind}
    calls["chill_outside_seconds"] = round(f.chill_outside_seconds, 1)
    calls["value_share"] = None if f.value_share is None else round(f.value_share, 4)
    return {**data, "seconds": seconds, "calls": calls}


def call_line(call: Call, tz: tzinfo | None = None) -> str:
    """'10:05 Zoom, 34 min: value (Acme: send the Q2 proposal)'."""
    note = f" ({call.note})" if call.note else ""
    return f"{clock(call.start, tz)} {call.label}: {KIND_WORDS[call.kind]}{note}"


def kinds_line(figures: CallFigures) -> str:
    """'value 40 min (2), chill 25 min (1), unanswered 5 min (1)'; kinds with none left out."""
    parts = [f"{KIND_WORDS[k]} {duration(figures.seconds[k])} ({figures.counts[k]})"
             for k in CallKind if figures.counts[k]]
    return ", ".join(parts)


def leak_line(figures: CallFigures) -> str:
    """'' or 'Chill calls outside chill time: 25 min (1)'."""
    if not figures.chill_outside_count:
        return ""
    return f"Chill calls outside chill time: {duration(figures.chill_outside_seconds)} ({figures.chill_outside_count})"


def markdown(day: PeriodCalls, tz: tzinfo | None = None) -> str:
    """The section a day's Markdown report gains; "" with no call."""
    if not day.calls:
        return ""
    lines = ["## Calls", "", f"By kind: {kinds_line(day.figures)}", ""]
    if leak_line(day.figures):
        lines += [leak_line(day.figures), ""]
    lines += [f"- {_md(call_line(c, tz))}" for c in day.calls] + [""]
    return "\n".join(lines)


def text(day: PeriodCalls, tz: tzinfo | None = None) -> str:
    """The lines a day's text report gains; "" with no call."""
    if not day.calls:
        return ""
    lines = [f"Calls: {kinds_line(day.figures)}"]
    if leak_line(day.figures):
        lines.append(f"  {leak_line(day.figures)}")
    lines += [f"  {call_line(c, tz)}" for c in day.calls]
    return "\n".join(lines)


def day_fields(day: PeriodCalls, *, flat: bool, tz: tzinfo | None = None) -> dict[str, Any]:
    """A day row's CALL_DAY_FIELDS: ``calls`` a list of objects, or with ``flat`` (CSV)
    one cell of '; '-separated lines."""
    listed: Any = "; ".join(call_line(c, tz) for c in day.calls) if flat else [call_json(c, tz) for c in day.calls]
    seconds = day.figures.seconds
    return {"call_value_seconds": round(seconds[CallKind.VALUE], 1),
            "call_chill_seconds": round(seconds[CallKind.CHILL], 1),
            "call_unanswered_seconds": round(seconds[CallKind.UNANSWERED], 1), "calls": listed}


def review_lines(period: PeriodCalls) -> list[str]:
    """The review's words on a period's calls: by kind, the value share, the leak, and
    a suggestion when chill calls keep leaking out of their slot; [] with no call."""
    f = period.figures
    if not any(f.counts.values()):
        return []
    share = f.value_share
    lines = [f"Calls: {kinds_line(f)}.",
             "Value calls: " + ("no call answered yet." if share is None else f"{share:.0%} of answered call time.")]
    if leak_line(f):
        lines.append(leak_line(f) + ".")
    if f.chill_outside_count >= LEAKS_WORTH_SAYING:
        lines.append("Suggestion: move chill calls into their slot ([calls] chill_call_times), "
                     "and keep working hours for calls that present value.")
    return lines


def _md(line: str) -> str:
    return line.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_")

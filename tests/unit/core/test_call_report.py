"""Calls in reports: JSON keys, Markdown and text lines, day rows, the review's words."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from focusguard.core.call_report import (
    day_fields,
    day_json,
    markdown,
    period_calls,
    review_lines,
    text,
)
from focusguard.core.calls import Call, CallKind
from focusguard.core.config.slots import parse_slot

TZ = ZoneInfo("Europe/Berlin")
LUNCH = (parse_slot("mon-fri 12:00-13:00"),)
DAY = (datetime(2026, 11, 26, tzinfo=TZ).timestamp(), datetime(2026, 11, 27, tzinfo=TZ).timestamp())


def at(hour: int, minute: int = 0, day: int = 26) -> float:
    return datetime(2026, 11, day, hour, minute, tzinfo=TZ).timestamp()


CALLS = [
    Call(at(10, 5), at(10, 39), "Zoom", "Zoom Meeting", CallKind.VALUE, "Acme: send the Q2 proposal", 1),
    Call(at(12, 10), at(12, 30), "Discord", "", CallKind.CHILL, "Ana", 2),
    Call(at(15, 0), at(15, 25), "Meet", "Meet - x", CallKind.CHILL, "", 3),
    Call(at(23, 50), at(0, 20, day=27), "Zoom", "", CallKind.UNANSWERED, "", 4),
]


def test_report_json_gains_calls_and_call_seconds() -> None:
    day = period_calls(CALLS, *DAY, LUNCH, TZ)
    data = day_json(day, {"date": "2026-11-26", "seconds": {"priority": 10.0}}, TZ)
    assert data["seconds"] == {"priority": 10.0, "call_value": 2040.0, "call_chill": 2700.0}
    assert data["calls"][0] == {"start": "2026-11-26T10:05:00+01:00", "end": "2026-11-26T10:39:00+01:00",
                                "app": "Zoom", "title": "Zoom Meeting", "kind": "value",
                                "note": "Acme: send the Q2 proposal"}
    assert [c["kind"] for c in data["calls"]] == ["value", "chill", "chill", "unanswered"]
    assert day.figures.seconds[CallKind.UNANSWERED] == 600  # only its part before midnight


def test_markdown_and_text_list_calls_by_kind_and_the_leak() -> None:
    day = period_calls(CALLS, *DAY, LUNCH, TZ)
    md = markdown(day, TZ)
    assert "## Calls" in md
    assert "By kind: value 34 min (1), chill 45 min (2), unanswered 10 min (1)" in md
    assert "Chill calls outside chill time: 25 min (1)" in md
    assert "- 10:05 Zoom, 34 min: value (Acme: send the Q2 proposal)" in md
    plain = text(day, TZ)
    assert plain.splitlines()[0] == "Calls: value 34 min (1), chill 45 min (2), unanswered 10 min (1)"
    assert "  15:00 Meet, 25 min: chill" in plain.splitlines()
    assert markdown(period_calls([], *DAY, LUNCH, TZ)) == "" and text(period_calls([], *DAY, LUNCH, TZ)) == ""


def test_day_rows_carry_call_seconds_and_the_calls() -> None:
    day = period_calls(CALLS, *DAY, LUNCH, TZ)
    flat = day_fields(day, flat=True, tz=TZ)
    assert flat["call_value_seconds"] == 2040.0 and flat["call_unanswered_seconds"] == 600.0
    assert flat["calls"].startswith("10:05 Zoom, 34 min: value (Acme: send the Q2 proposal); 12:10 Discord")
    assert day_fields(day, flat=False, tz=TZ)["calls"][1]["note"] == "Ana"


def test_the_review_says_the_value_share_and_suggests_the_slot_when_chill_calls_leak() -> None:
    leaking = [*CALLS, Call(at(16, 0, day=25), at(16, 30, day=25), "Zoom", "", CallKind.CHILL, "", 5)]
    period = period_calls(leaking, at(0, 0, day=1), DAY[1], LUNCH, TZ)
    lines = review_lines(period)
    assert lines[0].startswith("Calls: value 34 min (1), chill 1 h 15 min (3)")
    assert lines[1] == "Value calls: 31% of answered call time."
    assert lines[2] == "Chill calls outside chill time: 55 min (2)."
    assert lines[3].startswith("Suggestion: move chill calls into their slot")
    assert review_lines(period_calls(CALLS[:2], *DAY, LUNCH, TZ))[-1] == "Value calls: 63% of answered call time."
    assert review_lines(period_calls([], *DAY, LUNCH, TZ)) == []

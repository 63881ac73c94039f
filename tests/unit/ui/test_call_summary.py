"""Calls in the summary and the review (pytest-qt, offscreen, a real database): by kind,
chill time outside its slot, the 30-day value share, answering a waiting call, ticking
a follow-up; the review's lines with the suggestion. A screenshot for a person to look at
(``$FOCUSGUARD_CALL_SHOTS``, default /tmp/call-shots)."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from focusguard.call_records import CallRecords
from focusguard.core.calls import Call, CallKind
from focusguard.core.config import parse_config
from focusguard.store import Store
from focusguard.store_calls import CallLog
from focusguard.ui.call_summary import CallsReview, CallsSummary
from focusguard.ui.qt import Qt

TZ = ZoneInfo("Europe/Berlin")
DAY = date(2026, 11, 26)  # a Thursday
CONFIG = parse_config('[calls]\nchill_call_times = ["mon-fri 12:00-13:00"]\n')[0]
SHOTS_DIR = Path(os.environ.get("FOCUSGUARD_CALL_SHOTS", "/tmp/call-shots"))


def at(hour: int, minute: int = 0, day: int = 26) -> float:
    return datetime(2026, 11, day, hour, minute, tzinfo=TZ).timestamp()


@pytest.fixture
def records(tmp_path: Path):
    with Store(tmp_path / "fg.db") as store:
        log = CallLog(store)
        value = log.add(Call(at(10, 5), at(10, 39), "Zoom", "Zoom Meeting"))
        log.answer(value.id, CallKind.VALUE, "Acme: send the Q2 proposal", at(10, 40))
        for day, hour in ((24, 15), (26, 15)):
            chill = log.add(Call(at(hour, 0, day), at(hour, 25, day), "Discord", "Discord | Voice Connected"))
            log.answer(chill.id, CallKind.CHILL, "", at(hour, 30, day))
        log.add(Call(at(16, 0), at(16, 10), "Meet", "Meet - abc"))
        yield CallRecords(store, config=lambda: CONFIG, clock=lambda: at(18), tz=TZ)


def test_the_summary_says_the_days_calls_and_answers_a_waiting_one(qtbot, records: CallRecords) -> None:
    section = CallsSummary(records)
    qtbot.addWidget(section)
    section.show_day(DAY)
    section.show()
    section.resize(900, section.sizeHint().height())
    assert section.kinds.text() == "Today: value 34 min (1), chill 25 min (1), unanswered 10 min (1)"
    assert section.leak.text() == "Chill calls outside chill time: 25 min (1)"
    assert section.share.text() == "Value calls over 30 days: 40% of answered call time"
    [(call, note, value, _chill)] = section.waiting_rows
    assert call.app == "Meet"
    [(_followup, box)] = section.followup_boxes
    assert box.text() == "Follow up: Acme: send the Q2 proposal" and not box.isChecked()
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)
    assert section.grab().save(str(SHOTS_DIR / "summary-calls.png"))

    qtbot.keyClicks(note, "Bob: intro to Carol")
    qtbot.mouseClick(value, Qt.MouseButton.LeftButton)
    assert records.waiting() == ()
    assert section.waiting_rows == []
    assert [c.note for c, _ in section.followup_boxes] == ["Acme: send the Q2 proposal", "Bob: intro to Carol"]
    section.followup_boxes[0][1].setChecked(True)
    assert [done for _, done in records.followups()] == [True, False]  # ticked today: still listed, ticked
    assert records.log.followups() == [(records.log.call(call.id), False)]  # past today: only the open one


def test_the_review_suggests_the_slot_when_chill_calls_leak(qtbot, records: CallRecords) -> None:
    review = CallsReview(records)
    qtbot.addWidget(review)
    review.show_period(date(2026, 10, 28), DAY)
    lines = review.lines.text().splitlines()
    assert lines[0] == "Calls: value 34 min (1), chill 50 min (2), unanswered 10 min (1)."
    assert lines[2] == "Chill calls outside chill time: 50 min (2)."
    assert lines[3].startswith("Suggestion: move chill calls into their slot")
    review.show_period(date(2026, 9, 1), date(2026, 9, 30))
    assert review.isHidden()

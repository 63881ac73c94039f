"""Meetings from a local .ics file: attendees make a meeting, recurrences expand, bad files say why."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from focusguard.platform.calendar import CalendarError, CalendarFile, Meeting, meetings

TZ = ZoneInfo("Europe/Berlin")


def at(day: int, hour: int, minute: int = 0) -> float:
    return datetime(2026, 11, day, hour, minute, tzinfo=TZ).timestamp()


def event(uid: str, lines: str) -> str:
    return f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261101T000000Z\r\n{lines}END:VEVENT\r\n"


ICS = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
       + event("weekly", "DTSTART;TZID=Europe/Berlin:20261102T100000\r\nDTEND;TZID=Europe/Berlin:20261102T103000\r\n"
                         "RRULE:FREQ=WEEKLY;BYDAY=MO,TH\r\nSUMMARY:Acme weekly\r\nORGANIZER:mailto:me@x.com\r\n"
                         "ATTENDEE;CN=Ana:mailto:ana@acme.com\r\nATTENDEE:mailto:me@x.com\r\n")
       + event("alone", "DTSTART:20261126T120000Z\r\nDTEND:20261126T130000Z\r\nSUMMARY:Focus time\r\n")
       + event("self", "DTSTART:20261126T140000Z\r\nDTEND:20261126T143000Z\r\nSUMMARY:Me\r\n"
                       "ORGANIZER:mailto:me@x.com\r\nATTENDEE:mailto:me@x.com\r\n")
       + event("allday", "DTSTART;VALUE=DATE:20261126\r\nDTEND;VALUE=DATE:20261127\r\nSUMMARY:Offsite\r\n"
                         "ATTENDEE:mailto:ana@acme.com\r\n")
       + event("cancelled", "DTSTART:20261126T150000Z\r\nDTEND:20261126T153000Z\r\nSUMMARY:Gone\r\n"
                            "STATUS:CANCELLED\r\nATTENDEE:mailto:ana@acme.com\r\n")
       + event("floating", "DTSTART:20261126T170000\r\nDTEND:20261126T174500\r\nSUMMARY:Pitch  to\r\n  Bob\r\n"
                           "ATTENDEE:mailto:bob@prospect.com\r\n")
       + "END:VCALENDAR\r\n").encode()


def test_meetings_are_events_with_other_attendees_recurrences_included() -> None:
    found = meetings(ICS, at(26, 0), at(27, 0), TZ)
    assert found == [Meeting(at(26, 10), at(26, 10, 30), "Acme weekly"),
                     Meeting(at(26, 17), at(26, 17, 45), "Pitch to Bob")]  # floating: local time; folded line
    assert meetings(ICS, at(25, 0), at(26, 0), TZ) == []  # a Wednesday: no occurrence


def test_a_broken_file_says_why() -> None:
    with pytest.raises(CalendarError, match="not a calendar"):
        meetings(b"BEGIN:VCALENDAR\r\nthis is not\r\n", at(26, 0), at(27, 0), TZ)


def test_the_file_is_read_again_when_it_changes_and_a_missing_one_is_said_once(tmp_path: Path, caplog) -> None:
    path = tmp_path / "work.ics"
    calendar = CalendarFile(path, tz=TZ, background=False)
    assert calendar.meeting_at(at(26, 10, 10)) is None
    assert calendar.meeting_at(at(26, 10, 12)) is None
    assert calendar.why is not None and "No such file" in calendar.why
    assert sum("calendar file unreadable" in r.message for r in caplog.records) == 1
    path.write_bytes(ICS)
    assert calendar.meeting_at(at(26, 10, 10)) == Meeting(at(26, 10), at(26, 10, 30), "Acme weekly")
    assert calendar.why is None
    path.write_bytes(ICS.replace(b"Acme weekly", b"Acme monthly"))
    os.utime(path, (at(26, 11), at(26, 11)))  # a new modification time
    assert calendar.meeting_at(at(26, 10, 10)).summary == "Acme monthly"
    assert calendar.meeting_at(at(26, 11)) is None

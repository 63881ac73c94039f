"""The sync folder's day files (core.sync_format): round trips, and all-or-nothing decoding."""

from __future__ import annotations

import gzip
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from focusguard.core import sync_format as fmt
from focusguard.core.model import Answer, Classification, Declaration, Event, Journal, NudgeRecord

DAY = date(2026, 11, 26)
T = 1795651200.0
TEXT = st.text(max_size=40)  # any Unicode: emoji, RTL, lone surrogates excluded by the store already


@st.composite
def events(draw: st.DrawFn) -> Event:
    start = T + draw(st.floats(0, 86000, allow_nan=False))
    return Event(0, start, start + draw(st.floats(0, 3600, allow_nan=False)), draw(TEXT), draw(TEXT), draw(TEXT),
                 draw(st.none() | st.text(min_size=1, max_size=20)), draw(st.sampled_from(list(Classification))))


@st.composite
def nudges(draw: st.DrawFn) -> NudgeRecord:
    at = T + draw(st.floats(0, 86000, allow_nan=False))
    answer = draw(st.none() | st.sampled_from(list(Answer)))
    return NudgeRecord(draw(st.integers(1, 10**6)), at, draw(st.none() | st.text(min_size=1, max_size=9)),
                       draw(st.sampled_from(list(Classification))), 300.0, draw(st.integers(1, 3)), draw(TEXT),
                       draw(TEXT), answer, None if answer is None else at + 5, 120.0)


@settings(max_examples=60, deadline=None)
@given(st.lists(events(), max_size=12), st.lists(nudges(), max_size=4),
       st.lists(st.builds(Declaration, st.floats(T, T + 86000), st.text(min_size=1, max_size=20), TEXT), max_size=3),
       st.none() | st.builds(Journal, st.just(DAY), TEXT, TEXT, TEXT, TEXT, TEXT))
def test_a_day_file_reads_back_exactly_what_was_written(evs, nds, decls, journal) -> None:
    records = ([fmt.event_record(e) for e in evs] + [fmt.declaration_record(d) for d in decls]
               + [fmt.nudge_record(n) for n in nds]
               + ([fmt.journal_record(journal, T + 1)] if journal else []))
    data = fmt.encode_day("a" * 32, "Desk ☕", DAY, T, records)
    day = fmt.decode_day(data)
    assert (day.header.device, day.header.name, day.header.day, day.header.records) == ("a" * 32, "Desk ☕", DAY,
                                                                                         len(records))
    assert day.events == [Event(0, e.start, e.end, e.app, e.title, e.exe, e.activity, e.classification) for e in evs]
    assert day.declarations == decls and day.nudges == nds
    assert day.journals == ([(T + 1, journal)] if journal else [])
    assert fmt.encode_day("a" * 32, "Desk ☕", DAY, T, records) == data  # the same content, the same bytes


@settings(max_examples=40, deadline=None)
@given(st.lists(events(), min_size=1, max_size=8), st.data())
def test_a_file_cut_anywhere_is_refused_whole(evs, data) -> None:
    whole = fmt.encode_day("a" * 32, "Desk", DAY, T, [fmt.event_record(e) for e in evs])
    cut = data.draw(st.integers(0, len(whole) - 1))
    with pytest.raises(fmt.FormatError):
        fmt.decode_day(whole[:cut])
    raw = gzip.decompress(whole)
    line_cut = data.draw(st.integers(raw.index(b"\n") + 1, len(raw) - 1))  # whole lines lost, gzip intact
    with pytest.raises(fmt.FormatError):
        fmt.decode_day(gzip.compress(raw[:line_cut]))


@pytest.mark.parametrize("content, why", [
    (b"", "empty"),
    (b"\x1f\x8b\x08\x00 cut short", "not a complete gzip"),
    (gzip.compress(b'{"format": "something-else", "version": 1}\n'), "not a FocusGuard sync file"),
    (gzip.compress(b"[1, 2]\n"), "not a JSON object"),
    (gzip.compress(b'{"format": "focusguard-sync", "version": 1, "device": "a"}\n'), "incomplete"),
    (gzip.compress(b"no newline at all"), "no header line"),
])
def test_a_foreign_file_says_why(content: bytes, why: str) -> None:
    with pytest.raises(fmt.FormatError, match=why):
        fmt.decode_day(content)


def test_a_record_with_a_wrong_value_names_its_line() -> None:
    bad = fmt.encode_day("a" * 32, "Desk", DAY, T, [
        {"kind": "event", "start": T, "end": T - 5, "app": "", "title": "", "exe": "", "activity": None,
         "class": "priority"}])
    with pytest.raises(fmt.FormatError, match="line 2: an event ends before it starts"):
        fmt.decode_day(bad)
    no_kind = fmt.encode_day("a" * 32, "Desk", DAY, T, [{"at": T}])
    with pytest.raises(fmt.FormatError, match="line 2: a record has no kind"):
        fmt.decode_day(no_kind)

"""The call detector on an injected clock, call windows, chill slots and how call time counts."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from focusguard.core.calls import (
    ASK_AFTER_SECONDS,
    END_AFTER_SECONDS,
    START_AFTER_SECONDS,
    Call,
    CallDetector,
    CallKind,
    CallWindow,
    TimeSlot,
    call_app,
    call_credit,
    call_figures,
    clean_note,
    clipped,
    seconds_inside,
)
from focusguard.core.config.slots import format_slot, parse_slot
from focusguard.core.model import Classification

BERLIN = ZoneInfo("Europe/Berlin")
EDITOR = CallWindow("code", "main.py - Visual Studio Code")
ZOOM = CallWindow("zoom", "Zoom Meeting")
T0 = datetime(2026, 11, 26, 10, 0, tzinfo=BERLIN).timestamp()


def run(detector: CallDetector, readings: list[tuple[float, bool | None, CallWindow | None]]) -> list:
    """Feeds readings; returns every change that was not nothing."""
    changes = []
    for at, mic, window in readings:
        change = detector.feed(at, microphone=mic, window=window)
        if change.started or change.ended:
            changes.append((at, change))
    return changes


def every(start: float, stop: float, step: float, mic: bool | None, window: CallWindow | None = EDITOR) -> list:
    out, t = [], start
    while t < stop:
        out.append((t, mic, window))
        t += step
    return out


def test_thirty_seconds_of_microphone_start_a_call_dated_from_when_the_mic_opened() -> None:
    detector = CallDetector()
    changes = run(detector, every(T0, T0 + 40, 2, True))
    assert len(changes) == 1
    at, change = changes[0]
    assert at == T0 + START_AFTER_SECONDS
    assert change.started == Call(T0, None, "code", "main.py - Visual Studio Code")
    assert detector.in_call


def test_a_voice_message_shorter_than_the_debounce_is_no_call() -> None:
    detector = CallDetector()
    changes = run(detector, every(T0, T0 + 28, 2, True))
    assert detector.starting and not detector.in_call  # undecided: a nudge waits meanwhile
    changes += run(detector, every(T0 + 28, T0 + 200, 2, False))
    assert changes == []
    assert not detector.in_call and not detector.starting


def test_a_call_ends_thirty_seconds_after_the_mic_closes_dated_when_it_closed() -> None:
    detector = CallDetector()
    readings = every(T0, T0 + 600, 2, True) + every(T0 + 600, T0 + 700, 2, False)
    changes = run(detector, readings)
    (_, started), (ended_at, ended) = changes
    assert started.started is not None
    assert ended_at == T0 + 600 + END_AFTER_SECONDS
    assert ended.ended == Call(T0, T0 + 600, "code", "main.py - Visual Studio Code")
    assert ended.ended.asks()


def test_a_muted_stretch_shorter_than_the_debounce_keeps_the_call() -> None:
    detector = CallDetector()
    readings = (every(T0, T0 + 100, 2, True) + every(T0 + 100, T0 + 128, 2, False)
                + every(T0 + 128, T0 + 300, 2, True) + every(T0 + 300, T0 + 400, 2, False))
    changes = run(detector, readings)
    assert [bool(c.started) for _, c in changes] == [True, False]
    assert changes[1][1].ended.end == T0 + 300


def test_a_call_window_alone_is_a_call_and_names_it() -> None:
    detector = CallDetector()
    changes = run(detector, every(T0, T0 + 200, 2, None, ZOOM) + every(T0 + 200, T0 + 260, 2, None, EDITOR))
    started, ended = changes[0][1].started, changes[1][1].ended
    assert started.app == "Zoom" and started.title == "Zoom Meeting"
    assert (ended.start, ended.end) == (T0, T0 + 200)


def test_a_call_window_seen_later_in_the_call_names_it() -> None:
    """The mic opened in an editor (a browser call started from a link), then the Meet tab came up."""
    meet = CallWindow("firefox", "Meet - abc-defg-hij - Mozilla Firefox")
    detector = CallDetector()
    run(detector, every(T0, T0 + 60, 2, True) + every(T0 + 60, T0 + 120, 2, True, meet))
    assert detector.current is not None
    assert (detector.current.app, detector.current.title) == ("Meet", meet.title)


def test_overlapping_signals_mic_and_window_make_one_call() -> None:
    """Window from 0 to 300, mic from 100 to 500: one call from 0 to 500."""
    detector = CallDetector()
    readings = (every(T0, T0 + 100, 2, False, ZOOM) + every(T0 + 100, T0 + 300, 2, True, ZOOM)
                + every(T0 + 300, T0 + 500, 2, True, EDITOR) + every(T0 + 500, T0 + 600, 2, False, EDITOR))
    changes = run(detector, readings)
    assert len(changes) == 2
    ended = changes[1][1].ended
    assert (ended.start, ended.end, ended.app) == (T0, T0 + 500, "Zoom")


def test_a_full_screen_hold_app_is_a_call_window_a_windowed_one_is_not() -> None:
    webex = CallWindow("webex", "Cisco Webex", fullscreen=True)
    assert call_app(webex, ["*webex*"]) == "webex"
    assert call_app(CallWindow("webex", "Cisco Webex"), ["*webex*"]) is None
    assert call_app(webex, []) is None


@pytest.mark.parametrize(("title", "name"), [
    ("Zoom Meeting", "Zoom"),
    ("Zoom", "Zoom"),
    ("Meeting with Acme | Microsoft Teams", "Teams"),
    ("Meet - abc-defg-hij - Google Chrome", "Meet"),
    ("Huddle with Ana – Acme – Slack", "Slack"),
    ("Discord | Voice Connected", "Discord"),
    ("Zoom recordings - Files", None),
    ("Meeting notes.docx - LibreOffice Writer", None),
    ("#general | Acme - Discord", None),
])
def test_built_in_call_titles(title: str, name: str | None) -> None:
    assert call_app(CallWindow("x", title)) == name


def test_a_gap_in_the_readings_ends_the_call_where_they_stopped() -> None:
    """A suspend mid-call: the call ends at the last reading before it."""
    detector = CallDetector()
    changes = run(detector, every(T0, T0 + 300, 2, True) + every(T0 + 4000, T0 + 4010, 2, True))
    ended = changes[1][1].ended
    assert ended.end == T0 + 298
    assert detector.in_call is False  # the signal after the gap is a new run, not 30 s yet


def test_a_clock_set_back_ends_the_call() -> None:
    detector = CallDetector()
    run(detector, every(T0, T0 + 100, 2, True))
    change = detector.feed(T0 - 500, microphone=True, window=EDITOR)
    assert change.ended is not None and change.ended.end == T0 + 98


def test_finish_ends_the_call_on_at_once() -> None:
    detector = CallDetector()
    run(detector, every(T0, T0 + 100, 2, True))
    assert detector.finish(T0 + 101) == Call(T0, T0 + 101, "code", EDITOR.title)
    assert detector.finish(T0 + 102) is None


def test_a_call_across_midnight_counts_on_each_day_for_its_part() -> None:
    start = datetime(2026, 11, 26, 23, 40, tzinfo=BERLIN).timestamp()
    end = datetime(2026, 11, 27, 0, 25, tzinfo=BERLIN).timestamp()
    detector = CallDetector()
    changes = run(detector, every(start, end, 2, True) + every(end, end + 60, 2, False))
    call = changes[-1][1].ended
    assert call.start == start and call.end == pytest.approx(end, abs=2)
    d1 = datetime(2026, 11, 26, tzinfo=BERLIN).timestamp()
    d2 = datetime(2026, 11, 27, tzinfo=BERLIN).timestamp()
    d3 = datetime(2026, 11, 28, tzinfo=BERLIN).timestamp()
    first, second = clipped(call, d1, d2), clipped(call, d2, d3)
    assert first == (start, d2)
    assert second is not None and second[1] - second[0] == pytest.approx(25 * 60, abs=2)


readings_strategy = st.lists(
    st.tuples(st.floats(0.5, 40), st.sampled_from([True, False, None]), st.booleans()),
    min_size=1, max_size=120)


@settings(max_examples=200, deadline=None)
@given(readings_strategy)
def test_calls_never_overlap_and_each_held_the_signal_long_enough(steps: list) -> None:
    """Whatever the readings: calls come one after the other, each starts where a run of
    signal began, lasts at least 0 s, and only one is on at a time."""
    detector = CallDetector()
    t, calls, on = T0, [], None
    for gap, mic, zoom in steps:
        t += gap
        change = detector.feed(t, microphone=mic, window=ZOOM if zoom else EDITOR)
        if change.ended is not None:
            assert on is not None and change.ended.start == on.start
            assert on.start <= change.ended.end <= t
            calls.append(change.ended)
            on = None
        if change.started is not None:
            assert on is None
            assert t - change.started.start >= START_AFTER_SECONDS
            on = change.started
        assert detector.in_call == (on is not None)
    for earlier, later in itertools.pairwise(calls):
        assert earlier.end <= later.start


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 6), st.integers(0, 22), st.integers(1, 60 * 20), st.integers(0, 86400 * 3))
def test_seconds_inside_is_within_the_span_and_adds_up(day: int, hour: int, length: int, span: int) -> None:
    slots = (TimeSlot(frozenset({day}), time(hour), None), TimeSlot(frozenset(range(7)), time(12), time(13)))
    start = T0
    inside = seconds_inside(start, start + span, slots, BERLIN)
    assert 0 <= inside <= span
    middle = start + span / 2
    assert inside == pytest.approx(
        seconds_inside(start, middle, slots, BERLIN) + seconds_inside(middle, start + span, slots, BERLIN), abs=1e-6)


def test_slots_parse_and_format_as_the_file_writes_them() -> None:
    for text in ("mon-fri 12:00-13:00", "sat,sun 10:00-24:00", "daily 18:00-20:00", "wed 07:30-08:00",
                 "fri-mon 20:00-23:00"):
        assert format_slot(parse_slot(text)) == text or parse_slot(format_slot(parse_slot(text))) == parse_slot(text)
    assert parse_slot("fri-mon 20:00-23:00").days == frozenset({4, 5, 6, 0})
    with pytest.raises(ValueError, match="unknown day"):
        parse_slot("funday 10:00-11:00")
    with pytest.raises(ValueError, match="end after"):
        parse_slot("mon 11:00-10:00")


def chill(start: datetime, minutes: float) -> Call:
    return Call(start.timestamp(), start.timestamp() + minutes * 60, "Zoom", "", CallKind.CHILL)


LUNCH = (parse_slot("mon-fri 12:00-13:00"),)


def test_a_chill_call_at_lunch_is_neutral_one_at_ten_is_a_distraction() -> None:
    at_lunch = chill(datetime(2026, 11, 26, 12, 10, tzinfo=BERLIN), 30)
    at_ten = chill(datetime(2026, 11, 26, 10, 0, tzinfo=BERLIN), 30)
    spilling = chill(datetime(2026, 11, 26, 12, 50, tzinfo=BERLIN), 30)
    assert call_credit(at_lunch, priority_counts=False, slots=LUNCH, tz=BERLIN) == {Classification.NEUTRAL: 1800}
    assert call_credit(at_ten, priority_counts=False, slots=LUNCH, tz=BERLIN) == {Classification.DISTRACTION: 1800}
    assert call_credit(spilling, priority_counts=False, slots=LUNCH, tz=BERLIN) == {
        Classification.NEUTRAL: 600, Classification.DISTRACTION: 1200}


def test_a_value_call_counts_as_the_priority_only_for_a_calls_activity() -> None:
    call = Call(T0, T0 + 600, "Zoom", "", CallKind.VALUE)
    assert call_credit(call, priority_counts=True, slots=()) == {Classification.PRIORITY: 600}
    assert call_credit(call, priority_counts=False, slots=()) == {Classification.PRODUCTIVE_DISTRACTION: 600}
    unanswered = Call(T0, T0 + 600, "Zoom", "")
    assert call_credit(unanswered, priority_counts=True, slots=LUNCH) == {Classification.NEUTRAL: 600}


def test_call_figures_by_kind_with_the_leak_and_the_value_share() -> None:
    day = date(2026, 11, 26)
    lo = datetime(2026, 11, 26, tzinfo=BERLIN).timestamp()
    hi = datetime(2026, 11, 27, tzinfo=BERLIN).timestamp()
    calls = [
        Call(T0, T0 + 1800, "Zoom", "", CallKind.VALUE),
        chill(datetime(day.year, day.month, day.day, 12, 0, tzinfo=BERLIN), 20),
        chill(datetime(day.year, day.month, day.day, 15, 0, tzinfo=BERLIN), 10),
        Call(T0 + 7200, T0 + 7500, "Meet", ""),
        Call(hi + 10, hi + 100, "Meet", "", CallKind.VALUE),  # tomorrow: not counted
    ]
    figures = call_figures(calls, lo, hi, LUNCH, BERLIN)
    assert figures.seconds == {CallKind.VALUE: 1800, CallKind.CHILL: 1800, CallKind.UNANSWERED: 300}
    assert figures.counts == {CallKind.VALUE: 1, CallKind.CHILL: 2, CallKind.UNANSWERED: 1}
    assert (figures.chill_outside_seconds, figures.chill_outside_count) == (600, 1)
    assert figures.value_share == 0.5


def test_only_calls_of_two_minutes_ask_and_notes_are_one_line() -> None:
    assert Call(T0, T0 + ASK_AFTER_SECONDS, "Zoom", "").asks()
    assert not Call(T0, T0 + ASK_AFTER_SECONDS - 1, "Zoom", "").asks()
    assert Call(T0, T0 + 40, "Zoom", "").asks(30)
    assert not Call(T0, None, "Zoom", "").asks()
    assert Call(T0, T0 + 34 * 60, "Zoom", "").label == "Zoom, 34 min"
    assert clean_note("  Acme:\n send the  Q2 proposal ") == "Acme: send the Q2 proposal"


def test_a_calendar_meeting_is_a_call_and_gives_its_title() -> None:
    """A meeting alone is a signal; with a call window on too, the window names the app
    and the meeting the title."""
    detector = CallDetector()
    changes = []
    for at in range(0, 100, 2):
        change = detector.feed(T0 + at, microphone=None, window=EDITOR, meeting="Acme weekly")
        changes += [change.started] if change.started else []
    assert [(c.app, c.title) for c in changes] == [("code", "Acme weekly")]
    detector.feed(T0 + 100, microphone=True, window=ZOOM, meeting="Acme weekly")
    assert (detector.current.app, detector.current.title) == ("Zoom", "Acme weekly")

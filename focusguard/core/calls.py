"""Calls: when one is on, what it is called, and how its time counts afterwards.

A call is detected from three signals, any one enough: the microphone is recording
(every call app, browser calls included, opens a recording stream), a call window
is in front (a built-in Zoom / Teams / Meet / Slack huddle / Discord title, or a
full-screen window of a ``nudge.hold_during_apps`` app), or a meeting of the
user's calendar file runs (an event with other attendees). All are debounced: a
call starts once the signal has held for :data:`START_AFTER_SECONDS` (a voice
message or a dictation is no call) and ends once it has been gone for
:data:`END_AFTER_SECONDS` (a muted mic or a glance at another window does not end
it). The recorded start and end are when the signal came and went, not when the
debounce confirmed it.

Pure: no Qt, no store, no wall clock. Every time comes from the caller (the
controller's injected clock), so a call can be replayed in a test to the second.

Afterwards the user says what the call was: a *value* call served the business, a
*chill* call was social. Chill calls belong in ``[calls] chill_call_times``; outside
them they count as distraction. A value call counts as the priority when the
priority's activity has ``calls_count_as_priority``, else as productive work.
Unanswered calls count as neutral until answered.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum

from focusguard.core.model import Classification
from focusguard.core.timefmt import duration, local_date

#: The signal must hold this long before it is a call.
START_AFTER_SECONDS = 30.0
#: The signal must be gone this long before the call is over; a gap in the samples
#: this long (a suspend, a clock set back) ends a call too.
END_AFTER_SECONDS = 30.0
#: A call at least this long is asked about when it ends (``[calls] ask_after_minutes``'s default).
ASK_AFTER_SECONDS = 120.0
#: The longest note ("who / next step") kept.
MAX_NOTE_CHARS = 300


class CallKind(StrEnum):
    """What the user said a call was; unanswered until they say."""

    VALUE = "value"
    CHILL = "chill"
    UNANSWERED = "unanswered"


#: Call windows everyone has, by title: (the name a call is given, the title pattern).
#: Ours, not the user's: plain ``re`` (the user's regexes go through RE2).
BUILTIN_CALL_WINDOWS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        ("Zoom", r"^Zoom( Meeting| Webinar)?$|\bZoom Meeting\b|\bZoom Webinar\b"),
        ("Teams", r"\b(Meeting|Call) (with|in)\b.*Microsoft Teams|Microsoft Teams\b.*\b(Meeting|Call)\b"),
        ("Meet", r"^Meet\s[-–—]\s|\bGoogle Meet\b"),
        ("Slack", r"\bhuddle\b"),
        ("Discord", r"\bDiscord\b.*\b(Voice|Call|Stage)\b|\bVoice Connected\b"),
    )
)


@dataclass(frozen=True)
class CallWindow:
    """The window in front, as the detector needs it. ``app`` and ``title`` are matched;
    ``shown`` is what may be stored to name a call: blank for a private window, the title
    blank with ``record_titles = false`` (None: the same as matched)."""

    app: str
    title: str
    fullscreen: bool = False
    shown: tuple[str, str] | None = None

    @property
    def name(self) -> tuple[str, str]:
        return self.shown if self.shown is not None else (self.app, self.title)


def call_app(window: CallWindow | None, hold_apps: Iterable[str] = ()) -> str | None:
    """The call's name when ``window`` is a call window ("Zoom"; the app's own name for
    a full-screen ``hold_during_apps`` window), else None."""
    if window is None:
        return None
    for name, pattern in BUILTIN_CALL_WINDOWS:
        if pattern.search(window.title):
            return name
    app = window.app.lower()
    if window.fullscreen and any(fnmatch.fnmatchcase(app, glob.lower()) for glob in hold_apps):
        return window.app
    return None


@dataclass(frozen=True)
class Call:
    """One call. ``end`` is None while it is on; ``id`` is its stored number."""

    start: float
    end: float | None
    app: str
    title: str
    kind: CallKind = CallKind.UNANSWERED
    note: str = ""
    id: int | None = None

    def seconds(self, now: float | None = None) -> float:
        """How long it lasted (or has lasted by ``now`` while on)."""
        end = self.end if self.end is not None else now
        return 0.0 if end is None else max(end - self.start, 0.0)

    def asks(self, after_seconds: float = ASK_AFTER_SECONDS) -> bool:
        """Ended, and long enough to ask "value call or chill call?" about."""
        return self.end is not None and self.seconds() >= after_seconds

    @property
    def label(self) -> str:
        """'Zoom, 34 min': what the question and the lists call it."""
        name = self.app or self.title or "A call"
        return f"{name}, {duration(self.seconds())}"


@dataclass(frozen=True)
class CallChange:
    """What one reading changed: a call that ended (with its end), one that started."""

    ended: Call | None = None
    started: Call | None = None


NO_CHANGE = CallChange()


class CallDetector:
    """Feed it every reading in time order; it says when a call starts and ends.

    ``microphone`` None (no sound server, an unsupported platform) counts as "not
    recording": the call windows still work.
    """

    def __init__(
        self,
        hold_apps: Iterable[str] = (),
        *,
        start_after: float = START_AFTER_SECONDS,
        end_after: float = END_AFTER_SECONDS,
    ) -> None:
        self.hold_apps = tuple(hold_apps)
        self.start_after = start_after
        self.end_after = end_after
        self._call: Call | None = None
        self._last_at: float | None = None
        self._on_since: float | None = None  # the signal has held since (no call yet)
        self._off_since: float | None = None  # the signal is gone since (during a call)
        self._name: tuple[str, str] | None = None  # a call window seen in this run of the signal
        self._fallback: tuple[str, str] | None = None  # the window in front when the signal came
        self._meeting: str | None = None  # a calendar meeting seen in this run of the signal
        self._named: tuple[object, str | None] | None = None  # call_app's last answer: the same window all day

    @property
    def current(self) -> Call | None:
        """The call on now, if any (its ``end`` is None)."""
        return self._call

    @property
    def in_call(self) -> bool:
        return self._call is not None

    @property
    def starting(self) -> bool:
        """The signal is on but has not held long enough to be a call yet: someone may
        have just started talking, so a nudge due now waits until that is decided."""
        return self._call is None and self._on_since is not None

    def feed(self, at: float, *, microphone: bool | None, window: CallWindow | None,
             meeting: str | None = None) -> CallChange:
        """One reading at ``at``; ``meeting``: the summary of a calendar meeting running
        now (a signal too, and the call's title). A gap of ``end_after`` or more since the
        last reading (or a clock going back) ends a call at the last reading before it."""
        ended = None
        last, self._last_at = self._last_at, at
        if last is not None and not 0 <= at - last < self.end_after:
            ended = self._end(self._off_since if self._off_since is not None else last)
            self._on_since = None
        app = self._call_app(window)
        if microphone or app is not None or meeting:
            return CallChange(ended, self._signal_on(at, app, window, meeting))
        self._on_since = None
        self._forget_names()
        if self._call is not None:
            if self._off_since is None:
                self._off_since = at
            if at - self._off_since >= self.end_after:
                ended = self._end(self._off_since)
        return CallChange(ended) if ended is not None else NO_CHANGE

    def _call_app(self, window: CallWindow | None) -> str | None:
        key = (window, self.hold_apps)
        if self._named is None or self._named[0] != key:
            self._named = key, call_app(window, self.hold_apps)
        return self._named[1]

    def finish(self, at: float) -> Call | None:
        """The app is closing: the call on (if any) ends at ``at``, or when the signal went."""
        return self._end(self._off_since if self._off_since is not None else at)

    def _signal_on(self, at: float, app: str | None, window: CallWindow | None, meeting: str | None) -> Call | None:
        self._off_since = None
        if app is not None and window is not None and self._name is None:
            shown_app, shown_title = window.name
            self._name = (app if shown_app else "", shown_title)  # a private window names nothing
        if meeting and self._meeting is None:
            self._meeting = meeting
        if self._call is not None:
            if self._name is not None or self._meeting is not None:  # better words than the fallback's
                app_name, title = self._naming()
                if (self._call.app, self._call.title) != (app_name, title):
                    self._call = replace(self._call, app=app_name, title=title)
            return None
        if self._on_since is None:
            self._on_since = at
            self._fallback = window.name if window is not None else ("", "")
        if at - self._on_since < self.start_after:
            return None
        app_name, title = self._naming()
        self._call = Call(start=self._on_since, end=None, app=app_name, title=title)
        self._on_since = None
        return self._call

    def _naming(self) -> tuple[str, str]:
        """The call window's app (else the app in front when the signal came), and the
        meeting's summary (else that window's title)."""
        app_name, title = self._name or self._fallback or ("", "")
        return app_name, self._meeting or title

    def _forget_names(self) -> None:
        self._name = self._fallback = self._meeting = None

    def _end(self, at: float) -> Call | None:
        call, self._call = self._call, None
        self._off_since = None
        self._forget_names()
        if call is None:
            return None
        return replace(call, end=max(at, call.start))


# --- when chill calls belong, and how call time counts ---------------------------------


@dataclass(frozen=True)
class TimeSlot:
    """A weekly stretch of local time: ``days`` are weekday numbers (0 = Monday),
    ``start`` to ``end``; ``end`` None is the day's end (written "24:00")."""

    days: frozenset[int]
    start: time
    end: time | None

    def on(self, day: date, tz: tzinfo | None = None) -> tuple[float, float] | None:
        """The slot on ``day`` as POSIX times, or None when the slot skips that day."""
        if day.weekday() not in self.days:
            return None
        begin = datetime.combine(day, self.start, tz).timestamp()
        if self.end is None:
            nxt = day + timedelta(days=1)
            return begin, datetime(nxt.year, nxt.month, nxt.day, tzinfo=tz).timestamp()
        return begin, datetime.combine(day, self.end, tz).timestamp()


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> float:
    return max(0.0, min(a[1], b[1]) - max(a[0], b[0]))


def seconds_inside(start: float, end: float, slots: Sequence[TimeSlot], tz: tzinfo | None = None) -> float:
    """How much of [start, end) falls inside the slots (overlapping slots counted once)."""
    if end <= start or not slots:
        return 0.0
    spans: list[tuple[float, float]] = []
    day = local_date(start, tz) - timedelta(days=1)  # a slot to 24:00 the day before may reach in
    while day <= local_date(end, tz):
        spans += [s for s in (slot.on(day, tz) for slot in slots) if s is not None]
        day += timedelta(days=1)
    total, reach = 0.0, start
    for lo, hi in sorted(spans):
        lo, hi = max(lo, reach), min(hi, end)
        if hi > lo:
            total += hi - lo
            reach = hi
    return total


def clipped(call: Call, start: float, end: float, now: float | None = None) -> tuple[float, float] | None:
    """The part of ``call`` inside [start, end) (a call across midnight counts on
    each day for its own part), or None when none of it is."""
    call_end = call.end if call.end is not None else now
    if call_end is None:
        return None
    lo, hi = max(call.start, start), min(call_end, end)
    return (lo, hi) if hi > lo else None


@dataclass(frozen=True)
class CallFigures:
    """A period's calls by kind: seconds and counts, and the chill time outside its slots."""

    seconds: dict[CallKind, float]
    counts: dict[CallKind, int]
    chill_outside_seconds: float
    chill_outside_count: int

    @property
    def value_share(self) -> float | None:
        """Value calls' share of the answered call time (None with none answered)."""
        answered = self.seconds[CallKind.VALUE] + self.seconds[CallKind.CHILL]
        return None if answered <= 0 else self.seconds[CallKind.VALUE] / answered


def call_figures(
    calls: Iterable[Call],
    start: float,
    end: float,
    slots: Sequence[TimeSlot],
    tz: tzinfo | None = None,
    now: float | None = None,
) -> CallFigures:
    """The calls' figures over [start, end): each call only for its part inside."""
    seconds = dict.fromkeys(CallKind, 0.0)
    counts = dict.fromkeys(CallKind, 0)
    outside, outside_count = 0.0, 0
    for call in calls:
        part = clipped(call, start, end, now)
        if part is None:
            continue
        seconds[call.kind] += part[1] - part[0]
        counts[call.kind] += 1
        if call.kind is CallKind.CHILL:
            leak = (part[1] - part[0]) - seconds_inside(*part, slots, tz)
            if leak > 0:
                outside += leak
                outside_count += 1
    return CallFigures(seconds, counts, outside, outside_count)


def call_credit(
    call: Call,
    *,
    priority_counts: bool,
    slots: Sequence[TimeSlot],
    tz: tzinfo | None = None,
) -> dict[Classification, float]:
    """How an ended call's time counts in the day's figures: a value call as the
    priority (``priority_counts``: the priority's activity is sales or outreach,
    ``calls_count_as_priority``) or else as productive work; a chill call inside its
    slots as neutral and outside them as distraction; an unanswered one as neutral."""
    total = call.seconds()
    if call.kind is CallKind.VALUE:
        target = Classification.PRIORITY if priority_counts else Classification.PRODUCTIVE_DISTRACTION
        return {target: total}
    if call.kind is CallKind.CHILL and call.end is not None:
        inside = seconds_inside(call.start, call.end, slots, tz)
        credit = {Classification.NEUTRAL: inside, Classification.DISTRACTION: total - inside}
        return {k: v for k, v in credit.items() if v > 0}
    return {Classification.NEUTRAL: total}


def clean_note(note: str) -> str:
    """The "who / next step" line as stored: one line, trimmed, at most MAX_NOTE_CHARS."""
    return " ".join(note.split())[:MAX_NOTE_CHARS]

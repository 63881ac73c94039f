"""The nudge engine, driven by synthetic days with exact times (no clock, no sleeps)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from focusguard.core.config import FocusBlock, NudgeSettings
from focusguard.core.engine import MAX_LEVEL, NO_STREAK, NudgeEngine, Schedule
from focusguard.core.model import Answer, Classification, Classified, Nudge, Sample

C = Classification
BERLIN = ZoneInfo("Europe/Berlin")
T0 = datetime(2024, 3, 4, 9, 0, tzinfo=BERLIN).timestamp()  # a Monday, 09:00 in Berlin
EVERY = 2.0
MAX_GAP = 2 * EVERY
SETTINGS = NudgeSettings(
    distraction_after_minutes=5, off_priority_after_minutes=15, grace_seconds=30, snooze_minutes=10
)
ANY_TIME = Schedule()  # no focus blocks: nudges at any hour

# What each classification looks like on screen, with the priority "Sales".
WINDOWS: dict[Classification, tuple[str | None, str, str]] = {
    C.PRIORITY: ("Sales", "firefox", "CRM - Leads"),
    C.PRODUCTIVE_DISTRACTION: ("Code", "code", "engine.py - FocusGuard"),
    C.DISTRACTION: ("Video", "firefox", "YouTube"),
    C.NEUTRAL: ("Files", "nautilus", "Downloads"),
    C.UNCLASSIFIED: (None, "gimp", "Untitled"),
    C.IDLE: (None, "firefox", "YouTube"),
    C.PAUSED: (None, "firefox", "YouTube"),
    C.PRIVATE: (None, "", ""),
}

GAP = None  # a segment without samples: suspend, lock screen


def classified(at: float, classification: Classification) -> Classified:
    activity, app, title = WINDOWS[classification]
    return Classified(Sample(at, app, title), activity, classification)


def samples(
    *segments: tuple[Classification | None, float], start: float = T0, every: float = EVERY
) -> list[Classified]:
    """One sample every ``every`` seconds for each ``(classification, seconds)``
    segment, back to back from ``start``; a GAP segment only moves the time on."""
    out: list[Classified] = []
    at = start
    for classification, seconds in segments:
        end = at + seconds
        while at < end:
            if classification is not None:
                out.append(classified(at, classification))
            at += every
        at = end
    return out


def run(
    engine: NudgeEngine,
    fed: Sequence[Classified],
    *,
    reply: Answer | None = None,
    has_priority: bool = True,
    hold: Callable[[float], bool] = lambda offset: False,
) -> list[Nudge]:
    """Feed every sample; answer each nudge at once with ``reply`` (None = leave it
    pending). ``hold`` gets the sample's offset from T0."""
    nudges = []
    for c in fed:
        nudge = engine.feed(c, has_priority=has_priority, hold=hold(c.sample.at - T0))
        if nudge is not None:
            nudges.append(nudge)
            if reply is not None:
                engine.answer(reply, nudge.at)
    return nudges


def engine(settings: NudgeSettings = SETTINGS, schedule: Schedule = ANY_TIME) -> NudgeEngine:
    return NudgeEngine(settings, max_gap=MAX_GAP, schedule=schedule, tz=BERLIN)


def brief(nudges: Sequence[Nudge]) -> list[tuple[float, int, Classification]]:
    """(offset from T0, level, classification) of each nudge."""
    return [(n.at - T0, n.level, n.classification) for n in nudges]


@dataclass(frozen=True)
class Scenario:
    name: str
    segments: tuple[tuple[Classification | None, float], ...]
    expected: tuple[tuple[float, int, Classification], ...]
    reply: Answer | None = None


SCENARIOS = [
    Scenario(
        "16 min of code while the priority is Sales: one nudge at 15:00",
        ((C.PRODUCTIVE_DISTRACTION, 960),),
        ((900, 1, C.PRODUCTIVE_DISTRACTION),),
    ),
    Scenario(
        "16 min unclassified: one nudge at 15:00",
        ((C.UNCLASSIFIED, 960),),
        ((900, 1, C.UNCLASSIFIED),),
    ),
    Scenario(
        "4 min video, 20 s priority (< grace), 2 min video: nudge at 5:00 of video",
        ((C.DISTRACTION, 240), (C.PRIORITY, 20), (C.DISTRACTION, 120)),
        ((320, 1, C.DISTRACTION),),
    ),
    Scenario(
        "4 min video, 40 s priority (> grace), 2 min video: the streak ended",
        ((C.DISTRACTION, 240), (C.PRIORITY, 40), (C.DISTRACTION, 120)),
        (),
    ),
    Scenario(
        "10 min idle in the middle counts for nothing",
        ((C.DISTRACTION, 240), (C.IDLE, 600), (C.DISTRACTION, 120)),
        ((900, 1, C.DISTRACTION),),
    ),
    Scenario(
        "2 min neutral in the middle neither counts nor ends the streak",
        ((C.DISTRACTION, 240), (C.NEUTRAL, 120), (C.DISTRACTION, 120)),
        ((420, 1, C.DISTRACTION),),
    ),
    Scenario(
        "private and paused time in the middle count for nothing",
        ((C.DISTRACTION, 200), (C.PRIVATE, 60), (C.PAUSED, 60), (C.DISTRACTION, 200)),
        ((420, 1, C.DISTRACTION),),
    ),
    Scenario(
        "neutral does not reset the priority run: 20 s + 20 s priority ends the streak",
        (
            (C.DISTRACTION, 240),
            (C.PRIORITY, 20),
            (C.NEUTRAL, 60),
            (C.PRIORITY, 20),
            (C.DISTRACTION, 120),
        ),
        (),
    ),
    Scenario(
        "an off-priority break resets the priority run: the streak goes on",
        (
            (C.DISTRACTION, 240),
            (C.PRIORITY, 20),
            (C.DISTRACTION, 10),
            (C.PRIORITY, 20),
            (C.DISTRACTION, 60),
        ),
        ((340, 1, C.DISTRACTION),),
    ),
    Scenario(
        "a 10 min gap (> max_gap) credits nothing",
        ((C.DISTRACTION, 200), (GAP, 600), (C.DISTRACTION, 200)),
        ((902, 1, C.DISTRACTION),),
    ),
    Scenario(
        "off-priority threshold with little video: classified as the current sample",
        ((C.DISTRACTION, 200), (C.PRODUCTIVE_DISTRACTION, 760)),
        ((900, 1, C.PRODUCTIVE_DISTRACTION),),
    ),
    Scenario(
        "the distraction threshold names the nudge a distraction whatever is on screen",
        ((C.DISTRACTION, 300), (C.UNCLASSIFIED, 10)),
        ((300, 1, C.DISTRACTION),),
    ),
    Scenario(
        "crossed on a priority sample: the nudge waits for the next off-priority one",
        ((C.DISTRACTION, 300), (C.PRIORITY, 20), (C.DISTRACTION, 10)),
        ((320, 1, C.DISTRACTION),),
    ),
    Scenario(
        "crossed on a priority sample and back for the grace: no nudge",
        ((C.DISTRACTION, 300), (C.PRIORITY, 40), (C.DISTRACTION, 10)),
        (),
    ),
    Scenario(
        "a pending nudge blocks every other",
        ((C.DISTRACTION, 2400),),
        ((300, 1, C.DISTRACTION),),
    ),
    Scenario(
        "snooze: again 10 min later, one level up, capped at 3",
        ((C.DISTRACTION, 2200),),
        (
            (300, 1, C.DISTRACTION),
            (900, 2, C.DISTRACTION),
            (1500, 3, C.DISTRACTION),
            (2100, MAX_LEVEL, C.DISTRACTION),
        ),
        Answer.SNOOZE,
    ),
    Scenario(
        "ignored: rescheduled like a snooze, the level rises",
        ((C.PRODUCTIVE_DISTRACTION, 1600),),
        ((900, 1, C.PRODUCTIVE_DISTRACTION), (1500, 2, C.PRODUCTIVE_DISTRACTION)),
        Answer.IGNORED,
    ),
    Scenario(
        "back ends the streak: a new one starts at the next sample, level 1",
        ((C.DISTRACTION, 700),),
        ((300, 1, C.DISTRACTION), (602, 1, C.DISTRACTION)),
        Answer.BACK,
    ),
    Scenario(
        "part of priority ends the streak like back",
        ((C.DISTRACTION, 700),),
        ((300, 1, C.DISTRACTION), (602, 1, C.DISTRACTION)),
        Answer.PART_OF_PRIORITY,
    ),
    Scenario(
        "delegate this ends the streak like back: the next nudge a whole threshold later, level 1",
        ((C.PRODUCTIVE_DISTRACTION, 1900),),
        ((900, 1, C.PRODUCTIVE_DISTRACTION), (1802, 1, C.PRODUCTIVE_DISTRACTION)),
        Answer.DELEGATE,
    ),
]


@pytest.mark.parametrize("s", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_scenario(s: Scenario) -> None:
    nudges = run(engine(), samples(*s.segments), reply=s.reply)
    assert brief(nudges) == list(s.expected)


def test_nudge_carries_the_streak_and_the_window() -> None:
    fed = samples((C.DISTRACTION, 240), (C.PRIORITY, 20), (C.DISTRACTION, 120))
    e = engine()
    [nudge] = run(e, fed)
    assert nudge == Nudge(
        at=T0 + 320,
        activity="Video",
        classification=C.DISTRACTION,
        streak_seconds=300,
        distraction_seconds=300,
        level=1,
        app="firefox",
        title="YouTube",
    )
    assert e.pending == nudge
    assert e.streak.started_at == T0


def test_streak_restarts_after_the_grace() -> None:
    e = engine()
    run(e, samples((C.DISTRACTION, 240), (C.PRIORITY, 40), (C.DISTRACTION, 120)))
    assert e.streak.started_at == T0 + 280
    assert e.streak.off_seconds == e.streak.distraction_seconds == 118


def test_priority_time_inside_a_streak_adds_nothing() -> None:
    e = engine()
    run(e, samples((C.PRODUCTIVE_DISTRACTION, 100), (C.PRIORITY, 20), (C.NEUTRAL, 4)))
    assert e.streak.off_seconds == 100
    assert e.streak.priority_run_seconds == 20


def test_snoozed_nudge_no_earlier_than_snooze_minutes() -> None:
    e = engine()
    fed = samples((C.DISTRACTION, 1200))
    [first] = run(e, fed[:200])
    e.answer(Answer.SNOOZE, first.at + 7)  # the user took 7 s to click
    [second] = run(e, fed[200:])
    assert second.at - (first.at + 7) == pytest.approx(600, abs=EVERY)
    assert second.at >= first.at + 7 + 600
    assert second.level == 2


def test_back_resets_the_level() -> None:
    e = engine()
    fed = samples((C.DISTRACTION, 1600))
    run(e, fed[:200], reply=Answer.SNOOZE)
    assert e.streak.level == 2
    e.answer(Answer.BACK, T0 + 400)  # nothing pending: a stray click changes nothing
    assert e.streak.level == 2
    [nudge] = run(e, fed[200:])
    e.answer(Answer.BACK, nudge.at)
    assert e.streak == NO_STREAK
    assert e.pending is None


def test_answer_to_a_nudge_whose_streak_already_ended_only_clears_it() -> None:
    e = engine()
    [nudge] = run(e, samples((C.DISTRACTION, 310), (C.PRIORITY, 40)))
    assert e.streak == NO_STREAK and e.pending == nudge
    e.answer(Answer.SNOOZE, T0 + 350)
    assert e.pending is None
    nudges = run(e, samples((C.DISTRACTION, 400), start=T0 + 350))
    assert brief(nudges) == [(650, 1, C.DISTRACTION)]  # no snooze, no escalation


def test_pause_holds_nudges_until_it_ends() -> None:
    e = engine()
    e.pause(T0 + 600)
    assert e.paused_until == T0 + 600
    assert e.is_paused(T0 + 599) and not e.is_paused(T0 + 600)
    assert brief(run(e, samples((C.DISTRACTION, 700)))) == [(600, 1, C.DISTRACTION)]


def test_resume_ends_a_pause() -> None:
    e = engine()
    e.pause(T0 + 86_400)
    fed = samples((C.DISTRACTION, 700))
    assert run(e, fed[:200]) == []
    e.resume()
    assert e.paused_until is None and not e.is_paused(T0 + 400)
    assert brief(run(e, fed[200:])) == [(400, 1, C.DISTRACTION)]


def test_paused_samples_do_not_feed_the_streak() -> None:
    """While paused the classifier says PAUSED: that time counts for nothing."""
    e = engine()
    fed = samples((C.DISTRACTION, 200), (C.PAUSED, 400), (C.DISTRACTION, 200))
    assert brief(run(e, fed)) == [(700, 1, C.DISTRACTION)]


MORNING_BLOCK = FocusBlock(days=frozenset({0}), start=time(10, 0), end=time(12, 0))


@pytest.mark.parametrize(
    ("mode", "expected"),
    [("track", [(3600, 1, C.DISTRACTION)]), ("nudge", [(3300, 1, C.DISTRACTION)])],
)
def test_focus_blocks(mode: str, expected: list) -> None:
    """Video from 09:50 on a Monday: due at 09:55, the block starts at 10:00."""
    e = engine(schedule=Schedule((MORNING_BLOCK,), mode))
    start = T0 + 3000  # 09:50
    assert brief(run(e, samples((C.DISTRACTION, 1200), start=start))) == expected


def test_track_mode_never_nudges_on_another_day() -> None:
    tuesday = FocusBlock(days=frozenset({1}), start=time(0, 0), end=time(23, 59))
    e = engine(schedule=Schedule((tuesday,), "track"))
    assert run(e, samples((C.DISTRACTION, 1200))) == []


@pytest.mark.parametrize(
    ("local", "allowed"),
    [
        (datetime(2024, 3, 4, 9, 59, 59), False),
        (datetime(2024, 3, 4, 10, 0, 0), True),
        (datetime(2024, 3, 4, 11, 59, 59), True),
        (datetime(2024, 3, 4, 12, 0, 0), False),
        (datetime(2024, 3, 5, 10, 30, 0), False),  # Tuesday
        (datetime(2024, 7, 1, 10, 30, 0), True),  # a summer Monday (CEST)
    ],
)
def test_schedule_in_local_time(local: datetime, allowed: bool) -> None:
    at = local.replace(tzinfo=BERLIN).timestamp()
    assert Schedule((MORNING_BLOCK,), "track").nudges_allowed(at, BERLIN) is allowed
    assert Schedule((MORNING_BLOCK,), "nudge").nudges_allowed(at, BERLIN)
    assert Schedule((), "track").nudges_allowed(at, BERLIN)


def test_schedule_uses_the_given_time_zone() -> None:
    at = datetime(2024, 3, 4, 10, 30, tzinfo=BERLIN).timestamp()  # 09:30 UTC
    schedule = Schedule((MORNING_BLOCK,), "track")
    assert schedule.nudges_allowed(at, BERLIN)
    assert not schedule.nudges_allowed(at, UTC)


def test_no_priority_never_nudges_and_keeps_no_streak() -> None:
    e = engine()
    assert run(e, samples((C.DISTRACTION, 2400)), has_priority=False) == []
    assert e.streak == NO_STREAK


def test_a_priority_declared_later_starts_from_a_clean_slate() -> None:
    e = engine()
    fed = samples((C.DISTRACTION, 1200))
    run(e, fed[:300], has_priority=False)
    assert brief(run(e, fed[300:])) == [(900, 1, C.DISTRACTION)]


def test_hold_defers_the_nudge() -> None:
    e = engine()
    nudges = run(e, samples((C.DISTRACTION, 600)), hold=lambda offset: 280 <= offset < 400)
    assert brief(nudges) == [(400, 1, C.DISTRACTION)]
    assert nudges[0].distraction_seconds == 400


def test_reconfigure_keeps_the_streak() -> None:
    e = engine()
    fed = samples((C.DISTRACTION, 400))
    run(e, fed[:100])
    before = e.streak
    e.reconfigure(
        NudgeSettings(distraction_after_minutes=3.0), max_gap=MAX_GAP, schedule=Schedule()
    )
    assert e.streak == before
    assert brief(run(e, fed[100:])) == [(200, 1, C.DISTRACTION)]


def test_a_clock_going_backwards_credits_nothing() -> None:
    e = engine()
    run(e, [classified(T0, C.DISTRACTION), classified(T0 - 60, C.DISTRACTION)])
    assert e.streak.off_seconds == 0


# --- properties ---------------------------------------------------------------

ALL = list(Classification)
steps = st.lists(
    st.tuples(
        st.floats(min_value=-5, max_value=30, allow_nan=False),
        st.sampled_from(ALL),
        st.booleans(),  # hold
        st.none() | st.sampled_from(list(Answer)),
    ),
    max_size=300,
)
small_settings = st.builds(
    NudgeSettings,
    distraction_after_minutes=st.floats(0, 3),
    off_priority_after_minutes=st.floats(0, 6),
    grace_seconds=st.floats(0, 60),
    snooze_minutes=st.floats(0, 3),
)


@given(small_settings, steps)
def test_property_streak_invariants_and_one_pending(
    settings: NudgeSettings, script: list
) -> None:
    e = engine(settings)
    at = T0
    for dt, classification, hold, reply in script:
        at += dt
        pending_before = e.pending
        nudge = e.feed(classified(at, classification), has_priority=True, hold=hold)
        if nudge is not None:
            assert pending_before is None
            assert not hold and classification.off_priority
            assert e.pending is nudge
        if reply is not None:
            e.answer(reply, at)
            assert e.pending is None
        s = e.streak
        assert 0 <= s.distraction_seconds <= s.off_seconds
        assert s.priority_run_seconds >= 0
        assert 1 <= s.level <= MAX_LEVEL


@given(small_settings, steps)
def test_property_no_nudge_without_priority(settings: NudgeSettings, script: list) -> None:
    e = engine(settings)
    at = T0
    for dt, classification, hold, _ in script:
        at += dt
        assert e.feed(classified(at, classification), has_priority=False, hold=hold) is None


@given(
    st.lists(
        st.tuples(
            st.floats(min_value=-5, max_value=10, allow_nan=False),
            st.sampled_from([c for c in ALL if c is not C.PRIORITY]),
        ),
        max_size=300,
    )
)
def test_property_credited_time_is_the_sum_of_short_gaps(script: list) -> None:
    """Without priority time the streak never ends, so it holds every gap <= max_gap
    that follows an off-priority sample (hold keeps nudges, and answers, out)."""
    e = engine()
    at, previous = T0, None
    off = distraction = 0.0
    for dt, classification in script:
        gap = (at + dt) - at  # what the float times really say
        at += dt
        if previous is not None and previous.off_priority and 0 <= gap <= MAX_GAP:
            off += gap
            if previous is C.DISTRACTION:
                distraction += gap
        e.feed(classified(at, classification), has_priority=True, hold=True)
        previous = classification
    assert e.streak.off_seconds == off
    assert e.streak.distraction_seconds == distraction
